//! Site details and the inspecting team, every field written through as it is typed.

use leptos::prelude::*;
use safewalk_core::{Route, SiteField};
use uuid::Uuid;

use super::Unavailable;
use crate::components::site_field::SiteFieldInput;
use crate::components::{use_lang, use_state, use_strings};

#[component]
pub fn Details(id: Uuid) -> impl IntoView {
    let state = use_state();
    let s = use_strings();
    let lang = use_lang();
    let Some(template) = state.template_for(id) else {
        return view! { <Unavailable id/> }.into_any();
    };
    let category = Memo::new(move |_| state.with_inspection(id, |i| i.site.category.clone()).unwrap_or_default());
    let locked = state.with_inspection_untracked(id, |i| i.is_completed()).unwrap_or(true);
    let on_category = move |ev| {
        let value = event_target_value(&ev);
        let _ = state.edit(id, |i, _, now| i.set_field(SiteField::Category, &value, now));
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
