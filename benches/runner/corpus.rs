//! Corpus variants for scale runs: N articles derived from the real BBC and
//! Reuters articles. Each variant gets a new id, its paragraphs after the lead
//! shuffled, and a publication date spread over 1990–2024, so the text keeps
//! real word statistics and real quotes (a quote never spans paragraphs).
//! The first pass over the sources keeps every article as it is (new id only).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde_json::{Map, Value};

/// A small deterministic generator (splitmix64): variants are the same on
/// every machine for the same seed.
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The NDJSON files of a corpus directory (or the file itself), sorted.
pub fn corpus_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ndjson"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no .ndjson files in {}", path.display());
    }
    Ok(files)
}

/// Reads every article object of the given NDJSON files.
pub fn read_articles(files: &[PathBuf]) -> anyhow::Result<Vec<Map<String, Value>>> {
    let mut articles = Vec::new();
    for file in files {
        let reader = BufReader::new(
            File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
        );
        for line in reader.lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            if let Value::Object(object) = serde_json::from_str(&line)
                .with_context(|| format!("bad JSON line in {}", file.display()))?
            {
                articles.push(object);
            }
        }
    }
    if articles.is_empty() {
        bail!("the corpus is empty");
    }
    Ok(articles)
}

/// Writes `count` variants of the articles in `sources` to `out` (NDJSON);
/// returns the bytes of title + body written. Reuses `out` when a previous
/// run with the same parameters completed it.
pub fn generate_variants(
    sources: &[PathBuf],
    count: usize,
    seed: u64,
    out: &Path,
) -> anyhow::Result<u64> {
    let marker = out.with_extension("done");
    let signature = format!("count={count} seed={seed} sources={sources:?}\n");
    if out.is_file() && std::fs::read_to_string(&marker).ok().as_deref() == Some(&signature) {
        return text_bytes(out);
    }
    let originals = read_articles(sources)?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut writer = BufWriter::with_capacity(
        1 << 20,
        File::create(out).with_context(|| format!("cannot create {}", out.display()))?,
    );
    let mut random = SplitMix::new(seed);
    let mut order: Vec<usize> = (0..originals.len()).collect();
    let mut bytes = 0u64;
    for n in 0..count {
        let pass = n / originals.len();
        let slot = n % originals.len();
        if slot == 0 {
            random.shuffle(&mut order);
        }
        let original = &originals[order[slot]];
        let variant = make_variant(original, pass, n, &mut random);
        bytes += field_len(&variant, "title") + field_len(&variant, "body");
        serde_json::to_writer(&mut writer, &Value::Object(variant))?;
        writer.write_all(b"\n")?;
    }
    writer.flush()?;
    std::fs::write(&marker, signature)?;
    Ok(bytes)
}

fn field_len(article: &Map<String, Value>, field: &str) -> u64 {
    article
        .get(field)
        .and_then(Value::as_str)
        .map_or(0, |text| text.len() as u64)
}

/// Bytes of title + body in an NDJSON file.
pub fn text_bytes(path: &Path) -> anyhow::Result<u64> {
    #[derive(serde::Deserialize)]
    struct Text {
        #[serde(default)]
        title: String,
        #[serde(default)]
        body: String,
    }
    let reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut bytes = 0u64;
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let text: Text = serde_json::from_str(&line)?;
        bytes += (text.title.len() + text.body.len()) as u64;
    }
    Ok(bytes)
}

/// Seconds from 1990-01-01 to 2025-01-01.
const DATE_SPAN_SECONDS: u64 = 35 * 365 * 86_400;
/// 1990-01-01T00:00:00Z.
const DATE_START: i64 = 631_152_000;

fn make_variant(
    original: &Map<String, Value>,
    pass: usize,
    n: usize,
    random: &mut SplitMix,
) -> Map<String, Value> {
    let mut variant = original.clone();
    let id = original.get("id").and_then(Value::as_str).unwrap_or("doc");
    variant.insert("id".into(), Value::from(format!("v{pass}-{n}-{id}")));
    if pass > 0 {
        if let Some(body) = original.get("body").and_then(Value::as_str) {
            let mut paragraphs: Vec<&str> = body.split("\n\n").collect();
            if paragraphs.len() > 2 {
                random.shuffle(&mut paragraphs[1..]);
            }
            variant.insert("body".into(), Value::from(paragraphs.join("\n\n")));
        }
        let seconds = DATE_START + (random.next_u64() % DATE_SPAN_SECONDS) as i64;
        if let Ok(time) = time::OffsetDateTime::from_unix_timestamp(seconds) {
            if let Ok(text) = time.format(&time::format_description::well_known::Rfc3339) {
                variant.insert("published".into(), Value::from(text));
            }
        }
    }
    variant
}
