//! Turns an [`AnalyzedArticle`] into tantivy documents: one article document
//! and one document per quote, and reads them back.

use serde::{Deserialize, Serialize};
use tantivy::schema::Term;
use tantivy::{DateTime, TantivyDocument};
use xxhash_rust::xxh3::xxh3_64;

use super::schema::{Fields, ENTITY_DETAIL_SEPARATOR, KIND_ARTICLE, KIND_QUOTE};
use crate::analysis::language::quote_language;
use crate::analysis::tokenizers::multilingual::tag_with_language;
pub use crate::model::ArticleRef;
use crate::model::{AnalyzedArticle, Entity, EntityKind, Quote, QuoteSubjects};
use crate::search::verify::similarity::Words;

/// What a quote document stores: the quote and its article's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredQuote {
    /// The quote.
    #[serde(flatten)]
    pub quote: Quote,
    /// Its article.
    pub article: ArticleRef,
    /// Topics of the quote: of its own text and sentences, else its article's
    /// top-level topic.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Position of the quote within its article (0-based).
    pub position: usize,
    /// Language of the quote (its article's).
    #[serde(default)]
    pub language: String,
    /// When the article was indexed: microseconds since the Unix epoch,
    /// strictly increasing within a process ([`indexing_stamp`]). Breaks ties
    /// between undated or same-dated copies of a quote ("first indexed");
    /// absent in quotes indexed before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indexed_at: Option<u64>,
}

/// A time stamp for a document being built: microseconds since the Unix
/// epoch, and strictly greater than any stamp this process gave before, so
/// that articles prepared in the same microsecond keep an order.
pub fn indexing_stamp() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_micros() as u64);
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let next = now.max(last + 1);
        match LAST.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next,
            Err(seen) => last = seen,
        }
    }
}

/// Stable key of a document for tie-breaking: the article id's hash for the
/// article, mixed with the quote position for its quotes.
pub fn doc_key(article_id: &str, quote_position: Option<usize>) -> u64 {
    match quote_position {
        None => xxh3_64(article_id.as_bytes()),
        Some(position) => {
            let mut key = Vec::with_capacity(article_id.len() + 9);
            key.extend_from_slice(article_id.as_bytes());
            key.push(0);
            key.extend_from_slice(&(position as u64).to_le_bytes());
            xxh3_64(&key)
        }
    }
}

/// The term that selects every document (article and quotes) of an article.
pub fn article_id_term(fields: &Fields, article_id: &str) -> Term {
    Term::from_field_text(fields.article_id, article_id)
}

/// Every topic path with its ancestors (`/a/b` → `/a`, `/a/b`), deduplicated.
pub fn topic_paths_with_ancestors<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for path in paths {
        for (index, ch) in path.char_indices().skip(1) {
            if ch == '/' {
                all.push(path[..index].to_owned());
            }
        }
        all.push(path.to_owned());
    }
    all.sort_unstable();
    all.dedup();
    all
}

/// The [`super::schema::ENTITY_DETAIL`] value of an entity with a role or an
/// affiliation: kind, name, role and affiliation joined by the separator.
pub fn entity_detail(entity: &Entity) -> Option<String> {
    if entity.role.is_none() && entity.affiliation.is_none() {
        return None;
    }
    Some(detail_value(
        entity.kind.as_str(),
        &entity.name,
        entity.role.as_deref(),
        entity.affiliation.as_deref(),
    ))
}

/// The [`super::schema::SPEAKER_DETAIL`] value of a quote with a speaker:
/// speaker kind, name, role and affiliation joined by the separator.
pub fn speaker_detail(quote: &Quote) -> Option<String> {
    let speaker = quote.speaker.as_deref()?;
    Some(detail_value(
        quote.speaker_kind.as_str(),
        speaker,
        quote.role.as_deref(),
        quote.affiliation.as_deref(),
    ))
}

fn detail_value(kind: &str, name: &str, role: Option<&str>, affiliation: Option<&str>) -> String {
    let separator = ENTITY_DETAIL_SEPARATOR;
    format!(
        "{kind}{separator}{name}{separator}{}{separator}{}",
        role.unwrap_or(""),
        affiliation.unwrap_or(""),
    )
}

