//! The one error type of the HTTP API. Every failure becomes
//! `{"error": {"code": "snake_case_code", "message": "human sentence"}}` with
//! the status that fits; nothing else in the crate knows HTTP statuses.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::indexing::snapshot::SnapshotError;
use crate::indexing::{IndexError, WriteError};
use crate::ingest::IngestError;
use crate::search::SearchError;

/// An error answered to an HTTP client.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable snake_case code clients can match on.
    pub code: &'static str,
    /// Human sentence saying what is wrong (and where).
    pub message: String,
    /// Seconds after which a retry may succeed (sets `Retry-After`).
    pub retry_after: Option<u32>,
}

/// The body of every error answer.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ErrorResponse)]
pub struct ErrorBody<'a> {
    /// What went wrong.
    error: ErrorDetail<'a>,
}

/// Code and message of an error.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ErrorDetail)]
pub struct ErrorDetail<'a> {
    /// Stable snake_case code to match on (`query_syntax_error`, `article_not_found`, ...).
    code: &'a str,
    /// Human sentence saying what is wrong and where.
    message: &'a str,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 for a bad parameter.
    pub fn bad_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_parameter", message)
    }

    /// 404 for a missing article.
    pub fn article_not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "article_not_found",
            format!("no article with id `{id}`"),
        )
    }

    /// 413 for a body over the limit.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is larger than the limit of {limit} bytes"),
        )
    }

    /// 500 for a failure that is ours, not the client's. The details go to the log.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "the server failed to handle the request; the error was logged",
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: &self.message,
            },
        })
    }
}

impl From<IngestError> for ApiError {
    fn from(error: IngestError) -> Self {
        match error {
            IngestError::MalformedJson(message) => {
                ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", message)
            }
            IngestError::InvalidArticle { code, message } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
        }
    }
}

impl From<SearchError> for ApiError {
    fn from(error: SearchError) -> Self {
        let message = error.to_string();
        match error {
            SearchError::QuerySyntax { .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, "query_syntax_error", message)
            }
            SearchError::UnknownField { .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, "unknown_field", message)
            }
            SearchError::TooManyClauses { .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, "too_many_clauses", message)
            }
            SearchError::WindowTooLarge { .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, "result_window_too_large", message)
            }
            SearchError::Timeout { .. } => {
                let mut api =
                    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "search_timeout", message);
                api.retry_after = Some(1);
                api
            }
            SearchError::InvalidCursor => {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_cursor", message)
            }
            SearchError::Index(error) => error.into(),
        }
    }
}

impl From<IndexError> for ApiError {
    fn from(error: IndexError) -> Self {
        ApiError::internal(error)
    }
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> Self {
        let mut api = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "index_unavailable",
            error.to_string(),
        );
        api.retry_after = Some(5);
        api
    }
}

impl From<SnapshotError> for ApiError {
    fn from(error: SnapshotError) -> Self {
        let message = error.to_string();
        match error {
            SnapshotError::DestinationExists(_) => {
                ApiError::new(StatusCode::CONFLICT, "snapshot_exists", message)
            }
            SnapshotError::Write { .. } | SnapshotError::Unstable => {
                let mut api =
                    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "snapshot_failed", message);
                api.retry_after = Some(5);
                api
            }
            SnapshotError::Index(error) => error.into(),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::internal(error)
    }
}
