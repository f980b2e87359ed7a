//! What the phone keeps of its pulls: the open tasks and their sites' open hazards, as of
//! the last answer, with the cursor for the next. The one rule is [`Assigned::apply`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::pull::{Pull, Task};
use crate::dates;
use crate::rectification::register::RegisterEntry;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assigned {
    /// The last answer's cursor: `None` before the first pull (the next pull asks for all).
    pub cursor: Option<String>,
    /// The library `ETag` the last answer named.
    pub library: Option<String>,
    tasks: BTreeMap<Uuid, Task>,
    /// Site id → its open hazards.
    sites: BTreeMap<Uuid, Vec<RegisterEntry>>,
}

impl Assigned {
    /// Takes in one answer: everything replaced when it is full, else the changes merged.
    /// Tasks no longer open (delivered, withdrawn) are dropped, and with them the hazards of
    /// sites no kept task names, so what the phone holds never outgrows its to-do list.
    pub fn apply(&mut self, pull: Pull) {
        if pull.full {
            self.tasks.clear();
            self.sites.clear();
        }
        for task in pull.tasks {
            if task.state.is_open() {
                self.tasks.insert(task.id, task);
            } else {
                self.tasks.remove(&task.id);
            }
        }
        for site in pull.sites {
            self.sites.insert(site.site, site.open);
        }
        let tasks = &self.tasks;
        self.sites.retain(|site, _| tasks.values().any(|t| t.site == *site));
        self.cursor = Some(pull.cursor);
        if pull.library.is_some() {
            self.library = pull.library;
        }
    }

    /// The open tasks, soonest due first (then by number).
    pub fn to_do(&self) -> Vec<&Task> {
        let mut tasks: Vec<&Task> = self.tasks.values().collect();
        tasks.sort_by(|a, b| (&a.due, &a.number).cmp(&(&b.due, &b.number)));
        tasks
    }

    pub fn task(&self, id: Uuid) -> Option<&Task> {
        self.tasks.get(&id)
    }

    /// The open hazards of a site as last pulled (none when the site is not known).
    pub fn open_hazards(&self, site: Uuid) -> &[RegisterEntry] {
        self.sites.get(&site).map(Vec::as_slice).unwrap_or(&[])
    }
}

