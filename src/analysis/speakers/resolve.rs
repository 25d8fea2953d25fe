//! In-article resolution: turns the mention that a cue points at (`Wang`,
//! `he`, `the minister`, `China's reading notes`) into one of the article's
//! entities. Owns the entity table of an article: full names and their short
//! forms (`Blinken` → `Anthony Blinken`, `Wang` → `Wang Yi`, the misspelt `Ji`
//! → `Xi Jinping`), roles, organisations, and the salience order that
//! pronouns and role nouns resolve against.

use super::names::{self, Gender, NameMention};
use crate::analysis::quotes::cues;
use crate::analysis::quotes::tokens::{Document, POSSESSIVE};
use crate::model::SpeakerKind;

/// What kind of phrase names a speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A capitalised name (`Wang Yi`, `the State Department`).
    Name,
    /// A pronoun (`he`, `she`, `it`, `they`).
    Pronoun,
    /// A definite role noun (`the minister`, `the company`).
    RoleNoun,
    /// An indefinite description (`a spokesman`, `officials`, `sources`).
    Descriptor,
    /// A group that names no single speaker (`both sides`).
    Collective,
    /// A document whose owner speaks (`China's reading notes`): owner token.
    Document(Option<usize>),
}

/// The phrase a cue points at, by token range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// First token.
    pub first: usize,
    /// Last token (inclusive).
    pub last: usize,
    /// How it names the speaker.
    pub kind: MentionKind,
}

/// One person or body of the article.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The fullest name the article uses (`Anthony Blinken`).
    pub name: String,
    /// The role or title the article gives (`U.S. Secretary of State`).
    pub role: Option<String>,
    /// Person or organisation.
    pub kind: SpeakerKind,
    /// Gender, when a title, a first name or a pronoun tells it.
    pub gender: Gender,
    /// Surface forms seen (`Blinken`, `U.S. Secretary of State Anthony Blinken`).
    pub forms: Vec<String>,
    /// Folded tokens of the name.
    keys: Vec<String>,
}

/// A point in the text where an entity is mentioned.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    token: usize,
    paragraph: u32,
    entity: usize,
    subject: bool,
}

/// How far back (in paragraphs) pronouns and role nouns look for an antecedent.
const ANTECEDENT_PARAGRAPHS: u32 = 4;

/// The entities of one article and where each is mentioned.
#[derive(Debug, Clone, Default)]
pub struct EntityTable {
    /// The entities, in order of first mention.
    pub entities: Vec<Entity>,
    mentions: Vec<NameMention>,
    mention_entity: Vec<Option<usize>>,
    occurrences: Vec<Occurrence>,
}

impl EntityTable {
    /// Builds the table of `document`; `in_quote` tells, per token, whether it
    /// is quoted (quoted names link names but are not antecedents).
    pub fn build(document: &Document, in_quote: &[bool]) -> Self {
        let mentions = names::find_name_mentions(document);
        let mut table = EntityTable {
            entities: Vec::new(),
            mention_entity: vec![None; mentions.len()],
            mentions,
            occurrences: Vec::new(),
        };
        table.link_full_names(document);
        table.link_short_names(document);
        for index in 0..table.mentions.len() {
            let Some(entity) = table.mention_entity[index] else {
                continue;
            };
            let mention = table.mentions[index];
            table.add_forms(document, entity, &mention);
            if in_quote.get(mention.first).copied().unwrap_or(false) {
                continue;
            }
            table.occurrences.push(Occurrence {
                token: mention.first,
                paragraph: document.tokens[mention.first].paragraph,
                entity,
                subject: is_subject(document, mention.last),
            });
        }
        table
    }

