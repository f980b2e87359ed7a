//! The fetch adapter in a real browser: answers and failures become the core's `Attempt`.
#![cfg(target_arch = "wasm32")]

use safewalk::sync::transport;
use safewalk_core::delivery::outbox::{classify, Attempt, Outcome};
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_error_and_is_retried() {
    // Port 9 (discard) on this machine: nothing listens, the connection is refused.
    let attempt = transport::send_inspection("http://127.0.0.1:9", "", &Uuid::nil().to_string(), "{}").await;
    assert!(matches!(attempt, Attempt::NetworkError(_)), "{attempt:?}");
    assert!(matches!(classify(Uuid::nil(), &attempt), Outcome::Retry(_)));
}

#[wasm_bindgen_test]
async fn an_answer_is_read_with_its_status_type_and_body() {
    // The test runner's own server has no /health: a real 404 answer, not a failure.
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let attempt = transport::health(&origin, "token").await;
    match attempt {
        Attempt::Response { status, .. } => assert_eq!(status, 404),
        other => panic!("expected a response, got {other:?}"),
    }
}
