//! How close a claimed quote is to an attested one, and which words differ.
//!
//! Both texts are cut into [`Words`]: NFKC-normalised, lowercased,
//! accent-folded runs of letters and digits (an apostrophe inside a word
//! stays, each CJK character is a word of its own), so quotation marks,
//! punctuation and case never count (a point or comma between digits stays:
//! `2.2`, `1,750`). Each word has a *key*, its English
//! Snowball stem (`raised` and `raises` are one word), and a weight: function
//! words (articles, pronouns, auxiliaries, prepositions, conjunctions) weigh
//! [`FUNCTION_WORD_WEIGHT`], so `we will` for `they would` costs little and a
//! content word replaced costs much.
//!
//! [`compare`] measures, from the claim's side (a claim may be an excerpt of
//! a longer quote):
//!
//! - `words`: the share of the claim's word weight found in the attested
//!   quote, as a multiset, in any order (robust to reordering);
//! - `order`: the share of those found words that come in the same order
//!   (longest common subsequence);
//! - `characters`: the share of the claim's character trigrams found in the
//!   attested quote (robust to small spelling changes and inflections);
//! - `precision`: the share of the attested quote's weight the claim covers
//!   (so that of two quotes holding the claim, the one closer in length wins);
//!
//! and combines them into one `score` from 0 to 1. [`Exactness`] says whether
//! the claim's words are the attested words as written (whole, or a
//! contiguous excerpt of at least [`MIN_EXCERPT_WORDS`] words).
//!
//! [`word_diff`] marks, on the claim's words against the attested ones (by
//! word as written, not by stem), what the claim leaves out or adds:
//! `<del>` around claimed words the quote does not have, `<ins>` around the
//! quote's words the claim does not have. Only the part of the quote the
//! claim aligns with is shown; `…` marks what is cut.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::analysis::text::continues_word;

/// Weight of a function word; content words weigh 1.
pub const FUNCTION_WORD_WEIGHT: f32 = 0.3;

/// Fewest words a claim needs to count as an exact excerpt of a longer quote.
pub const MIN_EXCERPT_WORDS: usize = 3;

/// Words whose change does not change what a statement says: articles,
/// pronouns and possessives, auxiliaries and modals, prepositions,
/// conjunctions, negation aside (`not` is content). English only; other
/// languages weigh every word as content.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "some", "any", "i", "me", "my", "mine",
    "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his", "she", "her", "hers",
    "it", "its", "they", "them", "their", "theirs", "one", "is", "are", "was", "were", "be",
    "been", "being", "am", "'s", "'re", "'ve", "'ll", "'d", "do", "does", "did", "have", "has",
    "had", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "of", "in",
    "on", "at", "to", "for", "with", "by", "from", "into", "onto", "about", "as", "than", "and",
    "or", "but", "so", "if", "then", "there", "here", "which", "who", "whom", "whose", "what",
    "just", "very", "also", "too", "going", "gonna", "i'm", "we're", "we've", "we'll", "we'd",
    "you're", "you've", "you'll", "he's", "she's", "it's", "they're", "they've", "they'll",
    "they'd", "i've", "i'll", "i'd", "that's", "there's",
];

/// Whether `norm` (a lowercased, folded word) is a function word, which
/// weighs [`FUNCTION_WORD_WEIGHT`].
pub fn is_function_word(norm: &str) -> bool {
    static SET: std::sync::LazyLock<foldhash::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| FUNCTION_WORDS.iter().copied().collect());
    SET.contains(norm)
}

/// One word of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// As written (after NFKC), for the diff.
    pub surface: String,
    /// Lowercased and accent-folded: equal words are equal as written.
    pub norm: String,
    /// What similarity compares: the English stem of `norm` (a function
    /// word keeps its `norm`).
    pub key: String,
    /// [`FUNCTION_WORD_WEIGHT`] for a function word, else 1.
    pub weight: f32,
}

/// A text cut into words.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Words {
    /// The words, in order.
    pub words: Vec<Word>,
}

impl Words {
    /// Cuts `text` into words (see the module documentation).
    pub fn new(text: &str) -> Words {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut words = Vec::new();
        cut(text, |surface| words.push(word(surface, &stemmer)));
        Words { words }
    }

    /// What [`Words::normalized`] gives for `text`, without stemming each
    /// word (for ingest, which needs only this).
    pub fn normalize(text: &str) -> String {
        if text.is_ascii() {
            return normalize_ascii(text);
        }
        normalize_any(text)
    }

