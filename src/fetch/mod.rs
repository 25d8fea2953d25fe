//! Fetching web pages and feeds, politely and safely: [`Fetcher`] sends
//! `GET`s with the `Verbatim/<version>` user agent, a deadline per request
//! (`fetch.timeout_ms`), a size limit (`fetch.max_bytes`), redirects followed
//! by hand (at most `fetch.max_redirects`, each hop checked like the first),
//! only `http` and `https`, one request at a time per host, and `robots.txt`
//! honoured (cached per host).
//!
//! Unless `fetch.allow_private_addresses` is set, no request goes to an
//! address that is not public ([`address::is_public`]): the host is resolved
//! here, every resolved address checked, and the connection made to those
//! checked addresses only (a fixed resolver handed to the client), so a name
//! that resolves differently between check and connect (DNS rebinding)
//! cannot slip through. [`extract`] turns a fetched page into an article.
//!
//! Fetching is blocking (ureq): callers run it on a blocking thread.

pub mod address;
pub mod extract;
pub mod robots;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use url::Url;

use crate::config::FetchSettings;
use robots::RobotsRules;

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("Verbatim/", env!("CARGO_PKG_VERSION"));

/// How long a host's `robots.txt` is trusted.
const ROBOTS_TTL: Duration = Duration::from_secs(3600);
/// How long an unreadable `robots.txt` (a network error, a 5xx) counts as
/// absent before it is asked for again.
const ROBOTS_RETRY: Duration = Duration::from_secs(60);
/// Largest `robots.txt` read.
const MAX_ROBOTS_BYTES: usize = 512 << 10;

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not an absolute `http` or `https` URL.
    #[error("`{url}` is not an http or https URL: {reason}")]
    InvalidUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The host resolves to an address that is not public.
    #[error("{host} resolves to {address}, which is not a public address (set fetch.allow_private_addresses to allow it)")]
    AddressNotAllowed {
        /// The host.
        host: String,
        /// The address refused.
        address: IpAddr,
    },
    /// The request ran past `fetch.timeout_ms`.
    #[error("{url} did not answer within {timeout_ms} ms")]
    Timeout {
        /// The URL requested.
        url: String,
        /// The deadline.
        timeout_ms: u64,
    },
    /// The answer is not of a type the caller reads.
    #[error("{url} is `{content_type}`, not {expected}")]
    WrongType {
        /// The URL requested.
        url: String,
        /// Its `Content-Type`.
        content_type: String,
        /// What was expected (`HTML`, `a feed`).
        expected: &'static str,
    },
    /// The answer is larger than `fetch.max_bytes`.
    #[error("{url} is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// A redirect loop, too many redirects, or a redirect without a usable
    /// `Location`.
    #[error("{url}: {reason}")]
    Redirects {
        /// The URL that redirected.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// The URL requested.
        url: String,
        /// The status.
        status: u16,
    },
    /// The request failed: the name does not resolve, the connection was
    /// refused or broken, TLS failed.
    #[error("{url}: {message}")]
    Failed {
        /// The URL requested.
        url: String,
        /// What failed.
        message: String,
    },
    /// The URL's host name does not resolve (no such host, or no DNS).
    #[error("{url}: cannot resolve {host}: {message}")]
    UnknownHost {
        /// The URL requested.
        url: String,
        /// The host name.
        host: String,
        /// What the resolver said.
        message: String,
    },
    /// The host's `robots.txt` does not allow us this path.
    #[error("{url} is disallowed by the host's robots.txt")]
    DisallowedByRobots {
        /// The URL requested.
        url: String,
    },
    /// The page was fetched but holds no article text.
    #[error("{url}: no article text found in the page")]
    NoArticle {
        /// The URL requested.
        url: String,
    },
}

/// Validators of an earlier answer, sent as `If-None-Match` and
/// `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` of the earlier answer.
    pub etag: Option<String>,
    /// The `Last-Modified` of the earlier answer.
    pub last_modified: Option<String>,
}

/// A fetched answer.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL that answered, after redirects.
    pub url: Url,
    /// `true` for `304 Not Modified` (the body is then empty).
    pub not_modified: bool,
    /// The `Content-Type`, lowercased, without parameters (empty when absent).
    pub content_type: String,
    /// The charset named by `Content-Type`, if any.
    pub charset: Option<String>,
    /// Whether `Content-Type` names a charset (`charset` is otherwise the
    /// client's default).
    pub has_declared_charset: bool,
    /// The body, at most `fetch.max_bytes`.
    pub body: Vec<u8>,
    /// Validators for the next conditional request.
    pub validators: Validators,
}

