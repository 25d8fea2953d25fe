//! Exact facet counts on OpenSearch: the values of a keyword field over the
//! documents a query matches, most frequent first (then by value), with the
//! number of distinct values, exactly as the embedded index counts them.
//!
//! A `terms` aggregation is exact only when its error bound is zero: each
//! shard returns its own top values, and a value that is not among one
//! shard's top may be missing from the merged counts. So the aggregation
//! runs first, ordered and with its error bound shown, asking for at least
//! [`FIRST_PASS_VALUES`] values (as many as a composite page holds, so that
//! `distinct` is known without another request whenever the matches have
//! no more values than that); when the bound is zero and no document is
//! left in `sum_other_doc_count`, its buckets are every value with its
//! exact count. Otherwise a `composite` aggregation
//! pages through every value with its exact count, and the top values are
//! chosen here. Nothing is estimated: no HyperLogLog (`cardinality`), no
//! sampling.

use serde_json::{json, Value};

use super::client::Body;
use super::mapping::{folded_fields, DOC_TYPE};
use super::OpenSearchBackend;
use crate::backend::BackendError;
use crate::indexing::schema::{KIND_ARTICLE, KIND_QUOTE};
use crate::search::{FacetValues, Target};

/// Values read per page of the composite pass.
const COMPOSITE_PAGE: usize = 1000;

/// Values the `terms` first pass asks for at least, whatever the facet's
/// limit: the facets with no more values than this among the matches are
/// counted, `distinct` included, by the first pass alone.
pub const FIRST_PASS_VALUES: usize = COMPOSITE_PAGE;

/// How counts were made exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetPass {
    /// The `terms` aggregation alone: its error bound was zero and it
    /// returned every value.
    Terms,
    /// The `terms` aggregation could have been wrong or incomplete; a
    /// `composite` pass over every value counted them.
    Composite,
}

/// Exact counts and how they were made.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactFacet {
    /// The counts.
    pub values: FacetValues,
    /// How.
    pub pass: FacetPass,
}

impl OpenSearchBackend {
    /// Counts the values of the keyword facet `facet` over the documents of
    /// `target` that `filter` (an OpenSearch query, or every document)
    /// matches: the `limit` most frequent values, ties by value, and how
    /// many distinct values there are. Exact (see the module's docs).
    pub fn facet_counts(
        &self,
        target: Target,
        filter: Option<Value>,
        facet: &str,
        limit: usize,
    ) -> Result<ExactFacet, BackendError> {
        if !folded_fields().any(|field| field == facet) {
            return Err(BackendError::Store(format!("`{facet}` is not a facet")));
        }
        let kind = match target {
            Target::Articles => KIND_ARTICLE,
            Target::Quotes => KIND_QUOTE,
        };
        let mut filters = vec![json!({ "term": { DOC_TYPE: kind } })];
        filters.extend(filter);
        let query = json!({ "bool": { "filter": filters } });

        let answer = self.search_body(&json!({
            "size": 0,
            "query": query,
            "aggs": { "facet": terms_aggregation(facet, limit) },
        }))?;
        self.exact_from_terms(&answer["aggregations"]["facet"], &query, facet, limit)
    }

    /// The exact counts of the keyword facet `facet` over the documents
    /// `query` matches, from the answer `terms` of its
    /// [`terms_aggregation`] over them: its buckets when they are exact,
    /// else the `composite` pass (see the module's docs).
    pub(super) fn exact_from_terms(
        &self,
        terms: &Value,
        query: &Value,
        facet: &str,
        limit: usize,
    ) -> Result<ExactFacet, BackendError> {
        let error_bound = terms["doc_count_error_upper_bound"].as_u64();
        let others = terms["sum_other_doc_count"].as_u64();
        if error_bound == Some(0) && others == Some(0) {
            let values = buckets(terms)?;
            return Ok(ExactFacet {
                values: FacetValues {
                    name: facet.to_owned(),
                    distinct: values.len(),
                    values: values.into_iter().take(limit).collect(),
                },
                pass: FacetPass::Terms,
            });
        }

        let mut all = self.all_counts(query, facet)?;
        let distinct = all.len();
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(limit);
        Ok(ExactFacet {
            values: FacetValues {
                name: facet.to_owned(),
                values: all,
                distinct,
            },
            pass: FacetPass::Composite,
        })
    }

