//! Analysis and indexing throughput per language, side by side: English text
//! through the English analyzer against Japanese text through lindera (and
//! Chinese through jieba), in MB/s of text. The target: Japanese within 3x of
//! English per MB.
//!
//! Needs Debian's mecab-ipadic (the dictionary is built once into the temp dir).

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::path::Path;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use tantivy::indexer::UserOperation;
use tantivy::tokenizer::TokenStream;
use verbatim::analysis::tokenizers::japanese::{
    build_ipadic, dictionary_is_built, load_ipadic, DEBIAN_IPADIC_SOURCE,
};
use verbatim::analysis::tokenizers::LanguageAnalyzers;
use verbatim::analysis::Analyzer;
use verbatim::indexing::IndexStore;
use verbatim::ingest::{parse_article, prepare_article, ArticleLimits};

const ENGLISH_ARTICLES: &str = include_str!("../tests/fixtures/articles.ndjson");
const LABELLED_TEXTS: &str = include_str!("../tests/fixtures/languages.ndjson");

/// Texts of one language from the labelled fixture, repeated to about `bytes`.
fn texts_of(language: &str, bytes: usize) -> Vec<String> {
    let texts: Vec<String> = LABELLED_TEXTS
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|value| value["language"] == language)
        .map(|value| value["text"].as_str().unwrap().to_owned())
        .collect();
    assert!(!texts.is_empty(), "no {language} texts");
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        for text in &texts {
            total += text.len();
            out.push(text.clone());
        }
    }
    out
}

fn english_texts() -> Vec<String> {
    ENGLISH_ARTICLES
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .map(|value| value["body"].as_str().unwrap().to_owned())
        .collect()
}

fn analyzers() -> LanguageAnalyzers {
    let dir = std::env::temp_dir()
        .join("verbatim-test-dictionaries")
        .join("ipadic");
    if !dictionary_is_built(&dir) {
        build_ipadic(Path::new(DEBIAN_IPADIC_SOURCE), &dir).expect("apt-get install mecab-ipadic");
    }
    LanguageAnalyzers::new(Some((load_ipadic(&dir).unwrap(), dir)))
}

fn tokenization(c: &mut Criterion) {
    let analyzers = analyzers();
    let english = english_texts();
    let size = english.iter().map(String::len).sum();
    let corpora = [
        ("en", english),
        ("ja", texts_of("ja", size)),
        ("zh", texts_of("zh", size)),
    ];
    let mut group = c.benchmark_group("tokenize");
    for (language, texts) in &corpora {
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        let mut analyzer = analyzers.analyzer(language);
        group.bench_function(*language, |b| {
            b.iter(|| {
                let mut tokens = 0;
                for text in texts {
                    let mut stream = analyzer.token_stream(text);
                    while stream.advance() {
                        tokens += 1;
                    }
                }
                assert!(tokens > 100);
                tokens
            })
        });
    }
    group.finish();
}

fn indexing(c: &mut Criterion) {
    let analyzers = Arc::new(analyzers());
    let analyzer = Analyzer::with_defaults();
    let english = english_texts();
    let size = english.iter().map(String::len).sum();
    let corpora = [("en", english), ("ja", texts_of("ja", size))];
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    for (language, texts) in &corpora {
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(*language, |b| {
            b.iter_batched(
                || {
                    let dir = tempfile::tempdir().unwrap();
                    let store = IndexStore::open_or_create(dir.path(), analyzers.clone()).unwrap();
                    (dir, store)
                },
                |(dir, store)| {
                    let mut writer = store
                        .index()
                        .writer_with_num_threads::<tantivy::TantivyDocument>(1, 50_000_000)
                        .unwrap();
                    for (n, text) in texts.iter().enumerate() {
                        let json = serde_json::json!({"id": format!("{language}-{n}"), "title": "", "body": text, "language": language});
                        let article = parse_article(json.to_string().as_bytes(), ArticleLimits { max_article_bytes: 1 << 24 }).unwrap();
                        let prepared = prepare_article(&analyzer, store.fields(), article);
                        writer.run(prepared.documents.into_iter().map(UserOperation::Add)).unwrap();
                    }
                    writer.commit().unwrap();
                    drop(dir);
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, tokenization, indexing);
criterion_main!(benches);
