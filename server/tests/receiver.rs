//! The receiver over real HTTP on 127.0.0.1, against a real SQLite file and, when the test
//! script has started one, a real PostgreSQL (SAFEWALK_TEST_POSTGRES_URL, an admin URL;
//! each run creates its own database). The checklists come from a small fixture library,
//! tests/fixtures/templates, so these tests do not depend on the real templates.

mod support;

use std::collections::BTreeMap;

use safewalk_core::catalogue::library::Library;
use safewalk_core::delivery::payload::{InspectionPayload, Receipt, ReceiptStatus};
use safewalk_core::grading::Grade;
use safewalk_core::inspection::attachment::{Attachment, AttachmentKind, Position, Signer, SignerRole};
use safewalk_core::inspection::determination::{CollectiveDetermination, Conclusion, ExpertPanel, Person, Standing};
use safewalk_core::inspection::follow_up::{FollowUp, HazardCheck, Verdict};
use safewalk_core::inspection::hazard::{GradeChoice, Hazard, Rectification};
use safewalk_core::{Answer, ItemAnswer};
use safewalk_server::store::{NewAttachment, PutResult, Store};
use serde_json::Value;
use support::*;
use uuid::Uuid;

/// Everything the protocol promises, against one database.
async fn protocol_holds(database_url: &str) {
    let static_dir = tempfile::tempdir().unwrap();
    std::fs::write(static_dir.path().join("index.html"), "<!DOCTYPE html><title>app shell</title>").unwrap();
    let r = start(database_url, static_dir.path(), &[], 64 * 1024).await;

    let (status, body) = r.get_text("/health").await;
    assert_eq!((status, body.contains("\"ok\"")), (200, true));
    let (status, body) = r.get_text("/").await;
    assert_eq!((status, body.contains("app shell")), (200, true), "the app is served at /");

    // First delivery: stored, with a receipt naming the inspection.
    let inspection = completed_inspection("Exit 3 <script>alert(1)</script> chained, \"urgent\"");
    let id = inspection.id.to_string();
    let payload = payload_of(&inspection);
    let (status, body) = r.post(&payload, Some(&id), None).await;
    assert_eq!(status, 201, "{body}");
    let receipt: Receipt = serde_json::from_value(body).unwrap();
    assert_eq!((receipt.id, receipt.status), (inspection.id, ReceiptStatus::Stored));

    // The same content again (a retry after a lost answer): 200, the first receipt time.
    let (status, body) = r.post(&payload, Some(&id), None).await;
    assert_eq!(status, 200);
    let again: Receipt = serde_json::from_value(body).unwrap();
    assert_eq!((again.status, again.received_at), (ReceiptStatus::Duplicate, receipt.received_at));

    // Different content under the same id: 409, and the stored record is unchanged.
    let mut changed = inspection.clone();
    changed.site.name = "Someone else's mall".into();
    let (status, body) = r.post(&payload_of(&changed), Some(&id), None).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"].as_str().unwrap().contains("different content"));

    // Many phones retrying at once: exactly one row.
    let second = completed_inspection("second");
    let second_payload = payload_of(&second);
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (client, url, body) = (r.client.clone(), format!("{}/inspections", r.base), second_payload.clone());
        tasks.push(tokio::spawn(async move { client.post(url).json(&body).send().await.unwrap().status().as_u16() }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 11, "{statuses:?}");

    // Malformed input: 400 naming the field.
    let mut broken = payload.clone();
    broken["inspection"]["site"]["name"] = Value::from(42);
    let (status, body) = r.post(&broken, None, None).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().starts_with("inspection.site.name"), "{body}");
    let mut unfinished = payload.clone();
    unfinished["inspection"]["completed_at"] = Value::Null;
    let (status, body) = r.post(&unfinished, None, None).await;
    assert_eq!((status, body["error"].as_str().unwrap().contains("completed")), (400, true), "{body}");
    let (status, _) = r.post(&payload, Some(&Uuid::new_v4().to_string()), None).await;
    assert_eq!(status, 400, "an Idempotency-Key naming another inspection is refused");
    let response =
        r.client.post(format!("{}/inspections", r.base)).header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 400);

    // Over the body limit: 413.
    let big = completed_inspection(&"长".repeat(40 * 1024));
    let (status, _) = r.post(&payload_of(&big), None, None).await;
    assert_eq!(status, 413);

    // The office's views: JSON paged, HTML escaped, CSV.
    let (status, body) = r.get_text("/api/inspections?limit=1").await;
    assert_eq!(status, 200);
    let list: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((list["total"].as_u64(), list["items"].as_array().map(Vec::len)), (Some(2), Some(1)));
    let (status, html) = r.get_text(&format!("/office/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert"), "notes are escaped");
    let (_, html) = r.get_text("/office").await;
    assert!(html.contains(&format!("/office/{id}")) && html.contains("Riverside Mall, Block &quot;A&quot;"));
    let (status, csv) = r.get_text("/api/inspections.csv").await;
    assert_eq!(status, 200);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains("\"Riverside Mall, Block \"\"A\"\"\""), "quoted per RFC 4180: {csv}");
    the_library_is_served(&r).await;
    follow_ups_are_linked_both_ways(&r).await;
    payload_schemas_1_and_2_are_read(&r).await;
    attachments_are_taken_once_in_any_order(&r).await;
    the_collective_determination_is_shown_or_awaited(&r).await;
    assert_eq!(r.get_json("/api/inspections").await["total"].as_u64(), Some(STORED));
}

