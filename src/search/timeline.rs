//! A speaker over time (`GET /v1/speakers/{name}/timeline`): the speaker's
//! quotes and statements per month, week or day, split by topic, and the
//! speakers quoted most often in the same articles.
//!
//! The name goes through the speaker registry (an alias or a surname the
//! registry links finds the identity); the quotes are those a `speaker`
//! filter on that identity finds (with the `topic` filter and dates, when
//! given), so each interval's `quotes` is the `total` of `/v1/quotes` with the
//! same filters for that interval, and its `statements` the `total` of the
//! same search with `group=statement`: a statement counts in every interval
//! (and topic) where a copy of it falls.
//!
//! Topics are split one level below the `topic` filter (top-level topics
//! without one: `/world`, `/economy`, ...). Co-quoted speakers are counted
//! over the articles that carry the matching quotes: in how many of them each
//! other identity is quoted.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::AllQuery;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};
use time::{Date, Duration, Month, OffsetDateTime};

use super::collector::StatementKeys;
use super::statistics::KindStatistics;
use super::{
    collect_within, filtered_query, PublishedRange, SearchError, SearchLimits, SearchRequest,
    Target, FACET_SPEAKER, FACET_TOPIC,
};
use crate::indexing::schema::{ARTICLE_KEY, DOC_KEY, PUBLISHED, SPEAKER, TOPIC};
use crate::indexing::speaker_registry::{SpeakerRegistry, NO_IDENTITY};
use crate::indexing::store::{KeywordTerms, SearcherTerms};
use crate::indexing::IndexStore;

/// Most intervals a timeline may span (first to last dated quote).
pub const MAX_INTERVALS: usize = 5000;

/// The width of a timeline's intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Calendar months (UTC).
    Month,
    /// ISO weeks, Monday to Sunday (UTC).
    Week,
    /// Days (UTC).
    Day,
}

impl Interval {
    /// The name the API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Month => "month",
            Interval::Week => "week",
            Interval::Day => "day",
        }
    }

    /// The first day of the interval holding `date`.
    pub fn start_of(self, date: Date) -> Date {
        match self {
            Interval::Month => date.replace_day(1).unwrap_or(date),
            Interval::Week => {
                date - Duration::days(i64::from(date.weekday().number_days_from_monday()))
            }
            Interval::Day => date,
        }
    }

    /// The first day of the interval after the one starting at `start`.
    pub fn next(self, start: Date) -> Date {
        match self {
            Interval::Month => {
                let (year, month) = match start.month() {
                    Month::December => (start.year() + 1, Month::January),
                    month => (start.year(), month.next()),
                };
                Date::from_calendar_date(year, month, 1).unwrap_or(start)
            }
            Interval::Week => start + Duration::days(7),
            Interval::Day => start + Duration::days(1),
        }
    }

    /// How the interval starting at `start` is named: `2024-04`,
    /// `2024-W17` (ISO week) or `2024-04-26`.
    pub fn label(self, start: Date) -> String {
        match self {
            Interval::Month => format!("{:04}-{:02}", start.year(), u8::from(start.month())),
            Interval::Week => {
                let (year, week, _) = start.to_iso_week_date();
                format!("{year:04}-W{week:02}")
            }
            Interval::Day => format!(
                "{:04}-{:02}-{:02}",
                start.year(),
                u8::from(start.month()),
                start.day()
            ),
        }
    }
}

/// A timeline to draw, validated.
#[derive(Debug, Clone)]
pub struct TimelineRequest {
    /// The speaker, by any name the registry knows.
    pub speaker: String,
    /// Interval width.
    pub interval: Interval,
    /// Only quotes of these topics (or their children); the split is one
    /// level below the first.
    pub topics: Vec<String>,
    /// Only quotes published in this range.
    pub published: PublishedRange,
    /// Co-quoted speakers to return.
    pub co_quoted_limit: usize,
}

