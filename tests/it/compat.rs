//! Elasticsearch `_bulk` bodies, on `/v1/articles/bulk` and `/_bulk`.

use serde_json::json;

use crate::backends::{on_both_backends, TestBackend};

const ES_BODY: &str = concat!(
    "{\"index\": {\"_index\": \"news\", \"_id\": \"es-1\"}}\n",
    "{\"title\": \"Mayor speaks\", \"body\": \"“We will build bridges,” Mayor Ada Lovelace said.\", \"source\": \"Wire\"}\n",
    "{\"create\": {\"_id\": \"es-2\"}}\n",
    "{\"title\": \"Second\", \"body\": \"Plain text\", \"published\": \"whenever\"}\n",
    "\n",
    "{\"update\": {\"_id\": \"es-1\"}}\n",
    "{\"doc\": {\"title\": \"changed\"}}\n",
    "{\"delete\": {\"_id\": \"gone\"}}\n",
    "{\"delete\": {\"_id\": \"never-existed\"}}\n",
    "{\"index\": {}}\n",
    "{\"id\": \"own-id\", \"title\": \"Third\", \"body\": \"More text\"}\n",
    "{\"index\": {\"_id\": \"es-4\"}}\n",
);

fn elasticsearch_bulk_bodies_load_on_the_bulk_endpoint(backend: TestBackend) {
    let server = backend.start();
    let seed = json!({"id": "gone", "title": "Old", "body": "To be deleted."});
    assert_eq!(server.post_json("/v1/articles", &seed).status, 201);

    let answer = server.post_ndjson("/v1/articles/bulk", ES_BODY);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["indexed"], 2, "{}", answer.body);
    assert_eq!(answer.body["deleted"], 1);
    assert_eq!(answer.body["rejected"], 3);
    let errors: Vec<(u64, &str)> = answer.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["error"]["code"].as_str().unwrap(),
            )
        })
        .collect();
    // Lines count from 1, blank lines included: the bad source is line 4,
    // the update action line 6, the action without a source line 12.
    assert_eq!(
        errors,
        [
            (4, "invalid_date"),
            (6, "unsupported_action"),
            (12, "missing_source")
        ]
    );
    // `_id` names the article; without it the article keeps its own.
    let first = server.get("/v1/articles/es-1");
    assert_eq!(first.status, 200);
    assert_eq!(first.body["title"], "Mayor speaks");
    assert_eq!(server.get("/v1/articles/own-id").status, 200);
    assert_eq!(server.get("/v1/articles/es-2").status, 404);
    assert_eq!(server.get("/v1/articles/gone").status, 404);
    let quotes = server.get("/v1/quotes?q=bridges");
    assert_eq!(quotes.body["total"], 1, "{}", quotes.body);
    assert_eq!(quotes.body["hits"][0]["article"]["id"], "es-1");
}

fn underscore_bulk_answers_like_elasticsearch(backend: TestBackend) {
    let server = backend.start();
    let seed = json!({"id": "gone", "title": "Old", "body": "To be deleted."});
    assert_eq!(server.post_json("/v1/articles", &seed).status, 201);
    for path in ["/_bulk", "/news/_bulk"] {
        let answer = server.post_ndjson(path, ES_BODY);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        assert_eq!(answer.body["errors"], true);
        assert!(answer.body["took"].is_u64());
        let items = answer.body["items"].as_array().unwrap();
        let summary: Vec<(String, u64)> = items
            .iter()
            .map(|item| {
                let (action, outcome) = item.as_object().unwrap().iter().next().unwrap();
                (action.clone(), outcome["status"].as_u64().unwrap())
            })
            .collect();
        let deleted_status = if path == "/_bulk" { 200 } else { 404 };
        assert_eq!(
            summary,
            [
                ("index".to_owned(), 201),
                ("create".to_owned(), 400),
                ("update".to_owned(), 400),
                ("delete".to_owned(), deleted_status),
                ("delete".to_owned(), 404),
                ("index".to_owned(), 201),
                ("index".to_owned(), 400),
            ],
            "{path}: {}",
            answer.body
        );
        assert_eq!(items[0]["index"]["_id"], "es-1");
        assert_eq!(items[0]["index"]["_index"], "news");
        assert_eq!(items[0]["index"]["result"], "created");
        assert_eq!(items[1]["create"]["error"]["type"], "invalid_date");
        assert_eq!(items[1]["create"]["error"]["line"], 4);
        assert_eq!(items[4]["delete"]["result"], "not_found");
        assert_eq!(items[5]["index"]["_id"], "own-id");
        assert_eq!(items[6]["index"]["error"]["type"], "missing_source");
    }
    // Plain Verbatim lines are not actions: /_bulk says so per line.
    let plain = server.post_ndjson("/_bulk", "{\"title\": \"T\", \"body\": \"B\"}\n");
    assert_eq!(plain.status, 200);
    assert_eq!(plain.body["errors"], true);
    assert_eq!(
        plain.body["items"][0]["index"]["error"]["type"],
        "invalid_action"
    );
    assert_eq!(server.get("/_bulk").status, 405);
}

fn plain_bulk_bodies_are_unchanged(backend: TestBackend) {
    let server = backend.start();
    let answer = server.load_fixtures();
    assert_eq!(
        answer.body,
        json!({"indexed": crate::helpers::fixture_count(), "rejected": 0, "errors": []})
    );
}

on_both_backends!(
    elasticsearch_bulk_bodies_load_on_the_bulk_endpoint,
    underscore_bulk_answers_like_elasticsearch,
    plain_bulk_bodies_are_unchanged,
);
