//! Crash safety: several clients write (upserts, batches, deletes) while the
//! server is killed with SIGKILL at random moments; after each restart every
//! acknowledged write must be there and searchable, nothing half-written may
//! be visible (each article's stored quote count equals its quote documents),
//! and the index must open.
//!
//! Randomness is seeded and the seed printed; replay a failure with
//! `VERBATIM_CRASH_SEED=<seed>`. `VERBATIM_CRASH_CYCLES` sets the number of
//! kill/restart cycles (default 20).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{Rng, TestServer};

/// Writing clients, each with its own ids.
const CLIENTS: usize = 4;
/// Ids per client.
const IDS_PER_CLIENT: usize = 40;
/// A word in every article, to list them all with one search.
const MARKER: &str = "crashmarker";

/// What an id holds: `Some(version)` or `None` when absent (deleted or never written).
type Version = Option<u32>;

#[derive(Debug, Default, Clone)]
struct IdState {
    /// The last acknowledged state.
    acknowledged: Version,
    /// A write sent but not answered (in flight when the server died).
    pending: Option<Version>,
    /// Next version number to write.
    next_version: u32,
}

type Ledger = Arc<Mutex<HashMap<String, IdState>>>;

fn article_id(client: usize, n: usize) -> String {
    format!("crash-c{client}-{n}")
}

/// An article whose number of quotes depends on the version, so replacing it
/// changes its quote documents.
fn article(id: &str, version: u32) -> Value {
    let quotes = [
        "\"We will not give up on the talks,\" said Maria Lopez, the negotiator.",
        "\"The economy is recovering faster than expected,\" said John Smith.",
        "\"Nobody wants a trade war,\" the minister Anna Berg said on Tuesday.",
        "\"Prices will fall next year,\" said Peter Novak, an analyst.",
    ];
    let count = (version as usize) % (quotes.len() + 1);
    let mut body = format!("Report {MARKER} on {id}, version {version}. ");
    for quote in &quotes[..count] {
        body.push_str(quote);
        body.push(' ');
    }
    body.push_str("The meeting ended without a statement.");
    json!({
        "id": id,
        "title": format!("Update {version} for {id}"),
        "body": body,
        "source": id,
        "version": version,
    })
}

/// An HTTP call that reports transport failures instead of panicking.
fn call(
    base: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<(u16, Value), String> {
    let request = ureq::request(method, &format!("{base}{path}")).timeout(Duration::from_secs(30));
    let result = match body {
        Some(body) => request
            .set("Content-Type", "application/json")
            .send_string(&body.to_string()),
        None => request.call(),
    };
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => return Err(error.to_string()),
    };
    let status = response.status();
    let text = response.into_string().map_err(|e| e.to_string())?;
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).map_err(|e| format!("not JSON ({e}): {text}"))?
    };
    Ok((status, value))
}

/// One client: random writes on its own ids until the server stops answering.
fn run_client(base: String, client: usize, ledger: Ledger, seed: u64) -> usize {
    let mut rng = Rng::new(seed);
    let mut acknowledged = 0;
    loop {
        let batch_size = match rng.below(10) {
            0 => 2 + rng.below(2) as usize,
            _ => 1,
        };
        let delete = batch_size == 1 && rng.below(8) == 0;
        let mut ids: Vec<String> = Vec::new();
        while ids.len() < batch_size {
            let id = article_id(client, rng.below(IDS_PER_CLIENT as u64) as usize);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        // Record what is about to be sent before sending it.
        let mut targets: Vec<(String, Version)> = Vec::new();
        {
            let mut ledger = ledger.lock().unwrap();
            for id in &ids {
                let state = ledger.entry(id.clone()).or_default();
                let target = if delete {
                    None
                } else {
                    state.next_version += 1;
                    Some(state.next_version)
                };
                state.pending = Some(target);
                targets.push((id.clone(), target));
            }
        }
        let outcome = if delete {
            call(&base, "DELETE", &format!("/v1/articles/{}", ids[0]), None)
        } else {
            let articles: Vec<Value> = targets
                .iter()
                .map(|(id, version)| article(id, version.expect("an upsert has a version")))
                .collect();
            let body = if articles.len() == 1 {
                articles[0].clone()
            } else {
                Value::Array(articles)
            };
            call(&base, "POST", "/v1/articles", Some(&body))
        };
        match outcome {
            Ok((status, _)) if status == 201 || (delete && matches!(status, 204 | 404)) => {
                let mut ledger = ledger.lock().unwrap();
                for (id, target) in &targets {
                    let state = ledger.get_mut(id).expect("recorded above");
                    state.acknowledged = *target;
                    state.pending = None;
                }
                acknowledged += targets.len();
            }
            // The server is gone (killed), or refused the write (5xx): the
            // write stays pending, applied or not.
            Err(_) => return acknowledged,
            Ok((status, _)) if status >= 500 => return acknowledged,
            Ok((status, body)) => panic!("unexpected answer {status} to a valid write: {body}"),
        }
    }
}

/// Files in the index directory that `meta.json` does not reference: left by
/// a commit or a merge that was running when the server died.
fn orphan_files(dir: &Path) -> usize {
    let Ok(meta) = std::fs::read_to_string(dir.join("meta.json")) else {
        return 0;
    };
    let meta: Value = serde_json::from_str(&meta).expect("meta.json is JSON");
    let live: BTreeSet<String> = meta["segments"]
        .as_array()
        .map(|segments| {
            segments
                .iter()
                .filter_map(|s| s["segment_id"].as_str())
                .map(|id| id.replace('-', ""))
                .collect()
        })
        .unwrap_or_default();
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.file_name().into_string().ok())
                .filter(|name| !name.starts_with('.') && !name.starts_with("meta.json"))
                .filter(|name| name.len() > 32 && name.as_bytes()[32] == b'.')
                .filter(|name| !live.contains(&name[..32]))
                .count()
        })
        .unwrap_or(0)
}

