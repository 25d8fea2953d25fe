//! The OpenAPI 3.1 description of the HTTP API, generated from the code with
//! `utoipa`: every handler carries a `#[utoipa::path]` attribute next to it,
//! and the wire types derive `ToSchema` from their serde shape. Query
//! parameters are parsed by hand (`dto`), so they are described here by
//! parameter structs that exist only for the description; a unit test checks
//! they name exactly what the parser accepts.
//!
//! A unit test below holds the document's paths and methods to the route
//! table (`routes::ROUTES`); `tests/it/openapi.rs` checks the served document
//! the same way and that real responses validate against the schemas.

use std::sync::OnceLock;

use utoipa::{IntoParams, OpenApi, ToSchema};

use super::routes;
use super::routes::table::{Access, Verb};

/// Query parameters of `GET /v1/search` (and fields of its `POST` body).
#[derive(Debug, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ArticleSearchParams {
    /// The query: words (all must match), "exact phrases", prefix*, AND / OR / NOT
    /// (or + / -), parentheses, and fields (`title:`, `body:`, `keyphrase:`, `speaker:`,
    /// `person:`, `place:`, `org:`, `source:`, `topic:`, `language:`, `month:`). Empty
    /// matches everything.
    q: Option<String>,
    /// Only articles quoting these speakers (repeatable; values are OR'ed, filters AND'ed).
    speaker: Option<Vec<String>>,
    /// Only these topics or their children, e.g. `/world/asia-pacific` (repeatable).
    topic: Option<Vec<String>>,
    /// Only these sources (repeatable).
    source: Option<Vec<String>>,
    /// Only these languages, ISO 639-1 (repeatable).
    language: Option<Vec<String>>,
    /// Only these months, `YYYY-MM` (repeatable).
    month: Option<Vec<String>>,
    /// Only documents naming these people (canonical names; repeatable).
    person: Option<Vec<String>>,
    /// Only documents naming these places (repeatable).
    place: Option<Vec<String>>,
    /// Only documents naming these organisations (repeatable).
    org: Option<Vec<String>>,
    /// Published on or after: `YYYY-MM-DD` or RFC 3339.
    from: Option<String>,
    /// Published on or before (inclusive): `YYYY-MM-DD` or RFC 3339.
    to: Option<String>,
    /// Facets to count, comma-separated: speaker, topic, source, month, language, person,
    /// place, org.
    facets: Option<String>,
    /// Values returned per facet (default 10).
    #[param(minimum = 1, maximum = 10000)]
    #[schema(minimum = 1, maximum = 10000)]
    facet_limit: Option<u32>,
    /// `relevance` (default), `published` (oldest first) or `-published` (newest first).
    sort: Option<String>,
    /// Hits per page (default 10, 0 = counts only).
    #[param(minimum = 0, maximum = 1000)]
    #[schema(minimum = 0, maximum = 1000)]
    limit: Option<u32>,
    /// Hits to skip (offset + limit at most 10000; page deeper with `cursor`).
    #[param(minimum = 0)]
    #[schema(minimum = 0)]
    offset: Option<u32>,
    /// `next_cursor` of the previous page (same sort).
    cursor: Option<String>,
}

/// Query parameters of `GET /v1/quotes` (and fields of its `POST` body).
#[derive(Debug, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct QuoteSearchParams {
    /// The query: words, "exact phrases", prefix*, AND / OR / NOT, parentheses, and
    /// fields (`quote:`, `speaker:`, `role:`, `kind:`, `person:`, `place:`, `org:`,
    /// `source:`, `topic:`, `language:`, `month:`). Empty matches every quote.
    q: Option<String>,
    /// Only these speakers (repeatable; values are OR'ed, filters AND'ed; case-insensitive).
    speaker: Option<Vec<String>>,
    /// Only these topics or their children (repeatable).
    topic: Option<Vec<String>>,
    /// Only these sources (repeatable).
    source: Option<Vec<String>>,
    /// Only these languages (repeatable).
    language: Option<Vec<String>>,
    /// Only these months, `YYYY-MM` (repeatable).
    month: Option<Vec<String>>,
    /// Only documents naming these people (canonical names; repeatable).
    person: Option<Vec<String>>,
    /// Only documents naming these places (repeatable).
    place: Option<Vec<String>>,
    /// Only documents naming these organisations (repeatable).
    org: Option<Vec<String>>,
    /// Only speakers with these roles (repeatable).
    role: Option<Vec<String>>,
    /// Only these kinds: direct, partial, indirect, term (repeatable).
    kind: Option<Vec<String>>,
    /// Only quotes whose source is of these kinds: person, organization,
    /// government, anonymous, unknown (repeatable).
    speaker_kind: Option<Vec<String>>,
    /// Only quotes whose extraction `confidence` is at least this (0 to 1; the
    /// confidence is the precision measured for quotes with the same evidence).
    #[param(minimum = 0, maximum = 1)]
    #[schema(minimum = 0, maximum = 1)]
    min_confidence: Option<f64>,
    /// Published on or after: `YYYY-MM-DD` or RFC 3339.
    from: Option<String>,
    /// Published on or before (inclusive).
    to: Option<String>,
    /// Facets to count, comma-separated: speaker, topic, source, month, language, role, kind,
    /// speaker_kind, person, place, org.
    facets: Option<String>,
    /// Values returned per facet (default 10).
    #[param(minimum = 1, maximum = 10000)]
    #[schema(minimum = 1, maximum = 10000)]
    facet_limit: Option<u32>,
    /// `relevance` (default), `published` or `-published`.
    sort: Option<String>,
    /// Hits per page (default 10, 0 = counts only).
    #[param(minimum = 0, maximum = 1000)]
    #[schema(minimum = 0, maximum = 1000)]
    limit: Option<u32>,
    /// Hits to skip.
    #[param(minimum = 0)]
    #[schema(minimum = 0)]
    offset: Option<u32>,
    /// `next_cursor` of the previous page (same sort).
    cursor: Option<String>,
}

