//! The fetch adapter in a real browser: answers and failures become the core's `Attempt`.
#![cfg(target_arch = "wasm32")]

use safewalk::sync::transport::{self, FetchTransport};
use safewalk_core::delivery::outbox::{classify, Attempt, Outcome};
use safewalk_core::delivery::transport::{Destination, Transport};
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_error_and_is_retried() {
    // Port 9 (discard) on this machine: nothing listens, the connection is refused.
    let to = Destination { endpoint: "http://127.0.0.1:9".into(), token: String::new() };
    let attempt = FetchTransport.send_record(&to, Uuid::nil(), "{}").await;
    assert!(matches!(attempt, Attempt::NetworkError(_)), "{attempt:?}");
    assert!(matches!(classify(Uuid::nil(), &attempt), Outcome::Retry(_)));
}

#[wasm_bindgen_test]
async fn an_answer_is_read_with_its_status_type_and_body() {
    // The test runner's own server has no /health: a real 404 answer, not a failure.
    let attempt = transport::health(&origin(), "token").await;
    match attempt {
        Attempt::Response { status, .. } => assert_eq!(status, 404),
        other => panic!("expected a response, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn asking_what_is_held_is_answered_without_a_body() {
    // The test runner's server holds no attachments: a real answer, with no hash header.
    let to = Destination { endpoint: origin(), token: "token".into() };
    match FetchTransport.held(&to, Uuid::nil(), Uuid::nil()).await {
        Attempt::Response { status, body, .. } => {
            assert_ne!(status, 200);
            assert_eq!(body, "");
        }
        other => panic!("expected a response, got {other:?}"),
    }
}
