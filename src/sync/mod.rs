//! Delivery of completed inspections: `transport` speaks HTTP, `runner` performs what the
//! core's outbox state machine decides.

pub mod runner;
pub mod transport;
