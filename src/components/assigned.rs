//! "Assigned to me" on Home (issue 14): the open tasks pulled from the office, soonest due
//! first, each with what to do next (start, continue, or completed and being sent); when the
//! list was last updated, "Refresh tasks", and why the last pull or its keeping failed.
//! Hidden while there is no task and none was ever pulled on this phone.

use leptos::prelude::*;
use safewalk_core::assignment::pull::{Task, TaskKind};
use safewalk_core::{Lang, Route};

use super::{use_checklists, use_lang, use_shell, use_strings};
use crate::browser;
use crate::i18n::Strings;
use crate::state::{use_assignments, PullStatus};

#[component]
pub fn AssignedToMe() -> impl IntoView {
    let (assignments, s, lang) = (use_assignments(), use_strings(), use_lang());
    let shown = Memo::new(move |_| assignments.pulled_at().is_some() || !assignments.to_do().is_empty());
    let pulling = Memo::new(move |_| assignments.status() == PullStatus::Pulling);
    // "Updated 5 min ago" moves on while Home is open.
    let minute = RwSignal::new(0u32);
    if let Ok(timer) = set_interval_with_handle(move || minute.update(|n| *n = n.wrapping_add(1)), std::time::Duration::from_secs(60)) {
        on_cleanup(move || timer.clear());
    }
    move || {
        shown.get().then(|| {
            view! {
                <section class="assigned" aria-labelledby="assigned-title" data-testid="assigned">
                    <div class="assigned-head">
                        <h2 id="assigned-title">{s.assigned_title}</h2>
                        <button type="button" class="button" data-testid="refresh-tasks" disabled=move || pulling.get()
                            on:click=move |_| assignments.refresh()>{s.refresh_tasks}</button>
                    </div>
                    <p class="card-meta" role="status" data-testid="tasks-updated">
                        {move || {
                            minute.track();
                            if pulling.get() { s.tasks_pulling.to_string() } else { updated(s, lang, assignments.pulled_at()) }
                        }}
                    </p>
                    {move || match assignments.status() {
                        PullStatus::Failed(why) => Some(view! {
                            <p class="banner banner-warning" role="alert" data-testid="pull-error">{s.pull_failure(&why)}</p>
                        }),
                        _ => None,
                    }}
                    {move || assignments.problem().map(|problem| view! {
                        <p class="banner banner-warning" role="alert" data-testid="tasks-kept-problem">{s.keep_problem(&problem)}</p>
                    })}
                    <TaskList/>
                </section>
            }
        })
    }
}

/// "Updated 5 min ago", or the time when it was more than an hour ago.
fn updated(s: &'static Strings, lang: Lang, pulled_at: Option<u64>) -> String {
    let Some(at) = pulled_at else { return String::new() };
    match browser::now().saturating_sub(at) / 60_000 {
        0 => s.tasks_updated_now.to_string(),
        minutes @ 1..60 => (s.tasks_updated_minutes)(minutes),
        _ => (s.tasks_updated_at)(&browser::format_time(at, lang)),
    }
}

#[component]
fn TaskList() -> impl IntoView {
    let (assignments, s) = (use_assignments(), use_strings());
    let tasks = Memo::new(move |_| assignments.to_do());
    move || {
        let tasks = tasks.get();
        if tasks.is_empty() {
            return view! { <p class="empty">{s.no_tasks}</p> }.into_any();
        }
        view! { <ul class="cards">{tasks.into_iter().map(|task| view! { <TaskCard task/> }).collect_view()}</ul> }.into_any()
    }
}

#[component]
fn TaskCard(task: Task) -> impl IntoView {
    let (assignments, checklists, shell, s, lang) = (use_assignments(), use_checklists(), use_shell(), use_strings(), use_lang());
    let overdue = task.is_overdue(&browser::today());
    let template = task.template.clone();
    let checklist = move || {
        checklists.track();
        checklists.latest_of(&template).map(|t| t.title.get(lang).to_string()).unwrap_or_else(|| (s.task_checklist_missing)(&template))
    };
    let kind = match task.kind {
        TaskKind::Inspection => s.task_kind_inspection,
        TaskKind::ReInspection => s.task_kind_reinspection,
    };
    let error = RwSignal::new(None::<String>);
    let started = {
        let id = task.id;
        Memo::new(move |_| assignments.started(id))
    };
    let task_for_start = task.clone();
    let start = move |_| match assignments.start_task(&task_for_start) {
        Ok(id) => shell.navigate(Route::Details(id)),
        Err(why) => error.set(Some(s.start_error(&why))),
    };
    let action = move || match started.get() {
        Some((_, true)) => view! { <span class="task-sending" data-testid="task-sending">{s.task_sending}</span> }.into_any(),
        Some((_, false)) => view! {
            <button type="button" class="button button-primary" data-testid="task-start" on:click=start.clone()>{s.task_continue}</button>
        }
        .into_any(),
        None => view! {
            <button type="button" class="button button-primary" data-testid="task-start" on:click=start.clone()>{s.task_start}</button>
        }
        .into_any(),
    };
    view! {
        <li class="card task" class:overdue=overdue data-testid="task">
            <span class="card-title">{task.site_details.name.clone()}</span>
            <span class="card-sector">{task.number.clone()}" · "{kind}</span>
            <span class="card-progress">{checklist}</span>
            <span class="task-due">
                {(s.task_due)(&task.due)}
                {overdue.then(|| view! { " · "<strong class="task-overdue" data-testid="task-overdue">{s.overdue}</strong> })}
            </span>
            {(!task.note.is_empty()).then(|| view! { <span class="hazard-note">{task.note.clone()}</span> })}
            {action}
            {move || error.get().map(|why| view! { <p class="banner banner-danger" role="alert">{why}</p> })}
        </li>
    }
}
