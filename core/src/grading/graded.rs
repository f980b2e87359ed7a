//! An inspection read through its rules: the (inspection, template, rule set) triple held
//! once, with the determinations made once, so every screen, the payload, the export and
//! the register ask the same value for grades, problems and counts instead of passing the
//! triple to each grading function by hand.
//!
//! It also says where each hazard stands with respect to the collective determination a
//! rule set may ask for ([`Standing`]): a major fire hazard is only suspected until the
//! inspection records a determination that settles it.

use std::collections::BTreeMap;

use crate::catalogue::rule_set::RuleSet;
use crate::catalogue::template::{Item, Template};
use crate::grading::completion::{problems_with, Problem, Tally};
use crate::grading::engine::{determine, explain, settled_grade, Determination};
use crate::inspection::determination::{CollectiveDetermination, Conclusion, DeterminationProblem, Standing};
use crate::inspection::hazard::{Grade, GradeChoice};
use crate::inspection::Inspection;
use crate::text::LocalText;

/// One inspection graded with `template` (the edition it was started with) and the rule
/// set that template names, if the device has it (`None`: only direct items grade).
#[derive(Clone, Debug)]
pub struct Graded<'a> {
    inspection: &'a Inspection,
    template: &'a Template,
    rule_set: Option<&'a RuleSet>,
    determinations: BTreeMap<String, Determination>,
    /// The hazards a collective determination must settle, in checklist order: those graded
    /// major (after the inspector's choice) when the rule set asks for a determination.
    to_determine: Vec<String>,
    /// The inspection's determination when it settles every one of them.
    settled_by: Option<&'a CollectiveDetermination>,
}

impl<'a> Graded<'a> {
    pub fn new(inspection: &'a Inspection, template: &'a Template, rule_set: Option<&'a RuleSet>) -> Graded<'a> {
        // As the engine does: only the rule set the template names grades it.
        let rule_set = rule_set.filter(|r| template.rule_set.as_deref() == Some(r.id.as_str()));
        let determinations = determine(inspection, template, rule_set);
        let choice = |item: &str| inspection.hazard(item).map(|h| &h.grading).unwrap_or(&GradeChoice::Rule);
        let to_determine: Vec<String> = match rule_set.and_then(|r| r.collective_determination.as_ref()) {
            Some(_) => template
                .items()
                .filter(|item| determinations.get(&item.id).is_some_and(|d| settled_grade(d, choice(&item.id)) == Grade::Major))
                .map(|item| item.id.clone())
                .collect(),
            None => Vec::new(),
        };
        let settled_by = inspection.determination.as_ref().filter(|d| {
            let ids: Vec<&str> = to_determine.iter().map(String::as_str).collect();
            !to_determine.is_empty() && d.problems(&ids).is_empty()
        });
        Graded { inspection, template, rule_set, determinations, to_determine, settled_by }
    }

    pub fn inspection(&self) -> &'a Inspection {
        self.inspection
    }

