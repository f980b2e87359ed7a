//! The papers' rows (issue 15), one SQL text for both databases ([`super::sql`]): serial
//! blocks and their per-year counter, the office's settings, the documents each delivered
//! record issued, and the records' seals.

use safewalk_core::documents::numbering::SerialBlock;

use super::sql::Value;
use super::{Store, StoreError};
use crate::values;

/// A block as the office lists it, with the names it shows and how it was used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockRow {
    pub person_id: String,
    pub person_name: String,
    pub year: i64,
    pub first: i64,
    pub last: i64,
    /// Who allocated it (the inspector's own pull, or an admin), by name.
    pub allocated_by: String,
    pub allocated_at: u64,
    /// Distinct serials of the block that delivered documents carry.
    pub used: i64,
    /// Documents numbered from the block but delivered by someone else (must be none).
    pub used_by_others: i64,
}

/// One document to keep for a delivered record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDocument {
    pub kind: String,
    pub number: String,
    pub year: i32,
    pub serial: u32,
    pub issued_at: u64,
}

/// One delivered document as the office lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentRow {
    pub inspection: String,
    pub kind: String,
    pub number: String,
    pub year: i64,
    pub serial: i64,
    pub issued_at: u64,
    /// How many other delivered documents share its year, serial and kind, or its number
    /// (it must be none: shown when it is not).
    pub clashes: i64,
    /// The site's name as delivered (for the list).
    pub site_name: String,
}

/// A delivered record found by its seal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub id: String,
    pub payload: String,
    pub submitted_by: Option<String>,
}

/// The other documents a document clashes with: sharing its year, serial and kind, or its
/// printed number. Its values: `$1` the document's inspection and `$2` its position.
macro_rules! clashes {
    ($d:literal) => {
        concat!(
            "(SELECT COUNT(*) FROM issued_documents o WHERE NOT (o.inspection_id = ",
            $d,
            ".inspection_id AND o.position = ",
            $d,
            ".position) AND ((o.year = ",
            $d,
            ".year AND o.serial = ",
            $d,
            ".serial AND o.kind = ",
            $d,
            ".kind) OR o.number = ",
            $d,
            ".number))"
        )
    };
}

impl Store {
    /// Allocates `size` serials of `year` to `person` from the year's counter, in one
    /// transaction: the counter's row lock orders concurrent allocations, so two blocks of a
    /// year never share a serial. `by`: who asked (the person's id).
    pub async fn allocate_block(&self, person: &str, year: i32, size: u32, by: Option<&str>, now: u64) -> Result<SerialBlock, StoreError> {
        let id = crate::people::new_id();
        self.all_or_nothing(vec![
            (
                "INSERT INTO serial_counters (year, last_serial) VALUES ($1, $2) \
                 ON CONFLICT (year) DO UPDATE SET last_serial = serial_counters.last_serial + excluded.last_serial",
                values![i64::from(year), i64::from(size)],
            ),
            (
                "INSERT INTO serial_blocks (id, person_id, year, first_serial, last_serial, allocated_by, allocated_at) \
                 SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), year, last_serial - CAST($3 AS BIGINT) + 1, last_serial, \
                 CAST($4 AS TEXT), CAST($5 AS BIGINT) FROM serial_counters WHERE year = CAST($6 AS BIGINT)",
                values![&id, person, i64::from(size), by, now, i64::from(year)],
            ),
        ])
        .await?;
        let row = self.row("SELECT year, first_serial, last_serial FROM serial_blocks WHERE id = $1", values![&id]).await?;
        row.map(|r| block(&r)).ok_or(StoreError::Vanished { what: format!("serial block {id}") })
    }

