//! Statements: the copies of one thing a speaker said, folded. A wire story
//! reprinted, an article updated the next day, a partial quote of a longer
//! version and small edits are copies of one statement, with an id, when it
//! was first and last seen, how many articles and which sources carry it, and
//! its wordings.
//!
//! **What is computed where.** At ingest each quote document gets its words
//! as statements compare them ([`STATEMENT_TEXT`]: lowercased, folded,
//! punctuation dropped) and when its article was indexed ([`INDEXED_AT`]);
//! the chaining itself runs at read time, once per state of the index (like
//! the [`super::speaker_registry`], which it reads): speaker identities are
//! only known there (`Nazer` and `Hisham Nazer` are one speaker once an
//! article links them), and a deleted or replaced article re-homes its
//! copies' statements without rewriting other articles' documents.
//!
//! **The rule** ([`StatementTable::build`]). Copies are grouped by speaker
//! identity (quotes without a speaker: by equal words only, and only with
//! [`MIN_UNATTRIBUTED_WORDS`] words or more) and taken in
//! order of *earliness*: dated before undated, by `published`, then by
//! `indexed_at`, then by doc key. Each copy joins the statement of its
//! **closest earlier copy**, if any is close enough, else starts a statement:
//!
//! - an earlier copy with the same words is the closest (closeness 1), but
//!   for a quote shorter than [`MIN_STATEMENT_WORDS`] (`No`, `yes`) only
//!   when dated at most [`NEAR_DUPLICATE_DAYS`] apart (or undated);
//! - otherwise, the candidates are earlier wordings of the speaker sharing
//!   at least [`MIN_SHARED_WORDS`] content words with it, and at least 60% of
//!   the shorter one's (40% of the copy's when it is the longer): a bound
//!   below which the score cannot reach the threshold; the
//!   [`MAX_CANDIDATES`] sharing most are compared, the shorter copy against
//!   the longer ([`closeness`]): the containment of [`compare`] must reach
//!   [`SAME_STATEMENT_SCORE`] (an excerpt, or a few words changed), every
//!   number of the shorter must be in the longer, dated copies must be at
//!   most [`NEAR_DUPLICATE_DAYS`] apart, and a copy longer than the earlier
//!   one must be covered by it for at least [`MIN_COVER`] (so that a short
//!   phrase found in two long statements does not bridge them), unless the
//!   earlier one is a verbatim excerpt of it of [`MIN_EXCERPT_WITHOUT_COVER`]
//!   words or more. The shorter
//!   copy needs [`MIN_STATEMENT_WORDS`] words; shorter quotes fold only when
//!   equal;
//! - ties go to the earliest copy.
//!
//! The order and the rule are total, so the same index gives the same
//! statements whatever order articles arrived in, up to `indexed_at`.
//!
//! **Ids.** A statement is named by its earliest copy: the hex [`DOC_KEY`] of
//! that quote (a hash of its article id and position). An update of the
//! article keeps the quote's key, so the statement keeps its id while that
//! copy stays its earliest; when the earliest copy's article is deleted, the
//! statement is named by its next earliest copy, and copies that were only
//! close to the deleted one may become statements of their own.
//!
//! [`STATEMENT_TEXT`]: super::schema::STATEMENT_TEXT
//! [`INDEXED_AT`]: super::schema::INDEXED_AT
//! [`DOC_KEY`]: super::schema::DOC_KEY

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SegmentReader};
use time::OffsetDateTime;
use xxhash_rust::xxh3::xxh3_64;

use super::cache::{lock, BackgroundRebuild};
use super::schema::{ARTICLE_KEY, DOC_KEY, INDEXED_AT, PUBLISHED, SOURCE, SPEAKER, STATEMENT_TEXT};
use super::speaker_registry::{segments_of, SpeakerRegistry, NO_IDENTITY};
use super::store::{KeywordTermCache, KeywordTerms};
use super::IndexError;
use crate::search::verify::similarity::{
    compare, is_function_word, Exactness, Similarity, Words, SCORE_WEIGHTS,
};

