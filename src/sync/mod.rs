//! Talking to the receiver: `transport` speaks HTTP, `runner` performs what the core's
//! outbox state machine decides, `sender` lets one tab at a time run it, and `pull` asks
//! for the inspector's tasks.

pub mod pull;
pub mod runner;
pub mod sender;
pub mod transport;
