//! Ingest: from article JSON to documents ready for the writer. Parsing and
//! validation ([`parse_article`]), analysis, and document building
//! ([`prepare_article`]) are shared by the HTTP API and `verbatim import`, so
//! both accept and reject exactly the same input.

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};
use xxhash_rust::xxh3::xxh3_128;

use crate::analysis::language::normalize_language_tag;
use crate::analysis::Analyzer;
use crate::indexing::document::{article_documents_with, DocumentOptions};
use crate::indexing::schema::Fields;
use crate::indexing::PreparedArticle;
use crate::model::{AnalyzedArticle, Article, Quote};

/// Longest accepted id, in characters.
pub const MAX_ID_CHARS: usize = 256;
/// Longest accepted url, source, author or topic, in characters.
pub const MAX_SHORT_FIELD_CHARS: usize = 2048;
/// Most authors, topics or quotes supplied with one article.
pub const MAX_LIST_ITEMS: usize = 1000;

/// Limits applied to each article.
#[derive(Debug, Clone, Copy)]
pub struct ArticleLimits {
    /// Largest title + body, in bytes.
    pub max_article_bytes: usize,
}

/// Why an article was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IngestError {
    /// The input is not JSON at all (HTTP 400).
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// Valid JSON that is not a valid article (HTTP 422).
    #[error("{message}")]
    InvalidArticle {
        /// What is wrong, as a stable code.
        code: ArticleDefect,
        /// Human sentence naming the field.
        message: String,
    },
}

/// What is wrong with a JSON value that is not a valid article: each has the
/// stable snake_case code clients see (`http::error::ErrorCode` gives them
/// their status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleDefect {
    /// Not an object, a field of the wrong type, a missing title or body.
    InvalidArticle,
    /// Title and body both empty.
    EmptyArticle,
    /// Title and body over `server.max_article_bytes`.
    ArticleTooLarge,
    /// A url with whitespace.
    InvalidUrl,
    /// `published` neither `YYYY-MM-DD` nor RFC 3339.
    InvalidDate,
    /// `language` not an ISO 639-1 code.
    InvalidLanguage,
    /// An empty topic.
    InvalidTopic,
    /// A NUL character, or control characters in a short field.
    InvalidText,
    /// A short field (source, author, topic, ...) over its length.
    FieldTooLong,
    /// A list (authors, topics, quotes) with too many items.
    TooManyItems,
    /// An id that is empty, too long, or has whitespace, control characters, `/` or `\\`.
    InvalidId,
    /// A given quote whose offsets fall outside the body.
    InvalidQuote,
}

impl ArticleDefect {
    /// Every defect, in the order documents list them.
    pub const ALL: &[ArticleDefect] = &[
        ArticleDefect::InvalidArticle,
        ArticleDefect::EmptyArticle,
        ArticleDefect::ArticleTooLarge,
        ArticleDefect::InvalidUrl,
        ArticleDefect::InvalidDate,
        ArticleDefect::InvalidLanguage,
        ArticleDefect::InvalidTopic,
        ArticleDefect::InvalidText,
        ArticleDefect::FieldTooLong,
        ArticleDefect::TooManyItems,
        ArticleDefect::InvalidId,
        ArticleDefect::InvalidQuote,
    ];

    /// The snake_case code and a one-line description.
    fn entry(self) -> (&'static str, &'static str) {
        match self {
            ArticleDefect::InvalidArticle => (
                "invalid_article",
                "not a JSON object, a field of the wrong type, or title or body missing",
            ),
            ArticleDefect::EmptyArticle => ("empty_article", "title and body are both empty"),
            ArticleDefect::ArticleTooLarge => (
                "article_too_large",
                "title and body are longer than `server.max_article_bytes`",
            ),
            ArticleDefect::InvalidUrl => ("invalid_url", "`url` contains whitespace"),
            ArticleDefect::InvalidDate => (
                "invalid_date",
                "`published` is not a `YYYY-MM-DD` date or an RFC 3339 time",
            ),
            ArticleDefect::InvalidLanguage => {
                ("invalid_language", "`language` is not an ISO 639-1 code")
            }
            ArticleDefect::InvalidTopic => ("invalid_topic", "a topic is empty"),
            ArticleDefect::InvalidText => (
                "invalid_text",
                "a NUL character in the text, or control characters in a short field",
            ),
            ArticleDefect::FieldTooLong => (
                "field_too_long",
                "a short field (source, url, author, topic) is over 2048 characters",
            ),
            ArticleDefect::TooManyItems => (
                "too_many_items",
                "a list (authors, topics, quotes) has more than 1000 items",
            ),
            ArticleDefect::InvalidId => (
                "invalid_id",
                "the id is empty, over 256 characters, or has whitespace, control characters, `/` or `\\`",
            ),
            ArticleDefect::InvalidQuote => (
                "invalid_quote",
                "a given quote's offsets fall outside the body",
            ),
        }
    }

