//! Verification of a claimed quote (`POST /v1/quotes/verify`): which attested
//! quotes come closest to the words someone says a speaker said, how close,
//! which words differ, whether the speaker is the one claimed, and the
//! earliest article that carries each.
//!
//! Three steps, on one searcher (one consistent snapshot):
//!
//! 1. **Candidates from the index.** The claim is analysed as the `quote`
//!    field is (every language of the index), and its [`CANDIDATE_TERMS`]
//!    rarest terms are OR'ed: BM25 ranks quotes sharing the claim's rarest
//!    words first, so a claim with words dropped, swapped or replaced still
//!    finds its quote, and the union of short posting lists stays fast at
//!    millions of quotes (block-max WAND when no dates are asked).
//!    The best [`CANDIDATES`] quotes are kept; with a claimed speaker, the
//!    best [`SPEAKER_CANDIDATES`] of that speaker's identity too, so a
//!    speaker's own quote is weighed even when common words bury it.
//! 2. **Re-ranking in Rust** with [`similarity::compare`] (words, order,
//!    characters; function words and inflections count little). Copies of
//!    one statement (the same words, by the same speaker identity) are one
//!    match; an exact phrase search finds every copy of each match returned
//!    (compared on fast fields, so only the earliest copy is read), and the
//!    earliest is the one shown: by `published`, undated after dated, then
//!    by when it was indexed.
//! 3. **The verdict** ([`Verdict`]), from the best match and, when a speaker
//!    is claimed, the best match of that speaker: `exact` when the claimed
//!    words are the quote's (whole, or a contiguous excerpt of at least
//!    [`similarity::MIN_EXCERPT_WORDS`] words), `close` when the score
//!    reaches [`CLOSE_SCORE`], `attributed_to_other` when such a quote
//!    exists but its speaker is someone else, `not_found` otherwise.
//!
//! Speakers are compared as identities of the speaker registry (an alias or
//! a surname the registry links matches its identity); a claimed name the
//! registry does not know matches a speaker whose folded name it equals or
//! whose words it is part of (`Blinken` → `Antony Blinken`). A quote with no
//! named speaker neither confirms nor contradicts a claimed one.

pub mod similarity;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::time::Instant;

use serde::Deserialize;
use tantivy::collector::TopDocs;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::{DocAddress, DocId, Searcher, SegmentReader, TantivyDocument};
use time::OffsetDateTime;

use crate::analysis::tokenizers::LanguageAnalyzers;
use crate::indexing::document::ArticleRef;
use crate::indexing::schema::{DOC_KEY, INDEXED_AT, PUBLISHED, SPEAKER, STATEMENT_TEXT};
use crate::indexing::speaker_registry::merge::fold_keyword;
use crate::indexing::speaker_registry::SpeakerRegistry;
use crate::indexing::{IndexError, IndexStore};
use crate::model::QuoteKind;
use collector_support::collect_ranked;
use similarity::{compare, word_diff, Exactness, Similarity, Words};

use super::query::{parse_query, QueryCompiler};
use super::statistics::KindStatistics;
use super::{
    filtered_query, PublishedRange, SearchError, SearchLimits, SearchRequest, Target, FACET_SPEAKER,
};

/// Quotes taken from the index by BM25 before re-ranking.
pub const CANDIDATES: usize = 64;
/// Quotes of the claimed speaker taken as well.
pub const SPEAKER_CANDIDATES: usize = 16;
/// Most distinct terms of a claim searched for.
pub const MAX_CLAIM_TERMS: usize = 64;
/// Terms of a claim searched for candidates: the rarest in the index.
pub const CANDIDATE_TERMS: usize = 12;
/// Most copies of one statement read to find the earliest.
pub const MAX_COPIES: usize = 256;
/// Score from which a quote is the same statement in other words. Tuned on
/// half A of `tools/score_verify.py`'s set only: the middle of the gap
/// between the best-scoring never-said narration sentence that no quote
/// holds (0.57) and the worst-scoring synonym misquote found (0.70).
pub const CLOSE_SCORE: f32 = 0.64;
/// How far below the best match the claimed speaker's best match may score
/// and still be the one the verdict is about.
pub const SPEAKER_MARGIN: f32 = 0.1;

