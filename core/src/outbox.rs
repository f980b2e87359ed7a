//! Delivery of completed inspections, as a pure state machine: the stored outbox and the
//! clock decide what to do next ([`Outbox::next`]); a small runner in the app performs it
//! and reports the [`Attempt`] back. Retries, back-off, auth pauses and "never delete before
//! a receipt" are therefore tested here, in memory, without a network.
//!
//! The rules (docs/protocol.md): delivered means 200/201/202 **and** a JSON receipt naming
//! the same inspection; 409 is a conflict, kept and shown; 401/403 pause sending until the
//! settings change; 413 is too large; other 4xx are rejected with the server's message;
//! 5xx, time-outs and network errors are retried with exponential back-off.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::payload::Receipt;

/// The longest wait between two tries: a phone back in signal should not wait long.
pub const MAX_BACKOFF_MS: u64 = 300_000;

/// Wait after the n-th failed try: 2^n − 1 seconds (1, 3, 7, 15 …), at most five minutes.
pub fn backoff_ms(tries: u32) -> u64 {
    let seconds = (1u64 << tries.min(20)) - 1;
    (seconds * 1000).min(MAX_BACKOFF_MS)
}

/// Where one record stands. Stored externally tagged (`"queued"`, `{"failed": {…}}`): an
/// internally tagged enum makes serde buffer through generic code, 6 KB of brotli in the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Queued,
    /// A send is under way. A reload during it leaves this behind; the record is then simply
    /// sent again ([`Outbox::recover_interrupted`]): the receiver is idempotent by id.
    Sending { since: u64 },
    Delivered { at: u64, receipt: Receipt },
    /// Not delivered yet; tried again at `next_try`, or at once on "send now" or `online`.
    Failed { reason: String, next_try: u64 },
    /// The receiver holds different content under the same id. Kept; needs a person.
    Conflict { message: String },
    /// Refused by the receiver for good (a 4xx other than 401/403/409/413). Kept.
    Rejected { status: u16, message: String },
    /// The receiver's size limit is below this record. Kept.
    TooLarge,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRecord {
    pub id: Uuid,
    pub queued_at: u64,
    /// Tries that ended without a delivery.
    pub tries: u32,
    pub delivery: Delivery,
}

impl OutboxRecord {
    pub fn is_delivered(&self) -> bool {
        matches!(self.delivery, Delivery::Delivered { .. })
    }
}

/// What the runner should do now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    Send(Uuid),
    /// Nothing is due before this time (milliseconds since the epoch).
    WaitUntil(u64),
    /// Nothing to send, or sending is paused or already under way.
    Idle,
}

/// How one try ended, as the transport saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    Response { status: u16, content_type: Option<String>, body: String },
    Timeout,
    NetworkError(String),
}

/// What a try means for the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered(Receipt),
    Retry(String),
    AuthFailed(String),
    Conflict(String),
    TooLarge,
    Rejected { status: u16, message: String },
}

/// Reads a response. Only a JSON receipt naming the same inspection counts as delivered:
/// a 200 HTML page from a captive portal or proxy is a failure, and is retried.
pub fn classify(id: Uuid, attempt: &Attempt) -> Outcome {
    let (status, content_type, body) = match attempt {
        Attempt::Timeout => return Outcome::Retry("timed out".into()),
        Attempt::NetworkError(why) => return Outcome::Retry(format!("network error: {why}")),
        Attempt::Response { status, content_type, body } => (*status, content_type.as_deref(), body.as_str()),
    };
    let message = || server_message(body);
    match status {
        200 | 201 | 202 => {
            let is_json = content_type.is_some_and(|c| c.to_ascii_lowercase().contains("json"));
            if !is_json {
                return Outcome::Retry(format!(
                    "answered {status} with {}, not a receipt (a captive portal or proxy?)",
                    content_type.unwrap_or("no content type")
                ));
            }
            match serde_json::from_str::<Receipt>(body) {
                Ok(receipt) if receipt.id == id => Outcome::Delivered(receipt),
                Ok(receipt) => Outcome::Retry(format!("receipt names another inspection ({})", receipt.id)),
                Err(e) => Outcome::Retry(format!("answered {status} without a valid receipt ({e})")),
            }
        }
        401 | 403 => Outcome::AuthFailed(message()),
        409 => Outcome::Conflict(message()),
        413 => Outcome::TooLarge,
        408 | 425 | 429 => Outcome::Retry(format!("{status}: {}", message())),
        400..=499 => Outcome::Rejected { status, message: message() },
        _ => Outcome::Retry(format!("{status}: {}", message())),
    }
}

