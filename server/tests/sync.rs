//! The pull (`GET /sync`) and the tasks travelling back over real HTTP, on SQLite and
//! PostgreSQL: a full answer then deltas, only the person's tasks, taken on pull (audited),
//! delivered by a schema-3 delivery (once, whatever the duplicates), withdrawn while on a
//! phone (the inspection accepted and flagged), an unknown task, another inspector's hazards
//! at the site, a re-inspection by B closing A's hazard and leaving the next delta's site
//! list, a follow-up's own hazard registered, its closing photos checked against where the
//! hazard was found, the office's acceptance, a person taken off a
//! task, a cursor the database did not issue, and 401 without a token.

mod support;

use safewalk_core::assignment::pull::{Pull, TaskKind, TaskState};
use safewalk_core::inspection::attachment::{Attachment, AttachmentKind, Position};
use safewalk_core::inspection::follow_up::Verdict;
use safewalk_core::inspection::hazard::Hazard;
use safewalk_core::rectification::follow_up::start_follow_up;
use safewalk_core::rectification::register::HazardStatus;
use safewalk_core::{Answer, Inspection, ItemAnswer};
use safewalk_server::people::Role;
use safewalk_server::store::Store;
use support::*;
use uuid::Uuid;

const EXIT: &str = "gs-exit-01";
const ALARM: &str = "gs-alarm-01";

/// A photo of `item` taken at `position`.
fn photo(item: &str, position: Option<Position>) -> Attachment {
    Attachment {
        id: Uuid::new_v4(),
        kind: AttachmentKind::Photo,
        item: Some(item.into()),
        sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
        content_type: "image/jpeg".into(),
        bytes: 1000,
        width: 800,
        height: 600,
        taken_at: CREATED,
        position,
        signer: None,
    }
}

/// A completed inspection at `site` (`<site> Road 1`) with each item a hazard.
fn found(site: &str, hazards: &[&str], at: u64) -> Inspection {
    let mut i = completed_inspection("");
    i.answers.clear();
    i.site.name = site.into();
    i.site.address = format!("{site} Road 1");
    for item in hazards {
        i.answers.insert(item.to_string(), ItemAnswer { answer: Some(Answer::Hazard), note: format!("{site}: {item}") });
        let mut hazard = Hazard::default();
        hazard.rectification.deadline = "2020-01-10".into();
        i.hazards.insert(item.to_string(), hazard);
    }
    i.completed_at = Some(at);
    i.updated_at = at;
    i
}

async fn pull(r: &Receiver, token: &str, since: Option<&str>) -> Pull {
    let mut request = r.anonymous.get(format!("{}/sync", r.base)).bearer_auth(token);
    if let Some(since) = since {
        request = request.query(&[("since", since)]);
    }
    let reply = answer(request).await;
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    serde_json::from_slice(&reply.body).expect("a Pull")
}

async fn page(r: &Receiver, path: &str, token: &str) -> String {
    let reply = answer(r.anonymous.get(format!("{}{path}", r.base)).bearer_auth(token).header("accept", "text/html")).await;
    assert_eq!(reply.status, 200, "{path}");
    String::from_utf8_lossy(&reply.body).to_string()
}

/// Assigns a task (as the admin): its id.
async fn assign(r: &Receiver, site: &str, inspectors: &[&str], kind: &str) -> Uuid {
    let admin = r.token.clone().unwrap();
    let mut fields = vec![("site", site), ("template", "graded-shop"), ("due", "2999-01-01"), ("note", "bring the plans"), ("kind", kind)];
    fields.extend(inspectors.iter().map(|p| ("inspector", *p)));
    let (status, _, location) = post_form(r, "/office/tasks", &fields, &admin).await;
    assert_eq!(status, 303, "assigned");
    Uuid::parse_str(location.trim_start_matches("/office/tasks/")).unwrap()
}

async fn task_row(store: &Store, id: Uuid) -> (String, Option<i64>, Option<i64>, Option<String>) {
    let row = store
        .row("SELECT state, taken_at, delivered_at, inspection_id FROM tasks WHERE id = $1", vec![id.to_string().into()])
        .await
        .unwrap()
        .unwrap();
    (row[0].text(), row[1].opt_int(), row[2].opt_int(), row[3].opt_text())
}

fn with_task(i: &Inspection, task: Uuid) -> serde_json::Value {
    let mut i = i.clone();
    i.task = Some(task);
    let payload = payload_of(&i);
    assert_eq!(payload["schema"], 3, "a task is sent as schema 3");
    payload
}

