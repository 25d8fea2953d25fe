//! In-article resolution: turns the mention that a cue points at (`Wang`,
//! `he`, `the minister`, `China's reading notes`) into one of the article's
//! entities. Owns the entity table of an article: full names and their short
//! forms (`Blinken` → `Anthony Blinken`, `Wang` → `Wang Yi`, the misspelt `Ji`
//! → `Xi Jinping`), roles, organisations, and the salience order that
//! pronouns and role nouns resolve against.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::analysis::cues;
use crate::analysis::gazetteer::BUILT_IN;
use crate::analysis::names::{self, Gender, NameMention};
use crate::analysis::quotes::cjk;
use crate::analysis::quotes::mention::{Mention, MentionKind};
use crate::analysis::quotes::phrases::{joins_spokesperson_to_body, spokesperson_joined_before};
use crate::analysis::tokens::{Document, TokenKind, ALL_CAPS, CJK, POSSESSIVE};
use crate::model::SpeakerKind;

/// One person or body of the article.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The fullest name the article uses (`Anthony Blinken`).
    pub name: String,
    /// The role or title the article gives (`U.S. Secretary of State`).
    pub role: Option<String>,
    /// The body the article ties the speaker to (`Federal Reserve Board`).
    pub affiliation: Option<String>,
    /// Person, organisation, or government (a place speaking).
    pub kind: SpeakerKind,
    /// Gender, when a title, a first name or a pronoun tells it.
    pub gender: Gender,
    /// Surface forms seen (`Blinken`, `U.S. Secretary of State Anthony Blinken`).
    pub forms: Vec<String>,
    /// Folded tokens of the name.
    keys: Vec<String>,
    /// The role is a lowercase description before a name (`top US
    /// ambassador`), which a title the article gives later replaces.
    described_role: bool,
    /// The role is written in apposition after the name (`Rainer Gut,
    /// chairman of Credit Suisse`): a description of another head (`the
    /// Swiss banker`) may still mean the person.
    role_in_apposition: bool,
    /// Roles the aliases table knows the person held, for an article that
    /// gives none (`the prime minister` for `Tony Blair`).
    known_roles: Vec<String>,
}

impl Entity {
    /// Takes the role `mention` gives, unless the entity has one: a title
    /// (`U.S. Secretary of State Anthony Blinken`) replaces a description
    /// (`top US ambassador Anthony Blinken`), not the other way round.
    fn take_role(&mut self, document: &Document, mention: &NameMention) {
        if self.role.is_some() && !self.described_role {
            return;
        }
        if let Some(role) = role_of(document, mention) {
            self.role = Some(role);
            self.described_role = false;
            self.role_in_apposition = false;
        } else if self.role.is_none() && mention.kind == SpeakerKind::Person {
            self.role = role_noun_before(document, mention.first);
            if self.role.is_none() {
                if let Some((role, body)) = role_after_name(document, mention.last) {
                    self.role = Some(role);
                    self.affiliation = self.affiliation.take().or(body);
                    self.role_in_apposition = true;
                }
            }
            self.described_role = self.role.is_some();
        }
        // `his wife, Nancy`: a role's noun may tell the gender.
        if self.gender == Gender::Unknown {
            let noun = self
                .role
                .as_deref()
                .and_then(|role| role.split_whitespace().last());
            let classes = noun.map_or(0, |noun| document.lexicon.classes(&names::fold(noun)));
            self.gender = names::gender_of_classes(classes, cues::MALE_NOUN, cues::FEMALE_NOUN)
                .or_else(|| gender_of_apposed_noun(document, mention))
                .unwrap_or(Gender::Unknown);
        }
    }

    /// Whether the name ends like a news outlet's (`Times`, `Advocate`).
    fn has_media_name(&self, document: &Document) -> bool {
        self.keys
            .last()
            .is_some_and(|key| document.lexicon.classes(key) & cues::MEDIA_NAME != 0)
    }

    /// Whether the article writes the name somewhere between words whose
    /// classes `test` accepts: the word before the name's form when `gaps.0`
    /// separates it from the form, then the word after it when `gaps.1`
    /// does (`None` where the gap is not written; `0` for a word of no
    /// class or none).
    fn written_between(
        &self,
        document: &Document,
        gaps: (&str, &str),
        test: impl Fn(Option<cues::WordClass>, Option<cues::WordClass>) -> bool,
    ) -> bool {
        let text = document.text;
        let class_of = |word: &str| document.lexicon.classes(word);
        self.forms.iter().any(|form| {
            text.match_indices(form.as_str()).any(|(at, _)| {
                let after = text[at + form.len()..]
                    .strip_prefix(gaps.1)
                    .map(|after| after.split(|c: char| !c.is_alphanumeric()).next());
                let before = text[..at]
                    .strip_suffix(gaps.0)
                    .map(|before| before.rsplit(|c: char| !c.is_alphanumeric()).next());
                let class = |word: Option<Option<&str>>| word.map(|w| w.map_or(0, class_of));
                test(class(before), class(after))
            })
        })
    }

    /// Whether the article writes the name right before or after a media
    /// noun (`Rolling Stone magazine`, `the Mercurio newspaper`, `US
    /// magazine Rolling Stone`), in apposition to one (`The financial
    /// newsletter, Platow, said`), or before an apposition that a media noun
    /// ends (`Wen Wei Po, a Hong Kong daily`).
    fn written_beside_media_noun(&self, document: &Document) -> bool {
        let media = |class: Option<cues::WordClass>| class.unwrap_or(0) & cues::MEDIA_NOUN != 0;
        self.written_between(document, (" ", " "), |before, after| {
            media(before) || media(after)
        }) || self.written_between(document, (", ", ","), |before, after| {
            media(before) && after.is_some()
        }) || self.written_before_media_apposition(document)
    }

    /// Whether the article writes the name, then a comma and an apposition
    /// of a determiner and at most [`MAX_MEDIA_APPOSITION`] plain words that
    /// a media noun ends (`Wen Wei Po, a Hong Kong daily,`).
    fn written_before_media_apposition(&self, document: &Document) -> bool {
        let text = document.text;
        let classes = |word: &str| document.lexicon.classes(&word.to_lowercase());
        self.forms.iter().any(|form| {
            text.match_indices(form.as_str()).any(|(at, _)| {
                let Some(apposition) = text[at + form.len()..].strip_prefix(", ") else {
                    return false;
                };
                let mut words = apposition.split(' ');
                if words
                    .next()
                    .is_none_or(|w| classes(w) & cues::DETERMINER == 0)
                {
                    return false;
                }
                // Plain words (no possessive: `Tianjin, the People's Daily
                // overseas edition said`) before the media noun, which ends
                // the apposition (not `Wang, the paper said`).
                let mut words = words.take(MAX_MEDIA_APPOSITION + 1).peekable();
                while let Some(word) = words.next() {
                    let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric());
                    let ends = bare.len() != word.len();
                    if classes(bare) & cues::MEDIA_NOUN != 0 {
                        // `a Hong Kong daily with close Peking links`.
                        return ends
                            || words.peek().is_some_and(|next| {
                                classes(next) & (cues::PREPOSITION | cues::RELATIVE) != 0
                            });
                    }
                    if ends || !bare.chars().all(|c| c.is_alphanumeric() || c == '-') {
                        break;
                    }
                }
                false
            })
        })
    }

    /// Whether the article writes the name after a determiner and before a
    /// speech verb (`the Orlando Sentinel reported`), as it writes no
    /// person's.
    fn written_reporting_after_determiner(&self, document: &Document) -> bool {
        self.written_between(document, (" ", " "), |before, after| {
            before.unwrap_or(0) & cues::DETERMINER != 0 && after.unwrap_or(0) & cues::SPEECH != 0
        })
    }

    /// Whether this is a news outlet: `the newspaper` may be it.
    fn is_news_outlet(&self, document: &Document) -> bool {
        self.has_media_name(document)
            || self.written_beside_media_noun(document)
            || self.is_known_media()
    }

    /// Whether the gazetteer knows the name as a news organisation's (`Reuters`,
    /// `CNN`), whatever the article writes around it (unlike
    /// [`Self::is_news_outlet`], which reads the article).
    fn is_known_media(&self) -> bool {
        BUILT_IN
            .lookup(&self.name)
            .is_some_and(|known| known.category == Some(crate::analysis::gazetteer::MEDIA_CATEGORY))
    }

    /// Whether the name has a word that ends a union's (`United Auto
    /// Workers`, `Communications Workers of America`): a body that `the
    /// company` never means.
    fn is_union(&self) -> bool {
        let endings = cues::head_names("union");
        self.kind == SpeakerKind::Organization && self.keys.iter().any(|key| endings.contains(key))
    }

    /// Whether more than a capitalised word says this is a person: a name of
    /// two words or more, a role, or a gender.
    fn is_surely_person(&self) -> bool {
        self.kind == SpeakerKind::Person
            && (self.keys.len() >= 2 || self.role.is_some() || self.gender != Gender::Unknown)
    }
}

/// A point in the text where an entity is mentioned.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    token: usize,
    paragraph: u32,
    entity: usize,
    subject: bool,
    /// A quote was attributed to the entity here.
    speaker: bool,
    /// The quote here was a spokesperson's for the entity (`a spokesman for
    /// Toho said`): `he` in the next quote is that spokesperson.
    spokesperson: bool,
}

/// Most words after the determiner of an apposition naming a news outlet
/// (`Wen Wei Po, a Hong Kong daily`).
const MAX_MEDIA_APPOSITION: usize = 4;

/// Most tokens between a possessive opening a sentence and a pronoun of
/// that sentence that stands for it.
const MAX_POSSESSOR_DISTANCE: usize = 30;

/// Most words after a possessive that say what it owns (`Suu Kyi's fate`,
/// `Jacques Chirac's spokesman`).
const MAX_POSSESSED_WORDS: usize = 3;

/// Letters two words share at their start to count as one (`British`,
/// `Britain`) when a name must fit a description.
const SHARED_STEM: usize = 5;

/// How far back (in paragraphs) pronouns and role nouns look for an antecedent.
const ANTECEDENT_PARAGRAPHS: u32 = 4;

/// How far back (in paragraphs) `he` looks for the spokesperson who spoke
/// last, past paragraphs that name no person (`a Coffee Board official said
/// ... he added. The International Coffee Organisation has failed to agree.
/// ..., he said`).
const SPOKESPERSON_PARAGRAPHS: u32 = 2;

/// How many words the description between `a survey by` and its author's
/// name may have, the name's first word included (`security firm Mirapoint`).
const MAX_AUTHOR_DESCRIPTION: usize = 4;

/// The entities of one article and where each is mentioned.
#[derive(Debug, Clone, Default)]
pub struct EntityTable {
    /// The entities, in order of first mention.
    pub entities: Vec<Entity>,
    mentions: Vec<NameMention>,
    mention_entity: Vec<Option<usize>>,
    occurrences: Vec<Occurrence>,
    /// The organisation the headline is about (an entity with no
    /// occurrence in the body), and the words it may be called by.
    headline: Option<(usize, Vec<String>)>,
    /// The tokens (inclusive) of the statement whose speaker is being
    /// resolved, when the caller says: a person it introduces is not its
    /// `he said` speaker.
    statement: Option<(usize, usize)>,
    /// Bodies named after a person (`Trump's campaign`), with that person.
    person_bodies: Vec<(usize, usize)>,
    /// The statements resolved so far (tokens, inclusive) and the entity
    /// each was given to: whom a statement speaks of is no subject a later
    /// `he said` refers to while its speaker is a person.
    reported: Vec<(usize, usize, usize)>,
}

impl EntityTable {
    /// Builds the table of `document`; `in_quote` tells, per token, whether it
    /// is quoted (quoted names link names but are not antecedents). `extra`
    /// are name mentions found by other means (CJK speakers, which have no
    /// capitals); a capitalised mention overlapping one of them is left out.
    pub fn build_with(document: &Document, in_quote: &[bool], extra: Vec<NameMention>) -> Self {
        let mut mentions = names::find_name_mentions(document);
        if !extra.is_empty() {
            mentions.retain(|m| !extra.iter().any(|e| e.first <= m.last && m.first <= e.last));
            mentions.extend(extra);
            mentions.sort_by_key(|m| (m.first, m.last));
            mentions.dedup_by(|later, earlier| later.first <= earlier.last);
        }
        let mut table = EntityTable {
            entities: Vec::new(),
            mention_entity: vec![None; mentions.len()],
            mentions,
            occurrences: Vec::new(),
            headline: None,
            statement: None,
            reported: Vec::new(),
            person_bodies: Vec::new(),
        };
        let keys: Vec<Vec<String>> = table
            .mentions
            .iter()
            .map(|mention| name_keys(document, mention))
            .collect();
        table.link_full_names(document, &keys);
        table.link_bare_heads(document);
        table.link_short_bodies(document);
        table.link_short_names(document, &keys, in_quote);
        for index in 0..table.mentions.len() {
            let Some(entity) = table.mention_entity[index] else {
                continue;
            };
            let mention = table.mentions[index];
            table.add_forms(document, entity, &mention);
            let named = &mut table.entities[entity];
            if named.keys.len() == 1
                && named.kind == SpeakerKind::Person
                && mention.name_first > mention.first
                && mention.name_first == mention.name_last
                && BUILT_IN.is_peerage(document.word(mention.name_first - 1))
            {
                // `Lord Falconer`, unless the article gives his given name.
                named.name =
                    names::display(document.slice(mention.name_first - 1, mention.name_last))
                        .to_owned();
            }
            if in_quote.get(mention.first).copied().unwrap_or(false) {
                continue;
            }
            table.occurrences.push(Occurrence {
                token: mention.first,
                paragraph: document.tokens[mention.first].paragraph,
                entity,
                subject: mention.subject || is_subject(document, &mention),
                speaker: false,
                spokesperson: spokesperson_opens_sentence(document, &mention),
            });
        }
        table.settle_news_outlets(document);
        table.settle_bodies_named_by_noun(document);
        table.settle_bodies_by_relative_pronoun(document);
        table.name_kin_by_owner(document);
        table
    }

    /// `the Berlin Film Festival ... The festival said`: a name of two words
    /// or more whose last word is a body's head (`festival`) that the article
    /// also writes after `the` in lowercase names a body, not a person, when
    /// no given name opens it and no gender is told of it.
    fn settle_bodies_named_by_noun(&mut self, document: &Document) {
        let candidate = |entity: &Entity| {
            entity.kind == SpeakerKind::Person
                && entity.keys.len() >= 2
                && entity.gender == Gender::Unknown
                && !names::is_given_name(&entity.keys[0])
        };
        if !self.entities.iter().any(candidate) {
            return;
        }
        let tokens = &document.tokens;
        let nouns: HashSet<String> = (1..tokens.len())
            .filter(|&i| {
                tokens[i].is_word()
                    && !tokens[i].is_capitalized()
                    && tokens[i].has(cues::BODY_HEAD)
                    && document.word(i - 1).eq_ignore_ascii_case("the")
            })
            .map(|i| names::fold(document.word(i)))
            .collect();
        for entity in &mut self.entities {
            let named_by_noun =
                candidate(entity) && entity.keys.last().is_some_and(|last| nouns.contains(last));
            if named_by_noun {
                entity.kind = SpeakerKind::Organization;
            }
        }
    }

    /// `Laura Ashley, which is due to issue its next trading statement`: a
    /// name of no role that opens a sentence before `, which` names a body,
    /// not a person.
    fn settle_bodies_by_relative_pronoun(&mut self, document: &Document) {
        let tokens = &document.tokens;
        for (index, mention) in self.mentions.iter().enumerate() {
            let Some(entity) = self.mention_entity[index] else {
                continue;
            };
            let which = document.opens_sentence(mention.first)
                && tokens.get(mention.last + 1).is_some_and(|t| t.is(','))
                && tokens
                    .get(mention.last + 2)
                    .is_some_and(|t| t.has(cues::RELATIVE))
                && document
                    .lexicon
                    .is_body_relative(&document.word(mention.last + 2).to_lowercase());
            let entity = &mut self.entities[entity];
            if which && entity.kind == SpeakerKind::Person && entity.role.is_none() {
                entity.kind = SpeakerKind::Organization;
            }
        }
    }

    /// `his wife, Jane`, `Trump's son Eric`: a person the article names by
    /// a given name alone, right after a noun of kin (a person description
    /// that tells a gender) and its owner, takes the owner's surname (`Jane
    /// Sanders`); `his`/`her` is the person it stands for there.
    fn name_kin_by_owner(&mut self, document: &Document) {
        let tokens = &document.tokens;
        for index in 0..self.mentions.len() {
            let Some(entity) = self.mention_entity[index] else {
                continue;
            };
            let mention = self.mentions[index];
            let named = &self.entities[entity];
            // One word named (a second mention of the same kin is named already).
            let one_word = !named.name.contains(' ');
            if named.kind != SpeakerKind::Person
                || named.keys.len() != 1
                || !one_word
                || mention.first < 2
            {
                continue;
            }
            let mut kin = mention.first - 1;
            if tokens[kin].is(',') {
                kin -= 1;
            }
            let is_kin = tokens[kin].has(cues::PERSON_DESCRIPTION)
                && tokens[kin].has(cues::MALE_NOUN | cues::FEMALE_NOUN)
                && !tokens[kin].is_capitalized();
            if !is_kin || kin == 0 {
                continue;
            }
            let owner = kin - 1;
            let owner_entity = match third_person_gender(&document.word(owner).to_lowercase()) {
                Some(gender) => self.antecedent(document, owner, gender),
                None if tokens[owner].shape & POSSESSIVE != 0 => self.name_at(owner, owner),
                None => None,
            };
            let Some(owner_entity) = owner_entity.filter(|&o| o != entity) else {
                continue;
            };
            let owner = &self.entities[owner_entity];
            if owner.kind != SpeakerKind::Person || owner.keys.len() < 2 {
                continue;
            }
            let surname = owner.name.rsplit(' ').next().unwrap_or_default().to_owned();
            let named = &mut self.entities[entity];
            named.name = format!("{} {surname}", named.name);
        }
    }

    /// Makes the headline's subject an entity: the body `it`, `the
    /// company` or `the department` means when the body names no
    /// organisation, and the one a lowercase `the usda` names. An
    /// organisation of the body with the same name is that entity.
    pub fn set_headline(&mut self, subject: super::headline::HeadlineSubject) {
        // The body's organisation of the same name, or whose name opens with
        // the same word (`American Fltrona Corp` under `AMERICAN FILTRONA
        // <AFIL>`).
        let first_word = subject.written.split_whitespace().next().map(names::fold);
        let same = |e: &Entity| {
            e.kind == SpeakerKind::Organization
                && (names::fold(&e.name) == names::fold(&subject.name)
                    || names::fold(&e.name) == names::fold(&subject.written))
        };
        let opens_alike = |e: &Entity| {
            e.kind == SpeakerKind::Organization
                && e.keys.len() > 1
                && e.keys.first() == first_word.as_ref()
        };
        let entity = match self
            .entities
            .iter()
            .position(same)
            .or_else(|| self.entities.iter().position(opens_alike))
        {
            Some(entity) => entity,
            None => {
                self.entities.push(Entity {
                    name: subject.name.clone(),
                    role: None,
                    affiliation: None,
                    kind: SpeakerKind::Organization,
                    gender: Gender::Unknown,
                    forms: vec![subject.written.clone()],
                    keys: subject
                        .written
                        .split_whitespace()
                        .map(names::fold)
                        .collect(),
                    described_role: false,
                    role_in_apposition: false,
                    known_roles: Vec::new(),
                });
                self.entities.len() - 1
            }
        };
        // `Taft said` under `TAFT BROADCASTING <TFB>`: one capitalised word
        // opening the headline's company, that nothing else (a given name, a
        // role, a gender) makes a person's, is the company.
        let namesakes: Vec<usize> = (0..self.entities.len())
            .filter(|&e| {
                let named = &self.entities[e];
                e != entity
                    && named.kind == SpeakerKind::Person
                    && named.keys.len() == 1
                    && named.keys.first() == first_word.as_ref()
                    // `PacifiCorp said` under `PACIFICORP <PPW> SELLS`: or
                    // the whole of a one-word company.
                    && (self.entities[entity].keys.len() > 1
                        || named.keys == self.entities[entity].keys)
                    && !named.is_surely_person()
                    && !names::is_given_name(&named.keys[0])
            })
            .collect();
        for namesake in namesakes {
            if self.entities[entity].keys == self.entities[namesake].keys {
                // The article's spelling, not the headline's capitals.
                self.entities[entity].name = self.entities[namesake].name.clone();
            }
            self.relink(namesake, entity);
        }
        self.headline = Some((entity, subject.words));
    }

    /// The headline's subject, if `matches` its words.
    fn headline_named(&self, matches: impl Fn(&[String]) -> bool) -> Option<usize> {
        let (entity, words) = self.headline.as_ref()?;
        matches(words).then_some(*entity)
    }

    /// Full names (two name words or more) and organisations become entities.
    fn link_full_names(&mut self, document: &Document, all_keys: &[Vec<String>]) {
        // People by (first word, last word), each spelled without doubled
        // letters (`Hilary Clinton` misspelt for `Hillary Clinton`);
        // organisations by all words.
        let mut people: HashMap<(Cow<str>, Cow<str>), usize> = HashMap::new();
        let mut bodies: HashMap<&[String], usize> = HashMap::new();
        // `Dominion Textile` after `Dominion Textile Inc`: a name an
        // organisation of the article carries is that organisation.
        let body_names: Vec<&[String]> = all_keys
            .iter()
            .zip(&self.mentions)
            .filter(|(_, m)| m.kind == SpeakerKind::Organization)
            .map(|(keys, _)| keys.as_slice())
            .collect();
        for (index, keys) in all_keys.iter().enumerate() {
            let mut mention = self.mentions[index];
            if mention.kind == SpeakerKind::Person
                && keys.len() >= 2
                && body_names.contains(&keys.as_slice())
            {
                mention.kind = SpeakerKind::Organization;
                self.mentions[index].kind = SpeakerKind::Organization;
            }
            let entity = match mention.kind {
                SpeakerKind::Person if keys.len() >= 2 => {
                    let keys = fuller_person_name(document, &self.mentions, all_keys, keys);
                    let key = (
                        names::without_doubled_letters(&keys[0]),
                        names::without_doubled_letters(&keys[keys.len() - 1]),
                    );
                    match people.get(&key) {
                        Some(&entity) => entity,
                        None => {
                            let entity = self.new_entity(document, &mention, keys.to_vec());
                            people.insert(key, entity);
                            entity
                        }
                    }
                }
                SpeakerKind::Person => continue,
                _ => match bodies.get(keys.as_slice()) {
                    Some(&entity) => entity,
                    None => {
                        let entity = self.new_entity(document, &mention, keys.clone());
                        bodies.insert(keys.as_slice(), entity);
                        entity
                    }
                },
            };
            self.mention_entity[index] = Some(entity);
            let entity = &mut self.entities[entity];
            if entity.gender == Gender::Unknown {
                entity.gender = mention.gender;
            }
            if mention.kind == SpeakerKind::Person {
                // Keep the fullest form of the name (`Hillary Rodham Clinton`).
                let name = names::without_nickname(names::display(
                    document.slice(mention.name_first, mention.name_last),
                ));
                if name.split_whitespace().count() > entity.name.split_whitespace().count() {
                    entity.name = name;
                }
            }
            entity.take_role(document, &mention);
            if entity.affiliation.is_none() {
                entity.affiliation = affiliation_of(document, &mention);
            }
        }
    }

