//! The pull (`GET {endpoint}/sync?since=<cursor>`, issue 14): what the cursor means and how
//! the stored rows become core's [`Pull`]. Plain functions over plain values, tested here;
//! the store reads the rows ([`crate::store::sync`]), the route asks these.
//!
//! A cursor is `<epoch>.<value>`: the database's counter epoch and the counter value the
//! answer was read at. A cursor of another epoch (another database, a restored backup), one
//! ahead of the counter, or one that does not parse is unknown: the answer is full.

use std::collections::BTreeMap;

use safewalk_core::assignment::pull::{Pull, SiteHazards, Task, TaskKind, TaskState};
use safewalk_core::dates;
use safewalk_core::inspection::hazard::Grade;
use safewalk_core::rectification::register::{site_key, HazardStatus, RegisterEntry};
use safewalk_core::SiteDetails;
use uuid::Uuid;

use crate::store::hazards::standing_of;
use crate::store::sync::{Counter, PulledHazard, PulledSite, PulledTask};

/// The cursor an answer read at `counter` hands out.
pub fn cursor(counter: &Counter) -> String {
    format!("{}.{}", counter.epoch, counter.value)
}

/// The counter value a `since` stands for, if this database issued it and it is not ahead
/// of the counter: `None` means answer with everything.
pub fn since(cursor: Option<&str>, counter: &Counter) -> Option<i64> {
    let (epoch, value) = cursor?.trim().rsplit_once('.')?;
    let value: i64 = value.parse().ok()?;
    (epoch == counter.epoch && (0..=counter.value).contains(&value)).then_some(value)
}

/// The stored kind word as core's (anything unknown reads as an inspection).
pub fn kind_of(word: &str) -> TaskKind {
    match word {
        "re_inspection" => TaskKind::ReInspection,
        _ => TaskKind::Inspection,
    }
}

/// The stored kind word of core's kind (what the form posts and the column holds).
pub fn kind_word(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::Inspection => "inspection",
        TaskKind::ReInspection => "re_inspection",
    }
}

fn state_of(word: &str) -> TaskState {
    match word {
        "taken" => TaskState::Taken,
        "delivered" => TaskState::Delivered,
        "withdrawn" => TaskState::Withdrawn,
        _ => TaskState::Assigned,
    }
}

fn uuid(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text).ok()
}

/// A stored task as core's, or `None` when its ids are not UUIDs (never written so).
pub fn task(t: PulledTask) -> Option<Task> {
    Some(Task {
        id: uuid(&t.id)?,
        number: crate::tasks::number(t.year, t.seq),
        kind: kind_of(&t.kind),
        state: state_of(&t.state),
        site: uuid(&t.site_id)?,
        site_details: SiteDetails {
            name: t.site_name,
            address: t.site_address,
            category: t.site_category,
            uscc: t.site_uscc,
            ..SiteDetails::default()
        },
        template: t.template_id,
        inspectors: t.inspectors,
        due: t.due,
        note: t.note,
    })
}

/// One open hazard as core's register entry on `today`: keyed to the office's site (its name
/// and address), so every entry of a site shares one `site_key` whoever wrote the name.
fn entry(h: PulledHazard, site: &PulledSite, today: &str) -> Option<RegisterEntry> {
    Some(RegisterEntry {
        inspection: uuid(&h.inspection)?,
        overdue: dates::is_past(&h.deadline, today),
        item: h.item,
        site_name: h.site_name,
        site_key: site_key(&SiteDetails { name: site.name.clone(), address: site.address.clone(), ..SiteDetails::default() }),
        template: h.template,
        grade: if h.grade == "major" { Grade::Major } else { Grade::General },
        standing: standing_of(&h.standing),
        description: h.description,
        deadline: h.deadline,
        found_at: h.found_at,
        status: HazardStatus::Open,
        order: h.order,
    })
}

