//! The OpenSearch backend (issue 14): articles and their quotes in one
//! index of an OpenSearch 2 cluster, written and read over its REST API.
//!
//! `verbatim backend init` creates the index ([`init_index`], [`mapping`]);
//! [`OpenSearchBackend`] upserts, deletes, flushes, gets articles, counts
//! what the index holds and searches articles and quotes ([`search`]: the
//! crate's query language, filters, sorts, cursors, exact totals and facets
//! ([`facets`]) with the embedded backend's semantics), lists the catalogs
//! ([`catalogs`]), draws speaker timelines ([`timeline`]), groups quotes
//! into statements ([`statements`]), verifies claims ([`verify`]), walks
//! exports ([`export`]) and takes snapshots into the cluster's repository
//! ([`snapshot`]) through the [`Backend`] trait, and [`super::start`]
//! serves it.
//!
//! **Layout.** An article is the document `a|<id>` (`h|<hash>` for ids too
//! long for an `_id`) and its quote at position `n` is `q<n>|a|<id>`; all
//! are routed by the article's document id, so they share a shard. The
//! article document records its quote count, so an upsert knows which quote
//! ids it must delete (nothing is deleted by query: the reindex module is
//! not there).
//!
//! **Ordering.** Several servers may write one cluster. An upsert first
//! *claims* its article: it reads the article document (a real-time get)
//! and writes the new one with `if_seq_no`/`if_primary_term` (or `create`
//! when there is none), re-reading and trying again when another server won
//! the race. The claim's sequence number then versions the quote documents
//! it writes and deletes (`version_type=external_gte`, version = sequence
//! number + 1), so quote writes of an earlier claim that arrive late are
//! refused by the engine instead of overwriting a later one's. Acknowledged
//! means durable and visible: `refresh=wait_for` on the request that ends
//! the write, the translog fsynced per request, and `wait_for_active_shards`
//! when the index has replicas. ARCHITECTURE.md (*OpenSearch backend*) says
//! what is weaker than the embedded index: an article and its quotes change
//! in two requests, not one commit.

pub mod alerts;
pub mod catalogs;
pub mod client;
pub mod documents;
pub mod export;
pub mod facets;
pub mod mapping;
pub mod search;
pub mod snapshot;
pub mod state;
pub mod statements;
pub mod timeline;
pub mod verify;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{json, Value};
use xxhash_rust::xxh3::xxh3_128;

use super::{
    Backend, BackendError, BackendHealth, Durability, ExportWalk, SnapshotReport, StoreStats,
    WriteAck, WriteMetrics,
};
use crate::analysis::tokenizers::LanguageAnalyzers;
use crate::analysis::Aliases;
use crate::config::{OpenSearchSettings, Settings};
use crate::indexing::document::DocumentOptions;
use crate::indexing::schema::{KIND_ARTICLE, KIND_QUOTE, SCHEMA_VERSION};
use crate::metrics::{Counter, Histogram, LATENCY_BUCKETS};
use crate::model::{AnalyzedArticle, EntityKind};
use crate::search::entity_catalog::EntityCatalog;
use crate::search::speaker_catalog::SpeakerCatalog;
use crate::search::timeline::{Timeline, TimelineRequest};
use crate::search::verify::{Verification, VerifyRequest};
use crate::search::{CatalogRequest, FacetValues, SearchLimits, SearchRequest, SearchResults};
use client::{encode, Body, Client, ClientError, Reply};
use documents::{article_documents, quote_count, stored_json, ArticleDocuments};
use mapping::{check_mapping, index_body, MappingMismatch, DOC_TYPE, QUOTE_COUNT};

/// Longest article id used as it is in a document id; longer ids are
/// hashed (`_id` holds at most 512 bytes).
const MAX_PLAIN_ID_BYTES: usize = 400;

/// Why the index could not be created or opened.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// There is no index of that name.
    #[error("OpenSearch index {0} does not exist: create it with `verbatim backend init`")]
    Missing(String),
    /// The index was made by another version of Verbatim (or not by Verbatim).
    #[error(transparent)]
    Mismatch(#[from] MappingMismatch),
    /// The cluster could not be reached or refused.
    #[error("{0}")]
    Cluster(String),
}

impl From<ClientError> for SetupError {
    fn from(error: ClientError) -> Self {
        SetupError::Cluster(error.to_string())
    }
}

/// What [`init_index`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitOutcome {
    /// It created the index.
    Created,
    /// The index existed with this build's mapping and schema versions.
    Existed,
}

/// The index setting `opensearch.node_left_delay` sets: how long the
/// cluster waits for a node that left before it rebuilds the replicas the
/// node held elsewhere (OpenSearch's default: 1m).
pub const NODE_LEFT_DELAY_SETTING: &str = "index.unassigned.node_left.delayed_timeout";

