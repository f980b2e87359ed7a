//! SQLite through rusqlite (bundled, so nothing to install). One connection behind a mutex,
//! used from blocking threads: writes are serialised, which is also what makes the
//! check-then-insert of `put` atomic.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::{AttachmentInfo, NewAttachment, PutResult, StoreError, StoredInspection, ATTACHMENT_COLUMNS, COLUMNS, MIGRATIONS, VISIBLE};
use crate::people::Visibility;

#[derive(Clone)]
pub struct SqliteStore {
    connection: Arc<Mutex<Connection>>,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::database(e)
}

impl SqliteStore {
    pub async fn open(path: String) -> Result<SqliteStore, StoreError> {
        tokio::task::spawn_blocking(move || {
            if let Some(parent) = std::path::Path::new(&path).parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(err)?;
            }
            let connection = Connection::open(&path).map_err(err)?;
            // WAL: readers (the office view) do not block the phone's uploads. FULL: every
            // commit is flushed to disk before it returns, so a receipt survives a power cut
            // (NORMAL would only survive a crash of this process).
            connection.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
            connection.pragma_update(None, "synchronous", "FULL").map_err(err)?;
            migrate(&connection)?;
            Ok(SqliteStore { connection: Arc::new(Mutex::new(connection)) })
        })
        .await
        .map_err(err)?
    }

    async fn with<R: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let connection = self.connection.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = connection.lock().map_err(|_| StoreError::LockPoisoned)?;
            work(&mut guard)
        })
        .await
        .map_err(err)?
    }

    pub async fn put(
        &self,
        id: Uuid,
        payload: &str,
        follow_up_of: Option<Uuid>,
        submitted_by: Option<&str>,
        seal: Option<String>,
        now: u64,
    ) -> Result<PutResult, StoreError> {
        let payload = payload.to_string();
        let submitted_by = submitted_by.map(str::to_string);
        self.with(move |c| {
            let tx = c.transaction().map_err(err)?;
            let existing: Option<(String, i64)> = tx
                .query_row("SELECT payload, received_at FROM inspections WHERE id = ?1", params![id.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()
                .map_err(err)?;
            let result = match existing {
                Some((stored, received_at)) if stored == payload => PutResult::Duplicate { received_at: received_at as u64 },
                Some(_) => PutResult::Conflict,
                None => {
                    tx.execute(
                        "INSERT INTO inspections (id, payload, received_at, follow_up_of, submitted_by, seal) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![id.to_string(), payload, now as i64, follow_up_of.map(|o| o.to_string()), submitted_by, seal],
                    )
                    .map_err(err)?;
                    PutResult::Stored { received_at: now }
                }
            };
            tx.commit().map_err(err)?;
            Ok(result)
        })
        .await
    }

    pub async fn get(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
        self.with(move |c| {
            c.query_row(&format!("SELECT {COLUMNS} FROM inspections WHERE id = ?1"), params![id.to_string()], row).optional().map_err(err)
        })
        .await
    }

    pub async fn list(&self, visible: &Visibility, offset: u64, limit: u64) -> Result<Vec<StoredInspection>, StoreError> {
        let v = visible.clone();
        self.with(move |c| {
            let mut statement = c
                .prepare(&format!("SELECT {COLUMNS} FROM inspections WHERE {VISIBLE} ORDER BY received_at DESC, id LIMIT $4 OFFSET $5"))
                .map_err(err)?;
            let rows =
                statement.query_map(params![v.submitter, v.department, v.district, limit as i64, offset as i64], row).map_err(err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(err)
        })
        .await
    }

    pub async fn follow_ups(&self, of: Uuid) -> Result<Vec<StoredInspection>, StoreError> {
        self.with(move |c| {
            let mut statement =
                c.prepare(&format!("SELECT {COLUMNS} FROM inspections WHERE follow_up_of = ?1 ORDER BY received_at, id")).map_err(err)?;
            let rows = statement.query_map(params![of.to_string()], row).map_err(err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(err)
        })
        .await
    }

    pub async fn count(&self, visible: &Visibility) -> Result<u64, StoreError> {
        let v = visible.clone();
        self.with(move |c| {
            c.query_row(&format!("SELECT COUNT(*) FROM inspections WHERE {VISIBLE}"), params![v.submitter, v.department, v.district], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(err)
        })
        .await
    }

    pub async fn put_attachment(&self, a: NewAttachment, now: u64) -> Result<PutResult, StoreError> {
        self.with(move |c| {
            let tx = c.transaction().map_err(err)?;
            let existing: Option<(String, i64)> = tx
                .query_row(
                    "SELECT sha256, received_at FROM attachments WHERE inspection_id = ?1 AND id = ?2",
                    params![a.inspection.to_string(), a.id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(err)?;
            let result = match existing {
                Some((sha256, received_at)) if sha256 == a.sha256 => PutResult::Duplicate { received_at: received_at as u64 },
                Some(_) => PutResult::Conflict,
                None => {
                    tx.execute(
                        "INSERT INTO attachments (inspection_id, id, sha256, content_type, bytes, received_at, submitted_by) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![
                            a.inspection.to_string(),
                            a.id.to_string(),
                            a.sha256,
                            a.content_type,
                            &a.bytes[..],
                            now as i64,
                            a.submitted_by
                        ],
                    )
                    .map_err(err)?;
                    PutResult::Stored { received_at: now }
                }
            };
            tx.commit().map_err(err)?;
            Ok(result)
        })
        .await
    }

    pub async fn attachment_info(&self, inspection: Uuid, id: Uuid) -> Result<Option<AttachmentInfo>, StoreError> {
        self.with(move |c| {
            c.query_row(
                &format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE inspection_id = ?1 AND id = ?2"),
                params![inspection.to_string(), id.to_string()],
                attachment_row,
            )
            .optional()
            .map_err(err)
        })
        .await
    }

    pub async fn attachment(&self, inspection: Uuid, id: Uuid) -> Result<Option<(AttachmentInfo, Bytes)>, StoreError> {
        self.with(move |c| {
            c.query_row(
                &format!("SELECT {ATTACHMENT_COLUMNS}, bytes FROM attachments WHERE inspection_id = ?1 AND id = ?2"),
                params![inspection.to_string(), id.to_string()],
                |r| Ok((attachment_row(r)?, Bytes::from(r.get::<_, Vec<u8>>(7)?))),
            )
            .optional()
            .map_err(err)
        })
        .await
    }

    pub async fn attachments(&self, inspection: Uuid) -> Result<Vec<AttachmentInfo>, StoreError> {
        self.with(move |c| {
            let mut statement = c
                .prepare(&format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE inspection_id = ?1 ORDER BY received_at, id"))
                .map_err(err)?;
            let rows = statement.query_map(params![inspection.to_string()], attachment_row).map_err(err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(err)
        })
        .await
    }

    /// `PRAGMA synchronous` of the open connection (2 is FULL), for the durability test.
    pub async fn synchronous(&self) -> Result<i64, StoreError> {
        self.with(|c| c.query_row("PRAGMA synchronous", [], |r| r.get(0)).map_err(err)).await
    }
}

fn uuid_at(column: usize, text: &str) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e)))
}

fn attachment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AttachmentInfo> {
    Ok(AttachmentInfo {
        inspection: uuid_at(0, &r.get::<_, String>(0)?)?,
        id: uuid_at(1, &r.get::<_, String>(1)?)?,
        sha256: r.get(2)?,
        content_type: r.get(3)?,
        size: r.get::<_, i64>(4)? as u64,
        received_at: r.get::<_, i64>(5)? as u64,
        submitted_by: r.get(6)?,
    })
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredInspection> {
    let id: String = r.get(0)?;
    let follow_up_of: Option<String> = r.get(3)?;
    Ok(StoredInspection {
        id: uuid_at(0, &id)?,
        payload: r.get(1)?,
        received_at: r.get::<_, i64>(2)? as u64,
        follow_up_of: follow_up_of.map(|o| uuid_at(3, &o)).transpose()?,
        attachments_received: r.get::<_, i64>(4)? as u64,
        submitted_by: r.get(5)?,
    })
}

fn migrate(c: &Connection) -> Result<(), StoreError> {
    c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)", []).map_err(err)?;
    let applied: i64 = c.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0)).map_err(err)?;
    for (version, migration) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let sql = migration.sqlite();
        c.execute_batch(&format!("BEGIN; {sql}; INSERT INTO schema_migrations (version) VALUES ({version}); COMMIT;")).map_err(err)?;
    }
    Ok(())
}

