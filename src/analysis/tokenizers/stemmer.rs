//! Snowball stemming as a tantivy token filter of our own, over rust-stemmers:
//! `negotiations`, `negotiating` and `negotiate` all index as `negoti`.

use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

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
