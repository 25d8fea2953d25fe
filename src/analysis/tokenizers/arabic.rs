//! A light normaliser in front of the Snowball Arabic stemmer: the definite
//! article and the particles written on it (`ال`, `وال`, `فال`, `بال`,
//! `كال`, `لل`) come off before stemming. Snowball's suffix rules depend on
//! the word's length, so with the article left on `المفاوضات` stems to
//! `مفاوض` and `مفاوضات` to `مفاوضا`; without it both reach one term.
//!
//! Conservative on purpose: a lone `و`, `ف`, `ب` or `ل` on a word without
//! the article stays (`وزير` is *minister*, not *and* + `زير`), and nothing
//! comes off a stem shorter than three letters.

use std::borrow::Cow;

/// The article with the particles written on it, longest first.
const ARTICLE_PREFIXES: &[&str] = &[
    "وبال", "فبال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال",
];

/// Fewest letters left after a prefix comes off.
const MIN_STEM_LETTERS: usize = 3;

/// `word` without its definite article and the particles on it, and without
/// short vowel marks and tatweel: `والمفاوضات` → `مفاوضات`.
pub fn strip_article(word: &str) -> Cow<'_, str> {
    let word: Cow<'_, str> = if word.chars().any(is_mark) {
        Cow::Owned(word.chars().filter(|&c| !is_mark(c)).collect())
    } else {
        Cow::Borrowed(word)
    };
    let stripped = ARTICLE_PREFIXES.iter().find_map(|prefix| {
        word.strip_prefix(prefix)
            .filter(|rest| rest.chars().count() >= MIN_STEM_LETTERS)
            .map(str::to_owned)
    });
    match (stripped, word) {
        (Some(rest), _) => Cow::Owned(rest),
        (None, word) => word,
    }
}

/// Short vowel marks (harakat, U+064B–U+0652) and tatweel (U+0640).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{0652}' | '\u{0640}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_and_particles_come_off() {
        for word in [
            "المفاوضات",
            "والمفاوضات",
            "بالمفاوضات",
            "فالمفاوضات",
            "مفاوضات",
        ] {
            assert_eq!(strip_article(word), "مفاوضات", "{word}");
        }
        assert_eq!(strip_article("للصحفيين"), "صحفيين");
        assert_eq!(strip_article("المُفاوَضات"), "مفاوضات");
    }

    #[test]
    fn lone_particles_and_short_stems_stay() {
        assert_eq!(strip_article("وزير"), "وزير");
        assert_eq!(strip_article("الله"), "الله");
        assert_eq!(strip_article("بيان"), "بيان");
        assert_eq!(strip_article("negotiations"), "negotiations");
    }
}
