//! Settings: typed configuration loaded from `config/default.toml` (or the
//! file given by `--config` / `VERBATIM_CONFIG`), then overridden by
//! `VERBATIM_*` environment variables, then by command-line flags. Nothing else
//! in the crate reads the environment.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The default settings file, built into the binary so that a run without any
/// `config/` directory still has every setting.
pub const DEFAULT_SETTINGS: &str = include_str!("../config/default.toml");

/// Where settings are looked for when no file is named.
pub const DEFAULT_SETTINGS_PATH: &str = "config/default.toml";

/// Errors raised while loading settings.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The named settings file could not be read.
    #[error("cannot read settings file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The settings file is not valid TOML or has unknown or mistyped keys.
    #[error("invalid settings in {origin}: {message}")]
    Invalid {
        /// Which file or variable.
        origin: String,
        /// What is wrong.
        message: String,
    },
}

/// All settings of a Verbatim process.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// HTTP server.
    pub server: ServerSettings,
    /// Index storage and writing.
    pub index: IndexSettings,
    /// Query limits and defaults.
    pub search: SearchSettings,
    /// API keys.
    #[serde(default)]
    pub auth: AuthSettings,
    /// Analysis configuration files.
    #[serde(default)]
    pub analysis: AnalysisSettings,
    /// Logging.
    pub log: LogSettings,
    /// Fetching web pages and feeds.
    #[serde(default)]
    pub fetch: FetchSettings,
    /// Polling feeds.
    #[serde(default)]
    pub feeds: FeedSettings,
    /// Which store serves the API.
    #[serde(default)]
    pub backend: BackendSettings,
    /// The OpenSearch cluster of the `opensearch` backend.
    #[serde(default)]
    pub opensearch: OpenSearchSettings,
}

/// Which store serves the API (`VERBATIM_BACKEND`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct BackendSettings {
    /// The store.
    pub kind: BackendKind,
}

/// The stores Verbatim can run on.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BackendKind {
    /// The tantivy index in `index.dir` (the default).
    #[default]
    Embedded,
    /// An OpenSearch (or Elasticsearch 8) cluster, per [`OpenSearchSettings`].
    Opensearch,
}

/// How the OpenSearch backend reaches its cluster and shapes its index.
/// Credentials are [`Secret`]s: settings print them redacted.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OpenSearchSettings {
    /// Node URLs (`http://host:9200`), tried in turn
    /// (`VERBATIM_OPENSEARCH_URLS`, comma-separated).
    #[serde(deserialize_with = "string_or_list")]
    pub urls: Vec<String>,
    /// User for basic authentication; empty = none
    /// (`VERBATIM_OPENSEARCH_USER`).
    pub user: String,
    /// Password for basic authentication (`VERBATIM_OPENSEARCH_PASSWORD`).
    pub password: Secret,
    /// API key, sent as `Authorization: ApiKey <key>` (the base64 of
    /// `id:key`); instead of a user (`VERBATIM_OPENSEARCH_API_KEY`).
    pub api_key: Secret,
    /// The index holding articles and quotes (`VERBATIM_OPENSEARCH_INDEX`).
    pub index: String,
    /// Primary shards of a new index (`verbatim backend init`).
    pub shards: u32,
    /// Replicas of each shard of a new index.
    pub replicas: u32,
    /// How long the cluster waits for a node that left before it rebuilds
    /// the replicas that node held on other nodes: the index's
    /// `index.unassigned.node_left.delayed_timeout`, set by `verbatim
    /// backend init` (on a new index, and changed on an existing one). An
    /// OpenSearch time (`30s`, `2m`, `0`); empty = leave OpenSearch's own
    /// (1m). With 1 replica and the default `wait_for_active_shards`, writes
    /// to the shards that had a copy on a lost node answer 503 until the
    /// node is back or this delay and the rebuild have passed.
    pub node_left_delay: String,
    /// Longest one request to the cluster may take, in milliseconds.
    pub timeout_ms: u64,
    /// Copies of a shard that must be active before a write goes ahead:
    /// `all` or a number; empty = one more than half the copies (the primary
    /// and, with replicas, at least one of them).
    pub wait_for_active_shards: String,
    /// Times an upsert or delete re-reads its article and tries again after
    /// another server changed it first.
    pub conflict_retries: u32,
    /// The cluster's snapshot repository `POST /v1/admin/snapshot` writes
    /// to (registered by the cluster's operator, e.g. an `fs` repository
    /// under the nodes' `path.repo`); empty = snapshots are not taken
    /// (`VERBATIM_OPENSEARCH_SNAPSHOT_REPOSITORY`).
    pub snapshot_repository: String,
}