impl Fetched {
    /// The body as text, decoded from the charset its `Content-Type` names,
    /// else a byte-order mark, else the `<meta charset>` (or `http-equiv`)
    /// of its first 1024 bytes, else UTF-8; bad bytes become U+FFFD.
    pub fn text(&self) -> String {
        let declared = self
            .charset
            .as_deref()
            .filter(|_| self.has_declared_charset)
            .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
            .or_else(|| meta_charset(&self.body))
            .unwrap_or(encoding_rs::UTF_8);
        let (text, _, _) = declared.decode(&self.body);
        text.into_owned()
    }
}

/// Fetches pages and feeds under the rules of [`FetchSettings`]. Shared by
/// every caller of one process, so the `robots.txt` cache and the per-host
/// lock hold across them.
#[derive(Debug)]
pub struct Fetcher {
    settings: FetchSettings,
    robots: Mutex<HashMap<String, (Instant, Arc<RobotsRules>)>>,
    hosts: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl Fetcher {
    /// A fetcher with these settings.
    pub fn new(settings: FetchSettings) -> Fetcher {
        Fetcher {
            settings,
            robots: Mutex::new(HashMap::new()),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// The settings it fetches under.
    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    /// Parses `raw` and checks that it is `http(s)` and that its host
    /// resolves to addresses a fetch may connect to.
    pub fn check_url(&self, raw: &str) -> Result<Url, FetchError> {
        let url = parse_url(raw)?;
        self.resolve(&url)?;
        Ok(url)
    }

    /// `GET url`, following redirects, honouring `robots.txt`, sending
    /// `validators` (a `304` comes back as `not_modified`). An error status
    /// is [`FetchError::Status`].
    pub fn fetch(&self, raw: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let url = parse_url(raw)?;
        let deadline = Instant::now() + Duration::from_millis(self.settings.timeout_ms);
        let mut seen = HashSet::new();
        let mut current = url;
        let mut redirects = 0;
        loop {
            if !seen.insert(current.to_string()) {
                return Err(FetchError::Redirects {
                    url: current.to_string(),
                    reason: "redirect loop".to_owned(),
                });
            }
            if self.settings.respect_robots_txt {
                self.check_robots(&current, deadline)?;
            }
            match self.get_once(&current, validators, deadline, self.settings.max_bytes)? {
                Hop::Answer(fetched) => return Ok(fetched),
                Hop::Redirect(location) => {
                    if redirects == self.settings.max_redirects {
                        return Err(FetchError::Redirects {
                            url: current.to_string(),
                            reason: format!("more than {} redirects", self.settings.max_redirects),
                        });
                    }
                    redirects += 1;
                    let next = current.join(&location).map_err(|e| FetchError::Redirects {
                        url: current.to_string(),
                        reason: format!("redirect to an invalid Location `{location}`: {e}"),
                    })?;
                    check_scheme(&next)?;
                    current = next;
                }
            }
        }
    }

    /// `POST`s `body` as JSON to `url` with `headers`, once, to its checked
    /// addresses (the address rule applies as to every fetch), within
    /// `fetch.timeout_ms`. A redirect is not followed but is an error, so
    /// the body never goes anywhere but where it was sent. Returns the
    /// status of a 2xx answer; anything else is an error.
    pub fn post_json(
        &self,
        raw: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Result<u16, FetchError> {
        let url = parse_url(raw)?;
        let deadline = Instant::now() + Duration::from_millis(self.settings.timeout_ms);
        let request = |agent: &ureq::Agent| {
            let mut request = agent
                .post(url.as_str())
                .set("Content-Type", "application/json");
            for (name, value) in headers {
                request = request.set(name, value);
            }
            request
        };
        let read = |response: ureq::Response| {
            let status = response.status();
            // Read (a little of) the answer so the connection ends cleanly.
            let _ = response
                .into_reader()
                .take(64 << 10)
                .read_to_end(&mut Vec::new());
            match status {
                200..=299 => Ok(status),
                300..=399 => Err(FetchError::Redirects {
                    url: url.to_string(),
                    reason: format!("HTTP {status}: webhooks are not redirected"),
                }),
                _ => Err(FetchError::Status {
                    url: url.to_string(),
                    status,
                }),
            }
        };
        self.exchange(&url, deadline, request, Some(body), read)
    }

    /// One request to the checked addresses of `url`'s host, by `deadline`,
    /// one at a time per host, without following redirects: `request`
    /// builds it with an agent bound to those addresses, it is sent with
    /// `body` if any, and `read` reads the answer (an error status included)
    /// while the host is still held.
    fn exchange<T>(
        &self,
        url: &Url,
        deadline: Instant,
        request: impl FnOnce(&ureq::Agent) -> ureq::Request,
        body: Option<&[u8]>,
        read: impl FnOnce(ureq::Response) -> Result<T, FetchError>,
    ) -> Result<T, FetchError> {
        let addresses = self.resolve(url)?;
        let lock = self.host_lock(url);
        let _one_at_a_time = lock.lock().unwrap_or_else(|e| e.into_inner());
        let remaining = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| self.timed_out(url))?;
        let agent = ureq::AgentBuilder::new()
            .resolver(FixedResolver(addresses))
            .redirects(0)
            .timeout(remaining)
            .user_agent(USER_AGENT)
            .build();
        let request = request(&agent);
        let sent = match body {
            Some(body) => request.send_bytes(body),
            None => request.call(),
        };
        let response = match sent {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(ureq::Error::Transport(transport)) => {
                if Instant::now() >= deadline || is_timeout(&transport) {
                    return Err(self.timed_out(url));
                }
                return Err(FetchError::Failed {
                    url: url.to_string(),
                    message: transport.to_string(),
                });
            }
        };
        read(response)
    }

    /// The error of a request to `url` that ran out of time.
    fn timed_out(&self, url: &Url) -> FetchError {
        FetchError::Timeout {
            url: url.to_string(),
            timeout_ms: self.settings.timeout_ms,
        }
    }

    /// The host's `robots.txt` rules allow `url`, or an error says why not.
    fn check_robots(&self, url: &Url, deadline: Instant) -> Result<(), FetchError> {
        let origin = url.origin().ascii_serialization();
        let cached = {
            let cache = self.robots.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .get(&origin)
                .filter(|(expires, _)| *expires > Instant::now())
                .map(|(_, rules)| rules.clone())
        };
        let rules = match cached {
            Some(rules) => rules,
            None => {
                let (rules, ttl) = self.read_robots(url, deadline)?;
                let rules = Arc::new(rules);
                self.robots
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(origin, (Instant::now() + ttl, rules.clone()));
                rules
            }
        };
        let mut path = url.path().to_owned();
        if let Some(query) = url.query() {
            path.push('?');
            path.push_str(query);
        }
        if rules.allows(&path) {
            Ok(())
        } else {
            Err(FetchError::DisallowedByRobots {
                url: url.to_string(),
            })
        }
    }

    /// Reads the `robots.txt` of `url`'s origin (following a few redirects,
    /// each checked): a 4xx means no rules; a failure or a 5xx counts as no
    /// rules for a minute. A refused address or a timeout is the caller's
    /// error.
    fn read_robots(
        &self,
        url: &Url,
        deadline: Instant,
    ) -> Result<(RobotsRules, Duration), FetchError> {
        let mut current = url
            .join("/robots.txt")
            .map_err(|e| FetchError::InvalidUrl {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
        for _ in 0..=self.settings.max_redirects.min(5) {
            let answer =
                self.get_once(&current, &Validators::default(), deadline, MAX_ROBOTS_BYTES);
            match answer {
                Ok(Hop::Answer(fetched)) => {
                    return Ok((RobotsRules::parse(&fetched.text()), ROBOTS_TTL));
                }
                Ok(Hop::Redirect(location)) => match current.join(&location) {
                    Ok(next) if check_scheme(&next).is_ok() => current = next,
                    _ => break,
                },
                Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                    return Ok((RobotsRules::allow_all(), ROBOTS_TTL));
                }
                Err(
                    error @ (FetchError::AddressNotAllowed { .. } | FetchError::Timeout { .. }),
                ) => return Err(error),
                Err(error) => {
                    tracing::debug!(%error, "robots.txt unreadable; allowing");
                    break;
                }
            }
        }
        Ok((RobotsRules::allow_all(), ROBOTS_RETRY))
    }

    /// The addresses `url`'s host resolves to, every one of them allowed.
    fn resolve(&self, url: &Url) -> Result<Vec<SocketAddr>, FetchError> {
        let port = url.port_or_known_default().unwrap_or(80);
        let host = url.host_str().unwrap_or_default().to_owned();
        let addresses: Vec<SocketAddr> = match url.host() {
            Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
            Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
            Some(url::Host::Domain(name)) => (name, port)
                .to_socket_addrs()
                .map_err(|e| FetchError::UnknownHost {
                    url: url.to_string(),
                    host: name.to_owned(),
                    message: e.to_string(),
                })?
                .collect(),
            None => Vec::new(),
        };
        if addresses.is_empty() {
            return Err(FetchError::UnknownHost {
                url: url.to_string(),
                host,
                message: "no address".to_owned(),
            });
        }
        if !self.settings.allow_private_addresses {
            if let Some(refused) = addresses.iter().find(|a| !address::is_public(a.ip())) {
                return Err(FetchError::AddressNotAllowed {
                    host,
                    address: refused.ip(),
                });
            }
        }
        Ok(addresses)
    }

    /// The lock that keeps requests to one host one at a time.
    fn host_lock(&self, url: &Url) -> Arc<Mutex<()>> {
        let key = url.host_str().unwrap_or_default().to_ascii_lowercase();
        self.hosts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_default()
            .clone()
    }

    /// One `GET`, without following redirects, to the checked addresses of
    /// `url`'s host.
    fn get_once(
        &self,
        url: &Url,
        validators: &Validators,
        deadline: Instant,
        max_bytes: usize,
    ) -> Result<Hop, FetchError> {
        let request = |agent: &ureq::Agent| {
            let mut request = agent.get(url.as_str()).set(
                "Accept",
                "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,*/*;q=0.5",
            );
            if let Some(etag) = &validators.etag {
                request = request.set("If-None-Match", etag);
            }
            if let Some(modified) = &validators.last_modified {
                request = request.set("If-Modified-Since", modified);
            }
            request
        };
        self.exchange(url, deadline, request, None, |response| {
            self.read_hop(url, response, deadline, max_bytes)
        })
    }

    /// Reads the answer to a `GET` of `url`: a redirect, or the body (at most
    /// `max_bytes`) by `deadline`.
    fn read_hop(
        &self,
        url: &Url,
        response: ureq::Response,
        deadline: Instant,
        max_bytes: usize,
    ) -> Result<Hop, FetchError> {
        let status = response.status();
        if (300..400).contains(&status) && status != 304 {
            return match response.header("Location") {
                Some(location) => Ok(Hop::Redirect(location.to_owned())),
                None => Err(FetchError::Redirects {
                    url: url.to_string(),
                    reason: format!("HTTP {status} without a Location"),
                }),
            };
        }
        if status >= 400 {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
            });
        }
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit: max_bytes,
        };
        if let Some(length) = response
            .header("Content-Length")
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            if length > max_bytes as u64 {
                return Err(too_large());
            }
        }
        let validators = Validators {
            etag: response.header("ETag").map(str::to_owned),
            last_modified: response.header("Last-Modified").map(str::to_owned),
        };
        let content_type = response.content_type().to_ascii_lowercase();
        let charset = response.charset().to_owned();
        let has_type = response.header("Content-Type").is_some();
        let has_declared_charset = response
            .header("Content-Type")
            .is_some_and(|value| value.to_ascii_lowercase().contains("charset="));
        let mut body = Vec::new();
        response
            .into_reader()
            .take(max_bytes as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| {
                if Instant::now() >= deadline
                    || matches!(
                        e.kind(),
                        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                    )
                {
                    self.timed_out(url)
                } else {
                    FetchError::Failed {
                        url: url.to_string(),
                        message: e.to_string(),
                    }
                }
            })?;
        if body.len() > max_bytes {
            return Err(too_large());
        }
        Ok(Hop::Answer(Fetched {
            url: url.clone(),
            not_modified: status == 304,
            content_type: if has_type {
                content_type
            } else {
                String::new()
            },
            charset: has_type.then_some(charset),
            has_declared_charset,
            body,
            validators,
        }))
    }
}

