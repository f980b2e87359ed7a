//! docs/openapi.json must say what the receiver and the core types really do: the same
//! paths; schemas whose required fields are the fields the types serialise; every enum the
//! exact set of values its Rust type serialises; `null` declared exactly where a type
//! serialises it; and every error response the JSON `{"error": string}` the receiver
//! answers. (scripts/schemathesis checks the running receiver against the same file.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use safewalk_core::assignment::pull::{Pull, TaskKind, TaskState};
use safewalk_core::catalogue::library::LIBRARY_FORMAT;
use safewalk_core::delivery::payload::AttachmentReceipt;
use safewalk_core::delivery::payload::{GradeReport, InspectionPayload, Receipt, ReceiptStatus, PAYLOAD_SCHEMA};
use safewalk_core::documents::numbering::SerialBlock;
use safewalk_core::grading::Grade;
use safewalk_core::grading::{RuleSet, RULE_SET_FORMAT};
use safewalk_core::inspection::attachment::{Attachment, AttachmentKind, Position, Signer, SignerRole};
use safewalk_core::inspection::determination::{CollectiveDetermination, Conclusion, ExpertPanel, Person, Standing};
use safewalk_core::inspection::follow_up::{FollowUp, HazardCheck, Verdict};
use safewalk_core::inspection::hazard::{GradeChoice, Hazard, Rectification};
use safewalk_core::inspection::paperwork::{AgencyParticulars, DocumentKind, IssuedDocument, Officer, Paperwork, Refusal};
use safewalk_core::rectification::register::HazardStatus;
use safewalk_core::{Answer, Inspection, ItemAnswer, LocalText};
use safewalk_server::people::Role;
use safewalk_server::store::sync::{Counter, PulledHazard, PulledSite, PulledTask};
use safewalk_server::store::StoredInspection;
use safewalk_server::{CONTENT_SHA256, CONTENT_TYPES};
use serde::Serialize;
use serde_json::{json, Value};
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
fn fixture() -> safewalk_core::catalogue::library::Library {
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
        let receipt = AttachmentReceipt {
            id: Uuid::nil(),
            inspection: Uuid::max(),
            sha256: safewalk_server::sha256_hex(b""),
            status,
            received_at: 1,
        };
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
    let header = |name: &str| {
        parameters.iter().find(|p| p["in"] == "header" && p["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name))).cloned()
    };
    assert_eq!(strings(&header("content-type").expect("Content-Type documented")["schema"]["enum"]), accepted);
    assert_eq!(header(CONTENT_SHA256.as_str()).expect("the hash header documented")["required"], true);
    assert_eq!(keys(&path["put"]["requestBody"]["content"]), accepted);
    assert_eq!(keys(&path["get"]["responses"]["200"]["content"]), accepted);
    for method in ["head", "get"] {
        assert!(
            keys(&path[method]["responses"]["200"]["headers"]).iter().any(|h| h.eq_ignore_ascii_case(CONTENT_SHA256.as_str())),
            "{method}"
        );
    }
    let statuses = keys(&path["put"]["responses"]);
    for status in ["200", "201", "400", "401", "409", "413", "415", "422"] {
        assert!(statuses.contains(status), "PUT {status} undocumented");
    }
    assert_eq!(strings(&spec["components"]["schemas"]["Attachment"]["properties"]["content_type"]["enum"]), accepted);
}

/// The office's particulars with every field, a code of each kind's default replaced.
fn full_particulars() -> AgencyParticulars {
    AgencyParticulars {
        agency: "安溪县应急管理局".into(),
        region: "安".into(),
        pattern: "（{region}）应急{code}〔{year}〕{serial}号".into(),
        codes: BTreeMap::from([(DocumentKind::OrderToRectify, "责令".into())]),
        review_government: "安溪县人民政府".into(),
        review_department: "泉州市应急管理局".into(),
        court: "安溪县人民法院".into(),
    }
}

/// An inspection with every optional part: hazards, exclusions, a collective determination
/// with an expert panel, a follow-up, paperwork with a refusal and an issued document.
/// The order a re-inspection follows up, in the payload and in the pull.
fn an_order() -> IssuedDocument {
    IssuedDocument {
        kind: DocumentKind::OrderToRectify,
        number: "（安）应急责改〔2026〕3号".into(),
        year: 2026,
        serial: 3,
        issued_at: 1_780_000_000_000,
    }
}

fn full_payload() -> InspectionPayload {
    let library = fixture();
    let template = library.templates.iter().find(|t| t.rule_set.is_some()).expect("a graded fixture template");
    let mut inspection = Inspection::new(Uuid::nil(), template, 1);
    inspection.completed_at = Some(2);
    inspection.site.uscc = "91350100M000100Y43".into();
    let item = template.items().next().unwrap().id.clone();
    inspection.hazards.insert(
        item.clone(),
        Hazard {
            grading: GradeChoice::Lowered { reason: "r".into() },
            rectification: Rectification { on_the_spot: true, ..Rectification::default() },
        },
    );
    // Every answer, and a note without one (its `answer` left out, not null).
    let items: Vec<String> = template.items().map(|i| i.id.clone()).collect();
    assert!(items.len() >= 3, "the graded fixture has three items");
    inspection.answers.insert(items[0].clone(), ItemAnswer { answer: Some(Answer::Hazard), note: "n".into() });
    inspection.answers.insert(items[1].clone(), ItemAnswer { answer: Some(Answer::Compliant), note: String::new() });
    inspection.answers.insert(items[2].clone(), ItemAnswer { answer: Some(Answer::NotApplicable), note: String::new() });
    inspection.answers.insert("unlisted".into(), ItemAnswer { answer: None, note: "only a note".into() });
    // The other two grade choices, plain strings.
    inspection.hazards.insert(items[1].clone(), Hazard { grading: GradeChoice::Rule, ..Hazard::default() });
    inspection.hazards.insert(items[2].clone(), Hazard { grading: GradeChoice::Raised, ..Hazard::default() });
    inspection.exclusions = vec!["stopped-operating".into()];
    inspection.task = Some(Uuid::from_u128(7));
    let person = |n: usize| Person { name: format!("p{n}"), role: "r".into() };
    inspection.determination = Some(CollectiveDetermination {
        date: "2026-12-03".into(),
        participants: (1..=3).map(person).collect(),
        panel: Some(ExpertPanel { members: (1..=7).map(person).collect(), votes_in_favour: 5 }),
        conclusions: BTreeMap::from([(items[0].clone(), Conclusion::NotMajor), (items[2].clone(), Conclusion::Major)]),
        reason: "why".into(),
    });
    inspection.follow_up = Some(FollowUp {
        of: Uuid::max(),
        checks: vec![
            HazardCheck {
                inspection: Uuid::max(),
                item: item.clone(),
                description: "d".into(),
                grade: Grade::Major,
                standing: Standing::Suspected,
                deadline: "2026-12-01".into(),
                verdict: Some(Verdict::Rectified),
                note: "n".into(),
            },
            HazardCheck {
                inspection: Uuid::max(),
                item: item.clone(),
                description: "not verified yet: no verdict (left out, not null)".into(),
                grade: Grade::General,
                standing: Default::default(),
                deadline: String::new(),
                verdict: None,
                note: String::new(),
            },
        ],
        order: Some(an_order()),
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
    inspection.paperwork = Some(Paperwork {
        agency: full_particulars(),
        officers: vec![Officer { name: "王明".into(), certificate: "35010012".into() }],
        principal_post: "总经理".into(),
        on_site_measures: "停止使用二号储罐".into(),
        refusal: Some(Refusal { witness: "李四".into(), note: "拒绝签字".into() }),
        issued: vec![IssuedDocument {
            kind: DocumentKind::OrderToRectify,
            number: "（安）应急责令〔2026〕17号".into(),
            year: 2026,
            serial: 17,
            issued_at: 3,
        }],
    });
    let mut payload = InspectionPayload::new(inspection);
    payload.grades.insert(
        item,
        GradeReport {
            grade: Grade::General,
            rule_grade: Grade::Major,
            because: LocalText { zh: "z".into(), en: "e".into() },
            standing: Standing::DeterminedNotMajor,
        },
    );
    payload
}

#[test]
fn the_payload_schema_matches_what_the_app_sends() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let payload = serde_json::to_value(full_payload()).unwrap();
    documents(&schemas["InspectionPayload"], &payload, "InspectionPayload");
    let accepted: Vec<u64> =
        schemas["InspectionPayload"]["properties"]["schema"]["enum"].as_array().unwrap().iter().filter_map(Value::as_u64).collect();
    assert_eq!(accepted, safewalk_server::ACCEPTED_SCHEMAS.map(u64::from));
    assert!(accepted.contains(&u64::from(PAYLOAD_SCHEMA)));
    assert_eq!(payload["schema"], PAYLOAD_SCHEMA);

    let inspection = &payload["inspection"];
    documents(&schemas["Inspection"], inspection, "Inspection");
    assert_eq!(keys(&inspection["site"]), keys(&schemas["Inspection"]["properties"]["site"]["properties"]));
    assert_eq!(keys(&inspection["team"]), keys(&schemas["Inspection"]["properties"]["team"]["properties"]));
    let item = payload["grades"].as_object().unwrap().keys().next().unwrap();
    let hazard = &inspection["hazards"][item];
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
    let paperwork = &inspection["paperwork"];
    documents(&schemas["Paperwork"], paperwork, "Paperwork");
    documents(&schemas["AgencyParticulars"], &paperwork["agency"], "AgencyParticulars");
    let paperwork_schema = &schemas["Paperwork"]["properties"];
    documents(&paperwork_schema["officers"]["items"], &paperwork["officers"][0], "Officer");
    documents(&paperwork_schema["refusal"], &paperwork["refusal"], "Refusal");
    documents(&schemas["IssuedDocument"], &paperwork["issued"][0], "IssuedDocument");
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
        assert!(strings(&schemas["HazardCheck"]["properties"]["verdict"]["enum"])
            .contains(serde_json::to_value(verdict).unwrap().as_str().unwrap()));
    }
}

#[test]
fn the_stored_inspection_schema_matches_what_the_office_api_returns() {
    let spec = spec();
    let schema = &spec["components"]["schemas"]["StoredInspection"];
    let payload = serde_json::to_string(&full_payload()).unwrap();
    for follow_up_of in [None, Some(Uuid::max())] {
        let stored = StoredInspection {
            id: Uuid::nil(),
            payload: payload.clone(),
            received_at: 3,
            follow_up_of,
            attachments_received: 2,
            submitted_by: None,
        };
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
    documents(&schemas["Named"], &rule_set["site_classes"][0], "Named");
    // A format 2 rule set (the built-in GB 35181-2017 by element) sends every field; its
    // thresholds list elements or take a chapter, the fixture's (format 1) name groups.
    let by_element: RuleSet = serde_json::from_str(include_str!("../../templates/rules/gb35181-2017-elements.json")).unwrap();
    let by_element = serde_json::to_value(by_element).unwrap();
    documents(&schemas["RuleSet"], &by_element, "RuleSet");
    documents(&schemas["RuleElement"], &by_element["elements"][0], "RuleElement");
    let threshold_schema = &schemas["RuleSet"]["properties"]["thresholds"]["items"];
    let mut sent = BTreeSet::new();
    for threshold in rule_set["thresholds"].as_array().unwrap().iter().chain(by_element["thresholds"].as_array().unwrap()) {
        assert!(strings(&threshold_schema["required"]).is_subset(&keys(threshold)), "Threshold: required but not sent");
        sent.extend(keys(threshold));
    }
    assert_eq!(sent, keys(&threshold_schema["properties"]), "Threshold: sent vs documented");
}

// ---------------------------------------------------------------------------------------
// Enums: every `enum` (and `const`) in the spec is the exact set of values a Rust type
// serialises, and no enum is left unchecked.

/// Every variant of a fieldless enum, by an exhaustive match: a new variant stops this file
/// compiling until the spec (and this list) say what it serialises to.
macro_rules! variants {
    ($t:ty: $($v:path),+ $(,)?) => {{
        let _exhaustive = |value: $t| match value { $($v)|+ => () };
        vec![$($v),+]
    }};
}

/// The JSON texts `values` serialise to.
fn serialised<T: Serialize>(values: impl IntoIterator<Item = T>) -> BTreeSet<String> {
    values.into_iter().map(|v| serde_json::to_value(v).unwrap().to_string()).collect()
}

/// A JSON pointer token (RFC 6901).
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Every `enum` and `const` of `value` (the spec), by the JSON pointer of the schema that
/// holds it, as the set of JSON texts it allows.
fn enums_in(value: &Value, at: &str, found: &mut BTreeMap<String, BTreeSet<String>>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Array(values)) = object.get("enum") {
                found.insert(at.to_string(), values.iter().map(Value::to_string).collect());
            }
            if let Some(value) = object.get("const") {
                found.insert(at.to_string(), BTreeSet::from([value.to_string()]));
            }
            for (key, child) in object {
                enums_in(child, &format!("{at}/{}", token(key)), found);
            }
        }
        Value::Array(items) => {
            for (n, child) in items.iter().enumerate() {
                enums_in(child, &format!("{at}/{n}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn every_enum_is_what_its_type_serialises() {
    let content_types = serialised(CONTENT_TYPES.iter().map(|(name, _, _)| *name));
    let statuses = serialised(variants!(ReceiptStatus: ReceiptStatus::Stored, ReceiptStatus::Duplicate));
    let grades = serialised(variants!(Grade: Grade::General, Grade::Major));
    let verdicts = serialised(variants!(Verdict: Verdict::Rectified, Verdict::NotRectified));
    let answers = serialised(variants!(Answer: Answer::Compliant, Answer::Hazard, Answer::NotApplicable));
    assert_eq!(answers, serialised(Answer::ALL), "Answer::ALL is every answer");
    let kinds = serialised(variants!(AttachmentKind: AttachmentKind::Photo, AttachmentKind::Signature));
    let roles = serialised(variants!(SignerRole: SignerRole::Inspector, SignerRole::SiteRepresentative, SignerRole::Witness));
    let standings =
        serialised(variants!(Standing: Standing::Direct, Standing::Suspected, Standing::DeterminedMajor, Standing::DeterminedNotMajor));
    let conclusions = serialised(variants!(Conclusion: Conclusion::Major, Conclusion::NotMajor));
    let document_kinds = serialised(variants!(DocumentKind:
        DocumentKind::InspectionRecord,
        DocumentKind::OrderToRectify,
        DocumentKind::ReInspectionOpinion,
        DocumentKind::MeasuresDecision,
        DocumentKind::FireInspectionRecord,
        DocumentKind::FireImmediateCorrection,
        DocumentKind::FireCorrectionByDeadline,
    ));
    assert_eq!(document_kinds, serialised(DocumentKind::ALL), "DocumentKind::ALL is every kind");
    // GradeChoice: its fieldless variants are strings; `lowered` is an object (checked below).
    let _exhaustive = |choice: GradeChoice| match choice {
        GradeChoice::Rule | GradeChoice::Raised | GradeChoice::Lowered { .. } => (),
    };
    let choices = serialised([GradeChoice::Rule, GradeChoice::Raised]);
    let lowered = serde_json::to_value(GradeChoice::Lowered { reason: String::new() }).unwrap();
    assert_eq!(keys(&lowered), BTreeSet::from(["lowered".to_string()]));
    let schemas = serialised(safewalk_server::ACCEPTED_SCHEMAS);
    let library = serde_json::to_value(fixture()).unwrap();
    assert_eq!(library["format"], LIBRARY_FORMAT);
    assert_eq!(library["rule_sets"][0]["format"], 1, "the fixture's rule set is format 1, still read");

    let attachment_path = "/paths/~1inspections~1{id}~1attachments~1{attachment_id}";
    let expected: BTreeMap<String, BTreeSet<String>> = [
        (format!("{attachment_path}/put/parameters/0/schema"), content_types.clone()),
        (format!("{attachment_path}/head/responses/200/headers/Content-Type/schema"), content_types.clone()),
        // What routes::attachments sends with the bytes.
        (format!("{attachment_path}/get/responses/200/headers/X-Content-Type-Options/schema"), serialised(["nosniff"])),
        ("/components/schemas/Attachment/properties/content_type".into(), content_types),
        ("/components/schemas/Receipt/properties/status".into(), statuses.clone()),
        ("/components/schemas/AttachmentReceipt/properties/status".into(), statuses),
        ("/components/schemas/InspectionPayload/properties/schema".into(), schemas),
        ("/components/schemas/Grade".into(), grades),
        ("/components/schemas/DocumentKind".into(), document_kinds),
        ("/components/schemas/Standing".into(), standings),
        ("/components/schemas/CollectiveDetermination/properties/conclusions/additionalProperties".into(), conclusions),
        ("/components/schemas/HazardCheck/properties/verdict".into(), verdicts),
        ("/components/schemas/Inspection/properties/answers/additionalProperties/properties/answer".into(), answers),
        ("/components/schemas/Hazard/properties/grading/oneOf/0".into(), choices),
        ("/components/schemas/Attachment/properties/kind".into(), kinds),
        ("/components/schemas/Attachment/properties/signer/properties/role".into(), roles),
        ("/components/schemas/Library/properties/format".into(), serialised([LIBRARY_FORMAT])),
        ("/components/schemas/RuleSet/properties/format".into(), serialised([1, RULE_SET_FORMAT])),
        // What routes::me answers.
        ("/components/schemas/Person/properties/role".into(), serialised(Role::ALL.map(Role::as_str))),
        // The pull (GET /sync).
        ("/components/schemas/Task/properties/kind".into(), serialised(variants!(TaskKind: TaskKind::Inspection, TaskKind::ReInspection))),
        (
            "/components/schemas/Task/properties/state".into(),
            serialised(variants!(TaskState: TaskState::Assigned, TaskState::Taken, TaskState::Delivered, TaskState::Withdrawn)),
        ),
        (
            "/components/schemas/RegisterEntry/properties/status/properties/status".into(),
            // Internally tagged: the tag of each variant.
            serialised(
                [HazardStatus::Open, HazardStatus::RectifiedOnTheSpot, HazardStatus::Closed { by: Uuid::nil(), at: 0 }]
                    .iter()
                    .map(|s| serde_json::to_value(s).unwrap()["status"].clone()),
            ),
        ),
        // What routes::health answers (scripts/schemathesis checks the live answer).
        ("/paths/~1health/get/responses/200/content/application~1json/schema/properties/status".into(), serialised(["ok"])),
    ]
    .into_iter()
    .collect();
    let mut documented = BTreeMap::new();
    enums_in(&spec(), "", &mut documented);
    for (at, values) in &expected {
        assert_eq!(documented.get(at), Some(values), "{at}: the spec's enum vs what the type serialises");
    }
    let unchecked: Vec<&String> = documented.keys().filter(|at| !expected.contains_key(*at)).collect();
    assert!(unchecked.is_empty(), "enums in the spec this test does not tie to a type: {unchecked:?}");
    // The `lowered` choice is the spec's other branch.
    let grading = &spec()["components"]["schemas"]["Hazard"]["properties"]["grading"]["oneOf"];
    assert_eq!(keys(&lowered), keys(&grading[1]["properties"]));
}

// ---------------------------------------------------------------------------------------
// Values against schemas: types, enums, required fields, and where `null` may stand.

/// Whether `schema` (a spec node, `$ref`s not followed) lets `null` through.
fn declares_null(schema: &Value) -> bool {
    let by_type = match &schema["type"] {
        Value::String(t) => t == "null",
        Value::Array(types) => types.iter().any(|t| t == "null"),
        _ => false,
    };
    by_type || schema["enum"].as_array().is_some_and(|e| e.contains(&Value::Null)) || schema.get("const").is_some_and(Value::is_null)
}

/// Every schema node of the spec that lets `null` through, by JSON pointer.
fn nullable_in(value: &Value, at: &str, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            if declares_null(value) {
                found.insert(at.to_string());
            }
            for (key, child) in object {
                // `example`/`default` hold values, not schemas.
                if key != "example" && key != "default" && key != "examples" {
                    nullable_in(child, &format!("{at}/{}", token(key)), found);
                }
            }
        }
        Value::Array(items) => {
            for (n, child) in items.iter().enumerate() {
                nullable_in(child, &format!("{at}/{n}"), found);
            }
        }
        _ => {}
    }
}

/// A small JSON Schema reader, enough for this spec: `$ref` (inside the file; others are
/// not followed), `type`, `enum`, `const`, `required`, `properties`, `additionalProperties`,
/// `items`, `oneOf`. It notes the schema of every `null` it meets.
struct Check<'a> {
    spec: &'a Value,
    /// The schemas (JSON pointers) a `null` was validated against.
    nulls: BTreeSet<String>,
}

impl Check<'_> {
    /// What is wrong with `value` (at `path`) against the schema at pointer `at`.
    fn problems(&mut self, at: &str, value: &Value, path: &str) -> Vec<String> {
        let schema = self.spec.pointer(at).unwrap_or_else(|| panic!("{at}: no such schema"));
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return match reference.strip_prefix('#') {
                Some(pointer) => self.problems(pointer, value, path),
                None => Vec::new(), // another file (template.schema.json): its own checks
            };
        }
        let mut problems = Vec::new();
        if value.is_null() {
            self.nulls.insert(at.to_string());
        }
        if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
            let mut matched = Vec::new();
            for n in 0..branches.len() {
                let mut inner = Check { spec: self.spec, nulls: BTreeSet::new() };
                if inner.problems(&format!("{at}/oneOf/{n}"), value, path).is_empty() {
                    matched.push(inner.nulls);
                }
            }
            match matched.len() {
                1 => self.nulls.extend(matched.pop().unwrap()),
                n => problems.push(format!("{path}: {value} matches {n} of oneOf at {at}")),
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                problems.push(format!("{path}: {value} not in the enum at {at}"));
            }
        }
        if let Some(constant) = schema.get("const") {
            if constant != value {
                problems.push(format!("{path}: {value} is not the const at {at}"));
            }
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let is = |t: &str| match t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "object" => value.is_object(),
            "array" => value.is_array(),
            other => panic!("{at}: type {other}?"),
        };
        if !types.is_empty() && !types.iter().any(|t| is(t)) {
            problems.push(format!("{path}: {value} is not of type {types:?} ({at})"));
        }
        if value.is_null() && !declares_null(schema) && schema.get("oneOf").is_none() {
            problems.push(format!("{path}: null where {at} does not declare it"));
        }
        if let Value::Object(object) = value {
            for required in strings(&schema["required"]) {
                if !object.contains_key(&required) {
                    problems.push(format!("{path}: required {required} missing ({at})"));
                }
            }
            for (key, child) in object {
                let child_path = format!("{path}.{key}");
                if schema["properties"].get(key).is_some() {
                    problems.extend(self.problems(&format!("{at}/properties/{}", token(key)), child, &child_path));
                } else if schema["additionalProperties"].is_object() {
                    problems.extend(self.problems(&format!("{at}/additionalProperties"), child, &child_path));
                } else if schema["additionalProperties"] == false {
                    problems.push(format!("{child_path}: not allowed by {at}"));
                }
            }
        }
        if let (Value::Array(items), Some(_)) = (value, schema.get("items")) {
            for (n, item) in items.iter().enumerate() {
                problems.extend(self.problems(&format!("{at}/items"), item, &format!("{path}[{n}]")));
            }
        }
        problems
    }

    fn valid(&mut self, at: &str, value: &Value, what: &str) {
        let problems = self.problems(at, value, what);
        assert!(problems.is_empty(), "{what} against {at}:\n{}", problems.join("\n"));
    }
}

