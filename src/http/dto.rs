//! Wire types: how responses are shaped (requests are read by the structs of
//! `params`). Engine types never appear on the wire directly.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::model::{
    AnalyzedArticle, ArticleRef, Entity, EntityKind, Keyphrase, Quote, QuoteKind, QuoteSubjects,
    Span, Speaker, SpeakerKind, TopicAssignment,
};
use crate::search::entity_catalog::EntityValue;
use crate::search::hit::{HitDocument, QuoteHitSource};
use crate::search::speaker_catalog::SpeakerValue;
use crate::search::statements::StatementSummary;
use crate::search::timeline::{Timeline, TopicCounts};
use crate::search::verify::similarity::Exactness;
use crate::search::verify::{Verdict, Verification};
use crate::search::{Catalog, FacetValues, SearchHit, SearchResults};

/// `{"value", "count"}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = FacetValue)]
pub struct FacetValueDto {
    /// The value as written.
    pub value: String,
    /// Matching documents with it.
    pub count: u64,
}

/// Response of `/v1/search` and `/v1/quotes`; `H` is the hit type
/// ([`ArticleHit`] or [`QuoteHit`], written through [`HitJson`]).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchResponse<H> {
    /// Number of matching documents (statements with `group=statement`).
    pub total: u64,
    /// The page.
    pub hits: Vec<H>,
    /// Facet values with counts, most frequent first, per requested facet.
    #[schema(value_type = std::collections::HashMap<String, Vec<FacetValueDto>>)]
    pub facets: serde_json::Map<String, Value>,
    /// Distinct values per facet, so clients know when `facet_limit` cut the list.
    #[schema(value_type = std::collections::HashMap<String, u64>)]
    pub facets_distinct: serde_json::Map<String, Value>,
    /// Cursor for the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Time spent in the search, in milliseconds.
    pub took_ms: f64,
}

/// An article hit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleHit<'a> {
    /// Article id.
    id: &'a str,
    /// Headline.
    title: &'a str,
    /// Address of the original.
    url: Option<&'a str>,
    /// Publisher.
    source: Option<&'a str>,
    /// Publication time (RFC 3339, UTC).
    #[serde(with = "time::serde::rfc3339::option")]
    published: Option<OffsetDateTime>,
    /// ISO 639-1 language code.
    language: &'a str,
    /// Relevance score (0 when sorted by date without a query).
    #[serde(serialize_with = "widened")]
    score: f32,
    /// Highlighted fragment of the body: HTML-escaped text with `<mark>` around matches.
    snippet: &'a str,
    /// Canonical names of the article's speakers.
    speakers: Vec<&'a str>,
    /// Topic paths.
    topics: Vec<&'a str>,
}

/// A quote hit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuoteHit<'a> {
    /// The quote, its speaker and where it stands.
    #[serde(flatten)]
    quote: QuoteShown<'a>,
    /// Relevance score.
    #[serde(serialize_with = "widened")]
    score: f32,
    /// Highlighted fragment of the quote: HTML-escaped text with `<mark>` around matches.
    snippet: &'a str,
    /// How the quote was found.
    #[serde(flatten)]
    evidence: QuoteEvidence<'a>,
    /// How sure the extractor is of the quote and its speaker (`0..=1`, a
    /// measured precision; 1 for quotes the client supplied).
    #[serde(serialize_with = "widened")]
    confidence: f32,
    /// The statement the quote is a copy of (with `group=statement`,
    /// `count=statements` or `statement=`).
    #[serde(skip_serializing_if = "Option::is_none")]
    statement: Option<StatementDto<'a>>,
}

/// What a quote hit and an export row show first: the quote, its speaker and
/// where it stands.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuoteShown<'a> {
    /// `article id#position`.
    id: String,
    /// The quoted words.
    quote: &'a str,
    /// Canonical speaker name, when attributed.
    speaker: Option<&'a str>,
    /// The speaker's role, when the text gives it.
    role: Option<&'a str>,
    /// The body the speaker belongs to or speaks for, when the text gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<&'a str>,
    /// The kind of source: person, organization, government, anonymous, unknown.
    speaker_kind: SpeakerKind,
    /// How the text describes a source it does not name (`dealers`).
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker_description: Option<&'a str>,
    /// How the quote appears.
    kind: QuoteKind,
    /// The article it comes from.
    article: &'a ArticleRef,
    /// First code point of the quote in the article body.
    start: usize,
    /// One past its last code point.
    end: usize,
}

