//! "Assigned to me" (issue 14): what the phone keeps of its pulls of `GET {endpoint}/sync`
//! (core's [`Assigned`], written under [`ASSIGNED_KEY`] with the time of the last pull),
//! when it pulls, and starting a task.
//!
//! It pulls at start when online, on `online`, after a delivery receipt (a delivered task
//! leaves the list), and on "Refresh tasks"; one pull at a time. A changed library tag has
//! the receiver's library learned (not kept); the editions the open tasks name are kept. A failed pull keeps what was
//! kept. Unreadable kept data starts empty (its raw text is kept aside by the device) and a
//! full quota keeps the stored copy: both are told, neither panics.

use leptos::prelude::*;
use safewalk_core::assignment::assigned::Assigned;
use safewalk_core::assignment::pull::{Pull, Task};
use safewalk_core::assignment::start::{start_task, StartError};
use safewalk_core::rectification::register::RegisterEntry;
use safewalk_core::storage::{encode_record, StoreError, ASSIGNED_KEY};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::checklists::Checklists;
use super::delivery::Delivery;
use super::device::Device;
use super::drafts::Drafts;
use super::papers::Papers;
use super::settings::Settings;
use crate::browser;
use crate::sync::pull::{self, PullFailure};

/// What is written under [`ASSIGNED_KEY`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Kept {
    assigned: Assigned,
    /// When the last pull succeeded (ms since the epoch); `None`: never.
    pulled_at: Option<u64>,
}

/// Where the pulling stands.
#[derive(Clone, Debug, PartialEq)]
pub enum PullStatus {
    Idle,
    Pulling,
    Failed(PullFailure),
}

/// Why what was pulled is not (or no longer) on the device; told by
/// [`crate::i18n::Strings::keep_problem`].
#[derive(Clone, Debug, PartialEq)]
pub enum KeepProblem {
    /// The kept tasks could not be read at start: the list starts empty until the next pull.
    Unreadable,
    /// The last pull could not be written (a full quota): shown now, not kept for offline;
    /// the copy from before stays on the device.
    NotKept(StoreError),
}

#[derive(Clone, Copy)]
pub struct Assignments {
    kept: RwSignal<Kept>,
    status: RwSignal<PullStatus>,
    problem: RwSignal<Option<KeepProblem>>,
    /// A pull is under way (one at a time).
    pulling: StoredValue<bool>,
    /// Another pull was asked for while one was under way.
    again: StoredValue<bool>,
    settings: Settings,
    checklists: Checklists,
    drafts: Drafts,
    delivery: Delivery,
    papers: Papers,
    device: Device,
}

impl Assignments {
    pub fn load(
        device: Device,
        settings: Settings,
        checklists: Checklists,
        drafts: Drafts,
        delivery: Delivery,
        papers: Papers,
    ) -> Assignments {
        let stored = device.read_text(ASSIGNED_KEY).is_some();
        let kept = device.read_record::<Kept>(ASSIGNED_KEY);
        let problem = (stored && kept.is_none()).then_some(KeepProblem::Unreadable);
        Assignments {
            kept: RwSignal::new(kept.unwrap_or_default()),
            status: RwSignal::new(PullStatus::Idle),
            problem: RwSignal::new(problem),
            pulling: StoredValue::new(false),
            again: StoredValue::new(false),
            settings,
            checklists,
            drafts,
            delivery,
            papers,
            device,
        }
    }

    /// Pulls now when online, on `online`, and after each delivery receipt.
    pub fn start(&self) {
        let assignments = *self;
        window_event_listener_untyped("online", move |_| assignments.refresh());
        if web_sys::window().is_some_and(|w| w.navigator().on_line()) {
            self.refresh();
        }
        // A receipt (fewer unsent) may have delivered a task: the office no longer lists it.
        let unsent = Memo::new(move |_| assignments.delivery.with_outbox(|o| o.unsent()));
        Effect::new(move |before: Option<usize>| {
            let now = unsent.get();
            if before.is_some_and(|before| now < before) {
                assignments.refresh();
            }
            now
        });
    }

    /// "Refresh tasks", `online`, a receipt: a pull now, or once more after the one under way.
    pub fn refresh(&self) {
        let assignments = *self;
        leptos::task::spawn_local(async move { assignments.pull().await });
    }

    /// One pull; a pull asked for meanwhile (a receipt arrived) runs once after it, so what
    /// changed at the office since this one asked is not missed.
    async fn pull(&self) {
        if self.pulling.get_value() {
            self.again.set_value(true);
            return;
        }
        self.pulling.set_value(true);
        loop {
            self.again.set_value(false);
            self.pull_once().await;
            if !self.again.get_value() {
                break;
            }
        }
        self.pulling.set_value(false);
    }

