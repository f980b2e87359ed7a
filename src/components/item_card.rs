//! One checklist item: its text and basis, three big answer buttons, a note, and its photos
//! once answered.

use std::collections::HashMap;

use leptos::prelude::*;
use safewalk_core::grading::{Grade, Graded, Standing};
use safewalk_core::{Answer, Inspection, Item, Route};
use uuid::Uuid;

use super::grade_badge::GradeBadge;
use super::photos::Photos;
use super::{use_drafts, use_lang, use_shell, use_strings};
use crate::browser;
use crate::state::{Drafts, Edition};

/// What a card shows of its item's record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemState {
    answer: Option<Answer>,
    note_blank: bool,
    has_note: bool,
    has_photos: bool,
    /// A hazard's grade and where its determination stands, as the rules and the inspector
    /// settle them.
    grade: Option<(Grade, Standing)>,
}

impl ItemState {
    fn of(inspection: &Inspection, item: &str, graded: Option<&Graded>) -> ItemState {
        let note = inspection.note(item);
        let answer = inspection.answer(item);
        ItemState {
            answer,
            note_blank: note.trim().is_empty(),
            has_note: !note.is_empty(),
            has_photos: inspection.attachments_of(item).next().is_some(),
            grade: graded.filter(|_| answer == Some(Answer::Hazard)).and_then(|g| Some((g.grade(item)?, g.standing(item)))),
        }
    }
}

/// One signal per item of a checklist, kept up to date by one effect on the inspection: a tap
/// changes one item's signal and re-renders its card alone, so a 300-item checklist answers as
/// quickly as a 22-item one (with a memo per card on the inspection, every tap re-ran them all).
/// The grades come from one grading per change, made only when some item is a hazard (a memo
/// per hazard card graded the whole inspection once per hazard on every keystroke).
#[derive(Clone, Copy)]
pub struct ItemStates(StoredValue<HashMap<String, RwSignal<ItemState>>>);

impl ItemStates {
    pub fn new<'a>(drafts: Drafts, inspection: Uuid, edition: &Edition, items: impl Iterator<Item = &'a str>) -> ItemStates {
        let states = ItemStates(StoredValue::new(HashMap::new()));
        let items: Vec<&str> = items.collect();
        drafts.with_inspection_untracked(inspection, |i| {
            let graded = Self::graded(i, edition);
            let map = items.iter().map(|id| (id.to_string(), RwSignal::new(ItemState::of(i, id, graded.as_ref())))).collect();
            states.0.set_value(map);
        });
        let edition = edition.clone();
        Effect::new(move |_| {
            drafts.with_inspection(inspection, |i| {
                let graded = Self::graded(i, &edition);
                states.0.with_value(|map| {
                    for (item, state) in map {
                        let now = ItemState::of(i, item, graded.as_ref());
                        if state.with_untracked(|was| *was != now) {
                            state.set(now);
                        }
                    }
                })
            });
        });
        states
    }

    fn graded<'a>(inspection: &'a Inspection, edition: &'a Edition) -> Option<Graded<'a>> {
        inspection.answers.values().any(|a| a.answer == Some(Answer::Hazard)).then(|| edition.grade(inspection))
    }

    fn of(&self, item: &str) -> RwSignal<ItemState> {
        self.0.with_value(|map| map.get(item).copied()).unwrap_or_else(|| RwSignal::new(ItemState::default()))
    }
}

fn answer_class(answer: Answer) -> &'static str {
    match answer {
        Answer::Compliant => "answer answer-compliant",
        Answer::Hazard => "answer answer-hazard",
        Answer::NotApplicable => "answer answer-na",
    }
}

