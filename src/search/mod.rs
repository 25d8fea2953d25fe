//! Search: turns a [`SearchRequest`] into tantivy queries and collectors, runs
//! them on one searcher (one consistent snapshot), and returns
//! [`SearchResults`]: the page of hits, the exact total, facet counts and the
//! cursor for the next page.
//!
//! - [`query`] parses and compiles the query language;
//! - [`collector`] ranks hits and counts facets;
//! - [`snippet`] highlights matches;
//! - [`cursor`] encodes deep-paging positions;
//! - [`export`] walks every match in index order, for streaming exports;
//! - [`entity_catalog`] and [`speaker_catalog`] list entities and speakers;
//! - [`verify`] finds the attested quotes closest to a claimed one;
//! - [`statements`] summarises a hit's statement and filters one
//!   statement's copies (`group=statement`, `count=statements`,
//!   `statement=<id>`);
//! - [`timeline`] counts a speaker's quotes and statements over time.
//!
//! Speakers are read as identities of the corpus speaker registry
//! ([`crate::indexing::speaker_registry`]): a `speaker` filter matches every
//! name of the identity it names, and the `speaker` facet counts identities.
//! Searches without either never build or consult the registry.
//!
//! Search is synchronous; the embedded backend ([`crate::backend::embedded`])
//! runs it, on the blocking pool of the HTTP layer that calls it.

pub mod collector;
pub mod cursor;
pub mod entity_catalog;
pub mod export;
pub mod hit;
pub mod query;
pub mod snippet;
pub mod speaker_catalog;
pub mod statements;
pub mod statistics;
pub mod timeline;
pub mod verify;

use std::ops::Bound;
use std::time::{Duration, Instant};

use tantivy::collector::Count;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::DateTime;
use time::OffsetDateTime;

use crate::analysis::tokenizers::normalize_keyword;
use crate::indexing::schema::{self, KIND_ARTICLE, KIND_QUOTE};
use crate::indexing::{IndexError, IndexStore};
use collector::{FacetCounts, StatementTopHits, TopHits, WithDeadline};
use hit::HitDocument;
use query::{parse_query, QueryCompiler};
use snippet::SnippetMaker;
use statements::{statement_summary, StatementQuery, StatementSummary};
use statistics::KindStatistics;

/// What a search returns: articles or quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Article documents.
    Articles,
    /// Quote documents.
    Quotes,
}

impl Target {
    fn kind(self) -> &'static str {
        match self {
            Target::Articles => KIND_ARTICLE,
            Target::Quotes => KIND_QUOTE,
        }
    }

    /// Facets that can be requested for this target.
    pub fn facet_names(self) -> &'static [&'static str] {
        match self {
            Target::Articles => &[
                FACET_SPEAKER,
                FACET_TOPIC,
                FACET_SOURCE,
                FACET_MONTH,
                FACET_LANGUAGE,
                FACET_PERSON,
                FACET_PLACE,
                FACET_ORG,
            ],
            Target::Quotes => &[
                FACET_SPEAKER,
                FACET_TOPIC,
                FACET_SOURCE,
                FACET_MONTH,
                FACET_LANGUAGE,
                FACET_ROLE,
                FACET_KIND,
                FACET_SPEAKER_KIND,
                FACET_PERSON,
                FACET_PLACE,
                FACET_ORG,
            ],
        }
    }

    /// Filters that can be applied for this target (same names as facets).
    pub fn filter_names(self) -> &'static [&'static str] {
        self.facet_names()
    }
}

/// Facet and filter name: speaker.
pub const FACET_SPEAKER: &str = "speaker";
/// Facet and filter name: topic.
pub const FACET_TOPIC: &str = "topic";
/// Facet and filter name: source.
pub const FACET_SOURCE: &str = "source";
/// Facet and filter name: month.
pub const FACET_MONTH: &str = "month";
/// Facet and filter name: language.
pub const FACET_LANGUAGE: &str = "language";
/// Facet and filter name: role (quotes).
pub const FACET_ROLE: &str = "role";
/// Facet and filter name: quote kind (quotes).
pub const FACET_KIND: &str = "kind";
/// Facet and filter name: the kind of source (quotes): `person`,
/// `organization`, `government`, `anonymous`, `unknown`.
pub const FACET_SPEAKER_KIND: &str = "speaker_kind";
/// Facet and filter name: people named (articles; for quotes, named in the quote).
pub const FACET_PERSON: &str = "person";
/// Facet and filter name: places named.
pub const FACET_PLACE: &str = "place";
/// Facet and filter name: organisations named.
pub const FACET_ORG: &str = "org";
/// The entity facets, in the order `/v1/entities` lists types.
pub const ENTITY_FACETS: [&str; 3] = [FACET_PERSON, FACET_PLACE, FACET_ORG];

