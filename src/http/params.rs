//! Request parameters: one struct per request shape, which both reads the
//! request and describes it in the API document. A query string is read with
//! `serde_html_form` (a key given more than once is a list), a JSON body with
//! `serde_json`; the same struct derives `utoipa::IntoParams` (query
//! parameters) and `utoipa::ToSchema` (JSON bodies), and refuses parameters
//! it does not name (`deny_unknown_fields`, answered `unknown_parameter`).
//!
//! What depends on settings (the largest `limit`, `offset` and `facet_limit`,
//! the longest `q`) is checked when the parameters become a
//! [`SearchRequest`], so that messages can name the bounds.

use std::fmt;

use futures_util::future::LocalBoxFuture;
use serde::de::{self, DeserializeOwned, IgnoredAny, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use utoipa::openapi::schema::{
    Array, ArrayBuilder, KnownFormat, Object, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat,
    Type,
};
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::dto::ExportFormat;
use super::error::{ApiError, ErrorCode};
use super::{require_content_type, JsonBody, JSON_TYPES};
use crate::config::SearchSettings;
use crate::ingest::{clip, json_type, parse_published};
use crate::model::EntityKind;
use crate::search::timeline::{Interval, TimelineRequest};
use crate::search::verify::VerifyRequest;
use crate::search::{
    CountUnit, Grouping, PublishedRange, SearchRequest, SortOrder, Target, FACET_KIND,
    FACET_LANGUAGE, FACET_MONTH, FACET_ORG, FACET_PERSON, FACET_PLACE, FACET_ROLE, FACET_SOURCE,
    FACET_SPEAKER, FACET_SPEAKER_KIND, FACET_TOPIC,
};

/// Reads parameters from a query string. Percent-escapes that decode to
/// invalid UTF-8 are refused rather than silently replaced.
pub fn from_query_string<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    if percent_encoding::percent_decode_str(query)
        .decode_utf8()
        .is_err()
    {
        return Err(ApiError::bad_parameter(
            "the query string does not decode to valid UTF-8",
        ));
    }
    let pairs = form_urlencoded::parse(query.as_bytes());
    serde_path_to_error::deserialize(serde_html_form::Deserializer::new(pairs))
        .map_err(parameter_error)
}

/// The parameters of a request's query string, as a handler argument: read
/// by [`from_query_string`] before the handler runs.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> actix_web::FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(
        request: &actix_web::HttpRequest,
        _: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        std::future::ready(from_query_string(request.query_string()).map(Query))
    }
}

/// The parameters of a JSON body, as a handler argument: a [`JsonBody`] read
/// by [`from_json_body`] before the handler runs.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> Json<T> {
    /// Reads and parses the body once `checked`, the checks made before
    /// reading it, has passed.
    fn read_once(
        checked: Result<(), ApiError>,
        request: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> LocalBoxFuture<'static, Result<Json<T>, ApiError>> {
        let body = JsonBody::read_once(checked, request, payload);
        Box::pin(async move { from_json_body(&body.await?.0).map(Json) })
    }
}

impl<T: DeserializeOwned + 'static> actix_web::FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(
        request: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        Json::read_once(require_content_type(request, JSON_TYPES), request, payload)
    }
}

/// The parameters of a `POST` search, as a handler argument: a [`Json`]
/// body. A query string is refused rather than ignored.
pub struct SearchBody<T>(pub T);

impl<T: DeserializeOwned + 'static> actix_web::FromRequest for SearchBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(
        request: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        let checked = require_content_type(request, JSON_TYPES).and_then(|()| {
            if request.query_string().is_empty() {
                Ok(())
            } else {
                Err(ApiError::bad_parameter(
                    "POST searches take their parameters from the JSON body, not the query string",
                ))
            }
        });
        let params = Json::read_once(checked, request, payload);
        Box::pin(async move { params.await.map(|Json(params)| SearchBody(params)) })
    }
}

/// Reads parameters from a JSON body, which must be an object (an empty body
/// is an empty object).
pub fn from_json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::new(ErrorCode::MalformedJson, e.to_string()))?
    };
    if !value.is_object() {
        return Err(ApiError::bad_parameter(format!(
            "the body must be a JSON object, not {}",
            json_type(&value)
        )));
    }
    serde_path_to_error::deserialize(value).map_err(parameter_error)
}

/// The parameter an `unknown_parameter` error names.
pub fn unknown_parameter(error: &ApiError) -> Option<&str> {
    if error.code != ErrorCode::UnknownParameter {
        return None;
    }
    error.message.split('`').nth(1)
}

/// An error of serde (through `serde_path_to_error`, which knows the
/// parameter) as an API error.
fn parameter_error<E: de::Error>(error: serde_path_to_error::Error<E>) -> ApiError {
    let message = error.inner().to_string();
    // serde's own wording for a field a struct does not name.
    if let Some(rest) = message.strip_prefix("unknown field") {
        return ApiError::new(
            ErrorCode::UnknownParameter,
            format!("unknown parameter{rest}"),
        );
    }
    let name = match error.path().iter().next() {
        Some(serde_path_to_error::Segment::Map { key }) => key.clone(),
        _ => return ApiError::bad_parameter(message),
    };
    // `serde_html_form`'s wording for a single value given more than once.
    if message == "unsupported value" {
        return ApiError::bad_parameter(format!("`{name}` is given more than once"));
    }
    ApiError::bad_parameter(format!("`{name}`: {message}"))
}

/// A parameter that may be left out. Unlike `Option`, which
/// `serde_html_form` reads as absent when a key is given empty (`limit=`),
/// a key given empty is given: its value is read (and may be refused).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
// Serialised as the value it holds: the document's defaults.
#[serde(transparent)]
pub struct Given<T>(pub Option<T>);

