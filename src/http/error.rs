//! The one error type of the HTTP API. Every failure becomes
//! `{"error": {"code": "snake_case_code", "message": "human sentence"}}` with
//! the status its [`ErrorCode`] gives; nothing else in the crate knows HTTP
//! statuses. [`ErrorCode`] is the one table of codes: status, string, retry
//! delay and meaning, published in the OpenAPI document and the README.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::backend::BackendError;
use crate::ingest::{ArticleDefect, IngestError};
use crate::search::SearchError;

/// Declares [`ErrorCode`]: one row per code, `Variant = (STATUS, "code",
/// retry-after seconds or `None`, "description")`; the description is also the
/// variant's doc line.
macro_rules! error_codes {
    ($($variant:ident = ($status:ident, $code:literal, $retry:expr, $description:literal),)*) => {
        /// Every error code the API answers with: its status, its stable
        /// snake_case string, whether it asks for a retry, and what it means.
        /// Articles that fail validation carry the [`ArticleDefect`] that
        /// `ingest` found.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $(#[doc = $description] $variant,)*
            /// An invalid article (`invalid_date`, `empty_article`, ...).
            Article(ArticleDefect),
        }

        impl ErrorCode {
            /// The codes that are not article defects, in table order.
            const OWN: &[ErrorCode] = &[$(ErrorCode::$variant,)*];

            fn entry(self) -> (StatusCode, &'static str, Option<u32>, &'static str) {
                match self {
                    $(ErrorCode::$variant => (StatusCode::$status, $code, $retry, $description),)*
                    ErrorCode::Article(defect) => (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        defect.as_str(),
                        None,
                        defect.description(),
                    ),
                }
            }
        }
    };
}

