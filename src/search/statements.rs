//! Statements in searches: what a hit says about its statement
//! ([`StatementSummary`]), and the `statement=<id>` filter
//! ([`StatementQuery`]), which lists a statement's copies. The statements
//! themselves are chained by [`crate::indexing::statements`].

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, Score, Searcher, SegmentReader, TantivyDocument};
use time::OffsetDateTime;

use crate::indexing::statements::{doc_address, Statement, StatementTable};
use crate::indexing::{IndexError, IndexStore};

use super::SearchError;

/// What a quote hit says about its statement.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementSummary {
    /// The statement's id (`statement=<id>` lists its copies).
    pub id: String,
    /// Copies in the index.
    pub copies: u32,
    /// Articles carrying a copy.
    pub articles: u32,
    /// Sources carrying a copy.
    pub sources: Vec<String>,
    /// Earliest publication date of a copy.
    pub first_seen: Option<OffsetDateTime>,
    /// Latest publication date of a copy.
    pub last_seen: Option<OffsetDateTime>,
    /// Its wordings as written, earliest first (at most
    /// [`crate::indexing::statements::MAX_VARIANTS`]).
    pub variants: Vec<String>,
}

/// The summary of statement `index` of `table`, its wordings read from the
/// stored copies.
pub fn statement_summary(
    store: &IndexStore,
    searcher: &Searcher,
    table: &StatementTable,
    index: u32,
) -> Result<Option<StatementSummary>, SearchError> {
    let Some(statement) = table.get(index) else {
        return Ok(None);
    };
    let mut variants = Vec::with_capacity(statement.variants.len());
    for copy in &statement.variants {
        let Some(address) = doc_address(searcher, *copy) else {
            continue;
        };
        let document: TantivyDocument = searcher.doc(address)?;
        variants.push(quote_of_stored(store.stored_json(&document)?)?);
    }
    Ok(Some(summary_of(statement, variants)))
}

/// The summary of `statement` with its wordings `variants` (the quotes of
/// its variant copies, as the store read them): shared by the backends.
pub fn summary_of(statement: &Statement, variants: Vec<String>) -> StatementSummary {
    StatementSummary {
        id: statement.id.clone(),
        copies: statement.copies,
        articles: statement.articles,
        sources: statement.sources.iter().map(|s| s.to_string()).collect(),
        first_seen: statement.first_seen,
        last_seen: statement.last_seen,
        variants,
    }
}

/// The quote, as written, of a stored quote's JSON.
pub fn quote_of_stored(stored_json: &str) -> Result<String, SearchError> {
    #[derive(Deserialize)]
    struct QuoteOnly {
        quote: String,
    }
    let stored: QuoteOnly = serde_json::from_str(stored_json)
        .map_err(|e| SearchError::Index(IndexError::CorruptDocument(e.to_string())))?;
    Ok(stored.quote)
}

/// Matches the copies of one statement (none when the id names no
/// statement of the table).
#[derive(Debug, Clone)]
pub struct StatementQuery {
    docs: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl StatementQuery {
    /// The copies of the statement `id` names in `table`.
    pub fn new(table: &StatementTable, id: &str) -> StatementQuery {
        let mut docs: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        if let Some(index) = table.position(id) {
            for (segment, doc) in table.members(index) {
                docs.entry(*segment).or_default().push(*doc);
            }
        }
        for list in docs.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        StatementQuery {
            docs: Arc::new(docs),
        }
    }
}

impl Query for StatementQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(StatementWeight {
            docs: self.docs.clone(),
        }))
    }
}

struct StatementWeight {
    docs: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl Weight for StatementWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.docs.get(&reader.segment_id()) {
            Some(docs) if !docs.is_empty() => {
                let mut bits = BitSet::with_max_value(reader.max_doc());
                for doc in docs.iter().filter(|doc| **doc < reader.max_doc()) {
                    bits.insert(*doc);
                }
                Box::new(ConstScorer::new(BitSetDocSet::from(bits), boost))
            }
            _ => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let found = self
            .docs
            .get(&reader.segment_id())
            .is_some_and(|docs| docs.binary_search(&doc).is_ok());
        if found {
            Ok(Explanation::new("a copy of the statement", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is no copy of the statement"
            )))
        }
    }
}
