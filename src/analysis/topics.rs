//! Topic tagging against an editable, hierarchical taxonomy
//! (`config/topics.toml`): each topic path lists keywords and phrases (matched
//! on Snowball stems, so `tariff` and `tariffs` count alike) and entities
//! (canonical names from entity recognition, so `US`, `U.S.` and `America`
//! all count for `United States`), each with a weight.
//!
//! Scoring, for an article:
//!
//! 1. every keyword's occurrences are counted (title occurrences count
//!    `title_weight` times) and saturated: `weight × (1 + ln count)`, so a
//!    word repeated ten times does not outweigh ten different clues;
//! 2. a topic's own score is the sum over its keywords, divided by a length
//!    factor `max(1, body words / reference_length) ^ length_exponent`, so
//!    long articles need more evidence than short ones;
//! 3. a topic's score is its own plus its children's: parents are supported
//!    by their children (`/world/asia-pacific/taiwan` supports `/world`);
//! 4. topics scoring at least `threshold` whose branch has an *anchor* (a
//!    clue of weight 1 or more: weak clues only support) are assigned; of
//!    those, the best `max_topics` deepest ones are kept with their
//!    ancestors, best first. The article's **top-level topic** is the
//!    top-level branch with the highest score (the first top-level path in
//!    the list).
//!
//! A quote is scored the same way on its own words (weight 1) and the rest of
//! its sentences (`quote_context_weight`), without length normalisation, against
//! `quote_threshold`; when nothing reaches it, the quote falls back to the
//! article's top-level topic.

use foldhash::{HashMap, HashMapExt};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use super::entities::EntityMention;
use super::lexicon::OVERSTEMMED;
use super::words::{Gap, Words};
use super::AnalysisError;
use crate::model::{Entity, TopicAssignment};

/// The taxonomy shipped in the repository, used when no file is configured.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../config/topics.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    #[serde(default = "default_threshold")]
    threshold: f32,
    #[serde(default = "default_title_weight")]
    title_weight: f32,
    #[serde(default = "default_reference_length")]
    reference_length: f32,
    #[serde(default = "default_length_exponent")]
    length_exponent: f32,
    #[serde(default = "default_max_topics")]
    max_topics: usize,
    #[serde(default = "default_quote_threshold")]
    quote_threshold: f32,
    #[serde(default = "default_quote_context_weight")]
    quote_context_weight: f32,
    #[serde(default = "default_max_quote_topics")]
    max_quote_topics: usize,
    #[serde(rename = "topic", default)]
    topics: Vec<TopicEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicEntry {
    path: String,
    /// Keywords or phrases worth 1.
    #[serde(default)]
    keywords: Vec<String>,
    /// Specific keywords worth 2.
    #[serde(default)]
    strong: Vec<String>,
    /// Ambiguous keywords worth 0.5.
    #[serde(default)]
    weak: Vec<String>,
    /// Keywords or phrases with their own weight.
    #[serde(default)]
    weighted: HashMap<String, f32>,
    /// Canonical entity names (people, places, organisations) with their weight.
    #[serde(default)]
    entities: HashMap<String, f32>,
    /// Organisation categories (`company`) with their weight, per mention.
    #[serde(default)]
    categories: HashMap<String, f32>,
    /// Role words or phrases (`minister`, `chief executive`) with their
    /// weight: each mention of a person whose role contains one counts.
    #[serde(default)]
    roles: HashMap<String, f32>,
}

fn default_threshold() -> f32 {
    3.0
}
fn default_title_weight() -> f32 {
    3.0
}
fn default_reference_length() -> f32 {
    300.0
}
fn default_length_exponent() -> f32 {
    0.5
}
fn default_max_topics() -> usize {
    12
}
fn default_quote_threshold() -> f32 {
    2.0
}
fn default_quote_context_weight() -> f32 {
    0.5
}
fn default_max_quote_topics() -> usize {
    3
}

