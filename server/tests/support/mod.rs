//! What the receiver's test files share: the fixture library, a receiver on 127.0.0.1 served
//! the way `safewalk-server` serves (its own connection loop, limits and all), and the
//! payloads and requests the app sends.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use safewalk_core::catalogue::library::Library;
use safewalk_core::delivery::payload::{GradeReport, InspectionPayload};
use safewalk_core::grading::Grade;
use safewalk_core::inspection::hazard::Hazard;
use safewalk_core::{Answer, Inspection, ItemAnswer, LocalText, Template};
pub use safewalk_server::config::Config;
use safewalk_server::people::Role;
use safewalk_server::serve::serve_on;
use safewalk_server::store::Store;
use safewalk_server::{cli, router};
use serde_json::Value;
use uuid::Uuid;

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates")
}

/// The fixture library as the receiver reads it: two templates (one graded by a rule set).
pub fn fixture() -> Library {
    let loaded = safewalk_server::templates::load(&fixture_dir());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.library
}

pub fn graded_shop() -> Template {
    fixture().templates.into_iter().find(|t| t.id == "graded-shop").expect("fixture graded-shop")
}

pub struct Receiver {
    pub base: String,
    /// Sends [`Receiver::token`] with every request (when there is one) unless a request
    /// sets its own `Authorization`.
    pub client: reqwest::Client,
    /// Without legacy tokens: the device token of an admin the tests created, as the console
    /// would (`safewalk-server people add admin --role admin; people token admin`).
    pub token: Option<String>,
    /// A client that sends no credentials.
    pub anonymous: reqwest::Client,
}

pub async fn start(database_url: &str, static_dir: &Path, tokens: &[&str], body_limit: usize) -> Receiver {
    start_with_templates(database_url, static_dir, &fixture_dir(), tokens, body_limit).await
}

pub async fn start_with_templates(
    database_url: &str,
    static_dir: &Path,
    templates_dir: &Path,
    tokens: &[&str],
    body_limit: usize,
) -> Receiver {
    start_with(Config {
        database_url: database_url.to_string(),
        static_dir: static_dir.to_path_buf(),
        templates_dir: templates_dir.to_path_buf(),
        tokens: tokens.iter().map(|t| t.to_string()).collect(),
        body_limit,
        ..config()
    })
    .await
}

/// The settings of these tests: an ephemeral port, one allowed origin, the test limits.
pub fn config() -> Config {
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        cors_origins: vec!["http://127.0.0.1:5555".into()],
        attachment_limit: ATTACHMENT_LIMIT,
        ..Config::default()
    }
}

/// A receiver with `config`, served as `safewalk-server` serves it.
pub async fn start_with(config: Config) -> Receiver {
    let store = Store::open_pooled(&config.database_url, config.pg_pool).await.expect("database opens and migrates");
    let token = if config.tokens.is_empty() { Some(person_token(&store, "test admin", Role::Admin, "", "").await) } else { None };
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(&config, store);
    tokio::spawn(serve_on(listener, app, config.connections, std::future::pending()));
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(token) = &token {
        headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
    }
    Receiver {
        base,
        client: reqwest::Client::builder().default_headers(headers).build().unwrap(),
        token,
        anonymous: reqwest::Client::new(),
    }
}

/// A receiver on `database_url` with the fixture library, its admin's token in
/// [`Receiver::token`], and the store beside it (for the console's actions and checks).
pub async fn start_on(database_url: &str, static_dir: &Path) -> (Receiver, Store) {
    let r = start_with(Config {
        database_url: database_url.to_string(),
        static_dir: static_dir.to_path_buf(),
        templates_dir: fixture_dir(),
        ..config()
    })
    .await;
    (r, Store::open(database_url).await.unwrap())
}

/// A form posted with `token` (a bearer token needs no CSRF field), not following the
/// redirect: status, body text and the redirect's target.
pub async fn post_form(r: &Receiver, path: &str, pairs: &[(&str, &str)], token: &str) -> (u16, String, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let request = client
        .post(format!("{}{path}", r.base))
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(pairs).unwrap());
    let reply = answer(request).await;
    let location = reply.header("location").unwrap_or("").to_string();
    (reply.status, String::from_utf8_lossy(&reply.body).to_string(), location)
}

/// Adds a person (unless there is one of this name) and issues them a device token, as
/// `safewalk-server people add` and `people token` do.
pub async fn person_token(store: &Store, name: &str, role: Role, department: &str, district: &str) -> String {
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let added = cli::run(
        store,
        &args(&["add", name, "--role", role.as_str(), "--department", department, "--district", district]),
        "",
        String::new,
    )
    .await;
    assert!(added.is_ok() || added.as_ref().unwrap_err().contains("is taken"), "{added:?}");
    cli::run(store, &args(&["token", name]), "", String::new).await.expect("a token")
}

pub const CREATED: u64 = 1_700_000_000_000;

/// The attachment limit of these tests: above the 64 KiB body limit they use, so a test can
/// show that attachments have their own.
pub const ATTACHMENT_LIMIT: usize = 256 * 1024;

/// A completed inspection of the graded fixture: the first item a hazard described by
/// `note`, the others compliant. Fields are set directly: the receiver does not re-check
/// completeness (the app does), so these tests need not follow every completion rule.
pub fn completed_inspection(note: &str) -> Inspection {
    let t = graded_shop();
    let mut i = Inspection::new(Uuid::new_v4(), &t, CREATED);
    i.site.name = "Riverside Mall, Block \"A\"".into();
    i.site.address = "1 River Rd".into();
    i.site.category = t.site_categories[0].id.clone();
    i.site.enterprise = "Riverside Co.".into();
    i.site.principal = "Zhao Li".into();
    i.site.principal_phone = "13800138000".into();
    i.team.department = "District Fire Brigade".into();
    i.team.inspectors = "Wang Wei, Li Na".into();
    for (n, item) in t.items().enumerate() {
        let (answer, note) = if n == 0 { (Answer::Hazard, note.to_string()) } else { (Answer::Compliant, String::new()) };
        i.answers.insert(item.id.clone(), ItemAnswer { answer: Some(answer), note });
    }
    i.completed_at = Some(CREATED + 3_600_000);
    i.updated_at = CREATED + 3_600_000;
    i
}

