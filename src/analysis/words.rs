//! Words: the one tokenisation of an article that enrichment shares
//! (entities, topics, keyphrases, quote subjects). Each [`Word`] keeps its
//! byte range, its case [`Shape`], the [`Gap`] that separates it from the
//! previous word, whether it is a stopword, and its Snowball stem, computed
//! once per distinct word of the article.
//!
//! The rules are made for English news: `U.S.` is one word (normalised to
//! `us`), `China's` is `China` marked possessive, hyphens join words
//! (`counter-narcotics` is two words with a hyphen gap), `Mr.` and initials do
//! not end sentences, and words glued by a lost line break (`ChinaIt comes`)
//! are split again when the second part is a capitalised function word.

use foldhash::{HashMap, HashMapExt};
use std::cell::RefCell;
use std::ops::Range;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::cues;
use super::lexicon::{flags_of, WordFlags, STOPWORD};
use super::text::continues_word;

/// How a word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Starts with a lowercase letter.
    Lower,
    /// Starts with an uppercase letter and has lowercase letters (`China`, `TikTok`).
    Capitalized,
    /// Letters all uppercase (`CNN`, `U.S.`, `I`).
    Upper,
    /// Starts with a digit (`2024`, `5G`).
    Number,
}

/// What separates a word from the word before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gap {
    /// Only spaces (or nothing but a possessive).
    Space,
    /// A hyphen with no spaces around it (`US-China`).
    Hyphen,
    /// Clause punctuation: commas, colons, brackets, quotation marks, dashes, slashes.
    Clause,
    /// The end of a sentence or paragraph, or the start of the title or body.
    Sentence,
}

/// One word of the title or body.
#[derive(Debug, Clone)]
pub struct Word {
    /// Byte offset of the first byte in its text (title or body).
    pub start: u32,
    /// Byte offset one past the last byte, possessive `'s` included.
    pub end: u32,
    /// Whether the word is in the title (else in the body).
    pub in_title: bool,
    /// How it is written.
    pub shape: Shape,
    /// What separates it from the previous word.
    pub gap: Gap,
    /// It ends in a possessive `'s` (not part of [`Words::norm`]).
    pub possessive: bool,
    /// It is a function word (`the`, `of`, `said`).
    pub stopword: bool,
    /// What the lexicon says of the word.
    pub flags: WordFlags,
    norm: (u32, u32),
    stem: u32,
}

impl Word {
    /// Starts with an uppercase letter.
    pub fn is_capitalized(&self) -> bool {
        matches!(self.shape, Shape::Capitalized | Shape::Upper)
    }

    /// Starts a sentence (or the title or body).
    pub fn starts_sentence(&self) -> bool {
        self.gap == Gap::Sentence
    }
}

/// The words of an article's title and body.
#[derive(Debug)]
pub struct Words<'a> {
    title: &'a str,
    body: &'a str,
    words: Vec<Word>,
    body_start: usize,
    /// Normalised forms and stems, back to back.
    arena: String,
    /// Stem id → its range in `arena`.
    stems: Vec<(u32, u32)>,
}

/// Capitalised function words that start a sentence glued to the previous
/// word by a lost line break (`ChinaIt comes`).
const GLUED_SENTENCE_STARTERS: &[&str] = &[
    "It",
    "The",
    "He",
    "She",
    "They",
    "We",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "As",
    "But",
    "And",
    "Before",
    "After",
    "When",
    "While",
    "If",
    "For",
    "Its",
    "His",
    "Her",
    "Their",
    "There",
    "Then",
    "Meanwhile",
    "However",
    "Earlier",
    "Later",
    "During",
    "Since",
];