fn task_ids(pull: &Pull) -> Vec<(Uuid, TaskState)> {
    pull.tasks.iter().map(|t| (t.id, t.state)).collect()
}

fn open_items(pull: &Pull, site: Uuid) -> Option<Vec<(Uuid, String)>> {
    pull.sites.iter().find(|s| s.site == site).map(|s| s.open.iter().map(|e| (e.inspection, e.item.clone())).collect())
}

async fn sync(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(url, dir.path()).await;
    let admin = r.token.clone().unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let li = person_token(&store, "Li Na", Role::Inspector, "brigade-1", "pudong").await;
    let zhang = person_token(&store, "Zhang Min", Role::Inspector, "brigade-1", "pudong").await;
    let id_of = |name: &'static str| {
        let store = store.clone();
        async move { store.person_by_name(name).await.unwrap().unwrap().id }
    };
    let (wang_id, li_id, zhang_id) = (id_of("Wang Wei").await, id_of("Li Na").await, id_of("Zhang Min").await);
    let csv = "name,address,district,department,sectors\n\
        Riverside Mall,Riverside Mall Road 1,pudong,brigade-1,graded-shop\n\
        Harbour Hotel,Harbour Hotel Road 1,pudong,brigade-1,graded-shop\n";
    assert_eq!(post_form(&r, "/office/sites/import", &[("csv", csv)], &admin).await.0, 303);
    let site = |name: &'static str| {
        let store = store.clone();
        async move {
            let row = store.row("SELECT id FROM sites WHERE name = $1", vec![name.into()]).await.unwrap().unwrap();
            Uuid::parse_str(&row[0].text()).unwrap()
        }
    };
    let (riverside, harbour) = (site("Riverside Mall").await, site("Harbour Hotel").await);

    // No token, no pull; a legacy-free receiver knows each phone's person.
    let reply = answer(r.anonymous.get(format!("{}/sync", r.base))).await;
    assert_eq!(reply.status, 401);
    assert!(reply.header("www-authenticate").is_some());

    // The office sends Wang to Riverside and Li to the Harbour.
    let t1 = assign(&r, &riverside.to_string(), &[&wang_id], "inspection").await;
    let t2 = assign(&r, &harbour.to_string(), &[&li_id], "inspection").await;

    // Wang's first pull: everything for him, his task only, now taken (and audited).
    let first = pull(&r, &wang, None).await;
    assert!(first.full);
    assert_eq!(task_ids(&first), vec![(t1, TaskState::Taken)]);
    let task = &first.tasks[0];
    assert_eq!(
        (task.kind, task.site, task.template.as_str(), task.due.as_str()),
        (TaskKind::Inspection, riverside, "graded-shop", "2999-01-01")
    );
    assert_eq!((task.site_details.name.as_str(), task.site_details.address.as_str()), ("Riverside Mall", "Riverside Mall Road 1"));
    assert_eq!((task.inspectors.clone(), task.note.as_str()), (vec!["Wang Wei".to_string()], "bring the plans"));
    assert_eq!(open_items(&first, riverside), Some(vec![]), "the site is named, with no hazards yet");
    let library = answer(r.anonymous.get(format!("{}/templates", r.base)).bearer_auth(&wang)).await;
    assert_eq!(first.library.as_deref(), library.header("etag"), "the tag /templates serves");
    let not_modified = answer(
        r.anonymous.get(format!("{}/templates", r.base)).bearer_auth(&wang).header("if-none-match", library.header("etag").unwrap()),
    )
    .await;
    assert_eq!(not_modified.status, 304);
    let (state, taken_at, ..) = task_row(&store, t1).await;
    assert_eq!((state.as_str(), taken_at.is_some()), ("taken", true));
    let audit = store.audit_entries(0, 50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "task-taken" && e.actor.contains("Wang Wei")), "taking is audited");

    // Nothing changed: an empty delta; a cursor of another database or ahead of this one: full.
    let quiet = pull(&r, &wang, Some(&first.cursor)).await;
    assert!(!quiet.full && quiet.tasks.is_empty() && quiet.sites.is_empty(), "{quiet:?}");
    let (epoch, value) = first.cursor.rsplit_once('.').unwrap();
    for foreign in [format!("ffff{epoch}.{value}"), format!("{epoch}.{}", value.parse::<i64>().unwrap() + 1000), "junk".to_string()] {
        assert!(pull(&r, &wang, Some(&foreign)).await.full, "{foreign}");
    }

    // Li's first pull: her task; Wang's is not hers.
    let li_first = pull(&r, &li, None).await;
    assert_eq!(task_ids(&li_first), vec![(t2, TaskState::Taken)]);

    // Wang delivers his inspection (schema 3, with the task): the task is delivered, once.
    let mut a = found("Riverside Mall", &[EXIT, ALARM], CREATED + 1);
    a.attachments.push(photo(EXIT, Some(Position { lat: 31.23, lon: 121.47, accuracy_m: 10.0 })));
    let mut schema_2 = with_task(&a, t1);
    schema_2["schema"] = 2.into();
    let (status, refused) = r.post(&schema_2, None, Some(&wang)).await;
    assert_eq!(status, 400);
    assert!(refused["error"].as_str().unwrap().contains("inspection.task"), "{refused}");
    assert_eq!(r.post(&with_task(&a, t1), None, Some(&wang)).await.0, 201);
    let delivered = task_row(&store, t1).await;
    assert_eq!((delivered.0.as_str(), delivered.3.clone()), ("delivered", Some(a.id.to_string())));
    assert_eq!(r.post(&with_task(&a, t1), None, Some(&wang)).await.0, 200, "a duplicate");
    assert_eq!(task_row(&store, t1).await, delivered, "a duplicate changes nothing");
    let after = pull(&r, &wang, Some(&first.cursor)).await;
    assert_eq!(task_ids(&after), vec![(t1, TaskState::Delivered)], "the delta says delivered: the phone drops it");
    assert!(after.sites.is_empty(), "no open task of his is at the site any more");
    let inspection_page = page(&r, &format!("/office/{}", a.id), &admin).await;
    assert!(inspection_page.contains("由本检查记录完成") && !inspection_page.contains('⚑'), "{inspection_page}");

    // The office sends Li to re-inspect Riverside, and Zhang there too: both pull Wang's hazards.
    let t3 = assign(&r, &riverside.to_string(), &[&li_id], "re_inspection").await;
    let t4 = assign(&r, &riverside.to_string(), &[&zhang_id], "inspection").await;
    let li_delta = pull(&r, &li, Some(&li_first.cursor)).await;
    assert_eq!(task_ids(&li_delta), vec![(t3, TaskState::Taken)], "only what changed: her harbour task is not sent again");
    assert_eq!(li_delta.tasks[0].kind, TaskKind::ReInspection);
    assert_eq!(open_items(&li_delta, riverside), Some(vec![(a.id, EXIT.to_string()), (a.id, ALARM.to_string())]), "Wang's hazards");
    assert_eq!(li_delta.sites.len(), 1, "the harbour did not change");
    let zhang_first = pull(&r, &zhang, None).await;
    assert_eq!(open_items(&zhang_first, riverside).map(|o| o.len()), Some(2));

    // Li re-inspects from what she pulled, offline: the exit is fixed, the alarm is not, and she
    // finds the sprinkler valve shut (her own hazard). Delivered with her task.
    let open: Vec<_> = li_delta.sites[0].open.iter().collect();
    let mut follow_up = start_follow_up(Uuid::new_v4(), &a, &open, CREATED + 10);
    let checks = &mut follow_up.follow_up.as_mut().unwrap().checks;
    checks[0].verdict = Some(Verdict::Rectified);
    checks[1].verdict = Some(Verdict::NotRectified);
    let valve = graded_shop().items().map(|i| i.id.clone()).find(|id| id != EXIT && id != ALARM).expect("a third item");
    follow_up.answers.insert(valve.clone(), ItemAnswer { answer: Some(Answer::Hazard), note: "valve shut".into() });
    follow_up.hazards.insert(valve.clone(), Hazard::default());
    // Her closing photos of the exit: one 200 m north of where Wang photographed it, one
    // without a position.
    let north = Position { lat: 31.23 + 200.0 / 111_195.08, lon: 121.47, accuracy_m: 5.0 };
    follow_up.attachments.extend([photo(EXIT, Some(north)), photo(EXIT, None)]);
    follow_up.completed_at = Some(CREATED + 11);
    assert_eq!(r.post(&with_task(&follow_up, t3), None, Some(&li)).await.0, 201);
    assert_eq!(task_row(&store, t3).await.0, "delivered");

    // Zhang's next delta: the site again, the exit gone, the alarm still open, Li's valve added.
    let zhang_delta = pull(&r, &zhang, Some(&zhang_first.cursor)).await;
    assert!(zhang_delta.tasks.is_empty(), "{:?}", zhang_delta.tasks);
    let mut open = open_items(&zhang_delta, riverside).expect("the site changed");
    open.sort();
    let mut expected = vec![(a.id, ALARM.to_string()), (follow_up.id, valve.clone())];
    expected.sort();
    assert_eq!(open, expected, "closed by B's re-inspection; B's own finding registered");
    assert!(zhang_delta.sites[0].open.iter().all(|e| e.status == HazardStatus::Open));
    for closed in [format!("/office/hazards/{}/{EXIT}", a.id), format!("/office/{}", follow_up.id)] {
        let closed = page(&r, &closed, &admin).await;
        assert!(closed.contains("销号照片拍摄于距隐患发现位置 200 米处"), "{closed}");
        assert!(closed.contains("无定位"), "{closed}");
    }
    let register = page(&r, "/office/hazards", &admin).await;
    assert!(register.contains(&format!("/office/hazards/{}/{valve}", follow_up.id)), "the follow-up's hazard is on the register");

    // The office accepts the alarm's rectification (验收): it leaves the next delta's list.
    let accept = format!("/office/hazards/{}/{ALARM}/accept", a.id);
    assert_eq!(post_form(&r, &accept, &[("note", "alarm repaired")], &admin).await.0, 303);
    let accepted = pull(&r, &zhang, Some(&zhang_delta.cursor)).await;
    assert_eq!(open_items(&accepted, riverside), Some(vec![(follow_up.id, valve.clone())]));

    // Zhang is taken off his task (no form does it yet; the table may change): his phone hears
    // it as withdrawn, and the site leaves with it.
    store
        .rows("DELETE FROM task_inspectors WHERE task_id = $1 AND person_id = $2", vec![t4.to_string().into(), zhang_id.clone().into()])
        .await
        .unwrap();
    let off = pull(&r, &zhang, Some(&accepted.cursor)).await;
    assert_eq!(task_ids(&off), vec![(t4, TaskState::Withdrawn)]);
    assert!(off.sites.is_empty());
    assert!(pull(&r, &zhang, None).await.tasks.is_empty(), "a full answer has none of it");

    // Withdrawn while on Wang's phone: his delta says so, his delivery is still accepted, and
    // both pages flag it.
    let t5 = assign(&r, &harbour.to_string(), &[&wang_id], "inspection").await;
    let before = pull(&r, &wang, Some(&after.cursor)).await;
    assert_eq!(task_ids(&before), vec![(t5, TaskState::Taken)]);
    assert_eq!(post_form(&r, &format!("/office/tasks/{t5}/withdraw"), &[], &admin).await.0, 303);
    let withdrawn = pull(&r, &wang, Some(&before.cursor)).await;
    assert_eq!(task_ids(&withdrawn), vec![(t5, TaskState::Withdrawn)]);
    let late = found("Harbour Hotel", &[EXIT], CREATED + 20);
    assert_eq!(r.post(&with_task(&late, t5), None, Some(&wang)).await.0, 201, "accepted all the same");
    let (state, _, _, inspection) = task_row(&store, t5).await;
    assert_eq!((state.as_str(), inspection), ("withdrawn", Some(late.id.to_string())));
    assert!(page(&r, &format!("/office/{}", late.id), &admin).await.contains("在本检查记录送达前已撤回"));
    assert!(page(&r, &format!("/office/tasks/{t5}"), &admin).await.contains("撤回后收到检查记录"));

    // A task the office does not know: accepted, and said so.
    let stray = found("Harbour Hotel", &[], CREATED + 30);
    assert_eq!(r.post(&with_task(&stray, Uuid::new_v4()), None, Some(&wang)).await.0, 201);
    assert!(page(&r, &format!("/office/{}", stray.id), &admin).await.contains("任务未知"));

    // The kind shows on the office's list.
    let list = page(&r, "/office/tasks", &admin).await;
    assert!(list.contains("<td>复查</td>") && list.contains("<td>检查</td>"), "{list}");
}

