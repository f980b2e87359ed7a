//! The frame around the screens: the language, where the app is (the URL fragment), and
//! the banner of a waiting new version.

use leptos::prelude::*;
use safewalk_core::{Lang, Route};

use super::device::Device;
use super::drafts::Drafts;
use crate::browser;
use crate::update;

const LANG_KEY: &str = "safewalk.lang";

#[derive(Clone, Copy)]
pub struct Shell {
    lang: RwSignal<Lang>,
    route: RwSignal<Route>,
    update_ready: RwSignal<bool>,
    /// A checklist position waiting to be written into the URL ([`Shell::remember_position`]).
    position: StoredValue<Option<Route>>,
    drafts: Drafts,
    device: Device,
}

impl Shell {
    /// The saved language (else the browser's) and the route in the URL.
    pub fn load(device: Device, drafts: Drafts) -> Shell {
        let lang = device.read_text(LANG_KEY).and_then(|code| Lang::from_code(&code)).unwrap_or_else(browser::preferred_lang);
        Shell {
            lang: RwSignal::new(lang),
            route: RwSignal::new(Route::parse(&browser::location_hash())),
            update_ready: RwSignal::new(false),
            position: StoredValue::new(None),
            drafts,
            device,
        }
    }

    /// Follows the URL fragment and listens for a waiting new version. The app lives as long
    /// as the page, so these listeners are never removed.
    pub fn listen(&self) {
        let route = self.route;
        browser::set_document_lang(self.lang.get_untracked());
        // A position remembered in the checklist comes back here as a `hashchange` to where
        // the app already is: nothing to tell the screens.
        window_event_listener_untyped("hashchange", move |_| {
            let now = Route::parse(&browser::location_hash());
            if route.with_untracked(|was| *was != now) {
                route.set(now);
            }
        });
        let ready = self.update_ready;
        update::listen(move || ready.set(true));
    }

    /// The language. Tracked.
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    pub fn lang_untracked(&self) -> Lang {
        self.lang.get_untracked()
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        browser::set_document_lang(lang);
        // A language preference that fails to save is not worth a warning.
        let _ = self.device.put_text(LANG_KEY, lang.code());
    }

    /// Where the app is. Tracked.
    pub fn route(&self) -> Route {
        self.route.get()
    }

    pub fn route_untracked(&self) -> Route {
        self.route.get_untracked()
    }

    pub fn navigate(&self, route: Route) {
        browser::set_location_hash(&route.to_hash());
        self.route.set(route);
    }

    /// Takes a used sign-in code out of the URL (and the history) but leaves its screen
    /// showing: the URL becomes `#/join`, which no link points to, so every link still
    /// changes the screen, and which a reload reads as Home.
    pub fn forget_join_code(&self) {
        browser::replace_location_hash("#/join");
    }

    /// Remembers the position in the checklist without adding a history entry. The URL is
    /// written once the tap's answer is drawn, not in the tap: a URL change took more of a tap
    /// than anything else in it (a profile at 4x CPU), and nobody reloads within two frames.
    /// Quick taps in a row write the last position once.
    pub fn remember_position(&self, route: Route) {
        self.route.set(route.clone());
        let waiting = self.position.try_update_value(|position| position.replace(route).is_some()).unwrap_or(false);
        if waiting {
            return;
        }
        let shell = *self;
        // After the next frame and the one after it (each `after_paint` is a frame, then a task).
        browser::after_paint(move || {
            browser::after_paint(move || {
                let Some(Some(position)) = shell.position.try_update_value(Option::take) else { return };
                // Written only while the app is still on this checklist: a link or Back taken
                // meanwhile has moved the URL on, and writing the position would undo it.
                let still_here = match (Route::parse(&browser::location_hash()), &position) {
                    (Route::Checklist(at, _), Route::Checklist(id, _)) => at == *id,
                    _ => false,
                };
                if still_here {
                    browser::replace_location_fragment(&position.to_hash());
                }
            })
        });
    }

    /// Whether a new version waits to take over.
    pub fn update_ready(&self) -> bool {
        self.update_ready.get()
    }

    /// Saves every draft, then lets the waiting version take over; the page reloads when it
    /// has. Refused (and `false`) while an edit cannot be written: a reload now would lose it.
    pub fn apply_update(&self) -> bool {
        self.drafts.flush();
        if !self.drafts.all_saved() {
            return false;
        }
        update::activate();
        true
    }
}