/// Creates the index of `settings` with `shards` primaries and `replicas`
/// replicas, or checks that the index there is of this build's versions
/// (its shard counts are left as they are). Refuses an index of other
/// versions with [`SetupError::Mismatch`]. A `node_left_delay` in
/// `settings` is set on the new index, or changed on the existing one (it
/// is a dynamic setting); an empty one leaves the index's as it is.
pub fn init_index(
    settings: &OpenSearchSettings,
    shards: u32,
    replicas: u32,
) -> Result<InitOutcome, SetupError> {
    let client = Client::new(settings);
    let index = &settings.index;
    let delay = settings.node_left_delay.as_str();
    let path = format!("/{}", encode(index));
    let exists = client.send("HEAD", &path, None)?;
    match exists.status {
        200 => {
            check_index(&client, index)?;
            set_node_left_delay(&client, index, delay)?;
            return Ok(InitOutcome::Existed);
        }
        404 => {}
        _ => return Err(SetupError::Cluster(exists.describe())),
    }
    let mut body = index_body(shards, replicas);
    if !delay.is_empty() {
        body["settings"]["index"]["unassigned"] = node_left_delay_value(delay);
    }
    let created = client.send("PUT", &path, Some(Body::Json(&body)))?;
    if created.is_success() {
        return Ok(InitOutcome::Created);
    }
    // Another server created it between our two requests.
    if created.error_type() == Some("resource_already_exists_exception") {
        check_index(&client, index)?;
        set_node_left_delay(&client, index, delay)?;
        return Ok(InitOutcome::Existed);
    }
    Err(SetupError::Cluster(created.describe()))
}

/// The `unassigned` object of an index's settings that sets the node-left
/// delay to `delay`.
fn node_left_delay_value(delay: &str) -> Value {
    json!({ "node_left": { "delayed_timeout": delay } })
}

/// Sets `index`'s node-left delay to `delay`, unless it is empty.
fn set_node_left_delay(client: &Client, index: &str, delay: &str) -> Result<(), SetupError> {
    if delay.is_empty() {
        return Ok(());
    }
    let body = json!({ "index": { "unassigned": node_left_delay_value(delay) } });
    let path = format!("/{}/_settings", encode(index));
    let reply = client.send("PUT", &path, Some(Body::Json(&body)))?;
    if reply.is_success() {
        Ok(())
    } else {
        Err(SetupError::Cluster(reply.describe()))
    }
}

/// The node-left delay the index of `settings` has now: its own setting,
/// else the cluster's default (`1m` unless changed).
pub fn node_left_delay(settings: &OpenSearchSettings) -> Result<String, SetupError> {
    let client = Client::new(settings);
    let index = &settings.index;
    let path = format!(
        "/{}/_settings/{NODE_LEFT_DELAY_SETTING}?include_defaults=true&flat_settings=true",
        encode(index)
    );
    let reply = client.send("GET", &path, None)?;
    if !reply.is_success() {
        return Err(SetupError::Cluster(reply.describe()));
    }
    reply
        .body
        .as_object()
        .and_then(|indices| indices.values().next())
        .and_then(|found| {
            ["settings", "defaults"]
                .iter()
                .find_map(|part| found[*part][NODE_LEFT_DELAY_SETTING].as_str())
        })
        .map(str::to_owned)
        .ok_or_else(|| {
            SetupError::Cluster(format!(
                "OpenSearch answered no {NODE_LEFT_DELAY_SETTING} for {index}"
            ))
        })
}

/// Checks that `index` exists with this build's versions.
fn check_index(client: &Client, index: &str) -> Result<(), SetupError> {
    let reply = client.send("GET", &format!("/{}/_mapping", encode(index)), None)?;
    match reply.status {
        200 => Ok(check_mapping(index, &reply.body)?),
        404 => Err(SetupError::Missing(index.to_owned())),
        _ => Err(SetupError::Cluster(reply.describe())),
    }
}

/// The document id and routing of an article's documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleIds {
    /// The article document's `_id`, also the routing of all its documents.
    pub article: String,
}

impl ArticleIds {
    /// The ids of article `id`.
    pub fn of(id: &str) -> ArticleIds {
        let article = if id.len() <= MAX_PLAIN_ID_BYTES {
            format!("a|{id}")
        } else {
            format!("h|{:032x}", xxh3_128(id.as_bytes()))
        };
        ArticleIds { article }
    }

    /// The `_id` of the quote at `position`.
    pub fn quote(&self, position: usize) -> String {
        format!("q{position}|{}", self.article)
    }

    /// The routing value.
    pub fn routing(&self) -> &str {
        &self.article
    }
}

/// The article document as a claim found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Current {
    seq_no: u64,
    primary_term: u64,
    quote_count: usize,
}

