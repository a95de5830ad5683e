//! Calendar dates as the input files write them (`YYYY-MM-DD`), with the day
//! arithmetic SPEC §2 needs. Only the proleptic Gregorian calendar; no time zones,
//! no clock: nothing here may depend on when the build runs (the one check that does,
//! that no report is dated after the day of the build, reads the clock in
//! `validate::reports`).

use std::fmt;

/// A valid calendar date between the years 1900 and 2200.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Years outside this range are surely typing mistakes, and keeping them out keeps
/// every day count small.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;

/// Average month length used by SPEC §2: months between two dates = days / 30.4375.
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// Why a date does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form YYYY-MM-DD.
    Format,
    /// The form is right but the day does not exist (2025-02-30) or the year is out of range.
    Impossible,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (MIN_YEAR..=MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`, the form the input files use.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let b = text.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
            return Err(DateError::Format);
        }
        if !digits(5..7) || !digits(8..10) {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        let year = i32::try_from(num(0..4)).map_err(|_| DateError::Format)?;
        let month = u8::try_from(num(5..7)).map_err(|_| DateError::Format)?;
        let day = u8::try_from(num(8..10)).map_err(|_| DateError::Format)?;
        Date::new(year, month, day).ok_or(DateError::Impossible)
    }

    pub fn last_of_year(year: i32) -> Option<Date> {
        Date::new(year, 12, 31)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    pub fn days_in_month(self) -> u8 {
        days_in_month(self.year, self.month)
    }

    /// Days since 1970-01-01 (negative before), by the civil-from-days algorithm.
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, by the days-to-civil algorithm; `None` outside
    /// the years a date may have.
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = u8::try_from(doy - (153 * mp + 2) / 5 + 1).ok()?;
        let month = u8::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).ok()?;
        let year = i32::try_from(yoe + era * 400 + i64::from(month <= 2)).ok()?;
        Date::new(year, month, day)
    }

    /// The month a file's name starts with: 2025-10 for `2025-10.yaml` or
    /// `2025-10-cuoi-thang.yaml`; `None` for a name that does not start with one.
    pub fn month_of_name(name: &str) -> Option<(i32, u8)> {
        let b = name.as_bytes();
        let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        if !digits(0..4) || b.get(4) != Some(&b'-') || !digits(5..7) || b.get(7).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let year = name.get(0..4)?.parse().ok()?;
        let month = name.get(5..7)?.parse().ok()?;
        Date::new(year, month, 1).map(|_| (year, month))
    }

    /// Months from `self` to `later` as SPEC §2 counts them (negative if `later` is earlier).
    pub fn months_until(self, later: Date) -> f64 {
        (later.days() - self.days()) as f64 / DAYS_PER_MONTH
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    /// ISO 8601, the machine format of figures.csv.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_convert_both_ways() {
        for text in ["1970-01-01", "2024-02-29", "2025-12-31", "2000-03-01", "1900-01-01", "2200-12-31"] {
            let d = Date::parse(text).unwrap();
            assert_eq!(Date::from_days(d.days()), Some(d), "{text}");
        }
        assert_eq!(Date::from_days(20_429), Date::new(2025, 12, 7));
        assert_eq!(Date::from_days(i64::MAX / 2), None);
    }

    #[test]
    fn a_file_name_gives_its_month() {
        assert_eq!(Date::month_of_name("2025-10.yaml"), Some((2025, 10)));
        assert_eq!(Date::month_of_name("2025-10-cuoi-thang.yaml"), Some((2025, 10)));
        for name in ["2025-13.yaml", "2025-100.yaml", "bao-cao.yaml", "2025.yaml", "25-10.yaml"] {
            assert_eq!(Date::month_of_name(name), None, "{name}");
        }
    }

    #[test]
    fn parses_valid_and_rejects_impossible_dates() {
        let d = Date::parse("2025-09-30").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2025, 9, 30));
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day()), Ok(29));
        assert_eq!(Date::parse("2025-02-29"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2025-02-30"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2025-13-01"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2025-00-10"), Err(DateError::Impossible));
        assert_eq!(Date::parse("1800-01-01"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2025-9-30"), Err(DateError::Format));
        assert_eq!(Date::parse("30/09/2025"), Err(DateError::Format));
        assert_eq!(Date::parse("2025-09-3x"), Err(DateError::Format));
        assert_eq!(Date::parse("２０２５-09-30"), Err(DateError::Format));
        assert_eq!(Date::parse(""), Err(DateError::Format));
    }

    #[test]
    fn day_numbers_match_known_values() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days(), 11_017);
        assert_eq!(Date::new(2025, 9, 30).unwrap().days(), 20_361);
        let a = Date::new(2024, 12, 31).unwrap();
        let b = Date::new(2025, 12, 31).unwrap();
        assert_eq!(b.days() - a.days(), 365);
    }

    #[test]
    fn months_are_days_over_30_4375() {
        let a = Date::new(2025, 6, 30).unwrap();
        let b = Date::new(2025, 9, 30).unwrap();
        // 92 days
        assert!((a.months_until(b) - 92.0 / 30.4375).abs() < 1e-12);
        assert!((b.months_until(a) + 92.0 / 30.4375).abs() < 1e-12);
    }

    #[test]
    fn displays_iso() {
        assert_eq!(Date::new(2025, 1, 5).unwrap().to_string(), "2025-01-05");
    }
}
