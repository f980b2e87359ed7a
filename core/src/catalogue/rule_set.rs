//! A composite grading rule set as data: the standard and edition it transcribes, its site
//! classes, thresholds and exclusions. One engine (`grading::determine`) evaluates any rule
//! set, so a new edition of the standard is a new data file, not code.
//!
//! Two formats are read. Format 1 counts hazards on items of named element *groups*
//! ("evacuation", "smoke"); it stays for the checklist editions that name such a rule set,
//! so their drafts grade as they always did. Format 2 transcribes the standard's own
//! numbered *elements* (`7.3.2`): thresholds list elements or take any element of a
//! chapter, and the engine counts distinct elements, so two items on one clause count once.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::catalogue::template::{Template, TemplateError};
use crate::text::LocalText;

/// The newest rule-set format this build reads (format 1 is still read).
pub const RULE_SET_FORMAT: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub format: u32,
    /// Names the standard and its edition, for example `gb35181-2017`. Never reused for
    /// another edition or another transcription: drafts and grades refer to it.
    pub id: String,
    /// The standard as cited, for example "GB 35181-2017《重大火灾隐患判定方法》第5.3条".
    pub standard: String,
    pub name: LocalText,
    /// Whether the thresholds as a whole were checked against the official text.
    pub verified: bool,
    /// Format 2: what every grade by this rule set says about the edition it follows, for
    /// example that the edition was superseded and on which date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition_note: Option<LocalText>,
    /// Format 2: the procedure by which a major hazard this rule set finds is settled, as
    /// cited (for example "GB 35181-2017 第4章"). When present, every major hazard of an
    /// inspection it grades (direct, composite or raised by the inspector) is only
    /// *suspected* until the inspection records a collective determination (see
    /// [`crate::inspection::determination`]). Absent: the grade is final, as in the sectors
    /// whose criteria make a hazard major directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collective_determination: Option<String>,
    pub site_classes: Vec<Named>,
    /// Format 1: the element groups items name. Format 2: empty.
    #[serde(default)]
    pub groups: Vec<Named>,
    /// Format 2: the standard's numbered composite elements that items name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<Element>,
    pub thresholds: Vec<Threshold>,
    #[serde(default)]
    pub exclusions: Vec<Named>,
}

/// An id with a name in both languages: a site class, element group or exclusion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named {
    pub id: String,
    pub name: LocalText,
}

/// One numbered element of the standard, for example `7.3.6` (evacuation signs and
/// emergency lighting missing or defective beyond a share). Its chapter is the number
/// before the first dot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    /// The clause number as the standard prints it: digits separated by dots.
    pub id: String,
    pub name: LocalText,
    /// Whether the clause number and its content were checked against a source.
    pub verified: bool,
}

impl Element {
    /// The chapter the element belongs to: `7` for `7.3.6`.
    pub fn chapter(&self) -> &str {
        chapter_of(&self.id)
    }
}

/// "At a site of one of `site_classes`, `at_least` hazards among the counted elements make
/// each of them major." What counts: format 1, items of `groups` (any group when empty);
/// format 2, the distinct `elements` listed, or any element of `chapter`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub site_classes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<String>,
    pub at_least: u32,
}

impl Threshold {
    /// Whether the threshold is one for sites of this class.
    pub fn applies_to(&self, site_class: &str) -> bool {
        self.site_classes.iter().any(|c| c == site_class)
    }

    /// Whether an item naming `element` (a group in format 1, an element id in format 2)
    /// counts towards the threshold.
    pub fn counts(&self, element: &str) -> bool {
        if !self.elements.is_empty() {
            return self.elements.iter().any(|e| e == element);
        }
        if let Some(chapter) = &self.chapter {
            return chapter_of(element) == chapter && element.len() > chapter.len();
        }
        self.groups.is_empty() || self.groups.iter().any(|g| g == element)
    }
}

/// The chapter of a clause number: the part before the first dot.
fn chapter_of(clause: &str) -> &str {
    clause.split('.').next().unwrap_or(clause)
}

