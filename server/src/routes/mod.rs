//! The HTTP handlers, one area a file.

pub mod inspections;
pub mod office;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// "Test connection": answers only when the receiver is up.
pub async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "service": "safewalk-server" }))
}

/// Every error is JSON `{"error": "..."}`: the app shows the message to the inspector.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

pub fn now_millis() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
