//! The route table: every path the server answers, each method's handler and
//! what stands around it (the key it needs, the body it reads, whether the
//! in-flight limit may refuse it), in [`ROUTES`]. [`configure`] registers it,
//! the guards and handlers look requests up in it ([`route_table`]), and the
//! OpenAPI document is checked against it. One module per resource holds the
//! handlers; [`table`] the vocabulary.

pub(crate) mod admin;
pub(crate) mod alerts;
pub(crate) mod articles;
pub(crate) mod catalog;
pub(crate) mod export;
pub(crate) mod health;
pub(crate) mod live;
pub(crate) mod observability;
pub(crate) mod search;
pub mod table;
pub(crate) mod timeline;
pub(crate) mod ui;
pub(crate) mod verify;

use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

use self::table::Access::{Admin, Open, Read};
use self::table::Body::{Bulk, ElasticsearchBulk, Json, OptionalJson};
use self::table::{delete, get, post, route, Route, RouteEntry, RouteTable};
use super::error::{ApiError, ErrorCode};

/// A table cell that registers `handler` on an actix route.
macro_rules! to {
    ($handler:path) => {
        |route: actix_web::Route| route.to($handler)
    };
}

/// Every route, in matching order: the first pattern that matches wins, as in
/// actix, so `/v1/articles/bulk` comes before `/v1/articles/{id}` and the
/// bulk routes before `/assets/{file}`.
#[rustfmt::skip]
pub static ROUTES: &[Route] = &[
    route("/health",            &[get(to!(health::health), Open).always_admitted()]),
    route("/v1/stats",          &[get(to!(health::stats), Read)]),
    route("/v1/articles",       &[post(to!(articles::create_articles), Admin, Json)]),
    route("/v1/articles/bulk",  &[post(to!(articles::bulk_articles), Admin, Bulk)]),
    route("/v1/articles/from-url", &[post(to!(live::create_from_url), Admin, Json)]),
    route("/v1/feeds",          &[get(to!(live::list_feeds), Read),
                                  post(to!(live::add_feed), Admin, Json)]),
    route("/v1/feeds/{id}",     &[get(to!(live::get_feed), Read),
                                  delete(to!(live::delete_feed), Admin)]),
    route("/v1/alerts",         &[get(to!(alerts::list_alerts), Admin),
                                  post(to!(alerts::create_alert), Admin, Json)]),
    route("/v1/alerts/{id}",    &[get(to!(alerts::get_alert), Admin),
                                  delete(to!(alerts::delete_alert), Admin)]),
    route("/v1/alerts/{id}/deliveries", &[get(to!(alerts::alert_deliveries), Admin)]),
    route("/v1/alerts/{id}/events", &[get(to!(alerts::alert_events), Read)]),
    route("/v1/articles/{id}",  &[get(to!(articles::get_article), Read),
                                  delete(to!(articles::delete_article), Admin)]),
    route("/v1/search",         &[get(to!(search::search_articles_get), Read),
                                  post(to!(search::search_articles_post), Read, OptionalJson)]),
    route("/v1/quotes/export",  &[get(to!(export::export_quotes), Read)]),
    route("/v1/quotes/verify",  &[post(to!(verify::verify_quote), Read, Json)]),
    route("/v1/quotes",         &[get(to!(search::search_quotes_get), Read),
                                  post(to!(search::search_quotes_post), Read, OptionalJson)]),
    route("/v1/speakers",       &[get(to!(catalog::speakers), Read)]),
    route("/v1/speakers/{name}/timeline", &[get(to!(timeline::speaker_timeline_route), Read)]),
    route("/v1/topics",         &[get(to!(catalog::topics), Read)]),
    route("/v1/admin/snapshot", &[post(to!(admin::create_snapshot), Admin, OptionalJson)]),
    route("/v1/openapi.json",   &[get(to!(observability::openapi), Open)]),
    route("/metrics",           &[get(to!(observability::metrics), Read)]),
    route("/_bulk",             &[post(to!(articles::elasticsearch_bulk), Admin, ElasticsearchBulk)]),
    route("/{index}/_bulk",     &[post(to!(articles::elasticsearch_bulk_for_index), Admin, ElasticsearchBulk)]),
    route("/",                  &[get(to!(ui::search_page), Open)]),
    route("/docs",              &[get(to!(ui::docs_page), Open)]),
    route("/assets/{file}",     &[get(to!(ui::asset), Open)]),
    route("/v1/entities",       &[get(to!(catalog::entities), Read)]),
];

/// [`ROUTES`] with its patterns compiled, for lookups.
pub fn route_table() -> &'static RouteTable {
    static TABLE: LazyLock<RouteTable> = LazyLock::new(|| RouteTable::new(ROUTES));
    &TABLE
}

/// Registers every route of [`ROUTES`]; a method a route does not list is
/// answered `405` with `Allow`.
pub fn configure(config: &mut web::ServiceConfig) {
    for route in ROUTES {
        let mut resource = web::resource(route.path).app_data(RouteEntry(route));
        for endpoint in route.endpoints {
            resource = resource.route((endpoint.register)(
                web::route().method(endpoint.verb.method()),
            ));
        }
        config.service(
            resource.default_service(web::to(move |request: HttpRequest| {
                method_not_allowed(request, route)
            })),
        );
    }
}

