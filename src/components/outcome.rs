//! The line under a form's button that says how its last action went: green when it
//! succeeded, an error otherwise, read out as a status. Empty until the first action, or
//! `waiting` while one is under way.

use leptos::prelude::*;

/// `outcome` is `(succeeded, what to say)`; `testid` names the line for the tests.
#[component]
pub fn Outcome(
    #[prop(into)] outcome: Signal<Option<(bool, String)>>,
    testid: &'static str,
    #[prop(optional)] waiting: Option<&'static str>,
) -> impl IntoView {
    view! {
        <p role="status" data-testid=testid
            class=move || match outcome.get() { Some((true, _)) => "ok", Some((false, _)) => "field-error", None => "" }>
            {move || outcome.get().map(|(_, text)| text).or_else(|| waiting.map(str::to_string))}
        </p>
    }
}
