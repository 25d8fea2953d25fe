//! Speakers in the article: the stage after quote finding. Takes a
//! [`Found`] (drafts with their speaker mentions), builds the article's
//! entity table ([`super::resolve`]), resolves every mention to an entity
//! (names, pronouns, role nouns; CJK names come from the drafts, having no
//! capitals), names each entity (the alias table's canonical name, else the
//! fullest name in the article), and builds the output quotes and speakers
//! with code-point offsets.

use foldhash::{HashMap, HashMapExt};

use super::headline;
use super::resolve::{self, EntityTable};
use super::Aliases;
use crate::analysis::cues;
use crate::analysis::names;
use crate::analysis::quotes::attribution::Draft;
use crate::analysis::quotes::mention::{Mention, MentionKind};
use crate::analysis::quotes::{cjk, confidence, Found};
use crate::analysis::text::CharOffsets;
use crate::analysis::tokens::{self, Document};
use crate::model::{Quote, QuoteKind, Span, Speaker, SpeakerKind};

/// What extraction finds in one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// Quotes in order of appearance.
    pub quotes: Vec<Quote>,
    /// Canonical speakers of those quotes, in order of first quote.
    pub speakers: Vec<Speaker>,
}

/// The quotes of `found` with their speakers, named through `aliases`.
pub fn attribute(found: &Found, aliases: &Aliases) -> Extraction {
    attribute_with_headline(found, "", aliases)
}

/// The quotes of `found` (an article's body) with their speakers, named
/// through `aliases`; `title` is the article's headline, whose subject
/// stands for `it` or `the department` when the body names no organisation
/// (`super::headline`).
pub fn attribute_with_headline(found: &Found, title: &str, aliases: &Aliases) -> Extraction {
    let Found {
        document,
        in_quote,
        drafts,
    } = found;
    // CJK speakers have no capitals: their names come from the drafts.
    let cjk_names = if found.has_cjk() {
        let mut names: Vec<_> = drafts
            .iter()
            .filter_map(|d| d.attribution)
            .filter_map(|a| cjk::name_mention(document, &a.mention))
            .collect();
        names.sort_by_key(|m| (m.first, m.last));
        names.dedup_by_key(|m| (m.first, m.last));
        names
    } else {
        Vec::new()
    };
    let mut entities = EntityTable::build_with(document, in_quote, cjk_names);
    if let Some(subject) =
        headline::headline_subject(title, document.text, document.lexicon.language)
    {
        entities.set_headline(subject);
    }
    entities.set_known_roles(|entity| aliases.roles_of(&canonical_name(entity, aliases)).to_vec());
    let speakers = resolve_speakers(document, &mut entities, drafts);
    assemble(document, &entities, aliases, drafts, &speakers)
}

/// How a draft's speaker was resolved, and the mention its source is
/// described by when that is another draft's (`they` after `trade sources
/// said` is those sources).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Resolution {
    resolved: Resolved,
    source: Option<Mention>,
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
) -> Vec<Resolution> {
    let mut order: Vec<usize> = (0..drafts.len())
        .filter(|&i| drafts[i].attribution.is_some())
        .collect();
    order.sort_by_key(|&i| drafts[i].attribution.map(|a| (a.mention.first, i)));
    let nobody = Resolution {
        resolved: Resolved::Nobody,
        source: None,
    };
    let mut resolved = vec![nobody; drafts.len()];
    let mut memo: HashMap<(usize, usize), Resolved> = HashMap::new();
    let mut previous: Option<(Mention, Resolved)> = None;
    for index in order {
        let Some(found) = drafts[index].attribution else {
            continue;
        };
        let mention = found.mention;
        let key = (mention.first, mention.last);
        let unnamed_speaks_on = previous.is_some_and(|(group, source)| {
            source == Resolved::Nobody
                && he_continues(document, &group, &mention)
                && !entities.person_between(group.last, mention.first)
        });
        let result = match memo.get(&key) {
            Some(result) => *result,
            None if unnamed_speaks_on => Resolved::Nobody,
            None => {
                entities.set_statement(Some((drafts[index].first(), drafts[index].last())));
                let result = match entities.resolve(document, &mention) {
                    Some(entity) => {
                        entities.record(document, mention.first, entity);
                        Resolved::Entity(entity)
                    }
                    None if mention.kind == MentionKind::Name => Resolved::Unlinked,
                    None => Resolved::Nobody,
                };
                entities.set_statement(None);
                memo.insert(key, result);
                result
            }
        };
        resolved[index] = match previous.filter(|_| result == Resolved::Nobody) {
            Some((group, source)) if they_continue(document, &group, &mention) => Resolution {
                resolved: source,
                source: Some(group),
            },
            _ => Resolution {
                resolved: result,
                source: None,
            },
        };
        if mention.first != previous.map_or(usize::MAX, |(m, _)| m.first) {
            previous = Some((mention, result));
        }
    }
    resolved
}

