//! Text: what exists in both of the app's languages ([`Lang`], [`LocalText`]), and what
//! people typed made safe to show to others ([`visible_text`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The languages every string of the app and every template exists in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// Chinese where the phone prefers it, English otherwise. `preferred` is the
    /// browser's list of language tags, most preferred first.
    pub fn from_preferences<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        for tag in preferred {
            let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
            match primary.as_str() {
                "zh" => return Lang::Zh,
                "en" => return Lang::En,
                _ => continue,
            }
        }
        Lang::En
    }

    /// The BCP 47 tag for the `lang` attribute of the page.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A piece of template text in Chinese and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalText {
    pub zh: String,
    pub en: String,
}

impl LocalText {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// `text` with every control character that would hide or reorder it where it is shown (a
/// page, a spreadsheet, a PDF) replaced by U+FFFD, the replacement character, so it shows as
/// a visible mark instead of acting:
///
/// - NUL and the other C0 controls except tab, line feed and carriage return (which are
///   ordinary layout in a note), DEL, and the C1 controls (U+0080–U+009F);
/// - the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
///   with U+202E a site named `"Mall\u{202E}gpj.exe"` reads "Mallexe.jpg" in an office
///   register, and an unclosed one reorders the text after it.
///
/// Everything else is kept, including the left-to-right and right-to-left marks (U+200E,
/// U+200F), which only nudge neutral characters. Borrowed when nothing needs replacing.
pub fn visible_text(text: &str) -> Cow<'_, str> {
    if !text.contains(is_hiding_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if is_hiding_control(c) { char::REPLACEMENT_CHARACTER } else { c }).collect())
}

/// The characters [`visible_text`] replaces.
fn is_hiding_control(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_the_other_invisible_controls_show_as_replacement_characters() {
        assert_eq!(visible_text("a\0b"), "a\u{FFFD}b");
        assert_eq!(visible_text("\u{1}\u{8}\u{b}\u{c}\u{1b}[31m\u{1f}"), "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}[31m\u{FFFD}");
        assert_eq!(visible_text("del\u{7f} c1\u{80}\u{85}\u{9f}"), "del\u{FFFD} c1\u{FFFD}\u{FFFD}\u{FFFD}");
        assert!(matches!(visible_text("\0"), Cow::Owned(_)));
    }

    #[test]
    fn every_bidi_embedding_override_and_isolate_shows_as_a_replacement_character() {
        assert_eq!(visible_text("Mall\u{202E}gpj.exe"), "Mall\u{FFFD}gpj.exe");
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}') {
            assert_eq!(visible_text(&format!("x{c}y")), "x\u{FFFD}y", "U+{:04X}", c as u32);
        }
        // Their neighbours are ordinary characters.
        for c in ['\u{2029}', '\u{202f}', '\u{2065}', '\u{206a}', '\u{200e}', '\u{200f}', '\u{a0}'] {
            let text = format!("x{c}y");
            assert_eq!(visible_text(&text), text, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn ordinary_text_and_line_breaks_are_kept_as_they_are() {
        for text in ["", "Exit chained, \"again\"\r\nsecond line\tend", "安全出口 堵塞；已整改", "-3", "=1+1", "שלום abc", "emoji 🧯"]
        {
            assert!(matches!(visible_text(text), Cow::Borrowed(t) if t == text), "{text:?}");
        }
    }

    #[test]
    fn chinese_when_the_phone_prefers_it() {
        assert_eq!(Lang::from_preferences(["zh-CN", "en-US"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(["zh-Hant-TW"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(["fr-FR", "zh"]), Lang::Zh);
    }

    #[test]
    fn english_otherwise() {
        assert_eq!(Lang::from_preferences(["en-GB", "zh-CN"]), Lang::En);
        assert_eq!(Lang::from_preferences(["fr", "de"]), Lang::En);
        assert_eq!(Lang::from_preferences([]), Lang::En);
    }

    #[test]
    fn the_page_language_tag_and_the_template_text_follow_the_language() {
        assert_eq!((Lang::Zh.tag(), Lang::En.tag()), ("zh-CN", "en"));
        let text = LocalText { zh: "灭火器".into(), en: "Extinguisher".into() };
        assert_eq!((text.get(Lang::Zh), text.get(Lang::En)), ("灭火器", "Extinguisher"));
    }

    #[test]
    fn codes_round_trip() {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("fr"), None);
    }
}
