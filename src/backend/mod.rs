//! The backend seam: what the HTTP layer asks of the store that holds the
//! articles and their quotes, whichever store that is.
//!
//! [`Backend`] is everything `http` reads and writes: upserting analysed
//! articles (each with its quotes), deleting, getting one article, searching
//! articles and quotes (with their facet counts), the catalogs, the export
//! walk, verification, timelines, statistics, snapshots and health. Its
//! methods are synchronous: handlers call them on the blocking pool, and a
//! backend may block (on a commit, on a disk, on a remote engine) as long as
//! a call needs.
//!
//! It takes and returns the crate's domain types ([`AnalyzedArticle`],
//! [`SearchRequest`] and [`SearchResults`], the catalogs, [`Verification`],
//! [`Timeline`]) and the few of its own below (acknowledgements, statistics,
//! snapshot reports, errors); nothing of it names tantivy. Analysis stays
//! the caller's: a backend stores what analysis gave it and reads it back.
//!
//! [`embedded::EmbeddedBackend`] is the tantivy index in a directory, with
//! its writer thread; [`opensearch::OpenSearchBackend`] an index of an
//! OpenSearch cluster (everything but snapshots without a snapshot
//! repository). See
//! ARCHITECTURE.md, *Backend seam*, for what is single-server state today,
//! and *OpenSearch backend* for what the second backend answers.

pub mod embedded;
pub mod opensearch;

use std::ops::ControlFlow;
use std::sync::Arc;

use crate::alerts::matcher::{QueryReader, QuoteFormatter};
use crate::alerts::AlertStore;
use crate::analysis::Analyzer;
use crate::config::{BackendKind, Settings};
use crate::metrics::Histogram;
use crate::model::{AnalyzedArticle, EntityKind};
use crate::search::entity_catalog::EntityCatalog;
use crate::search::speaker_catalog::SpeakerCatalog;
use crate::search::timeline::{Timeline, TimelineRequest};
use crate::search::verify::{Verification, VerifyRequest};
use crate::search::{CatalogRequest, FacetValues, SearchError, SearchRequest, SearchResults};

pub use embedded::EmbeddedBackend;

/// How alert events are made, given by the HTTP layer, which owns request
/// parameters and response shapes.
pub struct AlertShapes {
    /// Reads a saved alert's query as `/v1/quotes` reads its parameters.
    pub read_query: QueryReader,
    /// Shapes a stored quote as a `/v1/quotes` hit.
    pub format_quote: QuoteFormatter,
}

/// A started backend and the saved alerts it matches its writes against.
pub struct StartedBackend {
    /// The backend.
    pub backend: Arc<dyn Backend>,
    /// The saved alerts.
    pub alerts: Arc<AlertStore>,
}

/// Starts the backend `settings` choose: the embedded index in
/// `index.dir` (its alerts matched with `shapes`), or the OpenSearch index
/// of `opensearch` (which must exist: `verbatim backend init`). The
/// OpenSearch backend answers everything but snapshots without a snapshot
/// repository, which are answered [`BackendError::NotSupported`]; its
/// alerts are kept in `index.dir` and matched by the write path
/// ([`opensearch::alerts`]).
pub fn start(
    settings: &Settings,
    analyzer: &Analyzer,
    shapes: AlertShapes,
) -> anyhow::Result<StartedBackend> {
    if settings.backend.kind == BackendKind::Opensearch {
        let backend = opensearch::OpenSearchBackend::connect(
            settings,
            crate::analysis::language_analyzers_for(settings),
        )?
        .with_speaker_aliases(analyzer.aliases().clone());
        // Alerts and feeds are kept in the index directory, as with the
        // embedded backend; writes are matched by the server that makes
        // them (see `opensearch::alerts`).
        std::fs::create_dir_all(&settings.index.dir)?;
        let alerts = Arc::new(AlertStore::open(&settings.index.dir)?);
        let backend = backend.with_alerts(alerts.clone(), shapes)?;
        backend.match_unfinished_alert_batches();
        return Ok(StartedBackend {
            backend: Arc::new(backend),
            alerts,
        });
    }
    let (backend, alerts) = EmbeddedBackend::start(settings, analyzer, shapes)?;
    Ok(StartedBackend {
        backend: Arc::new(backend),
        alerts,
    })
}

