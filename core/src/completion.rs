//! What must be true before an inspection may be completed, and its summary counts.

use crate::inspection::{Answer, Inspection};
use crate::template::Template;

/// A field of the site details or team that completion requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SiteField {
    SiteName,
    Address,
    Category,
    Enterprise,
    Principal,
    PrincipalPhone,
    Department,
    Inspectors,
}

impl SiteField {
    pub const ALL: [SiteField; 8] = [
        SiteField::SiteName,
        SiteField::Address,
        SiteField::Category,
        SiteField::Enterprise,
        SiteField::Principal,
        SiteField::PrincipalPhone,
        SiteField::Department,
        SiteField::Inspectors,
    ];
}

/// One thing standing between an inspection and its completion. Each points at the place
/// the inspector has to go to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Missing(SiteField),
    /// The principal's phone does not look like a phone number.
    InvalidPhone,
    /// The site category is not one of the template's.
    UnknownCategory,
    Unanswered { item_id: String },
    /// A hazard must be described, or nobody can rectify it.
    HazardNeedsNote { item_id: String },
}

/// Everything missing, site details first, then items in checklist order.
pub fn problems(inspection: &Inspection, template: &Template) -> Vec<Problem> {
    let mut problems: Vec<Problem> = SiteField::ALL
        .into_iter()
        .filter(|field| inspection.field(*field).trim().is_empty())
        .map(Problem::Missing)
        .collect();
    let phone = inspection.site.principal_phone.trim();
    if !phone.is_empty() && !is_plausible_phone(phone) {
        problems.push(Problem::InvalidPhone);
    }
    let category = inspection.site.category.trim();
    if !category.is_empty() && template.site_category(category).is_none() {
        problems.push(Problem::UnknownCategory);
    }
    for item in template.items() {
        match inspection.answer(&item.id) {
            None => problems.push(Problem::Unanswered { item_id: item.id.clone() }),
            Some(Answer::Hazard) if inspection.note(&item.id).trim().is_empty() => {
                problems.push(Problem::HazardNeedsNote { item_id: item.id.clone() })
            }
            Some(_) => {}
        }
    }
    problems
}

/// The problem of one item, if any: what the checklist shows beside it.
pub fn item_problem(inspection: &Inspection, item_id: &str) -> Option<Problem> {
    match inspection.answer(item_id) {
        Some(Answer::Hazard) if inspection.note(item_id).trim().is_empty() => {
            Some(Problem::HazardNeedsNote { item_id: item_id.to_string() })
        }
        _ => None,
    }
}

/// Mobile (11 digits), landline with area code and extension, or international: 5 to 20
/// digits, optionally separated by spaces, dashes or brackets, optionally starting with +.
pub fn is_plausible_phone(phone: &str) -> bool {
    let phone = phone.trim();
    let body = phone.strip_prefix('+').unwrap_or(phone);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
        && (5..=20).contains(&digits)
}

/// Counts per answer and the hazards found, in checklist order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub compliant: usize,
    pub hazards: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    pub hazard_items: Vec<String>,
}