/// What a quote hit and an export row show after the hit's score: how the
/// quote was found and what it is about.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuoteEvidence<'a> {
    /// Where the speaker is named.
    speaker_mention: Option<&'a Span>,
    /// The speech cue.
    cue: Option<&'a Span>,
    /// Code-point ranges of the pieces of a split quote.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pieces: &'a [[usize; 2]],
    /// Topic paths of the quote.
    topics: &'a [String],
}

/// A statement: the copies of one thing a speaker said (reprints, updates,
/// excerpts, small edits), folded.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Statement)]
pub struct StatementDto<'a> {
    /// The statement's id: `statement=<id>` on `/v1/quotes` lists its copies.
    id: &'a str,
    /// Copies (quotes) in the index.
    copies: u32,
    /// Articles carrying a copy.
    articles: u32,
    /// Distinct sources carrying a copy.
    sources: &'a [String],
    /// Earliest publication time of a copy (RFC 3339), when any is dated.
    #[serde(with = "time::serde::rfc3339::option")]
    first_seen: Option<OffsetDateTime>,
    /// Latest publication time of a copy.
    #[serde(with = "time::serde::rfc3339::option")]
    last_seen: Option<OffsetDateTime>,
    /// Its wordings as written, earliest first (at most 8).
    variants: &'a [String],
}

impl<'a> From<&'a StatementSummary> for StatementDto<'a> {
    fn from(summary: &'a StatementSummary) -> Self {
        StatementDto {
            id: &summary.id,
            copies: summary.copies,
            articles: summary.articles,
            sources: &summary.sources,
            first_seen: summary.first_seen,
            last_seen: summary.last_seen,
            variants: &summary.variants,
        }
    }
}

/// Format of `GET /v1/quotes/export` (`ndjson`, the default, or `csv`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// One JSON object per line, shaped like a `/v1/quotes` hit without
    /// `score` and `snippet`.
    #[default]
    #[serde(alias = "jsonl")]
    Ndjson,
    /// RFC 4180 CSV with a header row ([`CSV_EXPORT_COLUMNS`]).
    Csv,
}

/// Columns of a CSV export, in order.
pub const CSV_EXPORT_COLUMNS: &[&str] = &[
    "id",
    "quote",
    "speaker",
    "role",
    "kind",
    "article_id",
    "article_title",
    "article_url",
    "source",
    "published",
    "start",
    "end",
    "topics",
    "confidence",
];

impl ExportFormat {
    /// The response `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Ndjson => "application/x-ndjson",
            ExportFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The file name suggested in `Content-Disposition`.
    pub fn file_name(self) -> &'static str {
        match self {
            ExportFormat::Ndjson => "quotes.ndjson",
            ExportFormat::Csv => "quotes.csv",
        }
    }

    /// What the export starts with before any row.
    pub fn preamble(self) -> String {
        match self {
            ExportFormat::Ndjson => String::new(),
            ExportFormat::Csv => format!("{}\r\n", CSV_EXPORT_COLUMNS.join(",")),
        }
    }
}

/// One exported quote: an NDJSON line of `/v1/quotes/export`, a quote hit
/// without `score`, `snippet` and `statement`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedQuote<'a> {
    /// The quote, its speaker and where it stands.
    #[serde(flatten)]
    quote: QuoteShown<'a>,
    /// How the quote was found.
    #[serde(flatten)]
    evidence: QuoteEvidence<'a>,
    /// Extraction confidence, `0..=1`.
    confidence: f32,
}

