//! The office's register of sites (issue 14): the premises inspected, each delivered
//! inspection filed under one. One SQL text for both databases ([`super::sql`]).
//!
//! An inspection is filed by its site details: under the site with the same unified social
//! credit code when it carries a valid one; else under a site with the same normalised name
//! and address (core's [`SiteIdentity`]) that has no other code; else under a new site.

use safewalk_core::site::{SiteIdentity, Uscc};
use uuid::Uuid;

use std::collections::HashMap;

use super::sql::Value;
use super::{visible, Store, StoreError};
use crate::people::{new_id, Visibility};
use crate::values;

/// A site as the register keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    pub id: String,
    pub name: String,
    pub address: String,
    pub district: String,
    /// The department that answers for it (a supervisor's scope, as for people).
    pub department: String,
    /// Template ids (each names a sector), in the order first seen.
    pub sectors: Vec<String>,
    /// A template's site-category id.
    pub category: String,
    /// `lat,lon` in decimal degrees, or empty.
    pub position: String,
    pub uscc: Option<String>,
    pub created_at: u64,
    pub updated_at: u64,
}

/// Every query of sites reads these, in [`Site`] order (a macro, so `concat!` can build
/// the `&'static str` queries from it).
macro_rules! site_columns {
    () => {
        "id, name, address, district, department, sectors, category, position, uscc, created_at, updated_at"
    };
}

fn site_row(row: &[Value]) -> Site {
    Site {
        id: row[0].text(),
        name: row[1].text(),
        address: row[2].text(),
        district: row[3].text(),
        department: row[4].text(),
        sectors: split_sectors(&row[5].text()),
        category: row[6].text(),
        position: row[7].text(),
        uscc: row[8].opt_text(),
        created_at: row[9].int() as u64,
        updated_at: row[10].int() as u64,
    }
}

fn split_sectors(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// What a delivery or an import row says about a site. Empty fields say nothing: they never
/// blank what the register already holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteFacts {
    pub name: String,
    pub address: String,
    pub uscc: Option<Uscc>,
    pub district: String,
    pub department: String,
    pub sectors: Vec<String>,
    pub category: String,
    pub position: String,
}

impl SiteFacts {
    /// These facts over `site`: a sector added, empty fields filled; name and address kept
    /// unless `replace` (an import corrects them, a delivery does not).
    fn over(&self, site: &Site, replace: bool) -> Site {
        let pick = |new: &str, old: &str| {
            if new.trim().is_empty() || (!replace && !old.is_empty()) {
                old.to_string()
            } else {
                new.trim().to_string()
            }
        };
        let mut sectors = site.sectors.clone();
        for sector in &self.sectors {
            if !sectors.contains(sector) {
                sectors.push(sector.clone());
            }
        }
        Site {
            name: pick(&self.name, &site.name),
            address: pick(&self.address, &site.address),
            district: pick(&self.district, &site.district),
            department: pick(&self.department, &site.department),
            category: pick(&self.category, &site.category),
            position: pick(&self.position, &site.position),
            uscc: site.uscc.clone().or_else(|| self.uscc.as_ref().map(Uscc::to_string)),
            sectors,
            ..site.clone()
        }
    }

    fn new_site(&self, now: u64) -> Site {
        self.over(&Site { id: new_id(), created_at: now, ..Site::default() }, true)
    }
}

/// Which sites a list shows: the viewer's scope (as [`crate::people::Visibility`] for
/// people: each non-empty field must hold) and the office's filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteFilter {
    pub scope_department: String,
    pub scope_district: String,
    pub district: String,
    pub sector: String,
    /// Part of the name, the address or the code, as typed.
    pub text: String,
}

/// The condition of a [`SiteFilter`], its values ([`SiteFilter::values`]) the first nine
/// parameters.
macro_rules! site_where {
    () => {
        "($1 = '' OR department = $1) AND ($2 = '' OR district = $2) AND ($3 = '' OR district = $3) \
         AND ($4 = '' OR (',' || sectors || ',') LIKE $5) \
         AND ($6 = '' OR name LIKE $7 ESCAPE '!' OR address LIKE $7 ESCAPE '!' OR identity LIKE $8 ESCAPE '!' OR uscc LIKE $9 ESCAPE '!')"
    };
}

/// `text` for LIKE with `ESCAPE '!'`: its own `%`, `_` and `!` taken literally.
pub(super) fn literal(text: &str) -> String {
    text.chars().flat_map(|c| if matches!(c, '%' | '_' | '!') { vec!['!', c] } else { vec![c] }).collect()
}

/// `%text%` for LIKE.
pub(super) fn contains(text: &str) -> String {
    format!("%{}%", literal(text))
}

