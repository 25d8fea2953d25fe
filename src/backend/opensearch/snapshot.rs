//! Snapshots on OpenSearch (`POST /v1/admin/snapshot`): a snapshot of the
//! backend's index through the cluster's snapshot API, into the repository
//! `opensearch.snapshot_repository` names (registered by the cluster's
//! operator, e.g. an `fs` repository under the nodes' `path.repo`; the
//! test cluster of `tools/opensearch/run.sh` has one directory for it).
//!
//! The snapshot is the index alone (no global state), taken while the
//! backend keeps serving, each shard as of the moment its copy started,
//! and answered once it is complete (`wait_for_completion`). Snapshot names
//! are lowercase in OpenSearch: a name is lowercased, so two names that
//! differ only in case are one snapshot (the second answers 409). A
//! snapshot that did not complete on every shard is deleted, so nothing is
//! left of it. Restoring is the cluster's `_restore` API.

use serde_json::{json, Value};

use super::client::{encode, Body};
use super::{reply_error, OpenSearchBackend};
use crate::backend::{Backend, BackendError, SnapshotReport};

impl OpenSearchBackend {
    /// [`crate::backend::Backend::snapshot`] (see the module's docs).
    pub(super) fn take_snapshot(&self, name: &str) -> Result<SnapshotReport, BackendError> {
        if self.snapshot_repository.is_empty() {
            return Err(BackendError::NotSupported(
                "the OpenSearch backend takes snapshots into the cluster's snapshot repository \
                 that opensearch.snapshot_repository (VERBATIM_OPENSEARCH_SNAPSHOT_REPOSITORY) \
                 names, and none is set"
                    .to_owned(),
            ));
        }
        let name = name.to_lowercase();
        let repository = &self.snapshot_repository;
        let path = format!("/_snapshot/{}/{}", encode(repository), encode(&name));
        // What the snapshot holds: the index's documents as it starts (the
        // snapshot does not report them).
        let documents = self.stats()?.documents;
        let reply = self.send(
            "PUT",
            &format!("{path}?wait_for_completion=true"),
            Some(Body::Json(&json!({
                "indices": self.index,
                "include_global_state": false,
            }))),
        )?;
        if !reply.is_success() {
            let described = reply.describe();
            let exists = reply.error_type() == Some("invalid_snapshot_name_exception")
                && described.contains("already exists");
            return Err(if exists {
                BackendError::SnapshotExists(format!(
                    "snapshot {name} exists in repository {repository}"
                ))
            } else if matches!(reply_error(&reply), BackendError::Unavailable(_)) {
                BackendError::Unavailable(described)
            } else {
                BackendError::SnapshotFailed(format!("snapshot {name} was not taken: {described}"))
            });
        }
        let snapshot = &reply.body["snapshot"];
        if snapshot["state"] != "SUCCESS" {
            // Nothing is left of a snapshot that did not complete.
            if let Err(error) = self.send("DELETE", &path, None) {
                tracing::warn!(%error, "deleting an incomplete snapshot failed");
            }
            return Err(BackendError::SnapshotFailed(format!(
                "snapshot {name} ended {} ({} of {} shards failed); it was deleted",
                snapshot["state"].as_str().unwrap_or("without a state"),
                snapshot["shards"]["failed"],
                snapshot["shards"]["total"],
            )));
        }
        let status = self
            .send("GET", &format!("{path}/_status"), None)?
            .success()?;
        let stats = &status["snapshots"][0]["stats"]["total"];
        let number = |value: &Value| value.as_u64().unwrap_or(0);
        Ok(SnapshotReport {
            location: format!("{repository}/{name}"),
            files: number(&stats["file_count"]) as usize,
            bytes: number(&stats["size_in_bytes"]),
            segments: number(&snapshot["shards"]["successful"]) as usize,
            documents,
            opstamp: 0,
        })
    }
}
