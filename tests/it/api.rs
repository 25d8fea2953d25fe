//! The HTTP API end to end: ingest, quote search, facets, upsert, delete,
//! bulk, persistence across restarts, the query language, paging, catalogs,
//! and the command line's agreement with the API.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::{json, Value};

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{
    encode, fixture_count, hits, import_with_cli, TestServer, ARTICLES_NDJSON, SEED_TEXT,
};

fn seed_article() -> Value {
    json!({
        "id": "seed",
        "title": "Xi tells Blinken the US and China should be partners, not rivals",
        "body": SEED_TEXT,
        "source": "CNN",
        "published": "2024-04-26",
    })
}

fn facet_map(answer: &crate::helpers::Answer, facet: &str) -> BTreeMap<String, u64> {
    answer.body["facets"][facet]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {facet} in {}", answer.body))
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_owned(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn seed_quote_is_found_by_phrase_and_speaker(backend: TestBackend) {
    let server = backend.start();
    let created = server.post_json("/v1/articles", &seed_article());
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body, json!({"ids": ["seed"], "indexed": 1}));

    let path = format!(
        "/v1/quotes?q={}&speaker={}",
        encode("\"downward spiral\""),
        encode("Wang Yi")
    );
    let found = server.get(&path);
    assert_eq!(found.status, 200, "{}", found.body);
    let quotes = hits(&found);
    assert!(
        !quotes.is_empty(),
        "no Wang Yi quote with 'downward spiral': {}",
        found.body
    );
    for quote in quotes {
        assert_eq!(quote["speaker"], "Wang Yi");
        assert!(
            quote["quote"].as_str().unwrap().contains("downward spiral"),
            "{quote}"
        );
        assert!(
            quote["snippet"]
                .as_str()
                .unwrap()
                .contains("<mark>downward</mark>"),
            "{quote}"
        );
        assert_eq!(quote["article"]["id"], "seed");
        assert_eq!(quote["article"]["source"], "CNN");
        // Offsets point at the quote in the article body (code points).
        let start = quote["start"].as_u64().unwrap() as usize;
        let end = quote["end"].as_u64().unwrap() as usize;
        let body: Vec<char> = SEED_TEXT.chars().collect();
        let at_offsets: String = body[start..end].iter().collect();
        assert!(at_offsets.contains("downward spiral"), "{at_offsets}");
    }
    // The speaker filter ignores case.
    let lower = server.get(&format!(
        "/v1/quotes?q=spiral&speaker={}",
        encode("wang yi")
    ));
    assert_eq!(lower.body["total"], found.body["total"]);
    // A speaker filter also matches through the alias table (config/aliases.toml
    // maps "Anthony Blinken" to "Antony Blinken").
    let by_alias = server.get(&format!(
        "/v1/quotes?speaker={}&limit=100",
        encode("Anthony Blinken")
    ));
    let by_name = server.get(&format!(
        "/v1/quotes?speaker={}&limit=100",
        encode("Antony Blinken")
    ));
    assert!(
        by_name.body["total"].as_u64().unwrap() > 3,
        "{}",
        by_name.body
    );
    assert_eq!(by_alias.body["total"], by_name.body["total"]);
    // Another speaker's filter excludes them.
    let other = server.get(&format!(
        "/v1/quotes?q=spiral&speaker={}",
        encode("Nobody Atall")
    ));
    assert_eq!(other.body["total"], 0);
}

fn speaker_facet_counts_match_the_quotes_indexed(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let stats = server.get("/v1/stats");
    let quote_total = stats.body["quotes"].as_u64().unwrap();
    assert!(quote_total > 20, "too few quotes extracted: {}", stats.body);

    let all = server.get("/v1/quotes?limit=1000&facets=speaker,kind&facet_limit=1000");
    assert_eq!(all.status, 200);
    assert_eq!(all.body["total"].as_u64().unwrap(), quote_total);
    // The facet counts speaker identities: each quote counts for the
    // identity whose names (as `/v1/speakers` lists them) include its speaker.
    let identity_of = identities_by_name(&server);
    let mut counted: BTreeMap<String, u64> = BTreeMap::new();
    for quote in hits(&all) {
        if let Some(speaker) = quote["speaker"].as_str() {
            let identity = identity_of.get(speaker).map_or(speaker, String::as_str);
            *counted.entry(identity.to_owned()).or_default() += 1;
        }
    }
    let facet = facet_map(&all, "speaker");
    assert!(!facet.is_empty());
    assert_eq!(
        facet, counted,
        "speaker facet disagrees with the quotes returned"
    );
    assert_eq!(all.body["facets_distinct"]["speaker"], counted.len());
    let kinds: u64 = facet_map(&all, "kind").values().sum();
    assert_eq!(kinds, quote_total, "every quote has exactly one kind");

    // Filtering by a speaker returns exactly the facet's count.
    let (top_speaker, top_count) = counted.iter().max_by_key(|(_, c)| **c).unwrap();
    let filtered = server.get(&format!(
        "/v1/quotes?speaker={}&limit=0",
        encode(top_speaker)
    ));
    assert_eq!(filtered.body["total"].as_u64().unwrap(), *top_count);
    assert_eq!(hits(&filtered).len(), 0, "limit=0 returns no hits");

    // facet_limit caps the list but not the distinct count.
    let capped = server.get("/v1/quotes?limit=0&facets=speaker&facet_limit=1");
    assert_eq!(
        capped.body["facets"]["speaker"].as_array().unwrap().len(),
        1
    );
    assert_eq!(
        capped.body["facets"]["speaker"][0]["count"]
            .as_u64()
            .unwrap(),
        *top_count
    );
    assert_eq!(capped.body["facets_distinct"]["speaker"], counted.len());

    // Article facets count articles: each article lists its speakers.
    let articles = server.get("/v1/search?limit=1000&facets=speaker,source,month&facet_limit=1000");
    assert_eq!(
        articles.body["total"].as_u64().unwrap() as usize,
        fixture_count()
    );
    let mut per_article: BTreeMap<String, u64> = BTreeMap::new();
    for hit in hits(&articles) {
        let identities: BTreeSet<&str> = hit["speakers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|speaker| {
                let speaker = speaker.as_str().unwrap();
                identity_of.get(speaker).map_or(speaker, String::as_str)
            })
            .collect();
        for identity in identities {
            *per_article.entry(identity.to_owned()).or_default() += 1;
        }
    }
    assert_eq!(facet_map(&articles, "speaker"), per_article);
    let sources = facet_map(&articles, "source");
    assert_eq!(sources.get("BBC News"), Some(&9));
    assert_eq!(sources.get("Reuters"), Some(&3));
    assert_eq!(sources.get("CNN"), Some(&1));
    assert_eq!(facet_map(&articles, "month").get("2024-04"), Some(&1));
}

