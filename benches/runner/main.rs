//! `verbatim-bench`: Verbatim's whole-system benchmark runner.
//!
//! One run measures everything side by side on the same machine and writes
//! `BENCHMARKS.md`: extraction alone, indexing (raw tantivy, `verbatim
//! import`, HTTP bulk with 4 clients), time to searchable, peak RSS, index
//! size, queries over HTTP at concurrency 1/8/32 and in process, peers
//! (SQLite FTS5, Lucene, tantivy-py) on the same documents and queries, and a
//! scale run on a generated 100k (or 1M) article corpus.
//!
//! `benches/run.sh CORPUS_DIR [flags]` builds the release binaries and runs
//! this; see `--help` for the flags.

mod corpus;
mod inproc;
mod load;
mod peers;
mod process;
mod queries;
mod report;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use load::{run_load, HttpClient, LoadBounds};
use process::{fresh_dir, run_watched, verbatim_command, ServerGuard};
use queries::BenchQuery;
use report::{HttpQueryRun, Report, ScaleRun};

/// Verbatim's benchmark runner.
#[derive(Debug, Parser)]
#[command(name = "verbatim-bench")]
struct Cli {
    #[command(subcommand)]
    command: BenchCommand,
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Run every measurement and write the report.
    Run(RunArgs),
    /// Only generate a corpus variant (NDJSON) from the real articles.
    Corpus {
        /// Directory (or file) of the source NDJSON articles.
        #[arg(long)]
        source: PathBuf,
        /// Articles to generate.
        #[arg(long)]
        articles: usize,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 1987)]
        seed: u64,
    },
    /// Run the queries of some classes in process in a loop, for a profiler
    /// (`perf record -g -- verbatim-bench profile-queries ...`).
    ProfileQueries {
        /// An index written by `verbatim import`.
        #[arg(long)]
        index: PathBuf,
        /// The query set.
        #[arg(long, default_value = "benches/queries.json")]
        queries: PathBuf,
        /// Classes to run (all when none).
        #[arg(long)]
        class: Vec<String>,
        /// How long to loop.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Time tantivy alone on the compiled queries instead of the whole search.
        #[arg(long)]
        tantivy_only: bool,
    },
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Corpus directory holding reuters21578.ndjson and bbc.ndjson.
    #[arg(long)]
    corpus: PathBuf,
    /// The release `verbatim` binary.
    #[arg(long)]
    verbatim: PathBuf,
    /// Working directory for indexes, generated corpora and peers.
    #[arg(long, default_value = "bench-out")]
    out: PathBuf,
    /// Where to write the report.
    #[arg(long, default_value = "BENCHMARKS.md")]
    report: PathBuf,
    /// The query set.
    #[arg(long, default_value = "benches/queries.json")]
    queries: PathBuf,
    /// Sources of the Lucene and Python peer drivers.
    #[arg(long, default_value = "benches/peers")]
    peers_src: PathBuf,
    /// Articles in the generated scale corpus (e.g. 1000000); 0 skips it.
    #[arg(long, default_value_t = 100_000)]
    scale: usize,
    /// Short runs, to check the tooling (figures are not meaningful).
    #[arg(long)]
    quick: bool,
    /// Skip the peers.
    #[arg(long)]
    skip_peers: bool,
    /// The exact command line, for the report.
    #[arg(long, default_value = "")]
    command_line: String,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        BenchCommand::Corpus {
            source,
            articles,
            out,
            seed,
        } => {
            let files = corpus::corpus_files(&source)?;
            let bytes = corpus::generate_variants(&files, articles, seed, &out)?;
            eprintln!(
                "wrote {articles} articles ({:.1} MB of text) to {}",
                bytes as f64 / 1e6,
                out.display()
            );
            Ok(())
        }
        BenchCommand::Run(args) => run(args),
        BenchCommand::ProfileQueries {
            index,
            queries,
            class,
            seconds,
            tantivy_only,
        } => {
            let settings = verbatim::config::Settings::load(None, std::iter::empty())?;
            let analyzers =
                Arc::new(verbatim::analysis::tokenizers::LanguageAnalyzers::without_dictionaries());
            let selected: Vec<BenchQuery> = queries::load_queries(&queries)?
                .into_iter()
                .filter(|q| class.is_empty() || class.contains(&q.class))
                .filter(|q| q.page.is_none())
                .collect();
            let bounds = LoadBounds {
                concurrency: 1,
                max_requests: usize::MAX,
                max_duration: Duration::from_secs(seconds),
            };
            let result = inproc::run_in_process_queries(
                &index,
                analyzers,
                &settings,
                &selected,
                bounds,
                tantivy_only,
            )?;
            let run = if tantivy_only {
                &result.tantivy
            } else {
                &result.verbatim
            };
            let sorted = run.all_sorted();
            eprintln!(
                "{} queries, p50 {:.3} ms, p99 {:.3} ms",
                sorted.len(),
                load::quantile_ms(&sorted, 0.5),
                load::quantile_ms(&sorted, 0.99)
            );
            Ok(())
        }
    }
}

