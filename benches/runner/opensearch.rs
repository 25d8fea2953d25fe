//! OpenSearch in the same run: the engine itself as a peer over HTTP (an
//! index of its own with its own analysers, fed the same Reuters articles
//! with `_bulk`, asked the same text and faceted queries), beside
//! `verbatim serve --backend opensearch` on the same node and the embedded
//! server, both fed and asked over Verbatim's HTTP API.
//!
//! How the comparison is kept fair:
//! - one single-node OpenSearch 2.19 (`tools/opensearch/run.sh --node`, the
//!   heap `--opensearch-heap`), one shard and no replica for both indexes;
//!   each system runs alone (the embedded server is stopped before the node
//!   starts; the peer's runs end before Verbatim's server starts);
//! - no result cache in the measured path: `index.requests.cache.enable:
//!   false` on both indexes, and `request_cache=false` on every peer search
//!   too (the node's filter cache of per-segment bitsets stays on for both,
//!   as it does in any deployment);
//! - ingest acknowledged as visible: 4 clients send 1,000 articles per
//!   request; the peer's `_bulk` carries `refresh=true`, as each `POST
//!   /v1/articles/bulk` ends in a refresh (OpenSearch backend) or a commit
//!   (embedded), and the translog is fsynced per request on both indexes
//!   (OpenSearch's default, which Verbatim's mapping states);
//! - the peer's queries are the text classes as `query_string` over
//!   `title^2` and `body` with `default_operator: AND` (the same syntax:
//!   `OR`, parentheses, phrases, `word*`), top 10 by BM25 with
//!   `track_total_hits`, ids only; the facet class adds a top-10 `terms`
//!   aggregation per facet on the corpus's own keyword fields (it has no
//!   extraction, so no speakers and none of Verbatim's topics: speaker →
//!   `places`, topic → `topics`, source → `source`) and month as a
//!   `date_histogram` of `published`;
//! - every query is sent once and must find something before a load run,
//!   and each load run follows a short unmeasured warm-up (the JVM's JIT).

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::load::LoadResult;
use crate::load::{deal_bulk_bodies, post_bulk_bodies, run_load, HttpClient, LoadBounds};
use crate::prerequisites::{free_ports, missing_cluster_tool};
use crate::process::CpuMeter;
use crate::queries::BenchQuery;

/// The peer's index.
pub const PEER_INDEX: &str = "peer-reuters";

/// Verbatim's index on the node.
pub const VERBATIM_INDEX: &str = "verbatim-bench";

/// A single-node OpenSearch started by `tools/opensearch/run.sh --node`;
/// stopped (its stdin closed, then killed if it lingers) when dropped.
pub struct Node {
    child: Child,
    /// Its HTTP address (loopback).
    pub address: SocketAddr,
    /// The engine's version, as it reports it.
    pub version: String,
}

