//! Saved searches that push: a webhook receiver on loopback in the test
//! (the server under test allows private addresses), each matching new
//! quote delivered once with a valid signature, re-imports silent, the
//! Server-Sent Events stream, resume with `Last-Event-ID` after a restart;
//! a server with default settings refusing a loopback webhook; bad input
//! refused with nothing stored.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{import_with_cli, TestServer};

/// A webhook receiver on a free loopback port. The first request it gets is
/// answered `500` (so a retry is seen); later ones `204`, recorded with their
/// signature header.
/// Deliveries accepted: the signature header and the body.
type Accepted = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

struct WebhookReceiver {
    url: String,
    accepted: Accepted,
    requests: Arc<AtomicUsize>,
}

impl WebhookReceiver {
    fn start() -> WebhookReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let accepted = Arc::new(Mutex::new(Vec::new()));
        let requests = Arc::new(AtomicUsize::new(0));
        let (sink, counter) = (accepted.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let number = counter.fetch_add(1, Ordering::SeqCst);
                receive(stream, number == 0, &sink);
            }
        });
        WebhookReceiver {
            url,
            accepted,
            requests,
        }
    }

    fn accepted(&self) -> Vec<(String, Vec<u8>)> {
        self.accepted.lock().unwrap().clone()
    }
}

