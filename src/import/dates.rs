//! The dates a sheet states about its figures, to compare with `--as-of`: a title's
//! "THÁNG 11/2025" or "tháng 10 năm 2025", "số liệu đến ngày 30/11/2025", a date cell
//! above the headings, the sheet's name ("T11"). Re-running last month's command on a
//! new file would otherwise publish November's figures as October's.
//!
//! Not every date above a table is the figures' date: the line where an official
//! document gives its place and the day it was signed ("Cần Thơ, ngày 05 tháng 12 năm
//! 2025") is left out, and so is the start of a period ("lũy kế từ 01/01/2025 đến
//! 31/10/2025", "từ tháng 1 đến tháng 10").

use super::Context;
use super::layout::{Layout, at_row};
use super::names::loose;
use super::sheet::Sheet;
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::t;

/// What a text says of its figures' time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    /// A month, with its year when given.
    Month(u8, Option<i32>),
    /// A day.
    Day(Date),
}

impl Said {
    /// Whether figures as of `as_of` can be what this says.
    fn agrees(self, as_of: Date) -> bool {
        match self {
            Said::Month(m, y) => m == as_of.month() && y.is_none_or(|y| y == as_of.year()),
            Said::Day(d) => d == as_of,
        }
    }

    /// The `--as-of` this asks for: the day, or the month's last day.
    fn as_of(self, as_of: Date) -> Option<Date> {
        match self {
            Said::Day(d) => Some(d),
            Said::Month(m, y) => {
                let year = y.unwrap_or(as_of.year());
                let first = Date::new(year, m, 1)?;
                Date::new(year, m, first.days_in_month())
            }
        }
    }
}

/// A piece of text, lowercased and without diacritics: a word, a number, or one mark.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number(u32),
    Mark(char),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let text = loose(text);
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut n: u32 = 0;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(d);
                chars.next();
            }
            out.push(Token::Number(n));
        } else if c.is_alphabetic() {
            let mut w = String::new();
            while let Some(&c) = chars.peek().filter(|c| c.is_alphabetic()) {
                w.push(c);
                chars.next();
            }
            out.push(Token::Word(w));
        } else {
            if !c.is_whitespace() {
                out.push(Token::Mark(c));
            }
            chars.next();
        }
    }
    out
}

fn year(n: u32) -> Option<i32> {
    (1990..=2200).contains(&n).then(|| i32::try_from(n).ok()).flatten()
}

fn month(n: u32) -> Option<u8> {
    u8::try_from(n).ok().filter(|m| (1..=12).contains(m))
}

