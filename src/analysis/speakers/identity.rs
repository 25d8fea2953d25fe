//! Identity in the article: the last stage of attribution. Takes the
//! speakers extraction resolved (names as the article writes them, with a
//! first guess at their kind) and settles each on the name and kind the
//! gazetteer knows: an organisation's canonical name (`Tories` →
//! `Conservative Party`), a place that speaks for its government (kind
//! `government`, under the place's canonical name: `U.S.` → `United
//! States`), a name ending like
//! a company as an organisation. Quotes follow their speaker; speakers that
//! turn out to be one are merged, the forms they had kept as aliases.
//!
//! A place that speaks keeps its name as written (`Beijing said` is
//! attributed to `Beijing`, of kind `government`); the corpus registry
//! (`search::speakers`) groups the places of one country under its
//! government (`Gazetteer::government_of`).

use std::collections::HashMap;

use super::Extraction;
use crate::analysis::cues::{self, Lexicon};
use crate::analysis::gazetteer::{Gazetteer, KnownName};
use crate::model::{EntityKind, Quote, Speaker, SpeakerKind};

/// Settles every speaker of `extraction` on its identity in the gazetteer.
/// `body` is the text the speakers were found in.
pub fn settle_identities(extraction: &mut Extraction, gazetteer: &Gazetteer, body: &str) {
    if extraction.speakers.is_empty() {
        return;
    }
    // A head the gazetteer names per country (`Treasury`) waits for the
    // article's country (`governments::settle_contextual_speakers`).
    let mut bare: Vec<String> = extraction
        .speakers
        .iter()
        .filter(|s| {
            is_bare_head(s)
                && gazetteer.lookup(&s.name).is_none()
                && gazetteer.contextual(&s.name.to_lowercase()).is_none()
        })
        .map(|s| s.name.clone())
        .collect();
    // `the Commission said` in an article that writes `EC`: the one body
    // the gazetteer knows as `EC Commission`.
    let qualified: HashMap<String, (String, SpeakerKind)> = bare
        .iter()
        .filter_map(|head| {
            let body = body_qualified_in(body, head, gazetteer)?;
            Some((head.clone(), (body, SpeakerKind::Organization)))
        })
        .collect();
    rename_speakers(extraction, &qualified);
    bare.retain(|head| !qualified.contains_key(head));
    unname_speakers(extraction, &bare);
    keep_titles_as_roles(extraction);
    let mut renamed: HashMap<String, (String, SpeakerKind)> = HashMap::new();
    for speaker in &extraction.speakers {
        if let Some(identity) = identity_of(speaker, gazetteer, body) {
            renamed.insert(speaker.name.clone(), identity);
        }
    }
    rename_speakers(extraction, &renamed);
}

/// `Treasury Secretary`, `Lord Chancellor`, `Scottish Finance Minister`: a
/// speaker of no known kind named by a title alone
/// ([`Lexicon::is_title_alone`]) is no one named. Its quotes are a person's
/// whose role is the title, as `the finance minister said` with no minister
/// named.
fn keep_titles_as_roles(extraction: &mut Extraction) {
    let lexicon = Lexicon::for_language("en");
    let titles: Vec<String> = extraction
        .speakers
        .iter()
        .filter(|s| s.kind == SpeakerKind::Unknown && lexicon.is_title_alone(&s.name))
        .map(|s| s.name.clone())
        .collect();
    take_out_speakers(extraction, &titles, |quote, title| {
        quote.speaker_kind = SpeakerKind::Person;
        quote.role = Some(title);
    });
}

/// Takes the speakers named `names` out of `extraction`: their quotes are
/// anonymous, described by the name (`the treasury`).
pub fn unname_speakers(extraction: &mut Extraction, names: &[String]) {
    take_out_speakers(extraction, names, |quote, name| {
        quote.speaker_kind = SpeakerKind::Anonymous;
        quote.speaker_description = Some(format!("the {}", name.to_lowercase()));
    });
}

