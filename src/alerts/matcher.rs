//! Matching each committed batch against every alert, without searching the
//! index: the batch's quote documents are indexed again in memory (one
//! segment, same schema and analyzers) and each alert's query runs on that
//! small index.
//!
//! Running 10,000 queries per batch would still cost, so alerts are indexed
//! by the terms they need (percolation): each alert's compiled query yields a
//! set of terms of which every matching document holds at least one (for a
//! conjunction the rarest clause's, for a disjunction the union; queries with
//! no such set, such as a date filter alone, are tried on every batch).
//! Streaming the batch's term dictionaries through that map gives the
//! candidate alerts; only they run their query. Batches queued behind a busy
//! matcher are matched together, as one.
//!
//! Queries are compiled against the index as it is after the commit (its
//! languages and speaker registry, so a `speaker` filter matches every name
//! of the identity, as `/v1/quotes` does) and kept until the alerts, the
//! languages of the index or (for alerts with a `speaker` filter) the
//! registry change.
//!
//! A matching quote fires only when it is new: a quote with the same words
//! (as statements normalise them) in the same article, or by the same speaker
//! identity, in the index before the batch is an update or a reprint and does
//! not fire; neither does a second copy within the batch. A quote without a
//! speaker is a reprint only of the same words of 6 or more (the statement
//! rule). Rewordings that statements fold do fire.

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::sync::mpsc;
use std::sync::Arc;

use serde_json::Value;
use tantivy::collector::DocSetCollector;
use tantivy::directory::RamDirectory;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value as _};
use tantivy::{DocAddress, DocSet, Index, Searcher, TantivyDocument, Term, TERMINATED};
use xxhash_rust::xxh3::xxh3_64;

use super::{AlertStore, Backlog};
use crate::analysis::tokenizers::normalize_keyword;
use crate::indexing::document::statement_text;
use crate::indexing::schema::{INDEXED_AT, STATEMENT_TEXT};
use crate::indexing::speaker_registry::SpeakerRegistry;
use crate::indexing::writer::{CommitObserver, CommittedBatch};
use crate::indexing::IndexStore;
use crate::search::{filtered_query, SearchLimits, SearchRequest, FACET_SPEAKER};

/// Turns the stored JSON of a quote into the event's quote (a `/v1/quotes`
/// hit); given by `http`, which owns wire shapes.
pub type QuoteFormatter = Arc<dyn Fn(&str) -> Result<Value, String> + Send + Sync>;
/// Reads an alert's saved query as `/v1/quotes` reads its parameters; given
/// by `http`, which owns request parameters.
pub type QueryReader = Arc<dyn Fn(&Value) -> Result<SearchRequest, String> + Send + Sync>;

/// Says whether a match of an alert (by slot) and a quote is left out.
type SkipMatch<'a> = dyn Fn(u32, DocAddress, &QuoteFields) -> bool + 'a;
/// Reads a matched quote: its stored JSON and the fields events and novelty
/// need.
type ReadQuote<'a> = dyn Fn(DocAddress) -> Result<(String, QuoteFields), String> + 'a;

/// Memory for indexing one batch in memory (tantivy's minimum).
const BATCH_INDEX_MEMORY: usize = 15_000_000;
/// Most quotes matched in one go when batches queued up are matched
/// together.
const MAX_COALESCED_QUOTES: usize = 10_000;
/// Fewest words of a quote without a speaker that make it a reprint.
const MIN_WORDS_UNATTRIBUTED_REPRINT: usize = 6;

/// One alert, compiled.
struct CompiledAlert {
    id: String,
    query: Box<dyn Query>,
    uses_speaker: bool,
    /// The names its `speaker` filter stood for in the registry it was
    /// compiled with: it is compiled again only when they change.
    speaker_names: Vec<String>,
    /// When it was created, in `indexed_at` units (microseconds).
    created_stamp: u64,
    /// How it is indexed in the [`Percolator`] (`None`: not yet).
    indexed: Option<Needed>,
    /// What it was compiled from.
    request: Arc<SearchRequest>,
}

/// How an alert is found for a batch.
enum Needed {
    /// By any of these terms, in [`Percolator::by_term`].
    Terms(Vec<Term>),
    /// On every batch, in [`Percolator::always`].
    Always,
}

/// Every alert compiled, and the map from terms to the alerts needing them.
#[derive(Default)]
struct Percolator {
    version: Option<u64>,
    languages: Arc<Vec<String>>,
    registry: Option<Arc<SpeakerRegistry>>,
    alerts: Vec<CompiledAlert>,
    by_term: HashMap<Field, HashMap<Vec<u8>, Vec<u32>>>,
    always: Vec<u32>,
}

/// Matches committed batches against the alerts of an [`AlertStore`].
pub struct AlertMatcher {
    store: IndexStore,
    alerts: Arc<AlertStore>,
    read_query: QueryReader,
    format: QuoteFormatter,
    limits: SearchLimits,
    percolator: Percolator,
    /// Each segment's statement texts, hashed (see [`StatementHashes`]).
    statement_hashes: StatementHashes,
}

/// What matching one batch found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Alerts whose query ran on the batch.
    pub candidates: usize,
    /// (alert, quote) pairs matching.
    pub matches: usize,
    /// Events recorded (matches that were new).
    pub events: usize,
}

impl AlertMatcher {
    /// A matcher of `alerts` for batches of `store`.
    pub fn new(
        store: IndexStore,
        alerts: Arc<AlertStore>,
        read_query: QueryReader,
        format: QuoteFormatter,
        limits: SearchLimits,
    ) -> AlertMatcher {
        AlertMatcher {
            store,
            alerts,
            read_query,
            format,
            limits,
            percolator: Percolator::default(),
            statement_hashes: StatementHashes::default(),
        }
    }

