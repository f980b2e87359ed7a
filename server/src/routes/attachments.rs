//! Attachments: the photos and signature images of an inspection. Each is `PUT` once under
//! its inspection's id and its own, with the SHA-256 of its bytes; the same bytes again are a
//! duplicate, other bytes under the same id a conflict. An attachment may arrive before or
//! after its inspection's record (no foreign key). `HEAD` tells the app what is already
//! here, so after an interruption only what is missing is sent; `GET` serves the bytes to
//! the office pages.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use safewalk_core::delivery::payload::AttachmentReceipt;
use safewalk_core::delivery::payload::ReceiptStatus;
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{error, may_see, now_millis};
use crate::people::Principal;
use crate::store::{AttachmentInfo, NewAttachment, PutResult};
use crate::AppState;

/// The header carrying the lowercase hex SHA-256 of the body: sent with `PUT`, answered
/// with `HEAD` and `GET`.
pub const CONTENT_SHA256: HeaderName = HeaderName::from_static("x-content-sha256");

/// The content types accepted, each with the bytes its files begin with.
pub const CONTENT_TYPES: [(&str, &[u8], &str); 2] =
    [("image/jpeg", &[0xFF, 0xD8, 0xFF], "JPEG"), ("image/png", b"\x89PNG\r\n\x1a\n", "PNG")];

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Both ids of the path, or the 400 message naming the one that is not a UUID.
fn ids(inspection: &str, attachment: &str) -> Result<(Uuid, Uuid), &'static str> {
    let inspection = Uuid::parse_str(inspection).map_err(|_| "id: the inspection id is not a UUID")?;
    let attachment = Uuid::parse_str(attachment).map_err(|_| "attachment_id: the attachment id is not a UUID")?;
    Ok((inspection, attachment))
}

/// The declared media type, if it is one of [`CONTENT_TYPES`] (parameters ignored).
fn content_type(headers: &HeaderMap) -> Result<(&'static str, &'static [u8], &'static str), String> {
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    CONTENT_TYPES.into_iter().find(|(name, _, _)| *name == media).ok_or_else(|| {
        let shown = if declared.is_empty() { "none".to_string() } else { declared.to_string() };
        format!("Content-Type: {shown} is not accepted; send image/jpeg or image/png")
    })
}

/// The declared hash: 64 hex digits, returned in lowercase.
fn declared_sha256(headers: &HeaderMap) -> Result<String, String> {
    let value = headers.get(&CONTENT_SHA256).and_then(|v| v.to_str().ok()).map(str::trim).unwrap_or("");
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(value.to_ascii_lowercase())
    } else if value.is_empty() {
        Err("X-Content-SHA256: required, the hex SHA-256 of the body".into())
    } else {
        Err(format!("X-Content-SHA256: {value:?} is not a hex SHA-256 (64 hex digits)"))
    }
}

/// `PUT /inspections/{id}/attachments/{attachment_id}`: the cheap checks first (ids,
/// content type, hash header), then the body within the attachment limit, its hash, and its
/// first bytes against the declared type. Answers core's [`AttachmentReceipt`]: 201 stored
/// now, 200 duplicate (`received_at` the first time).
pub async fn put(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Path((inspection, id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (inspection, id) = match ids(&inspection, &id) {
        Ok(ids) => ids,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let (media, magic, format) = match content_type(request.headers()) {
        Ok(found) => found,
        Err(message) => return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, message),
    };
    let declared = match declared_sha256(request.headers()) {
        Ok(hash) => hash,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    // The route's body limit (SAFEWALK_ATTACHMENT_LIMIT) applies here.
    let bytes = match Bytes::from_request(request, &()).await {
        Ok(bytes) => bytes,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("attachment larger than this receiver's limit of {} bytes", state.attachment_limit),
            )
        }
        Err(rejection) => return error(rejection.status(), rejection.body_text()),
    };
    let actual = sha256_hex(&bytes);
    if actual != declared {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("X-Content-SHA256: {declared} does not match the body received ({} bytes, SHA-256 {actual})", bytes.len()),
        );
    }
    if !bytes.starts_with(magic) {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("Content-Type: the body is not a {format} image ({media})"));
    }
    let submitted_by = principal.person_id().map(str::to_string);
    let attachment = NewAttachment { inspection, id, sha256: actual.clone(), content_type: media.to_string(), bytes, submitted_by };
    let receipt = |status, received_at| Json(AttachmentReceipt { id, inspection, sha256: actual.clone(), status, received_at });
    match state.store.put_attachment(attachment, now_millis()).await {
        Ok(PutResult::Stored { received_at }) => (StatusCode::CREATED, receipt(ReceiptStatus::Stored, received_at)).into_response(),
        Ok(PutResult::Duplicate { received_at }) => (StatusCode::OK, receipt(ReceiptStatus::Duplicate, received_at)).into_response(),
        Ok(PutResult::Conflict) => {
            error(StatusCode::CONFLICT, format!("attachment {id} of inspection {inspection} is already stored with different content"))
        }
        Err(e) => e.into_response(),
    }
}

/// The headers `HEAD` and `GET` answer with. The bytes under an id never change once stored.
fn described(info: &AttachmentInfo, body: Body) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    let value = |text: &str| HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, value(&info.content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(info.size));
    headers.insert(CONTENT_SHA256, value(&info.sha256));
    headers.insert(header::ETAG, value(&format!("\"{}\"", info.sha256)));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// `HEAD`: 200 with `X-Content-SHA256` (and the type and length) when held, 404 when not.