/// Query parameters of `GET /v1/quotes/export`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ExportParams {
    /// `ndjson` (default) or `csv`.
    format: Option<String>,
    /// The query, as for `/v1/quotes`.
    q: Option<String>,
    /// Only these speakers (repeatable).
    speaker: Option<Vec<String>>,
    /// Only these topics or their children (repeatable).
    topic: Option<Vec<String>>,
    /// Only these sources (repeatable).
    source: Option<Vec<String>>,
    /// Only these languages (repeatable).
    language: Option<Vec<String>>,
    /// Only these months (repeatable).
    month: Option<Vec<String>>,
    /// Only documents naming these people (canonical names; repeatable).
    person: Option<Vec<String>>,
    /// Only documents naming these places (repeatable).
    place: Option<Vec<String>>,
    /// Only documents naming these organisations (repeatable).
    org: Option<Vec<String>>,
    /// Only these roles (repeatable).
    role: Option<Vec<String>>,
    /// Only these kinds (repeatable).
    kind: Option<Vec<String>>,
    /// Only these source kinds (repeatable).
    speaker_kind: Option<Vec<String>>,
    /// Only quotes whose extraction confidence is at least this (0 to 1).
    #[param(minimum = 0, maximum = 1)]
    min_confidence: Option<f64>,
    /// Published on or after.
    from: Option<String>,
    /// Published on or before (inclusive).
    to: Option<String>,
}

/// Query parameters of the catalogs (`/v1/speakers`, `/v1/topics`).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CatalogQueryParams {
    /// Only values starting with this (case- and accent-insensitive).
    prefix: Option<String>,
    /// Topics only: the direct children of this path, e.g. `/world`.
    parent: Option<String>,
    /// Values to return (default 10).
    #[param(minimum = 1, maximum = 10000)]
    limit: Option<u32>,
    /// Count over `quotes` or `articles` (speakers default to quotes, topics to articles).
    target: Option<String>,
}

/// Query parameters of `/v1/entities`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct EntityCatalogQueryParams {
    /// `person`, `place` or `org`, or several comma-separated (default: all three).
    r#type: Option<String>,
    /// Only names starting with this (case- and accent-insensitive).
    prefix: Option<String>,
    /// Values to return (default 10).
    #[param(minimum = 1, maximum = 10000)]
    limit: Option<u32>,
    /// Count over `articles` (default) or `quotes` (entities named inside quotes).
    target: Option<String>,
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Verbatim",
        description = "A search server for news that answers who said what: articles in, \
                       quotes with their speakers, topics and sources out, with exact facet counts.",
        license(name = "Apache-2.0")
    ),
    paths(
        routes::health::health,
        routes::health::stats,
        routes::articles::create_articles,
        routes::articles::bulk_articles,
        routes::articles::get_article,
        routes::articles::delete_article,
        routes::search::search_articles_get,
        routes::search::search_articles_post,
        routes::search::search_quotes_get,
        routes::search::search_quotes_post,
        routes::export::export_quotes,
        routes::catalog::speakers,
        routes::catalog::topics,
        routes::catalog::entities,
        routes::observability::openapi,
        routes::observability::metrics,
        routes::articles::elasticsearch_bulk,
        routes::articles::elasticsearch_bulk_for_index,
        routes::ui::search_page,
        routes::ui::docs_page,
        routes::ui::asset,
        routes::admin::create_snapshot,
    ),
    tags(
        (name = "search", description = "Quotes and articles, with facets and paging"),
        (name = "articles", description = "Adding, reading and removing articles"),
        (name = "catalog", description = "Speakers, topics and entities with counts"),
        (name = "operations", description = "Health, statistics, metrics and this description"),
        (name = "compatibility", description = "Endpoints other tools already speak"),
        (name = "pages", description = "The search page and these docs"),
    )
)]
pub struct ApiDoc;

