//! The enforcement documents of one inspection (issue 15): which it calls for, what they still
//! lack (asked here, the officers prefilled from Settings and the team), "Issue numbers", the
//! unit's refusal with a witness, and the A4 sheets that print. Reached from the review before
//! signing and from the report after completion; signing locks them as it locks the rest.

use leptos::prelude::*;
use safewalk_core::documents::kind::{documents_for, Authority};
use safewalk_core::documents::officers::prefill;
use safewalk_core::documents::paperwork::{Particular, Refusal};
use safewalk_core::rectification::order::order_of;
use safewalk_core::Route;
use uuid::Uuid;

use crate::browser;
use crate::components::document_sheets::{Context, DocumentSheets};
use crate::components::outcome::Outcome;
use crate::components::{use_drafts, use_lang, use_settings, use_strings};
use crate::state::{use_papers, Edition};

#[component]
pub fn Documents(id: Uuid, edition: Edition) -> impl IntoView {
    let (drafts, papers, settings) = (use_drafts(), use_papers(), use_settings());
    let (s, lang) = (use_strings(), use_lang());
    let template = edition.template.clone();
    let kinds = {
        let template = template.clone();
        Memo::new(move |_| drafts.with_inspection(id, |i| documents_for(i, &template)).unwrap_or_default())
    };
    let paperwork = Memo::new(move |_| drafts.with_inspection(id, |i| i.paperwork.clone().unwrap_or_default()).unwrap_or_default());
    let locked = Memo::new(move |_| drafts.with_inspection(id, |i| i.is_signed() || i.is_completed()).unwrap_or(true));
    let completed = Memo::new(move |_| drafts.with_inspection(id, |i| i.is_completed()).unwrap_or(true));
    let missing = Memo::new(move |_| {
        let mut p = paperwork.get();
        p.agency = papers.agency();
        kinds.with(|k| p.missing(k))
    });

    // The officers start from Settings and the team, once, while the papers can change.
    if !locked.get_untracked() && paperwork.with_untracked(|p| p.officers.is_empty()) {
        let values = settings.current();
        let _ = drafts.edit(id, |i, _, now| {
            let officers = prefill(&values.inspector_name, &values.certificate, &i.team);
            i.edit_paperwork(now, |p| p.officers = officers)
        });
    }
    let officer_rows = paperwork.with_untracked(|p| p.officers.len()).max(2);
    let edit = move |change: Box<dyn FnOnce(&mut safewalk_core::documents::paperwork::Paperwork)>| {
        let _ = drafts.edit(id, |i, _, now| i.edit_paperwork(now, change));
    };
    let officer_field = move |n: usize, certificate: bool| {
        let (field_id, label) = if certificate {
            (format!("officer-{n}-certificate"), (s.officer_certificate)(n + 1))
        } else {
            (format!("officer-{n}-name"), (s.officer_name)(n + 1))
        };
        let read = move || {
            paperwork
                .with(|p| p.officers.get(n).map(|o| if certificate { o.certificate.clone() } else { o.name.clone() }).unwrap_or_default())
        };
        let write = move |ev| {
            let value = event_target_value(&ev);
            edit(Box::new(move |p| {
                p.officers.resize_with(p.officers.len().max(n + 1), Default::default);
                if certificate {
                    p.officers[n].certificate = value;
                } else {
                    p.officers[n].name = value;
                }
            }))
        };
        view! {
            <div class="field">
                <label for=field_id.clone()>{label}</label>
                <input id=field_id type="text" autocomplete="off" prop:value=read prop:disabled=locked on:input=write/>
            </div>
        }
    };
    let officers = (0..officer_rows).map(|n| view! { {officer_field(n, false)} {officer_field(n, true)} }).collect_view();
    let measures_asked = Authority::of(&template) == Authority::ProductionSafety
        && drafts.with_inspection_untracked(id, |i| i.follow_up.is_none()).unwrap_or(false);

    let message = RwSignal::new(None::<(bool, String)>);
    let issue = move |_| {
        message.set(Some(match papers.issue(id) {
            Ok(issued) => (true, (s.issued_count)(issued.len())),
            Err(failure) => (false, s.issue_failure(&failure, lang)),
        }))
    };

    let list = move || {
        let issued = paperwork.get().issued;
        kinds
            .get()
            .into_iter()
            .map(|kind| {
                let number = issued.iter().find(|d| d.kind == kind).map(|d| d.number.clone());
                view! {
                    <li data-testid="document">
                        <strong>{kind.title().get(lang).to_string()}</strong><br/>
                        <span class="card-meta" data-testid="document-number">{number.unwrap_or_else(|| s.document_not_numbered.to_string())}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let missing_list = move || {
        missing
            .get()
            .into_iter()
            .map(|particular| {
                let in_settings =
                    matches!(particular, Particular::Agency | Particular::Region | Particular::ReviewGovernment | Particular::Court);
                view! {
                    <li>
                        {particular.text().get(lang).to_string()}
                        {in_settings.then(|| view! { " — "<a href=Route::Settings.to_hash()>{s.documents_set_in_settings}</a> })}
                    </li>
                }
            })
            .collect_view()
    };

    // The sheets as they print, from the record as it is now.
    let sheets = move || {
        let issued = paperwork.get().issued;
        let inspection = drafts.with_inspection(id, Clone::clone)?;
        let documents = kinds
            .get()
            .into_iter()
            .map(|kind| (kind, issued.iter().find(|d| d.kind == kind).map(|d| d.number.clone()).unwrap_or_default()))
            .collect();
        // Copied into the follow-up when it started (from the record or the office's pull); a
        // follow-up started before that looks for its original among the drafts.
        let original_order =
            inspection.follow_up.as_ref().and_then(|f| f.order.clone().or_else(|| drafts.with_inspection(f.of, order_of).flatten()));
        let context = Context { documents, ended_at: inspection.completed_at.unwrap_or_else(browser::now), original_order };
        Some(view! { <DocumentSheets inspection edition=edition.clone() context/> })
    };
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let back = move || if completed.get() { (Route::Report(id), s.report) } else { (Route::Review(id), s.review) };

    view! {
        <section class="page documents" data-testid="documents">
            <div class="no-print">
                <a class="back" href=move || back().0.to_hash()>"‹ "{move || back().1}</a>
                <h1>{s.documents}</h1>
                <p class="hint">{s.documents_hint}</p>
                <h2>{s.documents_called_for}</h2>
                <ul class="document-list" data-testid="documents-called-for">{list}</ul>
                {move || locked.get().then(|| view! { <p class="banner banner-info" role="status">{s.documents_locked}</p> })}
                {move || (!locked.get() && !missing.with(Vec::is_empty)).then(|| view! {
                    <h2>{s.documents_missing}</h2>
                    <ul class="missing" data-testid="documents-missing">{missing_list}</ul>
                })}
                <form class="form" on:submit=move |ev| ev.prevent_default()>
                    <fieldset class="choices">
                        <legend>{s.officers}</legend>
                        {officers}
                    </fieldset>
                    <div class="field">
                        <label for="principal-post">{s.principal_post}</label>
                        <input id="principal-post" type="text" autocomplete="off" prop:disabled=locked
                            prop:value=move || paperwork.with(|p| p.principal_post.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |p| p.principal_post = v)) }/>
                    </div>
                    {measures_asked.then(|| view! {
                        <div class="field">
                            <label for="on-site-measures">{s.on_site_measures}</label>
                            <textarea id="on-site-measures" rows="2" prop:disabled=locked
                                prop:value=move || paperwork.with(|p| p.on_site_measures.clone())
                                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |p| p.on_site_measures = v)) }></textarea>
                        </div>
                    })}
                </form>
                <div class="actions">
                    {move || (!locked.get()).then(|| view! {
                        <button type="button" class="button button-primary button-big" data-testid="issue-numbers" on:click=issue>{s.issue_numbers}</button>
                    })}
                    <Outcome outcome=message testid="documents-message"/>
                </div>
                {move || (!completed.get()).then(|| view! { <RefusalForm id/> })}
                <h2>{s.print_documents}</h2>
                <p class="hint">{s.documents_print_hint}</p>
                <button type="button" class="button button-big" data-testid="print-documents" on:click=print>{s.print_documents}</button>
            </div>
            <div class="doc-print" data-testid="doc-print">{sheets}</div>
        </section>
    }
}

