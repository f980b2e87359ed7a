//! Filing delivered inspections under the office's register of sites: what an inspection's
//! site details (and the person who delivered it) say about its site, and the filing of
//! inspections stored before the register existed, done when the store opens.

use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::site::Uscc;

use crate::people::Person;
use crate::store::sites::SiteFacts;
use crate::store::{Store, StoreError};

/// What a delivered inspection says about its site. The district and department are the
/// delivering person's (the site details carry neither); a code that is not valid is left
/// out (the inspection is then filed by name and address, and keeps the code as typed).
pub fn facts_of(payload: &InspectionPayload, delivered_by: Option<&Person>) -> SiteFacts {
    let inspection = &payload.inspection;
    let position = inspection.attachments.iter().find_map(|a| a.position.as_ref()).map(|p| format!("{:.6},{:.6}", p.lat, p.lon));
    SiteFacts {
        name: inspection.site.name.trim().to_string(),
        address: inspection.site.address.trim().to_string(),
        uscc: Uscc::parse(&inspection.site.uscc).ok(),
        district: delivered_by.map(|p| p.district.clone()).unwrap_or_default(),
        department: delivered_by.map(|p| p.department.clone()).unwrap_or_default(),
        sectors: vec![inspection.template.id.clone()].into_iter().filter(|t| !t.is_empty()).collect(),
        category: inspection.site.category.trim().to_string(),
        position: position.unwrap_or_default(),
    }
}

/// Files every inspection stored before the register of sites (run when the store opens; a
/// no-op once all are filed), 500 to a transaction. A stored payload that no longer reads is
/// left unfiled. How many were filed.
pub async fn file_unfiled(store: &Store, now: u64) -> Result<usize, StoreError> {
    const BATCH: u64 = 500;
    let mut filed = 0;
    let mut unreadable = std::collections::HashSet::new();
    let mut people = std::collections::HashMap::new();
    loop {
        let ids = store.unfiled_inspection_ids(BATCH + unreadable.len() as u64).await?;
        let mut rows = Vec::new();
        for id in ids {
            if unreadable.contains(&id) {
                continue;
            }
            let Some(stored) = store.get(id).await? else { continue };
            let Ok(payload) = serde_json::from_str::<InspectionPayload>(&stored.payload) else {
                unreadable.insert(id);
                continue;
            };
            let person = match &stored.submitted_by {
                Some(by) => {
                    if !people.contains_key(by) {
                        people.insert(by.clone(), store.person(by).await?);
                    }
                    people.get(by).cloned().flatten()
                }
                None => None,
            };
            rows.push((id, facts_of(&payload, person.as_ref())));
        }
        if rows.is_empty() {
            return Ok(filed);
        }
        store.file_inspections(&rows, now).await?;
        filed += rows.len();
    }
}
