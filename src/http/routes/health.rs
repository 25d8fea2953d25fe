//! `/health` (liveness) and `/v1/stats` (what the index holds).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::http::error::ApiError;
use crate::http::{json_response, AppState};
use crate::indexing::schema::SCHEMA_VERSION;

/// `GET /health`.
pub async fn health() -> HttpResponse {
    json_response(StatusCode::OK, &serde_json::json!({"status": "ok"}))
}

#[derive(Serialize)]
struct Stats {
    articles: u64,
    quotes: u64,
    documents: u64,
    segments: usize,
    index_bytes: u64,
    index_dir: String,
    writer_queue: usize,
    uptime_seconds: u64,
    version: &'static str,
    schema_version: u32,
}

/// `GET /v1/stats`.
pub async fn stats(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let worker_state = state.clone();
    let stats = web::block(move || -> Result<Stats, ApiError> {
        let store = &worker_state.store;
        let searcher = store.searcher();
        let (articles, quotes) = store.counts(&searcher)?;
        Ok(Stats {
            articles,
            quotes,
            documents: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            index_bytes: store.disk_bytes(),
            index_dir: store.dir().display().to_string(),
            writer_queue: worker_state.writer.queue_depth(),
            uptime_seconds: worker_state.started.elapsed().as_secs(),
            version: env!("CARGO_PKG_VERSION"),
            schema_version: SCHEMA_VERSION,
        })
    })
    .await??;
    Ok(json_response(StatusCode::OK, &stats))
}
