//! The trend chart of one series over its year: the monthly figures, the target,
//! the expected-by-now path and the projection to the due date.

use std::fmt::Write as _;

use super::svg::{DRAWING, Stroke, Svg, num, text_width, ticks};
use super::{ACTUAL, EXPECTED, GRID, TARGET};
use crate::compute::Series;
use crate::date::Date;
use crate::format::Fmt;
use crate::progress::Goal;
use crate::text::push_escaped_html;

/// The words of a trend chart's legend, in the site's language.
#[derive(Debug, Clone)]
pub struct TrendLabels {
    pub actual: String,
    pub target: String,
    pub expected: String,
    pub projection: String,
}

pub struct Trend<'a> {
    /// Unique within the page that shows the chart.
    pub id: &'a str,
    /// The short text alternative: the plain sentence of SPEC §2.
    pub title: &'a str,
    pub desc: &'a str,
    pub series: &'a Series,
    /// The series' target: a trend chart is drawn only for a series with one.
    pub goal: &'a Goal,
    pub year: i32,
    pub due: Date,
    /// Plot the coverage rate in percent instead of people.
    pub as_rate: bool,
    /// A closed year: its result, without the expected path or a projection.
    pub closed: bool,
    pub labels: &'a TrendLabels,
    pub fmt: Fmt,
}

/// Months since 1 January of `year`, with the day as a fraction: 30 September is 8.97.
fn month_x(year: i32, d: Date) -> f64 {
    f64::from((d.year() - year) * 12 + i32::from(d.month()) - 1) + f64::from(d.day() - 1) / f64::from(d.days_in_month())
}

/// What a trend chart shows, in the data's own terms (x in months since 1 January, y in
/// people or percent): worked out once for the standalone SVG and for a page's HTML.
struct Plan {
    x_min: f64,
    x_max: f64,
    y_min: f64,
    y_max: f64,
    /// The axis's steps and their labels.
    y_ticks: Vec<(f64, String)>,
    /// The middle of each month shown, its short name, and its number (1–12).
    months: Vec<(f64, String, u8)>,
    /// Figures from consecutive reports: a report without a figure breaks the line.
    runs: Vec<Vec<(f64, f64)>>,
    actual: Vec<(f64, f64)>,
    expected: Vec<(f64, f64)>,
    projection: Vec<(f64, f64)>,
    target: f64,
    /// "Chỉ tiêu 1.509".
    target_label: String,
}

