//! The HTTP API on actix-web: the only module that knows HTTP and wire JSON.
//!
//! [`serve`] opens the index, starts the writer thread and the server, and on
//! `SIGTERM`/`SIGINT` drains requests, commits and stops. Handlers parse and
//! validate, then run index and search work on the blocking pool.
//!
//! Around every request: [`request_id`] (request ids and the access log) and
//! [`metrics`] (counts and latencies by route). [`openapi`] describes the API;
//! the search page and its assets are compiled in (`ui/`). Before any of it,
//! the [`guard`] middlewares: CORS, the limit on requests in flight, API keys
//! and the request deadline.

pub mod dto;
pub mod error;
pub mod es_bulk;
pub mod guard;
pub mod metrics;
pub mod openapi;
pub mod params;
pub mod request_id;
pub mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use actix_web::http::header::ContentType;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;

use crate::analysis::Analyzer;
use crate::backend::{AlertShapes, Backend, BackendError};
use crate::config::{ServerSettings, Settings};
use crate::ingest::{analyze_article, ArticleLimits};
use crate::model::{AnalyzedArticle, Article};
use crate::search::SearchLimits;
use error::{ApiError, ErrorCode};

/// Everything handlers share.
pub struct AppState {
    /// The store the API serves: every read and write of articles and
    /// quotes goes through it.
    pub backend: Arc<dyn Backend>,
    /// The analysis pipeline.
    pub analyzer: Arc<Analyzer>,
    /// Settings.
    pub settings: Arc<Settings>,
    /// When the server started.
    pub started: Instant,
    /// Request counters and latencies, for `/metrics`.
    pub metrics: Arc<metrics::HttpMetrics>,
    /// The API description served at `/v1/openapi.json` (built by `openapi`
    /// from the routes, so handed to them rather than imported).
    pub openapi_json: &'static str,
    /// The fetcher of pages and feeds.
    pub fetcher: Arc<crate::fetch::Fetcher>,
    /// The feeds polled.
    pub feeds: Arc<crate::feeds::FeedStore>,
    /// The saved searches, their events and deliveries.
    pub alerts: Arc<crate::alerts::AlertStore>,
}

impl AppState {
    /// Limits applied to each article.
    pub fn article_limits(&self) -> ArticleLimits {
        ArticleLimits {
            max_article_bytes: self.settings.server.max_article_bytes,
        }
    }

    /// `url` as the fetcher would fetch it (parsed, its host resolved to
    /// addresses it may connect to), checked on the blocking pool.
    pub async fn checked_url(&self, url: params::FetchUrl) -> Result<url::Url, ApiError> {
        let fetcher = self.fetcher.clone();
        Ok(web::block(move || fetcher.check_url(&url.0)).await??)
    }

    /// Runs `call` with the backend on the blocking pool (backend calls
    /// wait on disk or on the cluster); its error, or the pool's, is
    /// answered.
    pub async fn on_backend<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn Backend) -> Result<T, BackendError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let backend = self.backend.clone();
        Ok(web::block(move || call(backend.as_ref())).await??)
    }

    /// Analyses `article` for the backend (blocking: call it on the blocking
    /// pool).
    pub fn analyze_article(&self, article: Article) -> AnalyzedArticle {
        analyze_article(&self.analyzer, article)
    }
}

/// Registers every route.
pub fn configure(config: &mut web::ServiceConfig) {
    routes::configure(config);
}

