//! One API suite, two backends: the API tests run once on the embedded
//! tantivy index and once on an OpenSearch index of the shared test cluster
//! ([`crate::cluster`]), with the same requests and the same expected
//! answers.
//!
//! A test module writes its tests as `fn name(backend: TestBackend)`, starts
//! its servers with [`TestBackend::start`] (or a sibling) and ends with
//! `on_both_backends!(name, ...)`, which makes `module::embedded::name` and
//! `module::opensearch::name`. A test left out of the list is dead code, so
//! clippy's `-D warnings` catches it. `cargo test --test it opensearch::`
//! runs every test on OpenSearch (and the backend's own tests), `embedded::`
//! every test on the embedded index.
//!
//! Each OpenSearch server gets an index of its own ([`ClusterIndex`], with
//! [`SHARDS`] primaries so that scores and facet counts are those of a
//! sharded index), deleted when the last server or [`Store`] using it is
//! dropped. Its alerts and feeds live in a temporary index directory, as
//! with the embedded backend.
//!
//! # Exemptions
//!
//! Every test of the suite holds both backends to the same expected
//! answers, and `both_backends_answer_alike` compares their whole answers
//! to the same requests. What may differ, and nothing else:
//!
//! - `took_ms` and `next_cursor` ([`EXEMPT_FIELDS`]): the time taken, and
//!   each backend's own cursor token (cursors are followed, not compared);
//! - relevance scores ([`SCORE_FIELD`]) within [`SCORE_TOLERANCE`] of each
//!   other: searches by relevance ([`Order::ByScore`]), of articles and of
//!   quotes, hold the same hits in the same order with scores within the
//!   tolerance. Both backends score with the same BM25 (OpenSearch 2.x's
//!   `BM25` is Lucene's `LegacyBM25Similarity`, which keeps tantivy's
//!   `k1 + 1` factor; `dfs_query_then_fetch`, so shards do not skew it)
//!   over the same terms, frequencies and norms, and nearly the same
//!   collection statistics: Lucene's idf and average field length count the
//!   documents that have the field, the embedded backend's the documents of
//!   the kind searched (`search::statistics`). On the sample articles the
//!   article searches agree within 0.01%; quote searches within 1.5%
//!   (`speaker_text`, on articles with speakers too, is scaled to the
//!   quotes' share of the index rather than counted). A search without
//!   hits (`biden -china` from CNN) is compared as a set. Hits sorted
//!   otherwise are compared in order with their scores, 0 on both;
//! - store statistics in `/v1/stats` ([`STORE_STATISTICS`]);
//! - snapshot details: snapshots are the embedded-only `snapshot` module's
//!   and `opensearch::snapshots_go_to_the_clusters_repository`'s;
//! - export order: exports are compared as sorted lines
//!   ([`sorted_lines`]).
//!
//! Tests of the API modules that run on the embedded backend only, because
//! what they check is the embedded store, are listed with the reason in
//! [`EMBEDDED_ONLY`]; modules that do not run on both, in [`NOT_ON_BOTH`].

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::cluster::{cluster, http, replicas};
use crate::helpers::TestServer;

/// Primary shards of each test index on OpenSearch: more than one, so that
/// BM25 statistics and terms aggregations are those of a sharded index.
pub const SHARDS: u32 = 2;

/// The refresh interval of the test indices (OpenSearch's default: 1s).
const REFRESH_INTERVAL: &str = "100ms";

/// Response fields each backend answers in its own way, never compared:
/// the time taken and the cursor token (followed, never compared).
pub const EXEMPT_FIELDS: &[&str] = &["took_ms", "next_cursor"];

/// The field of a hit's relevance score: equal where hits are not sorted
/// by relevance (0 on both backends), within [`SCORE_TOLERANCE`] in quote
/// searches by relevance, not compared in article searches by relevance.
pub const SCORE_FIELD: &str = "score";

/// How far apart the two backends' scores of a hit may be in a quote search
/// by relevance, relative to the larger. Lucene's statistics for the quote
/// fields leave out the articles (13 of the 213 documents on the sample
/// articles), tantivy's do not: its idf is higher and its average field
/// length lower, which pull the score in opposite directions. On the sample
/// articles the compared quote searches are at most 2.3% apart
/// (`taiwan OR russia`; `q=china` 1.6%: 1.4840 on OpenSearch, 1.4612
/// embedded). A term found in more quotes leaves a larger idf difference.
pub const SCORE_TOLERANCE: f64 = 0.05;

