//! What the OpenSearch backend derives from the whole index (the speaker
//! registry, the languages the index holds, the statement table), kept by
//! the index's *write state* and built again only when that changed.
//!
//! **The write state** (`WriteState`) is this server's count of writes
//! and flushes, and per shard copy its maximum sequence number, its refresh
//! counts and its document count: one `_stats/docs,refresh?level=shards`
//! request, which reads counters the shards keep (no document is read; its
//! cost grows with the number of shard copies, not of documents). Any write
//! by any server raises a shard's maximum sequence number, and the refresh
//! that makes it visible raises the copy's refresh count, so a value derived
//! at one state is used again only while nothing was written or made
//! visible since. The state is read *before* the value is built: a write
//! during the build leaves a key that no longer matches, so it costs a
//! rebuild, never a stale value. Refresh counters are a shard copy's, in
//! memory: a relocated or restarted copy changes the state and costs a
//! rebuild too.
//!
//! **The caches** (`StateCache`) keep the last value with the state it
//! was built at. Concurrent requests that find it out of date wait for the
//! one building it instead of building it each. Each server keeps its own
//! values: with several servers on one index, each reads the index once per
//! change (and a server's own writes change the state it sees at once).
//!
//! A search reads the state once and takes every value it needs at that
//! state: the speaker registry
//! ([`OpenSearchBackend::speaker_registries_built`] counts its builds), the
//! languages its query is analysed for and the statement table
//! ([`OpenSearchBackend::statement_tables_built`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::OpenSearchBackend;
use crate::backend::BackendError;

/// The index's write state (see the module's docs): equal states hold the
/// same visible documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WriteState {
    /// This server's writes and flushes.
    local: u64,
    /// Per shard copy: shard, node, primary, max sequence number, refresh
    /// counts, documents.
    copies: Vec<(String, String, bool, i64, u64, u64, u64)>,
}

/// The last value derived from the index and the write state it was built
/// at.
#[derive(Debug)]
pub(super) struct StateCache<T> {
    last: Mutex<Option<(WriteState, Arc<T>)>>,
    /// Held while a value is built, so that concurrent callers wait for it.
    building: Mutex<()>,
    /// Values built so far.
    built: AtomicU64,
}

impl<T> Default for StateCache<T> {
    fn default() -> Self {
        StateCache {
            last: Mutex::new(None),
            building: Mutex::new(()),
            built: AtomicU64::new(0),
        }
    }
}

impl<T> StateCache<T> {
    /// The value built at `state`, if it is the one kept.
    fn get(&self, state: &WriteState) -> Option<Arc<T>> {
        let cached = self.last.lock().unwrap_or_else(|e| e.into_inner());
        cached
            .as_ref()
            .filter(|(built_at, _)| built_at == state)
            .map(|(_, value)| value.clone())
    }

    /// The value at `state`: the kept one when it was built at `state`,
    /// else built by `build` (once, however many callers ask at once) and
    /// kept.
    pub(super) fn get_or_build(
        &self,
        state: &WriteState,
        build: impl FnOnce() -> Result<T, BackendError>,
    ) -> Result<Arc<T>, BackendError> {
        if let Some(value) = self.get(state) {
            return Ok(value);
        }
        let _building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        // Built by the caller this one waited for.
        if let Some(value) = self.get(state) {
            return Ok(value);
        }
        let value = Arc::new(build()?);
        self.built.fetch_add(1, Ordering::Relaxed);
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some((state.clone(), value.clone()));
        Ok(value)
    }

    /// How many values this cache has built.
    pub(super) fn built(&self) -> u64 {
        self.built.load(Ordering::Relaxed)
    }
}

impl OpenSearchBackend {
    /// The index's write state now (see the module's docs): one request.
    pub(super) fn write_state(&self) -> Result<WriteState, BackendError> {
        let answer = self.on_index("GET", "/_stats/docs,refresh?level=shards", None)?;
        let mut copies = Vec::new();
        let indices = answer["indices"]
            .as_object()
            .ok_or_else(|| malformed("index statistics without indices"))?;
        for (index, stats) in indices {
            let shards = stats["shards"]
                .as_object()
                .ok_or_else(|| malformed("index statistics without shards"))?;
            for (shard, shard_copies) in shards {
                for copy in shard_copies.as_array().into_iter().flatten() {
                    copies.push((
                        format!("{index}/{shard}"),
                        copy["routing"]["node"].as_str().unwrap_or("").to_owned(),
                        copy["routing"]["primary"].as_bool().unwrap_or(false),
                        copy["seq_no"]["max_seq_no"].as_i64().unwrap_or(-1),
                        copy["refresh"]["total"].as_u64().unwrap_or(0),
                        copy["refresh"]["external_total"].as_u64().unwrap_or(0),
                        copy["docs"]["count"].as_u64().unwrap_or(0),
                    ));
                }
            }
        }
        copies.sort();
        Ok(WriteState {
            local: self.stats.commits.get()
                + self.stats.commit_failures.get()
                + self.stats.flushes.get(),
            copies,
        })
    }
}

fn malformed(what: &str) -> BackendError {
    BackendError::Store(format!("OpenSearch answered {what}"))
}
