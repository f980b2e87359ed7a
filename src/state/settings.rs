//! Where completed inspections go, the access token, and who is inspecting.

use leptos::prelude::*;
use safewalk_core::delivery::outbox::{classify, Attempt, Outcome};
use safewalk_core::delivery::settings::{validate_endpoint, EndpointError, Settings as Values};
use safewalk_core::storage::SETTINGS_KEY;

use super::device::Device;
use crate::browser;
use crate::sync::transport;

#[derive(Clone, Copy)]
pub struct Settings {
    values: RwSignal<Values>,
    /// The sign-in link opened in this visit and what came of it (`None` while under way).
    /// A code is traded once per visit: a re-render of its screen (a language switch) shows
    /// this outcome instead of trying the used code again.
    joined: RwSignal<Option<(String, Option<JoinOutcome>)>>,
    device: Device,
}

/// Why "test connection" failed, told by [`crate::i18n::Strings::connection_error`].
#[derive(Clone, Debug, PartialEq)]
pub enum ConnectionError {
    InvalidEndpoint(EndpointError),
    /// This URL (`{endpoint}/health`) answered 200 without JSON: a web page, not a receiver.
    NotAReceiver {
        url: String,
    },
    /// The receiver refused the token (401 or 403).
    TokenRefused,
    TimedOut,
    /// The browser could not reach the receiver; its own words.
    Network(String),
    /// Any other answer, as delivery would read it (its status and the server's own words).
    Refused(Outcome),
}

/// Who a token belongs to, as `GET /me` and `POST /join` answer.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Person {
    pub name: String,
    pub role: String,
}

/// Who a sign-in link signed the phone in as, or why it did not.
pub type JoinOutcome = Result<Person, JoinError>;

/// Why opening a sign-in link did not put the phone into service.
#[derive(Clone, Debug, PartialEq)]
pub enum JoinError {
    /// The receiver refused the code: used already, expired, or never issued.
    Refused,
    /// No answer, or one this app cannot read: its own words.
    Failed(String),
}

impl Settings {
    /// Opens the sign-in link with `code` unless this visit already did: true when this call
    /// signed the phone in. [`Settings::join_outcome`] tells what came of it.
    pub async fn join_once(&self, code: &str) -> bool {
        if self.joined.with_untracked(|joined| joined.as_ref().is_some_and(|(c, _)| c == code)) {
            return false;
        }
        self.joined.set(Some((code.to_string(), None)));
        let outcome = self.join(code).await;
        let signed_in = outcome.is_ok();
        self.joined.set(Some((code.to_string(), Some(outcome))));
        signed_in
    }

    /// What came of opening the sign-in link with `code` in this visit, once known. Tracked.
    pub fn join_outcome(&self, code: &str) -> Option<JoinOutcome> {
        self.joined.with(|joined| joined.as_ref().filter(|(c, _)| c == code).and_then(|(_, outcome)| outcome.clone()))
    }

    /// Opens a one-time sign-in link: the receiver that served the app (the link's origin)
    /// trades the code for a device token, which is saved with the endpoint blank (this
    /// origin); the inspector's name is filled in when Settings had none.
    async fn join(&self, code: &str) -> Result<Person, JoinError> {
        #[derive(serde::Deserialize)]
        struct Joined {
            token: String,
            person: Person,
        }
        match transport::join(&browser::origin(), code, "phone (sign-in link)").await {
            Attempt::Response { status: 201, body, .. } => {
                let joined: Joined = serde_json::from_str(&body).map_err(|e| JoinError::Failed(e.to_string()))?;
                let mut values = self.current();
                values.endpoint = String::new();
                values.token = joined.token;
                if values.inspector_name.trim().is_empty() {
                    values.inspector_name = joined.person.name.clone();
                }
                self.device.put_record(SETTINGS_KEY, &values);
                self.values.set(values);
                Ok(joined.person)
            }
            Attempt::Response { status: 401 | 403, .. } => Err(JoinError::Refused),
            Attempt::Response { status, body, .. } => Err(JoinError::Failed(format!("{status} {body}"))),
            Attempt::Timeout => Err(JoinError::Failed("timed out".into())),
            Attempt::NetworkError(why) => Err(JoinError::Failed(why)),
        }
    }

