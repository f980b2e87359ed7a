//! PostgreSQL through tokio-postgres, for the office that outgrows one SQLite file. Requests
//! take a connection from a pool (deadpool-postgres, `SAFEWALK_PG_POOL` of them at most), so
//! one slow query does not hold up every other request and a transaction has a connection to
//! itself. The insert is one statement (`ON CONFLICT DO NOTHING`), so concurrent uploads of
//! the same inspection cannot both be "stored".

use axum::body::Bytes;
use deadpool_postgres::{Hook, HookError, Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use tokio_postgres::{Client, NoTls, Row};
use uuid::Uuid;

use super::{AttachmentInfo, NewAttachment, PutResult, StoreError, StoredInspection, ATTACHMENT_COLUMNS, COLUMNS, MIGRATIONS, VISIBLE};
use crate::people::Visibility;

/// Cheap to clone: the pool is shared.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::database(e)
}

/// How long a request waits for a free connection, or for a new one to open, before it
/// fails with a clear error rather than hanging.
const POOL_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

impl PostgresStore {
    /// A pool of at most `size` connections to `url` (at least one), the schema migrated.
    pub async fn connect(url: &str, size: usize) -> Result<PostgresStore, StoreError> {
        let config: tokio_postgres::Config = url.parse().map_err(err)?;
        // Fast: a connection back in the pool is reused as it is unless it closed (a
        // transaction dropped half-way is rolled back by tokio-postgres itself).
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(POOL_WAIT))
            // Set on every connection the pool opens. A receipt means durable: each commit
            // waits for its WAL flush, even where the server was configured to trade that
            // away (`synchronous_commit = off` loses the last commits on a crash). Statements
            // are prepared once per connection ([`PostgresStore::rows`]) but still planned for
            // each call's values, as the unnamed statements before the pool were: one text
            // serves every filter (`$5 = '' OR …`), and a generic plan made for one would
            // be wrong for another (PostgreSQL 12 and later).
            .post_create(Hook::async_fn(|client, _| {
                Box::pin(async move {
                    client
                        .batch_execute("SET synchronous_commit = on; SET plan_cache_mode = force_custom_plan")
                        .await
                        .map_err(HookError::Backend)
                })
            }))
            .build()
            .map_err(err)?;
        let store = PostgresStore { pool };
        let client = store.client().await?;
        migrate(&client).await?;
        drop(client);
        Ok(store)
    }

    /// A connection of the pool, back in it when dropped.
    async fn client(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(|e| StoreError::Database(format!("no PostgreSQL connection: {e}")))
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
        let inserted = self
            .client()
            .await?
            .query_opt(
                "INSERT INTO inspections (id, payload, received_at, follow_up_of, submitted_by, seal) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (id) DO NOTHING RETURNING received_at",
                &[&id.to_string(), &payload, &(now as i64), &follow_up_of.map(|o| o.to_string()), &submitted_by, &seal],
            )
            .await
            .map_err(err)?;
        if inserted.is_some() {
            return Ok(PutResult::Stored { received_at: now });
        }
        match self.get(id).await? {
            Some(stored) if stored.payload == payload => Ok(PutResult::Duplicate { received_at: stored.received_at }),
            Some(_) => Ok(PutResult::Conflict),
            None => Err(StoreError::Vanished { what: format!("inspection {id}") }),
        }
    }

    pub async fn get(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(&format!("SELECT {COLUMNS} FROM inspections WHERE id = $1"), &[&id.to_string()])
            .await
            .map_err(err)?;
        row.map(stored).transpose()
    }

    pub async fn list(&self, v: &Visibility, offset: u64, limit: u64) -> Result<Vec<StoredInspection>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("SELECT {COLUMNS} FROM inspections WHERE {VISIBLE} ORDER BY received_at DESC, id LIMIT $4 OFFSET $5"),
                &[&v.submitter, &v.department, &v.district, &(limit as i64), &(offset as i64)],
            )
            .await
            .map_err(err)?;
        rows.into_iter().map(stored).collect()
    }

    pub async fn follow_ups(&self, of: Uuid) -> Result<Vec<StoredInspection>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(&format!("SELECT {COLUMNS} FROM inspections WHERE follow_up_of = $1 ORDER BY received_at, id"), &[&of.to_string()])
            .await
            .map_err(err)?;
        rows.into_iter().map(stored).collect()
    }

    pub async fn count(&self, v: &Visibility) -> Result<u64, StoreError> {
        let row = self
            .client()
            .await?
            .query_one(&format!("SELECT COUNT(*) FROM inspections WHERE {VISIBLE}"), &[&v.submitter, &v.department, &v.district])
            .await
            .map_err(err)?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    pub async fn put_attachment(&self, a: NewAttachment, now: u64) -> Result<PutResult, StoreError> {
        let (inspection, id) = (a.inspection.to_string(), a.id.to_string());
        let inserted = self
            .client()
            .await?
            .query_opt(
                "INSERT INTO attachments (inspection_id, id, sha256, content_type, bytes, received_at, submitted_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (inspection_id, id) DO NOTHING RETURNING received_at",
                &[&inspection, &id, &a.sha256, &a.content_type, &&a.bytes[..], &(now as i64), &a.submitted_by],
            )
            .await
            .map_err(err)?;
        if inserted.is_some() {
            return Ok(PutResult::Stored { received_at: now });
        }
        match self.attachment_info(a.inspection, a.id).await? {
            Some(stored) if stored.sha256 == a.sha256 => Ok(PutResult::Duplicate { received_at: stored.received_at }),
            Some(_) => Ok(PutResult::Conflict),
            None => Err(StoreError::Vanished { what: format!("attachment {id} of inspection {inspection}") }),
        }
    }

    pub async fn attachment_info(&self, inspection: Uuid, id: Uuid) -> Result<Option<AttachmentInfo>, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE inspection_id = $1 AND id = $2"),
                &[&inspection.to_string(), &id.to_string()],
            )
            .await
            .map_err(err)?;
        row.as_ref().map(attachment_info).transpose()
    }

    pub async fn attachment(&self, inspection: Uuid, id: Uuid) -> Result<Option<(AttachmentInfo, Bytes)>, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {ATTACHMENT_COLUMNS}, bytes FROM attachments WHERE inspection_id = $1 AND id = $2"),
                &[&inspection.to_string(), &id.to_string()],
            )
            .await
            .map_err(err)?;
        row.map(|row| Ok((attachment_info(&row)?, Bytes::from(row.get::<_, Vec<u8>>(7))))).transpose()
    }

    pub async fn attachments(&self, inspection: Uuid) -> Result<Vec<AttachmentInfo>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE inspection_id = $1 ORDER BY received_at, id"),
                &[&inspection.to_string()],
            )
            .await
            .map_err(err)?;
        rows.iter().map(attachment_info).collect()
    }
}

