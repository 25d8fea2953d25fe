//! Soak test: starts `verbatim serve` on loopback with a temporary index,
//! sends a steady mix of reads and writes for a fixed time, and reports
//! errors, latency percentiles and the server's memory (RSS) over time.
//! Not part of CI; run it with `tools/soak.sh` (see README.md).
//!
//! ```sh
//! cargo build --release && cargo run --release --example soak -- \
//!     --binary target/release/verbatim --duration 600 --rate 60
//! ```

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const FIXTURES: &str = include_str!("../tests/fixtures/articles.ndjson");
/// Ids the writers cycle through, so the index stays the same size.
const WRITE_IDS: u64 = 500;
const CLIENTS: u64 = 4;
const READS: &[&str] = &[
    "/v1/search?q=china&facets=speaker,topic&limit=10",
    "/v1/quotes?q=%22downward+spiral%22&facets=speaker",
    "/v1/quotes?q=soak+OR+market&sort=-published&limit=20",
    "/v1/search?q=negot*&facets=source,month",
    "/v1/speakers?prefix=b&limit=5",
    "/v1/topics?limit=20",
    "/v1/stats",
    "/v1/articles/soak-7",
];

struct Options {
    binary: String,
    duration: Duration,
    rate: u64,
    write_percent: u64,
}

fn parse_options() -> Options {
    let mut options = Options {
        binary: "target/release/verbatim".to_owned(),
        duration: Duration::from_secs(600),
        rate: 60,
        write_percent: 20,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        let number = || value.parse::<u64>().expect("a number");
        match pair[0].as_str() {
            "--binary" => options.binary = value.clone(),
            "--duration" => options.duration = Duration::from_secs(number()),
            "--rate" => options.rate = number().max(1),
            "--write-percent" => options.write_percent = number().min(100),
            other => panic!(
                "unknown option {other}; options: --binary --duration --rate --write-percent"
            ),
        }
    }
    options
}

fn start_server(binary: &str, index_dir: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(binary)
        .args(["serve", "--listen", "127.0.0.1:0", "--index-dir"])
        .arg(index_dir)
        .env("VERBATIM_LOG", "warn,verbatim=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start verbatim serve");
    let stderr = child.stderr.take().expect("stderr");
    let (sender, receiver) = std::sync::mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.find("listening on http://") {
                let address: String = line[at + 20..]
                    .chars()
                    .take_while(|c| !c.is_whitespace())
                    .collect();
                let _ = sender.send(address);
            } else if line.contains("ERROR") || line.contains("WARN") {
                eprintln!("[server] {line}");
            }
        }
    });
    let address = receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the server did not start");
    (child, format!("http://{address}"))
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

fn article(n: u64, round: u64) -> Value {
    json!({
        "id": format!("soak-{n}"),
        "title": format!("Soak market report {n}, round {round}"),
        "body": format!(
            "\"Markets are calm this morning,\" said Clara Jensen, an economist, in round {round}. \
             Trade talks with China continue, officials said. \"We expect a deal,\" the minister \
             Omar Haddad said on Tuesday."
        ),
        "source": "Soak Wire",
        "published": "2024-05-01",
    })
}

#[derive(Default)]
struct Recorder {
    read_micros: Vec<u64>,
    write_micros: Vec<u64>,
    errors: Vec<String>,
}

fn percentile(sorted: &[u64], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index] as f64 / 1000.0
}

