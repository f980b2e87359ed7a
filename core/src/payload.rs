//! What travels to the office: the completed inspection as the receiver stores it, and
//! the receipt that proves it arrived. One schema, used by the app and the receiver.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::inspection::Inspection;

/// The payload schema this build sends and accepts.
pub const PAYLOAD_SCHEMA: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionPayload {
    pub schema: u32,
    pub inspection: Inspection,
}

impl InspectionPayload {
    pub fn new(inspection: Inspection) -> InspectionPayload {
        InspectionPayload { schema: PAYLOAD_SCHEMA, inspection }
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