/// A completed inspection with nothing optional: no hazards, answers, follow-up,
/// attachments or position.
fn bare_payload() -> InspectionPayload {
    let library = fixture();
    let template = library.templates.iter().find(|t| t.rule_set.is_none()).unwrap_or(&library.templates[0]);
    let mut inspection = Inspection::new(Uuid::from_u128(7), template, 1);
    inspection.completed_at = Some(2);
    InspectionPayload::new(inspection)
}

#[test]
fn what_the_types_serialise_is_valid_and_null_only_where_the_spec_says() {
    let spec = spec();
    let mut check = Check { spec: &spec, nulls: BTreeSet::new() };
    let payloads = [full_payload(), bare_payload(), InspectionPayload { schema: 1, ..bare_payload() }];
    for payload in &payloads {
        check.valid("/components/schemas/InspectionPayload", &serde_json::to_value(payload).unwrap(), "payload");
        for follow_up_of in [None, Some(Uuid::max())] {
            for attachments_received in [0, 2] {
                let stored = StoredInspection {
                    id: payload.inspection.id,
                    payload: serde_json::to_string(payload).unwrap(),
                    received_at: 3,
                    follow_up_of,
                    attachments_received,
                    submitted_by: (attachments_received > 0).then(|| "5f0c8a52-1b43-4a53-9d8e-4f4f5a1b6f00".into()),
                };
                let entry = safewalk_server::api_entry(&stored);
                check.valid("/components/schemas/StoredInspection", &entry, "/api/inspections/{id}");
                let page = json!({ "total": 1, "offset": 0, "limit": 50, "items": [entry] });
                check.valid("/paths/~1api~1inspections/get/responses/200/content/application~1json/schema", &page, "/api/inspections");
            }
        }
    }
    for status in variants!(ReceiptStatus: ReceiptStatus::Stored, ReceiptStatus::Duplicate) {
        let receipt = serde_json::to_value(Receipt { id: Uuid::nil(), status, received_at: 1 }).unwrap();
        check.valid("/components/schemas/Receipt", &receipt, "Receipt");
        let receipt = AttachmentReceipt {
            id: Uuid::nil(),
            inspection: Uuid::max(),
            sha256: safewalk_server::sha256_hex(b""),
            status,
            received_at: 1,
        };
        check.valid("/components/schemas/AttachmentReceipt", &serde_json::to_value(receipt).unwrap(), "AttachmentReceipt");
    }
    check.valid("/components/schemas/Library", &serde_json::to_value(fixture()).unwrap(), "Library");
    check.valid("/components/schemas/Error", &json!({ "error": "message" }), "Error");

    // Each schema that declares null is one a type really serialises null into: an Option
    // without skip_serializing_if. Those with it are left out when None (never null), so
    // the spec leaves them non-nullable and the receiver refuses an explicit null.
    let mut declared = BTreeSet::new();
    nullable_in(&spec, "", &mut declared);
    assert_eq!(declared, check.nulls, "schemas declaring null vs schemas a serialised null met");
    assert_eq!(
        check.nulls,
        BTreeSet::from([
            "/components/schemas/StoredInspection/properties/follow_up_of".to_string(),
            "/components/schemas/StoredInspection/properties/submitted_by".to_string()
        ])
    );
}

