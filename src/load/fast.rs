//! A strict line scanner for the canonical layout of the big files (reports and
//! targets), so that a national site is not parsed value by value by the general YAML
//! parser. It accepts only a narrow, unambiguous subset and gives up on anything else,
//! saying why (`build --timings` shows it); the caller then hands the whole file to the
//! parser. What it accepts, it reads exactly as the parser does, positions included:
//! tests compare the two on every fixture and on random mutations.
//!
//! What it saves, measured on the national benchmark (3,321 units, 24 monthly reports,
//! two years of targets; 2026-12-07, 2 cores, tmpfs), with this scanner turned off
//! against on, six builds each, alternated: the load stage takes 300–330 ms instead of
//! 50–80 ms (`build --timings`), the whole build 1.11 s instead of 0.82 s (median wall
//! time; 2.12 s of processor time instead of 1.54 s), for the same bytes.

use super::yaml::{At, Entries, Scalar, TableRow};
use crate::t;
use crate::words::messages::Text;

/// Whether a line holds only text the YAML parser reads plainly: no control characters,
/// tabs, byte-order marks or Unicode line separators, for which it has rules of its own.
pub fn printable(line: &str) -> bool {
    // Most lines are plain ASCII: check those bytes without decoding characters.
    if line.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return true;
    }
    !line.chars().any(|c| {
        c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
    })
}

/// A key as ids are made: lowercase ASCII letters, digits and `-`, not starting with `-`.
pub fn is_key(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') && !s.starts_with('-')
}

/// A whole number as YAML reads it unambiguously: digits, no leading zero, not too long.
pub fn is_count(s: &str) -> bool {
    !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

/// Reads one line of a flow-style map from left to right, knowing each piece's column.
pub struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
    /// Columns of `text` are offset by the line's indentation.
    indent: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str, line: u32, indent: usize) -> Self {
        Cursor { text, pos: 0, line, indent }
    }

    fn column(&self) -> Option<u32> {
        u32::try_from(self.indent + self.pos + 1).ok()
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// Skips spaces; `true` if there were any.
    pub fn spaces(&mut self) -> bool {
        let n = self.rest().len() - self.rest().trim_start_matches(' ').len();
        self.pos += n;
        n > 0
    }

    pub fn eat(&mut self, c: char) -> Option<()> {
        self.rest().starts_with(c).then(|| self.pos += c.len_utf8())
    }

    pub fn peek(&self, c: char) -> bool {
        self.rest().starts_with(c)
    }

    /// Nothing but spaces, or a comment after a space, is left.
    pub fn at_end(&self) -> bool {
        let rest = self.rest().trim_start_matches(' ');
        rest.is_empty() || (rest.starts_with('#') && self.rest().starts_with(' '))
    }

    /// A token up to the next `:`, `,`, `}` or space.
    fn token(&mut self) -> Option<(&'a str, u32)> {
        let column = self.column()?;
        // Bytes, not characters: the five are ASCII (see `text::push_escaped_html`).
        let len = self
            .rest()
            .bytes()
            .position(|b| matches!(b, b':' | b',' | b'}' | b' ' | b'{'))
            .unwrap_or(self.rest().len());
        let token = &self.rest()[..len];
        self.pos += len;
        (!token.is_empty()).then_some((token, column))
    }

    /// `key:` followed by at least one space, as a flow map writes its keys.
    pub fn key(&mut self) -> Option<At<String>> {
        let (key, column) = self.token()?;
        if !is_key(key) {
            return None;
        }
        self.eat(':')?;
        if !self.spaces() {
            return None;
        }
        Some(At::new(key.to_owned(), self.line, column))
    }

    /// A whole number.
    pub fn count(&mut self) -> Option<At<Scalar>> {
        let (token, column) = self.token()?;
        if !is_count(token) {
            return None;
        }
        Some(At::new(Scalar::Int(i128::from(token.parse::<u64>().ok()?)), self.line, column))
    }

    /// A percentage: `95`, or `95.5` with at most four decimals, read as the parser
    /// reads them (an integer, or the nearest floating-point number).
    pub fn rate(&mut self) -> Option<At<Scalar>> {
        let (token, column) = self.token()?;
        let (whole, frac) = token.split_once('.').unwrap_or((token, ""));
        if !is_count(whole) || whole.len() > 3 || frac.len() > 4 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value = if token.contains('.') {
            if frac.is_empty() {
                return None;
            }
            Scalar::Float(token.parse().ok()?)
        } else {
            Scalar::Int(i128::from(whole.parse::<u64>().ok()?))
        };
        Some(At::new(value, self.line, column))
    }

    /// `{ key: value, … }` where `value` reads each value; keys must not repeat.
    pub fn map<T>(
        &mut self,
        mut value: impl FnMut(&mut Self, &str) -> Option<At<T>>,
    ) -> Option<At<Entries<At<String>, At<T>>>> {
        let column = self.column()?;
        self.eat('{')?;
        self.spaces();
        let mut entries: Vec<(At<String>, At<T>)> = Vec::new();
        if self.eat('}').is_some() {
            return Some(At::new(Entries(entries), self.line, column));
        }
        loop {
            let key = self.key()?;
            if entries.iter().any(|(k, _)| k.value == key.value) {
                return None;
            }
            let v = value(self, &key.value)?;
            entries.push((key, v));
            self.spaces();
            if self.eat(',').is_some() {
                if !self.spaces() {
                    return None;
                }
                continue;
            }
            self.eat('}')?;
            return Some(At::new(Entries(entries), self.line, column));
        }
    }
}

