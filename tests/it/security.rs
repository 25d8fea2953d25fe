//! Authentication and exposure: API keys (admin writes, search reads), their
//! errors, keys kept out of the logs, CORS, and the refusal to listen beyond
//! loopback without keys.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::TestServer;

const ADMIN_KEY: &str = "admin-key-Verbatim-0123456789";
const SEARCH_KEY: &str = "search-key-Verbatim-9876543210";

/// (method, path, Authorization, content type, body, status, error code)
type AuthCase<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    &'a [u8],
    u16,
    &'a str,
);

fn keyed_server(backend: TestBackend, extra: &[(&str, &str)]) -> TestServer {
    let mut env = vec![
        ("VERBATIM_ADMIN_KEY", ADMIN_KEY),
        ("VERBATIM_SEARCH_KEY", SEARCH_KEY),
    ];
    env.extend_from_slice(extra);
    backend.start_with(&env)
}

fn keys_separate_readers_from_writers(backend: TestBackend) {
    let server = keyed_server(backend, &[]);
    let admin = format!("Bearer {ADMIN_KEY}");
    let search = format!("Bearer {SEARCH_KEY}");
    let lower_case_scheme = format!("bearer {SEARCH_KEY}");
    let longer = format!("Bearer {SEARCH_KEY}x");
    let article =
        json!({"id": "auth-1", "title": "Keys", "body": "\"Locks matter,\" said Ann Lee."})
            .to_string();
    let json = Some("application/json");
    let ndjson = Some("application/x-ndjson");
    let cases: Vec<AuthCase> = vec![
        ("GET", "/health", None, None, b"", 200, ""),
        ("GET", "/v1/search", None, None, b"", 401, "missing_api_key"),
        (
            "GET",
            "/v1/search",
            Some("Bearer wrong-key-0000000000000"),
            None,
            b"",
            401,
            "invalid_api_key",
        ),
        (
            "GET",
            "/v1/search",
            Some("Basic YWRtaW46YWRtaW4="),
            None,
            b"",
            401,
            "invalid_api_key",
        ),
        (
            "GET",
            "/v1/search",
            Some("Bearer"),
            None,
            b"",
            401,
            "invalid_api_key",
        ),
        (
            "GET",
            "/v1/search",
            Some(longer.as_str()),
            None,
            b"",
            401,
            "invalid_api_key",
        ),
        (
            "GET",
            "/v1/search",
            Some(ADMIN_KEY),
            None,
            b"",
            401,
            "invalid_api_key",
        ),
        (
            "GET",
            "/v1/search",
            Some(search.as_str()),
            None,
            b"",
            200,
            "",
        ),
        (
            "GET",
            "/v1/search",
            Some(lower_case_scheme.as_str()),
            None,
            b"",
            200,
            "",
        ),
        (
            "GET",
            "/v1/search",
            Some(admin.as_str()),
            None,
            b"",
            200,
            "",
        ),
        (
            "POST",
            "/v1/quotes",
            Some(search.as_str()),
            json,
            b"{}",
            200,
            "",
        ),
        (
            "POST",
            "/v1/quotes/verify",
            Some(search.as_str()),
            json,
            br#"{"text": "We will build bridges"}"#,
            200,
            "",
        ),
        (
            "POST",
            "/v1/quotes/verify",
            None,
            json,
            br#"{"text": "We will build bridges"}"#,
            401,
            "missing_api_key",
        ),
        ("GET", "/v1/stats", None, None, b"", 401, "missing_api_key"),
        (
            "GET",
            "/v1/speakers",
            Some(search.as_str()),
            None,
            b"",
            200,
            "",
        ),
        (
            "GET",
            "/v1/articles/auth-1",
            None,
            None,
            b"",
            401,
            "missing_api_key",
        ),
        (
            "POST",
            "/v1/articles",
            None,
            json,
            article.as_bytes(),
            401,
            "missing_api_key",
        ),
        (
            "POST",
            "/v1/articles",
            Some(search.as_str()),
            json,
            article.as_bytes(),
            403,
            "forbidden",
        ),
        (
            "POST",
            "/v1/articles/bulk",
            Some(search.as_str()),
            ndjson,
            article.as_bytes(),
            403,
            "forbidden",
        ),
        (
            "DELETE",
            "/v1/articles/auth-1",
            Some(search.as_str()),
            None,
            b"",
            403,
            "forbidden",
        ),
        (
            "POST",
            "/v1/admin/snapshot",
            Some(search.as_str()),
            json,
            b"{}",
            403,
            "forbidden",
        ),
        (
            "POST",
            "/v1/admin/snapshot",
            None,
            json,
            b"{}",
            401,
            "missing_api_key",
        ),
        (
            "PUT",
            "/v1/articles",
            Some(search.as_str()),
            json,
            b"{}",
            403,
            "forbidden",
        ),
        (
            "POST",
            "/v1/articles",
            Some(admin.as_str()),
            json,
            article.as_bytes(),
            201,
            "",
        ),
        (
            "GET",
            "/v1/articles/auth-1",
            Some(search.as_str()),
            None,
            b"",
            200,
            "",
        ),
        (
            "DELETE",
            "/v1/articles/auth-1",
            Some(search.as_str()),
            None,
            b"",
            403,
            "forbidden",
        ),
        (
            "GET",
            "/v1/articles/auth-1",
            Some(admin.as_str()),
            None,
            b"",
            200,
            "",
        ),
    ];
    for (method, path, authorization, content_type, body, status, code) in &cases {
        let headers: Vec<(&str, &str)> = authorization
            .map(|value| vec![("Authorization", value)])
            .unwrap_or_default();
        let answer = server.send_with_headers(method, path, &headers, *content_type, body);
        let shown = format!(
            "{method} {path} with {:?}",
            authorization.map(|a| &a[..10.min(a.len())])
        );
        assert_eq!(answer.status, *status, "{shown}: {}", answer.body);
        if *status >= 400 {
            assert_eq!(answer.code(), *code, "{shown}: {}", answer.body);
        }
        if *status == 401 {
            assert!(
                answer
                    .header("www-authenticate")
                    .is_some_and(|h| h.starts_with("Bearer")),
                "{shown}: no WWW-Authenticate"
            );
        }
        let text = answer.body.to_string();
        assert!(
            !text.contains(ADMIN_KEY) && !text.contains(SEARCH_KEY),
            "{shown}: key echoed"
        );
    }
    // The admin key deletes; the article is gone.
    let deleted = server.send_with_headers(
        "DELETE",
        "/v1/articles/auth-1",
        &[("Authorization", &admin)],
        None,
        b"",
    );
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    std::thread::sleep(Duration::from_millis(200));
    let log = server.log_lines().join("\n");
    assert!(log.contains("API keys configured"), "{log}");
    assert!(
        !log.contains(ADMIN_KEY) && !log.contains(SEARCH_KEY),
        "a key was logged:\n{log}"
    );
}

