//! What travels to the office: the completed inspection as the receiver stores it, and
//! the receipt that proves it arrived. One schema, used by the app and the receiver.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::grading::Grade;
use crate::inspection::Inspection;
use crate::text::LocalText;

/// The payload schema this build sends. Schema 2 added `grades`; the receiver accepts
/// schemas 1 and 2.
pub const PAYLOAD_SCHEMA: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionPayload {
    pub schema: u32,
    pub inspection: Inspection,
    /// The settled grade of every hazard, keyed by item id, with why: so the office reads
    /// the grade the inspector saw without re-running the rules.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grades: BTreeMap<String, GradeReport>,
}

/// One hazard's grade as delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeReport {
    /// After the inspector's choice (raised, or lowered with a reason).
    pub grade: Grade,
    /// What the rules alone determined.
    pub rule_grade: Grade,
    /// The explanation, in both languages.
    pub because: LocalText,
}

impl InspectionPayload {
    /// A payload without grades (an inspection with no hazards needs none).
    pub fn new(inspection: Inspection) -> InspectionPayload {
        InspectionPayload { schema: PAYLOAD_SCHEMA, inspection, grades: BTreeMap::new() }
    }
}

/// The receiver's answer to a delivery it accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The inspection id the receiver stored: must equal the one sent.
    pub id: Uuid,
    /// "stored" the first time, "duplicate" for an identical resubmission.
    pub status: ReceiptStatus,
    /// When the receiver first stored it, milliseconds since the Unix epoch.
    pub received_at: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    Stored,
    Duplicate,
}
