//! Issue 14's failover target: a real 3-node OpenSearch cluster, one JVM
//! per node (`tools/opensearch/run.sh --jvms`), an index of 3 primaries with
//! 1 replica each (`verbatim backend init --shards 3 --replicas 1`), and a
//! real `verbatim serve --backend opensearch` given every node's URL. Four
//! clients write articles over HTTP throughout while a data node is killed
//! (`kill -9`) and restarted, then the elected cluster manager. Afterwards
//! every acknowledged article is there with its exact quote count, nothing
//! answered a 5xx but 503 with `Retry-After`, and writes went on after each
//! kill. Without Java 17 and Maven the test fails, saying what to install.
//!
//! With 1 replica, Verbatim's default `wait_for_active_shards` (a majority
//! of the copies) is both copies, so after a node is lost the writes to the
//! two shards that had a copy on it wait until a replica is rebuilt on the
//! third node, which the cluster delays by the index's node-left delay
//! (`index.unassigned.node_left.delayed_timeout`, OpenSearch's default
//! 1m). The index is made with a delay of [`NODE_LEFT_DELAY_SECS`] (or
//! `VERBATIM_CHAOS_NODE_LEFT_DELAY_SECS`), as `verbatim backend init
//! --node-left-delay` sets it, and writes must resume within that delay
//! and [`RESUME_SLACK`].

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::cluster::{free_ports, missing_cluster_tool};
use crate::helpers::TestServer;
use crate::opensearch::wang_yi_body;

/// Writes a line of the test's report to the process's standard error, which
/// the test harness does not capture (it captures `eprintln!`), so the
/// figures show in CI's log whether the test passes or fails.
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Nodes of the cluster.
const NODES: usize = 3;
/// Client threads writing throughout.
const WRITERS: usize = 4;
/// The index the test writes.
const INDEX: &str = "verbatim-chaos";
/// The index's node-left delay, in seconds (OpenSearch's default is 60):
/// short, so that the replicas a killed node held are rebuilt on the
/// third node soon and the writes waiting for them go on.
const NODE_LEFT_DELAY_SECS: u64 = 5;
/// How long after a kill, beyond the node-left delay, writes may take to
/// resume: the cluster noticing the loss (and electing a new cluster
/// manager), a replica rebuilt from its primary, and a loaded 2-core
/// machine. Runs with OpenSearch's 60 s delay resumed after 0.9–62 s.
const RESUME_SLACK: Duration = Duration::from_secs(40);

/// The node-left delay this run gives the index, in seconds.
fn node_left_delay_secs() -> u64 {
    std::env::var("VERBATIM_CHAOS_NODE_LEFT_DELAY_SECS")
        .ok()
        .map(|secs| {
            secs.parse()
                .expect("VERBATIM_CHAOS_NODE_LEFT_DELAY_SECS is a number of seconds")
        })
        .unwrap_or(NODE_LEFT_DELAY_SECS)
}

/// A cluster of one JVM per node under `run.sh --jvms`: the supervisor's
/// stdin (commands; closing it stops the cluster) and what it printed.
struct JvmCluster {
    supervisor: Child,
    commands: Option<ChildStdin>,
    /// Lines the supervisor printed, as they come.
    lines: Receiver<String>,
    /// The JVM pid of each node, as last reported.
    pids: Arc<Mutex<Vec<Option<u32>>>>,
    port: u16,
    _data: tempfile::TempDir,
}

