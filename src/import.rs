//! `tiendo import FILE.csv --as-of DATE`: a spreadsheet export becomes a report file.
//!
//! The first column names the unit as people type it (id, code, or name with or
//! without diacritics, prefix and capitals); the other columns are indicator ids.
//! Every problem of every row is reported, with its row number, and then nothing is
//! written. An existing report is never replaced without `--force`.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, did_you_mean, known_list};
use crate::load;
use crate::model::{Indicator, Locality};
use crate::output::OutputError;
use crate::text::{fold, is_valid_id};
use crate::validate::MAX_PEOPLE;

/// What `import` needs to know.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub file: PathBuf,
    pub as_of: String,
    pub root: PathBuf,
    pub force: bool,
    pub source: Option<String>,
}

/// What a successful import wrote.
#[derive(Debug)]
pub struct Imported {
    /// The report file, relative to the site root.
    pub report: String,
    pub units: usize,
    pub figures: usize,
    pub warnings: Vec<Diagnostic>,
}

/// The largest spreadsheet read: a national sheet is under 1 MB, and even a million rows
/// fit; beyond this it is not a monthly report.
pub const MAX_SHEET_BYTES: u64 = 100_000_000;

pub fn import(options: &ImportOptions) -> Result<Imported, Error> {
    let as_of = Date::parse(options.as_of.trim()).map_err(|_| {
        Error::Usage(format!("--as-of {} is not a date: write it as YYYY-MM-DD, e.g. 2025-10-31", options.as_of))
    })?;
    if let Some(source) = &options.source
        && source.chars().any(char::is_control)
    {
        return Err(Error::Usage(
            "--source must be one line of plain text, without line breaks or control characters; nothing was written"
                .to_owned(),
        ));
    }
    let rel = format!("{}/{}-{:02}.yaml", load::REPORTS_DIR, as_of.year(), as_of.month());
    let target = options.root.join(&rel);
    if target.exists() && !options.force {
        return Err(Error::Usage(format!(
            "{rel} already exists; nothing was written. Add --force to replace it, or check --as-of"
        )));
    }

    let mut diags = Diagnostics::new();
    let (localities, indicators) =
        crate::validate::lists(&options.root, &mut diags).ok_or_else(|| Error::Input(diags.clone().into_sorted()))?;
    let shown = options.file.display().to_string();
    let bytes = load::read_bytes(&options.file, MAX_SHEET_BYTES).map_err(|e| {
        Error::Usage(match e {
            load::ReadError::BrokenLink(target) => format!("{shown} is a link to {target}, which does not exist"),
            load::ReadError::NotAFile => format!("{shown} is not a file: give the spreadsheet file (CSV) to import"),
            load::ReadError::TooLarge(size) => format!(
                "{shown} is too large ({} MB): a monthly report is at most {} MB; check that this is the right file",
                size / 1_000_000,
                MAX_SHEET_BYTES / 1_000_000
            ),
            load::ReadError::Io(e) => format!("cannot read {shown}: {e}"),
        })
    })?;
    let file = load::decode(shown.clone(), bytes).map_err(|d| Error::Input(vec![d]))?;
    let table = read_table(&file, &localities, &indicators, &mut diags);
    other_report_on_the_same_date(&options.root, &rel, as_of, &mut diags);
    if diags.has_errors() {
        return Err(Error::Input(diags.into_sorted()));
    }
    if !options.root.join(format!("{}/{}.yaml", load::TARGETS_DIR, as_of.year())).is_file() {
        diags.push(
            Diagnostic::warning(&rel, format!("there is no data/targets/{}.yaml yet", as_of.year()))
                .help("the report was written, but the site will not build until the year's targets are added"),
        );
    }

    let absent = table.iter().filter(|row| row.iter().all(Option::is_none)).count();
    if absent > 0 {
        diags.push(
            Diagnostic::warning(
                &file.rel,
                format!("{absent} of the site's {} units have no figures in this file", localities.len()),
            )
            .help(format!("their pages will say that the report of {} has no figures for them", as_of)),
        );
    }
    let source = options.source.clone().unwrap_or_else(|| format!("{} (tiendo import)", file_name(&options.file)));
    let text = report_yaml(as_of, &source, &table, &localities, &indicators);
    // What is written must read back as a report: a last check on our own output.
    if let Err(d) = load::reports::parse(&load::SourceFile::new(rel.clone(), text.clone())) {
        return Err(Error::Input(vec![d]));
    }
    write_atomically(&target, &text).map_err(Error::Output)?;
    Ok(Imported {
        report: rel,
        units: table.iter().filter(|row| row.iter().any(Option::is_some)).count(),
        figures: table.iter().flatten().filter(|v| v.is_some()).count(),
        warnings: diags.into_sorted(),
    })
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Figures by locality index, then indicator index; `None` for an empty cell or a unit not in the file.
type Table = Vec<Vec<Option<u64>>>;

/// The separator of a spreadsheet export: whichever of `;`, `,` and tab the header uses most
/// outside quotes. Excel in Vietnamese locales writes `;`.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let (mut counts, mut quoted) = ([0usize; 3], false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 1)).unwrap_or(1);
    [b';', b',', b'\t'][best]
}

