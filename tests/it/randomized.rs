//! Randomized no-panic tests of the query parser and the extractor: the
//! stable-Rust companions of the `fuzz/` targets, short enough for CI. Inputs
//! are built from fragments that matter to each (operators, quotes, cues,
//! names, odd Unicode), seeded and replayable with `VERBATIM_FUZZ_SEED`.
//! `VERBATIM_FUZZ_SECONDS=N` keeps each test going for N seconds instead of
//! its fixed number of cases (for long runs outside CI).

use verbatim::analysis::tokenizers::LanguageAnalyzers;
use verbatim::analysis::Analyzer;
use verbatim::indexing::schema::build_schema;
use verbatim::search::query::{parse_query, QueryCompiler};
use verbatim::search::Target;

use crate::helpers::Rng;

/// The seed: `VERBATIM_FUZZ_SEED`, or a fixed one so that CI runs the same
/// cases every time (vary it by hand, or with the cargo-fuzz targets).
fn seed() -> u64 {
    std::env::var("VERBATIM_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_240_426)
}

/// Whether to generate case number `case`: a fixed count, or until the
/// `VERBATIM_FUZZ_SECONDS` budget is spent.
fn keep_going(case: u64, fixed_cases: u64, started: std::time::Instant) -> bool {
    match std::env::var("VERBATIM_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(seconds) => started.elapsed().as_secs() < seconds,
        None => case < fixed_cases,
    }
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

#[test]
fn random_queries_parse_and_compile_without_panicking() {
    const PIECES: &[&str] = &[
        "a",
        "china",
        "Wang",
        "\"",
        "\"downward spiral\"",
        "(",
        ")",
        " ",
        " ",
        " AND ",
        " OR ",
        "NOT ",
        "-",
        "+",
        "*",
        "ab*",
        "x*",
        ":",
        "title:",
        "speaker:",
        "topic:/world",
        "quote:",
        "kind:",
        "nope:",
        "&&",
        "||",
        "\u{0}",
        "\t",
        "é",
        "日本",
        "🙂",
        "\u{200b}",
        "\\",
        "/",
        ".*",
        "[",
        "]",
        "{",
        "}",
        "^",
        "$",
        "?",
        "|",
        "'",
        "\u{301}",
        "ǅ",
        "ß",
        "İ",
    ];
    let seed = seed();
    eprintln!("random queries: seed {seed} (VERBATIM_FUZZ_SEED)");
    let mut rng = Rng::new(seed);
    let (_, fields) = build_schema();
    let analyzers = LanguageAnalyzers::without_dictionaries();
    let languages: Vec<String> = ["en", "de", "ja", "zh"].map(String::from).to_vec();
    let mut parsed = 0;
    let started = std::time::Instant::now();
    let mut case = 0;
    while keep_going(case, 20_000, started) {
        case += 1;
        let pieces = 1 + rng.below(24);
        let query: String = (0..pieces).map(|_| pick(&mut rng, PIECES)).collect();
        let Ok(node) = parse_query(&query) else {
            continue;
        };
        parsed += 1;
        let _ = node.clause_count();
        for target in [Target::Articles, Target::Quotes] {
            let _ = QueryCompiler::new(&fields, target, &analyzers, &languages).compile(&node);
        }
    }
    eprintln!("random queries: {case} tried, {parsed} parsed, no panic");
    assert!(parsed > 1000, "too few random queries parsed: {parsed}");
    // Long operator chains are refused, not recursed into.
    for deep in [
        "-".repeat(4096),
        "NOT ".repeat(1024),
        "(".repeat(4096),
        "+".repeat(4096),
    ] {
        let _ = parse_query(&format!("{deep}a"));
    }
}

#[test]
fn random_texts_analyse_without_panicking_and_quotes_stay_inside() {
    const PIECES: &[&str] = &[
        "\"",
        "“",
        "”",
        "‘",
        "’",
        "«",
        "»",
        "„",
        "'",
        "said",
        " said ",
        "says",
        "told reporters",
        "according to",
        "Wang Yi",
        "Blinken",
        "the minister",
        "he",
        "she",
        "They",
        ",",
        ".",
        ":",
        " ",
        " ",
        "\n",
        "\n\n",
        "We will not",
        "give up",
        "é",
        "日本語",
        "🙂",
        "\u{200b}",
        "\u{301}",
        "Mr.",
        "U.S.",
        "—",
        "-",
        "(",
        ")",
        "added",
        "warned",
        "I",
        "»Nein«",
    ];
    let seed = seed();
    eprintln!("random texts: seed {seed} (VERBATIM_FUZZ_SEED)");
    let mut rng = Rng::new(seed);
    let analyzer = Analyzer::with_defaults();
    // Inputs that once crashed the extractor (found by this test).
    const REGRESSIONS: &[&str] = &[",he said ", ", he said.", ",said he", "“,” he said"];
    for body in REGRESSIONS {
        for language in [Some("en"), None] {
            let analysis = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                analyzer.analyze_text("Title", body, language)
            }))
            .unwrap_or_else(|_| panic!("the extractor panicked on {body:?}"));
            assert!(analysis
                .quotes
                .iter()
                .all(|q| q.end <= body.chars().count()));
        }
    }
    let mut quotes = 0;
    let started = std::time::Instant::now();
    let mut case = 0;
    while keep_going(case, 1_500, started) {
        case += 1;
        let pieces = 1 + rng.below(80);
        let body: String = (0..pieces).map(|_| pick(&mut rng, PIECES)).collect();
        let language = match rng.below(3) {
            0 => Some("en"),
            1 => Some("de"),
            _ => None,
        };
        let analysis = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            analyzer.analyze_text("Title", &body, language)
        }))
        .unwrap_or_else(|_| {
            panic!("seed {seed}: the extractor panicked on {body:?} (language {language:?})")
        });
        let length = body.chars().count();
        for quote in &analysis.quotes {
            quotes += 1;
            assert!(
                quote.start <= quote.end && quote.end <= length,
                "seed {seed}: quote {quote:?} outside a text of {length} characters: {body:?}"
            );
        }
    }
    assert!(
        quotes > 0,
        "no quote was ever found; the generator is broken"
    );
}
