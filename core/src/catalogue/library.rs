//! A library: checklist templates and the grading rule sets they refer to. It is what the
//! build ships as `templates.json` (made from `templates/*.json` and `templates/rules/*.json`),
//! what `GET {endpoint}/templates` returns, what the device keeps of the editions its
//! drafts use, and (or a single template) what an import file holds.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::catalogue::rule_set::RuleSet;
use crate::catalogue::template::{Template, TemplateError};

/// The library format: `{"format": 1, "rule_sets": [...], "templates": [...]}`.
pub const LIBRARY_FORMAT: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Library {
    pub format: u32,
    #[serde(default)]
    pub rule_sets: Vec<RuleSet>,
    #[serde(default)]
    pub templates: Vec<Template>,
}

/// The library shape with each entry still raw, so one bad entry is refused alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLibrary<'a> {
    format: u32,
    #[serde(default, borrow)]
    rule_sets: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    templates: Vec<&'a RawValue>,
}

impl Library {
    pub fn new() -> Library {
        Library { format: LIBRARY_FORMAT, ..Library::default() }
    }

    /// Reads a library file, or a single template file. Entries that are invalid, or whose
    /// rule set is neither in the file nor in `known`, are left out and reported, each error
    /// naming the template (or rule set), section, item and field.
    pub fn parse(json: &str, known: &[RuleSet]) -> (Library, Vec<TemplateError>) {
        let mut library = Library::new();
        let mut errors = Vec::new();
        match serde_json::from_str::<RawLibrary>(json) {
            Ok(raw) => {
                if raw.format != LIBRARY_FORMAT {
                    errors.push(TemplateError {
                        path: "library / format".into(),
                        message: format!("unsupported library format {} (this app reads format 1)", raw.format),
                    });
                    return (library, errors);
                }
                for (n, entry) in raw.rule_sets.iter().enumerate() {
                    match parse_rule_set(entry.get()) {
                        Ok(rule_set) => library.rule_sets.push(rule_set),
                        Err(mut e) => {
                            prefix_unnamed(&mut e, &format!("rule set #{}", n + 1));
                            errors.append(&mut e)
                        }
                    }
                }
                for (n, entry) in raw.templates.iter().enumerate() {
                    match Template::parse(entry.get()) {
                        Ok(template) => library.templates.push(template),
                        Err(mut e) => {
                            prefix_unnamed(&mut e, &format!("template #{}", n + 1));
                            errors.append(&mut e)
                        }
                    }
                }
            }
            // Not a library: perhaps one template on its own.
            Err(_) if looks_like_template(json) => match Template::parse(json) {
                Ok(template) => library.templates.push(template),
                Err(mut e) => errors.append(&mut e),
            },
            Err(e) => errors.push(TemplateError { path: "library".into(), message: e.to_string() }),
        }
        let mut rule_set_errors = library.refuse_unknown_rule_sets(known);
        errors.append(&mut rule_set_errors);
        (library, errors)
    }

    pub fn rule_set(&self, id: &str) -> Option<&RuleSet> {
        self.rule_sets.iter().find(|r| r.id == id)
    }

    pub fn template(&self, id: &str, version: &str) -> Option<&Template> {
        find(&self.templates, id, version)
    }

    /// Adds what `other` has that this library lacks. An edition already here is never
    /// replaced: a draft keeps exactly the template it was started with. Returns how many
    /// templates were added.
    pub fn merge(&mut self, other: Library) -> usize {
        for rule_set in other.rule_sets {
            if self.rule_set(&rule_set.id).is_none() {
                self.rule_sets.push(rule_set);
            }
        }
        let mut added = 0;
        for template in other.templates {
            if self.template(&template.id, &template.version).is_none() {
                self.templates.push(template);
                added += 1;
            }
        }
        added
    }

