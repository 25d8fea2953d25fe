//! The writes whose quotes are not matched against the alerts yet, for a
//! backend that matches its own writes (OpenSearch: see
//! `backend::opensearch::alerts`).
//!
//! `alert-pending.ndjson` is a journal: before a write, the backend appends
//! what matching it needs (the new quotes, as JSON), fsynced, and once the
//! write's events are recorded it appends the batch as done. A batch begun
//! and not done after a crash is matched by the next server at start. Once
//! long, the journal is rewritten with only the batches not done.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::journal::{Journal, Replay};
use super::{AlertError, PENDING_FILE};

/// Lines the journal may hold before it is rewritten with only the batches
/// not done.
const PENDING_LINES_KEPT: usize = 1_000;

/// The batches of one index written, or being written, and not matched yet.
pub struct PendingBatches {
    journal: Journal<PendingState>,
}

#[derive(Default)]
struct PendingState {
    /// The number of the next batch.
    next: u64,
    /// Batch number → what matching it needs.
    open: BTreeMap<u64, Value>,
}

/// One line of the journal.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum PendingEntry {
    /// A batch is about to be written; matching it needs `needs`.
    Begun {
        /// The batch's number.
        batch: u64,
        /// What matching it needs.
        needs: Value,
    },
    /// That batch's events are recorded (or it was not written).
    Done(u64),
}

impl Replay for PendingState {
    type Entry = PendingEntry;

    fn apply(&mut self, entry: PendingEntry) {
        match entry {
            PendingEntry::Begun { batch, needs } => {
                self.next = self.next.max(batch + 1);
                self.open.insert(batch, needs);
            }
            PendingEntry::Done(batch) => {
                self.open.remove(&batch);
            }
        }
    }

    fn entries(&self) -> Vec<PendingEntry> {
        self.open
            .iter()
            .map(|(batch, needs)| PendingEntry::Begun {
                batch: *batch,
                needs: needs.clone(),
            })
            .collect()
    }
}

impl PendingBatches {
    /// Opens the journal of the index directory `dir` (empty when it has
    /// none).
    pub fn open(dir: &Path) -> Result<PendingBatches, AlertError> {
        Ok(PendingBatches {
            journal: Journal::open(dir.join(PENDING_FILE), PENDING_LINES_KEPT)?,
        })
    }

    /// Records, durably, that a batch needing `needs` is about to be
    /// written; returns its number.
    pub fn begin(&self, needs: Value) -> Result<u64, AlertError> {
        let mut journal = self.journal.lock();
        let batch = journal.state.next;
        journal.record(vec![PendingEntry::Begun { batch, needs }])?;
        Ok(batch)
    }

    /// Records that `batch` is matched (or was not written); rewrites the
    /// journal once it is long.
    pub fn done(&self, batch: u64) -> Result<(), AlertError> {
        let mut journal = self.journal.lock();
        journal.record(vec![PendingEntry::Done(batch)])?;
        journal.compact()
    }

    /// The batches begun and not done, oldest first, with what matching
    /// each needs.
    pub fn unfinished(&self) -> Vec<(u64, Value)> {
        self.journal
            .lock()
            .state
            .open
            .iter()
            .map(|(batch, needs)| (*batch, needs.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::StoreDir;

    #[test]
    fn batches_begun_and_not_done_outlive_reopening() {
        let dir = StoreDir::new(PendingBatches::open);
        let pending = dir.open();
        assert!(pending.unfinished().is_empty());
        let first = pending.begin(serde_json::json!(["a"])).unwrap();
        let second = pending.begin(serde_json::json!(["b"])).unwrap();
        pending.done(first).unwrap();
        drop(pending);
        let pending = dir.open();
        assert_eq!(
            pending.unfinished(),
            vec![(second, serde_json::json!(["b"]))]
        );
        // Numbers go on after the last one, and a long journal is rewritten.
        let third = pending.begin(Value::Null).unwrap();
        assert!(third > second);
        for _ in 0..PENDING_LINES_KEPT {
            let batch = pending.begin(Value::Null).unwrap();
            pending.done(batch).unwrap();
        }
        let lines = std::fs::read_to_string(dir.path().join(PENDING_FILE)).unwrap();
        assert!(lines.lines().count() < PENDING_LINES_KEPT, "rewritten");
        pending.done(second).unwrap();
        pending.done(third).unwrap();
        drop(pending);
        assert!(dir.open().unfinished().is_empty());
    }
}