    async fn pull_once(&self) {
        self.status.set(PullStatus::Pulling);
        let (endpoint, token) = (self.settings.endpoint(), self.settings.token());
        let cursor = self.kept.with_untracked(|k| k.assigned.cursor.clone());
        // Asks the office for a new block of document serials when this year's run low.
        let top_up = self.papers.top_up_year();
        match pull::pull(&endpoint, &token, cursor.as_deref(), top_up).await {
            Ok(mut answer) => {
                self.papers.take_from_pull(&std::mem::take(&mut answer.serials), answer.agency.take());
                let library = answer.library.clone();
                let held = self.kept.with_untracked(|k| k.assigned.library.clone());
                self.take(answer, browser::now());
                self.status.set(PullStatus::Idle);
                if library.is_some() && library != held {
                    // A failed fetch keeps the editions the phone has; the next pull asks again.
                    if self.checklists.refresh_from_receiver(endpoint, token).await.is_err() {
                        self.kept.update(|k| k.assigned.library = held);
                    }
                }
                self.keep_checklists();
            }
            Err(failure) => self.status.set(PullStatus::Failed(failure)),
        }
    }

    /// Keeps on the device the edition each open task would start with, so a task pulled
    /// today can be started offline tomorrow, whatever the cached catalogue holds.
    fn keep_checklists(&self) {
        for task in self.kept.with_untracked(|k| k.assigned.to_do().into_iter().map(|t| t.template.clone()).collect::<Vec<_>>()) {
            if let Some(template) = self.checklists.latest_of(&task) {
                self.checklists.keep(&template);
            }
        }
    }

    /// Takes in one answer (core's [`Assigned::apply`]) pulled at `now` and keeps it on the
    /// device; a refused write is told and leaves the stored copy as it was.
    pub fn take(&self, answer: Pull, now: u64) {
        // Measured (user timing `safewalk:pull-apply`): a pull of 50 tasks in the benchmark.
        browser::timed("safewalk:pull-apply", || {
            self.kept.update(|k| {
                k.assigned.apply(answer);
                k.pulled_at = Some(now);
            })
        });
        let written = self
            .kept
            .with_untracked(encode_record)
            .map_err(|e| StoreError::Unavailable(e.to_string()))
            .and_then(|raw| self.device.put_text(ASSIGNED_KEY, &raw));
        self.problem.set(written.err().map(KeepProblem::NotKept));
    }

    /// The open tasks, soonest due first. Tracked.
    pub fn to_do(&self) -> Vec<Task> {
        self.kept.with(|k| k.assigned.to_do().into_iter().cloned().collect())
    }

    /// When the last pull succeeded; `None`: never (on this device). Tracked.
    pub fn pulled_at(&self) -> Option<u64> {
        self.kept.with(|k| k.pulled_at)
    }

    /// Tracked.
    pub fn status(&self) -> PullStatus {
        self.status.get()
    }

    /// Why the list is not (or no longer) kept on the device. Tracked.
    pub fn problem(&self) -> Option<KeepProblem> {
        self.problem.get()
    }

    /// The site's open hazards as last pulled. Untracked.
    pub fn open_hazards(&self, site: Uuid) -> Vec<RegisterEntry> {
        self.kept.with_untracked(|k| k.assigned.open_hazards(site).to_vec())
    }

    /// The draft or completed inspection started from this task on this device, if any, and
    /// whether it is completed. Tracked.
    pub fn started(&self, task: Uuid) -> Option<(Uuid, bool)> {
        self.drafts.with_all(|all| all.iter().find(|i| i.task == Some(task)).map(|i| (i.id, i.is_completed())))
    }

    /// Starts the task (`core::assignment::start`) with the device's newest edition of its
    /// checklist, or goes back to the inspection already started from it. Returns the id; it
    /// opens on its details, as a new inspection does: the inspector confirms the site the
    /// office sent (and adds what it did not) before the checklist, or the carried hazards.
    pub fn start_task(&self, task: &Task) -> Result<Uuid, StartError> {
        let started = self.drafts.with_all_untracked(|all| all.iter().find(|i| i.task == Some(task.id)).map(|i| i.id));
        if let Some(started) = started {
            return Ok(started);
        }
        let template = self.checklists.latest_of(&task.template);
        let open = self.open_hazards(task.site);
        let inspection = start_task(Uuid::new_v4(), task, template.as_deref(), &open, browser::now())?;
        let Some(template) = template else { return Err(StartError::NoChecklist(task.template.clone())) };
        Ok(self.drafts.add_started(inspection, &template))
    }
}
