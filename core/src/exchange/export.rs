//! Inspections out of the app, for people and other programs: JSON in the shape the app
//! delivers ([`to_json`]) and CSV for a spreadsheet, one row per item answer ([`to_csv`]).
//! [`spreadsheet_safe`] is the rule for a cell of free text, for every CSV written (the
//! receiver's too).

use std::borrow::Cow;

use crate::catalogue::library::Library;
use crate::delivery::payload::InspectionPayload;
use crate::grading::graded::Graded;
use crate::inspection::determination::Standing;
use crate::inspection::hazard::{Grade, GradeChoice};
use crate::inspection::{Answer, Inspection};
use crate::text::visible_text;

/// The columns of [`to_csv`], in order.
pub const CSV_COLUMNS: [&str; 13] = [
    "inspection_id",
    "site",
    "sector_zh",
    "sector_en",
    "completed_at",
    "item_id",
    "item_zh",
    "item_en",
    "answer",
    "note",
    "grade",
    "deadline",
    "standing",
];

/// A JSON array with one payload per inspection, exactly as the app delivers it
/// (`{"schema": 2, "inspection": {…}, "grades": {…}}`): graded when `library` holds the
/// edition the inspection was started with (and its rule set), otherwise without grades.
/// Pretty-printed, two spaces. Drafts are exported the same way (no `completed_at`).
pub fn to_json(inspections: &[Inspection], library: &Library) -> String {
    let payloads: Vec<String> = inspections
        .iter()
        .map(|inspection| {
            let payload = match library.template(&inspection.template.id, &inspection.template.version) {
                Some(template) => {
                    let rule_set = template.rule_set.as_deref().and_then(|id| library.rule_set(id));
                    InspectionPayload::graded(inspection.clone(), template, rule_set)
                }
                None => InspectionPayload::new(inspection.clone()),
            };
            // The same serialisation the delivery uses: no second copy of it in the app.
            serde_json::to_string(&payload).unwrap_or_default()
        })
        .collect();
    let mut text = pretty(&format!("[{}]", payloads.join(",")));
    text.push('\n');
    text
}