impl<T> Default for Given<T> {
    fn default() -> Self {
        Given(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Given<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(|value| Given(Some(value)))
    }
}

/// The values of a repeatable parameter: a key given once or more in a
/// query string, a string or an array of strings in a JSON body.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
// Serialised as the value it holds: the document's defaults.
#[serde(transparent)]
pub struct Strings(pub Vec<String>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StringsVisitor;
        impl<'de> Visitor<'de> for StringsVisitor {
            type Value = Strings;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Strings, E> {
                Ok(Strings(vec![text.to_owned()]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut items: A) -> Result<Strings, A::Error> {
                let mut strings = Vec::new();
                while let Some(item) = items.next_element::<Value>()? {
                    match item {
                        Value::String(text) => strings.push(text),
                        other => {
                            return Err(de::Error::custom(format!(
                                "must be a string or an array of strings, not {}",
                                json_type(&other)
                            )))
                        }
                    }
                }
                Ok(Strings(strings))
            }
        }
        deserializer.deserialize_any(StringsVisitor)
    }
}

impl PartialSchema for Strings {
    fn schema() -> RefOr<Schema> {
        strings_of(ObjectBuilder::new().schema_type(Type::String).build()).into()
    }
}

impl ToSchema for Strings {}

/// A count (`limit`, `offset`, `facet_limit`): a JSON number or a string of
/// digits. Anything else is kept as not a count, so that the message can give
/// the bounds, which come from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
// Serialised as the value it holds: the document's defaults.
#[serde(transparent)]
pub struct Count(Option<u64>);

impl Count {
    /// The count, if it is one from `min` to `max`; else an error naming them.
    fn within(self, name: &str, min: usize, max: usize) -> Result<usize, ApiError> {
        self.0
            .and_then(|count| usize::try_from(count).ok())
            .filter(|count| (min..=max).contains(count))
            .ok_or_else(|| {
                ApiError::bad_parameter(format!("`{name}` must be an integer from {min} to {max}"))
            })
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl<'de> Visitor<'de> for CountVisitor {
            type Value = Count;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a non-negative integer")
            }
            fn visit_u64<E: de::Error>(self, number: u64) -> Result<Count, E> {
                Ok(Count(Some(number)))
            }
            fn visit_i64<E: de::Error>(self, number: i64) -> Result<Count, E> {
                Ok(Count(u64::try_from(number).ok()))
            }
            /// JSON Schema counts `5.0` as an integer, so it is one.
            fn visit_f64<E: de::Error>(self, number: f64) -> Result<Count, E> {
                let whole = number.fract() == 0.0 && (0.0..u64::MAX as f64).contains(&number);
                Ok(Count(whole.then_some(number as u64)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Count, E> {
                Ok(Count(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Count, E> {
                Ok(Count(None))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Count, E> {
                Ok(Count(text.trim().parse().ok()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut items: A) -> Result<Count, A::Error> {
                while items.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Count(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut entries: A) -> Result<Count, A::Error> {
                while entries.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Count(None))
            }
        }
        deserializer.deserialize_any(CountVisitor)
    }
}

impl PartialSchema for Count {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .into()
    }
}

impl ToSchema for Count {}

/// A number from 0 to 1 (`min_confidence`): a JSON number or a string.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
// Serialised as the value it holds: the document's defaults.
#[serde(transparent)]
pub struct Fraction(pub f64);

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let invalid = |shown: &str| {
            de::Error::custom(format!("must be a number from 0 to 1, not {}", clip(shown)))
        };
        let value = Value::deserialize(deserializer)?;
        let number = match &value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        };
        match number {
            Some(number) if (0.0..=1.0).contains(&number) => Ok(Fraction(number)),
            _ => Err(match &value {
                Value::String(text) => invalid(&format!("`{text}`")),
                other => invalid(json_type(other)),
            }),
        }
    }
}

impl PartialSchema for Fraction {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .minimum(Some(0))
            .maximum(Some(1))
            .into()
    }
}

impl ToSchema for Fraction {}

/// Declares a parameter struct from its own fields and sections of fields
/// that several share, so that each shared field is written once, with what
/// the search makes of it: `..query(Articles)` or `..query(Quotes)` (`q`,
/// documented for the target it searches), `..filters` (the filters of every
/// search and the dates), `..quote_filters` (those of quotes),
/// `..statement`, `..paging(facets parameter schema, facets body schema)`
/// (facets, sort and the page) and `..grouping` (`group` and `count`). The
/// struct gets `into_request`, which hands every section's field to
/// [`validated_request`]; its own fields are the handler's.
macro_rules! search_parameters {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        search_parameters!(@fields {$name $(#[$meta])*} [] [] [] [] $($body)*);
    };
    (@fields $head:tt [$($done:tt)*] [] $taken:tt $filters:tt ..query(Articles), $($rest:tt)*) => {
        search_parameters!(@query $head [$($done)*] [Articles] $taken $filters
            r#"The query: words (all must match), "exact phrases", prefix*, AND / OR / NOT (or + / -), parentheses, and fields (`title:`, `body:`, `keyphrase:`, `speaker:`, `person:`, `place:`, `org:`, `source:`, `topic:`, `language:`, `month:`). Empty matches everything."#,
            $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*] [] $taken:tt $filters:tt ..query(Quotes), $($rest:tt)*) => {
        search_parameters!(@query $head [$($done)*] [Quotes] $taken $filters
            r#"The query: words, "exact phrases", prefix*, AND / OR / NOT, parentheses, and fields (`quote:`, `speaker:`, `role:`, `kind:`, `person:`, `place:`, `org:`, `source:`, `topic:`, `language:`, `month:`). Empty matches every quote."#,
            $($rest)*);
    };
    (@query $head:tt [$($done:tt)*] $target:tt [$($taken:ident)*] $filters:tt $doc:literal, $($rest:tt)*) => {
        search_parameters!(@fields $head [$($done)*
            #[doc = $doc]
            #[param(max_length = 4096, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$")]
            #[schema(max_length = 4096, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$")]
            pub q: String,
        ] $target [$($taken)* q] $filters $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*] $target:tt [$($taken:ident)*] [$($filters:tt)*] ..filters, $($rest:tt)*) => {
        search_parameters!(@fields $head [$($done)*
            /// Only these speakers (repeatable; values are OR'ed, filters AND'ed;
            /// case-insensitive; an article matches when it quotes one).
            #[param(value_type = Option<Vec<String>>)]
            pub speaker: Strings,
            /// Only these topics or their children, e.g. `/world/asia-pacific` (repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub topic: Strings,
            /// Only these sources (repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub source: Strings,
            /// Only these languages, ISO 639-1 (repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub language: Strings,
            /// Only these months, `YYYY-MM` (repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub month: Strings,
            /// Only documents naming these people (canonical names; repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub person: Strings,
            /// Only documents naming these places (repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub place: Strings,
            /// Only documents naming these organisations (repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub org: Strings,
            /// Published on or after: `YYYY-MM-DD` or RFC 3339 (empty: no bound).
            #[param(schema_with = date_bound_schema)]
            #[schema(schema_with = date_bound_schema)]
            pub from: String,
            /// Published on or before (inclusive; empty: no bound).
            #[param(schema_with = date_bound_schema)]
            #[schema(schema_with = date_bound_schema)]
            pub to: String,
        ] $target [$($taken)* from to] [$($filters)*
            (FACET_SPEAKER, speaker) (FACET_TOPIC, topic) (FACET_SOURCE, source)
            (FACET_LANGUAGE, language) (FACET_MONTH, month) (FACET_PERSON, person)
            (FACET_PLACE, place) (FACET_ORG, org)
        ] $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*] $target:tt [$($taken:ident)*] [$($filters:tt)*] ..quote_filters, $($rest:tt)*) => {
        search_parameters!(@fields $head [$($done)*
            /// Only speakers with these roles (repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub role: Strings,
            /// Only these kinds: direct, partial, indirect, term (repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub kind: Strings,
            /// Only quotes whose source is of these kinds: person, organization,
            /// government, anonymous, unknown (repeatable).
            #[param(value_type = Option<Vec<String>>)]
            pub speaker_kind: Strings,
            /// Only quotes whose extraction `confidence` is at least this (0 to 1; the
            /// confidence is the precision measured for quotes with the same evidence).
            #[param(value_type = Option<f64>, minimum = 0, maximum = 1)]
            #[schema(value_type = f64, minimum = 0, maximum = 1)]
            pub min_confidence: Given<Fraction>,
        ] $target [$($taken)* min_confidence] [$($filters)*
            (FACET_ROLE, role) (FACET_KIND, kind) (FACET_SPEAKER_KIND, speaker_kind)
        ] $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*] $target:tt [$($taken:ident)*] $filters:tt ..statement, $($rest:tt)*) => {
        search_parameters!(@fields $head [$($done)*
            /// Only the copies of this statement (the `statement.id` of a hit of
            /// `group=statement`): its reprints, updates, excerpts and rewordings.
            #[param(max_length = 64)]
            #[schema(max_length = 64)]
            pub statement: String,
        ] $target [$($taken)* statement] $filters $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*] $target:tt [$($taken:ident)*] $filters:tt ..paging($facets_parameter:ident, $facets_schema:ident), $($rest:tt)*) => {
        search_parameters!(@fields $head [$($done)*
            /// Facets to count, comma-separated (repeatable).
            #[param(schema_with = $facets_parameter)]
            #[schema(schema_with = $facets_schema)]
            pub facets: Strings,
            /// Values returned per facet (default 10).
            #[param(value_type = Option<u32>, minimum = 1, maximum = 10000)]
            #[schema(value_type = u32, minimum = 1, maximum = 10000)]
            pub facet_limit: Given<Count>,
            /// `relevance` (default), `published` (oldest first) or `-published` (newest first).
            #[param(schema_with = sort_schema)]
            #[schema(schema_with = sort_schema)]
            pub sort: String,
            /// Hits per page (default 10, 0 = counts only).
            #[param(value_type = Option<u32>, minimum = 0, maximum = 1000)]
            #[schema(value_type = u32, minimum = 0, maximum = 1000)]
            pub limit: Given<Count>,
            /// Hits to skip (offset + limit at most 10000; page deeper with `cursor`).
            #[param(value_type = Option<u32>, minimum = 0, maximum = 10000)]
            #[schema(value_type = u32, minimum = 0, maximum = 10000)]
            pub offset: Given<Count>,
            /// `next_cursor` of the previous page (same sort).
            pub cursor: String,
        ] $target [$($taken)* facets facet_limit sort limit offset cursor] $filters $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*] $target:tt [$($taken:ident)*] $filters:tt ..grouping, $($rest:tt)*) => {
        search_parameters!(@fields $head [$($done)*
            /// `statement`: one hit per statement (copies of one statement by one speaker
            /// folded: reprints, updates, excerpts, small edits), shown by its best matching
            /// copy, with the statement's id, copies, articles, sources, first and last dates
            /// and wordings; `total` counts statements. `copy` (default): one hit per quote.
            #[param(schema_with = group_schema)]
            #[schema(schema_with = group_schema)]
            pub group: String,
            /// `statements`: facet values count statements (one statement counts once in a
            /// value when any of its matching copies has it). `copies` (default): quotes.
            #[param(schema_with = count_schema)]
            #[schema(schema_with = count_schema)]
            pub count: String,
        ] $target [$($taken)* group count] $filters $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*] $target:tt $taken:tt $filters:tt $(#[$field_meta:meta])* pub $field:ident: $type:ty, $($rest:tt)*) => {
        search_parameters!(@fields $head [$($done)* $(#[$field_meta])* pub $field: $type,] $target $taken $filters $($rest)*);
    };
    (@fields {$name:ident $($attrs:tt)*} [$($done:tt)*] [$target:ident] [$($taken:ident)*] [$(($facet:ident, $filter:ident))*]) => {
        $($attrs)* pub struct $name { $($done)* }

        impl $name {
            /// The validated search: the fields of each section, checked by
            /// `validated_request`.
            #[allow(clippy::needless_update)] // when every section is there
            pub fn into_request(self, settings: &SearchSettings) -> Result<SearchRequest, ApiError> {
                let asked = Asked {
                    filters: vec![$(($facet, self.$filter)),*],
                    $($taken: self.$taken,)*
                    ..Asked::default()
                };
                validated_request(Target::$target, asked, settings)
            }
        }
    };
}

search_parameters! {
    /// Parameters of `GET /v1/search` (and the JSON body of `POST /v1/search`).
    #[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
    #[serde(default, deny_unknown_fields)]
    #[into_params(parameter_in = Query)]
    pub struct ArticleSearchParams {
        ..query(Articles),
        ..filters,
        ..paging(article_facets_parameter, article_facets_schema),
    }
}

search_parameters! {
    /// Parameters of `GET /v1/quotes` (and the JSON body of `POST /v1/quotes`).
    #[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
    #[serde(default, deny_unknown_fields)]
    #[into_params(parameter_in = Query)]
    pub struct QuoteSearchParams {
        ..query(Quotes),
        ..filters,
        ..quote_filters,
        ..statement,
        ..paging(quote_facets_parameter, quote_facets_schema),
        ..grouping,
    }
}

search_parameters! {
    /// Parameters of `GET /v1/quotes/export`: those of `/v1/quotes` that
    /// choose quotes (no paging, sorting or facets), and the format.
    #[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
    #[serde(default, deny_unknown_fields)]
    #[into_params(parameter_in = Query)]
    pub struct ExportParams {
        /// `ndjson` (default) or `csv`.
        #[param(inline)]
        pub format: ExportFormat,
        ..query(Quotes),
        ..filters,
        ..quote_filters,
        ..statement,
    }
}

search_parameters! {
    /// The saved query of an alert: the parameters of `/v1/quotes` that
    /// choose quotes (no paging, sorting, facets or statement), as a JSON
    /// object; filters take a string or an array.
    #[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
    #[serde(default, deny_unknown_fields)]
    #[into_params(parameter_in = Query)]
    pub struct AlertQueryParams {
        ..query(Quotes),
        ..filters,
        ..quote_filters,
    }
}

impl AlertQueryParams {
    /// Reads a saved query (a JSON object) as `POST /v1/alerts` reads it.
    pub fn read(query: &Value, settings: &SearchSettings) -> Result<SearchRequest, ApiError> {
        if !query.is_object() {
            return Err(ApiError::bad_parameter(format!(
                "`query` must be a JSON object of /v1/quotes parameters, not {}",
                json_type(query)
            )));
        }
        serde_path_to_error::deserialize::<_, AlertQueryParams>(query)
            .map_err(parameter_error)?
            .into_request(settings)
    }
}

/// Body of `POST /v1/alerts`: a saved search.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertParams {
    /// A name for people (1 to 200 characters).
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// The quotes wanted: `/v1/quotes` parameters as an object
    /// (`{"q": "taiwan", "speaker": "Wang Yi"}`).
    #[schema(value_type = AlertQueryParams)]
    pub query: Value,
    /// Where each new matching quote is `POST`ed (an absolute `http` or
    /// `https` URL; its address must be public unless
    /// `fetch.allow_private_addresses`).
    #[serde(default)]
    #[schema(inline)]
    pub webhook: Option<FetchUrl>,
}

/// Longest alert name, in characters.
pub const MAX_ALERT_NAME_CHARS: usize = 200;

/// The `{id}` of `/v1/alerts/{id}` and the paths below it, for their
/// `params(...)` (as are the other path ids several operations share).
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AlertIdPath {
    /// The alert's id
    pub id: String,
}

/// The `{id}` of `/v1/feeds/{id}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FeedIdPath {
    /// The feed's id
    pub id: String,
}

/// The `{id}` of `/v1/articles/{id}`: what `validate_id` accepts.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ArticleIdPath {
    /// Article id
    #[param(pattern = r"^[^\s\x00-\x1f\x7f-\x9f/\\]{1,256}$")]
    pub id: String,
}

/// Parameters of `GET /v1/alerts/{id}/events`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventStreamParams {
    /// Resume after this event id (as the `Last-Event-ID` header does, which
    /// wins when both are given); `0` replays every event kept. Without
    /// either, the stream starts with the next event.
    #[param(value_type = Option<u64>, minimum = 0, maximum = 9223372036854775807_i64)]
    pub last_event_id: Given<Count>,
}

impl EventStreamParams {
    /// The event id to resume after, if one was given.
    pub fn last_event_id(&self) -> Result<Option<u64>, ApiError> {
        match self.last_event_id.0 {
            None => Ok(None),
            Some(count) => count
                .within("last_event_id", 0, i64::MAX as usize)
                .map(|id| Some(id as u64)),
        }
    }
}

/// What a search asks, as the sections of its parameters give it; what a
/// struct has no section for is left empty.
#[derive(Default)]
struct Asked {
    q: String,
    filters: Vec<(&'static str, Strings)>,
    from: String,
    to: String,
    min_confidence: Given<Fraction>,
    statement: String,
    facets: Strings,
    facet_limit: Given<Count>,
    sort: String,
    limit: Given<Count>,
    offset: Given<Count>,
    cursor: String,
    group: String,
    count: String,
}

/// The validated search a query string asks of `target`, read as
/// `GET /v1/search` (articles) or `GET /v1/quotes` read it.
pub fn search_request_from_query(
    target: Target,
    query: &str,
    settings: &SearchSettings,
) -> Result<SearchRequest, ApiError> {
    match target {
        Target::Articles => from_query_string::<ArticleSearchParams>(query)?.into_request(settings),
        Target::Quotes => from_query_string::<QuoteSearchParams>(query)?.into_request(settings),
    }
}

/// Checks what settings bound and what must agree between parameters, and
/// builds the engine's request; its filters come in the order of
/// [`Target::filter_names`].
fn validated_request(
    target: Target,
    asked: Asked,
    settings: &SearchSettings,
) -> Result<SearchRequest, ApiError> {
    let query = asked.q;
    if query.chars().count() > settings.max_query_chars {
        return Err(ApiError::new(
            ErrorCode::QueryTooLong,
            format!("`q` is longer than {} characters", settings.max_query_chars),
        ));
    }
    if query
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(ApiError::bad_parameter(
            "`q` must not contain control characters",
        ));
    }
    let mut filters = asked.filters;
    filters.sort_by_key(|(name, _)| target.filter_names().iter().position(|n| n == name));
    let filters = filters
        .into_iter()
        .map(|(name, Strings(values))| {
            let values: Vec<String> = values
                .into_iter()
                .filter(|v| !v.trim().is_empty())
                .collect();
            (name.to_owned(), values)
        })
        .filter(|(_, values)| !values.is_empty())
        .collect();
    let published = date_range(&asked.from, &asked.to)?;
    let facets = facet_names(target, asked.facets)?;
    let sort = match asked.sort.as_str() {
        "" => SortOrder::Relevance,
        text => SortOrder::parse(text).ok_or_else(|| {
            ApiError::bad_parameter(format!(
                "`sort` must be {}, not `{text}`",
                listed(&SortOrder::ALL.map(SortOrder::as_str))
            ))
        })?,
    };
    let count = |Given(count): Given<Count>, name: &str, min: usize, max: usize, default: usize| {
        count.map_or(Ok(default), |count| count.within(name, min, max))
    };
    let limit = count(
        asked.limit,
        "limit",
        0,
        settings.max_limit,
        settings.default_limit,
    )?;
    let offset = count(asked.offset, "offset", 0, settings.max_window, 0)?;
    let facet_limit = count(
        asked.facet_limit,
        "facet_limit",
        1,
        settings.max_facet_limit,
        settings.default_facet_limit,
    )?;
    if !asked.cursor.is_empty() && offset > 0 {
        return Err(ApiError::bad_parameter(
            "use either `cursor` or `offset`, not both",
        ));
    }
    let group = one_of("group", &asked.group, GROUPINGS)?;
    let count_unit = one_of("count", &asked.count, COUNT_UNITS)?;
    let statement = asked.statement.trim();
    if statement.chars().count() > MAX_STATEMENT_ID_CHARS {
        return Err(ApiError::bad_parameter(format!(
            "`statement` is longer than {MAX_STATEMENT_ID_CHARS} characters"
        )));
    }
    Ok(SearchRequest {
        target,
        query,
        filters,
        published,
        min_confidence: asked.min_confidence.0.map(|Fraction(floor)| floor),
        facets,
        facet_limit,
        sort,
        limit,
        offset,
        cursor: Some(asked.cursor).filter(|c| !c.is_empty()),
        group,
        count: count_unit,
        statement: Some(statement.to_owned()).filter(|s| !s.is_empty()),
    })
}

/// Longest statement id accepted (ids are 16 hex digits).
pub const MAX_STATEMENT_ID_CHARS: usize = 64;

/// The words `group` takes and what each asks for (empty: left out).
const GROUPINGS: &[(&str, Grouping)] = &[
    ("", Grouping::Copies),
    ("copy", Grouping::Copies),
    ("statement", Grouping::Statements),
];

/// The words `count` takes and what each asks for (empty: left out).
const COUNT_UNITS: &[(&str, CountUnit)] = &[
    ("", CountUnit::Copies),
    ("copies", CountUnit::Copies),
    ("statements", CountUnit::Statements),
];

/// The values of `group`.
fn group_schema() -> Object {
    string_among(&words_of(GROUPINGS))
}

/// The values of `count`.
fn count_schema() -> Object {
    string_among(&words_of(COUNT_UNITS))
}

/// The words of `choices`, in their order.
fn words_of<T>(choices: &[(&'static str, T)]) -> Vec<&'static str> {
    choices.iter().map(|(word, _)| *word).collect()
}

/// The facets asked for, each once, in the order asked.
fn facet_names(target: Target, Strings(lists): Strings) -> Result<Vec<String>, ApiError> {
    let mut facets: Vec<String> = Vec::new();
    for list in &lists {
        for facet in list.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            if !target.facet_names().contains(&facet) {
                return Err(ApiError::new(
                    ErrorCode::UnknownFacet,
                    format!(
                        "unknown facet `{facet}`; available: {}",
                        target.facet_names().join(", ")
                    ),
                ));
            }
            if !facets.iter().any(|f| f == facet) {
                facets.push(facet.to_owned());
            }
        }
    }
    Ok(facets)
}

/// Rust's white space (`char::is_whitespace`, what `trim` removes) as the
/// inside of a regular expression class; `\s` differs between dialects.
pub const WHITE_SPACE: &str =
    r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// A list of facet names of `target`, comma-separated, as one value.
fn facet_list_schema(target: Target) -> Object {
    let names = target.facet_names().join("|");
    let space = format!("[{WHITE_SPACE}]*");
    string_matching(format!(
        r"^{space}({names})?{space}(,{space}({names})?{space})*$"
    ))
}

/// A string, one of `values`.
fn string_among(values: &[&str]) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .build()
}

/// A string matching the regular expression `pattern`.
fn string_matching(pattern: String) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .build()
}

/// `facets` of an article search in a query string: the key repeated.
fn article_facets_parameter() -> Array {
    ArrayBuilder::new()
        .items(facet_list_schema(Target::Articles))
        .build()
}

/// `facets` of a quote search in a query string: the key repeated.
fn quote_facets_parameter() -> Array {
    ArrayBuilder::new()
        .items(facet_list_schema(Target::Quotes))
        .build()
}

/// `facets` of an article search in a JSON body: a list or an array of lists.
fn article_facets_schema() -> Schema {
    strings_of(facet_list_schema(Target::Articles))
}

/// `facets` of a quote search in a JSON body: a list or an array of lists.
fn quote_facets_schema() -> Schema {
    strings_of(facet_list_schema(Target::Quotes))
}

/// A string of `item`, or an array of them (as [`Strings`] reads).
fn strings_of(item: Object) -> Schema {
    OneOfBuilder::new()
        .item(item.clone())
        .item(ArrayBuilder::new().items(item))
        .build()
        .into()
}

/// `type` of `/v1/entities`: entity types, comma-separated, at least one.
fn entity_types_schema() -> Object {
    let kinds = EntityKind::ALL.map(EntityKind::as_str).join("|");
    let space = format!("[{WHITE_SPACE}]*");
    string_matching(format!(
        r"^({space},)*{space}({kinds}){space}(,{space}(({kinds}){space})?)*$"
    ))
}

/// The schema of `sort`: an order [`SortOrder::parse`] reads, or empty
/// (relevance).
fn sort_schema() -> Object {
    let mut values = vec![""];
    values.extend(SortOrder::ALL.map(SortOrder::as_str));
    string_among(&values)
}

/// The schema of `from` and `to`: a date, an RFC 3339 time, or empty (no
/// bound).
fn date_bound_schema() -> Schema {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    OneOfBuilder::new()
        .item(string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))))
        .item(string().format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))))
        .item(string().max_length(Some(0)))
        .build()
        .into()
}

/// `from` and `to` (inclusive; empty is no bound) as the start and the
/// exclusive end of a range of publication times; `from` after `to` is
/// refused.
fn date_range(from: &str, to: &str) -> Result<PublishedRange, ApiError> {
    let range = PublishedRange {
        from: date_bound("from", from, false)?,
        before: date_bound("to", to, true)?,
    };
    if let (Some(from), Some(before)) = (range.from, range.before) {
        if from >= before {
            return Err(ApiError::bad_parameter("`from` is after `to`"));
        }
    }
    Ok(range)
}

/// The value keyword parameter `name` takes for `given` (trimmed) among
/// `choices`, the empty word standing for the parameter left out; else a
/// bad parameter naming the words it takes (`copy or statement`).
fn one_of<T: Copy>(name: &str, given: &str, choices: &[(&'static str, T)]) -> Result<T, ApiError> {
    let given = given.trim();
    choices
        .iter()
        .find(|(word, _)| *word == given)
        .map(|&(_, value)| value)
        .ok_or_else(|| {
            let words: Vec<&str> = words_of(choices)
                .into_iter()
                .filter(|word| !word.is_empty())
                .collect();
            ApiError::bad_parameter(format!(
                "`{name}` must be {}, not `{}`",
                listed(&words),
                clip(given)
            ))
        })
}

/// The words a parameter takes as an error names them: `a`, `a or b`,
/// `a, b or c`.
pub(crate) fn listed(words: &[&str]) -> String {
    match words.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A date bound (`from`, or `to` when `inclusive_end`); empty is no bound.
/// `to` is inclusive: a bare date covers its whole day.
fn date_bound(
    name: &str,
    text: &str,
    inclusive_end: bool,
) -> Result<Option<OffsetDateTime>, ApiError> {
    if text.is_empty() {
        return Ok(None);
    }
    let time = parse_published(text).ok_or_else(|| {
        ApiError::bad_parameter(format!(
            "`{name}` must be a YYYY-MM-DD date or an RFC 3339 time, not `{}`",
            clip(text)
        ))
    })?;
    Ok(Some(match inclusive_end {
        false => time,
        true if text.trim().len() == 10 => time + time::Duration::DAY,
        true => time + time::Duration::SECOND,
    }))
}

/// A URL the server is to fetch or post to, as a request gives it. The
/// document states the shape of an absolute `http(s)` URL; the address is
/// checked when the request is handled ([`crate::fetch::Fetcher::check_url`]:
/// `fetch_invalid_url`, `fetch_unknown_host`, `fetch_address_not_allowed`).
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct FetchUrl(pub String);

impl PartialSchema for FetchUrl {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(8))
            .max_length(Some(2048))
            .pattern(Some(
                r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,4})?([/?#][A-Za-z0-9._~%!$&'()*+,;=:@/?#-]*)?$",
            ))
            .into()
    }
}

impl ToSchema for FetchUrl {}

/// Body of `POST /v1/articles/from-url`: a page to fetch and ingest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromUrlParams {
    /// The page: an absolute `http` or `https` URL.
    #[schema(inline)]
    pub url: FetchUrl,
    /// The source given to the article (default: the page's publisher).
    #[serde(default)]
    #[schema(max_length = 2048)]
    pub source: Option<String>,
}

/// Body of `POST /v1/feeds`: a feed to poll.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedParams {
    /// The feed (RSS 2.0, Atom 1.0 or JSON Feed): an absolute `http` or `https` URL.
    #[schema(inline)]
    pub url: FetchUrl,
    /// The source given to its articles (default: each page's publisher).
    #[serde(default)]
    #[schema(max_length = 2048)]
    pub source: Option<String>,
    /// Seconds between polls (default `feeds.default_interval_secs`, at
    /// least `feeds.min_interval_secs`, 60 by default). A whole number
    /// written with a fraction (`600.0`) is one.
    #[serde(default, deserialize_with = "whole_seconds")]
    #[schema(minimum = 60)]
    pub interval: Option<u64>,
}