/// One keyword phrase (or entity) of a topic.
#[derive(Debug, Clone)]
struct Keyword {
    topic: usize,
    /// Stem ids in the taxonomy vocabulary; empty for an entity.
    stems: Vec<u32>,
    weight: f32,
}

/// A keyword or entity found at a word of the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TopicHit {
    /// Word index (into [`Words`]) where the keyword starts.
    pub word: u32,
    keyword: u32,
}

/// The topics of an article.
#[derive(Debug, Clone, Default)]
pub struct ArticleTopics {
    /// Assigned topics, best first.
    pub assigned: Vec<TopicAssignment>,
    /// The top-level topic (highest-scoring top-level branch), if assigned.
    pub top_level: Option<String>,
}

/// A compiled taxonomy, ready to tag articles and quotes.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    paths: Vec<String>,
    /// Nearest ancestor topic of each topic.
    parents: Vec<Option<usize>>,
    /// Topics ordered deepest first, for propagating scores to parents.
    deepest_first: Vec<usize>,
    vocabulary: HashMap<String, u32>,
    keywords: Vec<Keyword>,
    /// Keyword ids by the vocabulary id of their first stem.
    keywords_by_first_stem: Vec<Vec<u32>>,
    /// Keyword ids by entity name.
    keywords_by_entity: HashMap<String, Vec<u32>>,
    /// Keyword ids by organisation category.
    keywords_by_category: HashMap<String, Vec<u32>>,
    /// Role phrases: (stem ids, keyword id).
    role_keywords: Vec<(Vec<u32>, u32)>,
    threshold: f32,
    title_weight: f32,
    reference_length: f32,
    length_exponent: f32,
    max_topics: usize,
    quote_threshold: f32,
    quote_context_weight: f32,
    max_quote_topics: usize,
}

impl Taxonomy {
    /// Loads a taxonomy file.
    pub fn load(path: &Path) -> Result<Self, AnalysisError> {
        super::load_config(path, Self::parse)
    }