impl Default for OpenSearchSettings {
    fn default() -> Self {
        OpenSearchSettings {
            urls: vec!["http://127.0.0.1:9200".to_owned()],
            user: String::new(),
            password: Secret::default(),
            api_key: Secret::default(),
            index: "verbatim".to_owned(),
            shards: 1,
            replicas: 0,
            node_left_delay: String::new(),
            timeout_ms: 30_000,
            wait_for_active_shards: String::new(),
            conflict_retries: 10,
            snapshot_repository: String::new(),
        }
    }
}

/// Reads a list given as a TOML array or as one comma-separated string (as
/// environment variables give it).
fn string_or_list<'de, D>(deserializer: D) -> Result<Vec<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum StringOrList {
        One(String),
        Many(Vec<String>),
    }
    let items = match StringOrList::deserialize(deserializer)? {
        StringOrList::One(text) => text.split(',').map(str::to_owned).collect(),
        StringOrList::Many(items) => items,
    };
    Ok(items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect())
}

/// How pages and feeds are fetched (`POST /v1/articles/from-url`, feeds,
/// `verbatim import --url`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FetchSettings {
    /// Longest one request may take, connect to last byte, in milliseconds.
    pub timeout_ms: u64,
    /// Largest response body read, in bytes.
    pub max_bytes: usize,
    /// Most redirects followed.
    pub max_redirects: usize,
    /// Allow requests to loopback, private, link-local, unspecified,
    /// multicast and unique-local addresses (off: refused).
    pub allow_private_addresses: bool,
    /// Read and honour each host's `robots.txt`.
    pub respect_robots_txt: bool,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            timeout_ms: 10_000,
            max_bytes: 5 << 20,
            max_redirects: 5,
            allow_private_addresses: false,
            respect_robots_txt: true,
        }
    }
}

/// How feeds are polled.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FeedSettings {
    /// Poll the feeds in the background while serving.
    pub poll: bool,
    /// Seconds between polls of a feed added without `interval`.
    pub default_interval_secs: u64,
    /// Shortest accepted `interval`, in seconds.
    pub min_interval_secs: u64,
    /// Longest wait after repeated failures, in seconds (the backoff doubles
    /// the interval per failure up to this).
    pub max_backoff_secs: u64,
}

impl Default for FeedSettings {
    fn default() -> Self {
        FeedSettings {
            poll: true,
            default_interval_secs: 900,
            min_interval_secs: 60,
            max_backoff_secs: 6 * 3600,
        }
    }
}

/// HTTP server settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Socket address to listen on.
    pub listen: String,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Largest JSON request body, in bytes.
    pub max_body_bytes: usize,
    /// Largest NDJSON bulk body, in bytes.
    pub max_bulk_bytes: usize,
    /// Largest article (title + body), in bytes.
    pub max_article_bytes: usize,
    /// Most articles in one `POST /v1/articles` array.
    pub max_batch_articles: usize,
    /// Longest a request may take, in milliseconds (bulk loads exempt); 0 = no limit.
    pub request_timeout_ms: u64,
    /// Requests handled at once; 0 = no limit.
    pub max_concurrent_requests: usize,
    /// Origins allowed by CORS (`*` for any); empty = no CORS headers.
    pub cors_origins: Vec<String>,
    /// Listen on a non-loopback address without API keys.
    pub allow_unauthenticated: bool,
}

/// API keys. A key is compared in constant time and never logged: [`Secret`]
/// prints as `<redacted>`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Key for writes, deletes and admin endpoints (also reads); empty = none.
    #[serde(default)]
    pub admin_key: Secret,
    /// Key for reads only; empty = none.
    #[serde(default)]
    pub search_key: Secret,
}

impl AuthSettings {
    /// Whether any key is configured (then every route but `/health` needs one).
    pub fn is_enabled(&self) -> bool {
        !self.admin_key.is_empty() || !self.search_key.is_empty()
    }
}

/// Shortest accepted API key, in characters.
pub const MIN_KEY_CHARS: usize = 16;

/// A secret setting (an API key): its `Debug` never shows the value, so
/// logging settings cannot leak it.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for comparison only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether no value is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            f.write_str("<unset>")
        } else {
            f.write_str("<redacted>")
        }
    }
}

