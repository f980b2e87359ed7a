//! Settings: where completed inspections are sent, the access token, and who is inspecting.

use leptos::prelude::*;
use leptos::task::spawn_local;
use safewalk_core::outbox::{classify, Attempt, Outcome};
use safewalk_core::settings::{validate_endpoint, Settings};
use safewalk_core::Route;

use crate::components::{use_state, use_strings};
use crate::persistence::{self, Persistence};
use crate::sync::{runner, transport};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = use_state();
    let s = use_strings();
    let draft = RwSignal::new(state.settings.get_untracked());
    let message = RwSignal::new(None::<(bool, String)>);

    let field = move |id: &'static str, label: &'static str, kind: &'static str, read: fn(&Settings) -> &String, write: fn(&mut Settings, String)| {
        let initial = draft.with_untracked(|d| read(d).clone());
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind autocomplete="off" prop:value=initial
                    on:input=move |ev| draft.update(|d| write(d, event_target_value(&ev)))/>
            </div>
        }
    };
    let save = move |_| match state.save_settings(draft.get_untracked()) {
        Ok(()) => {
            message.set(Some((true, s.settings_saved.to_string())));
            runner::send_now(state);
        }
        Err(e) => message.set(Some((false, s.endpoint_error(&e).to_string()))),
    };
    let test = move |_| {
        let settings = draft.get_untracked();
        let endpoint = if settings.endpoint.trim().is_empty() {
            Ok(crate::browser::origin())
        } else {
            validate_endpoint(&settings.endpoint)
        };
        let endpoint = match endpoint {
            Ok(endpoint) => endpoint,
            Err(e) => return message.set(Some((false, s.endpoint_error(&e).to_string()))),
        };
        spawn_local(async move {
            let attempt = transport::health(&endpoint, &settings.token).await;
            let result = match &attempt {
                Attempt::Response { status: 200, content_type: Some(c), .. } if c.contains("json") => {
                    // Reachable; now whether this token would be accepted.
                    match transport::check_token(&endpoint, &settings.token).await {
                        Attempt::Response { status: 401 | 403, .. } => Err(s.token_refused.to_string()),
                        _ => Ok(()),
                    }
                }
                Attempt::Response { status: 200, .. } => Err(format!("{endpoint}/health: not a Safewalk receiver")),
                other => Err(match classify(uuid::Uuid::nil(), other) {
                    Outcome::Retry(why) | Outcome::AuthFailed(why) | Outcome::Conflict(why) => why,
                    Outcome::Rejected { status, message } => format!("{status}: {message}"),
                    Outcome::TooLarge => "413".into(),
                    Outcome::Delivered(_) => String::new(),
                }),
            };
            message.set(Some(match result {
                Ok(()) => (true, s.connection_ok.to_string()),
                Err(why) => (false, format!("{}{why}", s.connection_failed)),
            }));
        });
    };
    view! {
        <section class="page settings">
            <a class="back" href=Route::Home.to_hash()>"‹ "{s.home}</a>
            <h1>{s.settings}</h1>
            <form class="form" on:submit=move |ev| ev.prevent_default()>
                {field("settings-endpoint", s.endpoint, "url", |d| &d.endpoint, |d, v| d.endpoint = v)}
                <p class="field-hint">{s.endpoint_hint}</p>
                {field("settings-token", s.token, "password", |d| &d.token, |d, v| d.token = v)}
                {field("settings-inspector-name", s.inspector_name, "text", |d| &d.inspector_name, |d, v| d.inspector_name = v)}
                {field("settings-inspector-id", s.inspector_id, "text", |d| &d.inspector_id, |d, v| d.inspector_id = v)}
            </form>
            <div class="actions">
                <button type="button" class="button button-primary button-big" on:click=save>{s.save}</button>
                <button type="button" class="button" on:click=test>{s.test_connection}</button>
                <p role="status" data-testid="settings-message"
                    class=move || match message.get() { Some((true, _)) => "ok", Some((false, _)) => "field-error", None => "" }>
                    {move || message.get().map(|(_, text)| text)}
                </p>
            </div>
            <StorageInfo/>
        </section>
    }
}

/// Whether the browser keeps this app's data, and how much storage it uses.
#[component]
fn StorageInfo() -> impl IntoView {
    let state = use_state();
    let s = use_strings();
    let usage = RwSignal::new(None::<(f64, f64)>);
    spawn_local(async move { usage.set(persistence::estimate().await) });
    let megabytes = |bytes: f64| format!("{:.1} MB", bytes / 1_048_576.0);
    view! {
        <h2>{s.storage_title}</h2>
        <p data-testid="persistence">{move || match state.persistence.get() {
            Persistence::Granted => s.storage_persistent,
            Persistence::BestEffort => s.storage_best_effort,
            Persistence::Unknown => s.storage_unknown,
        }}</p>
        <p data-testid="storage-usage">{move || usage.get().map(|(used, quota)| {
            format!("{} {} {} {}", s.storage_used, megabytes(used), s.storage_of, megabytes(quota))
        })}</p>
    }
}