/// The store behind the API: one implementation serves a server, shared by
/// every handler as `Arc<dyn Backend>`.
///
/// Every method may block; call them on the blocking pool. Writes are
/// answered by the rules of [`Durability`]; reads see every write
/// acknowledged before they started.
pub trait Backend: Send + Sync {
    /// Inserts or replaces `articles`, each with its quotes: an article
    /// whose id exists replaces it and every quote it had. Each article and
    /// its quotes change together; a batch acknowledged with
    /// [`Durability::Durable`] is kept whole or, on error, not at all.
    fn upsert(
        &self,
        articles: Vec<AnalyzedArticle>,
        durability: Durability,
    ) -> Result<WriteAck, BackendError>;

    /// Deletes the article `id` and its quotes; [`WriteAck::existed`] says
    /// whether there was one.
    fn delete(&self, id: &str, durability: Durability) -> Result<WriteAck, BackendError>;

    /// Makes every write applied so far durable and visible (the end of a
    /// batch of [`Durability::Deferred`] writes).
    fn flush(&self) -> Result<WriteAck, BackendError>;

    /// The article `id` with its analysis, as stored; `None` when there is
    /// none.
    fn get_article(&self, id: &str) -> Result<Option<AnalyzedArticle>, BackendError>;

    /// Runs a search: articles or quotes, as [`SearchRequest::target`] says,
    /// a page of hits with the exact total, the requested facet counts
    /// (exact, never sampled) and the cursor of the next page.
    fn search(&self, request: &SearchRequest) -> Result<SearchResults, BackendError>;

    /// Parses and checks `request` as [`Backend::search`] would, without
    /// running it (a saved alert's query is checked so when it is created).
    fn check_search(&self, request: &SearchRequest) -> Result<(), BackendError>;

    /// Counts the values of `facet` as `catalog` asks, keeping for topics
    /// the direct children of `parent` (`/v1/topics`).
    fn facet_catalog(
        &self,
        catalog: &CatalogRequest,
        facet: &str,
        parent: Option<&str>,
    ) -> Result<FacetValues, BackendError>;

    /// The speaker identities `catalog` asks for, most quoted first
    /// (`/v1/speakers`).
    fn speaker_catalog(&self, catalog: &CatalogRequest) -> Result<SpeakerCatalog, BackendError>;

    /// The entities of `kinds` that `catalog` asks for, most named first
    /// (`/v1/entities`).
    fn entity_catalog(
        &self,
        catalog: &CatalogRequest,
        kinds: &[EntityKind],
    ) -> Result<EntityCatalog, BackendError>;

    /// The attested quotes closest to a claimed one, with a verdict
    /// (`/v1/quotes/verify`).
    fn verify(&self, request: &VerifyRequest) -> Result<Verification, BackendError>;

    /// A speaker's quotes and statements over time, by topic
    /// (`/v1/speakers/{name}/timeline`).
    fn speaker_timeline(&self, request: &TimelineRequest) -> Result<Timeline, BackendError>;

    /// Compiles `request`'s query and filters for an export of every match
    /// (its paging, sort and facets are ignored). A bad query fails here,
    /// before anything is streamed; [`ExportWalk::walk`] then reads the
    /// matches.
    fn prepare_export(&self, request: &SearchRequest) -> Result<Box<dyn ExportWalk>, BackendError>;

    /// What the store holds now: counts, size, where it is.
    fn stats(&self) -> Result<StoreStats, BackendError>;

    /// The writes' counters and timings so far, for `/metrics`. Cheap: read
    /// from memory.
    fn write_metrics(&self) -> WriteMetrics<'_>;

    /// Writes a consistent copy of the last durable state, named `name`, while
    /// the backend keeps serving.
    fn snapshot(&self, name: &str) -> Result<SnapshotReport, BackendError>;

    /// Whether the backend can serve. Cheap and never blocking (`/health`
    /// calls it on the server's threads): a backend answers from what it
    /// already knows.
    fn health(&self) -> BackendHealth;

