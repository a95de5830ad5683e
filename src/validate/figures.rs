//! Targets and reports: the numbers, checked against the localities and indicators.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Ids, error_at, whole_number};
use crate::date::{Date, DateError, MAX_YEAR, MIN_YEAR};
use crate::diag::{Diagnostic, Diagnostics};
use crate::format::plain_count;
use crate::load::reports::RawReport;
use crate::load::targets::{RawCoverage, RawTarget, RawTargets};
use crate::load::yaml::{At, Scalar};
use crate::load::{Loaded, SourceFile};
use crate::model::{Figure, Grid, IndicatorKind, Report, YearTargets};
use crate::progress::{Goal, Rate, RateError};

/// The targets files, checked.
pub(super) struct Targets {
    pub years: Vec<YearTargets>,
    /// For each of `years`, the cells its file gives a target for, valid or not: a rejected
    /// target has its own error and is not also reported missing.
    given: Vec<Grid<bool>>,
    /// Years whose targets file has errors, or could not be read: their reports are not
    /// also told that there are no targets, which would send the reader to the wrong file.
    broken: Vec<i32>,
}

/// Checks the targets files; `unreadable` are the site's files that could not be read or
/// parsed, whose targets files count as broken.
pub(super) fn targets(
    files: &[Loaded<RawTargets>],
    unreadable: &[String],
    ids: &Ids,
    diags: &mut Diagnostics,
) -> Targets {
    let mut years: Vec<(YearTargets, Grid<bool>)> = Vec::new();
    let mut broken: Vec<i32> = unreadable
        .iter()
        .filter(|rel| rel.starts_with(crate::load::TARGETS_DIR))
        .filter_map(|rel| named_year(rel))
        .collect();
    let mut seen: HashMap<i32, &str> = HashMap::new();
    for Loaded { file, raw } in files {
        let mut found = Diagnostics::new();
        let checked = year_targets(file, raw, ids, &mut seen, &mut found);
        if found.has_errors() {
            // The year it gives, and the one its name gives: `2025.yaml` that says
            // `year: 2024` is most likely 2025's, misdated.
            broken.extend(checked.as_ref().map(|(t, _)| t.year));
            broken.extend(named_year(&file.rel));
        }
        diags.append(found);
        years.extend(checked);
    }
    years.sort_by_key(|(y, _)| y.year);
    let (years, given) = years.into_iter().unzip();
    Targets { years, given, broken }
}

/// The year a targets file's name gives: 2025 for `data/targets/2025.yaml`.
fn named_year(rel: &str) -> Option<i32> {
    rel.rsplit('/').next()?.split('.').next()?.parse().ok()
}

/// One targets file checked: its targets and the cells it gives one for, unless its year
/// or due date is wrong, or another file gives the same year.
fn year_targets<'f>(
    file: &'f SourceFile,
    raw: &RawTargets,
    ids: &Ids,
    seen: &mut HashMap<i32, &'f str>,
    diags: &mut Diagnostics,
) -> Option<(YearTargets, Grid<bool>)> {
    let year = year(file, &raw.year, diags)?;
    if let Some(first) = seen.insert(year, &file.rel) {
        diags.push(
            error_at(file, &raw.year, format!("{first} already gives the targets for {year}"))
                .help("keep one targets file per year: merge the two files"),
        );
        return None;
    }
    let stem = file.rel.rsplit('/').next().and_then(|n| n.split('.').next()).unwrap_or("");
    if stem != year.to_string() {
        diags.push(
            error_at(file, &raw.year, format!("this file gives the targets for {year} but is named {stem}"))
                .help(format!("rename the file to data/targets/{year}.yaml, or correct the year")),
        );
    }
    let due = match &raw.due {
        None => Date::last_of_year(year),
        Some(d) => date(file, d, diags).filter(|due| {
            let ok = due.year() >= year;
            if !ok {
                diags.push(
                    error_at(file, d, format!("the due date {due} is before the year {year} starts"))
                        .help(format!("the due date is when the year's targets must be met, normally {year}-12-31")),
                );
            }
            ok
        }),
    }?;
    let (n, m) = (ids.locality_list.len(), ids.indicator_list.len());
    let mut goals = Grid::new(n, m, |_, _| None);
    let mut given = Grid::new(n, m, |_, _| false);
    for (loc_key, inner) in &raw.targets.value.0 {
        let loc = ids.locality(file, loc_key, diags);
        for (ind_key, target) in &inner.value.0 {
            if let Some(d) = split_number(file, ind_key) {
                diags.push(d);
                continue;
            }
            // The kind of target depends on the indicator: without it there is nothing to check.
            let Some(ind) = ids.indicator(file, ind_key, diags) else {
                continue;
            };
            let goal = goal(file, target, ids, ind, diags);
            if let Some(loc) = loc {
                *goals.get_mut(loc, ind) = goal;
                *given.get_mut(loc, ind) = true;
            }
        }
    }
    Some((YearTargets { year, due, file: file.rel.clone(), goals }, given))
}