    /// Parses taxonomy TOML.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: TaxonomyFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if !(file.threshold > 0.0 && file.quote_threshold > 0.0 && file.reference_length > 0.0) {
            return Err("threshold, quote_threshold and reference_length must be positive".into());
        }
        let mut paths: Vec<String> = Vec::new();
        for entry in &file.topics {
            if !entry.path.starts_with('/')
                || entry.path.ends_with('/')
                || entry.path.contains("//")
            {
                return Err(format!("topic path `{}` must look like /a/b", entry.path));
            }
            if paths.contains(&entry.path) {
                return Err(format!("topic `{}` is defined twice", entry.path));
            }
            paths.push(entry.path.clone());
        }
        // Ancestors that are not defined become topics without keywords, so
        // that children still support them.
        let mut index = 0;
        while index < paths.len() {
            if let Some((parent, _)) = paths[index].rsplit_once('/') {
                if !parent.is_empty() && !paths.iter().any(|p| p == parent) {
                    paths.push(parent.to_owned());
                }
            }
            index += 1;
        }
        let parents: Vec<Option<usize>> = paths
            .iter()
            .map(|path| {
                let (parent, _) = path.rsplit_once('/')?;
                paths.iter().position(|p| p == parent)
            })
            .collect();
        let mut deepest_first: Vec<usize> = (0..paths.len()).collect();
        deepest_first.sort_by_key(|t| std::cmp::Reverse(paths[*t].matches('/').count()));

        let mut taxonomy = Taxonomy {
            paths,
            parents,
            deepest_first,
            vocabulary: HashMap::new(),
            keywords: Vec::new(),
            keywords_by_first_stem: Vec::new(),
            keywords_by_entity: HashMap::new(),
            keywords_by_category: HashMap::new(),
            role_keywords: Vec::new(),
            threshold: file.threshold,
            title_weight: file.title_weight,
            reference_length: file.reference_length,
            length_exponent: file.length_exponent,
            max_topics: file.max_topics.max(1),
            quote_threshold: file.quote_threshold,
            quote_context_weight: file.quote_context_weight,
            max_quote_topics: file.max_quote_topics.max(1),
        };
        for (topic, entry) in file.topics.iter().enumerate() {
            let phrases = entry
                .keywords
                .iter()
                .map(|k| (k.as_str(), 1.0))
                .chain(entry.strong.iter().map(|k| (k.as_str(), 2.0)))
                .chain(entry.weak.iter().map(|k| (k.as_str(), 0.5)))
                .chain(entry.weighted.iter().map(|(k, w)| (k.as_str(), *w)));
            for (phrase, weight) in phrases {
                taxonomy.add_phrase(topic, &entry.path, phrase, weight)?;
            }
            taxonomy.add_named_clues(topic, &entry.entities, |t| &mut t.keywords_by_entity);
            taxonomy.add_named_clues(topic, &entry.categories, |t| &mut t.keywords_by_category);
            for (role, weight) in &entry.roles {
                let stems = taxonomy.stem_ids(role);
                if stems.is_empty() {
                    return Err(format!("role `{role}` of {} has no words", entry.path));
                }
                let id = taxonomy.add_clue(topic, *weight);
                taxonomy.role_keywords.push((stems, id));
            }
        }
        Ok(taxonomy)
    }

    /// A clue matched by entity, category or role rather than by words.
    /// Adds a clue of `topic` for each name of `clues` (an entity, a
    /// category) with its weight, indexed by name in the map `index` picks.
    fn add_named_clues(
        &mut self,
        topic: usize,
        clues: &HashMap<String, f32>,
        index: fn(&mut Taxonomy) -> &mut HashMap<String, Vec<u32>>,
    ) {
        for (name, weight) in clues {
            let id = self.add_clue(topic, *weight);
            index(self).entry(name.clone()).or_default().push(id);
        }
    }

    fn add_clue(&mut self, topic: usize, weight: f32) -> u32 {
        let id = self.keywords.len() as u32;
        self.keywords.push(Keyword {
            topic,
            stems: Vec::new(),
            weight,
        });
        id
    }

    /// The vocabulary ids of a phrase's stems, adding new stems.
    fn stem_ids(&mut self, phrase: &str) -> Vec<u32> {
        let words = Words::new("", phrase);
        (0..words.len())
            .map(|i| {
                let stem = words.stem_text(words.stem_id(i));
                let next = self.vocabulary.len() as u32;
                *self.vocabulary.entry(stem.to_owned()).or_insert(next)
            })
            .collect()
    }

    fn add_phrase(
        &mut self,
        topic: usize,
        path: &str,
        phrase: &str,
        weight: f32,
    ) -> Result<(), String> {
        let stems = self.stem_ids(phrase);
        if stems.is_empty() {
            return Err(format!("keyword `{phrase}` of {path} has no words"));
        }
        let id = self.keywords.len() as u32;
        let first = stems[0] as usize;
        if self.keywords_by_first_stem.len() <= first {
            self.keywords_by_first_stem.resize(first + 1, Vec::new());
        }
        self.keywords_by_first_stem[first].push(id);
        self.keywords.push(Keyword {
            topic,
            stems,
            weight,
        });
        Ok(())
    }

    /// Every topic path of the taxonomy (ancestors included).
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Finds every keyword and entity of the taxonomy in `words`, in text order.
    pub fn find_hits(
        &self,
        words: &Words,
        mentions: &[EntityMention],
        entities: &[Entity],
    ) -> Vec<TopicHit> {
        // Each distinct stem of the article is looked up once.
        let vocabulary_ids: Vec<u32> = (0..words.stem_count() as u32)
            .map(|stem| {
                self.vocabulary
                    .get(words.stem_text(stem))
                    .copied()
                    .unwrap_or(u32::MAX)
            })
            .collect();
        let id_at = |index: usize| vocabulary_ids[words.stem_id(index) as usize];
        let all = words.all();
        let mut hits = Vec::new();
        for index in 0..words.len() {
            if all[index].stopword || all[index].flags & OVERSTEMMED != 0 {
                continue;
            }
            let first = id_at(index);
            let Some(candidates) = self.keywords_by_first_stem.get(first as usize) else {
                continue;
            };
            for keyword_id in candidates {
                let keyword = &self.keywords[*keyword_id as usize];
                let end = index + keyword.stems.len();
                let matches = end <= words.len()
                    && keyword.stems[1..].iter().enumerate().all(|(offset, stem)| {
                        let at = index + 1 + offset;
                        id_at(at) == *stem
                            && matches!(all[at].gap, Gap::Space | Gap::Hyphen)
                            && all[at].in_title == all[index].in_title
                    });
                if matches {
                    hits.push(TopicHit {
                        word: index as u32,
                        keyword: *keyword_id,
                    });
                }
            }
        }
        // Entity clues: by name, by organisation category, and by the role of
        // a person (each found once per entity, then counted per mention).
        let entity_clues: Vec<Vec<u32>> = entities
            .iter()
            .map(|entity| self.entity_clues(entity))
            .collect();
        for mention in mentions {
            if let Some(clues) = entity_clues.get(mention.entity) {
                hits.extend(clues.iter().map(|keyword| TopicHit {
                    word: mention.first as u32,
                    keyword: *keyword,
                }));
            }
        }
        hits.sort_unstable();
        hits
    }

    /// The clue ids an entity carries: its name, its category, its role.
    fn entity_clues(&self, entity: &Entity) -> Vec<u32> {
        let mut clues: Vec<u32> = self
            .keywords_by_entity
            .get(&entity.name)
            .cloned()
            .unwrap_or_default();
        if let Some(category) = &entity.category {
            if let Some(ids) = self.keywords_by_category.get(category) {
                clues.extend(ids);
            }
        }
        if let Some(role) = &entity.role {
            let words = Words::new("", role);
            let stems: Vec<u32> = (0..words.len())
                .map(|i| {
                    self.vocabulary
                        .get(words.stem_text(words.stem_id(i)))
                        .copied()
                        .unwrap_or(u32::MAX)
                })
                .collect();
            for (phrase, id) in &self.role_keywords {
                if stems
                    .windows(phrase.len())
                    .any(|window| window == phrase.as_slice())
                {
                    clues.push(*id);
                }
            }
        }
        clues
    }

    /// Sums saturated keyword counts into each topic's branch score, and
    /// tells which branches have an anchor: a clue of weight 1 or more (weak
    /// clues alone never make a topic).
    fn branch_scores(&self, counted: &mut [(u32, f32)], divisor: f32) -> (Vec<f32>, Vec<bool>) {
        counted.sort_unstable_by_key(|(keyword, _)| *keyword);
        let mut own = vec![0f32; self.paths.len()];
        let mut anchored = vec![false; self.paths.len()];
        let mut index = 0;
        while index < counted.len() {
            let keyword = counted[index].0;
            let mut count = 0.0;
            while index < counted.len() && counted[index].0 == keyword {
                count += counted[index].1;
                index += 1;
            }
            let keyword = &self.keywords[keyword as usize];
            own[keyword.topic] += keyword.weight * saturate(count);
            anchored[keyword.topic] |= keyword.weight >= 1.0;
        }
        for score in &mut own {
            *score /= divisor;
        }
        for topic in &self.deepest_first {
            if let Some(parent) = self.parents[*topic] {
                own[parent] += own[*topic];
                anchored[parent] |= anchored[*topic];
            }
        }
        (own, anchored)
    }

    /// Whether `ancestor` is a strict ancestor of `topic`.
    fn is_ancestor(&self, ancestor: usize, topic: usize) -> bool {
        let mut current = self.parents[topic];
        while let Some(parent) = current {
            if parent == ancestor {
                return true;
            }
            current = self.parents[parent];
        }
        false
    }

    /// The topics scoring at least `threshold` with an anchor, keeping the
    /// best `max_leaves` deepest ones and their ancestors, best first.
    fn select(
        &self,
        scores: &[f32],
        anchored: &[bool],
        threshold: f32,
        max_leaves: usize,
    ) -> Vec<(usize, f32)> {
        let passing: Vec<usize> = (0..scores.len())
            .filter(|topic| scores[*topic] >= threshold && anchored[*topic])
            .collect();
        let by_score = |a: &usize, b: &usize| {
            scores[*b]
                .total_cmp(&scores[*a])
                .then_with(|| self.paths[*a].cmp(&self.paths[*b]))
        };
        let mut leaves: Vec<usize> = passing
            .iter()
            .copied()
            .filter(|topic| !passing.iter().any(|other| self.is_ancestor(*topic, *other)))
            .collect();
        leaves.sort_by(by_score);
        leaves.truncate(max_leaves);
        let mut kept: Vec<usize> = passing
            .into_iter()
            .filter(|topic| {
                leaves
                    .iter()
                    .any(|leaf| leaf == topic || self.is_ancestor(*topic, *leaf))
            })
            .collect();
        kept.sort_by(by_score);
        kept.into_iter()
            .map(|topic| (topic, scores[topic]))
            .collect()
    }

    /// Scores the article; see the module documentation.
    pub fn article_topics(&self, words: &Words, hits: &[TopicHit]) -> ArticleTopics {
        let body_words = words.len() - words.body_start();
        let divisor = (body_words as f32 / self.reference_length)
            .max(1.0)
            .powf(self.length_exponent);
        let mut counted: Vec<(u32, f32)> = hits
            .iter()
            .map(|hit| {
                let in_title = (hit.word as usize) < words.body_start();
                (hit.keyword, if in_title { self.title_weight } else { 1.0 })
            })
            .collect();
        let (scores, anchored) = self.branch_scores(&mut counted, divisor);
        let assigned = self.select(&scores, &anchored, self.threshold, self.max_topics);
        let top_level = assigned
            .iter()
            .find(|(topic, _)| self.parents[*topic].is_none())
            .map(|(topic, _)| self.paths[*topic].clone());
        ArticleTopics {
            assigned: assigned
                .into_iter()
                .map(|(topic, score)| TopicAssignment {
                    path: self.paths[topic].clone(),
                    score: (score * 1000.0).round() / 1000.0,
                    supplied: false,
                })
                .collect(),
            top_level,
        }
    }

    /// The topics of a quote whose own words are `own` and whose sentences
    /// are `context` (word ranges): the deepest topics reaching the quote
    /// threshold, best first, or `fallback` when none does.
    pub fn quote_topics(
        &self,
        hits: &[TopicHit],
        own: Range<usize>,
        context: Range<usize>,
        fallback: Option<&str>,
    ) -> Vec<String> {
        let first = hits.partition_point(|hit| (hit.word as usize) < context.start);
        let mut counted: Vec<(u32, f32)> = hits[first..]
            .iter()
            .take_while(|hit| (hit.word as usize) < context.end)
            .map(|hit| {
                let weight = if own.contains(&(hit.word as usize)) {
                    1.0
                } else {
                    self.quote_context_weight
                };
                (hit.keyword, weight)
            })
            .collect();
        let (scores, anchored) = self.branch_scores(&mut counted, 1.0);
        let mut passing = self.select(
            &scores,
            &anchored,
            self.quote_threshold,
            self.max_quote_topics,
        );
        // A parent adds nothing when one of its children is kept: the index
        // adds ancestors.
        let kept: Vec<(usize, f32)> = passing
            .iter()
            .filter(|(topic, _)| {
                !passing
                    .iter()
                    .any(|(other, _)| self.is_ancestor(*topic, *other))
            })
            .copied()
            .collect();
        passing = kept;
        if passing.is_empty() {
            return fallback.map(str::to_owned).into_iter().collect();
        }
        passing
            .into_iter()
            .map(|(topic, _)| self.paths[topic].clone())
            .collect()
    }

    /// Topics of a bare title and body, without entity clues.
    pub fn assign(&self, title: &str, body: &str) -> Vec<TopicAssignment> {
        let words = Words::new(title, body);
        let hits = self.find_hits(&words, &[], &[]);
        self.article_topics(&words, &hits).assigned
    }
}

