//! The government an article means when it writes `the government said`
//! (or `a government spokesman said`) and names none: the government of the
//! country the article is about.
//! Attribution leaves such quotes without a speaker (no body of the article
//! is called a government); entity recognition knows the article's places,
//! and this stage, run after it, gives those quotes to the country's
//! government (kind `government`, named for the country as the gazetteer
//! names it; the corpus registry files it under its government's name).
//!
//! The country is the first one the title or the lead sentence names (a
//! place of it, a state body or party of it, or its demonym: `South Korea
//! will boost`, `The French government`, `denied being leant on by Downing
//! Street`), else the country the article's places, state bodies and
//! parties belong to most, when at least two mentions make one country
//! ahead of every other. A place before a noun it modifies (`the Iraq war`)
//! does not count. An article that tells neither leaves the quotes without
//! a speaker.

use std::collections::HashMap;

use crate::analysis::cues::{self, Lexicon};
use crate::analysis::entities::Recognition;
use crate::analysis::gazetteer::{Gazetteer, GOVERNMENT_CATEGORY};
use crate::analysis::speakers::identity::{self, rename_speakers};
use crate::analysis::speakers::Extraction;
use crate::analysis::text::without_possessive;
use crate::analysis::words::Words;
use crate::model::{EntityKind, Speaker, SpeakerKind};

/// Sections of the gazetteer's organisations whose country an article
/// about them is about.
const STATE_CATEGORIES: [&str; 2] = [GOVERNMENT_CATEGORY, "party"];

/// Word classes of nouns: a place before a word of no other class modifies
/// it (a word no class knows is taken for a noun too).
const NOUN_CLASSES: cues::WordClass = cues::ROLE_NOUN
    | cues::BODY_NOUN
    | cues::COMPANY_NOUN
    | cues::COMPANY_INTRODUCER
    | cues::SPOKESPERSON
    | cues::BODY_HEAD
    | cues::GOVERNMENT_NOUN
    | cues::ORGANIZATION_HEAD;

