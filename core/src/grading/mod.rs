//! Grading hazards: the direct major-hazard items of a template and the composite rule of
//! its rule set, evaluated by one engine over data.

pub mod completion;
pub mod engine;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod graded;

pub use engine::{determine, explain, settled_grade, Determination, Reason};
pub use graded::Graded;
// The grading vocabulary where the app looks for it; the types live lower down (a grade is
// stored in the inspection, a rule set ships in the catalogue) so nothing imports upwards.
pub use crate::catalogue::rule_set::{Named, RuleSet, Threshold, RULE_SET_FORMAT};
pub use crate::inspection::determination::Standing;
pub use crate::inspection::hazard::Grade;
