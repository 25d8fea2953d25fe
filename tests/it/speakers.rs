//! Speaker identities across the corpus (issue 12, item 5): filters, facets
//! and `/v1/speakers` read the speaker registry the server derives from the
//! index, so a later article that links two names relinks earlier quotes
//! without re-importing them; and the `speaker_kind` filter and facet.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{encode, hits, Answer, TestServer};

fn article(id: &str, body: &str) -> Value {
    json!({"id": id, "title": format!("Article {id}"), "body": body, "source": "Wire"})
}

fn post(server: &TestServer, article: &Value) {
    let answer = server.post_json("/v1/articles", article);
    assert_eq!(answer.status, 201, "{}", answer.body);
}

/// The quotes a `speaker` filter finds, as `article#position` ids.
fn quotes_of(server: &TestServer, speaker: &str) -> BTreeSet<String> {
    let answer = server.get(&format!(
        "/v1/quotes?speaker={}&limit=1000",
        encode(speaker)
    ));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.body["total"].as_u64().unwrap() as usize,
        hits(&answer).len()
    );
    hits(&answer)
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The articles of a set of quote ids.
fn articles_of(quotes: &BTreeSet<String>) -> BTreeSet<&str> {
    quotes
        .iter()
        .map(|id| id.split('#').next().unwrap())
        .collect()
}

