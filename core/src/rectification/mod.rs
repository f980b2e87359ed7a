//! The rectification loop after inspections: the register of every hazard found and where
//! it stands, and re-inspections started from it. `follow_up` reads `register`, never the
//! other way round.

pub mod closing_photo;
pub mod follow_up;
pub mod order;
pub mod register;
pub mod register_part;
