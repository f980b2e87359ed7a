//! The localStorage adapter in a real browser (headless Chromium): round trip, a corrupt
//! entry kept aside, the quota error surfaced, and the app's autosave riding out a full quota.
#![cfg(target_arch = "wasm32")]

use safewalk::store::BrowserStore;
use safewalk_core::storage::{DraftRepository, KeyValueStore, StoreError, Unreadable, INDEX_KEY};
use safewalk_core::{Inspection, Template};
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn a_template() -> Template {
    Template::parse(include_str!("../templates/commercial-complex.json")).expect("built-in template")
}

fn a_draft() -> Inspection {
    Inspection::new(Uuid::new_v4(), &a_template(), 1_700_000_000_000)
}

/// Fills localStorage until the browser refuses; returns the keys used, to clean up.
fn fill_storage(store: &mut BrowserStore) -> Vec<String> {
    let block = "x".repeat(512 * 1024);
    let mut keys = Vec::new();
    for n in 0..200 {
        let key = format!("test.filler.{n}");
        match store.put(&key, &block) {
            Ok(()) => keys.push(key),
            Err(StoreError::QuotaExceeded) => return keys,
            Err(other) => panic!("expected the quota error, got {other:?}"),
        }
    }
    panic!("localStorage never reported its quota");
}

fn clean(keys: &[String]) {
    for key in keys {
        local_storage().remove_item(key).unwrap();
    }
}

#[wasm_bindgen_test]
fn values_round_trip_through_local_storage() {
    local_storage().clear().unwrap();
    let mut store = BrowserStore::open().expect("localStorage is available in Chromium");
    store.put("test.key", "值 value \"quoted\"\n").unwrap();
    assert_eq!(store.get("test.key").unwrap().as_deref(), Some("值 value \"quoted\"\n"));
    assert_eq!(local_storage().get_item("test.key").unwrap().as_deref(), Some("值 value \"quoted\"\n"));
    assert!(store.keys().unwrap().contains(&"test.key".to_string()));
    store.remove("test.key").unwrap();
    assert_eq!(store.get("test.key").unwrap(), None);
}

#[wasm_bindgen_test]
fn drafts_survive_a_new_repository_over_the_same_storage() {
    local_storage().clear().unwrap();
    let draft = a_draft();
    let mut repo = DraftRepository::new(BrowserStore::open().unwrap());
    repo.load_all().unwrap();
    repo.save(&draft).unwrap();
    assert!(local_storage().get_item(INDEX_KEY).unwrap().unwrap().contains(&draft.id.to_string()));

    let report = DraftRepository::new(BrowserStore::open().unwrap()).load_all().unwrap();
    assert_eq!(report.inspections, vec![draft]);
}

#[wasm_bindgen_test]
fn a_corrupt_entry_is_reported_and_kept_as_it_was() {
    local_storage().clear().unwrap();
    let good = a_draft();
    let mut repo = DraftRepository::new(BrowserStore::open().unwrap());
    repo.save(&good).unwrap();
    let key = DraftRepository::<BrowserStore>::key_for(&Uuid::new_v4().to_string());
    local_storage().set_item(&key, "{\"format\":2,\"inspection\":{\"id\":\"tru").unwrap();

    let report = DraftRepository::new(BrowserStore::open().unwrap()).load_all().unwrap();
    assert_eq!(report.inspections, vec![good]);
    assert_eq!(report.unreadable.len(), 1);
    assert_eq!(report.unreadable[0].key, key);
    assert_eq!(report.unreadable[0].raw, "{\"format\":2,\"inspection\":{\"id\":\"tru");
    assert!(matches!(report.unreadable[0].reason, Unreadable::NotJson(_)));
    assert_eq!(local_storage().get_item(&key).unwrap().as_deref(), Some("{\"format\":2,\"inspection\":{\"id\":\"tru"));
}

#[wasm_bindgen_test]
fn a_full_quota_is_surfaced_as_quota_exceeded_and_the_old_draft_survives() {
    local_storage().clear().unwrap();
    let mut draft = a_draft();
    let mut repo = DraftRepository::new(BrowserStore::open().unwrap());
    repo.save(&draft).unwrap();

    let filler = fill_storage(repo.store_mut());
    let template = a_template();
    let item = template.items().next().unwrap().id.clone();
    draft.set_note(&template, &item, &"n".repeat(600 * 1024), 2).unwrap();
    let result = repo.save(&draft);
    clean(&filler);

    assert_eq!(result, Err(StoreError::QuotaExceeded));
    let report = DraftRepository::new(BrowserStore::open().unwrap()).load_all().unwrap();
    assert_eq!(report.inspections[0].note(&item), "", "the last good save is intact");
    repo.save(&draft).expect("saves once space is free");
}
