//! `/v1/articles`: create or replace (one or many), bulk NDJSON, get, delete.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Serialize;
use serde_json::Value;

use crate::backend::{BackendError, Durability};
use crate::http::dto::ArticleResponse;
use crate::http::error::{
    ApiError, ArticleIdResponses, ErrorBody, ErrorCode, IndexUnavailableResponse,
};
use crate::http::es_bulk::{
    is_action_line, parse_action, EsAction, EsActionKind, EsBulkResponse, EsItem,
};
use crate::http::params::ArticleIdPath;
use crate::http::routes::table::body_limit;
use crate::http::{check_declared_length, json_response, require_content_type, AppState, JsonBody};
use crate::ingest::{
    analyze_sources, article_from_value, validate_id, BulkSource, IngestError, LineError,
};

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

/// Body of `201` from `POST /v1/articles`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedResponse {
    /// Ids of the articles, in request order.
    ids: Vec<String>,
    /// Number of articles written.
    indexed: usize,
}

/// `POST /v1/articles`: one article or an array, all or nothing.
#[utoipa::path(post, path = "/v1/articles", tag = "articles",
    summary = "Add or replace articles",
    description = "One article or an array of up to 1000 (all or nothing). An article with the \
                   id of an existing one replaces it, quotes included. Answered once durable and searchable.",
    request_body(description = "An article, or an array of articles", content(
        (crate::ingest::ArticleInput = "application/json"),
    )),
    responses(
        (status = 201, description = "Written", body = CreatedResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body or batch too large", body = ErrorBody),
        (status = 422, description = "Valid JSON, invalid article (the message names the field)", body = ErrorBody),
        IndexUnavailableResponse,
    ))]
