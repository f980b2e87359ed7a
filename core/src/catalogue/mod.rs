//! What the app knows before any inspection: the checklists (templates), the rule sets that
//! grade their hazards, and the library that ships and updates both.

pub mod library;
pub mod rule_set;
pub mod template;
