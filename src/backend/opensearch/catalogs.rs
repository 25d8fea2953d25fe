//! The catalogs on OpenSearch (`/v1/topics` and the other facet catalogs,
//! `/v1/speakers`, `/v1/entities`): every value of a keyword field over the
//! target's documents with its exact count, read by a `composite`
//! aggregation paged to its end ([`OpenSearchBackend::all_counts`]), then
//! filtered, ranked and described by the same functions as the embedded
//! backend's ([`catalog_facet_values`], [`speaker_values`],
//! [`entity_values`]), so both answer the same values and counts. Nothing
//! is estimated: a catalog never reads a `terms` aggregation's top, whose
//! counts may miss a shard's.

use std::sync::Arc;

use serde_json::{json, Value};

use super::mapping::DOC_TYPE;
use super::search::kind_of;
use super::OpenSearchBackend;
use crate::backend::BackendError;
use crate::indexing::schema::ENTITY_DETAIL;
use crate::model::EntityKind;
use crate::search::entity_catalog::{entity_values, field_of, EntityCatalog};
use crate::search::speaker_catalog::{speaker_values, SpeakerCatalog};
use crate::search::{
    catalog_facet_values, facet_field_name, CatalogRequest, FacetValues, Target, FACET_SPEAKER,
};

/// The query of every document of `target`.
fn every(target: Target) -> Value {
    json!({ "term": { DOC_TYPE: kind_of(target) } })
}

impl OpenSearchBackend {
    /// Every value of the keyword field `field` over the documents of
    /// `target`, with the number of documents carrying it, in value order.
    fn target_counts(
        &self,
        target: Target,
        field: &str,
    ) -> Result<Vec<(Arc<str>, u64)>, BackendError> {
        Ok(self
            .all_counts(&every(target), field)?
            .into_iter()
            .map(|(value, count)| (Arc::from(value), count))
            .collect())
    }

    /// [`crate::backend::Backend::facet_catalog`]: the facet's values over
    /// every document of the target (speakers folded into identities).
    pub(super) fn catalog_of_facet(
        &self,
        catalog: &CatalogRequest,
        facet: &str,
        parent: Option<&str>,
    ) -> Result<FacetValues, BackendError> {
        // Facet names are checked by the caller, as for the embedded backend.
        let field = facet_field_name(facet)
            .ok_or_else(|| BackendError::Store(format!("`{facet}` is not a facet")))?;
        let counts = if facet == FACET_SPEAKER {
            let registry = self.speaker_registry()?;
            self.speaker_identity_counts(
                catalog.target,
                &json!({ "match_all": {} }),
                &registry,
                None,
            )?
        } else {
            self.target_counts(catalog.target, field)?
        };
        Ok(catalog_facet_values(catalog, facet, parent, counts))
    }

    /// [`crate::backend::Backend::speaker_catalog`]: the identities of the
    /// speaker registry read from the cluster, counted over every document
    /// of the target.
    pub(super) fn catalog_of_speakers(
        &self,
        catalog: &CatalogRequest,
    ) -> Result<SpeakerCatalog, BackendError> {
        let registry = self.speaker_registry()?;
        let counts = self.speaker_identity_counts(
            catalog.target,
            &json!({ "match_all": {} }),
            &registry,
            None,
        )?;
        Ok(speaker_values(&registry, catalog, counts))
    }

    /// [`crate::backend::Backend::entity_catalog`]: the names of each kind
    /// over every document of the target, with the roles and affiliations
    /// the articles give them.
    pub(super) fn catalog_of_entities(
        &self,
        catalog: &CatalogRequest,
        kinds: &[EntityKind],
    ) -> Result<EntityCatalog, BackendError> {
        let counts = kinds
            .iter()
            .map(|kind| self.target_counts(catalog.target, field_of(*kind)))
            .collect::<Result<Vec<_>, _>>()?;
        let details = self.target_counts(Target::Articles, ENTITY_DETAIL)?;
        Ok(entity_values(catalog, kinds, counts, &details))
    }
}
