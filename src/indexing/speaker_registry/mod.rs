//! The corpus speaker registry: every speaker name quotes carry, grouped into
//! identities (`Reagan`, `Ronald Reagan` and `President Reagan`'s quotes are
//! one person's), each with one canonical name, a kind, its names, its most
//! frequent role and affiliation and a quote count.
//!
//! The registry is not stored: it is derived from the index whenever the set
//! of segments changes. Every quote document carries a
//! [`SPEAKER_DETAIL`](super::schema::SPEAKER_DETAIL) term (`kind␟name␟role␟
//! affiliation`, as analysis saw the speaker in its article); walking that
//! field's term dictionary gives each segment's distinct speakers with their
//! number of quotes (document frequencies, or live postings counted in a
//! segment with deletions). Segments never change, so their observations are
//! read once; the [`merge`] rules then run over all of them. When a later
//! article shows that two names are one speaker, the next registry merges
//! them, and filters and facets on identities follow without re-importing
//! anything; evidence that makes a merge ambiguous undoes it the same way.
//!
//! ```
//! use verbatim::analysis::Aliases;
//! use verbatim::indexing::speaker_registry::{SpeakerObservation, SpeakerRegistry};
//! use verbatim::model::SpeakerKind;
//!
//! let seen = |name: &str, quotes| SpeakerObservation {
//!     kind: SpeakerKind::Person,
//!     name: name.to_owned(),
//!     role: None,
//!     affiliation: None,
//!     quotes,
//! };
//! let registry = SpeakerRegistry::build(
//!     &[seen("Reagan", 3), seen("Ronald Reagan", 1)],
//!     Default::default(),
//! );
//! let identity = registry.identity("REAGAN").unwrap();
//! assert_eq!(identity.name, "Ronald Reagan");
//! assert_eq!(registry.filter_values("reagan"), ["Ronald Reagan", "Reagan"]);
//! ```

pub mod merge;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use tantivy::index::SegmentId;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, SegmentReader, TERMINATED};

pub use merge::{merge_identities, SpeakerIdentity, SpeakerObservation};

use super::document::parse_entity_detail;
use super::store::KeywordTerms;
use super::IndexError;
use crate::analysis::tokenizers::normalize_keyword;
use crate::analysis::Aliases;
use crate::model::SpeakerKind;

/// The identity of a term that names none (see
/// [`SpeakerRegistry::identities_of_terms`]).
pub const NO_IDENTITY: u32 = u32::MAX;

/// The identities of one state of the index, found by any of their names.
#[derive(Debug)]
pub struct SpeakerRegistry {
    identities: Vec<SpeakerIdentity>,
    canonical_names: Vec<Arc<str>>,
    /// Names exactly as written → identity.
    by_name: HashMap<String, u32>,
    /// Names as keyword filters fold them → identity.
    by_keyword: HashMap<String, u32>,
    /// Names folded further (punctuation) → identity.
    by_folded: HashMap<String, u32>,
    /// Per identity: its canonical name and its names, folded as keywords.
    keywords: Vec<Vec<String>>,
    aliases: Arc<Aliases>,
    /// Per segment: the identity of each term of its `speaker` column.
    segment_identities: Mutex<HashMap<SegmentId, Arc<Vec<u32>>>>,
}

