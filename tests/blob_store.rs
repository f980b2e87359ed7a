//! The IndexedDB blob store in a real browser (headless Chromium): Blobs round trip byte for
//! byte, keys are listed, data survives a new connection, missing keys are harmless, a
//! database left without its object store is repaired, a connection closed by another tab's
//! upgrade is replaced, and the quota error is told apart.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Uint8Array};
use safewalk::store::blobs::{BlobError, BlobStore, DATABASE, STORE};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Blob, BlobPropertyBag, DomException, File, IdbDatabase, IdbFactory, IdbOpenDbRequest};

wasm_bindgen_test_configure!(run_in_browser);

fn blob(bytes: &[u8], mime: &str) -> Blob {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).unwrap()
}

async fn bytes(blob: &Blob) -> Vec<u8> {
    let buffer = JsFuture::from(blob.array_buffer()).await.unwrap();
    Uint8Array::new(&buffer).to_vec()
}

/// Not compressible, not uniform: every byte position matters.
fn pattern(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

fn key() -> String {
    Uuid::new_v4().to_string()
}

fn factory() -> IdbFactory {
    web_sys::window().unwrap().indexed_db().unwrap().unwrap()
}

/// Waits for an open or delete request, as the test's own raw IndexedDB access.
async fn finish(request: &IdbOpenDbRequest) -> JsValue {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.unwrap();
    request.result().unwrap()
}

#[wasm_bindgen_test]
async fn a_blob_round_trips_byte_for_byte_and_is_deleted() {
    let store = BlobStore::open().await.unwrap();
    let key = key();
    let data = pattern(512 * 1024, 7);
    store.put(&key, &blob(&data, "image/jpeg")).await.unwrap();

    let back = store.get(&key).await.unwrap().expect("the blob just stored");
    assert_eq!(back.type_(), "image/jpeg");
    assert_eq!(back.size() as usize, data.len());
    assert!(bytes(&back).await == data, "bytes differ after the round trip");

    store.delete(&key).await.unwrap();
    assert!(store.get(&key).await.unwrap().is_none());
    assert!(!store.keys().await.unwrap().contains(&key));
}

#[wasm_bindgen_test]
async fn a_file_from_the_picker_is_stored_as_a_blob() {
    let store = BlobStore::open().await.unwrap();
    let key = key();
    let data = pattern(10_000, 11);
    let file = File::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(&data[..])), "IMG_0001.jpg").unwrap();
    store.put(&key, &file).await.unwrap();
    assert_eq!(bytes(&store.get(&key).await.unwrap().unwrap()).await, data);
    store.delete(&key).await.unwrap();
}

#[wasm_bindgen_test]
async fn put_replaces_what_was_under_the_key() {
    let store = BlobStore::open().await.unwrap();
    let key = key();
    store.put(&key, &blob(b"first", "image/jpeg")).await.unwrap();
    store.put(&key, &blob(b"second", "image/png")).await.unwrap();
    let back = store.get(&key).await.unwrap().unwrap();
    assert_eq!(bytes(&back).await, b"second");
    assert_eq!(back.type_(), "image/png");
    assert_eq!(store.keys().await.unwrap().iter().filter(|k| **k == key).count(), 1);
    store.delete(&key).await.unwrap();
}