/// The lines of a file in the canonical layout: `(line number, indentation, text)` for
/// each line that is not blank or a comment; lines may end in `\r\n`. Why not, for a
/// line that is not plainly printable.
pub fn lines(text: &str) -> Result<Vec<(u32, usize, &str)>, Text> {
    let mut out = Vec::with_capacity(text.len() / 40);
    for (index, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if !printable(line) {
            return Err(t!("fast_control", line = index + 1));
        }
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        out.push((u32::try_from(index + 1).map_err(|_| t!("fast_too_long"))?, line.len() - trimmed.len(), trimmed));
    }
    Ok(out)
}

/// `name: value` at the start of a line (no indentation): the value and its column.
pub fn header<'a>(line: &'a str, name: &str) -> Option<(&'a str, u32)> {
    let value = line.strip_prefix(name)?.strip_prefix(':')?;
    let start = value.len() - value.trim_start_matches(' ').len();
    // A comment starts at a `#` after a space.
    let value = value.find(" #").map_or(value, |i| &value[..i]);
    let text = value.trim();
    if start == 0 || text.is_empty() {
        return None;
    }
    Some((text, u32::try_from(name.len() + 1 + start + 1).ok()?))
}

/// How a header line's value must be written to be read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// `2025-09-30`: digits and `-`.
    Date,
    /// A whole number.
    Count,
    /// `"text"` without quotes or backslashes inside.
    Quoted,
}

/// A table file in the canonical layout, as the scanner read it.
pub struct Table<T> {
    /// The header lines' values, in the order of the `headers` asked for; `None` for a
    /// header the file does not have. A quoted value is given without its quotes.
    pub headers: Vec<Option<At<String>>>,
    /// The rows under the section line, in file order: never empty.
    pub rows: Vec<TableRow<T>>,
}

/// Reads `text` in the canonical layout of a report or a targets file, or says why not:
///
/// ```yaml
/// # comments and blank lines anywhere
/// as_of: 2025-09-30                 # each of `headers`, at most once, unindented
/// source: "text"
/// figures:                          # the `section` line
///   long-my: { voluntary-si: 1215, health-insurance: 35300 }   # rows, one indentation
/// ```
///
/// Each row is an id, then a flow map whose keys are ids and whose values `value` reads.
pub fn table<T>(
    text: &str,
    headers: &[(&str, Header)],
    section: &str,
    mut value: impl FnMut(&mut Cursor, &str) -> Option<At<T>>,
) -> Result<Table<T>, Text> {
    let mut found: Vec<Option<At<String>>> = vec![None; headers.len()];
    let mut rows: Option<Vec<TableRow<T>>> = None;
    let mut indent: Option<usize> = None;
    let mut keys: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (number, spaces, line) in lines(text)? {
        if let Some(rows) = rows.as_mut() {
            if spaces == 0 || *indent.get_or_insert(spaces) != spaces {
                return Err(t!("fast_indent", line = number));
            }
            let mut c = Cursor::new(line, number, spaces);
            let row = c.key().and_then(|key| Some((key, c.map(&mut value)?))).filter(|_| c.at_end());
            let Some(row) = row else {
                return Err(t!("fast_not_one_line", line = number));
            };
            if !keys.insert(line.split(':').next().unwrap_or_default()) {
                return Err(t!("fast_repeats", line = number));
            }
            rows.push(row);
            continue;
        }
        if spaces > 0 {
            return Err(t!("fast_indented_before", line = number, section));
        }
        if line.trim_end_matches(' ') == format!("{section}:") {
            rows = Some(Vec::new());
            continue;
        }
        let known = headers.iter().enumerate().find_map(|(k, (name, kind))| Some((k, header(line, name)?, *kind)));
        let Some((k, (raw, column), kind)) = known else {
            return Err(t!("fast_unknown_line", line = number));
        };
        let value = match kind {
            Header::Date if raw.bytes().all(|b| b.is_ascii_digit() || b == b'-') => Some(raw),
            Header::Count if is_count(raw) => Some(raw),
            Header::Quoted => {
                raw.strip_prefix('"').and_then(|v| v.strip_suffix('"')).filter(|v| !v.contains(['"', '\\']))
            }
            _ => None,
        };
        let Some(value) = value.filter(|_| found[k].is_none()) else {
            return Err(t!("fast_yaml_only", line = number));
        };
        found[k] = Some(At::new(value.to_owned(), number, column));
    }
    match rows {
        // An empty table is an error whose position the parser knows best.
        Some(rows) if !rows.is_empty() => Ok(Table { headers: found, rows }),
        _ => Err(t!("fast_no_rows", section)),
    }
}
