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
//! one is kept with the index's *write state* (`WriteState`): this
//! server's count of writes and flushes, and per shard copy its maximum
//! sequence number, its refresh counts and its document count (one
//! `_stats?level=shards` request). Any write by any server raises a
//! shard's maximum sequence number, and a refresh that makes it visible
//! raises the copy's refresh count, so a table is used again only while
//! nothing was written or made visible since the state it was built at (read
//! before the build: a write during the build leaves a key that no longer
//! matches). Limits with several servers: each server builds and keeps its
//! own table (memory, and one full read per server after each change);
//! refresh counters are a shard copy's, in memory, so a relocated or
//! restarted copy changes the state and costs a rebuild, never a stale table.
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
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tantivy::index::SegmentId;
use tantivy::{DocAddress, DocId};

use super::client::encode;
use super::documents::stored_json;
use super::export::EXPORT_PAGE;
use super::mapping::DOC_TYPE;
use super::search::Compiled;
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

/// The index's write state a statement table was built at (see the
/// module's docs): equal states hold the same visible quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WriteState {
    /// This server's writes and flushes.
    local: u64,
    /// Per shard copy: shard, node, primary, max sequence number, refresh
    /// counts, documents.
    copies: Vec<(String, String, bool, i64, u64, u64, u64)>,
}

/// The last statement table and the write state it was built at.
#[derive(Debug, Default)]
pub(super) struct StatementCache {
    last: Mutex<Option<(WriteState, Arc<Statements>)>>,
    /// Tables built so far.
    built: AtomicU64,
}

impl StatementCache {
    fn get(&self, state: &WriteState) -> Option<Arc<Statements>> {
        let cached = self.last.lock().unwrap_or_else(|e| e.into_inner());
        cached
            .as_ref()
            .filter(|(built_at, _)| built_at == state)
            .map(|(_, statements)| statements.clone())
    }

    fn put(&self, state: WriteState, statements: Arc<Statements>) {
        self.built.fetch_add(1, Ordering::Relaxed);
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some((state, statements));
    }
}

impl OpenSearchBackend {
    /// The index's write state now (see the module's docs).
    fn write_state(&self) -> Result<WriteState, BackendError> {
        let answer = self
            .send(
                "GET",
                &format!("/{}/_stats/docs,refresh?level=shards", encode(&self.index)),
                None,
            )?
            .success()?;
        let mut copies = Vec::new();
        let indices = answer["indices"]
            .as_object()
            .ok_or_else(|| malformed("index statistics without indices"))?;
        for (index, stats) in indices {
            let shards = stats["shards"]
                .as_object()
                .ok_or_else(|| malformed("index statistics without shards"))?;
            for (shard, shard_copies) in shards {
                for copy in shard_copies.as_array().into_iter().flatten() {
                    copies.push((
                        format!("{index}/{shard}"),
                        copy["routing"]["node"].as_str().unwrap_or("").to_owned(),
                        copy["routing"]["primary"].as_bool().unwrap_or(false),
                        copy["seq_no"]["max_seq_no"].as_i64().unwrap_or(-1),
                        copy["refresh"]["total"].as_u64().unwrap_or(0),
                        copy["refresh"]["external_total"].as_u64().unwrap_or(0),
                        copy["docs"]["count"].as_u64().unwrap_or(0),
                    ));
                }
            }
        }
        copies.sort();
        Ok(WriteState {
            local: self.stats.commits.get()
                + self.stats.commit_failures.get()
                + self.stats.flushes.get(),
            copies,
        })
    }

    /// How many statement tables this backend has built (read every quote
    /// of the index for): one per write state it searched statements in.
    pub fn statement_tables_built(&self) -> u64 {
        self.statement_cache.built.load(Ordering::Relaxed)
    }

    /// The statement table of the index as it is now: the cached one while
    /// the write state is unchanged, else read and chained again.
    pub(super) fn statements(&self) -> Result<Arc<Statements>, BackendError> {
        let state = self.write_state()?;
        if let Some(statements) = self.statement_cache.get(&state) {
            return Ok(statements);
        }
        let registry = self.speaker_registry()?;
        let statements = Arc::new(self.read_statements(&registry)?);
        self.statement_cache.put(state, statements.clone());
        Ok(statements)
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
    pub(super) fn statement_filter(&self, id: &str) -> Result<Value, BackendError> {
        let copies = self.statements()?.copies_of(id);
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
                    let snippet =
                        crate::search::snippet_of(&stored_json, request.target, &mut snippets)?;
                    hits.push(SearchHit {
                        stored_json,
                        score: match request.sort {
                            SortOrder::Relevance => hit.score,
                            _ => 0.0,
                        },
                        snippet,
                        statement: None,
                    });
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