#[test]
fn optional_fields_are_left_out_never_null() {
    // What serde does with each Option of the payload when it is None: absent.
    let payload = serde_json::to_value(bare_payload()).unwrap();
    let inspection = &payload["inspection"];
    for absent in ["follow_up", "position", "attachments", "hazards", "exclusions"] {
        assert!(inspection.get(absent).is_none(), "{absent}: {inspection}");
    }
    assert!(payload.get("grades").is_none());
    let schemas = &spec()["components"]["schemas"];
    for field in ["follow_up", "position", "completed_at"] {
        assert!(!declares_null(&schemas["Inspection"]["properties"][field]), "Inspection.{field} must not be nullable");
    }
    let full = serde_json::to_value(full_payload()).unwrap();
    let unverified = &full["inspection"]["follow_up"]["checks"][1];
    assert!(unverified.get("verdict").is_none(), "{unverified}");
    assert!(full["inspection"]["answers"]["unlisted"].get("answer").is_none());
    let signature = &full["inspection"]["attachments"][1];
    assert!(signature.get("item").is_none() && signature.get("position").is_none(), "{signature}");
}

// ---------------------------------------------------------------------------------------
// Error responses: every one is JSON `{"error": string}` (HEAD's carry no body); 401s name
// the scheme in WWW-Authenticate.

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// `response` (or a header), its `$ref` followed.
fn resolved<'a>(spec: &'a Value, response: &'a Value) -> &'a Value {
    match response.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).unwrap_or_else(|| panic!("{pointer}: no such response")),
        None => response,
    }
}