/// Index settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IndexSettings {
    /// Index directory.
    pub dir: PathBuf,
    /// Memory budget of tantivy's writer, in MiB.
    pub writer_memory_mb: usize,
    /// Indexing threads inside tantivy; 0 means min(cores, 4).
    pub writer_threads: usize,
    /// Most operations folded into one group commit.
    pub max_ops_per_commit: usize,
    /// Where `POST /v1/admin/snapshot` writes its copies.
    pub snapshot_dir: PathBuf,
    /// Test only: while a file exists at this path, writes to the index
    /// directory fail as if the disk were full. Empty = off.
    pub fail_writes_if_exists: PathBuf,
    /// Statement grouping: write each quote's statement text at ingest, so
    /// that copies of one statement fold (`group=statement`,
    /// `count=statements`, timelines). Off, every quote is its own statement.
    pub statements: bool,
    /// How the doc store of a new index is compressed: `lz4` (fastest hits)
    /// or `zstd` (smallest index). An existing index keeps its own;
    /// `verbatim migrate --from OLD --to NEW` rewrites one with this.
    pub compression: crate::indexing::DocStoreCompression,
}

impl IndexSettings {
    /// How documents are built under these settings.
    pub fn document_options(&self) -> crate::indexing::document::DocumentOptions {
        crate::indexing::document::DocumentOptions {
            statements: self.statements,
        }
    }
}

/// Search settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SearchSettings {
    /// Default page size.
    pub default_limit: usize,
    /// Largest page size.
    pub max_limit: usize,
    /// Deepest `offset + limit` for offset paging.
    pub max_window: usize,
    /// Longest query string, in characters.
    pub max_query_chars: usize,
    /// Most clauses per query.
    pub max_query_clauses: usize,
    /// Longest a search may run, in milliseconds; 0 = no limit.
    pub timeout_ms: u64,
    /// Default number of values per facet.
    pub default_facet_limit: usize,
    /// Largest `facet_limit`.
    pub max_facet_limit: usize,
    /// Threads one search uses to read index segments in parallel; 0 = one
    /// per core, 1 = no parallelism.
    #[serde(default)]
    pub threads: usize,
    /// Decompressed doc-store blocks (at least 16 KiB of stored JSON each)
    /// kept per segment, so hits in a block read recently are not
    /// decompressed again; 0 = none. Memory: up to segments × this × 16 KiB
    /// and more (see ARCHITECTURE.md, *Performance notes*).
    #[serde(default = "default_doc_store_cache_blocks")]
    pub doc_store_cache_blocks: usize,
}

fn default_doc_store_cache_blocks() -> usize {
    crate::indexing::DEFAULT_DOC_STORE_CACHE_BLOCKS
}

/// Analysis configuration: files (`None` means the copy built into the
/// binary) and the Japanese dictionary.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AnalysisSettings {
    /// Speaker alias table.
    #[serde(default)]
    pub aliases: Option<PathBuf>,
    /// Topic taxonomy.
    #[serde(default)]
    pub topics: Option<PathBuf>,
    /// Gazetteer directory (`places.toml`, `organizations.toml`, `people.toml`).
    #[serde(default)]
    pub gazetteer: Option<PathBuf>,
    /// Directory of the built Japanese (IPADIC) dictionary; by default
    /// `dictionaries/ipadic` inside the index directory.
    #[serde(default)]
    pub japanese_dictionary: Option<PathBuf>,
    /// IPADIC sources to build the Japanese dictionary from.
    #[serde(default = "default_ipadic_source")]
    pub ipadic_source: PathBuf,
    /// Build the Japanese dictionary at start when it is missing.
    #[serde(default = "default_true")]
    pub build_dictionary: bool,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        AnalysisSettings {
            aliases: None,
            topics: None,
            gazetteer: None,
            japanese_dictionary: None,
            ipadic_source: default_ipadic_source(),
            build_dictionary: true,
        }
    }
}

fn default_ipadic_source() -> PathBuf {
    PathBuf::from(crate::analysis::tokenizers::japanese::DEBIAN_IPADIC_SOURCE)
}

fn default_true() -> bool {
    true
}

/// Logging settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `tracing` filter directive.
    pub filter: String,
    /// Output format.
    pub format: LogFormat,
}

/// Log output format.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per event.
    Json,
}