/// A claim to verify, validated.
#[derive(Debug, Clone)]
pub struct VerifyRequest {
    /// The claimed words.
    pub text: String,
    /// Who is claimed to have said them.
    pub speaker: Option<String>,
    /// Only quotes of articles published in this range.
    pub published: PublishedRange,
    /// Matches to return.
    pub limit: usize,
}

/// What a verification concludes about the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The claimed words are an attested quote's (whole or an excerpt), by
    /// the claimed speaker (or no speaker was claimed).
    Exact,
    /// An attested quote says the same in other words.
    Close,
    /// The words (exact or close) are attested, said by someone other than
    /// the claimed speaker.
    AttributedToOther,
    /// No attested quote comes close.
    NotFound,
}

impl Verdict {
    /// The verdict as the API writes it (`attributed_to_other`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Exact => "exact",
            Verdict::Close => "close",
            Verdict::AttributedToOther => "attributed_to_other",
            Verdict::NotFound => "not_found",
        }
    }
}

/// The parts of a stored quote verification reads.
#[derive(Debug, Clone, Deserialize)]
pub struct AttestedQuote {
    /// The quoted words.
    pub quote: String,
    /// The speaker's name as its article gives it.
    #[serde(default)]
    pub speaker: Option<String>,
    /// The speaker's role.
    #[serde(default)]
    pub role: Option<String>,
    /// How the quote appears.
    pub kind: QuoteKind,
    /// First code point in the article body.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Position of the quote in its article.
    pub position: usize,
    /// The article.
    pub article: ArticleRef,
    /// When the quote's article was indexed (microseconds since the epoch;
    /// absent in indexes written before it was recorded).
    #[serde(default)]
    pub indexed_at: Option<u64>,
}

impl AttestedQuote {
    /// `article id#position`, as quote hits name quotes.
    pub fn id(&self) -> String {
        format!("{}#{}", self.article.id, self.position)
    }

    /// The order of "earliest": dated before undated, then by date, then by
    /// when indexed (unknown last), then by article id.
    fn earliness(&self) -> (bool, Option<OffsetDateTime>, u64, &str) {
        (
            self.article.published.is_none(),
            self.article.published,
            self.indexed_at.unwrap_or(u64::MAX),
            &self.article.id,
        )
    }
}

/// One attested statement close to the claim.
#[derive(Debug, Clone)]
pub struct VerifiedQuote {
    /// The earliest copy of the statement.
    pub earliest: AttestedQuote,
    /// How close the claim is to it.
    pub similarity: Similarity,
    /// The claim's words against the quote's (HTML, see [`word_diff`]).
    pub diff: String,
    /// The speaker's canonical name (the registry's, when a speaker was
    /// claimed; else as the article gives it).
    pub speaker: Option<String>,
    /// Whether the speaker is the claimed one (`None`: none claimed, or the
    /// quote names no speaker).
    pub speaker_matches: Option<bool>,
    /// Copies found (quotes with these words by this speaker).
    pub copies: usize,
}

/// The answer to a claim.
#[derive(Debug, Clone)]
pub struct Verification {
    /// The conclusion.
    pub verdict: Verdict,
    /// The canonical name of the claimed speaker's identity, when the
    /// registry knows it.
    pub claimed_speaker: Option<String>,
    /// The closest statements, best first (the one the verdict is about
    /// first).
    pub matches: Vec<VerifiedQuote>,
}

/// A candidate during re-ranking.
pub struct Candidate {
    quote: AttestedQuote,
    words: Words,
    similarity: Similarity,
    identity: String,
    speaker: Option<String>,
    speaker_matches: Option<bool>,
}

