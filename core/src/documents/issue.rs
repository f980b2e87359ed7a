//! Issuing an inspection's documents: each document it calls for gets a number from the
//! phone's serials, and the particulars printed on it are copied into the record.
//!
//! The caller keeps the order that makes a crash harmless: the serials are written to storage
//! first, then the inspection. A crash between loses a serial (a gap in the numbers), never
//! prints one twice.

use super::kind::{documents_for, DocumentKind};
use super::numbering::Serials;
use super::paperwork::{IssuedDocument, Particular};
use super::particulars::AgencyParticulars;
use crate::catalogue::template::Template;
use crate::dates::china_year;
use crate::inspection::{EditError, Inspection};
use crate::text::LocalText;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueError {
    /// What the documents need and the record lacks.
    Missing(Vec<Particular>),
    /// Fewer free serials of `year` than documents to number: a new block is needed.
    NoSerials { year: i32, needed: u32, remaining: u32 },
    /// The inspection is signed or completed: its documents are what they are.
    Edit(EditError),
}

impl IssueError {
    pub fn text(&self) -> LocalText {
        match self {
            IssueError::Missing(particulars) => {
                let (zh, en): (Vec<String>, Vec<String>) = particulars.iter().map(|p| p.text()).map(|t| (t.zh, t.en)).unzip();
                LocalText {
                    zh: format!("打印前请填写：{}", zh.join("、")), en: format!("Fill in before printing: {}", en.join("; "))
                }
            }
            IssueError::NoSerials { year, needed, remaining } => LocalText {
                zh: format!("{year} 年的文书编号只剩 {remaining} 个，需要 {needed} 个：请联网同步领取新编号段，或在设置中录入编号段"),
                en: format!(
                    "{remaining} document serials of {year} left, {needed} needed: sync to receive a new block, or enter one in Settings"
                ),
            },
            IssueError::Edit(EditError::Signed) => LocalText {
                zh: "已签名：文书已定稿，不能再编号".into(),
                en: "Signed: the documents are final and are not numbered again".into(),
            },
            IssueError::Edit(_) => LocalText {
                zh: "检查已完成：文书已定稿".into(),
                en: "The inspection is completed: its documents are final".into(),
            },
        }
    }
}

