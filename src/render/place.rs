//! What several pages show of a place (the city, a group, a locality): its figure for
//! each indicator, with the trend chart and the table of its numbers.

use super::mirrors::{TableRows, mirrored};
use super::views::{ChartView, FigureView, PendingView, TableView, column_labels};
use super::{Page, RenderError, Renderer};
use crate::charts::{self, Trend, TrendLabels};
use crate::compute::{Computed, Series, YearData};
use crate::format::Fmt;
use crate::model::{Indicator, IndicatorKind, Site};
pub(super) use crate::pages::Which;
use crate::progress::Status;
use crate::words::Strings;

/// A place, the name it is called by, and which one it is.
pub(super) struct Place<'p> {
    pub name: &'p str,
    pub which: Which,
    /// Prefix of element ids on the page.
    pub id_prefix: &'p str,
}

impl Place<'_> {
    /// Its series on indicator `i` in `year`.
    pub fn series<'y>(&self, year: &'y YearData, i: usize) -> &'y Series {
        match self.which {
            Which::City => &year.city[i],
            Which::Locality(l) => year.units.get(l, i),
            Which::Group(g) => &year.groups[g][i],
        }
    }
}

/// What the tables of every place share, worked out once per build: their headings with
/// their column labels (see [`column_labels`]), and the report dates as written.
pub(super) struct Heads {
    /// A trend table's: for a count and for a coverage indicator, of a running year and
    /// of a closed one (without the expected path), at `coverage + 2 × closed`.
    pub trend: [(Vec<String>, String); 4],
    /// A locality's history table's, by computed year: its headings, their labels, and the
    /// indicators it has columns for (those the year's reports give figures for), each a
    /// figure and, once the year's targets are published, its progress.
    pub history: Vec<(Vec<String>, String, Vec<usize>)>,
    /// By computed year, its report dates.
    pub dates: Vec<Vec<String>>,
}

impl Heads {
    pub fn new(site: &Site, computed: &Computed, s: &Strings, fmt: Fmt) -> Heads {
        let labelled = |head: Vec<String>| {
            let labels = column_labels(head.iter().skip(1).map(String::as_str));
            (head, labels)
        };
        let trend = |coverage: bool, closed: bool| {
            let mut head = vec![s.get("col_date").to_owned(), s.get("col_value").to_owned()];
            if coverage {
                head.push(s.get("col_rate").to_owned());
            }
            head.push(s.get("col_progress").to_owned());
            if !closed {
                head.push(s.get("col_expected").to_owned());
            }
            head.push(s.get("col_status").to_owned());
            labelled(head)
        };
        let history = computed
            .years
            .iter()
            .map(|y| {
                let shown: Vec<usize> =
                    (0..site.indicators.len()).filter(|&i| y.city[i].latest_figure().is_some()).collect();
                let mut head = vec![s.get("col_date").to_owned()];
                for &i in &shown {
                    let short = &site.indicators[i].short;
                    head.push(s.fill("col_indicator_value", &[("indicator", short)]));
                    // Without the year's targets there is no progress to show.
                    if y.targeted {
                        head.push(s.fill("col_indicator_progress", &[("indicator", short)]));
                    }
                }
                let (head, labels) = labelled(head);
                (head, labels, shown)
            })
            .collect();
        let dates = computed.years.iter().map(|y| y.dates.iter().map(|&d| fmt.date(d)).collect()).collect();
        Heads {
            trend: [trend(false, false), trend(true, false), trend(false, true), trend(true, true)],
            history,
            dates,
        }
    }
}

