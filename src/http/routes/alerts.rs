//! `/v1/alerts`: saved searches that push new matching quotes to a webhook
//! and to a Server-Sent Events stream.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::{self, ContentEncoding};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;

use crate::alerts::deliver::{delivery_body, rfc3339};
use crate::alerts::{Alert, AlertStore, Delivery, DeliveryStatus, Event};
use crate::http::error::{AlertNotFoundResponse, ApiError, ErrorBody};
use crate::http::json_response;
use crate::http::params::{
    AlertIdPath, AlertParams, AlertQueryParams, EventStreamParams, Json, Query,
    MAX_ALERT_NAME_CHARS,
};
use crate::http::AppState;
use crate::search::hit::HitDocument;
use crate::search::SearchHit;

/// A comment sent on an idle event stream so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Events read from the store at a time by a stream.
const STREAM_PAGE: usize = 256;

/// A saved search.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AlertDto {
    /// Random id.
    id: String,
    /// Its name.
    name: String,
    /// The `/v1/quotes` parameters it matches new quotes with.
    #[schema(value_type = AlertQueryParams)]
    query: Value,
    /// Where matching quotes are `POST`ed.
    webhook: Option<String>,
    /// When it was created (RFC 3339).
    created: String,
    /// Id of its last event (0 before the first).
    last_event_id: u64,
}

/// An alert as created: the alert, with the secret that signs its webhook
/// deliveries, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedAlertDto {
    /// The alert (its last event id 0).
    #[serde(flatten)]
    alert: AlertDto,
    /// HMAC-SHA256 key (64 hex characters, used as text) of the
    /// `X-Verbatim-Signature: sha256=<hex>` header of its deliveries. Never
    /// shown again.
    secret: String,
}

fn alert_dto(alert: Alert, last_event_id: u64) -> AlertDto {
    AlertDto {
        id: alert.id,
        name: alert.name,
        query: alert.query,
        webhook: alert.webhook,
        created: rfc3339(alert.created),
        last_event_id,
    }
}

/// Body of `GET /v1/alerts`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AlertListResponse {
    /// Every alert, oldest first.
    alerts: Vec<AlertDto>,
}

/// The delivery of one event to the alert's webhook.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DeliveryDto {
    /// The event.
    event: u64,
    /// `pending` (retried at `next_attempt`), `delivered` (answered 2xx) or
    /// `failed` (given up).
    status: DeliveryStatus,
    /// Attempts made.
    attempts: u32,
    /// HTTP status of the last answer.
    last_status: Option<u16>,
    /// Why the last attempt failed.
    last_error: Option<String>,
    /// When the last attempt was made (RFC 3339).
    last_attempt: Option<String>,
    /// When it is tried next, while pending (RFC 3339).
    next_attempt: Option<String>,
}

impl From<Delivery> for DeliveryDto {
    fn from(delivery: Delivery) -> Self {
        let millis = |ms: i64| rfc3339(ms.div_euclid(1000));
        DeliveryDto {
            event: delivery.event,
            status: delivery.status,
            attempts: delivery.attempts,
            last_status: delivery.last_status,
            last_error: delivery.last_error,
            last_attempt: delivery.last_attempt.map(millis),
            next_attempt: (delivery.status == DeliveryStatus::Pending)
                .then(|| millis(delivery.next_attempt)),
        }
    }
}

/// Body of `GET /v1/alerts/{id}/deliveries`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DeliveryListResponse {
    /// The alert.
    alert: String,
    /// Every pending delivery and the last 1,000 finished, oldest event first.
    deliveries: Vec<DeliveryDto>,
}

/// `POST /v1/alerts`.
#[utoipa::path(post, path = "/v1/alerts", tag = "alerts",
    summary = "Save a search that pushes new quotes",
    description = "Every quote new to the index that matches `query` (read as `/v1/quotes` reads its \
                   parameters) becomes an event: on `GET /v1/alerts/{id}/events` (Server-Sent Events) \
                   and, with a `webhook`, `POST`ed there signed with the `secret` this answer carries \
                   (once). An update that leaves a quote unchanged, or a reprint of a statement \
                   already in the index, does not fire. The webhook's address must be public unless \
                   `fetch.allow_private_addresses` (`fetch_address_not_allowed`), here and at every delivery.",
    request_body(content = AlertParams, content_type = "application/json"),
    responses(
        (status = 201, description = "Saved; the only answer that shows the secret", body = CreatedAlertDto),
        (status = 400, description = "Malformed JSON, a missing or empty `name`, an unknown or bad query parameter, or a query that does not parse", body = ErrorBody),
        (status = 403, description = "`fetch_address_not_allowed`: the webhook's address is not public", body = ErrorBody),
        (status = 422, description = "`fetch_invalid_url` or `fetch_unknown_host`: the webhook URL", body = ErrorBody),
    ))]