/// What [`protocol_holds`] leaves stored.
const STORED: u64 = 8;

/// GB 35181-2017 chapter 4 at the office: a major fire hazard delivered without a collective
/// determination reads "suspected — awaiting collective determination", and is counted as
/// such in the list and the CSV; one delivered with it shows the date, participants, panel
/// and vote, each conclusion and the reason.
async fn the_collective_determination_is_shown_or_awaited(r: &Receiver) {
    let suspected = completed_inspection("Exit 4 chained");
    let item = suspected.answers.iter().find(|(_, a)| a.answer == Some(Answer::Hazard)).map(|(id, _)| id.clone()).unwrap();
    let mut payload = InspectionPayload::new(suspected.clone());
    let mut grade = report(Grade::Major, Grade::Major, "重大隐患：直接判定", "major: direct criterion");
    grade.standing = Standing::Suspected;
    payload.grades.insert(item.clone(), grade.clone());
    let (status, _) = r.post(&serde_json::to_value(&payload).unwrap(), None, None).await;
    assert_eq!(status, 201);
    let (status, html) = r.get_text(&format!("/office/{}", suspected.id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("疑似重大火灾隐患 — 待集体讨论认定"), "{html}");
    assert!(html.contains("<h2 id=\"determination\">集体讨论认定</h2>"), "{html}");
    let grade_cell = &html[html.find("Exit 4 chained").unwrap()..];
    assert!(!grade_cell[..grade_cell.find("</table>").unwrap()].contains(">重大隐患<"), "never plainly major: {html}");

    let mut determined = completed_inspection("Exit 5 chained &amp; <b>bolted</b>");
    let person = |name: &str| Person { name: name.into(), role: "Brigade <officer>".into() };
    determined.determination = Some(CollectiveDetermination {
        date: "2026-12-03".into(),
        participants: vec![person("Wang Wei"), person("Li Na"), person("Sun Hao")],
        panel: Some(ExpertPanel { members: (1..=7).map(|n| person(&format!("Expert {n}"))).collect(), votes_in_favour: 5 }),
        conclusions: BTreeMap::from([(item.clone(), Conclusion::Major)]),
        reason: "Exit chained during <opening> hours".into(),
    });
    let mut payload = InspectionPayload::new(determined.clone());
    grade.standing = Standing::DeterminedMajor;
    payload.grades.insert(item.clone(), grade);
    let (status, _) = r.post(&serde_json::to_value(&payload).unwrap(), None, None).await;
    assert_eq!(status, 201);
    let (_, html) = r.get_text(&format!("/office/{}", determined.id)).await;
    for expected in [
        "重大隐患 — 经集体讨论认定",
        "讨论日期</th><td>2026-12-03",
        "参加人员 (3)",
        "Wang Wei <small>Brigade &lt;officer&gt;</small>",
        "Sun Hao",
        "专家组 (7)",
        "Expert 7",
        "同意票数</th><td>5 / 7",
        ">属于重大火灾隐患<",
        "Exit chained during &lt;opening&gt; hours",
    ] {
        assert!(html.contains(expected), "{expected} missing: {html}");
    }
    assert!(!html.contains("待集体讨论认定") && !html.contains("<opening>") && !html.contains("<officer>"), "{html}");

    // The list and the CSV count the suspected majors apart.
    let (_, list) = r.get_text("/office").await;
    assert!(list.contains("疑似重大火灾隐患"), "{list}");
    let (_, csv) = r.get_text("/api/inspections.csv").await;
    let row = |id: Uuid| csv.lines().find(|l| l.starts_with(&id.to_string())).map(str::to_string).unwrap_or_default();
    assert!(row(suspected.id).ends_with(",1,,1,"), "one major, one suspected: {csv}");
    assert!(row(determined.id).ends_with(",1,,0,"), "one major, determined: {csv}");
}

/// `GET /templates`: the fixture library, as JSON the app's import accepts without an error.
async fn the_library_is_served(r: &Receiver) {
    let (status, content_type, body) = r.library(None).await;
    assert_eq!((status, content_type.as_deref()), (200, Some("application/json")));
    let (library, errors) = Library::parse(&body, &[]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(library, fixture());
    let ids: Vec<&str> = library.templates.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["graded-shop", "plain-kiosk"], "in file-name order");
    assert_eq!(library.rule_sets.len(), 1);
    let raw: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(raw["format"], 1);
}

/// A re-inspection is its own record naming its original; either may arrive first, and
/// the office sees the link from both sides.
async fn follow_ups_are_linked_both_ways(r: &Receiver) {
    let t = graded_shop();
    let mut original = completed_inspection("");
    original.site.name = "Harbour Plaza".into();
    for item in t.items() {
        let note = format!("hazard at {}", item.id);
        original.answers.insert(item.id.clone(), ItemAnswer { answer: Some(Answer::Hazard), note });
    }
    original.answers.get_mut("gs-exit-01").unwrap().note = "Exit 2 locked with a <chain>".into();
    original.hazards.insert(
        "gs-exit-01".into(),
        Hazard {
            grading: GradeChoice::Rule,
            rectification: Rectification {
                measures: "Remove the <b>chain</b>".into(),
                unit: "Harbour Plaza property office".into(),
                person: "Chen Jie".into(),
                role: "Safety manager".into(),
                phone: "13900139000".into(),
                deadline: "2026-12-01".into(),
                contingency_plan: "Guard at exit 2".into(),
                supervisor: "Inspector Liu".into(),
                ..Rectification::default()
            },
        },
    );
    original.hazards.insert(
        "gs-exit-02".into(),
        Hazard {
            grading: GradeChoice::Rule,
            rectification: Rectification {
                on_the_spot: true,
                on_the_spot_note: "Bulb replaced & tested".into(),
                ..Rectification::default()
            },
        },
    );
    original.hazards.insert(
        "gs-alarm-01".into(),
        Hazard {
            grading: GradeChoice::Lowered { reason: "Only one <i>detector</i> faulty".into() },
            rectification: Rectification::default(),
        },
    );
    original.exclusions = vec!["stopped-operating".into()];
    let mut original_payload = InspectionPayload::new(original.clone());
    original_payload
        .grades
        .insert("gs-exit-01".into(), report(Grade::Major, Grade::Major, "重大隐患：安全出口锁闭", "major: a locked exit"));
    original_payload.grades.insert("gs-exit-02".into(), report(Grade::General, Grade::General, "一般隐患", "general hazard"));
    original_payload
        .grades
        .insert("gs-alarm-01".into(), report(Grade::General, Grade::Major, "检查人员下调 <script>", "lowered by the inspector"));

    let mut follow_up = completed_inspection("");
    follow_up.site.name = "Harbour Plaza".into();
    for answer in follow_up.answers.values_mut() {
        *answer = ItemAnswer { answer: Some(Answer::Compliant), note: String::new() };
    }
    follow_up.completed_at = Some(1_700_600_000_000);
    let check = |item: &str, grade, verdict, note: &str| HazardCheck {
        inspection: original.id,
        item: item.into(),
        description: format!("hazard at {item}"),
        grade,
        standing: Default::default(),
        deadline: "2026-12-01".into(),
        verdict,
        note: note.into(),
    };
    follow_up.follow_up = Some(FollowUp {
        of: original.id,
        checks: vec![
            check("gs-exit-01", Grade::Major, Some(Verdict::Rectified), "Chain gone, <verified>"),
            check("gs-alarm-01", Grade::General, Some(Verdict::NotRectified), "Still faulty"),
        ],
        order: None,
    });
    let (original_id, follow_up_id) = (original.id.to_string(), follow_up.id.to_string());

    // The follow-up first: its original has not arrived, and that is no error.
    let (status, body) = r.post(&payload_of(&follow_up), Some(&follow_up_id), None).await;
    assert_eq!(status, 201, "{body}");
    let (status, html) = r.get_text(&format!("/office/{follow_up_id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"/office/{original_id}\"")) && html.contains("尚未收到"), "{html}");
    let (status, body) = r.post(&serde_json::to_value(&original_payload).unwrap(), Some(&original_id), None).await;
    assert_eq!(status, 201, "{body}");

    // The link in the JSON, the single item and the CSV.
    let list = r.get_json("/api/inspections?limit=500").await;
    let items = list["items"].as_array().unwrap();
    let row = |id: &str| items.iter().find(|item| item["id"] == id).cloned().expect("listed");
    assert_eq!(row(&follow_up_id)["follow_up_of"], original_id.as_str());
    assert_eq!(row(&original_id)["follow_up_of"], Value::Null);
    assert!(items.iter().all(|item| item.as_object().unwrap().contains_key("follow_up_of")));
    let one = r.get_json(&format!("/api/inspections/{follow_up_id}")).await;
    assert_eq!(one["follow_up_of"], original_id.as_str());
    assert_eq!(one["payload"]["inspection"]["follow_up"]["checks"][1]["verdict"], "not_rectified");
    let (_, csv) = r.get_text("/api/inspections.csv").await;
    assert!(csv.lines().next().unwrap().ends_with(",major_hazards,follow_up_of,suspected_major_hazards,uscc"), "{csv}");
    let csv_row = csv.lines().find(|l| l.starts_with(&follow_up_id)).expect("follow-up in the CSV");
    assert!(csv_row.ends_with(&format!(",{original_id},0,")), "{csv_row}");
    let csv_row = csv.lines().find(|l| l.starts_with(&original_id)).expect("original in the CSV");
    assert!(csv_row.ends_with(",0,3,0,1,,0,"), "0 compliant, 3 hazards, 0 n/a, 1 major, no original, none suspected, no code: {csv_row}");

    // The follow-up's page: which original, and each verdict.
    let (_, html) = r.get_text(&format!("/office/{follow_up_id}")).await;
    assert!(html.contains("复查自") && html.contains(&format!("href=\"/office/{original_id}\">Harbour Plaza")), "{html}");
    assert!(!html.contains("尚未收到"));
    assert!(html.contains("安全出口畅通，未锁闭") && html.contains("已整改") && html.contains("未整改"), "{html}");
    assert!(html.contains("Chain gone, &lt;verified&gt;") && !html.contains("<verified>"), "{html}");

    // The original's page: followed up by whom and when, with the verdicts; and its hazards.
    let (_, html) = r.get_text(&format!("/office/{original_id}")).await;
    assert!(html.contains(&format!("href=\"/office/{follow_up_id}\">{follow_up_id}</a>，2023-11-21 20:53 UTC")), "{html}");
    let followed = &html[html.find("<ul class=\"followed-up-by\">").expect("followed up by")..];
    let followed = &followed[..followed.find("</ul>").unwrap()];
    assert!(followed.contains("<b>已整改</b>") && followed.contains("<b>未整改</b>") && followed.contains("Still faulty"), "{followed}");
    for expected in [
        "发现的隐患 (3)",
        // The app's words for an answer, not the office's own ("发现隐患", not "HAZARD 隐患").
        ">发现隐患<",
        "Exit 2 locked with a &lt;chain&gt;",
        ">重大隐患<",
        "重大隐患：安全出口锁闭",
        "Fixture criterion 1: a locked exit is major",
        "Remove the &lt;b&gt;chain&lt;/b&gt;",
        "Chen Jie",
        "13900139000",
        "Guard at exit 2",
        "Inspector Liu",
        "Bulb replaced &amp; tested",
        "降为一般隐患 — 降级理由:",
        "Only one &lt;i&gt;detector&lt;/i&gt; faulty",
        "（规则判定：重大隐患）",
        "检查人员下调 &lt;script&gt;",
        "排除情形",
        "场所已停止使用",
    ] {
        assert!(html.contains(expected), "{expected} missing: {html}");
    }
    for markup in ["<chain>", "<b>chain", "<i>detector", "下调 <script>"] {
        assert!(!html.contains(markup), "{markup} not escaped");
    }
}