    /// A phone's top-up: a block like [`Store::allocate_block`]'s, but only when `person` was
    /// allocated no block of `year` (by anyone) after `since`; `None` otherwise, nothing
    /// written. The year's counter row is locked first, so two top-ups at once (several
    /// receivers on one PostgreSQL too) see each other's block: the check and the allocation
    /// are one step, and a burst of requests gets one block.
    pub async fn top_up_block(&self, person: &str, year: i32, size: u32, since: u64, now: u64) -> Result<Option<SerialBlock>, StoreError> {
        let id = crate::people::new_id();
        self.all_or_nothing(vec![
            (
                "INSERT INTO serial_counters (year, last_serial) VALUES ($1, 0) \
                 ON CONFLICT (year) DO UPDATE SET last_serial = serial_counters.last_serial",
                values![i64::from(year)],
            ),
            (
                "UPDATE serial_counters SET last_serial = last_serial + CAST($1 AS BIGINT) WHERE year = CAST($2 AS BIGINT) \
                 AND NOT EXISTS (SELECT 1 FROM serial_blocks WHERE person_id = CAST($3 AS TEXT) AND year = CAST($2 AS BIGINT) \
                 AND allocated_at > CAST($4 AS BIGINT))",
                values![i64::from(size), i64::from(year), person, since],
            ),
            (
                "INSERT INTO serial_blocks (id, person_id, year, first_serial, last_serial, allocated_by, allocated_at) \
                 SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), year, last_serial - CAST($3 AS BIGINT) + 1, last_serial, \
                 CAST($2 AS TEXT), CAST($4 AS BIGINT) FROM serial_counters WHERE year = CAST($5 AS BIGINT) \
                 AND NOT EXISTS (SELECT 1 FROM serial_blocks WHERE person_id = CAST($2 AS TEXT) AND year = CAST($5 AS BIGINT) \
                 AND allocated_at > CAST($6 AS BIGINT))",
                values![&id, person, i64::from(size), now, i64::from(year), since],
            ),
        ])
        .await?;
        let row = self.row("SELECT year, first_serial, last_serial FROM serial_blocks WHERE id = $1", values![&id]).await?;
        Ok(row.map(|r| block(&r)))
    }

    /// The blocks of `person` for `year`, lowest first: what every pull lists.
    pub async fn blocks_of(&self, person: &str, year: i32) -> Result<Vec<SerialBlock>, StoreError> {
        let rows = self
            .rows(
                "SELECT year, first_serial, last_serial FROM serial_blocks WHERE person_id = $1 AND year = $2 ORDER BY first_serial",
                values![person, i64::from(year)],
            )
            .await?;
        Ok(rows.iter().map(|r| block(r)).collect())
    }