/// `{ voluntary-si: 6,40 }` reads as `voluntary-si: 6` and a second entry `40`: a number
/// written with a comma separator. Said once, plainly, instead of "`40` is not an indicator".
fn split_number(file: &SourceFile, key: &At<String>) -> Option<Diagnostic> {
    let k = key.value.trim();
    (!k.is_empty() && k.bytes().all(|b| b.is_ascii_digit())).then(|| {
        error_at(file, key, format!("a comma splits this number: `,{k}` reads as a new entry"))
            .help("inside { }, commas separate entries: write numbers without separators, e.g. 1215, not 1,215")
    })
}

fn year(file: &SourceFile, at: &At<Scalar>, diags: &mut Diagnostics) -> Option<i32> {
    match &at.value {
        Scalar::Int(y) if (i128::from(MIN_YEAR)..=i128::from(MAX_YEAR)).contains(y) => i32::try_from(*y).ok(),
        other => {
            diags.push(
                error_at(file, at, format!("{other} is not a year"))
                    .help("write the year in four digits, e.g. year: 2025"),
            );
            None
        }
    }
}

/// A date written as YYYY-MM-DD.
pub(super) fn date(file: &SourceFile, at: &At<String>, diags: &mut Diagnostics) -> Option<Date> {
    match Date::parse(at.value.trim()) {
        Ok(d) => Some(d),
        Err(DateError::Format) => {
            diags.push(
                error_at(file, at, format!("`{}` is not a date", at.value))
                    .help("write dates as YYYY-MM-DD, e.g. 2025-09-30"),
            );
            None
        }
        Err(DateError::Impossible) => {
            diags.push(error_at(file, at, format!("the date {} does not exist", at.value)).help(format!(
                "check the day and the month (years {MIN_YEAR}–{MAX_YEAR}); e.g. the last day of September is 2025-09-30"
            )));
            None
        }
    }
}

fn goal(file: &SourceFile, target: &At<RawTarget>, ids: &Ids, ind: usize, diags: &mut Diagnostics) -> Option<Goal> {
    let indicator = &ids.indicator_list[ind];
    match (&target.value, indicator.kind) {
        (RawTarget::Count(n), IndicatorKind::Count) => match whole_number(n) {
            Ok(0) => {
                diags.push(
                    error_at(file, target, "a target of 0 cannot be measured against")
                        .help("targets must be at least 1 person"),
                );
                None
            }
            Ok(t) => Some(Goal::count(t)),
            Err((message, help)) => {
                diags.push(error_at(file, target, message).help(help));
                None
            }
        },
        (RawTarget::Coverage(c), IndicatorKind::Coverage) => coverage(file, target, c, diags),
        (RawTarget::Coverage(_), IndicatorKind::Count) => {
            diags.push(
                error_at(file, target, format!("`{}` is a count indicator, so its target is a number", indicator.id))
                    .help("write the number of people to reach, e.g. voluntary-si: 1509"),
            );
            None
        }
        (RawTarget::Count(_), IndicatorKind::Coverage) => {
            diags.push(
                error_at(
                    file,
                    target,
                    format!("`{}` is a coverage indicator, so its target is a rate and a base", indicator.id),
                )
                .help("write the target rate in percent and the base population, e.g. { rate: 95.0, base: 40000 }"),
            );
            None
        }
    }
}