/// The counters and timings of writes.
struct WriteStats {
    commits: Counter,
    commit_failures: Counter,
    commit_seconds: Histogram,
    articles_written: Counter,
    deletes: Counter,
    /// Claims lost to another writer (each then read and tried again).
    conflicts: Counter,
    /// Flushes answered.
    flushes: Counter,
}

/// The OpenSearch backend: one index of a cluster.
pub struct OpenSearchBackend {
    /// Shared with the walks of exports, which outlive a call.
    client: Arc<Client>,
    index: String,
    analyzers: Arc<LanguageAnalyzers>,
    /// The alias table the speaker registry applies.
    aliases: Arc<Aliases>,
    /// Limits every search respects.
    limits: SearchLimits,
    document_options: DocumentOptions,
    /// `wait_for_active_shards` of every write, when set.
    wait_for_active_shards: Option<String>,
    /// Bulk `timeout`: how long the engine waits for unavailable shards.
    write_timeout_ms: u64,
    conflict_retries: u32,
    /// The cluster's snapshot repository; empty: no snapshots.
    snapshot_repository: String,
    stats: WriteStats,
    /// What the last request to the cluster, or the last poll of its
    /// health, showed.
    health: Arc<Mutex<BackendHealth>>,
    /// Set by [`Backend::shutdown`] (or on drop); stops the health poller.
    closed: Arc<AtomicBool>,
    /// What is derived from the whole index, by the write state it was
    /// built at ([`state`]).
    caches: DerivedCaches,
    /// The alerts writes are matched against, when set ([`alerts`]).
    alert_hook: Option<alerts::AlertHook>,
}

/// The values derived from the whole index, each kept by the write state
/// it was built at ([`state`]).
#[derive(Debug, Default)]
struct DerivedCaches {
    /// The languages the index holds.
    languages: state::StateCache<Vec<String>>,
    /// The speaker registry.
    registry: state::StateCache<crate::indexing::speaker_registry::SpeakerRegistry>,
    /// The statement table.
    statements: state::StateCache<statements::Statements>,
}

impl std::fmt::Debug for OpenSearchBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenSearchBackend")
            .field("client", &self.client)
            .field("index", &self.index)
            .finish()
    }
}

impl OpenSearchBackend {
    /// Connects to the index of `settings`, which must exist with this
    /// build's versions (see [`init_index`]).
    pub fn connect(
        settings: &Settings,
        analyzers: Arc<LanguageAnalyzers>,
    ) -> Result<OpenSearchBackend, SetupError> {
        let opensearch = &settings.opensearch;
        let client = Client::new(opensearch);
        let index = opensearch.index.clone();
        check_index(&client, &index)?;
        let health = Arc::new(Mutex::new(BackendHealth::Serving));
        let closed = Arc::new(AtomicBool::new(false));
        spawn_health_poller(opensearch, health.clone(), closed.clone());
        let wait_for_active_shards = match opensearch.wait_for_active_shards.as_str() {
            "" => {
                let copies = index_replicas(&client, &index)? + 1;
                // A majority of the shard's copies, the primary among them.
                (copies > 1).then(|| (copies / 2 + 1).to_string())
            }
            other => Some(other.to_owned()),
        };
        Ok(OpenSearchBackend {
            client: Arc::new(client),
            index,
            analyzers,
            aliases: Arc::new(Aliases::default()),
            limits: SearchLimits::from_settings(&settings.search),
            document_options: settings.index.document_options(),
            wait_for_active_shards,
            write_timeout_ms: (opensearch.timeout_ms / 2).max(1),
            conflict_retries: opensearch.conflict_retries,
            snapshot_repository: opensearch.snapshot_repository.clone(),
            stats: WriteStats {
                commits: Counter::new(),
                commit_failures: Counter::new(),
                commit_seconds: Histogram::new(LATENCY_BUCKETS),
                articles_written: Counter::new(),
                deletes: Counter::new(),
                conflicts: Counter::new(),
                flushes: Counter::new(),
            },
            health: health.clone(),
            closed: closed.clone(),
            caches: Default::default(),
            alert_hook: None,
        })
    }

    /// The backend with `aliases` applied by its speaker registry (as
    /// `IndexStore::with_speaker_aliases` applies them to the embedded one).
    pub fn with_speaker_aliases(mut self, aliases: Aliases) -> OpenSearchBackend {
        self.aliases = Arc::new(aliases);
        self
    }

    /// The backend with its writes matched against `alerts`, their queries
    /// read and their events shaped by `shapes` (see [`alerts`]).
    /// Fails when the alerts' journal of pending writes cannot be read.
    pub fn with_alerts(
        mut self,
        alerts: Arc<crate::alerts::AlertStore>,
        shapes: super::AlertShapes,
    ) -> Result<OpenSearchBackend, crate::alerts::AlertError> {
        self.alert_hook = Some(alerts::AlertHook::new(alerts, shapes)?);
        Ok(self)
    }

