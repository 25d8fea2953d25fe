//! Collectors: the ranked page of hits (by relevance or date, resumable from a
//! cursor), the same one statement at a time ([`StatementTopHits`]), exact
//! facet counts over every matching document (speakers counted per identity;
//! copies or statements), and [`WithDeadline`], which stops any collector when
//! a search runs too long.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tantivy::collector::{Collector, SegmentCollector, TopNComputer};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{Scorer, Weight};
use tantivy::{DateTime, DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader};

use super::SortOrder;
use crate::indexing::schema::{DOC_KEY, PUBLISHED, SPEAKER};
use crate::indexing::speaker_registry::{SpeakerFacetSlots, SpeakerRegistry, NO_IDENTITY, NO_SLOT};
use crate::indexing::statements::{StatementTable, NO_STATEMENT};
use crate::indexing::store::{KeywordTerms, SearcherTerms};

/// The position of a hit in the total order of results: greater comes first.
/// The second component makes every key unique, so paging after a key never
/// skips or repeats a hit.
pub type SortKey = (u64, u64);

/// One collected hit.
#[derive(Debug, Clone, Copy)]
pub struct RankedHit {
    /// Position in the result order.
    pub key: SortKey,
    /// BM25 score (0 when sorting by date without a query).
    pub score: Score,
    /// Where the document is.
    pub address: DocAddress,
}

/// Maps an `f32` to a `u64` whose unsigned order is the float's total order.
pub fn ordered_score(score: Score) -> u64 {
    let bits = score.to_bits();
    let ordered = if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    };
    u64::from(ordered)
}

/// Collects the best `limit` hits in `sort` order, optionally only those
/// strictly after `after` (the cursor).
pub struct TopHits {
    /// How many hits to keep.
    pub limit: usize,
    /// Result order.
    pub sort: SortOrder,
    /// Keep only hits that come after this key.
    pub after: Option<SortKey>,
}

/// Per-segment part of [`TopHits`].
pub struct TopHitsSegment {
    top: TopNComputer<(SortKey, Score), DocId, tantivy::collector::sort_key::NaturalComparator>,
    keys: SortKeys,
    after: Option<SortKey>,
    segment: SegmentOrdinal,
}

impl Collector for TopHits {
    type Fruit = Vec<RankedHit>;
    type Child = TopHitsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TopHitsSegment> {
        Ok(TopHitsSegment {
            top: TopNComputer::new_with_comparator(
                self.limit,
                tantivy::collector::sort_key::NaturalComparator,
            ),
            keys: SortKeys::new(self.sort, reader)?,
            after: self.after,
            segment,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == SortOrder::Relevance
    }

    fn merge_fruits(&self, segments: Vec<Vec<RankedHit>>) -> tantivy::Result<Vec<RankedHit>> {
        let mut all: Vec<RankedHit> = segments.into_iter().flatten().collect();
        all.sort_unstable_by_key(|hit| std::cmp::Reverse(hit.key));
        all.truncate(self.limit);
        Ok(all)
    }
}

/// The sort keys of a segment's documents in one order.
struct SortKeys {
    sort: SortOrder,
    doc_keys: Column<u64>,
    /// Read when sorting by date.
    published: Option<Column<DateTime>>,
}

impl SortKeys {
    /// The keys of `reader`'s documents in `sort` order.
    fn new(sort: SortOrder, reader: &SegmentReader) -> tantivy::Result<Self> {
        let published = match sort {
            SortOrder::Relevance => None,
            SortOrder::PublishedAscending | SortOrder::PublishedDescending => {
                Some(reader.fast_fields().date(PUBLISHED)?)
            }
        };
        Ok(SortKeys {
            sort,
            doc_keys: reader.fast_fields().u64(DOC_KEY)?,
            published,
        })
    }

    /// The sort key of a document: its score or date, then its doc key.
    fn key(&self, doc: DocId, score: Score) -> SortKey {
        let published = self
            .published
            .as_ref()
            .and_then(|published| published.first(doc))
            .map(DateTime::into_timestamp_secs);
        sort_key(
            self.sort,
            score,
            published,
            self.doc_keys.first(doc).unwrap_or(0),
        )
    }
}

/// The sort key of a document in `sort` order from its score, its
/// publication time (seconds; `None`: undated) and its doc key: what every
/// backend ranks hits and statements by.
pub fn sort_key(sort: SortOrder, score: Score, published: Option<i64>, doc_key: u64) -> SortKey {
    let primary = match sort {
        SortOrder::Relevance => ordered_score(score),
        // Documents without a date sort last in both directions.
        SortOrder::PublishedAscending => {
            published.map_or(0, |secs| u64::MAX - timestamp_secs_key(secs))
        }
        SortOrder::PublishedDescending => published.map_or(0, timestamp_secs_key),
    };
    (primary, u64::MAX - doc_key)
}

impl SegmentCollector for TopHitsSegment {
    type Fruit = Vec<RankedHit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let key = self.keys.key(doc, score);
        if self.after.is_some_and(|after| key >= after) {
            return;
        }
        self.top.push((key, score), doc);
    }

    fn harvest(self) -> Vec<RankedHit> {
        let segment = self.segment;
        self.top
            .into_vec()
            .into_iter()
            .map(|hit| RankedHit {
                key: hit.sort_key.0,
                score: hit.sort_key.1,
                address: DocAddress::new(segment, hit.doc),
            })
            .collect()
    }
}

/// The statement of each document of a segment, as a key that is unique
/// across the searcher: the statement's index in its table, or, for a
/// document the table has no statement for (a quote without words, or a
/// segment newer than the table), a key of the document alone.
#[derive(Clone)]
pub struct StatementKeys {
    of_document: Option<Arc<Vec<u32>>>,
    segment: SegmentOrdinal,
}

/// Keys of documents without a statement have this bit set.
const OWN_STATEMENT: u64 = 1 << 63;

impl StatementKeys {
    /// The keys of `reader`'s documents in `table`.
    pub fn new(table: &StatementTable, segment: SegmentOrdinal, reader: &SegmentReader) -> Self {
        StatementKeys {
            of_document: table.of_segment(reader.segment_id()).cloned(),
            segment,
        }
    }

