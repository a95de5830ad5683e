//! The arithmetic of SPEC §2, as pure functions of figures, targets and dates.
//!
//! Nothing here knows about files, localities or pages: a series of dated
//! figures and a goal go in, a [`Standing`] comes out. Whole numbers of people
//! stay integers (the coverage target is an exact integer ceiling, never a
//! rounded float); only ratios and rates are floating point.

use crate::date::Date;

/// A target rate, exact to four decimals of a percent: 95.0 % is stored as 950_000.
///
/// Rates are written as decimals (`95.0`, `92.75`); storing them scaled as integers
/// keeps ⌈rate × base / 100⌉ exact, where `95.1 * 1000.0 / 100.0` in floating point
/// is 951.0000000000001 and its ceiling one person too many.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rate(u32);

/// Why a written rate is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateError {
    NotANumber,
    TooManyDecimals,
    /// Outside (0, 100].
    OutOfRange,
}

impl Rate {
    /// Units per percent.
    pub const SCALE: u32 = 10_000;
    const HUNDRED: u32 = 100 * Rate::SCALE;

    /// Parses a decimal as written (`95`, `95.0`, `92.75`), exactly.
    pub fn parse(text: &str) -> Result<Rate, RateError> {
        let text = text.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && frac.is_empty() || !all_digits(whole) || !all_digits(frac) {
            return Err(if text.starts_with('-') { RateError::OutOfRange } else { RateError::NotANumber });
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > 4 {
            return Err(RateError::TooManyDecimals);
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 3 {
            return Err(RateError::OutOfRange);
        }
        let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| RateError::NotANumber)? };
        let mut frac_units: u32 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| RateError::NotANumber)? };
        for _ in frac.len()..4 {
            frac_units *= 10;
        }
        let units = whole * Rate::SCALE + frac_units;
        if units == 0 || units > Rate::HUNDRED {
            return Err(RateError::OutOfRange);
        }
        Ok(Rate(units))
    }

    /// From a number the YAML parser read as floating point: its shortest decimal
    /// form is the text the user wrote, which [`Rate::parse`] then reads exactly.
    pub fn from_f64(value: f64) -> Result<Rate, RateError> {
        if !value.is_finite() {
            return Err(RateError::NotANumber);
        }
        if value <= 0.0 || value > 100.0 {
            return Err(RateError::OutOfRange);
        }
        Rate::parse(&value.to_string())
    }

    pub fn percent(self) -> f64 {
        f64::from(self.0) / f64::from(Rate::SCALE)
    }

    /// ⌈rate × base / 100⌉: the whole number of people the rate asks for.
    pub fn people(self, base: u64) -> u64 {
        let num = u128::from(self.0) * u128::from(base);
        let den = u128::from(Rate::HUNDRED);
        // base ≤ u64::MAX and rate ≤ 100 %, so the result fits in u64.
        u64::try_from(num.div_ceil(den)).unwrap_or(u64::MAX)
    }
}

/// What a series is measured against: a count target, or a coverage target turned into people.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Goal {
    /// The target number of people: the count target, or ⌈target rate × base / 100⌉.
    pub people: u64,
    /// The target before rounding up to whole people; progress is value / exact.
    pub exact: f64,
    /// For coverage: the number of people the rate is a share of.
    pub base: Option<u64>,
}

impl Goal {
    pub fn count(target: u64) -> Goal {
        Goal { people: target, exact: target as f64, base: None }
    }

    pub fn coverage(rate: Rate, base: u64) -> Goal {
        Goal { people: rate.people(base), exact: rate.percent() * base as f64 / 100.0, base: Some(base) }
    }

