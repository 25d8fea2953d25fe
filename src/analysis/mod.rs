//! Analysis: everything Verbatim derives from an article's text before it is
//! indexed. One entry point, [`Analyzer::analyze`], runs the stages in order:
//!
//! 1. [`language`]: which language the article is in;
//! 2. quotes and their speakers ([`extract_quotes`]), a line of stages each
//!    with its own output: the tokenised text with word classes from the
//!    language files of `config/lang/` (`tokens`, `cues`) → quotes with their
//!    cues and speaker mentions ([`quotes::find`] → [`quotes::Found`]) →
//!    speakers in the article: mentions resolved and parsed into name, role,
//!    affiliation and kind (`names`), named through the alias table
//!    ([`speakers::attribute`] → [`Extraction`]) → identities settled with
//!    the gazetteer (`speakers::identity`). The corpus-wide identity is the
//!    index's speaker registry (`indexing::speaker_registry`);
//! 3. enrichment, over one shared tokenisation ([`words`]):
//!    [`entities`] (people, places, organisations, with the [`gazetteer`]),
//!    [`topics`] (the editable taxonomy, for the article and each quote),
//!    [`keyphrases`] (a TextRank ranker), and [`roles`] (people's roles
//!    carried over to speakers and quotes).
//!
//! [`tokenizers`] holds the tantivy analyzers used by the index and the query
//! side. Analysis is synchronous, pure and knows nothing of HTTP or tantivy
//! documents.

pub(crate) mod cues;
pub mod entities;
#[cfg(test)]
mod extraction_tests;
pub mod gazetteer;
pub mod governments;
pub mod keyphrases;
pub mod language;
pub mod lexicon;
pub(crate) mod names;
pub mod quotes;
pub mod roles;
pub mod speakers;
pub mod text;
pub mod tokenizers;
pub(crate) mod tokens;
pub mod topics;
pub mod words;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{AnalysisSettings, Settings};
use crate::model::{
    Analysis, Article, Entity, EntityKind, Keyphrase, Quote, QuoteSubjects, TopicAssignment,
};
use entities::{EntityRecognizer, Recognition};
pub use gazetteer::Gazetteer;
pub use speakers::Aliases;
pub use speakers::Extraction;
pub use topics::Taxonomy;
use topics::TopicHit;
use words::Words;

/// The per-language analyzers for `settings`: loads (or first builds) the
/// Japanese dictionary as configured.
pub fn language_analyzers_for(settings: &Settings) -> Arc<tokenizers::LanguageAnalyzers> {
    Arc::new(tokenizers::load_language_analyzers(
        &settings.japanese_dictionary_dir(),
        &settings.analysis.ipadic_source,
        settings.analysis.build_dictionary,
    ))
}

/// Extracts the quotes of `text` and names their speakers: quote finding
/// ([`quotes::find`]) then speakers in the article ([`speakers::attribute`]).
/// `language` (ISO 639-1) selects the cue tables; languages without one use
/// English cues. Terms (scare quotes, titles) are not reported.
pub fn extract_quotes(text: &str, language: &str, aliases: &Aliases) -> Extraction {
    speakers::attribute(&quotes::find(text, language), aliases)
}

