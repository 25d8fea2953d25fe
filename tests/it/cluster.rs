//! The OpenSearch 2.19 cluster of this test binary: one node started by
//! `tools/opensearch/run.sh` on free loopback ports the first time a test
//! needs it, shared by every OpenSearch test after (each writes indices of
//! its own), or the cluster `VERBATIM_TEST_OPENSEARCH_URL` names
//! (`VERBATIM_TEST_OPENSEARCH_REPLICAS` then sets the replicas of the
//! indices written).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../../tools/opensearch/prerequisites.rs"]
mod prerequisites;
pub(crate) use prerequisites::missing_cluster_tool;

/// The cluster of this test binary: its URL, and the launcher (kept so its
/// stdin stays open; the cluster stops when the test process ends).
pub(crate) struct Cluster {
    /// The URL of its first node's HTTP port.
    pub(crate) url: String,
    /// The launcher, when this test process started the cluster.
    pub(crate) launcher: Option<Mutex<Child>>,
    _data: Option<tempfile::TempDir>,
}

/// The cluster, started on first use by whichever test needs it first and
/// shared by every test after it.
///
/// Panics when it cannot be started: a test on OpenSearch fails, never
/// skips, on a machine without Java 17 and Maven (and without
/// `VERBATIM_TEST_OPENSEARCH_URL`), as the browser test does without
/// Chromium.
pub(crate) fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(start_cluster)
}

fn start_cluster() -> Cluster {
    if let Ok(url) = std::env::var("VERBATIM_TEST_OPENSEARCH_URL") {
        return Cluster {
            url,
            launcher: None,
            _data: None,
        };
    }
    if let Some(tool) = missing_cluster_tool() {
        panic!(
            "the OpenSearch tests need `{tool}` (Java 17 and Maven: `apt-get install -y \
             openjdk-17-jdk-headless maven`) to start a cluster, or \
             VERBATIM_TEST_OPENSEARCH_URL naming one"
        );
    }
    let port = free_ports(1);
    let data = tempfile::tempdir().expect("temporary directory");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/opensearch/run.sh");
    let mut child = Command::new(script)
        .arg(data.path())
        .arg(port.to_string())
        .arg("1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tools/opensearch/run.sh starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.trim() == "ready" {
                let _ = ready_tx.send(true);
            }
        }
        // The launcher ended (or closed its output) before it was ready.
        let _ = ready_tx.send(false);
    });
    let started = Instant::now();
    let ready = ready_rx
        .recv_timeout(Duration::from_secs(300))
        .expect("the OpenSearch launcher printed `ready` within 5 minutes");
    assert!(
        ready,
        "tools/opensearch/run.sh stopped before the cluster was ready: {:?}",
        child.wait()
    );
    let url = format!("http://127.0.0.1:{port}");
    let health = http(
        "GET",
        &format!("{url}/_cluster/health?wait_for_status=green&timeout=60s"),
        None,
    );
    assert_eq!(health.1["status"], "green", "{:?}", health.1);
    eprintln!(
        "OpenSearch cluster up at {url} in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Cluster {
        url,
        launcher: Some(Mutex::new(child)),
        _data: Some(data),
    }
}

/// A port P with P..P+n and P+100..P+100+n free (the launcher's HTTP and
/// transport ports of `n` nodes).
pub(crate) fn free_ports(n: usize) -> u16 {
    prerequisites::free_ports(n).expect("no free range of ports")
}

/// Sends a request to the cluster; returns the status and the JSON body.
pub(crate) fn http(method: &str, url: &str, body: Option<&Value>) -> (u16, Value) {
    let request = ureq::request(method, url);
    let outcome = match body {
        Some(body) => request
            .set("Content-Type", "application/json")
            .send_string(&body.to_string()),
        None => request.call(),
    };
    let response = match outcome {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("{method} {url}: {error}"),
    };
    let status = response.status();
    let text = response.into_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Replicas of the indices the tests write: 0, or
/// `VERBATIM_TEST_OPENSEARCH_REPLICAS` (for a cluster of several nodes named
/// by `VERBATIM_TEST_OPENSEARCH_URL`).
pub(crate) fn replicas() -> u32 {
    std::env::var("VERBATIM_TEST_OPENSEARCH_REPLICAS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}
