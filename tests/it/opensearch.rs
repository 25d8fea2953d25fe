//! The OpenSearch backend against a real OpenSearch 2.19 cluster, the one
//! [`crate::cluster`] starts once for this test binary. Without Java 17 and
//! Maven (and without `VERBATIM_TEST_OPENSEARCH_URL`) the tests fail,
//! saying what to install.
//!
//! Each test writes its own index. Writes are checked with the cluster's
//! own `_count` and `_search`; the backend's searches against the embedded
//! backend's on the same articles, and over HTTP through `verbatim serve`.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::{json, Value};
use verbatim::analysis::tokenizers::LanguageAnalyzers;
use verbatim::analysis::Analyzer;
use verbatim::backend::opensearch::documents::{analysed_terms, GAP};
use verbatim::backend::opensearch::mapping::index_body;
use verbatim::backend::opensearch::{
    init_index, ArticleIds, InitOutcome, OpenSearchBackend, SetupError,
};
use verbatim::backend::{Backend, BackendHealth, Durability};
use verbatim::config::Settings;
use verbatim::model::{AnalyzedArticle, Article};

use crate::cluster::{cluster, http, replicas, Cluster};

/// Settings for the cluster and `index`.
fn settings(cluster: &Cluster, index: &str) -> Settings {
    let mut settings = Settings::built_in();
    settings.opensearch.urls = vec![cluster.url.clone()];
    settings.opensearch.index = index.to_owned();
    settings
}

fn analyzers() -> Arc<LanguageAnalyzers> {
    static ANALYZERS: OnceLock<Arc<LanguageAnalyzers>> = OnceLock::new();
    ANALYZERS
        .get_or_init(|| Arc::new(LanguageAnalyzers::without_dictionaries()))
        .clone()
}

/// A fresh index `name` and a backend on it.
fn backend(cluster: &Cluster, name: &str) -> OpenSearchBackend {
    let settings = settings(cluster, name);
    http("DELETE", &format!("{}/{name}", cluster.url), None);
    assert_eq!(
        init_index(&settings.opensearch, 1, replicas()).expect("init"),
        InitOutcome::Created
    );
    OpenSearchBackend::connect(&settings, analyzers()).expect("connect")
}

/// An article body with `quotes` quotes by Wang Yi, each naming `version`.
pub(crate) fn wang_yi_body(version: usize, quotes: usize) -> String {
    let mut body = String::from(
        "Chinese Foreign Minister Wang Yi met his counterpart in Beijing on Monday to discuss \
         the tariffs on steel.",
    );
    for n in 0..quotes {
        body.push_str(&format!(
            "\n\"We will answer the question number {n} of version {version} in good time,\" \
             Wang Yi said."
        ));
    }
    body
}

/// Article `id`, analysed, with `quotes` quotes by Wang Yi (each names
/// `version`, so a quote shows which upsert wrote it).
fn article(id: &str, version: usize, quotes: usize) -> AnalyzedArticle {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    let analyzer = ANALYZER.get_or_init(Analyzer::with_defaults);
    let body = wang_yi_body(version, quotes);
    let article: Article = serde_json::from_value(json!({
        "id": id,
        "title": format!("Wang Yi on tariffs, version {version}"),
        "body": body,
        "source": "Reuters",
        "published": "2024-04-26T10:00:00Z",
        "language": "en",
    }))
    .expect("a valid article");
    let analyzed = verbatim::ingest::analyze_article(analyzer, article);
    assert_eq!(
        analyzed.analysis.quotes.len(),
        quotes,
        "the test article has its quotes"
    );
    analyzed
}

/// The quote documents of article `id` in `index`, by a (refreshed) search:
/// their stored JSON.
fn quote_documents(cluster: &Cluster, index: &str, id: &str) -> Vec<Value> {
    let (status, answer) = http(
        "POST",
        &format!("{}/{index}/_search", cluster.url),
        Some(&json!({
            "size": 1000,
            "query": { "bool": { "filter": [
                { "term": { "doc_type": "quote" } },
                { "term": { "article_id": id } },
            ] } },
            "sort": [{ "position": "asc" }],
        })),
    );
    assert_eq!(status, 200, "{answer}");
    answer["hits"]["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| {
            serde_json::from_str(hit["_source"]["stored"].as_str().expect("stored")).unwrap()
        })
        .collect()
}

#[test]
fn init_creates_the_index_once_and_refuses_other_versions() {
    let cluster = cluster();
    let name = "verbatim-test-init";
    let settings = settings(cluster, name);
    http("DELETE", &format!("{}/{name}", cluster.url), None);
    let missing = OpenSearchBackend::connect(&settings, analyzers()).unwrap_err();
    assert!(matches!(missing, SetupError::Missing(_)), "{missing}");
    assert_eq!(
        init_index(&settings.opensearch, 2, 0).unwrap(),
        InitOutcome::Created
    );
    assert_eq!(
        init_index(&settings.opensearch, 2, 0).unwrap(),
        InitOutcome::Existed
    );
    let (_, shards) = http(
        "GET",
        &format!("{}/{name}/_settings/index.number_of_shards", cluster.url),
        None,
    );
    assert_eq!(shards[name]["settings"]["index"]["number_of_shards"], "2");
    OpenSearchBackend::connect(&settings, analyzers()).expect("this build's index opens");

    // An index written by another mapping version is refused by both.
    let other = "verbatim-test-init-other";
    http("DELETE", &format!("{}/{other}", cluster.url), None);
    let mut body = index_body(1, 0);
    body["mappings"]["_meta"]["verbatim_mapping_version"] = json!(0);
    let (status, answer) = http("PUT", &format!("{}/{other}", cluster.url), Some(&body));
    assert_eq!(status, 200, "{answer}");
    let settings = self::settings(cluster, other);
    let refused = init_index(&settings.opensearch, 1, 0).unwrap_err();
    assert!(matches!(refused, SetupError::Mismatch(_)), "{refused}");
    assert!(
        refused.to_string().contains("mapping version 0"),
        "{refused}"
    );
    let refused = OpenSearchBackend::connect(&settings, analyzers()).unwrap_err();
    assert!(matches!(refused, SetupError::Mismatch(_)), "{refused}");
}

#[test]
fn upsert_get_replace_and_delete() {
    let cluster = cluster();
    let index = "verbatim-test-writes";
    let backend = backend(cluster, index);
    assert_eq!(backend.get_article("a1").unwrap(), None);

    let first = article("a1", 1, 3);
    backend
        .upsert(
            vec![first.clone(), article("a2", 1, 1)],
            Durability::Durable,
        )
        .unwrap();
    assert_eq!(backend.get_article("a1").unwrap(), Some(first));
    // Acknowledged means visible to searches (`refresh=wait_for`).
    assert_eq!(quote_documents(cluster, index, "a1").len(), 3);
    let stats = backend.stats().unwrap();
    assert_eq!((stats.articles, stats.quotes), (2, 4));

    // Replacing with fewer quotes deletes the ones that are gone, by id.
    let second = article("a1", 2, 1);
    backend
        .upsert(vec![second.clone()], Durability::Durable)
        .unwrap();
    assert_eq!(backend.get_article("a1").unwrap(), Some(second));
    let quotes = quote_documents(cluster, index, "a1");
    assert_eq!(quotes.len(), 1);
    assert!(quotes[0]["quote"].as_str().unwrap().contains("version 2"));
    let ids = ArticleIds::of("a1");
    for position in 1..3 {
        let (status, _) = http(
            "GET",
            &format!(
                "{}/{index}/_doc/{}?routing={}",
                cluster.url,
                verbatim::backend::opensearch::client::encode(&ids.quote(position)),
                verbatim::backend::opensearch::client::encode(ids.routing())
            ),
            None,
        );
        assert_eq!(status, 404, "quote {position} is gone");
    }
    // And with none, every quote goes.
    backend
        .upsert(vec![article("a1", 3, 0)], Durability::Durable)
        .unwrap();
    assert!(quote_documents(cluster, index, "a1").is_empty());
    backend
        .upsert(vec![article("a1", 4, 2)], Durability::Durable)
        .unwrap();
    assert_eq!(quote_documents(cluster, index, "a1").len(), 2);

    // Delete takes the article and its quotes; a second delete finds none.
    assert!(backend.delete("a1", Durability::Durable).unwrap().existed);
    assert_eq!(backend.get_article("a1").unwrap(), None);
    assert!(quote_documents(cluster, index, "a1").is_empty());
    assert!(!backend.delete("a1", Durability::Durable).unwrap().existed);
    let stats = backend.stats().unwrap();
    assert_eq!((stats.articles, stats.quotes), (1, 1));
    assert_eq!(
        stats.schema_version,
        verbatim::indexing::schema::SCHEMA_VERSION
    );
    assert_eq!(backend.health(), BackendHealth::Serving);

    // Deferred writes are visible after a flush.
    backend
        .upsert(vec![article("a3", 1, 2)], Durability::Deferred)
        .unwrap();
    backend.flush().unwrap();
    assert_eq!(quote_documents(cluster, index, "a3").len(), 2);

    // An id too long for an `_id` is hashed and reads back as itself.
    let long_id = "é".repeat(256);
    let long = article(&long_id, 1, 1);
    backend
        .upsert(vec![long.clone()], Durability::Durable)
        .unwrap();
    assert_eq!(backend.get_article(&long_id).unwrap(), Some(long));
    assert_eq!(quote_documents(cluster, index, &long_id).len(), 1);

    let metrics = backend.write_metrics();
    assert_eq!(metrics.articles_written, 7);
    assert_eq!(metrics.articles_deleted, 1);
    backend.shutdown().unwrap();
    assert!(backend
        .upsert(vec![article("a4", 1, 0)], Durability::Durable)
        .is_err());
}

