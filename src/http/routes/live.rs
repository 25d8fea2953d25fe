//! Live news: `POST /v1/articles/from-url` (fetch a page, extract its
//! article, ingest it) and `/v1/feeds` (the feeds the server polls).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::alerts::deliver::rfc3339;
use crate::backend::Durability;
use crate::feeds::Feed;
use crate::fetch::fetch_article;
use crate::http::error::{ApiError, ErrorBody, FeedNotFoundResponse, IndexUnavailableResponse};
use crate::http::json_response;
use crate::http::params::{FeedIdPath, FeedParams, FromUrlParams, Json};
use crate::http::AppState;
use crate::ingest::article_from_value;

/// What was read from a fetched page.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ExtractedDto {
    /// The page's address after redirects (the article's `url`).
    url: String,
    /// The headline.
    title: String,
    /// Authors named by the page.
    authors: Vec<String>,
    /// Publication time as the page gives it.
    published: Option<String>,
    /// The publisher the page names.
    site_name: Option<String>,
    /// The page's language tag.
    language: Option<String>,
    /// Characters of main text extracted.
    body_chars: usize,
    /// Where title, authors and date came from: `json-ld`, `opengraph` or `html`.
    metadata_source: &'static str,
    /// Where the text came from: `json-ld` (`articleBody`) or `readability`.
    body_source: &'static str,
}

/// Body of `201` from `POST /v1/articles/from-url`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FromUrlResponse {
    /// Ids of the articles written (one).
    ids: Vec<String>,
    /// Number of articles written (1).
    indexed: usize,
    /// What was extracted from the page.
    extracted: ExtractedDto,
}

/// `POST /v1/articles/from-url`.
#[utoipa::path(post, path = "/v1/articles/from-url", tag = "articles",
    summary = "Fetch a page and add its article",
    description = "Fetches the page (User-Agent `Verbatim/<version>`, robots.txt honoured, at most \
                   `fetch.max_redirects` redirects, `fetch.timeout_ms`, `fetch.max_bytes`; only \
                   public addresses unless `fetch.allow_private_addresses`), extracts title, \
                   authors and date (JSON-LD, then OpenGraph) and the main text (readability), \
                   and adds the article as `POST /v1/articles` does. Answered once durable and searchable.",
    request_body(content = FromUrlParams, content_type = "application/json"),
    responses(
        (status = 201, description = "Written", body = FromUrlResponse),
        (status = 400, description = "Malformed JSON or an unknown parameter", body = ErrorBody),
        (status = 403, description = "`fetch_address_not_allowed` or `fetch_disallowed_by_robots`", body = ErrorBody),
        (status = 422, description = "`fetch_invalid_url`, `fetch_unknown_host`, `fetch_not_html`, `fetch_too_large`, `fetch_no_article`, or an invalid article", body = ErrorBody),
        (status = 502, description = "`fetch_failed` (an error status or no connection) or `fetch_redirects`", body = ErrorBody),
        (status = 504, description = "`fetch_timeout`", body = ErrorBody),
        IndexUnavailableResponse,
    ))]
pub async fn create_from_url(
    Json(params): Json<FromUrlParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let fetcher = state.fetcher.clone();
    let url = params.url.0.clone();
    let (final_url, page) = web::block(move || fetch_article(&fetcher, &url)).await??;
    let article = article_from_value(
        page.to_article_json(final_url.as_str(), params.source.as_deref()),
        state.article_limits(),
    )?;
    let id = article.id.clone();
    let worker_state = state.clone();
    web::block(move || {
        let analyzed = worker_state.analyze_article(article);
        worker_state
            .backend
            .upsert(vec![analyzed], Durability::Durable)
    })
    .await??;
    Ok(json_response(
        StatusCode::CREATED,
        &FromUrlResponse {
            ids: vec![id],
            indexed: 1,
            extracted: ExtractedDto {
                url: final_url.to_string(),
                body_chars: page.body.chars().count(),
                title: page.title,
                authors: page.authors,
                published: page.published,
                site_name: page.site_name,
                language: page.language,
                metadata_source: page.metadata_source,
                body_source: page.body_source,
            },
        },
    ))
}

