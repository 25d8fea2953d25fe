//! The gazetteer: what entity recognition knows without reading the article.
//! Three editable files in `config/gazetteer/` (read at start-up like
//! `config/topics.toml`, with copies built into the binary):
//!
//! - `places.toml`: countries (aliases, demonyms, capital, government),
//!   regions and cities;
//! - `organizations.toml`: well-known organisations and agencies, the words
//!   that end organisation names, acronyms that are not organisations, and
//!   short names whose meaning depends on the country an article is about
//!   (`Communist Party` in an article about China), by a table per country
//!   or a pattern (`Kuwaiti Foreign Ministry`);
//! - `people.toml`: titles and roles, honorifics and common given names.
//!
//! Names are matched on [`Words`] norms (lowercase, periods dropped), so
//! `U.S.` and `US` are one key; an alias written without lowercase letters
//! (`US`, `WHO`) matches only when the text writes it in capitals too.

use foldhash::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::text::with_lowercase;
use super::words::{Shape, Words};
use super::AnalysisError;
use crate::model::EntityKind;

/// The built-in `places.toml`.
pub const DEFAULT_PLACES: &str = include_str!("../../config/gazetteer/places.toml");
/// The built-in `organizations.toml`.
pub const DEFAULT_ORGANIZATIONS: &str = include_str!("../../config/gazetteer/organizations.toml");
/// The built-in `people.toml`.
pub const DEFAULT_PEOPLE: &str = include_str!("../../config/gazetteer/people.toml");

/// File names inside the gazetteer directory.
pub const PLACES_FILE: &str = "places.toml";
/// See [`PLACES_FILE`].
pub const ORGANIZATIONS_FILE: &str = "organizations.toml";
/// See [`PLACES_FILE`].
pub const PEOPLE_FILE: &str = "people.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    #[serde(default)]
    countries: Vec<CountryEntry>,
    #[serde(default)]
    regions: Vec<NamedEntry>,
    #[serde(default)]
    cities: Vec<NamedEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    demonyms: Vec<String>,
    #[serde(default)]
    capital: Option<String>,
    /// Other names of the capital (`Peking`), which stand for the
    /// government as the capital does.
    #[serde(default)]
    capital_aliases: Vec<String>,
    #[serde(default)]
    government: Option<String>,
}

/// A place (region, city) or an organisation of the gazetteer files: its
/// name, other names, and the country it belongs to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    country: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganizationsFile {
    #[serde(default)]
    international: Vec<NamedEntry>,
    #[serde(default)]
    government: Vec<NamedEntry>,
    #[serde(default)]
    parties: Vec<NamedEntry>,
    #[serde(default)]
    media: Vec<NamedEntry>,
    #[serde(default)]
    companies: Vec<NamedEntry>,
    #[serde(default)]
    sport: Vec<NamedEntry>,
    #[serde(default)]
    groups: Vec<NamedEntry>,
    #[serde(default)]
    company_endings: Vec<String>,
    #[serde(default)]
    name_endings: Vec<String>,
    #[serde(default)]
    not_organizations: Vec<String>,
    #[serde(default)]
    contextual: HashMap<String, HashMap<String, String>>,
    #[serde(default)]
    contextual_patterns: HashMap<String, String>,
    #[serde(default)]
    contextual_pattern_exceptions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    honorifics: Vec<String>,
    #[serde(default)]
    forms_of_address: Vec<String>,
    #[serde(default)]
    peerages: Vec<String>,
    #[serde(default)]
    given_names: Vec<String>,
    #[serde(default)]
    male_given_names: Vec<String>,
    #[serde(default)]
    female_given_names: Vec<String>,
    #[serde(default)]
    family_names_first: Vec<String>,
    #[serde(default)]
    given_name_variants: Vec<Vec<String>>,
}