error_codes! {
    InvalidParameter = (BAD_REQUEST, "invalid_parameter", None,
        "a parameter has the wrong type, is out of range or is given twice; the message names it"),
    UnknownParameter = (BAD_REQUEST, "unknown_parameter", None,
        "a parameter the endpoint does not take; the message lists those it does"),
    UnknownFacet = (BAD_REQUEST, "unknown_facet", None,
        "a facet the target cannot count; the message lists those it can"),
    QueryTooLong = (BAD_REQUEST, "query_too_long", None,
        "`q` (or a claim's `text`) is longer than `search.max_query_chars` characters"),
    QuerySyntaxError = (BAD_REQUEST, "query_syntax_error", None,
        "`q` does not parse; the message gives the position"),
    UnknownField = (BAD_REQUEST, "unknown_field", None,
        "`q` names a field the target does not have"),
    TooManyClauses = (BAD_REQUEST, "too_many_clauses", None,
        "`q` has more clauses than a search may run"),
    ResultWindowTooLarge = (BAD_REQUEST, "result_window_too_large", None,
        "`offset` + `limit` is past the result window; page deeper with `cursor`"),
    InvalidCursor = (BAD_REQUEST, "invalid_cursor", None,
        "`cursor` is not one this server gave for this sort"),
    MalformedJson = (BAD_REQUEST, "malformed_json", None,
        "the body (or a bulk line) is not JSON"),
    InvalidBody = (BAD_REQUEST, "invalid_body", None,
        "the body could not be read (broken chunked encoding, dropped connection)"),
    InvalidPathId = (BAD_REQUEST, "invalid_id", None,
        "the article id in the path is not a valid id"),
    LineTooLong = (BAD_REQUEST, "line_too_long", None,
        "bulk line: longer than twice `server.max_article_bytes` (at least 4096 bytes)"),
    InvalidAction = (BAD_REQUEST, "invalid_action", None,
        "bulk line: an Elasticsearch action line that cannot be read"),
    UnsupportedAction = (BAD_REQUEST, "unsupported_action", None,
        "bulk line: an Elasticsearch `update`; send the whole article with `index`"),
    MissingSource = (BAD_REQUEST, "missing_source", None,
        "bulk line: an `index` or `create` action with no source line after it"),
    CorsRejected = (BAD_REQUEST, "cors_rejected", None,
        "a CORS preflight from an origin, or for a method or header, that `server.cors_origins` and the API do not allow"),
    MissingApiKey = (UNAUTHORIZED, "missing_api_key", None,
        "no `Authorization: Bearer <key>` header, and the endpoint needs a key"),
    InvalidApiKey = (UNAUTHORIZED, "invalid_api_key", None,
        "the `Authorization` header is not `Bearer <key>`, or the key is not valid"),
    Forbidden = (FORBIDDEN, "forbidden", None,
        "the search key was sent where the admin key is needed"),
    NotFound = (NOT_FOUND, "not_found", None,
        "no route (or no asset) at this path"),
    ArticleNotFound = (NOT_FOUND, "article_not_found", None,
        "no article has this id"),
    SpeakerNotFound = (NOT_FOUND, "speaker_not_found", None,
        "no speaker identity of the index has this name (canonical, alias, surname the registry links)"),
    MethodNotAllowed = (METHOD_NOT_ALLOWED, "method_not_allowed", None,
        "the path does not serve this method; `Allow` lists those it does"),
    FeedNotFound = (NOT_FOUND, "feed_not_found", None,
        "no feed has this id"),
    AlertNotFound = (NOT_FOUND, "alert_not_found", None,
        "no alert has this id"),
    FeedExists = (CONFLICT, "feed_exists", None,
        "a feed with this URL exists already; the message gives its id"),
    SnapshotExists = (CONFLICT, "snapshot_exists", None,
        "a snapshot with this name already exists"),
    PayloadTooLarge = (PAYLOAD_TOO_LARGE, "payload_too_large", None,
        "the body is larger than the endpoint's limit"),
    BatchTooLarge = (PAYLOAD_TOO_LARGE, "batch_too_large", None,
        "more articles in one array than `server.max_batch_articles`; use `/v1/articles/bulk`"),
    UnsupportedMediaType = (UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", None,
        "the `Content-Type` is not one the endpoint reads"),
    FetchInvalidUrl = (UNPROCESSABLE_ENTITY, "fetch_invalid_url", None,
        "the URL to fetch is not an absolute http or https URL (or carries credentials)"),
    FetchAddressNotAllowed = (FORBIDDEN, "fetch_address_not_allowed", None,
        "the URL (or a redirect) resolves to a loopback, private, link-local or other non-public address; see `fetch.allow_private_addresses`"),
    FetchDisallowedByRobots = (FORBIDDEN, "fetch_disallowed_by_robots", None,
        "the host's robots.txt does not allow Verbatim this page"),
    FetchUnknownHost = (UNPROCESSABLE_ENTITY, "fetch_unknown_host", None,
        "the URL's host name does not resolve"),
    FetchNotHtml = (UNPROCESSABLE_ENTITY, "fetch_not_html", None,
        "the page fetched is not HTML"),
    FetchTooLarge = (UNPROCESSABLE_ENTITY, "fetch_too_large", None,
        "the page fetched is larger than `fetch.max_bytes`"),
    FetchNoArticle = (UNPROCESSABLE_ENTITY, "fetch_no_article", None,
        "the page fetched holds no article text"),
    FetchRedirects = (BAD_GATEWAY, "fetch_redirects", None,
        "the page redirects in a loop, more than `fetch.max_redirects` times, or without a usable Location"),
    FetchFailed = (BAD_GATEWAY, "fetch_failed", None,
        "the page's server answered an error status, or could not be reached; the message says which"),
    FetchTimeout = (GATEWAY_TIMEOUT, "fetch_timeout", None,
        "the page's server did not answer within `fetch.timeout_ms`"),
    EmptyBatch = (UNPROCESSABLE_ENTITY, "empty_batch", None,
        "the array of articles is empty"),
    TooManyExports = (TOO_MANY_REQUESTS, "too_many_exports", Some(5),
        "as many exports as the server allows are streaming; retry later"),
    InternalError = (INTERNAL_SERVER_ERROR, "internal_error", None,
        "the server failed; the error was logged"),
    NotImplemented = (NOT_IMPLEMENTED, "not_implemented", None,
        "the backend serving this server does not answer this request yet (the OpenSearch backend: snapshots without a snapshot repository); the message says what"),
    Overloaded = (SERVICE_UNAVAILABLE, "overloaded", Some(1),
        "the server is handling as many requests as it allows; retry shortly"),
    RequestTimeout = (SERVICE_UNAVAILABLE, "request_timeout", Some(1),
        "the request ran past `server.request_timeout_ms` and was abandoned; a write may or may not have been applied"),
    SearchTimeout = (SERVICE_UNAVAILABLE, "search_timeout", Some(1),
        "the search ran past `search.timeout_ms`"),
    IndexUnavailable = (SERVICE_UNAVAILABLE, "index_unavailable", Some(5),
        "the index cannot be written now (a failed commit, a full disk); nothing was written"),
    SnapshotFailed = (SERVICE_UNAVAILABLE, "snapshot_failed", Some(5),
        "the snapshot could not be written or the index kept changing under it"),
}