/// 404 for paths no route serves.
pub async fn not_found(request: HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::new(
        ErrorCode::NotFound,
        format!("no route for {} {}", request.method(), request.path()),
    ))
}

/// 405 for a method `route` does not serve, with the `Allow` header RFC 9110
/// requires.
async fn method_not_allowed(request: HttpRequest, route: &'static Route) -> HttpResponse {
    let mut response = actix_web::ResponseError::error_response(&ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{} is not allowed on {}", request.method(), request.path()),
    ));
    if let Ok(allow) = HeaderValue::from_str(&route.allow()) {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

#[cfg(test)]
mod tests {
    use actix_web::http::Method;

    use super::table::{Access, Admission, Policy};
    use super::*;

    fn policy(method: Method, path: &str) -> Policy {
        route_table().policy(&method, path)
    }

    #[test]
    fn routes_need_the_right_access() {
        let cases = [
            (Method::GET, "/health", Access::Open),
            (Method::POST, "/health", Access::Open),
            (Method::GET, "/", Access::Open),
            (Method::GET, "/assets/app.js", Access::Open),
            (Method::GET, "/v1/openapi.json", Access::Open),
            (Method::GET, "/metrics", Access::Read),
            (Method::GET, "/v1/quotes/export", Access::Read),
            (Method::POST, "/_bulk", Access::Admin),
            (Method::POST, "/news/_bulk", Access::Admin),
            // Routed to `/{index}/_bulk`, not to an asset.
            (Method::POST, "/assets/_bulk", Access::Admin),
            (Method::GET, "/v1/search", Access::Read),
            (Method::POST, "/v1/search", Access::Read),
            (Method::POST, "/v1/quotes", Access::Read),
            (Method::POST, "/v1/quotes/verify", Access::Read),
            (Method::GET, "/v1/quotes/verify", Access::Read),
            (Method::DELETE, "/v1/search", Access::Admin),
            (Method::GET, "/v1/articles/x", Access::Read),
            (Method::GET, "/v1/articles/bulk", Access::Read),
            (Method::HEAD, "/v1/articles/x", Access::Read),
            (Method::GET, "/v1/stats", Access::Read),
            (Method::GET, "/v1/alerts", Access::Admin),
            (Method::POST, "/v1/alerts", Access::Admin),
            (Method::GET, "/v1/alerts/x", Access::Admin),
            (Method::DELETE, "/v1/alerts/x", Access::Admin),
            (Method::GET, "/v1/alerts/x/deliveries", Access::Admin),
            (Method::GET, "/v1/alerts/x/events", Access::Read),
            (Method::POST, "/v1/articles", Access::Admin),
            (Method::POST, "/v1/articles/bulk", Access::Admin),
            (Method::DELETE, "/v1/articles/x", Access::Admin),
            (Method::PUT, "/v1/articles", Access::Admin),
            (Method::GET, "/v1/admin/snapshot", Access::Admin),
            (Method::POST, "/v1/admin/snapshot", Access::Admin),
            (Method::GET, "/v1/admin/nothing", Access::Admin),
            (Method::GET, "/v2/nothing", Access::Read),
            (Method::POST, "/v2/nothing", Access::Admin),
        ];
        for (method, path, expected) in cases {
            assert_eq!(
                policy(method.clone(), path).access,
                expected,
                "{method} {path}"
            );
        }
    }

    #[test]
    fn only_health_passes_a_full_server_and_only_bulk_loads_have_no_deadline() {
        for route in ROUTES {
            for endpoint in route.endpoints {
                let found = policy(endpoint.verb.method(), route.path);
                let concrete = route
                    .path
                    .replace("{id}", "x")
                    .replace("{index}", "x")
                    .replace("{name}", "x");
                assert_eq!(policy(endpoint.verb.method(), &concrete), found);
                let expected_admission = if route.path == "/health" {
                    Admission::Always
                } else {
                    Admission::Limited
                };
                assert_eq!(found.admission, expected_admission, "{}", route.path);
                let bulk = route.path.ends_with("/bulk") || route.path.ends_with("/_bulk");
                assert_eq!(found.deadline, !bulk, "{}", route.path);
            }
        }
        let unknown = policy(Method::GET, "/nothing");
        assert_eq!(unknown.admission, Admission::Limited);
        assert!(unknown.deadline);
    }

    #[test]
    fn every_path_and_method_is_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for route in ROUTES {
            assert!(!route.endpoints.is_empty(), "{}", route.path);
            for endpoint in route.endpoints {
                assert!(
                    seen.insert((route.path, endpoint.verb.as_str())),
                    "{} {} twice",
                    endpoint.verb.as_str(),
                    route.path
                );
            }
            // Each route is reachable: no earlier pattern swallows it.
            let concrete = route.path.replace("{id}", "x").replace("{index}", "x");
            let concrete = concrete.replace("{file}", "x").replace("{name}", "x");
            let found = route_table().route(&concrete).map(|r| r.path);
            assert_eq!(found, Some(route.path));
        }
        assert_eq!(
            route_table().route("/v1/articles/bulk").unwrap().allow(),
            "POST"
        );
        assert_eq!(
            route_table().route("/v1/articles/x").unwrap().allow(),
            "GET, DELETE"
        );
    }
}
