//! `verbatim migrate --from DIR --to opensearch`: copies an embedded index
//! into the OpenSearch index of the settings, from its stored analysis;
//! `verbatim migrate --from DIR --to NEW_DIR`: rewrites it as a new embedded
//! index with this build's documents and settings (`index.compression`).
//!
//! Nothing is extracted again: every article document of one snapshot of
//! the embedded index is read as stored (its [`AnalyzedArticle`]: the text
//! with its quotes, speakers, topics, entities). Into OpenSearch, they are
//! upserted in batches through [`OpenSearchBackend`] with
//! [`Durability::Deferred`], which derives the index terms from that
//! analysis as any write does; a flush then makes them visible. At the end
//! the articles and quotes of the snapshot are compared with the cluster's
//! counts: a mismatch (another writer, an index that held other articles, a
//! lost write) fails the command. Upserts replace by id, so running it again
//! is safe.
//!
//! Into a directory, the documents are built again as `verbatim import`
//! builds them, each article keeping the `indexed_at` its quotes had (so
//! statements keep their order and every stored document reads as before),
//! in index order, into `NEW_DIR.partial`; the files kept beside the index
//! (feeds, alerts) are copied, the counts compared, and only then is the
//! directory renamed to `NEW_DIR`: a migration that stops leaves no index
//! at `NEW_DIR`, and running it again starts over.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::analysis::tokenizers::LanguageAnalyzers;
use crate::backend::embedded::{writer_options, writer_store_options};
use crate::backend::opensearch::{init_index, OpenSearchBackend};
use crate::backend::{Backend, Durability};
use crate::config::Settings;
use crate::indexing::document::{article_documents_at, doc_key, indexing_stamp};
use crate::indexing::schema::{ARTICLE_KEY, INDEXED_AT};
use crate::indexing::writer::{self, WriteOp};
use crate::indexing::{IndexStore, IndexWriterHandle, PreparedArticle};
use crate::model::AnalyzedArticle;
use crate::search::export::ExportWalk;
use crate::search::{SearchLimits, SearchRequest, Target};

/// What a migration copied, and what the cluster then held.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MigrateSummary {
    /// Articles in the embedded snapshot.
    pub source_articles: u64,
    /// Quotes in the embedded snapshot.
    pub source_quotes: u64,
    /// Articles in the cluster's index afterwards.
    pub cluster_articles: u64,
    /// Quotes in the cluster's index afterwards.
    pub cluster_quotes: u64,
    /// Bulk writes sent.
    pub batches: u64,
    /// Seconds the copy took.
    pub seconds: f64,
}

/// Copies the embedded index in `from` into the cluster of `settings`
/// (creating its index if there is none), `batch` articles per write, with
/// a progress bar on a terminal's standard error unless `quiet`. Fails when
/// the cluster's counts then differ from the snapshot's.
pub fn run_migrate(
    settings: &Settings,
    from: &Path,
    batch: usize,
    quiet: bool,
) -> anyhow::Result<MigrateSummary> {
    let started = Instant::now();
    let (store, analyzers) = open_source(settings, from)?;
    let (source_articles, source_quotes) = store.counts(&store.searcher())?;
    let opensearch = &settings.opensearch;
    init_index(opensearch, opensearch.shards.max(1), opensearch.replicas)?;
    let backend = OpenSearchBackend::connect(settings, analyzers)?;

    let mut batches = 0u64;
    send_stored_articles(
        &store,
        settings,
        source_articles,
        batch,
        quiet,
        |articles| {
            backend.upsert(articles, Durability::Deferred)?;
            batches += 1;
            Ok(())
        },
    )
    .context("the migration stopped; running it again is safe")?;
    backend.flush()?;

    let cluster = backend.stats()?;
    let summary = MigrateSummary {
        source_articles,
        source_quotes,
        cluster_articles: cluster.articles,
        cluster_quotes: cluster.quotes,
        batches,
        seconds: started.elapsed().as_secs_f64(),
    };
    if (cluster.articles, cluster.quotes) != (source_articles, source_quotes) {
        anyhow::bail!(
            "count check failed: the embedded index holds {source_articles} articles and \
             {source_quotes} quotes, the cluster's index {} {} articles and {} quotes (was it \
             empty, and written by nothing else?)",
            opensearch.index,
            cluster.articles,
            cluster.quotes
        );
    }
    Ok(summary)
}

