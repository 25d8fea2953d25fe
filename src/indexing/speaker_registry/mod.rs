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
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tantivy::index::SegmentId;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, SegmentReader, TERMINATED};

pub use merge::{merge_identities, SpeakerIdentity, SpeakerObservation};

use super::cache::{lock, BackgroundRebuild};
use super::document::parse_entity_detail;
use super::store::KeywordTerms;
use super::IndexError;
use crate::analysis::Aliases;
use crate::model::SpeakerKind;
use merge::{fold_keyword, key_of_keyword};

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
    /// Initials of bodies' names → identity ([`NO_IDENTITY`] when several
    /// bodies share them), for acronyms no quote carries.
    by_acronym: HashMap<String, u32>,
    /// Per identity: its canonical name and its names, folded as keywords.
    keywords: Vec<Vec<String>>,
    aliases: Arc<Aliases>,
    /// Per segment: the identity of each term of its `speaker` column.
    segment_identities: Mutex<HashMap<SegmentId, Arc<Vec<u32>>>>,
    /// Per segment: its speaker facet values in name order.
    segment_slots: Mutex<HashMap<SegmentId, Arc<SpeakerFacetSlots>>>,
}

/// A segment's speaker facet values, its names folded into identities, in
/// name order: what counting the facet in that segment needs, so that no
/// search compares or hashes names.
#[derive(Debug)]
pub struct SpeakerFacetSlots {
    /// The identity of each term ordinal, or [`NO_IDENTITY`].
    pub identity_of_ordinal: Arc<Vec<u32>>,
    /// The facet values, sorted and distinct: each name of no identity and
    /// the canonical name of each identity the segment's names have.
    pub names: Vec<Arc<str>>,
    /// The slot in `names` of each term ordinal ([`NO_SLOT`] for none).
    pub slot_of_ordinal: Vec<u32>,
    /// The slot of each identity the segment's names have.
    slot_of_identity: HashMap<u32, u32>,
}

/// The slot of a term ordinal that has no value.
pub const NO_SLOT: u32 = u32::MAX;

impl SpeakerFacetSlots {
    /// The slot in `names` of `identity`'s canonical name, if the segment
    /// has a name of it.
    pub fn slot_of_identity(&self, identity: u32) -> Option<u32> {
        self.slot_of_identity.get(&identity).copied()
    }
}