/// How the hits of two answers are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// In the same order (by date, by name, by count, ...), with their
    /// scores.
    Exact,
    /// Sorted by relevance: in the same order, with scores within
    /// [`SCORE_TOLERANCE`].
    ByScore,
    /// As a set, on a page that holds every match, without their scores
    /// (answers without hits, and the exemptions at the top).
    AsSet,
}

/// `/v1/stats` fields that describe the store rather than the articles:
/// segments (shards on OpenSearch), bytes, where the store is, the writer's
/// queue, and the server's uptime.
pub const STORE_STATISTICS: &[&str] = &[
    "segments",
    "index_bytes",
    "index_dir",
    "writer_queue",
    "uptime_seconds",
];

/// Tests of the API modules that run on the embedded backend only, with
/// the reason: what they check is the embedded store or a command that
/// works on an index directory, not the API over a backend.
pub const EMBEDDED_ONLY: &[(&str, &str)] = &[
    (
        "alerts::quotes_committed_while_no_matcher_ran_fire_once_when_the_next_server_starts",
        "the embedded writer's alert backlog, filled by `verbatim import` into an index \
         directory while no server runs",
    ),
    (
        "api::command_line_search_and_import_agree_with_the_api",
        "`verbatim import` and `verbatim search` work on an embedded index directory",
    ),
    (
        "limits::searches_past_their_deadline_are_stopped_not_left_running",
        "drives the embedded search engine in-process",
    ),
    (
        "live::the_command_line_imports_pages_and_manages_feeds_with_or_without_a_server",
        "`verbatim import --url` and `verbatim feeds` on an index directory without a \
         server, and a snapshot of the embedded index",
    ),
    (
        "security::without_keys_the_server_stays_on_loopback_unless_told_otherwise",
        "`serve`'s listening rules, checked before any store is opened",
    ),
];

/// Modules of `tests/it` that do not run on both backends, with the reason.
pub const NOT_ON_BOTH: &[(&str, &str)] = &[
    ("crash", "the embedded writer's durability under SIGKILL"),
    (
        "faults",
        "the embedded index directory's faults (disk full, corrupt files)",
    ),
    ("snapshot", "the embedded index's snapshots and restores"),
    (
        "migrate",
        "an embedded index rewritten into a new directory (into OpenSearch: `opensearch`)",
    ),
    ("extraction", "quote extraction, no store"),
    ("randomized", "the query parser and the extractor, no store"),
    (
        "browser",
        "the search page in a browser; it runs on the embedded backend",
    ),
    (
        "opensearch",
        "the OpenSearch backend itself, against the embedded one",
    ),
    ("opensearch_chaos", "a 3-node cluster losing nodes"),
    (
        "backends",
        "this harness; its test compares the backends' answers",
    ),
];

/// The store a test server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    /// The embedded tantivy index in a temporary directory.
    Embedded,
    /// A fresh index of the shared OpenSearch test cluster.
    OpenSearch,
}

impl TestBackend {
    /// Starts a server on a new, empty store of this backend.
    pub fn start(self) -> TestServer {
        self.start_with(&[])
    }

    /// Starts a server on a new, empty store with extra environment
    /// variables.
    pub fn start_with(self, env: &[(&str, &str)]) -> TestServer {
        self.start_with_env_and_args(env, &[])
    }

    /// Starts a server on a new, empty store with extra `serve` flags.
    pub fn start_with_args(self, args: &[&str]) -> TestServer {
        self.start_with_env_and_args(&[], args)
    }

    /// Starts a server on a new, empty store with extra environment
    /// variables and `serve` flags.
    pub fn start_with_env_and_args(self, env: &[(&str, &str)], args: &[&str]) -> TestServer {
        let temp = tempfile::tempdir().expect("temp dir");
        let store = self.new_store(temp.path().join("index"));
        let mut server = store.start_with_args(env, args);
        server.keep_temp(temp);
        server
    }

    /// A new, empty store of this backend with its index directory (alerts,
    /// feeds; the index itself with the embedded backend) at `dir`.
    pub fn new_store(self, dir: PathBuf) -> Store {
        let index = match self {
            TestBackend::Embedded => None,
            TestBackend::OpenSearch => Some(Arc::new(ClusterIndex::create())),
        };
        Store { dir, index }
    }
}

