//! Keeping the device's data: browsers may clear a site's storage (cleared caches, iOS
//! evicting a site not installed after 7 days without use). After the first draft the app
//! asks for persistent storage and shows the answer; on iOS, when not installed, a banner
//! says why installing keeps data safe and how.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What the browser said about persistent storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// Not asked yet (no draft yet), or the browser has no StorageManager.
    Unknown,
    Granted,
    /// The browser may clear the data under storage pressure.
    BestEffort,
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // Older browsers lack navigator.storage; reading it through Reflect avoids a throw.
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    storage.dyn_into().ok()
}

async fn ask(persist: bool) -> Persistence {
    let Some(manager) = storage_manager() else { return Persistence::Unknown };
    let promise = if persist { manager.persist() } else { manager.persisted() };
    match promise {
        Ok(promise) => match JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()) {
            Some(true) => Persistence::Granted,
            Some(false) => Persistence::BestEffort,
            None => Persistence::Unknown,
        },
        Err(_) => Persistence::Unknown,
    }
}

/// Reads the current state at start, without prompting.
pub fn check(state: RwSignal<Persistence>) {
    spawn_local(async move { state.set(ask(false).await) });
}

/// Asks for persistent storage (after the first draft); a no-op once granted.
pub fn request(state: RwSignal<Persistence>) {
    if state.get_untracked() == Persistence::Granted {
        return;
    }
    spawn_local(async move { state.set(ask(true).await) });
}

/// Storage used and available for this site, in bytes.
pub async fn estimate() -> Option<(f64, f64)> {
    let estimate = JsFuture::from(storage_manager()?.estimate().ok()?).await.ok()?;
    let read = |key: &str| js_sys::Reflect::get(&estimate, &key.into()).ok().and_then(|v| v.as_f64());
    Some((read("usage")?, read("quota")?))
}

/// An iPhone or iPad running Safewalk in a browser tab rather than from the home screen.
pub fn is_ios_tab() -> bool {
    let Some(window) = web_sys::window() else { return false };
    let agent = window.navigator().user_agent().unwrap_or_default();
    let ios = agent.contains("iPhone") || agent.contains("iPad") || agent.contains("iPod");
    let standalone = js_sys::Reflect::get(&window.navigator(), &"standalone".into()).ok().and_then(|v| v.as_bool()) == Some(true)
        || window.match_media("(display-mode: standalone)").ok().flatten().is_some_and(|m| m.matches());
    ios && !standalone
}