    /// The index this backend writes.
    pub fn index(&self) -> &str {
        &self.index
    }

    /// How many times a write found its article changed by another writer
    /// since it read it, and read it again.
    pub fn conflicts(&self) -> u64 {
        self.stats.conflicts.get()
    }

    /// Sends a request, remembering whether the cluster could serve it.
    fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Body<'_>>,
    ) -> Result<Reply, BackendError> {
        send_to(&self.client, &self.health, method, path, body)
    }

    /// Sends a request to `endpoint` of the index (`/_search`,
    /// `/_stats/docs`, ...) and reads its successful answer.
    fn on_index(
        &self,
        method: &str,
        endpoint: &str,
        body: Option<Body<'_>>,
    ) -> Result<Value, BackendError> {
        let path = format!("/{}{endpoint}", encode(&self.index));
        self.send(method, &path, body)?.success()
    }

    /// The query string of a write: refresh and active shards.
    fn write_params(&self, refresh: bool) -> String {
        let mut params = vec![format!("timeout={}ms", self.write_timeout_ms)];
        if refresh {
            params.push("refresh=wait_for".to_owned());
        }
        if let Some(wait) = &self.wait_for_active_shards {
            params.push(format!("wait_for_active_shards={wait}"));
        }
        params.join("&")
    }

    fn check_open(&self) -> Result<(), BackendError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(BackendError::Unavailable(
                "the OpenSearch backend is shut down".to_owned(),
            ));
        }
        Ok(())
    }

    /// The article documents of `ids` as they are now (real-time reads).
    fn current(&self, ids: &[&ArticleIds]) -> Result<Vec<Option<Current>>, BackendError> {
        let docs: Vec<Value> = ids
            .iter()
            .map(|ids| {
                json!({ "_id": ids.article, "routing": ids.routing(), "_source": [QUOTE_COUNT] })
            })
            .collect();
        let answer = self.on_index("POST", "/_mget", Some(Body::Json(&json!({ "docs": docs }))))?;
        let found = answer
            .get("docs")
            .and_then(Value::as_array)
            .filter(|found| found.len() == ids.len())
            .ok_or_else(|| BackendError::Store("OpenSearch answered _mget without docs".into()))?;
        found
            .iter()
            .map(|doc| {
                if let Some(error) = doc.get("error") {
                    return Err(BackendError::Unavailable(format!(
                        "reading an article to replace it failed: {error}"
                    )));
                }
                if doc.get("found") != Some(&Value::Bool(true)) {
                    return Ok(None);
                }
                let number = |key: &str| doc.get(key).and_then(Value::as_u64);
                match (number("_seq_no"), number("_primary_term")) {
                    (Some(seq_no), Some(primary_term)) => Ok(Some(Current {
                        seq_no,
                        primary_term,
                        quote_count: doc.get("_source").and_then(quote_count).unwrap_or(0),
                    })),
                    _ => Err(BackendError::Store(
                        "OpenSearch answered _mget without sequence numbers".into(),
                    )),
                }
            })
            .collect()
    }

    /// Sends `lines` to `_bulk` and returns each item's answer, in order.
    fn bulk(&self, lines: &str, refresh: bool) -> Result<Vec<BulkItem>, BackendError> {
        let answer = self.on_index(
            "POST",
            &format!("/_bulk?{}", self.write_params(refresh)),
            Some(Body::NdJson(lines)),
        )?;
        let items = answer
            .get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| BackendError::Store("OpenSearch answered _bulk without items".into()))?;
        Ok(items.iter().map(BulkItem::read).collect())
    }

    /// Upserts articles once: reads, claims, writes quotes. Returns the
    /// positions (in `prepared`) that lost a claim race and must try again.
    fn upsert_round(
        &self,
        prepared: &[(ArticleIds, ArticleDocuments)],
        pending: &[usize],
        refresh: bool,
    ) -> Result<Vec<usize>, BackendError> {
        let ids: Vec<&ArticleIds> = pending.iter().map(|&i| &prepared[i].0).collect();
        let current = self.current(&ids)?;
        // The claims: every article document, conditional on what was read.
        let mut claims = String::new();
        let mut quiet = false;
        for (&i, found) in pending.iter().zip(&current) {
            let (ids, documents) = &prepared[i];
            let mut meta = json!({ "_id": ids.article, "routing": ids.routing() });
            let action = match found {
                Some(found) => {
                    meta["if_seq_no"] = found.seq_no.into();
                    meta["if_primary_term"] = found.primary_term.into();
                    "index"
                }
                None => "create",
            };
            push_line(&mut claims, &json!({ action: meta }));
            push_line(&mut claims, &documents.article);
            let previous = found.map_or(0, |found| found.quote_count);
            // An article with no quote to write or delete is made visible by
            // its claim; the others by the quote request.
            quiet |= documents.quotes.is_empty() && previous == 0;
        }
        let claimed = self.bulk(&claims, refresh && quiet)?;
        let mut retry = Vec::new();
        let mut quote_lines = String::new();
        // A failed claim fails the upsert, but only after the articles that
        // were claimed have their quotes: none is left with another's.
        let mut failed_claim = None;
        for ((&i, found), item) in pending.iter().zip(&current).zip(claimed) {
            let (ids, documents) = &prepared[i];
            match item.outcome() {
                ItemOutcome::Done => {}
                ItemOutcome::Conflict => {
                    self.stats.conflicts.increment();
                    retry.push(i);
                    continue;
                }
                ItemOutcome::Failed(error) => {
                    failed_claim.get_or_insert(error);
                    continue;
                }
            }
            let seq_no = item.seq_no.ok_or_else(|| {
                BackendError::Store(
                    "OpenSearch answered a write without its sequence number".into(),
                )
            })?;
            let version = seq_no + 1;
            for (position, quote) in documents.quotes.iter().enumerate() {
                let meta = versioned(&ids.quote(position), ids.routing(), version);
                push_line(&mut quote_lines, &json!({ "index": meta }));
                push_line(&mut quote_lines, quote);
            }
            let previous = found.map_or(0, |found| found.quote_count);
            for position in documents.quotes.len()..previous {
                let meta = versioned(&ids.quote(position), ids.routing(), version);
                push_line(&mut quote_lines, &json!({ "delete": meta }));
            }
        }
        if !quote_lines.is_empty() {
            for item in self.bulk(&quote_lines, refresh)? {
                match item.outcome() {
                    // A later claim wrote this quote first: its version stands.
                    ItemOutcome::Done | ItemOutcome::Conflict => {}
                    ItemOutcome::Failed(error) => return Err(error),
                }
            }
        }
        match failed_claim {
            Some(error) => Err(error),
            None => Ok(retry),
        }
    }

    fn timed<T>(&self, write: impl FnOnce() -> Result<T, BackendError>) -> Result<T, BackendError> {
        let started = Instant::now();
        let outcome = write();
        match &outcome {
            Ok(_) => {
                self.stats.commits.increment();
                self.stats.commit_seconds.observe(started.elapsed());
            }
            Err(_) => self.stats.commit_failures.increment(),
        }
        outcome
    }

    fn delete_once(&self, ids: &ArticleIds, refresh: bool) -> Result<Option<bool>, BackendError> {
        let Some(found) = self.current(&[ids])?.pop().flatten() else {
            return Ok(Some(false));
        };
        let path = format!(
            "/{}/_doc/{}?routing={}&if_seq_no={}&if_primary_term={}&{}",
            encode(&self.index),
            encode(&ids.article),
            encode(ids.routing()),
            found.seq_no,
            found.primary_term,
            self.write_params(refresh && found.quote_count == 0),
        );
        let reply = self.send("DELETE", &path, None)?;
        // Changed or deleted since it was read: read it again.
        if reply.status == 409 || reply.status == 404 {
            self.stats.conflicts.increment();
            return Ok(None);
        }
        let seq_no = reply
            .success()?
            .get("_seq_no")
            .and_then(Value::as_u64)
            .ok_or_else(|| {
                BackendError::Store(
                    "OpenSearch answered a delete without its sequence number".into(),
                )
            })?;
        let mut lines = String::new();
        for position in 0..found.quote_count {
            let meta = versioned(&ids.quote(position), ids.routing(), seq_no + 1);
            push_line(&mut lines, &json!({ "delete": meta }));
        }
        if !lines.is_empty() {
            for item in self.bulk(&lines, refresh)? {
                if let ItemOutcome::Failed(error) = item.outcome() {
                    return Err(error);
                }
            }
        }
        Ok(Some(true))
    }

    /// Counts the documents of one kind.
    fn count(&self, kind: &str) -> Result<u64, BackendError> {
        let answer = self.on_index(
            "POST",
            "/_count",
            Some(Body::Json(
                &json!({ "query": { "term": { DOC_TYPE: kind } } }),
            )),
        )?;
        answer
            .get("count")
            .and_then(Value::as_u64)
            .ok_or_else(|| BackendError::Store("OpenSearch answered _count without a count".into()))
    }
}

