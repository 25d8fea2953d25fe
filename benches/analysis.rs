//! Benchmarks of quote and speaker extraction (`analysis::extract_quotes`)
//! on the seed article and on three PolNeAR articles, with throughput in
//! bytes. Each iteration checks what it found, so a broken extractor cannot
//! look fast.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use verbatim::analysis::extract_quotes as extract;
use verbatim::analysis::speakers::{Aliases, DEFAULT_ALIASES};

const SEED: &str = include_str!("../tests/fixtures/blinken-beijing.txt");
const POLNEAR_SAMPLE: &str = include_str!("../tests/fixtures/extraction/polnear-sample.txt");

fn extraction(c: &mut Criterion) {
    let aliases = Aliases::parse(DEFAULT_ALIASES).expect("built-in aliases parse");
    let mut group = c.benchmark_group("extract");
    for (name, text, fewest_quotes) in [("seed", SEED, 27), ("polnear", POLNEAR_SAMPLE, 20)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let found = extract(black_box(text), "en", &aliases);
                assert!(
                    found.quotes.len() >= fewest_quotes,
                    "{name}: {}",
                    found.quotes.len()
                );
                found
            })
        });
    }
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);