impl SqliteStore {
    /// One statement with plain values, every row's cells (the people, sessions and audit
    /// queries are written once for both databases: see [`super::sql`]).
    pub async fn rows(
        &self,
        sql: std::borrow::Cow<'static, str>,
        values: Vec<super::sql::Value>,
    ) -> Result<Vec<Vec<super::sql::Value>>, StoreError> {
        use super::sql::Value;
        self.with(move |c| {
            let mut statement = c.prepare_cached(&sql).map_err(err)?;
            let columns = statement.column_count();
            let params: Vec<rusqlite::types::Value> = values.into_iter().map(sqlite_value).collect();
            let mut rows = statement.query(rusqlite::params_from_iter(params)).map_err(err)?;
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(err)? {
                let mut cells = Vec::with_capacity(columns);
                for n in 0..columns {
                    cells.push(match row.get::<_, rusqlite::types::Value>(n).map_err(err)? {
                        rusqlite::types::Value::Text(t) => Value::Text(t),
                        rusqlite::types::Value::Integer(i) => Value::Int(i),
                        _ => Value::NullText,
                    });
                }
                out.push(cells);
            }
            Ok(out)
        })
        .await
    }

    /// See [`super::Store::all_or_nothing`].
    pub async fn all_or_nothing(&self, statements: Vec<(&'static str, Vec<super::sql::Value>)>) -> Result<(), StoreError> {
        self.with(move |c| {
            let tx = c.transaction().map_err(err)?;
            for (sql, values) in statements {
                let params: Vec<rusqlite::types::Value> = values.into_iter().map(sqlite_value).collect();
                tx.prepare_cached(sql).map_err(err)?.execute(rusqlite::params_from_iter(params)).map_err(err)?;
            }
            tx.commit().map_err(err)
        })
        .await
    }
}

fn sqlite_value(v: super::sql::Value) -> rusqlite::types::Value {
    use super::sql::Value;
    match v {
        Value::Text(t) => rusqlite::types::Value::Text(t),
        Value::Int(i) => rusqlite::types::Value::Integer(i),
        Value::NullText | Value::NullInt => rusqlite::types::Value::Null,
    }
}
