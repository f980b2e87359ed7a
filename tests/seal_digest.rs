//! The seal as the phone computes it (SubtleCrypto over core's canonical text) in a real
//! browser: a known SHA-256 answer with Chinese text, and the same digest as a Rust SHA-256 of
//! the same canonical text — the receiver's way — for a completed record with paperwork.
#![cfg(target_arch = "wasm32")]

use safewalk::digest::seal_of;
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::delivery::seal::canonical_text;
use safewalk_core::inspection::paperwork::{DocumentKind, IssuedDocument, Paperwork};
use safewalk_core::{Inspection, Template};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_known_text_has_its_known_sha256() {
    // Python: hashlib.sha256('检查记录 abc'.encode()).hexdigest()
    assert_eq!(seal_of("检查记录 abc").await.unwrap(), "94b29fa9a667c4e851194f07c222a0a799376d28c2f9ac0c49670ebc2ddc29e0");
}

#[wasm_bindgen_test]
async fn the_phone_seals_a_record_as_the_receiver_does() {
    let template: Template = serde_json::from_str(include_str!("../templates/warehouse-logistics.json")).unwrap();
    let mut inspection = Inspection::new(Uuid::from_u128(7), &template, 1_780_000_000_000);
    inspection.site.name = "东方仓储".into();
    inspection.paperwork = Some(Paperwork {
        issued: vec![IssuedDocument {
            kind: DocumentKind::InspectionRecord,
            number: "（安）应急检记〔2026〕17号".into(),
            year: 2026,
            serial: 17,
            issued_at: 1_780_000_100_000,
        }],
        ..Default::default()
    });
    inspection.completed_at = Some(1_780_000_200_000);
    let text = canonical_text(&InspectionPayload::new(inspection));
    let expected: String = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(seal_of(&text).await.unwrap(), expected);
}
