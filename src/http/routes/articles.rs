//! `/v1/articles`: create or replace (one or many), bulk NDJSON, get, delete.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Serialize;
use serde_json::Value;

use crate::http::dto::ArticleResponse;
use crate::http::error::ApiError;
use crate::http::{
    check_declared_length, json_response, read_body, require_content_type, AppState,
};
use crate::indexing::writer::{Durability, WriteOp};
use crate::ingest::{
    article_from_value, prepare_article, prepare_lines, validate_id, IngestError, LineError,
};

/// Content types accepted for JSON bodies.
const JSON_TYPES: &[&str] = &["application/json"];
/// Content types accepted for NDJSON bodies.
const NDJSON_TYPES: &[&str] = &[
    "application/x-ndjson",
    "application/ndjson",
    "application/jsonl",
    "application/json",
];
/// Lines analysed together in a bulk load.
const BULK_CHUNK_LINES: usize = 512;
/// Line errors listed in a bulk response; the count of the rest is reported.
const MAX_REPORTED_LINE_ERRORS: usize = 1000;

#[derive(Serialize)]
struct CreatedResponse {
    ids: Vec<String>,
    indexed: usize,
}

/// `POST /v1/articles`: one article or an array, all or nothing.
pub async fn create_articles(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_content_type(&request, JSON_TYPES)?;
    let body = read_body(&request, payload, state.settings.server.max_body_bytes).await?;
    let value: Value =
        serde_json::from_slice(&body).map_err(|e| IngestError::MalformedJson(e.to_string()))?;
    let limits = state.article_limits();
    let articles = match value {
        Value::Array(items) => {
            let max = state.settings.server.max_batch_articles;
            if items.len() > max {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "batch_too_large",
                    format!(
                        "{} articles in one request; the limit is {max} (use /v1/articles/bulk)",
                        items.len()
                    ),
                ));
            }
            if items.is_empty() {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "empty_batch",
                    "the array of articles is empty",
                ));
            }
            items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    article_from_value(item, limits)
                        .map_err(|e| e.at(&format!("articles[{index}]")))
                })
                .collect::<Result<Vec<_>, _>>()?
        }
        other => vec![article_from_value(other, limits)?],
    };
    let ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
    let worker_state = state.clone();
    let prepared = web::block(move || {
        let fields = worker_state.store.fields();
        articles
            .into_iter()
            .map(|article| prepare_article(&worker_state.analyzer, fields, article))
            .collect::<Vec<_>>()
    })
    .await?;
    state
        .writer
        .write(WriteOp::Upsert(prepared), Durability::Commit)
        .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &CreatedResponse {
            indexed: ids.len(),
            ids,
        },
    ))
}

#[derive(Serialize)]
struct LineErrorDto {
    line: usize,
    error: ErrorDto,
}

#[derive(Serialize)]
struct ErrorDto {
    code: &'static str,
    message: String,
}

impl From<LineError> for LineErrorDto {
    fn from(line_error: LineError) -> Self {
        let (code, message) = match line_error.error {
            IngestError::MalformedJson(message) => ("malformed_json", message),
            IngestError::InvalidArticle { code, message } => (code, message),
        };
        LineErrorDto {
            line: line_error.line,
            error: ErrorDto { code, message },
        }
    }
}

#[derive(Serialize)]
struct BulkResponse {
    indexed: usize,
    rejected: usize,
    errors: Vec<LineErrorDto>,
}

/// Collects the outcome of a bulk load as it streams.
struct BulkProgress {
    indexed: usize,
    rejected: usize,
    errors: Vec<LineErrorDto>,
    first_generation: Option<u64>,
}

impl BulkProgress {
    fn reject(&mut self, error: LineError) {
        self.rejected += 1;
        if self.errors.len() < MAX_REPORTED_LINE_ERRORS {
            self.errors.push(error.into());
        }
    }
}

