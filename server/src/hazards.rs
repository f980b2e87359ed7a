//! The office's hazard register across everyone (issue 14): every hazard of every delivered
//! inspection, where it stands for the office, and the derived `hazards` table that makes the
//! register page fast.
//!
//! Each row is core's register entry for one hazard ([`register`] over its inspection and the
//! follow-ups that name it), so the office and the phone never disagree on grades or on what a
//! re-inspection closed. The table is derived: rewritten for the inspections a delivery
//! touches, and rebuilt from the stored payloads when the receiver starts. What the office
//! itself adds (acceptance 验收, supervision 挂牌督办) lives in tables of its own and is never
//! rebuilt. The office's rules over both — what is open, overdue or closed, which comes first,
//! when supervision is lifted — are the pure functions here, which the store's SQL mirrors.

use std::collections::{BTreeSet, HashMap};

use safewalk_core::catalogue::library::Library;
use safewalk_core::dates;
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::inspection::determination::Standing;
use safewalk_core::inspection::hazard::Grade;
use safewalk_core::rectification::register::{register, HazardStatus};
use safewalk_core::{Inspection, Lang};
use uuid::Uuid;

use crate::store::hazards::StoredOriginal;
use crate::store::{Store, StoreError};

/// Where a hazard stands for the office.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OfficeState {
    /// Open and past its deadline: it escalates (listed first).
    Overdue,
    /// Waiting for rectification, within its deadline (or with none).
    Open,
    /// Verified rectified by a re-inspection, accepted by the office, or fixed on the spot.
    Closed,
}

impl OfficeState {
    pub const ALL: [OfficeState; 3] = [OfficeState::Overdue, OfficeState::Open, OfficeState::Closed];

    /// The value of the `state` filter and the CSV column (the SQL writes the same words).
    pub fn as_str(self) -> &'static str {
        match self {
            OfficeState::Overdue => "overdue",
            OfficeState::Open => "open",
            OfficeState::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<OfficeState> {
        OfficeState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (OfficeState::Overdue, Lang::Zh) => "逾期",
            (OfficeState::Overdue, Lang::En) => "Overdue",
            (OfficeState::Open, Lang::Zh) => "未整改",
            (OfficeState::Open, Lang::En) => "Open",
            (OfficeState::Closed, Lang::Zh) => "已销号",
            (OfficeState::Closed, Lang::En) => "Closed",
        }
    }
}

/// How core's register left a hazard, as the table keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Open,
    RectifiedOnTheSpot,
    /// Verified rectified by a delivered re-inspection.
    Closed,
}

impl Found {
    pub fn as_str(self) -> &'static str {
        match self {
            Found::Open => "open",
            Found::RectifiedOnTheSpot => "on_the_spot",
            Found::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Found {
        match text {
            "on_the_spot" => Found::RectifiedOnTheSpot,
            "closed" => Found::Closed,
            _ => Found::Open,
        }
    }
}

/// The office's state of a hazard: closed when the register closed it (a re-inspection, or
/// fixed on the spot) or the office accepted its rectification; else overdue when its
/// deadline (a real date) has passed on `today`; else open. A hazard found back by a later
/// re-inspection after an acceptance stays closed: acceptance is the office's last word until
/// it is withdrawn.
pub fn office_state(found: Found, accepted: bool, deadline: &str, today: &str) -> OfficeState {
    if found != Found::Open || accepted {
        OfficeState::Closed
    } else if dates::is_past(deadline, today) {
        OfficeState::Overdue
    } else {
        OfficeState::Open
    }
}

/// The register's order: overdue, then open, then closed; majors before generals within
/// each; then the oldest deadline (none last), then the oldest found, then inspection and
/// item. So the oldest overdue majors come first. The store's `ORDER BY` is this key.
pub fn order_key(state: OfficeState, grade: Grade, deadline: &str, found_at: u64) -> (OfficeState, bool, (bool, String), u64) {
    let due = if dates::is_valid_date(deadline) { (false, deadline.to_string()) } else { (true, String::new()) };
    (state, grade != Grade::Major, due, found_at)
}

/// A deadline as the table orders it: the date when it is one, else `~`, which sorts after
/// every date. Then "overdue" is `due_key < today` for a hazard not closed, and ordering by
/// it puts hazards without a deadline last: [`order_key`] in one indexed column.
pub fn due_key(deadline: &str) -> String {
    if dates::is_valid_date(deadline) {
        deadline.to_string()
    } else {
        "~".to_string()
    }
}

/// Which part of each state's list a page of the register takes, given how many hazards
/// are overdue, open and closed (in that order, the register's): `(state, offset, limit)`
/// for each state the page reaches.
pub fn page_parts(counts: [u64; 3], offset: u64, limit: u64) -> Vec<(OfficeState, u64, u64)> {
    let mut parts = Vec::new();
    let (mut skip, mut wanted) = (offset, limit);
    for (state, count) in OfficeState::ALL.into_iter().zip(counts) {
        if wanted == 0 {
            break;
        }
        if skip >= count {
            skip -= count;
            continue;
        }
        let take = wanted.min(count - skip);
        parts.push((state, skip, take));
        wanted -= take;
        skip = 0;
    }
    parts
}

/// A supervision (挂牌督办) is in force while its hazard is not closed: closing lifts it.
pub fn supervision_in_force(state: OfficeState) -> bool {
    state != OfficeState::Closed
}

/// Why the office cannot supervise or accept a hazard as asked.
pub fn supervision_refused(grade: Grade, state: OfficeState, official: &str, deadline: &str) -> Option<&'static str> {
    if grade != Grade::Major {
        Some("only a major hazard is put under supervision 只有重大隐患挂牌督办")
    } else if state == OfficeState::Closed {
        Some("the hazard is closed 隐患已销号")
    } else if official.trim().is_empty() {
        Some("name the supervising official 请填写督办人")
    } else if !dates::is_valid_date(deadline.trim()) {
        Some("the deadline must be a date YYYY-MM-DD 督办期限须为日期 YYYY-MM-DD")
    } else {
        None
    }
}

