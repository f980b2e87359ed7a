//! What the phone keeps of its task pulls (issue 14), in a real browser: a round trip through
//! localStorage, unreadable kept data (empty list, a message, the raw text kept aside), a full
//! quota (a message, the stored copy kept), how each answer of `GET /sync` is read, and
//! starting a pulled task.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use safewalk::state::{KeepProblem, PullFailure, Services};
use safewalk::store::BrowserStore;
use safewalk::sync::pull::read;
use safewalk_core::assignment::pull::{Pull, SiteHazards, Task, TaskKind, TaskState};
use safewalk_core::assignment::start::StartError;
use safewalk_core::catalogue::library::Library;
use safewalk_core::delivery::outbox::Attempt;
use safewalk_core::grading::Grade;
use safewalk_core::rectification::register::{HazardStatus, RegisterEntry};
use safewalk_core::storage::{unreadable_key, KeyValueStore, StoreError, ASSIGNED_KEY};
use safewalk_core::{SiteDetails, Template};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn a_template() -> Template {
    Template::parse(include_str!("../templates/commercial-complex.json")).expect("built-in template")
}

fn task(n: u128, kind: TaskKind, note: &str) -> Task {
    Task {
        id: Uuid::from_u128(n),
        number: format!("2026-{n:04}"),
        kind,
        state: TaskState::Assigned,
        site: Uuid::from_u128(100 + n),
        site_details: SiteDetails { name: format!("Mall {n}"), address: "1 River Road".into(), ..SiteDetails::default() },
        template: "commercial-complex".into(),
        inspectors: vec!["王明".into(), "李华".into()],
        due: "2026-12-09".into(),
        note: note.into(),
    }
}

fn hazard(inspection: u128, item: &str) -> RegisterEntry {
    RegisterEntry {
        inspection: Uuid::from_u128(inspection),
        item: item.into(),
        site_name: "Mall".into(),
        site_key: "mall\n".into(),
        template: "commercial-complex".into(),
        grade: Grade::Major,
        standing: Default::default(),
        description: "exit blocked by boxes".into(),
        deadline: "2026-12-01".into(),
        found_at: 5,
        status: HazardStatus::Open,
        overdue: true,
        order: None,
    }
}

fn full(cursor: &str, tasks: Vec<Task>, sites: Vec<SiteHazards>) -> Pull {
    Pull { cursor: cursor.into(), full: true, tasks, sites, library: None, serials: Vec::new(), agency: None }
}

/// The services as a new start reads them. Their owner lives as long as the test page: a
/// dropped owner would dispose of their signals.
fn fresh() -> Services {
    // Starting a draft asks for persistent storage in a task: mounting sets up the executor
    // that runs it.
    let root = web_sys::window().unwrap().document().unwrap().create_element("div").unwrap();
    leptos::mount::mount_to(root.unchecked_into(), || ()).forget();
    let owner = Owner::new();
    owner.set();
    std::mem::forget(owner);
    Services::load()
}