/// Checks the restarted server against the ledger and settles pending writes
/// to what is visible. Returns the number of visible articles.
fn verify(server: &TestServer, ledger: &Ledger, cycle: usize, seed: u64) -> usize {
    let context = format!("cycle {cycle}, seed {seed}");
    let stats = server.get("/v1/stats");
    assert_eq!(
        stats.status, 200,
        "{context}: the index does not open: {}",
        stats.body
    );

    let mut ledger = ledger.lock().unwrap();
    let mut visible: BTreeMap<String, u64> = BTreeMap::new();
    for (id, state) in ledger.iter_mut() {
        let answer = server.get(&format!("/v1/articles/{id}"));
        let found: Version = match answer.status {
            200 => Some(
                answer.body["extra"]["version"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{context}: {id} has no version: {}", answer.body))
                    as u32,
            ),
            404 => None,
            status => panic!("{context}: GET {id} answered {status}: {}", answer.body),
        };
        let allowed = found == state.acknowledged || Some(found) == state.pending;
        assert!(
            allowed,
            "{context}: {id} shows {found:?}, but the acknowledged state is {:?} \
             (pending {:?}): an acknowledged write was lost",
            state.acknowledged, state.pending
        );
        // What is visible after a restart is committed: it is the new baseline.
        state.acknowledged = found;
        state.pending = None;
        if found.is_some() {
            let quotes = answer.body["quotes"].as_array().map_or(0, Vec::len) as u64;
            visible.insert(id.clone(), quotes);
        }
    }

    // Every visible article is searchable, and nothing else is.
    let search = server.get(&format!(
        "/v1/search?q={MARKER}&limit=1000&facets=source&facet_limit=10000"
    ));
    assert_eq!(search.status, 200, "{context}: {}", search.body);
    let found_ids: BTreeSet<String> = search.body["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["id"].as_str().expect("hit id").to_owned())
        .collect();
    let expected_ids: BTreeSet<String> = visible.keys().cloned().collect();
    assert_eq!(
        found_ids, expected_ids,
        "{context}: search disagrees with GET"
    );
    for facet in search.body["facets"]["source"]
        .as_array()
        .expect("source facet")
    {
        assert_eq!(facet["count"], 1, "{context}: duplicate article {facet}");
    }

    // Each article's quote documents match its stored quotes: no article
    // without its quotes, no quotes without (or from an older) article.
    let quotes = server.get("/v1/quotes?limit=0&facets=source&facet_limit=10000");
    assert_eq!(quotes.status, 200, "{context}: {}", quotes.body);
    let mut quote_documents: BTreeMap<String, u64> = BTreeMap::new();
    for facet in quotes.body["facets"]["source"]
        .as_array()
        .expect("source facet")
    {
        quote_documents.insert(
            facet["value"].as_str().expect("value").to_owned(),
            facet["count"].as_u64().expect("count"),
        );
    }
    let stored: BTreeMap<String, u64> = visible
        .iter()
        .filter(|(_, count)| **count > 0)
        .map(|(id, count)| (id.clone(), *count))
        .collect();
    assert_eq!(
        quote_documents, stored,
        "{context}: quote documents per article differ from the stored quote counts"
    );
    visible.len()
}

#[test]
fn acknowledged_writes_survive_kill_9_and_nothing_partial_is_visible() {
    let seed = std::env::var("VERBATIM_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(7, |d| d.as_nanos() as u64)
        });
    let cycles: usize = std::env::var("VERBATIM_CRASH_CYCLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    eprintln!("crash test: seed {seed} (replay with VERBATIM_CRASH_SEED={seed}), {cycles} cycles");
    let mut rng = Rng::new(seed);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("index");
    let ledger: Ledger = Arc::new(Mutex::new(HashMap::new()));
    // Small writer memory and many commits keep segments small, so merges
    // run often and kills land in them too.
    let env = [("VERBATIM_WRITER_MEMORY_MB", "32")];

    let mut acknowledged_total = 0;
    let mut in_flight_at_kill = 0;
    let mut cycles_with_orphans = 0;
    for cycle in 0..cycles {
        let server = TestServer::start_on(&dir, &env);
        if cycle > 0 {
            verify(&server, &ledger, cycle, seed);
        }
        let clients: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let base = server.base.clone();
                let ledger = ledger.clone();
                let client_seed = rng.next();
                thread::spawn(move || run_client(base, client, ledger, client_seed))
            })
            .collect();
        thread::sleep(Duration::from_millis(100 + rng.below(2000)));
        server.kill_hard();
        for client in clients {
            acknowledged_total += client.join().expect("client thread");
        }
        in_flight_at_kill += ledger
            .lock()
            .unwrap()
            .values()
            .filter(|state| state.pending.is_some())
            .count();
        if orphan_files(&dir) > 0 {
            cycles_with_orphans += 1;
        }
    }
    let server = TestServer::start_on(&dir, &env);
    let visible = verify(&server, &ledger, cycles, seed);
    server.stop();
    eprintln!(
        "crash test: {cycles} kill -9 cycles, {acknowledged_total} acknowledged writes, \
         0 lost; {in_flight_at_kill} writes in flight at the kills; {cycles_with_orphans} \
         kills left unreferenced segment files (mid-commit or mid-merge); {visible} articles at the end"
    );
    assert!(
        acknowledged_total > cycles,
        "the clients hardly wrote anything"
    );
}
