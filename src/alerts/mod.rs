//! Saved searches that push: alerts.
//!
//! An alert is a `/v1/quotes` query saved with a name and, optionally, a
//! webhook. Every quote *new to the index* that matches it becomes an
//! [`Event`] with an id that increases by one per alert; events are kept for
//! Server-Sent Events resume and, for alerts with a webhook, delivered by
//! `POST` with an HMAC-SHA256 signature ([`deliver`]).
//!
//! [`AlertStore`] holds the state, all of it in the index directory beside
//! tantivy's files (and copied by snapshots):
//!
//! - `alerts.json`: the alerts with their secrets, written whole to a
//!   temporary file, fsynced, renamed over the old one, directory fsynced;
//! - `alert-events.ndjson`: every event, appended and fsynced once per
//!   committed batch, rewritten from memory when mostly stale. A quote that
//!   fires for many alerts is written once, on a line of its own
//!   (`{"quote_ref", "quote"}`) before the events that refer to it
//!   (`{"alert", "id", "time", "quote_ref"}`); lines with the quote inline
//!   (`"quote"` instead of `"quote_ref"`, as earlier versions wrote) are read
//!   too;
//! - `alert-deliveries.ndjson`: webhook delivery records, appended and fsynced
//!   at each change (the last line of an event wins);
//! - `alert-backlog.ndjson`: the batches committed but not matched yet
//!   ([`backlog`]), so a crash between a commit and its matching (or an
//!   import made while no server ran) leaves the batch there, and the next
//!   server matches every quote stamped from there on before it takes new
//!   batches ([`matcher::AlertMatcher::spawn`]);
//! - `alert-pending.ndjson`: for a backend that matches its own writes
//!   (OpenSearch), the writes begun and not matched yet ([`pending`]),
//!   matched by the next server when a crash left them.
//!
//! Events are kept while younger than [`EVENT_RETENTION_SECS`] or among the
//! newest [`EVENTS_KEPT_PER_ALERT`] of their alert. [`matcher`] finds the
//! events of each commit; [`deliver`] sends webhooks on a thread of its own.

pub mod backlog;
pub mod deliver;
mod journal;
pub mod matcher;
pub mod pending;

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use backlog::Backlog;

/// The file holding the alerts and their secrets.
pub const ALERTS_FILE: &str = "alerts.json";
/// The append log of events.
pub const EVENTS_FILE: &str = "alert-events.ndjson";
/// The append log of webhook deliveries.
pub const DELIVERIES_FILE: &str = "alert-deliveries.ndjson";
/// The journal of batches committed but not matched yet.
pub const BACKLOG_FILE: &str = "alert-backlog.ndjson";
/// The journal of writes not matched yet, of a backend that matches its
/// own writes ([`pending`]).
pub const PENDING_FILE: &str = "alert-pending.ndjson";
/// Events younger than this are kept, however many there are.
pub const EVENT_RETENTION_SECS: i64 = 24 * 3600;
/// The newest events of an alert kept, however old.
pub const EVENTS_KEPT_PER_ALERT: usize = 10_000;
/// Finished deliveries remembered per alert for the delivery log.
const DELIVERIES_KEPT_PER_ALERT: usize = 1_000;
/// Attempts before a delivery is given up.
pub const MAX_DELIVERY_ATTEMPTS: u32 = 12;
/// Longest wait between two attempts, in milliseconds.
const MAX_BACKOFF_MS: i64 = 3_600_000;
/// First wait after a failed attempt, in milliseconds (doubled each time).
const FIRST_BACKOFF_MS: i64 = 1_000;

/// Why an alert operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    /// No alert has this id.
    #[error("no alert with id `{0}`")]
    NotFound(String),
    /// The state files could not be read or written.
    #[error("alert state {path}: {message}")]
    State {
        /// The file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
}

/// A saved search. `secret` signs its webhook deliveries and is shown once,
/// when the alert is created.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Alert {
    /// Random id, 16 hex digits.
    pub id: String,
    /// The name it was given.
    pub name: String,
    /// The `/v1/quotes` parameters, as given (a JSON object).
    pub query: Value,
    /// Where matching quotes are `POST`ed, if anywhere.
    pub webhook: Option<String>,
    /// The HMAC-SHA256 key of its webhook signatures (64 hex digits).
    pub secret: String,
    /// When it was created, Unix seconds.
    pub created: i64,
}

