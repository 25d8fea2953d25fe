//! Backups: copies one committed state of the index to another directory while
//! the server keeps reading and writing.
//!
//! tantivy never changes a segment file once written; a commit writes new
//! files and then replaces `meta.json`, which names the files of that state.
//! A snapshot reads `meta.json`, opens every file it names (an open, mapped
//! file stays readable even if a merge deletes it afterwards; if one is
//! already gone, the snapshot starts over from the newer `meta.json`), copies
//! them, and writes the same `meta.json` and our schema version file last.
//! The copy is assembled in `DEST.partial` and renamed to `DEST` only when
//! complete, so `DEST` is either absent or a whole index that
//! `verbatim serve --index-dir DEST` opens.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tantivy::directory::error::OpenReadError;
use tantivy::directory::FileSlice;
use tantivy::index::SegmentComponent;
use tantivy::{Directory, Index};

use super::schema::SCHEMA_VERSION;
use super::store::VERSION_FILE;
use super::IndexError;

/// Attempts at pinning a state before giving up (each retry means a merge
/// removed a file between reading `meta.json` and opening it).
const PIN_ATTEMPTS: usize = 10;
/// tantivy's name for the file naming the committed state.
const META_FILE: &str = "meta.json";

/// What a snapshot copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotSummary {
    /// Where the copy is.
    pub path: PathBuf,
    /// Files copied (segment files, `meta.json`, schema version).
    pub files: usize,
    /// Bytes copied.
    pub bytes: u64,
    /// Segments in the copied state.
    pub segments: usize,
    /// Live documents (articles and quotes) in the copied state.
    pub documents: u64,
    /// tantivy opstamp of the copied commit.
    pub opstamp: u64,
}

/// Why a snapshot failed. Nothing is left at the destination when it does.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The destination exists and is not an empty directory.
    #[error("snapshot destination {0} already exists")]
    DestinationExists(PathBuf),
    /// The copy could not be written (disk full, permissions, ...).
    #[error("cannot write the snapshot to {path}: {source}")]
    Write {
        /// The file or directory being written.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// Merges kept replacing files faster than the snapshot could open them.
    #[error("the index changed too quickly to pin a consistent state; retry")]
    Unstable,
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// Files of the index directory that are not tantivy's but belong to the
/// index, copied with it (by snapshots and migrations).
pub const SIDE_FILES: &[&str] = &[
    crate::feeds::FEEDS_FILE,
    crate::alerts::ALERTS_FILE,
    crate::alerts::EVENTS_FILE,
    crate::alerts::DELIVERIES_FILE,
    crate::alerts::BACKLOG_FILE,
];

/// Writes a consistent copy of the last committed state of `index` to
/// `destination`, which must not exist (or be an empty directory). Files are
/// read from `raw_directory`, the directory under tantivy's managed layer
/// (which would strip their footers).
pub fn write_snapshot(
    index: &Index,
    raw_directory: &dyn Directory,
    destination: &Path,
) -> Result<SnapshotSummary, SnapshotError> {
    if destination.exists() && !is_empty_dir(destination) {
        return Err(SnapshotError::DestinationExists(destination.to_owned()));
    }
    // Files kept beside the index (the feeds and the items they ingested) are
    // read before the committed state is pinned: everything they record as
    // ingested was committed before, so it is in the copy.
    let side_files: Vec<(&str, Vec<u8>)> = SIDE_FILES
        .iter()
        .filter_map(|name| {
            raw_directory
                .atomic_read(Path::new(name))
                .ok()
                .map(|data| (*name, data))
        })
        .collect();
    let (metas, files) = pin_committed_state(index, raw_directory)?;
    let partial = partial_path(destination);
    let write_error = |path: &Path| {
        let path = path.to_owned();
        move |source| SnapshotError::Write { path, source }
    };
    if partial.exists() {
        // Left by an earlier snapshot that did not finish.
        std::fs::remove_dir_all(&partial).map_err(write_error(&partial))?;
    }
    std::fs::create_dir_all(&partial).map_err(write_error(&partial))?;
    let result = (|| {
        let mut bytes = 0u64;
        for (name, slice) in &files {
            let target = partial.join(name);
            let data = slice.read_bytes().map_err(write_error(&target))?;
            write_synced(&target, data.as_slice()).map_err(write_error(&target))?;
            bytes += data.len() as u64;
        }
        for (name, data) in &side_files {
            let target = partial.join(name);
            write_synced(&target, data).map_err(write_error(&target))?;
            bytes += data.len() as u64;
        }
        let version = SCHEMA_VERSION.to_string();
        let version_path = partial.join(VERSION_FILE);
        write_synced(&version_path, version.as_bytes()).map_err(write_error(&version_path))?;
        let mut meta = serde_json::to_vec_pretty(&metas)
            .map_err(|e| SnapshotError::Index(IndexError::CorruptDocument(e.to_string())))?;
        meta.push(b'\n');
        let meta_path = partial.join(META_FILE);
        write_synced(&meta_path, &meta).map_err(write_error(&meta_path))?;
        bytes += (version.len() + meta.len()) as u64;
        sync_dir(&partial).map_err(write_error(&partial))?;
        check_copy_opens(&partial, &metas)?;
        if destination.exists() {
            std::fs::remove_dir(destination).map_err(write_error(destination))?;
        }
        std::fs::rename(&partial, destination).map_err(write_error(destination))?;
        if let Some(parent) = destination.parent().filter(|p| !p.as_os_str().is_empty()) {
            sync_dir(parent).map_err(write_error(parent))?;
        }
        Ok(bytes)
    })();
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(error) => {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(error);
        }
    };
    Ok(SnapshotSummary {
        path: destination.to_owned(),
        files: files.len() + side_files.len() + 2,
        bytes,
        segments: metas.segments.len(),
        documents: metas.segments.iter().map(|s| u64::from(s.num_docs())).sum(),
        opstamp: metas.opstamp,
    })
}

