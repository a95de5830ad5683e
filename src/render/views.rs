//! Typed template contexts: what each template can print, already formatted.
//!
//! Numbers reach templates as text in the site's language; templates only
//! arrange them. Every struct here is built from the model and the computed
//! series; none of them reads a file.

use serde::Serialize;

use crate::compute::Series;
use crate::date::Date;
use crate::format::Fmt;
use crate::model::{Indicator, IndicatorKind, Site};
use crate::progress::{Standing, Status};
use crate::text::css_string;
use crate::words::Strings;

/// The common part of every page's context.
#[derive(Serialize)]
pub struct PageMeta {
    pub title: String,
    /// The page's description.
    pub description: String,
    /// What a link to the page says when shared (`og:description`): its figures, and the
    /// site's notice.
    pub share: String,
    /// Which navigation entry is current.
    pub section: &'static str,
    pub canonical: Option<String>,
    /// schema.org metadata as JSON, safe to place inside a `<script>` element.
    pub jsonld: Option<String>,
    /// The same page in other years, when earlier years have one.
    pub years: Option<YearsView>,
    /// The date of the page's figures, when it is not the site's latest report's: an
    /// earlier year's last.
    pub as_of: Option<String>,
    /// The picture a link to the page shows when shared, with a base URL.
    pub image: Option<ImageMeta>,
    /// Whether another site may show it in a frame: a locality's page, which shows its
    /// figures alone when its address ends in `#embed` (see the theme's style), its links
    /// opening in the window that holds the frame.
    pub embeddable: bool,
}

/// A link: what it says, and where it goes.
#[derive(Serialize)]
pub struct Link {
    pub name: String,
    pub href: String,
}

/// A share image: its absolute address, and what it shows in words.
#[derive(Serialize)]
pub struct ImageMeta {
    pub url: String,
    pub alt: String,
}

/// A page's links to the same page in other years.
#[derive(Serialize)]
pub struct YearsView {
    /// On an earlier year's page: which year and report it shows.
    pub note: Option<String>,
    /// On an earlier year's page: the current year's.
    pub current: Option<YearLink>,
    /// Each earlier year's but the page's own, newest first.
    pub earlier: Vec<YearLink>,
}

#[derive(Serialize)]
pub struct YearLink {
    pub label: String,
    pub href: String,
}

#[derive(Serialize, Clone)]
pub struct NavItem {
    pub key: &'static str,
    pub label: String,
    pub path: String,
}

/// A table of numbers shown beside a chart, or on its own.
#[derive(Serialize)]
pub struct TableView {
    pub caption: String,
    pub head: Vec<String>,
    /// The headings of its `<td>` columns for its `style`: see [`column_labels`].
    pub labels: String,
    /// The `<tr>` rows of the body, escaped HTML: see [`TableRows`].
    pub body: String,
}

/// The headings of a table's `<td>` columns, in order, for its `style` attribute: on a
/// phone each row stacks into lines, and each cell's line starts with its column's
/// heading (`--c1`, `--c2`, …; see the theme's style). Said once per table rather than
/// on each of its cells, which on a national site was a quarter of every page.
pub fn column_labels<'a>(heads: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (k, head) in heads.into_iter().enumerate() {
        if k > 0 {
            out.push_str("; ");
        }
        out.push_str(&format!("--c{}: {}", k + 1, css_string(head)));
    }
    out
}

#[derive(Serialize)]
pub struct ChartView {
    /// The chart drawn for the page: its lines in SVG (with the text alternative), its
    /// words in HTML.
    pub html: String,
    pub table: TableView,
    /// Path of a PNG to download of it (a locality's share image), relative to the site
    /// root; empty where there is none.
    pub png: String,
}

