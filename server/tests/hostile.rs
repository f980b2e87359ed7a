//! The receiver as a bureau deploys it, probed as an attacker would: over real HTTP on
//! 127.0.0.1, with raw sockets where a well-behaved client would hide the problem.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use safewalk_server::config::Config;
use safewalk_server::security::sha256_source;
use safewalk_server::serve::ConnectionLimits;
use safewalk_server::store::Store;
use serde_json::Value;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use uuid::Uuid;

fn sqlite(dir: &Path) -> String {
    dir.join("db.sqlite3").display().to_string()
}

/// A built app as the post-build hook leaves it: index.html with an inline script, its
/// hashes in csp.json, a hashed module, and brotli and gzip copies.
fn built_app(dir: &Path) {
    let script = "console.log('boot')";
    std::fs::write(dir.join("index.html"), format!("<!DOCTYPE html><title>app shell</title><script>{script}</script>")).unwrap();
    std::fs::write(dir.join("csp.json"), format!(r#"{{"script-src": ["{}"], "style-src": []}}"#, sha256_source(script))).unwrap();
    std::fs::write(dir.join("safewalk-0123456789abcdef.js"), "export default 1;").unwrap();
    std::fs::write(dir.join("safewalk-0123456789abcdef.js.br"), b"brotli bytes").unwrap();
    std::fs::write(dir.join("safewalk-0123456789abcdef.js.gz"), b"gzip bytes").unwrap();
    std::fs::write(dir.join("sw.js"), "self.addEventListener('fetch', () => {});").unwrap();
}

/// Sends `request` as raw bytes and reads what comes back until the server closes or
/// `wait` passes: (the text, whether the server closed the connection).
async fn raw(base: &str, request: &[u8], wait: Duration) -> (String, bool) {
    let mut stream = TcpStream::connect(base.trim_start_matches("http://")).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&received).into_owned(), true),
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), false),
        }
    }
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

#[tokio::test]
async fn every_error_of_the_protocol_is_json() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&sqlite(dir.path()), dir.path(), &[], 64 * 1024).await;
    let cases: [(reqwest::Method, &str, u16, &str); 6] = [
        (reqwest::Method::GET, "/api/inspections?offset=abc", 400, "offset"),
        (reqwest::Method::GET, "/api/inspections?offset=9223372036854775808", 400, "offset: 9223372036854775808 is larger than"),
        (reqwest::Method::GET, "/office?limit=-1", 400, "limit"),
        (reqwest::Method::GET, "/inspections", 405, "method not allowed"),
        (reqwest::Method::GET, "/api/nothing-here", 404, "no such path: /api/nothing-here"),
        (reqwest::Method::DELETE, "/office/x/y", 404, "no such path"),
    ];
    for (method, path, status, says) in cases {
        let response = r.client.request(method.clone(), format!("{}{path}", r.base)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{method} {path}");
        assert!(header(&response, "content-type").starts_with("application/json"), "{method} {path}");
        let body: Value = response.json().await.unwrap();
        let message = body["error"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{method} {path}: {body}");
    }
    // The last page is still reachable: offsets up to 2^63 - 1 are read, not wrapped.
    let last = r.get_json("/api/inspections?offset=9223372036854775807").await;
    assert_eq!((last["offset"].as_u64(), last["items"].as_array().map(Vec::len)), (Some(i64::MAX as u64), Some(0)));
}

#[tokio::test]
async fn uploads_must_say_they_are_json() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&sqlite(dir.path()), dir.path(), &[], 64 * 1024).await;
    let body = payload_of(&completed_inspection("sent cross-site")).to_string();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
    ] {
        let mut request = r.client.post(format!("{}/inspections", r.base)).body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 415, "{content_type:?}");
        let answer: Value = response.json().await.unwrap();
        assert!(answer["error"].as_str().unwrap().contains("send application/json"), "{answer}");
    }
    assert_eq!(r.get_json("/api/inspections").await["total"], 0, "nothing forged was stored");
    let response = r
        .client
        .post(format!("{}/inspections", r.base))
        .header("content-type", "Application/JSON; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
}

