//! Targets files: one year's targets each, checked against the localities and
//! indicators.

use std::collections::HashMap;

use super::{Ids, date, error_at, split_number, whole_number};
use crate::date::{Date, MAX_YEAR, MIN_YEAR};
use crate::diag::Diagnostics;
use crate::load::targets::{RawCoverage, RawTarget, RawTargets};
use crate::load::yaml::{At, Scalar};
use crate::load::{Loaded, SourceFile};
use crate::model::{Grid, IndicatorKind, YearTargets};
use crate::progress::{Goal, Rate, RateError};
use crate::t;

/// The targets files, checked.
pub(super) struct Targets {
    pub years: Vec<YearTargets>,
    /// For each of `years`, the cells its file gives a target for, valid or not: a rejected
    /// target has its own error and is not also reported missing.
    pub given: Vec<Grid<bool>>,
    /// Years whose targets file has errors, or could not be read: their reports are not
    /// also told that there are no targets, which would send the reader to the wrong file.
    pub broken: Vec<i32>,
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
    copied_unchanged(&years, diags);
    let (years, given) = years.into_iter().unzip();
    Targets { years, given, broken }
}

/// The year a targets file's name gives: 2025 for `data/targets/2025.yaml`.
/// A year whose targets are, every one, the year before's: most likely last year's file
/// copied and not yet edited, which would publish progress against last year's targets.
fn copied_unchanged(years: &[(YearTargets, Grid<bool>)], diags: &mut Diagnostics) {
    for pair in years.windows(2) {
        let [(before, _), (after, _)] = pair else { continue };
        let any = after.goals.iter().any(|(_, _, g)| g.is_some());
        if after.year == before.year + 1 && any && after.goals == before.goals {
            diags.push(
                crate::diag::Diagnostic::warning(
                    &after.file,
                    t!("targets_same_as_before", year = after.year, before = before.year),
                )
                .help(t!("targets_same_as_before_help", year = after.year)),
            );
        }
    }
}

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
    // The name first: a file copied from last year's and renamed, but still saying last
    // year, is a misdated file, not a second file for last year.
    let stem = file.rel.rsplit('/').next().and_then(|n| n.split('.').next()).unwrap_or("");
    if stem != year.to_string() {
        let help = match stem.parse::<i32>() {
            Ok(named) => t!("targets_year_differs_help", named, year),
            Err(_) => t!("targets_name_after_year_help", year),
        };
        diags.push(error_at(file, &raw.year, t!("targets_year_differs", stem, year)).help(help));
        // A file copied from last year has last year's due date too: said in the same
        // round, not after the year is mended.
        if let (Ok(named), Some(d)) = (stem.parse::<i32>(), &raw.due)
            && let Ok(due) = Date::parse(d.value.trim())
            && due.year() < named
        {
            diags.push(
                error_at(file, d, t!("due_before_year", due, year = named))
                    .help(t!("due_before_year_help", year = named)),
            );
        }
        return None;
    }
    if let Some(first) = seen.insert(year, &file.rel) {
        diags
            .push(error_at(file, &raw.year, t!("targets_year_twice", first, year)).help(t!("targets_year_twice_help")));
        return None;
    }
    let due = match &raw.due {
        None => Date::last_of_year(year),
        Some(d) => date(file, d, diags).filter(|due| {
            let ok = due.year() >= year;
            if !ok {
                diags.push(
                    error_at(file, d, t!("due_before_year", due = *due, year)).help(t!("due_before_year_help", year)),
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

fn year(file: &SourceFile, at: &At<Scalar>, diags: &mut Diagnostics) -> Option<i32> {
    match &at.value {
        Scalar::Int(y) if (i128::from(MIN_YEAR)..=i128::from(MAX_YEAR)).contains(y) => i32::try_from(*y).ok(),
        other => {
            diags.push(error_at(file, at, t!("not_a_year", value = other.describe())).help(t!("not_a_year_help")));
            None
        }
    }
}

fn goal(file: &SourceFile, target: &At<RawTarget>, ids: &Ids, ind: usize, diags: &mut Diagnostics) -> Option<Goal> {
    let indicator = &ids.indicator_list[ind];
    match (&target.value, indicator.kind) {
        (RawTarget::Count(n), IndicatorKind::Count) => match whole_number(n) {
            Ok(0) => {
                diags.push(error_at(file, target, t!("target_zero")).help(t!("target_zero_help")));
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
                error_at(file, target, t!("count_target_not_a_number", id = &indicator.id))
                    .help(t!("count_target_not_a_number_help")),
            );
            None
        }
        (RawTarget::Count(_), IndicatorKind::Coverage) => {
            diags.push(
                error_at(file, target, t!("coverage_target_needs_parts", id = &indicator.id))
                    .help(t!("coverage_target_needs_parts_help")),
            );
            None
        }
    }
}

fn coverage(file: &SourceFile, target: &At<RawTarget>, c: &RawCoverage, diags: &mut Diagnostics) -> Option<Goal> {
    let (Some(rate_at), Some(base_at)) = (&c.rate, &c.base) else {
        let message = if c.rate.is_none() { t!("coverage_without_rate") } else { t!("coverage_without_base") };
        diags.push(error_at(file, target, message).help(t!("coverage_parts_help")));
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
                RateError::OutOfRange => {
                    (t!("rate_out_of_range", value = rate_at.value.describe()), t!("rate_out_of_range_help"))
                }
                RateError::TooManyDecimals => {
                    (t!("rate_too_many_decimals", value = rate_at.value.describe()), t!("rate_too_many_decimals_help"))
                }
                RateError::NotANumber => {
                    (t!("rate_not_a_number", value = rate_at.value.describe()), t!("rate_not_a_number_help"))
                }
            };
            diags.push(error_at(file, rate_at, message).help(help));
            None
        }
    };
    let base = match whole_number(&base_at.value) {
        Ok(0) => {
            diags.push(error_at(file, base_at, t!("base_zero")).help(t!("base_zero_help")));
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
