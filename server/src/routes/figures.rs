//! The office's figures (issue 14): `GET /office/figures` shows, within the viewer's scope
//! (as the hazard register) and the filters (district, sector, date range; the last twelve
//! months by default), hazards found and closed per month, by sector and grade, the
//! rectification rate, the overdue count now and inspections per inspector, each as a table
//! and a chart drawn here ([`crate::chart`]). `/office/figures.csv?table=…` gives one table,
//! `/office/figures.xlsx` all of them, a sheet each. Everything in the office's language.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::{html, Markup};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use safewalk_core::Lang;
use serde::Deserialize;

use super::csv_download::csv_download;
use super::error;
use super::frame::{csrf_of, office_page};
use super::hazards::today;
use super::language::current;
use super::sign_in::Csrf;
use crate::chart::{bars, Bars, Series as ChartSeries};
use crate::figures::{day_of, months, say, series, tables, twelve_months_before, Cell, Series, Table, TABLES};
use crate::html::{wide, Visible};
use crate::people::Principal;
use crate::store::figures::{day_bounds, FiguresFilter};
use crate::store::StoreError;
use crate::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FiguresQuery {
    district: String,
    sector: String,
    /// `YYYY-MM-DD`, the first day counted (default: the first of the month eleven months ago).
    from: String,
    /// `YYYY-MM-DD`, the last day counted (default: today).
    to: String,
    /// The CSV's table: one of [`TABLES`].
    table: String,
}

/// The figures of a request: the filters understood, what was wrong with them, the series
/// and their tables.
struct Computed {
    from: String,
    to: String,
    problems: Vec<&'static str>,
    series: Series,
    tables: Vec<Table>,
}

impl FiguresQuery {
    /// The filters as a query string (without the table), for the export links.
    fn query_string(&self, from: &str, to: &str) -> String {
        let pairs = [("district", self.district.as_str()), ("sector", &self.sector), ("from", from), ("to", to)];
        serde_urlencoded::to_string(pairs.iter().filter(|(_, v)| !v.is_empty()).collect::<Vec<_>>()).unwrap_or_default()
    }
}

/// A date of the range as asked: empty is the default, anything but a date a problem.
fn date_or(asked: &str, default: i64, problem: &'static str, problems: &mut Vec<&'static str>) -> i64 {
    match asked.trim() {
        "" => default,
        date => day_of(date).unwrap_or_else(|| {
            problems.push(problem);
            default
        }),
    }
}

fn date_text(day: i64) -> String {
    safewalk_core::exchange::export::format_time(day.max(0) as u64 * crate::figures::DAY_MS as u64, 0).chars().take(10).collect()
}

/// The sector's name in `lang` when the library knows the template, else its id.
fn sector_name(state: &AppState, id: &str, lang: Lang) -> String {
    state.library.latest().into_iter().find(|t| t.id == id).map(|t| t.title.get(lang).to_string()).unwrap_or_else(|| id.to_string())
}

async fn compute(state: &AppState, principal: &Principal, query: &FiguresQuery, lang: Lang) -> Result<Computed, StoreError> {
    let today_text = today();
    let today = day_of(&today_text).unwrap_or(0);
    let mut problems = Vec::new();
    let mut first = date_or(
        &query.from,
        twelve_months_before(today),
        say(lang, "开始日期须为 YYYY-MM-DD", "The start must be a date YYYY-MM-DD"),
        &mut problems,
    );
    let mut last = date_or(&query.to, today, say(lang, "结束日期须为 YYYY-MM-DD", "The end must be a date YYYY-MM-DD"), &mut problems);
    if first > last {
        problems.push(say(
            lang,
            "开始日期晚于结束日期：已显示最近十二个月",
            "The start is after the end: the last twelve months are shown",
        ));
        (first, last) = (twelve_months_before(today), today);
    }
    let months = months(first, last);
    if (last - first) > 3660 {
        problems.push(say(lang, "最多显示十年：已截断", "At most ten years are shown: cut short"));
        last = first + 3660;
    }
    let (from, to) = day_bounds(first, last);
    let v = principal.visibility();
    let filter = FiguresFilter {
        submitter: v.submitter,
        scope_department: v.department,
        scope_district: v.district,
        district: query.district.trim().to_string(),
        sector: query.sector.trim().to_string(),
        from,
        to,
    };
    let unknown = say(lang, "未知（共享令牌或早期记录）", "Unknown (shared token or earlier records)");
    let counted = state.store.figures(&filter, &today_text, unknown).await?;
    let series = series(&counted, &months);
    let tables = tables(&series, lang, |id| sector_name(state, id, lang));
    Ok(Computed { from: date_text(first), to: date_text(last), problems, series, tables })
}

