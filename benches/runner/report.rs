//! `BENCHMARKS.md`: every figure of one run, the targets they are held to,
//! the machine and the commands.

use std::fmt::Write as _;
use std::process::Command;

use crate::inproc::{ExtractionRun, InProcessQueries, IndexingRun};
use crate::load::{quantile_ms, LoadResult};
use crate::opensearch::{Comparison, MeasuredLoad, SystemFigures};
use crate::peers::PeerResult;
use crate::queries::{BenchQuery, CLASSES};

/// HTTP query runs at one concurrency.
pub struct HttpQueryRun {
    /// Concurrent clients.
    pub concurrency: usize,
    /// The whole query set.
    pub all: LoadResult,
    /// The text classes only (what peers run).
    pub text: LoadResult,
}

/// Where the generated query set came from.
pub struct QuerySources {
    /// Reuters titles read.
    pub titles: usize,
    /// Quotes of the index (`/v1/quotes/export`).
    pub quotes: usize,
    /// Speakers of the catalog (`/v1/speakers`).
    pub speakers: usize,
    /// Topic paths (`/v1/topics`).
    pub topics: usize,
    /// Candidate queries checked.
    pub candidates: usize,
    /// Queries wanted per class.
    pub per_class: usize,
    /// The seed.
    pub seed: u64,
}

/// The scale run.
pub struct ScaleRun {
    /// Articles generated.
    pub articles: usize,
    /// `verbatim import` of them.
    pub indexing: IndexingRun,
    /// The queries run (faceted article search, speaker-filtered quote search).
    pub queries: Vec<BenchQuery>,
    /// HTTP runs by concurrency.
    pub runs: Vec<(usize, LoadResult)>,
}

/// Everything one run measured.
#[derive(Default)]
pub struct Report {
    command_line: String,
    quick: bool,
    machine_before: String,
    machine_after: String,
    started: String,
    /// The Reuters file and its size.
    pub corpus: String,
    /// Writer settings.
    pub writer: String,
    /// Extraction alone.
    pub extraction: Option<ExtractionRun>,
    /// Raw tantivy indexing.
    pub raw_tantivy: Option<IndexingRun>,
    /// `verbatim import`.
    pub import: Option<IndexingRun>,
    /// HTTP bulk.
    pub http_bulk: Option<IndexingRun>,
    /// Median ms from POST to visible in search.
    pub time_to_searchable_ms: Option<f64>,
    /// HTTP queries by concurrency.
    pub http_queries: Vec<HttpQueryRun>,
    /// `GET /health` at c=1: the floor of an HTTP round trip here.
    pub http_floor: Option<LoadResult>,
    /// Server's peak RSS over bulk load and queries.
    pub server_peak_rss: Option<u64>,
    /// In-process queries.
    pub in_process: Option<InProcessQueries>,
    /// The query set (with cursors).
    pub queries: Vec<BenchQuery>,
    /// Figures measured outside this run (`benches/measured-separately.md`),
    /// appended to the report as they are.
    pub measured_separately: Option<String>,
    /// Where the query set came from.
    pub query_sources: Option<QuerySources>,
    /// Peers.
    pub peers: Vec<PeerResult>,
    /// The scale run.
    pub scale: Option<ScaleRun>,
    /// OpenSearch itself, Verbatim on OpenSearch and Verbatim embedded.
    pub opensearch: Option<Comparison>,
}

