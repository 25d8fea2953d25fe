//! The OpenSearch index: its settings, its mapping and the version stamped
//! in the mapping's `_meta`, and the field names that exist only there.
//!
//! One index holds both kinds of document, told apart by [`DOC_TYPE`]
//! (no join field: an article and its quotes are tied by `article_id` and
//! by routing, which puts them on one shard). The mapping is strict:
//! a document with a field it does not list is refused.
//!
//! - Keyword fields (speaker, topic, source, ...) hold the values as
//!   written, with doc values, for facet counts; their folded copies under
//!   [`FOLDED`] are what filters match.
//! - Full-text fields live under [`TERMS`], analysed by Verbatim before they
//!   are sent (see [`super::documents`]); the index's `verbatim_terms`
//!   analyzer only splits them on whitespace and drops gap markers. They are
//!   left out of `_source`: the stored JSON ([`STORED_JSON`]) is the
//!   original, and the terms are derived from it again when needed.

use serde_json::{json, Map, Value};

use super::documents::GAP;
use crate::indexing::schema::{
    ARTICLE_ID, ARTICLE_KEY, BODY, CONFIDENCE, DOC_KEY, ENTITY_DETAIL, INDEXED_AT, KEYPHRASES,
    KEYWORD_FIELDS, PUBLISHED, QUOTE, SCHEMA_VERSION, SPEAKER_DETAIL, SPEAKER_KIND, SPEAKER_TEXT,
    STATEMENT_TEXT, STORED_JSON, TITLE,
};

/// Version of the OpenSearch mapping below. An index whose `_meta` records
/// another version (of this mapping, or of [`SCHEMA_VERSION`], the stored
/// documents' schema) is refused.
pub const MAPPING_VERSION: u32 = 1;

/// Document kind: `article` or `quote` (the embedded index's `kind`).
pub const DOC_TYPE: &str = "doc_type";
/// The object holding folded copies of the keyword fields.
pub const FOLDED: &str = "folded";
/// The object holding the pre-analysed full-text fields.
pub const TERMS: &str = "terms";
/// How many quotes an article document's article has (their ids are
/// derived from their positions, so an upsert knows which to delete).
pub const QUOTE_COUNT: &str = "quote_count";
/// A quote's position in its article.
pub const QUOTE_POSITION: &str = "position";
/// The analyzer of the terms fields.
pub const TERMS_ANALYZER: &str = "verbatim_terms";
/// The `_meta` key of the mapping version.
pub const META_MAPPING_VERSION: &str = "verbatim_mapping_version";
/// The `_meta` key of the stored documents' schema version.
pub const META_SCHEMA_VERSION: &str = "verbatim_schema_version";

/// The full-text fields, all under [`TERMS`].
pub const TEXT_FIELDS: &[&str] = &[TITLE, BODY, QUOTE, SPEAKER_TEXT, KEYPHRASES];

/// The keyword fields with a folded copy: the client-facing facets and
/// filters plus the entity details.
pub fn folded_fields() -> impl Iterator<Item = &'static str> {
    KEYWORD_FIELDS
        .iter()
        .copied()
        .chain([SPEAKER_KIND, ENTITY_DETAIL])
}

/// The body of the create-index request: settings and mapping.
pub fn index_body(shards: u32, replicas: u32) -> Value {
    json!({
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                // Every request's translog is fsynced before it is
                // acknowledged (OpenSearch's default, stated).
                "translog": { "durability": "request" },
            },
            "analysis": {
                "filter": {
                    "verbatim_gap": {
                        "type": "stop",
                        "stopwords": [GAP],
                        "ignore_case": false,
                        "remove_trailing": true,
                    }
                },
                "tokenizer": {
                    "verbatim_whitespace": {
                        "type": "whitespace",
                        "max_token_length": 4096,
                    }
                },
                "analyzer": {
                    TERMS_ANALYZER: {
                        "type": "custom",
                        "tokenizer": "verbatim_whitespace",
                        "filter": ["verbatim_gap"],
                    }
                }
            }
        },
        "mappings": mappings(),
    })
}

