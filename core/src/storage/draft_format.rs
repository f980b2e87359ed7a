//! The stored form of a draft: a versioned envelope around an [`Inspection`].
//!
//! Format history:
//! - 1: the prototype. Answers and notes were two separate maps (`answers`: item → answer,
//!   `notes`: item → text) and the template was two flat fields.
//! - 2: `{"format": 2, "inspection": {..}}` with the [`Inspection`] type as it is now.
//! - 3: as 2, plus `"edits"`: when each field was last edited ([`EditStamps`]), so two tabs'
//!   copies merge field by field. Absent when empty; a format 2 record reads with none.
//!
//! Reading an older format migrates it in memory; the next save writes the current one.

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::inspection::merge::EditStamps;
use crate::inspection::{Answer, Inspection, ItemAnswer, SiteDetails, Team, TemplateRef};

pub const DRAFT_FORMAT: u64 = 3;

/// Why a stored draft could not be read. The raw text is always kept by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Not JSON at all: garbage, or JSON cut off mid-write.
    NotJson(String),
    /// JSON without a format number.
    NoFormat,
    /// Written by a newer (or unknown) version of the app.
    UnknownFormat(u64),
    /// The right format number, but the content does not fit it.
    Invalid(String),
    /// The record belongs to another inspection than its key says.
    WrongId { expected: String, found: Uuid },
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::NotJson(e) => write!(f, "not valid JSON ({e})"),
            Unreadable::NoFormat => write!(f, "no format number"),
            Unreadable::UnknownFormat(n) => write!(f, "unknown format {n}"),
            Unreadable::Invalid(e) => write!(f, "invalid content ({e})"),
            Unreadable::WrongId { expected, found } => write!(f, "stored under {expected} but holds {found}"),
        }
    }
}

#[derive(Serialize)]
struct EnvelopeRef<'a> {
    format: u64,
    inspection: &'a Inspection,
    #[serde(skip_serializing_if = "EditStamps::is_empty")]
    edits: &'a EditStamps,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    #[allow(dead_code)]
    format: u64,
    inspection: Inspection,
    #[serde(default)]
    edits: EditStamps,
}

#[derive(Deserialize)]
struct FormatV1 {
    id: Uuid,
    template_id: String,
    template_version: String,
    #[serde(default)]
    site: SiteDetails,
    #[serde(default)]
    team: Team,
    #[serde(default)]
    answers: BTreeMap<String, Answer>,
    #[serde(default)]
    notes: BTreeMap<String, String>,
    created_at: u64,
    updated_at: u64,
    #[serde(default)]
    completed_at: Option<u64>,
}

impl FormatV1 {
    fn migrate(self) -> Inspection {
        let mut answers: BTreeMap<String, ItemAnswer> = BTreeMap::new();
        for (item, answer) in self.answers {
            answers.entry(item).or_default().answer = Some(answer);
        }
        for (item, note) in self.notes.into_iter().filter(|(_, n)| !n.is_empty()) {
            answers.entry(item).or_default().note = note;
        }
        Inspection {
            id: self.id,
            template: TemplateRef { id: self.template_id, version: self.template_version },
            site: self.site,
            team: self.team,
            answers,
            hazards: BTreeMap::new(),
            exclusions: Vec::new(),
            determination: None,
            follow_up: None,
            task: None,
            paperwork: None,
            attachments: Vec::new(),
            position: None,
            created_at: self.created_at,
            updated_at: self.updated_at,
            completed_at: self.completed_at,
        }
    }
}

pub fn encode_inspection(inspection: &Inspection) -> Result<String, serde_json::Error> {
    encode_draft(inspection, &EditStamps::default())
}

/// A draft with the stamps of its fields.
pub fn encode_draft(inspection: &Inspection, edits: &EditStamps) -> Result<String, serde_json::Error> {
    serde_json::to_string(&EnvelopeRef { format: DRAFT_FORMAT, inspection, edits })
}

/// Just the format number, read before the rest.
#[derive(Deserialize)]
struct FormatTag {
    format: Option<u64>,
}

/// Reads any known format, migrating older ones. Never panics, whatever the input.
///
/// The text is parsed straight into the typed structs (after a cheap syntax check and a
/// look at the format number) rather than through `serde_json::Value`: a second
/// deserializer for every type would cost the app kilobytes of wasm.
pub fn decode_inspection(raw: &str) -> Result<Inspection, Unreadable> {
    decode_draft(raw).map(|(inspection, _)| inspection)
}