/// Environment variables and the setting each overrides (`section.key`).
pub const ENVIRONMENT_OVERRIDES: &[(&str, &str)] = &[
    ("VERBATIM_LISTEN", "server.listen"),
    ("VERBATIM_WORKERS", "server.workers"),
    ("VERBATIM_MAX_BODY_BYTES", "server.max_body_bytes"),
    ("VERBATIM_MAX_BULK_BYTES", "server.max_bulk_bytes"),
    ("VERBATIM_MAX_ARTICLE_BYTES", "server.max_article_bytes"),
    ("VERBATIM_MAX_BATCH_ARTICLES", "server.max_batch_articles"),
    ("VERBATIM_REQUEST_TIMEOUT_MS", "server.request_timeout_ms"),
    (
        "VERBATIM_MAX_CONCURRENT_REQUESTS",
        "server.max_concurrent_requests",
    ),
    ("VERBATIM_CORS_ORIGINS", "server.cors_origins"),
    (
        "VERBATIM_ALLOW_UNAUTHENTICATED",
        "server.allow_unauthenticated",
    ),
    ("VERBATIM_ADMIN_KEY", "auth.admin_key"),
    ("VERBATIM_SEARCH_KEY", "auth.search_key"),
    ("VERBATIM_INDEX_DIR", "index.dir"),
    ("VERBATIM_WRITER_MEMORY_MB", "index.writer_memory_mb"),
    ("VERBATIM_SNAPSHOT_DIR", "index.snapshot_dir"),
    ("VERBATIM_STATEMENTS", "index.statements"),
    ("VERBATIM_INDEX_COMPRESSION", "index.compression"),
    (
        "VERBATIM_TEST_FAIL_WRITES_FILE",
        "index.fail_writes_if_exists",
    ),
    ("VERBATIM_MAX_LIMIT", "search.max_limit"),
    ("VERBATIM_MAX_QUERY_CHARS", "search.max_query_chars"),
    ("VERBATIM_MAX_QUERY_CLAUSES", "search.max_query_clauses"),
    ("VERBATIM_MAX_FACET_LIMIT", "search.max_facet_limit"),
    ("VERBATIM_SEARCH_TIMEOUT_MS", "search.timeout_ms"),
    ("VERBATIM_SEARCH_THREADS", "search.threads"),
    (
        "VERBATIM_DOC_STORE_CACHE_BLOCKS",
        "search.doc_store_cache_blocks",
    ),
    ("VERBATIM_ALIASES", "analysis.aliases"),
    ("VERBATIM_TOPICS", "analysis.topics"),
    ("VERBATIM_GAZETTEER", "analysis.gazetteer"),
    ("VERBATIM_JA_DICTIONARY", "analysis.japanese_dictionary"),
    ("VERBATIM_IPADIC_SOURCE", "analysis.ipadic_source"),
    ("VERBATIM_FETCH_TIMEOUT_MS", "fetch.timeout_ms"),
    ("VERBATIM_FETCH_MAX_BYTES", "fetch.max_bytes"),
    ("VERBATIM_FETCH_MAX_REDIRECTS", "fetch.max_redirects"),
    (
        "VERBATIM_FETCH_ALLOW_PRIVATE",
        "fetch.allow_private_addresses",
    ),
    ("VERBATIM_FETCH_ROBOTS_TXT", "fetch.respect_robots_txt"),
    ("VERBATIM_FEEDS_POLL", "feeds.poll"),
    (
        "VERBATIM_FEEDS_DEFAULT_INTERVAL_SECS",
        "feeds.default_interval_secs",
    ),
    (
        "VERBATIM_FEEDS_MIN_INTERVAL_SECS",
        "feeds.min_interval_secs",
    ),
    ("VERBATIM_FEEDS_MAX_BACKOFF_SECS", "feeds.max_backoff_secs"),
    ("VERBATIM_BACKEND", "backend.kind"),
    ("VERBATIM_OPENSEARCH_URLS", "opensearch.urls"),
    ("VERBATIM_OPENSEARCH_USER", "opensearch.user"),
    ("VERBATIM_OPENSEARCH_PASSWORD", "opensearch.password"),
    ("VERBATIM_OPENSEARCH_API_KEY", "opensearch.api_key"),
    ("VERBATIM_OPENSEARCH_INDEX", "opensearch.index"),
    (
        "VERBATIM_OPENSEARCH_SNAPSHOT_REPOSITORY",
        "opensearch.snapshot_repository",
    ),
    ("VERBATIM_LOG", "log.filter"),
    ("VERBATIM_LOG_FORMAT", "log.format"),
];

/// The variable naming the settings file.
pub const CONFIG_PATH_VARIABLE: &str = "VERBATIM_CONFIG";

