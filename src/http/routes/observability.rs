//! `/metrics` (Prometheus) and `/v1/openapi.json` (the API contract).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::http::error::ApiError;
use crate::http::metrics::render_metrics;
use crate::http::AppState;
use crate::metrics::PROMETHEUS_CONTENT_TYPE;

/// `GET /metrics`: every metric in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    summary = "Prometheus metrics",
    description = "Requests and latency by route pattern and status, documents, index size, \
                   commits and their duration, analysis time, queue depths.",
    responses((status = 200, description = "Prometheus text format 0.0.4", body = String, content_type = "text/plain")))]
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let text = web::block(move || render_metrics(&state)).await??;
    Ok(HttpResponse::Ok()
        .content_type(PROMETHEUS_CONTENT_TYPE)
        .body(text))
}

/// `GET /v1/openapi.json`: the OpenAPI 3.1 description of this API.
#[utoipa::path(get, path = "/v1/openapi.json", tag = "operations",
    summary = "This description (OpenAPI 3.1)",
    responses((status = 200, description = "The OpenAPI document", body = Object, content_type = "application/json")))]
pub async fn openapi(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::build(StatusCode::OK)
        .content_type("application/json")
        .body(state.openapi_json)
}
