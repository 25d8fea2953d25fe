//! `verbatim import --url URL` (fetch pages and add their articles, without
//! a server) and `verbatim feeds add|list|remove` (through a running server
//! with `--server`, else in the index directory's `feeds.json`).

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::alerts::{Alert, AlertStore};
use crate::analysis::Analyzer;
use crate::cli::import::open_for_writing;
use crate::config::Settings;
use crate::feeds::{Feed, FeedStore};
use crate::fetch::{fetch_article, Fetcher};
use crate::http::params::AlertQueryParams;
use crate::indexing::writer::{Durability, WriteOp};
use crate::ingest::{article_from_value, prepare_article_with, ArticleLimits};

/// Fetches each URL, extracts its article and writes it to the index of
/// `settings` (as `POST /v1/articles/from-url` does); prints one JSON line
/// per URL. Fails when any URL failed (the others are written).
pub fn run_import_urls(
    settings: &Settings,
    urls: &[String],
    source: Option<&str>,
) -> anyhow::Result<()> {
    let fetcher = Fetcher::new(settings.fetch.clone());
    let analyzer = Analyzer::from_settings(&settings.analysis)?;
    let (store, writer, writer_thread) =
        open_for_writing(settings, " Use POST /v1/articles/from-url then")?;
    let limits = ArticleLimits {
        max_article_bytes: settings.server.max_article_bytes,
    };
    let mut failed = 0;
    for url in urls {
        let outcome = fetch_article(&fetcher, url)
            .map_err(anyhow::Error::from)
            .and_then(|(final_url, page)| {
                let article =
                    article_from_value(page.to_article_json(final_url.as_str(), source), limits)?;
                let id = article.id.clone();
                let prepared = prepare_article_with(
                    &analyzer,
                    store.fields(),
                    settings.index.document_options(),
                    article,
                );
                writer.write_blocking(WriteOp::Upsert(vec![prepared]), Durability::Commit)?;
                Ok(json!({
                    "url": final_url.as_str(),
                    "id": id,
                    "title": page.title,
                    "authors": page.authors,
                    "published": page.published,
                    "body_chars": page.body.chars().count(),
                }))
            });
        match outcome {
            Ok(line) => println!("{line}"),
            Err(error) => {
                failed += 1;
                println!("{}", json!({"url": url, "error": error.to_string()}));
            }
        }
    }
    writer
        .write_blocking(WriteOp::Shutdown, Durability::Commit)
        .context("final commit failed")?;
    drop(writer);
    writer_thread.join();
    if failed > 0 {
        bail!("{failed} of {} URL(s) could not be imported", urls.len());
    }
    Ok(())
}

/// Where `verbatim feeds` acts.
pub enum FeedsTarget {
    /// A running server: its base URL and the admin key, if it needs one.
    Server {
        /// `http://host:port`.
        base: String,
        /// The admin key.
        key: Option<String>,
    },
    /// The index directory of the settings (no server running on it).
    Index,
}

/// What `verbatim feeds` does.
pub enum FeedsAction {
    /// Follow a feed.
    Add {
        /// The feed's URL.
        url: String,
        /// Source of its articles.
        source: Option<String>,
        /// Seconds between polls.
        interval: Option<u64>,
    },
    /// List the feeds.
    List,
    /// Stop following a feed.
    Remove {
        /// Its id.
        id: String,
    },
}

/// Runs `verbatim feeds ...` and prints the JSON the HTTP API answers.
pub fn run_feeds(
    settings: &Settings,
    target: FeedsTarget,
    action: FeedsAction,
) -> anyhow::Result<()> {
    let answer = match target {
        FeedsTarget::Server { base, key } => over_http(&base, key.as_deref(), action)?,
        FeedsTarget::Index => in_index(settings, action)?,
    };
    println!("{}", serde_json::to_string_pretty(&answer)?);
    Ok(())
}

fn over_http(base: &str, key: Option<&str>, action: FeedsAction) -> anyhow::Result<Value> {
    let (method, path, body) = match action {
        FeedsAction::Add {
            url,
            source,
            interval,
        } => (
            "POST",
            "/v1/feeds".to_owned(),
            Some(json!({"url": url, "source": source, "interval": interval})),
        ),
        FeedsAction::List => ("GET", "/v1/feeds".to_owned(), None),
        FeedsAction::Remove { id } => ("DELETE", format!("/v1/feeds/{id}"), None),
    };
    send(base, key, method, &path, body)
}

