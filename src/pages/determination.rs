//! The Review screen's collective determination (GB 35181-2017 chapter 4): while a rule set
//! asks for one and there are suspected major hazards, "Record collective determination"
//! opens a form (date, participants one by one, an optional expert panel with its vote, a
//! conclusion on each suspected hazard, the reason). Every change is saved in the draft as it
//! is typed, like any edit. Core decides what the record settles; this only shows it.

use leptos::prelude::*;
use safewalk_core::inspection::determination::{CollectiveDetermination, Conclusion, DeterminationProblem, ExpertPanel, Person};
use safewalk_core::{Lang, Template};
use uuid::Uuid;

use crate::components::{use_drafts, use_lang, use_strings};
use crate::i18n::Strings;
use crate::state::{Drafts, Edition};

/// One determination problem in words, naming an item as `template` does in `lang`.
pub fn problem_text(s: &'static Strings, problem: &DeterminationProblem, template: &Template, lang: Lang) -> String {
    match problem {
        DeterminationProblem::InvalidDate => s.det_invalid_date.to_string(),
        DeterminationProblem::TooFewParticipants { count } => (s.det_too_few_participants)(*count),
        DeterminationProblem::ParticipantIncomplete { index } => (s.det_participant_incomplete)(index + 1),
        DeterminationProblem::PanelTooSmall { members } => (s.det_panel_too_small)(*members),
        DeterminationProblem::PanelMemberIncomplete { index } => (s.det_panel_member_incomplete)(index + 1),
        DeterminationProblem::TooFewVotes { votes, needed } => (s.det_too_few_votes)(*votes, *needed),
        DeterminationProblem::MoreVotesThanMembers { votes, members } => (s.det_more_votes)(*votes, *members),
        DeterminationProblem::MissingReason => s.det_missing_reason.to_string(),
        DeterminationProblem::NotSuspected { item_id } => (s.det_not_suspected)(&template.item_text(item_id, lang)),
        DeterminationProblem::MissingConclusion { item_id } => (s.det_missing_conclusion)(&template.item_text(item_id, lang)),
    }
}

/// Changes the inspection's determination (starting a blank one if there is none).
fn update<'a>(drafts: Drafts, id: Uuid, change: impl FnOnce(&mut CollectiveDetermination) + 'a) {
    change_determination(drafts, id, Box::new(change));
}

/// [`update`]'s body, once: a boxed change keeps one copy of the edit in the wasm instead of
/// one per field of the form.
fn change_determination<'a>(drafts: Drafts, id: Uuid, change: Box<dyn FnOnce(&mut CollectiveDetermination) + 'a>) {
    let _ = drafts.edit(id, |i, _, now| {
        let mut determination = i.determination.clone().unwrap_or_default();
        change(&mut determination);
        i.set_determination(Some(determination), now)
    });
}

/// Participants, or the expert panel's members.
#[derive(Clone, Copy, PartialEq)]
enum People {
    Participants,
    Panel,
}

impl People {
    fn of(self, d: &CollectiveDetermination) -> &[Person] {
        match self {
            People::Participants => &d.participants,
            People::Panel => d.panel.as_ref().map(|p| p.members.as_slice()).unwrap_or_default(),
        }
    }

    fn of_mut(self, d: &mut CollectiveDetermination) -> &mut Vec<Person> {
        match self {
            People::Participants => &mut d.participants,
            People::Panel => &mut d.panel.get_or_insert_with(ExpertPanel::default).members,
        }
    }

    fn key(self) -> &'static str {
        match self {
            People::Participants => "participant",
            People::Panel => "member",
        }
    }
}

#[component]
pub fn DeterminationSection(id: Uuid, edition: Edition) -> impl IntoView {
    let (drafts, s) = (use_drafts(), use_strings());
    let to_determine = {
        let edition = edition.clone();
        Memo::new(move |_| drafts.with_inspection(id, |i| edition.grade(i).to_determine().to_vec()).unwrap_or_default())
    };
    let recorded = Memo::new(move |_| drafts.with_inspection(id, |i| i.determination.is_some()).unwrap_or(false));
    let completed = Memo::new(move |_| drafts.with_inspection(id, |i| i.is_completed()).unwrap_or(true));
    let shown = move || recorded.get() || !to_determine.with(Vec::is_empty);
    let record = move |_| {
        update(drafts, id, |d| {
            if d.date.is_empty() {
                d.date = crate::browser::today();
            }
        })
    };
    move || {
        shown().then(|| {
            let body = if recorded.get() {
                view! { <DeterminationForm id edition=edition.clone() to_determine completed/> }.into_any()
            } else if completed.get() {
                view! { <p class="banner banner-info">{s.determination_none_delivered}</p> }.into_any()
            } else {
                view! {
                    <button type="button" class="button button-primary button-big" on:click=record>{s.record_determination}</button>
                }
                .into_any()
            };
            view! {
                <section class="determination" data-testid="determination" aria-labelledby="determination-heading">
                    <h2 id="determination-heading">{s.determination}</h2>
                    {(!completed.get()).then(|| view! { <p class="hint">{s.determination_hint}</p> })}
                    {body}
                </section>
            }
        })
    }
}