/// Speaker name → canonical name of its identity, from `/v1/speakers`.
fn identities_by_name(server: &TestServer) -> BTreeMap<String, String> {
    let catalog = server.get("/v1/speakers?limit=10000");
    assert_eq!(catalog.status, 200, "{}", catalog.body);
    let mut identity_of = BTreeMap::new();
    for entry in catalog.body["values"].as_array().unwrap() {
        let canonical = entry["value"].as_str().unwrap().to_owned();
        for alias in entry["aliases"].as_array().unwrap() {
            identity_of.insert(alias.as_str().unwrap().to_owned(), canonical.clone());
        }
        identity_of.insert(canonical.clone(), canonical);
    }
    identity_of
}

fn upsert_replaces_the_article_and_its_quotes_atomically(backend: TestBackend) {
    let server = backend.start();
    assert_eq!(
        server.post_json("/v1/articles", &seed_article()).status,
        201
    );
    let before = server.get("/v1/stats").body;
    assert!(before["quotes"].as_u64().unwrap() > 5);

    let replacement = json!({
        "id": "seed",
        "title": "A shorter version",
        "body": "“We are ready to talk,” said Maria Gonzalez, the trade minister. Nothing more was said about it.",
        "source": "Example Wire",
    });
    let answer = server.post_json("/v1/articles", &replacement);
    assert_eq!(answer.status, 201, "{}", answer.body);
    let after = server.get("/v1/stats").body;
    assert_eq!(after["articles"], 1);
    assert_eq!(after["quotes"], 1, "old quotes must be gone: {after}");

    let stored = server.get("/v1/articles/seed");
    assert_eq!(stored.status, 200);
    assert_eq!(stored.body["title"], "A shorter version");
    assert_eq!(stored.body["quotes"].as_array().unwrap().len(), 1);
    assert_eq!(stored.body["quotes"][0]["speaker"], "Maria Gonzalez");
    assert_eq!(server.get("/v1/quotes?q=spiral").body["total"], 0);
    assert_eq!(server.get("/v1/quotes?q=talk").body["total"], 1);
    assert_eq!(server.get("/v1/search?source=CNN").body["total"], 0);
}

