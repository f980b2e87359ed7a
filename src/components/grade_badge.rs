//! A hazard's grade as a badge: text, not colour alone, says which.

use leptos::prelude::*;
use safewalk_core::grading::Grade;

use super::use_strings;

#[component]
pub fn GradeBadge(#[prop(into)] grade: Signal<Grade>) -> impl IntoView {
    let s = use_strings();
    view! {
        <span class=move || if grade.get() == Grade::Major { "badge badge-major" } else { "badge badge-general" }>
            {move || if grade.get() == Grade::Major { s.grade_major } else { s.grade_general }}
        </span>
    }
}
