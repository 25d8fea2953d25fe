//! `POST /v1/quotes/verify` (issue 15, part 1): each verdict on the sample
//! articles (`tests/fixtures/articles.ndjson`), the earliest article that
//! carries a quote, speakers matched as identities. Bad claims are in
//! `tests/fixtures/bad_requests.toml` (group `verify`).

use serde_json::{json, Value};

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{Answer, TestServer};

const FIXTURES: &str = include_str!("../fixtures/articles.ndjson");

/// Michael Howard, in `bbc-politics-364`.
const HOWARD: &str = "We can all see the sweeteners, but they hide the crippling tax rises \
                      for hard-working families that are inevitable if Labour wins.";
/// Peter Molyneux, in `bbc-tech-100`.
const MOLYNEUX: &str = "I never would have guessed that I'd have that kind of honour.";

fn verify(server: &TestServer, body: Value) -> Answer {
    let answer = server.post_json("/v1/quotes/verify", &body);
    assert_eq!(answer.status, 200, "{body}: {}", answer.body);
    answer
}

fn first(answer: &Answer) -> &Value {
    &answer.body["matches"][0]
}

fn fixture(id: &str) -> Value {
    FIXTURES
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|article| article["id"] == id)
        .unwrap_or_else(|| panic!("{id} is a fixture"))
}

fn post(server: &TestServer, article: &Value) {
    let answer = server.post_json("/v1/articles", article);
    assert_eq!(answer.status, 201, "{}", answer.body);
}

