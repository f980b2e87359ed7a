//! The HTTP handlers, one area a file.

pub mod admin;
pub mod attachments;
pub mod closing_photos;
mod csv_download;
pub mod draws;
pub mod frame;
pub mod hazards;
pub mod inspections;
pub mod join;
pub mod office;
pub mod papers;
pub mod password;
pub mod peer;
pub mod session;
pub mod sign_in;
pub mod sites;
mod strict_json;
pub mod sync;
pub mod task_flags;
pub mod tasks;
// The office's figures and its language (issue 14).
pub mod figures;
pub mod language;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use crate::people::{Action, Principal};
use crate::store::StoreError;
use crate::AppState;

/// Who is behind the request, or a 401: a person's device token (`Authorization: Bearer`),
/// one of the legacy shared tokens of `SAFEWALK_TOKENS`, or, for reading (`GET`, `HEAD`) and
/// the office's own forms (which check their CSRF token), an office session cookie. Then
/// whether that role may do `action` at all (403 if not); scope is the handlers' (per
/// record). The principal goes on in the request's extensions.
pub async fn require_person(State((state, action)): State<(Arc<AppState>, Action)>, mut request: Request, next: Next) -> Response {
    let (principal, csrf) = match principal_of(&state, request.headers(), request.method(), request.uri().path()).await {
        Ok(Some(found)) => found,
        Ok(None) if wants_office_page(&request) => return Redirect::to("/office/sign-in").into_response(),
        Ok(None) => return unauthorized(),
        Err(e) => return e.into_response(),
    };
    if !principal.may(action) {
        return error(StatusCode::FORBIDDEN, format!("{} may not do this", principal_label(&principal)));
    }
    request.extensions_mut().insert(principal);
    if let Some(csrf) = csrf {
        request.extensions_mut().insert(sign_in::Csrf(csrf));
    }
    next.run(request).await
}

/// A browser asking for an office page without a session is sent to sign in (an API client,
/// which does not ask for HTML, gets the 401).
fn wants_office_page(request: &Request) -> bool {
    let html = request.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    html && request.method() == Method::GET && (request.uri().path() == "/office" || request.uri().path().starts_with("/office/"))
}

/// 401 with the challenge.
pub fn unauthorized() -> Response {
    let mut refused = error(StatusCode::UNAUTHORIZED, "missing or unknown bearer token");
    refused.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"safewalk\""));
    refused
}

/// `name (role)`, or `a legacy shared token`.
pub fn principal_label(principal: &Principal) -> String {
    match principal {
        Principal::Person(p) => p.label(),
        Principal::Legacy => "a legacy shared token".to_string(),
    }
}

/// The principal of a request, if its credentials are good (see [`require_person`]), and
/// its session's CSRF token when it came with a session.
pub async fn principal_of(
    state: &AppState,
    headers: &HeaderMap,
    method: &Method,
    path: &str,
) -> Result<Option<(Principal, Option<String>)>, StoreError> {
    let presented = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer);
    if let Some(token) = presented {
        if !state.tokens.is_empty() && known_token(&state.tokens, token) {
            return Ok(Some((Principal::Legacy, None)));
        }
        return Ok(state.store.device_token(token, now_millis()).await?.map(|(_, person)| (Principal::Person(person), None)));
    }
    let reading = matches!(*method, Method::GET | Method::HEAD);
    let office_form = path.starts_with("/office/");
    if reading || office_form {
        if let Some(secret) = session::cookie(headers) {
            return Ok(state.store.session(&secret, now_millis()).await?.map(|s| (Principal::Person(s.person), Some(s.csrf))));
        }
    }
    Ok(None)
}

/// Whether `principal` may see what `submitted_by` delivered.
pub async fn may_see(state: &AppState, principal: &Principal, submitted_by: Option<&str>) -> Result<bool, StoreError> {
    let submitter = match submitted_by {
        Some(id) => state.store.person(id).await?,
        None => None,
    };
    Ok(principal.may_see(submitter.as_ref()))
}

