//! The office's session cookie: its name, reading it (or another cookie) from a request.

use axum::http::{header, HeaderMap};

/// The cookie an office session travels in (HttpOnly, SameSite=Strict, Path=/; Secure when
/// the receiver is reached over https).
pub const COOKIE: &str = "safewalk_session";

/// The session cookie's value, if the request carries one.
pub fn cookie(headers: &HeaderMap) -> Option<String> {
    cookie_named(headers, COOKIE)
}

/// The value of the cookie `wanted`, if the request carries it (not empty).
pub fn cookie_named(headers: &HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=1; safewalk_session=sws_abc; b=2".parse().unwrap());
        assert_eq!(cookie(&headers), Some("sws_abc".to_string()));
        headers.insert(header::COOKIE, "safewalk_sessionx=1".parse().unwrap());
        assert_eq!(cookie(&headers), None);
    }
}
