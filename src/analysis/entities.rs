//! Named entities: the people, places and organisations an article names,
//! canonicalised within the article like speakers are (`US`, `U.S.` and
//! `America` are one `United States`; `Blinken` after `Anthony Blinken` is
//! `Antony Blinken`), with people's roles and affiliations where the text
//! gives them (`Chinese Foreign Minister Wang Yi`).
//!
//! Recognition reads capitalised runs of [`Words`] (`of` and `of the` may join
//! them) and splits each run into pieces the [`Gazetteer`] knows (places,
//! organisations, demonyms, titles, honorifics) and unknown names. An unknown
//! name is a person when a title, an honorific or a common given name comes
//! with it, or a speech verb follows it; an organisation when it ends like one
//! (`... Ministry`, `... Group`) or is an unknown acronym. Single words (`Xi`,
//! `Blinken`) resolve to a person named in full elsewhere in the article. A
//! capital city that acts (`Beijing has slammed ...`) is also its government.

use super::cues;
use super::gazetteer::{Gazetteer, KnownName, COMPANY_CATEGORY, GOVERNMENT_CATEGORY};
use super::lexicon::{FUNCTION_WORD, MONTH};
use super::speakers::Aliases;
use super::words::{Gap, Shape, Words};
use crate::model::{Entity, EntityKind};
use foldhash::{HashMap, HashMapExt};

/// Most aliases kept per entity.
const MAX_ALIASES: usize = 8;

/// Longest unknown name taken as a person, in words.
const MAX_PERSON_WORDS: usize = 4;

/// One occurrence of an entity in the title or body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityMention {
    /// Index of the entity in [`Recognition::entities`].
    pub entity: usize,
    /// First word of the mention (an index into [`Words`]).
    pub first: usize,
    /// Last word of the mention.
    pub last: usize,
}

/// The entities of an article and where they are mentioned.
#[derive(Debug, Clone, Default)]
pub struct Recognition {
    /// Entities, most mentioned first.
    pub entities: Vec<Entity>,
    /// Mentions in text order.
    pub mentions: Vec<EntityMention>,
    /// Word ranges (first, last) of the roles written next to people's names
    /// (`Chinese Foreign Minister`).
    pub role_spans: Vec<(usize, usize)>,
}

/// A role found next to a person's name.
#[derive(Debug, Clone)]
struct RoleCandidate {
    text: String,
    /// Its words (first, last).
    span: (usize, usize),
    /// Capitalised as a formal title, inside the name run.
    formal: bool,
    words: usize,
    affiliation: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CandidateKind {
    Entity(EntityKind),
    /// A contextual short name (`Communist Party`) to resolve by country.
    Contextual,
    /// A capitalised single word or unclassified name that may be a person
    /// named in full elsewhere.
    MaybePerson {
        /// A title or honorific came with it: a person even when unresolved.
        addressed: bool,
    },
}

#[derive(Debug, Clone)]
struct Candidate {
    kind: CandidateKind,
    /// Canonical name (for places and organisations) or the name as written.
    name: String,
    first: usize,
    last: usize,
    role: Option<RoleCandidate>,
    affiliation: Option<String>,
    /// For contextual names, the `(country, organisation)` choices.
    choices: Vec<(String, String)>,
    /// For organisations, their category when known.
    category: Option<&'static str>,
    /// For places the gazetteer knows, the country they are in (`None` for a
    /// country itself).
    country: Option<String>,
}

impl Candidate {
    /// A candidate with nothing known beyond its kind, name and words.
    fn new(kind: CandidateKind, name: String, first: usize, last: usize) -> Candidate {
        Candidate {
            kind,
            name,
            first,
            last,
            role: None,
            affiliation: None,
            choices: Vec::new(),
            category: None,
            country: None,
        }
    }
}

/// What a capitalised run has said since its last name: a qualifier
/// (country, demonym, organisation) and titles make the role of the next
/// unknown name; an honorific says it is a person's.
#[derive(Default)]
struct RunContext {
    qualifier: Option<(usize, String)>,
    title_start: usize,
    title_end: Option<usize>,
    addressed: bool,
}

impl RunContext {
    /// A qualifier starting at `start`, naming `affiliation`.
    fn qualify(&mut self, start: usize, affiliation: String) {
        self.qualifier = Some((start, affiliation));
        self.title_end = None;
    }

