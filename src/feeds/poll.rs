//! Polling: the background loop of a server ([`run`]) and one poll of one
//! feed ([`poll_feed`]).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::{now_secs, Feed, FeedStore};
use crate::analysis::Analyzer;
use crate::backend::{Backend, Durability};
use crate::config::Settings;
use crate::fetch::extract::{html_text, ExtractedPage};
use crate::fetch::{fetch_article, FetchError, Fetcher, Validators};
use crate::ingest::{analyze_article, article_from_value, ArticleLimits};

/// How often the loop looks for due feeds.
const TICK: Duration = Duration::from_millis(500);
/// Shortest full text a feed item must carry to be taken instead of its page.
const MIN_FULL_TEXT_CHARS: usize = 500;

/// What polling needs: the feeds, the fetcher and the way into the store.
pub struct Poller {
    /// The feeds.
    pub feeds: Arc<FeedStore>,
    /// The fetcher (shared with `POST /v1/articles/from-url`).
    pub fetcher: Arc<Fetcher>,
    /// The store every article is written to.
    pub backend: Arc<dyn Backend>,
    /// The analysis pipeline.
    pub analyzer: Arc<Analyzer>,
    /// Settings.
    pub settings: Arc<Settings>,
}

/// Polls due feeds until the task is dropped or aborted.
pub async fn run(poller: Arc<Poller>) {
    loop {
        let now = now_secs();
        let due: Vec<Feed> = poller
            .feeds
            .list()
            .into_iter()
            .filter(|feed| feed.next_poll <= now)
            .collect();
        for feed in due {
            let poller_for_feed = poller.clone();
            let outcome = poll_feed(&poller_for_feed, &feed).await;
            tracing::info!(feed = %feed.id, url = %feed.url, ?outcome, "feed polled");
        }
        tokio::time::sleep(TICK).await;
    }
}

/// What one poll did.
#[derive(Debug, Clone, PartialEq)]
pub enum PollOutcome {
    /// `304 Not Modified`.
    NotModified,
    /// The feed was read: items ingested now, items that failed.
    Read {
        /// New items ingested.
        ingested: usize,
        /// New items that could not be ingested.
        failed: usize,
    },
    /// The poll failed (the feed's `last_error` says why).
    Failed(String),
}

/// One item of a feed, as read from the document.
struct Item {
    key: String,
    link: Option<String>,
    title: Option<String>,
    authors: Vec<String>,
    published: Option<String>,
    full_html: Option<String>,
}

/// Polls one feed: fetch (conditional), parse, ingest the unseen items,
/// record the state.
pub async fn poll_feed(poller: &Arc<Poller>, feed: &Feed) -> PollOutcome {
    let fetcher = poller.fetcher.clone();
    let url = feed.url.clone();
    let validators = Validators {
        etag: feed.etag.clone(),
        last_modified: feed.last_modified.clone(),
    };
    let fetched = tokio::task::spawn_blocking(move || {
        let fetched = fetcher.fetch(&url, &validators)?;
        if fetched.not_modified {
            return Ok((fetched.validators, None));
        }
        // An item without a guid is known by its link (else its title): the
        // parser's default would give it a random id, new at every poll.
        let parser = feed_rs::parser::Builder::new()
            .base_uri(Some(fetched.url.as_str()))
            .id_generator(|links, title, _| {
                links
                    .first()
                    .map(|link| link.href.clone())
                    .or_else(|| title.as_ref().map(|title| title.content.clone()))
                    .unwrap_or_default()
            })
            .build();
        let parsed = parser
            .parse(fetched.body.as_slice())
            .map_err(|e| FetchError::WrongType {
                url: url.clone(),
                content_type: format!("{} ({e})", fetched.content_type),
                expected: "an RSS, Atom or JSON feed",
            })?;
        Ok::<_, FetchError>((fetched.validators, Some(items_of(parsed))))
    })
    .await
    .unwrap_or_else(|e| {
        Err(FetchError::Failed {
            url: feed.url.clone(),
            message: e.to_string(),
        })
    });
    let now = now_secs();
    let (validators, items) = match fetched {
        Ok(answer) => answer,
        Err(error) => {
            let message = error.to_string();
            let max_backoff = poller.settings.feeds.max_backoff_secs;
            let _ = poller.feeds.update(&feed.id, |state| {
                state.failures = state.failures.saturating_add(1);
                state.last_fetch = Some(now);
                state.last_error = Some(message.clone());
                let wait = state
                    .interval_secs
                    .saturating_mul(1u64 << state.failures.min(20))
                    .min(max_backoff.max(state.interval_secs));
                state.next_poll = now + wait as i64;
            });
            return PollOutcome::Failed(message);
        }
    };
    let Some(items) = items else {
        let _ = poller.feeds.update(&feed.id, |state| {
            record_success(state, now, validators, None);
        });
        return PollOutcome::NotModified;
    };
    let mut ingested = 0;
    let mut failed = 0;
    let mut last_item_error = None;
    // Oldest first, so a feed's items enter the index in their order.
    for item in items.into_iter().rev() {
        if feed.has_seen(&item.key) {
            continue;
        }
        match ingest_item(poller, feed, &item).await {
            Ok(()) => {
                ingested += 1;
                let _ = poller.feeds.mark_seen(&feed.id, &item.key, true);
            }
            Err(error) => {
                failed += 1;
                tracing::warn!(feed = %feed.id, item = %item.key, %error, "feed item not ingested");
                let message = format!("item {}: {error}", item.key);
                if !error.is_transient() {
                    // A page that is not an article will not become one: skip
                    // it for good, its error shown in the same write (a reader
                    // never sees it seen without its error).
                    let _ = poller.feeds.update(&feed.id, |state| {
                        state.remember(&item.key);
                        state.last_error = Some(message.clone());
                    });
                }
                last_item_error = Some(message);
            }
        }
    }
    let _ = poller.feeds.update(&feed.id, |state| {
        record_success(state, now, validators, last_item_error);
    });
    PollOutcome::Read { ingested, failed }
}

