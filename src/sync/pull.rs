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

/// Asks the receiver for what changed since `cursor` (everything when `None`), and with
/// `top_up` a new block of document serials for that year.
pub async fn pull(endpoint: &str, token: &str, cursor: Option<&str>, top_up: Option<i32>) -> Result<Pull, PullFailure> {
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if !online {
        return Err(PullFailure::Offline);
    }
    read(transport::get_text(&sync_url(endpoint, cursor, top_up), token).await)
}

/// `{endpoint}/sync` with its query: `since` the cursor, `top_up` the year.
pub fn sync_url(endpoint: &str, cursor: Option<&str>, top_up: Option<i32>) -> String {
    let mut query = Vec::new();
    if let Some(cursor) = cursor {
        query.push(format!("since={}", String::from(js_sys::encode_uri_component(cursor))));
    }
    if let Some(year) = top_up {
        query.push(format!("top_up={year}"));
    }
    if query.is_empty() {
        format!("{endpoint}/sync")
    } else {
        format!("{endpoint}/sync?{}", query.join("&"))
    }
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
