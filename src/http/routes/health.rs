//! `/health` (liveness) and `/v1/stats` (what the index holds).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::backend::BackendHealth;
use crate::http::error::{ApiError, ErrorCode};
use crate::http::{json_response, AppState};

/// Body of `GET /health`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    status: &'static str,
}

/// `GET /health`: `ok` while the backend serves (the embedded backend
/// always does); `index_unavailable` (503) when it says it cannot.
#[utoipa::path(get, path = "/health", tag = "operations",
    summary = "Liveness",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    match state.backend.health() {
        BackendHealth::Serving => json_response(StatusCode::OK, &Health { status: "ok" }),
        BackendHealth::Unavailable(reason) => actix_web::ResponseError::error_response(
            &ApiError::new(ErrorCode::IndexUnavailable, reason),
        ),
    }
}

/// Body of `GET /v1/stats`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Stats {
    /// Live articles.
    articles: u64,
    /// Live quotes.
    quotes: u64,
    /// Live documents of both kinds.
    documents: u64,
    /// Segments in the searched snapshot.
    segments: usize,
    /// Bytes used by the index directory.
    index_bytes: u64,
    /// The index directory.
    index_dir: String,
    /// Write requests waiting for the writer.
    writer_queue: usize,
    /// Seconds since the server started.
    uptime_seconds: u64,
    /// Server version.
    version: &'static str,
    /// Index schema version.
    schema_version: u32,
}

/// `GET /v1/stats`.
#[utoipa::path(get, path = "/v1/stats", tag = "operations",
    summary = "What the index holds",
    responses((status = 200, description = "Counts and sizes", body = Stats)))]
pub async fn stats(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let store = state.on_backend(|backend| backend.stats()).await?;
    let stats = Stats {
        articles: store.articles,
        quotes: store.quotes,
        documents: store.documents,
        segments: store.segments,
        index_bytes: store.bytes,
        index_dir: store.location,
        writer_queue: store.write_queue,
        uptime_seconds: state.started.elapsed().as_secs(),
        version: env!("CARGO_PKG_VERSION"),
        schema_version: store.schema_version,
    };
    Ok(json_response(StatusCode::OK, &stats))
}
