//! The search page (`/`), the API docs page (`/docs`) and their static
//! assets (`/assets/{file}`), all compiled into the binary: no CDN, no build
//! step, no files to deploy next to it.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{web, HttpResponse};

use crate::http::error::{ApiError, ErrorBody, ErrorCode};

/// The search page.
const SEARCH_PAGE: &str = include_str!("../ui/index.html");
/// The API docs page.
const DOCS_PAGE: &str = include_str!("../ui/docs.html");

/// Embedded assets: file name, content type, content.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../ui/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../ui/app.css"),
    ),
    (
        "docs.js",
        "text/javascript; charset=utf-8",
        include_str!("../ui/docs.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../ui/favicon.svg"),
    ),
];

/// Pages may load only their own scripts, styles and API.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn static_response(content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        // Assets are not fingerprinted: revalidate, so an upgrade shows at once.
        .insert_header(CacheControl(vec![CacheDirective::NoCache]))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .body(body)
}

/// `GET /`: the search page.
#[utoipa::path(get, path = "/", tag = "pages",
    summary = "The search page",
    responses((status = 200, description = "HTML", body = String, content_type = "text/html")))]
pub async fn search_page() -> HttpResponse {
    static_response("text/html; charset=utf-8", SEARCH_PAGE)
}

/// `GET /docs`: the API reference, rendered from `/v1/openapi.json`.
#[utoipa::path(get, path = "/docs", tag = "pages",
    summary = "This API reference, as a page",
    responses((status = 200, description = "HTML", body = String, content_type = "text/html")))]
pub async fn docs_page() -> HttpResponse {
    static_response("text/html; charset=utf-8", DOCS_PAGE)
}

/// `GET /assets/{file}`: a script, stylesheet or icon of the pages.
#[utoipa::path(get, path = "/assets/{file}", tag = "pages",
    summary = "Scripts, styles and icons of the pages",
    params(("file" = String, Path, description = "app.js, app.css, docs.js or favicon.svg")),
    responses(
        (status = 200, description = "The file", content(
            ("text/javascript"), ("text/css"), ("image/svg+xml"),
        )),
        (status = 404, description = "No such asset", body = ErrorBody),
    ))]
pub async fn asset(file: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let file = file.into_inner();
    ASSETS
        .iter()
        .find(|(name, _, _)| *name == file)
        .map(|(_, content_type, body)| static_response(content_type, body))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no asset named `{file}`")))
}
