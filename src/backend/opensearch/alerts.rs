//! Saved alerts on OpenSearch: the server that writes an upsert matches its
//! quotes against the alerts it holds, around the write.
//!
//! The embedded backend's matcher watches its writer's commits (see
//! [`crate::alerts::matcher`]); a cluster written by several servers has no
//! commit to watch, so the write path itself does what the matcher does,
//! with the cluster as the index:
//!
//! 1. *Before* the write, each quote of the batch is checked for novelty:
//!    a quote with the same statement words already in the cluster, in the
//!    same article or said by the same speaker identity (or, unattributed
//!    and of [`MIN_WORDS_UNATTRIBUTED_REPRINT`] words or more, anywhere) is
//!    an update or a reprint and fires nothing: one `size: 0` search per
//!    quote with words, [`SEARCHES_PER_REQUEST`] to an `_msearch`.
//! 2. The write goes on, made visible (`refresh=wait_for`) even when
//!    deferred, so that the alerts' searches see it.
//! 3. *After* it, every alert's query runs on the cluster restricted to the
//!    new quotes' ids (one search per alert and chunk of at most
//!    [`SEARCHES_PER_REQUEST`] new quotes, batched into `_msearch`), and each
//!    (alert, new quote) match becomes an event, once per alert and
//!    statement within the batch, as the embedded matcher records them.
//!
//! Between 1 and 2 the new quotes are journaled ([`PendingBatches`]), and
//! marked done after 3: a crash in between leaves them to the next start
//! ([`OpenSearchBackend::match_unfinished_alert_batches`]).
//!
//! Nothing is matched while no alert is saved: the write costs what it
//! did. Matching errors are logged, never the write's: an acknowledged
//! write stays acknowledged. ARCHITECTURE.md (*Alerts on OpenSearch*) says
//! what this gives up against the embedded backend (an alert fires for the
//! writes of the server that holds it).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::client::Body;
use super::mapping::{DOC_TYPE, FOLDED};
use super::search::uses_speakers;
use super::{ArticleIds, OpenSearchBackend};
use crate::alerts::matcher::{QueryReader, QuoteFormatter};
use crate::alerts::pending::PendingBatches;
use crate::alerts::{AlertError, AlertStore};
use crate::analysis::tokenizers::normalize_keyword;
use crate::backend::{AlertShapes, BackendError};
use crate::indexing::document::{indexing_stamp, statement_text};
use crate::indexing::schema::{
    ARTICLE_ID, INDEXED_AT, KIND_QUOTE, SPEAKER, STATEMENT_TEXT, STORED_JSON,
};
use crate::indexing::speaker_registry::SpeakerRegistry;
use crate::model::AnalyzedArticle;
use crate::search::{filtered_languages, Target};

/// Most searches sent in one `_msearch`, and most new quotes one alert's
/// search is restricted to (a search's hits stay within the engine's
/// result window).
pub const SEARCHES_PER_REQUEST: usize = 500;

/// Fewest words of a quote without a speaker that make it a reprint when
/// the same words are anywhere in the index (the embedded matcher's rule).
pub const MIN_WORDS_UNATTRIBUTED_REPRINT: usize = 6;

/// The alerts a backend matches its writes against, and how it reads their
/// queries and shapes their events.
pub struct AlertHook {
    alerts: Arc<AlertStore>,
    read_query: QueryReader,
    format: QuoteFormatter,
    /// The writes begun and not matched yet.
    pending: PendingBatches,
}

impl AlertHook {
    /// The hook of `alerts` (its journal of writes not matched yet opened
    /// beside them), with the HTTP layer's `shapes`.
    pub fn new(alerts: Arc<AlertStore>, shapes: AlertShapes) -> Result<AlertHook, AlertError> {
        let pending = PendingBatches::open(alerts.dir())?;
        Ok(AlertHook {
            alerts,
            read_query: shapes.read_query,
            format: shapes.format_quote,
            pending,
        })
    }
}

/// A quote of a batch that was new to the cluster before the write, with
/// the keys it fires once by (as the embedded matcher's).
#[derive(Serialize, Deserialize)]
struct NewQuote {
    /// Its document id.
    id: String,
    /// By article and words.
    article_key: String,
    /// By speaker identity and words (by article without a speaker).
    speaker_key: String,
}

/// What the write path keeps between the novelty check and the matching,
/// and what the journal keeps of it ([`PendingBatches`]).
#[derive(Serialize, Deserialize)]
pub struct PendingMatch {
    /// The batch's new quotes, in batch order.
    new_quotes: Vec<NewQuote>,
    /// An `indexed_at` stamp taken before the batch's: its quotes are
    /// stamped at or after it (older documents at their ids are not theirs).
    since: u64,
    /// Its number in the journal, once recorded there.
    #[serde(skip)]
    batch: Option<u64>,
    /// Matched at start from the journal: events already recorded for the
    /// same (alert, article, words) are not recorded again.
    #[serde(skip)]
    catching_up: bool,
}

