//! The random draw at the office (双随机、一公开, issue 14): the form (the pool of sites cut by
//! sector and district within the drawer's scope, how many sites, how many inspectors each,
//! the checklist and due date of the tasks it makes), the draw itself ([`crate::draw`]),
//! recorded with its seed and pools and turned into tasks in one transaction, and its
//! publication: a page and a CSV that anyone in the office may open, the page checking that
//! the record replays to the same pairs.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use safewalk_core::Lang;
use serde::Deserialize;

use super::admin::{csrf_field, forged};
use super::csv_download::csv_download;
use super::frame::{csrf_of, office_page};
use super::language::{current, say};
use super::peer::Peer;
use super::sign_in::{entry, Csrf};
use super::sites::scope;
use super::tasks::{checklist, checklist_select, due_problem, note_problem, refusal, sendable, state_label};
use super::{error, now_millis};
use crate::draw::{draw, new_seed, ALGORITHM};
use crate::html::{date_time, wide, Visible};
use crate::people::{new_id, Principal};
use crate::store::sites::SiteFilter;
use crate::store::tasks::{DrawFilters, DrawRecord, NewTask, Task, TaskFilter};
use crate::store::StoreError;
use crate::tasks::{date_of, shown_state};
use crate::AppState;

/// Draws a page of the list.
const DRAWS_PAGE: u64 = 50;

/// Every site a pool may hold (the store's lists are paged; a pool is not).
const ALL: u64 = i64::MAX as u64;

/// The draw form as typed (kept when it is refused).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DrawForm {
    csrf: String,
    sector: String,
    district: String,
    sites: String,
    per_site: String,
    template: String,
    due: String,
    note: String,
    /// Empty: a fresh one from the operating system. A seed announced beforehand (a public
    /// lottery's number) may be typed.
    seed: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    offset: u64,
}

fn draw_form(state: &AppState, csrf: Option<&Csrf>, form: &DrawForm, districts: &[String], problems: &[String]) -> Markup {
    let per_site = if form.per_site.is_empty() { "2" } else { &form.per_site };
    html! {
        h2 { (say("新的抽取", "A new draw")) }
        (refusal(say("未抽取", "Not drawn"), problems))
        form method="post" action="/office/draws" {
            (csrf_field(csrf))
            p { (say("场所库：您范围内的场所，按行业和辖区筛选 ", "The pool of sites: the sites of your scope, cut by sector and district. "))
                (say("人员库：您范围内的在职检查人员", "The pool of inspectors: the active inspectors of your scope.")) }
            p {
                label { (say("行业 ", "Sector ")) select name="sector" {
                    option value="" { (say("全部", "All")) }
                    @for t in state.library.latest() { option value=(t.id) selected[t.id == form.sector] { (t.title.get(current().lang)) } }
                } }
                " "
                label { (say("辖区 ", "District ")) select name="district" {
                    option value="" { (say("全部", "All")) }
                    @for d in districts { option value=(d) selected[*d == form.district] { (d) } }
                } }
            }
            p {
                label { (say("抽取场所数 ", "Sites to draw ")) input type="number" name="sites" min="1" value=(form.sites) required; }
                " "
                label { (say("每个场所检查人员数 ", "Inspectors per site ")) input type="number" name="per_site" min="1" value=(per_site) required; }
            }
            p { label { (say("检查表 ", "Checklist ")) (checklist_select(&state.library, &form.template)) } }
            p { label { (say("期限 ", "Due ")) input type="date" name="due" value=(form.due) required; } }
            p { label { (say("备注", "Note")) br; textarea name="note" rows="2" cols="60" { (form.note) } } }
            p { label { (say("随机种子（可留空） ", "Seed (leave empty for a fresh one) ")) input name="seed" value=(form.seed) inputmode="numeric"; } }
            p { button type="submit" { (say("抽取并派发", "Draw and assign")) } }
        }
    }
}

