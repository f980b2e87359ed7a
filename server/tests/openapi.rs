//! docs/openapi.json must say what the receiver and the core types really do: the same
//! paths, and schemas whose required fields are the fields the types serialise.

use std::collections::BTreeSet;
use std::path::Path;

use safewalk_core::follow_up::{FollowUp, HazardCheck, Verdict};
use safewalk_core::grading::Grade;
use safewalk_core::hazard::{GradeChoice, Hazard, Rectification};
use safewalk_core::payload::{GradeReport, InspectionPayload, Receipt, ReceiptStatus, PAYLOAD_SCHEMA};
use safewalk_core::{Inspection, LocalText};
use safewalk_server::store::StoredInspection;
use safewalk_core::attachment::{Attachment, AttachmentKind, AttachmentReceipt, Position, Signer, SignerRole};
use safewalk_server::{CONTENT_SHA256, CONTENT_TYPES};
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

/// The fixture library of the receiver tests (two templates, one rule set).
fn fixture() -> safewalk_core::library::Library {
    let loaded = safewalk_server::templates::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates"));
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.library
}

/// `sent` (a value with every optional field present) is what `schema` documents: its
/// required fields are sent, and it sends nothing undocumented and nothing less.
fn documents(schema: &Value, sent: &Value, what: &str) {
    let sent = keys(sent);
    let documented = keys(&schema["properties"]);
    assert!(strings(&schema["required"]).is_subset(&sent), "{what}: required but not sent: {sent:?}");
    assert_eq!(sent, documented, "{what}: sent vs documented");
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
fn the_attachment_receipt_schema_matches_the_receipt_type() {
    let spec = spec();
    let schema = &spec["components"]["schemas"]["AttachmentReceipt"];
    for status in [ReceiptStatus::Stored, ReceiptStatus::Duplicate] {
        let receipt = AttachmentReceipt { id: Uuid::nil(), inspection: Uuid::max(), sha256: safewalk_server::sha256_hex(b""), status, received_at: 1 };
        let receipt = serde_json::to_value(receipt).unwrap();
        assert_eq!(keys(&receipt), strings(&schema["required"]));
        assert_eq!(keys(&receipt), keys(&schema["properties"]));
        assert!(strings(&schema["properties"]["status"]["enum"]).contains(receipt["status"].as_str().unwrap()));
    }
}

#[test]
fn the_attachment_headers_and_types_are_the_checked_ones() {
    let spec = spec();
    let path = &spec["paths"]["/inspections/{id}/attachments/{attachment_id}"];
    let accepted: BTreeSet<String> = CONTENT_TYPES.iter().map(|(name, _, _)| name.to_string()).collect();
    let parameters = path["put"]["parameters"].as_array().unwrap();
    let header = |name: &str| parameters.iter().find(|p| p["in"] == "header" && p["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name))).cloned();
    assert_eq!(strings(&header("content-type").expect("Content-Type documented")["schema"]["enum"]), accepted);
    assert_eq!(header(CONTENT_SHA256.as_str()).expect("the hash header documented")["required"], true);
    assert_eq!(keys(&path["put"]["requestBody"]["content"]), accepted);
    assert_eq!(keys(&path["get"]["responses"]["200"]["content"]), accepted);
    for method in ["head", "get"] {
        assert!(keys(&path[method]["responses"]["200"]["headers"]).iter().any(|h| h.eq_ignore_ascii_case(CONTENT_SHA256.as_str())), "{method}");
    }
    let statuses = keys(&path["put"]["responses"]);
    for status in ["200", "201", "400", "401", "409", "413", "415", "422"] {
        assert!(statuses.contains(status), "PUT {status} undocumented");
    }
    assert_eq!(strings(&spec["components"]["schemas"]["Attachment"]["properties"]["content_type"]["enum"]), accepted);
}

/// An inspection with every optional part: hazards, exclusions, a follow-up.
fn full_payload() -> InspectionPayload {
    let library = fixture();
    let template = library.templates.iter().find(|t| t.rule_set.is_some()).expect("a graded fixture template");
    let mut inspection = Inspection::new(Uuid::nil(), template, 1);
    inspection.completed_at = Some(2);
    let item = template.items().next().unwrap().id.clone();
    inspection.hazards.insert(
        item.clone(),
        Hazard { grading: GradeChoice::Lowered { reason: "r".into() }, rectification: Rectification { on_the_spot: true, ..Rectification::default() } },
    );
    inspection.exclusions = vec!["stopped-operating".into()];
    inspection.follow_up = Some(FollowUp {
        of: Uuid::max(),
        checks: vec![HazardCheck {
            inspection: Uuid::max(),
            item: item.clone(),
            description: "d".into(),
            grade: Grade::Major,
            deadline: "2026-12-01".into(),
            verdict: Some(Verdict::Rectified),
            note: "n".into(),
        }],
    });
    let position = Position { lat: 31.23, lon: 121.47, accuracy_m: 12.0 };
    inspection.position = Some(position);
    let attachment = |n, kind| Attachment {
        id: Uuid::from_u128(n),
        kind,
        item: None,
        sha256: safewalk_server::sha256_hex(b""),
        content_type: "image/jpeg".into(),
        bytes: 1,
        width: 2,
        height: 3,
        taken_at: 4,
        position: None,
        signer: None,
    };
    inspection.attachments = vec![
        Attachment { item: Some(item.clone()), position: Some(position), ..attachment(1, AttachmentKind::Photo) },
        Attachment {
            content_type: "image/png".into(),
            signer: Some(Signer { name: "s".into(), role: SignerRole::SiteRepresentative }),
            ..attachment(2, AttachmentKind::Signature)
        },
    ];
    let mut payload = InspectionPayload::new(inspection);
    payload.grades.insert(item, GradeReport { grade: Grade::General, rule_grade: Grade::Major, because: LocalText { zh: "z".into(), en: "e".into() } });
    payload
}

#[test]
fn the_payload_schema_matches_what_the_app_sends() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let payload = serde_json::to_value(full_payload()).unwrap();
    documents(&schemas["InspectionPayload"], &payload, "InspectionPayload");
    let accepted: Vec<u64> = schemas["InspectionPayload"]["properties"]["schema"]["enum"].as_array().unwrap().iter().filter_map(Value::as_u64).collect();
    assert_eq!(accepted, safewalk_server::ACCEPTED_SCHEMAS.map(u64::from));
    assert!(accepted.contains(&u64::from(PAYLOAD_SCHEMA)));
    assert_eq!(payload["schema"], PAYLOAD_SCHEMA);

    let inspection = &payload["inspection"];
    documents(&schemas["Inspection"], inspection, "Inspection");
    assert_eq!(keys(&inspection["site"]), keys(&schemas["Inspection"]["properties"]["site"]["properties"]));
    assert_eq!(keys(&inspection["team"]), keys(&schemas["Inspection"]["properties"]["team"]["properties"]));
    let (item, hazard) = inspection["hazards"].as_object().unwrap().iter().next().unwrap();
    documents(&schemas["Hazard"], hazard, "Hazard");
    // The choice is externally tagged: a plain string, or {"lowered": {"reason": …}}.
    let grading = &schemas["Hazard"]["properties"]["grading"]["oneOf"];
    for choice in [GradeChoice::Rule, GradeChoice::Raised] {
        let value = serde_json::to_value(choice).unwrap();
        assert!(strings(&grading[0]["enum"]).contains(value.as_str().unwrap()), "{value}");
    }
    let lowered = serde_json::to_value(GradeChoice::Lowered { reason: "r".into() }).unwrap();
    assert_eq!(keys(&lowered), keys(&grading[1]["properties"]));
    assert_eq!(keys(&lowered["lowered"]), keys(&grading[1]["properties"]["lowered"]["properties"]));
    documents(&schemas["Rectification"], &hazard["rectification"], "Rectification");
    documents(&schemas["Position"], &inspection["position"], "Position");
    // A photo (item, position) and a signature (signer): together every field.
    let attachments = inspection["attachments"].as_array().unwrap();
    let attachment = &schemas["Attachment"];
    let sent: BTreeSet<String> = attachments.iter().flat_map(keys).collect();
    assert_eq!(sent, keys(&attachment["properties"]), "Attachment: sent vs documented");
    for (sent, kind) in attachments.iter().zip(["photo", "signature"]) {
        assert!(strings(&attachment["required"]).is_subset(&keys(sent)), "Attachment: required but not sent: {sent}");
        assert_eq!(sent["kind"], kind);
        assert!(strings(&attachment["properties"]["kind"]["enum"]).contains(kind));
        assert!(strings(&attachment["properties"]["content_type"]["enum"]).contains(sent["content_type"].as_str().unwrap()));
    }
    documents(&schemas["Position"], &attachments[0]["position"], "Attachment position");
    let signer = &attachments[1]["signer"];
    assert_eq!(keys(signer), keys(&attachment["properties"]["signer"]["properties"]));
    for role in [SignerRole::Inspector, SignerRole::SiteRepresentative] {
        let role = serde_json::to_value(role).unwrap();
        assert!(strings(&attachment["properties"]["signer"]["properties"]["role"]["enum"]).contains(role.as_str().unwrap()));
    }
    documents(&schemas["FollowUp"], &inspection["follow_up"], "FollowUp");
    let check = &inspection["follow_up"]["checks"][0];
    documents(&schemas["HazardCheck"], check, "HazardCheck");
    assert!(strings(&schemas["HazardCheck"]["properties"]["verdict"]["enum"]).contains(check["verdict"].as_str().unwrap()));
    let report = &payload["grades"][item];
    documents(&schemas["GradeReport"], report, "GradeReport");
    documents(&schemas["LocalText"], &report["because"], "LocalText");
    for grade in [Grade::General, Grade::Major] {
        assert!(strings(&schemas["Grade"]["enum"]).contains(serde_json::to_value(grade).unwrap().as_str().unwrap()));
    }
    for verdict in [Verdict::Rectified, Verdict::NotRectified] {
        assert!(strings(&schemas["HazardCheck"]["properties"]["verdict"]["enum"]).contains(serde_json::to_value(verdict).unwrap().as_str().unwrap()));
    }
}

#[test]
fn the_stored_inspection_schema_matches_what_the_office_api_returns() {
    let spec = spec();
    let schema = &spec["components"]["schemas"]["StoredInspection"];
    let payload = serde_json::to_string(&full_payload()).unwrap();
    for follow_up_of in [None, Some(Uuid::max())] {
        let stored = StoredInspection { id: Uuid::nil(), payload: payload.clone(), received_at: 3, follow_up_of, attachments_received: 2 };
        let entry = safewalk_server::api_entry(&stored);
        assert_eq!(keys(&entry), strings(&schema["required"]), "every key, null or not");
        assert_eq!(keys(&entry), keys(&schema["properties"]));
    }
}

#[test]
fn the_library_schema_matches_what_get_templates_serves() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let library = serde_json::to_value(fixture()).unwrap();
    documents(&schemas["Library"], &library, "Library");
    assert_eq!(keys(&library), strings(&schemas["Library"]["required"]));
    assert_eq!(library["format"], schemas["Library"]["properties"]["format"]["const"]);
    let rule_set = &library["rule_sets"][0];
    documents(&schemas["RuleSet"], rule_set, "RuleSet");
    documents(&schemas["Named"], &rule_set["site_classes"][0], "Named");
    let threshold = &rule_set["thresholds"][0];
    documents(&schemas["RuleSet"]["properties"]["thresholds"]["items"], threshold, "Threshold");
}