    /// The newest edition of each template, in the order first seen. "Newest" compares
    /// versions as dotted numbers (`2026.12` > `2026.9`), then as text.
    pub fn latest(&self) -> Vec<&Template> {
        let mut latest: Vec<&Template> = Vec::new();
        for template in &self.templates {
            match latest.iter_mut().find(|t| t.id == template.id) {
                Some(slot) if is_newer(&template.version, &slot.version) => *slot = template,
                Some(_) => {}
                None => latest.push(template),
            }
        }
        latest
    }

    fn refuse_unknown_rule_sets(&mut self, known: &[RuleSet]) -> Vec<TemplateError> {
        let mut errors = Vec::new();
        let rule_sets = &self.rule_sets;
        self.templates.retain(|template| {
            let Some(id) = &template.rule_set else { return true };
            let Some(rule_set) = rule_sets.iter().chain(known).find(|r| &r.id == id) else {
                errors.push(TemplateError {
                    path: format!("template {} / rule_set", template.id),
                    message: format!("rule set {id} is not in the file and not on this device"),
                });
                return false;
            };
            let mut problems = rule_set.template_problems(template);
            let ok = problems.is_empty();
            errors.append(&mut problems);
            ok
        });
        errors
    }
}

/// Finds the exact template (id and edition) a draft was started with, in a list of
/// templates or of shared handles to them.
pub fn find<'a, T: AsRef<Template>>(templates: &'a [T], id: &str, version: &str) -> Option<&'a T> {
    templates.iter().find(|t| t.as_ref().id == id && t.as_ref().version == version)
}

fn parse_rule_set(json: &str) -> Result<RuleSet, Vec<TemplateError>> {
    let rule_set: RuleSet =
        serde_json::from_str(json).map_err(|e| vec![TemplateError { path: "rule set".into(), message: e.to_string() }])?;
    let problems = rule_set.problems();
    if problems.is_empty() {
        Ok(rule_set)
    } else {
        Err(problems)
    }
}

/// A parse error of an entry has no name yet: say which entry it was.
fn prefix_unnamed(errors: &mut [TemplateError], name: &str) {
    for error in errors {
        if error.path == "template" || error.path == "rule set" {
            error.path = name.to_string();
        }
    }
}

fn looks_like_template(json: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        #[allow(dead_code)]
        sections: serde::de::IgnoredAny,
    }
    serde_json::from_str::<Probe>(json).is_ok()
}

