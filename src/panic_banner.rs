//! A panic kills the wasm instance and with it the UI. The hook turns that into a visible
//! "reload" banner (static markup in index.html, so it needs nothing from the dead app).
//! Drafts are already on the device, so a reload loses at most the last 300 ms.

pub const BANNER_ID: &str = "panic-banner";

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Safewalk stopped: {info}").into());
        show();
    }));
}

/// Reveals the reload banner.
pub fn show() {
    if let Some(banner) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(BANNER_ID)) {
        let _ = banner.remove_attribute("hidden");
    }
}
