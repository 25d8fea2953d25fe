//! Statements on OpenSearch: the statement table built from the cluster's
//! quotes, cached by the index's write state, and the statement parameters
//! of quote searches (`group=statement`, `count=statements`,
//! `statement=<id>`), answered as the embedded backend answers them.
//!
//! **The table.** Every quote of the index is read through a point in time
//! (its `statement_text`, speaker, source, dates and keys from doc values)
//! and chained by the embedded rule ([`StatementTable::build_from_fields`]):
//! quote *n* is document *n* of a stand-in segment, and its doc key says
//! which quote of the cluster it is.
//!
//! **The cache.** Reading every quote is the cost of a table, so the last
//! one is kept with the index's write state ([`super::state`]): it is used
//! again only while nothing was written or made visible since the state it
//! was built at, by this server or another.
//!
//! **Searches.** `statement=<id>` is a filter on the doc keys of the
//! statement's copies. `group=statement` and `count=statements` walk every
//! match (scored as a search by relevance is, `dfs_query_then_fetch`),
//! keep each statement's best copy by the embedded sort key
//! ([`sort_key`], [`keep_best`], [`StatementHits::rank`]) and count
//! (value, statement) pairs ([`count_statement_pairs`]); hits carry the
//! same [`StatementSummary`] ([`summary_of`]), their wordings read from the
//! cluster. Totals and copy counts come from the ordinary search.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;

use serde_json::{json, Value};
use tantivy::index::SegmentId;
use tantivy::{DocAddress, DocId};

use super::documents::stored_json;
use super::export::EXPORT_PAGE;
use super::mapping::DOC_TYPE;
use super::search::Compiled;
use super::state::WriteState;
use super::OpenSearchBackend;
use crate::backend::BackendError;
use crate::indexing::document::doc_key as key_of_document;
use crate::indexing::schema::{
    ARTICLE_KEY, DOC_KEY, INDEXED_AT, KIND_QUOTE, PUBLISHED, SOURCE, SPEAKER, STATEMENT_TEXT,
    STORED_JSON,
};
use crate::indexing::speaker_registry::SpeakerRegistry;
use crate::indexing::statements::{CopyAddress, CopyKeys, QuoteFields, StatementTable};
use crate::search::collector::{
    count_statement_pairs, keep_best, sort_key, RankedHit, StatementHits, StatementKeys,
};
use crate::search::statements::{quote_of_stored, summary_of, StatementSummary};
use crate::search::{
    facet_field_name, facet_values, CountUnit, Grouping, SearchHit, SearchRequest, SearchResults,
    SortOrder, FACET_SPEAKER,
};

/// The doc values a walk reads: `published` in seconds, the rest as kept.
pub(super) fn doc_values(fields: &[&str]) -> Value {
    let fields: Vec<Value> = fields
        .iter()
        .map(|field| match *field {
            PUBLISHED => json!({ "field": PUBLISHED, "format": "epoch_second" }),
            other => json!(other),
        })
        .collect();
    json!({ "_source": false, "docvalue_fields": fields })
}

/// The values of doc-value field `field` of `hit`.
pub(super) fn values<'a>(hit: &'a Value, field: &str) -> impl Iterator<Item = &'a Value> {
    hit["fields"][field].as_array().into_iter().flatten()
}

/// The first string value of `field`.
fn first_text(hit: &Value, field: &str) -> Option<Arc<str>> {
    values(hit, field).find_map(Value::as_str).map(Arc::from)
}

/// The first number of `field` (written as a number or a string).
pub(super) fn first_number<T: std::str::FromStr + TryFrom<u64> + TryFrom<i64>>(
    hit: &Value,
    field: &str,
) -> Option<T> {
    values(hit, field).find_map(|value| match value {
        Value::String(text) => text.parse().ok(),
        Value::Number(number) => number
            .as_u64()
            .and_then(|n| T::try_from(n).ok())
            .or_else(|| number.as_i64().and_then(|n| T::try_from(n).ok())),
        _ => None,
    })
}

/// A document's doc key.
pub(super) fn doc_key(hit: &Value) -> Result<u64, BackendError> {
    first_number(hit, DOC_KEY)
        .ok_or_else(|| BackendError::Store("OpenSearch answered a document without its key".into()))
}