    /// Full names (two name words or more) and organisations become entities.
    fn link_full_names(&mut self, document: &Document) {
        for index in 0..self.mentions.len() {
            let mention = self.mentions[index];
            let keys = name_keys(document, &mention);
            let entity = match mention.kind {
                SpeakerKind::Person if keys.len() >= 2 => self
                    .entities
                    .iter()
                    .position(|e| {
                        e.kind == SpeakerKind::Person
                            && e.keys.len() >= 2
                            && e.keys.first() == keys.first()
                            && e.keys.last() == keys.last()
                    })
                    .unwrap_or_else(|| self.new_entity(document, &mention, keys)),
                SpeakerKind::Person => continue,
                _ => self
                    .entities
                    .iter()
                    .position(|e| e.kind != SpeakerKind::Person && e.keys == keys)
                    .unwrap_or_else(|| self.new_entity(document, &mention, keys)),
            };
            self.mention_entity[index] = Some(entity);
            let entity = &mut self.entities[entity];
            if entity.gender == Gender::Unknown {
                entity.gender = mention.gender;
            }
            if mention.kind == SpeakerKind::Person {
                // Keep the fullest form of the name (`Hillary Rodham Clinton`).
                let name = names::display(document.slice(mention.name_first, mention.last));
                if name.split_whitespace().count() > entity.name.split_whitespace().count() {
                    entity.name = name.to_owned();
                }
            }
            if entity.role.is_none() {
                entity.role = role_of(document, &mention);
            }
        }
    }

    /// One-word names link to a full name sharing the word (`Blinken`, `Wang`),
    /// or one letter off (`Ji` for `Xi`), else become entities of their own.
    fn link_short_names(&mut self, document: &Document) {
        for index in 0..self.mentions.len() {
            let mention = self.mentions[index];
            if mention.kind != SpeakerKind::Person || self.mention_entity[index].is_some() {
                continue;
            }
            let keys = name_keys(document, &mention);
            let Some(key) = keys.first() else { continue };
            let entity = self
                .best_full_name(index, |e| e.keys.last() == Some(key))
                .or_else(|| self.best_full_name(index, |e| e.keys.first() == Some(key)))
                .or_else(|| {
                    self.entities
                        .iter()
                        .position(|e| e.kind == SpeakerKind::Person && e.keys == keys)
                })
                .or_else(|| {
                    let unknown_word = document.tokens[mention.name_first].classes == 0;
                    let appears_once = self
                        .mentions
                        .iter()
                        .filter(|m| name_keys(document, m).contains(key))
                        .count()
                        == 1;
                    (unknown_word && appears_once)
                        .then(|| {
                            self.best_full_name(index, |e| {
                                e.keys.iter().any(|k| names::one_substitution_apart(k, key))
                            })
                        })
                        .flatten()
                })
                .unwrap_or_else(|| self.new_entity(document, &mention, keys));
            self.mention_entity[index] = Some(entity);
            let entity = &mut self.entities[entity];
            if entity.gender == Gender::Unknown {
                entity.gender = mention.gender;
            }
            if entity.role.is_none() {
                entity.role = role_of(document, &mention);
            }
        }
    }

    /// The person with a full name matching `matches` mentioned last before
    /// mention `before`, else the first mentioned after it.
    fn best_full_name(&self, before: usize, matches: impl Fn(&Entity) -> bool) -> Option<usize> {
        let mut best_before = None;
        let mut first_after = None;
        for (index, entity) in self.mention_entity.iter().enumerate() {
            let Some(entity) = *entity else { continue };
            let candidate = &self.entities[entity];
            if candidate.kind != SpeakerKind::Person || candidate.keys.len() < 2 {
                continue;
            }
            if !matches(candidate) {
                continue;
            }
            if index < before {
                best_before = Some(entity);
            } else if first_after.is_none() {
                first_after = Some(entity);
            }
        }
        best_before.or(first_after)
    }