    /// Moves every mention and occurrence of entity `from` to entity `to`.
    fn relink(&mut self, from: usize, to: usize) {
        for linked in self.mention_entity.iter_mut() {
            if *linked == Some(from) {
                *linked = Some(to);
            }
        }
        for occurrence in &mut self.occurrences {
            if occurrence.entity == from {
                occurrence.entity = to;
            }
        }
    }

    /// `the Bank`, `the Commission` after `Bank of England`, `European
    /// Commission`: an organisation named by its head word alone is the one
    /// organisation of the article whose name has that word.
    fn link_bare_heads(&mut self, document: &Document) {
        for bare in 0..self.entities.len() {
            let entity = &self.entities[bare];
            if entity.kind != SpeakerKind::Organization || entity.keys.len() != 1 {
                continue;
            }
            let head = entity.keys[0].as_str();
            let classes = document.lexicon.classes(head);
            if classes & cues::ORGANIZATION_HEAD == 0 || classes & cues::ORGANIZATION != 0 {
                continue;
            }
            let fuller: Vec<usize> = (0..self.entities.len())
                .filter(|&e| {
                    let other = &self.entities[e];
                    e != bare
                        && other.kind == SpeakerKind::Organization
                        && other.keys.len() >= 2
                        && other.keys.iter().any(|k| k == head)
                })
                .collect();
            if let [full] = fuller[..] {
                self.relink(bare, full);
            }
        }
    }