/// Reads a number of seconds that JSON Schema calls an integer: `600` or
/// `600.0`, not `600.5` or a negative number.
fn whole_seconds<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else {
        return Ok(None);
    };
    number
        .as_u64()
        .or_else(|| {
            number
                .as_f64()
                .filter(|n| n.fract() == 0.0 && (0.0..u64::MAX as f64).contains(n))
                .map(|n| n as u64)
        })
        .map(Some)
        .ok_or_else(|| de::Error::custom(format!("`{number}` is not a whole number of seconds")))
}

/// Body of `POST /v1/quotes/verify`: a claimed quote.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyParams {
    /// The claimed words. Quotation marks, punctuation and case do not
    /// matter; at most `search.max_query_chars` characters (4096 by default).
    #[schema(
        min_length = 1,
        max_length = 4096,
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub text: String,
    /// Who is claimed to have said them: a canonical name or any alias.
    #[serde(default)]
    #[schema(max_length = 256)]
    pub speaker: Option<String>,
    /// Only quotes of articles published on or after this date.
    #[serde(default)]
    #[schema(schema_with = date_bound_schema)]
    pub from: String,
    /// Only quotes of articles published on or before this date (inclusive).
    #[serde(default)]
    #[schema(schema_with = date_bound_schema)]
    pub to: String,
    /// Matches to return (default 5, at most 50).
    #[serde(default)]
    #[schema(value_type = u32, minimum = 1, maximum = 50)]
    pub limit: Given<Count>,
}

