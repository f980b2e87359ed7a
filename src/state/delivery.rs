//! Delivery of completed inspections: the outbox (where each one stands, written on every
//! change), the runner that performs what it decides, and the runner's wake-up timer.
//!
//! Only one tab runs the runner: the sender (`sync::sender`). The others show the sender's
//! outbox as it writes it (the `storage` event) and add their own new work to it; the
//! sender takes that in and sends it (`Outbox::add_missing`). When the sender's page goes,
//! another tab becomes the sender and goes on.
//!
//! A delivered inspection moves to the archive (`Drafts::move_delivered`) with when it was
//! delivered in its summary; at the next start the outbox forgets it
//! (`Outbox::forget_delivered`), so the outbox holds only what is under way and what was
//! delivered since the app started, however many records the phone keeps. (Until then its
//! receipt stays for the screens that show it.) The archived inspections are never queued
//! again, nor taken back from another tab.

use std::collections::BTreeSet;
use std::time::Duration;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use safewalk_core::delivery::outbox::{Delivery as OutboxDelivery, Outbox, Step};
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::delivery::port::{Completed, DeliveryPort};
use safewalk_core::delivery::seal::canonical_text;
use safewalk_core::delivery::transport::{Destination, PictureFacts};
use safewalk_core::exchange::backup::RestorePlan;
use safewalk_core::storage::{INSPECTION_PREFIX, OUTBOX_KEY, SETTINGS_KEY};
use safewalk_core::Problem;
use uuid::Uuid;
use web_sys::Blob;

use super::checklists::{Checklists, Edition};
use super::device::Device;
use super::drafts::Drafts;
use super::settings::Settings;
use crate::sync::{runner, sender};
use crate::{attachments, browser};

/// How long the archive's list waits at most for the sender's first pass at start: long
/// enough for a receipt over a fair connection, short enough that a slow one (or a tab that
/// is not the sender) does not hold Home's delivered cards back for long.
const START_PASS_WAIT_MS: i32 = 2_000;

/// The sender's first pass at start: over once nothing is being sent and nothing is due
/// (what waited has its answer, or nothing waited). Reading the archive of delivered records
/// after it keeps a year of them from competing with the receipts for the phone's time.
#[derive(Default)]
struct StartPass {
    over: bool,
    /// Resolves the promise [`Delivery::after_start_pass`] waits on.
    waiting: Option<js_sys::Function>,
}

#[derive(Clone, Copy)]
pub struct Delivery {
    outbox: RwSignal<Outbox>,
    /// The runner's wake-up for the next due try.
    timer: StoredValue<Option<TimeoutHandle>>,
    /// This tab holds the sender's lock and runs the runner.
    sender: StoredValue<bool>,
    start_pass: StoredValue<StartPass>,
    /// When this page started: what is delivered after it keeps its receipt in the outbox
    /// until the next start.
    started_at: u64,
    drafts: Drafts,
    settings: Settings,
    checklists: Checklists,
    device: Device,
}

impl Delivery {
    pub fn load(device: Device, drafts: Drafts, settings: Settings, checklists: Checklists) -> Delivery {
        let outbox = device.read_record::<Outbox>(OUTBOX_KEY).unwrap_or_default();
        Delivery {
            outbox: RwSignal::new(outbox),
            timer: StoredValue::new(None),
            sender: StoredValue::new(false),
            start_pass: StoredValue::new(StartPass::default()),
            started_at: browser::now(),
            drafts,
            settings,
            checklists,
            device,
        }
    }

    /// Reads the outbox (completed inspections and where their delivery stands), tracked.
    pub fn with_outbox<R>(&self, read: impl FnOnce(&Outbox) -> R) -> R {
        self.outbox.with(read)
    }

    pub fn outbox_untracked(&self) -> Outbox {
        self.outbox.get_untracked()
    }