/// Sends a request with `client`, marking `health` unavailable when the
/// cluster could not serve it (the health poller says when that is over),
/// and mapping a request that got no answer to [`BackendError`].
fn send_to(
    client: &Client,
    health: &Mutex<BackendHealth>,
    method: &str,
    path: &str,
    body: Option<Body<'_>>,
) -> Result<Reply, BackendError> {
    let outcome = client.send(method, path, body);
    let failure = match &outcome {
        Ok(reply) if reply.is_retryable() => Some(reply.describe()),
        Ok(_) => None,
        Err(error) => Some(error.to_string()),
    };
    if let Some(failure) = failure {
        *health.lock().unwrap_or_else(|e| e.into_inner()) = BackendHealth::Unavailable(failure);
    }
    match outcome {
        Ok(reply) => Ok(reply),
        Err(ClientError::NotJson { status, message }) if matches!(status, 429 | 502..=504) => Err(
            BackendError::Unavailable(format!("OpenSearch answered {status}: {message}")),
        ),
        Err(error @ ClientError::NotJson { .. }) => Err(BackendError::Store(error.to_string())),
        Err(error) => Err(BackendError::Unavailable(error.to_string())),
    }
}

/// Seconds between two polls of the cluster's health.
const HEALTH_POLL_SECS: u64 = 5;

