//! Snowball stemming as a tantivy token filter of our own, over rust-stemmers:
//! `negotiations`, `negotiating` and `negotiate` all index as `negoti`.
//! Arabic words lose their definite article first ([`super::arabic`]), so
//! `المفاوضات` and `مفاوضات` stem alike.
//!
//! Each thread remembers the stems of the words it has seen, per algorithm
//! (a bounded `StemCache`): news vocabulary repeats across articles, and a
//! quote's words are those of its article's body, so most tokens are looked
//! up rather than stemmed again.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;

use foldhash::HashMap;
use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Distinct words a thread remembers per algorithm (a few megabytes at most);
/// the memory is emptied when it grows past this.
const STEM_CACHE_LIMIT: usize = 50_000;

/// A thread's memory of stems for one algorithm: each word it has stemmed,
/// with its stem when Snowball changed it (`None` when the word is its own
/// stem).
#[derive(Default)]
struct StemCache {
    stems: HashMap<Box<str>, Option<Box<str>>>,
}

impl StemCache {
    /// Replaces `word` by its stem, from memory when this thread has stemmed
    /// it before.
    fn stem_in_place(&mut self, stemmer: &Stemmer, word: &mut String) {
        let stem = match self.stems.get(word.as_str()) {
            Some(known) => known.as_deref(),
            None => {
                // Snowball hands back the input borrowed when the word is its
                // own stem.
                let stem = match stemmer.stem(word) {
                    Cow::Owned(stem) => Some(stem.into_boxed_str()),
                    Cow::Borrowed(_) => None,
                };
                if self.stems.len() >= STEM_CACHE_LIMIT {
                    self.stems.clear();
                }
                self.stems
                    .entry(word.as_str().into())
                    .or_insert(stem)
                    .as_deref()
            }
        };
        if let Some(stem) = stem {
            word.clear();
            word.push_str(stem);
        }
    }
}

thread_local! {
    /// One [`StemCache`] per algorithm, indexed by `Algorithm as usize`.
    static STEM_CACHES: RefCell<Vec<StemCache>> = const { RefCell::new(Vec::new()) };
}

/// A token filter that replaces each token by its Snowball stem (rust-stemmers).
#[derive(Clone)]
pub struct SnowballStemmer {
    stemmer: Arc<Stemmer>,
    algorithm: Algorithm,
    initials: Option<Arc<[char]>>,
    arabic: bool,
}

impl SnowballStemmer {
    /// A stemmer for the given Snowball algorithm (language).
    pub fn new(algorithm: Algorithm) -> Self {
        SnowballStemmer {
            stemmer: Arc::new(Stemmer::create(algorithm)),
            algorithm,
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
            algorithm: self.algorithm,
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
    algorithm: Algorithm,
    initials: Option<Arc<[char]>>,
    arabic: bool,
}

impl<T: Tokenizer> Tokenizer for SnowballStemmerFilter<T> {
    type TokenStream<'a> = SnowballStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SnowballStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
            algorithm: self.algorithm,
            initials: self.initials.as_deref(),
            arabic: self.arabic,
        }
    }
}

/// Token stream of [`SnowballStemmerFilter`].
pub struct SnowballStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a Stemmer,
    algorithm: Algorithm,
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
            if let Cow::Owned(bare) = super::arabic::strip_article(&token.text) {
                token.text = bare;
            }
        }
        let slot = self.algorithm as usize;
        STEM_CACHES.with_borrow_mut(|caches| {
            if caches.len() <= slot {
                caches.resize_with(slot + 1, StemCache::default);
            }
            caches[slot].stem_in_place(self.stemmer, &mut token.text);
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
