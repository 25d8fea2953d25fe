//! Snippets: a short fragment of the matched text with every match wrapped in
//! `<mark>`, HTML-escaped, cut on character boundaries (safe for CJK).
//!
//! Fragments are chosen as tantivy's `SnippetGenerator` chooses them (same
//! candidates, scores and tie-breaks), in one pass that keeps only the best
//! fragment so far and looks terms up without allocating.
//!
//! A hit's text and language are read with the fields it shows, in one read
//! of its stored JSON ([`super::hit::HitDocument::read`]).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use tantivy::query::Query;
use tantivy::schema::{Field, Term};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Score, Searcher};

use crate::analysis::tokenizers::words::{WordSpan, WordSpans};
use crate::analysis::tokenizers::LanguageAnalyzers;

/// Longest snippet fragment, in bytes of source text.
pub const SNIPPET_MAX_BYTES: usize = 240;

/// Makes snippets for the hits of one query, each with the analyzer of the
/// hit's language, so stemmed and segmented matches are found in the text.
pub struct SnippetMaker<'a> {
    terms: foldhash::HashMap<String, Score>,
    /// The ASCII letters and digits a term starts with.
    initials: AsciiInitials,
    analyzers: &'a LanguageAnalyzers,
    highlighters: HashMap<String, Highlighter>,
}

/// A language's highlight analyzer, and whether it reads words (see
/// [`LanguageAnalyzers::highlights_by_words`]).
struct Highlighter {
    analyzer: WordAnalyzer,
    by_words: bool,
}

/// Most words a [`WordAnalyzer`] remembers (one query's snippets see a few
/// thousand distinct words at most).
const WORDS_REMEMBERED: usize = 20_000;

/// What the highlight analyzer makes of a word read alone.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Analysed {
    /// Dropped (a stop word, too long).
    Dropped,
    /// Kept, as the term of this weight or (`None`) as none of the terms.
    Kept(Option<Score>),
}

/// A highlight analyzer that remembers what it made of each word it
/// analysed alone, for the hits of one query: the words that can match a
/// term repeat across a page of hits.
struct WordAnalyzer {
    analyzer: TextAnalyzer,
    known: foldhash::HashMap<Box<str>, Analysed>,
}

impl WordAnalyzer {
    fn new(analyzer: TextAnalyzer) -> Self {
        WordAnalyzer {
            analyzer,
            known: foldhash::HashMap::default(),
        }
    }

    /// What the analyzer makes of `word`, one token of the text as the
    /// analyzer cuts it, read alone.
    fn analyse(&mut self, word: &str, terms: &foldhash::HashMap<String, Score>) -> Analysed {
        if let Some(&known) = self.known.get(word) {
            return known;
        }
        let analysed = match self.analyzer.token_stream(word).next() {
            None => Analysed::Dropped,
            Some(token) => Analysed::Kept(term_weight(terms, &token.text)),
        };
        if self.known.len() < WORDS_REMEMBERED {
            self.known.insert(word.into(), analysed);
        }
        analysed
    }
}

impl<'a> SnippetMaker<'a> {
    /// Collects the query's terms on `field`, weighted by rarity as tantivy does.
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
        analyzers: &'a LanguageAnalyzers,
    ) -> tantivy::Result<Self> {
        let mut query_terms: BTreeSet<Term> = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                query_terms.insert(term.clone());
            }
        });
        let mut terms = foldhash::HashMap::default();
        for term in query_terms {
            let Some(text) = term.value().as_str().map(str::to_owned) else {
                continue;
            };
            let doc_freq = searcher.doc_freq(&term)?;
            if doc_freq > 0 {
                terms.insert(text, Self::weight(doc_freq));
            }
        }
        Ok(SnippetMaker::with_weights(terms, analyzers))
    }

    /// Highlights `terms` (a query's terms on the snippet field, as the
    /// field indexes them), each weighted by rarity as [`SnippetMaker::new`]
    /// weighs them ([`SnippetMaker::weight`]), the caller leaving out the
    /// terms no document holds. For stores that are not a tantivy searcher.
    pub fn with_weights(
        terms: foldhash::HashMap<String, Score>,
        analyzers: &'a LanguageAnalyzers,
    ) -> Self {
        SnippetMaker {
            initials: AsciiInitials::of(terms.keys().map(String::as_str)),
            terms,
            analyzers,
            highlighters: HashMap::new(),
        }
    }

    /// The weight [`SnippetMaker::new`] gives a term `doc_freq` documents hold.
    pub fn weight(doc_freq: u64) -> Score {
        1.0 / (1.0 + doc_freq as Score)
    }

    /// The snippet of `text`, written in `language`.
    pub fn snippet(&mut self, language: &str, text: &str) -> String {
        if self.terms.is_empty() {
            return lead(text);
        }
        let terms = &self.terms;
        let analyzers = self.analyzers;
        let highlighter = match self.highlighters.get_mut(language) {
            Some(highlighter) => highlighter,
            None => self
                .highlighters
                .entry(language.to_owned())
                .or_insert_with(|| Highlighter {
                    analyzer: WordAnalyzer::new(
                        analyzers.highlight_analyzer(language, terms.keys().map(String::as_str)),
                    ),
                    by_words: analyzers.highlights_by_words(language),
                }),
        };
        let fragment = if highlighter.by_words {
            best_fragment_by_words(
                &mut highlighter.analyzer,
                &self.initials,
                text,
                terms,
                SNIPPET_MAX_BYTES,
            )
        } else {
            best_fragment(
                &mut highlighter.analyzer.analyzer,
                text,
                terms,
                SNIPPET_MAX_BYTES,
            )
        };
        match fragment {
            Some(fragment) => render_fragment(text, &fragment),
            None => lead(text),
        }
    }
}

