//! Feeds: RSS 2.0, Atom 1.0 and JSON Feed documents polled on an interval,
//! each new item ingested once.
//!
//! [`FeedStore`] keeps the feeds, their validators (`ETag`,
//! `Last-Modified`), their state (last fetch, last error, items ingested,
//! next poll) and the keys of the items already ingested (guid, else link)
//! in `feeds.json` in the index directory, written whole to a temporary
//! file, fsynced and renamed over the old one, so a restart neither loses
//! nor repeats an item; snapshots copy it with the index. [`poll`] runs the
//! background loop of a server: a due feed is fetched with conditional
//! headers (through [`crate::fetch::Fetcher`], so under the same address
//! rules as pages), parsed with feed-rs, and each unseen item is ingested from
//! the feed's full text (`content:encoded`, Atom `content`, JSON Feed
//! `content_html`) when it carries one, else from its page. A failed poll
//! waits twice as long each time, up to `feeds.max_backoff_secs`.

pub mod poll;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::config::FeedSettings;

/// The file in the index directory that holds the feeds.
pub const FEEDS_FILE: &str = "feeds.json";
/// Item keys remembered per feed (the newest); a feed lists far fewer.
const MAX_SEEN_PER_FEED: usize = 10_000;

/// Why a feed operation failed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// No feed has this id.
    #[error("no feed with id `{0}`")]
    NotFound(String),
    /// A feed with this URL exists already.
    #[error("the feed {url} exists already, with id `{id}`")]
    Exists {
        /// The URL.
        url: String,
        /// The existing feed's id.
        id: String,
    },
    /// An interval below `feeds.min_interval_secs`.
    #[error("interval must be at least {min} seconds, not {given}")]
    IntervalTooShort {
        /// The interval given.
        given: u64,
        /// The shortest allowed.
        min: u64,
    },
    /// `feeds.json` could not be read or written.
    #[error("feed state {path}: {message}")]
    State {
        /// The file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
}

/// One feed and what polling it has done so far. Times are Unix seconds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Feed {
    /// Stable id, derived from the URL.
    pub id: String,
    /// The feed's URL.
    pub url: String,
    /// Source given to its articles (else each page's publisher).
    pub source: Option<String>,
    /// Seconds between polls.
    pub interval_secs: u64,
    /// When it was added.
    pub created: i64,
    /// When it was last fetched (successfully or not).
    pub last_fetch: Option<i64>,
    /// When it was last fetched and read without error.
    pub last_success: Option<i64>,
    /// The last error, cleared by a poll without one.
    pub last_error: Option<String>,
    /// Items ingested since it was added.
    pub items_ingested: u64,
    /// Polls failed in a row (sets the backoff).
    pub failures: u32,
    /// When it is polled next.
    pub next_poll: i64,
    /// `ETag` of the last answer.
    pub etag: Option<String>,
    /// `Last-Modified` of the last answer.
    pub last_modified: Option<String>,
    /// Keys (guid, else link) of the items already ingested, oldest first.
    pub seen: VecDeque<String>,
}

impl Feed {
    /// Whether the item with this key was ingested already.
    pub fn has_seen(&self, key: &str) -> bool {
        self.seen.iter().any(|seen| seen == key)
    }

    /// Remembers the item with this key as seen (the oldest keys beyond
    /// the bound forgotten).
    pub fn remember(&mut self, key: &str) {
        if !self.has_seen(key) {
            self.seen.push_back(key.to_owned());
            while self.seen.len() > MAX_SEEN_PER_FEED {
                self.seen.pop_front();
            }
        }
    }
}

/// The feed id of a URL: 16 hex digits of its xxh3.
pub fn feed_id(url: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(url.as_bytes()))
}

/// The current time in Unix seconds.
pub fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[derive(Serialize, Deserialize, Default)]
struct FeedsFile {
    feeds: Vec<Feed>,
}

/// The feeds of one index, kept in `feeds.json`.
#[derive(Debug)]
pub struct FeedStore {
    path: PathBuf,
    feeds: Mutex<Vec<Feed>>,
}

