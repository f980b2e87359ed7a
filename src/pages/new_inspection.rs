//! New inspection: pick the sector's checklist. The draft exists from that tap on, so the
//! site details typed next are already autosaved. Checklists can also be imported here,
//! from a file or from the receiver's `GET {endpoint}/templates`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use safewalk_core::{Route, TemplateError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::components::{use_checklists, use_drafts, use_lang, use_settings, use_shell, use_strings};
use crate::state::CatalogueStatus;

/// What the last import did.
#[derive(Clone)]
enum ImportOutcome {
    Working,
    Done(usize, Vec<TemplateError>),
    Failed(String),
}

#[component]
pub fn NewInspection() -> impl IntoView {
    let (drafts, checklists, settings, shell) = (use_drafts(), use_checklists(), use_settings(), use_shell());
    let s = use_strings();
    let lang = use_lang();
    let choices = move || {
        checklists
            .latest()
            .into_iter()
            .map(|template| {
                let start = {
                    let template = template.clone();
                    move |_| {
                        let id = drafts.create(&template);
                        shell.navigate(Route::Details(id));
                    }
                };
                let count = template.item_count();
                view! {
                    <li>
                        <button type="button" class="card card-choice" on:click=start>
                            <span class="card-title">{template.sector.get(lang).to_string()}</span>
                            <span class="card-sector">{template.title.get(lang).to_string()}</span>
                            <span class="card-progress">{(s.items_count)(count)}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let status = move || match checklists.status() {
        CatalogueStatus::Loading => Some(view! { <p class="hint" role="status">{s.catalogue_loading}</p> }.into_any()),
        CatalogueStatus::Ready => None,
        CatalogueStatus::Failed(why) => {
            Some(view! { <p class="banner banner-warning" role="alert">{(s.catalogue_failed)(&s.catalogue_failure(&why))}</p> }.into_any())
        }
    };
    let errors = move || {
        let errors = checklists.errors();
        (!errors.is_empty()).then(|| {
            view! {
                <div class="banner banner-warning" role="alert">
                    <p>{s.templates_broken}</p>
                    <ul>{errors.iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                </div>
            }
        })
    };

    let outcome = RwSignal::new(None::<ImportOutcome>);
    let finish = move |json: String| {
        let (imported, refused) = checklists.import(&json);
        outcome.set(Some(ImportOutcome::Done(imported, refused)));
    };
    let from_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        outcome.set(Some(ImportOutcome::Working));
        spawn_local(async move {
            match JsFuture::from(file.text()).await.ok().and_then(|text| text.as_string()) {
                Some(json) => finish(json),
                None => outcome.set(Some(ImportOutcome::Failed(s.import_unreadable_file.into()))),
            }
        });
    };
    let from_server = move |_| {
        outcome.set(Some(ImportOutcome::Working));
        spawn_local(async move {
            outcome.set(Some(match checklists.import_from_receiver(settings.endpoint(), settings.token()).await {
                Ok((imported, refused)) => ImportOutcome::Done(imported, refused),
                Err(e) => ImportOutcome::Failed(s.receiver_import_error(&e)),
            }));
        });
    };
    let report = move || {
        outcome.get().map(|o| match o {
            ImportOutcome::Working => view! { <p role="status">{s.import_working}</p> }.into_any(),
            ImportOutcome::Done(imported, refused) => view! {
                <div role="status" class=if refused.is_empty() { "banner banner-success" } else { "banner banner-warning" }>
                    <p>{(s.import_done)(imported)}</p>
                    {(!refused.is_empty()).then(|| view! {
                        <p>{s.import_refused}</p>
                        <ul class="errors">{refused.iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                    })}
                </div>
            }
            .into_any(),
            ImportOutcome::Failed(why) => view! { <p class="banner banner-danger" role="alert">{why}</p> }.into_any(),
        })
    };

    view! {
        <section class="page">
            <a class="back" href=Route::Home.to_hash()>"‹ "{s.back}</a>
            <h1>{s.pick_sector}</h1>
            <p class="hint">{s.pick_sector_hint}</p>
            {status}
            {errors}
            <ul class="cards">{choices}</ul>
            <h2>{s.import_title}</h2>
            <p class="hint">{s.import_hint}</p>
            <label class="button file-button">
                {s.import_file}
                <input type="file" accept=".json,application/json" class="visually-hidden" on:change=from_file/>
            </label>
            <button type="button" class="button" on:click=from_server>{s.import_server}</button>
            {report}
        </section>
    }
}
