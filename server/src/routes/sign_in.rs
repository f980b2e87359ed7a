//! The office's way in: sign-in with a name and password (argon2), a session cookie
//! (HttpOnly, SameSite=Strict, Secure under https), sign-out, and the one-time welcome link
//! that lets a new supervisor or admin set their password. Sessions, failed attempts and the
//! audit are in the database, so several receivers can serve one PostgreSQL.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::language::say;
use super::peer::Peer;
use super::session::COOKIE;
use super::{error, now_millis};
use crate::html::layout;
use crate::people::{self, Person, Principal, SESSION_PREFIX};
use crate::store::people::AuditEntry;
use crate::store::StoreError;
use crate::AppState;
use maud::{html, Markup};

/// How long an office session lasts: 12 hours (a working day), then sign in again.
pub const SESSION_LIFETIME_MS: u64 = 12 * 3600 * 1000;
/// The window failed sign-ins are counted in.
pub const FAILURE_WINDOW_MS: u64 = 15 * 60 * 1000;
/// Failed sign-ins allowed in the window under one name, and from one address.
pub const NAME_LIMIT: u64 = 5;
pub const ADDRESS_LIMIT: u64 = 20;

/// Whether another attempt may be checked, given the failures in the window.
pub fn may_try(name_failures: u64, address_failures: u64) -> bool {
    name_failures < NAME_LIMIT && address_failures < ADDRESS_LIMIT
}

/// The session's CSRF token, on requests that came with a session cookie.
#[derive(Clone, Debug)]
pub struct Csrf(pub String);

/// An audit line for something done over HTTP.
pub fn entry(actor: Option<&Person>, action: &str, subject: &str, detail: String, address: &str) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: now_millis(),
        actor: actor.map(Person::label).unwrap_or_else(|| "anonymous".into()),
        actor_id: actor.map(|p| p.id.clone()),
        action: action.into(),
        subject: subject.into(),
        detail,
        address: address.into(),
    }
}

/// An office form came from an office page: no other site's page may post it (the cookie is
/// SameSite=Strict already; this is the second lock for browsers that send `Origin`).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let from_here = |origin: &str| origin.split_once("://").is_some_and(|(_, rest)| rest == host);
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    // Under `Referrer-Policy: no-referrer` a browser posts `Origin: null`: then the fetch
    // metadata must say same-origin.
    let origin_ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some("null") => site == Some("same-origin"),
        Some(origin) => from_here(origin),
    };
    origin_ok && site.is_none_or(|s| s == "same-origin" || s == "none")
}

fn form_page(title: &str, message: Option<&str>, fields: Markup, action: &str, button: &str) -> String {
    layout(
        title,
        None,
        html! {
            h1 { (title) }
            @if let Some(message) = message { p.hazard role="alert" { (message) } }
            form method="post" action=(action) {
                (fields)
                p { button type="submit" { (button) } }
            }
        },
    )
    .into_string()
}

fn sign_in_fields() -> Markup {
    html! {
        p { label { (say("姓名", "Name")) br; input name="name" autocomplete="username" required; } }
        p { label { (say("密码", "Password")) br; input name="password" type="password" autocomplete="current-password" required; } }
    }
}

fn welcome_fields(code: &str) -> Markup {
    html! {
        input type="hidden" name="code" value=(code);
        p { label { (say("新密码（至少10个字符）", "New password (10 characters or more)")) br;
            input name="password" type="password" autocomplete="new-password" required minlength="10"; } }
    }
}

fn sign_in_page(status: StatusCode, message: Option<&str>) -> Response {
    (status, Html(form_page(say("办公室登录", "Office sign-in"), message, sign_in_fields(), "/office/sign-in", say("登录", "Sign in"))))
        .into_response()
}

pub async fn sign_in_form() -> Response {
    sign_in_page(StatusCode::OK, None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignIn {
    name: String,
    password: String,
}

/// Starts a session for `person`: the cookie, and a redirect to the office.
async fn start_session(state: &AppState, person: &Person) -> Result<Response, StoreError> {
    let secret = people::new_secret(SESSION_PREFIX);
    let csrf = people::new_secret("");
    let now = now_millis();
    state.store.add_session(&secret, &person.id, &csrf, now + SESSION_LIFETIME_MS, now).await?;
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{COOKIE}={secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}", SESSION_LIFETIME_MS / 1000);
    let mut response = Redirect::to("/office").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

pub async fn sign_in(State(state): State<Arc<AppState>>, peer: Peer, headers: HeaderMap, Form(form): Form<SignIn>) -> Response {
    match try_sign_in(&state, &peer.0, &headers, form).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn try_sign_in(state: &AppState, address: &str, headers: &HeaderMap, form: SignIn) -> Result<Response, StoreError> {
    if !same_origin(headers) {
        return Ok(error(StatusCode::FORBIDDEN, "this form posts only from this receiver's own pages"));
    }
    let name = form.name.trim().to_string();
    let now = now_millis();
    let since = now.saturating_sub(FAILURE_WINDOW_MS);
    let (name_key, address_key) = (format!("name:{}", name.to_lowercase()), format!("address:{address}"));
    let store = &state.store;
    if !may_try(store.failures_since(&name_key, since).await?, store.failures_since(&address_key, since).await?) {
        store.audit(&entry(None, "sign-in-refused", &name, "too many failed attempts".into(), address)).await?;
        let mut response = sign_in_page(
            StatusCode::TOO_MANY_REQUESTS,
            Some(say("尝试次数过多，请15分钟后再试。", "Too many failed attempts: wait 15 minutes.")),
        );
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(FAILURE_WINDOW_MS / 1000));
        return Ok(response);
    }
    let found = store.password_of(&name).await?;
    let verified = verify(form.password, found.as_ref().and_then(|(_, h)| h.clone())).await;
    match found {
        Some((person, Some(_))) if verified && person.active && person.role.may(people::Action::Office) => {
            store.clear_failures(&name_key, since).await?;
            store.audit(&entry(Some(&person), "sign-in", &person.label(), String::new(), address)).await?;
            start_session(state, &person).await
        }
        _ => {
            store.sign_in_failed(&[name_key, address_key], now).await?;
            store.audit(&entry(None, "sign-in-failed", &name, String::new(), address)).await?;
            Ok(sign_in_page(
                StatusCode::UNAUTHORIZED,
                Some(say("姓名或密码错误，或无办公室权限。", "Wrong name or password, or no office access.")),
            ))
        }
    }
}

/// Whether `password` is the one of `hash`, off the async threads (argon2 takes a while). A
/// hash is checked even when there is none (an unknown name), so the time taken does not
/// tell names apart.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    tokio::task::spawn_blocking(move || {
        let dummy = || DUMMY.get_or_init(|| people::hash_password("not anyone's password").unwrap_or_default()).clone();
        people::verify_password(&password, &hash.unwrap_or_else(dummy))
    })
    .await
    .unwrap_or(false)
}