#[tokio::test]
async fn a_body_declared_too_large_is_refused_before_it_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&sqlite(dir.path()), dir.path(), &[], 64 * 1024).await;
    for path in ["/inspections".to_string(), format!("/inspections/{}/attachments/{}", Uuid::new_v4(), Uuid::new_v4())] {
        let method = if path == "/inspections" { "POST" } else { "PUT" };
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\n{}Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n",
            r.auth_line()
        );
        let started = Instant::now();
        let (response, _) = raw(&r.base, request.as_bytes(), Duration::from_secs(5)).await;
        assert!(response.starts_with("HTTP/1.1 413"), "{method} {path}: {response}");
        assert!(response.contains("larger than this receiver's limit"), "{response}");
        assert!(started.elapsed() < Duration::from_secs(2), "answered at once, not after waiting for the body");
    }
}

#[tokio::test]
async fn clients_that_never_finish_a_request_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config { database_url: sqlite(dir.path()), static_dir: dir.path().to_path_buf(), ..config() };
    config.connections = ConnectionLimits {
        header_timeout: Duration::from_secs(1),
        body_idle_timeout: Duration::from_secs(1),
        max_connections: 4,
        ..config.connections
    };
    let r = start_with(config).await;

    // Headers that never end: closed after the header timeout.
    let started = Instant::now();
    let (response, closed) = raw(&r.base, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1", Duration::from_secs(5)).await;
    assert!(closed, "still open after 5 s: {response}");
    assert!(started.elapsed() < Duration::from_secs(3), "closed after {:?}", started.elapsed());

    // Every slot held by a stalled client: they are dropped in time and a real client is
    // served.
    let mut stalled = Vec::new();
    for _ in 0..4 {
        let mut stream = TcpStream::connect(r.base.trim_start_matches("http://")).await.unwrap();
        stream.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
        stalled.push(stream);
    }
    let started = Instant::now();
    let health = tokio::time::timeout(Duration::from_secs(5), r.client.get(format!("{}/health", r.base)).send()).await;
    assert_eq!(health.expect("served within 5 s").unwrap().status().as_u16(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "the cap held the client back until the stalled ones went ({:?})",
        started.elapsed()
    );

    // A body that stops arriving: the upload fails and nothing is stored.
    let body = payload_of(&completed_inspection("stalled")).to_string();
    let request = format!(
        "POST /inspections HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        &body[..body.len() / 2]
    );
    let (response, _) = raw(&r.base, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(!response.starts_with("HTTP/1.1 201"), "{response}");
    assert_eq!(r.get_json("/api/inspections").await["total"], 0);
}

#[tokio::test]
async fn hostile_payloads_are_refused_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&sqlite(dir.path()), dir.path(), &[], 64 * 1024).await;
    let payload = payload_of(&completed_inspection("hostile"));
    let item = payload["inspection"]["answers"].as_object().unwrap().keys().next().unwrap().clone();

    // A key twice: serde would keep the last silently.
    let text = payload.to_string();
    let twice = text.replacen(&format!("\"{item}\":"), &format!("\"{item}\":{{\"answer\":\"compliant\",\"note\":\"\"}},\"{item}\":"), 1);
    let response =
        r.client.post(format!("{}/inspections", r.base)).header("content-type", "application/json").body(twice).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["error"], format!("inspection.answers: the key \"{item}\" appears twice"));

    // null for a field that is left out when absent.
    let mut null_follow_up = payload.clone();
    null_follow_up["inspection"]["follow_up"] = Value::Null;
    let (status, answer) = r.post(&null_follow_up, None, None).await;
    assert_eq!(
        (status, answer["error"].as_str().unwrap_or_default()),
        (400, "inspection.follow_up: null is not a value here; leave the field out when it has none")
    );

    // An attachment type outside the protocol's enum.
    let mut html_attachment = payload.clone();
    html_attachment["inspection"]["attachments"] = serde_json::json!([{
        "id": Uuid::new_v4(), "kind": "photo", "sha256": "ab".repeat(32), "content_type": "text/html",
        "bytes": 10, "width": 1, "height": 1, "taken_at": 1
    }]);
    let (status, answer) = r.post(&html_attachment, None, None).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error"], "inspection.attachments[0].content_type: \"text/html\" is not one of image/jpeg, image/png");

    assert_eq!(r.get_json("/api/inspections").await["total"], 0, "none of them stored");
    assert_eq!(r.post(&payload, None, None).await.0, 201, "the honest payload is");
}

