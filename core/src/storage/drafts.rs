//! Inspections on the device: one key per inspection plus a small index that keeps
//! their order. The keys themselves are the truth; the index is rebuilt from them when it
//! is missing, unreadable or out of step, so losing it loses nothing.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use uuid::Uuid;

use super::draft_format::{decode_draft, encode_draft, Unreadable};
use super::{KeyValueStore, StoreError};
use crate::inspection::merge::{merge, EditStamps};
use crate::inspection::Inspection;

pub const INSPECTION_PREFIX: &str = "safewalk.inspection.";
pub const INDEX_KEY: &str = "safewalk.index";
const INDEX_FORMAT: u64 = 1;

#[derive(Serialize, Deserialize)]
struct Index {
    format: u64,
    ids: Vec<String>,
}

/// A stored draft that could not be read. It stays where it is, untouched, so the raw
/// text can be copied out and nothing is lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableDraft {
    pub key: String,
    pub raw: String,
    pub reason: Unreadable,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadReport {
    /// In index order (creation order), then any the index did not know.
    pub inspections: Vec<Inspection>,
    /// The stamps of the fields of the inspections that have any.
    pub stamps: BTreeMap<Uuid, EditStamps>,
    pub unreadable: Vec<UnreadableDraft>,
}

pub struct DraftRepository<S> {
    store: S,
    /// The ids the stored index lists, as last read or written.
    index: Vec<String>,
    /// The text this repository last wrote under each key: while the stored text is still
    /// that, no other writer has been there, and a save needs no merge.
    written: BTreeMap<String, String>,
}

