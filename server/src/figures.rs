//! The office's figures (issue 14): hazards found and closed per month, by sector and grade,
//! the rectification rate, the overdue count and inspections per inspector. The store counts
//! rows per UTC day ([`crate::store::figures`], one GROUP BY both databases read); the pure
//! functions here put those days into months and shape them into the tables the page, the
//! CSV and the XLSX show, so all three say the same.
//!
//! Months are UTC calendar months of the stored millisecond times. The rectification rate of
//! a month is the share of the hazards *found* in it that are closed now (a cohort, so it
//! never exceeds 100 %); "closed" per month counts closures by the month they happened.

use std::collections::BTreeMap;

use safewalk_core::inspection::hazard::Grade;
use safewalk_core::Lang;

/// Milliseconds in a day: the store groups by `time / DAY_MS`.
pub const DAY_MS: i64 = 86_400_000;

/// How many hazards of one sector and grade were found on one UTC day, and whether they are
/// closed now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundOnDay {
    pub day: i64,
    pub template: String,
    pub grade: Grade,
    pub closed: bool,
    pub count: u64,
}

/// How many hazards of one sector and grade were closed on one UTC day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedOnDay {
    pub day: i64,
    pub template: String,
    pub grade: Grade,
    pub count: u64,
}

/// How many inspections one inspector delivered on one UTC day (`inspector`: their name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectionsOnDay {
    pub day: i64,
    pub inspector: String,
    pub count: u64,
}

/// What the store counted within the filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    pub found: Vec<FoundOnDay>,
    pub closed: Vec<ClosedOnDay>,
    /// Open hazards past their deadline today: general, major.
    pub overdue: (u64, u64),
    pub inspections: Vec<InspectionsOnDay>,
}

/// A closed part of a count: `closed` of `found`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rate {
    pub closed: u64,
    pub found: u64,
}

impl Rate {
    /// Whole percent, rounded half up; `None` when nothing was found.
    pub fn percent(self) -> Option<u64> {
        (self.found > 0).then(|| (self.closed * 200 + self.found) / (self.found * 2))
    }

    /// The fraction, for a spreadsheet cell formatted as a percentage.
    pub fn fraction(self) -> Option<f64> {
        (self.found > 0).then(|| self.closed as f64 / self.found as f64)
    }
}

/// One cell of a figures table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Count(u64),
    Rate(Rate),
}

impl Cell {
    /// As text: counts as numbers, rates as whole percent (`—` when nothing was found).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Rate(r) => r.percent().map(|p| format!("{p}%")).unwrap_or_else(|| "—".to_string()),
        }
    }
}

/// One figure as a table: its key (the CSV's `table=` and the sheet order), its title, its
/// header and rows, all in the office's language.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub key: &'static str,
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The tables' keys, in the page's order.
pub const TABLES: [&str; 4] = ["months", "sectors", "overdue", "inspectors"];

