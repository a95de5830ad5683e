//! `tiendo import FILE --as-of DATE`: the sheet the office sends becomes a report file.
//!
//! The file is read as it was received: a workbook (`.xlsx`, `.xls`, `.ods`) or a text
//! export in any encoding Excel writes (`sheet`, `text`). Its layout is found by content
//! (`layout`): title rows, the heading rows, the column of units and each indicator's
//! column of figures. Then every row below (`rows`): units by name, code or id
//! (`names`), figures as offices write them (`numbers`), totals checked against their
//! units. Every problem of every row is reported with its row (and cell, in a
//! workbook), and then nothing is written; what is not sure is refused, never guessed.
//! An existing report is never replaced without `--force`, or added to without `--merge`.

mod dates;
mod hidden;
mod layout;
mod names;
mod numbers;
mod rows;
mod sheet;
mod text;

use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::{City, Group, Indicator, Language, Locality};
use crate::output::OutputError;
use crate::t;
use crate::words::messages::{Text, io_reason};
use names::Matcher;
use rows::Table;
pub use sheet::{CHILD_COMMAND, Reader, dump_workbook};

/// What `import` needs to know.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub file: PathBuf,
    pub as_of: String,
    pub root: PathBuf,
    /// Replace the month's report if there is one.
    pub force: bool,
    /// Add the sheet's units to the month's report, which must not have them yet.
    pub merge: bool,
    pub source: Option<String>,
    /// The sheet of a workbook to read.
    pub sheet: Option<String>,
    /// Where workbooks are read: in a child process, for files from elsewhere.
    pub reader: Reader,
    /// Read and check everything, and write nothing: what `serve` shows before the
    /// officer confirms. The month's report may exist then ([`Imported::replaces`] says so).
    pub dry_run: bool,
    /// The file's name as messages give it, when it is not `file`: the name a browser
    /// sent for an upload, never used as a path.
    pub shown: Option<String>,
}

/// What a successful import read and wrote.
#[derive(Debug)]
pub struct Imported {
    /// The report file, relative to the site root.
    pub report: String,
    pub units: usize,
    pub figures: usize,
    /// What was read, in plain lines: the file, the headings, which column became which
    /// indicator, the totals checked.
    pub read: Vec<Text>,
    pub warnings: Vec<Diagnostic>,
    /// Whether the month's report existed: replaced with `force`, or, in a dry run, what
    /// confirming would need.
    pub replaces: bool,
    /// The date imported as.
    pub as_of: Date,
}

/// The largest spreadsheet read: a national sheet is under 1 MB, and even a million rows
/// fit; beyond this it is not a monthly report.
pub const MAX_SHEET_BYTES: u64 = 100_000_000;

/// Everything reading a sheet needs to know about the site.
pub(crate) struct Context<'a> {
    /// The file as messages name it.
    shown: &'a str,
    city: &'a City,
    localities: &'a [Locality],
    groups: &'a [Group],
    /// Each group's name as offices' area names are compared (see `names::area`), once.
    group_keys: Vec<String>,
    indicators: &'a [Indicator],
    matcher: Matcher<'a>,
    /// The date the figures are imported as (`--as-of`).
    as_of: Date,
}