/// Where a server keeps its articles: an index directory, and with the
/// OpenSearch backend an index of the test cluster. Kept to start another
/// server on the same articles (a restart).
#[derive(Debug, Clone)]
pub struct Store {
    /// The index directory.
    pub dir: PathBuf,
    /// The cluster index, with the OpenSearch backend.
    pub index: Option<Arc<ClusterIndex>>,
}

impl Store {
    /// The embedded store in `dir`.
    pub fn embedded(dir: PathBuf) -> Store {
        Store { dir, index: None }
    }

    /// Starts a server on this store with extra environment variables.
    pub fn start(&self, env: &[(&str, &str)]) -> TestServer {
        self.start_with_args(env, &[])
    }

    /// Starts a server on this store with extra environment variables and
    /// `serve` flags.
    pub fn start_with_args(&self, env: &[(&str, &str)], args: &[&str]) -> TestServer {
        let mut all: Vec<(&str, &str)> = Vec::new();
        if let Some(index) = &self.index {
            all.extend([
                ("VERBATIM_BACKEND", "opensearch"),
                ("VERBATIM_OPENSEARCH_URLS", cluster().url.as_str()),
                ("VERBATIM_OPENSEARCH_INDEX", index.name.as_str()),
                (
                    "VERBATIM_OPENSEARCH_SNAPSHOT_REPOSITORY",
                    snapshot_repository(),
                ),
            ]);
        }
        all.extend_from_slice(env);
        TestServer::launch(self.clone(), &all, args)
    }
}

/// An index of the shared test cluster, made for one test and deleted when
/// dropped.
#[derive(Debug)]
pub struct ClusterIndex {
    /// Its name.
    pub name: String,
}

impl ClusterIndex {
    /// Creates a new index of [`SHARDS`] primaries, with a name no other
    /// test of any test process uses, by `verbatim backend init`'s own code.
    fn create() -> ClusterIndex {
        ClusterIndex::with_shards(SHARDS)
    }

    /// [`ClusterIndex::create`] with `shards` primaries.
    pub fn with_shards(shards: u32) -> ClusterIndex {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "verbatim-it-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut settings = verbatim::config::Settings::built_in();
        settings.opensearch.urls = vec![cluster().url.clone()];
        settings.opensearch.index = name.clone();
        verbatim::backend::opensearch::init_index(&settings.opensearch, shards, replicas())
            .unwrap_or_else(|error| panic!("creating the test index {name}: {error}"));
        // Acknowledged writes wait for a refresh (`refresh=wait_for`): a
        // shorter interval than the default second makes the suite faster,
        // not different.
        let (status, answer) = http(
            "PUT",
            &format!("{}/{name}/_settings", cluster().url),
            Some(&serde_json::json!({ "index": { "refresh_interval": REFRESH_INTERVAL } })),
        );
        assert_eq!(status, 200, "{answer}");
        ClusterIndex { name }
    }
}

impl Drop for ClusterIndex {
    fn drop(&mut self) {
        let url = format!("{}/{}", cluster().url, self.name);
        let _ = ureq::delete(&url).call();
    }
}

/// The snapshot repository every test server on the cluster writes to,
/// registered once (an `fs` repository under the cluster's `path.repo`).
fn snapshot_repository() -> &'static str {
    static REGISTERED: OnceLock<&'static str> = OnceLock::new();
    REGISTERED.get_or_init(|| {
        let name = "verbatim-it";
        let (status, answer) = http(
            "PUT",
            &format!("{}/_snapshot/{name}", cluster().url),
            Some(&serde_json::json!({ "type": "fs", "settings": { "location": name } })),
        );
        assert_eq!(status, 200, "registering the snapshot repository: {answer}");
        name
    })
}

/// `answer` without the fields of [`EXEMPT_FIELDS`], at any depth.
pub fn without_exempt_fields(answer: &mut Value) {
    match answer {
        Value::Object(map) => {
            for field in EXEMPT_FIELDS {
                map.remove(*field);
            }
            map.values_mut().for_each(without_exempt_fields);
        }
        Value::Array(items) => items.iter_mut().for_each(without_exempt_fields),
        _ => {}
    }
}

/// The scores of `answer`'s hits, taken out of them.
fn take_scores(answer: &mut Value, what: &str) -> Vec<f64> {
    answer["hits"]
        .as_array_mut()
        .unwrap_or_else(|| panic!("{what}: no hits"))
        .iter_mut()
        .map(|hit| {
            hit.as_object_mut()
                .and_then(|hit| hit.remove(SCORE_FIELD))
                .and_then(|score| score.as_f64())
                .unwrap_or_else(|| panic!("{what}: a hit without a score"))
        })
        .collect()
}