/// Splits an entity or speaker detail value into kind, name, role and
/// affiliation (empty parts are `None`).
pub fn parse_entity_detail(value: &str) -> Option<(&str, &str, Option<&str>, Option<&str>)> {
    let mut parts = value.split(ENTITY_DETAIL_SEPARATOR);
    let kind = parts.next()?;
    let name = parts.next()?;
    let role = parts.next().filter(|p| !p.is_empty());
    let affiliation = parts.next().filter(|p| !p.is_empty());
    Some((kind, name, role, affiliation))
}

fn entity_field(fields: &Fields, kind: EntityKind) -> tantivy::schema::Field {
    match kind {
        EntityKind::Person => fields.person,
        EntityKind::Place => fields.place,
        EntityKind::Organization => fields.org,
    }
}

/// What documents carry beyond what every search needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentOptions {
    /// Write each quote's [`super::schema::STATEMENT_TEXT`], from which
    /// statements are chained (`index.statements`; on by default). Without
    /// it every quote is a statement of its own.
    pub statements: bool,
}

impl Default for DocumentOptions {
    fn default() -> Self {
        DocumentOptions { statements: true }
    }
}

/// The words of `quote` as statements compare them (see
/// [`super::schema::STATEMENT_TEXT`]); `None` for a quote without words.
pub fn statement_text(quote: &str) -> Option<String> {
    let normalized = Words::normalize(quote);
    (!normalized.is_empty()).then_some(normalized)
}

/// The [`super::schema::MONTH`] value of a publication time: `2024-04`.
pub fn publication_month(published: time::OffsetDateTime) -> String {
    format!("{:04}-{:02}", published.year(), u8::from(published.month()))
}

/// One quote of an article with the values of its document that do not
/// depend on the backend: the embedded index and OpenSearch build their quote
/// documents from these.
pub struct PreparedQuote<'a> {
    /// Position of the quote within its article (0-based).
    pub position: usize,
    /// The quote.
    pub quote: &'a Quote,
    /// Its language: its article's, unless its own script says otherwise.
    pub language: String,
    /// The topics it is indexed under, with their ancestors.
    pub topic_paths: Vec<String>,
    /// The entities it names (`None` for an article analysed before
    /// quote-level subjects existed).
    pub subjects: Option<&'a QuoteSubjects>,
    /// Its [`doc_key`].
    pub doc_key: u64,
    /// When its article was indexed ([`indexing_stamp`]).
    pub indexed_at: u64,
    /// Its [`statement_text`], when statements are on and it has words.
    pub statement_text: Option<String>,
    /// Its confidence as the client reads it (`0.9`, not f32's
    /// 0.899999976), so that `min_confidence=0.9` keeps a quote whose
    /// confidence shows as 0.9.
    pub confidence: f64,
    /// Its [`StoredQuote`], as JSON.
    pub stored_json: String,
}

/// The quotes of `analyzed`, prepared for indexing with one time stamp.
pub fn prepared_quotes(
    analyzed: &AnalyzedArticle,
    options: DocumentOptions,
) -> impl Iterator<Item = PreparedQuote<'_>> {
    prepared_quotes_at(analyzed, options, indexing_stamp())
}

/// The quotes of `analyzed`, prepared for indexing as indexed at
/// `indexed_at` (a migration keeps the stamp an article was given).
pub fn prepared_quotes_at(
    analyzed: &AnalyzedArticle,
    options: DocumentOptions,
    indexed_at: u64,
) -> impl Iterator<Item = PreparedQuote<'_>> {
    let article = &analyzed.article;
    let analysis = &analyzed.analysis;
    let article_ref = ArticleRef::from(article);
    let article_topics: Vec<String> = analysis.topics.iter().map(|t| t.path.clone()).collect();
    analysis
        .quotes
        .iter()
        .enumerate()
        .map(move |(position, quote)| {
            let language = quote_language(&quote.quote, &analysis.language).into_owned();
            // Quotes carry their own topics (and the entities they name); an
            // article analysed before quote-level topics existed lends its own.
            let subjects = analysis.quote_subjects.get(position);
            let topics = subjects.map_or_else(
                || article_topics.clone(),
                |subjects| subjects.topics.clone(),
            );
            let topic_paths = topic_paths_with_ancestors(topics.iter().map(String::as_str));
            let stored = StoredQuote {
                quote: quote.clone(),
                article: article_ref.clone(),
                topics,
                position,
                language: language.clone(),
                indexed_at: Some(indexed_at),
            };
            PreparedQuote {
                position,
                quote,
                language,
                topic_paths,
                subjects,
                doc_key: doc_key(&article.id, Some(position)),
                indexed_at,
                statement_text: options
                    .statements
                    .then(|| statement_text(&quote.quote))
                    .flatten(),
                confidence: (f64::from(quote.confidence) * 1000.0).round() / 1000.0,
                stored_json: json_sized(&stored, 2 * quote.quote.len() + 1024),
            }
        })
}

