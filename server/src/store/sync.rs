//! What the pull (`GET {endpoint}/sync`) reads and writes: the change counter, the person's
//! tasks and the open hazards of their sites changed since a cursor, the move of assigned
//! tasks to taken, and the delivery that marks a task delivered in the transaction that stores
//! the inspection. One SQL text for both databases ([`super::sql`]).
//!
//! The counter is raised by triggers (migrations), so any code that changes a task, its
//! inspectors, a site or a hazard row makes the change reach the phones.

use safewalk_core::inspection::paperwork::IssuedDocument;

use super::sql::Value;
use super::{PutResult, Store, StoreError};
use crate::values;

/// The counter now: this database's epoch and the value of its last committed change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    pub epoch: String,
    pub value: i64,
}

/// A task as the pull sends it, with its site's details, before the inspectors' names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PulledTask {
    pub id: String,
    pub year: i64,
    pub seq: i64,
    pub kind: String,
    /// The stored state, or `withdrawn` for a task this person was taken off.
    pub state: String,
    pub site_id: String,
    pub site_name: String,
    pub site_address: String,
    pub site_category: String,
    pub site_uscc: String,
    pub template_id: String,
    pub due: String,
    pub note: String,
    /// The inspectors' names, in the order assigned.
    pub inspectors: Vec<String>,
}

/// An open hazard of a site the pull sends (a row of the derived `hazards` table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PulledHazard {
    pub site_id: String,
    pub inspection: String,
    pub item: String,
    pub site_name: String,
    pub template: String,
    pub grade: String,
    pub standing: String,
    pub description: String,
    pub deadline: String,
    pub found_at: u64,
    /// The order with deadlines its inspection issued (from the delivered paperwork), if any.
    pub order: Option<IssuedDocument>,
}

/// A site the pull names, with the details its hazards' `site_key` is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PulledSite {
    pub id: String,
    pub name: String,
    pub address: String,
}

/// What a task knows of the inspection that names it (the office pages' flags).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskLink {
    pub id: String,
    pub number: String,
    pub state: String,
    pub withdrawn_at: Option<u64>,
    pub taken_at: Option<u64>,
    pub delivered_at: Option<u64>,
    /// The inspection that delivered it (also one that arrived after it was withdrawn).
    pub inspection_id: Option<String>,
}

/// The sites of the person's (`$1`) open tasks, with the highest counter value of those
/// tasks; those changed since `$2` (a task in the answer, or a change to the site's hazards).
macro_rules! wanted_sites {
    () => {
        "WITH mine AS (SELECT t.site_id, MAX(t.sync_seq) AS task_seq FROM tasks t JOIN task_inspectors ti ON ti.task_id = t.id \
             WHERE ti.person_id = $1 AND t.state IN ('assigned', 'taken') GROUP BY t.site_id), \
         wanted AS (SELECT m.site_id FROM mine m LEFT JOIN sync_sites ss ON ss.site_id = m.site_id \
             WHERE m.task_seq > $2 OR COALESCE(ss.seq, 0) > $2) "
    };
}

macro_rules! pulled_task_columns {
    () => {
        "t.id, t.year, t.seq, t.kind, t.state, t.site_id, COALESCE(s.name, ''), COALESCE(s.address, ''), COALESCE(s.category, ''), \
         COALESCE(s.uscc, ''), t.template_id, t.due, t.note FROM tasks t LEFT JOIN sites s ON s.id = t.site_id "
    };
}

/// The order of a hazard's row (kind, number, year, serial, issued_at: NULLs when its
/// inspection issued none, or a kind this build does not know).
fn order_of(r: &[Value]) -> Option<IssuedDocument> {
    let [kind, number, year, serial, issued_at] = r else { return None };
    Some(IssuedDocument {
        kind: crate::papers::kind_of(&kind.text())?,
        number: number.text(),
        year: i32::try_from(year.int()).ok()?,
        serial: u32::try_from(serial.int()).ok()?,
        issued_at: u64::try_from(issued_at.int()).ok()?,
    })
}

fn pulled_task(r: &[Value], state: Option<&str>) -> PulledTask {
    PulledTask {
        id: r[0].text(),
        year: r[1].int(),
        seq: r[2].int(),
        kind: r[3].text(),
        state: state.map(str::to_string).unwrap_or_else(|| r[4].text()),
        site_id: r[5].text(),
        site_name: r[6].text(),
        site_address: r[7].text(),
        site_category: r[8].text(),
        site_uscc: r[9].text(),
        template_id: r[10].text(),
        due: r[11].text(),
        note: r[12].text(),
        inspectors: Vec::new(),
    }
}

