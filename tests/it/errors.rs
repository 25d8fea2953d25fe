//! Bad requests: each is answered with the status of its error code, a JSON
//! body naming that code and a message, never a 5xx, and none of them changes
//! what is stored. The requests are data, `tests/fixtures/bad_requests.toml`,
//! one group per test below; the codes they expect must be in the error-code
//! table (`verbatim::http::error::ErrorCode`).

use serde::Deserialize;
use serde_json::{json, Value};
use verbatim::http::error::ErrorCode::{self, *};
use verbatim::ingest::ArticleDefect as Defect;

use crate::backends::{on_both_backends, TestBackend};

/// The bad requests, by group.
const BAD_REQUESTS: &str = include_str!("../fixtures/bad_requests.toml");

/// A request and what it must get, as the fixture writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// `METHOD path`.
    send: String,
    /// The Content-Type, if any.
    r#type: Option<String>,
    /// The body, if any.
    #[serde(default)]
    body: String,
    /// `200`, or the status and code of the error.
    expect: String,
}

/// Expands the fixture's escapes: `\xNN` is the byte NN, `«N*TEXT»` is TEXT
/// repeated N times.
fn expand(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('«') {
            let (repeat, after) = after.split_once('»').expect("`«` is closed by `»`");
            let (times, unit) = repeat.split_once('*').expect("`«N*TEXT»`");
            let times: usize = times.parse().expect("a count before `*`");
            out.extend(expand(unit).repeat(times));
            rest = after;
        } else if let Some(byte) = rest
            .strip_prefix("\\x")
            .and_then(|hex| hex.get(..2))
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            rest = &rest[4..];
        } else {
            let next = rest.chars().next().expect("not empty");
            out.extend_from_slice(next.encode_utf8(&mut [0; 4]).as_bytes());
            rest = &rest[next.len_utf8()..];
        }
    }
    out
}

/// What a bad request must not change.
struct Stored {
    stats: Value,
    article: Value,
}

