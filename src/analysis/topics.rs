//! Topic tagging against an editable taxonomy (`config/topics.toml`): each
//! topic path lists keywords and phrases with weights; an article gets every
//! topic whose weighted, stemmed keyword hits reach the threshold.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::tokenizers::english_text_analyzer;
use super::AnalysisError;
use crate::model::TopicAssignment;

/// The taxonomy shipped in the repository, used when no file is configured.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../config/topics.toml");

/// Maximum number of topics kept per article.
const MAX_TOPICS: usize = 8;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    #[serde(default = "default_threshold")]
    threshold: f32,
    #[serde(default = "default_title_weight")]
    title_weight: f32,
    #[serde(rename = "topic", default)]
    topics: Vec<TopicEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicEntry {
    path: String,
    /// Keywords or phrases worth 1 each.
    #[serde(default)]
    keywords: Vec<String>,
    /// Keywords or phrases with their own weight.
    #[serde(default)]
    weighted: HashMap<String, f32>,
}

fn default_threshold() -> f32 {
    3.0
}

fn default_title_weight() -> f32 {
    3.0
}

/// One stemmed keyword phrase of a topic.
#[derive(Debug, Clone)]
struct Keyword {
    topic: usize,
    stems: Vec<String>,
    weight: f32,
}

/// A compiled taxonomy, ready to tag articles.
#[derive(Clone)]
pub struct Taxonomy {
    paths: Vec<String>,
    /// Keywords indexed by their first stem, for one pass over the text.
    keywords_by_first_stem: HashMap<String, Vec<Keyword>>,
    threshold: f32,
    title_weight: f32,
    analyzer: TextAnalyzer,
}

impl std::fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Taxonomy")
            .field("topics", &self.paths.len())
            .finish()
    }
}

impl Taxonomy {
    /// Loads a taxonomy file.
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

    /// Parses taxonomy TOML.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: TaxonomyFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut analyzer = english_text_analyzer();
        let mut paths = Vec::with_capacity(file.topics.len());
        let mut keywords_by_first_stem: HashMap<String, Vec<Keyword>> = HashMap::new();
        for (topic, entry) in file.topics.into_iter().enumerate() {
            if !entry.path.starts_with('/')
                || entry.path.ends_with('/')
                || entry.path.contains("//")
            {
                return Err(format!("topic path `{}` must look like /a/b", entry.path));
            }
            let phrases = entry
                .keywords
                .iter()
                .map(|k| (k.as_str(), 1.0))
                .chain(entry.weighted.iter().map(|(k, w)| (k.as_str(), *w)));
            for (phrase, weight) in phrases {
                let stems = stems_of(&mut analyzer, phrase);
                let Some(first) = stems.first().cloned() else {
                    return Err(format!("keyword `{phrase}` of {} has no words", entry.path));
                };
                keywords_by_first_stem
                    .entry(first)
                    .or_default()
                    .push(Keyword {
                        topic,
                        stems,
                        weight,
                    });
            }
            paths.push(entry.path);
        }
        Ok(Taxonomy {
            paths,
            keywords_by_first_stem,
            threshold: file.threshold,
            title_weight: file.title_weight,
            analyzer,
        })
    }

    /// Every topic path of the taxonomy.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Scores the taxonomy against a title and body; returns the topics at or
    /// above the threshold, best first.
    pub fn assign(&self, title: &str, body: &str) -> Vec<TopicAssignment> {
        let mut analyzer = self.analyzer.clone();
        let mut scores = vec![0f32; self.paths.len()];
        self.score_into(&mut analyzer, title, self.title_weight, &mut scores);
        self.score_into(&mut analyzer, body, 1.0, &mut scores);
        let mut assigned: Vec<TopicAssignment> = scores
            .iter()
            .enumerate()
            .filter(|(_, score)| **score >= self.threshold)
            .map(|(topic, score)| TopicAssignment {
                path: self.paths[topic].clone(),
                score: *score,
                supplied: false,
            })
            .collect();
        assigned.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.path.cmp(&b.path))
        });
        assigned.truncate(MAX_TOPICS);
        assigned
    }

    fn score_into(&self, analyzer: &mut TextAnalyzer, text: &str, weight: f32, scores: &mut [f32]) {
        let stems = stems_of(analyzer, text);
        for (position, stem) in stems.iter().enumerate() {
            let Some(candidates) = self.keywords_by_first_stem.get(stem) else {
                continue;
            };
            for keyword in candidates {
                if stems[position..].starts_with(&keyword.stems) {
                    scores[keyword.topic] += keyword.weight * weight;
                }
            }
        }
    }
}

fn stems_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut stems = Vec::new();
    while let Some(token) = stream.next() {
        stems.push(token.text.clone());
    }
    stems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_taxonomy_parses() {
        let taxonomy = Taxonomy::parse(DEFAULT_TAXONOMY).expect("default taxonomy");
        assert!(taxonomy.paths().len() > 10);
    }

    #[test]
    fn stemmed_phrases_score_topics() {
        let taxonomy = Taxonomy::parse(
            r#"
            threshold = 2.0
            [[topic]]
            path = "/economy/trade"
            keywords = ["tariff", "trade talks"]
            [[topic]]
            path = "/sport"
            keywords = ["football"]
            "#,
        )
        .unwrap();
        let topics = taxonomy.assign("", "New tariffs were announced after trade talks stalled.");
        assert_eq!(topics.len(), 1);
        assert_eq!(topics[0].path, "/economy/trade");
        assert_eq!(topics[0].score, 2.0);
    }

    #[test]
    fn rejects_bad_paths() {
        assert!(Taxonomy::parse("[[topic]]\npath = \"economy\"\nkeywords = [\"x\"]").is_err());
    }
}
