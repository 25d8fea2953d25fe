//! Configured limits, each enforced with a clear JSON error: batch size, bulk
//! body size, `limit`, `facet_limit`, query length and clauses, requests in
//! flight (503 + Retry-After) and the request deadline.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::TestServer;

/// Sends the start of a request and keeps the connection open, as a slow
/// client would.
fn start_slow_request(
    server: &TestServer,
    method: &str,
    path: &str,
    content_type: &str,
) -> TcpStream {
    let address = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connect");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: {content_type}\r\n\
         Content-Length: 100000\r\n\r\n{{\"title\": \"slow"
    );
    stream.write_all(head.as_bytes()).expect("send");
    stream.flush().expect("flush");
    stream
}

fn read_status(stream: &mut TcpStream) -> (u16, String) {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut response = Vec::new();
    let mut buffer = [0u8; 4096];
    while !response.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => response.extend_from_slice(&buffer[..n]),
        }
    }
    // Give the body a moment to arrive.
    if let Ok(n) = stream.read(&mut buffer) {
        response.extend_from_slice(&buffer[..n]);
    }
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn configured_limits_are_enforced_with_clear_errors(backend: TestBackend) {
    let server = backend.start_with(&[
        ("VERBATIM_MAX_BATCH_ARTICLES", "2"),
        ("VERBATIM_MAX_BULK_BYTES", "2048"),
        ("VERBATIM_MAX_LIMIT", "50"),
        ("VERBATIM_MAX_FACET_LIMIT", "5"),
        ("VERBATIM_MAX_QUERY_CHARS", "40"),
        ("VERBATIM_MAX_QUERY_CLAUSES", "4"),
    ]);
    let article = |id: &str| json!({"id": id, "title": "T", "body": "Body text."});
    let batch = json!([article("l1"), article("l2"), article("l3")]);
    let too_many = server.post_json("/v1/articles", &batch);
    assert_eq!((too_many.status, too_many.code()), (413, "batch_too_large"));
    let two = json!([article("l1"), article("l2")]);
    assert_eq!(server.post_json("/v1/articles", &two).status, 201);

    let line = article("bulk").to_string();
    let big_bulk = format!("{line}\n").repeat(60);
    assert!(big_bulk.len() > 2048);
    let answer = server.post_ndjson("/v1/articles/bulk", &big_bulk);
    assert_eq!(
        (answer.status, answer.code()),
        (413, "payload_too_large"),
        "{}",
        answer.body
    );

    let cases = [
        ("/v1/search?limit=51", 400, "invalid_parameter"),
        ("/v1/search?limit=50", 200, ""),
        (
            "/v1/search?facets=topic&facet_limit=6",
            400,
            "invalid_parameter",
        ),
        ("/v1/search?facets=topic&facet_limit=5", 200, ""),
        ("/v1/speakers?limit=6", 400, "invalid_parameter"),
        (
            "/v1/search?q=aaaaaaaaaabbbbbbbbbbccccccccccdddddddddde",
            400,
            "query_too_long",
        ),
        ("/v1/search?q=a%20b%20c%20d%20e", 400, "too_many_clauses"),
        ("/v1/search?q=a%20b%20c%20d", 200, ""),
    ];
    for (path, status, code) in cases {
        let answer = server.get(path);
        assert_eq!(answer.status, status, "{path}: {}", answer.body);
        if status >= 400 {
            assert_eq!(answer.code(), code, "{path}");
        }
    }
}