impl FeedStore {
    /// Opens the feeds of the index in `index_dir` (none when the file does
    /// not exist).
    pub fn open(index_dir: &Path) -> Result<FeedStore, FeedError> {
        let path = index_dir.join(FEEDS_FILE);
        let feeds = crate::durable::read_json::<FeedsFile>(&path)
            .map_err(state_error(&path))?
            .map_or_else(Vec::new, |file| file.feeds);
        Ok(FeedStore {
            path,
            feeds: Mutex::new(feeds),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Feed>> {
        self.feeds.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every feed, in the order they were added.
    pub fn list(&self) -> Vec<Feed> {
        self.lock().clone()
    }

    /// The feed with this id.
    pub fn get(&self, id: &str) -> Result<Feed, FeedError> {
        self.lock()
            .iter()
            .find(|feed| feed.id == id)
            .cloned()
            .ok_or_else(|| FeedError::NotFound(id.to_owned()))
    }

    /// Adds a feed, polled at once and then every `interval_secs` (else the
    /// default of `settings`), which must be at least the minimum of
    /// `settings`.
    pub fn add(
        &self,
        url: &str,
        source: Option<String>,
        interval_secs: Option<u64>,
        settings: &FeedSettings,
    ) -> Result<Feed, FeedError> {
        let interval_secs = interval_secs.unwrap_or(settings.default_interval_secs);
        let min_interval_secs = settings.min_interval_secs;
        if interval_secs < min_interval_secs {
            return Err(FeedError::IntervalTooShort {
                given: interval_secs,
                min: min_interval_secs,
            });
        }
        let mut feeds = self.lock();
        let id = feed_id(url);
        if feeds.iter().any(|feed| feed.id == id) {
            return Err(FeedError::Exists {
                url: url.to_owned(),
                id,
            });
        }
        let now = now_secs();
        let feed = Feed {
            id,
            url: url.to_owned(),
            source,
            interval_secs,
            created: now,
            last_fetch: None,
            last_success: None,
            last_error: None,
            items_ingested: 0,
            failures: 0,
            next_poll: now,
            etag: None,
            last_modified: None,
            seen: VecDeque::new(),
        };
        feeds.push(feed.clone());
        self.save(&feeds)?;
        Ok(feed)
    }

    /// Removes a feed (the articles it brought stay in the index).
    pub fn remove(&self, id: &str) -> Result<Feed, FeedError> {
        let mut feeds = self.lock();
        let position = feeds
            .iter()
            .position(|feed| feed.id == id)
            .ok_or_else(|| FeedError::NotFound(id.to_owned()))?;
        let removed = feeds.remove(position);
        self.save(&feeds)?;
        Ok(removed)
    }

    /// Changes the feed with this id, if it still exists, and saves.
    pub fn update(&self, id: &str, change: impl FnOnce(&mut Feed)) -> Result<(), FeedError> {
        let mut feeds = self.lock();
        if let Some(feed) = feeds.iter_mut().find(|feed| feed.id == id) {
            change(feed);
            self.save(&feeds)?;
        }
        Ok(())
    }

    /// Records that the item `key` of feed `id` was ingested.
    pub fn mark_seen(&self, id: &str, key: &str, ingested: bool) -> Result<(), FeedError> {
        self.update(id, |feed| {
            feed.remember(key);
            if ingested {
                feed.items_ingested += 1;
            }
        })
    }

    /// Replaces `feeds.json` with `feeds` ([`crate::durable::replace_json`]).
    fn save(&self, feeds: &[Feed]) -> Result<(), FeedError> {
        let file = FeedsFile {
            feeds: feeds.to_vec(),
        };
        crate::durable::replace_json(&self.path, &file).map_err(state_error(&self.path))
    }
}

/// The error of a failed read or write of `path`, `feeds.json`.
fn state_error(path: &Path) -> impl Fn(std::io::Error) -> FeedError + '_ {
    move |e| FeedError::State {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::StoreDir;

    #[test]
    fn feeds_and_seen_items_survive_reopening() {
        let dir = StoreDir::new(FeedStore::open);
        let store = dir.open();
        let settings = FeedSettings::default();
        let feed = store
            .add(
                "https://example.com/rss",
                Some("Ex".into()),
                None,
                &settings,
            )
            .unwrap();
        assert_eq!(feed.interval_secs, settings.default_interval_secs);
        assert!(matches!(
            store.add("https://example.com/rss", None, Some(60), &settings),
            Err(FeedError::Exists { .. })
        ));
        assert!(matches!(
            store.add("https://example.com/b", None, Some(5), &settings),
            Err(FeedError::IntervalTooShort { given: 5, min: 60 })
        ));
        store.mark_seen(&feed.id, "guid-1", true).unwrap();
        let reopened = dir.open();
        let again = reopened.get(&feed.id).unwrap();
        assert!(again.has_seen("guid-1"));
        assert_eq!(again.items_ingested, 1);
        reopened.remove(&feed.id).unwrap();
        assert!(dir.open().list().is_empty());
    }
}
