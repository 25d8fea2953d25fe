//! Live news against a fixture web server on loopback: pages fetched and
//! extracted (`POST /v1/articles/from-url`), feeds polled once across a
//! restart, and every way a fetch can fail answered with its code and
//! nothing stored.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::TestServer;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/live");

/// A web server on a free loopback port serving `tests/fixtures/live` and a
/// few misbehaving paths, each request on a thread of its own.
struct FixtureSite {
    base: String,
    /// `304 Not Modified` answers given (to conditional feed requests).
    not_modified: Arc<AtomicUsize>,
}

impl FixtureSite {
    fn start() -> FixtureSite {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let site_base = base.clone();
        let not_modified = Arc::new(AtomicUsize::new(0));
        let counter = not_modified.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let base = site_base.clone();
                let counter = counter.clone();
                std::thread::spawn(move || serve(stream, &base, &counter));
            }
        });
        FixtureSite { base, not_modified }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn fixture(name: &str, base: &str) -> Vec<u8> {
    std::fs::read_to_string(Path::new(FIXTURES).join(name))
        .unwrap()
        .replace("{BASE}", base)
        .into_bytes()
}

fn serve(mut stream: TcpStream, base: &str, not_modified: &AtomicUsize) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("if-none-match:") {
            if_none_match = Some(value.trim().to_owned());
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let html = "text/html; charset=utf-8";
    let (status, headers, body): (&str, Vec<(&str, String)>, Vec<u8>) = match path.as_str() {
        "/robots.txt" => (
            "200 OK",
            vec![("Content-Type", "text/plain".into())],
            b"User-agent: *\nDisallow: /private/\n".to_vec(),
        ),
        "/news/business-68551234" | "/private/page" => (
            "200 OK",
            vec![("Content-Type", html.into())],
            fixture("bbc-like.html", base),
        ),
        "/markets/us/fed-holds-rates-2024-06-12/" => (
            "200 OK",
            vec![("Content-Type", html.into())],
            fixture("reuters-like.html", base),
        ),
        "/moved" => (
            "301 Moved Permanently",
            vec![("Location", "/markets/us/fed-holds-rates-2024-06-12/".into())],
            Vec::new(),
        ),
        "/rss.xml" => {
            if if_none_match.as_deref() == Some("\"rss-v1\"") {
                not_modified.fetch_add(1, Ordering::SeqCst);
                (
                    "304 Not Modified",
                    vec![("ETag", "\"rss-v1\"".into())],
                    Vec::new(),
                )
            } else {
                (
                    "200 OK",
                    vec![
                        ("Content-Type", "application/rss+xml".into()),
                        ("ETag", "\"rss-v1\"".into()),
                    ],
                    fixture("rss.xml", base),
                )
            }
        }
        "/atom.xml" => (
            "200 OK",
            vec![("Content-Type", "application/atom+xml".into())],
            fixture("atom.xml", base),
        ),
        "/feed.json" => (
            "200 OK",
            vec![("Content-Type", "application/feed+json".into())],
            fixture("feed.json", base),
        ),
        "/rss-bad-item.xml" => (
            "200 OK",
            vec![("Content-Type", "application/rss+xml".into())],
            fixture("rss-bad-item.xml", base),
        ),
        "/rss-no-guid.xml" => (
            "200 OK",
            vec![("Content-Type", "application/rss+xml".into())],
            fixture("rss-no-guid.xml", base),
        ),
        "/malformed.xml" => (
            "200 OK",
            vec![("Content-Type", "application/rss+xml".into())],
            fixture("malformed.xml", base),
        ),
        "/report.pdf" => (
            "200 OK",
            vec![("Content-Type", "application/pdf".into())],
            b"%PDF-1.4 not html".to_vec(),
        ),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            (
                "200 OK",
                vec![("Content-Type", html.into())],
                fixture("bbc-like.html", base),
            )
        }
        "/loop-a" => (
            "302 Found",
            vec![("Location", "/loop-b".into())],
            Vec::new(),
        ),
        "/loop-b" => (
            "302 Found",
            vec![("Location", "/loop-a".into())],
            Vec::new(),
        ),
        "/huge" => {
            let mut page = b"<html><body><p>".to_vec();
            page.resize(400_000, b'a');
            ("200 OK", vec![("Content-Type", html.into())], page)
        }
        _ => (
            "404 Not Found",
            vec![("Content-Type", "text/plain".into())],
            b"not found".to_vec(),
        ),
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
    let mut rest = [0u8; 1];
    let _ = stream.set_read_timeout(Some(Duration::from_millis(10)));
    let _ = stream.read(&mut rest);
}

