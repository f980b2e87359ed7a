//! The office's side of the papers (issue 15) over real HTTP, on SQLite and PostgreSQL:
//! serial blocks allocated by the pull and by hand, never overlapping within a year however
//! many ask at once; the particulars sent with every pull; the documents each delivery
//! issued, a number delivered twice flagged; the seal of each record, checked at `/verify`
//! (anonymously: a match and the numbers; signed in: the site) and back-filled for records
//! stored before seals; the register exported in the dual-prevention exchange shape.

mod support;

use safewalk_core::assignment::pull::Pull;
use safewalk_core::assignment::start::start_task;
use safewalk_core::dates;
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::delivery::seal::{canonical_text, grouped};
use safewalk_core::documents::numbering::SerialBlock;
use safewalk_core::exchange::hazard_record::{Handling, HazardRecord, State};
use safewalk_core::inspection::follow_up::Verdict;
use safewalk_core::inspection::paperwork::{DocumentKind, IssuedDocument, Officer, Paperwork, Refusal};
use safewalk_core::rectification::follow_up::start_follow_up;
use safewalk_core::rectification::register::{open_for_site, register};
use safewalk_core::Inspection;
use safewalk_server::people::Role;
use safewalk_server::store::Store;
use sha2::{Digest, Sha256};
use support::*;
use uuid::Uuid;

use support::browse as get;

