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
