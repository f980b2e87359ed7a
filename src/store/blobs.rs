//! Photos and signature images as Blobs in IndexedDB (database `safewalk-blobs`, object store
//! `blobs`, keyed by attachment id). localStorage holds strings only and a few MB; IndexedDB
//! stores Blobs as they are, within the site's share of the disk ([`BlobStore::estimate`]).
//!
//! Plain web-sys: each IndexedDB request or transaction becomes a `Promise` whose `resolve` and
//! `reject` are installed directly as its event handlers, so no Rust closure is kept alive per
//! operation (the one closure creates the object store during an upgrade). Measured in the
//! release build (wasm-opt -Oz, brotli, wasm and JS glue): this file costs about 4.6 KB; the same
//! API over the `idb` crate about 10.5 KB, over `indexed_db_futures` about 17 KB.

use std::cell::RefCell;
use std::fmt;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DomException, IdbDatabase, IdbFactory, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

pub const DATABASE: &str = "safewalk-blobs";
pub const STORE: &str = "blobs";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlobError {
    /// No usable IndexedDB: a very old browser, some private modes, storage blocked by settings.
    Unavailable(String),
    /// The device, or the browser's share of it for this site, is full.
    QuotaExceeded,
    /// Anything else the browser reported while doing `op`: the DOMException's name and message.
    Failed { op: &'static str, name: String, message: String },
}

impl fmt::Display for BlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlobError::Unavailable(why) => write!(f, "this browser offers no storage for photos ({why})"),
            BlobError::QuotaExceeded => f.write_str(
                "storage is full: the browser refused to keep more photos; send finished inspections or free space on the device",
            ),
            BlobError::Failed { op, name, message } => write!(f, "photo storage could not {op}: {name}: {message}"),
        }
    }
}

impl std::error::Error for BlobError {}

impl BlobError {
    /// The error the browser threw or rejected with while doing `op` (e.g. "store the photo").
    pub fn from_js(op: &'static str, error: &JsValue) -> BlobError {
        classify(op, error)
    }
}

/// The browser's error as a [`BlobError`]; quota errors are named differently across browsers,
/// the legacy code 22 covers the rest.
pub(super) fn classify(op: &'static str, error: &JsValue) -> BlobError {
    if let Some(e) = error.dyn_ref::<DomException>() {
        let name = e.name();
        if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" || e.code() == 22 {
            return BlobError::QuotaExceeded;
        }
        return BlobError::Failed { op, name, message: e.message() };
    }
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return BlobError::Failed { op, name: e.name().into(), message: e.message().into() };
    }
    let message = error.as_string().unwrap_or_else(|| "unknown error".into());
    BlobError::Failed { op, name: "Error".into(), message }
}

/// A promise settled by `target`'s events: `ok` resolves it, `fail` rejects it. The promise's
/// own functions are the handlers, so nothing on the Rust side has to outlive the wait.
fn settled_by(target: &JsValue, ok: &str, fail: &str) -> Promise {
    Promise::new(&mut |resolve: Function, reject: Function| {
        let _ = Reflect::set(target, &ok.into(), &resolve);
        let _ = Reflect::set(target, &fail.into(), &reject);
    })
}

/// The result of a request once it succeeds; its error (with the DOMException) when it fails.
pub(super) async fn request_result(request: &IdbRequest, op: &'static str) -> Result<JsValue, BlobError> {
    match JsFuture::from(settled_by(request, "onsuccess", "onerror")).await {
        Ok(_) => request.result().map_err(|e| classify(op, &e)),
        Err(event) => Err(match request.error() {
            Ok(Some(e)) => classify(op, &e),
            _ => classify(op, &event),
        }),
    }
}