/// A figures table as HTML.
fn table_markup(t: &Table) -> Markup {
    wide(
        &t.title,
        html! {
            table {
                tr { @for h in &t.header { th scope="col" { (Visible(h)) } } }
                @for row in &t.rows {
                    tr { @for (n, c) in row.iter().enumerate() {
                        @if n == 0 { th scope="row" { (Visible(&c.text())) } } @else { td { (c.text()) } }
                    } }
                }
            }
        },
    )
}

/// The charts of one table.
fn charts(key: &str, s: &Series, t: &Table, lang: Lang) -> Markup {
    let empty = say(lang, "没有数据", "No data");
    let series = |name: &'static str, values: Vec<u64>| ChartSeries { name: name.to_string(), values };
    let chart = |title: &str, labels: &[String], list: &[ChartSeries], unit: &str, max: Option<u64>| {
        bars(&Bars { title, labels, series: list, unit, max, empty })
    };
    let first_column: Vec<String> = t.rows.iter().map(|r| r.first().map(Cell::text).unwrap_or_default()).collect();
    match key {
        "months" => {
            let rates = s.rates.iter().map(|r| r.percent().unwrap_or(0)).collect();
            html! {
                (chart(&t.title, &s.months, &[
                    series(say(lang, "发现", "Found"), s.found_general.iter().zip(&s.found_major).map(|(g, m)| g + m).collect()),
                    series(say(lang, "当月销号", "Closed in the month"), s.closed.clone()),
                ], "", None))
                (chart(say(lang, "每月整改率（当月发现的已销号）", "Rectification rate per month (found in the month, closed now)"),
                    &s.months, &[series(say(lang, "整改率", "Rectification rate"), rates)], "%", Some(100)))
            }
        }
        "sectors" => chart(
            &t.title,
            &first_column,
            &[
                series(say(lang, "一般隐患", "General"), s.sectors.iter().map(|x| x.1).collect()),
                series(say(lang, "重大隐患", "Major"), s.sectors.iter().map(|x| x.2).collect()),
            ],
            "",
            None,
        ),
        "overdue" => {
            let labels = [say(lang, "一般隐患", "General").to_string(), say(lang, "重大隐患", "Major").to_string()];
            chart(&t.title, &labels, &[series(say(lang, "逾期", "Overdue"), vec![s.overdue.0, s.overdue.1])], "", None)
        }
        _ => chart(
            &t.title,
            &first_column,
            &[series(say(lang, "检查数（合计）", "Inspections (total)"), s.inspectors.iter().map(|(_, c)| c.iter().sum()).collect())],
            "",
            None,
        ),
    }
}

/// `GET /office/figures`.
pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    csrf: Option<Extension<Csrf>>,
    Query(query): Query<FiguresQuery>,
) -> Result<Response, StoreError> {
    let lang = current().lang;
    let c = compute(&state, &principal, &query, lang).await?;
    let districts = state.store.site_districts().await?;
    let filters = query.query_string(&c.from, &c.to);
    let w = |zh, en| say(lang, zh, en);
    let all = w("全部", "All");
    let body = html! {
        h1 { (w("统计", "Figures")) }
        form method="get" action="/office/figures" {
            label { (w("辖区", "District")) " " select name="district" {
                option value="" selected[query.district.is_empty()] { (all) }
                @for d in &districts { option value=(d) selected[*d == query.district] { (Visible(d)) } }
            } }
            " "
            label { (w("行业", "Sector")) " " select name="sector" {
                option value="" selected[query.sector.is_empty()] { (all) }
                @for t in state.library.latest() { option value=(t.id) selected[t.id == query.sector] { (t.title.get(lang)) } }
            } }
            " "
            label { (w("自", "From")) " " input type="date" name="from" value=(c.from); }
            " "
            label { (w("至", "To")) " " input type="date" name="to" value=(c.to); }
            " " button type="submit" { (w("查看", "Show")) }
        }
        @if !c.problems.is_empty() {
            div.hazard role="alert" { ul { @for p in &c.problems { li { (p) } } } }
        }
        p {
            (c.from) " — " (c.to) " · "
            (w("月份按协调世界时（UTC）计算；整改率为当月发现的隐患中现已销号的比例。",
               "Months are UTC calendar months; a month's rectification rate is the share of the hazards found in it that are closed now."))
        }
        p.screen-only {
            a href={ "/office/figures.xlsx?" (filters) } download { (w("导出 Excel（XLSX，全部统计）", "Export Excel (XLSX, every figure)")) }
        }
        @for (key, t) in TABLES.iter().zip(&c.tables) {
            section {
                h2 { (t.title) }
                @if *key == "overdue" { p { small { (w("按今天（UTC）计，不受日期范围限制。", "As of today (UTC), whatever the date range.")) } } }
                (charts(key, &c.series, t, lang))
                (table_markup(t))
                p.screen-only { a href={ "/office/figures.csv?" (filters) "&table=" (key) } download { (w("导出 CSV", "Export CSV")) " · " (t.title) } }
            }
        }
    };
    Ok(office_page(&format!("Safewalk — {}", w("统计", "Figures")), &principal, csrf_of(&csrf), body))
}

