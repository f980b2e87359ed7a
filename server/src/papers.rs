//! The office's side of the papers an inspection hands over (issue 15): the seal of each
//! delivered record, the documents it issued, the serial blocks the office allocates and the
//! particulars it sets. Plain rules here, tested here; the store keeps the rows
//! ([`crate::store::papers`]), the routes show them.

use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::delivery::seal::canonical_text;
use safewalk_core::inspection::paperwork::{AgencyParticulars, DocumentKind};
use sha2::{Digest, Sha256};

use crate::store::papers::NewDocument;
use crate::store::{Store, StoreError};

/// The serials of a block when the admin has set no other size.
pub const DEFAULT_BLOCK_SIZE: u32 = 50;

/// The largest block the office hands out at once (a year's numbers for a busy inspector).
pub const MAX_BLOCK_SIZE: u32 = 10_000;

/// How long after a block is allocated to a person a phone's `top_up` gets no other of that
/// year: one answer to "running low", not one per pull. A phone asks when fewer than 10 of
/// its serials are left, and a block (50 by default) lasts far longer than an hour of
/// inspections (two or three documents each); one that pulls again sooner is answered with
/// the blocks it holds. So a phone in a retry loop, or a stolen token, gets at most 24
/// blocks a day, each audited and listed on `/office/serials`, instead of draining the
/// year's serials. The admin's own allocations (`POST /office/serials`) are not limited.
pub const TOP_UP_INTERVAL_MS: u64 = 60 * 60 * 1000;

/// The seal of a stored payload: the SHA-256 (lowercase hex) of core's canonical text of the
/// payload read back, what the phone printed on the papers. `None` when the text is not a
/// payload this receiver reads.
pub fn seal_of(payload: &str) -> Option<String> {
    let payload: InspectionPayload = serde_json::from_str(payload).ok()?;
    Some(seal_of_payload(&payload))
}

pub fn seal_of_payload(payload: &InspectionPayload) -> String {
    let digest = Sha256::digest(canonical_text(payload).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The documents a payload issued, as the office keeps them.
pub fn documents_of(payload: &InspectionPayload) -> Vec<NewDocument> {
    let issued = payload.inspection.paperwork.as_ref().map(|p| p.issued.as_slice()).unwrap_or_default();
    issued
        .iter()
        .map(|d| NewDocument { kind: kind_word(d.kind), number: d.number.clone(), year: d.year, serial: d.serial, issued_at: d.issued_at })
        .collect()
}

/// The stored word of a document kind (its serialised name).
pub fn kind_word(kind: DocumentKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A stored word as a kind (`None`: not a kind this build knows).
pub fn kind_of(word: &str) -> Option<DocumentKind> {
    serde_json::from_value(serde_json::Value::String(word.to_string())).ok()
}

/// On delivery (stored or a duplicate): the documents the record issued, rewritten.
pub async fn on_delivery(store: &Store, payload: &InspectionPayload, submitted_by: Option<&str>) -> Result<(), StoreError> {
    store.replace_documents(&payload.inspection.id.to_string(), submitted_by, &documents_of(payload)).await
}

/// Seals the records stored before seals existed (and files their documents), a page at a
/// time; a payload that does not read is marked `''` so it is not tried again. Returns how
/// many rows were sealed.
pub async fn seal_unsealed(store: &Store) -> Result<usize, StoreError> {
    let mut sealed = 0;
    loop {
        let page = store.unsealed(200).await?;
        if page.is_empty() {
            return Ok(sealed);
        }
        let mut seals = Vec::with_capacity(page.len());
        for (id, payload, submitted_by) in page {
            let parsed = serde_json::from_str::<InspectionPayload>(&payload).ok();
            let documents = parsed.as_ref().map(documents_of).unwrap_or_default();
            if !documents.is_empty() {
                store.replace_documents(&id, submitted_by.as_deref(), &documents).await?;
            }
            seals.push((id, parsed.as_ref().map(seal_of_payload).unwrap_or_default()));
        }
        // A page's seals in one transaction: one flush, not one a record.
        sealed += seals.len();
        store.set_seals(seals).await?;
    }
}

/// A block size as typed on the office's form: a whole number from 1 to [`MAX_BLOCK_SIZE`].
pub fn parse_block_size(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_BLOCK_SIZE).contains(&n) => Ok(n),
        _ => Err(format!("编号段大小须为 1 到 {MAX_BLOCK_SIZE} 的整数 · The block size is a whole number from 1 to {MAX_BLOCK_SIZE}")),
    }
}

/// The particulars as the office keeps them (JSON); what does not read is none.
pub fn particulars_of(stored: Option<&str>) -> Option<AgencyParticulars> {
    stored.and_then(|text| serde_json::from_str(text).ok())
}

/// Whether the office set anything at all (an empty set is sent as none).
pub fn is_blank(p: &AgencyParticulars) -> bool {
    *p == AgencyParticulars::default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use safewalk_core::inspection::paperwork::{IssuedDocument, Paperwork};
    use safewalk_core::Inspection;
    use uuid::Uuid;

    fn payload() -> InspectionPayload {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates");
        let template = crate::templates::load(&fixtures).library.templates.remove(0);
        let mut i = Inspection::new(Uuid::from_u128(1), &template, 1);
        i.completed_at = Some(2);
        i.paperwork = Some(Paperwork {
            issued: vec![IssuedDocument {
                kind: DocumentKind::OrderToRectify,
                number: "（安）应急责改〔2026〕17号".into(),
                year: 2026,
                serial: 17,
                issued_at: 3,
            }],
            ..Paperwork::default()
        });
        InspectionPayload::new(i)
    }

    #[test]
    fn the_seal_is_the_sha256_of_cores_canonical_text_however_the_payload_was_formatted() {
        let payload = payload();
        let pretty = serde_json::to_string_pretty(&payload).unwrap();
        let seal = seal_of(&pretty).unwrap();
        assert_eq!(seal.len(), 64);
        assert_eq!(seal, format!("{:x}", Sha256::digest(canonical_text(&payload).as_bytes())));
        assert_eq!(seal_of(&serde_json::to_string(&payload).unwrap()), Some(seal.clone()));
        let mut changed = payload.clone();
        changed.inspection.site.name.push('!');
        assert_ne!(seal_of_payload(&changed), seal);
        assert_eq!(seal_of("{\"f\":1}"), None);
    }

    #[test]
    fn documents_kinds_and_sizes_read_as_stored() {
        let docs = documents_of(&payload());
        assert_eq!(docs.len(), 1);
        assert_eq!((docs[0].kind.as_str(), docs[0].year, docs[0].serial), ("order_to_rectify", 2026, 17));
        for kind in DocumentKind::ALL {
            assert_eq!(kind_of(&kind_word(kind)), Some(kind));
        }
        assert_eq!(kind_of("memo"), None);
        assert_eq!(parse_block_size(" 50 "), Ok(50));
        for bad in ["0", "-1", "x", "", "10001"] {
            assert!(parse_block_size(bad).is_err(), "{bad}");
        }
        assert!(
            documents_of(&InspectionPayload { inspection: Inspection { paperwork: None, ..payload().inspection }, ..payload() }).is_empty()
        );
        assert_eq!(particulars_of(Some("not json")), None);
        assert!(is_blank(&AgencyParticulars::default()));
    }
}
