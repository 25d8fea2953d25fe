//! Analysis and indexing throughput per language, side by side: English text
//! through the English analyzer against Japanese text through lindera (and
//! Chinese through jieba), in MB/s of text. The target: Japanese within 3x of
//! English per MB. The `analyze` group runs full analysis (`Analyzer::analyze`:
//! detection skipped, quotes, speakers, enrichment) over news-style text of
//! every language with attribution rules (the extraction cases and the
//! labelled language texts), against real English articles; the target: every
//! language at 0.5x English's MB/s or better, Japanese and Chinese aside.
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
const EXTRACTION_CASES: &str = include_str!("../tests/fixtures/extraction_cases.toml");

/// The languages with attribution rules besides English.
const ATTRIBUTED: &[&str] = &[
    "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "ro", "ru", "tr", "ar", "el", "fi", "hu",
    "ta", "zh", "ja",
];

/// Articles of one language about `bytes` long in all: the language's
/// extraction cases and labelled texts, joined as paragraphs, about 2 KB an
/// article.
fn articles_of(language: &str, bytes: usize) -> Vec<String> {
    let cases: toml::Value = toml::from_str(EXTRACTION_CASES).unwrap();
    let mut paragraphs: Vec<String> = cases["case"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| case.get("language").and_then(|l| l.as_str()) == Some(language))
        .map(|case| case["text"].as_str().unwrap().to_owned())
        .collect();
    paragraphs.extend(
        LABELLED_TEXTS
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .filter(|value| value["language"] == language)
            .map(|value| value["text"].as_str().unwrap().to_owned()),
    );
    assert!(!paragraphs.is_empty(), "no {language} texts");
    let mut articles = Vec::new();
    let (mut article, mut total) = (String::new(), 0);
    for paragraph in paragraphs.iter().cycle() {
        if total >= bytes {
            break;
        }
        article.push_str(paragraph);
        article.push_str("\n\n");
        total += paragraph.len() + 2;
        if article.len() >= 2048 {
            articles.push(std::mem::take(&mut article));
        }
    }
    if !article.is_empty() {
        articles.push(article);
    }
    articles
}

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

fn analysis(c: &mut Criterion) {
    let analyzer = Analyzer::with_defaults();
    let english = english_texts();
    let size: usize = english.iter().map(String::len).sum();
    let mut corpora = vec![("en", english)];
    corpora.extend(ATTRIBUTED.iter().map(|&l| (l, articles_of(l, size))));
    let mut group = c.benchmark_group("analyze");
    group.sample_size(10);
    for (language, texts) in &corpora {
        let articles: Vec<_> = texts
            .iter()
            .enumerate()
            .map(|(n, text)| {
                let json = serde_json::json!({"id": format!("{language}-{n}"), "title": "", "body": text, "language": language});
                parse_article(json.to_string().as_bytes(), ArticleLimits { max_article_bytes: 1 << 24 }).unwrap()
            })
            .collect();
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(*language, |b| {
            b.iter(|| {
                articles
                    .iter()
                    .map(|article| analyzer.analyze(article).quotes.len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, tokenization, indexing, analysis);
criterion_main!(benches);