/// Appends one exported quote, read from its stored JSON, to `out`.
pub fn write_export_row(
    stored_json: &str,
    format: ExportFormat,
    out: &mut Vec<u8>,
) -> Result<(), serde_json::Error> {
    // The same borrowed reader as quote hits: no `flatten` buffering.
    let quote: QuoteHitSource = serde_json::from_str(stored_json)?;
    match format {
        ExportFormat::Ndjson => {
            serde_json::to_writer(
                &mut *out,
                &ExportedQuote {
                    quote: quote_shown(&quote),
                    evidence: quote_evidence(&quote),
                    confidence: quote.confidence,
                },
            )?;
            out.push(b'\n');
        }
        ExportFormat::Csv => {
            let article = &quote.article;
            let published = article
                .published
                .and_then(|time| {
                    time.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default();
            let id = quote_id(&quote);
            let confidence = quote.confidence.to_string();
            let fields: [&str; 14] = [
                &id,
                &quote.quote,
                quote.speaker.as_deref().unwrap_or(""),
                quote.role.as_deref().unwrap_or(""),
                quote.kind.as_str(),
                &article.id,
                &article.title,
                article.url.as_deref().unwrap_or(""),
                article.source.as_deref().unwrap_or(""),
                &published,
                &quote.start.to_string(),
                &quote.end.to_string(),
                &quote.topics.join("|"),
                &confidence,
            ];
            for (index, field) in fields.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_csv_field(field, out);
            }
            out.extend_from_slice(b"\r\n");
        }
    }
    Ok(())
}

/// Writes one CSV field, quoted when it holds a comma, a quote or a line
/// break. A field a spreadsheet would run as a formula (starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as OWASP
/// advises against CSV injection.
fn write_csv_field(field: &str, out: &mut Vec<u8>) {
    let formula =
        field.starts_with(['=', '+', '-', '@', '\t', '\r']) && field.parse::<f64>().is_err();
    let escaped;
    let field = if formula {
        escaped = format!("'{field}");
        escaped.as_str()
    } else {
        field
    };
    if field.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        for byte in field.bytes() {
            if byte == b'"' {
                out.push(b'"');
            }
            out.push(byte);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// `article id#position`.
fn quote_id(quote: &QuoteHitSource<'_>) -> String {
    format!("{}#{}", quote.article.id, quote.position)
}

/// The quote, its speaker and where it stands, as hits and export rows show
/// them.
fn quote_shown<'q>(quote: &'q QuoteHitSource<'_>) -> QuoteShown<'q> {
    QuoteShown {
        id: quote_id(quote),
        quote: &quote.quote,
        speaker: quote.speaker.as_deref(),
        role: quote.role.as_deref(),
        affiliation: quote.affiliation.as_deref(),
        speaker_kind: quote.speaker_kind,
        speaker_description: quote.speaker_description.as_deref(),
        kind: quote.kind,
        article: &quote.article,
        start: quote.start,
        end: quote.end,
    }
}

/// How the quote was found, as hits and export rows show it.
fn quote_evidence<'q>(quote: &'q QuoteHitSource<'_>) -> QuoteEvidence<'q> {
    QuoteEvidence {
        speaker_mention: quote.speaker_mention.as_ref(),
        cue: quote.cue.as_ref(),
        pieces: &quote.pieces,
        topics: &quote.topics,
    }
}

/// One hit of a search response, shaped for the wire while it is written
/// from the fields its backend read ([`HitDocument`]), with no intermediate
/// JSON tree.
pub struct HitJson<'a> {
    hit: &'a SearchHit,
}

impl<'a> HitJson<'a> {
    /// `hit` in its wire shape (an article or a quote hit, as its document).
    pub fn new(hit: &'a SearchHit) -> Self {
        HitJson { hit }
    }
}

impl Serialize for HitJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let hit = self.hit;
        match &hit.document {
            HitDocument::Article(stored) => ArticleHit {
                id: &stored.id,
                title: &stored.title,
                url: stored.url.as_deref(),
                source: stored.source.as_deref(),
                published: stored.published,
                language: &stored.analysis.language,
                score: hit.score,
                snippet: &hit.snippet,
                speakers: (stored.analysis.speakers.iter())
                    .map(|s| s.name.as_ref())
                    .collect(),
                topics: (stored.analysis.topics.iter())
                    .map(|t| t.path.as_ref())
                    .collect(),
            }
            .serialize(serializer),
            HitDocument::Quote(quote) => QuoteHit {
                quote: quote_shown(quote),
                score: hit.score,
                snippet: &hit.snippet,
                evidence: quote_evidence(quote),
                confidence: quote.confidence,
                statement: hit.statement.as_ref().map(StatementDto::from),
            }
            .serialize(serializer),
        }
    }
}