/// What `text` says of its figures' time, in the order it says it.
fn said(text: &str) -> Vec<Said> {
    let loose_text = loose(text);
    // "Cần Thơ, ngày 05 tháng 12 năm 2025": where and when a document was signed.
    if loose_text.contains(", ngay ") && !loose_text.contains("den ngay") {
        return Vec::new();
    }
    let t = tokens(text);
    let word = |k: usize, w: &str| matches!(t.get(k), Some(Token::Word(x)) if x == w);
    let number = |k: usize| match t.get(k) {
        Some(Token::Number(n)) => Some(*n),
        _ => None,
    };
    let date_mark = |k: usize| matches!(t.get(k), Some(Token::Mark('/' | '-' | '.')));
    // A year after a month: "/2025", "-2025", ".2025", "năm 2025", " 2025".
    let year_after = |k: usize| -> (Option<i32>, usize) {
        if (date_mark(k) || word(k, "nam")) && number(k + 1).and_then(year).is_some() {
            (number(k + 1).and_then(year), k + 2)
        } else {
            (number(k).and_then(year), k + usize::from(number(k).and_then(year).is_some()))
        }
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < t.len() {
        // The start of a period is not the figures' time.
        let from = k > 0 && word(k - 1, "tu");
        // 30/11/2025, 30-11-2025, 30.11.2025
        if let (Some(d), true, Some(m), true, Some(y)) =
            (number(k), date_mark(k + 1), number(k + 2).and_then(month), date_mark(k + 3), number(k + 4).and_then(year))
        {
            if let Some(day) = u8::try_from(d).ok().and_then(|d| Date::new(y, m, d))
                && !from
            {
                out.push(Said::Day(day));
            }
            k += 5;
            continue;
        }
        // ngày 30 tháng 11 năm 2025
        if word(k, "ngay")
            && let (Some(d), true, Some(m)) = (number(k + 1), word(k + 2, "thang"), number(k + 3).and_then(month))
        {
            let (y, next) = year_after(k + 4);
            if let Some(day) = y.and_then(|y| Date::new(y, m, u8::try_from(d).ok()?)) {
                if !from {
                    out.push(Said::Day(day));
                }
                k = next;
                continue;
            }
        }
        // tháng 11/2025, tháng 10 năm 2025, tháng 11; T11/2025, T11
        let after_t = match t.get(k) {
            Some(Token::Word(w)) if w == "thang" => number(k + 1).and_then(month).map(|m| (m, k + 2)),
            Some(Token::Word(w)) if w == "t" => number(k + 1).and_then(month).map(|m| (m, k + 2)),
            _ => None,
        };
        if let Some((m, next)) = after_t {
            let (y, next) = year_after(next);
            if !from {
                out.push(Said::Month(m, y));
            }
            k = next;
            continue;
        }
        k += 1;
    }
    out
}

/// Whether a heading names the month of `as_of` ("Tháng 10", "T10/2025"), when it names
/// a time at all: `Some(false)` for another month ("Tháng 9" beside it).
pub(super) fn heading_month(heading: &str, as_of: Date) -> Option<bool> {
    let said = said(heading);
    (!said.is_empty()).then(|| said.iter().all(|s| s.agrees(as_of)))
}

/// Refuses `as_of` when the sheet says its figures are of another time: in a row above
/// its headings, or in its name.
pub(super) fn check(ctx: &Context, sheet: &Sheet, layout: &Layout, as_of: Date, diags: &mut Diagnostics) {
    let mut refuse = |what: Said, where_: Diagnostic| {
        let example = what.as_of(as_of).map(|d| d.to_string()).unwrap_or_default();
        diags.push(where_.help(t!("import_date_contradicts_help", example)));
    };
    for r in 0..layout.headings.0 {
        for c in 0..sheet.width() {
            let Some(text) = sheet.cell(r, c).text() else { continue };
            if let Some(&what) = said(text).iter().find(|s| !s.agrees(as_of)) {
                let cell = sheet.address(r, c);
                let message = t!("import_date_contradicts", cell, text = text.trim(), as_of);
                refuse(what, at_row(ctx, sheet, r, message));
            }
        }
    }
    if let Some(name) = &sheet.name
        && let Some(&what) = said(name).iter().find(|s| !s.agrees(as_of))
    {
        let message = t!("import_date_contradicts_sheet", name = name.as_str(), as_of);
        refuse(what, Diagnostic::error(ctx.shown, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Said {
        Said::Day(Date::new(y, m, d).unwrap())
    }

    #[test]
    fn titles_say_their_month_as_offices_write_it() {
        for (text, expected) in [
            (
                "BÁO CÁO KẾT QUẢ PHÁT TRIỂN NGƯỜI THAM GIA BHXH TỰ NGUYỆN, BHYT THÁNG 11/2025",
                vec![Said::Month(11, Some(2025))],
            ),
            ("Kết quả tháng 10 năm 2025", vec![Said::Month(10, Some(2025))]),
            ("Thang 9-2025", vec![Said::Month(9, Some(2025))]),
            ("T11/2025", vec![Said::Month(11, Some(2025))]),
            ("T10", vec![Said::Month(10, None)]),
            ("Số liệu đến ngày 30/11/2025", vec![day(2025, 11, 30)]),
            ("Tính đến ngày 31 tháng 10 năm 2025", vec![day(2025, 10, 31)]),
            // The start of a period is not the figures' date.
            ("Lũy kế từ 01/01/2025 đến 31/10/2025", vec![day(2025, 10, 31)]),
            ("Từ tháng 1 đến tháng 10/2025", vec![Said::Month(10, Some(2025))]),
            // Where and when the document was signed.
            ("Cần Thơ, ngày 05 tháng 12 năm 2025", vec![]),
            ("Biểu 01", vec![]),
            ("Tháng 13/2025", vec![]),
        ] {
            assert_eq!(said(text), expected, "{text}");
        }
    }

    #[test]
    fn a_month_agrees_with_its_days_and_a_day_only_with_itself() {
        let oct = Date::new(2025, 10, 31).unwrap();
        assert!(Said::Month(10, Some(2025)).agrees(oct));
        assert!(Said::Month(10, None).agrees(oct));
        assert!(!Said::Month(11, Some(2025)).agrees(oct));
        assert!(!Said::Month(10, Some(2024)).agrees(oct));
        assert!(!day(2025, 11, 30).agrees(oct));
        assert!(!day(2025, 10, 30).agrees(oct));
        assert_eq!(Said::Month(11, Some(2025)).as_of(oct), Date::new(2025, 11, 30));
    }
}
