//! The index writer: one thread owns tantivy's `IndexWriter` and applies every
//! write in order. Writes that arrive while a commit is running queue up and
//! share the next commit (group commit), so durability costs one fsync per
//! batch rather than one per request.
//!
//! A write is answered only after the commit that contains it has returned and
//! the reader has been reloaded. A bulk load may send its chunks as
//! [`Durability::Deferred`] (applied, not yet committed) and finish with
//! [`WriteOp::Commit`]; the writer's *generation* changes whenever a failed
//! commit rolls uncommitted work back, so the bulk can tell that an earlier
//! chunk was lost.

use std::collections::HashMap;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use tantivy::indexer::UserOperation;
use tantivy::schema::Value;
use tantivy::{IndexWriter, Searcher, TantivyDocument};
use tokio::sync::{mpsc, oneshot};

use super::document::article_id_term;
use super::store::IndexStore;
use crate::metrics::{Counter, Histogram, LATENCY_BUCKETS};

/// Requests that may wait for the writer before senders are made to wait.
const QUEUE_CAPACITY: usize = 4096;

/// Segments of about the same size that are merged together. tantivy's
/// default (8) lets a server that commits every few writes keep up to 8 small
/// segments per size level, and every search pays per segment (weights,
/// fast-field columns, facet dictionaries): 4 keeps the count low at a
/// moderate cost in merging.
const MERGE_MIN_SEGMENTS: usize = 4;

/// An article turned into tantivy documents, ready for the writer.
#[derive(Debug)]
pub struct PreparedArticle {
    /// The article id.
    pub id: String,
    /// The article document followed by its quote documents.
    pub documents: Vec<TantivyDocument>,
}

/// A write operation.
#[derive(Debug)]
pub enum WriteOp {
    /// Insert or replace articles (each with its quotes) atomically.
    Upsert(Vec<PreparedArticle>),
    /// Delete an article and its quotes.
    Delete(String),
    /// Commit whatever is pending.
    Commit,
    /// Commit whatever is pending and stop the writer; later writes fail with
    /// [`WriteError::Closed`].
    Shutdown,
}

/// When a write is acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// After the commit that contains it.
    Commit,
    /// As soon as it is applied; a later [`WriteOp::Commit`] makes it durable.
    Deferred,
}

/// What the writer reports for a successful write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteAck {
    /// For a delete: whether the article existed.
    pub existed: bool,
    /// The writer generation the write was applied in.
    pub generation: u64,
}

/// Why a write failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WriteError {
    /// The index could not be written (disk full, read-only, I/O error); nothing
    /// of the batch was committed.
    #[error("the index cannot be written: {0}")]
    Storage(String),
    /// The writer is shutting down.
    #[error("the index writer is shutting down")]
    Closed,
}

struct WriteRequest {
    op: WriteOp,
    durability: Durability,
    reply: oneshot::Sender<Result<WriteAck, WriteError>>,
}

/// Writer settings.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    /// Memory budget of tantivy's writer, in bytes.
    pub memory_bytes: usize,
    /// tantivy indexing threads.
    pub threads: usize,
    /// Most operations folded into one commit.
    pub max_ops_per_commit: usize,
}

/// What the writer thread has done, for metrics: read by anyone, written
/// only by the writer thread.
#[derive(Debug)]
pub struct WriterStats {
    /// Commits that succeeded.
    pub commits: Counter,
    /// Commits that failed (and rolled back uncommitted writes).
    pub commit_failures: Counter,
    /// Time each commit took (including the reader reload), successful or not.
    pub commit_seconds: Histogram,
    /// Articles upserted (each with its quotes).
    pub articles_upserted: Counter,
    /// Delete operations applied.
    pub deletes: Counter,
}

impl Default for WriterStats {
    fn default() -> Self {
        WriterStats {
            commits: Counter::new(),
            commit_failures: Counter::new(),
            commit_seconds: Histogram::new(LATENCY_BUCKETS),
            articles_upserted: Counter::new(),
            deletes: Counter::new(),
        }
    }
}

/// The quote documents one commit added, handed to a [`CommitObserver`].
pub struct CommittedBatch {
    /// The searcher of the state before the batch (the previous commit).
    pub before: Searcher,
    /// The searcher of the state the commit made.
    pub after: Searcher,
    /// Copies of the quote documents upserted by the batch, in order (none
    /// for an observer that wants no copies).
    pub quotes: Vec<TantivyDocument>,
    /// The lowest `indexed_at` stamp of those quotes, as given to
    /// [`CommitObserver::committing`] before the commit.
    pub first_stamp: u64,
}