#[component]
pub fn ItemCard(inspection: Uuid, item: Item, number: usize, locked: bool, states: ItemStates) -> impl IntoView {
    let (drafts, shell) = (use_drafts(), use_shell());
    let s = use_strings();
    let lang = use_lang();
    let item_id = item.id.clone();
    let state = states.of(&item_id);
    let answer = Memo::new(move |_| state.with(|s| s.answer));
    let note_blank = Memo::new(move |_| state.with(|s| s.note_blank));
    let has_note = Memo::new(move |_| state.with(|s| s.has_note));
    // The grade of a hazard here; shown with the link to its rectification.
    let grade = Memo::new(move |_| state.with(|s| s.grade));
    let has_photos = Memo::new(move |_| state.with(|s| s.has_photos));
    // What an answer brings with it (the photo strip; for a hazard the note and the link to
    // its grade) follows the pressed answer by a frame: the tap that brings it holds it back
    // until the answer is painted. Building them is most of a tap's work (the strip alone
    // about 6 ms at 4x CPU in a profile), and the answer is what the
    // inspector waits to see. What was already shown stays.
    let held = RwSignal::new(false);
    let note_opened = RwSignal::new(false);
    // Photos once the item is answered (or has some): the unanswered checklist stays light.
    let show_photos = move || has_photos.get() || (answer.get().is_some() && !held.get());
    let show_note = move || note_opened.get() || has_note.get() || (answer.get() == Some(Answer::Hazard) && !held.get());
    let needs_note = move || answer.get() == Some(Answer::Hazard) && note_blank.get();

    let text_id = format!("text-{}", item.id);
    let note_id = format!("note-{}", item.id);
    let error_id = format!("note-error-{}", item.id);

    let buttons = Answer::ALL
        .into_iter()
        .map(|choice| {
            let item_id = item_id.clone();
            let on_click = move |_| {
                // Tapping the chosen answer again clears it: a mis-tap is undone in place.
                let was = answer.get_untracked();
                let next = if was == Some(choice) { None } else { Some(choice) };
                if (was.is_none() && next.is_some()) || next == Some(Answer::Hazard) {
                    held.set(true);
                    browser::after_paint(move || {
                        held.try_set(false);
                    });
                }
                let _ = drafts.edit(inspection, |i, t, now| i.set_answer(t, &item_id, next, now));
                shell.remember_position(Route::Checklist(inspection, Some(item_id.clone())));
            };
            view! {
                <button type="button" class=answer_class(choice)
                    aria-pressed=move || (answer.get() == Some(choice)).to_string()
                    disabled=locked
                    on:click=on_click>
                    {s.answer(choice)}
                </button>
            }
        })
        .collect_view();

    let on_note = {
        let item_id = item_id.clone();
        move |ev| {
            let text = event_target_value(&ev);
            let _ = drafts.edit(inspection, |i, t, now| i.set_note(t, &item_id, &text, now));
        }
    };
    // Read once per textarea: re-setting the value while the inspector types would fight the caret.
    let initial_note = {
        let item_id = item_id.clone();
        move || drafts.with_inspection_untracked(inspection, |i| i.note(&item_id).to_string()).unwrap_or_default()
    };
    let text = item.text.clone();
    let basis = item.basis.clone();
    let hazard_href = Route::Hazard(inspection, item.id.clone()).to_hash();

    view! {
        <article class="item" id=format!("item-{}", item.id) tabindex="-1" aria-labelledby=text_id.clone()
            class:item-answered=move || answer.get().is_some()>
            <p class="item-text" id=text_id.clone()>
                <span class="item-number">{number}". "</span>
                {text.get(lang).to_string()}
            </p>
            <p class="basis"><span class="basis-label">{s.basis}": "</span>{basis}</p>
            <div class="answers" role="group" aria-label=s.answer_group>{buttons}</div>
            <Show when=show_note
                fallback=move || view! {
                    <button type="button" class="link-button add-note" disabled=locked
                        on:click=move |_| note_opened.set(true)>
                        "+ " {s.add_note}
                    </button>
                }>
                <div class="field note-field">
                    <label for=note_id.clone()>
                        {move || if answer.get() == Some(Answer::Hazard) { s.hazard_note_label } else { s.note }}
                    </label>
                    <textarea id=note_id.clone() rows="3"
                        readonly=locked
                        aria-invalid=move || needs_note().to_string()
                        aria-describedby=error_id.clone()
                        prop:value=initial_note.clone()
                        on:input=on_note.clone()></textarea>
                    <p class="field-error" id=error_id.clone() hidden=move || !needs_note()>{s.hazard_needs_note}</p>
                </div>
            </Show>
            <Show when=show_photos>
                <Photos inspection item=Some(item_id.clone()) locked/>
            </Show>
            {move || grade.get().filter(|_| !held.get()).map(|(g, standing)| view! {
                <a class="hazard-link" href=hazard_href.clone() data-testid="hazard-link">
                    <GradeBadge grade=Signal::derive(move || g) standing=standing/>
                    " "{s.hazard_title}" ›"
                </a>
            })}
        </article>
    }
}