/// A name the gazetteer knows.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownName {
    /// Canonical name (`United States`).
    pub name: String,
    /// Place or organisation.
    pub kind: EntityKind,
    /// The country it belongs to, if any (a city's or an agency's country).
    pub country: Option<String>,
    /// For a capital city, the government it stands for when it acts
    /// (`Beijing has slammed ...` → `Chinese government`).
    pub government_when_acting: Option<String>,
    /// For an organisation, its section of `organizations.toml`
    /// (`company`, `media`, `government`, ...).
    pub category: Option<&'static str>,
}

/// The category of organisations named by a government acting (`Chinese government`).
pub const GOVERNMENT_CATEGORY: &str = "government";
/// The category of companies, known or recognised by their name's ending.
pub const COMPANY_CATEGORY: &str = "company";
/// The category of news organisations, broadcasters and agencies.
pub const MEDIA_CATEGORY: &str = "media";

#[derive(Debug, Clone, Copy)]
struct AliasTarget {
    name: u32,
    capitals_only: bool,
}

/// One-word gazetteer entries by what they name, lowercased (see
/// [`Gazetteer::lexicon_words`]).
#[derive(Debug, Default)]
pub struct LexiconWords<'g> {
    /// Places (`england`, `beijing`).
    pub places: Vec<&'g str>,
    /// Organisations (`bundesbank`, `tories`).
    pub organizations: Vec<&'g str>,
    /// Demonyms (`british`, `chinese`).
    pub demonyms: Vec<&'g str>,
    /// Title words (`treasurer`, `exchequer`, `baroness`).
    pub titles: Vec<&'g str>,
}

/// Calls `f` with a one-word title as the gazetteer keys it: lowercase,
/// without its final period (`Mr.` → `mr`).
fn with_title_word<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    with_lowercase(word.strip_suffix('.').unwrap_or(word), f)
}

/// The built-in gazetteer, compiled once (the quote extractor's word
/// classes read it; analysis of a configured gazetteer uses its own).
pub static BUILT_IN: std::sync::LazyLock<Gazetteer> = std::sync::LazyLock::new(|| {
    Gazetteer::built_in().unwrap_or_else(|(file, message)| {
        panic!("the built-in gazetteer ({file}) does not parse: {message}")
    })
});

/// The gender a given name tells (`male_given_names`, `female_given_names`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GivenNameGender {
    /// `Gerhard`, `Nigel`.
    Male,
    /// `Hillary`, `Theresa`.
    Female,
}

/// A compiled gazetteer.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    names: Vec<KnownName>,
    by_key: HashMap<String, Vec<AliasTarget>>,
    longest_name_words: usize,
    demonyms: HashMap<String, String>,
    titles: HashSet<String>,
    longest_title_words: usize,
    honorifics: HashSet<String>,
    forms_of_address: HashSet<String>,
    peerages: HashSet<String>,
    given_names: HashSet<String>,
    given_name_genders: HashMap<String, GivenNameGender>,
    family_names_first: HashSet<String>,
    /// Short forms of given names → the formal names (`jim` → `james`,
    /// `steve` → `stephen`, `steven`).
    formal_given_names: HashMap<String, Vec<String>>,
    name_endings: HashSet<String>,
    company_endings: HashSet<String>,
    not_organizations: HashSet<String>,
    contextual: HashMap<String, Vec<(String, String)>>,
    /// Contextual short name → how its body is named for a country the
    /// table leaves out (`{demonym} Foreign Ministry`).
    contextual_patterns: HashMap<String, String>,
    /// Countries no pattern names a contextual body for (`United States`).
    contextual_pattern_exceptions: HashSet<String>,
    /// Country → its first demonym (`Kuwait` → `Kuwaiti`).
    country_demonyms: HashMap<String, String>,
    governments: HashMap<String, String>,
    multiword_places: HashSet<String>,
}

/// The longest phrase of at most `max_words` words starting at word `first`,
/// no further than `last`, that `find` knows: its length in words and what
/// `find` said of it. `find` is given the phrase's key (its words' norms
/// joined by spaces, built in `key`) and the index of its last word.
fn longest_phrase_at<T>(
    words: &Words,
    first: usize,
    last: usize,
    max_words: usize,
    key: &mut String,
    mut find: impl FnMut(&str, usize) -> Option<T>,
) -> Option<(usize, T)> {
    let longest = max_words.min(last + 1 - first);
    key.clear();
    let mut best = None;
    for length in 1..=longest {
        let index = first + length - 1;
        if length > 1 {
            key.push(' ');
        }
        key.push_str(words.norm(index));
        if let Some(found) = find(key, index) {
            best = Some((length, found));
        }
    }
    best
}

