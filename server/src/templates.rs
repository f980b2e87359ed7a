//! The checklist library the receiver serves at `GET /templates` and reads item texts from:
//! `DIR/*.json` (templates), `DIR/editions/*.json` (earlier editions) and `DIR/rules/*.json`
//! (rule sets), assembled into the same
//! bundle the app build makes (`scripts/library-bundle`: files joined in name order) and
//! parsed by core's [`Library::parse`]. A bad file is reported and left out, never fatal:
//! the templates are data that people edit, and one half-saved file must not stop the office.

use std::path::{Path, PathBuf};

use safewalk_core::catalogue::library::Library;

/// What was read from a templates directory.
pub struct Loaded {
    /// The valid entries only.
    pub library: Library,
    /// Each refused file or entry, naming the file or the template/section/item/field.
    pub problems: Vec<String>,
}

/// `dir/*.json` sorted by name (byte order, as the bundle script's `LC_ALL=C` glob), with
/// their text; unreadable files are reported.
fn json_files(dir: &Path, problems: &mut Vec<String>) -> Vec<(PathBuf, String)> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(format!("{}: {e}", dir.display()));
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json")).collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| match std::fs::read_to_string(&path) {
            // The bundle is the files joined as text: one that is not JSON at all would break
            // every other entry, so it is left out here, by name.
            Ok(text) => match serde_json::from_str::<serde::de::IgnoredAny>(&text) {
                Ok(_) => Some((path, text)),
                Err(e) => {
                    problems.push(format!("{}: not JSON: {e}", path.display()));
                    None
                }
            },
            Err(e) => {
                problems.push(format!("{}: {e}", path.display()));
                None
            }
        })
        .collect()
}

/// Reads the library in `dir`. A missing directory is an empty library and a problem.
pub fn load(dir: &Path) -> Loaded {
    let mut problems = Vec::new();
    let mut templates = json_files(dir, &mut problems);
    // Earlier editions that drafts in the field may still use (`DIR/editions/<id>@<version>.json`).
    let editions_dir = dir.join("editions");
    if editions_dir.is_dir() {
        templates.extend(json_files(&editions_dir, &mut problems));
    }
    let rules_dir = dir.join("rules");
    let rules = if rules_dir.is_dir() { json_files(&rules_dir, &mut problems) } else { Vec::new() };
    let join = |files: &[(PathBuf, String)]| files.iter().map(|(_, text)| text.as_str()).collect::<Vec<_>>().join(",");
    let bundle = format!("{{\"format\":1,\"rule_sets\":[{}],\"templates\":[{}]}}", join(&rules), join(&templates));
    let (mut library, errors) = Library::parse(&bundle, &[]);
    for error in errors {
        // An entry that did not even deserialise has no name yet ("template #3"): name its
        // file. A named one ("template shop / section exits / …") keeps its path, and the
        // file that declares that id is added, for whoever edits it.
        let unnamed = entry_number(&error.path, "template #")
            .and_then(|n| templates.get(n))
            .or_else(|| entry_number(&error.path, "rule set #").and_then(|n| rules.get(n)));
        match unnamed {
            Some((path, _)) => problems.push(format!("{}: {}", path.display(), error.message)),
            None => match declaring_file(&error.path, &templates, &rules) {
                Some(path) => problems.push(format!("{}: {error}", path.display())),
                None => problems.push(error.to_string()),
            },
        }
    }
    // The same edition twice (a copied file): the first by name is served, as the app keeps it.
    let mut seen = Vec::new();
    library.templates.retain(|t| {
        let key = (t.id.clone(), t.version.clone());
        if seen.contains(&key) {
            problems.push(format!("template {} version {}: appears in more than one file; the first is served", t.id, t.version));
            false
        } else {
            seen.push(key);
            true
        }
    });
    let mut seen = Vec::new();
    library.rule_sets.retain(|r| {
        if seen.contains(&r.id) {
            problems.push(format!("rule set {}: appears in more than one file; the first is served", r.id));
            false
        } else {
            seen.push(r.id.clone());
            true
        }
    });
    Loaded { library, problems }
}

/// The file whose entry has the id an error path starts with (`template <id> / …`,
/// `rule set <id> / …`).
fn declaring_file<'a>(path: &str, templates: &'a [(PathBuf, String)], rules: &'a [(PathBuf, String)]) -> Option<&'a Path> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: String,
    }
    let (files, named) = match (path.strip_prefix("template "), path.strip_prefix("rule set ")) {
        (Some(rest), _) => (templates, rest),
        (_, Some(rest)) => (rules, rest),
        _ => return None,
    };
    let id = named.split(" / ").next()?;
    files.iter().find(|(_, text)| serde_json::from_str::<Id>(text).is_ok_and(|entry| entry.id == id)).map(|(file, _)| file.as_path())
}

/// `"template #3"` → `Some(2)`.
fn entry_number(path: &str, prefix: &str) -> Option<usize> {
    path.strip_prefix(prefix)?.parse::<usize>().ok()?.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::entry_number;

    #[test]
    fn unnamed_entries_are_numbered_from_one() {
        assert_eq!(entry_number("template #3", "template #"), Some(2));
        assert_eq!(entry_number("template #0", "template #"), None);
        assert_eq!(entry_number("template demo / id", "template #"), None);
        assert_eq!(entry_number("rule set #1", "rule set #"), Some(0));
    }
}
