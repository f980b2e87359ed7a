//! The office's register of sites (issue 14): the list (paged, searched by name, code or
//! address, filtered by district and sector), one site's page (its inspections and open
//! hazards, the hazards from core's register over its inspections), and the CSV import.
//! Rendered with maud in the admin pages' frame. A supervisor sees the sites of their scope
//! (department and district, each when set), an admin all; inspectors have no office.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use safewalk_core::catalogue::library::Library;
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::inspection::attachment::{Attachment, AttachmentKind};
use safewalk_core::inspection::words;
use safewalk_core::{Inspection, Lang, LocalText};
use serde::Deserialize;

use super::admin::forged;
use super::frame::{office_page, pager};
use super::language::{current, say};
use super::peer::Peer;
use super::sign_in::{entry, Csrf};
use super::{error, now_millis};
use crate::html::{date_time, wide, Visible};
use crate::people::Principal;
use crate::site_import::{parse_sites_csv, ImportProblem};
use crate::store::sites::{Site, SiteFilter};
use crate::store::StoreError;
use crate::AppState;

/// Sites a page.
pub const SITES_PAGE: u64 = 50;

/// The newest photos a site's page shows (each inspection's page has all of its own).
const SITE_PHOTOS: usize = 24;

/// A text of the library (a checklist's title, a category, an item, an exclusion) in the
/// office's language.
pub(super) fn library_text(text: &LocalText) -> Markup {
    html! { (Visible(text.get(current().lang))) }
}

/// A sector (template id) by its checklist's title when the library knows it.
pub(super) fn sector_name(library: &Library, id: &str) -> Markup {
    match library.latest().into_iter().find(|t| t.id == id) {
        Some(t) => library_text(&t.title),
        None => html! { (id) },
    }
}

fn category_name(library: &Library, sectors: &[String], id: &str) -> Markup {
    let found = library.latest().into_iter().filter(|t| sectors.contains(&t.id)).find_map(|t| t.site_category(id));
    match found {
        Some(c) => library_text(&c.name),
        None => html! { (id) },
    }
}

/// The scope a principal's lists are cut to: (department, district), empty is any.
pub(super) fn scope(principal: &Principal) -> (String, String) {
    let v = principal.visibility();
    (v.department, v.district)
}

/// Whether the site is in the principal's scope (the same rule as the list's query).
pub fn in_scope(principal: &Principal, site: &Site) -> bool {
    let (department, district) = scope(principal);
    (department.is_empty() || site.department == department) && (district.is_empty() || site.district == district)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    district: String,
    sector: String,
    offset: u64,
}

