//! The office register in the shape provincial dual-prevention (双重预防) systems exchange
//! (issue 15, `docs/hazard-exchange.md`): each hazard the register's filters let through as
//! core's [`HazardRecord`], from the inspection that found it (its stored payload), the
//! checklist edition it used, and what closed it — the office's acceptance (验收) or the
//! re-inspection that verified it rectified.

use std::collections::HashMap;

use safewalk_core::catalogue::library::Library;
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::exchange::hazard_record::{hazard_record, Closing, HazardRecord};
use safewalk_core::rectification::register::{HazardStatus, RegisterEntry};
use safewalk_core::Inspection;
use serde::Serialize;
use uuid::Uuid;

use crate::hazards::Found;
use crate::store::hazards::HazardView;
use crate::store::{Store, StoreError};

/// The records of `hazards`, in their order. A hazard whose inspection's payload no longer
/// reads is left out (the register was derived from it, so that is a damaged row).
pub async fn records(store: &Store, library: &Library, hazards: &[HazardView]) -> Result<Vec<HazardRecord>, StoreError> {
    let mut inspections: HashMap<Uuid, Option<Inspection>> = HashMap::new();
    let mut records = Vec::with_capacity(hazards.len());
    for h in hazards {
        let closed_by = h.row.closed_by.map(|(by, _)| by).filter(|_| h.acceptance.is_none());
        for id in [Some(h.row.inspection), closed_by].into_iter().flatten() {
            if let std::collections::hash_map::Entry::Vacant(slot) = inspections.entry(id) {
                slot.insert(inspection(store, id).await?);
            }
        }
        let Some(Some(found_in)) = inspections.get(&h.row.inspection) else { continue };
        let follow_up = closed_by.and_then(|id| inspections.get(&id)).and_then(Option::as_ref);
        let template = library.template(&found_in.template.id, &found_in.template.version);
        records.push(hazard_record(&entry(h), found_in, template, closing(h, follow_up).as_ref()));
    }
    Ok(records)
}

async fn inspection(store: &Store, id: Uuid) -> Result<Option<Inspection>, StoreError> {
    Ok(store.get(id).await?.and_then(|s| serde_json::from_str::<InspectionPayload>(&s.payload).ok()).map(|p| p.inspection))
}

/// The register row as core's entry (what `hazard_record` reads of it).
fn entry(h: &HazardView) -> RegisterEntry {
    let status = match (h.row.found, h.row.closed_by) {
        (Found::RectifiedOnTheSpot, _) => HazardStatus::RectifiedOnTheSpot,
        (Found::Closed, Some((by, at))) => HazardStatus::Closed { by, at },
        _ => HazardStatus::Open,
    };
    RegisterEntry {
        inspection: h.row.inspection,
        item: h.row.item.clone(),
        site_name: h.row.site_name.clone(),
        site_key: String::new(),
        template: h.row.template.clone(),
        grade: h.row.grade,
        standing: h.row.standing,
        description: h.row.description.clone(),
        deadline: h.row.deadline.clone(),
        found_at: h.row.found_at,
        status,
        overdue: false,
        order: None,
    }
}

/// What closed the hazard: the office's acceptance (its evidence photo, when one was
/// named), else the re-inspection that verified it (its inspectors, completion, the check's
/// note and its photos of the item). `None`: open, or put right on the spot.
fn closing(h: &HazardView, follow_up: Option<&Inspection>) -> Option<Closing> {
    if let Some(a) = &h.acceptance {
        let photos = Uuid::parse_str(&a.evidence).ok().into_iter().collect();
        return Some(Closing { by: a.by.clone(), at: a.at, comment: a.note.clone(), photos });
    }
    let (_, at) = h.row.closed_by?;
    let f = follow_up?;
    let check = f.follow_up.as_ref().and_then(|fu| fu.checks.iter().find(|c| c.inspection == h.row.inspection && c.item == h.row.item));
    Some(Closing {
        by: f.team.inspector_names().join("、"),
        at,
        comment: check.map(|c| c.note.clone()).unwrap_or_default(),
        photos: f.attachments_of(&h.row.item).filter(|a| !a.is_signature()).map(|a| a.id).collect(),
    })
}

/// The CSV columns of the export: the JSON's fields, `acceptance` as three columns.
pub const CSV_HEADER: [&str; 20] = [
    "id",
    "name",
    "grade",
    "registrant",
    "registered_at",
    "source",
    "handling",
    "hazard_type",
    "description",
    "cause",
    "measures",
    "estimated_cost",
    "responsible",
    "deadline",
    "accepted_by",
    "accepted_at",
    "acceptance_comment",
    "state",
    "photos_before",
    "photos_after",
];

/// One record as a CSV row of [`CSV_HEADER`]: the words the JSON uses, photo ids separated
/// by spaces.
pub fn csv_row(r: &HazardRecord) -> [String; 20] {
    let acceptance = r.acceptance.clone().unwrap_or_else(|| safewalk_core::exchange::hazard_record::Acceptance {
        by: String::new(),
        at: String::new(),
        comment: String::new(),
    });
    let ids = |photos: &[Uuid]| photos.iter().map(Uuid::to_string).collect::<Vec<_>>().join(" ");
    [
        r.id.clone(),
        r.name.clone(),
        word(&r.grade),
        r.registrant.clone(),
        r.registered_at.clone(),
        word(&r.source),
        word(&r.handling),
        r.hazard_type.clone(),
        r.description.clone(),
        r.cause.clone(),
        r.measures.clone(),
        r.estimated_cost.clone(),
        r.responsible.clone(),
        r.deadline.clone(),
        acceptance.by,
        acceptance.at,
        acceptance.comment,
        word(&r.state),
        ids(&r.photos_before),
        ids(&r.photos_after),
    ]
}

/// A unit variant as the JSON writes it.
fn word(value: &impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
