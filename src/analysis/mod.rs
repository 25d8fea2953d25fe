//! Analysis: everything Verbatim derives from an article's text before it is
//! indexed. One entry point, [`Analyzer::analyze`], runs the stages in order:
//!
//! 1. [`language`]: which language the article is in;
//! 2. [`quotes`]: quotations, their speakers and cues ([`speakers`] resolves
//!    names, pronouns and aliases to canonical speakers);
//! 3. [`topics`]: topics from the editable taxonomy.
//!
//! [`tokenizers`] holds the tantivy analyzers used by the index and the query
//! side. Analysis is synchronous, pure and knows nothing of HTTP or tantivy
//! documents.

pub mod language;
pub mod quotes;
pub mod speakers;
pub mod text;
pub mod tokenizers;
pub mod topics;

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{AnalysisSettings, Settings};
use crate::model::{Analysis, Article};
pub use speakers::Aliases;
pub use topics::Taxonomy;

/// The per-language analyzers for `settings`: loads (or first builds) the
/// Japanese dictionary as configured.
pub fn language_analyzers_for(settings: &Settings) -> Arc<tokenizers::LanguageAnalyzers> {
    Arc::new(tokenizers::load_language_analyzers(
        &settings.japanese_dictionary_dir(),
        &settings.analysis.ipadic_source,
        settings.analysis.build_dictionary,
    ))
}

/// Errors raised while loading analysis configuration.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// A configuration file could not be read.
    #[error("cannot read {path}: {source}")]
    ReadConfig {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A configuration file is not valid.
    #[error("invalid {path}: {message}")]
    InvalidConfig {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}

/// The analysis pipeline with its loaded configuration (aliases, taxonomy).
/// Cheap to share across threads behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Analyzer {
    aliases: Aliases,
    taxonomy: Taxonomy,
}

impl Analyzer {
    /// Loads the alias table and taxonomy named by `settings`; a file that is
    /// not configured falls back to the copy built into the binary.
    pub fn from_settings(settings: &AnalysisSettings) -> Result<Self, AnalysisError> {
        let aliases = match &settings.aliases {
            Some(path) => Aliases::load(path)?,
            None => Aliases::parse(speakers::DEFAULT_ALIASES).map_err(|message| {
                AnalysisError::InvalidConfig {
                    path: "built-in aliases.toml".into(),
                    message,
                }
            })?,
        };
        let taxonomy = match &settings.topics {
            Some(path) => Taxonomy::load(path)?,
            None => Taxonomy::parse(topics::DEFAULT_TAXONOMY).map_err(|message| {
                AnalysisError::InvalidConfig {
                    path: "built-in topics.toml".into(),
                    message,
                }
            })?,
        };
        Ok(Analyzer { aliases, taxonomy })
    }

    /// An analyzer with the built-in aliases and taxonomy.
    pub fn with_defaults() -> Self {
        Self::from_settings(&AnalysisSettings::default())
            .expect("built-in analysis config is valid")
    }

    /// The speaker alias table in use.
    pub fn aliases(&self) -> &Aliases {
        &self.aliases
    }

    /// The topic taxonomy in use.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Analyses an article. Quotes and topics the client supplied are kept:
    /// supplied quotes replace extraction, supplied topics join derived ones.
    pub fn analyze(&self, article: &Article) -> Analysis {
        let language = match &article.language {
            Some(language) => language.clone(),
            None => language::detect_language(&detection_sample(&article.title, &article.body))
                .to_owned(),
        };
        let extraction = match &article.quotes {
            Some(supplied) => speakers::speakers_of_supplied_quotes(supplied.clone()),
            None => quotes::extract(&article.body, &language, &self.aliases),
        };
        let mut topics = self.taxonomy.assign(&article.title, &article.body);
        for supplied in article.topics.iter().flatten() {
            let path = topic_path(supplied);
            if !topics.iter().any(|t| t.path == path) {
                topics.push(crate::model::TopicAssignment {
                    path,
                    score: 0.0,
                    supplied: true,
                });
            }
        }
        // Supplied topics first, then derived ones by score.
        topics.sort_by(|a, b| {
            b.supplied
                .cmp(&a.supplied)
                .then_with(|| b.score.total_cmp(&a.score))
                .then_with(|| a.path.cmp(&b.path))
        });
        Analysis {
            language,
            quotes: extraction.quotes,
            speakers: extraction.speakers,
            topics,
        }
    }

    /// Analyses bare text, as `verbatim extract` does: offsets refer to `text`.
    pub fn analyze_text(&self, title: &str, text: &str, language: Option<&str>) -> Analysis {
        let article = Article {
            id: String::new(),
            title: title.to_owned(),
            body: text.to_owned(),
            url: None,
            source: None,
            published: None,
            authors: Vec::new(),
            language: language.map(str::to_owned),
            quotes: None,
            topics: None,
            extra: Default::default(),
        };
        self.analyze(&article)
    }
}

/// The text language detection looks at: the title and the start of the body.
fn detection_sample(title: &str, body: &str) -> String {
    let mut sample = String::with_capacity(title.len() + 1 + body.len().min(4096));
    sample.push_str(title);
    sample.push('\n');
    let mut end = body.len().min(4096);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    sample.push_str(&body[..end]);
    sample
}

/// Turns a client-supplied topic (`Trade`, `/economy/trade`, `economy/trade`)
/// into a taxonomy-style path.
pub fn topic_path(topic: &str) -> String {
    let segments: Vec<String> = topic
        .split('/')
        .map(|segment| {
            segment
                .trim()
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("-")
        })
        .filter(|segment| !segment.is_empty())
        .collect();
    format!("/{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_paths_are_normalised() {
        assert_eq!(topic_path("Trade"), "/trade");
        assert_eq!(topic_path("/Economy/Trade Talks/"), "/economy/trade-talks");
        assert_eq!(topic_path("economy//trade"), "/economy/trade");
    }
}