/// The derived rows of one original inspection, with its submitter and site (what the
/// register's scope and filters read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    pub inspection: Uuid,
    pub submitted_by: Option<String>,
    pub site_id: Option<String>,
    pub rows: Vec<HazardRow>,
}

/// One derived row: core's register entry for a hazard, with the names the office shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HazardRow {
    pub inspection: Uuid,
    pub item: String,
    /// The item's text, Chinese then English on the next line (the item id when the
    /// template is not in the library): what the page shows and the search reads.
    pub item_text: String,
    pub template: String,
    pub grade: Grade,
    pub standing: Standing,
    pub description: String,
    pub deadline: String,
    pub found_at: u64,
    pub found: Found,
    /// The re-inspection that closed it, and when.
    pub closed_by: Option<(Uuid, u64)>,
    pub site_name: String,
    /// The inspection's team as the inspectors wrote it.
    pub inspectors: String,
}

/// The hazards of `original` as core's register leaves them given `follow_ups` (any
/// inspections: those that do not name it change nothing).
pub fn derive(original: &Inspection, follow_ups: &[Inspection], library: &Library) -> Vec<HazardRow> {
    let mut group = vec![original.clone()];
    group.extend(follow_ups.iter().filter(|f| f.id != original.id && f.follow_up.is_some()).cloned());
    let template = library.template(&original.template.id, &original.template.version);
    // "Today" only decides core's `overdue`, which the office computes per request instead.
    register(&group, library, "")
        .into_iter()
        .filter(|e| e.inspection == original.id)
        .map(|e| {
            let item_text = match template.and_then(|t| t.item(&e.item)) {
                Some(item) => format!("{}\n{}", item.text.get(Lang::Zh), item.text.get(Lang::En)),
                None => e.item.clone(),
            };
            let (found, closed_by) = match e.status {
                HazardStatus::Open => (Found::Open, None),
                HazardStatus::RectifiedOnTheSpot => (Found::RectifiedOnTheSpot, None),
                HazardStatus::Closed { by, at } => (Found::Closed, Some((by, at))),
            };
            HazardRow {
                inspection: e.inspection,
                item_text,
                template: e.template,
                grade: e.grade,
                standing: e.standing,
                description: e.description,
                deadline: e.deadline,
                found_at: e.found_at,
                found,
                closed_by,
                site_name: e.site_name,
                inspectors: original.team.inspectors.trim().to_string(),
                item: e.item,
            }
        })
        .collect()
}

/// Whether follow-up `f` names inspection `original`: as the inspection it re-inspects, or in
/// one of its checks.
fn names(f: &Inspection, original: Uuid) -> bool {
    f.follow_up.as_ref().is_some_and(|fu| fu.of == original || fu.checks.iter().any(|c| c.inspection == original))
}

