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
use crate::model::{IndicatorKind, Report, YearTargets};
use crate::progress::{Goal, Rate, RateError};

/// The targets files, checked.
pub(super) struct Targets {
    pub years: Vec<YearTargets>,
    /// For each of `years`, the cells its file gives a target for, valid or not: a rejected
    /// target has its own error and is not also reported missing.
    given: Vec<Vec<bool>>,
    /// Years whose targets file has errors: their reports are not also told that there
    /// are no targets, which would send the reader to the wrong file.
    broken: Vec<i32>,
}

pub(super) fn targets(files: &[Loaded<RawTargets>], ids: &Ids, diags: &mut Diagnostics) -> Targets {
    let cells = ids.locality_list.len() * ids.indicator_list.len();
    let mut years: Vec<YearTargets> = Vec::new();
    let mut given_by_year: Vec<(i32, Vec<bool>)> = Vec::new();
    let mut seen: HashMap<i32, &str> = HashMap::new();
    for Loaded { file, raw } in files {
        let Some(year) = year(file, &raw.year, diags) else { continue };
        if let Some(first) = seen.insert(year, &file.rel) {
            diags.push(
                error_at(file, &raw.year, format!("{first} already gives the targets for {year}"))
                    .help("keep one targets file per year: merge the two files"),
            );
            continue;
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
                        error_at(file, d, format!("the due date {due} is before the year {year} starts")).help(
                            format!("the due date is when the year's targets must be met, normally {year}-12-31"),
                        ),
                    );
                }
                ok
            }),
        };
        let Some(due) = due else { continue };
        let mut goals = vec![None; cells];
        let mut given = vec![false; cells];
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
                    let cell = loc * ids.indicator_list.len() + ind;
                    goals[cell] = goal;
                    given[cell] = true;
                }
            }
        }
        years.push(YearTargets { year, due, file: file.rel.clone(), goals });
        given_by_year.push((year, given));
    }
    years.sort_by_key(|y| y.year);
    given_by_year.sort_by_key(|(y, _)| *y);
    let broken = diags
        .iter()
        .filter(|d| d.is_error() && d.file.starts_with(crate::load::TARGETS_DIR))
        .filter_map(|d| d.file.rsplit('/').next()?.split('.').next()?.parse().ok())
        .collect();
    Targets { years, given: given_by_year.into_iter().map(|(_, g)| g).collect(), broken }
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

/// A report being checked, with where things are in its file.
struct Parsed {
    report: Report,
    file: SourceFile,
    /// (line, column) of each figure, dense like the figures; (0, 0) when absent.
    figures_at: Vec<(u64, u64)>,
    /// (line, column) of each locality's entry; (0, 0) when absent.
    localities_at: Vec<(u64, u64)>,
}

/// One report file checked on its own: its report when its date is valid, where its
/// figures are, and what is wrong with it.
struct Checked {
    report: Option<Report>,
    file: SourceFile,
    as_of_at: At<String>,
    figures_at: Vec<(u64, u64)>,
    localities_at: Vec<(u64, u64)>,
    diagnostics: Diagnostics,
}

/// Checks one report file's date and figures against the lists of localities and
/// indicators: everything that does not need the other reports.
fn check_report(Loaded { file, raw }: Loaded<RawReport>, ids: &Ids, cells: usize) -> Checked {
    let mut diags = Diagnostics::new();
    let m = ids.indicator_list.len();
    let as_of = date(&file, &raw.as_of, &mut diags);
    if raw.figures.value.0.is_empty() {
        diags
            .push(error_at(&file, &raw.figures, "the report has no figures").help(
                "list each locality's figures, e.g.\n  long-my: { voluntary-si: 1215, health-insurance: 35300 }",
            ));
    }
    let mut figures = vec![None; cells];
    let mut figures_at = vec![(0, 0); cells];
    let mut localities_at = vec![(0, 0); ids.locality_list.len()];
    for (loc_key, inner) in &raw.figures.value.0 {
        let loc = ids.locality(&file, loc_key, &mut diags);
        if let Some(l) = loc {
            localities_at[l] = (u64::from(loc_key.line), u64::from(loc_key.column));
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
                    if let (Some(loc), Some(ind)) = (loc, ind) {
                        figures[loc * m + ind] = Some(v);
                        figures_at[loc * m + ind] = (u64::from(value.line), u64::from(value.column));
                    }
                }
                Err((message, help)) => diags.push(error_at(&file, value, message).help(help)),
            }
        }
    }
    let report = as_of.map(|as_of| Report {
        as_of,
        source: raw.source.filter(|s| !s.trim().is_empty()),
        file: file.rel.clone(),
        figures,
    });
    Checked { report, file, as_of_at: raw.as_of, figures_at, localities_at, diagnostics: diags }
}