/// `GET /office/sites`.
pub async fn list(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(query): Query<ListQuery>,
) -> Result<Response, StoreError> {
    let (scope_department, scope_district) = scope(&principal);
    let filter = SiteFilter {
        scope_department,
        scope_district,
        district: query.district.trim().to_string(),
        sector: query.sector.trim().to_string(),
        text: query.q.trim().to_string(),
    };
    let offset = query.offset.min(i64::MAX as u64);
    let (sites, total) = state.store.sites(&filter, offset, SITES_PAGE).await?;
    let districts = state.store.site_districts().await?;
    let csrf = csrf.map(|Extension(c)| c);
    let library = &state.library;
    let page_link = |offset: u64| {
        let query = [("q", filter.text.as_str()), ("district", &filter.district), ("sector", &filter.sector)];
        format!("/office/sites?{}&offset={offset}", serde_urlencoded::to_string(query).unwrap_or_default())
    };
    let body = html! {
        h1 { (say("场所", "Sites")) }
        p { a href="/office/sites/import" { (say("导入 CSV", "Import CSV")) } }
        form method="get" action="/office/sites" {
            label { (say("名称、代码或地址 ", "Name, code or address ")) input name="q" value=(filter.text); }
            " "
            label { (say("辖区 ", "District ")) select name="district" {
                option value="" { (say("全部", "All")) }
                @for d in &districts { option value=(d) selected[*d == filter.district] { (d) } }
            } }
            " "
            label { (say("行业 ", "Sector ")) select name="sector" {
                option value="" { (say("全部", "All")) }
                @for t in library.latest() { option value=(t.id) selected[t.id == filter.sector] { (t.title.get(current().lang)) } }
            } }
            " " button type="submit" { (say("查找", "Search")) }
        }
        p { (total) (say(" 个场所", " sites")) }
        (wide(say("场所", "Sites"), html! {
            table {
                tr { th { (say("名称", "Name")) } th { (say("地址", "Address")) } th { (say("统一社会信用代码", "Credit code")) } th { (say("辖区", "District")) } th { (say("行业", "Sectors")) } th { (say("类别", "Category")) } }
                @for site in &sites {
                    tr {
                        td { a href={ "/office/sites/" (site.id) } { (Visible(&site.name)) } }
                        td { (Visible(&site.address)) }
                        td { (site.uscc.as_deref().unwrap_or("")) }
                        td { (Visible(&site.district)) }
                        td { @for s in &site.sectors { div { (sector_name(library, s)) } } }
                        td { (category_name(library, &site.sectors, &site.category)) }
                    }
                }
            }
        }))
        (pager(offset, SITES_PAGE, total, page_link))
    };
    Ok(office_page(&format!("Safewalk — {}", say("场所", "Sites")), &principal, csrf.as_ref(), body))
}