/// A run of tokens at most `max_bytes` long, scored by the terms it holds.
#[derive(Debug, Default)]
struct Fragment {
    score: Score,
    start: usize,
    stop: usize,
    /// Byte ranges of matched tokens in the text, in text order.
    highlighted: Vec<Range<usize>>,
    /// The last word within the fragment's bytes, kept or dropped
    /// ([`best_fragment_by_words`] only).
    tail: Range<usize>,
}

impl Fragment {
    fn restart(&mut self, start: usize) {
        self.score = 0.0;
        self.start = start;
        self.stop = start;
        self.highlighted.clear();
        self.tail = start..start;
    }

    /// Whether `self` ranks above `other`: higher score, then earlier.
    fn compare(&self, other: &Fragment) -> Ordering {
        match self
            .score
            .partial_cmp(&other.score)
            .unwrap_or(Ordering::Equal)
        {
            Ordering::Equal => (other.start, other.stop).cmp(&(self.start, self.stop)),
            order => order,
        }
    }
}

/// The best fragment of `text` holding at least one of `terms`: the text is
/// cut into runs of tokens (a run ends before the token that would make it
/// longer than `max_bytes`), each scored by the sum of its matches' weights.
fn best_fragment(
    analyzer: &mut TextAnalyzer,
    text: &str,
    terms: &foldhash::HashMap<String, Score>,
    max_bytes: usize,
) -> Option<Fragment> {
    let mut stream = analyzer.token_stream(text);
    let mut current = Fragment::default();
    let mut best: Option<Fragment> = None;
    while let Some(token) = stream.next() {
        if token.offset_to - current.start > max_bytes {
            keep_better(&mut current, &mut best);
            current.restart(token.offset_from);
        }
        current.stop = token.offset_to;
        if let Some(score) = term_weight(terms, &token.text) {
            current.score += score;
            current.highlighted.push(token.offset_from..token.offset_to);
        }
    }
    keep_better(&mut current, &mut best);
    best
}

/// The weight of the term an analysed token reads as, if it is one of `terms`.
fn term_weight(terms: &foldhash::HashMap<String, Score>, token: &str) -> Option<Score> {
    let lowercased;
    let key = if token
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        lowercased = token.to_lowercase();
        lowercased.as_str()
    } else {
        token
    };
    terms.get(key).copied()
}

/// The ASCII letters and digits the terms start with: an ASCII token whose
/// first byte, lowercased, is none of them can match no term.
struct AsciiInitials([bool; 128]);

impl AsciiInitials {
    fn of<'t>(terms: impl IntoIterator<Item = &'t str>) -> Self {
        let mut initials = [false; 128];
        for term in terms {
            if let Some(&first) = term.as_bytes().first() {
                if first.is_ascii() {
                    initials[usize::from(first)] = true;
                }
            }
        }
        AsciiInitials(initials)
    }

    /// Whether a token of ASCII letters and digits starting with `first`
    /// can be analysed into one of the terms.
    fn may_start(&self, first: u8) -> bool {
        self.0[usize::from(first.to_ascii_lowercase() & 0x7f)]
    }
}