/// Told about the quotes of each commit (saved searches match them). Runs on
/// the writer thread, so it must only hand the batch on.
pub trait CommitObserver: Send + Sync {
    /// Whether the quotes of the coming batches are wanted (copying them
    /// costs; nothing is copied when no saved search exists).
    fn wants_quotes(&self) -> bool;
    /// Whether [`CommittedBatch::quotes`] should hold copies of the quote
    /// documents (an observer that needs only the stamps says no).
    fn wants_copies(&self) -> bool {
        true
    }
    /// A commit of quotes stamped `first_stamp` (`indexed_at`) or later is
    /// about to be made; called on the writer thread before the commit, so
    /// what it records durably is there whether or not
    /// [`CommitObserver::committed`] ever runs (a crash between the two).
    fn committing(&self, first_stamp: u64);
    /// A commit made `batch` durable and visible.
    fn committed(&self, batch: CommittedBatch);
}

/// A cloneable handle to the writer thread.
#[derive(Clone, Debug)]
pub struct IndexWriterHandle {
    sender: mpsc::Sender<WriteRequest>,
    stats: Arc<WriterStats>,
}

/// Owns the writer thread; dropping every handle and then this joins it after
/// a final commit.
#[derive(Debug)]
pub struct WriterThread {
    join: Option<JoinHandle<()>>,
}

impl IndexWriterHandle {
    /// Starts the writer thread on `store`.
    pub fn start(
        store: &IndexStore,
        options: WriterOptions,
    ) -> Result<(IndexWriterHandle, WriterThread), super::IndexError> {
        Self::start_observed(store, options, None)
    }

    /// Starts the writer thread on `store`, telling `observer` about the
    /// quotes of every commit.
    pub fn start_observed(
        store: &IndexStore,
        options: WriterOptions,
        observer: Option<Arc<dyn CommitObserver>>,
    ) -> Result<(IndexWriterHandle, WriterThread), super::IndexError> {
        let writer: IndexWriter<TantivyDocument> = store
            .index()
            .writer_with_num_threads(options.threads, options.memory_bytes)?;
        let mut merge_policy = tantivy::indexer::LogMergePolicy::default();
        merge_policy.set_min_num_segments(MERGE_MIN_SEGMENTS);
        writer.set_merge_policy(Box::new(merge_policy));
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        let store = store.clone();
        let stats = Arc::new(WriterStats::default());
        let loop_stats = Arc::clone(&stats);
        let join = std::thread::Builder::new()
            .name("verbatim-writer".to_owned())
            .spawn(move || {
                let mut writer_loop = WriterLoop::new(store, writer, options, loop_stats);
                writer_loop.observer = observer;
                writer_loop.run(receiver)
            })
            .map_err(|e| super::IndexError::Directory {
                path: Default::default(),
                source: e,
            })?;
        Ok((
            IndexWriterHandle { sender, stats },
            WriterThread { join: Some(join) },
        ))
    }

    /// Sends a write and waits for its acknowledgement.
    pub async fn write(&self, op: WriteOp, durability: Durability) -> Result<WriteAck, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(WriteRequest {
                op,
                durability,
                reply,
            })
            .await
            .map_err(|_| WriteError::Closed)?;
        answer.await.map_err(|_| WriteError::Closed)?
    }

    /// Blocking version of [`IndexWriterHandle::write`], for threads outside the runtime.
    pub fn write_blocking(
        &self,
        op: WriteOp,
        durability: Durability,
    ) -> Result<WriteAck, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .blocking_send(WriteRequest {
                op,
                durability,
                reply,
            })
            .map_err(|_| WriteError::Closed)?;
        answer.blocking_recv().map_err(|_| WriteError::Closed)?
    }

    /// Requests waiting for the writer.
    pub fn queue_depth(&self) -> usize {
        QUEUE_CAPACITY - self.sender.capacity()
    }

    /// What the writer has done so far (commits, their durations, writes).
    pub fn stats(&self) -> &WriterStats {
        &self.stats
    }
}

impl WriterThread {
    /// Waits for the writer thread to finish (after every handle is dropped).
    pub fn join(mut self) {
        if let Some(join) = self.join.take() {
            if join.join().is_err() {
                tracing::error!("index writer thread panicked");
            }
        }
    }
}

struct WriterLoop {
    store: IndexStore,
    /// tantivy's writer; `None` after a failure it could not be rebuilt from
    /// (it is rebuilt on the next write).
    writer: Option<IndexWriter<TantivyDocument>>,
    options: WriterOptions,
    stats: Arc<WriterStats>,
    /// Changes whenever uncommitted work is thrown away, so that writers of
    /// earlier work learn it was lost.
    generation: u64,
    /// Existence of articles touched since the last commit (id → exists now).
    pending_existence: HashMap<String, bool>,
    has_uncommitted: bool,
    /// Told about the quotes of each commit.
    observer: Option<Arc<dyn CommitObserver>>,
    /// The state before the uncommitted batch, copies of its quotes and
    /// their lowest `indexed_at` stamp, kept while the observer wants them.
    observed: Option<ObservedBatch>,
}

