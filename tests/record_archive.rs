//! The IndexedDB archive of delivered inspections in a real browser (headless Chromium):
//! texts round trip, `all` lists every one, a missing id is `None`, a new connection reads
//! what an earlier one wrote, it keeps its own database beside the photos, and the eviction
//! guard's marker is not read as a record. Each record's summary is written with it and
//! listed without the records; an archive from before summaries gains their store on open,
//! keeps its records, and lists (and counts) those without a summary until one is stored.
//! Summaries are read a page at a time, and many are stored in one transaction.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Promise, Reflect};
use safewalk::store::archive::{RecordArchive, DATABASE, STORE};
use safewalk::store::blobs::DATABASE as PHOTOS;
use uuid::Uuid;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{IdbDatabase, IdbFactory, IdbTransactionMode};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn records_round_trip_and_survive_a_new_connection() {
    assert_ne!(DATABASE, PHOTOS, "delivered records and photos are upgraded apart");
    let archive = RecordArchive::open().await.expect("IndexedDB in Chromium");
    let (a, b) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
    let text = "{\"format\":3,\"inspection\":{\"note\":\"引号 \\\" and newline\\n\"}}";
    archive.put(&a, text, "summary a").await.unwrap();
    archive.put(&b, "second", "summary b").await.unwrap();
    archive.put(&b, "second, replaced", "summary b, replaced").await.unwrap();
    assert_eq!(archive.get(&a).await.unwrap().as_deref(), Some(text));
    assert_eq!(archive.get(&Uuid::new_v4().to_string()).await.unwrap(), None);
    drop(archive);

    let again = RecordArchive::open().await.unwrap();
    let all = again.all().await.unwrap();
    assert!(all.iter().any(|t| t == text));
    assert!(all.iter().any(|t| t == "second, replaced"));
    assert!(!all.iter().any(|t| t == "second"));
    let summaries = every_summary(&again).await;
    assert!(summaries.iter().any(|t| t == "summary a") && summaries.iter().any(|t| t == "summary b, replaced"));
    assert!(!summaries.iter().any(|t| t == "summary b" || t == text), "the replaced summary and no record");
    let without = again.without_summary().await.unwrap();
    assert!(!without.contains(&a) && !without.contains(&b));
}

/// Every stored summary, read as the app reads them: a page at a time (pages of 2 here, so
/// every test crosses pages).
async fn every_summary(archive: &RecordArchive) -> Vec<String> {
    let (mut all, mut after) = (Vec::new(), None);
    loop {
        let (page, next) = archive.summaries_page(after.as_deref(), 2).await.unwrap();
        assert!(page.len() <= 2, "a page holds at most what was asked");
        all.extend(page);
        match next {
            Some(next) => after = Some(next),
            None => return all,
        }
    }
}

#[wasm_bindgen_test]
async fn summaries_are_read_a_page_at_a_time_in_id_order_and_stored_many_in_one_go() {
    let archive = RecordArchive::open().await.unwrap();
    // Ids after every UUID (hex digits sort before 'z'), so the other tests' summaries are
    // all before them.
    let ids: Vec<String> = (1..=5).map(|n| format!("zz-{n}")).collect();
    let stored: Vec<(String, String)> = ids.iter().map(|id| (id.clone(), format!("summary {id}"))).collect();
    archive.put_summaries(&stored[1..]).await.unwrap();
    archive.put_summaries(&stored[..1]).await.unwrap();
    archive.put_summaries(&[]).await.unwrap();

    let page = |after: &'static str, count| {
        let archive = &archive;
        async move { archive.summaries_page(Some(after), count).await.unwrap() }
    };
    let texts = |ids: &[&str]| ids.iter().map(|id| format!("summary {id}")).collect::<Vec<_>>();
    assert_eq!(page("zz-", 2).await, (texts(&["zz-1", "zz-2"]), Some("zz-2".to_string())));
    assert_eq!(page("zz-2", 2).await, (texts(&["zz-3", "zz-4"]), Some("zz-4".to_string())), "after, not from, the id");
    assert_eq!(page("zz-4", 2).await, (texts(&["zz-5"]), None), "a short page is the last");
    assert_eq!(page("zz-3", 2).await, (texts(&["zz-4", "zz-5"]), Some("zz-5".to_string())), "a full page may be the last:");
    assert_eq!(page("zz-5", 2).await, (vec![], None), "the next one is empty");
    let (first, next) = archive.summaries_page(None, 1).await.unwrap();
    assert_eq!((first.len(), next.is_some()), (1, true), "from the first id");

    let all = every_summary(&archive).await;
    assert_eq!(all[all.len() - 5..], texts(&["zz-1", "zz-2", "zz-3", "zz-4", "zz-5"])[..]);
    // Replaced in one go, as the first start after an update gives a year of them their time.
    let replaced: Vec<(String, String)> = ids.iter().map(|id| (id.clone(), format!("{id} delivered"))).collect();
    archive.put_summaries(&replaced).await.unwrap();
    assert_eq!(page("zz-4", 2).await, (vec!["zz-5 delivered".to_string()], None));
}

