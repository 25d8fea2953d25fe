//! Export: every match of a search, in index order, in constant memory.
//!
//! Paged search ranks and keeps a window of hits; an export needs all of them
//! and no ranking. [`ExportWalk`] compiles the same query and filters as
//! [`search`](super::search), then visits matching documents segment by
//! segment in document order on one searcher (one consistent snapshot), reading
//! each stored document as it goes. Nothing is collected: the visitor decides
//! what to do with each document and may stop the walk.

use std::ops::ControlFlow;

use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{DocSet, Searcher, TantivyDocument, TERMINATED};

use super::{filtered_query, SearchError, SearchLimits, SearchRequest};
use crate::indexing::IndexStore;

/// Stored-document blocks cached per segment while walking (the store is
/// compressed in blocks; consecutive documents share them).
const STORE_CACHE_BLOCKS: usize = 4;

/// A prepared export: the compiled query on a fixed snapshot.
pub struct ExportWalk {
    store: IndexStore,
    searcher: Searcher,
    weight: Box<dyn Weight>,
}

impl std::fmt::Debug for ExportWalk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportWalk")
            .field("segments", &self.searcher.segment_readers().len())
            .finish()
    }
}

impl ExportWalk {
    /// Parses and compiles the request's query and filters against the
    /// current snapshot. Paging, sorting and facets of `request` are ignored.
    pub fn prepare(
        store: &IndexStore,
        request: &SearchRequest,
        limits: SearchLimits,
    ) -> Result<ExportWalk, SearchError> {
        let searcher = store.searcher();
        let user_query = request.compile_user_query(store, &searcher, limits)?;
        let query = filtered_query(store, &searcher, request, user_query)?;
        let weight = query.weight(EnableScoring::disabled_from_searcher(&searcher))?;
        Ok(ExportWalk {
            store: store.clone(),
            searcher,
            weight,
        })
    }

    /// Calls `visit` with the stored JSON of every matching document, in
    /// index order, until it returns `Break`. Returns the number of documents
    /// visited.
    pub fn run(&self, mut visit: impl FnMut(&str) -> ControlFlow<()>) -> Result<u64, SearchError> {
        let mut visited = 0;
        for segment in self.searcher.segment_readers() {
            let alive = segment.alive_bitset();
            let documents = segment
                .get_store_reader(STORE_CACHE_BLOCKS)
                .map_err(|e| SearchError::from(tantivy::TantivyError::from(e)))?;
            let mut scorer = self.weight.scorer(segment, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    let document: TantivyDocument = documents.get(doc)?;
                    let json = self.store.stored_json(&document)?;
                    visited += 1;
                    if visit(json).is_break() {
                        return Ok(visited);
                    }
                }
                doc = scorer.advance();
            }
        }
        Ok(visited)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;
    use crate::config::Settings;
    use crate::indexing::writer::{Durability, WriteOp, WriterOptions};
    use crate::indexing::IndexWriterHandle;
    use crate::ingest::{parse_article, prepare_article, ArticleLimits};
    use crate::search::{PublishedRange, SortOrder, Target};

    fn request(query: &str, filters: Vec<(String, Vec<String>)>) -> SearchRequest {
        SearchRequest {
            target: Target::Quotes,
            query: query.to_owned(),
            filters,
            published: PublishedRange::default(),
            min_confidence: None,
            facets: Vec::new(),
            facet_limit: 10,
            sort: SortOrder::Relevance,
            limit: 0,
            offset: 0,
            cursor: None,
            group: Default::default(),
            count: Default::default(),
            statement: None,
        }
    }

    #[test]
    fn walks_every_live_match_and_stops_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let store = IndexStore::open_or_create(
            dir.path(),
            std::sync::Arc::new(
                crate::analysis::tokenizers::LanguageAnalyzers::without_dictionaries(),
            ),
        )
        .unwrap();
        let (writer, thread) = IndexWriterHandle::start(
            &store,
            WriterOptions {
                memory_bytes: 32 << 20,
                threads: 1,
                max_ops_per_commit: 1000,
            },
        )
        .unwrap();
        let analyzer = Analyzer::from_settings(&Settings::built_in().analysis).unwrap();
        let limits = ArticleLimits {
            max_article_bytes: 1 << 20,
        };
        let prepared = (0..30)
            .map(|n| {
                let json = format!(
                    r#"{{"id": "a{n}", "title": "T{n}", "body": "\"We will build {n} bridges,\" Mayor Ada Lovelace said on Monday. \"Taxes stay flat,\" she added."}}"#
                );
                prepare_article(&analyzer, store.fields(), parse_article(json.as_bytes(), limits).unwrap())
            })
            .collect();
        writer
            .write_blocking(WriteOp::Upsert(prepared), Durability::Commit)
            .unwrap();
        writer
            .write_blocking(WriteOp::Delete("a3".to_owned()), Durability::Commit)
            .unwrap();
        let search_limits = SearchLimits {
            max_query_clauses: 64,
            max_window: 100,
            timeout: None,
        };

        let all = ExportWalk::prepare(&store, &request("", Vec::new()), search_limits).unwrap();
        let mut ids = Vec::new();
        let visited = all
            .run(|json| {
                let value: serde_json::Value = serde_json::from_str(json).unwrap();
                ids.push(value["article"]["id"].as_str().unwrap().to_owned());
                ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(visited as usize, ids.len());
        // Two quotes per article; the deleted article's are gone.
        assert_eq!(ids.len(), 29 * 2, "{ids:?}");
        assert!(!ids.iter().any(|id| id == "a3"));

        let bridges =
            ExportWalk::prepare(&store, &request("bridges", Vec::new()), search_limits).unwrap();
        assert_eq!(bridges.run(|_| ControlFlow::Continue(())).unwrap(), 29);

        let mut seen = 0;
        let stopped = all
            .run(|_| {
                seen += 1;
                if seen == 5 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
            .unwrap();
        assert_eq!(stopped, 5);

        assert!(matches!(
            ExportWalk::prepare(&store, &request("(", Vec::new()), search_limits),
            Err(SearchError::QuerySyntax { .. })
        ));
        drop(all);
        drop(bridges);
        writer
            .write_blocking(WriteOp::Shutdown, Durability::Commit)
            .unwrap();
        drop(writer);
        thread.join();
    }
}
