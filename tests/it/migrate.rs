//! `verbatim migrate --from DIR --to NEW_DIR`: an embedded index rewritten
//! from its stored analysis with this build's documents and settings (here
//! an lz4 index into a zstd one) holds every live document as it was, serves
//! the same answers, and refuses a destination that is not empty.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tantivy::schema::Value as _;

use crate::helpers::{fixture_count, import_with_cli, TestServer};

const QUERIES: &[&str] = &[
    "/v1/quotes?q=said&facets=speaker,topic,source,month&limit=20",
    "/v1/quotes?group=statement&count=statements&facets=speaker&limit=20",
    "/v1/search?q=china&facets=speaker,topic,source,month,person,place,org&limit=20",
    "/v1/search?sort=-published&limit=50",
    "/v1/speakers?limit=20",
];

/// Every live document of the index in `dir`, by doc key: its stored
/// fields as JSON.
fn stored_documents(dir: &Path) -> BTreeMap<u64, String> {
    let index = tantivy::Index::open_in_dir(dir).unwrap();
    let schema = index.schema();
    let stored = schema.get_field("stored").unwrap();
    let searcher = index.reader().unwrap().searcher();
    let mut documents = BTreeMap::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let keys = segment.fast_fields().u64("doc_key").unwrap();
        for doc in segment.doc_ids_alive() {
            let address = tantivy::DocAddress::new(ordinal as u32, doc);
            let document: tantivy::TantivyDocument = searcher.doc(address).unwrap();
            let json = document.get_first(stored).unwrap().as_str().unwrap();
            documents.insert(keys.first(doc).unwrap(), json.to_owned());
        }
    }
    documents
}

fn docstore_compression(dir: &Path) -> Value {
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
    meta["index_settings"]["docstore_compression"].clone()
}

fn migrate(from: &Path, to: &Path) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["migrate", "--quiet", "--batch", "3", "--from"])
        .arg(from)
        .arg("--to")
        .arg(to)
        .env("VERBATIM_INDEX_COMPRESSION", "zstd")
        .env("VERBATIM_LOG", "error")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn answers(server: &TestServer) -> Vec<Value> {
    QUERIES
        .iter()
        .map(|path| {
            let mut answer = server.get(path);
            assert_eq!(answer.status, 200, "{path}: {}", answer.body);
            if let Some(object) = answer.body.as_object_mut() {
                object.remove("took_ms");
            }
            answer.body
        })
        .collect()
}

#[test]
fn migrate_rewrites_an_embedded_index_into_a_new_directory() {
    let temp = tempfile::tempdir().unwrap();
    let old = temp.path().join("old");
    let new = temp.path().join("new");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles.ndjson");
    // Twice: every article replaced once, so the old index also holds
    // deleted documents with other stamps.
    import_with_cli(&old, &fixtures);
    import_with_cli(&old, &fixtures);
    std::fs::write(old.join("feeds.json"), b"{\"feeds\":[]}\n").unwrap();
    assert_eq!(docstore_compression(&old), "lz4");

    let (ok, stdout, stderr) = migrate(&old, &new);
    assert!(ok, "{stderr}");
    let printed: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(printed["articles"], fixture_count() as u64, "{printed}");
    assert_eq!(printed["quotes"], printed["source_quotes"], "{printed}");
    assert!(printed["quotes"].as_u64().unwrap() > 100, "{printed}");
    assert_eq!(docstore_compression(&new), "zstd(compression_level=3)");
    assert!(!temp.path().join("new.partial").exists());
    assert_eq!(
        std::fs::read(new.join("feeds.json")).unwrap(),
        b"{\"feeds\":[]}\n"
    );

    // Every live document as it was, `indexed_at` included.
    let before = stored_documents(&old);
    assert_eq!(
        before.len() as u64,
        printed["source_articles"].as_u64().unwrap() + printed["source_quotes"].as_u64().unwrap()
    );
    assert_eq!(stored_documents(&new), before);

    // Into a directory that is not empty: refused, nothing changed.
    let (ok, _, stderr) = migrate(&old, &new);
    assert!(!ok);
    assert!(stderr.contains("not empty"), "{stderr}");

    let old_server = TestServer::start_on(&old, &[]);
    let new_server = TestServer::start_on(&new, &[]);
    assert_eq!(answers(&new_server), answers(&old_server));
}