/// Verifies `request` on the current snapshot of `store`.
pub fn verify(
    store: &IndexStore,
    request: &VerifyRequest,
    limits: SearchLimits,
) -> Result<Verification, SearchError> {
    let started = Instant::now();
    let deadline = limits.timeout.map(|timeout| started + timeout);
    let searcher = store.searcher();
    let registry = match &request.speaker {
        Some(_) => Some(store.speaker_registry(&searcher)?),
        None => None,
    };
    let speakers = Speakers::new(registry.as_deref(), request.speaker.as_deref());

    // 1. Candidates.
    let fields = store.fields();
    let languages = store.languages(&searcher);
    let terms = rarest_terms(
        &searcher,
        fields.quote,
        claim_terms(store.analyzers(), &languages, &request.text),
    )?;
    let statistics = KindStatistics::new(store, &searcher, Target::Quotes)?;
    let mut addresses = Vec::new();
    if !terms.is_empty() {
        let any_term: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|term| {
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs));
                (Occur::Should, query)
            })
            .collect();
        let any_term = BooleanQuery::new(any_term);
        let base = search_request(request, Vec::new());
        if base.published.is_unbounded() {
            // Only quote documents have the `quote` field, so the bare
            // disjunction needs no kind filter, and ranks by block-max WAND:
            // blocks that cannot reach the best CANDIDATES are skipped.
            let top = TopDocs::with_limit(CANDIDATES).order_by_score();
            let hits = searcher.search_with_statistics_provider(&any_term, &top, &statistics)?;
            addresses.extend(hits.into_iter().map(|(_, address)| address));
        } else {
            let query = filtered_query(store, &searcher, &base, Box::new(any_term.clone()))?;
            addresses.extend(collect_ranked(
                &searcher,
                &statistics,
                &query,
                CANDIDATES,
                deadline,
                limits,
            )?);
        }
        if let Some(speaker) = &request.speaker {
            let own = search_request(
                request,
                vec![(FACET_SPEAKER.to_owned(), vec![speaker.clone()])],
            );
            let query = filtered_query(store, &searcher, &own, Box::new(any_term.clone()))?;
            addresses.extend(collect_ranked(
                &searcher,
                &statistics,
                &query,
                SPEAKER_CANDIDATES,
                deadline,
                limits,
            )?);
        }
    }
    addresses.sort_unstable();
    addresses.dedup();
    let quotes = addresses
        .into_iter()
        .map(|address| read_quote(store, &searcher, address))
        .collect::<Result<Vec<_>, _>>()?;
    conclude(request, &speakers, quotes, |candidate| {
        earliest_copy(store, &searcher, request, &speakers, candidate, limits)
    })
}