async fn pull(r: &Receiver, token: &str, query: &str) -> Pull {
    let (status, body) = get(r, &format!("/sync{query}"), Some(token)).await;
    assert_eq!(status, 200, "GET /sync{query}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn this_year() -> i32 {
    dates::china_year(safewalk_server::now())
}

async fn audited(store: &Store, action: &str) -> usize {
    store.audit_entries(0, 10_000).await.unwrap().iter().filter(|e| e.action == action).count()
}

/// Every block allocated so far was allocated over an hour ago (the top-up interval).
async fn an_hour_passes(store: &Store) {
    let hour = safewalk_server::papers::TOP_UP_INTERVAL_MS as i64;
    store.rows("UPDATE serial_blocks SET allocated_at = allocated_at - $1 - 1", vec![hour.into()]).await.unwrap();
}

async fn serial_blocks(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(url, dir.path()).await;
    let admin = r.token.clone().unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let li = person_token(&store, "Li Na", Role::Inspector, "brigade-2", "minhang").await;
    let li_id = store.person_by_name("Li Na").await.unwrap().unwrap().id;
    let year = this_year();
    let block = |first, last| SerialBlock { year, first, last, manual: false };

    assert!(pull(&r, &wang, "").await.serials.is_empty(), "none allocated, none asked for");
    assert_eq!(pull(&r, &wang, &format!("?top_up={year}")).await.serials, vec![block(1, 50)]);
    assert_eq!(pull(&r, &li, &format!("?top_up={year}")).await.serials, vec![block(51, 100)]);
    // Asked again within the hour: no new block, the answer lists the one held (and the
    // year's serials are not drained by a phone, or a token, that asks at every pull).
    for _ in 0..3 {
        assert_eq!(pull(&r, &wang, &format!("?top_up={year}")).await.serials, vec![block(1, 50)]);
    }
    assert_eq!(audited(&store, "serial-block-allocated").await, 2, "a refused top-up is not audited");
    an_hour_passes(&store).await;
    assert_eq!(pull(&r, &wang, &format!("?top_up={year}")).await.serials, vec![block(1, 50), block(101, 150)]);
    // Every answer lists them, a delta too; another year is not allocated.
    let full = pull(&r, &wang, "").await;
    assert_eq!(pull(&r, &wang, &format!("?since={}", full.cursor)).await.serials, vec![block(1, 50), block(101, 150)]);
    assert_eq!(pull(&r, &wang, &format!("?top_up={}", year + 1)).await.serials.len(), 2);
    assert_eq!(get(&r, "/sync?top_up=soon", Some(&wang)).await.0, 400);
    assert_eq!(audited(&store, "serial-block-allocated").await, 3);

    // Many asks at once (PostgreSQL: each on its own pooled connection): one block for each
    // person, never two, and no two blocks overlap.
    an_hour_passes(&store).await;
    let asks: Vec<_> = (0..12)
        .map(|n| {
            let token = if n % 2 == 0 { wang.clone() } else { li.clone() };
            let url = format!("{}/sync?top_up={year}", r.base);
            tokio::spawn(async move { reqwest::Client::new().get(url).bearer_auth(token).send().await.map(|a| a.status().as_u16()) })
        })
        .collect();
    for ask in asks {
        assert_eq!(ask.await.unwrap().unwrap(), 200);
    }
    let (wang_blocks, li_blocks) = (pull(&r, &wang, "").await.serials, pull(&r, &li, "").await.serials);
    assert_eq!((wang_blocks.len(), li_blocks.len()), (3, 2), "one new block each: {wang_blocks:?} {li_blocks:?}");
    let mut all: Vec<SerialBlock> = wang_blocks.into_iter().chain(li_blocks).collect();
    all.sort();
    for pair in all.windows(2) {
        assert!(pair[0].last < pair[1].first, "blocks of one year never overlap: {pair:?}");
    }
    assert_eq!(all.iter().map(|b| b.last - b.first + 1).sum::<u32>(), 5 * 50);
    assert_eq!(all.last(), Some(&block(201, 250)));

    // The admin's page: every block by inspector; a block by hand (not limited by the hour);
    // the size phones receive.
    let (status, page) = get(&r, "/office/serials", Some(&admin)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Wang Wei") && page.contains("Li Na") && page.contains("1–50"), "{page}");
    assert_eq!(get(&r, "/office/serials", Some(&wang)).await.0, 403);
    assert_eq!(post_form(&r, "/office/serials", &[("person", &li_id), ("size", "0")], &admin).await.0, 422);
    assert_eq!(post_form(&r, "/office/serials", &[("person", "nobody"), ("size", "5")], &admin).await.0, 422);
    assert_eq!(post_form(&r, "/office/serials", &[("person", &li_id), ("size", "5")], &admin).await.0, 303);
    assert_eq!(pull(&r, &li, "").await.serials.last(), Some(&block(251, 255)));
    assert_eq!(post_form(&r, "/office/serials/size", &[("size", "many")], &admin).await.0, 422);
    assert_eq!(post_form(&r, "/office/serials/size", &[("size", "20")], &admin).await.0, 303);
    // The admin's block counts as the person's latest: Li's phone gets none within the hour.
    assert_eq!(pull(&r, &li, &format!("?top_up={year}")).await.serials.last(), Some(&block(251, 255)));
    an_hour_passes(&store).await;
    assert_eq!(pull(&r, &wang, &format!("?top_up={year}")).await.serials.last(), Some(&block(256, 275)));
    assert_eq!(audited(&store, "serial-block-allocated").await, 3 + 2 + 2);
    assert_eq!(audited(&store, "serial-block-size-set").await, 1);
}

async fn particulars(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(url, dir.path()).await;
    let admin = r.token.clone().unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "", "").await;
    assert_eq!(pull(&r, &wang, "").await.agency, None, "the office set none");
    let (status, page) = get(&r, "/office/particulars", Some(&admin)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("责令限期整改指令书") && page.contains("placeholder=\"责改\""), "{page}");
    assert_eq!(get(&r, "/office/particulars", Some(&wang)).await.0, 403);

    let refused = [("agency", "安溪县应急管理局"), ("pattern", "{region}〔{year}〕号")];
    let (status, page, _) = post_form(&r, "/office/particulars", &refused, &admin).await;
    assert_eq!(status, 422);
    assert!(page.contains("{serial}") && page.contains("安溪县应急管理局"), "the reason, and the form as typed: {page}");
    assert_eq!(pull(&r, &wang, "").await.agency, None, "nothing saved");

    let fields = [
        ("agency", " 安溪县应急管理局 "),
        ("region", "安"),
        ("pattern", "（{region}）应急{code}〔{year}〕{serial}号"),
        ("code_order_to_rectify", "责令"),
        ("code_inspection_record", " "),
        ("review_government", "安溪县人民政府"),
        ("review_department", "泉州市应急管理局"),
        ("court", "安溪县人民法院"),
    ];
    assert_eq!(post_form(&r, "/office/particulars", &fields, &admin).await.0, 303);
    let agency = pull(&r, &wang, "").await.agency.expect("sent with the pull");
    assert_eq!((agency.agency.as_str(), agency.region.as_str(), agency.court.as_str()), ("安溪县应急管理局", "安", "安溪县人民法院"));
    assert_eq!(agency.code(DocumentKind::OrderToRectify), "责令");
    assert_eq!(agency.codes.len(), 1, "a blank code is the default, not kept");
    assert_eq!(agency.number_pattern().format("安", "责令", 2026, 3), "（安）应急责令〔2026〕3号");
    assert_eq!(audited(&store, "particulars-set").await, 1);
}

/// `i` with paperwork: two officers, a refusal, and `issued`.
fn with_papers(mut i: Inspection, issued: Vec<IssuedDocument>) -> Inspection {
    i.paperwork = Some(Paperwork {
        officers: vec![
            Officer { name: "王明".into(), certificate: "35010012".into() },
            Officer { name: "李华".into(), certificate: "35010013".into() },
            Officer { name: "实习生赵六".into(), certificate: String::new() },
        ],
        principal_post: "总经理".into(),
        refusal: Some(Refusal { witness: "社区干部张三".into(), note: "负责人拒绝签字".into() }),
        issued,
        ..Paperwork::default()
    });
    i
}

fn document(kind: DocumentKind, serial: u32) -> IssuedDocument {
    let (code, year) = (kind.default_code(), this_year());
    IssuedDocument { kind, number: format!("（安）应急{code}〔{year}〕{serial}号"), year, serial, issued_at: CREATED + 3_600_000 }
}

/// The seal core computes for a payload as the receiver reads it back.
fn seal_of(payload: &serde_json::Value) -> String {
    let read: InspectionPayload = serde_json::from_value(payload.clone()).unwrap();
    format!("{:x}", Sha256::digest(canonical_text(&read).as_bytes()))
}

async fn documents_and_seals(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(url, dir.path()).await;
    let admin = r.token.clone().unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let li = person_token(&store, "Li Na", Role::Inspector, "brigade-2", "minhang").await;
    let year = this_year();
    let number = |code: &str, serial: u32| format!("（安）应急{code}〔{year}〕{serial}号");
    let _ = pull(&r, &wang, &format!("?top_up={year}")).await;

    let a = with_papers(
        found("Riverside Mall", &[(EXIT, "2999-01-01")], CREATED + 1),
        vec![document(DocumentKind::InspectionRecord, 1), document(DocumentKind::OrderToRectify, 2)],
    );
    let a_payload = payload_of(&a);
    assert_eq!(a_payload["schema"], 4, "paperwork is schema 4");
    assert_eq!(r.post(&a_payload, None, Some(&wang)).await.0, 201);
    assert_eq!(r.post(&a_payload, None, Some(&wang)).await.0, 200, "a redelivery keeps one set of documents");
    // Another phone delivers a number already delivered (must never happen: shown if it does).
    let b = with_papers(found("Harbour Hotel", &[(EXIT, "2999-01-01")], CREATED + 2), vec![document(DocumentKind::OrderToRectify, 2)]);
    assert_eq!(r.post(&payload_of(&b), None, Some(&li)).await.0, 201);
    let c = with_papers(found("Lakeside Shop", &[], CREATED + 3), vec![document(DocumentKind::InspectionRecord, 9)]);
    assert_eq!(r.post(&payload_of(&c), None, Some(&li)).await.0, 201);

    // The inspection's page: the documents in the office's language, the officers with their
    // certificates, the refusal and the witness, the seal.
    let seal = seal_of(&a_payload);
    let (status, page) = get(&r, &format!("/office/{}", a.id), Some(&admin)).await;
    assert_eq!(status, 200, "{page}");
    for shown in [
        "现场检查记录",
        "责令限期整改指令书",
        &number("责改", 2),
        "35010013",
        "其他检查人员：实习生赵六",
        "社区干部张三",
        "负责人拒绝签字",
        &grouped(&seal),
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert_eq!(page.matches("编号重复").count(), 1, "the order's number, not the record's: {page}");
    let (_, english) = get(&r, &format!("/office/{}?lang=en", a.id), Some(&admin)).await;
    assert!(english.contains("Order to rectify by a deadline"), "{english}");
    let (_, page_c) = get(&r, &format!("/office/{}", c.id), Some(&admin)).await;
    assert!(!page_c.contains("编号重复"), "{page_c}");
    let stored = store.rows("SELECT COUNT(*) FROM issued_documents", vec![]).await.unwrap()[0][0].int();
    assert_eq!(stored, 4);

    // The documents list: search by number, the clashes alone, each reader their scope.
    let (_, list) = get(&r, "/office/documents?number=%E3%80%952%E5%8F%B7", Some(&admin)).await;
    assert_eq!(list.matches(&number("责改", 2)).count(), 2, "〕2号: both deliveries of it: {list}");
    assert!(!list.contains(&number("检记", 9)), "{list}");
    let (_, clashing) = get(&r, "/office/documents?clashing=1", Some(&admin)).await;
    assert!(clashing.contains("Riverside Mall") && clashing.contains("Harbour Hotel") && !clashing.contains("Lakeside Shop"), "{clashing}");
    let zhou = person_token(&store, "Zhou", Role::Supervisor, "brigade-1", "").await;
    let (_, scoped) = get(&r, "/office/documents", Some(&zhou)).await;
    assert!(scoped.contains("Riverside Mall") && !scoped.contains("Lakeside Shop"), "{scoped}");
    // Wang's block 1–50: serials 1, 2 and 9 carried by delivered documents, two of those
    // documents delivered by Li (whose phone holds no block).
    let (_, serials) = get(&r, &format!("/office/serials?year={year}"), Some(&admin)).await;
    assert!(serials.contains("3 / 50") && serials.contains("他人提交的文书使用了本段编号（2）"), "{serials}");

    // Verify: anonymous sees the match, the date and the numbers, not the site.
    let (status, verified) = get(&r, &format!("/verify/{seal}"), None).await;
    assert_eq!(status, 200, "{verified}");
    assert!(verified.contains("与已提交的记录一致") && verified.contains(&number("检记", 1)), "{verified}");
    let day = dates::format_time(CREATED + 1, 8 * 60)[..10].to_string();
    assert!(verified.contains(&day), "{day}: {verified}");
    assert!(!verified.contains("Riverside Mall") && !verified.contains("Wang Wei"), "no site or names for anyone: {verified}");
    let (_, signed_in) = get(&r, &format!("/verify/{seal}"), Some(&admin)).await;
    assert!(signed_in.contains("Riverside Mall") && signed_in.contains(&format!("/office/{}", a.id)), "{signed_in}");
    let (_, other_scope) = get(&r, &format!("/verify/{seal}"), Some(&li)).await;
    assert!(
        other_scope.contains("与已提交的记录一致") && !other_scope.contains("Riverside Mall"),
        "an inspector sees no office details: {other_scope}"
    );
    // Typed back from the paper, in groups and capitals.
    let typed = serde_urlencoded::to_string([("seal", grouped(&seal).to_uppercase())]).unwrap();
    assert!(get(&r, &format!("/verify?{typed}"), None).await.1.contains("与已提交的记录一致"));
    let (status, form) = get(&r, "/verify", None).await;
    assert!(status == 200 && form.contains("name=\"seal\""), "{form}");
    let (status, unreadable) = get(&r, "/verify?seal=not-a-seal", None).await;
    assert!(status == 400 && unreadable.contains("这不是校验码"), "{unreadable}");
    // A changed record does not give the printed seal, nor does a stored record changed since.
    let mut changed = a_payload.clone();
    changed["inspection"]["site"]["name"] = "Riverside Mall (changed)".into();
    assert!(get(&r, &format!("/verify/{}", seal_of(&changed)), None).await.1.contains("与任何已提交的记录都不符"));
    let stored_seal = store.rows("SELECT seal FROM inspections WHERE id = $1", vec![a.id.to_string().into()]).await.unwrap();
    assert_eq!(stored_seal[0][0].text(), seal, "the column holds what core computes");
    store
        .rows(
            "UPDATE inspections SET payload = REPLACE(payload, 'Riverside Mall', 'Elsewhere') WHERE id = $1",
            vec![a.id.to_string().into()],
        )
        .await
        .unwrap();
    assert!(get(&r, &format!("/verify/{seal}"), None).await.1.contains("与任何已提交的记录都不符"));

    // Records stored before seals: sealed (and their documents filed) at the next start.
    let b_seal = seal_of(&payload_of(&b));
    store.rows("UPDATE inspections SET seal = NULL WHERE id = $1", vec![b.id.to_string().into()]).await.unwrap();
    store.rows("DELETE FROM issued_documents WHERE inspection_id = $1", vec![b.id.to_string().into()]).await.unwrap();
    assert!(get(&r, &format!("/verify/{b_seal}"), None).await.1.contains("与任何已提交的记录都不符"));
    let reopened = Store::open(url).await.unwrap();
    let sealed = reopened.rows("SELECT seal FROM inspections WHERE id = $1", vec![b.id.to_string().into()]).await.unwrap();
    assert_eq!(sealed[0][0].text(), b_seal);
    assert!(get(&r, &format!("/verify/{b_seal}"), None).await.1.contains(&number("责改", 2)));
}

async fn hazard_exchange(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(url, dir.path()).await;
    let admin = r.token.clone().unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let a = found("Riverside Mall", &[(EXIT, "2999-01-10"), (ALARM, "2999-01-05")], CREATED + 1);
    let b = found("Harbour Hotel", &[(EXIT, "2999-02-01")], CREATED + 2);
    let mut c = found("Lakeside Shop", &[(ALARM, "")], CREATED + 3);
    let alarm = c.hazards.get_mut(ALARM).unwrap();
    alarm.rectification.on_the_spot = true;
    alarm.rectification.on_the_spot_note = "当场修复".into();
    for i in [&a, &b, &c] {
        assert_eq!(r.post(&payload_of(i), None, Some(&wang)).await.0, 201);
    }
    // B's exit closed by a re-inspection, A's exit accepted by the office.
    let entries = register(std::slice::from_ref(&b), &fixture(), "2026-12-03");
    let mut follow_up = start_follow_up(Uuid::new_v4(), &b, &open_for_site(&entries, &entries[0].site_key), CREATED + 10);
    follow_up.team.inspectors = "赵强, 钱多".into();
    for check in &mut follow_up.follow_up.as_mut().unwrap().checks {
        check.verdict = Some(Verdict::Rectified);
        check.note = "已整改".into();
    }
    follow_up.completed_at = Some(CREATED + 11);
    assert_eq!(r.post(&payload_of(&follow_up), None, Some(&wang)).await.0, 201);
    let accept = format!("/office/hazards/{}/{EXIT}/accept", a.id);
    assert_eq!(post_form(&r, &accept, &[("note", "出口已打开")], &admin).await.0, 303);

    let (status, body) = get(&r, "/office/hazards.exchange.json", Some(&admin)).await;
    assert_eq!(status, 200, "{body}");
    let served: serde_json::Value = serde_json::from_str(&body).unwrap();
    let records: Vec<HazardRecord> = serde_json::from_str(&body).expect("the export reads back as core's records");
    assert_eq!(serde_json::to_value(&records).unwrap(), served, "and writes out the same");
    assert_eq!(records.len(), 4);
    let record = |i: &Inspection, item: &str| records.iter().find(|h| h.id == format!("{}/{item}", i.id)).cloned().unwrap();
    let open = record(&a, ALARM);
    assert_eq!((open.state, open.handling, open.acceptance.clone()), (State::InRectification, Handling::ByDeadline, None));
    assert_eq!((open.registrant.as_str(), open.deadline.as_str()), ("Wang Wei、Li Na", "2999-01-05"));
    let accepted = record(&a, EXIT);
    let acceptance = accepted.acceptance.clone().expect("accepted by the office");
    assert_eq!((accepted.state, acceptance.by.as_str(), acceptance.comment.as_str()), (State::Accepted, "test admin", "出口已打开"));
    let verified = record(&b, EXIT);
    let acceptance = verified.acceptance.clone().expect("verified by the re-inspection");
    assert_eq!((verified.state, acceptance.by.as_str(), acceptance.comment.as_str()), (State::Accepted, "赵强、钱多", "已整改"));
    assert_eq!(acceptance.at, dates::format_time(CREATED + 11, 8 * 60));
    let on_the_spot = record(&c, ALARM);
    assert_eq!(
        (on_the_spot.state, on_the_spot.handling, on_the_spot.measures.as_str()),
        (State::Accepted, Handling::OnTheSpot, "当场修复")
    );

    // The register's filters apply; the register links the export; the office's only.
    let (_, riverside) = get(&r, "/office/hazards.exchange.json?q=riverside", Some(&admin)).await;
    let riverside: Vec<HazardRecord> = serde_json::from_str(&riverside).unwrap();
    let ids: Vec<&str> = riverside.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.iter().all(|id| id.starts_with(&a.id.to_string())), "{ids:?}");
    let (_, register_page) = get(&r, "/office/hazards?q=riverside", Some(&admin)).await;
    assert!(register_page.contains("/office/hazards.exchange.json?q=riverside"), "{register_page}");
    assert_eq!(get(&r, "/office/hazards.exchange.json", Some(&wang)).await.0, 403);

    // The same records as CSV, one a row, in the same order.
    let (status, csv) = get(&r, "/office/hazards.exchange.csv", Some(&admin)).await;
    assert_eq!(status, 200, "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), safewalk_server::hazard_exchange::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.iter().map(|row| row[0].to_string()).collect::<Vec<_>>(), records.iter().map(|h| h.id.clone()).collect::<Vec<_>>());
    let row = rows.iter().find(|row| row[0] == accepted.id).unwrap();
    assert_eq!((&row[14], &row[16], &row[17]), ("test admin", "出口已打开", "accepted"));
    assert!(rows.iter().any(|row| &row[17] == "in_rectification" && row[14].is_empty()));
}

/// Records stored before seals, more than one page of them: every one sealed at the next
/// start with the seal core computes, an unreadable payload marked so it is not read again.
/// `SAFEWALK_SEAL_ROWS` sets how many (default 250: two pages), for timing the start.
async fn sealing_at_start(url: &str) {
    let rows: usize = std::env::var("SAFEWALK_SEAL_ROWS").ok().and_then(|n| n.parse().ok()).unwrap_or(250);
    let store = Store::open(url).await.unwrap();
    let mut expected = Vec::new();
    for n in 0..rows {
        let i = with_papers(found(&format!("Site {n}"), &[(EXIT, "2999-01-01")], CREATED + n as u64), vec![]);
        let payload = payload_of(&i);
        store.put(i.id, &serde_json::to_string(&payload).unwrap(), None, None, CREATED).await.unwrap();
        expected.push((i.id.to_string(), seal_of(&payload)));
    }
    let broken = Uuid::new_v4();
    store.put(broken, "{\"schema\": 99}", None, None, CREATED).await.unwrap();
    // Filed under their sites first (a start does that too), so the time below is the seals'.
    drop(Store::open(url).await.unwrap());
    store.rows("UPDATE inspections SET seal = NULL", vec![]).await.unwrap();
    let started = std::time::Instant::now();
    let reopened = Store::open(url).await.unwrap();
    eprintln!("sealed {rows} records at start in {:.2} s", started.elapsed().as_secs_f64());
    let sealed = reopened.rows("SELECT id, seal FROM inspections WHERE seal IS NOT NULL", vec![]).await.unwrap();
    let sealed: std::collections::HashMap<String, String> = sealed.iter().map(|r| (r[0].text(), r[1].text())).collect();
    assert_eq!(sealed.len(), rows + 1);
    for (id, seal) in &expected {
        assert_eq!(sealed.get(id), Some(seal), "{id}");
    }
    assert_eq!(sealed.get(&broken.to_string()).map(String::as_str), Some(""), "unreadable: marked, never matched");
}

#[tokio::test]
async fn records_stored_before_seals_are_sealed_at_start_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    sealing_at_start(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn records_stored_before_seals_are_sealed_at_start_on_postgres() {
    sealing_at_start(&postgres_database().await).await;
}

#[tokio::test]
async fn serial_blocks_never_overlap_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    serial_blocks(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn serial_blocks_never_overlap_on_postgres() {
    serial_blocks(&postgres_database().await).await;
}

/// A re-inspection started from the pull on a phone that never held the original: the pull's
/// open hazards name the order their inspection issued (from its delivered paperwork), the
/// follow-up core starts from them copies it, and the receiver takes that follow-up as
/// payload schema 5 (refusing it in an older schema, which would drop the order).
async fn orders_travel_with_the_pull(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(url, dir.path()).await;
    let admin = r.token.clone().unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let li = person_token(&store, "Li Na", Role::Inspector, "brigade-1", "pudong").await;
    let li_id = store.person_by_name("Li Na").await.unwrap().unwrap().id;
    let csv = "name,address,district,department,sectors\nRiverside Mall,Riverside Mall Road 1,pudong,brigade-1,graded-shop\n";
    assert_eq!(post_form(&r, "/office/sites/import", &[("csv", csv)], &admin).await.0, 303);
    let riverside = store.row("SELECT id FROM sites WHERE name = $1", vec!["Riverside Mall".into()]).await.unwrap().unwrap()[0].text();

    // An earlier visit without papers, then Wang's with the record and the order (serial 2).
    let earlier = found("Riverside Mall", &[(ALARM, "2999-01-01")], CREATED + 1);
    assert_eq!(r.post(&payload_of(&earlier), None, Some(&wang)).await.0, 201);
    let order = document(DocumentKind::OrderToRectify, 2);
    let ordered = with_papers(
        found("Riverside Mall", &[(EXIT, "2999-01-01")], CREATED + 2),
        vec![document(DocumentKind::InspectionRecord, 1), order.clone()],
    );
    assert_eq!(r.post(&payload_of(&ordered), None, Some(&wang)).await.0, 201);

    let fields = [
        ("site", riverside.as_str()),
        ("template", "graded-shop"),
        ("due", "2999-01-01"),
        ("kind", "re_inspection"),
        ("inspector", &li_id),
    ];
    let (status, _, location) = post_form(&r, "/office/tasks", &fields, &admin).await;
    assert_eq!(status, 303);
    let task_id = Uuid::parse_str(location.trim_start_matches("/office/tasks/")).unwrap();
    let pulled = pull(&r, &li, "").await;
    let open = &pulled.sites.iter().find(|s| s.site.to_string() == riverside).expect("the task's site").open;
    let orders: Vec<(Uuid, Option<IssuedDocument>)> = open.iter().map(|e| (e.inspection, e.order.clone())).collect();
    assert_eq!(orders.len(), 2);
    assert!(orders.contains(&(ordered.id, Some(order.clone()))), "{orders:?}");
    assert!(orders.contains(&(earlier.id, None)), "no papers, no order: {orders:?}");

    // Li's phone holds neither record: the follow-up names the order from the pull.
    let task = pulled.tasks.iter().find(|t| t.id == task_id).expect("her task");
    let mut follow_up = start_task(Uuid::new_v4(), task, Some(&graded_shop()), open, CREATED + 10).expect("started");
    assert_eq!(follow_up.follow_up.as_ref().map(|f| (f.of, f.order.clone())), Some((ordered.id, Some(order.clone()))));
    for check in &mut follow_up.follow_up.as_mut().unwrap().checks {
        check.verdict = Some(Verdict::Rectified);
    }
    follow_up.completed_at = Some(CREATED + 11);
    let payload = payload_of(&follow_up);
    assert_eq!(payload["schema"], 5, "a follow-up naming its order is schema 5");
    let mut older = payload.clone();
    older["schema"] = 4.into();
    let (status, body) = r.post(&older, None, Some(&li)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"].as_str().is_some_and(|e| e.contains("inspection.follow_up.order")), "{body}");
    assert_eq!(r.post(&payload, None, Some(&li)).await.0, 201);
    let stored: InspectionPayload = serde_json::from_str(&store.get(follow_up.id).await.unwrap().unwrap().payload).unwrap();
    assert_eq!(stored.inspection.follow_up.and_then(|f| f.order), Some(order.clone()), "kept as delivered: the seal covers it");
    // The office's page of the re-inspection names the order it followed up.
    let (status, page) = get(&r, &format!("/office/{}", follow_up.id), Some(&admin)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("复查所依据的文书：责令限期整改指令书") && page.contains(&order.number), "{page}");
}

#[tokio::test]
async fn orders_travel_with_the_pull_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    orders_travel_with_the_pull(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn orders_travel_with_the_pull_on_postgres() {
    orders_travel_with_the_pull(&postgres_database().await).await;
}

#[tokio::test]
async fn particulars_go_out_with_the_pull_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    particulars(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn particulars_go_out_with_the_pull_on_postgres() {
    particulars(&postgres_database().await).await;
}

#[tokio::test]
async fn documents_and_seals_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    documents_and_seals(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn documents_and_seals_on_postgres() {
    documents_and_seals(&postgres_database().await).await;
}

#[tokio::test]
async fn the_hazard_exchange_export_round_trips_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    hazard_exchange(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn the_hazard_exchange_export_round_trips_on_postgres() {
    hazard_exchange(&postgres_database().await).await;
}
