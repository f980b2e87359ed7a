//! The inspector's settings: where completed inspections go, and who is inspecting.

use serde::{Deserialize, Serialize};

use crate::inspection::paperwork::AgencyParticulars;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Base URL of the receiver; empty means the origin the app was loaded from.
    pub endpoint: String,
    pub token: String,
    pub inspector_name: String,
    pub inspector_id: String,
    /// The inspector's law-enforcement certificate number (执法证号), printed on the documents.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub certificate: String,
    /// The agency's particulars as set on this phone (issue 15): used where the office sends
    /// none (see [`AgencyParticulars::overlaid_on`]).
    #[serde(skip_serializing_if = "is_unset")]
    pub agency: AgencyParticulars,
}

fn is_unset(agency: &AgencyParticulars) -> bool {
    *agency == AgencyParticulars::default()
}

/// Why an endpoint URL is refused, each with the fix in its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointError {
    /// Not a URL at all (no scheme, or no host).
    NotAUrl,
    /// `http://` to another machine would send inspections readable by anyone on the way.
    InsecureRemote,
    /// Only http and https can carry uploads.
    UnsupportedScheme,
    /// A query or fragment cannot be part of a base URL.
    HasQueryOrFragment,
}

/// Checks an endpoint and returns it without a trailing slash: https anywhere, http only
/// for this machine (`localhost`, `127.0.0.1`, `[::1]`).
pub fn validate_endpoint(input: &str) -> Result<String, EndpointError> {
    let url = input.trim();
    let (scheme, rest) = url.split_once("://").ok_or(EndpointError::NotAUrl)?;
    let scheme = scheme.to_ascii_lowercase();
    if rest.contains('?') || rest.contains('#') {
        return Err(EndpointError::HasQueryOrFragment);
    }
    let authority = rest.split('/').next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().map(|h| format!("[{h}]")).unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or("").to_ascii_lowercase()
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(EndpointError::NotAUrl);
    }
    match scheme.as_str() {
        "https" => {}
        "http" if matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]") => {}
        "http" => return Err(EndpointError::InsecureRemote),
        _ => return Err(EndpointError::UnsupportedScheme),
    }
    Ok(format!("{scheme}://{}", rest.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_for_this_machine() {
        assert_eq!(validate_endpoint(" https://office.example.cn/safewalk/ "), Ok("https://office.example.cn/safewalk".into()));
        assert_eq!(validate_endpoint("http://127.0.0.1:8080"), Ok("http://127.0.0.1:8080".into()));
        assert_eq!(validate_endpoint("http://localhost:3000/"), Ok("http://localhost:3000".into()));
        assert_eq!(validate_endpoint("http://[::1]:8080"), Ok("http://[::1]:8080".into()));
        assert_eq!(validate_endpoint("HTTPS://Office.example.cn"), Ok("https://Office.example.cn".into()));
    }

    #[test]
    fn each_wrong_endpoint_says_what_is_wrong() {
        assert_eq!(validate_endpoint("http://office.example.cn"), Err(EndpointError::InsecureRemote));
        assert_eq!(validate_endpoint("http://192.168.1.5:8080"), Err(EndpointError::InsecureRemote));
        assert_eq!(validate_endpoint("http://localhost.evil.cn"), Err(EndpointError::InsecureRemote));
        assert_eq!(validate_endpoint("office.example.cn"), Err(EndpointError::NotAUrl));
        assert_eq!(validate_endpoint("https://"), Err(EndpointError::NotAUrl));
        assert_eq!(validate_endpoint(""), Err(EndpointError::NotAUrl));
        assert_eq!(validate_endpoint("ftp://office.example.cn"), Err(EndpointError::UnsupportedScheme));
        assert_eq!(validate_endpoint("https://office.example.cn/?x=1"), Err(EndpointError::HasQueryOrFragment));
    }
}

#[cfg(test)]
mod paper_settings_tests {
    use super::*;

    #[test]
    fn settings_from_before_the_documents_read_and_the_new_particulars_round_trip() {
        let old: Settings = serde_json::from_str(r#"{"endpoint":"","token":"t","inspector_name":"王强","inspector_id":"7"}"#).unwrap();
        assert_eq!(old.certificate, "");
        assert_eq!(old.agency, AgencyParticulars::default());
        assert!(!serde_json::to_string(&old).unwrap().contains("agency"), "nothing new written until set");
        let mut set = old;
        set.certificate = "35012345".into();
        set.agency.court = "安溪县人民法院".into();
        let read: Settings = serde_json::from_str(&serde_json::to_string(&set).unwrap()).unwrap();
        assert_eq!(read, set);
    }
}