/// Joins the norms of a phrase's words with spaces: the lookup key.
fn key_of(phrase: &str) -> (String, bool) {
    plain_word_key(phrase).unwrap_or_else(|| tokenized_key(phrase))
}

/// [`key_of`] a phrase that is one plain ASCII word (`USSR`, `Reuters`,
/// `G7`), made without tokenizing: letters and digits only, and no capital
/// right after a lowercase letter (where the tokenizer may split a glued
/// word). The extractor looks such words up per mention.
fn plain_word_key(phrase: &str) -> Option<(String, bool)> {
    let bytes = phrase.as_bytes();
    let plain = !bytes.is_empty()
        && bytes.iter().all(u8::is_ascii_alphanumeric)
        && !bytes
            .windows(2)
            .any(|pair| pair[0].is_ascii_lowercase() && pair[1].is_ascii_uppercase());
    if !plain {
        return None;
    }
    let capitals_only =
        bytes.iter().any(u8::is_ascii_alphabetic) && !bytes.iter().any(u8::is_ascii_lowercase);
    Some((phrase.to_ascii_lowercase(), capitals_only))
}

/// [`key_of`] through the enrichment tokenizer: its words' normal forms.
fn tokenized_key(phrase: &str) -> (String, bool) {
    let words = Words::new("", phrase);
    let mut key = String::new();
    for index in 0..words.len() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(words.norm(index));
    }
    let capitals_only = phrase.chars().any(char::is_alphabetic)
        && !phrase.chars().any(char::is_lowercase)
        && words.len() == 1;
    // `The Hague` is found as `Hague`: a leading `the` never joins a name run.
    match key.strip_prefix("the ") {
        Some(rest) => (rest.to_owned(), capitals_only),
        None => (key, capitals_only),
    }
}

impl Gazetteer {
    /// Loads the three files from `dir`.
    pub fn load(dir: &Path) -> Result<Self, AnalysisError> {
        let read = |file: &str| {
            let path = dir.join(file);
            std::fs::read_to_string(&path).map_err(|source| AnalysisError::ReadConfig {
                path: path.clone(),
                source,
            })
        };
        let places = read(PLACES_FILE)?;
        let organizations = read(ORGANIZATIONS_FILE)?;
        let people = read(PEOPLE_FILE)?;
        Self::parse(&places, &organizations, &people).map_err(|(file, message)| {
            AnalysisError::InvalidConfig {
                path: dir.join(file),
                message,
            }
        })
    }

    /// The gazetteer built into the binary.
    pub fn built_in() -> Result<Self, (&'static str, String)> {
        Self::parse(DEFAULT_PLACES, DEFAULT_ORGANIZATIONS, DEFAULT_PEOPLE)
    }