pub async fn create_articles(
    JsonBody(body): JsonBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let value: Value =
        serde_json::from_slice(&body).map_err(|e| IngestError::MalformedJson(e.to_string()))?;
    let limits = state.article_limits();
    let articles = match value {
        Value::Array(items) => {
            let max = state.settings.server.max_batch_articles;
            if items.len() > max {
                return Err(ApiError::new(
                    ErrorCode::BatchTooLarge,
                    format!(
                        "{} articles in one request; the limit is {max} (use /v1/articles/bulk)",
                        items.len()
                    ),
                ));
            }
            if items.is_empty() {
                return Err(ApiError::new(
                    ErrorCode::EmptyBatch,
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
    web::block(move || {
        let analyzed = articles
            .into_iter()
            .map(|article| worker_state.analyze_article(article))
            .collect();
        worker_state.backend.upsert(analyzed, Durability::Durable)
    })
    .await??;
    Ok(json_response(
        StatusCode::CREATED,
        &CreatedResponse {
            indexed: ids.len(),
            ids,
        },
    ))
}

/// A rejected line of a bulk load.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = BulkLineError)]
pub struct LineErrorDto {
    /// 1-based line of the body (every line counts, blank ones included).
    line: usize,
    /// Why it was rejected.
    error: ErrorDto,
}

/// Code and message of a rejected line.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = BulkErrorDetail)]
pub struct ErrorDto {
    /// snake_case code, as in error answers.
    #[schema(schema_with = crate::http::error::error_code_schema)]
    code: &'static str,
    /// Human sentence.
    message: String,
}

impl LineErrorDto {
    fn new(line: usize, error: ApiError) -> Self {
        LineErrorDto {
            line,
            error: ErrorDto {
                code: error.code.as_str(),
                message: error.message,
            },
        }
    }
}

impl From<LineError> for LineErrorDto {
    fn from(line_error: LineError) -> Self {
        LineErrorDto::new(line_error.line, line_error.error.into())
    }
}

/// Body of `POST /v1/articles/bulk`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BulkResponse {
    /// Articles written.
    indexed: usize,
    /// Lines rejected.
    rejected: usize,
    /// Articles deleted by Elasticsearch `delete` actions (absent when none).
    #[serde(skip_serializing_if = "is_zero")]
    deleted: usize,
    /// The first 1000 rejected lines.
    errors: Vec<LineErrorDto>,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// Which format the lines of a bulk body are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BulkDialect {
    /// Not known yet: the first non-blank line decides.
    Detect,
    /// One article per line.
    Articles,
    /// Elasticsearch `_bulk`: action lines, each followed by a source line
    /// (but `delete`).
    Elasticsearch,
}

/// Which shape the answer takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BulkAnswer {
    /// `{"indexed", "rejected", "deleted", "errors"}`.
    Verbatim,
    /// Elasticsearch's `{"took", "errors", "items"}`.
    Elasticsearch,
}

/// An article line waiting to be analysed, with the action that announced it
/// and the place of its item in the Elasticsearch answer.
struct ChunkEntry {
    source: BulkSource,
    action: Option<EsAction>,
    item_slot: Option<usize>,
}

/// What one line of the body asks for.
enum LineStep {
    /// Nothing to do (blank, rejected, or an action whose source comes next).
    Nothing,
    /// An article to index.
    Article(ChunkEntry),
    /// An Elasticsearch `delete`.
    Delete { line: usize, action: EsAction },
}

/// Collects the outcome of a bulk load as it streams.
struct BulkProgress {
    indexed: usize,
    rejected: usize,
    deleted: usize,
    errors: Vec<LineErrorDto>,
    first_generation: Option<u64>,
    dialect: BulkDialect,
    /// Elasticsearch: the action line waiting for its source line.
    pending_action: Option<(usize, EsAction)>,
    /// Elasticsearch: skip the next line unless it is an action (the source
    /// of an `update` or of an unreadable action).
    skip_source: bool,
    /// Elasticsearch answer: one item per action, in order (an article's
    /// slot is filled when its chunk has been analysed).
    items: Option<Vec<Option<EsItem>>>,
}

impl BulkProgress {
    fn new(dialect: BulkDialect, answer: BulkAnswer) -> Self {
        BulkProgress {
            indexed: 0,
            rejected: 0,
            deleted: 0,
            errors: Vec::new(),
            first_generation: None,
            dialect,
            pending_action: None,
            skip_source: false,
            items: (answer == BulkAnswer::Elasticsearch).then(Vec::new),
        }
    }

    fn reject(&mut self, line: usize, error: ApiError) {
        self.rejected += 1;
        if self.errors.len() < MAX_REPORTED_LINE_ERRORS {
            self.errors.push(LineErrorDto::new(line, error));
        }
    }

    /// Rejects a line in an Elasticsearch body, recording an item for it.
    fn reject_action(&mut self, line: usize, action: Option<&EsAction>, error: ApiError) {
        if let Some(items) = self.items.as_mut() {
            items.push(Some(EsItem::failure(
                action,
                line,
                400,
                error.code.as_str(),
                error.message.clone(),
            )));
        }
        self.reject(line, error);
    }

    /// Rejects a line longer than `max_line` (with the action it belonged to).
    fn reject_too_long(&mut self, line_number: usize, max_line: usize) {
        let pending = self.pending_action.take();
        let error = ApiError::new(
            ErrorCode::LineTooLong,
            format!("the line is longer than {max_line} bytes"),
        );
        self.reject_action(line_number, pending.as_ref().map(|(_, a)| a), error);
    }

    /// Reads one line of the body.
    fn take_line(&mut self, line_number: usize, line: &[u8], max_line: usize) -> LineStep {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return LineStep::Nothing;
        }
        if line.len() > max_line {
            self.reject_too_long(line_number, max_line);
            return LineStep::Nothing;
        }
        if self.dialect == BulkDialect::Detect {
            self.dialect = if is_action_line(line) {
                BulkDialect::Elasticsearch
            } else {
                BulkDialect::Articles
            };
        }
        if self.dialect == BulkDialect::Articles {
            return LineStep::Article(ChunkEntry {
                source: BulkSource {
                    line: line_number,
                    bytes: line.to_vec(),
                    id: None,
                },
                action: None,
                item_slot: None,
            });
        }
        if let Some((_, action)) = self.pending_action.take() {
            let item_slot = self.items.as_mut().map(|items| {
                items.push(None);
                items.len() - 1
            });
            return LineStep::Article(ChunkEntry {
                source: BulkSource {
                    line: line_number,
                    bytes: line.to_vec(),
                    id: action.id.clone(),
                },
                action: Some(action),
                item_slot,
            });
        }
        let parsed = parse_action(line);
        if std::mem::take(&mut self.skip_source) && parsed.is_err() {
            return LineStep::Nothing;
        }
        match parsed {
            Err(message) => {
                self.skip_source = true;
                self.reject_action(
                    line_number,
                    None,
                    ApiError::new(ErrorCode::InvalidAction, message),
                );
                LineStep::Nothing
            }
            Ok(action) => match action.kind {
                EsActionKind::Update => {
                    self.skip_source = true;
                    self.reject_action(
                        line_number,
                        Some(&action),
                        ApiError::new(
                            ErrorCode::UnsupportedAction,
                            "`update` is not supported; send the whole article with `index`",
                        ),
                    );
                    LineStep::Nothing
                }
                EsActionKind::Delete => LineStep::Delete {
                    line: line_number,
                    action,
                },
                EsActionKind::Index | EsActionKind::Create => {
                    self.pending_action = Some((line_number, action));
                    LineStep::Nothing
                }
            },
        }
    }

    /// Ends the body: an action still waiting for its source is an error.
    fn finish(&mut self) {
        if let Some((line, action)) = self.pending_action.take() {
            self.reject_action(
                line,
                Some(&action),
                ApiError::new(
                    ErrorCode::MissingSource,
                    format!(
                        "the `{}` action has no source line after it",
                        action.kind.as_str()
                    ),
                ),
            );
        }
    }
}

/// `POST /v1/articles/bulk`: NDJSON, one article per line, streamed in chunks;
/// good lines are kept, bad lines reported by number. Answered after one
/// commit covering every good line. Elasticsearch `_bulk` bodies (action
/// lines followed by source lines) are recognised by their first line.
#[utoipa::path(post, path = "/v1/articles/bulk", tag = "articles",
    summary = "Bulk-load NDJSON",
    description = "One article per line (streamed; good lines are kept, bad lines reported by \
                   number), or an Elasticsearch `_bulk` body (action line, then source line; \
                   `index`, `create`, `delete`), recognised by its first line. Answered after \
                   one commit covering every good line.",
    request_body(description = "NDJSON", content(
        ("application/x-ndjson"),
    )),
    responses(
        (status = 200, description = "Loaded; see `errors` for rejected lines", body = BulkResponse),
        IndexUnavailableResponse,
    ))]
