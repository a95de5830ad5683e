//! Report files: the figures of one date each, checked on their own and then against
//! each other and the targets.

use std::collections::HashMap;

use rayon::prelude::*;

use super::targets::Targets;
use super::{Ids, date, error_at, split_number, whole_number};
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::reports::RawReport;
use crate::load::yaml::At;
use crate::load::{Loaded, SourceFile};
use crate::model::{Figure, Grid, Report, YearTargets};
use crate::t;

/// The most characters of a report's `source`: it is printed under every chart and table
/// of its month, where a paragraph pasted by mistake would fill the page.
pub const MAX_SOURCE: usize = 300;
use crate::words::messages::{Count, Text};

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

/// The latest day that has begun somewhere on Earth (UTC+14) as the build runs: a report
/// dated after it gives figures for a day that has not come.
pub(crate) fn latest_today() -> Option<Date> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?;
    let seconds = i64::try_from(now.as_secs()).ok()? + 14 * 3600;
    Date::from_days(seconds.div_euclid(86_400))
}

/// That `as_of` has come, and lies in the month the file's name starts with, if it does:
/// a report copied from last month with its date left, or a year mistyped (2052), would
/// publish figures under the wrong month.
fn check_date(file: &SourceFile, at: &At<String>, as_of: Date, today: Option<Date>, diags: &mut Diagnostics) -> bool {
    let errors = diags.error_count();
    if today.is_some_and(|t| as_of > t) {
        diags.push(error_at(file, at, t!("report_in_future", date = as_of)).help(t!("report_in_future_help")));
    }
    let name = std::path::Path::new(&file.rel).file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if let Some((year, month)) = Date::month_of_name(name)
        && (as_of.year(), as_of.month()) != (year, month)
    {
        let named = format!("{month:02}/{year}");
        let dated = format!("{:02}/{}", as_of.month(), as_of.year());
        let rename = format!("{}-{:02}.yaml", as_of.year(), as_of.month());
        diags.push(error_at(file, at, t!("report_outside_month", date = as_of, name, month = &named)).help(t!(
            "report_outside_month_help",
            month = &named,
            dated,
            rename
        )));
    }
    diags.error_count() == errors
}