/// Quotes and statements of one topic in one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicCounts {
    /// Topic path.
    pub topic: String,
    /// Quotes.
    pub quotes: u64,
    /// Statements with a copy among them.
    pub statements: u64,
}

/// One interval.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineInterval {
    /// First day.
    pub start: Date,
    /// Its name (`2024-04`, `2024-W17`, `2024-04-26`).
    pub label: String,
    /// Quotes published in it.
    pub quotes: u64,
    /// Statements with a copy published in it.
    pub statements: u64,
    /// Per topic of the split, most quotes first.
    pub topics: Vec<TopicCounts>,
}

/// A speaker quoted in the same articles.
#[derive(Debug, Clone, PartialEq)]
pub struct CoQuoted {
    /// Canonical name.
    pub speaker: String,
    /// Articles quoting both.
    pub articles: u64,
}

/// A speaker's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The identity's canonical name.
    pub speaker: String,
    /// Interval width.
    pub interval: Interval,
    /// Matching quotes, dated or not.
    pub quotes: u64,
    /// Matching statements.
    pub statements: u64,
    /// Matching quotes without a publication date (in no interval).
    pub undated_quotes: u64,
    /// Every interval from the first dated quote's to the last's, empty ones
    /// included.
    pub intervals: Vec<TimelineInterval>,
    /// Totals per topic of the split, most quotes first.
    pub topics: Vec<TopicCounts>,
    /// Speakers quoted most often in the same articles, most first.
    pub co_quoted: Vec<CoQuoted>,
}

/// Builds the timeline of `request` on the current snapshot of `store`.
pub fn speaker_timeline(
    store: &IndexStore,
    request: &TimelineRequest,
    limits: SearchLimits,
) -> Result<Timeline, SearchError> {
    let started = Instant::now();
    let searcher = store.searcher();
    let registry = store.speaker_registry(&searcher)?;
    let (identity, canonical) = timeline_speaker(&registry, request)?;
    let (quotes, articles) = timeline_searches(request, &canonical);
    let query = filtered_query(store, &searcher, &quotes, Box::new(AllQuery))?;
    let table = store.statements(&searcher)?;
    let collector = QuoteDates {
        table: table.clone(),
        terms: SearcherTerms::new(store, &searcher),
        split: TopicSplit::below(request.topics.first().map(String::as_str)),
    };
    let quote_statistics = KindStatistics::new(store, &searcher, Target::Quotes)?;
    let found = collect_within(
        &searcher,
        &quote_statistics,
        &query,
        collector,
        started,
        limits,
    )?;
    assemble_timeline(
        request,
        &registry,
        (identity, canonical),
        &found,
        |quoted_in| {
            let query = filtered_query(store, &searcher, &articles, Box::new(AllQuery))?;
            let collector = ArticleSpeakers {
                articles: Arc::new(quoted_in.clone()),
                registry: registry.clone(),
                terms: SearcherTerms::new(store, &searcher),
            };
            let article_statistics = KindStatistics::new(store, &searcher, Target::Articles)?;
            collect_within(
                &searcher,
                &article_statistics,
                &query,
                collector,
                started,
                limits,
            )
        },
    )
}

/// The identity `request` names in `registry` and its canonical name.
pub fn timeline_speaker(
    registry: &SpeakerRegistry,
    request: &TimelineRequest,
) -> Result<(u32, String), SearchError> {
    let identity =
        registry
            .position(&request.speaker)
            .ok_or_else(|| SearchError::SpeakerNotFound {
                name: request.speaker.clone(),
            })?;
    let canonical = registry
        .canonical_name(identity)
        .map(|name| name.to_string())
        .unwrap_or_else(|| request.speaker.clone());
    Ok((identity, canonical))
}

