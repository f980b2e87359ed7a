//! Who may do what, over real HTTP, on SQLite and PostgreSQL: every route × {no token, wrong
//! token, revoked token, inspector, supervisor in and out of scope, admin}; tokens never in
//! the database in clear; the submitter recorded from the token; the console's actions in
//! the audit trail.

mod support;

use reqwest::Method;
use safewalk_server::cli;
use safewalk_server::people::Role;
use safewalk_server::store::Store;
use serde_json::Value;
use support::*;
use uuid::Uuid;

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The listed id of a token, found by its hash as the receiver finds it.
async fn token_id(store: &Store, token: &str) -> String {
    let row = store.row("SELECT id FROM tokens WHERE hash = $1", vec![safewalk_server::people::secret_hash(token).into()]).await.unwrap();
    row.expect("issued")[0].text()
}

struct Caller {
    name: &'static str,
    token: Option<String>,
}

async fn call(r: &Receiver, method: Method, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = r.anonymous.request(method.clone(), format!("{}{path}", r.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if method == Method::POST && path.starts_with("/office/") {
        // The office's forms, as a browser posts them (with no session: no CSRF token).
        request = request.form(&[("csrf", ""), ("role", "inspector")]);
    } else if method == Method::POST {
        request = request.json(&payload_of(&completed_inspection("posted in the matrix")));
    }
    let reply = answer(request).await;
    (reply.status, reply.json())
}

async fn matrix(url: &str, check_file: Option<&std::path::Path>) {
    let dir = tempfile::tempdir().unwrap();
    let r = start(url, dir.path(), &[], 64 * 1024).await;
    let store = Store::open(url).await.unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let li = person_token(&store, "Li Na", Role::Inspector, "brigade-2", "pudong").await;
    let in_scope = person_token(&store, "Zhou (brigade 1)", Role::Supervisor, "brigade-1", "").await;
    let out_of_scope = person_token(&store, "Sun (brigade 2)", Role::Supervisor, "brigade-2", "").await;
    let admin = r.token.clone().unwrap();
    let revoked = person_token(&store, "Wang Wei", Role::Inspector, "", "").await;
    let wang_id = store.person_by_name("Wang Wei").await.unwrap().unwrap().id;
    cli::run(&store, &args(&["revoke", &token_id(&store, &revoked).await]), "", String::new).await.unwrap();

    // Wang delivers A (the payload names other inspectors: the token decides), Li delivers B.
    let mut a = completed_inspection("wang's");
    a.team.inspectors = "Somebody Else".into();
    let (status, _) = r.post(&payload_of(&a), None, Some(&wang)).await;
    assert_eq!(status, 201);
    let b = completed_inspection("li's");
    assert_eq!(r.post(&payload_of(&b), None, Some(&li)).await.0, 201);
    let photo = Uuid::new_v4();
    let bytes = jpeg(7, 100);
    let put = r
        .put_attachment(
            (&a.id.to_string(), &photo.to_string()),
            &bytes,
            Some("image/jpeg"),
            Some(&safewalk_server::sha256_hex(&bytes)),
            Some(&wang),
        )
        .await;
    assert_eq!(put.status, 201);
    let stored_a = r.get_json(&format!("/api/inspections/{}", a.id)).await;
    assert_eq!(stored_a["submitted_by"], wang_id.as_str(), "the submitter comes from the token");
    assert_eq!(store.attachment_info(a.id, photo).await.unwrap().unwrap().submitted_by.as_deref(), Some(wang_id.as_str()));

    let callers = [
        Caller { name: "no token", token: None },
        Caller { name: "wrong token", token: Some("swt_not-a-token".into()) },
        Caller { name: "revoked token", token: Some(revoked.clone()) },
        Caller { name: "inspector", token: Some(wang.clone()) },
        Caller { name: "other inspector", token: Some(li.clone()) },
        Caller { name: "supervisor in scope", token: Some(in_scope.clone()) },
        Caller { name: "supervisor out of scope", token: Some(out_of_scope.clone()) },
        Caller { name: "admin", token: Some(admin.clone()) },
    ];
    let attachment = format!("/inspections/{}/attachments/{photo}", a.id);
    let (ia, ib) = (format!("/api/inspections/{}", a.id), format!("/api/inspections/{}", b.id));
    let (oa, ob) = (format!("/office/{}", a.id), format!("/office/{}", b.id));
    // A's site: filed with Wang's scope (brigade 1, pudong).
    let site_a = store.row("SELECT site_id FROM inspections WHERE id = $1", vec![a.id.to_string().into()]).await.unwrap();
    let site_a = format!("/office/sites/{}", site_a.and_then(|r| r[0].opt_text()).expect("A is filed under a site"));
    // A task at A's site (in the in-scope supervisor's brigade, not the other's).
    let task_id = safewalk_server::people::new_id();
    let task = safewalk_server::store::tasks::NewTask {
        id: task_id.clone(),
        site_id: site_a.trim_start_matches("/office/sites/").to_string(),
        template_id: "graded-shop".into(),
        inspectors: vec![wang_id.clone()],
        due: "2099-12-31".into(),
        note: String::new(),
        created_by: None,
        kind: safewalk_core::assignment::pull::TaskKind::Inspection,
    };
    store.add_tasks(&[task], None, safewalk_server::now()).await.unwrap();
    let task_a = format!("/office/tasks/{task_id}");
    // A's hazard in the register (the first item of the fixture).
    let hazard_a = format!("/office/hazards/{}/{}", a.id, graded_shop().items().next().expect("an item").id);
    let (supervise_a, accept_a) = (format!("{hazard_a}/supervise"), format!("{hazard_a}/accept"));
    // Expected statuses per caller, in the order of `callers`.
    let table: Vec<(Method, &str, [u16; 8])> = vec![
        (Method::GET, "/health", [200; 8]),
        (Method::POST, "/inspections", [401, 401, 401, 201, 201, 201, 201, 201]),
        (Method::GET, &attachment, [401, 401, 401, 200, 404, 200, 404, 200]),
        (Method::HEAD, &attachment, [401, 401, 401, 200, 404, 200, 404, 200]),
        (Method::GET, "/templates", [401, 401, 401, 200, 200, 200, 200, 200]),
        // The pull: anyone with a person (those with no task get an empty answer).
        (Method::GET, "/sync", [401, 401, 401, 200, 200, 200, 200, 200]),
        (Method::GET, "/me", [401, 401, 401, 200, 200, 200, 200, 200]),
        (Method::GET, "/api/inspections", [401, 401, 401, 200, 200, 200, 200, 200]),
        (Method::GET, &ia, [401, 401, 401, 200, 404, 200, 404, 200]),
        (Method::GET, &ib, [401, 401, 401, 404, 200, 404, 200, 200]),
        (Method::GET, "/api/inspections.csv", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, "/office", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, &oa, [401, 401, 401, 403, 403, 200, 404, 200]),
        (Method::GET, &ob, [401, 401, 401, 403, 403, 404, 200, 200]),
        // The code is /join's credential: none here.
        (Method::POST, "/join", [401; 8]),
        (Method::GET, "/office/people", [401, 401, 401, 403, 403, 403, 403, 200]),
        (Method::GET, "/office/audit", [401, 401, 401, 403, 403, 403, 403, 200]),
        (Method::GET, "/office/audit.csv", [401, 401, 401, 403, 403, 403, 403, 200]),
        // The register of sites: supervisors within their scope, admins.
        (Method::GET, "/office/sites", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, &site_a, [401, 401, 401, 403, 403, 200, 404, 200]),
        (Method::GET, "/office/sites/import", [401, 401, 401, 403, 403, 200, 200, 200]),
        // Past the role check, the matrix's empty form lacks the import's fields.
        (Method::POST, "/office/sites/import", [401, 401, 401, 403, 403, 422, 422, 422]),
        (Method::GET, "/office/sites/nobody", [401, 401, 401, 403, 403, 404, 404, 404]),
        (Method::GET, "/office/sites/nobody/merge", [401, 401, 401, 403, 403, 404, 404, 404]),
        (Method::POST, "/office/sites/nobody/merge", [401, 401, 401, 403, 403, 404, 404, 404]),
        // Tasks: supervisors within their scope (of the task's site), admins; the matrix's
        // empty forms lack the fields. Draws are published: any office role opens them.
        (Method::GET, "/office/tasks", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::POST, "/office/tasks", [401, 401, 401, 403, 403, 422, 422, 422]),
        (Method::GET, "/office/tasks/new", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, &task_a, [401, 401, 401, 403, 403, 200, 404, 200]),
        (Method::GET, "/office/tasks/nobody", [401, 401, 401, 403, 403, 404, 404, 404]),
        (Method::POST, "/office/tasks/nobody/withdraw", [401, 401, 401, 403, 403, 404, 404, 404]),
        (Method::GET, "/office/draws", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::POST, "/office/draws", [401, 401, 401, 403, 403, 422, 422, 422]),
        (Method::GET, "/office/draws/nobody", [401, 401, 401, 403, 403, 404, 404, 404]),
        (Method::GET, "/office/draws/nobody/csv", [401, 401, 401, 403, 403, 404, 404, 404]),
        // The hazard register: supervisors within their scope, admins. Past the role and scope
        // checks, the matrix's empty forms lack the official and the note.
        (Method::GET, "/office/hazards", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, "/office/hazards.csv", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, &hazard_a, [401, 401, 401, 403, 403, 200, 404, 200]),
        (Method::POST, &supervise_a, [401, 401, 401, 403, 403, 422, 404, 422]),
        (Method::POST, &accept_a, [401, 401, 401, 403, 403, 422, 404, 422]),
        (Method::GET, "/office/hazards/nobody/nothing", [401, 401, 401, 403, 403, 404, 404, 404]),
        (Method::POST, "/office/hazards/nobody/nothing/supervise", [401, 401, 401, 403, 403, 404, 404, 404]),
        (Method::POST, "/office/hazards/nobody/nothing/accept", [401, 401, 401, 403, 403, 404, 404, 404]),
        // The figures: whoever sees the register, scoped as it is; a CSV must name its table.
        (Method::GET, "/office/figures", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, "/office/figures.csv", [401, 401, 401, 403, 403, 400, 400, 400]),
        (Method::GET, "/office/figures.xlsx", [401, 401, 401, 403, 403, 200, 200, 200]),
        // The papers (issue 15): serial blocks and particulars are the admin's (the matrix's
        // empty forms name no person and no size; blank particulars are saved, then shown);
        // the documents and the exchange export scoped as the register; /verify is anyone's.
        (Method::GET, "/office/serials", [401, 401, 401, 403, 403, 403, 403, 200]),
        (Method::POST, "/office/serials", [401, 401, 401, 403, 403, 403, 403, 422]),
        (Method::POST, "/office/serials/size", [401, 401, 401, 403, 403, 403, 403, 422]),
        (Method::GET, "/office/particulars", [401, 401, 401, 403, 403, 403, 403, 200]),
        (Method::POST, "/office/particulars", [401, 401, 401, 403, 403, 403, 403, 200]),
        (Method::GET, "/office/documents", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, "/office/hazards.exchange.json", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, "/office/hazards.exchange.csv", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::GET, "/verify", [200; 8]),
        (Method::GET, "/verify/0000000000000000000000000000000000000000000000000000000000000000", [200; 8]),
        // The admin's forms: a bearer token needs no CSRF token, so the admin's reach the
        // handler (a nameless person is refused, nobody's id is not found).
        (Method::POST, "/office/people", [401, 401, 401, 403, 403, 403, 403, 400]),
        (Method::POST, "/office/people/nobody", [401, 401, 401, 403, 403, 403, 403, 404]),
        (Method::POST, "/office/people/nobody/link", [401, 401, 401, 403, 403, 403, 403, 404]),
        (Method::POST, "/office/people/nobody/deactivate", [401, 401, 401, 403, 403, 403, 403, 404]),
        (Method::POST, "/office/tokens/nothing/revoke", [401, 401, 401, 403, 403, 403, 403, 404]),
        // A password is changed, and a session ended, only from an office session.
        (Method::GET, "/office/password", [401, 401, 401, 403, 403, 200, 200, 200]),
        (Method::POST, "/office/password", [401, 401, 401, 403, 403, 403, 403, 403]),
        (Method::POST, "/office/sign-out", [401, 401, 401, 403, 403, 403, 403, 403]),
        // The way in is open to anyone.
        (Method::GET, "/office/sign-in", [200; 8]),
        (Method::GET, "/office/welcome/swl_unknown", [200; 8]),
    ];
    let served: std::collections::BTreeSet<&str> = safewalk_server::api_paths().into_iter().collect();
    let covered = [
        "/health",
        "/join",
        "/inspections",
        "/inspections/{id}/attachments/{attachment_id}",
        "/templates",
        "/me",
        "/api/inspections",
        "/api/inspections/{id}",
        "/api/inspections.csv",
        "/office",
        "/office/{id}",
        "/sync",
    ];
    assert_eq!(served, covered.into_iter().collect(), "the matrix covers every route");
    let office: std::collections::BTreeSet<&str> = safewalk_server::office_paths().into_iter().collect();
    let in_table = |route: &str| {
        let pattern = route.replace("{id}", "nobody").replace("{inspection}", "nobody").replace("{item}", "nothing");
        table.iter().any(|(_, path, _)| *path == route || *path == pattern || *path == route.replace("{id}", "nothing"))
    };
    assert!(office.iter().all(|route| in_table(route)), "the matrix covers every office route: {office:?}");
    for (method, path, expected) in &table {
        for (caller, expected) in callers.iter().zip(expected) {
            let (status, body) = call(&r, method.clone(), path, caller.token.as_deref()).await;
            assert_eq!(status, *expected, "{method} {path} as {}: {body}", caller.name);
        }
    }
    // Lists are scoped the same way (the posts of the matrix added one record per caller
    // allowed to submit: each inspector and supervisor one of their own, the admin one).
    let total = |token: String| {
        let r = &r;
        async move { call(r, Method::GET, "/api/inspections", Some(&token)).await.1["total"].as_u64().unwrap() }
    };
    assert_eq!(total(wang.clone()).await, 2, "A and the inspector's own matrix post");
    assert_eq!(total(li.clone()).await, 2);
    // Brigade 1: Wang's two, and the in-scope supervisor's own post.
    assert_eq!(total(in_scope.clone()).await, 3);
    assert_eq!(total(out_of_scope.clone()).await, 3);
    assert_eq!(total(admin.clone()).await, 7);
    let me = call(&r, Method::GET, "/me", Some(&wang)).await.1;
    assert_eq!(
        (me["name"].as_str(), me["role"].as_str(), me["department"].as_str()),
        (Some("Wang Wei"), Some("inspector"), Some("brigade-1"))
    );

    // A revoked token fails at once; a deactivated person's tokens all do.
    let fresh = person_token(&store, "Li Na", Role::Inspector, "", "").await;
    assert_eq!(call(&r, Method::GET, "/me", Some(&fresh)).await.0, 200);
    let li_id = store.person_by_name("Li Na").await.unwrap().unwrap().id;
    cli::run(&store, &args(&["revoke", &token_id(&store, &fresh).await]), "", String::new).await.unwrap();
    assert_eq!(call(&r, Method::GET, "/me", Some(&fresh)).await.0, 401);
    assert!(store.tokens_of(&li_id).await.unwrap().iter().any(|t| t.last_used_at.is_some()), "last use recorded");
    assert_eq!(call(&r, Method::GET, "/me", Some(&li)).await.0, 200);
    cli::run(&store, &args(&["deactivate", "Li Na"]), "", String::new).await.unwrap();
    assert_eq!(call(&r, Method::GET, "/me", Some(&li)).await.0, 401);

    // No token is in the database in clear: only hashes.
    let all = [&wang, &li, &in_scope, &out_of_scope, &admin, &revoked, &fresh];
    for row in store.rows("SELECT hash, id, label FROM tokens", vec![]).await.unwrap() {
        for token in all {
            assert!(row.iter().all(|cell| !cell.text().contains(token.as_str())), "a token in clear: {row:?}");
        }
    }
    if let Some(path) = check_file {
        let mut bytes = std::fs::read(path).unwrap();
        bytes.extend(std::fs::read(format!("{}-wal", path.display())).unwrap_or_default());
        for token in all {
            let needle = token.as_bytes();
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "a token in the database file");
        }
    }

    // Each console action left its line.
    let audit = store.audit_entries(0, 500).await.unwrap();
    let count = |action: &str| audit.iter().filter(|e| e.action == action).count();
    assert_eq!(count("person-added"), 5, "{audit:?}");
    assert_eq!(count("token-issued"), 7);
    assert_eq!(count("token-revoked"), 2);
    assert_eq!(count("person-deactivated"), 1);
    let by_requests = ["sign-in-link-refused", "task-taken", "particulars-set"];
    assert!(audit.iter().filter(|e| !by_requests.contains(&e.action.as_str())).all(|e| e.actor == "console" && e.address == "console"));
    assert_eq!(count("task-taken"), 1, "Wang's pull in the matrix took A's task");
    assert_eq!(count("sign-in-link-refused"), 8, "each POST /join of the matrix, anonymous, from 127.0.0.1");
    assert_eq!(count("particulars-set"), 1, "the admin's post of the matrix");
    // And it cannot be rewritten.
    assert!(store.rows("UPDATE audit SET actor = 'someone else'", vec![]).await.is_err());
    assert!(store.rows("DELETE FROM audit", vec![]).await.is_err());
}

#[tokio::test]
async fn the_role_matrix_holds_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("safewalk.sqlite3");
    matrix(&path.display().to_string(), Some(&path)).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn the_role_matrix_holds_on_postgres() {
    matrix(&postgres_database().await, None).await;
}

#[tokio::test]
async fn the_first_start_creates_one_admin_and_one_link() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("first.sqlite3").display().to_string();
    let store = Store::open(&url).await.unwrap();
    let link = cli::first_admin(&store, "http://127.0.0.1:8080").await.unwrap().expect("a link on the first start");
    assert!(link.starts_with("http://127.0.0.1:8080/office/welcome/swl_"), "{link}");
    assert_eq!(cli::first_admin(&store, "http://127.0.0.1:8080").await.unwrap(), None, "once");
    let people = store.people().await.unwrap();
    assert_eq!(people.iter().map(|p| (p.name.as_str(), p.role)).collect::<Vec<_>>(), [(cli::FIRST_ADMIN, Role::Admin)]);
    let code = link.rsplit('/').next().unwrap();
    assert_eq!(store.take_sign_in(code, safewalk_server::now()).await.unwrap().map(|p| p.name), Some("admin".into()));
    assert_eq!(store.take_sign_in(code, safewalk_server::now()).await.unwrap(), None, "a one-time link works once");
}

