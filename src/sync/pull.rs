//! `GET {endpoint}/sync?since=<cursor>`: the inspector's tasks and their sites' open hazards
//! (issue 14), read into core's [`Pull`] over the same fetch and time-out as the other GETs.
//! What is kept of it, and when it is asked, is the assignments service's business.

use safewalk_core::assignment::pull::Pull;
use safewalk_core::delivery::outbox::Attempt;

use super::transport;

/// Why a pull brought nothing; told by [`crate::i18n::Strings::pull_failure`]. What was kept
/// from the last pull stays.
#[derive(Clone, Debug, PartialEq)]
pub enum PullFailure {
    /// The browser says it is offline: nothing was asked.
    Offline,
    TimedOut,
    /// The browser could not reach the receiver; its own words.
    Network(String),
    /// 401/403: the token is missing, revoked or another receiver's: sign in again.
    TokenRefused,
    /// 404: a receiver from before tasks (or another server) has no `/sync`.
    NoSync,
    /// A 200 that is not JSON: a captive portal or a web page, not the receiver.
    NotAReceiver,
    /// JSON that is not a pull: the receiver's words cannot be read by this app.
    Unreadable(String),
    /// Any other status: a server error (5xx) or a refusal, with its status.
    Status(u16),
}

/// Asks the receiver for what changed since `cursor` (everything when `None`).
pub async fn pull(endpoint: &str, token: &str, cursor: Option<&str>) -> Result<Pull, PullFailure> {
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if !online {
        return Err(PullFailure::Offline);
    }
    let url = match cursor {
        Some(cursor) => format!("{endpoint}/sync?since={}", String::from(js_sys::encode_uri_component(cursor))),
        None => format!("{endpoint}/sync"),
    };
    read(transport::get_text(&url, token).await)
}

/// What an answer means. Split from the request so every case reads the same whoever asks.
pub fn read(attempt: Attempt) -> Result<Pull, PullFailure> {
    match attempt {
        Attempt::Response { status: 200, content_type, body } => {
            if !content_type.is_some_and(|c| c.contains("json")) {
                return Err(PullFailure::NotAReceiver);
            }
            serde_json::from_str(&body).map_err(|e| PullFailure::Unreadable(e.to_string()))
        }
        Attempt::Response { status: 401 | 403, .. } => Err(PullFailure::TokenRefused),
        Attempt::Response { status: 404, .. } => Err(PullFailure::NoSync),
        Attempt::Response { status, .. } => Err(PullFailure::Status(status)),
        Attempt::Timeout => Err(PullFailure::TimedOut),
        Attempt::NetworkError(why) => Err(PullFailure::Network(why)),
    }
}
