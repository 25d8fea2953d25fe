//! `verbatim migrate --from DIR --to opensearch`: copies an embedded index
//! into the OpenSearch index of the settings, from its stored analysis.
//!
//! Nothing is extracted again: every article document of one snapshot of
//! the embedded index is read as stored (its [`AnalyzedArticle`]: the text
//! with its quotes, speakers, topics, entities), and upserted in batches
//! through [`OpenSearchBackend`] with [`Durability::Deferred`], which
//! derives the index terms from that analysis as any write does; a flush
//! then makes them visible. At the end the articles and quotes of the
//! snapshot are compared with the cluster's counts: a mismatch (another
//! writer, an index that held other articles, a lost write) fails the
//! command. Upserts replace by id, so running it again is safe.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::backend::opensearch::{init_index, OpenSearchBackend};
use crate::backend::{Backend, BackendError, Durability};
use crate::config::Settings;
use crate::indexing::IndexStore;
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
    let analyzers = crate::analysis::language_analyzers_for(settings);
    let store = IndexStore::open_existing(from, analyzers.clone())
        .with_context(|| format!("opening the embedded index in {}", from.display()))?;
    let (source_articles, source_quotes) = store.counts(&store.searcher())?;
    let opensearch = &settings.opensearch;
    init_index(opensearch, opensearch.shards.max(1), opensearch.replicas)?;
    let backend = OpenSearchBackend::connect(settings, analyzers)?;

    // One snapshot of the articles: the walk's searcher, read in index order.
    let walk = ExportWalk::prepare(
        &store,
        &SearchRequest::everything(Target::Articles),
        SearchLimits {
            timeout: None,
            ..SearchLimits::from_settings(&settings.search)
        },
    )?;
    let bar = progress_bar(source_articles, quiet);
    let batch = batch.max(1);
    let mut pending: Vec<AnalyzedArticle> = Vec::with_capacity(batch);
    let mut batches = 0u64;
    let mut failed: Option<anyhow::Error> = None;
    let mut send = |articles: Vec<AnalyzedArticle>| -> Result<(), BackendError> {
        let count = articles.len() as u64;
        backend.upsert(articles, Durability::Deferred)?;
        batches += 1;
        bar.inc(count);
        Ok(())
    };
    walk.run(|json| {
        let article = match serde_json::from_str::<AnalyzedArticle>(json) {
            Ok(article) => article,
            Err(error) => {
                failed = Some(anyhow::anyhow!("a stored article does not read: {error}"));
                return ControlFlow::Break(());
            }
        };
        pending.push(article);
        if pending.len() >= batch {
            if let Err(error) = send(std::mem::take(&mut pending)) {
                failed = Some(error.into());
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    })?;
    if let Some(error) = failed {
        bar.abandon();
        return Err(error.context("the migration stopped; running it again is safe"));
    }
    if !pending.is_empty() {
        send(pending)?;
    }
    backend.flush()?;
    bar.finish_and_clear();

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