impl SpeakerRegistry {
    /// Merges `observations` with the rules of [`merge`] and indexes the
    /// identities by name.
    pub fn build<'a>(
        observations: impl IntoIterator<Item = &'a SpeakerObservation>,
        aliases: Arc<Aliases>,
    ) -> SpeakerRegistry {
        let identities = merge_identities(observations, &aliases);
        let names: usize = identities
            .iter()
            .map(|identity| identity.names.len() + 1)
            .sum();
        let mut by_name = HashMap::with_capacity(names);
        let mut by_keyword = HashMap::with_capacity(names);
        let mut by_folded = HashMap::with_capacity(names);
        let mut by_acronym: HashMap<String, u32> = HashMap::new();
        let mut keywords = Vec::with_capacity(identities.len());
        for (index, identity) in identities.iter().enumerate() {
            let index = index as u32;
            let is_body = identity.kind != SpeakerKind::Person;
            let mut folded = Vec::with_capacity(identity.names.len() + 1);
            for name in std::iter::once(&identity.name).chain(&identity.names) {
                let keyword = fold_keyword(name);
                if let Some(initials) = merge::initials(&keyword).filter(|_| is_body) {
                    let entry = by_acronym.entry(initials).or_insert(index);
                    if *entry != index {
                        *entry = NO_IDENTITY;
                    }
                }
                by_name.entry(name.clone()).or_insert(index);
                by_folded.entry(key_of_keyword(&keyword)).or_insert(index);
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
            by_acronym,
            keywords,
            aliases,
            segment_identities: Mutex::default(),
            segment_slots: Mutex::default(),
        }
    }

    /// Every identity, most quoted first.
    pub fn identities(&self) -> &[SpeakerIdentity] {
        &self.identities
    }

    /// The index of the identity `name` belongs to: its canonical name or any
    /// of its names, ignoring case, accents and punctuation; a name the alias
    /// table gives its canonical name; or an acronym (`SEC`) of one body's
    /// name, even if no quote uses it.
    pub fn position(&self, name: &str) -> Option<u32> {
        if let Some(index) = self.by_name.get(name) {
            return Some(*index);
        }
        let keyword = fold_keyword(name.trim());
        let folded = key_of_keyword(&keyword);
        self.by_keyword
            .get(&keyword)
            .or_else(|| self.by_folded.get(&folded))
            .or_else(|| {
                let canonical = self.aliases.canonical(name)?;
                self.by_keyword.get(&fold_keyword(canonical))
            })
            .or_else(|| {
                merge::written_as_acronym(name.trim())
                    .then(|| self.by_acronym.get(&folded))
                    .flatten()
                    .filter(|index| **index != NO_IDENTITY)
            })
            .copied()
    }

    /// The identity `name` belongs to (see [`SpeakerRegistry::position`]).
    pub fn identity(&self, name: &str) -> Option<&SpeakerIdentity> {
        let index = self.position(name)?;
        self.identities.get(index as usize)
    }

    /// Whether the canonical name or any name of the identity at `index`
    /// starts with `prefix` (folded by [`fold_keyword`]).
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
                        .filter(|canonical| fold_keyword(canonical) != fold_keyword(value))
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

    /// A segment's speaker facet values in name order (see
    /// [`SpeakerFacetSlots`]). Computed once per segment and registry.
    pub fn facet_slots(&self, segment: SegmentId, terms: &KeywordTerms) -> Arc<SpeakerFacetSlots> {
        if let Some(known) = lock(&self.segment_slots).get(&segment) {
            return known.clone();
        }
        let identity_of_ordinal = self.identities_of_terms(segment, terms);
        let value_of = |ordinal: usize| match identity_of_ordinal[ordinal] {
            NO_IDENTITY => terms.term(ordinal as u64),
            identity => self.canonical_name(identity),
        };
        let mut names: Vec<Arc<str>> = (0..terms.len()).filter_map(value_of).cloned().collect();
        names.sort_unstable();
        names.dedup();
        let slot_of_ordinal: Vec<u32> = (0..terms.len())
            .map(|ordinal| {
                value_of(ordinal)
                    .and_then(|value| names.binary_search(value).ok())
                    .map_or(NO_SLOT, |slot| slot as u32)
            })
            .collect();
        let slot_of_identity = identity_of_ordinal
            .iter()
            .zip(&slot_of_ordinal)
            .filter(|&(&identity, &slot)| identity != NO_IDENTITY && slot != NO_SLOT)
            .map(|(&identity, &slot)| (identity, slot))
            .collect();
        let slots = Arc::new(SpeakerFacetSlots {
            identity_of_ordinal,
            names,
            slot_of_ordinal,
            slot_of_identity,
        });
        lock(&self.segment_slots).insert(segment, slots.clone());
        slots
    }
}

/// Registry builds that took longer than this (big indexes) are redone on a
/// background thread: searches go on with the previous registry meanwhile.
pub const BACKGROUND_REBUILD_AFTER: Duration = Duration::from_millis(50);

/// The registry of the current state of an index, rebuilt when its segments
/// change, and each segment's observations, read once.
///
/// A rebuild is synchronous (the search that needs it waits, and sees every
/// link the index allows) unless the last build took longer than
/// [`BACKGROUND_REBUILD_AFTER`]: then the search gets the previous registry,
/// in which names it does not know yet count as themselves, and one
/// background thread builds the next.
#[derive(Debug)]
pub struct SpeakerRegistryCache {
    aliases: Arc<Aliases>,
    background_after: Duration,
    /// Per segment: what its speaker details say.
    segments: Mutex<HashMap<SegmentId, SegmentObservations>>,
    /// The last registry built.
    current: Mutex<Option<BuiltRegistry>>,
    /// The background rebuild, while one runs.
    rebuilding: BackgroundRebuild,
}