/// Runs the server until it is told to stop.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    guard::check_listen_address(&settings)?;
    let analyzer = Arc::new(Analyzer::from_settings(&settings.analysis)?);
    let started = crate::backend::start(&settings, &analyzer, alert_shapes(&settings))?;
    let backend = started.backend;
    let alerts = started.alerts;
    let workers = match settings.server.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let listen = settings.server.listen.clone();
    let guards = web::Data::new(guard::Guards::from_settings(&settings));
    let openapi_json = openapi::openapi_json(settings.auth.is_enabled());
    let fetcher = Arc::new(crate::fetch::Fetcher::new(settings.fetch.clone()));
    let feeds = Arc::new(crate::feeds::FeedStore::open(&settings.index.dir)?);
    let state = web::Data::new(AppState {
        backend: backend.clone(),
        analyzer,
        settings: Arc::new(settings),
        started: Instant::now(),
        metrics: Arc::new(metrics::HttpMetrics::default()),
        openapi_json,
        fetcher: fetcher.clone(),
        feeds: feeds.clone(),
        alerts: alerts.clone(),
    });
    let deliveries = crate::alerts::deliver::spawn(alerts, fetcher.clone());
    let poller = state.settings.feeds.poll.then(|| {
        let poller = Arc::new(crate::feeds::poll::Poller {
            feeds,
            fetcher,
            backend: backend.clone(),
            analyzer: state.analyzer.clone(),
            settings: state.settings.clone(),
        });
        tokio::spawn(crate::feeds::poll::run(poller))
    });
    let stats = backend.stats()?;
    let app_state = state.clone();
    let cors_origins = state.settings.server.cors_origins.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(app_state.clone())
            .app_data(guards.clone())
            // Innermost first: the guards (deadline, API key, in-flight limit,
            // CORS), then metrics and the access log, which run inside the
            // request's tracing span, so their lines carry its request id.
            .wrap(from_fn(guard::enforce_deadline))
            .wrap(from_fn(guard::authenticate))
            .wrap(from_fn(guard::limit_in_flight))
            .wrap(guard::cors(&cors_origins))
            .wrap(from_fn(guard::cors_refusals_as_json))
            .wrap(actix_web::middleware::from_fn(
                metrics::record_request_metrics,
            ))
            .wrap(actix_web::middleware::from_fn(request_id::finish_request))
            .wrap(tracing_actix_web::TracingLogger::<request_id::RequestSpan>::new())
            .wrap(actix_web::middleware::Compress::default())
            .configure(configure)
            .default_service(web::to(routes::not_found))
    })
    .workers(workers)
    .shutdown_timeout(30)
    .bind(&listen)
    .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    let addresses: Vec<SocketAddr> = server.addrs();
    for address in &addresses {
        tracing::info!(
            index = %stats.location,
            articles = stats.articles,
            quotes = stats.quotes,
            "verbatim listening on http://{address}"
        );
    }
    server.run().await?;
    deliveries.stop();
    if let Some(poller) = poller {
        poller.abort();
        let _ = poller.await;
    }
    tracing::info!("server stopped; committing and closing the index");
    drop(state);
    // Commits what is pending, stops the writer and waits for the writer's
    // last batches to be matched against the alerts.
    let stopped = tokio::task::spawn_blocking(move || backend.shutdown()).await?;
    if let Err(error) = stopped {
        tracing::warn!(%error, "writer was already stopped");
    }
    Ok(())
}

/// How the backend reads saved alert queries and shapes the quotes of alert
/// events: as `POST /v1/alerts` reads queries and `/v1/quotes` shows hits.
pub fn alert_shapes(settings: &Settings) -> AlertShapes {
    AlertShapes {
        read_query: alert_query_reader(settings),
        format_quote: Arc::new(alert_quote_json),
    }
}

/// A stored quote as alert events and webhook deliveries carry it (a
/// `/v1/quotes` hit).
pub fn alert_quote_json(stored_json: &str) -> Result<serde_json::Value, String> {
    routes::alerts::quote_hit_json(stored_json)
}

/// The alert matcher as the server runs it on an embedded index `store`:
/// saved queries read as `POST /v1/alerts` reads them, events carrying
/// `/v1/quotes` hits. Kept here for the alert benchmark and the matcher's
/// tests, which run it without a server; the server's backend builds its own
/// from [`alert_shapes`].
pub fn alert_matcher(
    store: crate::indexing::IndexStore,
    alerts: Arc<crate::alerts::AlertStore>,
    settings: &Settings,
) -> crate::alerts::matcher::AlertMatcher {
    crate::backend::embedded::alert_matcher(
        store,
        alerts,
        alert_shapes(settings),
        SearchLimits::from_settings(&settings.search),
    )
}