/// The index field behind a client-facing facet name.
pub fn facet_field_name(facet: &str) -> Option<&'static str> {
    Some(match facet {
        FACET_SPEAKER => schema::SPEAKER,
        FACET_TOPIC => schema::TOPIC,
        FACET_SOURCE => schema::SOURCE,
        FACET_MONTH => schema::MONTH,
        FACET_LANGUAGE => schema::LANGUAGE,
        FACET_ROLE => schema::ROLE,
        FACET_KIND => schema::QUOTE_KIND,
        FACET_SPEAKER_KIND => schema::SPEAKER_KIND,
        FACET_PERSON => schema::PERSON,
        FACET_PLACE => schema::PLACE,
        FACET_ORG => schema::ORG,
        _ => return None,
    })
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match first.
    Relevance,
    /// Oldest first.
    PublishedAscending,
    /// Newest first.
    PublishedDescending,
}

impl SortOrder {
    /// Every order, in the order the API lists them.
    pub const ALL: [SortOrder; 3] = [
        SortOrder::Relevance,
        SortOrder::PublishedAscending,
        SortOrder::PublishedDescending,
    ];

    /// Parses `relevance`, `published`, `-published` (the names of
    /// [`SortOrder::as_str`]).
    pub fn parse(text: &str) -> Option<SortOrder> {
        SortOrder::ALL
            .into_iter()
            .find(|order| order.as_str() == text)
    }

    /// The name accepted by [`SortOrder::parse`].
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::PublishedAscending => "published",
            SortOrder::PublishedDescending => "-published",
        }
    }
}

/// What a quote search returns one hit for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// Every matching copy (quote document).
    #[default]
    Copies,
    /// Every matching statement, shown by its best matching copy; `total`
    /// counts statements.
    Statements,
}

/// What facet counts count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CountUnit {
    /// Matching documents.
    #[default]
    Copies,
    /// Matching statements: a statement counts once in a value when any of
    /// its matching copies has it.
    Statements,
}

/// The publication times a request keeps: at or after `from`, strictly
/// before `before` (a search, a timeline, a verification; no bound when
/// `None`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishedRange {
    /// Published at or after.
    pub from: Option<OffsetDateTime>,
    /// Published strictly before.
    pub before: Option<OffsetDateTime>,
}

impl PublishedRange {
    /// Whether it keeps every time (and undated documents).
    pub fn is_unbounded(&self) -> bool {
        self.from.is_none() && self.before.is_none()
    }
}

/// A validated search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Articles or quotes.
    pub target: Target,
    /// The query string (empty = everything).
    pub query: String,
    /// Filters: facet name → accepted values (OR'ed); filters are AND'ed.
    pub filters: Vec<(String, Vec<String>)>,
    /// Only documents published in this range.
    pub published: PublishedRange,
    /// Quotes only: keep quotes whose extraction confidence is at least this.
    pub min_confidence: Option<f64>,
    /// Facets to count.
    pub facets: Vec<String>,
    /// Values returned per facet.
    pub facet_limit: usize,
    /// Result order.
    pub sort: SortOrder,
    /// Hits per page.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Resume after this cursor (excludes `offset`).
    pub cursor: Option<String>,
    /// Quotes only: one hit per copy or per statement.
    pub group: Grouping,
    /// Quotes only: facets count copies or statements.
    pub count: CountUnit,
    /// Quotes only: only the copies of the statement with this id.
    pub statement: Option<String>,
}

impl SearchRequest {
    /// Every document of `target`: no query, filters or facets, no hits
    /// (`limit` 0). Catalogs start from it.
    pub fn everything(target: Target) -> SearchRequest {
        SearchRequest {
            target,
            query: String::new(),
            filters: Vec::new(),
            published: PublishedRange::default(),
            min_confidence: None,
            facets: Vec::new(),
            facet_limit: 1,
            sort: SortOrder::Relevance,
            limit: 0,
            offset: 0,
            cursor: None,
            group: Grouping::Copies,
            count: CountUnit::Copies,
            statement: None,
        }
    }

