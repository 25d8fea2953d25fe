//! Speakers: the stages after quote finding, from each quote's speaker
//! mention to a named speaker. `article` resolves mentions in the article
//! (`resolve`: the entity table, pronouns, role nouns) and builds the quotes
//! and speakers; `identity` settles kinds and governments with the
//! gazetteer. Owns the alias table (`config/aliases.toml`) that merges the
//! forms a speaker appears under. Reads [`super::quotes`]; never read by it.

pub(crate) mod article;
pub(crate) mod headline;
pub(crate) mod identity;
pub(crate) mod resolve;

use foldhash::{HashMap, HashMapExt};
use std::path::Path;

use super::tokenizers::normalize_keyword;
use super::AnalysisError;
use crate::model::{Quote, Speaker};
pub use article::{attribute, attribute_with_headline, Extraction};

/// The alias table shipped in the repository, used when no file is configured.
pub const DEFAULT_ALIASES: &str = include_str!("../../../config/aliases.toml");

/// The name of the alias file's table of identities that must stay apart.
const SEPARATE_TABLE: &str = "separate";

/// The name of the alias file's table of public figures the news names by
/// surname alone.
const SURNAMES_TABLE: &str = "surnames";

/// The table of roles public figures held in the corpora's news.
const ROLES_TABLE: &str = "roles";

/// Canonical speaker names by alias, matched ignoring case and diacritics,
/// and the pairs of names that must never be merged into one identity.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    canonical_by_key: HashMap<String, String>,
    /// Pairs of normalised names, each pair once, that the corpus speaker
    /// registry must keep apart.
    separate: Vec<(String, String)>,
    /// Full names of public figures by their normalised surname.
    figure_by_surname: HashMap<String, String>,
    /// Roles of public figures (lowercase), by their normalised full name.
    roles_by_figure: HashMap<String, Vec<String>>,
}

impl Aliases {
    /// Loads an alias file.
    pub fn load(path: &Path) -> Result<Self, AnalysisError> {
        crate::analysis::load_config(path, Self::parse)
    }

    /// Parses alias TOML: `"Canonical Name" = ["alias", ...]`, and optionally
    /// a `[separate]` table of `"Name" = ["other name", ...]` that must never
    /// be one identity, a `[surnames]` table of `"Full Name" = ["Surname"]`
    /// for public figures the news names by surname alone, and a `[roles]`
    /// table of `"Full Name" = ["role", ...]` they held.
    pub fn parse(text: &str) -> Result<Self, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut canonical_by_key = HashMap::new();
        let mut separate_table = None;
        let mut figure_by_surname = HashMap::new();
        let mut roles_by_figure = HashMap::new();
        for (canonical, value) in table {
            if canonical == ROLES_TABLE {
                if let toml::Value::Table(figures) = value {
                    for (figure, roles) in figures {
                        let roles = string_list(&figure, roles)?
                            .iter()
                            .map(|role| role.to_lowercase())
                            .collect();
                        roles_by_figure.insert(normalize_keyword(&figure), roles);
                    }
                    continue;
                }
            }
            if canonical == SEPARATE_TABLE {
                if let toml::Value::Table(separate) = value {
                    separate_table = Some(separate);
                    continue;
                }
            }
            if canonical == SURNAMES_TABLE {
                if let toml::Value::Table(figures) = value {
                    for (figure, surnames) in figures {
                        for surname in string_list(&figure, surnames)? {
                            let key = normalize_keyword(&surname);
                            if let Some(other) = figure_by_surname.insert(key, figure.clone()) {
                                return Err(format!(
                                    "surname `{surname}` names both `{other}` and `{figure}`: \
                                     a surname two figures share names neither"
                                ));
                            }
                        }
                    }
                    continue;
                }
            }
            let aliases = string_list(&canonical, value)?;
            for alias in aliases.iter().chain(std::iter::once(&canonical)) {
                if let Some(previous) =
                    canonical_by_key.insert(normalize_keyword(alias), canonical.clone())
                {
                    if previous != canonical {
                        return Err(format!(
                            "alias `{alias}` belongs to both `{previous}` and `{canonical}`"
                        ));
                    }
                }
            }
        }
        let mut aliases = Aliases {
            canonical_by_key,
            separate: Vec::new(),
            figure_by_surname,
            roles_by_figure,
        };
        for (name, value) in separate_table.unwrap_or_default() {
            for other in string_list(&name, value)? {
                let (left, right) = (normalize_keyword(&name), normalize_keyword(&other));
                let same_identity = left == right
                    || aliases
                        .canonical(&name)
                        .is_some_and(|canonical| aliases.canonical(&other) == Some(canonical));
                if same_identity {
                    return Err(format!(
                        "`{name}` cannot be separate from `{other}`: the table makes them one speaker"
                    ));
                }
                aliases.separate.push((left, right));
            }
        }
        Ok(aliases)
    }

    /// The canonical name for `name`, if the table knows it.
    pub fn canonical(&self, name: &str) -> Option<&str> {
        self.canonical_by_key
            .get(&normalize_keyword(name))
            .map(String::as_str)
    }

    /// The canonical name for a name already folded as keyword values are
    /// (`normalize_keyword`), if the table knows it.
    pub fn canonical_of_keyword(&self, keyword: &str) -> Option<&str> {
        self.canonical_by_key.get(keyword).map(String::as_str)
    }

    /// The public figure a surname alone names (`Reagan` → `Ronald Reagan`),
    /// from the `[surnames]` table: used only when the article gives no
    /// fuller name of the person.
    pub fn figure_by_surname(&self, surname: &str) -> Option<&str> {
        self.figure_by_surname
            .get(&normalize_keyword(surname))
            .map(String::as_str)
    }

    /// The roles the `[roles]` table gives a public figure (`Tony Blair` →
    /// `prime minister`): what `the prime minister` may mean when the
    /// article names the figure but gives no role.
    pub fn roles_of(&self, figure: &str) -> &[String] {
        self.roles_by_figure
            .get(&normalize_keyword(figure))
            .map_or(&[], Vec::as_slice)
    }

    /// The pairs of names (normalised as keyword values) that must never be
    /// one identity, from the `[separate]` table.
    pub fn separate_pairs(&self) -> &[(String, String)] {
        &self.separate
    }
}

