//! The bridge to the service-worker registration script (public/sw-register.js): it
//! announces a waiting new version, the app shows a banner, and only on the inspector's
//! "update" are drafts written and the new version activated.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::state::{AppState, SaveStatus};

const READY_FLAG: &str = "__safewalkUpdateReady";

pub fn listen(state: AppState) {
    // The script may have seen the waiting worker before the wasm loaded.
    let flagged =
        web_sys::window().and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str(READY_FLAG)).ok()).is_some_and(|v| v.is_truthy());
    if flagged {
        state.update_ready.set(true);
    }
    window_event_listener_untyped("safewalk:update-ready", move |_| state.update_ready.set(true));
}

/// Saves every draft, then asks the waiting worker to take over; the page reloads when it
/// has. Refused (and `false`) while an edit cannot be written: a reload now would lose it.
pub fn apply(state: AppState) -> bool {
    state.flush();
    if state.save_status.get_untracked() != SaveStatus::Saved {
        return false;
    }
    if let Some(window) = web_sys::window() {
        if let Ok(event) = web_sys::Event::new("safewalk:apply-update") {
            let _ = window.dispatch_event(&event);
        }
    }
    true
}
