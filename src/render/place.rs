//! What several pages show of a place (the city, a group, a locality): its figure for
//! each indicator, with the trend chart and the table of its numbers.

use super::views::{ChartView, FigureView, TableRows, TableView, column_labels};
use super::{RenderError, Renderer};
use crate::charts::{self, Trend, TrendLabels};
use crate::compute::Computed;
use crate::compute::Series;
use crate::format::Fmt;
use crate::i18n::Strings;
use crate::model::{Indicator, IndicatorKind, Site};

/// A place, the names it is called by, and where its charts go.
pub(super) struct Place<'p> {
    pub name: &'p str,
    pub charts: ChartPlace<'p>,
    /// Prefix of element ids on the page.
    pub id_prefix: &'p str,
}

/// Where a place's charts go under `charts/`: a folder per kind of place and indicator,
/// e.g. `localities/voluntary-si/long-my.svg`, so that a national site makes a few
/// folders for its 10,000 charts rather than one per place.
pub(super) enum ChartPlace<'p> {
    City,
    /// A kind of place (`localities`, `groups`) and the place's id.
    Member(&'static str, &'p str),
}

impl ChartPlace<'_> {
    fn file(&self, indicator: &str) -> String {
        match self {
            ChartPlace::City => format!("charts/city/{indicator}.svg"),
            ChartPlace::Member(kind, id) => format!("charts/{kind}/{indicator}/{id}.svg"),
        }
    }
}

/// What the tables of every place share, worked out once per build: their headings with
/// their column labels (see [`column_labels`]), and the report dates as written.
pub(super) struct Heads {
    /// A trend table's, for a count and for a coverage indicator.
    pub trend: [(Vec<String>, String); 2],
    /// A locality's history table's.
    pub history: (Vec<String>, String),
    /// By computed year, its report dates.
    pub dates: Vec<Vec<String>>,
}

impl Heads {
    pub fn new(site: &Site, computed: &Computed, s: &Strings, fmt: Fmt) -> Heads {
        let labelled = |head: Vec<String>| {
            let labels = column_labels(head.iter().skip(1).map(String::as_str));
            (head, labels)
        };
        let trend = |coverage: bool| {
            let mut head = vec![s.get("col_date").to_owned(), s.get("col_value").to_owned()];
            if coverage {
                head.push(s.get("col_rate").to_owned());
            }
            head.extend(["col_progress", "col_expected", "col_status"].map(|k| s.get(k).to_owned()));
            labelled(head)
        };
        let mut history = vec![s.get("col_date").to_owned()];
        for ind in &site.indicators {
            history.push(s.fill("col_indicator_value", &[("indicator", &ind.short)]));
            history.push(s.fill("col_indicator_progress", &[("indicator", &ind.short)]));
        }
        let dates = computed.years.iter().map(|y| y.dates.iter().map(|&d| fmt.date(d)).collect()).collect();
        Heads { trend: [trend(false), trend(true)], history: labelled(history), dates }
    }
}

impl Renderer<'_> {
    /// The place's figure for each indicator, with its trend chart, the chart also
    /// written as a standalone file when `write_charts`. The figures, and how many charts
    /// were written.
    pub(super) fn figures<'s>(
        &self,
        place: &Place,
        series: impl Fn(usize) -> &'s Series,
        write_charts: bool,
    ) -> Result<(Vec<FigureView>, usize), RenderError> {
        let mut figures = Vec::with_capacity(self.site.indicators.len());
        let mut charts = 0;
        for i in 0..self.site.indicators.len() {
            let f = self.figure(place, i, series(i), write_charts)?;
            charts += usize::from(f.chart.is_some() && write_charts);
            figures.push(f);
        }
        Ok((figures, charts))
    }

    /// A place's figure for indicator `i`, with its trend chart.
    pub(super) fn figure(
        &self,
        place: &Place,
        i: usize,
        series: &Series,
        write_chart: bool,
    ) -> Result<FigureView, RenderError> {
        let ind = &self.site.indicators[i];
        let id = format!("{}-{}", place.id_prefix, ind.id);
        let year = self.year.year;
        let mut figure = self.words.figure(id.clone(), place.name, ind, series, year, &self.year.dates);
        // A chart needs a target: without one (the year's targets not published) the
        // figure says what is known.
        let (Some(goal), Some(_)) = (&series.goal, series.latest()) else {
            return Ok(figure);
        };
        let title = self.words.with_status(&figure.sentence, series);
        let desc = self
            .words
            .s
            .fill("chart_trend_desc", &[("year", &year.to_string()), ("due", &self.words.fmt.date(self.year.due))]);
        let labels = TrendLabels {
            actual: self.s("legend_actual"),
            target: self.s("legend_target"),
            expected: self.s("legend_expected"),
            projection: self.s("legend_projection"),
        };
        let trend = Trend {
            id: &format!("chart-{id}"),
            title: &title,
            desc: &desc,
            series,
            goal,
            year,
            due: self.year.due,
            as_rate: ind.kind == IndicatorKind::Coverage,
            labels: &labels,
            fmt: self.words.fmt,
        };
        let file = place.charts.file(&ind.id);
        let html = if write_chart {
            let (html, svg) = charts::trend_both(&trend);
            self.out.write(&file, svg.as_bytes())?;
            html
        } else {
            charts::trend_html(&trend)
        };
        let caption = self.words.s.fill(
            "table_trend_caption",
            &[("indicator", &ind.short), ("name", place.name), ("year", &year.to_string())],
        );
        figure.chart = Some(ChartView { html, file, table: self.trend_table(caption, ind, series)? });
        Ok(figure)
    }

    /// The numbers of a trend chart, one row per report of the year; a report without a
    /// figure here says so.
    fn trend_table(&self, caption: String, ind: &Indicator, series: &Series) -> Result<TableView, RenderError> {
        let (s, fmt) = (self.words.s, self.words.fmt);
        let coverage = ind.kind == IndicatorKind::Coverage;
        let (head, labels) = &self.heads.trend[usize::from(coverage)];
        // The current year is the last computed one.
        let dates = self.heads.dates.last().map_or(&[][..], Vec::as_slice);
        let mut rows = self.table_rows();
        for (k, date) in dates.iter().enumerate() {
            rows.row(date);
            let Some(st) = series.at(k) else {
                rows.cell(s.get("no_report"));
                for _ in 2..head.len() {
                    rows.cell("");
                }
                continue;
            };
            rows.cell(&fmt.count(st.value));
            if coverage {
                rows.cell(&series.rate_of(st.value as f64).map(|r| fmt.percent(r)).unwrap_or_default());
            }
            rows.cell(&self.words.progress(st));
            rows.cell(&fmt.count_f(st.expected));
            rows.cell(s.status(st.status));
        }
        Ok(TableView { caption, head: head.clone(), labels: labels.clone(), body: self.finish_rows(rows)? })
    }

    /// The rows of a table of numbers, written as the theme wants them (see [`TableRows`]).
    pub(super) fn table_rows(&self) -> TableRows {
        TableRows::new(!self.theme.overrides(TableRows::TEMPLATE))
    }

    pub(super) fn finish_rows(&self, rows: TableRows) -> Result<String, RenderError> {
        rows.finish(&self.theme.tera).map_err(|e| RenderError::Template(self.theme.render_error(&e)))
    }
}