/// The unit's refusal to sign: the witness and the note, recorded (or withdrawn) before the
/// inspection is completed; the witness then signs on the review's pad.
#[component]
fn RefusalForm(id: Uuid) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let recorded = Memo::new(move |_| drafts.with_inspection(id, |i| i.paperwork.as_ref().and_then(|p| p.refusal.clone())).flatten());
    let start = recorded.get_untracked().unwrap_or_default();
    let (witness, note) = (RwSignal::new(start.witness), RwSignal::new(start.note));
    let message = RwSignal::new(None::<(bool, String)>);
    let record = move |_| {
        let refusal = Refusal { witness: witness.get_untracked().trim().to_string(), note: note.get_untracked().trim().to_string() };
        if refusal.witness.is_empty() {
            return message.set(Some((false, s.refusal_needs_witness.to_string())));
        }
        message.set(Some(match drafts.edit(id, |i, _, now| i.set_refusal(Some(refusal), now)) {
            Ok(()) => (true, s.refusal_recorded.to_string()),
            Err(_) => (false, s.documents_locked.to_string()),
        }));
    };
    let withdraw = move |_| {
        let _ = drafts.edit(id, |i, _, now| i.set_refusal(None, now));
        message.set(None);
    };
    view! {
        <h2>{s.refusal_title}</h2>
        <p class="hint">{s.refusal_hint}</p>
        <form class="form" on:submit=move |ev| ev.prevent_default()>
            <div class="field">
                <label for="refusal-witness">{s.refusal_witness}</label>
                <input id="refusal-witness" type="text" autocomplete="off" prop:value=move || witness.get()
                    on:input=move |ev| witness.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="refusal-note">{s.refusal_note}</label>
                <input id="refusal-note" type="text" autocomplete="off" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))/>
            </div>
        </form>
        <div class="actions actions-row">
            <button type="button" class="button" data-testid="record-refusal" on:click=record>{s.refusal_record}</button>
            {move || recorded.get().is_some().then(|| view! {
                <button type="button" class="button" data-testid="withdraw-refusal" on:click=withdraw>{s.refusal_withdraw}</button>
            })}
            <Outcome outcome=message testid="refusal-message"/>
        </div>
    }
}
