//! What the papers need before they are printed: the particulars an inspection's record must
//! hold for the documents it calls for.

use super::kind::DocumentKind;
pub use crate::inspection::paperwork::{IssuedDocument, Paperwork, Refusal};
use crate::text::LocalText;

/// A particular the documents need and the record lacks: asked for before printing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Particular {
    Agency,
    /// The number pattern uses `{region}` and none is set.
    Region,
    /// Two officers, each with a name and a certificate number.
    Officers,
    PrincipalPost,
    /// Where to appeal: the government (or department) for review and the court.
    ReviewGovernment,
    Court,
}

impl Particular {
    pub fn text(self) -> LocalText {
        let (zh, en) = match self {
            Particular::Agency => ("执法机关名称", "The issuing agency"),
            Particular::Region => ("文书编号的地区简称", "The region abbreviation of document numbers"),
            Particular::Officers => ("两名执法人员的姓名和执法证号", "Two officers' names and certificate numbers"),
            Particular::PrincipalPost => ("法定代表人（负责人）职务", "The post of the legal representative"),
            Particular::ReviewGovernment => ("受理行政复议的人民政府或部门", "The government or department that hears a review"),
            Particular::Court => ("受理行政诉讼的人民法院", "The court that hears a suit"),
        };
        LocalText { zh: zh.into(), en: en.into() }
    }
}

impl Paperwork {
    /// What `kinds` need that is not filled in yet, in a fixed order.
    pub fn missing(&self, kinds: &[DocumentKind]) -> Vec<Particular> {
        let blank = |s: &str| s.trim().is_empty();
        let agency = &self.agency;
        let mut missing = Vec::new();
        if blank(&agency.agency) {
            missing.push(Particular::Agency);
        }
        if blank(&agency.region) && agency.number_pattern().as_str().contains("{region}") {
            missing.push(Particular::Region);
        }
        let signed_off = self.officers.iter().filter(|o| !blank(&o.name) && !blank(&o.certificate)).count();
        if signed_off < 2 {
            missing.push(Particular::Officers);
        }
        if blank(&self.principal_post) {
            missing.push(Particular::PrincipalPost);
        }
        if kinds.iter().any(|k| k.carries_appeal()) {
            if blank(&agency.review_government) && blank(&agency.review_department) {
                missing.push(Particular::ReviewGovernment);
            }
            if blank(&agency.court) {
                missing.push(Particular::Court);
            }
        }
        missing
    }

    pub fn issued(&self, kind: DocumentKind) -> Option<&IssuedDocument> {
        self.issued.iter().find(|d| d.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::paperwork::{AgencyParticulars, Officer};

    fn filled() -> Paperwork {
        Paperwork {
            agency: AgencyParticulars {
                agency: "安溪县应急管理局".into(),
                region: "安".into(),
                review_government: "安溪县人民政府".into(),
                court: "安溪县人民法院".into(),
                ..Default::default()
            },
            officers: vec![
                Officer { name: "王强".into(), certificate: "35012345".into() },
                Officer { name: "李敏".into(), certificate: "35012346".into() },
            ],
            principal_post: "总经理".into(),
            ..Default::default()
        }
    }

    #[test]
    fn nothing_is_missing_from_filled_paperwork() {
        assert_eq!(filled().missing(&DocumentKind::ALL), vec![]);
    }

    #[test]
    fn blank_paperwork_asks_for_everything_an_order_needs_but_a_record_does_not_ask_where_to_appeal() {
        let blank = Paperwork::default();
        assert_eq!(
            blank.missing(&[DocumentKind::InspectionRecord, DocumentKind::OrderToRectify]),
            vec![
                Particular::Agency,
                Particular::Region,
                Particular::Officers,
                Particular::PrincipalPost,
                Particular::ReviewGovernment,
                Particular::Court
            ]
        );
        assert_eq!(
            blank.missing(&[DocumentKind::InspectionRecord]),
            vec![Particular::Agency, Particular::Region, Particular::Officers, Particular::PrincipalPost]
        );
    }

    #[test]
    fn one_officer_or_one_without_a_certificate_is_not_enough() {
        let mut p = filled();
        p.officers[1].certificate = " ".into();
        assert_eq!(p.missing(&[DocumentKind::InspectionRecord]), vec![Particular::Officers]);
        p.officers.truncate(1);
        assert_eq!(p.missing(&[DocumentKind::InspectionRecord]), vec![Particular::Officers]);
    }

    #[test]
    fn a_pattern_without_a_region_needs_none_and_a_department_can_hear_the_review() {
        let mut p = filled();
        p.agency.region.clear();
        p.agency.pattern = "{code}〔{year}〕{serial}号".into();
        p.agency.review_government.clear();
        p.agency.review_department = "泉州市应急管理局".into();
        assert_eq!(p.missing(&[DocumentKind::OrderToRectify]), vec![]);
        p.agency.review_department.clear();
        assert_eq!(p.missing(&[DocumentKind::OrderToRectify]), vec![Particular::ReviewGovernment]);
    }

    #[test]
    fn every_particular_is_worded_in_both_languages() {
        for p in [
            Particular::Agency,
            Particular::Region,
            Particular::Officers,
            Particular::PrincipalPost,
            Particular::ReviewGovernment,
            Particular::Court,
        ] {
            let t = p.text();
            assert!(!t.zh.is_empty() && !t.en.is_empty() && t.zh != t.en);
        }
    }
}