fn cors_answers_allowed_origins_only(backend: TestBackend) {
    let server = keyed_server(
        backend,
        &[("VERBATIM_CORS_ORIGINS", "https://newsroom.example")],
    );
    // A preflight is answered without a key (browsers send none).
    let preflight = server.send_with_headers(
        "OPTIONS",
        "/v1/search",
        &[
            ("Origin", "https://newsroom.example"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization"),
        ],
        None,
        b"",
    );
    assert_eq!(preflight.status, 200, "{}", preflight.body);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://newsroom.example")
    );
    assert!(preflight
        .header("access-control-allow-headers")
        .is_some_and(|h| h.to_ascii_lowercase().contains("authorization")));
    let search = format!("Bearer {SEARCH_KEY}");
    let allowed = server.send_with_headers(
        "GET",
        "/v1/search",
        &[
            ("Origin", "https://newsroom.example"),
            ("Authorization", &search),
        ],
        None,
        b"",
    );
    assert_eq!(allowed.status, 200);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://newsroom.example")
    );
    // Errors carry the header too, so a browser can read them.
    let unauthorized = server.send_with_headers(
        "GET",
        "/v1/search",
        &[("Origin", "https://newsroom.example")],
        None,
        b"",
    );
    assert_eq!(unauthorized.status, 401);
    assert!(unauthorized.header("access-control-allow-origin").is_some());
    let other = server.send_with_headers(
        "GET",
        "/v1/search",
        &[
            ("Origin", "https://evil.example"),
            ("Authorization", &search),
        ],
        None,
        b"",
    );
    assert_eq!(other.status, 200);
    assert_eq!(other.header("access-control-allow-origin"), None);
    let other_preflight = server.send_with_headers(
        "OPTIONS",
        "/v1/search",
        &[
            ("Origin", "https://evil.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        None,
        b"",
    );
    assert_eq!(other_preflight.header("access-control-allow-origin"), None);
    assert_eq!(other_preflight.status, 400);
    assert_eq!(other_preflight.body["error"]["code"], "cors_rejected");
    // A preflight for a method the API does not serve is refused too.
    let put_preflight = server.send_with_headers(
        "OPTIONS",
        "/v1/search",
        &[
            ("Origin", "https://newsroom.example"),
            ("Access-Control-Request-Method", "PUT"),
        ],
        None,
        b"",
    );
    assert_eq!(put_preflight.status, 400, "{}", put_preflight.body);
    assert_eq!(put_preflight.body["error"]["code"], "cors_rejected");
    // A bare OPTIONS is no preflight: the route answers it.
    let admin = format!("Bearer {ADMIN_KEY}");
    let bare = server.send_with_headers(
        "OPTIONS",
        "/v1/search",
        &[
            ("Origin", "https://newsroom.example"),
            ("Authorization", &admin),
        ],
        None,
        b"",
    );
    assert_eq!(bare.status, 405, "{}", bare.body);
    assert!(bare.header("allow").is_some());
}

/// Starts `verbatim serve` with `args` and environment; returns whether it
/// got as far as listening (then it is killed) and what it printed.
fn try_serve(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let temp = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_verbatim"));
    command
        .arg("serve")
        .args(args)
        .arg("--index-dir")
        .arg(temp.path().join("index"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("VERBATIM_WRITER_MEMORY_MB", "32")
        .env(
            "VERBATIM_JA_DICTIONARY",
            crate::helpers::test_dictionary_dir(),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("start verbatim serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut output = String::new();
    let mut listening = false;
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        output.push_str(&line);
        output.push('\n');
        if line.contains("listening on http://") {
            listening = true;
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    (listening, output)
}

#[test]
fn without_keys_the_server_stays_on_loopback_unless_told_otherwise() {
    let (listening, output) = try_serve(&["--listen", "127.0.0.1:0"], &[]);
    assert!(listening, "{output}");
    assert!(output.contains("no API keys configured"), "{output}");

    // The Dockerfile's VERBATIM_LISTEN=0.0.0.0:7700, without keys: refused.
    let (listening, output) = try_serve(&[], &[("VERBATIM_LISTEN", "0.0.0.0:0")]);
    assert!(!listening, "{output}");
    assert!(
        output.contains("refusing to listen on 0.0.0.0:0"),
        "{output}"
    );
    assert!(output.contains("VERBATIM_ADMIN_KEY"), "{output}");

    // The explicit opt-ins.
    let (listening, output) = try_serve(
        &["--allow-unauthenticated"],
        &[("VERBATIM_LISTEN", "0.0.0.0:0")],
    );
    assert!(listening, "{output}");
    let (listening, output) = try_serve(
        &[],
        &[
            ("VERBATIM_LISTEN", "0.0.0.0:0"),
            ("VERBATIM_ALLOW_UNAUTHENTICATED", "1"),
        ],
    );
    assert!(listening, "{output}");
    // With keys, any address.
    let (listening, output) = try_serve(
        &[],
        &[
            ("VERBATIM_LISTEN", "0.0.0.0:0"),
            ("VERBATIM_ADMIN_KEY", ADMIN_KEY),
        ],
    );
    assert!(listening, "{output}");
    assert!(!output.contains(ADMIN_KEY), "{output}");
}

/// actix routes on the percent-decoded path (`%5F` is `_`), so the key check
/// must class the path the same way: `/assets/%5Fbulk` reaches the
/// Elasticsearch bulk endpoint, not an asset, and needs the admin key.
fn encoded_paths_need_the_key_of_the_route_they_reach(backend: TestBackend) {
    let server = keyed_server(backend, &[]);
    let search = format!("Bearer {SEARCH_KEY}");
    let bulk = "{\"index\": {\"_id\": \"sneaked\"}}\n{\"title\": \"T\", \"body\": \"B\"}\n";
    let ndjson = Some("application/x-ndjson");
    for path in ["/assets/%5Fbulk", "/assets/_bulk", "/v1/articles/%62ulk"] {
        let anonymous = server.send("POST", path, ndjson, bulk.as_bytes());
        assert_eq!(anonymous.status, 401, "POST {path}: {}", anonymous.body);
        let searcher = server.send_with_headers(
            "POST",
            path,
            &[("Authorization", &search)],
            ndjson,
            bulk.as_bytes(),
        );
        assert_eq!(searcher.status, 403, "POST {path}: {}", searcher.body);
    }
    let admin = format!("Bearer {ADMIN_KEY}");
    let stats =
        server.send_with_headers("GET", "/v1/stats", &[("Authorization", &admin)], None, b"");
    assert_eq!(stats.body["articles"], 0, "{}", stats.body);
    // The same decoding opens what is open: `/%68ealth` is `/health`.
    assert_eq!(server.get("/%68ealth").status, 200);
}

on_both_backends!(
    keys_separate_readers_from_writers,
    cors_answers_allowed_origins_only,
    encoded_paths_need_the_key_of_the_route_they_reach,
);
