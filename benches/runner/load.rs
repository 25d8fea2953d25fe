//! An HTTP client for the runner's own server (`ureq`, keep-alive) and a
//! closed-loop load generator.
//!
//! Loopback only: every request goes to the address the runner started its
//! own server on. A load run is bounded both in requests and in time and
//! stops by itself.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::bail;

/// An HTTP client to one loopback server; it keeps its connection alive
/// between requests.
pub struct HttpClient {
    base: String,
    agent: ureq::Agent,
}

/// A response: status and body.
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Body bytes (de-chunked).
    pub body: Vec<u8>,
}

impl HttpClient {
    /// A client of a loopback `address` (connecting on first use).
    pub fn new(address: SocketAddr) -> anyhow::Result<Self> {
        if !address.ip().is_loopback() {
            bail!("the load generator only talks to loopback addresses, not {address}");
        }
        let agent = ureq::AgentBuilder::new()
            .timeout_read(Duration::from_secs(900))
            .no_delay(true)
            .build();
        Ok(HttpClient {
            base: format!("http://{address}"),
            agent,
        })
    }

    /// Sends a request and reads the whole response, whatever its status.
    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> anyhow::Result<HttpResponse> {
        let mut request = self.agent.request(method, &format!("{}{path}", self.base));
        if let Some(content_type) = content_type {
            request = request.set("Content-Type", content_type);
        }
        let sent = if body.is_empty() && method != "POST" {
            request.call()
        } else {
            request.send_bytes(body)
        };
        let response = match sent {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(error) => return Err(error.into()),
        };
        let status = response.status();
        let mut body = Vec::new();
        response.into_reader().read_to_end(&mut body)?;
        Ok(HttpResponse { status, body })
    }
}

/// The corpus `lines` dealt round-robin to `clients`, `per_request` lines
/// to a request body, each line written into the body by `render`.
pub fn deal_bulk_bodies(
    lines: &[String],
    clients: usize,
    per_request: usize,
    render: impl Fn(&str, &mut Vec<u8>),
) -> Vec<Vec<Vec<u8>>> {
    (0..clients)
        .map(|client| {
            let mine: Vec<&String> = lines.iter().skip(client).step_by(clients).collect();
            mine.chunks(per_request)
                .map(|chunk| {
                    let mut body = Vec::new();
                    for line in chunk {
                        render(line, &mut body);
                    }
                    body
                })
                .collect()
        })
        .collect()
}

/// Posts each client's bodies in turn to `path`, one keep-alive connection
/// per client, all clients at once. `indexed` reads how many documents an
/// answer (status 200, JSON) took, or refuses it. Returns the documents
/// taken and the seconds until the last answer.
pub fn post_bulk_bodies(
    address: SocketAddr,
    path: &str,
    bodies: &[Vec<Vec<u8>>],
    indexed: impl Fn(&serde_json::Value) -> anyhow::Result<usize> + Sync,
) -> anyhow::Result<(usize, f64)> {
    let started = Instant::now();
    let indexed = &indexed;
    let total = std::thread::scope(|scope| -> anyhow::Result<usize> {
        let handles: Vec<_> = bodies
            .iter()
            .map(|requests| {
                scope.spawn(move || -> anyhow::Result<usize> {
                    let mut client = HttpClient::new(address)?;
                    let mut taken = 0;
                    for body in requests {
                        let response =
                            client.request("POST", path, Some("application/x-ndjson"), body)?;
                        if response.status != 200 {
                            bail!(
                                "{path} answered {}: {}",
                                response.status,
                                String::from_utf8_lossy(&response.body)
                            );
                        }
                        let answer: serde_json::Value = serde_json::from_slice(&response.body)?;
                        taken += indexed(&answer)?;
                    }
                    Ok(taken)
                })
            })
            .collect();
        let mut total = 0;
        for handle in handles {
            total += handle
                .join()
                .map_err(|_| anyhow::anyhow!("a bulk client panicked"))??;
        }
        Ok(total)
    })?;
    Ok((total, started.elapsed().as_secs_f64()))
}