    /// Whether the search reads the statement table.
    pub fn uses_statements(&self) -> bool {
        self.group == Grouping::Statements
            || self.count == CountUnit::Statements
            || self.statement.is_some()
    }

    /// The user's query of this request, parsed, checked against `limits`
    /// and compiled for the languages of `searcher`'s snapshot.
    pub(crate) fn compile_user_query(
        &self,
        store: &IndexStore,
        searcher: &tantivy::Searcher,
        limits: SearchLimits,
    ) -> Result<Box<dyn Query>, SearchError> {
        let node = parse_query(&self.query)?;
        let clauses = node.clause_count();
        if clauses > limits.max_query_clauses {
            return Err(SearchError::TooManyClauses {
                found: clauses,
                limit: limits.max_query_clauses,
            });
        }
        let languages = search_languages(store, searcher, self);
        QueryCompiler::new(store.fields(), self.target, store.analyzers(), &languages)
            .compile(&node)
    }
}

/// Limits a search must respect.
#[derive(Debug, Clone, Copy)]
pub struct SearchLimits {
    /// Most clauses in a query.
    pub max_query_clauses: usize,
    /// Deepest `offset + limit`.
    pub max_window: usize,
    /// Longest the search may run; `None` = no limit.
    pub timeout: Option<Duration>,
}

impl SearchLimits {
    /// The limits configured in `settings` (`timeout_ms` 0 = no deadline).
    pub fn from_settings(settings: &crate::config::SearchSettings) -> SearchLimits {
        SearchLimits {
            max_query_clauses: settings.max_query_clauses,
            max_window: settings.max_window,
            timeout: (settings.timeout_ms > 0).then(|| Duration::from_millis(settings.timeout_ms)),
        }
    }
}

/// One hit.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// The stored JSON of the document (an analysed article or a stored quote).
    pub stored_json: String,
    /// What the hit shows of it, read once with its snippet.
    pub document: HitDocument,
    /// Relevance score.
    pub score: f32,
    /// Highlighted fragment (HTML with `<mark>`).
    pub snippet: String,
    /// The hit's statement, when the search reads statements and the quote
    /// belongs to one.
    pub statement: Option<StatementSummary>,
}

/// Counts of one facet.
#[derive(Debug, Clone, PartialEq)]
pub struct FacetValues {
    /// Facet name.
    pub name: String,
    /// Values with counts, most frequent first (then by value), up to the limit.
    pub values: Vec<(String, u64)>,
    /// Number of distinct values among all matching documents.
    pub distinct: usize,
}

/// What a catalog (`/v1/speakers`, `/v1/topics`, `/v1/entities`) lists:
/// values of the documents of `target` starting with `prefix` (ignoring case
/// and accents), most frequent first, up to `limit`.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogRequest {
    /// Whose values: the articles' or the quotes'.
    pub target: Target,
    /// Only values starting with this (empty: every value).
    pub prefix: String,
    /// Values returned.
    pub limit: usize,
}

/// A catalog (`/v1/speakers`, `/v1/entities`): its values, most frequent
/// first, up to the limit, and how many matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog<V> {
    /// Values, most frequent first, up to the limit.
    pub values: Vec<V>,
    /// Distinct values matching the request.
    pub distinct: usize,
}

impl<V> Catalog<V> {
    /// The first `limit` of the matching `values` in `order`, with how many
    /// matched.
    pub fn top(
        mut values: Vec<V>,
        limit: usize,
        order: impl FnMut(&V, &V) -> std::cmp::Ordering,
    ) -> Catalog<V> {
        let distinct = values.len();
        values.sort_by(order);
        values.truncate(limit);
        Catalog { values, distinct }
    }
}

/// The outcome of a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Number of matching documents.
    pub total: u64,
    /// The requested page.
    pub hits: Vec<SearchHit>,
    /// Requested facets, in request order.
    pub facets: Vec<FacetValues>,
    /// Cursor for the next page, when there may be one.
    pub next_cursor: Option<String>,
}

