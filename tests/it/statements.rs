//! Statements (issue 15, part 2) against the real server: a reprint and an
//! update fold into one statement, a delete splits it again;
//! `group=statement` and `count=statements`; the speaker timeline (part 3)
//! counts what the filtered quote search counts, month by month.

use serde_json::{json, Value};

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{encode, sorted_ids, Answer, TestServer};

/// What Hisham Nazer said, whole.
const FULL: &str = "Saudi Arabia is fully adhering by the accord and it will never sell its oil \
                    at prices below the pronounced prices under any circumstance.";
/// An excerpt of it.
const EXCERPT_A: &str = "is fully adhering by the accord";
/// Another excerpt, sharing no words with the first but `the`.
const EXCERPT_B: &str = "it will never sell its oil at prices below the pronounced prices";
/// The second excerpt with one word edited.
const EXCERPT_B_EDITED: &str = "it will never sell its oil at prices below the official prices";

/// An article whose one quote, `quote`, is said by `speaker`.
fn article(id: &str, source: &str, published: &str, speaker: &str, quote: &str) -> Value {
    let opening = format!("{speaker} said: “");
    let start = opening.chars().count();
    let end = start + quote.chars().count();
    json!({
        "id": id,
        "title": format!("{speaker} on oil"),
        "body": format!("{opening}{quote}” Oil prices fell."),
        "source": source,
        "published": published,
        "quotes": [{"quote": quote, "start": start, "end": end, "kind": "direct",
                    "speaker": speaker, "speaker_kind": "person"}],
    })
}

fn post(server: &TestServer, article: &Value) {
    let answer = server.post_json("/v1/articles", article);
    assert_eq!(answer.status, 201, "{}", answer.body);
}

fn quotes(server: &TestServer, query: &str) -> Answer {
    let answer = server.get(&format!("/v1/quotes?{query}"));
    assert_eq!(answer.status, 200, "{query}: {}", answer.body);
    answer
}

/// The statements of every quote, with their copies.
fn statements(server: &TestServer) -> Answer {
    quotes(server, "group=statement&limit=100&sort=published")
}

fn a_reprint_and_an_update_fold_into_one_statement_and_a_delete_splits_it(backend: TestBackend) {
    let server = backend.start();
    post(
        &server,
        &article(
            "wire-1",
            "Wire",
            "2024-03-01T08:00:00Z",
            "Hisham Nazer",
            FULL,
        ),
    );
    // A reprint, naming him by his surname only: one identity, one statement.
    post(
        &server,
        &article("paper-1", "Paper", "2024-03-01T12:00:00Z", "Nazer", FULL),
    );
    let folded = statements(&server);
    assert_eq!(folded.body["total"], 1, "{}", folded.body);
    let statement = &folded.body["hits"][0]["statement"];
    assert_eq!(statement["copies"], 2, "{statement}");
    assert_eq!(statement["articles"], 2);
    assert_eq!(statement["sources"], json!(["Paper", "Wire"]));
    assert_eq!(statement["first_seen"], "2024-03-01T08:00:00Z");
    assert_eq!(statement["last_seen"], "2024-03-01T12:00:00Z");
    assert_eq!(statement["variants"], json!([FULL]));
    let id = statement["id"].as_str().unwrap().to_owned();
    // Without grouping, two copies.
    assert_eq!(quotes(&server, "limit=0").body["total"], 2);

    // An excerpt the next day, then an update of that article editing a word.
    post(
        &server,
        &article(
            "paper-2",
            "Paper",
            "2024-03-02T09:00:00Z",
            "Hisham Nazer",
            EXCERPT_B,
        ),
    );
    post(
        &server,
        &article(
            "paper-2",
            "Paper",
            "2024-03-02T09:00:00Z",
            "Hisham Nazer",
            EXCERPT_B_EDITED,
        ),
    );
    post(
        &server,
        &article(
            "paper-3",
            "Gazette",
            "2024-03-02T10:00:00Z",
            "Nazer",
            EXCERPT_A,
        ),
    );
    let folded = statements(&server);
    assert_eq!(folded.body["total"], 1, "{}", folded.body);
    let statement = &folded.body["hits"][0]["statement"];
    assert_eq!(
        statement["id"],
        id.as_str(),
        "the earliest copy keeps the id"
    );
    assert_eq!(statement["copies"], 4, "{statement}");
    assert_eq!(statement["articles"], 4);
    assert_eq!(statement["sources"], json!(["Gazette", "Paper", "Wire"]));
    assert_eq!(statement["last_seen"], "2024-03-02T10:00:00Z");
    assert_eq!(
        statement["variants"],
        json!([FULL, EXCERPT_B_EDITED, EXCERPT_A])
    );
    // The copies are one filter away.
    let copies = quotes(&server, &format!("statement={id}&limit=10"));
    assert_eq!(
        sorted_ids(&copies),
        ["paper-1#0", "paper-2#0", "paper-3#0", "wire-1#0"]
    );
    assert!(copies.body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|hit| hit["statement"]["id"] == id.as_str()));
    // An unknown statement has no copies.
    assert_eq!(
        quotes(&server, "statement=0000000000000000").body["total"],
        0
    );

    // The earliest copy goes: the next earliest names the statement.
    assert_eq!(server.delete("/v1/articles/wire-1").status, 204);
    let folded = statements(&server);
    assert_eq!(folded.body["total"], 1, "{}", folded.body);
    let renamed = folded.body["hits"][0]["statement"]["id"].as_str().unwrap();
    assert_ne!(renamed, id);
    assert_eq!(folded.body["hits"][0]["statement"]["copies"], 3);
    assert_eq!(
        quotes(&server, &format!("statement={renamed}&limit=0")).body["total"],
        3
    );

    // The last whole copy goes: the two excerpts share no words, so they
    // were one statement only through it.
    assert_eq!(server.delete("/v1/articles/paper-1").status, 204);
    let split = statements(&server);
    assert_eq!(split.body["total"], 2, "{}", split.body);
    assert_eq!(sorted_ids(&split), ["paper-2#0", "paper-3#0"]);
    for hit in split.body["hits"].as_array().unwrap() {
        assert_eq!(hit["statement"]["copies"], 1, "{hit}");
    }
}