fn malformed(what: &str) -> BackendError {
    BackendError::Store(format!("OpenSearch answered {what}"))
}

/// The statement table of every quote of the index, and the stand-in
/// address of each quote by its doc key.
#[derive(Debug)]
pub(super) struct Statements {
    table: StatementTable,
    segment: SegmentId,
    /// The doc key of each stand-in document.
    doc_keys: Vec<u64>,
    /// The stand-in document of each doc key.
    documents: HashMap<u64, DocId>,
}

impl Statements {
    /// The statement key of the quote `doc_key` (the `n`th found): its
    /// statement's, or one of its own.
    pub(super) fn key(&self, doc_key: u64, n: u64) -> u64 {
        self.statement_of(doc_key)
            .map_or_else(|| StatementKeys::own(n), u64::from)
    }

    /// The statement of the quote `doc_key`, if the table holds it.
    fn statement_of(&self, doc_key: u64) -> Option<u32> {
        self.documents
            .get(&doc_key)
            .and_then(|doc| self.table.statement_of((self.segment, *doc)))
    }

    /// The doc key of a copy of the table.
    fn doc_key(&self, copy: CopyAddress) -> Option<u64> {
        (copy.0 == self.segment)
            .then(|| self.doc_keys.get(copy.1 as usize).copied())
            .flatten()
    }