/// Sends one request to a running server and returns its JSON answer (an
/// error status is an error, with the server's message).
fn send(
    base: &str,
    key: Option<&str>,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let base = base.trim_end_matches('/');
    let mut request = ureq::request(method, &format!("{base}{path}"));
    if let Some(key) = key {
        request = request.set("Authorization", &format!("Bearer {key}"));
    }
    let result = match body {
        Some(body) => request.send_json(body),
        None => request.call(),
    };
    match result {
        Ok(response) => Ok(response.into_json()?),
        Err(ureq::Error::Status(status, response)) => {
            let body: Value = response.into_json().unwrap_or(Value::Null);
            bail!("the server answered {status}: {body}")
        }
        Err(error) => bail!("cannot reach {base}: {error}"),
    }
}

fn in_index(settings: &Settings, action: FeedsAction) -> anyhow::Result<Value> {
    let store = FeedStore::open(&settings.index.dir)?;
    Ok(match action {
        FeedsAction::Add {
            url,
            source,
            interval,
        } => {
            let url = Fetcher::new(settings.fetch.clone()).check_url(&url)?;
            let feed = store.add(
                url.as_str(),
                source,
                interval.unwrap_or(settings.feeds.default_interval_secs),
                settings.feeds.min_interval_secs,
            )?;
            summary(&feed)
        }
        FeedsAction::List => json!({"feeds": store.list().iter().map(summary).collect::<Vec<_>>()}),
        FeedsAction::Remove { id } => summary(&store.remove(&id)?),
    })
}

/// A feed as the command prints it without a server (times as Unix seconds).
fn summary(feed: &Feed) -> Value {
    json!({
        "id": feed.id,
        "url": feed.url,
        "source": feed.source,
        "interval": feed.interval_secs,
        "last_fetch": feed.last_fetch,
        "last_error": feed.last_error,
        "items_ingested": feed.items_ingested,
        "items_seen": feed.seen.len(),
        "next_poll": feed.next_poll,
    })
}

/// What `verbatim alerts` does.
pub enum AlertsAction {
    /// Save a search.
    Add {
        /// Its name.
        name: String,
        /// `/v1/quotes` parameters as a JSON object.
        query: String,
        /// Where matching quotes are posted.
        webhook: Option<String>,
    },
    /// List the alerts.
    List,
    /// Delete an alert.
    Remove {
        /// Its id.
        id: String,
    },
}

/// Runs `verbatim alerts ...` and prints the JSON the HTTP API answers
/// (without a server, `add` prints the secret as `POST /v1/alerts` does).
pub fn run_alerts(
    settings: &Settings,
    target: FeedsTarget,
    action: AlertsAction,
) -> anyhow::Result<()> {
    let answer = match target {
        FeedsTarget::Server { base, key } => {
            let (method, path, body) = match action {
                AlertsAction::Add {
                    name,
                    query,
                    webhook,
                } => {
                    let query: Value =
                        serde_json::from_str(&query).context("--query must be a JSON object")?;
                    (
                        "POST",
                        "/v1/alerts".to_owned(),
                        Some(json!({"name": name, "query": query, "webhook": webhook})),
                    )
                }
                AlertsAction::List => ("GET", "/v1/alerts".to_owned(), None),
                AlertsAction::Remove { id } => ("DELETE", format!("/v1/alerts/{id}"), None),
            };
            send(&base, key.as_deref(), method, &path, body)?
        }
        FeedsTarget::Index => alerts_in_index(settings, action)?,
    };
    println!("{}", serde_json::to_string_pretty(&answer)?);
    Ok(())
}

fn alerts_in_index(settings: &Settings, action: AlertsAction) -> anyhow::Result<Value> {
    let store = AlertStore::open(&settings.index.dir)?;
    let shown = |alert: &Alert| {
        json!({
            "id": alert.id,
            "name": alert.name,
            "query": alert.query,
            "webhook": alert.webhook,
            "created": crate::alerts::deliver::rfc3339(alert.created),
        })
    };
    Ok(match action {
        AlertsAction::Add {
            name,
            query,
            webhook,
        } => {
            let name = name.trim();
            if name.is_empty() {
                bail!("the alert's name must not be empty");
            }
            let query: Value =
                serde_json::from_str(&query).context("--query must be a JSON object")?;
            AlertQueryParams::read(&query, &settings.search)
                .map_err(|error| anyhow::anyhow!("{}: {}", error.code, error.message))?;
            let webhook = match webhook {
                Some(url) => Some(
                    Fetcher::new(settings.fetch.clone())
                        .check_url(&url)?
                        .to_string(),
                ),
                None => None,
            };
            let alert = store.add(name, query, webhook)?;
            let mut answer = shown(&alert);
            answer["secret"] = Value::from(alert.secret);
            answer
        }
        AlertsAction::List => {
            json!({"alerts": store.alerts().0.iter().map(shown).collect::<Vec<_>>()})
        }
        AlertsAction::Remove { id } => shown(&store.remove(&id)?),
    })
}