static ENGLISH_STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Distinct words a thread remembers across articles (with their flags and
/// stems), a few megabytes; the memory is emptied when it grows past this.
/// Snowball is the costliest step of tokenisation, and news vocabulary repeats.
const STEM_CACHE_LIMIT: usize = 50_000;

/// A thread's memory of the words it has tokenised: each distinct lowercase
/// word with its flags and the id of its stem, and the stems by id. Ids are
/// per thread; [`Words`] maps them to dense per-article ids.
#[derive(Default)]
struct Vocabulary {
    words: HashMap<Box<str>, (u32, WordFlags)>,
    stem_ids: HashMap<Box<str>, u32>,
    stems: Vec<Box<str>>,
}

impl Vocabulary {
    /// The thread-wide stem id and flags of a lowercase word. Function words
    /// are their own stem (they are never matched by stem).
    fn lookup(&mut self, norm: &str) -> (u32, WordFlags) {
        if let Some(found) = self.words.get(norm) {
            return *found;
        }
        let flags = flags_of(norm);
        let stem: std::borrow::Cow<str> = if flags & STOPWORD != 0 {
            norm.into()
        } else {
            ENGLISH_STEMMER.stem(norm)
        };
        let id = match self.stem_ids.get(stem.as_ref()) {
            Some(id) => *id,
            None => {
                let id = self.stems.len() as u32;
                let stem: Box<str> = stem.into();
                self.stems.push(stem.clone());
                self.stem_ids.insert(stem, id);
                id
            }
        };
        self.words.insert(norm.into(), (id, flags));
        (id, flags)
    }
}

thread_local! {
    static VOCABULARY: RefCell<Vocabulary> = RefCell::new(Vocabulary::default());
}

/// Whether `norm` (a lowercase word) is a stopword.
pub fn is_stopword(norm: &str) -> bool {
    flags_of(norm) & STOPWORD != 0
}

/// A word found by the scanner, before normalisation.
struct RawWord {
    start: usize,
    end: usize,
    gap: Gap,
}

impl<'a> Words<'a> {
    /// Tokenises `title` and `body`; title words come first.
    pub fn new(title: &'a str, body: &'a str) -> Self {
        let mut words = Words {
            title,
            body,
            words: Vec::with_capacity(body.len() / 5 + title.len() / 5 + 4),
            body_start: 0,
            arena: String::with_capacity(body.len() + title.len()),
            stems: Vec::new(),
        };
        VOCABULARY.with(|vocabulary| {
            let mut vocabulary = vocabulary.borrow_mut();
            // Forget everything between articles once the thread knows too
            // many words (ids must stay stable within one article).
            if vocabulary.words.len() >= STEM_CACHE_LIMIT {
                *vocabulary = Vocabulary::default();
            }
            let mut local_stem: HashMap<u32, u32> = HashMap::with_capacity(256);
            let mut raw = Vec::new();
            scan(title, &mut raw);
            words.push_words(true, &raw, &mut vocabulary, &mut local_stem);
            words.body_start = words.words.len();
            raw.clear();
            scan(body, &mut raw);
            words.push_words(false, &raw, &mut vocabulary, &mut local_stem);
        });
        words
    }

    fn push_words(
        &mut self,
        in_title: bool,
        raw: &[RawWord],
        vocabulary: &mut Vocabulary,
        local_stem: &mut HashMap<u32, u32>,
    ) {
        let text = if in_title { self.title } else { self.body };
        let mut norm = String::new();
        for word in raw {
            let surface = &text[word.start..word.end];
            let (without_possessive, possessive) = strip_possessive(surface);
            norm.clear();
            if without_possessive.is_ascii() {
                for byte in without_possessive.bytes() {
                    if byte != b'.' {
                        norm.push(byte.to_ascii_lowercase() as char);
                    }
                }
            } else {
                for ch in without_possessive.chars() {
                    match ch {
                        '.' => {}
                        '’' => norm.push('\''),
                        _ => norm.extend(ch.to_lowercase()),
                    }
                }
            }
            let norm_start = self.arena.len() as u32;
            self.arena.push_str(&norm);
            let norm_range = (norm_start, self.arena.len() as u32);
            let (thread_stem, flags) = vocabulary.lookup(&norm);
            let next_local = self.stems.len() as u32;
            let stem = *local_stem.entry(thread_stem).or_insert(next_local);
            if stem == next_local {
                let stem_start = self.arena.len() as u32;
                self.arena.push_str(&vocabulary.stems[thread_stem as usize]);
                self.stems.push((stem_start, self.arena.len() as u32));
            }
            self.words.push(Word {
                start: word.start as u32,
                end: word.end as u32,
                in_title,
                shape: shape_of(surface),
                gap: word.gap,
                possessive,
                stopword: flags & STOPWORD != 0,
                flags,
                norm: norm_range,
                stem,
            });
        }
    }

    /// Every word, title first.
    pub fn all(&self) -> &[Word] {
        &self.words
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Index of the first body word; words before it are the title's.
    pub fn body_start(&self) -> usize {
        self.body_start
    }

    /// Number of distinct stems.
    pub fn stem_count(&self) -> usize {
        self.stems.len()
    }

    fn text_of(&self, word: &Word) -> &'a str {
        if word.in_title {
            self.title
        } else {
            self.body
        }
    }

    /// The word as written, possessive included.
    pub fn surface(&self, index: usize) -> &'a str {
        let word = &self.words[index];
        &self.text_of(word)[word.start as usize..word.end as usize]
    }

    /// The word as written, without a possessive `'s`.
    pub fn name_text(&self, index: usize) -> &'a str {
        strip_possessive(self.surface(index)).0
    }

    /// Lowercase form without periods or possessive (`U.S.` → `us`).
    pub fn norm(&self, index: usize) -> &str {
        let (start, end) = self.words[index].norm;
        &self.arena[start as usize..end as usize]
    }

    /// Id of the word's stem: equal ids, equal stems.
    pub fn stem_id(&self, index: usize) -> u32 {
        self.words[index].stem
    }

    /// The stem with the given id.
    pub fn stem_text(&self, stem_id: u32) -> &str {
        let (start, end) = self.stems[stem_id as usize];
        &self.arena[start as usize..end as usize]
    }

    /// The text from the start of word `first` to the end of word `last`
    /// (same title or body), without a possessive on the last word.
    pub fn span_text(&self, first: usize, last: usize) -> &'a str {
        let start = self.words[first].start as usize;
        let last_word = &self.words[last];
        let text = self.text_of(last_word);
        let end = last_word.start as usize + self.name_text(last).len();
        if self.words[first].in_title != last_word.in_title || start > end {
            return self.name_text(last);
        }
        &text[start..end]
    }

    /// Body words overlapping the body byte range `start..end`.
    pub fn body_words_in(&self, start: usize, end: usize) -> Range<usize> {
        let body = &self.words[self.body_start..];
        let first = body.partition_point(|w| (w.end as usize) <= start);
        let last = body.partition_point(|w| (w.start as usize) < end);
        self.body_start + first..self.body_start + last.max(first)
    }

    /// The words of the sentences that `range` touches.
    pub fn sentences_around(&self, range: Range<usize>) -> Range<usize> {
        let floor = if range.start >= self.body_start {
            self.body_start
        } else {
            0
        };
        if range.start >= self.words.len() {
            return self.words.len()..self.words.len();
        }
        let mut first = range.start;
        while first > floor && self.words[first].gap != Gap::Sentence {
            first -= 1;
        }
        let mut end = range.end.max(first);
        while end < self.words.len() && self.words[end].gap != Gap::Sentence {
            end += 1;
        }
        first..end
    }
}