/// Several writers replace one article at once: claims conflict and are
/// retried, and at the end the article and its quotes are one upsert's.
#[test]
fn concurrent_upserts_are_ordered_by_sequence_numbers() {
    let cluster = cluster();
    let index = "verbatim-test-conflicts";
    let backend = Arc::new(backend(cluster, index));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let backend = backend.clone();
            std::thread::spawn(move || {
                for round in 0..6 {
                    let version = writer * 100 + round;
                    // Quote counts differ between writers, so a mix shows.
                    let quotes = 1 + (writer + round) % 4;
                    backend
                        .upsert(
                            vec![article("shared", version, quotes)],
                            Durability::Durable,
                        )
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    assert!(
        backend.conflicts() > 0,
        "four writers of one article conflicted at least once"
    );
    let stored = backend.get_article("shared").unwrap().unwrap();
    let quotes = quote_documents(cluster, index, "shared");
    assert_eq!(quotes.len(), stored.analysis.quotes.len());
    for (position, quote) in quotes.iter().enumerate() {
        assert_eq!(quote["position"], position);
        assert_eq!(quote["article"]["title"], stored.article.title.as_str());
        assert_eq!(
            quote["quote"],
            stored.analysis.quotes[position].quote.as_str()
        );
    }
    eprintln!("{} conflicts retried", backend.conflicts());
}

/// The index holds Verbatim's terms at Verbatim's positions: the article's
/// whole analysed body matches as one phrase, a term query for a stem
/// matches, and a phrase with one position off does not.
#[test]
fn pre_analysed_terms_keep_their_positions() {
    let cluster = cluster();
    let index = "verbatim-test-terms";
    let backend = backend(cluster, index);
    let analyzed = article("t1", 1, 1);
    backend
        .upsert(vec![analyzed.clone()], Durability::Durable)
        .unwrap();
    let count = |query: Value| {
        let (status, answer) = http(
            "POST",
            &format!("{}/{index}/_count", cluster.url),
            Some(&json!({ "query": query })),
        );
        assert_eq!(status, 200, "{answer}");
        answer["count"].as_u64().unwrap()
    };
    let body_terms = analysed_terms(&analyzers(), "en", &analyzed.article.body);
    assert!(
        body_terms.contains(GAP),
        "stop words left gaps: {body_terms}"
    );
    assert_eq!(
        count(json!({ "match_phrase": { "terms.body": body_terms } })),
        1
    );
    // "the tariffs on steel": stemmed, the stop words as gaps.
    let phrase = analysed_terms(&analyzers(), "en", "the tariffs on steel");
    assert_eq!(phrase, format!("{GAP} tariff {GAP} steel"));
    assert_eq!(
        count(json!({ "match_phrase": { "terms.body": phrase } })),
        1
    );
    assert_eq!(
        count(json!({ "match_phrase": { "terms.body": "tariff steel" } })),
        0,
        "without the gap the positions differ"
    );
    assert_eq!(count(json!({ "term": { "terms.body": "tariff" } })), 1);
    assert_eq!(count(json!({ "term": { "terms.body": "tariffs" } })), 0);
    // Keyword filters match the folded value; facets read the raw one.
    assert_eq!(count(json!({ "term": { "folded.speaker": "wang yi" } })), 2);
    let (_, answer) = http(
        "POST",
        &format!("{}/{index}/_search", cluster.url),
        Some(&json!({ "size": 0, "aggs": { "speakers": { "terms": { "field": "speaker" } } } })),
    );
    assert_eq!(
        answer["aggregations"]["speakers"]["buckets"][0]["key"],
        "Wang Yi"
    );
}

/// A skewed corpus on three shards where OpenSearch's default `terms`
/// aggregation names the wrong top value: each shard has 334 sources of its
/// own (more than the first pass asks for in all, so the terms aggregation
/// cannot say how many there are) with eleven articles each, and ten
/// articles from `Everywhere`, so no shard puts `Everywhere` (30 in all)
/// among its top 11 (the default `shard_size` for one value). The same
/// articles go through `verbatim serve` into a three-shard index and into an
/// embedded index: both servers answer the same facet counts, the true
/// ones; the backend sees the error bound and counts exactly.
#[test]
fn facet_counts_are_exact_on_a_skewed_corpus() {
    use crate::backends::{ClusterIndex, Store, TestBackend};
    use verbatim::backend::opensearch::facets::{FacetPass, FIRST_PASS_VALUES};
    use verbatim::search::Target;

    const SHARDS: usize = 3;
    let cluster = cluster();
    let index = Arc::new(ClusterIndex::with_shards(SHARDS as u32));
    let (_, state) = http(
        "GET",
        &format!("{}/_cluster/state/metadata/{}", cluster.url, index.name),
        None,
    );
    let routing_shards = state["metadata"]["indices"][&index.name]["routing_num_shards"]
        .as_u64()
        .unwrap_or_else(|| panic!("no routing_num_shards: {state}"));

    // Article ids that OpenSearch routes to each shard (an article's
    // documents are routed by its id, `ArticleIds::routing`), enough for
    // that shard's articles.
    let per_shard = FIRST_PASS_VALUES / SHARDS + 1;
    let articles_per_shard = per_shard * 11 + 10;
    let mut ids: Vec<Vec<String>> = vec![Vec::new(); SHARDS];
    for n in 0.. {
        let id = format!("skew-{n}");
        let shard = shard_of(ArticleIds::of(&id).routing(), routing_shards, SHARDS as u64);
        if ids[shard].len() < articles_per_shard {
            ids[shard].push(id);
        }
        if ids.iter().all(|ids| ids.len() == articles_per_shard) {
            break;
        }
    }
    // The routing computed here is the cluster's.
    for (shard, ids) in ids.iter().enumerate() {
        let routing = ArticleIds::of(&ids[0]).routing().to_owned();
        let (_, answer) = http(
            "GET",
            &format!(
                "{}/{}/_search_shards?routing={}",
                cluster.url,
                index.name,
                crate::helpers::encode(&routing)
            ),
            None,
        );
        assert_eq!(
            answer["shards"][0][0]["shard"].as_u64(),
            Some(shard as u64),
            "{routing}"
        );
    }
    let mut articles = Vec::new();
    for (shard, ids) in ids.iter().enumerate() {
        let mut ids = ids.iter();
        let mut article = |source: &str| {
            articles.push(
                json!({
                    "id": ids.next().unwrap(),
                    "title": "Outlet report",
                    "body": "A short report from the outlet.",
                    "source": source,
                })
                .to_string(),
            );
        };
        for value in 0..per_shard {
            for _ in 0..11 {
                article(&format!("Shard {shard} outlet {value:04}"));
            }
        }
        for _ in 0..10 {
            article("Everywhere");
        }
    }

    let temp = tempfile::tempdir().unwrap();
    let opensearch = Store {
        dir: temp.path().join("index"),
        index: Some(Arc::clone(&index)),
    }
    .start(&[]);
    let embedded = TestBackend::Embedded.start();
    for server in [&embedded, &opensearch] {
        for chunk in articles.chunks(2000) {
            let answer = server.post_ndjson("/v1/articles/bulk", &chunk.join("\n"));
            assert_eq!(answer.status, 200, "{}", answer.body);
            assert_eq!(answer.body["indexed"], chunk.len(), "{}", answer.body);
        }
    }

    // The engine's default top value is wrong.
    let (_, default) = http(
        "POST",
        &format!("{}/{}/_search", cluster.url, index.name),
        Some(
            &json!({ "size": 0, "aggs": { "top": { "terms": { "field": "source", "size": 1 } } } }),
        ),
    );
    assert_ne!(
        default["aggregations"]["top"]["buckets"][0]["key"], "Everywhere",
        "{default}"
    );

    // Both servers count alike, and truly.
    let distinct = 3 * per_shard + 1;
    for (path, expected, expected_distinct) in [
        (
            "/v1/search?facets=source&facet_limit=3&limit=0",
            json!([
                { "value": "Everywhere", "count": 30 },
                { "value": "Shard 0 outlet 0000", "count": 11 },
                { "value": "Shard 0 outlet 0001", "count": 11 },
            ]),
            distinct,
        ),
        (
            "/v1/search?q=report&facets=source&facet_limit=1&limit=0",
            json!([{ "value": "Everywhere", "count": 30 }]),
            distinct,
        ),
        (
            "/v1/search?source=Everywhere&source=Shard%201%20outlet%200007&facets=source&limit=0",
            json!([
                { "value": "Everywhere", "count": 30 },
                { "value": "Shard 1 outlet 0007", "count": 11 },
            ]),
            2,
        ),
    ] {
        let [ours, theirs] = [&embedded, &opensearch].map(|server| {
            let answer = server.get(path);
            assert_eq!(answer.status, 200, "{path}: {}", answer.body);
            answer.body
        });
        assert_eq!(ours["facets"]["source"], expected, "{path}: embedded");
        assert_eq!(
            ours["facets_distinct"]["source"], expected_distinct,
            "{path}"
        );
        assert_eq!(
            (
                &theirs["total"],
                &theirs["facets"],
                &theirs["facets_distinct"]
            ),
            (&ours["total"], &ours["facets"], &ours["facets_distinct"]),
            "{path}: OpenSearch (left) and embedded"
        );
    }

    // The backend saw the error bound: its counts come from the exact pass.
    let backend = OpenSearchBackend::connect(&settings(cluster, &index.name), analyzers()).unwrap();
    let exact = backend
        .facet_counts(Target::Articles, None, "source", 3)
        .unwrap();
    assert_eq!(exact.pass, FacetPass::Composite);
    assert_eq!(
        exact.values.values,
        [
            ("Everywhere".to_owned(), 30),
            ("Shard 0 outlet 0000".to_owned(), 11),
            ("Shard 0 outlet 0001".to_owned(), 11),
        ]
    );
    assert_eq!(exact.values.distinct, distinct);

    // With a filter that leaves few values, the terms aggregation is exact
    // on its own.
    let filtered = backend
        .facet_counts(
            Target::Articles,
            Some(json!({ "terms": { "folded.source": ["everywhere", "shard 1 outlet 0007"] } })),
            "source",
            10,
        )
        .unwrap();
    assert_eq!(filtered.pass, FacetPass::Terms);
    assert_eq!(
        filtered.values.values,
        [
            ("Everywhere".to_owned(), 30),
            ("Shard 1 outlet 0007".to_owned(), 11)
        ]
    );
    assert_eq!(filtered.values.distinct, 2);
    // Fewer values than the first pass asks for, more than the limit: the
    // terms aggregation counts them all, and how many there are.
    let few = backend
        .facet_counts(
            Target::Articles,
            Some(json!({ "terms": { "folded.source": [
                "everywhere", "shard 0 outlet 0003", "shard 2 outlet 0005",
            ] } })),
            "source",
            1,
        )
        .unwrap();
    assert_eq!(few.pass, FacetPass::Terms);
    assert_eq!(few.values.values, [("Everywhere".to_owned(), 30)]);
    assert_eq!(few.values.distinct, 3);
    assert!(backend
        .facet_counts(Target::Quotes, None, "source", 3)
        .unwrap()
        .values
        .values
        .is_empty());
}

/// The shard OpenSearch routes `routing` to in an index of `shards`
/// primaries and `routing_shards` routing shards (`OperationRouting`): the
/// Murmur3 hash of the routing value's UTF-16 code units, little-endian
/// (`Murmur3HashFunction`), modulo the routing shards, over the routing
/// factor.
fn shard_of(routing: &str, routing_shards: u64, shards: u64) -> usize {
    let bytes: Vec<u8> = routing.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let hash = i64::from(murmur3_x86_32(&bytes) as i32);
    (hash.rem_euclid(routing_shards as i64) as u64 / (routing_shards / shards)) as usize
}

/// MurmurHash3, x86 32-bit, seed 0 (Lucene's `StringHelper.murmurhash3_x86_32`).
fn murmur3_x86_32(data: &[u8]) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mix = |k: u32| k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    let mut hash = 0u32;
    let blocks = data.chunks_exact(4);
    let tail = blocks.remainder();
    for block in blocks {
        hash ^= mix(u32::from_le_bytes(block.try_into().unwrap()));
        hash = hash
            .rotate_left(13)
            .wrapping_mul(5)
            .wrapping_add(0xe654_6b64);
    }
    if !tail.is_empty() {
        let k = tail
            .iter()
            .enumerate()
            .fold(0u32, |k, (i, byte)| k | u32::from(*byte) << (8 * i));
        hash ^= mix(k);
    }
    hash ^= data.len() as u32;
    hash ^= hash >> 16;
    hash = hash.wrapping_mul(0x85eb_ca6b);
    hash ^= hash >> 13;
    hash = hash.wrapping_mul(0xc2b2_ae35);
    hash ^ (hash >> 16)
}

/// Runs a `verbatim` command with errors-only logs: whether it succeeded,
/// its stdout and its stderr.
fn run_verbatim(command: &mut Command) -> (bool, String, String) {
    let output = command
        .env("VERBATIM_LOG", "error")
        .output()
        .expect("verbatim runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), stdout, stderr)
}

/// `verbatim backend init` creates the index, then finds it, and refuses
/// an index of another mapping version with a non-zero exit.
#[test]
fn the_backend_init_command() {
    let cluster = cluster();
    let name = "verbatim-test-cli";
    http("DELETE", &format!("{}/{name}", cluster.url), None);
    let init = |index: &str| {
        run_verbatim(
            Command::new(env!("CARGO_BIN_EXE_verbatim"))
                .args(["backend", "init", "--opensearch-url", &cluster.url])
                .args(["--opensearch-index", index, "--shards", "2"]),
        )
    };
    let (ok, stdout, stderr) = init(name);
    assert!(ok, "{stderr}");
    let printed: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(printed["created"], true);
    assert_eq!(printed["index"], name);
    // Without --node-left-delay the index keeps OpenSearch's default.
    assert_eq!(printed["node_left_delay"], "1m");
    let (ok, stdout, _) = init(name);
    assert!(ok);
    assert_eq!(
        serde_json::from_str::<Value>(stdout.trim()).unwrap()["created"],
        false
    );

    // The node-left delay is set on a new index, changed on an existing
    // one, and refused when OpenSearch would not read it the same way.
    let with_delay = |index: &str, delay: &str| {
        run_verbatim(
            Command::new(env!("CARGO_BIN_EXE_verbatim"))
                .args(["backend", "init", "--opensearch-url", &cluster.url])
                .args(["--opensearch-index", index, "--node-left-delay", delay]),
        )
    };
    // What a successful init prints: whether it created the index, and the
    // delay the index has.
    let created_with_delay = |index: &str, delay: &str| {
        let (ok, stdout, stderr) = with_delay(index, delay);
        assert!(ok, "{stderr}");
        let printed: Value = serde_json::from_str(stdout.trim()).unwrap();
        (
            printed["created"].clone(),
            printed["node_left_delay"].clone(),
        )
    };
    assert_eq!(created_with_delay(name, "7s"), (json!(false), json!("7s")));
    let delayed = "verbatim-test-cli-delayed";
    http("DELETE", &format!("{}/{delayed}", cluster.url), None);
    assert_eq!(created_with_delay(delayed, "0"), (json!(true), json!("0")));
    http("DELETE", &format!("{}/{delayed}", cluster.url), None);
    let (ok, _, stderr) = with_delay(name, "1 minute");
    assert!(!ok);
    assert!(stderr.contains("opensearch.node_left_delay"), "{stderr}");

    let other = "verbatim-test-cli-other";
    http("DELETE", &format!("{}/{other}", cluster.url), None);
    let mut body = index_body(1, 0);
    body["mappings"]["_meta"]["verbatim_schema_version"] = json!(1);
    http("PUT", &format!("{}/{other}", cluster.url), Some(&body));
    let (ok, _, stderr) = init(other);
    assert!(!ok);
    assert!(stderr.contains("schema version 1"), "{stderr}");
}

/// `verbatim migrate --from DIR --to opensearch` copies an embedded index
/// made by `verbatim import` into the cluster from its stored analysis:
/// the counts it prints agree, searches answer alike on both, running it
/// again changes nothing, and a cluster index holding other articles fails
/// the count check with a non-zero exit.
#[test]
fn migrate_copies_an_embedded_index_into_the_cluster() {
    use verbatim::search::{CountUnit, Grouping, SearchRequest, SortOrder, Target};

    let cluster = cluster();
    let index = "verbatim-test-migrate";
    http("DELETE", &format!("{}/{index}", cluster.url), None);
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("index");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles.ndjson");
    crate::helpers::import_with_cli(&index_dir, &fixtures);

    let migrate = |index: &str| {
        run_verbatim(
            Command::new(env!("CARGO_BIN_EXE_verbatim"))
                .args(["migrate", "--from"])
                .arg(&index_dir)
                .args(["--to", "opensearch", "--opensearch-url", &cluster.url])
                .args(["--opensearch-index", index, "--batch", "4"])
                .current_dir(env!("CARGO_MANIFEST_DIR")),
        )
    };
    let (ok, stdout, stderr) = migrate(index);
    assert!(ok, "{stderr}");
    let printed: Value = serde_json::from_str(stdout.trim()).unwrap();
    let articles = crate::helpers::fixture_count() as u64;
    assert_eq!(printed["source_articles"], articles, "{printed}");
    assert_eq!(printed["cluster_articles"], articles, "{printed}");
    assert_eq!(
        printed["cluster_quotes"], printed["source_quotes"],
        "{printed}"
    );
    assert!(
        printed["source_quotes"].as_u64().unwrap() > 100,
        "{printed}"
    );
    assert_eq!(printed["batches"], articles.div_ceil(4), "{printed}");
    // Again: the same articles replaced, the same counts.
    let (ok, again, stderr) = migrate(index);
    assert!(ok, "{stderr}");
    let again: Value = serde_json::from_str(again.trim()).unwrap();
    assert_eq!(again["cluster_quotes"], printed["source_quotes"], "{again}");

    // Searches answer alike on the embedded index and the copy.
    let analyzer = Analyzer::with_defaults();
    let mut settings = settings(cluster, index);
    settings.index.dir = index_dir.clone();
    settings.analysis.japanese_dictionary = Some(crate::helpers::test_dictionary_dir());
    let embedded = verbatim::backend::start(
        &settings,
        &analyzer,
        verbatim::http::alert_shapes(&settings),
    )
    .unwrap()
    .backend;
    let opensearch = OpenSearchBackend::connect(
        &settings,
        verbatim::analysis::language_analyzers_for(&settings),
    )
    .unwrap()
    .with_speaker_aliases(analyzer.aliases().clone());
    let request = |target, query: &str| SearchRequest {
        query: query.to_owned(),
        limit: 50,
        facet_limit: 10,
        sort: SortOrder::PublishedDescending,
        facets: vec!["speaker".into(), "source".into(), "topic".into()],
        ..SearchRequest::everything(target)
    };
    let mut cases = Vec::new();
    for target in [Target::Articles, Target::Quotes] {
        for query in ["", "china", "\"foreign minister\"", "govern* -football"] {
            cases.push((query, request(target, query)));
        }
    }
    cases.push((
        "statements",
        SearchRequest {
            group: Grouping::Statements,
            count: CountUnit::Statements,
            ..request(Target::Quotes, "")
        },
    ));
    let compared = compare(embedded.as_ref(), &opensearch, &cases);
    eprintln!("{compared} searches answered alike after the migration");
    let _ = embedded.shutdown();

    // An index that holds another article fails the count check.
    let other = "verbatim-test-migrate-other";
    let extra = backend(cluster, other);
    extra
        .upsert(
            vec![article("not-in-the-source", 1, 2)],
            Durability::Durable,
        )
        .unwrap();
    let (ok, _, stderr) = migrate(other);
    assert!(!ok, "a mismatch fails");
    assert!(stderr.contains("count check failed"), "{stderr}");
}

/// The statement table is read from the cluster once per state of the
/// index: used again while nothing is written (past the refresh interval
/// too), built again after a write by another server (durable, or deferred
/// and then refreshed) and after a delete, and grouping follows each.
#[test]
fn statement_tables_are_cached_until_the_index_changes() {
    use verbatim::search::{Grouping, SearchRequest, SortOrder, Target};

    let cluster = cluster();
    let name = "verbatim-test-statement-cache";
    let one = backend(cluster, name);
    // A second server on the same index.
    let other = OpenSearchBackend::connect(&settings(cluster, name), analyzers()).unwrap();
    let grouped = SearchRequest {
        group: Grouping::Statements,
        limit: 10,
        sort: SortOrder::PublishedDescending,
        ..SearchRequest::everything(Target::Quotes)
    };
    let copies = |backend: &OpenSearchBackend| -> Vec<u32> {
        let results = backend.search(&grouped).unwrap();
        let mut copies: Vec<u32> = results
            .hits
            .iter()
            .map(|hit| hit.statement.as_ref().expect("a statement").copies)
            .collect();
        copies.sort_unstable();
        assert_eq!(results.total, copies.len() as u64);
        copies
    };
    one.upsert(vec![article("first", 1, 2)], Durability::Durable)
        .unwrap();
    assert_eq!(copies(&one), [1, 1]);
    let built = one.statement_tables_built();
    assert_eq!(built, 1);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(copies(&one), [1, 1]);
    assert_eq!(one.statement_tables_built(), built, "nothing changed");

    // A reprint written by the other server.
    other
        .upsert(vec![article("reprint", 1, 2)], Durability::Durable)
        .unwrap();
    assert_eq!(copies(&one), [2, 2]);
    assert_eq!(one.statement_tables_built(), built + 1);
    // A deferred write, made visible by the other server's flush.
    other
        .upsert(vec![article("third", 1, 1)], Durability::Deferred)
        .unwrap();
    other.flush().unwrap();
    assert_eq!(copies(&one), [2, 3]);
    // A delete.
    other.delete("first", Durability::Durable).unwrap();
    assert_eq!(copies(&one), [1, 2]);
    let settled = one.statement_tables_built();
    assert_eq!(copies(&one), [1, 2]);
    assert_eq!(one.statement_tables_built(), settled);
}

/// An article `id` with `body`, analysed.
fn article_with_body(id: &str, body: &str) -> AnalyzedArticle {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    let analyzer = ANALYZER.get_or_init(Analyzer::with_defaults);
    let article: Article = serde_json::from_value(json!({
        "id": id,
        "title": format!("Article {id}"),
        "body": body,
        "source": "Wire",
        "published": "2024-04-26T10:00:00Z",
        "language": "en",
    }))
    .expect("a valid article");
    verbatim::ingest::analyze_article(analyzer, article)
}

#[test]
fn speaker_registries_are_cached_until_another_server_writes() {
    use verbatim::search::{SearchRequest, Target};

    let cluster = cluster();
    let name = "verbatim-test-registry-cache";
    let one = backend(cluster, name);
    // A second server on the same index: every write below is its.
    let other = OpenSearchBackend::connect(&settings(cluster, name), analyzers()).unwrap();
    let quotes_of = |speaker: &str| -> Vec<String> {
        let request = SearchRequest {
            filters: vec![("speaker".into(), vec![speaker.to_owned()])],
            facets: vec!["speaker".into()],
            limit: 100,
            ..SearchRequest::everything(Target::Quotes)
        };
        let results = one.search(&request).unwrap();
        assert_eq!(results.total, results.hits.len() as u64);
        let mut articles: Vec<String> = results
            .hits
            .iter()
            .map(|hit| {
                let quote: Value = serde_json::from_str(&hit.stored_json).unwrap();
                quote["article"]["id"].as_str().unwrap().to_owned()
            })
            .collect();
        articles.sort();
        articles
    };
    let speaker_facet = || -> Vec<(String, u64)> {
        let request = SearchRequest {
            facets: vec!["speaker".into()],
            limit: 0,
            ..SearchRequest::everything(Target::Quotes)
        };
        one.search(&request).unwrap().facets[0].values.clone()
    };

    other
        .upsert(
            vec![article_with_body(
                "whitfield-surname",
                "\u{201c}We will not retreat on the budget,\u{201d} Whitfield said on Tuesday.",
            )],
            Durability::Durable,
        )
        .unwrap();
    assert_eq!(quotes_of("Whitfield"), ["whitfield-surname"]);
    assert_eq!(quotes_of("Ronald Whitfield"), Vec::<String>::new());
    assert_eq!(one.speaker_registries_built(), 1);
    // Nothing written: the registry is not read again, however long after.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(quotes_of("Whitfield"), ["whitfield-surname"]);
    assert_eq!(speaker_facet(), [("Whitfield".to_owned(), 1)]);
    assert_eq!(one.speaker_registries_built(), 1, "nothing changed");

    // The other server writes the article that names him in full: this
    // server's filter and facet follow at once.
    other
        .upsert(
            vec![article_with_body(
                "whitfield-full",
                "\u{201c}The economy is strong and getting stronger,\u{201d} President Ronald \
                 Whitfield said on Friday.",
            )],
            Durability::Durable,
        )
        .unwrap();
    assert_eq!(
        quotes_of("Ronald Whitfield"),
        ["whitfield-full", "whitfield-surname"]
    );
    assert_eq!(
        quotes_of("Whitfield"),
        ["whitfield-full", "whitfield-surname"]
    );
    assert_eq!(speaker_facet(), [("Ronald Whitfield".to_owned(), 2)]);
    assert_eq!(one.speaker_registries_built(), 2);

    // A deferred write, made visible by the other server's flush.
    other
        .upsert(
            vec![article_with_body(
                "nancy",
                "\u{201c}I am proud of what he has done,\u{201d} Nancy Whitfield said at a \
                 charity lunch.",
            )],
            Durability::Deferred,
        )
        .unwrap();
    other.flush().unwrap();
    assert_eq!(quotes_of("Nancy Whitfield"), ["nancy"]);
    assert_eq!(quotes_of("Ronald Whitfield"), ["whitfield-full"]);

    // The other server's delete undoes the link.
    other.delete("nancy", Durability::Durable).unwrap();
    other.delete("whitfield-full", Durability::Durable).unwrap();
    assert_eq!(quotes_of("Ronald Whitfield"), Vec::<String>::new());
    assert_eq!(quotes_of("Whitfield"), ["whitfield-surname"]);
    assert_eq!(speaker_facet(), [("Whitfield".to_owned(), 1)]);
    let settled = one.speaker_registries_built();
    assert_eq!(quotes_of("Whitfield"), ["whitfield-surname"]);
    assert_eq!(one.speaker_registries_built(), settled);
}

/// The sample articles (real text: CNN, BBC News, Reuters-21578), analysed
/// as the server analyses them.
fn fixture_articles(analyzer: &Analyzer) -> Vec<AnalyzedArticle> {
    let limits = verbatim::ingest::ArticleLimits {
        max_article_bytes: 1 << 20,
    };
    crate::helpers::ARTICLES_NDJSON
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let article =
                verbatim::ingest::parse_article(line.as_bytes(), limits).expect("a valid fixture");
            verbatim::ingest::analyze_article(analyzer, article)
        })
        .collect()
}

/// A hit's identity: the article id, and for a quote its position.
fn hit_id(hit: &verbatim::search::SearchHit) -> String {
    let stored: Value = serde_json::from_str(&hit.stored_json).unwrap();
    match stored["position"].as_u64() {
        Some(position) => format!("{}#{position}", stored["article"]["id"].as_str().unwrap()),
        None => stored
            .pointer("/article/id")
            .or_else(|| stored.get("id"))
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("an article hit has an id: {stored}"))
            .to_owned(),
    }
}

