//! Speaker timelines on OpenSearch (`/v1/speakers/{name}/timeline`): the
//! embedded timeline's searches ([`timeline_searches`]) run on the cluster,
//! its quotes read through a point in time ([`super::export::PitWalk`]),
//! and assembled by the same code as the embedded one
//! ([`assemble_timeline`]: intervals, topics of the split, co-quoted
//! speakers), so both answer the same buckets.
//!
//! A timeline counts statements, so it needs the statement table: every
//! quote of the index is read (its `statement_text`, speaker, source,
//! dates and keys from doc values) and chained by the embedded rule
//! ([`StatementTable::build_from_fields`]), per timeline: there is no
//! segment state to cache it by (see ARCHITECTURE.md).

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::Arc;

use serde_json::{json, Value};
use tantivy::index::SegmentId;
use tantivy::DocId;
use time::OffsetDateTime;

use super::export::EXPORT_PAGE;
use super::mapping::DOC_TYPE;
use super::OpenSearchBackend;
use crate::backend::BackendError;
use crate::indexing::schema::{
    ARTICLE_KEY, DOC_KEY, INDEXED_AT, KIND_QUOTE, PUBLISHED, SOURCE, SPEAKER, STATEMENT_TEXT, TOPIC,
};
use crate::indexing::speaker_registry::SpeakerRegistry;
use crate::indexing::statements::{CopyKeys, QuoteFields, StatementTable};
use crate::search::collector::StatementKeys;
use crate::search::timeline::{
    assemble_timeline, timeline_searches, timeline_speaker, DatedQuote, Timeline, TimelineRequest,
    TopicSplit,
};

/// The doc values a walk reads: `published` in seconds, the rest as kept.
fn doc_values(fields: &[&str]) -> Value {
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
fn values<'a>(hit: &'a Value, field: &str) -> impl Iterator<Item = &'a Value> {
    hit["fields"][field].as_array().into_iter().flatten()
}

/// The first string value of `field`.
fn first_text(hit: &Value, field: &str) -> Option<Arc<str>> {
    values(hit, field).find_map(Value::as_str).map(Arc::from)
}

/// The first number of `field` (written as a number or a string).
fn first_number<T: std::str::FromStr + TryFrom<u64> + TryFrom<i64>>(
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
fn doc_key(hit: &Value) -> Result<u64, BackendError> {
    first_number(hit, DOC_KEY)
        .ok_or_else(|| BackendError::Store("OpenSearch answered a document without its key".into()))
}

/// The statement table of every quote of the index, and the stand-in
/// address of each quote by its doc key.
struct Statements {
    table: StatementTable,
    segment: SegmentId,
    documents: HashMap<u64, DocId>,
}

impl Statements {
    /// The statement key of the quote `doc_key` (the `n`th found): its
    /// statement's, or one of its own.
    fn key(&self, doc_key: u64, n: u64) -> u64 {
        self.documents
            .get(&doc_key)
            .and_then(|doc| self.table.statement_of((self.segment, *doc)))
            .map_or_else(|| StatementKeys::own(n), u64::from)
    }
}

impl OpenSearchBackend {
    /// Reads every quote of the index and chains them into statements.
    fn statements(&self, registry: &SpeakerRegistry) -> Result<Statements, BackendError> {
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
        let mut documents = HashMap::new();
        walk.hits(&mut |hit| {
            let keys = CopyKeys {
                published: first_number(hit, PUBLISHED),
                indexed_at: first_number(hit, INDEXED_AT),
                doc_key: doc_key(hit)?,
                article_key: first_number(hit, ARTICLE_KEY),
            };
            documents.insert(keys.doc_key, quotes.len() as DocId);
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
            documents,
        })
    }

    /// [`crate::backend::Backend::speaker_timeline`] (see the module's docs).
    pub(super) fn timeline(&self, request: &TimelineRequest) -> Result<Timeline, BackendError> {
        let registry = self.speaker_registry()?;
        let speaker = timeline_speaker(&registry, request)?;
        let (quotes, articles) = timeline_searches(request, &speaker.1);
        let query = self.compile(&quotes)?.query;
        let statements = self.statements(&registry)?;
        let split = TopicSplit::below(request.topics.first().map(String::as_str));

        let mut found = Vec::new();
        self.pit_walk(
            query,
            EXPORT_PAGE,
            doc_values(&[PUBLISHED, DOC_KEY, ARTICLE_KEY, TOPIC]),
        )
        .hits(&mut |hit| {
            let key = doc_key(hit)?;
            let day = first_number::<i64>(hit, PUBLISHED)
                .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
                .map(|time| time.date());
            let topics = values(hit, TOPIC)
                .filter_map(Value::as_str)
                .filter(|path| split.keeps(path))
                .map(Arc::from)
                .collect();
            found.push(DatedQuote {
                day,
                statement: statements.key(key, found.len() as u64),
                article: first_number(hit, ARTICLE_KEY).unwrap_or(key),
                topics,
            });
            Ok(ControlFlow::Continue(()))
        })?;

        assemble_timeline(request, &registry, speaker, &found, |quoted_in| {
            self.co_quoted_in(&articles, &registry, quoted_in)
        })
    }

    /// Over the articles `articles` matches whose keys are in `quoted_in`,
    /// in how many each identity of `registry` is quoted.
    fn co_quoted_in(
        &self,
        articles: &crate::search::SearchRequest,
        registry: &SpeakerRegistry,
        quoted_in: &HashSet<u64>,
    ) -> Result<HashMap<u32, u64>, BackendError> {
        let query = self.compile(articles)?.query;
        let mut counts: HashMap<u32, u64> = HashMap::new();
        self.pit_walk(query, EXPORT_PAGE, doc_values(&[DOC_KEY, SPEAKER]))
            .hits(&mut |hit| {
                if quoted_in.contains(&doc_key(hit)?) {
                    let mut identities: Vec<u32> = values(hit, SPEAKER)
                        .filter_map(Value::as_str)
                        .filter_map(|name| registry.position(name))
                        .collect();
                    identities.sort_unstable();
                    identities.dedup();
                    for identity in identities {
                        *counts.entry(identity).or_default() += 1;
                    }
                }
                Ok(ControlFlow::Continue(()))
            })?;
        Ok(counts)
    }
}