fn strip_possessive(surface: &str) -> (&str, bool) {
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(stripped) = surface.strip_suffix(suffix) {
            if !stripped.is_empty() {
                return (stripped, true);
            }
        }
    }
    (surface, false)
}

fn shape_of(surface: &str) -> Shape {
    let Some(first) = surface.chars().next() else {
        return Shape::Lower;
    };
    if first.is_numeric() {
        return Shape::Number;
    }
    if !first.is_uppercase() {
        return Shape::Lower;
    }
    let (without, _) = strip_possessive(surface);
    if without.chars().any(char::is_lowercase) {
        Shape::Capitalized
    } else {
        Shape::Upper
    }
}

/// Finds the words of `text` with the gaps before them.
fn scan(text: &str, out: &mut Vec<RawWord>) {
    let bytes = text.as_bytes();
    let mut gap = Gap::Sentence;
    let mut index = 0;
    while index < text.len() {
        // ASCII needs no decoding.
        let ch = match bytes[index] {
            byte if byte.is_ascii() => byte as char,
            _ => match text[index..].chars().next() {
                Some(ch) => ch,
                None => break,
            },
        };
        if !ch.is_alphanumeric() {
            let next_gap = match ch {
                '.' | '!' | '?' | '\n' | '…' => Gap::Sentence,
                '-' if gap == Gap::Space
                    && index > 0
                    && !bytes[index - 1].is_ascii_whitespace()
                    && text[index + 1..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric) =>
                {
                    Gap::Hyphen
                }
                // `Procter & Gamble` reads as one name.
                c if c.is_whitespace() || c == '&' => Gap::Space,
                _ => Gap::Clause,
            };
            gap = gap.max(next_gap);
            index += ch.len_utf8();
            continue;
        }
        let start = index;
        let end = word_end(text, start);
        // A period after an abbreviation or an initial does not end the sentence.
        let word_gap = if gap == Gap::Sentence
            && out.last().is_some_and(|previous: &RawWord| {
                previous_ends_with_abbreviation(text, previous.start, previous.end, start)
            }) {
            Gap::Space
        } else {
            gap
        };
        push_splitting_glued(text, start, end, word_gap, out);
        gap = Gap::Space;
        index = end;
    }
}