pub async fn bulk_articles(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    run_bulk(
        request,
        payload,
        state,
        BulkProgress::new(BulkDialect::Detect, BulkAnswer::Verbatim),
    )
    .await
}

/// `POST /_bulk` and `POST /{index}/_bulk`: Elasticsearch's bulk API, answered
/// the way Elasticsearch answers it, so existing pipelines can point at Verbatim.
#[utoipa::path(post, path = "/_bulk", tag = "compatibility",
    summary = "Elasticsearch bulk API",
    description = "Elasticsearch `_bulk` NDJSON: an action line (`index`, `create` or `delete`, \
                   with `_id`) followed by the article as its source line (none for `delete`). \
                   `_id` becomes the article id; `_index` is ignored; `create` replaces like \
                   `index`; `update` is rejected per item. Answered like Elasticsearch, one item \
                   per action; item errors carry the 1-based body `line` they are about. \
                   Bodies up to 100 MiB.",
    request_body(description = "Elasticsearch bulk NDJSON", content(
        ("application/x-ndjson"),
    )),
    responses(
        (status = 200, description = "Processed; `errors` says whether any item failed", body = EsBulkResponse),
        IndexUnavailableResponse,
    ))]
pub async fn elasticsearch_bulk(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    run_bulk(
        request,
        payload,
        state,
        BulkProgress::new(BulkDialect::Elasticsearch, BulkAnswer::Elasticsearch),
    )
    .await
}

/// `POST /{index}/_bulk`: as [`elasticsearch_bulk`]; the index name is ignored.
#[utoipa::path(post, path = "/{index}/_bulk", tag = "compatibility",
    summary = "Elasticsearch bulk API (with an index name)",
    description = "The same as `POST /_bulk`; the index name is ignored.",
    params(("index" = String, Path, description = "Ignored")),
    request_body(description = "Elasticsearch bulk NDJSON", content(
        ("application/x-ndjson"),
    )),
    responses(
        (status = 200, description = "Processed; `errors` says whether any item failed", body = EsBulkResponse),
        IndexUnavailableResponse,
    ))]