/// The country the article in `words` is about, as the gazetteer names it
/// (`United Kingdom`), if the title, the lead or the places tell one.
pub fn article_country(
    words: &Words,
    recognition: &Recognition,
    gazetteer: &Gazetteer,
    language: &str,
) -> Option<String> {
    let lexicon = Lexicon::for_language(language);
    let all = words.all();
    // `the Iraq war`, `Jakarta shares`: a place before a noun modifies it,
    // and the article is about something else of that place.
    let modifies_a_noun = |last: usize| {
        let next = last + 1;
        // `South Africa's inflation rate` is South Africa's.
        !all[last].possessive
            && next < all.len()
            && !all[next].is_capitalized()
            && words.norm(next).chars().all(char::is_alphabetic)
            && lexicon.classes(words.norm(next)) & !NOUN_CLASSES == 0
    };
    let lead_end = (words.body_start() + 1..all.len())
        .find(|&i| all[i].starts_sentence())
        .unwrap_or(all.len());
    let named_at: HashMap<usize, usize> = recognition
        .mentions
        .iter()
        .filter(|m| recognition.entities[m.entity].kind != EntityKind::Person)
        .filter(|m| !modifies_a_noun(m.last))
        .map(|m| (m.first, m.entity))
        .collect();
    for (index, word) in all[..lead_end].iter().enumerate() {
        let country = match named_at.get(&index) {
            Some(&entity) => country_of(gazetteer, &recognition.entities[entity].name),
            None if word.is_capitalized() => gazetteer
                .country_of_demonym(words.norm(index))
                .and_then(|country| country_of(gazetteer, country)),
            None => None,
        };
        if country.is_some() {
            return country;
        }
    }
    let mut mentions: HashMap<String, usize> = HashMap::new();
    for mention in &recognition.mentions {
        let entity = &recognition.entities[mention.entity];
        if entity.kind == EntityKind::Person || modifies_a_noun(mention.last) {
            continue;
        }
        if let Some(country) = country_of(gazetteer, &entity.name) {
            *mentions.entry(country).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = mentions.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    match ranked.as_slice() {
        [(country, count), rest @ ..]
            if *count >= 2 && rest.first().is_none_or(|(_, next)| next < count) =>
        {
            Some(country.clone())
        }
        _ => None,
    }
}

/// The country (with a government) that the place `name` is or lies in,
/// or whose state body or party it is (`Downing Street`, `Bundestag`,
/// `Labour Party`).
fn country_of(gazetteer: &Gazetteer, name: &str) -> Option<String> {
    let known = gazetteer.lookup(name)?;
    let country = match known.kind {
        EntityKind::Place => known.country.as_deref().unwrap_or(&known.name),
        EntityKind::Organization if STATE_CATEGORIES.contains(&known.category?) => {
            known.country.as_deref()?
        }
        _ => return None,
    };
    let country = gazetteer.lookup(country)?;
    gazetteer.government_of(country)?;
    Some(country.name.clone())
}

/// Gives the quotes of `extraction` that a government said, and that
/// attribution left without a speaker, to that government: `the
/// government` is `country`'s, `the Turkish government` or `a U.S.
/// government spokesman` the one of the country named; and a speaker named
/// so (`Indian Government`) becomes that country's government. `language`
/// selects the words for `government` and for `the`.
pub fn attribute_unnamed_governments(
    extraction: &mut Extraction,
    country: Option<&str>,
    gazetteer: &Gazetteer,
    language: &str,
) {
    let lexicon = Lexicon::for_language(language);
    let mut found: Vec<(String, String)> = Vec::new();
    for quote in &mut extraction.quotes {
        if quote.speaker.is_some() {
            continue;
        }
        let Some(mention) = &quote.speaker_mention else {
            continue;
        };
        // `a government spokesman`, `the senior government official`: an
        // unnamed voice of the government is the government (attribution
        // called it anonymous, or a person of that role).
        let government = match voice_of_government(lexicon, &mention.text) {
            Some(government) => Some(government),
            None if quote.speaker_kind != SpeakerKind::Anonymous => {
                government_phrase(lexicon, &mention.text)
            }
            None => None,
        };
        let Some(government) = government.and_then(|g| g.country(country, gazetteer)) else {
            continue;
        };
        quote.speaker = Some(government.clone());
        quote.speaker_kind = SpeakerKind::Government;
        quote.speaker_description = None;
        quote.role = None;
        quote.affiliation = None;
        found.push((government, mention.text.clone()));
    }
    for (government, form) in found {
        match extraction
            .speakers
            .iter_mut()
            .find(|s| s.name == government)
        {
            Some(speaker) => {
                speaker.quotes += 1;
                if !speaker.aliases.contains(&form) {
                    speaker.aliases.push(form);
                }
            }
            None => extraction.speakers.push(Speaker {
                name: government,
                role: None,
                affiliation: None,
                kind: SpeakerKind::Government,
                aliases: vec![form],
                quotes: 1,
            }),
        }
    }
    // `Indian Government said`: attribution named a body for the words.
    let renamed: HashMap<String, (String, SpeakerKind)> = extraction
        .speakers
        .iter()
        .filter(|s| s.kind != SpeakerKind::Person && s.kind != SpeakerKind::Government)
        .filter_map(|s| {
            let place = government_phrase(lexicon, &s.name)?.place?;
            Some((
                s.name.clone(),
                (
                    country_of_place(gazetteer, &place)?,
                    SpeakerKind::Government,
                ),
            ))
        })
        .collect();
    rename_speakers(extraction, &renamed);
}

/// A mention of a government: `the government`, or of a named country's
/// (`the Turkish government`, `U.S. government`).
struct GovernmentPhrase {
    /// The words naming the country (`Turkish`, `U.S.`), if any.
    place: Option<String>,
}

impl GovernmentPhrase {
    /// The country the government is of, as the gazetteer names it: the
    /// one named, else the article's `country`.
    fn country(&self, country: Option<&str>, gazetteer: &Gazetteer) -> Option<String> {
        match &self.place {
            Some(place) => country_of_place(gazetteer, place),
            None => country.map(str::to_owned),
        }
    }
}

/// The country, with a government, that `place` names: its demonym
/// (`Turkish`), its name (`U.S.`) or its possessive (`Turkey's`). Not a
/// place within a country (`the Quebec government` is a province's).
fn country_of_place(gazetteer: &Gazetteer, place: &str) -> Option<String> {
    let place = without_possessive(place);
    let country = match gazetteer.country_of_demonym(&place.to_lowercase()) {
        Some(country) => gazetteer.lookup(country)?,
        None => gazetteer.lookup(place)?,
    };
    (country.kind == EntityKind::Place && country.country.is_none())
        .then(|| country_of(gazetteer, &country.name))
        .flatten()
}

/// Renames the speakers of `extraction` named by a contextual short name
/// (`Finance Ministry`) to `country`'s body of that name, when the
/// gazetteer knows it or a pattern names it (`Japanese Finance Ministry`,
/// `Kuwaiti Foreign Ministry`); their quotes follow.
/// A head word alone (`the Treasury said`) of no such body names no one
/// body: its quotes are anonymous.
pub fn settle_contextual_speakers(
    extraction: &mut Extraction,
    country: Option<&str>,
    gazetteer: &Gazetteer,
) {
    let mut renamed: HashMap<String, (String, SpeakerKind)> = HashMap::new();
    let mut unnamed = Vec::new();
    for speaker in &extraction.speakers {
        let key = speaker.name.to_lowercase();
        let key = key.strip_prefix("the ").unwrap_or(&key);
        if gazetteer.contextual(key).is_none() {
            continue;
        }
        match country.and_then(|country| gazetteer.contextual_body(key, country)) {
            Some(body) => {
                renamed.insert(speaker.name.clone(), (body, SpeakerKind::Organization));
            }
            None if identity::is_bare_head(speaker) => unnamed.push(speaker.name.clone()),
            None => {}
        }
    }
    rename_speakers(extraction, &renamed);
    identity::unname_speakers(extraction, &unnamed);
}

/// `the government`, `le gouvernement`, `the Turkish government`, `U.S.
/// government`: determiners, then the capitalised words of a place, if
/// any, then a government noun.
fn government_phrase(lexicon: &Lexicon, mention: &str) -> Option<GovernmentPhrase> {
    let class = |word: &str| lexicon.classes(&word.to_lowercase());
    let words: Vec<&str> = mention.split_whitespace().collect();
    let (last, before) = words.split_last()?;
    if class(last) & cues::GOVERNMENT_NOUN == 0 {
        return None;
    }
    let opening = before
        .iter()
        .take_while(|word| class(word) & cues::DETERMINER != 0)
        .count();
    let place = &before[opening..];
    // A place's words are capitalised (`the local government` names none).
    if !place
        .iter()
        .all(|word| word.starts_with(char::is_uppercase))
    {
        return None;
    }
    Some(GovernmentPhrase {
        place: (!place.is_empty()).then(|| place.join(" ")),
    })
}

/// `a government spokesman`, `government officials`, `a senior Turkish
/// government official`: a [`government_phrase`], then a spokesperson's
/// noun.
fn voice_of_government(lexicon: &Lexicon, mention: &str) -> Option<GovernmentPhrase> {
    let (government, voice) = mention.trim_end().rsplit_once(char::is_whitespace)?;
    if lexicon.classes(&voice.to_lowercase()) & cues::SPOKESPERSON == 0 {
        return None;
    }
    government_phrase(lexicon, government)
}

#[cfg(test)]
mod tests {
    use crate::analysis::Analyzer;
    use crate::model::{Analysis, SpeakerKind};

    fn analyze(title: &str, body: &str) -> Analysis {
        Analyzer::with_defaults().analyze_text(title, body, Some("en"))
    }

    fn speaker_of_government(title: &str, body: &str) -> Option<String> {
        analyze(title, body)
            .quotes
            .iter()
            .find(|q| q.quote.contains("roll over"))
            .and_then(|q| q.speaker.clone())
    }

    #[test]
    fn the_government_is_the_country_of_the_lead() {
        let body = "South Korea will boost state spending next year to help its economy.\n\n\
                    As part of its spending plans, the government said it will ask firms to \
                    \"roll over mortgage loans for another year\".";
        assert_eq!(
            speaker_of_government("Spending boost", body).as_deref(),
            Some("South Korea")
        );
    }

    #[test]
    fn an_unnamed_government_spokesman_is_the_government() {
        let body = "Greece will not allow Turkey to drill in the Aegean.\n\n\
                    A government spokesman said Athens would roll over the talks.\n\n\
                    The senior government official said Athens would roll over its loans.\n\n\
                    A spokesman said the talks would roll over to next week.";
        let analysis = analyze("Aegean row", body);
        let quotes: Vec<_> = analysis
            .quotes
            .iter()
            .filter(|q| q.quote.contains("roll over"))
            .map(|q| {
                (
                    q.speaker.as_deref(),
                    q.speaker_kind,
                    q.speaker_description.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            quotes,
            [
                (Some("Greece"), SpeakerKind::Government, None),
                (Some("Greece"), SpeakerKind::Government, None),
                (None, SpeakerKind::Anonymous, Some("a spokesman")),
            ]
        );
    }

    /// The speakers of the quotes `analyze` finds in `body`.
    fn speakers_of(title: &str, body: &str) -> Vec<Option<String>> {
        analyze(title, body)
            .quotes
            .iter()
            .map(|q| q.speaker.clone())
            .collect()
    }

    #[test]
    fn a_ministry_every_country_has_is_the_article_country_s() {
        let body = "Japan will cut taxes next year, the Finance Ministry said.\n\n\
                    \"We will roll over the bonds,\" the Finance Ministry said.";
        let japanese = Some("Japanese Finance Ministry".to_owned());
        assert_eq!(speakers_of("Tax cut", body), [japanese.clone(), japanese]);
        assert_eq!(
            analyze("Tax cut", body).speakers[0].aliases,
            ["Finance Ministry"]
        );
        // A central bank too.
        let body = "The Philippine peso fell sharply in Manila.\n\n\
                    The Central Bank said it would intervene to steady the peso.";
        assert_eq!(
            speakers_of("Philippine peso falls", body),
            [Some("Central Bank of the Philippines".to_owned())]
        );
    }

    #[test]
    fn without_a_country_the_government_stays_unnamed() {
        let body = "Spending will rise next year.\n\n\
                    As part of its spending plans, the government said it will ask firms to \
                    \"roll over mortgage loans for another year\".";
        assert_eq!(speaker_of_government("Spending boost", body), None);
    }
}