/// The first statement of a transaction that changes what a phone holds: it raises the change
/// counter before the transaction locks any row. The triggers take the counter's row lock
/// after the row they fire on; a transaction that held the counter and then waited for a row
/// another one held while that one waited for the counter would deadlock (PostgreSQL would
/// abort one of them). Taken first, the counter orders such transactions whole.
pub(crate) fn counter_first() -> (&'static str, Vec<Value>) {
    ("UPDATE sync_counter SET value = value + 1", vec![])
}

impl Store {
    pub async fn sync_counter(&self) -> Result<Counter, StoreError> {
        let row = self.row("SELECT epoch, value FROM sync_counter WHERE id = 1", vec![]).await?;
        let row = row.ok_or_else(|| StoreError::Database("the sync counter has no row".into()))?;
        Ok(Counter { epoch: row[0].text(), value: row[1].int() })
    }

    /// Marks the person's assigned tasks taken (their phone is pulling them): the ids and
    /// numbers of those this pull moved (none taken: nothing written, the counter untouched).
    pub async fn take_tasks(&self, person: &str, now: u64) -> Result<Vec<(String, String)>, StoreError> {
        const ASSIGNED: &str =
            "SELECT id FROM tasks WHERE state = 'assigned' AND id IN (SELECT task_id FROM task_inspectors WHERE person_id = $1)";
        if self.rows(ASSIGNED, values![person]).await?.is_empty() {
            return Ok(Vec::new());
        }
        self.all_or_nothing(vec![
            counter_first(),
            (
                "UPDATE tasks SET state = 'taken', taken_at = $1 WHERE state = 'assigned' \
                 AND id IN (SELECT task_id FROM task_inspectors WHERE person_id = $2)",
                values![now, person],
            ),
        ])
        .await?;
        // Those this pull took: a co-inspector's pull at the same moment may have taken some.
        let rows = self
            .rows(
                "SELECT id, year, seq FROM tasks WHERE state = 'taken' AND taken_at = $1 \
                 AND id IN (SELECT task_id FROM task_inspectors WHERE person_id = $2) ORDER BY year, seq",
                values![now, person],
            )
            .await?;
        Ok(rows.iter().map(|r| (r[0].text(), crate::tasks::number(r[1].int(), r[2].int()))).collect())
    }

    /// The person's tasks changed after counter value `since` (`None`: every open one), and
    /// (`since` only) those they were taken off since, as withdrawn.
    pub async fn pulled_tasks(&self, person: &str, since: Option<i64>) -> Result<Vec<PulledTask>, StoreError> {
        const FULL: &str = concat!(
            "SELECT ",
            pulled_task_columns!(),
            "WHERE t.id IN (SELECT task_id FROM task_inspectors WHERE person_id = $1) AND t.state IN ('assigned', 'taken') \
             ORDER BY t.due, t.year, t.seq"
        );
        const CHANGED: &str = concat!(
            "SELECT ",
            pulled_task_columns!(),
            "WHERE t.id IN (SELECT task_id FROM task_inspectors WHERE person_id = $1) AND t.sync_seq > $2 ORDER BY t.due, t.year, t.seq"
        );
        const TAKEN_OFF: &str = concat!(
            "SELECT ",
            pulled_task_columns!(),
            "WHERE t.id IN (SELECT task_id FROM sync_withdrawn WHERE person_id = $1 AND seq > $2) ORDER BY t.due, t.year, t.seq"
        );
        let mut tasks: Vec<PulledTask> = match since {
            None => self.rows(FULL, values![person]).await?.iter().map(|r| pulled_task(r, None)).collect(),
            Some(since) => {
                let mut tasks: Vec<PulledTask> =
                    self.rows(CHANGED, values![person, since]).await?.iter().map(|r| pulled_task(r, None)).collect();
                tasks.extend(self.rows(TAKEN_OFF, values![person, since]).await?.iter().map(|r| pulled_task(r, Some("withdrawn"))));
                tasks
            }
        };
        if tasks.is_empty() {
            return Ok(tasks);
        }
        let names = self
            .rows(
                "SELECT ti.task_id, COALESCE(p.name, ti.person_id) FROM task_inspectors ti LEFT JOIN people p ON p.id = ti.person_id \
                 WHERE ti.task_id IN (SELECT task_id FROM task_inspectors WHERE person_id = $1 \
                 UNION SELECT task_id FROM sync_withdrawn WHERE person_id = $1) ORDER BY ti.task_id, ti.position",
                values![person],
            )
            .await?;
        for task in &mut tasks {
            task.inspectors = names.iter().filter(|r| r[0].text() == task.id).map(|r| r[1].text()).collect();
        }
        Ok(tasks)
    }

