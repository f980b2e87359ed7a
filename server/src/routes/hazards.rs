//! The office's hazard register across everyone (issue 14): the list (paged, searched,
//! filtered by district, sector, site, inspector, grade and state, the oldest overdue majors
//! first), its CSV, one hazard's page, and the office's two acts on a hazard: listed
//! supervision (挂牌督办) of a major one and acceptance (验收) of a rectification. Rows come
//! from the derived `hazards` table ([`crate::hazards`]); a supervisor sees the hazards of the
//! inspections in their scope, an admin all.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use safewalk_core::inspection::determination::Standing;
use safewalk_core::inspection::hazard::Grade;
use safewalk_core::inspection::words;
use safewalk_core::Lang;
use serde::Deserialize;
use uuid::Uuid;

use super::admin::forged;
use super::csv_download::csv_download;
use super::frame::{office_page, pager};
use super::language::{current, say};
use super::peer::Peer;
use super::sign_in::{entry, Csrf};
use super::sites::sector_name;
use super::{error, now_millis};
use crate::hazards::{supervision_in_force, supervision_refused, OfficeState};
use crate::html::{date_time, wide, Visible};
use crate::people::Principal;
use crate::store::hazards::{HazardFilter, HazardView, Supervision};
use crate::store::StoreError;
use crate::AppState;

/// Hazards a page.
pub const HAZARDS_PAGE: u64 = 50;

/// Today's date on the receiver's clock (UTC), what decides what is overdue.
pub fn today() -> String {
    safewalk_core::exchange::export::format_time(now_millis(), 0).chars().take(10).collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    district: String,
    sector: String,
    site: String,
    inspector: String,
    grade: String,
    state: String,
    offset: u64,
}

impl ListQuery {
    /// The query's filters within the principal's scope.
    pub(super) fn filter(&self, principal: &Principal) -> HazardFilter {
        let v = principal.visibility();
        HazardFilter {
            submitter: v.submitter,
            scope_department: v.department,
            scope_district: v.district,
            district: self.district.trim().to_string(),
            sector: self.sector.trim().to_string(),
            site: self.site.trim().to_string(),
            inspector: self.inspector.trim().to_string(),
            grade: self.grade.trim().to_string(),
            state: self.state.trim().to_string(),
            text: self.q.trim().to_string(),
            ..HazardFilter::default()
        }
    }

    /// The filters as a query string (without the offset), for the page links and the CSV.
    fn query_string(&self) -> String {
        let pairs = [
            ("q", self.q.as_str()),
            ("district", &self.district),
            ("sector", &self.sector),
            ("site", &self.site),
            ("inspector", &self.inspector),
            ("grade", &self.grade),
            ("state", &self.state),
        ];
        serde_urlencoded::to_string(pairs.iter().filter(|(_, v)| !v.is_empty()).collect::<Vec<_>>()).unwrap_or_default()
    }
}

fn scope_of(principal: &Principal) -> HazardFilter {
    ListQuery::default().filter(principal)
}

fn grade_cell(h: &HazardView) -> Markup {
    let grade = h.row.grade;
    html! {
        span class=(if grade == Grade::Major { "major" } else { "hazard" }) { (words::grade(grade, current().lang)) }
        @if h.row.standing == Standing::Suspected { br; small { (words::suspected_major(current().lang)) } }
    }
}

fn state_cell(h: &HazardView) -> Markup {
    html! {
        @if h.state == OfficeState::Overdue { strong.hazard { (h.state.label(current().lang)) } }
        @else { (h.state.label(current().lang)) }
        br; small { (closed_how(h)) }
    }
}

/// How a closed hazard was closed, in both languages (empty when it is not).
fn closed_how(h: &HazardView) -> String {
    if let Some(a) = &h.acceptance {
        return format!("{}{} · {}", say("验收：", "Accepted: "), a.by, date_time(a.at));
    }
    match (h.row.found, h.row.closed_by) {
        (crate::hazards::Found::Closed, Some((_, at))) => format!("{} · {}", say("复查销号", "Verified by re-inspection"), date_time(at)),
        (crate::hazards::Found::RectifiedOnTheSpot, _) => say("立查立改", "Rectified on the spot").to_string(),
        _ => String::new(),
    }
}

/// The supervision as the register shows it: in force while the hazard is open, lifted
/// once it closes.
pub fn supervision_cell(h: &HazardView) -> Markup {
    html! {
        @if let Some(s) = &h.supervision {
            @if supervision_in_force(h.state) {
                strong { (say("挂牌督办", "Supervised")) } br;
                (Visible(&s.official)) " · " (s.deadline)
            } @else {
                small { (say("督办已解除 (", "Supervision lifted (")) (Visible(&s.official)) ")" }
            }
        }
    }
}

