//! How an office's sheet is laid out, found by its content: the heading rows (one, or an
//! indicator over *Kế hoạch | Thực hiện | Tỷ lệ* on two), the column of units, and the
//! column of each indicator's figures. Title rows above, an STT column, codes, notes and
//! rates beside are recognised and left alone. A column is taken as an indicator's
//! figures only when nothing else could be meant; a column of values under no heading
//! is an error, never dropped.

use super::Context;
use super::names::{Miss, area, loose};
use super::sheet::{Cell, Sheet};
use crate::diag::{Diagnostic, Diagnostics, did_you_mean, known_list, sole_best};
use crate::t;
use crate::words::messages::Text;

/// Headings that name the column of figures under an indicator.
const ACTUAL: &[&str] = &[
    "thuc hien",
    "so thuc hien",
    "ket qua",
    "ket qua thuc hien",
    "so nguoi",
    "so nguoi tham gia",
    "so tham gia",
    "da thuc hien",
    "luy ke",
    "luy ke thuc hien",
    "th",
    "so luy ke",
    "so lieu",
    "actual",
    "figure",
    "figures",
];

/// Headings of columns that are not figures: left alone.
const OTHER: &[&str] = &[
    "stt",
    "tt",
    "so tt",
    "ma",
    "ma so",
    "ma don vi",
    "ma dvhc",
    "ma xa",
    "ghi chu",
    "don vi",
    "ten don vi",
    "don vi hanh chinh",
    "dia phuong",
    "phuong xa",
    "phuong, xa",
    "phuong/xa",
    "xa phuong",
    "xa, phuong",
    "xa/phuong",
    "tinh",
    "tinh, thanh pho",
    "tinh/thanh pho",
    "tinh, thanh",
    "ke hoach",
    "ke hoach giao",
    "kh",
    "chi tieu",
    "chi tieu giao",
    "ty le",
    "ty le (%)",
    "ti le",
    "ti le (%)",
    "%",
    "so voi ke hoach",
    "dat",
    "dat (%)",
    "note",
    "notes",
    "code",
    "unit",
    "units",
    "rate",
    "target",
    "plan",
];

/// What the layout of a sheet is.
pub(super) struct Layout {
    /// The first and last heading rows.
    pub headings: (usize, usize),
    /// The column of the units' names, codes or ids.
    pub units: usize,
    /// Another column that names the units (names beside codes): each row's two must agree.
    pub check: Option<usize>,
    /// The column of each indicator's figures, in column order.
    pub columns: Vec<Column>,
    /// The sheet's title, from a row above the headings.
    pub title: Option<String>,
    /// Columns of numbers under a heading that is no indicator ("Dân số", "Ngày cập nhật"),
    /// left out and listed in the summary: (column, heading).
    pub left_out: Vec<(usize, String)>,
    /// Columns of another month's figures under an indicator ("Tháng 9" beside
    /// "Tháng 10"), left out and listed: (column, heading).
    pub other_months: Vec<(usize, String)>,
    /// A column of the units' groups (a national sheet's provinces), which tells apart
    /// units of the same name.
    pub groups: Option<usize>,
}

pub(super) struct Column {
    pub indicator: usize,
    pub col: usize,
    /// How it was found, for the summary: `"BHYT", "Thực hiện" below it`.
    pub heading: Text,
}

/// Words of headings over numbers that are not an indicator's figures, though they may
/// name one: "Tỷ lệ BHYT (%)", "Kế hoạch BHXH tự nguyện", "Dân số".
const NOT_FIGURES: &[&str] = &["ty le", "ti le", "%", "ke hoach", "kh", "chi tieu", "dan so", "so voi", "ngay"];