    /// The sites of the person's open tasks whose hazards changed after `since`, or that an
    /// open task changed after `since` names (`None`: all of them), and their open hazards
    /// in the register's order.
    pub async fn pulled_sites(&self, person: &str, since: Option<i64>) -> Result<(Vec<PulledSite>, Vec<PulledHazard>), StoreError> {
        const SITES: &str = concat!(
            wanted_sites!(),
            "SELECT w.site_id, COALESCE(s.name, ''), COALESCE(s.address, '') FROM wanted w LEFT JOIN sites s ON s.id = w.site_id ORDER BY w.site_id"
        );
        const HAZARDS: &str = concat!(
            wanted_sites!(),
            "SELECT h.site_id, h.inspection_id, h.item, h.site_name, h.template, h.grade, h.standing, h.description, h.deadline, h.found_at, \
             d.kind, d.number, d.year, d.serial, d.issued_at \
             FROM hazards h JOIN wanted w ON w.site_id = h.site_id \
             LEFT JOIN issued_documents d ON d.inspection_id = h.inspection_id AND d.position = (SELECT MIN(o.position) \
                 FROM issued_documents o WHERE o.inspection_id = h.inspection_id AND o.kind IN ('order_to_rectify', 'fire_correction_by_deadline')) \
             WHERE h.closed = 0 \
             ORDER BY h.site_id, h.grade_rank, h.due_key, h.found_at, h.inspection_id, h.item"
        );
        let since = since.unwrap_or(-1);
        let sites = self
            .rows(SITES, values![person, since])
            .await?
            .iter()
            .map(|r| PulledSite { id: r[0].text(), name: r[1].text(), address: r[2].text() })
            .collect();
        let hazards = self
            .rows(HAZARDS, values![person, since])
            .await?
            .iter()
            .map(|r| PulledHazard {
                site_id: r[0].text(),
                inspection: r[1].text(),
                item: r[2].text(),
                site_name: r[3].text(),
                template: r[4].text(),
                grade: r[5].text(),
                standing: r[6].text(),
                description: r[7].text(),
                deadline: r[8].text(),
                found_at: r[9].int() as u64,
                order: order_of(&r[10..]),
            })
            .collect();
        Ok((sites, hazards))
    }

    /// Stores an inspection started from `task` and, in the same transaction, marks the task
    /// delivered and links the two (a withdrawn task keeps its state and gets the link: the
    /// office flags it). Only the delivery that stores the record links: a duplicate, a
    /// conflict, or a task delivered by another inspection changes nothing. The counter is
    /// taken first, before any row lock, so this transaction and the triggers' others never
    /// wait on each other in a circle.
    #[allow(clippy::too_many_arguments)]
    pub async fn put_for_task(
        &self,
        id: &str,
        payload: &str,
        follow_up_of: Option<String>,
        submitted_by: Option<&str>,
        task: &str,
        now: u64,
    ) -> Result<PutResult, StoreError> {
        self.all_or_nothing(vec![
            counter_first(),
            (
                "INSERT INTO inspections (id, payload, received_at, follow_up_of, submitted_by, seal) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (id) DO NOTHING",
                values![id, payload, now, follow_up_of, submitted_by, crate::papers::seal_of(payload)],
            ),
            (
                "UPDATE tasks SET state = CASE WHEN state = 'withdrawn' THEN 'withdrawn' ELSE 'delivered' END, \
                 delivered_at = $1, inspection_id = $2 \
                 WHERE id = $3 AND inspection_id IS NULL AND state <> 'delivered' \
                 AND EXISTS (SELECT 1 FROM inspections i WHERE i.id = $2 AND i.received_at = $1 AND i.payload = $4)",
                values![now, id, task, payload],
            ),
        ])
        .await?;
        let stored = self.row("SELECT payload, received_at FROM inspections WHERE id = $1", values![id]).await?;
        match stored {
            Some(r) if r[0].text() != payload => Ok(PutResult::Conflict),
            Some(r) if r[1].int() as u64 == now => Ok(PutResult::Stored { received_at: now }),
            Some(r) => Ok(PutResult::Duplicate { received_at: r[1].int() as u64 }),
            None => Err(StoreError::Vanished { what: format!("inspection {id}") }),
        }
    }

    /// The task an inspection names, if the office knows it.
    pub async fn task_link(&self, task: &str) -> Result<Option<TaskLink>, StoreError> {
        let row = self
            .row("SELECT id, year, seq, state, withdrawn_at, inspection_id, taken_at, delivered_at FROM tasks WHERE id = $1", values![task])
            .await?;
        Ok(row.map(|r| TaskLink {
            id: r[0].text(),
            number: crate::tasks::number(r[1].int(), r[2].int()),
            state: r[3].text(),
            withdrawn_at: r[4].opt_int().map(|t| t as u64),
            inspection_id: r[5].opt_text(),
            taken_at: r[6].opt_int().map(|t| t as u64),
            delivered_at: r[7].opt_int().map(|t| t as u64),
        }))
    }
}
