//! Core's parts depend on each other one way only: a module may use its own part and the
//! parts below it, never a part above. This reads the sources (`core/src`) and fails on
//! any `crate::<part>` path that points upwards, so an import cycle cannot come back.
//!
//! Tests inside a module (`#[cfg(test)] mod tests`, and test-only modules such as
//! `grading::fixtures`) are exempt: they may build an inspection from the grading fixtures
//! without the shipped code depending on it. Comments are not read either.

use std::fs;
use std::path::{Path, PathBuf};

/// The parts of core, bottom first, and why each sits where it does. A part may use the
/// parts listed before it.
const LAYERS: &[(&str, &str)] = &[
    ("text", "the two languages and safe display of typed text: used by everything"),
    ("dates", "calendar dates as typed and deadline arithmetic: plain values"),
    ("route", "the app's addresses: ids and hashes only"),
    ("site", "the credit code and normalised name and address of premises: plain text"),
    ("catalogue", "templates, rule sets and the library that ships them: known before any inspection"),
    ("inspection", "the record the inspector fills in against a template: answers, site, hazards, attachments, verdicts"),
    ("grading", "what the rules make of an inspection: grades, completion problems, tallies"),
    ("rectification", "the register of graded hazards across inspections, and follow-ups started from it"),
    ("documents", "the papers an inspection produces and their numbers: read inspections and their templates"),
    ("assignment", "the office's tasks and their sites' open hazards pulled to the phone: read the register's entries and the documents' serial blocks"),
    ("delivery", "the graded payload, the receiver's receipts, the outbox and its settings"),
    ("storage", "the stored formats of what the layers below keep: drafts, outbox, settings, library"),
    ("exchange", "exports and the backup file: read every part that holds data"),
];

fn rank(part: &str) -> Option<usize> {
    LAYERS.iter().position(|(name, _)| *name == part)
}

/// One use of a part above the module's own, or a path the check cannot place.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    file: String,
    line: usize,
    why: String,
}

/// The `crate::` paths of one source file of `part`, with the shipped code only: reading
/// stops at the module's tests, and comment lines are skipped.
fn violations(file: &str, part: &str, source: &str) -> Vec<Violation> {
    let own = rank(part);
    let mut found = Vec::new();
    let lines: Vec<&str> = source.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]" && lines.get(index + 1).is_some_and(|next| next.trim_start().contains("mod tests")) {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let mut rest = *line;
        while let Some(at) = rest.find("crate::") {
            // `safewalk_core::` is not used inside core; `xcrate::` is no path of ours.
            let preceded_by_ident = rest[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[at + "crate::".len()..];
            if preceded_by_ident {
                continue;
            }
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let why = match (rank(&name), own) {
                _ if name.is_empty() => Some("`crate::{…}` names several parts at once: import each from its part".to_string()),
                (None, _) => Some(format!("`crate::{name}` is not a part: name the part it lives in, not a crate-root re-export")),
                (Some(used), Some(own)) if used > own => Some(format!("`{part}` uses `{name}`, a part above it")),
                _ => None,
            };
            if let Some(why) = why {
                found.push(Violation { file: file.to_string(), line: index + 1, why });
            }
        }
    }
    found
}

/// Modules a `mod.rs` (or `lib.rs`) declares under `#[cfg(test)]`: test code as a whole.
fn test_only_modules(source: &str) -> Vec<String> {
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    lines
        .windows(2)
        .filter(|pair| pair[0] == "#[cfg(test)]")
        .filter_map(|pair| pair[1].strip_suffix(';').and_then(|decl| decl.rsplit(' ').next()).map(str::to_string))
        .collect()
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{} reads: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The part a source file belongs to: its folder under `src`, or its own name at the top.
fn part_of(relative: &Path) -> String {
    let first = relative.components().next().expect("a path under src").as_os_str().to_string_lossy();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

#[test]
fn no_part_uses_a_part_above_it() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut test_only = Vec::new();
    for file in &files {
        let name = file.file_name().expect("a file name").to_string_lossy();
        if name == "mod.rs" || name == "lib.rs" {
            let source = fs::read_to_string(file).expect("a source file reads");
            let folder = file.parent().expect("a folder");
            test_only.extend(test_only_modules(&source).into_iter().map(|module| folder.join(format!("{module}.rs"))));
        }
    }
    let mut found = Vec::new();
    for file in files.iter().filter(|file| !test_only.contains(file)) {
        let relative = file.strip_prefix(src()).expect("under src");
        if relative == Path::new("lib.rs") {
            continue; // the crate root declares and re-exports every part
        }
        let source = fs::read_to_string(file).expect("a source file reads");
        found.extend(violations(&relative.display().to_string(), &part_of(relative), &source));
    }
    assert!(
        found.is_empty(),
        "imports against the layers (bottom first: {:?}):\n{found:#?}",
        LAYERS.iter().map(|l| l.0).collect::<Vec<_>>()
    );
    assert!(test_only.iter().any(|file| file.ends_with("grading/fixtures.rs")), "the fixtures are recognised as test code");
}

#[test]
fn every_part_of_the_crate_has_a_place_in_the_layers() {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("lib.rs reads");
    let parts: Vec<&str> = lib.lines().filter_map(|line| line.strip_prefix("pub mod ")?.strip_suffix(';')).collect();
    assert!(parts.len() >= LAYERS.len(), "lib.rs declares its parts: {parts:?}");
    for part in parts {
        assert!(rank(part).is_some(), "`{part}` has no place in LAYERS");
    }
}

#[test]
fn an_upward_import_a_crate_root_path_or_a_grouped_one_is_reported() {
    let source = "use crate::text::Lang;\nuse crate::grading::Grade;\n// crate::exchange in a comment\nfn f() -> crate::Problem {}\nuse crate::{text, dates};\n\
                  #[cfg(test)]\nmod tests {\n    use crate::exchange::backup;\n}\n";
    let lines: Vec<(usize, String)> = violations("x.rs", "inspection", source).into_iter().map(|v| (v.line, v.why)).collect();
    assert_eq!(
        lines,
        vec![
            (2, "`inspection` uses `grading`, a part above it".to_string()),
            (4, "`crate::Problem` is not a part: name the part it lives in, not a crate-root re-export".to_string()),
            (5, "`crate::{…}` names several parts at once: import each from its part".to_string()),
        ]
    );
    assert!(violations("x.rs", "grading", "use crate::inspection::Inspection;\nuse crate::grading::engine;\n").is_empty());
}
