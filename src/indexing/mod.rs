//! Indexing: the tantivy index on disk, the documents Verbatim writes into it,
//! and the single writer thread that applies writes in group commits.
//!
//! - [`schema`] owns every field name and the schema version;
//! - [`document`] turns analysed articles into tantivy documents;
//! - [`store`] opens (or creates) the index and reads from it;
//! - [`speaker_registry`] derives the corpus's speaker identities from it;
//! - [`statements`] folds copies of one statement (reprints, updates,
//!   excerpts) by speaker identity, from it; `cache` holds what the caches
//!   of these two share;
//! - [`writer`] owns tantivy's `IndexWriter` on a thread of its own;
//! - [`snapshot`] copies a consistent committed state elsewhere (backups);
//! - [`faults`] injects storage errors, for tests of full disks.
//!
//! Architecture invariant: a write is acknowledged only after the tantivy
//! commit that contains it has returned, so an acknowledged article survives
//! a crash; the reader is reloaded before the acknowledgement, so it is also
//! immediately searchable.

mod cache;
pub mod document;
pub mod faults;
pub mod schema;
pub mod snapshot;
pub mod speaker_registry;
pub mod statements;
pub mod store;
pub mod writer;

pub use store::{
    DocStoreCompression, IndexStore, KindDocuments, StoreOptions, DEFAULT_DOC_STORE_CACHE_BLOCKS,
};
pub use writer::{IndexWriterHandle, PreparedArticle, WriteError};

/// Errors raised while opening or reading the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The index directory cannot be created or read.
    #[error("index directory {path}: {source}")]
    Directory {
        /// The directory.
        path: std::path::PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The index was written by another version of the schema.
    #[error(
        "index in {path} has schema version {found}, this build needs {expected}; \
         re-import into an empty directory"
    )]
    SchemaMismatch {
        /// The directory.
        path: std::path::PathBuf,
        /// Version found on disk.
        found: String,
        /// Version this build writes.
        expected: u32,
    },
    /// No index exists where one was expected.
    #[error("no index in {0}: start `verbatim serve` or run `verbatim import` first")]
    Missing(std::path::PathBuf),
    /// A stored document could not be decoded.
    #[error("corrupt stored document: {0}")]
    CorruptDocument(String),
    /// tantivy failed.
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
}
