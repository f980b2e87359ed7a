//! Delivered inspections, moved out of localStorage (a few MB, shared with the drafts) into
//! IndexedDB: database `safewalk-records`, object store `inspections`, each record's stored
//! text (the same versioned envelope a draft has in localStorage, so the same migrations
//! read it) under its id. What to move and how a move resumes is core's
//! (`core::storage::archive`); the drafts service performs it.
//!
//! Built on the photo store's plain web-sys helpers, with its error type: a failure here is
//! logged and the record simply stays in localStorage.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbObjectStore, IdbTransaction, IdbTransactionMode};

use safewalk_core::storage::guard::MARKER_KEY;

use super::blobs::{classify, committed, connect, request_result, BlobError};

pub const DATABASE: &str = "safewalk-records";
pub const STORE: &str = "inspections";

pub struct RecordArchive {
    db: IdbDatabase,
}

impl RecordArchive {
    pub async fn open() -> Result<RecordArchive, BlobError> {
        Ok(RecordArchive { db: connect(DATABASE, STORE).await? })
    }

    /// Stores a record's text under its id; done once the write is committed.
    pub async fn put(&self, id: &str, raw: &str) -> Result<(), BlobError> {
        let op = "store the record";
        let (tx, store) = self.begin(IdbTransactionMode::Readwrite, op)?;
        store.put_with_key(&JsValue::from_str(raw), &JsValue::from_str(id)).map_err(|e| classify(op, &e))?;
        committed(&tx, op).await
    }

    /// The text stored under `id`, `None` when there is none.
    pub async fn get(&self, id: &str) -> Result<Option<String>, BlobError> {
        let op = "read the record";
        let (_tx, store) = self.begin(IdbTransactionMode::Readonly, op)?;
        let request = store.get(&JsValue::from_str(id)).map_err(|e| classify(op, &e))?;
        Ok(request_result(&request, op).await?.as_string())
    }

    /// Every stored record's text, in id order (the eviction guard's marker left out).
    pub async fn all(&self) -> Result<Vec<String>, BlobError> {
        let op = "read the records";
        let (_tx, store) = self.begin(IdbTransactionMode::Readonly, op)?;
        let keys = store.get_all_keys().map_err(|e| classify(op, &e))?;
        let values = store.get_all().map_err(|e| classify(op, &e))?;
        let as_array = |v: JsValue| v.dyn_into::<Array>().unwrap_or_default();
        let keys = as_array(request_result(&keys, op).await?);
        let values = as_array(request_result(&values, op).await?);
        Ok(keys
            .iter()
            .zip(values.iter())
            .filter(|(key, _)| key.as_string().as_deref() != Some(MARKER_KEY))
            .filter_map(|(_, value)| value.as_string())
            .collect())
    }

    /// The eviction guard's marker kept here (`core::storage::guard`), if any.
    pub async fn marker(&self) -> Result<Option<String>, BlobError> {
        self.get(MARKER_KEY).await
    }

    pub async fn set_marker(&self, marker: &str) -> Result<(), BlobError> {
        self.put(MARKER_KEY, marker).await
    }

    fn begin(&self, mode: IdbTransactionMode, op: &'static str) -> Result<(IdbTransaction, IdbObjectStore), BlobError> {
        let tx = self.db.transaction_with_str_and_mode(STORE, mode).map_err(|e| classify(op, &e))?;
        let store = tx.object_store(STORE).map_err(|e| classify(op, &e))?;
        Ok((tx, store))
    }
}

impl Drop for RecordArchive {
    fn drop(&mut self) {
        self.db.close();
    }
}
