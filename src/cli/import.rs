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
use crate::backend::embedded::{writer_options, writer_store_options};
use crate::config::Settings;
use crate::indexing::document::DocumentOptions;
use crate::indexing::writer::{Durability, WriteOp, WriterThread};
use crate::indexing::{IndexStore, IndexWriterHandle};
use crate::ingest::{prepare_lines, ArticleLimits, LineError};

/// Lines analysed together.
const CHUNK_LINES: usize = 2048;
/// Articles between intermediate commits, so a long import is durable in steps.
const COMMIT_EVERY_ARTICLES: usize = 50_000;
/// Rejected lines printed in the summary.
const MAX_PRINTED_REJECTIONS: usize = 50;

/// Lines read together, each with its 1-based number.
type Chunk = Vec<(usize, Vec<u8>)>;

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

/// Opens the index named by `settings` and starts its writer thread. The
/// error of an index a server holds says so, followed by `instead` (what to
/// use then). When the index has alerts, what is written goes to their
/// backlog, matched by the next server that starts on it.
pub(crate) fn open_for_writing(
    settings: &Settings,
    instead: &str,
) -> anyhow::Result<(IndexStore, IndexWriterHandle, WriterThread)> {
    let store = IndexStore::open_or_create_with(
        &settings.index.dir,
        crate::analysis::language_analyzers_for(settings),
        &writer_store_options(settings),
    )?;
    // With alerts saved, each batch goes to their backlog: the next server
    // matches it.
    let observer = if crate::alerts::AlertStore::any_saved(&settings.index.dir)? {
        let backlog = crate::alerts::Backlog::open(&settings.index.dir)?;
        Some(crate::alerts::matcher::BacklogRecorder::observer(backlog))
    } else {
        None
    };
    let (writer, writer_thread) =
        IndexWriterHandle::start_observed(&store, writer_options(settings), observer).map_err(
            |e| {
                anyhow::anyhow!(
                    "cannot open {} for writing ({e}); is `verbatim serve` running on it?{instead}",
                    settings.index.dir.display()
                )
            },
        )?;
    Ok((store, writer, writer_thread))
}

/// Runs an import into the index named by `settings`: opens the index and
/// its writer, reads every input in chunks that are analysed in parallel and
/// written (committing every [`COMMIT_EVERY_ARTICLES`]), commits at the end
/// and prints a summary.
pub fn run_import(settings: &Settings, path: &Path, quiet: bool) -> anyhow::Result<()> {
    let inputs = inputs(path)?;
    let (store, writer, writer_thread) = open_for_writing(settings, "")?;
    let mut import = Import {
        analyzer: Analyzer::from_settings(&settings.analysis)?,
        limits: ArticleLimits {
            max_article_bytes: settings.server.max_article_bytes,
        },
        options: settings.index.document_options(),
        store: &store,
        writer: &writer,
        summary: ImportSummary::default(),
        since_commit: 0,
        started: Instant::now(),
    };
    let total_bytes = input_bytes(&inputs);
    let bar = progress_bar(&inputs, total_bytes, quiet);
    for input in &inputs {
        import.read_input(input, &bar)?;
    }
    bar.set_message(format!("{} articles; committing", import.summary.indexed));
    writer
        .write_blocking(WriteOp::Shutdown, Durability::Commit)
        .context("final commit failed")?;
    let (summary, started) = (import.summary, import.started);
    drop(writer);
    writer_thread.join();
    bar.finish_and_clear();

    let elapsed = started.elapsed().as_secs_f64();
    store.reader().reload()?;
    let (articles, quotes) = store.counts(&store.searcher())?;
    summary.print(elapsed, total_bytes);
    eprintln!(
        "index {} now holds {articles} articles and {quotes} quotes",
        settings.index.dir.display()
    );
    Ok(())
}

/// Bytes of the input files (standard input counts none).
fn input_bytes(inputs: &[Input]) -> u64 {
    inputs
        .iter()
        .filter_map(|input| match input {
            Input::File(path) => std::fs::metadata(path).ok().map(|m| m.len()),
            Input::Stdin => None,
        })
        .sum()
}

