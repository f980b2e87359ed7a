//! Receiving inspections, exactly once, and reading them back as JSON.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use safewalk_core::delivery::payload::{InspectionPayload, Receipt, ReceiptStatus, PAYLOAD_SCHEMA};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::attachments::CONTENT_TYPES;
use super::{error, may_see, now_millis, strict_json};
use crate::people::Principal;
use crate::store::{PutResult, StoreError, StoredInspection};
use crate::AppState;

/// The payload schemas this receiver reads: 1 (no grades), 2 (graded), 3 (with the task
/// the inspection was started from), 4 (with the documents issued on the spot) and 5 (with
/// the order a re-inspection follows up).
pub const ACCEPTED_SCHEMAS: [u32; 5] = [1, 2, 3, 4, PAYLOAD_SCHEMA];

/// Reads the body into the core payload type, naming the field that is wrong. Besides the
/// types' own rules: no key twice in one object, no `null` for a field that is left out when
/// absent, and attachments only of the types the receiver takes.
fn parse(body: &[u8]) -> Result<InspectionPayload, String> {
    // The schema first: a newer schema's unknown fields should be reported as a newer schema.
    #[derive(Deserialize)]
    struct Schema {
        schema: u32,
    }
    if let Ok(Schema { schema }) = serde_json::from_slice(body) {
        if !ACCEPTED_SCHEMAS.contains(&schema) {
            return Err(format!("schema: unsupported payload schema {schema} (this receiver reads schemas 1, 2, 3 and 4)"));
        }
    }
    strict_json::no_duplicate_keys(body)?;
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let payload: InspectionPayload = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            inner.to_string()
        } else {
            format!("{path}: {inner}")
        }
    })?;
    if let (Ok(sent), Ok(canonical)) = (serde_json::from_slice::<serde_json::Value>(body), serde_json::to_value(&payload)) {
        strict_json::no_dropped_nulls(&sent, &canonical)?;
    }
    if payload.inspection.completed_at.is_none() {
        return Err("inspection.completed_at: only completed inspections are accepted".into());
    }
    if payload.inspection.task.is_some() && payload.schema < 3 {
        return Err(format!("inspection.task: a task is sent in payload schema 3 or later (this payload is schema {})", payload.schema));
    }
    if payload.inspection.paperwork.is_some() && payload.schema < 4 {
        return Err(format!(
            "inspection.paperwork: documents are sent in payload schema 4 or later (this payload is schema {})",
            payload.schema
        ));
    }
    if payload.inspection.follow_up.as_ref().is_some_and(|f| f.order.is_some()) && payload.schema < PAYLOAD_SCHEMA {
        return Err(format!(
            "inspection.follow_up.order: the order followed up is sent in payload schema {PAYLOAD_SCHEMA} (this payload is schema {})",
            payload.schema
        ));
    }
    if payload.inspection.follow_up.as_ref().is_some_and(|f| f.of == payload.inspection.id) {
        return Err("inspection.follow_up.of: an inspection cannot be a follow-up of itself".into());
    }
    let accepted = || CONTENT_TYPES.map(|(name, _, _)| name);
    if let Some((n, a)) = payload.inspection.attachments.iter().enumerate().find(|(_, a)| !accepted().contains(&a.content_type.as_str())) {
        return Err(format!("inspection.attachments[{n}].content_type: {:?} is not one of {}", a.content_type, accepted().join(", ")));
    }
    Ok(payload)
}

/// Whether the request says its body is JSON (`application/json`, any parameters). Anything
/// else is refused: a form or `text/plain` post is what another site can send without a
/// CORS preflight.
fn declares_json(headers: &HeaderMap) -> Result<(), String> {
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = declared.split(';').next().unwrap_or("").trim();
    if media.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        let shown = if declared.is_empty() { "none" } else { declared };
        Err(format!("Content-Type: {shown} is not accepted; send application/json"))
    }
}

