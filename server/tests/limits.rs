//! The receiver's limits over real HTTP: whose address the sign-in limits and the audit see
//! behind a reverse proxy, the limit on failed one-time sign-in links per address (in the
//! database, on SQLite and PostgreSQL), and the purge of expired sessions and old failures.

mod support;

use std::time::Duration;

use safewalk_server::cleanup;
use safewalk_server::people::Role;
use safewalk_server::store::Store;
use support::*;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// A failed office sign-in sent with `X-Forwarded-For`: the address its audit line and its
/// limit key record.
async fn failed_sign_in_address(trusted_proxies: &str, forwarded_for: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("proxy.sqlite3").display().to_string();
    let trusted_proxies = safewalk_server::config::trusted_proxies(trusted_proxies).unwrap();
    let r = start_with(Config { database_url: url.clone(), static_dir: dir.path().to_path_buf(), trusted_proxies, ..config() }).await;
    let request = no_redirects()
        .post(format!("{}/office/sign-in", r.base))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("name", "Zhou"), ("password", "not the password")]);
    assert_eq!(answer(request).await.status, 401);
    let store = Store::open(&url).await.unwrap();
    let audit = store.audit_entries(0, 10).await.unwrap();
    let failed = audit.iter().find(|e| e.action == "sign-in-failed").expect("the failure is audited");
    assert_eq!(store.failures_since(&format!("address:{}", failed.address), 0).await.unwrap(), 1, "limited under the same address");
    failed.address.clone()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_seen_and_a_forged_header_is_not() {
    // The tests' client connects from 127.0.0.1: as the proxy, or as a client forging the header.
    assert_eq!(failed_sign_in_address("127.0.0.1", "198.51.100.9, 203.0.113.7").await, "203.0.113.7", "the right-most hop");
    assert_eq!(failed_sign_in_address("127.0.0.0/8, 203.0.113.0/24", "198.51.100.9, 203.0.113.7").await, "198.51.100.9");
    assert_eq!(failed_sign_in_address("", "203.0.113.7").await, "127.0.0.1", "no proxy trusted: the header is ignored");
    assert_eq!(failed_sign_in_address("10.0.0.0/8", "203.0.113.7").await, "127.0.0.1", "from a peer that is not a trusted proxy");
}

/// `POST /join` with `code`, from the address `forwarded_for` names (the receiver trusts the
/// tests' 127.0.0.1 as a proxy).
async fn join(r: &Receiver, code: &str, forwarded_for: &str) -> Reply {
    answer(r.anonymous.post(format!("{}/join", r.base)).header("x-forwarded-for", forwarded_for).json(&serde_json::json!({ "code": code })))
        .await
}

/// After 10 unknown codes from one address, `/join` answers 429 there (even for a good code,
/// which stays good) and nowhere else; the limit is in the database, so a second receiver on
/// the same database refuses too.
async fn join_is_limited(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let trusted_proxies = safewalk_server::config::trusted_proxies("127.0.0.1").unwrap();
    let settings = || Config {
        database_url: url.to_string(),
        static_dir: dir.path().to_path_buf(),
        trusted_proxies: trusted_proxies.clone(),
        ..config()
    };
    let (r, other_receiver) = (start_with(settings()).await, start_with(settings()).await);
    let store = Store::open(url).await.unwrap();
    person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "").await;
    let wang = store.person_by_name("Wang Wei").await.unwrap().unwrap();
    let link = safewalk_server::cli::sign_in_link(&store, &wang, "http://x", safewalk_server::cli::console_entry("", "", String::new()));
    let good = link.await.unwrap().rsplit('/').next().unwrap().to_string();
    let guesser = "198.51.100.9";
    for n in 0..10 {
        let reply = join(&r, &format!("swl_guess{n}"), guesser).await;
        assert_eq!(reply.status, 401, "guess {n}: {:?}", reply.json());
    }
    for receiver in [&r, &other_receiver] {
        let refused = join(receiver, &good, guesser).await;
        assert_eq!(refused.status, 429, "{:?}", refused.json());
        assert_eq!(refused.header("retry-after"), Some("900"));
        assert!(refused.json()["error"].as_str().unwrap().contains("wait 15 minutes"), "{:?}", refused.json());
    }
    let joined = join(&r, &good, "203.0.113.7").await;
    assert_eq!(joined.status, 201, "another address; the good code was not used up: {:?}", joined.json());
    assert_eq!(join(&r, &good, "203.0.113.7").await.status, 401, "once");
    let audit = store.audit_entries(0, 100).await.unwrap();
    let refused = audit.iter().filter(|e| e.action == "sign-in-link-refused" && e.address == guesser).collect::<Vec<_>>();
    assert_eq!(refused.len(), 12, "each guess and each refusal, under the guesser's address: {audit:?}");
    assert_eq!(refused.iter().filter(|e| e.detail == "too many failed attempts").count(), 2);
}

#[tokio::test]
async fn join_is_limited_per_address_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    join_is_limited(&dir.path().join("join.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn join_is_limited_per_address_on_postgres() {
    join_is_limited(&postgres_database().await).await;
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    store.row(sql, vec![]).await.unwrap().unwrap()[0].int()
}

/// The cleanup task deletes expired sessions and failures outside the limits' window, and
/// leaves live sessions and recent failures alone.
async fn expired_rows_are_purged(url: &str) {
    let store = Store::open(url).await.unwrap();
    person_token(&store, "Zhou", Role::Supervisor, "", "").await;
    let zhou = store.person_by_name("Zhou").await.unwrap().unwrap();
    let now = safewalk_server::now();
    let hour = 3_600_000;
    store.add_session("sws_expired", &zhou.id, "c1", now - 1, now - 12 * hour).await.unwrap();
    store.add_session("sws_live", &zhou.id, "c2", now + hour, now).await.unwrap();
    store.sign_in_failed(&["name:zhou".into(), "join:198.51.100.9".into()], now - 2 * hour).await.unwrap();
    store.sign_in_failed(&["name:zhou".into()], now - 60_000).await.unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM sessions").await, 2);

    let task = tokio::spawn(cleanup::run(store.clone(), Duration::from_millis(50)));
    let mut sessions = 2;
    for _ in 0..100 {
        sessions = count(&store, "SELECT COUNT(*) FROM sessions").await;
        if sessions == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    task.abort();
    assert_eq!(sessions, 1, "the expired session is gone");
    assert!(store.session("sws_live", now).await.unwrap().is_some(), "the live one stays");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM sign_in_failures").await, 1, "only the recent failure stays");
    assert_eq!(store.failures_since("name:zhou", now - hour).await.unwrap(), 1);
    assert_eq!(cleanup::purge(&store, safewalk_server::now()).await.unwrap(), (0, 0), "nothing left to purge");
}

#[tokio::test]
async fn expired_sessions_and_old_failures_are_purged_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    expired_rows_are_purged(&dir.path().join("purge.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run through scripts/with-postgres with --include-ignored"]
async fn expired_sessions_and_old_failures_are_purged_on_postgres() {
    expired_rows_are_purged(&postgres_database().await).await;
}
