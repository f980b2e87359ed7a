//! The hazard register: every hazard of the completed inspections on this device, open
//! ones first, overdue and major ones standing out; filters by site, sector and grade; a
//! re-inspection of a site starts from here and carries all of the site's open hazards.

use leptos::prelude::*;
use safewalk_core::grading::Grade;
use safewalk_core::rectification::register::{HazardStatus, RegisterEntry};
use safewalk_core::Route;

use crate::components::grade_badge::GradeBadge;
use crate::components::{use_checklists, use_drafts, use_lang, use_shell, use_strings};
use crate::pages::home::PAGE;

#[component]
pub fn Register() -> impl IntoView {
    let (drafts, checklists) = (use_drafts(), use_checklists());
    let s = use_strings();
    let lang = use_lang();
    let entries = Memo::new(move |_| drafts.register());
    let site = RwSignal::new(String::new());
    let sector = RwSignal::new(String::new());
    let grade = RwSignal::new(String::new());
    let show_closed = RwSignal::new(false);

    let sector_name = move |template_id: &str| {
        checklists
            .latest()
            .iter()
            .find(|t| t.id == template_id)
            .map(|t| t.sector.get(lang).to_string())
            .unwrap_or_else(|| template_id.to_string())
    };
    let site_options = move || {
        distinct(&entries.get(), |e| (e.site_key.clone(), e.site_name.clone()))
            .into_iter()
            .map(|(key, name)| view! { <option value=key>{name}</option> })
            .collect_view()
    };
    let sector_options = move || {
        distinct(&entries.get(), |e| (e.template.clone(), e.template.clone()))
            .into_iter()
            .map(|(key, _)| {
                let name = sector_name(&key);
                view! { <option value=key>{name}</option> }
            })
            .collect_view()
    };
    let shown = move || {
        let (site, sector, grade, closed) = (site.get(), sector.get(), grade.get(), show_closed.get());
        entries
            .get()
            .into_iter()
            .filter(|e| site.is_empty() || e.site_key == site)
            .filter(|e| sector.is_empty() || e.template == sector)
            .filter(|e| match grade.as_str() {
                "major" => e.grade == Grade::Major,
                "general" => e.grade == Grade::General,
                _ => true,
            })
            .filter(|e| closed || e.status == HazardStatus::Open)
            .collect::<Vec<_>>()
    };
    // A page of rows at a time: a year of hazards builds only the rows shown.
    let limit = RwSignal::new(PAGE);
    let rows = move || {
        let mut list = shown();
        if list.is_empty() {
            return view! { <p class="empty">{s.register_empty}</p> }.into_any();
        }
        let (total, limit_now) = (list.len(), limit.get());
        list.truncate(limit_now);
        view! {
            <ul class="cards register" data-testid="register">
                {list.into_iter().map(|entry| view! { <RegisterRow entry/> }).collect_view()}
            </ul>
            {(total > limit_now).then(|| view! {
                <button type="button" class="button show-more" on:click=move |_| limit.update(|n| *n += PAGE)>
                    {(s.show_more)(limit_now, total)}
                </button>
            })}
        }
        .into_any()
    };
    view! {
        <section class="page register-page">
            <a class="back" href=Route::Home.to_hash()>"‹ "{s.home}</a>
            <h1>{s.register_title}</h1>
            <div class="filters">
                {filter("filter-site", s.filter_site, site, site_options)}
                {filter("filter-sector", s.filter_sector, sector, sector_options)}
                {filter("filter-grade", s.grade, grade, view! {
                    <option value="major">{s.grade_major}</option>
                    <option value="general">{s.grade_general}</option>
                })}
                <label class="choice">
                    <input type="checkbox" on:change=move |ev| show_closed.set(event_target_checked(&ev))/>
                    {s.show_closed}
                </label>
            </div>
            {rows}
        </section>
    }
}

/// One filter: a labelled choice, "all" first, that sets `chosen`.
fn filter(id: &'static str, label: &'static str, chosen: RwSignal<String>, options: impl IntoView + 'static) -> impl IntoView {
    let all = use_strings().filter_all;
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| chosen.set(event_target_value(&ev))>
                <option value="">{all}</option>
                {options}
            </select>
        </div>
    }
}

#[component]
fn RegisterRow(entry: RegisterEntry) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let lang = use_lang();
    let item_text = drafts
        .kept_template_of(entry.inspection)
        .and_then(|t| t.item(&entry.item).map(|item| item.text.get(lang).to_string()))
        .unwrap_or_else(|| entry.item.clone());
    let status = match &entry.status {
        HazardStatus::Open if entry.overdue => format!("{} · {}", s.status_open, s.overdue),
        HazardStatus::Open => s.status_open.to_string(),
        HazardStatus::RectifiedOnTheSpot => s.status_on_the_spot.to_string(),
        HazardStatus::Closed { at, .. } => (s.status_closed)(&crate::browser::format_time(*at, lang)),
    };
    let open = entry.status == HazardStatus::Open;
    let (from, key) = (entry.inspection, entry.site_key.clone());
    let shell = use_shell();
    let reinspect = move |_| {
        let key = key.clone();
        leptos::task::spawn_local(async move {
            if let Some(id) = drafts.start_follow_up(from, &key).await {
                shell.navigate(Route::Checklist(id, None));
            }
        });
    };
    let (grade, standing) = (entry.grade, entry.standing);
    view! {
        <li class="card register-entry" class:overdue=entry.overdue data-testid="register-entry">
            <p><GradeBadge grade=Signal::derive(move || grade) standing=standing/>" "<strong>{entry.site_name.clone()}</strong></p>
            <p class="item-text">{item_text}</p>
            <p class="hazard-note">{entry.description.clone()}</p>
            <p class="card-meta">
                {(!entry.deadline.is_empty()).then(|| format!("{} · ", (s.deadline_on)(&entry.deadline)))}
                <span class="status" data-testid="hazard-status">{status}</span>
            </p>
            <div class="card-actions">
                <a class="button" href=Route::Hazard(entry.inspection, entry.item.clone()).to_hash()>{s.open}</a>
                {open.then(|| view! { <button type="button" class="button button-primary" on:click=reinspect>{s.reinspect_site}</button> })}
            </div>
        </li>
    }
}

/// The distinct (value, label) pairs of a filter, in first-seen order.
fn distinct(entries: &[RegisterEntry], key: fn(&RegisterEntry) -> (String, String)) -> Vec<(String, String)> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for entry in entries {
        let pair = key(entry);
        if !seen.iter().any(|(k, _)| *k == pair.0) {
            seen.push(pair);
        }
    }
    seen
}
