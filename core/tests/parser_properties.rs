//! The template and library parsers read files from anywhere (imports, a receiver, the
//! device's own storage), so they must refuse bad input with errors, never panic; and what
//! they accept must survive a round trip through serde unchanged.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use safewalk_core::catalogue::library::Library;
use safewalk_core::grading::RuleSet;
use safewalk_core::{Item, LocalText, Section, SiteCategory, Template};
use serde_json::Value;

const RULE_SET: &str = include_str!("../../templates/rules/gb35181-2017.json");

/// A valid graded template: the base of the mutation properties.
const VALID: &str = r#"{
    "format": 2, "id": "fire-demo", "version": "2026.1",
    "sector": {"zh": "演示", "en": "Demo"}, "title": {"zh": "消防演示", "en": "Fire demo"},
    "rule_set": "gb35181-2017",
    "site_categories": [
        {"id": "mall", "name": {"zh": "商场", "en": "Mall"}, "site_class": "crowded"},
        {"id": "office", "name": {"zh": "办公楼", "en": "Office"}, "site_class": "other"}
    ],
    "sections": [
        {"id": "evac", "title": {"zh": "疏散", "en": "Evacuation"}, "items": [
            {"id": "ev-1", "text": {"zh": "疏散通道畅通", "en": "Escape routes clear"}, "basis": "GB 50016-2014 5.5", "element": "evacuation"},
            {"id": "ev-2", "text": {"zh": "安全出口数量", "en": "Enough exits"}, "basis": "GB 50016-2014 5.5.8", "major": "GB 35181-2017 5.4", "element": "evacuation"}]},
        {"id": "other", "title": {"zh": "其他", "en": "Other"}, "items": [
            {"id": "pl-1", "text": {"zh": "灭火器有效", "en": "Extinguishers in date"}, "basis": "GB 50444-2008 6.1"}]}
    ]}"#;

fn rule_set() -> RuleSet {
    serde_json::from_str(RULE_SET).expect("the rule set file reads")
}

fn library_json() -> String {
    format!("{{\"format\":1,\"rule_sets\":[{RULE_SET}],\"templates\":[{VALID}]}}")
}

/// Both parsers over one input: neither may panic, and whatever they accept is valid
/// and round-trips.
fn parse_everything(input: &str) {
    if let Ok(template) = Template::parse(input) {
        assert!(template.problems().is_empty());
        round_trips(&template);
    }
    let known = [rule_set()];
    for known in [&known[..], &[]] {
        let (library, _errors) = Library::parse(input, known);
        for template in &library.templates {
            assert!(template.problems().is_empty(), "{}", template.id);
            round_trips(template);
        }
        for rule_set in &library.rule_sets {
            assert!(rule_set.problems().is_empty(), "{}", rule_set.id);
        }
    }
}

fn round_trips(template: &Template) {
    let json = serde_json::to_string(template).expect("a template serialises");
    assert_eq!(Template::parse(&json).as_ref(), Ok(template));
}

fn config(cases: u32) -> ProptestConfig {
    // Failures are printed with their input; no regressions file is written into the tree.
    ProptestConfig { cases, failure_persistence: Some(Box::new(FileFailurePersistence::Off)), ..ProptestConfig::default() }
}