impl JvmCluster {
    /// Starts the cluster and waits until it is green with every node.
    /// Panics without Java or Maven: the test fails, never skips.
    fn start() -> JvmCluster {
        if let Some(tool) = missing_cluster_tool() {
            panic!(
                "the OpenSearch failover test needs `{tool}` (Java 17 and Maven: `apt-get \
                 install -y openjdk-17-jdk-headless maven`) to start a cluster"
            );
        }
        let port = free_ports(NODES);
        let data = tempfile::tempdir().expect("temporary directory");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/opensearch/run.sh");
        let mut supervisor = Command::new(script)
            .arg("--jvms")
            .arg(data.path())
            .arg(port.to_string())
            .arg(NODES.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tools/opensearch/run.sh starts");
        let stdout = supervisor.stdout.take().expect("piped stdout");
        let pids = Arc::new(Mutex::new(vec![None; NODES]));
        let (sender, lines) = std::sync::mpsc::channel();
        let seen = pids.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let words: Vec<&str> = line.split_whitespace().collect();
                if let ["node", node, "pid", pid] = words[..] {
                    if let (Ok(node), Ok(pid)) = (node.parse::<usize>(), pid.parse()) {
                        seen.lock().unwrap()[node] = Some(pid);
                    }
                }
                eprintln!("[cluster] {line}");
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let cluster = JvmCluster {
            commands: supervisor.stdin.take(),
            supervisor,
            lines,
            pids,
            port,
            _data: data,
        };
        cluster.expect_line("ready", Duration::from_secs(300));
        cluster
    }

    /// Waits for the supervisor to print `wanted`.
    fn expect_line(&self, wanted: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.trim() == wanted => return,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    panic!("the cluster did not print `{wanted}` within {within:?}")
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the cluster's launcher ended before printing `{wanted}`")
                }
            }
        }
    }

    /// Node `i`'s URL.
    fn url(&self, node: usize) -> String {
        format!("http://127.0.0.1:{}", self.port as usize + node)
    }

    /// Every node's URL.
    fn urls(&self) -> Vec<String> {
        (0..NODES).map(|node| self.url(node)).collect()
    }

    /// Asks the live nodes in turn, skipping `except`, until one answers.
    fn ask(&self, path: &str, except: Option<usize>) -> Value {
        for node in (0..NODES).filter(|&node| Some(node) != except) {
            let answer = ureq::get(&format!("{}{path}", self.url(node)))
                .timeout(Duration::from_secs(90))
                .call();
            if let Ok(answer) | Err(ureq::Error::Status(_, answer)) = answer {
                if let Ok(body) = answer.into_json::<Value>() {
                    return body;
                }
            }
        }
        Value::Null
    }

    /// The node elected cluster manager, by its number.
    fn cluster_manager(&self) -> usize {
        let answer = self.ask("/_cat/cluster_manager?format=json", None);
        let name = answer[0]["node"]
            .as_str()
            .unwrap_or_else(|| panic!("no cluster manager: {answer}"));
        name.strip_prefix("node-")
            .and_then(|number| number.parse().ok())
            .unwrap_or_else(|| panic!("a node named {name}"))
    }

    /// Waits until the nodes but `gone` see a cluster without it (after an
    /// election, when it was the cluster manager); returns how long that took
    /// from `since`.
    fn wait_without(&self, gone: usize, since: Instant) -> Duration {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let health = self.ask(
                &format!("/_cluster/health?wait_for_nodes={}&timeout=10s", NODES - 1),
                Some(gone),
            );
            if health["number_of_nodes"] == NODES - 1 {
                let noticed = since.elapsed();
                report!(
                    "chaos: the cluster went on without node-{gone} {:.1}s after its kill \
                     ({} shard copies unassigned, {} of them delayed)",
                    noticed.as_secs_f64(),
                    health["unassigned_shards"],
                    health["delayed_unassigned_shards"]
                );
                return noticed;
            }
            assert!(
                Instant::now() < deadline,
                "the cluster did not drop node-{gone}: {health}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// `kill -9` node `i`'s JVM.
    fn kill(&self, node: usize) {
        let pid = self.pids.lock().unwrap()[node].expect("the node's pid");
        let status = Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -9 {pid}");
        report!("chaos: killed node-{node} (pid {pid}) with kill -9");
    }

    /// Starts node `i` again (same name, same data directory).
    fn restart(&mut self, node: usize) {
        let before = self.pids.lock().unwrap()[node];
        let commands = self.commands.as_mut().expect("the supervisor's stdin");
        writeln!(commands, "start {node}").expect("a command to the supervisor");
        commands.flush().expect("flushed");
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.pids.lock().unwrap()[node] == before {
            assert!(
                Instant::now() < deadline,
                "node-{node} was not started again"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the cluster has every node and the index is green, as
    /// node `i` (one just started again: it answers once it has joined) sees
    /// it.
    fn wait_green(&self, node: usize) {
        let deadline = Instant::now() + Duration::from_secs(240);
        loop {
            let path = format!(
                "/_cluster/health/{INDEX}?wait_for_status=green&wait_for_nodes={NODES}&timeout=30s"
            );
            let health = ureq::get(&format!("{}{path}", self.url(node)))
                .timeout(Duration::from_secs(60))
                .call()
                .ok()
                .and_then(|answer| answer.into_json::<Value>().ok())
                .unwrap_or(Value::Null);
            if health["status"] == "green" && health["timed_out"] == false {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the cluster did not turn green with {NODES} nodes: {health}"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

impl Drop for JvmCluster {
    fn drop(&mut self) {
        // Closing its stdin stops the supervisor and, with it, every node.
        drop(self.commands.take());
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.supervisor.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        // The nodes end when the supervisor's end closes their stdin.
        let _ = self.supervisor.kill();
        let _ = self.supervisor.wait();
    }
}

/// What a write was answered.
#[derive(Debug, Clone)]
enum Outcome {
    /// 2xx.
    Acknowledged,
    /// 503, with or without `Retry-After`, and the error's message.
    Unavailable { retry_after: bool, message: String },
    /// Anything else: the status (0: no answer) and the body.
    Other(u16, String),
}

/// One write: the article, when it was sent and answered, and its answer.
#[derive(Debug, Clone)]
struct Sent {
    id: String,
    sent: Instant,
    answered: Instant,
    outcome: Outcome,
}

/// Article `n` of writer `w`, and its number of quotes (1 to 3). Its source
/// is its own, so a search by source finds just it and its quotes.
fn article(writer: usize, n: usize) -> (String, usize, Value) {
    let id = format!("chaos-{writer}-{n}");
    let quotes = 1 + n % 3;
    let body = wang_yi_body(n, quotes);
    let article = json!({
        "id": id,
        "title": format!("Wang Yi on tariffs, writer {writer}, article {n}"),
        "body": body,
        "source": id,
        "published": "2024-04-26T10:00:00Z",
        "language": "en",
    });
    (id, quotes, article)
}

/// Writes new articles to `base` until `stop`; an article answered 503 is
/// sent again once its `Retry-After` has passed (new articles go on
/// meanwhile: one blocked shard does not hold a writer), until it is
/// acknowledged.
fn writer(
    base: String,
    writer: usize,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Sent>>>,
    expected: Arc<Mutex<BTreeMap<String, usize>>>,
) {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(120))
        .build();
    let mut n = 0;
    let mut again: VecDeque<(Instant, (String, usize, Value))> = VecDeque::new();
    while !stop.load(Ordering::Acquire) {
        let (id, quotes, body) = match again.front() {
            Some((due, _)) if *due <= Instant::now() => again.pop_front().unwrap().1,
            _ => {
                n += 1;
                article(writer, n)
            }
        };
        let sent = Instant::now();
        let answer = agent
            .post(&format!("{base}/v1/articles"))
            .set("Content-Type", "application/json")
            .send_string(&body.to_string());
        let outcome = match answer {
            Ok(response) => {
                if (200..300).contains(&response.status()) {
                    Outcome::Acknowledged
                } else {
                    Outcome::Other(
                        response.status(),
                        response.into_string().unwrap_or_default(),
                    )
                }
            }
            Err(ureq::Error::Status(503, response)) => {
                let retry_after = response.header("Retry-After");
                let seconds = retry_after.and_then(|s| s.parse().ok()).unwrap_or(1);
                again.push_back((
                    Instant::now() + Duration::from_secs(seconds),
                    (id.clone(), quotes, body.clone()),
                ));
                Outcome::Unavailable {
                    retry_after: retry_after.is_some(),
                    message: response
                        .into_json::<Value>()
                        .ok()
                        .and_then(|body| body["error"]["message"].as_str().map(str::to_owned))
                        .unwrap_or_default(),
                }
            }
            Err(ureq::Error::Status(status, response)) => {
                Outcome::Other(status, response.into_string().unwrap_or_default())
            }
            Err(error) => Outcome::Other(0, error.to_string()),
        };
        if matches!(outcome, Outcome::Acknowledged) {
            expected.lock().unwrap().insert(id.clone(), quotes);
        }
        log.lock().unwrap().push(Sent {
            id,
            sent,
            answered: Instant::now(),
            outcome,
        });
    }
}

/// Waits until a write sent after `since` is acknowledged; returns how long
/// after `since` the first such acknowledgement came.
fn wait_for_writes(log: &Mutex<Vec<Sent>>, since: Instant, what: &str) -> Duration {
    let deadline = since + Duration::from_secs(120);
    loop {
        let resumed = log
            .lock()
            .unwrap()
            .iter()
            .filter(|write| write.sent > since && matches!(write.outcome, Outcome::Acknowledged))
            .map(|write| write.answered - since)
            .min();
        if let Some(after) = resumed {
            report!(
                "chaos: a write sent after {what} acknowledged {:.1}s after it",
                after.as_secs_f64()
            );
            return after;
        }
        assert!(
            Instant::now() < deadline,
            "no write was acknowledged within 120s after {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The counts of a facet of a search answer, by value.
fn facet_counts(answer: &Value, facet: &str) -> BTreeMap<String, u64> {
    answer["facets"][facet]
        .as_array()
        .unwrap_or_else(|| panic!("no {facet} facet: {answer}"))
        .iter()
        .map(|entry| {
            (
                entry["value"].as_str().unwrap().to_owned(),
                entry["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn writes_survive_the_loss_of_a_data_node_and_of_the_cluster_manager() {
    let started = Instant::now();
    let mut cluster = JvmCluster::start();
    report!(
        "chaos: {NODES} OpenSearch JVMs green in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let urls = cluster.urls().join(",");
    let delay = node_left_delay_secs();
    let init = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["backend", "init", "--opensearch-index", INDEX])
        .args(["--shards", "3", "--replicas", "1"])
        .args(["--node-left-delay", &format!("{delay}s")])
        .args(
            cluster
                .urls()
                .iter()
                .flat_map(|url| ["--opensearch-url", url]),
        )
        .env("VERBATIM_LOG", "error")
        .output()
        .expect("verbatim backend init runs");
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let printed: Value = serde_json::from_slice(&init.stdout).expect("init prints JSON");
    assert_eq!(printed["node_left_delay"], format!("{delay}s"), "{printed}");
    report!("chaos: index {INDEX}: 3 primaries, 1 replica, node-left delay {delay}s");
    cluster.wait_green(0);
    let server = TestServer::start_with(&[
        ("VERBATIM_BACKEND", "opensearch"),
        ("VERBATIM_OPENSEARCH_URLS", &urls),
        ("VERBATIM_OPENSEARCH_INDEX", INDEX),
    ]);

    let stop = Arc::new(AtomicBool::new(false));
    let log = Arc::new(Mutex::new(Vec::new()));
    let expected = Arc::new(Mutex::new(BTreeMap::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (base, stop, log, expected) = (
                server.base.clone(),
                stop.clone(),
                log.clone(),
                expected.clone(),
            );
            std::thread::spawn(move || writer(base, w, stop, log, expected))
        })
        .collect();
    let chaos = Instant::now();
    wait_for_writes(&log, chaos, "the writers started");
    std::thread::sleep(Duration::from_secs(8));

    // A data node that is not the cluster manager.
    let manager = cluster.cluster_manager();
    let data_node = (0..NODES).find(|&node| node != manager).unwrap();
    let killed = Instant::now();
    cluster.kill(data_node);
    let noticed = killed + cluster.wait_without(data_node, killed);
    let after_data_node = noticed - killed
        + wait_for_writes(
            &log,
            noticed,
            &format!("the cluster dropped node-{data_node}"),
        );
    cluster.restart(data_node);
    cluster.wait_green(data_node);
    report!(
        "chaos: green again {:.1}s after node-{data_node}'s kill",
        killed.elapsed().as_secs_f64()
    );
    std::thread::sleep(Duration::from_secs(8));

    // The elected cluster manager.
    let manager = cluster.cluster_manager();
    let killed = Instant::now();
    cluster.kill(manager);
    let noticed = killed + cluster.wait_without(manager, killed);
    let after_manager = noticed - killed
        + wait_for_writes(
            &log,
            noticed,
            &format!("the cluster dropped node-{manager} (the cluster manager)"),
        );
    cluster.restart(manager);
    cluster.wait_green(manager);
    report!(
        "chaos: green again {:.1}s after node-{manager}'s kill (it was cluster manager; now \
         node-{})",
        killed.elapsed().as_secs_f64(),
        cluster.cluster_manager()
    );
    std::thread::sleep(Duration::from_secs(8));
    stop.store(true, Ordering::Release);
    for writer in writers {
        writer.join().expect("a writer thread");
    }
    let writing = chaos.elapsed();

    // What was answered.
    let log = log.lock().unwrap().clone();
    let expected = expected.lock().unwrap().clone();
    let unavailable = log
        .iter()
        .filter(|write| matches!(write.outcome, Outcome::Unavailable { .. }))
        .count();
    let without_retry_after: Vec<&Sent> = log
        .iter()
        .filter(|write| {
            matches!(
                write.outcome,
                Outcome::Unavailable {
                    retry_after: false,
                    ..
                }
            )
        })
        .collect();
    let others: Vec<&Sent> = log
        .iter()
        .filter(|write| matches!(write.outcome, Outcome::Other(..)))
        .collect();

    // Why writes were refused: each kind of message once, with its count.
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for write in &log {
        if let Outcome::Unavailable { message, .. } = &write.outcome {
            // The kind of failure, without the ids and numbers that vary.
            let kind: String = message
                .chars()
                .take(90)
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            *reasons.entry(kind).or_default() += 1;
        }
    }
    for (reason, count) in &reasons {
        report!("chaos: 503 x{count}: {reason}");
    }

    // Every acknowledged article, by id and by a search, with its quotes.
    let mut lost = BTreeSet::new();
    for (id, quotes) in &expected {
        let answer = server.get(&format!("/v1/articles/{id}"));
        let found = answer.body["quotes"].as_array().map(Vec::len);
        if answer.status != 200 || found != Some(*quotes) {
            report!(
                "chaos: acknowledged {id} ({quotes} quotes) answers {}: {found:?} quotes",
                answer.status
            );
            lost.insert(id.clone());
        }
    }
    let limit = expected.len().max(1);
    let articles = server.get(&format!(
        "/v1/search?facets=source&facet_limit={limit}&limit=1"
    ));
    assert_eq!(articles.status, 200, "{}", articles.body);
    let article_counts = facet_counts(&articles.body, "source");
    let quotes = server.get(&format!(
        "/v1/quotes?facets=source&facet_limit={limit}&limit=1"
    ));
    assert_eq!(quotes.status, 200, "{}", quotes.body);
    let quote_counts = facet_counts(&quotes.body, "source");
    for (id, expected_quotes) in &expected {
        let articles = article_counts.get(id).copied().unwrap_or(0);
        let quotes = quote_counts.get(id).copied().unwrap_or(0);
        if articles != 1 || quotes != *expected_quotes as u64 {
            report!(
                "chaos: acknowledged {id} ({expected_quotes} quotes) is found {articles} time(s) \
                 with {quotes} quote(s)"
            );
            lost.insert(id.clone());
        }
    }
    report!(
        "chaos: {} writes, {} acknowledged articles, {} lost, {unavailable} answered 503 ({} \
         without Retry-After), {} other failures; writes resumed {:.1}s after the data node's \
         kill and {:.1}s after the cluster manager's (each: the cluster dropping the node, then \
         a write sent after that acknowledged; node-left delay {delay}s); {:.1}s of writing, \
         {:.1}s in all",
        log.len(),
        expected.len(),
        lost.len(),
        without_retry_after.len(),
        others.len(),
        after_data_node.as_secs_f64(),
        after_manager.as_secs_f64(),
        writing.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let described = |writes: &[&Sent]| -> Vec<String> {
        writes
            .iter()
            .take(10)
            .map(|write| match &write.outcome {
                Outcome::Other(status, body) => format!("{}: {status} {body}", write.id),
                outcome => format!("{}: {outcome:?}", write.id),
            })
            .collect()
    };
    assert!(
        others.is_empty(),
        "answers other than 2xx and 503: {:?}",
        described(&others)
    );
    assert!(
        without_retry_after.is_empty(),
        "503s without Retry-After: {:?}",
        described(&without_retry_after)
    );
    assert!(lost.is_empty(), "acknowledged articles lost: {lost:?}");
    let resume_within = Duration::from_secs(delay) + RESUME_SLACK;
    for (kill, after) in [
        ("the data node's", after_data_node),
        ("the cluster manager's", after_manager),
    ] {
        assert!(
            after <= resume_within,
            "writes resumed {:.1}s after {kill} kill, later than the node-left delay ({delay}s) \
             and {}s",
            after.as_secs_f64(),
            RESUME_SLACK.as_secs()
        );
    }
    drop(server);
}
