//! The sheet an office sends, as rows of cells: from a workbook (`.xlsx`, `.xls`, `.ods`,
//! read with calamine) or from a text export (see `text`), told apart by their bytes.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader as _};

use super::names::loose;
use super::text;
use crate::t;
use crate::words::messages::Text;

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel error value (`#N/A`, `#REF!`).
    Error(String),
}

impl Cell {
    /// A cell of a text export.
    pub(super) fn from_text(text: &str) -> Cell {
        let text = text.trim();
        if text.is_empty() { Cell::Empty } else { Cell::Text(text.to_owned()) }
    }

    fn from_data(data: &Data) -> Cell {
        match data {
            Data::Empty => Cell::Empty,
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::String(s) => Cell::from_text(s),
            Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_owned()),
            Data::Error(e) => Cell::Error(e.to_string()),
            // A date as the office reads it, so that a title's date cell can be compared
            // with --as-of, and a column of dates is text, not figures.
            Data::DateTime(d) if d.is_datetime() => {
                let (year, month, day, ..) = d.to_ymd_hms_milli();
                Cell::Text(format!("{day:02}/{month:02}/{year}"))
            }
            Data::DateTime(d) => Cell::Text(d.to_string()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        }
    }

    /// The cell's text, for the cells that hold words (names, headings).
    pub(super) fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => Some(t),
            _ => None,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        *self == Cell::Empty
    }

    /// The cell as its sheet shows it, for messages.
    pub(super) fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) | Cell::Error(t) => t.clone(),
            Cell::Number(x) => format!("{x}"),
        }
    }
}

/// Rows of a sheet, each with the number its reader sees for it.
type NumberedRows = text::Numbered<Cell>;

/// The sheet, its rows padded to one width, each with the number the reader sees for it.
pub(super) struct Sheet {
    /// The sheet's name, in a workbook.
    pub name: Option<String>,
    /// How the file was read: `xlsx`, `xls`, `xlsb`, `ods`, or `text:` and the encoding
    /// (see [`Sheet::format`]).
    pub format: String,
    pub rows: Vec<Vec<Cell>>,
    /// The row number of each row: the workbook's row, or the line of a text file.
    pub numbers: Vec<u64>,
    /// Whether cells have addresses (`D17`): in a workbook.
    pub workbook: bool,
    /// Cells with a formula and no value saved with it (a workbook exported by a web
    /// application that never calculated it): (row number, column, formula).
    pub unsaved: Vec<(u64, usize, String)>,
    /// The columns hidden in the workbook, which the officer does not see.
    pub hidden: Vec<usize>,
}

impl Sheet {
    pub(super) fn width(&self) -> usize {
        self.rows.first().map_or(0, Vec::len)
    }

    pub(super) fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Cell::Empty)
    }

    /// Where a cell is, as the reader finds it: `D17` in a workbook, `column 4` in a text
    /// file (whose messages give the row).
    pub(super) fn address(&self, row: usize, col: usize) -> Text {
        let number = self.numbers.get(row).copied().unwrap_or(0);
        if self.workbook { t!("sheet_cell", cell = format!("{}{number}", column_name(col))) } else { self.column(col) }
    }

    /// A column as the reader names it: `column D` in a workbook, `column 4` in a text file;
    /// `column C (hidden)` when the workbook hides it, or the officer would look for it in vain.
    pub(super) fn column(&self, col: usize) -> Text {
        if self.hidden.contains(&col) {
            t!("sheet_column_hidden", column = column_name(col))
        } else if self.workbook {
            t!("sheet_column", column = column_name(col))
        } else {
            t!("sheet_column", column = col + 1)
        }
    }

    /// How the file was read, in words: "Excel workbook (.xlsx)", "text in UTF-8", …
    pub(super) fn format(&self) -> Text {
        match self.format.as_str() {
            "xls" => t!("format_xls"),
            "xlsx" => t!("format_xlsx"),
            "xlsb" => t!("format_xlsb"),
            "ods" => t!("format_ods"),
            other => t!("format_text", encoding = other.strip_prefix("text:").unwrap_or(other)),
        }
    }

    fn from_rows(name: Option<String>, format: String, rows: NumberedRows, workbook: bool) -> Sheet {
        let width = rows.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
        let (numbers, rows) = rows
            .into_iter()
            .map(|(n, mut r)| {
                r.resize(width, Cell::Empty);
                (n, r)
            })
            .unzip();
        Sheet { name, format, rows, numbers, workbook, unsaved: Vec::new(), hidden: Vec::new() }
    }
}

