//! Starting a task on the phone: the one rule that turns an office task (and what the last
//! pull brought of its site) into a new record the existing screens fill in. Pure, so it
//! works offline and is tested here; the app only stores what it returns.
//!
//! - An inspection task becomes a new inspection of the device's current edition of the
//!   task's checklist, with the site details the office holds and the task's inspectors as
//!   the team (joined with 、, as people type them in Chinese).
//! - A re-inspection task (复查) becomes a follow-up carrying every open hazard of the site
//!   as pulled from the office, whoever found them, so it needs no record of the original
//!   on this phone. It follows (`of`) the inspection that found the most recent of them.
//!
//! Either carries `task`, so it is delivered as payload schema 3 and the office links it.

use uuid::Uuid;

use super::pull::{Task, TaskKind};
use crate::catalogue::template::Template;
use crate::inspection::follow_up::FollowUp;
use crate::inspection::site::Team;
use crate::inspection::Inspection;
use crate::rectification::follow_up::carry;
use crate::rectification::register::RegisterEntry;

/// Why a task cannot be started on this phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartError {
    /// The task names a checklist this device does not hold (its id): import it, or let the
    /// next pull refresh the library.
    NoChecklist(String),
    /// A re-inspection of a site with no open hazard as last pulled: there is nothing to
    /// verify and no finding to follow. The office may have closed them since (acceptance,
    /// another re-inspection); a fresh pull says, or the office withdraws the task. Starting
    /// an empty follow-up instead would deliver a record that verifies nothing and names no
    /// inspection it follows.
    NothingToReInspect,
}

/// The new record for `task`, with this `id` at `now`. `template` is the device's current
/// edition of `task.template` (`None` when the device has none); `open` the site's open
/// hazards from the last pull ([`super::assigned::Assigned::open_hazards`]).
pub fn start_task(id: Uuid, task: &Task, template: Option<&Template>, open: &[RegisterEntry], now: u64) -> Result<Inspection, StartError> {
    let template = template.filter(|t| t.id == task.template).ok_or_else(|| StartError::NoChecklist(task.template.clone()))?;
    let mut inspection = Inspection::new(id, template, now);
    inspection.site = task.site_details.clone();
    inspection.team = Team { department: String::new(), inspectors: task.inspectors.join("、") };
    inspection.task = Some(task.id);
    if task.kind == TaskKind::ReInspection {
        let latest = open.iter().max_by_key(|h| h.found_at).ok_or(StartError::NothingToReInspect)?;
        let checks = open.iter().map(carry).collect();
        inspection.follow_up = Some(FollowUp { of: latest.inspection, checks, order: latest.order.clone() });
    }
    Ok(inspection)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignment::assigned::tests::{hazard, task};
    use crate::assignment::pull::TaskState;
    use crate::grading::fixtures;
    use crate::inspection::follow_up::Verdict;
    use crate::inspection::TemplateRef;

    fn inspection_task() -> Task {
        let mut t = task(1, 10, "2026-12-09", TaskState::Assigned);
        t.template = fixtures::template().id;
        t.site_details.address = "1 Road".into();
        t
    }

    #[test]
    fn an_inspection_task_starts_the_current_edition_with_the_office_site_and_team() {
        let template = fixtures::template();
        let t = inspection_task();
        let i = start_task(Uuid::from_u128(7), &t, Some(&template), &[hazard(5, "a")], 42).expect("started");
        assert_eq!(i.id, Uuid::from_u128(7));
        assert_eq!(i.template, TemplateRef { id: template.id.clone(), version: template.version.clone() });
        assert_eq!(i.site, t.site_details);
        assert_eq!(i.team.inspectors, "王明、李华");
        assert_eq!(i.team.inspector_names(), vec!["王明", "李华"], "the team reads back as two names");
        assert_eq!(i.task, Some(t.id));
        assert_eq!((i.created_at, i.updated_at, i.completed_at), (42, 42, None));
        assert!(i.follow_up.is_none(), "open hazards of the site do not make an inspection a follow-up");
        assert!(i.answers.is_empty());
    }

    #[test]
    fn a_re_inspection_task_carries_the_pulled_hazards_and_follows_the_latest_finding() {
        let template = fixtures::template();
        let mut t = inspection_task();
        t.kind = TaskKind::ReInspection;
        let (mut older, mut newer) = (hazard(5, "a"), hazard(6, "b"));
        older.found_at = 100;
        newer.found_at = 200;
        let order = |serial: u32| crate::inspection::paperwork::IssuedDocument {
            kind: crate::inspection::paperwork::DocumentKind::OrderToRectify,
            number: format!("（安）应急责改〔2026〕{serial}号"),
            year: 2026,
            serial,
            issued_at: 150,
        };
        (older.order, newer.order) = (Some(order(1)), Some(order(2)));
        let i = start_task(Uuid::from_u128(8), &t, Some(&template), &[newer.clone(), older.clone()], 300).expect("started");
        let follow_up = i.follow_up.as_ref().expect("a follow-up");
        assert_eq!(follow_up.of, Uuid::from_u128(6), "follows the inspection of the most recently found hazard");
        assert_eq!(follow_up.order, Some(order(2)), "and names the order that inspection issued, as the office knows it");
        let carried: Vec<(Uuid, &str, &str, &str)> =
            follow_up.checks.iter().map(|c| (c.inspection, c.item.as_str(), c.description.as_str(), c.deadline.as_str())).collect();
        assert_eq!(
            carried,
            vec![(Uuid::from_u128(6), "b", "found at b", "2026-12-01"), (Uuid::from_u128(5), "a", "found at a", "2026-12-01")]
        );
        assert!(follow_up.checks.iter().all(|c| c.verdict.is_none() && c.grade == newer.grade));
        assert_eq!((i.task, &i.site), (Some(t.id), &t.site_details));
    }

    #[test]
    fn a_started_re_inspection_is_verified_and_completed_without_the_original_record() {
        let (template, rules) = (fixtures::template(), fixtures::rule_set());
        let mut t = inspection_task();
        t.kind = TaskKind::ReInspection;
        let mut i = start_task(Uuid::from_u128(8), &t, Some(&template), &[hazard(5, "a")], 300).expect("started");
        // What the office did not send, the inspector types on the details screen.
        (i.site.category, i.site.enterprise, i.site.principal, i.site.principal_phone) =
            ("office".into(), "Acme".into(), "张三".into(), "13800000000".into());
        i.team.department = "消防大队".into();
        i.set_verdict(0, Some(Verdict::Rectified), 301).expect("verdict");
        i.set_verdict_note(0, "fixed", 301).expect("note");
        i.complete(&template, Some(&rules), 302).expect("a verified follow-up completes");
    }

    #[test]
    fn a_re_inspection_without_open_hazards_or_a_missing_checklist_is_refused() {
        let template = fixtures::template();
        let mut t = inspection_task();
        t.kind = TaskKind::ReInspection;
        assert_eq!(start_task(Uuid::from_u128(8), &t, Some(&template), &[], 1), Err(StartError::NothingToReInspect));
        t.kind = TaskKind::Inspection;
        assert_eq!(start_task(Uuid::from_u128(8), &t, None, &[], 1), Err(StartError::NoChecklist(t.template.clone())));
        let mut other = template.clone();
        other.id = "another".into();
        assert_eq!(
            start_task(Uuid::from_u128(8), &t, Some(&other), &[], 1),
            Err(StartError::NoChecklist(t.template.clone())),
            "an edition of another checklist is no substitute"
        );
    }
}