/// Two items of the graded fixture: the exit (a major hazard when found) and the alarm.
pub const EXIT: &str = "gs-exit-01";
pub const ALARM: &str = "gs-alarm-01";

/// A completed inspection of `site` found at `at` with each `(item, deadline)` a hazard.
pub fn found(site: &str, hazards: &[(&str, &str)], at: u64) -> Inspection {
    let mut i = completed_inspection("疏散通道堵塞");
    i.site.name = site.into();
    i.site.address = format!("{site} Road 1");
    for (item, deadline) in hazards {
        i.answers.insert(item.to_string(), ItemAnswer { answer: Some(Answer::Hazard), note: format!("{site}: {item}") });
        let mut hazard = Hazard::default();
        hazard.rectification.deadline = deadline.to_string();
        i.hazards.insert(item.to_string(), hazard);
    }
    if !hazards.iter().any(|(item, _)| *item == EXIT) {
        i.answers.insert(EXIT.into(), ItemAnswer { answer: Some(Answer::Compliant), note: String::new() });
    }
    i.completed_at = Some(at);
    i.updated_at = at;
    i
}

pub fn report(grade: Grade, rule_grade: Grade, zh: &str, en: &str) -> GradeReport {
    GradeReport { grade, rule_grade, because: LocalText { zh: zh.into(), en: en.into() }, standing: Default::default() }
}

impl Receiver {
    /// The `Authorization` header line of [`Receiver::token`], for raw requests (empty when
    /// there is none).
    pub fn auth_line(&self) -> String {
        self.token.as_ref().map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default()
    }

    pub async fn post(&self, payload: &Value, key: Option<&str>, token: Option<&str>) -> (u16, Value) {
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

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let (status, body) = self.get_text(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// `GET /templates`, parsed as the app parses an import.
    pub async fn library(&self, token: Option<&str>) -> (u16, Option<String>, String) {
        let mut request = self.client.get(format!("{}/templates", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
        (response.status().as_u16(), content_type, response.text().await.unwrap())
    }
}

/// The schema-2 payload the app sends: every hazard graded (major: the fixture's first item
/// is a direct major hazard).
pub fn payload_of(i: &Inspection) -> Value {
    let mut payload = InspectionPayload::new(i.clone());
    for (item, answer) in &i.answers {
        if answer.answer == Some(Answer::Hazard) {
            payload.grades.insert(item.clone(), report(Grade::Major, Grade::Major, "重大隐患：直接判定", "major: direct criterion"));
        }
    }
    serde_json::to_value(payload).unwrap()
}

/// A fake JPEG: the bytes a JPEG file begins with, then `n` bytes of `fill`.
pub fn jpeg(fill: u8, n: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.resize(4 + n, fill);
    bytes
}

/// A real 1×1 PNG (a signature's white pixel).
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82";

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Receiver {
    pub fn attachment_url(&self, inspection: &str, attachment: &str) -> String {
        format!("{}/inspections/{inspection}/attachments/{attachment}", self.base)
    }

    /// `PUT` with the given content type and hash header (`None`: left out).
    pub async fn put_attachment(
        &self,
        path: (&str, &str),
        bytes: &[u8],
        content_type: Option<&str>,
        sha256: Option<&str>,
        token: Option<&str>,
    ) -> Reply {
        let mut request = self.client.put(self.attachment_url(path.0, path.1)).body(bytes.to_vec());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        if let Some(sha256) = sha256 {
            request = request.header("X-Content-SHA256", sha256);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request).await
    }

    /// `PUT` as the app does: the right type and hash.
    pub async fn send_attachment(&self, inspection: &str, attachment: &str, bytes: &[u8], content_type: &str) -> Reply {
        self.put_attachment((inspection, attachment), bytes, Some(content_type), Some(&safewalk_server::sha256_hex(bytes)), None).await
    }

    pub async fn attachment(&self, method: reqwest::Method, inspection: &str, attachment: &str, token: Option<&str>) -> Reply {
        let mut request = self.client.request(method, self.attachment_url(inspection, attachment));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request).await
    }
}

pub async fn answer(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    Reply { status, headers, body: response.bytes().await.unwrap().to_vec() }
}

/// A new, empty database on the PostgreSQL of scripts/with-postgres.
pub async fn postgres_database() -> String {
    let admin_url =
        std::env::var("SAFEWALK_TEST_POSTGRES_URL").expect("SAFEWALK_TEST_POSTGRES_URL: run this test through scripts/with-postgres");
    let database = format!("safewalk_test_{}", Uuid::new_v4().simple());
    let (admin, connection) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await.expect("PostgreSQL is up");
    tokio::spawn(connection);
    admin.batch_execute(&format!("CREATE DATABASE {database}")).await.unwrap();
    match admin_url.rfind('/') {
        Some(slash) => format!("{}/{database}", &admin_url[..slash]),
        None => panic!("admin URL without a database: {admin_url}"),
    }
}

/// A GET as a browser with `token` (or none), not following redirects: status and body text.
pub async fn browse(r: &Receiver, path: &str, token: Option<&str>) -> (u16, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut request = client.get(format!("{}{path}", r.base)).header("accept", "text/html");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let reply = answer(request).await;
    (reply.status, String::from_utf8_lossy(&reply.body).to_string())
}