    /// The statement key of `doc`.
    pub fn key(&self, doc: DocId) -> u64 {
        match self
            .of_document
            .as_ref()
            .and_then(|of_document| of_document.get(doc as usize))
        {
            Some(&statement) if statement != NO_STATEMENT => u64::from(statement),
            _ => StatementKeys::own((u64::from(self.segment) << 32) | u64::from(doc)),
        }
    }

    /// The key of a document in no statement, told apart from others by
    /// `document` (below 2^63): a statement of its own.
    pub fn own(document: u64) -> u64 {
        OWN_STATEMENT | document
    }

    /// The statement index a key names, if it names one of the table.
    pub fn statement(key: u64) -> Option<u32> {
        (key & OWN_STATEMENT == 0).then_some(key as u32)
    }
}

/// Collects the best `limit` statements in `sort` order: each statement is
/// ranked by its best matching copy (which is the hit shown), and only
/// statements whose best copy comes strictly after `after` are kept, so that
/// cursor paging never shows a statement twice. The total is the number of
/// distinct statements matching.
pub struct StatementTopHits {
    /// How many statements to keep.
    pub limit: usize,
    /// Result order.
    pub sort: SortOrder,
    /// Keep only statements whose best copy comes after this key.
    pub after: Option<SortKey>,
    /// The statements of the searcher.
    pub table: Arc<StatementTable>,
}

/// What [`StatementTopHits`] collects.
#[derive(Debug, Clone, Default)]
pub struct StatementHits {
    /// Distinct statements matching.
    pub total: u64,
    /// The best copy of each kept statement, best first, with the
    /// statement's index in the table (`None`: a quote of its own).
    pub hits: Vec<(Option<u32>, RankedHit)>,
}

/// Per-segment part of [`StatementTopHits`].
pub struct StatementTopHitsSegment {
    best: HashMap<u64, RankedHit>,
    statements: StatementKeys,
    keys: SortKeys,
    segment: SegmentOrdinal,
}

impl Collector for StatementTopHits {
    type Fruit = StatementHits;
    type Child = StatementTopHitsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<StatementTopHitsSegment> {
        Ok(StatementTopHitsSegment {
            best: HashMap::new(),
            statements: StatementKeys::new(&self.table, segment, reader),
            keys: SortKeys::new(self.sort, reader)?,
            segment,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == SortOrder::Relevance
    }

    fn merge_fruits(&self, segments: Vec<Vec<(u64, RankedHit)>>) -> tantivy::Result<StatementHits> {
        let mut best: HashMap<u64, RankedHit> = HashMap::new();
        for (statement, hit) in segments.into_iter().flatten() {
            keep_best(&mut best, statement, hit);
        }
        Ok(StatementHits::rank(best, self.after, self.limit))
    }
}

/// Keeps `hit` as the best copy of the statement with key `statement` when
/// it comes before the best one so far.
pub fn keep_best(best: &mut HashMap<u64, RankedHit>, statement: u64, hit: RankedHit) {
    let entry = best.entry(statement).or_insert(hit);
    if hit.key > entry.key {
        *entry = hit;
    }
}

impl StatementHits {
    /// The best `limit` statements of `best` (each statement's best copy by
    /// its statement key, as [`keep_best`] keeps them) whose best copy comes
    /// strictly after `after`, best first; the total counts them all.
    pub fn rank(
        best: HashMap<u64, RankedHit>,
        after: Option<SortKey>,
        limit: usize,
    ) -> StatementHits {
        let total = best.len() as u64;
        let mut hits: Vec<(Option<u32>, RankedHit)> = best
            .into_iter()
            .filter(|(_, hit)| after.is_none_or(|after| hit.key < after))
            .map(|(key, hit)| (StatementKeys::statement(key), hit))
            .collect();
        let order =
            |a: &(Option<u32>, RankedHit), b: &(Option<u32>, RankedHit)| b.1.key.cmp(&a.1.key);
        if limit < hits.len() {
            hits.select_nth_unstable_by(limit, order);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(order);
        StatementHits { total, hits }
    }
}

impl SegmentCollector for StatementTopHitsSegment {
    type Fruit = Vec<(u64, RankedHit)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let key = self.keys.key(doc, score);
        let hit = RankedHit {
            key,
            score,
            address: DocAddress::new(self.segment, doc),
        };
        let entry = self.best.entry(self.statements.key(doc)).or_insert(hit);
        if key > entry.key {
            *entry = hit;
        }
    }

    fn harvest(self) -> Vec<(u64, RankedHit)> {
        self.best.into_iter().collect()
    }
}

/// The sort key of a time `secs` seconds after 1970 (see the date orders of
/// [`TopHits`]): order-preserving (1 + seconds with the sign bit flipped),
/// never 0, which stays free for "no date".
pub fn timestamp_secs_key(secs: i64) -> u64 {
    (secs as u64 ^ (1 << 63)).saturating_add(1)
}

/// Exact counts of every value of some keyword fields over the matching
/// documents. With [`FacetCounts::with_speaker_identities`], the `speaker`
/// field counts identities rather than names: each document once per
/// identity, whichever of its names it carries.
pub struct FacetCounts {
    /// The keyword fields to count.
    pub fields: Vec<&'static str>,
    /// Decoded dictionaries of the searcher's segments, to turn ordinals
    /// into values.
    pub terms: SearcherTerms,
    /// The registry that folds speaker names into identities, if any.
    pub speaker_identities: Option<Arc<SpeakerRegistry>>,
    /// With a table, values count statements: a statement counts once in a
    /// value when any of its matching copies has it.
    pub statements: Option<Arc<StatementTable>>,
}

impl FacetCounts {
    /// Counts `fields` over the segments of `searcher`, decoding dictionaries
    /// through `store`'s cache.
    pub fn new(
        store: &crate::indexing::store::IndexStore,
        searcher: &tantivy::Searcher,
        fields: Vec<&'static str>,
    ) -> Self {
        FacetCounts {
            fields,
            terms: SearcherTerms::new(store, searcher),
            speaker_identities: None,
            statements: None,
        }
    }

    /// Counts statements of `table` (which must belong to the same
    /// searcher) rather than documents.
    pub fn counting_statements(mut self, table: Arc<StatementTable>) -> Self {
        self.statements = Some(table);
        self
    }

    /// Counts the `speaker` field per identity of `registry` (which must
    /// belong to the same searcher), named by its canonical name.
    pub fn with_speaker_identities(mut self, registry: Arc<SpeakerRegistry>) -> Self {
        self.speaker_identities = Some(registry);
        self
    }
}

/// Counts per field: (value as written, number of documents), sorted by value.
pub type FacetFruit = Vec<Vec<(Arc<str>, u64)>>;

/// Per-segment part of [`FacetCounts`]: dense counters indexed by term
/// ordinal, or (counting statements) the (value, statement) pairs seen.
pub struct FacetCountsSegment {
    columns: Vec<Option<SegmentFacetColumn>>,
    statements: Option<StatementKeys>,
}

/// What one segment of [`FacetCounts`] found.
pub enum SegmentFacets {
    /// Counts per value, sorted by value.
    Counts(FacetFruit),
    /// Per field, the distinct (value, statement key) pairs, sorted.
    Statements(Vec<Vec<(Arc<str>, u64)>>),
}

/// A value slot of a statement pair: a term ordinal, or an identity with
/// this bit set.
const IDENTITY_SLOT: u64 = 1 << 40;

/// A keyword column, its decoded values and the counters by term ordinal.
struct SegmentFacetColumn {
    column: StrColumn,
    terms: Arc<KeywordTerms>,
    counts: Vec<u32>,
    identities: Option<IdentityFold>,
    /// Counting statements: (value slot, statement key) per matching value.
    pairs: Vec<(u64, u64)>,
}

/// How a segment's speaker names fold into identities.
struct IdentityFold {
    registry: Arc<SpeakerRegistry>,
    /// The identity of each term ordinal (or [`NO_IDENTITY`]) and the
    /// segment's facet values in name order.
    slots: Arc<SpeakerFacetSlots>,
    /// Identities of the current document so far.
    in_document: Vec<u32>,
    /// Per identity, how often a document carried a second name of it (an
    /// article quoting `Reagan` and `Ronald Reagan`): counted per name, these
    /// are subtracted from the identity's count.
    repeated: HashMap<u32, u32>,
}

impl Collector for FacetCounts {
    type Fruit = FacetFruit;
    type Child = FacetCountsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetCountsSegment> {
        let mut columns = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let column = match self.terms.column(reader, field)? {
                Some((column, terms)) => {
                    let identities = match &self.speaker_identities {
                        Some(registry) if *field == SPEAKER => Some(IdentityFold {
                            slots: registry.facet_slots(reader.segment_id(), &terms),
                            registry: registry.clone(),
                            in_document: Vec::new(),
                            repeated: HashMap::new(),
                        }),
                        _ => None,
                    };
                    Some(SegmentFacetColumn {
                        counts: if self.statements.is_some() {
                            Vec::new()
                        } else {
                            vec![0u32; column.num_terms()]
                        },
                        column,
                        terms,
                        identities,
                        pairs: Vec::new(),
                    })
                }
                None => None,
            };
            columns.push(column);
        }
        let statements = self
            .statements
            .as_ref()
            .map(|table| StatementKeys::new(table, segment, reader));
        Ok(FacetCountsSegment {
            columns,
            statements,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    /// Each segment's counts come sorted by value (dictionary order), so
    /// segments merge like sorted lists: no hashing of values.
    fn merge_fruits(&self, segments: Vec<SegmentFacets>) -> tantivy::Result<FacetFruit> {
        let mut merged: FacetFruit = vec![Vec::new(); self.fields.len()];
        let mut pairs: Vec<Vec<(Arc<str>, u64)>> = vec![Vec::new(); self.fields.len()];
        for segment in segments {
            match segment {
                SegmentFacets::Counts(segment) => {
                    for (total, counts) in merged.iter_mut().zip(segment) {
                        *total = merge_sorted_counts(std::mem::take(total), counts);
                    }
                }
                SegmentFacets::Statements(segment) => {
                    for (all, found) in pairs.iter_mut().zip(segment) {
                        all.extend(found);
                    }
                }
            }
        }
        if self.statements.is_some() {
            for (total, mut found) in merged.iter_mut().zip(pairs) {
                // A statement counts once per value, whichever segments hold
                // its matching copies.
                *total = count_statement_pairs(std::mem::take(&mut found));
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetCountsSegment {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(keys) = &self.statements {
            let statement = keys.key(doc);
            for facet in self.columns.iter_mut().flatten() {
                for ordinal in facet.column.term_ords(doc) {
                    let slot = match &facet.identities {
                        Some(fold) => match fold.slots.identity_of_ordinal.get(ordinal as usize) {
                            Some(&identity) if identity != NO_IDENTITY => {
                                IDENTITY_SLOT | u64::from(identity)
                            }
                            _ => ordinal,
                        },
                        None => ordinal,
                    };
                    facet.pairs.push((slot, statement));
                }
            }
            return;
        }
        for facet in self.columns.iter_mut().flatten() {
            let SegmentFacetColumn {
                column,
                counts,
                identities,
                ..
            } = facet;
            match identities {
                None => {
                    for ordinal in column.term_ords(doc) {
                        if let Some(count) = counts.get_mut(ordinal as usize) {
                            *count += 1;
                        }
                    }
                }
                Some(fold) => {
                    fold.in_document.clear();
                    for ordinal in column.term_ords(doc) {
                        let Some(count) = counts.get_mut(ordinal as usize) else {
                            continue;
                        };
                        *count += 1;
                        let identity = fold.slots.identity_of_ordinal[ordinal as usize];
                        if identity == NO_IDENTITY {
                            continue;
                        }
                        if fold.in_document.contains(&identity) {
                            *fold.repeated.entry(identity).or_default() += 1;
                        } else {
                            fold.in_document.push(identity);
                        }
                    }
                }
            }
        }
    }

    fn harvest(self) -> SegmentFacets {
        if self.statements.is_some() {
            return SegmentFacets::Statements(
                self.columns
                    .into_iter()
                    .map(|column| column.map(statement_pairs).unwrap_or_default())
                    .collect(),
            );
        }
        let counts = self
            .columns
            .into_iter()
            .map(|column| {
                let Some(SegmentFacetColumn {
                    terms,
                    counts,
                    identities,
                    ..
                }) = column
                else {
                    return Vec::new();
                };
                // Ordinal order is the dictionary's, i.e. sorted by value.
                let by_value = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, count)| **count > 0)
                    .map(|(ordinal, count)| (ordinal, u64::from(*count)));
                match identities {
                    None => by_value
                        .filter_map(|(ordinal, count)| {
                            terms.term(ordinal as u64).map(|term| (term.clone(), count))
                        })
                        .collect(),
                    Some(fold) => fold_into_identities(by_value, fold),
                }
            })
            .collect();
        SegmentFacets::Counts(counts)
    }
}

/// Statement counts per value from (value, statement key) pairs: a
/// statement counts once per value however many of its copies carry it;
/// sorted by value.
pub fn count_statement_pairs(mut pairs: Vec<(Arc<str>, u64)>) -> Vec<(Arc<str>, u64)> {
    pairs.sort_unstable();
    pairs.dedup();
    let mut counts: Vec<(Arc<str>, u64)> = Vec::new();
    for (value, _) in pairs {
        match counts.last_mut() {
            Some((last, count)) if *last == value => *count += 1,
            _ => counts.push((value, 1)),
        }
    }
    counts
}

/// A column's (value slot, statement) pairs as distinct (value, statement)
/// pairs, sorted.
fn statement_pairs(column: SegmentFacetColumn) -> Vec<(Arc<str>, u64)> {
    let SegmentFacetColumn {
        terms,
        identities,
        mut pairs,
        ..
    } = column;
    pairs.sort_unstable();
    pairs.dedup();
    let mut named: Vec<(Arc<str>, u64)> = pairs
        .into_iter()
        .filter_map(|(slot, statement)| {
            let value = if slot & IDENTITY_SLOT != 0 {
                identities
                    .as_ref()?
                    .registry
                    .canonical_name((slot & !IDENTITY_SLOT) as u32)?
                    .clone()
            } else {
                terms.term(slot)?.clone()
            };
            Some((value, statement))
        })
        .collect();
    named.sort_unstable();
    named.dedup();
    named
}

/// Per-name counts of one segment, by term ordinal, folded into counts per
/// identity (names of no identity stay as they are), sorted by value: the
/// counts go to the segment's precomputed value slots, which are in name
/// order, so that only slot numbers are sorted.
fn fold_into_identities(
    by_ordinal: impl Iterator<Item = (usize, u64)>,
    fold: IdentityFold,
) -> Vec<(Arc<str>, u64)> {
    let slots = &fold.slots;
    let mut counted: Vec<(u32, u64)> = by_ordinal
        .filter_map(|(ordinal, count)| {
            let slot = *slots.slot_of_ordinal.get(ordinal)?;
            (slot != NO_SLOT).then_some((slot, count))
        })
        .collect();
    counted.sort_unstable_by_key(|&(slot, _)| slot);
    counted.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 += later.1;
        }
        same
    });
    for (identity, repeated) in fold.repeated {
        let Some(slot) = slots.slot_of_identity(identity) else {
            continue;
        };
        if let Ok(at) = counted.binary_search_by_key(&slot, |&(slot, _)| slot) {
            counted[at].1 -= u64::from(repeated);
        }
    }
    counted
        .into_iter()
        .map(|(slot, count)| (slots.names[slot as usize].clone(), count))
        .collect()
}

/// Sorts speaker counts by name and adds up those of one name: a canonical
/// name may also be a name of no identity, and is one facet value.
pub fn merge_same_names(values: &mut Vec<(Arc<str>, u64)>) {
    values.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    values.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 += later.1;
        }
        same
    });
}