/// Takes the speakers named `names` out of `extraction`; `unnamed` tells each
/// of their quotes, left with no speaker, what it is instead, given the name.
fn take_out_speakers(
    extraction: &mut Extraction,
    names: &[String],
    unnamed: impl Fn(&mut Quote, String),
) {
    if names.is_empty() {
        return;
    }
    for quote in &mut extraction.quotes {
        if let Some(name) = quote.speaker.take_if(|name| names.contains(name)) {
            unnamed(quote, name);
        }
    }
    extraction.speakers.retain(|s| !names.contains(&s.name));
}

/// Renames the speakers of `extraction` (old name → new name and kind), their
/// quotes following; speakers that end up with one name are merged, the old
/// names kept as aliases. A body or government loses the person's role.
pub fn rename_speakers(
    extraction: &mut Extraction,
    renamed: &HashMap<String, (String, SpeakerKind)>,
) {
    if renamed.is_empty() {
        return;
    }
    for quote in &mut extraction.quotes {
        let Some(name) = &quote.speaker else { continue };
        if let Some((identity, kind)) = renamed.get(name) {
            quote.speaker = Some(identity.clone());
            quote.speaker_kind = *kind;
            if *kind != SpeakerKind::Person {
                // `Spokesman for` is a person's role, not Texaco's.
                quote.role = None;
            }
        }
    }
    let mut settled: Vec<Speaker> = Vec::with_capacity(extraction.speakers.len());
    for mut speaker in std::mem::take(&mut extraction.speakers) {
        if let Some((identity, kind)) = renamed.get(&speaker.name) {
            if *identity != speaker.name && !speaker.aliases.contains(&speaker.name) {
                speaker.aliases.push(speaker.name.clone());
            }
            speaker.name = identity.clone();
            speaker.kind = *kind;
            if *kind != SpeakerKind::Person {
                speaker.role = None;
            }
        }
        match settled.iter_mut().find(|s| s.name == speaker.name) {
            Some(existing) => {
                existing.quotes += speaker.quotes;
                for alias in speaker.aliases {
                    if !existing.aliases.contains(&alias) {
                        existing.aliases.push(alias);
                    }
                }
                existing.role = existing.role.take().or(speaker.role);
                existing.affiliation = existing.affiliation.take().or(speaker.affiliation);
            }
            None => settled.push(speaker),
        }
    }
    extraction.speakers = settled;
}

/// The company name the text completes `name` into (`CPC International`,
/// `CPC Corp`), if it does: `name` is then that company's short name,
/// whatever else the gazetteer knows by it.
fn completed_in(body: &str, name: &str) -> Option<String> {
    let lexicon = Lexicon::for_language("en");
    body.match_indices(name).find_map(|(at, _)| {
        let rest = body[at + name.len()..].strip_prefix(' ')?;
        let next: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '.')
            .collect();
        (next.starts_with(char::is_uppercase)
            && lexicon.classes(&next) & (cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX) != 0)
            .then(|| format!("{name} {next}"))
    })
}

/// Whether `word` joins the capitalised words of a body's name (`of` in
/// `Bank of Japan`, `&`).
fn joins_name(word: &str) -> bool {
    matches!(word, "of" | "for" | "and" | "on" | "the" | "&")
}

