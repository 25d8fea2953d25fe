//! The OpenAPI description at `/v1/openapi.json`: it describes every endpoint
//! of the route table (`verbatim::http::routes::ROUTES`) and nothing else, and real
//! responses of each endpoint validate against its schemas.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use verbatim::http::routes::ROUTES;

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{encode, TestServer};

/// `(path, method)` of every endpoint in the route table.
fn registered_routes() -> BTreeSet<(String, String)> {
    ROUTES
        .iter()
        .flat_map(|route| {
            route.endpoints.iter().map(|endpoint| {
                (
                    route.path.to_owned(),
                    endpoint.verb.as_str().to_ascii_lowercase(),
                )
            })
        })
        .collect()
}

fn spec(server: &TestServer) -> Value {
    let answer = server.get("/v1/openapi.json");
    assert_eq!(answer.status, 200);
    answer.body
}

fn the_description_has_exactly_the_paths_and_methods_of_the_route_table(backend: TestBackend) {
    let server = backend.start();
    let spec = spec(&server);
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(spec["info"]["version"], env!("CARGO_PKG_VERSION"));
    let described: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|key| {
                    ["get", "post", "put", "patch", "delete", "head"].contains(&key.as_str())
                })
                .map(move |method| (path.clone(), method.clone()))
        })
        .collect();
    let registered = registered_routes();
    let undocumented: Vec<_> = registered.difference(&described).collect();
    let phantom: Vec<_> = described.difference(&registered).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the OpenAPI description: {undocumented:?}"
    );
    assert!(
        phantom.is_empty(),
        "described but not registered: {phantom:?}"
    );
    for (path, method) in &registered {
        let operation = &spec["paths"][path][method];
        assert!(
            operation["summary"].is_string(),
            "{method} {path} has no summary"
        );
        assert!(operation["responses"]
            .as_object()
            .is_some_and(|r| !r.is_empty()));
    }
}