/// `A`, `B`, … `Z`, `AA`, … for the 0-based column `col`.
pub(super) fn column_name(col: usize) -> String {
    let mut n = col + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Why no sheet could be read.
#[derive(Debug)]
pub(super) enum Refused {
    /// The text is in a code that is not Unicode.
    Text(text::Unreadable),
    /// A workbook that cannot be read.
    Workbook(Unopened),
    /// A line of a text export that is not CSV: its line and why.
    Line(u64, Text),
    /// `--sheet` names no sheet: the sheets there are.
    NoSuchSheet(Vec<String>),
    /// No sheet, or several, name the site's units: the sheets there are, and those that do.
    WhichSheet { sheets: Vec<String>, with_units: Vec<String> },
}

/// Where workbooks are read. The workbook reader has known failures on damaged files
/// (an allocation as large as a size the file declares), which end a process rather than
/// return an error; reading in a child process with limits turns them into a message.
#[derive(Debug, Clone, Default)]
pub enum Reader {
    /// In this process: for tests and trusted files.
    #[default]
    InProcess,
    /// In a child process: this program, run as `EXE __read-workbook FILE`.
    Child(PathBuf),
}

/// The sheet of `bytes` to import: the workbook's sheet called `wanted` (compared without
/// case or diacritics), or its only sheet in which `has_units` finds the site's units;
/// or the rows of a text export.
pub(super) fn read(
    bytes: &[u8],
    file: &Path,
    reader: &Reader,
    wanted: Option<&str>,
    has_units: impl Fn(&Sheet) -> bool,
) -> Result<Sheet, Refused> {
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1");
    if !zip && !ole {
        let (text, encoding) = text::decode(bytes).map_err(Refused::Text)?;
        let file = crate::diag::SourceFile::new(file.display().to_string(), text);
        let rows = text::rows(&file, Cell::from_text).map_err(|(line, why)| Refused::Line(line, why))?;
        return Ok(Sheet::from_rows(None, format!("text:{encoding}"), rows, false));
    }
    let sheets = match reader {
        Reader::InProcess => quietly(|| workbook_sheets(bytes)),
        Reader::Child(exe) => in_child(exe, file),
    }
    .map_err(Refused::Workbook)?;
    let names: Vec<String> = sheets.iter().map(|s| s.name.clone().unwrap_or_default()).collect();
    if let Some(wanted) = wanted {
        let key = loose(wanted);
        return sheets
            .into_iter()
            .find(|s| s.name.as_deref().is_some_and(|n| loose(n) == key))
            .ok_or(Refused::NoSuchSheet(names));
    }
    let mut with_units: Vec<Sheet> = sheets.into_iter().filter(|s| has_units(s)).collect();
    if with_units.len() == 1 {
        return Ok(with_units.remove(0));
    }
    Err(Refused::WhichSheet { sheets: names, with_units: with_units.into_iter().filter_map(|s| s.name).collect() })
}

/// Every sheet of the workbook `file`, read by `exe __read-workbook` in a child process
/// with bounded memory and time (see [`dump_workbook`]).
fn in_child(exe: &Path, file: &Path) -> Result<Vec<Sheet>, Unopened> {
    let output = std::process::Command::new(exe)
        .arg(CHILD_COMMAND)
        .arg(file)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|e| Unopened::CannotStart(format!("{}: {e}", exe.display())))?;
    if !output.status.success() {
        return Err(if output.stdout.is_empty() {
            Unopened::DamagedOrTooLarge
        } else {
            Unopened::decode(String::from_utf8_lossy(&output.stdout).trim())
        });
    }
    let dumped: Vec<Dumped> = serde_json::from_slice(&output.stdout).map_err(|e| Unopened::Reader(e.to_string()))?;
    Ok(dumped.into_iter().map(Dumped::into_sheet).collect())
}