/// Sends the fixture's `group` of requests to a server with small body limits
/// (so that size errors are cheap to provoke), loaded with the sample
/// articles. Fails with the list of wrong answers (wrong status, wrong code,
/// empty message, not JSON) and of 5xx answers; then checks that nothing
/// stored changed.
fn check(backend: TestBackend, group: &str) {
    let mut groups: std::collections::HashMap<String, Vec<Case>> =
        toml::from_str(BAD_REQUESTS).expect("tests/fixtures/bad_requests.toml reads");
    let cases = groups.remove(group).expect("the group is in the fixture");
    let server = backend.start_with(&[
        ("VERBATIM_MAX_BODY_BYTES", "65536"),
        ("VERBATIM_MAX_ARTICLE_BYTES", "32768"),
    ]);
    server.load_fixtures();
    let stored = Stored {
        stats: server.get("/v1/stats").body,
        article: server.get("/v1/articles/cnn-blinken-beijing").body,
    };
    let mut server_errors = Vec::new();
    let mut wrong = Vec::new();
    for case in &cases {
        let (method, path) = case.send.split_once(' ').expect("`METHOD path`");
        let path = String::from_utf8(expand(path)).expect("paths are text");
        let (status, code) = match case.expect.split_once(' ') {
            Some((status, code)) => (status, Some(code)),
            None => (case.expect.as_str(), None),
        };
        let status: u16 = status.parse().expect("a status");
        if let Some(code) = code {
            assert!(
                ErrorCode::all()
                    .any(|known| known.as_str() == code && known.status().as_u16() == status),
                "{}: `{status} {code}` is not in the error-code table",
                case.send
            );
        }
        let answer = server.send(method, &path, case.r#type.as_deref(), &expand(&case.body));
        let shown: String = path.chars().take(80).collect();
        if answer.status >= 500 {
            server_errors.push(format!("{method} {shown}: {}", answer.body));
        }
        let message = answer.body["error"]["message"].as_str().unwrap_or("");
        let problem = match code {
            _ if answer.status != status => Some("wrong status"),
            None => None,
            Some(code) if answer.code() != code => Some("wrong code"),
            Some(_) if message.is_empty() => Some("empty message"),
            Some(_) if answer.header("content-type") != Some("application/json") => {
                Some("not JSON")
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            wrong.push(format!(
                "{method} {shown}: {problem}: expected {}, got {} {}",
                case.expect, answer.status, answer.body
            ));
        }
    }
    assert!(
        server_errors.is_empty(),
        "5xx answers:\n{}",
        server_errors.join("\n")
    );
    assert!(wrong.is_empty(), "wrong answers:\n{}", wrong.join("\n"));
    eprintln!("bad requests: {} tried, 0 answered 5xx", cases.len());

    let stats = server.get("/v1/stats").body;
    assert_eq!(stats["articles"], stored.stats["articles"]);
    assert_eq!(stats["quotes"], stored.stats["quotes"]);
    assert_eq!(
        server.get("/v1/articles/cnn-blinken-beijing").body,
        stored.article
    );
    assert_eq!(server.get("/health").body, json!({"status": "ok"}));
}

/// The oversized bulk line is reported, not indexed (the counts stay).
fn bad_articles_are_rejected_with_the_code_of_their_defect(backend: TestBackend) {
    check(backend, "articles");
}

fn bad_article_ids_in_paths_are_rejected_before_any_lookup(backend: TestBackend) {
    check(backend, "article_ids_in_paths");
}

fn bad_search_and_catalog_parameters_are_rejected(backend: TestBackend) {
    check(backend, "search_and_catalog_parameters");
}

fn query_strings_and_query_syntax_traps_are_errors_not_crashes(backend: TestBackend) {
    check(backend, "query_strings_and_query_syntax");
}

fn unknown_paths_and_methods_get_404_and_405(backend: TestBackend) {
    check(backend, "unknown_paths_and_methods");
}

fn bad_snapshot_requests_are_rejected(backend: TestBackend) {
    check(backend, "snapshots");
}

fn bad_claims_to_verify_are_rejected(backend: TestBackend) {
    check(backend, "verify");
}

fn an_invalid_article_in_a_batch_rejects_the_whole_batch(backend: TestBackend) {
    let server = backend.start();
    let batch = json!([
        {"id": "good", "title": "Good", "body": "Fine."},
        {"id": "bad", "title": "Bad", "body": "Fine.", "published": "never"},
    ]);
    let answer = server.post_json("/v1/articles", &batch);
    assert_eq!(answer.status, 422);
    assert_eq!(answer.code(), Article(Defect::InvalidDate).as_str());
    assert!(answer.body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("articles[1]"));
    assert_eq!(server.get("/v1/articles/good").status, 404);
    assert_eq!(server.get("/v1/stats").body["articles"], 0);
}

/// RFC 9110: a `405` names the methods the resource does serve.
fn method_not_allowed_lists_the_allowed_methods(backend: TestBackend) {
    let server = backend.start();
    for (method, path, allow) in [
        ("PUT", "/v1/articles", "POST"),
        ("PATCH", "/v1/articles/some-id", "GET, DELETE"),
        ("DELETE", "/v1/search", "GET, POST"),
        ("GET", "/v1/articles/bulk", "POST"),
        ("POST", "/health", "GET"),
        ("GET", "/news/_bulk", "POST"),
        ("DELETE", "/assets/app.js", "GET"),
    ] {
        let answer = server.send(method, path, None, b"");
        assert_eq!(answer.status, 405, "{method} {path}: {}", answer.body);
        assert_eq!(answer.code(), MethodNotAllowed.as_str(), "{method} {path}");
        assert_eq!(answer.header("allow"), Some(allow), "{method} {path}");
        assert_eq!(
            answer.header("content-type"),
            Some("application/json"),
            "{method} {path}"
        );
    }
}

on_both_backends!(
    bad_articles_are_rejected_with_the_code_of_their_defect,
    bad_article_ids_in_paths_are_rejected_before_any_lookup,
    bad_search_and_catalog_parameters_are_rejected,
    query_strings_and_query_syntax_traps_are_errors_not_crashes,
    unknown_paths_and_methods_get_404_and_405,
    bad_snapshot_requests_are_rejected,
    bad_claims_to_verify_are_rejected,
    an_invalid_article_in_a_batch_rejects_the_whole_batch,
    method_not_allowed_lists_the_allowed_methods,
);