/// Makes every object schema with named properties closed, so a field the
/// server sends but the description does not name fails validation. A
/// component that is a part of another's `allOf` (a flattened struct) stays
/// open: the whole is closed, and `unevaluatedProperties` sees the fields of
/// its parts.
fn forbid_undescribed_fields(root: &mut Value) {
    // `whole`: not itself a part of an `allOf`.
    fn close(schema: &mut Value, whole: bool) {
        match schema {
            Value::Object(object) => {
                let named = object.contains_key("properties") || object.contains_key("allOf");
                if whole && named && !object.contains_key("additionalProperties") {
                    object.insert("unevaluatedProperties".to_owned(), Value::Bool(false));
                }
                for (key, value) in object.iter_mut() {
                    match value {
                        Value::Array(parts) if key == "allOf" => {
                            parts.iter_mut().for_each(|part| close(part, false))
                        }
                        _ => close(value, true),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| close(item, true)),
            _ => {}
        }
    }
    fn parts(schema: &Value, found: &mut Vec<String>) {
        match schema {
            Value::Object(object) => {
                for part in object
                    .get("allOf")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(name) = part["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
                        found.push(name.to_owned());
                    }
                }
                object.values().for_each(|value| parts(value, found));
            }
            Value::Array(items) => items.iter().for_each(|value| parts(value, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    parts(root, &mut found);
    close(root, true);
    for name in found {
        if let Some(Value::Object(part)) = root["components"]["schemas"].get_mut(&name) {
            part.remove("unevaluatedProperties");
        }
    }
}

/// Validates `instance` against the schema of `path`/`method`/`status` for
/// `media_type`, resolving `$ref`s into the spec's components.
fn check(spec: &Value, path: &str, method: &str, status: u16, media_type: &str, instance: &Value) {
    let response = &spec["paths"][path][method]["responses"][status.to_string()];
    assert!(
        response.is_object(),
        "{method} {path}: status {status} is not described"
    );
    let schema = &response["content"][media_type]["schema"];
    assert!(
        schema.is_object(),
        "{method} {path} {status}: no {media_type} schema"
    );
    let mut root = schema.clone();
    root["components"] = spec["components"].clone();
    forbid_undescribed_fields(&mut root);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&root)
        .unwrap_or_else(|e| panic!("{method} {path} {status}: bad schema: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} {status}: the response does not match its schema:\n{}\n{instance:#}",
        errors.join("\n")
    );
}

fn validation_rejects_responses_that_drift_from_the_description(backend: TestBackend) {
    let server = backend.start();
    let spec = spec(&server);
    let good = json!({"error": {"code": "not_found", "message": "no route"}});
    let valid = |instance: &Value| {
        std::panic::catch_unwind(|| {
            check(
                &spec,
                "/v1/articles/{id}",
                "get",
                404,
                "application/json",
                instance,
            )
        })
        .is_ok()
    };
    assert!(valid(&good));
    assert!(
        !valid(&json!({"error": {"code": "not_found"}})),
        "a missing field passed"
    );
    assert!(
        !valid(&json!({"error": {"code": "x", "message": "y", "extra": 1}})),
        "an undescribed field passed"
    );
    assert!(
        !valid(&json!({"error": {"code": 404, "message": "y"}})),
        "a wrong type passed"
    );
    assert!(
        !valid(&json!({"error": {"code": "no_such_code", "message": "y"}})),
        "a code outside the error-code table passed"
    );
}

fn real_responses_validate_against_the_description(backend: TestBackend) {
    let server = backend.start();
    let spec = spec(&server);
    let json_type = "application/json";

    let bulk = server.load_fixtures();
    check(
        &spec,
        "/v1/articles/bulk",
        "post",
        200,
        json_type,
        &bulk.body,
    );
    let bad_bulk = server.post_ndjson("/v1/articles/bulk", "{\"title\": 1}\n");
    check(
        &spec,
        "/v1/articles/bulk",
        "post",
        200,
        json_type,
        &bad_bulk.body,
    );
    let es = server.post_ndjson(
        "/_bulk",
        "{\"index\": {\"_id\": \"es\"}}\n{\"title\": \"T\", \"body\": \"B\"}\n{\"update\": {}}\n{}\n{\"delete\": {\"_id\": \"x\"}}\n",
    );
    assert_eq!(es.body["items"].as_array().unwrap().len(), 3);
    check(&spec, "/_bulk", "post", 200, json_type, &es.body);
    let es_index = server.post_ndjson("/news/_bulk", "{\"delete\": {\"_id\": \"es\"}}\n");
    check(
        &spec,
        "/{index}/_bulk",
        "post",
        200,
        json_type,
        &es_index.body,
    );

    let created = server.post_json(
        "/v1/articles",
        &json!({"id": "extra", "title": "T", "body": "“Fine,” said Ada Lovelace.", "source": "S", "published": "2024-01-02", "dateline": "London"}),
    );
    check(&spec, "/v1/articles", "post", 201, json_type, &created.body);
    let invalid = server.post_json("/v1/articles", &json!({"title": 5}));
    check(&spec, "/v1/articles", "post", 422, json_type, &invalid.body);
    let malformed = server.send("POST", "/v1/articles", Some("application/json"), b"{");
    check(
        &spec,
        "/v1/articles",
        "post",
        400,
        json_type,
        &malformed.body,
    );

    for claim in [
        json!({"text": "downward spiral", "speaker": "Wang Yi"}),
        json!({"text": "Russia will struggle without China", "speaker": "Xi Jinping"}),
        json!({"text": "Nothing anyone said", "from": "2024-01-01", "limit": 1}),
    ] {
        let verified = server.post_json("/v1/quotes/verify", &claim);
        assert_eq!(verified.status, 200, "{}", verified.body);
        check(
            &spec,
            "/v1/quotes/verify",
            "post",
            200,
            json_type,
            &verified.body,
        );
    }
    let empty = server.post_json("/v1/quotes/verify", &json!({"text": ""}));
    check(
        &spec,
        "/v1/quotes/verify",
        "post",
        400,
        json_type,
        &empty.body,
    );

    for id in ["cnn-blinken-beijing", "extra"] {
        let article = server.get(&format!("/v1/articles/{id}"));
        assert_eq!(article.status, 200);
        check(
            &spec,
            "/v1/articles/{id}",
            "get",
            200,
            json_type,
            &article.body,
        );
    }
    let missing = server.get("/v1/articles/nope");
    check(
        &spec,
        "/v1/articles/{id}",
        "get",
        404,
        json_type,
        &missing.body,
    );
    let deleted = server.delete("/v1/articles/extra");
    assert_eq!(deleted.status, 204);
    assert!(spec["paths"]["/v1/articles/{id}"]["delete"]["responses"]["204"].is_object());
    let not_deleted = server.delete("/v1/articles/extra");
    check(
        &spec,
        "/v1/articles/{id}",
        "delete",
        404,
        json_type,
        &not_deleted.body,
    );

    // The created alert (with its secret) and the alert as read back.
    let alert = server.post_json(
        "/v1/alerts",
        &json!({"name": "trade", "query": {"q": "trade"}}),
    );
    assert_eq!(alert.status, 201);
    assert!(alert.body["secret"].is_string());
    check(&spec, "/v1/alerts", "post", 201, json_type, &alert.body);
    let alert_id = alert.body["id"].as_str().unwrap();
    let read = server.get(&format!("/v1/alerts/{alert_id}"));
    assert_eq!(read.status, 200);
    check(&spec, "/v1/alerts/{id}", "get", 200, json_type, &read.body);

    let facets = "facets=speaker,topic,source,month,language&facet_limit=3";
    let articles = server.get(&format!("/v1/search?q=said&{facets}&limit=3"));
    assert!(articles.body["hits"].as_array().unwrap().len() > 1);
    check(&spec, "/v1/search", "get", 200, json_type, &articles.body);
    let sorted = server.get("/v1/search?sort=-published&limit=2");
    assert!(sorted.body["next_cursor"].is_string());
    check(&spec, "/v1/search", "get", 200, json_type, &sorted.body);
    let posted = server.post_json(
        "/v1/search",
        &json!({"q": "trade", "source": ["BBC"], "limit": 2}),
    );
    check(&spec, "/v1/search", "post", 200, json_type, &posted.body);
    let quotes = server.get(&format!(
        "/v1/quotes?q={}&facets=speaker,topic,source,month,language,role,kind&facet_limit=3&limit=50",
        encode("china OR trade")
    ));
    assert!(quotes.body["hits"].as_array().unwrap().len() > 5);
    check(&spec, "/v1/quotes", "get", 200, json_type, &quotes.body);
    let posted_quotes = server.post_json(
        "/v1/quotes",
        &json!({"speaker": "Antony Blinken", "limit": 5}),
    );
    check(
        &spec,
        "/v1/quotes",
        "post",
        200,
        json_type,
        &posted_quotes.body,
    );
    let syntax = server.get("/v1/quotes?q=%28");
    assert_eq!(syntax.status, 400);
    check(&spec, "/v1/quotes", "get", 400, json_type, &syntax.body);

    let speakers = server.get("/v1/speakers?prefix=a&limit=5");
    check(&spec, "/v1/speakers", "get", 200, json_type, &speakers.body);
    let topics = server.get("/v1/topics?parent=/world");
    check(&spec, "/v1/topics", "get", 200, json_type, &topics.body);
    let bad_topics = server.get("/v1/topics?parent=world");
    check(&spec, "/v1/topics", "get", 400, json_type, &bad_topics.body);
    check(
        &spec,
        "/v1/stats",
        "get",
        200,
        json_type,
        &server.get("/v1/stats").body,
    );
    check(
        &spec,
        "/health",
        "get",
        200,
        json_type,
        &server.get("/health").body,
    );

    // Every exported line matches the NDJSON schema.
    let export = server.send_raw("GET", "/v1/quotes/export", &[], b"");
    let lines: Vec<&str> = export.text.lines().collect();
    assert!(lines.len() > 20);
    for line in lines {
        let row: Value = serde_json::from_str(line).unwrap();
        check(
            &spec,
            "/v1/quotes/export",
            "get",
            200,
            "application/x-ndjson",
            &row,
        );
    }
    let bad_export = server.get("/v1/quotes/export?format=xml");
    check(
        &spec,
        "/v1/quotes/export",
        "get",
        400,
        json_type,
        &bad_export.body,
    );

    // Non-JSON endpoints answer with the media types they declare.
    for (path, declared) in [
        ("/", "text/html"),
        ("/docs", "text/html"),
        ("/assets/app.js", "text/javascript"),
        ("/metrics", "text/plain"),
        ("/v1/openapi.json", "application/json"),
    ] {
        let template = if path.starts_with("/assets/") {
            "/assets/{file}"
        } else {
            path
        };
        let content = &spec["paths"][template]["get"]["responses"]["200"]["content"];
        assert!(content[declared].is_object(), "{path}: {content}");
        let answer = server.send_raw("GET", path, &[], b"");
        assert_eq!(answer.status, 200, "{path}");
    }
    let missing_asset = server.get("/assets/nothing.js");
    check(
        &spec,
        "/assets/{file}",
        "get",
        404,
        json_type,
        &missing_asset.body,
    );
}

on_both_backends!(
    the_description_has_exactly_the_paths_and_methods_of_the_route_table,
    validation_rejects_responses_that_drift_from_the_description,
    real_responses_validate_against_the_description,
);