    /// Starts the matching thread and returns the observer to give the
    /// writer (see [`crate::indexing::IndexWriterHandle::start_observed`])
    /// and the thread, which ends once the writer (and so the observer) is
    /// gone and every batch handed to it is matched.
    ///
    /// Call it before the writer starts: the batches of the alerts' backlog
    /// (committed but never matched: a crash, or an import while no server
    /// ran) are matched first, on the index as it is now
    /// ([`AlertMatcher::catch_up`]).
    pub fn spawn(self) -> (Arc<dyn CommitObserver>, std::thread::JoinHandle<()>) {
        let (sender, receiver) = mpsc::channel::<CommittedBatch>();
        let alerts = self.alerts.clone();
        let backlog = self.alerts.backlog().unmatched();
        let now = self.store.searcher();
        let mut matcher = self;
        let thread = std::thread::Builder::new()
            .name("verbatim-alerts".to_owned())
            .spawn(move || {
                if let Some(&from) = backlog.first() {
                    match matcher.catch_up(&now, from) {
                        Ok(outcome) => {
                            tracing::info!(
                                batches = backlog.len(),
                                events = outcome.events,
                                "matched the alerts' backlog"
                            );
                            matcher.matched(&backlog);
                        }
                        Err(error) => {
                            tracing::error!(%error, "matching the alerts' backlog failed")
                        }
                    }
                }
                while let Ok(batch) = receiver.recv() {
                    let (batch, first_stamps) = coalesce(batch, &receiver);
                    match matcher.match_batch(&batch) {
                        Ok(_) => matcher.matched(&first_stamps),
                        Err(error) => {
                            tracing::error!(%error, "matching a batch against the alerts failed")
                        }
                    }
                }
            })
            .expect("the alert matching thread starts");
        let observer = Arc::new(BatchSender {
            sender: std::sync::Mutex::new(sender),
            alerts,
        });
        (observer, thread)
    }

    /// Matches one committed batch and records its events.
    pub fn match_batch(&mut self, batch: &CommittedBatch) -> Result<BatchOutcome, String> {
        if batch.quotes.is_empty() || !self.alerts.any() {
            return Ok(BatchOutcome::default());
        }
        self.refresh(&batch.after)?;
        if self.percolator.alerts.is_empty() {
            return Ok(BatchOutcome::default());
        }
        let searcher = self.index_batch(&batch.quotes).map_err(|e| e.to_string())?;
        let candidates = self.candidates(&searcher).map_err(|e| e.to_string())?;
        let mut matched: Vec<(DocAddress, u32)> = Vec::new();
        for &slot in &candidates {
            let query = &self.percolator.alerts[slot as usize].query;
            let docs = searcher
                .search(query.as_ref(), &DocSetCollector)
                .map_err(|e| e.to_string())?;
            matched.extend(docs.into_iter().map(|doc| (doc, slot)));
        }
        // The batch index holds the documents in batch order, without
        // their stored JSON: both are read from the batch itself.
        let fields = self.store.fields();
        let read = |address: DocAddress| {
            let document = batch
                .quotes
                .get(address.doc_id as usize)
                .ok_or("a batch document is missing")?;
            let stored = self
                .store
                .stored_json(document)
                .map_err(|e| e.to_string())?;
            let words = document
                .get_first(fields.statement_text)
                .and_then(|value| value.as_str())
                .map(str::to_owned);
            QuoteFields::read(stored, words)
        };
        let hashes = self.statement_hashes.of(&batch.before);
        let novelty = Novelty::new(&self.store, &batch.before, &batch.after, None, hashes);
        let mut outcome = self.record(matched, &read, novelty, None)?;
        outcome.candidates = candidates.len();
        Ok(outcome)
    }