    /// Whether the text has no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// The words as written, lowercased and folded, joined by spaces: two
    /// texts with the same words in the same order have the same one.
    pub fn normalized(&self) -> String {
        let norms: Vec<&str> = self.words.iter().map(|w| w.norm.as_str()).collect();
        norms.join(" ")
    }

    fn total_weight(&self) -> f32 {
        self.words.iter().map(|w| w.weight).sum()
    }
}

/// Cuts `text` (after NFKC) into word surfaces, handing each to `emit`.
fn cut(text: &str, mut emit: impl FnMut(String)) {
    let normalized: String = text.nfkc().collect();
    let mut current = String::new();
    let chars: Vec<char> = normalized.chars().collect();
    let mut push = |current: &mut String| {
        let surface = current.trim_end_matches('\'').to_owned();
        current.clear();
        if !surface.is_empty() {
            emit(surface);
        }
    };
    for (index, &c) in chars.iter().enumerate() {
        if is_cjk(c) {
            push(&mut current);
            current.push(c);
            push(&mut current);
        } else if c.is_alphanumeric() || (!current.is_empty() && continues_word(c)) {
            // A combining mark (a Tamil virama) belongs to its word.
            current.push(c);
        } else if matches!(c, '.' | ',')
            && current
                .chars()
                .last()
                .is_some_and(|last| last.is_ascii_digit())
            && chars
                .get(index + 1)
                .is_some_and(|next| next.is_ascii_digit())
        {
            // A number: `2.2`, `1,750`.
            current.push(c);
        } else if matches!(c, '\'' | '’' | 'ʼ')
            && !current.is_empty()
            && chars
                .get(index + 1)
                .is_some_and(|next| next.is_alphanumeric())
        {
            current.push('\'');
        } else {
            push(&mut current);
        }
    }
    push(&mut current);
}

/// [`Words::normalize`] of any text.
fn normalize_any(text: &str) -> String {
    let mut normalized = String::with_capacity(text.len());
    cut(text, |surface| {
        if !normalized.is_empty() {
            normalized.push(' ');
        }
        normalized.push_str(&fold(&surface));
    });
    normalized
}

/// [`Words::normalize`] of ASCII text, in one pass without allocating per
/// word: NFKC and accent folding leave ASCII as it is, and [`cut`]'s rules
/// read the same on bytes (an ASCII letter or digit is alphanumeric and
/// continues a word; no ASCII char is CJK).
fn normalize_ascii(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut normalized = String::with_capacity(text.len());
    let mut current = String::new();
    let mut push = |current: &mut String| {
        let surface = current.trim_end_matches('\'');
        if !surface.is_empty() {
            if !normalized.is_empty() {
                normalized.push(' ');
            }
            normalized.push_str(surface);
        }
        current.clear();
    };
    for (index, &byte) in bytes.iter().enumerate() {
        let next_is = |test: fn(&u8) -> bool| bytes.get(index + 1).is_some_and(test);
        if byte.is_ascii_alphanumeric() {
            current.push(byte.to_ascii_lowercase() as char);
        } else if matches!(byte, b'.' | b',')
            && current.as_bytes().last().is_some_and(u8::is_ascii_digit)
            && next_is(u8::is_ascii_digit)
        {
            current.push(byte as char);
        } else if byte == b'\'' && !current.is_empty() && next_is(u8::is_ascii_alphanumeric) {
            current.push('\'');
        } else {
            push(&mut current);
        }
    }
    push(&mut current);
    normalized
}

/// A surface lowercased and accent-folded: a word's `norm`.
fn fold(surface: &str) -> String {
    surface
        .to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect()
}

fn word(surface: String, stemmer: &Stemmer) -> Word {
    let norm = fold(&surface);
    let function = is_function_word(&norm);
    let key = if function {
        norm.clone()
    } else {
        stemmer.stem(&norm).into_owned()
    };
    Word {
        surface,
        norm,
        key,
        weight: if function { FUNCTION_WORD_WEIGHT } else { 1.0 },
    }
}

/// Han, kana and Hangul: written without spaces, so one word per character.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF | 0x20000..=0x2FA1F)
}

/// Whether a claim's words are an attested quote's words as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exactness {
    /// The same words in the same order.
    Whole,
    /// A contiguous run of the quote's words, at least
    /// [`MIN_EXCERPT_WORDS`] long.
    Excerpt,
    /// Some words differ, are missing or moved.
    No,
}

