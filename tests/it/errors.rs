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
    let long_query = format!("/v1/search?q={}", "a".repeat(5000));
    let many_clauses = format!("/v1/search?q={}", vec!["w"; 300].join("%20"));
    let mut cases = cases;
    cases.push(case("GET", &long_query, None, b"", 400, "query_too_long"));
    cases.push(case(
        "GET",
        &many_clauses,
        None,
        b"",
        400,
        "too_many_clauses",
    ));

    for (method, path, content_type, body, status, code) in &cases {
        let answer = server.send(method, path, *content_type, body);
        let shown: String = path.chars().take(80).collect();
        assert_eq!(answer.status, *status, "{method} {shown}: {}", answer.body);
        if *status >= 400 {
            assert_eq!(answer.code(), *code, "{method} {shown}: {}", answer.body);
            let message = answer.body["error"]["message"].as_str().unwrap_or("");
            assert!(!message.is_empty(), "{method} {shown}: empty message");
            assert_eq!(
                answer.header("content-type"),
                Some("application/json"),
                "{method} {shown}"
            );
        }
    }
    assert!(cases.len() >= 55, "the table should stay thorough");

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