fn coverage(file: &SourceFile, target: &At<RawTarget>, c: &RawCoverage, diags: &mut Diagnostics) -> Option<Goal> {
    let (Some(rate_at), Some(base_at)) = (&c.rate, &c.base) else {
        let missing = if c.rate.is_none() { "rate" } else { "base" };
        diags.push(error_at(file, target, format!("this coverage target has no {missing}")).help(
            "a coverage target is a target rate in percent and the population it is a share of, e.g. { rate: 95.0, base: 40000 }",
        ));
        return None;
    };
    let rate = match &rate_at.value {
        Scalar::Int(i) => Rate::parse(&i.to_string()),
        Scalar::Float(f) => Rate::from_f64(*f),
        Scalar::Text(t) => Rate::parse(t.trim_end_matches('%')),
        _ => Err(RateError::NotANumber),
    };
    let rate = match rate {
        Ok(r) => Some(r),
        Err(e) => {
            let (message, help) = match e {
                RateError::OutOfRange => (
                    format!("the target rate {} is not between 0 and 100", rate_at.value),
                    "write a percentage above 0 and at most 100, e.g. rate: 95.0",
                ),
                RateError::TooManyDecimals => (
                    format!("the target rate {} has more than four decimals", rate_at.value),
                    "round it to four decimals at most, e.g. rate: 92.75",
                ),
                RateError::NotANumber => (
                    format!("the target rate {} is not a number", rate_at.value),
                    "write the percentage as a number with a decimal point, e.g. rate: 95.0",
                ),
            };
            diags.push(error_at(file, rate_at, message).help(help));
            None
        }
    };
    let base = match whole_number(&base_at.value) {
        Ok(0) => {
            diags.push(
                error_at(file, base_at, "the base is 0")
                    .help("the base is the population the rate is a share of: at least 1"),
            );
            None
        }
        Ok(b) => Some(b),
        Err((message, help)) => {
            diags.push(error_at(file, base_at, message).help(help));
            None
        }
    };
    Some(Goal::coverage(rate?, base?))
}

/// One report file checked on its own, against the lists of localities and indicators:
/// everything that does not need the other reports.
struct Checked {
    file: SourceFile,
    as_of_at: At<String>,
    /// `None` when the date is not valid.
    as_of: Option<Date>,
    source: Option<String>,
    /// Its figures: (locality, indicator, figure).
    figures: Vec<(usize, usize, Figure)>,
    /// Where each locality's entry is, by locality: (line, column).
    entries: HashMap<usize, (u64, u64)>,
    diagnostics: Diagnostics,
}

