//! Receiving inspections, exactly once, and reading them back as JSON.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use safewalk_core::payload::{InspectionPayload, Receipt, ReceiptStatus, PAYLOAD_SCHEMA};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::{error, now_millis};
use crate::store::{PutResult, StoredInspection};
use crate::AppState;

/// The payload schemas this receiver reads: 1 (no grades) and 2 (the current one).
pub const ACCEPTED_SCHEMAS: [u32; 2] = [1, PAYLOAD_SCHEMA];

/// Reads the body into the core payload type, naming the field that is wrong.
fn parse(body: &[u8]) -> Result<InspectionPayload, String> {
    // The schema first: a newer schema's unknown fields should be reported as a newer schema.
    #[derive(Deserialize)]
    struct Schema {
        schema: u32,
    }
    if let Ok(Schema { schema }) = serde_json::from_slice(body) {
        if !ACCEPTED_SCHEMAS.contains(&schema) {
            return Err(format!("schema: unsupported payload schema {schema} (this receiver reads schemas 1 and 2)"));
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let payload: InspectionPayload = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." { inner.to_string() } else { format!("{path}: {inner}") }
    })?;
    if payload.inspection.completed_at.is_none() {
        return Err("inspection.completed_at: only completed inspections are accepted".into());
    }
    if payload.inspection.follow_up.as_ref().is_some_and(|f| f.of == payload.inspection.id) {
        return Err("inspection.follow_up.of: an inspection cannot be a follow-up of itself".into());
    }
    Ok(payload)
}

pub async fn receive(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let payload = match parse(&body) {
        Ok(payload) => payload,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let id = payload.inspection.id;
    if let Some(key) = headers.get("idempotency-key") {
        if key.to_str().ok().and_then(|k| Uuid::parse_str(k.trim()).ok()) != Some(id) {
            return error(StatusCode::BAD_REQUEST, format!("Idempotency-Key must equal the inspection id {id}"));
        }
    }
    // Canonical form: the same content always serialises to the same text, so identical
    // resubmissions compare equal however the client formatted them.
    let canonical = match serde_json::to_string(&payload) {
        Ok(text) => text,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let follow_up_of = payload.inspection.follow_up.as_ref().map(|f| f.of);
    match state.store.put(id, &canonical, follow_up_of, now_millis()).await {
        Ok(PutResult::Stored { received_at }) => {
            (StatusCode::CREATED, Json(Receipt { id, status: ReceiptStatus::Stored, received_at })).into_response()
        }
        Ok(PutResult::Duplicate { received_at }) => {
            (StatusCode::OK, Json(Receipt { id, status: ReceiptStatus::Duplicate, received_at })).into_response()
        }
        Ok(PutResult::Conflict) => {
            error(StatusCode::CONFLICT, format!("inspection {id} is already stored with different content"))
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

#[derive(Deserialize)]
pub struct Page {
    #[serde(default)]
    pub offset: u64,
    pub limit: Option<u64>,
}

pub const DEFAULT_PAGE: u64 = 50;
pub const MAX_PAGE: u64 = 500;

/// The stored payload as JSON, with when it arrived, for a follow-up its original (`null`
/// otherwise), and how many attachments are stored under its id.
pub fn entry(stored: &StoredInspection) -> serde_json::Value {
    let payload: serde_json::Value = serde_json::from_str(&stored.payload).unwrap_or(serde_json::Value::Null);
    json!({
        "id": stored.id,
        "received_at": stored.received_at,
        "follow_up_of": stored.follow_up_of,
        "attachments_received": stored.attachments_received,
        "payload": payload,
    })
}

pub async fn list(State(state): State<Arc<AppState>>, Query(page): Query<Page>) -> Response {
    let limit = page.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let (items, total) = match (state.store.list(page.offset, limit).await, state.store.count().await) {
        (Ok(items), Ok(total)) => (items, total),
        (Err(e), _) | (_, Err(e)) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let items: Vec<serde_json::Value> = items.iter().map(entry).collect();
    Json(json!({ "total": total, "offset": page.offset, "limit": limit, "items": items })).into_response()
}

pub async fn one(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return error(StatusCode::BAD_REQUEST, "id: not a UUID") };
    match state.store.get(id).await {
        Ok(Some(stored)) => Json(entry(&stored)).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, format!("no inspection {id}")),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
