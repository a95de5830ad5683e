//! The rows below the headings: each a unit with its figures, a total (of the whole
//! sheet, of a group, or of the rows above it) that must agree with the units it covers,
//! or blank. Anything else is named with its row and cell, and nothing is imported.

use std::collections::HashSet;

use super::Context;
use super::layout::{Layout, at_row, unit_cell};
use super::names::{Miss, area, loose};
use super::numbers::{Why, count, count_of_number, is_excel_error};
use super::sheet::{Cell, Sheet};
use crate::diag::Diagnostics;
use crate::t;
use crate::words::messages::{Count, Text};

/// Figures by locality index, then indicator index; `None` for an empty cell or a unit
/// not in the sheet.
pub(super) type Table = Vec<Vec<Option<u64>>>;

/// What a row below the headings is.
enum Row {
    Blank,
    Unit(usize),
    /// A total of every unit.
    Total,
    /// A group's total (by group index).
    Group(usize),
    /// A total of the units since the last total or group row.
    Subtotal,
    /// Not a unit of the site: already reported.
    Unknown,
}

/// Labels of total rows, compared without case or diacritics: "Tổng cộng", "Cộng", …
const TOTALS: [&str; 9] =
    ["tong cong", "tong so", "tong", "cong", "toan thanh pho", "toan tinh", "toan quoc", "toan dia ban", "total"];

/// What the reading of the rows found: the figures, and what to tell about it.
pub(super) struct Read {
    pub table: Table,
    /// Rows with a unit's figures.
    pub unit_rows: usize,
    /// One line per total row: which row, and that its units add up to it.
    pub totals: Vec<Text>,
}

pub(super) fn read(ctx: &Context, sheet: &Sheet, layout: &Layout, diags: &mut Diagnostics) -> Read {
    let m = ctx.indicators.len();
    let mut table: Table = vec![vec![None; m]; ctx.localities.len()];
    let mut seen: Vec<Option<usize>> = vec![None; ctx.localities.len()];
    // Units in the order of their rows, for the totals: (row, locality).
    let mut units: Vec<(usize, usize)> = Vec::new();
    let mut totals = Vec::new();
    // Figures that could not be read, by (locality, indicator): totals that count them are
    // not checked, which would only repeat their error.
    let mut unreadable: Vec<(usize, usize)> = Vec::new();
    // Total rows to check: the row, and the units it covers (`None`: every unit).
    let mut pending: Vec<(usize, Option<Vec<usize>>)> = Vec::new();
    let mut since = 0usize;
    // Rows that name no unit of the site, or name one badly.
    let mut refused = 0usize;
    // Rows of a unit already given: (row, its first row, locality).
    let mut twice: Vec<(usize, usize, usize)> = Vec::new();
    // Figures that are no count of people.
    let mut bad: Vec<BadFigure> = Vec::new();
    let claimed = claimed(ctx, sheet, layout);
    for r in layout.headings.1 + 1..sheet.rows.len() {
        let kind = classify(ctx, sheet, layout, r, &claimed, diags);
        match kind {
            Row::Blank => continue,
            Row::Unknown => {
                refused += 1;
                continue;
            }
            Row::Unit(l) => {
                if let Some(first) = seen[l] {
                    twice.push((r, first, l));
                    continue;
                }
                seen[l] = Some(r);
                for column in &layout.columns {
                    match figure(ctx, sheet, r, column.col, column.indicator) {
                        Ok(v) => table[l][column.indicator] = v,
                        Err((why, message)) => {
                            unreadable.push((l, column.indicator));
                            bad.push(BadFigure { row: r, col: column.col, indicator: column.indicator, why, message });
                        }
                    }
                }
                units.push((r, l));
            }
            Row::Total | Row::Group(_) | Row::Subtotal => {
                let covered = match kind {
                    Row::Group(g) => Some(ctx.groups[g].members.clone()),
                    Row::Subtotal => Some(units[since..].iter().map(|&(_, l)| l).collect()),
                    _ => None,
                };
                pending.push((r, covered));
                since = units.len();
            }
        }
    }
    given_twice(ctx, sheet, layout, &twice, units.len(), &table, diags);
    bad_figures(ctx, sheet, bad, diags);
    // Checked once every unit is read: a group's row, or the grand total, may come first.
    // Not when a row was refused: its total could only repeat the row's error.
    if refused > 0 {
        pending.clear();
    }
    let everyone: Vec<usize> = units.iter().map(|&(_, l)| l).collect();
    for (r, covered) in pending {
        // Of a group's units, those the sheet has.
        let covered: Vec<usize> =
            covered.unwrap_or_else(|| everyone.clone()).into_iter().filter(|&l| seen[l].is_some()).collect();
        if let Some(line) = check_total(ctx, sheet, layout, r, &covered, (&table, &unreadable), diags) {
            totals.push(line);
        }
    }
    Read { table, unit_rows: units.len(), totals }
}

