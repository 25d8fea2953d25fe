//! Cursors for deep paging: an opaque token holding the sort order and the key
//! of the last hit returned; the next page starts strictly after it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::collector::SortKey;
use super::SortOrder;

/// Encodes the position after `key` for `sort`.
pub fn encode_cursor(sort: SortOrder, key: SortKey) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{}:{:x}:{:x}", sort.as_str(), key.0, key.1))
}

/// Decodes a cursor; `None` if it is malformed or was made for another sort order.
pub fn decode_cursor(cursor: &str, sort: SortOrder) -> Option<SortKey> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.split(':');
    if parts.next()? != "v1" || parts.next()? != sort.as_str() {
        return None;
    }
    let primary = u64::from_str_radix(parts.next()?, 16).ok()?;
    let secondary = u64::from_str_radix(parts.next()?, 16).ok()?;
    parts.next().is_none().then_some((primary, secondary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_check_sort() {
        let cursor = encode_cursor(SortOrder::PublishedDescending, (42, u64::MAX));
        assert_eq!(
            decode_cursor(&cursor, SortOrder::PublishedDescending),
            Some((42, u64::MAX))
        );
        assert_eq!(decode_cursor(&cursor, SortOrder::Relevance), None);
        assert_eq!(decode_cursor("garbage!", SortOrder::Relevance), None);
        assert_eq!(decode_cursor("", SortOrder::Relevance), None);
    }
}
