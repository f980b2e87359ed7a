//! The office's hazard register in the database: the derived `hazards` rows
//! ([`crate::hazards`] writes them), the office's acceptances and supervisions, and the
//! register's page query. One SQL text for both databases ([`super::sql`]).
//!
//! A row's site, district and submitter are read through its inspection at query time, so a
//! merge of sites or a change of a person's district shows at once.

use safewalk_core::inspection::determination::Standing;
use safewalk_core::inspection::hazard::Grade;
use uuid::Uuid;

use super::sites::contains;
use super::sql::Value;
use super::{visible, Store, StoreError};
use crate::hazards::{due_key, office_state, page_parts, Derived, Found, HazardRow, OfficeState};
use crate::values;

/// An original (not a follow-up) inspection as the derivation reads it.
#[derive(Clone, Debug)]
pub struct StoredOriginal {
    pub id: Uuid,
    pub payload: String,
    pub submitted_by: Option<String>,
    pub site_id: Option<String>,
}

/// Which hazards a page shows: the viewer's visibility (of the inspections, as
/// [`crate::people::Visibility`]) and the office's filters; empty is any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HazardFilter {
    pub submitter: String,
    pub scope_department: String,
    pub scope_district: String,
    /// The site's district.
    pub district: String,
    /// A template id.
    pub sector: String,
    pub site: String,
    /// The id of the person who delivered the inspection.
    pub inspector: String,
    /// `major` or `general`.
    pub grade: String,
    /// An [`OfficeState`] word.
    pub state: String,
    /// Part of the site's name, the item's text, the description or the inspectors, in any case.
    pub text: String,
    /// One hazard (its page and its forms).
    pub inspection: String,
    pub item: String,
}

/// The office's acceptance of a rectification (验收).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acceptance {
    pub by: String,
    pub at: u64,
    pub note: String,
    /// An attachment id of the hazard's inspection, or empty.
    pub evidence: String,
}

/// Listed supervision (挂牌督办) of a major hazard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Supervision {
    pub official: String,
    pub deadline: String,
    pub note: String,
    pub by: String,
    pub at: u64,
}

/// One hazard as the register shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HazardView {
    pub row: HazardRow,
    pub state: OfficeState,
    pub site_id: String,
    pub site_district: String,
    /// The name of the person who delivered the inspection (empty: unknown).
    pub delivered_by: String,
    pub acceptance: Option<Acceptance>,
    pub supervision: Option<Supervision>,
}

pub fn grade_word(grade: Grade) -> &'static str {
    match grade {
        Grade::Major => "major",
        Grade::General => "general",
    }
}