impl ErrorCode {
    /// Every code, in table order: the API's own, then the article defects
    /// (some strings appear twice: `invalid_id` is 400 in a path, 422 in an article).
    pub fn all() -> impl Iterator<Item = ErrorCode> {
        Self::OWN
            .iter()
            .copied()
            .chain(ArticleDefect::ALL.iter().copied().map(ErrorCode::Article))
    }

    /// The HTTP status a request failing with this code is answered with.
    pub fn status(self) -> StatusCode {
        self.entry().0
    }

    /// The stable snake_case string clients match on.
    pub fn as_str(self) -> &'static str {
        self.entry().1
    }

    /// Seconds after which a retry may succeed (sent as `Retry-After`).
    pub fn retry_after(self) -> Option<u32> {
        self.entry().2
    }

    /// One line saying what the code means.
    pub fn description(self) -> &'static str {
        self.entry().3
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// An error answered to an HTTP client.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// What went wrong, which sets the status.
    pub code: ErrorCode,
    /// Human sentence saying what is wrong (and where).
    pub message: String,
}

/// The body of every error answer.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ErrorResponse)]
pub struct ErrorBody<'a> {
    /// What went wrong.
    error: ErrorDetail<'a>,
}

/// `503` of an operation that writes the index, for its `responses(...)`
/// (as are the other error answers several operations share).
#[derive(utoipa::IntoResponses)]
#[response(status = 503, description = "The index cannot be written; retry")]
pub struct IndexUnavailableResponse<'a>(pub ErrorBody<'a>);

/// `400` of a search (`/v1/search`, `/v1/quotes`, by `GET` or `POST`).
#[derive(utoipa::IntoResponses)]
#[response(
    status = 400,
    description = "Bad parameter or query syntax (the message gives the position)"
)]
pub struct BadSearchResponse<'a>(pub ErrorBody<'a>);

/// `400` and `404` of an operation on `/v1/articles/{id}`.
#[derive(utoipa::IntoResponses)]
pub enum ArticleIdResponses<'a> {
    /// The id is not one an article can have.
    #[response(status = 400, description = "Invalid id")]
    InvalidId(ErrorBody<'a>),
    /// No article has it.
    #[response(status = 404, description = "No such article")]
    NotFound(ErrorBody<'a>),
}

/// `404` of an operation on `/v1/alerts/{id}`.
#[derive(utoipa::IntoResponses)]
#[response(status = 404, description = "`alert_not_found`")]
pub struct AlertNotFoundResponse<'a>(pub ErrorBody<'a>);

/// `404` of an operation on `/v1/feeds/{id}`.
#[derive(utoipa::IntoResponses)]
#[response(status = 404, description = "`feed_not_found`")]
pub struct FeedNotFoundResponse<'a>(pub ErrorBody<'a>);