/// Prints a progress line with the time since the run started.
fn step(started: Instant, message: &str) {
    eprintln!("[{:>6.1}s] {message}", started.elapsed().as_secs_f64());
}

/// Load bounds for HTTP and peer runs at concurrency 1, 8, 32.
fn concurrency_bounds(quick: bool) -> Vec<LoadBounds> {
    [1usize, 8, 32]
        .into_iter()
        .map(|concurrency| LoadBounds {
            concurrency,
            max_requests: if quick {
                400
            } else {
                4_000 * concurrency.min(4)
            },
            max_duration: Duration::from_secs(if quick { 2 } else { 8 }),
        })
        .collect()
}

fn find_corpus_file(dir: &Path, name: &str) -> anyhow::Result<PathBuf> {
    corpus::corpus_files(dir)?
        .into_iter()
        .find(|path| path.to_string_lossy().contains(name))
        .with_context(|| format!("no {name}*.ndjson in {}", dir.display()))
}

fn run(args: RunArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let out = std::path::absolute(&args.out)?;
    std::fs::create_dir_all(&out)?;
    let verbatim = std::path::absolute(&args.verbatim)?;
    let mut report = Report::new(&args.command_line, args.quick);
    let reuters = find_corpus_file(&args.corpus, "reuters")?;
    let reuters_bytes = corpus::text_bytes(&reuters)?;
    let reuters_articles = inproc::read_lines(&reuters)?.len();
    report.corpus = format!(
        "{} ({reuters_articles} articles, {:.1} MB of title + body)",
        reuters.display(),
        reuters_bytes as f64 / 1e6
    );
    let mut query_set = queries::load_queries(&args.queries)?;

    // Settings and analyzers exactly as the binary loads them by default.
    let settings = verbatim::config::Settings::load(None, std::iter::empty())?;
    let dictionary = out.join("dictionaries").join("ipadic");
    step(
        started,
        "loading analyzers (building the Japanese dictionary once)",
    );
    let analyzers = Arc::new(verbatim::analysis::tokenizers::load_language_analyzers(
        &dictionary,
        &settings.analysis.ipadic_source,
        true,
    ));
    let analyzer = verbatim::analysis::Analyzer::from_settings(&settings.analysis)?;
    let writer_options = verbatim::backend::embedded::writer_options(&settings);
    report.writer = format!(
        "{} MiB writer budget, {} indexing threads (defaults)",
        writer_options.memory_bytes >> 20,
        writer_options.threads
    );

    step(started, "extraction alone");
    report.extraction = Some(inproc::measure_extraction(&reuters, &analyzer)?);

    step(started, "raw tantivy indexing");
    let raw_dir = out.join("raw-tantivy");
    fresh_dir(&raw_dir)?;
    report.raw_tantivy = Some(inproc::index_raw_tantivy(
        &reuters,
        &raw_dir,
        &analyzers,
        writer_options,
    )?);

    step(started, "verbatim import");
    let import_dir = out.join("import-reuters");
    report.import = Some(import(
        &verbatim,
        &reuters,
        &import_dir,
        &dictionary,
        reuters_bytes,
    )?);

    step(started, "HTTP bulk, 4 clients");
    let http_dir = out.join("http-reuters");
    fresh_dir(&http_dir)?;
    let server = ServerGuard::start(
        &verbatim,
        &http_dir,
        &dictionary,
        &out.join("server-reuters.log"),
    )?;
    let bulk = http_bulk(server.address, &reuters, 4)?;
    report.http_bulk = Some(inproc::IndexingRun {
        articles: bulk.0,
        text_bytes: reuters_bytes,
        seconds: bulk.1,
        disk_bytes: process::dir_bytes(&http_dir),
        peak_rss: Some(server.rss.peak()),
        peak_anonymous_rss: None,
    });
    report.time_to_searchable_ms = Some(time_to_searchable(
        server.address,
        if args.quick { 5 } else { 20 },
    )?);

    step(started, "finding deep-paging cursors");
    for query in &mut query_set {
        if let Some(page) = query.page {
            query.cursor = Some(cursor_of_page(server.address, query, page)?);
        }
    }
    let paths: Vec<String> = query_set.iter().map(BenchQuery::path).collect();
    check_queries(server.address, &paths)?;
    let peer_indices: Vec<usize> = (0..query_set.len())
        .filter(|&i| query_set[i].for_peers())
        .collect();
    let peer_paths: Vec<String> = peer_indices.iter().map(|&i| paths[i].clone()).collect();
    for bounds in concurrency_bounds(args.quick) {
        step(
            started,
            &format!("HTTP queries, concurrency {}", bounds.concurrency),
        );
        let all = http_load(server.address, &paths, bounds)?;
        let text = http_load(server.address, &peer_paths, bounds)?;
        report.http_queries.push(HttpQueryRun {
            concurrency: bounds.concurrency,
            all,
            text,
        });
    }
    let health = vec!["/health".to_owned()];
    report.http_floor = Some(http_load(
        server.address,
        &health,
        concurrency_bounds(args.quick)[0],
    )?);
    report.server_peak_rss = Some(server.rss.peak());
    drop(server);

    step(started, "in-process queries");
    report.in_process = Some(inproc::run_in_process_queries(
        &import_dir,
        analyzers.clone(),
        &settings,
        &query_set,
        inproc::in_process_bounds(args.quick),
        false,
    )?);
    report.queries = query_set.clone();

    if !args.skip_peers {
        let peer_queries: Vec<String> = peer_indices
            .iter()
            .map(|&i| query_set[i].q.clone())
            .collect();
        let bounds = concurrency_bounds(args.quick);
        let tools = peers::PeerTools {
            dir: out.join("peers"),
        };
        std::fs::create_dir_all(&tools.dir)?;
        step(started, "peer: SQLite FTS5");
        report.peers.push(
            peers::run_sqlite(&reuters, &tools.dir.join("sqlite"), &peer_queries, &bounds)
                .unwrap_or_else(|e| skipped("SQLite FTS5", e)),
        );
        step(started, "peer: Lucene (Anserini fat jar)");
        report.peers.push(
            peers::run_lucene(&tools, &args.peers_src, &reuters, &peer_queries, &bounds)
                .unwrap_or_else(|e| skipped("Lucene (Anserini)", e)),
        );
        step(started, "peer: tantivy-py");
        report.peers.push(
            peers::run_tantivy_python(&tools, &args.peers_src, &reuters, &peer_queries, &bounds)
                .unwrap_or_else(|e| skipped("tantivy-py", e)),
        );
    }

    if args.scale > 0 {
        step(started, &format!("generating {} articles", args.scale));
        let files = corpus::corpus_files(&args.corpus)?;
        let variants = out
            .join("corpus")
            .join(format!("variants-{}.ndjson", args.scale));
        let variant_bytes = corpus::generate_variants(&files, args.scale, 1987, &variants)?;
        step(started, "scale: verbatim import");
        let scale_dir = out.join(format!("import-{}", args.scale));
        let indexing = import(&verbatim, &variants, &scale_dir, &dictionary, variant_bytes)?;
        step(started, "scale: queries");
        let server = ServerGuard::start(
            &verbatim,
            &scale_dir,
            &dictionary,
            &out.join("server-scale.log"),
        )?;
        let scale_queries: Vec<BenchQuery> = query_set
            .iter()
            .filter(|q| q.class == "facets" || q.class == "quote-speaker")
            .cloned()
            .collect();
        let scale_paths: Vec<String> = scale_queries.iter().map(BenchQuery::path).collect();
        check_queries(server.address, &scale_paths)?;
        let mut runs = Vec::new();
        for bounds in concurrency_bounds(args.quick).into_iter().take(2) {
            runs.push((
                bounds.concurrency,
                http_load(server.address, &scale_paths, bounds)?,
            ));
        }
        drop(server);
        report.scale = Some(ScaleRun {
            articles: args.scale,
            indexing,
            queries: scale_queries,
            runs,
        });
    }

    report.finish();
    std::fs::write(&args.report, report.to_markdown())
        .with_context(|| format!("cannot write {}", args.report.display()))?;
    step(started, &format!("wrote {}", args.report.display()));
    Ok(())
}

