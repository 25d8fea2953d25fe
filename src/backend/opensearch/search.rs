//! Search on OpenSearch: the crate's query language, filters, sort orders,
//! cursors, exact totals and facet counts, answered from the cluster with
//! the embedded backend's semantics ([`crate::search`]).
//!
//! The query is parsed by [`parse_query`] and translated here, node by node
//! as [`crate::search::query::QueryCompiler`] compiles it for tantivy (the
//! same field resolution, the same analyses of each word by the analyzers
//! of the languages searched, the same simplifications of `*` and of words
//! that yield no term), into query DSL over the pre-analysed `terms.*`
//! fields: a word is a `term` query on the wire form of its term
//! ([`wire_term`]), a phrase a `match_phrase` of its terms with one
//! [`GAP`] per skipped position (the form [`super::documents`] indexes),
//! a prefix a `prefix` query (constant score, as tantivy's regex query),
//! a keyword field (`source:`, `topic:`, ...) a `term` on its `folded.*`
//! copy. Filters are `folded.*` terms (a speaker filter every name of its
//! identity in the speaker registry, read from the cluster and kept by the
//! index's write state, [`super::state`]), date and
//! confidence ranges, all in filter context (no score), as the embedded
//! backend's are constant-scored at zero.
//!
//! Sort orders and cursors: the embedded order (score or date, then
//! `doc_key` ascending; undated documents last in both date orders) as
//! `sort` with `doc_key` as the tie-breaker, and cursors in the embedded
//! format (the last hit's sort key, see [`crate::search::cursor`]) turned
//! back into `search_after` values, so a cursor needs no point in time and
//! survives any node restart. Totals are exact (`track_total_hits`), facets
//! exact ([`super::facets`]; the speaker facet counts identities as the
//! embedded collector does), snippets made in Verbatim from the stored text
//! with the embedded [`SnippetMaker`], weighting terms by their document
//! frequency in the cluster.
//!
//! Requests: a search reads the index's write state (one `_stats`; the
//! languages and the registry kept at it, [`super::state`]) unless its
//! filters need neither, then sends one `_search` for its page, exact total,
//! each facet's first pass and the snippet terms' document frequencies;
//! more only where exactness needs them (a facet's composite pass, speaker
//! names past the first page, identities with several names found) or after
//! a cursor (facets asked separately).
//!
//! Relevance scores are Lucene's BM25 over the same terms and norms, with
//! tantivy's `k1 + 1` factor (OpenSearch 2.x's `BM25` is Lucene's
//! `LegacyBM25Similarity`). Lucene's collection statistics count the
//! documents that have the field (`docCount`); the embedded backend takes
//! its statistics over the documents of the kind searched
//! (`search::statistics::KindStatistics`), so article scores agree, and
//! quote scores within a few percent (the fields both kinds hold are scaled,
//! not counted per kind: ARCHITECTURE.md, *What differs: relevance scores*).
//! Searches sorted by date, totals and facets are the same.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::client::{encode, Body};
use super::documents::{stored_json, wire_term, GAP};
use super::facets::{composite_aggregation, terms_aggregation};
use super::mapping::{DOC_TYPE, FOLDED, TERMS};
use super::state::WriteState;
use super::OpenSearchBackend;
use crate::analysis::tokenizers::LanguageAnalyzers;
use crate::backend::BackendError;
use crate::indexing::schema::{
    BODY, CONFIDENCE, DOC_KEY, KIND_ARTICLE, KIND_QUOTE, LANGUAGE, PUBLISHED, QUOTE, SPEAKER,
    SPEAKER_DETAIL, STORED_JSON,
};
use crate::indexing::speaker_registry::{observation_of_detail, SpeakerRegistry};
use crate::search::collector::{merge_same_names, ordered_score, timestamp_secs_key, SortKey};
use crate::search::cursor::{decode_cursor, encode_cursor};
use crate::search::query::{
    build, parse_query, Built, FieldKind, LeafScope, QueryEngine, QueryNode,
};
use crate::search::snippet::SnippetMaker;
use crate::search::{
    facet_field_name, facet_values, filter_term, filtered_languages, read_hit, SearchError,
    SearchRequest, SearchResults, SortOrder, Target, FACET_SPEAKER,
};

/// A query as this backend builds it from the parsed query language, before
/// it becomes query DSL: a tree, so that the snippet's terms are read from
/// exactly the clauses that survive (as tantivy's `query_terms` reads them).
#[derive(Debug, Clone, PartialEq)]
pub enum EngineQuery {
    /// Every document.
    All,
    /// No document.
    Nothing,
    /// One term of a field (a word's only term).
    Term {
        /// The schema field.
        field: &'static str,
        /// Text (`terms.*`) or keyword (`folded.*`).
        kind: FieldKind,
        /// The term as analysis made it.
        term: String,
    },
    /// Terms at positions relative to the first (a phrase, or a word that
    /// analysis splits).
    Phrase {
        /// The schema field.
        field: &'static str,
        /// Text (`terms.*`) or keyword (`folded.*`).
        kind: FieldKind,
        /// (position, term), in order.
        terms: Vec<(usize, String)>,
    },
    /// Terms starting with a prefix (constant score).
    Prefix {
        /// The schema field.
        field: &'static str,
        /// Text (`terms.*`) or keyword (`folded.*`).
        kind: FieldKind,
        /// The folded prefix.
        prefix: String,
    },
    /// All of `must`, at least one of `should` when there is no `must`,
    /// none of `must_not`; scores add up.
    Bool {
        /// Required clauses.
        must: Vec<EngineQuery>,
        /// Alternatives.
        should: Vec<EngineQuery>,
        /// Excluded clauses.
        must_not: Vec<EngineQuery>,
    },
    /// A clause whose score is multiplied.
    Boost(Box<EngineQuery>, f32),
}

