//! Bad requests: each is answered with the right status and a JSON error
//! code, and none of them changes what is stored.

use serde_json::json;

use crate::helpers::TestServer;

/// (method, path, content type, body, status, error code)
type Case = (
    &'static str,
    String,
    Option<&'static str>,
    Vec<u8>,
    u16,
    &'static str,
);

fn case(
    method: &'static str,
    path: &str,
    content_type: Option<&'static str>,
    body: &[u8],
    status: u16,
    code: &'static str,
) -> Case {
    (
        method,
        path.to_owned(),
        content_type,
        body.to_vec(),
        status,
        code,
    )
}

const JSON: Option<&str> = Some("application/json");
const NDJSON: Option<&str> = Some("application/x-ndjson");

#[test]
fn bad_requests_get_clear_errors_and_change_nothing() {
    let server = TestServer::start_with(&[
        ("VERBATIM_MAX_BODY_BYTES", "65536"),
        ("VERBATIM_MAX_ARTICLE_BYTES", "32768"),
    ]);
    server.load_fixtures();
    let stats_before = server.get("/v1/stats").body;
    let article_before = server.get("/v1/articles/cnn-blinken-beijing").body;

    let huge_body = format!(r#"{{"title": "T", "body": "{}"}}"#, "x".repeat(70_000));
    let big_article = format!(r#"{{"title": "T", "body": "{}"}}"#, "x".repeat(40_000));
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let cases: Vec<Case> = vec![
        // Writing articles.
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", ",
            400,
            "malformed_json",
        ),
        case("POST", "/v1/articles", JSON, b"", 400, "malformed_json"),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"\xff\xfe{}",
            400,
            "malformed_json",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            deep.as_bytes(),
            400,
            "malformed_json",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"body\": \"B\"}",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\"}",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": 1, \"body\": \"B\"}",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": [\"B\"]}",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"\"just a string\"",
            422,
            "invalid_article",
        ),
        case("POST", "/v1/articles", JSON, b"[]", 422, "empty_batch"),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"[{\"title\": \"T\", \"body\": \"B\"}, 7]",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"published\": \"2024-13-45\"}",
            422,
            "invalid_date",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"published\": 20240101}",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"language\": \"xx\"}",
            422,
            "invalid_language",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"id\": \"../../etc/passwd\"}",
            422,
            "invalid_id",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\\u0000\"}",
            422,
            "invalid_text",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"\", \"body\": \"\"}",
            422,
            "empty_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            big_article.as_bytes(),
            422,
            "article_too_large",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            huge_body.as_bytes(),
            413,
            "payload_too_large",
        ),
        case(
            "POST",
            "/v1/articles",
            Some("text/plain"),
            b"{\"title\": \"T\", \"body\": \"B\"}",
            415,
            "unsupported_media_type",
        ),
        case(
            "POST",
            "/v1/articles",
            Some("application/x-www-form-urlencoded"),
            b"title=T",
            415,
            "unsupported_media_type",
        ),
        case(
            "POST",
            "/v1/articles/bulk",
            Some("text/csv"),
            b"a,b",
            415,
            "unsupported_media_type",
        ),
        case(
            "POST",
            "/v1/articles/bulk",
            NDJSON,
            huge_body.as_bytes(),
            200,
            "",
        ),
        case(
            "PUT",
            "/v1/articles",
            JSON,
            b"{}",
            405,
            "method_not_allowed",
        ),
        case(
            "PATCH",
            "/v1/articles/cnn-blinken-beijing",
            JSON,
            b"{}",
            405,
            "method_not_allowed",
        ),
        case(
            "GET",
            "/v1/articles/no-such-article",
            None,
            b"",
            404,
            "article_not_found",
        ),
        case(
            "DELETE",
            "/v1/articles/no-such-article",
            None,
            b"",
            404,
            "article_not_found",
        ),
        case(
            "GET",
            "/v1/articles/%E2%80%83bad%09id",
            None,
            b"",
            400,
            "invalid_id",
        ),
        // Searching.
        case(
            "GET",
            "/v1/search?q=%22open",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case(
            "GET",
            "/v1/search?q=(a%20b",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case(
            "GET",
            "/v1/search?q=a%20AND",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case(
            "GET",
            "/v1/search?q=colour:red",
            None,
            b"",
            400,
            "unknown_field",
        ),
        case(
            "GET",
            "/v1/search?q=quote:spiral",
            None,
            b"",
            400,
            "unknown_field",
        ),
        case(
            "GET",
            "/v1/search?limit=-1",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?limit=1001",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?limit=abc",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?offset=9999999999999999999999",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?offset=9995&limit=10",
            None,
            b"",
            400,
            "result_window_too_large",
        ),
        case(
            "GET",
            "/v1/search?facets=colour",
            None,
            b"",
            400,
            "unknown_facet",
        ),
        case(
            "GET",
            "/v1/search?facets=role",
            None,
            b"",
            400,
            "unknown_facet",
        ),
        case(
            "GET",
            "/v1/search?colour=red",
            None,
            b"",
            400,
            "unknown_parameter",
        ),
        case(
            "GET",
            "/v1/search?sort=sideways",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?from=last%20week",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?from=2024-05-01&to=2024-04-01",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?cursor=not-a-cursor",
            None,
            b"",
            400,
            "invalid_cursor",
        ),
        case(
            "GET",
            "/v1/search?q=a&q=b",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?facet_limit=0",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/quotes?q=x*",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"q\": 5}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"limit\": \"lots\"}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"[\"q\"]",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"q\": ",
            400,
            "malformed_json",
        ),
        case(
            "POST",
            "/v1/search",
            Some("text/plain"),
            b"{}",
            415,
            "unsupported_media_type",
        ),
        case("DELETE", "/v1/search", None, b"", 405, "method_not_allowed"),
        // Elsewhere.
        case("GET", "/v2/search", None, b"", 404, "not_found"),
        case("POST", "/health", JSON, b"{}", 405, "method_not_allowed"),
    ];
    let nested_object = format!(
        "{{\"q\": {}1{}}}",
        "{\"a\": ".repeat(3000),
        "}".repeat(3000)
    );
    let long_id = format!(
        "{{\"id\": \"{}\", \"title\": \"T\", \"body\": \"B\"}}",
        "i".repeat(300)
    );
    let long_source = format!(
        "{{\"title\": \"T\", \"body\": \"B\", \"source\": \"{}\"}}",
        "s".repeat(3000)
    );
    let long_post_query = format!("{{\"q\": \"{}\"}}", "q".repeat(5000));
    let minus_chain = format!("/v1/search?q={}a", "-".repeat(4000));
    let not_chain = format!("/v1/quotes?q={}a", "NOT%20".repeat(600));
    let mut cases = cases;
    cases.extend([
        // Broken, nested and mistyped JSON.
        case(
            "POST",
            "/v1/search",
            JSON,
            nested_object.as_bytes(),
            400,
            "malformed_json",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\",}",
            400,
            "malformed_json",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\"} trailing",
            400,
            "malformed_json",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"\xc3\x28\", \"body\": \"B\"}",
            400,
            "malformed_json",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\\ud800\", \"body\": \"B\"}",
            400,
            "malformed_json",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"null",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": null, \"body\": \"B\"}",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"authors\": \"Ann\"}",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"quotes\": {}}",
            422,
            "invalid_article",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"published\": \"2024-02-30\"}",
            422,
            "invalid_date",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"published\": \"2024-04-26T25:00:00Z\"}",
            422,
            "invalid_date",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"id\": \"\"}",
            422,
            "invalid_id",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"id\": \"a\\u0000b\"}",
            422,
            "invalid_id",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"id\": \"..\\\\..\\\\win.ini\"}",
            422,
            "invalid_id",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            long_id.as_bytes(),
            422,
            "invalid_id",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            long_source.as_bytes(),
            422,
            "field_too_long",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"source\": \"CNN\\u0007\"}",
            422,
            "invalid_text",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"T\", \"body\": \"B\", \"url\": \"http://a b\"}",
            422,
            "invalid_url",
        ),
        case(
            "POST",
            "/v1/articles",
            JSON,
            b"{\"title\": \"\\u0000\", \"body\": \"B\"}",
            422,
            "invalid_text",
        ),
        case(
            "POST",
            "/v1/articles",
            Some("application/xml"),
            b"<article/>",
            415,
            "unsupported_media_type",
        ),
        case(
            "POST",
            "/v1/articles",
            Some("multipart/form-data; boundary=x"),
            b"--x--",
            415,
            "unsupported_media_type",
        ),
        case(
            "DELETE",
            "/v1/articles",
            None,
            b"",
            405,
            "method_not_allowed",
        ),
        case(
            "GET",
            "/v1/articles/bulk",
            None,
            b"",
            405,
            "method_not_allowed",
        ),
        case(
            "PUT",
            "/v1/articles/cnn-blinken-beijing",
            JSON,
            b"{}",
            405,
            "method_not_allowed",
        ),
        // Ids that try to leave their place.
        case(
            "GET",
            "/v1/articles/..%2F..%2Fetc%2Fpasswd",
            None,
            b"",
            400,
            "invalid_id",
        ),
        case(
            "DELETE",
            "/v1/articles/..%2Fmeta.json",
            None,
            b"",
            400,
            "invalid_id",
        ),
        case("GET", "/v1/articles/%00", None, b"", 400, "invalid_id"),
        case(
            "GET",
            "/v1/articles/..%5C..%5Cwin.ini",
            None,
            b"",
            400,
            "invalid_id",
        ),
        // Query strings and query syntax traps.
        case(
            "GET",
            "/v1/search?q=%FF%FE",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?q=a%00b",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?q=a%07b",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?q=%22",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case(
            "GET",
            "/v1/search?q=((((((a",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case(
            "GET",
            "/v1/search?q=title:",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case("GET", "/v1/search?q=title:body:x", None, b"", 200, ""),
        case(
            "GET",
            "/v1/search?q=body%3Atitle%3A%28x",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case(
            "GET",
            "/v1/search?q%FF=x",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?q=OR",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case(
            "GET",
            "/v1/search?q=NOT%20NOT",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case("GET", &minus_chain, None, b"", 400, "query_syntax_error"),
        case("GET", &not_chain, None, b"", 400, "query_syntax_error"),
        case(
            "GET",
            "/v1/search?q=a*",
            None,
            b"",
            400,
            "query_syntax_error",
        ),
        case("GET", "/v1/search?q=*:*", None, b"", 200, ""),
        case(
            "GET",
            "/v1/search?q=.*%5B%5D%7B%7D%5E%24%7C%3F%2B%5C*",
            None,
            b"",
            200,
            "",
        ),
        case("GET", "/v1/search?q=%22%22", None, b"", 200, ""),
        // Parameters out of range or of the wrong type.
        case(
            "GET",
            "/v1/search?limit=18446744073709551616",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?limit=1e3",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?offset=-5",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?facet_limit=100000",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/quotes?facets=speaker,colour",
            None,
            b"",
            400,
            "unknown_facet",
        ),
        case(
            "GET",
            "/v1/search?from=2024-02-30",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?to=99999-01-01",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/search?sort=-published&cursor=%FF",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/speakers?limit=0",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "GET",
            "/v1/speakers?colour=red",
            None,
            b"",
            400,
            "unknown_parameter",
        ),
        case(
            "GET",
            "/v1/topics?parent=world",
            None,
            b"",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"limit\": -5}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"limit\": 1e30}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"limit\": 2.5}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"speaker\": [1, 2]}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"speaker\": {\"a\": 1}}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"unknown_field\": true}",
            400,
            "unknown_parameter",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            long_post_query.as_bytes(),
            400,
            "query_too_long",
        ),
        case(
            "POST",
            "/v1/search",
            JSON,
            b"{\"q\": \"a\\u0000\"}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/search?q=x",
            JSON,
            b"{}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/quotes",
            Some("application/x-ndjson"),
            b"{}",
            415,
            "unsupported_media_type",
        ),
        // Admin endpoints.
        case(
            "GET",
            "/v1/admin/snapshot",
            None,
            b"",
            405,
            "method_not_allowed",
        ),
        case(
            "POST",
            "/v1/admin/snapshot",
            JSON,
            b"{\"name\": \"../../tmp/x\"}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/admin/snapshot",
            JSON,
            b"{\"name\": 5}",
            400,
            "invalid_parameter",
        ),
        case(
            "POST",
            "/v1/admin/snapshot",
            JSON,
            b"{\"path\": \"/\"}",
            400,
            "unknown_parameter",
        ),
        case(
            "POST",
            "/v1/admin/snapshot",
            JSON,
            b"[",
            400,
            "malformed_json",
        ),
        case("POST", "/v1/admin/nothing", JSON, b"{}", 404, "not_found"),
    ]);
    let long_query = format!("/v1/search?q={}", "a".repeat(5000));
    let many_clauses = format!("/v1/search?q={}", vec!["w"; 300].join("%20"));
    cases.push(case("GET", &long_query, None, b"", 400, "query_too_long"));
    cases.push(case(
        "GET",
        &many_clauses,
        None,
        b"",
        400,
        "too_many_clauses",
    ));

    let mut server_errors = Vec::new();
    let mut wrong = Vec::new();
    for (method, path, content_type, body, status, code) in &cases {
        let answer = server.send(method, path, *content_type, body);
        let shown: String = path.chars().take(80).collect();
        if answer.status >= 500 {
            server_errors.push(format!("{method} {shown}: {}", answer.body));
        }
        let message = answer.body["error"]["message"].as_str().unwrap_or("");
        let problem = if answer.status != *status {
            Some("wrong status")
        } else if *status < 400 {
            None
        } else if answer.code() != *code {
            Some("wrong code")
        } else if message.is_empty() {
            Some("empty message")
        } else if answer.header("content-type") != Some("application/json") {
            Some("not JSON")
        } else {
            None
        };
        if let Some(problem) = problem {
            wrong.push(format!(
                "{method} {shown}: {problem}: expected {status} {code}, got {} {}",
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
    assert!(cases.len() >= 120, "the table should stay thorough");
    eprintln!("bad requests: {} tried, 0 answered 5xx", cases.len());

    // The oversized bulk line was reported, not indexed; nothing else changed.
    let stats_after = server.get("/v1/stats").body;
    assert_eq!(stats_after["articles"], stats_before["articles"]);
    assert_eq!(stats_after["quotes"], stats_before["quotes"]);
    assert_eq!(
        server.get("/v1/articles/cnn-blinken-beijing").body,
        article_before
    );
    assert_eq!(server.get("/health").body, json!({"status": "ok"}));
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
    assert_eq!(answer.code(), "invalid_date");
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
        assert_eq!(answer.code(), "method_not_allowed", "{method} {path}");
        assert_eq!(answer.header("allow"), Some(allow), "{method} {path}");
        assert_eq!(
            answer.header("content-type"),
            Some("application/json"),
            "{method} {path}"
        );
    }
}
