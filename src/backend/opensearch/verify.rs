//! Verification on OpenSearch (`POST /v1/quotes/verify`): the embedded
//! verification's three steps ([`crate::search::verify`]), with its first
//! step, the candidates, read from the cluster and the rest shared
//! ([`conclude`]).
//!
//! The claim's terms are analysed for the index's languages
//! ([`claim_terms`]), the [`CANDIDATE_TERMS`](crate::search::verify::CANDIDATE_TERMS)
//! rarest kept ([`rarest`], document frequencies from one `filters`
//! aggregation), and the quotes holding any of them ranked by BM25: the
//! best [`CANDIDATES`] within the claim's dates, and with a claimed speaker
//! its best [`SPEAKER_CANDIDATES`] too. Each match's copies are found by
//! the same exact phrase search as the embedded backend's, compared on doc
//! values (`statement_text`, speaker, dates, doc key), and the earliest read.
//! BM25 differs from tantivy's by its statistics (see ARCHITECTURE.md), so
//! when more quotes share the claim's rare terms than there are candidates,
//! the candidates kept may differ.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::client::Body;
use super::documents::{stored_json, wire_term};
use super::mapping::TERMS;
use super::OpenSearchBackend;
use crate::backend::BackendError;
use crate::indexing::schema::{
    DOC_KEY, INDEXED_AT, PUBLISHED, QUOTE, SPEAKER, STATEMENT_TEXT, STORED_JSON,
};
use crate::search::query::parse_query;
use crate::search::verify::{
    claim_terms, conclude, keep_earlier, rarest, search_request, AttestedQuote, Candidate,
    Earliness, Speakers, Verification, VerifyRequest, CANDIDATES, MAX_COPIES, SPEAKER_CANDIDATES,
};
use crate::search::{SearchError, SearchRequest, Target, FACET_SPEAKER};

/// A hit's stored quote.
fn attested(hit: &Value) -> Result<AttestedQuote, BackendError> {
    let json = hit.get("_source").and_then(stored_json).ok_or_else(|| {
        BackendError::Store("OpenSearch answered a hit without its stored JSON".into())
    })?;
    serde_json::from_str(json).map_err(|e| BackendError::Store(format!("a stored quote: {e}")))
}

/// The first value of doc-value field `field` of `hit`.
fn first<'a>(hit: &'a Value, field: &str) -> Option<&'a Value> {
    hit["fields"][field]
        .as_array()
        .and_then(|values| values.first())
}

impl OpenSearchBackend {
    /// [`crate::backend::Backend::verify`] (see the module's docs).
    pub(super) fn verify_claim(
        &self,
        request: &VerifyRequest,
    ) -> Result<Verification, BackendError> {
        let registry = match &request.speaker {
            Some(_) => Some(self.speaker_registry()?),
            None => None,
        };
        let speakers = Speakers::new(registry.as_deref(), request.speaker.as_deref());
        let languages = self.search_languages(&SearchRequest::everything(Target::Quotes))?;
        let terms =
            self.rarest_quote_terms(claim_terms(&self.analyzers, &languages, &request.text))?;

        let mut quotes = Vec::new();
        let mut seen = BTreeSet::new();
        if !terms.is_empty() {
            let mut searches = vec![(search_request(request, Vec::new()), CANDIDATES)];
            if let Some(speaker) = &request.speaker {
                searches.push((
                    search_request(
                        request,
                        vec![(FACET_SPEAKER.to_owned(), vec![speaker.clone()])],
                    ),
                    SPEAKER_CANDIDATES,
                ));
            }
            let any_term: Vec<Value> = terms
                .iter()
                .map(|term| json!({ "term": { format!("{TERMS}.{QUOTE}"): wire_term(term) } }))
                .collect();
            for (search, limit) in searches {
                let filtered = self.compile(&search)?.query;
                let query = json!({ "bool": {
                    "filter": [filtered],
                    "should": any_term,
                    "minimum_should_match": 1,
                } });
                for hit in self.ranked(&query, limit, json!({ "_source": [STORED_JSON] }))? {
                    let key = hit["_id"].as_str().unwrap_or_default().to_owned();
                    if seen.insert(key) {
                        quotes.push(attested(&hit)?);
                    }
                }
            }
        }
        conclude(request, &speakers, quotes, |candidate| {
            self.earliest_copy(request, &speakers, candidate)
        })
    }

