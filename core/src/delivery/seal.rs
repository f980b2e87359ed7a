//! The seal: the SHA-256 of a delivered record's canonical form, printed on every document
//! and report as text and as a QR code, so the office can tell whether a paper matches what
//! was delivered.
//!
//! The canonical form is the payload as this crate serialises it: fields in declaration order,
//! maps sorted (they are `BTreeMap`s), no whitespace. Both sides make it from the parsed payload —
//! the phone from the record it is about to send, the receiver from the record it stored — so
//! formatting of the bytes on the wire never matters. Attachments are in it by their SHA-256,
//! so a changed photo or signature breaks the seal too. The digest itself is the platform's
//! (SubtleCrypto on the phone, `sha2` on the receiver): the text it is taken over is this one.

use super::payload::InspectionPayload;
use crate::inspection::attachment::is_sha256_hex;

/// The text the seal is the SHA-256 of (UTF-8).
pub fn canonical_text(payload: &InspectionPayload) -> String {
    // Serialising plain data with string keys does not fail.
    serde_json::to_string(payload).unwrap_or_default()
}

/// Where a printed seal is checked: `{office}/verify/{seal}`, the QR code's content. `office`
/// is the receiver's address as the phone knows it (its endpoint).
pub fn verify_url(office: &str, seal: &str) -> String {
    format!("{}/verify/{}", office.trim_end_matches('/'), seal)
}

/// A seal as typed or scanned: 64 hex digits, spaces and case ignored (a printed seal is read
/// in groups). `None` for anything else.
pub fn read_seal(text: &str) -> Option<String> {
    let seal: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    is_sha256_hex(&seal).then_some(seal)
}

/// The seal as printed: eight groups of eight, so it can be read aloud and typed back.
pub fn grouped(seal: &str) -> String {
    seal.as_bytes().chunks(8).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::fixtures;

    #[test]
    fn the_canonical_text_survives_a_round_trip_through_the_wire() {
        let t = fixtures::template();
        let payload = InspectionPayload::graded(fixtures::inspection(1, "mall", &["pl-1", "dm-1"]), &t, None);
        let text = canonical_text(&payload);
        let pretty = serde_json::to_string_pretty(&payload).unwrap();
        let read: InspectionPayload = serde_json::from_str(&pretty).unwrap();
        assert_eq!(canonical_text(&read), text, "reformatted on the wire, the same canonical text");
        assert!(!text.contains('\n') && text.starts_with("{\"schema\":"));
    }

    #[test]
    fn any_change_to_the_record_changes_the_canonical_text() {
        let t = fixtures::template();
        let payload = InspectionPayload::graded(fixtures::inspection(1, "mall", &["pl-1"]), &t, None);
        let mut changed = payload.clone();
        changed.inspection.site.name.push('!');
        assert_ne!(canonical_text(&changed), canonical_text(&payload));
    }

    #[test]
    fn a_seal_is_read_back_from_print_in_any_case_and_grouping() {
        let seal = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let printed = grouped(seal);
        assert_eq!(printed, "9f86d081 884c7d65 9a2feaa0 c55ad015 a3bf4f1b 2b0b822c d15d6c15 b0f00a08");
        assert_eq!(read_seal(&printed.to_uppercase()).as_deref(), Some(seal));
        assert_eq!(read_seal(&seal[1..]), None);
        assert_eq!(read_seal(&format!("{}g", &seal[1..])), None);
        assert_eq!(verify_url("https://office.example/", seal), format!("https://office.example/verify/{seal}"));
    }
}
