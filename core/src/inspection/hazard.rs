//! A hazard found on one checklist item: its grade as the inspector settled it and what
//! the site must do about it. The description is the item's note; the rule-determined
//! grade comes from [`crate::grading`].

use serde::{Deserialize, Serialize};

/// 一般隐患 / 重大隐患.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    General,
    Major,
}

impl Grade {
    /// Whether a hazard of this grade is rectified under a contingency plan and listed
    /// supervision (挂牌督办): a major one is, so its planned rectification also needs
    /// [`RectificationField::ContingencyPlan`] and [`RectificationField::Supervisor`].
    pub fn needs_supervision(self) -> bool {
        self == Grade::Major
    }
}

/// What the inspector did with the grade the rules determined.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradeChoice {
    /// The grade is whatever the rules say.
    #[default]
    Rule,
    /// Major although the rules do not make it so (the inspector's judgement).
    Raised,
    /// General although the rules make it major: only with a written reason, which is kept
    /// and delivered.
    Lowered { reason: String },
}

/// The "five implementations" of a rectification, or the note of an on-the-spot fix.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rectification {
    /// Fixed during the visit: then `on_the_spot_note` says how, and nothing else is needed.
    pub on_the_spot: bool,
    pub on_the_spot_note: String,
    pub measures: String,
    /// The responsible unit, and the person in it: name, role, phone.
    pub unit: String,
    pub person: String,
    pub role: String,
    pub phone: String,
    /// Optional: the money set aside.
    pub funds: String,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    /// Major hazards only: the contingency plan until it is fixed, and the official who
    /// supervises it (listed supervision).
    pub contingency_plan: String,
    pub supervisor: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hazard {
    pub grading: GradeChoice,
    pub rectification: Rectification,
}

/// A rectification field the inspector fills in, for forms and completion problems.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RectificationField {
    OnTheSpotNote,
    Measures,
    Unit,
    Person,
    Role,
    Phone,
    Funds,
    Deadline,
    ContingencyPlan,
    Supervisor,
}

impl RectificationField {
    /// The fields of a planned rectification, in form order.
    pub const PLANNED: [RectificationField; 9] = [
        RectificationField::Measures,
        RectificationField::Unit,
        RectificationField::Person,
        RectificationField::Role,
        RectificationField::Phone,
        RectificationField::Funds,
        RectificationField::Deadline,
        RectificationField::ContingencyPlan,
        RectificationField::Supervisor,
    ];
}

/// What every planned (not on-the-spot) rectification needs. Funds are optional: a fix may
/// cost nothing worth recording.
const REQUIRED_PLANNED: [RectificationField; 6] = [
    RectificationField::Measures,
    RectificationField::Unit,
    RectificationField::Person,
    RectificationField::Role,
    RectificationField::Phone,
    RectificationField::Deadline,
];

/// [`REQUIRED_PLANNED`] and, for a hazard that [needs supervision](Grade::needs_supervision),
/// the contingency plan and the supervising official, in form order.
const REQUIRED_SUPERVISED: [RectificationField; 8] = [
    RectificationField::Measures,
    RectificationField::Unit,
    RectificationField::Person,
    RectificationField::Role,
    RectificationField::Phone,
    RectificationField::Deadline,
    RectificationField::ContingencyPlan,
    RectificationField::Supervisor,
];

impl RectificationField {
    /// The fields a planned rectification of a hazard of `grade` must fill in, in form
    /// order (an on-the-spot fix needs only its note).
    pub fn required_for(grade: Grade) -> &'static [RectificationField] {
        if grade.needs_supervision() {
            &REQUIRED_SUPERVISED
        } else {
            &REQUIRED_PLANNED
        }
    }
}

impl Rectification {
    pub fn field(&self, field: RectificationField) -> &str {
        match field {
            RectificationField::OnTheSpotNote => &self.on_the_spot_note,
            RectificationField::Measures => &self.measures,
            RectificationField::Unit => &self.unit,
            RectificationField::Person => &self.person,
            RectificationField::Role => &self.role,
            RectificationField::Phone => &self.phone,
            RectificationField::Funds => &self.funds,
            RectificationField::Deadline => &self.deadline,
            RectificationField::ContingencyPlan => &self.contingency_plan,
            RectificationField::Supervisor => &self.supervisor,
        }
    }

    pub fn field_mut(&mut self, field: RectificationField) -> &mut String {
        match field {
            RectificationField::OnTheSpotNote => &mut self.on_the_spot_note,
            RectificationField::Measures => &mut self.measures,
            RectificationField::Unit => &mut self.unit,
            RectificationField::Person => &mut self.person,
            RectificationField::Role => &mut self.role,
            RectificationField::Phone => &mut self.phone,
            RectificationField::Funds => &mut self.funds,
            RectificationField::Deadline => &mut self.deadline,
            RectificationField::ContingencyPlan => &mut self.contingency_plan,
            RectificationField::Supervisor => &mut self.supervisor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_major_hazard_also_needs_a_contingency_plan_and_a_supervisor() {
        assert!(Grade::Major.needs_supervision());
        assert!(!Grade::General.needs_supervision());
        let general = RectificationField::required_for(Grade::General);
        let major = RectificationField::required_for(Grade::Major);
        assert_eq!(major[..general.len()], *general, "the same fields first, in form order");
        assert_eq!(major[general.len()..], [RectificationField::ContingencyPlan, RectificationField::Supervisor]);
        assert!(!general.contains(&RectificationField::Funds) && !major.contains(&RectificationField::OnTheSpotNote));
        let in_form_order: Vec<RectificationField> = RectificationField::PLANNED.into_iter().filter(|f| major.contains(f)).collect();
        assert_eq!(in_form_order, major);
    }

    #[test]
    fn each_field_is_written_where_it_is_read() {
        let all = [RectificationField::OnTheSpotNote].into_iter().chain(RectificationField::PLANNED);
        let mut rectification = Rectification::default();
        for (n, field) in all.clone().enumerate() {
            *rectification.field_mut(field) = format!("value {n}");
        }
        for (n, field) in all.enumerate() {
            assert_eq!(rectification.field(field), format!("value {n}"), "{field:?}");
        }
        assert_eq!((rectification.measures.as_str(), rectification.supervisor.as_str()), ("value 1", "value 9"));
    }
}