    /// Matches every quote of `searcher` stamped `from` or later (the
    /// backlog) against the alerts and records the events not recorded
    /// already. Runs each alert's query on the index itself, restricted to
    /// those stamps: the batches are gone, and this happens once, at start.
    /// A quote is new when no quote stamped before `from` has its words in
    /// its article or by its speaker; an alert created after a quote was
    /// stamped does not fire for it.
    pub fn catch_up(&mut self, searcher: &Searcher, from: u64) -> Result<BatchOutcome, String> {
        if !self.alerts.any() {
            return Ok(BatchOutcome::default());
        }
        self.refresh(searcher)?;
        let recent: Box<dyn Query> = Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(self.store.fields().indexed_at, from)),
            Bound::Unbounded,
        ));
        let mut matched: Vec<(DocAddress, u32)> = Vec::new();
        for (slot, alert) in self.percolator.alerts.iter().enumerate() {
            let query =
                BooleanQuery::intersection(vec![alert.query.box_clone(), recent.box_clone()]);
            let docs = searcher
                .search(&query, &DocSetCollector)
                .map_err(|e| e.to_string())?;
            matched.extend(docs.into_iter().map(|doc| (doc, slot as u32)));
        }
        let candidates = matched
            .iter()
            .map(|(_, slot)| *slot)
            .collect::<HashSet<_>>()
            .len();
        // What each alert already has: (alert, article id, words).
        let mut recorded: HashSet<(String, String, String)> = HashSet::new();
        for alert in &self.percolator.alerts {
            for event in self
                .alerts
                .events_after(&alert.id, 0, usize::MAX)
                .unwrap_or_default()
            {
                if let Some(key) = event_key(&event.quote) {
                    recorded.insert((alert.id.clone(), key.0, key.1));
                }
            }
        }
        let stamps: Vec<Option<tantivy::columnar::Column<u64>>> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64(INDEXED_AT).ok())
            .collect();
        let alerts = &self.percolator.alerts;
        let skip = |slot: u32, address: DocAddress, quote: &QuoteFields| {
            let alert = &alerts[slot as usize];
            let stamp = stamps[address.segment_ord as usize]
                .as_ref()
                .and_then(|column| column.first(address.doc_id))
                .unwrap_or(0);
            stamp < alert.created_stamp
                || recorded.contains(&(
                    alert.id.clone(),
                    quote.article.id.clone(),
                    quote.quote.clone(),
                ))
        };
        let read = |address: DocAddress| {
            let document: TantivyDocument = searcher.doc(address).map_err(|e| e.to_string())?;
            let stored = self
                .store
                .stored_json(&document)
                .map_err(|e| e.to_string())?;
            QuoteFields::read(stored, None)
        };
        let hashes = self.statement_hashes.of(searcher);
        let novelty = Novelty::new(&self.store, searcher, searcher, Some(from), hashes);
        let mut outcome = self.record(matched, &read, novelty, Some(&skip))?;
        outcome.candidates = candidates;
        Ok(outcome)
    }

    /// Records that the batches first stamped `first_stamps` are matched;
    /// a failure leaves them in the backlog, matched again at next start.
    fn matched(&self, first_stamps: &[u64]) {
        if let Err(error) = self.alerts.backlog().matched(first_stamps) {
            tracing::error!(%error, "the alerts' backlog could not be updated");
        }
    }

    /// Turns `(quote, alert)` matches (quotes read by `read`) into events,
    /// once per alert and new quote (see [`Novelty`]), leaving out those
    /// `skip` refuses, and records them.
    fn record(
        &self,
        mut matched: Vec<(DocAddress, u32)>,
        read_quote: &ReadQuote<'_>,
        mut novelty: Novelty<'_>,
        skip: Option<&SkipMatch<'_>>,
    ) -> Result<BatchOutcome, String> {
        let mut outcome = BatchOutcome {
            matches: matched.len(),
            ..BatchOutcome::default()
        };
        if matched.is_empty() {
            return Ok(outcome);
        }
        matched.sort_unstable();
        // Keys of new quotes, numbered: an alert fires once per key.
        let mut key_numbers: HashMap<String, u32> = HashMap::new();
        let mut keys_of: HashMap<DocAddress, Option<(u32, u32)>> = HashMap::new();
        let mut fired: HashSet<(u32, u32)> = HashSet::new();
        let mut events: Vec<(String, Arc<Value>)> = Vec::new();
        let mut formatted: HashMap<DocAddress, Arc<Value>> = HashMap::new();
        let mut read: HashMap<DocAddress, (String, QuoteFields)> = HashMap::new();
        for (address, slot) in matched {
            if let std::collections::hash_map::Entry::Vacant(entry) = read.entry(address) {
                entry.insert(read_quote(address)?);
            }
            let (stored, fields) = &read[&address];
            if skip.is_some_and(|skip| skip(slot, address, fields)) {
                continue;
            }
            // Decided once per quote, new or not, however many alerts match it.
            let keys = match keys_of.get(&address) {
                Some(keys) => *keys,
                None => {
                    let keys = novelty.check(fields)?.map(|seen| {
                        let mut number = |key: String| {
                            let next = key_numbers.len() as u32;
                            *key_numbers.entry(key).or_insert(next)
                        };
                        (number(seen.article_key), number(seen.speaker_key))
                    });
                    keys_of.insert(address, keys);
                    keys
                }
            };
            let Some((article_key, speaker_key)) = keys else {
                continue;
            };
            // Both keys are recorded; the alert fires when neither was
            // (they are one key for a quote without a speaker).
            let by_article = fired.insert((slot, article_key));
            let by_speaker = fired.insert((slot, speaker_key)) || speaker_key == article_key;
            if !(by_article && by_speaker) {
                continue;
            }
            let quote = match formatted.get(&address) {
                Some(quote) => quote.clone(),
                None => {
                    let quote = Arc::new((self.format)(stored)?);
                    formatted.insert(address, quote.clone());
                    quote
                }
            };
            events.push((self.percolator.alerts[slot as usize].id.clone(), quote));
        }
        outcome.events = events.len();
        self.alerts
            .append_events(events)
            .map_err(|e| e.to_string())?;
        Ok(outcome)
    }

    /// Recompiles what changed since the last batch: every alert when the
    /// alerts or the languages of the index changed, those with a `speaker`
    /// filter when the names their speakers stand for in the registry did.
    fn refresh(&mut self, after: &Searcher) -> Result<(), String> {
        let languages = self.store.languages(after);
        let percolator = &mut self.percolator;
        let reread =
            percolator.version != Some(self.alerts.version()) || percolator.languages != languages;
        if reread {
            let (alerts, version) = self.alerts.alerts();
            percolator.alerts.clear();
            percolator.by_term.clear();
            percolator.always.clear();
            for alert in alerts {
                match (self.read_query)(&alert.query) {
                    Ok(request) => percolator.alerts.push(CompiledAlert {
                        id: alert.id,
                        query: Box::new(tantivy::query::EmptyQuery),
                        uses_speaker: request
                            .filters
                            .iter()
                            .any(|(name, _)| name == FACET_SPEAKER),
                        speaker_names: Vec::new(),
                        indexed: None,
                        created_stamp: u64::try_from(alert.created)
                            .unwrap_or(0)
                            .saturating_mul(1_000_000),
                        request: Arc::new(request),
                    }),
                    Err(error) => {
                        tracing::warn!(alert = %alert.id, %error, "an alert's query no longer reads")
                    }
                }
            }
            percolator.version = Some(version);
            percolator.languages = languages;
        }
        let registry = if percolator.alerts.iter().any(|alert| alert.uses_speaker) {
            Some(
                self.store
                    .speaker_registry(after)
                    .map_err(|e| e.to_string())?,
            )
        } else {
            None
        };
        let registry_changed = match (&registry, &percolator.registry) {
            (Some(new), Some(known)) => !Arc::ptr_eq(new, known),
            (None, None) => false,
            _ => true,
        };
        if !reread && !registry_changed {
            return Ok(());
        }
        let mut recompiled = Vec::new();
        // Many alerts follow the same speakers: each filter is resolved once.
        let mut names_of: HashMap<Vec<String>, Vec<String>> = HashMap::new();
        for (slot, alert) in percolator.alerts.iter_mut().enumerate() {
            let names = match &registry {
                Some(registry) if alert.uses_speaker => names_of
                    .entry(speaker_filter(&alert.request))
                    .or_insert_with_key(|values| speaker_names(registry, values))
                    .clone(),
                _ => Vec::new(),
            };
            if !reread && names == alert.speaker_names {
                continue;
            }
            alert.speaker_names = names;
            alert.query = match compile(&self.store, after, &alert.request, self.limits) {
                Ok(query) => query,
                Err(error) => {
                    tracing::warn!(alert = %alert.id, %error, "an alert's query does not compile");
                    Box::new(tantivy::query::EmptyQuery)
                }
            };
            recompiled.push(slot as u32);
        }
        percolator.registry = registry;
        index_terms(percolator, &recompiled, after);
        Ok(())
    }

    /// Indexes the batch's quote documents in memory, in one segment, in
    /// batch order (document `i` is `quotes[i]`) and without their stored
    /// JSON, which is read from the batch.
    fn index_batch(&self, quotes: &[TantivyDocument]) -> tantivy::Result<Searcher> {
        let main = self.store.index();
        let mut writer = Index::builder()
            .schema(main.schema())
            .tokenizers(main.tokenizers().clone())
            .fast_field_tokenizers(main.fast_field_tokenizer().clone())
            .single_segment_index_writer::<TantivyDocument>(
                RamDirectory::create(),
                BATCH_INDEX_MEMORY,
            )?;
        let stored = self.store.fields().stored;
        for document in quotes {
            let mut indexed = TantivyDocument::new();
            for (field, value) in document.field_values() {
                if field != stored {
                    indexed.add_field_value(field, value);
                }
            }
            writer.add_document(indexed)?;
        }
        let searcher = writer.finalize()?.reader()?.searcher();
        debug_assert_eq!(searcher.num_docs(), quotes.len() as u64);
        Ok(searcher)
    }

    /// The alerts whose needed terms the batch holds, and those that need none.
    fn candidates(&self, searcher: &Searcher) -> tantivy::Result<Vec<u32>> {
        let percolator = &self.percolator;
        let mut chosen = vec![false; percolator.alerts.len()];
        for slot in &percolator.always {
            chosen[*slot as usize] = true;
        }
        for segment in searcher.segment_readers() {
            for (field, by_value) in &percolator.by_term {
                let inverted = segment.inverted_index(*field)?;
                let mut terms = inverted.terms().stream()?;
                while terms.advance() {
                    if let Some(slots) = by_value.get(terms.key()) {
                        for slot in slots {
                            chosen[*slot as usize] = true;
                        }
                    }
                }
            }
        }
        Ok(chosen
            .iter()
            .enumerate()
            .filter(|(_, chosen)| **chosen)
            .map(|(slot, _)| slot as u32)
            .collect())
    }
}