    /// The snake_case code (`invalid_date`).
    pub fn as_str(self) -> &'static str {
        self.entry().0
    }

    /// One line saying what the code means.
    pub fn description(self) -> &'static str {
        self.entry().1
    }
}

impl IngestError {
    fn invalid(code: ArticleDefect, message: impl Into<String>) -> Self {
        IngestError::InvalidArticle {
            code,
            message: message.into(),
        }
    }

    /// The snake_case code clients see (`malformed_json`, `invalid_date`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            IngestError::MalformedJson(_) => "malformed_json",
            IngestError::InvalidArticle { code, .. } => code.as_str(),
        }
    }

    /// The human sentence, without the code.
    pub fn message(&self) -> &str {
        match self {
            IngestError::MalformedJson(message) | IngestError::InvalidArticle { message, .. } => {
                message
            }
        }
    }

    /// The same error with `prefix` (e.g. `articles[3]`) added to the field path.
    pub fn at(self, prefix: &str) -> Self {
        match self {
            IngestError::InvalidArticle { code, message } => IngestError::InvalidArticle {
                code,
                message: format!("{prefix}: {message}"),
            },
            other => other,
        }
    }
}

/// An article as clients send it (`POST /v1/articles`, a line of a bulk
/// load, `verbatim import`). The schema states what `validate` checks where
/// JSON Schema can say it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ArticleInput {
    /// Stable id (1 to 256 characters, no whitespace, control characters, `/` or `\\`);
    /// derived from `url`, else from title and body, when absent.
    #[serde(default)]
    #[schema(pattern = r"^[^\s\x00-\x1f\x7f-\x9f/\\]{1,256}$")]
    id: Option<String>,
    /// Headline (no NUL character; title and body are not both blank).
    #[schema(pattern = r"^[^\x00]*$")]
    title: String,
    /// Full text (no NUL character).
    #[schema(pattern = r"^[^\x00]*$")]
    body: String,
    /// Address of the original (no whitespace).
    #[serde(default)]
    #[schema(max_length = 2048, pattern = r"^[^\s\x00-\x1f\x7f-\x9f]*$")]
    url: Option<String>,
    /// Publisher.
    #[serde(default)]
    #[schema(max_length = 2048, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")]
    source: Option<String>,
    /// Publication date or time: `YYYY-MM-DD` or RFC 3339.
    #[serde(default)]
    #[schema(schema_with = published_schema)]
    published: Option<String>,
    /// Authors.
    #[serde(default)]
    #[schema(schema_with = authors_schema)]
    authors: Option<Vec<String>>,
    /// ISO 639-1 code (or a tag starting with one, `en-GB`); detected when absent.
    #[serde(default)]
    #[schema(schema_with = crate::analysis::language::language_tag_schema)]
    language: Option<String>,
    /// Quotes to keep instead of extracting them (offsets within the body).
    #[serde(default)]
    quotes: Option<Vec<Quote>>,
    /// Topic paths to keep alongside derived ones.
    #[serde(default)]
    #[schema(schema_with = topics_schema)]
    topics: Option<Vec<String>>,
    /// Other fields, kept as they are.
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// A list of at most [`MAX_LIST_ITEMS`] short texts (at most
/// [`MAX_SHORT_FIELD_CHARS`] characters), each matching `item_pattern`.
fn short_texts_schema(item_pattern: &str) -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .max_items(Some(MAX_LIST_ITEMS))
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(MAX_SHORT_FIELD_CHARS))
                .pattern(Some(item_pattern)),
        )
        .build()
}

/// `authors`: no control characters.
fn authors_schema() -> utoipa::openapi::schema::Array {
    short_texts_schema(r"^[^\x00-\x1f\x7f-\x9f]*$")
}

