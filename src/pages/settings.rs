//! Settings: where completed inspections are sent, the access token, and who is inspecting;
//! the particulars the enforcement documents print and the document serials (issue 15);
//! storage, and the data: export, back up everything unsent, restore.

use leptos::prelude::*;
use leptos::task::spawn_local;
use safewalk_core::delivery::settings::Settings;
use safewalk_core::documents::numbering::NumberPattern;
use safewalk_core::Route;

use crate::backup::{self, DownloadError};
use crate::components::outcome::Outcome;
use crate::components::{use_delivery, use_device, use_lang, use_settings, use_shell, use_strings};
use crate::persistence::{self, Persistence};
use crate::state::{use_papers, use_services};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let (settings, delivery) = (use_settings(), use_delivery());
    let s = use_strings();
    let draft = RwSignal::new(settings.current());
    let message = RwSignal::new(None::<(bool, String)>);

    let field = move |id: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      read: fn(&Settings) -> &String,
                      write: fn(&mut Settings, String)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind autocomplete="off" prop:value=move || draft.with(|d| read(d).clone())
                    on:input=move |ev| draft.update(|d| write(d, event_target_value(&ev)))/>
            </div>
        }
    };
    let save_checked = move |values: Settings| match settings.save(values) {
        Ok(()) => {
            message.set(Some((true, s.settings_saved.to_string())));
            delivery.settings_changed();
        }
        Err(e) => message.set(Some((false, s.endpoint_error(&e).to_string()))),
    };
    let lang = use_lang();
    let save = move |_| {
        let values = draft.get_untracked();
        // A pattern that cannot number documents apart is refused here, before it is kept.
        let pattern = values.agency.pattern.trim();
        if let Err(e) = (!pattern.is_empty()).then(|| NumberPattern::parse(pattern)).transpose() {
            return message.set(Some((false, e.text().get(lang).to_string())));
        }
        save_checked(values)
    };
    let test = move |_| {
        spawn_local(async move {
            message.set(Some(match crate::state::Settings::test_connection(draft.get_untracked()).await {
                Ok(()) => (true, s.connection_ok.to_string()),
                Err(e) => (false, s.connection_error(&e)),
            }));
        });
    };
    view! {
        <section class="page settings">
            <a class="back" href=Route::Home.to_hash()>"‹ "{s.home}</a>
            <h1>{s.settings}</h1>
            <SignedInAs draft/>
            <form class="form" on:submit=move |ev| ev.prevent_default()>
                {field("settings-endpoint", s.endpoint, "url", |d| &d.endpoint, |d, v| d.endpoint = v)}
                <p class="field-hint">{s.endpoint_hint}</p>
                {field("settings-token", s.token, "password", |d| &d.token, |d, v| d.token = v)}
                {field("settings-inspector-name", s.inspector_name, "text", |d| &d.inspector_name, |d, v| d.inspector_name = v)}
                {field("settings-inspector-id", s.inspector_id, "text", |d| &d.inspector_id, |d, v| d.inspector_id = v)}
                {field("settings-certificate", s.settings_certificate, "text", |d| &d.certificate, |d, v| d.certificate = v)}
                <h2>{s.agency_title}</h2>
                <p class="field-hint">{s.agency_hint}</p>
                {move || use_papers().office_sets_agency().then(|| view! { <p class="hint" data-testid="agency-from-office">{s.agency_from_office}</p> })}
                {field("agency-name", s.agency_name, "text", |d| &d.agency.agency, |d, v| d.agency.agency = v)}
                {field("agency-region", s.agency_region, "text", |d| &d.agency.region, |d, v| d.agency.region = v)}
                {field("agency-pattern", s.agency_pattern, "text", |d| &d.agency.pattern, |d, v| d.agency.pattern = v)}
                <p class="field-hint">{s.agency_pattern_hint}</p>
                {field("agency-review-government", s.agency_review_government, "text", |d| &d.agency.review_government, |d, v| d.agency.review_government = v)}
                {field("agency-review-department", s.agency_review_department, "text", |d| &d.agency.review_department, |d, v| d.agency.review_department = v)}
                {field("agency-court", s.agency_court, "text", |d| &d.agency.court, |d, v| d.agency.court = v)}
            </form>
            <div class="actions">
                <button type="button" class="button button-primary button-big" on:click=save>{s.save}</button>
                <button type="button" class="button" on:click=test>{s.test_connection}</button>
                <Outcome outcome=message testid="settings-message"/>
            </div>
            <SerialBlocks/>
            <StorageInfo/>
            <DataSection/>
        </section>
    }
}