/// Photos and signature images: stored once per (inspection, id), duplicates acknowledged,
/// other bytes under the same id refused; the hash, type, size and ids checked; `HEAD`
/// telling what is held; in any order with the record; shown on the office page with
/// "missing" for what the record lists but has not arrived.
async fn attachments_are_taken_once_in_any_order(r: &Receiver) {
    let inspection = completed_inspection("Exit 2 chained (photo)");
    let iid = inspection.id.to_string();
    let (photo_id, signature_id, never_sent) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
    let photo = jpeg(7, 3000);
    let photo_hash = safewalk_server::sha256_hex(&photo);

    // Before anything arrived: HEAD says 404, and the attachment may come before its record.
    assert_eq!(r.attachment(reqwest::Method::HEAD, &iid, &photo_id, None).await.status, 404);
    let stored = r.send_attachment(&iid, &photo_id, &photo, "image/jpeg").await;
    assert_eq!(stored.status, 201, "{:?}", stored.json());
    let receipt = stored.json();
    assert_eq!(
        (receipt["id"].as_str(), receipt["inspection"].as_str(), receipt["sha256"].as_str(), receipt["status"].as_str()),
        (Some(photo_id.as_str()), Some(iid.as_str()), Some(photo_hash.as_str()), Some("stored")),
    );
    let received_at = receipt["received_at"].as_u64().expect("received_at");
    let keys: Vec<&String> = receipt.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "inspection", "received_at", "sha256", "status"]);

    // HEAD now: 200 with the hash, type and length, and no body.
    let held = r.attachment(reqwest::Method::HEAD, &iid, &photo_id, None).await;
    assert_eq!(held.status, 200);
    assert_eq!(held.header("x-content-sha256"), Some(photo_hash.as_str()));
    assert_eq!(held.header("content-type"), Some("image/jpeg"));
    assert_eq!(held.header("content-length"), Some(photo.len().to_string().as_str()));
    assert!(held.body.is_empty());

    // Again (a retry after a lost answer): 200, duplicate, the first time. An uppercase
    // hash and a parameter on the type are the same thing.
    let again = r.put_attachment((&iid, &photo_id), &photo, Some("image/jpeg; q=1"), Some(&photo_hash.to_uppercase()), None).await;
    assert_eq!(again.status, 200, "{:?}", again.json());
    assert_eq!((again.json()["status"].as_str(), again.json()["received_at"].as_u64()), (Some("duplicate"), Some(received_at)));

    // Other bytes under the same id: 409, and what is held is unchanged.
    let other = jpeg(8, 3000);
    let conflict = r.send_attachment(&iid, &photo_id, &other, "image/jpeg").await;
    assert_eq!(conflict.status, 409);
    assert!(conflict.json()["error"].as_str().unwrap().contains("different content"), "{:?}", conflict.json());
    let got = r.attachment(reqwest::Method::GET, &iid, &photo_id, None).await;
    assert_eq!(
        (got.status, got.header("content-type"), got.header("x-content-sha256")),
        (200, Some("image/jpeg"), Some(photo_hash.as_str()))
    );
    assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(got.body, photo, "the bytes as uploaded");
    // The same id under another inspection is another attachment.
    assert_eq!(r.send_attachment(&Uuid::new_v4().to_string(), &photo_id, &other, "image/jpeg").await.status, 201);

    // A body that does not hash to the header (a damaged transfer): 422 naming the header.
    let fresh = Uuid::new_v4().to_string();
    let damaged = r.put_attachment((&iid, &fresh), &photo[..2000], Some("image/jpeg"), Some(&photo_hash), None).await;
    assert_eq!(damaged.status, 422);
    assert!(damaged.json()["error"].as_str().unwrap().starts_with("X-Content-SHA256: "), "{:?}", damaged.json());
    let unhashed = r.put_attachment((&iid, &fresh), &photo, Some("image/jpeg"), None, None).await;
    assert_eq!(unhashed.status, 400);
    assert!(unhashed.json()["error"].as_str().unwrap().starts_with("X-Content-SHA256: "), "{:?}", unhashed.json());
    assert_eq!(r.put_attachment((&iid, &fresh), &photo, Some("image/jpeg"), Some("abc"), None).await.status, 400);

    // Types: only JPEG and PNG, and the bytes must be what the type says.
    for content_type in [Some("text/html"), Some("image/gif"), None] {
        let refused = r.put_attachment((&iid, &fresh), &photo, content_type, Some(&photo_hash), None).await;
        assert_eq!(refused.status, 415, "{content_type:?}");
        assert!(refused.json()["error"].as_str().unwrap().starts_with("Content-Type: "), "{:?}", refused.json());
    }
    let html = b"<html><script>alert(1)</script></html>";
    assert_eq!(r.send_attachment(&iid, &fresh, html, "image/png").await.status, 415, "HTML declared as PNG");
    assert_eq!(r.send_attachment(&iid, &fresh, &photo, "image/png").await.status, 415, "a JPEG declared as PNG");
    assert_eq!(r.send_attachment(&iid, &fresh, b"", "image/jpeg").await.status, 415, "nothing is no image");

    // Ids must be UUIDs.
    let bad = r.send_attachment("not-a-uuid", &fresh, &photo, "image/jpeg").await;
    assert_eq!((bad.status, bad.json()["error"].as_str().map(|e| e.starts_with("id: "))), (400, Some(true)));
    let bad = r.send_attachment(&iid, "photo-1", &photo, "image/jpeg").await;
    assert_eq!((bad.status, bad.json()["error"].as_str().map(|e| e.starts_with("attachment_id: "))), (400, Some(true)));
    assert_eq!(r.attachment(reqwest::Method::HEAD, &iid, "photo-1", None).await.status, 400);
    assert_eq!(r.attachment(reqwest::Method::GET, &iid, &fresh, None).await.status, 404);

    // Size: attachments have their own limit, above the body limit of records.
    let large = jpeg(9, 100 * 1024);
    let orphan = Uuid::new_v4().to_string();
    assert_eq!(
        r.send_attachment(&orphan, &fresh, &large, "image/jpeg").await.status,
        201,
        "over the body limit, within the attachment limit"
    );
    let too_large = r.send_attachment(&iid, &fresh, &jpeg(9, ATTACHMENT_LIMIT), "image/jpeg").await;
    assert_eq!(too_large.status, 413);
    assert_eq!(r.attachment(reqwest::Method::HEAD, &iid, &fresh, None).await.status, 404, "nothing of it kept");

    // The record, listing the photo, a signature and a photo that never comes, as the app
    // sends it: after the first attachment, which is no problem.
    let attachment = |id: &str, kind, item: Option<&str>, bytes: &[u8], content_type: &str, taken_at| Attachment {
        id: Uuid::parse_str(id).unwrap(),
        kind,
        item: item.map(str::to_string),
        sha256: safewalk_server::sha256_hex(bytes),
        content_type: content_type.into(),
        bytes: bytes.len() as u64,
        width: 1600,
        height: 1200,
        taken_at,
        position: None,
        signer: None,
    };
    let mut inspection = inspection;
    inspection.position = Some(Position { lat: 31.23, lon: 121.47, accuracy_m: 20.0 });
    inspection.attachments = vec![
        Attachment {
            position: Some(Position { lat: 31.230416, lon: 121.473701, accuracy_m: 8.0 }),
            ..attachment(&photo_id, AttachmentKind::Photo, Some("gs-exit-01"), &photo, "image/jpeg", CREATED + 60_000)
        },
        Attachment {
            signer: Some(Signer { name: "Zhao <Li>".into(), role: SignerRole::SiteRepresentative }),
            ..attachment(&signature_id, AttachmentKind::Signature, None, PNG, "image/png", CREATED + 3_600_000)
        },
        Attachment {
            position: Some(Position { lat: 31.2, lon: 121.4, accuracy_m: 120.0 }),
            ..attachment(&never_sent, AttachmentKind::Photo, Some("gs-exit-02"), b"never", "image/jpeg", CREATED + 120_000)
        },
    ];
    let (status, body) = r.post(&payload_of(&inspection), Some(&iid), None).await;
    assert_eq!(status, 201, "{body}");
    let stored = r.get_json(&format!("/api/inspections/{iid}")).await;
    assert_eq!(stored["payload"]["inspection"]["attachments"][1]["signer"]["role"], "site_representative", "kept as sent");
    // The signature after its record.
    assert_eq!(r.send_attachment(&iid, &signature_id, PNG, "image/png").await.status, 201);
    let head = r.attachment(reqwest::Method::HEAD, &iid, &signature_id, None).await;
    assert_eq!((head.status, head.header("content-type")), (200, Some("image/png")));
    assert_eq!(r.attachment(reqwest::Method::HEAD, &iid, &never_sent, None).await.status, 404);

    // The office: the count in the JSON, received/listed in the list, and on the detail
    // page each image named by its item or signer, and "missing" for the one not received.
    let one = r.get_json(&format!("/api/inspections/{iid}")).await;
    assert_eq!(one["attachments_received"].as_u64(), Some(2));
    let (_, list) = r.get_text("/office").await;
    assert!(list.contains("<span class=\"hazard\">2/3</span>"), "{list}");
    let (status, html) = r.get_text(&format!("/office/{iid}")).await;
    assert_eq!(status, 200);
    let photo_src = format!("/inspections/{iid}/attachments/{photo_id}");
    let signature_src = format!("/inspections/{iid}/attachments/{signature_id}");
    for expected in [
        format!("<img src=\"{photo_src}\" alt=\"照片 — 检查项 gs-exit-01: 安全出口畅通，未锁闭\""),
        format!("<img src=\"{signature_src}\" alt=\"签名 — Zhao &lt;Li&gt;\""),
        "照片 (2) <span class=\"hazard\">1 未收到</span>".to_string(),
        "签名 (1)".to_string(),
        format!("id=\"attachment-{never_sent}\"><div class=\"missing\">未收到</div>"),
        "位置 31.230416, 121.473701 ±8 m".to_string(),
        "<span class=\"hazard\">位置 31.200000, 121.400000 ±120 m</span>".to_string(),
        "身份: 场所代表".to_string(),
        "开始位置</th><td><span>位置 31.230000, 121.470000 ±20 m</span>".to_string(),
    ] {
        assert!(html.contains(&expected), "{expected} missing: {html}");
    }
    assert!(!html.contains("<Li>"), "the signer's name is escaped");
    assert!(!html.contains(&format!("attachments/{never_sent}\"")), "no image for what has not arrived");
    // Every image the page shows is served (the office browser fetches it like the page).
    for src in [&photo_src, &signature_src] {
        let (status, _) = r.get_text(src).await;
        assert_eq!(status, 200, "{src}");
    }
}