/// Code and message of an error.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ErrorDetail)]
pub struct ErrorDetail<'a> {
    /// Stable snake_case code to match on; the table is in the README.
    #[schema(schema_with = error_code_schema)]
    code: &'a str,
    /// Human sentence saying what is wrong and where.
    message: &'a str,
}

/// The schema of `error.code`: a string, one of the codes of [`ErrorCode`].
pub(crate) fn error_code_schema() -> utoipa::openapi::schema::Object {
    let mut codes: Vec<&str> = ErrorCode::all().map(ErrorCode::as_str).collect();
    let mut seen = std::collections::HashSet::new();
    codes.retain(|code| seen.insert(*code));
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(codes))
        .description(Some(
            "Stable snake_case code to match on (`query_syntax_error`, `article_not_found`, ...); \
             every code, its status and meaning are listed in the README",
        ))
        .build()
}

impl ApiError {
    /// An error with the given code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// The HTTP status, from the code.
    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    /// 400 for a bad parameter.
    pub fn bad_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidParameter, message)
    }

    /// 404 for a missing article.
    pub fn article_not_found(id: &str) -> Self {
        Self::new(
            ErrorCode::ArticleNotFound,
            format!("no article with id `{id}`"),
        )
    }

    /// 413 for a body over the limit.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            ErrorCode::PayloadTooLarge,
            format!("the request body is larger than the limit of {limit} bytes"),
        )
    }

    /// 500 for a failure that is ours, not the client's. The details go to the log.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "internal error");
        Self::new(
            ErrorCode::InternalError,
            "the server failed to handle the request; the error was logged",
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status());
        if let Some(seconds) = self.code.retry_after() {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str(),
                message: &self.message,
            },
        })
    }
}

impl From<IngestError> for ApiError {
    fn from(error: IngestError) -> Self {
        match error {
            IngestError::MalformedJson(message) => ApiError::new(ErrorCode::MalformedJson, message),
            IngestError::InvalidArticle { code, message } => {
                ApiError::new(ErrorCode::Article(code), message)
            }
        }
    }
}

impl From<SearchError> for ApiError {
    fn from(error: SearchError) -> Self {
        let message = error.to_string();
        let code = match error {
            SearchError::QuerySyntax { .. } => ErrorCode::QuerySyntaxError,
            SearchError::UnknownField { .. } => ErrorCode::UnknownField,
            SearchError::TooManyClauses { .. } => ErrorCode::TooManyClauses,
            SearchError::WindowTooLarge { .. } => ErrorCode::ResultWindowTooLarge,
            SearchError::Timeout { .. } => ErrorCode::SearchTimeout,
            SearchError::InvalidCursor => ErrorCode::InvalidCursor,
            SearchError::SpeakerNotFound { .. } => ErrorCode::SpeakerNotFound,
            SearchError::TooManyIntervals { .. } => ErrorCode::InvalidParameter,
            SearchError::Index(error) => return ApiError::internal(error),
        };
        ApiError::new(code, message)
    }
}

impl From<BackendError> for ApiError {
    fn from(error: BackendError) -> Self {
        match error {
            BackendError::Search(error) => error.into(),
            BackendError::Unavailable(message) => {
                ApiError::new(ErrorCode::IndexUnavailable, message)
            }
            BackendError::SnapshotExists(message) => {
                ApiError::new(ErrorCode::SnapshotExists, message)
            }
            BackendError::SnapshotFailed(message) => {
                ApiError::new(ErrorCode::SnapshotFailed, message)
            }
            BackendError::Store(message) => ApiError::internal(message),
            BackendError::NotSupported(message) => {
                ApiError::new(ErrorCode::NotImplemented, message)
            }
        }
    }
}