/// One indicator's standing for one place (a locality, a group or the city).
#[derive(Serialize)]
pub struct FigureView {
    /// Unique on its page.
    pub id: String,
    pub indicator_name: String,
    pub unit: String,
    pub coverage: bool,
    pub has_data: bool,
    pub status: &'static str,
    pub status_label: String,
    pub icon: &'static str,
    pub sentence: String,
    /// "no report for 09/2025" when the latest report has no figure here.
    pub missing_note: Option<String>,
    /// The year's reports without a figure here, e.g. "No report for: 06/2025".
    pub gaps_note: Option<String>,
    pub value: String,
    pub target: String,
    pub progress: String,
    /// Width of the progress meter in percent, 0–100.
    pub bar: String,
    pub remaining: String,
    pub rate: String,
    pub target_rate: String,
    pub expected: String,
    pub pace: Option<String>,
    pub needed: Option<String>,
    pub projection: Option<String>,
    pub as_of: String,
    pub source: Option<String>,
    pub chart: Option<ChartView>,
    /// On a locality's page: where it stands among the others.
    pub compare: Option<CompareView>,
    /// On a group's page: its localities ranked.
    pub ranking: Option<BarsView>,
    /// In a year whose targets are not published yet: the figures that are known.
    pub pending: Option<PendingView>,
    /// The figure written as the built-in templates write it (see [`FigureView::to_html`]).
    pub html: Option<String>,
}

/// A figure in a year whose targets are not published yet: the latest value, the change
/// since the report before, and the previous year's final result; no progress or status.
#[derive(Serialize)]
pub struct PendingView {
    /// "1.230 người".
    pub value: String,
    /// "+15 người so với ngày 31/12/2025".
    pub change: Option<String>,
    /// "Năm 2025: 1.215 người, đạt 80,52 % chỉ tiêu."
    pub previous: Option<String>,
    /// That the year's targets are not published yet, and what that means here.
    pub note: String,
}

/// Where a locality stands on one indicator: its rank, its neighbours in the ranking, and
/// the city's and its group's figures beside its own.
#[derive(Serialize)]
pub struct CompareView {
    /// "Thứ 12 trong 103 phường, xã của Thành phố Cần Thơ; thứ 3 trong 20 của Hậu Giang cũ."
    pub rank: String,
    /// The one above, the locality, the one below.
    pub neighbours: BarsView,
    /// The city and the group.
    pub references: BarsView,
    /// The full ranking, at the locality's row (on a site shown by group, the list of its
    /// group's units), and the words of the link to it.
    pub ranking_href: String,
    pub full: String,
    /// The block as the built-in [`CompareView::TEMPLATE`] writes it, unless the site has
    /// its own (then `neighbours` and `references` are kept for it).
    pub html: Option<String>,
}

/// One indicator's standing in a row of a table of units.
#[derive(Serialize)]
pub struct CellView {
    pub has_data: bool,
    pub progress: String,
    /// Without a target (the year's not published yet): the latest figure, else empty.
    pub value: String,
    pub status: &'static str,
    pub status_label: String,
    pub icon: &'static str,
}

#[derive(Serialize)]
pub struct UnitRow {
    pub name: String,
    pub href: String,
    /// The names it had before 1 July 2025, for the search: separated by `|`.
    pub old: String,
    pub cells: Vec<CellView>,
}

/// The rows of a table of localities (`unit-table.html`): kept for a site's own template,
/// or written here as the built-in template writes them, as [`TableRows`] does.
#[derive(Serialize)]
pub struct UnitRows {
    pub rows: Vec<UnitRow>,
    pub html: Option<String>,
}

/// A ranked list drawn in HTML: each place's progress as a bar with its value at the
/// end, in the reader's own text size.
#[derive(Serialize)]
pub struct BarsView {
    /// A ranking (an ordered list), or places side by side for comparison.
    pub ranked: bool,
    /// Where 100 % falls along the bars, as a fraction of their length.
    pub full: String,
    /// The bars, for the site's own [`BarsView::TEMPLATE`]; empty when written as `html`.
    pub items: Vec<BarView>,
    /// The list written as the built-in template writes it.
    pub html: Option<String>,
}

#[derive(Serialize)]
pub struct BarView {
    /// The place's rank, from 1; empty for a place shown for comparison (the city, a group).
    pub rank: String,
    pub name: String,
    /// Empty: not a link.
    pub href: String,
    /// The bar's length, as a fraction of the longest a bar can be.
    pub width: String,
    /// The progress, written at the end of the bar.
    pub value: String,
    pub status: &'static str,
    pub status_label: String,
    pub icon: &'static str,
    /// The place the page is about.
    pub current: bool,
    /// The element id other pages link to; empty for none.
    pub anchor: String,
    /// The first after places left out: the furthest behind, after the best.
    pub gap: bool,
}

/// How to take part (`content/tham-gia.md`), on the home page and every locality's page.
#[derive(Serialize)]
pub struct JoinView {
    pub title: String,
    pub html: String,
}