/// [`best_fragment`] for an analyzer that reads words (see
/// [`LanguageAnalyzers::highlights_by_words`]), the same fragment found with
/// less work. The text is cut into [`WordSpans`] without copying them, and a
/// word is analysed (alone, as the analyzer filters each word alone) only
/// when it can match a term or when whether it is dropped decides where a
/// fragment starts. A word of ASCII letters and digits whose first letter
/// starts no term (most words) matches none whatever the analyzer makes of
/// it: it is lowercased and not stemmed, so its first letter stays. Such a
/// word only changes where its fragment stops, which matters for the best
/// fragment alone (fragments start at distinct tokens, so ties are broken
/// by their starts): that stop is found at the end, from its last words.
fn best_fragment_by_words(
    analyzer: &mut WordAnalyzer,
    initials: &AsciiInitials,
    text: &str,
    terms: &foldhash::HashMap<String, Score>,
    max_bytes: usize,
) -> Option<Fragment> {
    let bytes = text.as_bytes();
    let mut current = Fragment::default();
    let mut best: Option<Fragment> = None;
    for span in WordSpans::new(text) {
        let restarts = span.end - current.start > max_bytes;
        if !restarts {
            current.tail = span.start..span.end;
            if span.ascii && !initials.may_start(bytes[span.start]) {
                continue;
            }
        }
        let weight = match analyzer.analyse(&text[span.start..span.end], terms) {
            Analysed::Dropped => continue,
            Analysed::Kept(weight) => weight,
        };
        if restarts {
            keep_better(&mut current, &mut best);
            current.restart(span.start);
            current.tail = span.start..span.end;
        }
        current.stop = span.end;
        if let Some(weight) = weight {
            current.score += weight;
            current.highlighted.push(span.start..span.end);
        }
    }
    keep_better(&mut current, &mut best);
    let mut best = best?;
    best.stop = fragment_stop(analyzer, text, terms, &best);
    Some(best)
}

/// Where `fragment` stops: after its last word the analyzer keeps, the last
/// word ending within the fragment's bytes that is not dropped. Its
/// `stop` is the end of the last word [`best_fragment_by_words`] analysed
/// and kept; its `tail`, the last word it holds, is usually kept too.
fn fragment_stop(
    analyzer: &mut WordAnalyzer,
    text: &str,
    terms: &foldhash::HashMap<String, Score>,
    fragment: &Fragment,
) -> usize {
    let tail = fragment.tail.clone();
    if tail.end <= fragment.stop
        || analyzer.analyse(&text[tail.clone()], terms) != Analysed::Dropped
    {
        return tail.end.max(fragment.stop);
    }
    let words: Vec<WordSpan> = WordSpans::starting_at(text, fragment.start)
        .take_while(|span| span.end <= tail.start)
        .filter(|span| span.end > fragment.stop)
        .collect();
    words
        .iter()
        .rev()
        .find(|span| analyzer.analyse(&text[span.start..span.end], terms) != Analysed::Dropped)
        .map_or(fragment.stop, |span| span.end)
}

/// Keeps `current` as `best` when it scores and ranks above it (the old best
/// is left in `current`, to be restarted).
fn keep_better(current: &mut Fragment, best: &mut Option<Fragment>) {
    if current.score <= 0.0 {
        return;
    }
    match best {
        Some(best) if best.compare(current) == Ordering::Greater => {}
        Some(best) => std::mem::swap(best, current),
        None => *best = Some(std::mem::take(current)),
    }
}

/// Renders `fragment` of `text` as HTML with `<mark>` around its matches.
fn render_fragment(text: &str, fragment: &Fragment) -> String {
    let mut html = String::with_capacity(fragment.stop - fragment.start + 32);
    let mut cursor = fragment.start;
    for range in &fragment.highlighted {
        if range.start < cursor || range.end > fragment.stop {
            continue;
        }
        escape_into(&text[cursor..range.start], &mut html);
        html.push_str("<mark>");
        escape_into(&text[range.clone()], &mut html);
        html.push_str("</mark>");
        cursor = range.end;
    }
    escape_into(&text[cursor..fragment.stop], &mut html);
    html
}

