//! A progress bar with its numbers spelled out, for screen readers too.

use leptos::prelude::*;

#[component]
pub fn ProgressBar(#[prop(into)] done: Signal<usize>, #[prop(into)] total: Signal<usize>, label: &'static str) -> impl IntoView {
    // An empty checklist is 0 % done, not a division by zero.
    let percent = move || (done.get() * 100).checked_div(total.get()).unwrap_or(0);
    view! {
        <div class="progress" role="progressbar" aria-label=label
            aria-valuemin="0" aria-valuemax=move || total.get() aria-valuenow=move || done.get()
            aria-valuetext=move || format!("{}/{}", done.get(), total.get())>
            <div class="progress-fill" style:width=move || format!("{}%", percent())></div>
        </div>
    }
}
