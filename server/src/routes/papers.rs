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
use safewalk_core::documents::officers::on_paper;
use safewalk_core::inspection::paperwork::{AgencyParticulars, DocumentKind, Paperwork};
use serde::Deserialize;

use super::admin::{csrf_field, forged};
use super::frame::{csrf_of, office_page};
use super::language::say;
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
            strong.hazard.clash { (say("⚑ 编号重复（", "⚑ Number delivered twice (")) (d.clashes) (say("）", ")")) }
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
        h1 { (say("文书编号段 · ", "Document serial blocks · ")) (year) }
        p { small { (say("每名检查人员的手机从自己的编号段取号，同一年度的编号段互不重叠。",
            "Each inspector's phone numbers documents from its own blocks; blocks of one year never overlap.")) } }
        p { @if year != this_year { a href="/office/serials" { (this_year) } " · " } a href={ "/office/serials?year=" (year - 1) } { (year - 1) } }
        (wide(say("编号段", "Serial blocks"), html! {
            table.blocks {
                tr { th { (say("检查人员", "Inspector")) } th { (say("编号", "Serials")) } th { (say("已用", "Used")) } th { (say("分配", "Allocated")) } }
                @for b in &blocks {
                    tr {
                        td { (Visible(&b.person_name)) }
                        td { (b.first) "–" (b.last) }
                        td {
                            (b.used) " / " (b.last - b.first + 1)
                            @if b.used_by_others > 0 { br; strong.hazard { (say("⚑ 他人提交的文书使用了本段编号（", "⚑ used by another's delivery (")) (b.used_by_others) (say("）", ")")) } }
                        }
                        td { (date_time(b.allocated_at)) br; small { (Visible(&b.allocated_by)) } }
                    }
                }
            }
        }))
        @if blocks.is_empty() { p { (say("本年度尚未分配编号段", "No block allocated this year")) } }
        h2 { (say("分配编号段", "Allocate a block")) }
        form method="post" action="/office/serials" {
            (csrf_field(csrf))
            p { label { (say("检查人员", "Inspector")) br;
                select name="person" required { @for p in &people { option value=(p.id) { (Visible(&p.name)) " (" (super::admin::role_name(p.role)) ")" } } } } }
            p { label { (say("编号个数", "Serials")) br; input name="size" value=(size) inputmode="numeric"; } }
            p { button type="submit" { (say("分配 ", "Allocate for ")) (this_year) } }
        }
        h2 { (say("编号段大小", "Block size")) }
        form method="post" action="/office/serials/size" {
            (csrf_field(csrf))
            p { label { (say("手机申请时分配的编号个数", "Serials a phone receives when it asks")) br; input name="size" value=(size) inputmode="numeric"; } }
            p { button type="submit" { (say("保存", "Save")) } }
        }
    };
    Ok(office_page(&format!("Safewalk — {}", say("文书编号段", "serial blocks")), &principal, csrf, body))
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
        h1 { (say("文书设置", "Document particulars")) }
        p { small { (say("随任务同步发送到每部手机；此处留空的项目由手机自己的设置补充。",
            "Sent to every phone with its pull; a phone's own settings fill what is left blank.")) } }
        @if let Some(problem) = problem { p.hazard.problem { (problem) } }
        form method="post" action="/office/particulars" {
            (csrf_field(csrf))
            (field("agency", say("执法机关", "Issuing agency"), &p.agency))
            (field("region", say("地区简称", "Region abbreviation in numbers"), &p.region))
            (field("pattern", say("编号格式（留空为默认）", "Number pattern (empty: default)"), &p.pattern))
            p { small { (say("可用的占位符：", "Placeholders: ")) code { "{region} {code} {year} {serial}" } } }
            fieldset {
                legend { (say("代字（留空为默认）", "Codes (empty: default)")) }
                @for kind in DocumentKind::ALL {
                    p { label {
                        (kind.title().get(super::language::current().lang)) br;
                        input name={ "code_" (kind_word(kind)) } value=(p.codes.get(&kind).map(String::as_str).unwrap_or("")) placeholder=(kind.default_code());
                    } }
                }
            }
            (field("review_government", say("行政复议：人民政府", "People's government for administrative review"), &p.review_government))
            (field("review_department", say("行政复议：上级部门", "Department for administrative review"), &p.review_department))
            (field("court", say("行政诉讼：人民法院", "People's court for suit"), &p.court))
            p { button type="submit" { (say("保存", "Save")) } }
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
    Ok(office_page(
        &format!("Safewalk — {}", say("文书设置", "document particulars")),
        &principal,
        csrf,
        particulars_form(&particulars, csrf, None),
    ))
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
            let problem = text.get(super::language::current().lang).to_string();
            let page = office_page(
                &format!("Safewalk — {}", say("文书设置", "document particulars")),
                &principal,
                csrf,
                particulars_form(&particulars, csrf, Some(&problem)),
            );
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
        h1 { (say("已出具的文书", "Documents issued")) }
        form method="get" action="/office/documents" {
            label { (say("文书编号 ", "Number ")) input name="number" value=(q.number); }
            " " label { input type="checkbox" name="clashing" value="1" checked[clashing]; (say(" 仅显示重复编号", " only numbers delivered twice")) }
            " " button type="submit" { (say("搜索", "Search")) }
        }
        (wide(say("文书", "Documents"), html! {
            table.documents {
                tr { th { (say("编号", "Number")) } th { (say("文书", "Document")) } th { (say("出具时间", "Issued")) } th { (say("场所", "Site")) } }
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
        @if documents.is_empty() { p { (say("没有找到文书", "No document found")) } }
    };
    Ok(office_page(&format!("Safewalk — {}", say("已出具的文书", "documents")), &principal, csrf_of(&csrf), body))
}

/// On an inspection's office page: the documents it issued (a clash flagged), the
/// officers (and the other team members, as the documents print them), the refusal and
/// witness, the order a re-inspection followed up, and the seal with its verification link.
pub async fn inspection_section(state: &AppState, payload: &InspectionPayload) -> Result<Markup, StoreError> {
    let id = payload.inspection.id.to_string();
    let documents = state.store.documents_of(&id).await?;
    let seal = state.store.seal(&id).await?.filter(|s| !s.is_empty());
    let none = Paperwork::default();
    let paperwork = payload.inspection.paperwork.as_ref().unwrap_or(&none);
    let on_paper = on_paper(&paperwork.officers);
    let order = payload.inspection.follow_up.as_ref().and_then(|f| f.order.as_ref());
    Ok(html! {
        @if payload.inspection.paperwork.is_some() {
            h2 #documents { (say("出具的文书（", "Documents issued (")) (documents.len()) (say("）", ")")) }
            @if !documents.is_empty() {
                table.documents {
                    tr { th { (say("文书", "Document")) } th { (say("编号", "Number")) } th { (say("出具时间", "Issued")) } }
                    @for d in &documents {
                        tr { td { (kind_title(&d.kind)) } td { (Visible(&d.number)) " " (clash_flag(d)) } td { (china_time(d.issued_at)) } }
                    }
                }
            }
            @if !paperwork.agency.agency.is_empty() { p { (say("执法机关：", "Issued by: ")) (Visible(&paperwork.agency.agency)) } }
            @if !on_paper.officers.is_empty() {
                h3 { (say("执法人员", "Officers")) }
                ul.officers { @for o in &on_paper.officers { li { (Visible(&o.name)) (say(" · 执法证号 ", " · certificate ")) (Visible(&o.certificate)) } } }
            }
            @if !on_paper.others.is_empty() {
                p { (say("其他检查人员：", "Other inspectors: ")) (Visible(&on_paper.others.join("、"))) }
            }
            @if !paperwork.principal_post.is_empty() { p { (say("负责人职务：", "Post of the unit's principal: ")) (Visible(&paperwork.principal_post)) } }
            @if !paperwork.on_site_measures.is_empty() { p { (say("现场处理措施：", "On-site measures: ")) (Visible(&paperwork.on_site_measures)) } }
            @if let Some(refusal) = &paperwork.refusal {
                p.refusal { strong { (say("被检查单位拒绝签字", "The unit refused to sign")) } (say(" — 见证人：", " — witness: ")) (Visible(&refusal.witness)) " · " (Visible(&refusal.note)) }
            }
        }
        @if let Some(order) = order {
            p.followed-order {
                (say("复查所依据的文书：", "Re-inspection of: ")) (order.kind.title().get(super::language::current().lang)) " "
                (Visible(&order.number)) " · " (china_time(order.issued_at))
            }
        }
        @if let Some(seal) = &seal {
            p.seal { (say("校验码（SHA-256）：", "Seal (SHA-256): ")) code { (grouped(seal)) } " " a.screen-only href={ "/verify/" (seal) } { (say("核验", "verify")) } }
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
        let answer =
            html! { p.hazard.unreadable { (say("这不是校验码：应为 64 位十六进制字符", "Not a seal: it is 64 hexadecimal characters")) } };
        return Ok(verify_page(StatusCode::BAD_REQUEST, answer, typed));
    };
    let found = state.store.sealed(&seal).await?;
    // The record as stored must still give the seal: a record changed after delivery (in
    // the database) no longer verifies against what was printed.
    let payload = found.as_ref().and_then(|f| serde_json::from_str::<InspectionPayload>(&f.payload).ok());
    let intact = payload.as_ref().filter(|p| crate::papers::seal_of_payload(p) == seal);
    let Some(payload) = intact else {
        let answer = html! {
            p.verdict."no-match" { strong { (say("✗ 与任何已提交的记录都不符", "✗ Does not match any delivered record")) } }
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
        p.verdict."match" { strong { (say("✓ 与已提交的记录一致", "✓ Matches a delivered record")) } }
        p { code { (grouped(&seal)) } }
        table {
            tr { th { (say("检查日期", "Inspection date")) } td { (dates::format_time(completed, 8 * 60).chars().take(10).collect::<String>()) } }
            @for d in &documents {
                tr { th { (kind_title(&d.kind)) } td { (Visible(&d.number)) } }
            }
            @if details {
                tr { th { (say("场所", "Site")) } td { (Visible(&i.site.name)) br; small { (Visible(&i.site.address)) } } }
                tr { th { (say("检查人员", "Inspectors")) } td { (Visible(&i.team.inspectors)) } }
                tr { th { (say("记录", "Record")) } td { a href={ "/office/" (i.id) } { (i.id) } } }
            }
        }
        @if !details {
            p.screen-only { small { (say("场所与执法人员信息仅在办公室登录后显示。", "The site and the officers are shown to the office once signed in. "))
                a href={ "/verify/" (seal) } { (say("已登录？重新打开", "Signed in? Open again")) } " · " a href="/office/sign-in" { (say("登录", "Sign in")) } } }
        }
    };
    Ok(verify_page(StatusCode::OK, answer, &seal))
}

/// The verification page: the answer (if any) above the form.
fn verify_page(status: StatusCode, answer: Markup, typed: &str) -> Response {
    let body = html! {
        h1 { (say("核验文书", "Verify a paper")) }
        (answer)
        form method="get" action="/verify" {
            p { label { (say("文书上印的校验码", "The seal printed on the paper")) br; input name="seal" value=(typed) size="72" autocomplete="off"; } }
            p { button type="submit" { (say("核验", "Verify")) } }
        }
    };
    (status, Html(layout(&format!("Safewalk — {}", say("核验文书", "verify")), None, body).into_string())).into_response()
}