#[wasm_bindgen_test]
fn pulled_tasks_and_hazards_read_back_after_a_reload() {
    local_storage().clear().unwrap();
    let first = fresh().assignments;
    assert_eq!((first.to_do(), first.pulled_at(), first.problem()), (vec![], None, None));
    let t = task(1, TaskKind::ReInspection, "");
    first.take(full("c1", vec![t.clone()], vec![SiteHazards { site: t.site, open: vec![hazard(9, "a")] }]), 1_700_000_000_000);

    let again = fresh().assignments;
    assert_eq!(again.to_do(), vec![t.clone()]);
    assert_eq!(again.pulled_at(), Some(1_700_000_000_000));
    assert_eq!(again.open_hazards(t.site), vec![hazard(9, "a")]);
    assert_eq!(again.problem(), None);
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
fn unreadable_kept_tasks_start_empty_with_a_message_and_their_text_is_kept_aside() {
    local_storage().clear().unwrap();
    local_storage().set_item(ASSIGNED_KEY, "{\"format\":1,\"value\":{\"assigned\":42").unwrap();
    let assignments = fresh().assignments;
    assert_eq!(assignments.to_do(), vec![]);
    assert_eq!(assignments.problem(), Some(KeepProblem::Unreadable));
    assert_eq!(
        local_storage().get_item(&unreadable_key(ASSIGNED_KEY)).unwrap().as_deref(),
        Some("{\"format\":1,\"value\":{\"assigned\":42"),
        "the raw text is kept aside"
    );
    // The next pull replaces it and the message goes.
    assignments.take(full("c1", vec![task(1, TaskKind::Inspection, "")], vec![]), 1);
    assert_eq!((assignments.to_do().len(), assignments.problem()), (1, None));
    assert_eq!(fresh().assignments.to_do().len(), 1);
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
fn a_full_quota_is_told_and_the_stored_copy_stays() {
    local_storage().clear().unwrap();
    let assignments = fresh().assignments;
    assignments.take(full("c1", vec![task(1, TaskKind::Inspection, "")], vec![]), 1);
    let mut store = BrowserStore::open().unwrap();
    let block = "x".repeat(512 * 1024);
    let mut filler = Vec::new();
    for n in 0..200 {
        if store.put(&format!("test.filler.{n}"), &block).is_err() {
            break;
        }
        filler.push(format!("test.filler.{n}"));
    }
    // Larger than what the filler blocks left over.
    let big = task(2, TaskKind::Inspection, &"带上图纸".repeat(200 * 1024));
    assignments.take(full("c2", vec![big.clone()], vec![]), 2);
    assert_eq!(assignments.problem(), Some(KeepProblem::NotKept(StoreError::QuotaExceeded)));
    assert_eq!(assignments.to_do(), vec![big], "shown now");
    for key in &filler {
        store.remove(key).unwrap();
    }
    let stored = fresh().assignments;
    assert_eq!(stored.to_do(), vec![task(1, TaskKind::Inspection, "")], "the earlier copy stays on the device");
    assert_eq!(stored.pulled_at(), Some(1));
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
fn every_answer_of_the_receiver_is_read_into_what_happened() {
    let json = |status, body: &str| Attempt::Response { status, content_type: Some("application/json".into()), body: body.into() };
    let html = Attempt::Response { status: 200, content_type: Some("text/html".into()), body: "<html>sign in to Wi-Fi</html>".into() };
    let pulled = read(json(200, r#"{"cursor":"7","full":true}"#)).expect("a pull");
    assert_eq!((pulled.cursor.as_str(), pulled.full), ("7", true));
    assert_eq!(read(html), Err(PullFailure::NotAReceiver));
    assert_eq!(read(json(401, "")), Err(PullFailure::TokenRefused));
    assert_eq!(read(json(403, "")), Err(PullFailure::TokenRefused));
    assert_eq!(read(json(404, "")), Err(PullFailure::NoSync));
    assert_eq!(read(json(503, "busy")), Err(PullFailure::Status(503)));
    assert!(matches!(read(json(200, r#"{"tasks":[]}"#)), Err(PullFailure::Unreadable(_))));
    assert_eq!(read(Attempt::Timeout), Err(PullFailure::TimedOut));
    assert_eq!(read(Attempt::NetworkError("refused".into())), Err(PullFailure::Network("refused".into())));
}

#[wasm_bindgen_test]
fn a_pulled_task_starts_once_and_a_missing_checklist_is_refused() {
    local_storage().clear().unwrap();
    let services = fresh();
    let (assignments, drafts) = (services.assignments, services.drafts);
    let (inspection, re_inspection) = (task(1, TaskKind::Inspection, ""), task(2, TaskKind::ReInspection, ""));
    assignments.take(
        full(
            "c1",
            vec![inspection.clone(), re_inspection.clone()],
            vec![SiteHazards { site: re_inspection.site, open: vec![hazard(9, "a")] }],
        ),
        1,
    );
    assert_eq!(assignments.start_task(&inspection), Err(StartError::NoChecklist("commercial-complex".into())));
    services.checklists.learn(Library { templates: vec![a_template()], ..Library::new() });

    let id = assignments.start_task(&inspection).expect("started");
    assert_eq!(assignments.start_task(&inspection), Ok(id), "started once: Continue opens the same draft");
    assert_eq!(assignments.started(inspection.id), Some((id, false)));
    let (site, team, task_of) = drafts.with_inspection_untracked(id, |i| (i.site.name.clone(), i.team.inspectors.clone(), i.task)).unwrap();
    assert_eq!((site.as_str(), team.as_str(), task_of), ("Mall 1", "王明、李华", Some(inspection.id)));

    let follow_up = assignments.start_task(&re_inspection).expect("started");
    let (of, carried) =
        drafts.with_inspection_untracked(follow_up, |i| i.follow_up.as_ref().map(|f| (f.of, f.checks.len()))).flatten().unwrap();
    assert_eq!((of, carried), (Uuid::from_u128(9), 1), "carries the hazard found on another phone");
    local_storage().clear().unwrap();
}
