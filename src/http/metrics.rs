//! Request metrics and the `/metrics` exposition.
//!
//! [`record_request_metrics`] is a middleware that counts every request and
//! times it (to the response head; a streamed body may go on after) by route
//! pattern (`/v1/articles/{id}`, never the raw path, so label values stay
//! few), method and status. [`render_metrics`] writes those series and the
//! gauges read at scrape time (documents, index size, writer queue) together
//! with the writer's commit counters and the analysis histogram in the
//! Prometheus text format.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;

use super::AppState;
use crate::backend::BackendError;
use crate::metrics::{Counter, Histogram, PrometheusText, ANALYSIS_SECONDS, LATENCY_BUCKETS};

/// Route label of requests no route matched.
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Identifies one request series.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct SeriesKey {
    route: String,
    method: &'static str,
    status: u16,
}

/// Counters of the HTTP layer.
#[derive(Debug, Default)]
pub struct HttpMetrics {
    requests: RwLock<HashMap<SeriesKey, Arc<Histogram>>>,
    in_flight: AtomicI64,
    /// Quote exports streaming right now.
    pub exports_in_flight: AtomicI64,
    /// Quotes written by exports.
    pub exported_quotes: Counter,
}

impl HttpMetrics {
    /// Records one finished request.
    pub fn record(
        &self,
        route: Option<String>,
        method: &'static str,
        status: u16,
        elapsed: std::time::Duration,
    ) {
        let key = SeriesKey {
            route: route.unwrap_or_else(|| UNMATCHED_ROUTE.to_owned()),
            method,
            status,
        };
        let existing = self
            .requests
            .read()
            .ok()
            .and_then(|series| series.get(&key).cloned());
        let histogram = match existing {
            Some(histogram) => histogram,
            None => match self.requests.write() {
                Ok(mut series) => Arc::clone(
                    series
                        .entry(key)
                        .or_insert_with(|| Arc::new(Histogram::new(LATENCY_BUCKETS))),
                ),
                Err(_) => return,
            },
        };
        histogram.observe(elapsed);
    }

    fn snapshot(&self) -> Vec<(SeriesKey, Arc<Histogram>)> {
        let mut series: Vec<_> = self
            .requests
            .read()
            .map(|series| {
                series
                    .iter()
                    .map(|(key, histogram)| (key.clone(), Arc::clone(histogram)))
                    .collect()
            })
            .unwrap_or_default();
        series.sort_by(|a, b| {
            (&a.0.route, a.0.method, a.0.status).cmp(&(&b.0.route, b.0.method, b.0.status))
        });
        series
    }
}

/// Decrements a gauge when dropped, so it stays right when a future is cancelled.
pub struct GaugeGuard<'a>(&'a AtomicI64);

impl<'a> GaugeGuard<'a> {
    /// Increments `gauge` until the guard is dropped.
    pub fn enter(gauge: &'a AtomicI64) -> GaugeGuard<'a> {
        gauge.fetch_add(1, Ordering::Relaxed);
        GaugeGuard(gauge)
    }
}

impl Drop for GaugeGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}

/// Middleware: counts and times every request by route pattern, method and status.
pub async fn record_request_metrics(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(request).await;
    };
    let method = method_label(request.method());
    let started = Instant::now();
    let outcome = {
        let _in_flight = GaugeGuard::enter(&state.metrics.in_flight);
        next.call(request).await
    };
    let (route, status) = match &outcome {
        Ok(response) => (
            response.request().match_pattern(),
            response.status().as_u16(),
        ),
        Err(error) => (None, error.as_response_error().status_code().as_u16()),
    };
    state
        .metrics
        .record(route, method, status, started.elapsed());
    outcome
}

/// Resident set size of this process, in bytes (Linux; `None` elsewhere).
pub fn resident_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// Renders every metric in the Prometheus text format: the build and
/// process, HTTP requests, the index, the writer, analysis and exports.
/// Reads the index, so call it on the blocking pool.
pub fn render_metrics(state: &AppState) -> Result<String, BackendError> {
    let mut text = PrometheusText::new();
    write_process_metrics(&mut text, state);
    write_http_metrics(&mut text, &state.metrics);
    write_index_metrics(&mut text, state)?;
    write_readings(&mut text, &work_readings(state));
    Ok(text.finish())
}

/// Build and uptime.
fn write_process_metrics(text: &mut PrometheusText, state: &AppState) {
    text.family(
        "verbatim_build_info",
        "gauge",
        "Always 1; the labels say which build is running.",
    );
    text.sample(
        "verbatim_build_info",
        &[("version", env!("CARGO_PKG_VERSION"))],
        1.0,
    );
    text.single(
        "verbatim_uptime_seconds",
        "gauge",
        "Seconds since the server started.",
        state.started.elapsed().as_secs_f64().floor(),
    );
}

