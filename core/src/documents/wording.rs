//! The fixed sentences the documents print (zh, as the forms have them), filled from the
//! record's particulars. Here rather than in a screen so the office's reprint says the same.

use super::kind::{Authority, DocumentKind};
use super::particulars::AgencyParticulars;
use crate::grading::Standing;
use crate::inspection::paperwork::IssuedDocument;

/// A blank to fill in by hand where the record has no value.
pub const BLANK: &str = "＿＿＿＿＿＿";

fn or_blank(text: &str) -> &str {
    if text.trim().is_empty() {
        BLANK
    } else {
        text.trim()
    }
}

/// The right of review and suit (行政复议法 art. 20: 60 days; 行政诉讼法 art. 46: 6 months), and
/// that the decision is not suspended meanwhile (行政复议法 art. 42, 行政诉讼法 art. 56). Only
/// for kinds that [`DocumentKind::carries_appeal`]; `None` for the others.
pub fn appeal_clause(kind: DocumentKind, agency: &AgencyParticulars) -> Option<String> {
    if !kind.carries_appeal() {
        return None;
    }
    let what = match kind {
        DocumentKind::MeasuresDecision => "决定",
        DocumentKind::OrderToRectify => "指令",
        _ => "通知",
    };
    let (government, department) = (agency.review_government.trim(), agency.review_department.trim());
    let review = match (government.is_empty(), department.is_empty()) {
        (false, false) => format!("{government}或者{department}"),
        (false, true) => government.to_string(),
        (true, false) => department.to_string(),
        (true, true) => BLANK.to_string(),
    };
    Some(format!(
        "如不服本{what}，可以依法在60日内向{review}申请行政复议，或者在6个月内依法向{court}提起行政诉讼，但本{what}不停止执行。",
        court = or_blank(&agency.court)
    ))
}

/// How many copies, and who keeps which.
pub const COPIES: &str = "本文书一式两份，一份由被检查单位留存，一份归档。";

/// "Of which N are major accident hazards", under an order's numbered problems.
pub fn major_count(major: usize) -> String {
    format!("其中重大事故隐患 {major} 项。")
}

/// The mark after a major hazard in a document's list, in its authority's own term: production
/// safety's 重大事故隐患, fire supervision's 重大火灾隐患 (GB 35181), which stays "suspected" on
/// paper until the collective determination settles it (a notice served on the spot can come
/// before that discussion).
pub fn major_mark(authority: Authority, standing: Standing) -> &'static str {
    match (authority, standing) {
        (Authority::ProductionSafety, _) => "【重大事故隐患】",
        (Authority::FireSupervision, Standing::Suspected) => "【疑似重大火灾隐患，待集体讨论判定】",
        (Authority::FireSupervision, _) => "【重大火灾隐患】",
    }
}

/// The page line of one sheet, `page` counted from 1.
pub fn page_line(page: usize, pages: usize) -> String {
    format!("共 {pages} 页 第 {page} 页")
}

/// The note printed instead of the unit's signature when it refused to sign.
pub fn refusal_line(witness: &str, note: &str) -> String {
    let note = note.trim();
    if note.is_empty() {
        format!("被检查单位拒绝签字，见证人：{}", or_blank(witness))
    } else {
        format!("被检查单位拒绝签字（{note}），见证人：{}", or_blank(witness))
    }
}

/// The re-inspection opinion's reference to the order it follows up: its title, date
/// (`YYYY年M月D日`, in China) and number; or, when the record carries none, the title of
/// `unknown` (the authority's order) with blanks to fill by hand.
pub fn original_order(order: Option<&IssuedDocument>, unknown: DocumentKind) -> String {
    match order {
        Some(order) => {
            let date = crate::dates::format_time(order.issued_at, 8 * 60);
            let (y, m, d) = (date.get(..4).unwrap_or(""), date.get(5..7).unwrap_or(""), date.get(8..10).unwrap_or(""));
            let number_of = |s: &str| s.trim_start_matches('0').to_string();
            let (title, number) = (order.kind.title().zh, order.number.trim());
            format!("本机关于{y}年{}月{}日作出的《{title}》（{number}）", number_of(m), number_of(d))
        }
        None => format!("本机关于{BLANK}年{BLANK}月{BLANK}日作出的《{}》（{BLANK}）", unknown.title().zh),
    }
}

