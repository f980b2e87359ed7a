//! What must be true before an inspection may be completed, and its summary counts.

use std::collections::BTreeMap;

use crate::catalogue::rule_set::RuleSet;
use crate::catalogue::template::Template;
use crate::dates::is_valid_date;
use crate::grading::engine::{settled_grade, Determination};
use crate::grading::graded::Graded;
use crate::inspection::determination::DeterminationProblem;
use crate::inspection::hazard::{Grade, GradeChoice, Hazard, RectificationField};
use crate::inspection::{Answer, Inspection, SiteField};
use crate::site::UsccError;

/// One thing standing between an inspection and its completion. Each points at the place
/// the inspector has to go to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Missing(SiteField),
    /// The principal's phone does not look like a phone number.
    InvalidPhone,
    /// A credit code was entered but is not one (a wrong check character, length or
    /// character). It blocks completion rather than being left out of the payload: the
    /// inspector typed it to file the inspection under the site it names, and on site can
    /// read it again from the business licence or clear the field; a mistyped code that
    /// reached the office would file the inspection under no site, or (if it happened to
    /// pass the check) under someone else's.
    InvalidUscc(UsccError),
    /// The site category is not one of the template's.
    UnknownCategory,
    Unanswered {
        item_id: String,
    },
    /// A hazard must be described, or nobody can rectify it.
    HazardNeedsNote {
        item_id: String,
    },
    /// A rule-determined major hazard was lowered without the written reason that must be
    /// kept with it.
    LoweredWithoutReason {
        item_id: String,
    },
    /// A rectification field the hazard needs is blank: who does what by when (and, for a
    /// major hazard, the contingency plan and supervising official).
    Rectification {
        item_id: String,
        field: RectificationField,
    },
    /// The rectification deadline is not a calendar date `YYYY-MM-DD`.
    InvalidDeadline {
        item_id: String,
    },
    /// The responsible person's phone does not look like a phone number.
    InvalidRectificationPhone {
        item_id: String,
    },
    /// A follow-up check (by index) has no verdict yet.
    Unverified {
        index: usize,
    },
    /// A verdict needs a note of what was seen.
    VerdictNeedsNote {
        index: usize,
    },
    /// The recorded collective determination does not settle the suspected major hazards
    /// yet: complete it, or withdraw it and complete without one.
    Determination(DeterminationProblem),
}

/// Stands in for a determination the engine did not make (it makes one for every hazard).
static NO_RULE: Determination = Determination { rule_grade: Grade::General, reasons: Vec::new(), excluded_by: Vec::new() };

/// Everything missing: site details first, then items in checklist order (or, on a
/// follow-up, the checks in order). `rule_set` is the one the template names, if known:
/// without it only direct items make a hazard major.
///
/// A follow-up does not require the checklist: it exists to verify the carried hazards.
/// Items it does answer "hazard" are held to the same rules as on any inspection.
///
/// A rule set that asks for a collective determination adds what keeps a recorded one from
/// settling the hazards (see [`Graded::problems`]).
pub fn problems(inspection: &Inspection, template: &Template, rule_set: Option<&RuleSet>) -> Vec<Problem> {
    Graded::new(inspection, template, rule_set).problems()
}

