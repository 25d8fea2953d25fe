//! What the caches derived from the index (the speaker registry and the
//! statement table) share: locks that ignore poisoning, and one background
//! rebuild at a time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Locks `mutex`. Every slot of these caches is left consistent, so a panic
/// elsewhere cannot poison it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// One background rebuild at a time of a cache.
#[derive(Debug, Default)]
pub(crate) struct BackgroundRebuild {
    /// Whether one is running.
    running: Arc<AtomicBool>,
}

impl BackgroundRebuild {
    /// Runs `rebuild` on a thread named `name`, unless a rebuild is running
    /// already (then nothing happens). An error: the thread could not start.
    pub(crate) fn start(
        &self,
        name: &str,
        rebuild: impl FnOnce() + Send + 'static,
    ) -> std::io::Result<()> {
        if self.running.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        let running = Arc::clone(&self.running);
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                rebuild();
                running.store(false, Ordering::Release);
            });
        if let Err(error) = spawned {
            self.running.store(false, Ordering::Release);
            return Err(error);
        }
        Ok(())
    }
}