/// Polls the health of the index of `settings` every
/// [`HEALTH_POLL_SECS`] into `health` until `closed` is set, so that
/// [`Backend::health`] answers from memory: green and yellow serve; red (a
/// primary shard unassigned) or a cluster that cannot be reached do not.
fn spawn_health_poller(
    settings: &OpenSearchSettings,
    health: Arc<Mutex<BackendHealth>>,
    closed: Arc<AtomicBool>,
) {
    let mut poll_settings = settings.clone();
    poll_settings.timeout_ms = settings.timeout_ms.min(HEALTH_POLL_SECS * 1000);
    let client = Client::new(&poll_settings);
    let path = format!("/_cluster/health/{}", encode(&settings.index));
    let spawned = std::thread::Builder::new()
        .name("opensearch-health".to_owned())
        .spawn(move || {
            while !closed.load(Ordering::Acquire) {
                let polled = match client.send("GET", &path, None) {
                    Ok(reply) => cluster_health(&reply),
                    Err(error) => BackendHealth::Unavailable(error.to_string()),
                };
                *health.lock().unwrap_or_else(|e| e.into_inner()) = polled;
                for _ in 0..HEALTH_POLL_SECS * 10 {
                    if closed.load(Ordering::Acquire) {
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
            }
        });
    if let Err(error) = spawned {
        tracing::warn!(%error, "cannot start the OpenSearch health poller");
    }
}

/// The backend's health from a `_cluster/health/<index>` answer.
fn cluster_health(reply: &Reply) -> BackendHealth {
    let status = reply.body.get("status").and_then(Value::as_str);
    match status {
        Some("green" | "yellow") if reply.is_success() => BackendHealth::Serving,
        Some("red") => BackendHealth::Unavailable(format!(
            "the index is red: {} shard(s) unassigned",
            reply
                .body
                .get("unassigned_shards")
                .and_then(Value::as_u64)
                .unwrap_or(0)
        )),
        _ => BackendHealth::Unavailable(reply.describe()),
    }
}

/// The number of replicas of `index`.
fn index_replicas(client: &Client, index: &str) -> Result<u32, SetupError> {
    let path = format!("/{}/_settings/index.number_of_replicas", encode(index));
    let reply = client.send("GET", &path, None)?;
    if !reply.is_success() {
        return Err(SetupError::Cluster(reply.describe()));
    }
    Ok(reply
        .body
        .as_object()
        .and_then(|indices| indices.values().next())
        .and_then(|entry| entry.pointer("/settings/index/number_of_replicas"))
        .and_then(|value| {
            value
                .as_str()
                .and_then(|text| text.parse().ok())
                .or(value.as_u64().map(|n| n as u32))
        })
        .unwrap_or(0))
}

/// The action metadata of a quote write versioned by its claim.
fn versioned(id: &str, routing: &str, version: u64) -> Value {
    json!({
        "_id": id,
        "routing": routing,
        "version": version,
        "version_type": "external_gte",
    })
}

fn push_line(lines: &mut String, value: &Value) {
    lines.push_str(&value.to_string());
    lines.push('\n');
}

impl Reply {
    /// The body of a successful answer, else its [`reply_error`].
    fn success(self) -> Result<Value, BackendError> {
        if self.is_success() {
            Ok(self.body)
        } else {
            Err(reply_error(&self))
        }
    }
}

/// The error of an answer that is not a success: a retryable status or an
/// engine that cannot serve now is [`BackendError::Unavailable`].
fn reply_error(reply: &Reply) -> BackendError {
    let unavailable = reply.is_retryable()
        || matches!(
            reply.error_type(),
            Some(
                "unavailable_shards_exception"
                    | "cluster_block_exception"
                    | "no_shard_available_action_exception"
                    | "process_cluster_event_timeout_exception"
            )
        );
    if unavailable {
        BackendError::Unavailable(reply.describe())
    } else {
        BackendError::Store(reply.describe())
    }
}

/// One item of a `_bulk` answer.
#[derive(Debug, Clone)]
struct BulkItem {
    status: u16,
    seq_no: Option<u64>,
    error: Option<Value>,
}

/// What became of a bulk item.
enum ItemOutcome {
    Done,
    /// A version or sequence-number conflict (409).
    Conflict,
    Failed(BackendError),
}

impl BulkItem {
    fn read(item: &Value) -> BulkItem {
        let answer = item
            .as_object()
            .and_then(|item| item.values().next())
            .cloned()
            .unwrap_or(Value::Null);
        BulkItem {
            status: answer.get("status").and_then(Value::as_u64).unwrap_or(0) as u16,
            seq_no: answer.get("_seq_no").and_then(Value::as_u64),
            error: answer.get("error").cloned(),
        }
    }

    fn outcome(&self) -> ItemOutcome {
        match (self.status, &self.error) {
            // A delete of a quote that was not there leaves a tombstone of
            // the version: that is what it is for.
            (200..=299, None) | (404, None) => ItemOutcome::Done,
            (409, _) => ItemOutcome::Conflict,
            (status, error) => {
                let reply = Reply {
                    status,
                    body: json!({ "error": error.clone().unwrap_or(Value::Null) }),
                };
                ItemOutcome::Failed(reply_error(&reply))
            }
        }
    }
}

impl Drop for OpenSearchBackend {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::Release);
    }
}

