//! The vocabulary of the route table ([`super::ROUTES`]) and the lookups the
//! rest of `http` makes in it.
//!
//! A [`Route`] is a path pattern and its [`Endpoint`]s, one per method. An
//! endpoint names its handler and what stands around it: the key it needs
//! ([`Access`]), the body it reads and so its size limit ([`Body`]), and
//! whether the in-flight limit may refuse it ([`Admission`]). From these
//! `routes::configure` registers the handlers (a method a route does not list
//! is answered `405` with `Allow`), the guards find what a request needs
//! ([`RouteTable::policy`]), handlers find their body limit ([`body_limit`]),
//! and a test holds the OpenAPI document to the same paths and methods.
//!
//! Paths are matched as actix matches them: on the percent-decoded path (`%2F`
//! kept encoded), with actix's own [`ResourceDef`], first match in table order.
//! A key check on the raw path would be fooled by `/assets/%5Fbulk`, which the
//! router hands to `/{index}/_bulk`.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::HttpRequest;

use crate::config::ServerSettings;
use crate::http::error::ApiError;

/// An HTTP method the API serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
}

impl Verb {
    /// The method as actix knows it.
    pub fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
            Verb::Delete => Method::DELETE,
        }
    }

    /// The method's name, as in `Allow` (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Delete => "DELETE",
        }
    }
}

/// The key a request needs to be let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// None: liveness, the pages and the API description, which hold no index data.
    Open,
    /// The search key or the admin key: reads, including searches sent by `POST`.
    Read,
    /// The admin key: writes, deletes and `/v1/admin/...`.
    Admin,
}

/// The request body an endpoint reads, which sets its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// No body is read.
    Empty,
    /// One JSON document, up to `server.max_body_bytes`.
    Json,
    /// As [`Body::Json`], or none: an empty body reads as `{}`.
    OptionalJson,
    /// NDJSON read line by line as it arrives, up to `server.max_bulk_bytes`.
    Bulk,
    /// Elasticsearch `_bulk` NDJSON: as [`Body::Bulk`], and at most 100 MiB
    /// (Elasticsearch's own default).
    ElasticsearchBulk,
}

/// Largest Elasticsearch `_bulk` body, whatever `server.max_bulk_bytes` says.
const MAX_ELASTICSEARCH_BULK_BYTES: usize = 100 << 20;

impl Body {
    /// The largest body accepted, in bytes (0 when none is read).
    pub fn limit(self, server: &ServerSettings) -> usize {
        match self {
            Body::Empty => 0,
            Body::Json | Body::OptionalJson => server.max_body_bytes,
            Body::Bulk => server.max_bulk_bytes,
            Body::ElasticsearchBulk => server.max_bulk_bytes.min(MAX_ELASTICSEARCH_BULK_BYTES),
        }
    }

    /// Bulk loads stream their body for as long as it lasts, so the request
    /// deadline does not apply to them.
    pub fn is_bulk(self) -> bool {
        matches!(self, Body::Bulk | Body::ElasticsearchBulk)
    }
}

/// Whether the limit on requests in flight may refuse an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Refused with `503 overloaded` when the server is full.
    Limited,
    /// Always served, so that a busy server is not taken for a dead one.
    Always,
}

/// Adds an endpoint's handler to an actix route.
pub type Register = fn(actix_web::Route) -> actix_web::Route;

/// One method of a route.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// The method.
    pub verb: Verb,
    /// Registers the handler (the `to!` macro of `routes` writes these).
    pub register: Register,
    /// The key it needs.
    pub access: Access,
    /// The body it reads.
    pub body: Body,
    /// Whether the in-flight limit may refuse it.
    pub admission: Admission,
}

/// A `GET` endpoint, reading no body.
pub const fn get(register: Register, access: Access) -> Endpoint {
    Endpoint {
        verb: Verb::Get,
        register,
        access,
        body: Body::Empty,
        admission: Admission::Limited,
    }
}

/// A `POST` endpoint reading `body`.
pub const fn post(register: Register, access: Access, body: Body) -> Endpoint {
    Endpoint {
        verb: Verb::Post,
        body,
        ..get(register, access)
    }
}

/// A `DELETE` endpoint, reading no body.
pub const fn delete(register: Register, access: Access) -> Endpoint {
    Endpoint {
        verb: Verb::Delete,
        ..get(register, access)
    }
}