    /// The goal of a city or group: targets and bases are sums (SPEC §2). The sum of the
    /// members' whole-people targets is the target, so that "achieved" and a progress of
    /// 100 % always agree.
    pub fn sum<'a>(goals: impl IntoIterator<Item = &'a Goal>) -> Goal {
        let mut people = 0u64;
        let mut base: Option<u64> = None;
        let mut all_coverage = true;
        for g in goals {
            people = people.saturating_add(g.people);
            match g.base {
                Some(b) => base = Some(base.unwrap_or(0).saturating_add(b)),
                None => all_coverage = false,
            }
        }
        Goal { people, exact: people as f64, base: if all_coverage { base } else { None } }
    }

    /// The target rate in percent, for coverage goals.
    pub fn target_rate(&self) -> Option<f64> {
        self.base.filter(|&b| b > 0).map(|b| self.exact / b as f64 * 100.0)
    }

    /// The coverage rate in percent that `value` people represent, for coverage goals.
    pub fn rate_of(&self, value: f64) -> Option<f64> {
        self.base.filter(|&b| b > 0).map(|b| value / b as f64 * 100.0)
    }
}

/// One dated figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub date: Date,
    pub value: u64,
}

/// Where a series stands against its goal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Achieved,
    OnTrack,
    AtRisk,
    Behind,
    NoTrend,
    /// The final result of a closed year short of its target.
    Missed,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::Achieved, Status::OnTrack, Status::AtRisk, Status::Behind, Status::NoTrend, Status::Missed];

    /// The machine name used in figures.csv and in CSS classes.
    pub fn slug(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::Behind => "behind",
            Status::NoTrend => "no-trend",
            Status::Missed => "missed",
        }
    }
}

/// A series' position as of one of its figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Standing {
    pub date: Date,
    pub value: u64,
    /// value / target: 1.0 is 100 %.
    pub progress: f64,
    /// People still needed to reach the target, never negative.
    pub remaining: u64,
    /// People gained per month over the last three intervals; unknown with a single figure.
    pub pace: Option<f64>,
    /// People needed per month from now to the due date; unknown at or after the due date.
    pub needed_per_month: Option<f64>,
    /// The figure expected at the due date if the pace holds.
    pub projection: Option<f64>,
    /// Where the straight path from the baseline to the target stands at this date.
    pub expected: f64,
    pub status: Status,
}

/// progress = value / target (for coverage, rate / target rate, which is the same ratio).
pub fn progress(value: u64, goal: &Goal) -> f64 {
    if goal.exact > 0.0 { value as f64 / goal.exact } else { 0.0 }
}

/// People still needed: max(target − value, 0).
pub fn remaining(value: u64, goal: &Goal) -> u64 {
    goal.people.saturating_sub(value)
}

/// People per month between the latest figure and the one three figures before it
/// (or the earliest, when there are fewer). `None` with fewer than two figures.
pub fn pace(points: &[Point]) -> Option<f64> {
    let last = points.len().checked_sub(1)?;
    let first = last.saturating_sub(3);
    if first == last {
        return None;
    }
    let (a, b) = (points[first], points[last]);
    let months = a.date.months_until(b.date);
    (months > 0.0).then(|| (b.value as f64 - a.value as f64) / months)
}

/// The figure at `due` if `pace` holds from the figure `latest`.
pub fn projection(latest: Point, pace: f64, due: Date) -> f64 {
    latest.value as f64 + pace * latest.date.months_until(due).max(0.0)
}

/// People per month needed from `at` to `due`; `None` when no time is left.
pub fn needed_per_month(remaining: u64, at: Date, due: Date) -> Option<f64> {
    let months = at.months_until(due);
    (months > 0.0).then(|| remaining as f64 / months)
}

/// The straight path from `baseline` to `target` at `due`, evaluated at `at`.
pub fn expected(baseline: Point, target: u64, due: Date, at: Date) -> f64 {
    let span = (due.days() - baseline.date.days()) as f64;
    if span <= 0.0 {
        return target as f64;
    }
    let elapsed = ((at.days() - baseline.date.days()) as f64).clamp(0.0, span);
    let start = baseline.value as f64;
    start + (target as f64 - start) * elapsed / span
}