#[test]
fn every_error_response_is_the_json_error() {
    let spec = spec();
    let error = &spec["components"]["schemas"]["Error"];
    assert_eq!(error["type"], "object");
    assert_eq!(strings(&error["required"]), BTreeSet::from(["error".to_string()]));
    assert_eq!(keys(&error["properties"]), BTreeSet::from(["error".to_string()]));
    assert_eq!(error["properties"]["error"]["type"], "string");
    let mut seen = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let responses = operation["responses"].as_object().unwrap();
            for (status, response) in responses {
                let response = resolved(&spec, response);
                let code: u16 = status.parse().unwrap_or_else(|_| panic!("{method} {path}: status {status}"));
                if code < 400 {
                    continue;
                }
                seen += 1;
                let what = format!("{} {path} {status}", method.to_uppercase());
                if method == "head" {
                    assert!(response.get("content").is_none(), "{what}: a HEAD answer has no body");
                } else {
                    assert_eq!(keys(&response["content"]), BTreeSet::from(["application/json".to_string()]), "{what}: JSON only");
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
                        "{what}: the Error schema"
                    );
                }
                if code == 401 {
                    let header = resolved(&spec, &response["headers"]["WWW-Authenticate"]);
                    assert_eq!(header["required"], true, "{what}: WWW-Authenticate");
                    assert!(
                        header["schema"]["pattern"].as_str().is_some_and(|p| p.contains("Bearer")),
                        "{what}: WWW-Authenticate names Bearer"
                    );
                }
            }
            let statuses = keys(&operation["responses"]);
            let what = format!("{} {path}", method.to_uppercase());
            let protected = operation["security"].as_array().is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            // /join's credential is its one-time code.
            assert_eq!(protected, path != "/health" && path != "/join", "{what}: every path but /health and /join takes the token");
            if protected || path == "/join" {
                assert!(statuses.contains("401"), "{what}: 401 undocumented");
            }
            // A path parameter that is not a UUID is a 400.
            if path.contains('{') {
                assert!(statuses.contains("400"), "{what}: 400 undocumented");
            }
            // Every route but /health and /templates reads the database, which can fail.
            if path != "/health" && path != "/templates" {
                assert!(statuses.contains("500"), "{what}: 500 undocumented");
            }
        }
    }
    assert!(seen > 20, "{seen} error responses");
    let post = &spec["paths"]["/inspections"]["post"]["responses"];
    for status in ["400", "401", "409", "413", "415", "500"] {
        assert!(post.get(status).is_some(), "POST /inspections {status} undocumented");
    }
    for path in ["/api/inspections", "/office"] {
        let operation = &spec["paths"][path]["get"];
        assert!(operation["responses"].get("400").is_some(), "GET {path}: a bad offset or limit is a 400");
        let offset = operation["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "offset").expect("offset documented");
        assert_eq!(offset["schema"]["maximum"], i64::MAX, "GET {path}: offset beyond 2^63-1 is a 400");
    }
}

