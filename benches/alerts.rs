//! Ingest throughput with 0, 1,000 and 10,000 saved searches.
//!
//! Articles of a real corpus (`VERBATIM_ALERTS_CORPUS`, default
//! `/work/shared/data/corpus/bbc.ndjson`, else the fixture articles) are
//! ingested through the writer in batches of 100 (one commit each), as a
//! bulk load does, with the alert matcher attached. Alerts are a mix drawn
//! from the quotes of the corpus: a speaker filter (40%), a narrow topic
//! filter (20%), a word of 6+ letters of a quote (20%), a two-word phrase of a quote (10%), a
//! speaker and a word (10%). The clock stops when the writer has committed
//! everything *and* the matcher has matched every batch. Two figures per
//! setting: the whole ingest (analysis included) and indexing alone
//! (documents prepared beforehand), where matching weighs most.
//!
//! `cargo bench --bench alerts` (`VERBATIM_ALERTS_ARTICLES=N` changes the
//! number of articles, 2,000 by default; `VERBATIM_ALERTS_COUNTS=0,10000`
//! the numbers of alerts, `VERBATIM_ALERTS_MODES=ingest|indexing` keeps one
//! mode: for profiling one setting).

#![allow(missing_docs)]

use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};
use verbatim::alerts::AlertStore;
use verbatim::analysis::tokenizers::LanguageAnalyzers;
use verbatim::analysis::Analyzer;
use verbatim::config::Settings;
use verbatim::http::alert_matcher;
use verbatim::indexing::writer::{Durability, WriteOp, WriterOptions};
use verbatim::indexing::{IndexStore, IndexWriterHandle, PreparedArticle};
use verbatim::ingest::{parse_article, prepare_article, ArticleLimits};
use verbatim::model::Article;

const BATCH: usize = 100;

fn analyzers() -> Arc<LanguageAnalyzers> {
    Arc::new(LanguageAnalyzers::without_dictionaries())
}

fn corpus() -> Vec<Article> {
    let path = std::env::var("VERBATIM_ALERTS_CORPUS")
        .unwrap_or_else(|_| "/work/shared/data/corpus/bbc.ndjson".to_owned());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| include_str!("../tests/fixtures/articles.ndjson").to_owned());
    let wanted: usize = std::env::var("VERBATIM_ALERTS_ARTICLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let limits = ArticleLimits {
        max_article_bytes: 1 << 24,
    };
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| parse_article(line.as_bytes(), limits).ok())
        .take(wanted)
        .collect()
}

/// `count` alert queries drawn from the quotes of `articles`.
fn alert_queries(analyzer: &Analyzer, articles: &[Article], count: usize) -> Vec<Value> {
    let mut speakers = Vec::new();
    let mut topics = Vec::new();
    let mut words = Vec::new();
    let mut phrases = Vec::new();
    for article in articles.iter().step_by(3) {
        let analysis = analyzer.analyze(article);
        for quote in &analysis.quotes {
            if let Some(speaker) = &quote.speaker {
                speakers.push(speaker.clone());
            }
            let tokens: Vec<String> = quote
                .quote
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() >= 6)
                .map(str::to_lowercase)
                .collect();
            if let Some(word) = tokens.first() {
                words.push(word.clone());
            }
            if tokens.len() >= 2 {
                phrases.push(format!("\"{} {}\"", tokens[0], tokens[1]));
            }
        }
        // Narrow topics (`/world/asia-pacific/taiwan`), as people follow.
        for topic in &analysis.topics {
            if topic.path.matches('/').count() >= 3 {
                topics.push(topic.path.clone());
            }
        }
    }
    assert!(!speakers.is_empty() && !topics.is_empty() && !words.is_empty());
    (0..count)
        .map(|i| match i % 10 {
            0..=3 => json!({"speaker": speakers[i % speakers.len()]}),
            4 | 5 => json!({"topic": topics[i % topics.len()]}),
            6 | 7 => json!({"q": words[i % words.len()]}),
            8 => json!({"q": phrases[i % phrases.len().max(1)]}),
            _ => json!({"speaker": speakers[(i * 7) % speakers.len()], "q": words[(i * 3) % words.len()]}),
        })
        .collect()
}

struct Run {
    seconds: f64,
    events: u64,
}