fn receive(stream: TcpStream, fail: bool, accepted: &Mutex<Vec<(String, Vec<u8>)>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let (mut length, mut signature) = (0usize, String::new());
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((&header, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "x-verbatim-signature" => signature = value.trim().to_owned(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let status = if fail {
        "500 Internal Server Error"
    } else {
        accepted.lock().unwrap().push((signature, body));
        "204 No Content"
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`.
fn expected_signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// An SSE event as read by the test: its `id:` and `data:` (parsed).
type SseEvent = (u64, Value);

/// Reads the event stream of `path` on a thread; events arrive on the channel.
fn open_stream(
    server: &TestServer,
    path: &str,
    last_event_id: Option<u64>,
) -> mpsc::Receiver<SseEvent> {
    let mut request = ureq::get(&format!("{}{path}", server.base));
    if let Some(id) = last_event_id {
        request = request.set("Last-Event-ID", &id.to_string());
    }
    let response = request.call().expect("the event stream opens");
    assert_eq!(response.content_type(), "text/event-stream");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(response.into_reader());
        let (mut id, mut data, mut kind) = (None, None, None);
        for line in reader.lines().map_while(Result::ok) {
            if line.is_empty() {
                if let (Some(id), Some(data), Some("quote")) =
                    (id.take(), data.take(), kind.as_deref())
                {
                    if sender.send((id, data)).is_err() {
                        return;
                    }
                }
                kind = None;
            } else if let Some(value) = line.strip_prefix("id: ") {
                id = value.parse::<u64>().ok();
            } else if let Some(value) = line.strip_prefix("event: ") {
                kind = Some(value.to_owned());
            } else if let Some(value) = line.strip_prefix("data: ") {
                data = serde_json::from_str::<Value>(value).ok();
            }
        }
    });
    receiver
}

/// Events from `receiver` until `count` arrived or 30 s passed.
fn take_events(receiver: &mpsc::Receiver<SseEvent>, count: usize) -> Vec<SseEvent> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut events = Vec::new();
    while events.len() < count {
        let left = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(left) {
            Ok(event) => events.push(event),
            Err(_) => break,
        }
    }
    events
}

/// Waits until `check` holds (30 s at most).
fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn last_event_id(server: &TestServer, id: &str) -> u64 {
    let answer = server.get(&format!("/v1/alerts/{id}"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["last_event_id"].as_u64().unwrap()
}

const NEW_ARTICLE: &str = r#"{"id": "alerts-new-wang", "title": "Wang warns on Taiwan", "source": "Wire",
  "published": "2024-05-02",
  "body": "“Those who play with fire will get burned, and the strait will not be calm,” Foreign Minister Wang Yi said on Thursday in Beijing."}"#;

fn an_alert_delivers_each_new_matching_quote_once_signed_and_over_sse_across_a_restart(
    backend: TestBackend,
) {
    let receiver = WebhookReceiver::start();
    let env = [
        ("VERBATIM_FETCH_ALLOW_PRIVATE", "1"),
        ("VERBATIM_FEEDS_POLL", "0"),
    ];
    let server = backend.start_with(&env);
    let created = server.post_json(
        "/v1/alerts",
        &json!({"name": "Wang Yi", "query": {"speaker": "Wang Yi"}, "webhook": receiver.url}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    let shown = server.get(&format!("/v1/alerts/{id}"));
    assert!(
        shown.body.get("secret").is_none(),
        "the secret is shown once"
    );
    assert!(server.get("/v1/alerts").body["alerts"][0]
        .get("secret")
        .is_none());

    let stream = open_stream(&server, &format!("/v1/alerts/{id}/events"), None);
    assert_eq!(server.load_fixtures().status, 200);

    // Every quote of the speaker is new: each copy of a statement fires once.
    let quotes = server.get("/v1/quotes?speaker=Wang+Yi&limit=100");
    let all_ids: BTreeSet<String> = quotes.body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_owned())
        .collect();
    wait_for("the events", || last_event_id(&server, &id) >= 1);
    let mut fired = last_event_id(&server, &id);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = last_event_id(&server, &id);
        if now == fired {
            break;
        }
        fired = now;
    }
    assert!(
        fired >= 1 && fired <= all_ids.len() as u64,
        "{fired} events for {} quotes",
        all_ids.len()
    );

    let events = take_events(&stream, fired as usize);
    let event_ids: Vec<u64> = events.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        event_ids,
        (1..=fired).collect::<Vec<_>>(),
        "SSE ids run 1..=n"
    );
    let mut quote_ids = BTreeSet::new();
    for (event_id, data) in &events {
        assert_eq!(data["alert"], id.as_str());
        assert_eq!(data["event"].as_u64(), Some(*event_id));
        assert_eq!(data["quote"]["speaker"], "Wang Yi");
        let quote_id = data["quote"]["id"].as_str().unwrap().to_owned();
        assert!(
            all_ids.contains(&quote_id),
            "{quote_id} is a /v1/quotes hit"
        );
        assert!(quote_ids.insert(quote_id), "each quote fires once");
    }

    // The webhook: the first attempt failed (500) and was retried; each event
    // arrives exactly once with a valid signature.
    wait_for("the webhook deliveries", || {
        receiver
            .accepted()
            .iter()
            .map(|(_, body)| serde_json::from_slice::<Value>(body).unwrap()["event"].as_u64())
            .collect::<BTreeSet<_>>()
            .len()
            == fired as usize
    });
    let mut delivered: BTreeMap<u64, Value> = BTreeMap::new();
    for (signature, body) in receiver.accepted() {
        assert_eq!(
            signature,
            expected_signature(&secret, &body),
            "valid signature"
        );
        let body: Value = serde_json::from_slice(&body).unwrap();
        let event = body["event"].as_u64().unwrap();
        assert!(
            delivered.insert(event, body).is_none(),
            "event {event} delivered twice"
        );
    }
    for (event_id, data) in &events {
        assert_eq!(
            &delivered[event_id], data,
            "the webhook gets what SSE sends"
        );
    }
    // The server records a delivery once it has read the receiver's answer,
    // a moment after the receiver counted it.
    let deliveries = || {
        let log = server.get(&format!("/v1/alerts/{id}/deliveries"));
        assert_eq!(log.status, 200);
        log.body["deliveries"].as_array().unwrap().clone()
    };
    wait_for("every delivery recorded as delivered", || {
        deliveries().iter().all(|d| d["status"] == "delivered")
    });
    let log = deliveries();
    assert_eq!(log.len(), fired as usize);
    assert!(log.iter().all(|d| d["status"] == "delivered"), "{log:?}");
    assert!(log
        .iter()
        .any(|d| d["attempts"] == 2 && d["last_status"] == 204));

    // Importing the same articles again changes no quote: nothing fires.
    assert_eq!(server.load_fixtures().status, 200);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(last_event_id(&server, &id), fired);
    assert!(
        stream.recv_timeout(Duration::from_secs(1)).is_err(),
        "nothing new on the stream"
    );
    let requests_before_restart = receiver.requests.load(Ordering::SeqCst);

    // After a restart, resuming after event 1 gives every later event, and a
    // new quote fires as the next one.
    let store = server.store();
    let temp = server.stop();
    let server = store.start(&env);
    let resumed = open_stream(&server, &format!("/v1/alerts/{id}/events"), Some(1));
    let again = take_events(&resumed, fired as usize - 1);
    assert_eq!(
        again.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        (2..=fired).collect::<Vec<_>>()
    );
    for (event_id, data) in &again {
        assert_eq!(
            &delivered[event_id], data,
            "the same events after the restart"
        );
    }
    let answer = server.post_json("/v1/articles", &serde_json::from_str(NEW_ARTICLE).unwrap());
    assert_eq!(answer.status, 201, "{}", answer.body);
    let next = take_events(&resumed, 1);
    assert_eq!(next.len(), 1, "the new quote arrives on the resumed stream");
    assert_eq!(next[0].0, fired + 1);
    assert!(next[0].1["quote"]["quote"]
        .as_str()
        .unwrap()
        .contains("play with fire"));
    wait_for("the new delivery", || {
        receiver.requests.load(Ordering::SeqCst) > requests_before_restart
    });
    let by_query = server.get(&format!("/v1/alerts/{id}/events?last_event_id=x"));
    assert_eq!(by_query.status, 400);
    drop(server);
    drop(temp);
}

/// Quotes committed while no matcher followed the writer (an import while no
/// server ran, or a hard kill between a commit and its matching) are in the
/// alerts' backlog: the next server matches them before anything else, and
/// each fires once, however the crash fell.
#[test]
fn quotes_committed_while_no_matcher_ran_fire_once_when_the_next_server_starts() {
    let env = [("VERBATIM_FEEDS_POLL", "0")];
    let server = TestServer::start_with(&env);
    let created = server.post_json(
        "/v1/alerts",
        &json!({"name": "fire", "query": {"q": "fire"}}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let dir = server.index_dir().to_owned();
    let temp = server.stop();

    // An import while no server runs.
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("new.ndjson");
    let article: Value = serde_json::from_str(NEW_ARTICLE).unwrap();
    std::fs::write(&file, format!("{article}\n")).unwrap();
    import_with_cli(&dir, &file);
    assert!(dir.join("alert-backlog.ndjson").exists());

    let server = TestServer::start_on(&dir, &env);
    let stream = open_stream(&server, &format!("/v1/alerts/{id}/events"), Some(0));
    let events = take_events(&stream, 1);
    assert_eq!(events.len(), 1, "the imported quote fires at start");
    assert_eq!(events[0].0, 1);
    assert!(events[0].1["quote"]["quote"]
        .as_str()
        .unwrap()
        .contains("play with fire"));

    // A hard kill right after an acknowledged write: matched or not by then,
    // the quote fires once.
    let answer = server.post_json(
        "/v1/articles",
        &json!({"id": "alerts-fire-chief", "title": "Fires in the hills", "source": "Wire",
            "published": "2024-05-03",
            "body": "“We will put out every fire in these hills before the weekend,” Fire Chief Ann Lee said on Friday."}),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    server.kill_hard();
    let server = TestServer::start_on(&dir, &env);
    wait_for("the killed write's event", || {
        last_event_id(&server, &id) >= 2
    });
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(last_event_id(&server, &id), 2, "each quote fired once");

    // Nothing is left in the backlog: another start fires nothing.
    server.stop();
    let server = TestServer::start_on(&dir, &env);
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(last_event_id(&server, &id), 2);
    drop(server);
    drop(temp);
}

fn a_server_with_default_settings_refuses_a_loopback_webhook_at_creation(backend: TestBackend) {
    let receiver = WebhookReceiver::start();
    let server = backend.start();
    let answer = server.post_json(
        "/v1/alerts",
        &json!({"name": "local", "query": {"q": "taiwan"}, "webhook": receiver.url}),
    );
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(answer.body["error"]["code"], "fetch_address_not_allowed");
    assert_eq!(server.get("/v1/alerts").body["alerts"], json!([]));
    assert!(!server.index_dir().join("alerts.json").exists());
}

fn bad_alerts_are_refused_with_clear_errors_and_nothing_is_stored(backend: TestBackend) {
    let server = backend.start();
    let cases = [
        (
            json!({"name": "x", "query": {"q": "taiwan", "limit": 5}}),
            400,
            "unknown_parameter",
        ),
        (
            json!({"name": "x", "query": {"nonsense": "1"}}),
            400,
            "unknown_parameter",
        ),
        (
            json!({"name": "x", "query": {"min_confidence": 2}}),
            400,
            "invalid_parameter",
        ),
        (
            json!({"name": "x", "query": {"from": "yesterday"}}),
            400,
            "invalid_parameter",
        ),
        (
            json!({"name": "x", "query": {"q": "(taiwan"}}),
            400,
            "query_syntax_error",
        ),
        (
            json!({"name": "x", "query": {"q": "nofield:taiwan"}}),
            400,
            "unknown_field",
        ),
        (
            json!({"name": "x", "query": "taiwan"}),
            400,
            "invalid_parameter",
        ),
        (json!({"name": "x"}), 400, "invalid_parameter"),
        (json!({"query": {"q": "taiwan"}}), 400, "invalid_parameter"),
        (
            json!({"name": "  ", "query": {"q": "taiwan"}}),
            400,
            "invalid_parameter",
        ),
        (
            json!({"name": "x", "query": {}, "extra": 1}),
            400,
            "unknown_parameter",
        ),
        (
            json!({"name": "x", "query": {}, "webhook": "ftp://example.com/"}),
            422,
            "fetch_invalid_url",
        ),
        (
            json!({"name": "x", "query": {}, "webhook": "not a url"}),
            422,
            "fetch_invalid_url",
        ),
        (
            json!({"name": "x", "query": {}, "webhook": "http://user:pw@example.com/"}),
            422,
            "fetch_invalid_url",
        ),
    ];
    for (body, status, code) in cases {
        let answer = server.post_json("/v1/alerts", &body);
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert_eq!(answer.body["error"]["code"], code, "{body}");
        assert!(answer.body["error"]["message"].as_str().unwrap().len() > 5);
    }
    assert_eq!(server.get("/v1/alerts").body["alerts"], json!([]));
    assert!(!server.index_dir().join("alerts.json").exists());
    for path in [
        "/v1/alerts/nope",
        "/v1/alerts/nope/events",
        "/v1/alerts/nope/deliveries",
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(answer.body["error"]["code"], "alert_not_found");
    }
    assert_eq!(server.delete("/v1/alerts/nope").status, 404);
    let created = server.post_json("/v1/alerts", &json!({"name": "x", "query": {}}));
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap();
    let answer = server.send_with_headers(
        "GET",
        &format!("/v1/alerts/{id}/events"),
        &[("Last-Event-ID", "minus one")],
        None,
        b"",
    );
    assert_eq!(answer.status, 400);
    assert_eq!(server.delete(&format!("/v1/alerts/{id}")).status, 200);
    assert_eq!(server.get(&format!("/v1/alerts/{id}")).status, 404);
}

on_both_backends!(
    an_alert_delivers_each_new_matching_quote_once_signed_and_over_sse_across_a_restart,
    a_server_with_default_settings_refuses_a_loopback_webhook_at_creation,
    bad_alerts_are_refused_with_clear_errors_and_nothing_is_stored,
);