/// Steps 2 and 3 of a verification (see the module's docs), shared by every
/// backend: the candidate `quotes` re-ranked against the claim, one per
/// statement (words and speaker identity), the verdict, and for each match
/// returned its earliest copy and number of copies, which `earliest_copy`
/// finds in the store.
pub fn conclude<E>(
    request: &VerifyRequest,
    speakers: &Speakers<'_>,
    quotes: Vec<AttestedQuote>,
    mut earliest_copy: impl FnMut(&Candidate) -> Result<(Option<AttestedQuote>, usize), E>,
) -> Result<Verification, E> {
    let claim = Words::new(&request.text);
    // 2. Re-ranking, one entry per statement (words and speaker identity).
    let mut statements: HashMap<(String, String), Candidate> = HashMap::new();
    let mut copies: HashMap<(String, String), usize> = HashMap::new();
    for quote in quotes {
        let candidate = speakers.candidate(&claim, quote);
        let key = (candidate.words.normalized(), candidate.identity.clone());
        *copies.entry(key.clone()).or_default() += 1;
        match statements.get_mut(&key) {
            Some(known) if known.quote.earliness() <= candidate.quote.earliness() => {}
            Some(known) => *known = candidate,
            None => {
                statements.insert(key, candidate);
            }
        }
    }
    let mut ranked: Vec<Candidate> = statements.into_values().collect();
    ranked.sort_by(rank);

    // 3. The verdict, and the match it is about first.
    let acceptable = |candidate: &Candidate| {
        candidate.similarity.exactness != Exactness::No || candidate.similarity.score >= CLOSE_SCORE
    };
    let words_verdict = |candidate: &Candidate| match candidate.similarity.exactness {
        Exactness::No => Verdict::Close,
        _ => Verdict::Exact,
    };
    let verdict = match ranked.first() {
        None => Verdict::NotFound,
        Some(best) if !acceptable(best) => Verdict::NotFound,
        Some(best) if request.speaker.is_none() => words_verdict(best),
        Some(best) => {
            let best_score = best.similarity.score;
            let own = ranked.iter().position(|candidate| {
                candidate.speaker_matches == Some(true)
                    && acceptable(candidate)
                    && candidate.similarity.score >= best_score - SPEAKER_MARGIN
            });
            match own {
                Some(index) => {
                    let own = ranked.remove(index);
                    let verdict = words_verdict(&own);
                    ranked.insert(0, own);
                    verdict
                }
                None if best.speaker_matches == Some(false) => Verdict::AttributedToOther,
                None => words_verdict(best),
            }
        }
    };

    ranked.truncate(request.limit);
    let mut matches = Vec::with_capacity(ranked.len());
    for candidate in ranked {
        let key = (candidate.words.normalized(), candidate.identity.clone());
        let found = copies.get(&key).copied().unwrap_or(1);
        let (earliest, all) = earliest_copy(&candidate)?;
        matches.push(VerifiedQuote {
            diff: word_diff(&claim, &candidate.words),
            similarity: candidate.similarity,
            speaker: candidate.speaker,
            speaker_matches: candidate.speaker_matches,
            copies: all.max(found),
            earliest: earliest.unwrap_or(candidate.quote),
        });
    }
    Ok(Verification {
        verdict,
        claimed_speaker: speakers.claimed_speaker(),
        matches,
    })
}

impl Candidate {
    /// Its words as statements compare them (`statement_text`).
    pub fn statement_words(&self) -> String {
        self.words.normalized()
    }

    /// The key of its speaker's identity (see [`Speakers::identity`]).
    pub fn identity(&self) -> &str {
        &self.identity
    }
}

/// Best first: score, then the claimed speaker's, then the earliest.
fn rank(a: &Candidate, b: &Candidate) -> Ordering {
    b.similarity
        .score
        .total_cmp(&a.similarity.score)
        .then_with(|| {
            let own = |c: &Candidate| c.speaker_matches == Some(true);
            own(b).cmp(&own(a))
        })
        .then_with(|| a.quote.earliness().cmp(&b.quote.earliness()))
}

/// A search request over quotes with the claim's dates and `filters`, for
/// the embedded `filtered_query` and the OpenSearch candidate search.
pub fn search_request(
    request: &VerifyRequest,
    filters: Vec<(String, Vec<String>)>,
) -> SearchRequest {
    SearchRequest {
        filters,
        published: request.published,
        ..SearchRequest::everything(Target::Quotes)
    }
}

/// The distinct terms of `text` as the `quote` field indexes them, in every
/// language of the index (`languages`), at most [`MAX_CLAIM_TERMS`] (the
/// first ones).
pub fn claim_terms(analyzers: &LanguageAnalyzers, languages: &[String], text: &str) -> Vec<String> {
    let mut distinct: Vec<&str> = Vec::new();
    for language in languages.iter() {
        let language = analyzers.analyzer_language(language);
        if !distinct.contains(&language) {
            distinct.push(language);
        }
    }
    if distinct.is_empty() {
        distinct.push(crate::analysis::tokenizers::UNDETERMINED);
    }
    let mut terms: Vec<String> = Vec::new();
    for language in distinct {
        let mut analyzer = analyzers.query_analyzer(language);
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if terms.len() >= MAX_CLAIM_TERMS {
                return terms;
            }
            if !terms.contains(&token.text) {
                terms.push(token.text.clone());
            }
        }
    }
    terms
}