/// What the writer keeps of an uncommitted batch for its observer.
struct ObservedBatch {
    before: Searcher,
    /// Copies of the quote documents, when the observer wants them.
    quotes: Vec<TantivyDocument>,
    /// How many quote documents the batch has.
    count: usize,
    first_stamp: u64,
}

impl WriterLoop {
    fn new(
        store: IndexStore,
        writer: IndexWriter<TantivyDocument>,
        options: WriterOptions,
        stats: Arc<WriterStats>,
    ) -> Self {
        WriterLoop {
            store,
            writer: Some(writer),
            options,
            stats,
            generation: 0,
            pending_existence: HashMap::new(),
            has_uncommitted: false,
            observer: None,
            observed: None,
        }
    }

    fn run(mut self, mut receiver: mpsc::Receiver<WriteRequest>) {
        let mut waiting: Vec<(oneshot::Sender<Result<WriteAck, WriteError>>, WriteAck)> =
            Vec::new();
        let mut shutting_down = false;
        while let Some(first) = receiver.blocking_recv() {
            let mut request = Some(first);
            let mut applied_ops = 0;
            // Apply everything already queued (up to the batch limit), then
            // commit once for all of it.
            while let Some(WriteRequest {
                op,
                durability,
                reply,
            }) = request.take()
            {
                applied_ops += op_size(&op);
                if matches!(op, WriteOp::Shutdown) {
                    shutting_down = true;
                    waiting.push((
                        reply,
                        WriteAck {
                            existed: false,
                            generation: self.generation,
                        },
                    ));
                    break;
                }
                match self.apply(op) {
                    Ok(ack) => match durability {
                        Durability::Deferred => {
                            let _ = reply.send(Ok(ack));
                        }
                        Durability::Commit => waiting.push((reply, ack)),
                    },
                    Err(error) => {
                        let _ = reply.send(Err(error));
                    }
                }
                if applied_ops < self.options.max_ops_per_commit {
                    request = receiver.try_recv().ok();
                }
            }
            if !waiting.is_empty() {
                let outcome = self.commit();
                for (reply, ack) in waiting.drain(..) {
                    let answer = match &outcome {
                        // Work applied before a rollback in this batch was lost.
                        Ok(()) if ack.generation != self.generation => Err(WriteError::Storage(
                            "the index could not be written and this write was rolled back"
                                .to_owned(),
                        )),
                        Ok(()) => Ok(ack),
                        Err(error) => Err(error.clone()),
                    };
                    let _ = reply.send(answer);
                }
            }
            if shutting_down {
                receiver.close();
                break;
            }
        }
        if self.has_uncommitted {
            if let Err(error) = self.commit() {
                tracing::error!(%error, "final commit failed");
            }
        }
        if let Some(writer) = self.writer.take() {
            if let Err(error) = writer.wait_merging_threads() {
                tracing::warn!(%error, "merge threads did not finish cleanly");
            }
        }
        tracing::info!("index writer stopped");
    }

    /// tantivy's writer, rebuilt first if an earlier failure left none.
    fn writer(&mut self) -> Result<&mut IndexWriter<TantivyDocument>, WriteError> {
        if self.writer.is_none() {
            let writer = self
                .store
                .index()
                .writer_with_num_threads(self.options.threads, self.options.memory_bytes)
                .map_err(storage_error)?;
            tracing::info!("index writer rebuilt after a storage failure");
            self.writer = Some(writer);
        }
        Ok(self.writer.as_mut().expect("the writer was just built"))
    }