/// Matches a verification returns by default.
pub const DEFAULT_VERIFY_LIMIT: usize = 5;
/// Most matches a verification returns.
pub const MAX_VERIFY_LIMIT: usize = 50;
/// Longest claimed speaker name, in characters.
pub const MAX_SPEAKER_CHARS: usize = 256;

impl VerifyParams {
    /// The validated claim: `text` not blank and not longer than
    /// `search.max_query_chars`, dates in order, `limit` in range.
    pub fn into_request(self, settings: &SearchSettings) -> Result<VerifyRequest, ApiError> {
        if self.text.trim().is_empty() {
            return Err(ApiError::bad_parameter("`text` is empty"));
        }
        if self.text.chars().count() > settings.max_query_chars {
            return Err(ApiError::new(
                ErrorCode::QueryTooLong,
                format!(
                    "`text` is longer than {} characters",
                    settings.max_query_chars
                ),
            ));
        }
        let speaker = self.speaker.map(|name| name.trim().to_owned());
        if speaker
            .as_ref()
            .is_some_and(|name| name.chars().count() > MAX_SPEAKER_CHARS)
        {
            return Err(ApiError::bad_parameter(format!(
                "`speaker` is longer than {MAX_SPEAKER_CHARS} characters"
            )));
        }
        let published = date_range(&self.from, &self.to)?;
        let limit = match self.limit {
            Given(None) => DEFAULT_VERIFY_LIMIT,
            Given(Some(limit)) => limit.within("limit", 1, MAX_VERIFY_LIMIT)?,
        };
        Ok(VerifyRequest {
            text: self.text,
            speaker: speaker.filter(|name| !name.is_empty()),
            published,
            limit,
        })
    }
}

