//! `/v1/admin/...`: operations for whoever runs the server (admin key only).
//! `POST /v1/admin/snapshot` writes a consistent copy of the index under
//! `index.snapshot_dir` while the server keeps serving.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::http::error::{ApiError, ErrorBody};
use crate::http::params::Json;
use crate::http::{json_response, AppState};

/// Longest snapshot name, in characters.
const MAX_SNAPSHOT_NAME_CHARS: usize = 128;

/// Body of `POST /v1/admin/snapshot`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SnapshotResponse {
    /// The snapshot's directory name.
    name: String,
    /// Where the copy is, on the server.
    path: String,
    /// Files copied.
    files: usize,
    /// Bytes copied.
    bytes: u64,
    /// Segments in the copied state.
    segments: usize,
    /// Documents (articles and quotes) in the copied state.
    documents: u64,
    /// tantivy opstamp of the copied commit.
    opstamp: u64,
}

/// Request body of `POST /v1/admin/snapshot` (optional).
#[derive(Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SnapshotRequest {
    /// Directory name under `index.snapshot_dir`: letters, digits, `-`, `_`, `.`
    /// (default: the UTC time).
    #[schema(pattern = r"^[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,127}$")]
    name: Option<String>,
}

/// `POST /v1/admin/snapshot` with an optional body `{"name": "..."}`.
#[utoipa::path(post, path = "/v1/admin/snapshot", tag = "operations",
    summary = "Back up the index",
    description = "Admin key. Writes a consistent copy of the last committed state under \
                   `index.snapshot_dir` while the server keeps serving; \
                   `verbatim serve --index-dir PATH` serves it.",
    request_body(description = "Optional name", content(
        (SnapshotRequest = "application/json"),
    )),
    responses(
        (status = 201, description = "Written", body = SnapshotResponse),
        (status = 400, description = "Invalid name or body", body = ErrorBody),
        (status = 409, description = "A snapshot with this name exists", body = ErrorBody),
        (status = 503, description = "The copy could not be written; retry", body = ErrorBody),
    ))]
pub async fn create_snapshot(
    Json(request): Json<SnapshotRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let name = snapshot_name(request)?;
    let snapshot_name = name.clone();
    let summary = state
        .on_backend(move |backend| backend.snapshot(&snapshot_name))
        .await?;
    tracing::info!(
        path = %summary.location,
        files = summary.files,
        bytes = summary.bytes,
        "snapshot written"
    );
    Ok(json_response(
        StatusCode::CREATED,
        &SnapshotResponse {
            name,
            path: summary.location,
            files: summary.files,
            bytes: summary.bytes,
            segments: summary.segments,
            documents: summary.documents,
            opstamp: summary.opstamp,
        },
    ))
}

/// The snapshot's directory name: from the request, or the current UTC time.
fn snapshot_name(request: SnapshotRequest) -> Result<String, ApiError> {
    match request.name {
        None => {
            let now = time::OffsetDateTime::now_utc();
            let format = time::macros::format_description!(
                "snapshot-[year][month][day]T[hour][minute][second].[subsecond digits:3]Z"
            );
            now.format(&format).map_err(ApiError::internal)
        }
        Some(name) if is_valid_snapshot_name(&name) => Ok(name),
        Some(_) => Err(ApiError::bad_parameter(format!(
            "`name` must be 1 to {MAX_SNAPSHOT_NAME_CHARS} letters, digits, `-`, `_` or `.`, \
             not starting with `.`"
        ))),
    }
}

fn is_valid_snapshot_name(name: &str) -> bool {
    (1..=MAX_SNAPSHOT_NAME_CHARS).contains(&name.chars().count())
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::error::ErrorCode;
    use crate::http::params::from_json_body;

    #[test]
    fn names_cannot_escape_the_snapshot_directory() {
        for bad in ["", "..", "../x", "a/b", ".hidden", "a b", "x\u{0}"] {
            assert!(!is_valid_snapshot_name(bad), "{bad:?}");
        }
        assert!(is_valid_snapshot_name("nightly-2024.05.01"));
        let name = |body: &[u8]| from_json_body(body).and_then(snapshot_name);
        assert!(name(b"").unwrap().starts_with("snapshot-"));
        assert_eq!(name(br#"{"name": "a1"}"#).unwrap(), "a1");
        assert_eq!(
            name(br#"{"name": "../etc"}"#).unwrap_err().code,
            ErrorCode::InvalidParameter
        );
        assert_eq!(
            name(br#"{"dir": "/"}"#).unwrap_err().code,
            ErrorCode::UnknownParameter
        );
    }
}