/// Bounds of one load run.
#[derive(Debug, Clone, Copy)]
pub struct LoadBounds {
    /// Concurrent clients (threads, each with its own connection or handle).
    pub concurrency: usize,
    /// Most requests in all.
    pub max_requests: usize,
    /// Longest run.
    pub max_duration: Duration,
}

/// Latencies of one load run.
#[derive(Debug, Clone, Default)]
pub struct LoadResult {
    /// Latency of each successful request, in microseconds, by item index.
    pub latencies: Vec<Vec<u32>>,
    /// Failed requests.
    pub errors: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
}

impl LoadResult {
    /// Successful requests.
    pub fn requests(&self) -> usize {
        self.latencies.iter().map(Vec::len).sum()
    }

    /// Requests per second.
    pub fn qps(&self) -> f64 {
        self.requests() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Every latency, sorted.
    pub fn all_sorted(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self.latencies.iter().flatten().copied().collect();
        all.sort_unstable();
        all
    }

    /// Sorted latencies of the items `pick` selects.
    pub fn sorted_where(&self, pick: impl Fn(usize) -> bool) -> Vec<u32> {
        let mut all: Vec<u32> = self
            .latencies
            .iter()
            .enumerate()
            .filter(|(index, _)| pick(*index))
            .flat_map(|(_, latencies)| latencies.iter().copied())
            .collect();
        all.sort_unstable();
        all
    }
}

/// The `q`-quantile (0..=1) of sorted microsecond latencies, in milliseconds.
pub fn quantile_ms(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

/// Runs a closed loop: `bounds.concurrency` threads, each made its worker by
/// `make_worker`, take items `0..items` round-robin (each thread starting at
/// its own offset) until the request or time bound is reached. A worker
/// returns whether its request succeeded.
pub fn run_load<W>(
    items: usize,
    bounds: LoadBounds,
    make_worker: impl Fn() -> anyhow::Result<W> + Sync,
) -> anyhow::Result<LoadResult>
where
    W: FnMut(usize) -> bool + Send,
{
    assert!(items > 0, "no items to run");
    let issued = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let errors = AtomicUsize::new(0);
    let merged = Mutex::new(vec![Vec::new(); items]);
    let started = Instant::now();
    let deadline = started + bounds.max_duration;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let mut handles = Vec::new();
        for thread in 0..bounds.concurrency {
            let mut worker = make_worker()?;
            let (issued, stop, errors, merged) = (&issued, &stop, &errors, &merged);
            handles.push(scope.spawn(move || {
                let mut local: Vec<Vec<u32>> = vec![Vec::new(); items];
                let mut next = thread * items / bounds.concurrency.max(1);
                loop {
                    if stop.load(Ordering::Relaxed)
                        || issued.fetch_add(1, Ordering::Relaxed) >= bounds.max_requests
                    {
                        break;
                    }
                    let item = next % items;
                    next += 1;
                    let begin = Instant::now();
                    let ok = worker(item);
                    let end = Instant::now();
                    if ok {
                        let micros = (end - begin).as_micros().min(u128::from(u32::MAX)) as u32;
                        local[item].push(micros);
                    } else {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    if end >= deadline {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                let mut merged = merged.lock().unwrap_or_else(|e| e.into_inner());
                for (all, mine) in merged.iter_mut().zip(local) {
                    all.extend(mine);
                }
            }));
        }
        for handle in handles {
            if handle.join().is_err() {
                bail!("a load thread panicked");
            }
        }
        Ok(())
    })?;
    let elapsed = started.elapsed();
    Ok(LoadResult {
        latencies: merged.into_inner().unwrap_or_else(|e| e.into_inner()),
        errors: errors.into_inner(),
        elapsed,
    })
}
