//! The bridge to the service-worker registration script (public/sw-register.js): it
//! announces a waiting new version, and activates it when asked. What the app does in
//! between (the banner, writing drafts first) is the shell's ([`crate::state::Shell`]).

use leptos::prelude::*;
use wasm_bindgen::JsValue;

const READY_FLAG: &str = "__safewalkUpdateReady";

/// Calls `ready` when a new version is waiting, now or later.
pub fn listen(ready: impl Fn() + Clone + 'static) {
    // The script may have seen the waiting worker before the wasm loaded.
    let flagged =
        web_sys::window().and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str(READY_FLAG)).ok()).is_some_and(|v| v.is_truthy());
    if flagged {
        ready();
    }
    window_event_listener_untyped("safewalk:update-ready", move |_| ready());
}

/// Asks the waiting worker to take over.
pub fn activate() {
    if let Some(window) = web_sys::window() {
        if let Ok(event) = web_sys::Event::new("safewalk:apply-update") {
            let _ = window.dispatch_event(&event);
        }
    }
}