impl Endpoint {
    /// The same endpoint, never refused by the in-flight limit.
    pub const fn always_admitted(self) -> Endpoint {
        Endpoint {
            admission: Admission::Always,
            ..self
        }
    }
}

/// A route: `path` and its endpoints.
pub const fn route(path: &'static str, endpoints: &'static [Endpoint]) -> Route {
    Route { path, endpoints }
}

/// A path pattern (actix syntax, which is also OpenAPI's: `/v1/articles/{id}`)
/// and the methods it serves.
#[derive(Debug)]
pub struct Route {
    /// The pattern.
    pub path: &'static str,
    /// One endpoint per method.
    pub endpoints: &'static [Endpoint],
}

impl Route {
    /// The endpoint for `method`, if the route serves it.
    pub fn endpoint(&self, method: &Method) -> Option<&'static Endpoint> {
        self.endpoints
            .iter()
            .find(|endpoint| endpoint.verb.method() == method)
    }

    /// The methods served, as `Allow` lists them (`GET, DELETE`).
    pub fn allow(&self) -> String {
        let verbs: Vec<&str> = self.endpoints.iter().map(|e| e.verb.as_str()).collect();
        verbs.join(", ")
    }
}

/// What the guards need to know about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// The key it needs.
    pub access: Access,
    /// Whether the in-flight limit may refuse it.
    pub admission: Admission,
    /// Whether `server.request_timeout_ms` applies.
    pub deadline: bool,
}

/// Paths under this prefix need the admin key whether or not a route serves
/// them, so the search key cannot probe for admin routes.
const ADMIN_PREFIX: &str = "/v1/admin/";

/// The routes with their compiled patterns.
#[derive(Debug)]
pub struct RouteTable {
    routes: &'static [Route],
    patterns: Vec<ResourceDef>,
}

impl RouteTable {
    /// Compiles the patterns of `routes`.
    pub fn new(routes: &'static [Route]) -> RouteTable {
        RouteTable {
            routes,
            patterns: routes
                .iter()
                .map(|route| ResourceDef::new(route.path))
                .collect(),
        }
    }

    /// Every route, in the order they are matched.
    pub fn routes(&self) -> &'static [Route] {
        self.routes
    }

    /// The route actix hands `path` (percent-decoded as actix decodes it) to.
    pub fn route(&self, path: &str) -> Option<&'static Route> {
        let routes = self.routes;
        self.patterns
            .iter()
            .position(|pattern| pattern.is_match(path))
            .map(|index| &routes[index])
    }

    /// What a request with `method` on `path` (decoded) needs.
    ///
    /// A served endpoint says so itself. Anything else is answered `404` or
    /// `405`, but only after the key check, so that routes cannot be probed
    /// without a key: on a route whose every endpoint is open no key is
    /// needed; otherwise `GET` and `HEAD` need a key and other methods (and
    /// anything under `/v1/admin/`) the admin key.
    pub fn policy(&self, method: &Method, path: &str) -> Policy {
        let route = self.route(path);
        if let Some(endpoint) = route.and_then(|route| route.endpoint(method)) {
            return Policy {
                access: endpoint.access,
                admission: endpoint.admission,
                deadline: !endpoint.body.is_bulk(),
            };
        }
        let all_open = route.is_some_and(|route| {
            route
                .endpoints
                .iter()
                .all(|endpoint| endpoint.access == Access::Open)
        });
        let access = if all_open {
            Access::Open
        } else if path.starts_with(ADMIN_PREFIX) || path == ADMIN_PREFIX.trim_end_matches('/') {
            Access::Admin
        } else if method == Method::GET || method == Method::HEAD {
            Access::Read
        } else {
            Access::Admin
        };
        Policy {
            access,
            admission: Admission::Limited,
            deadline: true,
        }
    }
}

/// Put in each resource's app data by `configure`, so a handler can find its row.
#[derive(Debug, Clone, Copy)]
pub struct RouteEntry(pub &'static Route);

/// The body limit of the endpoint handling `request`, from its table row.
pub fn body_limit(request: &HttpRequest, server: &ServerSettings) -> Result<usize, ApiError> {
    request
        .app_data::<RouteEntry>()
        .and_then(|entry| entry.0.endpoint(request.method()))
        .map(|endpoint| endpoint.body.limit(server))
        .ok_or_else(|| {
            ApiError::internal(format!(
                "{} {} is not in the route table",
                request.method(),
                request.path()
            ))
        })
}
