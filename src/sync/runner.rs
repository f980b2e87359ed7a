//! Performs what the outbox decides: sends one record, waits until the next try is due, or
//! rests. Every change of the outbox is written to the device before anything else happens,
//! so a reload in the middle of a send loses nothing and duplicates nothing.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use safewalk_core::outbox::{classify, classify_attachment, Outcome, Step};
use uuid::Uuid;

use super::transport;
use crate::attachments;
use crate::browser;
use crate::state::Delivery;

/// Starts delivery: a send cut off by the last reload is queued again, completed inspections
/// the outbox lost are queued, failed ones are due at once; then the same on `online`.
pub fn start(state: Delivery) {
    let completed = state.completed();
    state.update_outbox(|outbox| {
        outbox.recover_interrupted();
        outbox.reconcile_with(completed);
        outbox.retry_now(browser::now());
    });
    window_event_listener_untyped("online", move |_| send_now(state));
    kick(state);
}

/// "Send now", the `online` event and a settings change: failed records are due at once.
pub fn send_now(state: Delivery) {
    state.update_outbox(|outbox| outbox.retry_now(browser::now()));
    kick(state);
}

/// Does what the outbox says is next: the record, then each of its pictures.
pub fn kick(state: Delivery) {
    let now = browser::now();
    match state.with_outbox_untracked(|outbox| outbox.next_step(now)) {
        Step::Idle => {}
        Step::WaitUntil(at) => state.wake_at(Duration::from_millis(at.saturating_sub(now)), move || kick(state)),
        Step::SendRecord(id) => send_record(state, id, now),
        Step::SendAttachment(id, attachment) => send_attachment(state, id, attachment, now),
    }
}

fn send_record(state: Delivery, id: Uuid, now: u64) {
    let Some(payload) = state.payload(id) else {
        // Its record can no longer be read on this device (Home lists it as unreadable):
        // say so on the outbox entry rather than block everything queued behind it.
        let missing = Outcome::Rejected { status: 0, message: "the inspection cannot be read on this device".into() };
        state.update_outbox(|outbox| outbox.finish(id, missing, now));
        return kick(state);
    };
    let (endpoint, token) = state.destination();
    state.update_outbox(|outbox| outbox.start_sending(id, now));
    spawn_local(async move {
        let attempt = transport::send_inspection(&endpoint, &token, &id.to_string(), &payload).await;
        let outcome = classify(id, &attempt);
        state.update_outbox(|outbox| outbox.finish(id, outcome, browser::now()));
        kick(state);
    });
}

fn send_attachment(state: Delivery, id: Uuid, attachment: Uuid, now: u64) {
    let described = state.picture_described(id, attachment);
    let (endpoint, token) = state.destination();
    state.update_outbox(|outbox| outbox.start_sending(id, now));
    spawn_local(async move {
        let picture = match &described {
            Some(_) => attachments::picture(attachment).await,
            None => None,
        };
        let outcome = match (described, picture) {
            (Some((content_type, sha256)), Some(blob)) => {
                let attempt =
                    transport::send_attachment(&endpoint, &token, &id.to_string(), &attachment.to_string(), &content_type, &sha256, &blob)
                        .await;
                classify_attachment(id, attachment, &attempt)
            }
            // The picture is gone from this device (site data cleared): it cannot be sent,
            // and says so rather than holding the queue.
            _ => Outcome::Rejected { status: 0, message: format!("picture {attachment} is missing on this device") },
        };
        state.update_outbox(|outbox| outbox.finish_attachment(id, attachment, outcome, browser::now()));
        kick(state);
    });
}
