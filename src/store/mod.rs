//! The device's storage as the app sees it: localStorage when the browser allows it,
//! memory when it does not (the app then says that nothing will survive a reload).

pub mod archive;
pub mod blobs;
mod browser_store;

pub use browser_store::BrowserStore;

use safewalk_core::storage::{KeyValueStore, MemoryStore, StoreError};

pub enum DeviceStore {
    Browser(BrowserStore),
    /// Only when localStorage is unavailable; see [`DeviceStore::is_persistent`].
    Memory(MemoryStore),
}

impl DeviceStore {
    pub fn open() -> DeviceStore {
        match BrowserStore::open() {
            Some(store) => DeviceStore::Browser(store),
            None => DeviceStore::Memory(MemoryStore::new()),
        }
    }

    pub fn is_persistent(&self) -> bool {
        matches!(self, DeviceStore::Browser(_))
    }
}

impl KeyValueStore for DeviceStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            DeviceStore::Browser(s) => s.get(key),
            DeviceStore::Memory(s) => s.get(key),
        }
    }

    fn put(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        match self {
            DeviceStore::Browser(s) => s.put(key, value),
            DeviceStore::Memory(s) => s.put(key, value),
        }
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        match self {
            DeviceStore::Browser(s) => s.remove(key),
            DeviceStore::Memory(s) => s.remove(key),
        }
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        match self {
            DeviceStore::Browser(s) => s.keys(),
            DeviceStore::Memory(s) => s.keys(),
        }
    }
}