    fn apply(&mut self, op: WriteOp) -> Result<WriteAck, WriteError> {
        let mut ack = WriteAck {
            existed: false,
            generation: self.generation,
        };
        match op {
            WriteOp::Upsert(articles) => {
                self.observe_quotes(&articles);
                for article in articles {
                    let mut operations = Vec::with_capacity(1 + article.documents.len());
                    operations.push(UserOperation::Delete(article_id_term(
                        self.store.fields(),
                        &article.id,
                    )));
                    operations.extend(article.documents.into_iter().map(UserOperation::Add));
                    let outcome = self
                        .writer()
                        .and_then(|writer| writer.run(operations).map_err(storage_error));
                    if let Err(error) = outcome {
                        // tantivy's writer died (an indexing thread failed to
                        // write a segment): uncommitted work is gone.
                        self.discard_uncommitted(&error);
                        return Err(error);
                    }
                    self.pending_existence.insert(article.id, true);
                    self.has_uncommitted = true;
                    self.stats.articles_upserted.increment();
                }
                // The ack belongs to the generation the articles were applied in.
                ack.generation = self.generation;
            }
            WriteOp::Delete(id) => {
                ack.existed = match self.pending_existence.get(&id) {
                    Some(exists) => *exists,
                    None => self
                        .store
                        .contains_article(&self.store.searcher(), &id)
                        .map_err(|e| WriteError::Storage(e.to_string()))?,
                };
                if ack.existed {
                    let term = article_id_term(self.store.fields(), &id);
                    self.writer()?.delete_term(term);
                    self.has_uncommitted = true;
                    self.stats.deletes.increment();
                }
                self.pending_existence.insert(id, false);
            }
            WriteOp::Commit | WriteOp::Shutdown => {}
        }
        Ok(ack)
    }

    /// Keeps copies of the quote documents of `articles` for the observer,
    /// with the state before the batch, when it wants them.
    fn observe_quotes(&mut self, articles: &[PreparedArticle]) {
        let Some(observer) = &self.observer else {
            return;
        };
        if self.observed.is_none() {
            if !observer.wants_quotes() {
                return;
            }
            self.observed = Some(ObservedBatch {
                before: self.store.searcher(),
                quotes: Vec::new(),
                count: 0,
                first_stamp: u64::MAX,
            });
        }
        let copies = observer.wants_copies();
        let fields = self.store.fields();
        let observed = self.observed.as_mut().expect("observed was just set");
        for article in articles {
            for document in &article.documents {
                if document.get_first(fields.kind).and_then(|v| v.as_str())
                    != Some(super::schema::KIND_QUOTE)
                {
                    continue;
                }
                if let Some(stamp) = document
                    .get_first(fields.indexed_at)
                    .and_then(|v| v.as_u64())
                {
                    observed.first_stamp = observed.first_stamp.min(stamp);
                }
                observed.count += 1;
                if copies {
                    observed.quotes.push(document.clone());
                }
            }
        }
    }

    fn commit(&mut self) -> Result<(), WriteError> {
        self.pending_existence.clear();
        if !self.has_uncommitted {
            self.observed = None;
            return Ok(());
        }
        let started = Instant::now();
        let observed = self.observed.take().filter(|batch| batch.count > 0);
        if let (Some(observer), Some(batch)) = (&self.observer, &observed) {
            observer.committing(batch.first_stamp);
        }
        let outcome = self.commit_and_reload();
        if let (Ok(()), Some(observer), Some(batch)) = (&outcome, &self.observer, observed) {
            observer.committed(CommittedBatch {
                before: batch.before,
                after: self.store.searcher(),
                quotes: batch.quotes,
                first_stamp: batch.first_stamp,
            });
        }
        self.stats.commit_seconds.observe(started.elapsed());
        match &outcome {
            Ok(()) => self.stats.commits.increment(),
            Err(_) => self.stats.commit_failures.increment(),
        }
        outcome
    }

    fn commit_and_reload(&mut self) -> Result<(), WriteError> {
        let outcome = self
            .writer()
            .and_then(|writer| writer.commit().map_err(storage_error));
        match outcome {
            Ok(_) => {
                self.has_uncommitted = false;
                self.store.reader().reload().map_err(storage_error)
            }
            Err(error) => {
                self.discard_uncommitted(&error);
                Err(error)
            }
        }
    }

    /// Throws away everything since the last commit and leaves a writer that
    /// works once storage does: tantivy's rollback, or a fresh writer when the
    /// rollback itself fails.
    fn discard_uncommitted(&mut self, cause: &WriteError) {
        tracing::error!(error = %cause, "index write failed; rolling back uncommitted writes");
        self.generation += 1;
        self.has_uncommitted = false;
        self.pending_existence.clear();
        self.observed = None;
        if let Some(writer) = self.writer.as_mut() {
            if let Err(rollback_error) = writer.rollback() {
                tracing::error!(%rollback_error, "rollback failed; the writer will be rebuilt");
                // Dropping it releases the directory lock for the next one.
                self.writer = None;
            }
        }
    }
}

fn op_size(op: &WriteOp) -> usize {
    match op {
        WriteOp::Upsert(articles) => articles.len().max(1),
        WriteOp::Delete(_) | WriteOp::Commit | WriteOp::Shutdown => 1,
    }
}

fn storage_error(error: tantivy::TantivyError) -> WriteError {
    WriteError::Storage(error.to_string())
}
