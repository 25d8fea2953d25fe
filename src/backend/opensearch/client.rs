//! A small synchronous HTTP client for an OpenSearch cluster: JSON and
//! NDJSON requests to the configured nodes (ureq over rustls), with basic
//! authentication or an API key, trying the next node when one cannot be
//! reached.
//!
//! It talks to the configured node URLs only: redirects are not followed and
//! nothing else is resolved or contacted. Answers of every status come back
//! as [`Reply`]; only a cluster that cannot be reached (or answers with
//! something other than JSON) is an error.

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine;
use serde_json::Value;

use crate::config::OpenSearchSettings;

/// Largest answer read, in bytes (a page of stored documents fits easily).
const MAX_REPLY_BYTES: u64 = 512 << 20;

/// What a node answered: the HTTP status and the JSON body (`Null` when the
/// body was empty).
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The body.
    pub body: Value,
}

impl Reply {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether the engine refused for want of capacity or reach (429, 502,
    /// 503, 504): a retry later may pass.
    pub fn is_retryable(&self) -> bool {
        matches!(self.status, 429 | 502 | 503 | 504)
    }

    /// OpenSearch's `error.type` (or `error` when it is a string).
    pub fn error_type(&self) -> Option<&str> {
        let error = self.body.get("error")?;
        error
            .get("type")
            .and_then(Value::as_str)
            .or_else(|| error.as_str())
    }

    /// A one-line description of an error answer: status, type and reason.
    pub fn describe(&self) -> String {
        let error = self.body.get("error");
        let reason = error
            .and_then(|e| e.get("reason"))
            .and_then(Value::as_str)
            .unwrap_or("");
        match self.error_type() {
            Some(kind) => format!("OpenSearch answered {}: {kind}: {reason}", self.status),
            None => format!("OpenSearch answered {}", self.status),
        }
    }
}

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No node could be reached, or the connection failed mid-request, or
    /// the request timed out.
    #[error("OpenSearch cannot be reached: {0}")]
    Unreachable(String),
    /// A node answered with something that is not JSON.
    #[error("OpenSearch answered {status} with a body that is not JSON: {message}")]
    NotJson {
        /// HTTP status.
        status: u16,
        /// What was wrong.
        message: String,
    },
}

/// A request body.
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    /// A JSON document.
    Json(&'a Value),
    /// Newline-delimited JSON (`_bulk`), each line ending in `\n`.
    NdJson(&'a str),
}

/// The client of one cluster.
pub struct Client {
    agent: ureq::Agent,
    /// Node base URLs without a trailing slash.
    nodes: Vec<String>,
    /// The `Authorization` header, when credentials are configured.
    authorization: Option<String>,
    /// The node the next request starts with (round robin).
    next: AtomicUsize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("nodes", &self.nodes)
            .field("authorized", &self.authorization.is_some())
            .finish()
    }
}

impl Client {
    /// A client of the nodes and credentials of `settings` (validated by
    /// [`crate::config::Settings::validate`]).
    pub fn new(settings: &OpenSearchSettings) -> Client {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_millis(settings.timeout_ms.max(1)))
            .redirects(0)
            .user_agent(concat!("verbatim/", env!("CARGO_PKG_VERSION")))
            .build();
        let authorization = if !settings.api_key.is_empty() {
            Some(format!("ApiKey {}", settings.api_key.expose()))
        } else if !settings.user.is_empty() {
            let pair = format!("{}:{}", settings.user, settings.password.expose());
            Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            ))
        } else {
            None
        };
        Client {
            agent,
            nodes: settings
                .urls
                .iter()
                .map(|url| url.trim_end_matches('/').to_owned())
                .collect(),
            authorization,
            next: AtomicUsize::new(0),
        }
    }

    /// The node URLs.
    pub fn nodes(&self) -> &[String] {
        &self.nodes
    }

    /// Sends `method path` (path with its query string, starting with `/`)
    /// to one node, trying the others in turn while a node cannot be
    /// connected to. Requests that reached a node are not sent again.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Body<'_>>,
    ) -> Result<Reply, ClientError> {
        if self.nodes.is_empty() {
            return Err(ClientError::Unreachable(
                "no node URL is configured".to_owned(),
            ));
        }
        let first = self.next.fetch_add(1, Ordering::Relaxed);
        let mut failures = Vec::new();
        for attempt in 0..self.nodes.len() {
            let node = &self.nodes[(first + attempt) % self.nodes.len()];
            let mut request = self.agent.request(method, &format!("{node}{path}"));
            if let Some(authorization) = &self.authorization {
                request = request.set("Authorization", authorization);
            }
            let outcome = match body {
                None => request.call(),
                Some(Body::Json(value)) => request
                    .set("Content-Type", "application/json")
                    .send_string(&value.to_string()),
                Some(Body::NdJson(lines)) => request
                    .set("Content-Type", "application/x-ndjson")
                    .send_string(lines),
            };
            let response = match outcome {
                Ok(response) | Err(ureq::Error::Status(_, response)) => response,
                Err(ureq::Error::Transport(transport)) => {
                    let message = format!("{node}: {transport}");
                    match transport.kind() {
                        ureq::ErrorKind::ConnectionFailed | ureq::ErrorKind::Dns => {
                            failures.push(message);
                            continue;
                        }
                        _ => return Err(ClientError::Unreachable(message)),
                    }
                }
            };
            return read_reply(response);
        }
        Err(ClientError::Unreachable(failures.join("; ")))
    }
}