/// Numbers the documents `inspection` calls for. A document already issued keeps its number
/// (issuing again after an edit is safe); one the inspection no longer calls for (its hazards
/// changed) is dropped, its serial left unused. `agency` is copied into the paperwork. Refused,
/// taking no serial, when a particular is missing or too few serials are left.
pub fn issue(
    inspection: &mut Inspection,
    template: &Template,
    agency: &AgencyParticulars,
    serials: &mut Serials,
    now: u64,
) -> Result<Vec<IssuedDocument>, IssueError> {
    let kinds = documents_for(inspection, template);
    let mut paperwork = inspection.paperwork.clone().unwrap_or_default();
    paperwork.agency = agency.clone();
    let missing = paperwork.missing(&kinds);
    if !missing.is_empty() {
        return Err(IssueError::Missing(missing));
    }
    let year = china_year(now);
    let to_number: Vec<DocumentKind> = kinds.iter().copied().filter(|k| paperwork.issued(*k).is_none()).collect();
    let (needed, remaining) = (to_number.len() as u32, serials.remaining(year));
    if needed > remaining {
        return Err(IssueError::NoSerials { year, needed, remaining });
    }
    // Checked before any serial is taken, so a refused edit uses none.
    inspection.edit_paperwork(now, |_| {}).map_err(IssueError::Edit)?;
    let pattern = agency.number_pattern();
    let mut issued: Vec<IssuedDocument> = Vec::with_capacity(kinds.len());
    for kind in kinds {
        if let Some(kept) = paperwork.issued(kind) {
            issued.push(kept.clone());
            continue;
        }
        let Some(serial) = serials.take(year) else {
            return Err(IssueError::NoSerials { year, needed, remaining: 0 });
        };
        let number = pattern.format(agency.region.trim(), agency.code(kind), year, serial);
        issued.push(IssuedDocument { kind, number, year, serial, issued_at: now });
    }
    paperwork.issued = issued.clone();
    inspection.edit_paperwork(now, |p| *p = paperwork).map_err(IssueError::Edit)?;
    Ok(issued)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::numbering::SerialBlock;
    use crate::documents::particulars::Officer;
    use crate::grading::fixtures;
    use crate::inspection::attachment::tests::signature;
    use crate::inspection::attachment::SignerRole;

    const NOW: u64 = 1_780_000_000_000; // 2026-05-28

    fn agency() -> AgencyParticulars {
        AgencyParticulars {
            agency: "安溪县应急管理局".into(),
            region: "安".into(),
            review_government: "安溪县人民政府".into(),
            court: "安溪县人民法院".into(),
            ..Default::default()
        }
    }

    fn production_safety() -> Template {
        let mut t = fixtures::template();
        t.rule_set = None;
        t
    }

    fn ready(n: u128, hazards: &[&str]) -> Inspection {
        let mut i = fixtures::inspection(n, "mall", hazards);
        i.edit_paperwork(1, |p| {
            p.officers =
                vec![Officer { name: "王强".into(), certificate: "1".into() }, Officer { name: "李敏".into(), certificate: "2".into() }];
            p.principal_post = "总经理".into();
        })
        .unwrap();
        i
    }

    fn block(first: u32, last: u32) -> Serials {
        let mut s = Serials::default();
        s.add(SerialBlock { year: 2026, first, last, manual: false }).unwrap();
        s
    }

    #[test]
    fn each_document_gets_the_next_serial_in_the_configured_form() {
        let (t, mut serials) = (production_safety(), block(17, 40));
        let mut i = ready(1, &["pl-1"]);
        let issued = issue(&mut i, &t, &agency(), &mut serials, NOW).unwrap();
        let numbers: Vec<&str> = issued.iter().map(|d| d.number.as_str()).collect();
        assert_eq!(numbers, vec!["（安）应急检记〔2026〕17号", "（安）应急责改〔2026〕18号"]);
        assert_eq!(i.paperwork.as_ref().unwrap().issued, issued);
        assert_eq!(i.paperwork.as_ref().unwrap().agency, agency(), "the particulars travel with the record");
        assert_eq!(serials.remaining(2026), 22);
        assert_eq!(i.updated_at, NOW);
    }

    #[test]
    fn issuing_again_keeps_numbers_numbers_only_what_is_new_and_drops_what_is_no_longer_called_for() {
        let (t, mut serials) = (production_safety(), block(1, 10));
        let mut i = ready(1, &[]);
        let first = issue(&mut i, &t, &agency(), &mut serials, NOW).unwrap();
        assert_eq!(first.len(), 1);
        i.set_answer(&t, "pl-1", Some(crate::inspection::Answer::Hazard), 5).unwrap();
        let second = issue(&mut i, &t, &agency(), &mut serials, NOW + 1).unwrap();
        assert_eq!(second[0], first[0], "the record keeps its number and time");
        assert_eq!((second[1].kind, second[1].serial), (DocumentKind::OrderToRectify, 2));
        i.edit_hazard(&t, "pl-1", 6, |h| h.rectification.on_the_spot = true).unwrap();
        let third = issue(&mut i, &t, &agency(), &mut serials, NOW + 2).unwrap();
        assert_eq!(third, vec![first[0].clone()], "no order any more; serial 2 stays used");
        assert_eq!(serials.remaining(2026), 8);
    }

    #[test]
    fn missing_particulars_or_too_few_serials_refuse_without_taking_a_serial() {
        let t = production_safety();
        let mut serials = block(1, 1);
        let mut blank = fixtures::inspection(1, "mall", &["pl-1"]);
        let err = issue(&mut blank, &t, &agency(), &mut serials, NOW).unwrap_err();
        assert_eq!(err, IssueError::Missing(vec![Particular::Officers, Particular::PrincipalPost]));
        assert!(err.text().zh.contains("执法证号"));
        let mut i = ready(1, &["pl-1"]);
        let err = issue(&mut i, &t, &agency(), &mut serials, NOW).unwrap_err();
        assert_eq!(err, IssueError::NoSerials { year: 2026, needed: 2, remaining: 1 });
        assert!(err.text().en.contains("1 document serials of 2026 left, 2 needed"));
        assert_eq!(serials.remaining(2026), 1);
        assert!(i.paperwork.as_ref().unwrap().issued.is_empty());
        let mut no_court = agency();
        no_court.court.clear();
        assert_eq!(issue(&mut i, &t, &no_court, &mut block(1, 9), NOW), Err(IssueError::Missing(vec![Particular::Court])));
    }

    #[test]
    fn a_signed_inspection_is_not_numbered_again_and_uses_no_serial() {
        let (t, mut serials) = (production_safety(), block(1, 10));
        let mut i = ready(1, &[]);
        i.add_attachment(signature(9, "王强", SignerRole::Inspector), 3).unwrap();
        let err = issue(&mut i, &t, &agency(), &mut serials, NOW).unwrap_err();
        assert_eq!(err, IssueError::Edit(EditError::Signed));
        assert!(err.text().zh.contains("已签名"));
        assert_eq!(serials.remaining(2026), 10);
    }

    #[test]
    fn the_number_carries_the_year_in_china_and_serials_of_another_year_do_not_serve() {
        let t = production_safety();
        let mut serials = block(1, 10);
        let mut i = ready(1, &[]);
        let new_year_in_china = 1_798_732_800_000;
        let err = issue(&mut i, &t, &agency(), &mut serials, new_year_in_china).unwrap_err();
        assert_eq!(err, IssueError::NoSerials { year: 2027, needed: 1, remaining: 0 });
        let issued = issue(&mut i, &t, &agency(), &mut serials, new_year_in_china - 1).unwrap();
        assert_eq!(issued[0].number, "（安）应急检记〔2026〕1号");
    }

    #[test]
    fn two_phones_with_office_blocks_never_print_one_number() {
        let t = production_safety();
        let (mut a, mut b) = (block(1, 50), block(51, 100));
        let mut numbers = std::collections::BTreeSet::new();
        for n in 0..30u128 {
            let (serials, phone) = if n % 3 == 0 { (&mut b, "b") } else { (&mut a, "a") };
            let mut i = ready(n, &["pl-1"]);
            for d in issue(&mut i, &t, &agency(), serials, NOW).unwrap() {
                assert!(numbers.insert(d.number.clone()), "{} printed twice (phone {phone})", d.number);
            }
        }
        assert_eq!(numbers.len(), 60);
    }
}