/// Words of the figures, Chinese or English.
pub fn say(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Days since the Unix epoch of a `YYYY-MM-DD` date (proleptic Gregorian, H. Hinnant's
/// algorithm, the inverse of core's `format_time`); `None` for anything else.
pub fn day_of(date: &str) -> Option<i64> {
    if !safewalk_core::dates::is_valid_date(date) {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (date[0..4].parse().ok()?, date[5..7].parse().ok()?, date[8..10].parse().ok()?);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The UTC month (`YYYY-MM`) of a day since the epoch.
pub fn month_of(day: i64) -> String {
    safewalk_core::exchange::export::format_time(day.max(0) as u64 * DAY_MS as u64, 0).chars().take(7).collect()
}

/// Every month from `first` to `last` day, in order (at most 120: ten years).
pub fn months(first: i64, last: i64) -> Vec<String> {
    let (Some(start), Some(end)) = (parse_month(&month_of(first)), parse_month(&month_of(last))) else { return Vec::new() };
    (start..=end).take(120).map(|m| format!("{:04}-{:02}", m / 12, m % 12 + 1)).collect()
}

fn parse_month(month: &str) -> Option<i64> {
    Some(month.get(0..4)?.parse::<i64>().ok()? * 12 + month.get(5..7)?.parse::<i64>().ok()? - 1)
}

/// The first day of the month eleven months before `today`'s: with today, the default range
/// (the last twelve months).
pub fn twelve_months_before(today: i64) -> i64 {
    let month = parse_month(&month_of(today)).unwrap_or(0) - 11;
    day_of(&format!("{:04}-{:02}-01", month / 12, month % 12 + 1)).unwrap_or(0)
}

/// The series of the figures over `months`, from what the store counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub months: Vec<String>,
    /// Per month: found general, found major, closed in the month, and the month's cohort.
    pub found_general: Vec<u64>,
    pub found_major: Vec<u64>,
    pub closed: Vec<u64>,
    pub rates: Vec<Rate>,
    pub overall: Rate,
    /// Per sector (template id, in order): found general, found major, and its cohort.
    pub sectors: Vec<(String, u64, u64, Rate)>,
    pub overdue: (u64, u64),
    /// Per inspector (by name): inspections per month.
    pub inspectors: Vec<(String, Vec<u64>)>,
}

/// Shapes the store's per-day counts into months (days outside `months` are left out).
pub fn series(counted: &Counted, months: &[String]) -> Series {
    let at = |day: i64| months.iter().position(|m| *m == month_of(day));
    let n = months.len();
    let mut s = Series {
        months: months.to_vec(),
        found_general: vec![0; n],
        found_major: vec![0; n],
        closed: vec![0; n],
        rates: vec![Rate::default(); n],
        overdue: counted.overdue,
        ..Series::default()
    };
    let mut sectors: BTreeMap<&str, (u64, u64, Rate)> = BTreeMap::new();
    for f in &counted.found {
        let Some(m) = at(f.day) else { continue };
        let closed = if f.closed { f.count } else { 0 };
        let found = if f.grade == Grade::Major { &mut s.found_major[m] } else { &mut s.found_general[m] };
        *found += f.count;
        for rate in [&mut s.rates[m], &mut s.overall] {
            rate.found += f.count;
            rate.closed += closed;
        }
        let sector = sectors.entry(&f.template).or_default();
        if f.grade == Grade::Major {
            sector.1 += f.count
        } else {
            sector.0 += f.count
        }
        sector.2.found += f.count;
        sector.2.closed += closed;
    }
    for c in &counted.closed {
        if let Some(m) = at(c.day) {
            s.closed[m] += c.count;
        }
    }
    s.sectors = sectors.into_iter().map(|(t, (g, m, r))| (t.to_string(), g, m, r)).collect();
    let mut inspectors: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for i in &counted.inspections {
        if let Some(m) = at(i.day) {
            inspectors.entry(&i.inspector).or_insert_with(|| vec![0; n])[m] += i.count;
        }
    }
    s.inspectors = inspectors.into_iter().map(|(name, counts)| (name.to_string(), counts)).collect();
    s
}

/// The four tables of the figures, in [`TABLES`] order; `sector_name` names a template id.
pub fn tables(s: &Series, lang: Lang, sector_name: impl Fn(&str) -> String) -> Vec<Table> {
    let w = |zh, en| say(lang, zh, en).to_string();
    let total = w("合计", "Total");
    let months = Table {
        key: "months",
        title: w("每月发现与销号的隐患", "Hazards found and closed per month"),
        header: vec![
            w("月份", "Month"),
            w("发现", "Found"),
            w("一般隐患", "General"),
            w("重大隐患", "Major"),
            w("当月销号", "Closed in the month"),
            w("整改率（当月发现的已销号）", "Rectification rate (found in the month, closed now)"),
        ],
        rows: s
            .months
            .iter()
            .enumerate()
            .map(|(m, month)| {
                vec![
                    Cell::Text(month.clone()),
                    Cell::Count(s.found_general[m] + s.found_major[m]),
                    Cell::Count(s.found_general[m]),
                    Cell::Count(s.found_major[m]),
                    Cell::Count(s.closed[m]),
                    Cell::Rate(s.rates[m]),
                ]
            })
            .chain([vec![
                Cell::Text(total.clone()),
                Cell::Count(s.overall.found),
                Cell::Count(s.found_general.iter().sum()),
                Cell::Count(s.found_major.iter().sum()),
                Cell::Count(s.closed.iter().sum()),
                Cell::Rate(s.overall),
            ]])
            .collect(),
    };
    let sectors = Table {
        key: "sectors",
        title: w("按行业与等级的隐患", "Hazards by sector and grade"),
        header: vec![
            w("行业", "Sector"),
            w("发现", "Found"),
            w("一般隐患", "General"),
            w("重大隐患", "Major"),
            w("已销号", "Closed"),
            w("整改率", "Rectification rate"),
        ],
        rows: s
            .sectors
            .iter()
            .map(|(t, g, m, r)| {
                vec![
                    Cell::Text(sector_name(t)),
                    Cell::Count(g + m),
                    Cell::Count(*g),
                    Cell::Count(*m),
                    Cell::Count(r.closed),
                    Cell::Rate(*r),
                ]
            })
            .collect(),
    };
    let overdue = Table {
        key: "overdue",
        title: w("当前逾期未整改的隐患", "Hazards overdue now"),
        header: vec![w("等级", "Grade"), w("逾期", "Overdue")],
        rows: vec![
            vec![Cell::Text(w("一般隐患", "General")), Cell::Count(s.overdue.0)],
            vec![Cell::Text(w("重大隐患", "Major")), Cell::Count(s.overdue.1)],
            vec![Cell::Text(total), Cell::Count(s.overdue.0 + s.overdue.1)],
        ],
    };
    let inspectors = Table {
        key: "inspectors",
        title: w("检查人员每月检查数", "Inspections per inspector per month"),
        header: std::iter::once(w("检查人员", "Inspector")).chain(s.months.iter().cloned()).chain([w("合计", "Total")]).collect(),
        rows: s
            .inspectors
            .iter()
            .map(|(name, counts)| {
                std::iter::once(Cell::Text(name.clone()))
                    .chain(counts.iter().map(|c| Cell::Count(*c)))
                    .chain([Cell::Count(counts.iter().sum())])
                    .collect()
            })
            .collect(),
    };
    vec![months, sectors, overdue, inspectors]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(date: &str, template: &str, grade: Grade, closed: bool, count: u64) -> FoundOnDay {
        FoundOnDay { day: day_of(date).unwrap(), template: template.to_string(), grade, closed, count }
    }

    #[test]
    fn dates_and_days_agree_with_cores_clock() {
        assert_eq!(day_of("1970-01-01"), Some(0));
        assert_eq!(day_of("2000-03-01"), Some(11_017));
        for date in ["2024-02-29", "2026-12-31", "1999-01-01", "2100-03-01"] {
            let day = day_of(date).unwrap();
            let back = safewalk_core::exchange::export::format_time(day as u64 * DAY_MS as u64, 0);
            assert!(back.starts_with(date), "{date} → {day} → {back}");
        }
        for bad in ["2026-02-30", "2026-1-01", "", "today"] {
            assert_eq!(day_of(bad), None, "{bad}");
        }
        assert_eq!(month_of(day_of("2026-03-31").unwrap()), "2026-03");
    }

    #[test]
    fn the_default_range_is_twelve_calendar_months() {
        let today = day_of("2026-12-03").unwrap();
        assert_eq!(twelve_months_before(today), day_of("2026-01-01").unwrap());
        let list = months(twelve_months_before(today), today);
        assert_eq!(list.len(), 12);
        assert_eq!((list[0].as_str(), list[11].as_str()), ("2026-01", "2026-12"));
        assert_eq!(months(day_of("2025-11-15").unwrap(), day_of("2026-02-01").unwrap()), ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert!(months(day_of("2026-02-01").unwrap(), day_of("2025-01-01").unwrap()).is_empty(), "a range backwards is empty");
        assert_eq!(twelve_months_before(day_of("2026-02-10").unwrap()), day_of("2025-03-01").unwrap());
    }

    #[test]
    fn rates_round_half_up_and_need_something_found() {
        assert_eq!(Rate { closed: 1, found: 3 }.percent(), Some(33));
        assert_eq!(Rate { closed: 2, found: 3 }.percent(), Some(67));
        assert_eq!(Rate { closed: 1, found: 8 }.percent(), Some(13), "12.5 rounds up");
        assert_eq!(Rate { closed: 0, found: 0 }.percent(), None);
        assert_eq!(Cell::Rate(Rate::default()).text(), "—");
        assert_eq!(Cell::Rate(Rate { closed: 3, found: 3 }).text(), "100%");
    }

    #[test]
    fn days_become_months_sectors_and_a_cohort_rate() {
        let months = months(day_of("2026-01-01").unwrap(), day_of("2026-03-31").unwrap());
        let counted = Counted {
            found: vec![
                found("2026-01-05", "mall", Grade::General, false, 2),
                found("2026-01-20", "mall", Grade::Major, true, 1),
                found("2026-03-01", "hotel", Grade::General, true, 4),
                found("2025-12-31", "mall", Grade::Major, false, 9),
            ],
            closed: vec![
                ClosedOnDay { day: day_of("2026-02-02").unwrap(), template: "mall".into(), grade: Grade::Major, count: 1 },
                ClosedOnDay { day: day_of("2026-03-01").unwrap(), template: "hotel".into(), grade: Grade::General, count: 4 },
            ],
            overdue: (5, 2),
            inspections: vec![
                InspectionsOnDay { day: day_of("2026-01-05").unwrap(), inspector: "Wang".into(), count: 1 },
                InspectionsOnDay { day: day_of("2026-01-06").unwrap(), inspector: "Wang".into(), count: 2 },
                InspectionsOnDay { day: day_of("2026-03-01").unwrap(), inspector: "Li".into(), count: 1 },
            ],
        };
        let s = series(&counted, &months);
        assert_eq!((s.found_general.clone(), s.found_major.clone()), (vec![2, 0, 4], vec![1, 0, 0]), "December is outside");
        assert_eq!(s.closed, [0, 1, 4], "closures count in the month they happened");
        assert_eq!(s.rates[0], Rate { closed: 1, found: 3 });
        assert_eq!(s.rates[0].percent(), Some(33));
        assert_eq!(s.rates[1].percent(), None);
        assert_eq!(s.overall, Rate { closed: 5, found: 7 });
        assert_eq!(
            s.sectors,
            [("hotel".to_string(), 4, 0, Rate { closed: 4, found: 4 }), ("mall".to_string(), 2, 1, Rate { closed: 1, found: 3 })]
        );
        assert_eq!(s.inspectors, [("Li".to_string(), vec![0, 0, 1]), ("Wang".to_string(), vec![3, 0, 0])]);

        let t = tables(&s, Lang::En, |id| format!("<{id}>"));
        assert_eq!(t.iter().map(|t| t.key).collect::<Vec<_>>(), TABLES);
        let total = t[0].rows.last().unwrap().iter().map(Cell::text).collect::<Vec<_>>();
        assert_eq!(total, ["Total", "7", "6", "1", "5", "71%"]);
        assert_eq!(t[1].rows[1].iter().map(Cell::text).collect::<Vec<_>>(), ["<mall>", "3", "2", "1", "1", "33%"]);
        assert_eq!(t[2].rows[2].iter().map(Cell::text).collect::<Vec<_>>(), ["Total", "7"]);
        assert_eq!(t[3].header, ["Inspector", "2026-01", "2026-02", "2026-03", "Total"]);
        assert_eq!(t[3].rows[1].iter().map(Cell::text).collect::<Vec<_>>(), ["Wang", "3", "0", "0", "3"]);
        assert_eq!(tables(&s, Lang::Zh, str::to_string)[0].header[0], "月份");
    }

    #[test]
    fn nothing_counted_is_zeros_not_a_failure() {
        let months = months(0, 40);
        let s = series(&Counted::default(), &months);
        assert_eq!(s.found_general, [0, 0]);
        assert!(s.sectors.is_empty() && s.inspectors.is_empty());
        let t = tables(&s, Lang::Zh, str::to_string);
        assert_eq!(t[0].rows.last().unwrap()[5].text(), "—");
    }
}
