//! What the office sends down to a phone (issue 14): the inspector's tasks (任务), the open
//! hazards of those tasks' sites whoever found them, and whether the checklist library
//! changed. The receiver answers `GET {endpoint}/sync?since=<cursor>` with a [`pull::Pull`]
//! (a delta since the cursor, or everything); the phone keeps what it pulled as
//! [`assigned::Assigned`] and applies each answer to it, so it works offline from the last
//! pull. Upload stays the outbox's business: a task only travels back as
//! `inspection.task` in the delivered record.

pub mod assigned;
pub mod pull;
pub mod start;
