//! Document numbers (文书编号) such as `（安）应急检记〔2026〕17号`, issued offline without two
//! phones ever printing the same one.
//!
//! A number is a configured [`NumberPattern`] filled with the region's abbreviation, the
//! document kind's code (代字), the year and a serial. Serials come in [`SerialBlock`]s: the
//! office hands each inspector a block of its own when the phone syncs (blocks of one year never
//! overlap, the office sees to that), the phone takes serials from it offline and asks for
//! another before it runs out. Without an office the inspector sets a block by hand; a block
//! that overlaps one the phone already holds is refused, so one phone never repeats itself.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::text::LocalText;

/// The pattern when none is configured: the emergency-management form.
pub const DEFAULT_PATTERN: &str = "（{region}）应急{code}〔{year}〕{serial}号";

/// Fewer serials left than this: ask the office for another block at the next sync.
pub const TOP_UP_BELOW: u32 = 10;

/// How a document number reads, with the placeholders `{region}`, `{code}`, `{year}` and
/// `{serial}`. `{year}` and `{serial}` are required: without them two documents could read
/// the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NumberPattern(String);

/// Why a pattern was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternError {
    /// `{year}` or `{serial}` is missing (named).
    Missing(&'static str),
    /// A placeholder the pattern does not know, or a brace left open.
    Unknown(String),
}

impl PatternError {
    pub fn text(&self) -> LocalText {
        match self {
            PatternError::Missing(p) => LocalText {
                zh: format!("编号格式须包含 {p}，否则两份文书可能同号"),
                en: format!("The number pattern must contain {p}, or two documents could share a number"),
            },
            PatternError::Unknown(p) => LocalText {
                zh: format!("编号格式中的 {p} 无法识别（可用：{{region}} {{code}} {{year}} {{serial}}）"),
                en: format!("{p} in the number pattern is not known (use {{region}} {{code}} {{year}} {{serial}})"),
            },
        }
    }
}

const PLACEHOLDERS: [&str; 4] = ["{region}", "{code}", "{year}", "{serial}"];

impl NumberPattern {
    pub fn parse(text: &str) -> Result<NumberPattern, PatternError> {
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open..];
            let Some(known) = PLACEHOLDERS.iter().find(|p| after.starts_with(*p)) else {
                let end = after.find('}').map(|e| e + 1).unwrap_or(after.len());
                return Err(PatternError::Unknown(after[..end].to_string()));
            };
            rest = &after[known.len()..];
        }
        for required in ["{year}", "{serial}"] {
            if !text.contains(required) {
                return Err(PatternError::Missing(required));
            }
        }
        Ok(NumberPattern(text.to_string()))
    }

    /// The number of one document.
    pub fn format(&self, region: &str, code: &str, year: i32, serial: u32) -> String {
        self.0
            .replace("{region}", region)
            .replace("{code}", code)
            .replace("{year}", &year.to_string())
            .replace("{serial}", &serial.to_string())
    }
}

impl NumberPattern {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for NumberPattern {
    fn default() -> Self {
        NumberPattern(DEFAULT_PATTERN.to_string())
    }
}

impl TryFrom<String> for NumberPattern {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        NumberPattern::parse(&text).map_err(|e| e.text().en)
    }
}

impl From<NumberPattern> for String {
    fn from(pattern: NumberPattern) -> String {
        pattern.0
    }
}

/// Serials `first..=last` of one year, for one inspector's phone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SerialBlock {
    pub year: i32,
    pub first: u32,
    pub last: u32,
    /// Set by hand on the phone (no office): the office did not check it against others.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub manual: bool,
}

impl SerialBlock {
    fn overlaps(&self, other: &SerialBlock) -> bool {
        self.year == other.year && self.first <= other.last && other.first <= self.last
    }

    fn len(&self) -> u32 {
        self.last - self.first + 1
    }
}

/// Why a block was not added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockError {
    /// Its last serial is before its first, or a serial is 0.
    Empty,
    /// It shares serials with a block the phone holds (given).
    Overlaps(SerialBlock),
}

impl BlockError {
    pub fn text(&self) -> LocalText {
        match self {
            BlockError::Empty => LocalText {
                zh: "编号段须从 1 或更大的数开始，且末号不小于首号".into(),
                en: "A block starts at 1 or more and ends at or after its first serial".into(),
            },
            BlockError::Overlaps(b) => LocalText {
                zh: format!("与已有的 {} 年编号段 {}–{} 重叠", b.year, b.first, b.last),
                en: format!("It overlaps the block {}–{} of {} already held", b.first, b.last, b.year),
            },
        }
    }
}

/// The serials a phone holds and which of them it has used. Kept on the phone with the
/// settings; written before a numbered document is shown, so a crash never reuses one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Serials {
    blocks: BTreeSet<SerialBlock>,
    /// `(year, serial)` taken so far, of the blocks held.
    used: BTreeSet<(i32, u32)>,
}

impl Serials {
    /// Adds a block; the office's blocks arrive again on each full sync, so one already held
    /// is no error.
    pub fn add(&mut self, block: SerialBlock) -> Result<(), BlockError> {
        if block.first == 0 || block.last < block.first {
            return Err(BlockError::Empty);
        }
        if self.blocks.contains(&block) {
            return Ok(());
        }
        if let Some(held) = self.blocks.iter().find(|held| held.overlaps(&block)) {
            return Err(BlockError::Overlaps(*held));
        }
        self.blocks.insert(block);
        Ok(())
    }

    /// The next serial of `year`, lowest first, marked used; `None` when every block of the
    /// year is used up (the inspector then needs a new block).
    pub fn take(&mut self, year: i32) -> Option<u32> {
        let serial = self
            .blocks
            .iter()
            .filter(|b| b.year == year)
            .flat_map(|b| b.first..=b.last)
            .find(|serial| !self.used.contains(&(year, *serial)))?;
        self.used.insert((year, serial));
        Some(serial)
    }