impl EngineQuery {
    /// The query DSL.
    pub fn to_dsl(&self) -> Value {
        match self {
            EngineQuery::All => json!({ "match_all": {} }),
            EngineQuery::Nothing => json!({ "match_none": {} }),
            EngineQuery::Term { field, kind, term } => {
                json!({ "term": { field_path(field, *kind): { "value": wire(*kind, term) } } })
            }
            EngineQuery::Phrase { field, kind, terms } => match kind {
                FieldKind::Text => json!({ "match_phrase": {
                    field_path(field, *kind): { "query": phrase_terms(terms) }
                } }),
                // Keywords are one term each (the keyword analyzer does not
                // split); a split value can only be the whole value.
                FieldKind::Keyword => {
                    let whole: Vec<&str> = terms.iter().map(|(_, term)| term.as_str()).collect();
                    json!({ "term": { field_path(field, *kind): { "value": whole.join(" ") } } })
                }
            },
            EngineQuery::Prefix {
                field,
                kind,
                prefix,
            } => json!({ "prefix": { field_path(field, *kind): {
                "value": wire(*kind, prefix),
                "rewrite": "constant_score",
            } } }),
            EngineQuery::Bool {
                must,
                should,
                must_not,
            } => {
                let mut bool = Map::new();
                for (occur, clauses) in [("must", must), ("should", should), ("must_not", must_not)]
                {
                    if !clauses.is_empty() {
                        bool.insert(
                            occur.to_owned(),
                            clauses.iter().map(EngineQuery::to_dsl).collect(),
                        );
                    }
                }
                json!({ "bool": bool })
            }
            EngineQuery::Boost(query, boost) => {
                json!({ "bool": { "must": [query.to_dsl()], "boost": boost } })
            }
        }
    }

    /// The number of term, phrase and prefix clauses: the leaves the
    /// engine's clause limit counts (one per field and analysis of a word).
    pub fn clause_count(&self) -> usize {
        match self {
            EngineQuery::All | EngineQuery::Nothing => 0,
            EngineQuery::Term { .. } | EngineQuery::Phrase { .. } | EngineQuery::Prefix { .. } => 1,
            EngineQuery::Bool {
                must,
                should,
                must_not,
            } => must
                .iter()
                .chain(should)
                .chain(must_not)
                .map(EngineQuery::clause_count)
                .sum(),
            EngineQuery::Boost(query, _) => query.clause_count(),
        }
    }

    /// Calls `visit` with every term of the text field `field` the query
    /// holds, excluded clauses included (as tantivy's `query_terms`).
    pub fn visit_terms<'q>(&'q self, field: &str, visit: &mut dyn FnMut(&'q str)) {
        match self {
            EngineQuery::Term {
                field: own,
                kind: FieldKind::Text,
                term,
            } if *own == field => visit(term),
            EngineQuery::Phrase {
                field: own,
                kind: FieldKind::Text,
                terms,
            } if *own == field => terms.iter().for_each(|(_, term)| visit(term)),
            EngineQuery::Bool {
                must,
                should,
                must_not,
            } => {
                for clause in must.iter().chain(should).chain(must_not) {
                    clause.visit_terms(field, visit);
                }
            }
            EngineQuery::Boost(query, _) => query.visit_terms(field, visit),
            _ => {}
        }
    }
}

/// The path of a schema field in the index: `terms.<field>` for text,
/// `folded.<field>` for keywords.
fn field_path(field: &str, kind: FieldKind) -> String {
    match kind {
        FieldKind::Text => format!("{TERMS}.{field}"),
        FieldKind::Keyword => format!("{FOLDED}.{field}"),
    }
}

fn wire(kind: FieldKind, term: &str) -> String {
    match kind {
        FieldKind::Text => wire_term(term).into_owned(),
        FieldKind::Keyword => term.to_owned(),
    }
}

/// A phrase's terms as a terms field holds them: in order, one [`GAP`] for
/// each position skipped before a term.
pub fn phrase_terms(terms: &[(usize, String)]) -> String {
    let mut out: Vec<String> = Vec::with_capacity(terms.len());
    let mut next = 0;
    for (position, term) in terms {
        for _ in next..*position {
            out.push(GAP.to_owned());
        }
        out.push(wire_term(term).into_owned());
        next = position + 1;
    }
    out.join(" ")
}

/// Translates [`QueryNode`]s into [`EngineQuery`]s for one target, as
/// [`crate::search::query::QueryCompiler`] compiles them for tantivy.
pub struct QueryTranslator {
    scope: LeafScope,
}

impl QueryTranslator {
    /// A translator for searches over `target` in `languages` (an empty
    /// list analyses with the fallback analyzer only).
    pub fn new(target: Target, analyzers: &LanguageAnalyzers, languages: &[String]) -> Self {
        QueryTranslator {
            scope: LeafScope::new(target, analyzers, languages),
        }
    }

