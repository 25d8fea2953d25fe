//! Quote extraction: finds who said what in an article. [`extract`] runs the
//! stages in order, all on byte offsets and token indices, converting to
//! code points once at the end:
//!
//! 1. [`tokens`]: words, sentences and paragraphs, with word classes from
//!    the language's [`cues`] tables;
//! 2. [`marks`]: quotation marks paired into quoted spans (every mark style,
//!    nesting, quotes over several paragraphs, missing marks);
//! 3. [`attribution`]: each quoted span classified (`direct`, `partial`,
//!    `term`) and tied to a cue and speaker phrase found by [`phrases`]; split
//!    quotes joined;
//! 4. [`reported`]: reported speech without quotation marks (`indirect`);
//! 5. speaker resolution ([`crate::analysis::speakers`]): names, pronouns and
//!    role nouns to the article's canonical speakers, then the alias table.

pub(crate) mod attribution;
pub(crate) mod cjk;
pub(crate) mod cues;
pub(crate) mod marks;
pub(crate) mod phrases;
pub(crate) mod reported;
pub(crate) mod tokens;

use std::collections::HashMap;

use super::speakers::resolve::{EntityTable, MentionKind};
use super::speakers::{names, Aliases};
use super::text::CharOffsets;
use crate::model::{Quote, QuoteKind, Span, Speaker, SpeakerKind};
use attribution::Draft;
use phrases::Phrases;
use tokens::Document;

/// What extraction finds in one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// Quotes in order of appearance.
    pub quotes: Vec<Quote>,
    /// Canonical speakers of those quotes, in order of first quote.
    pub speakers: Vec<Speaker>,
}

/// Extracts quotes and their speakers from `text`. `language` (ISO 639-1)
/// selects the cue tables; languages without one use English cues. Terms
/// (scare quotes, titles) are not reported.
pub fn extract(text: &str, language: &str, aliases: &Aliases) -> Extraction {
    let document = Document::new(text, language);
    let spans = marks::find_quoted_spans(&document);
    let mut in_quote = vec![false; document.tokens.len()];
    for span in &spans {
        let first = span.open.unwrap_or(span.first);
        let last = span.close.unwrap_or(span.last);
        for flag in &mut in_quote[first..=last] {
            *flag = true;
        }
    }
    let phrases = Phrases {
        document: &document,
        in_quote: &in_quote,
    };
    let mut drafts = attribution::attribute_quoted_spans(&phrases, &spans);
    let reported = reported::find_reported_speech(&phrases, &drafts);
    drafts.extend(reported);
    let has_cjk = document.tokens.iter().any(|t| t.shape & tokens::CJK != 0);
    if has_cjk {
        let reported = cjk::find_reported_speech(&phrases, &drafts);
        drafts.extend(reported);
    }
    drafts.retain(|d| d.kind != QuoteKind::Term);
    drafts.sort_by_key(|d| (d.first(), d.last()));

    // CJK speakers have no capitals: their names come from the drafts.
    let cjk_names = if has_cjk {
        let mut names: Vec<_> = drafts
            .iter()
            .filter_map(|d| d.attribution)
            .filter_map(|a| cjk::name_mention(&document, &a.mention))
            .collect();
        names.sort_by_key(|m| (m.first, m.last));
        names.dedup_by_key(|m| (m.first, m.last));
        names
    } else {
        Vec::new()
    };
    let mut entities = EntityTable::build_with(&document, &in_quote, cjk_names);
    let speakers = resolve_speakers(&document, &mut entities, &drafts);
    assemble(&document, &entities, aliases, &drafts, &speakers)
}

/// The entity (or, for a name no entity covers, the mention text) each draft
/// is attributed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolved {
    Entity(usize),
    Unlinked,
    Nobody,
}

/// Resolves every draft's mention, in text order of the mentions (pronouns
/// depend on what came before).
fn resolve_speakers(
    document: &Document,
    entities: &mut EntityTable,
    drafts: &[Draft],
) -> Vec<Resolved> {
    let mut order: Vec<usize> = (0..drafts.len())
        .filter(|&i| drafts[i].attribution.is_some())
        .collect();
    order.sort_by_key(|&i| drafts[i].attribution.map(|a| (a.mention.first, i)));
    let mut resolved = vec![Resolved::Nobody; drafts.len()];
    let mut memo: HashMap<(usize, usize), Resolved> = HashMap::new();
    for index in order {
        let Some(found) = drafts[index].attribution else {
            continue;
        };
        let mention = found.mention;
        let key = (mention.first, mention.last);
        let result = match memo.get(&key) {
            Some(result) => *result,
            None => {
                let result = match entities.resolve(document, &mention) {
                    Some(entity) => {
                        entities.record(document, mention.first, entity);
                        Resolved::Entity(entity)
                    }
                    None if mention.kind == MentionKind::Name => Resolved::Unlinked,
                    None => Resolved::Nobody,
                };
                memo.insert(key, result);
                result
            }
        };
        resolved[index] = result;
    }
    resolved
}