pub(super) fn reports(
    files: Vec<Loaded<RawReport>>,
    ids: &Ids,
    targets: &Targets,
    diags: &mut Diagnostics,
) -> Vec<Report> {
    let years = &targets.years;
    let errors_before = diags.error_count();
    let m = ids.indicator_list.len();
    let cells = ids.locality_list.len() * m;
    // Each file's figures are checked on their own, in parallel; what concerns several
    // files (dates, years) is checked after, in file order.
    let checked: Vec<Checked> = files.into_par_iter().map(|loaded| check_report(loaded, ids, cells)).collect();
    let mut parsed: Vec<Parsed> = Vec::with_capacity(checked.len());
    let mut dates: HashMap<Date, String> = HashMap::new();
    let mut years_with_reports: Vec<(i32, String, At<String>)> = Vec::new();
    for Checked { report, file, as_of_at, figures_at, localities_at, diagnostics } in checked {
        diags.append(diagnostics);
        if let Some(d) = report.as_ref().map(|r| r.as_of) {
            if let Some(first) = dates.insert(d, file.rel.clone()) {
                diags.push(
                    error_at(&file, &as_of_at, format!("{first} has the same date, {d}"))
                        .help("two reports cannot have the same date: correct the date of one, or merge them"),
                );
            }
            if targets.broken.contains(&d.year()) {
                // The targets file's own errors say what to fix.
            } else if !years.iter().any(|y| y.year == d.year()) {
                diags.push(error_at(&file, &as_of_at, format!("there are no targets for {}", d.year())).help(format!(
                    "add data/targets/{}.yaml with the targets for {}, or correct the date",
                    d.year(),
                    d.year()
                )));
            } else {
                years_with_reports.push((d.year(), file.rel.clone(), as_of_at));
            }
        }
        if let Some(report) = report {
            parsed.push(Parsed { report, file, figures_at, localities_at });
        }
    }
    missing_targets(targets, &years_with_reports, ids, diags);
    parsed.sort_by_key(|p| p.report.as_of);
    // Comparing figures across reports only makes sense once the reports themselves are
    // right, and against complete lists of localities and indicators.
    if diags.error_count() == errors_before && ids.complete() {
        figure_warnings(&parsed, ids, years, diags);
        if let Some(latest) = parsed.last() {
            missing_from_latest(latest, ids, diags);
        }
    }
    parsed.into_iter().map(|p| p.report).collect()
}

/// Every locality needs a target for every indicator in every year that has reports.
fn missing_targets(targets: &Targets, with_reports: &[(i32, String, At<String>)], ids: &Ids, diags: &mut Diagnostics) {
    let m = ids.indicator_list.len();
    for (y, given) in targets.years.iter().zip(&targets.given) {
        let Some((_, report, _)) = with_reports.iter().find(|(year, ..)| *year == y.year) else { continue };
        let mut missing = Vec::new();
        for (l, locality) in ids.locality_list.iter().enumerate() {
            for (i, indicator) in ids.indicator_list.iter().enumerate() {
                if !given[l * m + i] {
                    missing.push(format!("`{}` has no {} target for `{}`", locality.id, y.year, indicator.id));
                }
            }
        }
        for message in missing {
            diags.push(Diagnostic::error(&y.file, message).help(format!(
                "{} has reports (e.g. {report}), so every locality needs a target for every indicator",
                y.year
            )));
        }
    }
}

/// Warnings that compare figures with the previous report and with targets (SPEC §1).
fn figure_warnings(reports: &[Parsed], ids: &Ids, years: &[YearTargets], diags: &mut Diagnostics) {
    let m = ids.indicator_list.len();
    let cells = ids.locality_list.len() * m;
    let mut previous: Vec<Option<(u64, usize)>> = vec![None; cells];
    for (r, Parsed { report, file, figures_at: positions, .. }) in reports.iter().enumerate() {
        let targets = years.iter().find(|y| y.year == report.as_of.year());
        for cell in 0..cells {
            let Some(value) = report.figures[cell] else { continue };
            let (line, column) = positions[cell];
            let (l, i) = (cell / m, cell % m);
            let at = |message: String| Diagnostic::warning(&file.rel, message).at(file, line, column);
            if let Some((before, pr)) = previous[cell]
                && value < before
            {
                diags.push(
                    at(format!(
                        "`{}` {} fell from {} to {}",
                        ids.locality_list[l].id,
                        ids.indicator_list[i].id,
                        plain_count(before),
                        plain_count(value)
                    ))
                    .help(format!(
                        "the previous figure is in {}; check both, and if they are right nothing needs doing",
                        reports[pr].report.file
                    )),
                );
            }
            previous[cell] = Some((value, r));
            let Some(goal) = targets.and_then(|t| t.goals[cell]) else { continue };
            if let Some(base) = goal.base
                && value > base
            {
                diags.push(
                    at(format!(
                        "`{}` {}: {} people is more than the base of {} (coverage above 100 %)",
                        ids.locality_list[l].id,
                        ids.indicator_list[i].id,
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
                        "`{}` {}: {} is more than three times the target of {}",
                        ids.locality_list[l].id,
                        ids.indicator_list[i].id,
                        plain_count(value),
                        plain_count(goal.people)
                    ))
                    .help("check the figure for an extra digit, and the target"),
                );
            }
        }
    }
}

/// Localities, or figures of a locality, missing from the latest report: a warning at the
/// locality's entry when it has one.
fn missing_from_latest(latest: &Parsed, ids: &Ids, diags: &mut Diagnostics) {
    let m = ids.indicator_list.len();
    let file = &latest.file;
    let mut missing = Vec::new();
    for (l, locality) in ids.locality_list.iter().enumerate() {
        let cells = &latest.report.figures[l * m..(l + 1) * m];
        let (line, column) = latest.localities_at[l];
        if cells.iter().all(Option::is_none) {
            missing.push((format!("`{}` has no figures in the latest report", locality.id), line, column));
        } else {
            for (i, cell) in cells.iter().enumerate() {
                if cell.is_none() {
                    let message =
                        format!("`{}` has no {} figure in the latest report", locality.id, ids.indicator_list[i].id);
                    missing.push((message, line, column));
                }
            }
        }
    }
    for (message, line, column) in missing {
        diags.push(Diagnostic::warning(&file.rel, message).at(file, line, column).help(
            "its page will show its last figure and say that this report has none; add the figures if they exist",
        ));
    }
}
