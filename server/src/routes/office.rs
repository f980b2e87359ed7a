//! What the office reads: an HTML list and detail page, and a CSV export. Labels are in
//! the office's language; the pages are maud markup, so every piece of uploaded text is escaped,
//! and shown through [`Visible`] so hidden controls cannot disguise it either.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::{html, Markup};
use safewalk_core::catalogue::library::Library;
use safewalk_core::delivery::payload::{GradeReport, InspectionPayload};
use safewalk_core::grading::completion::Tally;
use safewalk_core::grading::{Grade, RuleSet};
use safewalk_core::inspection::attachment::{SignerRole, ACCURACY_WARNING_M};
use safewalk_core::inspection::determination::{Conclusion, Person, Standing};
use safewalk_core::inspection::follow_up::{FollowUp, Verdict};
use safewalk_core::inspection::hazard::{GradeChoice, Hazard, RectificationField};
use safewalk_core::inspection::words;
use safewalk_core::{Answer, Inspection, Lang, SiteField, Template};
use uuid::Uuid;

use super::attachments::{listed, position, Listed};
use super::csv_download::csv_download;
use super::error;
use super::frame::{csrf_of, office_page};
use super::inspections::{visible, Page};
use super::language::{current, say};
use super::sign_in::Csrf;
use super::sites::library_text;
use crate::html::{date_time, wide, Visible};
use crate::people::Principal;
use crate::store::{AttachmentInfo, StoreError, StoredInspection};
use crate::AppState;

fn payload_of(stored: &StoredInspection) -> Option<InspectionPayload> {
    serde_json::from_str::<InspectionPayload>(&stored.payload).ok()
}

/// The exact edition the inspection was made with, when the library has it.
fn template_of<'a>(library: &'a Library, inspection: &Inspection) -> Option<&'a Template> {
    library.template(&inspection.template.id, &inspection.template.version)
}

/// The counts per answer: over the template's items when it is known, else over the answers.
fn tally(library: &Library, inspection: &Inspection) -> Tally {
    if let Some(template) = template_of(library, inspection) {
        return Tally::of(inspection, template);
    }
    let mut tally = Tally::default();
    for (item, answer) in &inspection.answers {
        match answer.answer {
            Some(Answer::Compliant) => tally.compliant += 1,
            Some(Answer::NotApplicable) => tally.not_applicable += 1,
            Some(Answer::Hazard) => {
                tally.hazards += 1;
                tally.hazard_items.push(item.clone());
            }
            None => tally.unanswered += 1,
        }
    }
    tally
}

/// Hazards graded major in the payload (schema 1 has no grades: `None`).
fn major_count(payload: &InspectionPayload) -> Option<usize> {
    (payload.schema >= 2).then(|| {
        let i = &payload.inspection;
        payload.grades.iter().filter(|(item, g)| g.grade == Grade::Major && i.answer(item) == Some(Answer::Hazard)).count()
    })
}

/// Hazards graded major in the payload that are still suspected (awaiting the collective
/// determination); `None` where [`major_count`] is.
fn suspected_count(payload: &InspectionPayload) -> Option<usize> {
    (payload.schema >= 2).then(|| {
        let i = &payload.inspection;
        payload
            .grades
            .iter()
            .filter(|(item, g)| g.grade == Grade::Major && g.standing == Standing::Suspected && i.answer(item) == Some(Answer::Hazard))
            .count()
    })
}

/// A grade as the office reads it, with where it stands with the collective determination:
/// a suspected major fire hazard is never called plainly "major".
fn graded_text(grade: Grade, standing: Standing) -> String {
    match (grade, standing) {
        (Grade::Major, Standing::Suspected) => {
            format!("{} — {}", word(words::suspected_major), word(words::awaiting_determination))
        }
        (Grade::Major, Standing::DeterminedMajor) => format!("{} — {}", grade_text(grade), word(words::determined_major)),
        (Grade::General, Standing::DeterminedNotMajor) => format!("{} — {}", grade_text(grade), word(words::determined_not_major)),
        _ => grade_text(grade),
    }
}

