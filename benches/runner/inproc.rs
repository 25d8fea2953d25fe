//! In-process measurements: extraction alone, raw tantivy indexing (our
//! limit for ingest), and queries run without HTTP, both through
//! `verbatim::search` and as tantivy collectors straight on the compiled
//! queries (our limit for the query path).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use rayon::prelude::*;
use serde::Deserialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{
    IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::{Index, IndexWriter, TantivyDocument};

use verbatim::analysis::tokenizers::LanguageAnalyzers;
use verbatim::analysis::Analyzer;
use verbatim::config::Settings;
use verbatim::http::params::search_request_from_query;
use verbatim::indexing::writer::WriterOptions;
use verbatim::indexing::IndexStore;
use verbatim::ingest::{parse_article, ArticleLimits};
use verbatim::search::{compile_search, search, SearchLimits, SearchRequest, Target};

use crate::load::{run_load, LoadBounds, LoadResult};
use crate::queries::BenchQuery;

/// Throughput of one indexing run.
#[derive(Debug, Clone, Copy, Default)]
pub struct IndexingRun {
    /// Articles indexed.
    pub articles: usize,
    /// Bytes of title + body indexed.
    pub text_bytes: u64,
    /// Wall time, from the first byte read to the commit.
    pub seconds: f64,
    /// Index size on disk.
    pub disk_bytes: u64,
    /// Peak RSS of the process that indexed, when known.
    pub peak_rss: Option<u64>,
    /// Its peak anonymous RSS (heap; the pages of memory-mapped index files
    /// excluded), when known.
    pub peak_anonymous_rss: Option<u64>,
}

impl IndexingRun {
    /// Articles per second.
    pub fn articles_per_second(&self) -> f64 {
        self.articles as f64 / self.seconds.max(1e-9)
    }

    /// MB (10^6 bytes) of title + body per second.
    pub fn megabytes_per_second(&self) -> f64 {
        self.text_bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }
}

/// Extraction throughput.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractionRun {
    /// MB/s on one thread.
    pub single_thread: f64,
    /// MB/s on every core (rayon).
    pub all_threads: f64,
    /// Quotes found.
    pub quotes: usize,
}

/// Times `Analyzer::analyze` (language, quotes, speakers, topics) over the
/// articles of `corpus`, on one thread and on all cores.
pub fn measure_extraction(corpus: &Path, analyzer: &Analyzer) -> anyhow::Result<ExtractionRun> {
    let limits = ArticleLimits {
        max_article_bytes: usize::MAX,
    };
    let articles: Vec<_> = read_lines(corpus)?
        .par_iter()
        .filter_map(|line| parse_article(line.as_bytes(), limits).ok())
        .collect();
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let started = Instant::now();
    let quotes: usize = articles
        .iter()
        .map(|article| analyzer.analyze(article).quotes.len())
        .sum();
    let single = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let parallel_quotes: usize = articles
        .par_iter()
        .map(|article| analyzer.analyze(article).quotes.len())
        .sum();
    let parallel = started.elapsed().as_secs_f64();
    anyhow::ensure!(quotes == parallel_quotes, "extraction is not deterministic");
    Ok(ExtractionRun {
        single_thread: bytes as f64 / 1e6 / single,
        all_threads: bytes as f64 / 1e6 / parallel,
        quotes,
    })
}

/// Every non-empty line of a file.
pub fn read_lines(path: &Path) -> anyhow::Result<Vec<String>> {
    let reader = BufReader::with_capacity(
        1 << 20,
        File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
    );
    let mut lines = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if !line.trim().is_empty() {
            lines.push(line);
        }
    }
    Ok(lines)
}

#[derive(Deserialize)]
struct PlainArticle {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    topics: Option<Vec<String>>,
}

/// Lines read and parsed together, as `verbatim import` does.
const CHUNK_LINES: usize = 2048;

/// Indexes `corpus` into a plain tantivy schema (id; title and body with the
/// same English analyzer Verbatim uses, stored; source and topics as fast
/// keyword columns), without extraction or HTTP, with the writer settings
/// `verbatim import` uses. Parsing runs in parallel chunks like the import.
pub fn index_raw_tantivy(
    corpus: &Path,
    dir: &Path,
    analyzers: &LanguageAnalyzers,
    options: WriterOptions,
) -> anyhow::Result<IndexingRun> {
    let mut builder = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("verbatim_en")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let keyword = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
        .set_fast("raw");
    let id = builder.add_text_field("id", STRING | STORED);
    let title = builder.add_text_field("title", text.clone());
    let body = builder.add_text_field("body", text);
    let source = builder.add_text_field("source", keyword.clone());
    let topic = builder.add_text_field("topic", keyword);
    let key = builder.add_u64_field("key", NumericOptions::default().set_fast());
    let schema = builder.build();
    let index = Index::create_in_dir(dir, schema)?;
    analyzers.register(index.tokenizers());
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(options.threads, options.memory_bytes)?;

    let started = Instant::now();
    let reader = BufReader::with_capacity(1 << 20, File::open(corpus)?);
    let mut lines = reader.lines();
    let mut articles = 0;
    let mut text_bytes = 0u64;
    loop {
        let chunk: Vec<String> = lines.by_ref().take(CHUNK_LINES).collect::<Result<_, _>>()?;
        if chunk.is_empty() {
            break;
        }
        let documents: Vec<(u64, TantivyDocument)> = chunk
            .par_iter()
            .filter_map(|line| serde_json::from_str::<PlainArticle>(line).ok())
            .map(|article| {
                let mut document = TantivyDocument::default();
                document.add_text(id, &article.id);
                document.add_text(title, &article.title);
                document.add_text(body, &article.body);
                if let Some(value) = &article.source {
                    document.add_text(source, value);
                }
                for value in article.topics.iter().flatten() {
                    document.add_text(topic, value);
                }
                document.add_u64(key, xxhash_rust::xxh3::xxh3_64(article.id.as_bytes()));
                ((article.title.len() + article.body.len()) as u64, document)
            })
            .collect();
        for (bytes, document) in documents {
            writer.add_document(document)?;
            text_bytes += bytes;
            articles += 1;
        }
    }
    writer.commit()?;
    let seconds = started.elapsed().as_secs_f64();
    writer.wait_merging_threads()?;
    Ok(IndexingRun {
        articles,
        text_bytes,
        seconds,
        disk_bytes: crate::process::dir_bytes(dir),
        peak_rss: None,
        peak_anonymous_rss: None,
    })
}