    fn new_entity(
        &mut self,
        document: &Document,
        mention: &NameMention,
        keys: Vec<String>,
    ) -> usize {
        let mut name = names::display(document.slice(mention.name_first, mention.last));
        if mention.kind != SpeakerKind::Person {
            name = name.strip_prefix("The ").unwrap_or(name);
        }
        self.entities.push(Entity {
            name: name.to_owned(),
            role: None,
            kind: mention.kind,
            gender: mention.gender,
            forms: Vec::new(),
            keys,
        });
        self.entities.len() - 1
    }

    fn add_forms(&mut self, document: &Document, entity: usize, mention: &NameMention) {
        let entity = &mut self.entities[entity];
        let bare = names::display(document.slice(mention.name_first, mention.last));
        let full = names::display(document.slice(mention.first, mention.last));
        for form in [bare, full] {
            if !entity.forms.iter().any(|f| f == form) {
                entity.forms.push(form.to_owned());
            }
        }
    }

    /// The entity a mention refers to, if any. Resolving a pronoun records it
    /// as a new mention of its antecedent (a chain of `he said` stays on one
    /// speaker), so mentions must be resolved in text order.
    pub fn resolve(&mut self, document: &Document, mention: &Mention) -> Option<usize> {
        match mention.kind {
            MentionKind::Name => self.name_at(mention.first, mention.last),
            MentionKind::Pronoun => {
                let word = document.word(mention.first).to_lowercase();
                let entity = match word.as_str() {
                    "he" | "er" | "il" | "él" => {
                        self.antecedent(document, mention.first, Gender::Male)
                    }
                    "she" | "sie" | "elle" | "ella" => {
                        self.antecedent(document, mention.first, Gender::Female)
                    }
                    "it" => self.organization_antecedent(document, mention.first, |_| true),
                    _ => None,
                }?;
                if self.entities[entity].gender == Gender::Unknown {
                    self.entities[entity].gender = match word.as_str() {
                        "he" | "er" | "il" | "él" => Gender::Male,
                        "she" | "elle" | "ella" => Gender::Female,
                        _ => Gender::Unknown,
                    };
                }
                self.record(document, mention.first, entity);
                Some(entity)
            }
            MentionKind::RoleNoun => {
                let head = names::fold(document.word(mention.last));
                let entity = self.role_antecedent(document, mention.first, &head)?;
                self.record(document, mention.first, entity);
                Some(entity)
            }
            MentionKind::Document(Some(owner)) => self.name_at(owner, owner),
            MentionKind::Document(None) | MentionKind::Descriptor | MentionKind::Collective => None,
        }
    }

    /// Records that `entity` is the subject at `token` (a resolved speaker).
    pub fn record(&mut self, document: &Document, token: usize, entity: usize) {
        let at = self.occurrences.partition_point(|o| o.token < token);
        if self
            .occurrences
            .get(at)
            .is_some_and(|o| o.token == token && o.entity == entity)
        {
            self.occurrences[at].subject = true;
            return;
        }
        self.occurrences.insert(
            at,
            Occurrence {
                token,
                paragraph: document.tokens[token].paragraph,
                entity,
                subject: true,
            },
        );
    }

    /// The entity named by the name mention overlapping `first..=last`.
    fn name_at(&self, first: usize, last: usize) -> Option<usize> {
        let start = self.mentions.partition_point(|m| m.last < first);
        self.mentions[start..]
            .iter()
            .zip(&self.mention_entity[start..])
            .take_while(|(m, _)| m.first <= last)
            .filter_map(|(_, entity)| *entity)
            .last()
    }

