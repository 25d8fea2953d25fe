//! Fuzzes the query language: any UTF-8 string must parse or fail with an
//! error (never panic or overflow the stack), and whatever parses must
//! compile for both targets (or fail with an error).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use verbatim::analysis::tokenizers::LanguageAnalyzers;
use verbatim::indexing::schema::{build_schema, Fields};
use verbatim::search::query::{parse_query, QueryCompiler};
use verbatim::search::Target;

static FIELDS: OnceLock<Fields> = OnceLock::new();
static ANALYZERS: OnceLock<LanguageAnalyzers> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(node) = parse_query(text) else {
        return;
    };
    let _ = node.clause_count();
    let fields = FIELDS.get_or_init(|| build_schema().1);
    let analyzers = ANALYZERS.get_or_init(LanguageAnalyzers::without_dictionaries);
    let languages: Vec<String> = ["en", "de", "ja", "zh"].map(String::from).to_vec();
    for target in [Target::Articles, Target::Quotes] {
        let _ = QueryCompiler::new(fields, target, analyzers, &languages).compile(&node);
    }
});