pub async fn elasticsearch_bulk_for_index(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    elasticsearch_bulk(request, payload, state).await
}

async fn run_bulk(
    request: HttpRequest,
    mut payload: web::Payload,
    state: web::Data<AppState>,
    mut progress: BulkProgress,
) -> Result<HttpResponse, ApiError> {
    let started = std::time::Instant::now();
    require_content_type(&request, NDJSON_TYPES)?;
    let limit = body_limit(&request, &state.settings.server)?;
    check_declared_length(&request, limit)?;
    let max_line = state
        .settings
        .server
        .max_article_bytes
        .saturating_mul(2)
        .max(4096);
    let mut buffer: Vec<u8> = Vec::new();
    let mut chunk: Vec<ChunkEntry> = Vec::new();
    let mut line_number = 0;
    let mut received = 0usize;
    // While skipping the rest of an over-long line.
    let mut skipping_line = false;
    let mut overflowed = false;
    while let Some(bytes) = payload.next().await {
        let bytes = bytes.map_err(|e| ApiError::new(ErrorCode::InvalidBody, e.to_string()))?;
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
            let start = consumed;
            consumed += newline + 1;
            if std::mem::take(&mut skipping_line) {
                continue;
            }
            line_number += 1;
            let step = progress.take_line(line_number, &buffer[start..start + newline], max_line);
            apply_step(&state, step, &mut chunk, &mut progress).await?;
        }
        buffer.drain(..consumed);
        if buffer.len() > max_line && !skipping_line {
            line_number += 1;
            progress.reject_too_long(line_number, max_line);
            buffer.clear();
            skipping_line = true;
        } else if skipping_line {
            buffer.clear();
        }
    }
    if !buffer.is_empty() && !skipping_line {
        line_number += 1;
        let step = progress.take_line(line_number, &buffer, max_line);
        apply_step(&state, step, &mut chunk, &mut progress).await?;
    }
    progress.finish();
    if !chunk.is_empty() {
        index_chunk(&state, chunk, &mut progress).await?;
    }
    let ack = state.on_backend(|backend| backend.flush()).await?;
    if progress
        .first_generation
        .is_some_and(|generation| generation != ack.generation)
    {
        return Err(BackendError::batch_lost().into());
    }
    if overflowed {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge, format!(
                "the body grew past the limit of {limit} bytes; reading stopped after line {line_number}: \
                 {} article(s) before it were indexed, {} rejected",
                progress.indexed, progress.rejected
            ),
        ));
    }
    // Lines rejected while reading are reported before those rejected when
    // their chunk was analysed: put them back in body order.
    progress.errors.sort_by_key(|error| error.line);
    match progress.items {
        Some(items) => Ok(json_response(
            StatusCode::OK,
            &EsBulkResponse {
                took: started.elapsed().as_millis() as u64,
                errors: progress.rejected > 0,
                items: items.into_iter().flatten().collect(),
            },
        )),
        None => Ok(json_response(
            StatusCode::OK,
            &BulkResponse {
                indexed: progress.indexed,
                rejected: progress.rejected,
                deleted: progress.deleted,
                errors: progress.errors,
            },
        )),
    }
}

async fn apply_step(
    state: &web::Data<AppState>,
    step: LineStep,
    chunk: &mut Vec<ChunkEntry>,
    progress: &mut BulkProgress,
) -> Result<(), ApiError> {
    match step {
        LineStep::Nothing => {}
        LineStep::Article(entry) => {
            chunk.push(entry);
            if chunk.len() >= BULK_CHUNK_LINES {
                index_chunk(state, std::mem::take(chunk), progress).await?;
            }
        }
        LineStep::Delete { line, action } => {
            // Earlier lines are written first: writes stay in body order.
            if !chunk.is_empty() {
                index_chunk(state, std::mem::take(chunk), progress).await?;
            }
            let id = action.id.clone().unwrap_or_default();
            if let Err(error) = validate_id(&id) {
                progress.reject_action(line, Some(&action), error.into());
                return Ok(());
            }
            let delete_id = id.clone();
            let ack = state
                .on_backend(move |backend| backend.delete(&delete_id, Durability::Deferred))
                .await?;
            progress.first_generation.get_or_insert(ack.generation);
            if ack.existed {
                progress.deleted += 1;
            }
            if let Some(items) = progress.items.as_mut() {
                let (status, result) = if ack.existed {
                    (200, "deleted")
                } else {
                    (404, "not_found")
                };
                items.push(Some(EsItem::success(&action, Some(id), status, result)));
            }
        }
    }
    Ok(())
}

