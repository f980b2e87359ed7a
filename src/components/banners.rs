//! Messages that concern the whole app: a full or failing store, storage blocked by the
//! browser, a new version waiting.

use leptos::prelude::*;

use super::{use_state, use_strings};
use crate::state::SaveStatus;
use crate::update;

#[component]
pub fn Banners() -> impl IntoView {
    let state = use_state();
    let s = use_strings();
    let update_refused = RwSignal::new(false);
    let storage_problem = move || match state.save_status.get() {
        SaveStatus::Full => Some(s.storage_full.to_string()),
        SaveStatus::Failed(why) => Some(format!("{} ({why})", s.storage_failed)),
        SaveStatus::Saved | SaveStatus::Pending => None,
    };
    view! {
        <div class="banners">
            {move || storage_problem().map(|text| view! {
                <p class="banner banner-danger" role="alert" data-testid="storage-banner">{text}</p>
            })}
            <Show when=move || !state.persistent>
                <p class="banner banner-warning" role="alert">{s.storage_unavailable}</p>
            </Show>
            <Show when=move || state.update_ready.get()>
                <div class="banner banner-info" role="status" data-testid="update-banner">
                    <span>{s.update_ready}</span>
                    <button type="button" class="button" on:click=move |_| update_refused.set(!update::apply(state))>
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