impl Task {
    /// Past its due date on `today` (`YYYY-MM-DD`) and still open.
    pub fn is_overdue(&self, today: &str) -> bool {
        self.state.is_open() && dates::is_past(&self.due, today)
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::assignment::pull::{SiteHazards, TaskKind, TaskState};
    use crate::inspection::hazard::Grade;
    use crate::inspection::SiteDetails;
    use crate::rectification::register::HazardStatus;

    pub fn task(n: u128, site: u128, due: &str, state: TaskState) -> Task {
        Task {
            id: Uuid::from_u128(n),
            number: format!("2026-{n:04}"),
            kind: TaskKind::Inspection,
            state,
            site: Uuid::from_u128(site),
            site_details: SiteDetails { name: format!("site {site}"), ..SiteDetails::default() },
            template: "warehouse".into(),
            inspectors: vec!["王明".into(), "李华".into()],
            due: due.into(),
            note: String::new(),
        }
    }

    pub fn hazard(inspection: u128, item: &str) -> RegisterEntry {
        RegisterEntry {
            inspection: Uuid::from_u128(inspection),
            item: item.into(),
            site_name: "site".into(),
            site_key: "site\n".into(),
            template: "warehouse".into(),
            grade: Grade::Major,
            standing: Default::default(),
            description: format!("found at {item}"),
            deadline: "2026-12-01".into(),
            found_at: 1,
            status: HazardStatus::Open,
            overdue: true,
            order: None,
        }
    }

    fn pull(cursor: &str, full: bool, tasks: Vec<Task>, sites: Vec<(u128, Vec<RegisterEntry>)>) -> Pull {
        Pull {
            cursor: cursor.into(),
            full,
            tasks,
            sites: sites.into_iter().map(|(site, open)| SiteHazards { site: Uuid::from_u128(site), open }).collect(),
            library: None,
            serials: Vec::new(),
            agency: None,
        }
    }

    fn ids(assigned: &Assigned) -> Vec<u128> {
        assigned.to_do().iter().map(|t| t.id.as_u128()).collect()
    }

    #[test]
    fn a_full_answer_replaces_what_was_kept_and_a_delta_merges() {
        let mut kept = Assigned::default();
        kept.apply(pull("1", true, vec![task(1, 10, "2026-12-09", TaskState::Assigned)], vec![(10, vec![hazard(5, "a")])]));
        kept.apply(pull("2", false, vec![task(2, 20, "2026-12-05", TaskState::Taken)], vec![]));
        assert_eq!(ids(&kept), vec![2, 1], "soonest due first, the first task kept");
        assert_eq!(kept.open_hazards(Uuid::from_u128(10)).len(), 1, "a delta without the site keeps its hazards");
        assert_eq!(kept.cursor.as_deref(), Some("2"));

        kept.apply(pull("3", true, vec![task(3, 30, "2026-12-07", TaskState::Assigned)], vec![]));
        assert_eq!(ids(&kept), vec![3]);
        assert!(kept.open_hazards(Uuid::from_u128(10)).is_empty(), "a full answer drops what it does not hold");
    }

    #[test]
    fn a_changed_task_replaces_the_kept_one_and_a_site_answer_replaces_its_hazards() {
        let mut kept = Assigned::default();
        kept.apply(pull("1", true, vec![task(1, 10, "2026-12-09", TaskState::Assigned)], vec![(10, vec![hazard(5, "a"), hazard(5, "b")])]));
        let mut moved = task(1, 10, "2026-12-20", TaskState::Taken);
        moved.note = "bring the plans".into();
        kept.apply(pull("2", false, vec![moved.clone()], vec![(10, vec![hazard(5, "b")])]));
        assert_eq!(kept.task(Uuid::from_u128(1)), Some(&moved));
        let items: Vec<&str> = kept.open_hazards(Uuid::from_u128(10)).iter().map(|h| h.item.as_str()).collect();
        assert_eq!(items, vec!["b"], "the site's list is replaced, not merged: a closed hazard leaves it");
    }

    #[test]
    fn delivered_and_withdrawn_tasks_leave_with_the_hazards_of_sites_no_task_names() {
        let mut kept = Assigned::default();
        kept.apply(pull(
            "1",
            true,
            vec![
                task(1, 10, "2026-12-09", TaskState::Assigned),
                task(2, 20, "2026-12-09", TaskState::Assigned),
                task(3, 20, "2026-12-10", TaskState::Assigned),
            ],
            vec![(10, vec![hazard(5, "a")]), (20, vec![hazard(6, "a")])],
        ));
        kept.apply(pull(
            "2",
            false,
            vec![task(1, 10, "2026-12-09", TaskState::Delivered), task(2, 20, "2026-12-09", TaskState::Withdrawn)],
            vec![],
        ));
        assert_eq!(ids(&kept), vec![3]);
        assert!(kept.open_hazards(Uuid::from_u128(10)).is_empty(), "no task at site 10 any more");
        assert_eq!(kept.open_hazards(Uuid::from_u128(20)).len(), 1, "task 3 still names site 20");
        // A closed task the phone never held is no error, and its site is not kept.
        kept.apply(pull("3", false, vec![task(9, 90, "2026-12-09", TaskState::Delivered)], vec![(90, vec![hazard(7, "a")])]));
        assert_eq!(ids(&kept), vec![3]);
        assert!(kept.open_hazards(Uuid::from_u128(90)).is_empty());
    }

    #[test]
    fn the_library_tag_is_kept_until_an_answer_names_another() {
        let mut kept = Assigned::default();
        let mut first = pull("1", true, vec![], vec![]);
        first.library = Some("\"abc\"".into());
        kept.apply(first);
        kept.apply(pull("2", false, vec![], vec![]));
        assert_eq!(kept.library.as_deref(), Some("\"abc\""));
    }

    #[test]
    fn equal_due_dates_list_by_number_and_overdue_is_past_the_due_date_while_open() {
        let mut kept = Assigned::default();
        kept.apply(pull(
            "1",
            true,
            vec![task(2, 10, "2026-12-09", TaskState::Assigned), task(1, 10, "2026-12-09", TaskState::Taken)],
            vec![],
        ));
        assert_eq!(ids(&kept), vec![1, 2]);
        let t = task(1, 10, "2026-12-09", TaskState::Taken);
        assert!(!t.is_overdue("2026-12-09"), "due today is not overdue");
        assert!(t.is_overdue("2026-12-10"));
        assert!(!task(1, 10, "2026-12-09", TaskState::Delivered).is_overdue("2026-12-10"));
    }

    #[test]
    fn what_the_phone_keeps_reads_back_and_an_old_answer_with_fewer_fields_reads() {
        let mut kept = Assigned::default();
        kept.apply(pull("1", true, vec![task(1, 10, "2026-12-09", TaskState::Assigned)], vec![(10, vec![hazard(5, "a")])]));
        let json = serde_json::to_string(&kept).unwrap();
        assert_eq!(serde_json::from_str::<Assigned>(&json).unwrap(), kept);
        let minimal: Pull = serde_json::from_str(r#"{"cursor":"c","full":true,"future":1}"#).unwrap();
        assert_eq!((minimal.tasks.len(), minimal.sites.len(), minimal.library), (0, 0, None));
    }
}