/// One of the words the app shows too ([`words`]), in the office's language (the app's own
/// constants; maud escapes them all the same).
fn word(word: impl Fn(Lang) -> &'static str) -> String {
    word(super::language::current().lang).to_string()
}

fn answer_text(answer: Option<Answer>) -> String {
    match answer {
        Some(answer) => word(|lang| words::answer(answer, lang)),
        None => "-".to_string(),
    }
}

fn grade_text(grade: Grade) -> String {
    word(|lang| words::grade(grade, lang))
}

fn verdict_text(verdict: Option<Verdict>) -> String {
    match verdict {
        Some(verdict) => word(|lang| words::verdict(verdict, lang)),
        None => word(words::no_verdict),
    }
}

fn field_label(field: RectificationField) -> String {
    word(|lang| words::rectification_field(field, lang))
}

/// An item as the office reads it: its text from the template when known, and its id.
fn item_label(template: Option<&Template>, item_id: &str) -> Markup {
    match template.and_then(|t| t.item(item_id)) {
        Some(item) => html! { (library_text(&item.text)) " " small { "(" (Visible(item_id)) ")" } },
        None => html! { (Visible(item_id)) },
    }
}

/// `site name · date` of a stored inspection, for links.
fn title_of(payload: &InspectionPayload) -> String {
    let i = &payload.inspection;
    format!("{} · {}", i.site.name, date_time(i.completed_at.unwrap_or(i.created_at)))
}

/// A table of `label | value` rows.
fn rows_table(class: Option<&str>, rows: &[(String, Markup)]) -> Markup {
    html! {
        table class=[class] { @for (label, value) in rows { tr { th { (label) } td { (value) } } } }
    }
}

/// Received of listed: fewer than listed is still arriving (or lost).
fn attachments_cell(received: u64, listed: u64) -> Markup {
    match (received, listed) {
        (0, 0) => html! {},
        (received, listed) if received < listed => html! { span.hazard { (received) "/" (listed) } },
        (received, listed) => html! { (received) "/" (listed) },
    }
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(paging): Query<Page>,
) -> Result<Response, StoreError> {
    let (offset, limit) = match paging.window() {
        Ok(window) => window,
        Err(message) => return Ok(error(StatusCode::BAD_REQUEST, message)),
    };
    let stored = state.store.list(&principal.visibility(), offset, limit).await?;
    let names = submitter_names(&state).await?;
    let rows: Vec<(&StoredInspection, InspectionPayload)> = stored.iter().filter_map(|s| payload_of(s).map(|p| (s, p))).collect();
    let body = html! {
        h1 { (say("已接收的检查", "Inspections received")) }
        p { a href="/api/inspections.csv" { "CSV" } }
        (wide(say("已接收的检查", "Inspections received"), html! {
            table {
                tr {
                    th { (say("场所", "Site")) } th { (say("单位", "Enterprise")) } th { (say("检查表", "Checklist")) } th { (word(|lang| words::site_field(SiteField::Inspectors, lang))) }
                    th { (say("完成", "Completed")) } th { (word(words::hazards_found)) } th { (grade_text(Grade::Major)) }
                    th { (word(words::suspected_major)) br; small { (say("其中", "of the majors")) } }
                    th { (say("复查自", "Follow-up of")) }
                    th { (say("附件", "Attachments")) br; small { (say("已收到/应有", "received/listed")) } }
                    th { (say("提交人", "Delivered by")) }
                }
                @for (s, payload) in &rows {
                    @let i = &payload.inspection;
                    tr {
                        td { a href={ "/office/" (i.id) } { (Visible(&i.site.name)) } }
                        td { (Visible(&i.site.enterprise)) }
                        td { (Visible(&i.template.id)) }
                        td { (Visible(&i.team.inspectors)) }
                        td { @if let Some(completed) = i.completed_at { (date_time(completed)) } }
                        td.hazard { (tally(&state.library, i).hazards) }
                        td.hazard { @if let Some(n) = major_count(payload) { (n) } }
                        td.hazard { @if let Some(n) = suspected_count(payload) { (n) } }
                        td { @if let Some(of) = s.follow_up_of { a href={ "/office/" (of) } { (of) } } }
                        td { (attachments_cell(s.attachments_received, i.attachments.len() as u64)) }
                        td.submitter { (Visible(&submitter_text(&names, s.submitted_by.as_deref()))) }
                    }
                }
            }
        }))
    };
    Ok(office_page(&format!("Safewalk — {}", say("已接收的检查", "Inspections received")), &principal, csrf_of(&csrf), body))
}