/// Documents collected between two looks at the clock.
const DEADLINE_CHECK_EVERY_DOCS: u32 = 4096;

/// Runs `inner` until `deadline`: the clock is read before each segment and
/// every `DEADLINE_CHECK_EVERY_DOCS` (4096) matching documents; once it has passed,
/// collection stops and [`WithDeadline::expired`] turns true. The fruit is
/// then partial, and the caller must not present it as complete.
pub struct WithDeadline<C> {
    inner: C,
    deadline: Instant,
    expired: AtomicBool,
}

impl<C> WithDeadline<C> {
    /// Wraps `inner`.
    pub fn new(inner: C, deadline: Instant) -> Self {
        WithDeadline {
            inner,
            deadline,
            expired: AtomicBool::new(false),
        }
    }

    /// Whether collection was cut short.
    pub fn expired(&self) -> bool {
        self.expired.load(Ordering::Relaxed)
    }

    fn deadline_passed(&self) -> bool {
        if self.expired() {
            return true;
        }
        if Instant::now() >= self.deadline {
            self.expired.store(true, Ordering::Relaxed);
            return true;
        }
        false
    }
}

impl<C: Collector> Collector for WithDeadline<C> {
    type Fruit = C::Fruit;
    type Child = C::Child;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<C::Child> {
        self.inner.for_segment(segment, reader)
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<C::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(fruits)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<<C::Child as SegmentCollector>::Fruit> {
        let mut child = self.inner.for_segment(segment, reader)?;
        if self.deadline_passed() {
            return Ok(child.harvest());
        }
        let scoring = self.inner.requires_scoring();
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        let mut since_check = 0u32;
        while doc != tantivy::TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                let score = if scoring { scorer.score() } else { 0.0 };
                child.collect(doc, score);
            }
            since_check += 1;
            if since_check == DEADLINE_CHECK_EVERY_DOCS {
                since_check = 0;
                if self.deadline_passed() {
                    break;
                }
            }
            doc = scorer.advance();
        }
        Ok(child.harvest())
    }
}

