//! How a document's numbered lines fall onto A4 sheets, so each sheet can print "共 X 页 第 Y 页"
//! (Chromium's print ignores CSS page counters in the page's own content). Each line has a
//! weight, an estimate of the printed rows it takes; the first sheet has less room (heading,
//! unit, officers), the sheets after it more, and the last needs room for the closing text
//! (appeal clause, copies, signatures). The estimates are conservative: a sheet that ends
//! early only leaves white space, one that overflowed would mis-number the paper.

use std::ops::Range;

/// Rows (of ~40 full-width characters at 10.5 pt on A4 with 20 mm margins) a text of `chars`
/// characters takes, one at least.
pub fn rows(chars: usize) -> usize {
    chars.div_ceil(40).max(1)
}

/// The room each sheet has, in rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Room {
    /// On the first sheet, after the heading and the unit's particulars.
    pub first: usize,
    /// On every later sheet.
    pub other: usize,
    /// What the closing text needs on the last sheet.
    pub closing: usize,
}

/// The lines on each sheet, in order: at least one sheet, even without lines. A line heavier
/// than a sheet gets a sheet of its own.
pub fn paginate(weights: &[usize], room: Room) -> Vec<Range<usize>> {
    let mut sheets = Vec::new();
    let (mut start, mut used, mut capacity) = (0, 0, room.first);
    for (index, weight) in weights.iter().enumerate() {
        if used + weight > capacity && index > start {
            sheets.push(start..index);
            (start, used, capacity) = (index, 0, room.other);
        }
        used += weight;
    }
    // The closing text goes on the last sheet of lines, or on one of its own.
    if used + room.closing > capacity && weights.len() > start {
        sheets.push(start..weights.len());
        sheets.push(weights.len()..weights.len());
    } else {
        sheets.push(start..weights.len());
    }
    sheets
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOM: Room = Room { first: 10, other: 20, closing: 4 };

    #[test]
    fn few_lines_fit_on_one_sheet_with_the_closing_text() {
        assert_eq!(paginate(&[], ROOM), vec![0..0]);
        assert_eq!(paginate(&[2, 2, 2], ROOM), vec![0..3]);
    }

    #[test]
    fn lines_run_on_to_later_sheets_which_hold_more() {
        let weights = [3; 12];
        // First sheet: 3 lines (9 rows); then 6 per sheet (18 rows); the last 3 lines and the closing fit.
        assert_eq!(paginate(&weights, ROOM), vec![0..3, 3..9, 9..12]);
    }

    #[test]
    fn a_closing_text_that_does_not_fit_gets_a_sheet_of_its_own() {
        assert_eq!(paginate(&[3, 3, 3], ROOM), vec![0..3, 3..3]);
    }

    #[test]
    fn a_line_heavier_than_a_sheet_is_not_lost() {
        assert_eq!(paginate(&[50, 1], ROOM), vec![0..1, 1..2]);
        assert_eq!(rows(0), 1);
        assert_eq!(rows(81), 3);
    }
}