/// Reads no bytes from the database.
/// Someone else's attachment, out of scope, is "not found" as if absent.
pub async fn head(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Path((inspection, id)): Path<(String, String)>,
) -> Response {
    let (inspection, id) = match ids(&inspection, &id) {
        Ok(ids) => ids,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let found = match state.store.attachment_info(inspection, id).await {
        Ok(Some(info)) => may_see(&state, &principal, info.submitted_by.as_deref()).await.map(|ok| ok.then_some(info)),
        other => other,
    };
    match found {
        Ok(Some(info)) => described(&info, Body::empty()),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET`: the bytes as uploaded, with their content type, or 404.
pub async fn get(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Path((inspection, id)): Path<(String, String)>,
) -> Response {
    let (inspection, id) = match ids(&inspection, &id) {
        Ok(ids) => ids,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let found = match state.store.attachment(inspection, id).await {
        Ok(Some((info, bytes))) => may_see(&state, &principal, info.submitted_by.as_deref()).await.map(|ok| ok.then_some((info, bytes))),
        other => other,
    };
    match found {
        Ok(Some((info, bytes))) => described(&info, Body::from(bytes)),
        Ok(None) => error(StatusCode::NOT_FOUND, format!("no attachment {id} of inspection {inspection}")),
        Err(e) => e.into_response(),
    }
}

/// One entry of `inspection.attachments` in a stored record, read leniently: the record's
/// format belongs to the app, and a field this receiver does not know, or lacks, is no
/// reason to hide the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listed {
    /// As written in the record (shown even when it is not a UUID).
    pub id: String,
    pub uuid: Option<Uuid>,
    /// `photo`, `signature`, or whatever the record says.
    pub kind: String,
    pub item: Option<String>,
    pub sha256: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Option<u64>,
    pub taken_at: Option<u64>,
    /// Latitude, longitude, accuracy in metres.
    pub position: Option<(f64, f64, Option<f64>)>,
    /// A signature's signer and their role (`inspector`, `site_representative`), when the
    /// record names them.
    pub name: Option<String>,
    pub role: Option<String>,
}

/// A position as the record writes it: `{"lat", "lon", "accuracy_m"}` (`accuracy` also
/// read).
pub fn position(value: &Value) -> Option<(f64, f64, Option<f64>)> {
    let number = |key: &str| value.get(key).and_then(Value::as_f64);
    Some((number("lat")?, number("lon")?, number("accuracy_m").or_else(|| number("accuracy"))))
}

/// The attachments a stored payload lists (`inspection.attachments`), in its order; none
/// when the payload has no such list.
pub fn listed(payload: &str) -> Vec<Listed> {
    let Ok(value) = serde_json::from_str::<Value>(payload) else { return Vec::new() };
    let Some(entries) = value.pointer("/inspection/attachments").and_then(Value::as_array) else { return Vec::new() };
    entries
        .iter()
        .filter_map(|entry| {
            let text_in = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
            let text = |key: &str| text_in(entry, key);
            let signer = |key: &str| entry.get("signer").and_then(|s| text_in(s, key)).or_else(|| text(key));
            let id = text("id")?;
            Some(Listed {
                uuid: Uuid::parse_str(&id).ok(),
                id,
                kind: text("kind").unwrap_or_default(),
                item: text("item"),
                sha256: text("sha256").map(|s| s.to_ascii_lowercase()),
                content_type: text("content_type"),
                bytes: entry.get("bytes").and_then(Value::as_u64),
                taken_at: entry.get("taken_at").and_then(Value::as_u64),
                position: entry.get("position").and_then(position),
                name: signer("name"),
                role: signer("role"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{listed, sha256_hex};

    #[test]
    fn hashes_are_lowercase_hex() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn the_list_is_read_leniently() {
        let payload = r#"{"schema": 2, "inspection": {"attachments": [
            {"id": "0b8c5e2a-4d7f-4c43-9a55-0e7f4b2f3a10", "kind": "photo", "item": "ex-01", "sha256": "AB", "bytes": 12,
             "taken_at": 5, "position": {"lat": 31.2, "lon": 121.5, "accuracy_m": 8}, "future": [1]},
            {"id": "not-a-uuid", "kind": "signature", "item": null, "signer": {"name": "Zhao Li", "role": "site_representative"},
             "position": {"lat": 1}},
            {"id": "c0ffee00-0000-4000-8000-000000000000", "kind": "signature", "name": "Wang Wei", "role": "inspector",
             "position": {"lat": 1, "lon": 2, "accuracy": 3}},
            {"kind": "photo"},
            "junk"
        ]}}"#;
        let list = listed(payload);
        assert_eq!(list.len(), 3, "entries without an id are left out");
        assert_eq!((list[0].item.as_deref(), list[0].sha256.as_deref(), list[0].bytes), (Some("ex-01"), Some("ab"), Some(12)));
        assert_eq!(list[0].position, Some((31.2, 121.5, Some(8.0))));
        assert!(list[0].uuid.is_some());
        assert_eq!((list[1].uuid, list[1].item.as_deref(), list[1].name.as_deref()), (None, None, Some("Zhao Li")));
        assert_eq!(list[1].role.as_deref(), Some("site_representative"));
        assert_eq!(list[1].position, None, "a position without lon is none");
        assert_eq!(
            (list[2].name.as_deref(), list[2].role.as_deref()),
            (Some("Wang Wei"), Some("inspector")),
            "the signer at the top level too"
        );
        assert_eq!(list[2].position, Some((1.0, 2.0, Some(3.0))), "accuracy also read");
        assert!(listed("{\"inspection\": {}}").is_empty());
        assert!(listed("not json").is_empty());
    }
}