impl Backend for OpenSearchBackend {
    fn upsert(
        &self,
        articles: Vec<AnalyzedArticle>,
        durability: Durability,
    ) -> Result<WriteAck, BackendError> {
        self.check_open()?;
        let count = articles.len() as u64;
        let pending_match = self.alerts_before_write(&articles)?;
        let prepared: Vec<(ArticleIds, ArticleDocuments)> = articles
            .par_iter()
            .map(|article| {
                (
                    ArticleIds::of(&article.article.id),
                    article_documents(article, &self.analyzers, self.document_options),
                )
            })
            .collect();
        drop(articles);
        // Alerts search the quotes just written: they must be visible.
        let refresh = durability == Durability::Durable || pending_match.is_some();
        let written = self.timed(|| {
            let mut pending: Vec<usize> = (0..prepared.len()).collect();
            for _ in 0..=self.conflict_retries {
                pending = self.upsert_round(&prepared, &pending, refresh)?;
                if pending.is_empty() {
                    self.stats.articles_written.add(count);
                    return Ok(WriteAck {
                        existed: false,
                        generation: 0,
                    });
                }
            }
            Err(BackendError::Unavailable(format!(
                "{} article(s) kept changing under this upsert ({} tries); send them again",
                pending.len(),
                self.conflict_retries + 1
            )))
        });
        if let Some(pending_match) = pending_match {
            match &written {
                Ok(_) => self.alerts_after_write(pending_match),
                Err(_) => self.alerts_write_failed(pending_match),
            }
        }
        written
    }

    fn delete(&self, id: &str, durability: Durability) -> Result<WriteAck, BackendError> {
        self.check_open()?;
        let ids = ArticleIds::of(id);
        let refresh = durability == Durability::Durable;
        self.timed(|| {
            for _ in 0..=self.conflict_retries {
                if let Some(existed) = self.delete_once(&ids, refresh)? {
                    if existed {
                        self.stats.deletes.increment();
                    }
                    return Ok(WriteAck {
                        existed,
                        generation: 0,
                    });
                }
            }
            Err(BackendError::Unavailable(format!(
                "article {id} kept changing under this delete; send it again"
            )))
        })
    }

    fn flush(&self) -> Result<WriteAck, BackendError> {
        self.check_open()?;
        // Acknowledged writes are durable already (translog per request);
        // a refresh makes them visible.
        let refreshed = self.on_index("POST", "/_refresh", None);
        self.stats.flushes.increment();
        refreshed?;
        Ok(WriteAck {
            existed: false,
            generation: 0,
        })
    }

    fn get_article(&self, id: &str) -> Result<Option<AnalyzedArticle>, BackendError> {
        let ids = ArticleIds::of(id);
        let path = format!(
            "/{}/_doc/{}?routing={}&_source_includes={}",
            encode(&self.index),
            encode(&ids.article),
            encode(ids.routing()),
            crate::indexing::schema::STORED_JSON,
        );
        let reply = self.send("GET", &path, None)?;
        if reply.status == 404 && reply.body.get("found") == Some(&Value::Bool(false)) {
            return Ok(None);
        }
        let body = reply.success()?;
        let json = body
            .get("_source")
            .and_then(stored_json)
            .ok_or_else(|| BackendError::Store(format!("article {id} has no stored JSON")))?;
        let article: AnalyzedArticle = serde_json::from_str(json)
            .map_err(|e| BackendError::Store(format!("article {id}: {e}")))?;
        // A hashed id is checked against the article it found.
        Ok((article.article.id == id).then_some(article))
    }