/// Why a workbook cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Unopened {
    /// The reader gave up on it (it panicked).
    Damaged,
    /// The child process that read it ended without a word: out of memory or time.
    DamagedOrTooLarge,
    /// The file could not be read at all.
    CannotRead,
    /// The child process could not be started: the program and why.
    CannotStart(String),
    /// The workbook reader's own words.
    Reader(String),
}

impl Unopened {
    pub(super) fn text(&self) -> Text {
        match self {
            Unopened::Damaged => t!("workbook_damaged"),
            Unopened::DamagedOrTooLarge => t!("workbook_damaged_or_large"),
            Unopened::CannotRead => t!("workbook_cannot_read"),
            Unopened::CannotStart(detail) => t!("workbook_no_reader", detail = detail.as_str()),
            Unopened::Reader(detail) => t!("workbook_reader_says", detail = detail.as_str()),
        }
    }

    /// How the child process writes it for its parent.
    fn encode(&self) -> String {
        match self {
            Unopened::Damaged => "damaged".to_owned(),
            Unopened::DamagedOrTooLarge => "damaged or too large".to_owned(),
            Unopened::CannotRead => "cannot read".to_owned(),
            Unopened::CannotStart(detail) => format!("cannot start: {detail}"),
            Unopened::Reader(detail) => format!("reader: {detail}"),
        }
    }

    fn decode(text: &str) -> Unopened {
        match text {
            "damaged" => Unopened::Damaged,
            "damaged or too large" => Unopened::DamagedOrTooLarge,
            "cannot read" => Unopened::CannotRead,
            _ => match text.split_once(": ") {
                Some(("cannot start", detail)) => Unopened::CannotStart(detail.to_owned()),
                Some(("reader", detail)) => Unopened::Reader(detail.to_owned()),
                _ => Unopened::Reader(text.to_owned()),
            },
        }
    }
}

/// The hidden subcommand that reads a workbook for [`Reader::Child`].
pub const CHILD_COMMAND: &str = "__read-workbook";

/// Reads the workbook `file` and writes its sheets as JSON to `out`, or writes why it
/// cannot be read and returns an error: what the child process of [`Reader::Child`]
/// does. Its memory and processor time are limited first, so that a damaged file ends
/// this process, not the one that asked.
pub fn dump_workbook(file: &Path, out: &mut impl std::io::Write) -> Result<(), Text> {
    limit_resources();
    let bytes = crate::load::read_bytes(file, super::MAX_SHEET_BYTES).map_err(|_| Unopened::CannotRead);
    let sheets = bytes.and_then(|b| quietly(|| workbook_sheets(&b)));
    let written = match &sheets {
        Ok(sheets) => {
            let dumped: Vec<Dumped> = sheets.iter().map(Dumped::from_sheet).collect();
            serde_json::to_writer(&mut *out, &dumped).map_err(|e| Unopened::Reader(e.to_string()))
        }
        Err(why) => out.write_all(why.encode().as_bytes()).map_err(|e| Unopened::Reader(e.to_string())),
    };
    sheets.and(written).map(|_| ()).map_err(|why| why.text())
}

#[cfg(unix)]
fn limit_resources() {
    // 1 GiB of address space and a minute of processor time: far beyond a real sheet.
    for (resource, limit) in [(libc::RLIMIT_AS, 1u64 << 30), (libc::RLIMIT_CPU, 60)] {
        let value = libc::rlimit { rlim_cur: limit as libc::rlim_t, rlim_max: limit as libc::rlim_t };
        // SAFETY: setrlimit reads the struct it is given and changes only this process's limits.
        unsafe {
            libc::setrlimit(resource, &value);
        }
    }
}

#[cfg(not(unix))]
fn limit_resources() {}

