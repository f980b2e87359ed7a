//! The checklist template: sections of items, each with its legal basis.
//! The format is documented in docs/templates.md (JSON Schema: docs/template.schema.json).

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::{Lang, LocalText};

/// The newest template format this build reads. Format 1 (no grading metadata) is read as
/// it is; a file with any other number is refused rather than half-understood.
pub const TEMPLATE_FORMAT: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub format: u32,
    pub id: String,
    /// The template's edition. A draft records the version it was started with.
    pub version: String,
    pub sector: LocalText,
    pub title: LocalText,
    /// The composite grading rule set (for example `gb35181-2017`) the site categories and
    /// item elements refer to. Absent: only direct major-hazard items grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_set: Option<String>,
    pub site_categories: Vec<SiteCategory>,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteCategory {
    pub id: String,
    pub name: LocalText,
    /// The rule set's site class (crowded place, flammable site, …) that picks the
    /// composite thresholds. Required exactly when the template has a rule set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_class: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: LocalText,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub text: LocalText,
    /// The document and article the item comes from, with its edition.
    pub basis: String,
    /// Present when any hazard on this item is a major hazard by itself: the criterion
    /// (document, item and edition) that says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major: Option<String>,
    /// The rule set's element group this item counts towards in the composite rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
}

/// Why a template was refused. `path` names where: template, section, item, field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Template {
    /// Parses and validates a template. Every problem found is returned, not just the first,
    /// so whoever wrote the file can fix it in one pass.
    pub fn parse(json: &str) -> Result<Template, Vec<TemplateError>> {
        let template: Template =
            serde_json::from_str(json).map_err(|e| vec![TemplateError { path: "template".into(), message: e.to_string() }])?;
        let errors = template.problems();
        if errors.is_empty() {
            Ok(template)
        } else {
            Err(errors)
        }
    }

    /// Checks the rules JSON alone cannot express.
    pub fn problems(&self) -> Vec<TemplateError> {
        let mut errors = Vec::new();
        let root = format!("template {}", if self.id.is_empty() { "(no id)" } else { &self.id });
        let mut error = |path: String, message: &str| errors.push(TemplateError { path, message: message.to_string() });

        if !(1..=TEMPLATE_FORMAT).contains(&self.format) {
            error(format!("{root} / format"), "unsupported template format (this app reads formats 1 and 2)");
        }
        let graded = self.rule_set.is_some();
        if self.format < 2 && (graded || self.items().any(|i| i.major.is_some() || i.element.is_some())) {
            error(format!("{root} / format"), "grading fields (rule_set, major, element) need format 2");
        }
        if self.rule_set.as_deref().is_some_and(|r| !is_valid_id(r)) {
            error(format!("{root} / rule_set"), "must be a rule set id: lowercase letters, digits and '-'");
        }
        if !is_valid_id(&self.id) {
            error(format!("{root} / id"), "must be non-empty lowercase letters, digits and '-'");
        }
        if self.version.trim().is_empty() {
            error(format!("{root} / version"), "must not be empty");
        }
        check_text(&self.sector, &format!("{root} / sector"), &mut error);
        check_text(&self.title, &format!("{root} / title"), &mut error);

        if self.site_categories.is_empty() {
            error(format!("{root} / site_categories"), "needs at least one category");
        }
        let mut category_ids = HashSet::new();
        for category in &self.site_categories {
            let path = format!("{root} / site category {}", category.id);
            if !is_valid_id(&category.id) {
                error(format!("{path} / id"), "must be non-empty lowercase letters, digits and '-'");
            } else if !category_ids.insert(category.id.as_str()) {
                error(format!("{path} / id"), "appears more than once");
            }
            check_text(&category.name, &format!("{path} / name"), &mut error);
            match (graded, &category.site_class) {
                (true, None) => error(format!("{path} / site_class"), "required because the template has a rule_set"),
                (false, Some(_)) => error(format!("{path} / site_class"), "only allowed in a template with a rule_set"),
                _ => {}
            }
        }

        if self.sections.is_empty() {
            error(format!("{root} / sections"), "needs at least one section");
        }
        let mut section_ids = HashSet::new();
        let mut item_ids = HashSet::new();
        for section in &self.sections {
            let section_path = format!("{root} / section {}", section.id);
            if !is_valid_id(&section.id) {
                error(format!("{section_path} / id"), "must be non-empty lowercase letters, digits and '-'");
            } else if !section_ids.insert(section.id.as_str()) {
                error(format!("{section_path} / id"), "appears more than once");
            }
            check_text(&section.title, &format!("{section_path} / title"), &mut error);
            if section.items.is_empty() {
                error(format!("{section_path} / items"), "needs at least one item");
            }
            for item in &section.items {
                let item_path = format!("{section_path} / item {}", item.id);
                if !is_valid_id(&item.id) {
                    error(format!("{item_path} / id"), "must be non-empty lowercase letters, digits and '-'");
                } else if !item_ids.insert(item.id.as_str()) {
                    error(format!("{item_path} / id"), "appears more than once in the template");
                }
                check_text(&item.text, &format!("{item_path} / text"), &mut error);
                if item.basis.trim().is_empty() {
                    error(format!("{item_path} / basis"), "must name the document and article");
                }
                if item.major.as_deref().is_some_and(|m| m.trim().is_empty()) {
                    error(format!("{item_path} / major"), "must name the criterion that makes it major");
                }
                if item.element.is_some() && !graded {
                    error(format!("{item_path} / element"), "only allowed in a template with a rule_set");
                }
            }
        }
        errors
    }

    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().find(|item| item.id == id)
    }

    /// How an item is named to the inspector: its text in `lang`, or its id where this edition
    /// has no such item (an answer or conclusion kept for an item the edition does not list).
    pub fn item_text(&self, id: &str, lang: Lang) -> String {
        self.item(id).map_or_else(|| id.to_string(), |item| item.text.get(lang).to_string())
    }

    /// The section an item belongs to.
    pub fn section_of(&self, item_id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.items.iter().any(|i| i.id == item_id))
    }

    pub fn site_category(&self, id: &str) -> Option<&SiteCategory> {
        self.site_categories.iter().find(|c| c.id == id)
    }

    /// `id@version`: names one edition, in storage keys and messages.
    pub fn edition(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}