    /// Translates a whole query.
    pub fn translate(&mut self, node: &QueryNode) -> Result<EngineQuery, SearchError> {
        Ok(match build(self, node)? {
            Built::Query(query) => query,
            Built::Everything => EngineQuery::All,
            Built::Nothing => EngineQuery::Nothing,
        })
    }
}

impl QueryEngine for QueryTranslator {
    type Query = EngineQuery;

    fn scope(&mut self) -> &mut LeafScope {
        &mut self.scope
    }

    fn words_query(
        &self,
        field: &'static str,
        kind: FieldKind,
        tokens: &[(usize, String)],
    ) -> EngineQuery {
        match tokens {
            [(_, term)] => EngineQuery::Term {
                field,
                kind,
                term: term.clone(),
            },
            _ => EngineQuery::Phrase {
                field,
                kind,
                terms: tokens.to_vec(),
            },
        }
    }

    fn prefix_query(
        &self,
        field: &'static str,
        kind: FieldKind,
        prefix: &str,
        _: usize,
    ) -> Result<EngineQuery, SearchError> {
        Ok(EngineQuery::Prefix {
            field,
            kind,
            prefix: prefix.to_owned(),
        })
    }

    fn boost(query: EngineQuery, boost: f32) -> EngineQuery {
        EngineQuery::Boost(Box::new(query), boost)
    }

    fn all(clauses: Vec<(bool, EngineQuery)>) -> EngineQuery {
        let (must, must_not): (Vec<_>, Vec<_>) =
            clauses.into_iter().partition(|(required, _)| *required);
        let mut must: Vec<EngineQuery> = must.into_iter().map(|(_, query)| query).collect();
        if must.is_empty() {
            must.push(EngineQuery::All);
        }
        EngineQuery::Bool {
            must,
            should: Vec::new(),
            must_not: must_not.into_iter().map(|(_, query)| query).collect(),
        }
    }

    fn any(clauses: Vec<EngineQuery>) -> EngineQuery {
        EngineQuery::Bool {
            must: Vec::new(),
            should: clauses,
            must_not: Vec::new(),
        }
    }

    fn not(query: EngineQuery) -> EngineQuery {
        EngineQuery::Bool {
            must: vec![EngineQuery::All],
            should: Vec::new(),
            must_not: vec![query],
        }
    }
}

/// The document kind of a target.
pub(super) fn kind_of(target: Target) -> &'static str {
    match target {
        Target::Articles => KIND_ARTICLE,
        Target::Quotes => KIND_QUOTE,
    }
}

/// The text field snippets are made from.
fn snippet_field(target: Target) -> &'static str {
    match target {
        Target::Articles => BODY,
        Target::Quotes => QUOTE,
    }
}

/// A request checked and translated: what [`OpenSearchBackend::search`]
/// sends.
struct Prepared {
    /// The user's query alone (its terms are the snippet's).
    user: EngineQuery,
    /// The cursor's sort key, if any.
    after: Option<SortKey>,
}

/// A request compiled: what a search or an export sends.
pub(super) struct Compiled {
    /// The user's query alone (its terms are the snippet's).
    pub user: EngineQuery,
    /// The cursor's sort key, if any.
    pub after: Option<SortKey>,
    /// The speaker registry, when a speaker filter or facet needed it.
    pub registry: Option<Arc<SpeakerRegistry>>,
    /// The whole query: the user's, the target's kind and the filters.
    pub query: Value,
}

/// The DSL of the user's query as the whole search's scoring clause: a
/// query without words (`*`, or none) scores 0, as the embedded backend's
/// does (tantivy drops a match-all from a conjunction, leaving the filters'
/// zero scores); a match-all under a negation (`-china`) still scores 1 in
/// both.
fn scored_user_query(user: &EngineQuery) -> Value {
    match user {
        EngineQuery::All => json!({ "match_all": { "boost": 0.0 } }),
        other => other.to_dsl(),
    }
}

/// Whether `request` filters or counts by speaker, and so needs the
/// speaker registry.
pub(super) fn uses_speakers(request: &SearchRequest) -> bool {
    request.facets.iter().any(|name| name == FACET_SPEAKER)
        || request
            .filters
            .iter()
            .any(|(name, _)| name == FACET_SPEAKER)
}

/// The `sort` of an order: its key, then `doc_key` ascending.
fn sort_clause(sort: SortOrder) -> Value {
    let tie = json!({ DOC_KEY: { "order": "asc" } });
    match sort {
        SortOrder::Relevance => json!([{ "_score": { "order": "desc" } }, tie]),
        SortOrder::PublishedDescending => {
            json!([{ PUBLISHED: { "order": "desc", "missing": "_last" } }, tie])
        }
        SortOrder::PublishedAscending => {
            json!([{ PUBLISHED: { "order": "asc", "missing": "_last" } }, tie])
        }
    }
}

/// The sort value OpenSearch gives an undated document in `sort` order
/// (`missing: _last`).
fn missing_date(sort: SortOrder) -> i64 {
    match sort {
        SortOrder::PublishedAscending => i64::MAX,
        _ => i64::MIN,
    }
}

/// The embedded sort key of a hit from its `sort` values.
fn hit_key(sort: SortOrder, values: &[Value]) -> Option<SortKey> {
    let doc_key = values.get(1)?.as_u64()?;
    let primary = match sort {
        SortOrder::Relevance => ordered_score(values.first()?.as_f64()? as f32),
        SortOrder::PublishedAscending | SortOrder::PublishedDescending => {
            let millis = values.first()?.as_i64()?;
            if millis == missing_date(sort) {
                0
            } else {
                let key = timestamp_secs_key(millis.div_euclid(1000));
                if sort == SortOrder::PublishedAscending {
                    u64::MAX - key
                } else {
                    key
                }
            }
        }
    };
    Some((primary, u64::MAX - doc_key))
}

