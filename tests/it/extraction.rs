//! Quote and speaker extraction on the seed article (`tests/fixtures/blinken-beijing.txt`,
//! gold in `tests/fixtures/extraction/blinken-beijing.gold.json`), through the
//! public `Analyzer`, plus robustness on arbitrary slices of real text.

use verbatim::analysis::Analyzer;
use verbatim::model::{Analysis, Quote, QuoteKind, SpeakerKind};

const SEED: &str = include_str!("../fixtures/blinken-beijing.txt");
const SEED_GOLD: &str = include_str!("../fixtures/extraction/blinken-beijing.gold.json");
const POLNEAR_SAMPLE: &str = include_str!("../fixtures/extraction/polnear-sample.txt");

fn analyze(text: &str) -> Analysis {
    Analyzer::with_defaults().analyze_text("", text, Some("en"))
}

fn quote_with_text<'a>(analysis: &'a Analysis, text: &str) -> &'a Quote {
    analysis
        .quotes
        .iter()
        .find(|q| q.quote == text)
        .unwrap_or_else(|| panic!("no quote {text:?} in {:#?}", analysis.quotes))
}

#[test]
fn downward_spiral_is_wang_yis_partial_quote() {
    let analysis = analyze(SEED);
    let quote = quote_with_text(&analysis, "downward spiral");
    assert_eq!(quote.kind, QuoteKind::Partial);
    assert_eq!(quote.speaker.as_deref(), Some("Wang Yi"));
    assert_eq!(
        quote.speaker_mention.as_ref().map(|m| m.text.as_str()),
        Some("Wang")
    );
    // Every quote that says it is Wang's.
    for quote in analysis
        .quotes
        .iter()
        .filter(|q| q.quote.contains("downward spiral"))
    {
        assert_eq!(quote.speaker.as_deref(), Some("Wang Yi"), "{quote:?}");
    }
}

#[test]
fn scare_quotes_are_never_attributed() {
    let analysis = analyze(SEED);
    for quote in &analysis.quotes {
        assert_ne!(
            quote.kind,
            QuoteKind::Term,
            "terms are not reported: {quote:?}"
        );
        assert!(
            quote.quote.trim_matches(|c: char| !c.is_alphanumeric()) != "overcapacity",
            "overcapacity reported as a quote: {quote:?}"
        );
    }
}

#[test]
fn split_xi_quote_is_one_quote_in_two_pieces() {
    let analysis = analyze(SEED);
    let quote = analysis
        .quotes
        .iter()
        .find(|q| {
            q.quote
                .starts_with("Once this fundamental problem is resolved")
        })
        .expect("the split quote");
    assert_eq!(quote.pieces, vec![[612, 709], [721, 834]]);
    assert_eq!((quote.start, quote.end), (612, 834));
    assert_eq!(quote.kind, QuoteKind::Direct);
    assert_eq!(quote.speaker.as_deref(), Some("Xi Jinping"));
    assert_eq!(
        quote.speaker_mention.as_ref().map(|m| m.text.as_str()),
        Some("he")
    );
    assert!(
        !analysis.quotes.iter().any(|q| q.start == 721),
        "second piece reported twice"
    );
}

#[test]
fn misspelt_ji_is_xi_jinping() {
    let analysis = analyze(SEED);
    let quote = analysis
        .quotes
        .iter()
        .find(|q| q.quote.starts_with("China wants to see a confident"))
        .expect("the Ji quote");
    assert_eq!(quote.speaker.as_deref(), Some("Xi Jinping"));
    assert_eq!(
        quote.speaker_mention.as_ref().map(|m| m.text.as_str()),
        Some("Ji")
    );
}

