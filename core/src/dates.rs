//! Calendar dates as the inspector writes them (`YYYY-MM-DD`), and the deadline arithmetic
//! done on them. Today's date itself comes from the device, outside core.

/// Whether `date` is a real calendar date written `YYYY-MM-DD` (Gregorian, leap years
/// included): deadlines are compared as text, which is only sound for this exact form.
pub fn is_valid_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    let dash = |at: usize| bytes.get(at) == Some(&b'-');
    if bytes.len() != 10 || !dash(4) || !dash(7) || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| date.get(range).and_then(|d| d.parse::<u32>().ok()).unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days).contains(&day)
}

/// Whether `deadline` has passed on `today`: both must be real dates, or nothing is overdue.
pub fn is_past(deadline: &str, today: &str) -> bool {
    is_valid_date(deadline) && is_valid_date(today) && deadline < today
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_calendar_dates_are_valid() {
        for ok in ["2026-01-31", "2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01", "2026-04-30"] {
            assert!(is_valid_date(ok), "{ok}");
        }
        for bad in [
            "",
            "2026-1-31",
            "2026-01-1",
            "2026/01/31",
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "0000-01-01",
            " 2026-01-31",
            "2026-01-31T00",
            "+026-01-31",
            "２０２６-01-31",
            "20260131",
            "2026-0a-31",
            "2026-01-3１",
        ] {
            assert!(!is_valid_date(bad), "{bad}");
        }
    }

    #[test]
    fn one_wrong_separator_or_a_signed_month_or_day_is_not_a_date() {
        // Each breaks exactly one rule of the form, and would otherwise read as a real date
        // ("+1" parses as a number).
        for bad in ["2026/01-31", "2026-01/31", "2026-+1-31", "2026-01-+1", "2026-01-+9"] {
            assert!(!is_valid_date(bad), "{bad}");
        }
    }
}