/// The `search_after` values of an embedded sort key.
fn search_after(sort: SortOrder, key: SortKey) -> Value {
    let doc_key = u64::MAX - key.1;
    let primary = match sort {
        SortOrder::Relevance => json!(score_of_ordered(key.0)),
        // Undated documents have the key 0 in both orders.
        SortOrder::PublishedAscending | SortOrder::PublishedDescending if key.0 == 0 => {
            json!(missing_date(sort))
        }
        SortOrder::PublishedAscending => {
            json!(secs_of_timestamp_key(u64::MAX - key.0).saturating_mul(1000))
        }
        SortOrder::PublishedDescending => {
            json!(secs_of_timestamp_key(key.0).saturating_mul(1000))
        }
    };
    json!([primary, doc_key])
}

/// The score [`ordered_score`] mapped to `key`.
fn score_of_ordered(key: u64) -> f32 {
    let bits = key as u32;
    f32::from_bits(if bits & 0x8000_0000 != 0 {
        bits & 0x7fff_ffff
    } else {
        !bits
    })
}

/// The seconds [`timestamp_secs_key`] mapped to `key` (which is never 0;
/// a cursor's 0 is read as the earliest time).
fn secs_of_timestamp_key(key: u64) -> i64 {
    (key.saturating_sub(1) ^ (1 << 63)) as i64
}

impl OpenSearchBackend {
    /// Parses, checks and translates `request` as the embedded backend
    /// does, with the query analysed for `languages`.
    fn prepare(
        &self,
        request: &SearchRequest,
        languages: &[String],
    ) -> Result<Prepared, BackendError> {
        let node = parse_query(&request.query)?;
        let clauses = node.clause_count();
        if clauses > self.limits.max_query_clauses {
            return Err(SearchError::TooManyClauses {
                found: clauses,
                limit: self.limits.max_query_clauses,
            }
            .into());
        }
        let user =
            QueryTranslator::new(request.target, &self.analyzers, languages).translate(&node)?;
        let window = request.offset.saturating_add(request.limit);
        if window > self.limits.max_window {
            return Err(SearchError::WindowTooLarge {
                requested: window,
                limit: self.limits.max_window,
            }
            .into());
        }
        let after = match &request.cursor {
            Some(cursor) => {
                Some(decode_cursor(cursor, request.sort).ok_or(SearchError::InvalidCursor)?)
            }
            None => None,
        };
        Ok(Prepared { user, after })
    }

    /// Checks `request` as [`crate::backend::Backend::check_search`] does.
    pub(super) fn check(&self, request: &SearchRequest) -> Result<(), BackendError> {
        // Errors do not depend on the languages a query is analysed for.
        self.prepare(request, &filtered_languages(request))?;
        Ok(())
    }

    /// The languages a query is analysed for: those of the request's
    /// `language` filter, else every language the index holds.
    pub(super) fn search_languages(
        &self,
        request: &SearchRequest,
    ) -> Result<Vec<String>, BackendError> {
        let filtered = filtered_languages(request);
        if !filtered.is_empty() {
            return Ok(filtered);
        }
        Ok(self.languages_at(&self.write_state()?)?.to_vec())
    }

    /// Every language the index holds at `state`, kept while it is the
    /// index's write state ([`super::state`]).
    pub(super) fn languages_at(
        &self,
        state: &WriteState,
    ) -> Result<Arc<Vec<String>>, BackendError> {
        self.caches
            .languages
            .get_or_build(state, || self.read_languages())
    }

