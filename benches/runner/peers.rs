//! Peers on the same documents and queries: SQLite FTS5 (in process, through
//! rusqlite), Lucene (Anserini's fat jar, driven by `benches/peers/LuceneBench.java`)
//! and tantivy's Python binding (`benches/peers/tantivy_py_bench.py`).
//!
//! How the comparison is kept fair:
//! - same documents (id, title, body), title and body searched, title
//!   weighted 2, stemmed English analysis (FTS5's porter, Lucene's
//!   EnglishAnalyzer, tantivy's en_stem);
//! - same semantics: every clause must match (AND), `OR` groups, phrases,
//!   prefixes; top 10 by BM25 with the exact total count of matches (a
//!   prefix query is `word*` alone, which the tantivy-py driver builds as a
//!   regex query since tantivy's parser reads it as the word);
//! - the same text queries (the text classes of the generated set), in the
//!   same shuffled order, each thread going round them from its own offset;
//! - peers run in process (no HTTP), which favours them: Verbatim's figures
//!   are measured over HTTP with keep-alive;
//! - each engine commits once at the end of its load; Verbatim's import
//!   also extracts quotes, speakers and topics from every article.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};
use serde::Deserialize;

use crate::inproc::IndexingRun;
use crate::load::{run_load, LoadBounds, LoadResult};
use crate::process::{dir_bytes, fresh_dir, run_watched};

/// A peer's query run at one concurrency.
#[derive(Debug, Clone, Deserialize)]
pub struct PeerQueryRun {
    /// Concurrent clients (threads).
    pub concurrency: usize,
    /// Requests per second.
    pub qps: f64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th percentile latency, ms.
    pub p99_ms: f64,
    /// Requests measured.
    pub requests: usize,
}

/// What a peer measured.
#[derive(Debug, Clone, Default)]
pub struct PeerResult {
    /// The peer's name.
    pub name: String,
    /// Indexing.
    pub indexing: Option<IndexingRun>,
    /// Queries by concurrency.
    pub queries: Vec<PeerQueryRun>,
    /// Why it was skipped or failed, if it was.
    pub skipped: Option<String>,
}