/// Reads saved alert queries as `POST /v1/alerts` reads them.
pub fn alert_query_reader(settings: &Settings) -> crate::alerts::matcher::QueryReader {
    let search = settings.search.clone();
    Arc::new(move |query| {
        params::AlertQueryParams::read(query, &search).map_err(|error| error.message)
    })
}

/// Rejects a request whose `Content-Type` is not one of `accepted`; a request
/// without one is taken to be of the first accepted type.
pub fn require_content_type(request: &HttpRequest, accepted: &[&str]) -> Result<(), ApiError> {
    let Some(header) = request.headers().get(actix_web::http::header::CONTENT_TYPE) else {
        return Ok(());
    };
    let essence = header
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if accepted.contains(&essence.as_str()) {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!(
                "Content-Type must be {}, not `{essence}`",
                accepted.join(" or ")
            ),
        ))
    }
}

/// Rejects a declared `Content-Length` over `limit` before reading anything.
pub fn check_declared_length(request: &HttpRequest, limit: usize) -> Result<(), ApiError> {
    let declared = request
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => Err(ApiError::payload_too_large(limit)),
        _ => Ok(()),
    }
}

/// Content types accepted for JSON bodies.
pub const JSON_TYPES: &[&str] = &["application/json"];

/// A whole JSON body, as a handler argument: its `Content-Type` checked (JSON,
/// or none) and its bytes read, up to the limit the route table sets for the
/// endpoint, before the handler runs. Parsing it is the handler's.
pub struct JsonBody(pub web::BytesMut);

impl JsonBody {
    /// Reads the body of `request` once `checked`, the checks made before
    /// reading it, has passed.
    pub(crate) fn read_once(
        checked: Result<(), ApiError>,
        request: &HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> LocalBoxFuture<'static, Result<JsonBody, ApiError>> {
        let request = request.clone();
        let payload = <web::Payload as actix_web::FromRequest>::from_request(&request, payload);
        Box::pin(async move {
            checked?;
            let payload = payload.await.map_err(ApiError::internal)?;
            let state = request
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::internal("no application state"))?;
            read_body(&request, payload, &state.settings.server)
                .await
                .map(JsonBody)
        })
    }
}

impl actix_web::FromRequest for JsonBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<JsonBody, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        JsonBody::read_once(require_content_type(request, JSON_TYPES), request, payload)
    }
}

/// Reads a whole body, up to the limit the route table sets for the endpoint.
async fn read_body(
    request: &HttpRequest,
    mut payload: web::Payload,
    server: &ServerSettings,
) -> Result<web::BytesMut, ApiError> {
    let limit = routes::table::body_limit(request, server)?;
    check_declared_length(request, limit)?;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::new(ErrorCode::InvalidBody, e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::payload_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A JSON response with the given status.
pub fn json_response(
    status: actix_web::http::StatusCode,
    body: &impl serde::Serialize,
) -> HttpResponse {
    match serde_json::to_vec(body) {
        Ok(bytes) => HttpResponse::build(status)
            .content_type(ContentType::json())
            .body(bytes),
        Err(error) => actix_web::ResponseError::error_response(&ApiError::internal(error)),
    }
}

/// Runs `work` (a search, a verification, a timeline) on the blocking pool
/// and answers `200` with the JSON `write` makes of its result and the
/// milliseconds it took, written on the blocking pool too.
pub async fn timed_json_response<T>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    write: impl FnOnce(T, f64) -> serde_json::Result<Vec<u8>> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    let body = web::block(move || {
        let started = Instant::now();
        let result = work()?;
        let took_ms = started.elapsed().as_secs_f64() * 1000.0;
        write(result, took_ms).map_err(ApiError::internal)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}