/// Writes an `f32` as the `f64` it widens to, as search responses always
/// have (`0.1f32` is sent as `0.10000000149011612`).
fn widened<S: serde::Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(f64::from(*value))
}

fn facet_list(facet: &FacetValues) -> Value {
    Value::Array(
        facet
            .values
            .iter()
            .map(|(value, count)| {
                serde_json::to_value(FacetValueDto {
                    value: value.clone(),
                    count: *count,
                })
                .expect("facet values serialise")
            })
            .collect(),
    )
}

/// Shapes search results for the wire; each hit from the fields its backend
/// read.
pub fn search_response(results: &SearchResults, took_ms: f64) -> SearchResponse<HitJson<'_>> {
    let hits = results.hits.iter().map(HitJson::new).collect();
    let mut facets = serde_json::Map::new();
    let mut facets_distinct = serde_json::Map::new();
    for facet in &results.facets {
        facets.insert(facet.name.clone(), facet_list(facet));
        facets_distinct.insert(facet.name.clone(), Value::from(facet.distinct));
    }
    SearchResponse {
        total: results.total,
        hits,
        facets,
        facets_distinct,
        next_cursor: results.next_cursor.clone(),
        took_ms: (took_ms * 1000.0).round() / 1000.0,
    }
}

/// Response of the catalogs (`/v1/topics`, `/v1/speakers`, `/v1/entities`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogResponse<V> {
    /// Values with counts, most frequent first.
    pub values: Vec<V>,
    /// Distinct values matching the request (prefix, parent, types).
    pub distinct: usize,
}

impl<V, T: Into<V>> From<Catalog<T>> for CatalogResponse<V> {
    fn from(catalog: Catalog<T>) -> Self {
        CatalogResponse {
            values: catalog.values.into_iter().map(Into::into).collect(),
            distinct: catalog.distinct,
        }
    }
}

impl From<FacetValues> for CatalogResponse<FacetValueDto> {
    fn from(facet: FacetValues) -> Self {
        CatalogResponse {
            values: facet
                .values
                .into_iter()
                .map(|(value, count)| FacetValueDto { value, count })
                .collect(),
            distinct: facet.distinct,
        }
    }
}

/// One speaker identity of `/v1/speakers`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpeakerValueDto {
    /// Canonical name (a `speaker` filter on it, or on any alias, matches
    /// every quote of the identity).
    pub value: String,
    /// Quotes (or articles, with `target=articles`) of the identity.
    pub count: u64,
    /// `person`, `organization`, `government` (or `unknown`).
    pub kind: SpeakerKind,
    /// The role its quotes give most often.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The affiliation its quotes give most often.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The other names its quotes carry (`Reagan` for `Ronald Reagan`),
    /// most quoted first.
    pub aliases: Vec<String>,
}

impl From<SpeakerValue> for SpeakerValueDto {
    fn from(value: SpeakerValue) -> Self {
        SpeakerValueDto {
            value: value.name,
            count: value.count,
            kind: value.kind,
            role: value.role,
            affiliation: value.affiliation,
            aliases: value.aliases,
        }
    }
}

/// One entity of `/v1/entities`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EntityValueDto {
    /// Canonical name.
    pub value: String,
    /// `person`, `place` or `org`.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Articles (or quotes) naming it.
    pub count: u64,
    /// The role articles give it most often.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The affiliation articles give it most often.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
}

impl From<EntityValue> for EntityValueDto {
    fn from(value: EntityValue) -> Self {
        EntityValueDto {
            value: value.name,
            kind: value.kind,
            count: value.count,
            role: value.role,
            affiliation: value.affiliation,
        }
    }
}