#[wasm_bindgen_test]
async fn keys_lists_every_stored_key_in_order() {
    let store = BlobStore::open().await.unwrap();
    let mut mine: Vec<String> = (0..3).map(|_| key()).collect();
    for (n, key) in mine.iter().enumerate() {
        store.put(key, &blob(&pattern(100, n as u32), "image/jpeg")).await.unwrap();
    }
    let keys = store.keys().await.unwrap();
    mine.sort();
    let listed: Vec<&String> = keys.iter().filter(|k| mine.contains(k)).collect();
    assert_eq!(listed, mine.iter().collect::<Vec<_>>(), "all three, sorted");
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "IndexedDB lists keys sorted");

    store.delete(&mine[1]).await.unwrap();
    let keys = store.keys().await.unwrap();
    assert!(keys.contains(&mine[0]) && !keys.contains(&mine[1]) && keys.contains(&mine[2]));
    for key in &mine {
        store.delete(key).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn blobs_survive_closing_and_reopening_the_store() {
    let key = key();
    let data = pattern(200_000, 3);
    {
        let store = BlobStore::open().await.unwrap();
        store.put(&key, &blob(&data, "image/jpeg")).await.unwrap();
    } // dropped: the connection is closed

    let reopened = BlobStore::open().await.unwrap();
    assert!(reopened.keys().await.unwrap().contains(&key));
    assert_eq!(bytes(&reopened.get(&key).await.unwrap().unwrap()).await, data);
    reopened.delete(&key).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_missing_key_reads_as_none_and_deletes_without_error() {
    let store = BlobStore::open().await.unwrap();
    let missing = key();
    assert_eq!(store.get(&missing).await, Ok(None));
    assert_eq!(store.delete(&missing).await, Ok(()));
}

#[wasm_bindgen_test]
async fn the_store_is_an_indexeddb_database_named_for_photos() {
    let store = BlobStore::open().await.unwrap();
    let key = key();
    store.put(&key, &blob(b"jpeg", "image/jpeg")).await.unwrap();

    // Read back with raw IndexedDB: database "safewalk-blobs", object store "blobs".
    let db: IdbDatabase = finish(&factory().open(DATABASE).unwrap()).await.unchecked_into();
    let tx = db.transaction_with_str(STORE).unwrap();
    let request = tx.object_store(STORE).unwrap().get(&JsValue::from_str(&key)).unwrap();
    let promise = js_sys::Promise::new(&mut |resolve, _| request.set_onsuccess(Some(&resolve)));
    JsFuture::from(promise).await.unwrap();
    assert!(request.result().unwrap().is_instance_of::<Blob>());
    db.close();
    assert_eq!(web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item(&key).unwrap(), None);
    store.delete(&key).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_database_without_its_object_store_is_repaired_at_open() {
    // Every BlobStore of the earlier tests is dropped (closed), so the database can go.
    finish(&factory().delete_database(DATABASE).unwrap()).await;
    // Version 1 with no object store, as an interrupted first open would leave it.
    let bare: IdbDatabase = finish(&factory().open(DATABASE).unwrap()).await.unchecked_into();
    assert_eq!(bare.object_store_names().length(), 0);
    bare.close();

    let store = BlobStore::open().await.unwrap();
    let key = key();
    store.put(&key, &blob(b"after repair", "image/jpeg")).await.unwrap();
    assert_eq!(bytes(&store.get(&key).await.unwrap().unwrap()).await, b"after repair");
    store.delete(&key).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_connection_closed_by_an_upgrade_elsewhere_is_replaced() {
    let store = BlobStore::open().await.unwrap();
    let key = key();
    store.put(&key, &blob(b"before", "image/jpeg")).await.unwrap();

    // Another tab opens a newer version: this store's connection closes itself instead of
    // blocking it, and the upgrade goes through.
    let current: IdbDatabase = finish(&factory().open(DATABASE).unwrap()).await.unchecked_into();
    let version = current.version() as u32;
    current.close();
    let newer: IdbDatabase = finish(&factory().open_with_u32(DATABASE, version + 1).unwrap()).await.unchecked_into();
    assert_eq!(newer.version() as u32, version + 1);
    newer.close();

    // The store notices and reconnects.
    assert_eq!(bytes(&store.get(&key).await.unwrap().unwrap()).await, b"before");
    store.put(&key, &blob(b"after", "image/jpeg")).await.unwrap();
    assert_eq!(bytes(&store.get(&key).await.unwrap().unwrap()).await, b"after");
    store.delete(&key).await.unwrap();
}

#[wasm_bindgen_test]
fn the_quota_error_is_told_apart_from_other_failures() {
    let full = DomException::new_with_message_and_name("The quota has been exceeded.", "QuotaExceededError").unwrap();
    assert_eq!(BlobError::from_js("store the photo", &full), BlobError::QuotaExceeded);
    assert!(BlobError::QuotaExceeded.to_string().contains("storage is full"));

    let other = DomException::new_with_message_and_name("Data provided to an operation does not meet requirements.", "DataError").unwrap();
    let error = BlobError::from_js("store the photo", &other);
    assert_eq!(
        error,
        BlobError::Failed {
            op: "store the photo",
            name: "DataError".into(),
            message: "Data provided to an operation does not meet requirements.".into()
        }
    );
    assert_eq!(
        error.to_string(),
        "photo storage could not store the photo: DataError: Data provided to an operation does not meet requirements."
    );
}

#[wasm_bindgen_test]
async fn the_estimate_reports_use_within_the_quota() {
    let store = BlobStore::open().await.unwrap();
    let key = key();
    store.put(&key, &blob(&pattern(1024 * 1024, 5), "image/jpeg")).await.unwrap();
    let (used, quota) = BlobStore::estimate().await.unwrap();
    web_sys::console::log_1(&format!("storage estimate: {used} bytes used of {quota}").into());
    assert!(quota > 0, "Chromium reports a quota");
    assert!(used <= quota);
    store.delete(&key).await.unwrap();
}