/// Containment of the shorter copy in the longer (the score of [`compare`]
/// without its precision part, see [`closeness`]) from which two copies are
/// one statement: a contiguous excerpt scores 1; ten words with one content
/// word replaced about 0.88; two different sentences sharing half their
/// words about 0.5.
pub const SAME_STATEMENT_SCORE: f32 = 0.85;
/// Fewest words the shorter of two copies needs to fold with a copy whose
/// words differ (shorter quotes fold only when their words are equal).
pub const MIN_STATEMENT_WORDS: usize = 4;
/// Share of a longer copy's words an earlier, shorter copy must cover for
/// the longer one to join its statement.
pub const MIN_COVER: f32 = 0.5;
/// Words from which an earlier copy that is a verbatim excerpt of a later,
/// longer one (its words whole and in order: a partial quote printed first,
/// the whole sentence later) joins without [`MIN_COVER`].
pub const MIN_EXCERPT_WITHOUT_COVER: usize = 6;
/// Content words an earlier copy must share with a copy to be compared.
pub const MIN_SHARED_WORDS: usize = 2;
/// Earlier copies (distinct wordings) compared with each copy, those sharing
/// most content words first.
pub const MAX_CANDIDATES: usize = 16;
/// Fewest words quotes without a speaker need to fold (when equal): a
/// short phrase in scare quotes (`by the back door`) recurs in unrelated
/// stories.
pub const MIN_UNATTRIBUTED_WORDS: usize = 6;
/// Wordings a statement lists.
pub const MAX_VARIANTS: usize = 8;
/// Most days between two dated copies whose words differ for them to be one
/// statement: a weekly notice repeated in other words a week later is
/// another statement.
pub const NEAR_DUPLICATE_DAYS: i64 = 3;

/// Hash maps keyed by small integers and hashes, with a fast hasher.
type FastMap<K, V> = foldhash::HashMap<K, V>;
/// Hash sets of small integers and hashes, with a fast hasher.
type FastSet<K> = foldhash::HashSet<K>;

/// Where a copy is: its segment and document.
pub type CopyAddress = (SegmentId, DocId);

/// One statement of the index.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The hex doc key of its earliest copy.
    pub id: String,
    /// Copies (quote documents).
    pub copies: u32,
    /// Distinct articles carrying a copy.
    pub articles: u32,
    /// Distinct sources carrying a copy, sorted.
    pub sources: Vec<Arc<str>>,
    /// Earliest publication date of a copy (dated copies only).
    pub first_seen: Option<OffsetDateTime>,
    /// Latest publication date of a copy.
    pub last_seen: Option<OffsetDateTime>,
    /// The earliest copy.
    pub earliest: CopyAddress,
    /// One copy per distinct wording, earliest first, at most
    /// [`MAX_VARIANTS`].
    pub variants: Vec<CopyAddress>,
    /// Distinct wordings (may exceed `variants.len()`).
    pub wordings: u32,
}

/// The statements of one state of the index.
#[derive(Debug, Default)]
pub struct StatementTable {
    statements: Vec<Statement>,
    /// Per segment (in searcher order), the statement of each document
    /// ([`NO_STATEMENT`] for articles and quotes without words).
    of_document: Vec<(SegmentId, Arc<Vec<u32>>)>,
    /// Copies of each statement, earliest first.
    members: Vec<Vec<CopyAddress>>,
    by_id: HashMap<String, u32>,
    copies: u64,
    took: Duration,
}

/// The address of a copy in `searcher` (whose segments the table was built
/// from), for reading its stored document.
pub fn doc_address(searcher: &Searcher, copy: CopyAddress) -> Option<tantivy::DocAddress> {
    searcher
        .segment_readers()
        .iter()
        .position(|segment| segment.segment_id() == copy.0)
        .map(|ordinal| tantivy::DocAddress::new(ordinal as u32, copy.1))
}

/// The statement of a document that has none.
pub const NO_STATEMENT: u32 = u32::MAX;