/// The strings of an alias list, or why the value is not one.
fn string_list(name: &str, value: toml::Value) -> Result<Vec<String>, String> {
    let toml::Value::Array(items) = value else {
        return Err(format!("`{name}` must be a list of names"));
    };
    items
        .into_iter()
        .map(|item| match item {
            toml::Value::String(text) => Ok(text),
            _ => Err(format!("`{name}` must be a list of names")),
        })
        .collect()
}

/// Builds the speaker list of an article from its quotes (used when the
/// client supplies quotes instead of letting Verbatim extract them).
pub fn speakers_of_supplied_quotes(quotes: Vec<Quote>) -> Extraction {
    let mut speakers: Vec<Speaker> = Vec::new();
    for quote in &quotes {
        let Some(name) = &quote.speaker else { continue };
        match speakers.iter_mut().find(|s| &s.name == name) {
            Some(speaker) => speaker.quotes += 1,
            None => speakers.push(Speaker {
                name: name.clone(),
                role: quote.role.clone(),
                affiliation: quote.affiliation.clone(),
                kind: quote.speaker_kind,
                aliases: Vec::new(),
                quotes: 1,
            }),
        }
    }
    Extraction { quotes, speakers }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_ignoring_case() {
        let aliases = Aliases::parse(DEFAULT_ALIASES).unwrap();
        assert_eq!(aliases.canonical("anthony blinken"), Some("Antony Blinken"));
        assert_eq!(aliases.canonical("Antony Blinken"), Some("Antony Blinken"));
        assert_eq!(aliases.canonical("Nobody"), None);
    }

    #[test]
    fn conflicting_aliases_are_rejected() {
        assert!(Aliases::parse("a = [\"x\"]\nb = [\"X\"]").is_err());
        assert!(Aliases::parse("a = \"x\"").is_err());
    }

    #[test]
    fn figures_are_found_by_surname_only_in_their_table() {
        let aliases = Aliases::parse(
            "\"Ronald Reagan\" = [\"Ron Reagan\"]\n\n[surnames]\n\"Ronald Reagan\" = [\"Reagan\"]",
        )
        .unwrap();
        assert_eq!(aliases.figure_by_surname("REAGAN"), Some("Ronald Reagan"));
        // A surname is no alias: forms that carry it keep their own name.
        assert_eq!(aliases.canonical("Reagan"), None);
        assert_eq!(aliases.figure_by_surname("Nancy Reagan"), None);
        // One surname cannot name two figures.
        assert!(Aliases::parse("[surnames]\na = [\"x\"]\nb = [\"X\"]").is_err());
        assert_eq!(
            Aliases::parse(DEFAULT_ALIASES)
                .unwrap()
                .figure_by_surname("Thatcher"),
            Some("Margaret Thatcher")
        );
    }

    #[test]
    fn separate_names_are_read_from_their_table() {
        let aliases = Aliases::parse(
            "\"Ronald Reagan\" = [\"Ron Reagan\"]\n\n[separate]\n\"Nancy Reagan\" = [\"Ronald Reagan\", \"Reagan\"]",
        )
        .unwrap();
        assert_eq!(aliases.canonical("ron reagan"), Some("Ronald Reagan"));
        assert_eq!(
            aliases.separate_pairs(),
            [
                ("nancy reagan".to_owned(), "ronald reagan".to_owned()),
                ("nancy reagan".to_owned(), "reagan".to_owned())
            ]
        );
        // The built-in file parses, its `[separate]` table included.
        assert!(!Aliases::parse(DEFAULT_ALIASES)
            .unwrap()
            .separate_pairs()
            .is_empty());
        // Two forms of one speaker cannot be kept apart.
        assert!(Aliases::parse(
            "\"Ronald Reagan\" = [\"Ron Reagan\"]\n[separate]\n\"Ron Reagan\" = [\"Ronald Reagan\"]"
        )
        .is_err());
    }
}
