//! Enrichment cost against quote extraction, side by side on the same texts:
//! `extraction` runs quote extraction alone; `extraction+enrichment` runs it
//! and then entities, topics, key phrases and quote subjects
//! (`Analyzer::enrich`). Target: enrichment adds at most 30% to extraction.
//!
//! The texts are the sample articles of the integration tests (the seed
//! article, BBC and Reuters articles), built in with `include_str!`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use verbatim::analysis::{extract_quotes, Analyzer};

const ARTICLES_NDJSON: &str = include_str!("../tests/fixtures/articles.ndjson");

fn articles() -> Vec<(String, String)> {
    ARTICLES_NDJSON
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("fixture line");
            (
                value["title"].as_str().unwrap_or_default().to_owned(),
                value["body"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn enrichment(c: &mut Criterion) {
    let analyzer = Analyzer::with_defaults();
    let articles = articles();
    let bytes: usize = articles.iter().map(|(t, b)| t.len() + b.len()).sum();
    let mut group = c.benchmark_group("enrichment");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("extraction", |b| {
        b.iter(|| {
            let mut found = 0;
            for (_, body) in &articles {
                found += extract_quotes(black_box(body), "en", analyzer.aliases())
                    .quotes
                    .len();
            }
            assert!(found > 0);
            found
        })
    });
    group.bench_function("extraction+enrichment", |b| {
        b.iter(|| {
            let (mut found, mut entities, mut topics) = (0, 0, 0);
            for (title, body) in &articles {
                let mut extraction = extract_quotes(black_box(body), "en", analyzer.aliases());
                let enrichment = analyzer.enrich(title, body, "en", &mut extraction);
                assert_eq!(enrichment.quote_subjects.len(), extraction.quotes.len());
                found += extraction.quotes.len();
                entities += enrichment.entities.len();
                topics += enrichment.topics.len();
            }
            assert!(found > 0 && entities > 0 && topics > 0);
            found
        })
    });
    group.finish();
}

criterion_group!(benches, enrichment);
criterion_main!(benches);
