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

/// `YYYY-MM-DD HH:MM` of a time in milliseconds since the Unix epoch, at an offset from UTC
/// in minutes (east positive).
pub fn format_time(ms: u64, utc_offset_minutes: i32) -> String {
    let minutes = (ms / 60_000) as i64 + i64::from(utc_offset_minutes);
    let (days, minute_of_day) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
    // Days to a civil date (H. Hinnant's algorithm, proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}

/// The calendar year in China (UTC+8) at `ms` milliseconds since the Unix epoch: the year a
/// document number carries.
pub fn china_year(ms: u64) -> i32 {
    let date = format_time(ms, 8 * 60);
    date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1970)
}

#[cfg(test)]
mod china_year_tests {
    use super::china_year;

    #[test]
    fn the_year_turns_at_midnight_in_china_not_in_utc() {
        // 2026-12-31 16:00 UTC is 2027-01-01 00:00 in China.
        let new_year_in_china = 1_798_732_800_000;
        assert_eq!(china_year(new_year_in_china - 1), 2026);
        assert_eq!(china_year(new_year_in_china), 2027);
        assert_eq!(china_year(0), 1970);
    }
}