/// Waits until a read-write transaction is durable (`complete`) or has been rolled back
/// (`abort`, which is also where a full disk shows up: QuotaExceededError on the transaction).
pub(super) async fn committed(tx: &IdbTransaction, op: &'static str) -> Result<(), BlobError> {
    match JsFuture::from(settled_by(tx, "oncomplete", "onabort")).await {
        Ok(_) => Ok(()),
        Err(event) => Err(match tx.error() {
            Some(e) => classify(op, &e),
            None => classify(op, &event),
        }),
    }
}

fn factory() -> Result<IdbFactory, BlobError> {
    // Through Reflect: reading `indexedDB` can throw (some private modes), or it can be missing.
    match Reflect::get(&js_sys::global(), &"indexedDB".into()) {
        Ok(value) => value.dyn_into().map_err(|_| BlobError::Unavailable("IndexedDB is missing".into())),
        Err(e) => Err(as_unavailable(classify("open", &e))),
    }
}

/// Opens a database; `version` None opens whatever exists (creating version 1 when nothing
/// does). Any upgrade creates the object stores that are missing.
async fn open_version(
    factory: &IdbFactory,
    database: &str,
    stores: &'static [&'static str],
    version: Option<u32>,
) -> Result<IdbDatabase, BlobError> {
    let request = match version {
        Some(v) => factory.open_with_u32(database, v),
        None => factory.open(database),
    }
    .map_err(|e| as_unavailable(classify("open", &e)))?;
    let upgrading = request.clone();
    let on_upgrade = Closure::<dyn FnMut()>::new(move || {
        if let Some(db) = upgrading.result().ok().and_then(|db| db.dyn_into::<IdbDatabase>().ok()) {
            for store in stores.iter().filter(|store| !db.object_store_names().contains(store)) {
                // A failure here aborts the upgrade, and the open request reports it.
                let _ = db.create_object_store(store);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let result = request_result(&request, "open").await;
    request.set_onupgradeneeded(None);
    drop(on_upgrade);
    result.map_err(as_unavailable)?.dyn_into().map_err(|_| BlobError::Unavailable("IndexedDB returned no database".into()))
}

/// At open, any failure but a full disk means there is no usable storage.
fn as_unavailable(error: BlobError) -> BlobError {
    match error {
        BlobError::Failed { name, message, .. } => BlobError::Unavailable(format!("{name}: {message}")),
        other => other,
    }
}

/// A connection to `database` with the object stores `stores` in it, which closes itself
/// when another tab needs to upgrade the database (that tab would otherwise wait until this
/// one is closed). Photos and delivered records ([`super::archive`]) each have their own
/// database.
pub(super) async fn connect(database: &str, stores: &'static [&'static str]) -> Result<IdbDatabase, BlobError> {
    let factory = factory()?;
    let missing = |db: &IdbDatabase| stores.iter().find(|store| !db.object_store_names().contains(store)).copied();
    let mut db = open_version(&factory, database, stores, None).await?;
    if missing(&db).is_some() {
        // The database exists without a store (an upgrade was interrupted, or a store was
        // added in a later version of the app): add it.
        let next = db.version() as u32 + 1;
        db.close();
        db = open_version(&factory, database, stores, Some(next)).await?;
        if let Some(store) = missing(&db) {
            db.close();
            return Err(BlobError::Unavailable(format!("the object store {store} could not be created")));
        }
    }
    if let Ok(close) = Reflect::get(&db, &"close".into()).and_then(|f| f.dyn_into::<Function>()) {
        db.set_onversionchange(Some(&close.bind0(&db)));
    }
    Ok(db)
}

/// The attachment store. Every method is async and reports failures as [`BlobError`]s.
pub struct BlobStore {
    /// Replaced when the browser closed the connection (another tab upgraded, data cleared).
    db: RefCell<IdbDatabase>,
}

impl BlobStore {
    pub async fn open() -> Result<BlobStore, BlobError> {
        Ok(BlobStore { db: RefCell::new(connect(DATABASE, &[STORE]).await?) })
    }

    /// Stores `blob` under `key`, replacing what was there; done once the write is committed.
    pub async fn put(&self, key: &str, blob: &Blob) -> Result<(), BlobError> {
        let (tx, store) = self.begin(IdbTransactionMode::Readwrite, "store the photo").await?;
        store.put_with_key(blob, &JsValue::from_str(key)).map_err(|e| classify("store the photo", &e))?;
        committed(&tx, "store the photo").await
    }

    /// The Blob stored under `key`, `None` when there is none.
    pub async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        let (_tx, store) = self.begin(IdbTransactionMode::Readonly, "read the photo").await?;
        let request = store.get(&JsValue::from_str(key)).map_err(|e| classify("read the photo", &e))?;
        let value = request_result(&request, "read the photo").await?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value.dyn_into::<Blob>().map(Some).map_err(|_| BlobError::Failed {
            op: "read the photo",
            name: "TypeError".into(),
            message: format!("the value stored under {key} is not a Blob"),
        })
    }

    /// Removes `key`; removing a key that is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let (tx, store) = self.begin(IdbTransactionMode::Readwrite, "delete the photo").await?;
        store.delete(&JsValue::from_str(key)).map_err(|e| classify("delete the photo", &e))?;
        committed(&tx, "delete the photo").await
    }

    /// Every key, in IndexedDB's order (sorted).
    pub async fn keys(&self) -> Result<Vec<String>, BlobError> {
        let (_tx, store) = self.begin(IdbTransactionMode::Readonly, "list the photos").await?;
        let request = store.get_all_keys().map_err(|e| classify("list the photos", &e))?;
        let keys = request_result(&request, "list the photos").await?;
        Ok(keys.dyn_into::<Array>().map(|a| a.iter().filter_map(|k| k.as_string()).collect()).unwrap_or_default())
    }

    /// Bytes used and the quota for this site (all its storage, not only photos), from
    /// `navigator.storage.estimate()`.
    pub async fn estimate() -> Result<(u64, u64), BlobError> {
        let op = "estimate the storage";
        let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).map_err(|e| classify(op, &e))?;
        let manager = Reflect::get(&navigator, &"storage".into())
            .ok()
            .and_then(|m| m.dyn_into::<web_sys::StorageManager>().ok())
            .ok_or_else(|| BlobError::Unavailable("this browser does not report its storage use".into()))?;
        let promise = manager.estimate().map_err(|e| classify(op, &e))?;
        let estimate: web_sys::StorageEstimate = JsFuture::from(promise).await.map_err(|e| classify(op, &e))?.unchecked_into();
        let bytes = |v: Option<f64>| v.filter(|v| v.is_finite() && *v >= 0.0).unwrap_or(0.0) as u64;
        Ok((bytes(estimate.get_usage()), bytes(estimate.get_quota())))
    }

    /// A transaction on the store. A connection the browser has closed meanwhile (another tab
    /// upgraded the database, site data cleared) is replaced once.
    async fn begin(&self, mode: IdbTransactionMode, op: &'static str) -> Result<(IdbTransaction, IdbObjectStore), BlobError> {
        let start = |db: &IdbDatabase| -> Result<(IdbTransaction, IdbObjectStore), JsValue> {
            let tx = db.transaction_with_str_and_mode(STORE, mode)?;
            let store = tx.object_store(STORE)?;
            Ok((tx, store))
        };
        let first = start(&self.db.borrow());
        match first {
            Ok(pair) => Ok(pair),
            Err(e) if e.dyn_ref::<DomException>().is_some_and(|e| e.name() == "InvalidStateError") => {
                let fresh = connect(DATABASE, &[STORE]).await?;
                self.db.replace(fresh).close();
                start(&self.db.borrow()).map_err(|e| classify(op, &e))
            }
            Err(e) => Err(classify(op, &e)),
        }
    }
}

impl Drop for BlobStore {
    /// Closes the connection (after its pending transactions finish).
    fn drop(&mut self) {
        self.db.borrow().close();
    }
}
