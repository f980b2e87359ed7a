//! The office's tasks (issue 14): the list (paged, filtered by state, inspector, district and
//! due date), a task's page, the form that assigns one (site, checklist, inspectors, due date,
//! note) and the withdrawal. A supervisor sees and assigns the tasks of the sites in their
//! scope, sending inspectors of their scope; an admin any. Every change is audited.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use safewalk_core::catalogue::library::Library;
use safewalk_core::dates::is_valid_date;
use serde::Deserialize;

use super::admin::{csrf_field, forged};
use super::frame::{csrf_of, office_page, pager};
use super::language::{current, say};
use super::peer::Peer;
use super::sign_in::CsrfOnly;
use super::sign_in::{entry, Csrf};
use super::sites::{in_scope, scope, sector_name};
use super::{error, now_millis};
use crate::html::{date_time, wide, Visible};
use crate::people::{new_id, Person, Principal};
use crate::store::tasks::{NewTask, Task, TaskFilter};
use crate::store::StoreError;
use crate::sync::kind_word;
use crate::tasks::{date_of, kind_label, may_send, shown_state, State as TaskState};
use crate::AppState;
use safewalk_core::assignment::pull::TaskKind;
use safewalk_core::Lang;

/// Tasks a page.
pub const TASKS_PAGE: u64 = 50;

/// The longest note a task takes, in characters.
pub const NOTE_LIMIT: usize = 2000;

/// The sites the assign form offers when none is chosen (a site's page links the form with
/// its site chosen).
const SITES_OFFERED: u64 = 500;

/// Why a form was refused: a heading and each problem (both languages).
pub(super) fn refusal(heading: &str, problems: &[String]) -> Markup {
    html! {
        @if !problems.is_empty() {
            h2.hazard { (heading) }
            ul { @for p in problems { li { (p) } } }
        }
    }
}

/// The library's checklists to choose from (a task's, a draw's), `selected` chosen.
pub(super) fn checklist_select(library: &Library, selected: &str) -> Markup {
    html! {
        select name="template" required {
            option value="" { (say("— 请选择 —", "— Choose —")) }
            @for t in library.latest() {
                option value=(t.id) selected[t.id == selected] { (t.title.get(current().lang)) }
            }
        }
    }
}

/// A state in both languages, overdue marked.
pub(super) fn state_label(state: TaskState) -> Markup {
    html! {
        @if state == TaskState::Overdue { strong.hazard { (state.label(current().lang)) } }
        @else { (state.label(current().lang)) }
    }
}

/// The active inspectors `principal` may send, by name.
pub(super) async fn sendable(state: &AppState, principal: &Principal) -> Result<Vec<Person>, StoreError> {
    Ok(state.store.people().await?.into_iter().filter(|p| may_send(principal, p)).collect())
}

/// The checklist a task names, by its title (both languages) when the library has it.
pub(super) fn checklist(library: &Library, id: &str) -> Markup {
    sector_name(library, id)
}

/// A task's kind in the office's language.
pub(super) fn kind_text(kind: TaskKind) -> String {
    let (zh, en) = kind_label(kind);
    say(zh, en).to_string()
}

fn names(task: &Task) -> String {
    task.inspectors.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(say("、", ", "))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    state: String,
    inspector: String,
    district: String,
    due_from: String,
    due_to: String,
    /// A site id: its tasks only (linked from the site's page).
    site: String,
    offset: u64,
}