fn main() {
    let options = parse_options();
    let temp = std::env::temp_dir().join(format!("verbatim-soak-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    let (mut server, base) = start_server(&options.binary, &temp.join("index"));
    let pid = server.id();
    let loaded = ureq::post(&format!("{base}/v1/articles/bulk"))
        .set("Content-Type", "application/x-ndjson")
        .send_string(FIXTURES)
        .expect("load fixtures");
    assert_eq!(loaded.status(), 200);
    // Fill the write pool once so the index size is steady from the start.
    for n in 0..WRITE_IDS {
        ureq::post(&format!("{base}/v1/articles"))
            .send_json(article(n, 0))
            .expect("seed write");
    }
    let rss_start = rss_kib(pid);
    println!(
        "soak: {} s at {} requests/s ({}% writes) against {base}; RSS after loading {} MiB",
        options.duration.as_secs(),
        options.rate,
        options.write_percent,
        rss_start / 1024
    );

    let recorder = Arc::new(Mutex::new(Recorder::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let sequence = Arc::new(AtomicU64::new(0));
    let interval = Duration::from_secs_f64(CLIENTS as f64 / options.rate as f64);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let base = base.clone();
            let recorder = recorder.clone();
            let stop = stop.clone();
            let sequence = sequence.clone();
            let write_percent = options.write_percent;
            thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(30))
                    .build();
                let mut next = Instant::now() + interval.mul_f64(client as f64 / CLIENTS as f64);
                while !stop.load(Ordering::Relaxed) {
                    let now = Instant::now();
                    if next > now {
                        thread::sleep(next - now);
                    }
                    next += interval;
                    let n = sequence.fetch_add(1, Ordering::Relaxed);
                    let is_write = (n * 7919) % 100 < write_percent;
                    let started = Instant::now();
                    let (label, result) = if is_write {
                        let id = n % WRITE_IDS;
                        (
                            format!("POST soak-{id}"),
                            agent
                                .post(&format!("{base}/v1/articles"))
                                .send_json(article(id, n)),
                        )
                    } else {
                        let path = READS[(n as usize) % READS.len()];
                        (
                            format!("GET {path}"),
                            agent.get(&format!("{base}{path}")).call(),
                        )
                    };
                    let micros = started.elapsed().as_micros() as u64;
                    let mut recorder = recorder.lock().expect("recorder");
                    match result {
                        Ok(response) if response.status() < 300 => {
                            let _ = response.into_string();
                            if is_write {
                                recorder.write_micros.push(micros);
                            } else {
                                recorder.read_micros.push(micros);
                            }
                        }
                        Ok(response) => recorder
                            .errors
                            .push(format!("{label}: {}", response.status())),
                        Err(error) => recorder.errors.push(format!("{label}: {error}")),
                    }
                }
            })
        })
        .collect();

    let started = Instant::now();
    let mut rss_max = rss_start;
    let mut samples = Vec::new();
    while started.elapsed() < options.duration {
        thread::sleep(
            Duration::from_secs(10).min(options.duration.saturating_sub(started.elapsed())),
        );
        let rss = rss_kib(pid);
        rss_max = rss_max.max(rss);
        samples.push(rss / 1024);
        let recorder = recorder.lock().expect("recorder");
        println!(
            "  {:>4} s: {} reads, {} writes, {} errors, RSS {} MiB",
            started.elapsed().as_secs(),
            recorder.read_micros.len(),
            recorder.write_micros.len(),
            recorder.errors.len(),
            rss / 1024
        );
    }
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        let _ = client.join();
    }
    let rss_end = rss_kib(pid);
    let mut recorder = recorder.lock().expect("recorder");
    recorder.read_micros.sort_unstable();
    recorder.write_micros.sort_unstable();
    let elapsed = started.elapsed().as_secs_f64();
    let total = recorder.read_micros.len() + recorder.write_micros.len() + recorder.errors.len();
    println!("soak result:");
    println!(
        "  requests {total} in {elapsed:.0} s ({:.1}/s); errors {}",
        total as f64 / elapsed,
        recorder.errors.len()
    );
    for (name, values) in [
        ("reads", &recorder.read_micros),
        ("writes", &recorder.write_micros),
    ] {
        println!(
            "  {name:6} n={:<7} p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
            values.len(),
            percentile(values, 0.50),
            percentile(values, 0.99),
            percentile(values, 1.0)
        );
    }
    println!(
        "  RSS start {} MiB, end {} MiB, max {} MiB",
        rss_start / 1024,
        rss_end / 1024,
        rss_max / 1024
    );
    for error in recorder.errors.iter().take(20) {
        println!("  error: {error}");
    }
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&temp);
    if !recorder.errors.is_empty() {
        std::process::exit(1);
    }
}