fn delete_removes_the_article_and_its_quotes(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let before = server.get("/v1/stats").body;
    let seed = server.get("/v1/articles/cnn-blinken-beijing");
    assert_eq!(seed.status, 200);
    let seed_quotes = seed.body["quotes"].as_array().unwrap().len() as u64;
    assert!(seed_quotes > 0);

    let deleted = server.delete("/v1/articles/cnn-blinken-beijing");
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.body, Value::Null);
    assert_eq!(server.get("/v1/articles/cnn-blinken-beijing").status, 404);
    let after = server.get("/v1/stats").body;
    assert_eq!(
        after["articles"].as_u64().unwrap(),
        before["articles"].as_u64().unwrap() - 1
    );
    assert_eq!(
        after["quotes"].as_u64().unwrap(),
        before["quotes"].as_u64().unwrap() - seed_quotes
    );
    assert_eq!(server.get("/v1/quotes?source=CNN").body["total"], 0);

    let again = server.delete("/v1/articles/cnn-blinken-beijing");
    assert_eq!(again.status, 404);
    assert_eq!(again.code(), "article_not_found");
}

/// What `answer` counts: its total and facet counts, without hits, scores
/// or timing (a deleted document still weighs in BM25's statistics until
/// its segment is merged, on both backends).
fn counts_of(answer: &Value) -> Value {
    json!({ "total": answer["total"], "facets": answer["facets"] })
}

/// Issue 14: the benchmark found the two backends' totals apart on two
/// queries (`today`, `statem*`) because its visibility probes stayed in the
/// indexes, 20 on the embedded server and 10 on OpenSearch. The runner now
/// deletes each probe once found; this holds both backends to what that
/// relies on: posting the probe and deleting it leaves every count as it
/// was, at once.
fn issue_14_a_deleted_probe_leaves_every_count_as_it_was(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let counted = [
        "/v1/search?q=today",
        "/v1/search?q=statem*",
        "/v1/search?q=minister&facets=topic,source,speaker",
        "/v1/search?facets=topic,source,month",
        "/v1/quotes?q=publish",
        "/v1/quotes?facets=topic,speaker,kind",
    ];
    let counts = |server: &TestServer| -> Vec<Value> {
        let mut counts: Vec<Value> = counted
            .iter()
            .map(|path| {
                let answer = server.get(path);
                assert_eq!(answer.status, 200, "{path}: {}", answer.body);
                counts_of(&answer.body)
            })
            .collect();
        let stats = server.get("/v1/stats").body;
        counts.push(json!([stats["articles"], stats["quotes"]]));
        counts
    };
    let before = counts(&server);

    let token = "zqxbenchprobe";
    let probe = json!({
        "id": "bench-visible-probe",
        "title": format!("Visibility probe {token}"),
        "body": format!("The minister said \"we will publish {token} today\" in a statement."),
    });
    assert_eq!(server.post_json("/v1/articles", &probe).status, 201);
    assert_eq!(
        server.get(&format!("/v1/search?q={token}")).body["total"],
        1
    );
    let probed = counts(&server);
    for (path, (was, is)) in counted.iter().zip(before.iter().zip(&probed)).take(3) {
        assert_eq!(
            is["total"].as_u64().unwrap(),
            was["total"].as_u64().unwrap() + 1,
            "{path} does not find the probe"
        );
    }

    assert_eq!(
        server.delete("/v1/articles/bench-visible-probe").status,
        204
    );
    assert_eq!(
        server.get(&format!("/v1/search?q={token}")).body["total"],
        0
    );
    assert_eq!(counts(&server), before);
}

