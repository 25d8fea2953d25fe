//! Speakers: canonical names for the people and bodies quotes are attributed
//! to. Owns the alias table (`config/aliases.toml`) that merges the forms a
//! speaker appears under, and the per-article speaker list built from quotes.

pub(crate) mod identity;
pub(crate) mod names;
pub(crate) mod resolve;

use std::collections::HashMap;
use std::path::Path;

use super::tokenizers::normalize_keyword;
use super::AnalysisError;
use crate::model::{Quote, Speaker};

/// The alias table shipped in the repository, used when no file is configured.
pub const DEFAULT_ALIASES: &str = include_str!("../../../config/aliases.toml");

/// Canonical speaker names by alias, matched ignoring case and diacritics.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    canonical_by_key: HashMap<String, String>,
}

impl Aliases {
    /// Loads an alias file.
    pub fn load(path: &Path) -> Result<Self, AnalysisError> {
        let text = std::fs::read_to_string(path).map_err(|source| AnalysisError::ReadConfig {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|message| AnalysisError::InvalidConfig {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses alias TOML: `"Canonical Name" = ["alias", ...]`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let table: HashMap<String, Vec<String>> =
            toml::from_str(text).map_err(|e| e.to_string())?;
        let mut canonical_by_key = HashMap::new();
        for (canonical, aliases) in table {
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
        Ok(Aliases { canonical_by_key })
    }

    /// The canonical name for `name`, if the table knows it.
    pub fn canonical(&self, name: &str) -> Option<&str> {
        self.canonical_by_key
            .get(&normalize_keyword(name))
            .map(String::as_str)
    }
}

/// Builds the speaker list of an article from its quotes (used when the
/// client supplies quotes instead of letting Verbatim extract them).
pub fn speakers_of_supplied_quotes(quotes: Vec<Quote>) -> super::quotes::Extraction {
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
    super::quotes::Extraction { quotes, speakers }
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
    }
}