pub async fn detail(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Path(id): Path<String>,
) -> Result<Response, StoreError> {
    let Ok(id) = Uuid::parse_str(&id) else { return Ok(error(StatusCode::BAD_REQUEST, "id: not a UUID")) };
    let Some(stored) = visible(&state, &principal, id).await? else {
        return Ok(error(StatusCode::NOT_FOUND, format!("no inspection {id}")));
    };
    let Some(payload) = payload_of(&stored) else { return Ok(error(StatusCode::INTERNAL_SERVER_ERROR, "stored payload unreadable")) };
    // The links both ways: the original this follows up (it may not have arrived yet), and
    // the follow-ups of this one.
    let original = match &payload.inspection.follow_up {
        Some(follow_up) => state.store.get(follow_up.of).await?.as_ref().and_then(payload_of),
        None => None,
    };
    let follow_ups: Vec<InspectionPayload> = state.store.follow_ups(id).await?.iter().filter_map(payload_of).collect();
    let received = state.store.attachments(id).await?;
    let site = state.store.site_of_inspection(id).await?;
    let names = submitter_names(&state).await?;
    let library = &state.library;
    let i = &payload.inspection;
    let template = template_of(library, i);
    let rule_set = template.and_then(|t| t.rule_set.as_deref()).and_then(|r| library.rule_set(r));
    // Where the inspector stood at the start (`inspection.position`), if the record says.
    let start =
        serde_json::from_str::<serde_json::Value>(&stored.payload).ok().and_then(|p| p.pointer("/inspection/position").and_then(position));
    // The category by its name in the checklist, in the office's language (its id when the
    // checklist does not know it).
    let category = template.and_then(|t| t.site_category(&i.site.category)).map(|c| c.name.get(current().lang).to_string());
    let shown = |f: SiteField| match (f, &category) {
        (SiteField::Category, Some(name)) => name.clone(),
        _ => i.field(f).to_string(),
    };
    let mut fields: Vec<(String, Markup)> =
        SiteField::ALL.iter().map(|f| (word(|lang| words::site_field(*f, lang)), html! { (Visible(&shown(*f))) })).collect();
    if let Some(at) = start {
        fields.push((say("开始位置", "Position at start").into(), position_text(at)));
    }
    let original_template = original.as_ref().and_then(|o| template_of(library, &o.inspection));
    let closing = super::closing_photos::of_follow_up(&state.store, i).await?;
    let task = match i.task {
        Some(task) => Some((task, state.store.task_link(&task.to_string()).await?)),
        None => None,
    };
    let papers = super::papers::inspection_section(&state, &payload).await?;
    let body = html! {
        p.screen-only { a href="/office" { (say("← 全部检查", "← All inspections")) } }
        h1 { (Visible(&i.site.name)) }
        @if let Some(site) = &site {
            p { (say("场所: ", "Site: ")) a href={ "/office/sites/" (site.id) } { (Visible(&site.name)) } " · " (Visible(&site.address)) }
        }
        p {
            (Visible(&i.template.id)) " " (Visible(&i.template.version)) " · " (i.id)
            (say(" · 完成 ", " · completed ")) @if let Some(completed) = i.completed_at { (date_time(completed)) }
            (say(" · 接收 ", " · received ")) (date_time(stored.received_at))
        }
        p.submitter { (say("提交人: ", "Delivered by: ")) b { (Visible(&submitter_text(&names, stored.submitted_by.as_deref()))) } }
        @if let Some((task, link)) = &task { (super::task_flags::of_inspection(i.id, *task, link.as_ref())) }
        @if let Some(follow_up) = &i.follow_up { (follow_up_of(follow_up, original.as_ref())) }
        @if !follow_ups.is_empty() { (followed_up_by(i.id, template, &follow_ups)) }
        (rows_table(None, &fields))
        (hazards(i, &payload.grades, template))
        (determination(i, &payload.grades, template))
        (attachments(id, &listed(&stored.payload), &received, template))
        @if !i.exclusions.is_empty() { (exclusions(&i.exclusions, rule_set)) }
        @if let Some(follow_up) = &i.follow_up { (checks(follow_up, [original_template, template])) }
        @if let Some(closing) = &closing { (closing) }
        (papers)
        (items(i, template))
    };
    Ok(office_page(&format!("Safewalk — {}", i.site.name), &principal, csrf_of(&csrf), body))
}

