//! Request ids and the access log.
//!
//! Every request gets an id: the caller's `x-request-id` when it sends a sane
//! one (1 to 64 characters of `A-Z a-z 0-9 - _ . :`), else a fresh UUID from
//! `tracing-actix-web`. [`RequestSpan`] puts it in the root span of the
//! request, so every log line written while handling the request carries
//! `request_id` (as a span field in text logs, in `span` in JSON logs);
//! [`finish_request`] returns it in the `x-request-id` response header and
//! writes one `request finished` line per request with status and latency.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

/// The header that carries request ids, both ways.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Longest accepted incoming request id.
const MAX_REQUEST_ID_CHARS: usize = 64;

/// The id of the current request, as answered in [`REQUEST_ID_HEADER`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestIdValue(pub String);

/// Whether an incoming request id is safe to log and echo.
pub fn is_acceptable_request_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Root span of every request: method, path, request id and (at the end) status.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let incoming = request
            .headers()
            .get(REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .filter(|id| is_acceptable_request_id(id))
            .map(str::to_owned);
        let id = incoming.unwrap_or_else(|| {
            request
                .extensions()
                .get::<RequestId>()
                .map(|generated| generated.to_string())
                .unwrap_or_default()
        });
        let span = tracing::info_span!(
            "request",
            method = %request.method(),
            path = %request.path(),
            request_id = %id,
            status = tracing::field::Empty,
        );
        request.extensions_mut().insert(RequestIdValue(id));
        span
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("status", status.as_u16());
    }
}

/// Middleware (inside the tracing span): sets `x-request-id` on the response
/// and logs one line per request.
pub async fn finish_request(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = request.extensions().get::<RequestIdValue>().cloned();
    let started = Instant::now();
    let mut outcome = next.call(request).await;
    let elapsed_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    match &mut outcome {
        Ok(response) => {
            if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id.0).ok()) {
                response
                    .headers_mut()
                    .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
            }
            let status = response.status().as_u16();
            if status >= 500 {
                tracing::warn!(status, elapsed_ms, "request finished");
            } else {
                tracing::info!(status, elapsed_ms, "request finished");
            }
        }
        Err(error) => {
            tracing::warn!(%error, elapsed_ms, "request failed");
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sane_incoming_ids_are_kept() {
        assert!(is_acceptable_request_id("abc-123_x.y:z"));
        assert!(is_acceptable_request_id(&"a".repeat(64)));
        for bad in [
            "",
            "has space",
            "new\nline",
            "quote\"",
            &"a".repeat(65),
            "é",
        ] {
            assert!(!is_acceptable_request_id(bad), "{bad:?}");
        }
    }
}