/// Whether edition `a` is newer than `b`: dotted numbers compared as numbers
/// (`2026.12` > `2026.9`), then the text.
pub fn is_newer(a: &str, b: &str) -> bool {
    let key = |v: &str| -> Vec<u64> { v.split(['.', '-']).map(|part| part.parse().unwrap_or(0)).collect() };
    (key(a), a) > (key(b), b)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::{Path, PathBuf};

    /// Reads `dir/*.json` as (file stem, text), sorted by name.
    fn read_dir(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("templates directory")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|p| {
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
                (stem, std::fs::read_to_string(&p).expect("readable"))
            })
            .collect()
    }

    /// The built-in library, assembled the way `scripts/library-bundle` does.
    pub(crate) fn built_in_json() -> (String, Vec<(String, String)>) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates");
        let mut templates = read_dir(&root);
        templates.extend(read_dir(&root.join("editions")));
        let rules = read_dir(&root.join("rules"));
        let join = |files: &[(String, String)]| files.iter().map(|(_, j)| j.as_str()).collect::<Vec<_>>().join(",");
        let json = format!("{{\"format\":1,\"rule_sets\":[{}],\"templates\":[{}]}}", join(&rules), join(&templates));
        (json, templates)
    }

    pub(crate) fn built_in() -> Library {
        let (json, _) = built_in_json();
        let (library, errors) = Library::parse(&json, &[]);
        assert!(errors.is_empty(), "{errors:#?}");
        library
    }

    #[test]
    fn every_built_in_template_parses_and_is_named_after_its_file() {
        let (json, files) = built_in_json();
        let (library, errors) = Library::parse(&json, &[]);
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(library.templates.len(), files.len());
        for ((stem, _), template) in files.iter().zip(&library.templates) {
            // templates/<id>.json, or an earlier edition in templates/editions/<id>@<version>.json.
            let expected = if stem.contains('@') { template.edition() } else { template.id.clone() };
            assert_eq!(&expected, stem, "{stem}.json declares {}", template.edition());
        }
    }

    #[test]
    fn built_in_templates_are_complete_in_both_languages_with_a_basis() {
        let library = built_in();
        let mut editions = HashSet::new();
        for t in &library.templates {
            assert!(editions.insert(t.edition()), "duplicate edition {}", t.edition());
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
    fn the_library_covers_every_sector_of_the_directive() {
        let library = built_in();
        let ids: HashSet<&str> = library.templates.iter().map(|t| t.id.as_str()).collect();
        for sector in [
            "commercial-complex",
            "high-rise-building",
            "crowded-places",
            "hazardous-chemicals",
            "warehouse-logistics",
            "construction-site",
            "self-built-house",
            "industry-trade",
            "mine",
            "tailings-pond",
            "road-water-transport",
            "fireworks",
            "gas-network",
            "forest-fire",
        ] {
            assert!(ids.contains(sector), "no built-in template for {sector}");
        }
        // Every sector grades: at least one item of its newest edition is a direct major hazard.
        for t in library.latest() {
            assert!(t.items().any(|i| i.major.is_some()), "{} has no direct major-hazard item", t.id);
        }
    }

    #[test]
    fn a_single_template_file_imports_as_a_library_of_one() {
        let (_, files) = built_in_json();
        let plain = files.iter().find(|(_, j)| !j.contains("\"rule_set\"")).expect("a template without rule set");
        let (library, errors) = Library::parse(&plain.1, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(library.templates.len(), 1);
    }

    #[test]
    fn a_template_whose_rule_set_is_unknown_is_refused_by_name() {
        let (_, files) = built_in_json();
        let graded = files.iter().find(|(_, j)| j.contains("\"rule_set\"")).expect("a template with a rule set");
        let (library, errors) = Library::parse(&graded.1, &[]);
        assert!(library.templates.is_empty());
        assert_eq!(errors[0].path, format!("template {} / rule_set", graded.0));
        // Known on the device already: accepted.
        let known = built_in().rule_sets;
        let (library, errors) = Library::parse(&graded.1, &known);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(library.templates.len(), 1);
    }

    #[test]
    fn one_bad_template_is_refused_alone_and_named() {
        let json = format!("{{\"format\":1,\"templates\":[{},{{\"format\":2}}]}}", crate::catalogue::template::tests::MINIMAL);
        let (library, errors) = Library::parse(&json, &[]);
        assert_eq!(library.templates.len(), 1);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, "template #2");
        for garbage in ["", "[", "null", "{\"format\":7}", "{\"templates\":5}"] {
            let (library, errors) = Library::parse(garbage, &[]);
            assert!(library.templates.is_empty() && !errors.is_empty(), "{garbage}");
        }
    }

    #[test]
    fn merge_never_replaces_an_edition_and_latest_picks_the_newest() {
        let mut old = Template::parse(crate::catalogue::template::tests::MINIMAL).expect("valid");
        old.version = "2026.9".into();
        let mut new = old.clone();
        new.version = "2026.12".into();
        let mut changed = old.clone();
        changed.title.en = "Changed".into();
        let mut library = Library::new();
        assert_eq!(library.merge(Library { templates: vec![old.clone(), new.clone()], ..Library::new() }), 2);
        assert_eq!(library.merge(Library { templates: vec![changed], ..Library::new() }), 0);
        assert_eq!(library.template("demo", "2026.9"), Some(&old));
        assert_eq!(library.latest(), vec![&new]);
    }
}
