//! Chinese word segmentation with jieba (its dictionary ships inside the
//! `jieba-rs` crate, so nothing is downloaded). Traditional characters are
//! mapped to Simplified before segmentation (`fast2s`, one char for one char),
//! so either script finds the other; offsets still point into the original.

use std::sync::LazyLock;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, Tokenizer};

use super::normalize::CharNormalized;
use super::segmented::SegmentedTokenStream;

/// The jieba segmenter with its default dictionary, loaded once.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Segments Chinese text into words.
///
/// For indexing, jieba's search mode also emits the known words inside long
/// compounds (`中美关系` gives `中美`, `关系` and `中美关系`), so a search for
/// `关系` finds it; queries are segmented in the default mode.
#[derive(Clone, Default)]
pub struct ChineseTokenizer {
    tokens: Vec<Token>,
    for_queries: bool,
}

impl ChineseTokenizer {
    /// The tokenizer for indexing (search mode).
    pub fn for_indexing() -> Self {
        ChineseTokenizer {
            tokens: Vec::new(),
            for_queries: false,
        }
    }

    /// The tokenizer for queries (default mode).
    pub fn for_queries() -> Self {
        ChineseTokenizer {
            tokens: Vec::new(),
            for_queries: true,
        }
    }
}

/// Loads jieba's dictionary now rather than on the first Chinese text.
pub fn warm_up_chinese() {
    LazyLock::force(&JIEBA);
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = SegmentedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SegmentedTokenStream<'a> {
        self.tokens.clear();
        let normalized = CharNormalized::new(text);
        let simplified = fast2s::convert(&normalized.text);
        let mode = if self.for_queries {
            TokenizeMode::Default
        } else {
            TokenizeMode::Search
        };
        for (position, word) in JIEBA
            .tokenize(&simplified, mode, true)
            .into_iter()
            .filter(|word| word.word.chars().any(char::is_alphanumeric))
            .enumerate()
        {
            // fast2s maps one char to one char, so char indices are shared
            // with the normalised text, and through it with the original.
            self.tokens.push(Token {
                offset_from: normalized.original_offset_of_char(word.start),
                offset_to: normalized.original_offset_of_char(word.end),
                position,
                text: word.word.to_owned(),
                position_length: 1,
            });
        }
        SegmentedTokenStream::new(&mut self.tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    fn words(text: &str) -> Vec<String> {
        let mut tokenizer = ChineseTokenizer::for_queries();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            // Offsets slice the original text, in either script.
            assert_eq!(
                text[token.offset_from..token.offset_to].chars().count(),
                token.text.chars().count()
            );
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn segments_simplified_and_traditional_alike() {
        let simplified = words("中国外交部长王毅表示，中美关系正在企稳。");
        assert_eq!(
            simplified,
            [
                "中国",
                "外交部长",
                "王毅",
                "表示",
                "中美关系",
                "正在",
                "企稳"
            ]
        );
        let traditional = words("中國外交部長王毅表示，中美關係正在企穩。");
        assert_eq!(simplified, traditional);
        assert!(!simplified.iter().any(|w| w == "，" || w == "。"));
    }
}

#[cfg(test)]
mod indexing_tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    #[test]
    fn indexing_also_emits_the_words_inside_compounds() {
        let mut tokenizer = ChineseTokenizer::for_indexing();
        let mut stream = tokenizer.token_stream("中美关系正在企稳");
        let mut words = Vec::new();
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        assert!(words.contains(&"关系".to_owned()), "{words:?}");
        assert!(words.contains(&"中美关系".to_owned()), "{words:?}");
    }
}
