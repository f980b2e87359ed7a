//! The answer to `GET {endpoint}/sync?since=<cursor>`: one schema for the receiver that
//! writes it and the app that reads it. Fields a newer receiver adds are ignored by older
//! apps (no `deny_unknown_fields`), so the pull can grow without breaking phones in the field.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::documents::numbering::SerialBlock;
use crate::documents::particulars::AgencyParticulars;
use crate::inspection::SiteDetails;
use crate::rectification::register::RegisterEntry;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pull {
    /// Sent back as `since` on the next pull. Opaque to the phone.
    pub cursor: String,
    /// `true`: the answer holds everything for this inspector (no `since`, or one the receiver
    /// no longer knows), and the phone replaces what it kept. `false`: only what changed since
    /// the cursor.
    pub full: bool,
    /// Tasks new or changed since the cursor, in any state: a delivered or withdrawn one tells
    /// the phone to drop it.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// The open hazards of the sites of this inspector's tasks, for each site whose hazards
    /// changed since the cursor or whose task is new in this answer.
    #[serde(default)]
    pub sites: Vec<SiteHazards>,
    /// The `ETag` of `GET {endpoint}/templates` now: the phone fetches the library again when it
    /// differs from the one it holds. Absent when the receiver serves no library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
    /// Every document serial block the office has allocated to this inspector for the current
    /// year, in every answer (they are few): the phone adds those it does not hold. A pull
    /// with `top_up=<year>` asks for a new block (the phone's serials are running low).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serials: Vec<SerialBlock>,
    /// The office's particulars for documents (agency, number pattern, where to appeal); the
    /// phone's own settings fill what the office leaves blank. Absent when the office set none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencyParticulars>,
}

/// One inspection the office assigned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: Uuid,
    /// As the office prints it (e.g. `2026-0007`).
    pub number: String,
    pub kind: TaskKind,
    pub state: TaskState,
    /// The office's site id: the key of [`SiteHazards::site`].
    pub site: Uuid,
    /// The site as the office holds it, filled into the inspection started from the task.
    pub site_details: SiteDetails,
    /// The checklist: a template id of the library.
    pub template: String,
    /// Who is sent (usually two), as the office names them.
    #[serde(default)]
    pub inspectors: Vec<String>,
    /// `YYYY-MM-DD`.
    pub due: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Inspect the site with the checklist.
    Inspection,
    /// Re-inspect (复查) the site's open hazards: a follow-up carrying them.
    ReInspection,
}

/// Where the task stands at the office. Overdue is not a state: the phone sees it from the
/// due date, offline too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    Assigned,
    /// Pulled by a phone of one of its inspectors.
    Taken,
    /// An inspection started from it has arrived.
    Delivered,
    /// Called off by the office.
    Withdrawn,
}

impl TaskState {
    /// Still to be done: the phone lists it.
    pub fn is_open(self) -> bool {
        matches!(self, TaskState::Assigned | TaskState::Taken)
    }
}

/// Every open hazard of one site, whoever found it, in register order: what a re-inspection
/// there carries. It replaces whatever the phone kept for the site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteHazards {
    pub site: Uuid,
    #[serde(default)]
    pub open: Vec<RegisterEntry>,
}
