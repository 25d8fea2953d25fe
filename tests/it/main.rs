//! Integration tests: one binary, each test against a real `verbatim serve`
//! process on a free loopback port with a temporary index.

mod alerts;
mod api;
mod backends;
mod browser;
mod cluster;
mod compat;
mod crash;
mod enrichment;
mod errors;
mod export;
mod extraction;
mod faults;
mod helpers;
mod languages;
mod limits;
mod live;
mod migrate;
mod multilingual;
mod observability;
mod openapi;
mod opensearch;
mod opensearch_chaos;
mod randomized;
mod security;
mod snapshot;
mod speakers;
mod statements;
mod verify;