fn attachment_info(row: &Row) -> Result<AttachmentInfo, StoreError> {
    Ok(AttachmentInfo {
        inspection: Uuid::parse_str(row.get(0)).map_err(err)?,
        id: Uuid::parse_str(row.get(1)).map_err(err)?,
        sha256: row.get(2),
        content_type: row.get(3),
        size: row.get::<_, i64>(4) as u64,
        received_at: row.get::<_, i64>(5) as u64,
        submitted_by: row.get(6),
    })
}

fn stored(row: Row) -> Result<StoredInspection, StoreError> {
    let id: String = row.get(0);
    let follow_up_of: Option<String> = row.get(3);
    Ok(StoredInspection {
        id: Uuid::parse_str(&id).map_err(err)?,
        payload: row.get(1),
        received_at: row.get::<_, i64>(2) as u64,
        follow_up_of: follow_up_of.as_deref().map(Uuid::parse_str).transpose().map_err(err)?,
        attachments_received: row.get::<_, i64>(4) as u64,
        submitted_by: row.get(5),
    })
}

impl PostgresStore {
    /// `synchronous_commit` of every connection the pool may hand out (all of them open and
    /// held at once), for the durability test.
    pub async fn synchronous_commit(&self) -> Result<Vec<String>, StoreError> {
        let mut held = Vec::new();
        let mut settings = Vec::new();
        for _ in 0..self.pool.status().max_size {
            let client = self.client().await?;
            settings.push(client.query_one("SHOW synchronous_commit", &[]).await.map_err(err)?.get(0));
            held.push(client);
        }
        Ok(settings)
    }
}

async fn migrate(client: &Client) -> Result<(), StoreError> {
    client.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)").await.map_err(err)?;
    let applied: i64 = client.query_one("SELECT COUNT(*) FROM schema_migrations", &[]).await.map_err(err)?.get(0);
    for (version, migration) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let sql = migration.postgres();
        client
            .batch_execute(&format!("BEGIN; {sql}; INSERT INTO schema_migrations (version) VALUES ({version}); COMMIT;"))
            .await
            .map_err(err)?;
    }
    Ok(())
}

impl PostgresStore {
    /// One statement with plain values, every row's cells (see [`super::sql`]).
    pub async fn rows(
        &self,
        sql: std::borrow::Cow<'static, str>,
        values: Vec<super::sql::Value>,
    ) -> Result<Vec<Vec<super::sql::Value>>, StoreError> {
        use super::sql::Value;
        use tokio_postgres::types::{ToSql, Type};
        let params = postgres_values(values);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect();
        let client = self.client().await?;
        // Prepared once per connection: the next call skips the parse (the queries are
        // `&'static str`, so the cache stays as small as the code).
        let statement = client.prepare_cached(&sql).await.map_err(err)?;
        let rows = client.query(&statement, &refs).await.map_err(err)?;
        Ok(rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|n| match *row.columns()[n].type_() {
                        Type::INT8 => row.get::<_, Option<i64>>(n).map(Value::Int).unwrap_or(Value::NullInt),
                        Type::INT4 => row.get::<_, Option<i32>>(n).map(|i| Value::Int(i.into())).unwrap_or(Value::NullInt),
                        _ => row.get::<_, Option<String>>(n).map(Value::Text).unwrap_or(Value::NullText),
                    })
                    .collect()
            })
            .collect())
    }

    /// See [`super::Store::all_or_nothing`]: on a pooled connection, which no other request
    /// uses until the transaction ends.
    pub async fn all_or_nothing(&self, statements: Vec<(&'static str, Vec<super::sql::Value>)>) -> Result<(), StoreError> {
        use tokio_postgres::types::ToSql;
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(err)?;
        for (sql, values) in statements {
            let params = postgres_values(values);
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect();
            let statement = tx.prepare_cached(sql).await.map_err(err)?;
            tx.execute(&statement, &refs).await.map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }
}

type PostgresParams = Vec<Box<dyn tokio_postgres::types::ToSql + Sync + Send>>;

fn postgres_values(values: Vec<super::sql::Value>) -> PostgresParams {
    use super::sql::Value;
    values
        .into_iter()
        .map(|v| -> Box<dyn tokio_postgres::types::ToSql + Sync + Send> {
            match v {
                Value::Text(t) => Box::new(t),
                Value::Int(i) => Box::new(i),
                Value::NullText => Box::new(None::<String>),
                Value::NullInt => Box::new(None::<i64>),
            }
        })
        .collect()
}
