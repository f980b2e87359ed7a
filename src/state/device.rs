//! The device's key-value storage as the services share it: one record per key (settings,
//! outbox, kept checklists, language), and whether the last write went through. Every
//! service writes through here, so a full quota shows the same banner whoever hit it.
//! It also keeps the eviction guard's marker in both stores and says when one vanished.

use leptos::prelude::*;
use safewalk_core::storage::guard::{check_markers, StorageCheck, MARKER_KEY};
use safewalk_core::storage::{decode_record, encode_record, unreadable_key, KeyValueStore, StoreError};
use uuid::Uuid;

use crate::persistence::{self, Persistence};
use crate::store::archive::RecordArchive;
use crate::store::DeviceStore;

/// Whether the edits are on the device.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveStatus {
    Saved,
    Pending,
    /// A write was refused (a full quota, storage gone); the edits are in memory and retried.
    Failed(StoreError),
}

#[derive(Clone, Copy)]
pub struct Device {
    store: StoredValue<DeviceStore>,
    status: RwSignal<SaveStatus>,
    /// False when the browser refuses localStorage and everything lives in memory only.
    persistent: bool,
    /// Whether the browser promised not to clear this site's storage.
    persistence: RwSignal<Persistence>,
    /// What the markers in localStorage and IndexedDB said at start; `None` until read.
    storage_check: RwSignal<Option<StorageCheck>>,
}

impl Device {
    pub fn open() -> Device {
        let store = DeviceStore::open();
        Device {
            persistent: store.is_persistent(),
            store: StoredValue::new(store),
            status: RwSignal::new(SaveStatus::Saved),
            persistence: RwSignal::new(Persistence::Unknown),
            storage_check: RwSignal::new(None),
        }
    }

    /// Whether the edits are on the device. Tracked.
    pub fn save_status(&self) -> SaveStatus {
        self.status.get()
    }

    pub fn save_status_untracked(&self) -> SaveStatus {
        self.status.get_untracked()
    }

    pub fn is_persistent(&self) -> bool {
        self.persistent
    }

    /// What the browser said about keeping this site's data. Tracked.
    pub fn persistence(&self) -> Persistence {
        self.persistence.get()
    }

    /// Reads the current answer at start, without prompting.
    pub fn check_persistence(&self) {
        persistence::check(self.persistence);
    }

    /// Asks the browser to keep this site's data (from the first draft on).
    pub fn request_persistence(&self) {
        persistence::request(self.persistence);
    }

    /// Compares the markers kept in localStorage and in IndexedDB (`core::storage::guard`),
    /// then writes one marker to both: the one found, or a new one; IndexedDB's first, so a
    /// marker in localStorage always has its twin. Without IndexedDB there is nothing to
    /// compare.
    pub fn check_stores(&self) {
        if !self.persistent {
            return;
        }
        let device = *self;
        leptos::task::spawn_local(async move {
            let Ok(archive) = RecordArchive::open().await else { return };
            let Ok(database) = archive.marker().await else { return };
            let local = device.read_text(MARKER_KEY);
            let check = check_markers(local.as_deref(), database.as_deref());
            let marker = local.or(database).unwrap_or_else(|| Uuid::new_v4().to_string());
            if archive.set_marker(&marker).await.is_ok() {
                let _ = device.put_text(MARKER_KEY, &marker);
            }
            device.storage_check.set(Some(check));
        });
    }

    /// Whether stored data vanished since the last start, and which. Tracked.
    pub fn vanished(&self) -> Option<StorageCheck> {
        self.storage_check.get().filter(|check| check.vanished())
    }

    /// Whether the markers have been read since this start. Tracked.
    pub fn stores_checked(&self) -> bool {
        self.storage_check.with(Option::is_some)
    }

    /// The inspector has read the message.
    pub fn dismiss_vanished(&self) {
        self.storage_check.set(Some(StorageCheck::Intact));
    }

    /// Reads a single-key record. An unreadable one is copied aside (`<key>.unreadable`)
    /// before it is replaced, so its raw text is never lost; the app then starts from the
    /// default.
    pub(super) fn read_record<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        let raw = self.store.with_value(|store| store.get(key).ok().flatten())?;
        match decode_record::<T>(&raw) {
            Ok(value) => Some(value),
            Err(reason) => {
                web_sys::console::warn_1(&format!("Safewalk: {key} unreadable ({reason}); kept under {}", unreadable_key(key)).into());
                self.store.update_value(|store| {
                    let _ = store.put(&unreadable_key(key), &raw);
                });
                None
            }
        }
    }

    /// Reads a plain text value.
    pub(super) fn read_text(&self, key: &str) -> Option<String> {
        self.store.with_value(|store| store.get(key).ok().flatten())
    }

    /// Writes a plain text value, for what is not worth a warning when it fails.
    pub(super) fn put_text(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.store.try_update_value(|store| store.put(key, value)).unwrap_or(Ok(()))
    }

    /// Writes a record; a refusal shows in the save status.
    pub(super) fn put_record<T: serde::Serialize>(&self, key: &str, value: &T) {
        let written = encode_record(value)
            .map_err(|e| StoreError::Unavailable(e.to_string()))
            .and_then(|raw| self.store.try_update_value(|store| store.put(key, &raw)).unwrap_or(Ok(())));
        if let Err(e) = written {
            self.status.set(SaveStatus::Failed(e));
        }
    }

    /// Edits wait in memory for their write.
    pub(super) fn mark_pending(&self) {
        if self.status.get_untracked() == SaveStatus::Saved {
            self.status.set(SaveStatus::Pending);
        }
    }

    /// The outcome of writing every pending edit.
    pub(super) fn report_saved(&self, outcome: Result<(), StoreError>) {
        self.status.set(match outcome {
            Ok(()) => SaveStatus::Saved,
            Err(e) => SaveStatus::Failed(e),
        });
    }
}