fn statements_group_hits_and_count_facets(backend: TestBackend) {
    let server = backend.start();
    let published = "2024-03-01T08:00:00Z";
    for (id, source) in [
        ("wire-1", "Wire"),
        ("paper-1", "Paper"),
        ("paper-2", "Paper"),
    ] {
        post(
            &server,
            &article(id, source, published, "Hisham Nazer", FULL),
        );
    }
    post(
        &server,
        &article(
            "wire-2",
            "Wire",
            published,
            "Hisham Nazer",
            "Oil prices will recover in the second half of the year as demand grows.",
        ),
    );
    post(
        &server,
        &article(
            "wire-3",
            "Wire",
            published,
            "Subroto",
            "We hope the weak price will be overcome in the third quarter.",
        ),
    );

    // Copies: five quotes; statements: three.
    let copies = quotes(&server, "facets=speaker,source&limit=10");
    assert_eq!(copies.body["total"], 5);
    assert_eq!(
        copies.body["facets"]["speaker"],
        json!([{"value": "Hisham Nazer", "count": 4}, {"value": "Subroto", "count": 1}])
    );
    let grouped = quotes(
        &server,
        "group=statement&count=statements&facets=speaker,source&limit=10",
    );
    assert_eq!(grouped.body["total"], 3, "{}", grouped.body);
    assert_eq!(grouped.body["hits"].as_array().unwrap().len(), 3);
    assert_eq!(
        grouped.body["facets"]["speaker"],
        json!([{"value": "Hisham Nazer", "count": 2}, {"value": "Subroto", "count": 1}])
    );
    // A statement counts once in each source that carries a matching copy.
    assert_eq!(
        grouped.body["facets"]["source"],
        json!([{"value": "Wire", "count": 3}, {"value": "Paper", "count": 1}])
    );

    // A query matching some words: each statement once, by its best copy.
    let adhering = quotes(&server, "q=adhering&group=statement");
    assert_eq!(adhering.body["total"], 1);
    assert_eq!(adhering.body["hits"][0]["statement"]["copies"], 3);

    // Paging by cursor never shows a statement twice.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = quotes(
            &server,
            &format!(
                "group=statement&limit=1&sort=-published&cursor={}",
                encode(&cursor)
            ),
        );
        for hit in page.body["hits"].as_array().unwrap() {
            seen.push(hit["statement"]["id"].as_str().unwrap().to_owned());
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    let mut distinct = seen.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!((seen.len(), distinct.len()), (3, 3), "{seen:?}");

    // Bad values are refused with the parameter named.
    for query in [
        "group=statements",
        "count=quotes",
        "group=statement&facets=nothing",
    ] {
        let answer = server.get(&format!("/v1/quotes?{query}"));
        assert_eq!(answer.status, 400, "{query}: {}", answer.body);
    }
    let answer = server.get("/v1/search?group=statement");
    assert_eq!(answer.body["error"]["code"], "unknown_parameter");
}