/// The problems of the record itself, with the rules' determinations and the grades
/// already settled (see [`crate::grading::Graded`]): a hazard missing from `grades` is
/// graded by its determination and the inspector's choice.
pub(crate) fn problems_with(
    inspection: &Inspection,
    template: &Template,
    determinations: &BTreeMap<String, Determination>,
    grades: &BTreeMap<String, Grade>,
) -> Vec<Problem> {
    let mut problems: Vec<Problem> = SiteField::ALL
        .into_iter()
        .filter(|field| field.is_required() && inspection.field(*field).trim().is_empty())
        .map(Problem::Missing)
        .collect();
    let phone = inspection.site.principal_phone.trim();
    if !phone.is_empty() && !is_plausible_phone(phone) {
        problems.push(Problem::InvalidPhone);
    }
    if let Some(Err(error)) = inspection.site.credit_code() {
        problems.push(Problem::InvalidUscc(error));
    }
    let category = inspection.site.category.trim();
    if !category.is_empty() && template.site_category(category).is_none() {
        problems.push(Problem::UnknownCategory);
    }
    for item in template.items() {
        match inspection.answer(&item.id) {
            None if inspection.follow_up.is_none() => problems.push(Problem::Unanswered { item_id: item.id.clone() }),
            Some(Answer::Hazard) => {
                if inspection.note(&item.id).trim().is_empty() {
                    problems.push(Problem::HazardNeedsNote { item_id: item.id.clone() });
                }
                // Always there for an item answered "hazard".
                if let Some(hazard) = inspection.hazard(&item.id) {
                    let determination = determinations.get(&item.id).unwrap_or(&NO_RULE);
                    let grade = grades.get(&item.id).copied().unwrap_or_else(|| settled_grade(determination, &hazard.grading));
                    hazard_problems(&item.id, hazard, determination.rule_grade, grade, &mut problems);
                }
            }
            _ => {}
        }
    }
    if let Some(follow_up) = &inspection.follow_up {
        for (index, check) in follow_up.checks.iter().enumerate() {
            if check.verdict.is_none() {
                problems.push(Problem::Unverified { index });
            }
            if check.note.trim().is_empty() {
                problems.push(Problem::VerdictNeedsNote { index });
            }
        }
    }
    problems
}

/// The grading and rectification problems of one hazard, in form order.
fn hazard_problems(item_id: &str, hazard: &Hazard, rule_grade: Grade, grade: Grade, problems: &mut Vec<Problem>) {
    let item_id = item_id.to_string();
    if let GradeChoice::Lowered { reason } = &hazard.grading {
        if rule_grade == Grade::Major && reason.trim().is_empty() {
            problems.push(Problem::LoweredWithoutReason { item_id: item_id.clone() });
        }
    }
    let rectification = &hazard.rectification;
    let blank = |field: RectificationField| rectification.field(field).trim().is_empty();
    if rectification.on_the_spot {
        if blank(RectificationField::OnTheSpotNote) {
            problems.push(Problem::Rectification { item_id, field: RectificationField::OnTheSpotNote });
        }
        return;
    }
    for field in RectificationField::required_for(grade) {
        if blank(*field) {
            problems.push(Problem::Rectification { item_id: item_id.clone(), field: *field });
        }
    }
    let deadline = rectification.deadline.trim();
    if !deadline.is_empty() && !is_valid_date(deadline) {
        problems.push(Problem::InvalidDeadline { item_id: item_id.clone() });
    }
    let phone = rectification.phone.trim();
    if !phone.is_empty() && !is_plausible_phone(phone) {
        problems.push(Problem::InvalidRectificationPhone { item_id });
    }
}

/// The problem of one item, if any: what the checklist shows beside it.
pub fn item_problem(inspection: &Inspection, item_id: &str) -> Option<Problem> {
    match inspection.answer(item_id) {
        Some(Answer::Hazard) if inspection.note(item_id).trim().is_empty() => {
            Some(Problem::HazardNeedsNote { item_id: item_id.to_string() })
        }
        _ => None,
    }
}

/// Mobile (11 digits), landline with area code and extension, or international: 5 to 20
/// digits, optionally separated by spaces, dashes or brackets, optionally starting with +.
pub fn is_plausible_phone(phone: &str) -> bool {
    let phone = phone.trim();
    let body = phone.strip_prefix('+').unwrap_or(phone);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')')) && (5..=20).contains(&digits)
}

// Completing lives here rather than beside the other edits in `inspection::record`: it needs
// the problems, which need the grades, which read the inspection.
impl Inspection {
    /// Completes the inspection if nothing is missing; it is read-only from then on.
    /// `rule_set` is the one the template names, if the device has it: it decides which
    /// hazards are major and so need a contingency plan and a supervisor.
    ///
    /// Grading and rectification kept for items whose answer changed away from "hazard"
    /// are dropped now: the record holds only what applies.
    pub fn complete(&mut self, template: &Template, rule_set: Option<&RuleSet>, now: u64) -> Result<(), Vec<Problem>> {
        if self.is_completed() {
            return Ok(());
        }
        let problems = problems(self, template, rule_set);
        if !problems.is_empty() {
            return Err(problems);
        }
        let answers = &self.answers;
        self.hazards.retain(|item, _| answers.get(item).and_then(|a| a.answer) == Some(Answer::Hazard));
        self.completed_at = Some(now);
        self.updated_at = now;
        Ok(())
    }
}