/// `topics`: no control characters, and more than slashes and spaces.
fn topics_schema() -> utoipa::openapi::schema::Array {
    short_texts_schema(r"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x1f\x7f-\x9f/ ][^\x00-\x1f\x7f-\x9f]*$")
}

/// `published`: a date or an RFC 3339 time.
fn published_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    let format = |known| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(known)))
    };
    OneOfBuilder::new()
        .item(format(KnownFormat::Date))
        .item(format(KnownFormat::DateTime))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// Parses and validates one article from JSON bytes.
pub fn parse_article(json: &[u8], limits: ArticleLimits) -> Result<Article, IngestError> {
    let value: serde_json::Value =
        serde_json::from_slice(json).map_err(|e| IngestError::MalformedJson(e.to_string()))?;
    article_from_value(value, limits)
}

/// Validates one article given as a JSON value.
pub fn article_from_value(
    value: serde_json::Value,
    limits: ArticleLimits,
) -> Result<Article, IngestError> {
    if !value.is_object() {
        return Err(IngestError::invalid(
            ArticleDefect::InvalidArticle,
            format!(
                "an article must be a JSON object, not {}",
                json_type(&value)
            ),
        ));
    }
    let input: ArticleInput = serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner().to_string();
        let message = if path == "." {
            inner
        } else {
            format!("{path}: {inner}")
        };
        IngestError::invalid(ArticleDefect::InvalidArticle, message)
    })?;
    validate(input, limits)
}

/// The name of a JSON value's type, for messages.
pub fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn validate(input: ArticleInput, limits: ArticleLimits) -> Result<Article, IngestError> {
    check_text("title", &input.title)?;
    check_text("body", &input.body)?;
    if input.body.trim().is_empty() && input.title.trim().is_empty() {
        return Err(IngestError::invalid(
            ArticleDefect::EmptyArticle,
            "title and body are both empty",
        ));
    }
    let size = input.title.len() + input.body.len();
    if size > limits.max_article_bytes {
        return Err(IngestError::invalid(
            ArticleDefect::ArticleTooLarge,
            format!(
                "title and body are {size} bytes; the limit is {}",
                limits.max_article_bytes
            ),
        ));
    }
    let url = optional_short("url", input.url)?;
    if let Some(url) = &url {
        if url.chars().any(char::is_whitespace) {
            return Err(IngestError::invalid(
                ArticleDefect::InvalidUrl,
                "url: must not contain whitespace",
            ));
        }
    }
    let id = match input.id {
        Some(id) => {
            validate_id(&id)?;
            id
        }
        None => derive_id(url.as_deref(), &input.title, &input.body),
    };
    let source = optional_short("source", input.source)?;
    let published = match input.published {
        Some(text) => Some(parse_published(&text).ok_or_else(|| {
            IngestError::invalid(
                ArticleDefect::InvalidDate,
                format!(
                    "published: `{}` is not a YYYY-MM-DD date or an RFC 3339 time",
                    clip(&text)
                ),
            )
        })?),
        None => None,
    };
    let authors = short_list("authors", input.authors.unwrap_or_default())?;
    let language = match input.language {
        Some(tag) => Some(
            normalize_language_tag(&tag)
                .ok_or_else(|| {
                    IngestError::invalid(
                        ArticleDefect::InvalidLanguage,
                        format!("language: `{}` is not an ISO 639-1 code", clip(&tag)),
                    )
                })?
                .to_owned(),
        ),
        None => None,
    };
    let topics = match input.topics {
        Some(topics) => {
            let topics = short_list("topics", topics)?;
            if let Some(position) = topics
                .iter()
                .position(|t| t.trim_matches(['/', ' ']).is_empty())
            {
                return Err(IngestError::invalid(
                    ArticleDefect::InvalidTopic,
                    format!("topics[{position}]: a topic must not be empty"),
                ));
            }
            Some(topics)
        }
        None => None,
    };
    let quotes = match input.quotes {
        Some(quotes) => Some(validate_quotes(quotes, &input.body)?),
        None => None,
    };
    Ok(Article {
        id,
        title: input.title,
        body: input.body,
        url,
        source,
        published,
        authors,
        language,
        quotes,
        topics,
        extra: input.extra,
    })
}

/// The first 64 characters of a value the client sent, as an error message
/// quotes it (a long value is not echoed whole).
pub fn clip(text: &str) -> String {
    text.chars().take(64).collect()
}

