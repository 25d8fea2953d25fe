//! Exports on OpenSearch: every document a search matches, walked through a
//! point in time (PIT) with `search_after`, in pages, streaming the stored
//! JSON of each as the embedded export does.
//!
//! The walk is sorted by `doc_key` alone (unique per document, an
//! `unsigned_long` with doc values), so the last sort values of a page say
//! where the walk is without the PIT's own `_shard_doc` tie-breaker: when
//! the PIT is lost (a node holding one of its shard contexts restarted, or
//! it expired while a slow client held the stream), the walk opens a new
//! PIT and goes on after those values instead of failing. Documents written
//! after the first PIT may then show in the rest of the walk, as in a
//! search cursor; none is visited twice, none that existed throughout is
//! missed. The order is the backend's (ascending `doc_key`), not the
//! embedded index order.

use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::client::{encode, Body, Client, Reply};
use super::documents::stored_json;
use super::{reply_error, send_to, OpenSearchBackend};
use crate::backend::{BackendError, BackendHealth, ExportWalk};
use crate::indexing::schema::{DOC_KEY, STORED_JSON};
use crate::search::SearchRequest;

/// Documents read per page of an export.
pub const EXPORT_PAGE: usize = 1000;

/// How long a PIT is kept between two pages (a slow client holds the walk
/// between them; a PIT that expires is opened again).
const KEEP_ALIVE: &str = "2m";

/// Times in a row a PIT may be lost before the walk fails.
const MAX_REOPENS: u32 = 5;

/// A walk over every document a query matches, in `doc_key` order, through
/// a PIT (see the module's docs): what an export and a timeline read.
#[derive(Debug)]
pub struct PitWalk {
    client: Arc<Client>,
    health: Arc<Mutex<BackendHealth>>,
    index: String,
    query: Value,
    page: usize,
    /// What each hit carries: `_source`, `docvalue_fields`.
    fetch: Value,
    /// Whether hits carry their relevance score, with the shards' term
    /// statistics shared as a search shares them.
    scored: bool,
}

/// A prepared export on OpenSearch: the compiled query, walked on demand.
#[derive(Debug)]
pub struct OpenSearchExport {
    walk: PitWalk,
}

impl OpenSearchBackend {
    /// A walk over the documents `query` matches, in pages of `page`, each
    /// hit with what `fetch` (an object of search body keys) asks for.
    pub(super) fn pit_walk(&self, query: Value, page: usize, fetch: Value) -> PitWalk {
        PitWalk {
            client: self.client.clone(),
            health: self.health.clone(),
            index: self.index.clone(),
            query,
            page: page.max(1),
            fetch,
            scored: false,
        }
    }

    /// Compiles `request` for an export read in pages of `page` documents
    /// ([`EXPORT_PAGE`] for [`crate::backend::Backend::prepare_export`]).
    /// A bad query fails here, before anything is read.
    pub fn prepare_export_paged(
        &self,
        request: &SearchRequest,
        page: usize,
    ) -> Result<OpenSearchExport, BackendError> {
        let compiled = self.compile(request)?;
        Ok(OpenSearchExport {
            walk: self.pit_walk(compiled.query, page, json!({ "_source": [STORED_JSON] })),
        })
    }
}

impl OpenSearchExport {
    /// Walks every match in `doc_key` order (see the module's docs),
    /// calling `visit` with its stored JSON.
    pub fn run(&self, visit: &mut dyn FnMut(&str) -> ControlFlow<()>) -> Result<u64, BackendError> {
        self.walk.hits(&mut |hit| {
            let json = hit.get("_source").and_then(stored_json).ok_or_else(|| {
                BackendError::Store("OpenSearch answered a hit without its stored JSON".into())
            })?;
            Ok(visit(json))
        })
    }
}

/// Whether `reply` refused a search because its PIT is gone (expired,
/// closed, or held by a node that restarted).
fn pit_lost(reply: &Reply) -> bool {
    if reply.is_success() {
        return false;
    }
    let missing = |kind: &str| kind.contains("search_context_missing");
    reply.error_type().is_some_and(missing)
        || reply
            .body
            .pointer("/error/root_cause")
            .and_then(Value::as_array)
            .is_some_and(|causes| {
                causes
                    .iter()
                    .filter_map(|cause| cause["type"].as_str())
                    .any(missing)
            })
        || reply
            .body
            .pointer("/error/failed_shards")
            .and_then(Value::as_array)
            .is_some_and(|shards| {
                shards
                    .iter()
                    .filter_map(|shard| shard.pointer("/reason/type").and_then(Value::as_str))
                    .any(missing)
            })
}

impl PitWalk {
    /// The walk with each hit's `_score` as a search by relevance scores it
    /// (`dfs_query_then_fetch`, so shards do not skew it).
    pub fn scored(mut self) -> PitWalk {
        self.scored = true;
        self
    }

    fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Reply, BackendError> {
        send_to(
            &self.client,
            &self.health,
            method,
            path,
            body.map(Body::Json),
        )
    }

