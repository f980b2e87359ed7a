//! Site details and the inspecting team, every field written through as it is typed, and
//! where the inspection starts (if the inspector allows the position).

use leptos::prelude::*;
use leptos::task::spawn_local;
use safewalk_core::{Route, SiteField};
use uuid::Uuid;

use crate::browser;
use crate::components::photos::accuracy_text;
use crate::components::site_field::SiteFieldInput;
use crate::components::{use_drafts, use_lang, use_strings};
use crate::geo;
use crate::state::Edition;

#[component]
pub fn Details(id: Uuid, edition: Edition) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let lang = use_lang();
    let template = edition.template;
    let category = Memo::new(move |_| drafts.with_inspection(id, |i| i.site.category.clone()).unwrap_or_default());
    let locked = drafts.with_inspection_untracked(id, |i| i.is_completed() || i.is_signed()).unwrap_or(true);
    let on_category = move |ev| {
        let value = event_target_value(&ev);
        let _ = drafts.edit(id, |i, _, now| i.set_field(SiteField::Category, &value, now));
    };
    let categories = template.site_categories.clone();
    let title = template.title.clone();
    view! {
        <section class="page details">
            <a class="back" href=Route::Home.to_hash()>"‹ "{s.home}</a>
            <h1>{s.site_details}</h1>
            <p class="subtitle">{title.get(lang).to_string()}</p>
            <p class="hint">{s.required_hint}</p>
            <form class="form" on:submit=move |ev| ev.prevent_default()>
                <SiteFieldInput id field=SiteField::SiteName/>
                <SiteFieldInput id field=SiteField::Address/>
                <Location id locked/>
                <div class="field">
                    <label for="field-category">
                        {s.field(SiteField::Category)}
                        <span class="required-mark">" (" {s.required} ")"</span>
                    </label>
                    <select id="field-category" required=true disabled=locked on:change=on_category>
                        <option value="" selected=move || category.get().is_empty()>{s.choose}</option>
                        {categories.into_iter().map(|c| {
                            let value = c.id.clone();
                            let name = c.name.clone();
                            view! {
                                <option value=c.id.clone() selected=move || category.get() == value>
                                    {name.get(lang).to_string()}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <SiteFieldInput id field=SiteField::Enterprise/>
                <SiteFieldInput id field=SiteField::Uscc hint=|s| s.uscc_hint/>
                <SiteFieldInput id field=SiteField::Principal/>
                <SiteFieldInput id field=SiteField::PrincipalPhone/>
                <h2>{s.team_details}</h2>
                <SiteFieldInput id field=SiteField::Department/>
                <SiteFieldInput id field=SiteField::Inspectors hint=|s| s.inspectors_hint/>
            </form>
            <div class="actions">
                <a class="button button-primary button-big" href=Route::Checklist(id, None).to_hash()>{s.to_checklist}</a>
            </div>
        </section>
    }
    .into_any()
}

/// The position at the start of the inspection: recorded when the inspector asks (the
/// browser asks for permission on that tap), shown with its accuracy and a warning when it
/// is worse than 50 m. Without it the inspection simply goes on.
#[component]
fn Location(id: Uuid, locked: bool) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let position = Memo::new(move |_| drafts.with_inspection(id, |i| i.position).flatten());
    let shown = Memo::new(move |_| match position.get() {
        Some(p) => format!("{}, {} ({})", browser::fixed(p.lat, 5), browser::fixed(p.lon, 5), accuracy_text(&p)),
        None => s.location_none.to_string(),
    });
    let no_warning = Memo::new(move |_| position.get().is_none_or(|p| p.is_accurate()));
    let busy = RwSignal::new(false);
    let problem = RwSignal::new("");
    let record = move |_| {
        busy.set(true);
        problem.set("");
        spawn_local(async move {
            match geo::locate(10_000).await {
                Ok(fix) => {
                    if drafts.edit(id, |i, _, now| i.set_position(Some(fix), now)).is_ok() {
                        drafts.flush();
                    }
                }
                Err(error) => {
                    problem.try_set(s.geo_error(error));
                }
            }
            busy.try_set(false);
        });
    };
    let controls = (!locked).then(|| {
        let (label, working) = (
            Memo::new(move |_| if position.get().is_some() { s.record_location_again } else { s.record_location }),
            Memo::new(move |_| if busy.get() { s.photo_locating } else { "" }),
        );
        view! {
            <p class="field-hint">{s.location_hint}</p>
            <button type="button" class="button" data-testid="record-location" disabled=busy on:click=record>{label}</button>
            <p class="photo-status" role="status"><span class="spinner" aria-hidden="true"></span>{working}</p>
            <p class="photo-warning" role="alert" data-testid="location-problem">{problem}</p>
        }
    });
    view! {
        <div class="field location" class:busy=busy role="group" aria-labelledby="location-title">
            <p class="field-label" id="location-title">{s.location_title}</p>
            <p data-testid="position">{shown}</p>
            <p class="photo-warning" data-testid="position-warning" hidden=no_warning>{s.accuracy_poor}</p>
            {controls}
        </div>
    }
}
