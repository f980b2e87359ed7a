//! People, their device tokens and one-time sign-in codes, office sessions, sign-in
//! failures and the audit trail: one SQL text for both databases ([`super::sql`]).

use super::sql::Value;
use super::{Store, StoreError};
use crate::people::{new_id, same_hash, secret_hash, Person, Role};
use crate::values;

/// A person from the columns `id, name, role, department, district, certificate, active,
/// created_at` (every query of people reads them in this order).
fn person(row: &[Value]) -> Result<Person, StoreError> {
    let role = row[2].text();
    Ok(Person {
        id: row[0].text(),
        name: row[1].text(),
        role: Role::parse(&role).ok_or_else(|| StoreError::Database(format!("unknown role {role:?}")))?,
        department: row[3].text(),
        district: row[4].text(),
        certificate: row[5].text(),
        active: row[6].int() != 0,
        created_at: row[7].int() as u64,
    })
}

/// A new person's details.
#[derive(Clone, Debug, Default)]
pub struct NewPerson {
    pub name: String,
    pub role: Option<Role>,
    pub department: String,
    pub district: String,
    pub certificate: String,
}

/// What kind of secret a token row holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A phone's bearer token, until revoked.
    Device,
    /// A one-time sign-in code (the link an office hands a phone, or a new admin's first
    /// sign-in): dead once used or expired.
    SignIn,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            TokenKind::Device => "device",
            TokenKind::SignIn => "sign-in",
        }
    }
}

/// A token as listed (never the secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: String,
    pub person_id: String,
    pub kind: String,
    pub label: String,
    pub created_at: u64,
    pub last_used_at: Option<u64>,
    pub expires_at: Option<u64>,
    pub revoked_at: Option<u64>,
}

/// A token's listing from the columns `id, person_id, kind, label, created_at, last_used_at,
/// expires_at, revoked_at`.
fn token(row: &[Value]) -> TokenInfo {
    TokenInfo {
        id: row[0].text(),
        person_id: row[1].text(),
        kind: row[2].text(),
        label: row[3].text(),
        created_at: row[4].int() as u64,
        last_used_at: row[5].opt_int().map(|i| i as u64),
        expires_at: row[6].opt_int().map(|i| i as u64),
        revoked_at: row[7].opt_int().map(|i| i as u64),
    }
}

/// An office session: whose, and the CSRF token its forms carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub person: Person,
    pub csrf: String,
    pub expires_at: u64,
}

/// One line of the audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: u64,
    /// Who did it: a person's `name (role)`, `legacy token`, `console`, or `anonymous`.
    pub actor: String,
    pub actor_id: Option<String>,
    /// What, as a short fixed word: `sign-in`, `sign-in-failed`, `token-issued`…
    pub action: String,
    /// On whom or what.
    pub subject: String,
    pub detail: String,
    /// From where: the client's address, or `console`.
    pub address: String,
}

impl Store {
    pub async fn count_people(&self) -> Result<u64, StoreError> {
        Ok(self.row("SELECT COUNT(*) FROM people", vec![]).await?.map(|r| r[0].int() as u64).unwrap_or(0))
    }

    /// Adds a person; `None` when the name is taken.
    pub async fn add_person(&self, new: &NewPerson, now: u64) -> Result<Option<Person>, StoreError> {
        let role = new.role.unwrap_or(Role::Inspector);
        let id = new_id();
        let rows = self
            .rows(
                "INSERT INTO people (id, name, role, department, district, certificate, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT (name) DO NOTHING RETURNING id",
                values![&id, &new.name, role.as_str(), &new.department, &new.district, &new.certificate, now],
            )
            .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        self.person(&id).await
    }

    pub async fn person(&self, id: &str) -> Result<Option<Person>, StoreError> {
        self.row("SELECT id, name, role, department, district, certificate, active, created_at FROM people WHERE id = $1", values![id])
            .await?
            .map(|r| person(&r))
            .transpose()
    }

    pub async fn person_by_name(&self, name: &str) -> Result<Option<Person>, StoreError> {
        self.row(
            "SELECT id, name, role, department, district, certificate, active, created_at FROM people WHERE name = $1",
            values![name.trim()],
        )
        .await?
        .map(|r| person(&r))
        .transpose()
    }

    /// Everyone, by name.
    pub async fn people(&self) -> Result<Vec<Person>, StoreError> {
        self.rows("SELECT id, name, role, department, district, certificate, active, created_at FROM people ORDER BY name", vec![])
            .await?
            .iter()
            .map(|r| person(r))
            .collect()
    }

