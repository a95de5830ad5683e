//! The trend chart of one series over its year: the monthly figures, the target,
//! the expected-by-now path and the projection to the due date.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ACTUAL, AXIS, EXPECTED, GRID, INK, PROJECTION, TARGET, accessible, dash, err, px};
use crate::compute::Series;
use crate::date::Date;
use crate::format::Fmt;

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
    pub year: i32,
    pub due: Date,
    /// Plot the coverage rate in percent instead of people.
    pub as_rate: bool,
    pub labels: &'a TrendLabels,
    pub fmt: Fmt,
    /// The dates of the year's reports: where the series has no figure, its line breaks.
    pub report_dates: &'a [Date],
}

// Drawn small and scaled by the page: at a phone's 360 px the text is still about 10 px,
// and pages cap the width so it stays near its natural size on a desktop.
const WIDTH: u32 = 480;
const HEIGHT: u32 = 280;
/// Text size in pixels.
const TEXT: f64 = 13.0;
/// Height of one row of the legend.
const LEGEND_ROW: i32 = 20;

/// Months since 1 January of `year`, with the day as a fraction: 30 September is 8.97.
fn month_x(year: i32, d: Date) -> f64 {
    f64::from((d.year() - year) * 12 + i32::from(d.month()) - 1) + f64::from(d.day() - 1) / f64::from(d.days_in_month())
}

pub fn trend(t: &Trend) -> Result<String, super::Error> {
    let s = t.series;
    let y_of = |people: f64| match (t.as_rate, s.goal.rate_of(people)) {
        (true, Some(r)) => r,
        _ => people,
    };
    let actual: Vec<(f64, f64)> = s.points.iter().map(|p| (month_x(t.year, p.date), y_of(p.value as f64))).collect();
    // Runs of figures from consecutive reports: a report without a figure is a gap in the line.
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    let mut next = s.points.iter().zip(&actual).peekable();
    for date in t.report_dates {
        match next.next_if(|(p, _)| p.date == *date) {
            Some((_, &xy)) => runs.last_mut().map_or((), |r| r.push(xy)),
            None if runs.last().is_some_and(|r| !r.is_empty()) => runs.push(Vec::new()),
            None => {}
        }
    }
    // Figures on dates outside the list (none in practice) still get drawn.
    runs.extend(next.map(|(_, &xy)| vec![xy]));
    let latest = s.latest();
    let x_due = month_x(t.year, t.due);
    let target = y_of(s.goal.people as f64);
    let start = s.path_start();
    let expected: Vec<(f64, f64)> =
        start.map(|b| vec![(month_x(t.year, b.date), y_of(b.value as f64)), (x_due, target)]).unwrap_or_default();
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

    let mut svg = String::with_capacity(8 * 1024);
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let legend = legend_layout(t.labels, !projection.is_empty());
        let legend_height = legend.last().map_or(0, |e| e.y) + LEGEND_ROW / 2 + 4;
        let (legend_area, plot_area) = root.split_vertically(legend_height);
        draw_legend(&legend_area, &legend)?;

        let fmt = t.fmt;
        let as_rate = t.as_rate;
        let y_label = move |y: &f64| {
            if as_rate { fmt.percent(*y).replace(",00", "").replace(".00", "") } else { fmt.count_f(*y) }
        };
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(6)
            .margin_right(16)
            .margin_top(6)
            .x_label_area_size(26)
            .y_label_area_size(if as_rate { 50 } else { 62 })
            .build_cartesian_2d(x_min..x_max, y_min..y_max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(5)
            .max_light_lines(0)
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(AXIS.stroke_width(1))
            .y_label_formatter(&y_label)
            .label_style(("sans-serif", px(TEXT)).into_font().color(&INK))
            .draw()
            .map_err(err)?;

        // Month names under the axis, centred on each month.
        let month_style = ("sans-serif", px(TEXT)).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Top));
        let first = x_min.ceil() as i32;
        let last = x_max.floor() as i32;
        for k in first..last {
            let (x, y) = chart.backend_coord(&(f64::from(k) + 0.5, y_min));
            let month = u8::try_from(k.rem_euclid(12) + 1).unwrap_or(1);
            root.draw(&Text::new(fmt.month_short(month), (x, y + 6), month_style.clone())).map_err(err)?;
        }

        if expected.len() == 2 {
            chart.draw_series(LineSeries::new(expected.iter().copied(), EXPECTED.stroke_width(2))).map_err(err)?;
        }
        chart.draw_series(LineSeries::new([(x_min, target), (x_max, target)], TARGET.stroke_width(2))).map_err(err)?;
        let label_style = ("sans-serif", px(TEXT)).into_font().color(&TARGET).pos(Pos::new(HPos::Right, VPos::Bottom));
        let target_text = if t.as_rate { fmt.percent(target) } else { fmt.count(s.goal.people) };
        let (tx, ty) = chart.backend_coord(&(x_max, target));
        root.draw(&Text::new(format!("{} {target_text}", t.labels.target), (tx - 2, ty - 4), label_style))
            .map_err(err)?;
        if !projection.is_empty() {
            chart.draw_series(LineSeries::new(projection.iter().copied(), PROJECTION.stroke_width(2))).map_err(err)?;
        }
        for run in runs.iter().filter(|r| r.len() > 1) {
            chart.draw_series(LineSeries::new(run.iter().copied(), ACTUAL.stroke_width(3))).map_err(err)?;
        }
        chart.draw_series(actual.iter().map(|&p| Circle::new(p, 4, ACTUAL.filled()))).map_err(err)?;
        root.present().map_err(err)?;
    }
    let svg = dash(&svg, TARGET, "10 5");
    let svg = dash(&svg, PROJECTION, "6 4");
    let svg = dash(&svg, EXPECTED, "2 4");
    Ok(accessible(&svg, t.id, t.title, t.desc))
}