fn check_report(Loaded { file, raw }: Loaded<RawReport>, ids: &Ids) -> Checked {
    let mut diags = Diagnostics::new();
    let as_of = date(&file, &raw.as_of, &mut diags);
    if raw.figures.value.0.is_empty() {
        diags
            .push(error_at(&file, &raw.figures, "the report has no figures").help(
                "list each locality's figures, e.g.\n  long-my: { voluntary-si: 1215, health-insurance: 35300 }",
            ));
    }
    let mut figures = Vec::with_capacity(raw.figures.value.0.len() * ids.indicator_list.len());
    let mut entries = HashMap::new();
    for (loc_key, inner) in &raw.figures.value.0 {
        let loc = ids.locality(&file, loc_key, &mut diags);
        if let Some(l) = loc {
            entries.insert(l, (u64::from(loc_key.line), u64::from(loc_key.column)));
        }
        if inner.value.0.is_empty() {
            diags.push(
                error_at(&file, inner, format!("`{}` has no figures", loc_key.value))
                    .help("give its figures, e.g. { voluntary-si: 1215 }, or remove the line if it did not report"),
            );
        }
        for (ind_key, value) in &inner.value.0 {
            if let Some(d) = split_number(&file, ind_key) {
                diags.push(d);
                continue;
            }
            let ind = ids.indicator(&file, ind_key, &mut diags);
            match whole_number(&value.value) {
                Ok(v) => {
                    if let (Some(l), Some(i)) = (loc, ind) {
                        figures.push((l, i, Figure { value: v, line: value.line, column: value.column }));
                    }
                }
                Err((message, help)) => diags.push(error_at(&file, value, message).help(help)),
            }
        }
    }
    let source = raw.source.filter(|s| !s.trim().is_empty());
    Checked { file, as_of_at: raw.as_of, as_of, source, figures, entries, diagnostics: diags }
}

/// Checks the report files, each on its own and in parallel, then what concerns several
/// of them (dates, years, figures that fell). The reports, oldest first, and every
/// figure in a grid of series aligned to them.
pub(super) fn reports(
    files: Vec<Loaded<RawReport>>,
    ids: &Ids,
    targets: &Targets,
    diags: &mut Diagnostics,
) -> (Vec<Report>, Grid<Vec<Option<Figure>>>) {
    let years = &targets.years;
    let errors_before = diags.error_count();
    let checked: Vec<Checked> = files.into_par_iter().map(|loaded| check_report(loaded, ids)).collect();
    let mut dated: Vec<(Date, Checked)> = Vec::with_capacity(checked.len());
    let mut dates: HashMap<Date, String> = HashMap::new();
    let mut years_with_reports: Vec<(i32, String)> = Vec::new();
    for mut report in checked {
        diags.append(std::mem::take(&mut report.diagnostics));
        let Some(d) = report.as_of else { continue };
        let file = &report.file;
        if let Some(first) = dates.insert(d, file.rel.clone()) {
            diags.push(
                error_at(file, &report.as_of_at, format!("{first} has the same date, {d}"))
                    .help("two reports cannot have the same date: correct the date of one, or merge them"),
            );
        }
        if targets.broken.contains(&d.year()) {
            // The targets file's own errors say what to fix.
        } else if !years.iter().any(|y| y.year == d.year()) {
            diags.push(error_at(file, &report.as_of_at, format!("there are no targets for {}", d.year())).help(
                format!("add data/targets/{}.yaml with the targets for {}, or correct the date", d.year(), d.year()),
            ));
        } else {
            years_with_reports.push((d.year(), file.rel.clone()));
        }
        dated.push((d, report));
    }
    missing_targets(targets, &years_with_reports, ids, diags);
    dated.sort_by_key(|(d, _)| *d);
    let mut figures = Grid::new(ids.locality_list.len(), ids.indicator_list.len(), |_, _| vec![None; dated.len()]);
    for (k, (_, report)) in dated.iter().enumerate() {
        for &(l, i, figure) in &report.figures {
            figures.get_mut(l, i)[k] = Some(figure);
        }
    }
    // Comparing figures across reports only makes sense once the reports themselves are
    // right, and against complete lists of localities and indicators.
    if diags.error_count() == errors_before && ids.complete() {
        figure_warnings(&dated, &figures, ids, years, diags);
        if let Some((_, latest)) = dated.last() {
            missing_from_latest(latest, dated.len() - 1, &figures, ids, diags);
        }
    }
    let reports = dated.into_iter().map(|(as_of, c)| Report { as_of, source: c.source, file: c.file.rel }).collect();
    (reports, figures)
}

