//! What travels to the office: the completed inspection as the receiver stores it, and
//! the receipt that proves it arrived. One schema, used by the app and the receiver.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::rule_set::RuleSet;
use crate::catalogue::template::Template;
use crate::grading::graded::Graded;
use crate::inspection::determination::Standing;
use crate::inspection::hazard::Grade;
use crate::inspection::Inspection;
use crate::text::LocalText;

/// The newest payload schema this build sends. Schema 2 added `grades`; schema 3 adds
/// `inspection.task`, the office task the inspection was started from; schema 4
/// `inspection.paperwork`, the documents issued on the spot; schema 5
/// `inspection.follow_up.order`, the order a re-inspection follows up. The collective
/// determination (`inspection.determination`, each grade's `standing`) came within schema 2
/// as optional fields, so a receiver that predates them still accepts the payload and a
/// payload that predates them still reads. Since records are sealed (the SHA-256 of the
/// payload as the receiver reads it back), a new field that matters needs a new schema: a
/// receiver that predates it would drop it silently, and its seal would not match the paper.
pub const PAYLOAD_SCHEMA: u32 = 5;

/// The schema a payload of `inspection` is sent as: the lowest that holds what it carries —
/// 5 with a follow-up's order, else 4 with paperwork, else 3 with a task, else 2. So an
/// inspection without them reads byte for byte as before (a receiver that predates them
/// still takes it, and a record queued before an update is still identical to what an
/// earlier attempt may have stored).
pub fn schema_for(inspection: &Inspection) -> u32 {
    if inspection.follow_up.as_ref().is_some_and(|f| f.order.is_some()) {
        PAYLOAD_SCHEMA
    } else if inspection.paperwork.is_some() {
        4
    } else if inspection.task.is_some() {
        3
    } else {
        2
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionPayload {
    pub schema: u32,
    pub inspection: Inspection,
    /// The settled grade of every hazard, keyed by item id, with why: so the office reads
    /// the grade the inspector saw without re-running the rules.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grades: BTreeMap<String, GradeReport>,
}

/// One hazard's grade as delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeReport {
    /// After the inspector's choice (raised, or lowered with a reason).
    pub grade: Grade,
    /// What the rules alone determined.
    pub rule_grade: Grade,
    /// The explanation, in both languages.
    pub because: LocalText,
    /// Where the grade stands with the collective determination: a major fire hazard is
    /// `suspected` until the inspection's `determination` settles it. Left out for `direct`
    /// (no determination needed), as payloads from before it say nothing.
    #[serde(default, skip_serializing_if = "Standing::is_direct")]
    pub standing: Standing,
}

impl InspectionPayload {
    /// A payload without grades (an inspection with no hazards needs none).
    pub fn new(inspection: Inspection) -> InspectionPayload {
        InspectionPayload { schema: schema_for(&inspection), inspection, grades: BTreeMap::new() }
    }

    /// A payload with the grade of every hazard, determined with `template` (the edition
    /// the inspection was started with) and the rule set it names, if the device has it.
    pub fn graded(inspection: Inspection, template: &Template, rule_set: Option<&RuleSet>) -> InspectionPayload {
        let graded = Graded::new(&inspection, template, rule_set);
        let grades = graded
            .grades()
            .into_iter()
            .filter_map(|(item, grade)| {
                let report = GradeReport {
                    grade,
                    rule_grade: graded.rule_grade(&item)?,
                    because: graded.explain(&item)?,
                    standing: graded.standing(&item),
                };
                Some((item, report))
            })
            .collect();
        InspectionPayload { schema: schema_for(&inspection), inspection, grades }
    }
}

/// The receiver's answer to a delivery it accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The inspection id the receiver stored: must equal the one sent.
    pub id: Uuid,
    /// "stored" the first time, "duplicate" for an identical resubmission.
    pub status: ReceiptStatus,
    /// When the receiver first stored it, milliseconds since the Unix epoch.
    pub received_at: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    Stored,
    Duplicate,
}