/// The one body the gazetteer names by `head` after words that `body`
/// writes in capitals (`EC` for `EC Commission`; `European Community` for
/// `European Community Commission`): an acronym, or two words or more, so
/// that an adjective (`European`) names none.
fn body_qualified_in(body: &str, head: &str, gazetteer: &Gazetteer) -> Option<String> {
    let words: Vec<&str> = body
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\''))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let written = |qualifier: &str| {
        let wanted: Vec<&str> = qualifier.split(' ').collect();
        let acronym = |w: &str| w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase());
        words.windows(wanted.len()).any(|run| {
            run.iter()
                .zip(&wanted)
                .all(|(w, q)| w.eq_ignore_ascii_case(q) && w.starts_with(char::is_uppercase))
                && (wanted.len() >= 2 || acronym(run[0]))
        })
    };
    let mut found: Option<&str> = None;
    for (qualifier, known) in gazetteer.bodies_headed_by(head) {
        if qualifier.is_empty() || !written(qualifier) {
            continue;
        }
        match found {
            Some(name) if name != known.name => return None,
            _ => found = Some(&known.name),
        }
    }
    found.map(str::to_owned)
}

/// Most letters of an acronym spelled out in the text.
const MAX_ACRONYM_LETTERS: usize = 6;

/// The name the text spells `acronym` out as, if it does: a run of
/// capitalised words (joined by `of`, `for`, `and`, `on`, `the`, `&`) whose
/// initials are the acronym's letters: `Economic Planning Agency` for `EPA`,
/// `Securities and Exchange Commission` for `SEC`.
fn spelled_out_in(body: &str, acronym: &str) -> Option<String> {
    let letters: Vec<char> = acronym.chars().filter(|c| *c != '.').collect();
    if !(2..=MAX_ACRONYM_LETTERS).contains(&letters.len())
        || !letters.iter().all(char::is_ascii_uppercase)
    {
        return None;
    }
    let words: Vec<&str> = body.split_whitespace().collect();
    let capitalised = |word: &str| word.starts_with(|c: char| c.is_uppercase());
    (0..words.len()).find_map(|start| {
        let mut run = Vec::new();
        let mut initials = 0;
        for &word in &words[start..] {
            let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric());
            if run.is_empty() && !capitalised(bare) {
                return None;
            }
            if capitalised(bare) {
                if bare.chars().next() != letters.get(initials).copied() {
                    return None;
                }
                initials += 1;
            } else if !joins_name(bare) {
                return None;
            }
            run.push(bare);
            if initials == letters.len() {
                return (bare.chars().count() > 1).then(|| run.join(" "));
            }
            if bare.len() != word.len() {
                // Punctuation ends the run.
                return None;
            }
        }
        None
    })
}

/// Whether the text writes `name` right after a form of address or a
/// peer's title (`Mr McDonald`, `Dr. Ford`, `Lord Sainsbury`): only a
/// person is addressed so.
fn addressed_in(body: &str, name: &str, gazetteer: &Gazetteer) -> bool {
    body.match_indices(name).any(|(at, _)| {
        let after = body[at + name.len()..].chars().next();
        !after.is_some_and(char::is_alphanumeric)
            && body[..at]
                .strip_suffix(' ')
                .and_then(|before| before.rsplit([' ', '\n', '"', '(']).next())
                .is_some_and(|word| {
                    gazetteer.is_form_of_address(word) || gazetteer.is_peerage(word)
                })
    })
}

/// The body's name the text writes right before `acronym` in capitals
/// (`National Statistics Institute ISTAT`, `... Institute (ISTAT)`), for a
/// one-word speaker the text also writes in capitals: `Istat said` is the
/// institute. Only a capitalised run ending like a body counts.
fn named_before_acronym_in(body: &str, acronym: &str, gazetteer: &Gazetteer) -> Option<String> {
    if acronym.contains(' ') || !(2..=8).contains(&acronym.chars().count()) {
        return None;
    }
    let capitals = acronym.to_uppercase();
    body.match_indices(capitals.as_str()).find_map(|(at, _)| {
        let after = body[at + capitals.len()..].chars().next();
        if after.is_some_and(char::is_alphanumeric) {
            return None;
        }
        let before = body[..at]
            .strip_suffix(" (")
            .or_else(|| body[..at].strip_suffix(' '))?;
        let mut words: Vec<&str> = Vec::new();
        for word in before.rsplit(' ') {
            let capitalised = word.starts_with(char::is_uppercase)
                && word
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '\'');
            if !(capitalised || !words.is_empty() && joins_name(word)) {
                break;
            }
            words.push(word);
        }
        while words.last().is_some_and(|w| joins_name(w)) {
            words.pop();
        }
        let last = words.first()?.to_lowercase();
        if words.len() < 2 || !gazetteer.is_organization_ending(&last) {
            return None;
        }
        words.reverse();
        Some(words.join(" "))
    })
}

