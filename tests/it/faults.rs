//! Storage faults: while the disk is "full" (the test-only fault trigger),
//! writes answer 503 with Retry-After, reads keep working, nothing stored is
//! damaged, and writes resume once space returns.

use serde_json::json;

use crate::helpers::TestServer;

#[test]
fn a_full_disk_refuses_writes_keeps_reads_and_recovers() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("index");
    let trigger = temp.path().join("disk-full");
    let trigger_setting = trigger.to_str().expect("utf-8 path").to_owned();
    let env = [("VERBATIM_TEST_FAIL_WRITES_FILE", trigger_setting.as_str())];
    let server = TestServer::start_on(&dir, &env);
    server.load_fixtures();
    let stats_before = server.get("/v1/stats").body;
    let article_before = server.get("/v1/articles/cnn-blinken-beijing").body;
    let search_path = "/v1/quotes?q=china&facets=speaker&limit=5";
    let search_before = server.get(search_path).body;

    std::fs::write(&trigger, "").expect("fill the disk");
    let refused = server.post_json(
        "/v1/articles",
        &json!({"id": "during-fault", "title": "Lost", "body": "\"Never stored,\" said Ann Lee."}),
    );
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.code(), "index_unavailable");
    assert_eq!(refused.header("retry-after"), Some("5"));
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("cannot be written")),
        "{}",
        refused.body
    );
    let delete = server.delete("/v1/articles/cnn-blinken-beijing");
    assert_eq!(delete.status, 503, "{}", delete.body);
    let bulk = server.post_ndjson(
        "/v1/articles/bulk",
        "{\"id\": \"bulk-during-fault\", \"title\": \"T\", \"body\": \"B\"}\n",
    );
    assert_eq!(bulk.status, 503, "{}", bulk.body);

    // Reads carry on and see exactly what was there.
    assert_eq!(
        server.get("/v1/stats").body["articles"],
        stats_before["articles"]
    );
    assert_eq!(
        server.get("/v1/articles/cnn-blinken-beijing").body,
        article_before
    );
    let mut search_during = server.get(search_path).body;
    search_during["took_ms"] = search_before["took_ms"].clone();
    assert_eq!(search_during, search_before);
    assert_eq!(server.get("/v1/articles/during-fault").status, 404);

    // Space returns: writes resume on the same server.
    std::fs::remove_file(&trigger).expect("free the disk");
    let accepted = server.post_json(
        "/v1/articles",
        &json!({"id": "after-fault", "title": "Back", "body": "\"We are back,\" said Ann Lee."}),
    );
    assert_eq!(accepted.status, 201, "{}", accepted.body);
    assert_eq!(server.get("/v1/articles/after-fault").status, 200);
    assert_eq!(server.get("/v1/articles/during-fault").status, 404);
    assert_eq!(server.get("/v1/articles/bulk-during-fault").status, 404);
    let articles_after = stats_before["articles"].as_u64().unwrap() + 1;
    assert_eq!(server.get("/v1/stats").body["articles"], articles_after);

    // A second fault after recovery is handled the same way.
    std::fs::write(&trigger, "").expect("fill the disk again");
    let refused_again = server.post_json(
        "/v1/articles",
        &json!({"id": "second-fault", "title": "Lost", "body": "Nothing."}),
    );
    assert_eq!(refused_again.status, 503, "{}", refused_again.body);
    std::fs::remove_file(&trigger).expect("free the disk again");

    // After a crash, the index holds exactly the acknowledged writes.
    server.kill_hard();
    let restarted = TestServer::start_on(&dir, &env);
    assert_eq!(restarted.get("/v1/stats").body["articles"], articles_after);
    assert_eq!(
        restarted.get("/v1/articles/cnn-blinken-beijing").body,
        article_before
    );
    assert_eq!(restarted.get("/v1/articles/after-fault").status, 200);
    assert_eq!(restarted.get("/v1/articles/second-fault").status, 404);
    restarted.stop();
}
