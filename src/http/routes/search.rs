//! `/v1/search` (articles) and `/v1/quotes`, by `GET` with a query string or
//! `POST` with the same parameters as a JSON object.

use actix_web::{web, HttpResponse};

use crate::http::dto::{search_response, ArticleHit, QuoteHit, SearchResponse};
use crate::http::error::{ApiError, BadSearchResponse};
use crate::http::params::{ArticleSearchParams, Query, QuoteSearchParams, SearchBody};
use crate::http::{timed_json_response, AppState};
use crate::search::SearchRequest;

/// `GET /v1/search`.
#[utoipa::path(get, path = "/v1/search", tag = "search",
    summary = "Search articles",
    params(ArticleSearchParams),
    responses(
        (status = 200, description = "A page of articles with exact facet counts", body = SearchResponse<ArticleHit>),
        BadSearchResponse,
    ))]
pub async fn search_articles_get(
    Query(params): Query<ArticleSearchParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let search_request = params.into_request(&state.settings.search)?;
    run_search(state, search_request).await
}

/// `POST /v1/search`.
#[utoipa::path(post, path = "/v1/search", tag = "search",
    summary = "Search articles (parameters as JSON)",
    description = "The parameters of `GET /v1/search` as a JSON object; filters take a string or an array.",
    request_body(content = ArticleSearchParams, content_type = "application/json"),
    responses(
        (status = 200, description = "A page of articles with exact facet counts", body = SearchResponse<ArticleHit>),
        BadSearchResponse,
    ))]
pub async fn search_articles_post(
    SearchBody(params): SearchBody<ArticleSearchParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let search_request = params.into_request(&state.settings.search)?;
    run_search(state, search_request).await
}

/// `GET /v1/quotes`.
#[utoipa::path(get, path = "/v1/quotes", tag = "search",
    summary = "Search quotes",
    description = "Who said what: quotes matching `q` and the filters, each with its speaker, \
                   role, kind, article and code-point offsets into the article body.",
    params(QuoteSearchParams),
    responses(
        (status = 200, description = "A page of quotes with exact facet counts", body = SearchResponse<QuoteHit>),
        BadSearchResponse,
    ))]
pub async fn search_quotes_get(
    Query(params): Query<QuoteSearchParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let search_request = params.into_request(&state.settings.search)?;
    run_search(state, search_request).await
}

/// `POST /v1/quotes`.
#[utoipa::path(post, path = "/v1/quotes", tag = "search",
    summary = "Search quotes (parameters as JSON)",
    description = "The parameters of `GET /v1/quotes` as a JSON object; filters take a string or an array.",
    request_body(content = QuoteSearchParams, content_type = "application/json"),
    responses(
        (status = 200, description = "A page of quotes with exact facet counts", body = SearchResponse<QuoteHit>),
        BadSearchResponse,
    ))]
pub async fn search_quotes_post(
    SearchBody(params): SearchBody<QuoteSearchParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let search_request = params.into_request(&state.settings.search)?;
    run_search(state, search_request).await
}

async fn run_search(
    state: web::Data<AppState>,
    search_request: SearchRequest,
) -> Result<HttpResponse, ApiError> {
    timed_json_response(
        move || Ok(state.backend.search(&search_request)?),
        move |results, took_ms| serde_json::to_vec(&search_response(&results, took_ms)),
    )
    .await
}
