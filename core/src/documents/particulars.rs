//! The agency's particulars as rules read them: the number pattern and codes it configures,
//! and the office's values laid over the phone's own.

use super::kind::DocumentKind;
use super::numbering::NumberPattern;
pub use crate::inspection::paperwork::{AgencyParticulars, Officer};

impl AgencyParticulars {
    /// The configured pattern, or the default when none is set or the text does not parse
    /// (the settings screen refuses a bad one, so that is only an older stored value).
    pub fn number_pattern(&self) -> NumberPattern {
        NumberPattern::parse(self.pattern.trim()).unwrap_or_else(|_| NumberPattern::default())
    }

    pub fn code(&self, kind: DocumentKind) -> &str {
        self.codes.get(&kind).map(String::as_str).filter(|c| !c.trim().is_empty()).unwrap_or(kind.default_code())
    }

    /// Every field the office sets, with the office's value where it has one: the phone's own
    /// settings fill only what the office left blank.
    pub fn overlaid_on(&self, phone: &AgencyParticulars) -> AgencyParticulars {
        let pick = |office: &String, own: &String| if office.trim().is_empty() { own.clone() } else { office.clone() };
        let mut codes = phone.codes.clone();
        codes.extend(self.codes.iter().map(|(k, v)| (*k, v.clone())));
        AgencyParticulars {
            agency: pick(&self.agency, &phone.agency),
            region: pick(&self.region, &phone.region),
            pattern: pick(&self.pattern, &phone.pattern),
            codes,
            review_government: pick(&self.review_government, &phone.review_government),
            review_department: pick(&self.review_department, &phone.review_department),
            court: pick(&self.court, &phone.court),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::numbering::DEFAULT_PATTERN;

    #[test]
    fn the_pattern_defaults_when_blank_or_unreadable() {
        let mut p = AgencyParticulars::default();
        assert_eq!(p.number_pattern(), NumberPattern::default());
        p.pattern = "{serial}".into();
        assert_eq!(p.number_pattern(), NumberPattern::default());
        p.pattern = "{year}-{serial}".into();
        assert_eq!(p.number_pattern().format("", "", 2026, 4), "2026-4");
        assert_eq!(
            NumberPattern::default().format("安", "检记", 2026, 1),
            DEFAULT_PATTERN.replace("{region}", "安").replace("{code}", "检记").replace("{year}", "2026").replace("{serial}", "1")
        );
    }

    #[test]
    fn a_configured_code_replaces_the_default_and_a_blank_one_does_not() {
        let mut p = AgencyParticulars::default();
        assert_eq!(p.code(DocumentKind::OrderToRectify), "责改");
        p.codes.insert(DocumentKind::OrderToRectify, "责令".into());
        p.codes.insert(DocumentKind::InspectionRecord, " ".into());
        assert_eq!(p.code(DocumentKind::OrderToRectify), "责令");
        assert_eq!(p.code(DocumentKind::InspectionRecord), "检记");
    }

    #[test]
    fn the_office_wins_where_it_has_a_value_and_the_phone_fills_the_rest() {
        let office = AgencyParticulars { agency: "安溪县应急管理局".into(), court: " ".into(), ..Default::default() };
        let mut phone =
            AgencyParticulars { agency: "mine".into(), court: "安溪县人民法院".into(), region: "安".into(), ..Default::default() };
        phone.codes.insert(DocumentKind::OrderToRectify, "改".into());
        let both = office.overlaid_on(&phone);
        assert_eq!(both.agency, "安溪县应急管理局");
        assert_eq!(both.court, "安溪县人民法院");
        assert_eq!(both.region, "安");
        assert_eq!(both.code(DocumentKind::OrderToRectify), "改");
    }
}
