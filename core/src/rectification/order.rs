//! The order a re-inspection follows up: the opinion (整改复查意见书) names its number and
//! date. Taken from the record when the follow-up starts and kept in it
//! ([`crate::inspection::follow_up::FollowUp::order`]), so the opinion prints it wherever the
//! original record is by then. Here, below the documents' rules, as starting a follow-up
//! ([`super::follow_up`]) needs it.

use crate::inspection::paperwork::{DocumentKind, IssuedDocument};
use crate::inspection::Inspection;

impl DocumentKind {
    /// An order that sets deadlines a re-inspection then verifies: the production-safety order
    /// to rectify or the fire notice to correct by a deadline. The notice to correct
    /// immediately and the measures decision set none.
    pub fn sets_deadlines(self) -> bool {
        matches!(self, DocumentKind::OrderToRectify | DocumentKind::FireCorrectionByDeadline)
    }
}

/// The order (by deadline) `inspection` issued; for a follow-up that issued none, the order
/// it itself followed — a second re-inspection still answers the original order.
pub fn order_of(inspection: &Inspection) -> Option<IssuedDocument> {
    let issued = inspection.paperwork.as_ref().and_then(|p| p.issued.iter().find(|d| d.kind.sets_deadlines()));
    issued.cloned().or_else(|| inspection.follow_up.as_ref().and_then(|f| f.order.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::fixtures;
    use crate::inspection::follow_up::FollowUp;
    use crate::inspection::paperwork::Paperwork;
    use uuid::Uuid;

    fn issued(kind: DocumentKind, serial: u32) -> IssuedDocument {
        IssuedDocument { kind, number: format!("（安）应急〔2026〕{serial}号"), year: 2026, serial, issued_at: 1_780_000_000_000 }
    }

    #[test]
    fn only_orders_with_deadlines_are_followed_up() {
        let kinds: Vec<DocumentKind> = DocumentKind::ALL.into_iter().filter(|k| k.sets_deadlines()).collect();
        assert_eq!(kinds, vec![DocumentKind::OrderToRectify, DocumentKind::FireCorrectionByDeadline]);
    }

    #[test]
    fn the_order_is_the_one_with_deadlines_among_the_documents_issued() {
        let mut i = fixtures::inspection(1, "mall", &["pl-1"]);
        assert_eq!(order_of(&i), None, "no paperwork");
        let issued_docs = vec![
            issued(DocumentKind::FireInspectionRecord, 1),
            issued(DocumentKind::FireImmediateCorrection, 2),
            issued(DocumentKind::FireCorrectionByDeadline, 3),
        ];
        i.paperwork = Some(Paperwork { issued: issued_docs[..2].to_vec(), ..Default::default() });
        assert_eq!(order_of(&i), None, "a record and a notice to correct at once set no deadline");
        i.paperwork = Some(Paperwork { issued: issued_docs.clone(), ..Default::default() });
        assert_eq!(order_of(&i), Some(issued_docs[2].clone()));
    }

    #[test]
    fn a_follow_up_without_an_order_of_its_own_passes_on_the_one_it_followed() {
        let mut again = fixtures::inspection(3, "mall", &[]);
        again.follow_up =
            Some(FollowUp { of: Uuid::from_u128(2), checks: Vec::new(), order: Some(issued(DocumentKind::OrderToRectify, 7)) });
        assert_eq!(order_of(&again), Some(issued(DocumentKind::OrderToRectify, 7)));
        again.paperwork = Some(Paperwork { issued: vec![issued(DocumentKind::ReInspectionOpinion, 9)], ..Default::default() });
        assert_eq!(order_of(&again).map(|d| d.serial), Some(7), "its opinion is no order");
    }

    #[test]
    fn a_follow_up_record_reads_without_the_order_and_keeps_it_when_present() {
        let old: FollowUp = serde_json::from_str(r#"{"of":"00000000-0000-0000-0000-000000000001","checks":[]}"#).unwrap();
        assert_eq!(old.order, None);
        let json = serde_json::to_value(&old).unwrap();
        assert!(json.get("order").is_none(), "absent, not null: a follow-up without one reads as before");
        let with = FollowUp { order: Some(issued(DocumentKind::OrderToRectify, 7)), ..old };
        let back: FollowUp = serde_json::from_value(serde_json::to_value(&with).unwrap()).unwrap();
        assert_eq!(back, with);
    }
}