    fn search(&self, request: &SearchRequest) -> Result<SearchResults, BackendError> {
        self.run_search(request)
    }

    fn check_search(&self, request: &SearchRequest) -> Result<(), BackendError> {
        self.check(request)
    }

    fn facet_catalog(
        &self,
        catalog: &CatalogRequest,
        facet: &str,
        parent: Option<&str>,
    ) -> Result<FacetValues, BackendError> {
        self.catalog_of_facet(catalog, facet, parent)
    }

    fn speaker_catalog(&self, catalog: &CatalogRequest) -> Result<SpeakerCatalog, BackendError> {
        self.catalog_of_speakers(catalog)
    }

    fn entity_catalog(
        &self,
        catalog: &CatalogRequest,
        kinds: &[EntityKind],
    ) -> Result<EntityCatalog, BackendError> {
        self.catalog_of_entities(catalog, kinds)
    }

    fn verify(&self, request: &VerifyRequest) -> Result<Verification, BackendError> {
        self.verify_claim(request)
    }

    fn speaker_timeline(&self, request: &TimelineRequest) -> Result<Timeline, BackendError> {
        self.timeline(request)
    }

    fn prepare_export(&self, request: &SearchRequest) -> Result<Box<dyn ExportWalk>, BackendError> {
        Ok(Box::new(
            self.prepare_export_paged(request, export::EXPORT_PAGE)?,
        ))
    }

    fn stats(&self) -> Result<StoreStats, BackendError> {
        let articles = self.count(KIND_ARTICLE)?;
        let quotes = self.count(KIND_QUOTE)?;
        let answer = self.on_index("GET", "/_stats/store,segments", None)?;
        let total = |pointer: &str| {
            answer
                .pointer(&format!("/_all/total{pointer}"))
                .and_then(Value::as_u64)
                .unwrap_or(0)
        };
        Ok(StoreStats {
            articles,
            quotes,
            documents: articles + quotes,
            segments: total("/segments/count") as usize,
            bytes: total("/store/size_in_bytes"),
            location: format!("{} index {}", self.client.nodes().join(","), self.index),
            write_queue: 0,
            schema_version: SCHEMA_VERSION,
        })
    }

    fn write_metrics(&self) -> WriteMetrics<'_> {
        WriteMetrics {
            queue_depth: 0,
            commits: self.stats.commits.get(),
            commit_failures: self.stats.commit_failures.get(),
            commit_seconds: &self.stats.commit_seconds,
            articles_written: self.stats.articles_written.get(),
            articles_deleted: self.stats.deletes.get(),
        }
    }

    fn snapshot(&self, name: &str) -> Result<SnapshotReport, BackendError> {
        self.take_snapshot(name)
    }

    fn health(&self) -> BackendHealth {
        if self.closed.load(Ordering::Acquire) {
            return BackendHealth::Unavailable("shut down".to_owned());
        }
        self.health
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn shutdown(&self) -> Result<(), BackendError> {
        // Nothing is buffered: every acknowledged write is in the cluster.
        self.closed.store(true, Ordering::Release);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_health_serves_green_and_yellow_only() {
        let reply = |status: u16, body: Value| Reply { status, body };
        for colour in ["green", "yellow"] {
            assert_eq!(
                cluster_health(&reply(200, json!({ "status": colour }))),
                BackendHealth::Serving
            );
        }
        assert_eq!(
            cluster_health(&reply(
                200,
                json!({ "status": "red", "unassigned_shards": 2 })
            )),
            BackendHealth::Unavailable("the index is red: 2 shard(s) unassigned".to_owned())
        );
        assert!(matches!(
            cluster_health(&reply(408, json!({ "status": "red" }))),
            BackendHealth::Unavailable(_)
        ));
        assert!(matches!(
            cluster_health(&reply(401, json!({ "error": "unauthorized" }))),
            BackendHealth::Unavailable(_)
        ));
    }

    #[test]
    fn ids_are_routed_by_the_article_and_long_ids_hashed() {
        let ids = ArticleIds::of("x|q3");
        assert_eq!(ids.article, "a|x|q3");
        assert_eq!(ids.quote(3), "q3|a|x|q3");
        assert_ne!(ids.article, ArticleIds::of("x").quote(3));
        assert_eq!(ids.routing(), ids.article);
        let long = ArticleIds::of(&"é".repeat(256));
        assert!(long.article.starts_with("h|") && long.article.len() == 34);
        assert!(long.quote(usize::MAX).len() <= 512);
    }
}