/// Reads the committed `meta.json` and opens every file it names, retrying
/// from a newer `meta.json` when a merge removed one in between.
fn pin_committed_state(
    index: &Index,
    directory: &dyn Directory,
) -> Result<(tantivy::IndexMeta, Vec<(PathBuf, FileSlice)>), SnapshotError> {
    'attempt: for _ in 0..PIN_ATTEMPTS {
        let metas = index.load_metas().map_err(IndexError::from)?;
        // tantivy lists a delete file for every segment; only segments with
        // deletes have one.
        let optional: Vec<PathBuf> = metas
            .segments
            .iter()
            .filter(|segment| !segment.has_deletes())
            .map(|segment| segment.relative_path(SegmentComponent::Delete))
            .collect();
        let mut names: Vec<PathBuf> = metas.list_segment_files().into_iter().collect();
        names.sort();
        let mut files = Vec::with_capacity(names.len());
        for name in names {
            match directory.open_read(&name) {
                Ok(slice) => files.push((name, slice)),
                Err(OpenReadError::FileDoesNotExist(_)) if optional.contains(&name) => {}
                Err(OpenReadError::FileDoesNotExist(_)) => continue 'attempt,
                Err(error) => {
                    return Err(SnapshotError::Index(IndexError::Tantivy(error.into())));
                }
            }
        }
        return Ok((metas, files));
    }
    Err(SnapshotError::Unstable)
}

/// Opens every segment of the copy, as a server would, and checks it holds
/// the same documents as the state it was copied from.
fn check_copy_opens(copy: &Path, metas: &tantivy::IndexMeta) -> Result<(), SnapshotError> {
    let expected: u64 = metas.segments.iter().map(|s| u64::from(s.num_docs())).sum();
    let index = Index::open_in_dir(copy).map_err(IndexError::from)?;
    let searcher = index.reader().map_err(IndexError::from)?.searcher();
    if searcher.num_docs() != expected {
        return Err(SnapshotError::Index(IndexError::CorruptDocument(format!(
            "the copy holds {} documents instead of {expected}",
            searcher.num_docs()
        ))));
    }
    Ok(())
}

/// `DEST.partial` beside `DEST`: where a copy is written until it is
/// complete (snapshots, migrations).
pub(crate) fn partial_path(destination: &Path) -> PathBuf {
    let mut name = destination
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "snapshot".into());
    name.push(".partial");
    destination.with_file_name(name)
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

fn write_synced(path: &Path, data: &[u8]) -> io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(data)?;
    file.sync_all()
}

fn sync_dir(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexing::IndexStore;

    #[test]
    fn refuses_a_non_empty_destination_and_leaves_nothing_on_failure() {
        let temp = tempfile::tempdir().unwrap();
        let analyzers = std::sync::Arc::new(
            crate::analysis::tokenizers::LanguageAnalyzers::without_dictionaries(),
        );
        let store =
            IndexStore::open_or_create(&temp.path().join("index"), analyzers.clone()).unwrap();
        let taken = temp.path().join("taken");
        std::fs::create_dir_all(&taken).unwrap();
        std::fs::write(taken.join("x"), "x").unwrap();
        assert!(matches!(
            store.snapshot(&taken),
            Err(SnapshotError::DestinationExists(_))
        ));
        let copy = temp.path().join("copy");
        let summary = store.snapshot(&copy).unwrap();
        assert_eq!(summary.documents, 0);
        assert!(copy.join(META_FILE).is_file());
        assert!(!partial_path(&copy).exists());
        IndexStore::open_existing(&copy, analyzers).unwrap();
    }
}