    /// Parses the three files; an error names the file at fault.
    pub fn parse(
        places: &str,
        organizations: &str,
        people: &str,
    ) -> Result<Self, (&'static str, String)> {
        let places: PlacesFile =
            toml::from_str(places).map_err(|e| (PLACES_FILE, e.to_string()))?;
        let organizations: OrganizationsFile =
            toml::from_str(organizations).map_err(|e| (ORGANIZATIONS_FILE, e.to_string()))?;
        let people: PeopleFile =
            toml::from_str(people).map_err(|e| (PEOPLE_FILE, e.to_string()))?;
        let mut gazetteer = Gazetteer::default();

        for country in &places.countries {
            let demonym = country.demonyms.first();
            let government = country
                .government
                .clone()
                .or_else(|| demonym.map(|d| format!("{d} government")))
                .unwrap_or_else(|| format!("Government of {}", country.name));
            gazetteer
                .add(
                    KnownName {
                        name: country.name.clone(),
                        kind: EntityKind::Place,
                        country: None,
                        government_when_acting: None,
                        category: None,
                    },
                    &country.aliases,
                )
                .map_err(|e| (PLACES_FILE, e))?;
            if let Some(demonym) = demonym {
                gazetteer
                    .country_demonyms
                    .insert(country.name.clone(), demonym.clone());
            }
            for demonym in &country.demonyms {
                let (key, _) = key_of(demonym);
                gazetteer.demonyms.insert(key.clone(), country.name.clone());
                if !key.ends_with(['s', 'h']) && !key.ends_with("ese") {
                    gazetteer
                        .demonyms
                        .insert(format!("{key}s"), country.name.clone());
                }
            }
            gazetteer
                .governments
                .insert(country.name.clone(), government.clone());
            if let Some(capital) = &country.capital {
                gazetteer
                    .add(
                        KnownName {
                            name: capital.clone(),
                            kind: EntityKind::Place,
                            country: Some(country.name.clone()),
                            government_when_acting: Some(government),
                            category: None,
                        },
                        &country.capital_aliases,
                    )
                    .map_err(|e| (PLACES_FILE, e))?;
            }
        }
        for place in places.regions.iter().chain(&places.cities) {
            gazetteer
                .add(
                    KnownName {
                        name: place.name.clone(),
                        kind: EntityKind::Place,
                        country: place.country.clone(),
                        government_when_acting: None,
                        category: None,
                    },
                    &place.aliases,
                )
                .map_err(|e| (PLACES_FILE, e))?;
        }
        let sections: [(&'static str, &[NamedEntry]); 7] = [
            ("international", &organizations.international),
            (GOVERNMENT_CATEGORY, &organizations.government),
            ("party", &organizations.parties),
            (MEDIA_CATEGORY, &organizations.media),
            (COMPANY_CATEGORY, &organizations.companies),
            ("sport", &organizations.sport),
            ("group", &organizations.groups),
        ];
        for (category, entries) in sections {
            for organization in entries {
                gazetteer
                    .add(
                        KnownName {
                            name: organization.name.clone(),
                            kind: EntityKind::Organization,
                            country: organization.country.clone(),
                            government_when_acting: None,
                            category: Some(category),
                        },
                        &organization.aliases,
                    )
                    .map_err(|e| (ORGANIZATIONS_FILE, e))?;
            }
        }
        gazetteer.multiword_places = gazetteer
            .by_key
            .iter()
            .filter(|(key, targets)| {
                key.contains(' ')
                    && targets
                        .iter()
                        .any(|t| gazetteer.names[t.name as usize].kind == EntityKind::Place)
            })
            .map(|(key, _)| key.clone())
            .collect();
        gazetteer.company_endings = lowercase_set(&organizations.company_endings);
        gazetteer.name_endings = lowercase_set(&organizations.name_endings);
        gazetteer.not_organizations = lowercase_set(&organizations.not_organizations);
        for (short_name, by_country) in organizations.contextual {
            let mut choices: Vec<(String, String)> = by_country.into_iter().collect();
            choices.sort();
            gazetteer.contextual.insert(key_of(&short_name).0, choices);
        }
        for (short_name, pattern) in organizations.contextual_patterns {
            let (key, _) = key_of(&short_name);
            if !gazetteer.contextual.contains_key(&key) {
                return Err((
                    ORGANIZATIONS_FILE,
                    format!("contextual pattern `{short_name}` has no [contextual.\"{short_name}\"] table"),
                ));
            }
            gazetteer.contextual_patterns.insert(key, pattern);
        }
        gazetteer.contextual_pattern_exceptions = organizations
            .contextual_pattern_exceptions
            .into_iter()
            .collect();
        for title in &people.titles {
            let (key, _) = key_of(title);
            gazetteer.longest_title_words =
                gazetteer.longest_title_words.max(key.split(' ').count());
            gazetteer.titles.insert(key);
        }
        gazetteer.forms_of_address = people
            .forms_of_address
            .iter()
            .map(|h| key_of(h).0)
            .collect();
        gazetteer.peerages = people.peerages.iter().map(|h| key_of(h).0).collect();
        gazetteer.honorifics = people
            .honorifics
            .iter()
            .chain(&people.forms_of_address)
            .chain(&people.peerages)
            .map(|h| key_of(h).0)
            .collect();
        gazetteer.given_names = lowercase_set(&people.given_names);
        gazetteer.family_names_first = lowercase_set(&people.family_names_first);
        for variants in &people.given_name_variants {
            if let Some((formal, short_forms)) = variants.split_first() {
                for short in short_forms {
                    gazetteer
                        .formal_given_names
                        .entry(short.to_lowercase())
                        .or_default()
                        .push(formal.to_lowercase());
                }
            }
        }
        for (names, gender) in [
            (&people.male_given_names, GivenNameGender::Male),
            (&people.female_given_names, GivenNameGender::Female),
        ] {
            for name in names {
                let name = name.to_lowercase();
                gazetteer.given_names.insert(name.clone());
                gazetteer.given_name_genders.insert(name, gender);
            }
        }
        Ok(gazetteer)
    }

    fn add(&mut self, known: KnownName, aliases: &[String]) -> Result<(), String> {
        let id = match self.names.iter().position(|n| n.name == known.name) {
            Some(existing) => existing,
            None => {
                self.names.push(known.clone());
                self.names.len() - 1
            }
        };
        for alias in std::iter::once(&known.name).chain(aliases) {
            let (key, capitals_only) = key_of(alias);
            if key.is_empty() {
                return Err(format!("`{alias}` of {} has no words", known.name));
            }
            self.longest_name_words = self.longest_name_words.max(key.split(' ').count());
            let targets = self.by_key.entry(key).or_default();
            if let Some(other) = targets
                .iter()
                .find(|t| t.capitals_only == capitals_only && t.name as usize != id)
            {
                return Err(format!(
                    "`{alias}` names both `{}` and `{}`",
                    self.names[other.name as usize].name, known.name
                ));
            }
            match targets.iter_mut().find(|t| t.name as usize == id) {
                // `NATO` with its alias `Nato`: the name is matched in any case.
                Some(target) => target.capitals_only &= capitals_only,
                None => targets.push(AliasTarget {
                    name: id as u32,
                    capitals_only,
                }),
            }
        }
        Ok(())
    }

    /// The longest known name starting at word `first` and ending at or
    /// before `last`: its length in words and what it names.
    pub fn longest_name_at(
        &self,
        words: &Words,
        first: usize,
        last: usize,
        key: &mut String,
    ) -> Option<(usize, &KnownName)> {
        longest_phrase_at(
            words,
            first,
            last,
            self.longest_name_words,
            key,
            |key, index| {
                let targets = self.by_key.get(key)?;
                let all_capitals = (first..=index)
                    .all(|i| matches!(words.all()[i].shape, Shape::Upper | Shape::Number));
                let target = targets.iter().find(|t| !t.capitals_only || all_capitals)?;
                Some(&self.names[target.name as usize])
            },
        )
    }

    /// The organisations a name or alias of which is other words, then the
    /// word `head` (`EC Commission` for `commission`): each with those
    /// words' key (`ec`).
    pub fn bodies_headed_by<'a>(
        &'a self,
        head: &str,
    ) -> impl Iterator<Item = (&'a str, &'a KnownName)> + 'a {
        let suffix = format!(" {}", key_of(head).0);
        self.by_key.iter().filter_map(move |(key, targets)| {
            let qualifier = key.strip_suffix(suffix.as_str())?;
            let known = &self.names[targets.first()?.name as usize];
            (known.kind == EntityKind::Organization).then_some((qualifier, known))
        })
    }

    /// The known name spelled exactly `name` (any case), if any.
    pub fn lookup(&self, name: &str) -> Option<&KnownName> {
        let (key, _) = key_of(name);
        self.by_key
            .get(&key)
            .and_then(|targets| targets.first())
            .map(|target| &self.names[target.name as usize])
    }

    /// The one-word entries the quote extractor's word classes take from
    /// the gazetteer, so that the knowledge is kept once: place names and
    /// organisation names (not those matched in capitals only, and not
    /// given names), demonyms, and titles (one-word titles and honorifics,
    /// and the last word of longer titles: `Exchequer`, `Treasurer`).
    pub fn lexicon_words(&self) -> LexiconWords<'_> {
        let mut words = LexiconWords::default();
        for (key, targets) in &self.by_key {
            if key.contains(' ') || self.given_names.contains(key) {
                continue;
            }
            for target in targets.iter().filter(|t| !t.capitals_only) {
                match self.names[target.name as usize].kind {
                    EntityKind::Place => words.places.push(key),
                    EntityKind::Organization => words.organizations.push(key),
                    EntityKind::Person => {}
                }
            }
        }
        words.demonyms = self.demonyms.keys().map(String::as_str).collect();
        words.titles = self
            .titles
            .iter()
            .chain(&self.honorifics)
            .filter_map(|title| title.rsplit(' ').next())
            .collect();
        words
    }

    /// Whether `name` (any case) is a place of several words the gazetteer
    /// knows (`Hong Kong`, `Soviet Union`); cheap: no tokenisation.
    pub fn is_multiword_place(&self, name: &str) -> bool {
        with_lowercase(name, |lowercase| {
            let key = lowercase.strip_prefix("the ").unwrap_or(lowercase);
            key.contains(' ') && self.multiword_places.contains(key)
        })
    }

    /// The government a place stands for when it speaks (`Beijing said`,
    /// `China said` → `Chinese government`): a capital's or a country's.
    pub fn government_of<'a>(&'a self, place: &'a KnownName) -> Option<&'a str> {
        if place.kind != EntityKind::Place {
            return None;
        }
        place
            .government_when_acting
            .as_deref()
            .or_else(|| self.governments.get(&place.name).map(String::as_str))
    }

    /// The longest title (role word) starting at word `first`, no further
    /// than `last`: its length in words.
    pub fn longest_title_at(
        &self,
        words: &Words,
        first: usize,
        last: usize,
        key: &mut String,
    ) -> Option<usize> {
        longest_phrase_at(
            words,
            first,
            last,
            self.longest_title_words,
            key,
            |key, _| self.titles.contains(key).then_some(()),
        )
        .map(|(length, ())| length)
    }

    /// The country a demonym refers to (`Chinese` → `China`).
    pub fn country_of_demonym(&self, norm: &str) -> Option<&str> {
        self.demonyms.get(norm).map(String::as_str)
    }

    /// Whether `norm` is an honorific (`mr`, `sir`).
    pub fn is_honorific(&self, norm: &str) -> bool {
        self.honorifics.contains(norm)
    }

    /// Whether `word` (capitalised, a final period allowed: `Mr.`) is a form
    /// of address always followed by a name (`Mr`, `Dr`, `Miss`). Lowercase
    /// is a verb or a noun (`will miss January's race`).
    pub fn is_form_of_address(&self, word: &str) -> bool {
        word.len() <= 8
            && word.starts_with(char::is_uppercase)
            && with_title_word(word, |folded| self.forms_of_address.contains(folded))
    }

    /// Whether `word` is a peer's title (`Lord`, `Baroness`), written with a
    /// capital as titles are.
    pub fn is_peerage(&self, word: &str) -> bool {
        word.starts_with(char::is_uppercase)
            && word.len() <= 12
            && with_title_word(word, |folded| self.peerages.contains(folded))
    }

    /// Whether `word` (any case, a final period allowed) is an honorific: a
    /// form of address that is no role (`Mr`, `Sir`, `Lord`).
    pub fn is_honorific_word(&self, word: &str) -> bool {
        word.len() <= 12 && with_title_word(word, |folded| self.is_honorific(folded))
    }

    /// Whether `norm` is a common given name.
    pub fn is_given_name(&self, norm: &str) -> bool {
        self.given_names.contains(norm)
    }

    /// Whether `norm` is a family name written before the given name in
    /// romanised East Asian names (`kim` of `Kim Mahn-je`).
    pub fn is_family_name_first(&self, norm: &str) -> bool {
        self.family_names_first.contains(norm)
    }

    /// The formal given names of which `norm` is a short form (`jim` →
    /// `james`, `steve` → `stephen` and `steven`), from
    /// `given_name_variants`.
    pub fn formal_given_names(&self, norm: &str) -> &[String] {
        self.formal_given_names.get(norm).map_or(&[], Vec::as_slice)
    }

    /// The gender a given name tells, when it tells one (`hillary`).
    pub fn given_name_gender(&self, norm: &str) -> Option<GivenNameGender> {
        self.given_name_genders.get(norm).copied()
    }

    /// Whether `norm` ends organisation names (`department`, `bank`).
    pub fn is_organization_ending(&self, norm: &str) -> bool {
        self.name_endings.contains(norm)
    }

    /// Whether `norm` ends company names (`inc`, `plc`, `group`).
    pub fn is_company_ending(&self, norm: &str) -> bool {
        self.company_endings.contains(norm)
    }

    /// Whether an acronym is known not to name an organisation (`ceo`, `gdp`).
    pub fn is_not_organization(&self, norm: &str) -> bool {
        self.not_organizations.contains(norm)
    }

    /// For a short name whose meaning depends on the country (`communist
    /// party`), the `(country, organisation)` choices.
    pub fn contextual(&self, key: &str) -> Option<&[(String, String)]> {
        self.contextual.get(key).map(Vec::as_slice)
    }

    /// The body a contextual short name (`Foreign Ministry`, in any case)
    /// means in an article about `country`: the table's, else
    /// the name its pattern makes (`Kuwaiti Foreign Ministry`, `Central Bank
    /// of Madagascar`) unless the country is an exception (`United States`).
    pub fn contextual_body(&self, short_name: &str, country: &str) -> Option<String> {
        let (key, _) = key_of(short_name);
        let choices = self.contextual.get(&key)?;
        if let Some((_, body)) = choices.iter().find(|(c, _)| c == country) {
            return Some(body.clone());
        }
        if self.contextual_pattern_exceptions.contains(country) {
            return None;
        }
        let pattern = self.contextual_patterns.get(&key)?;
        let name = pattern.replace("{country}", country);
        if !name.contains("{demonym}") {
            return Some(name);
        }
        let demonym = self.country_demonyms.get(country)?;
        Some(name.replace("{demonym}", demonym))
    }

    /// Whether `name` is a country's, as `places.toml` names it (`China`,
    /// not `Beijing`).
    pub fn is_country(&self, name: &str) -> bool {
        self.governments.contains_key(name)
    }

    /// The longest contextual short name starting at `first`, no further than `last`.
    pub fn longest_contextual_at(
        &self,
        words: &Words,
        first: usize,
        last: usize,
        key: &mut String,
    ) -> Option<(usize, &[(String, String)])> {
        longest_phrase_at(words, first, last, 4, key, |key, _| {
            self.contextual.get(key).map(Vec::as_slice)
        })
    }

    /// Number of known names (places and organisations).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the gazetteer knows no names.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