    /// Every language the index holds: one `terms` aggregation.
    fn read_languages(&self) -> Result<Vec<String>, BackendError> {
        let answer = self.search_body(&json!({
            "size": 0,
            "aggs": { "languages": { "terms": { "field": LANGUAGE, "size": 10_000 } } },
        }))?;
        let mut languages: Vec<String> = answer["aggregations"]["languages"]["buckets"]
            .as_array()
            .map(|buckets| {
                buckets
                    .iter()
                    .filter_map(|bucket| bucket["key"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        languages.sort_unstable();
        Ok(languages)
    }

    /// The speaker registry of the index as it is now: the kept one while
    /// nothing was written or made visible since it was built, by this
    /// server or another ([`super::state`]; one request for the index's
    /// write state), else built again.
    pub fn speaker_registry(&self) -> Result<Arc<SpeakerRegistry>, BackendError> {
        self.speaker_registry_at(&self.write_state()?)
    }

    /// The speaker registry of the index at `state`: the kept one while
    /// nothing was written or made visible since it was built (by this
    /// server or another, [`super::state`]), else built again.
    pub(super) fn speaker_registry_at(
        &self,
        state: &WriteState,
    ) -> Result<Arc<SpeakerRegistry>, BackendError> {
        self.caches
            .registry
            .get_or_build(state, || self.read_speaker_registry())
    }

    /// How many speaker registries this backend has built (read every
    /// quote's speaker detail for): one per write state it needed one in.
    pub fn speaker_registries_built(&self) -> u64 {
        self.caches.registry.built()
    }

    /// Builds the speaker registry: every speaker detail of the quotes with
    /// its number of quotes, counted exactly (a `composite` aggregation
    /// paged to its end), merged by the registry's rules with this
    /// backend's aliases.
    fn read_speaker_registry(&self) -> Result<SpeakerRegistry, BackendError> {
        let query = json!({ "term": { DOC_TYPE: KIND_QUOTE } });
        let details = self.all_counts(&query, SPEAKER_DETAIL)?;
        let observations: Vec<_> = details
            .iter()
            .filter_map(|(detail, quotes)| observation_of_detail(detail, *quotes))
            .collect();
        Ok(SpeakerRegistry::build(&observations, self.aliases.clone()))
    }

    /// The filter clauses of `request`: its target's kind, its facet
    /// filters on the folded fields, its statement, its date and confidence
    /// ranges.
    fn filters(
        &self,
        request: &SearchRequest,
        registry: Option<&SpeakerRegistry>,
        state: Option<&WriteState>,
    ) -> Result<Vec<Value>, BackendError> {
        let mut filters = vec![json!({ "term": { DOC_TYPE: kind_of(request.target) } })];
        for (name, values) in &request.filters {
            let Some(field) = facet_field_name(name) else {
                continue;
            };
            let mut terms: Vec<String> = match (name.as_str(), registry) {
                (FACET_SPEAKER, Some(registry)) => values
                    .iter()
                    .flat_map(|value| registry.filter_values(value))
                    .map(|value| filter_term(name, &value))
                    .collect(),
                _ => values
                    .iter()
                    .map(|value| filter_term(name, value))
                    .collect(),
            };
            terms.sort_unstable();
            terms.dedup();
            filters.push(json!({ "terms": { format!("{FOLDED}.{field}"): terms } }));
        }
        if !request.published.is_unbounded() {
            let mut range = Map::new();
            // Seconds, as both backends index dates.
            if let Some(from) = request.published.from {
                range.insert("gte".into(), from.unix_timestamp().into());
            }
            if let Some(before) = request.published.before {
                range.insert("lt".into(), before.unix_timestamp().into());
            }
            range.insert("format".into(), "epoch_second".into());
            filters.push(json!({ "range": { PUBLISHED: range } }));
        }
        if let Some(minimum) = request.min_confidence {
            filters.push(json!({ "range": { CONFIDENCE: { "gte": minimum } } }));
        }
        if let Some(id) = &request.statement {
            filters.push(self.statement_filter(id, state)?);
        }
        Ok(filters)
    }

    /// Parses, checks and translates `request` with its filters into the
    /// query DSL it runs (see the module's docs), with the index's
    /// languages, and the speaker registry when a speaker filter or facet
    /// needs it, taken at one write state ([`super::state`]: one request
    /// while nothing changed).
    pub(super) fn compile(&self, request: &SearchRequest) -> Result<Compiled, BackendError> {
        let filtered = filtered_languages(request);
        let speakers = uses_speakers(request);
        let state = if filtered.is_empty() || speakers || request.statement.is_some() {
            Some(self.write_state()?)
        } else {
            None
        };
        let languages = match &state {
            Some(state) if filtered.is_empty() => self.languages_at(state)?.to_vec(),
            _ => filtered,
        };
        let registry = match &state {
            Some(state) if speakers => Some(self.speaker_registry_at(state)?),
            _ => None,
        };
        self.compile_at(request, &languages, registry, state.as_ref())
    }

    /// [`OpenSearchBackend::compile`] with the languages to analyse the
    /// query for and the speaker registry (needed when [`uses_speakers`])
    /// given, so that many requests compiled at once read them once.
    pub(super) fn compile_with(
        &self,
        request: &SearchRequest,
        languages: &[String],
        registry: Option<Arc<SpeakerRegistry>>,
    ) -> Result<Compiled, BackendError> {
        self.compile_at(request, languages, registry, None)
    }

    /// [`OpenSearchBackend::compile_with`], a statement filter read at
    /// `state` when given (else at the state of the moment).
    fn compile_at(
        &self,
        request: &SearchRequest,
        languages: &[String],
        registry: Option<Arc<SpeakerRegistry>>,
        state: Option<&WriteState>,
    ) -> Result<Compiled, BackendError> {
        let Prepared { user, after } = self.prepare(request, languages)?;
        let query = json!({ "bool": {
            "must": [scored_user_query(&user)],
            "filter": self.filters(request, registry.as_deref(), state)?,
        } });
        Ok(Compiled {
            user,
            after,
            registry,
            query,
        })
    }

    /// Runs `request` (see the module's docs; a search that reads
    /// statements, [`super::statements`]).
    pub(super) fn run_search(
        &self,
        request: &SearchRequest,
    ) -> Result<SearchResults, BackendError> {
        if request.uses_statements() {
            return self.statement_search(request);
        }
        self.copies_search(request)
    }

    /// Runs `request` one hit per copy, statements aside.
    pub(super) fn copies_search(
        &self,
        request: &SearchRequest,
    ) -> Result<SearchResults, BackendError> {
        let Compiled {
            user,
            after,
            registry,
            query,
        } = self.compile(request)?;

        // The page: `offset` hits skipped after the cursor, as the embedded
        // backend skips them.
        let window = request.offset.saturating_add(request.limit);
        let mut body = json!({
            "query": query,
            "size": window,
            "track_total_hits": true,
            "sort": sort_clause(request.sort),
            "_source": [STORED_JSON],
        });
        // Aggregations that ride on the page's request (they count every
        // match, whatever the page): each facet's first pass, unless the
        // page is after a cursor, and the document frequencies of the
        // snippet's terms over the whole index, when the page may hold hits.
        let riding = after.is_none();
        let mut aggs = Map::new();
        if riding {
            for (n, name) in request.facets.iter().enumerate() {
                let Some(field) = facet_field_name(name) else {
                    continue;
                };
                let aggregation = match (name.as_str(), &registry) {
                    (FACET_SPEAKER, Some(_)) => composite_aggregation(SPEAKER, None),
                    _ => terms_aggregation(field, request.facet_limit),
                };
                aggs.insert(format!("facet{n}"), aggregation);
            }
        }
        let field = snippet_field(request.target);
        let terms = if request.limit > 0 {
            snippet_terms(field, &user)
        } else {
            Vec::new()
        };
        if !terms.is_empty() {
            aggs.insert(
                "doc_freqs".into(),
                json!({ "global": {}, "aggs": { "terms": doc_freq_filters(field, &terms) } }),
            );
        }
        if !aggs.is_empty() {
            body["aggs"] = Value::Object(aggs);
        }
        if let Some(after) = after {
            body["search_after"] = search_after(request.sort, after);
        }
        if let Some(timeout) = self.limits.timeout {
            body["timeout"] = format!("{}ms", timeout.as_millis()).into();
        }
        // Shards share their term statistics, so they score alike.
        let reply = self.send(
            "POST",
            &format!(
                "/{}/_search?search_type=dfs_query_then_fetch",
                encode(&self.index)
            ),
            Some(Body::Json(&body)),
        )?;
        if let Some(limit) = clause_limit(&reply) {
            // A word searches several fields, in several languages' terms:
            // the engine counts those, and has a limit of its own.
            return Err(SearchError::TooManyClauses {
                found: user.clause_count(),
                limit,
            }
            .into());
        }
        let answer = reply.success()?;
        if answer["timed_out"] == Value::Bool(true) {
            return Err(SearchError::Timeout {
                timeout_ms: self.limits.timeout.map_or(0, |t| t.as_millis()),
            }
            .into());
        }
        let total = answer["hits"]["total"]["value"]
            .as_u64()
            .ok_or_else(|| malformed("a search without its total"))?;
        let found = answer["hits"]["hits"]
            .as_array()
            .ok_or_else(|| malformed("a search without hits"))?;
        let mut page = Vec::with_capacity(request.limit);
        for hit in found.iter().skip(request.offset).take(request.limit) {
            let json = hit
                .get("_source")
                .and_then(stored_json)
                .ok_or_else(|| malformed("a hit without its stored JSON"))?;
            let sort_values = hit["sort"]
                .as_array()
                .ok_or_else(|| malformed("a hit without sort values"))?;
            let key = hit_key(request.sort, sort_values)
                .ok_or_else(|| malformed("a hit with sort values of another kind"))?;
            let score = match request.sort {
                SortOrder::Relevance => hit["_score"]
                    .as_f64()
                    .or_else(|| sort_values[0].as_f64())
                    .unwrap_or(0.0) as f32,
                // The embedded backend does not score searches by date.
                _ => 0.0,
            };
            page.push((json.to_owned(), score, key));
        }
        let next_cursor = match page.last() {
            Some((_, _, key)) if page.len() == request.limit => {
                Some(encode_cursor(request.sort, *key))
            }
            _ => None,
        };

        let mut hits = Vec::with_capacity(page.len());
        if !page.is_empty() {
            let freqs = doc_freqs_of(&answer["aggregations"]["doc_freqs"]["terms"], terms.len());
            let mut snippets =
                SnippetMaker::with_weights(snippet_weights_of(&terms, freqs), &self.analyzers);
            for (stored_json, score, _) in page {
                hits.push(read_hit(stored_json, request.target, score, &mut snippets)?);
            }
        }

        let mut facets = Vec::with_capacity(request.facets.len());
        for (n, name) in request.facets.iter().enumerate() {
            let Some(field) = facet_field_name(name) else {
                continue;
            };
            let ridden = riding.then(|| &answer["aggregations"][format!("facet{n}")]);
            let values = match (name.as_str(), &registry) {
                (FACET_SPEAKER, Some(registry)) => facet_values(
                    FACET_SPEAKER,
                    self.speaker_identity_counts(request.target, &query, registry, ridden)?,
                    request.facet_limit,
                ),
                _ => {
                    let mut exact = match ridden {
                        Some(terms) => self.exact_from_terms(
                            terms,
                            &scoped(request.target, &query),
                            field,
                            request.facet_limit,
                        )?,
                        None => self.facet_counts(
                            request.target,
                            Some(query.clone()),
                            field,
                            request.facet_limit,
                        )?,
                    }
                    .values;
                    exact.name = name.clone();
                    exact
                }
            };
            facets.push(values);
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
            next_cursor,
        })
    }

    /// The document frequency of each of `terms` in the text field `field`
    /// (its `terms.*` copy), in order: one `filters` aggregation.
    pub(super) fn doc_freqs(&self, field: &str, terms: &[&str]) -> Result<Vec<u64>, BackendError> {
        let answer = self.search_body(&json!({
            "size": 0,
            "aggs": { "terms": doc_freq_filters(field, terms) },
        }))?;
        Ok(doc_freqs_of(&answer["aggregations"]["terms"], terms.len()))
    }

    /// The snippet maker of a page of `target` hits matching `user`.
    pub(super) fn snippet_maker(
        &self,
        target: Target,
        user: &EngineQuery,
    ) -> Result<SnippetMaker<'_>, BackendError> {
        let field = snippet_field(target);
        let terms = snippet_terms(field, user);
        let freqs = if terms.is_empty() {
            Vec::new()
        } else {
            self.doc_freqs(field, &terms)?
        };
        Ok(SnippetMaker::with_weights(
            snippet_weights_of(&terms, freqs),
            &self.analyzers,
        ))
    }

    /// The speaker facet's counts over the documents of `target` that
    /// `query` matches: documents counted per identity of `registry` (each
    /// document once per identity, whichever of its names it carries), names
    /// of no identity as themselves, every value in value order, as the
    /// embedded collector counts them.
    ///
    /// `first_page` is the answer of the names' first page
    /// ([`composite_aggregation`]`(SPEAKER, None)`) when a search over the
    /// same documents read it already.
    pub(super) fn speaker_identity_counts(
        &self,
        target: Target,
        query: &Value,
        registry: &SpeakerRegistry,
        first_page: Option<&Value>,
    ) -> Result<Vec<(Arc<str>, u64)>, BackendError> {
        let scoped = scoped(target, query);
        let names = self.all_counts_from(&scoped, SPEAKER, first_page)?;
        let mut counts: Vec<(Arc<str>, u64)> = Vec::new();
        // Per identity: its names found, and the sum of their counts.
        let mut identities: std::collections::BTreeMap<u32, (Vec<String>, u64)> =
            Default::default();
        for (name, count) in names {
            match registry.position(&name) {
                Some(identity) => {
                    let entry = identities.entry(identity).or_default();
                    entry.0.push(name);
                    entry.1 += count;
                }
                None => counts.push((Arc::from(name.as_str()), count)),
            }
        }
        // A document (an article) may carry two names of one identity: the
        // identities with several names found are counted by their names
        // together, one document at a time.
        let several: Vec<(u32, &Vec<String>)> = identities
            .iter()
            .filter(|(_, (names, _))| names.len() > 1)
            .map(|(identity, (names, _))| (*identity, names))
            .collect();
        let mut exact: std::collections::HashMap<u32, u64> = Default::default();
        for chunk in several.chunks(1000) {
            let mut filters = Map::new();
            for (identity, names) in chunk {
                filters.insert(identity.to_string(), json!({ "terms": { SPEAKER: names } }));
            }
            let answer = self.search_body(&json!({
                "size": 0,
                "query": scoped,
                "aggs": { "identities": { "filters": { "filters": filters } } },
            }))?;
            for (identity, _) in chunk {
                let count = answer["aggregations"]["identities"]["buckets"][identity.to_string()]
                    ["doc_count"]
                    .as_u64()
                    .ok_or_else(|| malformed("a filters aggregation without a bucket"))?;
                exact.insert(*identity, count);
            }
        }
        for (identity, (_, sum)) in identities {
            let count = exact.get(&identity).copied().unwrap_or(sum);
            if let Some(name) = registry.canonical_name(identity) {
                counts.push((name.clone(), count));
            }
        }
        merge_same_names(&mut counts);
        Ok(counts)
    }
}

/// `query` over the documents of `target` only.
fn scoped(target: Target, query: &Value) -> Value {
    json!({ "bool": { "filter": [
        { "term": { DOC_TYPE: kind_of(target) } },
        query,
    ] } })
}

/// The terms of `user` on the snippet field `field`, each once, in order.
fn snippet_terms<'a>(field: &str, user: &'a EngineQuery) -> Vec<&'a str> {
    let mut terms: BTreeSet<&str> = BTreeSet::new();
    user.visit_terms(field, &mut |term| {
        terms.insert(term);
    });
    terms.into_iter().collect()
}