/// The units some row names for sure: a bare name ambiguous between two of them is not one
/// that has a row of its own ("Vị Thanh" beside "Vị Thanh 1" is Phường Vị Thanh).
fn claimed(ctx: &Context, sheet: &Sheet, layout: &Layout) -> HashSet<usize> {
    (layout.headings.1 + 1..sheet.rows.len())
        .filter_map(|r| match sheet.cell(r, layout.units) {
            Cell::Text(name) => ctx.matcher.find(name).ok(),
            _ => None,
        })
        .collect()
}

/// Units given twice. Many of them, again from one row on: a second table below the first
/// (Biểu 02 under Biểu 01), said once. Otherwise each, with both rows' figures: the same
/// twice is a copy to remove; two different figures are for the office to settle.
fn given_twice(
    ctx: &Context,
    sheet: &Sheet,
    layout: &Layout,
    twice: &[(usize, usize, usize)],
    units: usize,
    table: &Table,
    diags: &mut Diagnostics,
) {
    let Some(&(start, first, _)) = twice.first() else { return };
    let mut repeated: Vec<usize> = twice.iter().map(|&(_, _, l)| l).collect();
    repeated.sort_unstable();
    repeated.dedup();
    if repeated.len() >= 3 && repeated.len() * 2 >= units {
        let (row, first) = (sheet.numbers[start], sheet.numbers[first]);
        diags.push(
            at_row(ctx, sheet, start, t!("import_second_table", row, first, n = repeated.len()))
                .help(t!("import_second_table_help")),
        );
        return;
    }
    for &(r, first, l) in twice {
        let figures = |values: Vec<Option<u64>>| -> Vec<Text> {
            layout
                .columns
                .iter()
                .zip(values)
                .map(|(c, v)| {
                    let indicator = ctx.indicators[c.indicator].short.as_str();
                    match v {
                        Some(v) => t!("import_figure_of", indicator, value = Count(v)),
                        None => t!("import_figure_none", indicator),
                    }
                })
                .collect()
        };
        let before: Vec<Option<u64>> = layout.columns.iter().map(|c| table[l][c.indicator]).collect();
        let here: Vec<Option<u64>> =
            layout.columns.iter().map(|c| figure(ctx, sheet, r, c.col, c.indicator).ok().flatten()).collect();
        let help = if before == here { t!("import_unit_twice_same_help") } else { t!("import_unit_twice_help") };
        let message = t!(
            "import_unit_twice",
            name = &ctx.localities[l].label,
            row = sheet.numbers[first],
            before = figures(before),
            here = figures(here)
        );
        diags.push(at_row(ctx, sheet, r, message).help(help));
    }
}

/// A figure that is no count of people, and why.
struct BadFigure {
    row: usize,
    col: usize,
    indicator: usize,
    why: Why,
    message: Text,
}

/// Figures that are no count of people. A column where several are, for the same reason,
/// is said once: most likely the wrong column (rates, "88,00%"), not many typing mistakes.
fn bad_figures(ctx: &Context, sheet: &Sheet, bad: Vec<BadFigure>, diags: &mut Diagnostics) {
    let mut groups: std::collections::BTreeMap<(usize, Why), Vec<BadFigure>> = Default::default();
    for b in bad {
        groups.entry((b.col, b.why)).or_default().push(b);
    }
    for ((col, why), rows) in groups {
        if rows.len() < 3 {
            for b in rows {
                diags.push(at_row(ctx, sheet, b.row, b.message).help(t!("import_figure_help")));
            }
            continue;
        }
        let (r, indicator) = (rows[0].row, rows[0].indicator);
        let shown = sheet.cell(r, col).shown();
        let help = if rows.iter().any(|b| sheet.cell(b.row, col).shown().contains('%')) {
            t!("import_percent_column_help", indicator = ctx.indicators[indicator].short.as_str())
        } else {
            t!("import_figure_help")
        };
        let message = t!(
            "import_bad_column",
            column = sheet.column(col),
            n = rows.len(),
            // D17 in a workbook; in a text file, the row (the column is said already).
            cell = if sheet.workbook { sheet.address(r, col) } else { t!("import_row", row = sheet.numbers[r]) },
            shown,
            why = Text::new(why, Vec::new())
        );
        diags.push(at_row(ctx, sheet, r, message).help(help));
    }
}