/// Errors a search can raise.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query string does not parse.
    #[error("query syntax error at position {position}: {message}")]
    QuerySyntax {
        /// Code-point position in `q`.
        position: usize,
        /// What is wrong.
        message: String,
    },
    /// The query names a field that does not exist for the target.
    #[error("{message}")]
    UnknownField {
        /// The field.
        name: String,
        /// Code-point position in `q`.
        position: usize,
        /// Full explanation.
        message: String,
    },
    /// The query has more clauses than allowed.
    #[error("the query has {found} clauses; the limit is {limit}")]
    TooManyClauses {
        /// Clauses found.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// `offset + limit` is beyond the paging window.
    #[error(
        "offset + limit is {requested}, beyond the limit of {limit}; page deeper with `cursor`"
    )]
    WindowTooLarge {
        /// `offset + limit`.
        requested: usize,
        /// The limit.
        limit: usize,
    },
    /// The search ran past its deadline and was stopped.
    #[error(
        "the search took longer than {timeout_ms} ms and was stopped; narrow the query or retry"
    )]
    Timeout {
        /// The limit, in milliseconds.
        timeout_ms: u128,
    },
    /// The cursor is malformed or belongs to another sort order.
    #[error("invalid cursor: pass back a `next_cursor` from a search with the same sort")]
    InvalidCursor,
    /// No speaker identity has this name.
    #[error("no speaker is known as `{name}`")]
    SpeakerNotFound {
        /// The name asked for.
        name: String,
    },
    /// A timeline would have more intervals than allowed.
    #[error("the timeline would have more than {limit} intervals; use a wider `interval` or `from` and `to`")]
    TooManyIntervals {
        /// The limit.
        limit: usize,
    },
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(error: tantivy::TantivyError) -> Self {
        SearchError::Index(IndexError::Tantivy(error))
    }
}

/// A search compiled to tantivy queries and collectors, before any document
/// is read: what [`search`] runs, exposed so that benchmarks can time tantivy
/// on exactly the queries Verbatim builds.
pub struct CompiledSearch {
    /// The user's query alone (what snippets highlight).
    pub user_query: Box<dyn Query>,
    /// The user's query restricted to the target kind, filters and dates.
    pub full_query: BooleanQuery,
    /// Collects the ranked window (`offset + limit` hits, after the cursor).
    pub top: TopHits,
    /// Counts the requested facets.
    pub facets: FacetCounts,
}

/// Parses, checks and compiles `request` against `searcher`'s snapshot.
pub fn compile_search(
    store: &IndexStore,
    searcher: &tantivy::Searcher,
    request: &SearchRequest,
    limits: SearchLimits,
) -> Result<CompiledSearch, SearchError> {
    let user_query = request.compile_user_query(store, searcher, limits)?;
    let window = request.offset.saturating_add(request.limit);
    if window > limits.max_window {
        return Err(SearchError::WindowTooLarge {
            requested: window,
            limit: limits.max_window,
        });
    }
    let after = match &request.cursor {
        Some(cursor) => {
            Some(cursor::decode_cursor(cursor, request.sort).ok_or(SearchError::InvalidCursor)?)
        }
        None => None,
    };
    let full_query = filtered_query(store, searcher, request, user_query.box_clone())?;
    let facet_fields: Vec<&'static str> = request
        .facets
        .iter()
        .filter_map(|name| facet_field_name(name))
        .collect();
    let mut facets = FacetCounts::new(store, searcher, facet_fields);
    if request.facets.iter().any(|name| name == FACET_SPEAKER) {
        facets = facets.with_speaker_identities(store.speaker_registry(searcher)?);
    }
    if request.count == CountUnit::Statements && !request.facets.is_empty() {
        facets = facets.counting_statements(store.statements(searcher)?);
    }
    Ok(CompiledSearch {
        user_query,
        full_query,
        top: TopHits {
            limit: window.max(1),
            sort: request.sort,
            after,
        },
        facets,
    })
}

