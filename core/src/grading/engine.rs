//! The one grading engine: it reads a template's direct major-hazard items and a rule
//! set's composite thresholds, and never hard-codes a standard. A new edition of a
//! standard is a new rule-set file; this code does not change.

use std::collections::BTreeMap;

use crate::catalogue::template::Template;
use crate::inspection::hazard::GradeChoice;
use crate::inspection::{Answer, Inspection};
use crate::text::LocalText;

use crate::catalogue::rule_set::RuleSet;
use crate::inspection::hazard::Grade;

/// Why the rules make a hazard major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The item is a major hazard by itself; `criterion` is the template's citation.
    Direct { item: String, criterion: String },
    /// A composite threshold was met: `count` hazards among elements of `groups` (any
    /// group when empty) at a site of class `site_class`, `at_least` being needed.
    Composite {
        rule_set: String,
        site_class: String,
        /// Empty: elements of any group count.
        groups: Vec<String>,
        at_least: u32,
        count: u32,
        /// The hazard items that counted, in checklist order.
        items: Vec<String>,
    },
}

/// What the rules alone say about one hazard, before the inspector's choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Determination {
    pub rule_grade: Grade,
    /// Every rule that makes it major. Kept when an exclusion sets the grade aside, so the
    /// record still shows what would have applied.
    pub reasons: Vec<Reason>,
    /// The inspection's exclusion ids (known to the rule set) that set a rule major
    /// aside; then `rule_grade` is general.
    pub excluded_by: Vec<String>,
}