fn skipped(name: &str, error: anyhow::Error) -> peers::PeerResult {
    eprintln!("skipping {name}: {error:#}");
    peers::PeerResult {
        name: name.to_owned(),
        skipped: Some(format!("{error:#}")),
        ..Default::default()
    }
}

/// `verbatim import FILE` into a fresh index, timed, with its peak RSS.
fn import(
    verbatim: &Path,
    corpus: &Path,
    index_dir: &Path,
    dictionary: &Path,
    text_bytes: u64,
) -> anyhow::Result<inproc::IndexingRun> {
    fresh_dir(index_dir)?;
    let log = index_dir.with_extension("log");
    let (status, elapsed, rss) = run_watched(
        verbatim_command(verbatim, index_dir, dictionary)
            .arg("import")
            .arg(corpus)
            .arg("--quiet")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log)?),
    )?;
    if !status.success() {
        bail!("verbatim import failed; see {}", log.display());
    }
    let summary = std::fs::read_to_string(&log)?;
    let articles = summary
        .lines()
        .find_map(|line| line.strip_prefix("indexed "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("no summary in {}", log.display()))?;
    Ok(inproc::IndexingRun {
        articles,
        text_bytes,
        seconds: elapsed.as_secs_f64(),
        disk_bytes: process::dir_bytes(index_dir),
        peak_rss: Some(rss.total),
        peak_anonymous_rss: Some(rss.anonymous),
    })
}

