//! The admin's office pages: people (add, deactivate), their tokens (revoke) and one-time
//! sign-in links (shown once, with a QR code a phone camera opens), and the audit trail (page
//! and CSV). Rendered with maud, which escapes everything interpolated. Every form carries the
//! session's CSRF token; every action is audited.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;

use super::csv_download::csv_download;
use super::frame::office_page;
use super::language::say;
use super::peer::Peer;
use super::sign_in::{csrf_ok, entry, Csrf, CsrfOnly};
use super::{error, now_millis};
use crate::cli::sign_in_link;
use crate::html::{date_time, wide, Visible};
use crate::people::{check_name, Person, Principal, Role};
use crate::store::people::{AuditEntry, NewPerson, TokenInfo};
use crate::store::StoreError;
use crate::AppState;

pub(super) fn csrf_field(csrf: Option<&Csrf>) -> Markup {
    html! { input type="hidden" name="csrf" value=(csrf.map(|Csrf(c)| c.as_str()).unwrap_or("")); }
}

/// A form posted with the session cookie must carry its CSRF token; one sent with a bearer
/// token (no cookie, nothing a browser adds by itself) needs none.
pub(super) fn forged(csrf: Option<&Csrf>, sent: &str) -> Option<Response> {
    match csrf {
        Some(_) if !csrf_ok(csrf, sent) => Some(error(StatusCode::FORBIDDEN, "missing or wrong CSRF token: use the office page's form")),
        _ => None,
    }
}

fn token_state(t: &TokenInfo, now: u64) -> &'static str {
    match (t.revoked_at, t.expires_at) {
        (Some(_), _) if t.kind == "sign-in" => say("已使用/已撤销", "used or revoked"),
        (Some(_), _) => say("已撤销", "revoked"),
        (None, Some(e)) if e <= now => say("已过期", "expired"),
        _ => say("有效", "live"),
    }
}

/// A role as the office reads it.
pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Inspector => say("检查人员", "Inspector"),
        Role::Supervisor => say("主管", "Supervisor"),
        Role::Admin => say("管理员", "Administrator"),
    }
}

/// A kind of token as the office reads it (an unknown kind as stored).
fn token_kind(kind: &str) -> &str {
    match kind {
        "device" => say("设备", "device"),
        "sign-in" => say("登录链接", "sign-in link"),
        "session" => say("会话", "session"),
        other => other,
    }
}