/// A time as the forms write it, in China: `2026年5月28日 10时05分`.
pub fn china_time(ms: u64) -> String {
    let t = crate::dates::format_time(ms, 8 * 60);
    let part = |range: std::ops::Range<usize>| t.get(range).unwrap_or("").trim_start_matches('0').to_string();
    let minute = t.get(14..16).unwrap_or("");
    let hour = t.get(11..13).unwrap_or("").parse::<u32>().unwrap_or(0);
    format!("{}年{}月{}日 {hour}时{minute}分", part(0..4), part(5..7), part(8..10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_major_hazard_is_marked_in_its_authoritys_term_and_a_fire_one_suspected_until_determined() {
        for standing in [Standing::Direct, Standing::Suspected, Standing::DeterminedMajor] {
            assert_eq!(major_mark(Authority::ProductionSafety, standing), "【重大事故隐患】");
        }
        assert_eq!(major_mark(Authority::FireSupervision, Standing::Suspected), "【疑似重大火灾隐患，待集体讨论判定】");
        assert_eq!(major_mark(Authority::FireSupervision, Standing::DeterminedMajor), "【重大火灾隐患】");
        assert_eq!(major_mark(Authority::FireSupervision, Standing::Direct), "【重大火灾隐患】");
    }

    fn agency() -> AgencyParticulars {
        AgencyParticulars {
            review_government: "安溪县人民政府".into(),
            review_department: "泉州市应急管理局".into(),
            court: "安溪县人民法院".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_order_names_both_places_of_review_the_court_and_that_it_is_not_suspended() {
        let clause = appeal_clause(DocumentKind::OrderToRectify, &agency()).unwrap();
        assert_eq!(
            clause,
            "如不服本指令，可以依法在60日内向安溪县人民政府或者泉州市应急管理局申请行政复议，或者在6个月内依法向安溪县人民法院提起行政诉讼，但本指令不停止执行。"
        );
        let decision = appeal_clause(DocumentKind::MeasuresDecision, &agency()).unwrap();
        assert!(decision.starts_with("如不服本决定") && decision.ends_with("但本决定不停止执行。"));
        assert!(appeal_clause(DocumentKind::FireCorrectionByDeadline, &agency()).unwrap().contains("本通知"));
    }

    #[test]
    fn records_carry_no_clause_and_a_missing_place_is_a_blank_to_fill() {
        assert_eq!(appeal_clause(DocumentKind::InspectionRecord, &agency()), None);
        assert_eq!(appeal_clause(DocumentKind::ReInspectionOpinion, &agency()), None);
        let only_department = AgencyParticulars { review_department: "泉州市应急管理局".into(), ..Default::default() };
        let clause = appeal_clause(DocumentKind::OrderToRectify, &only_department).unwrap();
        assert!(clause.contains("向泉州市应急管理局申请行政复议"), "{clause}");
        assert!(clause.contains(&format!("依法向{BLANK}提起行政诉讼")), "{clause}");
    }

    #[test]
    fn counts_pages_refusals_and_the_original_order_read_as_the_forms_do() {
        assert_eq!(major_count(2), "其中重大事故隐患 2 项。");
        assert_eq!(page_line(1, 3), "共 3 页 第 1 页");
        assert_eq!(refusal_line("张三", ""), "被检查单位拒绝签字，见证人：张三");
        assert_eq!(refusal_line(" ", "负责人离场"), format!("被检查单位拒绝签字（负责人离场），见证人：{BLANK}"));
        // 2026-05-28 20:26 UTC: the 29th in China.
        let order = IssuedDocument {
            kind: DocumentKind::OrderToRectify,
            number: "（安）应急责改〔2026〕18号".into(),
            year: 2026,
            serial: 18,
            issued_at: 1_780_000_000_000,
        };
        let line = original_order(Some(&order), DocumentKind::FireCorrectionByDeadline);
        assert_eq!(line, "本机关于2026年5月29日作出的《责令限期整改指令书》（（安）应急责改〔2026〕18号）");
        let fire = IssuedDocument {
            kind: DocumentKind::FireCorrectionByDeadline, number: "（安）应急消限改〔2026〕3号".into(), ..order
        };
        assert_eq!(
            original_order(Some(&fire), DocumentKind::OrderToRectify),
            "本机关于2026年5月29日作出的《责令限期改正通知书》（（安）应急消限改〔2026〕3号）",
            "a fire notice is named by its own title"
        );
        assert_eq!(
            original_order(None, DocumentKind::FireCorrectionByDeadline),
            format!("本机关于{BLANK}年{BLANK}月{BLANK}日作出的《责令限期改正通知书》（{BLANK}）")
        );
        // 2026-05-28 20:26:40 UTC.
        assert_eq!(china_time(1_780_000_000_000), "2026年5月29日 4时26分");
    }
}
