//! Getting completed inspections to the office: the payload and the receiver's receipts,
//! the outbox that decides what to send next, and the endpoint settings.

pub mod outbox;
pub mod payload;
pub mod settings;