/// The answer: `full` when there was no usable `since`; every named site listed, with its
/// open hazards (none: the phone empties its list).
pub fn pull(
    counter: &Counter,
    full: bool,
    tasks: Vec<PulledTask>,
    sites: Vec<PulledSite>,
    hazards: Vec<PulledHazard>,
    library: Option<String>,
    today: &str,
) -> Pull {
    let mut by_site: BTreeMap<String, Vec<PulledHazard>> = BTreeMap::new();
    for h in hazards {
        by_site.entry(h.site_id.clone()).or_default().push(h);
    }
    let sites = sites
        .into_iter()
        .filter_map(|site| {
            let open = by_site.remove(&site.id).unwrap_or_default().into_iter().filter_map(|h| entry(h, &site, today)).collect();
            Some(SiteHazards { site: uuid(&site.id)?, open })
        })
        .collect();
    Pull {
        cursor: cursor(counter),
        full,
        tasks: tasks.into_iter().filter_map(task).collect(),
        sites,
        library,
        serials: Vec::new(),
        agency: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(value: i64) -> Counter {
        Counter { epoch: "a1b2".into(), value }
    }

    #[test]
    fn a_cursor_reads_back_only_from_this_database_and_never_ahead_of_it() {
        let now = counter(42);
        assert_eq!(cursor(&now), "a1b2.42");
        assert_eq!(since(Some("a1b2.42"), &now), Some(42));
        assert_eq!(since(Some(" a1b2.7 "), &now), Some(7));
        assert_eq!(since(Some("a1b2.0"), &now), Some(0));
        for unknown in [None, Some(""), Some("a1b2"), Some("a1b2.43"), Some("ffff.7"), Some("a1b2.-1"), Some("a1b2.x"), Some(".7")] {
            assert_eq!(since(unknown, &now), None, "{unknown:?}");
        }
    }

    #[test]
    fn kinds_and_states_read_back_and_unknown_words_are_safe() {
        for kind in [TaskKind::Inspection, TaskKind::ReInspection] {
            assert_eq!(kind_of(kind_word(kind)), kind);
        }
        assert_eq!(kind_of("survey"), TaskKind::Inspection);
        assert_eq!(state_of("taken"), TaskState::Taken);
        assert_eq!(state_of("delivered"), TaskState::Delivered);
        assert_eq!(state_of("withdrawn"), TaskState::Withdrawn);
        assert_eq!(state_of("assigned"), TaskState::Assigned);
    }

    fn stored_task(id: u128, site: u128) -> PulledTask {
        PulledTask {
            id: Uuid::from_u128(id).to_string(),
            year: 2026,
            seq: 7,
            kind: "re_inspection".into(),
            state: "taken".into(),
            site_id: Uuid::from_u128(site).to_string(),
            site_name: "东方商厦".into(),
            site_address: "肇嘉浜路1号".into(),
            site_category: "shopping-mall".into(),
            site_uscc: String::new(),
            template_id: "graded-shop".into(),
            due: "2026-12-09".into(),
            note: "bring the plans".into(),
            inspectors: vec!["王明".into(), "李华".into()],
        }
    }

    fn hazard(site: u128, item: &str, deadline: &str) -> PulledHazard {
        PulledHazard {
            site_id: Uuid::from_u128(site).to_string(),
            inspection: Uuid::from_u128(99).to_string(),
            item: item.into(),
            site_name: "东方商厦 (as typed)".into(),
            template: "graded-shop".into(),
            grade: "major".into(),
            standing: "suspected".into(),
            description: "blocked exit".into(),
            deadline: deadline.into(),
            found_at: 5,
            order: None,
        }
    }

    #[test]
    fn rows_become_the_pull_every_named_site_listed_even_without_hazards() {
        let site = |n: u128, name: &str| PulledSite { id: Uuid::from_u128(n).to_string(), name: name.into(), address: "路 1号".into() };
        let answer = pull(
            &counter(9),
            false,
            vec![stored_task(1, 10)],
            vec![site(10, "东方商厦"), site(20, "八佰伴")],
            vec![hazard(10, "exits", "2026-12-01"), hazard(10, "alarm", "2026-12-09"), hazard(30, "stray", "")],
            Some("\"tag\"".into()),
            "2026-12-03",
        );
        assert_eq!(answer.cursor, "a1b2.9");
        assert!(!answer.full);
        let task = &answer.tasks[0];
        assert_eq!((task.number.as_str(), task.kind, task.state), ("2026-0007", TaskKind::ReInspection, TaskState::Taken));
        assert_eq!((task.site_details.name.as_str(), task.site_details.category.as_str()), ("东方商厦", "shopping-mall"));
        assert_eq!(task.inspectors, vec!["王明", "李华"]);
        assert_eq!(answer.sites.len(), 2, "a site named but without hazards is listed, empty: the phone empties it");
        let open = &answer.sites[0].open;
        assert_eq!(open.iter().map(|e| e.item.as_str()).collect::<Vec<_>>(), vec!["exits", "alarm"]);
        assert!(open[0].overdue && !open[1].overdue);
        assert_eq!(open[0].site_key, "东方商厦\n路 1号", "the office's site, not the name as typed");
        assert_eq!(open[0].site_name, "东方商厦 (as typed)");
        assert_eq!(open[0].standing, safewalk_core::inspection::determination::Standing::Suspected);
        assert_eq!(open[0].status, HazardStatus::Open);
        assert!(answer.sites[1].open.is_empty());
        assert_eq!(answer.library.as_deref(), Some("\"tag\""));
    }

    #[test]
    fn rows_with_ids_that_are_not_uuids_are_left_out() {
        let mut bad = stored_task(1, 10);
        bad.site_id = "not-a-uuid".into();
        assert!(task(bad).is_none());
        assert!(task(stored_task(1, 10)).is_some());
    }
}