    /// The organisations, other than the entity `short`, whose name's words
    /// go on from all of `short`'s (`Carolina Power and Light` for `Carolina
    /// Power`).
    fn organizations_extending(&self, short: usize) -> impl Iterator<Item = usize> + '_ {
        let keys = &self.entities[short].keys;
        (0..self.entities.len()).filter(move |&e| {
            let other = &self.entities[e].keys;
            e != short
                && self.entities[e].kind == SpeakerKind::Organization
                && other.len() > keys.len()
                && other.starts_with(keys)
        })
    }

    /// `First City` after `First City Bancorp of Texas`, `National
    /// Convenience` after `National Convenience Stores Inc`: an organisation
    /// named by a company opener or title modifier (`First`, `National`) and
    /// the next words of another's name, the words after them opening with
    /// an organisation word or legal form or being one word, is that
    /// organisation when it is the only one so named.
    fn link_short_bodies(&mut self, document: &Document) {
        let legal_form = |word: &str| document.lexicon.classes(word) & cues::LEGAL_SUFFIX != 0;
        for short in 0..self.entities.len() {
            let entity = &self.entities[short];
            // `Hospital Corp said` after `Hospital Corp of America`: a body
            // written with a legal form that another's name goes on from.
            let with_legal_form = || {
                self.mentions
                    .iter()
                    .zip(&self.mention_entity)
                    .any(|(m, &e)| e == Some(short) && written_with_legal_form(document, m))
            };
            if entity.kind == SpeakerKind::Organization && with_legal_form() {
                let cut = entity.keys.len();
                let going_on: Vec<usize> = self
                    .organizations_extending(short)
                    .filter(|&e| legal_form(&self.entities[e].keys[cut]))
                    .collect();
                if let [full] = going_on[..] {
                    self.relink(short, full);
                    continue;
                }
            }
            let entity = &self.entities[short];
            let opener = entity.keys.first().is_some_and(|k| {
                document.lexicon.classes(k) & (cues::COMPANY_OPENER | cues::TITLE_MODIFIER) != 0
            });
            // `Carolina Power` for `Carolina Power and Light Co`: the words
            // of a company's name before its `and`, whatever their kind.
            if entity.keys.len() >= 2 && entity.role.is_none() && entity.gender == Gender::Unknown {
                let cut = entity.keys.len();
                let cut_at_and: Vec<usize> = self
                    .organizations_extending(short)
                    .filter(|&e| {
                        let other = &self.entities[e].keys;
                        other.len() > cut + 1 && matches!(other[cut].as_str(), "and" | "&")
                    })
                    .collect();
                if let [full] = cut_at_and[..] {
                    self.relink(short, full);
                    continue;
                }
            }
            if entity.kind != SpeakerKind::Organization || entity.keys.len() < 2 || !opener {
                continue;
            }
            let keys = &entity.keys;
            let fuller: Vec<usize> = self.organizations_extending(short).collect();
            // ... or is one more word (`National Convenience Stores`).
            let opens_with_body_word = |e: usize| {
                let fuller = &self.entities[e].keys;
                let word = &fuller[keys.len()];
                fuller.len() == keys.len() + 1
                    || document.lexicon.classes(word)
                        & (cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX)
                        != 0
            };
            if let [full] = fuller[..] {
                if !opens_with_body_word(full) {
                    continue;
                }
                self.relink(short, full);
            }
        }
    }

    /// One-word names link to a full name sharing the word (`Blinken`, `Wang`),
    /// or one letter off (`Ji` for `Xi`), else become entities of their own.
    fn link_short_names(
        &mut self,
        document: &Document,
        all_keys: &[Vec<String>],
        in_quote: &[bool],
    ) {
        // Full-name people by their last and first words, and where each is
        // mentioned (mention indices, ascending).
        let mut by_last: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_first: HashMap<&str, Vec<usize>> = HashMap::new();
        // The inner words of names of three or more: the first of two
        // surnames (`Javier Nogales Iturri` is `Nogales`).
        let mut by_inner: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut mentions_of: Vec<Vec<usize>> = vec![Vec::new(); self.entities.len()];
        for (index, entity) in self.mention_entity.iter().enumerate() {
            if let Some(entity) = *entity {
                mentions_of[entity].push(index);
            }
        }
        let full_names: Vec<usize> = (0..self.entities.len())
            .filter(|&e| {
                self.entities[e].kind == SpeakerKind::Person && self.entities[e].keys.len() >= 2
            })
            .collect();
        for &entity in &full_names {
            let keys = &self.entities[entity].keys;
            if let (Some(first), Some(last)) = (keys.first(), keys.last()) {
                by_last.entry(last.as_str()).or_default().push(entity);
                by_first.entry(first.as_str()).or_default().push(entity);
            }
            if keys.len() >= 3 {
                for inner in &keys[1..keys.len() - 1] {
                    by_inner.entry(inner.as_str()).or_default().push(entity);
                }
            }
        }
        let mut key_counts: HashMap<&str, usize> = HashMap::new();
        for keys in all_keys {
            for key in keys {
                *key_counts.entry(key.as_str()).or_default() += 1;
            }
        }
        let mut links: Vec<(usize, Option<usize>)> = Vec::new();
        for (index, keys) in all_keys.iter().enumerate() {
            let mention = self.mentions[index];
            if mention.kind != SpeakerKind::Person || self.mention_entity[index].is_some() {
                continue;
            }
            let Some(key) = keys.first() else {
                continue;
            };
            let quoted = |m: &NameMention| in_quote.get(m.first).copied().unwrap_or(false);
            // `Murphy said` after a quote that names `Anne Marie Murphy`: a
            // name outside quotes is one the article itself introduces.
            let named_outside_quotes =
                |e: usize| mentions_of[e].iter().any(|&m| !quoted(&self.mentions[m]));
            // `Mr. Clinton` is not `Hillary Clinton`.
            let compatible = |candidates: &Vec<usize>| -> Vec<usize> {
                let mut compatible: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&e| mention.gender.fits(self.entities[e].gender))
                    .collect();
                if !quoted(&mention) && compatible.iter().any(|&e| named_outside_quotes(e)) {
                    compatible.retain(|&e| named_outside_quotes(e));
                }
                compatible
            };
            // Of several people the short form fits, the one the article
            // already calls by it (`Murphy said` is the senator it has called
            // `Murphy` all along, not `a teacher's aide, Anne Marie Murphy`
            // named in the sentence before), else the one named last.
            let most_recent = |candidates: &[usize]| {
                let short = |&(earlier, entity): &(usize, Option<usize>)| {
                    entity.filter(|e| candidates.contains(e) && all_keys[earlier] == *keys)
                };
                let called_so_before = (candidates.len() > 1)
                    .then(|| links.iter().rev().find_map(short))
                    .flatten();
                called_so_before.or_else(|| most_recent(candidates, &mentions_of, index))
            };
            let mut linked = by_last
                .get(key.as_str())
                .and_then(|c| most_recent(&compatible(c)))
                .or_else(|| {
                    by_first
                        .get(key.as_str())
                        .and_then(|c| most_recent(&compatible(c)))
                })
                .or_else(|| {
                    by_inner
                        .get(key.as_str())
                        .filter(|_| keys.len() == 1)
                        .and_then(|c| most_recent(&compatible(c)))
                });
            // `Taft said` after `Taft Broadcasting Co said` and `an investor
            // group led by Dudley Taft`: the company the word opens, written
            // with its legal form, that spoke or led a clause, rather than a
            // person of that surname who did neither.
            let subject_of = |e: usize| {
                mentions_of[e].iter().any(|&m| {
                    let written = &self.mentions[m];
                    !quoted(written)
                        && (written.subject || is_subject_with_legal_form(document, written))
                })
            };
            if let Some(person) = linked
                .filter(|&p| keys.len() == 1 && mention.gender == Gender::Unknown && !subject_of(p))
            {
                let company = (0..self.entities.len()).find(|&e| {
                    e != person
                        && self.entities[e].kind == SpeakerKind::Organization
                        && self.entities[e].keys.first() == Some(key)
                        && subject_of(e)
                        && mentions_of[e]
                            .first()
                            .is_some_and(|&m| written_with_legal_form(document, &self.mentions[m]))
                });
                linked = company.or(linked);
            }
            if linked.is_none() && keys.len() == 1 {
                // `National` for `National Data Communications`, `Wachovia`
                // for `First Wachovia`: a word of an organisation's name.
                let bodies: Vec<usize> = (0..self.entities.len())
                    .filter(|&e| {
                        let entity = &self.entities[e];
                        entity.kind == SpeakerKind::Organization
                            && entity.keys.iter().any(|k| k == key)
                    })
                    .collect();
                // Of several, the one that is this word and a company or
                // legal form at most (`Astra` is `Astra Corporation`, not
                // `Astra Corporation Workers' Trust`).
                let only_the_word = |e: usize| {
                    let body = &self.entities[e].keys;
                    body.first() == Some(key)
                        && body[1..].iter().all(|k| {
                            document.lexicon.classes(k) & (cues::LEGAL_SUFFIX | cues::COMPANY_NOUN)
                                != 0
                        })
                };
                // Else the first named of those the word opens, written
                // with its legal form (`Prime` is `Prime Computer Inc`, the
                // lead's company, not its product `Prime Medusa`).
                let company_opened = |e: usize| {
                    self.entities[e].keys.first() == Some(key)
                        && mentions_of[e]
                            .first()
                            .is_some_and(|&m| written_with_legal_form(document, &self.mentions[m]))
                };
                linked = match bodies[..] {
                    [body] => Some(body),
                    _ => bodies
                        .iter()
                        .copied()
                        .find(|&e| only_the_word(e))
                        .or_else(|| {
                            bodies
                                .iter()
                                .copied()
                                .filter(|&e| company_opened(e))
                                .min_by_key(|&e| mentions_of[e].first().copied())
                        }),
                };
            }
            if linked.is_none() && is_cjk_name(document, &mention) {
                // `岸田` for `岸田文雄`, `林` for `林芳正`: a CJK surname alone.
                let near: Vec<usize> = full_names
                    .iter()
                    .copied()
                    .filter(|&e| {
                        let full = self.entities[e].keys.concat();
                        full.len() > key.len() && full.starts_with(key.as_str())
                    })
                    .collect();
                linked = most_recent(&near);
            }
            if linked.is_none() && document.tokens[mention.name_first].classes == 0 {
                // A misspelt name: `Ji` once for `Xi Jinping`; a surname
                // alone, any number of times, with a letter doubled
                // (`Berrada` for `Mohamed Berada`), two swapped (`Barrioneuvo`)
                // or, in a long name, one replaced or added (`Sharption`).
                let appears_once = key_counts.get(key.as_str()) == Some(&1);
                let misspelt = |last: &str| {
                    names::one_transposition_apart(last, key)
                        || key.chars().count() >= 7
                            && (names::one_substitution_apart(last, key)
                                || names::one_insertion_apart(last, key))
                };
                let near: Vec<usize> = full_names
                    .iter()
                    .copied()
                    .filter(|&e| {
                        let entity = &self.entities[e];
                        let keys = &entity.keys;
                        // Other than by a doubled letter, only of a name surely
                        // a person's: with a given name, a role or a gender (not
                        // `Banco Portugues`, which `Portuguse governments`
                        // would join).
                        let person = names::is_given_name(&keys[0])
                            || entity.role.is_some()
                            || entity.gender != Gender::Unknown;
                        let surname = keys.len() == 2
                            && (names::doubled_letters_apart(&keys[1], key)
                                || person && misspelt(&keys[1]));
                        surname
                            || appears_once
                                && keys.iter().any(|k| names::one_substitution_apart(k, key))
                    })
                    .collect();
                linked = most_recent(&compatible(&near));
            }
            links.push((index, linked));
        }
        for (index, linked) in links {
            let mention = self.mentions[index];
            let keys = &all_keys[index];
            let entity = linked
                .or_else(|| {
                    self.entities
                        .iter()
                        .position(|e| e.kind == SpeakerKind::Person && &e.keys == keys)
                })
                .unwrap_or_else(|| self.new_entity(document, &mention, keys.clone()));
            self.mention_entity[index] = Some(entity);
            let entity = &mut self.entities[entity];
            if entity.gender == Gender::Unknown {
                entity.gender = mention.gender;
            }
            entity.take_role(document, &mention);
            if entity.affiliation.is_none() {
                entity.affiliation = affiliation_of(document, &mention);
            }
        }
    }

    fn new_entity(
        &mut self,
        document: &Document,
        mention: &NameMention,
        keys: Vec<String>,
    ) -> usize {
        let written = document.slice(mention.name_first, mention.name_last);
        // `Standard and Poor's Corp`: a possessive inside an organisation's
        // name (before its legal form) stays.
        let mut name = if mention.kind != SpeakerKind::Person && mention.name_last < mention.last {
            written
        } else {
            names::display(written)
        };
        if mention.kind != SpeakerKind::Person {
            name = name.strip_prefix("The ").unwrap_or(name);
        }
        // `Soviet Union`, `West Germany`: a place the gazetteer knows.
        let known_place = crate::analysis::gazetteer::BUILT_IN.is_multiword_place(name);
        let kind = if mention.place || known_place {
            SpeakerKind::Government
        } else {
            mention.kind
        };
        self.entities.push(Entity {
            name: names::without_nickname(name),
            role: None,
            affiliation: None,
            kind,
            gender: mention.gender,
            forms: Vec::new(),
            keys,
            described_role: false,
            role_in_apposition: false,
            known_roles: Vec::new(),
        });
        self.entities.len() - 1
    }

    fn add_forms(&mut self, document: &Document, entity: usize, mention: &NameMention) {
        let entity = &mut self.entities[entity];
        let bare = names::display(document.slice(mention.name_first, mention.name_last));
        let full = names::display(document.slice(mention.first, mention.last));
        for form in [bare, full] {
            if !entity.forms.iter().any(|f| f == form) {
                entity.forms.push(form.to_owned());
            }
        }
    }

    /// `Team said` after `Team Inc said`: a capitalised common word alone is
    /// the company of the article whose whole name it is, with a legal form
    /// (not `Democrats` after `the Democratic Party`).
    fn company_of_common_word(&self, document: &Document, mention: &Mention) -> Option<usize> {
        if mention.first != mention.last || !document.tokens[mention.first].is_capitalized() {
            return None;
        }
        let word = document.word(mention.first);
        let key = names::fold(word);
        let with_legal_form = |form: &String| {
            form.strip_prefix(word)
                .and_then(|rest| rest.strip_prefix(' '))
                .is_some_and(|rest| {
                    rest.split(' ').all(|w| {
                        document.lexicon.classes(&names::fold(w)) & cues::LEGAL_SUFFIX != 0
                    })
                })
        };
        self.entities.iter().position(|e| {
            e.kind == SpeakerKind::Organization
                && e.keys == [key.as_str()]
                && e.forms.iter().any(with_legal_form)
        })
    }

    /// The entity a mention refers to, if any. Resolving a pronoun records it
    /// as a new mention of its antecedent (a chain of `he said` stays on one
    /// speaker), so mentions must be resolved in text order.
    pub fn resolve(&mut self, document: &Document, mention: &Mention) -> Option<usize> {
        // A description of no named owner (`bank officials`, `the report`).
        let unowned_description = matches!(
            mention.kind,
            MentionKind::Descriptor | MentionKind::RoleNoun | MentionKind::Document(None)
        );
        // `the source close to the Philippine delegation`: a source tied
        // to what it knows is unnamed, whoever it knows (`a USDA official
        // close to the group` is the USDA's).
        let names_body = (mention.first..mention.last).any(|i| document.tokens[i].is_capitalized());
        if unowned_description && !names_body && document.qualifier_starts(mention.last + 1) {
            return None;
        }
        if unowned_description {
            if let Some(body) = self.body_modifying_head(document, mention) {
                self.as_body(body);
                self.record_spokesperson(document, mention.first, body);
                return Some(body);
            }
        }
        if unowned_description {
            let body = self
                .domain_body(document, mention)
                .or_else(|| self.domain_body_before(document, mention));
            if let Some(body) = body {
                self.record_spokesperson(document, mention.first, body);
                return Some(body);
            }
        }
        if unowned_description && is_document_noun(document, mention.last) {
            let author = self
                .author_named_after(document, mention.last)
                .or_else(|| self.author_of_document_nearby(document, mention));
            if let Some(author) = author {
                self.record(document, mention.first, author);
                return Some(author);
            }
        }
        if matches!(
            mention.kind,
            MentionKind::RoleNoun | MentionKind::Descriptor | MentionKind::Collective
        ) {
            let company = self
                .company_of_common_word(document, mention)
                .or_else(|| self.companies_together(document, mention));
            if let Some(company) = company {
                self.record(document, mention.first, company);
                return Some(company);
            }
        }
        match mention.kind {
            MentionKind::Name => {
                // `said the American`, `the Swiss said`, `the 24-year-old Swiss
                // added`: a nationality standing for a person, before any
                // entity named by it. Not a place or body (`the EU`, `the
                // U.S.`).
                let the = |i: usize| document.word(i).eq_ignore_ascii_case("the");
                let first_word = if the(mention.first) {
                    mention.first + 1
                } else {
                    mention.first
                };
                let determined = the(mention.first)
                    || mention.first > 1
                        && document.word(mention.first - 1).ends_with("-year-old")
                        && the(mention.first - 2);
                let nationality = determined
                    && first_word <= mention.last
                    && (first_word..=mention.last).all(|i| {
                        let token = &document.tokens[i];
                        token.has(cues::NATIONALITY)
                            && !token.has(cues::PLACE | cues::ORGANIZATION)
                            && token.shape & ALL_CAPS == 0
                    });
                // `the Treasury Secretary said`, capitalised: a definite
                // title alone, of no body, is its holder, as `the finance
                // minister` is.
                let opening = if the(mention.first) {
                    Some(mention.first)
                } else {
                    mention.first.checked_sub(1).filter(|&i| the(i))
                };
                let named = self.name_at(mention.first, mention.last);
                let title_alone = || {
                    document
                        .lexicon
                        .is_title_alone(document.slice(first_word, mention.last))
                        && named.is_none_or(|e| self.entities[e].kind != SpeakerKind::Organization)
                };
                let entity = nationality
                    .then(|| self.description_antecedent(document, mention.first, mention.last))
                    .flatten()
                    .or_else(|| {
                        let opening = opening.filter(|_| title_alone())?;
                        self.role_antecedent(document, opening, mention.last)
                    })
                    .or(named)
                    .or_else(|| self.body_named_by(document, mention.first, mention.last))?;
                // `an official of the Trade Ministry said ... The official
                // said`: the body's spokesperson spoke, and speaks on. A
                // name nothing makes a person's is a body there (`a
                // spokeswoman for Abbott said`).
                if spokesperson_before(document, mention.first)
                    && !self.entities[entity].is_surely_person()
                {
                    self.as_body(entity);
                    self.record_spokesperson(document, mention.first, entity);
                }
                Some(entity)
            }
            MentionKind::Pronoun => {
                let word = document.slice(mention.first, mention.last).to_lowercase();
                let gender = pronoun_gender(&word)
                    .or_else(|| pronoun_gender_of_class(document.tokens[mention.first].classes));
                let entity = match gender {
                    _ if word == "it" => self.salient_organization(document, mention.first),
                    Some(gender) => self
                        .antecedent(document, mention.first, gender)
                        .or_else(|| self.cataphora(document, mention.first, gender)),
                    // `同氏` (`the said person`), and a person pronoun of either
                    // gender (Finnish `hän`, Turkish `o`): the last person.
                    None if word == "同氏"
                        || document.tokens[mention.first].has(cues::PERSON_PRONOUN) =>
                    {
                        self.antecedent(document, mention.first, Gender::Unknown)
                    }
                    None if word == "they" => self.body_they_refer_to(document, mention.first),
                    None => None,
                }?;
                if word == "it" {
                    self.as_body(entity);
                }
                if self.entities[entity].kind == SpeakerKind::Organization && word != "it" {
                    // The spokesperson of the quote before speaks on.
                    self.record_spokesperson(document, mention.first, entity);
                    return Some(entity);
                }
                if self.entities[entity].gender == Gender::Unknown && word != "sie" {
                    self.entities[entity].gender = gender.unwrap_or(Gender::Unknown);
                }
                self.record(document, mention.first, entity);
                Some(entity)
            }
            MentionKind::RoleNoun => {
                if let Some(company) = self.national_company(document, mention) {
                    self.record(document, mention.first, company);
                    return Some(company);
                }
                if let Some(holder) = self.holder_spoken_for(document, mention) {
                    self.record_spokesperson(document, mention.first, holder);
                    return Some(holder);
                }
                let entity = if document.tokens[mention.last].shape & CJK != 0 {
                    let role = document.slice(mention.first, mention.last);
                    self.cjk_role_antecedent(document, mention.first, role)?
                } else {
                    self.organization_described(document, mention)
                        .or_else(|| self.role_antecedent(document, mention.first, mention.last))
                        .or_else(|| self.body_named_before_spokesperson(document, mention))
                        .or_else(|| self.body_named_in_lowercase(document, mention))
                        .or_else(|| self.spokesperson_body(document, mention))
                        .or_else(|| self.named_after_lead(document, mention))
                        .or_else(|| self.role_holder_named_after(document, mention))?
                };
                if document.tokens[mention.last].has(cues::COMPANY_NOUN) {
                    self.as_body(entity);
                }
                // `The official said ... he noted`: a body's official speaks
                // on (`the spokesman ... he` stays the last person's, as
                // `the Tory spokesman` is often named).
                let official = document.tokens[mention.last].has(cues::SPOKESPERSON)
                    && !names::fold(document.word(mention.last)).starts_with("spokes")
                    && self.entities[entity].kind == SpeakerKind::Organization;
                if official {
                    self.record_spokesperson(document, mention.first, entity);
                } else {
                    self.record(document, mention.first, entity);
                }
                Some(entity)
            }
            MentionKind::Document(Some(owner)) => {
                let entity = self
                    .name_at(owner, owner)
                    .or_else(|| self.owner_pronoun(document, owner))?;
                Some(
                    self.body_of_person(document, owner, mention.last, entity)
                        .unwrap_or(entity),
                )
            }
            MentionKind::Dropped => {
                let entity = self.antecedent(document, mention.first, Gender::Unknown)?;
                self.record(document, mention.first, entity);
                Some(entity)
            }
            MentionKind::Descriptor => {
                let entity = self
                    .body_of_descriptor(document, mention)
                    .or_else(|| self.place_body(document, mention))
                    .or_else(|| self.body_spoken_for(document, mention))
                    .or_else(|| self.spokespeople_speaking_on(document, mention))
                    .or_else(|| self.body_owning_spokesperson(document, mention));
                let Some(entity) = entity else {
                    // The body itself, not a spokesperson of it: `the
                    // official` after it is no official of it.
                    let body = self.body_introduced_after(document, mention)?;
                    self.record(document, mention.first, body);
                    return Some(body);
                };
                if self.entities[entity].keys.len() == 1 {
                    self.entities[entity].kind = SpeakerKind::Organization;
                }
                self.record_spokesperson(document, mention.first, entity);
                Some(entity)
            }
            MentionKind::Document(None) | MentionKind::Collective => None,
        }
    }

    /// `A British Muslim group has said ... The Muslim Council of Britain
    /// said`: a body described with an indefinite article (its head a noun
    /// for a body or an outlet, `a group`, `an Arab newspaper`) is the
    /// first organisation the text then makes a subject, in its paragraph
    /// or the next, that its sentence does not name, and that fits the
    /// description: a news outlet for an outlet's noun, else one whose name
    /// has the head or a capitalised word of the description (`one civil
    /// service union`: the Public and Commercial Services Union; `British`
    /// fits `Britain`).
    fn body_introduced_after(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let head = &tokens[mention.last];
        let indefinite = tokens[mention.first].has(cues::INDEFINITE);
        let body_head = head.has(cues::BODY_HEAD | cues::BODY_NOUN | cues::MEDIA_NOUN)
            && !head.has(cues::SPOKESPERSON | cues::ROLE_NOUN | cues::GOVERNMENT_NOUN)
            && !is_document_noun(document, mention.last);
        if !indefinite || !body_head {
            return None;
        }
        let outlet = head.has(cues::MEDIA_NOUN);
        let words: Vec<String> = (mention.first + 1..=mention.last)
            .filter(|&i| i == mention.last || tokens[i].is_capitalized())
            .map(|i| names::fold(document.word(i)))
            .collect();
        let fits = |entity: &Entity| {
            if outlet {
                return entity.is_news_outlet(document);
            }
            entity.keys.iter().any(|key| {
                words.iter().any(|word| {
                    key == word
                        || key.len() >= SHARED_STEM
                            && word.len() >= SHARED_STEM
                            && key.as_bytes()[..SHARED_STEM] == word.as_bytes()[..SHARED_STEM]
                })
            })
        };
        let sentence = head.sentence;
        let paragraph = head.paragraph;
        let in_sentence = |entity: usize| {
            self.occurrences
                .iter()
                .any(|o| o.entity == entity && tokens[o.token].sentence == sentence)
        };
        let after = self
            .occurrences
            .partition_point(|o| o.token <= mention.last);
        let named_before =
            |entity: usize| self.occurrences[..after].iter().any(|o| o.entity == entity);
        self.occurrences[after..]
            .iter()
            .take_while(|o| o.paragraph <= paragraph + 1)
            .filter(|o| o.subject && !in_sentence(o.entity) && !named_before(o.entity))
            .map(|o| o.entity)
            .find(|&entity| {
                let entity = &self.entities[entity];
                entity.kind == SpeakerKind::Organization && fits(entity)
            })
    }

    /// `According to a survey conducted by security firm Mirapoint, ...`,
    /// `a letter from Lee Scott`: a document whose owner is not written
    /// before it is the one the `by` (after a past participle or none) or
    /// `from` right after it names (the first name, after at most a short
    /// description, within the sentence).
    fn author_named_after(&self, document: &Document, last: usize) -> Option<usize> {
        // `The survey, conducted by the Public Policy Institute`: a comma
        // before the participle.
        let comma = document.tokens.get(last + 1).is_some_and(|t| t.is(','));
        let next = if comma { last + 2 } else { last + 1 };
        let participle = document.tokens.get(next).is_some_and(|t| {
            t.is_word() && !t.is_capitalized() && document.word(next).ends_with("ed")
        });
        if comma && !participle {
            return None;
        }
        let preposition = if participle { next + 1 } else { next };
        let token = document.tokens.get(preposition)?;
        if participle && !token.has(cues::AGENT) {
            return None;
        }
        // `a new article in Politico`: a news outlet a document is in.
        let within = !participle && !comma && document.word(preposition) == "in";
        if !token.has(cues::AGENT)
            && !document.word(preposition).eq_ignore_ascii_case("from")
            && !within
        {
            return None;
        }
        let described = |first: usize| {
            first - preposition <= MAX_AUTHOR_DESCRIPTION
                && (preposition + 1..first).all(|i| {
                    let between = &document.tokens[i];
                    between.is_word()
                        && between.sentence == token.sentence
                        && !between
                            .has(cues::SPEECH | cues::OTHER_VERB | cues::CONJUNCTION | cues::TIME)
                })
        };
        // The first name, past one that modifies a noun of the description
        // (`by digital TV station Music Choice`, `by CES organisers the
        // CEA`, `by the Economist magazine's Economist Intelligence Unit`;
        // not `by John Durant of Philadelphia`).
        let modifies_noun = |last: usize| {
            document.tokens.get(last + 1).is_some_and(|next| {
                next.is_word()
                    && !next.is_capitalized()
                    && (next.has(
                        cues::MEDIA_NOUN
                            | cues::ROLE_NOUN
                            | cues::BODY_NOUN
                            | cues::COMPANY_NOUN
                            | cues::BODY_HEAD
                            | cues::ORGANIZATION_HEAD,
                    ) || next.shape & POSSESSIVE != 0)
            })
        };
        let start = self.mentions.partition_point(|m| m.first <= preposition);
        let candidates = self.mentions[start..]
            .iter()
            .zip(&self.mention_entity[start..])
            .take_while(|(m, _)| described(m.first));
        let mut chosen = None;
        for candidate in candidates {
            chosen = Some(candidate);
            if !modifies_noun(candidate.0.last) {
                break;
            }
        }
        let entity = (*chosen?.1)?;
        let outlet = || {
            self.entities[entity].kind == SpeakerKind::Organization
                && self.entities[entity].is_news_outlet(document)
        };
        (!within || outlet()).then_some(entity)
    }

    /// `according to the poll`, after `The PPIC poll shows` or `the poll,
    /// conducted by the Public Policy Institute of California`: a document
    /// the mention does not name the author of is the last one of the same
    /// noun whose author the article names (`by`, `from` after it, a body's
    /// name before it); `according to a new poll` (indefinite) is the first
    /// such one in its paragraph or the next.
    fn author_of_document_nearby(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let head = names::fold(document.word(mention.last));
        let same_document = |i: &usize| {
            (*i < mention.first || *i > mention.last)
                && !tokens[*i].is_capitalized()
                && is_document_noun(document, *i)
                && names::fold(document.word(*i)) == head
        };
        let author = |i: usize| {
            self.author_named_after(document, i).or_else(|| {
                let owner = i.checked_sub(1)?;
                self.name_at(owner, owner)
                    .filter(|&e| self.entities[e].kind == SpeakerKind::Organization)
            })
        };
        let definite = document.word(mention.first).eq_ignore_ascii_case("the");
        if definite {
            // `A separate study by Gartner has also said ... said the
            // report`: else a document of another noun with an author, in
            // the sentence before; not a verb after a name (`CBS News
            // reports that the letter`).
            let sentence = tokens[mention.first].sentence;
            let after_name = |i: usize| {
                i > 1
                    && tokens[i - 1].is_capitalized()
                    && !tokens[i - 2].has(cues::DETERMINER | cues::NOUN_OPENER)
            };
            let other_document = |i: &usize| {
                !tokens[*i].is_capitalized() && is_document_noun(document, *i) && !after_name(*i)
            };
            (0..mention.first)
                .rev()
                .filter(same_document)
                .find_map(author)
                .or_else(|| {
                    (0..mention.first)
                        .rev()
                        .take_while(|&i| sentence.saturating_sub(tokens[i].sentence) <= 1)
                        .filter(other_document)
                        .find_map(author)
                })
        } else {
            // `..., according to a survey. ¶ A study by the Pew Internet and
            // American Life Project found`: else a document of another noun
            // opening the next paragraph, `by` its author.
            let paragraph = tokens[mention.last].paragraph;
            let after = mention.last + 1..tokens.len();
            after
                .clone()
                .take_while(|&i| tokens[i].paragraph <= paragraph + 1)
                .filter(same_document)
                .find_map(author)
                .or_else(|| {
                    let mut opening = after
                        .clone()
                        .find(|&i| tokens[i].paragraph == paragraph + 1)?;
                    if tokens[opening].has(cues::DETERMINER) {
                        opening += 1;
                    }
                    let by = opening + 1;
                    (is_document_noun(document, opening)
                        && tokens.get(by).is_some_and(|t| t.has(cues::AGENT)))
                    .then(|| self.author_named_after(document, opening))
                    .flatten()
                })
                .or_else(|| {
                    // `a report suggests` alone, in the lead (not `a report
                    // on the CBC`).
                    let lead = paragraph == 0
                        && mention.last == mention.first + 1
                        && !tokens
                            .get(mention.last + 1)
                            .is_some_and(|t| t.has(cues::PREPOSITION | cues::AGENT))
                        && tokens[mention.first].has(cues::INDEFINITE)
                        && document
                            .lexicon
                            .is_finding_noun(&names::fold(document.word(mention.last)));
                    lead.then(|| self.organization_speaking_next(document, paragraph))
                        .flatten()
                })
        }
    }

    /// `..., a report suggests.¶The National Institute of Economic and
    /// Social Research claims that`, `say researchers at BDO Stoy Hayward`:
    /// the first organisation named in the first sentence of the paragraph
    /// after `paragraph`, when that sentence has a speech verb.
    fn organization_speaking_next(&self, document: &Document, paragraph: u32) -> Option<usize> {
        let tokens = &document.tokens;
        let opening = document.paragraphs.get(paragraph as usize + 1)?.start;
        let sentence = &document.sentences[tokens[opening].sentence as usize];
        if !sentence.clone().any(|i| tokens[i].has(cues::SPEECH)) {
            return None;
        }
        let start = self.mentions.partition_point(|m| m.first < sentence.start);
        self.mentions[start..]
            .iter()
            .zip(&self.mention_entity[start..])
            .take_while(|(m, _)| m.last < sentence.end)
            .find_map(|(_, &entity)| {
                let entity = entity?;
                (self.entities[entity].kind == SpeakerKind::Organization).then_some(entity)
            })
    }

    /// `an AOL spokesman`, `SEC officials`, `a senior Bank of Japan
    /// official`, `an FA statement`, `Texas Air Corp's Continental Airlines
    /// unit`: an unnamed spokesperson or official speaking for a named
    /// organisation, its document or its named unit, is that organisation. A bare `a spokesman` speaks for
    /// the organisation the article is about when one was just speaking.
    fn body_of_descriptor(&mut self, document: &Document, mention: &Mention) -> Option<usize> {
        // `said an FA statement`: a document of a named body is the body's;
        // `Texas Air Corp's Continental Airlines unit said`: a company noun
        // after names is the body named last (the unit, else the company).
        let tokens = &document.tokens;
        let document_noun = is_document_noun(document, mention.last);
        let spokesperson = tokens[mention.last].has(cues::SPOKESPERSON);
        // Not an unnamed one (`a City investment bank`, `A British Muslim
        // group`): a company's possessive, or no indefinite article.
        let owned = (mention.first..mention.last).any(|i| tokens[i].shape & POSSESSIVE != 0);
        let company_noun = tokens[mention.last].has(cues::COMPANY_NOUN)
            && (owned || !tokens[mention.first].has(cues::INDEFINITE));
        if !spokesperson && !document_noun && !company_noun {
            return None;
        }
        // `a former State Department official`: one who held the post
        // speaks for no body.
        if spokesperson
            && (mention.first..mention.last).any(|i| {
                document
                    .lexicon
                    .is_past_role_word(&names::fold(document.word(i)))
            })
        {
            return None;
        }
        let head = names::fold(document.word(mention.last));
        // `Banking sources said`, `Diplomatic officials`: one word opening
        // the sentence is a common word there, not a body's name.
        let common_opener = mention.last == mention.first + 1
            && names::common_word_only_opening_sentence(document, mention.first);
        // `ADB sources`: a source speaks for an organisation named right
        // before it, not for a person, an owner (`the Post's sources`) or a
        // name a lowercase word follows (`International monetary sources`,
        // `a senior FRN market source`).
        let source_of_no_body = tokens[mention.last].has(cues::SOURCE_NOUN)
            && (owned
                || !mention.last.checked_sub(1).is_some_and(|before| {
                    tokens[before].is_capitalized()
                        || tokens[before].has(cues::BODY_HEAD | cues::COMPANY_NOUN)
                }));
        let named = self
            .name_at(mention.first, mention.last.saturating_sub(1))
            .filter(|_| !common_opener && !source_of_no_body)
            .filter(|&e| {
                !tokens[mention.last].has(cues::SOURCE_NOUN)
                    || self.entities[e].kind == SpeakerKind::Organization
            })
            .filter(|&e| {
                // A single unknown word (`Noranda`) before `spokesman` is a
                // body too; a person the article names in full (`a Clinton
                // spokesman`) is spoken for.
                let entity = &self.entities[e];
                entity.kind == SpeakerKind::Organization
                    || (entity.kind == SpeakerKind::Person
                        && (entity.keys.len() >= 2
                            || entity.role.is_none() && entity.gender == Gender::Unknown))
            });
        if company_noun && !document_noun && !spokesperson {
            // A body a person's name cannot be (`a CMS Canadian subsidiary`).
            return named.filter(|&e| self.entities[e].kind == SpeakerKind::Organization);
        }
        if named.is_some() || !head.starts_with("spokes") || document_noun {
            return named;
        }
        let words = mention.last - mention.first;
        let company = words == 2
            && document
                .tokens
                .get(mention.last - 1)
                .is_some_and(|t| t.has(cues::COMPANY_NOUN));
        if words != 1 && !company {
            return None;
        }
        self.occurrences_before(document, mention.first, 1)
            .find(|o| o.subject && self.entities[o.entity].kind == SpeakerKind::Organization)
            .map(|o| o.entity)
            // `a company spokesman` speaks for the company the story is about.
            .or_else(|| {
                company
                    .then(|| self.salient_organization(document, mention.first))
                    .flatten()
            })
    }

    /// `the official Tanjug news agency`, `the state-run Xinhua agency`: a
    /// description of a body around an organisation's name is that
    /// organisation.
    fn organization_described(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let head = &document.tokens[mention.last];
        if mention.last <= mention.first
            || head.is_capitalized()
            || !head.has(cues::BODY_HEAD | cues::COMPANY_NOUN | cues::MEDIA_NOUN)
        {
            return None;
        }
        // The name after lowercase words (`the official Tanjug news
        // agency`); a name opening the description may be a part's owner
        // (`the GM unit`, `the Commons science and technology committee`),
        // but not an outlet's (`the News of the World newspaper`).
        let tokens = &document.tokens;
        // `Vedomosti newspaper`, with no article: the name opens it.
        let opening = if tokens[mention.first].has(cues::DETERMINER) {
            mention.first + 1
        } else {
            mention.first
        };
        let name = (opening..mention.last).find(|&i| tokens[i].is_capitalized())?;
        let outlet = head.has(cues::MEDIA_NOUN);
        let mut name_end = name;
        if outlet {
            name_end = (name..mention.last)
                .rev()
                .find(|&i| tokens[i].is_capitalized())
                .unwrap_or(name);
        }
        while name_end + 1 < mention.last && tokens[name_end + 1].is_capitalized() {
            name_end += 1;
        }
        if name == mention.first + 1 && !outlet {
            return None;
        }
        let entity = self.name_at(name, name_end)?;
        (self.entities[entity].kind == SpeakerKind::Organization).then_some(entity)
    }

    /// `company officials said`, `bank officials`, `Company statement said`:
    /// a noun for a body or a company right before an official's or a
    /// document's noun names the body that speaks, found as `the company` or
    /// `the bank` would be.
    fn body_modifying_head(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let last = mention.last;
        if last <= mention.first
            || !(tokens[last].has(cues::SPOKESPERSON) || is_document_noun(document, last))
        {
            return None;
        }
        let modifier = last - 1;
        let noun = &tokens[modifier];
        // Lowercase, or opening the mention (`Company statement said`); the
        // noun opens the phrase, after a determiner at most (`news agency
        // reports` are no agency's of the story).
        let plain = !noun.is_capitalized() || modifier == mention.first;
        // `the senior bank official`, `a top company spokesman`: words
        // that open a description like a determiner may follow it.
        let opens = modifier > mention.first
            && tokens[mention.first].has(cues::DETERMINER)
            && (mention.first + 1..modifier)
                .all(|i| tokens[i].has(cues::DETERMINER) && !tokens[i].is_capitalized());
        let opens = opens || modifier == mention.first;
        if !opens {
            return None;
        }
        if !noun.is_word() || !plain || !noun.has(cues::BODY_HEAD | cues::COMPANY_NOUN) {
            return None;
        }
        let entity = self.role_antecedent(document, modifier, modifier)?;
        (self.entities[entity].kind == SpeakerKind::Organization).then_some(entity)
    }

    /// `the unidentified Parmalat official`, `the MITI official`: an
    /// organisation named before the noun of one who speaks for a body is
    /// that body, unless an officer of it who spoke was named before (then
    /// the officer; `the BPI spokesman` is left to
    /// [`Self::spokesperson_body`], which knows the body that last spoke by
    /// its spokesperson).
    fn body_named_before_spokesperson(
        &self,
        document: &Document,
        mention: &Mention,
    ) -> Option<usize> {
        let head = &document.tokens[mention.last];
        if mention.last <= mention.first
            || !head.has(cues::SPOKESPERSON)
            || names::fold(document.word(mention.last)).starts_with("spokes")
        {
            return None;
        }
        let body = self
            .name_at(mention.first, mention.last - 1)
            .filter(|&e| self.entities[e].kind == SpeakerKind::Organization)?;
        // `BP Managing Director David Simon said ... The BP official said`,
        // `the LDP Policy Affairs Research Council's Chairman Masayoshi Ito
        // ... the LDP official`: an officer of the body the article named
        // before, who spoke, is the official.
        let written: Vec<String> = (mention.first..mention.last)
            .filter(|&i| {
                document.tokens[i].is_capitalized() && !document.tokens[i].has(cues::DETERMINER)
            })
            .map(|i| names::fold(document.word(i)))
            .collect();
        let officer = self.occurrences[..self
            .occurrences
            .partition_point(|o| o.token < mention.first)]
            .iter()
            .rev()
            .filter(|o| o.speaker || o.subject)
            .map(|o| o.entity)
            .find(|&e| {
                let entity = &self.entities[e];
                let titles = entity.role.iter().chain(&entity.affiliation);
                entity.kind == SpeakerKind::Person
                    && !written.is_empty()
                    && titles.map(|t| names::fold(t)).any(|title| {
                        let words: Vec<&str> = title.split_whitespace().collect();
                        written.iter().all(|w| words.contains(&w.as_str()))
                    })
            });
        Some(officer.unwrap_or(body))
    }

    /// `The Federal Trade Commission said its staff has urged`: officials
    /// owned by a possessive pronoun that stands for a body (`its`) speak
    /// for it, when its sentence names the body before them (not `Brazil
    /// ..., but its economic officials`, where `its` is the country's).
    fn body_owning_spokesperson(
        &mut self,
        document: &Document,
        mention: &Mention,
    ) -> Option<usize> {
        if mention.first >= mention.last || !document.tokens[mention.last].has(cues::SPOKESPERSON) {
            return None;
        }
        let owner = self
            .owner_pronoun(document, mention.first)
            .filter(|&owner| self.entities[owner].kind == SpeakerKind::Organization)?;
        self.occurrences_in_sentence_before(document, mention.first)
            .any(|o| o.entity == owner)
            .then_some(owner)
    }

    /// `officials of the Transport Ministry said ... The officials said`,
    /// `Bundesbank sources said ... the sources said`: `the` and a
    /// spokesperson's noun speak for the body the same noun last spoke for,
    /// in this paragraph or the one before (`industry sources said ... A
    /// Salomon spokesman said ... the sources said` leaves them unnamed).
    fn spokespeople_speaking_on(&self, document: &Document, mention: &Mention) -> Option<usize> {
        /// Most tokens between the noun and the body it spoke for
        /// (`officials of the Transport Ministry`, `finance ministry officials`).
        const NEAR: usize = 4;
        let tokens = &document.tokens;
        let head = &tokens[mention.last];
        let the_noun = mention.first + 1 == mention.last
            && document.word(mention.first).eq_ignore_ascii_case("the")
            && head.has(cues::SPOKESPERSON);
        if !the_noun {
            return None;
        }
        let word = document.word(mention.last);
        let before = (0..mention.first)
            .rev()
            .take_while(|&i| head.paragraph.saturating_sub(tokens[i].paragraph) <= 1)
            .find(|&i| document.word(i).eq_ignore_ascii_case(word))?;
        self.occurrences_before(document, mention.first, 1)
            .find(|o| o.spokesperson && o.token + NEAR >= before && o.token <= before + NEAR)
            .map(|o| o.entity)
    }

    /// `A spokesman for Allis-Chalmers said ... The spokesman said`: `the
    /// spokesman` no person of the article is called speaks for the body a
    /// spokesperson last spoke for, else for the story's organisation.
    fn spokesperson_body(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let head = names::fold(document.word(mention.last));
        if !document.tokens[mention.last].has(cues::SPOKESPERSON) {
            return None;
        }
        // `a Board of Foreign Trade official said ... The official said`:
        // another noun of the post only for the body one just spoke for.
        let by_post = head.starts_with("spokes");
        let window = if by_post { ANTECEDENT_PARAGRAPHS } else { 2 };
        // `The police spokesman`: a body's head before the noun names the
        // kind of body (`Scotland Yard`, known as the Metropolitan Police),
        // not any organisation of the article (`the Mirror newspaper`);
        // `The Darlington Council spokesman` is the council's, though a
        // spokeswoman for Royal Mail spoke since.
        let kind_of_body = (mention.first..mention.last)
            .filter(|&i| document.tokens[i].has(cues::BODY_HEAD))
            .map(|i| names::fold(document.word(i)))
            .collect::<Vec<_>>();
        // `The GM spokesman`: a name before the noun is the body it speaks
        // for, and no other body is.
        let tokens = &document.tokens;
        let named_at: Vec<usize> = (mention.first..mention.last)
            .filter(|&i| {
                tokens[i].is_capitalized()
                    && !tokens[i].has(
                        cues::DETERMINER
                            | cues::BODY_HEAD
                            | cues::NATIONALITY
                            | cues::PLACE
                            | cues::TITLE
                            | cues::ROLE_NOUN,
                    )
                    && !document.opens_sentence(i)
            })
            .collect();
        let named: Vec<String> = named_at
            .iter()
            .map(|&i| names::fold(document.word(i)))
            .collect();
        if let (Some(&first), Some(&last)) = (named_at.first(), named_at.last()) {
            // The one body whose name has the words, else the words' entity
            // (`GM`, an alias of General Motors).
            let bodies = (0..self.entities.len()).filter(|&e| {
                let entity = &self.entities[e];
                entity.kind == SpeakerKind::Organization
                    && named.iter().all(|name| entity.keys.contains(name))
            });
            if let Some(body) = one_entity(bodies) {
                return Some(body);
            }
            if let Some(body) = self
                .name_at(first, last)
                .filter(|&e| self.entities[e].kind == SpeakerKind::Organization)
            {
                return Some(body);
            }
        }
        let fits = |found: &usize| {
            let entity = &self.entities[*found];
            named.iter().all(|name| entity.keys.contains(name))
                && kind_of_body.iter().all(|head| {
                    entity.keys.contains(head)
                        || BUILT_IN
                            .lookup(&entity.name)
                            .is_some_and(|known| names::fold(&known.name).contains(head.as_str()))
                })
        };
        self.occurrences_before(document, mention.first, window)
            .filter(|o| o.spokesperson)
            .map(|o| o.entity)
            .find(fits)
            .or_else(|| {
                by_post
                    .then(|| self.salient_organization(document, mention.first))
                    .flatten()
                    .filter(fits)
            })
    }

    /// The organisation an article's `it` or `the company` most likely
    /// means: the last one quoted within a few paragraphs, else the first
    /// one quoted, else the first one the article made a subject, else the
    /// first one of its first sentence (a wire story's lead), else the last
    /// one mentioned.
    fn salient_organization(&self, document: &Document, token: usize) -> Option<usize> {
        self.salient_organization_where(document, token, |_| true)
    }

    /// [`Self::salient_organization`] among the bodies `keep` accepts
    /// (`the company` is no union).
    fn salient_organization_where(
        &self,
        document: &Document,
        token: usize,
        keep: impl Fn(&Entity) -> bool,
    ) -> Option<usize> {
        let before = self.occurrences.partition_point(|o| o.token < token);
        // `told Reuters`: the news agency a statement was made to is not
        // what the story is about.
        let organization = |o: &&Occurrence| {
            let entity = &self.entities[o.entity];
            entity.kind == SpeakerKind::Organization
                && keep(entity)
                && !(hearer_at(document, o.token) && entity.is_known_media())
        };
        let recent = || {
            self.occurrences_before(document, token, ANTECEDENT_PARAGRAPHS)
                .filter(organization)
        };
        let earlier = || self.occurrences[..before].iter().filter(organization);
        let lead = document.tokens.first().map(|t| t.sentence);
        // `Electrolux saw its shares rise`, `Sun Microsystems has launched`:
        // a name that nothing makes a person's (no role, no gender) and that
        // is the subject (or a speaker) of the lead is the body the story is
        // about, when `it` refers to it.
        let possibly_body = |o: &&Occurrence| {
            let entity = &self.entities[o.entity];
            entity.kind == SpeakerKind::Person
                && entity.role.is_none()
                && entity.gender == Gender::Unknown
        };
        // `The EFF ... has asked the court to stop Apple pursuing the
        // sources. It argues`: `it` opening a sentence is the body that
        // opened the sentence before as its subject.
        let subject_of_sentence_before = || {
            let sentence = document.tokens[token].sentence;
            if !document.opens_sentence(token) || sentence == 0 {
                return None;
            }
            let first = self.occurrences[..before]
                .iter()
                .rev()
                .take_while(|o| document.tokens[o.token].sentence + 1 >= sentence)
                .filter(|o| document.tokens[o.token].sentence + 1 == sentence)
                .last()?;
            let paragraph = document.tokens[token].paragraph;
            (first.subject && organization(&first) && first.paragraph == paragraph).then_some(first)
        };
        recent()
            .find(|o| o.speaker)
            .or_else(subject_of_sentence_before)
            .or_else(|| earlier().find(|o| o.speaker))
            .or_else(|| earlier().find(|o| o.subject))
            .or_else(|| {
                let in_lead = |o: &&Occurrence| Some(document.tokens[o.token].sentence) == lead;
                // `China has been accused of blocking access to Google News
                // by the media watchdog, Reporters Without Borders`: the
                // agent of the lead's passive acts in it, unless a body
                // opens the lead (`Progressive Savings said it agreed to be
                // purchased by Far West`).
                earlier()
                    .filter(in_lead)
                    .find(|o| is_passive_agent(document, o.token))
                    .filter(|_| {
                        !earlier()
                            .filter(in_lead)
                            .any(|o| document.opens_sentence(o.token))
                    })
                    .or_else(|| earlier().find(in_lead))
            })
            .or_else(|| recent().next())
            .or_else(|| {
                self.occurrences[..before]
                    .iter()
                    .filter(possibly_body)
                    .find(|o| {
                        (o.subject || o.speaker) && Some(document.tokens[o.token].sentence) == lead
                    })
            })
            .map(|o| o.entity)
            // No organisation in the body: the headline's (`USDA REPORTS ...`).
            .or_else(|| self.headline_named(|_| true))
    }

    /// `Cosla says ... They say`, `The Journal ... they conclude`: `they` is
    /// the body that was last a subject or a speaker, in its paragraph or the
    /// one before, when no person was one since and no plural role noun
    /// (`analysts`, `officials`) stands between them.
    fn body_they_refer_to(&self, document: &Document, token: usize) -> Option<usize> {
        let paragraph = document.tokens[token].paragraph;
        let before = self.occurrences.partition_point(|o| o.token < token);
        let last = self.occurrences[..before]
            .iter()
            .rev()
            .take_while(|o| paragraph.saturating_sub(o.paragraph) <= 1)
            .find(|o| o.subject || o.speaker)?;
        let plural_people_since = (last.token + 1..token).any(|i| {
            document.tokens[i].has(cues::ROLE_NOUN | cues::COLLECTIVE)
                && document.word(i).ends_with('s')
        });
        (self.entities[last.entity].kind == SpeakerKind::Organization && !plural_people_since)
            .then_some(last.entity)
    }

    /// `Federated Department Stores Inc and Allied Stores said ... the
    /// companies said`, `the two firms said`: companies speaking together
    /// are named by the first company the article names before, written
    /// with its legal form (one identity stands for the joint statement).
    fn companies_together(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let head = names::fold(document.word(mention.last));
        let companies = names::singulars(&head)
            .any(|singular| document.lexicon.classes(&singular) & cues::COMPANY_NOUN != 0);
        // `the companies`, not `other`, `some` or `many` companies.
        let definite = (mention.first..mention.last).any(|i| {
            document.tokens[i].has(cues::DETERMINER) && !document.tokens[i].has(cues::QUANTIFIER)
        });
        if !definite || !companies {
            return None;
        }
        // A company: written with its legal form somewhere (`Musikahn Corp`).
        let company = |entity: usize| {
            self.mentions
                .iter()
                .zip(&self.mention_entity)
                .any(|(m, &e)| e == Some(entity) && written_with_legal_form(document, m))
        };
        let before = self
            .occurrences
            .partition_point(|o| o.token < mention.first);
        self.occurrences[..before]
            .iter()
            .find(|o| {
                self.entities[o.entity].kind == SpeakerKind::Organization && company(o.entity)
            })
            .map(|o| o.entity)
    }

    /// Makes `entity` a body: `it` or `the company` refers to it.
    fn as_body(&mut self, entity: usize) {
        if self.entities[entity].kind == SpeakerKind::Person {
            self.entities[entity].kind = SpeakerKind::Organization;
        }
    }

    /// The statements resolved so far that speak of `occurrence` (it is in
    /// their words, and not their speaker): each one's first token and
    /// speaker.
    fn statements_speaking_of<'a>(
        &'a self,
        occurrence: &'a Occurrence,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.reported
            .iter()
            .filter(move |&&(first, last, speaker)| {
                !occurrence.speaker
                    && (first..=last).contains(&occurrence.token)
                    && speaker != occurrence.entity
            })
            .map(|&(first, _, speaker)| (first, speaker))
    }

    /// Records that a spokesperson for `entity` (a body) spoke at `token`.
    /// The body a spokesperson's phrase opening a sentence was taken for
    /// before (`An official of the Korea Traders' Association (KTA) said`:
    /// `Korea Traders`) gives way to the one the statement resolved.
    fn record_spokesperson(&mut self, document: &Document, token: usize, entity: usize) {
        self.record(document, token, entity);
        let at = self.occurrences.partition_point(|o| o.token < token);
        for occurrence in self.occurrences[at..]
            .iter_mut()
            .take_while(|o| o.token == token)
        {
            occurrence.spokesperson = occurrence.entity == entity;
        }
    }

    /// Records that `entity` is the subject at `token` (a resolved speaker).
    pub fn record(&mut self, document: &Document, token: usize, entity: usize) {
        if let Some((first, last)) = self.statement {
            self.reported.push((first, last, entity));
        }
        let at = self.occurrences.partition_point(|o| o.token < token);
        if self
            .occurrences
            .get(at)
            .is_some_and(|o| o.token == token && o.entity == entity)
        {
            self.occurrences[at].subject = true;
            self.occurrences[at].speaker = true;
            return;
        }
        self.insert_occurrence(document, token, entity, true);
    }

    /// Adds a mention of `entity` as the subject at `token`, a speaker's or
    /// not, in text order.
    fn insert_occurrence(
        &mut self,
        document: &Document,
        token: usize,
        entity: usize,
        speaker: bool,
    ) {
        let at = self.occurrences.partition_point(|o| o.token < token);
        self.occurrences.insert(
            at,
            Occurrence {
                token,
                paragraph: document.tokens[token].paragraph,
                entity,
                subject: true,
                speaker,
                spokesperson: false,
            },
        );
    }

    /// The entity named by the name mention overlapping `first..=last`: the
    /// last one, unless it is the body an earlier one belongs to (`Beth
    /// Reiners of Dean Witter Reynolds Inc` is Beth Reiners).
    fn name_at(&self, first: usize, last: usize) -> Option<usize> {
        let start = self.mentions.partition_point(|m| m.last < first);
        let overlapping = || {
            self.mentions[start..]
                .iter()
                .zip(&self.mention_entity[start..])
                .take_while(|(m, _)| m.first <= last)
        };
        let affiliations: Vec<(usize, usize)> = overlapping()
            .filter_map(|(m, _)| m.affiliation.filter(|&(a, _)| a > m.last))
            .collect();
        // The body's mention may keep a legal form the affiliation leaves
        // out (`First Chicago Corp`): it starts inside it.
        overlapping()
            .filter(|(m, _)| {
                !affiliations
                    .iter()
                    .any(|&(a, b)| a <= m.first && m.first <= b)
            })
            .filter_map(|(_, entity)| *entity)
            .last()
    }

    /// The most salient person before `token`: the last one mentioned as a
    /// subject (or speaker) within a few paragraphs, of a compatible gender.
    fn antecedent(&self, document: &Document, token: usize, gender: Gender) -> Option<usize> {
        let paragraph = document.tokens[token].paragraph;
        let before = self.occurrences.partition_point(|o| o.token < token);
        // `... including Francesco Del Monte, vice president of BNL, he
        // said`: a person the statement before its cue first names is whom
        // it speaks of, not its speaker.
        let introduced_in_statement: Vec<usize> = match self.statement {
            Some((first, last)) if last < token => {
                let start = self.occurrences.partition_point(|o| o.token < first);
                let end = self.occurrences.partition_point(|o| o.token <= last);
                let earlier = &self.occurrences[..start];
                self.occurrences[start..end]
                    .iter()
                    .map(|o| o.entity)
                    .filter(|&entity| !earlier.iter().any(|o| o.entity == entity))
                    .collect()
            }
            _ => Vec::new(),
        };
        // `he called Rubio "Little Marco"`, `He calls Christie's
        // endorsement`: the object right after the pronoun's verb is not
        // whom the pronoun, its subject, stands for.
        // Not a speech verb's clause (`He said Wrigley's share is ...`),
        // but its hearer (`he told Hannity`).
        let verb_then_object = document.tokens.get(token + 1).is_some_and(|verb| {
            verb.is_word()
                && !verb.is_capitalized()
                && !verb.has(cues::PREPOSITION)
                && (!verb.has(cues::SPEECH) || verb.has(cues::TAKES_HEARER))
        });
        let object = verb_then_object
            .then(|| {
                self.occurrences[before..]
                    .iter()
                    .take_while(|o| o.token <= token + 2)
                    .find(|o| o.token == token + 2)
                    .map(|o| o.entity)
            })
            .flatten();
        let compatible = |o: &Occurrence| {
            self.is_compatible_person(o.entity, gender)
                && paragraph.saturating_sub(o.paragraph) <= ANTECEDENT_PARAGRAPHS
                && !introduced_in_statement.contains(&o.entity)
                && object != Some(o.entity)
        };
        // `A spokesman for distributor Toho said ... "...", he added`: `he`
        // is the spokesperson who just spoke, when no person did since (a
        // lone capitalised word no subject is no person for this: `an order
        // to Venezuela's Venalum`).
        // A spokesperson of a paragraph before the last speaks on only when
        // no statement stands between (`a company source said ... analysts
        // said. "...," he added` is not the source's).
        let statement_since = |o: &Occurrence| {
            paragraph.saturating_sub(o.paragraph) > 1
                && (o.token + 1..token).any(|i| {
                    document.tokens[i].paragraph < paragraph
                        && document.tokens[i].paragraph > o.paragraph
                        && document.tokens[i].has(cues::SPEECH)
                })
        };
        // `A BBC spokeswoman said Andi Peters would continue as producer.
        // She said`: a person a body's statement speaks of is not whom the
        // body's spokesperson, speaking on, gives way to.
        let spoken_of_by_body = |o: &Occurrence| {
            self.statements_speaking_of(o)
                .any(|(_, speaker)| self.entities[speaker].kind == SpeakerKind::Organization)
        };
        for occurrence in self.occurrences_before(document, token, SPOKESPERSON_PARAGRAPHS) {
            if spoken_of_by_body(occurrence) {
                continue;
            }
            if occurrence.spokesperson && !statement_since(occurrence) {
                // `his campaign said ... he added`: the person the body is
                // named after, when the pronoun fits them.
                let owner = self
                    .person_bodies
                    .iter()
                    .find(|&&(body, _)| body == occurrence.entity)
                    .map(|&(_, person)| person)
                    .filter(|&person| gender.fits(self.entities[person].gender));
                return Some(owner.unwrap_or(occurrence.entity));
            }
            let person = compatible(occurrence)
                && (occurrence.subject || self.entities[occurrence.entity].is_surely_person());
            if occurrence.speaker || person {
                break;
            }
        }
        // `Burger ... was crowned player of the year. "I don't think he's
        // played anywhere near that level," he said`: a quote that speaks of
        // someone of the pronoun's gender in the third person is about the
        // last subject, not by them; the last speaker of that gender says it.
        if gender != Gender::Unknown && quote_speaks_of(document, token, gender) {
            let mut recent = self.occurrences_before(document, token, ANTECEDENT_PARAGRAPHS);
            let subject = recent.clone().find(|o| o.subject && compatible(o));
            let speaker = recent.find(|o| o.speaker && compatible(o));
            if let (Some(subject), Some(speaker)) = (subject, speaker) {
                if !subject.speaker && speaker.entity != subject.entity {
                    return Some(speaker.entity);
                }
            }
        }
        let recent = self.occurrences_before(document, token, ANTECEDENT_PARAGRAPHS);
        // `... The Incredibles and Indiana Jones. "...," he told`: a name no
        // given name, title, gender or earlier quote makes a person's gives
        // way to a subject that is surely a person, in its paragraph or the
        // one before.
        let certain = |o: &Occurrence| {
            let entity = &self.entities[o.entity];
            entity
                .role
                .as_deref()
                .is_some_and(|role| !is_place_words(document, role))
                || entity.gender != Gender::Unknown
                // A given name opening a fuller name (`Phil Thompson`), not
                // one standing alone (`Chelsea`, the club).
                || entity.keys.len() > 1 && names::is_given_name(&entity.keys[0])
                || self.occurrences[..before]
                    .iter()
                    .any(|other| other.entity == o.entity && other.speaker)
        };
        // `"... as Carlos is one of the best players," he said`: whom the
        // statement names is not who says it.
        let named_in_statement = |entity: usize| {
            self.statement.is_some_and(|(first, last)| {
                self.mentions
                    .iter()
                    .zip(&self.mention_entity)
                    .any(|(m, &e)| e == Some(entity) && m.first >= first && m.last <= last)
            })
        };
        // `He said Trump needs to do more work. "...," he said`: the subject
        // of a person's earlier statement is whom it speaks of; `he` is the
        // speaker going on. Not a speaker of its own (`Antara reported that
        // Siregar said`), nor a subject after a `but` in the statement, which
        // opens a clause of the article's own (`Hewitt said he had had
        // enough but Tennis Australia's Geoff Pollard rejected his comments`).
        let reported_by_another = |o: &Occurrence| {
            self.statements_speaking_of(o).any(|(first, speaker)| {
                self.entities[speaker].kind == SpeakerKind::Person
                    && !(first..o.token).any(|i| document.word(i).eq_ignore_ascii_case("but"))
            })
        };
        // `Suu Kyi's fate is still unclear, but she said`: the person whose
        // possessive opens the pronoun's sentence is whom a later clause's
        // pronoun stands for, before any subject of the sentences before.
        if let Some(possessor) = self.possessor_opening_sentence(document, token) {
            let occurrence = recent.clone().find(|o| o.entity == possessor);
            if occurrence.is_none_or(&compatible) && self.is_compatible_person(possessor, gender) {
                return Some(possessor);
            }
        }
        let nearest = recent
            .clone()
            .find(|o| o.subject && compatible(o) && !reported_by_another(o));
        let sure = nearest.filter(|o| !certain(o)).and_then(|_| {
            self.occurrences_before(document, token, 1)
                .find(|o| o.subject && compatible(o) && certain(o) && !named_in_statement(o.entity))
        });
        sure.or(nearest)
            .or_else(|| {
                // Not a subject: only a name that is surely a person's (a
                // given name, a title or a known gender), never a lone
                // capitalised word (`the Burnley and Blackburn replay`).
                let near = self.occurrences_before(document, token, 1);
                near.clone()
                    .find(|o| compatible(o) && certain(o))
                    .or_else(|| {
                        near.clone()
                            .find(|o| compatible(o) && self.entities[o.entity].is_surely_person())
                    })
            })
            .map(|o| o.entity)
    }

    /// The person named, with a possessive, first in the sentence of
    /// `token` and before it, with a comma between (`Suu Kyi's fate is
    /// still unclear, but she`). Not one whose possessive names another
    /// person (`Jacques Chirac's spokesman, Denis Baudouin, ... when he
    /// said`, `Tenneco's Nance`), nor one in the statement (`Wall Street's
    /// massive turnover offers good liquidity, he added`).
    fn possessor_opening_sentence(&self, document: &Document, token: usize) -> Option<usize> {
        let tokens = &document.tokens;
        let sentence = tokens[token].sentence;
        let owns_person = |possessive: usize| {
            (possessive + 1..token)
                .take(MAX_POSSESSED_WORDS)
                .take_while(|&i| tokens[i].is_word() && !tokens[i].has(cues::VERB_FILLER))
                .any(|i| {
                    tokens[i].is_capitalized()
                        || tokens[i].has(
                            cues::ROLE_NOUN
                                | cues::TITLE
                                | cues::SPOKESPERSON
                                | cues::SOURCE_NOUN
                                | cues::MALE_NOUN
                                | cues::FEMALE_NOUN,
                        )
                })
        };
        let in_statement = |first: usize| self.statement.is_some_and(|(start, _)| start <= first);
        let opening = self
            .mentions
            .partition_point(|m| m.last < token.saturating_sub(MAX_POSSESSOR_DISTANCE));
        self.mentions[opening..]
            .iter()
            .zip(&self.mention_entity[opening..])
            .take_while(|(m, _)| m.last < token)
            .find_map(|(m, &entity)| {
                let opens = m.first == 0 || tokens[m.first - 1].sentence != sentence;
                let possessive = tokens[m.name_last].shape & POSSESSIVE != 0;
                let comma_between = (m.last + 1..token).any(|i| tokens[i].is(','));
                (tokens[m.first].sentence == sentence
                    && opens
                    && possessive
                    && comma_between
                    && !owns_person(m.name_last)
                    && !in_statement(m.first))
                .then_some(entity)
                .flatten()
            })
    }

    /// Whether `entity` is a person of a gender `gender` fits.
    fn is_compatible_person(&self, entity: usize, gender: Gender) -> bool {
        let entity = &self.entities[entity];
        entity.kind == SpeakerKind::Person && gender.fits(entity.gender)
    }

    /// `He called it his "masochism strategy" ... and now Tony Blair has
    /// signed up`, `But he denied ... Mr Brown said`: a person pronoun before
    /// any person of the article is named refers forward, to the first
    /// person of a compatible gender who is then a subject, in its
    /// paragraph or the next, and whom more than a capitalised word makes a
    /// person.
    fn cataphora(&self, document: &Document, token: usize, gender: Gender) -> Option<usize> {
        let before = self.occurrences.partition_point(|o| o.token < token);
        let person = |o: &Occurrence| self.entities[o.entity].kind == SpeakerKind::Person;
        if self.occurrences[..before].iter().any(person) {
            return None;
        }
        let paragraph = document.tokens[token].paragraph;
        self.occurrences[before..]
            .iter()
            .take_while(|o| o.paragraph <= paragraph + 1)
            .find(|o| {
                let entity = &self.entities[o.entity];
                o.subject
                    && entity.is_surely_person()
                    && (entity.gender == Gender::Unknown || entity.gender == gender)
            })
            .map(|o| o.entity)
    }

    /// The last entity mentioned before `token`, no more than `paragraphs`
    /// paragraphs back, that `matches` (given its index and the entity).
    fn last_mentioned(
        &self,
        document: &Document,
        token: usize,
        paragraphs: u32,
        matches: impl Fn(usize, &Entity) -> bool,
    ) -> Option<usize> {
        self.occurrences_before(document, token, paragraphs)
            .find(|o| matches(o.entity, &self.entities[o.entity]))
            .map(|o| o.entity)
    }

    /// The mentions before `token`, nearest first, no more than
    /// `paragraphs` paragraphs back.
    fn occurrences_before(
        &self,
        document: &Document,
        token: usize,
        paragraphs: u32,
    ) -> impl Iterator<Item = &Occurrence> + Clone {
        let paragraph = document.tokens[token].paragraph;
        let before = self.occurrences.partition_point(|o| o.token < token);
        self.occurrences[..before]
            .iter()
            .rev()
            .take_while(move |o| paragraph.saturating_sub(o.paragraph) <= paragraphs)
    }

    /// The occurrences before `token` in its sentence, nearest first.
    fn occurrences_in_sentence_before<'a>(
        &'a self,
        document: &'a Document,
        token: usize,
    ) -> impl Iterator<Item = &'a Occurrence> + Clone {
        let sentence = document.tokens[token].sentence;
        let before = self.occurrences.partition_point(|o| o.token < token);
        self.occurrences[..before]
            .iter()
            .rev()
            .take_while(move |o| document.tokens[o.token].sentence == sentence)
    }

    /// The last person mentioned before `token`, within twice the usual
    /// distance (a title is a strong cue), whose role `holds`.
    fn person_with_role(
        &self,
        document: &Document,
        token: usize,
        holds: impl Fn(&str) -> bool,
    ) -> Option<usize> {
        self.last_mentioned(document, token, ANTECEDENT_PARAGRAPHS * 2, |_, entity| {
            entity.kind == SpeakerKind::Person
                && match entity.role.as_deref() {
                    Some(role) => holds(role),
                    None => entity.known_roles.iter().any(|role| holds(role)),
                }
        })
    }

    /// Whether a person of the article is mentioned after token `first` and
    /// before token `last`.
    pub fn person_between(&self, first: usize, last: usize) -> bool {
        self.occurrences.iter().any(|o| {
            o.token > first && o.token < last && self.entities[o.entity].kind == SpeakerKind::Person
        })
    }

    /// The one person mentioned before `token` whose role `holds`, if
    /// exactly one is.
    fn only_person_with_role(&self, token: usize, holds: impl Fn(&str) -> bool) -> Option<usize> {
        let before = self.occurrences.partition_point(|o| o.token < token);
        let holders = self.occurrences[..before]
            .iter()
            .map(|o| o.entity)
            .filter(|&e| {
                let entity = &self.entities[e];
                entity.kind == SpeakerKind::Person && entity.role.as_deref().is_some_and(&holds)
            });
        one_entity(holders)
    }

    /// Sets the tokens (inclusive) of the statement whose speaker the next
    /// [`EntityTable::resolve`] looks for; `None` when there is none.
    pub fn set_statement(&mut self, statement: Option<(usize, usize)>) {
        self.statement = statement;
    }

    /// Gives each person of no role in the article the roles `roles_of`
    /// knows for them (from the aliases table's public figures).
    pub fn set_known_roles(&mut self, roles_of: impl Fn(&Entity) -> Vec<String>) {
        let known: Vec<Vec<String>> = self
            .entities
            .iter()
            .map(|entity| {
                if entity.kind == SpeakerKind::Person {
                    roles_of(entity)
                } else {
                    Vec::new()
                }
            })
            .collect();
        for (entity, roles) in self.entities.iter_mut().zip(known) {
            entity.known_roles = roles;
        }
    }

    /// `the minister` → the last person whose role says minister; `the
    /// department` → the last organisation whose name says department.
    fn role_antecedent(&self, document: &Document, token: usize, last: usize) -> Option<usize> {
        let head = &names::fold(document.word(last));
        // `the usda said` under `... - USDA`: the headline's subject by name.
        let named = (token + 1..=last)
            .filter(|&i| document.tokens[i].is_word())
            .map(|i| names::fold(document.word(i)))
            .collect::<Vec<_>>();
        let by_name = self.headline_named(|words| {
            !named.is_empty()
                && !document.tokens[last].has(cues::ROLE_NOUN | cues::BODY_HEAD)
                && named.iter().all(|w| words.contains(w))
        });
        if by_name.is_some() {
            return by_name;
        }
        let forms = cues::role_forms(head);
        if !forms.is_empty() {
            let modifiers = description_modifiers(document, token);
            // `the prime minister` is no `Deputy Prime Minister`: a lower
            // rank the description does not name.
            let lower_rank = |role: &str| {
                role.split([' ', '-']).any(|word| {
                    document.lexicon.is_lower_rank(word) && !named.iter().any(|w| w == word)
                })
            };
            let holds_form = |role: &str| {
                let role = names::fold(role);
                forms.iter().any(|f| role.contains(f.as_str())) && !lower_rank(&role)
            };
            // `The Vermont senator` after `Sen. Bernie Sanders, I-Vt.`: a
            // place the role does not carry still fits the article's only
            // holder of the role.
            let place_modifiers = !modifiers.is_empty()
                && (token + 1..last)
                    .filter(|&i| document.tokens[i].is_capitalized())
                    .all(|i| document.tokens[i].has(cues::PLACE));
            return self
                .person_with_role(document, token, |role| {
                    holds_form(role)
                        && modifiers
                            .iter()
                            .all(|m| names::fold(role).contains(m.as_str()))
                })
                .or_else(|| self.officer_just_named(document, token, last))
                .or_else(|| {
                    place_modifiers
                        .then(|| self.only_person_with_role(token, holds_form))
                        .flatten()
                });
        }
        let classes = document.lexicon.classes(head);
        if classes & cues::MEDIA_NOUN != 0 {
            // An outlet, or nobody: `the editorial` is no politician's; `the
            // NBC network` is named, not the outlet spoken of last (`the
            // English-language paper` is not).
            let named = (token + 1..last).any(|i| {
                let word = &document.tokens[i];
                word.is_capitalized()
                    && !word.has(cues::NATIONALITY)
                    && !document.word(i).contains('-')
            });
            return (!named)
                .then(|| self.news_outlet(document, token))
                .flatten();
        }
        // A head a body's name may carry (`the alliance` → `Countryside
        // Alliance`), or a noun for a company, which otherwise means the
        // company a business story is about.
        let company = classes & cues::COMPANY_NOUN != 0;
        if classes & cues::BODY_HEAD == 0 && !company {
            if classes & cues::BODY_NOUN != 0 && classes & cues::ROLE_NOUN == 0 {
                return self.document_author(document, token);
            }
            return self.description_antecedent(document, token, last);
        }
        // `JP Morgan said ... The bank said`: the body that spoke by name in
        // the sentence before goes on speaking, though a `Canal Bank` was
        // named earlier (after `the company said`, `the partnership` is
        // another body; after `Senate sources say`, `the bank` is the bank
        // the article names).
        let sentence = document.tokens[token].sentence;
        let just_spoke = company
            .then(|| {
                self.occurrences_before(document, token, 0)
                    .find(|o| o.speaker)
                    .filter(|o| {
                        let by_name = &document.tokens[o.token];
                        !o.spokesperson
                            && self.entities[o.entity].kind == SpeakerKind::Organization
                            && !self.entities[o.entity].is_union()
                            && by_name.is_capitalized()
                            && !by_name.has(cues::DETERMINER)
                            && sentence.saturating_sub(by_name.sentence) <= 1
                    })
                    .map(|o| o.entity)
            })
            .flatten();
        // `The United Auto Workers said ... The union said`: a body whose
        // name has the head, or ends as the head's bodies do.
        let endings = cues::head_names(head);
        let has_head = |_: usize, entity: &Entity| {
            entity.kind == SpeakerKind::Organization
                && (entity.keys.iter().any(|k| k == head)
                    || entity.keys.last().is_some_and(|k| endings.contains(k)))
        };
        just_spoke
            .or_else(|| self.last_mentioned(document, token, ANTECEDENT_PARAGRAPHS, has_head))
            // `the Labor Department said ... the department said` six
            // paragraphs on: the one body of that head the article names
            // (a government is settled by its country).
            .or_else(|| {
                if classes & cues::GOVERNMENT_NOUN != 0 {
                    return None;
                }
                one_entity(
                    self.occurrences_before(document, token, u32::MAX)
                        .map(|o| o.entity)
                        .filter(|&e| has_head(e, &self.entities[e])),
                )
            })
            .or_else(|| {
                company
                    .then(|| self.salient_organization_where(document, token, |e| !e.is_union()))
                    .flatten()
            })
            // `The department noted` under `USDA REPORTS ...` (the US
            // Department of Agriculture), when no body of the article is one.
            .or_else(|| {
                let bodies = self.occurrences.iter().any(|o| {
                    self.entities[o.entity].kind == SpeakerKind::Organization
                        && self.entities[o.entity].keys.iter().any(|k| k == head)
                });
                (!bodies)
                    .then(|| self.headline_named(|words| words.iter().any(|w| w == head)))
                    .flatten()
            })
    }

    /// `The dollar rose after the Federal Reserve head said ... And Alan
    /// Greenspan highlighted`, `..., the lord chancellor has said. ... Lord
    /// Falconer said`: a definite role of one person in the article's first
    /// paragraph that nothing before it names is the first person a later
    /// sentence of the next two paragraphs makes its subject, when that one
    /// holds the role, or holds none and a given name or gender makes them a
    /// person. Bodies' nouns stay unresolved: after `..., the department
    /// said` a wire story goes on about the company.
    fn named_after_lead(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let head = &tokens[mention.last];
        let word = names::fold(document.word(mention.last));
        let definite = document.word(mention.first).eq_ignore_ascii_case("the")
            || tokens[mention.first].shape & POSSESSIVE != 0;
        let one_person = head.has(cues::ROLE_NOUN)
            && !head.has(cues::BODY_NOUN | cues::BODY_HEAD)
            && !word.ends_with('s');
        if head.paragraph != 0 || !definite || !one_person {
            return None;
        }
        let forms = cues::role_forms(&word);
        let fits = |entity: &Entity| {
            let holds_role = entity.role.as_deref().map(|role| {
                let role = names::fold(role);
                forms.iter().any(|form| role.contains(form.as_str()))
            });
            let named_person = entity.gender != Gender::Unknown
                || entity.keys.len() > 1 && names::is_given_name(&entity.keys[0]);
            entity.kind == SpeakerKind::Person && holds_role.unwrap_or(named_person)
        };
        let sentence = head.sentence;
        let after = self
            .occurrences
            .partition_point(|o| o.token <= mention.last);
        self.occurrences[after..]
            .iter()
            .take_while(|o| o.paragraph <= head.paragraph + 2)
            .find(|o| o.subject && tokens[o.token].sentence > sentence)
            .filter(|o| fits(&self.entities[o.entity]))
            .map(|o| o.entity)
    }

    /// `The Texas attorney general said ...` before `Greg Abbott, Texas
    /// attorney general`: a definite role of one person (a singular role
    /// noun or title after another word) is the one person of the article,
    /// named after it, whose role is written in the same words (not `the
    /// home secretary` for a `Shadow home secretary`).
    fn role_holder_named_after(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let head = &tokens[mention.last];
        let definite = document.word(mention.first).eq_ignore_ascii_case("the");
        let one_person = head.has(cues::ROLE_NOUN | cues::TITLE)
            && !head.has(cues::BODY_NOUN | cues::BODY_HEAD | cues::PERSON_DESCRIPTION)
            && !document.word(mention.last).ends_with('s');
        // One word (`the minister`) names too many people.
        if !definite || !one_person || mention.last < mention.first + 2 {
            return None;
        }
        let written = names::fold(document.slice(mention.first + 1, mention.last));
        let holders = self.occurrences.iter().map(|o| o.entity).filter(|&e| {
            let entity = &self.entities[e];
            entity.kind == SpeakerKind::Person
                && entity
                    .role
                    .as_deref()
                    .is_some_and(|role| names::fold(role) == written)
        });
        one_entity(holders).filter(|&holder| {
            self.occurrences
                .iter()
                .any(|o| o.entity == holder && o.token > mention.last)
        })
    }

    /// `The finance ministry appears ready ... a ministry official said`: a
    /// body's head alone (`ministry`, lowercase, no domain word before it)
    /// is the body the article last named by a domain and that head, in
    /// lowercase ([`Self::domain_body`] of that phrase), when the gazetteer
    /// names that body per country.
    fn domain_body_before(&mut self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let mut head = mention.last;
        if head > mention.first && tokens[head].has(cues::SPOKESPERSON) {
            head -= 1;
        }
        let bare = tokens[head].has(cues::BODY_HEAD)
            && !tokens[head].is_capitalized()
            && !(mention.first..head).any(|i| tokens[i].has(cues::TITLE_MODIFIER));
        if !bare {
            return None;
        }
        let word = names::fold(document.word(head));
        let domain = |i: usize| is_domain_word(document, i);
        let earlier = (1..mention.first).rev().find(|&i| {
            !tokens[i].is_capitalized() && names::fold(document.word(i)) == word && domain(i - 1)
        })?;
        let mut first = earlier - 1;
        while first > 0 && domain(first - 1) {
            first -= 1;
        }
        // A body the gazetteer names per country (`finance ministry`), not
        // a kind of body (`a trade association`).
        BUILT_IN.contextual(&document.slice(first, earlier).to_lowercase())?;
        let phrase = Mention {
            first,
            last: earlier,
            kind: MentionKind::Descriptor,
            written: None,
        };
        self.domain_body(document, &phrase)
    }

    /// `the newspaper said`, `the editorial said`: the news outlet last
    /// named before `token`, a few paragraphs back at most (`the paper` far
    /// from any outlet is a document's): an organisation whose
    /// name ends like an outlet's (`The Advocate`, `Wall Street Journal`) or
    /// that the article writes beside a media noun (`Rolling Stone
    /// magazine`, `the Mercurio newspaper`).
    fn news_outlet(&self, document: &Document, token: usize) -> Option<usize> {
        // Not the agency a statement was made to (`told Reuters`).
        self.occurrences_before(document, token, ANTECEDENT_PARAGRAPHS)
            .find(|o| {
                let entity = &self.entities[o.entity];
                entity.kind == SpeakerKind::Organization
                    && entity.is_news_outlet(document)
                    && !hearer_at(document, o.token)
            })
            .map(|o| o.entity)
    }

    /// Makes the news outlets taken for people organisations: `Advocate`
    /// (a name ending like an outlet's, that nothing else makes a person),
    /// `Mercurio` of `the Mercurio newspaper` (written beside a media noun),
    /// `the Orlando Sentinel reported` (ending like an outlet's, between a
    /// determiner and a speech verb), each with no role or gender.
    fn settle_news_outlets(&mut self, document: &Document) {
        for entity in &mut self.entities {
            let outlet = entity.kind == SpeakerKind::Person
                && entity.role.is_none()
                && entity.gender == Gender::Unknown
                && (entity.keys.len() == 1 && entity.has_media_name(document)
                    || entity.written_beside_media_noun(document)
                    || entity.has_media_name(document)
                        && entity.written_reporting_after_determiner(document));
            if outlet {
                entity.kind = SpeakerKind::Organization;
            }
        }
    }

    /// `the Tokyo police`, `Cosenza police said`, `the City of London
    /// police`: a place's body (no government, no company), named as
    /// written.
    fn place_body(&mut self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let last = mention.last;
        let head = &tokens[last];
        let place_first = mention.first + usize::from(tokens[mention.first].has(cues::DETERMINER));
        // `a Manila newspaper`, `a Dallas court`: one of several, no one body.
        let place_body = !tokens[mention.first].has(cues::INDEFINITE)
            && last > place_first
            && head.has(cues::BODY_HEAD)
            && !head.has(cues::GOVERNMENT_NOUN | cues::COMPANY_NOUN)
            && !head.is_capitalized()
            && (place_first..last).any(|i| tokens[i].has(cues::PLACE))
            && (place_first..last).all(|i| {
                tokens[i].is_word()
                    && tokens[i].shape & POSSESSIVE == 0
                    && !tokens[i].has(cues::TITLE)
                    && (tokens[i].is_capitalized() || document.word(i) == "of")
            })
            && tokens[place_first].is_capitalized();
        place_body.then(|| {
            let name = document.slice(place_first, last).to_owned();
            self.body_entity(document, place_first, last, name)
        })
    }

    /// `the Commons science and technology committee added`, `the House
    /// intelligence committee`: a definite description of a body (no
    /// government) whose first word is a capitalised name (no nationality or
    /// place: `the French agriculture ministry` is settled by the gazetteer)
    /// and the rest lowercase is that body, named as written (a new entity
    /// when the article has none of that name).
    fn body_named_in_lowercase(&mut self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let (mut first, last) = (mention.first + 1, mention.last);
        let definite = document.word(mention.first).eq_ignore_ascii_case("the");
        let head = &tokens[last];
        // `the influential Mercurio newspaper`: an outlet named by its
        // capitalised words, whatever lowercase words describe it.
        if head.has(cues::MEDIA_NOUN) && definite {
            let name = (first..last).find(|&i| tokens[i].is_capitalized());
            if let Some(name) = name.filter(|&n| {
                (first..n).all(|i| tokens[i].is_word() && !tokens[i].has(cues::NATIONALITY))
                    && (n..last).all(|i| tokens[i].is_capitalized() && tokens[i].is_word())
            }) {
                first = name;
                let name = document.slice(first, last - 1).to_owned();
                return Some(self.body_entity(document, first, last - 1, name));
            }
            // `the People's Daily domestic edition`: an outlet the article
            // names, then lowercase words.
            if let Some(name) = name {
                let mut name_end = name;
                while name_end + 1 < last && tokens[name_end + 1].is_capitalized() {
                    name_end += 1;
                }
                let outlet = self.name_at(name, name_end).filter(|&e| {
                    self.entities[e].kind == SpeakerKind::Organization
                        && self.entities[e].is_news_outlet(document)
                });
                if outlet.is_some() && (name_end + 1..last).all(|i| tokens[i].is_word()) {
                    return outlet;
                }
            }
        }
        if let Some(body) = self.place_body(document, mention) {
            return Some(body);
        }
        // `the Argentine grain board`: a nationality opens a country's body
        // (a word between, so that `the German regulator` stays a
        // description).
        let national =
            tokens[first].has(cues::NATIONALITY) && !tokens[first].has(cues::PLACE | cues::TITLE);
        // `the Trump campaign`: one capitalised word is enough for a body
        // that is not a country's.
        let named = definite
            && (first + 1 < last || !national)
            && head.has(cues::BODY_HEAD)
            && !head.has(cues::GOVERNMENT_NOUN | cues::COMPANY_NOUN)
            && tokens[first].is_capitalized()
            && (national || !tokens[first].has(cues::NATIONALITY | cues::PLACE | cues::TITLE))
            && tokens[first].shape & POSSESSIVE == 0
            && (first + 1..=last).all(|i| tokens[i].is_word() && !tokens[i].is_capitalized());
        if !named {
            return None;
        }
        // A country's body takes the capitals its proper name has (`the
        // Japanese finance ministry` is the `Japanese Finance Ministry` other
        // articles write); any other keeps the article's writing.
        let name = if national {
            (first..=last)
                .map(|i| capitalize(document.word(i)))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            document.slice(first, last).to_owned()
        };
        Some(self.body_entity(document, first, last, name))
    }

    /// `the Venezuelan company` after `Petroleos de Venezuela` and `Union
    /// Pacific`: a company noun after a demonym is the one organisation of
    /// the article of that country (by its name, or as the gazetteer knows
    /// it), when there is exactly one.
    fn national_company(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let head = mention.last;
        let demonym = head.checked_sub(1).filter(|&d| d >= mention.first)?;
        if !tokens[head].has(cues::COMPANY_NOUN) || !tokens[demonym].has(cues::NATIONALITY) {
            return None;
        }
        let country = BUILT_IN.country_of_demonym(&names::fold(document.word(demonym)))?;
        let country_key = names::fold(country);
        let of_country = |entity: &Entity| {
            entity.kind == SpeakerKind::Organization
                && (entity.keys.contains(&country_key)
                    || BUILT_IN
                        .lookup(&entity.name)
                        .and_then(|known| known.country.as_deref())
                        == Some(country))
        };
        let mut found = (0..self.entities.len()).filter(|&e| of_country(&self.entities[e]));
        match (found.next(), found.next()) {
            (Some(company), None) => Some(company),
            _ => None,
        }
    }

    /// `the prime minister's official spokesman`, `the president's
    /// spokesman`: a spokesperson of an office speaks for the person the
    /// article gives that office.
    fn holder_spoken_for(&self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        if !tokens[mention.last].has(cues::SPOKESPERSON) {
            return None;
        }
        let office = (mention.first..mention.last).find(|&i| tokens[i].shape & POSSESSIVE != 0)?;
        let classes = document
            .lexicon
            .classes(&names::fold(document.word(office)));
        if classes & (cues::ROLE_NOUN | cues::TITLE) == 0 || tokens[office].is_capitalized() {
            return None;
        }
        let holder = self.role_antecedent(document, mention.first, office)?;
        // The holder's role has every word of the office (`prime minister`,
        // not `Home Office Minister`).
        let entity = &self.entities[holder];
        let roles: Vec<String> = entity
            .role
            .iter()
            .chain(&entity.known_roles)
            .map(|role| names::fold(role))
            .collect();
        let holds = (mention.first..=office)
            .filter(|&i| !tokens[i].has(cues::DETERMINER))
            .map(|i| names::fold(document.word(i)))
            .all(|word| {
                roles
                    .iter()
                    .any(|role| role.split_whitespace().any(|w| w == word))
            });
        (entity.kind == SpeakerKind::Person && holds).then_some(holder)
    }

    /// `the finance ministry`, `a foreign ministry statement`, `defence
    /// ministry officials`: a body named in lowercase by its domain (title
    /// modifiers, then a body's head) and no owner is a body of the
    /// article's country, written with the capitals of a proper name
    /// (`Finance Ministry`; the country's own name for it comes later, from
    /// the gazetteer's contextual names).
    fn domain_body(&mut self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let mut first = mention.first;
        if tokens[first].has(cues::DETERMINER) {
            first += 1;
        }
        let mut head = mention.last;
        if head > first
            && (tokens[head].has(cues::SPOKESPERSON) || is_document_noun(document, head))
        {
            head -= 1;
        }
        let body_head = tokens[head].has(cues::BODY_HEAD)
            && tokens[head].has(cues::ORGANIZATION_HEAD)
            && !tokens[head].has(cues::GOVERNMENT_NOUN | cues::COMPANY_NOUN | cues::MEDIA_NOUN);
        let domain = (first..head).all(|i| is_domain_word(document, i));
        // `a central bank spokesman`: a body the gazetteer names per country
        // (`Central Bank`: the Bundesbank in Germany), whatever its head.
        // Not when the article names a body of that head (`Bank of Canada
        // ... the central bank`): that one is meant.
        let named_body = || {
            let head_word = names::fold(document.word(head));
            let phrase_keys: Vec<String> = (first..=head)
                .map(|i| names::fold(document.word(i)))
                .collect();
            self.entities.iter().any(|e| {
                e.kind == SpeakerKind::Organization
                    && e.keys != phrase_keys
                    && e.keys.contains(&head_word)
            })
        };
        let choices = (head > first
            && (first..=head).all(|i| !tokens[i].is_capitalized() || document.opens_sentence(i)))
        .then(|| BUILT_IN.contextual(&document.slice(first, head).to_lowercase()))
        .flatten()
        .filter(|_| !named_body());
        // `The Bundesbank set a new tender ..., a central bank spokesman
        // said`: the one body of the article that the phrase may mean.
        let meant: Vec<usize> = choices.map_or_else(Vec::new, |choices| {
            (0..self.entities.len())
                .filter(|&e| {
                    let entity = &self.entities[e];
                    entity.kind == SpeakerKind::Organization
                        && choices
                            .iter()
                            .any(|(_, body)| names::fold(body) == names::fold(&entity.name))
                })
                .collect()
        });
        if let [meant] = meant[..] {
            if !tokens[head].is_capitalized() {
                return Some(meant);
            }
        }
        // Else only when the article names a country the gazetteer has that
        // body for: a `Central Bank` of no country would be one identity for
        // all.
        let contextual = choices.is_some_and(|choices| {
            choices
                .iter()
                .any(|(country, _)| document.text.contains(country.as_str()))
        });
        if head <= first || tokens[head].is_capitalized() || !(body_head && domain || contextual) {
            return None;
        }
        let name = (first..=head)
            .map(|i| capitalize(document.word(i)))
            .collect::<Vec<_>>()
            .join(" ");
        Some(self.body_entity(document, first, head, name))
    }

    /// `a spokesman for the City of London police`: the body named in
    /// lowercase after a spokesperson's `for` (or `at`, `of`, `with`).
    fn body_spoken_for(&mut self, document: &Document, mention: &Mention) -> Option<usize> {
        let tokens = &document.tokens;
        let spokesperson =
            (mention.first..mention.last).find(|&i| tokens[i].has(cues::SPOKESPERSON))?;
        let connector = spokesperson + 1;
        if !joins_spokesperson_to_body(document.word(connector)) || connector >= mention.last {
            return None;
        }
        let body = Mention {
            first: connector + 1,
            last: mention.last,
            kind: MentionKind::RoleNoun,
            written: None,
        };
        // `a spokesman for the utility`: the body the article named (not
        // `the supporters club`, a body of its own).
        let head = &tokens[mention.last];
        let definite_body = body.first + 1 == body.last
            && document.word(body.first).eq_ignore_ascii_case("the")
            && head.has(cues::BODY_HEAD | cues::COMPANY_NOUN)
            && !head.has(cues::ROLE_NOUN);
        self.body_named_in_lowercase(document, &body).or_else(|| {
            definite_body
                .then(|| self.role_antecedent(document, body.first, body.last))
                .flatten()
        })
    }

    /// The organisation the words `first..=last` name (`name` as it is to
    /// be shown): the entity of those words, or a new one.
    fn body_entity(
        &mut self,
        document: &Document,
        first: usize,
        last: usize,
        name: String,
    ) -> usize {
        let keys: Vec<String> = (first..=last)
            .map(|i| names::fold(document.word(i)))
            .collect();
        self.body_entity_of_keys(keys, name)
    }

    /// `Trump's campaign`, `her campaign` (`head`, owned by the entity
    /// `owner` written at `owner_token`): the body named after a person, by
    /// their surname, as `the Trump campaign` names it; `None` when the
    /// owner is no person or the head names no such body. The person stays
    /// the subject there for a `he` that follows.
    fn body_of_person(
        &mut self,
        document: &Document,
        owner_token: usize,
        head: usize,
        owner: usize,
    ) -> Option<usize> {
        let person = &self.entities[owner];
        if !document.tokens[head].has(cues::OWNED_BODY) || person.kind != SpeakerKind::Person {
            return None;
        }
        let surname = person
            .name
            .split_whitespace()
            .rev()
            .find(|word| {
                !matches!(
                    word.trim_end_matches('.'),
                    "Jr" | "Sr" | "II" | "III" | "IV"
                )
            })?
            .to_owned();
        // `African American` taken for a person names no one's campaign.
        let folded = names::fold(&surname);
        if document.lexicon.classes(&folded) & (cues::NATIONALITY | cues::PLACE) != 0 {
            return None;
        }
        let noun = document.word(head).to_lowercase();
        let keys = vec![folded, names::fold(&noun)];
        let body = self.body_entity_of_keys(keys, format!("{surname} {noun}"));
        if !self.person_bodies.contains(&(body, owner)) {
            self.person_bodies.push((body, owner));
        }
        self.insert_occurrence(document, owner_token, owner, false);
        Some(body)
    }

    /// The organisation whose name's folded words are `keys`, or a new one
    /// shown as `name`.
    fn body_entity_of_keys(&mut self, keys: Vec<String>, name: String) -> usize {
        if let Some(known) = self.entities.iter().position(|e| e.keys == keys) {
            return known;
        }
        self.entities.push(Entity {
            name: name.clone(),
            role: None,
            affiliation: None,
            kind: SpeakerKind::Organization,
            gender: Gender::Unknown,
            forms: vec![name],
            keys,
            described_role: false,
            role_in_apposition: false,
            known_roles: Vec::new(),
        });
        self.entities.len() - 1
    }

    /// `The Fabian Society's Sundar Katwala said ... The political reform
    /// group's general secretary told BBC Radio`: a role of a body written
    /// with its possessive, when no one of the article holds it, is the
    /// person of no role last spoken of in this paragraph (the description
    /// adds the role the name came without).
    fn officer_just_named(&self, document: &Document, token: usize, last: usize) -> Option<usize> {
        let of_a_body = (token..last).any(|i| document.tokens[i].shape & POSSESSIVE != 0);
        if !of_a_body {
            return None;
        }
        let paragraph = document.tokens[token].paragraph;
        let before = self.occurrences.partition_point(|o| o.token < token);
        let candidate = self.occurrences[..before]
            .iter()
            .rev()
            .take_while(|o| o.paragraph == paragraph)
            .find(|o| {
                self.entities[o.entity].kind == SpeakerKind::Person && (o.subject || o.speaker)
            })?;
        let entity = &self.entities[candidate.entity];
        (entity.role.is_none() && entity.is_surely_person()).then_some(candidate.entity)
    }

    /// `A report by Datamonitor ... the report said`: a document noun (no
    /// description of a person) is the last organisation named in this
    /// paragraph or the one before, or a lone capitalised word that no
    /// title, gender or given name makes a person (`Gartner`).
    fn document_author(&self, document: &Document, token: usize) -> Option<usize> {
        // A lone word that only opens sentences (`Globally`, `Realising`)
        // is no name.
        let mid_sentence = |entity: usize| {
            self.occurrences.iter().any(|o| {
                o.entity == entity
                    && o.token > 0
                    && document.tokens[o.token - 1].sentence == document.tokens[o.token].sentence
            })
        };
        self.last_mentioned(document, token, 1, |index, entity| match entity.kind {
            SpeakerKind::Organization => true,
            SpeakerKind::Person => {
                entity.keys.len() == 1
                    && entity.role.is_none()
                    && entity.gender == Gender::Unknown
                    && mid_sentence(index)
            }
            _ => false,
        })
    }

    /// `Britain's Paula Radcliffe has also not ruled out competing. "..."
    /// said the two-time champion`: a definite description that is no title
    /// (`the minister` with no minister named stays unresolved) is a person
    /// just spoken of — one mentioned as a subject in this paragraph or the
    /// one before (the nearest of the two that has one), who carries no
    /// other title (a titled person is referred to by it). Of several, the
    /// article's topic: the one it has
    /// mentioned most so far (`Trump called on Mayor Bill de Blasio ... De
    /// Blasio disbanded the unit. "...," the Republican presidential
    /// candidate said` is Trump), the most recent on a tie.
    fn description_antecedent(
        &self,
        document: &Document,
        token: usize,
        last: usize,
    ) -> Option<usize> {
        let paragraph = document.tokens[token].paragraph;
        let before = self.occurrences.partition_point(|o| o.token < token);
        let earlier = &self.occurrences[..before];
        // A head that surely describes a person: a role noun or title (`the
        // candidate`, `the two-time champion`), a nationality (`the
        // Moroccan`), a party member (`the self-described democratic
        // socialist`) or an age or record (`the 31-year-old`). Any other
        // (`the prop`, `the magazine`) is only the last person spoken of,
        // when no title of theirs would have been used instead.
        let head_token = &document.tokens[last];
        let role_head = head_token.has(cues::ROLE_NOUN | cues::TITLE);
        let head_word = document.word(last);
        let personal = role_head
            || head_token.has(cues::NATIONALITY | cues::PARTY_MEMBER)
            || head_word.contains('-')
            || head_word.chars().any(|c| c.is_ascii_digit());
        if !personal {
            let candidate = earlier
                .iter()
                .rev()
                .take_while(|o| paragraph.saturating_sub(o.paragraph) <= 1)
                .filter(|o| self.entities[o.entity].kind == SpeakerKind::Person)
                .find(|o| o.subject || o.speaker)?;
            let entity = &self.entities[candidate.entity];
            return entity.role.is_none().then_some(candidate.entity);
        }
        // The candidates of the nearest paragraph that has any: this one
        // (`Britain's Paula Radcliffe ... said the two-time champion`), else
        // the one before.
        let mut candidates: Vec<usize> = Vec::new();
        let mut nearest = None;
        for occurrence in earlier
            .iter()
            .rev()
            .take_while(|o| paragraph.saturating_sub(o.paragraph) <= 1)
        {
            let entity = &self.entities[occurrence.entity];
            if entity.kind == SpeakerKind::Person
                && (occurrence.subject || occurrence.speaker)
                && *nearest.get_or_insert(occurrence.paragraph) == occurrence.paragraph
                && !candidates.contains(&occurrence.entity)
            {
                candidates.push(occurrence.entity);
            }
        }
        let mentions = |entity: usize| earlier.iter().filter(|o| o.entity == entity).count();
        // A description headed by a role noun (`candidate`) is no one titled
        // otherwise (`Mayor Bill de Blasio`).
        let head = names::fold(document.word(last));
        // A party member (`the Republican`) is described by affiliation.
        let by_role = role_head && !head_token.has(cues::PARTY_MEMBER | cues::PERSON_DESCRIPTION);
        let fits = |entity: usize| {
            let entity = &self.entities[entity];
            match &entity.role {
                Some(role) if by_role && !entity.role_in_apposition => {
                    names::fold(role).contains(head.as_str())
                }
                _ => true,
            }
        };
        // An age (`the 20-year-old`) or a description (`the Tottenham
        // striker`) is told of the person just spoken of (`Minar, ranked
        // 158th, was forced ... said the 20-year-old`, `Matchwinner Keane was
        // full of praise ... said the Tottenham striker`), not the one spoken
        // of most.
        if head_word.chars().any(|c| c.is_ascii_digit()) || head_token.has(cues::PERSON_DESCRIPTION)
        {
            return candidates.into_iter().find(|&e| fits(e));
        }
        // `max_by_key` keeps the last maximum: reverse so ties go to the most recent.
        candidates
            .into_iter()
            .filter(|&e| fits(e))
            .rev()
            .max_by_key(|&e| mentions(e))
    }

    /// `National said` after `National Data Communications Inc`: a word that
    /// is no name by itself (a title word, a common word) naming the one
    /// organisation of the article whose name starts with it.
    fn body_named_by(&self, document: &Document, first: usize, last: usize) -> Option<usize> {
        if first != last {
            return None;
        }
        let key = names::fold(document.word(first));
        let mut bodies = (0..self.entities.len()).filter(|&e| {
            let entity = &self.entities[e];
            entity.kind == SpeakerKind::Organization
                && entity.keys.len() >= 2
                && entity.keys[0] == key
        });
        let body = bodies.next()?;
        bodies.next().is_none().then_some(body)
    }

    /// `Her lawsuit`, `its report`: the owner of a document is a possessive
    /// pronoun; it resolves like the pronoun.
    fn owner_pronoun(&mut self, document: &Document, owner: usize) -> Option<usize> {
        let gender = match document.word(owner).to_lowercase().as_str() {
            "his" => Gender::Male,
            "her" => Gender::Female,
            "its" => return self.salient_organization(document, owner),
            _ => return None,
        };
        // `Trump in his announcement speech`: a person named earlier in the
        // same sentence owns it, subject or not: its subject, else the first
        // person it names (`Madeleine Albright, a Clinton supporter, fanned
        // controversy over her remark`), and no lone capitalised word that is
        // no subject (`the shootings in San Bernardino, Calif., and his
        // call`).
        let in_sentence = || {
            self.occurrences_in_sentence_before(document, owner)
                .filter(|o| self.is_compatible_person(o.entity, gender))
        };
        in_sentence()
            .find(|o| o.subject)
            .or_else(|| {
                in_sentence()
                    .filter(|o| self.entities[o.entity].is_surely_person())
                    .last()
            })
            .map(|o| o.entity)
            .or_else(|| self.antecedent(document, owner, gender))
    }
}

