//! Where the receiver keeps inspections: SQLite by default, PostgreSQL when a
//! `postgres://` URL is given. Both run the same migrations and answer the same questions.

mod postgres;
mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use std::fmt;

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
}

/// What storing an inspection did. Idempotent by id: the same content again is a
/// duplicate (with the first receipt time), different content under the same id a conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PutResult {
    Stored { received_at: u64 },
    Duplicate { received_at: u64 },
    Conflict,
}

#[derive(Debug)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "database error: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// The schema, one step a line; each runs once, in order, at start (recorded in
/// `schema_migrations`). Plain SQL both databases understand.
pub const MIGRATIONS: &[&str] = &[
    "CREATE TABLE inspections (
        id TEXT PRIMARY KEY,
        payload TEXT NOT NULL,
        received_at BIGINT NOT NULL
    )",
    "CREATE INDEX inspections_received_at ON inspections (received_at)",
    // Payload schema 2: a re-inspection names its original. Rows stored before have none
    // (earlier receivers could not keep `follow_up`: it was not in their payload type).
    "ALTER TABLE inspections ADD COLUMN follow_up_of TEXT",
    "CREATE INDEX inspections_follow_up_of ON inspections (follow_up_of)",
];

/// The columns every query reads, in [`StoredInspection`] order.
const COLUMNS: &str = "id, payload, received_at, follow_up_of";

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
}