/// The indicator a heading names: by id, name, short name or alias, compared without
/// case or diacritics; or, failing that, the one indicator whose name or short name the
/// heading holds as words, as offices write them ("BHXH tự nguyện\n(người)", "Số người
/// tham gia\nBHXH tự nguyện", "BHYT lũy kế"), unless it is a rate, a plan or a population.
pub(super) fn indicator_of(ctx: &Context, heading: &str) -> Option<usize> {
    let key = loose(heading);
    if key.is_empty() {
        return None;
    }
    let names = |ind: &crate::model::Indicator| {
        [ind.id.clone(), ind.name.clone(), ind.short.clone()].into_iter().chain(ind.aliases.clone())
    };
    if let Some(i) = ctx.indicators.iter().position(|ind| names(ind).any(|name| loose(&name) == key)) {
        return Some(i);
    }
    let words = words(&key);
    if not_figures(heading) {
        return None;
    }
    // The longest name held wins ("BHXH tự nguyện" over "BHXH"); two as long, none.
    let held = ctx.indicators.iter().enumerate().filter_map(|(i, ind)| {
        let longest = names(ind)
            .map(|n| {
                loose(&n).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
            })
            .filter(|n| n.len() >= 3 && words.contains(&format!(" {n} ")))
            .map(|n| n.len())
            .max()?;
        Some((std::cmp::Reverse(longest), i))
    });
    sole_best(held)
}

