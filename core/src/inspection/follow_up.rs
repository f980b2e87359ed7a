//! A re-inspection (复查) as the inspection records it: the inspection it follows, the
//! hazards it carries and the verdict on each. Starting one from the register is
//! the rectification part's business.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::inspection::determination::Standing;
use crate::inspection::hazard::Grade;
use crate::inspection::paperwork::IssuedDocument;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The inspection the follow-up was started from.
    pub of: Uuid,
    /// The open hazards carried, in the order they were found.
    pub checks: Vec<HazardCheck>,
    /// The order (by deadline) that `of` issued, copied when the follow-up starts — from the
    /// record on the phone or from the office's pull — so the re-inspection opinion names its
    /// number and date wherever the original record is now (archived, on another phone).
    /// Absent when it issued none, and in follow-ups from before it (sent as payload schema 5
    /// when present: see [`crate::delivery::payload::schema_for`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<IssuedDocument>,
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
    /// Copied with the grade: a suspected major hazard is still called suspected on the
    /// follow-up. Left out when direct, as in checks from before it.
    #[serde(default, skip_serializing_if = "Standing::is_direct")]
    pub standing: Standing,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_keep_their_json_shape() {
        let check = HazardCheck {
            inspection: Uuid::from_u128(1),
            item: "a-1".into(),
            description: "d".into(),
            grade: Grade::Major,
            standing: Standing::Suspected,
            deadline: String::new(),
            verdict: Some(Verdict::NotRectified),
            note: "n".into(),
        };
        let json = serde_json::to_value(&check).unwrap();
        assert_eq!(json["verdict"], "not_rectified");
        assert_eq!(json["grade"], "major");
        assert_eq!(json["standing"], "suspected");
        let back: HazardCheck = serde_json::from_value(json).unwrap();
        assert_eq!(back, check);
    }
}
