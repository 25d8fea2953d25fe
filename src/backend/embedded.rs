//! The embedded backend: the tantivy index in one directory, written by one
//! writer thread in group commits (see [`crate::indexing`]) and read by
//! [`crate::search`], with the alert matcher watching its commits.
//!
//! Everything here is single-server state: the index directory, the writer
//! thread (the only one that may write it), the caches of searchers, speaker
//! registries and statement tables, and the alerts' matching thread.
//! Crash and fault handling (rollbacks, the writer's generation, the
//! fault-injecting directory) stays inside it; the seam sees only
//! [`Durability`], [`WriteAck`] and [`BackendError`].

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rayon::prelude::*;

use super::{
    AlertShapes, Backend, BackendError, BackendHealth, Durability, ExportWalk, SnapshotReport,
    StoreStats, WriteAck, WriteMetrics,
};
use crate::alerts::matcher::AlertMatcher;
use crate::alerts::AlertStore;
use crate::analysis::Analyzer;
use crate::config::Settings;
use crate::indexing::document::{article_documents_with, DocumentOptions};
use crate::indexing::schema::SCHEMA_VERSION;
use crate::indexing::snapshot::SnapshotError;
use crate::indexing::writer::{self, WriteOp, WriterOptions, WriterThread};
use crate::indexing::{
    IndexError, IndexStore, IndexWriterHandle, PreparedArticle, StoreOptions, WriteError,
};
use crate::model::{AnalyzedArticle, EntityKind};
use crate::search::entity_catalog::{entity_catalog, EntityCatalog};
use crate::search::speaker_catalog::{speaker_catalog, SpeakerCatalog};
use crate::search::timeline::{speaker_timeline, Timeline, TimelineRequest};
use crate::search::verify::{verify, Verification, VerifyRequest};
use crate::search::{
    compile_search, export, facet_catalog, search, CatalogRequest, FacetValues, SearchLimits,
    SearchRequest, SearchResults,
};

/// The tantivy index in a directory, its writer thread and its alert
/// matcher.
pub struct EmbeddedBackend {
    /// The index.
    store: IndexStore,
    /// The writer thread.
    writer: IndexWriterHandle,
    /// How analysed articles become documents.
    document_options: DocumentOptions,
    /// Limits every read respects.
    limits: SearchLimits,
    /// Where snapshots are written, one directory per name.
    snapshot_dir: PathBuf,
    /// The writer and alert-matching threads, joined by
    /// [`Backend::shutdown`].
    threads: Mutex<Option<(WriterThread, JoinHandle<()>)>>,
}

impl EmbeddedBackend {
    /// Opens (or creates) the index of `settings` and starts its writer
    /// thread, with the alerts of the index directory matched against every
    /// commit. Returns the backend and the alerts it matches.
    pub fn start(
        settings: &Settings,
        analyzer: &Analyzer,
        shapes: AlertShapes,
    ) -> anyhow::Result<(EmbeddedBackend, Arc<AlertStore>)> {
        let store = IndexStore::open_or_create_with(
            &settings.index.dir,
            crate::analysis::language_analyzers_for(settings),
            &store_options(settings),
        )?
        .with_speaker_aliases(analyzer.aliases().clone());
        let alerts = Arc::new(AlertStore::open(&settings.index.dir)?);
        let limits = SearchLimits::from_settings(&settings.search);
        let (observer, matcher_thread) =
            alert_matcher(store.clone(), alerts.clone(), shapes, limits).spawn();
        let (writer, writer_thread) =
            IndexWriterHandle::start_observed(&store, writer_options(settings), Some(observer))?;
        let backend = EmbeddedBackend {
            store,
            writer,
            document_options: settings.index.document_options(),
            limits,
            snapshot_dir: settings.index.snapshot_dir.clone(),
            threads: Mutex::new(Some((writer_thread, matcher_thread))),
        };
        Ok((backend, alerts))
    }