/// A sheet as the child process sends it.
#[derive(serde::Serialize, serde::Deserialize)]
struct Dumped {
    name: Option<String>,
    format: String,
    numbers: Vec<u64>,
    /// Cells: `null`, a number, `{"t": text}` or `{"e": error}`.
    rows: Vec<Vec<serde_json::Value>>,
    #[serde(default)]
    unsaved: Vec<(u64, usize, String)>,
    #[serde(default)]
    hidden: Vec<usize>,
}

impl Dumped {
    fn from_sheet(sheet: &Sheet) -> Dumped {
        let cell = |c: &Cell| match c {
            Cell::Empty => serde_json::Value::Null,
            Cell::Number(x) => serde_json::json!(x),
            Cell::Text(t) => serde_json::json!({ "t": t }),
            Cell::Error(e) => serde_json::json!({ "e": e }),
        };
        Dumped {
            name: sheet.name.clone(),
            format: sheet.format.clone(),
            numbers: sheet.numbers.clone(),
            rows: sheet.rows.iter().map(|r| r.iter().map(cell).collect()).collect(),
            unsaved: sheet.unsaved.clone(),
            hidden: sheet.hidden.clone(),
        }
    }

    fn into_sheet(self) -> Sheet {
        let cell = |v: &serde_json::Value| match v {
            serde_json::Value::Number(n) => Cell::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::Object(o) => match (o.get("t"), o.get("e")) {
                (Some(t), _) => Cell::Text(t.as_str().unwrap_or_default().to_owned()),
                (_, Some(e)) => Cell::Error(e.as_str().unwrap_or_default().to_owned()),
                _ => Cell::Empty,
            },
            _ => Cell::Empty,
        };
        let rows = self.numbers.into_iter().zip(self.rows).map(|(n, r)| (n, r.iter().map(cell).collect())).collect();
        Sheet { unsaved: self.unsaved, hidden: self.hidden, ..Sheet::from_rows(self.name, self.format, rows, true) }
    }
}

/// Every sheet of a workbook, or what calamine said when it could not read it.
fn workbook_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, Unopened> {
    let reader = |e: calamine::Error| Unopened::Reader(e.to_string());
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(reader)?;
    let format = match &workbook {
        calamine::Sheets::Xls(_) => "xls",
        calamine::Sheets::Xlsx(_) => "xlsx",
        calamine::Sheets::Xlsb(_) => "xlsb",
        calamine::Sheets::Ods(_) => "ods",
    };
    let mut hidden = if format == "xlsx" { super::hidden::columns(bytes) } else { Default::default() };
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(reader)?;
        let (first_row, first_col) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let rows = range
            .rows()
            .enumerate()
            .map(|(k, row)| {
                let mut cells = vec![Cell::Empty; first_col];
                cells.extend(row.iter().map(Cell::from_data));
                ((first_row + k + 1) as u64, cells)
            })
            .collect();
        // Formulas whose cell has no value: the reader sees them as empty cells.
        let formulas = workbook.worksheet_formula(&name).ok();
        let unsaved = formulas
            .iter()
            .flat_map(|f| {
                let (r0, c0) = f.start().unwrap_or((0, 0));
                f.used_cells().map(move |(r, c, text)| (r0 as usize + r, c0 as usize + c, text))
            })
            .filter(|(_, _, text)| !text.trim().is_empty())
            .filter(|&(r, c, _)| range.get_value((r as u32, c as u32)).is_none_or(|v| *v == Data::Empty))
            .map(|(r, c, text)| (r as u64 + 1, c, text.clone()))
            .collect();
        let sheet = Sheet::from_rows(Some(name.clone()), format.to_owned(), rows, true);
        let mut hidden = hidden.remove(&name).unwrap_or_default();
        hidden.retain(|&c| c < sheet.width());
        sheets.push(Sheet { unsaved, hidden, ..sheet });
    }
    Ok(sheets)
}

/// Runs `f`, turning a panic in the workbook reader into an error: a damaged file must
/// be a message, not a crash. The panic's own report is kept off the terminal.
fn quietly<T>(f: impl FnOnce() -> Result<T, Unopened> + std::panic::UnwindSafe) -> Result<T, Unopened> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(f);
    std::panic::set_hook(hook);
    result.unwrap_or_else(|_| Err(Unopened::Damaged))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(3), "D");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