/// A segment's number of deleted documents when it was read, and the
/// observations read from it.
type SegmentObservations = (u32, Arc<Vec<SpeakerObservation>>);

/// A registry and what it was built from.
#[derive(Debug)]
struct BuiltRegistry {
    /// The segments, with their deletions.
    state: Vec<(SegmentId, u32)>,
    registry: Arc<SpeakerRegistry>,
    took: Duration,
}

impl Default for SpeakerRegistryCache {
    fn default() -> Self {
        Self::new(Aliases::default())
    }
}

impl SpeakerRegistryCache {
    /// A cache whose registries apply `aliases`.
    pub fn new(aliases: Aliases) -> Self {
        Self::with_background_after(aliases, BACKGROUND_REBUILD_AFTER)
    }

    /// A cache that rebuilds in the background once a build took longer
    /// than `background_after`.
    pub fn with_background_after(aliases: Aliases, background_after: Duration) -> Self {
        SpeakerRegistryCache {
            aliases: Arc::new(aliases),
            background_after,
            segments: Mutex::default(),
            current: Mutex::default(),
            rebuilding: BackgroundRebuild::default(),
        }
    }

    /// The registry of `searcher`'s state, from the speaker details in
    /// `field`; built at most once per set of segments (concurrent callers
    /// wait for the one building it), or the previous one while a slow
    /// rebuild runs in the background.
    pub fn registry(
        self: &Arc<Self>,
        searcher: &Searcher,
        field: Field,
    ) -> Result<Arc<SpeakerRegistry>, IndexError> {
        let state = segments_of(searcher);
        let mut current = lock(&self.current);
        if let Some(built) = current.as_ref() {
            if built.state == state {
                return Ok(built.registry.clone());
            }
            if built.took > self.background_after {
                self.rebuild_in_background(searcher.clone(), field);
                return Ok(built.registry.clone());
            }
        }
        let built = self.build(searcher, field, state)?;
        let registry = built.registry.clone();
        *current = Some(built);
        Ok(registry)
    }

    fn rebuild_in_background(self: &Arc<Self>, searcher: Searcher, field: Field) {
        let cache = Arc::clone(self);
        let started = self.rebuilding.start("speaker-registry", move || {
            let state = segments_of(&searcher);
            match cache.build(&searcher, field, state) {
                Ok(built) => *lock(&cache.current) = Some(built),
                Err(error) => tracing::warn!(%error, "speaker registry rebuild failed"),
            }
        });
        if let Err(error) = started {
            tracing::warn!(%error, "cannot start the speaker registry rebuild");
        }
    }