/// When a copy was seen: dated before undated, by date, by indexing time,
/// by doc key.
type Earliness = (bool, i64, u64, u64);

/// Whom a copy is grouped with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Group {
    /// A speaker identity of the registry.
    Identity(u32),
    /// A speaker name the registry does not know.
    Name(Arc<str>),
    /// No speaker: copies fold only when equal.
    Nobody,
}

/// One quote document as the chaining reads it.
struct Copy {
    group: Group,
    earliness: Earliness,
    text: Arc<str>,
    /// xxh3 of `text`.
    text_hash: u64,
    /// Position of its segment in the searcher.
    segment: usize,
    address: CopyAddress,
    doc_key: u64,
    article_key: u64,
    source: Option<Arc<str>>,
    published: Option<i64>,
}

/// A distinct wording of a group, while chaining.
struct Wording {
    text: Arc<str>,
    statement: u32,
    /// Publication date (seconds) of its latest dated copy so far.
    dated: Option<i64>,
    /// Distinct content words.
    tokens: u32,
    words: Option<Words>,
}

impl StatementTable {
    /// Chains the live quotes of `searcher` into statements (see the module
    /// documentation), grouping speakers by `registry` (which must belong to
    /// the same searcher) and decoding keyword columns through `terms`.
    pub fn build(
        searcher: &Searcher,
        registry: &SpeakerRegistry,
        terms: &KeywordTermCache,
    ) -> Result<StatementTable, IndexError> {
        let started = Instant::now();
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.segment_id())
            .collect();
        let mut copies = Vec::new();
        let mut of_document = Vec::new();
        for (position, segment) in searcher.segment_readers().iter().enumerate() {
            read_copies(segment, position, registry, terms, &live, &mut copies)?;
            of_document.push((
                segment.segment_id(),
                Arc::new(vec![NO_STATEMENT; segment.max_doc() as usize]),
            ));
        }
        Ok(StatementTable::chain(copies, of_document, started))
    }

    /// Chains quotes read from another store than the index (the OpenSearch
    /// backend) by the same rule, grouping speakers by `registry`: quote
    /// `n` of `quotes` is document `n` of the stand-in segment `segment`,
    /// whose statement [`StatementTable::statement_of`] tells.
    pub fn build_from_fields(
        quotes: Vec<QuoteFields>,
        registry: &SpeakerRegistry,
        segment: SegmentId,
    ) -> StatementTable {
        let started = Instant::now();
        let of_document = vec![(segment, Arc::new(vec![NO_STATEMENT; quotes.len()]))];
        let copies = quotes
            .into_iter()
            .enumerate()
            .filter_map(|(doc, quote)| {
                let text = quote.text?;
                let group = match quote.speaker {
                    None => Group::Nobody,
                    Some(name) => match registry.position(&name) {
                        Some(identity) => Group::Identity(identity),
                        None => Group::Name(name),
                    },
                };
                Some(Copy::new(
                    group,
                    text,
                    (0, (segment, doc as DocId)),
                    &quote.keys,
                    quote.source,
                ))
            })
            .collect();
        StatementTable::chain(copies, of_document, started)
    }

    /// Chains `copies` (see the module documentation) into the table whose
    /// documents are `of_document`.
    fn chain(
        mut copies: Vec<Copy>,
        of_document: Vec<(SegmentId, Arc<Vec<u32>>)>,
        started: Instant,
    ) -> StatementTable {
        copies.sort_unstable_by(|a, b| (&a.group, a.earliness).cmp(&(&b.group, b.earliness)));
        let mut table = StatementTable {
            of_document,
            ..StatementTable::default()
        };
        let mut start = 0;
        while start < copies.len() {
            let end = start
                + copies[start..]
                    .iter()
                    .position(|copy| copy.group != copies[start].group)
                    .unwrap_or(copies.len() - start);
            table.chain_group(&copies[start..end]);
            start = end;
        }
        table.copies = copies.len() as u64;
        table.took = started.elapsed();
        tracing::debug!(
            copies = table.copies,
            statements = table.statements.len(),
            elapsed_ms = table.took.as_secs_f64() * 1000.0,
            "statements built"
        );
        table
    }

    /// Chains the copies of one group, in earliness order.
    fn chain_group(&mut self, copies: &[Copy]) {
        let mut wordings: Vec<Wording> = Vec::new();
        let mut by_text: FastMap<u64, usize> = FastMap::default();
        let mut postings: FastMap<u64, Vec<u32>> = FastMap::default();
        let mut statement_copies: FastMap<u32, Vec<&Copy>> = FastMap::default();
        let mut order: Vec<u32> = Vec::new();
        let nobody = copies.first().is_some_and(|c| c.group == Group::Nobody);
        for copy in copies {
            // Equal words are the closest copy; a quote too short to tell
            // (`No`) only within the day window.
            let words = copy.text.split(' ').count();
            let short = words < MIN_STATEMENT_WORDS;
            let known = by_text
                .get(&copy.text_hash)
                .copied()
                .filter(|known| wordings[*known].text == copy.text)
                .filter(|known| !short || within_days(copy.published, wordings[*known].dated))
                // Unattributed phrases (`by the back door`) fold only when
                // long enough to be one statement rather than an idiom.
                .filter(|_| !nobody || words >= MIN_UNATTRIBUTED_WORDS);
            let statement = match known {
                Some(known) => {
                    let wording = &mut wordings[known];
                    wording.dated = copy.published.or(wording.dated);
                    wording.statement
                }
                None => {
                    // Quotes without a speaker fold only when equal.
                    let tokens = if nobody {
                        Vec::new()
                    } else {
                        content_tokens(&copy.text)
                    };
                    let closest = if nobody {
                        None
                    } else {
                        closest_earlier(copy, &tokens, &mut wordings, &postings)
                    };
                    let statement = match closest {
                        Some(index) => wordings[index].statement,
                        None => {
                            let statement = (self.statements.len() + order.len()) as u32;
                            order.push(statement);
                            statement
                        }
                    };
                    let index = wordings.len();
                    let count = tokens.len() as u32;
                    for token in tokens {
                        postings.entry(token).or_default().push(index as u32);
                    }
                    by_text.insert(copy.text_hash, index);
                    wordings.push(Wording {
                        text: copy.text.clone(),
                        statement,
                        dated: copy.published,
                        tokens: count,
                        words: None,
                    });
                    statement
                }
            };
            statement_copies.entry(statement).or_default().push(copy);
        }
        for statement in order {
            let members = statement_copies.remove(&statement).unwrap_or_default();
            self.push_statement(statement, &members);
        }
    }

    /// Records statement number `index` with its copies, earliest first.
    fn push_statement(&mut self, index: u32, members: &[&Copy]) {
        debug_assert_eq!(index as usize, self.statements.len());
        let Some(earliest) = members.first() else {
            return;
        };
        let mut articles = FastSet::default();
        let mut sources: Vec<Arc<str>> = Vec::new();
        let mut texts: FastSet<u64> = FastSet::default();
        let mut variants = Vec::new();
        let mut first_seen: Option<i64> = None;
        let mut last_seen: Option<i64> = None;
        for copy in members {
            articles.insert(copy.article_key);
            if let Some(source) = &copy.source {
                if !sources.contains(source) {
                    sources.push(source.clone());
                }
            }
            if texts.insert(copy.text_hash) && variants.len() < MAX_VARIANTS {
                variants.push(copy.address);
            }
            if let Some(published) = copy.published {
                first_seen = Some(first_seen.map_or(published, |seen| seen.min(published)));
                last_seen = Some(last_seen.map_or(published, |seen| seen.max(published)));
            }
            if let Some(documents) = self
                .of_document
                .get_mut(copy.segment)
                .and_then(|(_, documents)| Arc::get_mut(documents))
            {
                if let Some(slot) = documents.get_mut(copy.address.1 as usize) {
                    *slot = index;
                }
            }
        }
        sources.sort();
        let id = format!("{:016x}", earliest.doc_key);
        self.by_id.insert(id.clone(), index);
        let date = |seconds: i64| OffsetDateTime::from_unix_timestamp(seconds).ok();
        self.statements.push(Statement {
            id,
            copies: members.len() as u32,
            articles: articles.len() as u32,
            sources,
            first_seen: first_seen.and_then(date),
            last_seen: last_seen.and_then(date),
            earliest: earliest.address,
            variants,
            wordings: texts.len() as u32,
        });
        self.members
            .push(members.iter().map(|copy| copy.address).collect());
    }

    /// Every statement, in no particular order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The statement at `index`.
    pub fn get(&self, index: u32) -> Option<&Statement> {
        self.statements.get(index as usize)
    }

    /// The index of the statement with this id.
    pub fn position(&self, id: &str) -> Option<u32> {
        self.by_id.get(id.trim()).copied()
    }

    /// The copies of the statement at `index`, earliest first.
    pub fn members(&self, index: u32) -> &[CopyAddress] {
        self.members
            .get(index as usize)
            .map_or(&[], |members| members.as_slice())
    }

    /// The statement of each document of `segment` (by doc id), or `None`
    /// for a segment the table was not built with.
    pub fn of_segment(&self, segment: SegmentId) -> Option<&Arc<Vec<u32>>> {
        self.of_document
            .iter()
            .find(|(id, _)| *id == segment)
            .map(|(_, documents)| documents)
    }

    /// The statement of one document.
    pub fn statement_of(&self, address: CopyAddress) -> Option<u32> {
        self.of_segment(address.0)
            .and_then(|documents| documents.get(address.1 as usize))
            .copied()
            .filter(|statement| *statement != NO_STATEMENT)
    }

    /// Quote copies folded into the statements.
    pub fn copies(&self) -> u64 {
        self.copies
    }

    /// How long the build took.
    pub fn took(&self) -> Duration {
        self.took
    }
}

