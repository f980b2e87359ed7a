//! What the register reads of one inspection: the hazards it found, graded by its
//! checklist's rules, and, for a follow-up, its verdicts. [`super::register::register`]
//! makes one from each record; the app also keeps one beside each archived record, so the
//! register (and Home's counts) never read a year of records at start. The register itself
//! is always [`super::register::register_of`] over these parts: one rule.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::register::site_key;
use crate::catalogue::library::Library;
use crate::grading::graded::Graded;
use crate::inspection::determination::Standing;
use crate::inspection::follow_up::Verdict;
use crate::inspection::hazard::{Grade, GradeChoice};
use crate::inspection::{Answer, Inspection};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterPart {
    pub inspection: Uuid,
    /// `None` for a draft, which the register leaves out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<u64>,
    /// Trimmed, as the register shows it.
    pub site_name: String,
    pub site_key: String,
    /// The template id (which names the sector).
    pub template: String,
    /// The hazards a completed inspection found, in register order within it (none for a
    /// draft). A follow-up's own findings are registered too, but for the items it carries:
    /// its verdict on those is what the register reads, not a second entry of the same hazard.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub found: Vec<Found>,
    /// A follow-up's checks that have a verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verdicts: Vec<Checked>,
}

/// One hazard as its inspection recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub item: String,
    /// Graded by its checklist edition's rules; `None` when the edition was not known, and
    /// the register then grades it from `raised` and the latest check of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graded: Option<(Grade, Standing)>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub raised: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_the_spot: bool,
    /// The item's note, trimmed.
    pub description: String,
    /// `YYYY-MM-DD` trimmed, or empty when rectified on the spot.
    pub deadline: String,
}

/// A follow-up's verdict on one hazard, with the grade the hazard had when it was carried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    pub inspection: Uuid,
    pub item: String,
    pub grade: Grade,
    pub verdict: Verdict,
}

impl RegisterPart {
    /// The part of `inspection`, graded with its edition and rule set from `library`.
    pub fn of(inspection: &Inspection, library: &Library) -> RegisterPart {
        let completed = inspection.completed_at.is_some();
        let carried = |item: &str| inspection.follow_up.iter().flat_map(|f| &f.checks).any(|c| c.item == item);
        let found = if completed { found(inspection, library).into_iter().filter(|f| !carried(&f.item)).collect() } else { Vec::new() };
        let verdicts = inspection
            .follow_up
            .iter()
            .flat_map(|f| &f.checks)
            .filter_map(|c| Some(Checked { inspection: c.inspection, item: c.item.clone(), grade: c.grade, verdict: c.verdict? }))
            .collect();
        RegisterPart {
            inspection: inspection.id,
            completed_at: inspection.completed_at,
            site_name: inspection.site.name.trim().to_string(),
            site_key: site_key(&inspection.site),
            template: inspection.template.id.clone(),
            found,
            verdicts,
        }
    }

    /// Whether it was made without its checklist edition, which the device now has: made
    /// again, it is graded by the rules.
    pub fn could_be_graded(&self) -> bool {
        self.found.iter().any(|f| f.graded.is_none())
    }
}