/// The two searches of a timeline of the identity named `canonical`: its
/// quotes (with the topic filter and dates), and the articles quoting it
/// (with the dates), among which co-quoted speakers are counted.
pub fn timeline_searches(
    request: &TimelineRequest,
    canonical: &str,
) -> (SearchRequest, SearchRequest) {
    let speaker = (FACET_SPEAKER.to_owned(), vec![canonical.to_owned()]);
    let mut filters = vec![speaker.clone()];
    if !request.topics.is_empty() {
        filters.push((FACET_TOPIC.to_owned(), request.topics.clone()));
    }
    let quotes = SearchRequest {
        filters,
        published: request.published,
        ..SearchRequest::everything(Target::Quotes)
    };
    let articles = SearchRequest {
        filters: vec![speaker],
        published: request.published,
        ..SearchRequest::everything(Target::Articles)
    };
    (quotes, articles)
}

/// The timeline of the identity `(identity, canonical)` from its matching
/// quotes (`found`), with `co_quoted_in` counting, over the articles of the
/// second of [`timeline_searches`] whose keys it is given (those carrying a
/// matching quote), in how many each identity is quoted. Shared by every
/// backend.
pub fn assemble_timeline<E: From<SearchError>>(
    request: &TimelineRequest,
    registry: &SpeakerRegistry,
    (identity, canonical): (u32, String),
    found: &[DatedQuote],
    co_quoted_in: impl FnOnce(&HashSet<u64>) -> Result<HashMap<u32, u64>, E>,
) -> Result<Timeline, E> {
    let mut per_interval: BTreeMap<Date, Tally> = BTreeMap::new();
    let mut overall = Tally::default();
    let mut undated_quotes = 0;
    let mut articles = HashSet::new();
    for quote in found {
        overall.add(quote);
        articles.insert(quote.article);
        match quote.day {
            Some(day) => per_interval
                .entry(request.interval.start_of(day))
                .or_default()
                .add(quote),
            None => undated_quotes += 1,
        }
    }
    let mut intervals = Vec::new();
    if let (Some(first), Some(last)) = (
        per_interval.keys().next().copied(),
        per_interval.keys().last().copied(),
    ) {
        let mut start = first;
        while start <= last {
            if intervals.len() >= MAX_INTERVALS {
                return Err(SearchError::TooManyIntervals {
                    limit: MAX_INTERVALS,
                }
                .into());
            }
            let tally = per_interval.remove(&start).unwrap_or_default();
            intervals.push(tally.into_interval(request.interval, start));
            start = request.interval.next(start);
        }
    }
    let mut co_quoted = Vec::new();
    if !articles.is_empty() && request.co_quoted_limit > 0 {
        co_quoted = co_quoted_in(&articles)?
            .into_iter()
            .filter(|(other, _)| *other != identity)
            .filter_map(|(other, count)| {
                Some(CoQuoted {
                    speaker: registry.canonical_name(other)?.to_string(),
                    articles: count,
                })
            })
            .collect();
        co_quoted.sort_by(|a: &CoQuoted, b: &CoQuoted| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| a.speaker.cmp(&b.speaker))
        });
        co_quoted.truncate(request.co_quoted_limit);
    }
    Ok(Timeline {
        speaker: canonical,
        interval: request.interval,
        quotes: overall.quotes,
        statements: overall.statements.len() as u64,
        undated_quotes,
        intervals,
        topics: overall.topic_counts(),
        co_quoted,
    })
}

/// Counts of quotes and distinct statements, in all and per topic.
#[derive(Debug, Default)]
struct Tally {
    quotes: u64,
    statements: HashSet<u64>,
    topics: HashMap<Arc<str>, (u64, HashSet<u64>)>,
}

impl Tally {
    fn add(&mut self, quote: &DatedQuote) {
        self.quotes += 1;
        self.statements.insert(quote.statement);
        for topic in &quote.topics {
            let (quotes, statements) = self.topics.entry(topic.clone()).or_default();
            *quotes += 1;
            statements.insert(quote.statement);
        }
    }

