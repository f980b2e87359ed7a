//! A signed-in office person changes their own password: the current one, then the new one
//! (a form with the session's CSRF token). Every other session of theirs ends (whoever else
//! knew the old password is out); wrong current passwords count against the sign-in limit
//! of their name, so a borrowed session cannot be used to guess it. Audited either way.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Form};
use maud::{html, Markup};
use serde::Deserialize;

use super::frame::{csrf_of, office_page};
use super::language::{current, say};
use super::peer::Peer;
use super::sign_in::{csrf_ok, entry, may_try, same_origin, verify, Csrf, FAILURE_WINDOW_MS};
use super::{error, now_millis, session};
use crate::people::{self, Principal};
use crate::store::StoreError;
use crate::AppState;
use safewalk_core::Lang;

fn title() -> &'static str {
    say("修改密码", "Change password")
}

fn form(csrf: Option<&Csrf>, message: Option<&str>) -> Markup {
    html! {
        h1 { (title()) }
        @if let Some(message) = message { p.hazard role="alert" { (message) } }
        form method="post" action="/office/password" {
            input type="hidden" name="csrf" value=(csrf.map(|Csrf(c)| c.as_str()).unwrap_or(""));
            p { label { (say("当前密码", "Current password")) br;
                input name="current" type="password" autocomplete="current-password" required; } }
            p { label { (say("新密码（至少10个字符）", "New password (10 characters or more)")) br;
                input name="new" type="password" autocomplete="new-password" required minlength="10"; } }
            p { button type="submit" { (say("修改密码", "Change password")) } }
        }
    }
}

fn page(status: StatusCode, principal: &Principal, csrf: Option<&Csrf>, message: Option<&str>) -> Response {
    let mut response = office_page(&format!("Safewalk — {}", title()), principal, csrf, form(csrf, message));
    *response.status_mut() = status;
    response
}

/// `GET /office/password`.
pub async fn password_form(Extension(principal): Extension<Principal>, csrf: Option<Extension<Csrf>>) -> Response {
    page(StatusCode::OK, &principal, csrf_of(&csrf), None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChangePassword {
    csrf: String,
    current: String,
    new: String,
}

/// `POST /office/password`: only from an office session (a device token has no password
/// form to come from).
pub async fn change_password(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    headers: HeaderMap,
    Form(sent): Form<ChangePassword>,
) -> Result<Response, StoreError> {
    let csrf = csrf_of(&csrf);
    let session = session::cookie(&headers).filter(|_| csrf_ok(csrf, &sent.csrf) && same_origin(&headers));
    let (Some(secret), Principal::Person(person)) = (session, &principal) else {
        return Ok(error(StatusCode::FORBIDDEN, "missing or wrong CSRF token: change the password from the office page, signed in"));
    };
    let store = &state.store;
    let now = now_millis();
    let name_key = format!("name:{}", person.name.to_lowercase());
    if !may_try(store.failures_since(&name_key, now.saturating_sub(FAILURE_WINDOW_MS)).await?, 0) {
        store.audit(&entry(Some(person), "password-change-refused", &person.label(), "too many failed attempts".into(), &peer.0)).await?;
        let message = say("尝试次数过多，请15分钟后再试。", "Too many failed attempts: wait 15 minutes.");
        return Ok(page(StatusCode::TOO_MANY_REQUESTS, &principal, csrf, Some(message)));
    }
    if let Err(message) = people::check_password(&sent.new) {
        let message = match current().lang {
            Lang::Zh => "新密码至少10个字符。".to_string(),
            Lang::En => format!("New password: {message}."),
        };
        return Ok(page(StatusCode::BAD_REQUEST, &principal, csrf, Some(&message)));
    }
    let hash = store.password_of(&person.name).await?.and_then(|(_, hash)| hash);
    if !verify(sent.current, hash).await {
        store.sign_in_failed(&[name_key], now).await?;
        store.audit(&entry(Some(person), "password-change-failed", &person.label(), "wrong current password".into(), &peer.0)).await?;
        return Ok(page(StatusCode::FORBIDDEN, &principal, csrf, Some(say("当前密码错误。", "The current password is wrong."))));
    }
    let new = sent.new;
    let hash = tokio::task::spawn_blocking(move || people::hash_password(&new)).await.map_err(StoreError::database)?;
    store.set_password(&person.id, &hash.map_err(StoreError::Database)?).await?;
    let ended = store.end_other_sessions(&person.id, &secret).await?;
    let detail = format!("{ended} other session(s) ended");
    store.audit(&entry(Some(person), "password-changed", &person.label(), detail, &peer.0)).await?;
    let body = html! {
        h1 { (title()) }
        p role="status" { (say("密码已修改，其他会话已退出。", "Password changed; your other sessions are signed out.")) }
        p { a href="/office" { (say("← 检查", "← Inspections")) } }
    };
    Ok(office_page(&format!("Safewalk — {}", title()), &principal, csrf, body))
}