/// One matching quote of an alert.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// The alert.
    pub alert: String,
    /// Increases by one per event of the alert, from 1.
    pub id: u64,
    /// When it was found, Unix seconds.
    pub time: i64,
    /// The quote, shaped as a `/v1/quotes` hit (shared by the events of
    /// every alert it matched).
    pub quote: Arc<Value>,
}

/// Where a webhook delivery stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not delivered yet; tried again at `next_attempt`.
    Pending,
    /// The webhook answered 2xx.
    Delivered,
    /// Given up after [`MAX_DELIVERY_ATTEMPTS`] attempts (or the event expired).
    Failed,
}

/// The delivery of one event to its alert's webhook.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Delivery {
    /// The alert.
    pub alert: String,
    /// The event delivered.
    pub event: u64,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: u32,
    /// The HTTP status of the last answer, if there was one.
    pub last_status: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the last attempt was made (Unix milliseconds).
    pub last_attempt: Option<i64>,
    /// When it is tried next (Unix milliseconds), while pending.
    pub next_attempt: i64,
}

/// A pending delivery that is due, with its alert and its event (`None`
/// when the event is no longer kept).
pub type DueDelivery = (Delivery, Alert, Option<Event>);

#[derive(Serialize, Deserialize, Default)]
struct AlertsFile {
    alerts: Vec<Alert>,
}

struct State {
    alerts: Vec<Alert>,
    /// Bumped whenever the set of alerts changes.
    version: u64,
    events: HashMap<String, VecDeque<Event>>,
    /// The id the next event of each alert gets.
    next_event: HashMap<String, u64>,
    deliveries: HashMap<String, VecDeque<Delivery>>,
    events_log: AppendLog,
    /// The `quote_ref` the next quote written to the events log gets.
    next_quote_ref: u64,
    deliveries_log: AppendLog,
}

/// An append-only NDJSON file and how many lines it holds.
struct AppendLog {
    path: PathBuf,
    file: Option<File>,
    lines: usize,
}

impl AppendLog {
    /// The log at `path`, which holds `lines` lines (opened at the first
    /// append).
    fn new(path: PathBuf, lines: usize) -> AppendLog {
        AppendLog {
            path,
            file: None,
            lines,
        }
    }

    fn append(&mut self, lines: &[Vec<u8>]) -> Result<(), AlertError> {
        if lines.is_empty() {
            return Ok(());
        }
        let error = state_error(&self.path);
        if self.file.is_none() {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(&error)?;
            self.file = Some(file);
        }
        let file = self.file.as_mut().expect("opened above");
        file.write_all(&ndjson(lines)).map_err(&error)?;
        file.sync_data().map_err(&error)?;
        self.lines += lines.len();
        Ok(())
    }

    /// Replaces the file with `lines` (atomically).
    fn rewrite(&mut self, lines: &[Vec<u8>]) -> Result<(), AlertError> {
        self.file = None;
        write_atomically(&self.path, &ndjson(lines))?;
        self.lines = lines.len();
        Ok(())
    }
}

/// `lines`, each ended by a newline.
fn ndjson(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(lines.iter().map(|line| line.len() + 1).sum());
    for line in lines {
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
    }
    bytes
}

/// The alerts of one index and their events and deliveries.
pub struct AlertStore {
    dir: PathBuf,
    state: Mutex<State>,
    /// The batches committed and not matched yet.
    backlog: Backlog,
    /// Whether any alert exists (read by the writer thread at each batch).
    any: AtomicBool,
    /// The number of events appended so far, for Server-Sent Events streams.
    appended: tokio::sync::watch::Sender<u64>,
    /// Wakes the delivery thread.
    wake: (Mutex<bool>, Condvar),
}