impl Renderer<'_> {
    /// The place's figure for each indicator, with its trend chart. The figures, and how
    /// many charts of the current year they draw (the build counts those).
    pub(super) fn figures(&self, place: &Place) -> Result<(Vec<FigureView>, usize), RenderError> {
        let mut figures = Vec::with_capacity(self.site.indicators.len());
        let mut charts = 0;
        for i in 0..self.site.indicators.len() {
            let f = self.figure(place, i)?;
            charts += usize::from(f.chart.is_some() && !self.archived);
            figures.push(f);
        }
        Ok((figures, charts))
    }

    /// `items`, one per indicator, without those of indicators an earlier year has no
    /// figures for (one added since): its pages show what it had.
    pub(super) fn this_years<T>(&self, items: Vec<T>) -> Vec<T> {
        if !self.archived {
            return items;
        }
        items
            .into_iter()
            .enumerate()
            .filter(|(i, _)| self.year.city[*i].latest_figure().is_some())
            .map(|(_, x)| x)
            .collect()
    }

    /// A place's figure for indicator `i`, with its trend chart.
    pub(super) fn figure(&self, place: &Place, i: usize) -> Result<FigureView, RenderError> {
        let ind = &self.site.indicators[i];
        let series = place.series(self.year, i);
        let id = format!("{}-{}", place.id_prefix, ind.id);
        let year = self.year.year;
        let mut figure = self.words.figure(id.clone(), place.name, ind, series, year, &self.year.dates);
        // A chart needs a target: without one (the year's targets not published) the
        // figure says what is known.
        let (Some(goal), Some(_)) = (&series.goal, series.latest()) else {
            self.pending(&mut figure, place, i);
            return Ok(figure);
        };
        let title = self.words.with_status(&figure.sentence, series);
        let closed = self.year.closed;
        let desc = self.words.s.fill(
            if closed { "chart_trend_desc_closed" } else { "chart_trend_desc" },
            &[("year", &year.to_string()), ("due", &self.words.fmt.date(self.year.due))],
        );
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
            closed,
            labels: &labels,
            fmt: self.words.fmt,
        };
        // A chart is on its pages (and a locality's in its embed page) only: a file of
        // its own would be 10,000 more files for a national site, each showing what a
        // page does.
        let html = charts::trend_html(&trend);
        let caption = self.words.s.fill(
            "table_trend_caption",
            &[("indicator", &ind.short), ("name", place.name), ("year", &year.to_string())],
        );
        // A locality's figures can be downloaded as a picture.
        let png = match place.which {
            Which::Locality(l) if !self.archived => Page::Locality(l).share_image(self.site).unwrap_or_default(),
            _ => String::new(),
        };
        figure.chart = Some(ChartView { html, table: self.trend_table(caption, ind, series)?, png });
        Ok(figure)
    }

    /// Fills in what is known of `figure` while the year's targets are not published: the
    /// latest value and its date, the change since the report before (the year's, or the
    /// previous year's last), and the previous year's final result. Nothing when the
    /// series has a target or no figure this year.
    fn pending(&self, figure: &mut FigureView, place: &Place, i: usize) {
        let series = place.series(self.year, i);
        let Some((k, value)) = series.latest_figure().filter(|_| series.goal.is_none()) else { return };
        let (s, fmt, ind) = (self.words.s, self.words.fmt, &self.site.indicators[i]);
        let year = self.year.year;
        let people = |n: u64| self.words.people(ind, n);
        let previous_year = self.computed.years.iter().rev().find(|y| y.year == year - 1);
        let before = (0..k).rev().find_map(|j| Some((self.year.dates[j], series.figures[j]?))).or_else(|| {
            let p = previous_year?;
            let (j, v) = place.series(p, i).latest_figure()?;
            Some((*p.dates.get(j)?, v))
        });
        let change = before.map(|(date, v)| {
            let date = fmt.date(date);
            let diff = match value.cmp(&v) {
                std::cmp::Ordering::Equal => return s.fill("pending_same", &[("date", &date)]),
                std::cmp::Ordering::Greater => format!("+{}", people(value - v)),
                std::cmp::Ordering::Less => format!("−{}", people(v - value)),
            };
            s.fill("pending_change", &[("change", &diff), ("date", &date)])
        });
        // The year before's result, as of its last figure: not always 31 December.
        let previous = previous_year.and_then(|p| {
            let last = place.series(p, i);
            let (j, v) = last.latest_figure()?;
            let (year, date) = (p.year.to_string(), fmt.date(*p.dates.get(j)?));
            Some(match last.latest() {
                Some(st) => s.fill(
                    "pending_previous",
                    &[("year", &year), ("date", &date), ("value", &people(v)), ("progress", &self.words.progress(st))],
                ),
                None => s.fill("pending_previous_plain", &[("year", &year), ("date", &date), ("value", &people(v))]),
            })
        });
        let date = self.year.dates[k];
        let (value, year) = (people(value), year.to_string());
        figure.sentence = s.fill(
            "sentence_pending",
            &[
                ("name", place.name),
                ("value", &value),
                ("indicator", &ind.short),
                ("date", &fmt.date(date)),
                ("year", &year),
            ],
        );
        figure.as_of = fmt.date(date);
        figure.source = self.site.reports[self.year.reports.start + k].source.clone();
        figure.missing_note = None;
        figure.pending =
            Some(PendingView { value, change, previous, note: s.fill("pending_note", &[("year", &year)]) });
    }

    /// The numbers of a trend chart, one row per report of the year; a report without a
    /// figure here says so.
    fn trend_table(&self, caption: String, ind: &Indicator, series: &Series) -> Result<TableView, RenderError> {
        let (s, fmt) = (self.words.s, self.words.fmt);
        let coverage = ind.kind == IndicatorKind::Coverage;
        let closed = self.year.closed;
        let (head, labels) = &self.heads.trend[usize::from(coverage) + 2 * usize::from(closed)];
        let dates = self.heads.dates.get(self.index).map_or(&[][..], Vec::as_slice);
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
            if !closed {
                rows.cell(&fmt.count_f(st.expected));
            }
            // A closed year's result is its last figure's: before it, only a target
            // already reached is said.
            let before_the_end = closed && series.latest_figure().is_some_and(|(last, _)| k < last);
            rows.cell(if before_the_end && st.status != Status::Achieved { "" } else { s.status(st.status) });
        }
        Ok(TableView { caption, head: head.clone(), labels: labels.clone(), body: self.finish_rows(rows)? })
    }

    /// `figures` written as HTML for page `on`, under headings of `level`, without their
    /// sentences when the page has them above, unless the site has its own template of a
    /// figure (see `mirrors`). What only the templates read of them is then dropped, so
    /// it is not handed to Tera for nothing.
    pub(super) fn written_figures(&self, figures: &mut [FigureView], level: usize, sentences_above: bool, on: Page) {
        if !mirrored(self.theme, FigureView::TEMPLATE) {
            return;
        }
        let root = super::root_of(&self.path(on));
        for f in figures {
            f.html = Some(f.to_html(level, sentences_above, self.words.s, &root));
            (f.chart, f.compare, f.ranking, f.pending) = (None, None, None, None);
        }
    }

    /// The rows of a table of numbers, written as the theme wants them (see [`TableRows`]).
    pub(super) fn table_rows(&self) -> TableRows {
        TableRows::new(mirrored(self.theme, TableRows::TEMPLATE))
    }

    pub(super) fn finish_rows(&self, rows: TableRows) -> Result<String, RenderError> {
        rows.finish(|name, ctx| {
            let bytes = self.theme.render(name, ctx)?;
            // Rendered from a String context by a template of UTF-8 text.
            Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
        })
        .map_err(RenderError::Template)
    }
}