impl SiteFilter {
    fn values(&self) -> Vec<Value> {
        let text = self.text.trim();
        let normalised = safewalk_core::site::identity::normalise(text);
        values![
            &self.scope_department,
            &self.scope_district,
            &self.district,
            &self.sector,
            contains(&format!(",{},", self.sector)),
            text,
            contains(text),
            // Punctuation only normalises to nothing, which every identity contains: then
            // the text as typed.
            contains(if normalised.is_empty() { text } else { &normalised }),
            contains(&text.to_uppercase()),
        ]
    }
}

/// One write of an import, in the transaction that takes all or none.
fn write_site(site: &Site, insert: bool) -> (&'static str, Vec<Value>) {
    let identity = SiteIdentity::new(&site.name, &site.address).key();
    let sql = if insert {
        "INSERT INTO sites (name, address, identity, district, department, sectors, category, position, uscc, updated_at, id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    } else {
        "UPDATE sites SET name = $1, address = $2, identity = $3, district = $4, department = $5, sectors = $6, category = $7, \
         position = $8, uscc = $9, updated_at = $10 WHERE id = $11"
    };
    let mut values = values![
        &site.name,
        &site.address,
        identity,
        &site.district,
        &site.department,
        site.sectors.join(","),
        &site.category,
        &site.position,
        site.uscc.clone(),
        site.updated_at,
        &site.id,
    ];
    if insert {
        values.push(site.created_at.into());
    }
    (sql, values)
}

impl Store {
    pub async fn site(&self, id: &str) -> Result<Option<Site>, StoreError> {
        Ok(self.row(concat!("SELECT ", site_columns!(), " FROM sites WHERE id = $1"), values![id]).await?.map(|r| site_row(&r)))
    }

    /// The site inspection `inspection` is filed under (none before it is filed).
    pub async fn site_of_inspection(&self, inspection: Uuid) -> Result<Option<Site>, StoreError> {
        let sql = concat!("SELECT ", site_columns!(), " FROM sites WHERE id = (SELECT site_id FROM inspections WHERE id = $1)");
        Ok(self.row(sql, values![inspection.to_string()]).await?.map(|r| site_row(&r)))
    }

    /// The site these facts name, if the register has it: by code, else by name and
    /// address among the sites without another code.
    pub async fn find_site(&self, facts: &SiteFacts) -> Result<Option<Site>, StoreError> {
        if let Some(code) = &facts.uscc {
            let by_code = self.row(concat!("SELECT ", site_columns!(), " FROM sites WHERE uscc = $1"), values![code.as_str()]).await?;
            if let Some(row) = by_code {
                return Ok(Some(site_row(&row)));
            }
        }
        let identity = SiteIdentity::new(&facts.name, &facts.address).key();
        let by_identity = self
            .row(
                concat!(
                    "SELECT ",
                    site_columns!(),
                    " FROM sites WHERE identity = $1 AND ($2 = '' OR uscc IS NULL) ORDER BY created_at, id LIMIT 1"
                ),
                values![identity, facts.uscc.as_ref().map(Uscc::to_string).unwrap_or_default()],
            )
            .await?;
        Ok(by_identity.map(|r| site_row(&r)))
    }

    /// Files inspection `inspection` under the site its `facts` name, creating the site when
    /// the register has none; nothing when it is filed already (a redelivery). The site's id.
    pub async fn attach_to_site(&self, inspection: Uuid, facts: &SiteFacts, now: u64) -> Result<String, StoreError> {
        let filed = self.row("SELECT site_id FROM inspections WHERE id = $1", values![inspection.to_string()]).await?;
        if let Some(id) = filed.and_then(|r| r[0].opt_text()) {
            return Ok(id);
        }
        let (site, insert) = match self.find_site(facts).await? {
            Some(found) => (facts.over(&found, false), false),
            None => (facts.new_site(now), true),
        };
        let site = Site { updated_at: now, ..site };
        let (sql, values) = write_site(&site, insert);
        self.rows(sql, values).await?;
        self.rows("UPDATE inspections SET site_id = $1 WHERE id = $2", values![&site.id, inspection.to_string()]).await?;
        Ok(site.id)
    }

    /// An import: each row's facts over the site it names (or a new site), all written in one
    /// transaction. How many sites were added and how many updated.
    pub async fn import_sites(&self, rows: &[SiteFacts], now: u64) -> Result<(usize, usize), StoreError> {
        let rows: Vec<(Option<Uuid>, &SiteFacts)> = rows.iter().map(|facts| (None, facts)).collect();
        self.file_all(&rows, true, now).await
    }

