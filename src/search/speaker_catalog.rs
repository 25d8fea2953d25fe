//! The speaker catalog behind `/v1/speakers`: the identities of the corpus
//! speaker registry with their exact number of quotes (or articles), kind,
//! most frequent role and affiliation and the names they appear under,
//! filtered by a name prefix.
//!
//! Counts are the `speaker` facet's, folded into identities
//! ([`FacetCounts::with_speaker_identities`]); the rest comes from the
//! registry of the same searcher.

use std::sync::Arc;

use super::collector::FacetCounts;
use super::{count_facets, CatalogRequest, SearchError, SearchRequest};
use crate::analysis::tokenizers::normalize_keyword;
use crate::indexing::schema;
use crate::indexing::speaker_registry::SpeakerRegistry;
use crate::indexing::IndexStore;
use crate::model::SpeakerKind;
use crate::search::Catalog;

/// One identity of the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerValue {
    /// Canonical name.
    pub name: String,
    /// Quotes (or articles) of the identity.
    pub count: u64,
    /// Person, organisation, government (`unknown` when analysis could not tell).
    pub kind: SpeakerKind,
    /// The role its quotes give most often.
    pub role: Option<String>,
    /// The affiliation its quotes give most often.
    pub affiliation: Option<String>,
    /// The other names its quotes carry, most quoted first.
    pub aliases: Vec<String>,
}

/// Identities matching a catalog request: most quoted first (then by name).
pub type SpeakerCatalog = Catalog<SpeakerValue>;

/// Lists the speaker identities `catalog` asks for, those with a name (the
/// canonical one or another) starting with its prefix, most quoted first.
pub fn speaker_catalog(
    store: &IndexStore,
    catalog: &CatalogRequest,
) -> Result<SpeakerCatalog, SearchError> {
    let searcher = store.searcher();
    let registry = store.speaker_registry(&searcher)?;
    let counter = FacetCounts::new(store, &searcher, vec![schema::SPEAKER])
        .with_speaker_identities(registry.clone());
    let request = SearchRequest::everything(catalog.target);
    let counts = count_facets(store, &searcher, &request, &counter)?
        .pop()
        .unwrap_or_default();
    Ok(speaker_values(&registry, catalog, counts))
}

/// The speaker catalog from the `speaker` facet's counts over every
/// document of the target, folded into the identities of `registry`
/// (`counts`): the identities with a name starting with the catalog's
/// prefix, with what the registry knows of them, most quoted first. Shared
/// by every backend.
pub fn speaker_values(
    registry: &SpeakerRegistry,
    catalog: &CatalogRequest,
    counts: Vec<(Arc<str>, u64)>,
) -> SpeakerCatalog {
    let prefix = normalize_keyword(&catalog.prefix);
    let mut values: Vec<SpeakerValue> = Vec::new();
    for (name, count) in counts {
        let position = registry.position(&name);
        let matches = match position {
            Some(position) => registry.starts_with(position, &prefix),
            None => normalize_keyword(&name).starts_with(&prefix),
        };
        if !matches {
            continue;
        }
        let identity = position.and_then(|position| registry.identities().get(position as usize));
        values.push(match identity {
            Some(identity) => SpeakerValue {
                name: name.to_string(),
                count,
                kind: identity.kind,
                role: identity.role.clone(),
                affiliation: identity.affiliation.clone(),
                aliases: identity
                    .names
                    .iter()
                    .filter(|alias| **alias != identity.name)
                    .cloned()
                    .collect(),
            },
            None => SpeakerValue {
                name: name.to_string(),
                count,
                kind: SpeakerKind::Unknown,
                role: None,
                affiliation: None,
                aliases: Vec::new(),
            },
        });
    }
    Catalog::top(values, catalog.limit, |a, b| {
        b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name))
    })
}