    /// Who the saved token belongs to (`GET /me`), when the receiver says.
    pub async fn signed_in_as(&self) -> Option<Person> {
        let token = self.token();
        if token.trim().is_empty() {
            return None;
        }
        match transport::me(&self.endpoint(), &token).await {
            Attempt::Response { status: 200, body, .. } => serde_json::from_str(&body).ok(),
            _ => None,
        }
    }

    /// Signing out: the token is forgotten (the rest of the settings stay).
    pub fn sign_out(&self) {
        let mut values = self.current();
        values.token = String::new();
        self.device.put_record(SETTINGS_KEY, &values);
        self.values.set(values);
    }

    pub fn load(device: Device) -> Settings {
        Settings {
            values: RwSignal::new(device.read_record::<Values>(SETTINGS_KEY).unwrap_or_default()),
            joined: RwSignal::new(None),
            device,
        }
    }

    /// Reads the settings again: another tab saved them.
    pub(super) fn reload(&self) {
        self.values.set(self.device.read_record::<Values>(SETTINGS_KEY).unwrap_or_default());
    }

    /// The saved settings, untracked: a form starts from them.
    pub fn current(&self) -> Values {
        self.values.get_untracked()
    }

    /// The access token (blank: none). Untracked.
    pub fn token(&self) -> String {
        self.values.with_untracked(|s| s.token.clone())
    }

    /// Who is inspecting, to prefill the first signature. Untracked.
    pub fn inspector_name(&self) -> String {
        self.values.with_untracked(|s| s.inspector_name.clone())
    }

    /// The agency's particulars as set on this phone. Tracked.
    pub fn agency(&self) -> safewalk_core::documents::particulars::AgencyParticulars {
        self.values.with(|s| s.agency.clone())
    }

    /// Saves settings after checking the endpoint (a blank one means this app's origin).
    pub fn save(&self, mut values: Values) -> Result<(), EndpointError> {
        if !values.endpoint.trim().is_empty() {
            values.endpoint = validate_endpoint(&values.endpoint)?;
        }
        self.device.put_record(SETTINGS_KEY, &values);
        self.values.set(values);
        Ok(())
    }

    /// Where inspections go: the configured endpoint, or the origin that served the app
    /// (the reference receiver serves both, so that works out of the box). Untracked.
    pub fn endpoint(&self) -> String {
        endpoint_of(&self.values.with_untracked(|s| s.endpoint.clone()))
    }

    /// Checks settings not saved yet (the form's): is a Safewalk receiver there, and would it
    /// take this token.
    pub async fn test_connection(values: Values) -> Result<(), ConnectionError> {
        let endpoint = if values.endpoint.trim().is_empty() {
            browser::origin()
        } else {
            validate_endpoint(&values.endpoint).map_err(ConnectionError::InvalidEndpoint)?
        };
        match transport::health(&endpoint, &values.token).await {
            Attempt::Response { status: 200, content_type: Some(c), .. } if c.contains("json") => {
                // Reachable; now whether this token would be accepted.
                match transport::check_token(&endpoint, &values.token).await {
                    Attempt::Response { status: 401 | 403, .. } => Err(ConnectionError::TokenRefused),
                    _ => Ok(()),
                }
            }
            Attempt::Response { status: 200, .. } => Err(ConnectionError::NotAReceiver { url: format!("{endpoint}/health") }),
            Attempt::Timeout => Err(ConnectionError::TimedOut),
            Attempt::NetworkError(why) => Err(ConnectionError::Network(why)),
            other => Err(ConnectionError::Refused(classify(uuid::Uuid::nil(), &other))),
        }
    }
}

/// A blank endpoint stands for the origin that served the app.
fn endpoint_of(configured: &str) -> String {
    if configured.trim().is_empty() {
        browser::origin()
    } else {
        configured.to_string()
    }
}
