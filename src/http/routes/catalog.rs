//! Facet catalogs for autocomplete and browsing: `/v1/speakers` and
//! `/v1/topics` list values with counts, by prefix, and topics by parent.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::http::dto::{entries_from_query_string, CatalogResponse};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::openapi::CatalogQueryParams;
use crate::http::{json_response, AppState};
use crate::search::{facet_catalog, Target, FACET_SPEAKER, FACET_TOPIC};

struct CatalogParams {
    prefix: String,
    parent: Option<String>,
    limit: usize,
    target: Target,
}

fn catalog_params(
    request: &HttpRequest,
    state: &AppState,
    allow_parent: bool,
    default_target: Target,
) -> Result<CatalogParams, ApiError> {
    let mut params = CatalogParams {
        prefix: String::new(),
        parent: None,
        limit: state.settings.search.default_facet_limit,
        target: default_target,
    };
    let max = state.settings.search.max_facet_limit;
    for (name, value) in entries_from_query_string(request.query_string())? {
        let Value::String(value) = value else {
            unreachable!("query strings hold strings")
        };
        match name.as_str() {
            "prefix" => params.prefix = value,
            "parent" if allow_parent => {
                if !value.starts_with('/') {
                    return Err(ApiError::bad_parameter(
                        "`parent` must be a topic path such as /world",
                    ));
                }
                params.parent = Some(value)
            }
            "limit" => {
                params.limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|limit| (1..=max).contains(limit))
                    .ok_or_else(|| {
                        ApiError::bad_parameter(format!(
                            "`limit` must be an integer from 1 to {max}"
                        ))
                    })?
            }
            "target" => {
                params.target = match value.as_str() {
                    "quotes" => Target::Quotes,
                    "articles" => Target::Articles,
                    _ => {
                        return Err(ApiError::bad_parameter(
                            "`target` must be quotes or articles",
                        ))
                    }
                }
            }
            other => {
                let known = if allow_parent {
                    "prefix, parent, limit, target"
                } else {
                    "prefix, limit, target"
                };
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "unknown_parameter",
                    format!("unknown parameter `{other}`; known: {known}"),
                ));
            }
        }
    }
    Ok(params)
}

/// `GET /v1/speakers?prefix=&limit=`: speakers by number of quotes.
#[utoipa::path(get, path = "/v1/speakers", tag = "catalog",
    summary = "Speakers by number of quotes (autocomplete)",
    params(CatalogQueryParams),
    responses(
        (status = 200, description = "Speakers with counts", body = CatalogResponse),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    ))]
pub async fn speakers(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let params = catalog_params(&request, &state, false, Target::Quotes)?;
    catalog(state, params, FACET_SPEAKER).await
}

/// `GET /v1/topics?prefix=&parent=&limit=`: topics by number of articles.
#[utoipa::path(get, path = "/v1/topics", tag = "catalog",
    summary = "Topics by number of articles",
    params(CatalogQueryParams),
    responses(
        (status = 200, description = "Topics with counts", body = CatalogResponse),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    ))]
pub async fn topics(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let params = catalog_params(&request, &state, true, Target::Articles)?;
    catalog(state, params, FACET_TOPIC).await
}

async fn catalog(
    state: web::Data<AppState>,
    params: CatalogParams,
    facet: &'static str,
) -> Result<HttpResponse, ApiError> {
    let values = web::block(move || {
        facet_catalog(
            &state.store,
            params.target,
            facet,
            &params.prefix,
            params.parent.as_deref(),
            params.limit,
        )
    })
    .await??;
    Ok(json_response(
        StatusCode::OK,
        &CatalogResponse::from(values),
    ))
}