async fn draws_page(
    state: &AppState,
    principal: &Principal,
    csrf: Option<&Csrf>,
    form: &DrawForm,
    problems: &[String],
    offset: u64,
) -> Result<Response, StoreError> {
    let draws = state.store.draws(offset, DRAWS_PAGE).await?;
    let districts = state.store.site_districts().await?;
    let body = html! {
        p { a href="/office/tasks" { (say("← 任务", "← Tasks")) } }
        h1 { (say("双随机抽取", "Random draws")) }
        (draw_form(state, csrf, form, &districts, problems))
        h2 { (say("已公开的抽取", "Published draws")) }
        table {
            tr { th { (say("时间", "When")) } th { (say("抽取人", "Drawn by")) } th { (say("场所数", "Sites")) } }
            @for (id, at, who, sites) in &draws {
                tr { td { a href={ "/office/draws/" (id) } { (date_time(*at)) } } td { (Visible(who)) } td { (sites) } }
            }
        }
        @if draws.len() as u64 == DRAWS_PAGE { p { a href={ "/office/draws?offset=" (offset + DRAWS_PAGE) } { (say("更早 →", "Older →")) } } }
    };
    Ok(office_page(&format!("Safewalk — {}", say("双随机抽取", "Random draws")), principal, csrf, body))
}

/// `GET /office/draws`: the form and the draws made, newest first.
pub async fn list(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(query): Query<ListQuery>,
) -> Result<Response, StoreError> {
    draws_page(&state, &principal, csrf_of(&csrf), &DrawForm::default(), &[], query.offset.min(i64::MAX as u64)).await
}

/// A count typed in the form: a whole number from 1.
fn count(text: &str, zh: &str, en: &str, problems: &mut Vec<String>) -> usize {
    match text.trim().parse::<usize>() {
        Ok(n) if n > 0 => n,
        _ => {
            problems.push(match current().lang {
                Lang::Zh => format!("{zh}应为正整数：{text:?}"),
                Lang::En => format!("{en} is a whole number from 1: {text:?}"),
            });
            0
        }
    }
}

