//! One hazard: the grade the rules determine and why, the inspector's raise or lower (a
//! lower needs a reason, which is kept), and the rectification: on the spot with a note,
//! or measures, responsible unit and person, funds, deadline, and for a major hazard the
//! contingency plan and the supervising official. Its photos are its item's.

use leptos::prelude::*;
use safewalk_core::grading::{Grade, Graded};
use safewalk_core::inspection::hazard::{GradeChoice, RectificationField};
use safewalk_core::{Answer, LocalText, Problem, Route};
use uuid::Uuid;

use super::Unavailable;
use crate::components::grade_badge::GradeBadge;
use crate::components::photos::Photos;
use crate::components::{use_drafts, use_lang, use_strings};
use crate::state::Edition;

#[component]
pub fn HazardPage(id: Uuid, item: String, edition: Edition) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let lang = use_lang();
    let Some(item_def) = edition.template.item(&item).cloned() else {
        return view! { <Unavailable id/> }.into_any();
    };
    let is_hazard = drafts.with_inspection_untracked(id, |i| i.answer(&item) == Some(Answer::Hazard)).unwrap_or(false);
    let back = Route::Checklist(id, Some(item.clone())).to_hash();
    if !is_hazard {
        return view! {
            <section class="page">
                <a class="back" href=back>"‹ "{s.checklist}</a>
                <p>{s.not_a_hazard}</p>
            </section>
        }
        .into_any();
    }
    // Completed, or signed: signing locks the inspection.
    let locked = drafts.with_inspection_untracked(id, |i| i.is_completed() || i.is_signed()).unwrap_or(true);
    // Photos of the hazard (its item's): taken here, or only shown once locked.
    let photos = !locked || drafts.with_inspection_untracked(id, |i| i.attachments_of(&item).next().is_some()).unwrap_or(false);

    let grading = {
        let (edition, item) = (edition.clone(), item.clone());
        Memo::new(move |_| drafts.with_inspection(id, |i| grade_of(&edition.grade(i), &item)).flatten().unwrap_or_else(ungraded))
    };
    let standing = {
        let (edition, item) = (edition.clone(), item.clone());
        Memo::new(move |_| drafts.with_inspection(id, |i| edition.grade(i).standing(&item)).unwrap_or_default())
    };
    let choice = {
        let item = item.clone();
        Memo::new(move |_| drafts.with_inspection(id, |i| i.hazard(&item).map(|h| h.grading.clone())).flatten().unwrap_or_default())
    };
    let on_the_spot = {
        let item = item.clone();
        Memo::new(move |_| drafts.with_inspection(id, |i| i.hazard(&item).is_some_and(|h| h.rectification.on_the_spot)).unwrap_or(false))
    };
    let missing = {
        let item = item.clone();
        Memo::new(move |_| {
            drafts
                .with_inspection(id, |i| {
                    edition.grade(i).problems().into_iter().filter(|p| problem_item(p) == Some(item.as_str())).collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };

    // Copy, so each radio button gets its own without clones.
    let item_key = StoredValue::new(item.clone());
    let set_choice = move |choice: GradeChoice| {
        item_key.with_value(|item| {
            let _ = drafts.edit(id, |i, t, now| i.edit_hazard(t, item, now, |h| h.grading = choice));
        })
    };
    // The reason last typed, kept while the decision is switched back and forth, so that
    // choosing "lower" again stores exactly the reason the re-shown field displays.
    let reason = RwSignal::new(match choice.get_untracked() {
        GradeChoice::Lowered { reason } => reason,
        _ => String::new(),
    });
    let on_reason = move |ev| {
        reason.set(event_target_value(&ev));
        set_choice(GradeChoice::Lowered { reason: reason.get_untracked() })
    };
    let toggle_spot = {
        let item = item.clone();
        move |ev| {
            let on = event_target_checked(&ev);
            let _ = drafts.edit(id, |i, t, now| i.edit_hazard(t, &item, now, |h| h.rectification.on_the_spot = on));
        }
    };
    let reason_missing = move || missing.get().iter().any(|p| matches!(p, Problem::LoweredWithoutReason { .. }));
    // A major hazard is rectified under a contingency plan and listed supervision.
    let major = move || grading.get().0.needs_supervision();
    let rule_major = move || grading.get().1 == Grade::Major;

    let field = {
        let item = item.clone();
        move |field: RectificationField, required: bool| {
            view! { <RectificationInput id item=item.clone() field required locked missing/> }
        }
    };
    let planned = {
        let field = field.clone();
        move || {
            let major_field = field.clone();
            view! {
                {field(RectificationField::Measures, true)}
                {field(RectificationField::Unit, true)}
                {field(RectificationField::Person, true)}
                {field(RectificationField::Role, true)}
                {field(RectificationField::Phone, true)}
                {field(RectificationField::Funds, false)}
                {field(RectificationField::Deadline, true)}
                <Show when=major>
                    {major_field(RectificationField::ContingencyPlan, true)}
                    {major_field(RectificationField::Supervisor, true)}
                </Show>
            }
        }
    };
    let description = drafts.with_inspection_untracked(id, |i| i.note(&item).to_string()).unwrap_or_default();

    view! {
        <section class="page hazard">
            <a class="back" href=back.clone()>"‹ "{s.checklist}</a>
            <h1>{s.hazard_title}</h1>
            <p class="item-text">{item_def.text.get(lang).to_string()}</p>
            <p class="basis"><span class="basis-label">{s.basis}": "</span>{item_def.basis.clone()}</p>
            <p class="hazard-note">{if description.trim().is_empty() { s.hazard_needs_note.to_string() } else { description }}</p>
            {photos.then(|| view! {
                <h2>{s.photos}</h2>
                <Photos inspection=id item=Some(item.clone()) locked/>
            })}

            <h2>{s.grade}</h2>
            <p data-testid="grade"><GradeBadge grade=Signal::derive(move || grading.get().0) standing=Signal::derive(move || standing.get())/></p>
            <p class="explanation" data-testid="grade-explanation">{move || grading.get().2.get(lang).to_string()}</p>
            <fieldset class="choices" disabled=locked>
                <legend>{s.grade_choice}</legend>
                <label class="choice">
                    <input type="radio" name="grade-choice" prop:checked=move || choice.get() == GradeChoice::Rule
                        on:change=move |_| set_choice(GradeChoice::Rule)/>
                    {s.grade_by_rule}
                </label>
                <Show when=move || !rule_major()>
                    <label class="choice">
                        <input type="radio" name="grade-choice" prop:checked=move || choice.get() == GradeChoice::Raised
                            on:change=move |_| set_choice(GradeChoice::Raised)/>
                        {s.grade_raise}
                    </label>
                </Show>
                <Show when=rule_major>
                    <label class="choice">
                        <input type="radio" name="grade-choice" prop:checked=move || matches!(choice.get(), GradeChoice::Lowered { .. })
                            on:change=move |_| set_choice(GradeChoice::Lowered { reason: reason.get_untracked() })/>
                        {s.grade_lower}
                    </label>
                </Show>
            </fieldset>
            <Show when=move || rule_major() && matches!(choice.get(), GradeChoice::Lowered { .. })>
                <div class="field">
                    <label for="lower-reason">{s.lower_reason}<span class="required-mark">" ("{s.required}")"</span></label>
                    <textarea id="lower-reason" rows="3" readonly=locked aria-invalid=move || reason_missing().to_string()
                        aria-describedby="lower-reason-error"
                        prop:value=move || reason.get_untracked() on:input=on_reason></textarea>
                    <p class="field-error" id="lower-reason-error" hidden=move || !reason_missing()>{s.lower_reason_needed}</p>
                </div>
            </Show>

            <h2>{s.rectification}</h2>
            <label class="choice">
                <input type="checkbox" prop:checked=move || on_the_spot.get() disabled=locked on:change=toggle_spot/>
                {s.on_the_spot}
            </label>
            {move || if on_the_spot.get() {
                field(RectificationField::OnTheSpotNote, true).into_any()
            } else {
                planned().into_any()
            }}
            <a class="button button-primary button-big" href=back>{s.back_to_checklist}</a>
        </section>
    }
    .into_any()
}

/// (settled grade, rule grade, explanation) of one hazard; `None` when it is not one.
fn grade_of(graded: &Graded, item: &str) -> Option<(Grade, Grade, LocalText)> {
    Some((graded.grade(item)?, graded.rule_grade(item)?, graded.explain(item)?))
}

/// What the page shows for an item that is not (or no longer) a hazard.
fn ungraded() -> (Grade, Grade, LocalText) {
    (Grade::General, Grade::General, LocalText { zh: String::new(), en: String::new() })
}

/// The item a hazard problem is about.
pub fn problem_item(problem: &Problem) -> Option<&str> {
    match problem {
        Problem::Rectification { item_id, .. }
        | Problem::InvalidDeadline { item_id }
        | Problem::InvalidRectificationPhone { item_id }
        | Problem::LoweredWithoutReason { item_id } => Some(item_id),
        _ => None,
    }
}

/// One rectification field, written through on every keystroke.
#[component]
fn RectificationInput(
    id: Uuid,
    item: String,
    field: RectificationField,
    required: bool,
    locked: bool,
    missing: Memo<Vec<Problem>>,
) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let input_id = format!("rect-{field:?}").to_ascii_lowercase();
    let error_id = format!("{input_id}-error");
    let initial = drafts
        .with_inspection_untracked(id, |i| i.hazard(&item).map(|h| h.rectification.field(field).to_string()))
        .flatten()
        .unwrap_or_default();
    let error = move || {
        missing.get().iter().find_map(|p| match p {
            Problem::Rectification { field: f, .. } if *f == field => Some(s.required_missing),
            Problem::InvalidDeadline { .. } if field == RectificationField::Deadline => Some(s.deadline_invalid),
            Problem::InvalidRectificationPhone { .. } if field == RectificationField::Phone => Some(s.phone_invalid),
            _ => None,
        })
    };
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        let _ = drafts.edit(id, |i, t, now| i.edit_hazard(t, &item, now, |h| *h.rectification.field_mut(field) = text));
    };
    let multiline = matches!(field, RectificationField::Measures | RectificationField::ContingencyPlan | RectificationField::OnTheSpotNote);
    let kind = match field {
        RectificationField::Deadline => "date",
        RectificationField::Phone => "tel",
        _ => "text",
    };
    let label = view! {
        <label for=input_id.clone()>
            {s.rectification_field(field)}
            {if required { view! { <span class="required-mark">" ("{s.required}")"</span> }.into_any() } else { view! { <span class="optional-mark">" ("{s.optional}")"</span> }.into_any() }}
        </label>
    };
    let control = if multiline {
        view! {
            <textarea id=input_id.clone() rows="3" readonly=locked aria-invalid=move || error().is_some().to_string()
                aria-describedby=error_id.clone() prop:value=initial on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=input_id.clone() type=kind autocomplete="off" readonly=locked
                aria-invalid=move || error().is_some().to_string() aria-describedby=error_id.clone()
                prop:value=initial on:input=on_input/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            {label}
            {control}
            <p class="field-error" id=error_id hidden=move || error().is_none()>{move || error().unwrap_or("")}</p>
        </div>
    }
}
