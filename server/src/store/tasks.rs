//! Tasks and random draws (issue 14): one SQL text for both databases ([`super::sql`]). A
//! task's number is its year and its sequence in that year, taken from the year's counter
//! (`task_numbers`) in the transaction that writes the task: concurrent assignments wait on
//! the counter's row and number one after the other.

use serde::{Deserialize, Serialize};

use safewalk_core::assignment::pull::TaskKind;

use super::sql::Value;
use super::{Store, StoreError};
use crate::draw::Pair;
use crate::tasks::{number, State, Stored};
use crate::values;

/// A task as the office lists it, with the names it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    pub id: String,
    pub year: i64,
    pub seq: i64,
    pub site_id: String,
    pub site_name: String,
    pub site_district: String,
    /// The checklist (template id).
    pub template_id: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub note: String,
    pub state: Stored,
    pub draw_id: Option<String>,
    pub created_by: Option<String>,
    pub created_by_name: String,
    pub created_at: u64,
    pub withdrawn_at: Option<u64>,
    /// `(person id, name)`, in the order assigned.
    pub inspectors: Vec<(String, String)>,
    /// An inspection or a re-inspection (复查).
    pub kind: TaskKind,
}

impl Task {
    /// `2026-0001`.
    pub fn number(&self) -> String {
        number(self.year, self.seq)
    }
}

/// A task to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTask {
    pub id: String,
    pub site_id: String,
    pub template_id: String,
    pub inspectors: Vec<String>,
    pub due: String,
    pub note: String,
    pub created_by: Option<String>,
    pub kind: TaskKind,
}

/// What a draw's site pool was cut by, recorded with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawFilters {
    pub sector: String,
    pub district: String,
    /// The scope of whoever drew (their department and district; empty: any).
    pub scope_department: String,
    pub scope_district: String,
}

/// A recorded draw: everything needed to make it again, and what it gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawRecord {
    pub id: String,
    /// [`crate::draw::ALGORITHM`] when it was made.
    pub algorithm: String,
    pub seed: u64,
    /// Typed by the drawer (a number announced beforehand), not fresh from the system.
    pub seed_typed: bool,
    pub filters: DrawFilters,
    pub site_pool: Vec<String>,
    pub inspector_pool: Vec<String>,
    pub sites: usize,
    pub per_site: usize,
    pub result: Vec<Pair>,
    pub template_id: String,
    pub due: String,
    pub note: String,
    pub created_by: Option<String>,
    pub created_by_name: String,
    pub created_at: u64,
}

/// Which tasks a list shows: the viewer's scope (over the task's site) and the filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskFilter {
    pub scope_department: String,
    pub scope_district: String,
    pub state: Option<State>,
    /// A person id.
    pub inspector: String,
    /// The site's district.
    pub district: String,
    /// Due on or after / on or before (`YYYY-MM-DD`, empty: any).
    pub due_from: String,
    pub due_to: String,
    pub site: String,
    pub draw: String,
    /// Today, `YYYY-MM-DD`: what overdue is computed against (as [`crate::tasks::shown_state`]).
    pub today: String,
}

impl TaskFilter {
    fn values(&self) -> Vec<Value> {
        values![
            &self.scope_department,
            &self.scope_district,
            &self.district,
            &self.inspector,
            &self.due_from,
            &self.due_to,
            &self.site,
            &self.draw,
            self.state.map(State::as_str).unwrap_or(""),
            &self.today,
        ]
    }
}

macro_rules! task_columns {
    () => {
        "t.id, t.year, t.seq, t.site_id, s.name, s.district, t.template_id, t.due, t.note, t.state, t.draw_id, t.created_by, \
         t.created_at, t.withdrawn_at, COALESCE(p.name, ''), t.kind \
         FROM tasks t JOIN sites s ON s.id = t.site_id LEFT JOIN people p ON p.id = t.created_by"
    };
}

