//! A composite grading rule set as data: the standard and edition it transcribes, its site
//! classes, element groups, thresholds and exclusions. One engine (`grading::determine`)
//! evaluates any rule set, so a new edition of the standard is a new data file, not code.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::catalogue::template::{Template, TemplateError};
use crate::text::LocalText;

/// The rule-set format this build reads.
pub const RULE_SET_FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub format: u32,
    /// Names the standard and its edition, for example `gb35181-2017`. Never reused for
    /// another edition: drafts and grades refer to it.
    pub id: String,
    /// The standard as cited, for example "GB 35181-2017《重大火灾隐患判定方法》".
    pub standard: String,
    pub name: LocalText,
    /// Whether the thresholds were checked against the official text.
    pub verified: bool,
    pub site_classes: Vec<Named>,
    pub groups: Vec<Named>,
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

/// "At a site of one of `site_classes`, `at_least` hazards among elements of `groups`
/// (any group when empty) make each of them major."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub site_classes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    pub at_least: u32,
}

impl Threshold {
    /// Whether the threshold is one for sites of this class.
    pub fn applies_to(&self, site_class: &str) -> bool {
        self.site_classes.iter().any(|c| c == site_class)
    }

    /// Whether an element of this group counts towards the threshold.
    pub fn counts(&self, group: &str) -> bool {
        self.groups.is_empty() || self.groups.iter().any(|g| g == group)
    }
}

impl RuleSet {
    pub fn site_class(&self, id: &str) -> Option<&Named> {
        self.site_classes.iter().find(|c| c.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Named> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn exclusion(&self, id: &str) -> Option<&Named> {
        self.exclusions.iter().find(|e| e.id == id)
    }

    /// What is wrong with the rule set itself; paths start `rule set <id>`.
    pub fn problems(&self) -> Vec<TemplateError> {
        let mut errors = Vec::new();
        let root = format!("rule set {}", if self.id.is_empty() { "(no id)" } else { &self.id });
        let mut error = |path: String, message: &str| errors.push(TemplateError { path, message: message.to_string() });
        if self.format != RULE_SET_FORMAT {
            error(format!("{root} / format"), "unsupported rule set format (this app reads format 1)");
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
                if named.name.zh.trim().is_empty() || named.name.en.trim().is_empty() {
                    error(format!("{root} / {what} {} / name", named.id), "needs zh and en");
                }
            }
        }
        if self.thresholds.is_empty() {
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
        }
        errors
    }

    /// What a template that names this rule set gets wrong about it: site classes and
    /// element groups that the rule set does not have.
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
                if let Some(group) = &item.element {
                    if self.group(group).is_none() {
                        errors.push(TemplateError {
                            path: format!("{root} / section {} / item {} / element", section.id, item.id),
                            message: format!("{group} is not an element group of rule set {}", self.id),
                        });
                    }
                }
            }
        }
        errors
    }
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
        r.format = 2;
        r.standard = "  ".into();
        r.site_classes.push(named("", "空", "Empty"));
        r.groups.push(named("smoke", "重复", "Again"));
        r.exclusions.push(named("no-en", "只有中文", " "));
        r.exclusions.push(named("no-zh", "", "English only"));
        r.thresholds.push(Threshold { site_classes: vec![], groups: vec![], at_least: 0 });
        r.thresholds.push(Threshold { site_classes: vec!["castle".into()], groups: vec!["moat".into()], at_least: 1 });
        let root = "rule set gb35181-2017";
        let expected: Vec<(String, &str)> = vec![
            (format!("{root} / format"), "unsupported rule set format (this app reads format 1)"),
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
}