/// Indents compact JSON (as serde_json writes it: no whitespace outside strings) with two
/// spaces, like `serde_json::to_string_pretty`, without a second serialiser in the app.
pub fn pretty(compact: &str) -> String {
    fn newline(out: &mut String, depth: usize) {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
    let mut out = String::with_capacity(compact.len() + compact.len() / 2);
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}

/// CSV for a spreadsheet: a header ([`CSV_COLUMNS`]), then one row per item answer (or
/// note) of each inspection, in checklist order; an inspection with no answers yet gets one
/// row with its own columns only, so every inspection appears.
///
/// - `sector_*` and `item_*` come from the edition in `library` the inspection was started
///   with; without it, the sector columns hold the template id and the item texts are empty.
/// - `completed_at` is local time `YYYY-MM-DD HH:MM` at `utc_offset_minutes` (east positive,
///   +480 in China), empty for a draft.
/// - `answer` is `compliant`, `hazard`, `not_applicable`, or empty (a note only); `grade`
///   (`general`/`major`, as settled with the inspector's choice) and `deadline` are filled
///   for hazards only. Without the edition, a hazard's grade is `major` if the inspector
///   raised it, else empty (the rules cannot be run).
/// - `standing` is where a major fire hazard stands with the collective determination
///   (`suspected`, `determined_major`, `determined_not_major`); empty when none is needed.
///
/// RFC 4180 quoting (fields with commas, quotes or line breaks are quoted, quotes doubled),
/// CRLF line ends, and UTF-8 with a byte-order mark so Excel shows Chinese correctly. Free
/// text goes through [`spreadsheet_safe`] (its hidden controls shown, and a `'` before what a
/// spreadsheet would run as a formula), and such a cell is always quoted.
pub fn to_csv(inspections: &[Inspection], library: &Library, utc_offset_minutes: i32) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for inspection in inspections {
        let template = library.template(&inspection.template.id, &inspection.template.version);
        let graded = template.map(|t| Graded::new(inspection, t, t.rule_set.as_deref().and_then(|id| library.rule_set(id))));
        let (sector_zh, sector_en) = match template {
            Some(t) => (t.sector.zh.as_str(), t.sector.en.as_str()),
            None => (inspection.template.id.as_str(), inspection.template.id.as_str()),
        };
        let completed_at = inspection.completed_at.map(|ms| format_time(ms, utc_offset_minutes)).unwrap_or_default();
        let id = inspection.id.to_string();
        let lead =
            [Cell::Plain(&id), Cell::Text(&inspection.site.name), Cell::Text(sector_zh), Cell::Text(sector_en), Cell::Plain(&completed_at)];

        // Checklist order, then anything answered that the edition does not list.
        let mut items: Vec<&str> = match template {
            Some(t) => t.items().map(|i| i.id.as_str()).filter(|id| inspection.answers.contains_key(*id)).collect(),
            None => Vec::new(),
        };
        for item in inspection.answers.keys() {
            if !items.contains(&item.as_str()) {
                items.push(item);
            }
        }
        if items.is_empty() {
            row(&mut out, lead.iter().copied().chain([Cell::Plain(""); 8]));
        }
        for item_id in items {
            let text = template.and_then(|t| t.item(item_id)).map(|i| (i.text.zh.as_str(), i.text.en.as_str()));
            let answer = inspection.answer(item_id);
            let (grade, deadline) = match inspection.hazard(item_id) {
                Some(hazard) => {
                    let grade = match graded.as_ref() {
                        Some(graded) => graded.grade(item_id),
                        None => (hazard.grading == GradeChoice::Raised).then_some(Grade::Major),
                    };
                    (grade, hazard.rectification.deadline.trim())
                }
                None => (None, ""),
            };
            let cells = [
                Cell::Text(item_id),
                Cell::Text(text.map_or("", |t| t.0)),
                Cell::Text(text.map_or("", |t| t.1)),
                Cell::Plain(answer.map_or("", answer_name)),
                Cell::Text(inspection.note(item_id)),
                Cell::Plain(grade.map_or("", grade_name)),
                Cell::Text(deadline),
                Cell::Plain(graded.as_ref().map_or("", |graded| standing_name(graded.standing(item_id)))),
            ];
            row(&mut out, lead.iter().copied().chain(cells));
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Cell<'a> {
    /// Values the app makes (ids, times, names): never a formula.
    Plain(&'a str),
    /// What people typed or a template says.
    Text(&'a str),
}

fn row<'a>(out: &mut String, cells: impl Iterator<Item = Cell<'a>>) {
    for (n, cell) in cells.enumerate() {
        if n > 0 {
            out.push(',');
        }
        let (text, free) = match cell {
            Cell::Plain(t) => (Cow::Borrowed(t), false),
            Cell::Text(t) => (visible_text(t), true),
        };
        // spreadsheet_safe, spelled out: a guarded cell is quoted as well.
        let formula = free && is_formula_like(&text);
        if formula || text.contains([',', '"', '\n', '\r']) {
            out.push('"');
            if formula {
                out.push('\'');
            }
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&text);
        }
    }
    out.push_str("\r\n");
}

/// A cell of free text (what people typed, a template's text) as a spreadsheet may be handed
/// it, for any CSV or spreadsheet file:
///
/// - its hidden controls shown ([`visible_text`]: NUL, the other C0 controls but tab, line
///   feed and carriage return, and the bidi overrides become U+FFFD);
/// - then, when it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, which Excel,
///   WPS and LibreOffice read as the start of a formula (`=HYPERLINK(…)`,
///   `-2+3+cmd|' /C calc'!A0`), a `'` put before it, so the cell shows as text and never runs.
///
/// A plain number (`-3`, `+5`, `-0.25`: a sign, digits, at most one decimal point) is left
/// as it is: a spreadsheet reads it as that number and runs nothing, and `'-3` would turn a
/// figure into text. Quoting (commas, quotes, line breaks) stays the CSV writer's job.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    match visible_text(cell) {
        text if is_formula_like(&text) => Cow::Owned(format!("'{text}")),
        text => text,
    }
}

/// Whether a spreadsheet would read `text` as a formula: see [`spreadsheet_safe`].
fn is_formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(text)
}

/// An optional sign, ASCII digits, and at most one decimal point between digits.
fn is_plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