    /// Every value of the keyword field `field` over the documents `query`
    /// matches, with its exact count, in value order: a `composite`
    /// aggregation paged to its end.
    pub fn all_counts(
        &self,
        query: &Value,
        field: &str,
    ) -> Result<Vec<(String, u64)>, BackendError> {
        self.all_counts_from(query, field, None)
    }

    /// [`OpenSearchBackend::all_counts`], its first page given when it was
    /// read already (the answer of [`composite_aggregation`]`(field, None)`
    /// over the documents `query` matches, run with another search).
    pub(super) fn all_counts_from(
        &self,
        query: &Value,
        field: &str,
        first_page: Option<&Value>,
    ) -> Result<Vec<(String, u64)>, BackendError> {
        let mut all: Vec<(String, u64)> = Vec::new();
        let mut after: Option<Value> = None;
        let mut given = first_page;
        loop {
            let answer;
            let page = match given.take() {
                Some(page) => page,
                None => {
                    answer = self.search_body(&json!({
                        "size": 0,
                        "query": query,
                        "aggs": { "facet": composite_aggregation(field, after.take()) },
                    }))?;
                    &answer["aggregations"]["facet"]
                }
            };
            let read = page["buckets"]
                .as_array()
                .ok_or_else(|| malformed("a composite aggregation without buckets"))?;
            for bucket in read {
                let value = bucket["key"]["value"]
                    .as_str()
                    .ok_or_else(|| malformed("a composite bucket without its value"))?;
                let count = bucket["doc_count"]
                    .as_u64()
                    .ok_or_else(|| malformed("a composite bucket without its count"))?;
                all.push((value.to_owned(), count));
            }
            match page.get("after_key") {
                Some(key) if read.len() == COMPOSITE_PAGE => after = Some(key.clone()),
                _ => break,
            }
        }
        Ok(all)
    }

    /// Runs a search body on the index.
    pub(super) fn search_body(&self, body: &Value) -> Result<Value, BackendError> {
        self.on_index("POST", "/_search", Some(Body::Json(body)))
    }
}

/// The first pass of the exact counts of the keyword facet `facet`: its
/// `limit` (at least [`FIRST_PASS_VALUES`]) most frequent values, ties by
/// value, with the error bound shown
/// (see the module's docs and [`OpenSearchBackend::exact_from_terms`]).
pub(super) fn terms_aggregation(facet: &str, limit: usize) -> Value {
    json!({ "terms": {
        "field": facet,
        "size": limit.max(FIRST_PASS_VALUES),
        "order": [{ "_count": "desc" }, { "_key": "asc" }],
        "show_term_doc_count_error": true,
    } })
}

/// A page of every value of the keyword field `field` with its count, in
/// value order, after the page whose `after_key` is `after`.
pub(super) fn composite_aggregation(field: &str, after: Option<Value>) -> Value {
    let mut composite = json!({
        "size": COMPOSITE_PAGE,
        "sources": [{ "value": { "terms": { "field": field } } }],
    });
    if let Some(after) = after {
        composite["after"] = after;
    }
    json!({ "composite": composite })
}

/// The buckets of a `terms` aggregation as (value, count).
fn buckets(terms: &Value) -> Result<Vec<(String, u64)>, BackendError> {
    terms["buckets"]
        .as_array()
        .ok_or_else(|| malformed("a terms aggregation without buckets"))?
        .iter()
        .map(|bucket| {
            let value = bucket["key"]
                .as_str()
                .ok_or_else(|| malformed("a terms bucket without its value"))?;
            let count = bucket["doc_count"]
                .as_u64()
                .ok_or_else(|| malformed("a terms bucket without its count"))?;
            Ok((value.to_owned(), count))
        })
        .collect()
}

fn malformed(what: &str) -> BackendError {
    BackendError::Store(format!("OpenSearch answered {what}"))
}
