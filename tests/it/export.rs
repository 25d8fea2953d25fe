//! `GET /v1/quotes/export`: every match, NDJSON and CSV, streamed.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{encode, TestServer};

fn quote_ids(server: &TestServer, query: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/v1/quotes?limit=1000&{query}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={}", encode(cursor)));
        }
        let page = server.get(&path);
        assert_eq!(page.status, 200, "{}", page.body);
        for hit in page.body["hits"].as_array().unwrap() {
            ids.insert(hit["id"].as_str().unwrap().to_owned());
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return ids,
        }
    }
}

fn ndjson_export_streams_every_matching_quote(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let all = server.send_raw("GET", "/v1/quotes/export", &[], b"");
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.header("content-type"), Some("application/x-ndjson"));
    assert!(all
        .header("content-disposition")
        .is_some_and(|d| d.contains("quotes.ndjson")));
    // Streamed: no length known up front.
    assert_eq!(all.header("content-length"), None);
    let rows: Vec<Value> = all
        .text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let total = server.get("/v1/stats").body["quotes"].as_u64().unwrap();
    assert_eq!(rows.len() as u64, total);
    let exported: BTreeSet<String> = rows
        .iter()
        .map(|row| row["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(exported, quote_ids(&server, ""), "same quotes as paging");
    for row in &rows {
        assert!(
            row["quote"].is_string() && row["article"]["id"].is_string(),
            "{row}"
        );
        assert!(row.get("score").is_none() && row.get("snippet").is_none());
    }

    // The same filters and query as /v1/quotes.
    let facet = server.get("/v1/quotes?q=china&facets=speaker&limit=0");
    let speaker = facet.body["facets"]["speaker"][0]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no speaker quoted on china: {}", facet.body))
        .to_owned();
    let filtered = format!("q=china&speaker={}", encode(&speaker));
    let subset = server.send_raw("GET", &format!("/v1/quotes/export?{filtered}"), &[], b"");
    let subset_ids: BTreeSet<String> = subset
        .text
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(subset_ids, quote_ids(&server, &filtered));
    assert!(!subset_ids.is_empty());
    assert!(subset_ids.len() < rows.len());
}

fn csv_export_has_a_header_and_one_row_per_quote(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let answer = server.send_raw("GET", "/v1/quotes/export?format=csv&source=CNN", &[], b"");
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    let records = parse_csv(&answer.text);
    assert_eq!(
        records[0],
        [
            "id",
            "quote",
            "speaker",
            "role",
            "kind",
            "article_id",
            "article_title",
            "article_url",
            "source",
            "published",
            "start",
            "end",
            "topics",
            "confidence"
        ]
    );
    let expected = server.get("/v1/quotes?source=CNN&limit=0").body["total"]
        .as_u64()
        .unwrap();
    assert_eq!(records.len() as u64 - 1, expected);
    let article = server.get("/v1/articles/cnn-blinken-beijing").body;
    let body: Vec<char> = article["body"].as_str().unwrap().chars().collect();
    for record in &records[1..] {
        assert_eq!(record.len(), 14, "{record:?}");
        let confidence: f64 = record[13].parse().unwrap();
        assert!((0.0..=1.0).contains(&confidence), "{record:?}");
        assert_eq!(record[8], "CNN");
        assert_eq!(record[5], "cnn-blinken-beijing");
        // Quotes with commas and quotation marks survive the round trip.
        let start: usize = record[10].parse().unwrap();
        let end: usize = record[11].parse().unwrap();
        assert!(start < end && end <= body.len());
    }
    assert!(
        records[1..].iter().any(|r| r[1].contains(',')),
        "the fixture has quotes with commas, which must be quoted"
    );
}

/// A small RFC 4180 reader for the test.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && record.is_empty(),
        "CSV must end with a line break"
    );
    records
}

fn export_rejects_bad_parameters_before_streaming(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let cases = [
        ("format=xml", "invalid_parameter"),
        ("limit=10", "unknown_parameter"),
        ("cursor=abc", "unknown_parameter"),
        ("colour=red", "unknown_parameter"),
        ("q=%28", "query_syntax_error"),
        ("from=yesterday", "invalid_parameter"),
    ];
    for (query, code) in cases {
        let answer = server.get(&format!("/v1/quotes/export?{query}"));
        assert_eq!(answer.status, 400, "{query}: {}", answer.body);
        assert_eq!(answer.code(), code, "{query}");
    }
    assert_eq!(
        server.send("POST", "/v1/quotes/export", None, b"").status,
        405
    );
    // Nothing matched: an empty body, not an error.
    let none = server.send_raw("GET", "/v1/quotes/export?q=zzzzqqqq", &[], b"");
    assert_eq!(none.status, 200);
    assert_eq!(none.text, "");
}

/// A field a spreadsheet would evaluate as a formula is defused with a
/// leading `'` (CSV injection), and numbers are left alone.
fn csv_export_defuses_formulas(backend: TestBackend) {
    let server = backend.start();
    let article = serde_json::json!({
        "id": "formula",
        "title": "=HYPERLINK(\"http://evil.example\",\"click\")",
        "body": "\"=1+2 is the answer we want,\" said Jane Doe, the treasurer.",
        "source": "@source",
    });
    let created = server.post_json("/v1/articles", &article);
    assert_eq!(created.status, 201, "{}", created.body);
    let answer = server.send_raw("GET", "/v1/quotes/export?format=csv", &[], b"");
    let records = parse_csv(&answer.text);
    assert_eq!(records.len(), 2, "{}", answer.text);
    let row = &records[1];
    assert!(row[1].starts_with("'=1+2"), "{row:?}");
    assert!(row[6].starts_with("'=HYPERLINK"), "{row:?}");
    assert_eq!(row[8], "'@source");
    assert!(row[10].parse::<usize>().is_ok(), "{row:?}");
}

on_both_backends!(
    ndjson_export_streams_every_matching_quote,
    csv_export_has_a_header_and_one_row_per_quote,
    export_rejects_bad_parameters_before_streaming,
    csv_export_defuses_formulas,
);