/// What a catalog counts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CatalogTarget {
    /// Quotes.
    Quotes,
    /// Articles.
    Articles,
}

impl From<CatalogTarget> for Target {
    fn from(target: CatalogTarget) -> Target {
        match target {
            CatalogTarget::Quotes => Target::Quotes,
            CatalogTarget::Articles => Target::Articles,
        }
    }
}

/// Parameters of `GET /v1/speakers`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SpeakerCatalogParams {
    /// Only speakers whose canonical name or an alias starts with this (case- and
    /// accent-insensitive).
    pub prefix: String,
    /// Values to return (default 10).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 10000)]
    pub limit: Given<Count>,
    /// Count over `quotes` (default) or `articles`.
    #[param(inline, value_type = Option<CatalogTarget>)]
    pub target: Given<CatalogTarget>,
}

/// The width of a timeline's intervals, as `interval` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum IntervalParam {
    /// Calendar months (UTC).
    #[default]
    Month,
    /// ISO weeks, Monday to Sunday (UTC).
    Week,
    /// Days (UTC).
    Day,
}

impl From<IntervalParam> for Interval {
    fn from(interval: IntervalParam) -> Interval {
        match interval {
            IntervalParam::Month => Interval::Month,
            IntervalParam::Week => Interval::Week,
            IntervalParam::Day => Interval::Day,
        }
    }
}