/// What two backends must agree on for one search: total, hits in order,
/// their snippets, facet counts, whether there is a next page.
#[derive(Debug, PartialEq)]
struct Answered {
    total: u64,
    ids: Vec<String>,
    snippets: Vec<String>,
    facets: Vec<verbatim::search::FacetValues>,
    more: bool,
    /// Each hit's statement, when the search reads statements.
    statements: Vec<Option<verbatim::search::statements::StatementSummary>>,
}

fn answered(results: &verbatim::search::SearchResults) -> Answered {
    Answered {
        total: results.total,
        ids: results.hits.iter().map(hit_id).collect(),
        snippets: results.hits.iter().map(|hit| hit.snippet.clone()).collect(),
        facets: results.facets.clone(),
        more: results.next_cursor.is_some(),
        statements: results
            .hits
            .iter()
            .map(|hit| hit.statement.clone())
            .collect(),
    }
}

/// An embedded index and an OpenSearch index (two shards) holding the same
/// analysed articles.
struct TwoBackends {
    embedded: Arc<dyn Backend>,
    opensearch: OpenSearchBackend,
    _dir: tempfile::TempDir,
}

impl TwoBackends {
    /// Both backends on fresh stores (the OpenSearch index `index`), with
    /// the articles `articles` makes written to each.
    fn with(
        cluster: &Cluster,
        index: &str,
        analyzer: &Analyzer,
        articles: impl FnOnce(&Analyzer) -> Vec<AnalyzedArticle>,
    ) -> TwoBackends {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = settings(cluster, index);
        settings.index.dir = dir.path().join("index");
        settings.analysis.japanese_dictionary = Some(crate::helpers::test_dictionary_dir());
        let embedded =
            verbatim::backend::start(&settings, analyzer, verbatim::http::alert_shapes(&settings))
                .unwrap()
                .backend;
        http("DELETE", &format!("{}/{index}", cluster.url), None);
        init_index(&settings.opensearch, 2, replicas()).unwrap();
        let opensearch = OpenSearchBackend::connect(
            &settings,
            verbatim::analysis::language_analyzers_for(&settings),
        )
        .unwrap()
        .with_speaker_aliases(analyzer.aliases().clone());
        let articles = articles(analyzer);
        embedded
            .upsert(articles.clone(), Durability::Durable)
            .unwrap();
        opensearch.upsert(articles, Durability::Durable).unwrap();
        TwoBackends {
            embedded,
            opensearch,
            _dir: dir,
        }
    }
}

