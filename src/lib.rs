//! Safewalk, the app: a Leptos client-side app compiled to WebAssembly.
//!
//! The rules live in `safewalk-core`; this crate renders them, keeps drafts on the device
//! and talks to the browser.

pub mod app;
pub mod attachments;
pub mod backup;
pub mod browser;
pub mod components;
pub mod digest;
pub mod geo;
pub mod i18n;
pub mod lazy;
pub mod pages;
pub mod panic_banner;
pub mod persistence;
pub mod photos;
pub mod state;
pub mod store;
pub mod sync;
pub mod update;

/// Starts the app: installs the panic banner, then mounts the UI over the boot screen.
pub fn start() {
    panic_banner::install();
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
