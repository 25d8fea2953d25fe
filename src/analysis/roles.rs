//! Roles: carries what entity recognition learnt about people (their role
//! and affiliation) over to the speakers and quotes extraction attributed to
//! them, so that the `role` facet of quotes is filled when the extractor could
//! not tell the role itself. Values the extractor (or the client) set are
//! never overwritten.

use crate::model::{Entity, EntityKind, Quote, Speaker, SpeakerKind};

/// The person entity a speaker name refers to: the same canonical name, one
/// of its aliases, a name that ends with it (`Chinese President Xi Jinping`),
/// or a single word of it (`Wang` for `Wang Yi`).
pub fn person_for_speaker<'e>(speaker: &str, entities: &'e [Entity]) -> Option<&'e Entity> {
    let people = || entities.iter().filter(|e| e.kind == EntityKind::Person);
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    people()
        .find(|e| same(&e.name, speaker) || e.aliases.iter().any(|a| same(a, speaker)))
        .or_else(|| {
            people().find(|e| {
                speaker.len() > e.name.len()
                    && speaker
                        .to_lowercase()
                        .ends_with(&format!(" {}", e.name.to_lowercase()))
            })
        })
        .or_else(|| {
            if speaker.contains(char::is_whitespace) {
                return None;
            }
            let mut matching =
                people().filter(|e| e.name.split_whitespace().any(|word| same(word, speaker)));
            let first = matching.next()?;
            matching.next().is_none().then_some(first)
        })
}

/// Fills missing speaker and quote roles from the people entities. Bodies
/// and governments have no role.
pub fn fill_roles(speakers: &mut [Speaker], quotes: &mut [Quote], entities: &[Entity]) {
    let bodies = [SpeakerKind::Organization, SpeakerKind::Government];
    for speaker in speakers.iter_mut() {
        if speaker.role.is_none() && !bodies.contains(&speaker.kind) {
            speaker.role = person_for_speaker(&speaker.name, entities).and_then(|e| e.role.clone());
        }
    }
    for quote in quotes.iter_mut() {
        if quote.role.is_some() || bodies.contains(&quote.speaker_kind) {
            continue;
        }
        let Some(name) = &quote.speaker else { continue };
        quote.role = speakers
            .iter()
            .find(|s| &s.name == name)
            .and_then(|s| s.role.clone())
            .or_else(|| person_for_speaker(name, entities).and_then(|e| e.role.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, role: &str, aliases: &[&str]) -> Entity {
        Entity {
            name: name.to_owned(),
            kind: EntityKind::Person,
            role: Some(role.to_owned()),
            affiliation: None,
            category: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            mentions: 1,
        }
    }

    fn quote(speaker: &str, role: Option<&str>) -> Quote {
        Quote {
            role: role.map(str::to_owned),
            speaker_kind: SpeakerKind::Person,
            ..Quote::said_by(speaker)
        }
    }

    #[test]
    fn roles_flow_from_entities_without_overwriting() {
        let entities = [
            person("Wang Yi", "Chinese Foreign Minister", &[]),
            person(
                "Antony Blinken",
                "U.S. Secretary of State",
                &["Anthony Blinken"],
            ),
            person("Xi Jinping", "Chinese President", &[]),
        ];
        let mut speakers = vec![
            Speaker {
                name: "Wang".into(),
                role: None,
                affiliation: None,
                kind: SpeakerKind::Person,
                aliases: Vec::new(),
                quotes: 1,
            },
            Speaker {
                name: "Anthony Blinken".into(),
                role: Some("Diplomat".into()),
                affiliation: None,
                kind: SpeakerKind::Person,
                aliases: Vec::new(),
                quotes: 1,
            },
        ];
        let mut quotes = vec![
            quote("Wang", None),
            quote("Anthony Blinken", None),
            quote("Chinese President Xi Jinping", None),
            quote("Nobody", None),
            quote("Wang", Some("Given")),
        ];
        fill_roles(&mut speakers, &mut quotes, &entities);
        assert_eq!(
            speakers[0].role.as_deref(),
            Some("Chinese Foreign Minister")
        );
        assert_eq!(speakers[1].role.as_deref(), Some("Diplomat"));
        let roles: Vec<Option<&str>> = quotes.iter().map(|q| q.role.as_deref()).collect();
        assert_eq!(
            roles,
            [
                Some("Chinese Foreign Minister"),
                Some("Diplomat"),
                Some("Chinese President"),
                None,
                Some("Given")
            ]
        );
    }
}