/// Opens the embedded index in `from` with its own analyzers (its Japanese
/// dictionary, unless the settings name one), not those of the settings'
/// index directory.
fn open_source(
    settings: &Settings,
    from: &Path,
) -> anyhow::Result<(IndexStore, std::sync::Arc<LanguageAnalyzers>)> {
    let mut source_settings = settings.clone();
    source_settings.index.dir = from.to_owned();
    let analyzers = crate::analysis::language_analyzers_for(&source_settings);
    let store = IndexStore::open_existing(from, analyzers.clone())
        .with_context(|| format!("opening the embedded index in {}", from.display()))?;
    Ok((store, analyzers))
}

/// Walks one snapshot of `store`'s articles (the walk's searcher, in index
/// order), each read from its stored analysis, and hands them to `send`
/// `batch` at a time, the last batch shorter, with a progress bar over
/// `articles` unless `quiet`. Stops at the first article that does not read
/// or the first batch `send` fails.
fn send_stored_articles(
    store: &IndexStore,
    settings: &Settings,
    articles: u64,
    batch: usize,
    quiet: bool,
    mut send: impl FnMut(Vec<AnalyzedArticle>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let walk = ExportWalk::prepare(
        store,
        &SearchRequest::everything(Target::Articles),
        SearchLimits {
            timeout: None,
            ..SearchLimits::from_settings(&settings.search)
        },
    )?;
    let bar = progress_bar(articles, quiet);
    let batch = batch.max(1);
    let mut pending: Vec<AnalyzedArticle> = Vec::with_capacity(batch);
    let mut failed: Option<anyhow::Error> = None;
    let mut send_batch = |articles: Vec<AnalyzedArticle>| -> anyhow::Result<()> {
        let count = articles.len() as u64;
        send(articles)?;
        bar.inc(count);
        Ok(())
    };
    walk.run(|json| {
        match serde_json::from_str::<AnalyzedArticle>(json) {
            Ok(article) => pending.push(article),
            Err(error) => {
                failed = Some(anyhow::anyhow!("a stored article does not read: {error}"));
                return ControlFlow::Break(());
            }
        }
        if pending.len() >= batch {
            if let Err(error) = send_batch(std::mem::take(&mut pending)) {
                failed = Some(error);
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    })?;
    if failed.is_none() && !pending.is_empty() {
        failed = send_batch(pending).err();
    }
    match failed {
        Some(error) => {
            bar.abandon();
            Err(error)
        }
        None => {
            bar.finish_and_clear();
            Ok(())
        }
    }
}

/// A bar over the articles on standard error when it is a terminal (hidden
/// otherwise, or when `quiet`).
fn progress_bar(articles: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(articles);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} articles ({per_sec}, {eta})",
        )
        .expect("valid progress template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// What a migration into a new embedded index copied.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MigrateIndexSummary {
    /// Articles in the source snapshot.
    pub source_articles: u64,
    /// Quotes in the source snapshot.
    pub source_quotes: u64,
    /// Articles in the new index.
    pub articles: u64,
    /// Quotes in the new index.
    pub quotes: u64,
    /// Bytes of the source index's files.
    pub source_bytes: u64,
    /// Bytes of the new index's files.
    pub bytes: u64,
    /// Seconds the rewrite took.
    pub seconds: f64,
}

/// Rewrites the embedded index in `from` as a new embedded index in `to`
/// (which must not exist, or be empty) with the settings' documents and
/// compression, `batch` articles per write (see the module comment). Fails,
/// leaving nothing at `to`, when the counts differ.
pub fn run_migrate_to_directory(
    settings: &Settings,
    from: &Path,
    to: &Path,
    batch: usize,
    quiet: bool,
) -> anyhow::Result<MigrateIndexSummary> {
    let started = Instant::now();
    if to.exists() && std::fs::read_dir(to)?.next().is_some() {
        anyhow::bail!(
            "{} is not empty: migrate into a new directory",
            to.display()
        );
    }
    let (source, analyzers) = open_source(settings, from)?;
    let searcher = source.searcher();
    let (source_articles, source_quotes) = source.counts(&searcher)?;
    let stamps = indexing_stamps(&searcher)?;

    let partial = crate::indexing::snapshot::partial_path(to);
    if partial.exists() {
        // Left by a migration that did not finish.
        std::fs::remove_dir_all(&partial)
            .with_context(|| format!("removing {}", partial.display()))?;
    }
    let target =
        IndexStore::open_or_create_with(&partial, analyzers, &writer_store_options(settings))?;
    let (writer, writer_thread) = IndexWriterHandle::start(&target, writer_options(settings))?;
    let options = settings.index.document_options();
    let fields = target.fields().clone();
    let walked = send_stored_articles(
        &source,
        settings,
        source_articles,
        batch,
        quiet,
        |articles| {
            let prepared = articles
                .iter()
                .map(|analyzed| {
                    let key = doc_key(&analyzed.article.id, None);
                    let indexed_at = stamps.get(&key).copied().unwrap_or_else(indexing_stamp);
                    PreparedArticle {
                        id: analyzed.article.id.clone(),
                        documents: article_documents_at(analyzed, &fields, options, indexed_at),
                    }
                })
                .collect();
            writer.write_blocking(WriteOp::Upsert(prepared), writer::Durability::Deferred)?;
            Ok(())
        },
    );
    let committed = writer.write_blocking(WriteOp::Shutdown, writer::Durability::Commit);
    drop(writer);
    writer_thread.join();
    walked.context("the migration stopped; running it again starts over")?;
    committed.context("the final commit failed; running the migration again starts over")?;
    copy_side_files(from, &partial)?;

    target.reader().reload()?;
    let (articles, quotes) = target.counts(&target.searcher())?;
    if (articles, quotes) != (source_articles, source_quotes) {
        anyhow::bail!(
            "count check failed: {} holds {source_articles} articles and {source_quotes} \
             quotes, the new index {articles} articles and {quotes} quotes (was another \
             process writing?); {} is left for inspection",
            from.display(),
            partial.display()
        );
    }
    let bytes = target.disk_bytes();
    drop(target);
    if to.exists() {
        std::fs::remove_dir(to).with_context(|| format!("removing {}", to.display()))?;
    }
    std::fs::rename(&partial, to)
        .with_context(|| format!("renaming {} to {}", partial.display(), to.display()))?;
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(MigrateIndexSummary {
        source_articles,
        source_quotes,
        articles,
        quotes,
        source_bytes: source.disk_bytes(),
        bytes,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// When each live article of `searcher` was indexed, by its doc key: the
/// `indexed_at` its quotes carry (articles without quotes have none).
fn indexing_stamps(
    searcher: &tantivy::Searcher,
) -> anyhow::Result<std::collections::HashMap<u64, u64>> {
    let mut stamps = std::collections::HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let article_keys = fast.u64(ARTICLE_KEY)?;
        let indexed_at = fast.u64(INDEXED_AT)?;
        for doc in segment.doc_ids_alive() {
            if let (Some(key), Some(stamp)) = (article_keys.first(doc), indexed_at.first(doc)) {
                stamps.entry(key).or_insert(stamp);
            }
        }
    }
    Ok(stamps)
}

/// Copies the files kept beside the index (feeds, alerts and their logs)
/// from `from` to `to`, fsynced.
fn copy_side_files(from: &Path, to: &Path) -> anyhow::Result<()> {
    for name in crate::indexing::snapshot::SIDE_FILES {
        let source = from.join(name);
        if source.is_file() {
            let target = to.join(name);
            std::fs::copy(&source, &target)
                .with_context(|| format!("copying {} to {}", source.display(), target.display()))?;
            std::fs::File::open(&target)?.sync_all()?;
        }
    }
    std::fs::File::open(to)?.sync_all()?;
    Ok(())
}