/// The condition of a [`TaskFilter`], its values the first ten parameters. The state filter
/// is the rule of [`crate::tasks::shown_state`] in SQL (the tests hold them together).
macro_rules! task_where {
    () => {
        "($1 = '' OR s.department = $1) AND ($2 = '' OR s.district = $2) AND ($3 = '' OR s.district = $3) \
         AND ($4 = '' OR t.id IN (SELECT task_id FROM task_inspectors WHERE person_id = $4)) \
         AND ($5 = '' OR t.due >= $5) AND ($6 = '' OR t.due <= $6) AND ($7 = '' OR t.site_id = $7) \
         AND ($8 = '' OR t.draw_id = $8) \
         AND ($9 = '' \
              OR ($9 = 'overdue' AND t.state IN ('assigned', 'taken') AND t.due < $10) \
              OR ($9 IN ('assigned', 'taken') AND t.state = $9 AND t.due >= $10) \
              OR ($9 IN ('delivered', 'withdrawn') AND t.state = $9))"
    };
}

fn task_row(row: &[Value]) -> Result<Task, StoreError> {
    let state = row[9].text();
    Ok(Task {
        id: row[0].text(),
        year: row[1].int(),
        seq: row[2].int(),
        site_id: row[3].text(),
        site_name: row[4].text(),
        site_district: row[5].text(),
        template_id: row[6].text(),
        due: row[7].text(),
        note: row[8].text(),
        state: Stored::parse(&state).ok_or_else(|| StoreError::Database(format!("unknown task state {state:?}")))?,
        draw_id: row[10].opt_text(),
        created_by: row[11].opt_text(),
        created_at: row[12].int() as u64,
        withdrawn_at: row[13].opt_int().map(|i| i as u64),
        created_by_name: row[14].text(),
        inspectors: Vec::new(),
        kind: crate::sync::kind_of(&row[15].text()),
    })
}

/// The writes of one task: its row (the sequence the next of its year) and its inspectors.
fn task_writes(task: &NewTask, draw: Option<&str>, year: i64, now: u64) -> Vec<(&'static str, Vec<Value>)> {
    let mut writes = vec![
        (
            "INSERT INTO task_numbers (year, last_seq) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET last_seq = task_numbers.last_seq + 1",
            values![year],
        ),
        (
            "INSERT INTO tasks (id, year, seq, site_id, template_id, due, note, state, draw_id, created_by, created_at, kind) \
             VALUES ($1, $2, (SELECT last_seq FROM task_numbers WHERE year = $2), $3, $4, $5, $6, 'assigned', $7, $8, $9, $10)",
            values![
                &task.id,
                year,
                &task.site_id,
                &task.template_id,
                &task.due,
                &task.note,
                draw,
                task.created_by.as_deref(),
                now,
                crate::sync::kind_word(task.kind)
            ],
        ),
    ];
    for (position, person) in task.inspectors.iter().enumerate() {
        writes.push((
            "INSERT INTO task_inspectors (task_id, person_id, position) VALUES ($1, $2, $3)",
            values![&task.id, person, position as i64],
        ));
    }
    writes
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn parsed<T: for<'de> Deserialize<'de>>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Database(format!("draw {what}: {e}")))
}