/// Asserts that the answers of the two backends are equal but for the
/// exemptions of [`EXEMPT_FIELDS`], their hits compared by `order`.
pub fn assert_same_answer(mut embedded: Value, mut opensearch: Value, what: &str, order: Order) {
    for answer in [&mut embedded, &mut opensearch] {
        without_exempt_fields(answer);
    }
    if order == Order::ByScore {
        let ours = take_scores(&mut embedded, what);
        let theirs = take_scores(&mut opensearch, what);
        assert!(!ours.is_empty(), "{what}: no hits to compare");
        for (n, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
            assert!(
                (theirs - ours).abs() <= SCORE_TOLERANCE * ours.abs().max(theirs.abs()),
                "{what}: hit {n} scores {theirs} on OpenSearch, {ours} embedded: \
                 more than {SCORE_TOLERANCE} apart"
            );
        }
    }
    for answer in [&mut embedded, &mut opensearch] {
        if order == Order::AsSet {
            let total = answer["total"].as_u64();
            let hits = answer["hits"]
                .as_array_mut()
                .unwrap_or_else(|| panic!("{what}: no hits"));
            assert_eq!(
                total,
                Some(hits.len() as u64),
                "{what}: a page sorted by relevance is compared when it holds every match"
            );
            for hit in hits.iter_mut() {
                if let Some(hit) = hit.as_object_mut() {
                    hit.remove(SCORE_FIELD);
                }
            }
            hits.sort_by_key(|hit| hit["id"].to_string());
        }
    }
    assert_eq!(
        opensearch, embedded,
        "{what}: OpenSearch (left) and embedded"
    );
}

/// A text's lines, sorted: exports are compared without their order.
pub fn sorted_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

/// Instantiates each named test, a `fn(TestBackend)` of the module, once
/// per backend: `embedded::name` and `opensearch::name`.
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        /// The module's API tests on the embedded tantivy index.
        mod embedded {
            $(
                #[test]
                fn $test() {
                    super::$test($crate::backends::TestBackend::Embedded)
                }
            )+
        }

        /// The module's API tests on an index of the OpenSearch test cluster.
        mod opensearch {
            $(
                #[test]
                fn $test() {
                    super::$test($crate::backends::TestBackend::OpenSearch)
                }
            )+
        }
    };
}
pub(crate) use on_both_backends;

/// Read requests over every read route, on the sample articles, and how
/// their hits are compared: both backends answer each alike (see
/// [`assert_same_answer`]). Articles and quotes sorted by relevance are
/// compared in order with their scores within [`SCORE_TOLERANCE`] (see the
/// module's exemptions); queries without words
/// score 0 (`*`, none) on both, so their hits keep the index order and are
/// compared in order.
const COMPARED_READS: &[(&str, Order)] = &[
    (
        "/v1/search?q=china&facets=source,month,speaker,topic&limit=100",
        Order::ByScore,
    ),
    (
        "/v1/search?q=tariffs%20OR%20trade%20OR%20economy&limit=100",
        Order::ByScore,
    ),
    (
        "/v1/search?q=%22foreign%20minister%22&limit=100",
        Order::ByScore,
    ),
    (
        "/v1/search?q=china&sort=-published&facets=source,month,speaker&limit=3&offset=2",
        Order::Exact,
    ),
    (
        "/v1/search?q=biden%20-china&source=CNN&limit=100",
        Order::AsSet,
    ),
    (
        "/v1/quotes?q=china&limit=100&facets=speaker,speaker_kind,kind,topic",
        Order::ByScore,
    ),
    (
        "/v1/quotes?q=tariffs%20OR%20trade%20OR%20economy&limit=100",
        Order::ByScore,
    ),
    (
        "/v1/quotes?q=taiwan%20OR%20russia&limit=100",
        Order::ByScore,
    ),
    (
        "/v1/quotes?q=said%20OR%20economy&sort=-published&facets=speaker,speaker_kind,kind&limit=5",
        Order::Exact,
    ),
    // A negation alone: every hit scores 1 on both, so by doc key.
    ("/v1/quotes?q=-china&limit=200", Order::ByScore),
    ("/v1/quotes?q=*&limit=3", Order::Exact),
    ("/v1/quotes?speaker=Wang%20Yi&limit=100", Order::Exact),
    ("/v1/quotes?q=speaker:blinken&limit=100", Order::ByScore),
    (
        "/v1/quotes?sort=published&from=2005-01-01&to=2005-02-28&facets=topic&limit=4",
        Order::Exact,
    ),
    (
        "/v1/quotes?q=china&group=statement&limit=100",
        Order::ByScore,
    ),
    (
        "/v1/quotes?count=statements&facets=speaker,source&sort=published&limit=5",
        Order::Exact,
    ),
    (
        "/v1/quotes?q=china&group=statement&count=statements&sort=-published&limit=3",
        Order::Exact,
    ),
    ("/v1/articles/cnn-blinken-beijing", Order::Exact),
    ("/v1/articles/no-such-article", Order::Exact),
    ("/v1/stats", Order::Exact),
    ("/v1/speakers", Order::Exact),
    ("/v1/speakers?prefix=b&limit=3", Order::Exact),
    ("/v1/topics", Order::Exact),
    ("/v1/topics?parent=/world", Order::Exact),
    ("/v1/entities", Order::Exact),
    ("/v1/entities?type=person&prefix=w&limit=5", Order::Exact),
    ("/v1/speakers/Antony%20Blinken/timeline", Order::Exact),
    (
        "/v1/speakers/Wang%20Yi/timeline?interval=day&topic=/world&speakers_limit=3",
        Order::Exact,
    ),
    ("/v1/search?q=quote:x", Order::Exact),
];

