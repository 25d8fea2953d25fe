//! Helpers shared by the unit tests.

use std::fmt::Debug;
use std::path::Path;

/// A temporary directory and the function that opens the store kept in it:
/// what a test of what survives reopening opens, drops and opens again.
pub(crate) struct StoreDir<T, E> {
    dir: tempfile::TempDir,
    open: fn(&Path) -> Result<T, E>,
}

impl<T, E: Debug> StoreDir<T, E> {
    /// A fresh temporary directory for the store `open` opens.
    pub(crate) fn new(open: fn(&Path) -> Result<T, E>) -> Self {
        StoreDir {
            dir: tempfile::tempdir().unwrap(),
            open,
        }
    }

    /// The store, opened from what the directory holds now.
    pub(crate) fn open(&self) -> T {
        (self.open)(self.dir.path()).unwrap()
    }

    /// The directory.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
}