impl From<crate::fetch::FetchError> for ApiError {
    fn from(error: crate::fetch::FetchError) -> Self {
        use crate::fetch::FetchError;
        let message = error.to_string();
        let code = match error {
            FetchError::InvalidUrl { .. } => ErrorCode::FetchInvalidUrl,
            FetchError::UnknownHost { .. } => ErrorCode::FetchUnknownHost,
            FetchError::AddressNotAllowed { .. } => ErrorCode::FetchAddressNotAllowed,
            FetchError::DisallowedByRobots { .. } => ErrorCode::FetchDisallowedByRobots,
            FetchError::WrongType { .. } => ErrorCode::FetchNotHtml,
            FetchError::TooLarge { .. } => ErrorCode::FetchTooLarge,
            FetchError::NoArticle { .. } => ErrorCode::FetchNoArticle,
            FetchError::Redirects { .. } => ErrorCode::FetchRedirects,
            FetchError::Status { .. } | FetchError::Failed { .. } => ErrorCode::FetchFailed,
            FetchError::Timeout { .. } => ErrorCode::FetchTimeout,
        };
        ApiError::new(code, message)
    }
}

impl From<crate::feeds::FeedError> for ApiError {
    fn from(error: crate::feeds::FeedError) -> Self {
        use crate::feeds::FeedError;
        let message = error.to_string();
        let code = match error {
            FeedError::NotFound(_) => ErrorCode::FeedNotFound,
            FeedError::Exists { .. } => ErrorCode::FeedExists,
            FeedError::IntervalTooShort { .. } => ErrorCode::InvalidParameter,
            FeedError::State { .. } => return ApiError::internal(error),
        };
        ApiError::new(code, message)
    }
}

impl From<crate::alerts::AlertError> for ApiError {
    fn from(error: crate::alerts::AlertError) -> Self {
        use crate::alerts::AlertError;
        match error {
            AlertError::NotFound(_) => ApiError::new(ErrorCode::AlertNotFound, error.to_string()),
            AlertError::State { .. } => ApiError::internal(error),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::internal(error)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// The error-code table as README's "Error codes" section shows it.
    fn readme_table() -> String {
        let mut table =
            String::from("| status | code | `Retry-After` | meaning |\n|---|---|---|---|\n");
        let mut codes: Vec<ErrorCode> = ErrorCode::all().collect();
        codes.sort_by_key(|code| code.status());
        for code in codes {
            let retry = code
                .retry_after()
                .map_or(String::new(), |seconds| seconds.to_string());
            table.push_str(&format!(
                "| {} | `{}` | {retry} | {} |\n",
                code.status().as_u16(),
                code.as_str(),
                code.description()
            ));
        }
        table
    }

    #[test]
    fn the_readme_lists_every_error_code() {
        let readme = include_str!("../../README.md");
        let table = readme_table();
        assert!(
            readme.contains(&table),
            "README.md's error-code table differs from http::error::ErrorCode; it should read:\n{table}"
        );
    }

    #[test]
    fn a_code_string_means_one_status_except_invalid_id() {
        let mut statuses: HashMap<&str, Vec<u16>> = HashMap::new();
        for code in ErrorCode::all() {
            statuses
                .entry(code.as_str())
                .or_default()
                .push(code.status().as_u16());
            assert!(
                !code.description().ends_with('.'),
                "{code}: descriptions end without a period"
            );
        }
        statuses.retain(|_, list| list.len() > 1);
        assert_eq!(
            statuses,
            HashMap::from([("invalid_id", vec![400, 422])]),
            "an id in the path is a bad request (400), an id in an article an invalid article (422)"
        );
    }

    #[test]
    fn answers_carry_code_status_and_retry_after() {
        let response = ApiError::new(ErrorCode::Overloaded, "busy").error_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "1");
        let response = ApiError::from(IngestError::InvalidArticle {
            code: ArticleDefect::InvalidDate,
            message: "published: `x`".to_owned(),
        })
        .error_response();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.headers().get(header::RETRY_AFTER).is_none());
    }
}
