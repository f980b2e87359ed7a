//! The site an inspection is about and the team that inspects it: the fields the inspector
//! fills in before the checklist, and the names completion asks for.

use serde::{Deserialize, Serialize};

use crate::site::{Uscc, UsccError};

/// The site being inspected and who answers for it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteDetails {
    pub name: String,
    pub address: String,
    /// One of the template's `site_categories` ids.
    pub category: String,
    pub enterprise: String,
    /// The principal person in charge or legal representative.
    pub principal: String,
    pub principal_phone: String,
    /// The unified social credit code (统一社会信用代码) when the inspector knows it: the
    /// office files the inspection under the site with this code. Left out of the payload
    /// when empty, so records without one keep their canonical text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uscc: String,
}

impl SiteDetails {
    /// The credit code as the office will read it: `None` when none was entered (blank),
    /// else the code in capitals or why it is not one.
    pub fn credit_code(&self) -> Option<Result<Uscc, UsccError>> {
        (!self.uscc.trim().is_empty()).then(|| Uscc::parse(&self.uscc))
    }
}

/// Who inspects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Team {
    pub department: String,
    /// Names as typed, separated by commas or 、; see [`Team::inspector_names`].
    pub inspectors: String,
}

impl Team {
    /// The inspectors' names, split on the separators people type in either language.
    pub fn inspector_names(&self) -> Vec<&str> {
        self.inspectors.split([',', '，', '、', ';', '；']).map(str::trim).filter(|n| !n.is_empty()).collect()
    }
}

/// A field of the site details or team, as the details form lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SiteField {
    SiteName,
    Address,
    Category,
    Enterprise,
    /// The enterprise's unified social credit code: optional, but checked when given.
    Uscc,
    Principal,
    PrincipalPhone,
    Department,
    Inspectors,
}

impl SiteField {
    /// Every field, in form order: what is stamped, merged and shown.
    pub const ALL: [SiteField; 9] = [
        SiteField::SiteName,
        SiteField::Address,
        SiteField::Category,
        SiteField::Enterprise,
        SiteField::Uscc,
        SiteField::Principal,
        SiteField::PrincipalPhone,
        SiteField::Department,
        SiteField::Inspectors,
    ];

    /// Whether completion asks for it. Every field but the credit code: many premises
    /// (a stall, a rented floor) have none the inspector can see, and the office files an
    /// inspection without one by name and address.
    pub fn is_required(self) -> bool {
        self != SiteField::Uscc
    }

    /// The field's name as stored (in the site details or the team).
    pub fn key(self) -> &'static str {
        match self {
            SiteField::SiteName => "name",
            SiteField::Address => "address",
            SiteField::Category => "category",
            SiteField::Enterprise => "enterprise",
            SiteField::Principal => "principal",
            SiteField::PrincipalPhone => "principal_phone",
            SiteField::Uscc => "uscc",
            SiteField::Department => "department",
            SiteField::Inspectors => "inspectors",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{SiteDetails, SiteField};
    use crate::site::UsccError;

    #[test]
    fn only_the_credit_code_is_optional() {
        let optional: Vec<SiteField> = SiteField::ALL.into_iter().filter(|f| !f.is_required()).collect();
        assert_eq!(optional, vec![SiteField::Uscc]);
        assert_eq!(SiteField::Uscc.key(), "uscc", "the payload's name, so stamps and the record agree");
    }

    #[test]
    fn a_credit_code_is_read_as_the_office_reads_it() {
        let with = |uscc: &str| SiteDetails { uscc: uscc.into(), ..SiteDetails::default() };
        assert_eq!(with("").credit_code(), None);
        assert_eq!(with("  \t").credit_code(), None, "blank is not entered");
        assert_eq!(
            with(" ９１３５０１００m000100y43 ").credit_code().map(|c| c.map(|c| c.to_string())),
            Some(Ok("91350100M000100Y43".into()))
        );
        assert_eq!(with("91350100M000100Y44").credit_code(), Some(Err(UsccError::CheckCharacter { expected: '3', found: '4' })));
        assert_eq!(with("91350100M000100Y4").credit_code(), Some(Err(UsccError::Length(17))));
    }

    #[test]
    fn the_credit_code_is_left_out_when_empty_so_stored_texts_keep_their_form() {
        let without = SiteDetails { name: "万达广场".into(), ..SiteDetails::default() };
        let json = serde_json::to_value(&without).unwrap();
        assert!(json.get("uscc").is_none(), "{json}");
        let with = SiteDetails { uscc: "91350100M000100Y43".into(), ..without };
        let json = serde_json::to_string(&with).unwrap();
        assert!(json.contains("\"uscc\":\"91350100M000100Y43\""), "{json}");
        assert_eq!(serde_json::from_str::<SiteDetails>(&json).unwrap(), with);
        assert_eq!(serde_json::from_str::<SiteDetails>("{\"name\":\"x\"}").unwrap().uscc, "", "older records read");
    }
}