/// What row `r` is, reporting a name that is no unit, and figures without a unit.
fn classify(
    ctx: &Context,
    sheet: &Sheet,
    layout: &Layout,
    r: usize,
    claimed: &HashSet<usize>,
    diags: &mut Diagnostics,
) -> Row {
    // Words in a column of figures (a signature's "Giám đốc" below the table) are no figures.
    let figures_here = layout.columns.iter().any(|c| match sheet.cell(r, c.col) {
        Cell::Empty => false,
        Cell::Text(t) => count(t).is_ok_and(|v| v.is_some()) || is_excel_error(t),
        Cell::Number(_) | Cell::Error(_) => true,
    });
    if column_numbers(sheet, r) {
        return Row::Blank;
    }
    // A total's label may stand in another column than the units' (the names' column,
    // beside a column of codes).
    let label = || {
        (0..sheet.width())
            .filter(|&c| c != layout.units && !layout.columns.iter().any(|f| f.col == c))
            .filter_map(|c| sheet.cell(r, c).text())
            .find_map(|t| total_kind(ctx, t))
    };
    let name = match sheet.cell(r, layout.units) {
        Cell::Empty => {
            if let Some(kind) = label() {
                return kind;
            }
            if figures_here {
                diags.push(
                    at_row(ctx, sheet, r, t!("import_figures_without_unit"))
                        .help(t!("import_figures_without_unit_help")),
                );
                return Row::Unknown;
            }
            return Row::Blank;
        }
        Cell::Number(x) => format!("{x}"),
        cell => cell.shown(),
    };
    let miss = match ctx.matcher.find(&name) {
        Ok(l) => {
            // Names beside codes: a row whose two say different units is not guessed at.
            let other = layout.check.and_then(|c| unit_cell(sheet.cell(r, c)).map(|v| (c, v)));
            if let Some((c, value)) = other
                && let Ok(k) = ctx.matcher.find(&value)
                && k != l
            {
                diags.push(
                    at_row(
                        ctx,
                        sheet,
                        r,
                        t!(
                            "import_name_and_code_differ",
                            name_cell = sheet.address(r, layout.units),
                            name = name.as_str(),
                            code_cell = sheet.address(r, c),
                            code = value.as_str(),
                            first = &ctx.localities[l].name,
                            second = &ctx.localities[k].name
                        ),
                    )
                    .help(t!("import_name_and_code_differ_help")),
                );
                return Row::Unknown;
            }
            return Row::Unit(l);
        }
        Err(Miss::Ambiguous(found)) => {
            if let [one] = found.iter().copied().filter(|l| !claimed.contains(l)).collect::<Vec<_>>()[..] {
                return Row::Unit(one);
            }
            // The row's province says which.
            let group = layout.groups.and_then(|c| sheet.cell(r, c).text()).map(|t| area(&loose(t)));
            if let Some(group) = group {
                let in_group = |&l: &usize| ctx.localities[l].group.is_some_and(|g| ctx.group_keys[g] == group);
                if let [one] = found.iter().copied().filter(in_group).collect::<Vec<_>>()[..] {
                    return Row::Unit(one);
                }
            }
            let miss = Miss::Ambiguous(found);
            diags.push_with_help(at_row(ctx, sheet, r, ctx.matcher.message(&name, &miss)), || {
                ctx.matcher.help(&name, &miss)
            });
            return Row::Unknown;
        }
        Err(miss) => miss,
    };
    if let Some(kind) = total_kind(ctx, &name) {
        return kind;
    }
    // A row that is neither a unit nor a total but holds no figures is a note or a
    // section heading: left alone.
    if !figures_here {
        return Row::Blank;
    }
    diags.push_with_help(at_row(ctx, sheet, r, ctx.matcher.message(&name, &miss)), || ctx.matcher.help(&name, &miss));
    Row::Unknown
}

/// Whether `name` labels a total: of the city ("Tổng cộng", the city's name), of a
/// group (its name, with or without "Cộng" or a section number before it), or of the
/// rows above ("Cộng").
fn total_kind(ctx: &Context, name: &str) -> Option<Row> {
    let key = loose(name);
    let is_number = |n: &str| !n.is_empty() && n.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | '0'..='9'));
    // "I. Cần Thơ cũ", "II - Hậu Giang cũ", "III HẬU GIANG CŨ": a section number before a
    // group's name.
    let unnumbered = key
        .split_once(['.', '-', ')'])
        .filter(|(n, _)| is_number(n.trim()))
        .or_else(|| key.split_once(' ').filter(|(n, _)| is_number(n)))
        .map_or(key.as_str(), |(_, rest)| rest.trim());
    let city = loose(&ctx.city.name);
    let group = |text: &str| {
        let text = area(text);
        ctx.group_keys.iter().position(|g| *g == text)
    };
    for word in TOTALS {
        let Some(rest) = unnumbered.strip_prefix(word) else { continue };
        if !rest.is_empty() && !rest.starts_with([' ', ':']) {
            continue;
        }
        let rest = rest.trim_start_matches([' ', ':']).trim();
        if rest.is_empty() || rest == city || city.ends_with(rest) {
            return Some(if word == "cong" && rest.is_empty() { Row::Subtotal } else { Row::Total });
        }
        if let Some(g) = group(rest) {
            return Some(Row::Group(g));
        }
    }
    if unnumbered == city {
        return Some(Row::Total);
    }
    group(unnumbered).map(Row::Group)
}