/// Counts per answer and the hazards found, in checklist order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub compliant: usize,
    pub hazards: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    pub hazard_items: Vec<String>,
}

impl Tally {
    pub fn of(inspection: &Inspection, template: &Template) -> Tally {
        let mut tally = Tally::default();
        for item in template.items() {
            match inspection.answer(&item.id) {
                Some(Answer::Compliant) => tally.compliant += 1,
                Some(Answer::NotApplicable) => tally.not_applicable += 1,
                Some(Answer::Hazard) => {
                    tally.hazards += 1;
                    tally.hazard_items.push(item.id.clone());
                }
                None => tally.unanswered += 1,
            }
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::fixtures::{self, full_rectification};
    use crate::inspection::follow_up::{FollowUp, HazardCheck, Verdict};
    use crate::inspection::record::tests::new_demo;
    use crate::inspection::EditError;
    use uuid::Uuid;

    fn fill_details(i: &mut Inspection) {
        i.edit_details(5, |site, team| {
            site.name = "Riverside Mall".into();
            site.address = "1 River Rd".into();
            site.category = "shop".into();
            site.enterprise = "Riverside Co.".into();
            site.principal = "Zhao Li".into();
            site.principal_phone = "138 0013 8000".into();
            team.department = "District Fire Brigade".into();
            team.inspectors = "Wang Wei, Li Na".into();
        })
        .unwrap();
    }

    #[test]
    fn a_blank_inspection_lists_every_field_and_item_in_order() {
        let (t, i) = new_demo();
        let p = problems(&i, &t, None);
        assert_eq!(p.len(), SiteField::ALL.len() - 1 + 3, "every field but the optional credit code");
        assert!(!p.contains(&Problem::Missing(SiteField::Uscc)));
        assert_eq!(p[0], Problem::Missing(SiteField::SiteName));
        assert_eq!(p[8], Problem::Unanswered { item_id: "a-1".into() });
        assert_eq!(p[10], Problem::Unanswered { item_id: "b-1".into() });
    }

    #[test]
    fn whitespace_does_not_count_as_filled_in() {
        let (t, mut i) = new_demo();
        fill_details(&mut i);
        i.edit_details(6, |site, _| site.enterprise = "   ".into()).unwrap();
        assert!(problems(&i, &t, None).contains(&Problem::Missing(SiteField::Enterprise)));
    }

    #[test]
    fn a_hazard_needs_a_note_but_other_answers_do_not() {
        let (t, mut i) = new_demo();
        fill_details(&mut i);
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 6).unwrap();
        i.set_answer(&t, "a-2", Some(Answer::Compliant), 6).unwrap();
        i.set_answer(&t, "b-1", Some(Answer::NotApplicable), 6).unwrap();
        i.edit_hazard(&t, "a-1", 6, full_rectification).unwrap();
        assert_eq!(problems(&i, &t, None), vec![Problem::HazardNeedsNote { item_id: "a-1".into() }]);
        assert_eq!(item_problem(&i, "a-1"), Some(Problem::HazardNeedsNote { item_id: "a-1".into() }));
        i.set_note(&t, "a-1", "  ", 7).unwrap();
        assert_eq!(problems(&i, &t, None).len(), 1, "a blank note is no description");
        i.set_note(&t, "a-1", "Exit 3 chained shut", 8).unwrap();
        assert!(problems(&i, &t, None).is_empty());
        assert_eq!(item_problem(&i, "a-1"), None);
    }

    #[test]
    fn phone_numbers_are_checked_for_plausibility() {
        for ok in ["13800138000", "+86 138 0013 8000", "0371-6512 3456", "(010) 12345678", "12345"] {
            assert!(is_plausible_phone(ok), "{ok}");
        }
        for bad in ["1234", "call me", "138-0013-800O", "++8613800138000", "123456789012345678901"] {
            assert!(!is_plausible_phone(bad), "{bad}");
        }
        let (t, mut i) = new_demo();
        fill_details(&mut i);
        i.edit_details(6, |site, _| site.principal_phone = "unknown".into()).unwrap();
        assert!(problems(&i, &t, None).contains(&Problem::InvalidPhone));
    }

    #[test]
    fn a_credit_code_is_optional_but_a_wrong_one_blocks_completion() {
        let (t, mut i) = new_demo();
        fill_details(&mut i);
        let site_problems = |i: &Inspection| -> Vec<Problem> {
            problems(i, &t, None).into_iter().filter(|p| matches!(p, Problem::Missing(_) | Problem::InvalidUscc(_))).collect()
        };
        assert_eq!(site_problems(&i), vec![], "none entered");
        let entered = [
            ("91350100M000100Y44", Some(UsccError::CheckCharacter { expected: '3', found: '4' })),
            ("91350100M000100Y4", Some(UsccError::Length(17))),
            ("91350100M0O0100Y43", Some(UsccError::Character { position: 11, found: 'O' })),
            ("91350100m000100y43", None),
            ("９１３５０１００Ｍ０００１００Ｙ４３", None),
            ("   ", None),
        ];
        for (code, error) in entered {
            i.set_field(SiteField::Uscc, code, 7).unwrap();
            assert_eq!(site_problems(&i), error.into_iter().map(Problem::InvalidUscc).collect::<Vec<_>>(), "{code:?}");
        }
    }

    #[test]
    fn the_category_must_be_one_of_the_templates() {
        let (t, mut i) = new_demo();
        fill_details(&mut i);
        i.edit_details(6, |site, _| site.category = "spaceport".into()).unwrap();
        assert!(problems(&i, &t, None).contains(&Problem::UnknownCategory));
    }

    #[test]
    fn completion_only_when_valid_and_then_read_only() {
        let (t, mut i) = new_demo();
        let refused = i.complete(&t, None, 9).expect_err("blank");
        assert!(!refused.is_empty());
        assert!(!i.is_completed());

        fill_details(&mut i);
        for id in ["a-1", "a-2", "b-1"] {
            i.set_answer(&t, id, Some(Answer::Compliant), 10).unwrap();
        }
        i.complete(&t, None, 11).expect("valid");
        assert_eq!(i.completed_at, Some(11));
        assert_eq!(i.set_answer(&t, "a-1", Some(Answer::Hazard), 12), Err(EditError::Completed));
        assert_eq!(i.set_note(&t, "a-1", "late", 12), Err(EditError::Completed));
        assert_eq!(i.edit_details(12, |site, _| site.name.clear()), Err(EditError::Completed));
        assert_eq!(i.answer("a-1"), Some(Answer::Compliant));
        assert_eq!(i.updated_at, 11);
        i.complete(&t, None, 13).expect("completing twice is harmless");
        assert_eq!(i.completed_at, Some(11), "the first completion time stands");
    }

    #[test]
    fn tally_counts_each_answer() {
        let (t, mut i) = new_demo();
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 6).unwrap();
        i.set_answer(&t, "b-1", Some(Answer::NotApplicable), 6).unwrap();
        let tally = Tally::of(&i, &t);
        assert_eq!(tally, Tally { compliant: 0, hazards: 1, not_applicable: 1, unanswered: 1, hazard_items: vec!["a-1".into()] });
    }

