//! The `verbatim` command line: `serve`, `import`, `extract`, `search`,
//! `statements`, `snapshot`, `backend`, `migrate`.
//! Parses flags with clap, loads [`Settings`] (file < environment < flags),
//! and hands off to the library.

mod extract;
mod import;
mod live;
pub mod migrate;
mod statements;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::analysis::Analyzer;
use crate::config::{BackendKind, Settings};
use crate::http::dto::search_response;
use crate::http::params::{from_json_body, ArticleSearchParams, QuoteSearchParams};
use crate::indexing::IndexStore;
use crate::search::{search, SearchLimits};

/// Verbatim: a search server for news that answers who said what.
#[derive(Debug, Parser)]
#[command(name = "verbatim", version, about)]
pub struct Cli {
    /// Settings file (default: config/default.toml when present). Also VERBATIM_CONFIG.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags shared by commands that open the index.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Index directory (default: `index`). Also VERBATIM_INDEX_DIR.
    #[arg(long, value_name = "DIR")]
    pub index_dir: Option<PathBuf>,
}

/// Where `feeds` and `alerts` act: a running server, else the index
/// directory.
#[derive(Debug, Args)]
pub struct LiveArgs {
    /// A running server, e.g. http://127.0.0.1:7700. Also VERBATIM_SERVER.
    #[arg(long, global = true, env = "VERBATIM_SERVER", value_name = "URL")]
    server: Option<String>,
    /// The server's admin key. Also VERBATIM_ADMIN_KEY.
    #[arg(
        long,
        global = true,
        env = "VERBATIM_ADMIN_KEY",
        hide_env_values = true
    )]
    key: Option<String>,
    /// Index directory, without `--server` (default: `index`). Also VERBATIM_INDEX_DIR.
    #[arg(long, global = true, value_name = "DIR")]
    index_dir: Option<PathBuf>,
}