/// The values of the `speaker` filter of `request`.
fn speaker_filter(request: &SearchRequest) -> Vec<String> {
    request
        .filters
        .iter()
        .filter(|(name, _)| name == FACET_SPEAKER)
        .flat_map(|(_, values)| values.iter().cloned())
        .collect()
}

/// `batch` and the batches queued behind it (while their quotes number at
/// most [`MAX_COALESCED_QUOTES`]) as one batch, with the first stamps of
/// each. A matcher that fell behind the writer catches up by matching them
/// together: the per-batch costs (the in-memory index, recompiling, one query
/// per candidate alert, one write of events) are paid once. The events are
/// those of matching them one by one: novelty is judged against the index
/// before the first, and a quote repeated in a later batch is a second copy
/// within the batch.
fn coalesce(
    mut batch: CommittedBatch,
    queue: &mpsc::Receiver<CommittedBatch>,
) -> (CommittedBatch, Vec<u64>) {
    let mut first_stamps = vec![batch.first_stamp];
    while batch.quotes.len() < MAX_COALESCED_QUOTES {
        let Ok(next) = queue.try_recv() else {
            break;
        };
        first_stamps.push(next.first_stamp);
        batch.quotes.extend(next.quotes);
        batch.after = next.after;
        batch.first_stamp = batch.first_stamp.min(next.first_stamp);
    }
    (batch, first_stamps)
}