impl Settings {
    /// The built-in defaults, with analysis files taken from the binary.
    pub fn built_in() -> Settings {
        let mut settings: Settings =
            toml::from_str(DEFAULT_SETTINGS).expect("built-in settings are valid");
        settings.analysis = AnalysisSettings::default();
        settings
    }

    /// Loads settings: built-in defaults, then `path` (or `config/default.toml`
    /// when it exists), then overrides from `environment`.
    pub fn load(
        path: Option<&Path>,
        environment: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, ConfigError> {
        let mut value: toml::Table =
            toml::from_str(DEFAULT_SETTINGS).expect("built-in settings are valid");
        let environment: Vec<(String, String)> = environment.into_iter().collect();
        let named_path = path.map(Path::to_path_buf).or_else(|| {
            environment
                .iter()
                .find(|(k, _)| k == CONFIG_PATH_VARIABLE)
                .map(|(_, v)| PathBuf::from(v))
        });
        let file = match named_path {
            Some(path) => Some(path),
            None => Some(PathBuf::from(DEFAULT_SETTINGS_PATH)).filter(|p| p.is_file()),
        };
        let mut analysis_base: Option<PathBuf> = None;
        if let Some(file) = &file {
            let text = std::fs::read_to_string(file).map_err(|source| ConfigError::Read {
                path: file.clone(),
                source,
            })?;
            let overlay: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
                origin: file.display().to_string(),
                message: e.to_string(),
            })?;
            merge_tables(&mut value, overlay);
            analysis_base = Some(file.parent().map(Path::to_path_buf).unwrap_or_default());
        }
        let mut explicit_analysis = Vec::new();
        for (variable, key) in ENVIRONMENT_OVERRIDES {
            if let Some((_, raw)) = environment.iter().find(|(k, _)| k == variable) {
                set_key(&mut value, key, raw).map_err(|message| ConfigError::Invalid {
                    origin: (*variable).to_owned(),
                    message,
                })?;
                if key.starts_with("analysis.") {
                    explicit_analysis.push(*key);
                }
            }
        }
        let mut settings: Settings =
            toml::Value::Table(value)
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError::Invalid {
                    origin: file
                        .as_ref()
                        .map_or("settings".to_owned(), |f| f.display().to_string()),
                    message: e.to_string(),
                })?;
        // Analysis files named in a settings file are relative to that file;
        // without a file, the built-in copies are used unless the environment
        // names a file.
        let resolve = |path: Option<PathBuf>, key: &str| match (&analysis_base, path) {
            (_, Some(p)) if p.is_absolute() || explicit_analysis.contains(&key) => Some(p),
            (Some(base), Some(p)) => Some(base.join(p)),
            (None, _) => None,
            (_, None) => None,
        };
        settings.analysis.aliases = resolve(settings.analysis.aliases.take(), "analysis.aliases");
        settings.analysis.topics = resolve(settings.analysis.topics.take(), "analysis.topics");
        settings.analysis.gazetteer =
            resolve(settings.analysis.gazetteer.take(), "analysis.gazetteer");
        settings.validate()?;
        Ok(settings)
    }

    /// Where the Japanese dictionary lives (or will be built).
    pub fn japanese_dictionary_dir(&self) -> PathBuf {
        self.analysis
            .japanese_dictionary
            .clone()
            .unwrap_or_else(|| self.index.dir.join("dictionaries").join("ipadic"))
    }

    /// Checks values that parse but make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |message: &str| ConfigError::Invalid {
            origin: "settings".to_owned(),
            message: message.to_owned(),
        };
        if self.search.default_limit > self.search.max_limit {
            return Err(invalid(
                "search.default_limit is larger than search.max_limit",
            ));
        }
        if self.search.max_limit > self.search.max_window {
            return Err(invalid("search.max_limit is larger than search.max_window"));
        }
        if self.index.writer_memory_mb < 16 {
            return Err(invalid("index.writer_memory_mb must be at least 16"));
        }
        if self.server.max_body_bytes == 0 || self.server.max_article_bytes == 0 {
            return Err(invalid("server body limits must be positive"));
        }
        if self.server.max_batch_articles == 0 || self.search.max_query_chars == 0 {
            return Err(invalid(
                "server.max_batch_articles and search.max_query_chars must be positive",
            ));
        }
        for (name, key) in [
            ("auth.admin_key", &self.auth.admin_key),
            ("auth.search_key", &self.auth.search_key),
        ] {
            let value = key.expose();
            if !value.is_empty()
                && (value.chars().count() < MIN_KEY_CHARS
                    || !value.chars().all(|c| c.is_ascii_graphic()))
            {
                return Err(invalid(&format!(
                    "{name} must be at least {MIN_KEY_CHARS} printable ASCII characters without spaces"
                )));
            }
        }
        if !self.auth.search_key.is_empty() && self.auth.admin_key.is_empty() {
            return Err(invalid(
                "auth.search_key is set but auth.admin_key is not: nobody could write",
            ));
        }
        if !self.auth.admin_key.is_empty() && self.auth.admin_key == self.auth.search_key {
            return Err(invalid("auth.admin_key and auth.search_key must differ"));
        }
        for origin in &self.server.cors_origins {
            let url = url::Url::parse(origin).ok();
            let is_origin = url.as_ref().is_some_and(|url| {
                matches!(url.scheme(), "http" | "https")
                    && url.host().is_some()
                    && url.origin().ascii_serialization() == *origin
            });
            if origin != "*" && !is_origin {
                return Err(invalid(&format!(
                    "server.cors_origins: `{origin}` is not an origin (`https://host[:port]`) or `*`"
                )));
            }
        }
        self.validate_opensearch()
            .map_err(|message| invalid(&message))
    }

    /// Checks the OpenSearch settings (whichever backend is chosen: `verbatim
    /// backend init` reads them too).
    fn validate_opensearch(&self) -> Result<(), String> {
        let opensearch = &self.opensearch;
        if self.backend.kind == BackendKind::Opensearch && opensearch.urls.is_empty() {
            return Err("the opensearch backend needs opensearch.urls".to_owned());
        }
        for url in &opensearch.urls {
            let parsed = url::Url::parse(url)
                .map_err(|e| format!("opensearch.urls: `{url}` is not a URL: {e}"))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
                return Err(format!(
                    "opensearch.urls: `{url}` must be an http or https URL with a host"
                ));
            }
        }
        if !opensearch.api_key.is_empty() && !opensearch.user.is_empty() {
            return Err("opensearch.api_key and opensearch.user exclude each other".to_owned());
        }
        if opensearch.user.is_empty() != opensearch.password.is_empty() {
            return Err("opensearch.user and opensearch.password go together".to_owned());
        }
        let index = &opensearch.index;
        if index.is_empty()
            || index.starts_with(['_', '-', '+'])
            || index
                .chars()
                .any(|c| c.is_ascii_uppercase() || r#" "*\<|,>/?#:"#.contains(c) || c.is_control())
        {
            return Err(format!(
                "opensearch.index: `{index}` is not a valid index name (lowercase, without \
                 spaces or any of \\/*?\"<>|,#:, not starting with _ - +)"
            ));
        }
        if opensearch.shards == 0 {
            return Err("opensearch.shards must be at least 1".to_owned());
        }
        let delay = opensearch.node_left_delay.as_str();
        if !(delay.is_empty() || is_time_value(delay)) {
            return Err(format!(
                "opensearch.node_left_delay: `{delay}` is not an OpenSearch time (a whole \
                 number and a unit of d, h, m, s or ms, e.g. `30s`; or `0`) or empty"
            ));
        }
        let wait = opensearch.wait_for_active_shards.as_str();
        if !(wait.is_empty() || wait == "all" || wait.parse::<u32>().is_ok_and(|n| n >= 1)) {
            return Err(format!(
                "opensearch.wait_for_active_shards: `{wait}` is not `all`, a positive number \
                 or empty"
            ));
        }
        Ok(())
    }
}