    #[test]
    fn tally_counts_every_compliant_answer() {
        let (t, mut i) = new_demo();
        i.set_answer(&t, "a-1", Some(Answer::Compliant), 6).unwrap();
        i.set_answer(&t, "a-2", Some(Answer::Compliant), 6).unwrap();
        i.set_answer(&t, "b-1", Some(Answer::Hazard), 6).unwrap();
        assert_eq!(
            Tally::of(&i, &t),
            Tally { compliant: 2, hazards: 1, not_applicable: 0, unanswered: 0, hazard_items: vec!["b-1".into()] }
        );
    }

    fn rectification_problems(i: &Inspection, item: &str) -> Vec<Problem> {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        problems(i, &t, Some(&r))
            .into_iter()
            .filter(|p| match p {
                Problem::Rectification { item_id, .. }
                | Problem::InvalidDeadline { item_id }
                | Problem::InvalidRectificationPhone { item_id }
                | Problem::LoweredWithoutReason { item_id } => item_id == item,
                _ => false,
            })
            .collect()
    }

    fn missing(item: &str, fields: &[RectificationField]) -> Vec<Problem> {
        fields.iter().map(|field| Problem::Rectification { item_id: item.into(), field: *field }).collect()
    }

    use RectificationField::*;

    #[test]
    fn a_general_hazard_needs_who_does_what_by_when_but_not_funds() {
        let i = fixtures::inspection(1, "office", &["pl-1"]);
        assert_eq!(rectification_problems(&i, "pl-1"), missing("pl-1", &[Measures, Unit, Person, Role, Phone, Deadline]));
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = i;
        i.edit_hazard(&t, "pl-1", 5, |h| {
            full_rectification(h);
            h.rectification.contingency_plan.clear();
            h.rectification.supervisor.clear();
            h.rectification.role = "  ".into();
        })
        .unwrap();
        assert_eq!(problems(&i, &t, Some(&r)), missing("pl-1", &[Role]));
    }