impl Drop for TwoBackends {
    fn drop(&mut self) {
        let _ = self.embedded.shutdown();
    }
}

/// Runs every search of `cases` on both backends and asserts they answer
/// alike ([`Answered`]), and so do their second pages of three hits, by
/// cursor (each backend's own) and by offset. Returns the number compared.
fn compare(
    embedded: &dyn Backend,
    opensearch: &OpenSearchBackend,
    cases: &[(&str, verbatim::search::SearchRequest)],
) -> usize {
    let mut compared = 0;
    for (name, request) in cases {
        let ours = answered(&embedded.search(request).unwrap());
        let theirs = answered(&opensearch.search(request).unwrap());
        assert_eq!(
            theirs, ours,
            "{name} ({:?}, {:?})",
            request.target, request.sort
        );
        eprintln!(
            "{:?} {name:?} ({:?}): {} hits of {}, facets {:?}",
            request.target,
            request.sort,
            ours.ids.len(),
            ours.total,
            ours.facets
                .iter()
                .map(|facet| (facet.name.as_str(), facet.distinct))
                .collect::<Vec<_>>()
        );
        compared += 1;

        // Page 2 by cursor, and by offset, with pages of 3.
        if ours.total > 3 {
            let mut first = request.clone();
            first.limit = 3;
            let embedded_first = embedded.search(&first).unwrap();
            let opensearch_first = opensearch.search(&first).unwrap();
            let mut second = first.clone();
            second.cursor = embedded_first.next_cursor.clone();
            let by_embedded = answered(&embedded.search(&second).unwrap());
            second.cursor = opensearch_first.next_cursor.clone();
            let by_opensearch = answered(&opensearch.search(&second).unwrap());
            assert_eq!(by_opensearch, by_embedded, "{name}: page 2 by cursor");
            assert_eq!(
                by_embedded.ids,
                ours.ids[3..ours.ids.len().min(6)],
                "{name}"
            );
            let mut offset = first.clone();
            offset.offset = 3;
            assert_eq!(
                answered(&opensearch.search(&offset).unwrap()),
                answered(&embedded.search(&offset).unwrap()),
                "{name}: page 2 by offset"
            );
        }
    }
    compared
}

