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
use crate::search::{CatalogRequest, Target, FACET_TOPIC};

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
        params.target.0.map_or(Target::Quotes, Target::from),
        params.prefix,
        params.limit,
        |backend, catalog| backend.speaker_catalog(catalog),
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
    let parent = params.parent.0;
    answer_catalog::<_, FacetValueDto>(
        state,
        params.target.0.map_or(Target::Articles, Target::from),
        params.prefix,
        params.limit,
        move |backend, catalog| backend.facet_catalog(catalog, FACET_TOPIC, parent.as_deref()),
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
        params.target.0.map_or(Target::Articles, Target::from),
        params.prefix,
        params.limit,
        move |backend, catalog| backend.entity_catalog(catalog, &kinds),
    )
    .await
}

/// Answers a catalog request: `limit` checked, then `list` run with the
/// [`CatalogRequest`] on the blocking pool, its values answered as a
/// [`CatalogResponse`] of `V`.
async fn answer_catalog<C, V>(
    state: web::Data<AppState>,
    target: Target,
    prefix: String,
    limit: Given<Count>,
    list: impl FnOnce(&dyn Backend, &CatalogRequest) -> Result<C, BackendError> + Send + 'static,
) -> Result<HttpResponse, ApiError>
where
    C: Send + 'static,
    V: Serialize,
    CatalogResponse<V>: From<C>,
{
    let catalog = CatalogRequest {
        target,
        prefix,
        limit: catalog_limit(limit, &state.settings.search)?,
    };
    let values = state
        .on_backend(move |backend| list(backend, &catalog))
        .await?;
    Ok(json_response(
        StatusCode::OK,
        &CatalogResponse::<V>::from(values),
    ))
}