/// The [`CANDIDATE_TERMS`] of `terms` that fewest quotes contain (terms no
/// quote contains dropped): the words that tell a quote apart. A claim with
/// a few words dropped or replaced keeps most of them, and leaving out the
/// words every other quote has makes the candidate search a union of short
/// posting lists.
fn rarest_terms(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    terms: Vec<String>,
) -> Result<Vec<Term>, SearchError> {
    let mut counted = Vec::with_capacity(terms.len());
    for text in terms {
        let term = Term::from_field_text(field, &text);
        let frequency = searcher.doc_freq(&term)?;
        if frequency > 0 {
            counted.push((frequency, term));
        }
    }
    Ok(rarest(counted))
}

/// The [`CANDIDATE_TERMS`] terms of `counted` (document frequency, term;
/// frequencies above zero) that fewest quotes contain, ties in the order
/// given.
pub fn rarest<T>(mut counted: Vec<(u64, T)>) -> Vec<T> {
    counted.sort_by_key(|(frequency, _)| *frequency);
    counted.truncate(CANDIDATE_TERMS);
    counted.into_iter().map(|(_, term)| term).collect()
}

fn read_quote(
    store: &IndexStore,
    searcher: &Searcher,
    address: DocAddress,
) -> Result<AttestedQuote, SearchError> {
    let document: TantivyDocument = searcher.doc(address)?;
    let json = store.stored_json(&document)?;
    serde_json::from_str(json)
        .map_err(|e| SearchError::Index(IndexError::CorruptDocument(e.to_string())))
}

/// Who is claimed, and how speakers are matched against it.
pub struct Speakers<'a> {
    registry: Option<&'a SpeakerRegistry>,
    claimed: Option<&'a str>,
    claimed_identity: Option<u32>,
}

impl<'a> Speakers<'a> {
    /// The speaker `claimed`, matched through `registry` (read when a
    /// speaker is claimed).
    pub fn new(registry: Option<&'a SpeakerRegistry>, claimed: Option<&'a str>) -> Speakers<'a> {
        let claimed_identity = claimed
            .zip(registry)
            .and_then(|(name, registry)| registry.position(name));
        Speakers {
            registry,
            claimed,
            claimed_identity,
        }
    }

    /// The canonical name of the claimed speaker's identity, when the
    /// registry knows it.
    pub fn claimed_speaker(&self) -> Option<String> {
        self.claimed_identity
            .zip(self.registry)
            .and_then(|(index, registry)| registry.canonical_name(index))
            .map(|name| name.to_string())
    }

    /// `quote` weighed against `claim`, with its speaker's identity.
    fn candidate(&self, claim: &Words, quote: AttestedQuote) -> Candidate {
        let words = Words::new(&quote.quote);
        let similarity = compare(claim, &words);
        let (position, identity) = self.identity(quote.speaker.as_deref());
        let speaker = match (position, self.registry) {
            (Some(index), Some(registry)) => registry
                .canonical_name(index)
                .map(|name| name.to_string())
                .or_else(|| quote.speaker.clone()),
            _ => quote.speaker.clone(),
        };
        let speaker_matches = self.matches(position, quote.speaker.as_deref());
        Candidate {
            quote,
            words,
            similarity,
            identity,
            speaker,
            speaker_matches,
        }
    }

    /// The registry position of a speaker named `name`, and the key that
    /// tells its identity apart: `#position`, else the folded name, else
    /// empty for no speaker.
    pub fn identity(&self, name: Option<&str>) -> (Option<u32>, String) {
        let position = name
            .zip(self.registry)
            .and_then(|(name, registry)| registry.position(name));
        let identity = match (position, name) {
            (Some(index), _) => format!("#{index}"),
            (None, Some(name)) => fold_keyword(name),
            (None, None) => String::new(),
        };
        (position, identity)
    }

    /// Whether a quote's speaker (`name`, of identity `position`) is the
    /// claimed one; `None` when no speaker is claimed or the quote names none.
    fn matches(&self, position: Option<u32>, name: Option<&str>) -> Option<bool> {
        let claimed = self.claimed?;
        let name = name?;
        if let (Some(claimed), Some(position)) = (self.claimed_identity, position) {
            return Some(claimed == position);
        }
        if self.claimed_identity.is_some() {
            return Some(false);
        }
        let claimed = fold_keyword(claimed);
        let name = fold_keyword(name);
        let claimed_words: Vec<&str> = claimed.split_whitespace().collect();
        let name_words: Vec<&str> = name.split_whitespace().collect();
        Some(
            claimed == name
                || (!claimed_words.is_empty()
                    && claimed_words.iter().all(|word| name_words.contains(word))),
        )
    }
}

