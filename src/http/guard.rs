//! What stands between a request and a handler: CORS (`actix-cors`), the limit on requests in
//! flight, API-key authentication and the request deadline, plus the start-up
//! check that refuses to expose an unauthenticated server beyond loopback.
//!
//! What each route needs comes from the route table (`routes::ROUTES`): the
//! health check, pages and API description are open; reads (`GET`, and `POST`
//! searches) need the search or the admin key; everything else (writes,
//! deletes, `/v1/admin/...`) needs the admin key; bulk loads have no deadline;
//! only `/health` passes the in-flight limit when the server is full. Keys are
//! compared in constant time and never logged. Without configured keys every request is
//! let through, and [`check_listen_address`] keeps the server on loopback.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use actix_cors::{Cors, CorsError};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{Condition, Next};
use actix_web::{web, ResponseError};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

use super::error::{ApiError, ErrorCode};
use super::routes::route_table;
use super::routes::table::{Access, Admission, Policy};
use crate::config::{AuthSettings, Secret, Settings};

/// What `request` needs, from the route table, for the path actix routes on
/// (percent-decoded), not the raw one.
fn policy(request: &ServiceRequest) -> Policy {
    route_table().policy(request.method(), request.match_info().get_ref().path())
}

/// Which key a caller presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Admin,
    Searcher,
}

/// Shared state of the guards, built once from settings.
#[derive(Debug)]
pub struct Guards {
    auth: AuthSettings,
    in_flight: Option<Arc<Semaphore>>,
    request_timeout: Option<Duration>,
}

impl Guards {
    /// Guards configured by `settings`.
    pub fn from_settings(settings: &Settings) -> Guards {
        let server = &settings.server;
        Guards {
            auth: settings.auth.clone(),
            in_flight: (server.max_concurrent_requests > 0)
                .then(|| Arc::new(Semaphore::new(server.max_concurrent_requests))),
            request_timeout: (server.request_timeout_ms > 0)
                .then(|| Duration::from_millis(server.request_timeout_ms)),
        }
    }

    /// Checks the `Authorization` header against the configured keys.
    fn authenticate(&self, request: &ServiceRequest) -> Result<Option<Caller>, ApiError> {
        if !self.auth.is_enabled() {
            return Ok(None);
        }
        let Some(value) = request.headers().get(header::AUTHORIZATION) else {
            return Err(ApiError::new(
                ErrorCode::MissingApiKey,
                "this endpoint needs an API key: send `Authorization: Bearer <key>`",
            ));
        };
        let presented = value
            .to_str()
            .ok()
            .and_then(|text| {
                let (scheme, key) = text.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
            })
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidApiKey,
                    "the Authorization header must be `Bearer <key>`",
                )
            })?;
        // Both comparisons always run, so timing does not tell which key is close.
        let is_admin = key_matches(&self.auth.admin_key, presented);
        let is_searcher = key_matches(&self.auth.search_key, presented);
        if is_admin {
            Ok(Some(Caller::Admin))
        } else if is_searcher {
            Ok(Some(Caller::Searcher))
        } else {
            Err(ApiError::new(
                ErrorCode::InvalidApiKey,
                "the API key is not valid",
            ))
        }
    }

    /// Whether `request` carries the key its route needs (any request, when
    /// no keys are configured): `401` without a valid key, `403` when the
    /// search key is used where the admin key is needed.
    fn check_key(&self, request: &ServiceRequest) -> Result<(), ApiError> {
        let access = policy(request).access;
        if access == Access::Open {
            return Ok(());
        }
        match self.authenticate(request)? {
            None | Some(Caller::Admin) => Ok(()),
            Some(Caller::Searcher) if access == Access::Read => Ok(()),
            Some(Caller::Searcher) => Err(ApiError::new(
                ErrorCode::Forbidden,
                format!(
                    "the search key cannot {} {}; use the admin key",
                    request.method(),
                    request.path()
                ),
            )),
        }
    }
}