/// The names the `speaker` filter `values` stand for in `registry`, sorted:
/// what an alert's compiled query depends on in the registry.
fn speaker_names(registry: &SpeakerRegistry, values: &[String]) -> Vec<String> {
    let mut names: Vec<String> = values
        .iter()
        .flat_map(|value| registry.filter_values(value))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The article id and words of an event's quote (a `/v1/quotes` hit).
fn event_key(quote: &Value) -> Option<(String, String)> {
    Some((
        quote.get("article")?.get("id")?.as_str()?.to_owned(),
        quote.get("quote")?.as_str()?.to_owned(),
    ))
}

/// Compiles an alert's request as `/v1/quotes` would run it on `searcher`.
fn compile(
    store: &IndexStore,
    searcher: &Searcher,
    request: &SearchRequest,
    limits: SearchLimits,
) -> Result<Box<dyn Query>, String> {
    let user_query = request
        .compile_user_query(store, searcher, limits)
        .map_err(|e| e.to_string())?;
    filtered_query(store, searcher, request, user_query)
        .map(|query| Box::new(query) as Box<dyn Query>)
        .map_err(|e| e.to_string())
}

/// Indexes the alerts at `slots` in the term → alerts map (taking out what
/// they were indexed by before); the rarest clause (by document frequency in
/// `searcher`) is chosen where a query has several.
fn index_terms(percolator: &mut Percolator, slots: &[u32], searcher: &Searcher) {
    let mut frequencies: HashMap<Term, u64> = HashMap::new();
    let mut frequency = |term: &Term| -> u64 {
        *frequencies
            .entry(term.clone())
            .or_insert_with(|| searcher.doc_freq(term).unwrap_or(u64::MAX / 4))
    };
    for &slot in slots {
        let alert = &mut percolator.alerts[slot as usize];
        let needed = match needed_terms(alert.query.as_ref(), &mut frequency) {
            Some((terms, _)) => Needed::Terms(terms),
            None => Needed::Always,
        };
        let new_terms = match &needed {
            Needed::Terms(terms) => Some(terms.clone()),
            Needed::Always => None,
        };
        match alert.indexed.replace(needed) {
            None => {}
            Some(Needed::Terms(terms)) => {
                for term in terms {
                    if let Some(slots) = percolator
                        .by_term
                        .get_mut(&term.field())
                        .and_then(|by_value| by_value.get_mut(term.serialized_value_bytes()))
                    {
                        slots.retain(|known| *known != slot);
                    }
                }
            }
            Some(Needed::Always) => percolator.always.retain(|known| *known != slot),
        }
        match new_terms {
            Some(terms) => {
                for term in terms {
                    percolator
                        .by_term
                        .entry(term.field())
                        .or_default()
                        .entry(term.serialized_value_bytes().to_vec())
                        .or_default()
                        .push(slot);
                }
            }
            None => percolator.always.push(slot),
        }
    }
}

/// Terms of which every document matching `query` holds one, with their
/// total document frequency (the cost of choosing them), or `None` when no
/// such set is known.
///
/// `BoostQuery` and `ConstScoreQuery` do not show what they wrap; the terms
/// they visit are taken whole, which is right for what Verbatim wraps in
/// them (boosted words and phrases, filters that OR keyword terms).
fn needed_terms(
    query: &dyn Query,
    frequency: &mut impl FnMut(&Term) -> u64,
) -> Option<(Vec<Term>, u64)> {
    if query.is::<tantivy::query::EmptyQuery>() {
        // Matches nothing: never a candidate.
        return Some((Vec::new(), 0));
    }
    if let Some(term_query) = query.downcast_ref::<TermQuery>() {
        let term = term_query.term().clone();
        let cost = frequency(&term);
        return Some((vec![term], cost));
    }
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        return phrase
            .phrase_terms()
            .into_iter()
            .map(|term| {
                let cost = frequency(&term);
                (vec![term], cost)
            })
            .min_by_key(|(_, cost)| *cost);
    }
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses = boolean.clauses();
        let musts: Vec<&dyn Query> = clauses
            .iter()
            .filter(|(occur, _)| *occur == Occur::Must)
            .map(|(_, q)| q.as_ref())
            .collect();
        if !musts.is_empty() {
            return musts
                .into_iter()
                .filter_map(|q| needed_terms(q, frequency))
                .min_by_key(|(_, cost)| *cost);
        }
        let mut union = Vec::new();
        let mut total = 0u64;
        let mut any = false;
        for (occur, clause) in clauses {
            if *occur == Occur::Should {
                let (terms, cost) = needed_terms(clause.as_ref(), frequency)?;
                union.extend(terms);
                total = total.saturating_add(cost);
                any = true;
            }
        }
        return any.then_some((union, total));
    }
    if query.is::<BoostQuery>() || query.is::<ConstScoreQuery>() {
        let mut terms = Vec::new();
        query.query_terms(&mut |term, _| terms.push(term.clone()));
        if terms.is_empty() {
            return None;
        }
        let cost = terms
            .iter()
            .map(&mut *frequency)
            .fold(0u64, u64::saturating_add);
        return Some((terms, cost));
    }
    None
}

/// The keys a new quote is known by within one batch: by article and words,
/// and by speaker identity and words.
struct SeenKeys {
    article_key: String,
    speaker_key: String,
}

/// Decides whether matched quotes were in the index before them.
struct Novelty<'a> {
    store: &'a IndexStore,
    /// The index before the quotes.
    before: &'a Searcher,
    /// The index with them (its speaker registry names their speakers).
    after: &'a Searcher,
    /// Quotes of `before` stamped (`indexed_at`) at or after this were not
    /// there before (a backlog matched on the index itself).
    stamped_before: Option<u64>,
    registry: Option<Option<Arc<SpeakerRegistry>>>,
    /// Each segment's readers, opened at the first check.
    segments: Option<Vec<Option<SegmentNovelty>>>,
    /// Each segment's statement-text hashes, in segment order.
    hashes: Vec<Arc<SegmentStatements>>,
}

/// What events and novelty read of a matched quote's stored JSON.
#[derive(serde::Deserialize)]
struct QuoteFields {
    quote: String,
    #[serde(default)]
    speaker: Option<String>,
    article: ArticleId,
    /// The quote's words as statements normalise them (the document's
    /// statement text when it has one, else computed).
    #[serde(skip)]
    words: String,
}