pub fn import(options: &ImportOptions) -> Result<Imported, Error> {
    let as_of = Date::parse(options.as_of.trim())
        .map_err(|_| Error::Usage(t!("import_as_of_not_a_date", value = options.as_of.as_str())))?;
    if crate::validate::reports::latest_today().is_some_and(|today| as_of > today) {
        return Err(Error::Usage(t!("import_as_of_in_future", as_of)));
    }
    if let Some(source) = &options.source
        && source.chars().any(char::is_control)
    {
        return Err(Error::Usage(t!("import_source_not_one_line")));
    }
    let rel = format!("{}/{}-{:02}.yaml", load::REPORTS_DIR, as_of.year(), as_of.month());
    let target = options.root.join(&rel);
    let replaces = target.exists();
    if replaces && !options.force && !options.merge && !options.dry_run {
        return Err(Error::Usage(t!("import_report_exists", rel = rel.as_str())));
    }

    let mut diags = Diagnostics::new();
    let lists =
        crate::validate::lists(&options.root, &mut diags).ok_or_else(|| Error::Input(diags.clone().into_sorted()))?;
    let shown = options.shown.clone().unwrap_or_else(|| options.file.display().to_string());
    let bytes = load::read_bytes(&options.file, MAX_SHEET_BYTES).map_err(|e| {
        let file = shown.as_str();
        Error::Usage(match e {
            load::ReadError::BrokenLink(target) => t!("import_broken_link", file, target),
            load::ReadError::NotAFile => t!("import_not_a_file", file),
            load::ReadError::TooLarge(size) => {
                t!("import_too_large", file, size = size / 1_000_000, max = MAX_SHEET_BYTES / 1_000_000)
            }
            load::ReadError::Io(e) => t!("import_cannot_read", file, why = io_reason(&e)),
        })
    })?;
    let ctx = Context {
        shown: &shown,
        city: &lists.city,
        localities: &lists.localities,
        groups: &lists.groups,
        group_keys: lists.groups.iter().map(|g| names::area(&names::loose(&g.name))).collect(),
        indicators: &lists.indicators,
        matcher: Matcher::new(&lists.localities),
        as_of,
    };
    let sheet = read_sheet(&ctx, &bytes, options)?;
    if let Some((row, col, formula)) = sheet.unsaved.first() {
        let cell = format!("{}{row}", sheet::column_name(*col));
        let message = t!("import_formulas_unsaved", cell, formula = formula.as_str(), n = sheet.unsaved.len() - 1);
        let d = Diagnostic { line: *row, ..Diagnostic::error(ctx.shown, message) };
        return Err(Error::Input(vec![d.help(t!("import_formulas_unsaved_help"))]));
    }
    let layout = layout::layout(&ctx, &sheet, &mut diags).ok_or_else(|| Error::Input(diags.clone().into_sorted()))?;
    let read = rows::read(&ctx, &sheet, &layout, &mut diags);
    let mut table = read.table;
    check_date(&options.root, &rel, as_of, &mut diags);
    dates::check(&ctx, &sheet, &layout, as_of, &mut diags);
    let existing =
        if options.merge && target.exists() { merge(&ctx, &target, &rel, as_of, &mut table, &mut diags) } else { None };
    if diags.has_errors() {
        return Err(Error::Input(diags.into_sorted()));
    }
    // A report without a figure would publish a month of nothing.
    if table.iter().flatten().all(Option::is_none) {
        let d = Diagnostic::error(ctx.shown, t!("import_no_figure")).help(t!("import_no_figure_help"));
        return Err(Error::Input(vec![d]));
    }
    if !options.root.join(format!("{}/{}.yaml", load::TARGETS_DIR, as_of.year())).is_file() {
        diags.push(
            Diagnostic::warning(&rel, t!("import_no_targets", year = as_of.year()))
                .help(t!("import_no_targets_help", year = as_of.year())),
        );
    }
    if let Some(d) = without_figures(&ctx, &table, as_of) {
        diags.push(d);
    }
    // An indicator the sheet has no column for: the month is published without it.
    for (i, ind) in ctx.indicators.iter().enumerate() {
        if !layout.columns.iter().any(|c| c.indicator == i) && table.iter().all(|row| row[i].is_none()) {
            diags.push(
                Diagnostic::warning(ctx.shown, t!("import_indicator_no_column", indicator = ind.short.as_str()))
                    .help(t!("import_indicator_no_column_help", indicator = ind.short.as_str(), id = ind.id.as_str())),
            );
        }
    }

    let file = shown.as_str();
    let mut lines = vec![match &sheet.name {
        Some(name) => t!("import_read_sheet", file, format = sheet.format(), name = name.as_str()),
        None => t!("import_read", file, format = sheet.format()),
    }];
    let (first, last) = (sheet.numbers[layout.headings.0], sheet.numbers[layout.headings.1]);
    let headings = if first == last { t!("import_row", row = first) } else { t!("import_rows", first, last) };
    let units = sheet.column(layout.units);
    lines.push(t!("import_read_layout", headings, units, n = read.unit_rows));
    for c in &layout.columns {
        let indicator = ctx.indicators[c.indicator].short.as_str();
        lines.push(t!("import_read_column", indicator, column = sheet.column(c.col), heading = c.heading.clone()));
    }
    for (col, heading) in &layout.left_out {
        lines.push(t!("import_read_left_out", column = sheet.column(*col), heading = heading.as_str()));
    }
    for (col, heading) in &layout.other_months {
        lines.push(t!("import_read_other_month", column = sheet.column(*col), heading = heading.as_str()));
    }
    lines.extend(read.totals.iter().map(|total| t!("import_read_total", total = total.clone())));
    let source = options
        .source
        .clone()
        .or(existing)
        // A sheet's title cell may hold a paragraph: too long for a source, it is not one.
        .or_else(|| layout.title.clone().filter(|t| t.chars().count() <= crate::validate::reports::MAX_SOURCE))
        .unwrap_or_else(|| default_source(&options.root, lists.config.language, as_of));
    let text = report_yaml(as_of, &source, &table, &ctx);
    // What is written must read back as a report: a last check on our own output.
    if let Err(d) = load::reports::parse(&load::SourceFile::new(rel.clone(), text.clone())) {
        return Err(Error::Input(vec![d]));
    }
    let units = table.iter().filter(|row| row.iter().any(Option::is_some)).count();
    let figures = table.iter().flatten().filter(|v| v.is_some()).count();
    if options.dry_run {
        return Ok(Imported {
            report: rel,
            units,
            figures,
            read: lines,
            warnings: diags.into_sorted(),
            replaces,
            as_of,
        });
    }
    write_atomically(&target, &text).map_err(Error::Output)?;
    // What check says of the figures just written, said now rather than at the next check:
    // a figure above its base, more than three times its target, or lower than last month.
    if let Ok(site) = crate::pipeline::prepare(&options.root, &mut crate::pipeline::Stopwatch::new()) {
        let about_figures = |d: &Diagnostic| {
            d.file == rel && matches!(d.message.key(), "above_base" | "three_times_target" | "figure_fell")
        };
        for d in site.diagnostics.into_sorted().into_iter().filter(about_figures) {
            diags.push(d);
        }
    }
    Ok(Imported { report: rel, units, figures, read: lines, warnings: diags.into_sorted(), replaces, as_of })
}