impl<S: KeyValueStore> DraftRepository<S> {
    pub fn new(store: S) -> DraftRepository<S> {
        DraftRepository { store, index: Vec::new(), written: BTreeMap::new() }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    pub fn key_for(id: &str) -> String {
        format!("{INSPECTION_PREFIX}{id}")
    }

    /// Reads every stored inspection. Unreadable entries are reported with their raw text;
    /// only a store that cannot be read at all is an error.
    pub fn load_all(&mut self) -> Result<LoadReport, StoreError> {
        let indexed: Vec<String> = match self.store.get(INDEX_KEY)? {
            Some(raw) => serde_json::from_str::<Index>(&raw).map(|i| i.ids).unwrap_or_default(),
            None => Vec::new(),
        };
        let mut present: Vec<String> =
            self.store.keys()?.into_iter().filter_map(|k| k.strip_prefix(INSPECTION_PREFIX).map(str::to_string)).collect();
        present.sort();

        let mut order: Vec<String> = indexed.iter().filter(|id| present.contains(id)).cloned().collect();
        for id in present {
            if !order.contains(&id) {
                order.push(id);
            }
        }

        let mut report = LoadReport::default();
        for id in &order {
            let key = Self::key_for(id);
            let Some(raw) = self.store.get(&key)? else { continue };
            match decode_draft(&raw) {
                Ok((inspection, stamps)) if inspection.id.to_string() == *id => {
                    if !stamps.is_empty() {
                        report.stamps.insert(inspection.id, stamps);
                    }
                    report.inspections.push(inspection)
                }
                Ok((inspection, _)) => report.unreadable.push(UnreadableDraft {
                    key,
                    raw,
                    reason: Unreadable::WrongId { expected: id.clone(), found: inspection.id },
                }),
                Err(reason) => report.unreadable.push(UnreadableDraft { key, raw, reason }),
            }
        }

        self.index = indexed;
        if self.index != order {
            // Best effort: the keys stay the truth if this write fails.
            let _ = self.write_index(order);
        }
        Ok(report)
    }

    /// Writes one inspection under its own key, then makes sure the index lists it.
    pub fn save(&mut self, inspection: &Inspection) -> Result<(), StoreError> {
        self.save_stamped(inspection, &EditStamps::default())
    }

    /// Writes one inspection with the stamps of its fields.
    pub fn save_stamped(&mut self, inspection: &Inspection, stamps: &EditStamps) -> Result<(), StoreError> {
        let raw = encode_draft(inspection, stamps).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let id = inspection.id.to_string();
        self.store.put(&Self::key_for(&id), &raw)?;
        self.written.insert(id.clone(), raw);
        if !self.index.contains(&id) {
            let mut ids = self.index.clone();
            ids.push(id);
            // The record is safe once written; an index that failed to follow is rebuilt
            // from the keys at the next load, and retried at the next save.
            let _ = self.write_index(ids);
        }
        Ok(())
    }

    /// Reads one stored inspection with its stamps; `None` when absent or unreadable (a
    /// writer over an unreadable record has its raw text reported: see
    /// [`DraftRepository::load_all`]).
    pub fn load(&self, id: &str) -> Result<Option<(Inspection, EditStamps)>, StoreError> {
        let raw = self.store.get(&Self::key_for(id))?;
        Ok(raw.and_then(|raw| decode_draft(&raw).ok()).filter(|(i, _)| i.id.to_string() == id))
    }

    /// Writes `mine`, first merged field by field ([`merge`]) with the copy stored now when
    /// another writer (another tab) stored a different one: no write replaces answers it has
    /// not seen. Returns the merged copy when it differs from `mine`.
    pub fn save_over(&mut self, mine: &Inspection, stamps: &EditStamps) -> Result<Option<(Inspection, EditStamps)>, StoreError> {
        let id = mine.id.to_string();
        let stored = self.store.get(&Self::key_for(&id))?;
        if stored.is_some() && stored.as_ref() == self.written.get(&id) {
            // Nobody else wrote since this repository did: nothing to read or merge.
            return self.save_stamped(mine, stamps).map(|()| None);
        }
        match stored.and_then(|raw| decode_draft(&raw).ok()).filter(|(i, _)| i.id == mine.id) {
            Some((theirs, their_stamps)) if (&theirs, &their_stamps) != (mine, stamps) => {
                let merged = merge((mine, stamps), (&theirs, &their_stamps));
                self.save_stamped(&merged.0, &merged.1)?;
                Ok(((&merged.0, &merged.1) != (mine, stamps)).then_some(merged))
            }
            _ => self.save_stamped(mine, stamps).map(|()| None),
        }
    }

    /// Removes one inspection's key. The stored index is left as it is: it only orders the
    /// keys, and the next load drops the ids without one (rewriting it for each of a year of
    /// records moved to the archive would write the whole index each time).
    pub fn remove(&mut self, id: &str) -> Result<(), StoreError> {
        self.store.remove(&Self::key_for(id))?;
        self.written.remove(id);
        Ok(())
    }

    fn write_index(&mut self, ids: Vec<String>) -> Result<(), StoreError> {
        let index = Index { format: INDEX_FORMAT, ids };
        let raw = serde_json::to_string(&index).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        self.store.put(INDEX_KEY, &raw)?;
        self.index = index.ids;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::record::tests::demo_template;
    use crate::inspection::Answer;
    use crate::storage::MemoryStore;
    use uuid::Uuid;

    fn inspection(n: u128) -> Inspection {
        Inspection::new(Uuid::from_u128(n), &demo_template(), n as u64)
    }

    #[test]
    fn saved_inspections_load_back_in_creation_order() {
        let mut repo = DraftRepository::new(MemoryStore::new());
        repo.load_all().unwrap();
        let t = demo_template();
        let (mut a, b, c) = (inspection(30), inspection(10), inspection(20));
        for i in [&a, &b, &c] {
            repo.save(i).unwrap();
        }
        a.set_answer(&t, "a-1", Some(Answer::Compliant), 99).unwrap();
        repo.save(&a).unwrap();

        let mut fresh = DraftRepository::new(repo.store().clone());
        let report = fresh.load_all().unwrap();
        assert!(report.unreadable.is_empty());
        let ids: Vec<Uuid> = report.inspections.iter().map(|i| i.id).collect();
        assert_eq!(ids, vec![a.id, b.id, c.id]);
        assert_eq!(report.inspections[0], a);
    }

    #[test]
    fn a_lost_or_corrupt_index_is_rebuilt_from_the_keys() {
        let mut repo = DraftRepository::new(MemoryStore::new());
        for n in [1, 2] {
            repo.save(&inspection(n)).unwrap();
        }
        for broken in [None, Some("{not json"), Some("{\"format\":1,\"ids\":[\"ghost\"]}")] {
            let mut store = repo.store().clone();
            match broken {
                None => store.remove(INDEX_KEY).unwrap(),
                Some(raw) => store.put(INDEX_KEY, raw).unwrap(),
            }
            let mut fresh = DraftRepository::new(store);
            let report = fresh.load_all().unwrap();
            assert_eq!(report.inspections.len(), 2, "{broken:?}");
            let index: Index = serde_json::from_str(&fresh.store().get(INDEX_KEY).unwrap().unwrap()).unwrap();
            assert_eq!(index.ids.len(), 2, "index rewritten for {broken:?}");
        }
    }

    #[test]
    fn an_unreadable_draft_is_reported_with_its_raw_text_and_left_in_place() {
        let mut repo = DraftRepository::new(MemoryStore::new());
        repo.save(&inspection(1)).unwrap();
        let bad_key = DraftRepository::<MemoryStore>::key_for("00000000-0000-0000-0000-000000000002");
        repo.store_mut().put(&bad_key, "{\"format\":2,\"inspection\":{\"id\":").unwrap();

        let mut fresh = DraftRepository::new(repo.store().clone());
        let report = fresh.load_all().unwrap();
        assert_eq!(report.inspections.len(), 1);
        assert_eq!(report.unreadable.len(), 1);
        let bad = &report.unreadable[0];
        assert_eq!(bad.key, bad_key);
        assert_eq!(bad.raw, "{\"format\":2,\"inspection\":{\"id\":");
        assert!(matches!(bad.reason, Unreadable::NotJson(_)));
        assert_eq!(fresh.store().get(&bad_key).unwrap().as_deref(), Some(bad.raw.as_str()), "kept, not deleted");
    }

    #[test]
    fn a_record_under_another_inspections_key_is_not_loaded_as_that_inspection() {
        let mut repo = DraftRepository::new(MemoryStore::new());
        let a = inspection(1);
        let raw = crate::storage::encode_inspection(&a).unwrap();
        let other_key = DraftRepository::<MemoryStore>::key_for("00000000-0000-0000-0000-000000000009");
        repo.store_mut().put(&other_key, &raw).unwrap();
        let report = repo.load_all().unwrap();
        assert!(report.inspections.is_empty());
        assert!(matches!(report.unreadable[0].reason, Unreadable::WrongId { found, .. } if found == a.id));
    }

    #[test]
    fn a_full_quota_is_an_error_and_the_previous_save_survives() {
        let t = demo_template();
        let mut a = inspection(1);
        let mut repo = DraftRepository::new(MemoryStore::new());
        repo.load_all().unwrap();
        repo.save(&a).unwrap();
        let used: usize = repo.store().keys().unwrap().iter().map(|k| k.len() + repo.store().get(k).unwrap().unwrap().len()).sum();
        repo.store_mut().set_quota(Some(used));

        a.set_note(&t, "a-1", &"long note ".repeat(50), 5).unwrap();
        assert_eq!(repo.save(&a), Err(StoreError::QuotaExceeded));
        let report = DraftRepository::new(repo.store().clone()).load_all().unwrap();
        assert_eq!(report.inspections[0].note("a-1"), "", "the last good save is intact");

        repo.store_mut().set_quota(None); // space freed
        repo.save(&a).unwrap();
        let report = DraftRepository::new(repo.store().clone()).load_all().unwrap();
        assert_eq!(report.inspections[0], a);
    }

    #[test]
    fn a_write_from_a_tab_that_has_not_seen_the_other_tabs_answer_keeps_it() {
        let t = demo_template();
        let mut repo = DraftRepository::new(MemoryStore::new());
        let base = inspection(1);
        repo.save(&base).unwrap();
        let answered = |item: &str, at: u64| {
            let mut copy = base.clone();
            copy.set_answer(&t, item, Some(Answer::Hazard), at).unwrap();
            let mut stamps = EditStamps::default();
            stamps.record(&base, &copy, at);
            (copy, stamps)
        };
        // Two tabs opened the draft; B answers and writes first.
        let mut other_tab = DraftRepository::new(repo.store().clone());
        let (b, b_stamps) = answered("a-2", 20);
        assert_eq!(other_tab.save_over(&b, &b_stamps), Ok(None), "nothing else stored since: written as is");
        // A answers another item and writes over what B stored (one localStorage for both).
        *repo.store_mut() = other_tab.store().clone();
        let (a, a_stamps) = answered("a-1", 30);
        let (merged, merged_stamps) = repo.save_over(&a, &a_stamps).unwrap().expect("merged with B's copy");
        let (stored, _) = repo.load(&a.id.to_string()).unwrap().unwrap();
        assert_eq!(stored, merged);
        assert_eq!((stored.answer("a-1"), stored.answer("a-2")), (Some(Answer::Hazard), Some(Answer::Hazard)));
        // Nobody wrote since: A's next save is written as is.
        let mut later = merged.clone();
        later.set_answer(&t, "b-1", Some(Answer::Compliant), 40).unwrap();
        assert_eq!(repo.save_over(&later, &merged_stamps), Ok(None));
        assert_eq!(repo.load(&a.id.to_string()).unwrap().unwrap().0, later);
        // The stamps are stored with it, and read back at load.
        let report = DraftRepository::new(repo.store().clone()).load_all().unwrap();
        assert_eq!(report.stamps.len(), 1);
        // Removed (moved to the archive): gone, and the next load tidies the index.
        repo.remove(&a.id.to_string()).unwrap();
        assert_eq!(repo.load(&a.id.to_string()), Ok(None));
        let mut next = DraftRepository::new(repo.store().clone());
        assert!(next.load_all().unwrap().inspections.is_empty());
        let index: Index = serde_json::from_str(&next.store().get(INDEX_KEY).unwrap().unwrap()).unwrap();
        assert!(index.ids.is_empty());
    }

    #[test]
    fn an_older_format_on_disk_loads_migrated() {
        let mut store = MemoryStore::new();
        let id = "00000000-0000-0000-0000-000000000005";
        store
            .put(
                &DraftRepository::<MemoryStore>::key_for(id),
                &format!(r#"{{"format":1,"id":"{id}","template_id":"demo","template_version":"1","answers":{{"a-1":"not_applicable"}},"created_at":1,"updated_at":2}}"#),
            )
            .unwrap();
        let mut repo = DraftRepository::new(store);
        let report = repo.load_all().unwrap();
        assert_eq!(report.inspections[0].answer("a-1"), Some(Answer::NotApplicable));
        repo.save(&report.inspections[0]).unwrap();
        let raw = repo.store().get(&DraftRepository::<MemoryStore>::key_for(id)).unwrap().unwrap();
        assert!(raw.starts_with("{\"format\":3"), "saved in the current format");
    }
}