/// A feed and its polling state. Times are RFC 3339.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FeedDto {
    /// Stable id (from the URL).
    id: String,
    /// The feed's URL.
    url: String,
    /// Source given to its articles.
    source: Option<String>,
    /// Seconds between polls.
    interval: u64,
    /// When it was added.
    created: String,
    /// When it was last fetched.
    last_fetch: Option<String>,
    /// When it was last read without error.
    last_success: Option<String>,
    /// The last error (of the feed or of one of its items), if the last poll had one.
    last_error: Option<String>,
    /// Items ingested since it was added.
    items_ingested: u64,
    /// Items remembered as done (ingested, or skipped for good).
    items_seen: usize,
    /// Polls failed in a row.
    failures: u32,
    /// When it is polled next.
    next_poll: String,
}

impl From<Feed> for FeedDto {
    fn from(feed: Feed) -> Self {
        FeedDto {
            items_seen: feed.seen.len(),
            id: feed.id,
            url: feed.url,
            source: feed.source,
            interval: feed.interval_secs,
            created: rfc3339(feed.created),
            last_fetch: feed.last_fetch.map(rfc3339),
            last_success: feed.last_success.map(rfc3339),
            last_error: feed.last_error,
            items_ingested: feed.items_ingested,
            failures: feed.failures,
            next_poll: rfc3339(feed.next_poll),
        }
    }
}

/// Body of `GET /v1/feeds`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FeedListResponse {
    /// Every feed, in the order they were added.
    feeds: Vec<FeedDto>,
}

/// `POST /v1/feeds`.
#[utoipa::path(post, path = "/v1/feeds", tag = "feeds",
    summary = "Follow a feed",
    description = "Adds an RSS 2.0, Atom 1.0 or JSON Feed document, polled at once and then every \
                   `interval` seconds with conditional requests; each new item (by guid, else link) \
                   is ingested once, from the feed's full text when it carries it, else from its page. \
                   The URL is checked like a page's (`fetch_invalid_url`, `fetch_address_not_allowed`).",
    request_body(content = FeedParams, content_type = "application/json"),
    responses(
        (status = 201, description = "Added", body = FeedDto),
        (status = 400, description = "Malformed JSON, an unknown parameter or an interval below `feeds.min_interval_secs`", body = ErrorBody),
        (status = 403, description = "`fetch_address_not_allowed`", body = ErrorBody),
        (status = 409, description = "`feed_exists`", body = ErrorBody),
        (status = 422, description = "`fetch_invalid_url`, or `fetch_unknown_host`: the host does not resolve", body = ErrorBody),
    ))]
pub async fn add_feed(
    Json(params): Json<FeedParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let url = state.checked_url(params.url).await?;
    let feed = state.feeds.add(
        url.as_str(),
        params.source,
        params.interval,
        &state.settings.feeds,
    )?;
    Ok(json_response(StatusCode::CREATED, &FeedDto::from(feed)))
}

/// `GET /v1/feeds`.
#[utoipa::path(get, path = "/v1/feeds", tag = "feeds",
    summary = "List feeds",
    responses((status = 200, description = "Every feed with its state", body = FeedListResponse)))]
pub async fn list_feeds(state: web::Data<AppState>) -> HttpResponse {
    let feeds = state.feeds.list().into_iter().map(FeedDto::from).collect();
    json_response(StatusCode::OK, &FeedListResponse { feeds })
}

/// `GET /v1/feeds/{id}`.
#[utoipa::path(get, path = "/v1/feeds/{id}", tag = "feeds",
    summary = "A feed and its state",
    params(FeedIdPath),
    responses(
        (status = 200, description = "The feed", body = FeedDto),
        FeedNotFoundResponse,
    ))]
pub async fn get_feed(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let feed = state.feeds.get(&id)?;
    Ok(json_response(StatusCode::OK, &FeedDto::from(feed)))
}

/// `DELETE /v1/feeds/{id}`.
#[utoipa::path(delete, path = "/v1/feeds/{id}", tag = "feeds",
    summary = "Stop following a feed",
    description = "The articles it brought stay in the index.",
    params(FeedIdPath),
    responses(
        (status = 200, description = "Removed; the feed as it was", body = FeedDto),
        FeedNotFoundResponse,
    ))]
pub async fn delete_feed(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let feed = state.feeds.remove(&id)?;
    Ok(json_response(StatusCode::OK, &FeedDto::from(feed)))
}
