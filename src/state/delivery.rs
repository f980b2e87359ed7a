//! Delivery of completed inspections: the outbox (where each one stands, written on every
//! change), the runner that performs what it decides, and the runner's wake-up timer.

use std::time::Duration;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use safewalk_core::delivery::outbox::{Outbox, Step};
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::delivery::port::{Completed, DeliveryPort};
use safewalk_core::delivery::transport::{Destination, PictureFacts};
use safewalk_core::exchange::backup::RestorePlan;
use safewalk_core::storage::OUTBOX_KEY;
use safewalk_core::Problem;
use uuid::Uuid;
use web_sys::Blob;

use super::checklists::{Checklists, Edition};
use super::device::Device;
use super::drafts::Drafts;
use super::settings::Settings;
use crate::sync::runner;
use crate::{attachments, browser};

#[derive(Clone, Copy)]
pub struct Delivery {
    outbox: RwSignal<Outbox>,
    /// The runner's wake-up for the next due try.
    timer: StoredValue<Option<TimeoutHandle>>,
    drafts: Drafts,
    settings: Settings,
    checklists: Checklists,
    device: Device,
}

impl Delivery {
    pub fn load(device: Device, drafts: Drafts, settings: Settings, checklists: Checklists) -> Delivery {
        let outbox = device.read_record::<Outbox>(OUTBOX_KEY).unwrap_or_default();
        Delivery { outbox: RwSignal::new(outbox), timer: StoredValue::new(None), drafts, settings, checklists, device }
    }

    /// Reads the outbox (completed inspections and where their delivery stands), tracked.
    pub fn with_outbox<R>(&self, read: impl FnOnce(&Outbox) -> R) -> R {
        self.outbox.with(read)
    }

    pub fn outbox_untracked(&self) -> Outbox {
        self.outbox.get_untracked()
    }

    /// Starts delivery: a send cut off by the last reload is queued again, completed
    /// inspections the outbox lost are queued, failed ones are due at once; "send now" on
    /// `online`.
    pub fn start(&self) {
        runner::start(*self);
    }

    /// "Send now", and after new settings: failed records are due at once.
    pub fn send_now(&self) {
        runner::send_now(*self);
    }

    /// Completes an inspection (through drafts, the only writer of inspections) and queues it
    /// for delivery.
    pub fn complete(&self, id: Uuid) -> Result<(), Vec<Problem>> {
        let pictures = self.drafts.complete(id)?;
        self.update_outbox(|outbox| outbox.enqueue_with(id, pictures, browser::now()));
        runner::kick(*self);
        Ok(())
    }

    /// New settings (endpoint, token) end an auth pause, and everything is due at once.
    pub fn settings_changed(&self) {
        self.update_outbox(Outbox::settings_changed);
        runner::send_now(*self);
    }

    /// Takes in a restored backup's delivery states, then goes on sending.
    pub fn restore(&self, plan: &RestorePlan) {
        self.update_outbox(|outbox| plan.apply_outbox(outbox, browser::now()));
        runner::kick(*self);
    }

    /// Moves what is delivered out of localStorage (through drafts, the only writer of
    /// inspections): at start, and after each receipt.
    pub fn move_delivered(&self) {
        self.outbox.with_untracked(|outbox| self.drafts.move_delivered(outbox));
    }

    /// Changes the outbox and writes it at once: a delivery state only in memory could send
    /// twice or forget a receipt after a reload.
    fn update_outbox(&self, change: impl FnOnce(&mut Outbox)) {
        self.outbox.update(change);
        self.outbox.with_untracked(|outbox| self.device.put_record(OUTBOX_KEY, outbox));
        self.move_delivered();
    }
}

/// What core's delivery runner reads (the outbox, the completed inspections and their
/// payloads, where to send) and how it records outcomes (every change of the outbox written
/// at once) and waits (one wake-up timer).
impl DeliveryPort for Delivery {
    type Picture = Blob;

    fn now(&self) -> u64 {
        browser::now()
    }

    fn next_step(&self, now: u64) -> Step {
        self.outbox.with_untracked(|outbox| outbox.next_step(now))
    }

    fn completed(&self) -> Vec<Completed> {
        self.drafts.with_all_untracked(|all| {
            all.iter().filter_map(|i| i.completed_at.map(|at| (i.id, at, i.attachments.iter().map(|a| a.id).collect()))).collect()
        })
    }

    fn destination(&self) -> Destination {
        Destination { endpoint: self.settings.endpoint(), token: self.settings.token() }
    }

    /// Graded when its checklist is here; a record without grades still goes.
    fn payload(&self, id: Uuid) -> Option<String> {
        self.drafts
            .with_inspection_untracked(id, |i| {
                let payload = match self.checklists.checklist_of(&i.template) {
                    Some(Edition { template, rule_set }) => InspectionPayload::graded(i.clone(), &template, rule_set.as_deref()),
                    None => InspectionPayload::new(i.clone()),
                };
                serde_json::to_string(&payload).ok()
            })
            .flatten()
    }

    fn picture_facts(&self, id: Uuid, attachment: Uuid) -> Option<PictureFacts> {
        self.drafts
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
        self.update_outbox(change);
    }

    /// Replaces any earlier wake-up.
    fn wake_at(&self, at: u64) {
        if let Some(old) = self.timer.try_update_value(Option::take).flatten() {
            old.clear();
        }
        let delivery = *self;
        let delay = Duration::from_millis(at.saturating_sub(browser::now()));
        if let Ok(handle) = set_timeout_with_handle(move || runner::kick(delivery), delay) {
            self.timer.set_value(Some(handle));
        }
    }
}