impl EntityTable {
    /// `外交部发言人` / `首相` alone: the last person whose role has the same
    /// role word (`中国外交部发言人汪文斌` before).
    fn cjk_role_antecedent(&self, document: &Document, token: usize, role: &str) -> Option<usize> {
        let head = cjk::role_suffix(role)?;
        self.person_with_role(document, token, |role| role.contains(head))
    }
}

/// `the Tory leader`, `the Labour leader`: the capitalised words of a
/// definite description (folded), from `token` (its determiner) to its
/// head. A person it refers to by a role must have them in that role.
fn description_modifiers(document: &Document, token: usize) -> Vec<String> {
    let tokens = &document.tokens;
    (token + 1..tokens.len())
        .take_while(|&i| tokens[i].is_word() && tokens[i].sentence == tokens[token].sentence)
        .take_while(|&i| {
            !tokens[i].has(cues::ROLE_NOUN | cues::TITLE) || tokens[i].is_capitalized()
        })
        .filter(|&i| tokens[i].is_capitalized() && !tokens[i].has(cues::TITLE | cues::ROLE_NOUN))
        .map(|i| names::fold(document.word(i)))
        .collect()
}

/// `word` with its first letter in capitals (`ministry` → `Ministry`).
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Most tokens of a quote searched back from its cue's pronoun.
const MAX_QUOTE_SCAN: usize = 80;