/// The words of a loose heading, each between spaces: " bhyt luy ke ".
fn words(key: &str) -> String {
    let words: String = key.chars().map(|c| if c.is_alphanumeric() || c == '%' { c } else { ' ' }).collect();
    format!(" {} ", words.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether a heading says its numbers are no indicator's figures: a rate, a plan, a
/// population, a date, an ordinal.
fn not_figures(heading: &str) -> bool {
    let words = words(&loose(heading));
    is_other(heading) || NOT_FIGURES.iter().any(|w| words.contains(&format!(" {w} ")))
}

fn is_actual(heading: &str) -> bool {
    ACTUAL.contains(&loose(heading).trim_end_matches(':'))
}

fn is_other(heading: &str) -> bool {
    let key = loose(heading);
    OTHER.contains(&key.trim_end_matches(':')) || key.starts_with("ty le") || key.starts_with("ghi chu")
}

/// A problem at row `row` of the sheet (its number as the reader sees it).
pub(super) fn at_row(ctx: &Context, sheet: &Sheet, row: usize, message: Text) -> Diagnostic {
    Diagnostic { line: sheet.numbers.get(row).copied().unwrap_or(0), ..Diagnostic::error(ctx.shown, message) }
}

/// Finds the layout of `sheet`, or reports why it cannot be read safely.
pub(super) fn layout(ctx: &Context, sheet: &Sheet, diags: &mut Diagnostics) -> Option<Layout> {
    let Some(row) = heading_row(ctx, sheet) else {
        let names = ctx.indicators.iter().map(|i| i.short.as_str());
        // What was read, so that the officer sees which headings were looked at.
        let read: Vec<Text> = (0..sheet.rows.len().min(6))
            .filter_map(|r| {
                let texts: Vec<String> = sheet.rows[r].iter().filter_map(Cell::text).map(super::names::clean).collect();
                let cells = texts.join(" | ");
                (!texts.is_empty()).then(|| t!("import_row_read", row = sheet.numbers[r], cells))
            })
            .collect();
        diags.push(
            Diagnostic::error(ctx.shown, t!("import_no_indicator_column", read))
                .help(t!("import_no_indicator_column_help", known = known_list("", names))),
        );
        return None;
    };
    let sub = (row + 1 < sheet.rows.len()).then_some(row + 1).filter(|&r| {
        let month = |t: &str| super::dates::heading_month(t, ctx.as_of).is_some();
        sheet.rows[r].iter().filter_map(Cell::text).any(|t| is_actual(t) || is_other(t) || month(t))
    });
    let last = sub.unwrap_or(row);
    let (units, check) = units_columns(ctx, sheet, last + 1);
    let Some(units) = units else {
        diags.push(at_row(ctx, sheet, row, t!("import_no_unit_column")).help(t!("import_no_unit_column_help")));
        return None;
    };
    // Problems with single columns are reported, and the rows still read, so that one run
    // names every problem; nothing is written while there is one.
    let Found { columns, unknown, other_months } = figure_columns(ctx, sheet, row, sub, units, diags);
    unnamed_values(ctx, sheet, row, last, units, &columns, diags);
    // A column of numbers under a heading that is no indicator is left out when the
    // heading says what it is (a population, a rate, a plan, a date), or when every
    // indicator has its column; when one has none, it may be that one, misnamed.
    let complete = (0..ctx.indicators.len()).all(|i| columns.iter().any(|c| c.indicator == i));
    let (left_out, unknown): (Vec<_>, Vec<_>) =
        unknown.into_iter().partition(|(_, heading)| complete || not_figures(heading));
    for (_, heading) in &unknown {
        unknown_heading(ctx, sheet, row, heading, diags);
    }
    let groups = groups_column(ctx, sheet, last + 1, units);
    Some(Layout {
        headings: (row, last),
        units,
        check,
        columns,
        title: title(sheet, row),
        left_out,
        other_months,
        groups,
    })
}

/// The row with the most headings that name an indicator, among the first rows; of two
/// as many, the one with more headings, for a title ("BÁO CÁO KẾT QUẢ BHXH TỰ NGUYỆN
/// THÁNG 10/2025") names an indicator too, alone on its row.
fn heading_row(ctx: &Context, sheet: &Sheet) -> Option<usize> {
    let mut best: Option<(usize, (usize, usize))> = None;
    for (r, cells) in sheet.rows.iter().enumerate().take(40) {
        let texts = || cells.iter().filter_map(Cell::text);
        let score = (texts().filter(|t| indicator_of(ctx, t).is_some()).count(), texts().count());
        if score.0 > 0 && best.is_none_or(|(_, m)| score > m) {
            best = Some((r, score));
        }
    }
    best.map(|(r, _)| r)
}

/// The column in which the most cells below `from` name exactly one unit of the site (a
/// column of codes beats a column of names that repeat across provinces), and another
/// column that names units too, to check the first against: names beside codes.
fn units_columns(ctx: &Context, sheet: &Sheet, from: usize) -> (Option<usize>, Option<usize>) {
    let mut scores: Vec<(usize, usize, usize)> = Vec::new();
    // The first rows tell: a sheet of a million rows is not read twice.
    let rows = from..sheet.rows.len().min(from + 5000);
    for col in 0..sheet.width() {
        let (mut sure, mut known) = (0, 0);
        for r in rows.clone() {
            let Some(name) = unit_cell(sheet.cell(r, col)) else { continue };
            match ctx.matcher.find(&name) {
                Ok(_) => sure += 1,
                Err(Miss::Ambiguous(_)) => known += 1,
                Err(_) => {}
            }
        }
        if sure + known > 0 {
            scores.push((sure, known, col));
        }
    }
    // Most sure, then most known, then leftmost.
    scores.sort_by(|a, b| (b.0, b.1, a.2).cmp(&(a.0, a.1, b.2)));
    let best = scores.first().copied();
    let second = scores.get(1).copied().filter(|&(sure, ..)| best.is_some_and(|b| sure * 2 >= b.0 && sure > 0));
    (best.map(|b| b.2), second.map(|s| s.2))
}

/// The column, other than the units', in which most texts name a group of the site:
/// "Tỉnh Đồng Tháp" beside each "Xã Tân Thành".
fn groups_column(ctx: &Context, sheet: &Sheet, from: usize, units: usize) -> Option<usize> {
    if ctx.groups.is_empty() {
        return None;
    }
    let names: std::collections::HashSet<&str> = ctx.group_keys.iter().map(String::as_str).collect();
    let rows = from..sheet.rows.len().min(from + 5000);
    (0..sheet.width())
        .filter(|&c| c != units)
        .map(|c| {
            let texts: Vec<&str> = rows.clone().filter_map(|r| sheet.cell(r, c).text()).collect();
            let named = texts.iter().filter(|t| names.contains(area(&loose(t)).as_str())).count();
            (c, named, texts.len())
        })
        .filter(|&(_, named, texts)| named > 0 && named * 2 >= texts)
        .max_by_key(|&(c, named, _)| (named, std::cmp::Reverse(c)))
        .map(|(c, ..)| c)
}

/// The text of a cell that may name a unit: its text, or a whole number (a code).
pub(super) fn unit_cell(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Text(t) => Some(t.clone()),
        Cell::Number(x) if x.fract() == 0.0 && *x >= 0.0 => Some(format!("{x}")),
        _ => None,
    }
}

/// What the headings say of the columns: each indicator's, those of numbers under no
/// indicator, and those of another month under one.
struct Found {
    columns: Vec<Column>,
    unknown: Vec<(usize, String)>,
    other_months: Vec<(usize, String)>,
}

/// The column of each indicator's figures: the column of its heading, or, with headings
/// on two rows, the one column below it headed as the figures (*Thực hiện*) or as the
/// month imported (*Tháng 10* beside *Tháng 9*).
fn figure_columns(
    ctx: &Context,
    sheet: &Sheet,
    row: usize,
    sub: Option<usize>,
    units: usize,
    diags: &mut Diagnostics,
) -> Found {
    let width = sheet.width();
    let mut columns: Vec<Column> = Vec::new();
    let mut unknown = Vec::new();
    let mut other_months = Vec::new();
    for col in 0..width {
        let Some(heading) = sheet.cell(row, col).text() else { continue };
        if col == units {
            continue;
        }
        // Shown on one line, as it reads: "BHXH tự nguyện (người)".
        let shown = super::names::clean(heading);
        let Some(indicator) = indicator_of(ctx, heading) else {
            if !is_other(heading) && has_numbers(sheet, row + 1, col) {
                unknown.push((col, shown));
            }
            continue;
        };
        let heading = shown.as_str();
        // The columns under a heading run to the next heading of its row.
        let end = (col + 1..width).find(|&c| !sheet.cell(row, c).is_empty()).unwrap_or(width);
        let chosen = match sub {
            Some(sub) if (col..end).any(|c| !sheet.cell(sub, c).is_empty()) => {
                let mut actual: Vec<usize> =
                    (col..end).filter(|&c| sheet.cell(sub, c).text().is_some_and(is_actual)).collect();
                let month =
                    |c: usize| sheet.cell(sub, c).text().and_then(|t| super::dates::heading_month(t, ctx.as_of));
                let this_month: Vec<usize> = (col..end).filter(|&c| month(c) == Some(true)).collect();
                if actual.is_empty() && this_month.len() == 1 {
                    actual.clone_from(&this_month);
                    let below = |c: usize| format!("{heading}, {}", super::names::clean(&sheet.cell(sub, c).shown()));
                    other_months.extend((col..end).filter(|&c| month(c) == Some(false)).map(|c| (c, below(c))));
                }
                if actual.len() != 1 {
                    let under: Vec<Text> = (col..end)
                        .map(|c| {
                            t!("import_column_shown", column = sheet.column(c), shown = sheet.cell(sub, c).shown())
                        })
                        .collect();
                    let months = (col..end).any(|c| month(c).is_some());
                    let message = if actual.is_empty() && this_month.is_empty() && months {
                        let month = format!("{:02}/{}", ctx.as_of.month(), ctx.as_of.year());
                        diags.push(
                            at_row(ctx, sheet, sub, t!("import_no_month_column", heading, month, under)).help(t!(
                                "import_no_month_column_help",
                                as_of = ctx.as_of,
                                m = ctx.as_of.month()
                            )),
                        );
                        continue;
                    } else if actual.is_empty() {
                        t!("import_no_figures_column", heading, under)
                    } else {
                        t!("import_several_figures_columns", heading, under)
                    };
                    diags.push(at_row(ctx, sheet, sub, message).help(t!("import_figures_column_help")));
                    continue;
                }
                let c = actual[0];
                (c, t!("import_heading_below", heading, below = sheet.cell(sub, c).shown()))
            }
            _ => (col, t!("import_heading", heading)),
        };
        if let Some(first) = columns.iter().find(|c| c.indicator == indicator) {
            diags.push(
                at_row(ctx, sheet, row, t!("import_column_twice", indicator = &ctx.indicators[indicator].short))
                    .help(t!("import_column_twice_help", first = sheet.column(first.col), second = sheet.column(col))),
            );
            continue;
        }
        columns.push(Column { indicator, col: chosen.0, heading: chosen.1 });
    }
    Found { columns, unknown, other_months }
}

/// A column of numbers under a heading that is no indicator, while an indicator has no
/// column: an error, for it may be that indicator's.
fn unknown_heading(ctx: &Context, sheet: &Sheet, row: usize, heading: &str, diags: &mut Diagnostics) {
    // Offices head columns with names, so names are what is suggested.
    let known = ctx.indicators.iter().map(|i| i.short.as_str());
    let help = match did_you_mean(heading, known.clone()) {
        Some(close) => t!("import_heading_unknown_close", close, known = known_list(heading, known)),
        None => t!("import_heading_unknown_help", known = known_list(heading, known)),
    };
    diags.push(at_row(ctx, sheet, row, t!("import_heading_unknown", heading)).help(help));
}

fn has_numbers(sheet: &Sheet, from: usize, col: usize) -> bool {
    (from..sheet.rows.len()).any(|r| match sheet.cell(r, col) {
        Cell::Number(_) | Cell::Error(_) => true,
        Cell::Text(t) => super::numbers::count(t).is_ok_and(|v| v.is_some()),
        Cell::Empty => false,
    })
}

/// Values in a column without any heading are never dropped silently: they are most
/// likely figures whose heading was lost (the office's second heading row deleted, the
/// indicator's name left over the plan). Columns before the units holding row numbers
/// (an unheaded STT) are the one exception.
fn unnamed_values(
    ctx: &Context,
    sheet: &Sheet,
    row: usize,
    last: usize,
    units: usize,
    columns: &[Column],
    diags: &mut Diagnostics,
) {
    for col in 0..sheet.width() {
        if col == units || columns.iter().any(|c| c.col == col) {
            continue;
        }
        if (row..=last).any(|r| !sheet.cell(r, col).is_empty()) {
            continue;
        }
        let values: Vec<usize> = (last + 1..sheet.rows.len()).filter(|&r| !sheet.cell(r, col).is_empty()).collect();
        let Some(&first) = values.first() else { continue };
        if col < units
            && values.iter().all(|&r| {
                matches!(sheet.cell(r, col), Cell::Number(_) | Cell::Text(_)) && row_number(sheet.cell(r, col))
            })
        {
            continue;
        }
        let left = (0..col).rev().find_map(|c| sheet.cell(row, c).text().map(|t| (c, t)));
        let help = match left.and_then(|(c, t)| indicator_of(ctx, t).map(|_| (c, t))) {
            Some((c, heading)) => t!("import_unheaded_values_plan_help", heading, column = sheet.column(c)),
            None => t!("import_unheaded_values_help"),
        };
        let (column, cell, shown) = (sheet.column(col), sheet.address(first, col), sheet.cell(first, col).shown());
        diags.push(at_row(ctx, sheet, first, t!("import_unheaded_values", column, cell, shown)).help(help));
    }
}

/// Whether a cell holds a row number (1, 2, …) or a roman numeral of a section (I, II).
fn row_number(cell: &Cell) -> bool {
    match cell {
        Cell::Number(x) => x.fract() == 0.0 && *x >= 0.0,
        Cell::Text(t) => {
            let t = t.trim().trim_end_matches('.');
            !t.is_empty()
                && (t.bytes().all(|b| b.is_ascii_digit()) || t.bytes().all(|b| matches!(b, b'I' | b'V' | b'X' | b'L')))
        }
        _ => false,
    }
}

/// The sheet's title: a row above the headings with a single text, the one that says
/// it is a report ("Báo cáo …") when there are several.
fn title(sheet: &Sheet, headings: usize) -> Option<String> {
    let titles: Vec<String> = (0..headings)
        .filter_map(|r| {
            let texts: Vec<&str> = sheet.rows[r].iter().filter_map(Cell::text).collect();
            (texts.len() == 1).then(|| super::names::clean(texts[0]))
        })
        .filter(|t| t.chars().count() > 3)
        .collect();
    titles.iter().find(|t| loose(t).starts_with("bao cao")).or(titles.last()).cloned()
}