/// Every path to an object member or array element of a JSON value.
fn paths(value: &Value, prefix: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(PathStep::Key(key.clone()));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (n, child) in items.iter().enumerate() {
                prefix.push(PathStep::Index(n));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

/// Removes the member or element at `path`, or replaces it with `replacement`.
fn edit_at(value: &mut Value, path: &[PathStep], replacement: Option<Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut node = value;
    for step in parents {
        node = match (step, node) {
            (PathStep::Key(key), Value::Object(map)) => match map.get_mut(key) {
                Some(child) => child,
                None => return,
            },
            (PathStep::Index(n), Value::Array(items)) => match items.get_mut(*n) {
                Some(child) => child,
                None => return,
            },
            _ => return,
        };
    }
    match (last, node, replacement) {
        (PathStep::Key(key), Value::Object(map), None) => {
            map.remove(key);
        }
        (PathStep::Key(key), Value::Object(map), Some(new)) => {
            map.insert(key.clone(), new);
        }
        (PathStep::Index(n), Value::Array(items), None) if *n < items.len() => {
            items.remove(*n);
        }
        (PathStep::Index(n), Value::Array(items), Some(new)) if *n < items.len() => items[*n] = new,
        _ => {}
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(Value::from(u64::MAX)),
        "\\PC{0,12}".prop_map(Value::String),
        Just(Value::String(" ".into())),
        Just(Value::Array(Vec::new())),
        Just(Value::Object(Default::default())),
        Just(serde_json::json!({"zh": "", "en": ""})),
        Just(serde_json::json!([{"id": ""}])),
    ]
}

/// Text that is non-blank in either language.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z\u{4e00}-\u{9fa5}][\\PC]{0,15}"
}

fn local_text() -> impl Strategy<Value = LocalText> {
    (text(), text()).prop_map(|(zh, en)| LocalText { zh, en })
}

fn id_suffix() -> impl Strategy<Value = String> {
    "[a-z0-9-]{0,8}"
}

/// A random valid template: ids unique by construction, grading fields only where the
/// format and rule set allow them.
fn valid_template() -> impl Strategy<Value = Template> {
    let rule_set = rule_set();
    let classes: Vec<String> = rule_set.site_classes.iter().map(|c| c.id.clone()).collect();
    let groups: Vec<String> = rule_set.groups.iter().map(|g| g.id.clone()).collect();
    let item = (id_suffix(), local_text(), text(), proptest::option::of(text()), proptest::option::of(proptest::sample::select(groups)));
    let section = (id_suffix(), local_text(), vec(item, 1..5));
    let category = (id_suffix(), local_text(), proptest::sample::select(classes));
    (
        any::<bool>(),
        any::<bool>(),
        "[a-z0-9][a-z0-9-]{0,12}",
        "[0-9]{1,4}(\\.[0-9]{1,2})?",
        local_text(),
        local_text(),
        vec(category, 1..4),
        vec(section, 1..4),
    )
        .prop_map(|(graded, format_two, id, version, sector, title, categories, sections)| {
            let site_categories = categories
                .into_iter()
                .enumerate()
                .map(|(n, (suffix, name, class))| SiteCategory { id: format!("c{n}{suffix}"), name, site_class: graded.then_some(class) })
                .collect();
            let mut count = 0;
            let sections: Vec<Section> = sections
                .into_iter()
                .enumerate()
                .map(|(n, (suffix, title, items))| Section {
                    id: format!("s{n}{suffix}"),
                    title,
                    items: items
                        .into_iter()
                        .map(|(suffix, text, basis, major, element)| {
                            count += 1;
                            Item {
                                id: format!("i{count}{suffix}"),
                                text,
                                basis,
                                major: if graded || format_two { major } else { None },
                                element: if graded { element } else { None },
                            }
                        })
                        .collect(),
                })
                .collect();
            Template {
                format: if graded || format_two { 2 } else { 1 },
                id,
                version,
                sector,
                title,
                rule_set: graded.then(|| "gb35181-2017".to_string()),
                site_categories,
                sections,
            }
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_text_never_panics(input in any::<String>()) {
        parse_everything(&input);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..600)) {
        parse_everything(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn json_like_noise_never_panics(input in "[\\[\\]{}:,\"a-z0-9_ .\\-\u{4e00}\\\\]{0,300}") {
        parse_everything(&input);
    }

    #[test]
    fn flipped_bytes_of_a_valid_file_never_panic(
        flips in vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        library in any::<bool>(),
    ) {
        let mut bytes = if library { library_json() } else { VALID.to_string() }.into_bytes();
        for (at, byte) in flips {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        parse_everything(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn truncations_of_a_valid_file_never_panic(at in any::<prop::sample::Index>(), library in any::<bool>()) {
        let bytes = if library { library_json() } else { VALID.to_string() }.into_bytes();
        parse_everything(&String::from_utf8_lossy(&bytes[..at.index(bytes.len() + 1)]));
    }

    #[test]
    fn deleted_or_replaced_fields_of_a_valid_file_never_panic(
        edits in vec((any::<prop::sample::Index>(), proptest::option::of(json_value())), 1..4),
        library in any::<bool>(),
    ) {
        let mut value: Value = serde_json::from_str(&if library { library_json() } else { VALID.to_string() })
            .expect("valid json");
        for (at, replacement) in edits {
            let mut all = Vec::new();
            paths(&value, &mut Vec::new(), &mut all);
            if all.is_empty() {
                break;
            }
            edit_at(&mut value, &all[at.index(all.len())], replacement);
        }
        parse_everything(&value.to_string());
    }

    #[test]
    fn valid_templates_round_trip_alone_and_in_a_library(template in valid_template()) {
        prop_assert_eq!(template.problems(), vec![]);
        round_trips(&template);
        let library = Library { rule_sets: vec![rule_set()], templates: vec![template.clone()], ..Library::new() };
        let json = serde_json::to_string(&library).expect("a library serialises");
        let (back, errors) = Library::parse(&json, &[]);
        prop_assert_eq!(errors, vec![]);
        prop_assert_eq!(back, library);
    }
}

#[test]
fn the_mutation_base_is_valid() {
    assert!(Template::parse(VALID).is_ok());
    let (library, errors) = Library::parse(&library_json(), &[]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!((library.templates.len(), library.rule_sets.len()), (1, 1));
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    for open in ["[", "{\"a\":", "{\"templates\":["] {
        let input = open.repeat(100_000);
        parse_everything(&input);
    }
}

#[test]
fn every_truncation_of_the_valid_library_is_refused_or_valid() {
    let json = library_json();
    for end in (0..json.len()).filter(|n| json.is_char_boundary(*n)) {
        parse_everything(&json[..end]);
    }
}
