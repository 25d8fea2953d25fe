//! The base word tokenizer for alphabetic languages: words are maximal runs of
//! letters and digits with their combining marks (`ஸ்டாலின்`, `मंत्री`); runs of CJK characters (Han, kana, Hangul), which are
//! written without spaces, become overlapping bigrams, so CJK names and words
//! inside otherwise alphabetic text stay searchable.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analysis::text::continues_word;

/// Splits text into words and CJK bigrams.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// Whether `c` belongs to a script written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x1100..=0x11FF    // Hangul Jamo
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x20000..=0x2FA1F  // CJK extensions B-F, compatibility supplement
    )
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream {
            spans: WordSpans::new(text),
            token: &mut self.token,
        }
    }
}

/// Token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    spans: WordSpans<'a>,
    token: &'a mut Token,
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.next() else {
            return false;
        };
        let text = self.spans.text;
        self.token.text.clear();
        self.token.text.push_str(&text[span.start..span.end]);
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// [`BYTE_CLASS`] of an ASCII letter or digit.
const ASCII_WORD: u8 = 0;
/// [`BYTE_CLASS`] of any other ASCII byte (never part of a word).
const ASCII_OTHER: u8 = 1;
/// [`BYTE_CLASS`] of a byte of a non-ASCII char.
const NOT_ASCII: u8 = 2;

/// Each byte's class, for reading ASCII text a table lookup per byte.
static BYTE_CLASS: [u8; 256] = {
    let mut classes = [NOT_ASCII; 256];
    let mut byte = 0;
    while byte < 128 {
        classes[byte] = if (byte as u8).is_ascii_alphanumeric() {
            ASCII_WORD
        } else {
            ASCII_OTHER
        };
        byte += 1;
    }
    classes
};

/// Where a [`WordSpans`] token lies, and whether it is all ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordSpan {
    /// Byte offset of the token's first char.
    pub start: usize,
    /// Byte offset just past the token's last char.
    pub end: usize,
    /// Whether every byte of the token is ASCII (a word of ASCII letters
    /// and digits; CJK bigrams never are).
    pub ascii: bool,
}

/// The byte ranges of the tokens [`WordTokenizer`] emits, in order, without
/// copying their text: what [`WordTokenStream`] emits, and what snippets
/// read to cut a text into fragments without analysing every word.
#[derive(Clone)]
pub struct WordSpans<'a> {
    text: &'a str,
    /// Next byte to look at.
    offset: usize,
    /// Inside a CJK run: byte offset of the next bigram's first char.
    cjk_run: Option<usize>,
}

impl<'a> WordSpans<'a> {
    /// The tokens of `text`.
    pub fn new(text: &'a str) -> Self {
        WordSpans {
            text,
            offset: 0,
            cjk_run: None,
        }
    }

    /// The tokens of `text` from byte `start` on, which must be where one of
    /// its tokens starts: a token of `text` never depends on what precedes
    /// its start, except a lone CJK char, which is a token only when no
    /// CJK char precedes it, as it is read here too.
    pub fn starting_at(text: &'a str, start: usize) -> Self {
        WordSpans {
            text,
            offset: start,
            cjk_run: None,
        }
    }

    /// The next bigram (or lone char) of the CJK run starting at `start`.
    fn next_in_cjk_run(&mut self, start: usize) -> Option<WordSpan> {
        let mut chars = self.text[start..].char_indices();
        let Some((_, first)) = chars.next() else {
            self.cjk_run = None;
            return None;
        };
        let second_start = start + first.len_utf8();
        match self.text[second_start..].chars().next() {
            Some(second) if is_cjk(second) => {
                self.cjk_run = Some(second_start);
                self.offset = second_start + second.len_utf8();
                Some(WordSpan {
                    start,
                    end: self.offset,
                    ascii: false,
                })
            }
            _ => {
                // The run ends after `first`: a run of one char is a unigram;
                // a longer run already covered `first` with its last bigram.
                self.cjk_run = None;
                self.offset = second_start;
                if !self.previous_was_cjk(start) {
                    return Some(WordSpan {
                        start,
                        end: second_start,
                        ascii: false,
                    });
                }
                self.next_word()
            }
        }
    }

    fn previous_was_cjk(&self, start: usize) -> bool {
        self.text[..start].chars().next_back().is_some_and(is_cjk)
    }