/// Whether the quote that closes right before the pronoun at `token`
/// (`“...,” he said`) speaks of someone of `gender` in the third person
/// (`he`, `his`, `him`; `she`, `her`).
fn quote_speaks_of(document: &Document, token: usize, gender: Gender) -> bool {
    let tokens = &document.tokens;
    let is_mark = |i: usize| matches!(tokens[i].punct(), Some('"' | '“' | '”'));
    let Some(close) = (token.saturating_sub(3)..token).rev().find(|&i| is_mark(i)) else {
        return false;
    };
    (close.saturating_sub(MAX_QUOTE_SCAN)..close)
        .rev()
        .take_while(|&i| !is_mark(i))
        .any(|i| {
            let word = document.word(i).to_lowercase();
            let word = word.split('\'').next().unwrap_or_default();
            let word = word.split('’').next().unwrap_or_default();
            third_person_gender(word) == Some(gender)
        })
}

/// Whether every word of `role` names a place or a nationality (`U.S.` of
/// `U.S. Dlrs`, `West German`): no person's role, only where a name is from.
fn is_place_words(document: &Document, role: &str) -> bool {
    role.split_whitespace().all(|word| {
        document.lexicon.classes(&names::fold(word)) & (cues::PLACE | cues::NATIONALITY) != 0
    })
}

