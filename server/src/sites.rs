//! Filing delivered inspections under the office's register of sites: what an inspection's
//! site details (and the person who delivered it) say about its site, and the filing of
//! inspections stored before the register existed, done when the store opens.

use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::site::Uscc;

use crate::people::Person;
use crate::store::sites::SiteFacts;
use crate::store::{Store, StoreError, StoredInspection};

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

/// Files one stored inspection under its site (nothing if filed already). A stored payload
/// that no longer reads is left unfiled rather than failing the delivery or the start.
pub async fn file(store: &Store, stored: &StoredInspection, now: u64) -> Result<Option<String>, StoreError> {
    let Ok(payload) = serde_json::from_str::<InspectionPayload>(&stored.payload) else { return Ok(None) };
    let person = match stored.submitted_by.as_deref() {
        Some(id) => store.person(id).await?,
        None => None,
    };
    store.attach_to_site(stored.id, &facts_of(&payload, person.as_ref()), now).await.map(Some)
}

/// Files every inspection stored before the register of sites (run when the store opens; a
/// no-op once all are filed). How many were filed.
pub async fn file_unfiled(store: &Store, now: u64) -> Result<usize, StoreError> {
    let mut filed = 0;
    let mut skipped = std::collections::HashSet::new();
    loop {
        let batch: Vec<_> =
            store.unfiled_inspection_ids(500 + skipped.len() as u64).await?.into_iter().filter(|id| !skipped.contains(id)).collect();
        if batch.is_empty() {
            return Ok(filed);
        }
        for id in batch {
            match store.get(id).await? {
                Some(stored) if file(store, &stored, now).await?.is_some() => filed += 1,
                _ => {
                    skipped.insert(id);
                }
            }
        }
    }
}