/// How close a claim is to an attested quote (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Everything combined, 0 to 1; what matches are ranked by.
    pub score: f32,
    /// Share of the claim's word weight found in the quote, in any order.
    pub words: f32,
    /// Share of the found words that come in the quote's order.
    pub order: f32,
    /// Share of the claim's character trigrams found in the quote.
    pub characters: f32,
    /// Share of the quote's word weight the claim covers.
    pub precision: f32,
    /// Whether the words are the quote's as written.
    pub exactness: Exactness,
}

/// Weights of [`Similarity::score`]: claim words found, found in order,
/// characters, precision. They sum to 1.
pub const SCORE_WEIGHTS: [f32; 4] = [0.55, 0.1, 0.2, 0.15];

/// How close `claim` is to `attested`.
pub fn compare(claim: &Words, attested: &Words) -> Similarity {
    let claim_weight = claim.total_weight();
    let attested_weight = attested.total_weight();
    if claim.is_empty() || attested.is_empty() || claim_weight <= 0.0 {
        return Similarity {
            score: 0.0,
            words: 0.0,
            order: 0.0,
            characters: 0.0,
            precision: 0.0,
            exactness: Exactness::No,
        };
    }
    let mut available: HashMap<&str, u32> = HashMap::with_capacity(attested.len());
    for word in &attested.words {
        *available.entry(word.key.as_str()).or_default() += 1;
    }
    let mut found = 0.0;
    for word in &claim.words {
        if let Some(count) = available.get_mut(word.key.as_str()).filter(|c| **c > 0) {
            *count -= 1;
            found += word.weight;
        }
    }
    let in_order = lcs_weight(&claim.words, &attested.words, |w| &w.key);
    let words = found / claim_weight;
    let order = if found > 0.0 { in_order / found } else { 0.0 };
    let characters = trigram_containment(claim, attested);
    let precision = (found / attested_weight.max(f32::EPSILON)).min(1.0);
    let [w_words, w_order, w_characters, w_precision] = SCORE_WEIGHTS;
    let score = w_words * words
        + w_order * order * words
        + w_characters * characters
        + w_precision * precision;
    Similarity {
        score: score.clamp(0.0, 1.0),
        words,
        order,
        characters,
        precision,
        exactness: exactness(claim, attested),
    }
}

fn exactness(claim: &Words, attested: &Words) -> Exactness {
    let claim_norms: Vec<&str> = claim.words.iter().map(|w| w.norm.as_str()).collect();
    let attested_norms: Vec<&str> = attested.words.iter().map(|w| w.norm.as_str()).collect();
    if claim_norms == attested_norms {
        return Exactness::Whole;
    }
    if claim_norms.len() >= MIN_EXCERPT_WORDS
        && attested_norms
            .windows(claim_norms.len())
            .any(|window| window == claim_norms.as_slice())
    {
        return Exactness::Excerpt;
    }
    Exactness::No
}

