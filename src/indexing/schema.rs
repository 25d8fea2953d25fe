//! The tantivy schema: the only place index field names live.
//!
//! One index holds two kinds of documents, told apart by [`KIND`]: **articles**
//! and **quotes** (one per quotation, carrying its article's metadata). Both
//! kinds carry [`ARTICLE_ID`], so replacing or deleting an article removes its
//! quotes in the same atomic commit.
//!
//! Keyword fields (speaker, topic, source, ...) serve two purposes with one
//! definition: their inverted index holds the case- and accent-folded value for
//! filters, and their fast column holds the value as written, from which facet
//! counts are read.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, STORED, STRING,
};

use crate::analysis::tokenizers::{KEYWORD, TEXT};

/// Version of the schema; an index written with another version is refused.
pub const SCHEMA_VERSION: u32 = 5;

/// Document kind: `article` or `quote`.
pub const KIND: &str = "kind";
/// Id of the article (on both kinds).
pub const ARTICLE_ID: &str = "article_id";
/// A stable 64-bit key per document, used to break ties in sorting and paging.
pub const DOC_KEY: &str = "doc_key";
/// Article headline (articles).
pub const TITLE: &str = "title";
/// Article body (articles).
pub const BODY: &str = "body";
/// Quotation text (quotes).
pub const QUOTE: &str = "quote";
/// Speaker names as searchable text (`speaker:wang` in a query).
pub const SPEAKER_TEXT: &str = "speaker_text";
/// Canonical speaker (keyword facet).
pub const SPEAKER: &str = "speaker";
/// Speaker role (keyword facet, quotes).
pub const ROLE: &str = "role";
/// Topic paths with all their ancestors (keyword facet).
pub const TOPIC: &str = "topic";
/// People named (keyword facet, canonical names).
pub const PERSON: &str = "person";
/// Places named (keyword facet, canonical names).
pub const PLACE: &str = "place";
/// Organisations named (keyword facet, canonical names).
pub const ORG: &str = "org";
/// What the article says about its entities, one value per entity with a
/// role or an affiliation: `kind`, `name`, `role`, `affiliation` joined by
/// [`ENTITY_DETAIL_SEPARATOR`] (articles; read by the entity catalog).
pub const ENTITY_DETAIL: &str = "entity_detail";
/// Separates the parts of an [`ENTITY_DETAIL`] or [`SPEAKER_DETAIL`] value.
pub const ENTITY_DETAIL_SEPARATOR: char = '\u{1f}';
/// Who a quote's speaker is, as analysis saw it in its article: speaker
/// kind, name, role and affiliation joined by [`ENTITY_DETAIL_SEPARATOR`]
/// (quotes with a speaker). Indexed whole and as written, so that each
/// segment's term dictionary lists every distinct speaker with the number of
/// its quotes: the corpus speaker registry is read from it.
pub const SPEAKER_DETAIL: &str = "speaker_detail";
/// Key phrases of the article, as searchable text (articles).
pub const KEYPHRASES: &str = "keyphrases";
/// Publisher (keyword facet).
pub const SOURCE: &str = "source";
/// Publication month `YYYY-MM` (keyword facet).
pub const MONTH: &str = "month";
/// Language code (keyword facet).
pub const LANGUAGE: &str = "language";
/// Quote kind: direct, partial, indirect, term (keyword facet, quotes).
pub const QUOTE_KIND: &str = "quote_kind";
/// Source kind of a quote: person, organization, government, anonymous,
/// unknown (keyword facet, quotes).
pub const SPEAKER_KIND: &str = "speaker_kind";
/// Publication time (range filters and sorting).
pub const PUBLISHED: &str = "published";
/// A quote's extraction confidence, `0..=1` (range filter, quotes).
pub const CONFIDENCE: &str = "confidence";
/// The stored JSON of the document as returned to clients.
pub const STORED_JSON: &str = "stored";
/// A quote's words as statements compare them: lowercased, accent-folded,
/// punctuation and quotation marks dropped, joined by single spaces
/// (`search::verify::similarity::Words::normalized`). A fast column only
/// (quotes with words, written when statement grouping is on): statements are
/// chained from it at read time (see [`crate::indexing::statements`]).
pub const STATEMENT_TEXT: &str = "statement_text";
/// When the quote's article was indexed, microseconds since the Unix epoch
/// (fast, quotes): orders undated or same-dated copies of a statement.
pub const INDEXED_AT: &str = "indexed_at";
/// The article's [`DOC_KEY`] on its quotes (fast): tells which quotes share
/// an article, for statements' article counts and co-quoted speakers.
pub const ARTICLE_KEY: &str = "article_key";

/// The value of [`KIND`] for articles.
pub const KIND_ARTICLE: &str = "article";
/// The value of [`KIND`] for quotes.
pub const KIND_QUOTE: &str = "quote";