    /// The most salient person before `token`: the last one mentioned as a
    /// subject (or speaker) within a few paragraphs, of a compatible gender.
    fn antecedent(&self, document: &Document, token: usize, gender: Gender) -> Option<usize> {
        let paragraph = document.tokens[token].paragraph;
        let before = self.occurrences.partition_point(|o| o.token < token);
        let compatible = |o: &Occurrence| {
            let entity = &self.entities[o.entity];
            entity.kind == SpeakerKind::Person
                && (entity.gender == Gender::Unknown || entity.gender == gender)
                && paragraph.saturating_sub(o.paragraph) <= ANTECEDENT_PARAGRAPHS
        };
        self.occurrences[..before]
            .iter()
            .rev()
            .take_while(|o| paragraph.saturating_sub(o.paragraph) <= ANTECEDENT_PARAGRAPHS)
            .find(|o| o.subject && compatible(o))
            .or_else(|| {
                self.occurrences[..before]
                    .iter()
                    .rev()
                    .take_while(|o| paragraph.saturating_sub(o.paragraph) <= 1)
                    .find(|o| compatible(o))
            })
            .map(|o| o.entity)
    }

    fn organization_antecedent(
        &self,
        document: &Document,
        token: usize,
        matches: impl Fn(&Entity) -> bool,
    ) -> Option<usize> {
        let paragraph = document.tokens[token].paragraph;
        let before = self.occurrences.partition_point(|o| o.token < token);
        self.occurrences[..before]
            .iter()
            .rev()
            .take_while(|o| paragraph.saturating_sub(o.paragraph) <= ANTECEDENT_PARAGRAPHS)
            .find(|o| {
                let entity = &self.entities[o.entity];
                entity.kind == SpeakerKind::Organization && matches(entity)
            })
            .map(|o| o.entity)
    }

    /// `the minister` → the last person whose role says minister; `the
    /// department` → the last organisation whose name says department.
    fn role_antecedent(&self, document: &Document, token: usize, head: &str) -> Option<usize> {
        let forms: &[&str] = match head {
            "senator" => &["senator", "sen."],
            "congressman" | "congresswoman" | "representative" | "lawmaker" => {
                &["rep.", "representative", "congressman", "congresswoman"]
            }
            "governor" => &["governor", "gov."],
            "chancellor" => &["chancellor"],
            "president" => &["president"],
            "minister" => &["minister"],
            "secretary" => &["secretary"],
            "ambassador" => &["ambassador"],
            "mayor" => &["mayor"],
            "judge" => &["judge"],
            "spokesman" | "spokeswoman" | "spokesperson" => {
                &["spokesman", "spokeswoman", "spokesperson"]
            }
            "leader" => &["leader"],
            "premier" => &["premier"],
            "diplomat" => &["diplomat", "ambassador", "secretary of state", "minister"],
            _ => &[],
        };
        if !forms.is_empty() {
            let paragraph = document.tokens[token].paragraph;
            let before = self.occurrences.partition_point(|o| o.token < token);
            return self.occurrences[..before]
                .iter()
                .rev()
                .take_while(|o| paragraph.saturating_sub(o.paragraph) <= ANTECEDENT_PARAGRAPHS * 2)
                .find(|o| {
                    let entity = &self.entities[o.entity];
                    entity.kind == SpeakerKind::Person
                        && entity.role.as_deref().is_some_and(|role| {
                            let role = names::fold(role);
                            forms.iter().any(|f| role.contains(f))
                        })
                })
                .map(|o| o.entity);
        }
        let organization_heads = [
            "company",
            "firm",
            "ministry",
            "department",
            "agency",
            "campaign",
            "committee",
            "commission",
            "council",
            "court",
            "party",
            "embassy",
            "group",
            "bank",
            "union",
            "government",
            "administration",
            "network",
            "newspaper",
            "paper",
        ];
        if organization_heads.contains(&head) {
            return self
                .organization_antecedent(document, token, |e| e.keys.iter().any(|k| k == head))
                .or_else(|| {
                    matches!(
                        head,
                        "company" | "firm" | "group" | "network" | "newspaper" | "paper"
                    )
                    .then(|| self.organization_antecedent(document, token, |_| true))
                    .flatten()
                });
        }
        None
    }
}