/// After a delivery (or its redelivery): rewrites the rows of every inspection it touches —
/// itself (a follow-up's own findings are hazards too), and for a follow-up each inspection
/// it names. Their follow-ups are those of the original and those filed at its site that
/// name it (plus this one).
pub async fn on_delivery(store: &Store, library: &Library, payload: &InspectionPayload) -> Result<(), StoreError> {
    let delivered = &payload.inspection;
    let originals: BTreeSet<Uuid> = match &delivered.follow_up {
        None => BTreeSet::from([delivered.id]),
        Some(f) => f.checks.iter().map(|c| c.inspection).chain([f.of, delivered.id]).collect(),
    };
    let mut writes = Vec::new();
    for id in originals {
        let Some(original) = store.original(id).await? else { continue };
        let Ok(parsed) = serde_json::from_str::<InspectionPayload>(&original.payload) else { continue };
        let mut follow_ups: Vec<Inspection> = store
            .related_follow_ups(id, original.site_id.as_deref())
            .await?
            .iter()
            .filter_map(|text| serde_json::from_str::<InspectionPayload>(text).ok())
            .map(|p| p.inspection)
            .filter(|f| names(f, id))
            .collect();
        if delivered.follow_up.is_some() && !follow_ups.iter().any(|f| f.id == delivered.id) {
            follow_ups.push(delivered.clone());
        }
        let rows = derive(&parsed.inspection, &follow_ups, library);
        writes.push(Derived { inspection: id, submitted_by: original.submitted_by, site_id: original.site_id, rows });
    }
    store.replace_hazards(&writes).await
}