/// The four statuses of SPEC §2, and `no trend yet` when the pace is unknown.
pub fn status(value: u64, goal: &Goal, projection: Option<f64>, at_risk: f64) -> Status {
    // Whole people against the whole-people target: exact, and the same as
    // progress ≥ 1 because a figure is an integer.
    if value >= goal.people {
        return Status::Achieved;
    }
    let target = goal.people as f64;
    match projection {
        None => Status::NoTrend,
        Some(p) if p >= target => Status::OnTrack,
        Some(p) if p >= at_risk * target => Status::AtRisk,
        Some(_) => Status::Behind,
    }
}

/// Where a year's series stands as of its last figure.
///
/// `points` are the year's figures up to the date of interest, oldest first;
/// `baseline` is the last figure of the year before, if any (else the year's first figure).
pub fn standing(points: &[Point], goal: &Goal, due: Date, baseline: Option<Point>, at_risk: f64) -> Option<Standing> {
    let latest = *points.last()?;
    let baseline = baseline.unwrap_or(points[0]);
    let pace = pace(points);
    let projection = pace.map(|p| projection(latest, p, due));
    let remaining = remaining(latest.value, goal);
    Some(Standing {
        date: latest.date,
        value: latest.value,
        progress: progress(latest.value, goal),
        remaining,
        pace,
        needed_per_month: needed_per_month(remaining, latest.date, due),
        projection,
        expected: expected(baseline, goal.people, due, latest.date),
        status: status(latest.value, goal, projection, at_risk),
    })
}

/// A standing of a closed year (SPEC §2): a result, not a forecast. Achieved or missed,
/// with the people it fell short by; no pace, needed per month or projection.
pub fn closed(standing: Standing) -> Standing {
    Standing {
        pace: None,
        needed_per_month: None,
        projection: None,
        status: if standing.status == Status::Achieved { Status::Achieved } else { Status::Missed },
        ..standing
    }
}