/// Every person's name by id, for "delivered by".
async fn submitter_names(state: &AppState) -> Result<HashMap<String, String>, StoreError> {
    Ok(state.store.people().await?.into_iter().map(|p| (p.id, p.name)).collect())
}

/// Who delivered a record: the person of the token it came with, or "—" (before people, or
/// a legacy shared token).
fn submitter_text(names: &HashMap<String, String>, submitted_by: Option<&str>) -> String {
    match submitted_by {
        Some(id) => names.get(id).cloned().unwrap_or_else(|| id.to_string()),
        None => "—".to_string(),
    }
}

/// On a follow-up: which inspection it follows up.
fn follow_up_of(follow_up: &FollowUp, original: Option<&InspectionPayload>) -> Markup {
    let of = follow_up.of;
    html! {
        p."follow-up-of" {
            (say("复查自 ", "Follow-up of "))
            @match original {
                Some(original) => { a href={ "/office/" (of) } { (Visible(&title_of(original))) } " (" (of) ")" },
                None => { a href={ "/office/" (of) } { (of) } (say("（尚未收到）", " (not received yet)")) },
            }
        }
    }
}

/// On an original: each follow-up, when, and its verdict on each of this inspection's hazards.
fn followed_up_by(id: Uuid, template: Option<&Template>, follow_ups: &[InspectionPayload]) -> Markup {
    html! {
        h2 { (say("复查", "Follow-ups")) }
        ul."followed-up-by" {
            @for payload in follow_ups {
                @let f = &payload.inspection;
                @let checks = f.follow_up.as_ref().map(|fu| fu.checks.as_slice()).unwrap_or_default();
                @let elsewhere = checks.iter().filter(|c| c.inspection != id).count();
                li {
                    (say("复查 ", "Followed up by ")) a href={ "/office/" (f.id) } { (f.id) } (say("，", " on ")) (date_time(f.completed_at.unwrap_or(f.created_at))) ":"
                    ul {
                        @for c in checks.iter().filter(|c| c.inspection == id) {
                            li {
                                (item_label(template, &c.item)) ": " b { (verdict_text(c.verdict)) }
                                @if !c.note.is_empty() { " — " (Visible(&c.note)) }
                            }
                        }
                        @if elsewhere > 0 { li { "+" (elsewhere) (say(" 其他检查的隐患", " hazards of other inspections")) } }
                    }
                }
            }
        }
    }
}

/// A hazard's grade: the settled grade and where it stands, the rules' grade when the
/// inspector changed it, and why.
fn grade_cell(report: &GradeReport) -> Markup {
    let class = match (report.grade, report.standing) {
        (_, Standing::Suspected) => Some("major suspected"),
        (Grade::Major, _) => Some("major"),
        _ => None,
    };
    html! {
        span class=[class] { (graded_text(report.grade, report.standing)) }
        @if report.rule_grade != report.grade { (say("（规则判定：", " (by the rules: ")) (grade_text(report.rule_grade)) (say("）", ")")) }
        br; (library_text(&report.because))
    }
}