/// Folded name words of a mention (role words left out; `the` dropped from organisations).
fn name_keys(document: &Document, mention: &NameMention) -> Vec<String> {
    (mention.name_first..=mention.last)
        .map(|i| names::fold(document.word(i)))
        .filter(|k| k != "the")
        .collect()
}

/// The role words before a name (`Chinese Foreign Minister`), honorifics left out.
fn role_of(document: &Document, mention: &NameMention) -> Option<String> {
    if !mention.has_role() {
        return None;
    }
    let role = document.slice(mention.first, mention.name_first - 1);
    let honorific = matches!(
        role.to_ascii_lowercase().as_str(),
        "mr." | "mrs." | "ms." | "dr." | "mr" | "mrs" | "ms" | "dr" | "sir" | "dame" | "the"
    );
    (!honorific).then(|| role.to_owned())
}

/// Whether the name ending at token `last` is the subject of a verb
/// (`Wang accused`, `Blinken also said`) rather than an object or modifier.
fn is_subject(document: &Document, last: usize) -> bool {
    let tokens = &document.tokens;
    if tokens[last].shape & POSSESSIVE != 0 {
        return false;
    }
    let mut next = last + 1;
    let mut skipped = 0;
    while next < tokens.len()
        && skipped < 3
        && tokens[next].has(cues::VERB_FILLER)
        && !tokens[next].is_capitalized()
    {
        next += 1;
        skipped += 1;
    }
    let Some(token) = tokens.get(next) else {
        return false;
    };
    if token.paragraph != tokens[last].paragraph || !token.is_word() || token.is_capitalized() {
        return false;
    }
    if token.has(cues::SPEECH | cues::FRAGMENT | cues::OTHER_VERB | cues::CLAUSE) {
        return true;
    }
    !token.has(cues::PREPOSITION | cues::CONJUNCTION | cues::DETERMINER)
        && document.word(next).ends_with("ed")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_name(text: &str, word: &str) -> Option<String> {
        let document = Document::new(text, "en");
        let mut table = EntityTable::build(&document, &vec![false; document.tokens.len()]);
        let index = (0..document.tokens.len())
            .rev()
            .find(|&i| document.word(i) == word)?;
        let kind = if document.tokens[index].has(cues::PERSON_PRONOUN) {
            MentionKind::Pronoun
        } else {
            MentionKind::Name
        };
        let mention = Mention {
            first: index,
            last: index,
            kind,
        };
        table
            .resolve(&document, &mention)
            .map(|e| table.entities[e].name.clone())
    }

    #[test]
    fn short_names_link_to_full_names() {
        let cases = [
            (
                "Anthony Blinken arrived. Later Blinken left.",
                "Blinken",
                Some("Anthony Blinken"),
            ),
            (
                "Foreign Minister Wang Yi spoke. Then Wang left.",
                "Wang",
                Some("Wang Yi"),
            ),
            (
                "Blinken arrived. Anthony Blinken left.",
                "Blinken",
                Some("Anthony Blinken"),
            ),
            (
                "President Xi Jinping spoke. Ji told Blinken.",
                "Ji",
                Some("Xi Jinping"),
            ),
            (
                "Hillary Clinton spoke. Bill Clinton left. Clinton said no.",
                "Clinton",
                Some("Bill Clinton"),
            ),
        ];
        for (text, word, expected) in cases {
            assert_eq!(resolve_name(text, word).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn pronouns_resolve_to_the_last_subject_of_their_gender() {
        let cases = [
            (
                "Wang Yi accused the US in front of Blinken. He said no.",
                "He",
                Some("Wang Yi"),
            ),
            (
                "Hillary Clinton spoke to Donald Trump. Trump left. She said no.",
                "She",
                Some("Hillary Clinton"),
            ),
            ("Nobody spoke. He said no.", "He", None),
        ];
        for (text, word, expected) in cases {
            assert_eq!(resolve_name(text, word).as_deref(), expected, "{text}");
        }
    }
}