fn each_verdict_on_real_articles(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();

    // The words as said, by the speaker who said them.
    let exact = verify(
        &server,
        json!({"text": HOWARD, "speaker": "Michael Howard"}),
    );
    assert_eq!(exact.body["verdict"], "exact", "{}", exact.body);
    let top = first(&exact);
    assert_eq!(top["quote"], HOWARD);
    assert_eq!(top["speaker"], "Michael Howard");
    assert_eq!(top["speaker_matches"], true);
    assert_eq!(top["wording"], "same");
    assert_eq!(top["similarity"], 1.0);
    assert_eq!(top["article"]["id"], "bbc-politics-364");
    assert!(
        top["id"].as_str().unwrap().starts_with("bbc-politics-364#"),
        "{top}"
    );
    assert_eq!(exact.body["claimed_speaker"], "Michael Howard");

    // Quotation marks and case do not matter, and an excerpt is exact.
    let excerpt = verify(
        &server,
        json!({"text": "“THE CRIPPLING TAX RISES for hard-working families”"}),
    );
    assert_eq!(excerpt.body["verdict"], "exact", "{}", excerpt.body);
    assert_eq!(first(&excerpt)["wording"], "excerpt");
    assert_eq!(first(&excerpt)["quote"], HOWARD);
    assert_eq!(first(&excerpt)["speaker_matches"], Value::Null);

    // Misremembered: words dropped, a synonym, tense and order changed.
    let close = verify(
        &server,
        json!({
            "text": "We can see the sweeteners but they hid the crippling tax increases \
                     for working families that are inevitable if Labour wins",
            "speaker": "Michael Howard",
        }),
    );
    assert_eq!(close.body["verdict"], "close", "{}", close.body);
    let top = first(&close);
    assert_eq!(top["quote"], HOWARD);
    assert_eq!(top["wording"], "different");
    let diff = top["diff"].as_str().unwrap();
    for marked in [
        "<ins>all</ins>",
        "<del>hid</del> <ins>hide</ins>",
        "<del>increases</del> <ins>rises</ins>",
        "<ins>hard</ins>",
    ] {
        assert!(diff.contains(marked), "{marked} in {diff}");
    }
    assert!(top["similarity"].as_f64().unwrap() < 1.0);

    // The words exist, said by someone else.
    let other = verify(&server, json!({"text": HOWARD, "speaker": "Gordon Brown"}));
    assert_eq!(
        other.body["verdict"], "attributed_to_other",
        "{}",
        other.body
    );
    assert_eq!(first(&other)["speaker"], "Michael Howard");
    assert_eq!(first(&other)["speaker_matches"], false);

    // Never said.
    let never = verify(
        &server,
        json!({"text": "The moon is made of green cheese and nobody can prove otherwise.",
               "speaker": "Gordon Brown"}),
    );
    assert_eq!(never.body["verdict"], "not_found", "{}", never.body);

    // Narration of an article is no quote either.
    let narration = verify(
        &server,
        json!({"text": "Mr Brown said he would reduce the national debt over the next ten years."}),
    );
    assert_ne!(narration.body["verdict"], "exact", "{}", narration.body);

    // Matches come best first, at most `limit`.
    let some = verify(
        &server,
        json!({"text": "tax rises for families", "limit": 2}),
    );
    let matches = some.body["matches"].as_array().unwrap();
    assert!(!matches.is_empty() && matches.len() <= 2, "{}", some.body);
    let scores: Vec<f64> = matches
        .iter()
        .map(|m| m["similarity"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "{scores:?}"
    );
    assert!(some.body["took_ms"].is_number());
}

/// The article shown is the earliest that carries the quote: by
/// `published`, undated after dated, then by when it was indexed.
fn the_earliest_article_is_shown(backend: TestBackend) {
    earliest_article_is_shown(backend.start());
}

/// The same without statement texts in the index: copies are compared on
/// their stored documents.
fn the_earliest_article_is_shown_without_statement_texts(backend: TestBackend) {
    earliest_article_is_shown(backend.start_with(&[("VERBATIM_STATEMENTS", "false")]));
}

fn earliest_article_is_shown(server: TestServer) {
    let original = fixture("bbc-tech-100");
    let reprint = |id: &str, published: Option<&str>| {
        let mut article = original.clone();
        article["id"] = json!(id);
        match published {
            Some(date) => article["published"] = json!(date),
            None => {
                article.as_object_mut().unwrap().remove("published");
            }
        }
        article
    };
    // Undated copies, the second id sorting first.
    post(&server, &reprint("undated-z", None));
    post(&server, &reprint("undated-a", None));
    let earliest = |server: &TestServer, extra: Value| {
        let mut body = json!({"text": MOLYNEUX, "speaker": "Peter Molyneux"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let answer = verify(server, body);
        assert_eq!(answer.body["verdict"], "exact", "{}", answer.body);
        let top = first(&answer).clone();
        (
            top["article"]["id"].as_str().unwrap().to_owned(),
            top["copies"].as_u64().unwrap(),
        )
    };
    assert_eq!(earliest(&server, json!({})), ("undated-z".to_owned(), 2));

    // Dated copies come before undated ones, the oldest first.
    post(&server, &original);
    post(&server, &reprint("later", Some("2005-06-01")));
    assert_eq!(earliest(&server, json!({})), ("bbc-tech-100".to_owned(), 4));
    post(&server, &reprint("earlier", Some("2004-11-30")));
    assert_eq!(earliest(&server, json!({})), ("earlier".to_owned(), 5));
    // Within dates, the earliest there.
    assert_eq!(
        earliest(&server, json!({"from": "2005-04-01"})),
        ("later".to_owned(), 1)
    );

    // An updated article counts from its new version.
    for id in ["earlier", "later", "bbc-tech-100"] {
        assert_eq!(server.delete(&format!("/v1/articles/{id}")).status, 204);
    }
    post(&server, &reprint("undated-z", None));
    assert_eq!(earliest(&server, json!({})), ("undated-a".to_owned(), 2));
}

/// A speaker is matched as an identity: an alias of the alias table, or a
/// name the registry links across articles, is the same speaker; another
/// person with the same surname is not.
fn speakers_match_through_the_registry(backend: TestBackend) {
    let server = backend.start();
    server.load_fixtures();
    let blinken = "Russia will struggle to sustain its attack on Ukraine without China's support";
    for alias in ["Tony Blinken", "antony blinken", "Blinken"] {
        let answer = verify(&server, json!({"text": blinken, "speaker": alias}));
        assert_eq!(answer.body["verdict"], "exact", "{alias}: {}", answer.body);
        assert_eq!(first(&answer)["speaker_matches"], true, "{alias}");
        assert_eq!(first(&answer)["speaker"], "Antony Blinken");
    }
    let answer = verify(&server, json!({"text": blinken, "speaker": "Tony Blinken"}));
    assert_eq!(answer.body["claimed_speaker"], "Antony Blinken");

    let wire = |id: &str, body: &str| json!({"id": id, "title": format!("Wire {id}"), "body": body, "source": "Wire"});
    post(
        &server,
        &wire(
            "reagan-1",
            "“We will not retreat on the budget,” Reagan said on Tuesday.",
        ),
    );
    post(
        &server,
        &wire(
            "reagan-2",
            "“The economy is strong and getting stronger,” President Ronald Reagan said on Friday.",
        ),
    );
    let answer = verify(
        &server,
        json!({"text": "We will not retreat on the budget", "speaker": "Ronald Reagan"}),
    );
    assert_eq!(answer.body["verdict"], "exact", "{}", answer.body);
    assert_eq!(first(&answer)["speaker"], "Ronald Reagan");
    assert_eq!(first(&answer)["speaker_matches"], true);

    post(
        &server,
        &wire(
            "reagan-3",
            "“I am proud of what he has done,” Nancy Reagan said at a charity lunch.",
        ),
    );
    let answer = verify(
        &server,
        json!({"text": "The economy is strong and getting stronger", "speaker": "Nancy Reagan"}),
    );
    assert_eq!(
        answer.body["verdict"], "attributed_to_other",
        "{}",
        answer.body
    );
    assert_eq!(first(&answer)["speaker"], "Ronald Reagan");
}

on_both_backends!(
    each_verdict_on_real_articles,
    the_earliest_article_is_shown,
    the_earliest_article_is_shown_without_statement_texts,
    speakers_match_through_the_registry,
);