/// Pulls, deliveries and withdrawals of the same tasks at once: none fails (on PostgreSQL the
/// transactions take the change counter before any row, so none waits on another in a
/// circle), and a delta from before them all sends every task in its final state.
async fn at_once(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(url, dir.path()).await;
    let admin = r.token.clone().unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let li = person_token(&store, "Li Na", Role::Inspector, "brigade-1", "pudong").await;
    let (wang_id, li_id) =
        (store.person_by_name("Wang Wei").await.unwrap().unwrap().id, store.person_by_name("Li Na").await.unwrap().unwrap().id);
    let csv = "name,address,district,department,sectors\nRiverside Mall,Riverside Mall Road 1,pudong,brigade-1,graded-shop\n";
    assert_eq!(post_form(&r, "/office/sites/import", &[("csv", csv)], &admin).await.0, 303);
    let site = store.row("SELECT id FROM sites", vec![]).await.unwrap().unwrap()[0].text();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        tasks.push(assign(&r, &site, &[&wang_id, &li_id], "inspection").await);
    }
    let before = pull(&r, &li, None).await;
    assert_eq!(before.tasks.len(), 8);

    let mut work = tokio::task::JoinSet::new();
    for (n, task) in tasks.iter().enumerate() {
        let (base, wang, li, admin, task) = (r.base.clone(), wang.clone(), li.clone(), admin.clone(), *task);
        work.spawn(async move {
            let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
            let mut statuses = Vec::new();
            for token in [&wang, &li] {
                statuses.push(client.get(format!("{base}/sync")).bearer_auth(token).send().await.unwrap().status().as_u16());
            }
            if n % 2 == 0 {
                let inspection = found("Riverside Mall", &[EXIT], CREATED + n as u64);
                let sent = client.post(format!("{base}/inspections")).bearer_auth(&wang).json(&with_task(&inspection, task)).send().await;
                statuses.push(sent.unwrap().status().as_u16());
            } else {
                let form = client.post(format!("{base}/office/tasks/{task}/withdraw")).bearer_auth(&admin);
                let withdrawn = form.header("content-type", "application/x-www-form-urlencoded").body("").send().await;
                statuses.push(withdrawn.unwrap().status().as_u16());
            }
            statuses
        });
    }
    while let Some(statuses) = work.join_next().await {
        let statuses = statuses.unwrap();
        assert!(statuses.iter().all(|s| [200, 201, 303].contains(s)), "{statuses:?}");
    }
    let after = pull(&r, &li, Some(&before.cursor)).await;
    let mut states: Vec<(Uuid, TaskState)> = task_ids(&after);
    states.sort_by_key(|(id, _)| *id);
    let mut expected: Vec<(Uuid, TaskState)> =
        tasks.iter().enumerate().map(|(n, t)| (*t, if n % 2 == 0 { TaskState::Delivered } else { TaskState::Withdrawn })).collect();
    expected.sort_by_key(|(id, _)| *id);
    assert_eq!(states, expected, "a delta from before sends each task as it ended");
    assert!(pull(&r, &li, Some(&after.cursor)).await.tasks.is_empty());
}