    fn build(
        &self,
        searcher: &Searcher,
        field: Field,
        state: Vec<(SegmentId, u32)>,
    ) -> Result<BuiltRegistry, IndexError> {
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
        let took = started.elapsed();
        tracing::debug!(
            segments = state.len(),
            observations = observations.iter().map(|s| s.len()).sum::<usize>(),
            identities = registry.identities.len(),
            elapsed_ms = took.as_secs_f64() * 1000.0,
            "speaker registry built"
        );
        Ok(BuiltRegistry {
            state,
            registry,
            took,
        })
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

/// The segments of a searcher with their numbers of deleted documents: the
/// state a registry is built from.
pub(crate) fn segments_of(searcher: &Searcher) -> Vec<(SegmentId, u32)> {
    searcher
        .segment_readers()
        .iter()
        .map(|segment| (segment.segment_id(), segment.num_deleted_docs()))
        .collect()
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
        observations.extend(observation_of_detail(detail, quotes));
    }
    Ok(observations)
}

/// What a quote's [`SPEAKER_DETAIL`](super::schema::SPEAKER_DETAIL) value
/// says of its speaker, seen on `quotes` live quotes; `None` for a value
/// that is not a speaker detail.
pub fn observation_of_detail(detail: &str, quotes: u64) -> Option<SpeakerObservation> {
    let (kind, name, role, affiliation) = parse_entity_detail(detail)?;
    Some(SpeakerObservation {
        kind: SpeakerKind::named(kind).unwrap_or(SpeakerKind::Unknown),
        name: name.to_owned(),
        role: role.map(str::to_owned),
        affiliation: affiliation.map(str::to_owned),
        quotes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;
    use crate::config::Settings;
    use crate::indexing::writer::{Durability, WriteOp, WriterOptions};
    use crate::indexing::{IndexStore, IndexWriterHandle};
    use crate::ingest::{parse_article, prepare_article, ArticleLimits};

    /// An index written through the real writer, one commit per call.
    struct TestIndex {
        store: IndexStore,
        writer: IndexWriterHandle,
        thread: Option<crate::indexing::writer::WriterThread>,
        analyzer: Analyzer,
        _dir: tempfile::TempDir,
    }

    impl TestIndex {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let store = IndexStore::open_or_create(
                dir.path(),
                Arc::new(crate::analysis::tokenizers::LanguageAnalyzers::without_dictionaries()),
            )
            .unwrap();
            let options = WriterOptions {
                memory_bytes: 32 << 20,
                threads: 1,
                max_ops_per_commit: 1000,
            };
            let (writer, thread) = IndexWriterHandle::start(&store, options).unwrap();
            TestIndex {
                store,
                writer,
                thread: Some(thread),
                analyzer: Analyzer::from_settings(&Settings::built_in().analysis).unwrap(),
                _dir: dir,
            }
        }

        /// Commits an article whose one quote has this speaker and role.
        fn add(&self, id: &str, speaker: &str, role: Option<&str>) {
            let article = serde_json::json!({
                "id": id, "title": id, "body": "“Yes,” someone said.",
                "quotes": [{"quote": "Yes", "start": 1, "end": 4, "kind": "direct",
                            "speaker": speaker, "role": role, "speaker_kind": "person"}],
            });
            let limits = ArticleLimits {
                max_article_bytes: 1 << 20,
            };
            let parsed = parse_article(article.to_string().as_bytes(), limits).unwrap();
            let prepared = prepare_article(&self.analyzer, self.store.fields(), parsed);
            self.writer
                .write_blocking(WriteOp::Upsert(vec![prepared]), Durability::Commit)
                .unwrap();
        }

        fn delete(&self, id: &str) {
            self.writer
                .write_blocking(WriteOp::Delete(id.to_owned()), Durability::Commit)
                .unwrap();
        }
    }

    impl Drop for TestIndex {
        fn drop(&mut self) {
            let _ = self
                .writer
                .write_blocking(WriteOp::Shutdown, Durability::Commit);
            if let Some(thread) = self.thread.take() {
                thread.join();
            }
        }
    }

    /// Canonical name → (names, quotes) of every identity.
    fn identities(registry: &SpeakerRegistry) -> Vec<(String, Vec<String>, u64)> {
        let mut all: Vec<_> = registry
            .identities()
            .iter()
            .map(|identity| {
                let mut names = identity.names.clone();
                names.sort();
                (identity.name.clone(), names, identity.quotes)
            })
            .collect();
        all.sort();
        all
    }

    fn identity(name: &str, names: &[&str], quotes: u64) -> (String, Vec<String>, u64) {
        let names = names.iter().map(|name| (*name).to_owned()).collect();
        (name.to_owned(), names, quotes)
    }

    #[test]
    fn names_are_found_whatever_form_a_filter_uses() {
        let seen = |kind, name: &str| SpeakerObservation {
            kind,
            name: name.to_owned(),
            role: None,
            affiliation: None,
            quotes: 1,
        };
        let registry = SpeakerRegistry::build(
            &[
                seen(
                    SpeakerKind::Organization,
                    "Securities and Exchange Commission",
                ),
                seen(SpeakerKind::Organization, "Associated Press"),
                seen(SpeakerKind::Organization, "Air Products"),
                seen(SpeakerKind::Person, "Joseph R. Biden"),
                seen(SpeakerKind::Person, "John Smith"),
            ],
            Arc::new(Aliases::parse("\"Joseph R. Biden\" = [\"Joe Biden\"]").unwrap()),
        );
        let canonical = |name: &str| registry.identity(name).map(|i| i.name.as_str());
        assert_eq!(canonical("joseph r. biden"), Some("Joseph R. Biden"));
        assert_eq!(canonical("Joseph R Biden"), Some("Joseph R. Biden"));
        assert_eq!(canonical("Joe Biden"), Some("Joseph R. Biden"));
        // An acronym no quote uses finds the one body it abbreviates.
        assert_eq!(canonical("SEC"), Some("Securities and Exchange Commission"));
        assert_eq!(
            canonical("S.E.C."),
            Some("Securities and Exchange Commission")
        );
        assert_eq!(canonical("sec"), None, "not written as an acronym");
        assert_eq!(canonical("AP"), None, "two bodies share it");
        assert_eq!(canonical("JS"), None, "people have no acronyms");
        assert_eq!(registry.filter_values("Nobody"), ["Nobody"]);
    }

    #[test]
    fn the_registry_follows_the_index_deletions_included() {
        let index = TestIndex::new();
        let registry = || {
            index
                .store
                .speaker_registry(&index.store.searcher())
                .unwrap()
        };
        assert!(registry().identities().is_empty());
        index.add("a", "Reagan", None);
        index.add("b", "Reagan", None);
        assert_eq!(
            identities(&registry()),
            [identity("Reagan", &["Reagan"], 2)]
        );
        // Built once per state.
        assert!(Arc::ptr_eq(&registry(), &registry()));

        index.add("c", "Ronald Reagan", Some("President"));
        let linked = registry();
        assert_eq!(
            identities(&linked),
            [identity("Ronald Reagan", &["Reagan", "Ronald Reagan"], 3)]
        );
        assert_eq!(linked.filter_values("REAGAN"), ["Ronald Reagan", "Reagan"]);
        assert_eq!(
            linked.identity("ronald reagan").unwrap().role.as_deref(),
            Some("President")
        );

        // A deleted quote no longer counts, nor links.
        index.delete("c");
        index.delete("a");
        assert_eq!(
            identities(&registry()),
            [identity("Reagan", &["Reagan"], 1)]
        );
    }

    #[test]
    fn slow_rebuilds_run_in_the_background_on_the_previous_registry() {
        let index = TestIndex::new();
        let field = index.store.fields().speaker_detail;
        // Every build counts as slow.
        let cache = Arc::new(SpeakerRegistryCache::with_background_after(
            Aliases::default(),
            Duration::ZERO,
        ));
        index.add("a", "Reagan", None);
        let first = cache.registry(&index.store.searcher(), field).unwrap();
        assert_eq!(identities(&first), [identity("Reagan", &["Reagan"], 1)]);

        index.add("b", "Ronald Reagan", None);
        let searcher = index.store.searcher();
        // The previous registry answers at once; the next one follows.
        let stale = cache.registry(&searcher, field).unwrap();
        assert!(Arc::ptr_eq(&stale, &first));
        let deadline = Instant::now() + Duration::from_secs(30);
        let fresh = loop {
            let registry = cache.registry(&searcher, field).unwrap();
            if !Arc::ptr_eq(&registry, &first) {
                break registry;
            }
            assert!(
                Instant::now() < deadline,
                "the background rebuild never finished"
            );
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(
            identities(&fresh),
            [identity("Ronald Reagan", &["Reagan", "Ronald Reagan"], 2)]
        );
    }
}
