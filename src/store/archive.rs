//! Delivered inspections, moved out of localStorage (a few MB, shared with the drafts) into
//! IndexedDB: database `safewalk-records`, object store `inspections`, each record's stored
//! text (the same versioned envelope a draft has in localStorage, so the same migrations
//! read it) under its id; and beside it, in the object store `summaries` under the same id,
//! its summary (`core::storage::summary`): what a card and the counts need, a small part of
//! the record, written in the same transaction as the record. An archive from before
//! summaries gets its store at the next open and lists the records without one
//! ([`RecordArchive::without_summary`]) to have them made. What to move and how a move resumes is core's
//! (`core::storage::archive`); the drafts service performs it.
//!
//! Built on the photo store's plain web-sys helpers, with its error type: a failure here is
//! logged and the record simply stays in localStorage.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbTransaction, IdbTransactionMode};

use safewalk_core::storage::guard::MARKER_KEY;

use super::blobs::{classify, committed, connect, request_result, BlobError};

pub const DATABASE: &str = "safewalk-records";
pub const STORE: &str = "inspections";
pub const SUMMARIES: &str = "summaries";

pub struct RecordArchive {
    db: IdbDatabase,
}

impl RecordArchive {
    pub async fn open() -> Result<RecordArchive, BlobError> {
        Ok(RecordArchive { db: connect(DATABASE, &[STORE, SUMMARIES]).await? })
    }

    /// Stores a record's text and its summary under its id, in one transaction: both or
    /// neither. Done once the write is committed.
    pub async fn put(&self, id: &str, raw: &str, summary: &str) -> Result<(), BlobError> {
        let op = "store the record";
        let stores = Array::of2(&STORE.into(), &SUMMARIES.into());
        let tx = self.db.transaction_with_str_sequence_and_mode(&stores, IdbTransactionMode::Readwrite).map_err(|e| classify(op, &e))?;
        let key = JsValue::from_str(id);
        for (store, text) in [(STORE, raw), (SUMMARIES, summary)] {
            let store = tx.object_store(store).map_err(|e| classify(op, &e))?;
            store.put_with_key(&JsValue::from_str(text), &key).map_err(|e| classify(op, &e))?;
        }
        committed(&tx, op).await
    }

    /// Stores the summary of a record the archive holds (one made from its record).
    pub async fn put_summary(&self, id: &str, summary: &str) -> Result<(), BlobError> {
        self.put_in(SUMMARIES, id, summary, "store the summary").await
    }

    /// Stores the summaries of records the archive holds, `(id, summary)`, in one
    /// transaction: all or none. A start that gives a year of summaries what they lack
    /// commits once, not once per record.
    pub async fn put_summaries(&self, summaries: &[(String, String)]) -> Result<(), BlobError> {
        let op = "store the summaries";
        let (tx, store) = self.begin_in(SUMMARIES, IdbTransactionMode::Readwrite, op)?;
        for (id, text) in summaries {
            if let Err(e) = store.put_with_key(&JsValue::from_str(text), &JsValue::from_str(id)) {
                // Left alone, a transaction commits the puts made so far.
                let _ = tx.abort();
                return Err(classify(op, &e));
            }
        }
        committed(&tx, op).await
    }

    /// A page of the stored summaries' texts, in id order: at most `count` of them, those
    /// after the id `after` (from the first when `None`); and the id to read the next page
    /// after, `None` once this page is the last. What Home needs, without reading the
    /// records, a page at a time: each page is its own short task, so a year of summaries
    /// never holds the page's thread for long (a receipt that arrives meanwhile is written
    /// between two pages).
    pub async fn summaries_page(&self, after: Option<&str>, count: u32) -> Result<(Vec<String>, Option<String>), BlobError> {
        let op = "read the summaries";
        let (_tx, store) = self.begin_in(SUMMARIES, IdbTransactionMode::Readonly, op)?;
        let range = match after {
            Some(after) => IdbKeyRange::lower_bound_with_open(&JsValue::from_str(after), true).map_err(|e| classify(op, &e))?.into(),
            None => JsValue::NULL,
        };
        let keys = store.get_all_keys_with_key_and_limit(&range, count).map_err(|e| classify(op, &e))?;
        let values = store.get_all_with_key_and_limit(&range, count).map_err(|e| classify(op, &e))?;
        let as_array = |v: JsValue| v.dyn_into::<Array>().unwrap_or_default();
        let keys = as_array(request_result(&keys, op).await?);
        let values = as_array(request_result(&values, op).await?);
        let next = (keys.length() == count).then(|| keys.get(count.saturating_sub(1)).as_string()).flatten();
        Ok((values.iter().filter_map(|value| value.as_string()).collect(), next))
    }

    /// Whether the archive holds more records than summaries (an archive from before
    /// summaries were kept): counted, not listed, so a start reads no keys when all is well.
    pub async fn has_unsummarised(&self) -> Result<bool, BlobError> {
        let op = "count the records";
        let mut counts = [0u32; 2];
        for (slot, store) in counts.iter_mut().zip([STORE, SUMMARIES]) {
            let (_tx, object_store) = self.begin_in(store, IdbTransactionMode::Readonly, op)?;
            let request = object_store.count().map_err(|e| classify(op, &e))?;
            *slot = request_result(&request, op).await?.as_f64().unwrap_or_default() as u32;
        }
        let marker = u32::from(self.marker().await?.is_some());
        Ok(counts[0].saturating_sub(marker) > counts[1])
    }

    /// The ids of records that have no summary (kept before summaries existed), in id order.
    pub async fn without_summary(&self) -> Result<Vec<String>, BlobError> {
        let op = "list the records";
        let (records, summaries) = (self.keys_in(STORE, op).await?, self.keys_in(SUMMARIES, op).await?);
        let summarised: std::collections::BTreeSet<String> = summaries.into_iter().collect();
        Ok(records.into_iter().filter(|id| id != MARKER_KEY && !summarised.contains(id)).collect())
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
        self.put_in(STORE, MARKER_KEY, marker, "store the marker").await
    }

    async fn put_in(&self, store: &'static str, id: &str, text: &str, op: &'static str) -> Result<(), BlobError> {
        let (tx, store) = self.begin_in(store, IdbTransactionMode::Readwrite, op)?;
        store.put_with_key(&JsValue::from_str(text), &JsValue::from_str(id)).map_err(|e| classify(op, &e))?;
        committed(&tx, op).await
    }

    async fn keys_in(&self, store: &'static str, op: &'static str) -> Result<Vec<String>, BlobError> {
        let (_tx, store) = self.begin_in(store, IdbTransactionMode::Readonly, op)?;
        let keys = store.get_all_keys().map_err(|e| classify(op, &e))?;
        let keys = request_result(&keys, op).await?.dyn_into::<Array>().unwrap_or_default();
        Ok(keys.iter().filter_map(|key| key.as_string()).collect())
    }

    fn begin(&self, mode: IdbTransactionMode, op: &'static str) -> Result<(IdbTransaction, IdbObjectStore), BlobError> {
        self.begin_in(STORE, mode, op)
    }

    fn begin_in(
        &self,
        store: &'static str,
        mode: IdbTransactionMode,
        op: &'static str,
    ) -> Result<(IdbTransaction, IdbObjectStore), BlobError> {
        let tx = self.db.transaction_with_str_and_mode(store, mode).map_err(|e| classify(op, &e))?;
        let store = tx.object_store(store).map_err(|e| classify(op, &e))?;
        Ok((tx, store))
    }
}

impl Drop for RecordArchive {
    fn drop(&mut self) {
        self.db.close();
    }
}