/// Handles of every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// See [`KIND`].
    pub kind: Field,
    /// See [`ARTICLE_ID`].
    pub article_id: Field,
    /// See [`DOC_KEY`].
    pub doc_key: Field,
    /// See [`TITLE`].
    pub title: Field,
    /// See [`BODY`].
    pub body: Field,
    /// See [`QUOTE`].
    pub quote: Field,
    /// See [`SPEAKER_TEXT`].
    pub speaker_text: Field,
    /// See [`SPEAKER`].
    pub speaker: Field,
    /// See [`ROLE`].
    pub role: Field,
    /// See [`TOPIC`].
    pub topic: Field,
    /// See [`PERSON`].
    pub person: Field,
    /// See [`PLACE`].
    pub place: Field,
    /// See [`ORG`].
    pub org: Field,
    /// See [`ENTITY_DETAIL`].
    pub entity_detail: Field,
    /// See [`SPEAKER_DETAIL`].
    pub speaker_detail: Field,
    /// See [`KEYPHRASES`].
    pub keyphrases: Field,
    /// See [`SOURCE`].
    pub source: Field,
    /// See [`MONTH`].
    pub month: Field,
    /// See [`LANGUAGE`].
    pub language: Field,
    /// See [`QUOTE_KIND`].
    pub quote_kind: Field,
    /// See [`SPEAKER_KIND`].
    pub speaker_kind: Field,
    /// See [`PUBLISHED`].
    pub published: Field,
    /// See [`CONFIDENCE`].
    pub confidence: Field,
    /// See [`STORED_JSON`].
    pub stored: Field,
    /// See [`STATEMENT_TEXT`].
    pub statement_text: Field,
    /// See [`INDEXED_AT`].
    pub indexed_at: Field,
    /// See [`ARTICLE_KEY`].
    pub article_key: Field,
}

/// The keyword (facet) fields, by the name clients use.
pub const KEYWORD_FIELDS: &[&str] = &[
    SPEAKER, ROLE, TOPIC, PERSON, PLACE, ORG, SOURCE, MONTH, LANGUAGE, QUOTE_KIND,
];

/// Builds the schema and the handles of its fields.
pub fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let keyword = || {
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(KEYWORD)
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            )
            .set_fast("raw")
    };
    let fields = Fields {
        kind: builder.add_text_field(KIND, STRING),
        article_id: builder.add_text_field(ARTICLE_ID, STRING | STORED),
        doc_key: builder.add_u64_field(DOC_KEY, NumericOptions::default().set_fast()),
        title: builder.add_text_field(TITLE, text(TEXT)),
        body: builder.add_text_field(BODY, text(TEXT)),
        quote: builder.add_text_field(QUOTE, text(TEXT)),
        speaker_text: builder.add_text_field(SPEAKER_TEXT, text(TEXT)),
        speaker: builder.add_text_field(SPEAKER, keyword()),
        role: builder.add_text_field(ROLE, keyword()),
        topic: builder.add_text_field(TOPIC, keyword()),
        person: builder.add_text_field(PERSON, keyword()),
        place: builder.add_text_field(PLACE, keyword()),
        org: builder.add_text_field(ORG, keyword()),
        entity_detail: builder.add_text_field(ENTITY_DETAIL, keyword()),
        speaker_detail: builder.add_text_field(SPEAKER_DETAIL, STRING),
        keyphrases: builder.add_text_field(KEYPHRASES, text(TEXT)),
        source: builder.add_text_field(SOURCE, keyword()),
        month: builder.add_text_field(MONTH, keyword()),
        language: builder.add_text_field(LANGUAGE, keyword()),
        quote_kind: builder.add_text_field(QUOTE_KIND, keyword()),
        speaker_kind: builder.add_text_field(SPEAKER_KIND, keyword()),
        published: builder.add_date_field(
            PUBLISHED,
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        confidence: builder.add_f64_field(
            CONFIDENCE,
            NumericOptions::default().set_indexed().set_fast(),
        ),
        stored: builder.add_text_field(STORED_JSON, STORED),
        statement_text: builder
            .add_text_field(STATEMENT_TEXT, TextOptions::default().set_fast("raw")),
        indexed_at: builder.add_u64_field(INDEXED_AT, NumericOptions::default().set_fast()),
        article_key: builder.add_u64_field(ARTICLE_KEY, NumericOptions::default().set_fast()),
    };
    (builder.build(), fields)
}

impl Fields {
    /// The keyword field a client-facing facet or filter name refers to.
    pub fn keyword(&self, name: &str) -> Option<Field> {
        Some(match name {
            SPEAKER => self.speaker,
            ROLE => self.role,
            TOPIC => self.topic,
            PERSON => self.person,
            PLACE => self.place,
            ORG => self.org,
            SOURCE => self.source,
            MONTH => self.month,
            LANGUAGE => self.language,
            QUOTE_KIND => self.quote_kind,
            SPEAKER_KIND => self.speaker_kind,
            _ => return None,
        })
    }
}
