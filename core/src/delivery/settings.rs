//! The inspector's settings: where completed inspections go, and who is inspecting.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Base URL of the receiver; empty means the origin the app was loaded from.
    pub endpoint: String,
    pub token: String,
    pub inspector_name: String,
    pub inspector_id: String,
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
