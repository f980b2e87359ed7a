//! A re-inspection (复查): a follow-up visit that carries a site's open hazards and
//! verifies each one rectified or not. It is an inspection of its own, delivered as its
//! own record and linked to the inspection it was started from.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::grading::Grade;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The inspection the follow-up was started from.
    pub of: Uuid,
    /// The open hazards carried, in the order they were found.
    pub checks: Vec<HazardCheck>,
}

/// One carried hazard and the verdict on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardCheck {
    /// Where the hazard was found: its inspection and item.
    pub inspection: Uuid,
    pub item: String,
    /// Copied when the follow-up starts, so the record reads on its own.
    pub description: String,
    pub grade: Grade,
    #[serde(default)]
    pub deadline: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Verified rectified: the hazard closes.
    Rectified,
    /// Still there: the hazard stays open (and is overdue once past its deadline).
    NotRectified,
}
