//! Text offsets. Analysis works on UTF-8 byte offsets internally; everything it
//! reports is in Unicode code points, as the API promises. [`CharOffsets`]
//! converts between the two without re-scanning the text for every span.

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
        // (byte offset just after each multi-byte char, extra bytes so far)
        let mut multibyte_starts = Vec::new();
        let mut extra_bytes = 0;
        for (byte, ch) in text.char_indices() {
            let len = ch.len_utf8();
            if len > 1 {
                extra_bytes += len - 1;
                multibyte_starts.push((byte + len, extra_bytes));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