/// The gender of an English third-person pronoun in any case (`he`, `him`,
/// `his`, `himself`; `she`, `her`, `hers`, `herself`).
fn third_person_gender(word: &str) -> Option<Gender> {
    match word {
        "he" | "him" | "his" | "himself" => Some(Gender::Male),
        "she" | "her" | "hers" | "herself" => Some(Gender::Female),
        _ => None,
    }
}

/// The gender a pronoun refers to (`he`, `elle`, `a-t-il`, `她`, `彼女`),
/// if it is a person pronoun.
fn pronoun_gender(word: &str) -> Option<Gender> {
    match word {
        "he" | "er" | "il" | "él" | "他" | "彼" => Some(Gender::Male),
        "she" | "sie" | "elle" | "ella" | "她" | "彼女" => Some(Gender::Female),
        _ if word.ends_with("-il") => Some(Gender::Male),
        _ if word.ends_with("-elle") => Some(Gender::Female),
        _ => None,
    }
}

/// The gender the language file gives a person pronoun (`male_pronouns`,
/// `female_pronouns` of `config/lang/`), if it gives one.
fn pronoun_gender_of_class(classes: cues::WordClass) -> Option<Gender> {
    names::gender_of_classes(classes, cues::MALE_PRONOUN, cues::FEMALE_PRONOUN)
}

/// Whether the name of `mention` is written in CJK characters.
fn is_cjk_name(document: &Document, mention: &NameMention) -> bool {
    document.tokens[mention.name_first].shape & CJK != 0
}

/// Of `candidates` (entities), the one mentioned last before mention
/// `before`, else the first mentioned after it.
fn most_recent(candidates: &[usize], mentions_of: &[Vec<usize>], before: usize) -> Option<usize> {
    let latest_before = candidates
        .iter()
        .filter_map(|&entity| {
            let mentions = &mentions_of[entity];
            let at = mentions.partition_point(|&m| m < before);
            at.checked_sub(1).map(|i| (mentions[i], entity))
        })
        .max();
    let earliest_after = || {
        candidates
            .iter()
            .filter_map(|&entity| {
                let mentions = &mentions_of[entity];
                let at = mentions.partition_point(|&m| m < before);
                mentions.get(at).map(|&m| (m, entity))
            })
            .min()
    };
    latest_before
        .or_else(earliest_after)
        .map(|(_, entity)| entity)
}

/// `De Blasio` after `Bill de Blasio`, `Lee Scott` beside `H. Lee Scott`:
/// a person's name of two words or more that ends another person name of
/// the article is that name, when only one fuller name (by its words) ends
/// with it and that name opens with a given name or an initial, or the
/// shorter one with a particle (`Le Pen` is `Marine Le Pen`; never `Joining
/// Vera Drake`, `West Berlin`).
fn fuller_person_name<'k>(
    document: &Document,
    mentions: &[NameMention],
    all_keys: &'k [Vec<String>],
    keys: &'k [String],
) -> &'k [String] {
    // `Le Pen` after `Marine Le Pen`: a surname with its particle is no
    // given name, whatever the first word of the fuller name.
    let particle_surname = keys
        .first()
        .is_some_and(|k| document.lexicon.classes(k) & cues::NAME_PARTICLE != 0);
    let mut fuller = all_keys
        .iter()
        .zip(mentions)
        .filter(|(other, mention)| {
            mention.kind == SpeakerKind::Person
                && other.len() > keys.len()
                && other.ends_with(keys)
                && (particle_surname
                    // `Prime Minister Anibal Cavaco Silva`: after a title
                    // the name opens with a given name, listed or not.
                    || mention.name_first > mention.first
                    || BUILT_IN.is_given_name(&other[0])
                    || other[0].trim_end_matches('.').chars().count() == 1)
        })
        .map(|(other, _)| other.as_slice());
    match fuller.next() {
        Some(first) if fuller.all(|other| other == first) => first,
        _ => keys,
    }
}

/// Folded name words of a mention (role words left out; `the` dropped from organisations).
fn name_keys(document: &Document, mention: &NameMention) -> Vec<String> {
    if is_cjk_name(document, mention) {
        // CJK names have no spaces: surname and given name when they are
        // told apart, else the whole name.
        return match mention.given {
            Some(given) if given > mention.name_first && given <= mention.name_last => vec![
                names::fold(document.slice(mention.name_first, given - 1)),
                names::fold(document.slice(given, mention.name_last)),
            ],
            _ => vec![names::fold(
                document.slice(mention.name_first, mention.name_last),
            )],
        };
    }
    (mention.name_first..=mention.name_last)
        .filter(|&i| !names::is_nickname_mark(document, i))
        .map(|i| names::fold(document.word(i)))
        .filter(|k| k != "the")
        .collect()
}

/// The body a mention ties its person to (`of the JCWI`, `Bank of Japan` in
/// `Bank of Japan Governor`).
fn affiliation_of(document: &Document, mention: &NameMention) -> Option<String> {
    let (first, last) = mention.affiliation?;
    let body = names::display(document.slice(first, last));
    Some(body.strip_prefix("the ").unwrap_or(body).to_owned())
}

/// The role words before a name (`Chinese Foreign Minister`), honorifics
/// and the affiliation left out.
fn role_of(document: &Document, mention: &NameMention) -> Option<String> {
    if let Some((first, last)) = mention.role {
        return Some(document.slice(first, last).to_owned());
    }
    if !mention.has_role() {
        return None;
    }
    let role_first = match mention.affiliation {
        Some((first, last)) if first == mention.first && last + 1 < mention.name_first => last + 1,
        _ => mention.first,
    };
    // Forms of address are no role (`Mr`, `Dr Guy Cumberbatch`, and the
    // `Lord` of `Lord Chancellor Lord Falconer`).
    let is_address = |index: usize| {
        let word = document.word(index);
        BUILT_IN.is_honorific_word(word) || word.eq_ignore_ascii_case("the")
    };
    let mut role_last = mention.name_first - 1;
    while role_last > role_first && is_address(role_last) {
        role_last -= 1;
    }
    (!is_address(role_last)).then(|| document.slice(role_first, role_last).to_owned())
}

