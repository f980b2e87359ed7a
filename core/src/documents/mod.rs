//! The papers an inspection produces (issue 15): which documents an inspection calls for,
//! and numbers for them that never collide between phones working offline.

pub mod kind;
pub mod numbering;
