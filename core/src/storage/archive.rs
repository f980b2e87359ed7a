//! Delivered inspections leave localStorage for the device's larger store (the app's
//! IndexedDB archive), so a year of records never fills the few MB the drafts need.
//!
//! A move is copy, verify, then delete, one record at a time, and may stop anywhere (the tab
//! killed, the phone off): a record is then in localStorage, or in both stores, never in
//! neither. [`next_move_step`] reads where a record stands from what each store holds, so the
//! next start simply moves again and finishes a half-done move.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::draft_format::decode_inspection;
use crate::delivery::outbox::{Outbox, OutboxRecord};
use crate::inspection::Inspection;

/// Whether a record is done with on this device: completed, and delivered with every
/// attachment (the receiver's receipts are in the outbox). Only such records move.
pub fn is_archivable(inspection: &Inspection, outbox: &Outbox) -> bool {
    inspection.is_completed() && outbox.record(inspection.id).is_some_and(|r| r.is_delivered())
}

/// Whether the inspection with this id is delivered: the outbox holds its receipts, or it
/// is `archived` (only delivered inspections move there, and the outbox forgets their
/// receipts once they have: `Outbox::forget_delivered`).
pub fn is_delivered(id: Uuid, outbox: &Outbox, archived: &BTreeSet<Uuid>) -> bool {
    archived.contains(&id) || outbox.record(id).is_some_and(OutboxRecord::is_delivered)
}

/// What the move of one record does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveStep {
    /// Write localStorage's text into the archive (then read it back: [`MoveStep::RemoveLocal`]
    /// only once the archive holds the same record).
    Copy,
    /// The archive holds the same record: the localStorage copy may go.
    RemoveLocal,
    /// Nothing in localStorage to move, or a text there that is not a record (kept where it
    /// is, for the unreadable-draft report).
    Nothing,
}

/// Decides the next step from the texts under the record's key in localStorage and in the
/// archive. The archive's copy counts only when it reads as the same inspection: one cut off
/// or different is copied over again, and the local copy is never removed before that.
pub fn next_move_step(local: Option<&str>, archived: Option<&str>) -> MoveStep {
    let Some(Ok(here)) = local.map(decode_inspection) else { return MoveStep::Nothing };
    match archived.map(decode_inspection) {
        Some(Ok(there)) if there == here => MoveStep::RemoveLocal,
        _ => MoveStep::Copy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::outbox::Outcome;
    use crate::delivery::payload::{Receipt, ReceiptStatus};
    use crate::inspection::record::tests::new_demo;
    use crate::storage::encode_inspection;

    fn completed() -> Inspection {
        let (_, mut i) = new_demo();
        i.completed_at = Some(5);
        i
    }

    #[test]
    fn only_completed_inspections_with_every_receipt_move() {
        let (_, draft) = new_demo();
        let done = completed();
        let mut outbox = Outbox::default();
        assert!(!is_archivable(&done, &outbox), "not in the outbox: not known to be delivered");
        outbox.enqueue(done.id, 5);
        assert!(!is_archivable(&done, &outbox), "queued");
        let receipt = Receipt { id: done.id, status: ReceiptStatus::Stored, received_at: 6 };
        outbox.finish(done.id, Outcome::Delivered(receipt), 6);
        assert!(is_archivable(&done, &outbox));
        assert!(!is_archivable(&draft, &outbox), "a draft never moves");
    }

    #[test]
    fn a_move_cut_off_anywhere_is_finished_by_the_next_pass() {
        let raw = encode_inspection(&completed()).unwrap();
        // Before the copy, or the copy never committed.
        assert_eq!(next_move_step(Some(&raw), None), MoveStep::Copy);
        // Copied, not yet removed here: verified, then removed.
        assert_eq!(next_move_step(Some(&raw), Some(&raw)), MoveStep::RemoveLocal);
        // Removed here: done.
        assert_eq!(next_move_step(None, Some(&raw)), MoveStep::Nothing);
        // The archive's copy is cut off or another record: copied again, the local one kept.
        assert_eq!(next_move_step(Some(&raw), Some(&raw[..raw.len() / 2])), MoveStep::Copy);
        let (_, other) = new_demo();
        assert_eq!(next_move_step(Some(&raw), Some(&encode_inspection(&other).unwrap())), MoveStep::Copy);
        // Text here that is not a record stays for the unreadable report.
        assert_eq!(next_move_step(Some("{not json"), None), MoveStep::Nothing);
    }
}