/// Rebuilds the whole table from the stored payloads (at start: the library or core's rules
/// may have changed since the rows were written), 500 originals to a transaction. Every
/// follow-up is read first, and each original gets those that name it. How many hazards.
pub async fn rebuild(store: &Store, library: &Library) -> Result<usize, StoreError> {
    const BATCH: u64 = 500;
    let follow_ups: Vec<Inspection> = store
        .all_follow_ups()
        .await?
        .iter()
        .filter_map(|text| serde_json::from_str::<InspectionPayload>(text).ok())
        .map(|p| p.inspection)
        .collect();
    let mut naming: HashMap<Uuid, Vec<usize>> = HashMap::new();
    for (n, f) in follow_ups.iter().enumerate() {
        if let Some(fu) = &f.follow_up {
            let named: BTreeSet<Uuid> = fu.checks.iter().map(|c| c.inspection).chain([fu.of]).collect();
            for id in named {
                naming.entry(id).or_default().push(n);
            }
        }
    }
    let mut after = String::new();
    let mut total = 0;
    loop {
        let batch: Vec<StoredOriginal> = store.originals_after(&after, BATCH).await?;
        let Some(last) = batch.last() else { return Ok(total) };
        after = last.id.to_string();
        let mut writes = Vec::new();
        for original in &batch {
            let Ok(parsed) = serde_json::from_str::<InspectionPayload>(&original.payload) else { continue };
            let mine: Vec<Inspection> = naming.get(&original.id).into_iter().flatten().map(|&n| follow_ups[n].clone()).collect();
            let rows = derive(&parsed.inspection, &mine, library);
            total += rows.len();
            writes.push(Derived {
                inspection: original.id,
                submitted_by: original.submitted_by.clone(),
                site_id: original.site_id.clone(),
                rows,
            });
        }
        store.replace_hazards(&writes).await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_by_the_register_or_by_acceptance_else_overdue_after_the_deadline() {
        let state = |found, accepted, deadline| office_state(found, accepted, deadline, "2026-03-02");
        assert_eq!(state(Found::Open, false, "2026-03-01"), OfficeState::Overdue);
        assert_eq!(state(Found::Open, false, "2026-03-02"), OfficeState::Open, "due today is not late yet");
        assert_eq!(state(Found::Open, false, ""), OfficeState::Open, "no deadline, never overdue");
        assert_eq!(state(Found::Open, false, "March"), OfficeState::Open, "not a date, never overdue");
        assert_eq!(state(Found::Open, true, "2026-03-01"), OfficeState::Closed, "accepted");
        assert_eq!(state(Found::Closed, false, "2026-03-01"), OfficeState::Closed, "verified by a re-inspection");
        assert_eq!(state(Found::RectifiedOnTheSpot, false, ""), OfficeState::Closed);
        assert_eq!(office_state(Found::Open, false, "2026-03-01", "not a date"), OfficeState::Open);
    }

    #[test]
    fn the_oldest_overdue_majors_come_first() {
        let mut rows = [
            ("closed major", OfficeState::Closed, Grade::Major, "2026-01-01", 1),
            ("open major", OfficeState::Open, Grade::Major, "2026-06-01", 2),
            ("overdue general", OfficeState::Overdue, Grade::General, "2026-01-01", 3),
            ("overdue major, due later", OfficeState::Overdue, Grade::Major, "2026-02-01", 4),
            ("overdue major, due first", OfficeState::Overdue, Grade::Major, "2026-01-15", 9),
            ("open general, no deadline", OfficeState::Open, Grade::General, "", 0),
            ("open general", OfficeState::Open, Grade::General, "2026-06-01", 5),
            ("open general, same deadline, found earlier", OfficeState::Open, Grade::General, "2026-06-01", 4),
        ];
        rows.sort_by_key(|(_, state, grade, deadline, found)| order_key(*state, *grade, deadline, *found));
        let order: Vec<&str> = rows.iter().map(|r| r.0).collect();
        assert_eq!(
            order,
            vec![
                "overdue major, due first",
                "overdue major, due later",
                "overdue general",
                "open major",
                "open general, same deadline, found earlier",
                "open general",
                "open general, no deadline",
                "closed major",
            ]
        );
    }

    #[test]
    fn a_due_key_is_the_date_or_sorts_after_every_date() {
        assert_eq!(due_key("2026-03-01"), "2026-03-01");
        for none in ["", "March", "2026-02-30", " 2026-03-01"] {
            assert_eq!(due_key(none), "~", "{none:?}");
            assert!(due_key(none).as_str() > "9999-12-31");
        }
        // Overdue as the SQL reads it: `due_key < today`, the same as office_state's.
        for deadline in ["2026-03-01", "2026-03-02", "2026-03-03", "", "soon"] {
            let sql = due_key(deadline).as_str() < "2026-03-02";
            assert_eq!(sql, office_state(Found::Open, false, deadline, "2026-03-02") == OfficeState::Overdue, "{deadline:?}");
        }
    }

    #[test]
    fn a_page_takes_the_overdue_then_the_open_then_the_closed() {
        use OfficeState::*;
        assert_eq!(page_parts([3, 10, 5], 0, 50), vec![(Overdue, 0, 3), (Open, 0, 10), (Closed, 0, 5)]);
        assert_eq!(page_parts([60, 10, 5], 0, 50), vec![(Overdue, 0, 50)]);
        assert_eq!(page_parts([60, 10, 5], 50, 50), vec![(Overdue, 50, 10), (Open, 0, 10), (Closed, 0, 5)]);
        assert_eq!(page_parts([3, 100, 5], 50, 50), vec![(Open, 47, 50)]);
        assert_eq!(page_parts([3, 10, 100], 20, 50), vec![(Closed, 7, 50)]);
        assert_eq!(page_parts([0, 0, 5], 0, 50), vec![(Closed, 0, 5)]);
        assert_eq!(page_parts([3, 10, 5], 18, 50), vec![]);
        assert_eq!(page_parts([3, 10, 5], 0, u64::MAX), vec![(Overdue, 0, 3), (Open, 0, 10), (Closed, 0, 5)]);
    }

    #[test]
    fn supervision_is_for_open_majors_with_an_official_and_a_date_and_lifts_on_closing() {
        assert_eq!(supervision_refused(Grade::Major, OfficeState::Overdue, "Chen Jun", "2026-04-01"), None);
        assert_eq!(supervision_refused(Grade::Major, OfficeState::Open, " Chen Jun ", " 2026-04-01 "), None);
        assert!(supervision_refused(Grade::General, OfficeState::Open, "Chen Jun", "2026-04-01").is_some());
        assert!(supervision_refused(Grade::Major, OfficeState::Closed, "Chen Jun", "2026-04-01").is_some());
        assert!(supervision_refused(Grade::Major, OfficeState::Open, "  ", "2026-04-01").is_some());
        assert!(supervision_refused(Grade::Major, OfficeState::Open, "Chen Jun", "2026-02-30").is_some());
        assert!(supervision_in_force(OfficeState::Overdue) && supervision_in_force(OfficeState::Open));
        assert!(!supervision_in_force(OfficeState::Closed));
    }

    #[test]
    fn states_and_findings_read_back_what_they_write() {
        for state in OfficeState::ALL {
            assert_eq!(OfficeState::parse(state.as_str()), Some(state));
        }
        assert_eq!(OfficeState::parse("shut"), None);
        for found in [Found::Open, Found::RectifiedOnTheSpot, Found::Closed] {
            assert_eq!(Found::parse(found.as_str()), found);
        }
    }
}