/// Claims to verify, answered alike.
const COMPARED_CLAIMS: &[&str] = &[
    r#"{"text": "allies rather than adversaries"}"#,
    r#"{"text": "partners, not rivals", "speaker": "Xi Jinping"}"#,
    r#"{"text": "we will never accept tariffs"}"#,
];

/// Exports, compared as sorted lines (the order is each backend's own).
const COMPARED_EXPORTS: &[&str] = &[
    "/v1/quotes/export?q=china",
    "/v1/quotes/export?format=csv&source=CNN",
    "/v1/quotes/export?speaker=Wang%20Yi&format=ndjson",
];

/// Saved alerts: each fires as many events on both backends.
const COMPARED_ALERTS: &[&str] = &[
    r#"{"speaker": "Wang Yi"}"#,
    r#"{"q": "china"}"#,
    r#"{"q": "economy OR tariffs", "speaker_kind": "person"}"#,
];

/// The same requests to an embedded server and an OpenSearch server with the
/// same articles answer alike, but for the exemptions at the top of this
/// module; so do the pages a cursor walks and the events of saved alerts.
#[test]
fn both_backends_answer_alike() {
    let servers = [
        TestBackend::Embedded.start(),
        TestBackend::OpenSearch.start(),
    ];
    let mut alerts = Vec::new();
    for query in COMPARED_ALERTS {
        let query: Value = serde_json::from_str(query).unwrap();
        let ids: Vec<String> = servers
            .iter()
            .map(|server| {
                let created = server.post_json(
                    "/v1/alerts",
                    &serde_json::json!({ "name": "compared", "query": query }),
                );
                assert_eq!(created.status, 201, "{}", created.body);
                created.body["id"].as_str().unwrap().to_owned()
            })
            .collect();
        alerts.push((query, ids));
    }
    for server in &servers {
        server.load_fixtures();
    }
    let [embedded, opensearch] = &servers;
    for &(path, order) in COMPARED_READS {
        let ours = embedded.get(path);
        let theirs = opensearch.get(path);
        assert_eq!(theirs.status, ours.status, "{path}: {}", theirs.body);
        let (mut ours, mut theirs) = (ours.body, theirs.body);
        if path.starts_with("/v1/stats") {
            for answer in [&mut ours, &mut theirs] {
                let fields = answer.as_object_mut().unwrap();
                STORE_STATISTICS.iter().for_each(|field| {
                    assert!(fields.remove(*field).is_some(), "{path}: no {field}");
                });
            }
        }
        assert_same_answer(ours, theirs, path, order);
    }
    // A cursor walks the same pages.
    for first in [
        "/v1/quotes?q=china&sort=-published&limit=3",
        "/v1/search?q=china&sort=published&limit=2",
        "/v1/quotes?speaker=Wang%20Yi&sort=published&limit=4",
        "/v1/quotes?speaker=Wang%20Yi&limit=4",
    ] {
        let mut cursors: [Option<String>; 2] = [None, None];
        for page in 0..4 {
            let answers: Vec<Value> = servers
                .iter()
                .zip(&cursors)
                .map(|(server, cursor)| {
                    let path = match cursor {
                        Some(cursor) => {
                            format!("{first}&cursor={}", crate::helpers::encode(cursor))
                        }
                        None => first.to_string(),
                    };
                    let answer = server.get(&path);
                    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
                    answer.body
                })
                .collect();
            for (cursor, answer) in cursors.iter_mut().zip(&answers) {
                *cursor = answer["next_cursor"].as_str().map(str::to_owned);
            }
            assert_eq!(
                cursors[0].is_some(),
                cursors[1].is_some(),
                "{first}: page {page} ends the walk on one backend only"
            );
            assert_same_answer(answers[0].clone(), answers[1].clone(), first, Order::Exact);
            if cursors[0].is_none() {
                break;
            }
        }
    }
    for claim in COMPARED_CLAIMS {
        let claim: Value = serde_json::from_str(claim).unwrap();
        let ours = embedded.post_json("/v1/quotes/verify", &claim);
        let theirs = opensearch.post_json("/v1/quotes/verify", &claim);
        assert_eq!(theirs.status, ours.status, "{claim}: {}", theirs.body);
        assert_same_answer(ours.body, theirs.body, &claim.to_string(), Order::Exact);
    }
    for path in COMPARED_EXPORTS {
        let [ours, theirs] = [embedded, opensearch].map(|server| {
            let answer = server.send_raw("GET", path, &[], b"");
            assert_eq!(answer.status, 200, "{path}: {}", answer.text);
            sorted_lines(&answer.text)
        });
        assert!(ours.len() > 1, "{path}: {ours:?}");
        assert_eq!(theirs, ours, "{path}");
    }
    // Alert events: the embedded matcher runs behind its writer, so wait
    // until both counts stay put.
    let counts = |server: &TestServer, id: &str| {
        server.get(&format!("/v1/alerts/{id}")).body["last_event_id"]
            .as_u64()
            .unwrap()
    };
    for (query, ids) in &alerts {
        let mut last = (u64::MAX, u64::MAX);
        let started = std::time::Instant::now();
        loop {
            let now = (counts(embedded, &ids[0]), counts(opensearch, &ids[1]));
            if now == last && now.0 > 0 {
                break;
            }
            assert!(
                started.elapsed().as_secs() < 30,
                "{query}: events keep coming"
            );
            last = now;
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        assert_eq!(last.1, last.0, "{query}: events on OpenSearch and embedded");
    }
}

/// Every test module runs on both backends or says why not in
/// [`NOT_ON_BOTH`], and every plain `#[test]` of a module on both backends
/// is in [`EMBEDDED_ONLY`] with its reason (a new test or module cannot
/// leave OpenSearch out silently).
#[test]
fn every_api_test_runs_on_both_backends_or_says_why_not() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    for module in main.lines().filter_map(|line| line.strip_prefix("mod ")) {
        let module = module.trim_end_matches(';');
        let source = std::fs::read_to_string(dir.join(format!("{module}.rs"))).unwrap();
        let excused = NOT_ON_BOTH.iter().any(|(name, _)| *name == module);
        if source.contains("\non_both_backends!(") {
            assert!(
                !excused,
                "{module} runs on both backends and is in NOT_ON_BOTH"
            );
            for test in source.split("#[test]\nfn ").skip(1) {
                let name = test.split('(').next().unwrap();
                let path = format!("{module}::{name}");
                assert!(
                    EMBEDDED_ONLY.iter().any(|(listed, _)| *listed == path),
                    "{path} runs on the embedded backend only and is not in EMBEDDED_ONLY"
                );
            }
        } else if source.contains("#[test]") {
            assert!(
                excused,
                "{module} does not run on both backends nor say why in NOT_ON_BOTH"
            );
        }
    }
    for (path, _) in EMBEDDED_ONLY {
        let (module, name) = path.split_once("::").unwrap();
        let source = std::fs::read_to_string(dir.join(format!("{module}.rs"))).unwrap();
        assert!(
            source.contains(&format!("#[test]\nfn {name}()")),
            "{path} is in EMBEDDED_ONLY but is no embedded-only test"
        );
    }
}