/// Every item answered "hazard", in checklist order: what was found, its settled grade and
/// why, and who rectifies it how and by when.
fn hazards(i: &Inspection, grades: &BTreeMap<String, GradeReport>, template: Option<&Template>) -> Markup {
    let found: Vec<&str> = match template {
        Some(t) => t.items().map(|item| item.id.as_str()).filter(|id| i.answer(id) == Some(Answer::Hazard)).collect(),
        None => i.answers.iter().filter(|(_, a)| a.answer == Some(Answer::Hazard)).map(|(id, _)| id.as_str()).collect(),
    };
    if found.is_empty() {
        return html! {};
    }
    let none = Hazard::default();
    html! {
        h2 { (word(words::hazards_found)) " (" (found.len()) ")" }
        @for item_id in found {
            h3.hazard { (Visible(item_id)) }
            (rows_table(Some("hazard-detail"), &hazard_rows(item_id, i.hazards.get(item_id).unwrap_or(&none), i, grades, template)))
        }
    }
}

/// One hazard's rows: the item, the description, the grade, the inspector's choice and the
/// rectification.
fn hazard_rows(
    item_id: &str,
    hazard: &Hazard,
    i: &Inspection,
    grades: &BTreeMap<String, GradeReport>,
    template: Option<&Template>,
) -> Vec<(String, Markup)> {
    let mut rows = vec![
        (say("检查项", "Item").to_string(), item_label(template, item_id)),
        (say("隐患描述", "Description").to_string(), html! { (Visible(i.note(item_id))) }),
    ];
    let grade = match grades.get(item_id) {
        Some(report) => grade_cell(report),
        None => html! { (say("未分级", "not graded")) },
    };
    rows.push((word(words::grade_label), grade));
    if let Some(major) = template.and_then(|t| t.item(item_id)).and_then(|item| item.major.as_deref()) {
        rows.push((say("直接判定依据", "Direct major criterion").to_string(), html! { (Visible(major)) }));
    }
    let choice = say("检查人员判定", "Inspector's choice").to_string();
    match &hazard.grading {
        GradeChoice::Rule => {}
        GradeChoice::Raised => rows.push((choice, html! { (word(words::grade_raised)) })),
        GradeChoice::Lowered { reason } => {
            rows.push((choice, html! { (word(words::grade_lowered)) " — " (word(words::lower_reason)) ": " (Visible(reason)) }))
        }
    }
    let r = &hazard.rectification;
    if r.on_the_spot {
        rows.push((word(words::rectified_on_the_spot), html! { (say("是 — ", "yes — ")) (Visible(&r.on_the_spot_note)) }));
    } else {
        let major = grades.get(item_id).is_some_and(|g| g.grade == Grade::Major);
        for field in RectificationField::PLANNED {
            let value = r.field(field);
            let major_only = matches!(field, RectificationField::ContingencyPlan | RectificationField::Supervisor);
            if value.is_empty() && major_only && !major {
                continue;
            }
            rows.push((field_label(field), html! { @if value.is_empty() { "—" } @else { (Visible(value)) } }));
        }
    }
    rows
}

/// People of a determination: name, and role small.
fn people_list(list: &[Person]) -> Markup {
    html! { ul { @for p in list { li { (Visible(&p.name)) " " small { (Visible(&p.role)) } } } } }
}