/// The content words of a statement text, hashed and deduplicated: what
/// candidate earlier copies must share.
fn content_tokens(text: &str) -> Vec<u64> {
    let mut tokens: Vec<u64> = text
        .split(' ')
        .filter(|word| !word.is_empty() && !is_function_word(word))
        .map(|word| xxh3_64(word.as_bytes()))
        .collect();
    tokens.sort_unstable();
    tokens.dedup();
    tokens
}

/// The earlier wording closest to `text` by the rule of the module
/// documentation, if one is close enough.
fn closest_earlier(
    copy: &Copy,
    tokens: &[u64],
    wordings: &mut [Wording],
    postings: &FastMap<u64, Vec<u32>>,
) -> Option<usize> {
    let mut shared: FastMap<u32, u32> = FastMap::default();
    for token in tokens {
        for &index in postings.get(token).into_iter().flatten() {
            *shared.entry(index).or_default() += 1;
        }
    }
    let needed = MIN_SHARED_WORDS.min(tokens.len()).max(1) as u32;
    let own = tokens.len() as u32;
    // A cheap bound before comparing: [`SAME_STATEMENT_SCORE`] needs most of
    // the shorter copy's words in the longer, and [`MIN_COVER`] a good share
    // of a longer later copy's.
    let plausible = |index: u32, count: u32| {
        let wording = &wordings[index as usize];
        let theirs = wording.tokens;
        within_days(copy.published, wording.dated)
            && count >= needed
            && count * 5 >= own.min(theirs) * 3
            && (own <= theirs || count * 5 >= own * 2)
    };
    let mut candidates: Vec<(u32, u32)> = shared
        .into_iter()
        .filter(|(index, count)| plausible(*index, *count))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    candidates.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    candidates.truncate(MAX_CANDIDATES);
    let words = Words::new(&copy.text);
    let mut best: Option<(f32, usize)> = None;
    for (index, _) in candidates {
        let index = index as usize;
        let wording = &mut wordings[index];
        let earlier = match &mut wording.words {
            Some(words) => words,
            empty => empty.insert(Words::new(&wording.text)),
        };
        let Some(score) = closeness(&words, earlier) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((best_score, best_index)) => {
                score > best_score || (score == best_score && index < best_index)
            }
        };
        if better {
            best = Some((score, index));
        }
    }
    best.map(|(_, index)| index)
}