/// A quote of an article response (the stored [`Quote`]), with the topics of
/// its own text and the entities it names.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleQuote<'a> {
    /// The quoted words (pieces of a split quote joined by a space).
    quote: &'a str,
    /// First code point of the quote in the article body.
    start: usize,
    /// One past the last code point of the quote in the article body.
    end: usize,
    /// How the quote appears.
    kind: QuoteKind,
    /// Canonical name of the speaker, if one could be attributed.
    speaker: Option<&'a str>,
    /// The speaker's role or title, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    /// The body the speaker belongs to or speaks for, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<&'a str>,
    /// The kind of source: person, organization, government, anonymous, unknown.
    speaker_kind: SpeakerKind,
    /// How the text describes a source it does not name (`dealers`).
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker_description: Option<&'a str>,
    /// Where the speaker is named for this quote.
    speaker_mention: Option<&'a Span>,
    /// The speech cue.
    cue: Option<&'a Span>,
    /// For a quote split around its attribution, the code-point ranges of its pieces.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pieces: &'a [[usize; 2]],
    /// How sure the extractor is of the quote and its speaker, `0..=1`.
    confidence: f32,
    /// Topics of the quote's own text and sentences, else its article's top-level topic.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    topics: &'a [String],
    /// People the quote names.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    people: &'a [String],
    /// Places the quote names.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    places: &'a [String],
    /// Organisations the quote names.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    organizations: &'a [String],
}

impl<'a> ArticleQuote<'a> {
    fn new(quote: &'a Quote, subjects: Option<&'a QuoteSubjects>) -> Self {
        let list = |pick: fn(&'a QuoteSubjects) -> &'a [String]| subjects.map_or(&[][..], pick);
        ArticleQuote {
            quote: &quote.quote,
            start: quote.start,
            end: quote.end,
            kind: quote.kind,
            speaker: quote.speaker.as_deref(),
            role: quote.role.as_deref(),
            affiliation: quote.affiliation.as_deref(),
            speaker_kind: quote.speaker_kind,
            speaker_description: quote.speaker_description.as_deref(),
            speaker_mention: quote.speaker_mention.as_ref(),
            cue: quote.cue.as_ref(),
            pieces: &quote.pieces,
            confidence: quote.confidence,
            topics: list(|s| &s.topics),
            people: list(|s| &s.people),
            places: list(|s| &s.places),
            organizations: list(|s| &s.organizations),
        }
    }
}

/// A stored article as returned by `GET /v1/articles/{id}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Article)]
pub struct ArticleResponse<'a> {
    /// Article id.
    id: &'a str,
    /// Headline.
    title: &'a str,
    /// Full text; quote offsets are code points into it.
    body: &'a str,
    /// Address of the original.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    /// Publisher.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// Publication time (RFC 3339, UTC).
    #[serde(with = "time::serde::rfc3339::option")]
    published: Option<OffsetDateTime>,
    /// Authors.
    authors: &'a [String],
    /// ISO 639-1 language code (given or detected).
    language: &'a str,
    /// Quotes found in (or supplied with) the article, in text order, each with
    /// the topics of its own text and sentences and the entities it names.
    quotes: Vec<ArticleQuote<'a>>,
    /// Canonical speakers.
    speakers: &'a [Speaker],
    /// Topics with scores.
    topics: &'a [TopicAssignment],
    /// People, places and organisations named, most mentioned first.
    entities: &'a [Entity],
    /// Key phrases, best first.
    keyphrases: &'a [Keyphrase],
    /// Fields sent with the article that Verbatim does not know, kept as they were.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    #[schema(value_type = Object)]
    extra: &'a serde_json::Map<String, Value>,
}