/// `1 + ln count` above one occurrence; proportional below (context weights).
fn saturate(count: f32) -> f32 {
    if count <= 1.0 {
        count
    } else {
        1.0 + count.ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_taxonomy_parses() {
        let taxonomy = Taxonomy::parse(DEFAULT_TAXONOMY).expect("default taxonomy");
        assert!(taxonomy.paths().len() > 30);
        for path in [
            "/world/asia-pacific/taiwan",
            "/economy/trade",
            "/technology/ai",
        ] {
            assert!(taxonomy.paths().iter().any(|p| p == path), "{path}");
        }
    }

    fn small() -> Taxonomy {
        Taxonomy::parse(
            r#"
            threshold = 2.0
            title_weight = 2.0
            [[topic]]
            path = "/economy/trade"
            keywords = ["tariff", "trade talks", "negotiate"]
            [[topic]]
            path = "/sport"
            keywords = ["football"]
            [[topic]]
            path = "/world/asia-pacific/taiwan"
            entities = { "Taiwan" = 2.0 }
            "#,
        )
        .unwrap()
    }

    #[test]
    fn stemmed_phrases_score_topics_and_parents() {
        let topics = small().assign("", "New tariffs were announced after trade talks stalled.");
        let paths: Vec<&str> = topics.iter().map(|t| t.path.as_str()).collect();
        assert_eq!(paths, ["/economy", "/economy/trade"]);
        assert_eq!(topics[1].score, 2.0);
        // Inflections and the title count.
        let topics = small().assign("Negotiations", "They negotiate.");
        assert_eq!(topics[1].path, "/economy/trade");
        assert!((topics[1].score - (1.0 + 3f32.ln())).abs() < 1e-3);
    }

    #[test]
    fn repeated_words_saturate_and_long_texts_need_more() {
        let taxonomy = small();
        let repeated = taxonomy.assign("", "tariff tariff tariff tariff");
        assert!((repeated[0].score - (1.0 + 4f32.ln())).abs() < 1e-3);
        let filler = "word ".repeat(1200);
        let long = taxonomy.assign("", &format!("tariff trade talks {filler}"));
        assert!(long.is_empty(), "{long:?}");
    }

    #[test]
    fn phrases_do_not_cross_sentences() {
        assert!(small()
            .assign("", "Trade. Talks resumed. Trade. Talks.")
            .is_empty());
    }

    #[test]
    fn quotes_use_their_words_then_fall_back() {
        let taxonomy = small();
        let body = "Wang spoke. He said tariffs and trade talks matter. Then football.";
        let words = Words::new("", body);
        let hits = taxonomy.find_hits(&words, &[], &[]);
        let own = words.body_words_in(body.find("tariffs").unwrap(), body.find(" matter").unwrap());
        let context = words.sentences_around(own.clone());
        assert_eq!(
            taxonomy.quote_topics(&hits, own, context, Some("/world")),
            ["/economy/trade"]
        );
        let own = words.body_words_in(0, 4);
        let context = words.sentences_around(own.clone());
        assert_eq!(
            taxonomy.quote_topics(&hits, own, context, Some("/world")),
            ["/world"]
        );
    }

    #[test]
    fn rejects_bad_paths_and_duplicates() {
        assert!(Taxonomy::parse("[[topic]]\npath = \"economy\"\nkeywords = [\"x\"]").is_err());
        assert!(Taxonomy::parse(
            "[[topic]]\npath = \"/a\"\nkeywords = [\"x\"]\n[[topic]]\npath = \"/a\"\n"
        )
        .is_err());
    }
}