/// The same real articles in an embedded index and in OpenSearch (two
/// shards): a set of searches — words, phrases, boolean operators,
/// prefixes, fields, filters by speaker, topic, source, language and date,
/// quotes and articles, sorted by date and by relevance, with facets and
/// a second page by cursor and by offset — answers the same totals, the same
/// hits in the same order with the same snippets, the same facet counts.
/// Relevance scores differ (Lucene's BM25 statistics count the documents
/// that have a field, tantivy's every document: ARCHITECTURE.md), so in
/// general two documents may rank in another order; on this corpus the
/// twelve relevance searches below rank alike, and the test holds them to
/// it (a change in either backend's ranking shows here).
#[test]
fn search_answers_as_the_embedded_backend_does() {
    use verbatim::search::{CountUnit, Grouping, PublishedRange, SearchRequest, SortOrder, Target};

    let cluster = cluster();
    let analyzer = Analyzer::with_defaults();
    let both = TwoBackends::with(cluster, "verbatim-test-search", &analyzer, fixture_articles);
    let (embedded, opensearch) = (&both.embedded, &both.opensearch);

    let everything = |target| SearchRequest {
        limit: 200,
        facet_limit: 10,
        sort: SortOrder::PublishedDescending,
        ..SearchRequest::everything(target)
    };
    // Filter values taken from the corpus itself: its most quoted speaker,
    // its most frequent quote topic.
    let mut corpus = everything(Target::Quotes);
    corpus.facets = vec!["speaker".into(), "topic".into()];
    let corpus = embedded.search(&corpus).unwrap();
    let top_speaker = corpus.facets[0].values[0].0.clone();
    let top_topic = corpus.facets[1].values[0].0.clone();
    eprintln!("top speaker {top_speaker}, top topic {top_topic}");
    let date = |text: &str| {
        Some(
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .unwrap(),
        )
    };

    let mut cases: Vec<(&str, SearchRequest)> = Vec::new();
    let all_facets = |target: Target| -> Vec<String> {
        target
            .facet_names()
            .iter()
            .map(|name| (*name).to_owned())
            .collect()
    };
    for target in [Target::Articles, Target::Quotes] {
        let with = |query: &str, sort: SortOrder| SearchRequest {
            query: query.to_owned(),
            sort,
            ..everything(target)
        };
        let mut facets = everything(target);
        facets.facets = all_facets(target);
        cases.push(("everything, every facet", facets));
        for query in [
            "china",
            "\"foreign minister\"",
            "china AND (taiwan OR trade) -football",
            "govern*",
            "NOT said",
            "speaker:blair OR source:reuters",
            "topic:/business",
        ] {
            for sort in [
                SortOrder::PublishedDescending,
                SortOrder::PublishedAscending,
            ] {
                let mut request = with(query, sort);
                request.facets = vec!["speaker".into(), "source".into(), "month".into()];
                cases.push((query, request));
            }
        }
        let mut request = with("", SortOrder::PublishedAscending);
        request.filters = vec![("source".into(), vec!["bbc news".into()])];
        cases.push(("source filter", request));
        let mut request = with("", SortOrder::PublishedDescending);
        request.published = PublishedRange {
            from: date("2005-02-01T00:00:00Z"),
            before: date("2005-03-06T00:00:00Z"),
        };
        request.facets = vec!["month".into()];
        cases.push(("date range", request));
        let mut request = with("", SortOrder::PublishedDescending);
        request.filters = vec![
            ("speaker".into(), vec![top_speaker.clone()]),
            ("language".into(), vec!["EN".into()]),
        ];
        request.facets = vec!["speaker".into(), "topic".into()];
        cases.push(("speaker filter", request));
        let mut request = with("", SortOrder::PublishedDescending);
        request.filters = vec![("topic".into(), vec![format!("{top_topic}/")])];
        cases.push(("topic filter", request));
    }
    let mut request = everything(Target::Quotes);
    request.min_confidence = Some(0.8);
    request.facets = vec!["speaker_kind".into(), "kind".into(), "role".into()];
    cases.push(("confident quotes", request));
    // By relevance: on this corpus both rank these alike (see above).
    for (target, query) in [
        (Target::Articles, "china"),
        (Target::Articles, "government"),
        (Target::Articles, "minister OR president"),
        (Target::Articles, "\"prime minister\""),
        (Target::Articles, "elect*"),
        (Target::Articles, "title:china"),
        (Target::Quotes, "said"),
        (Target::Quotes, "government"),
        (Target::Quotes, "economy OR growth"),
        (Target::Quotes, "people"),
        (Target::Quotes, "china"),
        (Target::Quotes, "quote:\"prime minister\""),
    ] {
        cases.push((
            query,
            SearchRequest {
                query: query.to_owned(),
                sort: SortOrder::Relevance,
                facets: vec!["speaker".into(), "source".into()],
                ..everything(target)
            },
        ));
    }

    // Statements: grouped, counted, and one statement's copies.
    let mut grouped = everything(Target::Quotes);
    grouped.group = Grouping::Statements;
    grouped.facets = vec!["speaker".into()];
    let statements = embedded.search(&grouped).unwrap();
    let folded = statements
        .hits
        .iter()
        .filter_map(|hit| hit.statement.as_ref())
        .max_by_key(|statement| (statement.copies, statement.id.clone()))
        .expect("a statement")
        .clone();
    assert!(folded.copies > 1, "{folded:?}");
    for query in ["", "china", "said OR minister", "government"] {
        for sort in [
            SortOrder::PublishedDescending,
            SortOrder::PublishedAscending,
            SortOrder::Relevance,
        ] {
            if query.is_empty() && sort == SortOrder::Relevance {
                continue;
            }
            for (group, count) in [
                (Grouping::Statements, CountUnit::Copies),
                (Grouping::Statements, CountUnit::Statements),
                (Grouping::Copies, CountUnit::Statements),
            ] {
                cases.push((
                    "statements",
                    SearchRequest {
                        query: query.to_owned(),
                        sort,
                        group,
                        count,
                        facets: vec![
                            "speaker".into(),
                            "source".into(),
                            "month".into(),
                            "topic".into(),
                        ],
                        ..everything(Target::Quotes)
                    },
                ));
            }
        }
    }
    for group in [Grouping::Copies, Grouping::Statements] {
        cases.push((
            "one statement's copies",
            SearchRequest {
                statement: Some(folded.id.clone()),
                group,
                facets: vec!["source".into()],
                ..everything(Target::Quotes)
            },
        ));
    }
    cases.push((
        "an unknown statement",
        SearchRequest {
            statement: Some("0123456789abcdef".into()),
            ..everything(Target::Quotes)
        },
    ));

    let compared = compare(embedded.as_ref(), opensearch, &cases);
    eprintln!("{compared} searches answered alike");
    let copies = opensearch
        .search(&SearchRequest {
            statement: Some(folded.id.clone()),
            ..everything(Target::Quotes)
        })
        .unwrap();
    assert_eq!(copies.total, u64::from(folded.copies));

    // A bad query fails alike on both.
    let mut bad = everything(Target::Articles);
    bad.query = "quote:x".into();
    assert!(opensearch.check_search(&bad).is_err());
    assert!(matches!(
        opensearch.search(&bad),
        Err(verbatim::backend::BackendError::Search(
            verbatim::search::SearchError::UnknownField { .. }
        ))
    ));
    let mut bad = everything(Target::Articles);
    bad.cursor = Some("garbage".into());
    assert!(matches!(
        opensearch.search(&bad),
        Err(verbatim::backend::BackendError::Search(
            verbatim::search::SearchError::InvalidCursor
        ))
    ));
}

