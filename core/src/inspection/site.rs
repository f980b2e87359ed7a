//! The site an inspection is about and the team that inspects it: the fields the inspector
//! fills in before the checklist, and the names completion asks for.

use serde::{Deserialize, Serialize};

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

/// A field of the site details or team that completion requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SiteField {
    SiteName,
    Address,
    Category,
    Enterprise,
    Principal,
    PrincipalPhone,
    Department,
    Inspectors,
}

impl SiteField {
    pub const ALL: [SiteField; 8] = [
        SiteField::SiteName,
        SiteField::Address,
        SiteField::Category,
        SiteField::Enterprise,
        SiteField::Principal,
        SiteField::PrincipalPhone,
        SiteField::Department,
        SiteField::Inspectors,
    ];

    /// The field's name as stored (in the site details or the team).
    pub fn key(self) -> &'static str {
        match self {
            SiteField::SiteName => "name",
            SiteField::Address => "address",
            SiteField::Category => "category",
            SiteField::Enterprise => "enterprise",
            SiteField::Principal => "principal",
            SiteField::PrincipalPhone => "principal_phone",
            SiteField::Department => "department",
            SiteField::Inspectors => "inspectors",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SiteDetails;

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
