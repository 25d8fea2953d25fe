//! Integration tests.
mod extraction;