fn bulk_keeps_good_lines_and_reports_bad_ones(backend: TestBackend) {
    let server = backend.start();
    let body = concat!(
        "{\"id\": \"a\", \"title\": \"First\", \"body\": \"“It works,” said Ada Lovelace.\"}\n",
        "{\"id\": \"b\", \"title\": \"Broken\", \"body\": \n",
        "\n",
        "{\"id\": \"c\", \"title\": \"Third\", \"body\": \"Plain text.\", \"published\": \"soon\"}\n",
        "{\"id\": \"d\", \"title\": \"Fourth\", \"body\": \"More plain text.\"}"
    );
    let answer = server.post_ndjson("/v1/articles/bulk", body);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["indexed"], 2);
    assert_eq!(answer.body["rejected"], 2);
    let errors = answer.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["line"], 2);
    assert_eq!(errors[0]["error"]["code"], "malformed_json");
    assert_eq!(errors[1]["line"], 4);
    assert_eq!(errors[1]["error"]["code"], "invalid_date");
    assert_eq!(server.get("/v1/articles/a").status, 200);
    assert_eq!(server.get("/v1/articles/b").status, 404);
    assert_eq!(server.get("/v1/articles/c").status, 404);
    assert_eq!(server.get("/v1/articles/d").status, 200);
    assert_eq!(server.get("/v1/stats").body["articles"], 2);
}

fn acknowledged_writes_survive_kill_and_restart(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let extra = json!({"id": "late", "title": "Late news", "body": "“Quixotic plans never die,” the spokesman said."});
    assert_eq!(server.post_json("/v1/articles", &extra).status, 201);
    assert_eq!(server.delete("/v1/articles/bbc-tech-100").status, 204);
    let before = server.get("/v1/stats").body;
    let store = server.store();
    let temp = server.kill_hard();

    let restarted = store.start(&[]);
    let after = restarted.get("/v1/stats").body;
    assert_eq!(after["articles"], before["articles"]);
    assert_eq!(after["quotes"], before["quotes"]);
    assert_eq!(restarted.get("/v1/articles/late").status, 200);
    assert_eq!(restarted.get("/v1/articles/bbc-tech-100").status, 404);
    assert_eq!(restarted.get("/v1/search?q=quixotic").body["total"], 1);

    // A clean stop keeps everything too.
    let more = json!({"id": "later", "title": "Later news", "body": "Nothing quoted."});
    assert_eq!(restarted.post_json("/v1/articles", &more).status, 201);
    restarted.stop();
    let third = store.start(&[]);
    assert_eq!(third.get("/v1/articles/later").status, 200);
    drop(third);
    drop(temp);
}