impl<'a> From<&'a AnalyzedArticle> for ArticleResponse<'a> {
    fn from(stored: &'a AnalyzedArticle) -> Self {
        let article = &stored.article;
        ArticleResponse {
            id: &article.id,
            title: &article.title,
            body: &article.body,
            url: article.url.as_deref(),
            source: article.source.as_deref(),
            published: article.published,
            authors: &article.authors,
            language: &stored.analysis.language,
            quotes: stored
                .analysis
                .quotes
                .iter()
                .enumerate()
                .map(|(position, quote)| {
                    ArticleQuote::new(quote, stored.analysis.quote_subjects.get(position))
                })
                .collect(),
            speakers: &stored.analysis.speakers,
            topics: &stored.analysis.topics,
            entities: &stored.analysis.entities,
            keyphrases: &stored.analysis.keyphrases,
            extra: &article.extra,
        }
    }
}

/// The verdict of `POST /v1/quotes/verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictName {
    /// The claimed words are an attested quote's (whole, or an excerpt of at
    /// least three words), by the claimed speaker or with none claimed.
    Exact,
    /// An attested quote says the same in other words.
    Close,
    /// The words are attested (exactly or closely), said by someone else.
    AttributedToOther,
    /// No attested quote comes close.
    NotFound,
}

impl From<Verdict> for VerdictName {
    fn from(verdict: Verdict) -> VerdictName {
        match verdict {
            Verdict::Exact => VerdictName::Exact,
            Verdict::Close => VerdictName::Close,
            Verdict::AttributedToOther => VerdictName::AttributedToOther,
            Verdict::NotFound => VerdictName::NotFound,
        }
    }
}

/// How a claim's words stand to a quote's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Wording {
    /// The same words in the same order (marks, punctuation and case aside).
    Same,
    /// A contiguous run of the quote's words.
    Excerpt,
    /// Some words differ, are missing or moved.
    Different,
}

/// Answer of `POST /v1/quotes/verify`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VerifyResponse {
    /// What the index says about the claim.
    pub verdict: VerdictName,
    /// The canonical name of the claimed speaker, when the speaker registry
    /// knows the name given.
    pub claimed_speaker: Option<String>,
    /// The closest attested statements, best first; the one the verdict is
    /// about comes first.
    pub matches: Vec<VerifyMatch>,
    /// Time spent, in milliseconds.
    pub took_ms: f64,
}

/// One attested statement close to a claim, shown by its earliest copy.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VerifyMatch {
    /// `article id#position` of the earliest copy.
    pub id: String,
    /// The attested words.
    pub quote: String,
    /// The speaker: canonical name when a speaker was claimed, else as the
    /// article gives it.
    pub speaker: Option<String>,
    /// The speaker's role, when the earliest copy gives it.
    pub role: Option<String>,
    /// Whether the speaker is the claimed one (the same identity in the
    /// speaker registry); `null` when no speaker is claimed or the quote
    /// names none.
    pub speaker_matches: Option<bool>,
    /// How the quote appears.
    pub kind: QuoteKind,
    /// Overall similarity, 0 to 1 (what matches are ranked by).
    pub similarity: f64,
    /// Share of the claim's words (function words weigh less, inflections
    /// count as the word) found in the quote, in any order.
    pub word_similarity: f64,
    /// Share of the claim's character trigrams found in the quote.
    pub character_similarity: f64,
    /// Whether the claim has the quote's words as written.
    pub wording: Wording,
    /// The claimed words against the quote's, as HTML: `<del>` around words
    /// the quote does not have, `<ins>` around the quote's words the claim
    /// leaves out, `…` where the quote goes on.
    pub diff: String,
    /// The earliest article that carries the statement (by `published`,
    /// undated after dated, then first indexed).
    pub article: ArticleRef,
    /// First code point of the quote in that article's body.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// Copies found: quotes with these words by this speaker.
    pub copies: usize,
}

