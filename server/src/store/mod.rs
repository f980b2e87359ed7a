//! Where the receiver keeps inspections and their attachments (photos, signatures): SQLite
//! by default, PostgreSQL when a `postgres://` URL is given. Both run the same migrations and
//! answer the same questions.

pub mod figures;
pub mod hazards;
pub mod papers;
pub mod people;
mod postgres;
pub mod sites;
pub mod sql;
mod sqlite;
pub mod sync;
pub mod tasks;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use std::fmt;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::people::Visibility;

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
    /// The id of the person whose token delivered it (`None`: before people, or a legacy
    /// shared token).
    pub submitted_by: Option<String>,
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
    /// The person whose token delivered it.
    pub submitted_by: Option<String>,
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
    pub submitted_by: Option<String>,
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
    // People (issue 13): who submitted each inspection and attachment, from the token (NULL:
    // before people, or a legacy shared token).
    Migration::Both("ALTER TABLE inspections ADD COLUMN submitted_by TEXT"),
    Migration::Both("ALTER TABLE attachments ADD COLUMN submitted_by TEXT"),
    Migration::Both(
        "CREATE TABLE people (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        department TEXT NOT NULL DEFAULT '',
        district TEXT NOT NULL DEFAULT '',
        certificate TEXT NOT NULL DEFAULT '',
        active BIGINT NOT NULL DEFAULT 1,
        password_hash TEXT,
        created_at BIGINT NOT NULL
    )",
    ),
    // Device tokens and one-time sign-in codes, by the SHA-256 of the secret (the secret
    // itself is shown once and never stored).
    Migration::Both(
        "CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        person_id TEXT NOT NULL REFERENCES people (id),
        kind TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        created_at BIGINT NOT NULL,
        last_used_at BIGINT,
        expires_at BIGINT,
        revoked_at BIGINT
    )",
    ),
    Migration::Both("CREATE INDEX tokens_person ON tokens (person_id)"),
    Migration::Both(
        "CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES people (id),
        csrf TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
    )",
    ),
    Migration::Both("CREATE TABLE sign_in_failures (key TEXT NOT NULL, at BIGINT NOT NULL)"),
    Migration::Both("CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at)"),
    // The audit trail: appended to, never changed (the database refuses an UPDATE or a
    // DELETE, whoever asks).
    Migration::Each {
        sqlite: "CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        actor_id TEXT,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL,
        address TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        postgres: "CREATE TABLE audit (
        seq BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        actor_id TEXT,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL,
        address TEXT NOT NULL
    );
    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$;
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
    },
    // The register of sites (issue 14). `identity` is core's normalised name and address
    // (`SiteIdentity::key`), what a delivery without a code is matched by; `uscc` is NULL
    // when unknown (both databases let any number of NULLs share a UNIQUE column).
    // `sectors`: template ids, comma-separated. `position`: `lat,lon` or empty.
    Migration::Both(
        "CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        identity TEXT NOT NULL,
        district TEXT NOT NULL DEFAULT '',
        department TEXT NOT NULL DEFAULT '',
        sectors TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL DEFAULT '',
        position TEXT NOT NULL DEFAULT '',
        uscc TEXT UNIQUE,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
    )",
    ),
    Migration::Both("CREATE INDEX sites_identity ON sites (identity)"),
    Migration::Both("CREATE INDEX sites_name ON sites (name)"),
    // Each delivered inspection's site. Rows stored before are filed at start
    // (`crate::sites::file_unfiled`): the migration is SQL and cannot read a payload.
    Migration::Both("ALTER TABLE inspections ADD COLUMN site_id TEXT"),
    Migration::Both("CREATE INDEX inspections_site ON inspections (site_id)"),
    // Tasks (issue 14): a site to inspect with a checklist (template id) by a due date
    // (`YYYY-MM-DD`). The number people read is `year-seq` (`crate::tasks::number`), the
    // sequence unique per year. `state`: assigned, taken, delivered or withdrawn (overdue is
    // computed); `taken_at`, `delivered_at` and `inspection_id` wait for the phone's pull and
    // the linked delivery. `draw_id`: the random draw that made it, if one did.
    Migration::Both(
        "CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        year BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        site_id TEXT NOT NULL,
        template_id TEXT NOT NULL,
        due TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'assigned',
        draw_id TEXT,
        created_by TEXT,
        created_at BIGINT NOT NULL,
        taken_at BIGINT,
        delivered_at BIGINT,
        inspection_id TEXT,
        withdrawn_at BIGINT,
        UNIQUE (year, seq)
    )",
    ),
    // The last task number of each year, taken by an upsert in the transaction that makes
    // the task: its row lock makes concurrent assignments (PostgreSQL) number one after the
    // other, where a `MAX(seq) + 1` would give two of them the same.
    Migration::Both("CREATE TABLE task_numbers (year BIGINT PRIMARY KEY, last_seq BIGINT NOT NULL)"),
    Migration::Both("CREATE INDEX tasks_site ON tasks (site_id)"),
    Migration::Both("CREATE INDEX tasks_due ON tasks (due)"),
    Migration::Both("CREATE INDEX tasks_draw ON tasks (draw_id)"),
    // A task's inspectors (usually two), in the order assigned.
    Migration::Both(
        "CREATE TABLE task_inspectors (
        task_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        position BIGINT NOT NULL,
        PRIMARY KEY (task_id, person_id)
    )",
    ),
    Migration::Both("CREATE INDEX task_inspectors_person ON task_inspectors (person_id)"),
    // Random draws (双随机): what anyone needs to make one again (`crate::draw`) and what it
    // gave. `seed`: a u64 in decimal (above BIGINT's range), `seed_typed` 1 when the drawer
    // typed it rather than took a fresh one (published: a typed seed could have been chosen
    // for its result); pools and result as JSON, the
    // pools in their canonical order.
    Migration::Both(
        "CREATE TABLE draws (
        id TEXT PRIMARY KEY,
        algorithm TEXT NOT NULL,
        seed TEXT NOT NULL,
        seed_typed BIGINT NOT NULL,
        filters TEXT NOT NULL,
        site_pool TEXT NOT NULL,
        inspector_pool TEXT NOT NULL,
        sites BIGINT NOT NULL,
        per_site BIGINT NOT NULL,
        result TEXT NOT NULL,
        template_id TEXT NOT NULL,
        due TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created_by TEXT,
        created_at BIGINT NOT NULL
    )",
    ),
    // The office's hazard register (issue 14): one row per hazard of a delivered inspection,
    // derived from core's register (`crate::hazards`), rewritten on delivery and rebuilt at
    // start, with its inspection's submitter and site (a merge of sites moves them too).
    // `found`: open, on_the_spot or closed (by the re-inspection `closed_by`). `closed`: found
    // not open, or accepted by the office. `grade_rank` 0 major, 1 general; `due_key` the
    // deadline when it is a date, else `~` (after every date): with `closed` the register's
    // order, which `hazards_rank` serves page by page. `search`: the
    // site's name, the item's text, the description and the inspectors, lowercased in Rust
    // (SQLite's LOWER knows only ASCII, PostgreSQL's LIKE minds case).
    Migration::Both(
        "CREATE TABLE hazards (
        inspection_id TEXT NOT NULL,
        item TEXT NOT NULL,
        item_text TEXT NOT NULL,
        template TEXT NOT NULL,
        grade TEXT NOT NULL,
        standing TEXT NOT NULL,
        description TEXT NOT NULL,
        deadline TEXT NOT NULL,
        due_key TEXT NOT NULL,
        found_at BIGINT NOT NULL,
        found TEXT NOT NULL,
        closed_by TEXT,
        closed_at BIGINT,
        site_name TEXT NOT NULL,
        inspectors TEXT NOT NULL,
        search TEXT NOT NULL,
        submitted_by TEXT,
        site_id TEXT,
        closed BIGINT NOT NULL,
        grade_rank BIGINT NOT NULL,
        PRIMARY KEY (inspection_id, item)
    )",
    ),
    Migration::Both("CREATE INDEX hazards_rank ON hazards (closed, grade_rank, due_key, found_at, inspection_id, item)"),
    Migration::Both("CREATE INDEX hazards_site ON hazards (site_id)"),
    // Counting a page's hazards reads this index alone (every column of the filters but the
    // search text). `due_key` last: first, it offered the overdue page a range the planner
    // took over `hazards_rank`'s order, then sorted 16,000 rows for 50.
    Migration::Both("CREATE INDEX hazards_count ON hazards (closed, grade, template, submitted_by, site_id, due_key)"),
    // What the office adds to a hazard, never derived: its acceptance of the rectification
    // (验收; `evidence` an attachment id of the hazard's inspection, or empty) and listed
    // supervision (挂牌督办) of a major one. Names are kept as they were when it was done.
    Migration::Both(
        "CREATE TABLE hazard_acceptances (
        inspection_id TEXT NOT NULL,
        item TEXT NOT NULL,
        accepted_by TEXT,
        accepted_by_name TEXT NOT NULL,
        at BIGINT NOT NULL,
        note TEXT NOT NULL,
        evidence TEXT NOT NULL,
        PRIMARY KEY (inspection_id, item)
    )",
    ),
    Migration::Both(
        "CREATE TABLE hazard_supervisions (
        inspection_id TEXT NOT NULL,
        item TEXT NOT NULL,
        official TEXT NOT NULL,
        deadline TEXT NOT NULL,
        note TEXT NOT NULL,
        set_by TEXT,
        set_by_name TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (inspection_id, item)
    )",
    ),
    // What each derived table (today `hazards`) was last rebuilt from: a fingerprint of its
    // inputs besides the stored payloads (`crate::hazards::fingerprint`: the library and the
    // derivation's version). A start with the same fingerprint skips the rebuild.
    // `rebuilds` counts them (what the tests read).
    Migration::Both(
        "CREATE TABLE derived_tables (
        name TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        rebuilt_at BIGINT NOT NULL,
        rebuilds BIGINT NOT NULL
    )",
    ),
    // The pull (`GET {endpoint}/sync`, issue 14): a task is an inspection or a re-inspection
    // (复查), and carries the change counter's value at its last change (`sync_seq`).
    Migration::Both("ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'inspection'"),
    Migration::Both("ALTER TABLE tasks ADD COLUMN sync_seq BIGINT NOT NULL DEFAULT 0"),
    // The change counter: one row, raised by every change a phone must hear of. Its row lock
    // makes writers take their values one after the other and commit in that order, so a
    // reader that sees value N sees every change numbered N or less (a sequence would let a
    // later number commit before an earlier one, and a delta skip the earlier). `epoch` names
    // this database's counter: a cursor from another (a restored backup, a new receiver)
    // reads as unknown and the phone gets everything.
    Migration::Each {
        sqlite: "CREATE TABLE sync_counter (id BIGINT PRIMARY KEY, value BIGINT NOT NULL, epoch TEXT NOT NULL);
        INSERT INTO sync_counter (id, value, epoch) VALUES (1, 0, lower(hex(randomblob(8))))",
        postgres: "CREATE TABLE sync_counter (id BIGINT PRIMARY KEY, value BIGINT NOT NULL, epoch TEXT NOT NULL);
        INSERT INTO sync_counter (id, value, epoch) VALUES (1, 0, substr(md5(random()::text || clock_timestamp()::text), 1, 16))",
    },
    // The counter's value at the last change to a site's hazards (any row added, changed or
    // removed: a delivery, a re-inspection closing one, an acceptance, a merge of sites).
    Migration::Both("CREATE TABLE sync_sites (site_id TEXT PRIMARY KEY, seq BIGINT NOT NULL)"),
    // A person taken off a task: the pull tells their phone it is withdrawn for them.
    Migration::Both(
        "CREATE TABLE sync_withdrawn (
        task_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        PRIMARY KEY (task_id, person_id)
    )",
    ),
    // Triggers raise the counter on every change, whoever's code makes it: a task's row (not
    // its own `sync_seq`), its inspectors, a site's details, an inspector's name, a hazard.
    Migration::Each {
        sqlite: "CREATE TRIGGER sync_task_insert AFTER INSERT ON tasks BEGIN
            UPDATE sync_counter SET value = value + 1;
            UPDATE tasks SET sync_seq = (SELECT value FROM sync_counter) WHERE id = NEW.id;
        END;
        CREATE TRIGGER sync_task_update AFTER UPDATE OF site_id, template_id, due, note, state, kind, taken_at, delivered_at,
            inspection_id, withdrawn_at ON tasks BEGIN
            UPDATE sync_counter SET value = value + 1;
            UPDATE tasks SET sync_seq = (SELECT value FROM sync_counter) WHERE id = NEW.id;
        END;
        CREATE TRIGGER sync_inspector_added AFTER INSERT ON task_inspectors BEGIN
            UPDATE sync_counter SET value = value + 1;
            UPDATE tasks SET sync_seq = (SELECT value FROM sync_counter) WHERE id = NEW.task_id;
            DELETE FROM sync_withdrawn WHERE task_id = NEW.task_id AND person_id = NEW.person_id;
        END;
        CREATE TRIGGER sync_inspector_removed AFTER DELETE ON task_inspectors BEGIN
            UPDATE sync_counter SET value = value + 1;
            UPDATE tasks SET sync_seq = (SELECT value FROM sync_counter) WHERE id = OLD.task_id;
            INSERT INTO sync_withdrawn (task_id, person_id, seq) VALUES (OLD.task_id, OLD.person_id, (SELECT value FROM sync_counter))
                ON CONFLICT (task_id, person_id) DO UPDATE SET seq = excluded.seq;
        END;
        CREATE TRIGGER sync_site_update AFTER UPDATE OF name, address, category, uscc ON sites
            WHEN OLD.name IS NOT NEW.name OR OLD.address IS NOT NEW.address OR OLD.category IS NOT NEW.category
            OR OLD.uscc IS NOT NEW.uscc BEGIN
            UPDATE sync_counter SET value = value + 1;
            UPDATE tasks SET sync_seq = (SELECT value FROM sync_counter) WHERE site_id = NEW.id;
        END;
        CREATE TRIGGER sync_person_renamed AFTER UPDATE OF name ON people WHEN OLD.name IS NOT NEW.name BEGIN
            UPDATE sync_counter SET value = value + 1;
            UPDATE tasks SET sync_seq = (SELECT value FROM sync_counter)
                WHERE id IN (SELECT task_id FROM task_inspectors WHERE person_id = NEW.id);
        END;
        CREATE TRIGGER sync_hazard_insert AFTER INSERT ON hazards WHEN NEW.site_id IS NOT NULL BEGIN
            UPDATE sync_counter SET value = value + 1;
            INSERT INTO sync_sites (site_id, seq) VALUES (NEW.site_id, (SELECT value FROM sync_counter))
                ON CONFLICT (site_id) DO UPDATE SET seq = excluded.seq;
        END;
        CREATE TRIGGER sync_hazard_update AFTER UPDATE ON hazards BEGIN
            UPDATE sync_counter SET value = value + 1;
            INSERT INTO sync_sites (site_id, seq) SELECT site_id, (SELECT value FROM sync_counter)
                FROM (SELECT NEW.site_id AS site_id UNION SELECT OLD.site_id) WHERE site_id IS NOT NULL
                ON CONFLICT (site_id) DO UPDATE SET seq = excluded.seq;
        END;
        CREATE TRIGGER sync_hazard_delete AFTER DELETE ON hazards WHEN OLD.site_id IS NOT NULL BEGIN
            UPDATE sync_counter SET value = value + 1;
            INSERT INTO sync_sites (site_id, seq) VALUES (OLD.site_id, (SELECT value FROM sync_counter))
                ON CONFLICT (site_id) DO UPDATE SET seq = excluded.seq;
        END",
        postgres: "CREATE FUNCTION sync_next() RETURNS BIGINT LANGUAGE sql AS $$
            UPDATE sync_counter SET value = value + 1 RETURNING value $$;
        CREATE FUNCTION sync_site(site TEXT, n BIGINT) RETURNS void LANGUAGE sql AS $$
            INSERT INTO sync_sites (site_id, seq) VALUES (site, n) ON CONFLICT (site_id) DO UPDATE SET seq = excluded.seq $$;
        CREATE FUNCTION sync_task() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.sync_seq := sync_next(); RETURN NEW; END $$;
        CREATE TRIGGER sync_task BEFORE INSERT OR UPDATE OF site_id, template_id, due, note, state, kind, taken_at, delivered_at,
            inspection_id, withdrawn_at ON tasks FOR EACH ROW EXECUTE FUNCTION sync_task();
        CREATE FUNCTION sync_inspectors() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE n BIGINT := sync_next();
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    UPDATE tasks SET sync_seq = n WHERE id = NEW.task_id;
                    DELETE FROM sync_withdrawn WHERE task_id = NEW.task_id AND person_id = NEW.person_id;
                ELSE
                    UPDATE tasks SET sync_seq = n WHERE id = OLD.task_id;
                    INSERT INTO sync_withdrawn (task_id, person_id, seq) VALUES (OLD.task_id, OLD.person_id, n)
                        ON CONFLICT (task_id, person_id) DO UPDATE SET seq = excluded.seq;
                END IF;
                RETURN NULL;
            END $$;
        CREATE TRIGGER sync_inspectors AFTER INSERT OR DELETE ON task_inspectors FOR EACH ROW EXECUTE FUNCTION sync_inspectors();
        CREATE FUNCTION sync_site_details() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE tasks SET sync_seq = sync_next() WHERE site_id = NEW.id; RETURN NULL; END $$;
        CREATE TRIGGER sync_site_details AFTER UPDATE OF name, address, category, uscc ON sites FOR EACH ROW
            WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.address IS DISTINCT FROM NEW.address
                OR OLD.category IS DISTINCT FROM NEW.category OR OLD.uscc IS DISTINCT FROM NEW.uscc)
            EXECUTE FUNCTION sync_site_details();
        CREATE FUNCTION sync_person_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE tasks SET sync_seq = sync_next() WHERE id IN (SELECT task_id FROM task_inspectors WHERE person_id = NEW.id);
                RETURN NULL;
            END $$;
        CREATE TRIGGER sync_person_renamed AFTER UPDATE OF name ON people FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
            EXECUTE FUNCTION sync_person_renamed();
        CREATE FUNCTION sync_hazard() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE n BIGINT := sync_next();
            BEGIN
                IF TG_OP <> 'DELETE' AND NEW.site_id IS NOT NULL THEN PERFORM sync_site(NEW.site_id, n); END IF;
                IF TG_OP <> 'INSERT' AND OLD.site_id IS NOT NULL THEN PERFORM sync_site(OLD.site_id, n); END IF;
                RETURN NULL;
            END $$;
        CREATE TRIGGER sync_hazard AFTER INSERT OR UPDATE OR DELETE ON hazards FOR EACH ROW EXECUTE FUNCTION sync_hazard()",
    },
    Migration::Both("CREATE INDEX sync_sites_seq ON sync_sites (seq)"),
    // The office's figures (issue 14) count by day from these alone: the hazards found in a
    // range with the columns of the filters and the grouping, and the inspections received in
    // a range with their deliverer and site (without it, SQLite reads every payload to reach
    // the columns stored after it).
    Migration::Both("CREATE INDEX hazards_figures ON hazards (found_at, template, grade, closed, submitted_by, site_id)"),
    Migration::Both("CREATE INDEX inspections_figures ON inspections (received_at, submitted_by, site_id)"),
    // The papers (issue 15). Document serial blocks: `first_serial..=last_serial` of one year
    // for one inspector (`person_id`), allocated by the pull (`allocated_by` the inspector) or by
    // an admin. Taken from the year's counter (`serial_counters`) in the transaction that writes
    // the block: its row lock makes concurrent allocations (several receivers on one
    // PostgreSQL) take one range after the other, so blocks of one year never overlap.
    Migration::Both(
        "CREATE TABLE serial_blocks (
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL,
        year BIGINT NOT NULL,
        first_serial BIGINT NOT NULL,
        last_serial BIGINT NOT NULL,
        allocated_by TEXT,
        allocated_at BIGINT NOT NULL,
        UNIQUE (year, first_serial)
    )",
    ),
    Migration::Both("CREATE INDEX serial_blocks_person ON serial_blocks (person_id, year)"),
    Migration::Both("CREATE TABLE serial_counters (year BIGINT PRIMARY KEY, last_serial BIGINT NOT NULL)"),
    // The office's settings, one value a name: `particulars` (core's AgencyParticulars as
    // JSON), `serial_block_size`.
    Migration::Both("CREATE TABLE office_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"),
    // The documents each delivered inspection issued (`inspection.paperwork.issued`), in
    // handing-over order, rewritten on delivery: what the office searches and checks for a
    // number delivered twice.
    Migration::Both(
        "CREATE TABLE issued_documents (
        inspection_id TEXT NOT NULL,
        position BIGINT NOT NULL,
        kind TEXT NOT NULL,
        number TEXT NOT NULL,
        year BIGINT NOT NULL,
        serial BIGINT NOT NULL,
        issued_at BIGINT NOT NULL,
        submitted_by TEXT,
        PRIMARY KEY (inspection_id, position)
    )",
    ),
    Migration::Both("CREATE INDEX issued_documents_serial ON issued_documents (year, serial, kind)"),
    Migration::Both("CREATE INDEX issued_documents_number ON issued_documents (number)"),
    // The seal of each delivered record: the SHA-256 (hex) of core's canonical text of its
    // payload (`safewalk_core::delivery::seal`), what a printed paper carries. Filled on
    // insert; rows stored before are sealed at start (`crate::papers::seal_unsealed`: SQL
    // cannot read a payload), an unreadable payload with ''.
    Migration::Both("ALTER TABLE inspections ADD COLUMN seal TEXT"),
    Migration::Both("CREATE INDEX inspections_seal ON inspections (seal)"),
];

