//! What serde alone lets through in an upload: a key written twice in one object (serde_json
//! keeps the last, so the record stored is not the one sent), and `null` where the protocol
//! has an optional field that is left out when absent (`"follow_up": null`). Both are refused
//! with the path of the offending field, as the typed parse names its fields.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The first key that appears twice in one object of `body`, as an error naming its path.
pub fn no_duplicate_keys(body: &[u8]) -> Result<(), String> {
    let mut path = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    Walk { path: &mut path }.deserialize(&mut deserializer).map_err(|e| {
        // serde_json appends " at line L column C"; the path says more.
        let message = e.to_string();
        message.split(" at line ").next().unwrap_or(&message).to_string()
    })
}

/// `null` in `sent` where `canonical` (what the parsed payload serialises to) has no such
/// key: a field the protocol leaves out when absent, sent as null.
pub fn no_dropped_nulls(sent: &Value, canonical: &Value) -> Result<(), String> {
    fn walk(sent: &Value, canonical: &Value, path: &mut Vec<String>) -> Result<(), String> {
        match (sent, canonical) {
            (Value::Object(sent), Value::Object(canonical)) => {
                for (key, value) in sent {
                    path.push(key.clone());
                    match canonical.get(key) {
                        None if value.is_null() => {
                            return Err(format!("{}: null is not a value here; leave the field out when it has none", path.join(".")))
                        }
                        Some(inner) => walk(value, inner, path)?,
                        None => {}
                    }
                    path.pop();
                }
                Ok(())
            }
            (Value::Array(sent), Value::Array(canonical)) => {
                for (n, (value, inner)) in sent.iter().zip(canonical).enumerate() {
                    path.push(n.to_string());
                    walk(value, inner, path)?;
                    path.pop();
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    walk(sent, canonical, &mut Vec::new())
}

/// Visits every value, tracking the path, refusing a repeated key.
struct Walk<'p> {
    path: &'p mut Vec<String>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let path = self.path;
        for n in 0.. {
            path.push(n.to_string());
            let more = seq.next_element_seed(Walk { path: &mut *path })?;
            path.pop();
            if more.is_none() {
                break;
            }
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let path = self.path;
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                let at = if path.is_empty() { String::new() } else { format!("{}: ", path.join(".")) };
                return Err(A::Error::custom(format!("{at}the key {key:?} appears twice")));
            }
            path.push(key);
            map.next_value_seed(Walk { path: &mut *path })?;
            path.pop();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{no_dropped_nulls, no_duplicate_keys};
    use serde_json::json;

    #[test]
    fn a_key_written_twice_is_named_with_its_path() {
        assert_eq!(no_duplicate_keys(br#"{"a": 1, "b": [{"c": 1}, {"c": 2}]}"#), Ok(()));
        assert_eq!(
            no_duplicate_keys(br#"{"inspection": {"answers": {"ex-01": {}, "ex-02": {}, "ex-01": {}}}}"#),
            Err("inspection.answers: the key \"ex-01\" appears twice".into())
        );
        assert_eq!(no_duplicate_keys(br#"{"schema": 2, "schema": 2}"#), Err("the key \"schema\" appears twice".into()));
        assert_eq!(no_duplicate_keys(br#"{"a": [{"x": 1, "x": 2}]}"#), Err("a.0: the key \"x\" appears twice".into()));
        assert!(no_duplicate_keys(b"{").is_err(), "not JSON is an error too");
    }

    #[test]
    fn null_is_refused_only_where_the_field_would_be_left_out() {
        let canonical = json!({"inspection": {"completed_at": null, "attachments": [{"id": "a"}]}});
        assert_eq!(no_dropped_nulls(&json!({"inspection": {"completed_at": null}}), &canonical), Ok(()));
        assert_eq!(
            no_dropped_nulls(&json!({"inspection": {"follow_up": null}}), &canonical),
            Err("inspection.follow_up: null is not a value here; leave the field out when it has none".into())
        );
        assert_eq!(
            no_dropped_nulls(&json!({"inspection": {"attachments": [{"id": "a", "position": null}]}}), &canonical),
            Err("inspection.attachments.0.position: null is not a value here; leave the field out when it has none".into())
        );
        assert_eq!(no_dropped_nulls(&json!({"unknown": 1}), &canonical), Ok(()), "unknown non-null fields are the parser's business");
    }
}
