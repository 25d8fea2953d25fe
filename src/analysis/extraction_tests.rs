//! Quote extraction end to end, from text to quotes with named speakers:
//! [`super::extract_quotes`] over the stages of [`super::quotes`] and
//! [`super::speakers`].

use super::extract_quotes as extract;
use super::speakers::Aliases;
use serde::Deserialize;

use crate::model::{QuoteKind, SpeakerKind};

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
    text: String,
    quotes: Vec<ExpectedQuote>,
}

/// One quote of a case: its text, kind and speaker.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedQuote {
    quote: String,
    kind: QuoteKind,
    speaker: Option<String>,
}

fn english() -> String {
    "en".to_owned()
}

#[test]
fn extraction_cases() {
    let cases: Cases = toml::from_str(CASES).expect("extraction_cases.toml");
    let aliases = Aliases::parse(crate::analysis::speakers::DEFAULT_ALIASES).unwrap();
    let mut failures = Vec::new();
    for case in &cases.case {
        let found = extract(&case.text, &case.language, &aliases);
        let actual: Vec<(&str, QuoteKind, Option<&str>)> = found
            .quotes
            .iter()
            .map(|q| (q.quote.as_str(), q.kind, q.speaker.as_deref()))
            .collect();
        let expected: Vec<(&str, QuoteKind, Option<&str>)> = case
            .quotes
            .iter()
            .map(|q| (q.quote.as_str(), q.kind, q.speaker.as_deref()))
            .collect();
        if actual != expected {
            failures.push(format!(
                "{}: in {:?}\n  expected {expected:?}\n  found    {actual:?}",
                case.about, case.text
            ));
        }
    }
    assert!(cases.case.len() >= 60, "the fixture lost its cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The role of the speaker of `text`'s quote number `index`.
fn role_of(language: &str, text: &str, index: usize) -> Option<String> {
    extract(text, language, &Aliases::default()).quotes[index]
        .role
        .clone()
}

#[test]
fn french_cues_after_before_and_selon() {
    assert_eq!(
            role_of(
                "fr",
                "« L'Europe doit agir », a affirmé jeudi la présidente de la Commission européenne, Ursula von der Leyen.",
                0
            )
            .as_deref(),
            Some("présidente de la Commission européenne")
        );
}

#[test]
fn spanish_cues_and_lowercase_roles() {
    let text = "«Vamos a ganar», dijo el presidente Pedro Sánchez.";
    assert_eq!(role_of("es", text, 0).as_deref(), Some("presidente"));
}

#[test]
fn german_cues_sagte_so_and_laut() {
    assert_eq!(
        role_of(
            "de",
            "„Wir helfen“, betonte Gesundheitsminister Karl Lauterbach.",
            0
        )
        .as_deref(),
        Some("Gesundheitsminister")
    );
}

#[test]
fn japanese_quotes_with_quotative_cues() {
    let text = "岸田文雄首相は「経済を立て直す」と述べた。";
    assert_eq!(role_of("ja", text, 0).as_deref(), Some("首相"));
}

#[test]
fn japanese_speakers_with_parentheses_honorifics_and_references() {
    let text = "林芳正（官房長官）は「極めて遺憾だ」と述べた。";
    assert_eq!(role_of("ja", text, 0).as_deref(), Some("官房長官"));
}

#[test]
fn chinese_quotes_with_cues_before_and_after() {
    let text = "中国外交部发言人汪文斌表示：“中方坚决反对。”他说，“这是错误的。”";
    assert_eq!(role_of("zh", text, 1).as_deref(), Some("中国外交部发言人"));
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
        for language in ["en", "fr", "es", "de", "ja", "zh"] {
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
fn titles_and_affiliations_are_not_names() {
    let aliases = Aliases::default();
    let found = extract(
        "“We are ready,” West German Finance Minister Gerhard Stoltenberg said. \
             Chancellor of the Exchequer Nigel Lawson said “prudence comes first.” \
             Federal Reserve Board Chairman Paul Volcker said “rates will hold.” \
             Rhian Beynon of the JCWI said the rules were “not proportionate”.",
        "en",
        &aliases,
    );
    let sources: Vec<_> = found
        .quotes
        .iter()
        .map(|q| {
            (
                q.speaker.as_deref(),
                q.role.as_deref(),
                q.affiliation.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            (
                Some("Gerhard Stoltenberg"),
                Some("West German Finance Minister"),
                None
            ),
            (
                Some("Nigel Lawson"),
                Some("Chancellor of the Exchequer"),
                None
            ),
            (
                Some("Paul Volcker"),
                Some("Chairman"),
                Some("Federal Reserve Board")
            ),
            (Some("Rhian Beynon"), None, Some("JCWI")),
            (Some("Rhian Beynon"), None, Some("JCWI")),
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
fn anonymous_sources_have_no_name() {
    let aliases = Aliases::default();
    let found = extract(
        "Dealers said “the dollar will fall.” A Nomura analyst said “it is cheap.” \
             Shares of Noranda rose. A Noranda spokesman said “the smelter is open.”",
        "en",
        &aliases,
    );
    let sources: Vec<_> = found
        .quotes
        .iter()
        .map(|q| {
            (
                q.speaker.as_deref(),
                q.speaker_kind,
                q.speaker_description.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            (None, SpeakerKind::Anonymous, Some("dealers")),
            (None, SpeakerKind::Anonymous, Some("a Nomura analyst")),
            (Some("Noranda"), SpeakerKind::Organization, None),
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