/// Records a poll that read the feed.
fn record_success(state: &mut Feed, now: i64, validators: Validators, error: Option<String>) {
    state.failures = 0;
    state.last_fetch = Some(now);
    state.last_success = Some(now);
    state.last_error = error;
    if validators.etag.is_some() || validators.last_modified.is_some() {
        state.etag = validators.etag;
        state.last_modified = validators.last_modified;
    }
    state.next_poll = now + state.interval_secs as i64;
}

/// Why an item was not ingested.
#[derive(Debug, thiserror::Error)]
enum ItemError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{0}")]
    Invalid(String),
    #[error("the index cannot be written: {0}")]
    Write(String),
}

impl ItemError {
    /// Whether a later poll may succeed where this one failed.
    fn is_transient(&self) -> bool {
        match self {
            ItemError::Fetch(error) => matches!(
                error,
                FetchError::Timeout { .. }
                    | FetchError::Failed { .. }
                    | FetchError::UnknownHost { .. }
                    | FetchError::Status {
                        status: 429 | 500..=599,
                        ..
                    }
            ),
            ItemError::Invalid(_) => false,
            ItemError::Write(_) => true,
        }
    }
}

/// Ingests one item: its full text when the feed carries it, else its page.
async fn ingest_item(poller: &Arc<Poller>, feed: &Feed, item: &Item) -> Result<(), ItemError> {
    let full_text = item
        .full_html
        .as_deref()
        .map(html_text)
        .filter(|text| text.chars().count() >= MIN_FULL_TEXT_CHARS);
    let article_json: Value = match (full_text, &item.link) {
        (Some(body), link) => {
            let page = ExtractedPage {
                title: item.title.clone().unwrap_or_default(),
                body,
                authors: item.authors.clone(),
                published: item.published.clone(),
                ..Default::default()
            };
            let url = link.clone().unwrap_or_else(|| item.key.clone());
            page.to_article_json(&url, feed.source.as_deref())
        }
        (None, Some(link)) => {
            let fetcher = poller.fetcher.clone();
            let link = link.clone();
            let (url, mut page) =
                tokio::task::spawn_blocking(move || fetch_article(&fetcher, &link))
                    .await
                    .map_err(|e| ItemError::Write(e.to_string()))??;
            if page.title.is_empty() {
                page.title = item.title.clone().unwrap_or_default();
            }
            if page.authors.is_empty() {
                page.authors = item.authors.clone();
            }
            if page.published.is_none() {
                page.published = item.published.clone();
            }
            page.to_article_json(url.as_str(), feed.source.as_deref())
        }
        (None, None) => {
            return Err(ItemError::Invalid(
                "the item has neither full text nor a link".to_owned(),
            ))
        }
    };
    let limits = ArticleLimits {
        max_article_bytes: poller.settings.server.max_article_bytes,
    };
    let article =
        article_from_value(article_json, limits).map_err(|e| ItemError::Invalid(e.to_string()))?;
    let worker = poller.clone();
    tokio::task::spawn_blocking(move || {
        let analyzed = analyze_article(&worker.analyzer, article);
        worker.backend.upsert(vec![analyzed], Durability::Durable)
    })
    .await
    .map_err(|e| ItemError::Write(e.to_string()))?
    .map_err(|e| ItemError::Write(e.to_string()))?;
    Ok(())
}

/// The items of a parsed feed, newest first as feeds list them.
fn items_of(feed: feed_rs::model::Feed) -> Vec<Item> {
    feed.entries
        .into_iter()
        .map(|entry| {
            let link = entry
                .links
                .iter()
                .find(|link| link.rel.as_deref().is_none_or(|rel| rel == "alternate"))
                .or(entry.links.first())
                .map(|link| link.href.clone());
            let key = if entry.id.trim().is_empty() {
                link.clone().unwrap_or_default()
            } else {
                entry.id.clone()
            };
            Item {
                key,
                link,
                title: entry.title.map(|title| html_text(&title.content)),
                authors: entry
                    .authors
                    .iter()
                    .map(|person| person.name.trim().to_owned())
                    .filter(|name| !name.is_empty())
                    .collect(),
                published: entry.published.or(entry.updated).map(|t| t.to_rfc3339()),
                full_html: entry.content.and_then(|content| content.body),
            }
        })
        .filter(|item| !item.key.is_empty())
        .collect()
}
