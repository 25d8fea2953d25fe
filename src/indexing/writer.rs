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
use std::thread::JoinHandle;

use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyDocument};
use tokio::sync::{mpsc, oneshot};

use super::document::article_id_term;
use super::store::IndexStore;

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

/// A cloneable handle to the writer thread.
#[derive(Clone, Debug)]
pub struct IndexWriterHandle {
    sender: mpsc::Sender<WriteRequest>,
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
        let writer: IndexWriter<TantivyDocument> = store
            .index()
            .writer_with_num_threads(options.threads, options.memory_bytes)?;
        let mut merge_policy = tantivy::indexer::LogMergePolicy::default();
        merge_policy.set_min_num_segments(MERGE_MIN_SEGMENTS);
        writer.set_merge_policy(Box::new(merge_policy));
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        let store = store.clone();
        let join = std::thread::Builder::new()
            .name("verbatim-writer".to_owned())
            .spawn(move || WriterLoop::new(store, writer, options).run(receiver))
            .map_err(|e| super::IndexError::Directory {
                path: Default::default(),
                source: e,
            })?;
        Ok((
            IndexWriterHandle { sender },
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
    writer: IndexWriter<TantivyDocument>,
    options: WriterOptions,
    generation: u64,
    /// Existence of articles touched since the last commit (id → exists now).
    pending_existence: HashMap<String, bool>,
    has_uncommitted: bool,
}

impl WriterLoop {
    fn new(
        store: IndexStore,
        writer: IndexWriter<TantivyDocument>,
        options: WriterOptions,
    ) -> Self {
        WriterLoop {
            store,
            writer,
            options,
            generation: 0,
            pending_existence: HashMap::new(),
            has_uncommitted: false,
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
                    let _ = reply.send(outcome.clone().map(|()| ack));
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
        if let Err(error) = self.writer.wait_merging_threads() {
            tracing::warn!(%error, "merge threads did not finish cleanly");
        }
        tracing::info!("index writer stopped");
    }

    fn apply(&mut self, op: WriteOp) -> Result<WriteAck, WriteError> {
        let mut ack = WriteAck {
            existed: false,
            generation: self.generation,
        };
        match op {
            WriteOp::Upsert(articles) => {
                for article in articles {
                    let mut operations = Vec::with_capacity(1 + article.documents.len());
                    operations.push(UserOperation::Delete(article_id_term(
                        self.store.fields(),
                        &article.id,
                    )));
                    operations.extend(article.documents.into_iter().map(UserOperation::Add));
                    self.writer.run(operations).map_err(storage_error)?;
                    self.pending_existence.insert(article.id, true);
                    self.has_uncommitted = true;
                }
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
                    self.writer
                        .delete_term(article_id_term(self.store.fields(), &id));
                    self.has_uncommitted = true;
                }
                self.pending_existence.insert(id, false);
            }
            WriteOp::Commit | WriteOp::Shutdown => {}
        }
        Ok(ack)
    }

    fn commit(&mut self) -> Result<(), WriteError> {
        self.pending_existence.clear();
        if !self.has_uncommitted {
            return Ok(());
        }
        match self.writer.commit() {
            Ok(_) => {
                self.has_uncommitted = false;
                self.store.reader().reload().map_err(storage_error)
            }
            Err(error) => {
                tracing::error!(%error, "commit failed; rolling back uncommitted writes");
                self.generation += 1;
                self.has_uncommitted = false;
                if let Err(rollback_error) = self.writer.rollback() {
                    tracing::error!(%rollback_error, "rollback failed");
                }
                Err(storage_error(error))
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