    pub fn template(&self) -> &'a Template {
        self.template
    }

    /// What the rules alone say about every item answered "hazard", keyed by item id.
    pub fn determinations(&self) -> &BTreeMap<String, Determination> {
        &self.determinations
    }

    pub fn determination(&self, item_id: &str) -> Option<&Determination> {
        self.determinations.get(item_id)
    }

    /// The hazards a collective determination has to conclude on, in checklist order
    /// (whether or not one is recorded); empty when the rule set asks for none.
    pub fn to_determine(&self) -> &[String] {
        &self.to_determine
    }

    /// The recorded determination, when it settles the hazards (see
    /// [`CollectiveDetermination::problems`]); a record that does not leaves them suspected.
    pub fn settled_by(&self) -> Option<&'a CollectiveDetermination> {
        self.settled_by
    }

    /// What keeps the recorded determination from settling the hazards; empty when none is
    /// recorded.
    pub fn determination_problems(&self) -> Vec<DeterminationProblem> {
        let ids: Vec<&str> = self.to_determine.iter().map(String::as_str).collect();
        self.inspection.determination.as_ref().map(|d| d.problems(&ids)).unwrap_or_default()
    }

    /// Where a hazard stands with respect to the collective determination; `Direct` for an
    /// item that needs none (including one not answered "hazard").
    pub fn standing(&self, item_id: &str) -> Standing {
        if !self.to_determine.iter().any(|id| id == item_id) {
            return Standing::Direct;
        }
        match self.settled_by.and_then(|d| d.conclusions.get(item_id)) {
            Some(Conclusion::Major) => Standing::DeterminedMajor,
            Some(Conclusion::NotMajor) => Standing::DeterminedNotMajor,
            None => Standing::Suspected,
        }
    }

    /// The grade of a hazard after the inspector's choice and the collective determination
    /// (found not major: general); `None` for an item not answered "hazard". A suspected
    /// major hazard is major.
    pub fn grade(&self, item_id: &str) -> Option<Grade> {
        let determination = self.determination(item_id)?;
        Some(match self.standing(item_id) {
            Standing::DeterminedNotMajor => Grade::General,
            _ => settled_grade(determination, self.choice(item_id)),
        })
    }

    /// The grade the rules alone give a hazard; `None` for an item not answered "hazard".
    pub fn rule_grade(&self, item_id: &str) -> Option<Grade> {
        self.determination(item_id).map(|determination| determination.rule_grade)
    }

    /// Why the rules grade a hazard as they do, in both languages, followed by where it
    /// stands with the collective determination when it needs one.
    pub fn explain(&self, item_id: &str) -> Option<LocalText> {
        let text = self.determination(item_id).map(|determination| explain(determination, self.template, self.rule_set))?;
        Some(match self.standing_text(item_id) {
            Some(standing) => LocalText { zh: format!("{}。{}", text.zh, standing.zh), en: format!("{}. {}", text.en, standing.en) },
            None => text,
        })
    }

    /// The collective determination's part of [`Graded::explain`]: suspected and by which
    /// procedure, or determined when, by how many, and why.
    pub fn standing_text(&self, item_id: &str) -> Option<LocalText> {
        let basis = self.rule_set.and_then(|r| r.collective_determination.as_deref()).unwrap_or_default();
        let settled = |d: &CollectiveDetermination, major: bool| {
            let count = d.participants.len();
            let (panel_zh, panel_en) = match &d.panel {
                Some(panel) => (
                    format!("；专家组{}人，{}人同意", panel.members.len(), panel.votes_in_favour),
                    format!("; expert panel of {}, {} in favour", panel.members.len(), panel.votes_in_favour),
                ),
                None => (String::new(), String::new()),
            };
            let (date, reason) = (d.date.trim(), d.reason.trim());
            if major {
                LocalText {
                    zh: format!("{date}经集体讨论认定为重大火灾隐患（{count}人参加{panel_zh}；{basis}）：{reason}"),
                    en: format!("determined a major fire hazard by a collective discussion on {date} ({count} participants{panel_en}; {basis}): {reason}"),
                }
            } else {
                LocalText {
                    zh: format!("{date}经集体讨论认定不属于重大火灾隐患，按一般隐患整改（{count}人参加{panel_zh}；{basis}）：{reason}"),
                    en: format!("determined not a major fire hazard by a collective discussion on {date}, rectified as a general hazard ({count} participants{panel_en}; {basis}): {reason}"),
                }
            }
        };
        match self.standing(item_id) {
            Standing::Direct => None,
            Standing::Suspected => Some(LocalText {
                zh: format!("疑似重大火灾隐患，待集体讨论认定（{basis}）"),
                en: format!("suspected major fire hazard, awaiting collective determination ({basis})"),
            }),
            Standing::DeterminedMajor => self.settled_by.map(|d| settled(d, true)),
            Standing::DeterminedNotMajor => self.settled_by.map(|d| settled(d, false)),
        }
    }

    /// The settled grade of every hazard, keyed by item id.
    pub fn grades(&self) -> BTreeMap<String, Grade> {
        self.determinations.keys().filter_map(|item| Some((item.clone(), self.grade(item)?))).collect()
    }

    /// The hazards in checklist order, each with its settled grade.
    pub fn hazards(&self) -> impl Iterator<Item = (&'a Item, Grade)> + '_ {
        self.template.items().filter_map(|item| Some((item, self.grade(&item.id)?)))
    }

    /// What stands between the inspection and its completion (see
    /// [`crate::grading::completion::problems`]): a major hazard's rectification needs what
    /// a major one needs while it is suspected, and a general one's once found not major;
    /// then what keeps a recorded determination from settling the hazards. No determination
    /// at all is no problem: it may come after completion, and the hazards are delivered
    /// suspected.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = problems_with(self.inspection, self.template, &self.determinations, &self.grades());
        problems.extend(self.determination_problems().into_iter().map(Problem::Determination));
        problems
    }

    /// Counts per answer over the template's items, and the hazards in checklist order.
    pub fn tally(&self) -> Tally {
        Tally::of(self.inspection, self.template)
    }

    fn choice(&self, item_id: &str) -> &'a GradeChoice {
        self.inspection.hazard(item_id).map(|hazard| &hazard.grading).unwrap_or(&GradeChoice::Rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::completion::problems;
    use crate::grading::fixtures::{self, full_rectification};
    use crate::inspection::Answer;

    /// A mall (a site class the rule set counts) with three evacuation, smoke-control and
    /// decoration hazards, which together make each major, and a plain general one.
    fn mall() -> (Template, RuleSet, Inspection) {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(1, "mall", &["ev-1", "sm-1", "de-1", "pl-1"]);
        for item in ["ev-1", "sm-1", "de-1", "pl-1"] {
            i.edit_hazard(&t, item, 2, full_rectification).unwrap();
        }
        (t, r, i)
    }

    #[test]
    fn grades_are_the_rules_after_the_inspectors_choice_and_only_for_hazards() {
        let (t, r, mut i) = mall();
        i.edit_hazard(&t, "sm-1", 3, |h| h.grading = GradeChoice::Lowered { reason: "Fan repaired".into() }).unwrap();
        i.edit_hazard(&t, "pl-1", 3, |h| h.grading = GradeChoice::Raised).unwrap();
        i.set_answer(&t, "dm-1", Some(Answer::Compliant), 4).unwrap();
        let graded = Graded::new(&i, &t, Some(&r));
        assert_eq!((graded.grade("ev-1"), graded.rule_grade("ev-1")), (Some(Grade::Major), Some(Grade::Major)));
        assert_eq!((graded.grade("sm-1"), graded.rule_grade("sm-1")), (Some(Grade::General), Some(Grade::Major)));
        assert_eq!((graded.grade("pl-1"), graded.rule_grade("pl-1")), (Some(Grade::Major), Some(Grade::General)));
        assert_eq!((graded.grade("dm-1"), graded.rule_grade("dm-1"), graded.explain("dm-1")), (None, None, None));
        assert_eq!(graded.determination("dm-1"), None);
        let grades = graded.grades();
        assert_eq!(grades.keys().map(String::as_str).collect::<Vec<_>>(), vec!["de-1", "ev-1", "pl-1", "sm-1"]);
        for (item, grade) in &grades {
            assert_eq!(Some(*grade), graded.grade(item), "{item}");
        }
        assert_eq!(graded.determinations(), &determine(&i, &t, Some(&r)));
    }

    #[test]
    fn without_the_rule_set_only_direct_items_are_major() {
        let (t, _, i) = mall();
        let graded = Graded::new(&i, &t, None);
        assert!(graded.grades().values().all(|g| *g == Grade::General));
        assert_eq!(graded.explain("ev-1"), Some(explain(&determine(&i, &t, None)["ev-1"], &t, None)));
    }

    #[test]
    fn explanations_are_the_engines() {
        let (t, r, i) = mall();
        let graded = Graded::new(&i, &t, Some(&r));
        let expected = explain(&determine(&i, &t, Some(&r))["ev-1"], &t, Some(&r));
        assert!(expected.en.contains(&r.standard));
        assert_eq!(graded.explain("ev-1"), Some(expected));
    }

    #[test]
    fn hazards_come_in_checklist_order_with_their_settled_grade() {
        let (t, r, mut i) = mall();
        i.edit_hazard(&t, "pl-1", 3, |h| h.grading = GradeChoice::Raised).unwrap();
        let graded = Graded::new(&i, &t, Some(&r));
        let listed: Vec<(&str, Grade)> = graded.hazards().map(|(item, grade)| (item.id.as_str(), grade)).collect();
        let checklist: Vec<&str> = t.items().map(|item| item.id.as_str()).filter(|id| graded.grade(id).is_some()).collect();
        assert_eq!(listed.iter().map(|(id, _)| *id).collect::<Vec<_>>(), checklist);
        assert_eq!(listed.len(), 4);
        assert!(listed.iter().all(|(_, grade)| *grade == Grade::Major));
    }

    #[test]
    fn problems_and_tally_are_those_of_the_triple() {
        let (t, r, mut i) = mall();
        // Lowered without a reason, and a major hazard without its supervisor: problems
        // that exist only with the rule set.
        i.edit_hazard(&t, "ev-1", 3, |h| h.grading = GradeChoice::Lowered { reason: String::new() }).unwrap();
        i.edit_hazard(&t, "sm-1", 3, |h| h.rectification.supervisor.clear()).unwrap();
        let graded = Graded::new(&i, &t, Some(&r));
        let found = graded.problems();
        assert!(found.len() >= 2, "{found:?}");
        assert_eq!(found, problems(&i, &t, Some(&r)));
        assert_ne!(found, problems(&i, &t, None));
        assert_eq!(graded.tally(), Tally::of(&i, &t));
        assert_eq!(graded.tally().hazards, 4);
        assert!(std::ptr::eq(graded.inspection(), &i) && std::ptr::eq(graded.template(), &t));
    }

    #[test]
    fn every_grade_by_the_2017_element_rule_set_names_its_superseded_edition() {
        let (t, r) = (fixtures::elements_template(), fixtures::elements_rule_set());
        let i = fixtures::elements_inspection("mall", &["stair-type", "signs", "decoration", "tank-farm", "plain"]);
        let graded = Graded::new(&i, &t, Some(&r));
        assert_eq!(graded.grades().len(), 5);
        for item in graded.grades().keys() {
            let text = graded.explain(item).unwrap_or_else(|| LocalText { zh: String::new(), en: String::new() });
            assert!(text.en.contains("follows GB 35181-2017, superseded by GB 35181-2025 on 2025-11-01"), "{item}: {}", text.en);
            assert!(text.zh.contains("2025-11-01被GB 35181-2025"), "{item}: {}", text.zh);
        }
    }

    /// GB 35181-2017 chapter 4: every major fire hazard is suspected until a collective
    /// determination settles it.
    mod collective {
        use super::*;
        use crate::inspection::determination::tests::{people, settling};
        use crate::inspection::determination::{ExpertPanel, Person};
        use crate::inspection::EditError;

        const MAJORS: [&str; 4] = ["stair-type", "signs", "tank-farm", "decoration"];

        /// At a mall: three listed elements (composite majors), a direct item and a general
        /// one ("plain"); notes and full rectifications throughout.
        fn mall() -> (Template, RuleSet, Inspection) {
            let (t, r) = (fixtures::elements_template(), fixtures::elements_rule_set());
            let mut i = fixtures::elements_inspection("mall", &["stair-type", "signs", "decoration", "tank-farm", "plain"]);
            for item in ["stair-type", "signs", "decoration", "tank-farm", "plain"] {
                i.set_note(&t, item, &format!("found at {item}"), 2).unwrap();
                i.edit_hazard(&t, item, 2, full_rectification).unwrap();
            }
            (t, r, i)
        }

        /// The items with each standing, in checklist order.
        fn standings(graded: &Graded) -> Vec<(String, Standing)> {
            graded.template().items().filter(|i| graded.grade(&i.id).is_some()).map(|i| (i.id.clone(), graded.standing(&i.id))).collect()
        }

        fn in_checklist_order(ids: &[&str]) -> Vec<String> {
            let t = fixtures::elements_template();
            t.items().map(|i| i.id.clone()).filter(|id| ids.contains(&id.as_str())).collect()
        }

        #[test]
        fn every_major_composite_direct_or_raised_is_suspected_and_stays_major() {
            let (t, r, i) = mall();
            let graded = Graded::new(&i, &t, Some(&r));
            assert_eq!(graded.to_determine(), in_checklist_order(&MAJORS));
            for item in MAJORS {
                assert_eq!((graded.standing(item), graded.grade(item)), (Standing::Suspected, Some(Grade::Major)), "{item}");
                let text = graded.explain(item).unwrap_or_else(|| LocalText { zh: String::new(), en: String::new() });
                assert!(
                    text.en.ends_with(". suspected major fire hazard, awaiting collective determination (GB 35181-2017 第4章)"),
                    "{}",
                    text.en
                );
                assert!(text.zh.ends_with("。疑似重大火灾隐患，待集体讨论认定（GB 35181-2017 第4章）"), "{}", text.zh);
                assert!(text.en.contains("superseded by GB 35181-2025"), "the edition note stays: {}", text.en);
            }
            assert_eq!((graded.standing("plain"), graded.grade("plain")), (Standing::Direct, Some(Grade::General)));
            assert_eq!(graded.standing_text("plain"), None);
            assert_eq!(graded.standing("windows"), Standing::Direct, "not a hazard");
            assert_eq!(graded.settled_by(), None);
            // No determination yet is no problem: the hazards are delivered suspected.
            assert_eq!(graded.problems(), vec![]);
            assert_eq!(graded.determination_problems(), vec![]);
            // Raised by the inspector: major, so suspected too.
            let (t, r, mut i) = mall();
            i.edit_hazard(&t, "plain", 3, |h| h.grading = GradeChoice::Raised).unwrap();
            let graded = Graded::new(&i, &t, Some(&r));
            assert_eq!((graded.standing("plain"), graded.grade("plain")), (Standing::Suspected, Some(Grade::Major)));
            assert_eq!(graded.to_determine().len(), MAJORS.len() + 1);
        }

        #[test]
        fn a_rule_set_that_asks_for_none_keeps_its_direct_grade() {
            let (t, mut r, i) = mall();
            r.collective_determination = None;
            let graded = Graded::new(&i, &t, Some(&r));
            assert!(graded.to_determine().is_empty());
            assert!(MAJORS.iter().all(|item| graded.standing(item) == Standing::Direct && graded.grade(item) == Some(Grade::Major)));
            assert_eq!(graded.explain("tank-farm"), Some(explain(&graded.determinations()["tank-farm"], &t, Some(&r))));
            // A rule set the template does not name, or none: nothing to determine either.
            let (t, r, i) = mall();
            let mut other = r.clone();
            other.id = "another".into();
            for rule_set in [None, Some(&other)] {
                let graded = Graded::new(&i, &t, rule_set);
                assert!(graded.to_determine().is_empty() && graded.standing("tank-farm") == Standing::Direct);
            }
        }

        #[test]
        fn a_major_lowered_with_a_reason_is_not_suspected() {
            let (t, r, mut i) = mall();
            i.edit_hazard(&t, "signs", 3, |h| h.grading = GradeChoice::Lowered { reason: "Signs replaced on the spot".into() }).unwrap();
            let graded = Graded::new(&i, &t, Some(&r));
            assert_eq!((graded.standing("signs"), graded.grade("signs")), (Standing::Direct, Some(Grade::General)));
            assert!(!graded.to_determine().contains(&"signs".to_string()));
            // Lowered without a reason it stays major, and so suspected.
            i.edit_hazard(&t, "signs", 4, |h| h.grading = GradeChoice::Lowered { reason: " ".into() }).unwrap();
            assert_eq!(Graded::new(&i, &t, Some(&r)).standing("signs"), Standing::Suspected);
        }

        #[test]
        fn a_settling_determination_makes_majors_determined_and_the_not_major_general_with_date_and_reason() {
            let (t, r, mut i) = mall();
            let suspected = in_checklist_order(&MAJORS);
            let ids: Vec<&str> = suspected.iter().map(String::as_str).collect();
            let determination = settling(&ids);
            i.set_determination(Some(determination.clone()), 5).unwrap();
            assert_eq!(i.updated_at, 5);
            let graded = Graded::new(&i, &t, Some(&r));
            assert_eq!(graded.settled_by(), Some(&determination));
            let first = ids[0];
            let expected: Vec<(String, Standing)> = in_checklist_order(&[&MAJORS[..], &["plain"]].concat())
                .into_iter()
                .map(|id| {
                    let standing = match id.as_str() {
                        "plain" => Standing::Direct,
                        id if id == first => Standing::DeterminedNotMajor,
                        _ => Standing::DeterminedMajor,
                    };
                    (id, standing)
                })
                .collect();
            assert_eq!(standings(&graded), expected);
            // Found not major: general from now on, although the rules still say major.
            assert_eq!((graded.grade(first), graded.rule_grade(first)), (Some(Grade::General), Some(Grade::Major)));
            let text = graded.explain(first).unwrap_or_else(|| LocalText { zh: String::new(), en: String::new() });
            assert!(
                text.en.ends_with(&format!(
                    "determined not a major fire hazard by a collective discussion on 2026-12-03, rectified as a general hazard (3 participants; GB 35181-2017 第4章): {}",
                    determination.reason
                )),
                "{}",
                text.en
            );
            assert!(
                text.zh.ends_with(&format!(
                    "2026-12-03经集体讨论认定不属于重大火灾隐患，按一般隐患整改（3人参加；GB 35181-2017 第4章）：{}",
                    determination.reason
                )),
                "{}",
                text.zh
            );
            assert!(text.en.starts_with("major: "), "the rules' explanation stays first: {}", text.en);
            let text = graded.explain("tank-farm").unwrap_or_else(|| LocalText { zh: String::new(), en: String::new() });
            assert!(
                text.en.contains(
                    ". determined a major fire hazard by a collective discussion on 2026-12-03 (3 participants; GB 35181-2017 第4章): "
                ),
                "{}",
                text.en
            );
            assert!(text.zh.contains("。2026-12-03经集体讨论认定为重大火灾隐患（3人参加；GB 35181-2017 第4章）："), "{}", text.zh);
            assert_eq!(graded.grades().values().filter(|g| **g == Grade::Major).count(), MAJORS.len() - 1);
            assert_eq!(graded.problems(), vec![]);
        }

        #[test]
        fn an_expert_panel_and_its_vote_are_said() {
            let (t, r, mut i) = mall();
            let suspected = in_checklist_order(&MAJORS);
            let ids: Vec<&str> = suspected.iter().map(String::as_str).collect();
            let mut determination = settling(&ids);
            determination.panel = Some(ExpertPanel { members: people(9, "expert"), votes_in_favour: 6 });
            i.set_determination(Some(determination), 5).unwrap();
            let graded = Graded::new(&i, &t, Some(&r));
            let text = graded.explain("tank-farm").unwrap_or_else(|| LocalText { zh: String::new(), en: String::new() });
            assert!(text.en.contains("(3 participants; expert panel of 9, 6 in favour; GB 35181-2017 第4章)"), "{}", text.en);
            assert!(text.zh.contains("（3人参加；专家组9人，6人同意；GB 35181-2017 第4章）"), "{}", text.zh);
        }

        #[test]
        fn a_determination_that_does_not_settle_leaves_every_major_suspected_and_blocks_completion() {
            let (t, r, mut i) = mall();
            let suspected = in_checklist_order(&MAJORS);
            let ids: Vec<&str> = suspected.iter().map(String::as_str).collect();
            // Below each boundary in turn: two participants; a six-member panel; votes under
            // two-thirds; no reason; a hazard without a conclusion; a conclusion on a general one.
            let mut cases: Vec<(CollectiveDetermination, DeterminationProblem)> = Vec::new();
            let mut d = settling(&ids);
            d.participants.pop();
            cases.push((d, DeterminationProblem::TooFewParticipants { count: 2 }));
            let mut d = settling(&ids);
            d.panel = Some(ExpertPanel { members: people(6, "expert"), votes_in_favour: 6 });
            cases.push((d, DeterminationProblem::PanelTooSmall { members: 6 }));
            let mut d = settling(&ids);
            d.panel = Some(ExpertPanel { members: people(7, "expert"), votes_in_favour: 4 });
            cases.push((d, DeterminationProblem::TooFewVotes { votes: 4, needed: 5 }));
            let mut d = settling(&ids);
            d.reason.clear();
            cases.push((d, DeterminationProblem::MissingReason));
            let mut d = settling(&ids);
            d.conclusions.remove("tank-farm");
            cases.push((d, DeterminationProblem::MissingConclusion { item_id: "tank-farm".into() }));
            let mut d = settling(&ids);
            d.conclusions.insert("plain".into(), Conclusion::NotMajor);
            cases.push((d, DeterminationProblem::NotSuspected { item_id: "plain".into() }));
            for (determination, problem) in cases {
                i.set_determination(Some(determination), 5).unwrap();
                let graded = Graded::new(&i, &t, Some(&r));
                assert_eq!(graded.settled_by(), None, "{problem:?}");
                assert!(MAJORS.iter().all(|item| graded.standing(item) == Standing::Suspected && graded.grade(item) == Some(Grade::Major)));
                assert_eq!(graded.problems(), vec![Problem::Determination(problem.clone())]);
                assert_eq!(i.clone().complete(&t, Some(&r), 6), Err(vec![Problem::Determination(problem)]));
            }
            // Withdrawn, the inspection completes and its majors are delivered suspected.
            i.set_determination(None, 7).unwrap();
            i.complete(&t, Some(&r), 8).unwrap();
            assert_eq!(Graded::new(&i, &t, Some(&r)).standing("tank-farm"), Standing::Suspected);
        }

        #[test]
        fn a_suspected_major_is_rectified_as_a_major_one_a_determined_not_major_as_a_general_one() {
            let (t, r, mut i) = mall();
            let first = in_checklist_order(&MAJORS)[0].clone();
            i.edit_hazard(&t, &first, 3, |h| {
                h.rectification.contingency_plan.clear();
                h.rectification.supervisor.clear();
            })
            .unwrap();
            let problems = Graded::new(&i, &t, Some(&r)).problems();
            assert_eq!(
                problems,
                vec![
                    Problem::Rectification {
                        item_id: first.clone(),
                        field: crate::inspection::hazard::RectificationField::ContingencyPlan
                    },
                    Problem::Rectification { item_id: first.clone(), field: crate::inspection::hazard::RectificationField::Supervisor },
                ]
            );
            let suspected = in_checklist_order(&MAJORS);
            let ids: Vec<&str> = suspected.iter().map(String::as_str).collect();
            i.set_determination(Some(settling(&ids)), 5).unwrap();
            assert_eq!(Graded::new(&i, &t, Some(&r)).problems(), vec![], "found not major: a general hazard's fields suffice");
            i.complete(&t, Some(&r), 6).unwrap();
        }

        #[test]
        fn a_determination_may_be_recorded_after_signing_not_after_completion() {
            let (t, r, mut i) = mall();
            i.add_attachment(
                crate::inspection::attachment::tests::signature(
                    1,
                    "Zhao Li",
                    crate::inspection::attachment::SignerRole::SiteRepresentative,
                ),
                3,
            )
            .unwrap();
            assert!(i.is_signed());
            let mut d = settling(&[]);
            d.participants.push(Person { name: "Sun Hao".into(), role: "fire-safety manager".into() });
            i.set_determination(Some(d.clone()), 4).unwrap();
            assert_eq!(i.determination, Some(d));
            i.set_determination(None, 5).unwrap();
            i.complete(&t, Some(&r), 6).unwrap();
            assert_eq!(i.set_determination(Some(settling(&[])), 7), Err(EditError::Completed));
            assert_eq!(i.determination, None);
        }

        #[test]
        fn a_record_from_before_determinations_reads_and_one_without_writes_no_field() {
            let (_, _, i) = mall();
            let json = serde_json::to_string(&i).unwrap();
            assert!(!json.contains("determination"), "{json}");
            let back: Inspection = serde_json::from_str(&json).unwrap();
            assert_eq!(back, i);
            let mut with = i.clone();
            with.determination = Some(settling(&["tank-farm"]));
            let back: Inspection = serde_json::from_str(&serde_json::to_string(&with).unwrap()).unwrap();
            assert_eq!(back, with);
        }
    }
}