    /// The best `limit` hits of `query` by BM25 (shards sharing their
    /// statistics), each with what `fetch` asks for.
    fn ranked(
        &self,
        query: &Value,
        limit: usize,
        fetch: Value,
    ) -> Result<Vec<Value>, BackendError> {
        let mut body = json!({
            "query": query,
            "size": limit,
            "sort": [{ "_score": "desc" }, { DOC_KEY: "asc" }],
        });
        if let (Some(body), Some(fetch)) = (body.as_object_mut(), fetch.as_object()) {
            body.extend(fetch.clone());
        }
        let answer = self.on_index(
            "POST",
            "/_search?search_type=dfs_query_then_fetch",
            Some(Body::Json(&body)),
        )?;
        Ok(answer["hits"]["hits"]
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// The rarest of `terms` in the quotes' `quote` field (terms no quote
    /// has dropped), by document frequency.
    fn rarest_quote_terms(&self, terms: Vec<String>) -> Result<Vec<String>, BackendError> {
        if terms.is_empty() {
            return Ok(terms);
        }
        let listed: Vec<&str> = terms.iter().map(String::as_str).collect();
        let frequencies = self.doc_freqs(QUOTE, &listed)?;
        let counted = frequencies
            .into_iter()
            .zip(terms)
            .filter(|(frequency, _)| *frequency > 0)
            .collect();
        Ok(rarest(counted))
    }

    /// The earliest copy of `candidate`'s statement and how many copies
    /// there are: the quotes an exact phrase search of its words finds (at
    /// most [`MAX_COPIES`], within the claim's dates) with the same words
    /// and speaker identity, as the embedded backend finds them.
    fn earliest_copy(
        &self,
        request: &VerifyRequest,
        speakers: &Speakers<'_>,
        candidate: &Candidate,
    ) -> Result<(Option<AttestedQuote>, usize), BackendError> {
        let normalized = candidate.statement_words();
        let phrase = format!("quote:\"{normalized}\"");
        if parse_query(&phrase).is_err() {
            return Ok((None, 0));
        }
        let search = SearchRequest {
            query: phrase,
            ..search_request(request, Vec::new())
        };
        let query = match self.compile(&search) {
            Ok(compiled) => compiled.query,
            Err(BackendError::Search(SearchError::QuerySyntax { .. })) => return Ok((None, 0)),
            Err(error) => return Err(error),
        };
        let fetch = json!({
            "_source": [STORED_JSON],
            "docvalue_fields": [
                STATEMENT_TEXT,
                SPEAKER,
                { "field": PUBLISHED, "format": "epoch_second" },
                INDEXED_AT,
                DOC_KEY,
            ],
        });
        let mut earliest: Option<(Earliness, Value)> = None;
        let mut count = 0;
        for hit in self.ranked(&query, MAX_COPIES, fetch)? {
            if first(&hit, STATEMENT_TEXT).and_then(Value::as_str) != Some(normalized.as_str()) {
                continue;
            }
            let speaker = first(&hit, SPEAKER).and_then(Value::as_str);
            if speakers.identity(speaker).1 != candidate.identity() {
                continue;
            }
            count += 1;
            let number = |field: &str| {
                first(&hit, field).and_then(|value| {
                    value
                        .as_str()
                        .and_then(|text| text.parse::<i64>().ok())
                        .or_else(|| value.as_i64())
                })
            };
            let published = number(PUBLISHED);
            let earliness = (
                published.is_none(),
                published.map_or(0, |seconds| seconds.saturating_mul(1_000_000)),
                first(&hit, INDEXED_AT)
                    .and_then(Value::as_u64)
                    .unwrap_or(u64::MAX),
                first(&hit, DOC_KEY)
                    .and_then(Value::as_u64)
                    .unwrap_or(u64::MAX),
            );
            keep_earlier(&mut earliest, earliness, hit);
        }
        let earliest = match earliest {
            Some((_, hit)) => Some(attested(&hit)?),
            None => None,
        };
        Ok((earliest, count))
    }
}
