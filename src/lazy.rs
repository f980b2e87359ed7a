//! Screens whose code is downloaded when first opened, not with the app.
//!
//! Built by `scripts/build` (which sets `--cfg safewalk_split`), each screen below is a split
//! point: `wasm-split-cli` moves its code out of the main wasm into a part of its own, fetched
//! the first time the screen opens (and precached by the service worker right after the first
//! load, so it also opens offline). Built any other way (`cargo test`, clippy, a plain `trunk
//! build`) the same functions are ordinary calls, so nothing else needs the split tooling.
//!
//! A split function is `fallible`: a part that cannot be fetched (offline before the worker
//! finished precaching) shows a message and the way back, instead of the default panic, which
//! would stop the whole app. The next opening tries again.

use leptos::prelude::*;
use safewalk_core::Route;

use crate::components::use_strings;

/// A part of the app could not be downloaded.
#[derive(Debug, Clone, Copy)]
pub struct PartUnavailable;

#[cfg(safewalk_split)]
impl From<leptos::wasm_split::SplitLoaderError> for PartUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PartUnavailable
    }
}

/// Declares `$name`, a screen whose view `$body` builds, kept in the part `$part`; returns it
/// ready to render, or [`PartUnavailable`]. Every screen gets its own part unless two share a
/// `$part` name.
macro_rules! lazy_screen {
    ($(#[$doc:meta])* $part:ident, $name:ident($($arg:ident: $ty:ty),*) => $body:expr) => {
        $(#[$doc])*
        #[cfg_attr(
            safewalk_split,
            leptos::wasm_split::wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible)
        )]
        pub fn $name($($arg: $ty),*) -> Result<AnyView, PartUnavailable> {
            Ok($body.into_any())
        }
    };
}

/// The screen `open` builds, shown once its part is here: "Opening…" until then, and a message
/// with the way home when the part cannot be downloaded.
#[cfg(safewalk_split)]
pub fn show<F>(open: F) -> AnyView
where
    F: std::future::Future<Output = Result<AnyView, PartUnavailable>> + 'static,
{
    let s = use_strings();
    let ready = RwSignal::new(false);
    let screen = StoredValue::new_local(None::<AnyView>);
    // Under this screen's owner (the screen reads its context), but untracked: what the screen
    // reads while it is built must not re-run the shell's route match.
    untrack(|| {
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let view = open.await.unwrap_or_else(|PartUnavailable| unavailable());
            screen.set_value(Some(view));
            ready.set(true);
        })
    });
    (move || match ready.get() {
        // Taken once: `ready` never changes back.
        true => screen.try_update_value(Option::take).flatten().into_any(),
        false => view! { <section class="page"><p class="hint" role="status">{s.part_loading}</p></section> }.into_any(),
    })
    .into_any()
}

/// Without the split, the screen is already here.
#[cfg(not(safewalk_split))]
pub fn show(open: Result<AnyView, PartUnavailable>) -> AnyView {
    open.unwrap_or_else(|PartUnavailable| unavailable())
}

fn unavailable() -> AnyView {
    let s = use_strings();
    view! {
        <section class="page">
            <h1>{s.part_unavailable_title}</h1>
            <p role="alert">{s.part_unavailable}</p>
            <a class="button" href=Route::Home.to_hash()>{s.home}</a>
        </section>
    }
    .into_any()
}

lazy_screen! {
    /// The hazard register: read now and then, in the office or before a re-inspection.
    register, register_screen() => view! { <crate::pages::register::Register/> }
}

lazy_screen! {
    /// Settings: set once per phone, then rarely.
    settings, settings_screen() => view! { <crate::pages::settings::SettingsPage/> }
}

lazy_screen! {
    /// Joining a receiver with a sign-in code: once per phone.
    settings, join_screen(code: String) => view! { <crate::pages::settings::JoinPage code/> }
}

lazy_screen! {
    /// A hazard's details and rectification: opened from the checklist, after the tap that found it.
    hazard, hazard_screen(id: uuid::Uuid, item: String, edition: crate::state::Edition) =>
        view! { <crate::pages::hazard::HazardPage id item edition/> }
}

lazy_screen! {
    /// The enforcement documents: drafted, numbered and printed at the end of an inspection.
    documents, documents_screen(id: uuid::Uuid, edition: crate::state::Edition) =>
        view! { <crate::pages::documents::Documents id edition/> }
}

lazy_screen! {
    /// The report: once the inspection is done.
    report, report_screen(id: uuid::Uuid, edition: crate::state::Edition) =>
        view! { <crate::pages::report::Report id edition/> }
}

lazy_screen! {
    /// The collective determination of a major hazard, on Review: only when there is one.
    determination, determination_section(id: uuid::Uuid, edition: crate::state::Edition) =>
        view! { <crate::pages::determination::DeterminationSection id edition/> }
}

lazy_screen! {
    /// The signature pad, on Review: once everything is answered.
    signature, signature_pad(id: uuid::Uuid) => view! { <crate::components::signature_pad::SignaturePad id/> }
}