fn requests_beyond_the_concurrency_limit_get_503_with_retry_after(backend: TestBackend) {
    let server = backend.start_with(&[("VERBATIM_MAX_CONCURRENT_REQUESTS", "1")]);
    // A bulk load whose body never finishes holds the only slot. The slow
    // request and a probe race for it; retry until the slow one holds it.
    let mut attempt = 0;
    let (slow, refused) = loop {
        attempt += 1;
        let slow = start_slow_request(&server, "POST", "/v1/articles/bulk", "application/x-ndjson");
        std::thread::sleep(Duration::from_millis(200));
        let answer = server.get("/v1/search");
        if answer.status == 503 || attempt == 20 {
            break (slow, answer);
        }
        // The probe won the race: the slow request was refused; try again.
        drop(slow);
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.code(), "overloaded");
    assert_eq!(refused.header("retry-after"), Some("1"));
    // Liveness is never refused.
    assert_eq!(server.get("/health").status, 200);
    drop(slow);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = server.get("/v1/search");
        if answer.status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the slot was never released: {}",
            answer.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn requests_past_the_deadline_get_503_request_timeout(backend: TestBackend) {
    let server = backend.start_with(&[("VERBATIM_REQUEST_TIMEOUT_MS", "300")]);
    let started = Instant::now();
    let mut slow = start_slow_request(&server, "POST", "/v1/articles", "application/json");
    let (status, text) = read_status(&mut slow);
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("request_timeout"), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("retry-after: 1"),
        "{text}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    // Nothing was stored, and the server carries on.
    assert_eq!(server.get("/v1/stats").body["articles"], 0);
    assert_eq!(server.get("/health").status, 200);
}

#[test]
fn searches_past_their_deadline_are_stopped_not_left_running() {
    use std::sync::Arc;
    use verbatim::analysis::tokenizers::LanguageAnalyzers;
    use verbatim::analysis::Analyzer;
    use verbatim::config::Settings;
    use verbatim::http::error::{ApiError, ErrorCode};
    use verbatim::http::params::{from_query_string, ArticleSearchParams};
    use verbatim::indexing::writer::{Durability, WriteOp, WriterOptions};
    use verbatim::indexing::{IndexStore, IndexWriterHandle};
    use verbatim::ingest::{parse_article, prepare_article, ArticleLimits};
    use verbatim::search::{search, SearchError, SearchLimits};

    let temp = tempfile::tempdir().expect("temp dir");
    let analyzers = Arc::new(LanguageAnalyzers::without_dictionaries());
    let store = IndexStore::open_or_create(&temp.path().join("index"), analyzers).expect("index");
    let options = WriterOptions {
        memory_bytes: 32 << 20,
        threads: 1,
        max_ops_per_commit: 1000,
    };
    let (writer, writer_thread) = IndexWriterHandle::start(&store, options).expect("writer");
    let analyzer = Analyzer::with_defaults();
    let limits = ArticleLimits {
        max_article_bytes: 1 << 20,
    };
    let prepared = crate::helpers::ARTICLES_NDJSON
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let article = parse_article(line.as_bytes(), limits).expect("fixture parses");
            prepare_article(&analyzer, store.fields(), article)
        })
        .collect();
    writer
        .write_blocking(WriteOp::Upsert(prepared), Durability::Commit)
        .expect("fixtures indexed");
    drop(writer);
    writer_thread.join();

    let settings = Settings::built_in().search;
    let params: ArticleSearchParams =
        from_query_string("q=china&facets=speaker,topic").expect("parameters");
    let request = params.into_request(&settings).expect("request");
    let mut search_limits = SearchLimits::from_settings(&settings);
    assert_eq!(search_limits.timeout, Some(Duration::from_secs(10)));
    let complete = search(&store, &request, search_limits).expect("search in time");
    assert!(complete.total > 0);
    // A deadline that has already passed stops the search before it collects.
    search_limits.timeout = Some(Duration::ZERO);
    match search(&store, &request, search_limits) {
        Err(SearchError::Timeout { timeout_ms }) => assert_eq!(timeout_ms, 0),
        other => panic!("expected a timeout, got {:?}", other.map(|r| r.total)),
    }
    let answer = ApiError::from(SearchError::Timeout { timeout_ms: 10 });
    assert_eq!(answer.code, ErrorCode::SearchTimeout);
    assert_eq!(
        (
            answer.status().as_u16(),
            answer.code.as_str(),
            answer.code.retry_after()
        ),
        (503, "search_timeout", Some(1))
    );
}

on_both_backends!(
    configured_limits_are_enforced_with_clear_errors,
    requests_beyond_the_concurrency_limit_get_503_with_retry_after,
    requests_past_the_deadline_get_503_request_timeout,
);