    /// Sends `op` to the writer thread and waits for its acknowledgement.
    fn write(&self, op: WriteOp, durability: Durability) -> Result<WriteAck, BackendError> {
        let durability = match durability {
            Durability::Durable => writer::Durability::Commit,
            Durability::Deferred => writer::Durability::Deferred,
        };
        let ack = self.writer.write_blocking(op, durability)?;
        Ok(WriteAck {
            existed: ack.existed,
            generation: ack.generation,
        })
    }

    /// `article`'s documents: the article's, then its quotes'.
    fn prepare(&self, article: &AnalyzedArticle) -> PreparedArticle {
        PreparedArticle {
            id: article.article.id.clone(),
            documents: article_documents_with(article, self.store.fields(), self.document_options),
        }
    }
}

impl Backend for EmbeddedBackend {
    fn upsert(
        &self,
        articles: Vec<AnalyzedArticle>,
        durability: Durability,
    ) -> Result<WriteAck, BackendError> {
        let prepared = if articles.len() > 1 {
            articles
                .par_iter()
                .map(|article| self.prepare(article))
                .collect()
        } else {
            articles
                .iter()
                .map(|article| self.prepare(article))
                .collect()
        };
        drop(articles);
        self.write(WriteOp::Upsert(prepared), durability)
    }

    fn delete(&self, id: &str, durability: Durability) -> Result<WriteAck, BackendError> {
        self.write(WriteOp::Delete(id.to_owned()), durability)
    }

    fn flush(&self) -> Result<WriteAck, BackendError> {
        self.write(WriteOp::Commit, Durability::Durable)
    }

    fn get_article(&self, id: &str) -> Result<Option<AnalyzedArticle>, BackendError> {
        Ok(self.store.get_article(id)?)
    }

    fn search(&self, request: &SearchRequest) -> Result<SearchResults, BackendError> {
        Ok(search(&self.store, request, self.limits)?)
    }

    fn check_search(&self, request: &SearchRequest) -> Result<(), BackendError> {
        let searcher = self.store.searcher();
        compile_search(&self.store, &searcher, request, self.limits)?;
        Ok(())
    }

    fn facet_catalog(
        &self,
        catalog: &CatalogRequest,
        facet: &str,
        parent: Option<&str>,
    ) -> Result<FacetValues, BackendError> {
        Ok(facet_catalog(&self.store, catalog, facet, parent)?)
    }

    fn speaker_catalog(&self, catalog: &CatalogRequest) -> Result<SpeakerCatalog, BackendError> {
        Ok(speaker_catalog(&self.store, catalog)?)
    }

    fn entity_catalog(
        &self,
        catalog: &CatalogRequest,
        kinds: &[EntityKind],
    ) -> Result<EntityCatalog, BackendError> {
        Ok(entity_catalog(&self.store, catalog, kinds)?)
    }

    fn verify(&self, request: &VerifyRequest) -> Result<Verification, BackendError> {
        Ok(verify(&self.store, request, self.limits)?)
    }

    fn speaker_timeline(&self, request: &TimelineRequest) -> Result<Timeline, BackendError> {
        Ok(speaker_timeline(&self.store, request, self.limits)?)
    }

    fn prepare_export(&self, request: &SearchRequest) -> Result<Box<dyn ExportWalk>, BackendError> {
        let walk = export::ExportWalk::prepare(&self.store, request, self.limits)?;
        Ok(Box::new(walk))
    }

    fn stats(&self) -> Result<StoreStats, BackendError> {
        let searcher = self.store.searcher();
        let (articles, quotes) = self.store.counts(&searcher)?;
        Ok(StoreStats {
            articles,
            quotes,
            documents: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            bytes: self.store.disk_bytes(),
            location: self.store.dir().display().to_string(),
            write_queue: self.writer.queue_depth(),
            schema_version: SCHEMA_VERSION,
        })
    }