/// Merges two lists of (value, count) sorted by value, adding the counts of
/// equal values.
fn merge_sorted_counts(
    left: Vec<(Arc<str>, u64)>,
    right: Vec<(Arc<str>, u64)>,
) -> Vec<(Arc<str>, u64)> {
    if left.is_empty() {
        return right;
    }
    if right.is_empty() {
        return left;
    }
    let mut merged = Vec::with_capacity(left.len().max(right.len()));
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let next = match (left.peek(), right.peek()) {
            (Some(a), Some(b)) => match a.0.cmp(&b.0) {
                std::cmp::Ordering::Less => left.next(),
                std::cmp::Ordering::Greater => right.next(),
                std::cmp::Ordering::Equal => {
                    let (value, a_count) = left.next().unwrap_or_default();
                    let b_count = right.next().map_or(0, |(_, count)| count);
                    Some((value, a_count + b_count))
                }
            },
            (Some(_), None) => left.next(),
            (None, Some(_)) => right.next(),
            (None, None) => break,
        };
        merged.extend(next);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_counts_merge_by_value() {
        let list = |items: &[(&str, u64)]| -> Vec<(Arc<str>, u64)> {
            items.iter().map(|(v, c)| (Arc::from(*v), *c)).collect()
        };
        let merged = merge_sorted_counts(
            list(&[("Baker", 2), ("Reagan", 1), ("Yeutter", 4)]),
            list(&[("Accra", 1), ("Reagan", 5), ("Zed", 1)]),
        );
        assert_eq!(
            merged,
            list(&[
                ("Accra", 1),
                ("Baker", 2),
                ("Reagan", 6),
                ("Yeutter", 4),
                ("Zed", 1)
            ])
        );
        assert_eq!(
            merge_sorted_counts(Vec::new(), list(&[("A", 1)])),
            list(&[("A", 1)])
        );
    }

    #[test]
    fn score_order_is_preserved() {
        let scores = [-1.5f32, -0.0, 0.0, 0.1, 1.0, 7.5, 1e9];
        for pair in scores.windows(2) {
            assert!(ordered_score(pair[0]) <= ordered_score(pair[1]), "{pair:?}");
        }
    }

    #[test]
    fn timestamps_order_and_leave_zero_free() {
        assert!(timestamp_secs_key(-100) > 0);
        assert!(timestamp_secs_key(-100) < timestamp_secs_key(1_700_000_000));
    }
}
