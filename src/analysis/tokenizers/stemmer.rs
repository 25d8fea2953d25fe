//! Snowball stemming as a tantivy token filter of our own, over rust-stemmers:
//! `negotiations`, `negotiating` and `negotiate` all index as `negoti`.
//! Arabic words lose their definite article first ([`super::arabic`]), so
//! `المفاوضات` and `مفاوضات` stem alike.

use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// A token filter that replaces each token by its Snowball stem (rust-stemmers).
#[derive(Clone)]
pub struct SnowballStemmer {
    stemmer: Arc<Stemmer>,
    initials: Option<Arc<[char]>>,
    arabic: bool,
}

impl SnowballStemmer {
    /// A stemmer for the given Snowball algorithm (language).
    pub fn new(algorithm: Algorithm) -> Self {
        SnowballStemmer {
            stemmer: Arc::new(Stemmer::create(algorithm)),
            initials: None,
            arabic: matches!(algorithm, Algorithm::Arabic),
        }
    }

    /// Stems only tokens that start with one of `initials` (or with a
    /// non-ASCII character) and passes the others through unchanged. Snowball
    /// only rewrites the end of a word, so a token whose first letter is not
    /// the first letter of any wanted stem can never stem to one: highlighting
    /// a few query terms then skips most of the stemming work.
    pub fn only_for_initials(mut self, initials: Arc<[char]>) -> Self {
        self.initials = Some(initials);
        self
    }
}

impl TokenFilter for SnowballStemmer {
    type Tokenizer<T: Tokenizer> = SnowballStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SnowballStemmerFilter<T> {
        SnowballStemmerFilter {
            inner: tokenizer,
            stemmer: self.stemmer,
            initials: self.initials,
            arabic: self.arabic,
        }
    }
}

/// The tokenizer produced by [`SnowballStemmer`] around an inner tokenizer.
#[derive(Clone)]
pub struct SnowballStemmerFilter<T> {
    inner: T,
    stemmer: Arc<Stemmer>,
    initials: Option<Arc<[char]>>,
    arabic: bool,
}

impl<T: Tokenizer> Tokenizer for SnowballStemmerFilter<T> {
    type TokenStream<'a> = SnowballStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SnowballStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
            initials: self.initials.as_deref(),
            arabic: self.arabic,
        }
    }
}

/// Token stream of [`SnowballStemmerFilter`].
pub struct SnowballStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a Stemmer,
    initials: Option<&'a [char]>,
    arabic: bool,
}

impl<T: TokenStream> TokenStream for SnowballStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(initials) = self.initials {
            match token.text.chars().next() {
                Some(first) if first.is_ascii() && !initials.contains(&first) => return true,
                _ => {}
            }
        }
        if self.arabic {
            if let std::borrow::Cow::Owned(bare) = super::arabic::strip_article(&token.text) {
                token.text = bare;
            }
        }
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
