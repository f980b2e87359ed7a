//! Where the receiver keeps inspections and their attachments (photos, signatures): SQLite
//! by default, PostgreSQL when a `postgres://` URL is given. Both run the same migrations and
//! answer the same questions.

mod postgres;
mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use std::fmt;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

/// One stored inspection: the canonical payload JSON as received, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredInspection {
    pub id: Uuid,
    pub payload: String,
    pub received_at: u64,
    /// A follow-up's original (`inspection.follow_up.of`). Not a foreign key: the original
    /// may arrive later, or never.
    pub follow_up_of: Option<Uuid>,
    /// How many attachments are stored under this inspection's id (whether its record lists
    /// them or not).
    pub attachments_received: u64,
}

/// An attachment to store: the bytes of one photo or signature image of an inspection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAttachment {
    pub inspection: Uuid,
    pub id: Uuid,
    /// Lowercase hex SHA-256 of `bytes`, checked by the caller.
    pub sha256: String,
    pub content_type: String,
    pub bytes: Bytes,
}

/// A stored attachment, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub inspection: Uuid,
    pub id: Uuid,
    pub sha256: String,
    pub content_type: String,
    /// The length of the bytes.
    pub size: u64,
    pub received_at: u64,
}

/// What storing an inspection or an attachment did. Idempotent by id: the same content again
/// is a duplicate (with the first receipt time), different content under the same id a
/// conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PutResult {
    Stored { received_at: u64 },
    Duplicate { received_at: u64 },
    Conflict,
}

/// Why the store could not answer. "Not found" and "conflict" are not errors: they are
/// answers ([`Option`], [`PutResult::Conflict`]). Every case is a failure of the receiver, so
/// the one HTTP answer for all of them is written once, in [`StoreError::into_response`].
#[derive(Debug)]
pub enum StoreError {
    /// The database could not be opened, migrated or queried: the driver's own words.
    Database(String),
    /// A thread panicked while holding the SQLite connection; its lock stays poisoned.
    LockPoisoned,
    /// A row that an insert found already there cannot be read back a moment later.
    Vanished { what: String },
}

impl StoreError {
    pub(crate) fn database(e: impl fmt::Display) -> StoreError {
        StoreError::Database(e.to_string())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Database(message) => write!(f, "database error: {message}"),
            StoreError::LockPoisoned => write!(f, "database error: database lock poisoned"),
            StoreError::Vanished { what } => write!(f, "database error: {what} neither inserted nor found"),
        }
    }
}

impl std::error::Error for StoreError {}

/// A store failure is the receiver's fault, never the client's: 500, with the reason.
impl IntoResponse for StoreError {
    fn into_response(self) -> Response {
        crate::routes::error(StatusCode::INTERNAL_SERVER_ERROR, self.to_string())
    }
}

/// One step of the schema: plain SQL both databases understand, or one text for each where
/// they differ (the type of bytes).
pub enum Migration {
    Both(&'static str),
    Each { sqlite: &'static str, postgres: &'static str },
}

impl Migration {
    pub fn sqlite(&self) -> &'static str {
        match self {
            Migration::Both(sql) | Migration::Each { sqlite: sql, .. } => sql,
        }
    }

    pub fn postgres(&self) -> &'static str {
        match self {
            Migration::Both(sql) | Migration::Each { postgres: sql, .. } => sql,
        }
    }
}

/// The schema, one step a line; each runs once, in order, at start (recorded in
/// `schema_migrations`).
pub const MIGRATIONS: &[Migration] = &[
    Migration::Both(
        "CREATE TABLE inspections (
        id TEXT PRIMARY KEY,
        payload TEXT NOT NULL,
        received_at BIGINT NOT NULL
    )",
    ),
    Migration::Both("CREATE INDEX inspections_received_at ON inspections (received_at)"),
    // Payload schema 2: a re-inspection names its original. Rows stored before have none
    // (earlier receivers could not keep `follow_up`: it was not in their payload type).
    Migration::Both("ALTER TABLE inspections ADD COLUMN follow_up_of TEXT"),
    Migration::Both("CREATE INDEX inspections_follow_up_of ON inspections (follow_up_of)"),
    // Photos and signature images, keyed by their inspection and their own id. No foreign
    // key: an attachment may arrive before its inspection's record.
    Migration::Each {
        sqlite: "CREATE TABLE attachments (
        inspection_id TEXT NOT NULL,
        id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        content_type TEXT NOT NULL,
        bytes BLOB NOT NULL,
        received_at BIGINT NOT NULL,
        PRIMARY KEY (inspection_id, id)
    )",
        postgres: "CREATE TABLE attachments (
        inspection_id TEXT NOT NULL,
        id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        content_type TEXT NOT NULL,
        bytes BYTEA NOT NULL,
        received_at BIGINT NOT NULL,
        PRIMARY KEY (inspection_id, id)
    )",
    },
];

