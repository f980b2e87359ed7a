//! An in-memory store for tests, with an optional quota to exercise the full-storage path.

use std::collections::BTreeMap;

use super::{KeyValueStore, StoreError};

#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    entries: BTreeMap<String, String>,
    /// Most characters (keys plus values) the store accepts, like a browser's quota.
    quota: Option<usize>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    pub fn with_quota(quota: usize) -> MemoryStore {
        MemoryStore { entries: BTreeMap::new(), quota: Some(quota) }
    }

    pub fn set_quota(&mut self, quota: Option<usize>) {
        self.quota = quota;
    }

    fn used_without(&self, key: &str) -> usize {
        self.entries.iter().filter(|(k, _)| k.as_str() != key).map(|(k, v)| k.len() + v.len()).sum()
    }
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.entries.get(key).cloned())
    }

    fn put(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if let Some(quota) = self.quota {
            if self.used_without(key) + key.len() + value.len() > quota {
                return Err(StoreError::QuotaExceeded);
            }
        }
        self.entries.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.entries.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.entries.keys().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_remove() {
        let mut s = MemoryStore::new();
        s.put("a", "1").unwrap();
        assert_eq!(s.get("a").unwrap().as_deref(), Some("1"));
        s.remove("a").unwrap();
        assert_eq!(s.get("a").unwrap(), None);
    }

    #[test]
    fn quota_refuses_a_write_that_does_not_fit_and_keeps_the_old_value() {
        let mut s = MemoryStore::with_quota(10);
        s.put("k", "12345").unwrap();
        assert_eq!(s.put("k", "1234567890"), Err(StoreError::QuotaExceeded));
        assert_eq!(s.get("k").unwrap().as_deref(), Some("12345"));
        s.put("k", "123456789").unwrap(); // replacing a value frees its old size first
    }
}
