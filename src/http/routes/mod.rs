//! Route table: one module per resource.

pub(crate) mod admin;
pub(crate) mod articles;
pub(crate) mod catalog;
pub(crate) mod export;
pub(crate) mod health;
pub(crate) mod observability;
pub(crate) mod search;
pub(crate) mod ui;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::error::ApiError;

/// Registers every route; each resource answers other methods with 405.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(
            web::resource("/health")
                .route(web::get().to(health::health))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/stats")
                .route(web::get().to(health::stats))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/articles")
                .route(web::post().to(articles::create_articles))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/articles/bulk")
                .route(web::post().to(articles::bulk_articles))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/articles/{id}")
                .route(web::get().to(articles::get_article))
                .route(web::delete().to(articles::delete_article))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/search")
                .route(web::get().to(search::search_articles_get))
                .route(web::post().to(search::search_articles_post))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/quotes/export")
                .route(web::get().to(export::export_quotes))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/quotes")
                .route(web::get().to(search::search_quotes_get))
                .route(web::post().to(search::search_quotes_post))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/speakers")
                .route(web::get().to(catalog::speakers))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/topics")
                .route(web::get().to(catalog::topics))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/admin/snapshot")
                .route(web::post().to(admin::create_snapshot))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/openapi.json")
                .route(web::get().to(observability::openapi))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/metrics")
                .route(web::get().to(observability::metrics))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/_bulk")
                .route(web::post().to(articles::elasticsearch_bulk))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/{index}/_bulk")
                .route(web::post().to(articles::elasticsearch_bulk_for_index))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/")
                .route(web::get().to(ui::search_page))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/docs")
                .route(web::get().to(ui::docs_page))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/assets/{file}")
                .route(web::get().to(ui::asset))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/v1/entities")
                .route(web::get().to(catalog::entities))
                .default_service(web::to(method_not_allowed)),
        );
}

/// 404 for paths no route serves.
pub async fn not_found(request: HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {} {}", request.method(), request.path()),
    ))
}

/// 405 for a method a resource does not serve.
async fn method_not_allowed(request: HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} is not allowed on {}", request.method(), request.path()),
    ))
}
