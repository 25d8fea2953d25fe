//! `/metrics` scraped after real traffic, request ids in headers and logs,
//! and JSON logs.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::TestServer;

/// Parses Prometheus text into `name{labels} -> value` (labels kept as written).
fn scrape(server: &TestServer) -> BTreeMap<String, f64> {
    let answer = server.send_raw("GET", "/metrics", &[], b"");
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(
        answer
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain; version=0.0.4")),
        "{:?}",
        answer.headers
    );
    let mut samples = BTreeMap::new();
    for line in answer.text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("bad sample line {line:?}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value in {line:?}"));
        assert!(
            samples.insert(series.to_owned(), value).is_none(),
            "duplicate series {series}"
        );
    }
    samples
}

fn sample(samples: &BTreeMap<String, f64>, series: &str) -> f64 {
    *samples
        .get(series)
        .unwrap_or_else(|| panic!("no series {series} in {:#?}", samples.keys()))
}

fn metrics_count_requests_by_route_pattern_and_report_the_index(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    for id in ["cnn-blinken-beijing", "no-such-article", "bbc-tech-100"] {
        server.get(&format!("/v1/articles/{id}"));
    }
    server.get("/v1/quotes?q=china");
    server.get("/v1/quotes?q=(");
    server.get("/nowhere");
    let stats = server.get("/v1/stats").body;
    let samples = scrape(&server);

    // Routes are labelled by pattern, never by raw path.
    let article_200 =
        "verbatim_http_requests_total{route=\"/v1/articles/{id}\",method=\"GET\",status=\"200\"}";
    let article_404 =
        "verbatim_http_requests_total{route=\"/v1/articles/{id}\",method=\"GET\",status=\"404\"}";
    assert_eq!(sample(&samples, article_200), 2.0);
    assert_eq!(sample(&samples, article_404), 1.0);
    assert!(!samples.keys().any(|k| k.contains("no-such-article")));
    assert_eq!(
        sample(
            &samples,
            "verbatim_http_requests_total{route=\"/v1/quotes\",method=\"GET\",status=\"400\"}"
        ),
        1.0
    );
    assert_eq!(
        sample(
            &samples,
            "verbatim_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}"
        ),
        1.0
    );
    assert_eq!(
        sample(
            &samples,
            "verbatim_http_requests_total{route=\"/v1/articles/bulk\",method=\"POST\",status=\"200\"}"
        ),
        1.0
    );

    // Histogram series are consistent: cumulative buckets, +Inf = count = total.
    let prefix = "verbatim_http_request_duration_seconds_bucket{route=\"/v1/articles/{id}\",method=\"GET\",status=\"200\",le=\"";
    let buckets: Vec<f64> = samples
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(_, v)| *v)
        .collect();
    assert!(buckets.len() > 5, "{buckets:?}");
    assert_eq!(
        sample(&samples, &format!("{prefix}+Inf\"}}")),
        2.0,
        "+Inf bucket"
    );
    assert_eq!(
        sample(
            &samples,
            "verbatim_http_request_duration_seconds_count{route=\"/v1/articles/{id}\",method=\"GET\",status=\"200\"}"
        ),
        2.0
    );

    // Index gauges agree with /v1/stats.
    assert_eq!(
        sample(&samples, "verbatim_index_documents{kind=\"article\"}"),
        stats["articles"].as_f64().unwrap()
    );
    assert_eq!(
        sample(&samples, "verbatim_index_documents{kind=\"quote\"}"),
        stats["quotes"].as_f64().unwrap()
    );
    assert!(sample(&samples, "verbatim_index_bytes") > 0.0);
    // The bulk load committed at least once and analysed every article.
    let commits = sample(&samples, "verbatim_commits_total");
    assert!(commits >= 1.0);
    assert_eq!(
        sample(&samples, "verbatim_commit_duration_seconds_count"),
        commits
    );
    assert_eq!(
        sample(&samples, "verbatim_analysis_duration_seconds_count"),
        crate::helpers::fixture_count() as f64
    );
    assert_eq!(
        sample(&samples, "verbatim_articles_written_total"),
        crate::helpers::fixture_count() as f64
    );
    assert_eq!(sample(&samples, "verbatim_writer_queue_depth"), 0.0);
    // The scrape itself is in flight while it renders.
    assert_eq!(sample(&samples, "verbatim_http_requests_in_flight"), 1.0);

    // A delete shows up as a commit and a delete.
    assert_eq!(server.delete("/v1/articles/bbc-tech-100").status, 204);
    let after = scrape(&server);
    assert_eq!(sample(&after, "verbatim_commits_total"), commits + 1.0);
    assert_eq!(sample(&after, "verbatim_articles_deleted_total"), 1.0);
    assert_eq!(
        sample(&after, "verbatim_index_documents{kind=\"article\"}"),
        stats["articles"].as_f64().unwrap() - 1.0
    );
}

fn every_response_carries_a_request_id_that_is_in_the_logs(backend: TestBackend) {
    let server = backend.start_with(&[("VERBATIM_LOG_FORMAT", "json")]);
    let first = server.get("/health");
    let second = server.get("/v1/quotes?q=(");
    let generated = first
        .header("x-request-id")
        .expect("x-request-id")
        .to_owned();
    let other = second
        .header("x-request-id")
        .expect("x-request-id")
        .to_owned();
    assert_ne!(generated, other);
    assert_eq!(generated.len(), 36, "a UUID: {generated}");

    // A sane incoming id is kept; an unsafe one is replaced.
    let kept = server.send_raw("GET", "/health", &[("x-request-id", "trace-42.a:b")], b"");
    assert_eq!(kept.header("x-request-id"), Some("trace-42.a:b"));
    let replaced = server.send_raw("GET", "/health", &[("x-request-id", "bad id")], b"");
    assert_ne!(replaced.header("x-request-id"), Some("bad id"));
    assert!(replaced.header("x-request-id").is_some());

    // Logs are JSON, one object per line, and the access line of each request
    // carries its id and status.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let lines = server.log_lines();
        let events: Vec<Value> = lines
            .iter()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
            })
            .collect();
        let finished = |id: &str| {
            events.iter().find(|event| {
                event["message"] == "request finished" && event["span"]["request_id"] == id
            })
        };
        if let (Some(ok), Some(bad), Some(traced)) = (
            finished(&generated),
            finished(&other),
            finished("trace-42.a:b"),
        ) {
            assert_eq!(ok["status"], 200);
            assert_eq!(ok["span"]["path"], "/health");
            assert_eq!(bad["status"], 400);
            assert_eq!(traced["level"], "INFO");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no access lines with the request ids in {lines:#?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

on_both_backends!(
    metrics_count_requests_by_route_pattern_and_report_the_index,
    every_response_carries_a_request_id_that_is_in_the_logs,
);
