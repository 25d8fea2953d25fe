//! Speaker timelines on OpenSearch (`/v1/speakers/{name}/timeline`): the
//! embedded timeline's searches ([`timeline_searches`]) run on the cluster,
//! its quotes read through a point in time ([`super::export::PitWalk`]),
//! and assembled by the same code as the embedded one
//! ([`assemble_timeline`]: intervals, topics of the split, co-quoted
//! speakers), so both answer the same buckets.
//!
//! A timeline counts statements, so it needs the statement table
//! ([`super::statements`]: built from the cluster's quotes by the embedded
//! rule, cached by the index's write state).

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::Arc;

use serde_json::Value;
use time::OffsetDateTime;

use super::export::EXPORT_PAGE;
use super::statements::{doc_key, doc_values, first_number, values};
use super::OpenSearchBackend;
use crate::backend::BackendError;
use crate::indexing::schema::{ARTICLE_KEY, DOC_KEY, PUBLISHED, SPEAKER, TOPIC};
use crate::indexing::speaker_registry::SpeakerRegistry;
use crate::search::timeline::{
    assemble_timeline, timeline_searches, timeline_speaker, DatedQuote, Timeline, TimelineRequest,
    TopicSplit,
};

impl OpenSearchBackend {
    /// [`crate::backend::Backend::speaker_timeline`] (see the module's docs).
    pub(super) fn timeline(&self, request: &TimelineRequest) -> Result<Timeline, BackendError> {
        let registry = self.speaker_registry()?;
        let speaker = timeline_speaker(&registry, request)?;
        let (quotes, articles) = timeline_searches(request, &speaker.1);
        let query = self.compile(&quotes)?.query;
        let statements = self.statements()?;
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