/// `GET /office/sites/{id}`: 404 alike for a site out of scope.
pub async fn detail(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Path(id): Path<String>,
) -> Result<Response, StoreError> {
    let Some(site) = state.store.site(&id).await?.filter(|s| in_scope(&principal, s)) else {
        return Ok(error(StatusCode::NOT_FOUND, "no such site 没有这个场所"));
    };
    // The site's inspections this person may read.
    let mut filed: Vec<Inspection> = Vec::new();
    let mut photos: Vec<(uuid::Uuid, Attachment)> = Vec::new();
    for (inspection_id, stored, received) in state.store.site_inspections(&site.id, &principal.visibility()).await? {
        let Ok(payload) = serde_json::from_str::<InspectionPayload>(&stored) else { continue };
        photos.extend(
            payload
                .inspection
                .attachments
                .iter()
                .filter(|a| a.kind == AttachmentKind::Photo && received.contains(&a.id))
                .map(|a| (inspection_id, a.clone())),
        );
        filed.push(payload.inspection);
    }
    photos.sort_by_key(|(_, a)| std::cmp::Reverse(a.taken_at));
    photos.truncate(SITE_PHOTOS);
    // Its open hazards from the office register (core's register, with the office's
    // acceptances and supervision), those of inspections this person may read.
    let scope = super::hazards::ListQuery::default().filter(&principal);
    let filter = crate::store::hazards::HazardFilter { site: site.id.clone(), ..scope };
    let (hazards, _) = state.store.hazards(&filter, &super::hazards::today(), 0, i64::MAX as u64).await?;
    let open: Vec<_> = hazards.into_iter().filter(|h| h.state != crate::hazards::OfficeState::Closed).collect();
    let same_name: Vec<Site> = state.store.same_name_sites(&site).await?.into_iter().filter(|s| in_scope(&principal, s)).collect();
    let library = &state.library;
    let csrf = csrf.map(|Extension(c)| c);
    let body = html! {
        p.screen-only { a href="/office/sites" { (say("← 场所", "← Sites")) } }
        h1 { (Visible(&site.name)) }
        p.screen-only { a href={ "/office/tasks?site=" (site.id) } { (say("本场所的任务", "Its tasks")) } " · " a href={ "/office/tasks/new?site=" (site.id) } { (say("派发任务", "Assign a task")) } }
        table {
            tr { th { (say("地址", "Address")) } td { (Visible(&site.address)) } }
            tr { th { (say("统一社会信用代码", "Credit code")) } td { (site.uscc.as_deref().unwrap_or("—")) } }
            tr { th { (say("辖区", "District")) } td { (Visible(&site.district)) } }
            tr { th { (say("部门", "Department")) } td { (Visible(&site.department)) } }
            tr { th { (say("行业", "Sectors")) } td { @for s in &site.sectors { div { (sector_name(library, s)) } } } }
            tr { th { (say("类别", "Category")) } td { (category_name(library, &site.sectors, &site.category)) } }
            tr { th { (say("位置", "Position")) } td { (Visible(&site.position)) } }
        }
        @if !same_name.is_empty() {
            h2 { (say("可能是同一场所", "Perhaps the same premises")) }
            ul { @for other in &same_name {
                li {
                    a href={ "/office/sites/" (other.id) } { (Visible(&other.name)) } " · " (Visible(&other.address)) " · " (other.uscc.as_deref().unwrap_or("—")) " "
                    a href={ "/office/sites/" (other.id) "/merge?into=" (site.id) } { (say("合并到本场所…", "Merge into this site…")) }
                }
            } }
        }
        h2 { (say("未整改隐患 (", "Open hazards (")) (open.len()) ")" }
        @if open.is_empty() { p { (say("没有未整改的隐患。", "No open hazards.")) } } @else {
            (wide(say("未整改隐患", "Open hazards"), html! {
                table {
                    tr { th { (say("等级", "Grade")) } th { (say("检查项", "Item")) } th { (say("描述", "Description")) } th { (say("整改期限", "Deadline")) } th { (say("督办", "Supervision")) } th { (say("发现于", "Found")) } }
                    @for h in &open {
                        @let e = &h.row;
                        tr {
                            td class=(if e.grade == safewalk_core::inspection::hazard::Grade::Major { "major" } else { "hazard" }) {
                                (words::grade(e.grade, current().lang))
                            }
                            td { a href=(super::hazards::hazard_link(h)) { (item_text(library, &filed, e.inspection, &e.item)) } }
                            td { (Visible(&e.description)) }
                            td { (Visible(&e.deadline)) @if h.state == crate::hazards::OfficeState::Overdue { " " strong.hazard { (say("逾期", "Overdue")) } } }
                            td { (super::hazards::supervision_cell(h)) }
                            td { a href={ "/office/" (e.inspection) } { (date_time(e.found_at)) } }
                        }
                    }
                }
            }))
        }
        @if !photos.is_empty() {
            h2 { (say("照片", "Photos")) }
            div.attachments { @for (inspection, photo) in &photos {
                @let src = format!("/inspections/{inspection}/attachments/{}", photo.id);
                figure {
                    a href=(src) { img src=(src) alt={ (say("照片 ", "Photo ")) (photo.item.as_deref().unwrap_or("")) } loading="lazy"; }
                    figcaption {
                        @if let Some(item) = &photo.item { (item_text(library, &filed, *inspection, item)) br; }
                        a href={ "/office/" (inspection) } { (say("拍摄 ", "Taken ")) (date_time(photo.taken_at)) }
                    }
                }
            } }
        }
        h2 { (say("检查记录 (", "Inspections (")) (filed.len()) ")" }
        table {
            tr { th { (say("完成", "Completed")) } th { (say("检查表", "Checklist")) } th { (say("检查人员", "Inspectors")) } }
            @for i in &filed {
                tr {
                    td { a href={ "/office/" (i.id) } { (date_time(i.completed_at.unwrap_or(i.created_at))) } }
                    td { (sector_name(library, &i.template.id)) }
                    td { (Visible(&i.team.inspectors)) }
                }
            }
        }
    };
    Ok(office_page(&format!("Safewalk — {}", site.name), &principal, csrf.as_ref(), body))
}

