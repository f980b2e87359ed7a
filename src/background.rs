//! Work the app does out of sight, kept in a part of its own (`background`), downloaded right
//! after the first screen: sending completed inspections, pulling the inspector's tasks,
//! reading and tidying the archive of delivered records, fetching the catalogue, writing a
//! backup. Showing the first screen and answering a checklist need none of it, and it was
//! about 40 KB (brotli) of the first download (issue 16).
//!
//! Each task is a split point like the screens in [`crate::lazy`]: built by `scripts/build`,
//! its code and whatever only it reaches (core's delivery runner, the HTTP transport, the
//! archive's reads and moves) go to the part; built any other way, it is an ordinary call.
//! A part that cannot be fetched (offline before the service worker precached it) is said on
//! the console and the task skipped: the next trigger (a kick, `online`, the next start)
//! tries again, and nothing waiting to be sent is lost, it stays in the outbox.

use std::future::Future;
use std::pin::Pin;

use crate::backup::{BackupSummary, DownloadError};
use crate::lazy::PartUnavailable;
use crate::state::{Assignments, Checklists, Delivery, Drafts, Services};
use crate::sync::runner;

/// A task's work, started once its part is here.
pub type Work<T = ()> = Pin<Box<dyn Future<Output = T>>>;

/// Declares the task `$name`: its work, built from `$body` once the part is here.
macro_rules! background_task {
    ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $out:ty => $body:expr) => {
        $(#[$doc])*
        #[cfg_attr(
            safewalk_split,
            leptos::wasm_split::wasm_split(background, wasm_split_path = ::leptos::wasm_split, fallible)
        )]
        pub fn $name($($arg: $ty),*) -> Result<Work<$out>, PartUnavailable> {
            Ok(Box::pin($body))
        }
    };
}

/// In an async block: runs a task once its part is here, `Some` of what it returns, or
/// `None` when the part could not be fetched (said on the console).
#[cfg(safewalk_split)]
macro_rules! run {
    ($task:expr) => {
        $crate::background::finish($task.await)
    };
}
/// Without the split, the task's code is already here.
#[cfg(not(safewalk_split))]
macro_rules! run {
    ($task:expr) => {
        $crate::background::finish($task)
    };
}
pub(crate) use run;

/// Starts a task and lets it run.
macro_rules! spawn {
    ($task:expr) => {
        leptos::task::spawn_local(async move {
            let _ = $crate::background::run!($task).await;
        })
    };
}
pub(crate) use spawn;

pub async fn finish<T>(task: Result<Work<T>, PartUnavailable>) -> Option<T> {
    match task {
        Ok(work) => Some(work.await),
        Err(PartUnavailable) => {
            web_sys::console::warn_1(&"Safewalk: the background part could not be downloaded; its work waits for the next try".into());
            None
        }
    }
}

background_task! {
    /// Delivery at start, in the sender tab ([`runner::start`]).
    delivery_start(delivery: Delivery) -> () => runner::start(delivery)
}

background_task! {
    /// "Send now", `online`, new settings ([`runner::send_now`]).
    delivery_send_now(delivery: Delivery) -> () => runner::send_now(delivery)
}

background_task! {
    /// What the outbox says is next ([`runner::kick`]).
    delivery_kick(delivery: Delivery) -> () => runner::kick(delivery)
}

background_task! {
    /// One pull of the inspector's tasks, and one more if another was asked for meanwhile.
    pull(assignments: Assignments) -> () => async move { assignments.pull().await }
}

background_task! {
    /// The summaries of the delivered inspections in the archive, for Home and the register.
    load_archive(drafts: Drafts) -> () => async move { drafts.load_archive().await }
}

background_task! {
    /// At start, after the archive is read: what was delivered moves out of localStorage.
    tidy(delivery: Delivery) -> () => async move { delivery.tidy().await }
}

background_task! {
    /// The build's catalogue of checklists.
    fetch_catalogue(checklists: Checklists) -> () => checklists.fetch_catalogue()
}

background_task! {
    /// A backup of everything not delivered yet, downloaded as one file.
    back_up_unsent(services: Services) -> Result<Option<BackupSummary>, DownloadError> =>
        crate::backup::write_unsent(services)
}
