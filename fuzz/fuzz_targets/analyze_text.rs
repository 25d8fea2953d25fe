//! Fuzzes the extractor: any UTF-8 text (first line the title) must analyse
//! without panicking, and every quote's offsets must lie inside the text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use verbatim::analysis::Analyzer;

static ANALYZER: OnceLock<Analyzer> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let analyzer = ANALYZER.get_or_init(Analyzer::with_defaults);
    let (title, body) = text.split_once('\n').unwrap_or(("", text));
    // Every language with cue rules of its own, and detection.
    let language = match data.first().map(|b| b % 8) {
        Some(0) => Some("en"),
        Some(1) => Some("de"),
        Some(2) => Some("fr"),
        Some(3) => Some("es"),
        Some(4) => Some("ja"),
        Some(5) => Some("zh"),
        _ => None,
    };
    let analysis = analyzer.analyze_text(title, body, language);
    let length = body.chars().count();
    for quote in &analysis.quotes {
        assert!(quote.start <= quote.end, "{quote:?}");
        assert!(quote.end <= length, "{quote:?} beyond {length}");
        for [start, end] in &quote.pieces {
            assert!(start <= end && *end <= length, "{quote:?}");
        }
    }
});