/// Schema 1 (before grades) is still read; an unknown schema is refused by name.
async fn payload_schemas_1_and_2_are_read(r: &Receiver) {
    let old = completed_inspection("Schema 1 exit");
    let mut payload = serde_json::to_value(InspectionPayload::new(old.clone())).unwrap();
    payload["schema"] = Value::from(1);
    assert!(payload.get("grades").is_none());
    let (status, body) = r.post(&payload, Some(&old.id.to_string()), None).await;
    assert_eq!(status, 201, "{body}");
    let stored = r.get_json(&format!("/api/inspections/{}", old.id)).await;
    assert_eq!((stored["payload"]["schema"].as_u64(), stored["follow_up_of"].clone()), (Some(1), Value::Null));
    let (status, html) = r.get_text(&format!("/office/{}", old.id)).await;
    assert_eq!((status, html.contains("未分级")), (200, true), "{html}");

    // Below the first and above the newest this build knows.
    for schema in [0, safewalk_core::delivery::payload::PAYLOAD_SCHEMA + 1] {
        let mut future = payload_of(&completed_inspection("future"));
        future["schema"] = Value::from(schema);
        future["something_new"] = Value::from(true);
        let (status, body) = r.post(&future, None, None).await;
        assert_eq!(status, 400, "{body}");
        let message = body["error"].as_str().unwrap();
        assert!(message.starts_with("schema: ") && message.contains(&schema.to_string()), "{message}");
    }
    let mut itself = completed_inspection("loop");
    itself.follow_up = Some(FollowUp { of: itself.id, checks: Vec::new(), order: None });
    let (status, body) = r.post(&payload_of(&itself), None, None).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().starts_with("inspection.follow_up.of"), "{body}");
}