#[tokio::test]
async fn tokens_are_read_as_rfc_9110_says_and_refusals_say_how_to_authenticate() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&sqlite(dir.path()), dir.path(), &["s3cret-token"], 64 * 1024).await;
    let refused = r.client.get(format!("{}/api/inspections", r.base)).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    assert_eq!(header(&refused, "www-authenticate"), "Bearer realm=\"safewalk\"");
    for authorization in ["bearer s3cret-token", "BEARER s3cret-token", "Bearer  s3cret-token "] {
        let response = r.client.get(format!("{}/api/inspections", r.base)).header("authorization", authorization).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{authorization}");
    }
    for authorization in ["Bearer s3cret", "Bearer s3cret-token2", "Basic s3cret-token", "s3cret-token"] {
        let response = r.client.get(format!("{}/api/inspections", r.base)).header("authorization", authorization).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{authorization}");
    }
}

#[tokio::test]
async fn each_audience_gets_its_policy_and_cache_rules() {
    let dir = tempfile::tempdir().unwrap();
    built_app(dir.path());
    let r = start(&sqlite(dir.path()), dir.path(), &[], 64 * 1024).await;
    let stored = payload_of(&completed_inspection("headers"));
    assert_eq!(r.post(&stored, None, None).await.0, 201);
    let id = stored["inspection"]["id"].as_str().unwrap().to_string();

    let get = |path: String, encoding: &'static str| {
        let request = r.client.get(format!("{}{path}", r.base)).header("accept-encoding", encoding);
        async move { request.send().await.unwrap() }
    };
    // Everywhere: no sniffing, no framing, no referrer.
    for path in ["/", "/health", "/office", "/api/inspections", "/no/such/page", "/sw.js"] {
        let response = get(path.to_string(), "identity").await;
        assert_eq!(header(&response, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&response, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&response, "referrer-policy"), "no-referrer", "{path}");
        assert!(header(&response, "content-security-policy").contains("frame-ancestors 'none'"), "{path}");
    }

    // The app: its inline script by hash, never 'unsafe-inline'; revalidated shell, cached
    // hashed files; brotli or gzip as accepted.
    let shell = get("/".into(), "br, gzip").await;
    let policy = header(&shell, "content-security-policy").to_string();
    assert!(policy.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {}", sha256_source("console.log('boot')"))), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(header(&shell, "cache-control"), "no-cache");
    assert_eq!(header(&get("/sw.js".into(), "identity").await, "cache-control"), "no-cache");
    let module = get("/safewalk-0123456789abcdef.js".into(), "br, gzip").await;
    assert_eq!((header(&module, "content-encoding"), header(&module, "cache-control")), ("br", "public, max-age=31536000, immutable"));
    assert!(header(&module, "vary").to_ascii_lowercase().contains("accept-encoding"));
    assert_eq!(module.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let module = get("/safewalk-0123456789abcdef.js".into(), "gzip").await;
    assert_eq!(header(&module, "content-encoding"), "gzip");
    let module = get("/safewalk-0123456789abcdef.js".into(), "identity").await;
    assert_eq!(header(&module, "content-encoding"), "");
    assert_eq!(module.text().await.unwrap(), "export default 1;");

    // The office: no script at all, its style by hash; the API: nothing runs, nothing stored.
    for path in ["/office".to_string(), format!("/office/{id}")] {
        let page = get(path.clone(), "identity").await;
        let policy = header(&page, "content-security-policy");
        assert!(
            policy.starts_with("default-src 'none';") && !policy.contains("script-src") && policy.contains("style-src 'sha256-"),
            "{path}: {policy}"
        );
        assert_eq!(header(&page, "cache-control"), "no-store", "{path}");
    }
    for path in [
        "/api/inspections".to_string(),
        format!("/api/inspections/{id}"),
        "/api/inspections.csv".into(),
        "/templates".into(),
        "/health".into(),
    ] {
        let response = get(path.clone(), "identity").await;
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
        assert_eq!(header(&response, "content-security-policy"), "default-src 'none'; frame-ancestors 'none'; sandbox", "{path}");
    }
}

#[tokio::test]
async fn office_text_and_csv_cells_cannot_act() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&sqlite(dir.path()), dir.path(), &[], 64 * 1024).await;
    let mut inspection = completed_inspection("note");
    inspection.site.name = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
    inspection.site.address = "\tcmd".into();
    inspection.site.enterprise = "\r=1+1".into();
    inspection.site.principal = "@SUM(A1)".into();
    inspection.site.principal_phone = "+86 138".into();
    inspection.team.department = "-2+3".into();
    inspection.team.inspectors = "Wang\u{202E}gnaW\0Li".into();
    assert_eq!(r.post(&payload_of(&inspection), None, None).await.0, 201);

    let (_, csv) = r.get_text("/api/inspections.csv").await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row.get(headers.iter().position(|h| h == name).unwrap()).unwrap().to_string();
    for (column, sent) in [
        ("site", &inspection.site.name),
        ("address", &inspection.site.address),
        ("enterprise", &inspection.site.enterprise),
        ("principal", &inspection.site.principal),
        ("principal_phone", &inspection.site.principal_phone),
        ("department", &inspection.team.department),
    ] {
        assert_eq!(cell(column), format!("'{sent}"), "{column}: a spreadsheet reads it as text");
    }
    let inspectors = cell("inspectors");
    assert!(!inspectors.contains('\u{202E}') && !inspectors.contains('\0'), "{inspectors:?}");
    assert!(inspectors.starts_with("Wang") && inspectors.ends_with("Li"), "{inspectors:?}");

    let (_, html) = r.get_text(&format!("/office/{}", inspection.id)).await;
    assert!(!html.contains('\u{202E}') && !html.contains('\0'), "bidi override and NUL are not sent raw");
    assert!(html.contains("Wang") && html.contains("gnaW"));
}

