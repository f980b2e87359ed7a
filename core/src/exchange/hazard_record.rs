//! One hazard in the shape provincial dual-prevention (双重预防) systems exchange
//! (reference §9): no national standard exists, so this is the de-facto field set of the
//! hazardous-chemicals uploads, mapped from Safewalk's records as `docs/hazard-exchange.md`
//! tells. The office exports its register in this shape; [`HazardRecord`] reads back what
//! it wrote, so an export can be checked and re-imported.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::export::format_time;
use crate::catalogue::template::Template;
use crate::inspection::hazard::Grade;
use crate::inspection::Inspection;
use crate::rectification::register::{HazardStatus, RegisterEntry};

/// China Standard Time, in which the provincial systems keep their times.
const CST_MINUTES: i32 = 8 * 60;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardRecord {
    /// `<inspection uuid>/<item id>`: stable across exports.
    pub id: String,
    /// 隐患名称: the checklist item's text (zh), or its id when the edition is not known.
    pub name: String,
    /// 隐患级别.
    pub grade: Grade,
    /// 登记人: the inspectors of the inspection that found it.
    pub registrant: String,
    /// 登记时间: when that inspection was completed, `YYYY-MM-DD HH:MM` China time.
    pub registered_at: String,
    /// 隐患来源: a supervisory inspection (监督检查) or a re-inspection (复查) that found it.
    pub source: Source,
    /// 治理类型.
    pub handling: Handling,
    /// 隐患类型: the checklist section the item sits in.
    pub hazard_type: String,
    /// 隐患描述: the inspector's note.
    pub description: String,
    /// 原因分析: Safewalk does not record a cause; empty.
    pub cause: String,
    /// 整改措施 (or, fixed on the spot, what was done).
    pub measures: String,
    /// 整改资金.
    pub estimated_cost: String,
    /// 整改责任人.
    pub responsible: String,
    /// 整改期限 `YYYY-MM-DD`, empty when put right on the spot.
    pub deadline: String,
    /// 验收: who accepted, when, with what comment; absent while in rectification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Acceptance>,
    /// 治理状态.
    pub state: State,
    /// 整改前照片: the finding's photos (attachment ids).
    #[serde(default)]
    pub photos_before: Vec<Uuid>,
    /// 整改后照片: the closing re-inspection's photos of it.
    #[serde(default)]
    pub photos_after: Vec<Uuid>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Inspection,
    ReInspection,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handling {
    /// 即查即改.
    OnTheSpot,
    /// 限期整改.
    ByDeadline,
}

/// 治理状态. "Awaiting acceptance" (待验收) is never produced: Safewalk has no step where the
/// site reports a hazard fixed; a hazard goes from in rectification to accepted by a
/// re-inspection's verdict or the office's acceptance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    InRectification,
    AwaitingAcceptance,
    Accepted,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    pub by: String,
    /// `YYYY-MM-DD HH:MM` China time.
    pub at: String,
    pub comment: String,
}

/// What closed a hazard, as the office knows it: a re-inspection's verdict (its inspectors,
/// time, note and photos of the check) or the office's own acceptance (验收).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closing {
    pub by: String,
    /// Milliseconds since the Unix epoch.
    pub at: u64,
    pub comment: String,
    pub photos: Vec<Uuid>,
}

