//! Quote extraction: finds quotations in article text and attributes each to
//! the speaker named by the nearest speech cue. Works on byte offsets inside,
//! reports code-point offsets.
//!
//! This first extractor handles straight and curly double quotes, speech verbs
//! before or after the quote (`X said`, `said X`, `according to X`), and `he` /
//! `she` resolved to the last named person.

use super::speakers::Aliases;
use super::text::CharOffsets;
use crate::model::{Quote, QuoteKind, Span, Speaker, SpeakerKind};

/// What extraction finds in one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// Quotes in order of appearance.
    pub quotes: Vec<Quote>,
    /// Canonical speakers of those quotes.
    pub speakers: Vec<Speaker>,
}

/// Speech verbs recognised as cues.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "asked",
    "warned",
    "stated",
    "noted",
    "argued",
    "insisted",
    "wrote",
    "tweeted",
    "explained",
    "declared",
    "announced",
    "claimed",
    "stressed",
    "replied",
    "responded",
    "continued",
    "urged",
    "recalled",
    "acknowledged",
];

/// Pronouns resolved to the last named person.
const PRONOUNS: &[&str] = &["he", "she", "He", "She"];

/// Extracts quotes from `text`. `language` selects cue vocabularies; only
/// English cues are known to this extractor.
pub fn extract(text: &str, _language: &str, aliases: &Aliases) -> Extraction {
    let offsets = CharOffsets::new(text);
    let mut extraction = Extraction::default();
    let mut last_person: Option<String> = None;
    let mut paragraph_start = 0;
    for paragraph in text.split_inclusive('\n') {
        for (open, close) in quote_spans(paragraph) {
            let start = paragraph_start + open;
            let end = paragraph_start + close;
            let content = &text[start..end];
            if content.trim().is_empty() {
                continue;
            }
            let attribution = attribute(paragraph, open, close, paragraph_start);
            let is_statement = content.split_whitespace().count() >= 4;
            let kind = if sentence_start_before(paragraph, open) {
                QuoteKind::Direct
            } else if attribution.is_some() || is_statement {
                QuoteKind::Partial
            } else {
                QuoteKind::Term
            };
            let mut quote = Quote {
                quote: content.to_owned(),
                start: offsets.char_offset(start),
                end: offsets.char_offset(end),
                kind,
                speaker: None,
                role: None,
                speaker_mention: None,
                cue: None,
                pieces: Vec::new(),
            };
            if let Some((mention, cue)) = attribution {
                let mention_text = &text[mention.0..mention.1];
                let speaker = if PRONOUNS.contains(&mention_text) {
                    last_person.clone()
                } else {
                    let name = aliases
                        .canonical(mention_text)
                        .unwrap_or(mention_text)
                        .to_owned();
                    last_person = Some(name.clone());
                    Some(name)
                };
                quote.speaker = speaker;
                quote.speaker_mention = Some(span(text, &offsets, mention));
                quote.cue = Some(span(text, &offsets, cue));
            }
            if quote.kind != QuoteKind::Term {
                extraction.quotes.push(quote);
            }
        }
        paragraph_start += paragraph.len();
    }
    extraction.speakers = speakers_of(&extraction.quotes);
    extraction
}

fn span(text: &str, offsets: &CharOffsets, (start, end): (usize, usize)) -> Span {
    Span {
        text: text[start..end].to_owned(),
        start: offsets.char_offset(start),
        end: offsets.char_offset(end),
    }
}

fn speakers_of(quotes: &[Quote]) -> Vec<Speaker> {
    let mut speakers: Vec<Speaker> = Vec::new();
    for quote in quotes {
        let Some(name) = &quote.speaker else { continue };
        let mention = quote.speaker_mention.as_ref().map(|m| m.text.clone());
        let speaker = match speakers.iter_mut().position(|s| &s.name == name) {
            Some(index) => &mut speakers[index],
            None => {
                speakers.push(Speaker {
                    name: name.clone(),
                    role: None,
                    kind: SpeakerKind::Person,
                    aliases: Vec::new(),
                    quotes: 0,
                });
                speakers.last_mut().expect("just pushed")
            }
        };
        speaker.quotes += 1;
        if let Some(mention) = mention {
            if !PRONOUNS.contains(&mention.as_str()) && !speaker.aliases.contains(&mention) {
                speaker.aliases.push(mention);
            }
        }
    }
    speakers
}

/// Byte ranges (within the paragraph) of the contents of quotation marks.
fn quote_spans(paragraph: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (index, ch) in paragraph.char_indices() {
        match (open, ch) {
            (None, '“') | (None, '"') => open = Some((index + ch.len_utf8(), ch)),
            (Some((start, '“')), '”') | (Some((start, '"')), '"') => {
                spans.push((start, index));
                open = None;
            }
            _ => {}
        }
    }
    if let Some((start, _)) = open {
        // A quote left open runs to the end of the paragraph.
        let end = paragraph.trim_end().len();
        if end > start {
            spans.push((start, end));
        }
    }
    spans
}

/// Whether only whitespace or sentence punctuation precedes `open` in its sentence.
fn sentence_start_before(paragraph: &str, open: usize) -> bool {
    let before = paragraph[..open].trim_end_matches(['“', '"']).trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '”', '"'])
}