#[tokio::test]
async fn a_receipt_is_sent_only_for_a_durable_commit() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&sqlite(dir.path())).await.unwrap();
    assert!(store.commits_are_durable().await.unwrap(), "SQLite runs synchronous=FULL");
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_answered_408_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let r = start_with(Config { database_url: sqlite(dir.path()), request_timeout: Duration::from_secs(1), ..config() }).await;
    // A body that keeps arriving, too slowly to finish within the request time-out.
    let body = payload_of(&completed_inspection("trickled")).to_string();
    let stream = TcpStream::connect(r.base.trim_start_matches("http://")).await.unwrap();
    let (mut reading, mut writing) = stream.into_split();
    // Read while writing: the answer comes before the body is done, and a write after the
    // receiver closed would reset the connection and lose an answer not yet read.
    let reader = tokio::spawn(async move {
        let mut answer = Vec::new();
        let mut buffer = [0u8; 1024];
        while let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(4), reading.read(&mut buffer)).await {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..n]);
        }
        answer
    });
    let head = format!(
        "POST /inspections HTTP/1.1\r\nHost: x\r\n{}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        r.auth_line(),
        body.len()
    );
    writing.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.as_bytes().chunks(16).take(8) {
        if writing.write_all(chunk).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let answer = reader.await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("content-type: application/json") && answer.contains("{\"error\":"), "{answer}");
    assert_eq!(r.get_json("/api/inspections").await["total"], 0);
}