/// The receiver's answer to an attachment it accepted (`201` stored, `200` duplicate).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentReceipt {
    /// The attachment id: must equal the one sent.
    pub id: Uuid,
    /// The inspection it belongs to: must equal the one sent.
    pub inspection: Uuid,
    /// The hash of the bytes the receiver holds.
    pub sha256: String,
    pub status: ReceiptStatus,
    /// When the receiver first stored it, milliseconds since the Unix epoch.
    pub received_at: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::fixtures;
    use crate::inspection::attachment::tests::HASH;
    use crate::inspection::hazard::GradeChoice;

    #[test]
    fn an_attachment_receipt_reads_as_the_receiver_writes_it() {
        let body = format!(
            r#"{{"id":"{}","inspection":"{}","sha256":"{HASH}","status":"duplicate","received_at":7}}"#,
            Uuid::from_u128(2),
            Uuid::from_u128(1)
        );
        let receipt: AttachmentReceipt = serde_json::from_str(&body).unwrap();
        assert_eq!((receipt.id, receipt.inspection, receipt.status), (Uuid::from_u128(2), Uuid::from_u128(1), ReceiptStatus::Duplicate));
    }

    #[test]
    fn a_graded_payload_reports_each_hazards_settled_grade_rule_grade_and_why() {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(1, "mall", &["ev-1", "sm-1", "de-1", "pl-1"]);
        for item in ["ev-1", "sm-1", "de-1", "pl-1"] {
            i.edit_hazard(&t, item, 2, fixtures::full_rectification).unwrap();
        }
        i.edit_hazard(&t, "sm-1", 3, |h| h.grading = GradeChoice::Lowered { reason: "Fan repaired on site".into() }).unwrap();
        i.edit_hazard(&t, "pl-1", 3, |h| h.grading = GradeChoice::Raised).unwrap();
        i.complete(&t, Some(&r), 4).unwrap();
        let payload = InspectionPayload::graded(i.clone(), &t, Some(&r));
        assert_eq!(payload.schema, 2, "without a task, schema 2 as before");
        assert_eq!(payload.inspection, i);
        assert_eq!(payload.grades.keys().collect::<Vec<_>>(), vec!["de-1", "ev-1", "pl-1", "sm-1"]);
        let ev = &payload.grades["ev-1"];
        assert_eq!((ev.grade, ev.rule_grade), (Grade::Major, Grade::Major));
        assert!(ev.because.en.starts_with("major: 3 evacuation, smoke control or combustible decoration elements"));
        assert!(ev.because.en.contains(&r.standard));
        let sm = &payload.grades["sm-1"];
        assert_eq!((sm.grade, sm.rule_grade), (Grade::General, Grade::Major));
        let pl = &payload.grades["pl-1"];
        assert_eq!((pl.grade, pl.rule_grade), (Grade::Major, Grade::General));
        assert!(pl.because.zh.starts_with("一般隐患："), "the explanation is the rules'; the choice is in the record");

        let json = serde_json::to_string(&payload).unwrap();
        let back: InspectionPayload = serde_json::from_str(&json).unwrap();
        assert_eq!(back, payload);
    }

    #[test]
    fn an_inspection_from_a_task_is_sent_as_schema_3_with_its_task() {
        let (t, mut i) = crate::inspection::record::tests::new_demo();
        assert_eq!(InspectionPayload::graded(i.clone(), &t, None).schema, 2);
        assert!(serde_json::to_value(&i).unwrap().get("task").is_none(), "no task, no key: the canonical text is unchanged");
        i.task = Some(Uuid::from_u128(9));
        let payload = InspectionPayload::graded(i.clone(), &t, None);
        assert_eq!(payload.schema, 3);
        let json = serde_json::to_value(&payload).unwrap();
        assert_eq!(
            (json["schema"].as_u64(), json["inspection"]["task"].as_str()),
            (Some(3), Some(Uuid::from_u128(9).to_string().as_str()))
        );
        assert_eq!(serde_json::from_value::<InspectionPayload>(json).unwrap(), payload);
        i.paperwork = Some(Default::default());
        assert_eq!(InspectionPayload::graded(i.clone(), &t, None).schema, 4, "paperwork: schema 4");
        i.task = None;
        assert_eq!(InspectionPayload::graded(i, &t, None).schema, 4, "paperwork without a task is still schema 4");
    }

    #[test]
    fn a_follow_up_naming_its_order_is_sent_as_schema_5_and_one_without_as_before() {
        use crate::inspection::follow_up::FollowUp;
        use crate::inspection::paperwork::{DocumentKind, IssuedDocument};
        let (t, mut i) = crate::inspection::record::tests::new_demo();
        i.follow_up = Some(FollowUp { of: Uuid::from_u128(1), checks: Vec::new(), order: None });
        assert_eq!(InspectionPayload::new(i.clone()).schema, 2, "a follow-up from before orders were copied");
        let order = IssuedDocument { kind: DocumentKind::OrderToRectify, number: "n".into(), year: 2026, serial: 1, issued_at: 5 };
        i.follow_up = Some(FollowUp { of: Uuid::from_u128(1), checks: Vec::new(), order: Some(order.clone()) });
        let payload = InspectionPayload::graded(i.clone(), &t, None);
        assert_eq!(payload.schema, PAYLOAD_SCHEMA);
        assert_eq!(PAYLOAD_SCHEMA, 5);
        let json = serde_json::to_value(&payload).unwrap();
        assert_eq!(json["inspection"]["follow_up"]["order"]["number"], "n");
        assert_eq!(serde_json::from_value::<InspectionPayload>(json).unwrap().inspection.follow_up.and_then(|f| f.order), Some(order));
        i.paperwork = Some(Default::default());
        assert_eq!(InspectionPayload::new(i).schema, 5, "with paperwork too");
    }

    #[test]
    fn without_hazards_a_graded_payload_is_the_plain_one() {
        let (t, i) = crate::inspection::record::tests::new_demo();
        assert_eq!(InspectionPayload::graded(i.clone(), &t, None), InspectionPayload::new(i));
    }

    #[test]
    fn grades_say_which_majors_are_suspected_and_a_payload_from_before_standings_reads_as_direct() {
        let (t, r) = (fixtures::elements_template(), fixtures::elements_rule_set());
        let mut i = fixtures::elements_inspection("mall", &["stair-type", "signs", "decoration", "tank-farm", "plain"]);
        for item in ["stair-type", "signs", "decoration", "tank-farm", "plain"] {
            i.set_note(&t, item, "found", 2).unwrap();
            i.edit_hazard(&t, item, 2, fixtures::full_rectification).unwrap();
        }
        let mut determined = i.clone();
        i.complete(&t, Some(&r), 4).unwrap();
        let payload = InspectionPayload::graded(i, &t, Some(&r));
        assert_eq!(payload.grades["tank-farm"].standing, Standing::Suspected);
        assert_eq!(payload.grades["plain"].standing, Standing::Direct);
        let json = serde_json::to_value(&payload).unwrap();
        assert_eq!(json["grades"]["tank-farm"]["standing"], "suspected");
        assert!(json["grades"]["plain"].get("standing").is_none(), "direct is left out");
        assert!(json["inspection"].get("determination").is_none());

        let ids = ["stair-type", "signs", "tank-farm", "decoration"];
        determined.set_determination(Some(crate::inspection::determination::tests::settling(&ids)), 3).unwrap();
        determined.complete(&t, Some(&r), 4).unwrap();
        let payload = InspectionPayload::graded(determined, &t, Some(&r));
        let standings: Vec<(&str, Standing, Grade)> = payload.grades.iter().map(|(k, g)| (k.as_str(), g.standing, g.grade)).collect();
        assert_eq!(
            standings,
            vec![
                ("decoration", Standing::DeterminedMajor, Grade::Major),
                ("plain", Standing::Direct, Grade::General),
                ("signs", Standing::DeterminedMajor, Grade::Major),
                ("stair-type", Standing::DeterminedNotMajor, Grade::General),
                ("tank-farm", Standing::DeterminedMajor, Grade::Major),
            ]
        );
        let json = serde_json::to_string(&payload).unwrap();
        assert!(
            json.contains(r#""standing":"determined_not_major""#) && json.contains(r#""determination":{"date":"2026-12-03""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<InspectionPayload>(&json).unwrap(), payload);

        // A grade as an older build sent it.
        let old: GradeReport = serde_json::from_str(r#"{"grade":"major","rule_grade":"major","because":{"zh":"z","en":"e"}}"#).unwrap();
        assert_eq!(old.standing, Standing::Direct);
    }
}