/// Compares a presented key with a configured one in time that depends only
/// on the configured key's length (the presented key is read at the
/// configured key's length, zero-padded; the lengths are compared apart), with
/// `subtle`'s constant-time comparisons. An unset key matches nothing.
fn key_matches(configured: &Secret, presented: &str) -> bool {
    let secret = configured.expose().as_bytes();
    if secret.is_empty() {
        return false;
    }
    let presented = presented.as_bytes();
    let padded: Vec<u8> = (0..secret.len())
        .map(|index| presented.get(index).copied().unwrap_or(0))
        .collect();
    let same_bytes = padded.as_slice().ct_eq(secret);
    let same_length = (secret.len() as u64).ct_eq(&(presented.len() as u64));
    (same_bytes & same_length).into()
}

fn guards(request: &ServiceRequest) -> Option<web::Data<Guards>> {
    request.app_data::<web::Data<Guards>>().cloned()
}

fn reject(request: ServiceRequest, error: &ApiError) -> ServiceResponse<BoxBody> {
    let mut response = error.error_response();
    if error.status() == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"verbatim\""),
        );
    }
    request.into_response(response)
}

/// Hands the request on to the next service, untouched.
async fn pass(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    Ok(next.call(request).await?.map_into_boxed_body())
}

/// CORS, by `actix-cors`, for the origins of `server.cors_origins` (`*` for
/// any). A preflight from an allowed origin (`OPTIONS` with
/// `Access-Control-Request-Method`) is answered here, before authentication,
/// as browsers send it without credentials; other responses to an allowed
/// origin, errors included, get `Access-Control-Allow-Origin`. A request from
/// another origin is served as if it had none (a browser then withholds the
/// answer from the page), and a preflight the origins, methods or headers do
/// not allow is refused (see [`cors_refusals_as_json`]). With no origins
/// configured there is no CORS at all.
pub fn cors(origins: &[String]) -> Condition<Cors> {
    let mut cors = Cors::default()
        .allowed_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(600);
    for origin in origins {
        cors = if origin == "*" {
            cors.allow_any_origin()
        } else {
            cors.allowed_origin(origin)
        };
    }
    Condition::new(!origins.is_empty(), cors)
}

/// Middleware, outside [`cors`]: a preflight `actix-cors` refuses (its
/// plain-text `400`) becomes the API's JSON error `cors_rejected`.
pub async fn cors_refusals_as_json(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let response = next.call(request).await?.map_into_boxed_body();
    let refusal = response
        .response()
        .error()
        .and_then(|error| error.as_error::<CorsError>())
        .map(|refusal| format!("CORS preflight refused: {refusal}"));
    let Some(message) = refusal else {
        return Ok(response);
    };
    let (request, _) = response.into_parts();
    let mut answer = ApiError::new(ErrorCode::CorsRejected, message).error_response();
    answer
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Origin"));
    Ok(ServiceResponse::new(request, answer))
}

/// Middleware: at most `server.max_concurrent_requests` requests in flight;
/// beyond that, `503 overloaded` with `Retry-After` at once rather than a queue.
/// `/health` is never refused, so a busy server is not taken for a dead one.
pub async fn limit_in_flight(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let semaphore = guards(&request)
        .filter(|_| policy(&request).admission == Admission::Limited)
        .and_then(|guards| guards.in_flight.clone());
    let Some(semaphore) = semaphore else {
        return pass(request, next).await;
    };
    let Ok(_permit) = semaphore.try_acquire_owned() else {
        let error = ApiError::new(
            ErrorCode::Overloaded,
            "the server is handling as many requests as it allows; retry shortly",
        );
        return Ok(reject(request, &error));
    };
    pass(request, next).await
}

/// Middleware: API keys. `401` without a valid key, `403` when the search key
/// is used where the admin key is needed.
pub async fn authenticate(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let verdict = guards(&request).map_or(Ok(()), |guards| guards.check_key(&request));
    match verdict {
        Ok(()) => pass(request, next).await,
        Err(error) => Ok(reject(request, &error)),
    }
}

