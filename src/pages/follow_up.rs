//! A re-inspection's checklist: the carried hazards, each verified rectified or not, with a
//! note. Verified hazards close in the register once the follow-up is completed.

use leptos::prelude::*;
use safewalk_core::inspection::follow_up::{HazardCheck, Verdict};
use safewalk_core::Route;
use uuid::Uuid;

use crate::components::grade_badge::GradeBadge;
use crate::components::photos::Photos;
use crate::components::{use_drafts, use_lang, use_strings};

#[component]
pub fn FollowUpChecks(id: Uuid) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let lang = use_lang();
    let (checks, of) =
        drafts.with_inspection_untracked(id, |i| i.follow_up.as_ref().map(|f| (f.checks.clone(), f.of))).flatten().unwrap_or_default();
    // Completed, or signed: signing locks the inspection.
    let (locked, completed) =
        drafts.with_inspection_untracked(id, |i| (i.is_completed() || i.is_signed(), i.is_completed())).unwrap_or((true, true));
    let template = drafts.template_for(id);
    let cards = checks
        .into_iter()
        .enumerate()
        .map(|(index, check)| {
            let text = template
                .as_ref()
                .and_then(|t| t.item(&check.item))
                .map(|item| item.text.get(lang).to_string())
                .unwrap_or_else(|| check.item.clone());
            view! { <CheckCard id index check text locked/> }
        })
        .collect_view();
    view! {
        <section class="page checklist follow-up">
            <a class="back" href=Route::Details(id).to_hash()>"‹ "{s.edit_details}</a>
            <h1>{s.follow_up_title}</h1>
            <p class="subtitle">{s.follow_up_of}" "<a href=Route::Review(of).to_hash()>{of.to_string()[..8].to_string()}</a></p>
            {locked.then(|| view! { <p class="banner banner-info" data-testid="locked">{if completed { s.read_only } else { s.signed_locked }}</p> })}
            <ol class="checks">{cards}</ol>
            <a class="button button-primary button-big" href=Route::Review(id).to_hash()>{s.review}</a>
        </section>
    }
}

#[component]
fn CheckCard(id: Uuid, index: usize, check: HazardCheck, text: String, locked: bool) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let verdict = Memo::new(move |_| {
        drafts.with_inspection(id, |i| i.follow_up.as_ref().and_then(|f| f.checks.get(index)).and_then(|c| c.verdict)).flatten()
    });
    let set = move |choice: Verdict| {
        let next = if verdict.get_untracked() == Some(choice) { None } else { Some(choice) };
        let _ = drafts.edit(id, |i, _, now| i.set_verdict(index, next, now));
    };
    let on_note = move |ev| {
        let note = event_target_value(&ev);
        let _ = drafts.edit(id, |i, _, now| i.set_verdict_note(index, &note, now));
    };
    let (grade, standing) = (check.grade, check.standing);
    let note_id = format!("verdict-note-{index}");
    let button = move |choice: Verdict, label: &'static str, class: &'static str| {
        view! {
            <button type="button" class=class disabled=locked aria-pressed=move || (verdict.get() == Some(choice)).to_string()
                on:click=move |_| set(choice)>{label}</button>
        }
    };
    view! {
        <li class="item" data-testid="check">
            <p><GradeBadge grade=Signal::derive(move || grade) standing=standing/></p>
            <p class="item-text">{text}</p>
            <p class="hazard-note">{check.description.clone()}</p>
            {(!check.deadline.is_empty()).then(|| view! { <p class="card-meta">{(s.deadline_on)(&check.deadline)}</p> })}
            <div class="answers answers-two" role="group" aria-label=s.verdict>
                {button(Verdict::Rectified, s.verdict_rectified, "answer answer-compliant")}
                {button(Verdict::NotRectified, s.verdict_not_rectified, "answer answer-hazard")}
            </div>
            // A closing photo of the check, with where it was taken (asked as for any photo).
            <Photos inspection=id item=Some(check.item.clone()) locked key=format!("check-{index}")/>
            <div class="field note-field">
                <label for=note_id.clone()>{s.verdict_note}<span class="required-mark">" ("{s.required}")"</span></label>
                <textarea id=note_id rows="2" readonly=locked prop:value=check.note.clone() on:input=on_note></textarea>
            </div>
        </li>
    }
}