/// The document serials this phone holds, what is left of this year's, and a block typed by
/// hand when there is no office to allocate one.
#[component]
fn SerialBlocks() -> impl IntoView {
    let papers = use_papers();
    let (s, lang) = (use_strings(), use_lang());
    let this_year = papers.remaining_this_year().0;
    let (year, first, last) = (RwSignal::new(this_year.to_string()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let message = RwSignal::new(None::<(bool, String)>);
    let add = move |_| {
        let read = |text: RwSignal<String>| text.get_untracked().trim().parse::<u32>().ok();
        let (Some(y), Some(f), Some(l)) = (read(year).and_then(|y| i32::try_from(y).ok()), read(first), read(last)) else {
            return message.set(Some((false, s.serials_not_numbers.to_string())));
        };
        message.set(Some(match papers.add_manual(y, f, l) {
            Ok(()) => {
                first.set(String::new());
                last.set(String::new());
                (true, s.serials_added.to_string())
            }
            Err(problem) => (false, s.block_problem(&problem, lang)),
        }));
    };
    let input = move |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type="number" inputmode="numeric" min="1" autocomplete="off"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <h2>{s.serials_title}</h2>
        <p class="field-hint">{s.serials_hint}</p>
        <p data-testid="serials-remaining">{move || {
            let (year, remaining) = papers.remaining_this_year();
            (s.serials_remaining)(year, remaining)
        }}</p>
        <ul data-testid="serial-blocks">
            {move || papers.blocks().into_iter().map(|b| view! {
                <li>{(s.serials_block)(b.year, b.first, b.last)}" · "{if b.manual { s.serials_manual } else { s.serials_office }}</li>
            }).collect_view()}
        </ul>
        <form class="form" on:submit=move |ev| ev.prevent_default()>
            {input("serials-year", s.serials_year, year)}
            {input("serials-first", s.serials_first, first)}
            {input("serials-last", s.serials_last, last)}
        </form>
        <div class="actions">
            <button type="button" class="button" data-testid="serials-add" on:click=add>{s.serials_add}</button>
            <Outcome outcome=message testid="serials-message"/>
        </div>
    }
}

/// Who the saved token belongs to (`GET /me`), and "Sign out", which forgets the token.
#[component]
fn SignedInAs(draft: RwSignal<Settings>) -> impl IntoView {
    let settings = use_settings();
    let s = use_strings();
    let version = RwSignal::new(0u32);
    let who = LocalResource::new(move || {
        version.track();
        async move { settings.signed_in_as().await }
    });
    let signed_out = RwSignal::new(false);
    let sign_out = move |_| {
        settings.sign_out();
        draft.update(|d| d.token = String::new());
        signed_out.set(true);
        version.update(|v| *v += 1);
    };
    view! {
        <div class="signed-in" data-testid="signed-in-as">
            {move || who.get().flatten().map(|person| view! {
                <p>{(s.signed_in_as)(&person.name, &person.role)}</p>
                <button type="button" class="button" on:click=sign_out>{s.sign_out}</button>
            })}
            {move || signed_out.get().then(|| view! { <p role="status">{s.signed_out}</p> })}
        </div>
    }
}

/// A one-time sign-in link from the office (`#/join/<code>`): trades the code for this
/// phone's token (once per visit: a re-render shows the outcome again), then says who the
/// phone is signed in as and takes the used code out of the URL.
#[component]
pub fn JoinPage(code: String) -> impl IntoView {
    let (settings, delivery, shell) = (use_settings(), use_delivery(), use_shell());
    let s = use_strings();
    let redeemed = code.clone();
    spawn_local(async move {
        if settings.join_once(&redeemed).await {
            delivery.settings_changed();
            shell.forget_join_code();
        }
    });
    let outcome = Memo::new(move |_| {
        settings.join_outcome(&code).map(|outcome| match outcome {
            Ok(person) => (true, (s.joined_as)(&person.name)),
            Err(crate::state::JoinError::Refused) => (false, s.join_refused.to_string()),
            Err(crate::state::JoinError::Failed(why)) => (false, (s.join_failed)(&why)),
        })
    });
    view! {
        <section class="page settings">
            <h1>{s.settings}</h1>
            <Outcome outcome testid="join-message" waiting=s.joining/>
            <a class="button button-primary button-big" href=Route::Home.to_hash()>{s.home}</a>
        </section>
    }
}

/// Whether the browser keeps this app's data, and how much storage it uses.
#[component]
fn StorageInfo() -> impl IntoView {
    let device = use_device();
    let s = use_strings();
    let usage = RwSignal::new(None::<(f64, f64)>);
    spawn_local(async move { usage.set(persistence::estimate().await) });
    let megabytes = |bytes: f64| format!("{:.1} MB", bytes / 1_048_576.0);
    view! {
        <h2>{s.storage_title}</h2>
        <p data-testid="persistence">{move || match device.persistence() {
            Persistence::Granted => s.storage_persistent,
            Persistence::BestEffort => s.storage_best_effort,
            Persistence::Unknown => s.storage_unknown,
        }}</p>
        <p data-testid="storage-usage">{move || usage.get().map(|(used, quota)| {
            (s.storage_used)(&megabytes(used), &megabytes(quota))
        })}</p>
    }
}

/// Where a data action stands.
#[derive(Clone, Debug, PartialEq)]
enum DataStatus {
    Working(&'static str),
    /// Lines to show; `warn` when something was left out (missing pictures, checklists).
    Done {
        lines: Vec<String>,
        warn: bool,
    },
    Failed(String),
}

/// Export all as JSON or CSV, back up everything unsent (one file with its pictures), and
/// restore from such a file.
#[component]
fn DataSection() -> impl IntoView {
    let services = use_services();
    let s = use_strings();
    let status = RwSignal::new(None::<DataStatus>);
    let working = move || matches!(status.get(), Some(DataStatus::Working(_)));
    let done = |line: String| DataStatus::Done { lines: vec![line], warn: false };

    let export = move |csv: bool| {
        spawn_local(async move {
            // Everything: the archived records are read for the export.
            let inspections = services.drafts.read_everything().await;
            if inspections.is_empty() {
                return status.set(Some(done(s.export_nothing.to_string())));
            }
            let file = backup::dated_name("inspections", if csv { "csv" } else { "json" });
            let written = if csv {
                backup::export_csv(services.checklists, &inspections, &file)
            } else {
                backup::export_json(services.checklists, &inspections, &file)
            };
            status.set(Some(match written {
                Ok(()) => done((s.export_done)(inspections.len(), &file)),
                Err(DownloadError(why)) => DataStatus::Failed((s.download_failed)(&why)),
            }));
        })
    };
    let back_up = move |_| {
        status.set(Some(DataStatus::Working(s.backup_working)));
        spawn_local(async move {
            status.set(Some(match backup::back_up_unsent(services).await {
                Ok(None) => done(s.backup_nothing.to_string()),
                Ok(Some(summary)) => {
                    let mut lines = vec![(s.backup_done)(summary.inspections, summary.pictures, &summary.file)];
                    if summary.missing_pictures > 0 {
                        lines.push((s.backup_missing_pictures)(summary.missing_pictures));
                    }
                    DataStatus::Done { warn: summary.missing_pictures > 0, lines }
                }
                Err(DownloadError(why)) => DataStatus::Failed((s.download_failed)(&why)),
            }));
        });
    };
    let restore = move |ev: leptos::ev::Event| {
        let Some(file) = backup::chosen_file(&ev) else { return };
        status.set(Some(DataStatus::Working(s.restore_working)));
        spawn_local(async move {
            status.set(Some(match backup::restore(services, file.into()).await {
                Ok(report) => {
                    let mut lines = vec![(s.restore_restored)(report.restored), (s.restore_existing)(report.already_here)];
                    if report.replaced > 0 {
                        lines.push((s.restore_replaced)(report.replaced));
                    }
                    lines.push((s.restore_pictures)(report.pictures));
                    if report.missing_pictures > 0 {
                        lines.push((s.restore_missing_pictures)(report.missing_pictures));
                    }
                    if !report.checklists_refused.is_empty() {
                        lines.push(s.restore_checklists_refused.to_string());
                        lines.extend(report.checklists_refused.iter().map(ToString::to_string));
                    }
                    DataStatus::Done { warn: report.missing_pictures > 0 || !report.checklists_refused.is_empty(), lines }
                }
                Err(e) => DataStatus::Failed(s.restore_error(&e)),
            }));
        });
    };
    // One shape for every state: fewer views to build into the download.
    let report = move || {
        status.get().map(|st| {
            let (class, role, lines) = match st {
                DataStatus::Working(text) => ("", "status", vec![text.to_string()]),
                DataStatus::Done { lines, warn } => (if warn { "banner banner-warning" } else { "banner banner-success" }, "status", lines),
                DataStatus::Failed(why) => ("banner banner-danger", "alert", vec![why]),
            };
            view! {
                <div class=class role=role data-testid="data-message">
                    {lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                </div>
            }
        })
    };
    view! {
        <h2>{s.data_title}</h2>
        <p class="hint">{s.data_hint}</p>
        <div class="actions actions-row">
            <button type="button" class="button" data-testid="export-json" prop:disabled=working on:click=move |_| export(false)>
                {s.export_all_json}
            </button>
            <button type="button" class="button" data-testid="export-csv" prop:disabled=working on:click=move |_| export(true)>
                {s.export_all_csv}
            </button>
            <button type="button" class="button button-primary" data-testid="backup-unsent" prop:disabled=working on:click=back_up>
                {s.backup_unsent}
            </button>
            <label class="button file-button">
                {s.restore_backup}
                <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="restore-file"
                    prop:disabled=working on:change=restore/>
            </label>
        </div>
        {report}
    }
}