    /// Follows the other tabs' outbox writes, and starts delivery once this tab is the
    /// sender: a send cut off by the last reload (or by the last sender's closing) is queued
    /// again, completed inspections the outbox lost are queued, failed ones are due at once;
    /// "send now" on `online`.
    pub fn start(&self) {
        let delivery = *self;
        window_event_listener(leptos::ev::storage, move |event| match event.key().as_deref() {
            Some(OUTBOX_KEY) if event.new_value().is_some() => delivery.take_in_other_tab(),
            // Another tab moved an inspection to the archive (its outbox forgets it next).
            Some(key) if event.new_value().is_none() => {
                if let Some(id) = key.strip_prefix(INSPECTION_PREFIX).and_then(|id| Uuid::parse_str(id).ok()) {
                    let at = delivery.outbox.with_untracked(|outbox| match outbox.record(id).map(|r| &r.delivery) {
                        Some(OutboxDelivery::Delivered { at, .. }) => Some(*at),
                        _ => None,
                    });
                    delivery.drafts.archived_elsewhere(id, at);
                }
            }
            // A sign-in link or new settings in another tab: the sender sends with them.
            Some(SETTINGS_KEY) => {
                delivery.settings.reload();
                delivery.settings_changed();
            }
            _ => {}
        });
        sender::when_sender(move || {
            delivery.sender.set_value(true);
            runner::start(delivery);
        });
    }

    /// Another tab wrote the outbox. The sender keeps its states and takes in new work (and
    /// writes back what the other tab's copy lacked); any other tab shows the stored outbox
    /// with its own new work added (written back only when it added some).
    fn take_in_other_tab(&self) {
        let Some(stored) = self.device.read_record::<Outbox>(OUTBOX_KEY) else { return };
        let archived = self.drafts.with_archived(BTreeSet::clone);
        if self.sender.get_value() {
            let mut added = false;
            self.outbox.update(|mine| added = mine.add_missing(&stored, &archived));
            if self.outbox.with_untracked(|mine| *mine != stored) {
                self.update_outbox(|_| {});
            }
            if added {
                runner::kick(*self);
            }
        } else {
            let mut added = false;
            self.outbox.update(|mine| {
                let mut latest = stored;
                added = latest.add_missing(mine, &archived);
                *mine = latest;
            });
            if added {
                self.update_outbox(|_| {});
            }
        }
    }