fn shell(command: &str) -> String {
    Command::new("sh")
        .args(["-c", command])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

fn ms(value: f64) -> String {
    if value.is_nan() {
        "–".into()
    } else if value < 10.0 {
        format!("{value:.3}")
    } else {
        format!("{value:.1}")
    }
}

/// A target line: name, measured, threshold text, met.
struct Target {
    name: String,
    measured: String,
    wanted: String,
    met: Option<bool>,
    margin: String,
}

impl Report {
    /// A report; notes the machine state at the start.
    pub fn new(command_line: &str, quick: bool) -> Self {
        Report {
            command_line: command_line.to_owned(),
            quick,
            machine_before: load_average(),
            started: shell("date -u +%Y-%m-%dT%H:%M:%SZ"),
            ..Default::default()
        }
    }

    /// Notes the machine state at the end.
    pub fn finish(&mut self) {
        self.machine_after = load_average();
    }

    fn class_sorted(&self, result: &LoadResult, class: &str) -> Vec<u32> {
        result.sorted_where(|item| self.queries.get(item).is_some_and(|q| q.class == class))
    }

    fn http(&self, concurrency: usize) -> Option<&HttpQueryRun> {
        self.http_queries
            .iter()
            .find(|r| r.concurrency == concurrency)
    }

    /// The targets: issue 17's first (ratios and figures of this one run),
    /// then the older ones that still hold.
    fn targets(&self) -> Vec<Target> {
        let mut targets = Vec::new();
        let at_least = |name: &str, value: Option<f64>, limit: f64| Target {
            name: name.into(),
            measured: value.map_or("–".into(), |v| format!("{v:.2}")),
            wanted: format!("≥ {limit:.2}"),
            met: value.map(|v| v >= limit),
            margin: value.map_or(String::new(), |v| {
                format!("{:+.0}%", (v / limit - 1.0) * 100.0)
            }),
        };
        let at_most = |name: &str, value: Option<f64>, limit: f64, unit: &str| Target {
            name: name.into(),
            measured: value.map_or("–".into(), |v| {
                if unit.is_empty() {
                    format!("{v:.2}")
                } else if unit == "ms" {
                    format!("{} ms", ms(v))
                } else {
                    format!("{v:.2} {unit}")
                }
            }),
            wanted: if unit.is_empty() {
                format!("≤ {limit:.1}")
            } else {
                format!("≤ {limit} {unit}")
            },
            met: value.map(|v| v <= limit),
            margin: value.map_or(String::new(), |v| {
                format!("{:+.0}%", (v / limit - 1.0) * 100.0)
            }),
        };
        let raw = self.raw_tantivy.map(|r| r.articles_per_second());
        let import = self.import.map(|r| r.articles_per_second());
        let bulk = self.http_bulk.map(|r| r.articles_per_second());
        let lucene = self
            .peers
            .iter()
            .find(|peer| peer.skipped.is_none() && peer.name.starts_with("Lucene"));
        let lucene_qps = |concurrency: usize| {
            lucene.and_then(|peer| {
                peer.queries
                    .iter()
                    .find(|run| run.concurrency == concurrency)
                    .map(|run| run.qps)
            })
        };
        let in_process_text_qps = |threads: usize| {
            self.in_process.as_ref().and_then(|inproc| {
                inproc
                    .text
                    .iter()
                    .find(|(t, _)| *t == threads)
                    .map(|(_, run)| run.qps())
            })
        };

        // Issue 17.
        targets.push(at_least(
            "`verbatim import` ÷ raw tantivy, Reuters articles/s (with full extraction)",
            import.zip(raw).map(|(a, b)| a / b),
            0.5,
        ));
        targets.push(at_most(
            "`verbatim import` index ÷ title + body text, Reuters (positions kept: the phrase class finds its phrases)",
            self.import
                .map(|run| run.disk_bytes as f64 / run.text_bytes.max(1) as f64),
            1.6,
            "",
        ));
        let http_p50 = self
            .http(1)
            .map(|run| quantile_ms(&run.all.all_sorted(), 0.5));
        let tantivy_p50 = self
            .in_process
            .as_ref()
            .map(|inproc| quantile_ms(&inproc.tantivy.all_sorted(), 0.5));
        targets.push(at_most(
            "HTTP p50 (c=1) ÷ in-process tantivy p50 on the same compiled queries, whole query set",
            http_p50.zip(tantivy_p50).map(|(h, t)| h / t),
            2.0,
            "",
        ));
        let facets_p50 = self
            .http(1)
            .map(|run| quantile_ms(&self.class_sorted(&run.all, "facets"), 0.5));
        targets.push(at_most(
            "HTTP median, faceted article search (`facets` class, c=1), Reuters",
            facets_p50,
            0.5,
            "ms",
        ));
        for threads in [1, 8] {
            targets.push(at_least(
                &format!(
                    "in-process `verbatim::search` QPS ÷ Lucene in-process QPS, text classes, {threads} thread{}",
                    if threads == 1 { "" } else { "s" }
                ),
                in_process_text_qps(threads)
                    .zip(lucene_qps(threads))
                    .map(|(a, b)| a / b),
                1.0,
            ));
        }
        targets.push(at_least(
            "HTTP QPS (8 clients) ÷ Lucene in-process QPS (8 threads), text classes",
            self.http(8)
                .map(|run| run.text.qps())
                .zip(lucene_qps(8))
                .map(|(a, b)| a / b),
            0.8,
        ));
        let scale_quantile = |concurrency: usize, class: &str, q: f64| {
            self.scale.as_ref().and_then(|scale| {
                scale
                    .runs
                    .iter()
                    .find(|(c, _)| *c == concurrency)
                    .map(|(_, run)| {
                        quantile_ms(
                            &run.sorted_where(|i| {
                                scale
                                    .queries
                                    .get(i)
                                    .is_some_and(|query| query.class == class)
                            }),
                            q,
                        )
                    })
            })
        };
        let articles = self.scale.as_ref().map_or("1M".to_owned(), |scale| {
            format!("{} articles (target for 1M)", scale.articles)
        });
        targets.push(at_most(
            &format!("{articles}: faceted search p50, 1 client"),
            scale_quantile(1, "facets", 0.5),
            5.0,
            "ms",
        ));
        targets.push(at_most(
            &format!("{articles}: faceted search p99, 1 client"),
            scale_quantile(1, "facets", 0.99),
            15.0,
            "ms",
        ));
        targets.push(at_most(
            &format!("{articles}: faceted search p99, 8 clients"),
            scale_quantile(8, "facets", 0.99),
            50.0,
            "ms",
        ));
        let indexing = self.scale.as_ref().map(|scale| scale.indexing);
        targets.push(at_most(
            &format!("{articles}: `verbatim import` peak anonymous memory (heap; mapped index files excluded)"),
            indexing
                .and_then(|run| run.peak_anonymous_rss)
                .map(|b| b as f64 / 1e9),
            0.5,
            "GB",
        ));
        targets.push(at_most(
            &format!("{articles}: `verbatim import` VmHWM (peak RSS, mapped index files included)"),
            indexing
                .and_then(|run| run.peak_rss)
                .map(|b| b as f64 / 1e9),
            1.5,
            "GB",
        ));

        // Earlier targets that still hold.
        targets.push(at_least(
            "HTTP bulk (4 clients) ÷ `verbatim import`, articles/s",
            bulk.zip(import).map(|(a, b)| a / b),
            0.8,
        ));
        targets.push(at_least(
            "HTTP bulk, Reuters articles/s ÷ 5,000",
            bulk.map(|b| b / 5000.0),
            1.0,
        ));
        let qps = |c: usize| self.http(c).map(|run| run.all.qps());
        targets.push(at_least(
            "HTTP QPS at c=32 ÷ QPS at c=1, whole query set",
            qps(32).zip(qps(1)).map(|(a, b)| a / b),
            1.7,
        ));
        targets.push(at_most(
            &format!("{articles}: `quote-speaker` p99, 1 client"),
            scale_quantile(1, "quote-speaker", 0.99),
            50.0,
            "ms",
        ));
        for peer in &self.peers {
            if peer.skipped.is_some() || !peer.name.starts_with("SQLite") {
                continue;
            }
            for run in &peer.queries {
                let ours = self.http(run.concurrency).map(|r| r.text.qps());
                targets.push(at_least(
                    &format!(
                        "HTTP QPS ÷ SQLite FTS5 in-process QPS, text classes, c={}",
                        run.concurrency
                    ),
                    ours.map(|o| o / run.qps),
                    1.0,
                ));
            }
            if let Some(indexing) = peer.indexing {
                targets.push(at_least(
                    "`verbatim import` ÷ SQLite FTS5, articles/s (with extraction)",
                    import.map(|i| i / indexing.articles_per_second()),
                    1.0,
                ));
            }
        }
        if let Some(indexing) = lucene.and_then(|peer| peer.indexing) {
            targets.push(at_least(
                "`verbatim import` ÷ Lucene, articles/s (with extraction)",
                import.map(|i| i / indexing.articles_per_second()),
                1.0,
            ));
        }
        targets
    }

    /// The OpenSearch section: the three systems side by side, as figures
    /// and as ratios, the whole query set on both backends, and each mix
    /// query's total in each system.
    fn opensearch_markdown(&self, comparison: &Comparison) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "\n## OpenSearch backend (Reuters, one node)\n");
        let systems = [&comparison.embedded, &comparison.verbatim, &comparison.peer];
        for system in systems {
            if let Some(reason) = &system.skipped {
                let _ = writeln!(
                    md,
                    "- {}: skipped: {}",
                    system.name,
                    reason.lines().next().unwrap_or("")
                );
            }
        }
        if comparison.verbatim.skipped.is_some() && comparison.peer.skipped.is_some() {
            return md;
        }
        let _ = writeln!(md, "Measured in the run above ({}), one system at a time on the same machine: {}. Ingest: the Reuters articles from 4 clients, 1,000 articles per request; both Verbatim rows over `POST /v1/articles/bulk` (analysis in Verbatim; each request answered after a commit, embedded, or a `_refresh`, OpenSearch), OpenSearch itself over `_bulk?refresh=true` with the `english` analyzer; acknowledged means visible, translog fsynced per request. Queries: the mix of the text classes and the facet class of the query set (below), a sample of it (the first {} queries of each class, as for the whole-set runs on OpenSearch: its faceted searches take hundreds of milliseconds), keep-alive clients on loopback, closed loop, each OpenSearch run after an unmeasured warm-up; OpenSearch itself gets `query_string` (`title^2`, `body`, AND) with `track_total_hits` and `request_cache=false`, its facets as top-10 `terms` aggregations on the corpus's own `places` (for speaker), `topics` (for topic) and `source`, and a `date_histogram` by month. CPU: user + system seconds of each server process over the run (the load generator's own excluded), per article or per request. Each OpenSearch load run lasts up to 40 s (the embedded server's 8 s), so that every query is sent several times at one client. A ratio is the first system's figure divided by the second's: above 1 is slower for latencies and CPU, faster for articles/s and QPS.\n", self.started, comparison.setup, crate::opensearch::SAMPLE_PER_CLASS);

        let ingest =
            |system: &SystemFigures| system.ingest.as_ref().map(|i| i.articles_per_second());
        let cpu_article = |system: &SystemFigures, process: &str| {
            system
                .ingest
                .as_ref()
                .and_then(|i| i.cpu_ms_per_article(process))
        };
        fn mix_at(system: &SystemFigures, concurrency: usize) -> Option<&MeasuredLoad> {
            system.mix.iter().find(|m| m.concurrency == concurrency)
        }
        let class_quantile = |system: &SystemFigures, concurrency: usize, facets: bool, q: f64| {
            mix_at(system, concurrency).map(|run| {
                quantile_ms(
                    &run.result.sorted_where(|i| {
                        comparison
                            .mix
                            .get(i)
                            .is_some_and(|query| (query.class == "facets") == facets)
                    }),
                    q,
                )
            })
        };
        let qps = |system: &SystemFigures, concurrency: usize| {
            mix_at(system, concurrency).map(|r| r.result.qps())
        };
        let cpu_query = |system: &SystemFigures, concurrency: usize, process: &str| {
            mix_at(system, concurrency).and_then(|r| r.cpu_ms_per_request(process))
        };
        let bytes_per_article = |system: &SystemFigures, merged: bool| {
            let store = if merged { system.merged } else { system.store };
            store
                .zip(system.ingest.as_ref())
                .map(|(s, i)| s.bytes as f64 / i.articles.max(1) as f64)
        };
        struct Row {
            name: String,
            values: [Option<f64>; 3],
            unit: &'static str,
        }
        let mut rows: Vec<Row> = Vec::new();
        let mut row =
            |name: &str, unit: &'static str, value: &dyn Fn(&SystemFigures) -> Option<f64>| {
                rows.push(Row {
                    name: name.into(),
                    values: systems.map(value),
                    unit,
                });
            };
        row("ingest, articles/s", "", &ingest);
        row("ingest, MB/s of title + body", "MB/s", &|s| {
            s.ingest
                .as_ref()
                .map(|i| i.text_bytes as f64 / 1e6 / i.seconds.max(1e-9))
        });
        row("ingest CPU, Verbatim process, ms per article", "ms", &|s| {
            cpu_article(s, "verbatim")
        });
        row(
            "ingest CPU, OpenSearch process, ms per article",
            "ms",
            &|s| cpu_article(s, "OpenSearch"),
        );
        row("ingest CPU, both, ms per article", "ms", &|s| {
            let (a, b) = (cpu_article(s, "verbatim"), cpu_article(s, "OpenSearch"));
            if a.is_none() && b.is_none() {
                None
            } else {
                Some(a.unwrap_or(0.0) + b.unwrap_or(0.0))
            }
        });
        row("index bytes per article, as loaded", "B", &|s| {
            bytes_per_article(s, false)
        });
        row(
            "index bytes per article, merged to one segment",
            "B",
            &|s| bytes_per_article(s, true),
        );
        row("time to searchable, ms (median)", "ms", &|s| {
            s.time_to_searchable_ms
        });
        for concurrency in [1, 8] {
            row(
                &format!("text queries p50 ms, c={concurrency}"),
                "ms",
                &|s| class_quantile(s, concurrency, false, 0.5),
            );
            row(
                &format!("text queries p99 ms, c={concurrency}"),
                "ms",
                &|s| class_quantile(s, concurrency, false, 0.99),
            );
            row(
                &format!("faceted search p50 ms, c={concurrency}"),
                "ms",
                &|s| class_quantile(s, concurrency, true, 0.5),
            );
            row(
                &format!("faceted search p99 ms, c={concurrency}"),
                "ms",
                &|s| class_quantile(s, concurrency, true, 0.99),
            );
            row(&format!("QPS of the mix, c={concurrency}"), "", &|s| {
                qps(s, concurrency)
            });
            row(
                &format!("query CPU, Verbatim process, ms per query, c={concurrency}"),
                "ms",
                &|s| cpu_query(s, concurrency, "verbatim"),
            );
            row(
                &format!("query CPU, OpenSearch process, ms per query, c={concurrency}"),
                "ms",
                &|s| cpu_query(s, concurrency, "OpenSearch"),
            );
            row(
                &format!("OpenSearch shard searches per request, c={concurrency}"),
                "x",
                &|s| mix_at(s, concurrency).and_then(MeasuredLoad::engine_searches_per_request),
            );
        }
        let figure = |value: Option<f64>, unit: &str| match value {
            None => "–".to_owned(),
            Some(v) if v.is_nan() => "–".to_owned(),
            Some(v) if unit == "ms" => ms(v),
            Some(v) if unit == "MB/s" || unit == "x" => format!("{v:.2}"),
            Some(v) => format!("{v:.0}"),
        };
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 && !a.is_nan() && !b.is_nan() => format!("{:.2}", a / b),
            _ => "–".to_owned(),
        };
        let _ = writeln!(md, "| measure | Verbatim embedded | Verbatim on OpenSearch | OpenSearch itself | on OpenSearch ÷ embedded | on OpenSearch ÷ OpenSearch itself | OpenSearch itself ÷ embedded |");
        let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|");
        for row in &rows {
            let [embedded, verbatim, peer] = row.values;
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} |",
                row.name,
                figure(embedded, row.unit),
                figure(verbatim, row.unit),
                figure(peer, row.unit),
                ratio(verbatim, embedded),
                ratio(verbatim, peer),
                ratio(peer, embedded),
            );
        }
        for system in systems {
            if let (Some(store), Some(merged)) = (system.store, system.merged) {
                let _ = writeln!(
                    md,
                    "\n{}: {} documents, {} in {} segments as loaded, {} merged to one.",
                    system.name,
                    store.documents,
                    mb(store.bytes),
                    store.segments,
                    mb(merged.bytes)
                );
            }
        }
        let errors: usize = systems
            .iter()
            .flat_map(|s| s.mix.iter().chain(&s.all))
            .map(|m| m.result.errors)
            .sum();
        let _ = writeln!(md, "\nFailed requests over all these runs: {errors}.");

        let _ = writeln!(
            md,
            "\n### Whole query set: Verbatim on OpenSearch and embedded\n"
        );
        let _ = writeln!(md, "Latencies in ms; embedded: the whole query set as in *Queries over HTTP*; on OpenSearch: the first {} queries of each class of it (deep-page cursors found on each server).\n", crate::opensearch::SAMPLE_PER_CLASS);
        let _ = writeln!(md, "| class | embedded p50 c=1 | on OpenSearch p50 c=1 | ratio | embedded p99 c=1 | on OpenSearch p99 c=1 | embedded p50 c=8 | on OpenSearch p50 c=8 | ratio |");
        let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        // The embedded runs went over the whole set, the runs on OpenSearch
        // over the comparison's sample of it.
        let all_at = |system: &SystemFigures, concurrency: usize, class: Option<&str>, q: f64| {
            let queries = if std::ptr::eq(system, &comparison.embedded) {
                &self.queries
            } else {
                &comparison.all
            };
            system
                .all
                .iter()
                .find(|m| m.concurrency == concurrency)
                .map(|run| {
                    quantile_ms(
                        &run.result.sorted_where(|i| {
                            class.is_none_or(|class| {
                                queries.get(i).is_some_and(|query| query.class == class)
                            })
                        }),
                        q,
                    )
                })
        };
        let classes: Vec<Option<&str>> = CLASSES.iter().map(|c| Some(*c)).chain([None]).collect();
        for class in classes {
            let (e, v) = (&comparison.embedded, &comparison.verbatim);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                class.unwrap_or("**all**"),
                figure(all_at(e, 1, class, 0.5), "ms"),
                figure(all_at(v, 1, class, 0.5), "ms"),
                ratio(all_at(v, 1, class, 0.5), all_at(e, 1, class, 0.5)),
                figure(all_at(e, 1, class, 0.99), "ms"),
                figure(all_at(v, 1, class, 0.99), "ms"),
                figure(all_at(e, 8, class, 0.5), "ms"),
                figure(all_at(v, 8, class, 0.5), "ms"),
                ratio(all_at(v, 8, class, 0.5), all_at(e, 8, class, 0.5)),
            );
        }
        let qps_all = |system: &SystemFigures, concurrency: usize| {
            figure(
                system
                    .all
                    .iter()
                    .find(|m| m.concurrency == concurrency)
                    .map(|run| run.result.qps()),
                "",
            )
        };
        let searches_all = |concurrency: usize| {
            figure(
                comparison
                    .verbatim
                    .all
                    .iter()
                    .find(|m| m.concurrency == concurrency)
                    .and_then(MeasuredLoad::engine_searches_per_request),
                "x",
            )
        };
        let _ = writeln!(
            md,
            "\nQPS over the whole set: embedded {} at c=1, {} at c=8; on OpenSearch {} at c=1, {} at c=8 ({} and {} OpenSearch shard searches per request).",
            qps_all(&comparison.embedded, 1),
            qps_all(&comparison.embedded, 8),
            qps_all(&comparison.verbatim, 1),
            qps_all(&comparison.verbatim, 8),
            searches_all(1),
            searches_all(8)
        );
        let _ = writeln!(md, "\n### Totals of the mix\n");
        let agree = (0..comparison.mix.len())
            .filter(|&i| {
                let embedded = comparison.embedded.totals.get(i);
                embedded.is_some() && embedded == comparison.verbatim.totals.get(i)
            })
            .count();
        let peer_finds_none = comparison.peer.totals.iter().filter(|&&t| t == 0).count();
        let served = match comparison.embedded.served {
            Some((articles, quotes)) => {
                format!(", both holding {articles} articles and {quotes} quotes")
            }
            None => String::new(),
        };
        let _ = writeln!(md, "Matches each system counts (the embedded and OpenSearch backends of Verbatim must agree{served}: they do on {agree} of the {} mix queries; OpenSearch itself analyses with its own `english` analyzer, Porter's stemmer and its stop words, so its totals differ a little, and it finds nothing for {peer_finds_none} of them). The first three queries of each class:\n", comparison.mix.len());
        let _ = writeln!(
            md,
            "| query | embedded | on OpenSearch | OpenSearch itself |"
        );
        let _ = writeln!(md, "|---|---:|---:|---:|");
        let mut shown: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, query) in comparison.mix.iter().enumerate() {
            let count = shown.entry(query.class.as_str()).or_default();
            *count += 1;
            if *count > 3 {
                continue;
            }
            let total =
                |s: &SystemFigures| s.totals.get(i).map_or("–".to_owned(), |t| t.to_string());
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                query.label().replace('|', "\\|"),
                total(&comparison.embedded),
                total(&comparison.verbatim),
                total(&comparison.peer)
            );
        }
        // Every disagreement of the two Verbatim servers, to look into.
        let differ: Vec<String> = (0..comparison.mix.len())
            .filter_map(|i| {
                let embedded = comparison.embedded.totals.get(i)?;
                let verbatim = comparison.verbatim.totals.get(i)?;
                (embedded != verbatim).then(|| {
                    format!(
                        "{} (embedded {embedded}, on OpenSearch {verbatim})",
                        comparison.mix[i].label()
                    )
                })
            })
            .collect();
        if !differ.is_empty() {
            let _ = writeln!(
                md,
                "\nTotals of the two Verbatim servers that differ: {}.",
                differ.join("; ")
            );
        }
        md
    }

    /// The query set section: how it was made, its counts and a few
    /// queries of each class.
    fn query_set_markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "\n## Query set\n");
        if let Some(sources) = &self.query_sources {
            let _ = writeln!(md, "Generated at run time by the runner (`benches/runner/generate.rs`, seed {}) from the corpus and the index it loaded: {} Reuters titles and, from the server, {} quotes (`/v1/quotes/export`), {} speakers (`/v1/speakers`, the most quoted first, up to the catalog's largest page) and {} topic paths (`/v1/topics`). Words are alphabetic, without stop words, drawn evenly from frequency bands; phrases are adjacent pairs of a title or quote; boolean queries are `a b`, `(a OR b) c` and `a OR b`; prefixes are 4–6 letters of a word; facet queries add the speaker, topic and source (or month) facets; quote-speaker queries are catalog speakers alone or with a word of their quotes; topic queries are topic paths alone or with a word; deep pages are page 5–50 of a common word, two words or a quote search, fetched with the cursor found before the run. Of {} candidates, the first {} of each class that find something are kept, and the whole set is shuffled: every run goes round it from its own offset per client, so repeats do not help. The set is written to `bench-out/queries.json` (`verbatim-bench profile-queries` reads it).\n", sources.seed, sources.titles, sources.quotes, sources.speakers, sources.topics, sources.candidates, sources.per_class);
        }
        let _ = writeln!(md, "No result cache in the measured path: neither `verbatim::search` nor the HTTP layer keeps answers. What is kept between searches is derived from the index and does not depend on the query: per-segment decoded keyword dictionaries, the languages of a searcher generation, the speaker registry and the statement table (`indexing::cache`), and tantivy's own per-segment caches (decompressed store blocks). OpenSearch runs with its request cache off.\n");
        let _ = writeln!(md, "| class | queries | distinct | examples |");
        let _ = writeln!(md, "|---|---:|---:|---|");
        for class in CLASSES {
            let of_class: Vec<&BenchQuery> =
                self.queries.iter().filter(|q| q.class == *class).collect();
            let distinct: std::collections::HashSet<String> =
                of_class.iter().map(|q| q.path()).collect();
            let examples: Vec<String> = of_class
                .iter()
                .take(3)
                .map(|q| q.label().replace('|', "\\|"))
                .collect();
            let _ = writeln!(
                md,
                "| {class} | {} | {} | {} |",
                of_class.len(),
                distinct.len(),
                examples.join("; ")
            );
        }
        md
    }

    /// The report as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# Benchmarks\n");
        let _ = writeln!(
            md,
            "Generated by `benches/run.sh` (the `verbatim-bench` runner) in **one run**, so every \
             ratio below compares figures measured side by side on the same machine at the same \
             time. Do not edit by hand: re-run the command below.\n"
        );
        if self.quick {
            let _ = writeln!(md, "> **Quick run** (`--quick`): short runs to check the tooling; figures are indicative only.\n");
        }
        let _ = writeln!(md, "## Run\n");
        let _ = writeln!(md, "- Command: `{}`", self.command_line);
        let _ = writeln!(md, "- Started: {}", self.started);
        let _ = writeln!(md, "- Commit: `{}`", shell("git rev-parse --short HEAD 2>/dev/null; git status --porcelain 2>/dev/null | grep -q . && echo '(with uncommitted changes)'").replace('\n', " "));
        let _ = writeln!(
            md,
            "- Machine: {}, {} cores, {} RAM; {}",
            shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"),
            shell("nproc"),
            shell("free -h | awk '/Mem:/ {print $2}'"),
            shell("uname -sr")
        );
        let _ = writeln!(
            md,
            "- Toolchain: {}; {}",
            shell("rustc --version"),
            shell("java -version 2>&1 | head -1")
        );
        let _ = writeln!(
            md,
            "- Load average (1, 5, 15 min) at start: {}; at end: {}",
            self.machine_before, self.machine_after
        );
        let _ = writeln!(md, "- Corpus: {}", self.corpus);
        let _ = writeln!(md, "- Verbatim writer: {}\n", self.writer);

        let _ = writeln!(md, "## Targets\n");
        let _ = writeln!(md, "| target | measured | wanted | met | margin |");
        let _ = writeln!(md, "|---|---:|---:|:---:|---:|");
        for target in self.targets() {
            let met = match target.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "–",
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                target.name, target.measured, target.wanted, met, target.margin
            );
        }

        let _ = writeln!(md, "\n## Extraction alone (Reuters)\n");
        if let Some(extraction) = self.extraction {
            let _ = writeln!(md, "`Analyzer::analyze` (language, quotes, speakers, topics) over every article, already parsed: **{:.1} MB/s** on one thread, **{:.1} MB/s** on all cores ({} quotes found). `cargo bench --bench pipeline` measures the same on the checked-in fixture.\n", extraction.single_thread, extraction.all_threads, extraction.quotes);
        }

        let _ = writeln!(md, "## Indexing (Reuters)\n");
        let _ = writeln!(
            md,
            "| system | articles | articles/s | MB/s | × raw tantivy | index ÷ text | peak RSS |"
        );
        let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|");
        let raw = self.raw_tantivy.map(|r| r.articles_per_second());
        let mut row = |name: &str, run: &IndexingRun| {
            let _ = writeln!(
                md,
                "| {name} | {} | {:.0} | {:.2} | {} | {:.2} | {} |",
                run.articles,
                run.articles_per_second(),
                run.megabytes_per_second(),
                raw.map_or("–".into(), |r| format!(
                    "{:.2}",
                    run.articles_per_second() / r
                )),
                run.disk_bytes as f64 / run.text_bytes.max(1) as f64,
                run.peak_rss.map_or("–".into(), mb),
            );
        };
        if let Some(run) = &self.raw_tantivy {
            row(
                "raw tantivy 0.27 (plain schema, same analyzer, no extraction, in process)",
                run,
            );
        }
        if let Some(run) = &self.import {
            row("`verbatim import` (with extraction)", run);
        }
        if let Some(run) = &self.http_bulk {
            row(
                "HTTP `POST /v1/articles/bulk`, 4 clients × 1,000 lines (server RSS)",
                run,
            );
        }
        for peer in &self.peers {
            if let Some(run) = &peer.indexing {
                row(&peer.name, run);
            }
        }
        if let Some(ms_visible) = self.time_to_searchable_ms {
            let _ = writeln!(md, "\nTime to searchable: a new article sent with `POST /v1/articles` is found by `GET /v1/search` **{ms_visible:.1} ms** (median) after it was sent; the answer to the POST itself follows the commit and reader reload. Each probe is deleted once found, so the query set and every total are the corpus's alone. Server peak RSS over the bulk load and all query runs: {}.", self.server_peak_rss.map_or("–".into(), mb));
        }

        let _ = writeln!(
            md,
            "\n## Queries over HTTP and in process (Reuters, top 10, exact totals)\n"
        );
        let _ = writeln!(md, "Latencies in ms. HTTP: `verbatim serve` (default settings) with keep-alive clients on loopback, closed loop. In process, one thread: `verbatim::search::search` (stored JSON and snippets, no HTTP), and tantivy alone on the same compiled query (top 10 + count + facet counts, no stored documents).\n");
        let _ = writeln!(md, "| class | HTTP p50 c=1 | HTTP p99 c=1 | in-process search p50 | tantivy p50 | HTTP ÷ tantivy |");
        let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
        let one = self.http(1);
        let mut class_row = |label: &str, pick: &dyn Fn(usize) -> bool| {
            let http = one.map(|r| r.all.sorted_where(pick)).unwrap_or_default();
            let verbatim = self
                .in_process
                .as_ref()
                .map(|r| r.verbatim.sorted_where(pick))
                .unwrap_or_default();
            let tantivy = self
                .in_process
                .as_ref()
                .map(|r| r.tantivy.sorted_where(pick))
                .unwrap_or_default();
            let (h, t) = (quantile_ms(&http, 0.5), quantile_ms(&tantivy, 0.5));
            let _ = writeln!(
                md,
                "| {label} | {} | {} | {} | {} | {} |",
                ms(h),
                ms(quantile_ms(&http, 0.99)),
                ms(quantile_ms(&verbatim, 0.5)),
                ms(t),
                if h.is_nan() || t.is_nan() {
                    "–".into()
                } else {
                    format!("{:.2}", h / t)
                }
            );
        };
        for class in CLASSES {
            class_row(class, &|i| {
                self.queries.get(i).is_some_and(|q| q.class == *class)
            });
        }
        class_row("**all**", &|_| true);
        if let Some(floor) = &self.http_floor {
            let _ = writeln!(md, "\nThe floor of an HTTP round trip on this machine at that moment: `GET /health` (no search) p50 {} ms, p99 {} ms at c=1.", ms(quantile_ms(&floor.all_sorted(), 0.5)), ms(quantile_ms(&floor.all_sorted(), 0.99)));
        }

        let _ = writeln!(md, "\n### Concurrency (HTTP)\n");
        let _ = writeln!(
            md,
            "| clients | QPS (all) | p50 | p99 | QPS (text classes) | p50 | p99 | errors |"
        );
        let _ = writeln!(md, "|---:|---:|---:|---:|---:|---:|---:|---:|");
        for run in &self.http_queries {
            let (all, text) = (run.all.all_sorted(), run.text.all_sorted());
            let _ = writeln!(
                md,
                "| {} | {:.0} | {} | {} | {:.0} | {} | {} | {} |",
                run.concurrency,
                run.all.qps(),
                ms(quantile_ms(&all, 0.5)),
                ms(quantile_ms(&all, 0.99)),
                run.text.qps(),
                ms(quantile_ms(&text, 0.5)),
                ms(quantile_ms(&text, 0.99)),
                run.all.errors + run.text.errors
            );
        }
        let _ = writeln!(md, "\nThe load generator runs on the same 2 cores as the server, so at 8 and 32 clients it takes CPU from it.");

        if let Some(inproc) = self.in_process.as_ref().filter(|r| !r.text.is_empty()) {
            let _ = writeln!(md, "\n### Text classes in process (`verbatim::search`)\n");
            let _ = writeln!(md, "`verbatim::search::search` (stored JSON and snippets, no HTTP) on the index `verbatim import` wrote, threads sharing one store, over the text classes (term, phrase, boolean, prefix) — what the peers run, in process too.\n");
            let _ = writeln!(md, "| threads | requests | QPS | p50 ms | p99 ms |");
            let _ = writeln!(md, "|---:|---:|---:|---:|---:|");
            for (threads, run) in &inproc.text {
                let sorted = run.all_sorted();
                let _ = writeln!(
                    md,
                    "| {threads} | {} | {:.0} | {} | {} |",
                    run.requests(),
                    run.qps(),
                    ms(quantile_ms(&sorted, 0.5)),
                    ms(quantile_ms(&sorted, 0.99))
                );
            }
        }

        if !self.peers.is_empty() {
            let _ = writeln!(md, "\n## Peers (Reuters, text classes)\n");
            let _ = writeln!(md, "Same documents (id, title, body), title and body searched with title weighted 2, stemmed English analysis, every clause required (AND), top 10 by BM25 with the exact total and each hit's stored id; the same text queries in the same order (the text classes of the query set below), each driver going round the list from its own offset per thread. Peers run **in process** (no HTTP); Verbatim both in process (`verbatim::search`, stored JSON and snippets) and over HTTP. Each engine commits once at the end of its load; Verbatim's import also extracts quotes, speakers and topics.\n");
            let _ = writeln!(
                md,
                "| system | clients | requests | QPS | p50 ms | p99 ms |"
            );
            let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
            for (threads, run) in self.in_process.iter().flat_map(|r| &r.text) {
                let sorted = run.all_sorted();
                let _ = writeln!(
                    md,
                    "| Verbatim in process (`verbatim::search`) | {threads} | {} | {:.0} | {} | {} |",
                    run.requests(),
                    run.qps(),
                    ms(quantile_ms(&sorted, 0.5)),
                    ms(quantile_ms(&sorted, 0.99))
                );
            }
            for run in &self.http_queries {
                let text = run.text.all_sorted();
                let _ = writeln!(
                    md,
                    "| Verbatim over HTTP | {} | {} | {:.0} | {} | {} |",
                    run.concurrency,
                    run.text.requests(),
                    run.text.qps(),
                    ms(quantile_ms(&text, 0.5)),
                    ms(quantile_ms(&text, 0.99))
                );
            }
            for peer in &self.peers {
                match &peer.skipped {
                    Some(reason) => {
                        let _ = writeln!(
                            md,
                            "| {} | skipped: {} | | | | |",
                            peer.name,
                            reason.replace('|', "/").lines().next().unwrap_or("")
                        );
                    }
                    None => {
                        for run in &peer.queries {
                            let _ = writeln!(
                                md,
                                "| {} | {} | {} | {:.0} | {} | {} |",
                                peer.name,
                                run.concurrency,
                                run.requests,
                                run.qps,
                                ms(run.p50_ms),
                                ms(run.p99_ms)
                            );
                        }
                    }
                }
            }
        }

        if let Some(comparison) = &self.opensearch {
            md.push_str(&self.opensearch_markdown(comparison));
        }

        if let Some(scale) = &self.scale {
            let run = &scale.indexing;
            let _ = writeln!(md, "\n## Scale: {} generated articles\n", scale.articles);
            let _ = writeln!(md, "Variants of the BBC and Reuters articles (new ids, paragraphs after the lead shuffled, dates spread over 1990–2024), {:.0} MB of title + body. `verbatim import`: **{:.0} articles/s** ({:.2} MB/s), peak RSS **{}** of which at most **{}** anonymous (the rest is pages of memory-mapped index segments, read while merging: page cache the kernel reclaims), index {:.2}× the text.\n", run.text_bytes as f64 / 1e6, run.articles_per_second(), run.megabytes_per_second(), run.peak_rss.map_or("–".into(), mb), run.peak_anonymous_rss.map_or("–".into(), mb), run.disk_bytes as f64 / run.text_bytes.max(1) as f64);
            let _ = writeln!(
                md,
                "| clients | class | requests | QPS (mix) | p50 ms | p99 ms |"
            );
            let _ = writeln!(md, "|---:|---|---:|---:|---:|---:|");
            for (concurrency, result) in &scale.runs {
                for class in ["facets", "quote-speaker"] {
                    let sorted = result
                        .sorted_where(|i| scale.queries.get(i).is_some_and(|q| q.class == class));
                    let _ = writeln!(
                        md,
                        "| {concurrency} | {class} | {} | {:.0} | {} | {} |",
                        sorted.len(),
                        result.qps(),
                        ms(quantile_ms(&sorted, 0.5)),
                        ms(quantile_ms(&sorted, 0.99))
                    );
                }
            }
        }

        md.push_str(&self.query_set_markdown());
        let _ = writeln!(md, "\n## Reproduce\n");
        let _ = writeln!(md, "```sh\nbenches/run.sh /work/shared/data/corpus            # Reuters figures, peers, 100k scale run\nbenches/run.sh /work/shared/data/corpus --scale 1000000   # the 1M-article scale run\nbenches/run.sh /work/shared/data/corpus --quick    # a short check of the tooling\ncargo bench --bench pipeline                       # criterion micro-benchmarks (fixture only)\n```");
        if let Some(separately) = &self.measured_separately {
            let _ = write!(md, "\n{separately}");
        }
        md
    }
}