/// Finds `(speaker mention, cue)` byte ranges (absolute) for the quote at
/// `open..close` in `paragraph`, looking first after the quote, then before.
fn attribute(
    paragraph: &str,
    open: usize,
    close: usize,
    base: usize,
) -> Option<((usize, usize), (usize, usize))> {
    let after_start = (close + 1).min(paragraph.len());
    let after_start = (after_start..=paragraph.len())
        .find(|i| paragraph.is_char_boundary(*i))
        .unwrap_or(paragraph.len());
    let after = &paragraph[after_start..];
    let after_end = after.find(['.', '“', '"']).unwrap_or(after.len());
    let words_after = words(&after[..after_end], base + after_start);
    if let Some(found) = cue_and_speaker(&words_after, true) {
        return Some(found);
    }
    let before_end = open.saturating_sub(1);
    let before_end = (0..=before_end)
        .rev()
        .find(|i| paragraph.is_char_boundary(*i))
        .unwrap_or(0);
    let before = &paragraph[..before_end];
    let before_start = before.rfind(". ").map_or(0, |i| i + 2);
    let words_before = words(&before[before_start..], base + before_start);
    cue_and_speaker(&words_before, false)
}

/// Words with their absolute byte ranges.
fn words(text: &str, base: usize) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (index, ch) in text.char_indices() {
        let is_word = ch.is_alphanumeric() || ch == '\'' || ch == '’' || ch == '-' || ch == '.';
        match (start, is_word) {
            (None, true) => start = Some(index),
            (Some(s), false) => {
                out.push((base + s, base + index, text[s..index].trim_end_matches('.')));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((base + s, base + text.len(), text[s..].trim_end_matches('.')));
    }
    out
}

fn is_name_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Given the words of one side of a quote, finds a cue and its speaker.
fn cue_and_speaker(
    words: &[(usize, usize, &str)],
    after_quote: bool,
) -> Option<((usize, usize), (usize, usize))> {
    let lower: Vec<String> = words.iter().map(|w| w.2.to_lowercase()).collect();
    for (i, word) in lower.iter().enumerate() {
        let (cue_start, cue_end, name_side_after) = if word == "according" {
            match lower.get(i + 1) {
                Some(next) if next == "to" => (words[i].0, words[i + 1].1, true),
                _ => continue,
            }
        } else if SPEECH_VERBS.contains(&word.as_str()) {
            (words[i].0, words[i].1, false)
        } else {
            continue;
        };
        // "X said" (name before the verb) or "said X" / "according to X".
        let name_before = (!name_side_after)
            .then(|| name_ending_at(words, i))
            .flatten();
        let first_after = if word == "according" { i + 2 } else { i + 1 };
        let name_after = if name_side_after || after_quote {
            name_starting_at(words, first_after)
        } else {
            None
        };
        if let Some(mention) = name_before.or(name_after) {
            return Some((mention, (cue_start, cue_end)));
        }
    }
    None
}

fn name_ending_at(words: &[(usize, usize, &str)], verb: usize) -> Option<(usize, usize)> {
    let last = verb.checked_sub(1)?;
    if PRONOUNS.contains(&words[last].2) {
        return Some((words[last].0, words[last].1));
    }
    let mut first = last;
    while is_name_word(words[first].2) {
        if first == 0 || !is_name_word(words[first - 1].2) {
            break;
        }
        first -= 1;
    }
    is_name_word(words[last].2).then(|| {
        (
            words[first].0,
            words[last].1 - trailing_possessive(words[last].2),
        )
    })
}

fn name_starting_at(words: &[(usize, usize, &str)], first: usize) -> Option<(usize, usize)> {
    let word = words.get(first)?;
    if PRONOUNS.contains(&word.2) {
        return Some((word.0, word.1));
    }
    if !is_name_word(word.2) {
        return None;
    }
    let mut last = first;
    while words.get(last + 1).is_some_and(|w| is_name_word(w.2)) {
        last += 1;
    }
    Some((words[first].0, words[last].1))
}

fn trailing_possessive(word: &str) -> usize {
    if word.ends_with("'s") {
        2
    } else if word.ends_with("’s") {
        "’s".len()
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<Quote> {
        extract(text, "en", &Aliases::default()).quotes
    }

    #[test]
    fn direct_quote_with_trailing_attribution() {
        let found = quotes("“We will keep talking,” Wang Yi said on Friday.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].quote, "We will keep talking,");
        assert_eq!(found[0].speaker.as_deref(), Some("Wang Yi"));
        assert_eq!(found[0].kind, QuoteKind::Direct);
        assert_eq!(found[0].cue.as_ref().unwrap().text, "said");
    }

    #[test]
    fn partial_quote_in_reported_speech() {
        let found = quotes(
            "Wang said China and the US face a choice between stability and a “downward spiral”.",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].quote, "downward spiral");
        assert_eq!(found[0].speaker.as_deref(), Some("Wang"));
        assert_eq!(found[0].kind, QuoteKind::Partial);
    }

    #[test]
    fn pronoun_resolves_to_last_person() {
        let found = quotes("“First,” Blinken said.\n“Second point here,” he said.");
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].speaker.as_deref(), Some("Blinken"));
        assert_eq!(found[1].speaker_mention.as_ref().unwrap().text, "he");
    }

    #[test]
    fn offsets_are_code_points() {
        let text = "Ünal said: “Ça va bien, merci beaucoup.”";
        let found = quotes(text);
        assert_eq!(found.len(), 1);
        let chars: Vec<char> = text.chars().collect();
        let sliced: String = chars[found[0].start..found[0].end].iter().collect();
        assert_eq!(sliced, found[0].quote);
    }
}