impl std::fmt::Debug for AlertStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AlertStore")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn state_error(path: &Path) -> impl Fn(std::io::Error) -> AlertError + '_ {
    move |e| AlertError::State {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// The current time in Unix milliseconds.
pub fn now_millis() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// 32 random bytes as hex (the secret of a new alert), or 8 for an id.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).expect("the operating system provides random bytes");
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The alerts saved in `alerts.json` of `index_dir` (none when it has none).
fn read_alerts(index_dir: &Path) -> Result<Vec<Alert>, AlertError> {
    let path = index_dir.join(ALERTS_FILE);
    let file = crate::durable::read_json::<AlertsFile>(&path).map_err(state_error(&path))?;
    Ok(file.map_or_else(Vec::new, |file| file.alerts))
}

/// Reads the lines of an NDJSON log that parse as `T` (a torn last line,
/// left by a crash during an append, is skipped).
fn read_log<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, AlertError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(state_error(path)(e)),
    };
    let mut items = Vec::new();
    for line in std::io::BufReader::new(file).split(b'\n') {
        let line = line.map_err(state_error(path))?;
        if let Ok(item) = serde_json::from_slice::<T>(&line) {
            items.push(item);
        }
    }
    Ok(items)
}

impl AlertStore {
    /// Opens the alerts of the index in `index_dir` (none when it has none).
    pub fn open(index_dir: &Path) -> Result<AlertStore, AlertError> {
        let alerts = read_alerts(index_dir)?;
        let events_path = index_dir.join(EVENTS_FILE);
        let deliveries_path = index_dir.join(DELIVERIES_FILE);
        let mut events: HashMap<String, VecDeque<Event>> = alerts
            .iter()
            .map(|alert| (alert.id.clone(), VecDeque::new()))
            .collect();
        let mut next_event: HashMap<String, u64> =
            alerts.iter().map(|alert| (alert.id.clone(), 1)).collect();
        let (logged_events, events_lines, next_quote_ref) = read_events(&events_path)?;
        for event in logged_events {
            if let Some(list) = events.get_mut(&event.alert) {
                let next = next_event.entry(event.alert.clone()).or_insert(1);
                if event.id >= *next {
                    *next = event.id + 1;
                    list.push_back(event);
                }
            }
        }
        let mut deliveries: HashMap<String, VecDeque<Delivery>> = alerts
            .iter()
            .map(|alert| (alert.id.clone(), VecDeque::new()))
            .collect();
        let logged_deliveries: Vec<Delivery> = read_log(&deliveries_path)?;
        let deliveries_lines = logged_deliveries.len();
        let mut latest: HashMap<(String, u64), Delivery> = HashMap::new();
        for delivery in logged_deliveries {
            latest.insert((delivery.alert.clone(), delivery.event), delivery);
        }
        let mut folded: Vec<Delivery> = latest.into_values().collect();
        folded.sort_by_key(|delivery| delivery.event);
        for delivery in folded {
            if let Some(list) = deliveries.get_mut(&delivery.alert) {
                list.push_back(delivery);
            }
        }
        let (appended, _) = tokio::sync::watch::channel(0);
        let store = AlertStore {
            dir: index_dir.to_owned(),
            any: AtomicBool::new(!alerts.is_empty()),
            state: Mutex::new(State {
                alerts,
                version: 0,
                events,
                next_event,
                deliveries,
                events_log: AppendLog::new(events_path, events_lines),
                next_quote_ref,
                deliveries_log: AppendLog::new(deliveries_path, deliveries_lines),
            }),
            backlog: Backlog::open(index_dir)?,
            appended,
            wake: (Mutex::new(false), Condvar::new()),
        };
        {
            let mut state = store.lock();
            prune_events(&mut state, crate::feeds::now_secs());
            for list in state.deliveries.values_mut() {
                trim_deliveries(list);
            }
            compact(&mut state, true)?;
        }
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The index directory holding the alerts' files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether any alert exists.
    pub fn any(&self) -> bool {
        self.any.load(Ordering::Acquire)
    }

    /// Every alert, in the order they were created, and the version of that
    /// set (bumped by every change).
    pub fn alerts(&self) -> (Vec<Alert>, u64) {
        let state = self.lock();
        (state.alerts.clone(), state.version)
    }

    /// The version of the set of alerts (bumped by every change), without
    /// copying them.
    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// The alert with this id.
    pub fn get(&self, id: &str) -> Result<Alert, AlertError> {
        self.lock()
            .alerts
            .iter()
            .find(|alert| alert.id == id)
            .cloned()
            .ok_or_else(|| AlertError::NotFound(id.to_owned()))
    }

    /// Saves a new alert (its query validated by the caller) with a new id
    /// and secret.
    pub fn add(
        &self,
        name: &str,
        query: Value,
        webhook: Option<String>,
    ) -> Result<Alert, AlertError> {
        let mut added = self.add_many(vec![(name.to_owned(), query, webhook)])?;
        Ok(added.pop().expect("one alert added"))
    }

    /// Saves new alerts, each `(name, query, webhook)` (queries validated by
    /// the caller), with new ids and secrets, in one write of the alerts
    /// file: all are saved or none.
    pub fn add_many(
        &self,
        new: Vec<(String, Value, Option<String>)>,
    ) -> Result<Vec<Alert>, AlertError> {
        if new.is_empty() {
            return Ok(Vec::new());
        }
        let created = crate::feeds::now_secs();
        let added: Vec<Alert> = new
            .into_iter()
            .map(|(name, query, webhook)| Alert {
                id: random_hex(8),
                name,
                query,
                webhook,
                secret: random_hex(32),
                created,
            })
            .collect();
        let mut state = self.lock();
        let mut alerts = Vec::with_capacity(state.alerts.len() + added.len());
        alerts.extend(state.alerts.iter().cloned());
        alerts.extend(added.iter().cloned());
        self.save(&alerts)?;
        state.alerts = alerts;
        state.version += 1;
        for alert in &added {
            state.events.insert(alert.id.clone(), VecDeque::new());
            state.next_event.insert(alert.id.clone(), 1);
            state.deliveries.insert(alert.id.clone(), VecDeque::new());
        }
        self.any.store(true, Ordering::Release);
        Ok(added)
    }

    /// Deletes an alert with its events and deliveries.
    pub fn remove(&self, id: &str) -> Result<Alert, AlertError> {
        let mut state = self.lock();
        let position = state
            .alerts
            .iter()
            .position(|alert| alert.id == id)
            .ok_or_else(|| AlertError::NotFound(id.to_owned()))?;
        let mut alerts = state.alerts.clone();
        let removed = alerts.remove(position);
        self.save(&alerts)?;
        state.alerts = alerts;
        state.version += 1;
        state.events.remove(id);
        state.next_event.remove(id);
        state.deliveries.remove(id);
        self.any.store(!state.alerts.is_empty(), Ordering::Release);
        compact(&mut state, false)?;
        Ok(removed)
    }

    /// The batches committed and not matched yet.
    pub fn backlog(&self) -> &Backlog {
        &self.backlog
    }

    /// Whether the index in `index_dir` has saved alerts, read without
    /// opening their events and deliveries.
    pub fn any_saved(index_dir: &Path) -> Result<bool, AlertError> {
        Ok(!read_alerts(index_dir)?.is_empty())
    }

    /// Records the quotes each alert matched in one batch (in order) as
    /// events, durably, then wakes streams and the delivery thread.
    pub fn append_events<Q: Into<Arc<Value>>>(
        &self,
        matches: Vec<(String, Q)>,
    ) -> Result<Vec<Event>, AlertError> {
        if matches.is_empty() {
            return Ok(Vec::new());
        }
        let now = crate::feeds::now_secs();
        let now_ms = now_millis();
        let mut guard = self.lock();
        let state = &mut *guard;
        let mut events = Vec::with_capacity(matches.len());
        let mut deliveries = Vec::new();
        let webhooks: HashMap<&str, bool> = state
            .alerts
            .iter()
            .map(|alert| (alert.id.as_str(), alert.webhook.is_some()))
            .collect();
        for (alert_id, quote) in matches {
            let Some(&has_webhook) = webhooks.get(alert_id.as_str()) else {
                continue;
            };
            let next = state.next_event.entry(alert_id.clone()).or_insert(1);
            let event = Event {
                alert: alert_id,
                id: *next,
                time: now,
                quote: quote.into(),
            };
            *next += 1;
            if has_webhook {
                deliveries.push(Delivery {
                    alert: event.alert.clone(),
                    event: event.id,
                    status: DeliveryStatus::Pending,
                    attempts: 0,
                    last_status: None,
                    last_error: None,
                    last_attempt: None,
                    next_attempt: now_ms,
                });
            }
            events.push(event);
        }
        let mut next_quote_ref = state.next_quote_ref;
        let lines = event_log_lines(&events, &mut next_quote_ref);
        state.events_log.append(&lines)?;
        state.next_quote_ref = next_quote_ref;
        let lines: Vec<Vec<u8>> = deliveries.iter().map(to_line).collect();
        state.deliveries_log.append(&lines)?;
        for event in &events {
            match state.events.get_mut(&event.alert) {
                Some(list) => list.push_back(event.clone()),
                None => {
                    state
                        .events
                        .insert(event.alert.clone(), VecDeque::from([event.clone()]));
                }
            }
        }
        for delivery in deliveries {
            state
                .deliveries
                .entry(delivery.alert.clone())
                .or_default()
                .push_back(delivery);
        }
        prune_events(state, now);
        compact(state, false)?;
        drop(guard);
        self.appended
            .send_modify(|count| *count += events.len() as u64);
        self.wake_delivery();
        Ok(events)
    }

    /// The retained events of alert `id` after event `after`, at most `limit`.
    pub fn events_after(
        &self,
        id: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Event>, AlertError> {
        let state = self.lock();
        let list = state
            .events
            .get(id)
            .ok_or_else(|| AlertError::NotFound(id.to_owned()))?;
        let start = list.partition_point(|event| event.id <= after);
        Ok(list.range(start..).take(limit).cloned().collect())
    }

    /// The id of the last event of alert `id` (0 before the first).
    pub fn last_event_id(&self, id: &str) -> Result<u64, AlertError> {
        let state = self.lock();
        state
            .next_event
            .get(id)
            .map(|next| next - 1)
            .ok_or_else(|| AlertError::NotFound(id.to_owned()))
    }

    /// Changes whenever events are appended.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.appended.subscribe()
    }

    /// The deliveries of alert `id`, oldest event first: every pending one
    /// and the last finished ones.
    pub fn deliveries(&self, id: &str) -> Result<Vec<Delivery>, AlertError> {
        let state = self.lock();
        state
            .deliveries
            .get(id)
            .map(|list| list.iter().cloned().collect())
            .ok_or_else(|| AlertError::NotFound(id.to_owned()))
    }

    /// Pending deliveries due at `now_ms` with their alert and event (an
    /// event no longer kept is reported as `None`), and when the next one
    /// not yet due is.
    pub fn due_deliveries(&self, now_ms: i64) -> (Vec<DueDelivery>, Option<i64>) {
        let state = self.lock();
        let mut due = Vec::new();
        let mut next: Option<i64> = None;
        for alert in &state.alerts {
            let Some(list) = state.deliveries.get(&alert.id) else {
                continue;
            };
            for delivery in list.iter().filter(|d| d.status == DeliveryStatus::Pending) {
                if delivery.next_attempt <= now_ms {
                    let event = state.events.get(&alert.id).and_then(|events| {
                        let at = events.partition_point(|e| e.id < delivery.event);
                        events.get(at).filter(|e| e.id == delivery.event).cloned()
                    });
                    due.push((delivery.clone(), alert.clone(), event));
                } else {
                    next =
                        Some(next.map_or(delivery.next_attempt, |n| n.min(delivery.next_attempt)));
                }
            }
        }
        (due, next)
    }

    /// Records the outcome of one attempt: `Ok(status)` for a 2xx answer,
    /// else the answer's status (if any) and the error. Failed attempts are
    /// retried with exponential backoff until [`MAX_DELIVERY_ATTEMPTS`].
    pub fn record_attempt(
        &self,
        alert: &str,
        event: u64,
        outcome: Result<u16, (Option<u16>, String)>,
    ) -> Result<(), AlertError> {
        let now_ms = now_millis();
        let mut state = self.lock();
        let Some(list) = state.deliveries.get_mut(alert) else {
            return Ok(());
        };
        let Some(delivery) = list.iter_mut().find(|d| d.event == event) else {
            return Ok(());
        };
        delivery.attempts += 1;
        delivery.last_attempt = Some(now_ms);
        match outcome {
            Ok(status) => {
                delivery.status = DeliveryStatus::Delivered;
                delivery.last_status = Some(status);
                delivery.last_error = None;
            }
            Err((status, error)) => {
                delivery.last_status = status;
                delivery.last_error = Some(error);
                if delivery.attempts >= MAX_DELIVERY_ATTEMPTS {
                    delivery.status = DeliveryStatus::Failed;
                } else {
                    let backoff = FIRST_BACKOFF_MS
                        .saturating_mul(1 << (delivery.attempts - 1).min(20))
                        .min(MAX_BACKOFF_MS);
                    delivery.next_attempt = now_ms + backoff;
                }
            }
        }
        let line = to_line(&*delivery);
        trim_deliveries(list);
        state.deliveries_log.append(&[line])?;
        compact(&mut state, false)
    }

    /// Wakes the delivery thread (new events, or shutdown).
    pub fn wake_delivery(&self) {
        let (flag, condvar) = &self.wake;
        *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
        condvar.notify_all();
    }

    /// Waits until woken or `timeout` passed.
    pub fn wait_for_work(&self, timeout: std::time::Duration) {
        let (flag, condvar) = &self.wake;
        let mut woken = flag.lock().unwrap_or_else(|e| e.into_inner());
        if !*woken {
            woken = condvar
                .wait_timeout(woken, timeout)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        *woken = false;
    }

    fn save(&self, alerts: &[Alert]) -> Result<(), AlertError> {
        let path = self.dir.join(ALERTS_FILE);
        let file = AlertsFile {
            alerts: alerts.to_vec(),
        };
        crate::durable::replace_json(&path, &file).map_err(state_error(&path))
    }
}

fn to_line<T: Serialize>(item: &T) -> Vec<u8> {
    serde_json::to_vec(item).expect("alert state serialises")
}

/// The events log's lines for `events`: each quote (an `Arc` shared by the
/// events it fired) once, numbered from `next_quote_ref`, before the first
/// event referring to it.
fn event_log_lines(events: &[Event], next_quote_ref: &mut u64) -> Vec<Vec<u8>> {
    let mut refs: HashMap<*const Value, u64> = HashMap::new();
    let mut lines = Vec::with_capacity(events.len() + 16);
    for event in events {
        let quote_ref = match refs.get(&Arc::as_ptr(&event.quote)) {
            Some(quote_ref) => *quote_ref,
            None => {
                let quote_ref = *next_quote_ref;
                *next_quote_ref += 1;
                refs.insert(Arc::as_ptr(&event.quote), quote_ref);
                let mut line = format!("{{\"quote_ref\":{quote_ref},\"quote\":").into_bytes();
                line.extend_from_slice(&to_line(&event.quote));
                line.push(b'}');
                lines.push(line);
                quote_ref
            }
        };
        let mut line = Vec::with_capacity(event.alert.len() + 64);
        line.extend_from_slice(b"{\"alert\":");
        serde_json::to_writer(&mut line, &event.alert).expect("a string serialises");
        write!(
            line,
            ",\"id\":{},\"time\":{},\"quote_ref\":{quote_ref}}}",
            event.id, event.time
        )
        .expect("writing to a Vec does not fail");
        lines.push(line);
    }
    lines
}

/// One line of the events log.
#[derive(Deserialize)]
#[serde(untagged)]
enum EventLogLine {
    /// A quote, referred to by the events after it.
    Quote { quote_ref: u64, quote: Value },
    /// An event, its quote inline or referred to.
    Event {
        alert: String,
        id: u64,
        time: i64,
        #[serde(default)]
        quote: Option<Value>,
        #[serde(default)]
        quote_ref: Option<u64>,
    },
}

/// The events of the log at `path` (none when it does not exist), the
/// number of its lines, and the next free `quote_ref`. Unreadable lines (a
/// torn last line) and events whose quote is missing are skipped.
fn read_events(path: &Path) -> Result<(Vec<Event>, usize, u64), AlertError> {
    let mut quotes: HashMap<u64, Arc<Value>> = HashMap::new();
    let mut next_quote_ref = 0;
    let mut events = Vec::new();
    let lines: Vec<EventLogLine> = read_log(path)?;
    let count = lines.len();
    for line in lines {
        match line {
            EventLogLine::Quote { quote_ref, quote } => {
                next_quote_ref = next_quote_ref.max(quote_ref + 1);
                quotes.insert(quote_ref, Arc::new(quote));
            }
            EventLogLine::Event {
                alert,
                id,
                time,
                quote,
                quote_ref,
            } => {
                let quote = match (quote, quote_ref) {
                    (Some(quote), _) => Arc::new(quote),
                    (None, Some(quote_ref)) => match quotes.get(&quote_ref) {
                        Some(quote) => quote.clone(),
                        None => continue,
                    },
                    (None, None) => continue,
                };
                events.push(Event {
                    alert,
                    id,
                    time,
                    quote,
                });
            }
        }
    }
    Ok((events, count, next_quote_ref))
}

/// Drops events past both retention rules: older than a day and not among
/// the newest [`EVENTS_KEPT_PER_ALERT`].
fn prune_events(state: &mut State, now: i64) {
    for list in state.events.values_mut() {
        while list.len() > EVENTS_KEPT_PER_ALERT
            && list
                .front()
                .is_some_and(|event| event.time < now - EVENT_RETENTION_SECS)
        {
            list.pop_front();
        }
    }
}

/// Keeps every pending delivery and the newest finished ones.
fn trim_deliveries(list: &mut VecDeque<Delivery>) {
    let finished = list
        .iter()
        .filter(|d| d.status != DeliveryStatus::Pending)
        .count();
    let mut excess = finished.saturating_sub(DELIVERIES_KEPT_PER_ALERT);
    if excess > 0 {
        list.retain(|d| {
            if excess > 0 && d.status != DeliveryStatus::Pending {
                excess -= 1;
                false
            } else {
                true
            }
        });
    }
}

/// Rewrites a log from memory when it holds mostly stale lines (or always,
/// with `force`, when it holds any).
fn compact(state: &mut State, force: bool) -> Result<(), AlertError> {
    let live_events: usize = state.events.values().map(VecDeque::len).sum();
    let live_lines = || {
        let quotes: std::collections::HashSet<*const Value> = state
            .events
            .values()
            .flat_map(|list| list.iter().map(|event| Arc::as_ptr(&event.quote)))
            .collect();
        live_events + quotes.len()
    };
    if state.events_log.lines > 2 * live_events + 10_000
        || (force && state.events_log.lines > live_lines())
    {
        let mut live = Vec::with_capacity(live_events);
        for alert in &state.alerts {
            if let Some(list) = state.events.get(&alert.id) {
                live.extend(list.iter().cloned());
            }
        }
        let mut next_quote_ref = 0;
        let lines = event_log_lines(&live, &mut next_quote_ref);
        state.events_log.rewrite(&lines)?;
        state.next_quote_ref = next_quote_ref;
    }
    let live_deliveries: usize = state.deliveries.values().map(VecDeque::len).sum();
    if state.deliveries_log.lines > 2 * live_deliveries + 10_000
        || (force && state.deliveries_log.lines > live_deliveries)
    {
        let mut lines = Vec::with_capacity(live_deliveries);
        for alert in &state.alerts {
            if let Some(list) = state.deliveries.get(&alert.id) {
                lines.extend(list.iter().map(to_line));
            }
        }
        state.deliveries_log.rewrite(&lines)?;
    }
    Ok(())
}

/// Replaces the file at `path` with `bytes` ([`crate::durable::replace_file`]).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AlertError> {
    crate::durable::replace_file(path, bytes).map_err(state_error(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::StoreDir;

    #[test]
    fn alerts_events_and_deliveries_survive_reopening() {
        let dir = StoreDir::new(AlertStore::open);
        let store = dir.open();
        assert!(!store.any());
        let alert = store
            .add(
                "taiwan",
                serde_json::json!({"q": "taiwan"}),
                Some("http://x/".into()),
            )
            .unwrap();
        let quiet = store.add("quiet", serde_json::json!({}), None).unwrap();
        assert_eq!(alert.secret.len(), 64);
        let events = store
            .append_events(vec![
                (alert.id.clone(), serde_json::json!({"quote": "a"})),
                (alert.id.clone(), serde_json::json!({"quote": "b"})),
                (quiet.id.clone(), serde_json::json!({"quote": "c"})),
            ])
            .unwrap();
        assert_eq!(
            events.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![1, 2, 1]
        );
        let (due, _) = store.due_deliveries(now_millis());
        assert_eq!(due.len(), 2, "only the alert with a webhook delivers");
        store.record_attempt(&alert.id, 1, Ok(200)).unwrap();
        store
            .record_attempt(&alert.id, 2, Err((Some(500), "HTTP 500".into())))
            .unwrap();
        drop(store);

        let reopened = dir.open();
        assert!(reopened.any());
        let after_one = reopened.events_after(&alert.id, 1, 100).unwrap();
        assert_eq!(after_one.len(), 1);
        assert_eq!(after_one[0].quote["quote"], "b");
        assert_eq!(reopened.last_event_id(&alert.id).unwrap(), 2);
        let deliveries = reopened.deliveries(&alert.id).unwrap();
        assert_eq!(deliveries[0].status, DeliveryStatus::Delivered);
        assert_eq!(deliveries[1].status, DeliveryStatus::Pending);
        assert_eq!(deliveries[1].attempts, 1);
        assert!(deliveries[1].next_attempt > deliveries[1].last_attempt.unwrap());
        let next = reopened
            .append_events(vec![(alert.id.clone(), serde_json::json!({"quote": "d"}))])
            .unwrap();
        assert_eq!(next[0].id, 3, "ids go on after a restart");
        reopened.remove(&alert.id).unwrap();
        assert!(matches!(
            reopened.events_after(&alert.id, 0, 10),
            Err(AlertError::NotFound(_))
        ));
        let again = dir.open();
        assert_eq!(again.alerts().0.len(), 1);
    }

    #[test]
    fn many_alerts_are_added_in_one_write_and_survive_reopening() {
        let dir = StoreDir::new(AlertStore::open);
        let store = dir.open();
        store.add("first", serde_json::json!({}), None).unwrap();
        let (_, version) = store.alerts();
        let added = store
            .add_many(
                (0..500)
                    .map(|i| (format!("alert {i}"), serde_json::json!({"q": "tax"}), None))
                    .collect(),
            )
            .unwrap();
        assert_eq!(added.len(), 500);
        let (alerts, after) = store.alerts();
        assert_eq!(alerts.len(), 501);
        assert_eq!(after, version + 1, "one change of the set");
        assert_eq!(alerts[500].name, "alert 499", "kept in the order given");
        let events = store
            .append_events(vec![(
                added[7].id.clone(),
                serde_json::json!({"quote": "a"}),
            )])
            .unwrap();
        assert_eq!(events[0].id, 1);
        assert!(store.add_many(Vec::new()).unwrap().is_empty());
        drop(store);
        let reopened = dir.open();
        assert_eq!(reopened.alerts().0, alerts);
    }

    #[test]
    fn a_quote_fired_by_many_alerts_is_logged_once_and_old_inline_lines_still_read() {
        let dir = StoreDir::new(AlertStore::open);
        let store = dir.open();
        let first = store.add("one", serde_json::json!({}), None).unwrap();
        let second = store.add("two", serde_json::json!({}), None).unwrap();
        let quote = Arc::new(serde_json::json!({"quote": "x \u{e9}\n\"", "n": [1, 2]}));
        store
            .append_events(vec![
                (first.id.clone(), quote.clone()),
                (second.id.clone(), quote.clone()),
            ])
            .unwrap();
        let log = std::fs::read_to_string(dir.path().join(EVENTS_FILE)).unwrap();
        assert_eq!(log.matches("\"n\":[1,2]").count(), 1, "{log}");
        // A line an earlier version wrote, with the quote inline.
        let inline = Event {
            alert: first.id.clone(),
            id: 2,
            time: 1_700_000_000,
            quote: Arc::new(serde_json::json!({"quote": "inline"})),
        };
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join(EVENTS_FILE))
            .unwrap();
        file.write_all(&to_line(&inline)).unwrap();
        file.write_all(b"\n").unwrap();
        drop(file);
        drop(store);
        let reopened = dir.open();
        let events = reopened.events_after(&first.id, 0, 10).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].quote, quote);
        assert_eq!(events[1].quote.as_ref(), inline.quote.as_ref());
        let events = reopened.events_after(&second.id, 0, 10).unwrap();
        assert_eq!(events[0].quote, quote);
        // Written again from memory: still once.
        let log = std::fs::read_to_string(dir.path().join(EVENTS_FILE)).unwrap();
        assert_eq!(log.matches("\"n\":[1,2]").count(), 1, "{log}");
        assert_eq!(reopened.last_event_id(&first.id).unwrap(), 2);
    }
}
