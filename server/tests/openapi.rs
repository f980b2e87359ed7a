//! docs/openapi.json must say what the receiver and the core types really do: the same
//! paths, and schemas whose required fields are the fields the types serialise.

use std::collections::BTreeSet;

use safewalk_core::payload::{InspectionPayload, Receipt, ReceiptStatus};
use safewalk_core::{library, Inspection};
use serde_json::Value;
use uuid::Uuid;

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json")).expect("docs/openapi.json");
    serde_json::from_str(&text).expect("docs/openapi.json is JSON")
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn strings(value: &Value) -> BTreeSet<String> {
    value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

#[test]
fn the_documented_paths_are_the_served_paths() {
    let documented = keys(&spec()["paths"]);
    let served: BTreeSet<String> = safewalk_server::api_paths().into_iter().map(str::to_string).collect();
    assert_eq!(documented, served);
}

#[test]
fn the_receipt_schema_matches_the_receipt_type() {
    let spec = spec();
    let schema = &spec["components"]["schemas"]["Receipt"];
    for status in [ReceiptStatus::Stored, ReceiptStatus::Duplicate] {
        let receipt = serde_json::to_value(Receipt { id: Uuid::nil(), status, received_at: 1 }).unwrap();
        assert_eq!(keys(&receipt), strings(&schema["required"]));
        assert!(strings(&schema["properties"]["status"]["enum"]).contains(receipt["status"].as_str().unwrap()));
    }
}

#[test]
fn the_payload_schema_matches_what_the_app_sends() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let (templates, _) = library::built_in();
    let mut inspection = Inspection::new(Uuid::nil(), &templates[0], 1);
    inspection.completed_at = Some(2);
    let payload = serde_json::to_value(InspectionPayload::new(inspection)).unwrap();
    assert_eq!(keys(&payload), strings(&schemas["InspectionPayload"]["required"]));
    assert_eq!(payload["schema"], schemas["InspectionPayload"]["properties"]["schema"]["const"]);
    let sent = keys(&payload["inspection"]);
    let documented = keys(&schemas["Inspection"]["properties"]);
    assert!(strings(&schemas["Inspection"]["required"]).is_subset(&sent), "{sent:?}");
    assert!(sent.is_subset(&documented), "undocumented fields: {:?}", sent.difference(&documented).collect::<Vec<_>>());
    assert_eq!(keys(&payload["inspection"]["site"]), keys(&schemas["Inspection"]["properties"]["site"]["properties"]));
    assert_eq!(keys(&payload["inspection"]["team"]), keys(&schemas["Inspection"]["properties"]["team"]["properties"]));
}
