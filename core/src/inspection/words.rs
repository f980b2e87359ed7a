//! The words both the app and the receiver's office pages show: answers, grades, verdicts,
//! the labels of site and rectification fields, signer roles, and the few headings both
//! have. Written once here so the office reads what the inspector chose, in the same words
//! ("发现隐患", not a word of its own). The app's language files take them from here; the
//! office shows both languages side by side.
//!
//! `const fn`s so the app's `Strings` constants can be built from them.

use crate::inspection::attachment::SignerRole;
use crate::inspection::determination::Conclusion;
use crate::inspection::follow_up::Verdict;
use crate::inspection::hazard::{Grade, RectificationField};
use crate::inspection::record::Answer;
use crate::inspection::site::SiteField;
use crate::text::Lang;

/// The word in `lang`, from its Chinese and English.
const fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub const fn answer(answer: Answer, lang: Lang) -> &'static str {
    match answer {
        Answer::Compliant => pick(lang, "符合", "Compliant"),
        Answer::Hazard => pick(lang, "发现隐患", "Hazard found"),
        Answer::NotApplicable => pick(lang, "不适用", "Not applicable"),
    }
}

pub const fn grade(grade: Grade, lang: Lang) -> &'static str {
    match grade {
        Grade::Major => pick(lang, "重大隐患", "Major hazard"),
        Grade::General => pick(lang, "一般隐患", "General hazard"),
    }
}

/// A major fire hazard the collective determination has not settled yet (GB 35181-2017
/// chapter 4): what the app and the office call it instead of "major hazard".
pub const fn suspected_major(lang: Lang) -> &'static str {
    pick(lang, "疑似重大火灾隐患", "Suspected major fire hazard")
}

/// Said with [`suspected_major`].
pub const fn awaiting_determination(lang: Lang) -> &'static str {
    pick(lang, "待集体讨论认定", "awaiting collective determination")
}

/// Said with a major grade the collective determination confirmed.
pub const fn determined_major(lang: Lang) -> &'static str {
    pick(lang, "经集体讨论认定", "collectively determined")
}

/// Said with the general grade of a hazard the determination found not major.
pub const fn determined_not_major(lang: Lang) -> &'static str {
    pick(lang, "经集体讨论认定不属于重大火灾隐患", "determined not a major fire hazard")
}

pub const fn collective_determination(lang: Lang) -> &'static str {
    pick(lang, "集体讨论认定", "Collective determination")
}

pub const fn conclusion(conclusion: Conclusion, lang: Lang) -> &'static str {
    match conclusion {
        Conclusion::Major => pick(lang, "属于重大火灾隐患", "Major fire hazard"),
        Conclusion::NotMajor => pick(lang, "不属于重大火灾隐患", "Not a major fire hazard"),
    }
}

pub const fn determination_date(lang: Lang) -> &'static str {
    pick(lang, "讨论日期", "Date of the discussion")
}

pub const fn participants(lang: Lang) -> &'static str {
    pick(lang, "参加人员", "Participants")
}

pub const fn expert_panel(lang: Lang) -> &'static str {
    pick(lang, "专家组", "Expert panel")
}

pub const fn votes_in_favour(lang: Lang) -> &'static str {
    pick(lang, "同意票数", "Votes in favour")
}

pub const fn determination_reason(lang: Lang) -> &'static str {
    pick(lang, "认定理由", "Reason")
}

pub const fn person_name(lang: Lang) -> &'static str {
    pick(lang, "姓名", "Name")
}

pub const fn person_role(lang: Lang) -> &'static str {
    pick(lang, "职务或单位", "Post or unit")
}

pub const fn verdict(verdict: Verdict, lang: Lang) -> &'static str {
    match verdict {
        Verdict::Rectified => pick(lang, "已整改", "Rectified"),
        Verdict::NotRectified => pick(lang, "未整改", "Not rectified"),
    }
}

/// A carried hazard no verdict has been given on yet.
pub const fn no_verdict(lang: Lang) -> &'static str {
    pick(lang, "尚未作出复查结论", "no verdict yet")
}

/// A hazard fixed during the visit (its status, and the heading of how).
pub const fn rectified_on_the_spot(lang: Lang) -> &'static str {
    pick(lang, "已立查立改", "Rectified on the spot")
}

pub const fn site_field(field: SiteField, lang: Lang) -> &'static str {
    match field {
        SiteField::SiteName => pick(lang, "场所名称", "Site name"),
        SiteField::Address => pick(lang, "地址", "Address"),
        SiteField::Category => pick(lang, "场所类别", "Site category"),
        SiteField::Enterprise => pick(lang, "单位（企业）名称", "Enterprise / organisation"),
        SiteField::Principal => pick(lang, "主要负责人 / 法定代表人", "Principal in charge / legal representative"),
        SiteField::PrincipalPhone => pick(lang, "负责人电话", "Principal's phone"),
        SiteField::Uscc => pick(lang, "统一社会信用代码", "Unified social credit code"),
        SiteField::Department => pick(lang, "检查部门", "Inspecting department"),
        SiteField::Inspectors => pick(lang, "检查人员", "Inspectors"),
    }
}

