//! Domain types shared by every stage of the pipeline: the validated
//! [`Article`] a client sends, and what analysis derives from it
//! ([`Quote`], [`Speaker`], [`TopicAssignment`], [`Entity`], [`Keyphrase`],
//! [`QuoteSubjects`]).
//!
//! These types are plain data. They derive `serde` because an analysed article
//! is stored in the index as JSON and returned as is; the HTTP layer wraps them
//! in its own request and response types. Those that appear in responses as
//! they are also derive `utoipa::ToSchema`, so the OpenAPI description
//! (`http::openapi`) follows their serde shape.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A validated article, ready for analysis and indexing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier: supplied by the client, or derived from the url or content.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Body text, paragraphs separated by newlines.
    pub body: String,
    /// Canonical address of the article, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publisher or outlet (`CNN`, `Reuters`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Publication time (UTC). A bare date is stored as midnight UTC.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<OffsetDateTime>,
    /// Bylines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// ISO 639-1 language code given by the client; detection fills it otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Quotes supplied by the client; when present they replace extraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotes: Option<Vec<Quote>>,
    /// Topics supplied by the client; they are kept alongside derived topics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<String>>,
    /// Any other fields the client sent, kept verbatim and returned with the article.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Article {
    /// Bare text as an article without id or metadata, as `verbatim
    /// extract` analyses it: `language` given, else detected.
    pub fn from_text(title: &str, body: &str, language: Option<&str>) -> Article {
        Article {
            id: String::new(),
            title: title.to_owned(),
            body: body.to_owned(),
            url: None,
            source: None,
            published: None,
            authors: Vec::new(),
            language: language.map(str::to_owned),
            quotes: None,
            topics: None,
            extra: Default::default(),
        }
    }
}

/// How a quotation appears in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// A full statement inside quotation marks.
    Direct,
    /// A quoted fragment inside reported speech (`said China faces a "downward spiral"`).
    Partial,
    /// Reported speech without quotation marks (`Blinken said the U.S. had ...`).
    Indirect,
    /// A quoted term or title nobody is quoted as saying (scare quotes); never attributed.
    Term,
}

#[cfg(test)]
impl Quote {
    /// A test quote: `words`, direct, said by `speaker`, nothing else known.
    pub(crate) fn said_by(speaker: &str) -> Quote {
        Quote {
            quote: "words".into(),
            start: 0,
            end: 5,
            kind: QuoteKind::Direct,
            speaker: Some(speaker.into()),
            role: None,
            affiliation: None,
            speaker_kind: SpeakerKind::Unknown,
            speaker_description: None,
            speaker_mention: None,
            cue: None,
            pieces: Vec::new(),
            confidence: 1.0,
        }
    }
}

impl QuoteKind {
    /// The wire and index name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Partial => "partial",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Term => "term",
        }
    }
}

/// A stretch of text with its offsets in Unicode code points (half-open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Span {
    /// The text of the span, exactly as in the source.
    pub text: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// One quotation found in (or supplied with) an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Quote {
    /// The quoted words (pieces of a split quote joined by a space).
    pub quote: String,
    /// First code point of the quote in the article body.
    pub start: usize,
    /// One past the last code point of the quote in the article body.
    pub end: usize,
    /// How the quote appears.
    pub kind: QuoteKind,
    /// Canonical name of the speaker, if one could be attributed.
    #[serde(default)]
    pub speaker: Option<String>,
    /// The speaker's role or title, when the text gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The body the speaker speaks for or belongs to, when the text gives it
    /// (`Federal Reserve Board` for `Paul Volcker, chairman of the Federal
    /// Reserve Board`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// What kind of source speaks: a person, an organisation, a government,
    /// or an anonymous source (then `speaker` is null).
    #[serde(default)]
    pub speaker_kind: SpeakerKind,
    /// For a source the text does not name (`dealers`, `a Nomura analyst`),
    /// how the text describes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_description: Option<String>,
    /// Where the speaker is named for this quote (may be a pronoun).
    #[serde(default)]
    pub speaker_mention: Option<Span>,
    /// The speech cue (`said`, `told reporters`, `according to`).
    #[serde(default)]
    pub cue: Option<Span>,
    /// For a quote split around its attribution, the code-point ranges of its pieces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pieces: Vec<[usize; 2]>,
    /// How sure the extractor is of the quote and its speaker, `0..=1`: the
    /// precision measured for quotes with the same evidence (see
    /// `analysis::quotes::confidence`). Quotes supplied by the caller keep
    /// theirs, 1 when not given.
    #[serde(default = "supplied_confidence")]
    pub confidence: f32,
}

/// The confidence of a quote the caller supplied without one.
pub(crate) fn supplied_confidence() -> f32 {
    1.0
}

/// What kind of source a speaker is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerKind {
    /// A human being (named, or known only by a role: `the foreign minister`).
    Person,
    /// A company, agency, party, court, newspaper or other body; also an
    /// unnamed spokesperson or official speaking for a named body.
    Organization,
    /// A country or capital standing for its government (`Beijing said`).
    Government,
    /// A source the text does not name (`dealers`, `analysts`, `officials`).
    Anonymous,
    /// Not determined.
    #[default]
    Unknown,
}

