//! `verbatim import --url URL` (fetch pages and add their articles, without
//! a server) and `verbatim feeds add|list|remove` (through a running server
//! with `--server`, else in the index directory's `feeds.json`).

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::alerts::{Alert, AlertStore};
use crate::analysis::Analyzer;
use crate::cli::import::open_for_writing;
use crate::cli::{AlertsCommand, FeedsCommand};
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

/// Where `verbatim feeds` and `verbatim alerts` act.
pub enum LiveTarget {
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

/// A `verbatim feeds` or `verbatim alerts` subcommand: an action on a
/// collection of a running server, or the same done in the index directory.
pub trait LiveCommand {
    /// The collection's path on a server (`/v1/feeds`).
    const PATH: &'static str;
    /// What it does on a server.
    fn action(self) -> anyhow::Result<LiveAction>;
    /// Does it in the index directory of `settings`; the answer printed.
    fn in_index(self, settings: &Settings) -> anyhow::Result<Value>;
}

/// What a `verbatim feeds` or `verbatim alerts` subcommand does to its
/// collection on a server.
pub enum LiveAction {
    /// Adds the item the JSON body describes.
    Add(Value),
    /// Lists the items.
    List,
    /// Removes the item with this id.
    Remove(String),
}

impl LiveAction {
    /// The request that does it on the collection at `collection`: method,
    /// path and JSON body.
    fn request(self, collection: &str) -> (&'static str, String, Option<Value>) {
        match self {
            LiveAction::Add(body) => ("POST", collection.to_owned(), Some(body)),
            LiveAction::List => ("GET", collection.to_owned(), None),
            LiveAction::Remove(id) => ("DELETE", format!("{collection}/{id}"), None),
        }
    }
}

/// Runs `verbatim feeds ...` or `verbatim alerts ...` and prints the JSON
/// the HTTP API answers (without a server, `alerts add` prints the secret
/// as `POST /v1/alerts` does).
pub fn run<C: LiveCommand>(
    settings: &Settings,
    target: LiveTarget,
    command: C,
) -> anyhow::Result<()> {
    let answer = match target {
        LiveTarget::Server { base, key } => {
            let (method, path, body) = command.action()?.request(C::PATH);
            send(&base, key.as_deref(), method, &path, body)?
        }
        LiveTarget::Index => command.in_index(settings)?,
    };
    println!("{}", serde_json::to_string_pretty(&answer)?);
    Ok(())
}

impl LiveCommand for FeedsCommand {
    const PATH: &'static str = "/v1/feeds";

    fn action(self) -> anyhow::Result<LiveAction> {
        Ok(match self {
            FeedsCommand::Add {
                url,
                source,
                interval,
            } => LiveAction::Add(json!({"url": url, "source": source, "interval": interval})),
            FeedsCommand::List => LiveAction::List,
            FeedsCommand::Remove { id } => LiveAction::Remove(id),
        })
    }

    fn in_index(self, settings: &Settings) -> anyhow::Result<Value> {
        let store = FeedStore::open(&settings.index.dir)?;
        Ok(match self {
            FeedsCommand::Add {
                url,
                source,
                interval,
            } => {
                let url = Fetcher::new(settings.fetch.clone()).check_url(&url)?;
                let feed = store.add(url.as_str(), source, interval, &settings.feeds)?;
                summary(&feed)
            }
            FeedsCommand::List => {
                json!({"feeds": store.list().iter().map(summary).collect::<Vec<_>>()})
            }
            FeedsCommand::Remove { id } => summary(&store.remove(&id)?),
        })
    }
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

impl LiveCommand for AlertsCommand {
    const PATH: &'static str = "/v1/alerts";

    fn action(self) -> anyhow::Result<LiveAction> {
        Ok(match self {
            AlertsCommand::Add {
                name,
                query,
                webhook,
            } => LiveAction::Add(
                json!({"name": name, "query": alert_query(&query)?, "webhook": webhook}),
            ),
            AlertsCommand::List => LiveAction::List,
            AlertsCommand::Remove { id } => LiveAction::Remove(id),
        })
    }

    fn in_index(self, settings: &Settings) -> anyhow::Result<Value> {
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
        Ok(match self {
            AlertsCommand::Add {
                name,
                query,
                webhook,
            } => {
                let name = name.trim();
                if name.is_empty() {
                    bail!("the alert's name must not be empty");
                }
                let query = alert_query(&query)?;
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
            AlertsCommand::List => {
                json!({"alerts": store.alerts().0.iter().map(shown).collect::<Vec<_>>()})
            }
            AlertsCommand::Remove { id } => shown(&store.remove(&id)?),
        })
    }
}

/// The `--query` of `verbatim alerts add`, read as JSON.
fn alert_query(query: &str) -> anyhow::Result<Value> {
    serde_json::from_str(query).context("--query must be a JSON object")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subcommands_are_requests_on_their_collection() {
        let request =
            |command: AlertsCommand| command.action().unwrap().request(AlertsCommand::PATH);
        assert_eq!(
            request(AlertsCommand::Add {
                name: "Taiwan".into(),
                query: r#"{"q": "taiwan"}"#.into(),
                webhook: None,
            }),
            (
                "POST",
                "/v1/alerts".to_owned(),
                Some(json!({"name": "Taiwan", "query": {"q": "taiwan"}, "webhook": null})),
            )
        );
        assert_eq!(
            request(AlertsCommand::List),
            ("GET", "/v1/alerts".to_owned(), None)
        );
        assert_eq!(
            request(AlertsCommand::Remove { id: "a1".into() }),
            ("DELETE", "/v1/alerts/a1".to_owned(), None)
        );
        let bad = AlertsCommand::Add {
            name: "Taiwan".into(),
            query: "taiwan".into(),
            webhook: None,
        };
        assert_eq!(
            bad.action().err().unwrap().to_string(),
            "--query must be a JSON object"
        );
        let feed = FeedsCommand::Remove { id: "f1".into() };
        assert_eq!(
            feed.action().unwrap().request(FeedsCommand::PATH),
            ("DELETE", "/v1/feeds/f1".to_owned(), None)
        );
    }
}