/// [`extract_quotes`] of an article's body, its headline `title` counting
/// as a mention of the body the story is about.
pub fn extract_quotes_titled(
    title: &str,
    text: &str,
    language: &str,
    aliases: &Aliases,
) -> Extraction {
    speakers::attribute_with_headline(&quotes::find(text, language), title, aliases)
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

/// Reads the configuration file at `path` and parses it with `parse`,
/// naming the file in either error.
pub(crate) fn load_config<T>(
    path: &Path,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, AnalysisError> {
    let text = std::fs::read_to_string(path).map_err(|source| AnalysisError::ReadConfig {
        path: path.to_owned(),
        source,
    })?;
    parse(&text).map_err(|message| AnalysisError::InvalidConfig {
        path: path.to_owned(),
        message,
    })
}

/// The analysis pipeline with its loaded configuration (aliases, taxonomy,
/// gazetteer). Cheap to share across threads behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Analyzer {
    aliases: Aliases,
    taxonomy: Taxonomy,
    gazetteer: Gazetteer,
}

/// A table built into the binary, `file`, as parsed: an error in it is an
/// invalid configuration.
fn built_in<T>(file: &str, parsed: Result<T, String>) -> Result<T, AnalysisError> {
    parsed.map_err(|message| AnalysisError::InvalidConfig {
        path: format!("built-in {file}").into(),
        message,
    })
}

impl Analyzer {
    /// Loads the alias table and taxonomy named by `settings`; a file that is
    /// not configured falls back to the copy built into the binary.
    pub fn from_settings(settings: &AnalysisSettings) -> Result<Self, AnalysisError> {
        let aliases = match &settings.aliases {
            Some(path) => Aliases::load(path)?,
            None => built_in("aliases.toml", Aliases::parse(speakers::DEFAULT_ALIASES))?,
        };
        let taxonomy = match &settings.topics {
            Some(path) => Taxonomy::load(path)?,
            None => built_in("topics.toml", Taxonomy::parse(topics::DEFAULT_TAXONOMY))?,
        };
        let gazetteer = match &settings.gazetteer {
            Some(dir) => Gazetteer::load(dir)?,
            None => {
                Gazetteer::built_in().map_err(|(file, message)| AnalysisError::InvalidConfig {
                    path: format!("built-in gazetteer/{file}").into(),
                    message,
                })?
            }
        };
        Ok(Analyzer {
            aliases,
            taxonomy,
            gazetteer,
        })
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

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Analyses an article. Quotes and topics the client supplied are kept:
    /// supplied quotes replace extraction, supplied topics join derived ones.
    pub fn analyze(&self, article: &Article) -> Analysis {
        let language = match &article.language {
            Some(language) => language.clone(),
            None => language::detect_language(&detection_sample(&article.title, &article.body))
                .to_owned(),
        };
        let mut extraction = match &article.quotes {
            Some(supplied) => speakers::speakers_of_supplied_quotes(supplied.clone()),
            None => {
                let mut extraction =
                    extract_quotes_titled(&article.title, &article.body, &language, &self.aliases);
                speakers::identity::settle_identities(
                    &mut extraction,
                    &self.gazetteer,
                    &article.body,
                );
                extraction
            }
        };
        let enrichment = self.enrich(&article.title, &article.body, &language, &mut extraction);
        if article.quotes.is_none() {
            let country = enrichment.country.as_deref();
            governments::attribute_unnamed_governments(
                &mut extraction,
                country,
                &self.gazetteer,
                &language,
            );
            governments::settle_contextual_speakers(&mut extraction, country, &self.gazetteer);
        }

        let mut topics = enrichment.topics;
        for supplied in article.topics.iter().flatten() {
            let path = topic_path(supplied);
            if !topics.iter().any(|t| t.path == path) {
                topics.push(TopicAssignment {
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
        let mut quote_subjects = enrichment.quote_subjects;
        if enrichment.top_level.is_none() {
            // Quotes of an article whose only topics were supplied fall back
            // to the first supplied topic's top level.
            if let Some(top_level) = topics.first().map(|t| top_level_of(&t.path)) {
                for subjects in quote_subjects.iter_mut().filter(|s| s.topics.is_empty()) {
                    subjects.topics.push(top_level.clone());
                }
            }
        }
        Analysis {
            language,
            quotes: extraction.quotes,
            speakers: extraction.speakers,
            topics,
            entities: enrichment.entities,
            keyphrases: enrichment.keyphrases,
            quote_subjects,
        }
    }

    /// Enrichment, after quote extraction: entities, topics, key phrases and
    /// the topics and entities of each quote, over one tokenisation of the
    /// title and body. Fills the roles extraction left empty.
    pub fn enrich(
        &self,
        title: &str,
        body: &str,
        language: &str,
        extraction: &mut Extraction,
    ) -> Enrichment {
        let words = Words::new(title, body);
        let recognition = EntityRecognizer::new(&self.gazetteer, &self.aliases).recognize(&words);
        let hits = self
            .taxonomy
            .find_hits(&words, &recognition.mentions, &recognition.entities);
        let article_topics = self.taxonomy.article_topics(&words, &hits);
        let keyphrases = keyphrases::rank_keyphrases(&words, &recognition);
        roles::fill_roles(
            &mut extraction.speakers,
            &mut extraction.quotes,
            &recognition.entities,
        );
        let quote_subjects = self.quote_subjects(
            body,
            &words,
            &extraction.quotes,
            &hits,
            &recognition,
            article_topics.top_level.as_deref(),
        );
        let country = governments::article_country(&words, &recognition, &self.gazetteer, language);
        Enrichment {
            country,
            topics: article_topics.assigned,
            top_level: article_topics.top_level,
            entities: recognition.entities,
            keyphrases,
            quote_subjects,
        }
    }

    /// Topics and entities of each quote: from the quote's own words and the
    /// rest of its sentences; `fallback` (the article's top-level topic) when
    /// they tell no topic.
    fn quote_subjects(
        &self,
        body: &str,
        words: &Words,
        quotes: &[Quote],
        hits: &[TopicHit],
        recognition: &Recognition,
        fallback: Option<&str>,
    ) -> Vec<QuoteSubjects> {
        let mut char_offsets: Vec<usize> = quotes.iter().flat_map(|q| [q.start, q.end]).collect();
        let byte_of = text::char_to_byte_offsets(body, &mut char_offsets);
        quotes
            .iter()
            .map(|quote| {
                let located = match (byte_of(quote.start), byte_of(quote.end)) {
                    (Some(start), Some(end)) if start < end => Some((start, end)),
                    _ => body
                        .find(quote.quote.as_str())
                        .filter(|_| !quote.quote.is_empty())
                        .map(|start| (start, start + quote.quote.len())),
                };
                let Some((start, end)) = located else {
                    return QuoteSubjects {
                        topics: fallback.map(str::to_owned).into_iter().collect(),
                        ..QuoteSubjects::default()
                    };
                };
                let own = words.body_words_in(start, end);
                let context = words.sentences_around(own.clone());
                let mut subjects = QuoteSubjects {
                    topics: self
                        .taxonomy
                        .quote_topics(hits, own.clone(), context, fallback),
                    ..QuoteSubjects::default()
                };
                for mention in &recognition.mentions {
                    if !own.contains(&mention.first) {
                        continue;
                    }
                    let entity = &recognition.entities[mention.entity];
                    let names = match entity.kind {
                        EntityKind::Person => &mut subjects.people,
                        EntityKind::Place => &mut subjects.places,
                        EntityKind::Organization => &mut subjects.organizations,
                    };
                    if !names.contains(&entity.name) {
                        names.push(entity.name.clone());
                    }
                }
                subjects
            })
            .collect()
    }

    /// Analyses bare text, as `verbatim extract` does: offsets refer to `text`.
    pub fn analyze_text(&self, title: &str, text: &str, language: Option<&str>) -> Analysis {
        self.analyze(&Article::from_text(title, text, language))
    }
}

/// What enrichment derives from an article (see [`Analyzer::enrich`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Enrichment {
    /// Derived topics, best first.
    pub topics: Vec<TopicAssignment>,
    /// The top-level topic: the best-scoring top-level branch, if any.
    pub top_level: Option<String>,
    /// People, places and organisations, most mentioned first.
    pub entities: Vec<Entity>,
    /// Key phrases, best first.
    pub keyphrases: Vec<Keyphrase>,
    /// Topics and entities of each quote.
    pub quote_subjects: Vec<QuoteSubjects>,
    /// The country the article is about, if its title, lead or places tell
    /// one (see [`governments::article_country`]).
    pub country: Option<String>,
}

/// `/a` for `/a/b/c`.
fn top_level_of(path: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    format!("/{}", trimmed.split('/').next().unwrap_or(""))
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

    /// Asserts that analysis finds a quote starting with `opening` in `body`
    /// and gives it the speaker `expected`.
    #[track_caller]
    fn assert_speaker(body: &str, opening: &str, expected: &str) {
        let analysis =
            Analyzer::with_defaults().analyze(&Article::from_text("Untitled", body, Some("en")));
        let quote = analysis
            .quotes
            .iter()
            .find(|q| q.quote.starts_with(opening))
            .unwrap_or_else(|| panic!("no quote {opening:?} in {body:?}"));
        assert_eq!(quote.speaker.as_deref(), Some(expected), "{opening:?}");
    }

    #[test]
    fn a_person_a_statement_introduces_is_not_its_he_said_speaker() {
        // Reuters-21578: `U.S. Car` inside the statement is no one; `she` is
        // the spokeswoman who spoke for the company.
        let body = "Acme Corp is negotiating a supply deal, a company spokeswoman said.\n\n\
                    The company is expected to reach agreements with both U.S. Car makers \
                    sometime this year, she said.";
        assert_speaker(body, "The company is expected", "Acme");
        // A person named before the statement may still be its speaker.
        let body = "Jack Smith spoke in Rome. Smith was right about the vote, he said.";
        assert_speaker(body, "Smith was right", "Jack Smith");
    }

    #[test]
    fn a_fragment_verb_after_a_closed_quote_starts_a_sentence_of_its_own() {
        // BBC business 351: the second quote goes on John Brady's, not
        // `Statistics`'; `“...?” Beck questioned.` still attributes.
        let body = "\"Prices will go lower,\" said John Brady of ABN AMRO. \"The market \
                    definitely feels to be on the defensive.\" Statistics released last week \
                    showed that stockpiles rose.";
        let analysis =
            Analyzer::with_defaults().analyze(&Article::from_text("Untitled", body, Some("en")));
        let speakers: Vec<_> = analysis
            .quotes
            .iter()
            .map(|q| q.speaker.as_deref())
            .collect();
        assert_eq!(speakers, [Some("John Brady")], "{body:?}");
        let body = "Glenn Beck spoke. \"What was the pivot point?\" Beck questioned.";
        assert_speaker(body, "What was the pivot", "Glenn Beck");
    }

    #[test]
    fn lowercase_particles_stay_in_an_english_name() {
        // Reuters-21578: not `Dehesa`.
        let body = "The sources said Spanish junior finance minister Guillermo de la Dehesa \
                    said Spain was against the tax because of its implications for world \
                    trade talks.";
        assert_speaker(body, "Spain was against", "Guillermo de la Dehesa");
    }

    #[test]
    fn a_person_before_a_role_is_the_speaker_not_the_body_the_role_names() {
        // BBC politics: the rabbi speaks, not his centre.
        let body = "Prince Harry should see for himself \"the results of the hated symbol he \
                    so foolishly and brazenly chose to wear\", Rabbi Marvin Hier, founder of \
                    Jewish human rights group the Simon Wiesenthal Center said.";
        assert_speaker(body, "the results", "Marvin Hier");
        // Reuters-21578: a capitalised role and a second apposition.
        let body = "The Commodity Credit Corp will \"depend heavily\" on certificates to \
                    relieve storage problems this year, Ralph Klopfenstein, Deputy \
                    Administrator for Commodity Operations, USDA, told participants at the \
                    annual convention.";
        assert_speaker(body, "depend heavily", "Ralph Klopfenstein");
        // Without a role before `of`, the body speaks.
        let body = "\"We will appeal,\" the board of the Simon Wiesenthal Center said.";
        assert_speaker(body, "We will appeal", "Simon Wiesenthal Center");
    }

    #[test]
    fn an_acronym_the_article_spells_out_is_that_body() {
        // Reuters-21578: Japan's EPA is not the US Environmental Protection Agency.
        let body = "Japan should watch the effects of the yen's rise, the government's \
                    Economic Planning Agency said in a monthly report.\n\nEPA officials told \
                    reporters the underlying trend of the economy is firm.";
        assert_speaker(body, "the underlying trend", "Economic Planning Agency");
        // An article that does not spell it out gets the gazetteer's body.
        let body = "EPA officials told reporters the new rules on emissions would apply soon.";
        assert_speaker(body, "the new rules", "Environmental Protection Agency");
    }

    #[test]
    fn a_capitalised_common_word_inside_a_company_name_stays_in_it() {
        // Reuters-21578: `Best` of `Arkansas Best Corp`, and `It` after it.
        let body = "Arkansas Best Corp said its 1987 first quarter earnings will be \
                    significantly lower.\n\nIt said the labor increase then will be 3.2 pct \
                    for ABF Freight System, its largest unit.";
        assert_speaker(body, "its 1987", "Arkansas Best");
        assert_speaker(body, "the labor increase", "Arkansas Best");
        // A day before a company is no part of its name.
        let body = "On Monday Acme Corp said its earnings will be lower.";
        assert_speaker(body, "its earnings", "Acme");
    }

    #[test]
    fn supplied_topics_give_quotes_a_fallback() {
        let analyzer = Analyzer::with_defaults();
        let article = Article {
            topics: Some(vec!["Local/Weather".into()]),
            ..Article::from_text("Untitled", "“We will see,” Smith said.", Some("en"))
        };
        let analysis = analyzer.analyze(&article);
        assert_eq!(analysis.topics[0].path, "/local/weather");
        assert_eq!(analysis.quote_subjects.len(), analysis.quotes.len());
        assert!(analysis
            .quote_subjects
            .iter()
            .all(|s| s.topics == ["/local"]));
    }

    #[test]
    fn hostile_text_never_panics() {
        let analyzer = Analyzer::with_defaults();
        let samples = [
            "",
            "“",
            "U.S.-",
            "Mr. . . . Dr",
            "’s ’s 's",
            "A.B.C.D.E.F.G.H.I.J.K.L.M",
            "President President President Wang",
            "of the of the Of The",
            "Beijing has",
            "“Quote” said\n\n\n“",
            "Ünïcödé Çàpïtàls Said Thïngs — “ok”",
        ];
        for body in samples {
            for title in ["", body] {
                let analysis = analyzer.analyze_text(title, body, None);
                assert_eq!(analysis.quote_subjects.len(), analysis.quotes.len());
            }
        }
    }

    #[test]
    fn topic_paths_are_normalised() {
        assert_eq!(topic_path("Trade"), "/trade");
        assert_eq!(topic_path("/Economy/Trade Talks/"), "/economy/trade-talks");
        assert_eq!(topic_path("economy//trade"), "/economy/trade");
    }
}
