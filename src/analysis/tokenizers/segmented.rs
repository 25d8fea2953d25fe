//! [`SegmentedTokenStream`]: the token stream of tokenizers that segment a
//! whole text up front (jieba for Chinese, lindera for Japanese) into a
//! `Vec<Token>` they keep between texts.

use tantivy::tokenizer::{Token, TokenStream};

/// Walks tokens segmented up front, in order.
pub struct SegmentedTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl<'a> SegmentedTokenStream<'a> {
    /// A stream over `tokens`, before the first.
    pub fn new(tokens: &'a mut Vec<Token>) -> Self {
        SegmentedTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for SegmentedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