#[test]
fn speakers_are_canonical_with_roles_and_kinds() {
    let analysis = analyze(SEED);
    let speaker = |name: &str| {
        analysis
            .speakers
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no speaker {name} in {:#?}", analysis.speakers))
    };
    let blinken = speaker("Antony Blinken");
    assert_eq!(blinken.role.as_deref(), Some("U.S. Secretary of State"));
    assert_eq!(blinken.kind, SpeakerKind::Person);
    assert!(blinken.aliases.iter().any(|a| a == "Blinken"));
    assert!(blinken.aliases.iter().any(|a| a == "Anthony Blinken"));
    assert_eq!(
        speaker("Wang Yi").role.as_deref(),
        Some("Chinese Foreign Minister")
    );
    assert_eq!(
        speaker("Xi Jinping").role.as_deref(),
        Some("Chinese President")
    );
    assert!(speaker("Xi Jinping").aliases.iter().any(|a| a == "Ji"));
    assert_eq!(speaker("Beijing").kind, SpeakerKind::Government);
    assert_eq!(
        speaker("US State Department").kind,
        SpeakerKind::Organization
    );
    for speaker in &analysis.speakers {
        let counted = analysis
            .quotes
            .iter()
            .filter(|q| q.speaker.as_deref() == Some(&speaker.name))
            .count();
        assert_eq!(speaker.quotes, counted, "{}", speaker.name);
    }
    assert!(
        !analysis
            .speakers
            .iter()
            .any(|s| s.name == "Anthony Blinken" || s.name == "Blinken"),
        "one Blinken: {:#?}",
        analysis.speakers
    );
}

/// Every gold quote (scare and optional ones aside) is found, with the gold
/// speaker, by the seed scoring convention (overlap of at least half the gold span).
#[test]
fn seed_gold_quotes_are_found_with_their_speakers() {
    let gold: serde_json::Value = serde_json::from_str(SEED_GOLD).unwrap();
    let analysis = analyze(SEED);
    let predicted: Vec<&Quote> = analysis
        .quotes
        .iter()
        .filter(|q| matches!(q.kind, QuoteKind::Direct | QuoteKind::Partial))
        .collect();
    let mut failures = Vec::new();
    for quote in gold["quotes"].as_array().unwrap() {
        let note = quote["note"].as_str().unwrap_or("");
        let (start, end) = (
            quote["start"].as_u64().unwrap() as usize,
            quote["end"].as_u64().unwrap() as usize,
        );
        let matching = predicted
            .iter()
            .find(|p| 2 * (p.end.min(end).saturating_sub(p.start.max(start))) >= end - start);
        if quote["kind"] == "scare" {
            if let Some(p) = matching {
                assert!(p.speaker.is_none(), "scare quote attributed: {p:?}");
            }
            continue;
        }
        if note.contains("Optional") {
            continue;
        }
        let speaker = quote["speaker"].as_str();
        match matching {
            None => failures.push(format!("missed {}", quote["quote"])),
            Some(p) if p.speaker.as_deref() != speaker => failures.push(format!(
                "{}: speaker {:?}, gold {:?}",
                quote["quote"], p.speaker, speaker
            )),
            Some(_) => {}
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // No quote-marked quote outside the gold.
    for p in &predicted {
        let in_gold = gold["quotes"].as_array().unwrap().iter().any(|g| {
            let (start, end) = (
                g["start"].as_u64().unwrap() as usize,
                g["end"].as_u64().unwrap() as usize,
            );
            p.start < end && start < p.end
        });
        assert!(in_gold, "not in the gold: {p:?}");
    }
}

/// Offsets and texts of an analysis are consistent with `text`.
fn assert_valid(text: &str, analysis: &Analysis) {
    let chars: Vec<char> = text.chars().collect();
    let slice = |start: usize, end: usize| -> String {
        assert!(
            start <= end && end <= chars.len(),
            "bad range {start}..{end} of {}",
            chars.len()
        );
        chars[start..end].iter().collect()
    };
    for quote in &analysis.quotes {
        if quote.pieces.is_empty() {
            assert_eq!(slice(quote.start, quote.end), quote.quote);
        } else {
            let joined: Vec<String> = quote.pieces.iter().map(|[s, e]| slice(*s, *e)).collect();
            assert_eq!(joined.join(" "), quote.quote);
            assert_eq!(quote.pieces.first().map(|p| p[0]), Some(quote.start));
            assert_eq!(quote.pieces.last().map(|p| p[1]), Some(quote.end));
        }
        for span in [&quote.speaker_mention, &quote.cue].into_iter().flatten() {
            assert_eq!(slice(span.start, span.end), span.text);
        }
        if quote.kind == QuoteKind::Term {
            assert!(quote.speaker.is_none());
        }
    }
}

#[test]
fn arbitrary_slices_of_real_text_do_not_panic_and_offsets_stay_valid() {
    let analyzer = Analyzer::with_defaults();
    for text in [SEED, POLNEAR_SAMPLE] {
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        // Every window of a range of sizes, stepping through the text.
        for size in [1, 2, 3, 7, 20, 61, 150, 400, 1200] {
            for start in boundaries.iter().step_by(13) {
                let end = boundaries
                    .iter()
                    .find(|&&b| b >= start + size)
                    .copied()
                    .unwrap_or(text.len());
                let slice = &text[*start..end];
                let analysis = analyzer.analyze_text("", slice, Some("en"));
                assert_valid(slice, &analysis);
            }
        }
    }
}

#[test]
fn odd_strings_do_not_panic() {
    let analyzer = Analyzer::with_defaults();
    let odd = [
        "",
        " ",
        "\n\n\n",
        "“",
        "”",
        "\"",
        "'",
        "“”",
        "\"\"\"\"\"",
        "“a",
        "a”",
        "said",
        "said.",
        ", said",
        "according to",
        "according to,",
        "He said:",
        "He said: “",
        "“”” said he",
        "«»„“「」『』‹›",
        "„Ja“, sagte er.",
        "« Oui », a déclaré le ministre.",
        "「はい」と述べた。",
        "王毅说：“我们愿意。”",
        "Mr. Mrs. Ms. Dr. Sen. Rep. U.S. U.K.",
        "( ( ( ) ) ) , , , . . .",
        "‘’‘’‘’''''",
        "A.B.C.D.E.F.G.H.",
        "\u{feff}“Hello,” he said.\u{200b}",
        "“One\n\n“Two\n\n“Three",
        "“a” “b” “c” “d” “e” said X, said Y, said Z.",
        "Blinken's's's said'",
        "🙂 “😀 emoji quote 🙂,” 😀 said.",
        "e\u{301}\u{301}\u{301} “combining” said É\u{301}tienne",
        "\r\n“Windows line,” he said.\r\n",
    ];
    for text in odd {
        let analysis = analyzer.analyze_text("", text, None);
        assert_valid(text, &analysis);
    }
    let long_word = "a".repeat(10_000);
    let analysis = analyzer.analyze_text("", &format!("“{long_word},” he said."), Some("en"));
    assert_valid(&format!("“{long_word},” he said."), &analysis);
    let many_marks = "“\"«»„“".repeat(2_000);
    assert_valid(
        &many_marks,
        &analyzer.analyze_text("", &many_marks, Some("en")),
    );
}
