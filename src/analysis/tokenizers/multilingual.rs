//! The multilingual text tokenizer behind every full-text field.
//!
//! tantivy gives each field one tokenizer, but an index holds articles in many
//! languages. Text is therefore stored in the index prefixed by a language tag
//! (`\u{1F}de\u{1F}Die Verhandlungen ...`, see [`tag_with_language`]), and this
//! tokenizer reads the tag and analyses the rest with that language's analyzer.
//! Offsets it reports are relative to the untagged text; snippets are made
//! from the stored (untagged) text with the language analyzer directly.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::tokenizer::{BoxTokenStream, TextAnalyzer, Tokenizer};

/// Separates the language tag from the text.
const TAG_MARK: char = '\u{1F}';
/// Longest language tag accepted, in bytes.
const MAX_TAG_BYTES: usize = 8;

/// Prefixes `text` with the tag of `language` for indexing.
pub fn tag_with_language(language: &str, text: &str) -> String {
    let mut tagged = String::with_capacity(text.len() + language.len() + 2);
    tagged.push(TAG_MARK);
    tagged.push_str(language);
    tagged.push(TAG_MARK);
    tagged.push_str(text);
    tagged
}

/// Splits a tagged text into its language and text (`None` when untagged).
pub fn split_language_tag(tagged: &str) -> (Option<&str>, &str) {
    let Some(rest) = tagged.strip_prefix(TAG_MARK) else {
        return (None, tagged);
    };
    match rest.find(TAG_MARK) {
        Some(end) if end <= MAX_TAG_BYTES => (Some(&rest[..end]), &rest[end + 1..]),
        _ => (None, tagged),
    }
}

/// Dispatches each text to the analyzer of its language tag.
#[derive(Clone)]
pub struct MultilingualTokenizer {
    by_language: HashMap<String, TextAnalyzer>,
    fallback: TextAnalyzer,
}

impl MultilingualTokenizer {
    /// A tokenizer over per-language analyzers and a fallback for untagged
    /// text or unknown languages.
    pub fn new(by_language: &Arc<HashMap<String, TextAnalyzer>>, fallback: TextAnalyzer) -> Self {
        MultilingualTokenizer {
            by_language: (**by_language).clone(),
            fallback,
        }
    }
}

impl Tokenizer for MultilingualTokenizer {
    type TokenStream<'a> = BoxTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, tagged: &'a str) -> BoxTokenStream<'a> {
        let (language, text) = split_language_tag(tagged);
        let analyzer = match language.and_then(|l| self.by_language.get_mut(l)) {
            Some(analyzer) => analyzer,
            None => &mut self.fallback,
        };
        analyzer.token_stream(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        let tagged = tag_with_language("de", "Die Verhandlungen");
        assert_eq!(
            split_language_tag(&tagged),
            (Some("de"), "Die Verhandlungen")
        );
        assert_eq!(split_language_tag("plain"), (None, "plain"));
        assert_eq!(split_language_tag("\u{1F}no end"), (None, "\u{1F}no end"));
        assert_eq!(split_language_tag("\u{1F}\u{1F}x"), (Some(""), "x"));
    }
}
