//! Which papers an inspection calls for. Production safety (emergency management) and fire
//! supervision each have their own set (reference §8): the record of the visit always, an
//! order when hazards are left to rectify by a deadline, and after a re-inspection its
//! opinion. A template graded by GB 35181 (major fire hazards) is a fire-supervision
//! checklist; every other is production safety.

use crate::catalogue::template::Template;
pub use crate::inspection::paperwork::DocumentKind;
use crate::inspection::{Answer, Inspection};
use crate::text::LocalText;

/// Who the inspection answers to, which decides the document set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authority {
    ProductionSafety,
    FireSupervision,
}

impl Authority {
    pub fn of(template: &Template) -> Authority {
        match &template.rule_set {
            Some(rule_set) if rule_set.starts_with("gb35181") => Authority::FireSupervision,
            _ => Authority::ProductionSafety,
        }
    }

    /// Its order that sets deadlines: what a re-inspection follows up.
    pub fn order_by_deadline(self) -> DocumentKind {
        match self {
            Authority::ProductionSafety => DocumentKind::OrderToRectify,
            Authority::FireSupervision => DocumentKind::FireCorrectionByDeadline,
        }
    }
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::InspectionRecord,
        DocumentKind::OrderToRectify,
        DocumentKind::ReInspectionOpinion,
        DocumentKind::MeasuresDecision,
        DocumentKind::FireInspectionRecord,
        DocumentKind::FireImmediateCorrection,
        DocumentKind::FireCorrectionByDeadline,
    ];

    pub fn title(self) -> LocalText {
        let (zh, en) = match self {
            DocumentKind::InspectionRecord => ("现场检查记录", "On-site inspection record"),
            DocumentKind::OrderToRectify => ("责令限期整改指令书", "Order to rectify by a deadline"),
            DocumentKind::ReInspectionOpinion => ("整改复查意见书", "Re-inspection opinion"),
            DocumentKind::MeasuresDecision => ("现场处理措施决定书", "Decision on on-site measures"),
            DocumentKind::FireInspectionRecord => ("消防监督检查记录", "Fire supervision inspection record"),
            DocumentKind::FireImmediateCorrection => ("责令立即改正通知书", "Notice to correct immediately"),
            DocumentKind::FireCorrectionByDeadline => ("责令限期改正通知书", "Notice to correct by a deadline"),
        };
        LocalText { zh: zh.into(), en: en.into() }
    }

    /// Whether it is an administrative decision the unit may appeal: it then names where to
    /// apply for review (within 60 days) or sue (within 6 months), and that it is not suspended
    /// meanwhile. Records and the re-inspection opinion are not.
    pub fn carries_appeal(self) -> bool {
        matches!(
            self,
            DocumentKind::OrderToRectify
                | DocumentKind::MeasuresDecision
                | DocumentKind::FireImmediateCorrection
                | DocumentKind::FireCorrectionByDeadline
        )
    }

    /// The code (代字) its number carries unless the office configures another.
    pub fn default_code(self) -> &'static str {
        match self {
            DocumentKind::InspectionRecord => "检记",
            DocumentKind::OrderToRectify => "责改",
            DocumentKind::ReInspectionOpinion => "复查",
            DocumentKind::MeasuresDecision => "现决",
            DocumentKind::FireInspectionRecord => "消检记",
            DocumentKind::FireImmediateCorrection => "消立改",
            DocumentKind::FireCorrectionByDeadline => "消限改",
        }
    }
}

