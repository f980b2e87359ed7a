//! The papers an inspection produces (issue 15): which documents an inspection calls for,
//! the particulars printed on them, numbers that never collide between phones working
//! offline, and issuing them into the record. The seal that ties a printed paper to the delivered
//! record is the payload's: [`crate::delivery::seal`].

pub mod issue;
pub mod kind;
pub mod numbering;
pub mod officers;
pub mod pages;
pub mod paperwork;
pub mod particulars;
pub mod wording;