/// Per-query latencies of in-process runs on Verbatim's own index.
pub struct InProcessQueries {
    /// Through `verbatim::search::search` (hits with stored JSON and snippets).
    pub verbatim: LoadResult,
    /// Tantivy alone: the compiled query with top-10, exact count and the
    /// requested facet counts, no stored documents read.
    pub tantivy: LoadResult,
    /// The text classes (what peers run) through `verbatim::search::search`
    /// by threads: the figure compared with the peers' in-process QPS. Items
    /// index the text queries in set order.
    pub text: Vec<(usize, LoadResult)>,
}

/// Runs every query in-process on one thread, bounded in count and time:
/// through `verbatim::search` (unless `tantivy_only`), then tantivy alone;
/// then the text classes through `verbatim::search` at each of
/// `text_bounds` (its threads, requests and time).
pub fn run_in_process_queries(
    index_dir: &Path,
    analyzers: Arc<LanguageAnalyzers>,
    settings: &Settings,
    queries: &[BenchQuery],
    bounds: LoadBounds,
    text_bounds: &[LoadBounds],
    tantivy_only: bool,
) -> anyhow::Result<InProcessQueries> {
    let store = IndexStore::open_existing(index_dir, analyzers)?;
    let limits = SearchLimits::from_settings(&settings.search);
    let requests: Vec<SearchRequest> = queries
        .iter()
        .map(|query| {
            let target = if query.target == "quotes" {
                Target::Quotes
            } else {
                Target::Articles
            };
            search_request_from_query(target, &query.query_string(), &settings.search)
                .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))
        })
        .collect::<anyhow::Result<_>>()?;
    for request in &requests {
        search(&store, request, limits)?;
    }
    let verbatim = if tantivy_only {
        LoadResult::default()
    } else {
        run_load(requests.len(), bounds, || {
            let store = &store;
            let requests = &requests;
            Ok(move |item: usize| search(store, &requests[item], limits).is_ok())
        })?
    };
    let tantivy = run_load(requests.len(), bounds, || {
        let store = &store;
        let requests = &requests;
        Ok(move |item: usize| tantivy_direct(store, &requests[item], limits).is_ok())
    })?;
    let text_requests: Vec<&SearchRequest> = queries
        .iter()
        .zip(&requests)
        .filter(|(query, _)| query.for_peers())
        .map(|(_, request)| request)
        .collect();
    let mut text = Vec::new();
    if !text_requests.is_empty() {
        for bounds in text_bounds {
            let result = run_load(text_requests.len(), *bounds, || {
                let store = &store;
                let requests = &text_requests;
                Ok(move |item: usize| search(store, requests[item], limits).is_ok())
            })?;
            text.push((bounds.concurrency, result));
        }
    }
    Ok(InProcessQueries {
        verbatim,
        tantivy,
        text,
    })
}

/// tantivy on the compiled query: top hits (by score, after the cursor),
/// exact count and facet counts, as the search-benchmark-game measures
/// (no stored documents).
fn tantivy_direct(
    store: &IndexStore,
    request: &SearchRequest,
    limits: SearchLimits,
) -> anyhow::Result<usize> {
    let searcher = store.searcher();
    let compiled = compile_search(store, &searcher, request, limits)?;
    if request.cursor.is_some() {
        let (top, count, _) = searcher.search(
            &compiled.full_query,
            &(compiled.top, Count, compiled.facets),
        )?;
        return Ok(top.len() + count);
    }
    let (top, count, _) = searcher.search(
        &compiled.full_query,
        &(
            TopDocs::with_limit(request.limit.max(1)).order_by_score(),
            Count,
            compiled.facets,
        ),
    )?;
    Ok(top.len() + count)
}

/// Bounds for in-process runs.
pub fn in_process_bounds(quick: bool) -> LoadBounds {
    LoadBounds {
        concurrency: 1,
        max_requests: if quick { 2_000 } else { 20_000 },
        max_duration: Duration::from_secs(if quick { 3 } else { 10 }),
    }
}
