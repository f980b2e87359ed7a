//! An inspection read through its rules: the (inspection, template, rule set) triple held
//! once, with the determinations made once, so every screen, the payload, the export and
//! the register ask the same value for grades, problems and counts instead of passing the
//! triple to each grading function by hand.

use std::collections::BTreeMap;

use crate::catalogue::rule_set::RuleSet;
use crate::catalogue::template::{Item, Template};
use crate::grading::completion::{problems_with, Problem, Tally};
use crate::grading::engine::{determine, explain, settled_grade, Determination};
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
}

impl<'a> Graded<'a> {
    pub fn new(inspection: &'a Inspection, template: &'a Template, rule_set: Option<&'a RuleSet>) -> Graded<'a> {
        Graded { inspection, template, rule_set, determinations: determine(inspection, template, rule_set) }
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

    /// The grade of a hazard after the inspector's choice; `None` for an item not answered
    /// "hazard".
    pub fn grade(&self, item_id: &str) -> Option<Grade> {
        self.determination(item_id).map(|determination| settled_grade(determination, self.choice(item_id)))
    }

    /// The grade the rules alone give a hazard; `None` for an item not answered "hazard".
    pub fn rule_grade(&self, item_id: &str) -> Option<Grade> {
        self.determination(item_id).map(|determination| determination.rule_grade)
    }

    /// Why the rules grade a hazard as they do, in both languages.
    pub fn explain(&self, item_id: &str) -> Option<LocalText> {
        self.determination(item_id).map(|determination| explain(determination, self.template, self.rule_set))
    }

    /// The settled grade of every hazard, keyed by item id.
    pub fn grades(&self) -> BTreeMap<String, Grade> {
        self.determinations.iter().map(|(item, determination)| (item.clone(), settled_grade(determination, self.choice(item)))).collect()
    }

    /// The hazards in checklist order, each with its settled grade.
    pub fn hazards(&self) -> impl Iterator<Item = (&'a Item, Grade)> + '_ {
        self.template.items().filter_map(|item| Some((item, self.grade(&item.id)?)))
    }

    /// What stands between the inspection and its completion (see
    /// [`crate::grading::completion::problems`]).
    pub fn problems(&self) -> Vec<Problem> {
        problems_with(self.inspection, self.template, &self.determinations)
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
}
