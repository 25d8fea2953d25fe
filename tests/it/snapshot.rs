//! Backups: `POST /v1/admin/snapshot` and `verbatim snapshot DIR` copy the
//! index while the server serves; `verbatim serve --index-dir COPY` answers
//! exactly as the original did.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::helpers::TestServer;

const QUERIES: &[&str] = &[
    "/v1/quotes?q=%22downward+spiral%22&facets=speaker,topic&limit=20",
    "/v1/search?q=china&facets=speaker,topic,source,month&limit=20",
    "/v1/search?sort=-published&limit=50",
    "/v1/speakers?limit=20",
    "/v1/topics?limit=20",
];

/// The answers to [`QUERIES`], without timings.
fn answers(server: &TestServer) -> Vec<Value> {
    QUERIES
        .iter()
        .map(|path| {
            let answer = server.get(path);
            assert_eq!(answer.status, 200, "{path}: {}", answer.body);
            let mut body = answer.body;
            if let Some(object) = body.as_object_mut() {
                object.remove("took_ms");
            }
            body
        })
        .collect()
}

/// Stats that must match between an index and its copy.
fn counts(server: &TestServer) -> (Value, Value) {
    let stats = server.get("/v1/stats").body;
    (stats["articles"].clone(), stats["quotes"].clone())
}

#[test]
fn snapshots_serve_the_same_results_while_the_original_keeps_writing() {
    let temp = tempfile::tempdir().expect("temp dir");
    let snapshots = temp.path().join("snapshots");
    let snapshot_setting = snapshots.to_str().expect("utf-8").to_owned();
    let server = TestServer::start_on(
        &temp.path().join("index"),
        &[("VERBATIM_SNAPSHOT_DIR", snapshot_setting.as_str())],
    );
    server.load_fixtures();
    let expected = answers(&server);
    let expected_counts = counts(&server);

    // A quiet index: the copy answers exactly the same.
    let created = server.post_json("/v1/admin/snapshot", &json!({"name": "quiet"}));
    assert_eq!(created.status, 201, "{}", created.body);
    assert!(
        created.body["files"].as_u64().unwrap() > 2,
        "{}",
        created.body
    );
    let again = server.post_json("/v1/admin/snapshot", &json!({"name": "quiet"}));
    assert_eq!((again.status, again.code()), (409, "snapshot_exists"));
    let escape = server.post_json("/v1/admin/snapshot", &json!({"name": "../escape"}));
    assert_eq!((escape.status, escape.code()), (400, "invalid_parameter"));
    assert!(!temp.path().join("escape").exists());

    // A busy index: a writer keeps going while snapshots are taken.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let base = server.base.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut written = 0;
            while !stop.load(Ordering::Relaxed) {
                let body = json!({
                    "id": format!("busy-{written}"),
                    "title": format!("Zebra census {written}"),
                    "body": "\"We counted every zebra twice,\" said Ruth Okafor, a ranger.",
                });
                let response = ureq::post(&format!("{base}/v1/articles"))
                    .send_json(body)
                    .expect("write during snapshot");
                assert_eq!(response.status(), 201);
                written += 1;
            }
            written
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let busy = server.post_json("/v1/admin/snapshot", &json!({"name": "busy"}));
    assert_eq!(busy.status, 201, "{}", busy.body);
    // The command line takes one from outside the running server.
    let cli_copy = temp.path().join("cli-copy");
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .arg("snapshot")
        .arg(&cli_copy)
        .arg("--index-dir")
        .arg(server.index_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("verbatim snapshot");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().expect("writer thread");
    assert!(written > 0, "nothing was written during the snapshots");
    // Reads kept working throughout.
    assert_eq!(server.get("/health").status, 200);
    let original_articles = counts(&server).0.as_u64().unwrap();
    server.stop();

    let quiet = TestServer::start_on(&snapshots.join("quiet"), &[]);
    assert_eq!(answers(&quiet), expected);
    assert_eq!(counts(&quiet), expected_counts);
    quiet.stop();

    for copy in [snapshots.join("busy"), cli_copy] {
        check_consistent_copy(&copy, original_articles);
    }
}

/// A copy taken under writes: it opens, holds the fixtures plus some of the
/// busy articles, and each article's quotes came along with it.
fn check_consistent_copy(copy: &Path, original_articles: u64) {
    let server = TestServer::start_on(copy, &[]);
    let (articles, quotes) = counts(&server);
    let articles = articles.as_u64().unwrap();
    assert!(
        (crate::helpers::fixture_count() as u64..=original_articles).contains(&articles),
        "{}: {articles} articles",
        copy.display()
    );
    let busy = server.get("/v1/search?q=zebra&limit=0").body["total"]
        .as_u64()
        .unwrap();
    let busy_quotes = server.get("/v1/quotes?q=zebra&limit=0").body["total"]
        .as_u64()
        .unwrap();
    assert_eq!(
        busy,
        busy_quotes,
        "{}: a busy article without its quote",
        copy.display()
    );
    assert!(quotes.as_u64().unwrap() >= busy_quotes);
    server.stop();
}
