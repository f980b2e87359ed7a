//! Plain values in and out of one SQL text that both databases read: parameters are written
//! `$1`, `$2`… and first appear in that order (SQLite numbers `$name` parameters as they
//! first appear, PostgreSQL by their number, so the same text binds the same way in both).

use std::borrow::Cow;

use super::{Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Int(i64),
    /// A NULL of a text column, or of an integer column (PostgreSQL wants the type).
    NullText,
    NullInt,
}

impl Value {
    pub fn text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Int(i) => i.to_string(),
            _ => String::new(),
        }
    }

    pub fn opt_text(&self) -> Option<String> {
        match self {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        }
    }

    pub fn int(&self) -> i64 {
        match self {
            Value::Int(i) => *i,
            _ => 0,
        }
    }

    pub fn opt_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(t: &str) -> Value {
        Value::Text(t.to_string())
    }
}

impl From<String> for Value {
    fn from(t: String) -> Value {
        Value::Text(t)
    }
}

impl From<&String> for Value {
    fn from(t: &String) -> Value {
        Value::Text(t.clone())
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<u64> for Value {
    fn from(i: u64) -> Value {
        Value::Int(i.min(i64::MAX as u64) as i64)
    }
}

impl From<Option<String>> for Value {
    fn from(t: Option<String>) -> Value {
        t.map(Value::Text).unwrap_or(Value::NullText)
    }
}

impl From<Option<&str>> for Value {
    fn from(t: Option<&str>) -> Value {
        t.map(|t| Value::Text(t.to_string())).unwrap_or(Value::NullText)
    }
}

impl From<Option<u64>> for Value {
    fn from(i: Option<u64>) -> Value {
        i.map(Value::from).unwrap_or(Value::NullInt)
    }
}

impl Store {
    /// Runs one statement, returning its rows (none for most writes).
    pub async fn rows(&self, sql: &'static str, values: Vec<Value>) -> Result<Vec<Vec<Value>>, StoreError> {
        match self {
            Store::Sqlite(s) => s.rows(Cow::Borrowed(sql), values).await,
            Store::Postgres(s) => s.rows(Cow::Borrowed(sql), values).await,
        }
    }

    /// Runs `sql` for a list of values, its `$IN` standing for the list (`… WHERE id IN
    /// ($IN)`) after the `fixed` parameters: one query for a whole page of ids rather than one
    /// an id. The text around the list is written once in the code and every value is bound,
    /// never spliced in. A long list is run [`IN_CHUNK`] at a time, and each run's list is
    /// padded with its last value to a power of two (an `IN` counts a value once), so a
    /// connection prepares a handful of statement shapes, not one for every length.
    pub async fn rows_in(&self, sql: &'static str, fixed: Vec<Value>, list: &[String]) -> Result<Vec<Vec<Value>>, StoreError> {
        let mut rows = Vec::new();
        for chunk in list.chunks(IN_CHUNK) {
            let Some(last) = chunk.last() else { continue };
            let width = chunk.len().next_power_of_two();
            let first = fixed.len() + 1;
            let placeholders: Vec<String> = (first..first + width).map(|n| format!("${n}")).collect();
            let text = Cow::Owned(sql.replace("$IN", &placeholders.join(", ")));
            let mut values = fixed.clone();
            values.extend(chunk.iter().chain(std::iter::repeat_n(last, width - chunk.len())).map(Value::from));
            rows.extend(match self {
                Store::Sqlite(s) => s.rows(text, values).await?,
                Store::Postgres(s) => s.rows(text, values).await?,
            });
        }
        Ok(rows)
    }

    /// Runs every statement in one transaction: all are written, or (on any error) none.
    pub async fn all_or_nothing(&self, statements: Vec<(&'static str, Vec<Value>)>) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.all_or_nothing(statements).await,
            Store::Postgres(s) => s.all_or_nothing(statements).await,
        }
    }

    /// The first row, if any.
    pub async fn row(&self, sql: &'static str, values: Vec<Value>) -> Result<Option<Vec<Value>>, StoreError> {
        Ok(self.rows(sql, values).await?.into_iter().next())
    }
}

/// The most values one run of [`Store::rows_in`] binds (far below SQLite's 32,766 and
/// PostgreSQL's 65,535 parameters).
pub const IN_CHUNK: usize = 256;

/// `vec![Value::from(a), …]`.
#[macro_export]
macro_rules! values {
    ($($v:expr),* $(,)?) => { vec![$($crate::store::sql::Value::from($v)),*] };
}