/// The columns every query of attachment info reads, in [`AttachmentInfo`] order.
const ATTACHMENT_COLUMNS: &str = "inspection_id, id, sha256, content_type, CAST(LENGTH(bytes) AS BIGINT), received_at";

/// The columns every query of inspections reads, in [`StoredInspection`] order.
const COLUMNS: &str = "id, payload, received_at, follow_up_of, \
    (SELECT COUNT(*) FROM attachments a WHERE a.inspection_id = inspections.id)";

pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    /// Opens the database named by `url` (`postgres://…`, or a SQLite file path) and migrates it.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(PostgresStore::connect(url).await?))
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url).to_string();
            Ok(Store::Sqlite(SqliteStore::open(path).await?))
        }
    }

    /// Whether a commit is on disk when it returns (SQLite `synchronous=FULL`, PostgreSQL
    /// `synchronous_commit` not `off`): a receipt is sent only after one, so it must mean
    /// the record survives a power cut.
    pub async fn commits_are_durable(&self) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => Ok(s.synchronous().await? >= 2),
            Store::Postgres(s) => Ok(s.synchronous_commit().await? != "off"),
        }
    }

    /// Stores `payload` under `id` unless it is there already; `follow_up_of` is the
    /// payload's `inspection.follow_up.of`, kept in its own column for the links.
    pub async fn put(&self, id: Uuid, payload: &str, follow_up_of: Option<Uuid>, now: u64) -> Result<PutResult, StoreError> {
        match self {
            Store::Sqlite(s) => s.put(id, payload, follow_up_of, now).await,
            Store::Postgres(s) => s.put(id, payload, follow_up_of, now).await,
        }
    }

    pub async fn get(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
        match self {
            Store::Sqlite(s) => s.get(id).await,
            Store::Postgres(s) => s.get(id).await,
        }
    }

    /// Newest first.
    pub async fn list(&self, offset: u64, limit: u64) -> Result<Vec<StoredInspection>, StoreError> {
        match self {
            Store::Sqlite(s) => s.list(offset, limit).await,
            Store::Postgres(s) => s.list(offset, limit).await,
        }
    }

    /// The follow-ups of inspection `of`, in the order they arrived.
    pub async fn follow_ups(&self, of: Uuid) -> Result<Vec<StoredInspection>, StoreError> {
        match self {
            Store::Sqlite(s) => s.follow_ups(of).await,
            Store::Postgres(s) => s.follow_ups(of).await,
        }
    }

    pub async fn count(&self) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => s.count().await,
            Store::Postgres(s) => s.count().await,
        }
    }

    /// Stores an attachment unless one with the same inspection and id is there already:
    /// the same hash again is a duplicate, another hash a conflict.
    pub async fn put_attachment(&self, attachment: NewAttachment, now: u64) -> Result<PutResult, StoreError> {
        match self {
            Store::Sqlite(s) => s.put_attachment(attachment, now).await,
            Store::Postgres(s) => s.put_attachment(attachment, now).await,
        }
    }

    /// What is stored under `inspection` and `id`, without the bytes.
    pub async fn attachment_info(&self, inspection: Uuid, id: Uuid) -> Result<Option<AttachmentInfo>, StoreError> {
        match self {
            Store::Sqlite(s) => s.attachment_info(inspection, id).await,
            Store::Postgres(s) => s.attachment_info(inspection, id).await,
        }
    }

    /// An attachment with its bytes.
    pub async fn attachment(&self, inspection: Uuid, id: Uuid) -> Result<Option<(AttachmentInfo, Bytes)>, StoreError> {
        match self {
            Store::Sqlite(s) => s.attachment(inspection, id).await,
            Store::Postgres(s) => s.attachment(inspection, id).await,
        }
    }

    /// Every attachment stored under `inspection`, in the order they arrived, without bytes.
    pub async fn attachments(&self, inspection: Uuid) -> Result<Vec<AttachmentInfo>, StoreError> {
        match self {
            Store::Sqlite(s) => s.attachments(inspection).await,
            Store::Postgres(s) => s.attachments(inspection).await,
        }
    }
}
