//! Delivery of completed inspections, as a pure state machine: the stored outbox and the
//! clock decide what to do next ([`Outbox::next_step`]); a small runner in the app performs it and reports the
//! [`Attempt`] back. Retries, back-off, auth pauses and "never delete before a receipt" are
//! therefore tested here, in memory, without a network.
//!
//! The rules (docs/protocol.md): delivered means 200/201/202 **and** a JSON receipt naming
//! the same inspection; 409 is a conflict, kept and shown; 401/403 pause sending until the
//! settings change; 413 is too large; other 4xx are rejected with the server's message;
//! 5xx, time-outs and network errors are retried with exponential back-off.
//!
//! An inspection with attachments (photos, signatures) is delivered in parts: the record
//! first, then each attachment in order, one request at a time. It counts as delivered only
//! when the record **and** every attachment are acknowledged; each acknowledgement is kept
//! ([`OutboxRecord::record_receipt`], [`AttachmentDelivery::acked`]), so after an
//! interruption only what is missing is sent. An attachment's answer follows the same rules
//! as the record's ([`classify_attachment`], [`Outbox::finish_attachment`]).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::delivery::payload::AttachmentReceipt;
use crate::delivery::payload::Receipt;

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
    /// Waiting for its turn: the record, or (once the record has its receipt) the next
    /// attachment.
    Queued,
    /// A send is under way (the record's or an attachment's). A reload during it leaves this
    /// behind; that part is then simply sent again ([`Outbox::recover_interrupted`]): the
    /// receiver is idempotent by id.
    Sending { since: u64 },
    /// The record and every attachment are acknowledged; `at` is when the last part was,
    /// `receipt` is the record's.
    Delivered { at: u64, receipt: Receipt },
    /// Not delivered yet; tried again at `next_try`, or at once on "send now" or `online`.
    Failed { reason: String, next_try: u64 },
    /// The receiver holds different content under the same id. Kept; needs a person.
    Conflict { message: String },
    /// Refused by the receiver for good (a 4xx other than 401/403/409/413). Kept.
    Rejected { status: u16, message: String },
    /// The receiver's size limit is below this record (or one of its attachments). Kept.
    TooLarge,
}

/// One attachment of a record, and whether the receiver has acknowledged it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentDelivery {
    pub id: Uuid,
    pub acked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRecord {
    pub id: Uuid,
    pub queued_at: u64,
    /// Tries that ended without a delivery; back to 0 whenever a part is acknowledged.
    pub tries: u32,
    /// Where the whole inspection stands. A conflict, rejection or size refusal of an
    /// attachment is the record's too: the inspection is not delivered.
    pub delivery: Delivery,
    /// The record's receipt while attachments are still missing (then the record is not
    /// sent again); moved into [`Delivery::Delivered`] when the last one is acknowledged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_receipt: Option<Receipt>,
    /// The inspection's attachments, in upload order. Absent (empty) for records without.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentDelivery>,
}

impl OutboxRecord {
    /// The record and every attachment are acknowledged.
    pub fn is_delivered(&self) -> bool {
        matches!(self.delivery, Delivery::Delivered { .. })
    }

    /// The record itself has a receipt (the whole inspection may still miss attachments).
    pub fn record_acknowledged(&self) -> bool {
        self.is_delivered() || self.record_receipt.is_some()
    }

    /// The first attachment not acknowledged yet: the next one to send, or the one whose
    /// failure the delivery state describes.
    pub fn pending_attachment(&self) -> Option<Uuid> {
        self.attachments.iter().find(|a| !a.acked).map(|a| a.id)
    }

    /// Attachments acknowledged, out of all: for "2 of 5 photos sent".
    pub fn attachment_progress(&self) -> (usize, usize) {
        (self.attachments.iter().filter(|a| a.acked).count(), self.attachments.len())
    }

    /// What to send when this record is due.
    fn step(&self) -> Step {
        if self.record_receipt.is_none() {
            return Step::SendRecord(self.id);
        }
        match self.pending_attachment() {
            Some(attachment) => Step::SendAttachment(self.id, attachment),
            None => Step::SendRecord(self.id), // not reached: settle() delivers it
        }
    }

    /// After an acknowledgement: delivered when the record and every attachment are;
    /// otherwise queued for the next part, with a fresh count of tries.
    fn settle(&mut self, now: u64) {
        if self.record_receipt.is_some() && self.attachments.iter().all(|a| a.acked) {
            if let Some(receipt) = self.record_receipt.take() {
                self.delivery = Delivery::Delivered { at: now, receipt };
            }
        } else {
            self.tries = 0;
            self.delivery = Delivery::Queued;
        }
    }

    /// A try of any part that ended without an acknowledgement.
    fn fail(&mut self, outcome: Outcome, now: u64) {
        self.delivery = match outcome {
            Outcome::Delivered(_) => return,
            Outcome::Retry(reason) => {
                self.tries += 1;
                Delivery::Failed { reason, next_try: now + backoff_ms(self.tries) }
            }
            Outcome::AuthFailed(_) => {
                self.tries += 1;
                Delivery::Queued
            }
            Outcome::Conflict(message) => Delivery::Conflict { message },
            Outcome::TooLarge => Delivery::TooLarge,
            Outcome::Rejected { status, message } => Delivery::Rejected { status, message },
        };
    }

    /// Adds the attachments this record does not list yet, in the order given. A delivered
    /// record that gains one is delivered no more: it goes back to sending what is missing,
    /// keeping its record receipt.
    fn add_attachments(&mut self, attachments: impl IntoIterator<Item = Uuid>) {
        let before = self.attachments.len();
        for id in attachments {
            if !self.attachments.iter().any(|a| a.id == id) {
                self.attachments.push(AttachmentDelivery { id, acked: false });
            }
        }
        if self.attachments.len() == before {
            return;
        }
        if let Delivery::Delivered { receipt, .. } = &self.delivery {
            self.record_receipt = Some(receipt.clone());
            self.tries = 0;
            self.delivery = Delivery::Queued;
        }
    }
}

/// What the runner should do now ([`Outbox::next_step`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// `POST {endpoint}/inspections` with this inspection.
    SendRecord(Uuid),
    /// `PUT {endpoint}/inspections/{inspection}/attachments/{attachment}`: (inspection,
    /// attachment).
    SendAttachment(Uuid, Uuid),
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

/// What a try means for the record (or the attachment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Acknowledged. For an attachment ([`classify_attachment`]) the receipt's `id` is the
    /// attachment's.
    Delivered(Receipt),
    Retry(String),
    AuthFailed(String),
    Conflict(String),
    TooLarge,
    Rejected {
        status: u16,
        message: String,
    },
}

/// Reads a response. Only a JSON receipt naming the same inspection counts as delivered:
/// a 200 HTML page from a captive portal or proxy is a failure, and is retried.
pub fn classify(id: Uuid, attempt: &Attempt) -> Outcome {
    classify_with(attempt, |status, body| match serde_json::from_str::<Receipt>(body) {
        Ok(receipt) if receipt.id == id => Outcome::Delivered(receipt),
        Ok(receipt) => Outcome::Retry(format!("receipt names another inspection ({})", receipt.id)),
        Err(e) => Outcome::Retry(format!("answered {status} without a valid receipt ({e})")),
    })
}