/// How close a copy (`later`) is to an earlier one, if close enough to be
/// one statement (see the module documentation).
pub fn closeness(later: &Words, earlier: &Words) -> Option<f32> {
    let (shorter, longer) = if later.len() <= earlier.len() {
        (later, earlier)
    } else {
        (earlier, later)
    };
    if !numbers_kept(shorter, longer) {
        return None;
    }
    let similarity = compare(shorter, longer);
    let score = containment(&similarity);
    // A verbatim excerpt of several words is evidence enough on its own.
    let long_excerpt =
        similarity.exactness != Exactness::No && shorter.len() >= MIN_EXCERPT_WITHOUT_COVER;
    let cover_needed = later.len() > earlier.len() && !long_excerpt;
    (shorter.len() >= MIN_STATEMENT_WORDS
        && score >= SAME_STATEMENT_SCORE
        && (!cover_needed || similarity.precision >= MIN_COVER))
        .then_some(score)
}

/// How much of the shorter copy the longer one holds: [`compare`]'s score
/// without its precision part (which would count an excerpt's brevity
/// against it), from 0 to 1.
fn containment(similarity: &Similarity) -> f32 {
    let [words, order, characters, _] = SCORE_WEIGHTS;
    let found = words * similarity.words
        + order * similarity.order * similarity.words
        + characters * similarity.characters;
    (found / (words + order + characters)).clamp(0.0, 1.0)
}

