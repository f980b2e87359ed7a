//! Where drafts live: a small key-value seam the app implements over localStorage,
//! the stored format with its migrations, and the repository that ties them together.

pub mod archive;
mod draft_format;
mod drafts;
pub mod guard;
mod memory;
mod records;
pub mod summary;

pub use draft_format::{decode_draft, decode_inspection, encode_draft, encode_inspection, Unreadable, DRAFT_FORMAT};
pub use drafts::{DraftRepository, LoadReport, UnreadableDraft, INDEX_KEY, INSPECTION_PREFIX};
pub use memory::MemoryStore;
pub use records::{
    decode_record, encode_record, unreadable_key, ASSIGNED_KEY, LIBRARY_KEY, OFFICE_AGENCY_KEY, OUTBOX_KEY, SERIALS_KEY, SETTINGS_KEY,
};

use std::fmt;

/// Why the store refused an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The device's storage quota is used up; the value was not written.
    QuotaExceeded,
    /// Storage is missing or refused access (private mode, disabled by policy), or another error.
    Unavailable(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::QuotaExceeded => write!(f, "storage quota exceeded"),
            StoreError::Unavailable(why) => write!(f, "storage unavailable: {why}"),
        }
    }
}

/// String values under string keys: all the app needs from localStorage.
pub trait KeyValueStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn put(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
    /// Every key in the store, in no particular order.
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}
