//! Integration tests: one binary, each test against a real `verbatim serve`
//! process on a free loopback port with a temporary index.

mod api;
mod enrichment;
mod errors;
mod helpers;
