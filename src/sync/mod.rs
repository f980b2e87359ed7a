//! Delivery of completed inspections: `transport` speaks HTTP, `runner` performs what the
//! core's outbox state machine decides, `sender` lets one tab at a time run it.

pub mod runner;
pub mod sender;
pub mod transport;