impl QuoteFields {
    /// The stored JSON (owned) and its fields, with the statement text
    /// `words` when the document carries it.
    fn read(stored: &str, words: Option<String>) -> Result<(String, QuoteFields), String> {
        let mut fields: QuoteFields = serde_json::from_str(stored).map_err(|e| e.to_string())?;
        fields.words = words
            .or_else(|| statement_text(&fields.quote))
            .unwrap_or_else(|| fields.quote.clone());
        Ok((stored.to_owned(), fields))
    }
}

#[derive(serde::Deserialize)]
struct ArticleId {
    id: String,
}

impl<'a> Novelty<'a> {
    fn new(
        store: &'a IndexStore,
        before: &'a Searcher,
        after: &'a Searcher,
        stamped_before: Option<u64>,
        hashes: Vec<Arc<SegmentStatements>>,
    ) -> Self {
        Novelty {
            store,
            before,
            after,
            stamped_before,
            registry: None,
            segments: None,
            hashes,
        }
    }

    fn registry(&mut self) -> Option<Arc<SpeakerRegistry>> {
        if self.registry.is_none() {
            self.registry = Some(self.store.speaker_registry(self.after).ok());
        }
        self.registry.clone().flatten()
    }

    /// The keys of a quote when it is new to the index, else `None`.
    fn check(&mut self, fields: &QuoteFields) -> Result<Option<SeenKeys>, String> {
        let words = &fields.words;
        let names: Vec<String> = match &fields.speaker {
            Some(speaker) => match self.registry() {
                Some(registry) => registry.filter_values(speaker),
                None => vec![speaker.clone()],
            },
            None => Vec::new(),
        };
        let identity = names
            .first()
            .map(|name| normalize_keyword(name))
            .unwrap_or_default();
        let new = self
            .is_new(&fields.article.id, &names, words)
            .map_err(|e| e.to_string())?;
        Ok(new.then(|| SeenKeys {
            article_key: format!("a\u{1f}{}\u{1f}{words}", fields.article.id),
            speaker_key: if identity.is_empty() {
                format!("a\u{1f}{}\u{1f}{words}", fields.article.id)
            } else {
                format!("s\u{1f}{identity}\u{1f}{words}")
            },
        }))
    }

    /// Whether no quote with these words was, before the batch, in the same
    /// article or said by one of `names` (or, unattributed and long enough,
    /// anywhere).
    fn is_new(&mut self, article_id: &str, names: &[String], words: &str) -> tantivy::Result<bool> {
        let fields = self.store.fields();
        let mut terms = vec![Term::from_field_text(fields.article_id, article_id)];
        terms.extend(
            names
                .iter()
                .map(|name| Term::from_field_text(fields.speaker, &normalize_keyword(name))),
        );
        let unattributed_reprint =
            names.is_empty() && words.split(' ').count() >= MIN_WORDS_UNATTRIBUTED_REPRINT;
        if self.segments.is_none() {
            self.segments = Some(self.open_segments()?);
        }
        let segments = self.segments.as_ref().expect("opened above");
        let hash = xxh3_64(words.as_bytes());
        for ((segment, readers), hashes) in self
            .before
            .segment_readers()
            .iter()
            .zip(segments)
            .zip(&self.hashes)
        {
            let Some(readers) = readers else {
                continue;
            };
            // Most quotes are new: their words are in no segment, which the
            // hashes tell without the dictionary look-up.
            if hashes.sorted.binary_search(&hash).is_err() {
                continue;
            }
            let mut postings = Vec::new();
            if !unattributed_reprint {
                for term in &terms {
                    let inverted = if term.field() == fields.article_id {
                        &readers.article
                    } else {
                        &readers.speaker
                    };
                    if let Some(list) = inverted.read_postings(term, IndexRecordOption::Basic)? {
                        postings.push(list);
                    }
                }
                if postings.is_empty() {
                    continue;
                }
            }
            // A document has the words when its statement text's hash is
            // theirs (compared by ordinal: no dictionary block is read), and
            // the text itself is, read once the hashes agree.
            let alive = segment.alive_bitset();
            let mut text = String::new();
            let mut same = |doc: tantivy::DocId| {
                alive.is_none_or(|bits| bits.is_alive(doc))
                    && readers.words.term_ords(doc).next().is_some_and(|ordinal| {
                        hashes.by_ordinal.get(ordinal as usize) == Some(&hash)
                            && readers
                                .words
                                .ord_to_str(ordinal, &mut text)
                                .unwrap_or(false)
                            && text == words
                    })
                    && match (&readers.stamps, self.stamped_before) {
                        (Some(stamps), Some(limit)) => {
                            stamps.first(doc).is_some_and(|stamp| stamp < limit)
                        }
                        _ => true,
                    }
            };
            if unattributed_reprint {
                if (0..segment.max_doc()).any(&mut same) {
                    return Ok(false);
                }
                continue;
            }
            for mut list in postings {
                let mut doc = list.doc();
                while doc != TERMINATED {
                    if same(doc) {
                        return Ok(false);
                    }
                    doc = list.advance();
                }
            }
        }
        Ok(true)
    }

    /// What [`Novelty::is_new`] reads of each segment of `before` (`None`
    /// for a segment without statement texts).
    fn open_segments(&self) -> tantivy::Result<Vec<Option<SegmentNovelty>>> {
        let fields = self.store.fields();
        self.before
            .segment_readers()
            .iter()
            .map(|segment| {
                let Some(words) = segment.fast_fields().str(STATEMENT_TEXT)? else {
                    return Ok(None);
                };
                Ok(Some(SegmentNovelty {
                    words,
                    stamps: match self.stamped_before {
                        Some(_) => Some(segment.fast_fields().u64(INDEXED_AT)?),
                        None => None,
                    },
                    article: segment.inverted_index(fields.article_id)?,
                    speaker: segment.inverted_index(fields.speaker)?,
                }))
            })
            .collect()
    }
}