/// Parameters of `GET /v1/speakers/{name}/timeline`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineParams {
    /// Interval width: `month` (default), `week` (ISO, from Monday) or `day`; UTC.
    #[param(inline, value_type = Option<IntervalParam>)]
    pub interval: Given<IntervalParam>,
    /// Only quotes of this topic or its children, e.g. `/world`; the split is then by
    /// its direct children (without it, by top-level topic).
    #[param(value_type = Option<String>, pattern = "^/", max_length = 256)]
    pub topic: Given<String>,
    /// Published on or after: `YYYY-MM-DD` or RFC 3339 (empty: no bound).
    #[param(schema_with = date_bound_schema)]
    pub from: String,
    /// Published on or before (inclusive; empty: no bound).
    #[param(schema_with = date_bound_schema)]
    pub to: String,
    /// Co-quoted speakers to return (default 10, 0 = none).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 100)]
    pub speakers_limit: Given<Count>,
}

/// Most co-quoted speakers a timeline returns.
pub const MAX_CO_QUOTED: usize = 100;
/// Co-quoted speakers a timeline returns by default.
pub const DEFAULT_CO_QUOTED: usize = 10;

impl TimelineParams {
    /// The validated timeline of `speaker` (the path's name).
    pub fn into_request(self, speaker: String) -> Result<TimelineRequest, ApiError> {
        let speaker = speaker.trim().to_owned();
        if speaker.is_empty() {
            return Err(ApiError::bad_parameter("the speaker name is empty"));
        }
        if speaker.chars().count() > MAX_SPEAKER_CHARS {
            return Err(ApiError::bad_parameter(format!(
                "the speaker name is longer than {MAX_SPEAKER_CHARS} characters"
            )));
        }
        let topics = match self.topic {
            Given(Some(topic)) if !topic.trim().starts_with('/') => {
                return Err(ApiError::bad_parameter(
                    "`topic` must be a topic path such as /world",
                ))
            }
            Given(Some(topic)) if topic.chars().count() > 256 => {
                return Err(ApiError::bad_parameter(
                    "`topic` is longer than 256 characters",
                ))
            }
            Given(Some(topic)) => vec![topic.trim().to_owned()],
            Given(None) => Vec::new(),
        };
        let published = date_range(&self.from, &self.to)?;
        let co_quoted_limit = match self.speakers_limit {
            Given(None) => DEFAULT_CO_QUOTED,
            Given(Some(limit)) => limit.within("speakers_limit", 0, MAX_CO_QUOTED)?,
        };
        Ok(TimelineRequest {
            speaker,
            interval: self.interval.0.unwrap_or_default().into(),
            topics,
            published,
            co_quoted_limit,
        })
    }
}

