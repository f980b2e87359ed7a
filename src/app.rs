//! The shell: header, banners, and the screen the URL fragment names.

use leptos::prelude::*;
use safewalk_core::Route;

use crate::components::banners::Banners;
use crate::components::header::Header;
use crate::pages::{
    checklist::Checklist, details::Details, hazard::HazardPage, home::Home, new_inspection::NewInspection, register::Register,
    report::Report, review::Review, settings::SettingsPage,
};
use crate::state::AppState;
use crate::{browser, update};

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::load();
    provide_context(state);
    browser::set_document_lang(state.lang.get_untracked());

    // The app lives as long as the page, so these listeners are never removed.
    window_event_listener_untyped("hashchange", move |_| state.route.set(Route::parse(&browser::location_hash())));
    // Last chance to write before the tab is frozen or killed.
    window_event_listener_untyped("pagehide", move |_| state.flush());
    window_event_listener_untyped("visibilitychange", move |_| {
        if browser::is_hidden() {
            state.flush();
        }
    });
    update::listen(state);
    crate::delivery_port::start(state);
    leptos::task::spawn_local(state.checklists.fetch_catalogue());
    crate::persistence::check(state.persistence);

    // The screen, without the checklist position, so moving through the checklist does not
    // re-create the page.
    let screen = Memo::new(move |_| match state.route.get() {
        Route::Checklist(id, _) => Route::Checklist(id, None),
        other => other,
    });

    // A draft whose checklist is neither kept on the device nor yet fetched (the catalogue
    // arrives after start) shows "loading", then its screen once the checklist is known.
    let template_found = Memo::new(move |_| match state.route.get().inspection() {
        Some(id) => {
            state.checklists.track();
            // Only a missing checklist cares whether loading is over, so a screen that has its
            // checklist is never re-created under the inspector's fingers when it finishes.
            let found = state.template_for(id).is_some();
            (found, !found && state.checklists.status.get() == crate::checklists::CatalogueStatus::Loading)
        }
        None => (true, false),
    });

    // Everything is re-created when the language changes (a rare, deliberate act): the
    // screens then use plain strings rather than a reactive closure per text. Nothing is
    // lost, since every field is written to the state as it is typed.
    move || {
        state.lang.track();
        view! {
            <Header/>
            <Banners/>
            <main id="main" tabindex="-1">
                // `get`, not `track`: a memo runs (and learns its sources) only when read.
                {move || match (template_found.get(), screen.get()).1 {
                    Route::Home => view! { <Home/> }.into_any(),
                    Route::New => view! { <NewInspection/> }.into_any(),
                    Route::Details(id) => view! { <Details id/> }.into_any(),
                    Route::Checklist(id, _) => view! { <Checklist id/> }.into_any(),
                    Route::Review(id) => view! { <Review id/> }.into_any(),
                    Route::Settings => view! { <SettingsPage/> }.into_any(),
                    Route::Hazard(id, item) => view! { <HazardPage id item/> }.into_any(),
                    Route::Register => view! { <Register/> }.into_any(),
                    Route::Report(id) => view! { <Report id/> }.into_any(),
                }}
            </main>
        }
    }
}