fn the_timeline_counts_what_the_filtered_quote_search_counts(backend: TestBackend) {
    let server = backend.start();
    let posts = [
        ("jan-1", "Wire", "2024-01-10T08:00:00Z", FULL),
        ("jan-2", "Paper", "2024-01-11T08:00:00Z", FULL),
        (
            "jan-3",
            "Wire",
            "2024-01-20T08:00:00Z",
            "The central bank will raise interest rates to defend the currency.",
        ),
        (
            "mar-1",
            "Wire",
            "2024-03-05T08:00:00Z",
            "Oil prices will recover in the second half of the year as demand grows.",
        ),
    ];
    for (id, source, published, quote) in posts {
        post(
            &server,
            &article(id, source, published, "Hisham Nazer", quote),
        );
    }
    let mut undated = article("undated-1", "Wire", "", "Nazer", EXCERPT_A);
    undated.as_object_mut().unwrap().remove("published");
    post(&server, &undated);
    // An article quoting him and another speaker.
    let opening = "Hisham Nazer said: “";
    let first = "We will defend the price of oil with every means we have.";
    let middle = "” Subroto said: “";
    let second = "Indonesia agrees with the Saudi position on prices.";
    let start = opening.chars().count();
    let second_start = start + first.chars().count() + middle.chars().count();
    post(
        &server,
        &json!({
            "id": "mar-2", "title": "Oil ministers", "source": "Wire",
            "published": "2024-03-20T08:00:00Z",
            "body": format!("{opening}{first}{middle}{second}”"),
            "quotes": [
                {"quote": first, "start": start, "end": start + first.chars().count(),
                 "kind": "direct", "speaker": "Hisham Nazer", "speaker_kind": "person"},
                {"quote": second, "start": second_start,
                 "end": second_start + second.chars().count(),
                 "kind": "direct", "speaker": "Subroto", "speaker_kind": "person"},
            ],
        }),
    );

    // By surname: the identity's timeline.
    let timeline = server.get("/v1/speakers/Nazer/timeline");
    assert_eq!(timeline.status, 200, "{}", timeline.body);
    let body = &timeline.body;
    assert_eq!(body["speaker"], "Hisham Nazer");
    assert_eq!(body["interval"], "month");
    assert_eq!(body["quotes"], 6);
    assert_eq!(body["undated_quotes"], 1);
    // Jan: FULL twice (one statement) and another; Mar: two others; the
    // undated excerpt folds into FULL's statement.
    assert_eq!(body["statements"], 4, "{body}");
    let labels: Vec<&str> = body["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|interval| interval["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2024-01", "2024-02", "2024-03"]);
    for interval in body["intervals"].as_array().unwrap() {
        let month = interval["label"].as_str().unwrap();
        let filter = format!("speaker=Hisham%20Nazer&month={month}&limit=0");
        assert_eq!(
            interval["quotes"],
            quotes(&server, &filter).body["total"],
            "{month}"
        );
        assert_eq!(
            interval["statements"],
            quotes(&server, &format!("{filter}&group=statement")).body["total"],
            "{month}"
        );
        for topic in interval["topics"].as_array().unwrap() {
            let path = topic["topic"].as_str().unwrap();
            let filtered = format!("{filter}&topic={}", encode(path));
            assert_eq!(topic["quotes"], quotes(&server, &filtered).body["total"]);
            assert_eq!(
                topic["statements"],
                quotes(&server, &format!("{filtered}&group=statement")).body["total"]
            );
        }
    }
    assert_eq!(body["intervals"][0]["quotes"], 3);
    assert_eq!(body["intervals"][0]["statements"], 2);
    assert_eq!(body["intervals"][1]["quotes"], 0);
    assert_eq!(
        body["co_quoted"],
        json!([{"speaker": "Subroto", "articles": 1}])
    );

    // Weeks and days cover the same dated quotes.
    for interval in ["week", "day"] {
        let timeline = server.get(&format!(
            "/v1/speakers/Hisham%20Nazer/timeline?interval={interval}&speakers_limit=0"
        ));
        assert_eq!(timeline.status, 200, "{}", timeline.body);
        let dated: u64 = timeline.body["intervals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|interval| interval["quotes"].as_u64().unwrap())
            .sum();
        assert_eq!(dated, 5, "{interval}");
        assert_eq!(timeline.body["co_quoted"], json!([]));
    }
    let first_week = server.get("/v1/speakers/Nazer/timeline?interval=week");
    assert_eq!(first_week.body["intervals"][0]["label"], "2024-W02");
    assert_eq!(first_week.body["intervals"][0]["start"], "2024-01-08");

    // Bad input: clear JSON errors.
    let cases = [
        (
            "/v1/speakers/Nazer/timeline?interval=year",
            400,
            "invalid_parameter",
        ),
        (
            "/v1/speakers/Nazer/timeline?topic=world",
            400,
            "invalid_parameter",
        ),
        (
            "/v1/speakers/Nazer/timeline?speakers_limit=1000",
            400,
            "invalid_parameter",
        ),
        (
            "/v1/speakers/Nazer/timeline?colour=red",
            400,
            "unknown_parameter",
        ),
        (
            "/v1/speakers/Nazer/timeline?from=2024-05-01&to=2024-01-01",
            400,
            "invalid_parameter",
        ),
        (
            "/v1/speakers/Nobody%20Known/timeline",
            404,
            "speaker_not_found",
        ),
    ];
    for (path, status, code) in cases {
        let answer = server.get(path);
        assert_eq!(answer.status, status, "{path}: {}", answer.body);
        assert_eq!(answer.body["error"]["code"], code, "{path}");
    }
}

on_both_backends!(
    a_reprint_and_an_update_fold_into_one_statement_and_a_delete_splits_it,
    statements_group_hits_and_count_facets,
    the_timeline_counts_what_the_filtered_quote_search_counts,
);
