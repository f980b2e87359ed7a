//! A hazard's grade as a badge: text, not colour alone, says which. Where the collective
//! determination stands follows it in words: a major fire hazard not yet determined reads
//! "suspected" and that it awaits the determination; a determined one says so.

use leptos::prelude::*;
use safewalk_core::grading::{Grade, Standing};

use super::use_strings;
use crate::i18n::Strings;

/// The badge's word, and the note after it, for a grade and its standing.
pub fn grade_words(s: &'static Strings, grade: Grade, standing: Standing) -> (&'static str, Option<&'static str>) {
    match (grade, standing) {
        (Grade::Major, Standing::Suspected) => (s.grade_suspected, Some(s.awaiting_determination)),
        (Grade::Major, Standing::DeterminedMajor) => (s.grade_major, Some(s.determined_major)),
        (Grade::General, Standing::DeterminedNotMajor) => (s.grade_general, Some(s.determined_not_major)),
        (Grade::Major, _) => (s.grade_major, None),
        (Grade::General, _) => (s.grade_general, None),
    }
}

#[component]
pub fn GradeBadge(#[prop(into)] grade: Signal<Grade>, #[prop(optional, into)] standing: MaybeProp<Standing>) -> impl IntoView {
    let s = use_strings();
    let words = move || grade_words(s, grade.get(), standing.get().unwrap_or_default());
    view! {
        <span class=move || match (grade.get(), standing.get().unwrap_or_default()) {
            (Grade::Major, Standing::Suspected) => "badge badge-major badge-suspected",
            (Grade::Major, _) => "badge badge-major",
            _ => "badge badge-general",
        }>
            {move || words().0}
        </span>
        {move || words().1.map(|note| view! { <span class="standing-note">" · "{note}</span> })}
    }
}
