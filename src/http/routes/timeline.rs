//! `GET /v1/speakers/{name}/timeline`: a speaker's quotes and statements per
//! month, week or day, split by topic, with the speakers quoted in the same
//! articles.

use actix_web::{web, HttpResponse};

use crate::http::dto::TimelineResponse;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::params::{Query, TimelineParams};
use crate::http::{timed_json_response, AppState};

/// `GET /v1/speakers/{name}/timeline?interval=&topic=&from=&to=&speakers_limit=`.
#[utoipa::path(get, path = "/v1/speakers/{name}/timeline", tag = "catalog",
    summary = "A speaker's quotes and statements over time, by topic",
    description = "The speaker's quotes and statements (copies of one statement folded) per \
                   month, week or day, split by topic (top-level topics, or the children of \
                   `topic`), with the speakers quoted most often in the same articles. `name` is \
                   any name of the identity: canonical, alias, or a surname the registry links. \
                   Each interval's `quotes` equals the `total` of `/v1/quotes` with the same \
                   speaker, topic and dates; its `statements` that of the same search with \
                   `group=statement`.",
    params(
        ("name" = String, Path, description = "The speaker: canonical name or any alias", min_length = 1, max_length = 256),
        TimelineParams,
    ),
    responses(
        (status = 200, description = "The timeline", body = TimelineResponse),
        (status = 400, description = "Bad parameter, such as an unknown `interval`", body = ErrorBody),
        (status = 404, description = "No speaker identity has this name", body = ErrorBody),
    ))]
pub async fn speaker_timeline_route(
    name: web::Path<String>,
    Query(params): Query<TimelineParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request = params.into_request(name.into_inner())?;
    timed_json_response(
        move || Ok(state.backend.speaker_timeline(&request)?),
        |timeline, took_ms| serde_json::to_vec(&TimelineResponse::new(&timeline, took_ms)),
    )
    .await
}