/// A symbol for each status, so that status never rests on colour alone.
pub fn icon(s: Status) -> &'static str {
    match s {
        Status::Achieved => "✔",
        Status::OnTrack => "↗",
        Status::AtRisk => "!",
        Status::Behind | Status::Missed => "✖",
        Status::NoTrend => "…",
    }
}

/// Formats figures and writes the sentences of one site.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub site: &'a Site,
    pub s: &'a Strings,
    pub fmt: Fmt,
}

impl<'a> Words<'a> {
    pub fn progress(&self, st: &Standing) -> String {
        self.fmt.progress(st.progress, st.status == Status::Achieved)
    }

    pub(super) fn unit_of(&self, ind: &Indicator) -> String {
        if ind.unit.is_empty() { String::new() } else { format!(" {}", ind.unit) }
    }

    /// What `ind`'s rate is a share of: its `base` label, or the site's word for it.
    pub(super) fn base_of(&self, ind: &Indicator) -> String {
        ind.base_label.clone().unwrap_or_else(|| self.s.get("base_default").to_owned())
    }

    /// A rate of `ind`'s base: "88,25 % dân số".
    pub(super) fn share_of_base(&self, ind: &Indicator, rate: f64) -> String {
        self.s.fill("share_of_base", &[("rate", &self.fmt.percent(rate)), ("base", &self.base_of(ind))])
    }

    /// `n` units: "103 phường, xã".
    pub(super) fn people_of(&self, n: usize) -> String {
        self.s.fill("units_count", &[("n", &self.fmt.count(n as u64))])
    }

    /// `n` of `ind`'s unit: "1.215 người".
    pub(super) fn people(&self, ind: &Indicator, n: u64) -> String {
        format!("{}{}", self.fmt.count(n), self.unit_of(ind))
    }

    /// The plain sentence of SPEC §2: where `name` stands on `ind` in `year`.
    pub fn sentence(&self, name: &str, ind: &Indicator, series: &Series, year: i32) -> String {
        let Some(st) = series.latest() else {
            return self
                .s
                .fill("sentence_no_data", &[("name", name), ("indicator", &ind.short), ("year", &year.to_string())]);
        };
        let progress = self.progress(st);
        let remaining = format!("{}{}", self.fmt.count(st.remaining), self.unit_of(ind));
        let rate = series.rate_of(st.value as f64).map(|r| self.fmt.percent(r)).unwrap_or_default();
        let target_rate = series.target_rate().map(|r| self.fmt.percent(r)).unwrap_or_default();
        let base = self.base_of(ind);
        // A closed year's result says so, and as of when.
        let key = match (ind.kind, st.status == Status::Achieved, series.closed) {
            (IndicatorKind::Count, false, false) => "sentence_count",
            (IndicatorKind::Count, true, false) => "sentence_count_achieved",
            (IndicatorKind::Coverage, false, false) => "sentence_coverage",
            (IndicatorKind::Coverage, true, false) => "sentence_coverage_achieved",
            (IndicatorKind::Count, false, true) => "sentence_count_missed",
            (IndicatorKind::Count, true, true) => "sentence_count_achieved_final",
            (IndicatorKind::Coverage, false, true) => "sentence_coverage_missed",
            (IndicatorKind::Coverage, true, true) => "sentence_coverage_achieved_final",
        };
        let year = year.to_string();
        let date = self.fmt.date(st.date);
        let args = [
            ("name", name),
            ("progress", progress.as_str()),
            ("indicator", ind.short.as_str()),
            ("year", year.as_str()),
            ("remaining", remaining.as_str()),
            ("rate", rate.as_str()),
            ("target_rate", target_rate.as_str()),
            ("base", base.as_str()),
            ("date", date.as_str()),
        ];
        self.s.fill(key, &args)
    }

    /// `sentence` (see [`Words::sentence`]) followed by the status of `series` in words:
    /// the text alternative of a trend chart.
    pub fn with_status(&self, sentence: &str, series: &Series) -> String {
        match series.latest() {
            Some(st) => {
                format!("{sentence} {}", self.s.fill("status_sentence", &[("status", self.s.status(st.status))]))
            }
            None => sentence.to_owned(),
        }
    }