/// The columns every query of attachment info reads, in [`AttachmentInfo`] order.
const ATTACHMENT_COLUMNS: &str = "inspection_id, id, sha256, content_type, CAST(LENGTH(bytes) AS BIGINT), received_at, submitted_by";

/// The columns every query of inspections reads, in [`StoredInspection`] order.
const COLUMNS: &str = "id, payload, received_at, follow_up_of, \
    (SELECT COUNT(*) FROM attachments a WHERE a.inspection_id = inspections.id), submitted_by";

/// The condition of [`crate::people::Visibility`] over inspections, its three values bound
/// as the query's first parameters (the same rule as `Person::may_see`). A macro, so
/// `concat!` can build `&'static str` queries from it; [`VISIBLE`] is the same text.
macro_rules! visible {
    () => {
        "($1 = '' OR submitted_by = $1) \
    AND ($2 = '' OR submitted_by IN (SELECT id FROM people WHERE department = $2)) \
    AND ($3 = '' OR submitted_by IN (SELECT id FROM people WHERE district = $3))"
    };
}
pub(crate) use visible;

const VISIBLE: &str = visible!();

/// PostgreSQL connections at most, unless `SAFEWALK_PG_POOL` says otherwise: enough for the
/// phones' uploads and the office's pages side by side, well under a default server's 100.
pub const DEFAULT_PG_POOL: usize = 8;