fn check_report(Loaded { file, raw }: Loaded<RawReport>, ids: &Ids, today: Option<Date>) -> Checked {
    let mut diags = Diagnostics::new();
    // A date that is wrong is no date: nothing more is said of its year.
    let as_of = date(&file, &raw.as_of, &mut diags).filter(|&d| check_date(&file, &raw.as_of, d, today, &mut diags));
    if raw.figures.value.0.is_empty() {
        diags.push(error_at(&file, &raw.figures, t!("report_no_figures")).help(t!("report_no_figures_help")));
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
                error_at(&file, inner, t!("locality_no_figures", id = &loc_key.value))
                    .help(t!("locality_no_figures_help")),
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
    if let Some(source) = &raw.source {
        let says = |n, max| (t!("source_too_long", n, max), t!("source_too_long_help"));
        super::too_long(&file, source, MAX_SOURCE, says, &mut diags);
    }
    let source = raw.source.map(|s| s.value).filter(|s| !s.trim().is_empty());
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
    let today = latest_today();
    let checked: Vec<Checked> = files.into_par_iter().map(|loaded| check_report(loaded, ids, today)).collect();
    let mut dated: Vec<(Date, Checked)> = Vec::with_capacity(checked.len());
    let mut dates: HashMap<Date, String> = HashMap::new();
    let mut untargeted: Vec<(Date, String)> = Vec::new();
    for mut report in checked {
        diags.append(std::mem::take(&mut report.diagnostics));
        let Some(d) = report.as_of else { continue };
        let file = &report.file;
        if let Some(first) = dates.insert(d, file.rel.clone()) {
            diags.push(
                error_at(file, &report.as_of_at, t!("report_same_date", first, date = d))
                    .help(t!("report_same_date_help")),
            );
        }
        if targets.broken.contains(&d.year()) {
            // The targets file's own errors say what to fix.
        } else if !years.iter().any(|y| y.year == d.year()) {
            untargeted.push((d, file.rel.clone()));
        }
        dated.push((d, report));
    }
    dated.sort_by_key(|(d, _)| *d);
    let mut figures = Grid::new(ids.locality_list.len(), ids.indicator_list.len(), |_, _| vec![None; dated.len()]);
    for (k, (_, report)) in dated.iter().enumerate() {
        for &(l, i, figure) in &report.figures {
            figures.get_mut(l, i)[k] = Some(figure);
        }
    }
    without_targets(&untargeted, diags);
    let with_figures = indicators_with_figures(&dated, ids);
    missing_targets(targets, &with_figures, ids, diags);
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

/// A year with reports and no targets file yet is published without progress: said once
/// per year, at its first report.
fn without_targets(untargeted: &[(Date, String)], diags: &mut Diagnostics) {
    let mut years: Vec<(Date, &str)> = untargeted.iter().map(|(d, f)| (*d, f.as_str())).collect();
    years.sort();
    years.dedup_by_key(|(d, _)| d.year());
    for (d, file) in years {
        let year = d.year();
        diags.push(Diagnostic::warning(file, t!("no_targets_yet", year)).help(t!("no_targets_yet_help", year)));
    }
}

/// For each year with reports: the indicators its reports give figures for, and one
/// such report (to name in a message).
fn indicators_with_figures(dated: &[(Date, Checked)], ids: &Ids) -> Vec<(i32, Vec<Option<String>>)> {
    let mut years: Vec<(i32, Vec<Option<String>>)> = Vec::new();
    for (d, report) in dated {
        if years.last().is_none_or(|(y, _)| *y != d.year()) {
            years.push((d.year(), vec![None; ids.indicator_list.len()]));
        }
        if let Some((_, with)) = years.last_mut() {
            for &(_, i, _) in &report.figures {
                with[i].get_or_insert_with(|| report.file.rel.clone());
            }
        }
    }
    years
}

/// In a year with targets, every locality needs one for every indicator that year's
/// reports give figures for (SPEC §1); an indicator without figures that year needs none.
fn missing_targets(targets: &Targets, with_figures: &[(i32, Vec<Option<String>>)], ids: &Ids, diags: &mut Diagnostics) {
    for (y, given) in targets.years.iter().zip(&targets.given) {
        let Some((_, with)) = with_figures.iter().find(|(year, _)| *year == y.year) else { continue };
        for (l, i, _) in given.iter().filter(|(_, _, given)| !**given) {
            let Some(report) = &with[i] else { continue };
            let (locality, indicator) = (&ids.locality_list[l].id, &ids.indicator_list[i].id);
            diags.push(Diagnostic::error(&y.file, t!("missing_target", locality, year = y.year, indicator)).help(t!(
                "missing_target_help",
                year = y.year,
                indicator,
                report
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
        // Named as the officer knows them, figures as the site writes them; the file's
        // line shows the ids.
        let (locality, indicator) = (&ids.locality_list[l].label, &ids.indicator_list[i].short);
        let mut previous: Option<(u64, usize)> = None;
        for (k, figure) in series.iter().enumerate() {
            let Some(figure) = figure else { continue };
            let value = figure.value;
            let file = &reports[k].1.file;
            let at = |message: Text| {
                Diagnostic::warning(&file.rel, message).at(file, u64::from(figure.line), u64::from(figure.column))
            };
            if let Some((before, pk)) = previous
                && value < before
            {
                diags.push(
                    at(t!("figure_fell", locality, indicator, before = Count(before), value = Count(value)))
                        .help(t!("figure_fell_help", file = &reports[pk].1.file.rel)),
                );
            }
            previous = Some((value, k));
            let Some(goal) = targets[k].and_then(|t| *t.goals.get(l, i)) else { continue };
            if let Some(base) = goal.base
                && value > base
            {
                diags.push(
                    at(t!("above_base", locality, indicator, value = Count(value), base = Count(base)))
                        .help(t!("above_base_help")),
                );
            }
            if value as f64 > 3.0 * goal.people as f64 {
                diags.push(
                    at(t!(
                        "three_times_target",
                        locality,
                        indicator,
                        value = Count(value),
                        target = Count(goal.people)
                    ))
                    .help(t!("three_times_target_help")),
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
        let warn = |message: Text| {
            Diagnostic::warning(&file.rel, message).at(file, line, column).help(t!("missing_latest_help"))
        };
        let cells = figures.locality(l);
        if cells.iter().all(|series| series[k].is_none()) {
            diags.push(warn(t!("missing_latest", locality = &locality.label)));
            continue;
        }
        for (i, series) in cells.iter().enumerate() {
            if series[k].is_none() {
                diags.push(warn(t!(
                    "missing_latest_figure",
                    locality = &locality.label,
                    indicator = &ids.indicator_list[i].short
                )));
            }
        }
    }
}