/// `Bank`, `Commission`, `Ministry` left alone: an organisation's head word
/// that no fuller name of the article completes names no one body (a news
/// outlet's name, `the Times`, `the Post`, does).
pub fn is_bare_head(speaker: &Speaker) -> bool {
    let lexicon = Lexicon::for_language("en");
    !speaker.name.contains(' ')
        && speaker.kind == SpeakerKind::Organization
        && lexicon.classes(&speaker.name) & cues::ORGANIZATION_HEAD != 0
        && lexicon.classes(&speaker.name)
            & (cues::ORGANIZATION | cues::LEGAL_SUFFIX | cues::MEDIA_NAME)
            == 0
}

/// `US Federal Bureau of Investigation`: a country's name before the name of
/// a body the gazetteer knows as that country's is no part of its name.
fn body_of_country_named<'g>(name: &str, gazetteer: &'g Gazetteer) -> Option<&'g KnownName> {
    let (country, rest) = name.split_once(' ')?;
    let country = gazetteer
        .lookup(country)
        .filter(|known| known.kind == EntityKind::Place)?;
    gazetteer.lookup(rest).filter(|body| {
        body.kind == EntityKind::Organization && body.country.as_ref() == Some(&country.name)
    })
}

/// The name and kind the gazetteer gives `speaker`, when it changes either.
fn identity_of(
    speaker: &Speaker,
    gazetteer: &Gazetteer,
    body: &str,
) -> Option<(String, SpeakerKind)> {
    let known = gazetteer
        .lookup(&speaker.name)
        .or_else(|| body_of_country_named(&speaker.name, gazetteer));
    // Only a body's own ending spells an acronym out (`Economic Planning
    // Agency`); a trade word does not (`MP Co` is no `Medical Products`).
    if let Some(full) = spelled_out_in(body, &speaker.name).filter(|full| {
        let last = full.rsplit(' ').next().unwrap_or_default().to_lowercase();
        gazetteer.is_organization_ending(&last)
    }) {
        // `EPA` of the article's `Economic Planning Agency`, not the
        // Environmental Protection Agency the gazetteer knows by it.
        match gazetteer.lookup(&full) {
            Some(entry) if entry.kind != EntityKind::Organization => {}
            entry => {
                let name = entry.map_or(full, |e| e.name.clone());
                return Some((name, SpeakerKind::Organization));
            }
        }
    }
    if known.is_none() {
        if let Some(full) = named_before_acronym_in(body, &speaker.name, gazetteer) {
            return Some((full, SpeakerKind::Organization));
        }
    }
    // A legal form after a name of several words (`British Petroleum Co
    // PLC`) leaves it the body the gazetteer knows by it.
    let lexicon = Lexicon::for_language("en");
    let completed = completed_in(body, &speaker.name).filter(|full| {
        let added = full.rsplit(' ').next().unwrap_or_default();
        !speaker.name.contains(' ') || lexicon.classes(added) & cues::LEGAL_SUFFIX == 0
    });
    if completed
        .is_some_and(|full| gazetteer.lookup(&full).map(|k| &k.name) != known.map(|k| &k.name))
    {
        // `CPC` of `CPC International` or `CPC Corp`, not the Chinese
        // Communist Party.
        return None;
    }
    let (name, kind) = match known {
        // `Mr McDonald`, `Mr. Ford`: a person the article addresses as one
        // is no company the gazetteer knows by the surname.
        Some(known)
            if known.kind == EntityKind::Organization
                && speaker.kind == SpeakerKind::Person
                && addressed_in(body, &speaker.name, gazetteer) =>
        {
            return None;
        }
        Some(known) if known.kind == EntityKind::Organization => {
            (known.name.clone(), SpeakerKind::Organization)
        }
        Some(known) => (known.name.clone(), SpeakerKind::Government),
        None => {
            let last = speaker
                .name
                .rsplit(' ')
                .next()
                .unwrap_or_default()
                .to_lowercase();
            // `Pacific Gas`, `Delta Air Lines`: a company's word ends the
            // name; `David Steel`, a given name first, stays a person.
            let first = speaker.name.split(' ').next().unwrap_or_default();
            let given_name = speaker.kind == SpeakerKind::Person
                && gazetteer.is_given_name(&first.to_lowercase());
            let ends_like_body = speaker.name.contains(' ')
                && (gazetteer.is_organization_ending(&last)
                    || gazetteer.is_company_ending(&last) && !given_name);
            if ends_like_body && speaker.kind != SpeakerKind::Organization {
                (speaker.name.clone(), SpeakerKind::Organization)
            } else {
                return None;
            }
        }
    };
    (name != speaker.name || kind != speaker.kind).then_some((name, kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Quote;

    fn speaker(name: &str, kind: SpeakerKind) -> Speaker {
        Speaker {
            name: name.into(),
            role: None,
            affiliation: None,
            kind,
            aliases: Vec::new(),
            quotes: 1,
        }
    }

    #[test]
    fn places_speak_as_governments_and_bodies_by_their_names() {
        let gazetteer = Gazetteer::built_in().unwrap();
        let mut extraction = Extraction {
            quotes: vec![
                Quote::said_by("Beijing"),
                Quote::said_by("China"),
                Quote::said_by("Tories"),
                Quote::said_by("Gerhard Stoltenberg"),
            ],
            speakers: vec![
                speaker("Beijing", SpeakerKind::Organization),
                speaker("China", SpeakerKind::Unknown),
                speaker("Tories", SpeakerKind::Person),
                speaker("Gerhard Stoltenberg", SpeakerKind::Person),
            ],
        };
        settle_identities(&mut extraction, &gazetteer, "");
        let names: Vec<_> = extraction
            .quotes
            .iter()
            .map(|q| q.speaker.as_deref().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Beijing",
                "China",
                "Conservative Party",
                "Gerhard Stoltenberg"
            ]
        );
        assert_eq!(extraction.quotes[0].speaker_kind, SpeakerKind::Government);
        assert_eq!(extraction.quotes[2].speaker_kind, SpeakerKind::Organization);
        assert!(extraction.speakers[2]
            .aliases
            .contains(&"Tories".to_owned()));
    }

    #[test]
    fn a_trade_word_ends_a_company_and_a_form_of_address_keeps_a_person() {
        let gazetteer = Gazetteer::built_in().unwrap();
        let names = ["Pacific Gas", "David Steel", "McDonald", "Ford"];
        let mut extraction = Extraction {
            quotes: names.iter().map(|n| Quote::said_by(n)).collect(),
            speakers: names
                .iter()
                .map(|n| speaker(n, SpeakerKind::Person))
                .collect(),
        };
        let body = "Pacific Gas said. David Steel said. Mr McDonald said. Ford said.";
        settle_identities(&mut extraction, &gazetteer, body);
        let settled: Vec<_> = extraction
            .speakers
            .iter()
            .map(|s| (s.name.as_str(), s.kind))
            .collect();
        assert_eq!(
            settled,
            [
                ("Pacific Gas", SpeakerKind::Organization),
                ("David Steel", SpeakerKind::Person),
                ("McDonald", SpeakerKind::Person),
                ("Ford", SpeakerKind::Organization),
            ]
        );
    }
}