    /// The formal role the titles (and the qualifier before them) make.
    fn role(&self, words: &Words) -> Option<RoleCandidate> {
        let role_end = self.title_end?;
        let role_start = match &self.qualifier {
            Some((qualifier_start, _)) => *qualifier_start,
            None => self.title_start,
        }
        .min(role_end);
        Some(RoleCandidate {
            text: words.span_text(role_start, role_end).to_owned(),
            span: (role_start, role_end),
            formal: true,
            words: role_end + 1 - role_start,
            affiliation: self.qualifier.as_ref().map(|(_, a)| a.clone()),
        })
    }
}

/// Pushes the candidate of a known name at `start..=end` (and, when it ends
/// the run and acts, `China said`, its government); returns the affiliation
/// it gives a role that follows.
fn push_known(
    words: &Words,
    known: &KnownName,
    start: usize,
    end: usize,
    ends_run: bool,
    out: &mut Vec<Candidate>,
) -> String {
    let mut candidate = Candidate::new(
        CandidateKind::Entity(known.kind),
        known.name.clone(),
        start,
        end,
    );
    candidate.category = known.category;
    candidate.country = known.country.clone();
    out.push(candidate);
    if let Some(government) = known.government_when_acting.as_ref() {
        if ends_run && acts_after(words, end) {
            let mut acting = Candidate::new(
                CandidateKind::Entity(EntityKind::Organization),
                government.clone(),
                start,
                end,
            );
            acting.category = Some(GOVERNMENT_CATEGORY);
            out.push(acting);
        }
    }
    match known.kind {
        EntityKind::Place => known
            .country
            .clone()
            .filter(|_| known.government_when_acting.is_none())
            .unwrap_or_else(|| known.name.clone()),
        _ => known.name.clone(),
    }
}

/// One piece of a capitalised run.
#[derive(Debug, Clone)]
enum Piece<'g> {
    Known(&'g KnownName),
    Title,
    Demonym(&'g str),
    Honorific,
    Connector,
    Contextual(Vec<(String, String)>),
    Unknown,
}

/// Recognises the entities of an article.
#[derive(Debug, Clone, Copy)]
pub struct EntityRecognizer<'a> {
    gazetteer: &'a Gazetteer,
    aliases: &'a Aliases,
}

impl<'a> EntityRecognizer<'a> {
    /// A recognizer over a gazetteer and the speaker alias table (which
    /// canonicalises people's names).
    pub fn new(gazetteer: &'a Gazetteer, aliases: &'a Aliases) -> Self {
        EntityRecognizer { gazetteer, aliases }
    }

    /// Finds the entities of `words`.
    pub fn recognize(&self, words: &Words) -> Recognition {
        let mut candidates = Vec::new();
        let shouting_title = (0..words.body_start()).all(|i| words.all()[i].shape != Shape::Lower)
            && words.body_start() > 2;
        let mut key = String::new();
        let mut index = 0;
        while index < words.len() {
            if !self.is_name_word(words, index) {
                index += 1;
                continue;
            }
            let last = self.run_end(words, index);
            let gazetteer_only = shouting_title && index < words.body_start();
            self.read_run(
                words,
                index,
                last,
                gazetteer_only,
                &mut key,
                &mut candidates,
            );
            index = last + 1;
        }
        self.resolve(words, candidates)
    }

    fn is_name_word(&self, words: &Words, index: usize) -> bool {
        let word = &words.all()[index];
        match word.shape {
            Shape::Capitalized => {
                // Capitalised content stopwords start names (`New York`,
                // `Time Warner`, `First Minister`); function words never do.
                let norm = words.norm(index);
                (!word.stopword
                    || word.flags & FUNCTION_WORD == 0
                    || self.gazetteer.is_honorific(norm))
                    && word.flags & MONTH == 0
            }
            Shape::Upper => {
                let norm = words.norm(index);
                norm.chars().count() >= 2 || !word.stopword && norm != "i" && norm != "a"
            }
            Shape::Lower | Shape::Number => false,
        }
    }

