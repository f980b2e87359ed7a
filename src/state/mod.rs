//! The app's services, each with its own private state, provided through context. Screens
//! read through their methods (tracked, or `_untracked`) and change things only by calling
//! them: no screen writes a service's state.
//!
//! Dependencies run one way:
//! - `device`: the key-value storage every service writes through, and the save status;
//! - `checklists`: the known checklist editions (kept on the device, the build's catalogue);
//! - `settings`: endpoint, token and inspector;
//! - `drafts`: the inspections, the only writer of them, and their write-behind, flushed when
//!   the page is hidden or left (uses checklists);
//! - `delivery`: the outbox and its runner (uses drafts, settings, checklists);
//! - `papers`: the document serials and the office's particulars, issuing numbers (uses
//!   settings, drafts);
//! - `assignments`: the tasks pulled from the office, when to pull, starting one (uses
//!   settings, checklists, drafts, papers, and delivery's receipts);
//! - `shell`: language, route and the update banner (uses drafts, to flush before an update).

mod assigned;
mod checklists;
mod delivery;
mod device;
mod drafts;
mod papers;
mod settings;
mod shell;

pub use crate::sync::pull::PullFailure;
pub use assigned::{Assignments, KeepProblem, PullStatus};
pub use checklists::{CatalogueFailure, CatalogueStatus, Checklists, Edition, FetchFailure, ReceiverImportError};
pub use delivery::Delivery;
pub use device::{Device, SaveStatus};
pub use drafts::{Drafts, SAVE_DELAY};
pub use papers::{BlockProblem, IssueFailure, Papers};
pub use settings::{ConnectionError, JoinError, Person, Settings};
pub use shell::Shell;

use leptos::prelude::*;

/// Every service, wired together.
#[derive(Clone, Copy)]
pub struct Services {
    pub device: Device,
    pub checklists: Checklists,
    pub settings: Settings,
    pub drafts: Drafts,
    pub delivery: Delivery,
    pub papers: Papers,
    pub assignments: Assignments,
    pub shell: Shell,
}

impl Services {
    /// Reads everything kept on the device. Never fails: what cannot be read is reported.
    /// The build's catalogue arrives later ([`Services::start`]).
    pub fn load() -> Services {
        let device = Device::open();
        let checklists = Checklists::load(device);
        let settings = Settings::load(device);
        let drafts = Drafts::load(device, checklists);
        let delivery = Delivery::load(device, drafts, settings, checklists);
        let papers = Papers::load(device, settings, drafts);
        let assignments = Assignments::load(device, settings, checklists, drafts, delivery, papers);
        let shell = Shell::load(device, drafts);
        Services { device, checklists, settings, drafts, delivery, papers, assignments, shell }
    }

    /// Makes the services available to the views below.
    pub fn provide(&self) {
        provide_context(*self);
    }

    /// Starts what runs in the background: the browser's events, delivery, the catalogue.
    pub fn start(&self) {
        self.shell.listen();
        self.drafts.flush_on_leave();
        self.drafts.follow_other_tabs();
        self.delivery.start();
        self.assignments.start();
        let (drafts, delivery) = (self.drafts, self.delivery);
        leptos::task::spawn_local(async move {
            // What waits to be sent goes first: a year of delivered records read meanwhile
            // would hold its receipt back (the page has one thread).
            delivery.after_start_pass().await;
            drafts.load_archive().await;
            delivery.tidy().await;
        });
        let checklists = self.checklists;
        leptos::task::spawn_local(async move {
            // The catalogue (38 KB) is for starting an inspection: the first screen is painted
            // and answers taps before it is fetched and parsed, not after (issue 16).
            crate::browser::after_next_paint().await;
            checklists.fetch_catalogue().await;
        });
        self.device.check_persistence();
        self.device.check_stores();
    }
}

/// Every service. Mounted under `App`, which provides them, so they are always there. One
/// context for all: each lookup costs the download its own copy of the search.
pub fn use_services() -> Services {
    expect_context()
}

#[inline]
pub fn use_device() -> Device {
    use_services().device
}

#[inline]
pub fn use_checklists() -> Checklists {
    use_services().checklists
}

#[inline]
pub fn use_settings() -> Settings {
    use_services().settings
}

#[inline]
pub fn use_drafts() -> Drafts {
    use_services().drafts
}

#[inline]
pub fn use_delivery() -> Delivery {
    use_services().delivery
}

#[inline]
pub fn use_papers() -> Papers {
    use_services().papers
}

#[inline]
pub fn use_assignments() -> Assignments {
    use_services().assignments
}

#[inline]
pub fn use_shell() -> Shell {
    use_services().shell
}
