//! The alerts' backlog: the batches committed but not matched yet.
//!
//! `alert-backlog.ndjson` is a journal: the writer appends a batch's first
//! `indexed_at` stamp (fsynced) before its commit, and the matcher appends
//! it again, as matched, once the batch's events are written. What is
//! committing and not matched after a crash, or after an import made while
//! no server ran, is matched first by the next server. Once long, the
//! journal is rewritten with only the batches still unmatched.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::journal::{Journal, Replay};
use super::{AlertError, BACKLOG_FILE};

/// Lines the journal may hold before it is rewritten with only the batches
/// still unmatched.
pub(super) const BACKLOG_LINES_KEPT: usize = 1_000;

/// The batches of one index committed and not matched yet.
pub struct Backlog {
    journal: Journal<BacklogState>,
}

#[derive(Default)]
struct BacklogState {
    /// First stamp → how many batches.
    unmatched: BTreeMap<u64, usize>,
}

/// One line of the journal.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum BacklogEntry {
    /// A batch whose first quote has this stamp is being committed.
    Committing(u64),
    /// That batch's events are recorded.
    Matched(u64),
}

impl Replay for BacklogState {
    type Entry = BacklogEntry;

    fn apply(&mut self, entry: BacklogEntry) {
        match entry {
            BacklogEntry::Committing(stamp) => *self.unmatched.entry(stamp).or_insert(0) += 1,
            BacklogEntry::Matched(stamp) => {
                // Takes one batch first stamped `stamp` off `unmatched`.
                if let Some(count) = self.unmatched.get_mut(&stamp) {
                    *count -= 1;
                    if *count == 0 {
                        self.unmatched.remove(&stamp);
                    }
                }
            }
        }
    }

    fn entries(&self) -> Vec<BacklogEntry> {
        self.unmatched
            .iter()
            .flat_map(|(stamp, count)| (0..*count).map(|_| BacklogEntry::Committing(*stamp)))
            .collect()
    }
}

impl Backlog {
    /// Opens the backlog of the index in `index_dir` (empty when it has none).
    pub fn open(index_dir: &Path) -> Result<Backlog, AlertError> {
        Ok(Backlog {
            journal: Journal::open(index_dir.join(BACKLOG_FILE), BACKLOG_LINES_KEPT)?,
        })
    }

    /// Records, durably, that a batch whose first quote is stamped
    /// `first_stamp` is about to be committed (before the commit).
    pub fn committing(&self, first_stamp: u64) -> Result<(), AlertError> {
        self.journal
            .lock()
            .record(vec![BacklogEntry::Committing(first_stamp)])
    }

    /// Records that the batches first stamped `first_stamps` are matched
    /// (their events recorded); rewrites the journal once it is long.
    pub fn matched(&self, first_stamps: &[u64]) -> Result<(), AlertError> {
        if first_stamps.is_empty() {
            return Ok(());
        }
        let mut journal = self.journal.lock();
        journal.record(
            first_stamps
                .iter()
                .map(|stamp| BacklogEntry::Matched(*stamp))
                .collect(),
        )?;
        journal.compact()
    }

    /// The first stamps of the batches committed and not matched, oldest
    /// first (one per batch).
    pub fn unmatched(&self) -> Vec<u64> {
        self.journal
            .lock()
            .state
            .unmatched
            .iter()
            .flat_map(|(stamp, count)| std::iter::repeat_n(*stamp, *count))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::StoreDir;

    #[test]
    fn the_backlog_keeps_batches_committed_and_not_matched_across_reopening() {
        let dir = StoreDir::new(Backlog::open);
        let backlog = dir.open();
        assert!(backlog.unmatched().is_empty());
        backlog.committing(30).unwrap();
        backlog.committing(10).unwrap();
        backlog.committing(10).unwrap();
        backlog.matched(&[10]).unwrap();
        drop(backlog);
        let backlog = dir.open();
        assert_eq!(backlog.unmatched(), vec![10, 30]);
        // A long journal is rewritten with what is still unmatched.
        for stamp in 100..(100 + BACKLOG_LINES_KEPT as u64) {
            backlog.committing(stamp).unwrap();
            backlog.matched(&[stamp]).unwrap();
        }
        let lines = std::fs::read_to_string(dir.path().join(BACKLOG_FILE)).unwrap();
        assert!(lines.lines().count() < BACKLOG_LINES_KEPT, "rewritten");
        backlog.matched(&[10, 30]).unwrap();
        drop(backlog);
        assert!(dir.open().unmatched().is_empty());
    }
}