/// `GET /office/figures.csv?table=…`: one table of the figures, its header first.
pub async fn csv(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<FiguresQuery>,
) -> Result<Response, StoreError> {
    let lang = current().lang;
    let Some(key) = TABLES.iter().find(|k| **k == query.table) else {
        let known = TABLES.join(", ");
        return Ok(error(StatusCode::BAD_REQUEST, format!("table must be one of {known} 表须为 {known} 之一")));
    };
    let c = compute(&state, &principal, &query, lang).await?;
    let Some(t) = c.tables.iter().find(|t| t.key == *key) else { return Ok(error(StatusCode::INTERNAL_SERVER_ERROR, "no such table")) };
    let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
    let rows = t.rows.iter().map(|row| row.iter().map(|cell| cell.text()).collect::<Vec<_>>());
    Ok(csv_download(&header, rows, Some(&format!("figures-{key}.csv"))))
}

/// The sheets' names (at most 31 characters, none of `[]:*?/\`).
fn sheet_name(key: &str, lang: Lang) -> &'static str {
    match key {
        "months" => say(lang, "每月隐患", "Per month"),
        "sectors" => say(lang, "行业与等级", "By sector"),
        "overdue" => say(lang, "逾期", "Overdue"),
        _ => say(lang, "检查人员", "Inspectors"),
    }
}

/// The tables as a workbook: a sheet each, the header row bold, counts as numbers and
/// rates as fractions formatted as percentages (empty when nothing was found).
pub fn workbook(tables: &[Table], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0%");
    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(t.key, lang))?;
        for (col, h) in t.header.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, h, &bold)?;
            sheet.set_column_width(col as u16, if col == 0 { 24 } else { 12 })?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (col, cell) in row.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(text) => sheet.write_string(r, col, text)?,
                    Cell::Count(n) => sheet.write_number(r, col, *n as f64)?,
                    Cell::Rate(rate) => match rate.fraction() {
                        Some(f) => sheet.write_number_with_format(r, col, f, &percent)?,
                        None => sheet.write_string(r, col, "—")?,
                    },
                };
            }
        }
    }
    book.save_to_buffer()
}

/// `GET /office/figures.xlsx`: every table of the figures, a sheet each.
pub async fn xlsx(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<FiguresQuery>,
) -> Result<Response, StoreError> {
    let lang = current().lang;
    let c = compute(&state, &principal, &query, lang).await?;
    Ok(match workbook(&c.tables, lang) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"figures.xlsx\""),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, format!("the workbook could not be written 无法生成工作簿: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::Rate;

    #[test]
    fn a_workbook_is_a_zip_with_a_sheet_per_table() {
        let table = |key| Table {
            key,
            title: "t".into(),
            header: vec!["Month".into(), "Found".into(), "Rate".into()],
            rows: vec![vec![Cell::Text("2026-01".into()), Cell::Count(3), Cell::Rate(Rate { closed: 1, found: 3 })]],
        };
        let tables: Vec<Table> = TABLES.iter().map(|k| table(k)).collect();
        let bytes = workbook(&tables, Lang::Zh).unwrap();
        assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");
        assert!(TABLES.iter().all(|k| !sheet_name(k, Lang::Zh).is_empty() && sheet_name(k, Lang::En).len() <= 31));
    }
}
