//! Numbers and dates as readers of each language expect them (SPEC §2):
//! 80,52 % and 1.215 in Vietnamese, 80.52% and 1,215 in English.
//! Machine formats (figures.csv) do not come through here.

use crate::date::Date;
use crate::words::{Formats, Language};

/// Formats numbers and dates for one language, as its interface catalogue says (see
/// [`Formats`]).
#[derive(Clone, Copy, Debug)]
pub struct Fmt {
    formats: &'static Formats,
}

impl Fmt {
    pub fn new(lang: Language) -> Self {
        Fmt { formats: lang.formats() }
    }

    fn separators(self) -> (char, char) {
        (self.formats.thousands, self.formats.decimal)
    }

    /// A whole number with thousands separators: 1.215 / 1,215.
    pub fn count(self, n: u64) -> String {
        let mut out = String::with_capacity(16);
        push_grouped(&mut out, n, self.separators().0);
        out
    }

    /// A quantity computed in floating point (a projection, a pace), rounded to whole people.
    pub fn count_f(self, x: f64) -> String {
        if !x.is_finite() {
            return "–".to_owned();
        }
        let rounded = x.round();
        let mut out = String::with_capacity(16);
        if rounded < 0.0 {
            out.push('−');
        }
        push_grouped(&mut out, rounded.abs() as u64, self.separators().0);
        out
    }

    /// Appends `x` with `decimals` decimals (at most 6): 88,25 / 88.25. Integer arithmetic
    /// after one rounding: float formatting is the slow part of pages full of figures.
    fn push_decimal(self, out: &mut String, x: f64, decimals: usize) {
        if !x.is_finite() {
            out.push('–');
            return;
        }
        let (thousands, point) = self.separators();
        let decimals = decimals.min(6);
        let scale = 10u64.pow(decimals as u32);
        let scaled = (x.abs() * scale as f64).round();
        if scaled >= 1e18 {
            // Beyond what a u64 holds: no figure of a site comes near it.
            out.push_str(&format!("{x:.decimals$}"));
            return;
        }
        let scaled = scaled as u64;
        if x < 0.0 && scaled != 0 {
            out.push('−');
        }
        push_grouped(out, scaled / scale, thousands);
        if decimals > 0 {
            out.push(point);
            let mut frac = scaled % scale;
            let mut digits = [b'0'; 6];
            for d in digits[..decimals].iter_mut().rev() {
                *d = b'0' + (frac % 10) as u8;
                frac /= 10;
            }
            digits[..decimals].iter().for_each(|&d| out.push(char::from(d)));
        }
    }

    /// A percentage given in percent units, to two decimals: 80,52 % / 80.52%.
    /// The Vietnamese space is a no-break space, so the sign never wraps to a new line.
    pub fn percent(self, percent: f64) -> String {
        let (before, after) = &self.formats.percent;
        let mut out = String::with_capacity(16);
        out.push_str(before);
        self.push_decimal(&mut out, percent, 2);
        out.push_str(after);
        out
    }

    /// Progress as a percentage; a target not yet reached never shows as 100,00 %.
    pub fn progress(self, progress: f64, achieved: bool) -> String {
        let mut percent = progress * 100.0;
        if !achieved && percent >= 99.995 {
            percent = 99.99;
        }
        self.percent(percent)
    }

    /// A full date: 30/09/2025 / 30 Sep 2025.
    pub fn date(self, d: Date) -> String {
        self.formats.date(d)
    }

    /// The month of a date: 09/2025 / September 2025.
    pub fn month_year(self, d: Date) -> String {
        self.formats.month_year(d)
    }

    /// A month (1–12) as a short axis label: T9 / Sep.
    pub fn month_short(self, month: u8) -> String {
        self.formats.month_short(month)
    }
}

/// `n` with a separator every three digits from the right.
fn push_grouped(out: &mut String, n: u64, sep: char) {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(n);
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vi() -> Language {
        Language::get("vi").unwrap()
    }

    fn en() -> Language {
        Language::get("en").unwrap()
    }

    fn decimal(f: Fmt, x: f64, decimals: usize) -> String {
        let mut out = String::new();
        f.push_decimal(&mut out, x, decimals);
        out
    }

    #[test]
    fn vietnamese_formats() {
        let f = Fmt::new(vi());
        assert_eq!(f.count(1215), "1.215");
        assert_eq!(f.count(2_940_512), "2.940.512");
        assert_eq!(f.count(999), "999");
        assert_eq!(f.percent(80.516_898), "80,52\u{a0}%");
        assert_eq!(decimal(f, 88.25, 2), "88,25");
        assert_eq!(decimal(f, 1234.5, 1), "1.234,5");
        assert_eq!(f.date(Date::new(2025, 9, 30).unwrap()), "30/09/2025");
        assert_eq!(f.month_year(Date::new(2025, 6, 30).unwrap()), "06/2025");
        assert_eq!(f.month_short(9), "T9");
        assert_eq!(f.count_f(-12.4), "−12");
        assert_eq!(f.count_f(1399.5), "1.400");
    }

    #[test]
    fn english_formats() {
        let f = Fmt::new(en());
        assert_eq!(f.count(1215), "1,215");
        assert_eq!(f.percent(80.516_898), "80.52%");
        assert_eq!(f.date(Date::new(2025, 9, 30).unwrap()), "30 Sep 2025");
        assert_eq!(f.month_year(Date::new(2025, 6, 30).unwrap()), "June 2025");
    }

    #[test]
    fn unfinished_progress_never_rounds_up_to_100() {
        let f = Fmt::new(en());
        assert_eq!(f.progress(0.999_99, false), "99.99%");
        assert_eq!(f.progress(0.999_99, true), "100.00%");
        assert_eq!(f.progress(1.0, true), "100.00%");
        assert_eq!(decimal(f, -0.001, 2), "0.00");
    }
}
