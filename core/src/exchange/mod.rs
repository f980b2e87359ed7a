//! Inspections leaving the app other than by delivery: exports (JSON, CSV) and the backup
//! file of everything unsent, with its restore.

pub mod backup;
pub mod export;
pub mod hazard_record;