#[tokio::test]
async fn pulls_deliveries_and_withdrawals_at_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    at_once(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p safewalk-server -- --include-ignored"]
async fn pulls_deliveries_and_withdrawals_at_once_on_postgres() {
    at_once(&postgres_database().await).await;
}

#[tokio::test]
async fn the_pull_and_tasks_travelling_back_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    sync(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p safewalk-server -- --include-ignored"]
async fn the_pull_and_tasks_travelling_back_on_postgres() {
    sync(&postgres_database().await).await;
}

/// The pull is compressed for a phone that accepts it (every browser does), and reads the
/// same once decompressed; a client that asks for nothing gets plain JSON.
#[tokio::test]
async fn the_pull_is_compressed_when_the_phone_accepts_it() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(&dir.path().join("safewalk.sqlite3").display().to_string(), dir.path()).await;
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let plain = pull(&r, &wang, None).await;
    let reply = answer(r.anonymous.get(format!("{}/sync", r.base)).bearer_auth(&wang).header("accept-encoding", "gzip")).await;
    assert_eq!((reply.status, reply.header("content-encoding")), (200, Some("gzip")));
    let mut json = String::new();
    flate2::read::GzDecoder::new(&reply.body[..]).read_to_string(&mut json).expect("gzip");
    let compressed: Pull = serde_json::from_str(&json).expect("a Pull");
    assert_eq!(compressed, plain, "nothing changed between the two pulls");
    // A refused pull is a plain JSON error even to a phone that accepts gzip (axum's own
    // rejection, rewrapped as JSON outside the compression, was once sent as mangled bytes
    // labelled gzip).
    for query in ["since=a&since=b", "top_up=x"] {
        let reply =
            answer(r.anonymous.get(format!("{}/sync?{query}", r.base)).bearer_auth(&wang).header("accept-encoding", "gzip, br")).await;
        assert_eq!((reply.status, reply.header("content-encoding")), (400, None), "{query}");
        let error: serde_json::Value = serde_json::from_slice(&reply.body).expect("JSON");
        assert!(
            error["error"].as_str().is_some_and(|e| e.contains(if query.starts_with("since") { "since" } else { "top_up" })),
            "{error}"
        );
    }
}