/// Reads the answer to an attachment upload, by the same rules as [`classify`]: only a JSON
/// receipt naming the same attachment **and** the same inspection counts as delivered (its
/// id, status and time become the [`Outcome::Delivered`] receipt); a captive portal's page
/// is retried. 409 (different content under this id) is a conflict, 413 too large, 415 (a
/// type the receiver does not take) and 422 (the bytes do not match their hash) rejected
/// with the receiver's message.
pub fn classify_attachment(inspection: Uuid, attachment: Uuid, attempt: &Attempt) -> Outcome {
    classify_with(attempt, |status, body| match serde_json::from_str::<AttachmentReceipt>(body) {
        Ok(r) if r.id != attachment => Outcome::Retry(format!("receipt names another attachment ({})", r.id)),
        Ok(r) if r.inspection != inspection => Outcome::Retry(format!("receipt names another inspection ({})", r.inspection)),
        Ok(r) => Outcome::Delivered(Receipt { id: r.id, status: r.status, received_at: r.received_at }),
        Err(e) => Outcome::Retry(format!("answered {status} without a valid receipt ({e})")),
    })
}

/// The rules common to both: `receipt` reads the body of a 2xx JSON answer.
fn classify_with(attempt: &Attempt, receipt: impl FnOnce(u16, &str) -> Outcome) -> Outcome {
    let (status, content_type, body) = match attempt {
        Attempt::Timeout => return Outcome::Retry("timed out".into()),
        Attempt::NetworkError(why) => return Outcome::Retry(format!("network error: {why}")),
        Attempt::Response { status, content_type, body } => (*status, content_type.as_deref(), body.as_str()),
    };
    let message = || server_message(body);
    match status {
        200..=202 => {
            let is_json = content_type.is_some_and(|c| c.to_ascii_lowercase().contains("json"));
            if !is_json {
                return Outcome::Retry(format!(
                    "answered {status} with {}, not a receipt (a captive portal or proxy?)",
                    content_type.unwrap_or("no content type")
                ));
            }
            receipt(status, body)
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

/// Every completed inspection and where its delivery stands. Nothing is removed before its
/// receipt; a delivered record is forgotten only once the inspection itself has moved to the
/// archive ([`Outbox::forget_delivered`]), which keeps when it was delivered: otherwise the
/// outbox of a year of records would be parsed at start and written whole on every change.
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
        self.enqueue_with(id, [], now);
    }

    /// Queues a completed inspection with its attachments (ids, in upload order) once.
    /// Queuing it again adds only the attachments not listed yet; a delivered record that
    /// gains one goes back to sending what is missing (see [`Outbox::reconcile_with`]).
    pub fn enqueue_with(&mut self, id: Uuid, attachments: impl IntoIterator<Item = Uuid>, now: u64) {
        match self.record_mut(id) {
            Some(record) => record.add_attachments(attachments),
            None => {
                let mut record = OutboxRecord {
                    id,
                    queued_at: now,
                    tries: 0,
                    delivery: Delivery::Queued,
                    record_receipt: None,
                    attachments: Vec::new(),
                };
                record.add_attachments(attachments);
                self.records.push(record);
            }
        }
    }

    pub fn record(&self, id: Uuid) -> Option<&OutboxRecord> {
        self.records.iter().find(|r| r.id == id)
    }

    /// Records not delivered yet, whatever their state: the count Home shows. A record whose
    /// attachments are not all acknowledged is not delivered.
    pub fn unsent(&self) -> usize {
        self.records.iter().filter(|r| !r.is_delivered()).count()
    }

    /// What to send now: one request at a time, the oldest due record first (a failed one
    /// only when its wait is over); for it, the record unless it has its receipt, then its
    /// first attachment not acknowledged. Idle while a send is under way or auth is paused.
    pub fn next_step(&self, now: u64) -> Step {
        if self.auth_paused.is_some() || self.records.iter().any(|r| matches!(r.delivery, Delivery::Sending { .. })) {
            return Step::Idle;
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
            return record.step();
        }
        self.records
            .iter()
            .filter_map(|r| match r.delivery {
                Delivery::Failed { next_try, .. } => Some(next_try),
                _ => None,
            })
            .min()
            .map_or(Step::Idle, Step::WaitUntil)
    }

    /// A send of the record, or of one of its attachments, is under way.
    pub fn start_sending(&mut self, id: Uuid, now: u64) {
        if let Some(record) = self.record_mut(id) {
            record.delivery = Delivery::Sending { since: now };
        }
    }

    /// Applies how a try of the record (`POST /inspections`) ended. A receipt delivers it
    /// when it has no attachments missing; otherwise the receipt is kept in
    /// [`OutboxRecord::record_receipt`] and the record is queued again, tries reset, for its
    /// attachments. A late answer never undoes a receipt: nothing changes a delivered record,
    /// and no answer changes one whose record part has its receipt.
    pub fn finish(&mut self, id: Uuid, outcome: Outcome, now: u64) {
        if let Outcome::AuthFailed(message) = &outcome {
            self.auth_paused = Some(message.clone());
        }
        let Some(record) = self.record_mut(id) else { return };
        if record.is_delivered() {
            return;
        }
        match outcome {
            _ if record.record_receipt.is_some() => {} // acknowledged before: a late answer
            Outcome::Delivered(receipt) => {
                record.record_receipt = Some(receipt);
                record.settle(now);
            }
            failure => record.fail(failure, now),
        }
    }

    /// Applies how a try of one attachment (`PUT …/attachments/{attachment}`) ended, read
    /// with [`classify_attachment`]. A receipt marks it acknowledged; when the record and
    /// every attachment are, the record is [`Delivery::Delivered`] with the record's
    /// receipt, else it is queued for the next part with tries reset. A failure follows the
    /// record's rules: retried with back-off, an auth pause, or kept as a conflict (409), too
    /// large (413) or rejected (415, 422, …) with the receiver's message. A late answer never
    /// undoes an acknowledgement; an attachment the record does not list is ignored (except
    /// that an auth failure still pauses sending).
    pub fn finish_attachment(&mut self, id: Uuid, attachment: Uuid, outcome: Outcome, now: u64) {
        if let Outcome::AuthFailed(message) = &outcome {
            self.auth_paused = Some(message.clone());
        }
        let Some(record) = self.record_mut(id) else { return };
        if record.is_delivered() {
            return;
        }
        let Some(part) = record.attachments.iter_mut().find(|a| a.id == attachment) else { return };
        if part.acked {
            return;
        }
        match outcome {
            Outcome::Delivered(_) => {
                part.acked = true;
                record.settle(now);
            }
            failure => record.fail(failure, now),
        }
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

    /// Queues every completed inspection the outbox does not know (id, completed at,
    /// attachment ids in order): after a lost or unreadable outbox, or a crash between
    /// completing and queuing. A resend is harmless (idempotent). It also adds to a known
    /// record the attachments it does not list, so a
    /// record already delivered whose inspection now lists more goes back to sending the
    /// missing ones (its record receipt is kept; the record is not sent again). Attachments a
    /// record lists but the inspection no longer does are kept: nothing leaves the outbox.
    /// An `archived` inspection is skipped even when it is read back into memory (opened):
    /// only delivered ones move there, and the outbox may have forgotten it since
    /// ([`Outbox::forget_delivered`]), so queuing it would send it a second time.
    pub fn reconcile_with(&mut self, completed: impl IntoIterator<Item = (Uuid, u64, Vec<Uuid>)>, archived: &BTreeSet<Uuid>) {
        for (id, completed_at, attachments) in completed {
            if !archived.contains(&id) {
                self.enqueue_with(id, attachments, completed_at);
            }
        }
    }

    /// Takes in what another tab's outbox knows and this one does not: records it lacks (as
    /// they stand there) and attachments a known record does not list. Where both know a
    /// record, this outbox's state stays: one tab sends at a time (the sender), so the
    /// sender's states are the truth, and what the other tabs add is only new work. A tab
    /// that does not send applies this to the sender's outbox, keeping its own additions;
    /// the sender applies it to its own, keeping its states. A delivered record whose
    /// inspection is `archived` is not taken back: it was forgotten on purpose
    /// ([`Outbox::forget_delivered`]), and a tab that had not seen that yet would otherwise
    /// bring it back on every write. Returns whether anything changed.
    pub fn add_missing(&mut self, other: &Outbox, archived: &BTreeSet<Uuid>) -> bool {
        let mut changed = false;
        for theirs in &other.records {
            match self.record_mut(theirs.id) {
                Some(mine) => {
                    let before = mine.attachments.len();
                    mine.add_attachments(theirs.attachments.iter().map(|a| a.id));
                    changed |= mine.attachments.len() != before;
                }
                None if theirs.is_delivered() && archived.contains(&theirs.id) => {}
                None => {
                    self.records.push(theirs.clone());
                    changed = true;
                }
            }
        }
        changed
    }

    /// Forgets the delivered records of these inspections, which have moved to the archive
    /// with when they were delivered (their summaries keep it for the delivery badge). Only
    /// delivered records go: one still sending, waiting or refused stays whatever the list
    /// says. Nothing reads a forgotten record again: the archived inspections are neither
    /// reconciled nor taken back from another tab ([`Outbox::add_missing`]), so none is sent
    /// twice. Returns how many were forgotten.
    pub fn forget_delivered(&mut self, archived: &BTreeSet<Uuid>) -> usize {
        let before = self.records.len();
        self.records.retain(|r| !(r.is_delivered() && archived.contains(&r.id)));
        before - self.records.len()
    }

    /// At start: a send cut off by a reload or a killed tab is queued again. What was
    /// acknowledged stays so: only the part that was under way, and what follows it, is sent.
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
    use crate::delivery::payload::ReceiptStatus;

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
            assert_eq!(outcome, Outcome::Delivered(Receipt { id: id(1), status: ReceiptStatus::Stored, received_at: 5 }), "{status}");
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
        assert_eq!(outbox.next_step(0), Step::Idle);
        outbox.enqueue(id(2), 20);
        outbox.enqueue(id(1), 10);
        outbox.enqueue(id(2), 30); // queued twice: still one record
        assert_eq!(outbox.records.len(), 2);
        assert_eq!(outbox.next_step(40), Step::SendRecord(id(1)));
        outbox.start_sending(id(1), 40);
        assert_eq!(outbox.next_step(41), Step::Idle, "nothing else while one is in flight");
        outbox.finish(id(1), Outcome::Delivered(Receipt { id: id(1), status: ReceiptStatus::Stored, received_at: 41 }), 41);
        assert_eq!(outbox.next_step(42), Step::SendRecord(id(2)));
        assert_eq!(outbox.unsent(), 1);
    }

    #[test]
    fn failures_wait_with_backoff_and_send_now_skips_the_wait() {
        let mut outbox = Outbox::default();
        outbox.enqueue(id(1), 0);
        outbox.start_sending(id(1), 0);
        outbox.finish(id(1), classify(id(1), &json(503, "")), 1_000);
        assert_eq!(outbox.next_step(1_500), Step::WaitUntil(2_000));
        assert_eq!(outbox.next_step(2_000), Step::SendRecord(id(1)));
        outbox.start_sending(id(1), 2_000);
        outbox.finish(id(1), classify(id(1), &Attempt::Timeout), 2_000);
        assert_eq!(outbox.next_step(2_001), Step::WaitUntil(5_000));
        assert_eq!(outbox.record(id(1)).map(|r| r.tries), Some(2));
        outbox.retry_now(2_500);
        assert_eq!(outbox.next_step(2_500), Step::SendRecord(id(1)));
    }

    #[test]
    fn auth_failure_pauses_everything_until_the_settings_change() {
        let mut outbox = Outbox::default();
        outbox.enqueue(id(1), 0);
        outbox.enqueue(id(2), 1);
        outbox.start_sending(id(1), 5);
        outbox.finish(id(1), classify(id(1), &json(401, r#"{"error":"token expired"}"#)), 6);
        assert_eq!(outbox.auth_paused.as_deref(), Some("token expired"));
        assert_eq!(outbox.next_step(1_000_000), Step::Idle);
        assert_eq!(outbox.record(id(1)).map(|r| &r.delivery), Some(&Delivery::Queued));
        outbox.settings_changed();
        assert_eq!(outbox.next_step(7), Step::SendRecord(id(1)));
    }

    #[test]
    fn an_auth_failure_counts_as_a_try_so_the_next_failure_waits_longer() {
        let mut outbox = Outbox::default();
        outbox.enqueue(id(1), 0);
        outbox.start_sending(id(1), 5);
        outbox.finish(id(1), classify(id(1), &json(401, r#"{"error":"token expired"}"#)), 6);
        assert_eq!(outbox.record(id(1)).map(|r| (r.tries, &r.delivery)), Some((1, &Delivery::Queued)));
        outbox.settings_changed();
        outbox.start_sending(id(1), 7);
        outbox.finish(id(1), classify(id(1), &Attempt::Timeout), 1_000);
        assert_eq!(outbox.record(id(1)).map(|r| r.tries), Some(2));
        assert_eq!(outbox.next_step(1_001), Step::WaitUntil(4_000), "the second try's back-off: 3 s");
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
        assert_eq!(outbox.next_step(u64::MAX), Step::Idle);
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
        assert_eq!(reloaded.next_step(6), Step::Idle);
        reloaded.recover_interrupted();
        assert_eq!(reloaded.next_step(6), Step::SendRecord(id(1)));
    }

    #[test]
    fn reconcile_queues_completed_inspections_the_outbox_lost() {
        let mut outbox = Outbox::default();
        outbox.enqueue(id(1), 1);
        outbox.finish(id(1), Outcome::Delivered(Receipt { id: id(1), status: ReceiptStatus::Stored, received_at: 2 }), 2);
        outbox.reconcile_with([(id(1), 1, vec![]), (id(2), 5, vec![])], &BTreeSet::new());
        assert_eq!(outbox.records.len(), 2);
        assert!(outbox.record(id(1)).is_some_and(OutboxRecord::is_delivered), "a delivered record stays delivered");
        assert_eq!(outbox.next_step(6), Step::SendRecord(id(2)));
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

    // ---- attachments ----

    use crate::inspection::attachment::tests::HASH;

    fn record_receipt(n: u128) -> Receipt {
        Receipt { id: id(n), status: ReceiptStatus::Stored, received_at: 5 }
    }

    fn attachment_body(inspection: u128, attachment: u128, status: &str) -> String {
        format!(r#"{{"id":"{}","inspection":"{}","sha256":"{HASH}","status":"{status}","received_at":6}}"#, id(attachment), id(inspection))
    }

    fn acked(inspection: u128, attachment: u128) -> Outcome {
        classify_attachment(id(inspection), id(attachment), &json(201, &attachment_body(inspection, attachment, "stored")))
    }

    /// A receiver as docs/protocol.md describes it, in memory: stores each part once and
    /// answers "duplicate" to a resend. Records every request it sees.
    #[derive(Default)]
    struct Receiver {
        stored: Vec<Step>,
        requests: Vec<Step>,
    }

    /// How the network treats one request.
    #[derive(Clone, Copy, PartialEq)]
    enum Net {
        Fine,
        /// Dropped on the way there: the receiver never sees it.
        LostRequest,
        /// Stored, but the answer is lost on the way back.
        LostAnswer,
        /// Dropped on the way there, and the phone stays offline until the app is closed.
        Offline,
    }

    impl Receiver {
        fn answer(&mut self, step: Step, net: Net) -> Attempt {
            if matches!(net, Net::LostRequest | Net::Offline) {
                return Attempt::NetworkError("connection reset".into());
            }
            self.requests.push(step);
            let duplicate = self.stored.contains(&step);
            if !duplicate {
                self.stored.push(step);
            }
            let status = if duplicate { "duplicate" } else { "stored" };
            let body = match step {
                Step::SendRecord(i) => format!(r#"{{"id":"{i}","status":"{status}","received_at":5}}"#),
                Step::SendAttachment(i, a) => {
                    format!(r#"{{"id":"{a}","inspection":"{i}","sha256":"{HASH}","status":"{status}","received_at":6}}"#)
                }
                _ => unreachable!("only sends reach the receiver"),
            };
            match net {
                Net::LostAnswer => Attempt::Timeout,
                _ => json(if duplicate { 200 } else { 201 }, &body),
            }
        }
    }

    /// The app's runner, synchronously: performs what `next_step` says until nothing is due,
    /// letting the clock run through waits. `net` decides the fate of the n-th request;
    /// after [`Net::Offline`] the runner stops.
    fn run(outbox: &mut Outbox, receiver: &mut Receiver, now: &mut u64, mut net: impl FnMut(usize) -> Net) {
        let mut requests = 0;
        for _ in 0..1_000 {
            let step = outbox.next_step(*now);
            let fate = match step {
                Step::Idle => return,
                Step::WaitUntil(at) => {
                    *now = at;
                    continue;
                }
                Step::SendRecord(i) | Step::SendAttachment(i, _) => {
                    requests += 1;
                    outbox.start_sending(i, *now);
                    let fate = net(requests - 1);
                    let attempt = receiver.answer(step, fate);
                    match step {
                        Step::SendAttachment(_, a) => outbox.finish_attachment(i, a, classify_attachment(i, a, &attempt), *now + 1),
                        _ => outbox.finish(i, classify(i, &attempt), *now + 1),
                    }
                    fate
                }
            };
            *now += 2;
            if fate == Net::Offline {
                return;
            }
        }
        panic!("the runner never settled");
    }

    #[test]
    fn the_record_then_three_photos_are_delivered_in_order() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11), id(12), id(13)], 0);
        assert_eq!(outbox.next_step(0), Step::SendRecord(id(1)));
        outbox.start_sending(id(1), 0);
        outbox.finish(id(1), Outcome::Retry("503".into()), 1);
        assert_eq!(outbox.record(id(1)).map(|r| r.tries), Some(1));
        outbox.retry_now(2);

        outbox.start_sending(id(1), 2);
        outbox.finish(id(1), classify(id(1), &json(201, &receipt_body(1, "stored"))), 3);
        let record = outbox.record(id(1)).unwrap();
        assert_eq!(record.delivery, Delivery::Queued, "the record has its receipt, the photos are missing");
        assert_eq!((record.tries, record.record_receipt.as_ref()), (0, Some(&record_receipt(1))));
        assert!(record.record_acknowledged() && !record.is_delivered());
        assert_eq!(outbox.unsent(), 1);

        for (n, photo) in [11, 12, 13].into_iter().enumerate() {
            assert_eq!(outbox.record(id(1)).unwrap().attachment_progress(), (n, 3));
            assert_eq!(outbox.next_step(4), Step::SendAttachment(id(1), id(photo)));
            outbox.start_sending(id(1), 4);
            assert_eq!(outbox.next_step(4), Step::Idle, "one request at a time");
            outbox.finish_attachment(id(1), id(photo), acked(1, photo), 5 + n as u64);
        }
        let record = outbox.record(id(1)).unwrap();
        assert_eq!(record.delivery, Delivery::Delivered { at: 7, receipt: record_receipt(1) });
        assert_eq!(record.record_receipt, None, "moved into the delivered state");
        assert_eq!(outbox.unsent(), 0);
        assert_eq!(outbox.next_step(8), Step::Idle);
    }

    #[test]
    fn a_runner_sends_every_part_exactly_once_when_nothing_goes_wrong() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(2), [id(21)], 10);
        outbox.enqueue_with(id(1), [id(11), id(12)], 5);
        outbox.enqueue(id(3), 20);
        let (mut receiver, mut now) = (Receiver::default(), 100);
        run(&mut outbox, &mut receiver, &mut now, |_| Net::Fine);
        use Step::*;
        assert_eq!(
            receiver.requests,
            vec![
                SendRecord(id(1)),
                SendAttachment(id(1), id(11)),
                SendAttachment(id(1), id(12)),
                SendRecord(id(2)),
                SendAttachment(id(2), id(21)),
                SendRecord(id(3))
            ],
            "oldest first, each inspection whole before the next"
        );
        assert_eq!(outbox.unsent(), 0);
    }

    #[test]
    fn a_connection_dropping_between_photos_sends_only_the_missing_ones_later() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11), id(12), id(13)], 0);
        let (mut receiver, mut now) = (Receiver::default(), 0);
        // Record and first photo go through; then the phone loses signal, and the app is closed.
        run(&mut outbox, &mut receiver, &mut now, |n| if n < 2 { Net::Fine } else { Net::Offline });
        assert!(!outbox.record(id(1)).unwrap().is_delivered());
        assert_eq!(receiver.requests, vec![Step::SendRecord(id(1)), Step::SendAttachment(id(1), id(11))]);

        // Opened again later, from storage.
        let mut outbox: Outbox = serde_json::from_str(&serde_json::to_string(&outbox).unwrap()).unwrap();
        let record = outbox.record(id(1)).unwrap();
        assert!(matches!(record.delivery, Delivery::Failed { .. }));
        assert_eq!(record.pending_attachment(), Some(id(12)));
        outbox.retry_now(now);
        assert_eq!(outbox.next_step(now), Step::SendAttachment(id(1), id(12)), "not the record, not the first photo");
        let before = receiver.requests.len();
        run(&mut outbox, &mut receiver, &mut now, |_| Net::Fine);
        assert_eq!(&receiver.requests[before..], &[Step::SendAttachment(id(1), id(12)), Step::SendAttachment(id(1), id(13))]);
        assert_eq!(outbox.record(id(1)).map(|r| &r.delivery), Some(&Delivery::Delivered { at: now - 1, receipt: record_receipt(1) }));
    }

    #[test]
    fn lost_answers_and_dropped_requests_between_photos_back_off_and_resend_only_that_photo() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11), id(12), id(13)], 0);
        let (mut receiver, mut now) = (Receiver::default(), 0);
        // Request 2 (the second photo) is stored but its answer lost; request 3 (its resend)
        // never arrives; request 4 goes through as a duplicate.
        let net = [Net::Fine, Net::Fine, Net::LostAnswer, Net::LostRequest];
        run(&mut outbox, &mut receiver, &mut now, |n| net.get(n).copied().unwrap_or(Net::Fine));
        use Step::*;
        assert_eq!(
            receiver.requests,
            vec![
                SendRecord(id(1)),
                SendAttachment(id(1), id(11)),
                SendAttachment(id(1), id(12)),
                SendAttachment(id(1), id(12)),
                SendAttachment(id(1), id(13))
            ]
        );
        assert_eq!(receiver.stored.len(), 4, "stored once each");
        assert!(outbox.record(id(1)).unwrap().is_delivered());
    }

    #[test]
    fn failures_of_a_photo_wait_with_the_records_backoff() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11)], 0);
        outbox.finish(id(1), Outcome::Delivered(record_receipt(1)), 0);
        outbox.start_sending(id(1), 1_000);
        outbox.finish_attachment(id(1), id(11), classify_attachment(id(1), id(11), &json(503, "")), 1_000);
        assert_eq!(outbox.next_step(1_500), Step::WaitUntil(2_000));
        assert_eq!(outbox.next_step(2_000), Step::SendAttachment(id(1), id(11)));
        outbox.finish_attachment(id(1), id(11), classify_attachment(id(1), id(11), &Attempt::Timeout), 2_000);
        assert_eq!(outbox.next_step(2_001), Step::WaitUntil(5_000));
        assert_eq!(outbox.record(id(1)).map(|r| r.tries), Some(2));
        outbox.retry_now(2_500);
        assert_eq!(outbox.next_step(2_500), Step::SendAttachment(id(1), id(11)));
    }

    #[test]
    fn a_reload_mid_attachment_resends_only_that_attachment() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11), id(12), id(13)], 0);
        outbox.finish(id(1), Outcome::Delivered(record_receipt(1)), 1);
        outbox.finish_attachment(id(1), id(11), acked(1, 11), 2);
        assert_eq!(outbox.next_step(3), Step::SendAttachment(id(1), id(12)));
        outbox.start_sending(id(1), 3);
        let stored = serde_json::to_string(&outbox).unwrap();
        let mut reloaded: Outbox = serde_json::from_str(&stored).unwrap();
        assert_eq!(reloaded, outbox);
        assert_eq!(reloaded.next_step(4), Step::Idle);
        reloaded.recover_interrupted();
        let record = reloaded.record(id(1)).unwrap();
        assert_eq!(
            record.attachments,
            vec![
                AttachmentDelivery { id: id(11), acked: true },
                AttachmentDelivery { id: id(12), acked: false },
                AttachmentDelivery { id: id(13), acked: false },
            ]
        );
        assert_eq!(reloaded.next_step(4), Step::SendAttachment(id(1), id(12)));
    }

    #[test]
    fn an_attachments_conflict_size_or_rejection_is_kept_and_shown_not_retried() {
        type Expected = fn(&Delivery) -> bool;
        let cases: [(u16, &str, Expected); 4] = [
            (
                409,
                r#"{"error":"attachment: different content is stored under this id"}"#,
                |d| matches!(d, Delivery::Conflict { message } if message.contains("different content")),
            ),
            (413, r#"{"error":"too large"}"#, |d| *d == Delivery::TooLarge),
            (
                415,
                r#"{"error":"content type image/gif is not accepted"}"#,
                |d| matches!(d, Delivery::Rejected { status: 415, message } if message.contains("image/gif")),
            ),
            (
                422,
                r#"{"error":"X-Content-SHA256 does not match the body"}"#,
                |d| matches!(d, Delivery::Rejected { status: 422, message } if message.contains("does not match")),
            ),
        ];
        for (status, body, expected) in cases {
            let mut outbox = Outbox::default();
            outbox.enqueue_with(id(1), [id(11), id(12)], 0);
            outbox.finish(id(1), Outcome::Delivered(record_receipt(1)), 1);
            outbox.finish_attachment(id(1), id(11), acked(1, 11), 2);
            outbox.start_sending(id(1), 3);
            outbox.finish_attachment(id(1), id(12), classify_attachment(id(1), id(12), &json(status, body)), 4);
            let record = outbox.record(id(1)).unwrap();
            assert!(expected(&record.delivery), "{status}: {:?}", record.delivery);
            assert_eq!(record.record_receipt, Some(record_receipt(1)), "{status}: the record's receipt is kept");
            assert_eq!(record.pending_attachment(), Some(id(12)), "{status}: the app can show which one");
            outbox.retry_now(5);
            assert_eq!(outbox.next_step(u64::MAX), Step::Idle, "{status}");
            assert_eq!((outbox.records.len(), outbox.unsent()), (1, 1), "{status}");
        }
    }

    #[test]
    fn an_auth_failure_on_an_attachment_pauses_everything_then_resumes_with_it() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11)], 0);
        outbox.enqueue(id(2), 1);
        outbox.finish(id(1), Outcome::Delivered(record_receipt(1)), 2);
        outbox.start_sending(id(1), 3);
        outbox.finish_attachment(id(1), id(11), classify_attachment(id(1), id(11), &json(403, r#"{"error":"forbidden"}"#)), 4);
        assert_eq!(outbox.auth_paused.as_deref(), Some("forbidden"));
        assert_eq!(outbox.next_step(u64::MAX), Step::Idle);
        outbox.settings_changed();
        assert_eq!(outbox.next_step(5), Step::SendAttachment(id(1), id(11)));
    }

    #[test]
    fn a_late_answer_never_undoes_an_acknowledgement() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11), id(12)], 0);
        outbox.finish(id(1), Outcome::Delivered(record_receipt(1)), 1);
        // The record's receipt stands against a late failure, or a second receipt.
        outbox.finish(id(1), Outcome::Retry("late".into()), 2);
        outbox.finish(id(1), Outcome::Conflict("late".into()), 2);
        outbox.finish(id(1), Outcome::Delivered(Receipt { id: id(1), status: ReceiptStatus::Duplicate, received_at: 9 }), 2);
        assert_eq!(
            outbox.record(id(1)).map(|r| (&r.delivery, r.record_receipt.as_ref())),
            Some((&Delivery::Queued, Some(&record_receipt(1))))
        );
        // An attachment's acknowledgement stands against a late failure.
        outbox.finish_attachment(id(1), id(11), acked(1, 11), 3);
        outbox.finish_attachment(id(1), id(11), Outcome::Retry("late".into()), 4);
        outbox.finish_attachment(id(1), id(11), Outcome::TooLarge, 4);
        assert_eq!(outbox.record(id(1)).map(|r| &r.delivery), Some(&Delivery::Queued));
        assert_eq!(outbox.next_step(5), Step::SendAttachment(id(1), id(12)));
        // An attachment the record does not list changes nothing.
        outbox.finish_attachment(id(1), id(99), Outcome::Conflict("?".into()), 5);
        assert_eq!(outbox.next_step(5), Step::SendAttachment(id(1), id(12)));
        // Once delivered, nothing undoes it.
        outbox.finish_attachment(id(1), id(12), acked(1, 12), 6);
        let delivered = Delivery::Delivered { at: 6, receipt: record_receipt(1) };
        assert_eq!(outbox.record(id(1)).map(|r| &r.delivery), Some(&delivered));
        outbox.finish_attachment(id(1), id(12), Outcome::Rejected { status: 422, message: "late".into() }, 7);
        outbox.finish(id(1), Outcome::Retry("late".into()), 7);
        outbox.recover_interrupted();
        assert_eq!(outbox.record(id(1)).map(|r| &r.delivery), Some(&delivered));
    }

    #[test]
    fn a_captive_portal_or_a_foreign_receipt_does_not_acknowledge_an_attachment() {
        let portal = Attempt::Response {
            status: 200,
            content_type: Some("text/html; charset=utf-8".into()),
            body: "<html>Wi-Fi login</html>".into(),
        };
        assert!(matches!(classify_attachment(id(1), id(11), &portal), Outcome::Retry(why) if why.contains("captive portal")));
        let other_attachment = json(201, &attachment_body(1, 12, "stored"));
        assert!(matches!(classify_attachment(id(1), id(11), &other_attachment), Outcome::Retry(why) if why.contains("another attachment")));
        let other_inspection = json(201, &attachment_body(2, 11, "stored"));
        assert!(matches!(classify_attachment(id(1), id(11), &other_inspection), Outcome::Retry(why) if why.contains("another inspection")));
        let record_receipt_only = json(201, &format!(r#"{{"id":"{}","status":"stored","received_at":5}}"#, id(11)));
        assert!(matches!(classify_attachment(id(1), id(11), &record_receipt_only), Outcome::Retry(why) if why.contains("valid receipt")));
        assert!(matches!(classify_attachment(id(1), id(11), &json(200, "")), Outcome::Retry(_)));
        assert_eq!(
            classify_attachment(id(1), id(11), &json(200, &attachment_body(1, 11, "duplicate"))),
            Outcome::Delivered(Receipt { id: id(11), status: ReceiptStatus::Duplicate, received_at: 6 })
        );
        assert_eq!(classify_attachment(id(1), id(11), &json(401, r#"{"error":"no token"}"#)), Outcome::AuthFailed("no token".into()));
        assert!(matches!(classify_attachment(id(1), id(11), &json(502, "")), Outcome::Retry(_)));

        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11)], 0);
        outbox.finish(id(1), Outcome::Delivered(record_receipt(1)), 1);
        outbox.start_sending(id(1), 2);
        outbox.finish_attachment(id(1), id(11), classify_attachment(id(1), id(11), &portal), 2);
        assert!(matches!(outbox.record(id(1)).map(|r| &r.delivery), Some(Delivery::Failed { .. })));
        assert_eq!(outbox.next_step(3_000), Step::SendAttachment(id(1), id(11)));
    }

    #[test]
    fn reconcile_adds_missing_attachments_and_reopens_a_delivered_record_for_them() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11)], 1);
        outbox.finish(id(1), Outcome::Delivered(record_receipt(1)), 2);
        outbox.finish_attachment(id(1), id(11), acked(1, 11), 3);
        outbox.enqueue(id(3), 4);
        outbox.finish(id(3), Outcome::Delivered(record_receipt(3)), 5);
        assert_eq!(outbox.unsent(), 0);

        // Nothing new: nothing changes.
        let before = outbox.clone();
        outbox.reconcile_with([(id(1), 1, vec![id(11)]), (id(3), 4, vec![])], &BTreeSet::new());
        assert_eq!(outbox, before);

        outbox.reconcile_with(
            [(id(1), 1, vec![id(11), id(12)]), (id(2), 6, vec![id(21), id(21)]), (id(3), 4, vec![id(31)])],
            &BTreeSet::new(),
        );
        assert_eq!(outbox.records.len(), 3);
        assert_eq!(outbox.unsent(), 3);
        let record = outbox.record(id(1)).unwrap();
        assert_eq!((&record.delivery, record.record_receipt.as_ref()), (&Delivery::Queued, Some(&record_receipt(1))));
        assert_eq!(record.attachment_progress(), (1, 2));
        assert_eq!(outbox.record(id(2)).map(|r| r.attachments.len()), Some(1), "listed once");

        let (mut receiver, mut now) = (Receiver::default(), 10);
        run(&mut outbox, &mut receiver, &mut now, |_| Net::Fine);
        use Step::*;
        assert_eq!(
            receiver.requests,
            vec![SendAttachment(id(1), id(12)), SendAttachment(id(3), id(31)), SendRecord(id(2)), SendAttachment(id(2), id(21))],
            "only what is missing, oldest first"
        );
        assert_eq!(outbox.unsent(), 0);
        assert!(
            matches!(outbox.record(id(1)).map(|r| &r.delivery), Some(Delivery::Delivered { receipt, .. }) if *receipt == record_receipt(1))
        );
    }

    #[test]
    fn another_tabs_outbox_adds_only_new_work_and_never_changes_a_known_state() {
        // The sender delivered 1 and is sending 2; a tab that does not send queued 3, and a
        // photo for 1, on an older copy of the outbox (where 1 was still queued).
        let mut sender = Outbox::default();
        sender.enqueue(id(1), 1);
        sender.enqueue(id(2), 2);
        let mut other = sender.clone();
        sender.finish(id(1), Outcome::Delivered(record_receipt(1)), 3);
        sender.start_sending(id(2), 4);
        other.enqueue(id(3), 5);
        other.enqueue_with(id(1), [id(11)], 5);

        // The sender takes in the new record and the new photo; its states stay.
        let mut merged = sender.clone();
        assert!(merged.add_missing(&other, &BTreeSet::new()));
        assert_eq!(merged.record(id(2)).map(|r| &r.delivery), Some(&Delivery::Sending { since: 4 }));
        assert_eq!(merged.record(id(3)).map(|r| &r.delivery), Some(&Delivery::Queued));
        let one = merged.record(id(1)).unwrap();
        assert_eq!((&one.delivery, one.record_receipt.as_ref()), (&Delivery::Queued, Some(&record_receipt(1))), "only the photo is due");
        assert_eq!(one.attachment_progress(), (0, 1));
        // Nothing new the second time: no write back, so two tabs never write in turn forever.
        assert!(!merged.add_missing(&other, &BTreeSet::new()));

        // The other tab takes the sender's outbox as it is and keeps its own additions.
        let mut seen = merged.clone();
        assert!(!seen.add_missing(&other, &BTreeSet::new()));
        assert_eq!(seen, merged);
        let mut unchanged = sender.clone();
        assert!(!unchanged.add_missing(&Outbox::default(), &BTreeSet::new()));
        assert_eq!(unchanged, sender);
        // A photo alone is new work too: written back.
        let mut photo_only = sender.clone();
        photo_only.enqueue_with(id(2), [id(21)], 6);
        let mut sender_again = sender.clone();
        assert!(sender_again.add_missing(&photo_only, &BTreeSet::new()));
        assert_eq!(sender_again.record(id(2)).map(OutboxRecord::attachment_progress), Some((0, 1)));
    }

    #[test]
    fn queuing_again_adds_only_attachments_not_listed() {
        let mut outbox = Outbox::default();
        outbox.enqueue_with(id(1), [id(11), id(12), id(11)], 0);
        outbox.enqueue_with(id(1), [id(12), id(13)], 5);
        outbox.enqueue(id(1), 6);
        let record = outbox.record(id(1)).unwrap();
        assert_eq!(record.queued_at, 0);
        assert_eq!(record.attachments.iter().map(|a| a.id).collect::<Vec<_>>(), vec![id(11), id(12), id(13)]);
    }

    #[test]
    fn a_stored_outbox_from_before_attachments_reads_and_writes_back_unchanged() {
        let old = format!(
            concat!(
                r#"{{"records":["#,
                r#"{{"id":"{a}","queued_at":1,"tries":0,"delivery":{{"delivered":{{"at":2,"receipt":{{"id":"{a}","status":"stored","received_at":2}}}}}}}},"#,
                r#"{{"id":"{b}","queued_at":3,"tries":2,"delivery":{{"failed":{{"reason":"timed out","next_try":9}}}}}},"#,
                r#"{{"id":"{c}","queued_at":4,"tries":1,"delivery":"queued"}}"#,
                r#"],"auth_paused":"bad token"}}"#
            ),
            a = id(1),
            b = id(2),
            c = id(3)
        );
        let outbox: Outbox = serde_json::from_str(&old).unwrap();
        assert!(outbox.records.iter().all(|r| r.attachments.is_empty() && r.record_receipt.is_none()));
        assert!(outbox.record(id(1)).unwrap().is_delivered());
        assert_eq!(serde_json::to_string(&outbox).unwrap(), old, "records without attachments are stored as before");
        let mut outbox = outbox;
        outbox.settings_changed();
        assert_eq!(outbox.next_step(0), Step::SendRecord(id(3)));
    }

    #[test]
    fn through_drops_and_reloads_every_part_is_delivered_and_nothing_acknowledged_is_sent_again() {
        for seed in 0..200u64 {
            let mut rng = seed.wrapping_mul(2862933555777941757).wrapping_add(3037000493);
            let mut roll = move |n: u64| {
                rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (rng >> 33) % n
            };
            let mut outbox = Outbox::default();
            let mut parts = 0;
            for i in 1..=3u128 {
                let photos: Vec<Uuid> = (0..roll(4) as u128).map(|p| id(i * 10 + p)).collect();
                parts += 1 + photos.len();
                outbox.enqueue_with(id(i), photos, i as u64);
            }
            let (mut receiver, mut now) = (Receiver::default(), 100u64);
            let mut acknowledged: Vec<Step> = Vec::new();
            for _ in 0..500 {
                let step = outbox.next_step(now);
                let (i, part) = match step {
                    Step::Idle => break,
                    Step::WaitUntil(at) => {
                        now = at;
                        continue;
                    }
                    Step::SendRecord(i) => (i, None),
                    Step::SendAttachment(i, a) => (i, Some(a)),
                };
                assert!(!acknowledged.contains(&step), "seed {seed}: {step:?} sent again after its receipt");
                outbox.start_sending(i, now);
                let net = match roll(6) {
                    0 => Net::LostRequest,
                    1 => Net::LostAnswer,
                    2 => {
                        // The tab is killed mid-send: the request may or may not have arrived.
                        if roll(2) == 0 {
                            receiver.answer(step, Net::LostAnswer);
                        }
                        outbox = serde_json::from_str(&serde_json::to_string(&outbox).unwrap()).unwrap();
                        outbox.recover_interrupted();
                        outbox.retry_now(now);
                        continue;
                    }
                    _ => Net::Fine,
                };
                let attempt = receiver.answer(step, net);
                match part {
                    None => outbox.finish(i, classify(i, &attempt), now),
                    Some(a) => outbox.finish_attachment(i, a, classify_attachment(i, a, &attempt), now),
                }
                let record = outbox.record(i).unwrap();
                let done = match part {
                    None => record.record_acknowledged(),
                    Some(a) => record.is_delivered() || record.attachments.iter().any(|x| x.id == a && x.acked),
                };
                if done {
                    acknowledged.push(step);
                }
                now += 1;
                if roll(3) == 0 {
                    outbox.retry_now(now);
                }
            }
            assert_eq!(outbox.unsent(), 0, "seed {seed}");
            assert_eq!(receiver.stored.len(), parts, "seed {seed}: every part stored");
            assert_eq!(acknowledged.len(), parts, "seed {seed}");
        }
    }

    #[test]
    fn no_sequence_of_attachment_failures_delivers_or_removes_a_record() {
        let outcomes = [
            Outcome::Retry("x".into()),
            Outcome::AuthFailed("x".into()),
            Outcome::Conflict("x".into()),
            Outcome::TooLarge,
            Outcome::Rejected { status: 422, message: "x".into() },
        ];
        let mut seed: u64 = 99;
        let mut outbox = Outbox::default();
        for n in 0..4u128 {
            outbox.enqueue_with(id(n), [id(100 + n), id(200 + n)], n as u64);
            outbox.finish(id(n), Outcome::Delivered(record_receipt(n)), n as u64);
        }
        for step in 0..2_000u64 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let n = ((seed >> 33) % 4) as u128;
            let attachment = id(if (seed >> 36) & 1 == 0 { 100 + n } else { 200 + n });
            match (seed >> 40) % 5 {
                0 => outbox.retry_now(step),
                1 => outbox.settings_changed(),
                2 => outbox.recover_interrupted(),
                3 => outbox.finish(id(n), outcomes[((seed >> 50) % 5) as usize].clone(), step),
                _ => outbox.finish_attachment(id(n), attachment, outcomes[((seed >> 50) % 5) as usize].clone(), step),
            }
            assert_eq!(outbox.records.len(), 4);
            assert_eq!(outbox.unsent(), 4, "an attachment without a receipt keeps it unsent");
            assert!(outbox.records.iter().all(|r| r.record_receipt.is_some()), "the record receipts stay");
        }
    }

    // ---- forgetting what is delivered and archived ----

    fn set(ns: &[u128]) -> BTreeSet<Uuid> {
        ns.iter().map(|n| id(*n)).collect()
    }

    /// 1 delivered, 2 waiting for its photo (record acknowledged), 3 failed, 4 refused, 5
    /// queued, 6 delivered.
    fn outbox_of_every_state() -> Outbox {
        let mut outbox = Outbox::default();
        for n in 1..=6 {
            outbox.enqueue(id(n), n as u64);
        }
        outbox.enqueue_with(id(2), [id(21)], 2);
        outbox.finish(id(1), Outcome::Delivered(record_receipt(1)), 10);
        outbox.finish(id(2), Outcome::Delivered(record_receipt(2)), 10);
        outbox.finish(id(3), Outcome::Retry("offline".into()), 10);
        outbox.finish(id(4), Outcome::Rejected { status: 400, message: "bad".into() }, 10);
        outbox.finish(id(6), Outcome::Delivered(record_receipt(6)), 10);
        outbox
    }

    #[test]
    fn only_delivered_records_of_archived_inspections_are_forgotten() {
        let mut outbox = outbox_of_every_state();
        // Every one listed as archived (it cannot be, but nothing undelivered may go).
        assert_eq!(outbox.forget_delivered(&set(&[1, 2, 3, 4, 5])), 1);
        let left: Vec<Uuid> = outbox.records.iter().map(|r| r.id).collect();
        assert_eq!(left, vec![id(2), id(3), id(4), id(5), id(6)], "6 is delivered but not archived");
        assert_eq!(outbox.unsent(), 4);
        assert_eq!(outbox.forget_delivered(&set(&[1, 2, 3, 4, 5])), 0, "nothing more to forget");
        assert_eq!(outbox.forget_delivered(&set(&[6])), 1);
        assert_eq!(outbox.forget_delivered(&BTreeSet::new()), 0);
        assert_eq!(outbox.records.len(), 4);
    }

    #[test]
    fn reconcile_never_queues_an_archived_inspection_again() {
        let mut outbox = outbox_of_every_state();
        outbox.forget_delivered(&set(&[1]));
        // 1 was opened (read back from the archive) and is completed; 7 is new.
        outbox.reconcile_with([(id(1), 1, vec![id(11)]), (id(7), 7, vec![])], &set(&[1]));
        assert!(outbox.record(id(1)).is_none(), "archived: not queued again");
        assert_eq!(outbox.record(id(7)).map(|r| &r.delivery), Some(&Delivery::Queued));
        // Not archived, not known: queued (a crash between completing and queuing).
        outbox.reconcile_with([(id(1), 1, vec![])], &BTreeSet::new());
        assert!(outbox.record(id(1)).is_some());
    }

    #[test]
    fn another_tab_does_not_bring_back_what_was_forgotten_but_still_adds_new_work() {
        let mut sender = outbox_of_every_state();
        let stale = sender.clone(); // another tab's copy from before the sender forgot 1
        sender.forget_delivered(&set(&[1]));
        let mut new_work = stale.clone();
        new_work.enqueue(id(7), 7);

        // The sender takes in another tab's writes: new work only.
        let mut merged = sender.clone();
        assert!(!merged.add_missing(&stale, &set(&[1])), "the forgotten record is not new work");
        assert!(merged.add_missing(&new_work, &set(&[1])));
        assert!(merged.record(id(1)).is_none());
        assert!(merged.record(id(7)).is_some());
        // A tab that does not send takes the sender's outbox and adds its own work to it.
        let mut latest = sender.clone();
        assert!(latest.add_missing(&new_work, &set(&[1])));
        assert_eq!(latest, merged);
        // A delivered record of an inspection not archived is taken in as it stands (a
        // restored backup's), and so is anything undelivered, archived or not.
        let mut bare = Outbox::default();
        assert!(bare.add_missing(&stale, &set(&[1, 3])));
        assert_eq!(bare.records.len(), 5);
        assert!(bare.record(id(3)).is_some() && bare.record(id(6)).is_some() && bare.record(id(1)).is_none());
    }

    #[test]
    fn a_year_of_records_is_sent_exactly_once_through_archiving_forgetting_reloads_and_tabs() {
        // Ten inspections, some with photos, completed over time on one phone with a second
        // tab open. Each round: what is completed is queued, the runner sends (sometimes
        // losing an answer), what is delivered is archived and forgotten, the app restarts
        // (reconcile with every completed inspection, the opened archived ones among them),
        // and the other tab writes its stale copy back. The receiver sees each part once,
        // apart from resends of answers lost on the way back.
        let mut outbox = Outbox::default();
        let (mut receiver, mut now) = (Receiver::default(), 10);
        let mut archived = BTreeSet::new();
        let mut lost_answers = 0;
        let photos = |n: u128| if n.is_multiple_of(3) { vec![id(n * 10 + 1), id(n * 10 + 2)] } else { vec![] };
        for round in 1..=10u128 {
            outbox.enqueue_with(id(round), photos(round), now);
            let completed: Vec<(Uuid, u64, Vec<Uuid>)> = (1..=round).map(|n| (id(n), n as u64, photos(n))).collect();
            run(&mut outbox, &mut receiver, &mut now, |request| {
                if request == 0 && round.is_multiple_of(4) {
                    lost_answers += 1;
                    Net::LostAnswer
                } else {
                    Net::Fine
                }
            });
            // Another tab's copy from before the move, written back later.
            let stale = outbox.clone();
            // The move to the archive, then the outbox forgets what moved.
            archived.extend(outbox.records.iter().filter(|r| r.is_delivered()).map(|r| r.id));
            outbox.forget_delivered(&archived);
            // A restart: reconciled with every completed inspection (archived ones opened).
            outbox.recover_interrupted();
            outbox.reconcile_with(completed, &archived);
            outbox.retry_now(now);
            // The other tab writes its stale copy; the sender takes in only new work.
            assert!(!outbox.add_missing(&stale, &archived), "round {round}: nothing forgotten comes back");
        }
        run(&mut outbox, &mut receiver, &mut now, |_| Net::Fine);
        archived.extend(outbox.records.iter().filter(|r| r.is_delivered()).map(|r| r.id));
        outbox.forget_delivered(&archived);
        assert!(outbox.records.is_empty(), "everything delivered and forgotten: {:?}", outbox.records);
        assert_eq!(archived.len(), 10);
        let parts: usize = (1..=10u128).map(|n| 1 + photos(n).len()).sum();
        assert_eq!(receiver.stored.len(), parts, "every part arrived");
        assert_eq!(receiver.requests.len(), parts + lost_answers, "once each, and again only after a lost answer");
        assert!(lost_answers > 0);
    }
}
