//! Child processes the runner starts (the `verbatim` server and importer,
//! the Lucene and Python peers): peak memory from `/proc/<pid>/status`, and a
//! server guard that stops the server it started when dropped.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::load::HttpClient;

/// Peak resident memory of a process, in bytes (`VmHWM`), if it is alive.
pub fn peak_rss_bytes(pid: u32) -> Option<u64> {
    status_bytes(pid, &["VmHWM:"])
}

/// Current anonymous resident memory (`RssAnon`: heap and stacks, not the
/// pages of memory-mapped files such as index segments), if it is alive.
pub fn anonymous_rss_bytes(pid: u32) -> Option<u64> {
    status_bytes(pid, &["RssAnon:"])
}

/// The sum of some `kB` lines of `/proc/<pid>/status`, in bytes.
fn status_bytes(pid: u32, keys: &[&str]) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let mut found = None;
    for line in status.lines() {
        for key in keys {
            if let Some(rest) = line.strip_prefix(key) {
                let kib: u64 = rest.trim().trim_end_matches("kB").trim().parse().ok()?;
                *found.get_or_insert(0) += kib * 1024;
            }
        }
    }
    found
}

/// Samples a process's peak RSS, and its peak anonymous RSS, every 50 ms
/// until stopped.
pub struct RssWatch {
    peak: Arc<AtomicU64>,
    peak_anonymous: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RssWatch {
    /// Starts watching `pid`.
    pub fn start(pid: u32) -> Self {
        let peak = Arc::new(AtomicU64::new(0));
        let peak_anonymous = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (peak, peak_anonymous, stop) = (peak.clone(), peak_anonymous.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match peak_rss_bytes(pid) {
                        Some(bytes) => {
                            peak.fetch_max(bytes, Ordering::Relaxed);
                        }
                        None => break,
                    }
                    if let Some(bytes) = anonymous_rss_bytes(pid) {
                        peak_anonymous.fetch_max(bytes, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        };
        RssWatch {
            peak,
            peak_anonymous,
            stop,
            thread: Some(thread),
        }
    }

    /// The highest peak seen so far.
    pub fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }

    /// Stops watching and returns the peaks.
    pub fn finish(mut self) -> RssPeaks {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        RssPeaks {
            total: self.peak(),
            anonymous: self.peak_anonymous.load(Ordering::Relaxed),
        }
    }
}

/// Peak memory of a finished process.
#[derive(Debug, Clone, Copy)]
pub struct RssPeaks {
    /// Peak RSS (`VmHWM`), mapped file pages included.
    pub total: u64,
    /// Peak anonymous RSS (sampled), mapped file pages excluded.
    pub anonymous: u64,
}

/// Runs a command to completion while watching its peak RSS.
pub fn run_watched(command: &mut Command) -> anyhow::Result<(ExitStatus, Duration, RssPeaks)> {
    let started = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start {command:?}"))?;
    let watch = RssWatch::start(child.id());
    let status = child.wait()?;
    let elapsed = started.elapsed();
    Ok((status, elapsed, watch.finish()))
}

/// A free loopback port.
pub fn free_loopback_address() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?)
}

/// Environment every `verbatim` child gets: its index and the shared,
/// prebuilt Japanese dictionary (built once, not into every fresh index).
pub fn verbatim_command(binary: &Path, index_dir: &Path, dictionary: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .env("VERBATIM_INDEX_DIR", index_dir)
        .env("VERBATIM_JA_DICTIONARY", dictionary)
        .stdin(Stdio::null());
    command
}

/// A `verbatim serve` child, stopped when dropped.
pub struct ServerGuard {
    child: Child,
    /// Where it listens.
    pub address: SocketAddr,
    /// Its peak RSS.
    pub rss: RssWatch,
}

impl ServerGuard {
    /// Starts `verbatim serve` on a free loopback port and waits until
    /// `/health` answers (at most two minutes).
    pub fn start(
        binary: &Path,
        index_dir: &Path,
        dictionary: &Path,
        log_file: &Path,
    ) -> anyhow::Result<ServerGuard> {
        Self::start_with(binary, index_dir, dictionary, log_file, &[])
    }

    /// As [`ServerGuard::start`], with more arguments to `serve` (another
    /// backend).
    pub fn start_with(
        binary: &Path,
        index_dir: &Path,
        dictionary: &Path,
        log_file: &Path,
        serve_arguments: &[String],
    ) -> anyhow::Result<ServerGuard> {
        let address = free_loopback_address()?;
        let log = std::fs::File::create(log_file)?;
        let child = verbatim_command(binary, index_dir, dictionary)
            .arg("serve")
            .arg("--listen")
            .arg(address.to_string())
            .args(serve_arguments)
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let rss = RssWatch::start(child.id());
        let mut guard = ServerGuard {
            child,
            address,
            rss,
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut client = HttpClient::new(address)?;
        loop {
            if let Ok(response) = client.request("GET", "/health", None, b"") {
                if response.status == 200 {
                    return Ok(guard);
                }
            }
            if let Some(status) = guard.child.try_wait()? {
                bail!(
                    "the server exited with {status}; see {}",
                    log_file.display()
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "the server did not answer within 2 minutes; see {}",
                    log_file.display()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl ServerGuard {
    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time (user and system) a process has used so far, in seconds, if it
/// is alive (`/proc/<pid>/stat`, in clock ticks of 1/100 s, Linux's
/// `USER_HZ` on every architecture it runs on).
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces: count fields after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some((user + system) as f64 / 100.0)
}

/// CPU seconds some processes use between `start` and `finish`.
pub struct CpuMeter {
    pids: Vec<u32>,
    before: Vec<f64>,
}

impl CpuMeter {
    /// Notes the CPU time of each of `pids` so far.
    pub fn start(pids: &[u32]) -> CpuMeter {
        CpuMeter {
            pids: pids.to_vec(),
            before: pids
                .iter()
                .map(|&pid| cpu_seconds(pid).unwrap_or(0.0))
                .collect(),
        }
    }

    /// CPU seconds each process used since `start`, in the order given.
    pub fn finish(&self) -> Vec<f64> {
        self.pids
            .iter()
            .zip(&self.before)
            .map(|(&pid, before)| cpu_seconds(pid).map_or(0.0, |now| now - before))
            .collect()
    }
}

/// Bytes of the files under `dir`.
pub fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| {
            let path: PathBuf = entry.path();
            match entry.metadata() {
                Ok(metadata) if metadata.is_dir() => dir_bytes(&path),
                Ok(metadata) => metadata.len(),
                Err(_) => 0,
            }
        })
        .sum()
}

/// Removes and recreates an empty directory.
pub fn fresh_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;
    Ok(())
}
