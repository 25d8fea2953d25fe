//! Micro-benchmarks of the ingest and query path on the checked-in fixture
//! articles: extraction alone (MB/s of article text), preparing documents
//! (extraction + document building), indexing into tantivy with and without
//! extraction, and searches on a small index. The whole-system figures (real
//! corpus, HTTP, peers) come from `benches/run.sh`; see BENCHMARKS.md.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use tantivy::indexer::UserOperation;
use verbatim::analysis::tokenizers::LanguageAnalyzers;
use verbatim::analysis::Analyzer;
use verbatim::config::Settings;
use verbatim::http::params::search_request_from_query;
use verbatim::indexing::IndexStore;
use verbatim::ingest::{parse_article, prepare_article, ArticleLimits};
use verbatim::model::Article;
use verbatim::search::{search, SearchLimits, Target};

const ARTICLES: &str = include_str!("../tests/fixtures/articles.ndjson");

fn articles() -> Vec<Article> {
    let limits = ArticleLimits {
        max_article_bytes: 1 << 24,
    };
    ARTICLES
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| parse_article(line.as_bytes(), limits).expect("valid fixture"))
        .collect()
}

fn text_bytes(articles: &[Article]) -> u64 {
    articles
        .iter()
        .map(|a| (a.title.len() + a.body.len()) as u64)
        .sum()
}

fn extraction(c: &mut Criterion) {
    let analyzer = Analyzer::with_defaults();
    let articles = articles();
    let mut group = c.benchmark_group("extraction");
    group.throughput(Throughput::Bytes(text_bytes(&articles)));
    group.bench_function("analyze", |b| {
        b.iter(|| {
            let quotes: usize = articles
                .iter()
                .map(|article| analyzer.analyze(article).quotes.len())
                .sum();
            assert!(quotes > 10, "the fixture has quotes");
            quotes
        })
    });
    let store_dir = tempfile::tempdir().expect("temp dir");
    let store = IndexStore::open_or_create(
        store_dir.path(),
        Arc::new(LanguageAnalyzers::without_dictionaries()),
    )
    .expect("index");
    group.bench_function("prepare_documents", |b| {
        b.iter(|| {
            let documents: usize = articles
                .iter()
                .map(|article| {
                    prepare_article(&analyzer, store.fields(), article.clone())
                        .documents
                        .len()
                })
                .sum();
            assert!(documents > articles.len());
            documents
        })
    });
    group.finish();
}

fn indexing(c: &mut Criterion) {
    let analyzers = Arc::new(LanguageAnalyzers::without_dictionaries());
    let analyzer = Analyzer::with_defaults();
    let articles = articles();
    let mut group = c.benchmark_group("indexing");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text_bytes(&articles)));
    group.bench_function("verbatim_documents", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("temp dir");
                let store =
                    IndexStore::open_or_create(dir.path(), analyzers.clone()).expect("index");
                (dir, store)
            },
            |(_dir, store)| {
                let mut writer = store
                    .index()
                    .writer_with_num_threads::<tantivy::TantivyDocument>(1, 50_000_000)
                    .expect("writer");
                for article in &articles {
                    let prepared = prepare_article(&analyzer, store.fields(), article.clone());
                    writer
                        .run(prepared.documents.into_iter().map(UserOperation::Add))
                        .expect("indexed");
                }
                writer.commit().expect("committed");
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// A named search: target and request parameters.
type SearchCase = (
    &'static str,
    Target,
    &'static [(&'static str, &'static str)],
);

fn searching(c: &mut Criterion) {
    let settings = Settings::built_in();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = IndexStore::open_or_create(
        dir.path(),
        Arc::new(LanguageAnalyzers::without_dictionaries()),
    )
    .expect("index");
    let analyzer = Analyzer::with_defaults();
    {
        let mut writer = store
            .index()
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 50_000_000)
            .expect("writer");
        for article in articles() {
            let prepared = prepare_article(&analyzer, store.fields(), article);
            writer
                .run(prepared.documents.into_iter().map(UserOperation::Add))
                .expect("indexed");
        }
        writer.commit().expect("committed");
        store.reader().reload().expect("reloaded");
    }
    let limits = SearchLimits::from_settings(&settings.search);
    let cases: [SearchCase; 4] = [
        ("term", Target::Articles, &[("q", "china")]),
        ("phrase", Target::Articles, &[("q", "\"foreign minister\"")]),
        (
            "facets",
            Target::Articles,
            &[("q", "china"), ("facets", "speaker,topic,source")],
        ),
        ("quotes_prefix", Target::Quotes, &[("q", "negot*")]),
    ];
    let mut group = c.benchmark_group("search");
    for (name, target, parameters) in cases {
        let query = serde_html_form::to_string(parameters).expect("parameters encode");
        let request =
            search_request_from_query(target, &query, &settings.search).expect("valid request");
        group.bench_function(name, |b| {
            b.iter(|| {
                let results = search(&store, &request, limits).expect("search");
                assert!(results.total > 0, "{name} finds something");
                results.total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, extraction, indexing, searching);
criterion_main!(benches);