    /// Saves a person's role, scope, certificate and whether active (by id).
    pub async fn update_person(&self, p: &Person) -> Result<(), StoreError> {
        self.rows(
            "UPDATE people SET role = $1, department = $2, district = $3, certificate = $4, active = $5 WHERE id = $6",
            values![p.role.as_str(), &p.department, &p.district, &p.certificate, i64::from(p.active), &p.id],
        )
        .await?;
        Ok(())
    }

    pub async fn set_password(&self, person_id: &str, hash: &str) -> Result<(), StoreError> {
        self.rows("UPDATE people SET password_hash = $1 WHERE id = $2", values![hash, person_id]).await?;
        Ok(())
    }

    /// The person of this name and their password hash (`None` if they have none).
    pub async fn password_of(&self, name: &str) -> Result<Option<(Person, Option<String>)>, StoreError> {
        let row = self
            .row(
                "SELECT id, name, role, department, district, certificate, active, created_at, password_hash FROM people WHERE name = $1",
                values![name.trim()],
            )
            .await?;
        row.map(|r| Ok((person(&r)?, r[8].opt_text()))).transpose()
    }

    /// Stores a new secret's hash for `person_id` and returns its listing.
    pub async fn add_token(
        &self,
        person_id: &str,
        secret: &str,
        kind: TokenKind,
        label: &str,
        expires_at: Option<u64>,
        now: u64,
    ) -> Result<TokenInfo, StoreError> {
        let id = new_id();
        self.rows(
            "INSERT INTO tokens (hash, id, person_id, kind, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            values![secret_hash(secret), &id, person_id, kind.as_str(), label, now, expires_at],
        )
        .await?;
        Ok(TokenInfo {
            id,
            person_id: person_id.to_string(),
            kind: kind.as_str().to_string(),
            label: label.to_string(),
            created_at: now,
            last_used_at: None,
            expires_at,
            revoked_at: None,
        })
    }

