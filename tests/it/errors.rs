//! Bad requests: each is answered with the status of its error code, a JSON
//! body naming that code and a message, never a 5xx, and none of them changes
//! what is stored. The expected codes come from the error-code table
//! (`verbatim::http::error::ErrorCode`), which also gives their statuses.

use serde_json::{json, Value};
use verbatim::http::error::ErrorCode::{self, *};
use verbatim::ingest::ArticleDefect as Defect;

use crate::helpers::TestServer;

/// A request and what it must get: an error code, or `None` for a 200.
struct Case {
    method: &'static str,
    path: String,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    expected: Option<ErrorCode>,
}

/// A request that must fail with `code` (and so with its status).
fn case(
    method: &'static str,
    path: &str,
    content_type: Option<&'static str>,
    body: &[u8],
    code: ErrorCode,
) -> Case {
    Case {
        method,
        path: path.to_owned(),
        content_type,
        body: body.to_vec(),
        expected: Some(code),
    }
}

/// A request that looks odd but must be answered 200.
fn ok(method: &'static str, path: &str, content_type: Option<&'static str>, body: &[u8]) -> Case {
    Case {
        expected: None,
        ..case(method, path, content_type, body, InternalError)
    }
}

const JSON: Option<&str> = Some("application/json");
const NDJSON: Option<&str> = Some("application/x-ndjson");

/// What a bad request must not change.
struct Stored {
    stats: Value,
    article: Value,
}

/// A server with small body limits (so that size errors are cheap to
/// provoke), loaded with the sample articles.
fn loaded_server() -> (TestServer, Stored) {
    let server = TestServer::start_with(&[
        ("VERBATIM_MAX_BODY_BYTES", "65536"),
        ("VERBATIM_MAX_ARTICLE_BYTES", "32768"),
    ]);
    server.load_fixtures();
    let stored = Stored {
        stats: server.get("/v1/stats").body,
        article: server.get("/v1/articles/cnn-blinken-beijing").body,
    };
    (server, stored)
}