/// The `filters` aggregation counting the documents of each of `terms` in
/// the text field `field` (its `terms.*` copy): bucket `t<n>` is `terms[n]`.
fn doc_freq_filters(field: &str, terms: &[&str]) -> Value {
    let mut filters = Map::new();
    for (n, term) in terms.iter().enumerate() {
        filters.insert(
            format!("t{n}"),
            json!({ "term": { format!("{TERMS}.{field}"): wire_term(term) } }),
        );
    }
    json!({ "filters": { "filters": filters } })
}

/// The document frequencies of the `count` terms of a [`doc_freq_filters`]
/// answer, in order (0 for a bucket it lacks).
fn doc_freqs_of(answer: &Value, count: usize) -> Vec<u64> {
    (0..count)
        .map(|n| {
            answer["buckets"][format!("t{n}")]["doc_count"]
                .as_u64()
                .unwrap_or(0)
        })
        .collect()
}

/// The snippet weights of `terms` with their document frequencies `freqs`
/// in the index, as tantivy weighs them (terms in no document weigh
/// nothing).
fn snippet_weights_of(terms: &[&str], freqs: Vec<u64>) -> foldhash::HashMap<String, f32> {
    let mut weights = foldhash::HashMap::default();
    for (term, doc_freq) in terms.iter().zip(freqs) {
        if doc_freq > 0 {
            weights.insert((*term).to_owned(), SnippetMaker::weight(doc_freq));
        }
    }
    weights
}