fn check_text(field: &str, text: &str) -> Result<(), IngestError> {
    if text.contains('\0') {
        return Err(IngestError::invalid(
            ArticleDefect::InvalidText,
            format!("{field}: contains a NUL character"),
        ));
    }
    Ok(())
}

fn optional_short(field: &str, value: Option<String>) -> Result<Option<String>, IngestError> {
    match value {
        None => Ok(None),
        Some(value) if value.trim().is_empty() => Ok(None),
        Some(value) => {
            check_short(field, &value)?;
            Ok(Some(value.trim().to_owned()))
        }
    }
}

fn check_short(field: &str, value: &str) -> Result<(), IngestError> {
    if value.chars().count() > MAX_SHORT_FIELD_CHARS {
        return Err(IngestError::invalid(
            ArticleDefect::FieldTooLong,
            format!("{field}: longer than {MAX_SHORT_FIELD_CHARS} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(IngestError::invalid(
            ArticleDefect::InvalidText,
            format!("{field}: contains control characters"),
        ));
    }
    Ok(())
}

/// Refuses a list `field` of more than [`MAX_LIST_ITEMS`] items.
fn check_list_length(field: &str, length: usize) -> Result<(), IngestError> {
    if length > MAX_LIST_ITEMS {
        return Err(IngestError::invalid(
            ArticleDefect::TooManyItems,
            format!("{field}: more than {MAX_LIST_ITEMS} items"),
        ));
    }
    Ok(())
}

fn short_list(field: &str, values: Vec<String>) -> Result<Vec<String>, IngestError> {
    check_list_length(field, values.len())?;
    for (index, value) in values.iter().enumerate() {
        check_short(&format!("{field}[{index}]"), value)?;
    }
    Ok(values)
}

/// Checks a client-supplied id: 1 to 256 printable characters, no whitespace, no `/`.
pub fn validate_id(id: &str) -> Result<(), IngestError> {
    let length = id.chars().count();
    if length == 0 || length > MAX_ID_CHARS {
        return Err(IngestError::invalid(
            ArticleDefect::InvalidId,
            format!("id: must be 1 to {MAX_ID_CHARS} characters long"),
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || *c == '/' || *c == '\\')
    {
        return Err(IngestError::invalid(
            ArticleDefect::InvalidId,
            format!(
                "id: must not contain {bad:?} (no whitespace, control characters, `/` or `\\`)"
            ),
        ));
    }
    Ok(())
}

/// A stable id for an article without one: from its url when it has one,
/// else from its title and body, so re-sending it replaces it.
pub fn derive_id(url: Option<&str>, title: &str, body: &str) -> String {
    let hash = match url {
        Some(url) => xxh3_128(url.trim().as_bytes()),
        None => {
            let mut content = Vec::with_capacity(title.len() + body.len() + 1);
            content.extend_from_slice(title.as_bytes());
            content.push(0);
            content.extend_from_slice(body.as_bytes());
            xxh3_128(&content)
        }
    };
    format!("{hash:032x}")
}

/// Parses `YYYY-MM-DD` (midnight UTC) or RFC 3339 (converted to UTC).
pub fn parse_published(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(time) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(time.to_offset(time::UtcOffset::UTC));
    }
    let date = Date::parse(text, format_description!("[year]-[month]-[day]")).ok()?;
    Some(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc())
}

fn validate_quotes(quotes: Vec<Quote>, body: &str) -> Result<Vec<Quote>, IngestError> {
    check_list_length("quotes", quotes.len())?;
    let body_chars = body.chars().count();
    for (index, quote) in quotes.iter().enumerate() {
        if quote.start > quote.end || quote.end > body_chars {
            return Err(IngestError::invalid(
                ArticleDefect::InvalidQuote,
                format!(
                    "quotes[{index}]: start {} and end {} must satisfy start <= end <= {body_chars} (the body length in characters)",
                    quote.start, quote.end
                ),
            ));
        }
        check_text(&format!("quotes[{index}].quote"), &quote.quote)?;
    }
    Ok(quotes)
}

/// Analyses an article and builds its documents (with the default
/// [`DocumentOptions`]).
pub fn prepare_article(analyzer: &Analyzer, fields: &Fields, article: Article) -> PreparedArticle {
    prepare_article_with(analyzer, fields, DocumentOptions::default(), article)
}

/// Analyses an article (timed in [`crate::metrics::ANALYSIS_SECONDS`]):
/// what a backend is given to store.
pub fn analyze_article(analyzer: &Analyzer, article: Article) -> AnalyzedArticle {
    let started = std::time::Instant::now();
    let analysis = analyzer.analyze(&article);
    crate::metrics::ANALYSIS_SECONDS.observe(started.elapsed());
    AnalyzedArticle { article, analysis }
}

/// Analyses an article and builds its documents with `options`.
pub fn prepare_article_with(
    analyzer: &Analyzer,
    fields: &Fields,
    options: DocumentOptions,
    article: Article,
) -> PreparedArticle {
    let analyzed = analyze_article(analyzer, article);
    PreparedArticle {
        id: analyzed.article.id.clone(),
        documents: article_documents_with(&analyzed, fields, options),
    }
}

/// A rejected line of an NDJSON bulk load.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// Why it was rejected.
    pub error: IngestError,
}

/// Parses, validates, analyses and prepares NDJSON lines in parallel.
/// Returns the prepared articles in line order and the rejected lines.
pub fn prepare_lines(
    analyzer: &Analyzer,
    fields: &Fields,
    options: DocumentOptions,
    limits: ArticleLimits,
    lines: Vec<(usize, Vec<u8>)>,
) -> (Vec<PreparedArticle>, Vec<LineError>) {
    let lines = lines
        .into_iter()
        .map(|(line, bytes)| BulkSource {
            line,
            bytes,
            id: None,
        })
        .collect();
    prepare_sources(analyzer, fields, options, limits, lines)
}

/// One article of a bulk load: its line, its JSON, and an id given outside it
/// (an Elasticsearch `_id`) that takes the place of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkSource {
    /// 1-based line number.
    pub line: usize,
    /// The article JSON.
    pub bytes: Vec<u8>,
    /// The id to give the article, if it comes from elsewhere.
    pub id: Option<String>,
}