/// The earliest copy of `candidate`'s statement: quotes found by an exact
/// phrase search of its words (at most [`MAX_COPIES`], within the request's
/// dates) that have the same words and speaker identity; with how many
/// there are.
///
/// Words, speaker and earliness come from fast fields (the quote's
/// [`STATEMENT_TEXT`], speaker, `published`, `indexed_at` and doc key), so
/// only the earliest copy's stored document is read; a segment written
/// without statement texts (`index.statements = false`) is read from its
/// stored documents instead. Copies equally early are ordered by doc key.
fn earliest_copy(
    store: &IndexStore,
    searcher: &Searcher,
    request: &VerifyRequest,
    speakers: &Speakers<'_>,
    candidate: &Candidate,
    limits: SearchLimits,
) -> Result<(Option<AttestedQuote>, usize), SearchError> {
    let normalized = candidate.words.normalized();
    let phrase = format!("quote:\"{normalized}\"");
    let Ok(node) = parse_query(&phrase) else {
        return Ok((None, 0));
    };
    let languages = store.languages(searcher);
    let compiled = QueryCompiler::new(
        store.fields(),
        Target::Quotes,
        store.analyzers(),
        &languages,
    )
    .compile(&node)?;
    let query = filtered_query(
        store,
        searcher,
        &search_request(request, Vec::new()),
        compiled,
    )?;
    let deadline = limits.timeout.map(|timeout| Instant::now() + timeout);
    let statistics = KindStatistics::new(store, searcher, Target::Quotes)?;
    let mut addresses =
        collect_ranked(searcher, &statistics, &query, MAX_COPIES, deadline, limits)?;
    addresses.sort_unstable();

    let io_error = |error: std::io::Error| SearchError::Index(IndexError::Tantivy(error.into()));
    let mut earliest: Option<(Earliness, DocAddress)> = None;
    let mut count = 0;
    for segment in addresses.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(segment[0].segment_ord);
        let copies = SegmentCopies::open(reader)?;
        let Some(texts) = copies.texts.as_ref() else {
            // No statement texts in this segment: compare stored documents.
            for &address in segment {
                let quote = read_quote(store, searcher, address)?;
                let copy = speakers.candidate(&Words::default(), quote);
                if copy.words.normalized() == normalized && copy.identity == candidate.identity {
                    count += 1;
                    keep_earlier(&mut earliest, copies.earliness(address.doc_id), address);
                }
            }
            continue;
        };
        let Some(wording) = texts
            .dictionary()
            .term_ord(normalized.as_bytes())
            .map_err(io_error)?
        else {
            continue;
        };
        let mut identities: HashMap<u64, String> = HashMap::new();
        let mut name = String::new();
        for &address in segment {
            if texts.term_ords(address.doc_id).next() != Some(wording) {
                continue;
            }
            let speaker = copies
                .speakers
                .as_ref()
                .and_then(|column| column.term_ords(address.doc_id).next());
            let identity = match (speaker, copies.speakers.as_ref()) {
                (Some(ordinal), Some(column)) => match identities.get(&ordinal) {
                    Some(identity) => identity.as_str(),
                    None => {
                        name.clear();
                        column.ord_to_str(ordinal, &mut name).map_err(io_error)?;
                        let identity = speakers.identity(Some(&name)).1;
                        identities.entry(ordinal).or_insert(identity).as_str()
                    }
                },
                _ => "",
            };
            if identity != candidate.identity {
                continue;
            }
            count += 1;
            keep_earlier(&mut earliest, copies.earliness(address.doc_id), address);
        }
    }
    let earliest = match earliest {
        Some((_, address)) => Some(read_quote(store, searcher, address)?),
        None => None,
    };
    Ok((earliest, count))
}