/// `GET /office/people`.
pub async fn people_page(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
) -> Response {
    let csrf = csrf.map(|Extension(c)| c);
    let result = async {
        let mut rows = Vec::new();
        for person in state.store.people().await? {
            let tokens = state.store.tokens_of(&person.id).await?;
            rows.push((person, tokens));
        }
        Ok::<_, StoreError>(rows)
    }
    .await;
    let rows = match result {
        Ok(rows) => rows,
        Err(e) => return e.into_response(),
    };
    let now = now_millis();
    let csrf = csrf.as_ref();
    let body = html! {
        h1 { (say("人员", "People")) }
        (wide(say("人员", "People"), html! {
            table {
                tr { th { (say("姓名", "Name")) } th { (say("角色", "Role")) } th { (say("部门", "Department")) } th { (say("辖区", "District")) } th { (say("执法证号", "Certificate")) } th { (say("令牌", "Tokens")) } th {} }
                @for (person, tokens) in &rows {
                    tr {
                        td { (Visible(&person.name)) @if !person.active { br; small { (say("已停用", "inactive")) } } }
                        td { (role_name(person.role)) }
                        td { (Visible(&person.department)) }
                        td { (Visible(&person.district)) }
                        td { (Visible(&person.certificate)) }
                        td {
                            @for t in tokens {
                                div {
                                    small { (token_kind(&t.kind)) " · " (Visible(&t.label)) (say(" · 创建 ", " · created ")) (date_time(t.created_at))
                                        (say(" · 最近使用 ", " · last used ")) (t.last_used_at.map(date_time).unwrap_or_else(|| say("从未", "never").into()))
                                        " · " (token_state(t, now)) }
                                    @if t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now) {
                                        form.inline method="post" action={ "/office/tokens/" (t.id) "/revoke" } {
                                            (csrf_field(csrf)) button type="submit" { (say("撤销", "Revoke")) }
                                        }
                                    }
                                }
                            }
                        }
                        td {
                            @if person.active {
                                details {
                                    summary { (say("修改", "Change")) }
                                    form method="post" action={ "/office/people/" (person.id) } {
                                        (csrf_field(csrf))
                                        label { (say("角色 ", "Role ")) select name="role" {
                                            @for role in Role::ALL { option value=(role.as_str()) selected[role == person.role] { (role_name(role)) } } } }
                                        br; label { (say("部门 ", "Department ")) input name="department" value=(person.department); }
                                        br; label { (say("辖区 ", "District ")) input name="district" value=(person.district); }
                                        br; label { (say("执法证号 ", "Certificate ")) input name="certificate" value=(person.certificate); }
                                        br; button type="submit" { (say("保存", "Save")) }
                                    }
                                }
                                form.inline method="post" action={ "/office/people/" (person.id) "/link" } {
                                    (csrf_field(csrf)) button type="submit" { (say("登录链接", "Sign-in link")) }
                                }
                                " "
                                form.inline method="post" action={ "/office/people/" (person.id) "/deactivate" } {
                                    (csrf_field(csrf)) button type="submit" { (say("停用", "Deactivate")) }
                                }
                            }
                        }
                    }
                }
            }
        }))
        h2 { (say("添加人员", "Add a person")) }
        form method="post" action="/office/people" {
            (csrf_field(csrf))
            p { label { (say("姓名", "Name")) br; input name="name" required; } }
            p { label { (say("角色", "Role")) br;
                select name="role" { @for role in Role::ALL { option value=(role.as_str()) { (role_name(role)) } } } } }
            p { label { (say("部门", "Department")) br; input name="department"; } }
            p { label { (say("辖区", "District")) br; input name="district"; } }
            p { label { (say("执法证号", "Enforcement certificate")) br; input name="certificate"; } }
            p { button type="submit" { (say("添加", "Add")) } }
        }
    };
    office_page(&format!("Safewalk — {}", say("人员", "People")), &principal, csrf, body)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddPerson {
    csrf: String,
    name: String,
    role: String,
    department: String,
    district: String,
    certificate: String,
}