/// Whether `text` is an OpenSearch time value Verbatim passes on: a whole
/// number with a unit of days to milliseconds (`30s`, `2m`), or `0`.
fn is_time_value(text: &str) -> bool {
    if text == "0" {
        return true;
    }
    ["ms", "s", "m", "h", "d"].iter().any(|unit| {
        text.strip_suffix(unit)
            .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Deep-merges `overlay` into `base`.
fn merge_tables(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(incoming)) => {
                merge_tables(existing, incoming)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Sets `section.key` from a raw environment string, keeping the type of the
/// default value (numbers stay numbers).
fn set_key(table: &mut toml::Table, dotted: &str, raw: &str) -> Result<(), String> {
    let (section, key) = dotted
        .split_once('.')
        .expect("override keys are section.key");
    let section = table
        .entry(section)
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .ok_or_else(|| format!("{section} is not a table"))?;
    let value = match section.get(key) {
        Some(toml::Value::Integer(_)) => toml::Value::Integer(
            raw.trim()
                .replace('_', "")
                .parse()
                .map_err(|_| format!("expected an integer, got `{raw}`"))?,
        ),
        Some(toml::Value::Boolean(_)) => {
            toml::Value::Boolean(match raw.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => true,
                "false" | "0" | "no" | "off" | "" => false,
                _ => return Err(format!("expected true or false (or 1 or 0), got `{raw}`")),
            })
        }
        Some(toml::Value::Array(_)) => toml::Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| toml::Value::String(item.to_owned()))
                .collect(),
        ),
        _ => toml::Value::String(raw.to_owned()),
    };
    section.insert(key.to_owned(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn built_in_defaults_load() {
        let settings = Settings::built_in();
        assert_eq!(settings.server.listen, "127.0.0.1:7700");
        assert_eq!(settings.index.dir, PathBuf::from("index"));
    }

    #[test]
    fn doc_store_compression_is_lz4_unless_asked() {
        use crate::indexing::DocStoreCompression;
        let built_in = Settings::built_in();
        assert_eq!(built_in.index.compression, DocStoreCompression::Lz4);
        let zstd = Settings::load(None, env(&[("VERBATIM_INDEX_COMPRESSION", "zstd")])).unwrap();
        assert_eq!(zstd.index.compression, DocStoreCompression::Zstd);
        assert!(Settings::load(None, env(&[("VERBATIM_INDEX_COMPRESSION", "gzip")])).is_err());
    }

    #[test]
    fn doc_store_cache_is_read_from_its_variable() {
        let built_in = Settings::load(None, env(&[])).unwrap();
        assert_eq!(
            built_in.search.doc_store_cache_blocks,
            crate::indexing::DEFAULT_DOC_STORE_CACHE_BLOCKS
        );
        let none = Settings::load(None, env(&[("VERBATIM_DOC_STORE_CACHE_BLOCKS", "0")])).unwrap();
        assert_eq!(none.search.doc_store_cache_blocks, 0);
        let bad = Settings::load(None, env(&[("VERBATIM_DOC_STORE_CACHE_BLOCKS", "many")]));
        assert!(bad.is_err());
    }

    #[test]
    fn environment_overrides_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("custom.toml");
        std::fs::write(
            &file,
            "[server]\nlisten = \"127.0.0.1:9000\"\nworkers = 3\n",
        )
        .unwrap();
        let settings = Settings::load(
            Some(&file),
            env(&[("VERBATIM_WORKERS", "5"), ("VERBATIM_INDEX_DIR", "/tmp/x")]),
        )
        .unwrap();
        assert_eq!(settings.server.listen, "127.0.0.1:9000");
        assert_eq!(settings.server.workers, 5);
        assert_eq!(settings.index.dir, PathBuf::from("/tmp/x"));
        assert_eq!(
            settings.analysis.topics,
            Some(dir.path().join("topics.toml"))
        );
        assert_eq!(
            settings.analysis.gazetteer,
            Some(dir.path().join("gazetteer"))
        );
        let named =
            Settings::load(Some(&file), env(&[("VERBATIM_GAZETTEER", "/srv/names")])).unwrap();
        assert_eq!(named.analysis.gazetteer, Some(PathBuf::from("/srv/names")));
    }

    #[test]
    fn security_settings_come_from_the_environment() {
        let settings = Settings::load(
            None,
            env(&[
                ("VERBATIM_ADMIN_KEY", "admin-key-0123456789"),
                ("VERBATIM_SEARCH_KEY", "search-key-0123456789"),
                ("VERBATIM_ALLOW_UNAUTHENTICATED", "1"),
                (
                    "VERBATIM_CORS_ORIGINS",
                    "https://a.example, https://b.example",
                ),
                ("VERBATIM_MAX_CONCURRENT_REQUESTS", "8"),
            ]),
        )
        .unwrap();
        assert!(settings.auth.is_enabled());
        assert_eq!(settings.auth.admin_key.expose(), "admin-key-0123456789");
        assert!(settings.server.allow_unauthenticated);
        assert_eq!(
            settings.server.cors_origins,
            ["https://a.example", "https://b.example"]
        );
        assert_eq!(settings.server.max_concurrent_requests, 8);
        for not_an_origin in ["newsroom.example", "https://a.example/", "ftp://a.example"] {
            let refused = Settings::load(None, env(&[("VERBATIM_CORS_ORIGINS", not_an_origin)]));
            assert!(refused.is_err(), "{not_an_origin} was taken for an origin");
        }
        // Keys never show in debug output (and so never in logs).
        let shown = format!("{settings:?}");
        assert!(!shown.contains("admin-key-0123456789"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert!(!Settings::built_in().auth.is_enabled());
    }

    #[test]
    fn weak_or_inconsistent_keys_are_refused() {
        let cases: [&[(&str, &str)]; 4] = [
            &[("VERBATIM_ADMIN_KEY", "short")],
            &[("VERBATIM_ADMIN_KEY", "has spaces in the key")],
            &[("VERBATIM_SEARCH_KEY", "search-key-0123456789")],
            &[
                ("VERBATIM_ADMIN_KEY", "same-key-0123456789"),
                ("VERBATIM_SEARCH_KEY", "same-key-0123456789"),
            ],
        ];
        for pairs in cases {
            let error = Settings::load(None, env(pairs)).unwrap_err();
            assert!(error.to_string().contains("auth."), "{error}");
            assert!(!error.to_string().contains("0123456789"), "{error}");
        }
    }

    #[test]
    fn bad_values_are_reported() {
        let error = Settings::load(None, env(&[("VERBATIM_WORKERS", "many")])).unwrap_err();
        assert!(error.to_string().contains("VERBATIM_WORKERS"), "{error}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("typo.toml");
        std::fs::write(&file, "[server]\nlisen = \"x\"\n").unwrap();
        assert!(Settings::load(Some(&file), env(&[])).is_err());
    }

    /// The OpenSearch backend's contract variables: the backend, node URLs
    /// (comma-separated), credentials (redacted when printed), the index.
    #[test]
    fn opensearch_settings_come_from_the_environment() {
        let settings = Settings::load(
            None,
            env(&[
                ("VERBATIM_BACKEND", "opensearch"),
                (
                    "VERBATIM_OPENSEARCH_URLS",
                    "https://node-1:9200, https://node-2:9200/",
                ),
                ("VERBATIM_OPENSEARCH_USER", "verbatim"),
                ("VERBATIM_OPENSEARCH_PASSWORD", "s3cret-pass"),
                ("VERBATIM_OPENSEARCH_INDEX", "news"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.backend.kind, BackendKind::Opensearch);
        assert_eq!(
            settings.opensearch.urls,
            ["https://node-1:9200", "https://node-2:9200/"]
        );
        assert_eq!(settings.opensearch.user, "verbatim");
        assert_eq!(settings.opensearch.password.expose(), "s3cret-pass");
        assert_eq!(settings.opensearch.index, "news");
        assert!(!format!("{settings:?}").contains("s3cret-pass"));
        assert_eq!(Settings::built_in().backend.kind, BackendKind::Embedded);

        for pairs in [
            &[("VERBATIM_OPENSEARCH_URLS", "ftp://node:21")][..],
            &[("VERBATIM_OPENSEARCH_INDEX", "News")],
            &[("VERBATIM_OPENSEARCH_USER", "verbatim")],
            &[
                ("VERBATIM_OPENSEARCH_API_KEY", "a2V5"),
                ("VERBATIM_OPENSEARCH_USER", "verbatim"),
                ("VERBATIM_OPENSEARCH_PASSWORD", "pass"),
            ],
            &[("VERBATIM_BACKEND", "elastic")],
        ] {
            assert!(Settings::load(None, env(pairs)).is_err(), "{pairs:?}");
        }
    }

    /// `opensearch.node_left_delay` is passed to OpenSearch as it is
    /// written, so only times OpenSearch reads the same way are taken.
    #[test]
    fn the_node_left_delay_is_an_opensearch_time_or_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("delay.toml");
        for (delay, taken) in [
            ("", true),
            ("0", true),
            ("5s", true),
            ("90s", true),
            ("2m", true),
            ("500ms", true),
            ("1h", true),
            ("1 min", false),
            ("1.5m", false),
            ("-1", false),
            ("s", false),
            ("10", false),
        ] {
            std::fs::write(
                &file,
                format!("[opensearch]\nnode_left_delay = \"{delay}\"\n"),
            )
            .unwrap();
            let loaded = Settings::load(Some(&file), env(&[]));
            assert_eq!(loaded.is_ok(), taken, "{delay:?}: {loaded:?}");
            if let Ok(settings) = loaded {
                assert_eq!(settings.opensearch.node_left_delay, delay);
            }
        }
    }
}
