//! Compute: every series of the site and where it stands, once.
//!
//! For each year with reports: one series per locality and indicator, one per
//! indicator for the city, and one per group and indicator, each with its standing
//! as of every figure (SPEC §2). City and group values carry each member's latest
//! figure of the year forward, so a unit missing from one report is not dropped.
//! Later stages read these; none of them recomputes a figure.

use rayon::prelude::*;

use crate::date::Date;
use crate::model::Site;
use crate::progress::{Goal, Point, Standing, standings};

/// One series: a locality's (or the city's, or a group's) figures for one indicator in one year.
#[derive(Debug, Clone)]
pub struct Series {
    pub goal: Goal,
    pub points: Vec<Point>,
    /// The standing as of each point: `standings[k]` uses `points[..=k]`.
    pub standings: Vec<Standing>,
    /// The last figure of the year before, where the expected path starts.
    pub baseline: Option<Point>,
}

impl Series {
    pub fn latest(&self) -> Option<&Standing> {
        self.standings.last()
    }

    /// Where the expected path starts: the previous year's last figure, else the year's first.
    pub fn path_start(&self) -> Option<Point> {
        self.baseline.or_else(|| self.points.first().copied())
    }
}

/// Everything computed for one year that has reports.
#[derive(Debug, Clone)]
pub struct YearData {
    pub year: i32,
    pub due: Date,
    /// Indices into `Site::reports` of this year's reports, oldest first.
    pub reports: Vec<usize>,
    /// Dense by `Site::cell`.
    pub units: Vec<Series>,
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
        if let Some(targets) = site.targets_for(year) {
            years.push(compute_year(site, year, targets.due, &targets.goals, (start..end).collect(), previous));
        }
        start = end;
    }
    Computed { years }
}

fn compute_year(
    site: &Site,
    year: i32,
    due: Date,
    goals: &[Option<Goal>],
    reports: Vec<usize>,
    previous: Option<&YearData>,
) -> YearData {
    let at_risk = site.config.at_risk;
    let m = site.indicators.len();
    let units: Vec<Series> = (0..site.localities.len() * m)
        .into_par_iter()
        .map(|cell| {
            let points: Vec<Point> = reports
                .iter()
                .filter_map(|&r| {
                    site.reports[r].figures[cell].map(|value| Point { date: site.reports[r].as_of, value })
                })
                .collect();
            // Validation guarantees a goal for every cell of a year with reports.
            let goal = goals[cell].unwrap_or(Goal::count(1));
            let baseline = previous.and_then(|p| p.units[cell].points.last().copied());
            let standings = standings(&points, &goal, due, baseline, at_risk);
            Series { goal, points, standings, baseline }
        })
        .collect();

    let everyone: Vec<usize> = (0..site.localities.len()).collect();
    let aggregate = |members: &[usize], previous: Option<&Series>, indicator: usize| {
        let goal = Goal::sum(members.iter().map(|&l| &units[l * m + indicator].goal));
        let points = carried_forward(site, &reports, members, indicator);
        let baseline = previous.and_then(|p| p.points.last().copied());
        let standings = standings(&points, &goal, due, baseline, at_risk);
        Series { goal, points, standings, baseline }
    };
    let city = (0..m).map(|i| aggregate(&everyone, previous.map(|p| &p.city[i]), i)).collect();
    let groups = site
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            (0..m)
                .map(|i| aggregate(&group.members, previous.and_then(|p| p.groups.get(g)).map(|s| &s[i]), i))
                .collect()
        })
        .collect();
    YearData { year, due, reports, units, city, groups }
}

/// At each report date, the sum over `members` of each one's latest figure of the year
/// at or before that date. Dates before any member has a figure have no point.
fn carried_forward(site: &Site, reports: &[usize], members: &[usize], indicator: usize) -> Vec<Point> {
    let m = site.indicators.len();
    let mut latest: Vec<Option<u64>> = vec![None; members.len()];
    let mut sum: u64 = 0;
    let mut points = Vec::with_capacity(reports.len());
    for &r in reports {
        let report = &site.reports[r];
        for (k, &l) in members.iter().enumerate() {
            if let Some(v) = report.figures[l * m + indicator] {
                sum = sum - latest[k].unwrap_or(0) + v;
                latest[k] = Some(v);
            }
        }
        if latest.iter().any(Option::is_some) {
            points.push(Point { date: report.as_of, value: sum });
        }
    }
    points
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
        let loc =
            |id: &str, group| Locality { id: id.into(), name: id.into(), kind: LocalityKind::Ward, code: None, group };
        let report = |as_of, figures: Vec<Option<u64>>| Report { as_of, source: None, file: String::new(), figures };
        Site {
            config: Config {
                title: "t".into(),
                description: String::new(),
                language: Language::En,
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
            }],
            years: vec![
                YearTargets {
                    year: 2024,
                    due: d(2024, 12, 31),
                    file: String::new(),
                    goals: vec![Some(Goal::count(100)); 2],
                },
                YearTargets {
                    year: 2025,
                    due: d(2025, 12, 31),
                    file: String::new(),
                    goals: vec![Some(Goal::count(100)), Some(Goal::count(50))],
                },
            ],
            reports: vec![
                report(d(2024, 12, 31), vec![Some(40), Some(20)]),
                report(d(2025, 3, 31), vec![Some(50), Some(30)]),
                report(d(2025, 6, 30), vec![Some(60), None]),
                report(d(2025, 9, 30), vec![Some(90), Some(45)]),
            ],
            content: Content::default(),
        }
    }

    #[test]
    fn city_carries_missing_figures_forward() {
        let c = compute(&site());
        assert_eq!(c.years.len(), 2);
        let y = c.current().unwrap();
        assert_eq!(y.year, 2025);
        let values: Vec<u64> = y.city[0].points.iter().map(|p| p.value).collect();
        // June: a = 60, b carried forward at 30.
        assert_eq!(values, vec![80, 90, 135]);
        assert_eq!(y.city[0].goal.people, 150);
        assert_eq!(y.city[0].baseline.map(|p| p.value), Some(60));
        assert_eq!(y.city[0].latest().unwrap().remaining, 15);
    }

    #[test]
    fn unit_series_have_gaps_not_zeros() {
        let c = compute(&site());
        let b = &c.current().unwrap().units[1];
        assert_eq!(b.points.len(), 2);
        assert_eq!(b.baseline.map(|p| p.value), Some(20));
        assert_eq!(b.latest().unwrap().value, 45);
        assert_eq!(b.standings[0].status, Status::NoTrend);
    }

    #[test]
    fn groups_sum_their_members() {
        let c = compute(&site());
        let g = &c.current().unwrap().groups[0][0];
        assert_eq!(g.points.iter().map(|p| p.value).collect::<Vec<_>>(), vec![50, 60, 90]);
        assert_eq!(g.goal.people, 100);
        // The previous year's single report gives the baseline.
        assert_eq!(g.baseline.map(|p| p.value), Some(40));
    }
}