/// `GET /me`: who this token (or session) belongs to.
pub async fn me(Extension(principal): Extension<Principal>) -> Response {
    match principal {
        Principal::Person(p) => Json(person_json(&p)).into_response(),
        Principal::Legacy => error(StatusCode::FORBIDDEN, "a legacy shared token belongs to no person"),
    }
}

/// A person as `/me` and `/join` answer (the OpenAPI `Person`).
pub fn person_json(p: &crate::people::Person) -> serde_json::Value {
    json!({
        "id": p.id,
        "name": p.name,
        "role": p.role.as_str(),
        "department": p.department,
        "district": p.district,
        "certificate": p.certificate,
    })
}

/// The token of an `Authorization: Bearer <token>` value, the scheme in any case.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

/// Whether `presented` is one of `tokens`, comparing every one in constant time so the
/// answer's timing tells nothing about how much of a token was right. Tokens are hashed
/// first, so their lengths leak nothing either.
fn known_token(tokens: &[String], presented: &str) -> bool {
    let presented = Sha256::digest(presented.as_bytes());
    tokens.iter().fold(Choice::from(0), |found, token| found | Sha256::digest(token.as_bytes()).ct_eq(&presented)).into()
}

/// Every error the protocol's paths answer is JSON `{"error"}`: axum's own rejections (a bad
/// query, a body over the limit, a wrong method) and the layers' answers are plain text, so
/// they are rewrapped here, keeping their status and headers. An office page answered with an
/// error status on purpose (a failed sign-in, a refused password change: the form again, with
/// the message) is HTML a browser shows, and stays so.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let as_meant = content_type.starts_with("application/json") || content_type.starts_with("text/html");
    if !(status.is_client_error() || status.is_server_error()) || as_meant {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024).await.map(|b| String::from_utf8_lossy(&b).trim().to_string()).unwrap_or_default();
    let message = if text.is_empty() { status.canonical_reason().unwrap_or("error").to_lowercase() } else { text };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, axum::body::Body::from(json!({ "error": message }).to_string()))
}

/// Answers 413 before reading a body whose declared `Content-Length` is over `limit`: the
/// client learns at once, not after sending gigabytes (a body without a length is cut off at
/// the limit while it is read).
pub async fn refuse_oversized(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => {
            error(StatusCode::PAYLOAD_TOO_LARGE, format!("body of {length} bytes is larger than this receiver's limit of {limit} bytes"))
        }
        _ => next.run(request).await,
    }
}

/// A path under the protocol's prefixes that no route serves: a JSON 404, never the app.
pub async fn no_such_path(uri: Uri) -> Response {
    error(StatusCode::NOT_FOUND, format!("no such path: {}", uri.path()))
}

/// "Test connection": answers only when the receiver is up.
pub async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "service": "safewalk-server" }))
}

/// The checklist library (`{"format": 1, "rule_sets", "templates"}`), what the app imports
/// from `{endpoint}/templates`.
/// Sent with its `ETag` (the tag the pull names): a request naming it in `If-None-Match`
/// gets 304 without the body.
pub async fn library(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let tag = library_etag(&state.library_json);
    let named = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    if named {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    ([(header::CONTENT_TYPE, "application/json".to_string()), (header::ETAG, tag)], state.library_json.clone()).into_response()
}

/// The library's entity tag: the start of the SHA-256 of what `/templates` serves, quoted.
pub fn library_etag(library_json: &[u8]) -> String {
    let digest = Sha256::digest(library_json);
    format!("\"{}\"", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>())
}

/// Every error is JSON `{"error": "..."}`: the app shows the message to the inspector.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

pub fn now_millis() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{bearer, known_token};

    #[test]
    fn the_bearer_scheme_is_read_in_any_case() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer abc"), Some("abc"));
        assert_eq!(bearer("BEARER  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer"), None);
        assert_eq!(bearer("Bearer "), None);
    }

    #[test]
    fn only_a_whole_configured_token_is_known() {
        let tokens = ["first-token".to_string(), "second".to_string()];
        assert!(known_token(&tokens, "first-token"));
        assert!(known_token(&tokens, "second"));
        for wrong in ["first", "first-token2", "", "SECOND"] {
            assert!(!known_token(&tokens, wrong), "{wrong}");
        }
    }
}
