//! The receiver over real HTTP on 127.0.0.1, against a real SQLite file and, when the test
//! script has started one, a real PostgreSQL (SAFEWALK_TEST_POSTGRES_URL, an admin URL;
//! each run creates its own database).

use std::path::Path;

use safewalk_core::payload::{InspectionPayload, Receipt, ReceiptStatus};
use safewalk_core::{library, Answer, Inspection};
use safewalk_server::config::Config;
use safewalk_server::router;
use safewalk_server::store::Store;
use serde_json::Value;
use uuid::Uuid;

struct Receiver {
    base: String,
    client: reqwest::Client,
}

async fn start(database_url: &str, static_dir: &Path, tokens: &[&str], body_limit: usize) -> Receiver {
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: database_url.to_string(),
        static_dir: static_dir.to_path_buf(),
        tokens: tokens.iter().map(|t| t.to_string()).collect(),
        cors_origins: vec!["http://127.0.0.1:5555".into()],
        body_limit,
    };
    let store = Store::open(&config.database_url).await.expect("database opens and migrates");
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(&config, store);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver { base, client: reqwest::Client::new() }
}

fn completed_inspection(note: &str) -> Inspection {
    let (templates, _) = library::built_in();
    let t = &templates[0];
    let mut i = Inspection::new(Uuid::new_v4(), t, 1_700_000_000_000);
    i.edit_details(1, |site, team| {
        site.name = "Riverside Mall, Block \"A\"".into();
        site.address = "1 River Rd".into();
        site.category = t.site_categories[0].id.clone();
        site.enterprise = "Riverside Co.".into();
        site.principal = "Zhao Li".into();
        site.principal_phone = "13800138000".into();
        team.department = "District Fire Brigade".into();
        team.inspectors = "Wang Wei, Li Na".into();
    })
    .unwrap();
    let ids: Vec<String> = t.items().map(|item| item.id.clone()).collect();
    for (n, item) in ids.iter().enumerate() {
        let answer = if n == 0 { Answer::Hazard } else { Answer::Compliant };
        i.set_answer(t, item, Some(answer), 2).unwrap();
    }
    i.set_note(t, &ids[0], note, 3).unwrap();
    i.complete(t, 4).expect("complete");
    i
}

impl Receiver {
    async fn post(&self, payload: &Value, key: Option<&str>, token: Option<&str>) -> (u16, Value) {
        let mut request = self.client.post(format!("{}/inspections", self.base)).json(payload);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

fn payload_of(i: &Inspection) -> Value {
    serde_json::to_value(InspectionPayload::new(i.clone())).unwrap()
}

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
    let response = r.client.post(format!("{}/inspections", r.base)).header("content-type", "application/json").body("{not json").send().await.unwrap();
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
}

#[tokio::test]
async fn the_protocol_holds_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("nested/safewalk.sqlite3").display().to_string();
    protocol_holds(&url).await;
    // Restarting on the same file keeps what was stored, and migrations do not run twice.
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.count().await.unwrap(), 2);
}

#[tokio::test]
async fn the_protocol_holds_on_postgres() {
    let Ok(admin_url) = std::env::var("SAFEWALK_TEST_POSTGRES_URL") else {
        assert!(std::env::var_os("CI").is_none(), "CI must run this test against PostgreSQL (scripts/test starts one)");
        eprintln!("skipped: SAFEWALK_TEST_POSTGRES_URL is not set (scripts/test sets it)");
        return;
    };
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
    assert_eq!(store.count().await.unwrap(), 2);
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
}