/// The server's explanation: `{"error": "..."}` when it sends one, else the start of the body.
fn server_message(body: &str) -> String {
    #[derive(Deserialize)]
    struct ErrorBody {
        error: String,
    }
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(e) => e.error,
        Err(_) => body.trim().chars().take(200).collect(),
    }
}

/// Every completed inspection and where its delivery stands. Records are never removed:
/// a delivered one stays viewable, and nothing else may be dropped before a receipt.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub records: Vec<OutboxRecord>,
    /// Set by a 401/403 with the server's message; cleared when the settings change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_paused: Option<String>,
}

impl Outbox {
    /// Queues a completed inspection once; queuing it again changes nothing.
    pub fn enqueue(&mut self, id: Uuid, now: u64) {
        if self.record(id).is_none() {
            self.records.push(OutboxRecord { id, queued_at: now, tries: 0, delivery: Delivery::Queued });
        }
    }

    pub fn record(&self, id: Uuid) -> Option<&OutboxRecord> {
        self.records.iter().find(|r| r.id == id)
    }

    /// Records not delivered yet, whatever their state: the count Home shows.
    pub fn unsent(&self) -> usize {
        self.records.iter().filter(|r| !r.is_delivered()).count()
    }

    /// One record at a time, oldest first; a failed one only when its wait is over.
    pub fn next(&self, now: u64) -> Next {
        if self.auth_paused.is_some() || self.records.iter().any(|r| matches!(r.delivery, Delivery::Sending { .. })) {
            return Next::Idle;
        }
        let due = self
            .records
            .iter()
            .filter(|r| match r.delivery {
                Delivery::Queued => true,
                Delivery::Failed { next_try, .. } => next_try <= now,
                _ => false,
            })
            .min_by_key(|r| r.queued_at);
        if let Some(record) = due {
            return Next::Send(record.id);
        }
        self.records
            .iter()
            .filter_map(|r| match r.delivery {
                Delivery::Failed { next_try, .. } => Some(next_try),
                _ => None,
            })
            .min()
            .map_or(Next::Idle, Next::WaitUntil)
    }

    pub fn start_sending(&mut self, id: Uuid, now: u64) {
        if let Some(record) = self.record_mut(id) {
            record.delivery = Delivery::Sending { since: now };
        }
    }

    /// Applies how a try ended.
    pub fn finish(&mut self, id: Uuid, outcome: Outcome, now: u64) {
        if let Outcome::AuthFailed(message) = &outcome {
            self.auth_paused = Some(message.clone());
        }
        let Some(record) = self.record_mut(id) else { return };
        if record.is_delivered() {
            return; // a late answer never undoes a receipt
        }
        record.delivery = match outcome {
            Outcome::Delivered(receipt) => Delivery::Delivered { at: now, receipt },
            Outcome::Retry(reason) => {
                record.tries += 1;
                Delivery::Failed { reason, next_try: now + backoff_ms(record.tries) }
            }
            Outcome::AuthFailed(_) => {
                record.tries += 1;
                Delivery::Queued
            }
            Outcome::Conflict(message) => Delivery::Conflict { message },
            Outcome::TooLarge => Delivery::TooLarge,
            Outcome::Rejected { status, message } => Delivery::Rejected { status, message },
        };
    }

    /// "Send now", the `online` event and app start: failed records are due at once.
    pub fn retry_now(&mut self, now: u64) {
        for record in &mut self.records {
            if let Delivery::Failed { next_try, .. } = &mut record.delivery {
                *next_try = now;
            }
        }
    }

    /// The endpoint or token changed: an auth pause is over.
    pub fn settings_changed(&mut self) {
        self.auth_paused = None;
    }

    /// Queues every completed inspection the outbox does not know: after a lost or unreadable
    /// outbox, or a crash between completing and queuing. A resend is harmless (idempotent).
    pub fn reconcile(&mut self, completed: impl IntoIterator<Item = (Uuid, u64)>) {
        for (id, completed_at) in completed {
            self.enqueue(id, completed_at);
        }
    }

    /// At start: a send cut off by a reload or a killed tab is queued again.
    pub fn recover_interrupted(&mut self) {
        for record in &mut self.records {
            if matches!(record.delivery, Delivery::Sending { .. }) {
                record.delivery = Delivery::Queued;
            }
        }
    }

