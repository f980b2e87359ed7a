//! Safewalk's domain, free of browser APIs so every rule is tested natively.
//!
//! - [`template`]: the checklist format and its validation.
//! - [`library`]: the checklists built into the app.
//! - [`inspection`]: one walk through a site, its answers and notes.
//! - [`attachment`]: its photos and signatures; [`outbox`] delivers them with the record.
//! - [`completion`]: what is missing before an inspection may be completed.
//! - [`hazard`], [`grading`], [`follow_up`]: hazards, their grades, and re-inspection.
//! - [`register`]: every hazard found, and where it stands in the rectification loop.
//! - [`storage`]: the key-value seam, the stored draft format and its migrations.
//! - [`export`]: inspections as JSON and CSV; [`backup`]: everything unsent in one file, and restore.
//! - [`text`]: the two languages, and text people typed made safe to show
//!   ([`text::visible_text`]; in a spreadsheet, [`export::spreadsheet_safe`]).

pub mod attachment;
pub mod backup;
pub mod completion;
pub mod delivery;
pub mod export;
pub mod follow_up;
pub mod grading;
pub mod hazard;
pub mod inspection;
pub mod library;
pub mod outbox;
pub mod payload;
pub mod register;
pub mod route;
pub mod settings;
pub mod storage;
pub mod template;
pub mod text;
pub mod words;

pub use completion::{Problem, SiteField, Tally};
pub use inspection::{Answer, EditError, Inspection, ItemAnswer, SiteDetails, Team, TemplateRef};
pub use route::Route;
pub use template::{Item, Section, SiteCategory, Template, TemplateError};
pub use text::{Lang, LocalText};