// ---------------------------------------------------------------------------------------
// Integer bounds: each integer of the payload declares the range its Rust type reads.

/// Every integer (not an enum) of `value`, by JSON pointer into the value, with its schema.
fn integers_in(spec: &Value, at: &str, value: &Value, path: &str, found: &mut Vec<(String, Value)>) {
    let schema = spec.pointer(at).unwrap_or_else(|| panic!("{at}: no such schema"));
    if let Some(pointer) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        return integers_in(spec, pointer, value, path, found);
    }
    match value {
        Value::Number(n) if n.is_u64() && schema["type"] == "integer" && schema.get("enum").is_none() => {
            found.push((path.to_string(), schema.clone()));
        }
        Value::Object(object) => {
            for (key, child) in object {
                let child_path = format!("{path}/{}", token(key));
                if schema["properties"].get(key).is_some() {
                    integers_in(spec, &format!("{at}/properties/{}", token(key)), child, &child_path, found);
                } else if schema["additionalProperties"].is_object() {
                    integers_in(spec, &format!("{at}/additionalProperties"), child, &child_path, found);
                }
            }
        }
        Value::Array(items) if schema.get("items").is_some() => {
            for (n, item) in items.iter().enumerate() {
                integers_in(spec, &format!("{at}/items"), item, &format!("{path}/{n}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn integer_bounds_are_what_the_payload_type_reads() {
    let spec = spec();
    let payload = serde_json::to_value(full_payload()).unwrap();
    let mut found = Vec::new();
    integers_in(&spec, "/components/schemas/InspectionPayload", &payload, "", &mut found);
    let places: BTreeSet<&str> = found.iter().map(|(at, _)| at.as_str()).collect();
    for expected in [
        "/inspection/created_at",
        "/inspection/completed_at",
        "/inspection/attachments/0/width",
        "/inspection/attachments/0/taken_at",
        "/inspection/paperwork/issued/0/year",
        "/inspection/paperwork/issued/0/serial",
        "/inspection/paperwork/issued/0/issued_at",
    ] {
        assert!(places.contains(expected), "{expected} not found in {places:?}");
    }
    // What the receiver does with the body: serde_json into the core type (numbers beyond
    // u64 are read as floats, which no integer field takes).
    let reads = |at: &str, number: i128| {
        let mut sent = payload.clone();
        *sent.pointer_mut(at).unwrap() = serde_json::from_str(&number.to_string()).unwrap();
        serde_json::from_value::<InspectionPayload>(sent).is_ok()
    };
    for (at, schema) in &found {
        let bound = |name: &str| {
            let bound = &schema[name];
            bound.as_i64().map(i128::from).or(bound.as_u64().map(i128::from)).unwrap_or_else(|| panic!("{at}: no {name} in {schema}"))
        };
        let (minimum, maximum) = (bound("minimum"), bound("maximum"));
        assert!(reads(at, minimum) && reads(at, maximum), "{at}: {minimum}..={maximum} is not all read");
        assert!(!reads(at, minimum - 1), "{at}: {} is read, below the declared minimum", minimum - 1);
        assert!(!reads(at, maximum + 1), "{at}: {} is read, above the declared maximum", maximum + 1);
    }
}

// ---------------------------------------------------------------------------------------
// Unknown fields: `additionalProperties: false` exactly where the type refuses an unknown
// key (deny_unknown_fields, or an externally tagged enum's one-key object).

/// Every object of `value` whose schema lists properties (a struct, not a map), by JSON
/// pointer into the value, with its schema (`$ref`s followed, `oneOf` resolved by shape).
fn structs_in(spec: &Value, at: &str, value: &Value, path: &str, found: &mut Vec<(String, Value)>) {
    let schema = spec.pointer(at).unwrap_or_else(|| panic!("{at}: no such schema"));
    if let Some(pointer) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        return structs_in(spec, pointer, value, path, found);
    }
    if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
        // The branch of the value's JSON type (this spec's oneOfs differ by type).
        if let Some(n) = branches.iter().position(|b| (b["type"] == "object") == value.is_object()) {
            structs_in(spec, &format!("{at}/oneOf/{n}"), value, path, found);
        }
        return;
    }
    match value {
        Value::Object(object) => {
            if schema.get("properties").is_some() {
                found.push((path.to_string(), schema.clone()));
            }
            for (key, child) in object {
                let child_path = format!("{path}/{}", token(key));
                if schema["properties"].get(key).is_some() {
                    structs_in(spec, &format!("{at}/properties/{}", token(key)), child, &child_path, found);
                } else if schema["additionalProperties"].is_object() {
                    structs_in(spec, &format!("{at}/additionalProperties"), child, &child_path, found);
                }
            }
        }
        Value::Array(items) if schema.get("items").is_some() => {
            for (n, item) in items.iter().enumerate() {
                structs_in(spec, &format!("{at}/items"), item, &format!("{path}/{n}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn unknown_fields_are_refused_exactly_where_the_spec_says() {
    let spec = spec();
    let payload = serde_json::to_value(full_payload()).unwrap();
    let mut found = Vec::new();
    structs_in(&spec, "/components/schemas/InspectionPayload", &payload, "", &mut found);
    assert!(found.len() >= 15, "{} objects", found.len());
    for (at, schema) in &found {
        let mut sent = payload.clone();
        sent.pointer_mut(at).unwrap().as_object_mut().unwrap().insert("unknown_field".into(), json!(1));
        let refused = serde_json::from_value::<InspectionPayload>(sent).is_err();
        let closed = schema["additionalProperties"] == false;
        assert_eq!(
            refused,
            closed,
            "{}: an unknown field is {} but additionalProperties is {}",
            if at.is_empty() { "/" } else { at },
            if refused { "refused" } else { "ignored" },
            schema["additionalProperties"]
        );
    }
}

/// A real answer of `GET /sync`, made by the receiver's own assembly from stored rows: a task
/// with every field, a site with a hazard (every optional field present) and one without.
fn real_pull() -> Pull {
    let site = Uuid::from_u128(10);
    let task = PulledTask {
        id: Uuid::from_u128(1).to_string(),
        year: 2026,
        seq: 7,
        kind: "re_inspection".into(),
        state: "taken".into(),
        site_id: site.to_string(),
        site_name: "东方商厦".into(),
        site_address: "肇嘉浜路1号".into(),
        site_category: "shopping-mall".into(),
        site_uscc: "91310000MA1FL8TQ2X".into(),
        template_id: "graded-shop".into(),
        due: "2026-12-09".into(),
        note: "bring the plans".into(),
        inspectors: vec!["王明".into(), "李华".into()],
    };
    let hazard = PulledHazard {
        site_id: site.to_string(),
        inspection: Uuid::from_u128(5).to_string(),
        item: "gs-exit-01".into(),
        site_name: "东方商厦".into(),
        template: "graded-shop".into(),
        grade: "major".into(),
        standing: "suspected".into(),
        description: "exit locked".into(),
        deadline: "2026-12-01".into(),
        found_at: 1,
        order: Some(an_order()),
    };
    let sites = vec![
        PulledSite { id: site.to_string(), name: "东方商厦".into(), address: "肇嘉浜路1号".into() },
        PulledSite { id: Uuid::from_u128(20).to_string(), name: "八佰伴".into(), address: String::new() },
    ];
    let counter = Counter { epoch: "a1b2".into(), value: 9 };
    let mut pull = safewalk_server::sync::pull(&counter, false, vec![task], sites, vec![hazard], Some("\"tag\"".into()), "2026-12-03");
    // What the office adds from its serial blocks and particulars (server/tests/papers.rs
    // pulls them for real).
    pull.serials = vec![SerialBlock { year: 2026, first: 1, last: 50, manual: false }];
    pull.agency = Some(full_particulars());
    pull
}

#[test]
fn the_pull_schema_matches_what_get_sync_answers() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let pull = real_pull();
    assert!(pull.tasks.len() == 1 && pull.sites.len() == 2 && pull.sites[0].open.len() == 1, "{pull:?}");
    let sent = serde_json::to_value(&pull).unwrap();
    documents(&schemas["Pull"], &sent, "Pull");
    documents(&schemas["Task"], &sent["tasks"][0], "Task");
    assert_eq!(keys(&sent["tasks"][0]["site_details"]), keys(&schemas["Task"]["properties"]["site_details"]["properties"]));
    documents(&schemas["SiteHazards"], &sent["sites"][0], "SiteHazards");
    documents(&schemas["RegisterEntry"], &sent["sites"][0]["open"][0], "RegisterEntry");
    documents(&schemas["AgencyParticulars"], &sent["agency"], "Pull agency");
    // The office never sends a manual block; the phone keeps the same type with the flag.
    let manual = serde_json::to_value(SerialBlock { year: 2026, first: 51, last: 60, manual: true }).unwrap();
    documents(&schemas["SerialBlock"], &manual, "SerialBlock");
    assert!(sent["serials"][0].get("manual").is_none(), "an office block leaves manual out: {sent}");
    let mut check = Check { spec: &spec, nulls: BTreeSet::new() };
    check.valid("/components/schemas/Pull", &sent, "Pull");
    let bare = Pull { cursor: "c".into(), full: true, tasks: vec![], sites: vec![], library: None, serials: vec![], agency: None };
    check.valid("/components/schemas/Pull", &serde_json::to_value(bare).unwrap(), "an empty full pull");
    assert!(check.nulls.is_empty(), "a pull has no nulls: {:?}", check.nulls);
}