/// A form post as a browser sends it from an office page, without following the redirect.
async fn form(r: &Receiver, path: &str, fields: &[(&str, &str)], cookie: Option<&str>, origin: Option<&str>) -> Reply {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let body: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
                    .collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let mut request = client.post(format!("{}{path}", r.base)).header("content-type", "application/x-www-form-urlencoded").body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    answer(request).await
}

async fn page(r: &Receiver, path: &str, cookie: Option<&str>) -> (u16, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut request = client.get(format!("{}{path}", r.base)).header("accept", "text/html");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let reply = answer(request).await;
    (reply.status, String::from_utf8_lossy(&reply.body).to_string())
}

/// `name=value` of a Set-Cookie.
fn cookie_of(reply: &Reply) -> String {
    reply.header("set-cookie").expect("a cookie").split(';').next().unwrap().to_string()
}

async fn office_sign_in(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let r = start_with(support::Config { database_url: url.to_string(), static_dir: dir.path().to_path_buf(), ..config() }).await;
    let store = Store::open(url).await.unwrap();
    let password = "a long office password";
    person_token(&store, "Zhou", Role::Supervisor, "brigade-1", "").await;
    cli::run(&store, &args(&["password", "Zhou"]), "", || password.to_string()).await.unwrap();
    person_token(&store, "Wang", Role::Inspector, "brigade-1", "").await;
    cli::run(&store, &args(&["password", "Wang"]), "", || password.to_string()).await.unwrap();
    assert!(cli::run(&store, &args(&["password", "Wang"]), "", || "short".to_string()).await.is_err());

    // Without a session a browser is sent to sign in; an API client gets the 401.
    let (status, _) = page(&r, "/office", None).await;
    assert_eq!(status, 303);
    assert_eq!(r.anonymous.get(format!("{}/office", r.base)).send().await.unwrap().status().as_u16(), 401);
    let (status, html) = page(&r, "/office/sign-in", None).await;
    assert!(status == 200 && html.contains("name=\"password\""), "{html}");

    let signed_in = form(&r, "/office/sign-in", &[("name", "Zhou"), ("password", password)], None, Some(&r.base)).await;
    assert_eq!(signed_in.status, 303);
    let set_cookie = signed_in.header("set-cookie").unwrap().to_string();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain http on this machine: {set_cookie}");
    let cookie = cookie_of(&signed_in);
    let (status, html) = page(&r, "/office", Some(&cookie)).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Zhou (supervisor)"), "{html}");
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the sign-out form's CSRF token");
    // The cookie reads; it never writes through the API.
    let post = r
        .anonymous
        .post(format!("{}/inspections", r.base))
        .header("cookie", &cookie)
        .json(&payload_of(&completed_inspection("c")))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status().as_u16(), 401);

    // CSRF: no token, a wrong one, or another site's page: refused; the session lives on.
    assert_eq!(form(&r, "/office/sign-out", &[], Some(&cookie), None).await.status, 403);
    assert_eq!(form(&r, "/office/sign-out", &[("csrf", "wrong")], Some(&cookie), None).await.status, 403);
    assert_eq!(form(&r, "/office/sign-out", &[("csrf", csrf)], Some(&cookie), Some("https://evil.example")).await.status, 403);
    assert_eq!(page(&r, "/office", Some(&cookie)).await.0, 200);
    let out = form(&r, "/office/sign-out", &[("csrf", csrf)], Some(&cookie), Some(&r.base)).await;
    assert_eq!(out.status, 303);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(page(&r, "/office", Some(&cookie)).await.0, 303, "the session ended in the database");

    // An inspector has no office, password or not (the form again, as a page a browser shows,
    // with the message); another site's sign-in form is refused.
    let refused = form(&r, "/office/sign-in", &[("name", "Wang"), ("password", password)], None, None).await;
    assert_eq!((refused.status, refused.header("content-type")), (401, Some("text/html; charset=utf-8")));
    assert!(String::from_utf8_lossy(&refused.body).contains("<p class=\"hazard\" role=\"alert\">姓名或密码错误"));
    assert_eq!(
        form(&r, "/office/sign-in", &[("name", "Zhou"), ("password", password)], None, Some("https://evil.example")).await.status,
        403
    );

    // Limits: after 5 failures under one name, even the right password waits.
    for _ in 0..5 {
        assert_eq!(form(&r, "/office/sign-in", &[("name", "Zhou"), ("password", "guess guess guess")], None, None).await.status, 401);
    }
    let refused = form(&r, "/office/sign-in", &[("name", "Zhou"), ("password", password)], None, None).await;
    assert_eq!(refused.status, 429);
    assert!(refused.header("retry-after").is_some());

    // A welcome link sets a password once.
    person_token(&store, "Huang", Role::Admin, "", "").await;
    let link = cli::run(&store, &args(&["link", "Huang"]), &r.base, String::new).await.unwrap();
    let path = link.strip_prefix(&r.base).unwrap().to_string();
    assert!(path.starts_with("/office/welcome/swl_"), "{path}");
    let (status, html) = page(&r, &path, None).await;
    assert!(status == 200 && html.contains("type=\"hidden\" name=\"code\""), "{html}");
    let code = path.rsplit('/').next().unwrap();
    assert_eq!(form(&r, "/office/welcome", &[("code", code), ("password", "short")], None, None).await.status, 400);
    let welcomed = form(&r, "/office/welcome", &[("code", code), ("password", "huang's own password")], None, None).await;
    assert_eq!(welcomed.status, 303);
    let (status, html) = page(&r, "/office", Some(&cookie_of(&welcomed))).await;
    assert!(status == 200 && html.contains("Huang (admin)") && html.contains("/office/people"), "{html}");
    assert_eq!(form(&r, "/office/welcome", &[("code", code), ("password", "another password!")], None, None).await.status, 401, "once");
    assert_eq!(form(&r, "/office/sign-in", &[("name", "Huang"), ("password", "huang's own password")], None, None).await.status, 303);

    let audit = store.audit_entries(0, 500).await.unwrap();
    let count = |action: &str| audit.iter().filter(|e| e.action == action).count();
    assert_eq!(count("sign-in"), 3, "{audit:#?}");
    assert_eq!(count("sign-in-failed"), 6, "Wang's and five guesses");
    assert_eq!(count("sign-in-refused"), 1);
    assert_eq!(count("sign-out"), 1);
    assert_eq!(count("sign-in-link-refused"), 1);
    let sign_in = audit.iter().find(|e| e.action == "sign-in").unwrap();
    assert_eq!(sign_in.address, "127.0.0.1");
    assert!(sign_in.actor_id.is_some());
}

