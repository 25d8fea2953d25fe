//! Snippets: a short fragment of the matched text with every match wrapped in
//! `<mark>`, HTML-escaped, cut on character boundaries (safe for CJK).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tantivy::query::Query;
use tantivy::schema::{Field, Term};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{Score, Searcher};

use crate::analysis::tokenizers::LanguageAnalyzers;

/// Longest snippet fragment, in bytes of source text.
pub const SNIPPET_MAX_BYTES: usize = 240;

/// Makes snippets for the hits of one query, each with the analyzer of the
/// hit's language, so stemmed and segmented matches are found in the text.
pub struct SnippetMaker<'a> {
    terms: BTreeMap<String, Score>,
    field: Field,
    analyzers: &'a LanguageAnalyzers,
    generators: HashMap<String, SnippetGenerator>,
}

impl<'a> SnippetMaker<'a> {
    /// Collects the query's terms on `field`, weighted by rarity as tantivy does.
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
        analyzers: &'a LanguageAnalyzers,
    ) -> tantivy::Result<Self> {
        let mut query_terms: BTreeSet<Term> = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                query_terms.insert(term.clone());
            }
        });
        let mut terms = BTreeMap::new();
        for term in query_terms {
            let Some(text) = term.value().as_str().map(str::to_owned) else {
                continue;
            };
            let doc_freq = searcher.doc_freq(&term)?;
            if doc_freq > 0 {
                terms.insert(text, 1.0 / (1.0 + doc_freq as Score));
            }
        }
        Ok(SnippetMaker {
            terms,
            field,
            analyzers,
            generators: HashMap::new(),
        })
    }

    /// The snippet of `text`, written in `language`.
    pub fn snippet(&mut self, language: &str, text: &str) -> String {
        if self.terms.is_empty() {
            return snippet_or_lead(None, text);
        }
        let generator = self
            .generators
            .entry(language.to_owned())
            .or_insert_with(|| {
                SnippetGenerator::new(
                    self.terms.clone(),
                    self.analyzers
                        .highlight_analyzer(language, self.terms.keys().map(String::as_str)),
                    self.field,
                    SNIPPET_MAX_BYTES,
                )
            });
        snippet_or_lead(Some(generator), text)
    }
}

/// Renders a tantivy snippet as HTML with `<mark>` around highlighted ranges.
pub fn render_snippet(snippet: &Snippet) -> String {
    let fragment = snippet.fragment();
    let mut html = String::with_capacity(fragment.len() + 32);
    let mut cursor = 0;
    for range in snippet.highlighted() {
        if range.start < cursor || range.end > fragment.len() {
            continue;
        }
        escape_into(&fragment[cursor..range.start], &mut html);
        html.push_str("<mark>");
        escape_into(&fragment[range.clone()], &mut html);
        html.push_str("</mark>");
        cursor = range.end;
    }
    escape_into(&fragment[cursor..], &mut html);
    html
}

/// A snippet of `text` for the query behind `generator`, or the start of the
/// text when nothing in it matches.
pub fn snippet_or_lead(generator: Option<&SnippetGenerator>, text: &str) -> String {
    if let Some(generator) = generator {
        let snippet = generator.snippet(text);
        if !snippet.highlighted().is_empty() {
            return render_snippet(&snippet);
        }
    }
    let mut end = text.len().min(SNIPPET_MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        // Prefer to cut after a whole word.
        if let Some(space) = text[..end].rfind(char::is_whitespace) {
            if space > end / 2 {
                end = space;
            }
        }
    }
    let mut html = String::with_capacity(end + 8);
    escape_into(text[..end].trim_end(), &mut html);
    if end < text.len() {
        html.push('…');
    }
    html
}

/// Appends `text` to `out` with HTML special characters escaped.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_is_escaped_and_cut_on_words() {
        let text = "<b>Tom & Jerry</b> ".repeat(40);
        let lead = snippet_or_lead(None, &text);
        assert!(lead.starts_with("&lt;b&gt;Tom &amp; Jerry"));
        assert!(lead.ends_with('…'));
        assert!(!lead.contains('<'));
    }

    #[test]
    fn lead_cuts_on_char_boundaries() {
        let text = "中国外交部长王毅表示".repeat(30);
        let lead = snippet_or_lead(None, &text);
        assert!(lead.ends_with('…'));
    }
}