/// A bar over the input bytes (a spinner when reading standard input, hidden
/// when `quiet`).
fn progress_bar(inputs: &[Input], total_bytes: u64, quiet: bool) -> ProgressBar {
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
    bar
}

/// An import under way.
struct Import<'a> {
    analyzer: Analyzer,
    limits: ArticleLimits,
    options: DocumentOptions,
    store: &'a IndexStore,
    writer: &'a IndexWriterHandle,
    summary: ImportSummary,
    /// Articles written since the last commit.
    since_commit: usize,
    started: Instant,
}

impl Import<'_> {
    /// Reads, analyses and writes one input, chunk by chunk.
    fn read_input(&mut self, input: &Input, bar: &ProgressBar) -> anyhow::Result<()> {
        let reader: Box<dyn Read> = match input {
            Input::Stdin => Box::new(std::io::stdin().lock()),
            Input::File(path) => Box::new(
                File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
            ),
        };
        let mut reader = BufReader::with_capacity(1 << 20, reader);
        let mut line_number = 0;
        loop {
            let (chunk, bytes_read) = read_chunk(&mut reader, &mut line_number)
                .with_context(|| format!("cannot read {}", input.name()))?;
            if chunk.is_empty() && bytes_read == 0 {
                return Ok(());
            }
            self.write_chunk(&input.name(), chunk)?;
            bar.inc(bytes_read as u64);
            let indexed = self.summary.indexed;
            let rate = indexed as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!("{indexed} articles ({rate:.0}/s)"));
        }
    }

    /// Analyses a chunk of numbered lines in parallel and writes the
    /// articles, committing when enough were written since the last commit.
    fn write_chunk(&mut self, name: &str, chunk: Chunk) -> anyhow::Result<()> {
        let (prepared, errors) = prepare_lines(
            &self.analyzer,
            self.store.fields(),
            self.options,
            self.limits,
            chunk,
        );
        self.summary.reject(name, errors);
        let count = prepared.len();
        if count > 0 {
            self.writer
                .write_blocking(WriteOp::Upsert(prepared), Durability::Deferred)
                .context("indexing failed")?;
        }
        self.summary.indexed += count;
        self.since_commit += count;
        if self.since_commit >= COMMIT_EVERY_ARTICLES {
            self.writer
                .write_blocking(WriteOp::Commit, Durability::Commit)
                .context("commit failed")?;
            self.since_commit = 0;
        }
        Ok(())
    }
}

/// Up to [`CHUNK_LINES`] non-blank lines, numbered, without their line
/// ends; and the bytes read for them.
fn read_chunk(
    reader: &mut impl BufRead,
    line_number: &mut usize,
) -> std::io::Result<(Chunk, usize)> {
    let mut chunk = Vec::with_capacity(CHUNK_LINES);
    let mut bytes_read = 0;
    while chunk.len() < CHUNK_LINES {
        let mut line = Vec::new();
        let read = reader.read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        bytes_read += read;
        *line_number += 1;
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            chunk.push((*line_number, line));
        }
    }
    Ok((chunk, bytes_read))
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

    /// Prints what was indexed and how fast, and the first rejected lines.
    fn print(&self, elapsed: f64, total_bytes: u64) {
        eprintln!(
            "indexed {} articles in {elapsed:.1}s ({:.0} articles/s, {:.1} MB/s); rejected {}",
            self.indexed,
            self.indexed as f64 / elapsed.max(1e-9),
            total_bytes as f64 / 1e6 / elapsed.max(1e-9),
            self.rejected.len(),
        );
        for (name, rejection) in self.rejected.iter().take(MAX_PRINTED_REJECTIONS) {
            let error = &rejection.error;
            eprintln!(
                "  {name}:{}: {}: {}",
                rejection.line,
                error.code(),
                error.message()
            );
        }
        if self.rejected.len() > MAX_PRINTED_REJECTIONS {
            eprintln!(
                "  ... and {} more",
                self.rejected.len() - MAX_PRINTED_REJECTIONS
            );
        }
    }
}