/// A quote of the batch, as novelty reads it.
struct BatchQuote<'a> {
    id: String,
    article_id: &'a str,
    speaker: Option<&'a str>,
    /// Its statement words, or its text when it has none.
    words: String,
    /// Whether it has statement words (only those can be found again).
    has_statement: bool,
}

impl OpenSearchBackend {
    /// Whether writes are matched against alerts now: a hook is set and an
    /// alert is saved.
    pub(super) fn matches_alerts(&self) -> bool {
        self.alert_hook
            .as_ref()
            .is_some_and(|hook| hook.alerts.any())
    }

    /// Before writing `articles`: which of their quotes are new to the
    /// cluster (step 1 of the module's docs). `None` when no alert is
    /// saved.
    pub(super) fn alerts_before_write(
        &self,
        articles: &[AnalyzedArticle],
    ) -> Result<Option<PendingMatch>, BackendError> {
        if !self.matches_alerts() {
            return Ok(None);
        }
        let since = indexing_stamp();
        let quotes: Vec<BatchQuote<'_>> = articles
            .iter()
            .flat_map(|article| {
                let ids = ArticleIds::of(&article.article.id);
                article
                    .analysis
                    .quotes
                    .iter()
                    .enumerate()
                    .map(move |(position, quote)| {
                        let statement = statement_text(&quote.quote);
                        BatchQuote {
                            id: ids.quote(position),
                            article_id: &article.article.id,
                            speaker: quote.speaker.as_deref(),
                            has_statement: statement.is_some(),
                            words: statement.unwrap_or_else(|| quote.quote.clone()),
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        if quotes.is_empty() {
            return Ok(Some(PendingMatch {
                new_quotes: Vec::new(),
                since,
                batch: None,
                catching_up: false,
            }));
        }
        let registry = if quotes.iter().any(|quote| quote.speaker.is_some()) {
            Some(self.speaker_registry()?)
        } else {
            None
        };
        let names_of = |quote: &BatchQuote<'_>| -> Vec<String> {
            match (quote.speaker, &registry) {
                (Some(speaker), Some(registry)) => registry.filter_values(speaker),
                (Some(speaker), None) => vec![speaker.to_owned()],
                (None, _) => Vec::new(),
            }
        };
        // One search per quote that can be found again.
        let mut searches = Vec::new();
        let mut searched = Vec::new();
        for (slot, quote) in quotes.iter().enumerate() {
            if !quote.has_statement {
                continue;
            }
            let names = names_of(quote);
            let mut filter = vec![
                json!({ "term": { DOC_TYPE: KIND_QUOTE } }),
                json!({ "term": { STATEMENT_TEXT: quote.words } }),
            ];
            let anywhere = names.is_empty()
                && quote.words.split(' ').count() >= MIN_WORDS_UNATTRIBUTED_REPRINT;
            if !anywhere {
                let mut same = vec![json!({ "term": { ARTICLE_ID: quote.article_id } })];
                if !names.is_empty() {
                    let folded: Vec<String> =
                        names.iter().map(|name| normalize_keyword(name)).collect();
                    same.push(json!({ "terms": { format!("{FOLDED}.{SPEAKER}"): folded } }));
                }
                filter.push(json!({ "bool": { "should": same, "minimum_should_match": 1 } }));
            }
            searches.push(json!({
                "size": 0,
                "track_total_hits": 1,
                "query": { "bool": { "filter": filter } },
            }));
            searched.push(slot);
        }
        let mut seen = vec![false; quotes.len()];
        for (slots, searches) in searched
            .chunks(SEARCHES_PER_REQUEST)
            .zip(searches.chunks(SEARCHES_PER_REQUEST))
        {
            for (slot, response) in slots.iter().zip(self.msearch(searches)?) {
                if let Some(error) = response.get("error") {
                    // Taken as new: at worst an event too many.
                    tracing::warn!(%error, "an alert novelty search failed");
                    continue;
                }
                seen[*slot] = response["hits"]["total"]["value"].as_u64().unwrap_or(0) > 0;
            }
        }
        let new_quotes = quotes
            .iter()
            .zip(seen)
            .filter(|(_, seen)| !seen)
            .map(|(quote, _)| {
                let article_key = format!("a\u{1f}{}\u{1f}{}", quote.article_id, quote.words);
                let identity = names_of(quote)
                    .first()
                    .map(|name| normalize_keyword(name))
                    .unwrap_or_default();
                let speaker_key = if identity.is_empty() {
                    article_key.clone()
                } else {
                    format!("s\u{1f}{identity}\u{1f}{}", quote.words)
                };
                NewQuote {
                    id: quote.id.clone(),
                    article_key,
                    speaker_key,
                }
            })
            .collect();
        let mut pending = PendingMatch {
            new_quotes,
            since,
            batch: None,
            catching_up: false,
        };
        if !pending.new_quotes.is_empty() {
            if let Some(hook) = &self.alert_hook {
                // Recorded before the write, so that a crash before its
                // events are leaves it to the next server.
                match serde_json::to_value(&pending)
                    .map_err(|e| e.to_string())
                    .and_then(|needs| hook.pending.begin(needs).map_err(|e| e.to_string()))
                {
                    Ok(batch) => pending.batch = Some(batch),
                    Err(error) => {
                        tracing::error!(%error, "the alerts' journal of pending writes failed")
                    }
                }
            }
        }
        Ok(Some(pending))
    }

    /// After a failed write: nothing of it is matched (what it wrote, if
    /// anything, is written again by the client's retry, whose novelty
    /// check sees it).
    pub(super) fn alerts_write_failed(&self, pending: PendingMatch) {
        self.pending_done(pending.batch);
    }

    /// Records `batch` done in the journal.
    fn pending_done(&self, batch: Option<u64>) {
        if let (Some(hook), Some(batch)) = (&self.alert_hook, batch) {
            if let Err(error) = hook.pending.done(batch) {
                tracing::error!(%error, "the alerts' journal of pending writes failed");
            }
        }
    }

    /// Matches the writes a crash left unmatched (begun in the journal, not
    /// done), as they would have been; called once at start. Errors are
    /// logged and the batches left for the next start.
    pub fn match_unfinished_alert_batches(&self) {
        let Some(hook) = &self.alert_hook else {
            return;
        };
        for (batch, needs) in hook.pending.unfinished() {
            let mut pending: PendingMatch = match serde_json::from_value(needs) {
                Ok(pending) => pending,
                Err(error) => {
                    tracing::error!(%error, batch, "an unreadable pending alert batch is dropped");
                    self.pending_done(Some(batch));
                    continue;
                }
            };
            pending.batch = Some(batch);
            pending.catching_up = true;
            let quotes = pending.new_quotes.len();
            match self.match_new_quotes(pending) {
                Ok(()) => tracing::info!(batch, quotes, "matched a write a crash left unmatched"),
                Err(error) => {
                    tracing::error!(%error, batch, "matching a pending alert batch failed")
                }
            }
        }
    }

    /// After the write: matches the new quotes against every alert and
    /// records the events (step 3 of the module's docs). Errors are logged.
    pub(super) fn alerts_after_write(&self, pending: PendingMatch) {
        if let Err(error) = self.match_new_quotes(pending) {
            tracing::error!(%error, "matching a write against the alerts failed");
        }
    }

    fn match_new_quotes(&self, pending: PendingMatch) -> Result<(), String> {
        let Some(hook) = &self.alert_hook else {
            return Ok(());
        };
        if pending.new_quotes.is_empty() {
            self.pending_done(pending.batch);
            return Ok(());
        }
        let (alerts, _) = hook.alerts.alerts();
        let mut index_languages: Option<Vec<String>> = None;
        let mut registry: Option<Arc<SpeakerRegistry>> = None;
        let mut queries = Vec::new();
        let mut alert_ids = Vec::new();
        for alert in &alerts {
            let request = match (hook.read_query)(&alert.query) {
                Ok(request) if request.target == Target::Quotes => request,
                Ok(_) => continue,
                Err(error) => {
                    tracing::warn!(alert = %alert.id, %error, "an alert's query no longer reads");
                    continue;
                }
            };
            let mut languages = filtered_languages(&request);
            if languages.is_empty() {
                if index_languages.is_none() {
                    index_languages =
                        Some(self.search_languages(&request).map_err(|e| e.to_string())?);
                }
                languages = index_languages.clone().unwrap_or_default();
            }
            let speakers = if uses_speakers(&request) {
                if registry.is_none() {
                    registry = Some(self.speaker_registry().map_err(|e| e.to_string())?);
                }
                registry.clone()
            } else {
                None
            };
            let compiled = match self.compile_with(&request, &languages, speakers) {
                Ok(compiled) => compiled,
                Err(error) => {
                    tracing::warn!(alert = %alert.id, %error, "an alert's query does not compile");
                    continue;
                }
            };
            queries.push(compiled.query);
            alert_ids.push(alert.id.clone());
        }
        if alert_ids.is_empty() {
            self.pending_done(pending.batch);
            return Ok(());
        }
        // Which alerts each new quote matched, and its stored JSON: every
        // alert's search on each chunk of the new quotes.
        let new_ids: HashSet<&str> = pending
            .new_quotes
            .iter()
            .map(|quote| quote.id.as_str())
            .collect();
        let mut searches = Vec::new();
        for chunk in pending.new_quotes.chunks(SEARCHES_PER_REQUEST) {
            let ids: Vec<&str> = chunk.iter().map(|quote| quote.id.as_str()).collect();
            for (slot, query) in queries.iter().enumerate() {
                searches.push((
                    slot,
                    json!({
                        "size": ids.len(),
                        "_source": [STORED_JSON],
                        "query": { "bool": {
                            "must": [query],
                            "filter": [
                                { "ids": { "values": ids } },
                                { "range": { INDEXED_AT: { "gte": pending.since } } },
                            ],
                        } },
                    }),
                ));
            }
        }
        let mut matched: HashMap<String, Vec<usize>> = HashMap::new();
        let mut stored: HashMap<String, String> = HashMap::new();
        for round in searches.chunks(SEARCHES_PER_REQUEST) {
            let bodies: Vec<Value> = round.iter().map(|(_, body)| body.clone()).collect();
            let responses = self.msearch(&bodies).map_err(|e| e.to_string())?;
            for ((slot, _), response) in round.iter().zip(&responses) {
                if let Some(error) = response.get("error") {
                    tracing::warn!(alert = %alert_ids[*slot], %error, "an alert's search failed");
                    continue;
                }
                for hit in response["hits"]["hits"].as_array().into_iter().flatten() {
                    let (Some(id), Some(json)) =
                        (hit["_id"].as_str(), hit["_source"][STORED_JSON].as_str())
                    else {
                        continue;
                    };
                    if new_ids.contains(id) {
                        matched.entry(id.to_owned()).or_default().push(*slot);
                        stored.insert(id.to_owned(), json.to_owned());
                    }
                }
            }
        }
        // What each alert has already, when matching from the journal: a
        // crash may have come after the events and before `done`.
        let mut recorded: HashSet<(usize, String, String)> = HashSet::new();
        if pending.catching_up {
            for (slot, id) in alert_ids.iter().enumerate() {
                for event in hook
                    .alerts
                    .events_after(id, 0, usize::MAX)
                    .unwrap_or_default()
                {
                    if let Some((article, quote)) = event_key(&event.quote) {
                        recorded.insert((slot, article, quote));
                    }
                }
            }
        }
        // In batch order, then alert order: each alert fires once per
        // statement (by article and by speaker) within the batch.
        let mut fired: HashSet<(usize, &str)> = HashSet::new();
        let mut events: Vec<(String, Arc<Value>)> = Vec::new();
        for quote in &pending.new_quotes {
            let Some(slots) = matched.get_mut(&quote.id) else {
                continue;
            };
            slots.sort_unstable();
            let mut formatted: Option<Arc<Value>> = None;
            for &slot in slots.iter() {
                // Both keys are recorded; the alert fires when neither was
                // (they are one key for a quote without a speaker).
                let by_article = fired.insert((slot, quote.article_key.as_str()));
                let by_speaker = fired.insert((slot, quote.speaker_key.as_str()))
                    || quote.speaker_key == quote.article_key;
                if !(by_article && by_speaker) {
                    continue;
                }
                let event = match &formatted {
                    Some(event) => event.clone(),
                    None => {
                        let event = Arc::new((hook.format)(&stored[&quote.id])?);
                        formatted = Some(event.clone());
                        event
                    }
                };
                if !recorded.is_empty()
                    && event_key(&event)
                        .is_some_and(|(article, words)| recorded.contains(&(slot, article, words)))
                {
                    continue;
                }
                events.push((alert_ids[slot].clone(), event));
            }
        }
        hook.alerts
            .append_events(events)
            .map_err(|e| e.to_string())?;
        self.pending_done(pending.batch);
        Ok(())
    }

    /// Runs `searches` on the index in one `_msearch` and returns their
    /// responses, in order.
    fn msearch(&self, searches: &[Value]) -> Result<Vec<Value>, BackendError> {
        let mut lines = String::new();
        for body in searches {
            // An empty header: the index of the path.
            lines.push_str("{}\n");
            lines.push_str(&body.to_string());
            lines.push('\n');
        }
        let answer = self.on_index("POST", "/_msearch", Some(Body::NdJson(&lines)))?;
        answer["responses"].as_array().cloned().ok_or_else(|| {
            BackendError::Store("OpenSearch answered _msearch without responses".into())
        })
    }
}

/// The (article id, quote text) of an event's quote: what a quote recorded
/// for an alert is known by.
fn event_key(quote: &Value) -> Option<(String, String)> {
    Some((
        quote.get("article")?.get("id")?.as_str()?.to_owned(),
        quote.get("quote")?.as_str()?.to_owned(),
    ))
}
