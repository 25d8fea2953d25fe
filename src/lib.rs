//! Verbatim: a search server for news that answers *who said what*.
//!
//! The crate is a pipeline, one module per stage:
//!
//! - [`model`]: the domain types (`Article`, `Quote`, `Speaker`, ...);
//! - [`ingest`]: article JSON to validated articles to documents;
//! - [`analysis`]: language detection, tokenizers, quote and speaker
//!   extraction, topics;
//! - [`indexing`]: the tantivy schema, documents, and the group-committing writer;
//! - [`search`]: query parsing, filters, facets, snippets, paging;
//! - [`backend`]: the store the API serves (the `Backend` seam), embedded
//!   tantivy today;
//! - [`http`]: the JSON API on actix-web, the only module that knows HTTP;
//! - [`cli`]: the `verbatim` command line.
//!
//! [`config`] loads settings, [`telemetry`] sets up logging and [`metrics`]
//! holds the counters and histograms behind `/metrics`.

pub mod alerts;
pub mod analysis;
pub mod backend;
pub mod cli;
pub mod config;
pub mod durable;
pub mod feeds;
pub mod fetch;
pub mod http;
pub mod indexing;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod search;
pub mod telemetry;
#[cfg(test)]
pub(crate) mod test_support;