impl SpeakerRegistry {
    /// Merges `observations` with the rules of [`merge`] and indexes the
    /// identities by name.
    pub fn build<'a>(
        observations: impl IntoIterator<Item = &'a SpeakerObservation>,
        aliases: Arc<Aliases>,
    ) -> SpeakerRegistry {
        let identities = merge_identities(observations, &aliases);
        let mut by_name = HashMap::new();
        let mut by_keyword = HashMap::new();
        let mut by_folded = HashMap::new();
        let mut keywords = Vec::with_capacity(identities.len());
        for (index, identity) in identities.iter().enumerate() {
            let index = index as u32;
            let mut folded = Vec::with_capacity(identity.names.len() + 1);
            for name in std::iter::once(&identity.name).chain(&identity.names) {
                let keyword = normalize_keyword(name);
                by_name.entry(name.clone()).or_insert(index);
                by_folded
                    .entry(merge::folded_key(&keyword))
                    .or_insert(index);
                if !folded.contains(&keyword) {
                    folded.push(keyword.clone());
                }
                by_keyword.entry(keyword).or_insert(index);
            }
            keywords.push(folded);
        }
        SpeakerRegistry {
            canonical_names: identities
                .iter()
                .map(|identity| Arc::from(identity.name.as_str()))
                .collect(),
            identities,
            by_name,
            by_keyword,
            by_folded,
            keywords,
            aliases,
            segment_identities: Mutex::default(),
        }
    }

    /// Every identity, most quoted first.
    pub fn identities(&self) -> &[SpeakerIdentity] {
        &self.identities
    }

    /// The index of the identity `name` belongs to: its canonical name or any
    /// of its names, ignoring case, accents and punctuation, or a name the
    /// alias table gives its canonical name.
    pub fn position(&self, name: &str) -> Option<u32> {
        if let Some(index) = self.by_name.get(name) {
            return Some(*index);
        }
        let keyword = normalize_keyword(name.trim());
        self.by_keyword
            .get(&keyword)
            .or_else(|| self.by_folded.get(&merge::folded_key(&keyword)))
            .or_else(|| {
                let canonical = self.aliases.canonical(name)?;
                self.by_keyword.get(&normalize_keyword(canonical))
            })
            .copied()
    }

    /// The identity `name` belongs to (see [`SpeakerRegistry::position`]).
    pub fn identity(&self, name: &str) -> Option<&SpeakerIdentity> {
        let index = self.position(name)?;
        self.identities.get(index as usize)
    }

    /// Whether the canonical name or any name of the identity at `index`
    /// starts with `prefix` (folded by `normalize_keyword`).
    pub fn starts_with(&self, index: u32, prefix: &str) -> bool {
        self.keywords
            .get(index as usize)
            .is_some_and(|names| names.iter().any(|name| name.starts_with(prefix)))
    }

    /// The canonical name of the identity at `index`, shared.
    pub fn canonical_name(&self, index: u32) -> Option<&Arc<str>> {
        self.canonical_names.get(index as usize)
    }

    /// The speaker names a filter on `value` matches: every name of its
    /// identity (canonical first), or, for a name no quote carries, the
    /// value itself and the alias table's canonical name for it.
    pub fn filter_values(&self, value: &str) -> Vec<String> {
        match self.identity(value) {
            Some(identity) => {
                let mut names = vec![identity.name.clone()];
                names.extend(
                    identity
                        .names
                        .iter()
                        .filter(|name| **name != identity.name)
                        .cloned(),
                );
                names
            }
            None => {
                let mut names = vec![value.to_owned()];
                names.extend(
                    self.aliases
                        .canonical(value)
                        .filter(|canonical| {
                            normalize_keyword(canonical) != normalize_keyword(value)
                        })
                        .map(str::to_owned),
                );
                names
            }
        }
    }

    /// For each term ordinal of a segment's `speaker` column (`terms`, the
    /// decoded dictionary), the index of its identity, or [`NO_IDENTITY`].
    /// Computed once per segment and registry.
    pub fn identities_of_terms(&self, segment: SegmentId, terms: &KeywordTerms) -> Arc<Vec<u32>> {
        if let Some(known) = lock(&self.segment_identities).get(&segment) {
            return known.clone();
        }
        let identities: Vec<u32> = (0..terms.len() as u64)
            .map(|ordinal| {
                terms
                    .term(ordinal)
                    .and_then(|name| self.position(name))
                    .unwrap_or(NO_IDENTITY)
            })
            .collect();
        let identities = Arc::new(identities);
        lock(&self.segment_identities).insert(segment, identities.clone());
        identities
    }
}

/// The registry of the current state of an index, rebuilt when its segments
/// change, and each segment's observations, read once.
#[derive(Debug, Default)]
pub struct SpeakerRegistryCache {
    aliases: Arc<Aliases>,
    /// Per segment: its number of deleted documents when read, and what its
    /// speaker details say.
    segments: Mutex<HashMap<SegmentId, (u32, Arc<Vec<SpeakerObservation>>)>>,
    /// The last registry and the segments (with deletions) it was built from.
    current: Mutex<Option<(Vec<(SegmentId, u32)>, Arc<SpeakerRegistry>)>>,
}

