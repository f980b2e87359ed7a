//! Evidence attached to an inspection: photos (of an item, a hazard or the whole site) and
//! signatures. An [`Attachment`] is the metadata the inspection record carries and delivers;
//! the image itself is a blob the app stores apart (IndexedDB) and uploads on its own with
//! `PUT {endpoint}/inspections/{inspection}/attachments/{attachment}`, answered by an
//! a receipt (`delivery::payload::AttachmentReceipt`). Where each upload stands is the
//! delivery outbox's business, not the inspection's.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Worse than this (metres), a position is shown with a warning.
pub const ACCURACY_WARNING_M: f64 = 50.0;

/// Where the device was, as the browser's geolocation reported it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Degrees, WGS 84.
    pub lat: f64,
    pub lon: f64,
    /// Radius of 95 % confidence, metres.
    pub accuracy_m: f64,
}

impl Position {
    /// Good enough to stand without a warning: accurate to [`ACCURACY_WARNING_M`] or better.
    /// An unknown (NaN) accuracy is not accurate.
    pub fn is_accurate(&self) -> bool {
        self.accuracy_m <= ACCURACY_WARNING_M
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Photo,
    Signature,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerRole {
    Inspector,
    /// The site's representative (the principal or whoever signs for the site).
    SiteRepresentative,
    /// A witness, when the site's representative refuses to sign (the paperwork's refusal).
    Witness,
}

/// Who signed, for a signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub name: String,
    pub role: SignerRole,
}

/// One photo or signature image, as the inspection record holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// Also the blob's key on the phone and the last segment of the upload URL.
    pub id: Uuid,
    pub kind: AttachmentKind,
    /// The checklist item a photo belongs to (a hazard is its item); `None` for a signature
    /// or a photo of the whole site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// SHA-256 of the stored bytes, lowercase hex: sent as `X-Content-SHA256`.
    pub sha256: String,
    /// `image/jpeg` for photos, `image/png` for signatures, as the app encodes them.
    pub content_type: String,
    /// Size of the stored bytes.
    pub bytes: u64,
    /// Pixels, after downscaling and orientation.
    pub width: u32,
    pub height: u32,
    /// When taken or signed, milliseconds since the Unix epoch.
    pub taken_at: u64,
    /// Where, if the inspector allowed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// Who signed; `Some` for signatures only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
}

impl Attachment {
    pub fn is_signature(&self) -> bool {
        self.kind == AttachmentKind::Signature
    }
}

/// Whether `hash` is a SHA-256 in the form the protocol uses: 64 lowercase hex digits.
pub fn is_sha256_hex(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    pub(crate) fn photo(n: u128, item: Option<&str>) -> Attachment {
        Attachment {
            id: Uuid::from_u128(n),
            kind: AttachmentKind::Photo,
            item: item.map(str::to_string),
            sha256: HASH.into(),
            content_type: "image/jpeg".into(),
            bytes: 180_000,
            width: 1600,
            height: 1200,
            taken_at: 5_000,
            position: Some(Position { lat: 31.23, lon: 121.47, accuracy_m: 12.0 }),
            signer: None,
        }
    }

    pub(crate) fn signature(n: u128, name: &str, role: SignerRole) -> Attachment {
        Attachment {
            id: Uuid::from_u128(n),
            kind: AttachmentKind::Signature,
            item: None,
            sha256: HASH.into(),
            content_type: "image/png".into(),
            bytes: 9_000,
            width: 600,
            height: 200,
            taken_at: 9_000,
            position: None,
            signer: Some(Signer { name: name.into(), role }),
        }
    }

    #[test]
    fn accuracy_up_to_fifty_metres_needs_no_warning() {
        let at = |accuracy_m| Position { lat: 0.0, lon: 0.0, accuracy_m };
        assert!(at(3.0).is_accurate());
        assert!(at(ACCURACY_WARNING_M).is_accurate());
        assert!(!at(50.5).is_accurate());
        assert!(!at(f64::NAN).is_accurate());
    }

    #[test]
    fn attachments_are_stored_in_snake_case_and_leave_out_what_is_absent() {
        let json = serde_json::to_value(signature(1, "Zhao Li", SignerRole::SiteRepresentative)).unwrap();
        assert_eq!(json["kind"], "signature");
        assert_eq!(json["signer"]["role"], "site_representative");
        assert!(json.get("item").is_none() && json.get("position").is_none());
        let p = photo(2, Some("a-1"));
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains(r#""kind":"photo""#) && json.contains(r#""item":"a-1""#) && !json.contains("signer"));
        assert_eq!(serde_json::from_str::<Attachment>(&json).unwrap(), p);
    }

    #[test]
    fn a_content_hash_is_64_lowercase_hex_digits() {
        assert!(is_sha256_hex(HASH));
        assert!(!is_sha256_hex(&HASH.to_uppercase()));
        assert!(!is_sha256_hex(&HASH[1..]));
        assert!(!is_sha256_hex(&format!("{}g", &HASH[1..])));
    }
}
