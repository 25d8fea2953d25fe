//! Storage fault injection, for tests: a tantivy [`Directory`] that passes
//! everything through to the real one, except that while a *trigger file*
//! exists every write fails with "no space left on device", as a full disk
//! would. Enabled only by the test setting `index.fail_writes_if_exists`.
//!
//! Writes fail wherever they are: creating a file, each buffered write,
//! flushing and closing it, and the atomic `meta.json` update. Reads never
//! fail, so the index stays searchable while the "disk is full".

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, TerminatingWrite, WatchCallback,
    WatchHandle, WritePtr,
};

/// Says whether writes must fail now.
#[derive(Debug, Clone)]
pub struct FaultTrigger {
    path: PathBuf,
}

impl FaultTrigger {
    /// Writes fail while a file exists at `path`.
    pub fn new(path: impl Into<PathBuf>) -> FaultTrigger {
        FaultTrigger { path: path.into() }
    }

    fn check(&self) -> io::Result<()> {
        if self.path.exists() {
            Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device (injected: fault trigger file present)",
            ))
        } else {
            Ok(())
        }
    }
}

/// A directory whose writes fail while its [`FaultTrigger`] is set.
#[derive(Debug, Clone)]
pub struct FaultInjectingDirectory {
    inner: Arc<dyn Directory>,
    trigger: FaultTrigger,
}

impl FaultInjectingDirectory {
    /// Wraps `inner`.
    pub fn new(inner: Box<dyn Directory>, trigger: FaultTrigger) -> Self {
        FaultInjectingDirectory {
            inner: Arc::from(inner),
            trigger,
        }
    }
}

/// A file being written that fails while the trigger is set.
struct FaultInjectingWrite {
    inner: WritePtr,
    trigger: FaultTrigger,
}

impl Write for FaultInjectingWrite {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.trigger.check()?;
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.trigger.check()?;
        self.inner.flush()
    }
}

impl TerminatingWrite for FaultInjectingWrite {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        self.trigger.check()?;
        self.inner.terminate_ref(token)
    }
}

impl Directory for FaultInjectingDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.trigger
            .check()
            .map_err(|error| OpenWriteError::wrap_io_error(error, path.to_owned()))?;
        let inner = self.inner.open_write(path)?;
        Ok(io::BufWriter::new(Box::new(FaultInjectingWrite {
            inner,
            trigger: self.trigger.clone(),
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.trigger.check()?;
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.trigger.check()?;
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::directory::RamDirectory;

    #[test]
    fn writes_fail_only_while_the_trigger_exists() {
        let temp = tempfile::tempdir().unwrap();
        let trigger_path = temp.path().join("disk-full");
        let directory = FaultInjectingDirectory::new(
            Box::new(RamDirectory::create()),
            FaultTrigger::new(&trigger_path),
        );
        directory.atomic_write(Path::new("a"), b"1").unwrap();
        std::fs::write(&trigger_path, "").unwrap();
        let error = directory.atomic_write(Path::new("b"), b"2").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::StorageFull);
        assert!(directory.open_write(Path::new("c")).is_err());
        // Reads still work.
        assert_eq!(directory.atomic_read(Path::new("a")).unwrap(), b"1");
        std::fs::remove_file(&trigger_path).unwrap();
        directory.atomic_write(Path::new("b"), b"2").unwrap();
        let mut file = directory.open_write(Path::new("c")).unwrap();
        file.write_all(b"data").unwrap();
        std::fs::write(&trigger_path, "").unwrap();
        assert!(file.flush().is_err(), "a buffered write fails when flushed");
    }
}