/// Determines the rule grade of every item answered "hazard", keyed by item id.
///
/// `rule_set` is used only when it is the one the template names: a template graded
/// against another standard's site classes and groups would be graded wrongly, so then
/// only the direct items grade (as they do for an unknown site category or a template
/// without a rule set).
pub fn determine(inspection: &Inspection, template: &Template, rule_set: Option<&RuleSet>) -> BTreeMap<String, Determination> {
    let hazard_items: Vec<&crate::catalogue::template::Item> =
        template.items().filter(|item| inspection.answer(&item.id) == Some(Answer::Hazard)).collect();
    let mut reasons: BTreeMap<String, Vec<Reason>> = hazard_items.iter().map(|item| (item.id.clone(), Vec::new())).collect();

    for item in &hazard_items {
        if let (Some(criterion), Some(list)) = (&item.major, reasons.get_mut(&item.id)) {
            list.push(Reason::Direct { item: item.id.clone(), criterion: criterion.clone() });
        }
    }

    let rule_set = rule_set.filter(|r| template.rule_set.as_deref() == Some(r.id.as_str()));
    let site_class = template.site_category(inspection.site.category.trim()).and_then(|c| c.site_class.as_deref());
    if let (Some(rule_set), Some(site_class)) = (rule_set, site_class) {
        for threshold in rule_set.thresholds.iter().filter(|t| t.applies_to(site_class)) {
            let counted: Vec<String> = hazard_items
                .iter()
                .filter(|item| item.element.as_deref().is_some_and(|group| threshold.counts(group)))
                .map(|item| item.id.clone())
                .collect();
            let count = u32::try_from(counted.len()).unwrap_or(u32::MAX);
            if count < threshold.at_least {
                continue;
            }
            for id in &counted {
                if let Some(list) = reasons.get_mut(id) {
                    list.push(Reason::Composite {
                        rule_set: rule_set.id.clone(),
                        site_class: site_class.to_string(),
                        groups: threshold.groups.clone(),
                        at_least: threshold.at_least,
                        count,
                        items: counted.clone(),
                    });
                }
            }
        }
    }

    // The standard's exclusions say the premises are not to be judged to have a major
    // hazard at all, so they set aside every rule major of a template graded by it.
    let excluded_by: Vec<String> = match rule_set {
        Some(rule_set) => {
            let mut ids: Vec<String> = Vec::new();
            for id in &inspection.exclusions {
                if rule_set.exclusion(id).is_some() && !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
            ids
        }
        None => Vec::new(),
    };

    reasons
        .into_iter()
        .map(|(item, reasons)| {
            let major = !reasons.is_empty();
            let excluded = major && !excluded_by.is_empty();
            let determination = Determination {
                rule_grade: if major && !excluded { Grade::Major } else { Grade::General },
                reasons,
                excluded_by: if excluded { excluded_by.clone() } else { Vec::new() },
            };
            (item, determination)
        })
        .collect()
}

/// The grade after the inspector's choice. Raising needs no reason (erring on the safe
/// side); lowering a rule major needs a written one, and without it the grade stays major
/// (completion reports the missing reason).
pub fn settled_grade(determination: &Determination, choice: &GradeChoice) -> Grade {
    match choice {
        GradeChoice::Raised => Grade::Major,
        GradeChoice::Lowered { reason } if determination.rule_grade == Grade::Major && !reason.trim().is_empty() => Grade::General,
        _ => determination.rule_grade,
    }
}

/// The determination in words, in both languages, naming the rule set (its `standard`)
/// or criterion behind it, so a grade can be checked by whoever reads the record.
pub fn explain(determination: &Determination, template: &Template, rule_set: Option<&RuleSet>) -> LocalText {
    let rule_set = rule_set.filter(|r| template.rule_set.as_deref() == Some(r.id.as_str()));
    let reasons: Vec<LocalText> = determination.reasons.iter().map(|r| reason_text(r, template, rule_set)).collect();
    let joined = LocalText {
        zh: reasons.iter().map(|r| r.zh.as_str()).collect::<Vec<_>>().join("；"),
        en: reasons.iter().map(|r| r.en.as_str()).collect::<Vec<_>>().join("; "),
    };
    if !determination.excluded_by.is_empty() {
        let names: Vec<LocalText> = determination
            .excluded_by
            .iter()
            .map(|id| rule_set.and_then(|r| r.exclusion(id)).map(|e| e.name.clone()).unwrap_or_else(|| same(id)))
            .collect();
        let standard = rule_set.map(|r| r.standard.as_str()).or(template.rule_set.as_deref()).unwrap_or("");
        return LocalText {
            zh: format!(
                "一般隐患：{}，不判定为重大隐患（{standard}）；否则将判定为重大隐患：{}",
                names.iter().map(|n| n.zh.as_str()).collect::<Vec<_>>().join("、"),
                joined.zh
            ),
            en: format!(
                "general: set aside as a major hazard because {} ({standard}); otherwise major: {}",
                names.iter().map(|n| n.en.as_str()).collect::<Vec<_>>().join(" and "),
                joined.en
            ),
        };
    }
    if determination.rule_grade == Grade::Major {
        return LocalText { zh: format!("重大隐患：{}", joined.zh), en: format!("major: {}", joined.en) };
    }
    let checked = match rule_set {
        Some(r) => LocalText {
            zh: format!("已核对本检查表的直接判定项及综合判定规则 {}", r.standard),
            en: format!("checked: the checklist's direct criteria and the composite rule of {}", r.standard),
        },
        None => LocalText {
            zh: "已核对本检查表的直接判定项；无综合判定规则".into(),
            en: "checked: the checklist's direct criteria; no composite rule applies to it".into(),
        },
    };
    LocalText {
        zh: format!("一般隐患：不符合任何重大隐患判定规则（{}）", checked.zh),
        en: format!("general: no major-hazard rule applies ({})", checked.en),
    }
}

/// One reason without the grade in front.
fn reason_text(reason: &Reason, template: &Template, rule_set: Option<&RuleSet>) -> LocalText {
    match reason {
        Reason::Direct { criterion, .. } => {
            LocalText { zh: format!("直接判定依据 {criterion}"), en: format!("direct criterion {criterion}") }
        }
        Reason::Composite { rule_set: id, site_class, groups, count, items, .. } => {
            let rule_set = rule_set.filter(|r| &r.id == id);
            let class = rule_set.and_then(|r| r.site_class(site_class)).map(|c| c.name.clone()).unwrap_or_else(|| same(site_class));
            let group_names: Vec<LocalText> =
                groups.iter().map(|g| rule_set.and_then(|r| r.group(g)).map(|n| n.name.clone()).unwrap_or_else(|| same(g))).collect();
            let standard = rule_set.map(|r| r.standard.as_str()).unwrap_or(id);
            let (zh_groups, en_groups) = if group_names.is_empty() {
                ("任意类别的综合判定".to_string(), "".to_string())
            } else {
                let zh: Vec<&str> = group_names.iter().map(|n| n.zh.as_str()).collect();
                let en: Vec<&str> = group_names.iter().map(|n| n.en.as_str()).collect();
                (or_list(&zh, "、", "或"), format!("{} ", or_list(&en, ", ", " or ")))
            };
            let elements = if *count == 1 { "element" } else { "elements" };
            let any = if groups.is_empty() { " of any group" } else { "" };
            let article = if class.en.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            let item_word = if items.len() == 1 { "item" } else { "items" };
            LocalText {
                zh: format!("{}存在{count}项{zh_groups}要素（{standard}）：{}", class.zh, numbered(template, items, "第", "项").join("、")),
                en: format!(
                    "{count} {en_groups}{elements}{any} in {article} {} ({standard}): {item_word} {}",
                    class.en,
                    numbered(template, items, "no. ", "").join(", ")
                ),
            }
        }
    }
}

/// Items as the inspector sees them, by their number in the checklist, with the id for the
/// office: "no. 5 (cc-evac-01)" / "第5项（cc-evac-01）".
fn numbered(template: &Template, items: &[String], before: &str, after: &str) -> Vec<String> {
    items
        .iter()
        .map(|id| match template.items().position(|item| &item.id == id) {
            Some(n) if after.is_empty() => format!("{before}{} ({id})", n + 1),
            Some(n) => format!("{before}{}{after}（{id}）", n + 1),
            None => id.clone(),
        })
        .collect()
}

/// "a, b or c" in the given separators.
fn or_list(names: &[&str], separator: &str, last: &str) -> String {
    match names.split_last() {
        None => String::new(),
        Some((only, [])) => only.to_string(),
        Some((tail, head)) => format!("{}{last}{tail}", head.join(separator)),
    }
}

/// An id standing in for a name the rule set does not have (the rule set was not given).
fn same(id: &str) -> LocalText {
    LocalText { zh: id.to_string(), en: id.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::fixtures::{inspection, rule_set, template};

    /// The rule grade of each hazard item, in item-id order.
    fn grades(category: &str, hazards: &[&str]) -> Vec<(String, Grade)> {
        let (t, r) = (template(), rule_set());
        determine(&inspection(1, category, hazards), &t, Some(&r)).into_iter().map(|(id, d)| (id, d.rule_grade)).collect()
    }

    fn all(hazards: &[&str], grade: Grade) -> Vec<(String, Grade)> {
        let mut expected: Vec<(String, Grade)> = hazards.iter().map(|h| (h.to_string(), grade)).collect();
        expected.sort();
        expected
    }

    fn assert_all(category: &str, hazards: &[&str], grade: Grade) {
        assert_eq!(grades(category, hazards), all(hazards, grade), "{category} {hazards:?}");
    }

    #[test]
    fn crowded_place_two_evacuation_smoke_or_decoration_elements_are_general_three_are_major() {
        assert_all("mall", &["ev-1", "sm-1"], Grade::General);
        assert_all("mall", &["ev-1", "de-1"], Grade::General);
        assert_all("mall", &["ev-1", "sm-1", "de-1"], Grade::Major);
        assert_all("mall", &["ev-1", "ev-2", "ev-3"], Grade::Major);
        let d = determine(&inspection(1, "mall", &["ev-1", "sm-1", "de-1"]), &template(), Some(&rule_set()));
        assert_eq!(
            d["sm-1"].reasons,
            vec![Reason::Composite {
                rule_set: "gb35181-2017".into(),
                site_class: "crowded".into(),
                groups: vec!["evacuation".into(), "smoke".into(), "decoration".into()],
                at_least: 3,
                count: 3,
                items: vec!["ev-1".into(), "sm-1".into(), "de-1".into()],
            }]
        );
        assert!(d["sm-1"].excluded_by.is_empty());
    }

    #[test]
    fn a_third_element_from_another_group_does_not_count_for_the_crowded_evacuation_threshold() {
        assert_all("mall", &["ev-1", "sm-1", "al-1"], Grade::General);
        assert_all("mall", &["ev-1", "de-1", "la-1"], Grade::General);
        // An item without an element never counts, not even towards "any group".
        assert_all("mall", &["ev-1", "sm-1", "pl-1"], Grade::General);
        assert_all("mall", &["ev-1", "sm-1", "al-1", "pl-1"], Grade::General);
    }

    #[test]
    fn crowded_flammable_and_important_sites_three_elements_of_any_group_are_general_four_are_major() {
        for category in ["mall", "depot", "archive"] {
            assert_all(category, &["ev-1", "al-1", "al-2"], Grade::General);
            assert_all(category, &["ev-1", "al-1", "al-2", "pl-1"], Grade::General);
            let four = ["ev-1", "al-1", "al-2", "la-1"];
            assert_all(category, &four, Grade::Major);
            let d = determine(&inspection(1, category, &four), &template(), Some(&rule_set()));
            assert!(
                matches!(&d["al-1"].reasons[..], [Reason::Composite { groups, at_least: 4, count: 4, .. }] if groups.is_empty()),
                "{category}: {:?}",
                d["al-1"].reasons
            );
        }
    }

    #[test]
    fn an_item_meeting_two_thresholds_keeps_both_reasons() {
        let d = determine(&inspection(1, "mall", &["ev-1", "sm-1", "de-1", "al-1"]), &template(), Some(&rule_set()));
        assert_eq!(d["ev-1"].reasons.len(), 2);
        assert_eq!(d["al-1"].reasons.len(), 1, "alarm counts only for the any-group threshold");
        assert!(d.values().all(|d| d.rule_grade == Grade::Major));
    }

    #[test]
    fn flammable_site_two_layout_or_suppression_elements_are_general_three_are_major() {
        assert_all("depot", &["la-1", "su-1"], Grade::General);
        assert_all("depot", &["la-1", "la-2", "su-1"], Grade::Major);
        assert_all("depot", &["la-1", "su-1", "al-1"], Grade::General);
        // The crowded-place evacuation threshold does not apply to a flammable site.
        assert_all("depot", &["ev-1", "sm-1", "de-1"], Grade::General);
    }

    #[test]
    fn important_site_has_no_three_element_threshold() {
        assert_all("archive", &["ev-1", "sm-1", "de-1"], Grade::General);
        assert_all("archive", &["la-1", "la-2", "su-1"], Grade::General);
        assert_all("archive", &["ev-1", "sm-1", "de-1", "al-1"], Grade::Major);
    }

    #[test]
    fn other_sites_five_elements_are_general_six_are_major() {
        assert_all("office", &["ev-1", "ev-2", "ev-3", "sm-1"], Grade::General);
        assert_all("office", &["ev-1", "ev-2", "ev-3", "sm-1", "de-1"], Grade::General);
        assert_all("office", &["ev-1", "ev-2", "ev-3", "sm-1", "de-1", "pl-1"], Grade::General);
        let six = ["ev-1", "ev-2", "ev-3", "sm-1", "de-1", "al-1"];
        assert_all("office", &six, Grade::Major);
        let d = determine(&inspection(1, "office", &six), &template(), Some(&rule_set()));
        assert!(matches!(&d["de-1"].reasons[..], [Reason::Composite { site_class, at_least: 6, count: 6, .. }] if site_class == "other"));
    }

    #[test]
    fn direct_items_are_major_by_themselves_anywhere() {
        for category in ["mall", "depot", "archive", "office", "", "spaceport"] {
            let d = determine(&inspection(1, category, &["dm-1", "pl-1"]), &template(), Some(&rule_set()));
            assert_eq!(d["dm-1"].rule_grade, Grade::Major);
            assert_eq!(d["dm-1"].reasons, vec![Reason::Direct { item: "dm-1".into(), criterion: "GB 35181-2017 5.6".into() }]);
            assert_eq!(d["pl-1"].rule_grade, Grade::General, "a direct major does not make others major");
            assert!(d["pl-1"].reasons.is_empty());
        }
        // Without a rule set at all (a format 1 template), no item is major.
        let (t, mut i) = crate::inspection::record::tests::new_demo();
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 2).unwrap();
        let d = determine(&i, &t, None);
        assert_eq!(d["a-1"].rule_grade, Grade::General);
    }

    #[test]
    fn a_direct_item_with_an_element_counts_for_the_composite_rule_too() {
        let d = determine(&inspection(1, "mall", &["ev-1", "sm-1", "dm-2"]), &template(), Some(&rule_set()));
        assert_eq!(d["dm-2"].reasons.len(), 2);
        assert!(matches!(d["dm-2"].reasons[0], Reason::Direct { .. }));
        assert_eq!(d["ev-1"].rule_grade, Grade::Major, "the direct item is the third evacuation element");
    }

    #[test]
    fn only_items_answered_hazard_are_determined() {
        let t = template();
        let mut i = inspection(1, "mall", &["ev-1", "sm-1"]);
        i.set_answer(&t, "de-1", None, 5).unwrap();
        i.set_note(&t, "de-1", "a note is no hazard", 5).unwrap();
        i.hazards.insert("al-1".into(), Default::default());
        let d = determine(&i, &t, Some(&rule_set()));
        assert_eq!(d.keys().cloned().collect::<Vec<_>>(), vec!["ev-1".to_string(), "sm-1".to_string()]);
        assert!(d.values().all(|d| d.rule_grade == Grade::General));
    }

    #[test]
    fn an_unknown_category_or_a_missing_or_foreign_rule_set_leaves_only_direct_rules() {
        let hazards = ["ev-1", "ev-2", "ev-3", "sm-1", "de-1", "al-1", "dm-1"];
        let major = |d: &BTreeMap<String, Determination>| {
            d.iter().filter(|(_, d)| d.rule_grade == Grade::Major).map(|(id, _)| id.clone()).collect::<Vec<_>>()
        };
        let t = template();
        for category in ["spaceport", "", "  "] {
            assert_eq!(major(&determine(&inspection(1, category, &hazards), &t, Some(&rule_set()))), vec!["dm-1"]);
        }
        let i = inspection(1, "mall", &hazards);
        assert_eq!(major(&determine(&i, &t, None)), vec!["dm-1"]);
        let mut foreign = rule_set();
        foreign.id = "gb35181-2025".into();
        assert_eq!(major(&determine(&i, &t, Some(&foreign))), vec!["dm-1"]);
        assert_eq!(major(&determine(&i, &t, Some(&rule_set()))).len(), hazards.len());
    }

    #[test]
    fn an_exclusion_of_the_rule_set_sets_every_rule_major_aside() {
        let t = template();
        let mut i = inspection(1, "mall", &["ev-1", "sm-1", "de-1", "dm-1", "pl-1"]);
        i.set_exclusion("stopped-operating", true, 3).unwrap();
        let d = determine(&i, &t, Some(&rule_set()));
        for id in ["ev-1", "sm-1", "de-1", "dm-1"] {
            assert_eq!(d[id].rule_grade, Grade::General, "{id}");
            assert_eq!(d[id].excluded_by, vec!["stopped-operating".to_string()], "{id}");
            assert!(!d[id].reasons.is_empty(), "{id}: what would have applied is kept");
        }
        assert_eq!(d["pl-1"].rule_grade, Grade::General);
        assert!(d["pl-1"].excluded_by.is_empty(), "nothing was set aside for a general hazard");

        // Ids the rule set does not know set nothing aside.
        let mut i = inspection(1, "mall", &["ev-1", "sm-1", "de-1"]);
        i.exclusions = vec!["made-up".into()];
        assert!(determine(&i, &t, Some(&rule_set())).values().all(|d| d.rule_grade == Grade::Major));
        // Nor do exclusions without the rule set: the direct item stays major.
        let mut i = inspection(1, "mall", &["dm-1"]);
        i.exclusions = vec!["expert-reviewed".into()];
        assert_eq!(determine(&i, &t, None)["dm-1"].rule_grade, Grade::Major);
        // Both exclusions: both named, once each.
        let mut i = inspection(1, "mall", &["dm-1"]);
        i.exclusions = vec!["expert-reviewed".into(), "stopped-operating".into(), "expert-reviewed".into()];
        assert_eq!(determine(&i, &t, Some(&rule_set()))["dm-1"].excluded_by, vec!["expert-reviewed", "stopped-operating"]);
    }

    fn determination(rule_grade: Grade) -> Determination {
        Determination { rule_grade, reasons: Vec::new(), excluded_by: Vec::new() }
    }

    #[test]
    fn the_inspector_may_raise_any_grade() {
        for rule in [Grade::General, Grade::Major] {
            assert_eq!(settled_grade(&determination(rule), &GradeChoice::Raised), Grade::Major);
            assert_eq!(settled_grade(&determination(rule), &GradeChoice::Rule), rule);
        }
    }

    #[test]
    fn lowering_a_rule_major_needs_a_written_reason() {
        let major = determination(Grade::Major);
        let lowered = |reason: &str| GradeChoice::Lowered { reason: reason.into() };
        assert_eq!(settled_grade(&major, &lowered("Exit reopened during the visit")), Grade::General);
        assert_eq!(settled_grade(&major, &lowered("")), Grade::Major);
        assert_eq!(settled_grade(&major, &lowered(" \n ")), Grade::Major);
        assert_eq!(settled_grade(&determination(Grade::General), &lowered("why not")), Grade::General);
    }

    #[test]
    fn a_composite_major_explains_itself_with_the_groups_site_class_standard_and_items() {
        let (t, r) = (template(), rule_set());
        let d = determine(&inspection(1, "mall", &["ev-1", "sm-1", "de-1"]), &t, Some(&r));
        let text = explain(&d["ev-1"], &t, Some(&r));
        assert_eq!(
            text.en,
            format!(
                "major: 3 evacuation, smoke control or combustible decoration elements in a crowded place ({}): items no. 1 (ev-1), no. 4 (sm-1), no. 5 (de-1)",
                r.standard
            )
        );
        assert_eq!(
            text.zh,
            format!(
                "重大隐患：人员密集场所存在3项安全疏散设施及灭火救援条件、防烟排烟设施或可燃装修要素（{}）：第1项（ev-1）、第4项（sm-1）、第5项（de-1）",
                r.standard
            )
        );

        let d = determine(&inspection(1, "office", &["ev-1", "ev-2", "ev-3", "sm-1", "de-1", "al-1"]), &t, Some(&r));
        let text = explain(&d["al-1"], &t, Some(&r));
        assert!(text.en.starts_with("major: 6 elements of any group in an other site ("), "{}", text.en);
        assert!(text.zh.starts_with("重大隐患：其他场所存在6项任意类别的综合判定要素（"), "{}", text.zh);
    }

    #[test]
    fn a_direct_major_names_its_criterion_and_several_reasons_are_all_given() {
        let (t, r) = (template(), rule_set());
        let d = determine(&inspection(1, "mall", &["dm-1"]), &t, Some(&r));
        let text = explain(&d["dm-1"], &t, Some(&r));
        assert_eq!(text.en, "major: direct criterion GB 35181-2017 5.6");
        assert_eq!(text.zh, "重大隐患：直接判定依据 GB 35181-2017 5.6");

        let d = determine(&inspection(1, "mall", &["ev-1", "sm-1", "dm-2"]), &t, Some(&r));
        let text = explain(&d["dm-2"], &t, Some(&r));
        assert!(text.en.starts_with("major: direct criterion GB 35181-2017 5.4; 3 evacuation"), "{}", text.en);
        assert!(text.zh.contains("GB 35181-2017 5.4；人员密集场所存在3项"), "{}", text.zh);
    }

    #[test]
    fn a_general_hazard_says_which_rules_were_checked() {
        let (t, r) = (template(), rule_set());
        let d = determine(&inspection(1, "mall", &["pl-1"]), &t, Some(&r));
        let text = explain(&d["pl-1"], &t, Some(&r));
        assert!(text.en.starts_with("general: no major-hazard rule applies"), "{}", text.en);
        assert!(text.en.contains(&r.standard), "{}", text.en);
        assert!(text.zh.starts_with("一般隐患：") && text.zh.contains(&r.standard), "{}", text.zh);
        let text = explain(&d["pl-1"], &t, None);
        assert!(text.en.starts_with("general: no major-hazard rule applies"), "{}", text.en);
        assert!(!text.en.contains("GB 35181"), "no rule set was used: {}", text.en);
    }

    #[test]
    fn an_excluded_major_says_which_exclusion_set_it_aside_and_what_would_have_applied() {
        let (t, r) = (template(), rule_set());
        let mut i = inspection(1, "mall", &["ev-1", "sm-1", "de-1"]);
        i.set_exclusion("expert-reviewed", true, 2).unwrap();
        let d = determine(&i, &t, Some(&r));
        let text = explain(&d["de-1"], &t, Some(&r));
        assert!(text.en.starts_with("general: set aside as a major hazard because an expert-reviewed fire design"), "{}", text.en);
        assert!(text.en.contains("otherwise major: 3 evacuation"), "{}", text.en);
        assert!(text.en.contains(&r.standard));
        assert!(text.zh.starts_with("一般隐患：已依法进行消防设计专家评审"), "{}", text.zh);
    }

    #[test]
    fn without_the_rule_set_the_explanation_falls_back_to_ids() {
        let (t, r) = (template(), rule_set());
        let d = determine(&inspection(1, "mall", &["ev-1", "sm-1", "de-1"]), &t, Some(&r));
        let text = explain(&d["ev-1"], &t, None);
        assert_eq!(
            text.en,
            "major: 3 evacuation, smoke or decoration elements in a crowded (gb35181-2017): items no. 1 (ev-1), no. 4 (sm-1), no. 5 (de-1)"
        );
    }

    #[test]
    fn or_lists_read_naturally() {
        assert_eq!(or_list(&[], ", ", " or "), "");
        assert_eq!(or_list(&["a"], ", ", " or "), "a");
        assert_eq!(or_list(&["a", "b"], ", ", " or "), "a or b");
        assert_eq!(or_list(&["a", "b", "c"], "、", "或"), "a、b或c");
    }
}
