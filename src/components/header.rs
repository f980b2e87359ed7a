//! The top bar: the app's name (back home), whether edits are saved, and the language switch.

use leptos::prelude::*;
use safewalk_core::Lang;

use super::{use_device, use_shell, use_strings};
use crate::state::SaveStatus;

#[component]
pub fn Header() -> impl IntoView {
    let (shell, device) = (use_shell(), use_device());
    let s = use_strings();
    let toggle = move |_| {
        let next = match shell.lang_untracked() {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        shell.set_lang(next);
    };
    let saved_text = move || match device.save_status() {
        // Without localStorage nothing is saved on the device; the banner says so.
        _ if !device.is_persistent() => "",
        SaveStatus::Saved => s.saved,
        SaveStatus::Pending => s.saving,
        SaveStatus::Failed(_) => "",
    };
    // The switch is labelled in the language it switches to.
    let other_lang = if shell.lang_untracked() == Lang::Zh { "en" } else { "zh-CN" };
    view! {
        <header class="top-bar">
            <a class="brand" href="#/">{s.app_name}</a>
            <span class="save-state" role="status" aria-live="polite">{saved_text}</span>
            <a class="settings-link" href=safewalk_core::Route::Settings.to_hash()>{s.settings}</a>
            <button type="button" class="lang-switch" on:click=toggle
                lang=other_lang>
                {s.language_switch}
            </button>
        </header>
    }
}
