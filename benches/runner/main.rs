//! `verbatim-bench`: Verbatim's whole-system benchmark runner.
//!
//! One run measures everything side by side on the same machine and writes
//! `BENCHMARKS.md`: extraction alone, indexing (raw tantivy, `verbatim
//! import`, HTTP bulk with 4 clients), time to searchable, peak RSS, index
//! size, queries over HTTP at concurrency 1/8/32 and in process, peers
//! (SQLite FTS5, Lucene, tantivy-py) on the same documents and queries,
//! OpenSearch itself over HTTP beside Verbatim serving from it and embedded
//! Verbatim (`opensearch`), and a scale run on a generated 100k (or 1M)
//! article corpus.
//!
//! The query set is generated during the run (`generate`): at least 1,000
//! distinct queries per class from the Reuters titles and the loaded
//! index's quotes, speakers and topics, with a fixed seed, shuffled so that
//! every run samples all classes and repeats do not help; it is written to
//! `OUT/queries.json`.
//!
//! `benches/run.sh CORPUS_DIR [flags]` builds the release binaries and runs
//! this; see `--help` for the flags.

mod corpus;
mod generate;
mod inproc;
mod load;
mod opensearch;
mod peers;
#[path = "../../tools/opensearch/prerequisites.rs"]
mod prerequisites;
mod process;
mod queries;
mod report;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use load::{run_load, HttpClient, LoadBounds};
use opensearch::{Comparison, MeasuredLoad, SystemFigures};
use process::{fresh_dir, run_watched, verbatim_command, CpuMeter, ServerGuard};
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
        /// A query set the runner generated (`run` writes it to
        /// `OUT/queries.json`).
        #[arg(long, default_value = "bench-out/queries.json")]
        queries: PathBuf,
        /// Classes to run (all when none).
        #[arg(long)]
        class: Vec<String>,
        /// How long to loop.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Most queries to run (all the time allows when absent): a fixed
        /// count for instruction counts (`valgrind --tool=callgrind`).
        #[arg(long)]
        requests: Option<usize>,
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
    /// Queries of each class in the generated query set (distinct ones,
    /// from the corpus's titles and the index's quotes, speakers and topics).
    #[arg(long, default_value_t = 1000)]
    queries_per_class: usize,
    /// Seed of the query set.
    #[arg(long, default_value_t = 1987)]
    query_seed: u64,
    /// Sources of the Lucene and Python peer drivers.
    #[arg(long, default_value = "benches/peers")]
    peers_src: PathBuf,
    /// Figures measured outside the runner, appended to the report as they are.
    #[arg(long, default_value = "benches/measured-separately.md")]
    measured_separately: PathBuf,
    /// Articles in the generated scale corpus (e.g. 1000000); 0 skips it.
    #[arg(long, default_value_t = 100_000)]
    scale: usize,
    /// Short runs, to check the tooling (figures are not meaningful).
    #[arg(long)]
    quick: bool,
    /// Skip the peers.
    #[arg(long)]
    skip_peers: bool,
    /// Skip the OpenSearch comparison (OpenSearch itself, and Verbatim
    /// serving from it).
    #[arg(long)]
    skip_opensearch: bool,
    /// Heap of the OpenSearch node (its -Xms and -Xmx).
    #[arg(long, default_value = "1g")]
    opensearch_heap: String,
    /// The OpenSearch launcher (`tools/opensearch/run.sh`).
    #[arg(long, default_value = "tools/opensearch/run.sh")]
    opensearch_launcher: PathBuf,
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
            requests,
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
                max_requests: requests.unwrap_or(usize::MAX),
                max_duration: Duration::from_secs(seconds),
            };
            let result = inproc::run_in_process_queries(
                &index,
                analyzers,
                &settings,
                &selected,
                bounds,
                &[],
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

/// The unmeasured run before each measured one of the OpenSearch
/// comparison (the JVM's JIT, the page cache).
fn warm_up_bounds(quick: bool) -> LoadBounds {
    LoadBounds {
        concurrency: 1,
        max_requests: if quick { 50 } else { 1_000 },
        max_duration: Duration::from_secs(if quick { 1 } else { 3 }),
    }
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
    let meter = CpuMeter::start(&[server.pid()]);
    let bulk = http_bulk(server.address, &reuters, 4)?;
    let bulk_cpu = meter.finish()[0];
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
    let mut comparison = Comparison {
        embedded: SystemFigures {
            name: "Verbatim embedded (`verbatim serve`, tantivy)".into(),
            ingest: Some(opensearch::Ingest {
                articles: bulk.0,
                text_bytes: reuters_bytes,
                seconds: bulk.1,
                cpu: vec![("verbatim".into(), bulk_cpu)],
            }),
            store: Some(opensearch::StoreSize {
                documents: 0,
                bytes: process::dir_bytes(&http_dir),
                segments: 0,
            }),
            time_to_searchable_ms: report.time_to_searchable_ms,
            served: Some(served_documents(server.address)?),
            ..Default::default()
        },
        ..Default::default()
    };

    step(
        started,
        "generating the query set from the titles and the index's quotes, speakers and topics",
    );
    let sources = generate::fetch_sources(server.address, &reuters)?;
    let candidates = generate::candidates(&sources, args.queries_per_class, args.query_seed)?;
    let candidate_paths: Vec<String> = candidates.iter().map(BenchQuery::path).collect();
    let candidate_totals = query_totals(server.address, &candidate_paths)?;
    let mut query_set = generate::select(
        candidates,
        &candidate_totals,
        args.queries_per_class,
        args.query_seed,
    );
    report.query_sources = Some(report::QuerySources {
        titles: sources.titles.len(),
        quotes: sources.quotes.len(),
        speakers: sources.speakers.len(),
        topics: sources.topics.len(),
        candidates: candidate_paths.len(),
        per_class: args.queries_per_class,
        seed: args.query_seed,
    });
    step(started, "finding deep-paging cursors");
    for query in &mut query_set {
        if let Some(page) = query.page {
            query.cursor = Some(cursor_of_page(server.address, query, page)?);
        }
    }
    queries::save_queries(&out.join("queries.json"), &query_set)?;
    let paths: Vec<String> = query_set.iter().map(BenchQuery::path).collect();
    let totals = check_queries(server.address, &paths)?;
    // The OpenSearch comparison runs a sample of the set: OpenSearch's
    // faceted searches take hundreds of milliseconds, and every query is
    // sent once before its runs.
    let sampled = opensearch::sample(&query_set);
    let mix_indices: Vec<usize> = (0..query_set.len())
        .filter(|&i| sampled[i] && opensearch::in_mix(&query_set[i]))
        .collect();
    let mix_paths: Vec<String> = mix_indices.iter().map(|&i| paths[i].clone()).collect();
    comparison.embedded.totals = mix_indices.iter().map(|&i| totals[i]).collect();
    let peer_indices: Vec<usize> = (0..query_set.len())
        .filter(|&i| query_set[i].for_peers())
        .collect();
    let peer_paths: Vec<String> = peer_indices.iter().map(|&i| paths[i].clone()).collect();
    for bounds in concurrency_bounds(args.quick) {
        step(
            started,
            &format!("HTTP queries, concurrency {}", bounds.concurrency),
        );
        let meter = CpuMeter::start(&[server.pid()]);
        let all = http_load(server.address, &paths, bounds)?;
        let all_cpu = meter.finish()[0];
        let text = http_load(server.address, &peer_paths, bounds)?;
        // The OpenSearch comparison's runs of the embedded server: the mix
        // at 1 and 8 clients (left out when OpenSearch is).
        if bounds.concurrency <= 8 && !args.skip_opensearch {
            comparison.embedded.all.push(MeasuredLoad {
                concurrency: bounds.concurrency,
                result: all.clone(),
                cpu: vec![("verbatim".into(), all_cpu)],
                engine_searches: None,
            });
            let meter = CpuMeter::start(&[server.pid()]);
            let result = http_load(server.address, &mix_paths, bounds)?;
            comparison.embedded.mix.push(MeasuredLoad {
                concurrency: bounds.concurrency,
                result,
                cpu: vec![("verbatim".into(), meter.finish()[0])],
                engine_searches: None,
            });
        }
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
    let text_bounds: Vec<LoadBounds> = concurrency_bounds(args.quick).into_iter().take(2).collect();
    report.in_process = Some(inproc::run_in_process_queries(
        &import_dir,
        analyzers.clone(),
        &settings,
        &query_set,
        inproc::in_process_bounds(args.quick),
        &text_bounds,
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

    if !args.skip_opensearch {
        comparison.mix = mix_indices.iter().map(|&i| query_set[i].clone()).collect();
        comparison.all = (0..query_set.len())
            .filter(|&i| sampled[i])
            .map(|i| query_set[i].clone())
            .collect();
        let context = OpenSearchContext {
            args: &args,
            out: &out,
            verbatim: &verbatim,
            dictionary: &dictionary,
            reuters: &reuters,
            reuters_bytes,
            started,
        };
        report.opensearch = Some(opensearch_comparison(&context, comparison));
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
        let candidates: Vec<BenchQuery> = query_set
            .iter()
            .filter(|q| q.class == "facets" || q.class == "quote-speaker")
            .cloned()
            .collect();
        let paths: Vec<String> = candidates.iter().map(BenchQuery::path).collect();
        let totals = query_totals(server.address, &paths)?;
        // A speaker of the Reuters index may be folded into another identity
        // among the generated articles: such queries find nothing here.
        let scale_queries: Vec<BenchQuery> = candidates
            .into_iter()
            .zip(&totals)
            .filter(|(_, total)| total.is_some_and(|t| t > 0))
            .map(|(query, _)| query)
            .collect();
        let scale_paths: Vec<String> = scale_queries.iter().map(BenchQuery::path).collect();
        anyhow::ensure!(!scale_paths.is_empty(), "no scale query finds anything");
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
    report.measured_separately = std::fs::read_to_string(&args.measured_separately).ok();
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
    let bodies = load::deal_bulk_bodies(&lines, clients, BULK_LINES, |line, body| {
        body.extend_from_slice(line.as_bytes());
        body.push(b'\n');
    });
    load::post_bulk_bodies(address, "/v1/articles/bulk", &bodies, |answer| {
        Ok(answer["indexed"].as_u64().unwrap_or(0) as usize)
    })
}

/// Median time from sending one new article (`POST /v1/articles`) until a
/// search finds it, in milliseconds.
///
/// Each probe is deleted once found (and checked gone), so the server holds
/// the corpus alone again: the query set is drawn from it, and the embedded
/// and OpenSearch servers, probed a different number of times, count their
/// totals over the same documents (the probes' words, `today` and
/// `statement`, are common in Reuters).
fn time_to_searchable(address: std::net::SocketAddr, trials: usize) -> anyhow::Result<f64> {
    let mut client = HttpClient::new(address)?;
    let mut times = Vec::new();
    for trial in 0..trials {
        let token = format!("zqxbench{trial}x{}", std::process::id());
        let id = format!("bench-visible-{token}");
        let article = serde_json::json!({
            "id": id,
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
        let response = client.request("DELETE", &format!("/v1/articles/{id}"), None, b"")?;
        if response.status != 204 {
            bail!("DELETE /v1/articles/{id} answered {}", response.status);
        }
        let response =
            client.request("GET", &format!("/v1/search?q={token}&limit=1"), None, b"")?;
        let answer: serde_json::Value = serde_json::from_slice(&response.body)?;
        if answer["total"].as_u64() != Some(0) {
            bail!("a deleted probe is still found: {answer}");
        }
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// The articles and quotes a server holds (`/v1/stats`).
fn served_documents(address: std::net::SocketAddr) -> anyhow::Result<(u64, u64)> {
    let response = HttpClient::new(address)?.request("GET", "/v1/stats", None, b"")?;
    let stats: serde_json::Value = serde_json::from_slice(&response.body)?;
    match (stats["articles"].as_u64(), stats["quotes"].as_u64()) {
        (Some(articles), Some(quotes)) if response.status == 200 => Ok((articles, quotes)),
        _ => bail!("GET /v1/stats answered {}: {stats}", response.status),
    }
}

/// The cursor that fetches `page` (of 10 hits): the `next_cursor` of the
/// first 10 × (`page` − 1) hits, asked for at once.
fn cursor_of_page(
    address: std::net::SocketAddr,
    query: &BenchQuery,
    page: usize,
) -> anyhow::Result<String> {
    anyhow::ensure!(page >= 2, "page must be at least 2");
    let mut client = HttpClient::new(address)?;
    let mut first = query.clone();
    first.cursor = None;
    let response = client.request("GET", &first.path_with_limit(10 * (page - 1)), None, b"")?;
    let answer: serde_json::Value = serde_json::from_slice(&response.body)?;
    let next = answer["next_cursor"]
        .as_str()
        .with_context(|| format!("`{}` has fewer than {page} pages", query.q))?;
    Ok(next.to_owned())
}

/// Each query's total, or `None` when it did not answer 200; two clients
/// at once.
fn query_totals(
    address: std::net::SocketAddr,
    paths: &[String],
) -> anyhow::Result<Vec<Option<u64>>> {
    let halves: Vec<&[String]> = paths.chunks(paths.len().div_ceil(2).max(1)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = halves
            .into_iter()
            .map(|half| {
                scope.spawn(move || -> anyhow::Result<Vec<Option<u64>>> {
                    let mut client = HttpClient::new(address)?;
                    half.iter()
                        .map(|path| {
                            let response = client.request("GET", path, None, b"")?;
                            let answer: serde_json::Value =
                                serde_json::from_slice(&response.body).unwrap_or_default();
                            Ok((response.status == 200)
                                .then(|| answer["total"].as_u64())
                                .flatten())
                        })
                        .collect()
                })
            })
            .collect();
        let mut totals = Vec::with_capacity(paths.len());
        for handle in handles {
            totals.extend(
                handle
                    .join()
                    .map_err(|_| anyhow::anyhow!("a query check panicked"))??,
            );
        }
        Ok(totals)
    })
}

/// Sends every query once and checks it answers 200 with hits; returns
/// each one's total.
fn check_queries(address: std::net::SocketAddr, paths: &[String]) -> anyhow::Result<Vec<u64>> {
    let totals = query_totals(address, paths)?;
    paths
        .iter()
        .zip(totals)
        .map(|(path, total)| match total {
            Some(total) if total > 0 => Ok(total),
            _ => bail!("{path} did not answer 200 with hits"),
        })
        .collect()
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

/// What the OpenSearch comparison needs from the run.
struct OpenSearchContext<'a> {
    args: &'a RunArgs,
    out: &'a Path,
    verbatim: &'a Path,
    dictionary: &'a Path,
    reuters: &'a Path,
    reuters_bytes: u64,
    started: Instant,
}

/// Starts one OpenSearch node and measures OpenSearch itself and Verbatim
/// serving from it beside the embedded figures `comparison` holds; without
/// Java and Maven (or when the node does not start) both are skipped with
/// the reason.
fn opensearch_comparison(context: &OpenSearchContext, mut comparison: Comparison) -> Comparison {
    let args = context.args;
    let skip = |comparison: &mut Comparison, error: &anyhow::Error| {
        eprintln!("skipping OpenSearch: {error:#}");
        comparison.peer.skipped = Some(format!("{error:#}"));
        comparison.verbatim.skipped = Some(format!("{error:#}"));
    };
    comparison.peer.name = "OpenSearch itself".into();
    comparison.verbatim.name = "Verbatim on OpenSearch".into();
    step(context.started, "OpenSearch: starting one node");
    let data = context.out.join("opensearch");
    let node = match fresh_dir(&data).and_then(|()| {
        opensearch::Node::start(
            &args.opensearch_launcher,
            &data,
            &args.opensearch_heap,
            &context.out.join("opensearch.log"),
        )
    }) {
        Ok(node) => node,
        Err(error) => {
            skip(&mut comparison, &error);
            return comparison;
        }
    };
    comparison.setup = format!(
        "OpenSearch {} (tools/opensearch/run.sh --node: one node in one JVM, heap -Xms{heap} -Xmx{heap}, {}), \
         each index 1 primary shard and 0 replicas, shard request cache off",
        node.version,
        shell_line("java -version 2>&1 | head -1"),
        heap = args.opensearch_heap,
    );
    // Longer runs than the embedded server's: a faceted search on
    // OpenSearch takes hundreds of milliseconds, and every query of the set
    // should be sent several times at one client.
    let bounds: Vec<LoadBounds> = concurrency_bounds(args.quick)
        .into_iter()
        .take(2)
        .map(|bounds| LoadBounds {
            max_duration: if args.quick {
                bounds.max_duration
            } else {
                Duration::from_secs(40)
            },
            ..bounds
        })
        .collect();
    step(context.started, "OpenSearch itself: _bulk and queries");
    let peer_run = opensearch::PeerRun {
        corpus: context.reuters,
        text_bytes: context.reuters_bytes,
        clients: 4,
        per_request: BULK_LINES,
        mix: &comparison.mix,
        bounds: &bounds,
        warm_up: warm_up_bounds(args.quick),
    };
    comparison.peer = opensearch::run_peer(&node, &peer_run).unwrap_or_else(|error| {
        eprintln!("skipping OpenSearch itself: {error:#}");
        SystemFigures {
            name: "OpenSearch itself".into(),
            skipped: Some(format!("{error:#}")),
            ..Default::default()
        }
    });
    step(context.started, "Verbatim on OpenSearch: bulk and queries");
    comparison.verbatim = verbatim_on_opensearch(context, &node, &comparison, &bounds)
        .unwrap_or_else(|error| {
            eprintln!("skipping Verbatim on OpenSearch: {error:#}");
            SystemFigures {
                name: "Verbatim on OpenSearch".into(),
                skipped: Some(format!("{error:#}")),
                ..Default::default()
            }
        });
    comparison
}

/// The first line a shell command prints.
fn shell_line(command: &str) -> String {
    std::process::Command::new("sh")
        .args(["-c", command])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// `verbatim backend init` and `verbatim serve --backend opensearch` on the
/// node, fed over `POST /v1/articles/bulk` as the embedded server is, asked
/// the whole query set and the mix.
fn verbatim_on_opensearch(
    context: &OpenSearchContext,
    node: &opensearch::Node,
    comparison: &Comparison,
    bounds: &[LoadBounds],
) -> anyhow::Result<SystemFigures> {
    let index_dir = context.out.join("opensearch-verbatim");
    fresh_dir(&index_dir)?;
    let cluster: Vec<String> = vec![
        "--opensearch-url".into(),
        node.url(),
        "--opensearch-index".into(),
        opensearch::VERBATIM_INDEX.into(),
    ];
    let init = verbatim_command(context.verbatim, &index_dir, context.dictionary)
        .args(["backend", "init", "--shards", "1", "--replicas", "0"])
        .args(&cluster)
        .output()?;
    if !init.status.success() {
        bail!(
            "verbatim backend init failed: {}",
            String::from_utf8_lossy(&init.stderr)
        );
    }
    opensearch::disable_request_cache(node, opensearch::VERBATIM_INDEX)?;
    let mut serve = vec!["--backend".to_owned(), "opensearch".to_owned()];
    serve.extend(cluster);
    let server = ServerGuard::start_with(
        context.verbatim,
        &index_dir,
        context.dictionary,
        &context.out.join("server-opensearch.log"),
        &serve,
    )?;
    let processes = [server.pid(), node.pid()];
    let named = |cpu: Vec<f64>| -> Vec<(String, f64)> {
        vec![("verbatim".into(), cpu[0]), ("OpenSearch".into(), cpu[1])]
    };
    let meter = CpuMeter::start(&processes);
    let (articles, seconds) = http_bulk(server.address, context.reuters, 4)?;
    let ingest_cpu = named(meter.finish());
    let store = opensearch::store_size(node, opensearch::VERBATIM_INDEX)?;
    let time_to_searchable_ms =
        time_to_searchable(server.address, if context.args.quick { 3 } else { 10 })?;
    let served = served_documents(server.address)?;
    if let Some(embedded) = comparison
        .embedded
        .served
        .filter(|&embedded| embedded != served)
    {
        bail!(
            "Verbatim on OpenSearch holds {} articles and {} quotes, the embedded server \
             held {} and {}: their totals would not be comparable",
            served.0,
            served.1,
            embedded.0,
            embedded.1
        );
    }

    let mut queries = comparison.all.clone();
    for query in &mut queries {
        if let Some(page) = query.page {
            query.cursor = Some(cursor_of_page(server.address, query, page)?);
        }
    }
    let paths: Vec<String> = queries.iter().map(BenchQuery::path).collect();
    let totals = check_queries(server.address, &paths)?;
    let mix_indices: Vec<usize> = (0..queries.len())
        .filter(|&i| opensearch::in_mix(&queries[i]))
        .collect();
    let mix_paths: Vec<String> = mix_indices.iter().map(|&i| paths[i].clone()).collect();
    let mut figures = SystemFigures {
        name: format!(
            "Verbatim on OpenSearch {} (`verbatim serve --backend opensearch`)",
            node.version
        ),
        ingest: Some(opensearch::Ingest {
            articles,
            text_bytes: context.reuters_bytes,
            seconds,
            cpu: ingest_cpu,
        }),
        store: Some(store),
        totals: mix_indices.iter().map(|&i| totals[i]).collect(),
        served: Some(served),
        time_to_searchable_ms: Some(time_to_searchable_ms),
        ..Default::default()
    };
    for bounds in bounds {
        let warm_up = LoadBounds {
            concurrency: bounds.concurrency,
            ..warm_up_bounds(context.args.quick)
        };
        http_load(server.address, &paths, warm_up)?;
        let searches = opensearch::searches_so_far(node, opensearch::VERBATIM_INDEX)?;
        let meter = CpuMeter::start(&processes);
        let result = http_load(server.address, &paths, *bounds)?;
        let cpu = named(meter.finish());
        figures.all.push(MeasuredLoad {
            concurrency: bounds.concurrency,
            result,
            cpu,
            engine_searches: Some(
                opensearch::searches_so_far(node, opensearch::VERBATIM_INDEX)? - searches,
            ),
        });
        let searches = opensearch::searches_so_far(node, opensearch::VERBATIM_INDEX)?;
        let meter = CpuMeter::start(&processes);
        let result = http_load(server.address, &mix_paths, *bounds)?;
        let cpu = named(meter.finish());
        figures.mix.push(MeasuredLoad {
            concurrency: bounds.concurrency,
            result,
            cpu,
            engine_searches: Some(
                opensearch::searches_so_far(node, opensearch::VERBATIM_INDEX)? - searches,
            ),
        });
    }
    drop(server);
    figures.merged = Some(opensearch::merged_store_size(
        node,
        opensearch::VERBATIM_INDEX,
    )?);
    Ok(figures)
}