/// The statement texts of each segment as xxh3 hashes, kept across batches
/// (segments never change; a merged one is hashed once). Telling that a
/// quote's words are in no segment then costs one binary search per segment,
/// and telling which documents have them one comparison per document, instead
/// of look-ups in each segment's statement-text dictionary (a zstd block
/// decompressed per look-up), the matcher's largest cost when it was
/// measured. 16 bytes per distinct statement text.
#[derive(Default)]
struct StatementHashes {
    by_segment: HashMap<tantivy::index::SegmentId, Arc<SegmentStatements>>,
}

/// The statement-text hashes of one segment.
#[derive(Default)]
struct SegmentStatements {
    /// Sorted, for membership.
    sorted: Vec<u64>,
    /// By the text's ordinal in the segment's statement-text column.
    by_ordinal: Vec<u64>,
}

impl StatementHashes {
    /// The hashes of each segment of `searcher`, in segment order; forgets
    /// segments it no longer has.
    fn of(&mut self, searcher: &Searcher) -> Vec<Arc<SegmentStatements>> {
        let segments = searcher.segment_readers();
        self.by_segment
            .retain(|id, _| segments.iter().any(|segment| segment.segment_id() == *id));
        segments
            .iter()
            .map(|segment| {
                self.by_segment
                    .entry(segment.segment_id())
                    .or_insert_with(|| Arc::new(hash_statement_texts(segment)))
                    .clone()
            })
            .collect()
    }
}

/// The hashes of the statement texts of `segment` (none when it has no such
/// column or it cannot be read: novelty then finds nothing there).
fn hash_statement_texts(segment: &tantivy::SegmentReader) -> SegmentStatements {
    let mut by_ordinal = Vec::new();
    if let Ok(Some(column)) = segment.fast_fields().str(STATEMENT_TEXT) {
        if let Ok(mut terms) = column.dictionary().stream() {
            by_ordinal.reserve(column.dictionary().num_terms());
            // The stream yields the terms in ordinal order.
            while terms.advance() {
                by_ordinal.push(xxh3_64(terms.key()));
            }
        }
    }
    let mut sorted = by_ordinal.clone();
    sorted.sort_unstable();
    SegmentStatements { sorted, by_ordinal }
}

/// The columns and postings of one segment that novelty reads.
struct SegmentNovelty {
    words: tantivy::columnar::StrColumn,
    stamps: Option<tantivy::columnar::Column<u64>>,
    article: Arc<tantivy::InvertedIndexReader>,
    speaker: Arc<tantivy::InvertedIndexReader>,
}

/// The writer's side of the matcher: hands committed batches to the
/// matching thread.
struct BatchSender {
    sender: std::sync::Mutex<mpsc::Sender<CommittedBatch>>,
    alerts: Arc<AlertStore>,
}

impl CommitObserver for BatchSender {
    fn wants_quotes(&self) -> bool {
        self.alerts.any()
    }

    fn committing(&self, first_stamp: u64) {
        record_committing(self.alerts.backlog(), first_stamp);
    }

    fn committed(&self, batch: CommittedBatch) {
        let sender = self.sender.lock().unwrap_or_else(|e| e.into_inner());
        if sender.send(batch).is_err() {
            tracing::error!("the alert matching thread stopped; a batch was not matched");
        }
    }
}

/// The observer of a writer no matcher follows (`verbatim import` on an
/// index with alerts while no server runs): each batch stays in the
/// backlog, and the next server matches it before anything else. It needs
/// the batches' stamps, not copies of their quotes.
pub struct BacklogRecorder {
    backlog: Backlog,
}

impl BacklogRecorder {
    /// An observer recording the batches of a writer in `backlog`.
    pub fn observer(backlog: Backlog) -> Arc<dyn CommitObserver> {
        Arc::new(BacklogRecorder { backlog })
    }
}

impl CommitObserver for BacklogRecorder {
    fn wants_quotes(&self) -> bool {
        true
    }

    fn wants_copies(&self) -> bool {
        false
    }

    fn committing(&self, first_stamp: u64) {
        record_committing(&self.backlog, first_stamp);
    }

    fn committed(&self, _batch: CommittedBatch) {}
}