    pub fn cell(&self, series: &Series) -> CellView {
        match series.latest() {
            Some(st) => CellView {
                has_data: true,
                progress: self.progress(st),
                value: String::new(),
                status: st.status.slug(),
                status_label: self.s.status(st.status).to_owned(),
                icon: icon(st.status),
            },
            None => CellView {
                has_data: false,
                progress: String::new(),
                value: series
                    .latest_figure()
                    .filter(|_| series.goal.is_none())
                    .map(|(_, v)| self.fmt.count(v))
                    .unwrap_or_default(),
                status: "none",
                status_label: String::new(),
                icon: "",
            },
        }
    }

    /// The figure view of `series`, without its chart.
    pub fn figure(
        &self,
        id: String,
        name: &str,
        ind: &Indicator,
        series: &Series,
        year: i32,
        report_dates: &[Date],
    ) -> FigureView {
        let sentence = self.sentence(name, ind, series, year);
        let empty = FigureView {
            id,
            indicator_name: ind.name.clone(),
            unit: ind.unit.clone(),
            coverage: ind.kind == IndicatorKind::Coverage,
            has_data: false,
            status: "none",
            status_label: String::new(),
            icon: "",
            sentence: sentence.clone(),
            missing_note: Some(self.s.fill("missing_year", &[("year", &year.to_string())])),
            gaps_note: None,
            value: String::new(),
            target: series.target().map(|t| self.fmt.count(t)).unwrap_or_default(),
            progress: String::new(),
            bar: "0".into(),
            remaining: String::new(),
            rate: String::new(),
            target_rate: String::new(),
            expected: String::new(),
            pace: None,
            needed: None,
            projection: None,
            as_of: String::new(),
            source: None,
            chart: None,
            compare: None,
            ranking: None,
            pending: None,
            html: None,
        };
        let Some(st) = series.latest() else { return empty };
        let per_month = |x: f64| self.s.fill("per_month", &[("n", &self.fmt.count_f(x))]);
        let source = self.site.reports.iter().rev().find(|r| r.as_of == st.date).and_then(|r| r.source.clone());
        let missing_note = report_dates
            .last()
            .filter(|&&d| d > st.date)
            .map(|&d| self.s.fill("missing_report", &[("month", &self.fmt.month_year(d))]));
        let gaps: Vec<String> = gaps(report_dates, series).map(|d| self.fmt.month_year(d)).collect();
        let gaps_note = (!gaps.is_empty()).then(|| self.s.fill("gaps_note", &[("months", &gaps.join(", "))]));
        FigureView {
            has_data: true,
            status: st.status.slug(),
            status_label: self.s.status(st.status).to_owned(),
            icon: icon(st.status),
            sentence,
            missing_note,
            gaps_note,
            value: self.fmt.count(st.value),
            // Each percentage says what it is a share of.
            progress: self.s.fill("fig_progress_value", &[("progress", &self.progress(st))]),
            bar: format!("{:.1}", (st.progress * 100.0).clamp(0.0, 100.0)),
            remaining: format!("{}{}", self.fmt.count(st.remaining), self.unit_of(ind)),
            rate: series.rate_of(st.value as f64).map(|r| self.share_of_base(ind, r)).unwrap_or_default(),
            target_rate: series.target_rate().map(|r| self.share_of_base(ind, r)).unwrap_or_default(),
            // A closed year has a result, not a path to it.
            expected: if series.closed { String::new() } else { self.fmt.count_f(st.expected) },
            pace: st.pace.map(per_month),
            needed: st.needed_per_month.filter(|_| st.remaining > 0).map(per_month),
            projection: st.projection.map(|p| {
                let due = self.site.targets_for(year).map_or(st.date, |t| t.due);
                self.s.fill(
                    "fig_projection_value",
                    &[
                        ("date", &self.fmt.date(due)),
                        ("value", &format!("{}{}", self.fmt.count_f(p.max(0.0)), self.unit_of(ind))),
                    ],
                )
            }),
            as_of: self.fmt.date(st.date),
            source,
            ..empty
        }
    }
}

/// The report dates of the year on which `series` has no figure.
pub fn gaps<'a>(report_dates: &'a [Date], series: &'a Series) -> impl Iterator<Item = Date> + 'a {
    report_dates.iter().enumerate().filter(|&(k, _)| series.at(k).is_none()).map(|(_, &d)| d)
}
