//! The app's own adapters in a real browser: Home shows an unreadable draft without
//! crashing, autosave rides out a full quota, the panic banner can be revealed, and times
//! read as the browser words them.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use safewalk::state::{SaveStatus, Services};
use safewalk::store::BrowserStore;
use safewalk_core::catalogue::library::Library;
use safewalk_core::exchange::backup::{restore_plan, Backup};
use safewalk_core::storage::{DraftRepository, KeyValueStore, StoreError};
use safewalk_core::{Inspection, Lang, Template};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A built-in checklist, as the catalogue would bring it.
fn a_template() -> Template {
    Template::parse(include_str!("../templates/commercial-complex.json")).expect("built-in template")
}

async fn tick() {
    // Let Leptos run its effects and the browser render.
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn home_lists_good_drafts_and_names_the_unreadable_one() {
    local_storage().clear().unwrap();
    web_sys::window().unwrap().location().set_hash("#/").unwrap();
    let mut good = Inspection::new(Uuid::new_v4(), &a_template(), 1_700_000_000_000);
    good.site.name = "Riverside Mall".into();
    DraftRepository::new(BrowserStore::open().unwrap()).save(&good).unwrap();
    let broken_key = DraftRepository::<BrowserStore>::key_for(&Uuid::new_v4().to_string());
    local_storage().set_item(&broken_key, "\u{0}garbage").unwrap();

    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let _handle = leptos::mount::mount_to(root.clone().dyn_into().unwrap(), safewalk::app::App);
    tick().await;

    let text = root.text_content().unwrap();
    assert!(text.contains("Riverside Mall"), "{text}");
    let unreadable = root.query_selector("[data-testid=unreadable-draft]").unwrap().expect("unreadable draft shown");
    assert!(unreadable.text_content().unwrap().contains(&broken_key));
    let raw = root.query_selector("textarea.raw").unwrap().unwrap();
    assert_eq!(raw.text_content().unwrap(), "\u{0}garbage");
    assert_eq!(local_storage().get_item(&broken_key).unwrap().as_deref(), Some("\u{0}garbage"));
    root.remove();
}

#[wasm_bindgen_test]
async fn autosave_keeps_edits_in_memory_while_storage_is_full_and_saves_them_after() {
    local_storage().clear().unwrap();
    let owner = Owner::new();
    owner.set();
    let Services { device, checklists, drafts, .. } = Services::load();
    let template = a_template();
    checklists.learn(Library { templates: vec![template.clone()], ..Library::new() });
    let id = drafts.create(&template);
    assert_eq!(device.save_status_untracked(), SaveStatus::Saved);

    let block = "x".repeat(512 * 1024);
    let mut store = BrowserStore::open().unwrap();
    let mut filler = Vec::new();
    for n in 0..200 {
        if store.put(&format!("test.filler.{n}"), &block).is_err() {
            break;
        }
        filler.push(format!("test.filler.{n}"));
    }
    // Larger than the filler blocks, so it cannot fit in what they left over.
    let big_note = "隐患".repeat(300 * 1024);
    let item = template.items().next().unwrap().id.clone();
    drafts.edit(id, |i, t, now| i.set_note(t, &item, &big_note, now)).unwrap();
    drafts.flush();
    assert_eq!(device.save_status_untracked(), SaveStatus::Failed(StoreError::QuotaExceeded));
    assert_eq!(drafts.with_inspection_untracked(id, |i| i.note(&item).len()), Some(big_note.len()), "kept in memory");

    for key in &filler {
        store.remove(key).unwrap();
    }
    drafts.flush();
    assert_eq!(device.save_status_untracked(), SaveStatus::Saved);
    let report = DraftRepository::new(BrowserStore::open().unwrap()).load_all().unwrap();
    assert_eq!(report.inspections[0].note(&item), big_note);
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_restore_through_drafts_writes_what_it_adds_and_leaves_the_device_copy_that_is_further_along() {
    local_storage().clear().unwrap();
    let owner = Owner::new();
    owner.set();
    let template = a_template();
    let item = template.items().next().unwrap().id.clone();
    // A phone with two drafts, backed up; then one is edited further and the other lost.
    let before = Services::load();
    before.checklists.learn(Library { templates: vec![template.clone()], ..Library::new() });
    let (kept, lost) = (before.drafts.create(&template), before.drafts.create(&template));
    before.drafts.edit(kept, |i, t, now| i.set_note(t, &item, "in the backup", now)).unwrap();
    before.drafts.flush();
    let inspections = before.drafts.with_all_untracked(<[Inspection]>::to_vec);
    let backup = Backup::of_unsent(&inspections, &before.delivery.outbox_untracked(), &Default::default(), &Library::new(), 1);
    before.drafts.edit(kept, |i, t, now| i.set_note(t, &item, "after the backup", now + 60_000)).unwrap();
    before.drafts.flush();
    local_storage().remove_item(&DraftRepository::<BrowserStore>::key_for(&lost.to_string())).unwrap();

    let after = Services::load();
    after.checklists.learn(Library { templates: vec![template.clone()], ..Library::new() });
    let plan = after.drafts.with_all_untracked(|existing| restore_plan(backup, existing));
    assert_eq!(after.drafts.restore(&plan), (1, 0), "the lost draft comes back; the edited one is not replaced");
    after.delivery.restore(&plan);
    assert_eq!(after.device.save_status_untracked(), SaveStatus::Saved);
    let report = DraftRepository::new(BrowserStore::open().unwrap()).load_all().unwrap();
    let note = |id: Uuid| report.inspections.iter().find(|i| i.id == id).map(|i| i.note(&item).to_string());
    assert_eq!(note(lost).as_deref(), Some(""), "written to the device, not only put in memory");
    assert_eq!(note(kept).as_deref(), Some("after the backup"));
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
fn the_panic_banner_is_revealed() {
    let banner = document().create_element("div").unwrap();
    banner.set_id(safewalk::panic_banner::BANNER_ID);
    banner.set_attribute("hidden", "").unwrap();
    document().body().unwrap().append_child(&banner).unwrap();
    safewalk::panic_banner::show();
    assert!(!banner.has_attribute("hidden"));
    banner.remove();
}

#[wasm_bindgen_test]
fn times_read_as_the_browser_words_them_in_each_language_from_one_kept_formatter() {
    let at = 1_764_000_000_000u64;
    for lang in [Lang::En, Lang::Zh] {
        let options = js_sys::Object::new();
        for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
            js_sys::Reflect::set(&options, &key.into(), &value.into()).unwrap();
        }
        let expected = String::from(js_sys::Date::new(&(at as f64).into()).to_locale_string(lang.tag(), &options));
        assert!(!expected.is_empty());
        assert_eq!(safewalk::browser::format_time(at, lang), expected);
        assert_eq!(safewalk::browser::format_time(at, lang), expected, "again, with the formatter kept");
    }
    assert_ne!(safewalk::browser::format_time(at, Lang::En), safewalk::browser::format_time(at, Lang::Zh), "one formatter each");
    assert_ne!(safewalk::browser::format_time(at, Lang::En), safewalk::browser::format_time(at + 86_400_000, Lang::En));
}