/// The engine's clause limit, when `reply` refused a query for having more
/// clauses than it (`too_many_clauses`: `maxClauseCount is set to N`).
fn clause_limit(reply: &super::client::Reply) -> Option<usize> {
    if reply.is_success() {
        return None;
    }
    let causes = reply.body.pointer("/error/root_cause")?.as_array()?;
    causes
        .iter()
        .filter(|cause| cause["type"] == "too_many_clauses")
        .find_map(|cause| {
            let reason = cause["reason"].as_str()?;
            reason.rsplit(' ').next()?.parse().ok()
        })
}

fn malformed(what: &str) -> BackendError {
    BackendError::Store(format!("OpenSearch answered {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translate(target: Target, query: &str) -> EngineQuery {
        let analyzers = LanguageAnalyzers::without_dictionaries();
        QueryTranslator::new(target, &analyzers, &["en".to_owned()])
            .translate(&parse_query(query).unwrap())
            .unwrap()
    }

    #[test]
    fn words_search_the_default_fields_with_their_boosts() {
        let query = translate(Target::Articles, "Tariffs");
        let term = |field| EngineQuery::Term {
            field,
            kind: FieldKind::Text,
            term: "tariff".to_owned(),
        };
        assert_eq!(
            query,
            EngineQuery::Bool {
                must: vec![],
                should: vec![
                    EngineQuery::Boost(Box::new(term("title")), 2.0),
                    term("body"),
                    term("keyphrases"),
                ],
                must_not: vec![],
            }
        );
        assert_eq!(
            term("body").to_dsl(),
            json!({ "term": { "terms.body": { "value": "tariff" } } })
        );
    }

    #[test]
    fn phrases_keep_the_gaps_of_stop_words() {
        let query = translate(Target::Quotes, "quote:\"the tariffs on steel\"");
        assert_eq!(
            query.to_dsl(),
            json!({ "match_phrase": { "terms.quote": { "query": format!("tariff {GAP} steel") } } })
        );
        let mut seen = Vec::new();
        query.visit_terms("quote", &mut |term| seen.push(term.to_owned()));
        assert_eq!(seen, ["tariff", "steel"]);
    }

    #[test]
    fn keywords_prefixes_and_operators() {
        assert_eq!(
            translate(Target::Quotes, "source:Reuters").to_dsl(),
            json!({ "term": { "folded.source": { "value": "reuters" } } })
        );
        assert_eq!(
            translate(Target::Quotes, "speaker:Négot*").to_dsl(),
            json!({ "prefix": { "terms.speaker_text": { "value": "negot", "rewrite": "constant_score" } } })
        );
        // A stop word constrains nothing; `NOT` alone needs everything.
        assert_eq!(translate(Target::Quotes, "the"), EngineQuery::All);
        assert_eq!(translate(Target::Quotes, "the OR *"), EngineQuery::All);
        match translate(Target::Quotes, "-quote:steel") {
            EngineQuery::Bool { must, must_not, .. } => {
                assert_eq!(must, [EngineQuery::All]);
                assert_eq!(must_not.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        let analyzers = LanguageAnalyzers::without_dictionaries();
        assert!(matches!(
            QueryTranslator::new(Target::Articles, &analyzers, &[])
                .translate(&parse_query("quote:x").unwrap()),
            Err(SearchError::UnknownField { .. })
        ));
    }

    #[test]
    fn the_engines_clause_limit_is_read_from_its_refusal() {
        let reply = |status, body| super::super::client::Reply { status, body };
        let refused = json!({ "error": {
            "root_cause": [{ "type": "too_many_clauses", "reason": "maxClauseCount is set to 1024" }],
            "type": "search_phase_execution_exception",
        }, "status": 500 });
        assert_eq!(clause_limit(&reply(500, refused)), Some(1024));
        let other = json!({ "error": { "root_cause": [{ "type": "query_shard_exception" }] } });
        assert_eq!(clause_limit(&reply(400, other)), None);
        assert_eq!(clause_limit(&reply(200, json!({}))), None);
    }

    #[test]
    fn sort_keys_round_trip_through_search_after() {
        for sort in [
            SortOrder::Relevance,
            SortOrder::PublishedAscending,
            SortOrder::PublishedDescending,
        ] {
            let values = match sort {
                SortOrder::Relevance => vec![json!(3.25f32), json!(42u64)],
                _ => vec![json!(1_714_125_600_000i64), json!(u64::MAX - 1)],
            };
            let key = hit_key(sort, &values).unwrap();
            assert_eq!(search_after(sort, key), json!(values), "{sort:?}");
            let missing = vec![json!(missing_date(sort)), json!(7u64)];
            if sort != SortOrder::Relevance {
                let key = hit_key(sort, &missing).unwrap();
                assert_eq!(key.0, 0, "undated documents sort last");
                assert_eq!(search_after(sort, key), json!(missing));
            }
        }
        // An ascending key of a date is not read as undated.
        let dated = hit_key(SortOrder::PublishedAscending, &[json!(-5000), json!(3)]).unwrap();
        assert_ne!(dated.0, 0);
        assert_eq!(
            search_after(SortOrder::PublishedAscending, dated),
            json!([-5000, 3])
        );
        // Later dates come first in descending order, as in the embedded key.
        let early = hit_key(SortOrder::PublishedDescending, &[json!(1000), json!(1)]).unwrap();
        let late = hit_key(SortOrder::PublishedDescending, &[json!(2000), json!(1)]).unwrap();
        assert!(late > early);
        assert_eq!(score_of_ordered(ordered_score(-1.5)), -1.5);
    }
}