/// `verbatim serve --backend opensearch` serves `/v1/search`,
/// `/v1/quotes` (statement grouping, counting and `statement=` included),
/// the catalogs, timelines and exports from the cluster over HTTP, and
/// writes through `/v1/articles`.
#[test]
fn serve_searches_the_cluster_over_http() {
    use crate::helpers::TestServer;

    let cluster = cluster();
    let index = "verbatim-test-serve";
    http("DELETE", &format!("{}/{index}", cluster.url), None);
    init_index(&settings(cluster, index).opensearch, 1, replicas()).unwrap();
    let repository = "verbatim-test-serve-repo";
    let snapshots = snapshot_repository(cluster, repository);
    let server = TestServer::start_with(&[
        ("VERBATIM_BACKEND", "opensearch"),
        ("VERBATIM_OPENSEARCH_URLS", &cluster.url),
        ("VERBATIM_OPENSEARCH_INDEX", index),
        (
            "VERBATIM_OPENSEARCH_SNAPSHOT_REPOSITORY",
            if snapshots { repository } else { "" },
        ),
    ]);
    server.load_fixtures();

    let answer = server.get("/v1/search?q=china&sort=-published&facets=source&limit=2");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer.body["total"].as_u64().unwrap() >= 1,
        "{}",
        answer.body
    );
    let hits = answer.body["hits"].as_array().unwrap();
    assert_eq!(hits[0]["id"], "cnn-blinken-beijing", "{}", answer.body);
    assert!(
        hits[0]["snippet"].as_str().unwrap().contains("<mark>"),
        "{}",
        answer.body
    );
    assert!(
        answer.body["facets"]["source"].is_array(),
        "{}",
        answer.body
    );

    // The same requests to an embedded server with the same articles answer
    // the same JSON, but for the time taken (sorted by date: scores are 0
    // in both).
    let embedded = TestServer::start();
    embedded.load_fixtures();
    for path in [
        "/v1/search?q=china&sort=-published&facets=source,month,speaker&limit=3",
        "/v1/search?q=%22foreign%20minister%22&sort=published&source=CNN",
        "/v1/quotes?q=said%20OR%20economy&sort=-published&facets=speaker,speaker_kind,kind&limit=5",
        "/v1/quotes?sort=published&from=2005-01-01&to=2005-02-28&facets=topic&limit=4",
        "/v1/speakers",
        "/v1/speakers?prefix=b&limit=3",
        "/v1/topics",
        "/v1/topics?parent=/world",
        "/v1/entities",
        "/v1/entities?type=person&prefix=w&limit=5",
        "/v1/speakers/Antony%20Blinken/timeline",
        "/v1/speakers/Wang%20Yi/timeline?interval=day&topic=/world&speakers_limit=3",
        "/v1/quotes?q=china&group=statement&sort=-published",
        "/v1/quotes?count=statements&facets=speaker,source&sort=published&limit=5",
        "/v1/quotes?group=statement&count=statements&facets=speaker&sort=-published&limit=3",
    ] {
        let mut ours = embedded.get(path).body;
        let mut theirs = server.get(path).body;
        for answer in [&mut ours, &mut theirs] {
            answer.as_object_mut().unwrap().remove("took_ms");
        }
        assert_eq!(theirs, ours, "{path}");
        assert!(ours.get("error").is_none(), "{path}: {ours}");
    }

    // Exports: the same lines (the order is each backend's own).
    for path in [
        "/v1/quotes/export?q=china",
        "/v1/quotes/export?format=csv&source=CNN",
    ] {
        let lines = |server: &TestServer| {
            let answer = server.send_raw("GET", path, &[], b"");
            assert_eq!(answer.status, 200, "{path}: {}", answer.text);
            let mut lines: Vec<String> = answer.text.lines().map(str::to_owned).collect();
            lines.sort();
            lines
        };
        let ours = lines(&embedded);
        assert!(ours.len() > 1, "{path}: {ours:?}");
        assert_eq!(lines(&server), ours, "{path}");
    }

    let quotes = server.get("/v1/quotes?q=china&speaker_kind=person&limit=1");
    assert_eq!(quotes.status, 200, "{}", quotes.body);
    assert!(
        quotes.body["total"].as_u64().unwrap() >= 1,
        "{}",
        quotes.body
    );
    let cursor = quotes.body["next_cursor"].as_str();
    if let Some(cursor) = cursor {
        let next = server.get(&format!(
            "/v1/quotes?q=china&speaker_kind=person&limit=1&cursor={}",
            crate::helpers::encode(cursor)
        ));
        assert_eq!(next.status, 200, "{}", next.body);
        assert_ne!(next.body["hits"][0], quotes.body["hits"][0]);
    }

    let bad = server.get("/v1/search?q=quote:x");
    assert_eq!((bad.status, bad.code()), (400, "unknown_field"));
    // Verification.
    for body in [
        json!({ "text": "allies rather than adversaries" }),
        json!({ "text": "partners, not rivals", "speaker": "Xi Jinping" }),
    ] {
        let ours = embedded.post_json("/v1/quotes/verify", &body);
        let theirs = server.post_json("/v1/quotes/verify", &body);
        assert_eq!(ours.status, 200, "{}", ours.body);
        let strip = |mut answer: Value| {
            answer.as_object_mut().unwrap().remove("took_ms");
            answer
        };
        assert_eq!(strip(theirs.body), strip(ours.body), "{body}");
    }
    // A snapshot into the cluster's repository.
    if snapshots {
        http(
            "DELETE",
            &format!("{}/_snapshot/{repository}/s1", cluster.url),
            None,
        );
        let taken = server.send(
            "POST",
            "/v1/admin/snapshot",
            Some("application/json"),
            br#"{"name": "s1"}"#,
        );
        assert_eq!(taken.status, 201, "{}", taken.body);
        assert_eq!(
            taken.body["path"],
            format!("{repository}/s1"),
            "{}",
            taken.body
        );
        let stats = server.get("/v1/stats").body;
        let documents = stats["articles"].as_u64().unwrap() + stats["quotes"].as_u64().unwrap();
        assert_eq!(taken.body["documents"], documents, "{}", taken.body);
        let again = server.send(
            "POST",
            "/v1/admin/snapshot",
            Some("application/json"),
            br#"{"name": "s1"}"#,
        );
        assert_eq!(again.status, 409, "{}", again.body);
    }
    // A statement's copies, by the id a grouped search gave.
    let grouped = embedded.get("/v1/quotes?group=statement&sort=-published&limit=50");
    let id = grouped.body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|hit| hit["statement"]["copies"].as_u64() > Some(1))
        .find_map(|hit| hit["statement"]["id"].as_str())
        .expect("a statement with several copies")
        .to_owned();
    let path = format!("/v1/quotes?statement={id}&sort=published");
    let mut ours = embedded.get(&path).body;
    let mut theirs = server.get(&path).body;
    for answer in [&mut ours, &mut theirs] {
        answer.as_object_mut().unwrap().remove("took_ms");
    }
    assert_eq!(theirs, ours, "{path}");
    assert!(ours["total"].as_u64() > Some(1), "{ours}");
    // And what it answers.
    for path in ["/health", "/v1/stats", "/v1/articles/cnn-blinken-beijing"] {
        let answer = server.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    }
    let metrics = server.send_raw("GET", "/metrics", &[], b"");
    assert_eq!(metrics.status, 200, "{}", metrics.text);
    assert!(metrics.text.contains("verbatim_build_info"));
    assert_eq!(server.get("/v1/stats").body["articles"], 13);
}

/// `--backend opensearch` on the command line serves the cluster as
/// `VERBATIM_BACKEND` does.
#[test]
fn serve_takes_the_backend_flag() {
    let cluster = cluster();
    let index = "verbatim-test-serve-flag";
    http("DELETE", &format!("{}/{index}", cluster.url), None);
    init_index(&settings(cluster, index).opensearch, 1, replicas()).unwrap();
    let server = crate::helpers::TestBackend::Embedded.start_with_args(&[
        "--backend",
        "opensearch",
        "--opensearch-url",
        &cluster.url,
        "--opensearch-index",
        index,
    ]);
    let posted = server.post_json(
        "/v1/articles",
        &json!({
            "id": "flag-1",
            "title": "Tariffs on steel",
            "body": "\"We will answer in good time,\" Wang Yi said on Monday about the tariffs.",
            "source": "Reuters",
            "published": "2024-04-26",
        }),
    );
    assert!(posted.status < 300, "{}", posted.body);
    let answer = server.get("/v1/quotes?q=answer");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["total"], 1, "{}", answer.body);
    let (_, count) = http("GET", &format!("{}/{index}/_count", cluster.url), None);
    assert_eq!(
        count["count"], 2,
        "the article and its quote are in the cluster"
    );
}

/// Articles in eight languages (German, French, Spanish, Russian,
/// Japanese, Chinese in both scripts, Tamil, English), undated, beside
/// three dated ones: words find their inflected forms through each
/// language's analysis, Japanese and Chinese are segmented, and undated
/// documents come last in both date orders, in both backends alike, across
/// cursor pages.
#[test]
fn multilingual_and_undated_articles_search_alike() {
    use verbatim::search::{SearchRequest, SortOrder, Target};

    let cluster = cluster();
    let analyzer = Analyzer::with_defaults();
    let both = TwoBackends::with(cluster, "verbatim-test-languages", &analyzer, |analyzer| {
        let limits = verbatim::ingest::ArticleLimits {
            max_article_bytes: 1 << 20,
        };
        let mut articles: Vec<AnalyzedArticle> = crate::multilingual::articles()
            .iter()
            .map(|article| {
                let article =
                    verbatim::ingest::parse_article(article.to_string().as_bytes(), limits)
                        .unwrap();
                verbatim::ingest::analyze_article(analyzer, article)
            })
            .collect();
        articles.extend(
            fixture_articles(analyzer)
                .into_iter()
                .filter(|article| article.article.id.starts_with("reuters")),
        );
        articles
    });
    let mut cases: Vec<(&str, SearchRequest)> = Vec::new();
    for target in [Target::Articles, Target::Quotes] {
        for query in [
            "",
            "Verhandlung",
            "négociation",
            "negociación",
            "переговоров",
            "negotiation OR minister",
            "அமைச்சர்கள்",
            "会談",
            "\"東京都\"",
            "关系",
            "王毅",
            "Zölle OR tariffs",
        ] {
            for sort in [
                SortOrder::PublishedDescending,
                SortOrder::PublishedAscending,
                SortOrder::Relevance,
            ] {
                cases.push((
                    query,
                    SearchRequest {
                        query: query.to_owned(),
                        sort,
                        limit: 50,
                        facets: vec!["language".into()],
                        facet_limit: 20,
                        ..SearchRequest::everything(target)
                    },
                ));
            }
        }
        for language in ["de", "ja", "zh"] {
            cases.push((
                language,
                SearchRequest {
                    query: "minister OR 外相 OR 王毅 OR Ministerin".to_owned(),
                    filters: vec![("language".into(), vec![language.to_owned()])],
                    sort: SortOrder::PublishedAscending,
                    limit: 50,
                    ..SearchRequest::everything(target)
                },
            ));
        }
    }
    // Undated documents are there to sort last.
    let everything = both
        .opensearch
        .search(&SearchRequest {
            limit: 50,
            sort: SortOrder::PublishedAscending,
            ..SearchRequest::everything(Target::Articles)
        })
        .unwrap();
    let last: Value = serde_json::from_str(&everything.hits.last().unwrap().stored_json).unwrap();
    assert!(last["published"].is_null(), "{last}");
    let compared = compare(both.embedded.as_ref(), &both.opensearch, &cases);
    eprintln!("{compared} multilingual searches answered alike");

    // Where they differ: 200 words, each searching three fields in the
    // terms of several languages, are more clauses than the engine runs
    // (1024 by default); the embedded backend runs them, OpenSearch answers
    // the query is too large (400 too_many_clauses), not a 500.
    let words: Vec<String> = (0..200u8)
        .map(|i| {
            format!(
                "neg{}{}otiations",
                (b'a' + i % 26) as char,
                (b'a' + i / 26) as char
            )
        })
        .collect();
    let request = SearchRequest {
        query: words.join(" OR "),
        ..SearchRequest::everything(Target::Articles)
    };
    assert_eq!(both.embedded.search(&request).unwrap().total, 0);
    match both.opensearch.search(&request) {
        Err(verbatim::backend::BackendError::Search(
            verbatim::search::SearchError::TooManyClauses { limit, found },
        )) => assert!(limit == 1024 && found > limit, "{found} > {limit}"),
        other => panic!("{:?}", other.map(|results| results.total)),
    }
}