/// `GET /office/tasks`.
pub async fn list(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(query): Query<ListQuery>,
) -> Result<Response, StoreError> {
    let (scope_department, scope_district) = scope(&principal);
    let date_or_empty = |d: &str| if is_valid_date(d.trim()) { d.trim().to_string() } else { String::new() };
    let filter = TaskFilter {
        scope_department,
        scope_district,
        state: TaskState::parse(&query.state),
        inspector: query.inspector.trim().to_string(),
        district: query.district.trim().to_string(),
        due_from: date_or_empty(&query.due_from),
        due_to: date_or_empty(&query.due_to),
        site: query.site.trim().to_string(),
        today: date_of(now_millis()),
        ..TaskFilter::default()
    };
    let offset = query.offset.min(i64::MAX as u64);
    let (tasks, total) = state.store.tasks(&filter, offset, TASKS_PAGE).await?;
    let districts = state.store.site_districts().await?;
    let inspectors: Vec<Person> =
        state.store.people().await?.into_iter().filter(|p| may_send(&principal, &Person { active: true, ..p.clone() })).collect();
    let library = &state.library;
    let page_link = |offset: u64| {
        let query = [
            ("state", filter.state.map(TaskState::as_str).unwrap_or("")),
            ("inspector", &filter.inspector),
            ("district", &filter.district),
            ("due_from", &filter.due_from),
            ("due_to", &filter.due_to),
            ("site", &filter.site),
        ];
        format!("/office/tasks?{}&offset={offset}", serde_urlencoded::to_string(query).unwrap_or_default())
    };
    let body = html! {
        h1 { (say("任务", "Tasks")) }
        p { a href="/office/tasks/new" { (say("派发任务", "Assign a task")) } " · " a href="/office/draws" { (say("双随机抽取", "Random draws")) } }
        form method="get" action="/office/tasks" {
            label { (say("状态 ", "State ")) select name="state" {
                option value="" { (say("全部", "All")) }
                @for s in TaskState::ALL { option value=(s.as_str()) selected[Some(s) == filter.state] { (s.label(current().lang)) } }
            } }
            " "
            label { (say("检查人员 ", "Inspector ")) select name="inspector" {
                option value="" { (say("全部", "All")) }
                @for p in &inspectors { option value=(p.id) selected[p.id == filter.inspector] { (Visible(&p.name)) } }
            } }
            " "
            label { (say("辖区 ", "District ")) select name="district" {
                option value="" { (say("全部", "All")) }
                @for d in &districts { option value=(d) selected[*d == filter.district] { (d) } }
            } }
            " "
            label { (say("期限自 ", "Due from ")) input type="date" name="due_from" value=(filter.due_from); }
            " "
            label { (say("至 ", "to ")) input type="date" name="due_to" value=(filter.due_to); }
            input type="hidden" name="site" value=(filter.site);
            " " button type="submit" { (say("查找", "Search")) }
        }
        p { (total) (say(" 项任务", " tasks")) }
        (wide(say("任务", "Tasks"), html! {
            table {
                tr { th { (say("编号", "Number")) } th { (say("类型", "Kind")) } th { (say("场所", "Site")) } th { (say("检查表", "Checklist")) } th { (say("检查人员", "Inspectors")) } th { (say("期限", "Due")) } th { (say("状态", "State")) } }
                @for task in &tasks {
                    tr {
                        td { a href={ "/office/tasks/" (task.id) } { (task.number()) } }
                        td { (kind_text(task.kind)) }
                        td { a href={ "/office/sites/" (task.site_id) } { (Visible(&task.site_name)) } br; small { (Visible(&task.site_district)) } }
                        td { (checklist(library, &task.template_id)) }
                        td { (Visible(&names(task))) }
                        td { (task.due) }
                        td { (state_label(shown_state(task.state, &task.due, &filter.today))) }
                    }
                }
            }
        }))
        (pager(offset, TASKS_PAGE, total, page_link))
    };
    Ok(office_page(&format!("Safewalk — {}", say("任务", "Tasks")), &principal, csrf_of(&csrf), body))
}

