//! `verbatim statements`: how the quotes of an index fold into statements
//! (see `indexing::statements`), and a sample of multi-copy statements with
//! every copy, for checking the folding by hand.

use anyhow::Context;
use serde_json::json;
use tantivy::TantivyDocument;

use crate::config::Settings;
use crate::indexing::document::StoredQuote;
use crate::indexing::statements::doc_address;

/// Prints the fold counts of the index named by `settings` as one JSON line,
/// then `sample` multi-copy statements (chosen by a generator seeded with
/// `seed`), one JSON line each with every copy's speaker, source, article
/// and words.
pub fn run_statements(settings: &Settings, sample: usize, seed: u64) -> anyhow::Result<()> {
    let store = super::open_to_read(settings)?;
    let searcher = store.searcher();
    let started = std::time::Instant::now();
    let registry = store.speaker_registry(&searcher)?;
    let registry_ms = started.elapsed().as_secs_f64() * 1000.0;
    let table = store.statements(&searcher)?;
    let (_, quotes) = store.counts(&searcher)?;
    let multi: Vec<u32> = (0..table.statements().len() as u32)
        .filter(|index| table.get(*index).is_some_and(|s| s.copies > 1))
        .collect();
    let folded: u64 = multi
        .iter()
        .filter_map(|index| table.get(*index))
        .map(|statement| u64::from(statement.copies))
        .sum();
    let reworded = multi
        .iter()
        .filter_map(|index| table.get(*index))
        .filter(|statement| statement.wordings > 1)
        .count();
    println!(
        "{}",
        json!({
            "quotes": quotes,
            "quotes_with_words": table.copies(),
            "statements": table.statements().len(),
            "multi_copy_statements": multi.len(),
            "copies_in_multi_copy_statements": folded,
            "multi_copy_statements_with_several_wordings": reworded,
            "speaker_identities": registry.identities().len(),
            "registry_ms": registry_ms,
            "build_ms": table.took().as_secs_f64() * 1000.0,
        })
    );
    let mut state = seed.max(1);
    let mut next = move || {
        // xorshift64: a fixed sequence per seed.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut chosen = multi;
    let count = sample.min(chosen.len());
    for index in 0..count {
        let pick = index + (next() % (chosen.len() - index) as u64) as usize;
        chosen.swap(index, pick);
    }
    chosen.truncate(count);
    for index in chosen {
        let Some(statement) = table.get(index) else {
            continue;
        };
        let mut copies = Vec::new();
        for copy in table.members(index) {
            let Some(address) = doc_address(&searcher, *copy) else {
                continue;
            };
            let document: TantivyDocument = searcher.doc(address)?;
            let stored: StoredQuote = serde_json::from_str(store.stored_json(&document)?)
                .context("a stored quote does not read back")?;
            copies.push(json!({
                "id": format!("{}#{}", stored.article.id, stored.position),
                "speaker": stored.quote.speaker,
                "kind": stored.quote.kind.as_str(),
                "source": stored.article.source,
                "published": stored.article.published.map(|p| p.date().to_string()),
                "quote": stored.quote.quote,
            }));
        }
        println!(
            "{}",
            json!({
                "statement": statement.id,
                "copies": statement.copies,
                "articles": statement.articles,
                "wordings": statement.wordings,
                "members": copies,
            })
        );
    }
    Ok(())
}