/// Runs a search on the current snapshot of `store`.
pub fn search(
    store: &IndexStore,
    request: &SearchRequest,
    limits: SearchLimits,
) -> Result<SearchResults, SearchError> {
    let fields = store.fields();
    let started = Instant::now();
    let searcher = store.searcher();
    let CompiledSearch {
        user_query,
        full_query,
        top,
        facets,
    } = compile_search(store, &searcher, request, limits)?;
    let statistics = KindStatistics::new(store, &searcher, request.target)?;
    let table = if request.uses_statements() {
        Some(store.statements(&searcher)?)
    } else {
        None
    };
    let (ranked, total, facet_counts) = match (&table, request.group) {
        (Some(table), Grouping::Statements) => {
            let grouped = StatementTopHits {
                limit: top.limit,
                sort: top.sort,
                after: top.after,
                table: table.clone(),
            };
            let (found, facet_counts) = collect_within(
                &searcher,
                &statistics,
                &full_query,
                (grouped, facets),
                started,
                limits,
            )?;
            let ranked: Vec<(Option<u32>, collector::RankedHit)> = found.hits;
            (ranked, found.total, facet_counts)
        }
        _ => {
            let (ranked, total, facet_counts) = collect_within(
                &searcher,
                &statistics,
                &full_query,
                (top, Count, facets),
                started,
                limits,
            )?;
            let ranked = ranked.into_iter().map(|hit| (None, hit)).collect();
            (ranked, total as u64, facet_counts)
        }
    };

    let page: Vec<_> = ranked
        .into_iter()
        .skip(request.offset)
        .take(request.limit)
        .collect();
    let next_cursor = match page.last() {
        Some((_, last)) if page.len() == request.limit => {
            Some(cursor::encode_cursor(request.sort, last.key))
        }
        _ => None,
    };

    let snippet_field = match request.target {
        Target::Articles => fields.body,
        Target::Quotes => fields.quote,
    };
    let mut snippets = SnippetMaker::new(
        &searcher,
        user_query.as_ref(),
        snippet_field,
        store.analyzers(),
    )?;
    let mut hits = Vec::with_capacity(page.len());
    for (grouped_statement, ranked_hit) in page {
        let stored_json = store.read_stored_json(&searcher, ranked_hit.address)?;
        let mut hit = read_hit(stored_json, request.target, ranked_hit.score, &mut snippets)?;
        hit.statement = match &table {
            Some(table) => {
                let segment = searcher.segment_reader(ranked_hit.address.segment_ord);
                let index = grouped_statement.or_else(|| {
                    table.statement_of((segment.segment_id(), ranked_hit.address.doc_id))
                });
                match index {
                    Some(index) => statement_summary(store, &searcher, table, index)?,
                    None => None,
                }
            }
            None => None,
        };
        hits.push(hit);
    }

    let facets = request
        .facets
        .iter()
        .zip(facet_counts)
        .map(|(name, counts)| facet_values(name, counts, request.facet_limit))
        .collect();
    Ok(SearchResults {
        total,
        hits,
        facets,
        next_cursor,
    })
}

/// Fewest documents in a snapshot for one search to collect its segments in
/// parallel (on the index's `search.threads` pool). Below it, segments are
/// collected one after the other on the calling thread: the pool's hand-off
/// and its spinning workers cost more than they save on small segments (on
/// Reuters, 83,000 documents in 2 segments, waking the pool cost about a
/// third of the server's CPU at one client).
pub const PARALLEL_SEARCH_MIN_DOCS: u64 = 500_000;

/// Runs `collector` on `query` in `searcher`, its segments in parallel only
/// when the snapshot holds at least [`PARALLEL_SEARCH_MIN_DOCS`] documents,
/// scores (if it wants them) from `statistics`.
fn run_collector<C: tantivy::collector::Collector>(
    searcher: &tantivy::Searcher,
    statistics: &KindStatistics<'_>,
    query: &dyn Query,
    collector: &C,
) -> tantivy::Result<C::Fruit> {
    static SINGLE_THREAD: tantivy::Executor = tantivy::Executor::SingleThread;
    let executor = if searcher.num_docs() >= PARALLEL_SEARCH_MIN_DOCS {
        searcher.index().search_executor()
    } else {
        &SINGLE_THREAD
    };
    let scoring = if collector.requires_scoring() {
        tantivy::query::EnableScoring::enabled_from_statistics_provider(statistics, searcher)
    } else {
        tantivy::query::EnableScoring::disabled_from_searcher(searcher)
    };
    searcher.search_with_executor(query, collector, executor, scoring)
}