fn plan(t: &Trend) -> Plan {
    let s = t.series;
    let y_of = |people: f64| match (t.as_rate, t.goal.rate_of(people)) {
        (true, Some(r)) => r,
        _ => people,
    };
    let xy = |st: &crate::progress::Standing| (month_x(t.year, st.date), y_of(st.value as f64));
    let actual: Vec<(f64, f64)> = s.standings.iter().flatten().map(xy).collect();
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for standing in &s.standings {
        match standing {
            Some(st) => runs.last_mut().map_or((), |r| r.push(xy(st))),
            None if runs.last().is_some_and(|r| !r.is_empty()) => runs.push(Vec::new()),
            None => {}
        }
    }

    let latest = s.latest();
    let x_due = month_x(t.year, t.due);
    let target = y_of(t.goal.people as f64);
    let expected: Vec<(f64, f64)> = s
        .path_start()
        .filter(|_| !t.closed)
        .map(|b| vec![(month_x(t.year, b.date), y_of(b.value as f64)), (x_due, target)])
        .unwrap_or_default();
    let projection: Vec<(f64, f64)> = match (latest, latest.and_then(|l| l.projection)) {
        (Some(l), Some(p)) if l.date < t.due => {
            vec![(month_x(t.year, l.date), y_of(l.value as f64)), (x_due, y_of(p.max(0.0)))]
        }
        _ => Vec::new(),
    };

    let x_min = expected.first().map_or(0.0, |p| p.0).min(0.0) - 0.2;
    let x_max = x_due.max(12.0) + 0.2;
    let all_y = actual.iter().chain(&expected).chain(&projection).map(|p| p.1).chain([target]);
    let (lo, hi) = all_y.fold((f64::INFINITY, 0.0f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let (y_min, y_max) = if t.as_rate {
        // Coverage moves within a few points: start the axis near the data, in steps of 5 %.
        (((lo - 3.0) / 5.0).floor().max(0.0) * 5.0, (hi + 2.0).ceil())
    } else {
        (0.0, (hi * 1.12).max(1.0))
    };
    let fmt = t.fmt;
    let tick_label =
        |y: f64| if t.as_rate { fmt.percent(y).replace(",00", "").replace(".00", "") } else { fmt.count_f(y) };
    let y_ticks = ticks(y_min, y_max, 4).into_iter().map(|y| (y, tick_label(y))).collect();
    let months = ((x_min.ceil() as i32)..(x_max.floor() as i32))
        .map(|k| {
            let month = u8::try_from(k.rem_euclid(12) + 1).unwrap_or(1);
            (f64::from(k) + 0.5, fmt.month_short(month), month)
        })
        .collect();
    let target_text = if t.as_rate { fmt.percent(target) } else { fmt.count(t.goal.people) };
    Plan {
        x_min,
        x_max,
        y_min,
        y_max,
        y_ticks,
        months,
        runs,
        actual,
        expected,
        projection,
        target,
        target_label: format!("{} {target_text}", t.labels.target),
    }
}

/// The chart for a page: the lines drawn in an SVG that stretches to the width it is
/// given, and every word and number (legend, axis, target) in HTML around it, so that
/// they are read at the page's text size on a phone and grow with the reader's text
/// size. The page's style places them (`.legend`, `.plot`, `.months`).
pub fn trend_html(t: &Trend) -> String {
    html(t, &plan(t))
}

fn html(t: &Trend, p: &Plan) -> String {
    let size = f64::from(DRAWING);
    let x_share = |x: f64| (x - p.x_min) / (p.x_max - p.x_min);
    let y_share = |y: f64| (y - p.y_min) / (p.y_max - p.y_min);
    let map = |points: &[(f64, f64)]| {
        points.iter().map(|&(x, y)| (x_share(x) * size, (1.0 - y_share(y)) * size)).collect::<Vec<_>>()
    };
    // Room for the axis's labels, at 0.875 em and 0.6 em a character (generous).
    let widest = p.y_ticks.iter().map(|(_, label)| text_width(label, 0.875)).fold(0.0, f64::max);
    let mut out = String::with_capacity(4096);
    out.push_str("<div class=\"trend\" style=\"--yw: ");
    num(&mut out, widest + 0.5);
    out.push_str("em\">\n");
    out.push_str("<ul class=\"legend\" aria-hidden=\"true\">");
    let mut entries = vec![("actual", &t.labels.actual), ("target", &t.labels.target)];
    if !p.expected.is_empty() {
        entries.push(("expected", &t.labels.expected));
    }
    if !p.projection.is_empty() {
        entries.push(("projection", &t.labels.projection));
    }
    for (key, label) in entries {
        let _ = write!(out, "<li class=\"k-{key}\">");
        push_escaped_html(label, &mut out);
        out.push_str("</li>");
    }
    out.push_str("</ul>\n<div class=\"plot\">\n");

    let mut svg = Svg::drawing(t.id, t.title, t.desc);
    let grid: Vec<_> =
        p.y_ticks.iter().map(|&(y, _)| map(&[(p.x_min, y), (p.x_max, y)])).map(|l| (l[0], l[1])).collect();
    svg.segments(&grid, GRID, 1.0);
    svg.polyline(&map(&p.expected), EXPECTED, 2.0, Stroke::Dashed("2 4"));
    svg.polyline(&map(&[(p.x_min, p.target), (p.x_max, p.target)]), TARGET, 2.0, Stroke::Dashed("10 5"));
    svg.polyline(&map(&p.projection), ACTUAL, 2.0, Stroke::Dashed("6 4"));
    for run in &p.runs {
        svg.polyline(&map(run), ACTUAL, 3.0, Stroke::Solid);
    }
    svg.dots(&map(&p.actual), 8.0, ACTUAL);
    out.push_str(&svg.finish());

    let percent = |share: f64| (share * 100.0).clamp(0.0, 100.0);
    for (y, label) in &p.y_ticks {
        out.push_str("<span class=\"y\" aria-hidden=\"true\" style=\"bottom: ");
        num(&mut out, percent(y_share(*y)));
        out.push_str("%\">");
        push_escaped_html(label, &mut out);
        out.push_str("</span>");
    }
    out.push_str("\n<span class=\"tl\" aria-hidden=\"true\" style=\"bottom: ");
    num(&mut out, percent(y_share(p.target)));
    out.push_str("%\">");
    push_escaped_html(&p.target_label, &mut out);
    out.push_str("</span>\n</div>\n<div class=\"months\" aria-hidden=\"true\">");
    for (x, name, month) in &p.months {
        // On a narrow screen every other month is named.
        out.push_str(if month % 2 == 0 { "<span class=\"m2\" style=\"left: " } else { "<span style=\"left: " });
        num(&mut out, percent(x_share(*x)));
        out.push_str("%\">");
        push_escaped_html(name, &mut out);
        out.push_str("</span>");
    }
    out.push_str("</div>\n</div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;

    /// A series with a figure at the end of each of `months` (`None`: no figure that month).
    fn series(months: &[(u8, Option<u64>)]) -> Series {
        let dates: Vec<Date> = months.iter().map(|&(m, _)| Date::new(2025, m, 28).unwrap()).collect();
        let due = Date::new(2025, 12, 31).unwrap();
        Series::new(Some(Goal::count(1509)), months.iter().map(|&(_, v)| v), &dates, due, None, 0.9, false)
    }

    fn every(points: &[(u8, u64)]) -> Series {
        series(&points.iter().map(|&(m, v)| (m, Some(v))).collect::<Vec<_>>())
    }

    fn labels() -> TrendLabels {
        TrendLabels {
            actual: "Số liệu".into(),
            target: "Chỉ tiêu".into(),
            expected: "Lộ trình".into(),
            projection: "Dự báo".into(),
        }
    }

    fn draw(s: &Series, title: &str) -> String {
        let l = labels();
        trend_html(&Trend {
            id: "t1",
            title,
            desc: "d",
            series: s,
            goal: &Goal::count(1509),
            year: 2025,
            due: Date::new(2025, 12, 31).unwrap(),
            as_rate: false,
            closed: false,
            labels: &l,
            fmt: Fmt::new(Language::get("vi").unwrap()),
        })
    }

    #[test]
    fn draws_all_series_with_text_alternative() {
        let s = every(&[(1, 900), (2, 1000), (3, 1100), (9, 1215)]);
        let svg = draw(&s, "Phường <Long Mỹ> đạt 80,52 %");
        assert!(svg.contains("<title id=\"t1-t\">Phường &lt;Long Mỹ&gt; đạt 80,52 %</title>"));
        assert!(svg.contains("role=\"img\""));
        // Target, projection and expected path are dashed in distinct patterns.
        assert!(svg.contains("stroke-dasharray=\"10 5\""));
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
        assert!(svg.contains("stroke-dasharray=\"2 4\""));
        assert!(svg.contains(">Chỉ tiêu 1.509</span>"), "target label");
        assert!(svg.contains(">T9</span>") && svg.contains(">T12</span>"), "month labels");
        // One marker per figure.
        assert_eq!(svg.matches("h0").count(), 4);
    }

    #[test]
    fn single_figure_has_no_projection() {
        let s = every(&[(9, 1215)]);
        let svg = draw(&s, "x");
        assert!(!svg.contains("stroke-dasharray=\"6 4\""));
        assert!(!svg.contains("Dự báo"));
    }

    #[test]
    fn a_missing_report_breaks_the_line() {
        let solid = |svg: &str| svg.matches("stroke=\"#1F4E9C\" stroke-width=\"3\" points=").count();
        // One line per run of consecutive reports.
        let with_gap = series(&[(1, Some(900)), (2, Some(1000)), (3, None), (4, Some(1100)), (5, Some(1150))]);
        assert_eq!(solid(&draw(&with_gap, "t")), 2);
        let without_march = every(&[(1, 900), (2, 1000), (4, 1100), (5, 1150)]);
        assert_eq!(solid(&draw(&without_march, "t")), 1);
    }

    #[test]
    fn output_is_deterministic() {
        let s = every(&[(1, 900), (5, 1000), (9, 1215)]);
        assert_eq!(draw(&s, "x"), draw(&s, "x"));
    }
}