/// Parses one article, giving it `id` when one is supplied from outside.
pub fn parse_article_with_id(
    json: &[u8],
    id: Option<&str>,
    limits: ArticleLimits,
) -> Result<Article, IngestError> {
    let mut value: serde_json::Value =
        serde_json::from_slice(json).map_err(|e| IngestError::MalformedJson(e.to_string()))?;
    if let (Some(id), serde_json::Value::Object(object)) = (id, &mut value) {
        object.insert("id".to_owned(), serde_json::Value::String(id.to_owned()));
    }
    article_from_value(value, limits)
}

/// [`prepare_lines`] for sources that may carry an outside id.
pub fn prepare_sources(
    analyzer: &Analyzer,
    fields: &Fields,
    options: DocumentOptions,
    limits: ArticleLimits,
    sources: Vec<BulkSource>,
) -> (Vec<PreparedArticle>, Vec<LineError>) {
    read_sources(limits, sources, |article| {
        prepare_article_with(analyzer, fields, options, article)
    })
}

/// Parses, validates and analyses bulk sources in parallel. Returns the
/// analysed articles in line order and the rejected lines.
pub fn analyze_sources(
    analyzer: &Analyzer,
    limits: ArticleLimits,
    sources: Vec<BulkSource>,
) -> (Vec<AnalyzedArticle>, Vec<LineError>) {
    read_sources(limits, sources, |article| {
        analyze_article(analyzer, article)
    })
}

