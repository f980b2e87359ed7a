//! HTTP through the browser's fetch, reduced to the core's [`Attempt`]: the runner and
//! the rules never see a browser type. [`FetchTransport`] is core's [`Transport`] for the
//! delivery runner; the free functions serve the screens' own requests.

use safewalk_core::delivery::outbox::Attempt;
use safewalk_core::delivery::transport::{Destination, PictureFacts, Transport};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, Response};

/// How long one upload may take before it counts as a time-out and is retried.
pub const SEND_TIMEOUT_MS: i32 = 20_000;
const HEALTH_TIMEOUT_MS: i32 = 8_000;

fn js_message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// What becomes the body of the [`Attempt`]: the response's text, or (for a HEAD, which has
/// none) the value of one header.
enum Read {
    Body,
    Header(&'static str),
}

/// One request with a time limit. A time-out is told apart from other failures.
async fn fetch(url: &str, init: &RequestInit, timeout_ms: i32, read: Read) -> Attempt {
    let Some(window) = web_sys::window() else { return Attempt::NetworkError("no window".into()) };
    let controller = AbortController::new().ok();
    if let Some(controller) = &controller {
        init.set_signal(Some(&controller.signal()));
        let abort = {
            let controller = controller.clone();
            wasm_bindgen::closure::Closure::once_into_js(move || controller.abort())
        };
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), timeout_ms);
    }
    let request = match Request::new_with_str_and_init(url, init) {
        Ok(request) => request,
        Err(e) => return Attempt::NetworkError(js_message(&e)),
    };
    let response: Response = match JsFuture::from(window.fetch_with_request(&request)).await {
        Ok(value) => match value.dyn_into() {
            Ok(response) => response,
            Err(_) => return Attempt::NetworkError("not a response".into()),
        },
        Err(e) => {
            let aborted = controller.as_ref().is_some_and(|c| c.signal().aborted());
            return if aborted { Attempt::Timeout } else { Attempt::NetworkError(js_message(&e)) };
        }
    };
    let status = response.status();
    let content_type = response.headers().get("content-type").ok().flatten();
    let header = match read {
        Read::Body => None,
        Read::Header(name) => Some(response.headers().get(name).ok().flatten().unwrap_or_default()),
    };
    if let Some(body) = header {
        return Attempt::Response { status, content_type, body };
    }
    let body = match response.text() {
        Ok(promise) => match JsFuture::from(promise).await {
            Ok(text) => text.as_string().unwrap_or_default(),
            Err(e) => {
                let aborted = controller.as_ref().is_some_and(|c| c.signal().aborted());
                return if aborted { Attempt::Timeout } else { Attempt::NetworkError(js_message(&e)) };
            }
        },
        Err(e) => return Attempt::NetworkError(js_message(&e)),
    };
    Attempt::Response { status, content_type, body }
}

fn headers(token: &str) -> Result<Headers, Attempt> {
    let headers = Headers::new().map_err(|e| Attempt::NetworkError(js_message(&e)))?;
    if !token.trim().is_empty() {
        let _ = headers.set("Authorization", &format!("Bearer {}", token.trim()));
    }
    Ok(headers)
}

/// The receiver's routes over fetch, for core's delivery runner.
#[derive(Clone, Copy, Debug, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    type Picture = web_sys::Blob;

    /// `POST {endpoint}/inspections` with the payload and its idempotency key.
    async fn send_record(&self, to: &Destination, id: Uuid, payload: &str) -> Attempt {
        let headers = match headers(&to.token) {
            Ok(headers) => headers,
            Err(attempt) => return attempt,
        };
        let _ = headers.set("Content-Type", "application/json");
        let _ = headers.set("Idempotency-Key", &id.to_string());
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(payload));
        fetch(&format!("{}/inspections", to.endpoint), &init, SEND_TIMEOUT_MS, Read::Body).await
    }

    /// `PUT {endpoint}/inspections/{id}/attachments/{attachment}` with the picture and its
    /// SHA-256, which the receiver checks before it acknowledges.
    async fn send_attachment(
        &self,
        to: &Destination,
        id: Uuid,
        attachment: Uuid,
        facts: &PictureFacts,
        picture: &web_sys::Blob,
    ) -> Attempt {
        let headers = match headers(&to.token) {
            Ok(headers) => headers,
            Err(attempt) => return attempt,
        };
        let _ = headers.set("Content-Type", &facts.content_type);
        let _ = headers.set("X-Content-SHA256", &facts.sha256);
        let init = RequestInit::new();
        init.set_method("PUT");
        init.set_headers(&headers);
        init.set_body(picture);
        fetch(&format!("{}/inspections/{id}/attachments/{attachment}", to.endpoint), &init, SEND_TIMEOUT_MS, Read::Body).await
    }

    /// `HEAD {endpoint}/inspections/{id}/attachments/{attachment}`: the body of the answer is
    /// the `X-Content-SHA256` of the bytes held (empty when none).
    async fn held(&self, to: &Destination, id: Uuid, attachment: Uuid) -> Attempt {
        let headers = match headers(&to.token) {
            Ok(headers) => headers,
            Err(attempt) => return attempt,
        };
        let init = RequestInit::new();
        init.set_method("HEAD");
        init.set_headers(&headers);
        let url = format!("{}/inspections/{id}/attachments/{attachment}", to.endpoint);
        fetch(&url, &init, HEALTH_TIMEOUT_MS, Read::Header("x-content-sha256")).await
    }

    async fn get_text(&self, url: &str, token: &str) -> Attempt {
        get_text(url, token).await
    }
}

/// A GET with the token (none when blank): the checks of "test connection", the
/// catalogue, a template import.
pub async fn get_text(url: &str, token: &str) -> Attempt {
    let headers = match headers(token) {
        Ok(headers) => headers,
        Err(attempt) => return attempt,
    };
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_headers(&headers);
    fetch(url, &init, HEALTH_TIMEOUT_MS, Read::Body).await
}

/// `GET {endpoint}/api/inspections?limit=1` with the token: a 401/403 here means the
/// receiver would refuse uploads with this token too ("test connection" checks both).
pub async fn check_token(endpoint: &str, token: &str) -> Attempt {
    get_text(&format!("{endpoint}/api/inspections?limit=1"), token).await
}

/// `GET {endpoint}/health`, for "test connection".
pub async fn health(endpoint: &str, token: &str) -> Attempt {
    get_text(&format!("{endpoint}/health"), token).await
}

/// `GET {endpoint}/me`: who the token belongs to, for Settings.
pub async fn me(endpoint: &str, token: &str) -> Attempt {
    get_text(&format!("{endpoint}/me"), token).await
}

/// `POST {endpoint}/join` `{"code", "label"}`: trades a one-time sign-in code for a device
/// token (the answer's body, `{"token", "person"}`).
pub async fn join(endpoint: &str, code: &str, label: &str) -> Attempt {
    let headers = match headers("") {
        Ok(headers) => headers,
        Err(attempt) => return attempt,
    };
    let _ = headers.set("Content-Type", "application/json");
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&serde_json::json!({ "code": code, "label": label }).to_string()));
    fetch(&format!("{endpoint}/join"), &init, HEALTH_TIMEOUT_MS, Read::Body).await
}

/// `GET {endpoint}/templates`: the receiver's checklist library, for import.
pub async fn templates(endpoint: &str, token: &str) -> Attempt {
    get_text(&format!("{endpoint}/templates"), token).await
}