/// Every locality needs a target for every indicator in every year that has reports.
fn missing_targets(targets: &Targets, with_reports: &[(i32, String)], ids: &Ids, diags: &mut Diagnostics) {
    for (y, given) in targets.years.iter().zip(&targets.given) {
        let Some((_, report)) = with_reports.iter().find(|(year, _)| *year == y.year) else { continue };
        for (l, i, _) in given.iter().filter(|(_, _, given)| !**given) {
            let message =
                format!("`{}` has no {} target for `{}`", ids.locality_list[l].id, y.year, ids.indicator_list[i].id);
            diags.push(Diagnostic::error(&y.file, message).help(format!(
                "{} has reports (e.g. {report}), so every locality needs a target for every indicator",
                y.year
            )));
        }
    }
}

/// Warnings that compare figures with the previous report and with targets (SPEC §1).
fn figure_warnings(
    reports: &[(Date, Checked)],
    figures: &Grid<Vec<Option<Figure>>>,
    ids: &Ids,
    years: &[YearTargets],
    diags: &mut Diagnostics,
) {
    let targets: Vec<Option<&YearTargets>> =
        reports.iter().map(|(d, _)| years.iter().find(|y| y.year == d.year())).collect();
    for (l, i, series) in figures.iter() {
        let (locality, indicator) = (&ids.locality_list[l].id, &ids.indicator_list[i].id);
        let mut previous: Option<(u64, usize)> = None;
        for (k, figure) in series.iter().enumerate() {
            let Some(figure) = figure else { continue };
            let value = figure.value;
            let file = &reports[k].1.file;
            let at = |message: String| {
                Diagnostic::warning(&file.rel, message).at(file, u64::from(figure.line), u64::from(figure.column))
            };
            if let Some((before, pk)) = previous
                && value < before
            {
                diags.push(
                    at(format!("`{locality}` {indicator} fell from {} to {}", plain_count(before), plain_count(value)))
                        .help(format!(
                            "the previous figure is in {}; check both, and if they are right nothing needs doing",
                            reports[pk].1.file.rel
                        )),
                );
            }
            previous = Some((value, k));
            let Some(goal) = targets[k].and_then(|t| *t.goals.get(l, i)) else { continue };
            if let Some(base) = goal.base
                && value > base
            {
                diags.push(
                    at(format!(
                        "`{locality}` {indicator}: {} people is more than the base of {} (coverage above 100 %)",
                        plain_count(value),
                        plain_count(base)
                    ))
                    .help(
                        "this happens when the base is an estimate; check the figure and the base in the targets file",
                    ),
                );
            }
            if value as f64 > 3.0 * goal.people as f64 {
                diags.push(
                    at(format!(
                        "`{locality}` {indicator}: {} is more than three times the target of {}",
                        plain_count(value),
                        plain_count(goal.people)
                    ))
                    .help("check the figure for an extra digit, and the target"),
                );
            }
        }
    }
}

/// Localities, or figures of a locality, missing from the latest report (report `k`): a
/// warning at the locality's entry when it has one.
fn missing_from_latest(
    latest: &Checked,
    k: usize,
    figures: &Grid<Vec<Option<Figure>>>,
    ids: &Ids,
    diags: &mut Diagnostics,
) {
    let file = &latest.file;
    for (l, locality) in ids.locality_list.iter().enumerate() {
        let (line, column) = latest.entries.get(&l).copied().unwrap_or((0, 0));
        let warn = |message: String| {
            Diagnostic::warning(&file.rel, message).at(file, line, column).help(
                "its page will show its last figure and say that this report has none; add the figures if they exist",
            )
        };
        let cells = figures.locality(l);
        if cells.iter().all(|series| series[k].is_none()) {
            diags.push(warn(format!("`{}` has no figures in the latest report", locality.id)));
            continue;
        }
        for (i, series) in cells.iter().enumerate() {
            if series[k].is_none() {
                diags.push(warn(format!(
                    "`{}` has no {} figure in the latest report",
                    locality.id, ids.indicator_list[i].id
                )));
            }
        }
    }
}