/// The wire answer for `verification`, which took `took_ms`.
pub fn verify_response(verification: Verification, took_ms: f64) -> VerifyResponse {
    let round = |value: f32| (f64::from(value) * 1000.0).round() / 1000.0;
    VerifyResponse {
        verdict: verification.verdict.into(),
        claimed_speaker: verification.claimed_speaker,
        matches: verification
            .matches
            .into_iter()
            .map(|found| VerifyMatch {
                id: found.earliest.id(),
                wording: match found.similarity.exactness {
                    Exactness::Whole => Wording::Same,
                    Exactness::Excerpt => Wording::Excerpt,
                    Exactness::No => Wording::Different,
                },
                similarity: round(found.similarity.score),
                word_similarity: round(found.similarity.words),
                character_similarity: round(found.similarity.characters),
                diff: found.diff,
                speaker: found.speaker,
                role: found.earliest.role,
                speaker_matches: found.speaker_matches,
                kind: found.earliest.kind,
                quote: found.earliest.quote,
                article: found.earliest.article,
                start: found.earliest.start,
                end: found.earliest.end,
                copies: found.copies,
            })
            .collect(),
        took_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let cases = [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"no\"", "\"say \"\"no\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("", ""),
        ];
        for (field, expected) in cases {
            let mut out = Vec::new();
            write_csv_field(field, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{field:?}");
        }
    }
}

/// Quotes and statements of one topic (in one interval, or in all).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = TimelineTopic)]
pub struct TimelineTopicDto {
    /// Topic path.
    pub topic: String,
    /// Quotes.
    pub quotes: u64,
    /// Statements with a copy among them.
    pub statements: u64,
}

/// One interval of a timeline.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = TimelineInterval)]
pub struct TimelineIntervalDto {
    /// Its first day (`YYYY-MM-DD`, UTC).
    pub start: String,
    /// Its name: `2024-04` (month), `2024-W17` (ISO week) or `2024-04-26` (day).
    pub label: String,
    /// Quotes published in it (the `total` of `/v1/quotes` with the same speaker,
    /// topic and these dates).
    pub quotes: u64,
    /// Statements with a copy published in it (the same with `group=statement`).
    pub statements: u64,
    /// Per topic of the split, most quotes first (a quote may have several).
    pub topics: Vec<TimelineTopicDto>,
}

/// A speaker quoted in the same articles.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = CoQuotedSpeaker)]
pub struct CoQuotedDto {
    /// Canonical name.
    pub speaker: String,
    /// Articles quoting both.
    pub articles: u64,
}

/// Response of `GET /v1/speakers/{name}/timeline`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimelineResponse {
    /// The speaker identity's canonical name.
    pub speaker: String,
    /// `month`, `week` or `day`.
    pub interval: &'static str,
    /// Matching quotes, dated or not.
    pub quotes: u64,
    /// Matching statements (copies of one statement folded).
    pub statements: u64,
    /// Matching quotes without a publication date (in no interval).
    pub undated_quotes: u64,
    /// Every interval from the first dated quote's to the last's, empty ones included.
    pub intervals: Vec<TimelineIntervalDto>,
    /// Totals per topic of the split, most quotes first.
    pub topics: Vec<TimelineTopicDto>,
    /// Speakers quoted most often in the same articles, most first.
    pub co_quoted: Vec<CoQuotedDto>,
    /// Time spent, in milliseconds.
    pub took_ms: f64,
}

fn topic_dtos(topics: &[TopicCounts]) -> Vec<TimelineTopicDto> {
    topics
        .iter()
        .map(|topic| TimelineTopicDto {
            topic: topic.topic.clone(),
            quotes: topic.quotes,
            statements: topic.statements,
        })
        .collect()
}

impl TimelineResponse {
    /// The wire shape of `timeline`, which took `took_ms`.
    pub fn new(timeline: &Timeline, took_ms: f64) -> Self {
        TimelineResponse {
            speaker: timeline.speaker.clone(),
            interval: timeline.interval.as_str(),
            quotes: timeline.quotes,
            statements: timeline.statements,
            undated_quotes: timeline.undated_quotes,
            intervals: timeline
                .intervals
                .iter()
                .map(|interval| TimelineIntervalDto {
                    start: interval.start.to_string(),
                    label: interval.label.clone(),
                    quotes: interval.quotes,
                    statements: interval.statements,
                    topics: topic_dtos(&interval.topics),
                })
                .collect(),
            topics: topic_dtos(&timeline.topics),
            co_quoted: timeline
                .co_quoted
                .iter()
                .map(|co| CoQuotedDto {
                    speaker: co.speaker.clone(),
                    articles: co.articles,
                })
                .collect(),
            took_ms,
        }
    }
}