/// Whether the only thing between the word `prev_start..prev_end` and the
/// next word at `next_start` is a period (and spaces), and the word is an
/// abbreviation or an initial.
fn previous_ends_with_abbreviation(
    text: &str,
    prev_start: usize,
    prev_end: usize,
    next_start: usize,
) -> bool {
    let between = &text[prev_end..next_start];
    if between.trim() != "." {
        return false;
    }
    let word = &text[prev_start..prev_end];
    let single_capital = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    // The abbreviations of `config/lang/` are written with their period,
    // as the quote tokenizer keeps them.
    let with_period = text[prev_start..].get(..word.len() + 1);
    single_capital || with_period.is_some_and(cues::is_abbreviation)
}

/// One past the last byte of the word starting at `start`: letters and
/// digits with their combining marks, with `'` and `’` between letters, periods of dotted abbreviations
/// (`U.S.`) and decimal points kept inside.
fn word_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let mut end = 0;
    // Letters in the current period-separated segment; whether every segment
    // so far was a single letter (`U.S.`); whether a period was kept.
    let mut segment_letters = 0usize;
    let mut single_letter_segments = true;
    let mut dotted = false;
    let mut chars = rest.char_indices().peekable();
    while let Some((offset, ch)) = chars.next() {
        if continues_word(ch) {
            segment_letters += 1;
            end = offset + ch.len_utf8();
            continue;
        }
        if segment_letters != 1 {
            single_letter_segments = false;
        }
        let next = chars.peek().map(|&(_, c)| c);
        let previous = rest[..offset].chars().next_back();
        let between = |test: fn(char) -> bool| previous.is_some_and(test) && next.is_some_and(test);
        match ch {
            '\'' | '’' if between(char::is_alphabetic) => single_letter_segments = false,
            '.' | ',' if between(|c| c.is_ascii_digit()) => single_letter_segments = false,
            '.' if single_letter_segments && previous.is_some_and(char::is_alphabetic) => {
                if next.is_some_and(char::is_alphabetic) {
                    dotted = true;
                } else {
                    if dotted {
                        end = offset + 1;
                    }
                    break;
                }
            }
            _ => break,
        }
        segment_letters = 0;
    }
    start + end.max(rest.chars().next().map_or(0, char::len_utf8))
}

