//! A benchmark query (the set is made by [`crate::generate`] at run time and
//! written to `bench-out/queries.json`) and what each system is sent for it:
//! the HTTP request path, the in-process search parameters, and the query
//! string for peers.
//!
//! Peers run the text classes only (term, phrase, boolean, prefix): they have
//! no extraction, so no speakers, quotes or derived topics. The query strings
//! use the syntax every engine here reads the same way: adjacent words must
//! all match (AND), `OR` between alternatives in parentheses, `"..."` phrases,
//! `word*` prefixes (a prefix query is one `word*` alone, which the tantivy-py
//! driver builds as a regex query: tantivy's parser reads `word*` as the
//! term `word`).

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// One benchmark query.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct BenchQuery {
    /// Class: term, phrase, boolean, prefix, facets, quote-speaker, topic, deep-page.
    pub class: String,
    /// `articles` or `quotes`.
    pub target: String,
    /// The `q` parameter.
    #[serde(default)]
    pub q: String,
    /// Facets to count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facets: Vec<String>,
    /// Speaker filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Topic filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// For deep paging: the page (of 10) reached by following `next_cursor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// The cursor of that page, found before the run.
    #[serde(skip)]
    pub cursor: Option<String>,
}

/// Classes peers run too.
pub const PEER_CLASSES: &[&str] = &["term", "phrase", "boolean", "prefix"];

/// Every class, in report order.
pub const CLASSES: &[&str] = &[
    "term",
    "phrase",
    "boolean",
    "prefix",
    "facets",
    "quote-speaker",
    "topic",
    "deep-page",
];

impl BenchQuery {
    /// Whether peers run this query.
    pub fn for_peers(&self) -> bool {
        PEER_CLASSES.contains(&self.class.as_str())
    }

    /// The query string of the request.
    pub fn query_string(&self) -> String {
        self.query_string_with_limit(10)
    }

    /// The query string with `limit` hits instead of 10.
    fn query_string_with_limit(&self, limit: usize) -> String {
        let mut pairs: Vec<(&str, String)> =
            vec![("q", self.q.clone()), ("limit", limit.to_string())];
        if !self.facets.is_empty() {
            pairs.push(("facets", self.facets.join(",")));
        }
        let optional = [
            ("speaker", &self.speaker),
            ("topic", &self.topic),
            ("cursor", &self.cursor),
        ];
        for (name, value) in optional {
            pairs.extend(value.clone().map(|value| (name, value)));
        }
        serde_html_form::to_string(&pairs).unwrap_or_default()
    }

    /// The request path (`/v1/search?...` or `/v1/quotes?...`).
    pub fn path(&self) -> String {
        self.path_with_limit(10)
    }

    /// The request path with `limit` hits instead of 10: one request with
    /// `limit` 10 × (page − 1) answers the cursor of a deep page (a cursor
    /// is the key of the last hit returned, whatever the page size).
    pub fn path_with_limit(&self, limit: usize) -> String {
        let endpoint = if self.target == "quotes" {
            "/v1/quotes"
        } else {
            "/v1/search"
        };
        let query = self.query_string_with_limit(limit);
        format!("{endpoint}?{query}")
    }

    /// A short label for tables.
    pub fn label(&self) -> String {
        let mut label = format!("{} `{}`", self.target, self.q);
        if let Some(speaker) = &self.speaker {
            label.push_str(&format!(" speaker={speaker}"));
        }
        if let Some(topic) = &self.topic {
            label.push_str(&format!(" topic={topic}"));
        }
        if !self.facets.is_empty() {
            label.push_str(&format!(" facets={}", self.facets.join(",")));
        }
        if let Some(page) = self.page {
            label.push_str(&format!(" page {page} by cursor"));
        }
        label
    }
}

/// Writes the query set (without cursors), as [`load_queries`] reads it.
pub fn save_queries(path: &Path, queries: &[BenchQuery]) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(queries)?;
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Loads a query set written by [`save_queries`].
pub fn load_queries(path: &Path) -> anyhow::Result<Vec<BenchQuery>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let queries: Vec<BenchQuery> =
        serde_json::from_str(&text).with_context(|| format!("invalid {}", path.display()))?;
    for query in &queries {
        anyhow::ensure!(
            CLASSES.contains(&query.class.as_str()),
            "unknown query class {}",
            query.class
        );
    }
    Ok(queries)
}

/// The query with explicit `AND` between adjacent top-level clauses, for
/// SQLite FTS5, whose implicit AND does not accept a parenthesised group
/// (`(wheat OR corn) export`). Precedence is the same as ours: AND binds
/// tighter than OR.
pub fn with_explicit_and(q: &str) -> String {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut in_phrase = false;
    for ch in q.chars() {
        match ch {
            '"' => in_phrase = !in_phrase,
            '(' if !in_phrase => depth += 1,
            ')' if !in_phrase => depth = depth.saturating_sub(1),
            _ => {}
        }
        if ch == ' ' && !in_phrase && depth == 0 {
            if !current.is_empty() {
                pieces.push(std::mem::take(&mut current));
            }
        } else {
            current.push(ch);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    let mut out = String::new();
    let mut after_operator = true;
    for piece in pieces {
        if piece == "OR" || piece == "AND" {
            out.push(' ');
            out.push_str(&piece);
            out.push(' ');
            after_operator = true;
            continue;
        }
        if !after_operator {
            out.push_str(" AND ");
        }
        out.push_str(&piece);
        after_operator = false;
    }
    out
}