/// An item's text (Chinese, English under it) from its inspection's template, else its id.
fn item_text(library: &Library, inspections: &[Inspection], inspection: uuid::Uuid, item: &str) -> Markup {
    let template = inspections.iter().find(|i| i.id == inspection).and_then(|i| library.template(&i.template.id, &i.template.version));
    match template.and_then(|t| t.item(item)) {
        Some(found) => html! { (library_text(&found.text)) " " small { "(" (item) ")" } },
        None => html! { (item) },
    }
}

fn import_form(csrf: Option<&Csrf>, text: &str, problems: &[ImportProblem]) -> Markup {
    html! {
        p.screen-only { a href="/office/sites" { (say("← 场所", "← Sites")) } }
        h1 { (say("导入场所", "Import sites (CSV)")) }
        p { (say("UTF-8，首行为列名: ", "UTF-8, the first line names the columns: "))
            code { "name,address,uscc,district,department,sectors,category,position" }
            (say("（或 ", " (or ")) code { "名称,地址,统一社会信用代码,辖区,部门,行业,类别,位置" } (say("）。", ")."))
            (say("有错误时一行也不导入", "If any line is wrong, nothing is imported.")) }
        @if !problems.is_empty() {
            h2.hazard { (say("未导入: ", "Nothing imported: ")) (problems.len()) (say(" 处错误", " problems")) }
            ul { @for p in problems { li { @match current().lang { Lang::Zh => { "第" (p.line) "行：" }, Lang::En => { "line " (p.line) ": " } } (p.reason) } } }
        }
        form method="post" action="/office/sites/import" {
            input type="hidden" name="csrf" value=(csrf.map(|Csrf(c)| c.as_str()).unwrap_or(""));
            p { label { (say("CSV 文本", "CSV text")) br; textarea name="csv" rows="16" cols="100" required { (text) } } }
            p { button type="submit" { (say("导入", "Import")) } }
        }
    }
}