    fn topic_counts(&self) -> Vec<TopicCounts> {
        let mut topics: Vec<TopicCounts> = self
            .topics
            .iter()
            .map(|(topic, (quotes, statements))| TopicCounts {
                topic: topic.to_string(),
                quotes: *quotes,
                statements: statements.len() as u64,
            })
            .collect();
        topics.sort_by(|a, b| b.quotes.cmp(&a.quotes).then_with(|| a.topic.cmp(&b.topic)));
        topics
    }

    fn into_interval(self, interval: Interval, start: Date) -> TimelineInterval {
        TimelineInterval {
            start,
            label: interval.label(start),
            quotes: self.quotes,
            statements: self.statements.len() as u64,
            topics: self.topic_counts(),
        }
    }
}

/// Which topic paths a timeline is split by: those one level below a
/// parent (top-level ones without a parent).
#[derive(Debug, Clone)]
pub struct TopicSplit {
    /// The parent, folded, with its trailing `/`; empty for the top level.
    prefix: String,
    /// Slashes a path of the split has.
    depth: usize,
}

impl TopicSplit {
    /// The split below `parent` (the first `topic` filter, if any).
    pub fn below(parent: Option<&str>) -> TopicSplit {
        let parent = parent.map(|p| p.trim().trim_end_matches('/')).unwrap_or("");
        TopicSplit {
            prefix: format!("{}/", parent.to_lowercase()),
            depth: parent.matches('/').count() + 1,
        }
    }

    /// Whether the topic `path` is one of the split.
    pub fn keeps(&self, path: &str) -> bool {
        path.matches('/').count() == self.depth && path.to_lowercase().starts_with(&self.prefix)
    }
}

/// A matching quote as the timeline reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedQuote {
    /// The day it was published (UTC), if dated.
    pub day: Option<Date>,
    /// Its statement's key: the same for every copy of one statement,
    /// unique for a quote in none.
    pub statement: u64,
    /// Its article's doc key.
    pub article: u64,
    /// Its topics of the split.
    pub topics: Vec<Arc<str>>,
}

/// Collects every matching quote's day, statement, article and topics of
/// the split.
struct QuoteDates {
    table: Arc<crate::indexing::statements::StatementTable>,
    terms: SearcherTerms,
    split: TopicSplit,
}

struct QuoteDatesSegment {
    keys: StatementKeys,
    published: Column<DateTime>,
    articles: Column<u64>,
    topics: Option<(StrColumn, Arc<KeywordTerms>, Vec<bool>)>,
    found: Vec<DatedQuote>,
}