fn read_table(
    file: &load::SourceFile,
    localities: &[Locality],
    indicators: &[Indicator],
    diags: &mut Diagnostics,
) -> Table {
    let mut table = vec![vec![None; indicators.len()]; localities.len()];
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&file.text))
        .has_headers(false)
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let at = |line: u64, message: String| Diagnostic::error(&file.rel, message).at(file, line, 0);
    let matcher = Matcher::new(localities);
    let mut columns: Vec<Option<usize>> = Vec::new();
    let mut seen: HashMap<usize, u64> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                diags.push(at(line, format!("this row cannot be read: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(index as u64 + 1, csv::Position::line);
        if index == 0 {
            columns = header(&record, indicators, line, file, diags);
            continue;
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let name = record.get(0).unwrap_or("").trim();
        let unit = match matcher.find(name) {
            Ok(l) => Some(l),
            Err(miss) => {
                diags.push_with_help(at(line, matcher.message(name, &miss)), || matcher.help(name, &miss));
                None
            }
        };
        if let Some(l) = unit
            && let Some(first) = seen.insert(l, line)
        {
            diags.push(
                at(line, format!("{} is already on row {first}", localities[l].name))
                    .help("each unit may have only one row: remove one of them"),
            );
        }
        for (k, cell) in record.iter().enumerate().skip(1) {
            let Some(Some(i)) = columns.get(k).copied() else {
                if !cell.trim().is_empty() && columns.get(k).is_none() {
                    diags.push(
                        at(line, format!("column {} has a value but no indicator in the first row", k + 1))
                            .help("name the column with an indicator id in the first row, or delete the value"),
                    );
                }
                continue;
            };
            match count(cell) {
                Ok(value) => {
                    if let Some(l) = unit {
                        table[l][i] = value;
                    }
                }
                Err(message) => diags
                    .push(at(line, format!("{}: \"{}\" {message}", indicators[i].id, cell.trim())).help(
                    "write whole numbers of people, e.g. 1215 or 1.215; leave the cell empty when there is no figure",
                )),
            }
        }
    }
    if columns.is_empty() {
        diags.push(
            Diagnostic::error(&file.rel, "the file is empty")
                .help("the first row names the columns: the unit, then one indicator id per column"),
        );
    }
    table
}

/// The indicator of each column (the first column names the units). An unknown column is an error.
fn header(
    record: &csv::StringRecord,
    indicators: &[Indicator],
    line: u64,
    file: &load::SourceFile,
    diags: &mut Diagnostics,
) -> Vec<Option<usize>> {
    let mut columns = vec![None];
    let mut seen: Vec<usize> = Vec::new();
    for cell in record.iter().skip(1) {
        let name = cell.trim();
        if name.is_empty() {
            columns.push(None);
            continue;
        }
        match indicators.iter().position(|i| i.id == name) {
            Some(i) if seen.contains(&i) => {
                diags
                    .push(Diagnostic::error(&file.rel, format!("the column `{name}` appears twice")).at(file, line, 0));
                columns.push(None);
            }
            Some(i) => {
                seen.push(i);
                columns.push(Some(i));
            }
            None => {
                let known = indicators.iter().map(|i| i.id.as_str());
                let help = match did_you_mean(name, known.clone()) {
                    Some(close) => format!(
                        "did you mean `{close}`? Columns after the first are indicator ids: {}",
                        known_list(name, known)
                    ),
                    None => format!("columns after the first are indicator ids: {}", known_list(name, known)),
                };
                diags.push(
                    Diagnostic::error(&file.rel, format!("the column `{name}` is not an indicator"))
                        .at(file, line, 0)
                        .help(help),
                );
                columns.push(None);
            }
        }
    }
    columns
}

/// A count of people as spreadsheets write it: `1215`, `1.215`, `1,215`, `1 215`, and
/// `1.215,00` or `1,215.00` (zero decimals). A separator followed by exactly three digits
/// is a thousands separator, which is unambiguous because figures are whole numbers;
/// anything else (`1,5`, `12.34`) is refused rather than guessed. `None` for an empty cell.
pub fn count(cell: &str) -> Result<Option<u64>, &'static str> {
    let s: String = cell.trim().chars().filter(|c| !matches!(c, '\u{a0}' | '\u{202f}')).collect();
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.starts_with('-') || s.starts_with('−') {
        return Err("is negative: figures count people, 0 or more");
    }
    if !s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ')) {
        return Err("is not a number");
    }
    // A decimal part of zeros after the last separator of the other kind: 1.215,00.
    let whole = match (s.rfind('.'), s.rfind(',')) {
        (Some(d), Some(c)) => {
            let (cut, mark) = if d > c { (d, '.') } else { (c, ',') };
            let decimals = &s[cut + 1..];
            if decimals.is_empty()
                || !decimals.bytes().all(|b| b == b'0')
                || decimals.len() > 2
                || s[..cut].contains(mark)
            {
                return Err("is not a whole number");
            }
            &s[..cut]
        }
        _ => s,
    };
    let groups: Vec<&str> = whole.split(['.', ',', ' ']).collect();
    let separators: Vec<char> = whole.chars().filter(|c| !c.is_ascii_digit()).collect();
    let one_kind = separators.windows(2).all(|w| w[0] == w[1]);
    let grouped = groups.len() == 1
        || (one_kind
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())));
    if !grouped || groups.iter().any(|g| g.is_empty()) {
        return Err("is not a whole number");
    }
    let digits: String = groups.concat();
    match digits.parse::<u64>() {
        Ok(n) if n <= MAX_PEOPLE => Ok(Some(n)),
        _ => Err("is too large to be a number of people"),
    }
}

