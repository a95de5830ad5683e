//! Figures as offices write them: a count of people, typed or computed.

use crate::validate::MAX_PEOPLE;

/// Why a cell is not a count of people: the key of a message that says it after the
/// cell's value.
pub(super) type Why = &'static str;

/// The Excel error values a formula can leave in a cell.
const EXCEL_ERRORS: [&str; 8] = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA"];

/// Whether `text` is one of Excel's error values (`#N/A`, `#REF!`, …).
pub(super) fn is_excel_error(text: &str) -> bool {
    EXCEL_ERRORS.contains(&text.trim())
}

/// A count of people written as text: `1215`, `1.215`, `1,215`, `1 215`, and with zero
/// decimals `925,00`, `1.107,00` or `1,215.00`. A separator followed by exactly three
/// digits is a thousands separator, which is unambiguous because figures are whole numbers;
/// anything else (`1,5`, `12.34`) is refused rather than guessed. `None` for an empty cell
/// or a dash, which offices write for "no figure".
pub(super) fn count(cell: &str) -> Result<Option<u64>, Why> {
    let s: String = cell.trim().chars().filter(|c| !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}')).collect();
    let s = s.trim();
    if s.is_empty() || matches!(s, "-" | "–" | "—") {
        return Ok(None);
    }
    if is_excel_error(s) {
        return Err("cell_excel_error");
    }
    if s.starts_with('-') || s.starts_with('−') {
        return Err("cell_negative");
    }
    if !s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ')) {
        return Err("cell_not_a_number");
    }
    let whole = without_zero_decimals(s)?;
    let groups: Vec<&str> = whole.split(['.', ',', ' ']).collect();
    let separators: Vec<char> = whole.chars().filter(|c| !c.is_ascii_digit()).collect();
    let one_kind = separators.windows(2).all(|w| w[0] == w[1]);
    let grouped = groups.len() == 1
        || (one_kind
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())));
    if !grouped || groups.iter().any(|g| g.is_empty()) {
        return Err("cell_not_whole");
    }
    let digits: String = groups.concat();
    match digits.parse::<u64>() {
        Ok(n) if n <= MAX_PEOPLE => Ok(Some(n)),
        _ => Err("cell_too_large"),
    }
}

/// `s` without a decimal part of zeros: `1.215,00` and `1,215.00` (the last separator of
/// the other kind), or `925,00` and `925.0` (one or two zeros after the only separator,
/// which cannot be a thousands separator). A decimal part that is not zeros is refused.
fn without_zero_decimals(s: &str) -> Result<&str, Why> {
    let cut = match (s.rfind('.'), s.rfind(',')) {
        (Some(d), Some(c)) => {
            let (cut, mark) = if d > c { (d, '.') } else { (c, ',') };
            if s[..cut].contains(mark) {
                return Err("cell_not_whole");
            }
            Some(cut)
        }
        (Some(k), None) | (None, Some(k)) => {
            let after = &s[k + 1..];
            let single = s[..k].find(['.', ',']).is_none();
            (single && (1..=2).contains(&after.len())).then_some(k)
        }
        (None, None) => None,
    };
    let Some(cut) = cut else { return Ok(s) };
    let decimals = &s[cut + 1..];
    if decimals.is_empty() || decimals.len() > 2 || !decimals.bytes().all(|b| b == b'0') {
        return Err("cell_fraction");
    }
    Ok(&s[..cut])
}

/// A count of people from a number a workbook holds (typed, or computed by a formula).
pub(super) fn count_of_number(x: f64) -> Result<u64, Why> {
    if !x.is_finite() {
        return Err("cell_not_a_number");
    }
    if x < 0.0 {
        return Err("cell_negative");
    }
    let whole = x.round();
    // A formula's sum of whole numbers can be off by a rounding error; a fraction is not.
    if (x - whole).abs() > 1e-6 {
        return Err("cell_fraction");
    }
    if whole > MAX_PEOPLE as f64 {
        return Err("cell_too_large");
    }
    Ok(whole as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_offices_write_them() {
        for (cell, value) in [
            ("1215", Some(1215)),
            ("1.215", Some(1215)),
            ("1,215", Some(1215)),
            ("1 215", Some(1215)),
            ("1\u{a0}215", Some(1215)),
            ("2.941.800", Some(2_941_800)),
            ("1.215,00", Some(1215)),
            ("1,215.00", Some(1215)),
            ("1.107,00", Some(1107)),
            ("925,00", Some(925)),
            ("925.0", Some(925)),
            (" 42 ", Some(42)),
            ("", None),
            ("   ", None),
            ("-", None),
            ("–", None),
        ] {
            assert_eq!(count(cell), Ok(value), "{cell:?}");
        }
        for cell in [
            "1,5",
            "12.34",
            "925,50",
            "1.2150",
            "1.215,5",
            "1,215.50",
            "-5",
            "abc",
            "1.215.5",
            "1.215,215",
            "1,,215",
            "12%",
            ".5",
            "1,215.000",
            "1.2,15",
            "#N/A",
            "#REF!",
        ] {
            assert!(count(cell).is_err(), "{cell:?} should be refused");
        }
        assert_eq!(count("#N/A").unwrap_err(), "cell_excel_error");
    }

    #[test]
    fn numbers_from_workbooks_are_whole_or_refused() {
        assert_eq!(count_of_number(1215.0), Ok(1215));
        assert_eq!(count_of_number(1_214.999_999_999), Ok(1215));
        assert!(count_of_number(1215.5).is_err());
        assert!(count_of_number(-1.0).is_err());
        assert!(count_of_number(f64::NAN).is_err());
        assert!(count_of_number(1e12).is_err());
    }
}