/// `GET /office/tasks/{id}`: 404 alike for a task whose site is out of scope.
pub async fn detail(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Path(id): Path<String>,
) -> Result<Response, StoreError> {
    let Some(task) = visible_task(&state, &principal, &id).await? else {
        return Ok(error(StatusCode::NOT_FOUND, "no such task 没有这个任务"));
    };
    let shown = shown_state(task.state, &task.due, &date_of(now_millis()));
    let csrf = csrf_of(&csrf);
    let link = state.store.task_link(&task.id).await?;
    let certificates = {
        let mut found = Vec::new();
        for (id, _) in &task.inspectors {
            found.push(state.store.person(id).await?.map(|p| p.certificate).unwrap_or_default());
        }
        found
    };
    let body = html! {
        p { a href="/office/tasks" { (say("← 任务", "← Tasks")) } }
        h1 { (say("任务 ", "Task ")) (task.number()) }
        table {
            tr { th { (say("状态", "State")) } td { (state_label(shown)) } }
            tr { th { (say("类型", "Kind")) } td { (kind_text(task.kind)) } }
            tr { th { (say("场所", "Site")) } td { a href={ "/office/sites/" (task.site_id) } { (Visible(&task.site_name)) } } }
            tr { th { (say("辖区", "District")) } td { (Visible(&task.site_district)) } }
            tr { th { (say("检查表", "Checklist")) } td { (checklist(&state.library, &task.template_id)) } }
            tr { th { (say("检查人员", "Inspectors")) } td {
                @for ((_, name), certificate) in task.inspectors.iter().zip(&certificates) {
                    div { (Visible(name)) @if !certificate.is_empty() { " · " small { (say("执法证号 ", "Certificate ")) (Visible(certificate)) } } }
                }
            } }
            tr { th { (say("期限", "Due")) } td { (task.due) } }
            tr { th { (say("备注", "Note")) } td { (Visible(&task.note)) } }
            tr { th { (say("派发", "Assigned")) } td { (date_time(task.created_at)) " · " (Visible(&task.created_by_name)) } }
            @if let Some(draw) = &task.draw_id {
                tr { th { (say("来源", "From")) } td { a href={ "/office/draws/" (draw) } { (say("双随机抽取", "Random draw")) } } }
            }
            @if let Some(at) = task.withdrawn_at { tr { th { (say("撤回", "Withdrawn")) } td { (date_time(at)) } } }
            @if let Some(link) = &link { (super::task_flags::of_task(link)) }
        }
        @if task.state.withdrawable() {
            form method="post" action={ "/office/tasks/" (task.id) "/withdraw" } {
                (csrf_field(csrf))
                p { button type="submit" { (say("撤回任务", "Withdraw the task")) } }
            }
        }
    };
    Ok(office_page(&format!("Safewalk — {} {}", say("任务", "Task"), task.number()), &principal, csrf, body))
}

/// The task, when its site is in the principal's scope.
async fn visible_task(state: &AppState, principal: &Principal, id: &str) -> Result<Option<Task>, StoreError> {
    let Some(task) = state.store.task(id).await? else { return Ok(None) };
    let site = state.store.site(&task.site_id).await?;
    Ok(site.filter(|s| in_scope(principal, s)).map(|_| task))
}

/// What the assign form holds, as typed (kept when it is refused).
#[derive(Default)]
struct AssignForm {
    csrf: String,
    site: String,
    template: String,
    inspectors: Vec<String>,
    due: String,
    note: String,
    kind: String,
}

impl AssignForm {
    /// From the posted pairs (the inspectors' checkboxes repeat one name).
    fn from_pairs(pairs: Vec<(String, String)>) -> AssignForm {
        let mut form = AssignForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => form.csrf = value,
                "site" => form.site = value.trim().to_string(),
                "template" => form.template = value.trim().to_string(),
                "inspector" if !value.trim().is_empty() && !form.inspectors.contains(&value) => form.inspectors.push(value),
                "due" => form.due = value.trim().to_string(),
                "note" => form.note = value.trim().to_string(),
                "kind" => form.kind = value.trim().to_string(),
                _ => {}
            }
        }
        form
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    site: String,
}