/// Whether two copies' dates (seconds; `None`: undated) are at most
/// [`NEAR_DUPLICATE_DAYS`] apart, or either is undated.
fn within_days(a: Option<i64>, b: Option<i64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= NEAR_DUPLICATE_DAYS * 86_400,
        _ => true,
    }
}

/// Whether every number of `shorter` (a word with a digit) is in `longer`:
/// `13,000 tonnes` and `7,000 tonnes` are two statements however alike the
/// rest.
fn numbers_kept(shorter: &Words, longer: &Words) -> bool {
    let is_number = |norm: &str| norm.chars().any(|c| c.is_ascii_digit());
    shorter
        .words
        .iter()
        .filter(|word| is_number(&word.norm))
        .all(|word| longer.words.iter().any(|other| other.norm == word.norm))
}

/// Reads the quote copies of one segment (live documents with a statement
/// text) into `copies`.
fn read_copies(
    segment: &SegmentReader,
    position: usize,
    registry: &SpeakerRegistry,
    terms: &KeywordTermCache,
    live: &[SegmentId],
    copies: &mut Vec<Copy>,
) -> Result<(), IndexError> {
    let io_error = |error: std::io::Error| IndexError::Tantivy(error.into());
    let id = segment.segment_id();
    let fast = segment.fast_fields();
    let Some(texts) = fast.str(STATEMENT_TEXT)? else {
        return Ok(());
    };
    let text_terms = terms
        .terms(id, STATEMENT_TEXT, &texts, live)
        .map_err(io_error)?;
    let speakers = fast.str(SPEAKER)?;
    let speaker_terms = match &speakers {
        Some(column) => Some(terms.terms(id, SPEAKER, column, live).map_err(io_error)?),
        None => None,
    };
    let identities = speaker_terms
        .as_ref()
        .map(|speaker_terms| registry.identities_of_terms(id, speaker_terms));
    let sources = fast.str(SOURCE)?;
    let source_terms = match &sources {
        Some(column) => Some(terms.terms(id, SOURCE, column, live).map_err(io_error)?),
        None => None,
    };
    let published = fast.date(PUBLISHED)?;
    let indexed_at = fast.u64(INDEXED_AT)?;
    let doc_keys = fast.u64(DOC_KEY)?;
    let article_keys = fast.u64(ARTICLE_KEY)?;
    let first = |column: &tantivy::columnar::StrColumn, doc: DocId| column.term_ords(doc).next();
    let value = |terms: &Option<Arc<KeywordTerms>>, ordinal: Option<u64>| {
        terms
            .as_ref()
            .zip(ordinal)
            .and_then(|(terms, ordinal)| terms.term(ordinal).cloned())
    };
    for doc in segment.doc_ids_alive() {
        let Some(text) = first(&texts, doc).and_then(|o| text_terms.term(o).cloned()) else {
            continue;
        };
        let speaker = speakers.as_ref().and_then(|column| first(column, doc));
        let group = match speaker {
            None => Group::Nobody,
            Some(ordinal) => {
                let identity = identities
                    .as_ref()
                    .and_then(|identities| identities.get(ordinal as usize).copied())
                    .unwrap_or(NO_IDENTITY);
                match identity {
                    NO_IDENTITY => {
                        value(&speaker_terms, Some(ordinal)).map_or(Group::Nobody, Group::Name)
                    }
                    identity => Group::Identity(identity),
                }
            }
        };
        let keys = CopyKeys {
            published: published.first(doc).map(|date| date.into_timestamp_secs()),
            indexed_at: indexed_at.first(doc),
            doc_key: doc_keys.first(doc).unwrap_or(0),
            article_key: article_keys.first(doc),
        };
        copies.push(Copy::new(
            group,
            text,
            (position, (id, doc)),
            &keys,
            value(&source_terms, sources.as_ref().and_then(|c| first(c, doc))),
        ));
    }
    Ok(())
}