    /// Waits until the sender's first pass at start is over (what was due has its answer, or
    /// nothing was due), or [`START_PASS_WAIT_MS`], whichever comes first.
    pub async fn after_start_pass(&self) {
        if self.start_pass.with_value(|pass| pass.over) {
            return;
        }
        let start_pass = self.start_pass;
        let over = js_sys::Promise::new(&mut |resolve: js_sys::Function, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, START_PASS_WAIT_MS);
            }
            start_pass.update_value(|pass| pass.waiting = Some(resolve));
        });
        let _ = wasm_bindgen_futures::JsFuture::from(over).await;
    }

    /// After each change the runner makes: the start pass is over once nothing is being sent
    /// and nothing is due now.
    fn note_start_pass(&self) {
        if self.start_pass.with_value(|pass| pass.over) {
            return;
        }
        let now = browser::now();
        let quiet = self.outbox.with_untracked(|outbox| {
            !outbox.records.iter().any(|r| matches!(r.delivery, OutboxDelivery::Sending { .. }))
                && matches!(outbox.next_step(now), Step::Idle | Step::WaitUntil(_))
        });
        if !quiet {
            return;
        }
        let waiting = self.start_pass.try_update_value(|pass| {
            pass.over = true;
            pass.waiting.take()
        });
        if let Some(resolve) = waiting.flatten() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    }

    /// "Send now", and after new settings: failed records are due at once. Only the sender
    /// sends; in another tab, it is the sender's own schedule that counts.
    pub fn send_now(&self) {
        if self.sender.get_value() {
            runner::send_now(*self);
        }
    }

    /// Does what the outbox says is next, when this tab is the sender.
    fn kick(&self) {
        if self.sender.get_value() {
            runner::kick(*self);
        }
    }

    /// Completes an inspection (through drafts, the only writer of inspections) and queues it
    /// for delivery.
    pub fn complete(&self, id: Uuid) -> Result<(), Vec<Problem>> {
        let pictures = self.drafts.complete(id)?;
        self.update_outbox(|outbox| outbox.enqueue_with(id, pictures, browser::now()));
        self.kick();
        Ok(())
    }

    /// New settings (endpoint, token) end an auth pause, and everything is due at once.
    pub fn settings_changed(&self) {
        self.update_outbox(Outbox::settings_changed);
        self.send_now();
    }

    /// Takes in a restored backup's delivery states, then goes on sending.
    pub fn restore(&self, plan: &RestorePlan) {
        self.update_outbox(|outbox| plan.apply_outbox(outbox, browser::now()));
        self.kick();
    }

    /// At start, once the archive's summaries are read: the summaries written before they
    /// kept when their inspection was delivered are given it, what is delivered moves out of
    /// localStorage, and the outbox forgets what is archived.
    pub async fn tidy(&self) {
        let outbox = self.outbox_untracked();
        self.drafts.keep_delivered_at(&outbox).await;
        let moving = self.drafts.move_delivered(&outbox);
        drop(outbox);
        if let Some(moving) = moving {
            moving.await;
        }
        self.forget_archived();
    }

    /// Moves what is delivered out of localStorage (through drafts, the only writer of
    /// inspections), in the background: after each receipt.
    fn move_delivered(&self) {
        if let Some(moving) = self.outbox.with_untracked(|outbox| self.drafts.move_delivered(outbox)) {
            leptos::task::spawn_local(moving);
        }
    }

    /// Forgets the delivered records of the inspections in the archive whose summaries keep
    /// when they were delivered (written there first: a crash between leaves a record that
    /// is forgotten at the next start, never one sent again); written only when any went.
    fn forget_archived(&self) {
        let mut archived = self.drafts.delivered_and_archived();
        let forgot = self.outbox.try_maybe_update(|outbox| {
            // Delivered since this page started (the start pass goes before this tidy): kept
            // until the next start, as every receipt is.
            archived.retain(|id| {
                !matches!(outbox.record(*id).map(|r| &r.delivery), Some(OutboxDelivery::Delivered { at, .. }) if *at >= self.started_at)
            });
            let forgot = outbox.forget_delivered(&archived) > 0;
            (forgot, forgot)
        });
        if forgot == Some(true) {
            self.outbox.with_untracked(|outbox| self.device.put_record(OUTBOX_KEY, outbox));
        }
    }

    /// Changes the outbox and writes it at once: a delivery state only in memory could send
    /// twice or forget a receipt after a reload.
    /// What goes to the office for inspection `id`, and what its seal is taken over: graded
    /// when its checklist is here; a record without grades still goes.
    pub fn payload_of(&self, id: Uuid) -> Option<InspectionPayload> {
        self.drafts.with_inspection_untracked(id, |i| match self.checklists.checklist_of(&i.template) {
            Some(Edition { template, rule_set }) => InspectionPayload::graded(i.clone(), &template, rule_set.as_deref()),
            None => InspectionPayload::new(i.clone()),
        })
    }

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

    fn archived(&self) -> BTreeSet<Uuid> {
        self.drafts.with_archived(BTreeSet::clone)
    }

    fn completed(&self) -> Vec<Completed> {
        self.drafts.with_all_untracked(|all| {
            all.iter().filter_map(|i| i.completed_at.map(|at| (i.id, at, i.attachments.iter().map(|a| a.id).collect()))).collect()
        })
    }

    fn destination(&self) -> Destination {
        Destination { endpoint: self.settings.endpoint(), token: self.settings.token() }
    }

    /// The canonical text: what the seal printed on the papers is taken over.
    fn payload(&self, id: Uuid) -> Option<String> {
        self.payload_of(id).map(|payload| canonical_text(&payload))
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
        self.note_start_pass();
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
