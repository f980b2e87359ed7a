//! The premises an office inspects, as the office's register of sites knows them: the unified
//! social credit code that names a business ([`uscc`]), and the normalised name and address
//! that match two spellings of the same premises when there is no code ([`identity`]).
//! Plain text in, plain values out: the receiver keeps the register, the phone may check a
//! code as it is typed.

pub mod identity;
pub mod uscc;

pub use identity::SiteIdentity;
pub use uscc::{Uscc, UsccError};