/// Cheap to clone: SQLite's connection is behind an `Arc`, PostgreSQL's pool is shared.
#[derive(Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    /// Opens the database named by `url` (`postgres://…`, or a SQLite file path) and migrates it,
    /// PostgreSQL with a pool of [`DEFAULT_PG_POOL`] connections.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_pooled(url, DEFAULT_PG_POOL).await
    }

    /// [`Store::open`] with at most `pg_pool` PostgreSQL connections (`SAFEWALK_PG_POOL`;
    /// SQLite has its one). Inspections stored before the register of sites are filed under
    /// theirs here, once.
    pub async fn open_pooled(url: &str, pg_pool: usize) -> Result<Store, StoreError> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::Postgres(PostgresStore::connect(url, pg_pool).await?)
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url).to_string();
            Store::Sqlite(SqliteStore::open(path).await?)
        };
        crate::sites::file_unfiled(&store, crate::routes::now_millis()).await?;
        crate::papers::seal_unsealed(&store).await?;
        Ok(store)
    }

    /// Whether a commit is on disk when it returns (SQLite `synchronous=FULL`, PostgreSQL
    /// `synchronous_commit` not `off` on every connection of the pool): a receipt is sent
    /// only after one, so it must mean the record survives a power cut.
    pub async fn commits_are_durable(&self) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => Ok(s.synchronous().await? >= 2),
            Store::Postgres(s) => Ok(s.synchronous_commit().await?.iter().all(|setting| setting != "off")),
        }
    }

    /// Stores `payload` under `id` unless it is there already; `follow_up_of` is the
    /// payload's `inspection.follow_up.of`, kept in its own column for the links.
    /// `submitted_by`: the person whose token sent it.
    pub async fn put(
        &self,
        id: Uuid,
        payload: &str,
        follow_up_of: Option<Uuid>,
        submitted_by: Option<&str>,
        now: u64,
    ) -> Result<PutResult, StoreError> {
        let seal = crate::papers::seal_of(payload);
        match self {
            Store::Sqlite(s) => s.put(id, payload, follow_up_of, submitted_by, seal, now).await,
            Store::Postgres(s) => s.put(id, payload, follow_up_of, submitted_by, seal, now).await,
        }
    }

    pub async fn get(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
        match self {
            Store::Sqlite(s) => s.get(id).await,
            Store::Postgres(s) => s.get(id).await,
        }
    }

    /// Newest first, those `visible` lets through.
    pub async fn list(&self, visible: &Visibility, offset: u64, limit: u64) -> Result<Vec<StoredInspection>, StoreError> {
        match self {
            Store::Sqlite(s) => s.list(visible, offset, limit).await,
            Store::Postgres(s) => s.list(visible, offset, limit).await,
        }
    }

    /// The follow-ups of inspection `of`, in the order they arrived.
    pub async fn follow_ups(&self, of: Uuid) -> Result<Vec<StoredInspection>, StoreError> {
        match self {
            Store::Sqlite(s) => s.follow_ups(of).await,
            Store::Postgres(s) => s.follow_ups(of).await,
        }
    }

    pub async fn count(&self, visible: &Visibility) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => s.count(visible).await,
            Store::Postgres(s) => s.count(visible).await,
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
