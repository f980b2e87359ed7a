//! One inspection as the inspector records it: the answers and notes, the site and team,
//! the hazards with their grading choice and rectification, the photos and signatures, and
//! on a re-inspection the verdicts. Everything here is stored and delivered as it is; what
//! the rules make of it is [`crate::grading`]'s.

pub mod attachment;
pub mod determination;
pub mod follow_up;
pub mod hazard;
pub mod merge;
pub mod paperwork;
pub mod record;
pub mod site;
pub mod words;

pub use record::{Answer, EditError, Inspection, ItemAnswer, TemplateRef};
pub use site::{SiteDetails, SiteField, Team};
