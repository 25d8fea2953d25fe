//! `verbatim import`: bulk-loads NDJSON articles straight into the index,
//! without a server. Lines are parsed and analysed in parallel chunks, applied
//! by the writer thread, and committed periodically and at the end.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};

use crate::analysis::Analyzer;
use crate::config::Settings;
use crate::http::writer_options;
use crate::indexing::writer::{Durability, WriteOp};
use crate::indexing::{IndexStore, IndexWriterHandle};
use crate::ingest::{prepare_lines, ArticleLimits, LineError};

/// Lines analysed together.
const CHUNK_LINES: usize = 2048;
/// Articles between intermediate commits, so a long import is durable in steps.
const COMMIT_EVERY_ARTICLES: usize = 50_000;
/// Rejected lines printed in the summary.
const MAX_PRINTED_REJECTIONS: usize = 50;

/// Where articles come from.
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

fn inputs(path: &Path) -> anyhow::Result<Vec<Input>> {
    if path == Path::new("-") {
        return Ok(vec![Input::Stdin]);
    }
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read directory {}", path.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|p| {
                p.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("ndjson" | "jsonl" | "json")
                    )
            })
            .collect();
        files.sort();
        if files.is_empty() {
            bail!("no .ndjson, .jsonl or .json files in {}", path.display());
        }
        return Ok(files.into_iter().map(Input::File).collect());
    }
    if !path.is_file() {
        bail!("{} is not a file, a directory or `-`", path.display());
    }
    Ok(vec![Input::File(path.to_owned())])
}

/// Runs an import into the index named by `settings`.
pub fn run_import(settings: &Settings, path: &Path, quiet: bool) -> anyhow::Result<()> {
    let inputs = inputs(path)?;
    let store = IndexStore::open_or_create(
        &settings.index.dir,
        crate::analysis::language_analyzers_for(settings),
    )?;
    let (writer, writer_thread) = IndexWriterHandle::start(&store, writer_options(settings))
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot open {} for writing ({e}); is `verbatim serve` running on it?",
                settings.index.dir.display()
            )
        })?;
    let analyzer = Analyzer::from_settings(&settings.analysis)?;
    let limits = ArticleLimits {
        max_article_bytes: settings.server.max_article_bytes,
    };

    let total_bytes: u64 = inputs
        .iter()
        .filter_map(|input| match input {
            Input::File(path) => std::fs::metadata(path).ok().map(|m| m.len()),
            Input::Stdin => None,
        })
        .sum();
    let bar = if quiet {
        ProgressBar::hidden()
    } else if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::new(total_bytes)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
        )
        .expect("valid progress template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));

    let started = Instant::now();
    let mut summary = ImportSummary::default();
    let mut since_commit = 0;
    for input in &inputs {
        let reader: Box<dyn Read> = match input {
            Input::Stdin => Box::new(std::io::stdin().lock()),
            Input::File(path) => Box::new(
                File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
            ),
        };
        let mut reader = BufReader::with_capacity(1 << 20, reader);
        let mut line_number = 0;
        loop {
            let mut chunk = Vec::with_capacity(CHUNK_LINES);
            let mut bytes_read = 0;
            while chunk.len() < CHUNK_LINES {
                let mut line = Vec::new();
                let read = reader
                    .read_until(b'\n', &mut line)
                    .with_context(|| format!("cannot read {}", input.name()))?;
                if read == 0 {
                    break;
                }
                bytes_read += read;
                line_number += 1;
                while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    line.pop();
                }
                if !line.iter().all(u8::is_ascii_whitespace) {
                    chunk.push((line_number, line));
                }
            }
            if chunk.is_empty() && bytes_read == 0 {
                break;
            }
            let (prepared, errors) = prepare_lines(&analyzer, store.fields(), limits, chunk);
            summary.reject(&input.name(), errors);
            let count = prepared.len();
            if count > 0 {
                writer
                    .write_blocking(WriteOp::Upsert(prepared), Durability::Deferred)
                    .context("indexing failed")?;
            }
            summary.indexed += count;
            since_commit += count;
            if since_commit >= COMMIT_EVERY_ARTICLES {
                writer
                    .write_blocking(WriteOp::Commit, Durability::Commit)
                    .context("commit failed")?;
                since_commit = 0;
            }
            bar.inc(bytes_read as u64);
            let rate = summary.indexed as f64 / started.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!("{} articles ({rate:.0}/s)", summary.indexed));
        }
    }
    bar.set_message(format!("{} articles; committing", summary.indexed));
    writer
        .write_blocking(WriteOp::Shutdown, Durability::Commit)
        .context("final commit failed")?;
    drop(writer);
    writer_thread.join();
    bar.finish_and_clear();

    let elapsed = started.elapsed().as_secs_f64();
    store.reader().reload()?;
    let (articles, quotes) = store.counts(&store.searcher())?;
    eprintln!(
        "indexed {} articles in {elapsed:.1}s ({:.0} articles/s, {:.1} MB/s); rejected {}",
        summary.indexed,
        summary.indexed as f64 / elapsed.max(1e-9),
        total_bytes as f64 / 1e6 / elapsed.max(1e-9),
        summary.rejected.len(),
    );
    for (name, rejection) in summary.rejected.iter().take(MAX_PRINTED_REJECTIONS) {
        let error = &rejection.error;
        eprintln!(
            "  {name}:{}: {}: {}",
            rejection.line,
            error.code(),
            error.message()
        );
    }
    if summary.rejected.len() > MAX_PRINTED_REJECTIONS {
        eprintln!(
            "  ... and {} more",
            summary.rejected.len() - MAX_PRINTED_REJECTIONS
        );
    }
    eprintln!(
        "index {} now holds {articles} articles and {quotes} quotes",
        settings.index.dir.display()
    );
    Ok(())
}

#[derive(Default)]
struct ImportSummary {
    indexed: usize,
    rejected: Vec<(String, LineError)>,
}

impl ImportSummary {
    fn reject(&mut self, name: &str, errors: Vec<LineError>) {
        self.rejected
            .extend(errors.into_iter().map(|e| (name.to_owned(), e)));
    }
}