/// Middleware: answers `503 request_timeout` when a request runs longer than
/// `server.request_timeout_ms` (bulk loads exempt). A write cut off this way
/// was not acknowledged: it may or may not have been applied, and sending it
/// again is safe (writes are upserts by id).
pub async fn enforce_deadline(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let timeout = guards(&request).and_then(|guards| guards.request_timeout);
    let Some(timeout) = timeout.filter(|_| policy(&request).deadline) else {
        return pass(request, next).await;
    };
    match tokio::time::timeout(timeout, next.call(request)).await {
        Ok(response) => Ok(response?.map_into_boxed_body()),
        Err(_) => {
            let error = ApiError::new(
                ErrorCode::RequestTimeout,
                format!(
                    "the request took longer than {} ms and was abandoned",
                    timeout.as_millis()
                ),
            );
            // The request itself went to the abandoned handler; the error
            // becomes the response (ApiError renders itself).
            Err(error.into())
        }
    }
}

/// Errors of the start-up security check.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// The listen address does not resolve.
    #[error("cannot resolve the listen address `{address}`: {source}")]
    Unresolvable {
        /// The address.
        address: String,
        /// Why.
        source: std::io::Error,
    },
    /// No keys, not loopback, no explicit opt-in.
    #[error(
        "refusing to listen on {address} without API keys: anyone who can reach it could \
         change the index. Set VERBATIM_ADMIN_KEY (and VERBATIM_SEARCH_KEY), listen on \
         127.0.0.1, or opt in with --allow-unauthenticated / VERBATIM_ALLOW_UNAUTHENTICATED=1"
    )]
    Unauthenticated {
        /// The address.
        address: String,
    },
}

/// Refuses a non-loopback listen address when no key is configured, unless
/// `server.allow_unauthenticated`; logs what it decided.
pub fn check_listen_address(settings: &Settings) -> Result<(), ListenError> {
    let address = &settings.server.listen;
    if settings.auth.is_enabled() {
        tracing::info!(
            search_key = !settings.auth.search_key.is_empty(),
            "API keys configured: writes need the admin key, reads a key"
        );
        return Ok(());
    }
    let resolved: Vec<SocketAddr> = address
        .to_socket_addrs()
        .map_err(|source| ListenError::Unresolvable {
            address: address.clone(),
            source,
        })?
        .collect();
    let loopback_only = !resolved.is_empty() && resolved.iter().all(|a| a.ip().is_loopback());
    if loopback_only {
        tracing::warn!(
            "no API keys configured: anyone on this machine can read and write; \
             listening on loopback only"
        );
        Ok(())
    } else if settings.server.allow_unauthenticated {
        tracing::warn!(
            %address,
            "no API keys configured and listening beyond loopback (allow_unauthenticated): \
             anyone who can reach this address can change the index"
        );
        Ok(())
    } else {
        Err(ListenError::Unauthenticated {
            address: address.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_exactly() {
        let key = Secret::new("admin-key-0123456789");
        assert!(key_matches(&key, "admin-key-0123456789"));
        assert!(!key_matches(&key, "admin-key-012345678"));
        assert!(!key_matches(&key, "admin-key-01234567890"));
        assert!(!key_matches(&key, "Admin-key-0123456789"));
        assert!(!key_matches(&key, ""));
        assert!(!key_matches(&Secret::default(), ""));
    }

    #[test]
    fn unauthenticated_servers_stay_on_loopback() {
        let mut settings = Settings::built_in();
        settings.server.listen = "127.0.0.1:0".to_owned();
        assert!(check_listen_address(&settings).is_ok());
        settings.server.listen = "0.0.0.0:7700".to_owned();
        assert!(matches!(
            check_listen_address(&settings),
            Err(ListenError::Unauthenticated { .. })
        ));
        settings.server.allow_unauthenticated = true;
        assert!(check_listen_address(&settings).is_ok());
        settings.server.allow_unauthenticated = false;
        settings.auth.admin_key = Secret::new("admin-key-0123456789");
        assert!(check_listen_address(&settings).is_ok());
    }
}