/// When a quote was published and indexed, and its keys: what orders it
/// among the copies of its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyKeys {
    /// Publication time, seconds (`None`: undated).
    pub published: Option<i64>,
    /// When its article was indexed (microseconds).
    pub indexed_at: Option<u64>,
    /// The quote's doc key.
    pub doc_key: u64,
    /// Its article's doc key.
    pub article_key: Option<u64>,
}

/// A quote as a store other than the index reads it, for
/// [`StatementTable::build_from_fields`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteFields {
    /// Its words as statements compare them (`statement_text`); a quote
    /// without is in no statement.
    pub text: Option<Arc<str>>,
    /// Its speaker as written.
    pub speaker: Option<Arc<str>>,
    /// Its article's source.
    pub source: Option<Arc<str>>,
    /// Dates and keys.
    pub keys: CopyKeys,
}

impl Copy {
    /// A copy of `group` with its words `text`, at (segment position,
    /// address).
    fn new(
        group: Group,
        text: Arc<str>,
        (segment, address): (usize, CopyAddress),
        keys: &CopyKeys,
        source: Option<Arc<str>>,
    ) -> Copy {
        let date = keys.published;
        Copy {
            text_hash: xxh3_64(text.as_bytes()),
            segment,
            group,
            earliness: (
                date.is_none(),
                date.unwrap_or(0),
                keys.indexed_at.unwrap_or(u64::MAX),
                keys.doc_key,
            ),
            text,
            address,
            doc_key: keys.doc_key,
            article_key: keys.article_key.unwrap_or(keys.doc_key),
            source,
            published: date,
        }
    }
}

/// Statement tables built later than this are rebuilt in the background:
/// searches meanwhile use the previous table (see [`StatementCache`]).
pub const BACKGROUND_REBUILD_AFTER: Duration = Duration::from_millis(50);

/// The statement table of the current state of an index, rebuilt when its
/// segments, their deletions or the speaker registry change.
///
/// Like the speaker registry: a rebuild is synchronous unless the last one
/// took longer than [`BACKGROUND_REBUILD_AFTER`]; then searches get the
/// previous table (documents it does not know count as statements of their
/// own) while one background thread builds the next.
#[derive(Debug)]
pub struct StatementCache {
    background_after: Duration,
    current: Mutex<Option<BuiltTable>>,
    rebuilding: BackgroundRebuild,
}

