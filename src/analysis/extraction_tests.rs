//! Quote extraction end to end, from text to quotes with named speakers:
//! [`super::Analyzer::analyze_text`] over the stages of [`super::quotes`],
//! [`super::speakers`] and the settling of identities after enrichment
//! (governments, registry names), as `verbatim extract` gives them. The
//! cases of every language with a file of its own in `config/lang/` also
//! give a table of speakers right per language (`cargo test --lib
//! extraction_cases -- --nocapture` prints it), held to
//! [`MIN_SPEAKERS_RIGHT`].

use super::extract_quotes as extract;
use super::speakers::Aliases;
use serde::Deserialize;

use crate::model::{Quote, QuoteKind, SpeakerKind};

/// The cases of `tests/fixtures/extraction_cases.toml`.
const CASES: &str = include_str!("../../tests/fixtures/extraction_cases.toml");

/// The fixture file: its cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

/// A text and every quote extraction must find in it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case shows (the test it came from).
    about: String,
    /// ISO 639-1 code; English when absent.
    #[serde(default = "english")]
    language: String,
    /// The article's headline, when the case has one.
    title: Option<String>,
    text: String,
    quotes: Vec<ExpectedQuote>,
    /// What extraction still gets wrong in this case, when it does: the case
    /// must fail (fixing it means removing this), and counts in the
    /// language's table as it is.
    known_miss: Option<String>,
}

/// Least share of expected speakers right in each language's cases.
const MIN_SPEAKERS_RIGHT: f64 = 0.9;

/// One quote of a case: its text, kind and speaker.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedQuote {
    quote: String,
    kind: QuoteKind,
    speaker: Option<String>,
    /// The speaker's role, checked when given (`""`: none).
    role: Option<String>,
    /// The speaker's affiliation, checked when given (`""`: none).
    affiliation: Option<String>,
    /// The source's kind, checked when given.
    speaker_kind: Option<SpeakerKind>,
    /// An anonymous source's description, checked when given (`""`: none).
    description: Option<String>,
}

impl ExpectedQuote {
    /// What of `quote` this expectation compares: text, kind, speaker, and
    /// the details it gives.
    fn view_of<'q>(&self, quote: &'q Quote) -> QuoteView<'q> {
        let detail = |given: &Option<String>, found: &'q Option<String>| {
            given.as_ref().map(|_| found.as_deref().unwrap_or(""))
        };
        QuoteView {
            quote: &quote.quote,
            kind: quote.kind,
            speaker: quote.speaker.as_deref(),
            role: detail(&self.role, &quote.role),
            affiliation: detail(&self.affiliation, &quote.affiliation),
            speaker_kind: self.speaker_kind.map(|_| quote.speaker_kind),
            description: detail(&self.description, &quote.speaker_description),
        }
    }

    /// The expectation in the same shape.
    fn view(&self) -> QuoteView<'_> {
        QuoteView {
            quote: &self.quote,
            kind: self.kind,
            speaker: self.speaker.as_deref(),
            role: self.role.as_deref(),
            affiliation: self.affiliation.as_deref(),
            speaker_kind: self.speaker_kind,
            description: self.description.as_deref(),
        }
    }
}

/// A quote as a case compares it.
#[derive(Debug, PartialEq)]
struct QuoteView<'q> {
    quote: &'q str,
    kind: QuoteKind,
    speaker: Option<&'q str>,
    role: Option<&'q str>,
    affiliation: Option<&'q str>,
    speaker_kind: Option<SpeakerKind>,
    description: Option<&'q str>,
}

fn english() -> String {
    "en".to_owned()
}

