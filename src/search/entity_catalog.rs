//! The entity catalog behind `/v1/entities`: people, places and
//! organisations with the number of documents that name them, filtered by
//! type and name prefix, and for each the role and affiliation the articles
//! give most often (`Wang Yi`: `Chinese Foreign Minister`, `China`).
//!
//! Counts come from the `person`, `place` and `org` fast columns, exactly as
//! facets do; roles and affiliations from the articles' `entity_detail` column.

use std::collections::HashMap;
use std::sync::Arc;

use super::collector::FacetCounts;
use super::{count_facets, CatalogRequest, SearchError, SearchRequest, Target};
use crate::analysis::tokenizers::normalize_keyword;
use crate::indexing::document::parse_entity_detail;
use crate::indexing::schema;
use crate::indexing::IndexStore;
use crate::model::EntityKind;
use crate::search::Catalog;

/// One entity of the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityValue {
    /// Person, place or organisation.
    pub kind: EntityKind,
    /// Canonical name.
    pub name: String,
    /// Documents naming it.
    pub count: u64,
    /// The role articles give it most often.
    pub role: Option<String>,
    /// The affiliation articles give it most often.
    pub affiliation: Option<String>,
}

/// Entities matching a catalog request: most named first (then by type and name).
pub type EntityCatalog = Catalog<EntityValue>;

/// The keyword field holding the names of entities of `kind`.
pub fn field_of(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => schema::PERSON,
        EntityKind::Place => schema::PLACE,
        EntityKind::Organization => schema::ORG,
    }
}

/// Lists the entities of `kinds` that `catalog` asks for, most named first.
pub fn entity_catalog(
    store: &IndexStore,
    catalog: &CatalogRequest,
    kinds: &[EntityKind],
) -> Result<EntityCatalog, SearchError> {
    let count_documents = |target: Target, fields: Vec<&'static str>| {
        let searcher = store.searcher();
        let counter = FacetCounts::new(store, &searcher, fields);
        count_facets(
            store,
            &searcher,
            &SearchRequest::everything(target),
            &counter,
        )
    };
    let counts = count_documents(catalog.target, kinds.iter().map(|k| field_of(*k)).collect())?;
    let details = count_documents(Target::Articles, vec![schema::ENTITY_DETAIL])?
        .pop()
        .unwrap_or_default();
    Ok(entity_values(catalog, kinds, counts, &details))
}

/// The entity catalog from counts: `counts` holds, for each of `kinds` in
/// order, every value of its field over the target's documents with the
/// number of documents naming it; `details` every `entity_detail` value of
/// the articles with its count (for roles and affiliations). Keeps the
/// names starting with the catalog's prefix, most named first. Shared by
/// every backend.
pub fn entity_values(
    catalog: &CatalogRequest,
    kinds: &[EntityKind],
    mut counts: Vec<Vec<(Arc<str>, u64)>>,
    details: &[(Arc<str>, u64)],
) -> EntityCatalog {
    // (kind, name) → most frequent role and affiliation.
    let mut roles: HashMap<(EntityKind, &str), HashMap<&str, u64>> = HashMap::new();
    let mut affiliations: HashMap<(EntityKind, &str), HashMap<&str, u64>> = HashMap::new();
    for (value, count) in details {
        let Some((kind, name, role, affiliation)) = parse_entity_detail(value) else {
            continue;
        };
        let Some(kind) = EntityKind::named(kind) else {
            continue;
        };
        if let Some(role) = role {
            *roles
                .entry((kind, name))
                .or_default()
                .entry(role)
                .or_default() += count;
        }
        if let Some(affiliation) = affiliation {
            *affiliations
                .entry((kind, name))
                .or_default()
                .entry(affiliation)
                .or_default() += count;
        }
    }
    let most_frequent =
        |table: &HashMap<(EntityKind, &str), HashMap<&str, u64>>, kind: EntityKind, name: &str| {
            table.get(&(kind, name)).and_then(|choices| {
                choices
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(value, _)| (*value).to_owned())
            })
        };

    let prefix = normalize_keyword(&catalog.prefix);
    let mut values: Vec<EntityValue> = Vec::new();
    for (kind, names) in kinds.iter().zip(counts.iter_mut()) {
        for (name, count) in names.drain(..) {
            if !normalize_keyword(&name).starts_with(&prefix) {
                continue;
            }
            values.push(EntityValue {
                kind: *kind,
                role: most_frequent(&roles, *kind, &name),
                affiliation: most_frequent(&affiliations, *kind, &name),
                name: name.to_string(),
                count,
            });
        }
    }
    Catalog::top(values, catalog.limit, |a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.name.cmp(&b.name))
    })
}