    #[test]
    fn a_major_hazard_also_needs_a_contingency_plan_and_a_supervisor() {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(1, "office", &["dm-1", "pl-1"]);
        assert_eq!(
            rectification_problems(&i, "dm-1"),
            missing("dm-1", &[Measures, Unit, Person, Role, Phone, Deadline, ContingencyPlan, Supervisor])
        );
        for item in ["dm-1", "pl-1"] {
            i.edit_hazard(&t, item, 5, full_rectification).unwrap();
        }
        i.edit_hazard(&t, "dm-1", 6, |h| h.rectification.supervisor.clear()).unwrap();
        assert_eq!(problems(&i, &t, Some(&r)), missing("dm-1", &[Supervisor]));
        // A composite major needs them too: only when the rule set is known.
        let mut i = fixtures::inspection(1, "mall", &["ev-1", "sm-1", "de-1"]);
        for item in ["ev-1", "sm-1", "de-1"] {
            i.edit_hazard(&t, item, 5, |h| {
                full_rectification(h);
                h.rectification.contingency_plan.clear();
            })
            .unwrap();
        }
        assert_eq!(problems(&i, &t, Some(&r)).len(), 3);
        assert!(problems(&i, &t, None).is_empty(), "without the rule set these are general");
    }

    #[test]
    fn raising_requires_the_major_fields_and_lowering_with_a_reason_drops_them() {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(1, "office", &["dm-1", "pl-1"]);
        for item in ["dm-1", "pl-1"] {
            i.edit_hazard(&t, item, 5, |h| {
                full_rectification(h);
                h.rectification.contingency_plan.clear();
                h.rectification.supervisor.clear();
            })
            .unwrap();
        }
        i.edit_hazard(&t, "pl-1", 6, |h| h.grading = GradeChoice::Raised).unwrap();
        i.edit_hazard(&t, "dm-1", 6, |h| h.grading = GradeChoice::Lowered { reason: "Door replaced".into() }).unwrap();
        assert_eq!(problems(&i, &t, Some(&r)), missing("pl-1", &[ContingencyPlan, Supervisor]));
    }

    #[test]
    fn lowering_a_rule_major_without_a_reason_is_reported_and_the_grade_stays_major() {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(1, "office", &["dm-1", "pl-1"]);
        for (item, reason) in [("dm-1", " "), ("pl-1", "")] {
            i.edit_hazard(&t, item, 5, |h| {
                full_rectification(h);
                h.rectification.supervisor.clear();
                h.grading = GradeChoice::Lowered { reason: reason.into() };
            })
            .unwrap();
        }
        let mut expected = vec![Problem::LoweredWithoutReason { item_id: "dm-1".into() }];
        expected.extend(missing("dm-1", &[Supervisor]));
        assert_eq!(problems(&i, &t, Some(&r)), expected, "lowering a general hazard needs no reason");
    }

    #[test]
    fn a_hazard_rectified_on_the_spot_needs_only_its_note() {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(1, "office", &["dm-1"]);
        i.edit_hazard(&t, "dm-1", 5, |h| h.rectification.on_the_spot = true).unwrap();
        assert_eq!(problems(&i, &t, Some(&r)), missing("dm-1", &[OnTheSpotNote]));
        i.edit_hazard(&t, "dm-1", 6, |h| h.rectification.on_the_spot_note = "Chain removed, photo 3".into()).unwrap();
        assert!(problems(&i, &t, Some(&r)).is_empty());
    }