/// The order of "earliest" read from fast fields: undated last, then by
/// date (microseconds), then by when indexed (unknown last), then by doc
/// key.
pub type Earliness = (bool, i64, u64, u64);

/// Keeps `address` in `earliest` when it comes before the one kept.
pub fn keep_earlier<A>(earliest: &mut Option<(Earliness, A)>, earliness: Earliness, address: A) {
    if earliest
        .as_ref()
        .is_none_or(|(known, _)| earliness < *known)
    {
        *earliest = Some((earliness, address));
    }
}

/// The fast fields of one segment that tell copies of a statement apart.
struct SegmentCopies {
    texts: Option<StrColumn>,
    speakers: Option<StrColumn>,
    published: Column<tantivy::DateTime>,
    indexed_at: Column<u64>,
    doc_keys: Column<u64>,
}

impl SegmentCopies {
    fn open(segment: &SegmentReader) -> Result<Self, SearchError> {
        let fast = segment.fast_fields();
        Ok(SegmentCopies {
            texts: fast.str(STATEMENT_TEXT)?,
            speakers: fast.str(SPEAKER)?,
            published: fast.date(PUBLISHED)?,
            indexed_at: fast.u64(INDEXED_AT)?,
            doc_keys: fast.u64(DOC_KEY)?,
        })
    }

    fn earliness(&self, doc: DocId) -> Earliness {
        let published = self.published.first(doc);
        (
            published.is_none(),
            published.map_or(0, |date| date.into_timestamp_micros()),
            self.indexed_at.first(doc).unwrap_or(u64::MAX),
            self.doc_keys.first(doc).unwrap_or(u64::MAX),
        )
    }
}

/// Ranked collection under the search deadline.
mod collector_support {
    use std::time::Instant;

    use tantivy::query::Query;
    use tantivy::{DocAddress, Searcher};

    use crate::search::collector::{TopHits, WithDeadline};
    use crate::search::statistics::KindStatistics;
    use crate::search::{SearchError, SearchLimits, SortOrder};

    /// The addresses of the `limit` best documents of `query`, best first
    /// (scored from `statistics`); [`SearchError::Timeout`] past `deadline`.
    pub fn collect_ranked(
        searcher: &Searcher,
        statistics: &KindStatistics<'_>,
        query: &dyn Query,
        limit: usize,
        deadline: Option<Instant>,
        limits: SearchLimits,
    ) -> Result<Vec<DocAddress>, SearchError> {
        let top = TopHits {
            limit,
            sort: SortOrder::Relevance,
            after: None,
        };
        let hits = match deadline {
            None => searcher.search_with_statistics_provider(query, &top, statistics)?,
            Some(deadline) => {
                let bounded = WithDeadline::new(top, deadline);
                let hits = searcher.search_with_statistics_provider(query, &bounded, statistics)?;
                if bounded.expired() {
                    return Err(SearchError::Timeout {
                        timeout_ms: limits.timeout.map_or(0, |t| t.as_millis()),
                    });
                }
                hits
            }
        };
        Ok(hits.into_iter().map(|hit| hit.address).collect())
    }
}
