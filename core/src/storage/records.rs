//! Small single-key records (the outbox, the settings), each in a versioned envelope
//! `{"format": 1, "value": …}`. An unreadable one is reported, never panicked on.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Unreadable;

pub const OUTBOX_KEY: &str = "safewalk.outbox";
pub const SETTINGS_KEY: &str = "safewalk.settings";
/// The checklist editions the device keeps: those its drafts use and those imported.
pub const LIBRARY_KEY: &str = "safewalk.library";
/// What the phone keeps of its pulls (issue 14): the open tasks, their sites' open hazards,
/// the cursor and when it last pulled.
pub const ASSIGNED_KEY: &str = "safewalk.assigned";
/// The phone's document serials (issue 15): the blocks it holds and the serials used of them.
/// Their own key, written before the inspection whose documents took them.
pub const SERIALS_KEY: &str = "safewalk.serials";
/// The agency particulars the office sent with the last pull that had them.
pub const OFFICE_AGENCY_KEY: &str = "safewalk.office-agency";
/// Where an unreadable record's raw text is kept, so nothing is lost when it is replaced.
pub fn unreadable_key(key: &str) -> String {
    format!("{key}.unreadable")
}

const RECORD_FORMAT: u64 = 1;

#[derive(Serialize)]
struct EnvelopeRef<'a, T> {
    format: u64,
    value: &'a T,
}

#[derive(Deserialize)]
struct Envelope<T> {
    format: u64,
    value: T,
}

pub fn encode_record<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(&EnvelopeRef { format: RECORD_FORMAT, value })
}

pub fn decode_record<T: DeserializeOwned>(raw: &str) -> Result<T, Unreadable> {
    let envelope: Envelope<T> = serde_json::from_str(raw).map_err(|e| {
        if serde_json::from_str::<serde::de::IgnoredAny>(raw).is_err() {
            Unreadable::NotJson(e.to_string())
        } else {
            Unreadable::Invalid(e.to_string())
        }
    })?;
    if envelope.format != RECORD_FORMAT {
        return Err(Unreadable::UnknownFormat(envelope.format));
    }
    Ok(envelope.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::outbox::Outbox;
    use crate::delivery::settings::Settings;
    use uuid::Uuid;

    #[test]
    fn records_round_trip() {
        let mut outbox = Outbox::default();
        outbox.enqueue(Uuid::from_u128(3), 7);
        assert_eq!(decode_record::<Outbox>(&encode_record(&outbox).unwrap()), Ok(outbox));
        let settings = Settings { endpoint: "https://x.cn".into(), token: "t".into(), ..Settings::default() };
        assert_eq!(decode_record::<Settings>(&encode_record(&settings).unwrap()), Ok(settings));
    }

    #[test]
    fn unreadable_records_say_why() {
        assert!(matches!(decode_record::<Outbox>("{\"format\":1,\"value\""), Err(Unreadable::NotJson(_))));
        assert!(matches!(decode_record::<Outbox>("{\"format\":1,\"value\":{\"records\":5}}"), Err(Unreadable::Invalid(_))));
        assert_eq!(decode_record::<Settings>("{\"format\":9,\"value\":{}}"), Err(Unreadable::UnknownFormat(9)));
    }
}