    /// Serials of `year` still free.
    pub fn remaining(&self, year: i32) -> u32 {
        let held: u32 = self.blocks.iter().filter(|b| b.year == year).map(SerialBlock::len).sum();
        let used = self.used.iter().filter(|(y, _)| *y == year).count() as u32;
        held.saturating_sub(used)
    }

    /// Whether the next sync should ask the office for another block of `year`.
    pub fn needs_top_up(&self, year: i32) -> bool {
        self.remaining(year) < TOP_UP_BELOW
    }

    pub fn blocks(&self) -> impl Iterator<Item = &SerialBlock> {
        self.blocks.iter()
    }

    /// Forgets the blocks of years before `year` and what was used of them: their numbers
    /// are printed, and a new year's serials start again.
    pub fn drop_before(&mut self, year: i32) {
        self.blocks.retain(|b| b.year >= year);
        self.used.retain(|(y, _)| *y >= year);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(year: i32, first: u32, last: u32) -> SerialBlock {
        SerialBlock { year, first, last, manual: false }
    }

    #[test]
    fn the_default_pattern_reads_as_the_emergency_management_form() {
        let number = NumberPattern::default().format("安", "检记", 2026, 17);
        assert_eq!(number, "（安）应急检记〔2026〕17号");
        let custom = NumberPattern::parse("{region}消{code}字〔{year}〕第{serial}号").unwrap();
        assert_eq!(custom.format("榕", "检", 2027, 3), "榕消检字〔2027〕第3号");
    }

    #[test]
    fn a_pattern_without_year_or_serial_or_with_an_unknown_placeholder_is_refused() {
        assert_eq!(NumberPattern::parse("{region}〔{year}〕号"), Err(PatternError::Missing("{serial}")));
        assert_eq!(NumberPattern::parse("{serial}号"), Err(PatternError::Missing("{year}")));
        assert_eq!(NumberPattern::parse("{year}{serial}{month}"), Err(PatternError::Unknown("{month}".into())));
        assert_eq!(NumberPattern::parse("{year}{serial}{regio"), Err(PatternError::Unknown("{regio".into())));
        assert!(PatternError::Missing("{serial}").text().zh.contains("{serial}"));
        assert!(PatternError::Unknown("{x}".into()).text().en.contains("{x}"));
        // Stored patterns are checked when read back too.
        assert!(serde_json::from_str::<NumberPattern>(r#""{serial}""#).is_err());
        let pattern: NumberPattern = serde_json::from_str(r#""{year}-{serial}""#).unwrap();
        assert_eq!(serde_json::to_string(&pattern).unwrap(), r#""{year}-{serial}""#);
    }

    #[test]
    fn serials_are_taken_lowest_first_across_blocks_and_never_twice() {
        let mut serials = Serials::default();
        serials.add(block(2026, 51, 52)).unwrap();
        serials.add(block(2026, 1, 2)).unwrap();
        serials.add(block(2027, 1, 5)).unwrap();
        assert_eq!(serials.remaining(2026), 4);
        let taken: Vec<Option<u32>> = (0..5).map(|_| serials.take(2026)).collect();
        assert_eq!(taken, vec![Some(1), Some(2), Some(51), Some(52), None]);
        assert_eq!((serials.remaining(2026), serials.remaining(2027)), (0, 5));
        assert_eq!(serials.take(2027), Some(1), "each year counts on its own");
    }

    #[test]
    fn the_same_office_block_again_is_no_error_but_an_overlapping_or_empty_one_is_refused() {
        let mut serials = Serials::default();
        serials.add(block(2026, 1, 50)).unwrap();
        assert_eq!(serials.take(2026), Some(1));
        serials.add(block(2026, 1, 50)).unwrap();
        assert_eq!(serials.take(2026), Some(2), "sent again, the block keeps what was used");
        let manual = SerialBlock { manual: true, ..block(2026, 50, 60) };
        assert_eq!(serials.add(manual), Err(BlockError::Overlaps(block(2026, 1, 50))));
        assert!(BlockError::Overlaps(block(2026, 1, 50)).text().zh.contains("1–50"));
        serials.add(block(2025, 40, 60)).unwrap();
        assert_eq!(serials.add(block(2026, 5, 4)), Err(BlockError::Empty));
        assert_eq!(serials.add(block(2026, 0, 4)), Err(BlockError::Empty));
        serials.add(block(2026, 51, 51)).unwrap();
        assert_eq!(serials.remaining(2026), 49, "1–50 less two used, and 51");
    }

    #[test]
    fn top_up_is_asked_below_the_threshold() {
        let mut serials = Serials::default();
        assert!(serials.needs_top_up(2026), "no block at all");
        serials.add(block(2026, 1, TOP_UP_BELOW)).unwrap();
        assert!(!serials.needs_top_up(2026));
        serials.take(2026);
        assert!(serials.needs_top_up(2026));
    }

    #[test]
    fn a_new_year_drops_the_old_blocks_and_what_was_kept_reads_back() {
        let mut serials = Serials::default();
        serials.add(block(2025, 1, 3)).unwrap();
        serials.add(block(2026, 1, 3)).unwrap();
        serials.take(2025);
        serials.take(2026);
        let json = serde_json::to_string(&serials).unwrap();
        assert_eq!(serde_json::from_str::<Serials>(&json).unwrap(), serials);
        serials.drop_before(2026);
        assert_eq!(serials.blocks().collect::<Vec<_>>(), vec![&block(2026, 1, 3)]);
        assert_eq!(serials.remaining(2025), 0);
        assert_eq!(serials.take(2026), Some(2));
    }
}