/// Stores the record as sent, under the person whose token sent it (whatever the payload's
/// own names say).
pub async fn receive(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(message) = declares_json(&headers) {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, message);
    }
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
    // Started from a task: the task is marked delivered in the same transaction (a task
    // the office does not know, or withdrew, changes nothing; the record is taken all the same).
    let stored = match payload.inspection.task {
        Some(task) => {
            let follow_up_of = follow_up_of.map(|o| o.to_string());
            let (id, task) = (id.to_string(), task.to_string());
            state.store.put_for_task(&id, &canonical, follow_up_of, principal.person_id(), &task, now_millis()).await
        }
        None => state.store.put(id, &canonical, follow_up_of, principal.person_id(), now_millis()).await,
    };
    // Filed under its site before the receipt: if filing fails the phone is told to retry,
    // and the redelivery (a duplicate) files it.
    if let Ok(PutResult::Stored { .. } | PutResult::Duplicate { .. }) = stored {
        let facts = crate::sites::facts_of(&payload, principal.person());
        if let Err(e) = state.store.attach_to_site(id, &facts, now_millis()).await {
            return e.into_response();
        }
        // The documents it issued, for the office's pages and the check for a number
        // delivered twice (same rule: before the receipt, redone by a redelivery). Before the
        // hazards: a pull sends a site's hazards with the order that found them, and the
        // hazards' rows are what tell the next pull the site changed.
        if let Err(e) = crate::papers::on_delivery(&state.store, &payload, principal.person_id()).await {
            return e.into_response();
        }
        // Its hazards, or those it re-inspected, into the office register (same rule).
        if let Err(e) = crate::hazards::on_delivery(&state.store, &state.library, &payload).await {
            return e.into_response();
        }
    }
    match stored {
        Ok(PutResult::Stored { received_at }) => {
            (StatusCode::CREATED, Json(Receipt { id, status: ReceiptStatus::Stored, received_at })).into_response()
        }
        Ok(PutResult::Duplicate { received_at }) => {
            (StatusCode::OK, Json(Receipt { id, status: ReceiptStatus::Duplicate, received_at })).into_response()
        }
        Ok(PutResult::Conflict) => error(StatusCode::CONFLICT, format!("inspection {id} is already stored with different content")),
        Err(e) => e.into_response(),
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

impl Page {
    /// The offset and the limit (clamped to 1..=[`MAX_PAGE`]), or the 400 message for an
    /// offset no database can skip (beyond 2^63 - 1, which would wrap to the first page).
    pub fn window(&self) -> Result<(u64, u64), String> {
        if self.offset > i64::MAX as u64 {
            return Err(format!("offset: {} is larger than {}", self.offset, i64::MAX));
        }
        Ok((self.offset, self.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)))
    }
}

/// The stored payload as JSON, with when it arrived, for a follow-up its original (`null`
/// otherwise), and how many attachments are stored under its id.
pub fn entry(stored: &StoredInspection) -> serde_json::Value {
    let payload: serde_json::Value = serde_json::from_str(&stored.payload).unwrap_or(serde_json::Value::Null);
    json!({
        "id": stored.id,
        "received_at": stored.received_at,
        "follow_up_of": stored.follow_up_of,
        "attachments_received": stored.attachments_received,
        "submitted_by": stored.submitted_by,
        "payload": payload,
    })
}

/// The inspections this principal may see (an inspector: their own), newest first.
pub async fn list(State(state): State<Arc<AppState>>, Extension(principal): Extension<Principal>, Query(page): Query<Page>) -> Response {
    let (offset, limit) = match page.window() {
        Ok(window) => window,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let visible = principal.visibility();
    let (items, total) = match (state.store.list(&visible, offset, limit).await, state.store.count(&visible).await) {
        (Ok(items), Ok(total)) => (items, total),
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
    };
    let items: Vec<serde_json::Value> = items.iter().map(entry).collect();
    Json(json!({ "total": total, "offset": offset, "limit": limit, "items": items })).into_response()
}

/// One inspection, if this principal may see it (404 alike when not: its existence is not
/// theirs to learn either).
pub async fn one(State(state): State<Arc<AppState>>, Extension(principal): Extension<Principal>, Path(id): Path<String>) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return error(StatusCode::BAD_REQUEST, "id: not a UUID") };
    match visible(&state, &principal, id).await {
        Ok(Some(stored)) => Json(entry(&stored)).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, format!("no inspection {id}")),
        Err(e) => e.into_response(),
    }
}

/// The stored inspection `id` when `principal` may see it.
pub async fn visible(state: &AppState, principal: &Principal, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
    match state.store.get(id).await? {
        Some(stored) if may_see(state, principal, stored.submitted_by.as_deref()).await? => Ok(Some(stored)),
        _ => Ok(None),
    }
}