fn lowercase_set(values: &[String]) -> HashSet<String> {
    values.iter().map(|v| v.to_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> Gazetteer {
        Gazetteer::built_in().expect("built-in gazetteer parses")
    }

    #[test]
    fn plain_words_are_keyed_as_the_tokenizer_keys_them() {
        for phrase in "USSR Reuters G7 7UP the THE A x 2024 Petrobras".split(' ') {
            let tokenized = tokenized_key(phrase);
            assert_eq!(plain_word_key(phrase), Some(tokenized), "{phrase}");
        }
        // Left to the tokenizer: more than letters and digits, or a capital
        // after a lowercase letter (`saidThe` may be two words).
        for phrase in [
            "U.S.", "Wang's", "New York", "saidThe", "McDonald", "Zoë", "", "AT&T",
        ] {
            assert_eq!(plain_word_key(phrase), None, "{phrase}");
        }
    }

    #[test]
    fn aliases_and_capitals_only_acronyms() {
        let gazetteer = gazetteer();
        let mut key = String::new();
        let words = Words::new("", "U.S. and US and America and us and South China Sea");
        let name = |i: usize, last: usize, key: &mut String| {
            gazetteer
                .longest_name_at(&words, i, last, key)
                .map(|(length, known)| (length, known.name.clone()))
        };
        assert_eq!(name(0, 0, &mut key), Some((1, "United States".into())));
        assert_eq!(name(2, 2, &mut key), Some((1, "United States".into())));
        assert_eq!(name(4, 4, &mut key), Some((1, "United States".into())));
        assert_eq!(name(6, 6, &mut key), None, "lowercase `us` is a pronoun");
        assert_eq!(name(8, 10, &mut key), Some((3, "South China Sea".into())));
    }

    #[test]
    fn demonyms_titles_and_capitals() {
        let gazetteer = gazetteer();
        assert_eq!(gazetteer.country_of_demonym("chinese"), Some("China"));
        assert_eq!(
            gazetteer.country_of_demonym("americans"),
            Some("United States")
        );
        let beijing = gazetteer.lookup("Beijing").unwrap();
        assert_eq!(beijing.country.as_deref(), Some("China"));
        assert_eq!(
            beijing.government_when_acting.as_deref(),
            Some("Chinese government")
        );
        // An old name of the capital acts for the government too.
        let peking = gazetteer.lookup("Peking").unwrap();
        assert_eq!(peking.name, "Beijing");
        assert_eq!(
            peking.government_when_acting.as_deref(),
            Some("Chinese government")
        );
        let words = Words::new("", "Secretary of State");
        assert_eq!(
            gazetteer.longest_title_at(&words, 0, 2, &mut String::new()),
            Some(3)
        );
        assert!(gazetteer.is_given_name("kylie"));
        assert!(gazetteer.contextual("communist party").is_some());
    }

    #[test]
    fn contextual_bodies_come_from_the_table_else_the_pattern() {
        let gazetteer = gazetteer();
        let body = |name: &str, country: &str| gazetteer.contextual_body(name, country);
        assert_eq!(
            body("Central Bank", "Japan").as_deref(),
            Some("Bank of Japan")
        );
        assert_eq!(
            body("central bank", "Madagascar").as_deref(),
            Some("Central Bank of Madagascar")
        );
        assert_eq!(
            body("Foreign Ministry", "Kuwait").as_deref(),
            Some("Kuwaiti Foreign Ministry")
        );
        // The United States has no ministries; its table entries still hold.
        assert_eq!(body("Foreign Ministry", "United States"), None);
        assert_eq!(
            body("Central Bank", "United States").as_deref(),
            Some("Federal Reserve")
        );
        // No pattern for a name that has none, nor a body for an unknown name.
        assert_eq!(body("Statistics Office", "Kuwait"), None);
        assert_eq!(body("Weather Office", "Kuwait"), None);
        assert!(gazetteer.is_country("Kuwait") && !gazetteer.is_country("Beijing"));
    }

    #[test]
    fn a_pattern_needs_its_contextual_table() {
        let organizations =
            "[contextual_patterns]\n\"Health Ministry\" = \"{demonym} Health Ministry\"\n";
        let error = Gazetteer::parse("", organizations, "").expect_err("pattern without a table");
        assert_eq!(error.0, ORGANIZATIONS_FILE);
        assert!(error.1.contains("Health Ministry"), "{}", error.1);
    }

    #[test]
    fn conflicting_names_are_rejected() {
        let places = r#"
            regions = [{ name = "Georgia", aliases = ["GA"] }]
            cities = [{ name = "Atlanta", aliases = ["GA"] }]
        "#;
        let error = Gazetteer::parse(places, "", "").unwrap_err();
        assert_eq!(error.0, PLACES_FILE);
        assert!(error.1.contains("GA"), "{}", error.1);
    }
}
