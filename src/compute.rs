//! Compute: every series of the site and where it stands, once.
//!
//! For each year with reports: one series per locality and indicator, one per
//! indicator for the city, and one per group and indicator, each with its standing
//! as of every figure (SPEC §2). City and group values carry each member's latest
//! figure of the year forward, so a unit missing from one report is not dropped.
//! Later stages read these; none of them recomputes a figure.

use std::ops::Range;

use crate::date::Date;
use crate::model::{Grid, Site, YearTargets};
use crate::progress::{Goal, Point, Standing, standings};

/// One series: a locality's (or the city's, or a group's) figures for one indicator in
/// one year, each with where the series stands as of it.
#[derive(Debug, Clone)]
pub struct Series {
    /// The year's target; `None` while the year's targets are not published, or for an
    /// indicator the year's reports give no figures for. Without one there are no
    /// standings: only the figures are known.
    pub goal: Option<Goal>,
    /// The standing as of each of the year's reports ([`YearData::dates`]), made from
    /// the figures up to that report; `None` where the report gives no figure here, and
    /// everywhere without a goal.
    pub standings: Vec<Option<Standing>>,
    /// The figure of each of the year's reports, with a goal or without.
    pub figures: Vec<Option<u64>>,
    /// Where in `standings` the latest one is.
    latest: Option<usize>,
    /// The last figure of the year before, where the expected path starts.
    pub baseline: Option<Point>,
    /// Of a closed year: its standings are final results (see [`YearData::closed`]).
    pub closed: bool,
}

impl Series {
    /// The series of `figures`, one per report of the year (dated by `dates`).
    pub(crate) fn new(
        goal: Option<Goal>,
        figures: impl Iterator<Item = Option<u64>>,
        dates: &[Date],
        due: Date,
        baseline: Option<Point>,
        at_risk: f64,
        closed: bool,
    ) -> Series {
        let figures: Vec<Option<u64>> = figures.collect();
        let standings: Vec<Option<Standing>> = match &goal {
            Some(goal) => {
                let points: Vec<Point> =
                    figures.iter().zip(dates).filter_map(|(v, &date)| v.map(|value| Point { date, value })).collect();
                let mut standings = standings(&points, goal, due, baseline, at_risk);
                // A closed year's last standing is its result (SPEC §2); the ones before
                // stay as they were computed on their dates (SPEC §4, figures.csv).
                if closed && let Some(last) = standings.last_mut() {
                    *last = crate::progress::closed(*last);
                }
                let mut standings = standings.into_iter();
                figures.iter().map(|v| v.and_then(|_| standings.next())).collect()
            }
            None => vec![None; figures.len()],
        };
        let latest = standings.iter().rposition(Option::is_some);
        Series { goal, standings, figures, latest, baseline, closed }
    }

    /// The target in people, with a goal.
    pub fn target(&self) -> Option<u64> {
        self.goal.map(|g| g.people)
    }

    /// `value` as a share of the coverage base, in percent, for a coverage goal.
    pub fn rate_of(&self, value: f64) -> Option<f64> {
        self.goal.and_then(|g| g.rate_of(value))
    }

    /// The target rate in percent, for a coverage goal.
    pub fn target_rate(&self) -> Option<f64> {
        self.goal.and_then(|g| g.target_rate())
    }

    /// The latest figure of the year and its report's place in the year, with a goal or
    /// without.
    pub fn latest_figure(&self) -> Option<(usize, u64)> {
        let k = self.figures.iter().rposition(Option::is_some)?;
        Some((k, self.figures[k]?))
    }

    /// Where the series stands at the year's report `k`; `None` when that report gives no
    /// figure here.
    pub fn at(&self, k: usize) -> Option<&Standing> {
        self.standings.get(k).and_then(Option::as_ref)
    }

    /// Where the series stands as of its latest figure.
    pub fn latest(&self) -> Option<&Standing> {
        self.latest.and_then(|k| self.at(k))
    }

    /// The figures, oldest first, without the gaps.
    pub fn points(&self) -> impl Iterator<Item = Point> + '_ {
        self.standings.iter().flatten().map(|st| Point { date: st.date, value: st.value })
    }

    /// Where the expected path starts: the previous year's last figure, else the year's first.
    pub fn path_start(&self) -> Option<Point> {
        self.baseline.or_else(|| self.points().next())
    }
}