/// Whether `mention`, which names nobody by itself, is the source of the
/// description `group` that spoke just before, in its paragraph or the one
/// before: `they` after a plural description (no indefinite article: not
/// `a spokesman`; `Trade sources said ... they said`, `BNL officials said
/// ... They said`), the same noun made definite (`an aide said ... the
/// aide said`), or `he` after one unnamed source.
fn they_continue(document: &Document, group: &Mention, mention: &Mention) -> bool {
    let tokens = &document.tokens;
    let near = tokens[group.first].paragraph + 1 >= tokens[mention.first].paragraph;
    let they = mention.kind == MentionKind::Pronoun
        && tokens[mention.first].has(cues::GROUP_PRONOUN)
        && !tokens[group.first].has(cues::INDEFINITE);
    let same_noun = mention.kind == MentionKind::RoleNoun
        && names::fold(document.word(mention.last)) == names::fold(document.word(group.last));
    let description = group.kind == MentionKind::Descriptor;
    // `another dealer said ... he said`, `the portfolio manager said ... He
    // added`: `he` or `she` with no person to refer to is the one unnamed
    // source that just spoke.
    let one_unnamed = (description && tokens[group.first].has(cues::INDEFINITE)
        || group.kind == MentionKind::RoleNoun)
        && mention.kind == MentionKind::Pronoun
        && tokens[mention.first].has(cues::PERSON_PRONOUN);
    near && (description && (they || same_noun) || one_unnamed)
}

/// Whether `he` or `she` (`mention`) goes on for the one unnamed person
/// `group` described just before with an indefinite article, in its
/// paragraph or the one before (`one western diplomat said. "..." he
/// added`), rather than for the last person named before it. Not for a
/// body's voice (`a union spokeswoman said ... she added` is the union's,
/// which the entity table follows), a document (`an advance text`), an
/// asker (`Asked by a Conservative ..., she replied`) or a title's holder in
/// the lead, whom the article names after (`A British minister said ... he
/// pledged`).
fn he_continues(document: &Document, group: &Mention, mention: &Mention) -> bool {
    let tokens = &document.tokens;
    // `Asked by a Conservative ..., she replied`: the asker is no speaker
    // the answer goes on for.
    let agent = group.first > 0 && document.word(group.first - 1) == "by";
    group.kind == MentionKind::Descriptor
        && tokens[group.first].has(cues::INDEFINITE)
        && !agent
        && tokens[group.last].has(cues::ROLE_NOUN)
        && !tokens[group.last].has(cues::SPOKESPERSON | cues::BODY_NOUN)
        && !(tokens[group.first].paragraph == 0 && tokens[group.last].has(cues::TITLE))
        && !names::is_plural_of_generic_noun(document, group.last)
        && mention.kind == MentionKind::Pronoun
        && tokens[mention.first].has(cues::PERSON_PRONOUN)
        && tokens[group.first].paragraph + 1 >= tokens[mention.first].paragraph
}