/// The collective determination as recorded: date, participants, the expert panel and its
/// vote, the conclusion on each hazard, the reason; or, when majors are suspected and none is
/// recorded, that they await it.
fn determination(i: &Inspection, grades: &BTreeMap<String, GradeReport>, template: Option<&Template>) -> Markup {
    let heading = html! { h2 #determination { (word(words::collective_determination)) } };
    let suspected: Vec<&String> = grades.iter().filter(|(_, g)| g.standing == Standing::Suspected).map(|(item, _)| item).collect();
    let awaiting = html! { (word(words::suspected_major)) " — " (word(words::awaiting_determination)) };
    let Some(d) = &i.determination else {
        if suspected.is_empty() {
            return html! {};
        }
        return html! {
            (heading)
            p.hazard.suspected { (awaiting) }
            ul { @for item in &suspected { li { (item_label(template, item)) } } }
        };
    };
    let mut rows = vec![
        (word(words::determination_date), html! { (Visible(&d.date)) }),
        (format!("{} ({})", word(words::participants), d.participants.len()), people_list(&d.participants)),
    ];
    if let Some(panel) = &d.panel {
        rows.push((format!("{} ({})", word(words::expert_panel), panel.members.len()), people_list(&panel.members)));
        rows.push((word(words::votes_in_favour), html! { (panel.votes_in_favour) " / " (panel.members.len()) }));
    }
    let conclusions = html! {
        ul {
            @for (item, conclusion) in &d.conclusions {
                li {
                    (item_label(template, item)) ": "
                    b class=[(*conclusion == Conclusion::Major).then_some("major")] { (word(|lang| words::conclusion(*conclusion, lang))) }
                }
            }
        }
    };
    rows.push((say("认定结论", "Conclusions").to_string(), conclusions));
    rows.push((word(words::determination_reason), html! { (Visible(&d.reason)) }));
    // What the phone graded with it: settled, or (a record that does not meet the procedure)
    // the hazards still suspected.
    if !suspected.is_empty() {
        rows.push((say("状态", "Standing").to_string(), html! { span.hazard.suspected { (awaiting) } }));
    }
    html! { (heading) (rows_table(Some("determination"), &rows)) }
}

/// The photos and signatures the record lists, each shown when received and marked
/// "missing" when not; then whatever arrived under this inspection's id that the record does
/// not list.
fn attachments(inspection: Uuid, listed: &[Listed], received: &[AttachmentInfo], template: Option<&Template>) -> Markup {
    let held = |l: &Listed| l.uuid.and_then(|id| received.iter().find(|r| r.id == id));
    // Listed under another kind, or not listed at all (the record may list them under a
    // newer format, or they were sent for a record that never listed them).
    let others: Vec<Markup> = listed
        .iter()
        .filter(|l| l.kind != "photo" && l.kind != "signature")
        .map(|l| figure(inspection, l, held(l), template))
        .chain(received.iter().filter(|r| !listed.iter().any(|l| l.uuid == Some(r.id))).map(|r| {
            let unlisted = Listed { id: r.id.to_string(), uuid: Some(r.id), ..Listed::default() };
            figure(inspection, &unlisted, Some(r), template)
        }))
        .collect();
    html! {
        @for (kind, heading) in [("photo", word(words::photos)), ("signature", word(words::signatures))] {
            @let of_kind: Vec<&Listed> = listed.iter().filter(|l| l.kind == kind).collect();
            @let missing = of_kind.iter().filter(|l| held(l).is_none()).count();
            @if !of_kind.is_empty() {
                h2 { (heading) " (" (of_kind.len()) ")" @if missing > 0 { " " span.hazard { (missing) (say(" 未收到", " missing")) } } }
                div class={ "attachments " (kind) "s" } { @for l in &of_kind { (figure(inspection, l, held(l), template)) } }
            }
        }
        @if !others.is_empty() {
            h2 { (say("其他附件", "Other attachments")) }
            p { small { (say("记录未列出或类型未知", "Received or listed without a known kind")) } }
            div.attachments.others { @for other in &others { (other) } }
        }
    }
}

/// One attachment: the image when received (linked to the full size), "missing" when not,
/// and what the record says about it.
fn figure(inspection: Uuid, l: &Listed, held: Option<&AttachmentInfo>, template: Option<&Template>) -> Markup {
    let kind = match l.kind.as_str() {
        "photo" => say("照片", "Photo").to_string(),
        "signature" => say("签名", "Signature").to_string(),
        "" => say("附件", "Attachment").to_string(),
        other => format!("{} ({other})", say("附件", "Attachment")),
    };
    // The alt text names what the image shows: the kind, and its item or its signer.
    let mut alt = kind.clone();
    let mut caption = vec![html! { b { (Visible(&kind)) } }];
    if let Some(item) = &l.item {
        let text =
            template.and_then(|t| t.item(item)).map(|i| format!(": {}", i.text.get(super::language::current().lang))).unwrap_or_default();
        alt.push_str(&format!(" — {}{item}{text}", say("检查项 ", "item ")));
        caption.push(html! { (say("检查项: ", "Item: ")) (item_label(template, item)) });
    }
    if let Some(name) = &l.name {
        alt.push_str(&format!(" — {name}"));
        caption.push(html! { (say("签名人: ", "Signed by: ")) (Visible(name)) });
    }
    if let Some(role) = &l.role {
        let role = match role.as_str() {
            "inspector" => word(|lang| words::signer_role(SignerRole::Inspector, lang)),
            "site_representative" => word(|lang| words::signer_role(SignerRole::SiteRepresentative, lang)),
            other => other.to_string(),
        };
        caption.push(html! { (say("身份: ", "Role: ")) (Visible(&role)) });
    }
    if let Some(taken_at) = l.taken_at {
        caption.push(html! { (say("拍摄 ", "Taken ")) (date_time(taken_at)) });
    }
    if let Some(at) = l.position {
        caption.push(position_text(at));
    }
    let image = match (l.uuid, held) {
        (Some(id), Some(info)) => {
            let src = format!("/inspections/{inspection}/attachments/{id}");
            caption.push(html! { (say("接收 ", "Received ")) (date_time(info.received_at)) " · " (info.size.div_ceil(1024)) " KB" });
            if l.sha256.as_ref().is_some_and(|listed| *listed != info.sha256) {
                caption.push(html! { span.hazard { (say("与记录不符（SHA-256）", "differs from the record (SHA-256)")) } });
            }
            html! { a href=(src) { img src=(src) alt=(Visible(&alt)) loading="lazy"; } }
        }
        (Some(_), None) => html! { div.missing { (say("未收到", "missing")) } },
        (None, _) => html! { div.missing { (say("未收到 — 无效编号 ", "missing — invalid id ")) (Visible(&l.id)) } },
    };
    html! {
        figure class="attachment" id={ "attachment-" (Visible(&l.id)) } {
            (image)
            figcaption { @for (n, part) in caption.iter().enumerate() { @if n > 0 { br; } (part) } }
        }
    }
}

/// A position with its accuracy; worse than [`ACCURACY_WARNING_M`] (or unknown) is flagged,
/// as the app warns the inspector.
fn position_text((lat, lon, accuracy): (f64, f64, Option<f64>)) -> Markup {
    let accurate = accuracy.is_some_and(|a| a <= ACCURACY_WARNING_M);
    let accuracy = accuracy.map(|a| format!(" ±{a:.0} m")).unwrap_or_default();
    html! { span class=[(!accurate).then_some("hazard")] { (say("位置 ", "Position ")) (format!("{lat:.6}, {lon:.6}")) (accuracy) } }
}

/// The rule set's exclusions the inspector found to apply, by name when the rule set is known.
fn exclusions(ids: &[String], rule_set: Option<&RuleSet>) -> Markup {
    html! {
        h2 { (say("排除情形", "Exclusions")) }
        ul {
            @for id in ids {
                @match rule_set.and_then(|r| r.exclusion(id)) {
                    Some(named) => li { (library_text(&named.name)) " " small { "(" (Visible(id)) ")" } },
                    None => li { (Visible(id)) },
                }
            }
        }
    }
}

/// On a follow-up: each carried hazard and the verdict on it. Item texts come from the
/// original's checklist, or the follow-up's own when the original has not arrived.
fn checks(follow_up: &FollowUp, templates: [Option<&Template>; 2]) -> Markup {
    html! {
        h2 { (say("复查隐患", "Hazards verified")) }
        (wide(say("复查隐患", "Hazards verified"), html! {
            table.checks {
                tr {
                    th { (say("发现于", "Found in")) } th { (say("检查项", "Item")) } th { (say("隐患描述", "Description")) } th { (word(words::grade_label)) }
                    th { (field_label(RectificationField::Deadline)) } th { (word(words::verdict_label)) } th { (word(words::note_label)) }
                }
                @for c in &follow_up.checks {
                    tr {
                        td { a href={ "/office/" (c.inspection) } { (c.inspection) } }
                        td { (item_label(templates.into_iter().flatten().find(|t| t.item(&c.item).is_some()), &c.item)) }
                        td { (Visible(&c.description)) }
                        td { (grade_text(c.grade)) }
                        td { (Visible(&c.deadline)) }
                        td class=[(c.verdict != Some(Verdict::Rectified)).then_some("hazard")] { (verdict_text(c.verdict)) }
                        td { (Visible(&c.note)) }
                    }
                }
            }
        }))
    }
}

/// Every item with its answer and note.
fn items(i: &Inspection, template: Option<&Template>) -> Markup {
    html! {
        h2 { (say("检查项", "Items")) }
        table {
            tr { th { "id" } th { (say("检查项", "Item")) } th { (word(words::answer_label)) } th { (word(words::note_label)) } }
            @match template {
                Some(t) => {
                    @for item in t.items() {
                        @let answer = i.answer(&item.id);
                        tr {
                            td { (Visible(&item.id)) }
                            td { (library_text(&item.text)) }
                            td class=[(answer == Some(Answer::Hazard)).then_some("hazard")] { (answer_text(answer)) }
                            td { (Visible(i.note(&item.id))) }
                        }
                    }
                },
                None => {
                    @for (item, a) in &i.answers {
                        tr { td { (Visible(item)) } td {} td { (answer_text(a.answer)) } td { (Visible(&a.note)) } }
                    }
                },
            }
        }
    }
}

/// One row per inspection: who, where, when, the counts, and the original of a follow-up.
pub async fn csv(State(state): State<Arc<AppState>>, Extension(principal): Extension<Principal>) -> Response {
    let stored = match state.store.list(&principal.visibility(), 0, u64::MAX >> 1).await {
        Ok(stored) => stored,
        Err(e) => return e.into_response(),
    };
    let rows = stored.iter().filter_map(|s| {
        let payload = payload_of(s)?;
        let i = &payload.inspection;
        let tally = tally(&state.library, i);
        Some([
            i.id.to_string(),
            s.received_at.to_string(),
            i.completed_at.map(|c| c.to_string()).unwrap_or_default(),
            i.template.id.clone(),
            i.template.version.clone(),
            i.site.name.clone(),
            i.site.address.clone(),
            i.site.category.clone(),
            i.site.enterprise.clone(),
            i.site.principal.clone(),
            i.site.principal_phone.clone(),
            i.team.department.clone(),
            i.team.inspectors.clone(),
            tally.compliant.to_string(),
            tally.hazards.to_string(),
            tally.not_applicable.to_string(),
            major_count(&payload).map(|n| n.to_string()).unwrap_or_default(),
            s.follow_up_of.map(|o| o.to_string()).unwrap_or_default(),
            suspected_count(&payload).map(|n| n.to_string()).unwrap_or_default(),
            i.site.uscc.clone(),
        ])
    });
    csv_download(&CSV_HEADER, rows, None)
}

/// The CSV columns (docs/protocol.md lists them). New columns go at the end.
pub const CSV_HEADER: [&str; 20] = [
    "id",
    "received_at",
    "completed_at",
    "template",
    "version",
    "site",
    "address",
    "category",
    "enterprise",
    "principal",
    "principal_phone",
    "department",
    "inspectors",
    "compliant",
    "hazards",
    "not_applicable",
    "major_hazards",
    "follow_up_of",
    "suspected_major_hazards",
    "uscc",
];