/// A table and what it was built from.
#[derive(Debug)]
struct BuiltTable {
    state: Vec<(SegmentId, u32)>,
    registry: Arc<SpeakerRegistry>,
    table: Arc<StatementTable>,
}

impl Default for StatementCache {
    fn default() -> Self {
        StatementCache::with_background_after(BACKGROUND_REBUILD_AFTER)
    }
}

impl StatementCache {
    /// A cache that rebuilds in the background once a build took longer
    /// than `background_after`.
    pub fn with_background_after(background_after: Duration) -> Self {
        StatementCache {
            background_after,
            current: Mutex::default(),
            rebuilding: BackgroundRebuild::default(),
        }
    }

    /// The statements of `searcher`'s state, grouped by `registry`'s
    /// identities.
    pub fn table(
        self: &Arc<Self>,
        searcher: &Searcher,
        registry: Arc<SpeakerRegistry>,
        terms: &Arc<KeywordTermCache>,
    ) -> Result<Arc<StatementTable>, IndexError> {
        let state = segments_of(searcher);
        let mut current = lock(&self.current);
        if let Some(built) = current.as_ref() {
            if built.state == state && Arc::ptr_eq(&built.registry, &registry) {
                return Ok(built.table.clone());
            }
            if built.table.took > self.background_after {
                self.rebuild_in_background(searcher.clone(), registry, terms.clone());
                return Ok(built.table.clone());
            }
        }
        let table = Arc::new(StatementTable::build(searcher, &registry, terms)?);
        *current = Some(BuiltTable {
            state,
            registry,
            table: table.clone(),
        });
        Ok(table)
    }

    fn rebuild_in_background(
        self: &Arc<Self>,
        searcher: Searcher,
        registry: Arc<SpeakerRegistry>,
        terms: Arc<KeywordTermCache>,
    ) {
        let cache = Arc::clone(self);
        let started = self.rebuilding.start("statements", move || {
            let state = segments_of(&searcher);
            match StatementTable::build(&searcher, &registry, &terms) {
                Ok(table) => {
                    *lock(&cache.current) = Some(BuiltTable {
                        state,
                        registry,
                        table: Arc::new(table),
                    })
                }
                Err(error) => tracing::warn!(%error, "statement table rebuild failed"),
            }
        });
        if let Err(error) = started {
            tracing::warn!(%error, "cannot start the statement table rebuild");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(later: &str, earlier: &str) -> bool {
        closeness(&Words::new(later), &Words::new(earlier)).is_some()
    }

    #[test]
    fn excerpts_and_small_edits_are_close_and_other_words_are_not() {
        let full = "Saudi Arabia is fully adhering by the accord and it will never sell its oil \
                    at prices below the pronounced prices under any circumstance";
        let cases = [
            // A later excerpt of an earlier quote.
            ("is fully adhering by the accord", full, true),
            // A later full version of an earlier excerpt that covers most of it.
            (full, "fully adhering by the accord and it will never sell its oil at prices below the pronounced prices", true),
            // ... but not of a short phrase that covers little of it,
            (full, "fully adhering by the accord", false),
            // unless it is a verbatim excerpt of six words or more.
            (full, "Saudi Arabia \"is fully adhering by the", true),
            // One word changed in an excerpt.
            ("it will never sell its oil at prices below the official prices", full, true),
            // One word changed in a long quote.
            (
                "Saudi Arabia is fully adhering to the accord and it will never sell its oil \
                 at prices below the pronounced prices under any circumstance",
                full,
                true,
            ),
            // Another number.
            (
                "An additional 7,000 tonnes of semolina are still available to Egypt",
                "An additional 13,000 tonnes of semolina are still available to Egypt",
                false,
            ),
            // Too short to fold unless equal.
            ("the accord", full, false),
            ("We will never sell below official prices", full, false),
            ("The market will recover in the second half", full, false),
        ];
        for (later, earlier, expected) in cases {
            assert_eq!(close(later, earlier), expected, "{later} / {earlier}");
        }
    }
}