/// Runs `collector` on `query`, scored from `statistics` (those of the kind
/// of document searched), stopped at the search deadline (counted from
/// `started`): [`SearchError::Timeout`] rather than a partial fruit.
pub(crate) fn collect_within<C: tantivy::collector::Collector>(
    searcher: &tantivy::Searcher,
    statistics: &KindStatistics<'_>,
    query: &dyn Query,
    collector: C,
    started: Instant,
    limits: SearchLimits,
) -> Result<C::Fruit, SearchError> {
    match limits.timeout {
        None => Ok(run_collector(searcher, statistics, query, &collector)?),
        Some(timeout) => {
            let bounded = WithDeadline::new(collector, started + timeout);
            let fruit = run_collector(searcher, statistics, query, &bounded)?;
            if bounded.expired() {
                return Err(SearchError::Timeout {
                    timeout_ms: timeout.as_millis(),
                });
            }
            Ok(fruit)
        }
    }
}

/// Counts the values of `facet` as `catalog` asks and, for hierarchical
/// values, keeps the direct children of `parent`.
pub fn facet_catalog(
    store: &IndexStore,
    catalog: &CatalogRequest,
    facet: &str,
    parent: Option<&str>,
) -> Result<FacetValues, SearchError> {
    let field = facet_field_name(facet).expect("facet names are validated by the caller");
    let request = SearchRequest {
        facets: vec![facet.to_owned()],
        facet_limit: catalog.limit,
        ..SearchRequest::everything(catalog.target)
    };
    let searcher = store.searcher();
    let mut counter = FacetCounts::new(store, &searcher, vec![field]);
    if facet == FACET_SPEAKER {
        counter = counter.with_speaker_identities(store.speaker_registry(&searcher)?);
    }
    let counts = count_facets(store, &searcher, &request, &counter)?
        .pop()
        .unwrap_or_default();
    Ok(catalog_facet_values(catalog, facet, parent, counts))
}

/// What `counter` counts over every document of `request`'s target that its
/// filters and dates keep: the catalogs' counts.
pub(crate) fn count_facets(
    store: &IndexStore,
    searcher: &tantivy::Searcher,
    request: &SearchRequest,
    counter: &FacetCounts,
) -> Result<collector::FacetFruit, SearchError> {
    let query = filtered_query(store, searcher, request, Box::new(AllQuery))?;
    Ok(searcher.search(&query, counter)?)
}

/// The facet catalog of `facet` from every value of the target's documents
/// with its count (`counts`, speakers folded into identities): the values
/// starting with the catalog's prefix (for topics, the direct children of
/// `parent`), the `limit` most frequent first. Shared by every backend.
pub fn catalog_facet_values(
    catalog: &CatalogRequest,
    facet: &str,
    parent: Option<&str>,
    mut counts: Vec<(std::sync::Arc<str>, u64)>,
) -> FacetValues {
    let prefix = normalize_keyword(&catalog.prefix);
    let parent = parent.map(|parent| normalize_keyword(parent.trim_end_matches('/')));
    counts.retain(|(value, _)| {
        let normalized = normalize_keyword(value);
        let matches_parent = match &parent {
            None => true,
            Some(parent) => normalized
                .strip_prefix(parent.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|child| !child.is_empty() && !child.contains('/')),
        };
        matches_parent && normalized.starts_with(&prefix)
    });
    facet_values(facet, counts, catalog.limit)
}

/// The `limit` most frequent values (then by value), without sorting all of
/// them: only the kept ones are ordered and copied.
pub(crate) fn facet_values(
    name: &str,
    counts: Vec<(std::sync::Arc<str>, u64)>,
    limit: usize,
) -> FacetValues {
    let distinct = counts.len();
    let mut values = counts;
    let order = |a: &(std::sync::Arc<str>, u64), b: &(std::sync::Arc<str>, u64)| {
        b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
    };
    if limit < values.len() {
        values.select_nth_unstable_by(limit, order);
        values.truncate(limit);
    }
    values.sort_unstable_by(order);
    FacetValues {
        name: name.to_owned(),
        values: values
            .into_iter()
            .map(|(value, count)| (value.to_string(), count))
            .collect(),
        distinct,
    }
}

