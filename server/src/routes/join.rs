//! `POST /join`: the app trades a one-time sign-in code (the office's link or QR code) for a
//! device token. The code is the credential, so failed attempts are limited per address,
//! in the database like the office's sign-in limits (several receivers may share one
//! PostgreSQL, and a guesser may reach each of them).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::peer::Peer;
use super::sign_in::{entry, FAILURE_WINDOW_MS};
use super::{error, now_millis};
use crate::people;
use crate::store::people::TokenKind;
use crate::store::StoreError;
use crate::AppState;

/// Unknown, used or expired codes allowed from one address in [`FAILURE_WINDOW_MS`]. A
/// phone's own mistakes (a link opened twice) stay far below; a guesser stops here.
pub const JOIN_LIMIT: u64 = 10;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Join {
    code: String,
    label: String,
}

/// `POST /join` `{"code", "label"?}`: a fresh device token of the person the code was issued
/// for: `201 {"token", "person"}`; the code is dead after. A dead or unknown code is `401`;
/// after [`JOIN_LIMIT`] of those from one address, `429` with `Retry-After`, and the code
/// is not even looked at (a good one stays good).
pub async fn join(State(state): State<Arc<AppState>>, peer: Peer, axum::Json(form): axum::Json<Join>) -> Result<Response, StoreError> {
    let now = now_millis();
    let key = format!("join:{}", peer.0);
    if state.store.failures_since(&key, now.saturating_sub(FAILURE_WINDOW_MS)).await? >= JOIN_LIMIT {
        state.store.audit(&entry(None, "sign-in-link-refused", "", "too many failed attempts".into(), &peer.0)).await?;
        let mut refused = error(
            StatusCode::TOO_MANY_REQUESTS,
            "too many unknown or used sign-in links from this address: wait 15 minutes 此地址无效登录链接过多，请15分钟后再试",
        );
        refused.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(FAILURE_WINDOW_MS / 1000));
        return Ok(refused);
    }
    let label =
        if form.label.trim().is_empty() { "phone (sign-in link)".to_string() } else { form.label.trim().chars().take(60).collect() };
    let Some(person) = state.store.take_sign_in(form.code.trim(), now).await? else {
        state.store.sign_in_failed(&[key], now).await?;
        state.store.audit(&entry(None, "sign-in-link-refused", "", "unknown, used or expired link".into(), &peer.0)).await?;
        return Ok(super::unauthorized());
    };
    let token = people::new_secret(people::DEVICE_TOKEN_PREFIX);
    let info = state.store.add_token(&person.id, &token, TokenKind::Device, &label, None, now).await?;
    let detail = format!("token {} ({label}) from a sign-in link", info.id);
    state.store.audit(&entry(Some(&person), "token-issued", &person.label(), detail, &peer.0)).await?;
    Ok((StatusCode::CREATED, axum::Json(serde_json::json!({ "token": token, "person": super::person_json(&person) }))).into_response())
}
