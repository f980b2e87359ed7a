//! Performs what the outbox decides: sends one record, waits until the next try is due, or
//! rests. Every change of the outbox is written to the device before anything else happens,
//! so a reload in the middle of a send loses nothing and duplicates nothing.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use safewalk_core::outbox::{classify, Next, Outcome};
use safewalk_core::payload::InspectionPayload;

use super::transport;
use crate::browser;
use crate::state::AppState;

/// Starts delivery: a send cut off by the last reload is queued again, completed inspections
/// the outbox lost are queued, failed ones are due at once; then the same on `online`.
pub fn start(state: AppState) {
    state.update_outbox(|outbox| {
        outbox.recover_interrupted();
        let completed = state.inspections.with_untracked(|all| {
            all.iter().filter_map(|i| i.completed_at.map(|at| (i.id, at))).collect::<Vec<_>>()
        });
        outbox.reconcile(completed);
        outbox.retry_now(browser::now());
    });
    window_event_listener_untyped("online", move |_| send_now(state));
    kick(state);
}

/// "Send now", the `online` event and a settings change: failed records are due at once.
pub fn send_now(state: AppState) {
    state.update_outbox(|outbox| outbox.retry_now(browser::now()));
    kick(state);
}

/// Does what the outbox says is next.
pub fn kick(state: AppState) {
    let now = browser::now();
    match state.outbox.with_untracked(|outbox| outbox.next(now)) {
        Next::Idle => {}
        Next::WaitUntil(at) => state.wake_at(Duration::from_millis(at.saturating_sub(now)), move || kick(state)),
        Next::Send(id) => {
            let Some(payload) = state
                .with_inspection_untracked(id, |i| {
                    // Graded when its checklist is here; a record without grades still goes.
                    let payload = match state.template_of(i) {
                        Some(template) => {
                            let rule_set = state.checklists.rule_set_of(&template);
                            InspectionPayload::graded(i.clone(), &template, rule_set.as_deref())
                        }
                        None => InspectionPayload::new(i.clone()),
                    };
                    serde_json::to_string(&payload).ok()
                })
                .flatten()
            else {
                // Its record can no longer be read on this device (Home lists it as unreadable):
                // say so on the outbox entry rather than block everything queued behind it.
                let missing = Outcome::Rejected { status: 0, message: "the inspection cannot be read on this device".into() };
                state.update_outbox(|outbox| outbox.finish(id, missing, now));
                return kick(state);
            };
            let endpoint = state.endpoint();
            let token = state.settings.with_untracked(|s| s.token.clone());
            state.update_outbox(|outbox| outbox.start_sending(id, now));
            spawn_local(async move {
                let attempt = transport::send_inspection(&endpoint, &token, &id.to_string(), &payload).await;
                let outcome = classify(id, &attempt);
                state.update_outbox(|outbox| outbox.finish(id, outcome, browser::now()));
                kick(state);
            });
        }
    }
}