/// Settings of the server under test: loopback allowed, short limits.
const LIVE_ENV: &[(&str, &str)] = &[
    ("VERBATIM_FETCH_ALLOW_PRIVATE", "1"),
    ("VERBATIM_FETCH_TIMEOUT_MS", "1000"),
    ("VERBATIM_FETCH_MAX_BYTES", "200000"),
    ("VERBATIM_FEEDS_MIN_INTERVAL_SECS", "1"),
];

/// The main text of the BBC-like page, paragraph by paragraph.
fn bbc_paragraphs() -> Vec<String> {
    paragraphs("bbc-like.html", "<div data-component=\"text-block\"><p>")
}

/// The paragraphs of a fixture page that follow each `opening`.
fn paragraphs(page: &str, opening: &str) -> Vec<String> {
    let html = std::fs::read_to_string(Path::new(FIXTURES).join(page)).unwrap();
    html.split(opening)
        .skip(1)
        .map(|part| {
            part.split("</p>")
                .next()
                .unwrap()
                .replace("<b>", "")
                .replace("</b>", "")
        })
        .collect()
}

fn articles(server: &TestServer) -> u64 {
    server.get("/v1/stats").body["articles"].as_u64().unwrap()
}

fn a_page_is_fetched_extracted_and_its_quotes_found(backend: TestBackend) {
    let site = FixtureSite::start();
    let server = backend.start_with(LIVE_ENV);
    let answer = server.post_json(
        "/v1/articles/from-url",
        &json!({"url": site.url("/news/business-68551234")}),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    let extracted = &answer.body["extracted"];
    assert_eq!(extracted["title"], "Port strike: Dockers walk out over pay");
    assert_eq!(extracted["authors"], json!(["Sarah Jones"]));
    assert_eq!(extracted["published"], "2024-03-14T09:30:00Z");
    assert_eq!(extracted["metadata_source"], "json-ld");
    let id = answer.body["ids"][0].as_str().unwrap();
    let article = server.get(&format!("/v1/articles/{id}")).body;
    let body = article["body"].as_str().unwrap();
    let expected: usize = bbc_paragraphs().iter().map(|p| p.chars().count()).sum();
    let found: usize = bbc_paragraphs()
        .iter()
        .filter(|p| body.contains(p.as_str()))
        .map(|p| p.chars().count())
        .sum();
    assert!(
        found * 100 >= expected * 95,
        "{found} of {expected} characters: {body}"
    );
    for noise in [
        "Sport",
        "Weather",
        "Related Topics",
        "greedy bosses",
        "Comment number two",
        "Copyright",
        "Terms of Use",
    ] {
        assert!(!body.contains(noise), "`{noise}` in the body: {body}");
    }
    assert_eq!(article["source"], "BBC-like News");

    // Without JSON-LD: OpenGraph metadata, through a redirect.
    let answer = server.post_json(
        "/v1/articles/from-url",
        &json!({"url": site.url("/moved"), "source": "Wire"}),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["extracted"]["metadata_source"], "opengraph");
    assert_eq!(
        answer.body["extracted"]["authors"],
        json!(["Howard Schneider"])
    );
    let id = answer.body["ids"][0].as_str().unwrap();
    let article = server.get(&format!("/v1/articles/{id}")).body;
    let body = article["body"].as_str().unwrap();
    let expected: Vec<String> = paragraphs("reuters-like.html", "\">")
        .into_iter()
        .filter(|p| p.len() > 100 && !p.contains('<'))
        .collect();
    assert_eq!(expected.len(), 5, "{expected:?}");
    let total: usize = expected.iter().map(|p| p.chars().count()).sum();
    let found: usize = expected
        .iter()
        .filter(|p| body.contains(p.as_str()))
        .map(|p| p.chars().count())
        .sum();
    assert!(
        found * 100 >= total * 95,
        "{found} of {total} characters: {body}"
    );
    for noise in [
        "Read Next",
        "Oil falls",
        "Subscribe",
        "All quotes delayed",
        "Breakingviews",
    ] {
        assert!(!body.contains(noise), "`{noise}` in the body: {body}");
    }
    assert_eq!(article["source"], "Wire");

    let quotes = server.get("/v1/quotes?limit=50").body;
    let speakers: Vec<&str> = quotes["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|hit| hit["speaker"].as_str())
        .collect();
    for speaker in ["Sharon Graham", "Jerome Powell"] {
        assert!(
            speakers.iter().any(|s| s.contains(speaker)),
            "{speaker} not among {speakers:?}"
        );
    }
}

fn a_failed_fetch_is_a_clear_error_and_stores_nothing(backend: TestBackend) {
    let site = FixtureSite::start();
    let server = backend.start_with(LIVE_ENV);
    let cases = [
        ("/report.pdf", 422, "fetch_not_html"),
        ("/slow", 504, "fetch_timeout"),
        ("/loop-a", 502, "fetch_redirects"),
        ("/huge", 422, "fetch_too_large"),
        ("/missing", 502, "fetch_failed"),
        ("/private/page", 403, "fetch_disallowed_by_robots"),
    ];
    for (path, status, code) in cases {
        let answer = server.post_json("/v1/articles/from-url", &json!({"url": site.url(path)}));
        assert_eq!(
            (answer.status, answer.code()),
            (status, code),
            "{path}: {}",
            answer.body
        );
    }
    let answer = server.post_json(
        "/v1/articles/from-url",
        &json!({"url": "file:///etc/passwd"}),
    );
    assert_eq!((answer.status, answer.code()), (422, "fetch_invalid_url"));
    assert_eq!(articles(&server), 0);
}

fn by_default_loopback_and_private_addresses_are_refused(backend: TestBackend) {
    let site = FixtureSite::start();
    let server = backend.start();
    for url in [
        site.url("/news/business-68551234"),
        "http://10.0.0.1/".to_owned(),
        "http://[::1]:9/".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
    ] {
        let answer = server.post_json("/v1/articles/from-url", &json!({"url": url}));
        assert_eq!(
            (answer.status, answer.code()),
            (403, "fetch_address_not_allowed"),
            "{url}"
        );
        let answer = server.post_json("/v1/feeds", &json!({"url": url}));
        assert_eq!(
            (answer.status, answer.code()),
            (403, "fetch_address_not_allowed"),
            "{url}"
        );
    }
    assert_eq!(server.get("/v1/feeds").body["feeds"], json!([]));
    assert_eq!(articles(&server), 0);
}

/// Waits until `done` holds of `GET /v1/feeds`, for at most 30 seconds.
fn wait_for_feeds(server: &TestServer, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let feeds = server.get("/v1/feeds").body["feeds"]
            .as_array()
            .unwrap()
            .clone();
        if done(&feeds) {
            return feeds;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "feeds not polled in time: {feeds:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn ingested(feeds: &[Value]) -> u64 {
    feeds
        .iter()
        .map(|feed| feed["items_ingested"].as_u64().unwrap())
        .sum()
}

fn feeds_are_polled_and_each_item_ingested_once_across_a_restart(backend: TestBackend) {
    let site = FixtureSite::start();
    let server = backend.start_with(LIVE_ENV);
    for (path, source) in [
        ("/rss.xml", "BBC-like"),
        ("/atom.xml", "Wire"),
        ("/feed.json", "JSON"),
        // A relative link and no guid: known by its link, resolved against the feed.
        ("/rss-no-guid.xml", "NoGuid"),
    ] {
        let answer = server.post_json(
            "/v1/feeds",
            &json!({"url": site.url(path), "source": source, "interval": 1}),
        );
        assert_eq!(answer.status, 201, "{}", answer.body);
    }
    let again = server.post_json("/v1/feeds", &json!({"url": site.url("/rss.xml")}));
    assert_eq!((again.status, again.code()), (409, "feed_exists"));
    let feeds = wait_for_feeds(&server, |feeds| ingested(feeds) == 5);
    // The no-guid item is the RSS feed's second page: one article for both.
    assert!(
        feeds.iter().all(|feed| feed["last_error"].is_null()),
        "{feeds:?}"
    );
    assert_eq!(articles(&server), 4);
    let quotes = server.get("/v1/quotes?limit=50").body;
    let speakers: Vec<String> = quotes["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|hit| hit["speaker"].as_str().map(str::to_owned))
        .collect();
    for speaker in ["Tom Harris", "Amina Mohammed", "Sharon Graham"] {
        assert!(
            speakers.iter().any(|s| s.contains(speaker)),
            "{speaker} not among {speakers:?}"
        );
    }
    // Later polls are conditional: the RSS fixture answers 304 to its ETag.
    let started = Instant::now();
    while site.not_modified.load(Ordering::SeqCst) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no conditional request"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let rss_id = feeds[0]["id"].as_str().unwrap().to_owned();
    let rss = server.get(&format!("/v1/feeds/{rss_id}")).body;
    assert_eq!(rss["items_ingested"], 2);

    let store = server.store();
    let temp = server.stop();
    assert!(store.dir.join("feeds.json").is_file());
    let server = store.start(LIVE_ENV);
    // Polls after the restart (the feeds are due at once) find nothing new.
    let polled_after = crate::helpers::now_secs_for_tests();
    let feeds = wait_for_feeds(&server, |feeds| {
        feeds.iter().all(|feed| {
            feed["last_fetch"]
                .as_str()
                .is_some_and(|t| rfc3339_secs(t) > polled_after + 1)
        })
    });
    assert_eq!(ingested(&feeds), 5, "{feeds:?}");
    assert_eq!(articles(&server), 4);
    let removed = server.delete(&format!("/v1/feeds/{rss_id}"));
    assert_eq!(removed.status, 200);
    assert_eq!(
        server.get(&format!("/v1/feeds/{rss_id}")).code(),
        "feed_not_found"
    );
    drop(temp);
}

fn rfc3339_secs(text: &str) -> i64 {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .unix_timestamp()
}

fn a_malformed_feed_shows_its_error_and_ingests_nothing(backend: TestBackend) {
    let site = FixtureSite::start();
    let server = backend.start_with(LIVE_ENV);
    let answer = server.post_json(
        "/v1/feeds",
        &json!({"url": site.url("/malformed.xml"), "interval": 1}),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    let feeds = wait_for_feeds(&server, |feeds| !feeds[0]["last_error"].is_null());
    assert!(
        feeds[0]["last_error"].as_str().unwrap().contains("feed"),
        "{feeds:?}"
    );
    assert_eq!(feeds[0]["items_ingested"], 0);
    assert!(feeds[0]["failures"].as_u64().unwrap() >= 1);
    // Backoff: a failed poll waits at least twice the interval.
    let wait = rfc3339_secs(feeds[0]["next_poll"].as_str().unwrap())
        - rfc3339_secs(feeds[0]["last_fetch"].as_str().unwrap());
    assert!(wait >= 2, "{feeds:?}");
    assert_eq!(articles(&server), 0);

    // An item whose page is no article: the error is shown, the item skipped for good.
    let answer = server.post_json(
        "/v1/feeds",
        &json!({"url": site.url("/rss-bad-item.xml"), "interval": 1}),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    let id = answer.body["id"].as_str().unwrap().to_owned();
    let feeds = wait_for_feeds(&server, |feeds| {
        feeds
            .iter()
            .any(|feed| feed["id"] == id.as_str() && feed["items_seen"] == 1)
    });
    let feed = feeds.iter().find(|feed| feed["id"] == id.as_str()).unwrap();
    assert_eq!(feed["items_ingested"], 0);
    assert!(
        feed["last_error"].as_str().unwrap().contains("report-2024"),
        "{feed}"
    );
    assert_eq!(articles(&server), 0);
}

/// Runs `verbatim ARGS` with the live settings; returns success and stdout.
fn verbatim(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env(
            "VERBATIM_JA_DICTIONARY",
            crate::helpers::test_dictionary_dir(),
        )
        .env("VERBATIM_WRITER_MEMORY_MB", "64")
        .env_remove("VERBATIM_SERVER")
        .env_remove("VERBATIM_ADMIN_KEY");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn the_command_line_imports_pages_and_manages_feeds_with_or_without_a_server() {
    let site = FixtureSite::start();
    let temp = tempfile::tempdir().unwrap();
    let index = temp.path().join("index");
    let index_arg = index.to_str().unwrap();
    let page = site.url("/news/business-68551234");
    let (ok, out) = verbatim(
        &["import", "--url", &page, "--index-dir", index_arg],
        LIVE_ENV,
    );
    assert!(ok, "{out}");
    let line: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(line["title"], "Port strike: Dockers walk out over pay");
    // The default refuses loopback, and says so.
    let (ok, out) = verbatim(&["import", "--url", &page, "--index-dir", index_arg], &[]);
    assert!(!ok);
    assert!(out.contains("not a public address"), "{out}");

    // Without a server: feeds.json in the index directory.
    let feed = site.url("/rss.xml");
    let (ok, out) = verbatim(
        &[
            "feeds",
            "add",
            &feed,
            "--interval",
            "1",
            "--index-dir",
            index_arg,
        ],
        LIVE_ENV,
    );
    assert!(ok, "{out}");
    let added: Value = serde_json::from_str(&out).unwrap();
    let id = added["id"].as_str().unwrap().to_owned();
    let (ok, out) = verbatim(&["feeds", "list", "--index-dir", index_arg], LIVE_ENV);
    assert!(ok && out.contains(&id), "{out}");

    // A server on that index polls the feed added offline; the page imported
    // before is the RSS feed's first item, replaced rather than doubled.
    let snapshots = temp.path().join("snapshots");
    let mut env = LIVE_ENV.to_vec();
    env.push(("VERBATIM_SNAPSHOT_DIR", snapshots.to_str().unwrap()));
    let server = TestServer::start_on(&index, &env);
    let feeds = wait_for_feeds(&server, |feeds| ingested(feeds) == 2);
    assert_eq!(feeds.len(), 1);
    assert_eq!(articles(&server), 2);
    // A snapshot carries the feeds and the items they ingested.
    let answer = server.post_json("/v1/admin/snapshot", &json!({"name": "live"}));
    assert_eq!(answer.status, 201, "{}", answer.body);
    let copied = std::fs::read_to_string(snapshots.join("live").join("feeds.json")).unwrap();
    assert!(
        copied.contains(&id) && copied.contains("bbc-68551234"),
        "{copied}"
    );
    // With a server: over HTTP.
    let (ok, out) = verbatim(&["feeds", "remove", &id, "--server", &server.base], &[]);
    assert!(ok, "{out}");
    assert_eq!(server.get("/v1/feeds").body["feeds"], json!([]));
    let (ok, out) = verbatim(
        &[
            "feeds",
            "add",
            &site.url("/atom.xml"),
            "--interval",
            "60",
            "--server",
            &server.base,
        ],
        &[],
    );
    assert!(ok, "{out}");
    assert_eq!(
        server.get("/v1/feeds").body["feeds"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

on_both_backends!(
    a_page_is_fetched_extracted_and_its_quotes_found,
    a_failed_fetch_is_a_clear_error_and_stores_nothing,
    by_default_loopback_and_private_addresses_are_refused,
    feeds_are_polled_and_each_item_ingested_once_across_a_restart,
    a_malformed_feed_shows_its_error_and_ingests_nothing,
);