/// Pushes the word `start..end`, split in two when a lost line break glued a
/// sentence-starting function word to it (`ChinaIt`).
fn push_splitting_glued(text: &str, start: usize, end: usize, gap: Gap, out: &mut Vec<RawWord>) {
    let word = &text[start..end];
    let mut previous_lower = false;
    for (offset, ch) in word.char_indices() {
        if previous_lower && ch.is_uppercase() && offset >= 2 {
            let rest = &word[offset..];
            let (rest_word, _) = strip_possessive(rest);
            if GLUED_SENTENCE_STARTERS.contains(&rest_word) {
                out.push(RawWord {
                    start,
                    end: start + offset,
                    gap,
                });
                out.push(RawWord {
                    start: start + offset,
                    end,
                    gap: Gap::Sentence,
                });
                return;
            }
        }
        previous_lower = ch.is_lowercase();
    }
    out.push(RawWord { start, end, gap });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(words: &Words) -> Vec<String> {
        (0..words.len())
            .map(|i| words.surface(i).to_owned())
            .collect()
    }

    #[test]
    fn abbreviations_possessives_and_hyphens() {
        let words = Words::new(
            "",
            "The U.S. and China's counter-narcotics talks, Mr. Smith said.",
        );
        assert_eq!(
            surfaces(&words),
            [
                "The",
                "U.S.",
                "and",
                "China's",
                "counter",
                "narcotics",
                "talks",
                "Mr",
                "Smith",
                "said"
            ]
        );
        assert_eq!(words.norm(1), "us");
        assert_eq!(words.norm(3), "china");
        assert!(words.all()[3].possessive);
        assert_eq!(words.all()[5].gap, Gap::Hyphen);
        assert_eq!(words.all()[7].gap, Gap::Clause);
        assert_eq!(
            words.all()[8].gap,
            Gap::Space,
            "Mr. does not end a sentence"
        );
        assert_eq!(words.all()[1].shape, Shape::Upper);
        assert_eq!(words.stem_text(words.stem_id(5)), "narcot");
    }

    #[test]
    fn combining_marks_stay_in_their_word() {
        let words = Words::new("", "முதல்வர் ஸ்டாலின் தெரிவித்தார்.");
        assert_eq!(surfaces(&words), ["முதல்வர்", "ஸ்டாலின்", "தெரிவித்தார்"]);
    }

    #[test]
    fn glued_sentences_are_split() {
        let words = Words::new(
            "",
            "a visit ChinaIt comes; CNN's Kylie AtwoodBefore he left",
        );
        let all = surfaces(&words);
        assert!(all.contains(&"China".to_owned()), "{all:?}");
        assert!(all.contains(&"Atwood".to_owned()), "{all:?}");
        let it = all.iter().position(|w| w == "It").unwrap();
        assert!(words.all()[it].starts_sentence());
    }

    #[test]
    fn stems_are_shared_and_decimals_kept() {
        let words = Words::new("Tariffs", "tariff rose 1.5% on TikTok");
        assert_eq!(words.stem_id(0), words.stem_id(1));
        assert_eq!(words.body_start(), 1);
        assert_eq!(words.surface(3), "1.5");
        assert_eq!(words.all()[5].shape, Shape::Capitalized);
    }

    #[test]
    fn sentences_and_body_ranges() {
        let body = "First one here. Second “quoted words” end. Third.";
        let words = Words::new("", body);
        let quote_start = body.find("quoted").unwrap();
        let quote_end = body.find("” end").unwrap();
        let inside = words.body_words_in(quote_start, quote_end);
        assert_eq!(
            inside.clone().map(|i| words.surface(i)).collect::<Vec<_>>(),
            ["quoted", "words"]
        );
        let sentence = words.sentences_around(inside);
        assert_eq!(words.surface(sentence.start), "Second");
        assert_eq!(words.surface(sentence.end - 1), "end");
    }

    #[test]
    fn arbitrary_text_does_not_panic() {
        for text in [
            "",
            ".",
            "’s",
            "-",
            "U.",
            "a.b.",
            "é’s–x",
            "1,000.5.",
            "\u{301}x",
            "A.B",
        ] {
            let words = Words::new(text, text);
            for i in 0..words.len() {
                let _ = (words.surface(i), words.norm(i), words.span_text(0, i));
            }
        }
    }
}
