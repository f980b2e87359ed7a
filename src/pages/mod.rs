//! One screen a file.

pub mod checklist;
pub mod details;
pub mod determination;
pub mod documents;
pub mod follow_up;
pub mod hazard;
pub mod home;
pub mod new_inspection;
pub mod register;
pub mod report;
pub mod review;
pub mod settings;

use leptos::prelude::*;
use safewalk_core::Route;
use uuid::Uuid;

use crate::components::{use_checklists, use_drafts, use_strings};
use crate::state::{CatalogueStatus, Edition};

/// The screens about one inspection open through here: with the inspection's checklist
/// edition when both are on the device, or once with "unavailable" (or "loading" while the
/// catalogue may still bring the checklist).
pub fn open_inspection(id: Uuid, screen: impl FnOnce(Edition) -> AnyView) -> AnyView {
    match use_drafts().edition_for(id) {
        Some(edition) => screen(edition),
        None => view! { <Unavailable id/> }.into_any(),
    }
}

/// What a screen about one inspection shows when that inspection or its template is gone.
#[component]
pub fn Unavailable(id: Uuid) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    if drafts.is_being_read(id) {
        // Its record is in the archive: read it now; the screen opens once it is here.
        leptos::task::spawn_local(async move { drafts.read_archived(&[id]).await });
        return view! { <section class="page"><p class="hint" role="status">{s.archive_loading}</p></section> }.into_any();
    }
    if drafts.archive_unreadable(id) {
        return view! {
            <section class="page">
                <h1>{s.not_found}</h1>
                <p role="alert">{s.archive_unreadable}</p>
                <a class="button" href=Route::Home.to_hash()>{s.home}</a>
            </section>
        }
        .into_any();
    }
    let missing_template = drafts.with_inspection_untracked(id, |i| format!("{} {}", i.template.id, i.template.version));
    if missing_template.is_some() && use_checklists().status_untracked() == CatalogueStatus::Loading {
        return view! { <section class="page"><p class="hint" role="status">{s.catalogue_loading}</p></section> }.into_any();
    }
    view! {
        <section class="page">
            <h1>{if missing_template.is_some() { s.checklist_unavailable } else { s.not_found }}</h1>
            {missing_template.map(|which| view! { <p>{(s.template_missing)(&which)}</p> })}
            <a class="button" href=Route::Home.to_hash()>{s.home}</a>
        </section>
    }
    .into_any()
}
