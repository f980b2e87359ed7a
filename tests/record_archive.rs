//! The IndexedDB archive of delivered inspections in a real browser (headless Chromium):
//! texts round trip, `all` lists every one, a missing id is `None`, a new connection reads
//! what an earlier one wrote, it keeps its own database beside the photos, and the eviction
//! guard's marker is not read as a record.
#![cfg(target_arch = "wasm32")]

use safewalk::store::archive::{RecordArchive, DATABASE};
use safewalk::store::blobs::DATABASE as PHOTOS;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn records_round_trip_and_survive_a_new_connection() {
    assert_ne!(DATABASE, PHOTOS, "delivered records and photos are upgraded apart");
    let archive = RecordArchive::open().await.expect("IndexedDB in Chromium");
    let (a, b) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
    let text = "{\"format\":3,\"inspection\":{\"note\":\"引号 \\\" and newline\\n\"}}";
    archive.put(&a, text).await.unwrap();
    archive.put(&b, "second").await.unwrap();
    archive.put(&b, "second, replaced").await.unwrap();
    assert_eq!(archive.get(&a).await.unwrap().as_deref(), Some(text));
    assert_eq!(archive.get(&Uuid::new_v4().to_string()).await.unwrap(), None);
    drop(archive);

    let again = RecordArchive::open().await.unwrap();
    let all = again.all().await.unwrap();
    assert!(all.iter().any(|t| t == text));
    assert!(all.iter().any(|t| t == "second, replaced"));
    assert!(!all.iter().any(|t| t == "second"));
}

#[wasm_bindgen_test]
async fn the_eviction_guards_marker_is_kept_apart_from_the_records() {
    let archive = RecordArchive::open().await.unwrap();
    archive.set_marker("marker-1").await.unwrap();
    assert_eq!(archive.marker().await.unwrap().as_deref(), Some("marker-1"));
    let id = Uuid::new_v4().to_string();
    archive.put(&id, "a record").await.unwrap();
    let all = archive.all().await.unwrap();
    assert!(all.iter().any(|t| t == "a record"));
    assert!(!all.iter().any(|t| t == "marker-1"), "the marker is no record");
}