/// Reads a draft with the stamps of its fields (none before format 3).
pub fn decode_draft(raw: &str) -> Result<(Inspection, EditStamps), Unreadable> {
    serde_json::from_str::<IgnoredAny>(raw).map_err(|e| Unreadable::NotJson(e.to_string()))?;
    if !raw.trim_start().starts_with('{') {
        return Err(Unreadable::NoFormat);
    }
    let format = serde_json::from_str::<FormatTag>(raw).ok().and_then(|tag| tag.format).ok_or(Unreadable::NoFormat)?;
    let invalid = |e: serde_json::Error| Unreadable::Invalid(e.to_string());
    match format {
        1 => serde_json::from_str::<FormatV1>(raw).map(|v1| (v1.migrate(), EditStamps::default())).map_err(invalid),
        2 | 3 => serde_json::from_str::<Envelope>(raw).map(|e| (e.inspection, e.edits)).map_err(invalid),
        other => Err(Unreadable::UnknownFormat(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::record::tests::new_demo;

    #[test]
    fn current_format_round_trips() {
        let (t, mut i) = new_demo();
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 2).unwrap();
        i.set_note(&t, "a-1", "引号 \" and newline\n", 3).unwrap();
        let raw = encode_inspection(&i).unwrap();
        assert!(raw.starts_with("{\"format\":3,"));
        assert!(!raw.contains("edits"), "no stamps, no key");
        assert_eq!(decode_inspection(&raw), Ok(i.clone()));
        let mut stamps = EditStamps::default();
        let before = i.clone();
        i.set_answer(&t, "a-2", Some(Answer::Compliant), 4).unwrap();
        stamps.record(&before, &i, 4);
        assert_eq!(decode_draft(&encode_draft(&i, &stamps).unwrap()), Ok((i, stamps)));
    }

    #[test]
    fn format_1_is_migrated() {
        let raw = r#"{"format":1,"id":"00000000-0000-0000-0000-000000000007",
            "template_id":"demo","template_version":"1",
            "site":{"name":"Depot 4"},"team":{"department":"Fire","inspectors":"Wang"},
            "answers":{"a-1":"hazard","a-2":"compliant"},
            "notes":{"a-1":"blocked exit","b-1":"ask the manager","a-2":""},
            "created_at":10,"updated_at":20}"#;
        let i = decode_inspection(raw).expect("migrates");
        assert_eq!(i.id, Uuid::from_u128(7));
        assert_eq!(i.template, TemplateRef { id: "demo".into(), version: "1".into() });
        assert_eq!(i.site.name, "Depot 4");
        assert_eq!(i.answer("a-1"), Some(Answer::Hazard));
        assert_eq!(i.note("a-1"), "blocked exit");
        assert_eq!(i.answer("a-2"), Some(Answer::Compliant));
        assert_eq!(i.answers["a-2"].note, "");
        assert_eq!(i.answer("b-1"), None);
        assert_eq!(i.note("b-1"), "ask the manager");
        assert_eq!((i.created_at, i.updated_at, i.completed_at), (10, 20, None));
    }

    #[test]
    fn garbage_and_truncation_are_reported_not_panicked_on() {
        let (_, i) = new_demo();
        let good = encode_inspection(&i).unwrap();
        for cut in [1, good.len() / 2, good.len() - 1] {
            assert!(matches!(decode_inspection(&good[..cut]), Err(Unreadable::NotJson(_))), "cut at {cut}");
        }
        assert!(matches!(decode_inspection("\u{fffd}\u{0}garbage"), Err(Unreadable::NotJson(_))));
        assert!(matches!(decode_inspection(""), Err(Unreadable::NotJson(_))));
        assert_eq!(decode_inspection("{}"), Err(Unreadable::NoFormat));
        assert_eq!(decode_inspection("[1,2]"), Err(Unreadable::NoFormat));
        assert_eq!(decode_inspection("{\"format\":\"2\"}"), Err(Unreadable::NoFormat));
        assert_eq!(decode_inspection("{\"format\":99,\"x\":1}"), Err(Unreadable::UnknownFormat(99)));
        assert!(matches!(decode_inspection("{\"format\":2,\"inspection\":{\"id\":5}}"), Err(Unreadable::Invalid(_))));
        assert!(matches!(decode_inspection("{\"format\":1,\"id\":\"not-a-uuid\"}"), Err(Unreadable::Invalid(_))));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A cheap deterministic sweep over many mangled variants of a real record.
        let (t, mut i) = new_demo();
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 2).unwrap();
        let good = encode_inspection(&i).unwrap().into_bytes();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5_000 {
            let mut bytes = good.clone();
            for _ in 0..3 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed as usize) % bytes.len();
                bytes[at] = (seed >> 32) as u8;
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = decode_inspection(&text);
        }
    }
}