#[tokio::test]
async fn the_protocol_holds_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("nested/safewalk.sqlite3").display().to_string();
    protocol_holds(&url).await;
    // Restarting on the same file keeps what was stored, and migrations do not run twice.
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.count(&Default::default()).await.unwrap(), STORED);
}

/// Needs a PostgreSQL: `scripts/with-postgres cargo test -p safewalk-server -- --include-ignored`
/// (what scripts/test runs). Ignored, visibly, by a plain `cargo test`.
#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn the_protocol_holds_on_postgres() {
    let admin_url =
        std::env::var("SAFEWALK_TEST_POSTGRES_URL").expect("SAFEWALK_TEST_POSTGRES_URL: run this test through scripts/with-postgres");
    let database = format!("safewalk_test_{}", Uuid::new_v4().simple());
    let (admin, connection) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await.expect("PostgreSQL is up");
    tokio::spawn(connection);
    admin.batch_execute(&format!("CREATE DATABASE {database}")).await.unwrap();
    let url = match admin_url.rfind('/') {
        Some(slash) => format!("{}/{database}", &admin_url[..slash]),
        None => panic!("admin URL without a database: {admin_url}"),
    };
    protocol_holds(&url).await;
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.count(&Default::default()).await.unwrap(), STORED);
    // scripts/with-postgres runs the server with synchronous_commit=off: the receiver's own
    // sessions must still wait for their commits to be flushed.
    assert!(store.commits_are_durable().await.unwrap(), "the receiver's PostgreSQL sessions run synchronous_commit=on");
}