fn articles_without_ids_get_stable_ones(backend: TestBackend) {
    let server = backend.start();
    let article = json!({"title": "No id", "body": "Some text about markets."});
    let first = server.post_json("/v1/articles", &article);
    let second = server.post_json("/v1/articles", &article);
    assert_eq!(first.status, 201);
    assert_eq!(first.body["ids"], second.body["ids"]);
    assert_eq!(server.get("/v1/stats").body["articles"], 1);
    let with_url = json!({"title": "A", "body": "x", "url": "https://example.test/a"});
    let edited = json!({"title": "A (updated)", "body": "y", "url": "https://example.test/a"});
    let a = server.post_json("/v1/articles", &with_url);
    let b = server.post_json("/v1/articles", &edited);
    assert_eq!(a.body["ids"], b.body["ids"]);
    let id = b.body["ids"][0].as_str().unwrap();
    assert_eq!(
        server.get(&format!("/v1/articles/{id}")).body["title"],
        "A (updated)"
    );
    // An array is indexed all together.
    let batch = json!([{"id": "x1", "title": "X1", "body": "one"}, {"id": "x2", "title": "X2", "body": "two"}]);
    let answer = server.post_json("/v1/articles", &batch);
    assert_eq!(answer.body, json!({"ids": ["x1", "x2"], "indexed": 2}));
}

fn query_language_filters_sorting_and_paging(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let total = |path: &str| -> u64 {
        let answer = server.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        answer.body["total"].as_u64().unwrap()
    };
    // Stemming: the plural finds the singular and back.
    assert!(total("/v1/search?q=negotiations") > 0 || total("/v1/search?q=election") > 0);
    assert_eq!(
        total("/v1/search?q=elections"),
        total("/v1/search?q=election")
    );
    // Phrases, booleans, prefixes, fields.
    assert_eq!(
        total(&format!("/v1/search?q={}", encode("\"downward spiral\""))),
        1
    );
    let china = total("/v1/search?q=china");
    let taiwan = total("/v1/search?q=taiwan");
    let both = total(&format!("/v1/search?q={}", encode("china AND taiwan")));
    let either = total(&format!("/v1/search?q={}", encode("china OR taiwan")));
    let china_not_taiwan = total(&format!("/v1/search?q={}", encode("china -taiwan")));
    assert!(both >= 1);
    assert_eq!(either, china + taiwan - both);
    assert_eq!(china_not_taiwan, china - both);
    assert_eq!(
        total(&format!("/v1/search?q={}", encode("china taiwan"))),
        both
    );
    assert!(total(&format!("/v1/search?q={}", encode("blink*"))) >= 1);
    assert_eq!(
        total(&format!("/v1/search?q={}", encode("title:blinken"))),
        1
    );
    assert_eq!(total("/v1/search?q=*"), fixture_count() as u64);
    assert_eq!(total("/v1/search"), fixture_count() as u64);

    // Filters: OR within a filter, AND across filters, dates inclusive.
    assert_eq!(total("/v1/search?source=Reuters"), 3);
    assert_eq!(total("/v1/search?source=Reuters&source=CNN"), 4);
    assert_eq!(total("/v1/search?source=Reuters&from=2000-01-01"), 0);
    assert_eq!(total("/v1/search?from=2005-01-01&to=2005-01-31"), 3);
    assert_eq!(total("/v1/search?from=2005-03-11&to=2005-03-11"), 1);
    assert_eq!(total("/v1/search?from=2024-04-26T00:00:00Z"), 1);

    // Sorting by date, newest first, undated last.
    let newest = server.get("/v1/search?sort=-published&limit=100");
    let dates: Vec<&str> = hits(&newest)
        .iter()
        .map(|h| h["published"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(dates[0], "2024-04-26T00:00:00Z");
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let oldest = server.get("/v1/search?sort=published&limit=1");
    assert!(hits(&oldest)[0]["published"]
        .as_str()
        .unwrap()
        .starts_with("1987-02-26"));

    // Cursor paging visits every article exactly once, in the same order as one big page.
    for sort in ["relevance", "-published", "published"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/v1/search?q=the&limit=4&sort={sort}");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={}", encode(cursor)));
            }
            let page = server.get(&path);
            assert_eq!(page.status, 200, "{}", page.body);
            seen.extend(
                hits(&page)
                    .iter()
                    .map(|h| h["id"].as_str().unwrap().to_owned()),
            );
            match page.body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
            assert!(seen.len() <= fixture_count(), "paging does not end");
        }
        let whole = server.get(&format!("/v1/search?q=the&limit=100&sort={sort}"));
        let expected: Vec<String> = hits(&whole)
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(seen, expected, "sort {sort}");
        assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), seen.len());
    }
    // Offset paging agrees with one big page.
    let page2 = server.get("/v1/search?q=the&limit=3&offset=3");
    let whole = server.get("/v1/search?q=the&limit=6");
    assert_eq!(hits(&page2)[..], hits(&whole)[3..6]);

    // POST takes the same parameters as JSON.
    let posted = server.post_json(
        "/v1/quotes",
        &json!({"q": "spiral", "speaker": ["Wang Yi"], "facets": ["speaker"], "limit": 5}),
    );
    let got = server.get(&format!(
        "/v1/quotes?q=spiral&speaker={}&facets=speaker&limit=5",
        encode("Wang Yi")
    ));
    assert_eq!(posted.status, 200, "{}", posted.body);
    assert_eq!(posted.body["hits"], got.body["hits"]);
    assert_eq!(posted.body["facets"], got.body["facets"]);
}