/// The record of `entry`, found by `found_in` (checklist edition `template` when known),
/// closed by `closing` when it is. A hazard put right on the spot is accepted by the
/// inspectors who saw it done, at the inspection's completion.
pub fn hazard_record(entry: &RegisterEntry, found_in: &Inspection, template: Option<&Template>, closing: Option<&Closing>) -> HazardRecord {
    let rectification = found_in.hazard(&entry.item).map(|h| h.rectification.clone()).unwrap_or_default();
    let registrant = found_in.team.inspector_names().join("、");
    let completed = found_in.completed_at.unwrap_or(entry.found_at);
    let on_the_spot = entry.status == HazardStatus::RectifiedOnTheSpot;
    let acceptance = match (closing, on_the_spot) {
        (Some(closing), _) => {
            Some(Acceptance { by: closing.by.clone(), at: format_time(closing.at, CST_MINUTES), comment: closing.comment.clone() })
        }
        (None, true) => Some(Acceptance {
            by: registrant.clone(),
            at: format_time(completed, CST_MINUTES),
            comment: rectification.on_the_spot_note.clone(),
        }),
        (None, false) => None,
    };
    HazardRecord {
        id: format!("{}/{}", entry.inspection, entry.item),
        name: template.and_then(|t| t.item(&entry.item)).map(|i| i.text.zh.clone()).unwrap_or_else(|| entry.item.clone()),
        grade: entry.grade,
        registrant,
        registered_at: format_time(completed, CST_MINUTES),
        source: if found_in.follow_up.is_some() { Source::ReInspection } else { Source::Inspection },
        handling: if rectification.on_the_spot { Handling::OnTheSpot } else { Handling::ByDeadline },
        hazard_type: template.and_then(|t| t.section_of(&entry.item)).map(|s| s.title.zh.clone()).unwrap_or_default(),
        description: entry.description.clone(),
        cause: String::new(),
        measures: if rectification.on_the_spot { rectification.on_the_spot_note.clone() } else { rectification.measures.clone() },
        estimated_cost: rectification.funds.clone(),
        responsible: rectification.person.clone(),
        deadline: entry.deadline.clone(),
        state: if acceptance.is_some() { State::Accepted } else { State::InRectification },
        acceptance,
        photos_before: found_in.attachments_of(&entry.item).filter(|a| !a.is_signature()).map(|a| a.id).collect(),
        photos_after: closing.map(|c| c.photos.clone()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::library::Library;
    use crate::grading::fixtures;
    use crate::inspection::attachment::tests::photo;
    use crate::rectification::register::register;

    fn found() -> (Template, Inspection) {
        let t = fixtures::template();
        let mut i = fixtures::inspection(1, "mall", &["pl-1", "dm-1"]);
        i.team.inspectors = "王明, 李华".into();
        i.edit_hazard(&t, "pl-1", 2, |h| {
            h.rectification.on_the_spot = true;
            h.rectification.on_the_spot_note = "当场清理".into();
        })
        .unwrap();
        i.edit_hazard(&t, "dm-1", 2, |h| {
            fixtures::full_rectification(h);
            h.rectification.funds = "2000".into();
        })
        .unwrap();
        i.add_attachment(photo(7, Some("dm-1")), 3).unwrap();
        // 2026-12-03 00:30 UTC is 08:30 in China.
        i.completed_at = Some(1_796_257_800_000);
        (t, i)
    }

    fn entries(t: &Template, i: &Inspection) -> Vec<RegisterEntry> {
        let library = Library { rule_sets: vec![fixtures::rule_set()], templates: vec![t.clone()], ..Library::new() };
        register(std::slice::from_ref(i), &library, "2026-12-03")
    }

    #[test]
    fn an_open_hazard_is_in_rectification_with_its_measures_cost_person_and_the_photos_of_its_finding() {
        let (t, i) = found();
        let entries = entries(&t, &i);
        let dm = entries.iter().find(|e| e.item == "dm-1").unwrap();
        let record = hazard_record(dm, &i, Some(&t), None);
        assert_eq!(record.id, format!("{}/dm-1", i.id));
        assert_eq!((record.name.as_str(), record.grade, record.hazard_type.as_str()), ("直接一", Grade::Major, "其他"));
        assert_eq!((record.registrant.as_str(), record.registered_at.as_str()), ("王明、李华", "2026-12-03 08:30"));
        assert_eq!((record.source, record.handling, record.state), (Source::Inspection, Handling::ByDeadline, State::InRectification));
        let rectification = &i.hazard("dm-1").unwrap().rectification;
        assert_eq!(
            (&record.measures, &record.responsible, &record.deadline),
            (&rectification.measures, &rectification.person, &rectification.deadline)
        );
        assert_eq!((record.estimated_cost.as_str(), record.cause.as_str()), ("2000", ""));
        assert_eq!(record.acceptance, None);
        assert_eq!((record.photos_before, record.photos_after), (vec![Uuid::from_u128(7)], vec![]));
    }

    #[test]
    fn put_right_on_the_spot_it_is_accepted_by_the_inspectors_at_completion() {
        let (t, i) = found();
        let entries = entries(&t, &i);
        let pl = entries.iter().find(|e| e.item == "pl-1").unwrap();
        let record = hazard_record(pl, &i, Some(&t), None);
        assert_eq!((record.handling, record.state), (Handling::OnTheSpot, State::Accepted));
        assert_eq!(record.measures, "当场清理");
        assert_eq!(
            record.acceptance,
            Some(Acceptance { by: "王明、李华".into(), at: "2026-12-03 08:30".into(), comment: "当场清理".into() })
        );
    }

    #[test]
    fn a_closing_is_its_acceptance_with_the_after_photos_and_an_unknown_edition_names_the_item_by_id() {
        let (t, mut i) = found();
        let entries = entries(&t, &i);
        let dm = entries.iter().find(|e| e.item == "dm-1").unwrap();
        let closing = Closing { by: "赵强".into(), at: 1_796_344_200_000, comment: "已整改".into(), photos: vec![Uuid::from_u128(9)] };
        i.follow_up = Some(crate::inspection::follow_up::FollowUp { of: Uuid::from_u128(3), checks: vec![], order: None });
        let record = hazard_record(dm, &i, None, Some(&closing));
        assert_eq!((record.state, record.source), (State::Accepted, Source::ReInspection));
        assert_eq!(record.acceptance, Some(Acceptance { by: "赵强".into(), at: "2026-12-04 08:30".into(), comment: "已整改".into() }));
        assert_eq!(record.photos_after, vec![Uuid::from_u128(9)]);
        assert_eq!((record.name.as_str(), record.hazard_type.as_str()), ("dm-1", ""));
    }

    #[test]
    fn the_exported_shape_round_trips() {
        let (t, i) = found();
        let records: Vec<HazardRecord> = entries(&t, &i).iter().map(|e| hazard_record(e, &i, Some(&t), None)).collect();
        let json = serde_json::to_string(&records).unwrap();
        assert!(json.contains(r#""state":"in_rectification""#) && json.contains(r#""handling":"on_the_spot""#), "{json}");
        assert_eq!(serde_json::from_str::<Vec<HazardRecord>>(&json).unwrap(), records);
    }
}