/// Sends every case; fails with the list of wrong answers (wrong status,
/// wrong code, empty message, not JSON) and of 5xx answers. Then checks that
/// nothing stored changed.
fn check(server: &TestServer, stored: &Stored, cases: &[Case]) {
    let mut server_errors = Vec::new();
    let mut wrong = Vec::new();
    for case in cases {
        let (method, path) = (case.method, &case.path);
        let answer = server.send(method, path, case.content_type, &case.body);
        let shown: String = path.chars().take(80).collect();
        if answer.status >= 500 {
            server_errors.push(format!("{method} {shown}: {}", answer.body));
        }
        let status = case.expected.map_or(200, |code| code.status().as_u16());
        let message = answer.body["error"]["message"].as_str().unwrap_or("");
        let problem = match case.expected {
            _ if answer.status != status => Some("wrong status"),
            None => None,
            Some(code) if answer.code() != code.as_str() => Some("wrong code"),
            Some(_) if message.is_empty() => Some("empty message"),
            Some(_) if answer.header("content-type") != Some("application/json") => {
                Some("not JSON")
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            let expected = case.expected.map_or("", ErrorCode::as_str);
            wrong.push(format!(
                "{method} {shown}: {problem}: expected {status} {expected}, got {} {}",
                answer.status, answer.body
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

#[test]
fn bad_articles_are_rejected_with_the_code_of_their_defect() {
    let (server, stored) = loaded_server();
    let huge_body = format!(r#"{{"title": "T", "body": "{}"}}"#, "x".repeat(70_000));
    let big_article = format!(r#"{{"title": "T", "body": "{}"}}"#, "x".repeat(40_000));
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let long_id = format!(
        "{{\"id\": \"{}\", \"title\": \"T\", \"body\": \"B\"}}",
        "i".repeat(300)
    );
    let long_source = format!(
        "{{\"title\": \"T\", \"body\": \"B\", \"source\": \"{}\"}}",
        "s".repeat(3000)
    );
    // The oversized bulk line is reported, not indexed (`check` sees the counts unchanged).
    #[rustfmt::skip]
    let cases = [
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "#, MalformedJson),
        case("POST", "/v1/articles", JSON, b"", MalformedJson),
        case("POST", "/v1/articles", JSON, b"\xff\xfe{}", MalformedJson),
        case("POST", "/v1/articles", JSON, deep.as_bytes(), MalformedJson),
        case("POST", "/v1/articles", JSON, br#"{"body": "B"}"#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T"}"#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#"{"title": 1, "body": "B"}"#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": ["B"]}"#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#""just a string""#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, b"[]", EmptyBatch),
        case("POST", "/v1/articles", JSON, br#"[{"title": "T", "body": "B"}, 7]"#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "published": "2024-13-45"}"#, Article(Defect::InvalidDate)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "published": 20240101}"#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "language": "xx"}"#, Article(Defect::InvalidLanguage)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "id": "../../etc/passwd"}"#, Article(Defect::InvalidId)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B\u0000"}"#, Article(Defect::InvalidText)),
        case("POST", "/v1/articles", JSON, br#"{"title": "", "body": ""}"#, Article(Defect::EmptyArticle)),
        case("POST", "/v1/articles", JSON, big_article.as_bytes(), Article(Defect::ArticleTooLarge)),
        case("POST", "/v1/articles", JSON, huge_body.as_bytes(), PayloadTooLarge),
        case("POST", "/v1/articles", Some("text/plain"), br#"{"title": "T", "body": "B"}"#, UnsupportedMediaType),
        case("POST", "/v1/articles", Some("application/x-www-form-urlencoded"), b"title=T", UnsupportedMediaType),
        case("POST", "/v1/articles/bulk", Some("text/csv"), b"a,b", UnsupportedMediaType),
        ok("POST", "/v1/articles/bulk", NDJSON, huge_body.as_bytes()),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B",}"#, MalformedJson),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B"} trailing"#, MalformedJson),
        case("POST", "/v1/articles", JSON, b"{\"title\": \"\xc3\x28\", \"body\": \"B\"}", MalformedJson),
        case("POST", "/v1/articles", JSON, br#"{"title": "T\ud800", "body": "B"}"#, MalformedJson),
        case("POST", "/v1/articles", JSON, b"null", Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#"{"title": null, "body": "B"}"#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "authors": "Ann"}"#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "quotes": {}}"#, Article(Defect::InvalidArticle)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "published": "2024-02-30"}"#, Article(Defect::InvalidDate)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "published": "2024-04-26T25:00:00Z"}"#, Article(Defect::InvalidDate)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "id": ""}"#, Article(Defect::InvalidId)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "id": "a\u0000b"}"#, Article(Defect::InvalidId)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "id": "..\\..\\win.ini"}"#, Article(Defect::InvalidId)),
        case("POST", "/v1/articles", JSON, long_id.as_bytes(), Article(Defect::InvalidId)),
        case("POST", "/v1/articles", JSON, long_source.as_bytes(), Article(Defect::FieldTooLong)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "source": "CNN\u0007"}"#, Article(Defect::InvalidText)),
        case("POST", "/v1/articles", JSON, br#"{"title": "T", "body": "B", "url": "http://a b"}"#, Article(Defect::InvalidUrl)),
        case("POST", "/v1/articles", JSON, br#"{"title": "\u0000", "body": "B"}"#, Article(Defect::InvalidText)),
        case("POST", "/v1/articles", Some("application/xml"), b"<article/>", UnsupportedMediaType),
        case("POST", "/v1/articles", Some("multipart/form-data; boundary=x"), b"--x--", UnsupportedMediaType),
    ];
    check(&server, &stored, &cases);
}

#[test]
fn bad_article_ids_in_paths_are_rejected_before_any_lookup() {
    let (server, stored) = loaded_server();
    #[rustfmt::skip]
    let cases = [
        case("GET", "/v1/articles/no-such-article", None, b"", ArticleNotFound),
        case("DELETE", "/v1/articles/no-such-article", None, b"", ArticleNotFound),
        case("GET", "/v1/articles/%E2%80%83bad%09id", None, b"", InvalidPathId),
        case("GET", "/v1/articles/..%2F..%2Fetc%2Fpasswd", None, b"", InvalidPathId),
        case("DELETE", "/v1/articles/..%2Fmeta.json", None, b"", InvalidPathId),
        case("GET", "/v1/articles/%00", None, b"", InvalidPathId),
        case("GET", "/v1/articles/..%5C..%5Cwin.ini", None, b"", InvalidPathId),
    ];
    check(&server, &stored, &cases);
}

#[test]
fn bad_search_and_catalog_parameters_are_rejected() {
    let (server, stored) = loaded_server();
    let nested_object = format!(
        "{{\"q\": {}1{}}}",
        "{\"a\": ".repeat(3000),
        "}".repeat(3000)
    );
    #[rustfmt::skip]
    let cases = [
        case("GET", "/v1/search?limit=-1", None, b"", InvalidParameter),
        case("GET", "/v1/search?limit=1001", None, b"", InvalidParameter),
        case("GET", "/v1/search?limit=abc", None, b"", InvalidParameter),
        case("GET", "/v1/search?offset=9999999999999999999999", None, b"", InvalidParameter),
        case("GET", "/v1/search?offset=9995&limit=10", None, b"", ResultWindowTooLarge),
        case("GET", "/v1/search?facets=colour", None, b"", UnknownFacet),
        case("GET", "/v1/search?facets=role", None, b"", UnknownFacet),
        case("GET", "/v1/search?colour=red", None, b"", UnknownParameter),
        case("GET", "/v1/search?sort=sideways", None, b"", InvalidParameter),
        case("GET", "/v1/search?from=last%20week", None, b"", InvalidParameter),
        case("GET", "/v1/search?from=2024-05-01&to=2024-04-01", None, b"", InvalidParameter),
        case("GET", "/v1/search?cursor=not-a-cursor", None, b"", InvalidCursor),
        case("GET", "/v1/search?q=a&q=b", None, b"", InvalidParameter),
        case("GET", "/v1/search?facet_limit=0", None, b"", InvalidParameter),
        case("POST", "/v1/search", JSON, br#"{"q": 5}"#, InvalidParameter),
        case("POST", "/v1/search", JSON, br#"{"limit": "lots"}"#, InvalidParameter),
        case("POST", "/v1/search", JSON, br#"["q"]"#, InvalidParameter),
        case("POST", "/v1/search", JSON, br#"{"q": "#, MalformedJson),
        case("POST", "/v1/search", Some("text/plain"), b"{}", UnsupportedMediaType),
        case("POST", "/v1/search", JSON, nested_object.as_bytes(), MalformedJson),
        case("GET", "/v1/search?limit=18446744073709551616", None, b"", InvalidParameter),
        case("GET", "/v1/search?limit=1e3", None, b"", InvalidParameter),
        case("GET", "/v1/search?offset=-5", None, b"", InvalidParameter),
        case("GET", "/v1/search?facet_limit=100000", None, b"", InvalidParameter),
        case("GET", "/v1/quotes?facets=speaker,colour", None, b"", UnknownFacet),
        case("GET", "/v1/search?from=2024-02-30", None, b"", InvalidParameter),
        case("GET", "/v1/search?to=99999-01-01", None, b"", InvalidParameter),
        case("GET", "/v1/search?sort=-published&cursor=%FF", None, b"", InvalidParameter),
        case("GET", "/v1/speakers?limit=0", None, b"", InvalidParameter),
        case("GET", "/v1/speakers?colour=red", None, b"", UnknownParameter),
        case("GET", "/v1/topics?parent=world", None, b"", InvalidParameter),
        case("POST", "/v1/search", JSON, br#"{"limit": -5}"#, InvalidParameter),
        case("POST", "/v1/search", JSON, br#"{"limit": 1e30}"#, InvalidParameter),
        case("POST", "/v1/search", JSON, br#"{"limit": 2.5}"#, InvalidParameter),
        case("POST", "/v1/search", JSON, br#"{"speaker": [1, 2]}"#, InvalidParameter),
        case("POST", "/v1/search", JSON, br#"{"speaker": {"a": 1}}"#, InvalidParameter),
        case("POST", "/v1/search", JSON, br#"{"unknown_field": true}"#, UnknownParameter),
        case("POST", "/v1/search", JSON, br#"{"q": "a\u0000"}"#, InvalidParameter),
        case("POST", "/v1/search?q=x", JSON, b"{}", InvalidParameter),
        case("POST", "/v1/quotes", Some("application/x-ndjson"), b"{}", UnsupportedMediaType),
    ];
    check(&server, &stored, &cases);
}

#[test]
fn query_strings_and_query_syntax_traps_are_errors_not_crashes() {
    let (server, stored) = loaded_server();
    let long_post_query = format!("{{\"q\": \"{}\"}}", "q".repeat(5000));
    let minus_chain = format!("/v1/search?q={}a", "-".repeat(4000));
    let not_chain = format!("/v1/quotes?q={}a", "NOT%20".repeat(600));
    let long_query = format!("/v1/search?q={}", "a".repeat(5000));
    let many_clauses = format!("/v1/search?q={}", vec!["w"; 300].join("%20"));
    #[rustfmt::skip]
    let cases = [
        case("GET", "/v1/search?q=%22open", None, b"", QuerySyntaxError),
        case("GET", "/v1/search?q=(a%20b", None, b"", QuerySyntaxError),
        case("GET", "/v1/search?q=a%20AND", None, b"", QuerySyntaxError),
        case("GET", "/v1/search?q=colour:red", None, b"", UnknownField),
        case("GET", "/v1/search?q=quote:spiral", None, b"", UnknownField),
        case("GET", "/v1/quotes?q=x*", None, b"", QuerySyntaxError),
        case("GET", "/v1/search?q=%FF%FE", None, b"", InvalidParameter),
        case("GET", "/v1/search?q=a%00b", None, b"", InvalidParameter),
        case("GET", "/v1/search?q=a%07b", None, b"", InvalidParameter),
        case("GET", "/v1/search?q=%22", None, b"", QuerySyntaxError),
        case("GET", "/v1/search?q=((((((a", None, b"", QuerySyntaxError),
        case("GET", "/v1/search?q=title:", None, b"", QuerySyntaxError),
        ok("GET", "/v1/search?q=title:body:x", None, b""),
        case("GET", "/v1/search?q=body%3Atitle%3A%28x", None, b"", QuerySyntaxError),
        case("GET", "/v1/search?q%FF=x", None, b"", InvalidParameter),
        case("GET", "/v1/search?q=OR", None, b"", QuerySyntaxError),
        case("GET", "/v1/search?q=NOT%20NOT", None, b"", QuerySyntaxError),
        case("GET", &minus_chain, None, b"", QuerySyntaxError),
        case("GET", &not_chain, None, b"", QuerySyntaxError),
        case("GET", "/v1/search?q=a*", None, b"", QuerySyntaxError),
        ok("GET", "/v1/search?q=*:*", None, b""),
        ok("GET", "/v1/search?q=.*%5B%5D%7B%7D%5E%24%7C%3F%2B%5C*", None, b""),
        ok("GET", "/v1/search?q=%22%22", None, b""),
        case("POST", "/v1/search", JSON, long_post_query.as_bytes(), QueryTooLong),
        case("GET", &long_query, None, b"", QueryTooLong),
        case("GET", &many_clauses, None, b"", TooManyClauses),
    ];
    check(&server, &stored, &cases);
}

#[test]
fn unknown_paths_and_methods_get_404_and_405() {
    let (server, stored) = loaded_server();
    #[rustfmt::skip]
    let cases = [
        case("PUT", "/v1/articles", JSON, b"{}", MethodNotAllowed),
        case("PATCH", "/v1/articles/cnn-blinken-beijing", JSON, b"{}", MethodNotAllowed),
        case("DELETE", "/v1/search", None, b"", MethodNotAllowed),
        case("GET", "/v2/search", None, b"", NotFound),
        case("POST", "/health", JSON, b"{}", MethodNotAllowed),
        case("DELETE", "/v1/articles", None, b"", MethodNotAllowed),
        case("GET", "/v1/articles/bulk", None, b"", MethodNotAllowed),
        case("PUT", "/v1/articles/cnn-blinken-beijing", JSON, b"{}", MethodNotAllowed),
        case("GET", "/v1/admin/snapshot", None, b"", MethodNotAllowed),
        case("POST", "/v1/admin/nothing", JSON, b"{}", NotFound),
    ];
    check(&server, &stored, &cases);
}

#[test]
fn bad_snapshot_requests_are_rejected() {
    let (server, stored) = loaded_server();
    #[rustfmt::skip]
    let cases = [
        case("POST", "/v1/admin/snapshot", JSON, br#"{"name": "../../tmp/x"}"#, InvalidParameter),
        case("POST", "/v1/admin/snapshot", JSON, br#"{"name": 5}"#, InvalidParameter),
        case("POST", "/v1/admin/snapshot", JSON, br#"{"path": "/"}"#, UnknownParameter),
        case("POST", "/v1/admin/snapshot", JSON, b"[", MalformedJson),
    ];
    check(&server, &stored, &cases);
}

#[test]
fn an_invalid_article_in_a_batch_rejects_the_whole_batch() {
    let server = TestServer::start();
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
#[test]
fn method_not_allowed_lists_the_allowed_methods() {
    let server = TestServer::start();
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