/// The catalogs (`/v1/topics` and every facet catalog, `/v1/speakers`,
/// `/v1/entities`) answer the same values with the same exact counts in
/// both backends on the same real articles (the OpenSearch index has two
/// shards): for both targets, with and without a prefix, with limits that
/// cut ties, topics below a parent, and every entity kind alone and
/// together.
#[test]
fn catalogs_answer_as_the_embedded_backend_does() {
    use verbatim::model::EntityKind;
    use verbatim::search::{CatalogRequest, Target};

    let cluster = cluster();
    let analyzer = Analyzer::with_defaults();
    let both = TwoBackends::with(
        cluster,
        "verbatim-test-catalogs",
        &analyzer,
        fixture_articles,
    );
    let (embedded, opensearch) = (&both.embedded, &both.opensearch);
    let mut compared = 0;
    for target in [Target::Articles, Target::Quotes] {
        for (prefix, limit) in [("", 1000), ("", 3), ("b", 1000), ("Chi", 5), ("zzz", 10)] {
            let catalog = CatalogRequest {
                target,
                prefix: prefix.to_owned(),
                limit,
            };
            for facet in target.facet_names() {
                let ours = embedded.facet_catalog(&catalog, facet, None).unwrap();
                let theirs = opensearch.facet_catalog(&catalog, facet, None).unwrap();
                assert_eq!(theirs, ours, "{target:?} {facet} {prefix:?} {limit}");
                compared += 1;
            }
            let ours = embedded.speaker_catalog(&catalog).unwrap();
            assert_eq!(
                opensearch.speaker_catalog(&catalog).unwrap(),
                ours,
                "{target:?} speakers {prefix:?} {limit}"
            );
            if prefix.is_empty() && limit == 1000 {
                assert!(ours.distinct > 5, "{ours:?}");
            }
            for kinds in [
                vec![EntityKind::Person],
                vec![EntityKind::Place],
                vec![EntityKind::Organization],
                vec![
                    EntityKind::Person,
                    EntityKind::Place,
                    EntityKind::Organization,
                ],
            ] {
                let ours = embedded.entity_catalog(&catalog, &kinds).unwrap();
                assert_eq!(
                    opensearch.entity_catalog(&catalog, &kinds).unwrap(),
                    ours,
                    "{target:?} entities {kinds:?} {prefix:?} {limit}"
                );
            }
            compared += 5;
        }
        // Topics below each top-level topic.
        let catalog = CatalogRequest {
            target,
            prefix: String::new(),
            limit: 1000,
        };
        let top = embedded.facet_catalog(&catalog, "topic", None).unwrap();
        for (parent, _) in &top.values {
            for parent in [parent.clone(), format!("{parent}/")] {
                let ours = embedded
                    .facet_catalog(&catalog, "topic", Some(&parent))
                    .unwrap();
                let theirs = opensearch
                    .facet_catalog(&catalog, "topic", Some(&parent))
                    .unwrap();
                assert_eq!(theirs, ours, "{target:?} topics below {parent}");
                compared += 1;
            }
        }
    }
    eprintln!("{compared} catalogs answered alike");
}