impl Store {
    /// Writes tasks (and the draw they came from), all in one transaction; numbered in the
    /// year of `now`, in the order given.
    pub async fn add_tasks(&self, tasks: &[NewTask], draw: Option<&DrawRecord>, now: u64) -> Result<(), StoreError> {
        let year: i64 = crate::tasks::date_of(now)[..4].parse().map_err(StoreError::database)?;
        let mut writes = Vec::new();
        if let Some(d) = draw {
            writes.push((
                "INSERT INTO draws (id, algorithm, seed, seed_typed, filters, site_pool, inspector_pool, sites, per_site, result, \
                 template_id, due, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                values![
                    &d.id,
                    &d.algorithm,
                    d.seed.to_string(),
                    i64::from(d.seed_typed),
                    json(&d.filters),
                    json(&d.site_pool),
                    json(&d.inspector_pool),
                    d.sites as u64,
                    d.per_site as u64,
                    json(&d.result),
                    &d.template_id,
                    &d.due,
                    &d.note,
                    d.created_by.as_deref(),
                    d.created_at,
                ],
            ));
        }
        for task in tasks {
            writes.extend(task_writes(task, draw.map(|d| d.id.as_str()), year, now));
        }
        self.all_or_nothing(writes).await
    }

    /// A task with its inspectors' names.
    pub async fn task(&self, id: &str) -> Result<Option<Task>, StoreError> {
        let row = self.row(concat!("SELECT ", task_columns!(), " WHERE t.id = $1"), values![id]).await?;
        match row {
            Some(row) => Ok(Some(self.with_inspectors(task_row(&row)?).await?)),
            None => Ok(None),
        }
    }

    async fn with_inspectors(&self, mut task: Task) -> Result<Task, StoreError> {
        let rows = self
            .rows(
                "SELECT ti.person_id, COALESCE(p.name, ti.person_id) FROM task_inspectors ti LEFT JOIN people p ON p.id = ti.person_id \
                 WHERE ti.task_id = $1 ORDER BY ti.position",
                values![&task.id],
            )
            .await?;
        task.inspectors = rows.iter().map(|r| (r[0].text(), r[1].text())).collect();
        Ok(task)
    }

    /// A page of the tasks `filter` lets through, soonest due first, and how many it lets
    /// through.
    pub async fn tasks(&self, filter: &TaskFilter, offset: u64, limit: u64) -> Result<(Vec<Task>, u64), StoreError> {
        const LIST: &str =
            concat!("SELECT ", task_columns!(), " WHERE ", task_where!(), " ORDER BY t.due, t.year, t.seq LIMIT $11 OFFSET $12");
        const COUNT: &str = concat!(
            "SELECT COUNT(*) FROM tasks t JOIN sites s ON s.id = t.site_id LEFT JOIN people p ON p.id = t.created_by WHERE ",
            task_where!()
        );
        let mut values = filter.values();
        let total = self.row(COUNT, values.clone()).await?.map(|r| r[0].int() as u64).unwrap_or(0);
        values.extend(values![limit, offset]);
        let mut tasks = Vec::new();
        for row in self.rows(LIST, values).await? {
            tasks.push(self.with_inspectors(task_row(&row)?).await?);
        }
        Ok((tasks, total))
    }

    /// Withdraws a task still open (assigned or taken): whether it was.
    pub async fn withdraw_task(&self, id: &str, now: u64) -> Result<bool, StoreError> {
        let rows = self
            .rows(
                "UPDATE tasks SET state = 'withdrawn', withdrawn_at = $1 WHERE id = $2 AND state IN ('assigned', 'taken') RETURNING id",
                values![now, id],
            )
            .await?;
        Ok(!rows.is_empty())
    }

    pub async fn draw_record(&self, id: &str) -> Result<Option<DrawRecord>, StoreError> {
        let row = self
            .row(
                "SELECT d.id, d.algorithm, d.seed, d.filters, d.site_pool, d.inspector_pool, d.sites, d.per_site, d.result, \
                 d.template_id, d.due, d.note, d.created_by, d.created_at, COALESCE(p.name, ''), d.seed_typed \
                 FROM draws d LEFT JOIN people p ON p.id = d.created_by WHERE d.id = $1",
                values![id],
            )
            .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(DrawRecord {
            id: r[0].text(),
            algorithm: r[1].text(),
            seed: r[2].text().parse().map_err(|e| StoreError::Database(format!("draw seed: {e}")))?,
            filters: parsed(&r[3].text(), "filters")?,
            site_pool: parsed(&r[4].text(), "site pool")?,
            inspector_pool: parsed(&r[5].text(), "inspector pool")?,
            sites: r[6].int() as usize,
            per_site: r[7].int() as usize,
            result: parsed(&r[8].text(), "result")?,
            template_id: r[9].text(),
            due: r[10].text(),
            note: r[11].text(),
            created_by: r[12].opt_text(),
            created_at: r[13].int() as u64,
            created_by_name: r[14].text(),
            seed_typed: r[15].int() != 0,
        }))
    }

    /// The draws, newest first: `(id, created_at, who, sites drawn)`.
    pub async fn draws(&self, offset: u64, limit: u64) -> Result<Vec<(String, u64, String, i64)>, StoreError> {
        let rows = self
            .rows(
                "SELECT d.id, d.created_at, COALESCE(p.name, ''), d.sites FROM draws d LEFT JOIN people p ON p.id = d.created_by \
                 ORDER BY d.created_at DESC, d.id LIMIT $1 OFFSET $2",
                values![limit, offset],
            )
            .await?;
        Ok(rows.iter().map(|r| (r[0].text(), r[1].int() as u64, r[2].text(), r[3].int())).collect())
    }
}