#[derive(Deserialize)]
struct PlainArticle {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

/// SQLite FTS5: index the corpus into one table (porter stemming), then
/// run the text queries at each concurrency with one connection per thread.
pub fn run_sqlite(
    corpus: &Path,
    dir: &Path,
    queries: &[String],
    bounds: &[LoadBounds],
) -> anyhow::Result<PeerResult> {
    fresh_dir(dir)?;
    let queries: Vec<String> = queries
        .iter()
        .map(|q| crate::queries::with_explicit_and(q))
        .collect();
    let queries = &queries;
    let database = dir.join("fts5.db");
    let started = Instant::now();
    let mut connection = rusqlite::Connection::open(&database)?;
    connection.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body,
             tokenize = 'porter unicode61 remove_diacritics 2');",
    )?;
    let mut articles = 0;
    let mut text_bytes = 0u64;
    {
        let transaction = connection.transaction()?;
        {
            let mut insert =
                transaction.prepare("INSERT INTO docs (id, title, body) VALUES (?1, ?2, ?3)")?;
            let reader = BufReader::with_capacity(1 << 20, File::open(corpus)?);
            for line in reader.lines() {
                let line = line?;
                let Ok(article) = serde_json::from_str::<PlainArticle>(&line) else {
                    continue;
                };
                insert.execute((&article.id, &article.title, &article.body))?;
                articles += 1;
                text_bytes += (article.title.len() + article.body.len()) as u64;
            }
        }
        transaction.commit()?;
    }
    connection.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let seconds = started.elapsed().as_secs_f64();
    drop(connection);
    let indexing = IndexingRun {
        articles,
        text_bytes,
        seconds,
        disk_bytes: dir_bytes(dir),
        peak_rss: None,
        peak_anonymous_rss: None,
    };

    let open = || -> anyhow::Result<rusqlite::Connection> {
        Ok(rusqlite::Connection::open_with_flags(
            &database,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?)
    };
    let search = |connection: &rusqlite::Connection, q: &str| -> rusqlite::Result<usize> {
        let mut top = connection.prepare_cached(
            "SELECT id, bm25(docs, 0.0, 2.0, 1.0) AS score FROM docs WHERE docs MATCH ?1 \
             ORDER BY score LIMIT 10",
        )?;
        let hits = top
            .query_map([q], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut count =
            connection.prepare_cached("SELECT count(*) FROM docs WHERE docs MATCH ?1")?;
        let total: i64 = count.query_row([q], |row| row.get(0))?;
        Ok(hits.len() + total as usize)
    };
    {
        let connection = open()?;
        for q in queries {
            search(&connection, q).with_context(|| format!("FTS5 query {q:?}"))?;
        }
    }
    let mut runs = Vec::new();
    for bound in bounds {
        let result = run_load(queries.len(), *bound, || {
            let connection = open()?;
            Ok(move |item: usize| search(&connection, &queries[item]).is_ok())
        })?;
        runs.push(peer_run(bound.concurrency, &result));
    }
    Ok(PeerResult {
        name: "SQLite FTS5 (rusqlite, in process)".into(),
        indexing: Some(indexing),
        queries: runs,
        skipped: None,
    })
}

/// A [`PeerQueryRun`] from a load result.
pub fn peer_run(concurrency: usize, result: &LoadResult) -> PeerQueryRun {
    let sorted = result.all_sorted();
    PeerQueryRun {
        concurrency,
        qps: result.qps(),
        p50_ms: crate::load::quantile_ms(&sorted, 0.5),
        p99_ms: crate::load::quantile_ms(&sorted, 0.99),
        requests: result.requests(),
    }
}

/// Where peers' downloads and installs go.
pub struct PeerTools {
    /// `bench-out/peers`.
    pub dir: PathBuf,
}

/// Output of the Lucene and Python drivers: one JSON object.
#[derive(Deserialize)]
struct DriverOutput {
    articles: usize,
    text_bytes: u64,
    index_seconds: f64,
    queries: Vec<PeerQueryRun>,
}

impl PeerTools {
    /// Finds (or fetches with pip) Anserini's fat jar from `pyserini==0.21.0`.
    pub fn anserini_jar(&self) -> anyhow::Result<PathBuf> {
        let download = self.dir.join("pyserini");
        let unpacked = self.dir.join("pyserini-jar");
        if let Some(jar) = find_fatjar(&unpacked) {
            return Ok(jar);
        }
        std::fs::create_dir_all(&download)?;
        let wheel = find_file(&download, "pyserini-0.21.0", ".whl");
        if wheel.is_none() {
            let status = Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--quiet",
                    "pyserini==0.21.0",
                    "-d",
                ])
                .arg(&download)
                .status()
                .context("cannot run pip")?;
            if !status.success() {
                bail!("pip download pyserini==0.21.0 failed");
            }
        }
        let wheel = find_file(&download, "pyserini-0.21.0", ".whl")
            .context("the pyserini wheel was not downloaded")?;
        fresh_dir(&unpacked)?;
        let status = Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile\n\
                 z = zipfile.ZipFile(sys.argv[1])\n\
                 [z.extract(n, sys.argv[2]) for n in z.namelist() if n.startswith('pyserini/resources/jars/') and n.endswith('.jar')]",
            ])
            .arg(&wheel)
            .arg(&unpacked)
            .status()?;
        if !status.success() {
            bail!("cannot unpack {}", wheel.display());
        }
        find_fatjar(&unpacked).context("no fat jar in the pyserini wheel")
    }

    /// A virtualenv with `tantivy` (the Python binding) installed.
    pub fn tantivy_python(&self) -> anyhow::Result<PathBuf> {
        let venv = self.dir.join("venv");
        let python = venv.join("bin/python");
        let ready = Command::new(&python)
            .args(["-c", "import tantivy"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            return Ok(python);
        }
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .context("cannot run python3 -m venv")?;
        if !status.success() {
            bail!("python3 -m venv failed");
        }
        let status = Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "tantivy"])
            .status()?;
        if !status.success() {
            bail!("pip install tantivy failed");
        }
        Ok(python)
    }
}

fn find_file(dir: &Path, prefix: &str, suffix: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .find_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (name.starts_with(prefix) && name.ends_with(suffix)).then(|| entry.path())
        })
}

fn find_fatjar(dir: &Path) -> Option<PathBuf> {
    find_file(
        &dir.join("pyserini/resources/jars"),
        "anserini",
        "fatjar.jar",
    )
}

/// Writes the queries one per line for the external drivers.
fn write_queries(path: &Path, queries: &[String]) -> anyhow::Result<()> {
    let mut file = File::create(path)?;
    for q in queries {
        writeln!(file, "{q}")?;
    }
    Ok(())
}