    /// Opens a PIT on the index.
    fn open_pit(&self) -> Result<String, BackendError> {
        let path = format!(
            "/{}/_search/point_in_time?keep_alive={KEEP_ALIVE}",
            encode(&self.index)
        );
        let reply = self.send("POST", &path, None)?;
        if !reply.is_success() {
            return Err(reply_error(&reply));
        }
        reply.body["pit_id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| BackendError::Store("OpenSearch opened a PIT without its id".into()))
    }

    /// Closes a PIT; a failure only leaves it to expire.
    fn close_pit(&self, pit: &str) {
        let body = json!({ "pit_id": [pit] });
        if let Err(error) = self.send("DELETE", "/_search/point_in_time", Some(&body)) {
            tracing::debug!(%error, "closing an export's point in time failed");
        }
    }

    /// One page after `after`, read through `pit`: `Ok(None)` when the PIT
    /// is lost.
    fn page(&self, pit: &str, after: Option<u64>) -> Result<Option<Value>, BackendError> {
        let mut body = json!({
            "query": self.query,
            "size": self.page,
            "sort": [{ DOC_KEY: { "order": "asc" } }],
            "track_total_hits": false,
            "pit": { "id": pit, "keep_alive": KEEP_ALIVE },
        });
        if let (Some(body), Some(fetch)) = (body.as_object_mut(), self.fetch.as_object()) {
            body.extend(fetch.clone());
        }
        if let Some(after) = after {
            body["search_after"] = json!([after]);
        }
        let path = if self.scored {
            body["track_scores"] = json!(true);
            "/_search?search_type=dfs_query_then_fetch"
        } else {
            "/_search"
        };
        let reply = self.send("POST", path, Some(&body))?;
        if pit_lost(&reply) {
            return Ok(None);
        }
        if !reply.is_success() {
            return Err(reply_error(&reply));
        }
        Ok(Some(reply.body))
    }

    /// Calls `visit` with every hit, in `doc_key` order, until it returns
    /// `Break` or fails; returns the number of hits visited.
    pub fn hits(
        &self,
        visit: &mut dyn FnMut(&Value) -> Result<ControlFlow<()>, BackendError>,
    ) -> Result<u64, BackendError> {
        let mut pit = self.open_pit()?;
        let outcome = self.run_with(&mut pit, visit);
        self.close_pit(&pit);
        outcome
    }

    fn run_with(
        &self,
        pit: &mut String,
        visit: &mut dyn FnMut(&Value) -> Result<ControlFlow<()>, BackendError>,
    ) -> Result<u64, BackendError> {
        let mut visited = 0;
        let mut after: Option<u64> = None;
        let mut reopened = 0;
        loop {
            let Some(answer) = self.page(pit, after)? else {
                reopened += 1;
                if reopened > MAX_REOPENS {
                    return Err(BackendError::Unavailable(format!(
                        "the export lost its point in time {MAX_REOPENS} times in a row; \
                         run it again"
                    )));
                }
                tracing::info!(after, "an export's point in time was lost; reopening it");
                *pit = self.open_pit()?;
                continue;
            };
            reopened = 0;
            // The PIT's id may change from one page to the next.
            if let Some(id) = answer["pit_id"].as_str() {
                if id != pit.as_str() {
                    *pit = id.to_owned();
                }
            }
            let hits = answer["hits"]["hits"].as_array().ok_or_else(|| {
                BackendError::Store("OpenSearch answered an export page without hits".into())
            })?;
            for hit in hits {
                after = Some(hit["sort"][0].as_u64().ok_or_else(|| {
                    BackendError::Store("OpenSearch answered a hit without its doc key".into())
                })?);
                visited += 1;
                if visit(hit)?.is_break() {
                    return Ok(visited);
                }
            }
            if hits.len() < self.page {
                return Ok(visited);
            }
        }
    }
}

impl ExportWalk for OpenSearchExport {
    fn walk(
        self: Box<Self>,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> Result<u64, BackendError> {
        self.run(visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_point_in_time_is_told_from_other_refusals() {
        let reply = |status, body| Reply { status, body };
        let missing = json!({ "error": {
            "root_cause": [{ "type": "search_context_missing_exception", "reason": "No search context found for id [3]" }],
            "type": "search_phase_execution_exception",
        }, "status": 404 });
        assert!(pit_lost(&reply(404, missing)));
        let shard = json!({ "error": {
            "root_cause": [],
            "type": "search_phase_execution_exception",
            "failed_shards": [{ "reason": { "type": "search_context_missing_exception" } }],
        } });
        assert!(pit_lost(&reply(404, shard)));
        let other = json!({ "error": { "root_cause": [{ "type": "query_shard_exception" }], "type": "x" } });
        assert!(!pit_lost(&reply(400, other)));
        assert!(!pit_lost(&reply(200, json!({ "hits": {} }))));
    }
}