    fn write_metrics(&self) -> WriteMetrics<'_> {
        let stats = self.writer.stats();
        WriteMetrics {
            queue_depth: self.writer.queue_depth(),
            commits: stats.commits.get(),
            commit_failures: stats.commit_failures.get(),
            commit_seconds: &stats.commit_seconds,
            articles_written: stats.articles_upserted.get(),
            articles_deleted: stats.deletes.get(),
        }
    }

    fn snapshot(&self, name: &str) -> Result<SnapshotReport, BackendError> {
        let summary = self.store.snapshot(&self.snapshot_dir.join(name))?;
        Ok(SnapshotReport {
            location: summary.path.display().to_string(),
            files: summary.files,
            bytes: summary.bytes,
            segments: summary.segments,
            documents: summary.documents,
            opstamp: summary.opstamp,
        })
    }

    fn health(&self) -> BackendHealth {
        // Reads go on from the last commit whatever the writer's state, and a
        // failed write leaves the writer usable: the index always serves.
        BackendHealth::Serving
    }

    fn shutdown(&self) -> Result<(), BackendError> {
        let stopped = self.write(WriteOp::Shutdown, Durability::Durable);
        let threads = self
            .threads
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some((writer_thread, matcher_thread)) = threads {
            writer_thread.join();
            // The writer's last batches are matched before the process ends.
            if matcher_thread.join().is_err() {
                tracing::error!("alert matching thread panicked");
            }
        }
        stopped.map(|_| ())
    }
}

impl ExportWalk for export::ExportWalk {
    fn walk(
        self: Box<Self>,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> Result<u64, BackendError> {
        Ok(self.run(visit)?)
    }
}

/// The alert matcher of `store`: saved queries read and events shaped as
/// `shapes` says.
pub fn alert_matcher(
    store: IndexStore,
    alerts: Arc<AlertStore>,
    shapes: AlertShapes,
    limits: SearchLimits,
) -> AlertMatcher {
    AlertMatcher::new(
        store,
        alerts,
        shapes.read_query,
        shapes.format_quote,
        limits,
    )
}

/// Writer options from settings.
pub fn writer_options(settings: &Settings) -> WriterOptions {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let threads = match settings.index.writer_threads {
        0 => cores.clamp(1, 4),
        n => n,
    };
    let memory_bytes = settings.index.writer_memory_mb << 20;
    // tantivy needs at least 15 MB per indexing thread.
    let threads = threads.min((memory_bytes / (16 << 20)).max(1));
    WriterOptions {
        memory_bytes,
        threads,
        max_ops_per_commit: settings.index.max_ops_per_commit,
    }
}

/// How a command-line writer (`verbatim import`, `verbatim migrate` into a
/// directory) opens or creates the index: with the settings' compression,
/// without the server's parallel search or fault hook ([`store_options`]).
pub fn writer_store_options(settings: &Settings) -> StoreOptions {
    StoreOptions {
        compression: settings.index.compression,
        ..StoreOptions::default()
    }
}

/// How the index is opened, from settings.
pub fn store_options(settings: &Settings) -> StoreOptions {
    StoreOptions {
        fail_writes_if_exists: Some(settings.index.fail_writes_if_exists.clone())
            .filter(|path| !path.as_os_str().is_empty()),
        search_threads: match settings.search.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        },
        compression: settings.index.compression,
        doc_store_cache_blocks: settings.search.doc_store_cache_blocks,
    }
}

impl From<WriteError> for BackendError {
    fn from(error: WriteError) -> Self {
        BackendError::Unavailable(error.to_string())
    }
}

impl From<IndexError> for BackendError {
    fn from(error: IndexError) -> Self {
        BackendError::Store(error.to_string())
    }
}

impl From<SnapshotError> for BackendError {
    fn from(error: SnapshotError) -> Self {
        let message = error.to_string();
        match error {
            SnapshotError::DestinationExists(_) => BackendError::SnapshotExists(message),
            SnapshotError::Write { .. } | SnapshotError::Unstable => {
                BackendError::SnapshotFailed(message)
            }
            SnapshotError::Index(error) => error.into(),
        }
    }
}