/// One entry of the legend, placed.
struct LegendEntry<'a> {
    label: &'a str,
    colour: RGBColor,
    width: u32,
    x: i32,
    y: i32,
}

/// The legend's entries in rows that fit the chart's width.
fn legend_layout(labels: &TrendLabels, projection: bool) -> Vec<LegendEntry<'_>> {
    let mut entries = vec![(&labels.actual, ACTUAL, 3), (&labels.target, TARGET, 2), (&labels.expected, EXPECTED, 2)];
    if projection {
        entries.push((&labels.projection, PROJECTION, 2));
    }
    let (mut x, mut y) = (6, LEGEND_ROW / 2 + 2);
    let mut placed = Vec::with_capacity(entries.len());
    for (label, colour, width) in entries {
        // plotters cannot measure text without font files; 0.6 em per character is generous.
        let span = 30 + (TEXT * 0.6 * label.chars().count() as f64).ceil() as i32 + 14;
        if x > 6 && x + span > WIDTH as i32 {
            x = 6;
            y += LEGEND_ROW;
        }
        placed.push(LegendEntry { label, colour, width, x, y });
        x += span;
    }
    placed
}

/// A legend above the plot: a short stroke in each series' style, then its name.
fn draw_legend(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    entries: &[LegendEntry],
) -> Result<(), super::Error> {
    let style = ("sans-serif", px(TEXT)).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
    for e in entries {
        area.draw(&PathElement::new(vec![(e.x, e.y), (e.x + 24, e.y)], e.colour.stroke_width(e.width))).map_err(err)?;
        if e.colour == ACTUAL {
            area.draw(&Circle::new((e.x + 12, e.y), 4, e.colour.filled())).map_err(err)?;
        }
        area.draw(&Text::new(e.label.to_owned(), (e.x + 30, e.y), style.clone())).map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;
    use crate::progress::{Goal, Point, standings};

    fn series(points: &[(u8, u64)]) -> Series {
        let goal = Goal::count(1509);
        let points: Vec<Point> =
            points.iter().map(|&(m, v)| Point { date: Date::new(2025, m, 28).unwrap(), value: v }).collect();
        let due = Date::new(2025, 12, 31).unwrap();
        let standings = standings(&points, &goal, due, None, 0.9);
        Series { goal, points, standings, baseline: None }
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
        trend(&Trend {
            id: "t1",
            title,
            desc: "d",
            series: s,
            year: 2025,
            due: Date::new(2025, 12, 31).unwrap(),
            as_rate: false,
            labels: &l,
            fmt: Fmt::new(Language::Vi),
            report_dates: &s.points.iter().map(|p| p.date).collect::<Vec<_>>(),
        })
        .unwrap()
    }

    #[test]
    fn draws_all_series_with_text_alternative() {
        let s = series(&[(1, 900), (2, 1000), (3, 1100), (9, 1215)]);
        let svg = draw(&s, "Phường <Long Mỹ> đạt 80,52 %");
        assert!(svg.contains("<title id=\"t1-t\">Phường &lt;Long Mỹ&gt; đạt 80,52 %</title>"));
        assert!(svg.contains("role=\"img\""));
        // Target, projection and expected path are dashed in distinct patterns.
        assert!(svg.contains("stroke-dasharray=\"10 5\""));
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
        assert!(svg.contains("stroke-dasharray=\"2 4\""));
        assert!(svg.contains(">\nChỉ tiêu 1.509\n<"), "target label");
        assert!(svg.contains(">\nT9\n<") && svg.contains(">\nT12\n<"), "month labels");
        // One marker per figure, plus the legend's.
        assert_eq!(svg.matches("<circle").count(), 5);
    }

    #[test]
    fn single_figure_has_no_projection() {
        let s = series(&[(9, 1215)]);
        let svg = draw(&s, "x");
        assert!(!svg.contains("stroke-dasharray=\"6 4\""));
        assert!(!svg.contains("Dự báo"));
    }

    #[test]
    fn a_missing_report_breaks_the_line() {
        let s = series(&[(1, 900), (2, 1000), (4, 1100), (5, 1150)]);
        let l = labels();
        let dates: Vec<Date> = [1, 2, 3, 4, 5].iter().map(|&m| Date::new(2025, m, 28).unwrap()).collect();
        let draw = |report_dates: &[Date]| {
            trend(&Trend {
                id: "t",
                title: "t",
                desc: "d",
                series: &s,
                year: 2025,
                due: Date::new(2025, 12, 31).unwrap(),
                as_rate: false,
                labels: &l,
                fmt: Fmt::new(Language::Vi),
                report_dates,
            })
            .unwrap()
        };
        let solid = |svg: &str| svg.matches("stroke=\"#1F4E9C\" stroke-width=\"3\" points=").count();
        // The legend's sample line, then one line per run of consecutive reports.
        assert_eq!(solid(&draw(&dates)), 1 + 2);
        let without_march: Vec<Date> = dates.iter().copied().filter(|d| d.month() != 3).collect();
        assert_eq!(solid(&draw(&without_march)), 1 + 1);
    }

    #[test]
    fn output_is_deterministic() {
        let s = series(&[(1, 900), (5, 1000), (9, 1215)]);
        assert_eq!(draw(&s, "x"), draw(&s, "x"));
    }
}