    /// The next word, or the start of the next CJK run. ASCII is read byte
    /// by byte (an ASCII char starts or continues a word exactly when it is
    /// a letter or digit, and is never CJK); from the first other byte on,
    /// chars are decoded and classified.
    fn next_word(&mut self) -> Option<WordSpan> {
        let bytes = self.text.as_bytes();
        let mut start = self.offset;
        while start < bytes.len() && BYTE_CLASS[usize::from(bytes[start])] == ASCII_OTHER {
            start += 1;
        }
        if start == bytes.len() {
            self.offset = start;
            return None;
        }
        if BYTE_CLASS[usize::from(bytes[start])] == NOT_ASCII {
            let rest = &self.text[start..];
            let Some((relative, first)) = rest.char_indices().find(|(_, c)| c.is_alphanumeric())
            else {
                self.offset = self.text.len();
                return None;
            };
            start += relative;
            if is_cjk(first) {
                return self.next_in_cjk_run(start);
            }
        }
        let mut ascii_end = start;
        while ascii_end < bytes.len() && BYTE_CLASS[usize::from(bytes[ascii_end])] == ASCII_WORD {
            ascii_end += 1;
        }
        let (end, ascii) = if bytes.get(ascii_end).is_some_and(|b| !b.is_ascii()) {
            let end = self.text[ascii_end..]
                .char_indices()
                .find(|(_, c)| !continues_word(*c) || is_cjk(*c))
                .map_or(self.text.len(), |(i, _)| ascii_end + i);
            (end, end == ascii_end)
        } else {
            (ascii_end, true)
        };
        self.offset = end;
        Some(WordSpan { start, end, ascii })
    }
}

impl Iterator for WordSpans<'_> {
    type Item = WordSpan;

    fn next(&mut self) -> Option<WordSpan> {
        match self.cjk_run {
            Some(start) => self.next_in_cjk_run(start),
            None => self.next_word(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.0).collect()
    }

    /// The words of `text` as the tokenizer read them before its ASCII fast
    /// path: every char decoded and classified.
    fn words_char_by_char(text: &str) -> Vec<(usize, usize)> {
        let mut words = Vec::new();
        let mut offset = 0;
        while let Some((relative, first)) = text[offset..]
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
        {
            let start = offset + relative;
            if is_cjk(first) {
                // CJK runs are not this reference's business: skip the char.
                offset = start + first.len_utf8();
                continue;
            }
            let end = text[start..]
                .char_indices()
                .find(|(_, c)| !continues_word(*c) || is_cjk(*c))
                .map_or(text.len(), |(i, _)| start + i);
            words.push((start, end));
            offset = end;
        }
        words
    }

    #[test]
    fn ascii_fast_path_reads_words_as_chars_do() {
        let texts = [
            "Hello, world! It's 2024.",
            "caf\u{e9} na\u{ef}ve r\u{e9}sum\u{e9}s -- \u{c9}tat, \u{fc}ber\u{2019}s",
            "e\u{301}te\u{301} and a\u{300}-la-carte",
            "\u{bb}Zitat\u{ab} \u{201c}quoted\u{201d}\u{2014}dash\u{a0}nbsp",
            "\u{bb8}\u{bcd}\u{b9f}\u{bbe}\u{bb2}\u{bbf}\u{ba9}\u{bcd} \u{92e}\u{902}\u{924}\u{94d}\u{930}\u{940} x",
            "  \t\n ",
            "",
            "abc\u{300}def ghi\u{2460}jkl 12\u{bd}",
        ];
        for text in texts {
            let ours: Vec<(usize, usize)> = tokens(text)
                .into_iter()
                .map(|(_, from, to, _)| (from, to))
                .collect();
            assert_eq!(ours, words_char_by_char(text), "{text:?}");
        }
    }

    #[test]
    fn words_and_cjk_bigrams() {
        assert_eq!(
            texts("Hello, world! It's 2024."),
            ["Hello", "world", "It", "s", "2024"]
        );
        assert_eq!(texts("王毅外长"), ["王毅", "毅外", "外长"]);
        assert_eq!(texts("Wang 毅 said"), ["Wang", "毅", "said"]);
        assert_eq!(texts("中国和US关系"), ["中国", "国和", "US", "关系"]);
        assert_eq!(
            texts("東京都に住んでいる"),
            ["東京", "京都", "都に", "に住", "住ん", "んで", "でい", "いる"]
        );
        assert_eq!(
            texts("முதல்வர் ஸ்டாலின், प्रधानमंत्री"),
            ["முதல்வர்", "ஸ்டாலின்", "प्रधानमंत्री"]
        );
        assert_eq!(texts(""), Vec::<String>::new());
        assert_eq!(texts("— … !!"), Vec::<String>::new());
    }

    #[test]
    fn offsets_slice_the_text_and_positions_count_up() {
        let text = "Xi 习近平 met Blinken 布林肯.";
        let found = tokens(text);
        for (index, (token, from, to, position)) in found.iter().enumerate() {
            assert_eq!(&text[*from..*to], token);
            assert_eq!(*position, index);
        }
    }
}