/// Builds the output quotes and speakers, converting offsets to code points.
fn assemble(
    document: &Document,
    entities: &EntityTable,
    aliases: &Aliases,
    drafts: &[Draft],
    resolved: &[Resolved],
) -> Extraction {
    let text = document.text;
    let offsets = CharOffsets::new(text);
    let mut canonical_names: HashMap<usize, String> = HashMap::new();
    let mut extraction = Extraction::default();
    let mut speaker_index: HashMap<String, usize> = HashMap::new();
    for (draft, resolved) in drafts.iter().zip(resolved) {
        let byte_pieces: Vec<(usize, usize)> = draft
            .pieces
            .iter()
            .map(|&(first, last)| (document.tokens[first].start, document.tokens[last].end))
            .collect();
        let (Some(&(start, _)), Some(&(_, end))) = (byte_pieces.first(), byte_pieces.last()) else {
            continue;
        };
        let quote_text = byte_pieces
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect::<Vec<_>>()
            .join(" ");
        let mention = draft.attribution.map(|a| a.mention);
        let (speaker, role, kind, entity) = match *resolved {
            Resolved::Entity(entity) => {
                let name = canonical_names
                    .entry(entity)
                    .or_insert_with(|| canonical_name(&entities.entities[entity], aliases))
                    .clone();
                let data = &entities.entities[entity];
                (Some(name), data.role.clone(), data.kind, Some(entity))
            }
            Resolved::Unlinked => {
                let mention = mention.expect("unlinked speakers come from mentions");
                let surface = names::display(document.slice(mention.first, mention.last));
                let surface = surface
                    .strip_prefix("the ")
                    .or_else(|| surface.strip_prefix("The "))
                    .unwrap_or(surface);
                let name = aliases.canonical(surface).unwrap_or(surface).to_owned();
                (Some(name), None, SpeakerKind::Unknown, None)
            }
            Resolved::Nobody => (None, None, SpeakerKind::Unknown, None),
        };
        let kind_of_quote = if speaker.is_none() && draft.kind == QuoteKind::Indirect {
            QuoteKind::Indirect
        } else {
            draft.kind
        };
        if let Some(name) = &speaker {
            let index = *speaker_index.entry(name.clone()).or_insert_with(|| {
                extraction.speakers.push(Speaker {
                    name: name.clone(),
                    role: role.clone(),
                    kind,
                    aliases: Vec::new(),
                    quotes: 0,
                });
                extraction.speakers.len() - 1
            });
            let entry = &mut extraction.speakers[index];
            entry.quotes += 1;
            if entry.role.is_none() {
                entry.role = role.clone();
            }
            let forms: Vec<String> = match entity {
                Some(entity) => entities.entities[entity].forms.clone(),
                None => mention
                    .map(|m| vec![document.slice(m.first, m.last).to_owned()])
                    .unwrap_or_default(),
            };
            for form in forms {
                if !entry.aliases.contains(&form) {
                    entry.aliases.push(form);
                }
            }
        }
        extraction.quotes.push(Quote {
            quote: quote_text,
            start: offsets.char_offset(start),
            end: offsets.char_offset(end),
            kind: kind_of_quote,
            speaker,
            role,
            speaker_mention: mention.filter(|m| m.kind != MentionKind::Dropped).map(|m| {
                let (first, last) = m.written_range();
                span_of(document, &offsets, first, last)
            }),
            cue: draft
                .attribution
                .and_then(|a| a.cue)
                .map(|(first, last)| span_of(document, &offsets, first, last)),
            pieces: if byte_pieces.len() > 1 {
                byte_pieces
                    .iter()
                    .map(|&(s, e)| [offsets.char_offset(s), offsets.char_offset(e)])
                    .collect()
            } else {
                Vec::new()
            },
        });
    }
    extraction
}

/// The name a speaker is reported under: the alias table's canonical name
/// for any form the article uses, else the fullest name in the article.
fn canonical_name(entity: &super::speakers::resolve::Entity, aliases: &Aliases) -> String {
    std::iter::once(entity.name.as_str())
        .chain(entity.forms.iter().map(String::as_str))
        .find_map(|form| aliases.canonical(form))
        .unwrap_or(&entity.name)
        .to_owned()
}

