//! The checklists built into the app, one JSON file per sector under `templates/`.
//! They are compiled in so the app has them offline from the first start.

use crate::template::{Template, TemplateError};

/// The source of every built-in template. Add a sector by adding its file here.
const BUILT_IN: &[(&str, &str)] = &[
    ("commercial-complex", include_str!("../../templates/commercial-complex.json")),
    ("hazardous-chemicals", include_str!("../../templates/hazardous-chemicals.json")),
    ("warehouse-logistics", include_str!("../../templates/warehouse-logistics.json")),
];

/// The built-in templates that parse, and the errors of those that do not. A broken
/// built-in is a bug the library test catches; the app still starts with the rest.
pub fn built_in() -> (Vec<Template>, Vec<TemplateError>) {
    let mut templates = Vec::new();
    let mut errors = Vec::new();
    for (name, json) in BUILT_IN {
        match Template::parse(json) {
            Ok(template) if template.id == *name => templates.push(template),
            Ok(template) => errors.push(TemplateError {
                path: format!("templates/{name}.json"),
                message: format!("declares id {} but the file is named {name}", template.id),
            }),
            Err(mut e) => errors.append(&mut e),
        }
    }
    (templates, errors)
}

/// Finds the exact template (id and edition) a draft was started with, in a list of
/// templates or of shared handles to them.
pub fn find<'a, T: AsRef<Template>>(templates: &'a [T], id: &str, version: &str) -> Option<&'a T> {
    templates.iter().find(|t| t.as_ref().id == id && t.as_ref().version == version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_built_in_template_parses() {
        let (templates, errors) = built_in();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(templates.len(), BUILT_IN.len());
    }

    #[test]
    fn built_in_templates_are_complete_in_both_languages_with_a_basis() {
        let (templates, _) = built_in();
        let mut template_ids = HashSet::new();
        for t in &templates {
            assert!(template_ids.insert(t.id.clone()), "duplicate template {}", t.id);
            assert!(t.item_count() >= 15, "{} has only {} items", t.id, t.item_count());
            assert!(t.sections.len() >= 3, "{} has too few sections", t.id);
            let mut ids = HashSet::new();
            for item in t.items() {
                assert!(ids.insert(&item.id), "{}: duplicate item {}", t.id, item.id);
                assert!(!item.text.zh.trim().is_empty() && !item.text.en.trim().is_empty(), "{}", item.id);
                assert!(!item.basis.trim().is_empty(), "{} has no basis", item.id);
                // Chinese text should actually be Chinese, not a copy of the English.
                assert!(item.text.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", item.id);
            }
        }
    }

    #[test]
    fn find_matches_id_and_version() {
        let (templates, _) = built_in();
        let first = &templates[0];
        assert!(find(&templates, &first.id, &first.version).is_some());
        assert!(find(&templates, &first.id, "0.0-not-a-version").is_none());
    }
}