/// The documents `inspection` calls for, in the order they are handed over. A re-inspection
/// (follow-up) gets its opinion; otherwise the record, and the orders its hazards need:
/// hazards left to rectify by a deadline an order (fire: the notice by deadline), hazards put
/// right on the spot (fire only) the notice to correct immediately; on-site measures recorded
/// (production safety) the decision on them. Fire supervision's own on-site measures (临时查封)
/// have their own procedure and are not drafted here.
pub fn documents_for(inspection: &Inspection, template: &Template) -> Vec<DocumentKind> {
    let authority = Authority::of(template);
    if inspection.follow_up.is_some() {
        return vec![DocumentKind::ReInspectionOpinion];
    }
    let hazards: Vec<bool> = inspection
        .answers
        .iter()
        .filter(|(_, a)| a.answer == Some(Answer::Hazard))
        .map(|(item, _)| inspection.hazard(item).is_some_and(|h| h.rectification.on_the_spot))
        .collect();
    let by_deadline = hazards.iter().any(|on_the_spot| !on_the_spot);
    let on_the_spot = hazards.iter().any(|on_the_spot| *on_the_spot);
    match authority {
        Authority::ProductionSafety => {
            let mut kinds = vec![DocumentKind::InspectionRecord];
            if by_deadline {
                kinds.push(DocumentKind::OrderToRectify);
            }
            if inspection.paperwork.as_ref().is_some_and(|p| !p.on_site_measures.trim().is_empty()) {
                kinds.push(DocumentKind::MeasuresDecision);
            }
            kinds
        }
        Authority::FireSupervision => {
            let mut kinds = vec![DocumentKind::FireInspectionRecord];
            if on_the_spot {
                kinds.push(DocumentKind::FireImmediateCorrection);
            }
            if by_deadline {
                kinds.push(DocumentKind::FireCorrectionByDeadline);
            }
            kinds
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::paperwork::Paperwork;
    use crate::grading::fixtures;
    use crate::inspection::follow_up::FollowUp;
    use uuid::Uuid;

    fn production_safety() -> Template {
        let mut template = fixtures::template();
        template.rule_set = None;
        template
    }

    #[test]
    fn gb35181_templates_are_fire_supervision_and_the_rest_production_safety() {
        assert_eq!(Authority::of(&fixtures::template()), Authority::FireSupervision);
        assert_eq!(Authority::of(&fixtures::elements_template()), Authority::FireSupervision);
        assert_eq!(Authority::of(&production_safety()), Authority::ProductionSafety);
        let mut graded_otherwise = production_safety();
        graded_otherwise.rule_set = Some("mem-major-hazard-criteria".into());
        assert_eq!(Authority::of(&graded_otherwise), Authority::ProductionSafety, "a rule set of another standard");
        assert!(Authority::ProductionSafety.order_by_deadline().sets_deadlines());
        assert_eq!(Authority::FireSupervision.order_by_deadline(), DocumentKind::FireCorrectionByDeadline);
    }

    #[test]
    fn production_safety_gets_the_record_and_an_order_only_for_hazards_left_to_a_deadline() {
        let t = production_safety();
        assert_eq!(documents_for(&fixtures::inspection(1, "mall", &[]), &t), vec![DocumentKind::InspectionRecord]);
        let mut i = fixtures::inspection(1, "mall", &["pl-1", "dm-1"]);
        assert_eq!(documents_for(&i, &t), vec![DocumentKind::InspectionRecord, DocumentKind::OrderToRectify]);
        for item in ["pl-1", "dm-1"] {
            i.edit_hazard(&t, item, 2, |h| h.rectification.on_the_spot = true).unwrap();
        }
        assert_eq!(documents_for(&i, &t), vec![DocumentKind::InspectionRecord], "all put right on the spot: no order");
        i.paperwork = Some(Paperwork { on_site_measures: " ".into(), ..Default::default() });
        assert_eq!(documents_for(&i, &t), vec![DocumentKind::InspectionRecord], "blank measures are none");
        i.paperwork = Some(Paperwork { on_site_measures: "停止使用二号储罐".into(), ..Default::default() });
        assert_eq!(documents_for(&i, &t), vec![DocumentKind::InspectionRecord, DocumentKind::MeasuresDecision]);
        assert_eq!(
            documents_for(&i, &fixtures::template()),
            vec![DocumentKind::FireInspectionRecord, DocumentKind::FireImmediateCorrection],
            "fire has no decision on measures"
        );
    }

    #[test]
    fn orders_notices_and_the_decision_carry_the_appeal_clause_and_records_do_not() {
        let appealable: Vec<DocumentKind> = DocumentKind::ALL.into_iter().filter(|k| k.carries_appeal()).collect();
        assert_eq!(
            appealable,
            vec![
                DocumentKind::OrderToRectify,
                DocumentKind::MeasuresDecision,
                DocumentKind::FireImmediateCorrection,
                DocumentKind::FireCorrectionByDeadline
            ]
        );
    }

    #[test]
    fn fire_supervision_serves_a_notice_for_each_way_hazards_are_put_right() {
        let t = fixtures::template();
        assert_eq!(documents_for(&fixtures::inspection(1, "mall", &[]), &t), vec![DocumentKind::FireInspectionRecord]);
        let mut i = fixtures::inspection(1, "mall", &["pl-1", "dm-1"]);
        assert_eq!(documents_for(&i, &t), vec![DocumentKind::FireInspectionRecord, DocumentKind::FireCorrectionByDeadline]);
        i.edit_hazard(&t, "pl-1", 2, |h| h.rectification.on_the_spot = true).unwrap();
        assert_eq!(
            documents_for(&i, &t),
            vec![DocumentKind::FireInspectionRecord, DocumentKind::FireImmediateCorrection, DocumentKind::FireCorrectionByDeadline]
        );
        // A hazard entry whose answer is no longer "hazard" does not count.
        i.set_answer(&t, "dm-1", Some(Answer::Compliant), 3).unwrap();
        assert_eq!(documents_for(&i, &t), vec![DocumentKind::FireInspectionRecord, DocumentKind::FireImmediateCorrection]);
    }

    #[test]
    fn a_re_inspection_gets_its_opinion_in_either_authority() {
        let mut i = fixtures::inspection(2, "mall", &["pl-1"]);
        i.follow_up = Some(FollowUp { of: Uuid::from_u128(1), checks: Vec::new(), order: None });
        assert_eq!(documents_for(&i, &fixtures::template()), vec![DocumentKind::ReInspectionOpinion]);
        assert_eq!(documents_for(&i, &production_safety()), vec![DocumentKind::ReInspectionOpinion]);
    }

    #[test]
    fn every_kind_has_a_title_in_both_languages_and_its_own_code() {
        let codes: std::collections::BTreeSet<&str> = DocumentKind::ALL.iter().map(|k| k.default_code()).collect();
        assert_eq!(codes.len(), DocumentKind::ALL.len());
        for kind in DocumentKind::ALL {
            let title = kind.title();
            assert!(!title.zh.is_empty() && !title.en.is_empty() && title.zh != title.en, "{kind:?}");
        }
        assert_eq!(DocumentKind::OrderToRectify.title().zh, "责令限期整改指令书");
    }
}
