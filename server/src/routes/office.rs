//! What the office reads: an HTML list and detail page, and a CSV export.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use safewalk_core::completion::Tally;
use safewalk_core::payload::InspectionPayload;
use safewalk_core::{library, Answer, Inspection, Lang, SiteField, Template};
use uuid::Uuid;

use super::error;
use super::inspections::{Page, DEFAULT_PAGE, MAX_PAGE};
use crate::html::{escape, page};
use crate::store::StoredInspection;
use crate::AppState;

fn inspection_of(stored: &StoredInspection) -> Option<Inspection> {
    serde_json::from_str::<InspectionPayload>(&stored.payload).ok().map(|p| p.inspection)
}

fn template_of<'a>(templates: &'a [Template], inspection: &Inspection) -> Option<&'a Template> {
    library::find(templates, &inspection.template.id, &inspection.template.version)
}

fn answer_text(answer: Option<Answer>) -> &'static str {
    match answer {
        Some(Answer::Compliant) => "compliant 符合",
        Some(Answer::Hazard) => "HAZARD 隐患",
        Some(Answer::NotApplicable) => "n/a 不适用",
        None => "-",
    }
}

pub async fn list(State(state): State<Arc<AppState>>, Query(paging): Query<Page>) -> Response {
    let limit = paging.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let stored = match state.store.list(paging.offset, limit).await {
        Ok(stored) => stored,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let templates = &state.templates;
    let mut rows = String::new();
    for s in &stored {
        let Some(i) = inspection_of(s) else { continue };
        let tally = template_of(templates, &i).map(|t| Tally::of(&i, t)).unwrap_or_default();
        rows.push_str(&format!(
            "<tr><td><a href=\"/office/{id}\">{site}</a></td><td>{enterprise}</td><td>{template}</td><td>{inspectors}</td><td class=\"hazard\">{hazards}</td></tr>",
            id = i.id,
            site = escape(&i.site.name),
            enterprise = escape(&i.site.enterprise),
            template = escape(&i.template.id),
            inspectors = escape(&i.team.inspectors),
            hazards = tally.hazards,
        ));
    }
    Html(page(
        "Safewalk — inspections received",
        &format!(
            "<h1>Inspections received · 已接收的检查</h1><p><a href=\"/api/inspections.csv\">CSV</a></p>\
             <table><tr><th>Site 场所</th><th>Enterprise 单位</th><th>Checklist 检查表</th><th>Inspectors 检查人员</th><th>Hazards 隐患</th></tr>{rows}</table>"
        ),
    ))
    .into_response()
}

pub async fn detail(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return error(StatusCode::BAD_REQUEST, "id: not a UUID") };
    let stored = match state.store.get(id).await {
        Ok(Some(stored)) => stored,
        Ok(None) => return error(StatusCode::NOT_FOUND, format!("no inspection {id}")),
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let Some(i) = inspection_of(&stored) else { return error(StatusCode::INTERNAL_SERVER_ERROR, "stored payload unreadable") };
    let templates = &state.templates;
    let template = template_of(templates, &i);
    let fields: String = SiteField::ALL
        .iter()
        .map(|f| format!("<tr><th>{f:?}</th><td>{}</td></tr>", escape(i.field(*f))))
        .collect();
    let items: String = match template {
        Some(t) => t
            .items()
            .map(|item| {
                let answer = i.answer(&item.id);
                format!(
                    "<tr><td>{}</td><td>{}<br><small>{}</small></td><td{}>{}</td><td>{}</td></tr>",
                    escape(&item.id),
                    escape(item.text.get(Lang::Zh)),
                    escape(item.text.get(Lang::En)),
                    if answer == Some(Answer::Hazard) { " class=\"hazard\"" } else { "" },
                    answer_text(answer),
                    escape(i.note(&item.id)),
                )
            })
            .collect(),
        None => i
            .answers
            .iter()
            .map(|(item, a)| format!("<tr><td>{}</td><td></td><td>{}</td><td>{}</td></tr>", escape(item), answer_text(a.answer), escape(&a.note)))
            .collect(),
    };
    Html(page(
        &format!("Safewalk — {}", escape(&i.site.name)),
        &format!(
            "<p><a href=\"/office\">← all</a></p><h1>{site}</h1><p>{template} {version} · {id}</p>\
             <table>{fields}</table><h2>Items 检查项</h2><table><tr><th>id</th><th>Item 检查项</th><th>Answer 结果</th><th>Note 备注</th></tr>{items}</table>",
            site = escape(&i.site.name),
            template = escape(&i.template.id),
            version = escape(&i.template.version),
            id = i.id,
        ),
    ))
    .into_response()
}

/// One row per inspection: who, where, when, and the counts.
pub async fn csv(State(state): State<Arc<AppState>>) -> Response {
    let stored = match state.store.list(0, u64::MAX >> 1).await {
        Ok(stored) => stored,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let templates = &state.templates;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = ["id", "received_at", "completed_at", "template", "version", "site", "address", "category", "enterprise",
        "principal", "principal_phone", "department", "inspectors", "compliant", "hazards", "not_applicable"];
    let mut result = writer.write_record(header);
    for s in &stored {
        let Some(i) = inspection_of(s) else { continue };
        let tally = template_of(templates, &i).map(|t| Tally::of(&i, t)).unwrap_or_default();
        let row = [
            i.id.to_string(), s.received_at.to_string(), i.completed_at.map(|c| c.to_string()).unwrap_or_default(),
            i.template.id.clone(), i.template.version.clone(), i.site.name.clone(), i.site.address.clone(),
            i.site.category.clone(), i.site.enterprise.clone(), i.site.principal.clone(), i.site.principal_phone.clone(),
            i.team.department.clone(), i.team.inspectors.clone(), tally.compliant.to_string(), tally.hazards.to_string(),
            tally.not_applicable.to_string(),
        ];
        result = result.and_then(|_| writer.write_record(&row));
    }
    match result.map_err(|e| e.to_string()).and_then(|_| writer.into_inner().map_err(|e| e.to_string())) {
        Ok(bytes) => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}