/// A clause number: digits separated by single dots, at least one dot (`7.5`, `7.3.6`).
fn is_clause(id: &str) -> bool {
    let parts: Vec<&str> = id.split('.').collect();
    parts.len() >= 2 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

impl RuleSet {
    pub fn site_class(&self, id: &str) -> Option<&Named> {
        self.site_classes.iter().find(|c| c.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Named> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn element(&self, id: &str) -> Option<&Element> {
        self.elements.iter().find(|e| e.id == id)
    }

    pub fn exclusion(&self, id: &str) -> Option<&Named> {
        self.exclusions.iter().find(|e| e.id == id)
    }

    /// Whether items name the standard's numbered elements (format 2) and the engine
    /// counts distinct elements, rather than items of element groups (format 1).
    pub fn counts_elements(&self) -> bool {
        self.format >= 2
    }

    /// What is wrong with the rule set itself; paths start `rule set <id>`.
    pub fn problems(&self) -> Vec<TemplateError> {
        let mut errors = Vec::new();
        let root = format!("rule set {}", if self.id.is_empty() { "(no id)" } else { &self.id });
        let mut error = |path: String, message: &str| errors.push(TemplateError { path, message: message.to_string() });
        if !(1..=RULE_SET_FORMAT).contains(&self.format) {
            error(format!("{root} / format"), "unsupported rule set format (this app reads formats 1 and 2)");
        }
        if self.standard.trim().is_empty() {
            error(format!("{root} / standard"), "must name the standard and its edition");
        }
        for (list, what) in [(&self.site_classes, "site class"), (&self.groups, "group"), (&self.exclusions, "exclusion")] {
            let mut seen = HashSet::new();
            for named in list.iter() {
                if named.id.is_empty() || !seen.insert(named.id.as_str()) {
                    error(format!("{root} / {what} {}", named.id), "id empty or repeated");
                }
                if !is_complete(&named.name) {
                    error(format!("{root} / {what} {} / name", named.id), "needs zh and en");
                }
            }
        }
        let by_element = self.counts_elements();
        if by_element && !self.groups.is_empty() {
            error(format!("{root} / groups"), "format 2 counts elements, not groups: leave groups out");
        }
        if !by_element && (!self.elements.is_empty() || self.edition_note.is_some() || self.collective_determination.is_some()) {
            error(format!("{root} / format"), "elements, edition_note and collective_determination need format 2");
        }
        if self.collective_determination.as_ref().is_some_and(|basis| basis.trim().is_empty()) {
            error(format!("{root} / collective_determination"), "must cite the procedure, or be left out");
        }
        if self.edition_note.as_ref().is_some_and(|note| !is_complete(note)) {
            error(format!("{root} / edition_note"), "needs zh and en");
        }
        let mut seen = HashSet::new();
        for element in &self.elements {
            if !is_clause(&element.id) || !seen.insert(element.id.as_str()) {
                error(format!("{root} / element {}", element.id), "must be a clause number (such as 7.3.2), once");
            }
            if !is_complete(&element.name) {
                error(format!("{root} / element {} / name", element.id), "needs zh and en");
            }
        }
        // A format 2 rule set may have no thresholds yet: an edition whose composite
        // elements are still being entered grades only the templates' direct items.
        if self.thresholds.is_empty() && !by_element {
            error(format!("{root} / thresholds"), "needs at least one threshold");
        }
        for (n, threshold) in self.thresholds.iter().enumerate() {
            let path = format!("{root} / threshold {}", n + 1);
            if threshold.at_least == 0 {
                error(format!("{path} / at_least"), "must be at least 1");
            }
            if threshold.site_classes.is_empty() {
                error(format!("{path} / site_classes"), "needs at least one site class");
            }
            for class in &threshold.site_classes {
                if self.site_class(class).is_none() {
                    error(format!("{path} / site_classes"), &format!("unknown site class {class}"));
                }
            }
            for group in &threshold.groups {
                if self.group(group).is_none() {
                    error(format!("{path} / groups"), &format!("unknown group {group}"));
                }
            }
            for element in &threshold.elements {
                if self.element(element).is_none() {
                    error(format!("{path} / elements"), &format!("unknown element {element}"));
                }
            }
            if let Some(chapter) = &threshold.chapter {
                if !self.elements.iter().any(|e| e.chapter() == chapter) {
                    error(format!("{path} / chapter"), &format!("no element of chapter {chapter}"));
                }
            }
            if by_element && (threshold.elements.is_empty() == threshold.chapter.is_none()) {
                error(path.clone(), "needs either elements or a chapter, not both");
            }
            if !by_element && (!threshold.elements.is_empty() || threshold.chapter.is_some()) {
                error(path.clone(), "elements and chapter need format 2");
            }
        }
        errors
    }

    /// What a template that names this rule set gets wrong about it: site classes, and
    /// elements (groups in format 1) that the rule set does not have.
    pub fn template_problems(&self, template: &Template) -> Vec<TemplateError> {
        let root = format!("template {}", template.id);
        let mut errors = Vec::new();
        for category in &template.site_categories {
            if let Some(class) = &category.site_class {
                if self.site_class(class).is_none() {
                    errors.push(TemplateError {
                        path: format!("{root} / site category {} / site_class", category.id),
                        message: format!("{class} is not a site class of rule set {}", self.id),
                    });
                }
            }
        }
        for section in &template.sections {
            for item in &section.items {
                let Some(element) = &item.element else { continue };
                let message = match (self.counts_elements(), self.element(element).is_some(), self.group(element).is_some()) {
                    (true, false, _) => format!("{element} is not an element of rule set {}", self.id),
                    (false, _, false) => format!("{element} is not an element group of rule set {}", self.id),
                    _ => continue,
                };
                errors.push(TemplateError { path: format!("{root} / section {} / item {} / element", section.id, item.id), message });
            }
        }
        errors
    }
}

fn is_complete(text: &LocalText) -> bool {
    !text.zh.trim().is_empty() && !text.en.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::fixtures;

    fn named(id: &str, zh: &str, en: &str) -> Named {
        Named { id: id.into(), name: LocalText { zh: zh.into(), en: en.into() } }
    }

    fn paths_and_messages(errors: Vec<TemplateError>) -> Vec<(String, String)> {
        errors.into_iter().map(|e| (e.path, e.message)).collect()
    }

    #[test]
    fn the_shipped_rule_set_and_its_template_have_no_problems() {
        let rule_set = fixtures::rule_set();
        assert_eq!(rule_set.problems(), vec![]);
        assert_eq!(rule_set.template_problems(&fixtures::template()), vec![]);
    }

    #[test]
    fn a_rule_set_names_each_of_its_own_mistakes_by_path() {
        let mut r = fixtures::rule_set();
        r.format = 0;
        r.standard = "  ".into();
        r.site_classes.push(named("", "空", "Empty"));
        r.groups.push(named("smoke", "重复", "Again"));
        r.exclusions.push(named("no-en", "只有中文", " "));
        r.exclusions.push(named("no-zh", "", "English only"));
        r.thresholds.push(Threshold::default());
        r.thresholds.push(Threshold {
            site_classes: vec!["castle".into()],
            groups: vec!["moat".into()],
            at_least: 1,
            ..Threshold::default()
        });
        let root = "rule set gb35181-2017";
        let expected: Vec<(String, &str)> = vec![
            (format!("{root} / format"), "unsupported rule set format (this app reads formats 1 and 2)"),
            (format!("{root} / standard"), "must name the standard and its edition"),
            (format!("{root} / site class "), "id empty or repeated"),
            (format!("{root} / group smoke"), "id empty or repeated"),
            (format!("{root} / exclusion no-en / name"), "needs zh and en"),
            (format!("{root} / exclusion no-zh / name"), "needs zh and en"),
            (format!("{root} / threshold 5 / at_least"), "must be at least 1"),
            (format!("{root} / threshold 5 / site_classes"), "needs at least one site class"),
            (format!("{root} / threshold 6 / site_classes"), "unknown site class castle"),
            (format!("{root} / threshold 6 / groups"), "unknown group moat"),
        ];
        assert_eq!(paths_and_messages(r.problems()), expected.into_iter().map(|(p, m)| (p, m.to_string())).collect::<Vec<_>>());

        r.thresholds.clear();
        r.id.clear();
        let last = paths_and_messages(r.problems()).pop();
        assert_eq!(last, Some(("rule set (no id) / thresholds".into(), "needs at least one threshold".into())));
    }

    #[test]
    fn a_template_naming_a_site_class_or_element_group_the_rule_set_lacks_is_told_where() {
        let mut t = fixtures::template();
        t.site_categories[1].site_class = Some("castle".into());
        t.sections[0].items[2].element = Some("moat".into());
        assert_eq!(
            paths_and_messages(fixtures::rule_set().template_problems(&t)),
            vec![
                (
                    "template fire-demo / site category depot / site_class".into(),
                    "castle is not a site class of rule set gb35181-2017".into()
                ),
                (
                    "template fire-demo / section evac / item ev-3 / element".into(),
                    "moat is not an element group of rule set gb35181-2017".into()
                ),
            ]
        );
    }

    #[test]
    fn the_by_element_rule_sets_have_no_problems_and_the_2017_one_takes_its_template() {
        let r = fixtures::elements_rule_set();
        assert_eq!(r.problems(), vec![]);
        assert!(r.counts_elements() && r.edition_note.is_some() && r.groups.is_empty());
        assert_eq!(r.template_problems(&fixtures::elements_template()), vec![]);
        assert_eq!(r.element("7.3.6").map(Element::chapter), Some("7"));
        assert!(r.elements.iter().any(|e| e.verified) && r.elements.iter().any(|e| !e.verified));
    }

    #[test]
    fn a_threshold_counts_its_listed_elements_or_its_chapter_or_its_groups() {
        let listed = Threshold {
            site_classes: vec!["crowded".into()],
            elements: vec!["7.3.2".into(), "7.5".into()],
            at_least: 3,
            ..Threshold::default()
        };
        assert!(listed.counts("7.3.2") && listed.counts("7.5"));
        assert!(!listed.counts("7.3.3") && !listed.counts("7"), "only what it lists");
        let chapter = Threshold { chapter: Some("7".into()), at_least: 4, ..Threshold::default() };
        assert!(chapter.counts("7.1.1") && chapter.counts("7.5"));
        assert!(!chapter.counts("6.7") && !chapter.counts("70.1") && !chapter.counts("7"), "an element of chapter 7, not the chapter");
        let groups = Threshold { groups: vec!["smoke".into()], at_least: 3, ..Threshold::default() };
        assert!(groups.counts("smoke") && !groups.counts("alarm"));
        assert!(Threshold::default().counts("anything"), "format 1 without groups: any group");
    }

    #[test]
    fn a_by_element_rule_set_names_each_of_its_own_mistakes_by_path() {
        let mut r = fixtures::elements_rule_set();
        r.groups.push(named("smoke", "排烟", "Smoke"));
        r.edition_note = Some(LocalText { zh: " ".into(), en: "note".into() });
        r.elements.push(Element { id: "7.x".into(), name: LocalText { zh: "坏".into(), en: "Bad".into() }, verified: false });
        r.elements.push(Element { id: "7.5".into(), name: LocalText { zh: "".into(), en: "Again".into() }, verified: false });
        r.thresholds.push(Threshold {
            site_classes: vec!["other".into()],
            elements: vec!["7.0.9".into()],
            chapter: Some("8".into()),
            at_least: 2,
            ..Threshold::default()
        });
        r.thresholds.push(Threshold { site_classes: vec!["other".into()], at_least: 2, ..Threshold::default() });
        let root = "rule set gb35181-2017-elements";
        let expected: Vec<(String, &str)> = vec![
            (format!("{root} / groups"), "format 2 counts elements, not groups: leave groups out"),
            (format!("{root} / edition_note"), "needs zh and en"),
            (format!("{root} / element 7.x"), "must be a clause number (such as 7.3.2), once"),
            (format!("{root} / element 7.5"), "must be a clause number (such as 7.3.2), once"),
            (format!("{root} / element 7.5 / name"), "needs zh and en"),
            (format!("{root} / threshold 5 / elements"), "unknown element 7.0.9"),
            (format!("{root} / threshold 5 / chapter"), "no element of chapter 8"),
            (format!("{root} / threshold 5"), "needs either elements or a chapter, not both"),
            (format!("{root} / threshold 6"), "needs either elements or a chapter, not both"),
        ];
        assert_eq!(paths_and_messages(r.problems()), expected.into_iter().map(|(p, m)| (p, m.to_string())).collect::<Vec<_>>());

        // Without thresholds a format 2 rule set is still whole (it grades direct items only).
        let mut r = fixtures::elements_rule_set();
        r.thresholds.clear();
        assert_eq!(r.problems(), vec![]);

        // Format 1 refuses what only format 2 means.
        let mut r = fixtures::rule_set();
        r.elements = fixtures::elements_rule_set().elements;
        r.thresholds[0].chapter = Some("7".into());
        let found = paths_and_messages(r.problems());
        assert_eq!(
            found,
            vec![
                (
                    "rule set gb35181-2017 / format".to_string(),
                    "elements, edition_note and collective_determination need format 2".to_string()
                ),
                ("rule set gb35181-2017 / threshold 1".to_string(), "elements and chapter need format 2".to_string()),
            ]
        );
        let mut r = fixtures::rule_set();
        r.collective_determination = Some("GB 35181-2017 第4章".into());
        assert_eq!(
            paths_and_messages(r.problems()),
            vec![(
                "rule set gb35181-2017 / format".to_string(),
                "elements, edition_note and collective_determination need format 2".to_string()
            )]
        );
    }

    #[test]
    fn the_gb35181_rule_sets_ask_for_a_collective_determination_citing_the_procedure_and_may_not_leave_it_blank() {
        let mut r = fixtures::elements_rule_set();
        assert_eq!(r.collective_determination.as_deref(), Some("GB 35181-2017 第4章"));
        assert_eq!(fixtures::rule_set().collective_determination, None, "format 1 stays as published");
        r.collective_determination = Some(" ".into());
        assert_eq!(
            paths_and_messages(r.problems()),
            vec![(
                "rule set gb35181-2017-elements / collective_determination".to_string(),
                "must cite the procedure, or be left out".to_string()
            )]
        );
        let r2025: RuleSet = serde_json::from_str(include_str!("../../../templates/rules/gb35181-2025.json")).expect("reads");
        assert!(r2025.collective_determination.as_deref().is_some_and(|c| c.contains("(unverified)")));
        // Left out when absent, so a rule set without it reads in a build that predates it.
        let mut r = fixtures::elements_rule_set();
        r.collective_determination = None;
        assert!(!serde_json::to_string(&r).expect("writes").contains("collective_determination"));
    }

    #[test]
    fn a_template_naming_a_group_where_the_rule_set_counts_elements_is_told_where() {
        let mut t = fixtures::elements_template();
        t.sections[0].items[1].element = Some("evacuation".into());
        assert_eq!(
            paths_and_messages(fixtures::elements_rule_set().template_problems(&t)),
            vec![(
                "template fire-elements / section evac / item signs / element".into(),
                "evacuation is not an element of rule set gb35181-2017-elements".into()
            )]
        );
        // And an element id where the rule set has groups.
        let mut t = fixtures::template();
        t.rule_set = Some("gb35181-2017".into());
        t.sections[0].items[0].element = Some("7.3.2".into());
        assert_eq!(fixtures::rule_set().template_problems(&t).len(), 1);
    }
}