    #[test]
    fn the_deadline_must_be_a_calendar_date_and_the_phone_plausible() {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(1, "office", &["pl-1"]);
        i.edit_hazard(&t, "pl-1", 5, |h| {
            full_rectification(h);
            h.rectification.deadline = "2026-02-30".into();
            h.rectification.phone = "ask at the desk".into();
        })
        .unwrap();
        assert_eq!(
            problems(&i, &t, Some(&r)),
            vec![Problem::InvalidDeadline { item_id: "pl-1".into() }, Problem::InvalidRectificationPhone { item_id: "pl-1".into() }]
        );
        i.edit_hazard(&t, "pl-1", 6, |h| {
            h.rectification.deadline = " 2028-02-29 ".into();
            h.rectification.phone = "0371-6512 3456".into();
        })
        .unwrap();
        assert!(problems(&i, &t, Some(&r)).is_empty());
    }

    #[test]
    fn an_exclusion_that_sets_a_major_aside_drops_the_major_fields() {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(1, "office", &["dm-1"]);
        i.edit_hazard(&t, "dm-1", 5, |h| {
            full_rectification(h);
            h.rectification.contingency_plan.clear();
        })
        .unwrap();
        assert_eq!(problems(&i, &t, Some(&r)), missing("dm-1", &[ContingencyPlan]));
        i.set_exclusion("expert-reviewed", true, 6).unwrap();
        assert!(problems(&i, &t, Some(&r)).is_empty());
    }

    fn follow_up_of(i: &mut Inspection, checks: usize) {
        let check = |n: usize| HazardCheck {
            inspection: Uuid::from_u128(99),
            item: format!("a-{n}"),
            description: "Exit chained".into(),
            grade: crate::inspection::hazard::Grade::Major,
            standing: Default::default(),
            deadline: "2026-01-01".into(),
            verdict: None,
            note: String::new(),
        };
        i.follow_up = Some(FollowUp { of: Uuid::from_u128(99), checks: (0..checks).map(check).collect(), order: None });
    }

    #[test]
    fn a_follow_up_needs_a_verdict_with_a_note_on_each_check_but_no_checklist() {
        let (t, mut i) = new_demo();
        follow_up_of(&mut i, 2);
        let p = problems(&i, &t, None);
        assert_eq!(p.len(), SiteField::ALL.len() - 1 + 4, "{p:?}");
        assert!(!p.iter().any(|p| matches!(p, Problem::Unanswered { .. })));
        fill_details(&mut i);
        assert_eq!(
            problems(&i, &t, None),
            vec![
                Problem::Unverified { index: 0 },
                Problem::VerdictNeedsNote { index: 0 },
                Problem::Unverified { index: 1 },
                Problem::VerdictNeedsNote { index: 1 },
            ]
        );
        i.set_verdict(0, Some(Verdict::Rectified), 6).unwrap();
        i.set_verdict_note(0, "Chains gone, exit opens", 6).unwrap();
        i.set_verdict(1, Some(Verdict::NotRectified), 6).unwrap();
        i.set_verdict_note(1, " ", 6).unwrap();
        assert_eq!(problems(&i, &t, None), vec![Problem::VerdictNeedsNote { index: 1 }]);
        i.set_verdict_note(1, "Still chained", 7).unwrap();
        // A hazard the follow-up does find is held to the usual rules.
        i.set_answer(&t, "b-1", Some(Answer::Hazard), 8).unwrap();
        assert_eq!(problems(&i, &t, None)[0], Problem::HazardNeedsNote { item_id: "b-1".into() });
        i.set_answer(&t, "b-1", None, 9).unwrap();
        i.complete(&t, None, 10).expect("verified and noted");
        assert_eq!(i.set_verdict(0, None, 11), Err(EditError::Completed));
    }

    #[test]
    fn item_problem_still_reports_an_undescribed_hazard() {
        let (t, mut i) = new_demo();
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 6).unwrap();
        assert_eq!(item_problem(&i, "a-1"), Some(Problem::HazardNeedsNote { item_id: "a-1".into() }));
        assert_eq!(item_problem(&i, "a-2"), None);
    }
}