/// Bounds as the drivers' arguments: `c:max_requests:max_ms,...`.
fn bounds_argument(bounds: &[LoadBounds]) -> String {
    bounds
        .iter()
        .map(|b| {
            format!(
                "{}:{}:{}",
                b.concurrency,
                b.max_requests,
                b.max_duration.as_millis()
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn driver_result(
    name: &str,
    output: &str,
    rss: u64,
    index_dir: &Path,
) -> anyhow::Result<PeerResult> {
    let line = output
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .context("the driver printed no result")?;
    let parsed: DriverOutput = serde_json::from_str(line)?;
    Ok(PeerResult {
        name: name.into(),
        indexing: Some(IndexingRun {
            articles: parsed.articles,
            text_bytes: parsed.text_bytes,
            seconds: parsed.index_seconds,
            disk_bytes: dir_bytes(index_dir),
            peak_rss: Some(rss),
            peak_anonymous_rss: None,
        }),
        queries: parsed.queries,
        skipped: None,
    })
}

/// Lucene through Anserini's fat jar: compiles the driver, indexes, queries.
pub fn run_lucene(
    tools: &PeerTools,
    source_dir: &Path,
    corpus: &Path,
    queries: &[String],
    bounds: &[LoadBounds],
) -> anyhow::Result<PeerResult> {
    let jar = tools.anserini_jar()?;
    let classes = tools.dir.join("lucene-classes");
    fresh_dir(&classes)?;
    let status = Command::new("javac")
        .arg("-cp")
        .arg(&jar)
        .arg("-d")
        .arg(&classes)
        .arg(source_dir.join("LuceneBench.java"))
        .status()
        .context("cannot run javac")?;
    if !status.success() {
        bail!("javac failed on LuceneBench.java");
    }
    let mut java = Command::new("java");
    java.arg("-Xms1g")
        .arg("-Xmx2g")
        .arg("-cp")
        .arg(format!("{}:{}", jar.display(), classes.display()))
        .arg("LuceneBench");
    let jar_name = jar
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    run_driver(
        tools,
        "lucene",
        &format!("Lucene ({jar_name}, in process)"),
        java,
        corpus,
        queries,
        bounds,
    )
}

/// Runs a peer's driver as `COMMAND CORPUS INDEX_DIR QUERY_FILE BOUNDS`,
/// with its files named after `stem` in the peers' directory (a fresh
/// `STEM-index`, `queries-STEM.txt`, `STEM.out`, `STEM.err`), and reads its
/// result under `name`.
fn run_driver(
    tools: &PeerTools,
    stem: &str,
    name: &str,
    mut command: Command,
    corpus: &Path,
    queries: &[String],
    bounds: &[LoadBounds],
) -> anyhow::Result<PeerResult> {
    let index_dir = tools.dir.join(format!("{stem}-index"));
    fresh_dir(&index_dir)?;
    let query_file = tools.dir.join(format!("queries-{stem}.txt"));
    write_queries(&query_file, queries)?;
    let output_file = tools.dir.join(format!("{stem}.out"));
    let error_file = tools.dir.join(format!("{stem}.err"));
    let (status, _, rss) = run_watched(
        command
            .arg(corpus)
            .arg(&index_dir)
            .arg(&query_file)
            .arg(bounds_argument(bounds))
            .stdout(File::create(&output_file)?)
            .stderr(File::create(&error_file)?),
    )?;
    if !status.success() {
        bail!("the {stem} driver failed; see {}", error_file.display());
    }
    driver_result(
        name,
        &std::fs::read_to_string(&output_file)?,
        rss.total,
        &index_dir,
    )
}

/// tantivy's Python binding: indexes and queries in one Python process.
pub fn run_tantivy_python(
    tools: &PeerTools,
    source_dir: &Path,
    corpus: &Path,
    queries: &[String],
    bounds: &[LoadBounds],
) -> anyhow::Result<PeerResult> {
    let python = tools.tantivy_python()?;
    let version = Command::new(&python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('tantivy'))",
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let mut driver = Command::new(&python);
    driver.arg(source_dir.join("tantivy_py_bench.py"));
    run_driver(
        tools,
        "tantivy-py",
        &format!("tantivy-py {version} (Python binding, in process)"),
        driver,
        corpus,
        queries,
        bounds,
    )
}