    /// Files many stored inspections at once, in one transaction (a commit each would take
    /// minutes for an office's history). How many sites were added.
    pub async fn file_inspections(&self, rows: &[(Uuid, SiteFacts)], now: u64) -> Result<usize, StoreError> {
        let rows: Vec<(Option<Uuid>, &SiteFacts)> = rows.iter().map(|(id, facts)| (Some(*id), facts)).collect();
        Ok(self.file_all(&rows, false, now).await?.0)
    }

    /// Each row's facts over the site they name — one planned earlier in these rows, else one
    /// in the register, else a new one — and the row's inspection, if any, filed under it; all
    /// written in one transaction. `replace`: the facts correct name and address (an import),
    /// rather than only fill what is empty (a delivery). How many sites were added and updated.
    async fn file_all(&self, rows: &[(Option<Uuid>, &SiteFacts)], replace: bool, now: u64) -> Result<(usize, usize), StoreError> {
        let mut writes = Vec::new();
        let mut planned: Vec<Site> = Vec::new();
        let (mut added, mut updated) = (0, 0);
        for (inspection, facts) in rows {
            let identity = SiteIdentity::new(&facts.name, &facts.address);
            let earlier = planned.iter().rposition(|s| {
                (facts.uscc.is_some() && s.uscc.as_deref() == facts.uscc.as_ref().map(Uscc::as_str))
                    || (SiteIdentity::new(&s.name, &s.address) == identity && (facts.uscc.is_none() || s.uscc.is_none()))
            });
            let (site, insert) = match earlier {
                Some(n) => (facts.over(&planned[n], replace), false),
                None => match self.find_site(facts).await? {
                    Some(found) => (facts.over(&found, replace), false),
                    None => (facts.new_site(now), true),
                },
            };
            let site = Site { updated_at: now, ..site };
            if insert {
                added += 1;
            } else if earlier.is_none() {
                updated += 1;
            }
            writes.push(write_site(&site, insert));
            if let Some(inspection) = inspection {
                writes.push(("UPDATE inspections SET site_id = $1 WHERE id = $2", values![&site.id, inspection.to_string()]));
            }
            planned.push(site);
        }
        self.all_or_nothing(writes).await?;
        Ok((added, updated))
    }

    /// A page of the sites `filter` lets through, by name, and how many it lets through.
    pub async fn sites(&self, filter: &SiteFilter, offset: u64, limit: u64) -> Result<(Vec<Site>, u64), StoreError> {
        const LIST: &str =
            concat!("SELECT ", site_columns!(), " FROM sites WHERE ", site_where!(), " ORDER BY name, id LIMIT $10 OFFSET $11");
        const COUNT: &str = concat!("SELECT COUNT(*) FROM sites WHERE ", site_where!());
        let mut values = filter.values();
        let total = self.row(COUNT, values.clone()).await?.map(|r| r[0].int() as u64).unwrap_or(0);
        values.extend(values![limit, offset]);
        let sites = self.rows(LIST, values).await?.iter().map(|r| site_row(r)).collect();
        Ok((sites, total))
    }

    /// The name of each of these sites that the register has, by id (a draw's pool, in
    /// [`Store::rows_in`]'s few queries rather than every site).
    pub async fn site_names(&self, ids: &[String]) -> Result<HashMap<String, String>, StoreError> {
        let rows = self.rows_in("SELECT id, name FROM sites WHERE id IN ($IN)", vec![], ids).await?;
        Ok(rows.iter().map(|r| (r[0].text(), r[1].text())).collect())
    }

    /// The address of each site a draw's tasks visit, by site id (one query for a draw's CSV).
    pub async fn draw_site_addresses(&self, draw: &str) -> Result<HashMap<String, String>, StoreError> {
        let rows =
            self.rows("SELECT id, address FROM sites WHERE id IN (SELECT site_id FROM tasks WHERE draw_id = $1)", values![draw]).await?;
        Ok(rows.iter().map(|r| (r[0].text(), r[1].text())).collect())
    }

    /// The ids of every site `filter` lets through, by name (a draw's pool: ids are all it
    /// needs, not every column of every site).
    pub async fn site_ids(&self, filter: &SiteFilter) -> Result<Vec<String>, StoreError> {
        const IDS: &str = concat!("SELECT id FROM sites WHERE ", site_where!(), " ORDER BY name, id");
        Ok(self.rows(IDS, filter.values()).await?.iter().map(|r| r[0].text()).collect())
    }

    /// The districts and sectors named by any site, for the list's filters.
    pub async fn site_districts(&self) -> Result<Vec<String>, StoreError> {
        let rows = self.rows("SELECT DISTINCT district FROM sites WHERE district <> '' ORDER BY district", vec![]).await?;
        Ok(rows.iter().map(|r| r[0].text()).collect())
    }

