//! Enrichment end to end (issue 4): the seed article's entities, roles,
//! topics and key phrases through the API, the entity and topic catalogs,
//! entity facets and filters, and quote-level topics.

use serde_json::{json, Value};

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{encode, hits, Answer, TestServer, SEED_TEXT};

/// The hand annotation of the seed article.
const SEED_GOLD: &str = include_str!("../fixtures/extraction/blinken-beijing.gold.json");

const SEED_TITLE: &str = "Xi tells Blinken the US and China should be partners, not rivals";

fn gold() -> Value {
    serde_json::from_str(SEED_GOLD).expect("gold annotation parses")
}

fn seed_article(id: &str) -> Value {
    json!({
        "id": id,
        "title": SEED_TITLE,
        "body": SEED_TEXT,
        "source": "CNN",
        "published": "2024-04-26",
    })
}

fn post(server: &TestServer, article: &Value) {
    let created = server.post_json("/v1/articles", article);
    assert_eq!(created.status, 201, "{}", created.body);
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().expect("string").to_owned())
        .collect()
}

fn entity<'a>(article: &'a Value, kind: &str, name: &str) -> Option<&'a Value> {
    article["entities"]
        .as_array()?
        .iter()
        .find(|e| e["kind"] == kind && e["name"] == name)
}

