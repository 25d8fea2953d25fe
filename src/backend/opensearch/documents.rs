//! Analysed articles as OpenSearch documents: one article document and one
//! document per quote, the same fields the embedded index writes
//! ([`crate::indexing::document`]), with Verbatim's own analysis sent along.
//!
//! Full-text fields are not analysed by the engine. Each is sent as the
//! terms Verbatim's analyzer for the text's language produced (the same
//! [`LanguageAnalyzers`] chain the embedded index runs: Snowball, lindera,
//! jieba, folding, stop words), joined by spaces, with a gap marker
//! ([`GAP`]) for every position the analyzer skipped (a stop word, an
//! over-long token). The index's `verbatim_terms` analyzer splits on
//! whitespace and removes the markers while keeping their position
//! increments, so every term lands at the position tantivy gives it and
//! phrases match as they do in the embedded index. Keyword fields are sent
//! as written (for facets) and folded as the embedded `verbatim_keyword`
//! analyzer folds them (for filters), under [`FOLDED`].

use serde_json::{Map, Value};
use tantivy::tokenizer::TokenStream;
use time::format_description::well_known::Rfc3339;

use super::mapping::{DOC_TYPE, FOLDED, QUOTE_COUNT, QUOTE_POSITION, TERMS};
use crate::analysis::tokenizers::{normalize_keyword, LanguageAnalyzers};
use crate::indexing::document::{
    doc_key, entity_detail, prepared_quotes, publication_month, speaker_detail,
    topic_paths_with_ancestors, DocumentOptions,
};
use crate::indexing::schema::{
    ARTICLE_ID, ARTICLE_KEY, BODY, CONFIDENCE, DOC_KEY, ENTITY_DETAIL, INDEXED_AT, KEYPHRASES,
    KIND_ARTICLE, KIND_QUOTE, LANGUAGE, MONTH, ORG, PERSON, PLACE, PUBLISHED, QUOTE, QUOTE_KIND,
    ROLE, SOURCE, SPEAKER, SPEAKER_DETAIL, SPEAKER_KIND, SPEAKER_TEXT, STATEMENT_TEXT, STORED_JSON,
    TITLE, TOPIC,
};
use crate::model::AnalyzedArticle;
use crate::search::entity_catalog::field_of;

/// Stands for a position the analyzer skipped; the index's analyzer drops
/// it and keeps the position. No analyzer of Verbatim's produces it (it is
/// a control character, and terms are words).
pub const GAP: &str = "\u{1}";

/// The documents of one article: its own and its quotes', in quote order.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleDocuments {
    /// The article document.
    pub article: Value,
    /// One document per quote, by position.
    pub quotes: Vec<Value>,
}

/// A term as it travels in a terms field: whitespace inside a term (which
/// the index's whitespace tokenizer would split on) becomes U+00A0, which
/// it does not split on. Queries must send their terms through it too.
pub fn wire_term(term: &str) -> std::borrow::Cow<'_, str> {
    if term.chars().any(char::is_whitespace) {
        term.chars()
            .map(|c| if c.is_whitespace() { '\u{a0}' } else { c })
            .collect::<String>()
            .into()
    } else {
        term.into()
    }
}