    /// Makes what was written durable and stops writing; later writes fail
    /// with [`BackendError::Unavailable`]. Returns once background work
    /// (the writer, the alert matcher) has finished.
    fn shutdown(&self) -> Result<(), BackendError>;
}

/// A prepared export: every match of one query, read on demand.
pub trait ExportWalk: Send {
    /// Calls `visit` with the stored JSON of every matching document until
    /// it returns `Break`; returns the number of documents visited. The order
    /// is the backend's (the embedded backend's: index order).
    fn walk(
        self: Box<Self>,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> Result<u64, BackendError>;
}

/// When a write is acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Once it is durable and visible to every read that starts afterwards.
    Durable,
    /// As soon as it is applied; a later [`Backend::flush`] makes it durable.
    /// [`WriteAck::generation`] tells whether it survived until then.
    Deferred,
}

/// What a backend reports for a write it applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteAck {
    /// For a delete: whether the article existed.
    pub existed: bool,
    /// Changes whenever writes that were applied but not yet durable were
    /// lost (a failed commit rolled them back): when the first write of a
    /// batch of [`Durability::Deferred`] writes and the [`Backend::flush`]
    /// that ends it report different generations, some of the batch was lost.
    pub generation: u64,
}

/// What the store holds, for `/v1/stats` and `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreStats {
    /// Live articles.
    pub articles: u64,
    /// Live quotes.
    pub quotes: u64,
    /// Live documents of both kinds.
    pub documents: u64,
    /// Segments (or shards) read by searches now.
    pub segments: usize,
    /// Bytes the store uses.
    pub bytes: u64,
    /// Where the store is (the embedded backend's index directory).
    pub location: String,
    /// Writes waiting to be applied.
    pub write_queue: usize,
    /// Version of the schema the store was written with.
    pub schema_version: u32,
}

/// The counters and timings of writes, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct WriteMetrics<'a> {
    /// Writes waiting to be applied.
    pub queue_depth: usize,
    /// Commits that succeeded.
    pub commits: u64,
    /// Commits that failed (and rolled back what was not durable).
    pub commit_failures: u64,
    /// Time each commit took, until its writes were visible.
    pub commit_seconds: &'a Histogram,
    /// Articles inserted or replaced (each with its quotes).
    pub articles_written: u64,
    /// Deletes applied.
    pub articles_deleted: u64,
}

/// What a snapshot copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotReport {
    /// Where the copy is.
    pub location: String,
    /// Files copied.
    pub files: usize,
    /// Bytes copied.
    pub bytes: u64,
    /// Segments in the copied state.
    pub segments: usize,
    /// Live documents (articles and quotes) in the copied state.
    pub documents: u64,
    /// The store's stamp of the copied state (tantivy's opstamp).
    pub opstamp: u64,
}

/// Whether a backend can serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendHealth {
    /// It serves reads and writes.
    Serving,
    /// It cannot serve now; why.
    Unavailable(String),
}

/// Why a backend call failed.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// A read was refused or failed as a search: a query that does not
    /// parse, a deadline passed, an unknown speaker, the store failing.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// Writes cannot be made durable now (a full disk, a writer shutting
    /// down); nothing of the failed write was kept, and a retry may pass.
    #[error("{0}")]
    Unavailable(String),
    /// A snapshot of this name exists.
    #[error("{0}")]
    SnapshotExists(String),
    /// The snapshot could not be written; nothing was left of it.
    #[error("{0}")]
    SnapshotFailed(String),
    /// The store failed in a way the client cannot help (a corrupt document,
    /// an I/O error reading).
    #[error("{0}")]
    Store(String),
    /// This backend does not answer this request (yet); the message says
    /// what it cannot do. Answered `501 not_implemented`.
    #[error("{0}")]
    NotSupported(String),
}

impl BackendError {
    /// The error of a batch of [`Durability::Deferred`] writes some of which
    /// were lost before its flush (see [`WriteAck::generation`]).
    pub fn batch_lost() -> BackendError {
        BackendError::Unavailable(
            "the index cannot be written: a commit failed while this bulk load was running; \
             send it again"
                .to_owned(),
        )
    }
}