fn catalogs_list_speakers_and_topics(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let speakers = server.get("/v1/speakers?limit=1000");
    assert_eq!(speakers.status, 200);
    let all = speakers.body["values"].as_array().unwrap();
    assert!(
        all.iter().any(|v| v["value"] == "Wang Yi"),
        "{}",
        speakers.body
    );
    // The prefix matches the canonical name or one of the other names.
    let prefixed = server.get("/v1/speakers?prefix=wan");
    for value in prefixed.body["values"].as_array().unwrap() {
        let names = std::iter::once(&value["value"]).chain(value["aliases"].as_array().unwrap());
        assert!(
            names
                .map(|name| name.as_str().unwrap().to_lowercase())
                .any(|name| name.starts_with("wan")),
            "{value}"
        );
    }
    assert!(prefixed.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["value"] == "Wang Yi"));

    let top = server.get("/v1/topics?limit=1000");
    let values = top.body["values"].as_array().unwrap();
    assert!(!values.is_empty());
    let children = server.get(&format!("/v1/topics?parent={}", encode("/world")));
    assert_eq!(children.status, 200);
    for child in children.body["values"].as_array().unwrap() {
        let path = child["value"].as_str().unwrap();
        assert!(
            path.starts_with("/world/") && path.matches('/').count() == 2,
            "{path}"
        );
    }
    // A parent counts at least as many articles as any child.
    let world = values
        .iter()
        .find(|v| v["value"] == "/world")
        .map(|v| v["count"].as_u64().unwrap());
    for child in children.body["values"].as_array().unwrap() {
        assert!(world.unwrap_or(0) >= child["count"].as_u64().unwrap());
    }
    assert_eq!(server.get("/v1/speakers?limit=0").status, 400);
    assert_eq!(server.get("/v1/topics?parent=world").status, 400);
    assert_eq!(
        server.get("/v1/speakers?colour=red").code(),
        "unknown_parameter"
    );
}

#[test]
fn command_line_search_and_import_agree_with_the_api() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("index");
    let fixtures = temp.path().join("articles.ndjson");
    std::fs::write(&fixtures, ARTICLES_NDJSON).unwrap();
    let summary = import_with_cli(&dir, &fixtures);
    assert!(
        summary.contains(&format!("indexed {} articles", fixture_count())),
        "{summary}"
    );

    let server = TestServer::start_on(&dir, &[]);
    let api = server.get(&format!(
        "/v1/quotes?q=china&speaker={}&facets=speaker,topic",
        encode("Wang Yi")
    ));
    server.stop();
    let cli = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args([
            "search",
            "china",
            "--quotes",
            "--speaker",
            "Wang Yi",
            "--facets",
            "speaker,topic",
            "--index-dir",
        ])
        .arg(&dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let printed: Value = serde_json::from_slice(&cli.stdout).unwrap();
    for key in ["total", "hits", "facets", "facets_distinct"] {
        assert_eq!(
            printed[key], api.body[key],
            "{key} differs between CLI and API"
        );
    }
    assert!(printed["total"].as_u64().unwrap() > 0);
}