/// `POST /v1/articles/bulk`: NDJSON, one article per line, streamed in chunks;
/// good lines are kept, bad lines reported by number. Answered after one
/// commit covering every good line.
pub async fn bulk_articles(
    request: HttpRequest,
    mut payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_content_type(&request, NDJSON_TYPES)?;
    let limit = state.settings.server.max_bulk_bytes;
    check_declared_length(&request, limit)?;
    let max_line = state
        .settings
        .server
        .max_article_bytes
        .saturating_mul(2)
        .max(4096);
    let mut progress = BulkProgress {
        indexed: 0,
        rejected: 0,
        errors: Vec::new(),
        first_generation: None,
    };
    let mut buffer: Vec<u8> = Vec::new();
    let mut chunk: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut line_number = 0;
    let mut received = 0usize;
    // While skipping the rest of an over-long line.
    let mut skipping_line = false;
    let mut overflowed = false;
    while let Some(bytes) = payload.next().await {
        let bytes = bytes
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", e.to_string()))?;
        received += bytes.len();
        if received > limit {
            // A body without Content-Length grew past the limit: keep what was
            // read (each article whole), stop, and say so.
            overflowed = true;
            buffer.clear();
            break;
        }
        buffer.extend_from_slice(&bytes);
        let mut consumed = 0;
        while let Some(newline) = buffer[consumed..].iter().position(|b| *b == b'\n') {
            let line = &buffer[consumed..consumed + newline];
            consumed += newline + 1;
            if std::mem::take(&mut skipping_line) {
                continue;
            }
            line_number += 1;
            take_line(line_number, line, max_line, &mut chunk, &mut progress);
            if chunk.len() >= BULK_CHUNK_LINES {
                index_chunk(&state, std::mem::take(&mut chunk), &mut progress).await?;
            }
        }
        buffer.drain(..consumed);
        if buffer.len() > max_line && !skipping_line {
            line_number += 1;
            progress.reject(line_too_long(line_number, max_line));
            buffer.clear();
            skipping_line = true;
        } else if skipping_line {
            buffer.clear();
        }
    }
    if !buffer.is_empty() && !skipping_line {
        line_number += 1;
        take_line(line_number, &buffer, max_line, &mut chunk, &mut progress);
    }
    if !chunk.is_empty() {
        index_chunk(&state, chunk, &mut progress).await?;
    }
    let ack = state
        .writer
        .write(WriteOp::Commit, Durability::Commit)
        .await?;
    if progress
        .first_generation
        .is_some_and(|generation| generation != ack.generation)
    {
        return Err(crate::indexing::WriteError::Storage(
            "a commit failed while this bulk load was running; send it again".to_owned(),
        )
        .into());
    }
    if overflowed {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "the body grew past the limit of {limit} bytes; reading stopped after line {line_number}: \
                 {} article(s) before it were indexed, {} rejected",
                progress.indexed, progress.rejected
            ),
        ));
    }
    Ok(json_response(
        StatusCode::OK,
        &BulkResponse {
            indexed: progress.indexed,
            rejected: progress.rejected,
            errors: progress.errors,
        },
    ))
}

fn line_too_long(line: usize, max_line: usize) -> LineError {
    LineError {
        line,
        error: IngestError::InvalidArticle {
            code: "line_too_long",
            message: format!("the line is longer than {max_line} bytes"),
        },
    }
}

fn take_line(
    line_number: usize,
    line: &[u8],
    max_line: usize,
    chunk: &mut Vec<(usize, Vec<u8>)>,
    progress: &mut BulkProgress,
) {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    if line.len() > max_line {
        progress.reject(line_too_long(line_number, max_line));
        return;
    }
    chunk.push((line_number, line.to_vec()));
}

async fn index_chunk(
    state: &web::Data<AppState>,
    chunk: Vec<(usize, Vec<u8>)>,
    progress: &mut BulkProgress,
) -> Result<(), ApiError> {
    let worker_state = state.clone();
    let (prepared, errors) = web::block(move || {
        prepare_lines(
            &worker_state.analyzer,
            worker_state.store.fields(),
            worker_state.article_limits(),
            chunk,
        )
    })
    .await?;
    for error in errors {
        progress.reject(error);
    }
    if prepared.is_empty() {
        return Ok(());
    }
    let count = prepared.len();
    let ack = state
        .writer
        .write(WriteOp::Upsert(prepared), Durability::Deferred)
        .await?;
    progress.first_generation.get_or_insert(ack.generation);
    progress.indexed += count;
    Ok(())
}

/// `GET /v1/articles/{id}`.
pub async fn get_article(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    validate_id(&id)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_id", e.to_string()))?;
    let worker_state = state.clone();
    let lookup_id = id.clone();
    let found = web::block(move || worker_state.store.get_article(&lookup_id)).await??;
    match found {
        Some(article) => Ok(json_response(
            StatusCode::OK,
            &ArticleResponse::from(&article),
        )),
        None => Err(ApiError::article_not_found(&id)),
    }
}

/// `DELETE /v1/articles/{id}`.
pub async fn delete_article(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    validate_id(&id)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_id", e.to_string()))?;
    let ack = state
        .writer
        .write(WriteOp::Delete(id.clone()), Durability::Commit)
        .await?;
    if ack.existed {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::article_not_found(&id))
    }
}
