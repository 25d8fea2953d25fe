//! Text offsets and word characters. Analysis works on UTF-8 byte offsets
//! internally; everything it reports is in Unicode code points, as the API
//! promises. [`CharOffsets`] converts between the two without re-scanning the
//! text for every span. [`continues_word`] is what every tokenizer of
//! analysis (quotes, enrichment, search) lets a word go on over.
//! [`with_lowercase`] lowercases a word for a look-up without allocating;
//! [`lowercase_initial`] lowers the capital a sentence's start gave a phrase;
//! [`without_possessive`] takes a possessive's `'s` off.

use unicode_normalization::char::is_combining_mark;

/// `word` without a possessive `'s` (straight or curly apostrophe).
pub fn without_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

/// Whether `c` goes on a word begun by a letter or digit: letters and digits,
/// and combining marks (Unicode category M), which belong to the letter
/// before them: the virama and vowel signs of Tamil and Devanagari
/// (`ஸ்டாலின்`, `मंत्री`), the accents of decomposed Latin (`e` + U+0301).
/// A word never starts with a mark.
pub fn continues_word(c: char) -> bool {
    c.is_alphanumeric() || (c >= '\u{300}' && is_combining_mark(c))
}

/// Longest ASCII word [`with_lowercase`] lowercases without allocating.
const STACK_LOWERCASE: usize = 64;

/// Calls `f` with `word` lowercased exactly as [`str::to_lowercase`] does.
/// An ASCII word of up to 64 bytes (nearly every word the word lists and the
/// gazetteer are asked about) is lowercased on the stack, not allocated.
pub fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buffer = [0u8; STACK_LOWERCASE];
    if word.is_ascii() && word.len() <= STACK_LOWERCASE {
        let lowered = &mut buffer[..word.len()];
        lowered.copy_from_slice(word.as_bytes());
        lowered.make_ascii_lowercase();
        // ASCII stays UTF-8 when lowercased.
        if let Ok(lowered) = std::str::from_utf8(lowered) {
            return f(lowered);
        }
    }
    f(&word.to_lowercase())
}

/// `text` with its first character lowercased (`Dealers` → `dealers`,
/// `Former Chelsea captain` → `former Chelsea captain`): for a phrase whose
/// capital only the start of its sentence gave it.
pub fn lowercase_initial(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(initial) => initial.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Converts byte offsets of one text into code-point offsets.
///
/// Pure-ASCII text (most English news) needs no table: both offsets coincide.
#[derive(Debug, Clone)]
pub struct CharOffsets {
    /// Byte offset of every non-ASCII char, in order; empty for ASCII text.
    multibyte_starts: Vec<(usize, usize)>,
}

impl CharOffsets {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharOffsets {
                multibyte_starts: Vec::new(),
            };
        }
        // (byte offset just after each multi-byte char, extra bytes so far),
        // read from the lead bytes without decoding the chars.
        let mut multibyte_starts = Vec::new();
        let mut extra_bytes = 0;
        let bytes = text.as_bytes();
        let mut byte = 0;
        while byte < bytes.len() {
            // Eight ASCII bytes at a time.
            if bytes.get(byte..byte + 8).is_some_and(<[u8]>::is_ascii) {
                byte += 8;
                continue;
            }
            let len = match bytes[byte] {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                // ASCII (a continuation byte is stepped over with its lead).
                _ => {
                    byte += 1;
                    continue;
                }
            };
            extra_bytes += len - 1;
            multibyte_starts.push((byte + len, extra_bytes));
            byte += len;
        }
        CharOffsets { multibyte_starts }
    }

    /// Code-point offset of the char boundary at `byte` (which must be a boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        let preceding = self
            .multibyte_starts
            .partition_point(|(end, _)| *end <= byte);
        match preceding {
            0 => byte,
            n => byte - self.multibyte_starts[n - 1].1,
        }
    }
}