/// `value` as JSON, written into a buffer of `expected_bytes` reserved up
/// front: serde_json's `to_string` starts at 128 bytes and doubles, copying
/// a long body several times. What is left unused is handed back.
fn json_sized<T: Serialize>(value: &T, expected_bytes: usize) -> String {
    let mut json = Vec::with_capacity(expected_bytes);
    serde_json::to_writer(&mut json, value).expect("stored documents serialise");
    json.shrink_to_fit();
    String::from_utf8(json).expect("serde_json writes UTF-8")
}

/// Builds the article document and one document per quote, with the default
/// [`DocumentOptions`].
pub fn article_documents(analyzed: &AnalyzedArticle, fields: &Fields) -> Vec<TantivyDocument> {
    article_documents_with(analyzed, fields, DocumentOptions::default())
}

/// Builds the article document and one document per quote.
pub fn article_documents_with(
    analyzed: &AnalyzedArticle,
    fields: &Fields,
    options: DocumentOptions,
) -> Vec<TantivyDocument> {
    article_documents_at(analyzed, fields, options, indexing_stamp())
}

/// Builds the article document and one document per quote, as indexed at
/// `indexed_at` ([`indexing_stamp`]; a migration keeps the one the article
/// was given, so that statements keep their order).
pub fn article_documents_at(
    analyzed: &AnalyzedArticle,
    fields: &Fields,
    options: DocumentOptions,
    indexed_at: u64,
) -> Vec<TantivyDocument> {
    let article = &analyzed.article;
    let analysis = &analyzed.analysis;
    let topics =
        topic_paths_with_ancestors(analysis.topics.iter().map(|topic| topic.path.as_str()));
    let month = article.published.map(publication_month);
    let published = article.published.map(DateTime::from_utc);

    let mut documents = Vec::with_capacity(1 + analysis.quotes.len());
    let common = |document: &mut TantivyDocument, language: &str| {
        document.add_text(fields.article_id, &article.id);
        if let Some(source) = &article.source {
            document.add_text(fields.source, source);
        }
        if let Some(month) = &month {
            document.add_text(fields.month, month);
        }
        document.add_text(fields.language, language);
        if let Some(published) = published {
            document.add_date(fields.published, published);
        }
    };

    let mut article_document = TantivyDocument::default();
    common(&mut article_document, &analysis.language);
    for topic in &topics {
        article_document.add_text(fields.topic, topic);
    }
    article_document.add_text(fields.kind, KIND_ARTICLE);
    article_document.add_u64(fields.doc_key, doc_key(&article.id, None));
    let article_language = analysis.language.as_str();
    article_document.add_text(
        fields.title,
        tag_with_language(article_language, &article.title),
    );
    article_document.add_text(
        fields.body,
        tag_with_language(article_language, &article.body),
    );
    for speaker in &analysis.speakers {
        article_document.add_text(fields.speaker, &speaker.name);
        article_document.add_text(
            fields.speaker_text,
            tag_with_language(article_language, &speaker.name),
        );
    }
    for entity in &analysis.entities {
        article_document.add_text(entity_field(fields, entity.kind), &entity.name);
        if let Some(detail) = entity_detail(entity) {
            article_document.add_text(fields.entity_detail, detail);
        }
    }
    // One value per phrase, so that a phrase query never spans two of them.
    for keyphrase in &analysis.keyphrases {
        article_document.add_text(
            fields.keyphrases,
            tag_with_language(article_language, &keyphrase.phrase),
        );
    }
    let quote_bytes: usize = analysis.quotes.iter().map(|q| q.quote.len()).sum();
    let json_bytes = article.title.len() + article.body.len() + 2 * quote_bytes + 4096;
    article_document.add_text(fields.stored, json_sized(analyzed, json_bytes));
    documents.push(article_document);

    let article_key = doc_key(&article.id, None);
    for prepared in prepared_quotes_at(analyzed, options, indexed_at) {
        let quote = prepared.quote;
        let language = prepared.language.as_str();
        let mut document = TantivyDocument::default();
        common(&mut document, language);
        for topic in &prepared.topic_paths {
            document.add_text(fields.topic, topic);
        }
        if let Some(subjects) = prepared.subjects {
            for person in &subjects.people {
                document.add_text(fields.person, person);
            }
            for place in &subjects.places {
                document.add_text(fields.place, place);
            }
            for organization in &subjects.organizations {
                document.add_text(fields.org, organization);
            }
        }
        document.add_text(fields.kind, KIND_QUOTE);
        document.add_u64(fields.doc_key, prepared.doc_key);
        document.add_text(fields.quote, tag_with_language(language, &quote.quote));
        document.add_u64(fields.indexed_at, prepared.indexed_at);
        document.add_u64(fields.article_key, article_key);
        if let Some(text) = prepared.statement_text {
            document.add_text(fields.statement_text, text);
        }
        document.add_text(fields.quote_kind, quote.kind.as_str());
        document.add_text(fields.speaker_kind, quote.speaker_kind.as_str());
        document.add_f64(fields.confidence, prepared.confidence);
        if let Some(speaker) = &quote.speaker {
            document.add_text(fields.speaker, speaker);
            document.add_text(fields.speaker_text, tag_with_language(language, speaker));
        }
        if let Some(role) = &quote.role {
            document.add_text(fields.role, role);
        }
        if let Some(detail) = speaker_detail(quote) {
            document.add_text(fields.speaker_detail, detail);
        }
        document.add_text(fields.stored, prepared.stored_json);
        documents.push(document);
    }
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_ancestors() {
        assert_eq!(
            topic_paths_with_ancestors(["/world/asia-pacific/taiwan", "/world", "/economy"]),
            [
                "/economy",
                "/world",
                "/world/asia-pacific",
                "/world/asia-pacific/taiwan"
            ]
        );
    }

    /// Entity and speaker details share one format: each reads back as
    /// written, and there is none when it would say nothing.
    #[test]
    fn details_round_trip() {
        let entity = Entity {
            name: "Wang Yi".into(),
            kind: EntityKind::Person,
            role: Some("Chinese Foreign Minister".into()),
            affiliation: None,
            category: None,
            aliases: Vec::new(),
            mentions: 2,
        };
        let quote: Quote = serde_json::from_value(serde_json::json!({
            "quote": "We are ready", "start": 1, "end": 13, "kind": "direct",
            "speaker": "Gerhard Stoltenberg", "role": "Finance Minister",
            "speaker_kind": "person", "affiliation": "Bonn",
        }))
        .unwrap();
        let cases = [
            (
                entity_detail(&entity),
                ("person", "Wang Yi", Some("Chinese Foreign Minister"), None),
            ),
            (
                speaker_detail(&quote),
                (
                    "person",
                    "Gerhard Stoltenberg",
                    Some("Finance Minister"),
                    Some("Bonn"),
                ),
            ),
        ];
        for (detail, expected) in cases {
            assert_eq!(parse_entity_detail(&detail.unwrap()), Some(expected));
        }
        let plain = Entity {
            role: None,
            ..entity
        };
        assert_eq!(entity_detail(&plain), None);
        let anonymous = Quote {
            speaker: None,
            ..quote
        };
        assert_eq!(speaker_detail(&anonymous), None);
    }

    #[test]
    fn indexing_stamps_increase() {
        let first = indexing_stamp();
        let second = indexing_stamp();
        assert!(second > first);
    }

    #[test]
    fn doc_keys_differ_per_quote() {
        assert_ne!(doc_key("a", None), doc_key("a", Some(0)));
        assert_ne!(doc_key("a", Some(0)), doc_key("a", Some(1)));
        assert_eq!(doc_key("a", Some(1)), doc_key("a", Some(1)));
    }
}
