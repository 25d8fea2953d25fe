//! Unicode normalisation of tokens (NFKC): full-width Latin letters and digits
//! become ASCII, compatibility ideographs and half-width kana their canonical
//! forms, so visually equal words index and query alike. Applied per token, so
//! token offsets keep pointing into the original text.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Token filter applying NFKC to each token.
#[derive(Clone, Copy, Default)]
pub struct NfkcFilter;

impl TokenFilter for NfkcFilter {
    type Tokenizer<T: Tokenizer> = NfkcTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> NfkcTokenizer<T> {
        NfkcTokenizer { inner: tokenizer }
    }
}

/// The tokenizer produced by [`NfkcFilter`].
#[derive(Clone)]
pub struct NfkcTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for NfkcTokenizer<T> {
    type TokenStream<'a> = NfkcStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NfkcStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// Token stream of [`NfkcTokenizer`].
pub struct NfkcStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for NfkcStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if !token.text.is_ascii() && is_nfkc_quick(token.text.chars()) != IsNormalized::Yes {
            token.text = token.text.nfkc().collect();
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

/// Text normalised char by char (NFKC where a char's normal form is a single
/// char: full-width Latin and digits, half-width kana, compatibility
/// ideographs), keeping a map back to the original's byte offsets. Segmenters
/// see `ＡＩ規制` as `AI規制`, and their offsets still slice the original.
pub struct CharNormalized {
    /// The normalised text.
    pub text: String,
    /// Byte offset in the normalised text of every char, plus its length.
    normalized_starts: Vec<usize>,
    /// Byte offset in the original text of every char, plus its length.
    original_starts: Vec<usize>,
}

impl CharNormalized {
    /// Normalises `original`.
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut normalized_starts = Vec::with_capacity(original.len() + 1);
        let mut original_starts = Vec::with_capacity(original.len() + 1);
        for (offset, c) in original.char_indices() {
            normalized_starts.push(text.len());
            original_starts.push(offset);
            if c.is_ascii() {
                text.push(c);
                continue;
            }
            let mut normal = std::iter::once(c).nfkc();
            match (normal.next(), normal.next()) {
                (Some(single), None) => text.push(single),
                _ => text.push(c),
            }
        }
        normalized_starts.push(text.len());
        original_starts.push(original.len());
        CharNormalized {
            text,
            normalized_starts,
            original_starts,
        }
    }

    /// The original byte offset of a char boundary of the normalised text.
    pub fn original_offset(&self, normalized_byte: usize) -> usize {
        let char_index = self
            .normalized_starts
            .partition_point(|start| *start < normalized_byte);
        self.original_starts[char_index.min(self.original_starts.len() - 1)]
    }

    /// The original byte offset of the char at `char_index` (the text's length
    /// past the end).
    pub fn original_offset_of_char(&self, char_index: usize) -> usize {
        self.original_starts[char_index.min(self.original_starts.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_normalisation_keeps_a_map_to_the_original() {
        let original = "ＡＩの規制ｶﾀｶﾅ";
        let normalized = CharNormalized::new(original);
        assert_eq!(normalized.text, "AIの規制カタカナ");
        assert_eq!(normalized.original_offset(1), "Ａ".len());
        assert_eq!(
            normalized.original_offset(normalized.text.len()),
            original.len()
        );
        assert_eq!(normalized.original_offset_of_char(2), "ＡＩ".len());
    }
}
