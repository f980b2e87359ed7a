//! Starting a re-inspection (复查) from the register: a follow-up visit that carries a site's
//! open hazards and verifies each one rectified or not. It is an inspection of its own
//! ([`crate::inspection::follow_up`] is what it records), delivered as its own record and
//! linked to the inspection it was started from.

use uuid::Uuid;

use crate::inspection::follow_up::{FollowUp, HazardCheck};
use crate::inspection::Inspection;
use crate::rectification::order::order_of;
use crate::rectification::register::RegisterEntry;

/// Starts a follow-up of `from` that carries the `open` hazards (usually
/// [`crate::rectification::register::open_for_site`] of its site, which may include hazards found by
/// other inspections there). It uses the same template edition, and copies the site and
/// team so the inspector only confirms them; the checklist itself is optional on a
/// follow-up. The order `from` issued is copied too, for the re-inspection opinion.
pub fn start_follow_up(id: Uuid, from: &Inspection, open: &[&RegisterEntry], now: u64) -> Inspection {
    let checks = open.iter().map(|entry| carry(entry)).collect();
    Inspection {
        id,
        template: from.template.clone(),
        site: from.site.clone(),
        team: from.team.clone(),
        answers: Default::default(),
        hazards: Default::default(),
        exclusions: Vec::new(),
        determination: None,
        follow_up: Some(FollowUp { of: from.id, checks, order: order_of(from) }),
        task: None,
        paperwork: None,
        attachments: Vec::new(),
        position: None,
        created_at: now,
        updated_at: now,
        completed_at: None,
    }
}

/// One open hazard as a follow-up carries it: what was found, its grade and deadline, not
/// verified yet. Also what a re-inspection task carries from the office's pull.
pub fn carry(entry: &RegisterEntry) -> HazardCheck {
    HazardCheck {
        inspection: entry.inspection,
        item: entry.item.clone(),
        description: entry.description.clone(),
        grade: entry.grade,
        standing: entry.standing,
        deadline: entry.deadline.clone(),
        verdict: None,
        note: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::hazard::Grade;
    use crate::rectification::register::tests::{completed, library};
    use crate::rectification::register::{open_for_site, register, site_key};

    #[test]
    fn a_follow_up_carries_the_open_hazards_with_the_same_template_site_and_team() {
        let found = completed(1, "office", &["dm-1", "pl-1"], "2026-03-01", 10);
        let entries = register(std::slice::from_ref(&found), &library(), "2026-01-01");
        let open = open_for_site(&entries, &site_key(&found.site));
        let f = start_follow_up(Uuid::from_u128(2), &found, &open, 99);
        assert_eq!((f.id, f.created_at, f.updated_at, f.completed_at), (Uuid::from_u128(2), 99, 99, None));
        assert_eq!((&f.template, &f.site, &f.team), (&found.template, &found.site, &found.team));
        assert!(f.answers.is_empty() && f.hazards.is_empty() && f.exclusions.is_empty());
        let follow_up = f.follow_up.expect("a follow-up");
        assert_eq!(follow_up.of, found.id);
        assert_eq!(
            follow_up.checks,
            vec![
                HazardCheck {
                    inspection: found.id,
                    item: "dm-1".into(),
                    description: "found at dm-1".into(),
                    grade: Grade::Major,
                    standing: Default::default(),
                    deadline: "2026-03-01".into(),
                    verdict: None,
                    note: String::new(),
                },
                HazardCheck {
                    inspection: found.id,
                    item: "pl-1".into(),
                    description: "found at pl-1".into(),
                    grade: Grade::General,
                    standing: Default::default(),
                    deadline: "2026-03-01".into(),
                    verdict: None,
                    note: String::new(),
                },
            ]
        );
        assert_eq!(follow_up.order, None, "the inspection issued no order");
    }

    #[test]
    fn a_follow_up_copies_the_order_it_follows_so_the_opinion_names_it_without_the_original() {
        use crate::inspection::paperwork::DocumentKind;
        use crate::inspection::paperwork::{IssuedDocument, Paperwork};
        let mut found = completed(1, "office", &["dm-1"], "2026-03-01", 10);
        let order = IssuedDocument {
            kind: DocumentKind::OrderToRectify,
            number: "（安）应急责改〔2026〕18号".into(),
            year: 2026,
            serial: 18,
            issued_at: 9,
        };
        let record = IssuedDocument { kind: DocumentKind::InspectionRecord, serial: 17, ..order.clone() };
        found.paperwork = Some(Paperwork { issued: vec![record, order.clone()], ..Default::default() });
        let entries = register(std::slice::from_ref(&found), &library(), "2026-01-01");
        let open = open_for_site(&entries, &site_key(&found.site));
        let first = start_follow_up(Uuid::from_u128(2), &found, &open, 20);
        assert_eq!(first.follow_up.as_ref().and_then(|f| f.order.clone()), Some(order.clone()));
        // A re-inspection of the re-inspection still names the original order.
        let second = start_follow_up(Uuid::from_u128(3), &first, &open, 30);
        assert_eq!(second.follow_up.and_then(|f| f.order), Some(order));
    }
}