impl Tally {
    pub fn of(inspection: &Inspection, template: &Template) -> Tally {
        let mut tally = Tally::default();
        for item in template.items() {
            match inspection.answer(&item.id) {
                Some(Answer::Compliant) => tally.compliant += 1,
                Some(Answer::NotApplicable) => tally.not_applicable += 1,
                Some(Answer::Hazard) => {
                    tally.hazards += 1;
                    tally.hazard_items.push(item.id.clone());
                }
                None => tally.unanswered += 1,
            }
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::tests::new_demo;
    use crate::inspection::EditError;

    fn fill_details(i: &mut Inspection) {
        i.edit_details(5, |site, team| {
            site.name = "Riverside Mall".into();
            site.address = "1 River Rd".into();
            site.category = "shop".into();
            site.enterprise = "Riverside Co.".into();
            site.principal = "Zhao Li".into();
            site.principal_phone = "138 0013 8000".into();
            team.department = "District Fire Brigade".into();
            team.inspectors = "Wang Wei, Li Na".into();
        })
        .unwrap();
    }

    #[test]
    fn a_blank_inspection_lists_every_field_and_item_in_order() {
        let (t, i) = new_demo();
        let p = problems(&i, &t);
        assert_eq!(p.len(), SiteField::ALL.len() + 3);
        assert_eq!(p[0], Problem::Missing(SiteField::SiteName));
        assert_eq!(p[8], Problem::Unanswered { item_id: "a-1".into() });
        assert_eq!(p[10], Problem::Unanswered { item_id: "b-1".into() });
    }

    #[test]
    fn whitespace_does_not_count_as_filled_in() {
        let (t, mut i) = new_demo();
        fill_details(&mut i);
        i.edit_details(6, |site, _| site.enterprise = "   ".into()).unwrap();
        assert!(problems(&i, &t).contains(&Problem::Missing(SiteField::Enterprise)));
    }

    #[test]
    fn a_hazard_needs_a_note_but_other_answers_do_not() {
        let (t, mut i) = new_demo();
        fill_details(&mut i);
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 6).unwrap();
        i.set_answer(&t, "a-2", Some(Answer::Compliant), 6).unwrap();
        i.set_answer(&t, "b-1", Some(Answer::NotApplicable), 6).unwrap();
        assert_eq!(problems(&i, &t), vec![Problem::HazardNeedsNote { item_id: "a-1".into() }]);
        assert_eq!(item_problem(&i, "a-1"), Some(Problem::HazardNeedsNote { item_id: "a-1".into() }));
        i.set_note(&t, "a-1", "  ", 7).unwrap();
        assert_eq!(problems(&i, &t).len(), 1, "a blank note is no description");
        i.set_note(&t, "a-1", "Exit 3 chained shut", 8).unwrap();
        assert!(problems(&i, &t).is_empty());
        assert_eq!(item_problem(&i, "a-1"), None);
    }

    #[test]
    fn phone_numbers_are_checked_for_plausibility() {
        for ok in ["13800138000", "+86 138 0013 8000", "0371-6512 3456", "(010) 12345678", "12345"] {
            assert!(is_plausible_phone(ok), "{ok}");
        }
        for bad in ["1234", "call me", "138-0013-800O", "++8613800138000", "123456789012345678901"] {
            assert!(!is_plausible_phone(bad), "{bad}");
        }
        let (t, mut i) = new_demo();
        fill_details(&mut i);
        i.edit_details(6, |site, _| site.principal_phone = "unknown".into()).unwrap();
        assert!(problems(&i, &t).contains(&Problem::InvalidPhone));
    }

    #[test]
    fn the_category_must_be_one_of_the_templates() {
        let (t, mut i) = new_demo();
        fill_details(&mut i);
        i.edit_details(6, |site, _| site.category = "spaceport".into()).unwrap();
        assert!(problems(&i, &t).contains(&Problem::UnknownCategory));
    }

    #[test]
    fn completion_only_when_valid_and_then_read_only() {
        let (t, mut i) = new_demo();
        let refused = i.complete(&t, 9).expect_err("blank");
        assert!(!refused.is_empty());
        assert!(!i.is_completed());

        fill_details(&mut i);
        for id in ["a-1", "a-2", "b-1"] {
            i.set_answer(&t, id, Some(Answer::Compliant), 10).unwrap();
        }
        i.complete(&t, 11).expect("valid");
        assert_eq!(i.completed_at, Some(11));
        assert_eq!(i.set_answer(&t, "a-1", Some(Answer::Hazard), 12), Err(EditError::Completed));
        assert_eq!(i.set_note(&t, "a-1", "late", 12), Err(EditError::Completed));
        assert_eq!(i.edit_details(12, |site, _| site.name.clear()), Err(EditError::Completed));
        assert_eq!(i.answer("a-1"), Some(Answer::Compliant));
        assert_eq!(i.updated_at, 11);
        i.complete(&t, 13).expect("completing twice is harmless");
        assert_eq!(i.completed_at, Some(11), "the first completion time stands");
    }

    #[test]
    fn tally_counts_each_answer() {
        let (t, mut i) = new_demo();
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 6).unwrap();
        i.set_answer(&t, "b-1", Some(Answer::NotApplicable), 6).unwrap();
        let tally = Tally::of(&i, &t);
        assert_eq!(
            tally,
            Tally { compliant: 0, hazards: 1, not_applicable: 1, unanswered: 1, hazard_items: vec!["a-1".into()] }
        );
    }
}