/// `Tory leader Michael Howard`, `Republican presidential candidate Donald
/// Trump`: a role written as a common noun just before a person's name (the
/// name finder leaves it out, a lowercase word being no title) is the
/// person's role. The noun next to the name must be a singular role noun or
/// title; the modifiers before it may be titles, role nouns, nationalities
/// or capitalised words (`Tory`, `Republican`), in the same sentence, up to
/// a determiner or punctuation.
fn role_noun_before(document: &Document, first: usize) -> Option<String> {
    /// Words a role written before a name may have.
    const MAX_ROLE_WORDS: usize = 4;
    let tokens = &document.tokens;
    let mut head = first.checked_sub(1)?;
    // `the F.B.I. director, James B. Comey, said`: the role the name is in
    // apposition to.
    // The role is a noun phrase opening its clause (not `after meeting a
    // lawyer, John Smith said`, nor `in a trade, John Smith said`), or the
    // subject after an inverted cue (`said its chairman, Sir Anthony
    // Greener.`).
    let described = |role: usize| {
        (role.saturating_sub(4)..role)
            .rev()
            .take_while(|&i| tokens[i].is_word() && tokens[i].sentence == tokens[role].sentence)
            .find(|&i| tokens[i].has(cues::DETERMINER))
            .is_some_and(|determiner| {
                determiner == 0
                    || !tokens[determiner - 1].is_word()
                    || tokens[determiner - 1].sentence != tokens[determiner].sentence
                    || tokens[determiner - 1].has(cues::SPEECH)
            })
    };
    if tokens[head].is(',')
        && head > 0
        && tokens[head - 1].has(cues::ROLE_NOUN)
        && !tokens[head - 1].is_capitalized()
        && described(head - 1)
    {
        head -= 1;
    }
    // `Spain's minister of sport Jaime Lissavetzky`, `secretary of state
    // Hillary Clinton`: a role noun, `of` and a lowercase word (a title's
    // word too); the role runs to that word.
    let end = head;
    let of_a_field = head >= 2
        && tokens[head].is_word()
        && !tokens[head].is_capitalized()
        && !tokens[head].has(cues::ROLE_NOUN | cues::DETERMINER)
        && document.word(head - 1) == "of"
        && tokens[head - 2].has(cues::ROLE_NOUN)
        && !tokens[head - 2].is_capitalized();
    if of_a_field {
        head -= 2;
    }
    let head_token = &tokens[head];
    let word = document.word(head);
    let plural = word.ends_with('s') && !word.ends_with("ss");
    // `to back Obama`: a verb, not a role.
    let infinitive = head > 0 && document.word(head - 1).eq_ignore_ascii_case("to");
    if !head_token.is_word()
        || infinitive
        || head_token.is_capitalized()
        || head_token.sentence != tokens[first].sentence
        || !head_token.has(cues::ROLE_NOUN | cues::TITLE)
        || head_token.has(cues::DETERMINER | cues::PREPOSITION)
        || plural
    {
        return None;
    }
    // A title that opens a description as a determiner does (`chief`,
    // `former`, `top`) is the role's first word: `chief executive`, not `Ltd
    // chief economist` nor `China's top leader`.
    let is_titled_opener = |token: &crate::analysis::tokens::Token| {
        token.has(cues::TITLE) && token.has(cues::DETERMINER)
    };
    let mut start = head;
    while start > 0 && head - start + 1 < MAX_ROLE_WORDS {
        let previous = &tokens[start - 1];
        let titled_opener = is_titled_opener(previous);
        let modifier = previous.is_word()
            && previous.sentence == head_token.sentence
            && !previous.has(cues::PREPOSITION | cues::NOT_NAME)
            && (titled_opener || !previous.has(cues::DETERMINER))
            && (previous.is_capitalized()
                || previous.has(cues::ROLE_NOUN | cues::TITLE | cues::NATIONALITY));
        if modifier && titled_opener {
            start -= 1;
            break;
        }
        // `Bank of Japan governor`: a body's name in the role, over its `of`.
        let body_connector = start >= 2
            && start < head
            && tokens[start].is_capitalized()
            && matches!(document.word(start - 1), "of" | "for")
            && tokens[start - 2].is_capitalized()
            && tokens[start - 2].is_word()
            && tokens[start - 2].sentence == head_token.sentence;
        if body_connector {
            start -= 2;
            continue;
        }
        if !modifier {
            break;
        }
        start -= 1;
    }
    let role = document.slice(start, end);
    // `Former Chelsea captain` opening a sentence is the `former Chelsea
    // captain` of any other place: a title that opens descriptions
    // (`former`, `chief`, `senior`), capitalised only because the sentence
    // starts there, is written in lowercase, so the role is one (not the
    // `Federal` of `Federal Reserve chairman`).
    let sentence_capital = document.opens_sentence(start)
        && tokens[start].is_capitalized()
        && is_titled_opener(&tokens[start]);
    Some(if sentence_capital {
        crate::analysis::text::lowercase_initial(role)
    } else {
        role.to_owned()
    })
}

/// `spoke with his wife, Ghazala Khan, beside him`: a noun that tells a
/// gender (`wife`, `son`), a comma, then the name standing in apposition to
/// it (a comma or the sentence's end after it), even where the noun is no
/// role because a word opens its clause before it (`with`).
fn gender_of_apposed_noun(document: &Document, mention: &NameMention) -> Option<Gender> {
    let tokens = &document.tokens;
    let noun = mention.first.checked_sub(2)?;
    let closed = tokens
        .get(mention.last + 1)
        .is_none_or(|t| t.is(',') || t.is('.') || t.sentence != tokens[mention.last].sentence);
    let apposed = tokens[noun + 1].is(',')
        && tokens[noun].is_word()
        && !tokens[noun].is_capitalized()
        && tokens[noun].sentence == tokens[mention.first].sentence;
    (apposed && closed)
        .then(|| names::gender_of_classes(tokens[noun].classes, cues::MALE_NOUN, cues::FEMALE_NOUN))
        .flatten()
}

/// `Greg Abbott, Texas attorney general announcing the action`, `Paul
/// Volcker, chairman of the Federal Reserve Board,`: a role in apposition
/// after a person's name (the mention ending at `last`) is the person's
/// role. After the comma and an article come at most four words
/// (capitalised words, nationalities, titles, role nouns) that a singular
/// role noun or title ends (`of` and a lowercase field stay in it:
/// `minister of sport`); a body's name after `of`, `at` or `for` is the
/// affiliation, returned beside the role. Nothing capitalised may follow,
/// which would be another person's name (`..., finance minister Paul
/// Jones`).
fn role_after_name(document: &Document, last: usize) -> Option<(String, Option<String>)> {
    /// Words an apposition's role may have before its field or body.
    const MAX_ROLE_WORDS: usize = 4;
    let tokens = &document.tokens;
    let comma = last + 1;
    let sentence = tokens[last].sentence;
    let in_sentence = |i: usize| tokens.get(i).filter(|t| t.sentence == sentence);
    if !in_sentence(comma).is_some_and(|t| t.is(',')) {
        return None;
    }
    let mut start = comma + 1;
    // An article, not a title that opens descriptions (`chief`).
    if in_sentence(start).is_some_and(|t| t.has(cues::DETERMINER) && !t.has(cues::TITLE)) {
        start += 1;
    }
    let is_modifier = |token: &crate::analysis::tokens::Token| {
        token.is_word()
            && !token.has(cues::PREPOSITION | cues::CONJUNCTION)
            && (!token.has(cues::DETERMINER) || token.has(cues::TITLE))
            && (token.is_capitalized()
                || token.has(cues::ROLE_NOUN | cues::TITLE | cues::NATIONALITY))
    };
    let mut end = start;
    while end < start + MAX_ROLE_WORDS && in_sentence(end).is_some_and(is_modifier) {
        end += 1;
    }
    let head = end.checked_sub(1).filter(|&head| head >= start)?;
    let word = document.word(head);
    let head_token = &tokens[head];
    let plural = word.ends_with('s') && !word.ends_with("ss");
    let is_role = head_token.has(cues::ROLE_NOUN | cues::TITLE)
        && !head_token.has(cues::PERSON_DESCRIPTION | cues::NOT_NAME)
        && !plural;
    if !is_role {
        return None;
    }
    let mut role_last = head;
    let mut next = head + 1;
    let mut affiliation = None;
    let is_word_at =
        |i: usize, words: &[&str]| in_sentence(i).is_some() && words.contains(&document.word(i));
    if is_word_at(next, &["of", "at", "for"]) {
        let mut body = next + 1;
        if is_word_at(body, &["the"]) {
            body += 1;
        }
        let field = in_sentence(body).filter(|t| t.is_word() && !t.is_capitalized());
        let mut end = body;
        while in_sentence(end).is_some_and(|t| t.is_word() && t.is_capitalized())
            || is_word_at(end, &["of", "and", "&", "for"])
                && in_sentence(end + 1).is_some_and(|t| t.is_capitalized())
        {
            end += 1;
        }
        if field.is_some_and(|t| !t.has(cues::DETERMINER | cues::ROLE_NOUN | cues::BODY_NOUN)) {
            // `minister of sport`: the field is the role's.
            role_last = body;
            next = body + 1;
        } else if end > body {
            // `chairman of the Federal Reserve Board`: the body's name,
            // over its connectors, is the affiliation.
            affiliation = Some(names::display(document.slice(body, end - 1)).to_owned());
            next = end;
        }
    }
    // The apposition ends at a comma or the sentence's end, or a clause of
    // its own opens (`announcing`, `who`); not before a verb (`in Emmen,
    // the spokesman said`) nor another name, which the role would be of.
    let ends = match in_sentence(next) {
        None => true,
        Some(token) if !token.is_word() => matches!(document.word(next), "," | "." | ";" | ")"),
        Some(token) => {
            !token.is_capitalized()
                && (token.has(cues::RELATIVE) || document.word(next).ends_with("ing"))
        }
    };
    if !ends {
        return None;
    }
    Some((document.slice(start, role_last).to_owned(), affiliation))
}

/// Whether the word at `index` names a document (`survey`, `letter`,
/// `report`): a noun for what speaks that is no person, body or company.
fn is_document_noun(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    token.has(cues::BODY_NOUN)
        && !token.has(
            cues::ROLE_NOUN
                | cues::BODY_HEAD
                | cues::COMPANY_NOUN
                | cues::GOVERNMENT_NOUN
                | cues::SPOKESPERSON,
        )
}

/// Whether the word at `index` names a domain of a body (`finance` of
/// `finance ministry`): a title modifier, lowercase but for a sentence's
/// first word (`Defence ministry officials said`).
fn is_domain_word(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    token.is_word()
        && (!token.is_capitalized() || document.opens_sentence(index))
        && token.has(cues::TITLE_MODIFIER)
}

/// Whether the name at `token` is the agent of a passive (`has been accused
/// of blocking access to Google News by the media watchdog, Reporters
/// Without Borders`): `by`, then at most a description, before it, and a
/// participle after a form of `be` earlier in its sentence.
fn is_passive_agent(document: &Document, token: usize) -> bool {
    /// Most tokens of a description between `by` and the name.
    const MAX_DESCRIPTION: usize = 5;
    let tokens = &document.tokens;
    let sentence = tokens[token].sentence;
    let Some(by) = (token.saturating_sub(MAX_DESCRIPTION + 1)..token)
        .rev()
        .take_while(|&i| {
            tokens[i].sentence == sentence
                && (tokens[i].is(',')
                    || tokens[i].is_word()
                        && !tokens[i].has(cues::OTHER_VERB | cues::SPEECH | cues::PREPOSITION)
                    || tokens[i].has(cues::AGENT))
        })
        .find(|&i| tokens[i].has(cues::AGENT))
    else {
        return false;
    };
    (1..by).any(|i| {
        tokens[i].sentence == sentence
            && document.word(i).ends_with("ed")
            && crate::analysis::quotes::attribution::follows_be(document, i)
    })
}

/// Whether a name mention is the subject of a verb (`Wang accused`,
/// `Blinken also said`) rather than an object or modifier.
fn is_subject(document: &Document, mention: &NameMention) -> bool {
    let (first, last) = (mention.first, mention.name_last);
    let tokens = &document.tokens;
    if tokens[last].shape & POSSESSIVE != 0 {
        return false;
    }
    if is_affiliation_object(document, first) {
        return false;
    }
    // Only for a name opening its clause (in `Khalif said Donald Trump is a
    // bigot`, Trump is the subject of a reported clause): a finite verb
    // among the fillers makes the name its subject (`Allen has been able`,
    // `Allen is`; an auxiliary only before another filler: `Leicester will
    // visit` tells nothing), and an adverb in `-ly` is skipped (`Tim Allen
    // recently hit`). A description before the name opens the clause with
    // it (`Spain's minister of sport Jaime Lissavetzky was quick`).
    /// Most words of a description before a name.
    const MAX_DESCRIPTION: usize = 6;
    let mut opening = first;
    let (mut role_noun, mut other_word) = (false, false);
    while opening > 0
        && first - opening < MAX_DESCRIPTION
        && tokens[opening - 1].sentence == tokens[first].sentence
        && tokens[opening - 1].is_word()
    {
        let token = &tokens[opening - 1];
        let describes = token.is_capitalized()
            || token.shape & POSSESSIVE != 0
            || token.has(cues::DETERMINER | cues::NATIONALITY | cues::ROLE_NOUN | cues::TITLE);
        if !describes && token.classes != 0 && document.word(opening - 1) != "of" {
            break;
        }
        role_noun |= token.has(cues::ROLE_NOUN | cues::TITLE);
        other_word |= !describes;
        opening -= 1;
    }
    if other_word && !role_noun {
        // `the decision of Jaime Lissavetzky was`: no role, no description.
        opening = first;
    }
    let opens_clause = opening == 0
        || tokens[opening - 1].is(',')
        || tokens[opening - 1].is(';')
        || tokens[opening - 1].sentence != tokens[first].sentence;
    let mut next = last + 1;
    // `Trump himself was delighted`: an object pronoun right after a name
    // is the name's emphatic reflexive.
    if tokens
        .get(next)
        .is_some_and(|t| t.has(cues::OBJECT_PRONOUN) && !t.is_capitalized())
    {
        next += 1;
    }
    let mut skipped = 0;
    let mut finite = false;
    while next < tokens.len()
        && skipped < 3
        && !tokens[next].is_capitalized()
        && (tokens[next].has(cues::VERB_FILLER) || opens_clause && document.is_ly_adverb(next))
    {
        let token = &tokens[next];
        let before_filler = || {
            tokens
                .get(next + 1)
                .is_some_and(|t| t.has(cues::VERB_FILLER) && !t.has(cues::AUXILIARY))
        };
        finite |= token.has(cues::OTHER_VERB) && (!token.has(cues::AUXILIARY) || before_filler());
        next += 1;
        skipped += 1;
    }
    if finite && opens_clause && tokens[next - 1].paragraph == tokens[last].paragraph {
        return true;
    }
    let Some(token) = tokens.get(next) else {
        return false;
    };
    if token.is(',') && skipped == 0 {
        return apposition_then_verb(document, first, last + 1);
    }
    if token.paragraph != tokens[last].paragraph || !token.is_word() || token.is_capitalized() {
        return false;
    }
    is_verb_after_subject(document, next) || is_participle_after_perfect(document, next)
}

/// `Ann Simpson, marketing manager at Snappy Snaps believes`, `William
/// Arndt from Dean Witter noted`, `analysts polled by Reuters said`: a name
/// (from `first`) after a preposition that ties it to a person's role or
/// name, or after a passive's `by`, is the preposition's object, whatever
/// verb follows. Not after one who speaks for it (`a spokeswoman for Abbott
/// said` is Abbott's statement) or a common noun (`Shares in Krispy Kreme
/// have`).
fn is_affiliation_object(document: &Document, first: usize) -> bool {
    let tokens = &document.tokens;
    let Some(preposition) = first.checked_sub(1) else {
        return false;
    };
    if !tokens[preposition].has(cues::PREPOSITION) {
        return false;
    }
    if tokens[preposition].has(cues::AGENT) {
        return true;
    }
    let Some(before) = preposition.checked_sub(1) else {
        return false;
    };
    let token = &tokens[before];
    // A role in apposition to a person (`, marketing manager at`) or after
    // an article (`The unnamed woman from Georgia says`), not one opening a
    // title (`Former secretary of State Clinton`).
    let article = |i: usize| tokens[i].has(cues::DETERMINER) && !tokens[i].has(cues::TITLE);
    let described_role = || {
        token.has(cues::ROLE_NOUN)
            && (before.saturating_sub(MAX_DESCRIBED_ROLE)..before)
                .rev()
                .find(|&i| !tokens[i].is_word() || tokens[i].is_capitalized() || article(i))
                .is_some_and(|i| tokens[i].is(',') || article(i))
    };
    token.is_word()
        && token.sentence == tokens[first].sentence
        && !token.is_capitalized()
        && !token.has(cues::SPOKESPERSON | cues::DETERMINER)
        && described_role()
        || token.is_capitalized() && !document.opens_sentence(before) && !token.has(cues::TITLE)
}

/// Most words of a role's description before its preposition (`, the chief
/// economist at`).
const MAX_DESCRIBED_ROLE: usize = 4;

/// The one entity `entities` all are, if there is any (`None` for none or
/// for two different ones).
fn one_entity(mut entities: impl Iterator<Item = usize>) -> Option<usize> {
    let first = entities.next()?;
    entities.all(|e| e == first).then_some(first)
}

/// Whether the mention writes a legal form after the name (`Musikahn Corp`).
fn written_with_legal_form(document: &Document, mention: &NameMention) -> bool {
    (mention.name_last..=mention.last).any(|i| document.tokens[i].has(cues::LEGAL_SUFFIX))
}

/// Whether a company's name written with its legal form is a subject
/// (`Taft Broadcasting Co said`): the verb comes after the legal form the
/// name leaves out.
fn is_subject_with_legal_form(document: &Document, mention: &NameMention) -> bool {
    let tokens = &document.tokens;
    let legal_form_after = mention.name_last < mention.last
        && (mention.name_last + 1..=mention.last)
            .all(|i| tokens[i].has(cues::LEGAL_SUFFIX) || tokens[i].is('.'));
    let whole = NameMention {
        name_last: mention.last,
        ..*mention
    };
    is_subject(document, if legal_form_after { &whole } else { mention })
}

/// `Ben Carson has seen his standing tumble`, `Jones had shown`: in
/// English, an irregular past participle (`-en`, `-wn`) right after an
/// auxiliary (`has`; the language file's `auxiliaries`) makes a finite verb,
/// though no word list holds the participle.
fn is_participle_after_perfect(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    let word = document.word(index);
    index > 0
        && document.lexicon.is_english()
        && document.tokens[index - 1].has(cues::AUXILIARY)
        && !token.has(cues::PREPOSITION | cues::CONJUNCTION | cues::DETERMINER)
        && word.len() > 3
        && (word.ends_with("en") || word.ends_with("wn"))
}

/// Whether the word at `index` reads as the verb of a subject just before it
/// (`said`, `believes`, `warned`).
fn is_verb_after_subject(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    if token.has(cues::SPEECH | cues::FRAGMENT | cues::OTHER_VERB | cues::CLAUSE) {
        return true;
    }
    !token.has(cues::PREPOSITION | cues::CONJUNCTION | cues::DETERMINER)
        && document.word(index).ends_with("ed")
}

/// `Paul Myers, chief executive of Wippit - a peer to peer service -
/// believes`: a name that opens its sentence, followed by an apposition
/// (from the comma at `comma` to a closing comma or dash) and then a verb, is
/// the verb's subject; the names inside the apposition are not.
fn apposition_then_verb(document: &Document, first: usize, comma: usize) -> bool {
    /// Tokens an apposition may span.
    const MAX_APPOSITION: usize = 30;
    let tokens = &document.tokens;
    let name_sentence = tokens[comma].sentence;
    // `Former Pennsylvania governor Ed Rendell, one of Clinton's most vocal
    // supporters, was`: a description before the name opens the sentence too.
    let mut opening = first;
    while opening > 0
        && tokens[opening - 1].sentence == name_sentence
        && tokens[opening - 1].is_word()
        && (tokens[opening - 1].is_capitalized()
            || tokens[opening - 1]
                .has(cues::ROLE_NOUN | cues::TITLE | cues::NATIONALITY | cues::DETERMINER))
    {
        opening -= 1;
    }
    // `...; Republican Gov. Mary Fallin, who opposes abortion, vetoed`: a
    // semicolon opens a clause as a sentence does.
    if opening > 0 && tokens[opening - 1].sentence == name_sentence && !tokens[opening - 1].is(';')
    {
        return false;
    }
    // `Profit-taking, which robbed ...`: a thing, not a person introduced.
    let opens_with_relative = tokens
        .get(comma + 1)
        .is_some_and(|t| matches!(document.word(comma + 1), "which" | "that") || !t.is_word());
    // A one-word name only after a form of address (`Mr Gref, a well-known
    // opponent of nationalisation, was keen`) or before a relative clause
    // (`Sanders, who has represented Vermont for two decades, rallied`).
    let addressed = first > 0 && BUILT_IN.is_form_of_address(document.word(first - 1));
    let relative_clause = tokens.get(comma + 1).is_some_and(|t| t.has(cues::RELATIVE));
    // `Minar, ranked 158th in the world, was forced`, `Bratman, 26,
    // proposed`: a past participle's clause or an age tells of a person.
    let participle_clause = document.lexicon.is_english()
        && comma + 1 < tokens.len()
        && document.is_ed_participle(comma + 1);
    let age = tokens
        .get(comma + 1)
        .is_some_and(|t| t.kind == TokenKind::Number)
        && tokens.get(comma + 2).is_some_and(|t| t.is(','));
    let described = addressed || relative_clause || participle_clause || age;
    if opens_with_relative || (first + 1 >= comma && !described) {
        return false;
    }
    let end = (comma + MAX_APPOSITION).min(tokens.len());
    (comma + 2..end)
        .take_while(|&i| tokens[i].sentence == name_sentence)
        .any(|i| {
            let closes = matches!(tokens[i - 1].punct(), Some(',' | '-' | '–' | '—'));
            closes
                && tokens[i].is_word()
                && !tokens[i].is_capitalized()
                && is_verb_after_subject(document, i)
        })
}

/// Where the name starting at `first` begins with its `the`, if it has one
/// (`told| the Financial Times`).
fn with_article(document: &Document, first: usize) -> usize {
    if first > 0 && document.word(first - 1) == "the" {
        first - 1
    } else {
        first
    }
}

/// Whether the name at `token` is the hearer of a speech verb (`told
/// Reuters`, `told the Financial Times`).
fn hearer_at(document: &Document, token: usize) -> bool {
    let index = with_article(document, token);
    index > 0 && {
        let verb = &document.tokens[index - 1];
        verb.has(cues::TAKES_HEARER) && !verb.is_capitalized()
    }
}

/// Whether a spokesperson's noun stands before the name starting at
/// `first`, joined to it (`an official of the Trade Ministry`, `a
/// spokesman for the bank`): the name is the body they speak for.
fn spokesperson_before(document: &Document, first: usize) -> bool {
    spokesperson_joined_before(document, with_article(document, first))
}

/// Whether `mention` names the body of a spokesperson whose phrase opens its
/// sentence, or its clause after an opening adjunct (`A spokesman for Zenith
/// criticized the action.`, `In Manila, an ADB spokesman declined to
/// comment.`): `he` in a quote after it is that spokesperson, as after `a
/// spokesman for Zenith said`.
fn spokesperson_opens_sentence(document: &Document, mention: &NameMention) -> bool {
    let tokens = &document.tokens;
    let phrase = if spokesperson_before(document, mention.first) {
        with_article(document, mention.first) - 2
    } else if tokens
        .get(mention.last + 1)
        .is_some_and(|noun| noun.has(cues::SPOKESPERSON) && !noun.is_capitalized())
        && mention.first > 0
        && tokens[mention.first - 1].has(cues::INDEFINITE)
        && tokens
            .get(mention.last + 2)
            .is_none_or(|next| !next.is_capitalized())
    {
        // `an ADB spokesman`, unnamed (not `Labour spokesman Phil Jones`).
        mention.first
    } else {
        return false;
    };
    let opening = if phrase > 0 && tokens[phrase - 1].has(cues::DETERMINER) {
        phrase - 1
    } else {
        phrase
    };
    let sentence = document.sentences[tokens[opening].sentence as usize].start;
    // `In Manila, an ADB spokesman`: right after an opening adjunct's comma.
    let after_adjunct = || {
        tokens[sentence].has(cues::PREPOSITION)
            && (sentence..opening).find(|&i| tokens[i].is(',')) == Some(opening - 1)
    };
    opening == sentence || after_adjunct()
}