    /// Every block of `year`, by inspector, with what delivered documents used of it.
    pub async fn blocks_of_year(&self, year: i32) -> Result<Vec<BlockRow>, StoreError> {
        let rows = self
            .rows(
                "SELECT b.person_id, COALESCE(p.name, ''), b.year, b.first_serial, b.last_serial, COALESCE(a.name, ''), b.allocated_at, \
                 (SELECT COUNT(DISTINCT d.serial) FROM issued_documents d WHERE d.year = b.year \
                    AND d.serial BETWEEN b.first_serial AND b.last_serial), \
                 (SELECT COUNT(*) FROM issued_documents d WHERE d.year = b.year AND d.serial BETWEEN b.first_serial AND b.last_serial \
                    AND (d.submitted_by IS NULL OR d.submitted_by <> b.person_id)) \
                 FROM serial_blocks b LEFT JOIN people p ON p.id = b.person_id LEFT JOIN people a ON a.id = b.allocated_by \
                 WHERE b.year = $1 ORDER BY COALESCE(p.name, ''), b.first_serial",
                values![i64::from(year)],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| BlockRow {
                person_id: r[0].text(),
                person_name: r[1].text(),
                year: r[2].int(),
                first: r[3].int(),
                last: r[4].int(),
                allocated_by: r[5].text(),
                allocated_at: r[6].int() as u64,
                used: r[7].int(),
                used_by_others: r[8].int(),
            })
            .collect())
    }

    pub async fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self.row("SELECT value FROM office_settings WHERE name = $1", values![name]).await?.map(|r| r[0].text()))
    }

    pub async fn set_setting(&self, name: &str, value: &str) -> Result<(), StoreError> {
        self.rows(
            "INSERT INTO office_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            values![name, value],
        )
        .await?;
        Ok(())
    }

    /// Replaces the documents of `inspection` with `documents` (a redelivery writes the same).
    pub async fn replace_documents(
        &self,
        inspection: &str,
        submitted_by: Option<&str>,
        documents: &[NewDocument],
    ) -> Result<(), StoreError> {
        let mut statements = vec![("DELETE FROM issued_documents WHERE inspection_id = $1", values![inspection])];
        for (position, d) in documents.iter().enumerate() {
            statements.push((
                "INSERT INTO issued_documents (inspection_id, position, kind, number, year, serial, issued_at, submitted_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                values![inspection, position as i64, &d.kind, &d.number, i64::from(d.year), i64::from(d.serial), d.issued_at, submitted_by],
            ));
        }
        self.all_or_nothing(statements).await
    }

    /// The documents `inspection` issued, in handing-over order, each with its clashes.
    pub async fn documents_of(&self, inspection: &str) -> Result<Vec<DocumentRow>, StoreError> {
        let rows = self
            .rows(
                concat!(
                    "SELECT d.inspection_id, d.kind, d.number, d.year, d.serial, d.issued_at, ",
                    clashes!("d"),
                    ", '' FROM issued_documents d WHERE d.inspection_id = $1 ORDER BY d.position"
                ),
                values![inspection],
            )
            .await?;
        Ok(rows.iter().map(|r| document(r)).collect())
    }

    /// Delivered documents whose number contains `number` (all when empty) among the records
    /// `visible` lets through, newest first, at most `limit`; `clashing` only those that clash.
    pub async fn documents(
        &self,
        visible: &crate::people::Visibility,
        number: &str,
        clashing: bool,
        limit: u64,
    ) -> Result<Vec<DocumentRow>, StoreError> {
        let rows = self
            .rows(
                concat!(
                    "SELECT d.inspection_id, d.kind, d.number, d.year, d.serial, d.issued_at, ",
                    clashes!("d"),
                    ", COALESCE(s.name, '') FROM issued_documents d LEFT JOIN inspections i ON i.id = d.inspection_id \
                     LEFT JOIN sites s ON s.id = i.site_id WHERE ",
                    "($1 = '' OR d.submitted_by = $1) \
                     AND ($2 = '' OR d.submitted_by IN (SELECT id FROM people WHERE department = $2)) \
                     AND ($3 = '' OR d.submitted_by IN (SELECT id FROM people WHERE district = $3)) \
                     AND ($4 = '' OR d.number LIKE '%' || $4 || '%') AND (CAST($5 AS BIGINT) = 0 OR ",
                    clashes!("d"),
                    " > 0) ORDER BY d.issued_at DESC, d.inspection_id, d.position LIMIT $6"
                ),
                values![&visible.submitter, &visible.department, &visible.district, number, i64::from(clashing), limit],
            )
            .await?;
        Ok(rows.iter().map(|r| document(r)).collect())
    }

    /// Records not sealed yet, at most `limit`: `(id, payload, submitted_by)`.
    pub async fn unsealed(&self, limit: u64) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        let rows = self.rows("SELECT id, payload, submitted_by FROM inspections WHERE seal IS NULL LIMIT $1", values![limit]).await?;
        Ok(rows.iter().map(|r| (r[0].text(), r[1].text(), r[2].opt_text())).collect())
    }

    /// Keeps each `(id, seal)`, all in one transaction.
    pub async fn set_seals(&self, seals: Vec<(String, String)>) -> Result<(), StoreError> {
        let statements =
            seals.into_iter().map(|(id, seal)| ("UPDATE inspections SET seal = $1 WHERE id = $2", values![seal, id])).collect();
        self.all_or_nothing(statements).await
    }

    /// The seal kept for a record (`None`: no such record, or not sealed).
    pub async fn seal(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.row("SELECT seal FROM inspections WHERE id = $1", values![id]).await?.and_then(|r| r[0].opt_text()))
    }

    /// The delivered record with this seal, if any.
    pub async fn sealed(&self, seal: &str) -> Result<Option<Sealed>, StoreError> {
        let row = self
            .row("SELECT id, payload, submitted_by FROM inspections WHERE seal = $1 ORDER BY received_at LIMIT 1", values![seal])
            .await?;
        Ok(row.map(|r| Sealed { id: r[0].text(), payload: r[1].text(), submitted_by: r[2].opt_text() }))
    }
}

fn block(r: &[Value]) -> SerialBlock {
    let serial = |v: &Value| u32::try_from(v.int()).unwrap_or(0);
    SerialBlock { year: i32::try_from(r[0].int()).unwrap_or(0), first: serial(&r[1]), last: serial(&r[2]), manual: false }
}

fn document(r: &[Value]) -> DocumentRow {
    DocumentRow {
        inspection: r[0].text(),
        kind: r[1].text(),
        number: r[2].text(),
        year: r[3].int(),
        serial: r[4].int(),
        issued_at: r[5].int() as u64,
        clashes: r[6].int(),
        site_name: r[7].text(),
    }
}
