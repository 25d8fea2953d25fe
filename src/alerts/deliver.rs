//! Webhook delivery, on a thread of its own so that ingest never waits for
//! a webhook.
//!
//! Each event of an alert with a webhook is `POST`ed as JSON
//! ([`delivery_body`]) with `X-Verbatim-Signature: sha256=<hex>`, the
//! HMAC-SHA256 of the body under the alert's secret ([`signature`]), plus
//! `X-Verbatim-Alert`, `X-Verbatim-Event` and `X-Verbatim-Attempt`. The
//! request goes through [`crate::fetch::Fetcher::post_json`], so the
//! webhook's resolved address must pass the public-address rule at every
//! attempt, and redirects are not followed. A 2xx answer delivers; anything
//! else is retried after 1 s, 2 s, 4 s, ... (at most an hour apart) until
//! [`super::MAX_DELIVERY_ATTEMPTS`]. A delivery is marked delivered only
//! after the answer, so a crash in between sends it again after a restart:
//! delivery is at least once, and receivers deduplicate by event id.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::{now_millis, Alert, AlertStore, Event};
use crate::fetch::{FetchError, Fetcher};

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Verbatim-Signature";
/// Longest the thread sleeps without looking for due deliveries.
const IDLE_WAIT: Duration = Duration::from_secs(1);

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret` (the alert's
/// secret as given: its 64 hex characters are the key's bytes as text).
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("sha256={hex}")
}

/// The JSON body delivered for `event` of `alert`.
pub fn delivery_body(alert: &Alert, event: &Event) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "alert": alert.id,
        "alert_name": alert.name,
        "event": event.id,
        "time": rfc3339(event.time),
        "quote": event.quote,
    }))
    .expect("a delivery serialises")
}

/// Unix seconds as RFC 3339.
pub fn rfc3339(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Stops the delivery thread.
#[derive(Debug, Clone)]
pub struct DeliveryHandle {
    stop: Arc<AtomicBool>,
    alerts: Arc<AlertStore>,
}

impl DeliveryHandle {
    /// Asks the thread to stop after the delivery in progress.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Release);
        self.alerts.wake_delivery();
    }
}

/// Starts the delivery thread: pending deliveries (those left by an earlier
/// run included) are sent as they fall due.
pub fn spawn(alerts: Arc<AlertStore>, fetcher: Arc<Fetcher>) -> DeliveryHandle {
    let stop = Arc::new(AtomicBool::new(false));
    let handle = DeliveryHandle {
        stop: stop.clone(),
        alerts: alerts.clone(),
    };
    std::thread::Builder::new()
        .name("verbatim-webhooks".to_owned())
        .spawn(move || run(&alerts, &fetcher, &stop))
        .expect("the webhook delivery thread starts");
    handle
}

fn run(alerts: &AlertStore, fetcher: &Fetcher, stop: &AtomicBool) {
    while !stop.load(Ordering::Acquire) {
        let (due, next) = alerts.due_deliveries(now_millis());
        for (delivery, alert, event) in due {
            if stop.load(Ordering::Acquire) {
                return;
            }
            let outcome = match (&alert.webhook, event) {
                (Some(webhook), Some(event)) => {
                    attempt(fetcher, webhook, &alert, &event, delivery.attempts + 1)
                }
                (None, _) => Err((None, "the alert has no webhook".to_owned())),
                (_, None) => Err((None, "the event is no longer kept".to_owned())),
            };
            if let Err((_, error)) = &outcome {
                tracing::warn!(alert = %alert.id, event = delivery.event, %error, "webhook delivery failed");
            }
            if let Err(error) = alerts.record_attempt(&alert.id, delivery.event, outcome) {
                tracing::error!(%error, "a webhook delivery could not be recorded");
            }
        }
        let wait = next
            .map(|at| Duration::from_millis((at - now_millis()).clamp(1, 1000) as u64))
            .unwrap_or(IDLE_WAIT);
        alerts.wait_for_work(wait);
    }
}

/// One attempt: `Ok(status)` for a 2xx answer, else the status (if any)
/// and what went wrong.
fn attempt(
    fetcher: &Fetcher,
    webhook: &str,
    alert: &Alert,
    event: &Event,
    number: u32,
) -> Result<u16, (Option<u16>, String)> {
    let body = delivery_body(alert, event);
    let signature = signature(&alert.secret, &body);
    let event_id = event.id.to_string();
    let attempt = number.to_string();
    let headers = [
        (SIGNATURE_HEADER, signature.as_str()),
        ("X-Verbatim-Alert", alert.id.as_str()),
        ("X-Verbatim-Event", event_id.as_str()),
        ("X-Verbatim-Attempt", attempt.as_str()),
    ];
    fetcher
        .post_json(webhook, &body, &headers)
        .map_err(|error| {
            let status = match &error {
                FetchError::Status { status, .. } => Some(*status),
                _ => None,
            };
            (status, error.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_in_hex() {
        // RFC 4231 test case 2.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let expected: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            expected,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            format!("sha256={expected}")
        );
    }
}