#[tokio::test]
async fn the_office_signs_in_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    office_sign_in(&dir.path().join("office.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn the_office_signs_in_on_postgres() {
    office_sign_in(&postgres_database().await).await;
}

#[tokio::test]
async fn the_session_cookie_is_secure_behind_https() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("https.sqlite3").display().to_string();
    let r =
        start_with(support::Config { database_url: url.clone(), public_url: Some("https://office.example.cn".into()), ..config() }).await;
    let store = Store::open(&url).await.unwrap();
    person_token(&store, "Zhou", Role::Supervisor, "", "").await;
    cli::run(&store, &args(&["password", "Zhou"]), "", || "a long office password".to_string()).await.unwrap();
    let reply = form(&r, "/office/sign-in", &[("name", "Zhou"), ("password", "a long office password")], None, None).await;
    assert_eq!(reply.status, 303);
    assert!(reply.header("set-cookie").unwrap().contains("; Secure"));
}

async fn admin_pages(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let r = start_with(support::Config { database_url: url.to_string(), static_dir: dir.path().to_path_buf(), ..config() }).await;
    let store = Store::open(url).await.unwrap();
    let admin = r.token.clone().unwrap();
    cli::run(&store, &args(&["password", "test admin"]), "", || "the admin's password".to_string()).await.unwrap();
    let signed_in = form(&r, "/office/sign-in", &[("name", "test admin"), ("password", "the admin's password")], None, None).await;
    let cookie = cookie_of(&signed_in);
    let (status, html) = page(&r, "/office/people", Some(&cookie)).await;
    assert_eq!(status, 200, "{html}");
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_string();

    // Adding a person: the form's CSRF token is required with the cookie.
    let fields =
        [("name", "Wang <Wei>"), ("role", "inspector"), ("department", "brigade-1"), ("district", ""), ("certificate", "31000012")];
    assert_eq!(form(&r, "/office/people", &fields, Some(&cookie), None).await.status, 403);
    let mut with_csrf = fields.to_vec();
    with_csrf.push(("csrf", &csrf));
    assert_eq!(form(&r, "/office/people", &with_csrf, Some(&cookie), None).await.status, 303);
    assert_eq!(form(&r, "/office/people", &with_csrf, Some(&cookie), None).await.status, 409, "names are unique");
    let (_, html) = page(&r, "/office/people", Some(&cookie)).await;
    assert!(html.contains("Wang &lt;Wei&gt;") && !html.contains("Wang <Wei>"), "escaped by the template engine: {html}");
    let wang = store.person_by_name("Wang <Wei>").await.unwrap().unwrap();
    assert_eq!((wang.role, wang.certificate.as_str()), (Role::Inspector, "31000012"));

    // Changing role and scope: audited with what changed; the scope applies at once.
    let change = [("role", "supervisor"), ("department", "brigade-2"), ("district", "pudong"), ("certificate", "31000012")];
    assert_eq!(form(&r, &format!("/office/people/{}", wang.id), &change, Some(&cookie), None).await.status, 403, "no CSRF token");
    let mut with_csrf = change.to_vec();
    with_csrf.push(("csrf", &csrf));
    assert_eq!(form(&r, &format!("/office/people/{}", wang.id), &with_csrf, Some(&cookie), None).await.status, 303);
    let changed = store.person(&wang.id).await.unwrap().unwrap();
    assert_eq!((changed.role, changed.department.as_str(), changed.district.as_str()), (Role::Supervisor, "brigade-2", "pudong"));
    let line = store.audit_entries(0, 1).await.unwrap().remove(0);
    assert_eq!(line.action, "person-changed");
    assert_eq!(
        line.detail,
        "role: \"inspector\" -> \"supervisor\"; department: \"brigade-1\" -> \"brigade-2\"; district: \"\" -> \"pudong\""
    );
    let back = [("role", "inspector"), ("department", "brigade-1"), ("district", ""), ("certificate", "31000012"), ("csrf", &csrf)];
    assert_eq!(form(&r, &format!("/office/people/{}", wang.id), &back, Some(&cookie), None).await.status, 303);
    let wang = store.person(&wang.id).await.unwrap().unwrap();
    assert_eq!(wang.role, Role::Inspector);

    // A one-time link with its QR code; the phone trades it for a token, once.
    let issued = form(&r, &format!("/office/people/{}/link", wang.id), &[("csrf", &csrf)], Some(&cookie), None).await;
    assert_eq!(issued.status, 200);
    let html = String::from_utf8_lossy(&issued.body).to_string();
    assert!(html.contains("<svg") && !html.contains("<script"), "{html}");
    let link = html.split("data-testid=\"sign-in-link\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap().to_string();
    assert!(link.starts_with(&format!("{}/#/join/swl_", r.base)), "{link}");
    let code = link.rsplit('/').next().unwrap();
    let joined = answer(
        r.anonymous.post(format!("{}/join", r.base)).json(&serde_json::json!({ "code": code, "label": "Wang's phone\u{202E}exe.gpj" })),
    )
    .await;
    assert_eq!(joined.status, 201, "{:?}", joined.json());
    let token = joined.json()["token"].as_str().unwrap().to_string();
    assert_eq!(joined.json()["person"]["name"], "Wang <Wei>");
    assert_eq!(call(&r, Method::GET, "/me", Some(&token)).await.1["name"], "Wang <Wei>");
    let again = answer(r.anonymous.post(format!("{}/join", r.base)).json(&serde_json::json!({ "code": code }))).await;
    assert_eq!(again.status, 401, "the link fails a second time");

    // Revoking from the office, then deactivating.
    let listed = store.tokens_of(&wang.id).await.unwrap();
    let device = listed.iter().find(|t| t.kind == "device").unwrap();
    assert_eq!(device.label, "Wang's phone\u{202E}exe.gpj");
    let (_, html) = page(&r, "/office/people", Some(&cookie)).await;
    assert!(html.contains("Wang's phone\u{FFFD}exe.gpj") && !html.contains('\u{202E}'), "the label cannot disguise itself: {html}");
    let revoke = form(&r, &format!("/office/tokens/{}/revoke", device.id), &[("csrf", &csrf)], Some(&cookie), None).await;
    assert_eq!(revoke.status, 303);
    assert_eq!(call(&r, Method::GET, "/me", Some(&token)).await.0, 401);
    let deactivated = form(&r, &format!("/office/people/{}/deactivate", wang.id), &[], None, None).await;
    assert_eq!(deactivated.status, 401, "a form without a session or token");
    let by_token = r.client.post(format!("{}/office/people/{}/deactivate", r.base, wang.id)).form(&[("csrf", "")]).send().await.unwrap();
    assert!(by_token.status().is_success(), "an admin's bearer token needs no CSRF token (no browser adds it): redirected to the page");
    assert!(!store.person(&wang.id).await.unwrap().unwrap().active);

    // The audit: every office action with who and from where, as a page and as CSV.
    let (status, html) = page(&r, "/office/audit", Some(&cookie)).await;
    assert_eq!(status, 200);
    for action in
        ["person-added", "sign-in-link-issued", "token-issued", "token-revoked", "person-deactivated", "sign-in", "sign-in-link-refused"]
    {
        assert!(html.contains(&format!("<td>{action}</td>")), "{action}: {html}");
    }
    let csv = answer(r.client.get(format!("{}/office/audit.csv", r.base))).await;
    let text = String::from_utf8_lossy(&csv.body).to_string();
    assert!(text.starts_with("seq,at,actor,actor_id,action,subject,detail,address\n"), "{text}");
    let office_actions: Vec<&str> = text.lines().filter(|l| l.contains("test admin (admin)") && l.contains("127.0.0.1")).collect();
    assert!(office_actions.iter().any(|l| l.contains(",person-added,") && l.contains("Wang <Wei> (inspector)")), "{text}");
    assert!(office_actions.iter().any(|l| l.contains(",person-deactivated,")), "{text}");
    let _ = admin;
}

#[tokio::test]
async fn the_admin_pages_work_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    admin_pages(&dir.path().join("admin.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn the_admin_pages_work_on_postgres() {
    admin_pages(&postgres_database().await).await;
}

/// The CSRF token of an office page's forms.
fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a form's CSRF token").to_string()
}

/// A signed-in office person changes their own password: the current one is checked (and
/// wrong guesses count against the name's sign-in limit), the new one must be long enough,
/// the form needs the session's CSRF token; after it, their other sessions are over, this
/// one lives on, only the new password signs in, and the audit says so.
async fn password_change(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let r = start_with(support::Config { database_url: url.to_string(), static_dir: dir.path().to_path_buf(), ..config() }).await;
    let store = Store::open(url).await.unwrap();
    let old = "the old office password";
    let new = "the new office password";
    person_token(&store, "Zhou", Role::Supervisor, "brigade-1", "").await;
    cli::run(&store, &args(&["password", "Zhou"]), "", || old.to_string()).await.unwrap();
    let sign_in = |password: &'static str| {
        let r = &r;
        async move { form(r, "/office/sign-in", &[("name", "Zhou"), ("password", password)], None, None).await }
    };
    let here = cookie_of(&sign_in(old).await);
    let elsewhere = cookie_of(&sign_in(old).await);
    let (status, html) = page(&r, "/office/password", Some(&here)).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("href=\"/office/password\"") && html.contains("name=\"current\"") && html.contains("name=\"new\""), "{html}");
    let csrf = csrf_of(&html);
    let change = |fields: Vec<(&'static str, String)>, origin: Option<String>| {
        let (r, here) = (&r, here.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form(r, "/office/password", &fields, Some(&here), origin.as_deref()).await
        }
    };
    let with =
        |csrf: &str, current: &str, new: &str| vec![("csrf", csrf.to_string()), ("current", current.to_string()), ("new", new.to_string())];

    assert_eq!(change(with("", old, new), None).await.status, 403, "no CSRF token");
    assert_eq!(change(with("wrong", old, new), None).await.status, 403);
    assert_eq!(change(with(&csrf, old, new), Some("https://evil.example".into())).await.status, 403, "another site's page");
    let short = change(with(&csrf, old, "short"), None).await;
    assert_eq!(short.status, 400);
    assert!(String::from_utf8_lossy(&short.body).contains("新密码至少10个字符"));
    let wrong = change(with(&csrf, "not the password", new), None).await;
    assert_eq!(wrong.status, 403);
    assert!(String::from_utf8_lossy(&wrong.body).contains("当前密码错误"));
    assert_eq!(sign_in(new).await.status, 401, "nothing changed yet");

    let changed = change(with(&csrf, old, new), Some(r.base.clone())).await;
    assert_eq!(changed.status, 200, "{}", String::from_utf8_lossy(&changed.body));
    assert!(String::from_utf8_lossy(&changed.body).contains("密码已修改"));
    assert_eq!(page(&r, "/office", Some(&here)).await.0, 200, "this session goes on");
    assert_eq!(page(&r, "/office", Some(&elsewhere)).await.0, 303, "the other session is over");
    assert_eq!(sign_in(old).await.status, 401);
    assert_eq!(sign_in(new).await.status, 303);

    let audit = store.audit_entries(0, 100).await.unwrap();
    let line = |action: &str| audit.iter().find(|e| e.action == action).unwrap_or_else(|| panic!("no {action}: {audit:?}")).clone();
    let done = line("password-changed");
    assert_eq!(
        (done.actor.as_str(), done.subject.as_str(), done.address.as_str()),
        ("Zhou (supervisor)", "Zhou (supervisor)", "127.0.0.1")
    );
    assert!(done.detail.contains("1 other session(s) ended"), "{done:?}");
    assert_eq!(line("password-change-failed").detail, "wrong current password");

    // Guessing through a session stops at the name's sign-in limit (counted afresh: the
    // sign-in just now cleared the name's failures).
    let here = cookie_of(&sign_in(new).await);
    let csrf = csrf_of(&page(&r, "/office/password", Some(&here)).await.1);
    let guess = |here: String, csrf: String| {
        let r = &r;
        async move {
            form(r, "/office/password", &[("csrf", &csrf), ("current", "a guess, a guess"), ("new", "whatever it is")], Some(&here), None)
                .await
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(guess(here.clone(), csrf.clone()).await.status);
    }
    assert_eq!(statuses, [403, 403, 403, 403, 403, 429], "the sign-in limit of 5 per name");
    assert_eq!(sign_in(new).await.status, 429, "and it holds for signing in too");
}

#[tokio::test]
async fn an_office_person_changes_their_password_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    password_change(&dir.path().join("password.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn an_office_person_changes_their_password_on_postgres() {
    password_change(&postgres_database().await).await;
}