/// Parameters of `GET /v1/topics`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TopicCatalogParams {
    /// Only topics starting with this (case- and accent-insensitive).
    pub prefix: String,
    /// Only the direct children of this path, e.g. `/world`.
    #[param(value_type = Option<String>, pattern = "^/")]
    pub parent: Given<String>,
    /// Values to return (default 10).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 10000)]
    pub limit: Given<Count>,
    /// Count over `articles` (default) or `quotes`.
    #[param(inline, value_type = Option<CatalogTarget>)]
    pub target: Given<CatalogTarget>,
}

/// Parameters of `GET /v1/entities`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EntityCatalogParams {
    /// `person`, `place` or `org`, or several comma-separated (default: all three).
    #[param(schema_with = entity_types_schema)]
    pub r#type: Given<String>,
    /// Only names starting with this (case- and accent-insensitive).
    pub prefix: String,
    /// Values to return (default 10).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 10000)]
    pub limit: Given<Count>,
    /// Count over `articles` (default) or `quotes` (entities named inside quotes).
    #[param(inline, value_type = Option<CatalogTarget>)]
    pub target: Given<CatalogTarget>,
}

impl EntityCatalogParams {
    /// The entity types asked for (all three when none is).
    pub fn kinds(&self) -> Result<Vec<EntityKind>, ApiError> {
        let Given(Some(types)) = &self.r#type else {
            return Ok(EntityKind::ALL.to_vec());
        };
        let kinds = types
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                EntityKind::named(name).ok_or_else(|| {
                    ApiError::bad_parameter(format!(
                        "`type` must be {}, not `{}`",
                        listed(&EntityKind::ALL.map(EntityKind::as_str)),
                        clip(name)
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if kinds.is_empty() {
            return Err(ApiError::bad_parameter(format!(
                "`type` must be {}",
                listed(&EntityKind::ALL.map(EntityKind::as_str))
            )));
        }
        Ok(kinds)
    }
}

/// The number of catalog values to return: `limit` within the settings, or
/// their default.
pub fn catalog_limit(
    Given(limit): Given<Count>,
    settings: &SearchSettings,
) -> Result<usize, ApiError> {
    limit.map_or(Ok(settings.default_facet_limit), |limit| {
        limit.within("limit", 1, settings.max_facet_limit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn articles(query: &str) -> Result<SearchRequest, ApiError> {
        from_query_string::<ArticleSearchParams>(query)?.into_request(&Settings::built_in().search)
    }

    fn quotes(query: &str) -> Result<SearchRequest, ApiError> {
        from_query_string::<QuoteSearchParams>(query)?.into_request(&Settings::built_in().search)
    }

    #[test]
    fn reads_repeated_filters_and_facet_lists() {
        let parsed = quotes(
            "q=taiwan&speaker=Wang%20Yi&speaker=Blinken&topic=/world&facets=speaker,topic&facets=month&limit=5",
        )
        .unwrap();
        assert_eq!(parsed.query, "taiwan");
        assert_eq!(
            parsed.filters,
            vec![
                (
                    "speaker".to_owned(),
                    vec!["Wang Yi".to_owned(), "Blinken".to_owned()]
                ),
                ("topic".to_owned(), vec!["/world".to_owned()])
            ]
        );
        assert_eq!(parsed.facets, ["speaker", "topic", "month"]);
        assert_eq!(parsed.limit, 5);
    }

    /// Each struct reads exactly the filters the engine knows for its target.
    #[test]
    fn every_filter_of_the_engine_is_a_parameter() {
        for name in Target::Articles.filter_names() {
            let parsed = articles(&format!("{name}=x")).unwrap();
            assert_eq!(parsed.filters, [(name.to_string(), vec!["x".to_owned()])]);
        }
        for name in Target::Quotes.filter_names() {
            let parsed = quotes(&format!("{name}=x")).unwrap();
            assert_eq!(parsed.filters, [(name.to_string(), vec!["x".to_owned()])]);
            let export: ExportParams = from_query_string(&format!("{name}=x")).unwrap();
            let parsed = export.into_request(&Settings::built_in().search).unwrap();
            assert_eq!(parsed.filters, [(name.to_string(), vec!["x".to_owned()])]);
        }
    }

    #[test]
    fn rejects_bad_parameters_with_codes() {
        let cases = [
            ("limit=-1", ErrorCode::InvalidParameter),
            ("limit=1001", ErrorCode::InvalidParameter),
            ("limit=ten", ErrorCode::InvalidParameter),
            ("facets=colour", ErrorCode::UnknownFacet),
            ("facets=role", ErrorCode::UnknownFacet),
            ("colour=red", ErrorCode::UnknownParameter),
            ("role=x", ErrorCode::UnknownParameter),
            ("min_confidence=0.5", ErrorCode::UnknownParameter),
            ("sort=oldest", ErrorCode::InvalidParameter),
            ("from=yesterday", ErrorCode::InvalidParameter),
            ("from=2024-05-01&to=2024-04-01", ErrorCode::InvalidParameter),
            ("q=a&q=b", ErrorCode::InvalidParameter),
            ("cursor=abc&offset=10", ErrorCode::InvalidParameter),
        ];
        for (query, code) in cases {
            match articles(query) {
                Err(error) => assert_eq!(error.code, code, "{query}: {}", error.message),
                Ok(_) => panic!("{query} was accepted"),
            }
        }
        assert!(quotes("role=Minister").is_ok());
        let error = articles("q=a&q=b").unwrap_err();
        assert_eq!(error.message, "`q` is given more than once");
        let error = articles("colour=red").unwrap_err();
        assert_eq!(unknown_parameter(&error), Some("colour"));
    }

    #[test]
    fn keyword_parameters_name_the_words_they_take() {
        let error = quotes("group=sideways").unwrap_err();
        assert_eq!(
            error.message,
            "`group` must be copy or statement, not `sideways`"
        );
        let error = quotes("count=%20lots%20").unwrap_err();
        assert_eq!(
            error.message,
            "`count` must be copies or statements, not `lots`"
        );
        let error = articles("sort=sideways").unwrap_err();
        assert_eq!(
            error.message,
            "`sort` must be relevance, published or -published, not `sideways`"
        );
        let entities = |query: &str| {
            from_query_string::<EntityCatalogParams>(query)
                .unwrap()
                .kinds()
                .unwrap_err()
                .message
        };
        assert_eq!(
            entities("type=person,planet"),
            "`type` must be person, place or org, not `planet`"
        );
        assert_eq!(entities("type=,"), "`type` must be person, place or org");
        let parsed = quotes("group=%20statement&count=statements").unwrap();
        assert_eq!(parsed.group, Grouping::Statements);
        assert_eq!(parsed.count, CountUnit::Statements);
        let parsed = quotes("group=&count=").unwrap();
        assert_eq!(parsed.group, Grouping::Copies);
        assert_eq!(parsed.count, CountUnit::Copies);
    }

    #[test]
    fn query_strings_must_decode_to_utf8() {
        assert_eq!(
            articles("q=%FF%FE").unwrap_err().code,
            ErrorCode::InvalidParameter
        );
        assert_eq!(
            articles("q=caf%C3%A9+au+lait").unwrap().query,
            "café au lait"
        );
    }

    #[test]
    fn to_dates_are_inclusive_and_empty_dates_no_bound() {
        let parsed = articles("from=2024-04-01&to=2024-04-30").unwrap();
        assert_eq!(
            parsed.published.before.unwrap().date().to_string(),
            "2024-05-01"
        );
        let parsed = articles("from=&to=").unwrap();
        assert!(parsed.published.is_unbounded());
    }

    #[test]
    fn json_bodies_take_typed_values() {
        let settings = &Settings::built_in().search;
        let body = br#"{"q": "x", "speaker": ["A", "B"], "limit": 3, "facets": ["topic"]}"#;
        let parsed = from_json_body::<QuoteSearchParams>(body)
            .unwrap()
            .into_request(settings)
            .unwrap();
        assert_eq!(parsed.limit, 3);
        assert_eq!(parsed.filters[0].1, ["A", "B"]);
        let parsed = from_json_body::<QuoteSearchParams>(br#"{"limit": "4"}"#)
            .unwrap()
            .into_request(settings)
            .unwrap();
        assert_eq!(parsed.limit, 4);
        let many = from_json_body::<QuoteSearchParams>(br#"{"limit": "many"}"#).unwrap();
        assert!(many.into_request(settings).is_err());
        let cases: [(&[u8], ErrorCode); 5] = [
            (b"[1]", ErrorCode::InvalidParameter),
            (br#"["q"]"#, ErrorCode::InvalidParameter),
            (b"{", ErrorCode::MalformedJson),
            (br#"{"speaker": [1]}"#, ErrorCode::InvalidParameter),
            (br#"{"colour": 1}"#, ErrorCode::UnknownParameter),
        ];
        for (body, code) in cases {
            assert_eq!(
                from_json_body::<QuoteSearchParams>(body).unwrap_err().code,
                code,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn verify_bodies_are_checked() {
        let settings = &Settings::built_in().search;
        let verify = |body: &str| {
            from_json_body::<VerifyParams>(body.as_bytes())
                .and_then(|params| params.into_request(settings))
        };
        let parsed =
            verify(r#"{"text": "We are ready", "speaker": " Wang Yi ", "from": "2024-01-01"}"#)
                .unwrap();
        assert_eq!(parsed.speaker.as_deref(), Some("Wang Yi"));
        assert_eq!(parsed.limit, DEFAULT_VERIFY_LIMIT);
        assert!(parsed.published.from.is_some() && parsed.published.before.is_none());
        let long = format!(
            r#"{{"text": "{}"}}"#,
            "a".repeat(settings.max_query_chars + 1)
        );
        let cases = [
            (r#"{}"#, ErrorCode::InvalidParameter),
            (r#"{"text": ""}"#, ErrorCode::InvalidParameter),
            (r#"{"text": "  \n "}"#, ErrorCode::InvalidParameter),
            (r#"{"text": 5}"#, ErrorCode::InvalidParameter),
            (
                r#"{"text": "x", "speaker": ["A"]}"#,
                ErrorCode::InvalidParameter,
            ),
            (r#"{"text": "x", "limit": 0}"#, ErrorCode::InvalidParameter),
            (r#"{"text": "x", "limit": 51}"#, ErrorCode::InvalidParameter),
            (
                r#"{"text": "x", "from": "2024-05-01", "to": "2024-04-01"}"#,
                ErrorCode::InvalidParameter,
            ),
            (
                r#"{"text": "x", "from": "soon"}"#,
                ErrorCode::InvalidParameter,
            ),
            (r#"{"text": "x", "q": "y"}"#, ErrorCode::UnknownParameter),
            (r#"["x"]"#, ErrorCode::InvalidParameter),
            (r#"{"text": "x""#, ErrorCode::MalformedJson),
            (long.as_str(), ErrorCode::QueryTooLong),
        ];
        for (body, code) in cases {
            let shown: String = body.chars().take(60).collect();
            assert_eq!(verify(body).unwrap_err().code, code, "{shown}");
        }
    }

    #[test]
    fn catalog_parameters() {
        let params: EntityCatalogParams =
            from_query_string("type=person,org&target=quotes").unwrap();
        assert_eq!(
            params.kinds().unwrap(),
            [EntityKind::Person, EntityKind::Organization]
        );
        assert_eq!(params.target, Given(Some(CatalogTarget::Quotes)));
        let error = from_query_string::<SpeakerCatalogParams>("target=both").unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidParameter);
        let error = from_query_string::<SpeakerCatalogParams>("parent=/world").unwrap_err();
        assert_eq!(error.code, ErrorCode::UnknownParameter);
    }
}