impl SpeakerKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [SpeakerKind; 5] = [
        SpeakerKind::Person,
        SpeakerKind::Organization,
        SpeakerKind::Government,
        SpeakerKind::Anonymous,
        SpeakerKind::Unknown,
    ];

    /// The kind whose name ([`SpeakerKind::as_str`]) is `name`.
    pub fn named(name: &str) -> Option<SpeakerKind> {
        SpeakerKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }

    /// The wire and index name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Organization => "organization",
            SpeakerKind::Government => "government",
            SpeakerKind::Anonymous => "anonymous",
            SpeakerKind::Unknown => "unknown",
        }
    }
}

/// A canonical speaker of an article, with the forms it appears under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Speaker {
    /// Canonical name (`Wang Yi`).
    pub name: String,
    /// Role or title (`Chinese Foreign Minister`), if the text gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The body the speaker belongs to or speaks for, if the text gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// Person, organisation or government.
    #[serde(default)]
    pub kind: SpeakerKind,
    /// Every surface form seen in the article (`Wang`, `Chinese Foreign Minister Wang Yi`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Number of quotes attributed to this speaker in the article.
    #[serde(default)]
    pub quotes: usize,
}

/// A topic of the taxonomy assigned to an article or a quote, with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopicAssignment {
    /// Hierarchical path, e.g. `/world/asia-pacific/taiwan`.
    pub path: String,
    /// Strength of the assignment; only those above the configured threshold are kept.
    /// Topics supplied by the client have no score (0).
    pub score: f32,
    /// Whether the client supplied this topic (rather than the taxonomy deriving it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub supplied: bool,
}

/// What kind of thing a named entity is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A named human being (`Wang Yi`).
    Person,
    /// A country, city, region or other geographic name (`Taiwan`, `Middle East`).
    Place,
    /// A company, agency, party, government or other body (`US State Department`).
    #[serde(rename = "org")]
    Organization,
}

impl EntityKind {
    /// Every kind, in the order of the enum (the order `/v1/entities` lists
    /// them in).
    pub const ALL: [EntityKind; 3] = [
        EntityKind::Person,
        EntityKind::Place,
        EntityKind::Organization,
    ];

    /// The kind whose wire name ([`EntityKind::as_str`]) is `name`.
    pub fn named(name: &str) -> Option<EntityKind> {
        EntityKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }

    /// The wire name of the kind, which is also its facet name: `person`, `place`, `org`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Organization => "org",
        }
    }
}

/// A named entity of an article, canonicalised within the article
/// (`U.S.`, `US` and `America` are one `United States`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Entity {
    /// Canonical name.
    pub name: String,
    /// Person, place or organisation.
    pub kind: EntityKind,
    /// For a person, the role or title the text gives (`Chinese Foreign Minister`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// For a person, the country or organisation the text ties them to (`China`, `CNN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// For an organisation, what kind it is when known: `company`, `government`,
    /// `party`, `media`, `international`, `sport` or `group`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Other forms the entity appears under in the article (`US`, `America`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Number of mentions in the title and body.
    pub mentions: usize,
}

/// A key phrase of an article, ranked by an unsupervised graph ranker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Keyphrase {
    /// The phrase as it reads in the text (lowercased unless a proper name).
    pub phrase: String,
    /// Rank score; higher is more central to the article.
    pub score: f32,
}

/// What one quote is about: the topics of its own text and sentence context,
/// and the entities it names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteSubjects {
    /// Topic paths, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// Canonical names of the people the quote names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<String>,
    /// Canonical names of the places the quote names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    /// Canonical names of the organisations the quote names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<String>,
}

/// Everything analysis derives from one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// ISO 639-1 language code (`en`), or `und` when it cannot be told.
    pub language: String,
    /// Canonical speakers of the quotes.
    pub speakers: Vec<Speaker>,
    /// Topics of the article, best first.
    pub topics: Vec<TopicAssignment>,
    /// Quotations in order of appearance (written after what a search hit
    /// shows, `language`, `speakers` and `topics`: a hit's read of the
    /// stored JSON stops before them; see `search::hit`).
    pub quotes: Vec<Quote>,
    /// People, places and organisations named in the article, most mentioned first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Entity>,
    /// Key phrases of the article, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyphrases: Vec<Keyphrase>,
    /// Topics and entities of each quote, in the order of `quotes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quote_subjects: Vec<QuoteSubjects>,
}

/// An article with its analysis: the unit that is indexed and returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzedArticle {
    /// The article as the client sent it (after validation).
    #[serde(flatten)]
    pub article: Article,
    /// What analysis derived.
    pub analysis: Analysis,
}

/// The article fields a quote carries with it (in a stored quote's JSON,
/// as every backend stores it and quote hits show it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ArticleRef {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Publication time.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<OffsetDateTime>,
}

impl From<&Article> for ArticleRef {
    fn from(article: &Article) -> Self {
        ArticleRef {
            id: article.id.clone(),
            title: article.title.clone(),
            url: article.url.clone(),
            source: article.source.clone(),
            published: article.published,
        }
    }
}