fn answer_name(answer: Answer) -> &'static str {
    match answer {
        Answer::Compliant => "compliant",
        Answer::Hazard => "hazard",
        Answer::NotApplicable => "not_applicable",
    }
}

fn standing_name(standing: Standing) -> &'static str {
    match standing {
        Standing::Direct => "",
        Standing::Suspected => "suspected",
        Standing::DeterminedMajor => "determined_major",
        Standing::DeterminedNotMajor => "determined_not_major",
    }
}

fn grade_name(grade: Grade) -> &'static str {
    match grade {
        Grade::General => "general",
        Grade::Major => "major",
    }
}

pub use crate::dates::format_time;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::fixtures;
    use uuid::Uuid;

    fn library() -> Library {
        Library { rule_sets: vec![fixtures::rule_set()], templates: vec![fixtures::template()], ..Library::new() }
    }

    /// Reads CSV as RFC 4180 says (quoted fields with doubled quotes and line breaks).
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let (mut row, mut field, mut quoted, mut chars) = (Vec::new(), String::new(), false, text.chars().peekable());
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = !quoted,
                ',' if !quoted => row.push(std::mem::take(&mut field)),
                '\r' if !quoted && chars.peek() == Some(&'\n') => {}
                '\n' if !quoted => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                c => field.push(c),
            }
        }
        assert!(field.is_empty() && row.is_empty(), "the last row ends with a line break");
        rows
    }

    #[test]
    fn json_is_the_delivered_payload_pretty_printed() {
        let t = fixtures::template();
        let mut completed = fixtures::inspection(1, "mall", &["pl-1", "dm-1"]);
        completed.set_note(&t, "pl-1", "Line one\n\"quoted\", 中文 \\ done", 1_003).unwrap();
        let draft = Inspection::new(Uuid::from_u128(2), &crate::inspection::record::tests::demo_template(), 5);
        let json = to_json(&[completed.clone(), draft.clone()], &library());
        let read: Vec<InspectionPayload> = serde_json::from_str(&json).expect("reads back");
        let r = fixtures::rule_set();
        assert_eq!(read, vec![InspectionPayload::graded(completed, &t, Some(&r)), InspectionPayload::new(draft)]);
        assert_eq!(read[0].grades["dm-1"].grade, Grade::Major);
        // Exactly what serde_json's pretty printer writes.
        assert_eq!(json, format!("{}\n", serde_json::to_string_pretty(&read).unwrap()));
        assert_eq!(to_json(&[], &library()), "[]\n");
    }

    #[test]
    fn pretty_printing_keeps_strings_and_empty_containers_intact() {
        for compact in [r#"{"a":[],"b":{},"c":"x,{y}:[z]\"\\","d":[1,{"e":null}]}"#, "[]", r#""\\""#, "[[[]]]"] {
            let value: serde_json::Value = serde_json::from_str(compact).unwrap();
            assert_eq!(pretty(compact), serde_json::to_string_pretty(&value).unwrap(), "{compact}");
        }
    }

    #[test]
    fn csv_has_one_row_per_item_answer_in_checklist_order_with_grade_and_deadline() {
        let t = fixtures::template();
        let mut i = fixtures::inspection(1, "mall", &["pl-1", "dm-1"]);
        i.edit_hazard(&t, "pl-1", 1_003, fixtures::full_rectification).unwrap();
        i.edit_hazard(&t, "dm-1", 1_003, fixtures::full_rectification).unwrap();
        i.edit_hazard(&t, "pl-1", 1_003, |h| h.rectification.deadline = "2026-12-31".into()).unwrap();
        i.complete(&t, Some(&fixtures::rule_set()), 1_764_400_000_000).unwrap();
        let csv = to_csv(&[i.clone()], &library(), 480);
        assert!(csv.starts_with("\u{feff}inspection_id,site,"), "UTF-8 with a BOM");
        assert!(csv.ends_with("\r\n") && !csv.replace("\r\n", "").contains('\n'), "CRLF line ends");
        let rows = parse_csv(csv.trim_start_matches('\u{feff}'));
        assert_eq!(rows[0], CSV_COLUMNS);
        assert_eq!(rows.len(), 1 + t.item_count());
        assert_eq!(rows[1..].iter().map(|r| r[5].as_str()).collect::<Vec<_>>(), t.items().map(|i| i.id.as_str()).collect::<Vec<_>>());
        assert!(rows.iter().all(|r| r.len() == CSV_COLUMNS.len()));
        let pl = rows.iter().find(|r| r[5] == "pl-1").unwrap();
        assert_eq!(pl[..5], [Uuid::from_u128(1).to_string().as_str(), "Riverside Mall", "演示", "Demo", "2025-11-29 15:06"]);
        assert_eq!(pl[5..], ["pl-1", "普通", "Plain", "hazard", "found at pl-1", "general", "2026-12-31", ""]);
        let dm = rows.iter().find(|r| r[5] == "dm-1").unwrap();
        assert_eq!((dm[10].as_str(), dm[11].as_str()), ("major", fixtures_deadline().as_str()));
        let ev = rows.iter().find(|r| r[5] == "ev-1").unwrap();
        assert_eq!(ev[8..], ["compliant", "", "", "", ""]);
    }

    #[test]
    fn csv_says_which_majors_are_suspected_and_which_were_determined() {
        let (t, r) = (fixtures::elements_template(), fixtures::elements_rule_set());
        let library = Library { rule_sets: vec![r.clone()], templates: vec![t.clone()], ..Library::new() };
        let mut i = fixtures::elements_inspection("mall", &["stair-type", "signs", "decoration", "plain"]);
        let standings = |i: &Inspection| -> Vec<(String, String, String)> {
            let rows = parse_csv(to_csv(std::slice::from_ref(i), &library, 0).trim_start_matches('\u{feff}'));
            rows[1..].iter().filter(|r| r[8] == "hazard").map(|r| (r[5].clone(), r[10].clone(), r[12].clone())).collect()
        };
        let row = |id: &str, grade: &str, standing: &str| (id.to_string(), grade.to_string(), standing.to_string());
        assert_eq!(
            standings(&i),
            vec![
                row("stair-type", "major", "suspected"),
                row("signs", "major", "suspected"),
                row("decoration", "major", "suspected"),
                row("plain", "general", "")
            ]
        );
        let settling = crate::inspection::determination::tests::settling(&["stair-type", "signs", "decoration"]);
        i.set_determination(Some(settling), 2).unwrap();
        assert_eq!(
            standings(&i),
            vec![
                row("stair-type", "general", "determined_not_major"),
                row("signs", "major", "determined_major"),
                row("decoration", "major", "determined_major"),
                row("plain", "general", "")
            ]
        );
    }

    fn fixtures_deadline() -> String {
        let mut h = crate::inspection::hazard::Hazard::default();
        fixtures::full_rectification(&mut h);
        h.rectification.deadline
    }

    #[test]
    fn csv_quotes_what_needs_it_and_never_lets_a_spreadsheet_run_a_formula() {
        let t = fixtures::template();
        let mut i = fixtures::inspection(1, "mall", &["pl-1"]);
        i.edit_details(2, |site, _| site.name = "=HYPERLINK(\"x\")".into()).unwrap();
        i.set_note(&t, "pl-1", "Exit chained, \"again\"\nsecond line", 3).unwrap();
        i.set_note(&t, "ev-1", "+86 call", 3).unwrap();
        i.set_note(&t, "ev-2", "plain 中文；没有逗号", 3).unwrap();
        let csv = to_csv(&[i], &library(), 0);
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
        let rows = parse_csv(csv.trim_start_matches('\u{feff}'));
        let note = |item: &str| rows.iter().find(|r| r[5] == item).unwrap()[9].clone();
        assert_eq!(note("pl-1"), "Exit chained, \"again\"\nsecond line");
        assert_eq!(note("ev-1"), "'+86 call");
        assert_eq!(note("ev-2"), "plain 中文；没有逗号");
        assert!(csv.contains(",plain 中文；没有逗号,"), "unquoted when nothing needs quoting");
        assert_eq!(rows[1][1], "'=HYPERLINK(\"x\")");
        assert_eq!(rows[1][4], "", "a draft has no completion time");
    }

    #[test]
    fn every_formula_start_is_neutralised_with_a_leading_apostrophe() {
        for (cell, safe) in [
            ("=1+1", "'=1+1"),
            ("+86 call", "'+86 call"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("-", "'-"),
            ("+", "'+"),
            ("-3-cmd", "'-3-cmd"),
            ("--3", "'--3"),
            ("-1.2.3", "'-1.2.3"),
            ("-.5", "'-.5"),
            ("-5.", "'-5."),
            ("+3e5", "'+3e5"),
            ("-3 ", "'-3 "),
        ] {
            assert_eq!(spreadsheet_safe(cell), safe, "{cell:?}");
        }
    }

    #[test]
    fn ordinary_text_and_plain_numbers_are_left_as_they_are() {
        for cell in [
            "",
            "Riverside Mall",
            "安全出口堵塞",
            "3",
            "-3",
            "+5",
            "-0.25",
            "12.5",
            "1-2",
            "a=b",
            " =1",
            "'=1",
            "line\r\nbreak",
            "tab\tinside",
        ] {
            assert!(matches!(spreadsheet_safe(cell), Cow::Borrowed(c) if c == cell), "{cell:?}");
        }
    }

    #[test]
    fn a_spreadsheet_cell_shows_hidden_controls_before_it_is_guarded() {
        assert_eq!(spreadsheet_safe("Mall\u{202E}gpj.exe"), "Mall\u{FFFD}gpj.exe");
        assert_eq!(spreadsheet_safe("=A1\0"), "'=A1\u{FFFD}");
        assert_eq!(spreadsheet_safe("\u{202E}=1+1"), "\u{FFFD}=1+1", "a replaced control runs nothing");
    }

    #[test]
    fn csv_cells_of_free_text_are_spreadsheet_safe_and_app_values_untouched() {
        let t = fixtures::template();
        let mut i = fixtures::inspection(1, "mall", &["pl-1"]);
        i.edit_details(2, |site, _| site.name = "\u{202E}lla\0M".into()).unwrap();
        i.set_note(&t, "pl-1", "\tcmd", 3).unwrap();
        i.set_note(&t, "ev-1", "\r=1+1", 3).unwrap();
        i.set_note(&t, "ev-2", "-3", 3).unwrap();
        let csv = to_csv(&[i], &library(), 0);
        assert!(csv.contains(",\"'\tcmd\","), "a guarded cell is quoted: {csv:?}");
        assert!(!csv.contains(['\0', '\u{202E}']), "{csv:?}");
        let rows = parse_csv(csv.trim_start_matches('\u{feff}'));
        let note = |item: &str| rows.iter().find(|r| r[5] == item).unwrap()[9].clone();
        assert_eq!(note("pl-1"), "'\tcmd");
        assert_eq!(note("ev-1"), "'\r=1+1");
        assert_eq!(note("ev-2"), "-3");
        assert_eq!(rows[1][1], "\u{FFFD}lla\u{FFFD}M");
    }

    #[test]
    fn csv_without_the_edition_or_answers_still_lists_every_inspection() {
        let mut unknown = fixtures::inspection(1, "mall", &["pl-1"]);
        unknown.template.version = "gone".into();
        unknown.edit_hazard(&fixtures::template(), "pl-1", 2, |h| h.grading = GradeChoice::Raised).unwrap();
        let empty = Inspection::new(Uuid::from_u128(2), &fixtures::template(), 5);
        let rows = parse_csv(to_csv(&[unknown, empty], &library(), 0).trim_start_matches('\u{feff}'));
        let pl = rows.iter().find(|r| r[5] == "pl-1").unwrap();
        assert_eq!((pl[2].as_str(), pl[6].as_str(), pl[8].as_str(), pl[10].as_str()), ("fire-demo", "", "hazard", "major"));
        let last = rows.last().unwrap();
        assert_eq!(last[0], Uuid::from_u128(2).to_string());
        assert!(last[5..].iter().all(String::is_empty));
        assert_eq!(rows.len(), 1 + fixtures::template().item_count() + 1);
    }

    #[test]
    fn times_are_local_at_the_given_offset() {
        assert_eq!(format_time(0, 0), "1970-01-01 00:00");
        assert_eq!(format_time(0, -60), "1969-12-31 23:00");
        assert_eq!(format_time(951_782_400_000, 0), "2000-02-29 00:00");
        assert_eq!(format_time(1_764_400_000_000, 480), "2025-11-29 15:06");
        assert_eq!(format_time(4_102_444_799_000, 0), "2099-12-31 23:59");
    }
}