/// 32 phones delivering at once, and one record retried 8 times at once, through a pool of 4
/// PostgreSQL connections: each upload is stored once (the retries are duplicates), none
/// waits forever for a connection, and every connection of the pool commits durably.
#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn concurrent_uploads_share_the_postgres_pool() {
    let url = postgres_database().await;
    let static_dir = tempfile::tempdir().unwrap();
    let r = start_with(Config { database_url: url.clone(), static_dir: static_dir.path().to_path_buf(), pg_pool: 4, ..config() }).await;
    let distinct: Vec<Value> = (0..32).map(|n| payload_of(&completed_inspection(&format!("phone {n}")))).collect();
    let retried = payload_of(&completed_inspection("one record, retried"));
    let mut uploads = Vec::new();
    for body in distinct.iter().cloned().chain(std::iter::repeat_n(retried.clone(), 8)) {
        let (client, url) = (r.client.clone(), format!("{}/inspections", r.base));
        uploads.push(tokio::spawn(async move {
            let response = client.post(url).json(&body).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }));
    }
    let mut statuses = BTreeMap::new();
    for upload in uploads {
        let (status, body) = upload.await.unwrap();
        assert!(status == 201 || status == 200, "{status} {body}");
        *statuses.entry(status).or_insert(0) += 1;
    }
    assert_eq!(statuses, BTreeMap::from([(200, 7), (201, 33)]), "33 stored, the 7 other retries duplicates");
    let store = Store::open_pooled(&url, 4).await.unwrap();
    assert_eq!(store.count(&Default::default()).await.unwrap(), 33);
    for body in distinct.iter().chain([&retried]) {
        let id = Uuid::parse_str(body["inspection"]["id"].as_str().unwrap()).unwrap();
        let stored = store.get(id).await.unwrap().expect("stored");
        assert_eq!(serde_json::from_str::<Value>(&stored.payload).unwrap()["inspection"], body["inspection"]);
    }
    // Each delivery's hazard reached the register, once.
    let register = r.get_text("/office/hazards.csv").await.1;
    assert_eq!(csv::Reader::from_reader(register.as_bytes()).records().count(), 33, "{register}");
    assert!(store.commits_are_durable().await.unwrap(), "each of the 4 pooled connections runs synchronous_commit=on");
}