/// Requests by route pattern, method and status: counts and latencies; and
/// requests in flight.
fn write_http_metrics(text: &mut PrometheusText, http: &HttpMetrics) {
    let series = http.snapshot();
    let statuses: Vec<String> = series
        .iter()
        .map(|(key, _)| key.status.to_string())
        .collect();
    let labelled: Vec<([(&str, &str); 3], &Histogram)> = series
        .iter()
        .zip(&statuses)
        .map(|((key, histogram), status)| {
            let labels = [
                ("route", key.route.as_str()),
                ("method", key.method),
                ("status", status.as_str()),
            ];
            (labels, histogram.as_ref())
        })
        .collect();
    text.family(
        "verbatim_http_requests_total",
        "counter",
        "HTTP requests answered, by route pattern, method and status.",
    );
    for (labels, histogram) in &labelled {
        text.sample(
            "verbatim_http_requests_total",
            labels,
            histogram.count() as f64,
        );
    }
    text.family(
        "verbatim_http_request_duration_seconds",
        "histogram",
        "Time from request to response head, by route pattern, method and status.",
    );
    for (labels, histogram) in &labelled {
        text.histogram("verbatim_http_request_duration_seconds", labels, histogram);
    }
    text.single(
        "verbatim_http_requests_in_flight",
        "gauge",
        "Requests being handled now.",
        http.in_flight.load(Ordering::Relaxed) as f64,
    );
}

/// Documents by kind, bytes on disk and segments.
fn write_index_metrics(text: &mut PrometheusText, state: &AppState) -> Result<(), BackendError> {
    let stats = state.backend.stats()?;
    text.family(
        "verbatim_index_documents",
        "gauge",
        "Live documents in the index, by kind.",
    );
    text.sample(
        "verbatim_index_documents",
        &[("kind", "article")],
        stats.articles as f64,
    );
    text.sample(
        "verbatim_index_documents",
        &[("kind", "quote")],
        stats.quotes as f64,
    );
    text.single(
        "verbatim_index_bytes",
        "gauge",
        "Bytes used by the index directory.",
        stats.bytes as f64,
    );
    text.single(
        "verbatim_index_segments",
        "gauge",
        "Segments in the searched snapshot.",
        stats.segments as f64,
    );
    Ok(())
}

/// One series without labels: what a metric family of one reading shows.
enum Reading<'a> {
    /// A value that goes up and down.
    Gauge(f64),
    /// A count that only goes up.
    Counter(u64),
    /// A distribution.
    Histogram(&'a Histogram),
}

/// The writer's queue, commits and writes, analysis time, exports and
/// resident memory: `(name, help, reading)`, in the order `/metrics` lists
/// them.
fn work_readings(state: &AppState) -> Vec<(&'static str, &'static str, Reading<'_>)> {
    use Reading::{Counter, Gauge};
    let writer = state.backend.write_metrics();
    let http = &state.metrics;
    #[rustfmt::skip]
    let mut readings = vec![
        ("verbatim_writer_queue_depth", "Write requests waiting for the writer thread.", Gauge(writer.queue_depth as f64)),
        ("verbatim_commits_total", "Index commits that succeeded.", Counter(writer.commits)),
        ("verbatim_commit_failures_total", "Index commits that failed and rolled back.", Counter(writer.commit_failures)),
        ("verbatim_commit_duration_seconds", "Time per commit, including the reader reload.", Reading::Histogram(writer.commit_seconds)),
        ("verbatim_articles_written_total", "Articles inserted or replaced (each with its quotes).", Counter(writer.articles_written)),
        ("verbatim_articles_deleted_total", "Articles deleted.", Counter(writer.articles_deleted)),
        ("verbatim_analysis_duration_seconds", "Time to analyse one article: language, quotes, speakers, topics.", Reading::Histogram(&ANALYSIS_SECONDS)),
        ("verbatim_export_streams_in_flight", "Quote exports streaming now.", Gauge(http.exports_in_flight.load(Ordering::Relaxed) as f64)),
        ("verbatim_exported_quotes_total", "Quotes written by exports.", Counter(http.exported_quotes.get())),
    ];
    if let Some(bytes) = resident_memory_bytes() {
        readings.push((
            "process_resident_memory_bytes",
            "Resident memory size in bytes.",
            Gauge(bytes as f64),
        ));
    }
    readings
}

/// Writes one family per reading.
fn write_readings(text: &mut PrometheusText, readings: &[(&str, &str, Reading)]) {
    for (name, help, reading) in readings {
        match reading {
            Reading::Gauge(value) => text.single(name, "gauge", help, *value),
            Reading::Counter(count) => text.single(name, "counter", help, *count as f64),
            Reading::Histogram(histogram) => {
                text.family(name, "histogram", help);
                text.histogram(name, &[], histogram);
            }
        }
    }
}