    /// The last word of the capitalised run starting at `first`.
    fn run_end(&self, words: &Words, first: usize) -> usize {
        let all = words.all();
        let mut last = first;
        loop {
            if all[last].possessive {
                return last;
            }
            let next = last + 1;
            if next >= words.len() || all[next].in_title != all[last].in_title {
                return last;
            }
            if matches!(all[next].gap, Gap::Space | Gap::Hyphen) && self.is_name_word(words, next) {
                last = next;
                continue;
            }
            // `Secretary of State`, `Great Hall of the People`.
            if all[next].gap == Gap::Space && words.norm(next) == "of" {
                let mut after = next + 1;
                if after < words.len() && words.norm(after) == "the" {
                    after += 1;
                }
                if after < words.len()
                    && all[after].gap == Gap::Space
                    && all[after].in_title == all[last].in_title
                    && self.is_name_word(words, after)
                {
                    last = after;
                    continue;
                }
            }
            return last;
        }
    }

    /// Splits the run `first..=last` into pieces.
    fn pieces(
        &self,
        words: &Words,
        first: usize,
        last: usize,
        key: &mut String,
    ) -> Vec<(usize, usize, Piece<'a>)> {
        let gazetteer = self.gazetteer;
        let mut pieces: Vec<(usize, usize, Piece<'a>)> = Vec::new();
        let mut position = first;
        // A run of two or more words that starts with a common given name is
        // one person (`Victoria Beckham`, `Michael Jordan`), unless the
        // gazetteer knows the whole run.
        if last > first
            && last - first < MAX_PERSON_WORDS
            && gazetteer.is_given_name(words.norm(first))
            && (first..=last).all(|i| words.norm(i) != "of" && words.norm(i) != "the")
            && gazetteer
                .longest_name_at(words, first, last, key)
                .is_none_or(|(length, _)| length < last + 1 - first)
        {
            return vec![(first, last, Piece::Unknown)];
        }
        while position <= last {
            let norm = words.norm(position);
            let (length, piece) = if let Some((length, known)) =
                gazetteer.longest_name_at(words, position, last, key)
            {
                (length, Piece::Known(known))
            } else if let Some(length) = gazetteer.longest_title_at(words, position, last, key) {
                (length, Piece::Title)
            } else if let Some(country) = gazetteer.country_of_demonym(norm) {
                (1, Piece::Demonym(country))
            } else if gazetteer.is_honorific(norm) {
                (1, Piece::Honorific)
            } else if let Some((length, choices)) =
                gazetteer.longest_contextual_at(words, position, last, key)
            {
                (length, Piece::Contextual(choices.to_vec()))
            } else if norm == "of" || norm == "the" {
                (1, Piece::Connector)
            } else {
                (1, Piece::Unknown)
            };
            let end = position + length - 1;
            match (pieces.last_mut(), &piece) {
                (Some((_, previous_end, Piece::Unknown)), Piece::Unknown) => *previous_end = end,
                (Some((_, previous_end, Piece::Connector)), Piece::Connector) => {
                    *previous_end = end
                }
                _ => pieces.push((position, end, piece)),
            }
            position = end + 1;
        }
        pieces
    }

    /// Reads the candidates of one capitalised run `first..=last`, piece by
    /// piece: known names, titles and qualifiers that make the role of the
    /// next unknown name, `X of Y` organisations, contextual names and
    /// unknown names (with `gazetteer_only`, known names only).
    fn read_run(
        &self,
        words: &Words,
        first: usize,
        last: usize,
        gazetteer_only: bool,
        key: &mut String,
        out: &mut Vec<Candidate>,
    ) {
        let pieces = self.pieces(words, first, last, key);
        let mut context = RunContext::default();
        let mut piece_index = 0;
        while piece_index < pieces.len() {
            let (start, end, piece) = &pieces[piece_index];
            let (start, end) = (*start, *end);
            match piece {
                Piece::Known(known) => {
                    let affiliation = push_known(words, known, start, end, end == last, out);
                    context.qualify(start, affiliation);
                }
                Piece::Demonym(country) => context.qualify(start, (*country).to_owned()),
                Piece::Title => {
                    if context.title_end.is_none() {
                        context.title_start = start;
                    }
                    context.title_end = Some(end);
                }
                Piece::Honorific => context.addressed = true,
                Piece::Connector => {
                    if !gazetteer_only
                        && self.push_organization_of(words, &pieces, piece_index, out)
                    {
                        piece_index += 2;
                        context.qualifier = None;
                        context.title_end = None;
                    } else {
                        context = RunContext::default();
                    }
                }
                Piece::Contextual(choices) => {
                    let name = words.span_text(start, end).to_owned();
                    // `China's Foreign Ministry`, `the Libyan Central Bank`:
                    // a country right before says whose body it is.
                    let possessor = (piece_index == 0)
                        .then(|| self.possessive_before(words, first, key))
                        .flatten();
                    let qualified = context
                        .qualifier
                        .as_ref()
                        .map(|(_, place)| place.clone())
                        .or(possessor)
                        .filter(|place| self.gazetteer.is_country(place))
                        .and_then(|country| self.gazetteer.contextual_body(&name, &country));
                    let mut candidate = match qualified {
                        Some(body) => {
                            let mut candidate = Candidate::new(
                                CandidateKind::Entity(EntityKind::Organization),
                                body,
                                start,
                                end,
                            );
                            candidate.category = self
                                .gazetteer
                                .lookup(&candidate.name)
                                .and_then(|known| known.category);
                            candidate
                        }
                        None => Candidate::new(CandidateKind::Contextual, name, start, end),
                    };
                    candidate.choices = choices.clone();
                    out.push(candidate);
                    context.qualifier = None;
                    context.title_end = None;
                }
                Piece::Unknown if gazetteer_only => {}
                Piece::Unknown => {
                    let role = match context.role(words) {
                        None if piece_index == 0 => self.role_before(words, first, key),
                        role => role,
                    };
                    let affiliation = if piece_index == 0 {
                        self.possessive_before(words, first, key)
                    } else {
                        None
                    };
                    out.push(self.classify_unknown(
                        words,
                        start,
                        end,
                        role,
                        affiliation,
                        context.addressed || context.title_end.is_some(),
                    ));
                    context = RunContext::default();
                }
            }
            piece_index += 1;
        }
    }

    /// `Ministry of Defence`, `Bank of China`: an organisation word, `of`
    /// (the connector at `connector`), and a name make one organisation,
    /// which replaces the candidate made of the organisation word. Whether it
    /// did.
    fn push_organization_of(
        &self,
        words: &Words,
        pieces: &[(usize, usize, Piece)],
        connector: usize,
        out: &mut Vec<Candidate>,
    ) -> bool {
        let (Some((previous_start, previous_end, Piece::Unknown)), Some(next)) = (
            pieces.get(connector.wrapping_sub(1)),
            pieces.get(connector + 1),
        ) else {
            return false;
        };
        if !self
            .gazetteer
            .is_organization_ending(words.norm(*previous_end))
            || !matches!(next.2, Piece::Unknown | Piece::Known(_))
        {
            return false;
        }
        if out.last().is_some_and(|c| c.first == *previous_start) {
            out.pop();
        }
        out.push(Candidate::new(
            CandidateKind::Entity(EntityKind::Organization),
            words.span_text(*previous_start, next.1).to_owned(),
            *previous_start,
            next.1,
        ));
        true
    }

    /// Decides what an unknown name `first..=last` is.
    fn classify_unknown(
        &self,
        words: &Words,
        first: usize,
        last: usize,
        role: Option<RoleCandidate>,
        affiliation: Option<String>,
        addressed: bool,
    ) -> Candidate {
        let gazetteer = self.gazetteer;
        let length = last + 1 - first;
        let name = words.span_text(first, last).to_owned();
        let candidate = |kind| Candidate::new(kind, name.clone(), first, last);
        let last_norm = words.norm(last);
        if gazetteer.is_organization_ending(last_norm) && length > 1 {
            let mut organization = candidate(CandidateKind::Entity(EntityKind::Organization));
            if gazetteer.is_company_ending(last_norm) {
                organization.category = Some(COMPANY_CATEGORY);
            }
            return organization;
        }
        let acronym = length == 1
            && words.all()[first].shape == Shape::Upper
            && (2..=6).contains(&last_norm.len())
            && !gazetteer.is_not_organization(last_norm);
        if acronym {
            return candidate(CandidateKind::Entity(EntityKind::Organization));
        }
        let person_like = (first..=last).all(|i| words.all()[i].shape == Shape::Capitalized);
        if length == 1 {
            let mut single = candidate(CandidateKind::MaybePerson { addressed });
            single.role = role;
            single.affiliation = affiliation;
            return single;
        }
        let is_person = person_like
            && length <= MAX_PERSON_WORDS
            && (role.is_some()
                || addressed
                || gazetteer.is_given_name(words.norm(first))
                || speaks_after(words, last)
                || according_to_before(words, first));
        let mut found = candidate(if is_person {
            CandidateKind::Entity(EntityKind::Person)
        } else {
            CandidateKind::MaybePerson { addressed: false }
        });
        found.role = role;
        found.affiliation = affiliation;
        found
    }

    /// A lowercase title just before a name (`top US ambassador Anthony
    /// Blinken`), with a country or organisation before it.
    fn role_before(&self, words: &Words, first: usize, key: &mut String) -> Option<RoleCandidate> {
        let all = words.all();
        if all[first].gap != Gap::Space || first == 0 {
            return None;
        }
        let floor = if first >= words.body_start() {
            words.body_start()
        } else {
            0
        };
        for length in (1..=3usize).rev() {
            let Some(title_start) = first.checked_sub(length) else {
                continue;
            };
            if title_start < floor
                || (title_start + 1..first).any(|i| all[i].gap != Gap::Space)
                || (title_start..first).any(|i| all[i].shape != Shape::Lower)
            {
                continue;
            }
            if self
                .gazetteer
                .longest_title_at(words, title_start, first - 1, key)
                != Some(length)
            {
                continue;
            }
            let (role_start, affiliation) = self
                .qualifier_ending_at(words, title_start, floor, key)
                .map_or((title_start, None), |(start, name)| (start, Some(name)));
            return Some(RoleCandidate {
                text: words.span_text(role_start, first - 1).to_owned(),
                span: (role_start, first - 1),
                formal: false,
                words: first - role_start,
                affiliation,
            });
        }
        None
    }

    /// The country, demonym or organisation that ends just before word
    /// `before` (`US` in `US ambassador`, `Arsenal` in `Arsenal manager`).
    fn qualifier_ending_at(
        &self,
        words: &Words,
        before: usize,
        floor: usize,
        key: &mut String,
    ) -> Option<(usize, String)> {
        let all = words.all();
        if before <= floor || all[before].gap != Gap::Space {
            return None;
        }
        let end = before - 1;
        if !all[end].is_capitalized() || all[end].possessive {
            return None;
        }
        if let Some(country) = self.gazetteer.country_of_demonym(words.norm(end)) {
            return Some((end, country.to_owned()));
        }
        for start in (floor.max(end.saturating_sub(3))..=end).rev() {
            if let Some((length, known)) = self.gazetteer.longest_name_at(words, start, end, key) {
                if start + length - 1 == end {
                    return Some((start, known.name.clone()));
                }
            }
        }
        None
    }

    /// A possessive organisation or country just before a name (`CNN's Kylie Atwood`).
    fn possessive_before(&self, words: &Words, first: usize, key: &mut String) -> Option<String> {
        let all = words.all();
        if first == 0 || all[first].gap != Gap::Space {
            return None;
        }
        let end = first - 1;
        if !all[end].possessive || !all[end].is_capitalized() {
            return None;
        }
        for start in (end.saturating_sub(3)..=end).rev() {
            if let Some((length, known)) = self.gazetteer.longest_name_at(words, start, end, key) {
                if start + length - 1 == end {
                    return Some(known.name.clone());
                }
            }
        }
        None
    }

    /// Second pass: resolves single words and contextual names, merges
    /// mentions into canonical entities.
    fn resolve(&self, words: &Words, mut candidates: Vec<Candidate>) -> Recognition {
        // People named in full, by canonical name, with the words of their names.
        let mut people: Vec<(String, Vec<String>)> = Vec::new();
        for candidate in &mut candidates {
            if candidate.kind == CandidateKind::Entity(EntityKind::Person) {
                candidate.name = self.canonical_person(&candidate.name);
                let name_words =
                    name_norms(words, candidate.first, candidate.last, &candidate.name);
                match people.iter_mut().find(|(name, _)| *name == candidate.name) {
                    Some((_, known)) => {
                        for word in name_words {
                            if !known.contains(&word) {
                                known.push(word);
                            }
                        }
                    }
                    None => people.push((candidate.name.clone(), name_words)),
                }
            }
        }
        let mut country_mentions: HashMap<&str, usize> = HashMap::new();
        for candidate in &candidates {
            if candidate.kind == CandidateKind::Entity(EntityKind::Place) {
                let country = candidate.country.as_deref().unwrap_or(&candidate.name);
                *country_mentions.entry(country).or_default() += 1;
            }
        }
        let country_mentions: HashMap<String, usize> = country_mentions
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();

        let mut recognition = Recognition::default();
        let mut index_of: HashMap<(EntityKind, String), usize> = HashMap::new();
        let mut roles: Vec<Option<RoleCandidate>> = Vec::new();
        let mut affiliations: Vec<Option<String>> = Vec::new();
        for candidate in candidates {
            let mut category = candidate.category;
            let (kind, name) = match candidate.kind {
                CandidateKind::Entity(kind) => (kind, candidate.name.clone()),
                CandidateKind::Contextual => {
                    let best = candidate
                        .choices
                        .iter()
                        .filter_map(|(country, organisation)| {
                            country_mentions
                                .get(country)
                                .map(|count| (*count, organisation))
                        })
                        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)));
                    match best {
                        Some((_, organisation)) => {
                            category = self
                                .gazetteer
                                .lookup(organisation)
                                .and_then(|known| known.category);
                            (EntityKind::Organization, organisation.clone())
                        }
                        None => continue,
                    }
                }
                CandidateKind::MaybePerson { addressed } => {
                    match self.resolve_person(words, &candidate, &people, addressed) {
                        Some(name) => (EntityKind::Person, name),
                        None if addressed
                            && candidate.first == candidate.last
                            && words.all()[candidate.first].shape == Shape::Capitalized =>
                        {
                            (EntityKind::Person, candidate.name.clone())
                        }
                        None => continue,
                    }
                }
            };
            let entity = *index_of.entry((kind, name.clone())).or_insert_with(|| {
                recognition.entities.push(Entity {
                    name: name.clone(),
                    kind,
                    role: None,
                    affiliation: None,
                    category: None,
                    aliases: Vec::new(),
                    mentions: 0,
                });
                roles.push(None);
                affiliations.push(None);
                recognition.entities.len() - 1
            });
            let record = &mut recognition.entities[entity];
            record.mentions += 1;
            if record.category.is_none() && kind == EntityKind::Organization {
                record.category = category.map(str::to_owned);
            }
            let surface = words.span_text(candidate.first, candidate.last);
            if surface != record.name
                && record.aliases.len() < MAX_ALIASES
                && !record.aliases.iter().any(|a| a == surface)
            {
                record.aliases.push(surface.to_owned());
            }
            if let Some(role) = candidate.role {
                recognition.role_spans.push(role.span);
                let better = match &roles[entity] {
                    None => true,
                    Some(current) => (role.formal, role.words) > (current.formal, current.words),
                };
                if better {
                    roles[entity] = Some(role);
                }
            }
            if affiliations[entity].is_none() {
                affiliations[entity] = candidate.affiliation;
            }
            recognition.mentions.push(EntityMention {
                entity,
                first: candidate.first,
                last: candidate.last,
            });
        }
        for ((entity, role), affiliation) in
            recognition.entities.iter_mut().zip(roles).zip(affiliations)
        {
            if let Some(role) = role {
                entity.affiliation = role.affiliation.or(affiliation);
                entity.role = Some(role.text);
            } else {
                entity.affiliation = affiliation;
            }
        }
        // Most mentioned first; mentions keep pointing at the right entity.
        let mut order: Vec<usize> = (0..recognition.entities.len()).collect();
        order.sort_by(|a, b| {
            let (x, y) = (&recognition.entities[*a], &recognition.entities[*b]);
            y.mentions
                .cmp(&x.mentions)
                .then_with(|| x.kind.cmp(&y.kind))
                .then_with(|| x.name.cmp(&y.name))
        });
        let mut new_index = vec![0; order.len()];
        for (position, old) in order.iter().enumerate() {
            new_index[*old] = position;
        }
        let mut sorted: Vec<Option<Entity>> = recognition.entities.into_iter().map(Some).collect();
        recognition.entities = order.iter().filter_map(|old| sorted[*old].take()).collect();
        for mention in &mut recognition.mentions {
            mention.entity = new_index[mention.entity];
        }
        recognition
    }

    fn canonical_person(&self, name: &str) -> String {
        self.aliases
            .canonical(name)
            .map_or_else(|| name.to_owned(), str::to_owned)
    }

    /// The person a single word or unclassified name refers to, if the
    /// article (or the alias table) names them in full.
    fn resolve_person(
        &self,
        words: &Words,
        candidate: &Candidate,
        people: &[(String, Vec<String>)],
        addressed: bool,
    ) -> Option<String> {
        if let Some(canonical) = self.aliases.canonical(&candidate.name) {
            if people.iter().any(|(name, _)| name == canonical) || candidate.first != candidate.last
            {
                return Some(canonical.to_owned());
            }
        }
        if candidate.first != candidate.last {
            return people
                .iter()
                .find(|(name, _)| *name == candidate.name)
                .map(|(name, _)| name.clone());
        }
        if words.all()[candidate.first].shape != Shape::Capitalized {
            return None;
        }
        let norm = words.norm(candidate.first);
        // A surname (`Blinken`) first, then a family name written first (`Xi`);
        // a common given name alone (`Mark`) is too ambiguous to resolve
        // unless a title or honorific comes with it (`Sir Joshua`).
        people
            .iter()
            .find(|(_, name_words)| name_words.last().is_some_and(|w| w == norm))
            .or_else(|| {
                (addressed || !self.gazetteer.is_given_name(norm))
                    .then(|| {
                        people
                            .iter()
                            .find(|(_, name_words)| name_words.iter().any(|w| w == norm))
                    })
                    .flatten()
            })
            .map(|(name, _)| name.clone())
    }
}