/// The user's query restricted to the target kind, filters and dates. Filters
/// do not change scores. A `speaker` filter value matches every name of its
/// identity in `searcher`'s speaker registry.
pub(crate) fn filtered_query(
    store: &IndexStore,
    searcher: &tantivy::Searcher,
    request: &SearchRequest,
    user_query: Box<dyn Query>,
) -> Result<BooleanQuery, SearchError> {
    let fields = store.fields();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, user_query),
        (
            Occur::Must,
            constant(Box::new(store.kind_query(request.target.kind()))),
        ),
    ];
    for (name, values) in &request.filters {
        let Some(field) = facet_field_name(name).and_then(|f| fields.keyword(f)) else {
            continue;
        };
        let alternatives: Vec<(Occur, Box<dyn Query>)> = if name == FACET_SPEAKER {
            let registry = store.speaker_registry(searcher)?;
            let mut terms: Vec<String> = values
                .iter()
                .flat_map(|value| registry.filter_values(value))
                .map(|value| normalize_keyword(&value))
                .collect();
            terms.sort_unstable();
            terms.dedup();
            terms
                .iter()
                .map(|term| (Occur::Should, keyword_term_query(field, term)))
                .collect()
        } else {
            values
                .iter()
                .map(|value| (Occur::Should, keyword_query(field, name, value)))
                .collect()
        };
        clauses.push((
            Occur::Must,
            constant(Box::new(BooleanQuery::new(alternatives))),
        ));
    }
    if let Some(id) = &request.statement {
        let table = store.statements(searcher)?;
        clauses.push((
            Occur::Must,
            constant(Box::new(StatementQuery::new(&table, id))),
        ));
    }
    if !request.published.is_unbounded() {
        let bound = |time: Option<OffsetDateTime>, inclusive: bool| match time {
            None => Bound::Unbounded,
            Some(time) => {
                let term = Term::from_field_date(fields.published, DateTime::from_utc(time));
                if inclusive {
                    Bound::Included(term)
                } else {
                    Bound::Excluded(term)
                }
            }
        };
        let range = RangeQuery::new(
            bound(request.published.from, true),
            bound(request.published.before, false),
        );
        clauses.push((Occur::Must, constant(Box::new(range))));
    }
    if let Some(minimum) = request.min_confidence {
        let range = RangeQuery::new(
            Bound::Included(Term::from_field_f64(fields.confidence, minimum)),
            Bound::Unbounded,
        );
        clauses.push((Occur::Must, constant(Box::new(range))));
    }
    Ok(BooleanQuery::new(clauses))
}

fn keyword_query(field: Field, facet: &str, value: &str) -> Box<dyn Query> {
    keyword_term_query(field, &filter_term(facet, value))
}

/// The folded term a filter on `facet` matches for `value` (a topic
/// without its trailing `/`), as keyword fields index it.
pub fn filter_term(facet: &str, value: &str) -> String {
    if facet == FACET_TOPIC {
        normalize_keyword(value.trim_end_matches('/'))
    } else {
        normalize_keyword(value)
    }
}

/// Matches documents whose keyword `field` holds `normalized` (a value
/// already folded by [`normalize_keyword`]).
fn keyword_term_query(field: Field, normalized: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, normalized),
        IndexRecordOption::Basic,
    ))
}

fn constant(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// The languages whose analyzers a query is compiled with: those of the
/// `language` filter, else every language present in the index.
fn search_languages(
    store: &IndexStore,
    searcher: &tantivy::Searcher,
    request: &SearchRequest,
) -> std::sync::Arc<Vec<String>> {
    let filtered = filtered_languages(request);
    if !filtered.is_empty() {
        return std::sync::Arc::new(filtered);
    }
    store.languages(searcher)
}

/// The languages of `request`'s `language` filter, trimmed and lowercased
/// (empty without one): when given, a query is analysed for them alone,
/// else for every language the store holds.
pub fn filtered_languages(request: &SearchRequest) -> Vec<String> {
    request
        .filters
        .iter()
        .filter(|(name, _)| name == FACET_LANGUAGE)
        .flat_map(|(_, values)| values.iter().map(|v| v.trim().to_lowercase()))
        .collect()
}

/// A hit of `target` read from its stored JSON once: what it shows, and its
/// snippet made by `snippets` (no statement yet). Both backends read their
/// hits with it.
pub(crate) fn read_hit(
    stored_json: String,
    target: Target,
    score: f32,
    snippets: &mut SnippetMaker<'_>,
) -> Result<SearchHit, SearchError> {
    let (document, snippet) =
        HitDocument::read(&stored_json, target == Target::Quotes, |language, text| {
            snippets.snippet(language, text)
        })
        .map_err(|e| SearchError::Index(IndexError::CorruptDocument(e.to_string())))?;
    Ok(SearchHit {
        stored_json,
        document,
        score,
        snippet,
        statement: None,
    })
}