/// `POST /office/people`.
pub async fn add_person(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Form(form): Form<AddPerson>,
) -> Result<Response, StoreError> {
    if let Some(refused) = forged(csrf.as_ref().map(|Extension(c)| c), &form.csrf) {
        return Ok(refused);
    }
    let name = match check_name(&form.name) {
        Ok(name) => name,
        Err(message) => return Ok(error(StatusCode::BAD_REQUEST, message)),
    };
    let Some(role) = Role::parse(&form.role) else { return Ok(error(StatusCode::BAD_REQUEST, "role: inspector, supervisor or admin")) };
    let new = NewPerson {
        name,
        role: Some(role),
        department: form.department.trim().into(),
        district: form.district.trim().into(),
        certificate: form.certificate.trim().into(),
    };
    let Some(person) = state.store.add_person(&new, now_millis()).await? else {
        return Ok(error(StatusCode::CONFLICT, format!("{:?} is taken", new.name)));
    };
    let detail = format!("department {:?}, district {:?}, certificate {:?}", person.department, person.district, person.certificate);
    state.store.audit(&entry(principal.person(), "person-added", &person.label(), detail, &peer.0)).await?;
    Ok(Redirect::to("/office/people").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChangePerson {
    csrf: String,
    role: String,
    department: String,
    district: String,
    certificate: String,
}

/// `POST /office/people/{id}`: role, scope and certificate; the audit line says what changed.
pub async fn change_person(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Path(id): Path<String>,
    Form(form): Form<ChangePerson>,
) -> Result<Response, StoreError> {
    if let Some(refused) = forged(csrf.as_ref().map(|Extension(c)| c), &form.csrf) {
        return Ok(refused);
    }
    let Some(role) = Role::parse(&form.role) else { return Ok(error(StatusCode::BAD_REQUEST, "role: inspector, supervisor or admin")) };
    if principal.person().is_some_and(|p| p.id == id) && role != Role::Admin {
        return Ok(error(StatusCode::CONFLICT, "an admin cannot take away their own admin role"));
    }
    let Some(before) = state.store.person(&id).await? else { return Ok(error(StatusCode::NOT_FOUND, "no such person")) };
    let after = Person {
        role,
        department: form.department.trim().into(),
        district: form.district.trim().into(),
        certificate: form.certificate.trim().into(),
        ..before.clone()
    };
    let changes = person_changes(&before, &after);
    if !changes.is_empty() {
        state.store.update_person(&after).await?;
        state.store.audit(&entry(principal.person(), "person-changed", &after.label(), changes.join("; "), &peer.0)).await?;
    }
    Ok(Redirect::to("/office/people").into_response())
}

/// What changed, `field: "old" -> "new"` each, for the audit.
pub fn person_changes(before: &Person, after: &Person) -> Vec<String> {
    let fields = [
        ("role", before.role.as_str(), after.role.as_str()),
        ("department", before.department.as_str(), after.department.as_str()),
        ("district", before.district.as_str(), after.district.as_str()),
        ("certificate", before.certificate.as_str(), after.certificate.as_str()),
    ];
    fields.iter().filter(|(_, old, new)| old != new).map(|(name, old, new)| format!("{name}: {old:?} -> {new:?}")).collect()
}

/// `POST /office/people/{id}/link`: a one-time sign-in link, shown once, with its QR code.
pub async fn issue_link(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, StoreError> {
    let csrf = csrf.map(|Extension(c)| c);
    if let Some(refused) = forged(csrf.as_ref(), &form.csrf) {
        return Ok(refused);
    }
    let base = state.public_url.clone().unwrap_or_else(|| {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1");
        format!("http://{host}")
    });
    let Some(person) = state.store.person(&id).await?.filter(|p| p.active) else {
        return Ok(error(StatusCode::NOT_FOUND, "no such active person"));
    };
    let link = sign_in_link(&state.store, &person, &base, entry(principal.person(), "", "", String::new(), &peer.0)).await?;
    let qr = qr_svg(&link);
    let body = html! {
        h1 { (say("登录链接: ", "Sign-in link for: ")) (Visible(&person.name)) }
        p { (say("仅可使用一次，24小时内有效。", "Good once, for 24 hours.")) }
        @if person.role == Role::Inspector {
            p { (say("用检查人员的手机扫描二维码。", "Open it with the inspector's phone camera: the app signs the phone in.")) }
        } @else {
            p { (say("打开链接设置密码。", "Open it to choose a password.")) }
        }
        div.qr { (PreEscaped(qr)) }
        p { a href=(link) data-testid="sign-in-link" { (link) } }
        p { a href="/office/people" { (say("← 人员", "← People")) } }
    };
    Ok(office_page(&format!("Safewalk — {}", say("登录链接", "Sign-in link")), &principal, csrf.as_ref(), body))
}

/// The link as a QR code, SVG (no script, no style: the office CSP holds).
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

/// `POST /office/people/{id}/deactivate`: no more sign-in or uploads; every token revoked,
/// every session ended.
pub async fn deactivate(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, StoreError> {
    if let Some(refused) = forged(csrf.as_ref().map(|Extension(c)| c), &form.csrf) {
        return Ok(refused);
    }
    if principal.person().is_some_and(|p| p.id == id) {
        return Ok(error(StatusCode::CONFLICT, "an admin cannot deactivate themselves"));
    }
    let Some(mut person) = state.store.person(&id).await? else { return Ok(error(StatusCode::NOT_FOUND, "no such person")) };
    person.active = false;
    state.store.update_person(&person).await?;
    state.store.revoke_all_of(&person.id, now_millis()).await?;
    state.store.audit(&entry(principal.person(), "person-deactivated", &person.label(), String::new(), &peer.0)).await?;
    Ok(Redirect::to("/office/people").into_response())
}

/// `POST /office/tokens/{id}/revoke`.
pub async fn revoke(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, StoreError> {
    if let Some(refused) = forged(csrf.as_ref().map(|Extension(c)| c), &form.csrf) {
        return Ok(refused);
    }
    let Some(person_id) = state.store.revoke_token(&id, now_millis()).await? else {
        return Ok(error(StatusCode::NOT_FOUND, "no live token with this id"));
    };
    let subject = state.store.person(&person_id).await?.map(|p| p.label()).unwrap_or(person_id);
    state.store.audit(&entry(principal.person(), "token-revoked", &subject, format!("token {id}"), &peer.0)).await?;
    Ok(Redirect::to("/office/people").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditPage {
    offset: u64,
}

const AUDIT_PAGE: u64 = 200;

/// `GET /office/audit`: newest first, 200 a page.
pub async fn audit_page(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(page): Query<AuditPage>,
) -> Response {
    let offset = page.offset.min(i64::MAX as u64);
    let entries = match state.store.audit_entries(offset, AUDIT_PAGE).await {
        Ok(entries) => entries,
        Err(e) => return e.into_response(),
    };
    let csrf = csrf.map(|Extension(c)| c);
    let body = html! {
        h1 { (say("审计记录", "Audit trail")) }
        p { a href="/office/audit.csv" { "CSV" } }
        (wide(say("审计记录", "Audit trail"), html! {
            table {
                tr { th { "#" } th { (say("时间", "When")) } th { (say("操作人", "Who")) } th { (say("操作", "What")) } th { (say("对象", "On")) } th { (say("详情", "Detail")) } th { (say("来源", "From")) } }
                @for e in &entries {
                    tr { td { (e.seq) } td { (date_time(e.at)) } td { (Visible(&e.actor)) } td { (e.action) } td { (Visible(&e.subject)) } td { (Visible(&e.detail)) } td { (e.address) } }
                }
            }
        }))
        @if entries.len() as u64 == AUDIT_PAGE {
            p { a href={ "/office/audit?offset=" (offset + AUDIT_PAGE) } { (say("更早 →", "Older →")) } }
        }
    };
    office_page(&format!("Safewalk — {}", say("审计记录", "Audit trail")), &principal, csrf.as_ref(), body)
}

/// `GET /office/audit.csv`: the whole trail, oldest first, formula-safe cells.
pub async fn audit_csv(State(state): State<Arc<AppState>>) -> Response {
    let mut all: Vec<AuditEntry> = Vec::new();
    let mut offset = 0;
    loop {
        match state.store.audit_entries(offset, 1000).await {
            Ok(batch) if batch.is_empty() => break,
            Ok(batch) => {
                offset += batch.len() as u64;
                all.extend(batch);
            }
            Err(e) => return e.into_response(),
        }
    }
    all.reverse();
    let rows = all.iter().map(|e| {
        [
            e.seq.to_string(),
            e.at.to_string(),
            e.actor.clone(),
            e.actor_id.clone().unwrap_or_default(),
            e.action.clone(),
            e.subject.clone(),
            e.detail.clone(),
            e.address.clone(),
        ]
    });
    csv_download(&["seq", "at", "actor", "actor_id", "action", "subject", "detail", "address"], rows, None)
}
