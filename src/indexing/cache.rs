//! What the caches derived from the index (the speaker registry, the
//! statement table, the languages and the per-kind document counts) share: locks that ignore
//! poisoning, one background rebuild at a time, and a value kept for one
//! searcher generation.

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

/// A value derived from one searcher generation, kept until a searcher of
/// another generation asks.
#[derive(Debug, Default)]
pub(crate) struct OfGeneration<T> {
    /// The generation id and its value.
    slot: Mutex<Option<(u64, T)>>,
}

impl<T: Clone> OfGeneration<T> {
    /// The value of `generation`: the one kept if it is that generation's,
    /// else `derive`'s (then kept).
    pub(crate) fn get_or_derive<E>(
        &self,
        generation: u64,
        derive: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        let mut slot = lock(&self.slot);
        if let Some((kept_generation, value)) = slot.as_ref() {
            if *kept_generation == generation {
                return Ok(value.clone());
            }
        }
        let value = derive()?;
        *slot = Some((generation, value.clone()));
        Ok(value)
    }
}
