//! The office's figures in the database: counts per UTC day (`time / 86400000`, integer
//! division in both SQLite and PostgreSQL, so one SQL text serves both) of the derived
//! `hazards` rows and of the stored inspections, within the viewer's scope and the office's
//! filters. [`crate::figures`] puts the days into months.

use safewalk_core::inspection::hazard::Grade;

use super::sites::literal;
use super::{visible, Store, StoreError};
use crate::figures::{ClosedOnDay, Counted, FoundOnDay, InspectionsOnDay, DAY_MS};
use crate::values;

/// Which rows the figures count: the viewer's visibility (as [`crate::people::Visibility`])
/// and the filters; empty is any. Times are milliseconds, `from` included, `to` not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FiguresFilter {
    pub submitter: String,
    pub scope_department: String,
    pub scope_district: String,
    /// The site's district.
    pub district: String,
    /// A template id.
    pub sector: String,
    pub from: i64,
    pub to: i64,
}

/// The scope and the district and sector filters over `hazards h`: the first five parameters.
macro_rules! figures_where {
    () => {
        concat!(visible!(), " AND ($4 = '' OR h.site_id IN (SELECT id FROM sites WHERE district = $4)) AND ($5 = '' OR h.template = $5)")
    };
}

/// Hazards found per day, sector, grade and whether closed now.
const FOUND: &str = concat!(
    "SELECT h.found_at / 86400000, h.template, h.grade, h.closed, COUNT(*) FROM hazards h WHERE ",
    figures_where!(),
    " AND h.found_at >= $6 AND h.found_at < $7 GROUP BY h.found_at / 86400000, h.template, h.grade, h.closed"
);

/// When a closed hazard closed: the office's acceptance (only given while it was open, so the
/// first), else the re-inspection that closed it, else (fixed on the spot) when it was found.
macro_rules! closed_at {
    () => {
        "COALESCE(a.at, h.closed_at, h.found_at)"
    };
}

/// Hazards closed per day, sector and grade.
const CLOSED: &str = concat!(
    "SELECT ",
    closed_at!(),
    " / 86400000, h.template, h.grade, COUNT(*) FROM hazards h \
     LEFT JOIN hazard_acceptances a ON a.inspection_id = h.inspection_id AND a.item = h.item WHERE h.closed = 1 AND ",
    figures_where!(),
    " AND ",
    closed_at!(),
    " >= $6 AND ",
    closed_at!(),
    " < $7 GROUP BY ",
    closed_at!(),
    " / 86400000, h.template, h.grade"
);

/// Open hazards past their deadline on `$6` (today), per grade, whenever found.
const OVERDUE: &str =
    concat!("SELECT h.grade, COUNT(*) FROM hazards h WHERE ", figures_where!(), " AND h.closed = 0 AND h.due_key < $6 GROUP BY h.grade");

/// Inspections delivered per day and deliverer, with the deliverer's name: the scope and the
/// district (the first four parameters), the range (`$5`, `$6`), and `$7` whatever else
/// ([`INSPECTIONS_OF_SECTOR`]). Without a sector the index `inspections_figures` holds every
/// column it reads.
macro_rules! inspections_per_day {
    ($sector:expr) => {
        concat!(
            "SELECT i.received_at / 86400000, COALESCE(p.name, ''), COUNT(*) FROM inspections i \
             LEFT JOIN people p ON p.id = i.submitted_by WHERE \
             ($1 = '' OR i.submitted_by = $1) \
             AND ($2 = '' OR i.submitted_by IN (SELECT id FROM people WHERE department = $2)) \
             AND ($3 = '' OR i.submitted_by IN (SELECT id FROM people WHERE district = $3)) \
             AND ($4 = '' OR i.site_id IN (SELECT id FROM sites WHERE district = $4)) \
             AND i.received_at >= $5 AND i.received_at < $6",
            $sector,
            " GROUP BY i.received_at / 86400000, COALESCE(p.name, '')"
        )
    };
}

const INSPECTIONS: &str = inspections_per_day!("");

/// The same of one sector: the template the payload names. Its stored JSON is canonical
/// (serde's field order), so the template reference reads exactly
/// `"template":{"id":"…","version"`.
const INSPECTIONS_OF_SECTOR: &str = inspections_per_day!(" AND i.payload LIKE $7 ESCAPE '!'");

fn grade_of(word: &str) -> Grade {
    if word == "major" {
        Grade::Major
    } else {
        Grade::General
    }
}

impl FiguresFilter {
    fn scope(&self) -> Vec<super::sql::Value> {
        values![&self.submitter, &self.scope_department, &self.scope_district, &self.district, &self.sector]
    }
}

impl Store {
    /// Everything the figures count within `filter`, overdue on `today` (`YYYY-MM-DD`).
    /// Inspections delivered by no known person are counted under `unknown`.
    pub async fn figures(&self, filter: &FiguresFilter, today: &str, unknown: &str) -> Result<Counted, StoreError> {
        let range = |mut v: Vec<super::sql::Value>| {
            v.extend(values![filter.from, filter.to]);
            v
        };
        let found = self.rows(FOUND, range(filter.scope())).await?;
        let closed = self.rows(CLOSED, range(filter.scope())).await?;
        let mut overdue_values = filter.scope();
        overdue_values.extend(values![today]);
        let overdue = self.rows(OVERDUE, overdue_values).await?;
        let mut inspection_values = range(filter.scope()[..4].to_vec());
        let inspections = if filter.sector.is_empty() {
            self.rows(INSPECTIONS, inspection_values).await?
        } else {
            inspection_values.extend(values![format!("%\"template\":{{\"id\":\"{}\",\"version\"%", literal(&filter.sector))]);
            self.rows(INSPECTIONS_OF_SECTOR, inspection_values).await?
        };
        let count = |v: &super::sql::Value| v.int().max(0) as u64;
        Ok(Counted {
            found: found
                .iter()
                .map(|r| FoundOnDay {
                    day: r[0].int(),
                    template: r[1].text(),
                    grade: grade_of(&r[2].text()),
                    closed: r[3].int() == 1,
                    count: count(&r[4]),
                })
                .collect(),
            closed: closed
                .iter()
                .map(|r| ClosedOnDay { day: r[0].int(), template: r[1].text(), grade: grade_of(&r[2].text()), count: count(&r[3]) })
                .collect(),
            overdue: overdue.iter().fold((0, 0), |(general, major), r| match grade_of(&r[0].text()) {
                Grade::Major => (general, major + count(&r[1])),
                Grade::General => (general + count(&r[1]), major),
            }),
            inspections: inspections
                .iter()
                .map(|r| {
                    let name = r[1].text();
                    InspectionsOnDay {
                        day: r[0].int(),
                        inspector: if name.is_empty() { unknown.to_string() } else { name },
                        count: count(&r[2]),
                    }
                })
                .collect(),
        })
    }
}

/// The millisecond bounds of whole UTC days `first..=last`.
pub fn day_bounds(first: i64, last: i64) -> (i64, i64) {
    (first.saturating_mul(DAY_MS), last.saturating_add(1).saturating_mul(DAY_MS))
}