/// Byte offset of code point `char_offset` in `text` (its length if past the end).
pub fn byte_offset(text: &str, char_offset: usize) -> usize {
    text.char_indices()
        .nth(char_offset)
        .map_or(text.len(), |(byte, _)| byte)
}

/// Byte offsets of the code-point offsets `char_offsets` of `text`, found in
/// one pass: returns a lookup from a code-point offset (one of those given)
/// to its byte offset; `None` for offsets past the end of the text.
pub fn char_to_byte_offsets(
    text: &str,
    char_offsets: &mut Vec<usize>,
) -> impl Fn(usize) -> Option<usize> {
    char_offsets.sort_unstable();
    char_offsets.dedup();
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(char_offsets.len());
    if text.is_ascii() {
        pairs.extend(
            char_offsets
                .iter()
                .filter(|offset| **offset <= text.len())
                .map(|offset| (*offset, *offset)),
        );
    } else {
        let mut wanted = char_offsets.iter().copied().peekable();
        let mut count = 0;
        for (char_index, (byte, _)) in text.char_indices().enumerate() {
            while wanted.next_if(|w| *w == char_index).is_some() {
                pairs.push((char_index, byte));
            }
            count = char_index + 1;
        }
        if wanted.peek() == Some(&count) {
            pairs.push((count, text.len()));
        }
    }
    move |char_offset| {
        pairs
            .binary_search_by_key(&char_offset, |pair| pair.0)
            .ok()
            .map(|index| pairs[index].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combining_marks_continue_words() {
        // Tamil virama (pulli) and vowel signs, Devanagari virama and
        // anusvara, a decomposed accent: all inside the word.
        for word in [
            "ஸ்டாலின்",
            "தெரிவித்துள்ளார்",
            "கௌ",
            "मंत्री",
            "प्रधान",
            "re\u{301}sume\u{301}",
        ] {
            let mut chars = word.chars();
            assert!(chars.next().is_some_and(char::is_alphanumeric), "{word}");
            assert!(chars.all(continues_word), "{word}");
        }
        for c in [' ', ',', '.', '“', '-', '\u{200b}'] {
            assert!(!continues_word(c), "{c:?}");
        }
    }

    #[test]
    fn lowercasing_on_the_stack_is_to_lowercase() {
        let long = "A".repeat(STACK_LOWERCASE + 1);
        for word in [
            "",
            "Mr.",
            "NEW ZEALAND",
            "O'Neill",
            "Élysée",
            "İstanbul",
            &long,
        ] {
            assert_eq!(with_lowercase(word, str::to_owned), word.to_lowercase());
        }
    }

    #[test]
    fn ascii_offsets_are_identity() {
        let offsets = CharOffsets::new("hello world");
        assert_eq!(offsets.char_offset(0), 0);
        assert_eq!(offsets.char_offset(6), 6);
        assert_eq!(offsets.char_offset(11), 11);
    }

    #[test]
    fn multibyte_offsets_count_code_points() {
        let text = "“Hé” said 王毅.";
        let offsets = CharOffsets::new(text);
        for (char_index, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.char_offset(byte), char_index, "byte {byte}");
            assert_eq!(byte_offset(text, char_index), byte);
        }
        assert_eq!(offsets.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn code_points_map_to_bytes_in_one_pass() {
        let text = "“Hé” said 王毅.";
        let mut wanted = vec![13, 0, 2, 99, 10, 2];
        let byte_of = char_to_byte_offsets(text, &mut wanted);
        assert_eq!(byte_of(0), Some(0));
        assert_eq!(byte_of(2), Some(byte_offset(text, 2)));
        assert_eq!(byte_of(10), Some(byte_offset(text, 10)));
        assert_eq!(byte_of(13), Some(text.len()));
        assert_eq!(byte_of(99), None);
        assert_eq!(byte_of(5), None, "not asked for");
        let ascii = char_to_byte_offsets("abc", &mut vec![1, 3, 4]);
        assert_eq!((ascii(1), ascii(3), ascii(4)), (Some(1), Some(3), None));
    }
}