/// Everything computed for one year that has reports.
#[derive(Debug, Clone)]
pub struct YearData {
    pub year: i32,
    /// Whether the year's targets are published (`data/targets/<year>.yaml`). Without
    /// them no series has a goal, and the site shows the year's figures only.
    pub targeted: bool,
    /// The targets' due date; 31 December without targets.
    pub due: Date,
    /// Whether the year is over (SPEC §2): a later year has reports, or its latest report
    /// is dated on or after `due`. Its standings are final results, not forecasts.
    pub closed: bool,
    /// This year's reports: a range of `Site::reports`, oldest first.
    pub reports: Range<usize>,
    /// Their dates, in the same order: what each series' standings are aligned to.
    pub dates: Vec<Date>,
    pub units: Grid<Series>,
    /// By indicator.
    pub city: Vec<Series>,
    /// By group, then indicator.
    pub groups: Vec<Vec<Series>>,
}

#[derive(Debug, Clone, Default)]
pub struct Computed {
    /// Oldest first; only years with at least one report.
    pub years: Vec<YearData>,
}

impl Computed {
    /// The year of the latest report: the one the site is about.
    pub fn current(&self) -> Option<&YearData> {
        self.years.last()
    }
}

pub fn compute(site: &Site) -> Computed {
    let mut years: Vec<YearData> = Vec::new();
    let mut start = 0;
    while start < site.reports.len() {
        let year = site.reports[start].as_of.year();
        let end = start + site.reports[start..].iter().take_while(|r| r.as_of.year() == year).count();
        let previous = years.last().filter(|p| p.year == year - 1);
        let later = end < site.reports.len();
        years.push(compute_year(site, year, site.targets_for(year), start..end, previous, later));
        start = end;
    }
    Computed { years }
}

fn compute_year(
    site: &Site,
    year: i32,
    targets: Option<&YearTargets>,
    reports: Range<usize>,
    previous: Option<&YearData>,
    later: bool,
) -> YearData {
    let last_report = site.reports[reports.end.saturating_sub(1).max(reports.start)].as_of;
    let due = targets.map(|t| t.due).or_else(|| Date::last_of_year(year)).unwrap_or(last_report);
    let closed = later || last_report >= due;
    let at_risk = site.config.at_risk;
    let dates: Vec<Date> = site.reports[reports.clone()].iter().map(|r| r.as_of).collect();
    let units = site.figures.par_map(|l, i, figures| {
        // Validation guarantees a goal for every locality on every indicator the year's
        // reports give figures for, once the year's targets are published.
        let goal = targets.and_then(|t| *t.goals.get(l, i));
        let baseline = previous.and_then(|p| last_point(p, p.units.get(l, i)));
        let values = figures[reports.clone()].iter().map(|f| f.map(|f| f.value));
        Series::new(goal, values, &dates, due, baseline, at_risk, closed)
    });

    let everyone: Vec<usize> = (0..site.localities.len()).collect();
    let aggregate = |members: &[usize], previous: Option<(&YearData, &Series)>, indicator: usize| {
        // A goal only when every member has one.
        let goals: Option<Vec<&Goal>> = members.iter().map(|&l| units.get(l, indicator).goal.as_ref()).collect();
        let goal = goals.map(Goal::sum);
        let values = carried_forward(site, reports.clone(), members, indicator);
        let baseline = previous.and_then(|(p, s)| last_point(p, s));
        Series::new(goal, values.into_iter(), &dates, due, baseline, at_risk, closed)
    };
    let city = (0..site.indicators.len()).map(|i| aggregate(&everyone, previous.map(|p| (p, &p.city[i])), i)).collect();
    let groups = site
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            (0..site.indicators.len())
                .map(|i| aggregate(&group.members, previous.and_then(|p| Some((p, &p.groups.get(g)?[i]))), i))
                .collect()
        })
        .collect();
    YearData { year, targeted: targets.is_some(), due, closed, reports, dates, units, city, groups }
}

/// The last figure of `series` in `year`, with its date: where the next year's expected
/// path starts.
fn last_point(year: &YearData, series: &Series) -> Option<Point> {
    let (k, value) = series.latest_figure()?;
    Some(Point { date: *year.dates.get(k)?, value })
}

