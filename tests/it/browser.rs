//! The search page in a real browser: starts the server with the fixture
//! articles and runs `tests/browser/search_page.mjs` (playwright-core driving
//! headless Chromium) against it. Screenshots go to `artifacts/browser/`.
//!
//! Needs `node`, Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`) and
//! `npm ci --prefix tests/browser`; `.ci/run` installs all three. A missing
//! one fails the test with what to install: it is never skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use crate::helpers::TestServer;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn require(found: bool, what: &str) {
    assert!(
        found,
        "the browser test needs {what}; install it as .ci/run does: \
         `apt-get install -y chromium nodejs npm && npm ci --prefix tests/browser`"
    );
}

/// Installs the locked playwright-core from the npm registry when it is not
/// there yet (`npm ci`; it never downloads a browser).
fn install_playwright_core() {
    let browser_dir = manifest_dir().join("tests/browser");
    if browser_dir
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        return;
    }
    let installed = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&browser_dir)
        .status();
    require(
        installed.is_ok_and(|status| status.success()),
        "npm to install playwright-core (`npm ci --prefix tests/browser`)",
    );
}

#[test]
fn search_page_works_in_headless_chromium() {
    let node_version = Command::new("node").arg("--version").output();
    require(
        node_version.as_ref().is_ok_and(|o| o.status.success()),
        "node on PATH",
    );
    let chromium = std::env::var_os("CHROMIUM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    require(
        chromium.is_file(),
        &format!("Chromium at {}", chromium.display()),
    );
    let script = manifest_dir().join("tests/browser/search_page.mjs");
    install_playwright_core();
    require(
        manifest_dir()
            .join("tests/browser/node_modules/playwright-core/package.json")
            .is_file(),
        "playwright-core in tests/browser/node_modules",
    );

    let server = TestServer::start();
    server.load_fixtures();
    // Characters outside the Basic Multilingual Plane before and inside the
    // quotes: offsets are code points, JavaScript strings are UTF-16.
    let astral = json!({
        "id": "astral-fireworks",
        "title": "🎆 New Year on the river",
        "body": "🎆🎆 Crowds lined the river 𝒜𝒷 at midnight. “The fireworks were 🔥 tonight,” Mayor Ada Lovelace said. \
                 Residents agreed. “We will do it again next year, 𝓉𝓌𝒾𝒸𝑒 as big,” she added.",
        "source": "Test Wire",
        "published": "2024-01-01",
    });
    let created = server.post_json("/v1/articles", &astral);
    assert_eq!(created.status, 201, "{}", created.body);
    let article = server.get("/v1/articles/astral-fireworks").body;
    assert!(
        article["quotes"].as_array().is_some_and(|q| !q.is_empty()),
        "the extractor found no quote in the astral article: {article}"
    );

    // A wire reprint of the seed article the next day: its quotes fold into
    // the statements of the original (the search page shows statements, the
    // speaker page counts them).
    let mut reprint: serde_json::Value = include_str!("../fixtures/articles.ndjson")
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|article| article["id"] == "cnn-blinken-beijing")
        .expect("the seed article is a fixture");
    reprint["id"] = json!("wire-blinken-beijing");
    reprint["source"] = json!("Test Wire");
    reprint["published"] = json!("2024-04-27T00:00:00Z");
    let created = server.post_json("/v1/articles", &reprint);
    assert_eq!(created.status, 201, "{}", created.body);

    let artifacts = manifest_dir().join("artifacts/browser");
    // Screenshots of an earlier run must not pass for this one's.
    let _ = std::fs::remove_dir_all(&artifacts);
    let output = Command::new("node")
        .arg(&script)
        .arg(&server.base)
        .arg(&artifacts)
        .env("CHROMIUM_PATH", &chromium)
        .current_dir(manifest_dir())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the browser test failed ({}):\n{stdout}\n{stderr}\nscreenshots in {}",
        output.status,
        artifacts.display()
    );
    assert!(stdout.contains("ok - no page errors"), "{stdout}");
    for screenshot in [
        "1-search.png",
        "1b-copies.png",
        "3-speaker.png",
        "4-article.png",
        "6-phone.png",
    ] {
        assert!(
            Path::new(&artifacts).join(screenshot).is_file(),
            "{screenshot} was not saved"
        );
    }
}
