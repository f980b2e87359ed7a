//! Home: drafts under way, completed inspections, and drafts that could not be read.

use leptos::prelude::*;
use leptos::task::spawn_local;
use safewalk_core::grading::Grade;
use safewalk_core::rectification::register::HazardStatus;
use safewalk_core::storage::guard::work_at_risk;
use safewalk_core::storage::summary::RecordSummary;
use safewalk_core::storage::UnreadableDraft;
use safewalk_core::{Inspection, Route};

use crate::backup::{self, DownloadError};
use crate::browser;
use crate::components::delivery::DeliveryStatus;
use crate::components::progress::ProgressBar;
use crate::components::{use_checklists, use_delivery, use_drafts, use_lang, use_strings};
use crate::state::{use_services, Drafts};

#[component]
pub fn Home() -> impl IntoView {
    let s = use_strings();
    view! {
        <section class="page home">
            <h1 class="visually-hidden">{s.app_name}</h1>
            <a class="button button-primary button-big" href=Route::New.to_hash()>{s.new_inspection}</a>
            {crate::persistence::is_ios_tab().then(|| view! {
                <p class="banner banner-warning" role="note" data-testid="ios-install">{s.ios_install}</p>
            })}
            <AtRisk/>
            <Outbox/>
            <crate::components::assigned::AssignedToMe/>
            <RegisterSummary/>
            <Unreadable/>
            <h2>{s.drafts}</h2>
            <InspectionList completed=false empty=s.no_drafts/>
            <h2>{s.completed}</h2>
            <InspectionList completed=true empty=s.no_completed/>
        </section>
    }
}

/// Drafts or completed inspections, most recently changed first: the one in hand is on top.
/// A year of records shows a page at a time: only the cards shown are built. Delivered
/// inspections whose records are not read yet are listed from their summaries.
#[component]
fn InspectionList(completed: bool, empty: &'static str) -> impl IntoView {
    let (drafts, checklists, s) = (use_drafts(), use_checklists(), use_strings());
    let shown = RwSignal::new(PAGE);
    move || {
        // Cards show progress against their checklist, which may arrive with the catalogue
        // after the first render.
        checklists.track();
        let limit = shown.get();
        let (total, page) = drafts.with_all(|all| {
            drafts.with_summaries(|archived| {
                let mut list: Vec<(u64, Result<&Inspection, &RecordSummary>)> = all
                    .iter()
                    .filter(|i| i.is_completed() == completed)
                    .map(|i| (i.updated_at, Ok(i)))
                    .chain(archived.iter().filter(|a| a.completed_at.is_some() == completed).map(|a| (a.updated_at, Err(a))))
                    .collect();
                list.sort_by_key(|(updated, _)| std::cmp::Reverse(*updated));
                (list.len(), list.into_iter().take(limit).map(|(_, card)| card_of(drafts, card)).collect::<Vec<_>>())
            })
        });
        if total == 0 {
            return view! { <p class="empty">{empty}</p> }.into_any();
        }
        view! {
            <ul class="cards">{page.into_iter().map(|(card, target)| view! { <InspectionCard card target/> }).collect_view()}</ul>
            {(total > limit).then(|| view! {
                <button type="button" class="button show-more" on:click=move |_| shown.update(|n| *n += PAGE)>
                    {(s.show_more)(limit, total)}
                </button>
            })}
        }
        .into_any()
    }
}

/// What a card shows of an inspection (its summary, progress against its checklist now) and
/// where it leads; an archived one known by its summary opens its review.
fn card_of(drafts: Drafts, inspection: Result<&Inspection, &RecordSummary>) -> (RecordSummary, Route) {
    match inspection {
        Ok(inspection) => {
            let template = drafts.template_of(inspection);
            let target = if inspection.is_completed() {
                Route::Review(inspection.id)
            } else if inspection.answers.is_empty() && inspection.site.name.is_empty() {
                Route::Details(inspection.id)
            } else {
                Route::Checklist(inspection.id, None)
            };
            (RecordSummary::of(inspection, template.as_deref()), target)
        }
        Err(summary) => (summary.clone(), Route::Review(summary.id)),
    }
}

/// How many cards a list shows at first, and adds on "show more".
pub const PAGE: usize = 50;

#[component]
fn InspectionCard(card: RecordSummary, target: Route) -> impl IntoView {
    let checklists = use_checklists();
    let s = use_strings();
    let lang = use_lang();
    let template = checklists.edition(&card.template);
    let (answered, total) = card.progress.unwrap_or((0, 0));
    let completed = card.completed_at.is_some();
    let site = card.site_name;
    view! {
        <li>
            <a class="card" href=target.to_hash() data-testid="inspection-card">
                <span class="card-title">
                    {if site.trim().is_empty() { s.unnamed_site.to_string() } else { site }}
                </span>
                <span class="card-sector">
                    {template.as_ref().map(|t| t.sector.get(lang).to_string()).unwrap_or_default()}
                </span>
                <span class="card-progress">{(s.answered)(answered, total)}</span>
                <ProgressBar done=answered total=total label=s.progress/>
                {completed.then(|| view! { <DeliveryStatus id=card.id/> })}
                <span class="card-time">
                    {(if completed { s.completed_on } else { s.last_change })(&browser::format_time(card.updated_at, lang))}
                </span>
            </a>
        </li>
    }
}