/// The outcome of one request.
enum Hop {
    /// A final answer.
    Answer(Fetched),
    /// A redirect to this `Location`.
    Redirect(String),
}

/// Hands ureq the addresses already checked, whatever name it asks for.
struct FixedResolver(Vec<SocketAddr>);

impl ureq::Resolver for FixedResolver {
    fn resolve(&self, _netloc: &str) -> std::io::Result<Vec<SocketAddr>> {
        Ok(self.0.clone())
    }
}

/// Whether a transport error is a timeout.
fn is_timeout(transport: &ureq::Transport) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> =
        std::error::Error::source(transport);
    while let Some(error) = source {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                return true;
            }
        }
        source = error.source();
    }
    transport.to_string().contains("timed out")
}

/// Fetches an HTML page and extracts its article; the URL returned is the
/// page's address after redirects.
pub fn fetch_article(
    fetcher: &Fetcher,
    raw: &str,
) -> Result<(Url, extract::ExtractedPage), FetchError> {
    let fetched = fetcher.fetch(raw, &Validators::default())?;
    if !is_html(&fetched) {
        return Err(FetchError::WrongType {
            url: fetched.url.to_string(),
            content_type: if fetched.content_type.is_empty() {
                "unknown".to_owned()
            } else {
                fetched.content_type.clone()
            },
            expected: "HTML",
        });
    }
    let html = fetched.text();
    let page = extract::extract_article(&html, fetched.url.as_str()).ok_or_else(|| {
        FetchError::NoArticle {
            url: fetched.url.to_string(),
        }
    })?;
    Ok((fetched.url, page))
}