    /// The ids of the inspections filed under `site`, newest first.
    pub async fn site_inspection_ids(&self, site: &str) -> Result<Vec<Uuid>, StoreError> {
        let rows = self.rows("SELECT id FROM inspections WHERE site_id = $1 ORDER BY received_at DESC, id", values![site]).await?;
        rows.iter().map(|r| Uuid::parse_str(&r[0].text()).map_err(StoreError::database)).collect()
    }

    /// The inspections filed under `site` that `visible` lets through, newest first, each as
    /// `(id, payload, the ids of its attachments received)`: two queries for a site's page,
    /// whatever the number of inspections.
    pub async fn site_inspections(&self, site: &str, visible: &Visibility) -> Result<Vec<(Uuid, String, Vec<Uuid>)>, StoreError> {
        let filed = self
            .rows(
                concat!("SELECT id, payload FROM inspections WHERE ", visible!(), " AND site_id = $4 ORDER BY received_at DESC, id"),
                values![&visible.submitter, &visible.department, &visible.district, site],
            )
            .await?;
        let mut received: HashMap<String, Vec<Uuid>> = HashMap::new();
        let attachments = self
            .rows(
                "SELECT a.inspection_id, a.id FROM attachments a JOIN inspections i ON i.id = a.inspection_id WHERE i.site_id = $1",
                values![site],
            )
            .await?;
        for r in attachments {
            if let Ok(id) = Uuid::parse_str(&r[1].text()) {
                received.entry(r[0].text()).or_default().push(id);
            }
        }
        filed
            .iter()
            .map(|r| {
                let id = Uuid::parse_str(&r[0].text()).map_err(StoreError::database)?;
                Ok((id, r[1].text(), received.remove(&r[0].text()).unwrap_or_default()))
            })
            .collect()
    }

    /// The inspections stored before sites existed (or whose filing failed), oldest first,
    /// at most `limit`.
    pub async fn unfiled_inspection_ids(&self, limit: u64) -> Result<Vec<Uuid>, StoreError> {
        let rows = self.rows("SELECT id FROM inspections WHERE site_id IS NULL ORDER BY received_at, id LIMIT $1", values![limit]).await?;
        rows.iter().map(|r| Uuid::parse_str(&r[0].text()).map_err(StoreError::database)).collect()
    }

    /// The other sites of the same normalised name (core's
    /// [`SiteIdentity::may_be_same_premises`]): perhaps the same premises, for the office to
    /// merge.
    pub async fn same_name_sites(&self, site: &Site) -> Result<Vec<Site>, StoreError> {
        let identity = SiteIdentity::new(&site.name, &site.address);
        if identity.name.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self
            .rows(
                concat!("SELECT ", site_columns!(), " FROM sites WHERE identity LIKE $1 ESCAPE '!' AND id <> $2 ORDER BY created_at, id"),
                values![format!("{}\n%", literal(&identity.name)), &site.id],
            )
            .await?;
        Ok(rows.iter().map(|r| site_row(r)).collect())
    }

    /// Merges site `from` into `into`, in one transaction: `from`'s inspections are filed
    /// under `into`, `into` keeps its fields and takes `from`'s where its own are empty (its
    /// sectors gain `from`'s), and `from` is gone. How many inspections moved.
    pub async fn merge_sites(&self, from: &Site, into: &Site, now: u64) -> Result<usize, StoreError> {
        let moved = self.site_inspection_ids(&from.id).await?.len();
        let facts = SiteFacts {
            name: from.name.clone(),
            address: from.address.clone(),
            uscc: from.uscc.as_deref().and_then(|c| Uscc::parse(c).ok()),
            district: from.district.clone(),
            department: from.department.clone(),
            sectors: from.sectors.clone(),
            category: from.category.clone(),
            position: from.position.clone(),
        };
        let merged = Site { updated_at: now, ..facts.over(into, false) };
        self.all_or_nothing(vec![
            super::sync::counter_first(),
            ("UPDATE inspections SET site_id = $1 WHERE site_id = $2", values![&into.id, &from.id]),
            // Its tasks follow it (a task's page names its site).
            ("UPDATE tasks SET site_id = $1 WHERE site_id = $2", values![&into.id, &from.id]),
            ("UPDATE hazards SET site_id = $1 WHERE site_id = $2", values![&into.id, &from.id]),
            // Before the update: `from`'s code may move to `into`, and codes are unique.
            ("DELETE FROM sites WHERE id = $1", values![&from.id]),
            write_site(&merged, false),
        ])
        .await?;
        Ok(moved)
    }
}
