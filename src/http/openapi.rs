//! The OpenAPI 3.1 description of the HTTP API, generated from the code with
//! `utoipa`: every handler carries a `#[utoipa::path]` attribute next to it,
//! the wire types derive `ToSchema` from their serde shape, and the request
//! parameters are described by the same structs that read them (`params`).
//!
//! A unit test below holds the document's paths and methods to the route
//! table (`routes::ROUTES`); `tests/it/openapi.rs` checks the served document
//! the same way and that real responses validate against the schemas.

use std::sync::OnceLock;

use utoipa::OpenApi;

use super::routes;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{
    AllOfBuilder, AnyOfBuilder, ArrayBuilder, ObjectBuilder, OneOfBuilder, SchemaType, Type,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, Response, ResponseBuilder};

use super::routes::table::{Access, Body, Verb};

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
        routes::live::create_from_url,
        routes::live::add_feed,
        routes::live::list_feeds,
        routes::live::get_feed,
        routes::live::delete_feed,
        routes::alerts::create_alert,
        routes::alerts::list_alerts,
        routes::alerts::get_alert,
        routes::alerts::delete_alert,
        routes::alerts::alert_deliveries,
        routes::alerts::alert_events,
        routes::articles::delete_article,
        routes::search::search_articles_get,
        routes::search::search_articles_post,
        routes::search::search_quotes_get,
        routes::search::search_quotes_post,
        routes::export::export_quotes,
        routes::verify::verify_quote,
        routes::catalog::speakers,
        routes::timeline::speaker_timeline_route,
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
        (name = "feeds", description = "Feeds polled for new articles"),
        (name = "alerts", description = "Saved searches that push new matching quotes"),
        (name = "catalog", description = "Speakers, topics and entities with counts"),
        (name = "operations", description = "Health, statistics, metrics and this description"),
        (name = "compatibility", description = "Endpoints other tools already speak"),
        (name = "pages", description = "The search page and these docs"),
    )
)]
pub struct ApiDoc;

/// The description as JSON, built once for each way a server runs: with API
/// keys (each operation names the keys it takes) or without (nothing needs a
/// key, so no operation names one).
pub fn openapi_json(keys_required: bool) -> &'static str {
    static WITH_KEYS: OnceLock<String> = OnceLock::new();
    static WITHOUT_KEYS: OnceLock<String> = OnceLock::new();
    let json = if keys_required {
        &WITH_KEYS
    } else {
        &WITHOUT_KEYS
    };
    json.get_or_init(|| {
        let mut document = ApiDoc::openapi();
        document.info.version = env!("CARGO_PKG_VERSION").to_owned();
        describe_from_route_table(&mut document, keys_required);
        describe_article_bodies(&mut document);
        document
            .to_json()
            .expect("the OpenAPI description serialises")
    })
}

/// Security scheme of the admin key.
const ADMIN_KEY: &str = "admin_key";
/// Security scheme of the search key.
const SEARCH_KEY: &str = "search_key";

/// What the route table says of each operation: which key it needs (when
/// the server has keys, with the 401 and 403 answers) and how its body is
/// read: its 413 and 415 answers, an optional JSON body is not required, and
/// a bulk body is NDJSON whose bad lines are reported in the answer, so any
/// body is a valid request.
fn describe_from_route_table(document: &mut utoipa::openapi::OpenApi, keys_required: bool) {
    if keys_required {
        add_key_schemes(document);
    }
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
            if keys_required {
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
                let refusals: &[(&str, &str)] = match endpoint.access {
                    Access::Open => &[],
                    Access::Read => &[("401", "No or invalid API key")],
                    Access::Admin => &[
                        ("401", "No or invalid API key"),
                        ("403", "The search key, where the admin key is needed"),
                    ],
                };
                add_error_responses(operation, refusals);
            }
            let body_refusals: &[(&str, &str)] = match endpoint.body {
                Body::Empty => &[],
                Body::Json | Body::OptionalJson => {
                    &[("413", "Body too large"), ("415", "Not JSON")]
                }
                Body::Bulk | Body::ElasticsearchBulk => {
                    &[("413", "Body too large"), ("415", "Not NDJSON")]
                }
            };
            add_error_responses(operation, body_refusals);
            let Some(body) = operation.request_body.as_mut() else {
                continue;
            };
            match endpoint.body {
                Body::OptionalJson => body.required = Some(Required::False),
                Body::Bulk | Body::ElasticsearchBulk => {
                    for content in body.content.values_mut() {
                        content.schema = Some(
                            ObjectBuilder::new()
                                .schema_type(SchemaType::AnyValue)
                                .into(),
                        );
                    }
                }
                Body::Empty | Body::Json => {}
            }
        }
    }
}

/// What `ArticleInput`'s fields cannot say alone: an article's title and body
/// are not both blank, and `POST /v1/articles` takes one article or a
/// non-empty array of them.
fn describe_article_bodies(document: &mut utoipa::openapi::OpenApi) {
    let input = Ref::from_schema_name("ArticleInput");
    if let Some(components) = document.components.as_mut() {
        if let Some(fields) = components.schemas.remove("ArticleInput") {
            let not_blank = |field: &str| {
                ObjectBuilder::new().property(
                    field,
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .pattern(Some(r"\S")),
                )
            };
            let article = AllOfBuilder::new().item(fields).item(
                AnyOfBuilder::new()
                    .item(not_blank("title"))
                    .item(not_blank("body")),
            );
            components
                .schemas
                .insert("ArticleInput".to_owned(), article.into());
        }
    }
    let body = document
        .paths
        .paths
        .get_mut("/v1/articles")
        .and_then(|item| item.post.as_mut())
        .and_then(|operation| operation.request_body.as_mut());
    if let Some(body) = body {
        for content in body.content.values_mut() {
            content.schema = Some(
                OneOfBuilder::new()
                    .item(input.clone())
                    .item(ArrayBuilder::new().items(input.clone()).min_items(Some(1)))
                    .into(),
            );
        }
    }
}

/// Documents each `(status, description)` error answer the operation does not
/// describe itself.
fn add_error_responses(operation: &mut Operation, answers: &[(&str, &str)]) {
    for (status, description) in answers {
        operation
            .responses
            .responses
            .entry((*status).to_owned())
            .or_insert_with(|| error_response(description));
    }
}

/// A response with an error body.
fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorResponse")))
                .build(),
        )
        .into()
}

/// Adds the two keys as bearer schemes.
fn add_key_schemes(document: &mut utoipa::openapi::OpenApi) {
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
        scheme("`VERBATIM_ADMIN_KEY`: writes, deletes, `/v1/admin/...`, and reads."),
    );
    components.add_security_scheme(
        SEARCH_KEY,
        scheme("`VERBATIM_SEARCH_KEY`: reads only (`GET`s and `POST` searches)."),
    );
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;

    #[test]
    fn documented_paths_and_methods_are_those_of_the_route_table() {
        let spec: Value = serde_json::from_str(openapi_json(true)).unwrap();
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
        let spec: Value = serde_json::from_str(openapi_json(true)).unwrap();
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
}