#[cfg(test)]
mod tests {
    use super::*;
    use MentionKind::{Descriptor, Name, Pronoun, RoleNoun};

    /// The entity table of `document` with no token inside a quote and no
    /// mention added, before anything is resolved.
    fn table_of(document: &Document) -> EntityTable {
        EntityTable::build_with(document, &vec![false; document.tokens.len()], Vec::new())
    }

    /// The first and last tokens of each occurrence of `phrase` (whole
    /// words separated by spaces) in `document`, first to last.
    fn phrase_spans(document: &Document, phrase: &str) -> Vec<(usize, usize)> {
        let words: Vec<&str> = phrase.split(' ').collect();
        (0..document.tokens.len())
            .filter(|&i| {
                words
                    .iter()
                    .enumerate()
                    .all(|(k, w)| i + k < document.tokens.len() && document.word(i + k) == *w)
            })
            .map(|first| (first, first + words.len() - 1))
            .collect()
    }

    /// The name of the entity `table` resolves the mention of `kind` over
    /// tokens `first..=last` to.
    fn resolved_name(
        table: &mut EntityTable,
        document: &Document,
        first: usize,
        last: usize,
        kind: MentionKind,
    ) -> Option<String> {
        let mention = Mention {
            first,
            last,
            kind,
            written: None,
        };
        table
            .resolve(document, &mention)
            .map(|e| table.entities[e].name.clone())
    }

    /// Resolves the last occurrence of `word` in `text`, a pronoun when it
    /// is one and else a name, after resolving nothing else.
    fn resolve_name(text: &str, word: &str) -> Option<String> {
        let document = Document::new(text, "en");
        let (index, _) = *phrase_spans(&document, word).last()?;
        let kind = if document.tokens[index].has(cues::PERSON_PRONOUN) {
            Pronoun
        } else {
            Name
        };
        resolved_name(&mut table_of(&document), &document, index, index, kind)
    }

    /// Resolves the last occurrence of `phrase` (whole words) in `text` as
    /// a mention of `kind`, after resolving nothing else.
    fn resolve_phrase(text: &str, phrase: &str, kind: MentionKind) -> Option<String> {
        let document = Document::new(text, "en");
        let (first, last) = *phrase_spans(&document, phrase).last()?;
        resolved_name(&mut table_of(&document), &document, first, last, kind)
    }

    /// Asserts that the last occurrence of `phrase` in `text`, resolved as
    /// a mention of `kind` after nothing else, is the entity named
    /// `expected` (`None`: nobody).
    #[track_caller]
    fn assert_resolves(text: &str, phrase: &str, kind: MentionKind, expected: Option<&str>) {
        assert_eq!(
            resolve_phrase(text, phrase, kind).as_deref(),
            expected,
            "{phrase:?} in {text:?}"
        );
    }

    /// The role the entity table of `text` gives the entity `name`.
    fn role_in(text: &str, name: &str) -> Option<String> {
        let document = Document::new(text, "en");
        let table = table_of(&document);
        let entity = table.entities.iter().find(|e| e.name == name)?;
        entity.role.clone()
    }

    #[test]
    fn a_role_noun_before_a_name_is_the_persons_role() {
        // BBC politics: `Tory` is a body of its own, `leader` a lowercase role.
        let text = "Tory leader Michael Howard has gone on the offensive. Tony Blair \
                    was not worried. The Tory leader brands such criticisms as rubbish.";
        assert_resolves(text, "The Tory leader", RoleNoun, Some("Michael Howard"));
        // The description's own words must be in the role.
        let text = "Tory leader Michael Howard has gone on the offensive. The Labour \
                    leader said no.";
        assert_resolves(text, "The Labour leader", RoleNoun, None);
        // A title given later replaces a description (CNN, the seed article).
        let text = "Xi met with top US ambassador Anthony Blinken on Friday. U.S. \
                    Secretary of State Anthony Blinken shook hands with Wang Yi.";
        assert_eq!(
            role_in(text, "Anthony Blinken").as_deref(),
            Some("U.S. Secretary of State")
        );
        // Reuters: a body's name with its `of` stays in the role.
        let text = "Bank of Japan governor Satoshi Sumita said rates were stable.";
        assert_eq!(
            role_in(text, "Satoshi Sumita").as_deref(),
            Some("Bank of Japan governor")
        );
        // `to back Obama`: a verb, no role.
        let text = "White voters were willing to back Obama. The leader said no.";
        assert_resolves(text, "The leader", RoleNoun, None);
    }

    #[test]
    fn a_description_is_the_topic_of_the_nearest_paragraph() {
        // PolNeAR train (Politico): the article's topic, not the last subject.
        let text = "Donald Trump has sought to bolster his credibility. Trump and his \
                    supporters talk about it.\n\nTrump called upon Mayor Bill de Blasio to \
                    restart surveillance. De Blasio disbanded the unit in April 2014.\n\n\
                    \"There's hatred,\" the Republican presidential candidate said.";
        assert_resolves(
            text,
            "the Republican presidential candidate",
            RoleNoun,
            Some("Donald Trump"),
        );
        // BBC sport: a person of this paragraph before the article's topic.
        let text = "Double Olympic champion Hicham El Guerrouj is set to run. El \
                    Guerrouj said he would decide later.\n\nBritain's Paula Radcliffe has \
                    also not ruled out competing. \"It is special,\" said the two-time champion.";
        assert_resolves(
            text,
            "the two-time champion",
            RoleNoun,
            Some("Paula Radcliffe"),
        );
        // A head that describes no person is only the last person spoken of,
        // and never a titled one.
        let text = "Spectator editor Boris Johnson went to Liverpool. The magazine said sorry.";
        assert_resolves(text, "The magazine", RoleNoun, None);
    }

    #[test]
    fn a_surname_alone_is_the_full_name_whose_first_surname_it_is() {
        // Reuters: two surnames, the first used alone.
        let text = "The plan will be accepted, central bank governor Javier Nogales Iturri \
                    said. Speaking to reporters, Nogales said the banks agree.";
        assert_resolves(text, "Nogales", Name, Some("Javier Nogales Iturri"));
        // A given name between (`John Fitzgerald Kennedy`) links the same way,
        // but a word of no full name stays alone.
        let text = "Javier Nogales Iturri spoke. Later Iturbe said no.";
        assert_resolves(text, "Iturbe", Name, Some("Iturbe"));
    }

    #[test]
    fn a_surname_alone_is_the_person_the_article_calls_by_it() {
        // PolNeAR train (Politico): the senator is `Murphy` throughout; a
        // victim of the same surname named in passing does not take over.
        let text = "Sen. Chris Murphy was elected in 2012. Murphy said he was adrift. \
                    He paid tribute to a teacher's aide, Anne Marie Murphy, who died. \
                    Murphy said that took courage.";
        assert_resolves(text, "Murphy", Name, Some("Chris Murphy"));
        // Reuters: a surname spelt with a doubled letter is the same person.
        let text = "Finance Minister Mohamed Berada said aid was secured. Berrada said \
                    debt totals 14 billion dlrs. Berrada said more would come.";
        assert_resolves(text, "Berrada", Name, Some("Mohamed Berada"));
    }

    #[test]
    fn a_description_is_the_subject_of_a_finite_verb_before_it() {
        // PolNeAR train (Western Journal): `has been` and `recently hit` make
        // the name a subject that `the actor` can refer to.
        let text = "Veteran comedian Tim Allen recently hit another milestone.\n\nAs star \
                    of the show, Allen has been able to insert lines.\n\nIn an interview, \
                    the actor explained the differences.";
        assert_resolves(text, "the actor", RoleNoun, Some("Tim Allen"));
    }

    #[test]
    fn officials_and_statements_of_a_body_noun_are_that_bodys() {
        // Reuters 541: `Company statement said` in a company's story.
        let text = "Benguet Corp reported earnings for the year. NOTE: Company statement \
                    said gold operations contributed 74 pct of earnings.";
        assert_resolves(
            text,
            "Company statement",
            MentionKind::Document(None),
            Some("Benguet"),
        );
        let text = "The Bank of Japan left rates unchanged. The yen will stay stable, bank \
                    officials said.";
        assert_resolves(text, "bank officials", RoleNoun, Some("Bank of Japan"));
        // A news agency's reports are no company's of the story.
        let text = "Verizon has won a takeover battle for MCI. The firms will seal the \
                    deal on Monday, according to news agency reports.";
        assert_resolves(
            text,
            "news agency reports",
            MentionKind::Document(None),
            None,
        );
        // No body of that kind in the article: still nobody.
        let text = "The rupee will stay stable, ministry officials said.";
        assert_resolves(text, "ministry officials", RoleNoun, None);
    }

    #[test]
    fn an_acronym_before_a_given_name_is_no_part_of_the_name() {
        // BBC business 308.
        let text = "The French co-head of aerospace group EADS Philippe Camus is to leave \
                    his post. Mr Camus said he will return to Lagardere.";
        assert_resolves(text, "Camus", Name, Some("Philippe Camus"));
    }

    #[test]
    fn a_description_naming_a_body_is_that_body() {
        // Reuters 18529: not the salient `ECU` of the story.
        let text = "Yugoslavia has signed up for a 550 mln ECU loan, the official Tanjug \
                    news agency said.";
        assert_resolves(
            text,
            "the official Tanjug news agency",
            RoleNoun,
            Some("Tanjug"),
        );
    }

    #[test]
    fn a_places_police_is_a_body() {
        // As Reuters 8412 and 5030: `Cosenza police said` (here a place the
        // gazetteer knows), `a spokesman for the City of London police said`.
        let text = "Three men were arrested, Milan police said.";
        assert_resolves(text, "Milan police", RoleNoun, Some("Milan police"));
        let text = "Three men were arrested, the Tokyo police said.";
        assert_resolves(text, "the Tokyo police", RoleNoun, Some("Tokyo police"));
        let text = "The inquiry goes on, a spokesman for the City of London police said.";
        assert_resolves(
            text,
            "a spokesman for the City of London police",
            Descriptor,
            Some("City of London police"),
        );
    }

    #[test]
    fn names_split_from_bodies_and_capitals_join_the_person() {
        // Reuters 11752: the short form of a company whose name goes on
        // after its organisation word (`of Texas`).
        let text = "First City Bancorp of Texas, which lost a record, said in its annual \
                    report it expected losses. First City said it may sell assets.";
        assert_resolves(
            text,
            "First City",
            Name,
            Some("First City Bancorp of Texas"),
        );
        // Among several companies of those words, the short form is a body
        // of its own, not a person `City` titled `First`.
        let text = "First City said its subsidiaries did not. First City National Bank of \
                    Houston had a ratio of 5 pct and First City Bank of Dallas had 4 pct. \
                    First City said it may sell assets.";
        assert_resolves(text, "First City", Name, Some("First City"));
        // Reuters 13212: a body run into a surname for want of a comma.
        let text = "Poul Erik Moller raised his stake. In a filing with the Securities and \
                    Exchange Commission Moller said he bought shares.";
        assert_resolves(
            text,
            "Exchange Commission Moller",
            Name,
            Some("Poul Erik Moller"),
        );
        // PolNeAR (Breitbart): a transcript's speaker tag in capitals.
        let text = "Gov. Mary Fallin spoke to us.\n\nFALLIN: I think he is trying.";
        assert_resolves(text, "FALLIN", Name, Some("Mary Fallin"));
        // An acronym stays a body.
        let text = "The Securities and Exchange Commission (SEC) met. SEC said no.";
        assert_ne!(resolve_phrase(text, "SEC", Name).as_deref(), Some("Sec"));
    }

    #[test]
    fn they_is_the_body_last_speaking_unless_people_came_since() {
        // BBC politics: a body in British usage.
        let text = "The Countryside Alliance said the rise was small. \
                    They say councils will lose.";
        assert_resolves(text, "They", Pronoun, Some("Countryside Alliance"));
        // Plural people since: `they` are those people, whom no name names.
        let text = "The Countryside Alliance said the rise was small. \
                    Analysts were doubtful. They say councils will lose.";
        assert_resolves(text, "They", Pronoun, None);
    }

    #[test]
    fn a_short_name_of_two_words_is_the_full_name_it_ends() {
        let text = "Trump called upon Mayor Bill de Blasio to act. De Blasio disbanded \
                    the unit.";
        assert_resolves(text, "De Blasio", Name, Some("Bill de Blasio"));
        // Reuters: `company chairman Carlo De Benedetti ... De Benedetti said`.
        let text = "Company chairman Carlo De Benedetti spoke. De Benedetti said yes.";
        assert_resolves(text, "De Benedetti", Name, Some("Carlo De Benedetti"));
        // HuffPost: a surname with its particle, after a first name no list holds.
        let text = "It was backed by Marine Le Pen, leader of the party. Le Pen said yes.";
        assert_resolves(text, "Le Pen", Name, Some("Marine Le Pen"));
        // A longer run that does not open with a given name is no fuller name.
        let text = "Joining Vera Drake on the list is a film. Vera Drake said so.";
        assert_resolves(text, "Vera Drake", Name, Some("Vera Drake"));
    }

    #[test]
    fn the_headline_subject_speaks_when_the_body_names_no_body() {
        // Reuters-21578 `USDA REPORTS CORN SOLD TO USSR`.
        let body = "Private exporters reported sales of 125,000 tonnes of U.S. corn to \
                    the Soviet Union.\n\nThe department noted the sales are the first \
                    reported. In addition, sales of soybeans totaled 68,200 tonnes, it said.";
        let resolve_with = |title: &str, phrase: &str, kind: MentionKind| {
            let document = Document::new(body, "en");
            let mut table = table_of(&document);
            if let Some(subject) = super::super::headline::headline_subject(title, body, "en") {
                table.set_headline(subject);
            }
            let (first, last) = phrase_spans(&document, phrase)[0];
            resolved_name(&mut table, &document, first, last, kind)
        };
        let usda = Some("US Department of Agriculture".to_owned());
        let title = "USDA REPORTS CORN SOLD TO USSR";
        assert_eq!(resolve_with(title, "it", Pronoun), usda);
        assert_eq!(resolve_with(title, "The department", RoleNoun), usda);
        // A headline about no organisation changes nothing.
        let title = "CORN SALES TO USSR REPORTED";
        assert_eq!(resolve_with(title, "it", Pronoun), None);
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
    fn a_described_name_before_an_apposition_and_a_verb_is_the_subject() {
        // PolNeAR train (Washington Post): `he` is Rendell, not Sanders.
        let text = "Sanders said the race was not over.\n\nFormer Pennsylvania governor Ed \
                    Rendell, one of Clinton's most vocal supporters, was even more \
                    resolute.\n\n\"Absolutely not,\" he said.";
        assert_eq!(resolve_name(text, "he").as_deref(), Some("Ed Rendell"));
        // A name inside a clause is no subject for its apposition's verb.
        let text = "Sanders said the race was not over.\n\nVoters who met Ed Rendell, one of \
                    Clinton's supporters, were resolute.\n\n\"Absolutely not,\" he said.";
        assert_eq!(resolve_name(text, "he").as_deref(), Some("Sanders"));
        // BBC business: a surname after a form of address has an apposition too.
        let text = "\"We used to see hustlers,\" Andrei Illarionov told a press conference.\n\n\
                    Mr Gref, an opponent of nationalisation, was keen to distance himself \
                    from the comments. The privatisation had been badly handled, he said.";
        assert_eq!(resolve_name(text, "he").as_deref(), Some("Gref"));
        // Reuters: and a surname before a relative clause.
        let text = "Nakasone is due to retire.\n\nTakeshita, who is head of the party's \
                    largest faction, had opposed the idea, but he told reporters no.";
        assert_eq!(resolve_name(text, "he").as_deref(), Some("Takeshita"));
    }

    #[test]
    fn a_surname_that_is_also_a_given_name_links_to_the_full_name() {
        // BBC politics: `Kelly` is a woman's given name, but `Mr Kelly` is
        // Tony Kelly, and so is `Kelly` alone.
        let text = "Napier's lawyer Tony Kelly believes the action will be followed. \
                    Mr Kelly said no.";
        assert_eq!(resolve_name(text, "Kelly").as_deref(), Some("Tony Kelly"));
        let text = "Tony Kelly believes the action will be followed. Kelly said no.";
        assert_eq!(resolve_name(text, "Kelly").as_deref(), Some("Tony Kelly"));
        // A woman of that surname is not him.
        let text = "Tony Kelly believes the action will be followed. Mrs Kelly said no.";
        assert_ne!(resolve_name(text, "Kelly").as_deref(), Some("Tony Kelly"));
    }

    #[test]
    fn a_body_named_in_lowercase_is_itself() {
        // BBC politics: a Commons committee, written as BBC writes them.
        let text = "A body should be set up, a committee of MPs has said. There was a \
                    crisis, the Commons science and technology committee added.";
        assert_resolves(
            text,
            "the Commons science and technology committee",
            RoleNoun,
            Some("Commons science and technology committee"),
        );
        // A country's body takes its proper name's capitals.
        assert_resolves(
            "There was a crisis, the French agriculture ministry said.",
            "the French agriculture ministry",
            RoleNoun,
            Some("French Agriculture Ministry"),
        );
        // A government is no name of its own; nor is a description with no
        // capitalised word.
        for phrase in ["the Chinese foreign government", "the science committee"] {
            let text = format!("There was a crisis, {phrase} said.");
            assert_resolves(&text, phrase, RoleNoun, None);
        }
    }

    #[test]
    fn a_description_may_refer_to_a_person_titled_otherwise() {
        // PolNeAR (AP): `magnate` describes Trump whatever his title.
        let text = "Republican presidential hopeful Donald Trump says he does not watch \
                    football.\n\nTrump drew the analogy during a campaign speech in Reno.\n\n\
                    The billionaire real estate magnate says a violent hit now draws a penalty.";
        assert_resolves(
            text,
            "The billionaire real estate magnate",
            RoleNoun,
            Some("Donald Trump"),
        );
    }

    #[test]
    fn the_newspaper_is_the_outlet_the_article_names() {
        // Reuters: an outlet named by its capitalised word, then `The newspaper`.
        let text = "Chile will open talks, the influential Mercurio newspaper reported. \
                    The newspaper, quoting official sources, said the talks start soon.";
        let document = Document::new(text, "en");
        let mut table = table_of(&document);
        let role_noun = |first: usize, last: usize| Mention {
            first,
            last,
            kind: RoleNoun,
            written: None,
        };
        assert_eq!(document.slice(5, 8), "the influential Mercurio newspaper");
        let outlet = table.resolve(&document, &role_noun(5, 8)).unwrap();
        table.record(&document, 5, outlet);
        assert_eq!(table.entities[outlet].name, "Mercurio");
        assert_eq!(document.slice(11, 12), "The newspaper");
        assert_eq!(table.resolve(&document, &role_noun(11, 12)), Some(outlet));
        // PolNeAR: an outlet whose name ends like one.
        let text = "The Advocate urged Clinton to visit. Louisiana is a red state, \
                    the editorial said.";
        assert_resolves(text, "the editorial", RoleNoun, Some("Advocate"));
        // No outlet named: nobody.
        let text = "Smith Corp urged Clinton to visit. Louisiana is a red state, \
                    the editorial said.";
        assert_resolves(text, "the editorial", RoleNoun, None);
    }

    #[test]
    fn a_bodys_officer_is_the_person_of_no_role_just_named() {
        // BBC politics: the role the name came without.
        let officer = "The political reform group's general secretary";
        let story = |speaker: &str| {
            format!(
                "{speaker} said the change was overdue. {officer} told BBC Radio there \
                 were some out-dated features."
            )
        };
        let text = story("The Fabian Society's Sundar Katwala");
        assert_resolves(&text, officer, RoleNoun, Some("Sundar Katwala"));
        // No possessive body: a role no one holds stays unresolved.
        let text = "Sundar Katwala said the change was overdue. The general secretary \
                    told BBC Radio there were some out-dated features.";
        assert_resolves(text, "The general secretary", RoleNoun, None);
        // A person with another role is not the officer.
        let text = story("Fabian Society chairman Sundar Katwala");
        assert_resolves(&text, officer, RoleNoun, None);
    }

    #[test]
    fn a_word_of_several_bodies_is_the_body_of_that_word_alone() {
        // Reuters-21578: `Astra` is `Astra Corporation`, not the workers' trust.
        let text = "The government bought 85 pct of <Astra Corporation>, Astra announced. \
                    A stake was donated to the Astra Corporation Workers' Trust.";
        let document = Document::new(text, "en");
        let table = table_of(&document);
        let astra = (0..document.tokens.len())
            .find(|&i| document.word(i) == "Astra" && document.word(i + 1) == "announced")
            .and_then(|i| table.name_at(i, i))
            .map(|e| &table.entities[e]);
        assert_eq!(
            astra.map(|e| (e.name.as_str(), e.kind)),
            Some(("Astra Corporation", SpeakerKind::Organization))
        );
    }

    #[test]
    fn a_document_by_a_named_author_is_the_authors() {
        // BBC tech: the first author of a joint survey.
        let text = "According to a survey conducted by security firm Mirapoint and market \
                    research company the Radicati Group, a third of users have clicked.";
        assert_resolves(text, "a survey", Descriptor, Some("Mirapoint"));
        let text = "The board received a letter from Lee Scott yesterday.";
        assert_resolves(text, "a letter", Descriptor, Some("Lee Scott"));
        // No `by` or `from` right after it, or a clause between: no author.
        let text = "A survey published in London by Mirapoint found it.";
        assert_resolves(text, "A survey", Descriptor, None);
        let text = "A survey by phone of 2,000 people for Mirapoint found it.";
        assert_resolves(text, "A survey", Descriptor, None);
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
            // BBC sport 177: a given name standing alone (`Chelsea`, the
            // club) is no surer a person than the subject before it.
            (
                "Liverpool legend Phil Thompson has pleaded with Steven Gerrard to stay.\n\n\
                 The assistant boss warned that any honours won at Chelsea would be \
                 cheapened. He told Radio Five: yes.",
                "He",
                Some("Phil Thompson"),
            ),
            // Cataphora (BBC politics): before any person is named, the
            // first person who is then a subject, not an object.
            (
                "But he denied it. Gordon Brown said the UK would invest.",
                "he",
                Some("Gordon Brown"),
            ),
            (
                "The campaign director denied claiming he warned Michael Howard. \
                 Australian Lynton Crosby told the paper so.",
                "he",
                Some("Lynton Crosby"),
            ),
        ];
        for (text, word, expected) in cases {
            assert_eq!(resolve_name(text, word).as_deref(), expected, "{text}");
        }
    }
}
