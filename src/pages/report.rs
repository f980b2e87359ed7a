//! The report of one inspection, laid out for A4: site, sector, date, inspectors, the
//! principal, the counts, and the hazard table (grade, basis, rectification, deadline).
//! "Print" uses the browser's print dialog, which also saves a PDF; style/print.css hides
//! the app around it.

use leptos::prelude::*;
use safewalk_core::grading::Grade;
use safewalk_core::Route;
use uuid::Uuid;

use safewalk_core::inspection::attachment::{Attachment, AttachmentKind};
use safewalk_core::inspection::determination::Conclusion;

use super::Unavailable;
use crate::attachments;
use crate::backup;
use crate::browser;
use crate::components::grade_badge::grade_words;
use crate::components::seal::Seal;
use crate::components::signature_pad::SignatureList;
use crate::components::{use_checklists, use_drafts, use_lang, use_strings};
use crate::state::Edition;

#[component]
pub fn Report(id: Uuid, edition: Edition) -> impl IntoView {
    let template = &edition.template;
    let drafts = use_drafts();
    let Some(inspection) = drafts.with_inspection_untracked(id, Clone::clone) else {
        return view! { <Unavailable id/> }.into_any();
    };
    let (s, lang) = (use_strings(), use_lang());
    let graded = edition.grade(&inspection);
    let tally = graded.tally();
    let category = template
        .site_category(&inspection.site.category)
        .map(|c| c.name.get(lang).to_string())
        .unwrap_or_else(|| inspection.site.category.clone());
    let date = browser::format_time(inspection.completed_at.unwrap_or(inspection.updated_at), lang);
    let rows = tally
        .hazard_items
        .iter()
        .enumerate()
        .map(|(n, item_id)| {
            let item = template.item(item_id);
            let hazard = inspection.hazard(item_id).cloned().unwrap_or_default();
            let grade = graded.grade(item_id).unwrap_or(Grade::General);
            let (word, note) = grade_words(s, grade, graded.standing(item_id));
            let because = graded.explain(item_id).map(|text| text.get(lang).to_string()).unwrap_or_default();
            let r = hazard.rectification;
            let rectification = if r.on_the_spot {
                (s.labelled)(s.status_on_the_spot, &r.on_the_spot_note)
            } else {
                let mut text = format!("{} — {} {} {} {}", r.measures, r.unit, r.person, r.role, r.phone);
                if !r.funds.is_empty() {
                    text.push_str(&format!("; {}", (s.labelled)(s.rect_funds, &r.funds)));
                }
                if grade.needs_supervision() {
                    text.push_str(&format!(
                        "; {}; {}",
                        (s.labelled)(s.rect_contingency, &r.contingency_plan),
                        (s.labelled)(s.rect_supervisor, &r.supervisor)
                    ));
                }
                text
            };
            view! {
                <tr>
                    <td>{n + 1}</td>
                    <td>
                        <strong>{word}</strong>{note.map(|note| format!(" · {note}"))}
                        <br/><small>{because}</small>
                    </td>
                    <td>
                        {item.map(|i| i.text.get(lang).to_string()).unwrap_or_else(|| item_id.clone())}
                        <br/><em>{inspection.note(item_id).to_string()}</em>
                    </td>
                    <td><small>{item.map(|i| i.basis.clone()).unwrap_or_default()}</small></td>
                    <td>{rectification}</td>
                    <td>{if r.on_the_spot { String::new() } else { r.deadline.clone() }}</td>
                </tr>
            }
        })
        .collect_view();
    // This inspection alone, as the office would receive it (JSON) or one row per answer (CSV).
    let name = move |ext: &str| format!("safewalk-{}.{ext}", id.simple().to_string().get(..8).unwrap_or_default());
    let checklists = use_checklists();
    let export_json = move |_| {
        let one: Vec<_> = drafts.with_inspection_untracked(id, Clone::clone).into_iter().collect();
        let _ = backup::export_json(checklists, &one, &name("json"));
    };
    let export_csv = move |_| {
        let one: Vec<_> = drafts.with_inspection_untracked(id, Clone::clone).into_iter().collect();
        let _ = backup::export_csv(checklists, &one, &name("csv"));
    };
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    // Photos in checklist order (hazards' first), then those of the whole site.
    let numbered: Vec<(usize, String, String)> =
        template.items().enumerate().map(|(n, item)| (n + 1, item.id.clone(), item.text.get(lang).to_string())).collect();
    let mut photos: Vec<(Attachment, String)> = inspection
        .attachments
        .iter()
        .filter(|a| a.kind == AttachmentKind::Photo)
        .map(|a| {
            let caption = match a.item.as_deref().and_then(|id| numbered.iter().find(|(_, i, _)| i == id)) {
                Some((n, _, text)) => format!("{n}. {text}"),
                None => s.site_details.to_string(),
            };
            (a.clone(), caption)
        })
        .collect();
    photos.sort_by_key(|(a, _)| {
        let hazard = a.item.as_deref().is_some_and(|i| tally.hazard_items.iter().any(|h| h == i));
        (!hazard, a.item.as_deref().and_then(|id| numbered.iter().position(|(_, i, _)| i == id)).unwrap_or(usize::MAX))
    });
    let photos = (!photos.is_empty()).then(|| {
        let figures = photos
            .into_iter()
            .map(|(photo, caption)| {
                let url = attachments::picture_url(photo.id);
                let when = browser::format_time(photo.taken_at, lang);
                let alt = format!("{caption} ({when})");
                view! {
                    <figure data-testid="report-photo">
                        <img src=move || url.get().unwrap_or_default() alt=alt width=photo.width height=photo.height/>
                        <figcaption>{caption}" · "{when}</figcaption>
                    </figure>
                }
            })
            .collect_view();
        view! { <h2>{s.report_photos}</h2><div class="report-photos">{figures}</div> }
    });
    // The collective determination as recorded (GB 35181-2017 chapter 4).
    let determination = inspection.determination.clone().map(|d| {
        let people = |list: &[safewalk_core::inspection::determination::Person]| {
            list.iter().map(|p| format!("{} ({})", p.name, p.role)).collect::<Vec<_>>().join("; ")
        };
        let panel = d.panel.as_ref().map(|p| {
            view! {
                <dt>{s.expert_panel}</dt>
                <dd>{people(&p.members)}" · "{(s.labelled)(s.votes_in_favour, &format!("{}/{}", p.votes_in_favour, p.members.len()))}</dd>
            }
        });
        let conclusions = d
            .conclusions
            .iter()
            .map(|(item, conclusion)| {
                let text = template.item_text(item, lang);
                let word = if *conclusion == Conclusion::Major { s.conclusion_major } else { s.conclusion_not_major };
                view! { <li>{text}": "<strong>{word}</strong></li> }
            })
            .collect_view();
        view! {
            <h2>{s.determination}</h2>
            <dl class="report-facts" data-testid="report-determination">
                <dt>{s.determination_date}</dt><dd>{d.date.clone()}</dd>
                <dt>{s.participants}</dt><dd>{people(&d.participants)}</dd>
                {panel}
                <dt>{s.conclusions}</dt><dd><ul>{conclusions}</ul></dd>
                <dt>{s.determination_reason}</dt><dd>{d.reason.clone()}</dd>
            </dl>
        }
    });
    let site = inspection.site.clone();
    let team = inspection.team.clone();
    // Printed only when entered: most paper forms leave no blank line for a code.
    let code = (!site.uscc.is_empty()).then(|| view! { <dt>{s.field_uscc}</dt><dd class="code">{site.uscc.clone()}</dd> });
    view! {
        <section class="page report" data-testid="report">
            <div class="no-print">
                <a class="back" href=Route::Review(id).to_hash()>"‹ "{s.review}</a>
                <button type="button" class="button button-primary button-big" on:click=print>{s.print}</button>
                <a class="button" data-testid="open-documents" href=Route::Documents(id).to_hash()>{s.documents}</a>
                <button type="button" class="button" data-testid="report-export-json" on:click=export_json>{s.export_json}</button>
                <button type="button" class="button" data-testid="report-export-csv" on:click=export_csv>{s.export_csv}</button>
            </div>
            <h1>{template.title.get(lang).to_string()}</h1>
            <dl class="report-facts">
                <dt>{s.field_site_name}</dt><dd>{site.name}</dd>
                <dt>{s.field_address}</dt><dd>{site.address}</dd>
                <dt>{s.filter_sector}</dt><dd>{template.sector.get(lang).to_string()}" · "{category}</dd>
                <dt>{s.field_enterprise}</dt><dd>{site.enterprise}</dd>
                {code}
                <dt>{s.principal_label}</dt><dd>{site.principal}" · "{site.principal_phone}</dd>
                <dt>{s.inspected_by}</dt><dd>{team.department}" · "{team.inspectors}</dd>
                <dt>{s.report_date}</dt><dd>{date}</dd>
            </dl>
            <h2>{s.counts}</h2>
            <p data-testid="report-counts">
                {(s.report_counts)(tally.compliant, tally.hazards, tally.not_applicable, tally.unanswered)}
            </p>
            <h2>{s.hazards_found}</h2>
            {if tally.hazards == 0 {
                view! { <p>{s.no_hazards}</p> }.into_any()
            } else {
                view! {
                    <table class="hazard-table" data-testid="hazard-table">
                        <thead><tr>
                            <th>"#"</th><th>{s.grade}</th><th>{s.hazard_title}</th><th>{s.basis}</th>
                            <th>{s.rectification}</th><th>{s.rect_deadline}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
            {determination}
            {photos}
            <h2>{s.signatures}</h2>
            <SignatureList id/>
            <Seal id/>
        </section>
    }
    .into_any()
}