/// Lines per bulk request.
const BULK_LINES: usize = 1000;

/// Sends the corpus over `POST /v1/articles/bulk` from `clients` concurrent
/// keep-alive connections (lines dealt round-robin, `BULK_LINES` per
/// request). Returns articles indexed and seconds until the last answer
/// (every answer follows the commit that made its articles searchable).
fn http_bulk(
    address: std::net::SocketAddr,
    corpus: &Path,
    clients: usize,
) -> anyhow::Result<(usize, f64)> {
    let lines = inproc::read_lines(corpus)?;
    let bodies: Vec<Vec<Vec<u8>>> = (0..clients)
        .map(|client| {
            let mine: Vec<&String> = lines.iter().skip(client).step_by(clients).collect();
            mine.chunks(BULK_LINES)
                .map(|chunk| {
                    let mut body = Vec::new();
                    for line in chunk {
                        body.extend_from_slice(line.as_bytes());
                        body.push(b'\n');
                    }
                    body
                })
                .collect()
        })
        .collect();
    let started = Instant::now();
    let indexed: usize = std::thread::scope(|scope| -> anyhow::Result<usize> {
        let handles: Vec<_> = bodies
            .iter()
            .map(|requests| {
                scope.spawn(move || -> anyhow::Result<usize> {
                    let mut client = HttpClient::new(address)?;
                    let mut indexed = 0;
                    for body in requests {
                        let response = client.request(
                            "POST",
                            "/v1/articles/bulk",
                            Some("application/x-ndjson"),
                            body,
                        )?;
                        if response.status != 200 {
                            bail!(
                                "bulk answered {}: {}",
                                response.status,
                                String::from_utf8_lossy(&response.body)
                            );
                        }
                        let answer: serde_json::Value = serde_json::from_slice(&response.body)?;
                        indexed += answer["indexed"].as_u64().unwrap_or(0) as usize;
                    }
                    Ok(indexed)
                })
            })
            .collect();
        let mut total = 0;
        for handle in handles {
            total += handle
                .join()
                .map_err(|_| anyhow::anyhow!("a bulk client panicked"))??;
        }
        Ok(total)
    })?;
    Ok((indexed, started.elapsed().as_secs_f64()))
}