impl AsRef<Template> for Template {
    fn as_ref(&self) -> &Template {
        self
    }
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_text(text: &LocalText, path: &str, error: &mut impl FnMut(String, &str)) {
    if text.zh.trim().is_empty() {
        error(format!("{path} / zh"), "must not be empty");
    }
    if text.en.trim().is_empty() {
        error(format!("{path} / en"), "must not be empty");
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const MINIMAL: &str = r#"{
        "format": 1, "id": "demo", "version": "1",
        "sector": {"zh": "演示", "en": "Demo"},
        "title": {"zh": "演示检查", "en": "Demo inspection"},
        "site_categories": [{"id": "shop", "name": {"zh": "商店", "en": "Shop"}}],
        "sections": [
            {"id": "exits", "title": {"zh": "疏散", "en": "Exits"}, "items": [
                {"id": "d-1", "text": {"zh": "出口畅通", "en": "Exits clear"}, "basis": "Order 61 Art. 25"},
                {"id": "d-2", "text": {"zh": "指示灯完好", "en": "Signs lit"}, "basis": "Order 61 Art. 25"}
            ]}
        ]
    }"#;

    #[test]
    fn a_valid_template_parses() {
        let t = Template::parse(MINIMAL).expect("valid");
        assert_eq!(t.item_count(), 2);
        assert_eq!(t.section_of("d-2").map(|s| s.id.as_str()), Some("exits"));
        assert_eq!(t.item("d-1").map(|i| i.basis.as_str()), Some("Order 61 Art. 25"));
        assert!(t.item("nope").is_none());
    }

    #[test]
    fn an_item_is_named_in_the_language_or_by_its_id() {
        let t = Template::parse(MINIMAL).expect("valid");
        assert_eq!(t.item_text("d-1", Lang::En), "Exits clear");
        assert_eq!(t.item_text("d-1", Lang::Zh), "出口畅通");
        assert_eq!(t.item_text("gone-7", Lang::Zh), "gone-7");
    }

    #[test]
    fn garbage_is_refused_with_a_message() {
        for input in ["", "{", "null", "[]", "{\"format\": 1}", "\u{0}\u{1}"] {
            let errors = Template::parse(input).expect_err(input);
            assert_eq!(errors[0].path, "template");
            assert!(!errors[0].message.is_empty());
        }
    }

    #[test]
    fn unknown_fields_are_refused() {
        let input = MINIMAL.replace("\"basis\": \"Order 61 Art. 25\"}", "\"basis\": \"x\", \"colour\": 1}");
        assert!(Template::parse(&input).is_err());
    }

    #[test]
    fn errors_name_the_template_section_item_and_field() {
        let input = MINIMAL
            .replace("\"d-2\"", "\"d-1\"")
            .replace("\"en\": \"Signs lit\"", "\"en\": \" \"")
            .replace("\"basis\": \"Order 61 Art. 25\"}\n", "\"basis\": \"\"}\n");
        let errors = Template::parse(&input).expect_err("invalid");
        let paths: Vec<String> = errors.iter().map(|e| e.path.clone()).collect();
        assert!(paths.contains(&"template demo / section exits / item d-1 / id".to_string()), "{paths:?}");
        assert!(paths.contains(&"template demo / section exits / item d-1 / text / en".to_string()), "{paths:?}");
        assert!(paths.contains(&"template demo / section exits / item d-1 / basis".to_string()), "{paths:?}");
    }

    #[test]
    fn wrong_format_and_bad_ids_are_refused() {
        let input = MINIMAL.replace("\"format\": 1", "\"format\": 3").replace("\"id\": \"demo\"", "\"id\": \"Demo!\"");
        let errors = Template::parse(&input).expect_err("invalid");
        assert!(errors.iter().any(|e| e.path.ends_with("/ format")));
        assert!(errors.iter().any(|e| e.path == "template Demo! / id"));
    }

    #[test]
    fn empty_sections_and_categories_are_refused() {
        let mut t = Template::parse(MINIMAL).expect("valid");
        t.sections[0].items.clear();
        t.site_categories.clear();
        let problems = t.problems();
        assert!(problems.iter().any(|e| e.path == "template demo / section exits / items"));
        assert!(problems.iter().any(|e| e.path == "template demo / site_categories"));
    }
}