/// Finds units as people type them.
struct Matcher<'a> {
    localities: &'a [Locality],
    ids: HashMap<&'a str, usize>,
    codes: HashMap<String, usize>,
    names: HashMap<String, Vec<usize>>,
    folded: HashMap<String, Vec<usize>>,
}

/// Unit-name prefixes that people may leave out, with and without diacritics.
const PREFIXES: [&str; 6] = ["phường ", "xã ", "đặc khu ", "phuong ", "xa ", "dac khu "];

/// A name lowercased with single spaces; and the same without its prefix, if it has one.
fn name_keys(name: &str) -> Vec<String> {
    let key = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let mut keys = vec![key.clone()];
    if let Some(rest) = PREFIXES.iter().find_map(|p| key.strip_prefix(p)) {
        keys.push(rest.to_owned());
    }
    keys
}

fn code_key(code: &str) -> String {
    let trimmed = code.trim().trim_start_matches('0');
    if trimmed.is_empty() { "0".to_owned() } else { trimmed.to_owned() }
}

impl<'a> Matcher<'a> {
    fn new(localities: &'a [Locality]) -> Self {
        let mut m = Matcher {
            localities,
            ids: HashMap::new(),
            codes: HashMap::new(),
            names: HashMap::new(),
            folded: HashMap::new(),
        };
        for (i, l) in localities.iter().enumerate() {
            m.ids.insert(&l.id, i);
            if let Some(code) = &l.code {
                m.codes.insert(code_key(code), i);
            }
            for key in name_keys(&l.name) {
                m.folded.entry(fold(&key)).or_default().push(i);
                m.names.entry(key).or_default().push(i);
            }
        }
        for list in m.names.values_mut().chain(m.folded.values_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        m
    }

    /// The unit `typed` names, or why there is none.
    fn find(&self, typed: &str) -> Result<usize, Miss> {
        if typed.is_empty() {
            return Err(Miss::Empty);
        }
        if let Some(&i) = self.ids.get(typed) {
            return Ok(i);
        }
        if typed.bytes().all(|b| b.is_ascii_digit())
            && let Some(&i) = self.codes.get(&code_key(typed))
        {
            return Ok(i);
        }
        // With diacritics first: only when that finds nothing, without them. "Van Lang"
        // must not silently become Văn Lăng when Văn Lang exists too.
        let keys = name_keys(typed);
        for (table, key_of) in
            [(&self.names, (|k: &String| k.clone()) as fn(&String) -> String), (&self.folded, |k: &String| fold(k))]
        {
            let mut found: Vec<usize> = keys.iter().filter_map(|k| table.get(&key_of(k))).flatten().copied().collect();
            found.sort_unstable();
            found.dedup();
            match found.len() {
                0 => continue,
                1 => return Ok(found[0]),
                _ => return Err(Miss::Ambiguous(found)),
            }
        }
        Err(Miss::Unknown)
    }

    fn message(&self, typed: &str, miss: &Miss) -> String {
        match miss {
            Miss::Empty => "the first column is empty".into(),
            Miss::Ambiguous(found) => {
                let names: Vec<String> =
                    found.iter().map(|&i| format!("{} ({})", self.localities[i].name, self.localities[i].id)).collect();
                format!("\"{typed}\" could be any of {}", names.join(", "))
            }
            Miss::Unknown => format!("\"{typed}\" is not a unit of this site"),
        }
    }

    /// What to do: for an unknown name, the closest known one, which takes a look at every
    /// name of the site (so it is asked only for the messages shown).
    fn help(&self, typed: &str, miss: &Miss) -> String {
        match miss {
            Miss::Empty => "write the unit's name, code or id".into(),
            Miss::Ambiguous(_) => "write the name with its diacritics, or the unit's id or code".into(),
            Miss::Unknown => {
                let keys = name_keys(typed);
                let folded_typed = fold(&keys[keys.len() - 1]);
                let close = did_you_mean(&folded_typed, self.folded.keys().map(String::as_str))
                    .and_then(|k| self.folded.get(k))
                    .and_then(|l| l.first())
                    .map(|&i| &self.localities[i].name);
                match close {
                    Some(name) => format!(
                        "did you mean {name}? Write the name as in data/localities.yaml, or the unit's id or code"
                    ),
                    None if is_valid_id(typed) => "no unit has this id; see data/localities.yaml".into(),
                    None => "write the name as in data/localities.yaml, or the unit's id or code".into(),
                }
            }
        }
    }
}

/// Why a name finds no unit.
#[derive(Debug, PartialEq)]
enum Miss {
    Empty,
    /// The units it could be.
    Ambiguous(Vec<usize>),
    Unknown,
}

/// Another report file for the same date would make the site fail to build.
fn other_report_on_the_same_date(root: &Path, rel: &str, as_of: Date, diags: &mut Diagnostics) {
    let Ok(entries) = fs::read_dir(root.join(load::REPORTS_DIR)) else { return };
    let mut names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    names.sort();
    for path in names {
        let other = load::relative(root, &path);
        if other == rel {
            continue;
        }
        let Ok(file) = load::read(&path, other.clone()) else { continue };
        if let Ok(report) = load::reports::parse(&file)
            && Date::parse(report.as_of.value.trim()) == Ok(as_of)
        {
            diags.push(
                Diagnostic::error(&other, format!("this report already has the date {as_of}")).help(format!(
                    "a site can have only one report per date: correct --as-of, or remove {other} first"
                )),
            );
        }
    }
}

/// The report file, in the order of data/localities.yaml; units without figures are left out.
fn report_yaml(as_of: Date, source: &str, table: &Table, localities: &[Locality], indicators: &[Indicator]) -> String {
    let quoted = source.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = format!("# Written by tiendo import.\nas_of: {as_of}\nsource: \"{quoted}\"\nfigures:\n");
    for (l, row) in table.iter().enumerate() {
        let cells: Vec<String> =
            row.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{}: {v}", indicators[i].id))).collect();
        if !cells.is_empty() {
            out.push_str(&format!("  {}: {{ {} }}\n", localities[l].id, cells.join(", ")));
        }
    }
    out
}

fn write_atomically(path: &Path, text: &str) -> Result<(), OutputError> {
    let err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| OutputError { path: p, source }
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(err(parent))?;
    }
    let temp = path.with_extension("yaml.tiendo-tmp");
    fs::write(&temp, text).map_err(err(&temp))?;
    fs::rename(&temp, path).map_err(err(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LocalityKind;

    #[test]
    fn counts_as_spreadsheets_write_them() {
        for (cell, value) in [
            ("1215", Some(1215)),
            ("1.215", Some(1215)),
            ("1,215", Some(1215)),
            ("1 215", Some(1215)),
            ("1\u{a0}215", Some(1215)),
            ("2.941.800", Some(2_941_800)),
            ("1.215,00", Some(1215)),
            ("1,215.00", Some(1215)),
            (" 42 ", Some(42)),
            ("", None),
            ("   ", None),
        ] {
            assert_eq!(count(cell), Ok(value), "{cell:?}");
        }
        for cell in [
            "1,5",
            "12.34",
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
        ] {
            assert!(count(cell).is_err(), "{cell:?} should be refused");
        }
    }

    #[test]
    fn the_separator_is_guessed_from_the_header() {
        assert_eq!(delimiter("unit;voluntary-si;health-insurance\n"), b';');
        assert_eq!(delimiter("unit,voluntary-si\n"), b',');
        assert_eq!(delimiter("\"a;b\",x\n"), b',');
        assert_eq!(delimiter("unit\tx\n"), b'\t');
    }

    fn unit(id: &str, name: &str, code: &str) -> Locality {
        Locality { id: id.into(), name: name.into(), kind: LocalityKind::Commune, code: Some(code.into()), group: None }
    }

    #[test]
    fn names_match_with_diacritics_first() {
        let units = vec![
            unit("van-lang", "Xã Văn Lang", "5875"),
            unit("van-lang-2", "Xã Văn Lăng", "6307"),
            unit("long-my", "Phường Long Mỹ", "31471"),
            unit("xa-phien", "Xã Xà Phiên", "31495"),
        ];
        let m = Matcher::new(&units);
        assert_eq!(m.find("Xã Văn Lăng"), Ok(1));
        assert_eq!(m.find("văn lang"), Ok(0));
        let miss = m.find("Van Lang").unwrap_err();
        assert!(
            m.message("Van Lang", &miss).contains("could be any of Xã Văn Lang (van-lang), Xã Văn Lăng (van-lang-2)")
        );
        for typed in ["long my", "LONG MỸ", "Phuong Long My", "phường  long   mỹ", "long-my", "31471", "031471"]
        {
            assert_eq!(m.find(typed), Ok(2), "{typed}");
        }
        // A name that starts like a prefix is still found.
        assert_eq!(m.find("Xa Phien"), Ok(3));
        assert_eq!(m.find("Xà Phiên"), Ok(3));
        let miss = m.find("Long Mi").unwrap_err();
        let (message, help) = (m.message("Long Mi", &miss), m.help("Long Mi", &miss));
        assert!(message.contains("is not a unit"), "{message}");
        assert!(help.starts_with("did you mean Phường Long Mỹ?"), "{help}");
    }
}