impl Collector for QuoteDates {
    type Fruit = Vec<DatedQuote>;
    type Child = QuoteDatesSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<QuoteDatesSegment> {
        let fast = reader.fast_fields();
        let topics = match self.terms.column(reader, TOPIC)? {
            Some((column, terms)) => {
                let kept = (0..terms.len() as u64)
                    .map(|ordinal| {
                        terms
                            .term(ordinal)
                            .is_some_and(|path| self.split.keeps(path))
                    })
                    .collect();
                Some((column, terms, kept))
            }
            None => None,
        };
        Ok(QuoteDatesSegment {
            keys: StatementKeys::new(&self.table, segment, reader),
            published: fast.date(PUBLISHED)?,
            articles: fast.u64(ARTICLE_KEY)?,
            topics,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Vec<DatedQuote>>) -> tantivy::Result<Vec<DatedQuote>> {
        Ok(segments.into_iter().flatten().collect())
    }
}

impl SegmentCollector for QuoteDatesSegment {
    type Fruit = Vec<DatedQuote>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let day = self.published.first(doc).and_then(|published| {
            OffsetDateTime::from_unix_timestamp(published.into_timestamp_secs())
                .ok()
                .map(|time| time.date())
        });
        let topics = match &self.topics {
            Some((column, terms, kept)) => column
                .term_ords(doc)
                .filter(|ordinal| kept.get(*ordinal as usize).copied().unwrap_or(false))
                .filter_map(|ordinal| terms.term(ordinal).cloned())
                .collect(),
            None => Vec::new(),
        };
        self.found.push(DatedQuote {
            day,
            statement: self.keys.key(doc),
            article: self.articles.first(doc).unwrap_or(0),
            topics,
        });
    }

    fn harvest(self) -> Vec<DatedQuote> {
        self.found
    }
}

/// Counts, over the article documents whose key is in `articles`, the
/// identities they quote (once per article).
struct ArticleSpeakers {
    articles: Arc<HashSet<u64>>,
    registry: Arc<SpeakerRegistry>,
    terms: SearcherTerms,
}

struct ArticleSpeakersSegment {
    articles: Arc<HashSet<u64>>,
    doc_keys: Column<u64>,
    speakers: Option<(StrColumn, Arc<Vec<u32>>)>,
    counts: HashMap<u32, u64>,
    in_article: Vec<u32>,
}

impl Collector for ArticleSpeakers {
    type Fruit = HashMap<u32, u64>;
    type Child = ArticleSpeakersSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ArticleSpeakersSegment> {
        let speakers = self.terms.column(reader, SPEAKER)?.map(|(column, terms)| {
            let identities = self
                .registry
                .identities_of_terms(reader.segment_id(), &terms);
            (column, identities)
        });
        Ok(ArticleSpeakersSegment {
            articles: self.articles.clone(),
            doc_keys: reader.fast_fields().u64(DOC_KEY)?,
            speakers,
            counts: HashMap::new(),
            in_article: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<HashMap<u32, u64>>) -> tantivy::Result<HashMap<u32, u64>> {
        let mut merged: HashMap<u32, u64> = HashMap::new();
        for segment in segments {
            for (identity, count) in segment {
                *merged.entry(identity).or_default() += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for ArticleSpeakersSegment {
    type Fruit = HashMap<u32, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(key) = self.doc_keys.first(doc) else {
            return;
        };
        if !self.articles.contains(&key) {
            return;
        }
        let Some((column, identities)) = &self.speakers else {
            return;
        };
        self.in_article.clear();
        for ordinal in column.term_ords(doc) {
            let identity = identities
                .get(ordinal as usize)
                .copied()
                .unwrap_or(NO_IDENTITY);
            if identity != NO_IDENTITY && !self.in_article.contains(&identity) {
                self.in_article.push(identity);
                *self.counts.entry(identity).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> HashMap<u32, u64> {
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn intervals_start_label_and_follow_each_other() {
        let cases = [
            (
                Interval::Month,
                date!(2024 - 12 - 26),
                date!(2024 - 12 - 01),
                "2024-12",
                date!(2025 - 01 - 01),
            ),
            (
                Interval::Week,
                date!(2024 - 04 - 26),
                date!(2024 - 04 - 22),
                "2024-W17",
                date!(2024 - 04 - 29),
            ),
            (
                Interval::Week,
                date!(2021 - 01 - 02),
                date!(2020 - 12 - 28),
                "2020-W53",
                date!(2021 - 01 - 04),
            ),
            (
                Interval::Day,
                date!(2024 - 02 - 29),
                date!(2024 - 02 - 29),
                "2024-02-29",
                date!(2024 - 03 - 01),
            ),
        ];
        for (interval, day, start, label, next) in cases {
            assert_eq!(interval.start_of(day), start, "{interval:?} {day}");
            assert_eq!(interval.label(start), label);
            assert_eq!(interval.next(start), next);
        }
        let sunday = date!(2024 - 04 - 28);
        assert_eq!(
            Interval::Week.start_of(sunday).weekday(),
            time::Weekday::Monday
        );
    }

    #[test]
    fn topics_split_one_level_below_the_filter() {
        let top = TopicSplit::below(None);
        assert!(top.keeps("/world") && !top.keeps("/world/asia-pacific"));
        let world = TopicSplit::below(Some("/World/"));
        assert!(world.keeps("/world/asia-pacific"));
        assert!(!world.keeps("/world") && !world.keeps("/economy/trade"));
        assert!(!world.keeps("/world/asia-pacific/taiwan"));
    }
}