/// Builds the output quotes and speakers, converting offsets to code points.
fn assemble(
    document: &Document,
    entities: &EntityTable,
    aliases: &Aliases,
    drafts: &[Draft],
    resolved: &[Resolution],
) -> Extraction {
    let text = document.text;
    let offsets = CharOffsets::new(text);
    let mut canonical_names: HashMap<usize, String> = HashMap::new();
    let mut extraction = Extraction::default();
    let mut speaker_index: HashMap<String, usize> = HashMap::new();
    for (draft, resolution) in drafts.iter().zip(resolved) {
        let resolved = &resolution.resolved;
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
        let source = source_of(
            document,
            entities,
            aliases,
            &mut canonical_names,
            resolution.source.or(mention),
            *resolved,
        );
        let Source {
            speaker,
            role,
            affiliation,
            kind,
            description,
            entity,
        } = source;
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
                    affiliation: affiliation.clone(),
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
            affiliation,
            speaker_kind: kind,
            speaker_description: description,
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
            confidence: confidence::confidence(
                draft,
                match resolved {
                    Resolved::Entity(_) => confidence::Resolution::Entity,
                    Resolved::Unlinked => confidence::Resolution::Unlinked,
                    Resolved::Nobody => confidence::Resolution::Nobody,
                },
            ),
        });
    }
    extraction
}

/// Who a quote's source is, as reported: name, role, affiliation, kind and,
/// for a source the text does not name, its description.
struct Source {
    speaker: Option<String>,
    role: Option<String>,
    affiliation: Option<String>,
    kind: SpeakerKind,
    description: Option<String>,
    entity: Option<usize>,
}

/// The source of a quote whose mention resolved as `resolved`.
fn source_of(
    document: &Document,
    entities: &EntityTable,
    aliases: &Aliases,
    canonical_names: &mut HashMap<usize, String>,
    mention: Option<Mention>,
    resolved: Resolved,
) -> Source {
    let nobody = Source {
        speaker: None,
        role: None,
        affiliation: None,
        kind: SpeakerKind::Unknown,
        description: None,
        entity: None,
    };
    match resolved {
        Resolved::Entity(entity) => {
            let name = canonical_names
                .entry(entity)
                .or_insert_with(|| canonical_name(&entities.entities[entity], aliases))
                .clone();
            let data = &entities.entities[entity];
            Source {
                speaker: Some(name),
                // A role is a person's: `Spokesman for` is not Texaco's.
                role: data
                    .role
                    .clone()
                    .filter(|_| data.kind == SpeakerKind::Person),
                affiliation: data.affiliation.clone(),
                kind: data.kind,
                description: None,
                entity: Some(entity),
            }
        }
        Resolved::Unlinked => {
            let mention = mention.expect("unlinked speakers come from mentions");
            // `Shareholders`, `U.S. Officials`, `Unions`: a generic noun (or
            // the plural of one for bodies), perhaps with a nationality.
            let plural_head =
                |i: usize| i == mention.last && names::is_plural_of_generic_noun(document, i);
            let generic = (document.tokens[mention.last].has(cues::ROLE_NOUN)
                || plural_head(mention.last))
                && (mention.first..=mention.last).all(|i| {
                    let token = &document.tokens[i];
                    (token.has(cues::ROLE_NOUN | cues::DETERMINER | cues::NATIONALITY)
                        || plural_head(i))
                        && !token.has(cues::ORGANIZATION)
                });
            // `said a New Hampshire Republican`, `Republican ... arguing`: one
            // of many, or a party's member, names nobody.
            // Not the letter of a name (`A and P said`).
            let one_of_many = mention.first < mention.last
                && document.tokens[mention.first].has(cues::INDEFINITE)
                && !document.tokens[mention.first + 1].has(cues::CONJUNCTION);
            let party_member = mention.first == mention.last
                && document.tokens[mention.last].has(cues::PARTY_MEMBER);
            // `Projections suggest`: a common word opening the sentence.
            let common_word = mention.first == mention.last
                && names::common_word_opening_sentence(document, mention.first);
            let generic = generic || one_of_many || party_member || common_word;
            if generic {
                // `Shareholders ... claiming`: a generic noun names nobody.
                return Source {
                    kind: SpeakerKind::Anonymous,
                    description: Some(description(document, mention.first, mention.last)),
                    ..nobody
                };
            }
            if names::role_and_brief(document, mention.first, mention.last) {
                // `the Bishop of Durham said`: a role the article names no
                // one in.
                return Source {
                    role: Some(document.slice(mention.first, mention.last).to_owned()),
                    kind: SpeakerKind::Person,
                    ..nobody
                };
            }
            let surface = names::display(document.slice(mention.first, mention.last));
            let surface = surface
                .strip_prefix("the ")
                .or_else(|| surface.strip_prefix("The "))
                .unwrap_or(surface);
            // A legal form alone (`Co`, `Co Inc`) or a letter names nobody.
            let mut last = mention.last;
            while last > mention.first && document.tokens[last].has(cues::LEGAL_SUFFIX) {
                last -= 1;
            }
            let letter = mention.first == last
                && document.word(last).trim_end_matches('.').chars().count() < 2;
            if letter || document.tokens[last].has(cues::LEGAL_SUFFIX) {
                return nobody;
            }
            let surface = if last < mention.last {
                names::display(document.slice(mention.first, last))
            } else {
                surface
            };
            let surface = surface
                .strip_prefix("the ")
                .or_else(|| surface.strip_prefix("The "))
                .unwrap_or(surface);
            let name = aliases.canonical(surface).unwrap_or(surface).to_owned();
            Source {
                speaker: Some(name),
                ..nobody
            }
        }
        Resolved::Nobody => match mention {
            // `dealers said`, `a Nomura analyst said`: a source the text
            // describes but does not name.
            Some(mention)
                if matches!(
                    mention.kind,
                    MentionKind::Descriptor | MentionKind::Collective
                ) =>
            {
                Source {
                    kind: SpeakerKind::Anonymous,
                    description: Some(description(document, mention.first, mention.last)),
                    ..nobody
                }
            }
            // `the foreign minister said`, `外務大臣は「…」と述べた` with no
            // name in the article: a person known by a role (the CJK split
            // gives a role alone this kind).
            Some(mention)
                if mention.kind == MentionKind::RoleNoun
                    && (document.tokens[mention.last].has(cues::ROLE_NOUN | cues::TITLE)
                        || document.tokens[mention.last].shape & tokens::CJK != 0) =>
            {
                let first = mention.first
                    + usize::from(document.tokens[mention.first].has(cues::DETERMINER));
                Source {
                    role: (first <= mention.last)
                        .then(|| document.slice(first, mention.last).to_owned()),
                    kind: SpeakerKind::Person,
                    ..nobody
                }
            }
            _ => nobody,
        },
    }
}