/// The norms of a person's name as written and as canonicalised.
fn name_norms(words: &Words, first: usize, last: usize, canonical: &str) -> Vec<String> {
    let mut norms: Vec<String> = (first..=last).map(|i| words.norm(i).to_owned()).collect();
    for word in canonical.split_whitespace() {
        let folded = word.to_lowercase().replace('.', "");
        if !norms.contains(&folded) {
            norms.insert(norms.len().saturating_sub(1), folded);
        }
    }
    // The surname stays last.
    if let Some(surname) = (first..=last).last().map(|i| words.norm(i).to_owned()) {
        norms.retain(|n| *n != surname);
        norms.push(surname);
    }
    norms
}

/// Whether a speech verb that takes a reported clause follows word `last`
/// (`Kylie Atwood said`).
fn speaks_after(words: &Words, last: usize) -> bool {
    let next = last + 1;
    next < words.len()
        && words.all()[next].gap == Gap::Space
        && english_classes(words.norm(next)) & cues::CLAUSE != 0
}

/// The cue classes of an English word (`config/lang/en.toml`): enrichment's
/// word lists are English.
fn english_classes(norm: &str) -> cues::WordClass {
    cues::Lexicon::for_language("en").classes(norm)
}

/// Whether `according to` comes just before word `first`.
fn according_to_before(words: &Words, first: usize) -> bool {
    first >= 2
        && words.norm(first - 1) == "to"
        && words.norm(first - 2) == "according"
        && words.all()[first].gap == Gap::Space
}

