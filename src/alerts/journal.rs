//! An append-only NDJSON journal replayed into a state: what the backlog
//! ([`super::backlog`]) and the pending batches ([`super::pending`]) keep.
//!
//! Each change is appended (fsynced) before it is applied to the state in
//! memory; opening replays every line. Once long, the journal is rewritten
//! with only the entries that rebuild the current state.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{read_log, to_line, AlertError, AppendLog};

/// A state rebuilt by replaying the entries of a [`Journal`].
pub(super) trait Replay: Default {
    /// One line of the journal.
    type Entry: Serialize + DeserializeOwned;

    /// Applies one entry to the state.
    fn apply(&mut self, entry: Self::Entry);

    /// The entries that rebuild the state from empty.
    fn entries(&self) -> Vec<Self::Entry>;
}

/// A journal and the state its entries replay into.
pub(super) struct Journal<S> {
    inner: Mutex<Journaled<S>>,
}

/// The state and the file, held under the journal's lock.
pub(super) struct Journaled<S> {
    /// The state replayed so far.
    pub(super) state: S,
    log: AppendLog,
    /// Lines the file may hold before [`Journaled::compact`] rewrites it.
    lines_kept: usize,
}

impl<S: Replay> Journal<S> {
    /// Opens the journal at `path` (empty when there is no file), rewritten
    /// once it holds more than `lines_kept` lines.
    pub(super) fn open(path: PathBuf, lines_kept: usize) -> Result<Journal<S>, AlertError> {
        let entries: Vec<S::Entry> = read_log(&path)?;
        let log = AppendLog::new(path, entries.len());
        let mut state = S::default();
        for entry in entries {
            state.apply(entry);
        }
        Ok(Journal {
            inner: Mutex::new(Journaled {
                state,
                log,
                lines_kept,
            }),
        })
    }

    /// The state and the file, locked.
    pub(super) fn lock(&self) -> MutexGuard<'_, Journaled<S>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<S: Replay> Journaled<S> {
    /// Appends `entries`, durably, then applies them to the state.
    pub(super) fn record(&mut self, entries: Vec<S::Entry>) -> Result<(), AlertError> {
        let lines: Vec<Vec<u8>> = entries.iter().map(to_line).collect();
        self.log.append(&lines)?;
        for entry in entries {
            self.state.apply(entry);
        }
        Ok(())
    }

    /// Rewrites the file with only the entries of the current state, once it
    /// holds more lines than it may.
    pub(super) fn compact(&mut self) -> Result<(), AlertError> {
        if self.log.lines > self.lines_kept {
            let lines: Vec<Vec<u8>> = self.state.entries().iter().map(to_line).collect();
            self.log.rewrite(&lines)?;
        }
        Ok(())
    }
}