    fn record_mut(&mut self, id: Uuid) -> Option<&mut OutboxRecord> {
        self.records.iter_mut().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::ReceiptStatus;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn json(status: u16, body: &str) -> Attempt {
        Attempt::Response { status, content_type: Some("application/json".into()), body: body.into() }
    }

    fn receipt_body(n: u128, status: &str) -> String {
        format!(r#"{{"id":"{}","status":"{status}","received_at":5}}"#, id(n))
    }

    #[test]
    fn backoff_doubles_and_is_capped_at_five_minutes() {
        let waits: Vec<u64> = (1..=10).map(backoff_ms).collect();
        assert_eq!(&waits[..5], &[1_000, 3_000, 7_000, 15_000, 31_000]);
        assert_eq!(backoff_ms(9), 300_000);
        assert_eq!(backoff_ms(100), MAX_BACKOFF_MS);
    }

    #[test]
    fn a_json_receipt_for_the_same_inspection_is_delivered() {
        for status in [200, 201, 202] {
            let outcome = classify(id(1), &json(status, &receipt_body(1, "stored")));
            assert_eq!(
                outcome,
                Outcome::Delivered(Receipt { id: id(1), status: ReceiptStatus::Stored, received_at: 5 }),
                "{status}"
            );
        }
        assert!(matches!(classify(id(1), &json(200, &receipt_body(1, "duplicate"))), Outcome::Delivered(_)));
    }

    #[test]
    fn a_captive_portal_page_or_a_foreign_receipt_is_not_delivered() {
        let portal = Attempt::Response { status: 200, content_type: Some("text/html".into()), body: "<html>Login</html>".into() };
        assert!(matches!(classify(id(1), &portal), Outcome::Retry(why) if why.contains("captive portal")));
        let untyped = Attempt::Response { status: 201, content_type: None, body: receipt_body(1, "stored") };
        assert!(matches!(classify(id(1), &untyped), Outcome::Retry(_)));
        assert!(matches!(classify(id(1), &json(201, &receipt_body(2, "stored"))), Outcome::Retry(why) if why.contains("another")));
        assert!(matches!(classify(id(1), &json(200, "{}")), Outcome::Retry(_)));
        assert!(matches!(classify(id(1), &json(200, "")), Outcome::Retry(_)));
    }

    #[test]
    fn each_response_class_means_what_the_protocol_says() {
        assert_eq!(classify(id(1), &json(401, r#"{"error":"bad token"}"#)), Outcome::AuthFailed("bad token".into()));
        assert!(matches!(classify(id(1), &json(403, "forbidden")), Outcome::AuthFailed(m) if m == "forbidden"));
        assert_eq!(classify(id(1), &json(409, r#"{"error":"different content"}"#)), Outcome::Conflict("different content".into()));
        assert_eq!(classify(id(1), &json(413, "")), Outcome::TooLarge);
        assert_eq!(
            classify(id(1), &json(400, r#"{"error":"inspection.site: missing field `name`"}"#)),
            Outcome::Rejected { status: 400, message: "inspection.site: missing field `name`".into() }
        );
        assert!(matches!(classify(id(1), &json(422, "nope")), Outcome::Rejected { status: 422, .. }));
        for retried in [500, 502, 503, 504, 408, 429, 302] {
            assert!(matches!(classify(id(1), &json(retried, "")), Outcome::Retry(_)), "{retried}");
        }
        assert!(matches!(classify(id(1), &Attempt::Timeout), Outcome::Retry(_)));
        assert!(matches!(classify(id(1), &Attempt::NetworkError("reset".into())), Outcome::Retry(m) if m.contains("reset")));
    }

    #[test]
    fn one_record_at_a_time_oldest_first() {
        let mut outbox = Outbox::default();
        assert_eq!(outbox.next(0), Next::Idle);
        outbox.enqueue(id(2), 20);
        outbox.enqueue(id(1), 10);
        outbox.enqueue(id(2), 30); // queued twice: still one record
        assert_eq!(outbox.records.len(), 2);
        assert_eq!(outbox.next(40), Next::Send(id(1)));
        outbox.start_sending(id(1), 40);
        assert_eq!(outbox.next(41), Next::Idle, "nothing else while one is in flight");
        outbox.finish(id(1), Outcome::Delivered(Receipt { id: id(1), status: ReceiptStatus::Stored, received_at: 41 }), 41);
        assert_eq!(outbox.next(42), Next::Send(id(2)));
        assert_eq!(outbox.unsent(), 1);
    }

    #[test]
    fn failures_wait_with_backoff_and_send_now_skips_the_wait() {
        let mut outbox = Outbox::default();
        outbox.enqueue(id(1), 0);
        outbox.start_sending(id(1), 0);
        outbox.finish(id(1), classify(id(1), &json(503, "")), 1_000);
        assert_eq!(outbox.next(1_500), Next::WaitUntil(2_000));
        assert_eq!(outbox.next(2_000), Next::Send(id(1)));
        outbox.start_sending(id(1), 2_000);
        outbox.finish(id(1), classify(id(1), &Attempt::Timeout), 2_000);
        assert_eq!(outbox.next(2_001), Next::WaitUntil(5_000));
        assert_eq!(outbox.record(id(1)).map(|r| r.tries), Some(2));
        outbox.retry_now(2_500);
        assert_eq!(outbox.next(2_500), Next::Send(id(1)));
    }

    #[test]
    fn auth_failure_pauses_everything_until_the_settings_change() {
        let mut outbox = Outbox::default();
        outbox.enqueue(id(1), 0);
        outbox.enqueue(id(2), 1);
        outbox.start_sending(id(1), 5);
        outbox.finish(id(1), classify(id(1), &json(401, r#"{"error":"token expired"}"#)), 6);
        assert_eq!(outbox.auth_paused.as_deref(), Some("token expired"));
        assert_eq!(outbox.next(1_000_000), Next::Idle);
        assert_eq!(outbox.record(id(1)).map(|r| &r.delivery), Some(&Delivery::Queued));
        outbox.settings_changed();
        assert_eq!(outbox.next(7), Next::Send(id(1)));
    }

    #[test]
    fn conflict_too_large_and_rejected_are_kept_and_not_retried() {
        let mut outbox = Outbox::default();
        for n in 1..=3 {
            outbox.enqueue(id(n), n as u64);
        }
        outbox.finish(id(1), classify(id(1), &json(409, "different")), 10);
        outbox.finish(id(2), classify(id(2), &json(413, "")), 10);
        outbox.finish(id(3), classify(id(3), &json(400, "bad field")), 10);
        outbox.retry_now(11);
        assert_eq!(outbox.next(u64::MAX), Next::Idle);
        assert_eq!(outbox.records.len(), 3);
        assert_eq!(outbox.unsent(), 3);
        assert!(matches!(outbox.record(id(1)).map(|r| &r.delivery), Some(Delivery::Conflict { .. })));
        assert_eq!(outbox.record(id(2)).map(|r| &r.delivery), Some(&Delivery::TooLarge));
    }

    #[test]
    fn an_interrupted_send_is_queued_again_at_start() {
        let mut outbox = Outbox::default();
        outbox.enqueue(id(1), 0);
        outbox.start_sending(id(1), 5);
        let stored = serde_json::to_string(&outbox).unwrap();
        let mut reloaded: Outbox = serde_json::from_str(&stored).unwrap();
        assert_eq!(reloaded.next(6), Next::Idle);
        reloaded.recover_interrupted();
        assert_eq!(reloaded.next(6), Next::Send(id(1)));
    }

    #[test]
    fn reconcile_queues_completed_inspections_the_outbox_lost() {
        let mut outbox = Outbox::default();
        outbox.enqueue(id(1), 1);
        outbox.finish(id(1), Outcome::Delivered(Receipt { id: id(1), status: ReceiptStatus::Stored, received_at: 2 }), 2);
        outbox.reconcile([(id(1), 1), (id(2), 5)]);
        assert_eq!(outbox.records.len(), 2);
        assert!(outbox.record(id(1)).is_some_and(OutboxRecord::is_delivered), "a delivered record stays delivered");
        assert_eq!(outbox.next(6), Next::Send(id(2)));
    }

    #[test]
    fn a_late_failure_never_undoes_a_receipt() {
        let mut outbox = Outbox::default();
        outbox.enqueue(id(1), 0);
        let receipt = Receipt { id: id(1), status: ReceiptStatus::Stored, received_at: 1 };
        outbox.finish(id(1), Outcome::Delivered(receipt.clone()), 1);
        outbox.finish(id(1), Outcome::Retry("late".into()), 2);
        assert_eq!(outbox.record(id(1)).map(|r| &r.delivery), Some(&Delivery::Delivered { at: 1, receipt }));
    }

    #[test]
    fn no_sequence_of_outcomes_removes_a_record() {
        // Every outcome applied to every record in many orders: the outbox never shrinks, and
        // a record leaves the unsent count only through a receipt.
        let outcomes = [
            Outcome::Retry("x".into()),
            Outcome::AuthFailed("x".into()),
            Outcome::Conflict("x".into()),
            Outcome::TooLarge,
            Outcome::Rejected { status: 400, message: "x".into() },
        ];
        let mut seed: u64 = 42;
        let mut outbox = Outbox::default();
        for n in 0..8 {
            outbox.enqueue(id(n), n as u64);
        }
        for step in 0..2_000u64 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let target = id(((seed >> 33) % 8) as u128);
            match (seed >> 40) % 4 {
                0 => outbox.retry_now(step),
                1 => outbox.settings_changed(),
                2 => outbox.recover_interrupted(),
                _ => outbox.finish(target, outcomes[((seed >> 50) % 5) as usize].clone(), step),
            }
            assert_eq!(outbox.records.len(), 8);
            assert_eq!(outbox.unsent(), 8, "no receipt, so nothing is delivered");
        }
    }
}