/// Every line of an export, in the order walked.
fn export_lines(walk: Box<dyn verbatim::backend::ExportWalk>) -> Vec<String> {
    let mut lines = Vec::new();
    let visited = walk
        .walk(&mut |json| {
            lines.push(json.to_owned());
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(visited as usize, lines.len());
    lines
}

/// Exports walk every match of a search through a point in time with
/// `search_after`: the same stored JSON lines as the embedded export (as
/// sets: the embedded order is the index's, this backend's is ascending
/// `doc_key`, checked against the engine's own sort), the same lines in the
/// same order whatever the page size, and the same again when the point in
/// time is lost in the middle of the walk (it goes on from its last sort
/// values in a new one). Exempt: `indexed_at` in the stored JSON, the time
/// each backend indexed the document.
#[test]
fn exports_walk_every_match_as_the_embedded_backend_does() {
    use verbatim::search::{PublishedRange, SearchRequest, Target};

    let cluster = cluster();
    let analyzer = Analyzer::with_defaults();
    let index = "verbatim-test-export";
    let both = TwoBackends::with(cluster, index, &analyzer, fixture_articles);
    let (embedded, opensearch) = (&both.embedded, &both.opensearch);

    // The stored JSON of every document in the engine's doc_key order.
    let (status, sorted) = http(
        "POST",
        &format!("{}/{index}/_search", cluster.url),
        Some(&json!({
            "size": 1000,
            "sort": [{ "doc_key": "asc" }],
            "_source": ["stored"],
        })),
    );
    assert_eq!(status, 200, "{sorted}");
    let by_doc_key: Vec<String> = sorted["hits"]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["_source"]["stored"].as_str().unwrap().to_owned())
        .collect();

    let date = |text: &str| {
        Some(
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .unwrap(),
        )
    };
    let mut cases: Vec<(&str, SearchRequest)> = Vec::new();
    for target in [Target::Quotes, Target::Articles] {
        for query in ["", "china", "\"foreign minister\"", "govern* -said"] {
            cases.push((
                query,
                SearchRequest {
                    query: query.to_owned(),
                    ..SearchRequest::everything(target)
                },
            ));
        }
        cases.push((
            "source and dates",
            SearchRequest {
                filters: vec![("source".into(), vec!["bbc news".into(), "CNN".into()])],
                published: PublishedRange {
                    from: date("2005-01-01T00:00:00Z"),
                    before: date("2025-01-01T00:00:00Z"),
                },
                ..SearchRequest::everything(target)
            },
        ));
    }
    let quotes = SearchRequest::everything(Target::Quotes);
    let top_speaker = embedded
        .facet_catalog(
            &verbatim::search::CatalogRequest {
                target: Target::Quotes,
                prefix: String::new(),
                limit: 1,
            },
            "speaker",
            None,
        )
        .unwrap()
        .values[0]
        .0
        .clone();
    cases.push((
        "speaker filter",
        SearchRequest {
            filters: vec![("speaker".into(), vec![top_speaker])],
            min_confidence: Some(0.5),
            ..quotes.clone()
        },
    ));

    for (name, request) in &cases {
        let ours = export_lines(embedded.prepare_export(request).unwrap());
        let theirs = export_lines(opensearch.prepare_export(request).unwrap());
        assert_eq!(theirs.len(), ours.len(), "{name} ({:?})", request.target);
        // The same documents: the stored JSON but for when each backend
        // indexed it.
        let documents = |lines: &[String]| {
            let mut documents: Vec<String> = lines
                .iter()
                .map(|line| {
                    let mut stored: Value = serde_json::from_str(line).unwrap();
                    stored.as_object_mut().unwrap().remove("indexed_at");
                    stored.to_string()
                })
                .collect();
            documents.sort();
            documents
        };
        let mut distinct = documents(&theirs);
        distinct.dedup();
        assert_eq!(distinct, documents(&ours), "{name} ({:?})", request.target);
        let mut theirs_sorted = theirs.clone();
        theirs_sorted.sort();
        // In doc_key order, as the engine sorts it.
        let expected: Vec<&String> = by_doc_key
            .iter()
            .filter(|line| theirs_sorted.binary_search(line).is_ok())
            .collect();
        assert_eq!(
            theirs.iter().collect::<Vec<_>>(),
            expected,
            "{name}: doc_key order"
        );
        // Small pages walk the same lines in the same order.
        let paged = export_lines(Box::new(
            opensearch.prepare_export_paged(request, 7).unwrap(),
        ));
        assert_eq!(paged, theirs, "{name}: pages of 7");
        eprintln!("{:?} {name:?}: {} lines", request.target, ours.len());
    }

    // The point in time lost in the middle of the walk (every PIT of the
    // cluster closed, as a node restart drops them): the walk goes on from
    // its last sort values in a new one.
    let all = export_lines(opensearch.prepare_export(&quotes).unwrap());
    assert!(all.len() > 40, "{}", all.len());
    let mut walked = Vec::new();
    let visited = opensearch
        .prepare_export_paged(&quotes, 10)
        .unwrap()
        .run(&mut |json| {
            walked.push(json.to_owned());
            if walked.len() == 15 {
                let (status, closed) = http(
                    "DELETE",
                    &format!("{}/_search/point_in_time/_all", cluster.url),
                    None,
                );
                assert_eq!(status, 200, "{closed}");
            }
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(visited as usize, all.len());
    assert_eq!(walked, all, "resumed after the lost point in time");

    // A visitor that stops; a query that does not compile fails before
    // anything is walked.
    let mut seen = 0;
    let stopped = opensearch
        .prepare_export(&quotes)
        .unwrap()
        .walk(&mut |_| {
            seen += 1;
            if seen == 5 {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        })
        .unwrap();
    assert_eq!(stopped, 5);
    let bad = SearchRequest {
        query: "quote:x".into(),
        ..SearchRequest::everything(Target::Articles)
    };
    assert!(matches!(
        opensearch.prepare_export(&bad),
        Err(verbatim::backend::BackendError::Search(
            verbatim::search::SearchError::UnknownField { .. }
        ))
    ));
    // No point in time is left open.
    let (_, pits) = http(
        "GET",
        &format!("{}/_search/point_in_time/_all", cluster.url),
        None,
    );
    assert_eq!(pits["pits"].as_array().map_or(0, Vec::len), 0, "{pits}");
}

/// Speaker timelines answer the same as the embedded backend's on the same
/// articles: quotes and statements per interval and topic, undated quotes,
/// co-quoted speakers, for the corpus' most quoted speakers, by month, week
/// and day, below a topic, within dates, and by an alias; an unknown
/// speaker is refused alike.
#[test]
fn timelines_answer_as_the_embedded_backend_does() {
    use verbatim::search::timeline::{Interval, TimelineRequest};
    use verbatim::search::{CatalogRequest, PublishedRange, Target};

    let cluster = cluster();
    let analyzer = Analyzer::with_defaults();
    let both = TwoBackends::with(
        cluster,
        "verbatim-test-timeline",
        &analyzer,
        fixture_articles,
    );
    let (embedded, opensearch) = (&both.embedded, &both.opensearch);
    let speakers = embedded
        .speaker_catalog(&CatalogRequest {
            target: Target::Quotes,
            prefix: String::new(),
            limit: 8,
        })
        .unwrap();
    let date = |text: &str| {
        Some(
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .unwrap(),
        )
    };
    let mut names: Vec<String> = speakers
        .values
        .iter()
        .map(|speaker| speaker.name.clone())
        .collect();
    names.extend(
        speakers
            .values
            .iter()
            .flat_map(|speaker| speaker.aliases.first().cloned()),
    );
    let mut compared = 0;
    let mut statements_seen = 0;
    for name in &names {
        for interval in [Interval::Month, Interval::Week, Interval::Day] {
            let base = TimelineRequest {
                speaker: name.clone(),
                interval,
                topics: Vec::new(),
                published: PublishedRange::default(),
                co_quoted_limit: 10,
            };
            let mut requests = vec![base.clone()];
            if interval == Interval::Month {
                requests.push(TimelineRequest {
                    topics: vec!["/world".into()],
                    co_quoted_limit: 2,
                    ..base.clone()
                });
                requests.push(TimelineRequest {
                    published: PublishedRange {
                        from: date("2005-01-01T00:00:00Z"),
                        before: date("2024-01-01T00:00:00Z"),
                    },
                    co_quoted_limit: 0,
                    ..base.clone()
                });
            }
            for request in requests {
                let ours = embedded.speaker_timeline(&request).unwrap();
                let theirs = opensearch.speaker_timeline(&request).unwrap();
                assert_eq!(theirs, ours, "{request:?}");
                statements_seen += ours.statements;
                compared += 1;
            }
        }
    }
    assert!(statements_seen > 0);
    let unknown = TimelineRequest {
        speaker: "Nobody Atall".into(),
        interval: Interval::Month,
        topics: Vec::new(),
        published: PublishedRange::default(),
        co_quoted_limit: 10,
    };
    assert!(matches!(
        opensearch.speaker_timeline(&unknown),
        Err(verbatim::backend::BackendError::Search(
            verbatim::search::SearchError::SpeakerNotFound { .. }
        ))
    ));
    eprintln!("{compared} timelines answered alike");
}

/// What two backends must agree on for one verification: the verdict, the
/// claimed speaker, and each match (its earliest copy, similarity, diff,
/// speaker, whether it is the claimed one, copies). Exempt: the earliest
/// copy's `indexed_at`, when each backend indexed it.
fn verified(verification: &verbatim::search::verify::Verification) -> Vec<String> {
    let mut answer = vec![format!(
        "{:?} {:?}",
        verification.verdict, verification.claimed_speaker
    )];
    for found in &verification.matches {
        answer.push(format!(
            "{} {:?} {:?} {} {:?} {:?} {}",
            found.earliest.id(),
            found.earliest.article.published,
            found.similarity,
            found.diff,
            found.speaker,
            found.speaker_matches,
            found.copies
        ));
    }
    answer
}

/// Verification answers as the embedded backend does on the same
/// articles: claims made from the corpus' own quotes (whole, an excerpt,
/// a word replaced), with the right speaker, another one, or none, within
/// dates, and claims no quote holds.
#[test]
fn verification_answers_as_the_embedded_backend_does() {
    use verbatim::search::verify::{Verdict, VerifyRequest};
    use verbatim::search::{PublishedRange, SearchRequest, Target};

    let cluster = cluster();
    let analyzer = Analyzer::with_defaults();
    let both = TwoBackends::with(cluster, "verbatim-test-verify", &analyzer, fixture_articles);
    let (embedded, opensearch) = (&both.embedded, &both.opensearch);
    let quotes: Vec<Value> = export_lines(
        embedded
            .prepare_export(&SearchRequest::everything(Target::Quotes))
            .unwrap(),
    )
    .iter()
    .map(|line| serde_json::from_str(line).unwrap())
    .collect();
    let date = |text: &str| {
        Some(
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .unwrap(),
        )
    };
    let mut claims: Vec<(String, Option<String>, PublishedRange)> = vec![
        (
            "allies rather than adversaries".into(),
            None,
            PublishedRange::default(),
        ),
        (
            "the moon is made of green cheese and nobody said so".into(),
            Some("Wang Yi".into()),
            PublishedRange::default(),
        ),
    ];
    for quote in quotes.iter().step_by(9) {
        let text = quote["quote"].as_str().unwrap().to_owned();
        let speaker = quote["speaker"].as_str().map(str::to_owned);
        let words: Vec<&str> = text.split_whitespace().collect();
        claims.push((text.clone(), speaker.clone(), PublishedRange::default()));
        claims.push((text.clone(), None, PublishedRange::default()));
        claims.push((
            text.clone(),
            Some("Tony Blair".into()),
            PublishedRange::default(),
        ));
        if words.len() > 10 {
            claims.push((
                words[1..9].join(" "),
                speaker.clone(),
                PublishedRange::default(),
            ));
            let mut replaced = words.clone();
            replaced[words.len() / 2] = "bananas";
            claims.push((
                replaced.join(" "),
                speaker.clone(),
                PublishedRange::default(),
            ));
        }
        claims.push((
            text,
            speaker,
            PublishedRange {
                from: date("2005-01-01T00:00:00Z"),
                before: date("2006-01-01T00:00:00Z"),
            },
        ));
    }
    let mut verdicts = std::collections::BTreeMap::new();
    for (text, speaker, published) in &claims {
        let request = VerifyRequest {
            text: text.clone(),
            speaker: speaker.clone(),
            published: *published,
            limit: 5,
        };
        let ours = embedded.verify(&request).unwrap();
        let theirs = opensearch.verify(&request).unwrap();
        assert_eq!(verified(&theirs), verified(&ours), "{request:?}");
        *verdicts.entry(format!("{:?}", ours.verdict)).or_insert(0) += 1;
    }
    eprintln!("{} claims verified alike: {verdicts:?}", claims.len());
    for verdict in [
        Verdict::Exact,
        Verdict::Close,
        Verdict::AttributedToOther,
        Verdict::NotFound,
    ] {
        assert!(
            verdicts.contains_key(&format!("{verdict:?}")),
            "{verdict:?} among {verdicts:?}"
        );
    }
}

/// Registers the `fs` snapshot repository `name` under the test cluster's
/// `path.repo`; false (the test is skipped) for a cluster named by
/// `VERBATIM_TEST_OPENSEARCH_URL` that has none.
fn snapshot_repository(cluster: &Cluster, name: &str) -> bool {
    let (status, answer) = http(
        "PUT",
        &format!("{}/_snapshot/{name}", cluster.url),
        Some(&json!({ "type": "fs", "settings": { "location": name } })),
    );
    if status != 200 && cluster.launcher.is_none() {
        eprintln!("SKIPPED: the cluster has no path.repo for snapshots: {answer}");
        return false;
    }
    assert_eq!(status, 200, "{answer}");
    true
}

/// Snapshots go to the cluster's snapshot repository that
/// `opensearch.snapshot_repository` names: the index as it was (a restored
/// copy holds its documents, not later writes), a name taken twice is
/// refused (409), and without a repository the backend says it takes no
/// snapshots (501).
#[test]
fn snapshots_go_to_the_clusters_repository() {
    use verbatim::backend::BackendError;

    let cluster = cluster();
    let index = "verbatim-test-snapshot";
    let without = backend(cluster, index);
    match without.snapshot("first") {
        Err(BackendError::NotSupported(message)) => {
            assert!(message.contains("snapshot_repository"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let repository = "verbatim-test-repo";
    if !snapshot_repository(cluster, repository) {
        return;
    }
    let mut settings = settings(cluster, index);
    settings.opensearch.snapshot_repository = repository.to_owned();
    let backend = OpenSearchBackend::connect(&settings, analyzers()).unwrap();
    backend
        .upsert(vec![article("snap-1", 1, 3)], Durability::Durable)
        .unwrap();
    http(
        "DELETE",
        &format!("{}/_snapshot/{repository}/first", cluster.url),
        None,
    );
    let report = backend.snapshot("First").unwrap();
    assert_eq!(report.location, format!("{repository}/first"));
    assert_eq!(report.documents, 4);
    assert!(report.files > 0 && report.bytes > 0, "{report:?}");
    assert!(matches!(
        backend.snapshot("first"),
        Err(BackendError::SnapshotExists(_))
    ));
    // Later writes are not in it.
    backend
        .upsert(vec![article("snap-2", 1, 2)], Durability::Durable)
        .unwrap();
    let restored = format!("restored-{index}");
    http("DELETE", &format!("{}/{restored}", cluster.url), None);
    let (status, answer) = http(
        "POST",
        &format!(
            "{}/_snapshot/{repository}/first/_restore?wait_for_completion=true",
            cluster.url
        ),
        Some(&json!({
            "indices": index,
            "rename_pattern": "(.+)",
            "rename_replacement": "restored-$1",
            "include_global_state": false,
        })),
    );
    assert_eq!(status, 200, "{answer}");
    let (_, count) = http("GET", &format!("{}/{restored}/_count", cluster.url), None);
    assert_eq!(count["count"], 4, "{count}");
    let (_, count) = http("GET", &format!("{}/{index}/_count", cluster.url), None);
    assert_eq!(count["count"], 7, "{count}");
    http("DELETE", &format!("{}/{restored}", cluster.url), None);
}

/// A write whose quotes a crash left unmatched (journaled in
/// `alert-pending.ndjson` before the write, never marked done) fires at the
/// next start of the server holding the alert, once: a batch whose events
/// were recorded before the crash does not fire again.
#[test]
fn alerts_match_the_writes_a_crash_left_unmatched_at_the_next_start() {
    use crate::helpers::{Store, TestBackend};

    let temp = tempfile::tempdir().unwrap();
    let store = TestBackend::OpenSearch.new_store(temp.path().join("index"));
    let env = [("VERBATIM_FEEDS_POLL", "0")];
    let server = store.start(&env);
    let created = server.post_json(
        "/v1/alerts",
        &json!({"name": "fire", "query": {"q": "fire"}}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let last_event_id = |server: &crate::helpers::TestServer| {
        server.get(&format!("/v1/alerts/{id}")).body["last_event_id"]
            .as_u64()
            .unwrap()
    };
    server.stop();

    // Another server, without the alert, writes the article to the cluster
    // (as the crashed one did before it could match it).
    let other = tempfile::tempdir().unwrap();
    let writer = Store {
        dir: other.path().join("index"),
        index: store.index.clone(),
    }
    .start(&env);
    let article = json!({"id": "alerts-fire-chief", "title": "Fires in the hills",
        "source": "Wire", "published": "2024-05-03",
        "body": "“We will put out every fire in these hills before the weekend,” Fire Chief Ann Lee said on Friday."});
    assert_eq!(writer.post_json("/v1/articles", &article).status, 201);
    writer.stop();

    // What the crashed server had journaled before its write.
    let quote_id = ArticleIds::of("alerts-fire-chief").quote(0);
    let begun = |batch: u64| {
        json!({ "begun": { "batch": batch, "needs": {
            "new_quotes": [{ "id": quote_id, "article_key": "a", "speaker_key": "s" }],
            "since": 0,
        } } })
    };
    let journal = store.dir.join(verbatim::alerts::PENDING_FILE);
    std::fs::write(&journal, format!("{}\n", begun(0))).unwrap();
    let server = store.start(&env);
    assert_eq!(
        last_event_id(&server),
        1,
        "the journaled write fires at start"
    );
    server.stop();
    // Done: another start fires nothing; nor does a batch whose events were
    // recorded before the crash.
    let server = store.start(&env);
    assert_eq!(last_event_id(&server), 1);
    server.stop();
    let mut lines = std::fs::read_to_string(&journal).unwrap();
    lines.push_str(&format!("{}\n", begun(7)));
    std::fs::write(&journal, lines).unwrap();
    let server = store.start(&env);
    assert_eq!(last_event_id(&server), 1, "an event already recorded");
    drop(server);
    drop(temp);
}