/// The item's text in the office's language: the register keeps it Chinese, then English on
/// the next line (only the item id when the checklist was unknown).
fn item_line(h: &HazardView) -> &str {
    let mut lines = h.row.item_text.lines();
    let zh = lines.next().unwrap_or(&h.row.item);
    match current().lang {
        Lang::Zh => zh,
        Lang::En => lines.next().unwrap_or(zh),
    }
}

fn item_cell(h: &HazardView) -> Markup {
    html! { (Visible(item_line(h))) " " small { "(" (Visible(&h.row.item)) ")" } }
}

pub(super) fn hazard_link(h: &HazardView) -> String {
    format!("/office/hazards/{}/{}", h.row.inspection, utf8_percent(&h.row.item))
}

/// A path segment with everything but unreserved characters percent-encoded.
fn utf8_percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `GET /office/hazards`.
pub async fn list(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(query): Query<ListQuery>,
) -> Result<Response, StoreError> {
    let filter = query.filter(&principal);
    let offset = query.offset.min(i64::MAX as u64);
    let (hazards, total) = state.store.hazards(&filter, &today(), offset, HAZARDS_PAGE).await?;
    let districts = state.store.site_districts().await?;
    let people: Vec<_> = state.store.people().await?.into_iter().filter(|p| principal.may_see(Some(p))).collect();
    let library = &state.library;
    let filters = query.query_string();
    let page_link = |offset: u64| format!("/office/hazards?{filters}&offset={offset}");
    let option = |value: &str, chosen: &str, label: &str| html! { option value=(value) selected[value == chosen] { (label) } };
    let body = html! {
        h1 { (say("隐患台账", "Hazard register")) }
        form method="get" action="/office/hazards" {
            label { (say("查找 ", "Search ")) input name="q" value=(query.q) placeholder=(say("场所、检查项、描述、检查人员", "site, item, description, inspectors")); }
            " "
            label { (say("辖区 ", "District ")) select name="district" {
                (option("", &query.district, say("全部", "All")))
                @for d in &districts { (option(d, &query.district, d)) }
            } }
            " "
            label { (say("行业 ", "Sector ")) select name="sector" {
                (option("", &query.sector, say("全部", "All")))
                @for t in library.latest() { option value=(t.id) selected[t.id == query.sector] { (t.title.get(current().lang)) } }
            } }
            " "
            label { (say("检查人员 ", "Inspector ")) select name="inspector" {
                (option("", &query.inspector, say("全部", "All")))
                @for p in &people { option value=(p.id) selected[p.id == query.inspector] { (Visible(&p.name)) } }
            } }
            " "
            label { (say("等级 ", "Grade ")) select name="grade" {
                (option("", &query.grade, say("全部", "All")))
                (option("major", &query.grade, say("重大隐患", "Major")))
                (option("general", &query.grade, say("一般隐患", "General")))
            } }
            " "
            label { (say("状态 ", "State ")) select name="state" {
                (option("", &query.state, say("全部", "All")))
                @for s in OfficeState::ALL { (option(s.as_str(), &query.state, s.label(current().lang))) }
            } }
            @if !query.site.is_empty() { input type="hidden" name="site" value=(query.site); }
            " " button type="submit" { (say("查找", "Search")) }
        }
        p { (total) (say(" 条隐患 · ", " hazards · ")) a href={ "/office/hazards.csv?" (filters) } { (say("导出 CSV", "Export CSV")) }
            " · " a href={ "/office/hazards.exchange.json?" (filters) } { (say("双重预防交换格式 JSON", "Exchange JSON")) }
            " · " a href={ "/office/hazards.exchange.csv?" (filters) } { (say("双重预防交换格式 CSV", "Exchange CSV")) } }
        (wide(say("隐患台账", "Hazard register"), html! { table {
            tr {
                th { (say("状态", "State")) } th { (say("等级", "Grade")) } th { (say("场所", "Site")) } th { (say("检查项", "Item")) } th { (say("描述", "Description")) }
                th { (say("整改期限", "Deadline")) } th { (say("督办", "Supervision")) } th { (say("检查人员", "Inspectors")) } th { (say("发现于", "Found")) }
            }
            @for h in &hazards {
                tr {
                    td { a href=(hazard_link(h)) { (state_cell(h)) } }
                    td { (grade_cell(h)) }
                    td {
                        @if h.site_id.is_empty() { (Visible(&h.row.site_name)) }
                        @else { a href={ "/office/sites/" (h.site_id) } { (Visible(&h.row.site_name)) } }
                        @if !h.site_district.is_empty() { br; small { (Visible(&h.site_district)) } }
                    }
                    td { (item_cell(h)) br; small { (sector_name(library, &h.row.template)) } }
                    td { (Visible(&h.row.description)) }
                    td { (Visible(&h.row.deadline)) }
                    td { (supervision_cell(h)) }
                    td { (Visible(&h.row.inspectors)) @if !h.delivered_by.is_empty() { br; small { (Visible(&h.delivered_by)) } } }
                    td { a href={ "/office/" (h.row.inspection) } { (date_time(h.row.found_at)) } }
                }
            }
        } }))
        (pager(offset, HAZARDS_PAGE, total, page_link))
    };
    let csrf = csrf.map(|Extension(c)| c);
    Ok(office_page(&format!("Safewalk — {}", say("隐患台账", "Hazard register")), &principal, csrf.as_ref(), body))
}