async fn assign_page(
    state: &AppState,
    principal: &Principal,
    csrf: Option<&Csrf>,
    form: &AssignForm,
    problems: &[String],
) -> Result<Markup, StoreError> {
    let (scope_department, scope_district) = scope(principal);
    let filter = crate::store::sites::SiteFilter { scope_department, scope_district, ..Default::default() };
    let chosen = match form.site.as_str() {
        "" => None,
        id => state.store.site(id).await?.filter(|s| in_scope(principal, s)),
    };
    let (offered, in_scope_count) = match &chosen {
        Some(site) => (vec![site.clone()], 1),
        None => state.store.sites(&filter, 0, SITES_OFFERED).await?,
    };
    let inspectors = sendable(state, principal).await?;
    let template = match (&chosen, form.template.as_str()) {
        (Some(site), "") => site.sectors.first().cloned().unwrap_or_default(),
        (_, t) => t.to_string(),
    };
    Ok(html! {
        p { a href="/office/tasks" { (say("← 任务", "← Tasks")) } }
        h1 { (say("派发任务", "Assign a task")) }
        (refusal(say("未派发", "Not assigned"), problems))
        form method="post" action="/office/tasks" {
            (csrf_field(csrf))
            p { label { (say("场所", "Site")) br; select name="site" required {
                @if chosen.is_none() { option value="" { (say("— 请选择 —", "— Choose —")) } }
                @for s in &offered { option value=(s.id) selected[s.id == form.site] { (Visible(&s.name)) " · " (Visible(&s.address)) } }
            } } }
            @if in_scope_count > offered.len() as u64 {
                p { small { @match current().lang {
                    Lang::Zh => { "只列出按名称排序的前 " (SITES_OFFERED) " 个场所；其他场所请从场所页面派发。" },
                    Lang::En => { "Only the first " (SITES_OFFERED) " sites by name are listed: assign the others from their site's page." },
                } } }
            }
            p { label { (say("检查表", "Checklist")) br; (checklist_select(&state.library, &template)) } }
            p { label { (say("类型", "Kind")) br; select name="kind" {
                @for kind in [TaskKind::Inspection, TaskKind::ReInspection] {
                    option value=(kind_word(kind)) selected[kind_word(kind) == form.kind] { (kind_text(kind)) }
                }
            } } }
            fieldset {
                legend { (say("检查人员（通常两名）", "Inspectors (usually two)")) }
                @if inspectors.is_empty() { p { (say("您的范围内没有检查人员。", "No inspectors in your scope.")) } }
                @for p in &inspectors {
                    label { input type="checkbox" name="inspector" value=(p.id) checked[form.inspectors.contains(&p.id)];
                        " " (Visible(&p.name)) @if !p.certificate.is_empty() { " " small { "(" (Visible(&p.certificate)) ")" } } }
                    br;
                }
            }
            p { label { (say("期限", "Due")) br; input type="date" name="due" value=(form.due) required; } }
            p { label { (say("备注", "Note")) br; textarea name="note" rows="3" cols="60" maxlength=(NOTE_LIMIT) { (form.note) } } }
            p { button type="submit" { (say("派发", "Assign")) } }
        }
    })
}

/// `GET /office/tasks/new` (`?site=` chooses the site).
pub async fn new_form(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(query): Query<NewQuery>,
) -> Result<Response, StoreError> {
    let csrf = csrf_of(&csrf);
    let form = AssignForm { site: query.site.trim().to_string(), ..AssignForm::default() };
    let body = assign_page(&state, &principal, csrf, &form, &[]).await?;
    Ok(office_page(&format!("Safewalk — {}", say("派发任务", "Assign a task")), &principal, csrf, body))
}

/// What is wrong with a due date for new tasks on `today` (both languages), if anything.
pub(super) fn due_problem(due: &str, today: &str) -> Option<String> {
    if !is_valid_date(due) {
        Some(match current().lang {
            Lang::Zh => format!("期限不是有效日期（YYYY-MM-DD）：{due:?}"),
            Lang::En => format!("The due date is not a date (YYYY-MM-DD): {due:?}"),
        })
    } else if due < today {
        Some(match current().lang {
            Lang::Zh => format!("期限 {due} 已过"),
            Lang::En => format!("The due date {due} has passed"),
        })
    } else {
        None
    }
}

/// What is wrong with a note, if anything.
pub(super) fn note_problem(note: &str) -> Option<String> {
    let too_long = note.chars().count() > NOTE_LIMIT;
    let hidden = note.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t');
    (too_long || hidden).then(|| match current().lang {
        Lang::Zh => format!("备注最多 {NOTE_LIMIT} 个字符，且不含控制字符"),
        Lang::En => format!("A note has at most {NOTE_LIMIT} characters and no control characters"),
    })
}