/// At each report, the sum over `members` of each one's latest figure of the year at or
/// before it; `None` for reports before any member has a figure.
fn carried_forward(site: &Site, reports: Range<usize>, members: &[usize], indicator: usize) -> Vec<Option<u64>> {
    let mut latest: Vec<Option<u64>> = vec![None; members.len()];
    let mut sum: u64 = 0;
    reports
        .map(|r| {
            for (k, &l) in members.iter().enumerate() {
                if let Some(f) = site.figures.get(l, indicator)[r] {
                    sum = sum - latest[k].unwrap_or(0) + f.value;
                    latest[k] = Some(f.value);
                }
            }
            latest.iter().any(Option::is_some).then_some(sum)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::progress::Status;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    /// Two localities, one indicator; `b` misses the second report.
    fn site() -> Site {
        let loc = |id: &str, group| Locality {
            id: id.into(),
            name: id.into(),
            kind: LocalityKind::Ward,
            code: None,
            group,
            formed_from: Vec::new(),
            label: id.into(),
        };
        let report = |as_of| Report { as_of, source: None, file: String::new() };
        let figures: [[Option<u64>; 4]; 2] =
            [[Some(40), Some(50), Some(60), Some(90)], [Some(20), Some(30), None, Some(45)]];
        Site {
            config: Config {
                title: "t".into(),
                description: String::new(),
                language: Language::get("en").unwrap(),
                publisher: None,
                base_url: None,
                at_risk: 0.9,
                notice: None,
            },
            city: City { id: "c".into(), name: "C".into() },
            localities: vec![loc("a", Some(0)), loc("b", None)],
            groups: vec![Group { name: "G".into(), slug: "g".into(), members: vec![0] }],
            indicators: vec![Indicator {
                id: "i".into(),
                name: "I".into(),
                short: "I".into(),
                unit: String::new(),
                kind: IndicatorKind::Count,
                base_label: None,
                aliases: Vec::new(),
            }],
            years: vec![
                YearTargets {
                    year: 2024,
                    due: d(2024, 12, 31),
                    file: String::new(),
                    goals: Grid::new(2, 1, |_, _| Some(Goal::count(100))),
                },
                YearTargets {
                    year: 2025,
                    due: d(2025, 12, 31),
                    file: String::new(),
                    goals: Grid::new(2, 1, |l, _| Some(Goal::count(if l == 0 { 100 } else { 50 }))),
                },
            ],
            reports: vec![
                report(d(2024, 12, 31)),
                report(d(2025, 3, 31)),
                report(d(2025, 6, 30)),
                report(d(2025, 9, 30)),
            ],
            figures: Grid::new(2, 1, |l, _| {
                figures[l].iter().map(|v| v.map(|value| Figure { value, line: 0, column: 0 })).collect()
            }),
            content: Content::default(),
            outlines: None,
        }
    }

    #[test]
    fn city_carries_missing_figures_forward() {
        let c = compute(&site());
        assert_eq!(c.years.len(), 2);
        let y = c.current().unwrap();
        assert_eq!(y.year, 2025);
        let values: Vec<u64> = y.city[0].points().map(|p| p.value).collect();
        // June: a = 60, b carried forward at 30.
        assert_eq!(values, vec![80, 90, 135]);
        assert_eq!(y.city[0].target(), Some(150));
        assert_eq!(y.city[0].baseline.map(|p| p.value), Some(60));
        assert_eq!(y.city[0].latest().unwrap().remaining, 15);
    }

    #[test]
    fn unit_series_have_gaps_not_zeros() {
        let c = compute(&site());
        let b = c.current().unwrap().units.get(1, 0);
        assert_eq!(b.points().count(), 2);
        assert!(b.at(1).is_none(), "June is a gap");
        assert_eq!(b.baseline.map(|p| p.value), Some(20));
        assert_eq!(b.latest().unwrap().value, 45);
        assert_eq!(b.at(0).unwrap().status, Status::NoTrend);
    }

    #[test]
    fn groups_sum_their_members() {
        let c = compute(&site());
        let g = &c.current().unwrap().groups[0][0];
        assert_eq!(g.points().map(|p| p.value).collect::<Vec<_>>(), vec![50, 60, 90]);
        assert_eq!(g.target(), Some(100));
        // The previous year's single report gives the baseline.
        assert_eq!(g.baseline.map(|p| p.value), Some(40));
    }
}