/// The terms of `text` as Verbatim analyses text in `language`, in the
/// form a terms field is sent in: terms in position order separated by
/// spaces, with one [`GAP`] per skipped position before a term (none
/// after the last: trailing gaps change nothing a query can see).
///
/// Analyzers give every token a position of its own; a token that shares
/// the position of the one before (none does today) is sent at the next
/// position.
pub fn analysed_terms(analyzers: &LanguageAnalyzers, language: &str, text: &str) -> String {
    let mut analyzer = analyzers.analyzer(language);
    let mut stream = analyzer.token_stream(text);
    let mut out = String::with_capacity(text.len());
    let mut next_position = 0usize;
    while stream.advance() {
        let token = stream.token();
        for _ in next_position..token.position {
            push_word(&mut out, GAP);
        }
        push_word(&mut out, &wire_term(&token.text));
        next_position = token.position.max(next_position) + 1;
    }
    out
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// Builds one document: plain fields, keyword fields (as written and
/// folded) and terms fields.
#[derive(Default)]
struct DocumentBuilder {
    fields: Map<String, Value>,
    folded: Map<String, Value>,
    terms: Map<String, Value>,
}

impl DocumentBuilder {
    fn set(&mut self, name: &str, value: impl Into<Value>) {
        self.fields.insert(name.to_owned(), value.into());
    }

    /// Adds a value to a keyword field (an array of values).
    fn keyword(&mut self, name: &str, value: &str) {
        push(&mut self.fields, name, Value::from(value));
        push(
            &mut self.folded,
            name,
            Value::from(normalize_keyword(value)),
        );
    }

    /// Adds a value to a terms field (an array, one element per value, so a
    /// phrase never spans two values).
    fn terms(&mut self, name: &str, terms: String) {
        push(&mut self.terms, name, Value::from(terms));
    }

    fn build(mut self) -> Value {
        if !self.folded.is_empty() {
            self.fields
                .insert(FOLDED.to_owned(), Value::Object(self.folded));
        }
        if !self.terms.is_empty() {
            self.fields
                .insert(TERMS.to_owned(), Value::Object(self.terms));
        }
        Value::Object(self.fields)
    }
}

fn push(map: &mut Map<String, Value>, name: &str, value: Value) {
    match map
        .entry(name.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(values) => values.push(value),
        _ => unreachable!("values are arrays"),
    }
}

/// The documents of `analyzed`, with `options` as the embedded index
/// applies them.
pub fn article_documents(
    analyzed: &AnalyzedArticle,
    analyzers: &LanguageAnalyzers,
    options: DocumentOptions,
) -> ArticleDocuments {
    let article = &analyzed.article;
    let analysis = &analyzed.analysis;
    let topics =
        topic_paths_with_ancestors(analysis.topics.iter().map(|topic| topic.path.as_str()));
    let month = article.published.map(publication_month);
    // Seconds, as the embedded index keeps them.
    let published = article.published.map(|published| {
        published
            .replace_nanosecond(0)
            .expect("0 is a valid nanosecond")
            .format(&Rfc3339)
            .expect("publication times format as RFC 3339")
    });
    let common = |document: &mut DocumentBuilder, kind: &str, language: &str| {
        document.set(DOC_TYPE, kind);
        document.set(ARTICLE_ID, article.id.as_str());
        if let Some(source) = &article.source {
            document.keyword(SOURCE, source);
        }
        if let Some(month) = &month {
            document.keyword(MONTH, month);
        }
        document.keyword(LANGUAGE, language);
        if let Some(published) = &published {
            document.set(PUBLISHED, published.as_str());
        }
    };

    let article_language = analysis.language.as_str();
    let mut document = DocumentBuilder::default();
    common(&mut document, KIND_ARTICLE, article_language);
    for topic in &topics {
        document.keyword(TOPIC, topic);
    }
    let article_key = doc_key(&article.id, None);
    document.set(DOC_KEY, article_key);
    document.set(QUOTE_COUNT, analysis.quotes.len());
    document.terms(
        TITLE,
        analysed_terms(analyzers, article_language, &article.title),
    );
    document.terms(
        BODY,
        analysed_terms(analyzers, article_language, &article.body),
    );
    for speaker in &analysis.speakers {
        document.keyword(SPEAKER, &speaker.name);
        document.terms(
            SPEAKER_TEXT,
            analysed_terms(analyzers, article_language, &speaker.name),
        );
    }
    for entity in &analysis.entities {
        document.keyword(field_of(entity.kind), &entity.name);
        if let Some(detail) = entity_detail(entity) {
            document.keyword(ENTITY_DETAIL, &detail);
        }
    }
    for keyphrase in &analysis.keyphrases {
        document.terms(
            KEYPHRASES,
            analysed_terms(analyzers, article_language, &keyphrase.phrase),
        );
    }
    document.set(
        STORED_JSON,
        serde_json::to_string(analyzed).expect("articles serialise"),
    );
    let article_document = document.build();

    let mut quotes = Vec::with_capacity(analysis.quotes.len());
    for prepared in prepared_quotes(analyzed, options) {
        let quote = prepared.quote;
        let language = prepared.language.as_str();
        let mut document = DocumentBuilder::default();
        common(&mut document, KIND_QUOTE, language);
        for topic in &prepared.topic_paths {
            document.keyword(TOPIC, topic);
        }
        if let Some(subjects) = prepared.subjects {
            for person in &subjects.people {
                document.keyword(PERSON, person);
            }
            for place in &subjects.places {
                document.keyword(PLACE, place);
            }
            for organization in &subjects.organizations {
                document.keyword(ORG, organization);
            }
        }
        document.set(DOC_KEY, prepared.doc_key);
        document.set(QUOTE_POSITION, prepared.position);
        document.terms(QUOTE, analysed_terms(analyzers, language, &quote.quote));
        document.set(INDEXED_AT, prepared.indexed_at);
        document.set(ARTICLE_KEY, article_key);
        if let Some(text) = prepared.statement_text {
            document.set(STATEMENT_TEXT, text);
        }
        document.keyword(QUOTE_KIND, quote.kind.as_str());
        document.keyword(SPEAKER_KIND, quote.speaker_kind.as_str());
        document.set(CONFIDENCE, prepared.confidence);
        if let Some(speaker) = &quote.speaker {
            document.keyword(SPEAKER, speaker);
            document.terms(SPEAKER_TEXT, analysed_terms(analyzers, language, speaker));
        }
        if let Some(role) = &quote.role {
            document.keyword(ROLE, role);
        }
        if let Some(detail) = speaker_detail(quote) {
            document.set(SPEAKER_DETAIL, detail);
        }
        document.set(STORED_JSON, prepared.stored_json);
        quotes.push(document.build());
    }
    ArticleDocuments {
        article: article_document,
        quotes,
    }
}

/// A document's stored JSON, from its `_source`.
pub fn stored_json(source: &Value) -> Option<&str> {
    source.get(STORED_JSON).and_then(Value::as_str)
}

/// The quote count an article document's `_source` records.
pub fn quote_count(source: &Value) -> Option<usize> {
    source
        .get(QUOTE_COUNT)
        .and_then(Value::as_u64)
        .map(|count| count as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(language: &str, text: &str) -> String {
        analysed_terms(&LanguageAnalyzers::without_dictionaries(), language, text)
    }

    /// Stop words leave a gap marker, so positions are kept; the
    /// terms are the embedded analyzer's.
    #[test]
    fn terms_keep_positions_with_gap_markers() {
        assert_eq!(
            terms("en", "The negotiations and the TARIFFS"),
            format!("{GAP} negoti {GAP} {GAP} tariff")
        );
        assert_eq!(terms("en", "tariffs of the"), "tariff");
        assert_eq!(terms("en", ""), "");
        assert_eq!(terms("de", "Die Verhandlungen"), format!("{GAP} verhandl"));
    }

    #[test]
    fn whitespace_inside_a_term_does_not_split_it() {
        assert_eq!(wire_term("new york"), "new\u{a0}york");
        assert_eq!(wire_term("plain"), "plain");
    }
}