pub const fn rectification_field(field: RectificationField, lang: Lang) -> &'static str {
    match field {
        RectificationField::OnTheSpotNote => pick(lang, "现场整改情况", "How it was fixed on the spot"),
        RectificationField::Measures => pick(lang, "整改措施", "Measures"),
        RectificationField::Unit => pick(lang, "责任单位", "Responsible unit"),
        RectificationField::Person => pick(lang, "责任人", "Responsible person"),
        RectificationField::Role => pick(lang, "责任人职务", "Their role"),
        RectificationField::Phone => pick(lang, "责任人电话", "Their phone"),
        RectificationField::Funds => pick(lang, "整改资金", "Funds"),
        RectificationField::Deadline => pick(lang, "整改期限", "Deadline"),
        RectificationField::ContingencyPlan => pick(lang, "应急预案（整改期间的防范措施）", "Contingency plan until fixed"),
        RectificationField::Supervisor => pick(lang, "挂牌督办责任人", "Supervising official (listed supervision)"),
    }
}

pub const fn signer_role(role: SignerRole, lang: Lang) -> &'static str {
    match role {
        SignerRole::Inspector => pick(lang, "检查人员", "Inspector"),
        SignerRole::SiteRepresentative => pick(lang, "场所代表", "Site representative"),
        SignerRole::Witness => pick(lang, "见证人", "Witness"),
    }
}

/// The heading of an answer (the group of the three buttons, the office's column).
pub const fn answer_label(lang: Lang) -> &'static str {
    pick(lang, "检查结果", "Result")
}

pub const fn grade_label(lang: Lang) -> &'static str {
    pick(lang, "隐患等级", "Grade")
}

/// The inspector's raise of a rule grade, as the record states it.
pub const fn grade_raised(lang: Lang) -> &'static str {
    pick(lang, "提升为重大隐患", "Raised to major")
}

/// The inspector's lowering of a rule grade, as the record states it (a reason goes with it).
pub const fn grade_lowered(lang: Lang) -> &'static str {
    pick(lang, "降为一般隐患", "Lowered to general")
}

pub const fn lower_reason(lang: Lang) -> &'static str {
    pick(lang, "降级理由", "Reason for lowering")
}

pub const fn verdict_label(lang: Lang) -> &'static str {
    pick(lang, "复查结论", "Verdict")
}

pub const fn note_label(lang: Lang) -> &'static str {
    pick(lang, "备注", "Note")
}

pub const fn hazards_found(lang: Lang) -> &'static str {
    pick(lang, "发现的隐患", "Hazards found")
}

pub const fn photos(lang: Lang) -> &'static str {
    pick(lang, "照片", "Photos")
}

pub const fn signatures(lang: Lang) -> &'static str {
    pick(lang, "签名", "Signatures")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word exists in both languages and differs between them where a phone in the
    /// other language would otherwise show a word it cannot read.
    #[test]
    fn every_word_is_written_in_both_languages() {
        let mut words: Vec<fn(Lang) -> &'static str> = vec![answer_label, grade_label, verdict_label, note_label, no_verdict];
        words.extend([hazards_found, photos, signatures, rectified_on_the_spot]);
        for word in words {
            assert!(!word(Lang::Zh).is_empty() && !word(Lang::En).is_empty());
            assert_ne!(word(Lang::Zh), word(Lang::En));
        }
        for a in Answer::ALL {
            assert_ne!(answer(a, Lang::Zh), answer(a, Lang::En));
        }
        for f in SiteField::ALL {
            assert_ne!(site_field(f, Lang::Zh), site_field(f, Lang::En));
        }
        for f in RectificationField::PLANNED {
            assert_ne!(rectification_field(f, Lang::Zh), rectification_field(f, Lang::En));
        }
    }

    #[test]
    fn a_hazard_is_called_what_the_app_calls_it() {
        assert_eq!(answer(Answer::Hazard, Lang::Zh), "发现隐患");
        assert_eq!(grade(Grade::Major, Lang::Zh), "重大隐患");
    }

    #[test]
    fn a_suspected_major_is_called_what_the_standing_says_and_each_determination_word_differs() {
        // The words GB 35181-2017 chapter 4 gives the phone's finding, the office's too.
        assert_eq!((suspected_major(Lang::Zh), suspected_major(Lang::En)), ("疑似重大火灾隐患", "Suspected major fire hazard"));
        assert_eq!(awaiting_determination(Lang::Zh), "待集体讨论认定");
        let words: Vec<fn(Lang) -> &'static str> = vec![
            suspected_major,
            awaiting_determination,
            determined_major,
            determined_not_major,
            collective_determination,
            determination_date,
            participants,
            expert_panel,
            votes_in_favour,
            determination_reason,
            person_name,
            person_role,
        ];
        let mut seen = std::collections::HashSet::new();
        for word in &words {
            for lang in [Lang::Zh, Lang::En] {
                assert!(!word(lang).trim().is_empty());
                assert!(seen.insert(word(lang)), "{} is used twice", word(lang));
            }
        }
        assert_eq!(conclusion(Conclusion::NotMajor, Lang::Zh), "不属于重大火灾隐患");
        assert_eq!(conclusion(Conclusion::Major, Lang::En), "Major fire hazard");
        assert_ne!(conclusion(Conclusion::Major, Lang::Zh), conclusion(Conclusion::NotMajor, Lang::Zh));
        assert_ne!(conclusion(Conclusion::NotMajor, Lang::En), conclusion(Conclusion::NotMajor, Lang::Zh));
    }
}