/// Whether the words after `last` make it an actor: a cue or acting verb
/// (`slammed`, `sees`), possibly after adverbs (`also`, `repeatedly`), or
/// a past participle after an auxiliary (`has (previously) denied`, `will
/// respond`).
fn acts_after(words: &Words, last: usize) -> bool {
    let all = words.all();
    let mut next = last + 1;
    let mut after_auxiliary = false;
    while next < words.len() && all[next].gap == Gap::Space && all[next].shape == Shape::Lower {
        let norm = words.norm(next);
        let classes = english_classes(norm);
        if classes & (cues::SPEECH | cues::FRAGMENT | cues::ACTING_VERB) != 0 {
            return true;
        }
        if classes & cues::AUXILIARY != 0 && !after_auxiliary {
            after_auxiliary = true;
        } else if classes & cues::ADVERB != 0 {
        } else {
            return after_auxiliary
                && !all[next].stopword
                && (norm.ends_with("ed") || norm.ends_with("en") || norm.ends_with("wn"));
        }
        next += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::speakers::DEFAULT_ALIASES;

    fn recognize(title: &str, body: &str) -> Recognition {
        let gazetteer = Gazetteer::built_in().unwrap();
        let aliases = Aliases::parse(DEFAULT_ALIASES).unwrap();
        let words = Words::new(title, body);
        EntityRecognizer::new(&gazetteer, &aliases).recognize(&words)
    }

    fn find<'r>(recognition: &'r Recognition, kind: EntityKind, name: &str) -> Option<&'r Entity> {
        recognition
            .entities
            .iter()
            .find(|e| e.kind == kind && e.name == name)
    }

    #[test]
    fn places_are_canonical_and_counted() {
        let found = recognize(
            "US and China",
            "The U.S. said America and the United States differ from US-China rivals.",
        );
        let us = find(&found, EntityKind::Place, "United States").expect("United States");
        assert_eq!(us.mentions, 5);
        assert!(us.aliases.contains(&"America".to_owned()));
        assert_eq!(
            find(&found, EntityKind::Place, "China").unwrap().mentions,
            2
        );
        assert_eq!(
            found.entities[0].name, "United States",
            "most mentioned first"
        );
    }

    #[test]
    fn people_get_roles_affiliations_and_short_forms() {
        let found = recognize(
            "",
            "Chinese Foreign Minister Wang Yi met top US ambassador Anthony Blinken. \
             Later, U.S. Secretary of State Anthony Blinken said Wang was firm. \
             Blinken added more. CNN's Kylie Atwood asked. Mr Smith agreed.",
        );
        let wang = find(&found, EntityKind::Person, "Wang Yi").expect("Wang Yi");
        assert_eq!(wang.role.as_deref(), Some("Chinese Foreign Minister"));
        assert_eq!(wang.affiliation.as_deref(), Some("China"));
        assert_eq!(wang.mentions, 2);
        let blinken = find(&found, EntityKind::Person, "Antony Blinken").expect("Blinken");
        assert_eq!(blinken.role.as_deref(), Some("U.S. Secretary of State"));
        assert_eq!(blinken.affiliation.as_deref(), Some("United States"));
        assert_eq!(blinken.mentions, 3);
        let atwood = find(&found, EntityKind::Person, "Kylie Atwood").expect("Atwood");
        assert_eq!(atwood.affiliation.as_deref(), Some("CNN"));
        assert!(find(&found, EntityKind::Person, "Smith").is_some());
        assert!(find(&found, EntityKind::Organization, "CNN").is_some());
    }

    #[test]
    fn acting_capitals_are_also_governments() {
        let found = recognize(
            "",
            "Beijing has previously denied it. He left Beijing on Friday. Washington sees risk.",
        );
        assert_eq!(
            find(&found, EntityKind::Place, "Beijing").unwrap().mentions,
            2
        );
        let government = find(&found, EntityKind::Organization, "Chinese government").unwrap();
        assert_eq!(government.mentions, 1);
        assert!(find(&found, EntityKind::Organization, "US government").is_some());
    }

    #[test]
    fn organisations_by_gazetteer_ending_acronym_and_context() {
        let found = recognize(
            "",
            "China's ruling Communist Party met Byte Dance and the Diaoyutai Investment Group. \
             The Ministry of Defence and the XYZ agreed with the CEO in China.",
        );
        for name in [
            "Chinese Communist Party",
            "ByteDance",
            "Diaoyutai Investment Group",
            "Ministry of Defence",
            "XYZ",
        ] {
            assert!(
                find(&found, EntityKind::Organization, name).is_some(),
                "{name}: {:?}",
                found.entities
            );
        }
        assert!(
            found.entities.iter().all(|e| e.name != "CEO"),
            "{:?}",
            found.entities
        );
    }

    #[test]
    fn common_capitalised_words_are_not_entities() {
        let found = recognize(
            "",
            "Examples of recent progress include the Great Hall of the People. \
             Peace and Stability. On Friday in April, Speaking to reporters, he left.",
        );
        assert!(found.entities.is_empty(), "{:?}", found.entities);
    }
}