/// The sheet to import, or why none can be read.
fn read_sheet(ctx: &Context, bytes: &[u8], options: &ImportOptions) -> Result<sheet::Sheet, Error> {
    let has_units =
        |s: &sheet::Sheet| s.rows.iter().flatten().filter_map(sheet::Cell::text).any(|t| ctx.matcher.knows(t));
    sheet::read(bytes, &options.file, &options.reader, options.sheet.as_deref(), has_units).map_err(|refused| {
        let input = |d: Diagnostic| Error::Input(vec![d]);
        match refused {
            sheet::Refused::Text(why) => {
                let (message, help) = why.message();
                input(Diagnostic::error(ctx.shown, message).help(help))
            }
            sheet::Refused::Workbook(why) => input(
                Diagnostic::error(ctx.shown, t!("workbook_unreadable", why = why.text()))
                    .help(t!("workbook_unreadable_help")),
            ),
            sheet::Refused::Line(line, why) => input(Diagnostic { line, ..Diagnostic::error(ctx.shown, why) }),
            sheet::Refused::NoSuchSheet(names) => Error::Usage(t!("import_no_such_sheet", sheets = names.join(", "))),
            sheet::Refused::WhichSheet { sheets, with_units } if with_units.is_empty() => input(
                Diagnostic::error(ctx.shown, t!("import_no_sheet_with_units"))
                    .help(t!("import_no_sheet_with_units_help", sheets = sheets.join(", "))),
            ),
            sheet::Refused::WhichSheet { with_units, .. } => {
                Error::Usage(t!("import_several_sheets", sheets = with_units.join(", ")))
            }
        }
    })
}

/// The source shown to readers when neither `--source` nor the sheet's title gives one:
/// "Báo cáo ngày 31/10/2025", in the site's words.
fn default_source(root: &Path, language: Language, as_of: Date) -> String {
    let strings = crate::words::Strings::load(language, &root.join("templates"), &mut Diagnostics::new());
    strings.fill("source_default", &[("date", &crate::format::Fmt::new(language).date(as_of))])
}

/// The units without a figure in the sheet, by name (the first twenty).
fn without_figures(ctx: &Context, table: &Table, as_of: Date) -> Option<Diagnostic> {
    let missing: Vec<&str> = table
        .iter()
        .enumerate()
        .filter(|(_, row)| row.iter().all(Option::is_none))
        .map(|(l, _)| ctx.localities[l].name.as_str())
        .collect();
    if missing.is_empty() {
        return None;
    }
    let listed = missing.iter().take(20).copied().collect::<Vec<_>>().join(", ");
    let listed = if missing.len() > 20 {
        t!("import_listed_more", listed, more = missing.len() - 20)
    } else {
        t!("import_listed", listed)
    };
    Some(
        Diagnostic::warning(
            ctx.shown,
            t!("import_units_without_figures", n = missing.len(), total = ctx.localities.len(), listed),
        )
        .help(t!("import_units_without_figures_help", date = as_of)),
    )
}