    /// The doc keys of the copies of the statement `id` (none when it names
    /// no statement).
    fn copies_of(&self, id: &str) -> Vec<u64> {
        self.table
            .position(id)
            .map(|index| {
                self.table
                    .members(index)
                    .iter()
                    .filter_map(|copy| self.doc_key(*copy))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl OpenSearchBackend {
    /// How many statement tables this backend has built (read every quote
    /// of the index for): one per write state it searched statements in.
    pub fn statement_tables_built(&self) -> u64 {
        self.caches.statements.built()
    }

    /// The statement table of the index as it is now (see
    /// [`OpenSearchBackend::statements_at`]).
    pub(super) fn statements(&self) -> Result<Arc<Statements>, BackendError> {
        self.statements_at(&self.write_state()?)
    }

    /// The statement table of the index at `state`: the cached one while
    /// the write state is unchanged, else read and chained again.
    pub(super) fn statements_at(
        &self,
        state: &WriteState,
    ) -> Result<Arc<Statements>, BackendError> {
        self.caches.statements.get_or_build(state, || {
            let registry = self.speaker_registry_at(state)?;
            self.read_statements(&registry)
        })
    }

    /// Reads every quote of the index and chains them into statements.
    fn read_statements(&self, registry: &SpeakerRegistry) -> Result<Statements, BackendError> {
        let walk = self.pit_walk(
            json!({ "term": { DOC_TYPE: KIND_QUOTE } }),
            EXPORT_PAGE,
            doc_values(&[
                STATEMENT_TEXT,
                SPEAKER,
                SOURCE,
                PUBLISHED,
                INDEXED_AT,
                DOC_KEY,
                ARTICLE_KEY,
            ]),
        );
        let mut quotes = Vec::new();
        let mut doc_keys = Vec::new();
        let mut documents = HashMap::new();
        walk.hits(&mut |hit| {
            let keys = CopyKeys {
                published: first_number(hit, PUBLISHED),
                indexed_at: first_number(hit, INDEXED_AT),
                doc_key: doc_key(hit)?,
                article_key: first_number(hit, ARTICLE_KEY),
            };
            documents.insert(keys.doc_key, quotes.len() as DocId);
            doc_keys.push(keys.doc_key);
            quotes.push(QuoteFields {
                text: first_text(hit, STATEMENT_TEXT),
                speaker: first_text(hit, SPEAKER),
                source: first_text(hit, SOURCE),
                keys,
            });
            Ok(ControlFlow::Continue(()))
        })?;
        let segment = SegmentId::generate_random();
        Ok(Statements {
            table: StatementTable::build_from_fields(quotes, registry, segment),
            segment,
            doc_keys,
            documents,
        })
    }

    /// The filter clause of `statement=<id>`: the doc keys of its copies.
    pub(super) fn statement_filter(
        &self,
        id: &str,
        state: Option<&WriteState>,
    ) -> Result<Value, BackendError> {
        let statements = match state {
            Some(state) => self.statements_at(state)?,
            None => self.statements()?,
        };
        let copies = statements.copies_of(id);
        Ok(if copies.is_empty() {
            json!({ "match_none": {} })
        } else {
            json!({ "terms": { DOC_KEY: copies } })
        })
    }

    /// The stored JSON of the documents `keys`, by doc key (one request).
    fn stored_by_key(&self, keys: &[u64]) -> Result<HashMap<u64, String>, BackendError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let answer = self.search_body(&json!({
            "query": { "terms": { DOC_KEY: keys } },
            "size": keys.len(),
            "_source": [STORED_JSON],
            "docvalue_fields": [DOC_KEY],
        }))?;
        let mut found = HashMap::new();
        for hit in answer["hits"]["hits"].as_array().into_iter().flatten() {
            let json = hit
                .get("_source")
                .and_then(stored_json)
                .ok_or_else(|| malformed("a hit without its stored JSON"))?;
            found.insert(doc_key(hit)?, json.to_owned());
        }
        Ok(found)
    }

    /// A quote search that reads statements (see the module's docs): the
    /// ordinary search for its total, page and copy counts, or the grouped
    /// walk, and each hit's statement.
    pub(super) fn statement_search(
        &self,
        request: &SearchRequest,
    ) -> Result<SearchResults, BackendError> {
        let statements = self.statements()?;
        let grouping = request.group == Grouping::Statements;
        let counting = request.count == CountUnit::Statements && !request.facets.is_empty();
        // The ordinary search: the page of copies, or (grouping) only the
        // facets that count copies.
        let mut copies_request = SearchRequest {
            group: Grouping::Copies,
            count: CountUnit::Copies,
            ..request.clone()
        };
        if counting {
            copies_request.facets.clear();
        }
        if grouping {
            copies_request.limit = 0;
            copies_request.offset = 0;
            copies_request.cursor = None;
        }
        let mut results = self.copies_search(&copies_request)?;

        if grouping || counting {
            let compiled = self.compile(request)?;
            let walked = self.walk_statements(request, &compiled, &statements, grouping)?;
            if counting {
                results.facets = walked.facets;
            }
            if grouping {
                let window = request.offset.saturating_add(request.limit);
                let ranked = StatementHits::rank(walked.best, walked.after, window);
                results.total = ranked.total;
                let page: Vec<(Option<u32>, RankedHit)> = ranked
                    .hits
                    .into_iter()
                    .skip(request.offset)
                    .take(request.limit)
                    .collect();
                results.next_cursor = match page.last() {
                    Some((_, last)) if page.len() == request.limit => {
                        Some(crate::search::cursor::encode_cursor(request.sort, last.key))
                    }
                    _ => None,
                };
                let keys: Vec<u64> = page
                    .iter()
                    .map(|(_, hit)| walked.doc_keys[hit.address.doc_id as usize])
                    .collect();
                let mut stored = self.stored_by_key(&keys)?;
                let mut hits = Vec::with_capacity(page.len());
                let mut snippets = self.snippet_maker(request.target, &compiled.user)?;
                for ((_, hit), key) in page.iter().zip(&keys) {
                    let stored_json = stored
                        .remove(key)
                        .ok_or_else(|| malformed("no document for a statement's copy"))?;
                    let score = match request.sort {
                        SortOrder::Relevance => hit.score,
                        _ => 0.0,
                    };
                    hits.push(crate::search::read_hit(
                        stored_json,
                        request.target,
                        score,
                        &mut snippets,
                    )?);
                }
                results.hits = hits;
            }
        }
        self.attach_summaries(&statements, &mut results.hits)?;
        Ok(results)
    }

    /// Gives each quote hit its statement's summary, the wordings read from
    /// the cluster in one request.
    fn attach_summaries(
        &self,
        statements: &Statements,
        hits: &mut [SearchHit],
    ) -> Result<(), BackendError> {
        #[derive(serde::Deserialize)]
        struct Position {
            position: Option<usize>,
            article: ArticleId,
        }
        #[derive(serde::Deserialize)]
        struct ArticleId {
            id: String,
        }
        let mut found: Vec<Option<u32>> = Vec::with_capacity(hits.len());
        for hit in hits.iter() {
            let position: Option<Position> = serde_json::from_str(&hit.stored_json).ok();
            found.push(position.and_then(|quote| {
                let key = key_of_document(&quote.article.id, Some(quote.position?));
                statements.statement_of(key)
            }));
        }
        let variants: Vec<u64> = found
            .iter()
            .flatten()
            .filter_map(|index| statements.table.get(*index))
            .flat_map(|statement| statement.variants.iter())
            .filter_map(|copy| statements.doc_key(*copy))
            .collect();
        let stored = self.stored_by_key(&variants)?;
        for (hit, index) in hits.iter_mut().zip(found) {
            let Some(statement) = index.and_then(|index| statements.table.get(index)) else {
                continue;
            };
            let mut wordings = Vec::with_capacity(statement.variants.len());
            for copy in &statement.variants {
                if let Some(json) = statements.doc_key(*copy).and_then(|key| stored.get(&key)) {
                    wordings.push(quote_of_stored(json)?);
                }
            }
            let summary: StatementSummary = summary_of(statement, wordings);
            hit.statement = Some(summary);
        }
        Ok(())
    }

    /// Walks every match of `compiled` (`request` compiled), keeping each
    /// statement's best copy (`grouping`) and the (value, statement) pairs
    /// of its facets (when they count statements).
    fn walk_statements(
        &self,
        request: &SearchRequest,
        compiled: &Compiled,
        statements: &Statements,
        grouping: bool,
    ) -> Result<Walked, BackendError> {
        let counting = request.count == CountUnit::Statements;
        let facets: Vec<(&str, &'static str)> = if counting {
            request
                .facets
                .iter()
                .filter_map(|name| facet_field_name(name).map(|field| (name.as_str(), field)))
                .collect()
        } else {
            Vec::new()
        };
        let mut fields = vec![DOC_KEY, PUBLISHED];
        fields.extend(facets.iter().map(|(_, field)| *field));
        let mut walk = self.pit_walk(compiled.query.clone(), EXPORT_PAGE, doc_values(&fields));
        if grouping && request.sort == SortOrder::Relevance {
            walk = walk.scored();
        }
        let registry = compiled.registry.clone();
        let mut best = HashMap::new();
        let mut doc_keys = Vec::new();
        let mut pairs: Vec<Vec<(Arc<str>, u64)>> = vec![Vec::new(); facets.len()];
        walk.hits(&mut |hit| {
            let key = doc_key(hit)?;
            let n = doc_keys.len();
            doc_keys.push(key);
            let statement = statements.key(key, n as u64);
            if grouping {
                let score = hit["_score"].as_f64().unwrap_or(0.0) as f32;
                let ranked = RankedHit {
                    key: sort_key(request.sort, score, first_number(hit, PUBLISHED), key),
                    score,
                    address: DocAddress::new(0, n as DocId),
                };
                keep_best(&mut best, statement, ranked);
            }
            for ((name, field), found) in facets.iter().zip(pairs.iter_mut()) {
                for value in values(hit, field).filter_map(Value::as_str) {
                    let value: Arc<str> = match (*name, &registry) {
                        (FACET_SPEAKER, Some(registry)) => registry
                            .position(value)
                            .and_then(|identity| registry.canonical_name(identity).cloned())
                            .unwrap_or_else(|| Arc::from(value)),
                        _ => Arc::from(value),
                    };
                    found.push((value, statement));
                }
            }
            Ok(ControlFlow::Continue(()))
        })?;
        let facets = facets
            .iter()
            .zip(pairs)
            .map(|((name, _), found)| {
                facet_values(name, count_statement_pairs(found), request.facet_limit)
            })
            .collect();
        Ok(Walked {
            best,
            doc_keys,
            facets,
            after: compiled.after,
        })
    }
}

/// What [`OpenSearchBackend::walk_statements`] found.
struct Walked {
    /// Each statement's best copy (its address: the walk's position).
    best: HashMap<u64, RankedHit>,
    /// The doc key of each match, in walk order.
    doc_keys: Vec<u64>,
    /// The facets, counting statements.
    facets: Vec<crate::search::FacetValues>,
    /// The request's cursor.
    after: Option<crate::search::collector::SortKey>,
}