/// `facets[name]` of an answer as value → count.
fn facet(answer: &Answer, name: &str) -> BTreeMap<String, u64> {
    answer.body["facets"][name]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {name} in {}", answer.body))
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_owned(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn speaker_facet(server: &TestServer) -> BTreeMap<String, u64> {
    let answer = server.get("/v1/quotes?limit=0&facets=speaker&facet_limit=1000");
    assert_eq!(answer.status, 200, "{}", answer.body);
    facet(&answer, "speaker")
}

/// The `/v1/speakers` entry whose canonical name is `name`.
fn catalog_entry(server: &TestServer, name: &str) -> Option<Value> {
    let answer = server.get("/v1/speakers?limit=1000");
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|value| value["value"] == name)
        .cloned()
}

/// The registry's relinking, on a surname no `[surnames]` entry of
/// `config/aliases.toml` names (`Reagan said` is Ronald Reagan's already at
/// extraction, so this is the Reagan case of issue 12 with another name).
fn a_later_article_links_a_surname_to_its_full_name_without_reimporting(backend: TestBackend) {
    let server = backend.start();
    post(
        &server,
        &article(
            "whitfield-surname",
            "“We will not retreat on the budget,” Whitfield said on Tuesday.",
        ),
    );
    let surname_only = quotes_of(&server, "Whitfield");
    assert_eq!(surname_only.len(), 1, "{surname_only:?}");
    assert_eq!(speaker_facet(&server).get("Whitfield"), Some(&1));

    // A later article names him in full: the earlier quote follows.
    post(
        &server,
        &article(
            "whitfield-full",
            "“The economy is strong and getting stronger,” President Ronald Whitfield said on Friday.",
        ),
    );
    let ronald = quotes_of(&server, "Ronald Whitfield");
    assert_eq!(
        articles_of(&ronald),
        BTreeSet::from(["whitfield-full", "whitfield-surname"]),
        "{ronald:?}"
    );
    assert_eq!(
        quotes_of(&server, "Whitfield"),
        ronald,
        "an alias finds its identity"
    );
    assert_eq!(
        quotes_of(&server, "ronald WHITFIELD"),
        ronald,
        "case is ignored"
    );
    let speakers = speaker_facet(&server);
    assert_eq!(speakers.get("Ronald Whitfield"), Some(&2), "{speakers:?}");
    assert!(!speakers.contains_key("Whitfield"), "{speakers:?}");
    let entry = catalog_entry(&server, "Ronald Whitfield").expect("Ronald Whitfield is listed");
    assert_eq!(entry["count"], 2);
    assert_eq!(entry["kind"], "person");
    assert_eq!(entry["role"], "President");
    assert_eq!(entry["aliases"], json!(["Whitfield"]));
    assert!(catalog_entry(&server, "Whitfield").is_none());

    // Nancy Whitfield does not join him; and the bare surname, which says
    // nothing of which Whitfield spoke, no longer joins either (the merge the
    // new evidence makes ambiguous is undone).
    post(
        &server,
        &article(
            "nancy",
            "“I am proud of what he has done,” Nancy Whitfield said at a charity lunch.",
        ),
    );
    let nancy = quotes_of(&server, "Nancy Whitfield");
    assert_eq!(articles_of(&nancy), BTreeSet::from(["nancy"]));
    let ronald = quotes_of(&server, "Ronald Whitfield");
    assert_eq!(articles_of(&ronald), BTreeSet::from(["whitfield-full"]));
    assert_eq!(quotes_of(&server, "Whitfield"), surname_only);
    let speakers = speaker_facet(&server);
    assert_eq!(
        (
            speakers.get("Ronald Whitfield"),
            speakers.get("Nancy Whitfield"),
            speakers.get("Whitfield")
        ),
        (Some(&1), Some(&1), Some(&1)),
        "{speakers:?}"
    );

    // "President Whitfield" settles it: his role is Ronald Whitfield's, so every
    // "Whitfield" quote, the first article's included, is his again.
    post(
        &server,
        &article(
            "whitfield-president",
            "“Taxes will come down next year,” President Whitfield told reporters.",
        ),
    );
    let ronald = quotes_of(&server, "Ronald Whitfield");
    assert_eq!(
        articles_of(&ronald),
        BTreeSet::from(["whitfield-full", "whitfield-president", "whitfield-surname"]),
        "{ronald:?}"
    );
    assert_eq!(speaker_facet(&server).get("Ronald Whitfield"), Some(&3));
    assert_eq!(
        articles_of(&quotes_of(&server, "Nancy Whitfield")),
        BTreeSet::from(["nancy"])
    );

    // Deleting the article that linked them undoes the link too; and
    // "President Whitfield" does not join Nancy Whitfield, the one Whitfield left.
    assert_eq!(server.delete("/v1/articles/whitfield-full").status, 204);
    let speakers = speaker_facet(&server);
    assert_eq!(speakers.get("Ronald Whitfield"), None, "{speakers:?}");
    assert_eq!(speakers.get("Whitfield"), Some(&2), "{speakers:?}");
}

/// An article whose quotes the client supplies, with their speakers exactly
/// as given (analysis does not rename them): each quote is a sentence
/// `“quote,” speaker said.` of the body. `(quote, speaker, role, kind)`.
fn supplied(id: &str, quotes: &[(&str, &str, Option<&str>, &str)]) -> Value {
    let mut body = String::new();
    let mut supplied = Vec::new();
    for (quote, speaker, role, kind) in quotes {
        let start = body.chars().count() + 1;
        body.push_str(&format!("“{quote},” {speaker} said. "));
        supplied.push(json!({
            "quote": quote, "start": start, "end": start + quote.chars().count(),
            "kind": "direct", "speaker": speaker, "role": role, "speaker_kind": kind,
        }));
    }
    json!({"id": id, "title": format!("Article {id}"), "body": body.trim_end(), "quotes": supplied})
}

/// Articles whose speakers appear under several names across the corpus.
fn corpus() -> Vec<Value> {
    vec![
        supplied(
            "stoltenberg-1",
            &[(
                "We are ready to act",
                "Gerhard Stoltenberg",
                Some("West German Finance Minister"),
                "person",
            )],
        ),
        supplied(
            "stoltenberg-2",
            &[
                (
                    "Rates will stay where they are",
                    "Stoltenberg",
                    None,
                    "person",
                ),
                ("There is no need for panic", "Stoltenberg", None, "person"),
            ],
        ),
        supplied(
            "sec-1",
            &[(
                "We are looking into the trades",
                "Securities and Exchange Commission",
                None,
                "organization",
            )],
        ),
        supplied(
            "sec-2",
            &[("The filing is incomplete", "SEC", None, "organization")],
        ),
        supplied(
            "acme",
            &[
                ("Sales will grow", "Acme Corp", None, "organization"),
                ("We are hiring", "Acme Inc.", None, "organization"),
                (
                    "We are hiring too",
                    "Jane Doe",
                    Some("spokeswoman"),
                    "person",
                ),
            ],
        ),
    ]
}

fn filters_by_canonical_name_and_alias_agree_and_facets_count_identities(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    for article in corpus() {
        post(&server, &article);
    }

    let stoltenberg = quotes_of(&server, "Gerhard Stoltenberg");
    assert_eq!(stoltenberg.len(), 3, "{stoltenberg:?}");
    assert_eq!(quotes_of(&server, "Stoltenberg"), stoltenberg);
    let sec = quotes_of(&server, "Securities and Exchange Commission");
    assert_eq!(
        articles_of(&sec),
        BTreeSet::from(["sec-1", "sec-2"]),
        "{sec:?}"
    );
    assert_eq!(quotes_of(&server, "SEC"), sec);
    assert_eq!(quotes_of(&server, "sec"), sec);

    // Every identity of the facet: its count is the number of quotes its
    // filter finds, and the identities partition the attributed quotes.
    let all = server.get("/v1/quotes?limit=1000&facets=speaker&facet_limit=1000");
    let speakers = facet(&all, "speaker");
    assert_eq!(all.body["facets_distinct"]["speaker"], speakers.len());
    let mut covered = BTreeSet::new();
    for (name, count) in &speakers {
        let quotes = quotes_of(&server, name);
        assert_eq!(quotes.len() as u64, *count, "{name}");
        assert!(
            covered.is_disjoint(&quotes),
            "{name} overlaps another identity"
        );
        covered.extend(quotes);
    }
    let attributed: BTreeSet<String> = hits(&all)
        .iter()
        .filter(|hit| hit["speaker"].is_string())
        .map(|hit| hit["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(covered, attributed);
    assert_eq!(speakers.get("Gerhard Stoltenberg"), Some(&3));
    assert!(!speakers.contains_key("Stoltenberg"), "{speakers:?}");

    // `facet_limit` truncates identities, not names: the top identity keeps
    // its whole count, and `distinct` counts identities.
    let (top, top_count) = speakers
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .unwrap();
    let capped = server.get("/v1/quotes?limit=0&facets=speaker&facet_limit=1");
    assert_eq!(
        capped.body["facets"]["speaker"],
        json!([{"value": top, "count": top_count}])
    );
    assert_eq!(capped.body["facets_distinct"]["speaker"], speakers.len());

    // `/v1/speakers` lists the same identities with the same counts.
    let catalog = server.get("/v1/speakers?limit=1000");
    let listed: BTreeMap<String, u64> = catalog.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_owned(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed, speakers);
    assert_eq!(catalog.body["distinct"], speakers.len());
    let entry = catalog_entry(&server, "Gerhard Stoltenberg").unwrap();
    assert_eq!(entry["aliases"], json!(["Stoltenberg"]));
    assert_eq!(entry["role"], "West German Finance Minister");
    let sec_entry = catalog_entry(&server, "SEC")
        .or_else(|| catalog_entry(&server, "Securities and Exchange Commission"))
        .expect("the SEC is listed");
    assert_eq!(sec_entry["kind"], "organization");
    // A prefix matches any name of an identity.
    let by_alias = server.get("/v1/speakers?prefix=stolt");
    assert!(
        by_alias.body["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["value"] == "Gerhard Stoltenberg"),
        "{}",
        by_alias.body
    );

    // Articles: a speaker filter finds both articles, the facet counts them.
    let articles = server.get(&format!(
        "/v1/search?speaker={}&facets=speaker&facet_limit=1000&limit=100",
        encode("Stoltenberg")
    ));
    let ids: BTreeSet<&str> = hits(&articles)
        .iter()
        .map(|hit| hit["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, BTreeSet::from(["stoltenberg-1", "stoltenberg-2"]));
    assert_eq!(
        facet(&articles, "speaker").get("Gerhard Stoltenberg"),
        Some(&2)
    );

    // The export reads the same identities.
    let export = server.send_raw(
        "GET",
        &format!(
            "/v1/quotes/export?format=ndjson&speaker={}",
            encode("Stoltenberg")
        ),
        &[],
        b"",
    );
    assert_eq!(export.status, 200);
    assert_eq!(export.text.lines().count(), 3, "{}", export.text);
}

fn an_article_naming_one_speaker_twice_counts_once_per_identity(backend: TestBackend) {
    let server = backend.start();
    // Supplied quotes keep their speakers as given: this article names the
    // same person in two forms, which only the registry links.
    let body = "“One,” Reagan said. “Two,” Ronald Reagan said.";
    let supplied = json!({
        "id": "two-forms",
        "title": "Two forms",
        "body": body,
        "quotes": [
            {"quote": "One", "start": 1, "end": 4, "kind": "direct",
             "speaker": "Reagan", "speaker_kind": "person"},
            {"quote": "Two", "start": 21, "end": 24, "kind": "direct",
             "speaker": "Ronald Reagan", "role": "President", "speaker_kind": "person"},
        ],
    });
    post(&server, &supplied);
    let articles = server.get("/v1/search?limit=10&facets=speaker");
    assert_eq!(
        hits(&articles)[0]["speakers"],
        json!(["Reagan", "Ronald Reagan"])
    );
    assert_eq!(
        facet(&articles, "speaker"),
        BTreeMap::from([("Ronald Reagan".to_owned(), 1)])
    );
    assert_eq!(articles.body["facets_distinct"]["speaker"], 1);
    assert_eq!(
        speaker_facet(&server),
        BTreeMap::from([("Ronald Reagan".to_owned(), 2)])
    );
}

fn the_alias_table_forces_and_forbids_merges_at_search_time(backend: TestBackend) {
    let temp = tempfile::tempdir().unwrap();
    let aliases = temp.path().join("aliases.toml");
    std::fs::write(
        &aliases,
        "\"Gerhard Stoltenberg\" = [\"G. Stoltenberg\"]\n\n\
         [separate]\n\"Stoltenberg\" = [\"Gerhard Stoltenberg\"]\n",
    )
    .unwrap();
    let server = backend.start_with(&[("VERBATIM_ALIASES", aliases.to_str().unwrap())]);
    for article in corpus() {
        post(&server, &article);
    }
    // Forbidden: the surname stays apart although it is the only candidate.
    let full = quotes_of(&server, "Gerhard Stoltenberg");
    assert_eq!(articles_of(&full), BTreeSet::from(["stoltenberg-1"]));
    assert_eq!(
        articles_of(&quotes_of(&server, "Stoltenberg")),
        BTreeSet::from(["stoltenberg-2"])
    );
    // Forced: a form the table knows finds its identity.
    assert_eq!(quotes_of(&server, "G. Stoltenberg"), full);
}

fn speaker_kind_is_a_filter_and_a_facet(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    // Kinds as analysis gives them.
    post(
        &server,
        &article("sec", "“The filing is incomplete,” the SEC said on Monday."),
    );
    post(
        &server,
        &article(
            "volcker",
            "“Rates will stay where they are,” Paul Volcker said.",
        ),
    );
    let all = server.get("/v1/quotes?limit=0&facets=speaker_kind");
    assert_eq!(all.status, 200, "{}", all.body);
    let kinds = facet(&all, "speaker_kind");
    assert_eq!(
        kinds.values().sum::<u64>(),
        all.body["total"].as_u64().unwrap(),
        "every quote has one kind: {kinds:?}"
    );
    for kind in ["person", "organization"] {
        assert!(kinds.get(kind).is_some_and(|count| *count > 0), "{kinds:?}");
    }
    let mut of_kind: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (kind, count) in &kinds {
        let filtered = server.get(&format!("/v1/quotes?speaker_kind={kind}&limit=1000"));
        assert_eq!(filtered.body["total"].as_u64().unwrap(), *count, "{kind}");
        let ids = hits(&filtered)
            .iter()
            .map(|hit| hit["id"].as_str().unwrap().to_owned())
            .collect();
        of_kind.insert(kind, ids);
    }
    // The kinds partition the quotes.
    let total: usize = of_kind.values().map(BTreeSet::len).sum();
    let union: BTreeSet<&String> = of_kind.values().flatten().collect();
    assert_eq!(union.len(), total);
    // The SEC's quote is an organisation's, Volcker's a person's; the filters
    // combine with the speaker filter (`SEC` finds the Securities and
    // Exchange Commission whichever name analysis gave it).
    assert!(of_kind["organization"].contains("sec#0"), "{of_kind:?}");
    assert!(of_kind["person"].contains("volcker#0"), "{of_kind:?}");
    assert_eq!(quotes_of_kind(&server, "organization", "SEC"), 1);
    assert_eq!(quotes_of_kind(&server, "person", "SEC"), 0);
    assert_eq!(quotes_of_kind(&server, "person", "Paul Volcker"), 1);
    let person = server.get("/v1/quotes?speaker_kind=PERSON&limit=0");
    assert_eq!(person.body["total"], kinds["person"], "values ignore case");
    // Filter values are free text: an unknown kind matches nothing.
    assert_eq!(
        server.get("/v1/quotes?speaker_kind=robot&limit=0").body["total"],
        0
    );
}

fn quotes_of_kind(server: &TestServer, kind: &str, speaker: &str) -> u64 {
    let answer = server.get(&format!(
        "/v1/quotes?speaker_kind={kind}&speaker={}&limit=0",
        encode(speaker)
    ));
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["total"].as_u64().unwrap()
}

/// Wire stories whose speakers read, before this work, as "West German
/// Finance Minister Gerhard Stoltenberg", "Exchequer Nigel Lawson", "Reserve
/// Board Chairman Paul Volcker", "Exchange Commission" and "Dealers".
const WIRE: &str = include_str!("../fixtures/speakers/wire.ndjson");

fn wire_speakers_are_named_without_titles_fragments_or_generic_nouns(backend: TestBackend) {
    let server = backend.start();
    for line in WIRE.lines().filter(|l| !l.trim().is_empty()) {
        post(&server, &serde_json::from_str(line).unwrap());
    }
    let answer = server.get("/v1/quotes?limit=0&facets=speaker,speaker_kind&facet_limit=100");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let speakers = facet(&answer, "speaker");
    assert_eq!(
        speakers,
        BTreeMap::from([
            ("Gerhard Stoltenberg".to_owned(), 4),
            ("Nigel Lawson".to_owned(), 3),
            ("Paul Volcker".to_owned(), 2),
            ("Securities and Exchange Commission".to_owned(), 2),
        ]),
        "no title, fragment or generic noun is a speaker"
    );
    assert_eq!(
        facet(&answer, "speaker_kind"),
        BTreeMap::from([
            ("anonymous".to_owned(), 4),
            ("organization".to_owned(), 2),
            ("person".to_owned(), 9),
        ])
    );

    // The acronym finds the body; a name finds every form the stories used.
    assert_eq!(
        quotes_of(&server, "SEC"),
        quotes_of(&server, "Securities and Exchange Commission")
    );
    assert_eq!(quotes_of(&server, "gerhard stoltenberg").len(), 4);

    // Roles and affiliations are apart from the name; anonymous sources keep
    // their description and have no name.
    let volcker = server.get("/v1/quotes?speaker=Paul%20Volcker&limit=10");
    assert!(
        hits(&volcker).iter().any(|hit| {
            hit["role"] == "Chairman" && hit["affiliation"] == "Federal Reserve Board"
        }),
        "{}",
        volcker.body
    );
    let anonymous = server.get("/v1/quotes?speaker_kind=anonymous&limit=10");
    let descriptions: BTreeSet<&str> = hits(&anonymous)
        .iter()
        .map(|hit| {
            assert!(hit["speaker"].is_null(), "{hit}");
            hit["speaker_description"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        descriptions,
        BTreeSet::from(["a Salomon Brothers analyst", "bankers", "dealers"])
    );
}

on_both_backends!(
    a_later_article_links_a_surname_to_its_full_name_without_reimporting,
    filters_by_canonical_name_and_alias_agree_and_facets_count_identities,
    an_article_naming_one_speaker_twice_counts_once_per_identity,
    the_alias_table_forces_and_forbids_merges_at_search_time,
    speaker_kind_is_a_filter_and_a_facet,
    wire_speakers_are_named_without_titles_fragments_or_generic_nouns,
);
