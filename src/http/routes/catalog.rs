//! Facet catalogs for autocomplete and browsing: `/v1/speakers`,
//! `/v1/topics` and `/v1/entities` list values with counts, by prefix,
//! topics by parent and entities by type.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::http::dto::{
    entries_from_query_string, CatalogResponse, EntityCatalogResponse, SpeakerCatalogResponse,
};
use crate::http::error::{ApiError, ErrorBody, ErrorCode};
use crate::http::openapi::{CatalogQueryParams, EntityCatalogQueryParams};
use crate::http::{json_response, AppState};
use crate::model::EntityKind;
use crate::search::entity_catalog::entity_catalog;
use crate::search::speaker_catalog::speaker_catalog;
use crate::search::{facet_catalog, Target, FACET_TOPIC};

/// Every entity type, in the order `/v1/entities` lists them.
const ENTITY_KINDS: [EntityKind; 3] = [
    EntityKind::Person,
    EntityKind::Place,
    EntityKind::Organization,
];

struct CatalogParams {
    prefix: String,
    parent: Option<String>,
    kinds: Vec<EntityKind>,
    limit: usize,
    target: Target,
}

/// The catalog-specific parameter a catalog accepts besides `prefix`,
/// `limit` and `target`.
#[derive(Clone, Copy, PartialEq)]
enum ExtraParameter {
    None,
    Parent,
    Type,
}

fn catalog_params(
    request: &HttpRequest,
    state: &AppState,
    extra: ExtraParameter,
    default_target: Target,
) -> Result<CatalogParams, ApiError> {
    let allow_parent = extra == ExtraParameter::Parent;
    let mut params = CatalogParams {
        prefix: String::new(),
        parent: None,
        kinds: ENTITY_KINDS.to_vec(),
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
            "type" if extra == ExtraParameter::Type => {
                params.kinds = value
                    .split(',')
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .map(|name| {
                        ENTITY_KINDS
                            .into_iter()
                            .find(|kind| kind.as_str() == name)
                            .ok_or_else(|| {
                                ApiError::bad_parameter(format!(
                                    "`type` must be person, place or org, not `{}`",
                                    name.chars().take(64).collect::<String>()
                                ))
                            })
                    })
                    .collect::<Result<_, _>>()?;
                if params.kinds.is_empty() {
                    return Err(ApiError::bad_parameter(
                        "`type` must be person, place or org",
                    ));
                }
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
                let known = match extra {
                    ExtraParameter::Parent => "prefix, parent, limit, target",
                    ExtraParameter::Type => "type, prefix, limit, target",
                    ExtraParameter::None => "prefix, limit, target",
                };
                return Err(ApiError::new(
                    ErrorCode::UnknownParameter,
                    format!("unknown parameter `{other}`; known: {known}"),
                ));
            }
        }
    }
    Ok(params)
}

/// `GET /v1/speakers?prefix=&limit=`: speaker identities by number of quotes.
#[utoipa::path(get, path = "/v1/speakers", tag = "catalog",
    summary = "Speakers by number of quotes (autocomplete)",
    description = "Speaker identities across the corpus (`Reagan` and `Ronald Reagan` are one), \
                   most quoted first, with their kind, most frequent role and affiliation and the \
                   other names they appear under. `prefix` matches the canonical name or any alias.",
    params(CatalogQueryParams),
    responses(
        (status = 200, description = "Speakers with counts", body = SpeakerCatalogResponse),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    ))]
pub async fn speakers(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let params = catalog_params(&request, &state, ExtraParameter::None, Target::Quotes)?;
    let catalog = web::block(move || {
        speaker_catalog(&state.store, params.target, &params.prefix, params.limit)
    })
    .await??;
    Ok(json_response(
        StatusCode::OK,
        &SpeakerCatalogResponse::from(catalog),
    ))
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
    let params = catalog_params(&request, &state, ExtraParameter::Parent, Target::Articles)?;
    catalog(state, params, FACET_TOPIC).await
}

/// `GET /v1/entities?type=person|place|org&prefix=&limit=`: people, places
/// and organisations by number of articles naming them, people with the role
/// and affiliation the articles give most often.
#[utoipa::path(get, path = "/v1/entities", tag = "catalog",
    summary = "People, places and organisations by number of articles naming them",
    params(EntityCatalogQueryParams),
    responses(
        (status = 200, description = "Entities with counts, roles and affiliations", body = EntityCatalogResponse),
        (status = 400, description = "Bad parameter, such as an unknown `type`", body = ErrorBody),
    ))]
pub async fn entities(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let params = catalog_params(&request, &state, ExtraParameter::Type, Target::Articles)?;
    let catalog = web::block(move || {
        entity_catalog(
            &state.store,
            params.target,
            &params.kinds,
            &params.prefix,
            params.limit,
        )
    })
    .await??;
    Ok(json_response(
        StatusCode::OK,
        &EntityCatalogResponse::from(catalog),
    ))
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
