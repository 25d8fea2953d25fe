//! Speaker timelines.