#[tokio::test]
async fn only_configured_origins_may_upload_from_another_site() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&dir.path().join("db.sqlite3").display().to_string(), dir.path(), &[], 64 * 1024).await;
    let preflight = |origin: &'static str| {
        r.client
            .request(reqwest::Method::OPTIONS, format!("{}/inspections", r.base))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,idempotency-key,authorization")
            .send()
    };
    let allowed = preflight("http://127.0.0.1:5555").await.unwrap();
    assert_eq!(allowed.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some("http://127.0.0.1:5555"));
    let other = preflight("https://elsewhere.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    // The app fetches the library from its own origin or a configured one.
    let library = r
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/templates", r.base))
        .header("Origin", "http://127.0.0.1:5555")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(library.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some("http://127.0.0.1:5555"));
    // Attachments: PUT with the hash header, and HEAD whose hash the app can read.
    let path = format!("{}/inspections/{}/attachments/{}", r.base, Uuid::new_v4(), Uuid::new_v4());
    let preflight = r
        .client
        .request(reqwest::Method::OPTIONS, &path)
        .header("Origin", "http://127.0.0.1:5555")
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "content-type,authorization,x-content-sha256")
        .send()
        .await
        .unwrap();
    let header = |name: &str| preflight.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    assert_eq!(header("access-control-allow-origin"), "http://127.0.0.1:5555");
    assert!(header("access-control-allow-methods").contains("put") && header("access-control-allow-methods").contains("head"));
    assert!(header("access-control-allow-headers").contains("x-content-sha256"));
    let head = r.client.head(&path).header("Origin", "http://127.0.0.1:5555").send().await.unwrap();
    let exposed = head.headers().get("access-control-expose-headers").and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    assert!(exposed.contains("x-content-sha256"), "{exposed}");
}

#[tokio::test]
async fn bearer_tokens_are_required_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&dir.path().join("db.sqlite3").display().to_string(), dir.path(), &["s3cret"], 64 * 1024).await;
    let inspection = completed_inspection("n");
    let payload = payload_of(&inspection);
    assert_eq!(r.post(&payload, None, None).await.0, 401);
    assert_eq!(r.post(&payload, None, Some("wrong")).await.0, 401);
    assert_eq!(r.post(&payload, None, Some("s3cret")).await.0, 201);
    assert_eq!(r.get_text("/api/inspections").await.0, 401, "the office list needs the token too");
    assert_eq!(r.get_text("/health").await.0, 200, "health answers without a token");
    assert_eq!(r.library(None).await.0, 401, "the library needs the token");
    assert_eq!(r.library(Some("wrong")).await.0, 401);
    let (status, _, body) = r.library(Some("s3cret")).await;
    assert_eq!(status, 200);
    assert_eq!(Library::parse(&body, &[]).0, fixture());

    // Attachments: the same token, for sending, asking and reading.
    let (iid, aid) = (inspection.id.to_string(), Uuid::new_v4().to_string());
    let photo = jpeg(1, 100);
    let hash = safewalk_server::sha256_hex(&photo);
    for token in [None, Some("wrong")] {
        assert_eq!(r.put_attachment((&iid, &aid), &photo, Some("image/jpeg"), Some(&hash), token).await.status, 401);
    }
    assert_eq!(r.put_attachment((&iid, &aid), &photo, Some("image/jpeg"), Some(&hash), Some("s3cret")).await.status, 201);
    for method in [reqwest::Method::HEAD, reqwest::Method::GET] {
        assert_eq!(r.attachment(method.clone(), &iid, &aid, None).await.status, 401, "{method}");
        assert_eq!(r.attachment(method.clone(), &iid, &aid, Some("s3cret")).await.status, 200, "{method}");
    }
}