pub async fn create_alert(
    Json(params): Json<AlertParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let name = params.name.trim().to_owned();
    if name.is_empty() {
        return Err(ApiError::bad_parameter("`name` must not be empty"));
    }
    if name.chars().count() > MAX_ALERT_NAME_CHARS {
        return Err(ApiError::bad_parameter(format!(
            "`name` is longer than {MAX_ALERT_NAME_CHARS} characters"
        )));
    }
    let request = AlertQueryParams::read(&params.query, &state.settings.search)?;
    state
        .on_backend(move |backend| backend.check_search(&request))
        .await?;
    let webhook = match params.webhook {
        Some(url) => Some(state.checked_url(url).await?.to_string()),
        None => None,
    };
    let alert = state.alerts.add(&name, params.query, webhook)?;
    let secret = alert.secret.clone();
    Ok(json_response(
        StatusCode::CREATED,
        &CreatedAlertDto {
            alert: alert_dto(alert, 0),
            secret,
        },
    ))
}

/// `GET /v1/alerts`.
#[utoipa::path(get, path = "/v1/alerts", tag = "alerts",
    summary = "List alerts",
    description = "Every alert, without its secret.",
    responses((status = 200, description = "Every alert", body = AlertListResponse)))]
pub async fn list_alerts(state: web::Data<AppState>) -> HttpResponse {
    let (alerts, _) = state.alerts.alerts();
    let alerts = alerts
        .into_iter()
        .map(|alert| {
            let last = state.alerts.last_event_id(&alert.id).unwrap_or(0);
            alert_dto(alert, last)
        })
        .collect();
    json_response(StatusCode::OK, &AlertListResponse { alerts })
}

/// `GET /v1/alerts/{id}`.
#[utoipa::path(get, path = "/v1/alerts/{id}", tag = "alerts",
    summary = "An alert",
    params(AlertIdPath),
    responses(
        (status = 200, description = "The alert, without its secret", body = AlertDto),
        AlertNotFoundResponse,
    ))]
pub async fn get_alert(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let alert = state.alerts.get(&id)?;
    let last = state.alerts.last_event_id(&id)?;
    Ok(json_response(StatusCode::OK, &alert_dto(alert, last)))
}

/// `DELETE /v1/alerts/{id}`.
#[utoipa::path(delete, path = "/v1/alerts/{id}", tag = "alerts",
    summary = "Delete an alert",
    description = "Its events and pending deliveries go with it; open event streams end.",
    params(AlertIdPath),
    responses(
        (status = 200, description = "Deleted; the alert as it was", body = AlertDto),
        AlertNotFoundResponse,
    ))]
pub async fn delete_alert(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let last = state.alerts.last_event_id(&id)?;
    let alert = state.alerts.remove(&id)?;
    Ok(json_response(StatusCode::OK, &alert_dto(alert, last)))
}

/// `GET /v1/alerts/{id}/deliveries`.
#[utoipa::path(get, path = "/v1/alerts/{id}/deliveries", tag = "alerts",
    summary = "The alert's webhook deliveries",
    description = "Each event's delivery: status, attempts, last answer and error. Failed attempts \
                   are retried after 1 s, 2 s, 4 s, ... (at most an hour apart), 12 attempts in all.",
    params(AlertIdPath),
    responses(
        (status = 200, description = "The delivery log", body = DeliveryListResponse),
        AlertNotFoundResponse,
    ))]
pub async fn alert_deliveries(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let deliveries = state.alerts.deliveries(&id)?;
    Ok(json_response(
        StatusCode::OK,
        &DeliveryListResponse {
            alert: id.into_inner(),
            deliveries: deliveries.into_iter().map(DeliveryDto::from).collect(),
        },
    ))
}

/// `GET /v1/alerts/{id}/events`.
#[utoipa::path(get, path = "/v1/alerts/{id}/events", tag = "alerts",
    summary = "The alert's new quotes as Server-Sent Events",
    description = "A `text/event-stream` that stays open: each event has `id:` (increasing by one \
                   per alert), `event: quote` and `data:` the JSON a webhook receives (`alert`, \
                   `alert_name`, `event`, `time`, `quote` shaped as a `/v1/quotes` hit); a \
                   `: keep-alive` comment every 15 s. Events are kept at least 24 hours, and the \
                   newest 10,000 per alert however old, across restarts: the `Last-Event-ID` \
                   header that EventSource clients send on reconnecting (an event id from 0 to \
                   2^63-1; it wins over `last_event_id`), or `last_event_id`, resumes after that \
                   event. The header is described here rather than declared as a parameter: a \
                   declared header makes other, unknown headers look like errors to contract \
                   checkers, and the server never refuses an unknown header.",
    params(
        AlertIdPath,
        EventStreamParams,
    ),
    responses(
        (status = 200, description = "The stream: one `StreamEvent` per new quote",
            content_type = "text/event-stream", body = StreamEvent),
        (status = 400, description = "A bad `last_event_id` or `Last-Event-ID`", body = ErrorBody),
        AlertNotFoundResponse,
    ))]