/// `POST /office/tasks`: checked whole (site and inspectors in scope, a checklist of the
/// library, a due date not passed); refused with the form as typed and every problem (422),
/// a site out of scope as not found (404); else stored, audited, and its page shown.
pub async fn assign(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, StoreError> {
    let csrf = csrf_of(&csrf);
    let form = AssignForm::from_pairs(pairs);
    if let Some(refused) = forged(csrf, &form.csrf) {
        return Ok(refused);
    }
    let now = now_millis();
    let site = match form.site.as_str() {
        "" => None,
        id => state.store.site(id).await?,
    };
    let site = match site {
        Some(site) if in_scope(&principal, &site) => Some(site),
        Some(_) => return Ok(error(StatusCode::NOT_FOUND, "no such site 没有这个场所")),
        None => None,
    };
    let mut problems = Vec::new();
    if site.is_none() {
        problems.push(say("请选择场所", "Choose a site").to_string());
    }
    if !state.library.latest().into_iter().any(|t| t.id == form.template) {
        problems.push(match current().lang {
            Lang::Zh => format!("检查表库中没有该检查表：{:?}", form.template),
            Lang::En => format!("No such checklist in the library: {:?}", form.template),
        });
    }
    let mut team: Vec<Person> = Vec::new();
    for id in &form.inspectors {
        match state.store.person(id).await?.filter(|p| may_send(&principal, p)) {
            Some(p) => team.push(p),
            None => problems.push(match current().lang {
                Lang::Zh => format!("检查人员不存在、已停用或不在您的范围内：{id}"),
                Lang::En => format!("No active inspector of your scope has this id: {id}"),
            }),
        }
    }
    if form.inspectors.is_empty() {
        problems.push(say("请至少选择一名检查人员", "Choose at least one inspector").to_string());
    }
    problems.extend(due_problem(&form.due, &date_of(now)));
    problems.extend(note_problem(&form.note));
    let kind = match form.kind.as_str() {
        "" => TaskKind::Inspection,
        word => match [TaskKind::Inspection, TaskKind::ReInspection].into_iter().find(|k| kind_word(*k) == word) {
            Some(kind) => kind,
            None => {
                problems.push(match current().lang {
                    Lang::Zh => format!("没有这种任务类型：{word:?}"),
                    Lang::En => format!("No such kind of task: {word:?}"),
                });
                TaskKind::Inspection
            }
        },
    };
    let (Some(site), true) = (site, problems.is_empty()) else {
        let body = assign_page(&state, &principal, csrf, &form, &problems).await?;
        let page = office_page(&format!("Safewalk — {}", say("派发任务", "Assign a task")), &principal, csrf, body);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let task = NewTask {
        id: new_id(),
        site_id: site.id.clone(),
        template_id: form.template.clone(),
        inspectors: team.iter().map(|p| p.id.clone()).collect(),
        due: form.due.clone(),
        note: form.note.clone(),
        created_by: principal.person_id().map(str::to_string),
        kind,
    };
    state.store.add_tasks(std::slice::from_ref(&task), None, now).await?;
    let Some(stored) = state.store.task(&task.id).await? else {
        return Err(StoreError::Vanished { what: format!("task {}", task.id) });
    };
    let detail = format!(
        "{}, site {:?}, checklist {:?}, inspectors {:?}, due {}",
        kind_word(kind),
        site.name,
        task.template_id,
        team.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        task.due
    );
    state.store.audit(&entry(principal.person(), "task-assigned", &format!("task {}", stored.number()), detail, &peer.0)).await?;
    Ok(Redirect::to(&format!("/office/tasks/{}", task.id)).into_response())
}

/// `POST /office/tasks/{id}/withdraw`: an assigned or taken task is withdrawn (audited); a
/// delivered or withdrawn one cannot be (409).
pub async fn withdraw(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, StoreError> {
    if let Some(refused) = forged(csrf_of(&csrf), &form.csrf) {
        return Ok(refused);
    }
    let Some(task) = visible_task(&state, &principal, &id).await? else {
        return Ok(error(StatusCode::NOT_FOUND, "no such task 没有这个任务"));
    };
    let now = now_millis();
    if !state.store.withdraw_task(&task.id, now).await? {
        let shown = shown_state(task.state, &task.due, &date_of(now));
        return Ok(error(
            StatusCode::CONFLICT,
            format!("任务{}，不能撤回 · The task is {} and cannot be withdrawn", shown.zh(), shown.en().to_lowercase()),
        ));
    }
    let detail = format!("site {:?}, was {}", task.site_name, task.state.as_str());
    state.store.audit(&entry(principal.person(), "task-withdrawn", &format!("task {}", task.number()), detail, &peer.0)).await?;
    Ok(Redirect::to(&format!("/office/tasks/{}", task.id)).into_response())
}
