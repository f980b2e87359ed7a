//! Safewalk's domain, free of browser APIs so every rule is tested natively.
//!
//! Its parts, bottom first. Each uses only the parts above it in this list, never one below
//! (`tests/layers.rs` reads the sources and fails otherwise), so there is no import cycle:
//!
//! - [`text`]: the two languages, and text people typed made safe to show
//!   ([`text::visible_text`]; in a spreadsheet, [`exchange::export::spreadsheet_safe`]).
//!   [`dates`]: calendar dates as typed, and deadlines. [`route`]: the app's addresses.
//!   [`site`]: the unified social credit code and the normalised name and address that
//!   say which premises a site is.
//! - [`catalogue`]: what is known before any inspection: the checklist format
//!   ([`catalogue::template`]), the rule sets that grade it ([`catalogue::rule_set`]), and
//!   the library that ships and updates both ([`catalogue::library`]).
//! - [`inspection`]: one walk through a site as the inspector records it: answers and notes
//!   ([`inspection::record`]), site and team, each hazard's grade choice and rectification
//!   ([`inspection::hazard`], where [`inspection::hazard::Grade`] lives because the record
//!   stores grades), photos and signatures, a follow-up's verdicts, and the words the app and
//!   the office both show for them ([`inspection::words`]).
//! - [`grading`]: what the rules make of an inspection: the engine, what is missing before
//!   completion ([`grading::completion`], which also holds [`Inspection::complete`]), and
//!   [`grading::Graded`], the triple (inspection, template, rule set) graded once.
//! - [`rectification`]: the register of every hazard found and where it stands, and the
//!   follow-ups started from it.
//! - [`assignment`]: what the office sends down: the inspector's tasks and their sites' open
//!   hazards ([`assignment::pull`], the answer to `GET /sync`), and what the phone keeps of it.
//! - [`documents`]: the papers an inspection produces, and document numbers that never
//!   collide offline.
//! - [`delivery`]: the graded payload and the receiver's receipts, the outbox that decides
//!   what to send next, and the endpoint settings.
//! - [`storage`]: the key-value seam and the stored formats (drafts, outbox, settings,
//!   library), with their migrations.
//! - [`exchange`]: inspections as JSON and CSV, and the backup of everything unsent, with
//!   restore.
//!
//! [`grading`] re-exports [`grading::Grade`] and [`grading::RuleSet`] from the lower parts
//! that hold them, so the grading vocabulary reads as one; inside core, imports name the
//! part a type lives in.

pub mod assignment;
pub mod catalogue;
pub mod dates;
pub mod delivery;
pub mod documents;
pub mod exchange;
pub mod grading;
pub mod inspection;
pub mod rectification;
pub mod route;
pub mod site;
pub mod storage;
pub mod text;

pub use catalogue::template::{Item, Section, SiteCategory, Template, TemplateError};
pub use grading::completion::{Problem, Tally};
pub use inspection::{Answer, EditError, Inspection, ItemAnswer, SiteDetails, SiteField, Team, TemplateRef};
pub use route::Route;
pub use text::{Lang, LocalText};