/// `GET /office/sites/import`.
pub async fn import_page(Extension(principal): Extension<Principal>, csrf: Option<Extension<Csrf>>) -> Response {
    let csrf = csrf.map(|Extension(c)| c);
    office_page(&format!("Safewalk — {}", say("导入场所", "Import sites")), &principal, csrf.as_ref(), import_form(csrf.as_ref(), "", &[]))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ImportForm {
    csrf: String,
    csv: String,
}

/// `POST /office/sites/import`: every line checked first; any problem, and nothing is
/// written (422 with the form and the problems by line); else all in one transaction,
/// audited.
pub async fn import(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Form(form): Form<ImportForm>,
) -> Result<Response, StoreError> {
    let csrf = csrf.map(|Extension(c)| c);
    if let Some(refused) = forged(csrf.as_ref(), &form.csrf) {
        return Ok(refused);
    }
    let (scope_department, scope_district) = scope(&principal);
    let rows = match parse_sites_csv(&form.csv, &scope_department, &scope_district) {
        Ok(rows) => rows,
        Err(problems) => {
            let page = office_page(
                &format!("Safewalk — {}", say("导入场所", "Import sites")),
                &principal,
                csrf.as_ref(),
                import_form(csrf.as_ref(), &form.csv, &problems),
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let (added, updated) = state.store.import_sites(&rows, now_millis()).await?;
    let detail = format!("{} lines: {added} sites added, {updated} updated", rows.len());
    state.store.audit(&entry(principal.person(), "sites-imported", "sites", detail, &peer.0)).await?;
    Ok(Redirect::to("/office/sites").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeQuery {
    into: String,
}

/// Both sites of a merge, when both are in the principal's scope, or the answer that stops
/// it: 404 for a site not found or out of scope, 409 for two sites that are not the same
/// premises by name or hold two different codes (two businesses).
async fn merge_pair(state: &AppState, principal: &Principal, from: &str, into: &str) -> Result<Result<(Site, Site), Response>, StoreError> {
    let from_site = state.store.site(from).await?.filter(|s| in_scope(principal, s));
    let into_site = state.store.site(into).await?.filter(|s| in_scope(principal, s));
    let (Some(from), Some(into)) = (from_site, into_site) else {
        return Ok(Err(error(StatusCode::NOT_FOUND, "no such site 没有这个场所")));
    };
    if from.id == into.id {
        return Ok(Err(error(StatusCode::CONFLICT, "a site cannot be merged into itself 不能与自身合并")));
    }
    let identity = |s: &Site| safewalk_core::site::SiteIdentity::new(&s.name, &s.address);
    if !identity(&from).may_be_same_premises(&identity(&into)) {
        return Ok(Err(error(StatusCode::CONFLICT, "the names differ: not the same premises 名称不同，不是同一场所")));
    }
    if let (Some(a), Some(b)) = (&from.uscc, &into.uscc) {
        if a != b {
            return Ok(Err(error(
                StatusCode::CONFLICT,
                format!("two different credit codes ({a}, {b}): two businesses 统一社会信用代码不同，是两个单位"),
            )));
        }
    }
    Ok(Ok((from, into)))
}

fn site_summary(site: &Site) -> Markup {
    html! { b { (Visible(&site.name)) } " · " (Visible(&site.address)) " · " (site.uscc.as_deref().unwrap_or("—")) " · " (Visible(&site.district)) }
}

/// `GET /office/sites/{id}/merge?into=`: what a merge would do, and the button that does it.
pub async fn merge_form(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Path(id): Path<String>,
    Query(query): Query<MergeQuery>,
) -> Result<Response, StoreError> {
    let (from, into) = match merge_pair(&state, &principal, &id, &query.into).await? {
        Ok(pair) => pair,
        Err(refused) => return Ok(refused),
    };
    let moving = state.store.site_inspection_ids(&from.id).await?.len();
    let csrf = csrf.map(|Extension(c)| c);
    let body = html! {
        h1 { (say("合并场所", "Merge sites")) }
        p { (say("合并: ", "Merge: ")) (site_summary(&from)) }
        p { (say("到: ", "into: ")) (site_summary(&into)) }
        p { @match current().lang { Lang::Zh => { (moving) " 条检查记录将归入后者，前者将被删除；空白字段取前者的值。" }, Lang::En => {
            (moving) " inspections will be filed under the second site and the first removed; its empty fields take the first's." } } }
        form method="post" action={ "/office/sites/" (from.id) "/merge" } {
            input type="hidden" name="csrf" value=(csrf.as_ref().map(|Csrf(c)| c.as_str()).unwrap_or(""));
            input type="hidden" name="into" value=(into.id);
            button type="submit" { (say("确认合并", "Merge")) }
            " " a href={ "/office/sites/" (into.id) } { (say("取消", "Cancel")) }
        }
    };
    Ok(office_page(&format!("Safewalk — {}", say("合并场所", "Merge sites")), &principal, csrf.as_ref(), body))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    csrf: String,
    into: String,
}

/// `POST /office/sites/{id}/merge` (`into`): merges, audits, and shows the merged site.
pub async fn merge(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Path(id): Path<String>,
    Form(form): Form<MergeForm>,
) -> Result<Response, StoreError> {
    let csrf = csrf.map(|Extension(c)| c);
    if let Some(refused) = forged(csrf.as_ref(), &form.csrf) {
        return Ok(refused);
    }
    let (from, into) = match merge_pair(&state, &principal, &id, &form.into).await? {
        Ok(pair) => pair,
        Err(refused) => return Ok(refused),
    };
    let moved = state.store.merge_sites(&from, &into, now_millis()).await?;
    let detail = format!(
        "site {} ({:?}, {:?}, code {:?}) merged into {}: {moved} inspections moved",
        from.id,
        from.name,
        from.address,
        from.uscc.as_deref().unwrap_or(""),
        into.id
    );
    state.store.audit(&entry(principal.person(), "sites-merged", &into.name, detail, &peer.0)).await?;
    Ok(Redirect::to(&format!("/office/sites/{}", into.id)).into_response())
}