#[tokio::test]
async fn invalid_templates_are_left_out_and_the_valid_ones_served() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("rules")).unwrap();
    for file in ["graded-shop.json", "plain-kiosk.json", "rules/fixture-fire-2017.json"] {
        std::fs::copy(fixture_dir().join(file), templates.join(file)).unwrap();
    }
    // Mid-edit: not JSON at all; JSON but no valid template; a template whose rule set is
    // missing; a broken rule set; the same edition twice.
    std::fs::write(templates.join("a-half-saved.json"), "{\"format\": 2, \"id\": \"half").unwrap();
    let kiosk = std::fs::read_to_string(fixture_dir().join("plain-kiosk.json")).unwrap();
    std::fs::write(templates.join("b-no-basis.json"), kiosk.replace("plain-kiosk", "no-basis").replace("Fixture basis art. 4", " "))
        .unwrap();
    let shop = std::fs::read_to_string(fixture_dir().join("graded-shop.json")).unwrap();
    std::fs::write(
        templates.join("c-orphan.json"),
        shop.replace("\"graded-shop\"", "\"orphan\"").replace("fixture-fire-2017", "missing-rules"),
    )
    .unwrap();
    std::fs::write(templates.join("rules/zz-broken.json"), "{\"format\": 1, \"id\": \"zz\"}").unwrap();
    std::fs::write(templates.join("plain-kiosk-copy.json"), &kiosk).unwrap();
    std::fs::write(templates.join("notes.txt"), "not a template").unwrap();

    let loaded = safewalk_server::templates::load(&templates);
    let problems = loaded.problems.join("\n");
    for expected in [
        "a-half-saved.json: not JSON",
        "b-no-basis.json: template no-basis / section general / item pk-ext-01 / basis",
        "c-orphan.json: template orphan / rule_set",
        "zz-broken.json:",
        "template plain-kiosk version 1: appears in more than one file",
    ] {
        assert!(problems.contains(expected), "{expected} not reported in:\n{problems}");
    }
    assert_eq!(loaded.problems.len(), 5, "{problems}");

    let r = start_with_templates(&dir.path().join("db.sqlite3").display().to_string(), dir.path(), &templates, &[], 64 * 1024).await;
    let (status, _, body) = r.library(None).await;
    assert_eq!(status, 200);
    let (library, errors) = Library::parse(&body, &[]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(library, fixture(), "exactly the valid entries");

    // No directory at all: an empty library, still served.
    let r = start_with_templates(
        &dir.path().join("db2.sqlite3").display().to_string(),
        dir.path(),
        &dir.path().join("nowhere"),
        &[],
        64 * 1024,
    )
    .await;
    let (status, _, body) = r.library(None).await;
    assert_eq!(status, 200);
    let (library, errors) = Library::parse(&body, &[]);
    assert!(errors.is_empty() && library.templates.is_empty() && library.rule_sets.is_empty(), "{body}");
}

#[tokio::test]
async fn a_database_from_before_follow_ups_is_migrated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    let id = Uuid::new_v4();
    {
        // The schema as the first two migrations left it, with one inspection stored.
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY);
             CREATE TABLE inspections (id TEXT PRIMARY KEY, payload TEXT NOT NULL, received_at BIGINT NOT NULL);
             CREATE INDEX inspections_received_at ON inspections (received_at);
             INSERT INTO schema_migrations (version) VALUES (0), (1);",
        )
        .unwrap();
        c.execute("INSERT INTO inspections (id, payload, received_at) VALUES (?1, '{}', 7)", [id.to_string()]).unwrap();
    }
    let store = Store::open(&path.display().to_string()).await.unwrap();
    let old = store.get(id).await.unwrap().expect("kept");
    assert_eq!((old.received_at, old.follow_up_of), (7, None));
    let follow_up = Uuid::new_v4();
    store.put(follow_up, "{\"f\":1}", Some(id), None, 8).await.unwrap();
    let follow_ups = store.follow_ups(id).await.unwrap();
    assert_eq!(follow_ups.iter().map(|s| (s.id, s.follow_up_of)).collect::<Vec<_>>(), [(follow_up, Some(id))]);
    // And the attachments table is there.
    let bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 3, 3];
    let attachment = NewAttachment {
        inspection: id,
        id: Uuid::new_v4(),
        sha256: "ab".repeat(32),
        content_type: "image/jpeg".into(),
        bytes: bytes.clone().into(),
        submitted_by: None,
    };
    assert_eq!(store.put_attachment(attachment.clone(), 9).await.unwrap(), PutResult::Stored { received_at: 9 });
    assert_eq!(store.put_attachment(attachment.clone(), 10).await.unwrap(), PutResult::Duplicate { received_at: 9 });
    assert_eq!(store.get(id).await.unwrap().unwrap().attachments_received, 1);
    let (info, stored) = store.attachment(id, attachment.id).await.unwrap().unwrap();
    assert_eq!((info.size, info.received_at, &stored[..]), (bytes.len() as u64, 9, &bytes[..]));
}
