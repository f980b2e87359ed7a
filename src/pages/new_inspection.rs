//! New inspection: pick the sector's checklist. The draft exists from that tap on, so the
//! site details typed next are already autosaved.

use leptos::prelude::*;
use safewalk_core::Route;

use crate::components::{use_lang, use_state, use_strings};

#[component]
pub fn NewInspection() -> impl IntoView {
    let state = use_state();
    let s = use_strings();
    let lang = use_lang();
    let errors = state.template_errors();
    let choices = state
        .templates()
        .into_iter()
        .map(|template| {
            let start = {
                let template = template.clone();
                move |_| {
                    let id = state.create_inspection(&template);
                    state.navigate(Route::Details(id));
                }
            };
            let count = template.item_count();
            let (sector, title) = (template.sector.clone(), template.title.clone());
            view! {
                <li>
                    <button type="button" class="card card-choice" on:click=start>
                        <span class="card-title">{sector.get(lang).to_string()}</span>
                        <span class="card-sector">{title.get(lang).to_string()}</span>
                        <span class="card-progress">{count}" "{s.items_count}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="page">
            <a class="back" href=Route::Home.to_hash()>"‹ "{s.back}</a>
            <h1>{s.pick_sector}</h1>
            <p class="hint">{s.pick_sector_hint}</p>
            {(!errors.is_empty()).then(|| view! {
                <div class="banner banner-warning" role="alert">
                    <p>{s.templates_broken}</p>
                    <ul>{errors.iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                </div>
            })}
            <ul class="cards">{choices}</ul>
        </section>
    }
}