#[component]
fn DeterminationForm(id: Uuid, edition: Edition, to_determine: Memo<Vec<String>>, completed: Memo<bool>) -> impl IntoView {
    let (drafts, s, lang) = (use_drafts(), use_strings(), use_lang());
    // Read once per input: re-setting a value while the inspector types would fight the caret.
    let initial = move |read: fn(&CollectiveDetermination) -> String| {
        drafts.with_inspection_untracked(id, |i| i.determination.as_ref().map(read)).flatten().unwrap_or_default()
    };
    let template = edition.template.clone();
    let problems = {
        let edition = edition.clone();
        Memo::new(move |_| drafts.with_inspection(id, |i| edition.grade(i).determination_problems()).unwrap_or_default())
    };
    let panel_on =
        Memo::new(move |_| drafts.with_inspection(id, |i| i.determination.as_ref().is_some_and(|d| d.panel.is_some())).unwrap_or(false));
    let conclusion =
        move |item: &str| drafts.with_inspection(id, |i| i.determination.as_ref().and_then(|d| d.conclusions.get(item).copied())).flatten();

    let conclusions = {
        let template = template.clone();
        move || {
            to_determine
                .get()
                .into_iter()
                .map(|item| {
                    let name = format!("conclusion-{item}");
                    let text = template.item_text(&item, lang);
                    let choice = |value: Conclusion, label: &'static str| {
                        let (item, name) = (item.clone(), name.clone());
                        let checked = {
                            let item = item.clone();
                            move || conclusion(&item) == Some(value)
                        };
                        let choose = move |_| {
                            let item = item.clone();
                            update(drafts, id, move |d| {
                                d.conclusions.insert(item, value);
                            })
                        };
                        view! {
                            <label class="choice">
                                <input type="radio" name=name prop:checked=checked disabled=completed on:change=choose/>
                                {label}
                            </label>
                        }
                    };
                    view! {
                        <fieldset class="choices conclusion" data-testid="conclusion">
                            <legend>{text}</legend>
                            {choice(Conclusion::Major, s.conclusion_major)}
                            {choice(Conclusion::NotMajor, s.conclusion_not_major)}
                        </fieldset>
                    }
                })
                .collect_view()
        }
    };
    let problem_list = move || problems.get().iter().map(|p| view! { <li>{problem_text(s, p, &template, lang)}</li> }).collect_view();
    let on_date = move |ev| {
        let value = event_target_value(&ev);
        update(drafts, id, |d| d.date = value);
    };
    let on_reason = move |ev| {
        let value = event_target_value(&ev);
        update(drafts, id, |d| d.reason = value);
    };
    let on_panel = move |ev| {
        let on = event_target_checked(&ev);
        update(drafts, id, |d| d.panel = on.then(ExpertPanel::default));
    };
    let on_votes = move |ev| {
        let votes = event_target_value(&ev).trim().parse::<u32>().unwrap_or(0);
        update(drafts, id, |d| d.panel.get_or_insert_with(ExpertPanel::default).votes_in_favour = votes);
    };
    let withdraw = move |_| {
        let _ = drafts.edit(id, |i, _, now| i.set_determination(None, now));
    };
    let votes_initial = drafts
        .with_inspection_untracked(id, |i| i.determination.as_ref().and_then(|d| d.panel.as_ref()).map(|p| p.votes_in_favour.to_string()))
        .flatten()
        .unwrap_or_default();

    view! {
        <div class="field">
            <label for="determination-date">{s.determination_date}</label>
            <input id="determination-date" type="date" required=true readonly=completed
                prop:value=initial(|d| d.date.clone()) on:input=on_date/>
        </div>
        <PeopleList id people=People::Participants completed/>
        <label class="choice">
            <input type="checkbox" prop:checked=move || panel_on.get() disabled=completed on:change=on_panel/>
            {s.panel_convened}
        </label>
        {move || panel_on.get().then(|| view! {
            <PeopleList id people=People::Panel completed/>
            <div class="field">
                <label for="determination-votes">{s.votes_in_favour}</label>
                <input id="determination-votes" type="number" inputmode="numeric" min="0" readonly=completed
                    prop:value=votes_initial.clone() on:input=on_votes/>
            </div>
        })}
        <h3>{s.conclusions}</h3>
        {conclusions}
        <div class="field">
            <label for="determination-reason">{s.determination_reason}</label>
            <textarea id="determination-reason" rows="4" readonly=completed
                prop:value=initial(|d| d.reason.clone()) on:input=on_reason></textarea>
        </div>
        // One live region that stays, so a change of state is announced.
        <div aria-live="polite" data-testid="determination-status">
            {move || if problems.with(Vec::is_empty) {
                view! { <p class="banner banner-success">{s.determination_settled}</p> }.into_any()
            } else {
                view! {
                    <p class="banner banner-info">{s.determination_unsettled}</p>
                    <ul class="missing" data-testid="determination-problems">{problem_list.clone()()}</ul>
                }
                .into_any()
            }}
        </div>
        {move || (!completed.get()).then(|| view! {
            <button type="button" class="button" on:click=withdraw>{s.withdraw_determination}</button>
        })}
    }
}