impl Node {
    /// Starts a node keeping its data under `data`, with `heap` as both its
    /// initial and its largest heap, and waits until it is green (at most
    /// five minutes: the first start builds the launcher with Maven).
    pub fn start(launcher: &Path, data: &Path, heap: &str, log: &Path) -> anyhow::Result<Node> {
        if let Some(tool) = missing_cluster_tool() {
            bail!("OpenSearch needs Java 17 and Maven to start (`{tool}` does not run here)");
        }
        let port = free_ports(1).context("no free pair of loopback ports")?;
        let log_file = std::fs::File::create(log)?;
        let child = Command::new(launcher)
            .arg("--node")
            .arg(data)
            .arg(port.to_string())
            .arg("1")
            .arg("0")
            .env(
                "VERBATIM_OPENSEARCH_NODE_JAVA_OPTS",
                format!("-Xms{heap} -Xmx{heap}"),
            )
            .stdin(Stdio::piped())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()
            .with_context(|| format!("cannot start {}", launcher.display()))?;
        let mut node = Node {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            version: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut client = HttpClient::new(node.address)?;
        loop {
            if let Ok((200, health)) = call(
                &mut client,
                "GET",
                "/_cluster/health?wait_for_status=green&timeout=1s",
                None,
            ) {
                if health["status"] == "green" {
                    break;
                }
            }
            if let Some(status) = node.child.try_wait()? {
                bail!("OpenSearch exited with {status}; see {}", log.display());
            }
            if Instant::now() > deadline {
                bail!(
                    "OpenSearch was not green within 5 minutes; see {}",
                    log.display()
                );
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        let (_, root) = call(&mut client, "GET", "/", None)?;
        node.version = root["version"]["number"].as_str().unwrap_or("?").to_owned();
        Ok(node)
    }

    /// The JVM's process id (`run.sh` execs Java).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The node's URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A keep-alive client of the node.
    pub fn client(&self) -> anyhow::Result<HttpClient> {
        HttpClient::new(self.address)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // The launcher stops its node when its stdin closes.
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends a request with an optional JSON body; answers the status and the
/// JSON answer (`null` when it is not JSON).
pub fn call(
    client: &mut HttpClient,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> anyhow::Result<(u16, Value)> {
    let bytes = body
        .map(serde_json::to_vec)
        .transpose()?
        .unwrap_or_default();
    let response = client.request(method, path, body.map(|_| "application/json"), &bytes)?;
    let answer = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    Ok((response.status, answer))
}

/// Sends a request that must answer 200.
fn call_ok(
    client: &mut HttpClient,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> anyhow::Result<Value> {
    let (status, answer) = call(client, method, path, body)?;
    if status != 200 {
        bail!("{method} {path} answered {status}: {answer}");
    }
    Ok(answer)
}

/// Switches OpenSearch's shard request cache off for `index` (it keeps
/// whole answers of searches without hits, such as facet counts).
pub fn disable_request_cache(node: &Node, index: &str) -> anyhow::Result<()> {
    call_ok(
        &mut node.client()?,
        "PUT",
        &format!("/{index}/_settings"),
        Some(&json!({ "index": { "requests": { "cache": { "enable": false } } } })),
    )?;
    Ok(())
}

/// Documents and bytes of an index's primary store, as `_cat/indices`
/// reports them.
#[derive(Debug, Clone, Copy)]
pub struct StoreSize {
    /// Documents (for Verbatim's index: articles and quotes).
    pub documents: u64,
    /// Bytes of the primaries' store.
    pub bytes: u64,
    /// Segments of the primaries.
    pub segments: u64,
}

/// The index's store after a flush (its translog written into segments).
pub fn store_size(node: &Node, index: &str) -> anyhow::Result<StoreSize> {
    let mut client = node.client()?;
    call_ok(&mut client, "POST", &format!("/{index}/_flush"), None)?;
    let rows = call_ok(
        &mut client,
        "GET",
        &format!("/_cat/indices/{index}?bytes=b&format=json&h=docs.count,pri.store.size"),
        None,
    )?;
    let stats = call_ok(
        &mut client,
        "GET",
        &format!("/{index}/_stats/segments"),
        None,
    )?;
    let number = |value: &Value| -> anyhow::Result<u64> {
        value
            .as_str()
            .and_then(|text| text.parse().ok())
            .with_context(|| format!("not a number in _cat/indices: {value}"))
    };
    Ok(StoreSize {
        documents: number(&rows[0]["docs.count"])?,
        bytes: number(&rows[0]["pri.store.size"])?,
        segments: stats["_all"]["primaries"]["segments"]["count"]
            .as_u64()
            .unwrap_or(0),
    })
}

/// Shard searches the index has run so far (`_stats/search`, the
/// primaries' `query_total`).
pub fn searches_so_far(node: &Node, index: &str) -> anyhow::Result<u64> {
    let stats = call_ok(
        &mut node.client()?,
        "GET",
        &format!("/{index}/_stats/search"),
        None,
    )?;
    stats["_all"]["primaries"]["search"]["query_total"]
        .as_u64()
        .context("no query_total in _stats/search")
}

/// Merges the index down to one segment, then measures its store. Points
/// in time (Verbatim's cursors open them) are closed first and the shard's
/// reader refreshed after: both hold the merged-away segments' files (and a
/// shard idle for 30 s skips its scheduled refreshes).
pub fn merged_store_size(node: &Node, index: &str) -> anyhow::Result<StoreSize> {
    let mut client = node.client()?;
    call(&mut client, "DELETE", "/_search/point_in_time/_all", None)?;
    call_ok(
        &mut client,
        "POST",
        &format!("/{index}/_forcemerge?max_num_segments=1"),
        None,
    )?;
    call_ok(&mut client, "POST", &format!("/{index}/_refresh"), None)?;
    store_size(node, index)
}

/// Ingest of one system: articles, wall time, and the CPU seconds of each
/// server process over it.
#[derive(Debug, Clone, Default)]
pub struct Ingest {
    /// Articles acknowledged.
    pub articles: usize,
    /// Bytes of title + body sent.
    pub text_bytes: u64,
    /// Seconds from the first request to the last answer.
    pub seconds: f64,
    /// CPU seconds by process (`verbatim`, `OpenSearch`).
    pub cpu: Vec<(String, f64)>,
}

impl Ingest {
    /// Articles per second.
    pub fn articles_per_second(&self) -> f64 {
        self.articles as f64 / self.seconds.max(1e-9)
    }

    /// CPU milliseconds per article of the process `name`, when measured.
    pub fn cpu_ms_per_article(&self, name: &str) -> Option<f64> {
        self.cpu
            .iter()
            .find(|(process, _)| process == name)
            .map(|(_, seconds)| seconds * 1000.0 / self.articles.max(1) as f64)
    }
}

/// A load run with the CPU seconds each server process used over it.
pub struct MeasuredLoad {
    /// Concurrent clients.
    pub concurrency: usize,
    /// Latencies by query.
    pub result: LoadResult,
    /// CPU seconds by process (`verbatim`, `OpenSearch`).
    pub cpu: Vec<(String, f64)>,
    /// Searches the engine ran on the index's shards over the run (its
    /// `query_total`: one per shard per search request, aggregation pages
    /// included), when measured.
    pub engine_searches: Option<u64>,
}

impl MeasuredLoad {
    /// Shard searches of the engine per request, when measured.
    pub fn engine_searches_per_request(&self) -> Option<f64> {
        self.engine_searches
            .map(|searches| searches as f64 / self.result.requests().max(1) as f64)
    }

    /// CPU milliseconds per request of the process `name`, when measured.
    pub fn cpu_ms_per_request(&self, name: &str) -> Option<f64> {
        self.cpu
            .iter()
            .find(|(process, _)| process == name)
            .map(|(_, seconds)| seconds * 1000.0 / self.result.requests().max(1) as f64)
    }
}

/// One system of the comparison.
#[derive(Default)]
pub struct SystemFigures {
    /// How the report names it.
    pub name: String,
    /// Ingest of the Reuters articles.
    pub ingest: Option<Ingest>,
    /// Index size after the ingest (flushed, as merged so far).
    pub store: Option<StoreSize>,
    /// Index size merged to one segment, after the query runs.
    pub merged: Option<StoreSize>,
    /// The mix (text and facet queries) at 1 and 8 clients.
    pub mix: Vec<MeasuredLoad>,
    /// Verbatim only: the whole query set at 1 and 8 clients.
    pub all: Vec<MeasuredLoad>,
    /// Each mix query's total, in mix order.
    pub totals: Vec<u64>,
    /// Verbatim only: the articles and quotes the server held (`/v1/stats`)
    /// when its totals were counted; the two Verbatim servers must hold the
    /// same, or their totals are not comparable.
    pub served: Option<(u64, u64)>,
    /// Median ms from `POST /v1/articles` until a search finds it.
    pub time_to_searchable_ms: Option<f64>,
    /// Why it was not measured.
    pub skipped: Option<String>,
}

/// The three systems side by side.
#[derive(Default)]
pub struct Comparison {
    /// Node, heap, shards.
    pub setup: String,
    /// The mix's queries, in order.
    pub mix: Vec<BenchQuery>,
    /// The whole query set, in order (the `all` runs).
    pub all: Vec<BenchQuery>,
    /// Verbatim embedded (`verbatim serve` on its index directory).
    pub embedded: SystemFigures,
    /// Verbatim on OpenSearch (`verbatim serve --backend opensearch`).
    pub verbatim: SystemFigures,
    /// OpenSearch itself.
    pub peer: SystemFigures,
}

/// Queries of each class the comparison runs.
pub const SAMPLE_PER_CLASS: usize = 200;

/// Which queries of the set the comparison runs: the first
/// [`SAMPLE_PER_CLASS`] of each class, in the set's (shuffled) order.
pub fn sample(queries: &[BenchQuery]) -> Vec<bool> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    queries
        .iter()
        .map(|query| {
            let count = seen.entry(query.class.as_str()).or_default();
            *count += 1;
            *count <= SAMPLE_PER_CLASS
        })
        .collect()
}

/// Whether a query belongs to the mix every system runs.
pub fn in_mix(query: &BenchQuery) -> bool {
    query.for_peers() || query.class == "facets"
}

/// The peer's search body for a query of the mix.
pub fn peer_search_body(query: &BenchQuery) -> Value {
    let mut aggregations = serde_json::Map::new();
    for facet in &query.facets {
        let aggregation = match facet.as_str() {
            "month" => json!({ "date_histogram": {
                "field": "published", "calendar_interval": "month", "min_doc_count": 1,
                "order": { "_count": "desc" } } }),
            "speaker" => json!({ "terms": { "field": "places", "size": 10 } }),
            "topic" => json!({ "terms": { "field": "topics", "size": 10 } }),
            other => json!({ "terms": { "field": other, "size": 10 } }),
        };
        aggregations.insert(facet.clone(), aggregation);
    }
    let mut body = json!({
        "size": 10,
        "track_total_hits": true,
        "_source": false,
        "query": { "query_string": {
            "query": query.q,
            "fields": ["title^2", "body"],
            "default_operator": "AND",
        } },
    });
    if !aggregations.is_empty() {
        body["aggs"] = Value::Object(aggregations);
    }
    body
}

/// The peer's index: English analysis on title and body (the `english`
/// analyzer: standard tokenizer, possessives, stop words, Porter stemming),
/// keyword fields for facets, a date; one shard, no replica, no request
/// cache.
fn peer_index_body() -> Value {
    json!({
        "settings": { "index": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "requests": { "cache": { "enable": false } },
        } },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "title": { "type": "text", "analyzer": "english" },
                "body": { "type": "text", "analyzer": "english" },
                "source": { "type": "keyword" },
                "topics": { "type": "keyword" },
                "places": { "type": "keyword" },
                "published": { "type": "date" },
            }
        }
    })
}

/// The `_bulk` lines of one corpus line: the action (its id) and the
/// source (the fields the peer's mapping has).
fn peer_bulk_lines(line: &str, body: &mut Vec<u8>) {
    let Ok(article) = serde_json::from_str::<Value>(line) else {
        return;
    };
    let Some(id) = article["id"].as_str() else {
        return;
    };
    let mut source = serde_json::Map::new();
    for field in ["title", "body", "source", "topics", "places", "published"] {
        if !article[field].is_null() {
            source.insert(field.to_owned(), article[field].clone());
        }
    }
    let action = json!({ "index": { "_id": id } });
    for value in [action, Value::Object(source)] {
        if let Ok(bytes) = serde_json::to_vec(&value) {
            body.extend_from_slice(&bytes);
            body.push(b'\n');
        }
    }
}

/// Settings of the peer's run.
pub struct PeerRun<'a> {
    /// The Reuters NDJSON.
    pub corpus: &'a Path,
    /// Its bytes of title + body.
    pub text_bytes: u64,
    /// Concurrent bulk clients.
    pub clients: usize,
    /// Articles per bulk request.
    pub per_request: usize,
    /// The mix.
    pub mix: &'a [BenchQuery],
    /// Load bounds (1 and 8 clients).
    pub bounds: &'a [LoadBounds],
    /// Warm-up bounds.
    pub warm_up: LoadBounds,
}

/// OpenSearch itself: creates its index, loads the corpus with `_bulk`,
/// runs the mix at each bound, and measures its store.
pub fn run_peer(node: &Node, run: &PeerRun) -> anyhow::Result<SystemFigures> {
    let mut client = node.client()?;
    let _ = call(&mut client, "DELETE", &format!("/{PEER_INDEX}"), None)?;
    call_ok(
        &mut client,
        "PUT",
        &format!("/{PEER_INDEX}"),
        Some(&peer_index_body()),
    )?;
    let lines = crate::inproc::read_lines(run.corpus)?;
    let bodies = deal_bulk_bodies(&lines, run.clients, run.per_request, peer_bulk_lines);
    let meter = CpuMeter::start(&[node.pid()]);
    let (articles, seconds) = post_bulk_bodies(
        node.address,
        &format!("/{PEER_INDEX}/_bulk?refresh=true"),
        &bodies,
        |answer| {
            let items = answer["items"]
                .as_array()
                .context("no items in a _bulk answer")?;
            if answer["errors"] != false {
                bail!("a _bulk item failed: {}", answer);
            }
            Ok(items.len())
        },
    )?;
    let cpu = meter.finish();
    let store = store_size(node, PEER_INDEX)?;
    if store.documents as usize != articles {
        bail!(
            "the peer's index holds {} documents after {articles} were acknowledged",
            store.documents
        );
    }

    let search_path = format!("/{PEER_INDEX}/_search?request_cache=false");
    let bodies: Vec<Vec<u8>> = run
        .mix
        .iter()
        .map(|query| serde_json::to_vec(&peer_search_body(query)))
        .collect::<Result<_, _>>()?;
    let mut totals = Vec::new();
    for (query, body) in run.mix.iter().zip(&bodies) {
        let response = client.request("POST", &search_path, Some("application/json"), body)?;
        let answer: Value = serde_json::from_slice(&response.body).unwrap_or_default();
        // A search may find nothing: OpenSearch's `english` analyzer (Porter,
        // its own stop words and possessives) is not Verbatim's, and the totals
        // table shows where they differ. A failed search stops the run.
        if response.status != 200 {
            bail!(
                "the peer's search for `{}` answered {}: {answer}",
                query.q,
                response.status
            );
        }
        totals.push(answer["hits"]["total"]["value"].as_u64().unwrap_or(0));
    }
    let load = |bounds: LoadBounds| {
        run_load(bodies.len(), bounds, || {
            let mut client = node.client()?;
            let search_path = &search_path;
            let bodies = &bodies;
            Ok(move |item: usize| {
                client
                    .request("POST", search_path, Some("application/json"), &bodies[item])
                    .is_ok_and(|response| response.status == 200)
            })
        })
    };
    let mut mix = Vec::new();
    for bounds in run.bounds {
        load(LoadBounds {
            concurrency: bounds.concurrency,
            ..run.warm_up
        })?;
        let searches = searches_so_far(node, PEER_INDEX)?;
        let meter = CpuMeter::start(&[node.pid()]);
        let result = load(*bounds)?;
        let cpu = meter.finish()[0];
        mix.push(MeasuredLoad {
            concurrency: bounds.concurrency,
            result,
            cpu: vec![("OpenSearch".to_owned(), cpu)],
            engine_searches: Some(searches_so_far(node, PEER_INDEX)? - searches),
        });
    }
    let merged = merged_store_size(node, PEER_INDEX)?;
    Ok(SystemFigures {
        name: format!(
            "OpenSearch {} itself (`english` analyzer, `_bulk`, `_search` over HTTP)",
            node.version
        ),
        ingest: Some(Ingest {
            articles,
            text_bytes: run.text_bytes,
            seconds,
            cpu: vec![("OpenSearch".to_owned(), cpu[0])],
        }),
        store: Some(store),
        merged: Some(merged),
        mix,
        all: Vec::new(),
        totals,
        served: None,
        time_to_searchable_ms: None,
        skipped: None,
    })
}
