//! Review: counts per answer, the hazards found, what is still missing (each a link to the
//! place to fix it), and "complete" once nothing is.

use leptos::prelude::*;
use safewalk_core::completion::{problems, Tally};
use safewalk_core::{Problem, Route};
use uuid::Uuid;

use super::Unavailable;
use crate::browser;
use crate::components::delivery::DeliveryStatus;
use crate::components::{use_lang, use_state, use_strings};

#[component]
pub fn Review(id: Uuid) -> impl IntoView {
    let state = use_state();
    let s = use_strings();
    let lang = use_lang();
    let Some(template) = state.template_for(id) else {
        return view! { <Unavailable id/> }.into_any();
    };
    let tally = {
        let template = template.clone();
        Memo::new(move |_| state.with_inspection(id, |i| Tally::of(i, &template)).unwrap_or_default())
    };
    let missing = {
        let template = template.clone();
        Memo::new(move |_| state.with_inspection(id, |i| problems(i, &template)).unwrap_or_default())
    };
    let completed_at = Memo::new(move |_| state.with_inspection(id, |i| i.completed_at).flatten());
    let complete = move |_| {
        // The button is only enabled when nothing is missing; the core checks again anyway.
        let _ = state.complete(id);
    };

    let item_text = {
        let template = template.clone();
        move |item_id: &str| template.item(item_id).map(|item| item.text.get(lang).to_string()).unwrap_or_default()
    };
    let hazards = {
        let item_text = item_text.clone();
        move || {
            tally
                .get()
                .hazard_items
                .into_iter()
                .map(|item_id| {
                    let note = state.with_inspection(id, |i| i.note(&item_id).to_string()).unwrap_or_default();
                    let href = Route::Checklist(id, Some(item_id.clone())).to_hash();
                    view! { <li><a href=href>{item_text(&item_id)}</a><p class="hazard-note">{note}</p></li> }
                })
                .collect_view()
        }
    };
    let missing_list = move || {
        missing
            .get()
            .into_iter()
            .map(|problem| {
                let (href, text) = match &problem {
                    Problem::Missing(field) => (Route::Details(id).to_hash(), format!("{} ({})", s.field(*field), s.required)),
                    Problem::InvalidPhone => (Route::Details(id).to_hash(), s.phone_invalid.to_string()),
                    Problem::UnknownCategory => (Route::Details(id).to_hash(), s.unknown_category.to_string()),
                    Problem::Unanswered { item_id } => (
                        Route::Checklist(id, Some(item_id.clone())).to_hash(),
                        format!("{} — {}", item_text(item_id), s.unanswered_item),
                    ),
                    Problem::HazardNeedsNote { item_id } => (
                        Route::Checklist(id, Some(item_id.clone())).to_hash(),
                        format!("{} — {}", item_text(item_id), s.hazard_needs_note),
                    ),
                };
                view! { <li><a href=href>{text}</a></li> }
            })
            .collect_view()
    };
    let title = template.title.clone();
    let site = Memo::new(move |_| state.with_inspection(id, |i| i.site.name.clone()).unwrap_or_default());

    view! {
        <section class="page review">
            <a class="back" href=Route::Checklist(id, None).to_hash()>"‹ "{s.checklist}</a>
            <h1>{s.review}</h1>
            <p class="subtitle">{move || site.get()}" · "{title.get(lang).to_string()}</p>

            <h2>{s.counts}</h2>
            <dl class="counts" data-testid="counts">
                <div class="count count-compliant"><dt>{s.answer_compliant}</dt><dd>{move || tally.get().compliant}</dd></div>
                <div class="count count-hazard"><dt>{s.answer_hazard}</dt><dd>{move || tally.get().hazards}</dd></div>
                <div class="count count-na"><dt>{s.answer_na}</dt><dd>{move || tally.get().not_applicable}</dd></div>
                <div class="count count-open"><dt>{s.unanswered_item}</dt><dd>{move || tally.get().unanswered}</dd></div>
            </dl>

            <h2>{s.hazards_found}</h2>
            {move || if tally.get().hazards > 0 {
                view! { <ol class="hazards" data-testid="hazards">{hazards()}</ol> }.into_any()
            } else {
                view! { <p class="empty">{s.no_hazards}</p> }.into_any()
            }}

            {move || completed_at.get().is_none().then(|| view! {
                <h2>{s.missing}</h2>
                {if missing.get().is_empty() {
                    view! { <p class="ok">{s.nothing_missing}</p> }.into_any()
                } else {
                    view! { <ul class="missing" data-testid="missing">{missing_list()}</ul> }.into_any()
                }}
            })}

            <div class="actions">
                {move || match completed_at.get() {
                    Some(at) => view! {
                        <p class="banner banner-success" role="status">
                            {s.completed_on}": "{browser::format_time(at, lang)}". "{s.read_only}
                        </p>
                        <p><DeliveryStatus id/></p>
                    }.into_any(),
                    None => view! {
                        <button type="button" class="button button-primary button-big"
                            disabled=move || !missing.get().is_empty() aria-describedby="complete-hint"
                            on:click=complete>{s.complete}</button>
                        <p id="complete-hint" class="hint" hidden=move || missing.get().is_empty()>{s.complete_blocked}</p>
                    }.into_any(),
                }}
            </div>
        </section>
    }
    .into_any()
}