impl LiveArgs {
    /// The server to act through, or the index directory (set in
    /// `settings`) to act in.
    fn target(self, settings: &mut Settings) -> live::LiveTarget {
        apply_index_args(
            settings,
            IndexArgs {
                index_dir: self.index_dir,
            },
        );
        match self.server {
            Some(base) => live::LiveTarget::Server {
                base,
                key: self.key,
            },
            None => live::LiveTarget::Index,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the HTTP server.
    Serve {
        /// Address to listen on (default 127.0.0.1:7700). Also VERBATIM_LISTEN.
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// HTTP worker threads (default: one per core). Also VERBATIM_WORKERS.
        #[arg(long)]
        workers: Option<usize>,
        /// Listen on a non-loopback address although no API key is configured.
        /// Also VERBATIM_ALLOW_UNAUTHENTICATED=1.
        #[arg(long)]
        allow_unauthenticated: bool,
        /// Index location.
        #[command(flatten)]
        index: IndexArgs,
        /// The store to serve: `embedded` (the index directory, the
        /// default) or `opensearch` (the cluster of `--opensearch-url`).
        /// Also VERBATIM_BACKEND.
        #[arg(long, value_name = "KIND", value_parser = ["embedded", "opensearch"])]
        backend: Option<String>,
        /// The cluster, for `--backend opensearch`.
        #[command(flatten)]
        opensearch: OpenSearchArgs,
    },
    /// Write a consistent copy of the index to DIR (which must not exist),
    /// also while `verbatim serve` is running on it. Serve the copy with
    /// `verbatim serve --index-dir DIR`.
    Snapshot {
        /// Where the copy goes.
        destination: PathBuf,
        /// Index location.
        #[command(flatten)]
        index: IndexArgs,
    },
    /// Bulk-load NDJSON articles (a file, a directory of .ndjson/.jsonl files,
    /// or `-` for stdin) straight into the index, without a server; or, with
    /// `--url`, fetch pages and add their articles.
    Import {
        /// File, directory or `-`.
        #[arg(required_unless_present = "url", conflicts_with = "url")]
        input: Option<PathBuf>,
        /// A page to fetch and add (repeatable), as POST /v1/articles/from-url does.
        #[arg(long, value_name = "URL")]
        url: Vec<String>,
        /// Source given to the articles of `--url` (default: each page's publisher).
        #[arg(long, requires = "url")]
        source: Option<String>,
        /// Index location.
        #[command(flatten)]
        index: IndexArgs,
        /// Do not draw a progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Read NDJSON `{"id", "text"}` (or `title`/`body`) on stdin, write quotes,
    /// speakers, topics, entities, key phrases and quote topics as NDJSON on stdout.
    Extract,
    /// Manage analysis dictionaries (`verbatim dict build`).
    Dict {
        /// What to do with dictionaries.
        #[command(subcommand)]
        action: DictAction,
    },
    /// Print how the index's quotes fold into statements (one JSON line), and
    /// a sample of multi-copy statements with their copies to check by hand.
    Statements {
        /// Multi-copy statements to print with every copy.
        #[arg(long, default_value_t = 0)]
        sample: usize,
        /// Seed of the sample.
        #[arg(long, default_value_t = 15)]
        seed: u64,
        /// Index location.
        #[command(flatten)]
        index: IndexArgs,
    },
    /// Follow feeds: through a running server (`--server`), else in the
    /// index directory (only while no server runs on it).
    Feeds {
        /// Where to act.
        #[command(flatten)]
        place: LiveArgs,
        /// What to do.
        #[command(subcommand)]
        action: FeedsCommand,
    },
    /// Saved searches that push new quotes: through a running server
    /// (`--server`), else in the index directory (only while no server runs
    /// on it).
    Alerts {
        /// Where to act.
        #[command(flatten)]
        place: LiveArgs,
        /// What to do.
        #[command(subcommand)]
        action: AlertsCommand,
    },
    /// Copy an embedded index into the OpenSearch cluster, or rewrite it as
    /// a new embedded index (this build's layout and `index.compression`),
    /// from its stored analysis (nothing is extracted again), then check
    /// that the copy holds as many articles and quotes as the copied
    /// snapshot. Prints the counts as JSON; exits non-zero when they differ.
    Migrate {
        /// The embedded index directory to copy.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// Where to copy it: `opensearch` (the cluster of
        /// `--opensearch-url`, its index created when missing), or a new
        /// directory (missing or empty; `./opensearch` for one of that name).
        #[arg(long, value_name = "opensearch|DIR")]
        to: String,
        /// The cluster.
        #[command(flatten)]
        opensearch: OpenSearchArgs,
        /// Articles per bulk write.
        #[arg(long, default_value_t = 500)]
        batch: usize,
        /// Do not draw a progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Manage the store behind the API (`verbatim backend init`).
    Backend {
        /// What to do.
        #[command(subcommand)]
        action: BackendCommand,
    },
    /// Search the index and print the JSON the HTTP API returns.
    Search {
        /// The query (same syntax as `q`).
        #[arg(default_value = "")]
        query: String,
        /// Search quotes instead of articles.
        #[arg(long)]
        quotes: bool,
        /// Only these speakers (repeatable).
        #[arg(long)]
        speaker: Vec<String>,
        /// Only these topics (repeatable), e.g. /world/asia-pacific/taiwan.
        #[arg(long)]
        topic: Vec<String>,
        /// Only these sources (repeatable).
        #[arg(long)]
        source: Vec<String>,
        /// Only these languages (repeatable).
        #[arg(long)]
        language: Vec<String>,
        /// Published on or after (YYYY-MM-DD or RFC 3339).
        #[arg(long)]
        from: Option<String>,
        /// Published on or before.
        #[arg(long)]
        to: Option<String>,
        /// Facets to count, comma-separated (speaker,topic,source,month,...).
        #[arg(long)]
        facets: Option<String>,
        /// relevance, published or -published.
        #[arg(long)]
        sort: Option<String>,
        /// Hits to return.
        #[arg(long)]
        limit: Option<usize>,
        /// Index location.
        #[command(flatten)]
        index: IndexArgs,
    },
}

/// Where the OpenSearch backend's cluster is. The password and API key are
/// read from the settings or the environment only
/// (`VERBATIM_OPENSEARCH_PASSWORD`, `VERBATIM_OPENSEARCH_API_KEY`), never
/// from flags, which other users can read.
#[derive(Debug, Args)]
pub struct OpenSearchArgs {
    /// A node URL (repeatable). Also VERBATIM_OPENSEARCH_URLS (comma-separated).
    #[arg(long = "opensearch-url", value_name = "URL")]
    pub urls: Vec<String>,
    /// User for basic authentication. Also VERBATIM_OPENSEARCH_USER.
    #[arg(long = "opensearch-user", value_name = "USER")]
    pub user: Option<String>,
    /// The index (default `verbatim`). Also VERBATIM_OPENSEARCH_INDEX.
    #[arg(long = "opensearch-index", value_name = "NAME")]
    pub index: Option<String>,
}

impl OpenSearchArgs {
    /// Applies the flags over `settings` and checks the result.
    fn apply(self, settings: &mut Settings) -> anyhow::Result<()> {
        if !self.urls.is_empty() {
            settings.opensearch.urls = self.urls;
        }
        if let Some(user) = self.user {
            settings.opensearch.user = user;
        }
        if let Some(index) = self.index {
            settings.opensearch.index = index;
        }
        settings.validate()?;
        Ok(())
    }
}

/// `verbatim backend` subcommands.
#[derive(Debug, Subcommand)]
pub enum BackendCommand {
    /// Create the OpenSearch index with Verbatim's settings and mapping, or
    /// check that the one there is of this version (an index of another
    /// schema version is refused). Prints what it did as JSON.
    Init {
        /// The cluster.
        #[command(flatten)]
        opensearch: OpenSearchArgs,
        /// Primary shards of a new index (default: opensearch.shards, 1).
        #[arg(long)]
        shards: Option<u32>,
        /// Replicas of each shard of a new index (default:
        /// opensearch.replicas, 0).
        #[arg(long)]
        replicas: Option<u32>,
        /// How long the cluster waits for a node that left before it
        /// rebuilds that node's replicas elsewhere, set on the new or the
        /// existing index (`30s`, `2m`, `0`; default: opensearch.node_left_delay,
        /// else the index keeps its own, OpenSearch's 1m). With 1 replica,
        /// writes to the shards that lost a copy answer 503 until the node
        /// is back or this delay and the rebuild have passed.
        #[arg(long, value_name = "TIME")]
        node_left_delay: Option<String>,
    },
}

/// `verbatim feeds` subcommands.
#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Follow a feed (RSS 2.0, Atom 1.0 or JSON Feed).
    Add {
        /// The feed's URL.
        url: String,
        /// Source given to its articles.
        #[arg(long)]
        source: Option<String>,
        /// Seconds between polls.
        #[arg(long)]
        interval: Option<u64>,
    },
    /// List the feeds and their state.
    List,
    /// Stop following a feed.
    Remove {
        /// The feed's id (as `list` prints it).
        id: String,
    },
}

/// `verbatim alerts` subcommands.
#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Save a search; prints the alert with its webhook secret (shown once).
    Add {
        /// A name for it.
        name: String,
        /// `/v1/quotes` parameters as a JSON object, e.g. '{"q": "taiwan", "speaker": "Wang Yi"}'.
        #[arg(long, default_value = "{}")]
        query: String,
        /// Where each new matching quote is posted (http or https).
        #[arg(long)]
        webhook: Option<String>,
    },
    /// List the alerts.
    List,
    /// Delete an alert.
    Remove {
        /// The alert's id (as `list` prints it).
        id: String,
    },
}

/// Dictionary subcommands.
#[derive(Debug, Subcommand)]
pub enum DictAction {
    /// Build the Japanese (IPADIC) dictionary from Debian's mecab-ipadic sources.
    Build {
        /// IPADIC source directory (default /usr/share/mecab/dic/ipadic). Also VERBATIM_IPADIC_SOURCE.
        #[arg(long, value_name = "DIR")]
        source: Option<PathBuf>,
        /// Where to write it (default: dictionaries/ipadic in the index directory).
        /// Also VERBATIM_JA_DICTIONARY.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Index location (the default output is inside it).
        #[command(flatten)]
        index: IndexArgs,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref(), std::env::vars())?;
    crate::telemetry::init_telemetry(&settings.log);
    match cli.command {
        Command::Serve {
            listen,
            workers,
            allow_unauthenticated,
            index,
            backend,
            opensearch,
        } => {
            if let Some(listen) = listen {
                settings.server.listen = listen;
            }
            if let Some(workers) = workers {
                settings.server.workers = workers;
            }
            if allow_unauthenticated {
                settings.server.allow_unauthenticated = true;
            }
            apply_index_args(&mut settings, index);
            match backend.as_deref() {
                Some("opensearch") => settings.backend.kind = BackendKind::Opensearch,
                Some(_) => settings.backend.kind = BackendKind::Embedded,
                None => {}
            }
            opensearch.apply(&mut settings)?;
            actix_web::rt::System::new().block_on(crate::http::serve(settings))
        }
        Command::Snapshot { destination, index } => {
            apply_index_args(&mut settings, index);
            let store = IndexStore::open_existing(
                &settings.index.dir,
                crate::analysis::language_analyzers_for(&settings),
            )?;
            let summary = store.snapshot(&destination)?;
            println!(
                "{}",
                serde_json::json!({
                    "path": summary.path.display().to_string(),
                    "files": summary.files,
                    "bytes": summary.bytes,
                    "segments": summary.segments,
                    "documents": summary.documents,
                    "opstamp": summary.opstamp,
                })
            );
            Ok(())
        }
        Command::Import {
            input,
            url,
            source,
            index,
            quiet,
        } => {
            apply_index_args(&mut settings, index);
            match input {
                Some(input) => import::run_import(&settings, &input, quiet),
                None => live::run_import_urls(&settings, &url, source.as_deref()),
            }
        }
        Command::Feeds { place, action } => {
            let target = place.target(&mut settings);
            live::run(&settings, target, action)
        }
        Command::Alerts { place, action } => {
            let target = place.target(&mut settings);
            live::run(&settings, target, action)
        }
        Command::Dict {
            action: DictAction::Build { source, out, index },
        } => {
            apply_index_args(&mut settings, index);
            let source = source.unwrap_or_else(|| settings.analysis.ipadic_source.clone());
            let out = out.unwrap_or_else(|| settings.japanese_dictionary_dir());
            let started = std::time::Instant::now();
            crate::analysis::tokenizers::japanese::build_ipadic(&source, &out)?;
            crate::analysis::tokenizers::japanese::load_ipadic(&out)?;
            eprintln!(
                "built the Japanese dictionary from {} into {} in {:.1}s",
                source.display(),
                out.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Statements {
            sample,
            seed,
            index,
        } => {
            apply_index_args(&mut settings, index);
            statements::run_statements(&settings, sample, seed)
        }
        Command::Extract => {
            let analyzer = Analyzer::from_settings(&settings.analysis)?;
            let stdin = std::io::stdin().lock();
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let failures =
                extract::run_extract(&analyzer, stdin, stdout).context("extract failed")?;
            if failures > 0 {
                eprintln!("verbatim extract: {failures} line(s) could not be analysed");
            }
            Ok(())
        }
        Command::Migrate {
            from,
            to,
            opensearch,
            batch,
            quiet,
        } => {
            let summary = if to == "opensearch" {
                opensearch.apply(&mut settings)?;
                serde_json::to_string(&migrate::run_migrate(&settings, &from, batch, quiet)?)?
            } else {
                let summary =
                    migrate::run_migrate_to_directory(&settings, &from, to.as_ref(), batch, quiet)?;
                serde_json::to_string(&summary)?
            };
            println!("{summary}");
            Ok(())
        }
        Command::Backend {
            action:
                BackendCommand::Init {
                    opensearch,
                    shards,
                    replicas,
                    node_left_delay,
                },
        } => {
            if let Some(delay) = node_left_delay {
                settings.opensearch.node_left_delay = delay;
            }
            opensearch.apply(&mut settings)?;
            let shards = shards.unwrap_or(settings.opensearch.shards).max(1);
            let replicas = replicas.unwrap_or(settings.opensearch.replicas);
            let outcome =
                crate::backend::opensearch::init_index(&settings.opensearch, shards, replicas)?;
            println!(
                "{}",
                serde_json::json!({
                    "index": settings.opensearch.index,
                    "created": outcome == crate::backend::opensearch::InitOutcome::Created,
                    "node_left_delay":
                        crate::backend::opensearch::node_left_delay(&settings.opensearch)?,
                    "mapping_version": crate::backend::opensearch::mapping::MAPPING_VERSION,
                    "schema_version": crate::indexing::schema::SCHEMA_VERSION,
                })
            );
            Ok(())
        }
        Command::Search {
            query,
            quotes,
            speaker,
            topic,
            source,
            language,
            from,
            to,
            facets,
            sort,
            limit,
            index,
        } => {
            apply_index_args(&mut settings, index);
            // The same parameters, read the same way, as `POST /v1/search`.
            let mut body = serde_json::json!({
                "q": query,
                "speaker": speaker,
                "topic": topic,
                "source": source,
                "language": language,
                "from": from.unwrap_or_default(),
                "to": to.unwrap_or_default(),
                "facets": facets.unwrap_or_default(),
                "sort": sort.unwrap_or_default(),
            });
            if let Some(limit) = limit {
                body["limit"] = limit.into();
            }
            let body = body.to_string();
            let request = if quotes {
                from_json_body::<QuoteSearchParams>(body.as_bytes())
                    .and_then(|params| params.into_request(&settings.search))
            } else {
                from_json_body::<ArticleSearchParams>(body.as_bytes())
                    .and_then(|params| params.into_request(&settings.search))
            }
            .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?;
            let store = open_to_read(&settings)?;
            let limits = SearchLimits::from_settings(&settings.search);
            let started = std::time::Instant::now();
            let results = search(&store, &request, limits)?;
            let took_ms = started.elapsed().as_secs_f64() * 1000.0;
            let response = search_response(&results, took_ms);
            println!("{}", serde_json::to_string_pretty(&response)?);
            Ok(())
        }
    }
}

/// The existing index of `settings`, opened to read as the server reads
/// it: with its language analyzers, and speaker filters, facets and
/// statements reading the registry with the same alias table.
pub(crate) fn open_to_read(settings: &Settings) -> anyhow::Result<IndexStore> {
    let aliases = Analyzer::from_settings(&settings.analysis)?
        .aliases()
        .clone();
    Ok(IndexStore::open_existing(
        &settings.index.dir,
        crate::analysis::language_analyzers_for(settings),
    )?
    .with_speaker_aliases(aliases))
}

fn apply_index_args(settings: &mut Settings, index: IndexArgs) {
    if let Some(dir) = index.index_dir {
        settings.index.dir = dir;
    }
}
