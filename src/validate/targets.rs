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
    // The name first: a file copied from last year's and renamed, but still saying last
    // year, is a misdated file, not a second file for last year.
    let stem = file.rel.rsplit('/').next().and_then(|n| n.split('.').next()).unwrap_or("");
    if stem != year.to_string() {
        let help = match stem.parse::<i32>() {
            Ok(named) => format!(
                "if these are the targets for {named}, change this line to `year: {named}`; if they are {year}'s, rename the file to data/targets/{year}.yaml"
            ),
            Err(_) => format!("name the file after its year: data/targets/{year}.yaml"),
        };
        diags.push(error_at(file, &raw.year, format!("this file is named {stem} but says `year: {year}`")).help(help));
        return None;
    }
    if let Some(first) = seen.insert(year, &file.rel) {
        diags.push(
            error_at(file, &raw.year, format!("{first} already gives the targets for {year}"))
                .help("keep one targets file per year: merge the two files"),
        );
        return None;
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