/// The hazards in checklist order, graded, when the edition is known; otherwise from the
/// answers, in item-id order, ungraded.
fn found(inspection: &Inspection, library: &Library) -> Vec<Found> {
    let template = library.template(&inspection.template.id, &inspection.template.version);
    let graded: Vec<(String, Option<(Grade, Standing)>)> = match template {
        Some(template) => {
            let rule_set = template.rule_set.as_deref().and_then(|id| library.rule_set(id));
            let graded = Graded::new(inspection, template, rule_set);
            graded.hazards().map(|(item, grade)| (item.id.clone(), Some((grade, graded.standing(&item.id))))).collect()
        }
        None => inspection
            .answers
            .iter()
            .filter(|(_, answer)| answer.answer == Some(Answer::Hazard))
            .map(|(item, _)| (item.clone(), None))
            .collect(),
    };
    graded
        .into_iter()
        .map(|(item, graded)| {
            let hazard = inspection.hazard(&item).cloned().unwrap_or_default();
            Found {
                graded,
                raised: hazard.grading == GradeChoice::Raised,
                on_the_spot: hazard.rectification.on_the_spot,
                description: inspection.note(&item).trim().to_string(),
                deadline: hazard.rectification.deadline.trim().to_string(),
                item,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rectification::follow_up::start_follow_up;
    use crate::rectification::register::tests::{completed, library};
    use crate::rectification::register::{open_for_site, register, register_of, site_key, HazardStatus};

    #[test]
    fn a_part_round_trips_and_the_register_of_parts_is_the_register_of_records() {
        let found = completed(1, "office", &["dm-1", "pl-1"], "2026-03-01", 10);
        let entries = register(std::slice::from_ref(&found), &library(), "2026-01-01");
        let open = open_for_site(&entries, &entries[0].site_key);
        let mut check = start_follow_up(Uuid::from_u128(2), &found, &open, 20);
        check.set_verdict(0, Some(Verdict::Rectified), 21).unwrap();
        check.completed_at = Some(22);
        let all = [found.clone(), check.clone()];

        let parts: Vec<RegisterPart> = all.iter().map(|i| RegisterPart::of(i, &library())).collect();
        let stored: Vec<RegisterPart> = parts.iter().map(|p| serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap()).collect();
        assert_eq!(stored, parts);
        assert_eq!(register_of(&stored.iter().collect::<Vec<_>>(), "2026-04-01"), register(&all, &library(), "2026-04-01"));

        let found_part = &parts[0];
        assert_eq!(
            found_part.found.iter().map(|f| (f.item.as_str(), f.graded.map(|g| g.0))).collect::<Vec<_>>(),
            vec![("dm-1", Some(Grade::Major)), ("pl-1", Some(Grade::General))]
        );
        assert!(found_part.verdicts.is_empty() && !found_part.could_be_graded());
        let check_part = &parts[1];
        assert!(check_part.found.is_empty(), "it found nothing but what it carried");
        assert_eq!(
            check_part.verdicts,
            vec![Checked { inspection: found.id, item: "dm-1".into(), grade: Grade::Major, verdict: Verdict::Rectified }],
            "only checks with a verdict"
        );
    }

    #[test]
    fn a_follow_up_registers_what_it_found_itself_and_its_verdicts_still_close_the_carried() {
        let t = crate::grading::fixtures::template();
        let original = completed(1, "office", &["dm-1"], "2026-03-01", 10);
        let entries = register(std::slice::from_ref(&original), &library(), "2026-01-01");
        let open = open_for_site(&entries, &entries[0].site_key);
        let mut check = start_follow_up(Uuid::from_u128(2), &original, &open, 20);
        check.set_verdict(0, Some(Verdict::Rectified), 21).unwrap();
        // Walking the site again, the re-inspector finds a new hazard, and answers the carried
        // item as a hazard too (which the verdict, not a new entry, speaks for).
        for (item, answer) in [("pl-1", Answer::Hazard), ("dm-1", Answer::Hazard)] {
            check.set_answer(&t, item, Some(answer), 22).unwrap();
            check.set_note(&t, item, "seen on the re-inspection", 22).unwrap();
        }
        check.edit_hazard(&t, "pl-1", 22, |h| h.rectification.deadline = "2026-05-01".into()).unwrap();
        check.completed_at = Some(23);

        let part = RegisterPart::of(&check, &library());
        assert_eq!(part.found.iter().map(|f| f.item.as_str()).collect::<Vec<_>>(), vec!["pl-1"], "the carried dm-1 is not found again");
        assert_eq!(part.found[0].deadline, "2026-05-01");
        assert_eq!(part.found[0].graded.map(|g| g.0), Some(Grade::General));

        let all = [original.clone(), check.clone()];
        let now = register(&all, &library(), "2026-06-01");
        let of = |id: Uuid, item: &str| now.iter().find(|e| e.inspection == id && e.item == item).map(|e| (e.status, e.overdue));
        assert_eq!(of(original.id, "dm-1"), Some((HazardStatus::Closed { by: check.id, at: 23 }, false)));
        assert_eq!(of(check.id, "pl-1"), Some((HazardStatus::Open, true)), "the follow-up's own hazard, open and past its deadline");
        assert_eq!(of(check.id, "dm-1"), None);
        assert_eq!(now.len(), 2);

        // A later follow-up of the follow-up closes what it found.
        let open = open_for_site(&now, &site_key(&check.site));
        assert_eq!(open.len(), 1);
        let mut again = start_follow_up(Uuid::from_u128(3), &check, &open, 30);
        again.set_verdict(0, Some(Verdict::Rectified), 31).unwrap();
        again.completed_at = Some(32);
        let closed = register(&[original, check.clone(), again.clone()], &library(), "2026-06-01");
        assert!(closed.iter().all(|e| e.status != HazardStatus::Open), "{closed:?}");
        let draft = Inspection { completed_at: None, ..check };
        assert!(RegisterPart::of(&draft, &library()).found.is_empty(), "a draft follow-up finds nothing yet");
    }

    #[test]
    fn without_its_edition_a_part_is_ungraded_and_a_draft_finds_nothing() {
        let found = completed(1, "office", &["pl-1"], "2026-03-01", 10);
        let part = RegisterPart::of(&found, &Library::new());
        assert_eq!(part.found.iter().map(|f| (f.item.as_str(), f.graded)).collect::<Vec<_>>(), vec![("pl-1", None)]);
        assert!(part.could_be_graded());
        let mut draft = found.clone();
        draft.completed_at = None;
        assert!(RegisterPart::of(&draft, &library()).found.is_empty());
    }
}