fn standing_word(standing: Standing) -> String {
    serde_json::to_value(standing).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

pub(crate) fn standing_of(word: &str) -> Standing {
    serde_json::from_value(serde_json::Value::String(word.to_string())).unwrap_or_default()
}

/// The tables a page reads. Scope and filters read the row's own columns (and uncorrelated
/// subqueries), so counting needs no join.
macro_rules! hazard_from {
    () => {
        " FROM hazards h \
         LEFT JOIN sites s ON s.id = h.site_id \
         LEFT JOIN people p ON p.id = h.submitted_by \
         LEFT JOIN hazard_acceptances a ON a.inspection_id = h.inspection_id AND a.item = h.item \
         LEFT JOIN hazard_supervisions v ON v.inspection_id = h.inspection_id AND v.item = h.item WHERE "
    };
}

/// The condition of a [`HazardFilter`] but its text and its one hazard, its values the first
/// ten parameters; `$10` is today, and the state is [`crate::hazards::office_state`] over the
/// stored `closed` and `due_key`. Every column it reads is in the index `hazards_count`.
macro_rules! hazard_scope_where {
    () => {
        concat!(
            visible!(),
            " AND ($4 = '' OR h.site_id IN (SELECT id FROM sites WHERE district = $4)) AND ($5 = '' OR h.template = $5) \
             AND ($6 = '' OR h.site_id = $6) AND ($7 = '' OR h.submitted_by = $7) AND ($8 = '' OR h.grade = $8) \
             AND ($9 = '' OR (CASE WHEN h.closed = 1 THEN 'closed' WHEN h.due_key < $10 THEN 'overdue' ELSE 'open' END) = $9)"
        )
    };
}

/// The whole condition of a [`HazardFilter`], its values ([`HazardFilter::values`]) the
/// first fourteen parameters.
macro_rules! hazard_where {
    () => {
        concat!(
            hazard_scope_where!(),
            " AND ($11 = '' OR h.search LIKE $12 ESCAPE '!') AND ($13 = '' OR h.inspection_id = $13) AND ($14 = '' OR h.item = $14)"
        )
    };
}

/// How many hazards a filter lets through in each state: a row per (closed, overdue) with
/// the group's count, whether it is closed and its earliest `due_key` (before today: the
/// overdue group). Today appears in the condition first, so the grouping may use it.
macro_rules! hazard_count {
    ($where:expr) => {
        concat!("SELECT COUNT(*), MAX(h.closed), MIN(h.due_key) FROM hazards h WHERE ", $where, " GROUP BY h.closed, (h.due_key < $10)")
    };
}

/// Within one state, the register's order ([`crate::hazards::order_key`]), which the index
/// `hazards_rank` already holds.
macro_rules! hazard_order {
    () => {
        " ORDER BY h.grade_rank, h.due_key, h.found_at, h.inspection_id, h.item LIMIT $15 OFFSET $16"
    };
}

macro_rules! hazard_columns {
    () => {
        "SELECT h.inspection_id, h.item, h.item_text, h.template, h.grade, h.standing, h.description, h.deadline, h.found_at, \
         h.found, h.closed_by, h.closed_at, h.site_name, h.inspectors, h.site_id, s.district, p.name, \
         a.accepted_by_name, a.at, a.note, a.evidence, v.official, v.deadline, v.note, v.set_by_name, v.at"
    };
}

/// The rows of one state, a page of them.
const OVERDUE: &str = concat!(hazard_columns!(), hazard_from!(), hazard_where!(), " AND h.closed = 0 AND h.due_key < $10", hazard_order!());
const OPEN: &str = concat!(hazard_columns!(), hazard_from!(), hazard_where!(), " AND h.closed = 0 AND h.due_key >= $10", hazard_order!());
const CLOSED: &str = concat!(hazard_columns!(), hazard_from!(), hazard_where!(), " AND h.closed = 1", hazard_order!());

impl HazardFilter {
    fn values(&self, today: &str) -> Vec<Value> {
        let text = self.text.trim();
        values![
            &self.submitter,
            &self.scope_department,
            &self.scope_district,
            &self.district,
            &self.sector,
            &self.site,
            &self.inspector,
            &self.grade,
            &self.state,
            today,
            text,
            contains(&text.to_lowercase()),
            &self.inspection,
            &self.item,
        ]
    }
}

fn view(row: &[Value], today: &str) -> HazardView {
    let found = Found::parse(&row[9].text());
    let deadline = row[7].text();
    let acceptance =
        row[17].opt_text().map(|by| Acceptance { by, at: row[18].int() as u64, note: row[19].text(), evidence: row[20].text() });
    let supervision = row[21].opt_text().map(|official| Supervision {
        official,
        deadline: row[22].text(),
        note: row[23].text(),
        by: row[24].text(),
        at: row[25].int() as u64,
    });
    let closed_by = row[10].opt_text().and_then(|id| Uuid::parse_str(&id).ok()).map(|id| (id, row[11].int() as u64));
    HazardView {
        state: office_state(found, acceptance.is_some(), &deadline, today),
        row: HazardRow {
            inspection: Uuid::parse_str(&row[0].text()).unwrap_or_default(),
            item: row[1].text(),
            item_text: row[2].text(),
            template: row[3].text(),
            grade: if row[4].text() == "major" { Grade::Major } else { Grade::General },
            standing: standing_of(&row[5].text()),
            description: row[6].text(),
            deadline,
            found_at: row[8].int() as u64,
            found,
            closed_by,
            site_name: row[12].text(),
            inspectors: row[13].text(),
        },
        site_id: row[14].text(),
        site_district: row[15].text(),
        delivered_by: row[16].text(),
        acceptance,
        supervision,
    }
}

impl Store {
    /// An inspection (an original, or a follow-up for what it found itself), with its site.
    pub async fn original(&self, id: Uuid) -> Result<Option<StoredOriginal>, StoreError> {
        let row = self.row("SELECT id, payload, submitted_by, site_id FROM inspections WHERE id = $1", values![id.to_string()]).await?;
        Ok(row.map(|r| StoredOriginal { id, payload: r[1].text(), submitted_by: r[2].opt_text(), site_id: r[3].opt_text() }))
    }

    /// Up to `limit` inspections, by id after `after` (follow-ups too: what they found
    /// themselves is registered under them).
    pub async fn originals_after(&self, after: &str, limit: u64) -> Result<Vec<StoredOriginal>, StoreError> {
        let rows = self
            .rows("SELECT id, payload, submitted_by, site_id FROM inspections WHERE id > $1 ORDER BY id LIMIT $2", values![after, limit])
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(StoredOriginal {
                    id: Uuid::parse_str(&r[0].text()).ok()?,
                    payload: r[1].text(),
                    submitted_by: r[2].opt_text(),
                    site_id: r[3].opt_text(),
                })
            })
            .collect())
    }

    /// The payloads of the follow-ups of `original` and of those filed at `site`.
    pub async fn related_follow_ups(&self, original: Uuid, site: Option<&str>) -> Result<Vec<String>, StoreError> {
        let rows = self
            .rows(
                "SELECT payload FROM inspections WHERE follow_up_of = $1 \
                 OR ($2 <> '' AND follow_up_of IS NOT NULL AND site_id = $2) ORDER BY received_at, id",
                values![original.to_string(), site.unwrap_or("")],
            )
            .await?;
        Ok(rows.iter().map(|r| r[0].text()).collect())
    }

    /// The payloads of every follow-up.
    pub async fn all_follow_ups(&self) -> Result<Vec<String>, StoreError> {
        let rows = self.rows("SELECT payload FROM inspections WHERE follow_up_of IS NOT NULL ORDER BY received_at, id", vec![]).await?;
        Ok(rows.iter().map(|r| r[0].text()).collect())
    }

    /// Each inspection's rows replaced by the given ones, all in one transaction. A row stays
    /// closed when the office accepted it. The insert updates a row that is there: a
    /// redelivery racing its first delivery (PostgreSQL runs them side by side) writes the
    /// same rows, and must not fail on the key.
    pub async fn replace_hazards(&self, inspections: &[Derived]) -> Result<(), StoreError> {
        let mut writes = Vec::new();
        for derived in inspections {
            writes.push(("DELETE FROM hazards WHERE inspection_id = $1", values![derived.inspection.to_string()]));
            for h in &derived.rows {
                writes.push((
                    "INSERT INTO hazards (inspection_id, item, item_text, template, grade, standing, description, deadline, due_key, \
                     found_at, found, closed_by, closed_at, site_name, inspectors, search, submitted_by, site_id, grade_rank, closed) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
                     CASE WHEN $11 <> 'open' OR EXISTS (SELECT 1 FROM hazard_acceptances a WHERE a.inspection_id = $1 AND a.item = $2) \
                     THEN 1 ELSE 0 END) \
                     ON CONFLICT (inspection_id, item) DO UPDATE SET item_text = excluded.item_text, template = excluded.template, \
                     grade = excluded.grade, standing = excluded.standing, description = excluded.description, \
                     deadline = excluded.deadline, due_key = excluded.due_key, found_at = excluded.found_at, found = excluded.found, \
                     closed_by = excluded.closed_by, closed_at = excluded.closed_at, site_name = excluded.site_name, \
                     inspectors = excluded.inspectors, search = excluded.search, submitted_by = excluded.submitted_by, \
                     site_id = excluded.site_id, grade_rank = excluded.grade_rank, closed = excluded.closed",
                    values![
                        h.inspection.to_string(),
                        &h.item,
                        &h.item_text,
                        &h.template,
                        grade_word(h.grade),
                        standing_word(h.standing),
                        &h.description,
                        &h.deadline,
                        due_key(&h.deadline),
                        h.found_at,
                        h.found.as_str(),
                        h.closed_by.map(|(id, _)| id.to_string()),
                        h.closed_by.map(|(_, at)| at),
                        &h.site_name,
                        &h.inspectors,
                        [h.site_name.as_str(), &h.item_text, &h.description, &h.inspectors].join("\n").to_lowercase(),
                        derived.submitted_by.clone(),
                        derived.site_id.clone(),
                        if h.grade == Grade::Major { 0u64 } else { 1 },
                    ],
                ));
            }
        }
        self.all_or_nothing(writes).await
    }

    /// A page of the hazards `filter` lets through, in the register's order
    /// ([`crate::hazards::order_key`]) on `today`, and how many it lets through. Each state's
    /// rows come from the index in order, so a page reads little more than itself.
    pub async fn hazards(&self, filter: &HazardFilter, today: &str, offset: u64, limit: u64) -> Result<(Vec<HazardView>, u64), StoreError> {
        // Without a text or one hazard to find, the count reads the index alone.
        const COUNT: &str = hazard_count!(hazard_where!());
        const COUNT_SCOPE: &str = hazard_count!(hazard_scope_where!());
        let values = filter.values(today);
        let groups = if filter.text.trim().is_empty() && filter.inspection.is_empty() && filter.item.is_empty() {
            self.rows(COUNT_SCOPE, values[..10].to_vec()).await?
        } else {
            self.rows(COUNT, values.clone()).await?
        };
        let mut counts = [0u64; 3];
        for group in &groups {
            let state = match (group[1].int(), group[2].text()) {
                (1, _) => OfficeState::Closed,
                (_, due) if due.as_str() < today => OfficeState::Overdue,
                _ => OfficeState::Open,
            };
            counts[OfficeState::ALL.iter().position(|s| *s == state).unwrap_or(0)] += group[0].int() as u64;
        }
        let total = counts.iter().sum();
        let mut views = Vec::new();
        for (state, offset, limit) in page_parts(counts, offset, limit) {
            let sql = match state {
                OfficeState::Overdue => OVERDUE,
                OfficeState::Open => OPEN,
                OfficeState::Closed => CLOSED,
            };
            let mut values = values.clone();
            values.extend(values![limit, offset]);
            views.extend(self.rows(sql, values).await?.iter().map(|r| view(r, today)));
        }
        Ok((views, total))
    }

    /// One hazard, if `filter` (the viewer's visibility) lets it through: by its key, no count.
    pub async fn hazard(&self, filter: &HazardFilter, inspection: &str, item: &str, today: &str) -> Result<Option<HazardView>, StoreError> {
        const ONE: &str = concat!(hazard_columns!(), hazard_from!(), hazard_where!(), " AND h.inspection_id = $13 AND h.item = $14");
        let one = HazardFilter { inspection: inspection.to_string(), item: item.to_string(), ..filter.clone() };
        Ok(self.row(ONE, one.values(today)).await?.map(|r| view(&r, today)))
    }

    /// Records the office's acceptance of a hazard's rectification, which closes its row.
    pub async fn accept_hazard(
        &self,
        inspection: Uuid,
        item: &str,
        by: (Option<&str>, &str),
        note: &str,
        evidence: &str,
        now: u64,
    ) -> Result<(), StoreError> {
        self.all_or_nothing(vec![
            (
                "INSERT INTO hazard_acceptances (inspection_id, item, accepted_by, accepted_by_name, at, note, evidence) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                values![inspection.to_string(), item, by.0, by.1, now, note, evidence],
            ),
            ("UPDATE hazards SET closed = 1 WHERE inspection_id = $1 AND item = $2", values![inspection.to_string(), item]),
        ])
        .await
    }

    /// Puts a hazard under supervision, or changes its supervision.
    pub async fn supervise_hazard(
        &self,
        inspection: Uuid,
        item: &str,
        supervision: &Supervision,
        by_id: Option<&str>,
    ) -> Result<(), StoreError> {
        self.rows(
            "INSERT INTO hazard_supervisions (inspection_id, item, official, deadline, note, set_by, set_by_name, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (inspection_id, item) DO UPDATE SET official = excluded.official, \
             deadline = excluded.deadline, note = excluded.note, set_by = excluded.set_by, set_by_name = excluded.set_by_name, at = excluded.at",
            values![
                inspection.to_string(),
                item,
                &supervision.official,
                &supervision.deadline,
                &supervision.note,
                by_id,
                &supervision.by,
                supervision.at,
            ],
        )
        .await?;
        Ok(())
    }
}