    /// The active person a device token belongs to, if it is one, not revoked, and its
    /// person active; records when it was last used (to the minute, to spare writes).
    pub async fn device_token(&self, secret: &str, now: u64) -> Result<Option<(TokenInfo, Person)>, StoreError> {
        let hash = secret_hash(secret);
        let row = self
            .row(
                "SELECT t.hash, t.id, t.person_id, t.kind, t.label, t.created_at, t.last_used_at, t.expires_at, t.revoked_at, \
                 p.id, p.name, p.role, p.department, p.district, p.certificate, p.active, p.created_at \
                 FROM tokens t JOIN people p ON p.id = t.person_id WHERE t.hash = $1 AND t.kind = 'device'",
                values![&hash],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        // The index found the row by hash; the comparison that decides is in constant time.
        if !same_hash(&row[0].text(), &hash) {
            return Ok(None);
        }
        let info = token(&row[1..9]);
        let person = person(&row[9..17])?;
        if info.revoked_at.is_some() || !person.active {
            return Ok(None);
        }
        if info.last_used_at.is_none_or(|last| now.saturating_sub(last) >= 60_000) {
            self.rows("UPDATE tokens SET last_used_at = $1 WHERE id = $2", values![now, &info.id]).await?;
        }
        Ok(Some((info, person)))
    }

    /// Uses up a one-time sign-in code: the active person it was for, once; `None` when it is
    /// unknown, used, revoked or expired.
    pub async fn take_sign_in(&self, secret: &str, now: u64) -> Result<Option<Person>, StoreError> {
        let row = self
            .row(
                "UPDATE tokens SET revoked_at = $1, last_used_at = $1 WHERE hash = $2 AND kind = 'sign-in' \
                 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1) RETURNING person_id",
                values![now, secret_hash(secret)],
            )
            .await?;
        match row {
            Some(r) => Ok(self.person(&r[0].text()).await?.filter(|p| p.active)),
            None => Ok(None),
        }
    }

    /// Every token of a person, newest first.
    pub async fn tokens_of(&self, person_id: &str) -> Result<Vec<TokenInfo>, StoreError> {
        Ok(self
            .rows(
                "SELECT id, person_id, kind, label, created_at, last_used_at, expires_at, revoked_at FROM tokens \
                 WHERE person_id = $1 ORDER BY created_at DESC, id",
                values![person_id],
            )
            .await?
            .iter()
            .map(|r| token(r))
            .collect())
    }

    /// Revokes a token by its listed id: its person's id when it was live until now.
    pub async fn revoke_token(&self, id: &str, now: u64) -> Result<Option<String>, StoreError> {
        Ok(self
            .row("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING person_id", values![now, id])
            .await?
            .map(|r| r[0].text()))
    }

    /// Revokes every live token and ends every session of a person (deactivated).
    pub async fn revoke_all_of(&self, person_id: &str, now: u64) -> Result<(), StoreError> {
        self.rows("UPDATE tokens SET revoked_at = $1 WHERE person_id = $2 AND revoked_at IS NULL", values![now, person_id]).await?;
        self.rows("DELETE FROM sessions WHERE person_id = $1", values![person_id]).await?;
        Ok(())
    }

    pub async fn add_session(&self, secret: &str, person_id: &str, csrf: &str, expires_at: u64, now: u64) -> Result<(), StoreError> {
        self.rows(
            "INSERT INTO sessions (hash, person_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            values![secret_hash(secret), person_id, csrf, now, expires_at],
        )
        .await?;
        Ok(())
    }

    /// The live session of this cookie value, its person active.
    pub async fn session(&self, secret: &str, now: u64) -> Result<Option<Session>, StoreError> {
        let hash = secret_hash(secret);
        let row = self
            .row(
                "SELECT s.hash, s.csrf, s.expires_at, \
                 p.id, p.name, p.role, p.department, p.district, p.certificate, p.active, p.created_at \
                 FROM sessions s JOIN people p ON p.id = s.person_id WHERE s.hash = $1 AND s.expires_at > $2",
                values![&hash, now],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        if !same_hash(&row[0].text(), &hash) {
            return Ok(None);
        }
        let person = person(&row[3..11])?;
        Ok(person.active.then(|| Session { person, csrf: row[1].text(), expires_at: row[2].int() as u64 }))
    }

    pub async fn end_session(&self, secret: &str, now: u64) -> Result<(), StoreError> {
        self.rows("DELETE FROM sessions WHERE hash = $1 OR expires_at <= $2", values![secret_hash(secret), now]).await?;
        Ok(())
    }

    /// Records a failed sign-in under each key (`name:…`, `address:…`).
    pub async fn sign_in_failed(&self, keys: &[String], now: u64) -> Result<(), StoreError> {
        for key in keys {
            self.rows("INSERT INTO sign_in_failures (key, at) VALUES ($1, $2)", values![key, now]).await?;
        }
        Ok(())
    }

    /// How many failures a key has had since `since`.
    pub async fn failures_since(&self, key: &str, since: u64) -> Result<u64, StoreError> {
        Ok(self
            .row("SELECT COUNT(*) FROM sign_in_failures WHERE key = $1 AND at > $2", values![key, since])
            .await?
            .map(|r| r[0].int() as u64)
            .unwrap_or(0))
    }

    /// Forgets a key's failures (after a successful sign-in under that name) and everyone's
    /// older than `before`.
    pub async fn clear_failures(&self, key: &str, before: u64) -> Result<(), StoreError> {
        self.rows("DELETE FROM sign_in_failures WHERE key = $1 OR at < $2", values![key, before]).await?;
        Ok(())
    }

    /// Ends every other session of a person (their password changed: whoever else had it is
    /// out), keeping the one of `keep_secret`.
    pub async fn end_other_sessions(&self, person_id: &str, keep_secret: &str) -> Result<u64, StoreError> {
        let ended = self
            .rows("DELETE FROM sessions WHERE person_id = $1 AND hash <> $2 RETURNING hash", values![person_id, secret_hash(keep_secret)])
            .await?;
        Ok(ended.len() as u64)
    }

    /// Deletes sessions expired by `now` and sign-in failures older than `failures_before`
    /// (outside every limit's window): `(sessions, failures)` deleted.
    pub async fn purge_expired(&self, now: u64, failures_before: u64) -> Result<(u64, u64), StoreError> {
        let sessions = self.rows("DELETE FROM sessions WHERE expires_at <= $1 RETURNING hash", values![now]).await?;
        let failures = self.rows("DELETE FROM sign_in_failures WHERE at < $1 RETURNING key", values![failures_before]).await?;
        Ok((sessions.len() as u64, failures.len() as u64))
    }

    /// Appends one line to the audit trail.
    pub async fn audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        self.rows(
            "INSERT INTO audit (at, actor, actor_id, action, subject, detail, address) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            values![e.at, &e.actor, e.actor_id.clone(), &e.action, &e.subject, &e.detail, &e.address],
        )
        .await?;
        Ok(())
    }

    /// The audit trail, newest first.
    pub async fn audit_entries(&self, offset: u64, limit: u64) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(self
            .rows(
                "SELECT seq, at, actor, actor_id, action, subject, detail, address FROM audit ORDER BY seq DESC LIMIT $1 OFFSET $2",
                values![limit, offset],
            )
            .await?
            .iter()
            .map(|r| AuditEntry {
                seq: r[0].int(),
                at: r[1].int() as u64,
                actor: r[2].text(),
                actor_id: r[3].opt_text(),
                action: r[4].text(),
                subject: r[5].text(),
                detail: r[6].text(),
                address: r[7].text(),
            })
            .collect())
    }
}