fn span_of(document: &Document, offsets: &CharOffsets, first: usize, last: usize) -> Span {
    let start = document.tokens[first].start;
    let end = document.tokens[last].end;
    Span {
        text: document.text[start..end].to_owned(),
        start: offsets.char_offset(start),
        end: offsets.char_offset(end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One expected quote: its text, kind and speaker.
    type Expected<'a> = (&'a str, QuoteKind, Option<&'a str>);

    fn check(text: &str, expected: &[Expected]) {
        let aliases = Aliases::parse(crate::analysis::speakers::DEFAULT_ALIASES).unwrap();
        let found = extract(text, "en", &aliases);
        let actual: Vec<(String, QuoteKind, Option<String>)> = found
            .quotes
            .iter()
            .map(|q| (q.quote.clone(), q.kind, q.speaker.clone()))
            .collect();
        let expected: Vec<(String, QuoteKind, Option<String>)> = expected
            .iter()
            .map(|(q, k, s)| (q.to_string(), *k, s.map(str::to_owned)))
            .collect();
        assert_eq!(actual, expected, "in {text:?}");
    }

    use QuoteKind::{Direct, Indirect, Partial};

    #[test]
    fn direct_quotes_with_cues_after() {
        check(
            "“We will keep talking,” Wang Yi said on Friday.",
            &[("We will keep talking,", Direct, Some("Wang Yi"))],
        );
        check(
            "“We will keep talking,” said Wang Yi.",
            &[("We will keep talking,", Direct, Some("Wang Yi"))],
        );
        check(
            "\"This is a waste of time,\" said Del. Stacey Plaskett of the Virgin Islands.",
            &[("This is a waste of time,", Direct, Some("Stacey Plaskett"))],
        );
        check("“Really?” she asked.", &[("Really?", Direct, None)]);
    }

    #[test]
    fn direct_quotes_with_cues_before() {
        check(
            "Mook told CBS, “We are really focused on the voters.”",
            &[("We are really focused on the voters.", Direct, Some("Mook"))],
        );
        check(
            "Stone said: “The stakes are so high for everyone.”",
            &[(
                "The stakes are so high for everyone.",
                Direct,
                Some("Stone"),
            )],
        );
    }

    #[test]
    fn split_quote_is_one_quote_with_pieces() {
        let aliases = Aliases::default();
        let text =
            "Xi Jinping met him. “Relations will improve,” he said. “We should be partners.”";
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
    fn partial_quotes_inside_reported_speech() {
        check(
            "Wang Yi met him. Wang said China and the US face a choice between stability and a “downward spiral”.",
            &[
                ("China and the US face a choice between stability and a “downward spiral”", Indirect, Some("Wang Yi")),
                ("downward spiral", Partial, Some("Wang Yi")),
            ],
        );
        check(
            "Wang accused the US of “taking endless measures to crush China's economy” on Friday.",
            &[(
                "taking endless measures to crush China's economy",
                Partial,
                Some("Wang"),
            )],
        );
    }

    #[test]
    fn scare_quotes_and_titles_are_not_quotes() {
        check(
            "Concerns about China's industrial “overcapacity” grew.",
            &[],
        );
        check("He watched the film “The Last Emperor” twice.", &[]);
        check("The so-called “peace dividend” never came.", &[]);
    }

    #[test]
    fn reported_speech_without_marks() {
        check(
            "Blinken said the U.S. had seen evidence of interference.",
            &[(
                "the U.S. had seen evidence of interference",
                Indirect,
                Some("Blinken"),
            )],
        );
        check(
            "The talks will resume in May, a source said.",
            &[("The talks will resume in May", Indirect, None)],
        );
        check(
            "According to the State Department, the talks went well.",
            &[("the talks went well", Indirect, Some("US State Department"))],
        );
        check(
            "Blinken told reporters that the talks went well.",
            &[("the talks went well", Indirect, Some("Blinken"))],
        );
    }

    #[test]
    fn pronouns_and_role_nouns_resolve_to_earlier_speakers() {
        check(
            "Chinese Foreign Minister Wang Yi met Blinken.\n“We will talk,” the minister said.\n“We will listen,” he added.",
            &[
                ("We will talk,", Direct, Some("Wang Yi")),
                ("We will listen,", Direct, Some("Wang Yi")),
            ],
        );
    }

    #[test]
    fn signatures_and_transcripts_name_speakers() {
        check(
            "“We can build a wall around him.” ― Steve Quinlan\n“I hope so.” ― Jorge Falcon",
            &[
                (
                    "We can build a wall around him.",
                    Direct,
                    Some("Steve Quinlan"),
                ),
                ("I hope so.", Direct, Some("Jorge Falcon")),
            ],
        );
        check(
            "\"PENCE: Gennifer Flowers will not be attending the debate.",
            &[(
                "PENCE: Gennifer Flowers will not be attending the debate.",
                Direct,
                Some("PENCE"),
            )],
        );
    }

    #[test]
    fn aliases_give_canonical_names() {
        check(
            "“We are ready,” Anthony Blinken said.",
            &[("We are ready,", Direct, Some("Antony Blinken"))],
        );
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
        assert_eq!(found.speakers[0].kind, SpeakerKind::Organization);
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
}