/// How the text describes an unnamed source, lowercased at the start of a
/// sentence (`Dealers said` → `dealers`).
fn description(document: &Document, first: usize, last: usize) -> String {
    let text = document.slice(first, last);
    let token = &document.tokens[first];
    let common_word =
        token.has(cues::DETERMINER | cues::ROLE_NOUN) && token.shape & tokens::ALL_CAPS == 0;
    if document.opens_sentence(first) && common_word {
        return crate::analysis::text::lowercase_initial(text);
    }
    text.to_owned()
}

/// The name a speaker is reported under: the alias table's canonical name
/// for any form the article uses, else the fullest name in the article, or
/// the public figure a person's surname names when the article gives no
/// fuller name (`Reagan said` in 1987 news), or the form of a public figure
/// of the roles table when the fullest name is not one (a misspelling).
fn canonical_name(entity: &resolve::Entity, aliases: &Aliases) -> String {
    let surname_only = entity.kind == SpeakerKind::Person && !entity.name.contains(' ');
    std::iter::once(entity.name.as_str())
        .chain(entity.forms.iter().map(String::as_str))
        .find_map(|form| aliases.canonical(form))
        .or_else(|| surname_only.then(|| aliases.figure_by_surname(&entity.name))?)
        // `Hilary Clinton` beside `Hillary Clinton`: the spelling of the
        // public figure the roles table knows.
        .or_else(|| {
            let known = |form: &&String| form.contains(' ') && !aliases.roles_of(form).is_empty();
            (entity.kind == SpeakerKind::Person && aliases.roles_of(&entity.name).is_empty())
                .then(|| entity.forms.iter().find(known).map(String::as_str))?
        })
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
