//! `GET /v1/quotes/export`: every quote matching `q` and the filters, streamed
//! as NDJSON or CSV, without a paging limit and in constant memory.
//!
//! The query is compiled first (so a bad query is a 400 before anything is
//! sent). Then a blocking thread walks the matches in index order
//! ([`ExportWalk`]), formats rows into chunks of about [`CHUNK_BYTES`] and
//! sends them through a channel of [`CHANNEL_CHUNKS`] chunks to the streaming
//! response: a slow client makes the walk wait instead of memory grow, and a
//! client that hangs up stops it.

use std::ops::ControlFlow;

use crate::http::dto::{write_export_row, ExportedQuote};
use crate::http::error::{ApiError, ErrorBody, ErrorCode};
use crate::http::metrics::GaugeGuard;
use crate::http::params::{from_query_string, unknown_parameter, ExportParams};
use crate::http::AppState;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpRequest, HttpResponse};

/// Bytes of rows gathered before a chunk is sent.
pub const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks that may wait for the client.
pub const CHANNEL_CHUNKS: usize = 4;
/// Exports that may stream at once; more are answered 429.
pub const MAX_CONCURRENT_EXPORTS: i64 = 4;

/// Search parameters that make no sense for an export.
const PAGING_PARAMETERS: &[&str] = &["limit", "offset", "cursor", "sort", "facets", "facet_limit"];

/// `GET /v1/quotes/export?format=ndjson|csv&q=...&speaker=...`.
#[utoipa::path(get, path = "/v1/quotes/export", tag = "search",
    summary = "Export every matching quote",
    description = "Streams every quote matching `q` and the filters, in index order, without a \
                   paging limit: NDJSON (one `/v1/quotes` hit per line, without `score` and \
                   `snippet`) or CSV with a header row (id, quote, speaker, role, kind, article_id, \
                   article_title, article_url, source, published, start, end, topics joined by `|`). \
                   A body cut short by a server error ends without its final chunk.",
    params(ExportParams),
    responses(
        (status = 200, description = "The export, streamed", content(
            (ExportedQuote = "application/x-ndjson"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Bad parameter or query syntax", body = ErrorBody),
        (status = 429, description = "Too many exports streaming; retry", body = ErrorBody),
    ))]
pub async fn export_quotes(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let params: ExportParams = from_query_string(request.query_string()).map_err(|error| {
        match unknown_parameter(&error) {
            Some(name) if PAGING_PARAMETERS.contains(&name) => ApiError::new(
                ErrorCode::UnknownParameter,
                format!(
                    "`{name}` does not apply to exports, which stream every match in index order; \
                     use q, from, to and the filters"
                ),
            ),
            _ => error,
        }
    })?;
    let format = params.format;
    let search_request = params.into_request(&state.settings.search)?;
    if state
        .metrics
        .exports_in_flight
        .load(std::sync::atomic::Ordering::Relaxed)
        >= MAX_CONCURRENT_EXPORTS
    {
        return Err(ApiError::new(
            ErrorCode::TooManyExports,
            format!("{MAX_CONCURRENT_EXPORTS} exports are already streaming; retry later"),
        ));
    }
    let walk = state
        .on_backend(move |backend| backend.prepare_export(&search_request))
        .await?;

    let (sender, receiver) =
        tokio::sync::mpsc::channel::<Result<web::Bytes, std::io::Error>>(CHANNEL_CHUNKS);
    let worker_state = state.clone();
    tokio::task::spawn_blocking(move || {
        let _streaming = GaugeGuard::enter(&worker_state.metrics.exports_in_flight);
        let mut chunk: Vec<u8> = format.preamble().into_bytes();
        let mut row_error = None;
        let mut client_gone = false;
        let outcome = walk.walk(&mut |stored_json| {
            if let Err(error) = write_export_row(stored_json, format, &mut chunk) {
                row_error = Some(error.to_string());
                return ControlFlow::Break(());
            }
            worker_state.metrics.exported_quotes.increment();
            if chunk.len() >= CHUNK_BYTES {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_BYTES + 4096));
                if sender.blocking_send(Ok(web::Bytes::from(full))).is_err() {
                    client_gone = true;
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        let failure = match (outcome, row_error) {
            (Err(error), _) => Some(error.to_string()),
            (Ok(_), Some(error)) => Some(format!("corrupt stored document: {error}")),
            (Ok(_), None) => None,
        };
        match failure {
            // Headers are gone: end the body with an error, which aborts the
            // connection, so the client cannot take a cut export for a whole one.
            Some(message) => {
                tracing::error!(error = %message, "export failed");
                let _ = sender.blocking_send(Err(std::io::Error::other(message)));
            }
            None if !client_gone && !chunk.is_empty() => {
                let _ = sender.blocking_send(Ok(web::Bytes::from(chunk)));
            }
            None => {}
        }
    });

    let body = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format.file_name().to_owned())],
        })
        .streaming(body))
}