/// The CSV columns (docs/protocol.md lists them).
pub const CSV_HEADER: [&str; 20] = [
    "state",
    "grade",
    "standing",
    "site",
    "district",
    "sector",
    "item",
    "item_text",
    "description",
    "deadline",
    "found_at",
    "inspection",
    "inspectors",
    "delivered_by",
    "closed",
    "supervising_official",
    "supervision_deadline",
    "accepted_by",
    "accepted_at",
    "acceptance_note",
];

/// `GET /office/hazards.csv`: every hazard the filters let through, in the register's order.
pub async fn csv(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<ListQuery>,
) -> Result<Response, StoreError> {
    let (hazards, _) = state.store.hazards(&query.filter(&principal), &today(), 0, i64::MAX as u64).await?;
    let rows = hazards.iter().map(|h| {
        let sector = state.library.latest().into_iter().find(|t| t.id == h.row.template).map(|t| t.title.get(Lang::Zh).to_string());
        let supervision = h.supervision.as_ref().filter(|_| supervision_in_force(h.state));
        [
            h.state.as_str().to_string(),
            words::grade(h.row.grade, Lang::Zh).to_string(),
            if h.row.standing == Standing::Suspected { words::suspected_major(Lang::Zh).to_string() } else { String::new() },
            h.row.site_name.clone(),
            h.site_district.clone(),
            sector.unwrap_or_else(|| h.row.template.clone()),
            h.row.item.clone(),
            h.row.item_text.lines().next().unwrap_or("").to_string(),
            h.row.description.clone(),
            h.row.deadline.clone(),
            date_time(h.row.found_at),
            h.row.inspection.to_string(),
            h.row.inspectors.clone(),
            h.delivered_by.clone(),
            closed_how(h),
            supervision.map(|s| s.official.clone()).unwrap_or_default(),
            supervision.map(|s| s.deadline.clone()).unwrap_or_default(),
            h.acceptance.as_ref().map(|a| a.by.clone()).unwrap_or_default(),
            h.acceptance.as_ref().map(|a| date_time(a.at)).unwrap_or_default(),
            h.acceptance.as_ref().map(|a| a.note.clone()).unwrap_or_default(),
        ]
    });
    Ok(csv_download(&CSV_HEADER, rows, None))
}

/// Every hazard the filters let through, in the register's order, as exchange records: what
/// both exchange downloads hold.
async fn exchange_records(
    state: &AppState,
    principal: &Principal,
    query: &ListQuery,
) -> Result<Vec<safewalk_core::exchange::hazard_record::HazardRecord>, StoreError> {
    let (hazards, _) = state.store.hazards(&query.filter(principal), &today(), 0, i64::MAX as u64).await?;
    crate::hazard_exchange::records(&state.store, &state.library, &hazards).await
}

/// `GET /office/hazards.exchange.json`: every hazard the filters let through, in the
/// register's order, in the shape provincial dual-prevention systems exchange
/// (`docs/hazard-exchange.md`).
pub async fn exchange_json(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<ListQuery>,
) -> Result<Response, StoreError> {
    let records = exchange_records(&state, &principal, &query).await?;
    let disposition = "attachment; filename=\"hazards.exchange.json\"";
    Ok(([(header::CONTENT_DISPOSITION, disposition)], axum::Json(records)).into_response())
}

