//! Messages that concern the whole app: a full or failing store, storage blocked by the
//! browser, stored data that vanished since the last start, a new version waiting.

use leptos::prelude::*;

use super::{use_device, use_shell, use_strings};
use crate::state::SaveStatus;

#[component]
pub fn Banners() -> impl IntoView {
    let (shell, device) = (use_shell(), use_device());
    let s = use_strings();
    let update_refused = RwSignal::new(false);
    let storage_problem = move || match device.save_status() {
        SaveStatus::Failed(error) => Some(s.save_failure(&error)),
        SaveStatus::Saved | SaveStatus::Pending => None,
    };
    view! {
        <div class="banners" data-stores-checked=move || device.stores_checked().to_string()>
            {move || storage_problem().map(|text| view! {
                <p class="banner banner-danger" role="alert" data-testid="storage-banner">{text}</p>
            })}
            {move || device.vanished().map(|check| view! {
                <div class="banner banner-danger" role="alert" data-testid="storage-vanished">
                    <span>{s.storage_vanished(check)}</span>
                    <button type="button" class="button" on:click=move |_| device.dismiss_vanished()>{s.dismiss}</button>
                </div>
            })}
            <Show when=move || !device.is_persistent()>
                <p class="banner banner-warning" role="alert">{s.storage_unavailable}</p>
            </Show>
            <Show when=move || shell.update_ready()>
                <div class="banner banner-info" role="status" data-testid="update-banner">
                    <span>{s.update_ready}</span>
                    <button type="button" class="button" on:click=move |_| update_refused.set(!shell.apply_update())>
                        {s.update_now}
                    </button>
                    <Show when=move || update_refused.get()>
                        <p role="alert">{s.update_blocked}</p>
                    </Show>
                </div>
            </Show>
        </div>
    }
}