fn seed_article_entities_roles_topics_and_keyphrases(backend: TestBackend) {
    let server = backend.start();
    post(&server, &seed_article("seed"));
    let article = server.get("/v1/articles/seed");
    assert_eq!(article.status, 200, "{}", article.body);
    let article = &article.body;
    let gold = gold();

    // Every person, place and organisation of the annotation, by canonical name.
    for (kind, list) in [
        ("person", "people_mentioned"),
        ("place", "places_mentioned"),
        ("org", "organizations_mentioned"),
    ] {
        for name in strings(&gold[list]) {
            assert!(
                entity(article, kind, &name).is_some(),
                "{kind} {name} not found in {}",
                article["entities"]
            );
        }
    }
    // `US`, `U.S.` and `America` are one place.
    let united_states = entity(article, "place", "United States").unwrap();
    let aliases = strings(&united_states["aliases"]);
    for alias in ["US", "U.S.", "America"] {
        assert!(aliases.contains(&alias.to_owned()), "{aliases:?}");
    }
    // The three speakers carry their roles and affiliations.
    for (name, role, affiliation) in [
        ("Xi Jinping", "Chinese President", "China"),
        ("Wang Yi", "Chinese Foreign Minister", "China"),
        ("Antony Blinken", "U.S. Secretary of State", "United States"),
    ] {
        let person = entity(article, "person", name).unwrap();
        assert_eq!(person["role"], role, "{person}");
        assert_eq!(person["affiliation"], affiliation, "{person}");
    }
    // Beijing acting (`Beijing has slammed ...`) is also the Chinese government.
    assert!(entity(article, "org", "Chinese government").is_some());

    // At least 10 of the 13 annotated topics, as taxonomy topics or key phrases.
    let topics: Vec<String> = article["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["path"].as_str().unwrap().to_owned())
        .collect();
    let keyphrases: Vec<String> = article["keyphrases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["phrase"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(!keyphrases.is_empty());
    let expected: [(&str, &str, &str); 13] = [
        (
            "US-China relations",
            "/world/us-china",
            "us-china relations",
        ),
        ("Taiwan", "/world/asia-pacific/taiwan", "taiwan"),
        (
            "artificial intelligence",
            "/technology/ai",
            "artificial intelligence",
        ),
        ("counter-narcotics", "/crime/narcotics", "narcotics"),
        ("TikTok", "/technology/social-media", "tiktok"),
        (
            "Russia-Ukraine war",
            "/world/europe/russia-ukraine",
            "war against ukraine",
        ),
        (
            "export controls",
            "/economy/trade/export-controls",
            "export controls",
        ),
        ("trade", "/economy/trade", "trade"),
        ("election interference", "/politics/elections", "election"),
        (
            "military-to-military communication",
            "/security/military",
            "military-to-military",
        ),
        ("North Korea", "/world/asia-pacific/korea", "north korea"),
        ("Middle East", "/world/middle-east", "middle east"),
        (
            "South China Sea",
            "/world/asia-pacific/south-china-sea",
            "south china sea",
        ),
    ];
    for (gold_topic, _, _) in &expected {
        assert!(strings(&gold["topics"]).contains(&gold_topic.to_string()));
    }
    let found: Vec<&str> = expected
        .iter()
        .filter(|(_, path, phrase)| {
            topics.iter().any(|t| t == path) || keyphrases.iter().any(|k| k.contains(phrase))
        })
        .map(|(gold_topic, _, _)| *gold_topic)
        .collect();
    eprintln!("seed: {} of 13 gold topics found: {found:?}", found.len());
    assert!(
        found.len() >= 10,
        "only {} of 13 gold topics found: {found:?}; topics {topics:?}; keyphrases {keyphrases:?}",
        found.len()
    );
    // The top-level topic comes first among top-level paths, and parents
    // are listed with a score at least their children's.
    let score = |path: &str| {
        article["topics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["path"] == path)
            .and_then(|t| t["score"].as_f64())
    };
    assert_eq!(
        topics.iter().find(|t| t.matches('/').count() == 1).unwrap(),
        "/world"
    );
    assert!(score("/world").unwrap() >= score("/world/asia-pacific/taiwan").unwrap());

    // Key phrases are searchable.
    let by_keyphrase = server.get(&format!(
        "/v1/search?q={}",
        encode("keyphrase:\"artificial intelligence\"")
    ));
    assert_eq!(by_keyphrase.status, 200, "{}", by_keyphrase.body);
    let by_keyphrase_total = by_keyphrase.body["total"].as_u64().unwrap();
    let in_keyphrases = keyphrases
        .iter()
        .any(|k| k.contains("artificial intelligence"));
    assert_eq!(by_keyphrase_total, u64::from(in_keyphrases));
}

fn entity_facets_filters_and_catalog(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    post(&server, &seed_article("seed"));

    // Facets and filters over entities.
    let faceted = server.get("/v1/search?q=china&facets=person,place,org&limit=0");
    assert_eq!(faceted.status, 200, "{}", faceted.body);
    for facet in ["person", "place", "org"] {
        assert!(
            !faceted.body["facets"][facet].as_array().unwrap().is_empty(),
            "{}",
            faceted.body
        );
    }
    let taiwan = server.get("/v1/search?place=Taiwan&limit=50");
    assert!(hits(&taiwan).iter().any(|h| h["id"] == "seed"));
    let tiktok = server.get("/v1/search?org=tiktok");
    assert!(hits(&tiktok).iter().any(|h| h["id"] == "seed"));
    let nobody = server.get(&format!("/v1/search?person={}", encode("Nobody Atall")));
    assert_eq!(nobody.body["total"], 0);
    let by_field = server.get(&format!("/v1/search?q={}", encode("person:\"Wang Yi\"")));
    assert!(hits(&by_field).iter().any(|h| h["id"] == "seed"));

    // The catalog: by type and prefix, people with role and affiliation.
    let wang = server.get("/v1/entities?type=person&prefix=wang");
    assert_eq!(wang.status, 200, "{}", wang.body);
    let values = wang.body["values"].as_array().unwrap();
    let wang_yi = values
        .iter()
        .find(|v| v["value"] == "Wang Yi")
        .unwrap_or_else(|| panic!("{}", wang.body));
    assert_eq!(wang_yi["type"], "person");
    assert_eq!(wang_yi["role"], "Chinese Foreign Minister");
    assert_eq!(wang_yi["affiliation"], "China");
    assert!(wang_yi["count"].as_u64().unwrap() >= 1);
    for value in values {
        assert!(value["value"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .starts_with("wang"));
    }
    let places = server.get("/v1/entities?type=place&limit=1000");
    let place_names: Vec<&str> = places.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            assert_eq!(v["type"], "place");
            v["value"].as_str().unwrap()
        })
        .collect();
    for place in ["China", "Taiwan", "United States", "South China Sea"] {
        assert!(place_names.contains(&place), "{place_names:?}");
    }
    // Counts agree with the facet over the same documents.
    let china_facet = server.get("/v1/search?place=China&limit=0");
    let china_catalog = places.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "China")
        .unwrap();
    assert_eq!(china_catalog["count"], china_facet.body["total"]);
    // All types at once, most named first.
    let all = server.get("/v1/entities?limit=5");
    let counts: Vec<u64> = all.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts.len(), 5);
    assert!(
        counts.windows(2).all(|pair| pair[0] >= pair[1]),
        "{counts:?}"
    );
    let orgs = server.get("/v1/entities?type=org&prefix=us%20state");
    assert_eq!(orgs.body["values"][0]["value"], "US State Department");

    // Bad requests are JSON errors.
    let unknown = server.get("/v1/entities?type=planet");
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.code(), "invalid_parameter");
    assert!(unknown.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("person, place or org"));
    assert_eq!(server.get("/v1/entities?type=").status, 400);
    assert_eq!(server.get("/v1/entities?limit=0").status, 400);
    assert_eq!(
        server.get("/v1/entities?parent=/world").code(),
        "unknown_parameter"
    );
    assert_eq!(server.post_json("/v1/entities", &json!({})).status, 405);
}

