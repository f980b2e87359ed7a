//! The HTTP handlers, one area a file.

pub mod attachments;
pub mod inspections;
pub mod office;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::AppState;

/// Refuses a request without one of the configured bearer tokens (none configured: all pass).
pub async fn require_token(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if state.tokens.is_empty() {
        return next.run(request).await;
    }
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if presented.is_some_and(|token| state.tokens.iter().any(|t| t == token)) {
        next.run(request).await
    } else {
        error(StatusCode::UNAUTHORIZED, "missing or unknown bearer token")
    }
}

/// "Test connection": answers only when the receiver is up.
pub async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "service": "safewalk-server" }))
}

/// The checklist library (`{"format": 1, "rule_sets", "templates"}`), what the app imports
/// from `{endpoint}/templates`.
pub async fn library(State(state): State<Arc<AppState>>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], state.library_json.clone()).into_response()
}

/// Every error is JSON `{"error": "..."}`: the app shows the message to the inspector.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

pub fn now_millis() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