/// Another report of the same date, or of the same month, would make two reports of one
/// month; a date far from the latest report is most likely mistyped.
fn check_date(root: &Path, rel: &str, as_of: Date, diags: &mut Diagnostics) {
    let Ok(entries) = fs::read_dir(root.join(load::REPORTS_DIR)) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    let mut latest: Option<Date> = None;
    for path in paths {
        let other = load::relative(root, &path);
        let Ok(file) = load::read(&path, other.clone()) else { continue };
        let Ok(report) = load::reports::parse(&file) else { continue };
        let Ok(date) = Date::parse(report.as_of.value.trim()) else { continue };
        if other != rel {
            latest = latest.max(Some(date));
        }
        if other == rel {
            continue;
        }
        if date == as_of {
            diags.push(
                Diagnostic::error(&other, t!("import_same_date", date = as_of))
                    .help(t!("import_same_date_help", other = other.as_str())),
            );
        } else if (date.year(), date.month()) == (as_of.year(), as_of.month()) {
            diags.push(
                Diagnostic::error(
                    &other,
                    t!("import_same_month", month = format!("{}-{:02}", date.year(), date.month()), date),
                )
                .help(t!("import_same_month_help", rel)),
            );
        }
    }
    let Some(latest) = latest else { return };
    if (as_of.year() - latest.year()).abs() > 1 {
        diags.push(Diagnostic::error(rel, t!("import_date_far", as_of, latest)).help(t!("import_date_far_help")));
    } else if as_of < latest {
        diags.push(
            Diagnostic::warning(rel, t!("import_date_before", as_of, latest)).help(t!("import_date_before_help")),
        );
    } else if as_of.days() - latest.days() > 62 {
        diags.push(Diagnostic::warning(rel, t!("import_date_gap", as_of, latest)).help(t!("import_date_gap_help")));
    }
}

/// Adds the figures of the month's existing report at `target` to `table`: every unit
/// it has must be missing from the sheet. The existing report's source, kept.
fn merge(
    ctx: &Context,
    target: &Path,
    rel: &str,
    as_of: Date,
    table: &mut Table,
    diags: &mut Diagnostics,
) -> Option<String> {
    let file = match load::read(target, rel.to_owned()) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let report = match load::reports::parse(&file) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if Date::parse(report.as_of.value.trim()) != Ok(as_of) {
        diags.push(
            Diagnostic::error(rel, t!("import_merge_other_date", date = report.as_of.value.trim(), as_of))
                .help(t!("import_merge_other_date_help")),
        );
        return None;
    }
    for (id, figures) in &report.figures.value.0 {
        let Some(l) = ctx.localities.iter().position(|l| l.id == id.value) else { continue };
        if table[l].iter().any(Option::is_some) {
            diags.push(
                Diagnostic {
                    line: u64::from(id.line),
                    ..Diagnostic::error(rel, t!("import_merge_twice", name = ctx.localities[l].name.as_str()))
                }
                .help(t!("import_merge_twice_help")),
            );
            continue;
        }
        for (key, value) in &figures.value.0 {
            let Some(i) = ctx.indicators.iter().position(|i| i.id == key.value) else { continue };
            if let load::yaml::Scalar::Int(v) = value.value {
                table[l][i] = u64::try_from(v).ok();
            }
        }
    }
    report.source.map(|s| s.value)
}

/// The report file, in the order of data/localities.yaml; units without figures are left out.
fn report_yaml(as_of: Date, source: &str, table: &Table, ctx: &Context) -> String {
    let quoted = source.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = format!("# Written by tiendo import.\nas_of: {as_of}\nsource: \"{quoted}\"\nfigures:\n");
    for (l, row) in table.iter().enumerate() {
        let cells: Vec<String> =
            row.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{}: {v}", ctx.indicators[i].id))).collect();
        if !cells.is_empty() {
            out.push_str(&format!("  {}: {{ {} }}\n", ctx.localities[l].id, cells.join(", ")));
        }
    }
    out
}

fn write_atomically(path: &Path, text: &str) -> Result<(), OutputError> {
    let err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| OutputError::new(p, source)
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(err(parent))?;
    }
    // A name of this run's own, created new: never written through a link planted there.
    let temp = path.with_extension(format!("yaml.{}.tiendo-tmp", crate::output::build_id()));
    crate::output::write_new(&temp, text.as_bytes()).map_err(err(&temp))?;
    fs::rename(&temp, path).map_err(err(path))
}