/// Work that exists only on this phone for more than three days, with the backup offered:
/// a browser may clear a site's storage (Safari after seven days without a visit).
#[component]
fn AtRisk() -> impl IntoView {
    let (services, s, lang) = (use_services(), use_strings(), use_lang());
    let at_risk = Memo::new(move |_| {
        let now = browser::now();
        services
            .delivery
            .with_outbox(|outbox| services.drafts.with_all(|all| services.drafts.with_archived(|a| work_at_risk(all, outbox, a, now))))
    });
    let done = RwSignal::new(None::<String>);
    let back_up = move |_| {
        spawn_local(async move {
            done.set(Some(match backup::back_up_unsent(services).await {
                Ok(None) => s.backup_nothing.to_string(),
                Ok(Some(summary)) => (s.backup_done)(summary.inspections, summary.pictures, &summary.file),
                Err(DownloadError(why)) => (s.download_failed)(&why),
            }));
        });
    };
    move || {
        at_risk.get().map(|risk| {
            view! {
                <div class="banner banner-warning" role="alert" data-testid="at-risk">
                    <span>{(s.at_risk)(risk.count, &browser::format_time(risk.oldest, lang))}</span>
                    <button type="button" class="button" data-testid="at-risk-backup" on:click=back_up>{s.backup_unsent}</button>
                    {move || done.get().map(|text| view! { <p role="status">{text}</p> })}
                </div>
            }
        })
    }
}

/// How many completed inspections have not reached the office, with "send now"; and why
/// sending is paused, when the server refused the token.
#[component]
fn Outbox() -> impl IntoView {
    let (delivery, s) = (use_delivery(), use_strings());
    let unsent = Memo::new(move |_| delivery.with_outbox(|o| o.unsent()));
    let paused = Memo::new(move |_| delivery.with_outbox(|o| o.auth_paused.clone()));
    view! {
        {move || paused.get().map(|why| view! {
            <p class="banner banner-danger" role="alert" data-testid="auth-paused">
                {(s.auth_paused)(&why)}" "<a href=Route::Settings.to_hash()>{s.settings}</a>
            </p>
        })}
        <Show when=move || { unsent.get() > 0 }>
            <div class="outbox" data-testid="outbox">
                <span class="outbox-count">{move || (s.unsent)(unsent.get())}</span>
                <button type="button" class="button" on:click=move |_| delivery.send_now()>{s.send_now}</button>
            </div>
        </Show>
    }
}

/// Drafts that could not be read, each with its reason and raw text to copy out.
#[component]
fn Unreadable() -> impl IntoView {
    let unreadable = use_drafts().unreadable();
    (!unreadable.is_empty()).then(|| {
        let s = use_strings();
        view! {
            <section class="unreadable" aria-labelledby="unreadable-title">
                <h2 id="unreadable-title">{s.unreadable_title}</h2>
                <p>{s.unreadable_explain}</p>
                <ul class="cards">{unreadable.into_iter().map(|d| view! { <UnreadableEntry draft=d/> }).collect_view()}</ul>
            </section>
        }
    })
}

#[component]
fn UnreadableEntry(draft: UnreadableDraft) -> impl IntoView {
    let s = use_strings();
    let copy_result = RwSignal::new(None::<bool>);
    let raw = draft.raw.clone();
    let copy = move |_| {
        let raw = raw.clone();
        spawn_local(async move { copy_result.set(Some(browser::copy_to_clipboard(raw).await)) });
    };
    let raw_id = format!("raw-{}", draft.key);
    view! {
        <li class="card card-danger" data-testid="unreadable-draft">
            <span class="card-title">{draft.key.clone()}</span>
            <span class="card-reason">{draft.reason.to_string()}</span>
            <button type="button" class="button" on:click=copy>{s.copy_raw}</button>
            <span role="status">
                {move || copy_result.get().map(|ok| if ok { s.copied } else { s.copy_failed })}
            </span>
            <details>
                <summary>{s.show_raw}</summary>
                <label class="visually-hidden" for=raw_id.clone()>{s.show_raw}</label>
                <textarea id=raw_id readonly=true rows="4" class="raw">{draft.raw.clone()}</textarea>
            </details>
        </li>
    }
}

/// Open hazards across inspections, with the major and overdue ones counted: the link to
/// the register. Shown once any hazard has been registered.
#[component]
fn RegisterSummary() -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let counts = Memo::new(move |_| {
        let entries = drafts.register();
        let open: Vec<_> = entries.iter().filter(|e| e.status == HazardStatus::Open).collect();
        (entries.len(), open.len(), open.iter().filter(|e| e.grade == Grade::Major).count(), open.iter().filter(|e| e.overdue).count())
    });
    move || {
        let (all, open, major, overdue) = counts.get();
        (all > 0).then(|| {
            view! {
                <a class="card register-summary" class:overdue={overdue > 0} href=Route::Register.to_hash() data-testid="register-summary">
                    <span class="card-title">{s.register_link}</span>
                    <span>{(s.hazard_counts)(open, major, overdue)}</span>
                </a>
            }
        })
    }
}
