//! The office's pages for the papers (issue 15): serial blocks per inspector (the admin's,
//! with a hand allocation and the block size), the particulars printed on documents (the
//! admin's), the delivered documents (search by number; a number delivered twice flagged),
//! the papers section of an inspection's page, and `/verify`, where a printed seal is checked
//! against what was delivered.
//!
//! What `/verify` shows to whom: the seal is printed on paper handed to the site, so anyone
//! holding the paper may learn whether it matches, the inspection's date and the documents'
//! kinds and numbers (all printed on the paper already); the site, the officers and the link
//! to the record need an office sign-in that may see the record.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use safewalk_core::dates;
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::delivery::seal::{grouped, read_seal};
use safewalk_core::documents::numbering::NumberPattern;
use safewalk_core::inspection::paperwork::{AgencyParticulars, DocumentKind, Paperwork};
use serde::Deserialize;

use super::admin::{csrf_field, forged};
use super::frame::{csrf_of, office_page};
use super::peer::Peer;
use super::sign_in::{entry, Csrf};
use super::sync::{block_size, BLOCK_SIZE, PARTICULARS};
use super::{error, may_see, now_millis, principal_of};
use crate::html::{date_time, layout, wide, Visible};
use crate::papers::{kind_of, kind_word, parse_block_size, particulars_of};
use crate::people::Principal;
use crate::store::papers::DocumentRow;
use crate::store::StoreError;
use crate::AppState;

/// A document kind's title in the office's language (the stored word when unknown).
fn kind_title(word: &str) -> String {
    match kind_of(word) {
        Some(kind) => kind.title().get(super::language::current().lang).to_string(),
        None => word.to_string(),
    }
}

/// `YYYY-MM-DD HH:MM` China time: how the documents print their times.
fn china_time(millis: u64) -> String {
    format!("{} (UTC+8)", dates::format_time(millis, 8 * 60))
}