/// Participants or panel members, one fieldset each (name, post or unit, remove), and "add".
#[component]
fn PeopleList(id: Uuid, people: People, completed: Memo<bool>) -> impl IntoView {
    let (drafts, s) = (use_drafts(), use_strings());
    // Only the number of rows re-renders the list: typing in a row changes no count.
    let count =
        Memo::new(move |_| drafts.with_inspection(id, |i| i.determination.as_ref().map(|d| people.of(d).len())).flatten().unwrap_or(0));
    let (legend, add_label, numbered) = match people {
        People::Participants => (s.participants, s.add_participant, s.participant_numbered),
        People::Panel => (s.panel_members, s.add_panel_member, s.panel_member_numbered),
    };
    let add = move |_| update(drafts, id, |d| people.of_mut(d).push(Person::default()));
    let rows = move || {
        (0..count.get())
            .map(|k| {
                let current = drafts
                    .with_inspection_untracked(id, |i| i.determination.as_ref().and_then(|d| people.of(d).get(k).cloned()))
                    .flatten()
                    .unwrap_or_default();
                let name_id = format!("{}-{k}-name", people.key());
                let role_id = format!("{}-{k}-role", people.key());
                let on_name = move |ev| {
                    let value = event_target_value(&ev);
                    update(drafts, id, |d| {
                        if let Some(person) = people.of_mut(d).get_mut(k) {
                            person.name = value;
                        }
                    })
                };
                let on_role = move |ev| {
                    let value = event_target_value(&ev);
                    update(drafts, id, |d| {
                        if let Some(person) = people.of_mut(d).get_mut(k) {
                            person.role = value;
                        }
                    })
                };
                let remove = move |_| {
                    update(drafts, id, |d| {
                        let list = people.of_mut(d);
                        if k < list.len() {
                            list.remove(k);
                        }
                    })
                };
                view! {
                    <fieldset class="person" data-testid=people.key()>
                        <legend>{numbered(k + 1)}</legend>
                        <div class="field">
                            <label for=name_id.clone()>{s.person_name}</label>
                            <input id=name_id type="text" autocomplete="off" readonly=completed prop:value=current.name on:input=on_name/>
                        </div>
                        <div class="field">
                            <label for=role_id.clone()>{s.person_role}</label>
                            <input id=role_id type="text" autocomplete="off" readonly=completed prop:value=current.role on:input=on_role/>
                        </div>
                        {move || (!completed.get()).then(|| view! {
                            <button type="button" class="button" on:click=remove>{s.remove_person}</button>
                        })}
                    </fieldset>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="people" data-testid=format!("{}s", people.key())>
            <legend>{legend}</legend>
            {rows}
            {move || (!completed.get()).then(|| view! {
                <button type="button" class="button button-big" on:click=add>{add_label}</button>
            })}
        </fieldset>
    }
}