/// A form that carries nothing but the session's CSRF token (sign-out, withdraw, revoke...).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    pub(super) csrf: String,
}

/// Whether a form's CSRF field is the session's.
pub fn csrf_ok(expected: Option<&Csrf>, sent: &str) -> bool {
    expected.is_some_and(|Csrf(token)| people::same_hash(token, sent))
}

pub async fn sign_out(
    State(state): State<Arc<AppState>>,
    peer: Peer,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if !csrf_ok(csrf.as_ref().map(|Extension(c)| c), &form.csrf) || !same_origin(&headers) {
        return error(StatusCode::FORBIDDEN, "missing or wrong CSRF token: sign out from an office page");
    }
    let Some(secret) = super::session::cookie(&headers) else { return error(StatusCode::FORBIDDEN, "no session") };
    let result = async {
        state.store.end_session(&secret, now_millis()).await?;
        state.store.audit(&entry(principal.person(), "sign-out", &super::principal_label(&principal), String::new(), &peer.0)).await
    }
    .await;
    if let Err(e) = result {
        return e.into_response();
    }
    let mut response = Redirect::to("/office/sign-in").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_static("safewalk_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"));
    response
}

/// The welcome link's page: choose a password. Opening it uses nothing up (a link preview
/// may fetch it); posting the form does.
pub async fn welcome_form(Path(code): Path<String>) -> Response {
    Html(form_page(
        say("欢迎", "Welcome"),
        None,
        welcome_fields(&code),
        "/office/welcome",
        say("设置密码并登录", "Set password and sign in"),
    ))
    .into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Welcome {
    code: String,
    password: String,
}

pub async fn welcome(State(state): State<Arc<AppState>>, peer: Peer, headers: HeaderMap, Form(form): Form<Welcome>) -> Response {
    if !same_origin(&headers) {
        return error(StatusCode::FORBIDDEN, "this form posts only from this receiver's own pages");
    }
    if let Err(message) = people::check_password(&form.password) {
        let page = form_page(
            say("欢迎", "Welcome"),
            Some(&message),
            welcome_fields(&form.code),
            "/office/welcome",
            say("设置密码", "Set password"),
        );
        return (StatusCode::BAD_REQUEST, Html(page)).into_response();
    }
    let address = peer.0;
    let result = async {
        let Some(person) = state.store.take_sign_in(&form.code, now_millis()).await? else {
            state.store.audit(&entry(None, "sign-in-link-refused", "", "unknown, used or expired link".into(), &address)).await?;
            return Ok(sign_in_page(
                StatusCode::UNAUTHORIZED,
                Some(say("此链接已使用或已过期。", "This link was already used or has expired: ask an admin for a new one.")),
            ));
        };
        let hash = people::hash_password(&form.password).map_err(StoreError::Database)?;
        state.store.set_password(&person.id, &hash).await?;
        state.store.audit(&entry(Some(&person), "password-set", &person.label(), "with a one-time link".into(), &address)).await?;
        if !person.role.may(people::Action::Office) {
            return Ok(
                Html(layout("Password set", None, html! { p { (say("密码已设置。", "Password set.")) } }).into_string()).into_response()
            );
        }
        state.store.audit(&entry(Some(&person), "sign-in", &person.label(), "with a one-time link".into(), &address)).await?;
        start_session(&state, &person).await
    }
    .await;
    result.unwrap_or_else(|e: StoreError| e.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_stop_at_the_limits() {
        assert!(may_try(0, 0));
        assert!(may_try(NAME_LIMIT - 1, ADDRESS_LIMIT - 1));
        assert!(!may_try(NAME_LIMIT, 0));
        assert!(!may_try(0, ADDRESS_LIMIT));
    }

    #[test]
    fn forms_post_from_here_only() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&headers), "no Origin: a browser that sends none");
        headers.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(!same_origin(&headers));
        headers.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(!same_origin(&headers));
        headers.insert(header::ORIGIN, "null".parse().unwrap());
        assert!(!same_origin(&headers));
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(same_origin(&headers), "what Chromium sends under no-referrer");
        assert!(!csrf_ok(None, "x"));
        assert!(csrf_ok(Some(&Csrf("abc".into())), "abc"));
        assert!(!csrf_ok(Some(&Csrf("abc".into())), "abd"));
    }
}