/// Puts a batch about to be committed in the backlog. A failure is logged
/// and the commit goes on: the index is what was asked for; only a crash
/// before this batch is matched would then lose its events.
fn record_committing(backlog: &Backlog, first_stamp: u64) {
    if let Err(error) = backlog.committing(first_stamp) {
        tracing::error!(%error, "the alerts' backlog could not record a batch");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tokenizers::LanguageAnalyzers;
    use crate::analysis::Analyzer;
    use crate::config::Settings;
    use crate::http::alert_matcher;
    use crate::indexing::writer::{Durability, WriteOp, WriterOptions};
    use crate::indexing::IndexWriterHandle;
    use crate::ingest::{parse_article, prepare_article, ArticleLimits};

    /// An article whose body is `body`.
    fn article(id: &str, body: &str) -> crate::model::Article {
        let json = serde_json::json!({"id": id, "title": "Budget", "body": body}).to_string();
        parse_article(
            json.as_bytes(),
            ArticleLimits {
                max_article_bytes: 1 << 20,
            },
        )
        .unwrap()
    }

    const TAXES: &str = "\u{201c}We will not raise taxes on working families this year,\u{201d} \
        Chancellor Gordon Brown said on Monday.";
    const SPENDING: &str =
        "\u{201c}Spending on schools and hospitals will rise again next year,\u{201d} \
        Chancellor Gordon Brown said on Tuesday.";

    /// Writes each batch of articles in one commit with the matcher attached,
    /// and gives the number of events each alert has after all of them.
    fn events_after(batches: &[Vec<crate::model::Article>], queries: &[Value]) -> Vec<u64> {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), queries, batches, true)
    }

    /// Adds `queries` as alerts to the index in `dir`, writes each batch in
    /// one commit, with the matcher attached (`matching`) or only the
    /// backlog recorded (as `verbatim import` does while no server runs),
    /// and gives the number of events of each alert after all of them.
    fn write(
        dir: &std::path::Path,
        queries: &[Value],
        batches: &[Vec<crate::model::Article>],
        matching: bool,
    ) -> Vec<u64> {
        let store =
            IndexStore::open_or_create(dir, Arc::new(LanguageAnalyzers::without_dictionaries()))
                .unwrap();
        let alerts = Arc::new(AlertStore::open(dir).unwrap());
        alerts
            .add_many(
                queries
                    .iter()
                    .enumerate()
                    .map(|(i, query)| (format!("alert {i}"), query.clone(), None))
                    .collect(),
            )
            .unwrap();
        let settings = Settings::built_in();
        let (observer, matcher_thread) = if matching {
            let (observer, thread) =
                alert_matcher(store.clone(), alerts.clone(), &settings).spawn();
            (observer, Some(thread))
        } else {
            (BacklogRecorder::observer(Backlog::open(dir).unwrap()), None)
        };
        let options = WriterOptions {
            memory_bytes: 50 << 20,
            threads: 1,
            max_ops_per_commit: 10_000,
        };
        let (writer, writer_thread) =
            IndexWriterHandle::start_observed(&store, options, Some(observer)).unwrap();
        let analyzer = Analyzer::with_defaults();
        for batch in batches {
            let prepared = batch
                .iter()
                .map(|article| prepare_article(&analyzer, store.fields(), article.clone()))
                .collect();
            writer
                .write_blocking(WriteOp::Upsert(prepared), Durability::Commit)
                .unwrap();
        }
        writer
            .write_blocking(WriteOp::Shutdown, Durability::Commit)
            .unwrap();
        drop(writer);
        writer_thread.join();
        if let Some(thread) = matcher_thread {
            thread.join().unwrap();
        }
        alerts
            .alerts()
            .0
            .iter()
            .map(|alert| alerts.last_event_id(&alert.id).unwrap_or(0))
            .collect()
    }

    #[test]
    fn a_quote_fires_once_and_its_update_and_reprints_do_not() {
        let by_speaker = serde_json::json!({"speaker": "Gordon Brown"});
        let by_word = serde_json::json!({"q": "taxes"});
        let queries = [by_speaker, by_word];
        // Alone: the speaker's quote fires both alerts once.
        assert_eq!(events_after(&[vec![article("a", TAXES)]], &queries), [1, 1]);
        // The same article again (an unchanged update), then a reprint of
        // the quote in another article: nothing new fires; a new quote of
        // the speaker in that article does.
        let batches = [
            vec![article("a", TAXES)],
            vec![article("a", TAXES)],
            vec![article("b", &format!("{TAXES} {SPENDING}"))],
        ];
        assert_eq!(events_after(&batches, &queries), [2, 1]);
        // Two copies within one batch fire once.
        let batches = [vec![article("a", TAXES), article("b", TAXES)]];
        assert_eq!(events_after(&batches, &queries), [1, 1]);
    }

    #[test]
    fn a_quote_without_a_speaker_fires_once() {
        const UNATTRIBUTED: &str =
            "The memo was short. \u{201c}Nobody will pay more taxes this year.\u{201d}";
        let analysis = Analyzer::with_defaults().analyze_text("", UNATTRIBUTED, Some("en"));
        assert_eq!(analysis.quotes.len(), 1, "{:#?}", analysis.quotes);
        assert_eq!(analysis.quotes[0].speaker, None, "{:#?}", analysis.quotes);
        let by_word = serde_json::json!({"q": "taxes"});
        // Its two keys (by article, by speaker) are one: it still fires.
        let batches = [
            vec![article("a", UNATTRIBUTED)],
            vec![article("a", UNATTRIBUTED)],
        ];
        assert_eq!(events_after(&batches, &[by_word]), [1]);
    }

    #[test]
    fn the_backlog_fires_what_no_matcher_saw_and_nothing_already_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let queries = [
            serde_json::json!({"speaker": "Gordon Brown"}),
            serde_json::json!({"q": "taxes"}),
        ];
        // Matched as committed: one event each.
        assert_eq!(
            write(dir.path(), &queries, &[vec![article("a", TAXES)]], true),
            [1, 1]
        );
        // A crash after those events were written and before the batch was
        // recorded as matched leaves it in the backlog (stamp 0: every quote
        // is matched again); then an import while no server runs adds a
        // new quote of the speaker.
        Backlog::open(dir.path()).unwrap().committing(0).unwrap();
        let batches = [vec![article("b", SPENDING)]];
        assert_eq!(write(dir.path(), &[], &batches, false), [1, 1]);
        // The next matcher fires the new quote once and the first one not
        // again (it is among the alert's events already).
        assert_eq!(write(dir.path(), &[], &[], true), [2, 1]);
        assert!(Backlog::open(dir.path()).unwrap().unmatched().is_empty());
        // And a further start has nothing to do.
        assert_eq!(write(dir.path(), &[], &[], true), [2, 1]);
    }
}