/// `POST /office/draws`: the pools from the filters and the scope, the draw from a seed, then
/// the record and its tasks in one transaction, audited; the draw's page shown. Anything
/// wrong (a pool smaller than asked among it): the form again with the problems (422).
pub async fn make(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    peer: Peer,
    Form(form): Form<DrawForm>,
) -> Result<Response, StoreError> {
    let csrf = csrf_of(&csrf);
    if let Some(refused) = forged(csrf, &form.csrf) {
        return Ok(refused);
    }
    let now = now_millis();
    let mut problems = Vec::new();
    let n = count(&form.sites, "抽取场所数", "Sites to draw", &mut problems);
    let k = count(&form.per_site, "每个场所检查人员数", "Inspectors per site", &mut problems);
    if !state.library.latest().into_iter().any(|t| t.id == form.template.trim()) {
        problems.push(match current().lang {
            Lang::Zh => format!("检查表库中没有该检查表：{:?}", form.template),
            Lang::En => format!("No such checklist in the library: {:?}", form.template),
        });
    }
    problems.extend(due_problem(form.due.trim(), &date_of(now)));
    problems.extend(note_problem(form.note.trim()));
    let seed = match form.seed.trim() {
        "" => new_seed().map_err(StoreError::Database)?,
        typed => typed.parse::<u64>().unwrap_or_else(|_| {
            problems.push(match current().lang {
                Lang::Zh => format!("随机种子应为 0 到 {} 的整数", u64::MAX),
                Lang::En => format!("A seed is a whole number from 0 to {}", u64::MAX),
            });
            0
        }),
    };
    let (scope_department, scope_district) = scope(&principal);
    let filters =
        DrawFilters { sector: form.sector.trim().into(), district: form.district.trim().into(), scope_department, scope_district };
    let site_filter = SiteFilter {
        scope_department: filters.scope_department.clone(),
        scope_district: filters.scope_district.clone(),
        district: filters.district.clone(),
        sector: filters.sector.clone(),
        text: String::new(),
    };
    let site_pool = state.store.site_ids(&site_filter).await?;
    let inspector_pool: Vec<String> = sendable(&state, &principal).await?.into_iter().map(|p| p.id).collect();
    let pairs = if problems.is_empty() {
        draw(seed, &site_pool, &inspector_pool, n, k).map_err(|e| problems.push(e.message(current().lang))).ok()
    } else {
        None
    };
    let Some(pairs) = pairs else {
        let page = draws_page(&state, &principal, csrf, &form, &problems, 0).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let record = DrawRecord {
        id: new_id(),
        algorithm: ALGORITHM.into(),
        seed,
        seed_typed: !form.seed.trim().is_empty(),
        filters,
        site_pool: crate::draw::canonical(&site_pool),
        inspector_pool: crate::draw::canonical(&inspector_pool),
        sites: n,
        per_site: k,
        result: pairs.clone(),
        template_id: form.template.trim().into(),
        due: form.due.trim().into(),
        note: form.note.trim().into(),
        created_by: principal.person_id().map(str::to_string),
        created_by_name: String::new(),
        created_at: now,
    };
    let tasks: Vec<NewTask> = pairs
        .iter()
        .map(|pair| NewTask {
            id: new_id(),
            site_id: pair.site.clone(),
            template_id: record.template_id.clone(),
            inspectors: pair.inspectors.clone(),
            due: record.due.clone(),
            note: record.note.clone(),
            created_by: record.created_by.clone(),
            // A draw (双随机) sends inspectors to inspect.
            kind: safewalk_core::assignment::pull::TaskKind::Inspection,
        })
        .collect();
    state.store.add_tasks(&tasks, Some(&record), now).await?;
    let detail = format!(
        "seed {seed} ({}), {n} of {} sites (sector {:?}, district {:?}), {k} of {} inspectors each, checklist {:?}, due {}",
        if record.seed_typed { "typed" } else { "fresh" },
        record.site_pool.len(),
        record.filters.sector,
        record.filters.district,
        record.inspector_pool.len(),
        record.template_id,
        record.due
    );
    state.store.audit(&entry(principal.person(), "draw-made", &format!("draw {}", record.id), detail, &peer.0)).await?;
    Ok(Redirect::to(&format!("/office/draws/{}", record.id)).into_response())
}

/// Whether the record replays to its result: the same algorithm, and the draw made again
/// from its seed and pools gives the same pairs.
pub fn reproduces(record: &DrawRecord) -> bool {
    record.algorithm == ALGORITHM
        && draw(record.seed, &record.site_pool, &record.inspector_pool, record.sites, record.per_site).is_ok_and(|p| p == record.result)
}

/// The draw's tasks in the order drawn (whoever's scope: the result is public).
async fn draw_tasks(state: &AppState, record: &DrawRecord) -> Result<Vec<Task>, StoreError> {
    let filter = TaskFilter { draw: record.id.clone(), today: date_of(now_millis()), ..TaskFilter::default() };
    let (mut tasks, _) = state.store.tasks(&filter, 0, ALL).await?;
    tasks.sort_by_key(|t| record.result.iter().position(|p| p.site == t.site_id));
    Ok(tasks)
}

/// `GET /office/draws/{id}`: the published draw, with the replay check.
pub async fn detail(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Path(id): Path<String>,
) -> Result<Response, StoreError> {
    let Some(record) = state.store.draw_record(&id).await? else {
        return Ok(error(StatusCode::NOT_FOUND, "no such draw 没有这次抽取"));
    };
    let tasks = draw_tasks(&state, &record).await?;
    let site_names = state.store.site_names(&record.site_pool).await?;
    let people: HashMap<String, String> = state.store.people().await?.into_iter().map(|p| (p.id, p.name)).collect();
    let name_in = |names: &HashMap<String, String>, id: &String| names.get(id).cloned().unwrap_or_else(|| format!("({id})"));
    let today = date_of(now_millis());
    let replayed = reproduces(&record);
    let body = html! {
        p { a href="/office/draws" { (say("← 双随机抽取", "← Random draws")) } }
        h1 { (say("双随机抽取结果", "Random draw")) }
        table {
            tr { th { (say("时间", "When")) } td { (date_time(record.created_at)) } }
            tr { th { (say("抽取人", "Drawn by")) } td { (Visible(&record.created_by_name)) } }
            tr { th { (say("随机种子", "Seed")) } td {
                code { (record.seed) } " "
                @if record.seed_typed { strong { (say("由抽取人输入", "typed by the drawer")) } }
                @else { small { (say("由系统随机产生", "fresh from the system's random source")) } }
            } }
            tr { th { (say("算法", "Algorithm")) } td { code { (record.algorithm) } } }
            tr { th { (say("行业", "Sector")) } td { @if record.filters.sector.is_empty() { (say("全部", "All")) } @else { (checklist(&state.library, &record.filters.sector)) } } }
            tr { th { (say("辖区", "District")) } td { @if record.filters.district.is_empty() { (say("全部", "All")) } @else { (Visible(&record.filters.district)) } } }
            tr { th { (say("范围", "Scope")) } td {
                @if record.filters.scope_department.is_empty() && record.filters.scope_district.is_empty() { (say("全部", "All")) }
                @else { (Visible(&record.filters.scope_department)) " " (Visible(&record.filters.scope_district)) }
            } }
            tr { th { (say("抽取", "Drawn")) } td {
                @match current().lang {
                    Lang::Zh => {
                        "从 " (record.site_pool.len()) " 个场所中抽取 " (record.sites) " 个" br;
                        "每个场所从 " (record.inspector_pool.len()) " 名检查人员中抽取 " (record.per_site) " 名"
                    },
                    Lang::En => {
                        (record.sites) " of " (record.site_pool.len()) " sites" br;
                        (record.per_site) " of " (record.inspector_pool.len()) " inspectors for each site"
                    },
                }
            } }
            tr { th { (say("检查表", "Checklist")) } td { (checklist(&state.library, &record.template_id)) } }
            tr { th { (say("期限", "Due")) } td { (record.due) } }
            tr { th { (say("复核", "Replay")) } td {
                @if replayed { strong data-replay="same" { (say("✓ 按记录重新抽取，结果一致", "Drawn again from the record: the same pairs")) } }
                @else { strong.hazard data-replay="differs" { (say("✗ 按记录重新抽取，结果不一致", "Drawn again from the record: different pairs")) } }
            } }
        }
        p { a href={ "/office/draws/" (record.id) "/csv" } { (say("下载结果 CSV", "The result as CSV")) } }
        (wide(say("抽取结果", "Result"), html! {
            table {
                tr { th { (say("任务", "Task")) } th { (say("场所", "Site")) } th { (say("检查人员", "Inspectors")) } th { (say("期限", "Due")) } th { (say("状态", "State")) } }
                @for task in &tasks {
                    tr {
                        td { a href={ "/office/tasks/" (task.id) } { (task.number()) } }
                        td { (Visible(&task.site_name)) }
                        td { (Visible(&task.inspectors.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(say("、", ", ")))) }
                        td { (task.due) }
                        td { (state_label(shown_state(task.state, &task.due, &today))) }
                    }
                }
            }
        }))
        details {
            summary { (say("场所库 (", "The pool of sites (")) (record.site_pool.len()) ")" }
            ol { @for id in &record.site_pool { li { (Visible(&name_in(&site_names, id))) " " small { code { (id) } } } } }
        }
        details {
            summary { (say("人员库 (", "The pool of inspectors (")) (record.inspector_pool.len()) ")" }
            ol { @for id in &record.inspector_pool { li { (Visible(&name_in(&people, id))) " " small { code { (id) } } } } }
        }
        p { small { (say("池按 id 排序后抽取；任何人可用种子和两个池重新抽取", "The pools are sorted by id before drawing; anyone can draw again from the seed and the two pools.")) } }
    };
    Ok(office_page(&format!("Safewalk — {}", say("双随机抽取", "Random draw")), &principal, csrf_of(&csrf), body))
}

/// `GET /office/draws/{id}/csv`: the result, one line a drawn site (task number, site,
/// address, district, checklist, inspectors and their certificates, due date), formula-safe.
pub async fn csv(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, StoreError> {
    let Some(record) = state.store.draw_record(&id).await? else {
        return Ok(error(StatusCode::NOT_FOUND, "no such draw 没有这次抽取"));
    };
    let tasks = draw_tasks(&state, &record).await?;
    let checklist = state
        .library
        .latest()
        .into_iter()
        .find(|t| t.id == record.template_id)
        .map(|t| format!("{} {}", t.title.get(Lang::Zh), t.title.get(Lang::En)))
        .unwrap_or_else(|| record.template_id.clone());
    let header = [
        "任务编号 task",
        "场所 site",
        "地址 address",
        "辖区 district",
        "检查表 checklist",
        "检查人员 inspectors",
        "执法证号 certificates",
        "期限 due",
    ];
    // Two queries for the whole result, not one a site and one an inspector.
    let addresses = state.store.draw_site_addresses(&record.id).await?;
    let certificates: HashMap<String, String> = state.store.people().await?.into_iter().map(|p| (p.id, p.certificate)).collect();
    let rows = tasks.iter().map(|task| {
        let certificates: Vec<&str> =
            task.inspectors.iter().map(|(person, _)| certificates.get(person).map(String::as_str).unwrap_or("")).collect();
        [
            task.number(),
            task.site_name.clone(),
            addresses.get(&task.site_id).cloned().unwrap_or_default(),
            task.site_district.clone(),
            checklist.clone(),
            task.inspectors.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("; "),
            if certificates.iter().all(|c| c.is_empty()) { String::new() } else { certificates.join("; ") },
            task.due.clone(),
        ]
    });
    Ok(csv_download(&header, rows, Some(&format!("draw-{}.csv", record.id))))
}
