//! The eviction guard. A browser may clear a site's storage: Safari drops it after seven days
//! without a visit unless the app is installed, and any browser may under storage pressure.
//! Two rules: warn while work exists only on this phone for more than a few days (and offer
//! the backup), and tell on start that stored data vanished, from a marker kept in both of
//! the app's stores (localStorage and IndexedDB), which browsers clear apart as often as
//! together.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::delivery::outbox::Outbox;
use crate::inspection::Inspection;
use crate::storage::archive::is_delivered;

/// Work older than this that exists only on the phone is worth a backup.
pub const AT_RISK_AFTER_MS: u64 = 3 * 24 * 60 * 60 * 1000;

/// Where the marker is kept: this key in localStorage, and under the same key in the archive.
pub const MARKER_KEY: &str = "safewalk.marker";

/// Work on this phone only, for longer than [`AT_RISK_AFTER_MS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtRisk {
    /// Drafts and completed inspections not delivered, started that long ago.
    pub count: usize,
    /// When the oldest of them was started (milliseconds).
    pub oldest: u64,
}

/// The drafts and undelivered completed inspections started more than [`AT_RISK_AFTER_MS`]
/// before `now`; `None` when there are none. An `archived` inspection (read back into memory
/// when opened) is delivered, whether or not the outbox still holds its receipt.
pub fn work_at_risk(inspections: &[Inspection], outbox: &Outbox, archived: &BTreeSet<Uuid>, now: u64) -> Option<AtRisk> {
    let old: Vec<u64> = inspections
        .iter()
        .filter(|i| !is_delivered(i.id, outbox, archived))
        .map(|i| i.created_at)
        .filter(|created| now.saturating_sub(*created) > AT_RISK_AFTER_MS)
        .collect();
    old.iter().min().map(|oldest| AtRisk { count: old.len(), oldest: *oldest })
}

/// What the markers found at start say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageCheck {
    /// No marker anywhere: a new phone, a first start of this version, or everything cleared
    /// at once (then nothing is left to tell by).
    Fresh,
    /// Both stores hold the same marker.
    Intact,
    /// localStorage was cleared (drafts, the outbox, settings); IndexedDB was not.
    LocalVanished,
    /// IndexedDB was cleared (photos, delivered inspections); localStorage was not.
    DatabaseVanished,
    /// Both hold markers, but different ones: one store was cleared and written again apart.
    Differ,
}

/// Reads the two markers; the app then writes one marker to both (the one found, or a new one).
pub fn check_markers(local: Option<&str>, database: Option<&str>) -> StorageCheck {
    match (local, database) {
        (None, None) => StorageCheck::Fresh,
        (Some(a), Some(b)) if a == b => StorageCheck::Intact,
        (Some(_), Some(_)) => StorageCheck::Differ,
        (None, Some(_)) => StorageCheck::LocalVanished,
        (Some(_), None) => StorageCheck::DatabaseVanished,
    }
}

impl StorageCheck {
    /// Whether the inspector must be told that stored data vanished.
    pub fn vanished(self) -> bool {
        !matches!(self, StorageCheck::Fresh | StorageCheck::Intact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::outbox::Outcome;
    use crate::delivery::payload::{Receipt, ReceiptStatus};
    use crate::inspection::record::tests::demo_template;
    use uuid::Uuid;

    const DAY: u64 = 24 * 60 * 60 * 1000;

    fn started(n: u128, at: u64) -> Inspection {
        Inspection::new(Uuid::from_u128(n), &demo_template(), at)
    }

    #[test]
    fn drafts_and_undelivered_inspections_older_than_three_days_are_at_risk() {
        let now = 10 * DAY;
        let (old_draft, new_draft) = (started(1, now - 4 * DAY), started(2, now - DAY));
        let (mut sent, mut waiting) = (started(3, now - 9 * DAY), started(4, now - 5 * DAY));
        sent.completed_at = Some(now - 8 * DAY);
        waiting.completed_at = Some(now - 5 * DAY);
        let mut outbox = Outbox::default();
        outbox.enqueue(sent.id, now - 8 * DAY);
        outbox.enqueue(waiting.id, now - 5 * DAY);
        let receipt = Receipt { id: sent.id, status: ReceiptStatus::Stored, received_at: now - 8 * DAY };
        outbox.finish(sent.id, Outcome::Delivered(receipt), now - 8 * DAY);

        let all = [old_draft.clone(), new_draft.clone(), sent, waiting];
        let none = BTreeSet::new();
        assert_eq!(work_at_risk(&all, &outbox, &none, now), Some(AtRisk { count: 2, oldest: now - 5 * DAY }));
        assert_eq!(work_at_risk(std::slice::from_ref(&new_draft), &outbox, &none, now), None, "three days not passed");
        assert_eq!(work_at_risk(&[], &outbox, &none, now), None);
        // Exactly three days: not yet.
        assert_eq!(work_at_risk(&[started(5, now - 3 * DAY)], &outbox, &none, now), None);
        assert_eq!(work_at_risk(std::slice::from_ref(&old_draft), &outbox, &none, now - 5 * DAY), None, "a clock set back is no risk");

        // Delivered long ago, moved to the archive, forgotten by the outbox, then opened
        // (read back into memory): not at risk.
        let archived: BTreeSet<Uuid> = [all[2].id].into();
        outbox.forget_delivered(&archived);
        assert!(outbox.record(all[2].id).is_none());
        assert_eq!(work_at_risk(&all, &outbox, &archived, now), Some(AtRisk { count: 2, oldest: now - 5 * DAY }));
        assert_eq!(work_at_risk(&all, &outbox, &none, now), Some(AtRisk { count: 3, oldest: now - 9 * DAY }), "unknown to both: unsent");
        assert_eq!(work_at_risk(&[old_draft], &outbox, &archived, now).map(|r| r.count), Some(1));
    }

    #[test]
    fn the_markers_tell_which_store_was_cleared() {
        assert_eq!(check_markers(None, None), StorageCheck::Fresh);
        assert_eq!(check_markers(Some("m1"), Some("m1")), StorageCheck::Intact);
        assert_eq!(check_markers(None, Some("m1")), StorageCheck::LocalVanished);
        assert_eq!(check_markers(Some("m1"), None), StorageCheck::DatabaseVanished);
        assert_eq!(check_markers(Some("m1"), Some("m2")), StorageCheck::Differ);
        assert!(!StorageCheck::Fresh.vanished() && !StorageCheck::Intact.vanished());
        assert!(StorageCheck::LocalVanished.vanished() && StorageCheck::DatabaseVanished.vanished() && StorageCheck::Differ.vanished());
    }
}