fn topic_catalog_drills_down_every_level(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    post(&server, &seed_article("seed"));
    let count_of = |answer: &Answer, path: &str| {
        answer.body["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == path)
            .and_then(|v| v["count"].as_u64())
    };
    let world = server.get(&format!("/v1/topics?parent={}", encode("/world")));
    assert_eq!(world.status, 200);
    let asia_count = count_of(&world, "/world/asia-pacific").expect("/world/asia-pacific");
    for parent in [
        "/world/asia-pacific",
        "/world/asia-pacific/",
        "/World/Asia-Pacific",
    ] {
        let asia = server.get(&format!("/v1/topics?parent={}", encode(parent)));
        assert_eq!(asia.status, 200);
        let children = asia.body["values"].as_array().unwrap();
        assert!(
            count_of(&asia, "/world/asia-pacific/taiwan").is_some(),
            "{parent}: {}",
            asia.body
        );
        for child in children {
            let path = child["value"].as_str().unwrap();
            assert!(
                path.starts_with("/world/asia-pacific/") && path.matches('/').count() == 3,
                "{path}"
            );
            assert!(child["count"].as_u64().unwrap() <= asia_count);
        }
    }
    // A leaf has no children.
    let leaf = server.get(&format!(
        "/v1/topics?parent={}",
        encode("/world/asia-pacific/taiwan")
    ));
    assert_eq!(leaf.body["values"], json!([]));
}

/// Quotes of the seed article as a client would supply them: Wang Yi on
/// Taiwan, Wang Yi on trade, Blinken on artificial intelligence.
fn supplied_quotes() -> Value {
    let gold = gold();
    let wanted = [
        "Taiwan issue is the first insurmountable red line",
        "taking endless measures to crush China's economy, trade, science and technology",
        "resetting military-to-military relations, thinking together about the future of narcotics and artificial intelligence.",
    ];
    let quotes: Vec<Value> = gold["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| wanted.contains(&q["quote"].as_str().unwrap()))
        .map(|q| {
            json!({
                "quote": q["quote"],
                "start": q["start"],
                "end": q["end"],
                "kind": q["kind"],
                "speaker": q["speaker"],
            })
        })
        .collect();
    assert_eq!(quotes.len(), wanted.len());
    Value::Array(quotes)
}

fn quotes_are_filtered_by_their_own_topics(backend: TestBackend) {
    let server = backend.start();
    let mut article = seed_article("seed-supplied");
    article["quotes"] = supplied_quotes();
    post(&server, &article);

    let taiwan = server.get(&format!(
        "/v1/quotes?speaker={}&topic={}",
        encode("Wang Yi"),
        encode("/world/asia-pacific/taiwan")
    ));
    assert_eq!(taiwan.status, 200, "{}", taiwan.body);
    let quotes: Vec<&str> = hits(&taiwan)
        .iter()
        .map(|h| h["quote"].as_str().unwrap())
        .collect();
    assert_eq!(
        quotes,
        ["Taiwan issue is the first insurmountable red line"],
        "{}",
        taiwan.body
    );
    assert!(strings(&hits(&taiwan)[0]["topics"]).contains(&"/world/asia-pacific/taiwan".into()));

    // His trade quote is found under the economy, and not under Taiwan.
    let economy = server.get(&format!(
        "/v1/quotes?speaker={}&topic=/economy",
        encode("Wang Yi")
    ));
    let quotes: Vec<&str> = hits(&economy)
        .iter()
        .map(|h| h["quote"].as_str().unwrap())
        .collect();
    assert_eq!(quotes.len(), 1, "{}", economy.body);
    assert!(quotes[0].contains("crush China's economy"));

    // Blinken's quote is about the military and AI, not Taiwan.
    let ai = server.get(&format!(
        "/v1/quotes?topic={}&facets=speaker,topic,role",
        encode("/technology/ai")
    ));
    assert_eq!(ai.body["total"], 1, "{}", ai.body);
    assert_eq!(hits(&ai)[0]["speaker"], "Antony Blinken");

    // Roles reach the quotes from the entities, as a facet.
    let roles = server.get(&format!(
        "/v1/quotes?speaker={}&facets=role",
        encode("Wang Yi")
    ));
    assert_eq!(
        roles.body["facets"]["role"],
        json!([{"value": "Chinese Foreign Minister", "count": 2}]),
        "{}",
        roles.body
    );
    // Quote documents carry their own topics and the entities they name.
    let places = server.get("/v1/quotes?place=Taiwan");
    assert_eq!(places.body["total"], 1, "{}", places.body);
    let stored = server.get("/v1/articles/seed-supplied");
    let first = &stored.body["quotes"][0];
    assert!(
        first["topics"].as_array().is_some_and(|t| !t.is_empty()),
        "{first}"
    );
}

fn extracted_quotes_get_topics_of_their_own_text(backend: TestBackend) {
    let server = backend.start();
    post(&server, &seed_article("seed"));
    let taiwan = server.get(&format!(
        "/v1/quotes?topic={}&limit=100",
        encode("/world/asia-pacific/taiwan")
    ));
    let quotes: Vec<&str> = hits(&taiwan)
        .iter()
        .map(|h| h["quote"].as_str().unwrap())
        .collect();
    assert!(
        quotes.contains(&"Taiwan issue is the first insurmountable red line"),
        "{quotes:?}"
    );
    assert!(
        !quotes.iter().any(|q| q.contains("crush China's economy")),
        "{quotes:?}"
    );
    // What did Wang Yi say about Taiwan? His Taiwan quotes, not his trade quote.
    let wang_on_taiwan = server.get(&format!(
        "/v1/quotes?speaker={}&topic={}",
        encode("Wang Yi"),
        encode("/world/asia-pacific/taiwan")
    ));
    let quotes = hits(&wang_on_taiwan);
    assert!(!quotes.is_empty(), "{}", wang_on_taiwan.body);
    for quote in quotes {
        assert_eq!(quote["speaker"], "Wang Yi");
        assert!(
            quote["quote"].as_str().unwrap().contains("Taiwan issue"),
            "{quote}"
        );
    }
    let wang_on_economy = server.get(&format!(
        "/v1/quotes?speaker={}&topic=/economy",
        encode("Wang Yi")
    ));
    assert!(hits(&wang_on_economy).iter().any(|q| q["quote"]
        .as_str()
        .unwrap()
        .contains("crush China's economy")));
    // Every quote has at least its article's top-level topic.
    let all = server.get("/v1/quotes?limit=100");
    let total = all.body["total"].as_u64().unwrap();
    assert!(total > 0);
    let with_topic = server.get("/v1/quotes?topic=/world&limit=0");
    assert!(with_topic.body["total"].as_u64().unwrap() * 2 >= total);
}

on_both_backends!(
    seed_article_entities_roles_topics_and_keyphrases,
    entity_facets_filters_and_catalog,
    topic_catalog_drills_down_every_level,
    quotes_are_filtered_by_their_own_topics,
    extracted_quotes_get_topics_of_their_own_text,
);