#[wasm_bindgen_test]
async fn the_eviction_guards_marker_is_kept_apart_from_the_records() {
    let archive = RecordArchive::open().await.unwrap();
    archive.set_marker("marker-1").await.unwrap();
    assert_eq!(archive.marker().await.unwrap().as_deref(), Some("marker-1"));
    let id = Uuid::new_v4().to_string();
    archive.put(&id, "a record", "its summary").await.unwrap();
    let all = archive.all().await.unwrap();
    assert!(all.iter().any(|t| t == "a record"));
    assert!(!all.iter().any(|t| t == "marker-1"), "the marker is no record");
}

/// Settles when `target` fires `ok` (then its `result`) or `fail`.
async fn settled(target: &JsValue, ok: &str, fail: &str) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        Reflect::set(target, &ok.into(), &resolve).unwrap();
        Reflect::set(target, &fail.into(), &reject).unwrap();
    });
    JsFuture::from(promise).await?;
    Reflect::get(target, &"result".into())
}

fn factory() -> IdbFactory {
    web_sys::window().unwrap().indexed_db().unwrap().unwrap()
}

/// The archive as the app kept it before summaries: version 1, the records' store only.
async fn archive_from_before_summaries(records: &[(&str, &str)]) {
    let deleting = factory().delete_database(DATABASE).unwrap();
    settled(&deleting, "onsuccess", "onerror").await.unwrap();
    let opening = factory().open_with_u32(DATABASE, 1).unwrap();
    let upgrading = opening.clone();
    let upgrade = Closure::<dyn FnMut()>::new(move || {
        let db: IdbDatabase = upgrading.result().unwrap().dyn_into().unwrap();
        db.create_object_store(STORE).unwrap();
    });
    opening.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db: IdbDatabase = settled(&opening, "onsuccess", "onerror").await.unwrap().dyn_into().unwrap();
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite).unwrap();
    for (id, text) in records {
        tx.object_store(STORE).unwrap().put_with_key(&(*text).into(), &(*id).into()).unwrap();
    }
    settled(&tx, "oncomplete", "onabort").await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn an_archive_from_before_summaries_keeps_its_records_and_lists_those_to_summarise() {
    let (a, b) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
    archive_from_before_summaries(&[(&a, "record a"), (&b, "record b")]).await;

    let archive = RecordArchive::open().await.expect("opened, with the summaries' store added");
    assert_eq!(archive.get(&a).await.unwrap().as_deref(), Some("record a"));
    assert_eq!(every_summary(&archive).await, Vec::<String>::new());
    let mut expected = vec![a.clone(), b.clone()];
    expected.sort();
    assert_eq!(archive.without_summary().await.unwrap(), expected);

    assert!(archive.has_unsummarised().await.unwrap(), "counted: two records, no summary");
    archive.put_summary(&a, "summary a").await.unwrap();
    archive.set_marker("marker").await.unwrap();
    assert_eq!(archive.without_summary().await.unwrap(), vec![b.clone()], "the marker needs none");
    assert!(archive.has_unsummarised().await.unwrap(), "b still has none");
    assert_eq!(every_summary(&archive).await, vec!["summary a".to_string()]);
    archive.put_summary(&b, "summary b").await.unwrap();
    assert!(!archive.has_unsummarised().await.unwrap(), "every record summarised, the marker left out of the count");
    drop(archive);
    let again = RecordArchive::open().await.unwrap();
    assert_eq!(every_summary(&again).await.len(), 2, "the store stays");
}