/// The standing as of every figure of a series: one per figure, for history tables and figures.csv.
pub fn standings(points: &[Point], goal: &Goal, due: Date, baseline: Option<Point>, at_risk: f64) -> Vec<Standing> {
    (1..=points.len()).filter_map(|n| standing(&points[..n], goal, due, baseline, at_risk)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn p(y: i32, m: u8, day: u8, value: u64) -> Point {
        Point { date: d(y, m, day), value }
    }

    #[test]
    fn rate_parses_exactly() {
        assert_eq!(Rate::parse("95").unwrap().percent(), 95.0);
        assert_eq!(Rate::parse("95.0").unwrap(), Rate::parse("95").unwrap());
        assert_eq!(Rate::parse("92.75").unwrap().percent(), 92.75);
        assert_eq!(Rate::parse("0.5").unwrap().percent(), 0.5);
        assert_eq!(Rate::parse("100").unwrap().percent(), 100.0);
        assert_eq!(Rate::parse("100.0001"), Err(RateError::OutOfRange));
        assert_eq!(Rate::parse("0"), Err(RateError::OutOfRange));
        assert_eq!(Rate::parse("-5"), Err(RateError::OutOfRange));
        assert_eq!(Rate::parse("95.12345"), Err(RateError::TooManyDecimals));
        assert_eq!(Rate::parse("9a"), Err(RateError::NotANumber));
        assert_eq!(Rate::parse("."), Err(RateError::NotANumber));
        assert_eq!(Rate::parse("1000"), Err(RateError::OutOfRange));
        assert_eq!(Rate::from_f64(95.1).unwrap(), Rate::parse("95.1").unwrap());
        assert_eq!(Rate::from_f64(f64::NAN), Err(RateError::NotANumber));
        assert_eq!(Rate::from_f64(f64::INFINITY), Err(RateError::NotANumber));
    }

    #[test]
    fn coverage_target_is_an_exact_integer_ceiling() {
        // 90.04 % of 40,000 is exactly 36,016; floating point gives 36016.00000000001,
        // whose ceiling would ask for one person too many.
        assert_eq!((90.04f64 * 40_000.0 / 100.0).ceil(), 36_017.0);
        assert_eq!(Rate::parse("90.04").unwrap().people(40_000), 36_016);
        assert_eq!(Rate::from_f64(90.04).unwrap().people(40_000), 36_016);
        assert_eq!(Rate::parse("95.1").unwrap().people(1000), 951);
        // 95 % of 40,000 = 38,000 exactly.
        assert_eq!(Rate::parse("95").unwrap().people(40_000), 38_000);
        // 92.5 % of 333 = 308.025 → 309.
        assert_eq!(Rate::parse("92.5").unwrap().people(333), 309);
        // 0.0001 % of 1 person is still one person.
        assert_eq!(Rate::parse("0.0001").unwrap().people(1), 1);
        assert_eq!(Rate::parse("100").unwrap().people(u64::MAX), u64::MAX);
    }

    #[test]
    fn count_progress_and_remaining_long_my() {
        // The published figure: 1,215 of 1,509 is 80.52 %, 294 people short.
        let g = Goal::count(1509);
        let pr = progress(1215, &g);
        assert!((pr * 100.0 - 80.516_898).abs() < 1e-5);
        assert_eq!(format!("{:.2}", pr * 100.0), "80.52");
        assert_eq!(remaining(1215, &g), 294);
        assert_eq!(remaining(1600, &g), 0);
    }

    #[test]
    fn coverage_progress_long_my() {
        // 35,300 of 40,000 people is 88.25 % coverage; against 95 % that is 92.89 %.
        let g = Goal::coverage(Rate::parse("95").unwrap(), 40_000);
        assert_eq!(g.people, 38_000);
        assert_eq!(g.rate_of(35_300.0), Some(88.25));
        assert_eq!(g.target_rate(), Some(95.0));
        assert_eq!(format!("{:.2}", progress(35_300, &g) * 100.0), "92.89");
        assert_eq!(remaining(35_300, &g), 2_700);
    }

    #[test]
    fn pace_uses_the_figure_three_before_the_latest() {
        let pts =
            [p(2025, 1, 31, 100), p(2025, 2, 28, 200), p(2025, 3, 31, 260), p(2025, 4, 30, 300), p(2025, 5, 31, 400)];
        // From 28 Feb (200) to 31 May (400): 92 days.
        let expected = 200.0 / (92.0 / 30.4375);
        assert!((pace(&pts).unwrap() - expected).abs() < 1e-9);
        // With fewer than four figures, from the earliest: 31 Jan (100) to 31 Mar (260), 59 days.
        let expected = 160.0 / (59.0 / 30.4375);
        assert!((pace(&pts[..3]).unwrap() - expected).abs() < 1e-9);
        assert_eq!(pace(&pts[..1]), None);
        assert_eq!(pace(&[]), None);
    }

    #[test]
    fn projection_and_needed_per_month() {
        let latest = p(2025, 9, 30, 1215);
        let due = d(2025, 12, 31); // 92 days later
        let months = 92.0 / 30.4375;
        assert!((projection(latest, 30.0, due) - (1215.0 + 30.0 * months)).abs() < 1e-9);
        assert!((needed_per_month(294, latest.date, due).unwrap() - 294.0 / months).abs() < 1e-9);
        // At or after the due date nothing more can be gained, and no rate is needed.
        assert_eq!(projection(p(2026, 1, 5, 10), 5.0, due), 10.0);
        assert_eq!(needed_per_month(5, due, due), None);
    }

    #[test]
    fn expected_path_is_a_straight_line_from_baseline_to_target() {
        let base = p(2024, 12, 31, 1000);
        let due = d(2025, 12, 31);
        assert_eq!(expected(base, 2000, due, base.date), 1000.0);
        assert_eq!(expected(base, 2000, due, due), 2000.0);
        // 2025-07-02 is day 183 of 365 after 2024-12-31.
        let mid = d(2025, 7, 2);
        assert!((expected(base, 2000, due, mid) - (1000.0 + 1000.0 * 183.0 / 365.0)).abs() < 1e-9);
        // Before the baseline or after the due date the path is clamped.
        assert_eq!(expected(base, 2000, due, d(2026, 3, 1)), 2000.0);
    }

    #[test]
    fn statuses() {
        let g = Goal::count(1000);
        assert_eq!(status(1000, &g, None, 0.9), Status::Achieved);
        assert_eq!(status(1200, &g, Some(0.0), 0.9), Status::Achieved);
        assert_eq!(status(500, &g, None, 0.9), Status::NoTrend);
        assert_eq!(status(500, &g, Some(1000.0), 0.9), Status::OnTrack);
        assert_eq!(status(500, &g, Some(999.9), 0.9), Status::AtRisk);
        assert_eq!(status(500, &g, Some(900.0), 0.9), Status::AtRisk);
        assert_eq!(status(500, &g, Some(899.9), 0.9), Status::Behind);
        assert_eq!(status(500, &g, Some(950.0), 0.96), Status::Behind);
    }

    #[test]
    fn standing_of_a_single_report_has_no_trend_but_progress() {
        let g = Goal::count(1509);
        let s = standing(&[p(2025, 9, 30, 1215)], &g, d(2025, 12, 31), None, 0.9).unwrap();
        assert_eq!(s.status, Status::NoTrend);
        assert_eq!(s.remaining, 294);
        assert_eq!(s.pace, None);
        assert_eq!(s.projection, None);
        // Without a previous year, the path starts at the first figure.
        assert_eq!(s.expected, 1215.0);
    }

    #[test]
    fn standing_over_a_year() {
        let g = Goal::count(1200);
        let pts = [p(2025, 3, 31, 300), p(2025, 6, 30, 600), p(2025, 9, 30, 880)];
        let due = d(2025, 12, 31);
        let s = standing(&pts, &g, due, Some(p(2024, 12, 31, 0)), 0.9).unwrap();
        // 580 people in 183 days (31 Mar to 30 Sep); 92 days to go: about 1,171.6 by the due date.
        let pace = 580.0 / (183.0 / 30.4375);
        assert!((s.pace.unwrap() - pace).abs() < 1e-9);
        let proj = 880.0 + pace * 92.0 / 30.4375;
        assert!((s.projection.unwrap() - proj).abs() < 1e-9);
        assert!((1080.0..1200.0).contains(&proj));
        assert_eq!(s.status, Status::AtRisk);
        // Path from 0 on 2024-12-31 to 1200 on 2025-12-31: 273 of 365 days.
        assert!((s.expected - 1200.0 * 273.0 / 365.0).abs() < 1e-9);
        let all = standings(&pts, &g, due, None, 0.9);
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].status, Status::NoTrend);
        assert_eq!(all[2], standing(&pts, &g, due, None, 0.9).unwrap());
    }

    #[test]
    fn aggregate_goals_are_sums() {
        let a = Goal::coverage(Rate::parse("95").unwrap(), 40_000);
        let b = Goal::coverage(Rate::parse("92.5").unwrap(), 333);
        let sum = Goal::sum([&a, &b]);
        assert_eq!(sum.people, 38_000 + 309);
        assert_eq!(sum.base, Some(40_333));
        assert_eq!(progress(38_309, &sum), 1.0);
        assert_eq!(status(38_309, &sum, None, 0.9), Status::Achieved);
        let counts = Goal::sum([&Goal::count(10), &Goal::count(5)]);
        assert_eq!((counts.people, counts.base), (15, None));
    }
}