/// The encoding a page declares in its first 1024 bytes (`<meta charset>`
/// or `content="text/html; charset=..."`), or by a byte-order mark.
fn meta_charset(body: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(body) {
        return Some(encoding);
    }
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    let start = head.find("charset=")? + "charset=".len();
    let label: String = head[start..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Whether an answer is HTML: by its `Content-Type`, or, without one, by
/// its first bytes.
fn is_html(fetched: &Fetched) -> bool {
    match fetched.content_type.as_str() {
        "text/html" | "application/xhtml+xml" => true,
        "" => {
            let start = String::from_utf8_lossy(&fetched.body[..fetched.body.len().min(512)])
                .trim_start()
                .to_ascii_lowercase();
            start.starts_with("<!doctype html") || start.starts_with("<html")
        }
        _ => false,
    }
}

/// Parses an absolute `http(s)` URL.
pub fn parse_url(raw: &str) -> Result<Url, FetchError> {
    let url = Url::parse(raw.trim()).map_err(|e| FetchError::InvalidUrl {
        url: raw.to_owned(),
        reason: e.to_string(),
    })?;
    check_scheme(&url)?;
    Ok(url)
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::InvalidUrl {
            url: url.to_string(),
            reason: format!("the scheme `{}` is not http or https", url.scheme()),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FetchError::InvalidUrl {
            url: url.to_string(),
            reason: "no host".to_owned(),
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FetchError::InvalidUrl {
            url: url.to_string(),
            reason: "credentials in the URL are not sent".to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetched(content_type: &str, body: &[u8]) -> Fetched {
        let charset = content_type.split("charset=").nth(1).map(str::to_owned);
        Fetched {
            url: Url::parse("http://example.com/").unwrap(),
            not_modified: false,
            content_type: "text/html".to_owned(),
            has_declared_charset: charset.is_some(),
            charset: Some(charset.unwrap_or_else(|| "utf-8".to_owned())),
            body: body.to_vec(),
            validators: Validators::default(),
        }
    }

    #[test]
    fn pages_are_decoded_from_the_charset_they_declare() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><p>Caf\xe9</p>";
        assert!(fetched("text/html", latin1).text().contains("Café"));
        assert!(
            fetched("text/html; charset=windows-1252", b"<p>\x93Hi\x94</p>")
                .text()
                .contains("\u{201c}Hi\u{201d}")
        );
        assert!(fetched("text/html", "<p>Café</p>".as_bytes())
            .text()
            .contains("Café"));
    }

    #[test]
    fn only_absolute_http_urls_without_credentials_are_fetched() {
        assert!(parse_url("https://example.com/a").is_ok());
        for bad in [
            "file:///etc/passwd",
            "ftp://example.com/",
            "/relative",
            "http://user:pw@example.com/",
            "gopher://x",
        ] {
            assert!(
                matches!(parse_url(bad), Err(FetchError::InvalidUrl { .. })),
                "{bad}"
            );
        }
        let fetcher = Fetcher::new(FetchSettings::default());
        for private in [
            "http://127.0.0.1/",
            "http://[::1]/",
            "http://10.0.0.1/",
            "http://169.254.169.254/",
            "http://0.0.0.0/",
            "http://[::ffff:192.168.0.1]/",
        ] {
            assert!(
                matches!(
                    fetcher.check_url(private),
                    Err(FetchError::AddressNotAllowed { .. })
                ),
                "{private}"
            );
        }
    }
}