/// Reads a response's JSON body.
fn read_reply(response: ureq::Response) -> Result<Reply, ClientError> {
    let status = response.status();
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(MAX_REPLY_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|error| ClientError::Unreachable(format!("reading the answer: {error}")))?;
    let body = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).map_err(|error| ClientError::NotJson {
            status,
            message: error.to_string(),
        })?
    };
    Ok(Reply { status, body })
}

/// Percent-encodes one path segment or query value (a document id, a
/// routing value).
pub fn encode(component: &str) -> String {
    percent_encoding::utf8_percent_encode(component, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    use super::*;
    use crate::config::Secret;

    /// A one-request HTTP server on loopback: returns its URL and a handle
    /// that yields the request's head (request line and headers).
    fn one_answer(status: &str, body: &'static str) -> (String, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let status = status.to_owned();
        let handle = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                head.push_str(&line);
            }
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            head
        });
        (url, handle)
    }

    /// A loopback URL nobody listens on.
    fn closed_url() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        url
    }

    fn settings(urls: Vec<String>) -> OpenSearchSettings {
        OpenSearchSettings {
            urls,
            ..OpenSearchSettings::default()
        }
    }

    #[test]
    fn basic_authentication_and_the_next_node_when_one_is_down() {
        let (url, server) = one_answer("200 OK", r#"{"status":"green"}"#);
        let mut settings = settings(vec![closed_url(), url]);
        settings.user = "verbatim".to_owned();
        settings.password = Secret::new("s3cret");
        let client = Client::new(&settings);
        let reply = client.send("GET", "/_cluster/health", None).unwrap();
        assert_eq!(
            (reply.status, reply.body["status"].as_str()),
            (200, Some("green"))
        );
        let head = server.join().unwrap();
        assert!(head.starts_with("GET /_cluster/health HTTP/1.1"), "{head}");
        // base64("verbatim:s3cret")
        assert!(
            head.contains("Authorization: Basic dmVyYmF0aW06czNjcmV0\r\n"),
            "{head}"
        );
    }

    #[test]
    fn api_keys_errors_and_unreachable_clusters() {
        let (url, server) = one_answer(
            "429 Too Many Requests",
            r#"{"error":{"type":"es_rejected_execution_exception","reason":"queue full"},"status":429}"#,
        );
        let mut settings = settings(vec![url]);
        settings.api_key = Secret::new("aWQ6a2V5");
        let reply = Client::new(&settings).send("GET", "/", None).unwrap();
        assert!(reply.is_retryable());
        assert_eq!(reply.error_type(), Some("es_rejected_execution_exception"));
        assert!(reply.describe().contains("queue full"));
        assert!(server
            .join()
            .unwrap()
            .contains("Authorization: ApiKey aWQ6a2V5\r\n"));

        let down = Client::new(&self::settings(vec![closed_url(), closed_url()]));
        assert!(matches!(
            down.send("GET", "/", None),
            Err(ClientError::Unreachable(_))
        ));
    }
}