async fn index_chunk(
    state: &web::Data<AppState>,
    chunk: Vec<ChunkEntry>,
    progress: &mut BulkProgress,
) -> Result<(), ApiError> {
    let mut actions = Vec::with_capacity(chunk.len());
    let mut sources = Vec::with_capacity(chunk.len());
    for entry in chunk {
        actions.push((entry.source.line, entry.action, entry.item_slot));
        sources.push(entry.source);
    }
    let worker_state = state.clone();
    let (analyzed, errors) = web::block(move || {
        analyze_sources(
            &worker_state.analyzer,
            worker_state.article_limits(),
            sources,
        )
    })
    .await?;
    if let Some(items) = progress.items.as_mut() {
        // Both lists are in line order: walk them alongside the actions.
        let mut failures = errors.iter().peekable();
        let mut successes = analyzed.iter();
        for (line, action, slot) in &actions {
            let (Some(action), Some(slot)) = (action, slot) else {
                continue;
            };
            let item = match failures.next_if(|failure| failure.line == *line) {
                Some(failure) => {
                    let dto = LineErrorDto::from(failure.clone());
                    EsItem::failure(Some(action), *line, 400, dto.error.code, dto.error.message)
                }
                None => {
                    let id = successes.next().map(|analyzed| analyzed.article.id.clone());
                    EsItem::success(action, id, 201, "created")
                }
            };
            if let Some(place) = items.get_mut(*slot) {
                *place = Some(item);
            }
        }
    }
    for error in errors {
        progress.reject(error.line, error.error.into());
    }
    if analyzed.is_empty() {
        return Ok(());
    }
    let count = analyzed.len();
    let ack = state
        .on_backend(move |backend| backend.upsert(analyzed, Durability::Deferred))
        .await?;
    progress.first_generation.get_or_insert(ack.generation);
    progress.indexed += count;
    Ok(())
}

/// The article id a `/v1/articles/{id}` path names, refused as
/// `invalid_path_id` when it is no valid id.
fn path_article_id(id: web::Path<String>) -> Result<String, ApiError> {
    let id = id.into_inner();
    validate_id(&id).map_err(|e| ApiError::new(ErrorCode::InvalidPathId, e.to_string()))?;
    Ok(id)
}

/// `GET /v1/articles/{id}`.
#[utoipa::path(get, path = "/v1/articles/{id}", tag = "articles",
    summary = "One article with its quotes",
    params(ArticleIdPath),
    responses(
        (status = 200, description = "The stored article with quotes, speakers, topics and language", body = ArticleResponse),
        ArticleIdResponses,
    ))]
pub async fn get_article(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_article_id(id)?;
    let lookup_id = id.clone();
    let found = state
        .on_backend(move |backend| backend.get_article(&lookup_id))
        .await?;
    match found {
        Some(article) => Ok(json_response(
            StatusCode::OK,
            &ArticleResponse::from(&article),
        )),
        None => Err(ApiError::article_not_found(&id)),
    }
}

/// `DELETE /v1/articles/{id}`.
#[utoipa::path(delete, path = "/v1/articles/{id}", tag = "articles",
    summary = "Remove an article and its quotes",
    params(ArticleIdPath),
    responses(
        (status = 204, description = "Deleted (durable when answered)"),
        ArticleIdResponses,
        IndexUnavailableResponse,
    ))]
pub async fn delete_article(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_article_id(id)?;
    let delete_id = id.clone();
    let ack = state
        .on_backend(move |backend| backend.delete(&delete_id, Durability::Durable))
        .await?;
    if ack.existed {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::article_not_found(&id))
    }
}
