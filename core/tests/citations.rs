//! Every legal reference a built-in checklist gives is either checked against a named source
//! or says plainly that it was not: a hazard record cites its item's `basis`, and a direct
//! major hazard its `major`, so an unchecked article number must not pass for a checked one.
//!
//! Each `basis` and `major` string of `templates/*.json` (the current editions; those in
//! `templates/editions` are frozen as published) is split into its references at "；". Each
//! reference either contains " (unverified)" or is listed in `docs/citations.json` with the
//! source it was checked against. `scripts/citations --write` turns the same data into the
//! table at the end of `docs/templates.md`.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

const UNVERIFIED: &str = "(unverified)";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (template id, item id, field, reference) for every reference of the current editions.
fn references() -> Vec<(String, String, &'static str, String)> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("templates"))
        .expect("templates directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let template = read_json(&path);
        let id = template["id"].as_str().unwrap_or_default().to_string();
        for section in template["sections"].as_array().into_iter().flatten() {
            for item in section["items"].as_array().into_iter().flatten() {
                let item_id = item["id"].as_str().unwrap_or_default().to_string();
                for field in ["basis", "major"] {
                    let Some(text) = item[field].as_str() else { continue };
                    for reference in text.split('；').map(str::trim).filter(|r| !r.is_empty()) {
                        found.push((id.clone(), item_id.clone(), field, reference.to_string()));
                    }
                }
            }
        }
    }
    found
}

/// The verified references of `docs/citations.json`: citation → (source id, what was checked).
fn verified() -> (HashMap<String, (String, String)>, HashSet<String>) {
    let data = read_json(&root().join("docs/citations.json"));
    let sources: HashSet<String> =
        data["sources"].as_array().into_iter().flatten().filter_map(|s| s["id"].as_str().map(str::to_string)).collect();
    let mut verified = HashMap::new();
    for entry in data["verified"].as_array().into_iter().flatten() {
        let citation = entry["citation"].as_str().unwrap_or_default().to_string();
        let source = entry["source"].as_str().unwrap_or_default().to_string();
        let checked = entry["checked"].as_str().unwrap_or_default().to_string();
        assert!(verified.insert(citation.clone(), (source, checked)).is_none(), "listed twice: {citation}");
    }
    (verified, sources)
}

#[test]
fn every_reference_is_verified_against_a_named_source_or_marked_unverified() {
    let (verified, _) = verified();
    let unaccounted: Vec<String> = references()
        .into_iter()
        .filter(|(_, _, _, reference)| !reference.contains(UNVERIFIED) && !verified.contains_key(reference))
        .map(|(template, item, field, reference)| format!("{template} / {item} / {field}: {reference}"))
        .collect();
    assert!(unaccounted.is_empty(), "neither in docs/citations.json nor marked \" {UNVERIFIED}\":\n{}", unaccounted.join("\n"));
}

#[test]
fn every_verified_reference_names_its_source_and_is_still_cited() {
    let (verified, sources) = verified();
    let cited: HashSet<String> = references().into_iter().map(|(_, _, _, reference)| reference).collect();
    for (citation, (source, checked)) in &verified {
        assert!(sources.contains(source), "{citation}: unknown source {source:?}");
        assert!(!checked.trim().is_empty(), "{citation}: says nothing of what was checked");
        assert!(!citation.contains(UNVERIFIED) && !citation.contains("§?"), "{citation}: listed as verified but marked otherwise");
        assert!(cited.contains(citation), "{citation}: listed in docs/citations.json but cited by no template");
    }
}
