//! The shell: header, banners, and the screen the URL fragment names.

use leptos::prelude::*;
use safewalk_core::Route;

use crate::components::banners::Banners;
use crate::components::header::Header;
use crate::lazy;
use crate::pages::open_inspection;
use crate::pages::{checklist::Checklist, details::Details, home::Home, new_inspection::NewInspection, review::Review};
use crate::state::{CatalogueStatus, Services};

#[component]
pub fn App() -> impl IntoView {
    let services = Services::load();
    services.provide();
    services.start();
    let Services { shell, drafts, checklists, .. } = services;

    // The screen, without the checklist position, so moving through the checklist does not
    // re-create the page.
    let screen = Memo::new(move |_| match shell.route() {
        Route::Checklist(id, _) => Route::Checklist(id, None),
        other => other,
    });

    // A draft whose checklist is neither kept on the device nor yet fetched (the catalogue
    // arrives after start) shows "loading", then its screen once the checklist is known.
    let template_found = Memo::new(move |_| match shell.route().inspection() {
        Some(id) => {
            checklists.track();
            // Only a missing checklist cares whether loading is over, so a screen that has its
            // checklist is never re-created under the inspector's fingers when it finishes.
            let found = drafts.template_for(id).is_some();
            // A delivered one whose record is still being read at start opens once it is.
            (found, !found && (checklists.status() == CatalogueStatus::Loading || drafts.is_being_read(id)))
        }
        None => (true, false),
    });

    // Everything is re-created when the language changes (a rare, deliberate act): the
    // screens then use plain strings rather than a reactive closure per text. Nothing is
    // lost, since every field is written to the drafts as it is typed.
    move || {
        shell.lang();
        view! {
            <Header/>
            <Banners/>
            <main id="main" tabindex="-1">
                // `get`, not `track`: a memo runs (and learns its sources) only when read.
                {move || match (template_found.get(), screen.get()).1 {
                    Route::Home => view! { <Home/> }.into_any(),
                    Route::New => view! { <NewInspection/> }.into_any(),
                    Route::Details(id) => open_inspection(id, |edition| view! { <Details id edition/> }.into_any()),
                    Route::Checklist(id, _) => open_inspection(id, |edition| view! { <Checklist id edition/> }.into_any()),
                    Route::Review(id) => open_inspection(id, |edition| view! { <Review id edition/> }.into_any()),
                    Route::Settings => lazy::show(lazy::settings_screen()),
                    Route::Join(code) => lazy::show(lazy::join_screen(code)),
                    Route::Hazard(id, item) => open_inspection(id, |edition| lazy::show(lazy::hazard_screen(id, item, edition))),
                    Route::Register => lazy::show(lazy::register_screen()),
                    Route::Report(id) => open_inspection(id, |edition| lazy::show(lazy::report_screen(id, edition))),
                    Route::Documents(id) => open_inspection(id, |edition| lazy::show(lazy::documents_screen(id, edition))),
                }}
            </main>
        }
    }
}
