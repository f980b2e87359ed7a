//! localStorage through gloo-storage, with the browser's errors turned into [`StoreError`]s.

use gloo_storage::{LocalStorage as GlooLocalStorage, Storage as _};
use safewalk_core::storage::{KeyValueStore, StoreError};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::DomException;

/// A handle proven usable at [`BrowserStore::open`]. gloo's accessors panic when the
/// browser refuses localStorage, so nothing may reach them before that check.
#[derive(Debug)]
pub struct BrowserStore {
    _checked: (),
}

impl BrowserStore {
    /// `None` when localStorage is missing or refused (some private modes, blocked cookies).
    pub fn open() -> Option<BrowserStore> {
        let storage = web_sys::window()?.local_storage().ok().flatten()?;
        // Some browsers hand out a storage object that throws on first use.
        storage.length().ok()?;
        Some(BrowserStore { _checked: () })
    }
}

/// Quota errors are named differently across browsers; the legacy code 22 covers the rest.
pub fn classify(error: JsValue) -> StoreError {
    match error.dyn_ref::<DomException>() {
        Some(e) if e.name() == "QuotaExceededError" || e.name() == "NS_ERROR_DOM_QUOTA_REACHED" || e.code() == 22 => {
            StoreError::QuotaExceeded
        }
        Some(e) => StoreError::Unavailable(format!("{}: {}", e.name(), e.message())),
        None => StoreError::Unavailable(error.as_string().unwrap_or_else(|| "unknown error".into())),
    }
}

impl KeyValueStore for BrowserStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        GlooLocalStorage::raw().get_item(key).map_err(classify)
    }

    fn put(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        GlooLocalStorage::raw().set_item(key, value).map_err(classify)
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        GlooLocalStorage::raw().remove_item(key).map_err(classify)
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let storage = GlooLocalStorage::raw();
        let count = storage.length().map_err(classify)?;
        Ok((0..count).filter_map(|i| storage.key(i).ok().flatten()).collect())
    }
}
