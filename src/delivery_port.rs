//! Core's delivery port over the app's state: what the runner reads (the outbox, the
//! completed inspections and their payloads, where to send) and how it records outcomes
//! (every change of the outbox written at once) and waits (one wake-up timer).

use std::time::Duration;

use leptos::prelude::*;
use safewalk_core::delivery::outbox::{Outbox, Step};
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::delivery::port::{Completed, DeliveryPort};
use safewalk_core::delivery::transport::{Destination, PictureFacts};
use uuid::Uuid;
use web_sys::Blob;

use crate::state::AppState;
use crate::{attachments, browser, sync};

/// Starts delivery: see [`sync::runner::start`].
pub fn start(state: AppState) {
    sync::runner::start(AppDelivery(state));
}

/// "Send now", the `online` event and a settings change: failed records are due at once.
pub fn send_now(state: AppState) {
    sync::runner::send_now(AppDelivery(state));
}

/// Sends what the outbox says is next (after completing or restoring).
pub fn kick(state: AppState) {
    sync::runner::kick(AppDelivery(state));
}

/// The delivery runner's view of the app.
#[derive(Clone, Copy)]
pub struct AppDelivery(pub AppState);

impl DeliveryPort for AppDelivery {
    type Picture = Blob;

    fn now(&self) -> u64 {
        browser::now()
    }

    fn next_step(&self, now: u64) -> Step {
        self.0.outbox.with_untracked(|outbox| outbox.next_step(now))
    }

    fn completed(&self) -> Vec<Completed> {
        self.0.inspections.with_untracked(|all| {
            all.iter().filter_map(|i| i.completed_at.map(|at| (i.id, at, i.attachments.iter().map(|a| a.id).collect()))).collect()
        })
    }

    fn destination(&self) -> Destination {
        Destination { endpoint: self.0.endpoint(), token: self.0.settings.with_untracked(|s| s.token.clone()) }
    }

    fn payload(&self, id: Uuid) -> Option<String> {
        let state = self.0;
        state
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
    }

    fn picture_facts(&self, id: Uuid, attachment: Uuid) -> Option<PictureFacts> {
        self.0
            .with_inspection_untracked(id, |i| {
                i.attachments
                    .iter()
                    .find(|a| a.id == attachment)
                    .map(|a| PictureFacts { content_type: a.content_type.clone(), sha256: a.sha256.clone() })
            })
            .flatten()
    }

    async fn picture(&self, attachment: Uuid) -> Option<Blob> {
        attachments::picture(attachment).await
    }

    fn change_outbox(&self, change: impl FnOnce(&mut Outbox)) {
        self.0.update_outbox(change);
    }

    fn wake_at(&self, at: u64) {
        let port = *self;
        let delay = Duration::from_millis(at.saturating_sub(browser::now()));
        self.0.wake_at(delay, move || sync::runner::kick(port));
    }
}