/// Median time from sending one new article (`POST /v1/articles`) until a
/// search finds it, in milliseconds.
fn time_to_searchable(address: std::net::SocketAddr, trials: usize) -> anyhow::Result<f64> {
    let mut client = HttpClient::new(address)?;
    let mut times = Vec::new();
    for trial in 0..trials {
        let token = format!("zqxbench{trial}x{}", std::process::id());
        let article = serde_json::json!({
            "id": format!("bench-visible-{token}"),
            "title": format!("Visibility probe {token}"),
            "body": format!("The minister said \"we will publish {token} today\" in a statement."),
        });
        let body = serde_json::to_vec(&article)?;
        let begin = Instant::now();
        let response = client.request("POST", "/v1/articles", Some("application/json"), &body)?;
        if response.status != 201 {
            bail!("POST /v1/articles answered {}", response.status);
        }
        let deadline = begin + Duration::from_secs(30);
        loop {
            let response =
                client.request("GET", &format!("/v1/search?q={token}&limit=1"), None, b"")?;
            let answer: serde_json::Value = serde_json::from_slice(&response.body)?;
            if answer["total"].as_u64() == Some(1) {
                break;
            }
            if Instant::now() > deadline {
                bail!("a new article was not searchable within 30 s");
            }
        }
        times.push(begin.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// Follows `next_cursor` from page 1 to `page` and returns the cursor that
/// fetches `page`.
fn cursor_of_page(
    address: std::net::SocketAddr,
    query: &BenchQuery,
    page: usize,
) -> anyhow::Result<String> {
    let mut client = HttpClient::new(address)?;
    let mut walker = query.clone();
    walker.cursor = None;
    for _ in 1..page {
        let response = client.request("GET", &walker.path(), None, b"")?;
        let answer: serde_json::Value = serde_json::from_slice(&response.body)?;
        let next = answer["next_cursor"]
            .as_str()
            .with_context(|| format!("`{}` has fewer than {page} pages", query.q))?;
        walker.cursor = Some(next.to_owned());
    }
    walker.cursor.context("page must be at least 2")
}

/// Sends every query once and checks it answers 200 with hits.
fn check_queries(address: std::net::SocketAddr, paths: &[String]) -> anyhow::Result<()> {
    let mut client = HttpClient::new(address)?;
    for path in paths {
        let response = client.request("GET", path, None, b"")?;
        let answer: serde_json::Value = serde_json::from_slice(&response.body).unwrap_or_default();
        if response.status != 200 || answer["total"].as_u64().unwrap_or(0) == 0 {
            bail!(
                "{path} answered {} with no hits: {}",
                response.status,
                String::from_utf8_lossy(&response.body)
            );
        }
    }
    Ok(())
}

/// A closed-loop HTTP run over `paths`.
fn http_load(
    address: std::net::SocketAddr,
    paths: &[String],
    bounds: LoadBounds,
) -> anyhow::Result<load::LoadResult> {
    run_load(paths.len(), bounds, || {
        let mut client = HttpClient::new(address)?;
        Ok(move |item: usize| {
            client
                .request("GET", &paths[item], None, b"")
                .is_ok_and(|response| response.status == 200)
        })
    })
}
