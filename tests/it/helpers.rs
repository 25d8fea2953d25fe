//! Starting the real server binary and talking HTTP to it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

pub use crate::backends::{Store, TestBackend};

/// The sample articles, one JSON object per line.
pub const ARTICLES_NDJSON: &str = include_str!("../fixtures/articles.ndjson");
/// The seed article's text.
pub const SEED_TEXT: &str = include_str!("../fixtures/blinken-beijing.txt");

/// The Japanese dictionary every test server uses: built once per machine
/// from Debian's mecab-ipadic sources into the temp dir (CI installs them;
/// without them the tests fail loudly rather than skip Japanese).
pub fn test_dictionary_dir() -> PathBuf {
    use verbatim::analysis::tokenizers::japanese;
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = std::env::temp_dir().join("verbatim-test-dictionaries").join("ipadic");
            if !japanese::dictionary_is_built(&dir) {
                let source = Path::new(japanese::DEBIAN_IPADIC_SOURCE);
                if let Err(error) = japanese::build_ipadic(source, &dir) {
                    assert!(
                        japanese::dictionary_is_built(&dir),
                        "cannot build the Japanese test dictionary (apt-get install mecab-ipadic): {error}"
                    );
                }
            }
            dir
        })
        .clone()
}

/// A running `verbatim serve`, killed when dropped.
pub struct TestServer {
    child: Child,
    pub base: String,
    store: Store,
    logs: Arc<Mutex<Vec<String>>>,
    _temp: Option<tempfile::TempDir>,
}

/// An HTTP answer: status and parsed JSON body (Null when empty).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(String, String)>,
}

