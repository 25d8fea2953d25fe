//! `POST /v1/quotes/verify`: the attested quotes closest to a claimed one,
//! with a verdict (see [`crate::search::verify`]).

use actix_web::{web, HttpResponse};

use crate::http::dto::{verify_response, VerifyResponse};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::params::{Json, VerifyParams};
use crate::http::{timed_json_response, AppState};

/// `POST /v1/quotes/verify`.
#[utoipa::path(post, path = "/v1/quotes/verify", tag = "search",
    summary = "Verify a claimed quote",
    description = "Did they really say that? The attested quotes closest to `text`, best first, \
                   each with its similarity (words and characters; robust to reordering, dropped \
                   words, function-word changes, quotation marks and case), a word diff, whether \
                   its speaker is the claimed `speaker` (an alias matches its identity) and the \
                   earliest article that carries it; and a `verdict`: `exact`, `close`, \
                   `attributed_to_other` or `not_found`. A read: the search key may call it.",
    request_body(content = VerifyParams, content_type = "application/json"),
    responses(
        (status = 200, description = "The verdict and the closest attested quotes", body = VerifyResponse),
        (status = 400, description = "Empty or too long `text`, a parameter of the wrong type, out of range or unknown", body = ErrorBody),
    ))]
pub async fn verify_quote(
    Json(params): Json<VerifyParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request = params.into_request(&state.settings.search)?;
    timed_json_response(
        move || Ok(state.backend.verify(&request)?),
        |verification, took_ms| serde_json::to_vec(&verify_response(verification, took_ms)),
    )
    .await
}