/// The start of `text`, for a hit none of whose words match: cut after a
/// whole word when one ends in the second half, with `…` when cut.
fn lead(text: &str) -> String {
    let mut end = text.len().min(SNIPPET_MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        // Prefer to cut after a whole word.
        if let Some(space) = text[..end].rfind(char::is_whitespace) {
            if space > end / 2 {
                end = space;
            }
        }
    }
    let mut html = String::with_capacity(end + 8);
    escape_into(text[..end].trim_end(), &mut html);
    if end < text.len() {
        html.push('…');
    }
    html
}
/// Appends `text` to `out` with HTML special characters escaped: the runs
/// between them are copied whole.
pub fn escape_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(index) = rest
        .bytes()
        .position(|b| matches!(b, b'<' | b'>' | b'&' | b'"' | b'\''))
    {
        out.push_str(&rest[..index]);
        out.push_str(match rest.as_bytes()[index] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[index + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_is_escaped_and_cut_on_words() {
        let text = "<b>Tom & Jerry</b> ".repeat(40);
        let lead = lead(&text);
        assert!(lead.starts_with("&lt;b&gt;Tom &amp; Jerry"));
        assert!(lead.ends_with('…'));
        assert!(!lead.contains('<'));
    }

    #[test]
    fn escapes_are_the_html_entities_of_each_special_char() {
        let reference = |text: &str| -> String {
            text.chars()
                .map(|c| match c {
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '&' => "&amp;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#39;".to_owned(),
                    _ => c.to_string(),
                })
                .collect()
        };
        for text in [
            "",
            "plain",
            "<b>Tom & \"Jerry\"</b> it's",
            "&&<<>>''\"\"",
            "中国 «quoted» — é<x>é",
            "ends with <",
        ] {
            let mut ours = String::from("kept:");
            escape_into(text, &mut ours);
            assert_eq!(ours, format!("kept:{}", reference(text)), "{text:?}");
        }
    }

    #[test]
    fn lead_cuts_on_char_boundaries() {
        let text = "中国外交部长王毅表示".repeat(30);
        let lead = lead(&text);
        assert!(lead.ends_with('…'));
    }

    /// Texts in several languages and scripts, with stop words, long tokens,
    /// accents, decomposed marks, CJK runs and punctuation, for comparing
    /// fragment finders.
    fn mixed_texts() -> Vec<(&'static str, String)> {
        let english = "The Oil ministers said on Tuesday that OPEC would cut output; \
                       the oil minister said prices would stay high, and prices of \
                       crude OIL rose 2.5% to $61.3 a barrel. \"It's a question of \
                       supply,\" he said. Négociations résumées. ";
        let mut texts = vec![
            ("en", english.to_owned()),
            ("en", english.repeat(9)),
            (
                "en",
                format!("{}{}", "Nothing to see here at all. ".repeat(15), english),
            ),
            (
                "en",
                "OIL, oil and Oil: prices, PRICES. The the THE of".to_owned(),
            ),
            (
                "en",
                format!("{} oil {} oil", "x".repeat(70), "y".repeat(200)),
            ),
            ("en", format!("  \n\t{}", "a an the of oil ".repeat(40))),
            ("en", "no match whatsoever".to_owned()),
            (
                "en",
                "e\u{301}tat e\u{301}tats E\u{301}TAT cafe\u{301} cafés Café".to_owned(),
            ),
            (
                "en",
                "Xi 习近平 met Blinken 布林肯 in 北京 oil 石油价格 prices 王 oil".repeat(6),
            ),
            (
                "de",
                "Die Ölpreise stiegen, sagte der Minister. Ölpreis und Öl, \
                    ÖLPREISE und der Preis des Öls stieg. Straße Strasse. "
                    .repeat(5),
            ),
            (
                "fr",
                "Les négociations ont repris; le négociateur a dit que la \
                    négociation était « difficile ». Etat, État, états. "
                    .repeat(5),
            ),
            (
                "ru",
                "Министр сказал, что цены на нефть вырастут. Нефть, нефти, \
                    НЕФТЯНЫЕ цены и министры. "
                    .repeat(5),
            ),
            (
                "tr",
                "Bakan petrol fiyatlarının yükseleceğini söyledi. Petrol, \
                    PETROL ve İstanbul, Istanbul. "
                    .repeat(5),
            ),
            (
                "ar",
                "قال الوزير إن أسعار النفط سترتفع. النفط ونفط والأسعار oil ".repeat(5),
            ),
            (
                "ko",
                "장관은 유가가 오를 것이라고 말했다. 유가 oil 석유 가격 ".repeat(5),
            ),
            (
                "xx",
                "Teh oil prices rose; ΠΕΤΡΈΛΑΙΟ πετρέλαιο and the price. ".repeat(5),
            ),
        ];
        // A long pseudo-random text from a small vocabulary (fixed seed).
        let vocabulary = [
            "the",
            "oil",
            "Oil",
            "prices",
            "price",
            "said",
            "of",
            "a",
            "OPEC",
            "minister",
            "ministers",
            "négociation",
            "and",
            "to",
            "in",
            "stop",
            "Statistics",
            "state",
            "États",
            "x",
            "é",
            "中国",
            "石油",
            "—",
            "\"",
            ",",
            "12.5",
            "billion",
            "supply",
            "supplies",
            "it's",
            "over",
            "Über",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut random = String::new();
        for _ in 0..3000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            random.push_str(vocabulary[(seed >> 33) as usize % vocabulary.len()]);
            random.push(if (seed >> 20) % 7 == 0 { '\n' } else { ' ' });
        }
        texts.push(("en", random.clone()));
        texts.push(("fr", random));
        texts
    }

    /// Query words for [`mixed_texts`], analysed into terms as a query of
    /// them is, in the text's language.
    fn mixed_terms(
        analyzers: &LanguageAnalyzers,
        language: &str,
    ) -> Vec<foldhash::HashMap<String, Score>> {
        let queries: [&[&str]; 10] = [
            &["oil"],
            &["prices", "oil"],
            &["the"],
            &["state", "négociations"],
            &["Ölpreise", "Öl", "preis"],
            &["нефть", "цены"],
            &["petrol", "istanbul"],
            &["النفط", "الأسعار"],
            &["石油", "유가", "中国"],
            &["supply", "stop", "over", "12", "x"],
        ];
        queries
            .iter()
            .map(|words| {
                let mut terms = foldhash::HashMap::default();
                let mut analyzer = analyzers.analyzer(language);
                for (index, word) in words.iter().enumerate() {
                    let mut stream = analyzer.token_stream(word);
                    while let Some(token) = stream.next() {
                        terms.insert(token.text.clone(), 0.1 + index as Score * 0.25);
                    }
                }
                terms
            })
            .collect()
    }

    #[test]
    fn fragments_by_words_are_the_fragments_of_the_whole_text() {
        let analyzers = LanguageAnalyzers::without_dictionaries();
        let mut compared = 0;
        let mut found = 0;
        for (language, text) in mixed_texts() {
            assert!(analyzers.highlights_by_words(language), "{language}");
            for terms in mixed_terms(&analyzers, language) {
                let mut comparison = Comparison::new(&analyzers, language, &text, &terms);
                for max_bytes in [8, 20, 60, 150, SNIPPET_MAX_BYTES] {
                    compared += 1;
                    found += usize::from(comparison.same_fragment(max_bytes));
                }
            }
        }
        // The cases must exercise matches, not only texts without any.
        assert!(found * 5 > compared, "{found} of {compared}");
    }

    /// One text and query for comparing [`best_fragment_by_words`] with
    /// the whole-text [`best_fragment`].
    struct Comparison<'c> {
        analyzers: &'c LanguageAnalyzers,
        language: &'c str,
        text: &'c str,
        terms: &'c foldhash::HashMap<String, Score>,
        initials: AsciiInitials,
        /// One analyzer remembering words across fragment sizes, as across
        /// the hits of a query.
        words: WordAnalyzer,
    }

    impl<'c> Comparison<'c> {
        fn new(
            analyzers: &'c LanguageAnalyzers,
            language: &'c str,
            text: &'c str,
            terms: &'c foldhash::HashMap<String, Score>,
        ) -> Self {
            let keys = || terms.keys().map(String::as_str);
            Comparison {
                analyzers,
                language,
                text,
                terms,
                initials: AsciiInitials::of(keys()),
                words: WordAnalyzer::new(analyzers.highlight_analyzer(language, keys())),
            }
        }

        /// Asserts that both find the same fragment of at most `max_bytes`;
        /// returns whether there is one.
        fn same_fragment(&mut self, max_bytes: usize) -> bool {
            let (language, text, terms) = (self.language, self.text, self.terms);
            let mut analyzer = self
                .analyzers
                .highlight_analyzer(language, terms.keys().map(String::as_str));
            let whole = best_fragment(&mut analyzer, text, terms, max_bytes);
            let by_words =
                best_fragment_by_words(&mut self.words, &self.initials, text, terms, max_bytes);
            let described = |fragment: &Option<Fragment>| {
                fragment
                    .as_ref()
                    .map(|f| (f.score, f.start, f.stop, f.highlighted.clone()))
            };
            assert_eq!(
                described(&by_words),
                described(&whole),
                "{language} {max_bytes} {terms:?} {text:?}"
            );
            whole.is_some()
        }
    }

    #[test]
    fn fragments_by_words_match_on_random_text() {
        // Random strings over letters of several scripts, marks, digits,
        // punctuation and spaces (fixed seed), against terms taken from
        // their own words.
        let alphabet: Vec<char> =
            "aeiostnrOIL oil the and a of  ,.;'\"-\n12é\u{301}ÖüßÉ中国石油유가нефтьΣσ«»…"
                .chars()
                .collect();
        let analyzers = LanguageAnalyzers::without_dictionaries();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut found = 0;
        for case in 0..400 {
            let length = (next() % 400) as usize;
            let text: String = (0..length)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let language = ["en", "de", "fr", "ru", "und"][case % 5];
            let mut terms = foldhash::HashMap::default();
            let mut analyzer = analyzers.analyzer(language);
            let mut stream = analyzer.token_stream(&text);
            while let Some(token) = stream.next() {
                if next() % 5 == 0 {
                    terms.insert(token.text.clone(), (next() % 7) as Score * 0.125 + 0.1);
                }
            }
            if terms.is_empty() {
                terms.insert("oil".to_owned(), 0.5);
            }
            let mut comparison = Comparison::new(&analyzers, language, &text, &terms);
            for max_bytes in [6, 30, 100] {
                found += usize::from(comparison.same_fragment(max_bytes));
            }
        }
        assert!(found > 300, "{found}");
    }

    #[test]
    fn word_spans_from_a_token_start_are_the_rest_of_the_tokens() {
        for (_, text) in mixed_texts() {
            let spans: Vec<WordSpan> = WordSpans::new(&text).collect();
            for (index, span) in spans.iter().enumerate().step_by(7) {
                let rest: Vec<WordSpan> = WordSpans::starting_at(&text, span.start).collect();
                assert_eq!(rest, spans[index..], "{text:?} from {}", span.start);
            }
            for span in &spans {
                assert_eq!(span.ascii, text[span.start..span.end].is_ascii());
            }
        }
    }

    #[test]
    fn fragments_are_the_ones_tantivy_chooses() {
        let analyzers = LanguageAnalyzers::without_dictionaries();
        let sentence = "Oil prices rose as OPEC cut output; the oil minister said prices \
                        would stay high. Ölpreise stiegen. ";
        let texts = [
            sentence.to_owned(),
            sentence.repeat(7),
            format!("{}{}", "Nothing to see here at all. ".repeat(12), sentence),
            "OIL, oil and Oil: prices, PRICES.".to_owned(),
            "no match whatsoever".to_owned(),
        ];
        let weights = [("oil", 0.25), ("price", 0.5), ("ölpreis", 0.75)];
        let terms: foldhash::HashMap<String, Score> =
            weights.iter().map(|(t, w)| ((*t).to_owned(), *w)).collect();
        let ordered: std::collections::BTreeMap<String, Score> =
            weights.iter().map(|(t, w)| ((*t).to_owned(), *w)).collect();
        for max_bytes in [20, 60, SNIPPET_MAX_BYTES] {
            for text in &texts {
                let mut analyzer = analyzers.analyzer("en");
                let ours = best_fragment(&mut analyzer, text, &terms, max_bytes);
                let field =
                    tantivy::schema::Schema::builder().add_text_field("t", tantivy::schema::TEXT);
                let theirs = tantivy::snippet::SnippetGenerator::new(
                    ordered.clone(),
                    analyzers.analyzer("en"),
                    field,
                    max_bytes,
                )
                .snippet(text);
                match ours {
                    None => assert!(theirs.highlighted().is_empty(), "{text}"),
                    Some(fragment) => {
                        assert_eq!(fragment.start..fragment.stop, theirs.fragment_range());
                        let relative: Vec<_> = fragment
                            .highlighted
                            .iter()
                            .map(|r| r.start - fragment.start..r.end - fragment.start)
                            .collect();
                        assert_eq!(relative, theirs.highlighted(), "{text}");
                    }
                }
            }
        }
    }
}