/// Ingests `articles` (analysed here when `prepared` is `None`) into a new
/// index with `queries` saved as alerts.
fn run(
    settings: &Settings,
    analyzer: &Analyzer,
    articles: &[Article],
    prepared: Option<Vec<PreparedArticle>>,
    queries: &[Value],
) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = IndexStore::open_or_create(dir.path(), analyzers()).expect("index");
    let alerts = Arc::new(AlertStore::open(dir.path()).expect("alerts"));
    // One write of alerts.json for all of them.
    alerts
        .add_many(
            queries
                .iter()
                .enumerate()
                .map(|(i, query)| (format!("alert {i}"), query.clone(), None))
                .collect(),
        )
        .expect("alerts saved");
    let (observer, matcher_thread) = alert_matcher(store.clone(), alerts.clone(), settings).spawn();
    let options = WriterOptions {
        memory_bytes: 256 << 20,
        threads: 2,
        max_ops_per_commit: 10_000,
    };
    let (writer, writer_thread) =
        IndexWriterHandle::start_observed(&store, options, Some(observer)).expect("writer");
    let started = Instant::now();
    let batches: Vec<Vec<PreparedArticle>> = match prepared {
        Some(prepared) => {
            let mut batches = Vec::new();
            let mut prepared = prepared.into_iter().peekable();
            while prepared.peek().is_some() {
                batches.push(prepared.by_ref().take(BATCH).collect());
            }
            batches
        }
        None => Vec::new(),
    };
    if batches.is_empty() {
        for chunk in articles.chunks(BATCH) {
            let prepared: Vec<PreparedArticle> = chunk
                .iter()
                .map(|article| prepare_article(analyzer, store.fields(), article.clone()))
                .collect();
            writer
                .write_blocking(WriteOp::Upsert(prepared), Durability::Commit)
                .expect("write");
        }
    } else {
        for batch in batches {
            writer
                .write_blocking(WriteOp::Upsert(batch), Durability::Commit)
                .expect("write");
        }
    }
    writer
        .write_blocking(WriteOp::Shutdown, Durability::Commit)
        .expect("shutdown");
    drop(writer);
    writer_thread.join();
    matcher_thread.join().expect("matcher");
    let seconds = started.elapsed().as_secs_f64();
    let events = alerts
        .alerts()
        .0
        .iter()
        .map(|alert| alerts.last_event_id(&alert.id).unwrap_or(0))
        .sum();
    Run { seconds, events }
}

fn main() {
    let settings = Settings::built_in();
    let analyzer = Analyzer::with_defaults();
    let articles = corpus();
    let all_queries = alert_queries(&analyzer, &articles, 10_000);
    println!(
        "alerts benchmark: {} articles, batches of {BATCH}",
        articles.len()
    );
    println!("| alerts | mode | seconds | articles/s | relative | events |");
    println!("|---|---|---|---|---|---|");
    let counts: Vec<usize> = std::env::var("VERBATIM_ALERTS_COUNTS")
        .unwrap_or_else(|_| "0,1000,10000".to_owned())
        .split(',')
        .map(|count| {
            count
                .trim()
                .parse()
                .expect("VERBATIM_ALERTS_COUNTS: numbers")
        })
        .collect();
    let modes = std::env::var("VERBATIM_ALERTS_MODES").unwrap_or_default();
    for mode in ["ingest (analysis + indexing)", "indexing only"] {
        if !modes.is_empty() && !mode.starts_with(modes.as_str()) {
            continue;
        }
        let mut baseline = None;
        for &count in &counts {
            let queries = &all_queries[..count];
            let prepared = (mode == "indexing only").then(|| {
                let store_dir = tempfile::tempdir().unwrap();
                let store = IndexStore::open_or_create(store_dir.path(), analyzers()).unwrap();
                articles
                    .iter()
                    .map(|article| prepare_article(&analyzer, store.fields(), article.clone()))
                    .collect::<Vec<_>>()
            });
            let result = run(&settings, &analyzer, &articles, prepared, queries);
            let rate = articles.len() as f64 / result.seconds;
            let baseline_rate = *baseline.get_or_insert(rate);
            println!(
                "| {count} | {mode} | {:.2} | {rate:.0} | {:.1}% | {} |",
                result.seconds,
                100.0 * rate / baseline_rate,
                result.events
            );
            if count > 0 {
                assert!(result.events > 0, "alerts drawn from the corpus fire");
            }
        }
    }
}