/// An HTTP answer with its body as text.
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl RawAnswer {
    /// A response header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The `hits` of a search answer (a test fails when there are none).
pub fn hits(answer: &Answer) -> &Vec<Value> {
    answer.body["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("no hits in {}", answer.body))
}

/// The `id`s of a search answer's hits, sorted.
pub fn sorted_ids(answer: &Answer) -> Vec<String> {
    let mut ids: Vec<String> = hits(answer)
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

impl Answer {
    /// The `error.code` of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or("<no error code>")
    }

    /// A response header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl TestServer {
    /// Starts a server on an empty temporary embedded index (tests of the
    /// embedded store; API tests start theirs with [`TestBackend`]).
    pub fn start() -> TestServer {
        TestBackend::Embedded.start()
    }

    /// Starts a server on an empty temporary embedded index with extra
    /// environment variables.
    pub fn start_with(env: &[(&str, &str)]) -> TestServer {
        TestBackend::Embedded.start_with(env)
    }

    /// Starts a server on the embedded index in `index_dir` with extra
    /// environment variables.
    pub fn start_on(index_dir: &Path, env: &[(&str, &str)]) -> TestServer {
        Store::embedded(index_dir.to_owned()).start(env)
    }

    /// Keeps `temp` (the store's directory) until the server is stopped or
    /// dropped.
    pub fn keep_temp(&mut self, temp: tempfile::TempDir) {
        self._temp = Some(temp);
    }

    /// Starts a server on `store` with extra environment variables and
    /// `serve` flags (the store's own come first).
    pub fn launch(store: Store, env: &[(&str, &str)], args: &[&str]) -> TestServer {
        let index_dir = store.dir.clone();
        let mut command = Command::new(env!("CARGO_BIN_EXE_verbatim"));
        command
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--workers",
                "2",
                "--index-dir",
            ])
            .arg(&index_dir)
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("VERBATIM_LOG", "info")
            .env("VERBATIM_WRITER_MEMORY_MB", "64")
            .env("VERBATIM_JA_DICTIONARY", test_dictionary_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start verbatim serve");
        let stderr = child.stderr.take().expect("stderr piped");
        let (sender, receiver) = mpsc::channel();
        let logs = Arc::new(Mutex::new(Vec::new()));
        let log_sink = Arc::clone(&logs);
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(at) = line.find("listening on http://") {
                        let rest = &line[at + "listening on http://".len()..];
                        // Text logs end the address with a space, JSON logs with a quote.
                        let address: String = rest
                            .chars()
                            .take_while(|c| !c.is_whitespace() && *c != '"')
                            .collect();
                        let _ = sender.send(address);
                        sent = true;
                    }
                }
                if std::env::var_os("VERBATIM_TEST_LOG").is_some() {
                    eprintln!("[server] {line}");
                }
                if let Ok(mut logs) = log_sink.lock() {
                    logs.push(line);
                }
            }
        });
        let address = match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(address) => address,
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not report its address within 60s");
            }
        };
        TestServer {
            child,
            base: format!("http://{address}"),
            store,
            logs,
            _temp: None,
        }
    }

    /// The server's log lines (stderr) so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.logs
            .lock()
            .map(|logs| logs.clone())
            .unwrap_or_default()
    }

    /// The index directory.
    pub fn index_dir(&self) -> &Path {
        &self.store.dir
    }

    /// The store this server serves, to start another server on it.
    pub fn store(&self) -> Store {
        self.store.clone()
    }

    /// Kills the server with SIGKILL (no chance to clean up) and waits for it.
    pub fn kill_hard(mut self) -> Option<tempfile::TempDir> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self._temp.take()
    }

    /// Stops the server with SIGTERM and waits for a clean exit.
    pub fn stop(mut self) -> Option<tempfile::TempDir> {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait");
        assert!(exit.success(), "server exited with {exit:?} after SIGTERM");
        self._temp.take()
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        ureq::request(method, &format!("{}{}", self.base, path)).timeout(Duration::from_secs(60))
    }

    /// Sends a request with an optional body and content type.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Answer {
        self.send_with_headers(method, path, &[], content_type, body)
    }

    /// Sends a request with extra headers, an optional body and content type.
    pub fn send_with_headers(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        content_type: Option<&str>,
        body: &[u8],
    ) -> Answer {
        let mut request = self.request(method, path);
        if let Some(content_type) = content_type {
            request = request.set("Content-Type", content_type);
        }
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let result = if body.is_empty() && matches!(method, "GET" | "OPTIONS") {
            request.call()
        } else {
            request.send_bytes(body)
        };
        let response = match result {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("{method} {path}: {error}"),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .map(|name| {
                let value = response.header(&name).unwrap_or_default().to_owned();
                (name, value)
            })
            .collect();
        let text = response.into_string().expect("response body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"))
        };
        Answer {
            status,
            body,
            headers,
        }
    }

    /// Sends a request and returns the body as text, whatever its type.
    pub fn send_raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawAnswer {
        let mut request = self.request(method, path);
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let result = if body.is_empty() && method == "GET" {
            request.call()
        } else {
            request.send_bytes(body)
        };
        let response = match result {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("{method} {path}: {error}"),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .map(|name| {
                let value = response.header(&name).unwrap_or_default().to_owned();
                (name, value)
            })
            .collect();
        let text = response.into_string().expect("response body");
        RawAnswer {
            status,
            headers,
            text,
        }
    }

    /// GET.
    pub fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None, b"")
    }

    /// POST a JSON value.
    pub fn post_json(&self, path: &str, body: &Value) -> Answer {
        self.send(
            "POST",
            path,
            Some("application/json"),
            body.to_string().as_bytes(),
        )
    }

    /// POST NDJSON text.
    pub fn post_ndjson(&self, path: &str, body: &str) -> Answer {
        self.send("POST", path, Some("application/x-ndjson"), body.as_bytes())
    }

    /// DELETE.
    pub fn delete(&self, path: &str) -> Answer {
        self.send("DELETE", path, None, b"")
    }

    /// Loads the sample articles through the bulk endpoint.
    pub fn load_fixtures(&self) -> Answer {
        let answer = self.post_ndjson("/v1/articles/bulk", ARTICLES_NDJSON);
        assert_eq!(answer.status, 200, "{:?}", answer.body);
        assert_eq!(answer.body["errors"], serde_json::json!([]));
        answer
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Number of lines in the sample articles file.
pub fn fixture_count() -> usize {
    ARTICLES_NDJSON
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count()
}

/// Runs `verbatim import --quiet` of `file` into the index at `dir` (no
/// server running on it), asserts it succeeded and returns its summary
/// (stderr).
pub fn import_with_cli(dir: &Path, file: &Path) -> String {
    let import = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["import", "--quiet", "--index-dir"])
        .arg(dir)
        .arg(file)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&import.stderr).into_owned();
    assert!(import.status.success(), "{summary}");
    summary
}

/// A small seeded PRNG (SplitMix64), so randomized tests can be replayed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

/// The current time in Unix seconds.
pub fn now_secs_for_tests() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