impl SpeakerRegistryCache {
    /// A cache whose registries apply `aliases`.
    pub fn new(aliases: Aliases) -> Self {
        SpeakerRegistryCache {
            aliases: Arc::new(aliases),
            ..Self::default()
        }
    }

    /// The registry of `searcher`'s state, from the speaker details in
    /// `field`; built at most once per set of segments (concurrent callers
    /// wait for the one building it).
    pub fn registry(
        &self,
        searcher: &Searcher,
        field: Field,
    ) -> Result<Arc<SpeakerRegistry>, IndexError> {
        let state: Vec<(SegmentId, u32)> = searcher
            .segment_readers()
            .iter()
            .map(|segment| (segment.segment_id(), segment.num_deleted_docs()))
            .collect();
        let mut current = lock(&self.current);
        if let Some((built_from, registry)) = current.as_ref() {
            if *built_from == state {
                return Ok(registry.clone());
            }
        }
        let started = Instant::now();
        let mut observations = Vec::with_capacity(state.len());
        for segment in searcher.segment_readers() {
            observations.push(self.segment_observations(segment, field)?);
        }
        lock(&self.segments).retain(|segment, _| state.iter().any(|(live, _)| live == segment));
        let registry = Arc::new(SpeakerRegistry::build(
            observations.iter().flat_map(|segment| segment.iter()),
            self.aliases.clone(),
        ));
        tracing::debug!(
            segments = state.len(),
            observations = observations.iter().map(|s| s.len()).sum::<usize>(),
            identities = registry.identities.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "speaker registry built"
        );
        *current = Some((state, registry.clone()));
        Ok(registry)
    }

    fn segment_observations(
        &self,
        segment: &SegmentReader,
        field: Field,
    ) -> Result<Arc<Vec<SpeakerObservation>>, IndexError> {
        let deleted = segment.num_deleted_docs();
        if let Some((read_with, observations)) = lock(&self.segments).get(&segment.segment_id()) {
            if *read_with == deleted {
                return Ok(observations.clone());
            }
        }
        let observations = Arc::new(read_observations(segment, field)?);
        lock(&self.segments).insert(segment.segment_id(), (deleted, observations.clone()));
        Ok(observations)
    }
}

/// The speaker details of one segment with their number of live quotes.
fn read_observations(
    segment: &SegmentReader,
    field: Field,
) -> Result<Vec<SpeakerObservation>, IndexError> {
    let io_error = |error: std::io::Error| IndexError::Tantivy(error.into());
    let inverted_index = segment.inverted_index(field)?;
    let alive = segment.alive_bitset();
    let mut terms = inverted_index.terms().stream().map_err(io_error)?;
    let mut observations = Vec::new();
    while terms.advance() {
        let term_info = terms.value();
        let quotes = match alive {
            None => u64::from(term_info.doc_freq),
            Some(alive) => {
                let mut postings = inverted_index
                    .read_postings_from_terminfo(term_info, IndexRecordOption::Basic)
                    .map_err(io_error)?;
                let mut live = 0;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    live += u64::from(alive.is_alive(doc));
                    doc = postings.advance();
                }
                live
            }
        };
        if quotes == 0 {
            continue;
        }
        let Ok(detail) = std::str::from_utf8(terms.key()) else {
            continue;
        };
        let Some((kind, name, role, affiliation)) = parse_entity_detail(detail) else {
            continue;
        };
        observations.push(SpeakerObservation {
            kind: speaker_kind_named(kind),
            name: name.to_owned(),
            role: role.map(str::to_owned),
            affiliation: affiliation.map(str::to_owned),
            quotes,
        });
    }
    Ok(observations)
}

fn speaker_kind_named(name: &str) -> SpeakerKind {
    [
        SpeakerKind::Person,
        SpeakerKind::Organization,
        SpeakerKind::Government,
        SpeakerKind::Anonymous,
    ]
    .into_iter()
    .find(|kind| kind.as_str() == name)
    .unwrap_or(SpeakerKind::Unknown)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every map is left consistent between statements, so a panic elsewhere
    // cannot poison it.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