/// A document delivered twice (its number, or its year, serial and kind): never meant to
/// happen, so shown loudly when it does.
fn clash_flag(d: &DocumentRow) -> Markup {
    html! {
        @if d.clashes > 0 {
            strong.hazard.clash { "⚑ 编号重复 Number delivered twice (" (d.clashes) ")" }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: Option<i32>,
}

/// `GET /office/serials`: every block of the year by inspector, with what delivered
/// documents used of it; the forms to allocate one by hand and to set the block size.
pub async fn serials_page(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(q): Query<YearQuery>,
) -> Result<Response, StoreError> {
    let this_year = dates::china_year(now_millis());
    let year = q.year.unwrap_or(this_year);
    let blocks = state.store.blocks_of_year(year).await?;
    let people: Vec<_> = state.store.people().await?.into_iter().filter(|p| p.active).collect();
    let size = block_size(&state).await?;
    let csrf = csrf_of(&csrf);
    let body = html! {
        h1 { "Document serial blocks 文书编号段 · " (year) }
        p { small { "Each inspector's phone numbers documents from its own blocks; blocks of one year never overlap. "
            "每名检查人员的手机从自己的编号段取号，同一年度的编号段互不重叠。" } }
        p { @if year != this_year { a href="/office/serials" { (this_year) } " · " } a href={ "/office/serials?year=" (year - 1) } { (year - 1) } }
        (wide("Serial blocks 编号段", html! {
            table.blocks {
                tr { th { "Inspector 检查人员" } th { "Serials 编号" } th { "Used 已用" } th { "Allocated 分配" } }
                @for b in &blocks {
                    tr {
                        td { (Visible(&b.person_name)) }
                        td { (b.first) "–" (b.last) }
                        td {
                            (b.used) " / " (b.last - b.first + 1)
                            @if b.used_by_others > 0 { br; strong.hazard { "⚑ used by another's delivery 他人提交的文书使用了本段编号 (" (b.used_by_others) ")" } }
                        }
                        td { (date_time(b.allocated_at)) br; small { (Visible(&b.allocated_by)) } }
                    }
                }
            }
        }))
        @if blocks.is_empty() { p { "No block allocated this year 本年度尚未分配编号段" } }
        h2 { "Allocate a block 分配编号段" }
        form method="post" action="/office/serials" {
            (csrf_field(csrf))
            p { label { "Inspector 检查人员" br;
                select name="person" required { @for p in &people { option value=(p.id) { (Visible(&p.name)) " (" (p.role.as_str()) ")" } } } } }
            p { label { "Serials 编号个数" br; input name="size" value=(size) inputmode="numeric"; } }
            p { button type="submit" { "Allocate for 分配 " (this_year) } }
        }
        h2 { "Block size 编号段大小" }
        form method="post" action="/office/serials/size" {
            (csrf_field(csrf))
            p { label { "Serials a phone receives when it asks 手机申请时分配的编号个数" br; input name="size" value=(size) inputmode="numeric"; } }
            p { button type="submit" { "Save 保存" } }
        }
    };
    Ok(office_page("Safewalk — serial blocks", &principal, csrf, body))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AllocateForm {
    csrf: String,
    person: String,
    size: String,
}

/// `POST /office/serials`: a block of the current year (China time) for a person, by hand.
pub async fn allocate(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Form(form): Form<AllocateForm>,
) -> Result<Response, StoreError> {
    if let Some(refused) = forged(csrf_of(&csrf), &form.csrf) {
        return Ok(refused);
    }
    let size = if form.size.trim().is_empty() { Ok(block_size(&state).await?) } else { parse_block_size(&form.size) };
    let size = match size {
        Ok(size) => size,
        Err(message) => return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    let Some(person) = state.store.person(form.person.trim()).await?.filter(|p| p.active) else {
        return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, "person: choose an active person 请选择在职人员"));
    };
    let now = now_millis();
    let block = state.store.allocate_block(&person.id, dates::china_year(now), size, principal.person_id(), now).await?;
    let detail = format!("{}–{} of {} ({size} serials), by hand at the office", block.first, block.last, block.year);
    state.store.audit(&entry(principal.person(), "serial-block-allocated", &person.label(), detail, &peer.0)).await?;
    Ok(Redirect::to("/office/serials").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SizeForm {
    csrf: String,
    size: String,
}

/// `POST /office/serials/size`: the block size phones receive.
pub async fn set_block_size(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Form(form): Form<SizeForm>,
) -> Result<Response, StoreError> {
    if let Some(refused) = forged(csrf_of(&csrf), &form.csrf) {
        return Ok(refused);
    }
    let size = match parse_block_size(&form.size) {
        Ok(size) => size,
        Err(message) => return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    let before = block_size(&state).await?;
    state.store.set_setting(BLOCK_SIZE, &size.to_string()).await?;
    let detail = format!("{before} → {size} serials a block");
    state.store.audit(&entry(principal.person(), "serial-block-size-set", "office", detail, &peer.0)).await?;
    Ok(Redirect::to("/office/serials").into_response())
}

/// The particulars form, filled with `p`, with `problem` above it when the last post was refused.
fn particulars_form(p: &AgencyParticulars, csrf: Option<&Csrf>, problem: Option<&str>) -> Markup {
    let field = |name: &'static str, label: &'static str, value: &str| {
        html! { p { label { (label) br; input name=(name) value=(value) size="40"; } } }
    };
    html! {
        h1 { "Document particulars 文书设置" }
        p { small { "Sent to every phone with its pull; a phone's own settings fill what is left blank. "
            "随任务同步发送到每部手机；此处留空的项目由手机自己的设置补充。" } }
        @if let Some(problem) = problem { p.hazard.problem { (problem) } }
        form method="post" action="/office/particulars" {
            (csrf_field(csrf))
            (field("agency", "Issuing agency 执法机关", &p.agency))
            (field("region", "Region abbreviation in numbers 地区简称", &p.region))
            (field("pattern", "Number pattern 编号格式 ({region} {code} {year} {serial}; empty: default 留空为默认)", &p.pattern))
            fieldset {
                legend { "Codes 代字 (empty: default 留空为默认)" }
                @for kind in DocumentKind::ALL {
                    p { label {
                        (kind.title().zh) " " small { (kind.title().en) } br;
                        input name={ "code_" (kind_word(kind)) } value=(p.codes.get(&kind).map(String::as_str).unwrap_or("")) placeholder=(kind.default_code());
                    } }
                }
            }
            (field("review_government", "People's government for administrative review 行政复议：人民政府", &p.review_government))
            (field("review_department", "Department for administrative review 行政复议：上级部门", &p.review_department))
            (field("court", "People's court for suit 行政诉讼：人民法院", &p.court))
            p { button type="submit" { "Save 保存" } }
        }
    }
}

/// `GET /office/particulars`.
pub async fn particulars_page(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
) -> Result<Response, StoreError> {
    let particulars = particulars_of(state.store.setting(PARTICULARS).await?.as_deref()).unwrap_or_default();
    let csrf = csrf_of(&csrf);
    Ok(office_page("Safewalk — document particulars", &principal, csrf, particulars_form(&particulars, csrf, None)))
}

/// `POST /office/particulars`: every field, trimmed; a pattern that does not parse is
/// refused (422, the form as typed with the reason), nothing saved.
pub async fn set_particulars(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, StoreError> {
    let value = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let csrf = csrf_of(&csrf);
    if let Some(refused) = forged(csrf, &value("csrf")) {
        return Ok(refused);
    }
    let codes = DocumentKind::ALL
        .into_iter()
        .map(|kind| (kind, value(&format!("code_{}", kind_word(kind)))))
        .filter(|(_, code)| !code.is_empty())
        .collect();
    let particulars = AgencyParticulars {
        agency: value("agency"),
        region: value("region"),
        pattern: value("pattern"),
        codes,
        review_government: value("review_government"),
        review_department: value("review_department"),
        court: value("court"),
    };
    if !particulars.pattern.is_empty() {
        if let Err(e) = NumberPattern::parse(&particulars.pattern) {
            let text = e.text();
            let problem = format!("{} · {}", text.zh, text.en);
            let page =
                office_page("Safewalk — document particulars", &principal, csrf, particulars_form(&particulars, csrf, Some(&problem)));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    }
    let json = serde_json::to_string(&particulars).map_err(StoreError::database)?;
    state.store.set_setting(PARTICULARS, &json).await?;
    state.store.audit(&entry(principal.person(), "particulars-set", "office", json, &peer.0)).await?;
    Ok(Redirect::to("/office/particulars").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DocumentsQuery {
    number: String,
    clashing: String,
}

/// `GET /office/documents`: the delivered documents of the reader's scope, newest first,
/// searched by number; `clashing=1` only those delivered twice.
pub async fn documents_page(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(q): Query<DocumentsQuery>,
) -> Result<Response, StoreError> {
    let clashing = !q.clashing.trim().is_empty();
    let documents = state.store.documents(&principal.visibility(), q.number.trim(), clashing, 500).await?;
    let body = html! {
        h1 { "Documents issued 已出具的文书" }
        form method="get" action="/office/documents" {
            label { "Number 文书编号 " input name="number" value=(q.number); }
            " " label { input type="checkbox" name="clashing" value="1" checked[clashing]; " only numbers delivered twice 仅显示重复编号" }
            " " button type="submit" { "Search 搜索" }
        }
        (wide("Documents 文书", html! {
            table.documents {
                tr { th { "Number 编号" } th { "Document 文书" } th { "Issued 出具时间" } th { "Site 场所" } }
                @for d in &documents {
                    tr {
                        td { (Visible(&d.number)) " " (clash_flag(d)) }
                        td { (kind_title(&d.kind)) }
                        td { (china_time(d.issued_at)) }
                        td { a href={ "/office/" (Visible(&d.inspection)) } { @if d.site_name.is_empty() { (Visible(&d.inspection)) } @else { (Visible(&d.site_name)) } } }
                    }
                }
            }
        }))
        @if documents.is_empty() { p { "No document found 没有找到文书" } }
    };
    Ok(office_page("Safewalk — documents", &principal, csrf_of(&csrf), body))
}

/// On an inspection's office page: the documents it issued (a clash flagged), the
/// officers, the refusal and witness, and the seal with its verification link.
pub async fn inspection_section(state: &AppState, payload: &InspectionPayload) -> Result<Markup, StoreError> {
    let id = payload.inspection.id.to_string();
    let documents = state.store.documents_of(&id).await?;
    let seal = state.store.seal(&id).await?.filter(|s| !s.is_empty());
    let none = Paperwork::default();
    let paperwork = payload.inspection.paperwork.as_ref().unwrap_or(&none);
    Ok(html! {
        @if payload.inspection.paperwork.is_some() {
            h2 #documents { "Documents issued 出具的文书 (" (documents.len()) ")" }
            @if !documents.is_empty() {
                table.documents {
                    tr { th { "Document 文书" } th { "Number 编号" } th { "Issued 出具时间" } }
                    @for d in &documents {
                        tr { td { (kind_title(&d.kind)) } td { (Visible(&d.number)) " " (clash_flag(d)) } td { (china_time(d.issued_at)) } }
                    }
                }
            }
            @if !paperwork.agency.agency.is_empty() { p { "Issued by 执法机关: " (Visible(&paperwork.agency.agency)) } }
            @if !paperwork.officers.is_empty() {
                h3 { "Officers 执法人员" }
                ul.officers { @for o in &paperwork.officers { li { (Visible(&o.name)) " · certificate 执法证号 " (Visible(&o.certificate)) } } }
            }
            @if !paperwork.principal_post.is_empty() { p { "Post of the unit's principal 负责人职务: " (Visible(&paperwork.principal_post)) } }
            @if !paperwork.on_site_measures.is_empty() { p { "On-site measures 现场处理措施: " (Visible(&paperwork.on_site_measures)) } }
            @if let Some(refusal) = &paperwork.refusal {
                p.refusal { strong { "The unit refused to sign 被检查单位拒绝签字" } " — witness 见证人: " (Visible(&refusal.witness)) " · " (Visible(&refusal.note)) }
            }
        }
        @if let Some(seal) = &seal {
            p.seal { "Seal 校验码 (SHA-256): " code { (grouped(seal)) } " " a.screen-only href={ "/verify/" (seal) } { "verify 核验" } }
        }
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VerifyQuery {
    seal: String,
}

/// `GET /verify?seal=…`: the form to paste or type a printed seal, and its answer.
pub async fn verify_form(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<VerifyQuery>,
) -> Result<Response, StoreError> {
    if q.seal.trim().is_empty() {
        return Ok(verify_page(StatusCode::OK, html! {}, ""));
    }
    verify(&state, &headers, &q.seal).await
}

/// `GET /verify/{seal}`: what a printed QR code opens.
pub async fn verify_seal(State(state): State<Arc<AppState>>, headers: HeaderMap, Path(seal): Path<String>) -> Result<Response, StoreError> {
    verify(&state, &headers, &seal).await
}

async fn verify(state: &AppState, headers: &HeaderMap, typed: &str) -> Result<Response, StoreError> {
    let Some(seal) = read_seal(typed) else {
        let answer = html! { p.hazard.unreadable { "这不是校验码：应为 64 位十六进制字符 · Not a seal: it is 64 hexadecimal characters" } };
        return Ok(verify_page(StatusCode::BAD_REQUEST, answer, typed));
    };
    let found = state.store.sealed(&seal).await?;
    // The record as stored must still give the seal: a record changed after delivery (in
    // the database) no longer verifies against what was printed.
    let payload = found.as_ref().and_then(|f| serde_json::from_str::<InspectionPayload>(&f.payload).ok());
    let intact = payload.as_ref().filter(|p| crate::papers::seal_of_payload(p) == seal);
    let Some(payload) = intact else {
        let answer = html! {
            p.verdict."no-match" { strong { "✗ 与任何已提交的记录都不符 · Does not match any delivered record" } }
            p { code { (grouped(&seal)) } }
        };
        return Ok(verify_page(StatusCode::OK, answer, &seal));
    };
    let i = &payload.inspection;
    let documents = state.store.documents_of(&i.id.to_string()).await?;
    // The office's details for a signed-in reader who may see the record (an office role).
    let viewer = principal_of(state, headers, &Method::GET, "/verify").await?.map(|(principal, _)| principal);
    let submitted_by = found.as_ref().and_then(|f| f.submitted_by.as_deref());
    let details = match viewer.filter(|p| p.may(crate::people::Action::Office)) {
        Some(principal) => may_see(state, &principal, submitted_by).await?,
        None => false,
    };
    let completed = i.completed_at.unwrap_or(i.created_at);
    let answer = html! {
        p.verdict."match" { strong { "✓ 与已提交的记录一致 · Matches a delivered record" } }
        p { code { (grouped(&seal)) } }
        table {
            tr { th { "Inspection date 检查日期" } td { (dates::format_time(completed, 8 * 60).chars().take(10).collect::<String>()) } }
            @for d in &documents {
                tr { th { (kind_title(&d.kind)) } td { (Visible(&d.number)) } }
            }
            @if details {
                tr { th { "Site 场所" } td { (Visible(&i.site.name)) br; small { (Visible(&i.site.address)) } } }
                tr { th { "Inspectors 检查人员" } td { (Visible(&i.team.inspectors)) } }
                tr { th { "Record 记录" } td { a href={ "/office/" (i.id) } { (i.id) } } }
            }
        }
        @if !details {
            p.screen-only { small { "The site and the officers are shown to the office once signed in. 场所与执法人员信息仅在办公室登录后显示。 "
                a href={ "/verify/" (seal) } { "Signed in? Open again 已登录？重新打开" } " · " a href="/office/sign-in" { "Sign in 登录" } } }
        }
    };
    Ok(verify_page(StatusCode::OK, answer, &seal))
}

/// The verification page: the answer (if any) above the form.
fn verify_page(status: StatusCode, answer: Markup, typed: &str) -> Response {
    let body = html! {
        h1 { "Verify a paper 核验文书" }
        (answer)
        form method="get" action="/verify" {
            p { label { "The seal printed on the paper 文书上印的校验码" br; input name="seal" value=(typed) size="72" autocomplete="off"; } }
            p { button type="submit" { "Verify 核验" } }
        }
    };
    (status, Html(layout("Safewalk — verify", None, body).into_string())).into_response()
}
