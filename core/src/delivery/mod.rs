//! Getting completed inspections to the office: the payload and the receiver's receipts,
//! the outbox that decides what to send next, the endpoint settings, and the runner that
//! performs the outbox's decisions through a port (the app) and a transport (HTTP); and the
//! seal printed on papers, taken over the payload's canonical form.

pub mod outbox;
pub mod payload;
pub mod port;
pub mod runner;
#[cfg(test)]
mod scenarios;
#[cfg(test)]
pub mod scripted;
pub mod seal;
pub mod settings;
pub mod transport;
