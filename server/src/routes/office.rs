//! What the office reads: an HTML list and detail page, and a CSV export. Labels are in
//! both languages; every piece of uploaded text goes through [`escape`].

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use safewalk_core::catalogue::library::Library;
use safewalk_core::delivery::payload::{GradeReport, InspectionPayload};
use safewalk_core::exchange::export::spreadsheet_safe;
use safewalk_core::grading::completion::Tally;
use safewalk_core::grading::{Grade, RuleSet};
use safewalk_core::inspection::attachment::{SignerRole, ACCURACY_WARNING_M};
use safewalk_core::inspection::determination::{Conclusion, Person, Standing};
use safewalk_core::inspection::follow_up::{FollowUp, Verdict};
use safewalk_core::inspection::hazard::{GradeChoice, Hazard, RectificationField};
use safewalk_core::inspection::words;
use safewalk_core::{Answer, Inspection, Lang, LocalText, SiteField, Template};
use uuid::Uuid;

use super::attachments::{listed, position, Listed};
use super::error;
use super::inspections::{visible, Page};
use super::sign_in::Csrf;
use crate::html::{date_time, escape, page};
use crate::people::{Action, Principal};
use crate::store::{AttachmentInfo, StoredInspection};
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

/// One of the words the app shows too ([`words`]), as the office reads it: English, then
/// Chinese. The words are the app's own constants, with nothing to escape.
fn word(word: impl Fn(Lang) -> &'static str) -> String {
    format!("{} {}", word(Lang::En), word(Lang::Zh))
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

/// Both languages: Chinese, then English small.
fn both(text: &LocalText) -> String {
    format!("{}<br><small>{}</small>", escape(text.get(Lang::Zh)), escape(text.get(Lang::En)))
}

/// An item as the office reads it: its text from the template when known, and its id.
fn item_label(template: Option<&Template>, item_id: &str) -> String {
    match template.and_then(|t| t.item(item_id)) {
        Some(item) => format!("{} <small>({})</small>", both(&item.text), escape(item_id)),
        None => escape(item_id),
    }
}

/// `site name · date` of a stored inspection, for links.
fn title_of(payload: &InspectionPayload) -> String {
    let i = &payload.inspection;
    format!("{} · {}", escape(&i.site.name), date_time(i.completed_at.unwrap_or(i.created_at)))
}

/// The top line of an office page for `principal`.
pub fn nav_for(principal: &Principal, csrf: Option<&Extension<Csrf>>) -> String {
    let admin = principal.may(Action::ManagePeople);
    crate::html::nav(&super::principal_label(principal), admin, csrf.map(|Extension(Csrf(c))| c.as_str()))
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(paging): Query<Page>,
) -> Response {
    let (offset, limit) = match paging.window() {
        Ok(window) => window,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let stored = match state.store.list(&principal.visibility(), offset, limit).await {
        Ok(stored) => stored,
        Err(e) => return e.into_response(),
    };
    let names = match submitter_names(&state).await {
        Ok(names) => names,
        Err(e) => return e.into_response(),
    };
    let mut rows = String::new();
    for s in &stored {
        let Some(payload) = payload_of(s) else { continue };
        let i = &payload.inspection;
        let follow_up_of = match s.follow_up_of {
            Some(of) => format!("<a href=\"/office/{of}\">{of}</a>"),
            None => String::new(),
        };
        // Received of listed: fewer than listed is still arriving (or lost).
        let listed = i.attachments.len() as u64;
        let attachments = match (s.attachments_received, listed) {
            (0, 0) => String::new(),
            (received, listed) if received < listed => format!("<span class=\"hazard\">{received}/{listed}</span>"),
            (received, listed) => format!("{received}/{listed}"),
        };
        rows.push_str(&format!(
            "<tr><td><a href=\"/office/{id}\">{site}</a></td><td>{enterprise}</td><td>{template}</td><td>{inspectors}</td>\
             <td>{completed}</td><td class=\"hazard\">{hazards}</td><td class=\"hazard\">{major}</td><td class=\"hazard\">{suspected}</td>\
             <td>{follow_up_of}</td>\
             <td>{attachments}</td><td class=\"submitter\">{submitter}</td></tr>",
            id = i.id,
            site = escape(&i.site.name),
            enterprise = escape(&i.site.enterprise),
            template = escape(&i.template.id),
            inspectors = escape(&i.team.inspectors),
            completed = i.completed_at.map(date_time).unwrap_or_default(),
            hazards = tally(&state.library, i).hazards,
            major = major_count(&payload).map(|n| n.to_string()).unwrap_or_default(),
            suspected = suspected_count(&payload).map(|n| n.to_string()).unwrap_or_default(),
            submitter = escape(&submitter_text(&names, s.submitted_by.as_deref())),
        ));
    }
    Html(page(
        "Safewalk — inspections received",
        &format!(
            "{nav}<h1>Inspections received · 已接收的检查</h1><p><a href=\"/api/inspections.csv\">CSV</a></p>\
             <table><tr><th>Site 场所</th><th>Enterprise 单位</th><th>Checklist 检查表</th><th>Inspectors 检查人员</th>\
             <th>Completed 完成</th><th>{hazards}</th><th>{major}</th><th>{suspected}<br><small>of the majors 其中</small></th>\
             <th>Follow-up of 复查自</th>\
             <th>Attachments 附件<br><small>received/listed 已收到/应有</small></th><th>Delivered by 提交人</th></tr>{rows}</table>",
            hazards = word(words::hazards_found),
            major = grade_text(Grade::Major),
            suspected = word(words::suspected_major),
            nav = nav_for(&principal, csrf.as_ref()),
        ),
    ))
    .into_response()
}

pub async fn detail(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return error(StatusCode::BAD_REQUEST, "id: not a UUID") };
    let stored = match visible(&state, &principal, id).await {
        Ok(Some(stored)) => stored,
        Ok(None) => return error(StatusCode::NOT_FOUND, format!("no inspection {id}")),
        Err(e) => return e.into_response(),
    };
    let Some(payload) = payload_of(&stored) else { return error(StatusCode::INTERNAL_SERVER_ERROR, "stored payload unreadable") };
    // The links both ways: the original this follows up (it may not have arrived yet), and
    // the follow-ups of this one.
    let original = match &payload.inspection.follow_up {
        Some(follow_up) => match state.store.get(follow_up.of).await {
            Ok(original) => original.as_ref().and_then(payload_of),
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let follow_ups: Vec<InspectionPayload> = match state.store.follow_ups(id).await {
        Ok(stored) => stored.iter().filter_map(payload_of).collect(),
        Err(e) => return e.into_response(),
    };
    let received = match state.store.attachments(id).await {
        Ok(received) => received,
        Err(e) => return e.into_response(),
    };
    let library = &state.library;
    let i = &payload.inspection;
    let template = template_of(library, i);
    let rule_set = template.and_then(|t| t.rule_set.as_deref()).and_then(|r| library.rule_set(r));

    let mut body = nav_for(&principal, csrf.as_ref());
    body.push_str(&format!(
        "<p><a href=\"/office\">← all</a></p><h1>{site}</h1><p>{template} {version} · {id} · completed 完成 {completed} · received 接收 {received}</p>",
        site = escape(&i.site.name),
        template = escape(&i.template.id),
        version = escape(&i.template.version),
        id = i.id,
        completed = i.completed_at.map(date_time).unwrap_or_default(),
        received = date_time(stored.received_at),
    ));
    let names = match submitter_names(&state).await {
        Ok(names) => names,
        Err(e) => return e.into_response(),
    };
    body.push_str(&format!(
        "<p class=\"submitter\">Delivered by 提交人: <b>{}</b></p>",
        escape(&submitter_text(&names, stored.submitted_by.as_deref()))
    ));
    if let Some(follow_up) = &i.follow_up {
        body.push_str(&follow_up_of(follow_up, original.as_ref()));
    }
    if !follow_ups.is_empty() {
        body.push_str(&followed_up_by(i.id, template, &follow_ups));
    }
    let mut fields: String = SiteField::ALL
        .iter()
        .map(|f| format!("<tr><th>{}</th><td>{}</td></tr>", word(|lang| words::site_field(*f, lang)), escape(i.field(*f))))
        .collect();
    // Where the inspector stood at the start (`inspection.position`), if the record says.
    let start =
        serde_json::from_str::<serde_json::Value>(&stored.payload).ok().and_then(|p| p.pointer("/inspection/position").and_then(position));
    if let Some(at) = start {
        fields.push_str(&format!("<tr><th>Position at start 开始位置</th><td>{}</td></tr>", position_text(at)));
    }
    body.push_str(&format!("<table>{fields}</table>"));
    body.push_str(&hazards(i, &payload.grades, template));
    body.push_str(&determination(i, &payload.grades, template));
    body.push_str(&attachments(id, &listed(&stored.payload), &received, template));
    if !i.exclusions.is_empty() {
        body.push_str(&exclusions(&i.exclusions, rule_set));
    }
    if let Some(follow_up) = &i.follow_up {
        let original_template = original.as_ref().and_then(|o| template_of(library, &o.inspection));
        body.push_str(&checks(follow_up, [original_template, template]));
    }
    body.push_str(&items(i, template));
    Html(page(&format!("Safewalk — {}", escape(&i.site.name)), &body)).into_response()
}

/// Every person's name by id, for "delivered by".
async fn submitter_names(state: &AppState) -> Result<std::collections::HashMap<String, String>, crate::store::StoreError> {
    Ok(state.store.people().await?.into_iter().map(|p| (p.id, p.name)).collect())
}

/// Who delivered a record: the person of the token it came with, or "—" (before people, or
/// a legacy shared token).
fn submitter_text(names: &std::collections::HashMap<String, String>, submitted_by: Option<&str>) -> String {
    match submitted_by {
        Some(id) => names.get(id).cloned().unwrap_or_else(|| id.to_string()),
        None => "—".to_string(),
    }
}

/// On a follow-up: which inspection it follows up.
fn follow_up_of(follow_up: &FollowUp, original: Option<&InspectionPayload>) -> String {
    let of = follow_up.of;
    match original {
        Some(original) => {
            format!("<p class=\"follow-up-of\">Follow-up of 复查自 <a href=\"/office/{of}\">{}</a> ({of})</p>", title_of(original))
        }
        None => format!("<p class=\"follow-up-of\">Follow-up of 复查自 <a href=\"/office/{of}\">{of}</a> (not received yet 尚未收到)</p>"),
    }
}

/// On an original: each follow-up, when, and its verdict on each of this inspection's hazards.
fn followed_up_by(id: Uuid, template: Option<&Template>, follow_ups: &[InspectionPayload]) -> String {
    let mut html = String::from("<h2>Follow-ups 复查</h2><ul class=\"followed-up-by\">");
    for payload in follow_ups {
        let f = &payload.inspection;
        let checks = f.follow_up.as_ref().map(|fu| fu.checks.as_slice()).unwrap_or_default();
        let verdicts: String = checks
            .iter()
            .filter(|c| c.inspection == id)
            .map(|c| {
                let note = if c.note.is_empty() { String::new() } else { format!(" — {}", escape(&c.note)) };
                format!("<li>{}: <b>{}</b>{note}</li>", item_label(template, &c.item), verdict_text(c.verdict))
            })
            .collect();
        let elsewhere = checks.iter().filter(|c| c.inspection != id).count();
        let elsewhere =
            if elsewhere > 0 { format!("<li>+{elsewhere} hazards of other inspections 其他检查的隐患</li>") } else { String::new() };
        html.push_str(&format!(
            "<li>Followed up by 复查 <a href=\"/office/{fid}\">{fid}</a> on {date}:<ul>{verdicts}{elsewhere}</ul></li>",
            fid = f.id,
            date = date_time(f.completed_at.unwrap_or(f.created_at)),
        ));
    }
    html.push_str("</ul>");
    html
}

/// Every item answered "hazard", in checklist order: what was found, its settled grade and
/// why, and who rectifies it how and by when.
fn hazards(i: &Inspection, grades: &BTreeMap<String, GradeReport>, template: Option<&Template>) -> String {
    let found: Vec<&str> = match template {
        Some(t) => t.items().map(|item| item.id.as_str()).filter(|id| i.answer(id) == Some(Answer::Hazard)).collect(),
        None => i.answers.iter().filter(|(_, a)| a.answer == Some(Answer::Hazard)).map(|(id, _)| id.as_str()).collect(),
    };
    if found.is_empty() {
        return String::new();
    }
    let mut html = format!("<h2>{} ({})</h2>", word(words::hazards_found), found.len());
    let none = Hazard::default();
    for item_id in found {
        let hazard = i.hazards.get(item_id).unwrap_or(&none);
        let mut rows =
            vec![("Item 检查项".to_string(), item_label(template, item_id)), ("Description 隐患描述".to_string(), escape(i.note(item_id)))];
        let grade = match grades.get(item_id) {
            Some(report) => {
                let class = if report.grade == Grade::Major { " class=\"major\"" } else { "" };
                let rules = if report.rule_grade != report.grade {
                    format!(" (by the rules 规则判定: {})", grade_text(report.rule_grade))
                } else {
                    String::new()
                };
                let class = if report.standing == Standing::Suspected { " class=\"major suspected\"" } else { class };
                format!("<span{class}>{}</span>{rules}<br>{}", graded_text(report.grade, report.standing), both(&report.because))
            }
            None => "not graded 未分级".to_string(),
        };
        rows.push((word(words::grade_label), grade));
        if let Some(major) = template.and_then(|t| t.item(item_id)).and_then(|item| item.major.as_deref()) {
            rows.push(("Direct major criterion 直接判定依据".to_string(), escape(major)));
        }
        let choice = "Inspector's choice 检查人员判定".to_string();
        match &hazard.grading {
            GradeChoice::Rule => {}
            GradeChoice::Raised => rows.push((choice, word(words::grade_raised))),
            GradeChoice::Lowered { reason } => {
                rows.push((choice, format!("{} — {}: {}", word(words::grade_lowered), word(words::lower_reason), escape(reason))))
            }
        }
        let r = &hazard.rectification;
        if r.on_the_spot {
            rows.push((word(words::rectified_on_the_spot), format!("yes 是 — {}", escape(&r.on_the_spot_note))));
        } else {
            let major = grades.get(item_id).is_some_and(|g| g.grade == Grade::Major);
            for field in RectificationField::PLANNED {
                let value = r.field(field);
                let major_only = matches!(field, RectificationField::ContingencyPlan | RectificationField::Supervisor);
                if value.is_empty() && major_only && !major {
                    continue;
                }
                rows.push((field_label(field), if value.is_empty() { "—".to_string() } else { escape(value) }));
            }
        }
        let rows: String = rows.into_iter().map(|(label, value)| format!("<tr><th>{label}</th><td>{value}</td></tr>")).collect();
        html.push_str(&format!("<h3 class=\"hazard\">{}</h3><table class=\"hazard-detail\">{rows}</table>", escape(item_id)));
    }
    html
}

/// The collective determination as recorded: date, participants, the expert panel and its
/// vote, the conclusion on each hazard, the reason; or, when majors are suspected and none is
/// recorded, that they await it.
fn determination(i: &Inspection, grades: &BTreeMap<String, GradeReport>, template: Option<&Template>) -> String {
    let heading = format!("<h2 id=\"determination\">{}</h2>", word(words::collective_determination));
    let suspected: Vec<&String> = grades.iter().filter(|(_, g)| g.standing == Standing::Suspected).map(|(item, _)| item).collect();
    let Some(d) = &i.determination else {
        if suspected.is_empty() {
            return String::new();
        }
        let list: String = suspected.iter().map(|item| format!("<li>{}</li>", item_label(template, item))).collect();
        return format!(
            "{heading}<p class=\"hazard suspected\">{} — {}</p><ul>{list}</ul>",
            word(words::suspected_major),
            word(words::awaiting_determination)
        );
    };
    let people = |list: &[Person]| -> String {
        list.iter().map(|p| format!("<li>{} <small>{}</small></li>", escape(&p.name), escape(&p.role))).collect()
    };
    let mut rows = vec![
        (word(words::determination_date), escape(&d.date)),
        (format!("{} ({})", word(words::participants), d.participants.len()), format!("<ul>{}</ul>", people(&d.participants))),
    ];
    if let Some(panel) = &d.panel {
        rows.push((format!("{} ({})", word(words::expert_panel), panel.members.len()), format!("<ul>{}</ul>", people(&panel.members))));
        rows.push((word(words::votes_in_favour), format!("{} / {}", panel.votes_in_favour, panel.members.len())));
    }
    let conclusions: String = d
        .conclusions
        .iter()
        .map(|(item, conclusion)| {
            let class = if *conclusion == Conclusion::Major { " class=\"major\"" } else { "" };
            format!("<li>{}: <b{class}>{}</b></li>", item_label(template, item), word(|lang| words::conclusion(*conclusion, lang)))
        })
        .collect();
    rows.push(("Conclusions 认定结论".to_string(), format!("<ul>{conclusions}</ul>")));
    rows.push((word(words::determination_reason), escape(&d.reason)));
    // What the phone graded with it: settled, or (a record that does not meet the procedure)
    // the hazards still suspected.
    if !suspected.is_empty() {
        rows.push((
            "Standing 状态".to_string(),
            format!("<span class=\"hazard suspected\">{} — {}</span>", word(words::suspected_major), word(words::awaiting_determination)),
        ));
    }
    let rows: String = rows.into_iter().map(|(label, value)| format!("<tr><th>{label}</th><td>{value}</td></tr>")).collect();
    format!("{heading}<table class=\"determination\">{rows}</table>")
}

/// The photos and signatures the record lists, each shown when received and marked
/// "missing" when not; then whatever arrived under this inspection's id that the record does
/// not list.
fn attachments(inspection: Uuid, listed: &[Listed], received: &[AttachmentInfo], template: Option<&Template>) -> String {
    let held = |l: &Listed| l.uuid.and_then(|id| received.iter().find(|r| r.id == id));
    let mut html = String::new();
    for (kind, heading) in [("photo", word(words::photos)), ("signature", word(words::signatures))] {
        let of_kind: Vec<&Listed> = listed.iter().filter(|l| l.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let figures: String = of_kind.iter().map(|l| figure(inspection, l, held(l), template)).collect();
        let missing = of_kind.iter().filter(|l| held(l).is_none()).count();
        let missing = if missing > 0 { format!(" <span class=\"hazard\">{missing} missing 未收到</span>") } else { String::new() };
        html.push_str(&format!("<h2>{heading} ({}){missing}</h2><div class=\"attachments {kind}s\">{figures}</div>", of_kind.len()));
    }
    // Listed under another kind, or not listed at all (the record may list them under a
    // newer format, or they were sent for a record that never listed them).
    let others: String = listed
        .iter()
        .filter(|l| l.kind != "photo" && l.kind != "signature")
        .map(|l| figure(inspection, l, held(l), template))
        .chain(received.iter().filter(|r| !listed.iter().any(|l| l.uuid == Some(r.id))).map(|r| {
            let unlisted = Listed { id: r.id.to_string(), uuid: Some(r.id), ..Listed::default() };
            figure(inspection, &unlisted, Some(r), template)
        }))
        .collect();
    if !others.is_empty() {
        html.push_str(&format!(
            "<h2>Other attachments 其他附件</h2><p><small>Received or listed without a known kind 记录未列出或类型未知</small></p>\
             <div class=\"attachments others\">{others}</div>"
        ));
    }
    html
}

/// One attachment: the image when received (linked to the full size), "missing" when not,
/// and what the record says about it.
fn figure(inspection: Uuid, l: &Listed, held: Option<&AttachmentInfo>, template: Option<&Template>) -> String {
    let kind = match l.kind.as_str() {
        "photo" => "Photo 照片".to_string(),
        "signature" => "Signature 签名".to_string(),
        "" => "Attachment 附件".to_string(),
        other => format!("Attachment 附件 ({})", escape(other)),
    };
    // The alt text names what the image shows: the kind, and its item or its signer.
    let mut alt = kind.clone();
    let mut caption = vec![format!("<b>{kind}</b>")];
    if let Some(item) = &l.item {
        let text = template.and_then(|t| t.item(item)).map(|i| format!(": {}", i.text.get(Lang::En))).unwrap_or_default();
        alt.push_str(&format!(" — item {}{}", escape(item), escape(&text)));
        caption.push(format!("Item 检查项: {}", item_label(template, item)));
    }
    if let Some(name) = &l.name {
        alt.push_str(&format!(" — {}", escape(name)));
        caption.push(format!("Signed by 签名人: {}", escape(name)));
    }
    if let Some(role) = &l.role {
        let role = match role.as_str() {
            "inspector" => word(|lang| words::signer_role(SignerRole::Inspector, lang)),
            "site_representative" => word(|lang| words::signer_role(SignerRole::SiteRepresentative, lang)),
            other => escape(other),
        };
        caption.push(format!("Role 身份: {role}"));
    }
    if let Some(taken_at) = l.taken_at {
        caption.push(format!("Taken 拍摄 {}", date_time(taken_at)));
    }
    if let Some(at) = l.position {
        caption.push(position_text(at));
    }
    let image = match (l.uuid, held) {
        (Some(id), Some(info)) => {
            let src = format!("/inspections/{inspection}/attachments/{id}");
            caption.push(format!("Received 接收 {} · {} KB", date_time(info.received_at), info.size.div_ceil(1024)));
            if l.sha256.as_ref().is_some_and(|listed| *listed != info.sha256) {
                caption.push("<span class=\"hazard\">differs from the record 与记录不符 (SHA-256)</span>".to_string());
            }
            format!("<a href=\"{src}\"><img src=\"{src}\" alt=\"{alt}\" loading=\"lazy\"></a>")
        }
        (Some(_), None) => "<div class=\"missing\">missing 未收到</div>".to_string(),
        (None, _) => format!("<div class=\"missing\">missing 未收到 — invalid id 无效编号 {}</div>", escape(&l.id)),
    };
    format!(
        "<figure class=\"attachment\" id=\"attachment-{id}\">{image}<figcaption>{caption}</figcaption></figure>",
        id = escape(&l.id),
        caption = caption.join("<br>"),
    )
}

/// A position with its accuracy; worse than [`ACCURACY_WARNING_M`] (or unknown) is flagged,
/// as the app warns the inspector.
fn position_text((lat, lon, accuracy): (f64, f64, Option<f64>)) -> String {
    let accurate = accuracy.is_some_and(|a| a <= ACCURACY_WARNING_M);
    let class = if accurate { "" } else { " class=\"hazard\"" };
    let accuracy = accuracy.map(|a| format!(" ±{a:.0} m")).unwrap_or_default();
    format!("<span{class}>Position 位置 {lat:.6}, {lon:.6}{accuracy}</span>")
}

/// The rule set's exclusions the inspector found to apply, by name when the rule set is known.
fn exclusions(ids: &[String], rule_set: Option<&RuleSet>) -> String {
    let list: String = ids
        .iter()
        .map(|id| match rule_set.and_then(|r| r.exclusion(id)) {
            Some(named) => format!("<li>{} <small>({})</small></li>", both(&named.name), escape(id)),
            None => format!("<li>{}</li>", escape(id)),
        })
        .collect();
    format!("<h2>Exclusions 排除情形</h2><ul>{list}</ul>")
}

/// On a follow-up: each carried hazard and the verdict on it. Item texts come from the
/// original's checklist, or the follow-up's own when the original has not arrived.
fn checks(follow_up: &FollowUp, templates: [Option<&Template>; 2]) -> String {
    let rows: String = follow_up
        .checks
        .iter()
        .map(|c| {
            let note = if c.note.is_empty() { String::new() } else { escape(&c.note) };
            let verdict_class = if c.verdict == Some(Verdict::Rectified) { "" } else { " class=\"hazard\"" };
            format!(
                "<tr><td><a href=\"/office/{found}\">{found}</a></td><td>{item}</td><td>{description}</td><td>{grade}</td>\
                 <td>{deadline}</td><td{verdict_class}>{verdict}</td><td>{note}</td></tr>",
                found = c.inspection,
                item = item_label(templates.into_iter().flatten().find(|t| t.item(&c.item).is_some()), &c.item),
                description = escape(&c.description),
                grade = grade_text(c.grade),
                deadline = escape(&c.deadline),
                verdict = verdict_text(c.verdict),
            )
        })
        .collect();
    format!(
        "<h2>Hazards verified 复查隐患</h2><table class=\"checks\"><tr><th>Found in 发现于</th><th>Item 检查项</th>\
         <th>Description 隐患描述</th><th>{grade}</th><th>{deadline}</th><th>{verdict}</th><th>{note}</th></tr>{rows}</table>",
        grade = word(words::grade_label),
        deadline = field_label(RectificationField::Deadline),
        verdict = word(words::verdict_label),
        note = word(words::note_label),
    )
}

/// Every item with its answer and note.
fn items(i: &Inspection, template: Option<&Template>) -> String {
    let rows: String = match template {
        Some(t) => t
            .items()
            .map(|item| {
                let answer = i.answer(&item.id);
                format!(
                    "<tr><td>{}</td><td>{}</td><td{}>{}</td><td>{}</td></tr>",
                    escape(&item.id),
                    both(&item.text),
                    if answer == Some(Answer::Hazard) { " class=\"hazard\"" } else { "" },
                    answer_text(answer),
                    escape(i.note(&item.id)),
                )
            })
            .collect(),
        None => i
            .answers
            .iter()
            .map(|(item, a)| {
                format!("<tr><td>{}</td><td></td><td>{}</td><td>{}</td></tr>", escape(item), answer_text(a.answer), escape(&a.note))
            })
            .collect(),
    };
    format!(
        "<h2>Items 检查项</h2><table><tr><th>id</th><th>Item 检查项</th><th>{answer}</th><th>{note}</th></tr>{rows}</table>",
        answer = word(words::answer_label),
        note = word(words::note_label),
    )
}

/// One row per inspection: who, where, when, the counts, and the original of a follow-up.
pub async fn csv(State(state): State<Arc<AppState>>, Extension(principal): Extension<Principal>) -> Response {
    let stored = match state.store.list(&principal.visibility(), 0, u64::MAX >> 1).await {
        Ok(stored) => stored,
        Err(e) => return e.into_response(),
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut result = writer.write_record(CSV_HEADER);
    for s in &stored {
        let Some(payload) = payload_of(s) else { continue };
        let i = &payload.inspection;
        let tally = tally(&state.library, i);
        let row = [
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
        ];
        // Office staff open this in Excel or WPS: no cell may start a formula or hide text.
        result = result.and_then(|_| writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned())));
    }
    match result.map_err(|e| e.to_string()).and_then(|_| writer.into_inner().map_err(|e| e.to_string())) {
        Ok(bytes) => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

/// The CSV columns (docs/protocol.md lists them). New columns go at the end.
pub const CSV_HEADER: [&str; 19] = [
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
];