/// The row of column numbers under the headings ("A | B | 1 | 2 | 3"): letters and
/// the numbers 1, 2, 3… in order, nothing else.
fn column_numbers(sheet: &Sheet, r: usize) -> bool {
    let cells: Vec<&Cell> = sheet.rows[r].iter().filter(|c| !c.is_empty()).collect();
    let mut numbers = Vec::new();
    for cell in &cells {
        let number = match cell {
            Cell::Number(x) if x.fract() == 0.0 => Some(*x),
            Cell::Text(t) => t.trim().parse::<u32>().ok().map(f64::from),
            _ => None,
        };
        match (number, cell) {
            (Some(n), _) if (1.0..=60.0).contains(&n) => numbers.push(n),
            (None, Cell::Text(t)) if t.trim().chars().count() == 1 && t.trim().chars().all(char::is_alphabetic) => {}
            _ => return false,
        }
    }
    cells.len() >= 3 && numbers.len() >= 2 && numbers.windows(2).all(|w| w[1] == w[0] + 1.0)
}

/// The figure of a unit's cell: `None` for an empty cell or a dash, or why it is none.
fn figure(ctx: &Context, sheet: &Sheet, r: usize, col: usize, indicator: usize) -> Result<Option<u64>, (Why, Text)> {
    let id = ctx.indicators[indicator].short.as_str();
    let cell = sheet.cell(r, col);
    let result = match cell {
        Cell::Empty => Ok(None),
        Cell::Number(x) => count_of_number(*x).map(Some),
        Cell::Text(t) => count(t),
        Cell::Error(_) => Err("cell_excel_error"),
    };
    result.map_err(|key| {
        let (shown, why) = (cell.shown(), Text::new(key, Vec::new()));
        let message = if sheet.workbook {
            t!("import_bad_figure_at", cell = sheet.address(r, col), id, shown, why)
        } else {
            t!("import_bad_figure", id, shown, why)
        };
        (key, message)
    })
}

/// Checks a total row against the sum of the units it covers, for each indicator: a
/// line for the summary when they agree, an error for each that does not.
fn check_total(
    ctx: &Context,
    sheet: &Sheet,
    layout: &Layout,
    r: usize,
    covered: &[usize],
    figures: (&Table, &[(usize, usize)]),
    diags: &mut Diagnostics,
) -> Option<Text> {
    let (table, unreadable) = figures;
    // The row's label: in the units' column, or the first words beside it.
    let label = (0..sheet.width())
        .filter(|&c| !layout.columns.iter().any(|f| f.col == c))
        .filter_map(|c| sheet.cell(r, c).text())
        .find(|t| total_kind(ctx, t).is_some())
        .unwrap_or_default()
        .to_owned();
    let mut checked = 0;
    for column in &layout.columns {
        let cell = sheet.cell(r, column.col);
        if cell.is_empty() || cell.text().is_some_and(|t| count(t) == Ok(None)) {
            continue;
        }
        let total = match cell {
            Cell::Number(x) => count_of_number(*x).ok(),
            Cell::Text(t) if !is_excel_error(t) => count(t).ok().flatten(),
            _ => None,
        };
        let id = &ctx.indicators[column.indicator].id;
        if covered.iter().any(|&l| unreadable.contains(&(l, column.indicator))) {
            continue;
        }
        let Some(total) = total else {
            diags.push(
                at_row(
                    ctx,
                    sheet,
                    r,
                    t!("import_total_not_a_number", cell = sheet.address(r, column.col), id, shown = cell.shown()),
                )
                .help(t!("import_total_not_a_number_help")),
            );
            continue;
        };
        let sum: u64 = covered.iter().filter_map(|&l| table[l][column.indicator]).sum();
        checked += 1;
        if sum != total {
            diags.push(
                at_row(
                    ctx,
                    sheet,
                    r,
                    t!(
                        "import_total_differs",
                        cell = sheet.address(r, column.col),
                        label = label.as_str(),
                        id,
                        total,
                        n = covered.len(),
                        sum
                    ),
                )
                .help(t!("import_total_differs_help")),
            );
            return None;
        }
    }
    (checked > 0).then(|| t!("import_total_agrees", row = sheet.numbers[r], label, n = covered.len()))
}