/// The mapping: strict, versioned in `_meta`.
pub fn mappings() -> Value {
    let keyword = || json!({ "type": "keyword" });
    let mut properties = Map::new();
    properties.insert(DOC_TYPE.into(), keyword());
    properties.insert(ARTICLE_ID.into(), keyword());
    properties.insert(DOC_KEY.into(), json!({ "type": "unsigned_long" }));
    properties.insert(ARTICLE_KEY.into(), json!({ "type": "unsigned_long" }));
    properties.insert(
        QUOTE_COUNT.into(),
        json!({ "type": "integer", "index": false }),
    );
    properties.insert(QUOTE_POSITION.into(), json!({ "type": "integer" }));
    for field in folded_fields() {
        properties.insert(field.into(), keyword());
    }
    properties.insert(SPEAKER_DETAIL.into(), keyword());
    properties.insert(
        PUBLISHED.into(),
        json!({ "type": "date", "format": "strict_date_optional_time||epoch_second" }),
    );
    properties.insert(CONFIDENCE.into(), json!({ "type": "double" }));
    properties.insert(INDEXED_AT.into(), json!({ "type": "long" }));
    // Read from doc values only; a text past Lucene's term limit is left
    // out (its quote is then a statement of its own).
    properties.insert(
        STATEMENT_TEXT.into(),
        json!({ "type": "keyword", "index": false, "ignore_above": 8000 }),
    );
    properties.insert(
        STORED_JSON.into(),
        json!({ "type": "text", "index": false }),
    );
    let mut folded = Map::new();
    for field in folded_fields() {
        folded.insert(
            field.into(),
            json!({ "type": "keyword", "doc_values": false }),
        );
    }
    properties.insert(FOLDED.into(), json!({ "properties": folded }));
    let mut terms = Map::new();
    for field in TEXT_FIELDS {
        terms.insert(
            (*field).into(),
            json!({
                "type": "text",
                "analyzer": TERMS_ANALYZER,
                // tantivy leaves one empty position between the values of a
                // field; so does a gap of 1.
                "position_increment_gap": 1,
            }),
        );
    }
    properties.insert(TERMS.into(), json!({ "properties": terms }));
    json!({
        "dynamic": "strict",
        "_meta": {
            META_MAPPING_VERSION: MAPPING_VERSION,
            META_SCHEMA_VERSION: SCHEMA_VERSION,
        },
        "_source": { "excludes": [format!("{TERMS}.*")] },
        "properties": properties,
    })
}

/// Why an existing index cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingMismatch {
    /// The index's `_meta` records other versions (or none: not Verbatim's).
    #[error(
        "index {index} has mapping version {found_mapping} and schema version {found_schema}; \
         this Verbatim writes mapping version {MAPPING_VERSION} and schema version \
         {SCHEMA_VERSION}: migrate it into a new index"
    )]
    Version {
        /// The index.
        index: String,
        /// The mapping version found (`none` when absent).
        found_mapping: String,
        /// The schema version found (`none` when absent).
        found_schema: String,
    },
}

/// Checks the mapping of `index` as `GET /<index>/_mapping` answers it:
/// its `_meta` must record this build's versions.
pub fn check_mapping(index: &str, answer: &Value) -> Result<(), MappingMismatch> {
    // The answer is keyed by the concrete index name (an alias resolves to it).
    let meta = answer
        .as_object()
        .and_then(|indices| indices.values().next())
        .and_then(|entry| entry.pointer("/mappings/_meta"));
    let version = |key: &str| meta.and_then(|meta| meta.get(key)).and_then(Value::as_u64);
    let mapping = version(META_MAPPING_VERSION);
    let schema = version(META_SCHEMA_VERSION);
    if mapping == Some(u64::from(MAPPING_VERSION)) && schema == Some(u64::from(SCHEMA_VERSION)) {
        return Ok(());
    }
    let show = |found: Option<u64>| found.map_or("none".to_owned(), |v| v.to_string());
    Err(MappingMismatch::Version {
        index: index.to_owned(),
        found_mapping: show(mapping),
        found_schema: show(schema),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_checks_against_itself_and_refuses_other_versions() {
        let answer = json!({ "verbatim": { "mappings": mappings() } });
        assert_eq!(check_mapping("verbatim", &answer), Ok(()));
        let mut older = mappings();
        older["_meta"][META_MAPPING_VERSION] = json!(MAPPING_VERSION + 1);
        let answer = json!({ "verbatim": { "mappings": older } });
        let error = check_mapping("verbatim", &answer).unwrap_err();
        assert!(error.to_string().contains("mapping version 2"), "{error}");
        let foreign = json!({ "verbatim": { "mappings": { "properties": {} } } });
        assert!(check_mapping("verbatim", &foreign)
            .unwrap_err()
            .to_string()
            .contains("mapping version none"));
    }

    #[test]
    fn every_folded_field_is_a_keyword_field_too() {
        let mapping = mappings();
        for field in folded_fields() {
            assert_eq!(mapping["properties"][field]["type"], "keyword", "{field}");
            assert_eq!(
                mapping["properties"][FOLDED]["properties"][field]["type"],
                "keyword"
            );
        }
    }
}
