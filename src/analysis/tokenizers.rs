//! Text analyzers registered with tantivy by name: the tokenizer chains that
//! turn article text and queries into index terms. The schema refers to these
//! names; the query side analyses user input with the same analyzer as the
//! field it searches.

use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Analyzer for English text: words, lowercased, ASCII-folded, Snowball-stemmed.
pub const ENGLISH_TEXT: &str = "verbatim_en";
/// Analyzer for keyword fields (speaker, source, topic filters): the whole value
/// as one term, lowercased and ASCII-folded, so filters ignore case and accents.
pub const KEYWORD: &str = "verbatim_keyword";

/// Tokens longer than this many bytes are dropped (URLs, base64 junk).
const MAX_TOKEN_BYTES: usize = 64;

/// Registers every Verbatim analyzer on `manager`.
pub fn register_analyzers(manager: &TokenizerManager) {
    manager.register(ENGLISH_TEXT, english_text_analyzer());
    manager.register(KEYWORD, keyword_analyzer());
}

/// Builds the English text analyzer.
pub fn english_text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(SnowballStemmer::new(Algorithm::English))
        .build()
}

/// Builds the keyword analyzer.
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Normalises a keyword value exactly as the [`KEYWORD`] analyzer does, for
/// building filter terms without going through a token stream.
pub fn normalize_keyword(value: &str) -> String {
    let mut analyzer = keyword_analyzer();
    let mut stream = analyzer.token_stream(value);
    let mut normalized = String::new();
    while let Some(token) = stream.next() {
        normalized.push_str(&token.text);
    }
    normalized
}

/// A token filter that replaces each token by its Snowball stem (rust-stemmers).
#[derive(Clone)]
pub struct SnowballStemmer {
    stemmer: Arc<Stemmer>,
}

impl SnowballStemmer {
    /// A stemmer for the given Snowball algorithm (language).
    pub fn new(algorithm: Algorithm) -> Self {
        SnowballStemmer {
            stemmer: Arc::new(Stemmer::create(algorithm)),
        }
    }
}

impl TokenFilter for SnowballStemmer {
    type Tokenizer<T: Tokenizer> = SnowballStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SnowballStemmerFilter<T> {
        SnowballStemmerFilter {
            inner: tokenizer,
            stemmer: self.stemmer,
        }
    }
}

/// The tokenizer produced by [`SnowballStemmer`] around an inner tokenizer.
#[derive(Clone)]
pub struct SnowballStemmerFilter<T> {
    inner: T,
    stemmer: Arc<Stemmer>,
}

impl<T: Tokenizer> Tokenizer for SnowballStemmerFilter<T> {
    type TokenStream<'a> = SnowballStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SnowballStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
        }
    }
}

/// Token stream of [`SnowballStemmerFilter`].
pub struct SnowballStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a Stemmer,
}

impl<T: TokenStream> TokenStream for SnowballStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // Snowball hands back the input borrowed when the word is its own stem,
        // so only words that change cost an allocation.
        if let std::borrow::Cow::Owned(stem) = self.stemmer.stem(&token.text) {
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn english_analyzer_stems_and_folds() {
        let mut analyzer = english_text_analyzer();
        assert_eq!(
            terms(&mut analyzer, "Negotiations négociés TARIFFS running"),
            ["negoti", "negoci", "tariff", "run"]
        );
        assert_eq!(
            terms(&mut analyzer, "negotiate"),
            terms(&mut analyzer, "negotiations")
        );
    }

    #[test]
    fn stemmed_tokens_keep_offsets() {
        let mut analyzer = english_text_analyzer();
        let mut stream = analyzer.token_stream("the talks");
        assert!(stream.advance());
        assert!(stream.advance());
        assert_eq!(stream.token().text, "talk");
        assert_eq!(
            (stream.token().offset_from, stream.token().offset_to),
            (4, 9)
        );
    }

    #[test]
    fn keyword_is_whole_value_lowercased_and_folded() {
        assert_eq!(normalize_keyword("Wang Yi"), "wang yi");
        assert_eq!(normalize_keyword("Zoë Ångström"), "zoe angstrom");
    }
}