/// Weight of the heaviest common subsequence of `a` and `b` by `key`.
fn lcs_weight(a: &[Word], b: &[Word], key: impl Fn(&Word) -> &String) -> f32 {
    let mut previous = vec![0.0f32; b.len() + 1];
    let mut current = vec![0.0f32; b.len() + 1];
    for word in a {
        for (j, other) in b.iter().enumerate() {
            current[j + 1] = if key(word) == key(other) {
                previous[j] + word.weight
            } else {
                previous[j + 1].max(current[j])
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Character trigrams of the words' norms, spaces between words included.
fn trigrams(words: &Words) -> HashSet<[char; 3]> {
    let chars: Vec<char> = format!(" {} ", words.normalized()).chars().collect();
    chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

fn trigram_containment(claim: &Words, attested: &Words) -> f32 {
    let claimed = trigrams(claim);
    if claimed.is_empty() {
        return 0.0;
    }
    let found = trigrams(attested);
    claimed.iter().filter(|t| found.contains(*t)).count() as f32 / claimed.len() as f32
}

/// One step of an alignment of two word sequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The same word in both.
    Same(usize, usize),
    /// A claimed word the quote does not have.
    Deleted(usize),
    /// A quote word the claim does not have.
    Inserted(usize),
}

/// Aligns `a` with `b` on equal norms (longest common subsequence).
fn align(a: &[Word], b: &[Word]) -> Vec<Step> {
    let (n, m) = (a.len(), b.len());
    // lengths[i][j]: LCS of a[i..] and b[j..].
    let mut lengths = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[at(i, j)] = if a[i].norm == b[j].norm {
                lengths[at(i + 1, j + 1)] + 1
            } else {
                lengths[at(i + 1, j)].max(lengths[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut steps = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i].norm == b[j].norm {
            steps.push(Step::Same(i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lengths[at(i, j + 1)] >= lengths[at(i + 1, j)]) {
            steps.push(Step::Inserted(j));
            j += 1;
        } else {
            steps.push(Step::Deleted(i));
            i += 1;
        }
    }
    steps
}

/// The part of `attested` the claim aligns with: from the first to the last
/// word they share, widened at either end by twice the claim's unshared
/// words there (a first word replaced, even by two, shows as replaced, not
/// as cut).
fn aligned_window(claim: &Words, attested: &Words) -> std::ops::Range<usize> {
    let steps = align(&claim.words, &attested.words);
    let shared: Vec<(usize, usize)> = steps
        .iter()
        .filter_map(|step| match step {
            Step::Same(i, j) => Some((*i, *j)),
            _ => None,
        })
        .collect();
    let (Some(&(first_claim, first)), Some(&(last_claim, last))) = (shared.first(), shared.last())
    else {
        return 0..attested.len();
    };
    let trailing = claim.len() - 1 - last_claim;
    let start = first.saturating_sub(2 * first_claim);
    let end = (last + 1 + 2 * trailing).min(attested.len());
    start..end
}

/// The claim's words against the attested quote's, as HTML: words both have
/// as they are, `<del>` around the claim's words the quote does not have,
/// `<ins>` around the quote's words the claim does not have, `…` where the
/// quote goes on beyond the part the claim aligns with. Words are compared
/// as written (case, accents and punctuation aside).
pub fn word_diff(claim: &Words, attested: &Words) -> String {
    let window = aligned_window(claim, attested);
    let shown = &attested.words[window.clone()];
    let steps = align(&claim.words, shown);
    let mut pieces: Vec<String> = Vec::new();
    if window.start > 0 {
        pieces.push("…".to_owned());
    }
    let mut index = 0;
    while index < steps.len() {
        match steps[index] {
            Step::Same(_, j) => {
                pieces.push(escape(&shown[j].surface));
                index += 1;
            }
            Step::Deleted(_) | Step::Inserted(_) => {
                let mut deleted = Vec::new();
                let mut inserted = Vec::new();
                while let Some(step) = steps.get(index) {
                    match *step {
                        Step::Deleted(i) => deleted.push(escape(&claim.words[i].surface)),
                        Step::Inserted(j) => inserted.push(escape(&shown[j].surface)),
                        Step::Same(..) => break,
                    }
                    index += 1;
                }
                if !deleted.is_empty() {
                    pieces.push(format!("<del>{}</del>", deleted.join(" ")));
                }
                if !inserted.is_empty() {
                    pieces.push(format!("<ins>{}</ins>", inserted.join(" ")));
                }
            }
        }
    }
    if window.end < attested.len() {
        pieces.push("…".to_owned());
    }
    pieces.join(" ")
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_normalized_words_without_stemming() {
        for text in [
            "“We’re ready,” he said — at 2.2 pct, not 1,750!",
            "Déjà vu: the ECB's rates' rise",
            "中国经济 grows 5%",
            "",
            // ASCII takes its own path.
            "\"We're READY,\" he said -- at 2.2 pct, not 1,750! 3. ,5 'x' a'' O'Neil's 7,",
            "'' '. 1.. 2,,3 rock'n'roll U.S. e.g.",
        ] {
            assert_eq!(
                Words::normalize(text),
                Words::new(text).normalized(),
                "{text}"
            );
        }
    }

    /// The ASCII path of `normalize` agrees with the general one on
    /// pseudo-random text made of the chars its rules look at.
    #[test]
    fn ascii_normalize_matches_the_general_path() {
        let alphabet = b"aZ09.,' -\"!x";
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(alphabet[(state % alphabet.len() as u64) as usize] as char);
            }
            assert_eq!(normalize_ascii(&text), normalize_any(&text), "{text:?}");
        }
    }

    fn similarity(claim: &str, attested: &str) -> Similarity {
        compare(&Words::new(claim), &Words::new(attested))
    }

    fn diff(claim: &str, attested: &str) -> String {
        word_diff(&Words::new(claim), &Words::new(attested))
    }

    const QUOTE: &str = "We are not going to raise taxes on working families this year.";

    #[test]
    fn words_ignore_marks_case_and_accents_and_keep_apostrophes() {
        let words = Words::new("“Don’t PANIC,” said the Café's owner — 中美, 2.2 pct, 1,750.");
        let norms: Vec<&str> = words.words.iter().map(|w| w.norm.as_str()).collect();
        assert_eq!(
            norms,
            [
                "don't", "panic", "said", "the", "cafe's", "owner", "中", "美", "2.2", "pct",
                "1,750"
            ]
        );
        assert_eq!(Words::new("«  »").len(), 0);
        assert_eq!(Words::new("“முதல்வர் ஸ்டாலின் கூறினார்”").len(), 3);
        assert_eq!(
            Words::new("\"We're ready,\" he said").normalized(),
            Words::new("we’re READY he said").normalized()
        );
    }

    #[test]
    fn the_same_words_are_exact_whatever_the_marks_and_case() {
        let same = similarity(
            "“we are NOT going to raise taxes on working families this year”",
            QUOTE,
        );
        assert_eq!(same.exactness, Exactness::Whole);
        assert!(same.score > 0.99, "{same:?}");
        let excerpt = similarity("raise taxes on working families", QUOTE);
        assert_eq!(excerpt.exactness, Exactness::Excerpt);
        assert_eq!(excerpt.words, 1.0);
        assert_eq!(similarity("raise taxes", QUOTE).exactness, Exactness::No);
    }

    /// Each way of misquoting lowers the score, but less than a different
    /// statement on the same subject.
    #[test]
    fn misquotes_stay_close_and_other_statements_do_not() {
        let cases = [
            (
                "dropped words",
                "We are not going to raise taxes this year.",
            ),
            (
                "reordered",
                "This year we are not going to raise taxes on working families.",
            ),
            (
                "function words",
                "They were not going to raise taxes on the working families this year.",
            ),
            (
                "tense",
                "We were not going to raise the taxes on working families this year.",
            ),
            (
                "synonym",
                "We are not going to increase taxes on working families this year.",
            ),
            ("truncated", "We are not going to raise taxes"),
        ];
        let unrelated = similarity(
            "The government will cut spending on defence next year, the minister said.",
            QUOTE,
        );
        assert!(unrelated.score < 0.45, "{unrelated:?}");
        for (kind, claim) in cases {
            let close = similarity(claim, QUOTE);
            assert!(close.score > 0.7, "{kind}: {close:?}");
            assert!(close.score > unrelated.score + 0.3, "{kind}");
            assert_ne!(close.exactness, Exactness::Whole, "{kind}");
        }
        // Reordering keeps every word; order notices.
        let reordered = similarity("taxes raise to going not are we", QUOTE);
        assert_eq!(reordered.words, 1.0);
        assert!(reordered.order < 0.5);
    }

    /// Of two quotes that hold the claim, the one nearer its length ranks first.
    #[test]
    fn the_shorter_holder_of_a_claim_ranks_first() {
        let short = similarity(
            "raise taxes on working families",
            "We will not raise taxes on working families.",
        );
        let long = similarity(
            "raise taxes on working families",
            "We will not raise taxes on working families, and we will protect pensions, schools and hospitals across the country.",
        );
        assert!(short.score > long.score, "{short:?} {long:?}");
    }

    #[test]
    fn empty_texts_are_not_similar() {
        assert_eq!(similarity("", QUOTE).score, 0.0);
        assert_eq!(similarity("…", QUOTE).score, 0.0);
        assert_eq!(similarity("taxes", "").score, 0.0);
    }

    #[test]
    fn the_diff_marks_what_the_claim_changes() {
        let cases = [
            (QUOTE, "We are not going to raise taxes on working families this year"),
            (
                "We are not going to increase taxes on families this year",
                "We are not going to <del>increase</del> <ins>raise</ins> taxes on <ins>working</ins> families this year",
            ),
            (
                "we're not going to raise taxes",
                "<del>we&#39;re</del> <ins>We are</ins> not going to raise taxes …",
            ),
            (
                "raise taxes on families",
                "… raise taxes on <ins>working</ins> families …",
            ),
            (
                "Taxes will rise <b>",
                "… taxes <del>will rise b</del> <ins>on working families this year</ins>",
            ),
            (
                "Nothing in common",
                "<del>Nothing in common</del> <ins>We are not going to raise taxes on working families this year</ins>",
            ),
        ];
        for (claim, expected) in cases {
            assert_eq!(diff(claim, QUOTE), expected, "{claim}");
        }
    }
}