fn quotes_expose_kind_role_cue_and_confidence_and_filter_on_them(backend: TestBackend) {
    let server = backend.start();
    let created = server.post_json("/v1/articles", &seed_article());
    assert_eq!(created.status, 201, "{}", created.body);

    let all = server.get("/v1/quotes?limit=1000&facets=kind");
    let all_hits = hits(&all);
    assert!(all_hits.len() > 20, "{}", all.body);
    for quote in all_hits {
        let confidence = quote["confidence"]
            .as_f64()
            .unwrap_or_else(|| panic!("no confidence in {quote}"));
        assert!((0.0..=1.0).contains(&confidence), "{quote}");
        assert!(quote["kind"].is_string(), "{quote}");
        assert!(quote.get("cue").is_some(), "{quote}");
    }
    // Wang Yi's quotes carry his role and a cue that points into the body.
    let wang = server.get(&format!(
        "/v1/quotes?speaker={}&limit=50",
        encode("Wang Yi")
    ));
    let body: Vec<char> = SEED_TEXT.chars().collect();
    let with_cue = hits(&wang)
        .iter()
        .filter(|q| q["cue"].is_object())
        .collect::<Vec<_>>();
    assert!(!with_cue.is_empty(), "{}", wang.body);
    for quote in &with_cue {
        let cue = &quote["cue"];
        let (start, end) = (
            cue["start"].as_u64().unwrap() as usize,
            cue["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            body[start..end].iter().collect::<String>(),
            cue["text"],
            "{quote}"
        );
    }
    assert!(
        hits(&wang).iter().any(|q| q["role"]
            .as_str()
            .is_some_and(|r| r.contains("Foreign Minister"))),
        "{}",
        wang.body
    );

    // The kind filter returns exactly the quotes the kind facet counts.
    let kinds = facet_map(&all, "kind");
    for (kind, count) in &kinds {
        let only = server.get(&format!("/v1/quotes?kind={kind}&limit=0"));
        assert_eq!(
            only.body["total"].as_u64(),
            Some(*count),
            "{kind}: {}",
            only.body
        );
    }
    assert!(
        kinds.contains_key("direct") && kinds.contains_key("partial"),
        "{kinds:?}"
    );

    // min_confidence keeps exactly the quotes at or above the threshold.
    let total = all.body["total"].as_u64().unwrap();
    for threshold in [0.0, 0.5, 0.8, 0.9, 1.0] {
        let expected = all_hits
            .iter()
            .filter(|q| q["confidence"].as_f64().unwrap() >= threshold - 1e-6)
            .count() as u64;
        let kept = server.get(&format!("/v1/quotes?min_confidence={threshold}&limit=0"));
        assert_eq!(kept.status, 200, "{}", kept.body);
        assert_eq!(kept.body["total"].as_u64(), Some(expected), "{threshold}");
    }
    let high = server.get("/v1/quotes?min_confidence=0.8&limit=0").body["total"]
        .as_u64()
        .unwrap();
    assert!(high > 0 && high < total, "{high} of {total}");
    // Also in the POST body (as a number) and in the export.
    let posted = server.post_json("/v1/quotes", &json!({"min_confidence": 0.8, "limit": 0}));
    assert_eq!(posted.body["total"].as_u64(), Some(high), "{}", posted.body);
    let export = server.send_raw("GET", "/v1/quotes/export?min_confidence=0.8", &[], b"");
    assert_eq!(export.status, 200);
    assert_eq!(export.text.lines().count() as u64, high);
    let csv = server.send_raw(
        "GET",
        "/v1/quotes/export?format=csv&min_confidence=0.8",
        &[],
        b"",
    );
    assert!(
        csv.text.lines().next().unwrap().ends_with(",confidence"),
        "{}",
        csv.text
    );

    // Bad values are 400s; articles have no confidence.
    for bad in ["1.5", "-0.1", "high", "NaN"] {
        let answer = server.get(&format!("/v1/quotes?min_confidence={bad}"));
        assert_eq!(answer.status, 400, "{bad}: {}", answer.body);
        assert_eq!(answer.code(), "invalid_parameter", "{}", answer.body);
    }
    let articles = server.get("/v1/search?min_confidence=0.5");
    assert_eq!(articles.status, 400);
    assert_eq!(articles.code(), "unknown_parameter");
}

/// A query of negations alone (`-china`) matches every quote and article
/// without the word, each scoring 1, so a hit's score and the first hits do
/// not depend on `limit` or on where the backend keeps the documents. Two
/// writes make two embedded segments, only the first with the word: there,
/// tantivy dropped the match-all (and its score of 1) from the conjunction
/// with the kind filter where no excluded term occurs, scoring the second
/// write's hits 0 (52 of 181 quote hits scored 1 on the sample articles, all
/// of those `limit=5` shows). OpenSearch scores every hit 1.
fn a_negation_alone_scores_every_hit_1_at_any_limit(backend: TestBackend) {
    let server = backend.start();
    let plain = json!({
        "id": "plain",
        "title": "Rates unchanged",
        "body": "“Rates will stay where they are,” said Ann Lee, the bank's governor.",
        "source": "Example Wire",
        "published": "2024-05-01",
    });
    let created = server.post_json("/v1/articles", &json!([seed_article(), plain]));
    assert_eq!(created.status, 201, "{}", created.body);
    let harvest = json!({
        "id": "harvest",
        "title": "Wheat harvest beats forecasts",
        "body": "“The harvest is the best in ten years,” said Maria Gonzalez, the farm minister. \
                 “Prices will fall before winter,” said Tom Baker, a grain trader in Chicago.",
        "source": "Example Wire",
        "published": "2024-05-02",
    });
    assert_eq!(server.post_json("/v1/articles", &harvest).status, 201);
    for target in ["/v1/quotes", "/v1/search"] {
        let page = |limit: usize| {
            let answer = server.get(&format!("{target}?q={}&limit={limit}", encode("-china")));
            assert_eq!(answer.status, 200, "{target}: {}", answer.body);
            answer
        };
        let (five, all) = (page(5), page(200));
        let total = all.body["total"].as_u64().unwrap() as usize;
        assert_eq!(five.body["total"], all.body["total"], "{target}");
        assert_eq!(
            hits(&all).len(),
            total,
            "{target}: one page holds every hit"
        );
        assert!(total >= 2, "{target}: {}", all.body);
        for hit in hits(&all) {
            assert_eq!(hit["score"], 1.0, "{target}: {hit}");
        }
        let shown = hits(&five).len();
        assert_eq!(shown, total.min(5), "{target}");
        assert_eq!(hits(&five)[..], hits(&all)[..shown], "{target}");
    }
    // By date, newest first, as any search.
    let newest = server.get(&format!(
        "/v1/search?q={}&sort=-published",
        encode("-china")
    ));
    let ids: Vec<&str> = hits(&newest)
        .iter()
        .map(|hit| hit["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["harvest", "plain"]);
}

on_both_backends!(
    seed_quote_is_found_by_phrase_and_speaker,
    speaker_facet_counts_match_the_quotes_indexed,
    upsert_replaces_the_article_and_its_quotes_atomically,
    delete_removes_the_article_and_its_quotes,
    issue_14_a_deleted_probe_leaves_every_count_as_it_was,
    bulk_keeps_good_lines_and_reports_bad_ones,
    acknowledged_writes_survive_kill_and_restart,
    articles_without_ids_get_stable_ones,
    query_language_filters_sorting_and_paging,
    catalogs_list_speakers_and_topics,
    quotes_expose_kind_role_cue_and_confidence_and_filter_on_them,
    a_negation_alone_scores_every_hit_1_at_any_limit,
);