pub async fn alert_events(
    id: web::Path<String>,
    request: HttpRequest,
    Query(params): Query<EventStreamParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let alert = state.alerts.get(&id)?;
    let from_header = match request.headers().get("Last-Event-ID") {
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|text| text.trim().parse::<u64>().ok())
                .filter(|id| *id <= i64::MAX as u64)
                .ok_or_else(|| {
                    ApiError::bad_parameter(format!(
                        "`Last-Event-ID` must be an event id (an integer from 0 to {})",
                        i64::MAX
                    ))
                })?,
        ),
        None => None,
    };
    let from_query = params.last_event_id()?;
    let after = match from_header.or(from_query) {
        Some(after) => after,
        None => state.alerts.last_event_id(&alert.id)?,
    };
    let stream = EventStream {
        alerts: state.alerts.clone(),
        changes: state.alerts.subscribe(),
        alert: Arc::new(alert),
        after,
        pending: VecDeque::new(),
        opened: false,
    };
    let body = futures_util::stream::unfold(stream, |mut stream| async move {
        let chunk = stream.next_chunk().await?;
        Some((Ok::<Bytes, actix_web::Error>(chunk), stream))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        // Compression would hold events back in its buffer.
        .insert_header(ContentEncoding::Identity)
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body))
}

/// One client's event stream.
struct EventStream {
    alerts: Arc<AlertStore>,
    changes: tokio::sync::watch::Receiver<u64>,
    alert: Arc<Alert>,
    /// The last event sent (or resumed after).
    after: u64,
    pending: VecDeque<Event>,
    opened: bool,
}

/// One event of `GET /v1/alerts/{id}/events`, with its fields as the
/// `text/event-stream` wire carries them (every field a string).
#[derive(utoipa::ToSchema)]
pub struct StreamEvent {
    /// The event's id, increasing by one per alert (`Last-Event-ID`).
    #[schema(value_type = String, example = "3")]
    pub id: u64,
    /// Always `quote`.
    #[schema(value_type = String, example = "quote")]
    pub event: &'static str,
    /// The JSON a webhook receives for the event (`alert`, `alert_name`,
    /// `event`, `time`, `quote`).
    #[schema(value_type = String)]
    pub data: Vec<u8>,
}

impl StreamEvent {
    /// The event as written on the stream.
    fn to_bytes(&self) -> Bytes {
        let mut chunk = format!("id: {}\nevent: {}\ndata: ", self.id, self.event).into_bytes();
        chunk.extend_from_slice(&self.data);
        chunk.extend_from_slice(b"\n\n");
        Bytes::from(chunk)
    }
}

impl EventStream {
    /// The next bytes to send; `None` ends the stream (the alert was deleted).
    async fn next_chunk(&mut self) -> Option<Bytes> {
        if !self.opened {
            self.opened = true;
            return Some(Bytes::from_static(b"retry: 2000\n: stream opened\n\n"));
        }
        loop {
            if let Some(event) = self.pending.pop_front() {
                self.after = event.id;
                let event = StreamEvent {
                    id: event.id,
                    event: "quote",
                    data: delivery_body(&self.alert, &event),
                };
                return Some(event.to_bytes());
            }
            // Marked seen before reading, so an append in between wakes us.
            self.changes.borrow_and_update();
            match self
                .alerts
                .events_after(&self.alert.id, self.after, STREAM_PAGE)
            {
                Ok(events) if !events.is_empty() => {
                    self.pending.extend(events);
                    continue;
                }
                Ok(_) => {}
                Err(_) => return None,
            }
            tokio::select! {
                changed = self.changes.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                () = tokio::time::sleep(KEEP_ALIVE) => {
                    return Some(Bytes::from_static(b": keep-alive\n\n"));
                }
            }
        }
    }
}

/// Shapes a stored quote as a `/v1/quotes` hit (no score, the quote as its
/// snippet): the quote of alert events and webhook deliveries.
pub fn quote_hit_json(stored_json: &str) -> Result<Value, String> {
    let (document, snippet) = HitDocument::read(stored_json, true, |_, quote| {
        let mut snippet = String::new();
        crate::search::snippet::escape_into(quote, &mut snippet);
        snippet
    })
    .map_err(|e| e.to_string())?;
    let hit = SearchHit {
        stored_json: stored_json.to_owned(),
        document,
        score: 0.0,
        snippet,
        statement: None,
    };
    serde_json::to_value(crate::http::dto::HitJson::new(&hit)).map_err(|e| e.to_string())
}
