//! Which premises a site is, when no credit code says so: its name and address normalised so
//! that two inspectors' spellings of the same place match. Full-width characters become
//! half-width, capitals small, and everything that is neither a letter nor a digit (spaces,
//! punctuation of either language, brackets) goes: `（上海）万达广场 B座` and `(上海)万达广场b座`
//! are one site.

/// The normalised name and address of a site.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiteIdentity {
    pub name: String,
    pub address: String,
}

impl SiteIdentity {
    pub fn new(name: &str, address: &str) -> SiteIdentity {
        SiteIdentity { name: normalise(name), address: normalise(address) }
    }

    /// Name and address in one text for an index: joined by a newline, which neither
    /// normalised part can contain, so two different identities never share a key.
    pub fn key(&self) -> String {
        format!("{}\n{}", self.name, self.address)
    }

    /// Same normalised name: perhaps the same premises under another address or code, which
    /// the office may merge (a name alone is not enough to merge by itself).
    pub fn may_be_same_premises(&self, other: &SiteIdentity) -> bool {
        !self.name.is_empty() && self.name == other.name
    }
}

/// A full-width form (U+FF01–U+FF5E) as its ASCII character, the ideographic space as a
/// space; anything else unchanged.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Half-width, lowercase, letters and digits only (CJK ideographs are letters).
pub fn normalise(text: &str) -> String {
    text.chars().map(half_width).filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_mall_match() {
        let spellings = [
            ("上海万达广场（五角场店）", "上海市杨浦区邯郸路600号"),
            ("上海万达广场(五角场店)", "上海市杨浦区邯郸路６００号"),
            (" 上海 万达广场 · 五角场店 ", "上海市杨浦区 邯郸路 600 号。"),
            ("上海万达广场【五角场店】", "上海市杨浦区邯郸路600号"),
        ];
        let first = SiteIdentity::new(spellings[0].0, spellings[0].1);
        assert_eq!(first, SiteIdentity { name: "上海万达广场五角场店".into(), address: "上海市杨浦区邯郸路600号".into() });
        for (name, address) in spellings {
            assert_eq!(SiteIdentity::new(name, address), first, "{name} / {address}");
        }
    }

    #[test]
    fn latin_letters_fold_in_width_and_case() {
        assert_eq!(normalise("ＫＦＣ 肯德基（Ｂ座）"), "kfc肯德基b座");
        assert_eq!(normalise("KFC肯德基(b座)"), "kfc肯德基b座");
        assert_eq!(normalise("Block-C, No.18  Xinhua Rd."), "blockcno18xinhuard");
        assert_eq!(normalise("\u{3000}\t\n"), "");
        assert_eq!(half_width('Ａ'), 'A');
        assert_eq!(half_width('～'), '~');
        assert_eq!(half_width('\u{FF00}'), '\u{FF00}', "just below the range");
        assert_eq!(half_width('\u{FF5F}'), '\u{FF5F}', "just above the range");
        assert_eq!(half_width('\u{3000}'), ' ');
        assert_eq!(half_width('中'), '中');
    }

    #[test]
    fn different_premises_stay_apart() {
        let wanda = SiteIdentity::new("万达广场", "邯郸路600号");
        assert_ne!(wanda, SiteIdentity::new("万达广场", "邯郸路601号"));
        assert_ne!(wanda, SiteIdentity::new("万达商场", "邯郸路600号"));
        // The key cannot be forged by moving text from the address into the name.
        assert_ne!(SiteIdentity::new("ab", "c").key(), SiteIdentity::new("a", "bc").key());
        assert_eq!(wanda.key(), "万达广场\n邯郸路600号");
    }

    #[test]
    fn the_same_name_elsewhere_may_be_the_same_premises() {
        let one = SiteIdentity::new("华联超市（长宁店）", "长宁路1号");
        assert!(one.may_be_same_premises(&SiteIdentity::new("华联超市 长宁店", "长宁路1号1楼")));
        assert!(!one.may_be_same_premises(&SiteIdentity::new("华联超市（静安店）", "长宁路1号")));
        let nameless = SiteIdentity::new("", "长宁路1号");
        assert!(!nameless.may_be_same_premises(&nameless.clone()), "an empty name matches nothing");
    }
}
