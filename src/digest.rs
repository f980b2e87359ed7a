//! SHA-256 by the browser's SubtleCrypto: no hashing code in the wasm. Used for the
//! attachments' hashes and for the seal printed on the papers.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Lowercase hex SHA-256 of `data` (an ArrayBuffer or a typed array); the browser's words
/// when it cannot.
pub async fn sha256_hex(data: &js_sys::Object) -> Result<String, String> {
    let failed = |e: JsValue| format!("{e:?}");
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or_else(|| "no crypto in this browser".to_string())?;
    let digest = crypto.subtle().digest_with_str_and_buffer_source("SHA-256", data).map_err(failed)?;
    let digest = JsFuture::from(digest).await.map_err(failed)?;
    let bytes = js_sys::Uint8Array::new(&digest).to_vec();
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The seal of a record: the SHA-256 of its canonical text (`core::delivery::seal`).
pub async fn seal_of(canonical_text: &str) -> Result<String, String> {
    let bytes = js_sys::Uint8Array::from(canonical_text.as_bytes());
    sha256_hex(bytes.unchecked_ref()).await
}
