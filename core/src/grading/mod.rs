//! Grading hazards: the direct major-hazard items of a template and the composite rule of
//! its rule set, evaluated by one engine over data.

pub mod engine;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod rule_set;

use serde::{Deserialize, Serialize};

pub use engine::{determine, explain, settled_grade, Determination, Reason};
pub use rule_set::{Named, RuleSet, Threshold, RULE_SET_FORMAT};

/// 一般隐患 / 重大隐患.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    General,
    Major,
}
