//! Facet catalogs for autocomplete and browsing: `/v1/speakers`,
//! `/v1/topics` and `/v1/entities` list values with counts, by prefix,
//! topics by parent and entities by type.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::backend::{Backend, BackendError};
use crate::http::dto::{CatalogResponse, EntityValueDto, FacetValueDto, SpeakerValueDto};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::params::{
    catalog_limit, Count, EntityCatalogParams, Given, Query, SpeakerCatalogParams,
    TopicCatalogParams,
};
use crate::http::{json_response, AppState};
use crate::search::{Target, FACET_TOPIC};

/// `GET /v1/speakers?prefix=&limit=`: speaker identities by number of quotes.
#[utoipa::path(get, path = "/v1/speakers", tag = "catalog",
    summary = "Speakers by number of quotes (autocomplete)",
    description = "Speaker identities across the corpus (`Reagan` and `Ronald Reagan` are one), \
                   most quoted first, with their kind, most frequent role and affiliation and the \
                   other names they appear under. `prefix` matches the canonical name or any alias.",
    params(SpeakerCatalogParams),
    responses(
        (status = 200, description = "Speakers with counts", body = CatalogResponse<SpeakerValueDto>),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    ))]
pub async fn speakers(
    Query(params): Query<SpeakerCatalogParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    answer_catalog::<_, SpeakerValueDto>(
        state,
        params.limit,
        params.target.0.map_or(Target::Quotes, Target::from),
        move |backend, target, limit| backend.speaker_catalog(target, &params.prefix, limit),
    )
    .await
}

/// `GET /v1/topics?prefix=&parent=&limit=`: topics by number of articles.
#[utoipa::path(get, path = "/v1/topics", tag = "catalog",
    summary = "Topics by number of articles",
    params(TopicCatalogParams),
    responses(
        (status = 200, description = "Topics with counts", body = CatalogResponse<FacetValueDto>),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    ))]
pub async fn topics(
    Query(params): Query<TopicCatalogParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if params
        .parent
        .0
        .as_ref()
        .is_some_and(|parent| !parent.starts_with('/'))
    {
        return Err(ApiError::bad_parameter(
            "`parent` must be a topic path such as /world",
        ));
    }
    answer_catalog::<_, FacetValueDto>(
        state,
        params.limit,
        params.target.0.map_or(Target::Articles, Target::from),
        move |backend, target, limit| {
            let parent = params.parent.0.as_deref();
            backend.facet_catalog(target, FACET_TOPIC, &params.prefix, parent, limit)
        },
    )
    .await
}

/// `GET /v1/entities?type=person|place|org&prefix=&limit=`: people, places
/// and organisations by number of articles naming them, people with the role
/// and affiliation the articles give most often.
#[utoipa::path(get, path = "/v1/entities", tag = "catalog",
    summary = "People, places and organisations by number of articles naming them",
    params(EntityCatalogParams),
    responses(
        (status = 200, description = "Entities with counts, roles and affiliations", body = CatalogResponse<EntityValueDto>),
        (status = 400, description = "Bad parameter, such as an unknown `type`", body = ErrorBody),
    ))]
pub async fn entities(
    Query(params): Query<EntityCatalogParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let kinds = params.kinds()?;
    answer_catalog::<_, EntityValueDto>(
        state,
        params.limit,
        params.target.0.map_or(Target::Articles, Target::from),
        move |backend, target, limit| backend.entity_catalog(target, &kinds, &params.prefix, limit),
    )
    .await
}

/// Answers a catalog request: `limit` checked, then `list` run with `target`
/// and the limit on the blocking pool, its values answered as a
/// [`CatalogResponse`] of `V`.
async fn answer_catalog<C, V>(
    state: web::Data<AppState>,
    limit: Given<Count>,
    target: Target,
    list: impl FnOnce(&dyn Backend, Target, usize) -> Result<C, BackendError> + Send + 'static,
) -> Result<HttpResponse, ApiError>
where
    C: Send + 'static,
    V: Serialize,
    CatalogResponse<V>: From<C>,
{
    let limit = catalog_limit(limit, &state.settings.search)?;
    let values = web::block(move || list(state.backend.as_ref(), target, limit)).await??;
    Ok(json_response(
        StatusCode::OK,
        &CatalogResponse::<V>::from(values),
    ))
}