/// Parses and validates each source, in parallel, and makes `T` of each
/// article read; returns them in line order and the rejected lines.
fn read_sources<T: Send>(
    limits: ArticleLimits,
    sources: Vec<BulkSource>,
    make: impl Fn(Article) -> T + Sync + Send,
) -> (Vec<T>, Vec<LineError>) {
    use rayon::prelude::*;
    let results: Vec<Result<T, LineError>> = sources
        .into_par_iter()
        .map(|source| {
            parse_article_with_id(&source.bytes, source.id.as_deref(), limits)
                .map(&make)
                .map_err(|error| LineError {
                    line: source.line,
                    error,
                })
        })
        .collect();
    let mut prepared = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(article) => prepared.push(article),
            Err(error) => errors.push(error),
        }
    }
    (prepared, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ArticleLimits = ArticleLimits {
        max_article_bytes: 1000,
    };

    fn parse(json: &str) -> Result<Article, IngestError> {
        parse_article(json.as_bytes(), LIMITS)
    }

    fn code(result: Result<Article, IngestError>) -> &'static str {
        match result {
            Err(error) => error.code(),
            Ok(_) => "ok",
        }
    }

    #[test]
    fn accepts_a_full_article() {
        let article = parse(
            r#"{"id": "a-1", "title": "T", "body": "B", "url": "https://x.test/a",
                "source": "CNN", "published": "2024-04-26", "authors": ["K"],
                "language": "EN", "topics": ["Trade"], "dateline": "Beijing"}"#,
        )
        .unwrap();
        assert_eq!(article.id, "a-1");
        assert_eq!(article.language.as_deref(), Some("en"));
        assert_eq!(
            article.published.unwrap().to_string(),
            "2024-04-26 0:00:00.0 +00:00:00"
        );
        assert_eq!(article.extra["dateline"], "Beijing");
    }

    #[test]
    fn derives_stable_ids() {
        let a = parse(r#"{"title": "T", "body": "B"}"#).unwrap();
        let b = parse(r#"{"title": "T", "body": "B"}"#).unwrap();
        let c = parse(r#"{"title": "T", "body": "C"}"#).unwrap();
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
        let by_url = parse(r#"{"title": "T", "body": "C", "url": "https://x.test/1"}"#).unwrap();
        let same_url = parse(r#"{"title": "T2", "body": "D", "url": "https://x.test/1"}"#).unwrap();
        assert_eq!(by_url.id, same_url.id);
    }

    #[test]
    fn rejects_bad_articles_with_codes() {
        let cases = [
            (r#"{"title": "T""#, "malformed_json"),
            (r#"[1]"#, "invalid_article"),
            (r#"{"body": "B"}"#, "invalid_article"),
            (r#"{"title": 5, "body": "B"}"#, "invalid_article"),
            (r#"{"title": "", "body": "  "}"#, "empty_article"),
            (
                r#"{"title": "T", "body": "B", "published": "yesterday"}"#,
                "invalid_date",
            ),
            (
                r#"{"title": "T", "body": "B", "published": "2024-02-30"}"#,
                "invalid_date",
            ),
            (
                r#"{"title": "T", "body": "B", "language": "klingon"}"#,
                "invalid_language",
            ),
            (r#"{"title": "T", "body": "B", "id": "a/b"}"#, "invalid_id"),
            (r#"{"title": "T", "body": "B", "id": ""}"#, "invalid_id"),
            (r#"{"title": "T", "body": "B\u0000"}"#, "invalid_text"),
            (
                r#"{"title": "T", "body": "B", "topics": ["/"]}"#,
                "invalid_topic",
            ),
            (
                r#"{"title": "T", "body": "B", "quotes": [{"quote": "x", "start": 0, "end": 9, "kind": "direct"}]}"#,
                "invalid_quote",
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(code(parse(json)), expected, "{json}");
        }
        let big = format!(r#"{{"title": "T", "body": "{}"}}"#, "x".repeat(2000));
        assert_eq!(code(parse(&big)), "article_too_large");
    }

    #[test]
    fn type_errors_name_the_field() {
        match parse(r#"{"title": "T", "body": "B", "authors": "K"}"#) {
            Err(IngestError::InvalidArticle { message, .. }) => {
                assert!(message.starts_with("authors:"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_outside_id_replaces_the_articles_own() {
        let article = parse_article_with_id(
            br#"{"id": "own", "title": "T", "body": "B"}"#,
            Some("es-1"),
            LIMITS,
        )
        .unwrap();
        assert_eq!(article.id, "es-1");
        let kept =
            parse_article_with_id(br#"{"id": "own", "title": "T", "body": "B"}"#, None, LIMITS)
                .unwrap();
        assert_eq!(kept.id, "own");
        assert_eq!(
            code(parse_article_with_id(
                br#"{"title": "T", "body": "B"}"#,
                Some("a/b"),
                LIMITS
            )),
            "invalid_id"
        );
    }

    #[test]
    fn rfc3339_times_become_utc() {
        let time = parse_published("2024-04-26T10:00:00+08:00").unwrap();
        assert_eq!(time.hour(), 2);
        assert!(parse_published("2024-13-01").is_none());
    }
}