/// The description as JSON, built once.
pub fn openapi_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut document = ApiDoc::openapi();
        document.info.version = env!("CARGO_PKG_VERSION").to_owned();
        describe_keys(&mut document);
        document
            .to_json()
            .expect("the OpenAPI description serialises")
    })
}

/// Security scheme of the admin key.
const ADMIN_KEY: &str = "admin_key";
/// Security scheme of the search key.
const SEARCH_KEY: &str = "search_key";

/// Adds the two keys as bearer schemes and, from the route table, which key
/// each operation needs (none for open ones).
fn describe_keys(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::{
        HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
    };
    let scheme = |description: &str| {
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(description))
                .build(),
        )
    };
    let components = document.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        ADMIN_KEY,
        scheme(
            "`VERBATIM_ADMIN_KEY`: writes, deletes, `/v1/admin/...`, and reads. A server \
             started without keys needs none (it listens on loopback only).",
        ),
    );
    components.add_security_scheme(
        SEARCH_KEY,
        scheme("`VERBATIM_SEARCH_KEY`: reads only (`GET`s and `POST` searches)."),
    );
    for route in routes::ROUTES {
        let Some(item) = document.paths.paths.get_mut(route.path) else {
            continue;
        };
        for endpoint in route.endpoints {
            let operation = match endpoint.verb {
                Verb::Get => item.get.as_mut(),
                Verb::Post => item.post.as_mut(),
                Verb::Delete => item.delete.as_mut(),
            };
            let Some(operation) = operation else {
                continue;
            };
            let keys: &[&str] = match endpoint.access {
                Access::Open => &[],
                Access::Read => &[SEARCH_KEY, ADMIN_KEY],
                Access::Admin => &[ADMIN_KEY],
            };
            operation.security = Some(
                keys.iter()
                    .map(|key| SecurityRequirement::new(*key, Vec::<String>::new()))
                    .collect(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::search::Target;

    fn parameter_names(spec: &Value, path: &str, method: &str) -> BTreeSet<String> {
        spec["paths"][path][method]["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("no parameters for {method} {path}"))
            .iter()
            .map(|parameter| parameter["name"].as_str().unwrap().to_owned())
            .collect()
    }

    fn accepted(target: Target) -> BTreeSet<String> {
        crate::http::dto::search_parameter_names(target)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn documented_paths_and_methods_are_those_of_the_route_table() {
        let spec: Value = serde_json::from_str(openapi_json()).unwrap();
        let documented: BTreeSet<(String, String)> = spec["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .map(move |method| (path.clone(), method.to_ascii_uppercase()))
            })
            .collect();
        let table: BTreeSet<(String, String)> = routes::ROUTES
            .iter()
            .flat_map(|route| {
                route
                    .endpoints
                    .iter()
                    .map(|endpoint| (route.path.to_owned(), endpoint.verb.as_str().to_owned()))
            })
            .collect();
        assert_eq!(documented, table);
    }

    #[test]
    fn each_operation_names_the_keys_the_route_table_asks_for() {
        let spec: Value = serde_json::from_str(openapi_json()).unwrap();
        let schemes = &spec["components"]["securitySchemes"];
        assert_eq!(schemes[ADMIN_KEY]["scheme"], "bearer");
        assert_eq!(schemes[SEARCH_KEY]["scheme"], "bearer");
        let keys = |path: &str, method: &str| -> Vec<String> {
            spec["paths"][path][method]["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} has no security"))
                .iter()
                .flat_map(|requirement| requirement.as_object().unwrap().keys().cloned())
                .collect()
        };
        assert!(keys("/health", "get").is_empty());
        assert_eq!(keys("/v1/search", "post"), [SEARCH_KEY, ADMIN_KEY]);
        assert_eq!(keys("/v1/articles/{id}", "get"), [SEARCH_KEY, ADMIN_KEY]);
        assert_eq!(keys("/v1/articles/{id}", "delete"), [ADMIN_KEY]);
        assert_eq!(keys("/v1/admin/snapshot", "post"), [ADMIN_KEY]);
    }

    #[test]
    fn documented_search_parameters_are_those_the_parser_accepts() {
        let spec: Value = serde_json::from_str(openapi_json()).unwrap();
        assert_eq!(spec["openapi"], "3.1.0");
        assert_eq!(
            parameter_names(&spec, "/v1/search", "get"),
            accepted(Target::Articles)
        );
        assert_eq!(
            parameter_names(&spec, "/v1/quotes", "get"),
            accepted(Target::Quotes)
        );
        let mut export = accepted(Target::Quotes);
        for paging in ["facets", "facet_limit", "sort", "limit", "offset", "cursor"] {
            export.remove(paging);
        }
        export.insert("format".to_owned());
        assert_eq!(parameter_names(&spec, "/v1/quotes/export", "get"), export);
    }
}