/// `GET /office/hazards.exchange.csv`: the same records as a spreadsheet, one a row.
pub async fn exchange_csv(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<ListQuery>,
) -> Result<Response, StoreError> {
    let records = exchange_records(&state, &principal, &query).await?;
    let rows = records.iter().map(crate::hazard_exchange::csv_row);
    Ok(csv_download(&crate::hazard_exchange::CSV_HEADER, rows, Some("hazards.exchange.csv")))
}

/// The hazard at this path when the principal may see it.
async fn visible_hazard(state: &AppState, principal: &Principal, inspection: &str, item: &str) -> Result<Option<HazardView>, StoreError> {
    state.store.hazard(&scope_of(principal), inspection, item, &today()).await
}

/// Who supervised or accepted, as the register shows it: the person's name.
fn actor_name(principal: &Principal) -> String {
    principal.person().map(|p| p.name.clone()).unwrap_or_else(|| super::principal_label(principal))
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "no such hazard 没有这条隐患")
}

/// `GET /office/hazards/{inspection}/{item}`: the hazard, and the forms that supervise and
/// accept it while it is open.
pub async fn detail(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Path((inspection, item)): Path<(String, String)>,
) -> Result<Response, StoreError> {
    let Some(h) = visible_hazard(&state, &principal, &inspection, &item).await? else { return Ok(not_found()) };
    let csrf = csrf.map(|Extension(c)| c);
    let token = csrf.as_ref().map(|Csrf(c)| c.as_str()).unwrap_or("").to_string();
    let link = hazard_link(&h);
    let received: Vec<Uuid> = state.store.attachments(h.row.inspection).await?.into_iter().map(|a| a.id).collect();
    let closing = match h.row.closed_by {
        Some((by, _)) => super::closing_photos::of_hazard(&state.store, h.row.inspection, &h.row.item, by).await?,
        None => None,
    };
    let body = html! {
        p { a href="/office/hazards" { (say("← 隐患台账", "← Hazard register")) } }
        h1 { (Visible(item_line(&h))) }
        table {
            tr { th { (say("状态", "State")) } td { (state_cell(&h)) } }
            tr { th { (say("等级", "Grade")) } td { (grade_cell(&h)) } }
            tr { th { (say("场所", "Site")) } td {
                @if h.site_id.is_empty() { (Visible(&h.row.site_name)) } @else { a href={ "/office/sites/" (h.site_id) } { (Visible(&h.row.site_name)) } }
            } }
            tr { th { (say("检查项", "Item")) } td { (item_cell(&h)) } }
            tr { th { (say("描述", "Description")) } td { (Visible(&h.row.description)) } }
            tr { th { (say("整改期限", "Deadline")) } td { (Visible(&h.row.deadline)) } }
            tr { th { (say("检查记录", "Inspection")) } td { a href={ "/office/" (h.row.inspection) } { (date_time(h.row.found_at)) } " · " (Visible(&h.row.inspectors)) } }
            tr { th { (say("督办", "Supervision")) } td { (supervision_cell(&h)) @if let Some(s) = &h.supervision { br; small { (Visible(&s.note)) " — " (Visible(&s.by)) ", " (date_time(s.at)) } } } }
            @if let Some(closing) = &closing { tr { th { (say("销号照片", "Closing photos")) } td { (closing) } } }
            @if let Some(a) = &h.acceptance {
                tr { th { (say("验收", "Acceptance")) } td {
                    (Visible(&a.by)) " · " (date_time(a.at)) br; (Visible(&a.note))
                    @if !a.evidence.is_empty() { br; a href={ "/inspections/" (h.row.inspection) "/attachments/" (a.evidence) } { (say("证据", "Evidence")) } }
                } }
            }
        }
        @if h.state != OfficeState::Closed {
            @if h.row.grade == Grade::Major {
                h2 { (say("挂牌督办", "Listed supervision")) }
                form method="post" action={ (link) "/supervise" } {
                    input type="hidden" name="csrf" value=(token);
                    p { label { (say("督办人 ", "Supervising official ")) input name="official" required value=(h.supervision.as_ref().map(|s| s.official.as_str()).unwrap_or("")); } }
                    p { label { (say("督办期限 ", "Deadline (YYYY-MM-DD) ")) input name="deadline" required value=(h.supervision.as_ref().map(|s| s.deadline.as_str()).unwrap_or("")); } }
                    p { label { (say("说明 ", "Note ")) input name="note" value=(h.supervision.as_ref().map(|s| s.note.as_str()).unwrap_or("")); } }
                    p { button type="submit" { (say("挂牌督办", "Supervise")) } }
                }
            }
            h2 { (say("验收销号", "Accept the rectification")) }
            form method="post" action={ (link) "/accept" } {
                input type="hidden" name="csrf" value=(token);
                p { label { (say("验收意见 ", "Note ")) textarea name="note" rows="3" cols="60" required {} } }
                p { label { (say("证据（已收到的附件） ", "Evidence (an attachment received) ")) select name="evidence" {
                    option value="" { (say("无", "None")) }
                    @for id in &received { option value=(id) { (id) } }
                } } }
                p { button type="submit" { (say("验收销号", "Accept and close")) } }
            }
        }
    };
    Ok(office_page(&format!("Safewalk — {}", say("隐患", "Hazard")), &principal, csrf.as_ref(), body))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SuperviseForm {
    csrf: String,
    official: String,
    deadline: String,
    note: String,
}

/// `POST /office/hazards/{inspection}/{item}/supervise`: an open major hazard put under
/// supervision (or its supervision changed), audited.
pub async fn supervise(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Path((inspection, item)): Path<(String, String)>,
    Form(form): Form<SuperviseForm>,
) -> Result<Response, StoreError> {
    let csrf = csrf.map(|Extension(c)| c);
    if let Some(refused) = forged(csrf.as_ref(), &form.csrf) {
        return Ok(refused);
    }
    let Some(h) = visible_hazard(&state, &principal, &inspection, &item).await? else { return Ok(not_found()) };
    if let Some(reason) = supervision_refused(h.row.grade, h.state, &form.official, &form.deadline) {
        return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, reason));
    }
    let supervision = Supervision {
        official: form.official.trim().to_string(),
        deadline: form.deadline.trim().to_string(),
        note: form.note.trim().to_string(),
        by: actor_name(&principal),
        at: now_millis(),
    };
    state.store.supervise_hazard(h.row.inspection, &h.row.item, &supervision, principal.person_id()).await?;
    let detail = format!(
        "hazard {} {} ({:?}): supervised by {:?} until {}{}",
        h.row.inspection,
        h.row.item,
        h.row.site_name,
        supervision.official,
        supervision.deadline,
        if supervision.note.is_empty() { String::new() } else { format!(", note {:?}", supervision.note) }
    );
    state.store.audit(&entry(principal.person(), "hazard-supervised", &h.row.site_name, detail, &peer.0)).await?;
    Ok(Redirect::to(&hazard_link(&h)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    csrf: String,
    note: String,
    evidence: String,
}

/// `POST /office/hazards/{inspection}/{item}/accept`: the office accepts an open hazard's
/// rectification, which closes it in the office register; audited. The evidence, when
/// named, must be an attachment already received under the hazard's inspection.
pub async fn accept(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Path((inspection, item)): Path<(String, String)>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, StoreError> {
    let csrf = csrf.map(|Extension(c)| c);
    if let Some(refused) = forged(csrf.as_ref(), &form.csrf) {
        return Ok(refused);
    }
    let Some(h) = visible_hazard(&state, &principal, &inspection, &item).await? else { return Ok(not_found()) };
    if h.state == OfficeState::Closed {
        return Ok(error(StatusCode::CONFLICT, "the hazard is closed already 隐患已销号"));
    }
    let note = form.note.trim();
    if note.is_empty() {
        return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, "write the acceptance note 请填写验收意见"));
    }
    let evidence = form.evidence.trim();
    if !evidence.is_empty() {
        let received = match Uuid::parse_str(evidence) {
            Ok(id) => state.store.attachment_info(h.row.inspection, id).await?.is_some(),
            Err(_) => false,
        };
        if !received {
            return Ok(error(
                StatusCode::UNPROCESSABLE_ENTITY,
                say("证据须为本检查已收到的附件", "the evidence must be an attachment received for this inspection"),
            ));
        }
    }
    let by = actor_name(&principal);
    state.store.accept_hazard(h.row.inspection, &h.row.item, (principal.person_id(), &by), note, evidence, now_millis()).await?;
    let detail = format!(
        "hazard {} {} ({:?}) accepted: {note:?}{}{}",
        h.row.inspection,
        h.row.item,
        h.row.site_name,
        if evidence.is_empty() { String::new() } else { format!(", evidence {evidence}") },
        if h.supervision.is_some() { ", supervision lifted" } else { "" }
    );
    state.store.audit(&entry(principal.person(), "hazard-accepted", &h.row.site_name, detail, &peer.0)).await?;
    Ok(Redirect::to(&hazard_link(&h)).into_response())
}