#[test]
fn extraction_cases() {
    let cases: Cases = toml::from_str(CASES).expect("extraction_cases.toml");
    let analyzer = crate::analysis::Analyzer::with_defaults();
    let mut failures = Vec::new();
    // Per language: expected quotes, speakers right.
    let mut table: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for case in &cases.case {
        let found = analyzer.analyze_text(
            case.title.as_deref().unwrap_or(""),
            &case.text,
            Some(&case.language),
        );
        let row = table.entry(case.language.as_str()).or_default();
        for (index, expected) in case.quotes.iter().enumerate() {
            row.0 += 1;
            let speaker = found.quotes.get(index).map(|q| q.speaker.as_deref());
            row.1 += usize::from(speaker == Some(expected.speaker.as_deref()));
        }
        // A found quote the case does not list is compared on its text,
        // kind and speaker only.
        let unlisted = ExpectedQuote {
            quote: String::new(),
            kind: QuoteKind::Direct,
            speaker: None,
            role: None,
            affiliation: None,
            speaker_kind: None,
            description: None,
        };
        let actual: Vec<_> = found
            .quotes
            .iter()
            .enumerate()
            .map(|(i, q)| case.quotes.get(i).unwrap_or(&unlisted).view_of(q))
            .collect();
        let expected: Vec<_> = case.quotes.iter().map(ExpectedQuote::view).collect();
        if let Some(miss) = &case.known_miss {
            if actual == expected {
                failures.push(format!(
                    "{}: passes now; remove its known_miss ({miss})",
                    case.about
                ));
            }
        } else if actual != expected {
            failures.push(format!(
                "{}: in {:?}\n  expected {expected:?}\n  found    {actual:?}",
                case.about, case.text
            ));
        }
    }
    assert!(cases.case.len() >= 60, "the fixture lost its cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("language  quotes  speakers right");
    for (language, (quotes, right)) in &table {
        eprintln!("{language:8}  {quotes:6}  {right:6}");
        let share = *right as f64 / (*quotes).max(1) as f64;
        assert!(
            share >= MIN_SPEAKERS_RIGHT,
            "{language}: {right} of {quotes} speakers right"
        );
    }
}

#[test]
fn random_multilingual_fragments_do_not_panic() {
    // Cues, marks, roles and names of every language, strung together at
    // random: offsets must stay inside the text.
    const PIECES: &[&str] = &[
        "表示",
        "：",
        "“",
        "”",
        "「",
        "」",
        "『",
        "』",
        "と",
        "述べた",
        "は",
        "が",
        "他",
        "她",
        "说",
        "，",
        "。",
        "（",
        "）",
        "首相",
        "汪文斌",
        "外交部发言人",
        "·",
        "・",
        "の",
        "さん",
        "同氏",
        "称",
        "在",
        "27",
        "日",
        " ",
        "\n",
        "a-t-il",
        "déclare-t-elle",
        "«",
        "»",
        ",",
        ":",
        "\u{a0}",
        "dijo",
        "el",
        "presidente",
        "Pedro",
        "selon",
        "so",
        "laut",
        "Sánchez",
        "déclaré",
        "a",
        "de",
        "la",
        "République",
        "Le",
        "Pen",
        "„",
        "sagte",
        ".",
        "según",
        "ministre",
        "彼女",
        "岸田",
        "語った",
        "とも",
        "强调",
        "他们",
        "中方",
        "—",
        "என்று",
        "கூறினார்",
        "என்றார்",
        "எனத்",
        "அமைச்சர்",
        "ஸ்டாலின்",
        "ப.",
        "கூறுகையில்",
        "அவர்",
    ];
    let aliases = Aliases::default();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..3000 {
        let mut text = String::new();
        let length = 1 + (round % 40);
        for _ in 0..length {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        let chars = text.chars().count();
        for language in ["en", "fr", "es", "de", "ja", "zh", "ta"] {
            let found = extract(&text, language, &aliases);
            for quote in &found.quotes {
                assert!(quote.start <= quote.end && quote.end <= chars, "{text:?}");
            }
        }
    }
}

#[test]
fn split_quote_is_one_quote_with_pieces() {
    let aliases = Aliases::default();
    let text = "Xi Jinping met him. “Relations will improve,” he said. “We should be partners.”";
    let found = extract(text, "en", &aliases);
    assert_eq!(found.quotes.len(), 1, "{:?}", found.quotes);
    let quote = &found.quotes[0];
    assert_eq!(
        quote.quote,
        "Relations will improve, We should be partners."
    );
    assert_eq!(quote.speaker.as_deref(), Some("Xi Jinping"));
    assert_eq!(quote.pieces.len(), 2);
    assert_eq!(quote.speaker_mention.as_ref().unwrap().text, "he");
    let chars: Vec<char> = text.chars().collect();
    let first: String = chars[quote.pieces[0][0]..quote.pieces[0][1]]
        .iter()
        .collect();
    assert_eq!(first, "Relations will improve,");
}

#[test]
fn organizations_speak() {
    let aliases = Aliases::default();
    let found = extract(
        "Beijing has slammed the US for making “baseless allegations” about trade.",
        "en",
        &aliases,
    );
    assert_eq!(found.quotes[0].speaker.as_deref(), Some("Beijing"));
    assert_eq!(found.speakers[0].kind, SpeakerKind::Government);
    assert_eq!(found.quotes[0].speaker_kind, SpeakerKind::Government);
    let found = extract(
        "The Securities and Exchange Commission said it “will not tolerate” abuse. \
             Bell and Howell Co said “it is done.” Moody's Investors Service Inc said \
             “the rating stands.”",
        "en",
        &aliases,
    );
    let mut speakers: Vec<_> = found.quotes.iter().map(|q| q.speaker.as_deref()).collect();
    speakers.dedup();
    assert_eq!(
        speakers,
        [
            Some("Securities and Exchange Commission"),
            Some("Bell and Howell"),
            Some("Moody's Investors Service")
        ]
    );
    assert!(found
        .quotes
        .iter()
        .all(|q| q.speaker_kind == SpeakerKind::Organization));
}

#[test]
fn a_person_of_a_body_speaks_and_a_doubled_cue_is_one() {
    let aliases = Aliases::default();
    // Reuters-21578: `said said` is a typo; the analyst, not the firm, speaks.
    let found = extract(
        "\"There is strength in the February data, but that's because they were \
             compared to low sales levels in January,\" said said Beth Reiners of Dean \
             Witter Reynolds Inc.\n\nSteve Slifer of Lehman Government Securities said \
             the drop in March construction was expected.",
        "en",
        &aliases,
    );
    let sources: Vec<_> = found
        .quotes
        .iter()
        .map(|q| {
            (
                q.speaker.as_deref().unwrap_or("-"),
                q.affiliation.as_deref().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            ("Beth Reiners", "Dean Witter Reynolds Inc."),
            ("Steve Slifer", "Lehman Government Securities"),
        ]
    );
}

#[test]
fn short_names_and_possessive_owners_resolve_to_the_article_s_bodies_and_people() {
    let aliases = Aliases::default();
    let found = extract(
        "First Wachovia Corp said it will add 50 mln dlrs to its loan loss reserve. \
             National Data Communications Inc signed a pact. National said it granted \
             Signature an option.\n\nMarion Jones sued Victor Conte. Her lawsuit said she \
             “has never taken banned drugs”.",
        "en",
        &aliases,
    );
    let mut speakers: Vec<_> = found
        .quotes
        .iter()
        .map(|q| q.speaker.as_deref().unwrap_or("-"))
        .collect();
    speakers.dedup();
    assert_eq!(
        speakers,
        [
            "First Wachovia",
            "National Data Communications",
            "Marion Jones"
        ]
    );
}

#[test]
fn offsets_are_code_points() {
    let text = "Ünal said: “Ça va bien, merci beaucoup.”";
    let found = extract(text, "en", &Aliases::default());
    assert_eq!(found.quotes.len(), 1);
    let chars: Vec<char> = text.chars().collect();
    let sliced: String = chars[found.quotes[0].start..found.quotes[0].end]
        .iter()
        .collect();
    assert_eq!(sliced, found.quotes[0].quote);
}
