//! Typed template contexts: what each template can print, already formatted.
//!
//! Numbers reach templates as text in the site's language; templates only
//! arrange them. Every struct here is built from the model and the computed
//! series; none of them reads a file.

use serde::Serialize;

use crate::compute::Series;
use crate::date::Date;
use crate::format::Fmt;
use crate::i18n::Strings;
use crate::model::{Indicator, IndicatorKind, Site};
use crate::progress::{Standing, Status};
use crate::text::push_escaped_html;

/// The common part of every page's context.
#[derive(Serialize)]
pub struct PageMeta {
    pub title: String,
    /// The page's description and share text.
    pub description: String,
    /// Which navigation entry is current.
    pub section: &'static str,
    pub canonical: Option<String>,
    /// schema.org metadata as JSON, safe to place inside a `<script>` element.
    pub jsonld: Option<String>,
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
    /// The `<tr>` rows of the body, escaped HTML: see [`TableRows`].
    pub body: String,
}

/// The body of a table of numbers: rows that each start with a header cell
/// (`<th scope="row">`), the rest `<td>`. A national site has some 300,000 such cells, and
/// looping over them in a template took a tenth of the build, so the built-in theme's
/// rows are written as HTML in Rust while they are made, exactly as its template
/// [`TableRows::TEMPLATE`] writes them. A site that overrides that template gets its
/// rows from it instead.
pub struct TableRows {
    html: String,
    /// The rows, kept for the site's own template; `None` when written as HTML.
    rows: Option<Vec<RowView>>,
}

#[derive(Serialize)]
struct RowView {
    header: String,
    cells: Vec<String>,
}

impl TableRows {
    /// The template of a table's rows, given `rows` (each a `header` and `cells`).
    pub const TEMPLATE: &'static str = "table-rows.html";

    /// Rows written as HTML as they are made (`fast`), or kept for [`TableRows::TEMPLATE`].
    pub fn new(fast: bool) -> Self {
        TableRows { html: String::new(), rows: (!fast).then(Vec::new) }
    }

    /// Starts a row whose header cell is `header`.
    pub fn row(&mut self, header: &str) {
        if let Some(rows) = &mut self.rows {
            rows.push(RowView { header: header.to_owned(), cells: Vec::new() });
            return;
        }
        if !self.html.is_empty() {
            self.html.push_str("</tr>\n");
        }
        self.html.push_str("<tr><th scope=\"row\">");
        push_escaped_html(header, &mut self.html);
        self.html.push_str("</th>");
    }

    pub fn cell(&mut self, text: &str) {
        if let Some(rows) = &mut self.rows {
            if let Some(row) = rows.last_mut() {
                row.cells.push(text.to_owned());
            }
            return;
        }
        self.html.push_str("<td>");
        push_escaped_html(text, &mut self.html);
        self.html.push_str("</td>");
    }

    /// The rows as HTML: as written, or rendered with the theme's template.
    pub fn finish(mut self, tera: &tera::Tera) -> Result<String, tera::Error> {
        if let Some(rows) = self.rows {
            let mut ctx = tera::Context::new();
            ctx.insert("rows", &rows);
            return tera.render(Self::TEMPLATE, &ctx);
        }
        if !self.html.is_empty() {
            self.html.push_str("</tr>\n");
        }
        Ok(self.html)
    }
}

#[derive(Serialize)]
pub struct ChartView {
    /// The SVG, with its text alternative, to inline.
    pub svg: String,
    /// Path of the standalone `.svg`, relative to the site root.
    pub file: String,
    pub table: TableView,
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
}

/// One indicator's standing in a row of a table of units.
#[derive(Serialize)]
pub struct CellView {
    pub has_data: bool,
    pub progress: String,
    pub status: &'static str,
    pub status_label: String,
    pub icon: &'static str,
}

#[derive(Serialize)]
pub struct UnitRow {
    pub name: String,
    pub href: String,
    pub cells: Vec<CellView>,
}

/// A symbol for each status, so that status never rests on colour alone.
pub fn icon(s: Status) -> &'static str {
    match s {
        Status::Achieved => "✔",
        Status::OnTrack => "↗",
        Status::AtRisk => "!",
        Status::Behind => "✖",
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

    fn unit_of(&self, ind: &Indicator) -> String {
        if ind.unit.is_empty() { String::new() } else { format!(" {}", ind.unit) }
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
        let rate = series.goal.rate_of(st.value as f64).map(|r| self.fmt.percent(r)).unwrap_or_default();
        let base = ind.base_label.clone().unwrap_or_else(|| self.s.get("base_default").to_owned());
        let key = match (ind.kind, st.status == Status::Achieved) {
            (IndicatorKind::Count, false) => "sentence_count",
            (IndicatorKind::Count, true) => "sentence_count_achieved",
            (IndicatorKind::Coverage, false) => "sentence_coverage",
            (IndicatorKind::Coverage, true) => "sentence_coverage_achieved",
        };
        let year = year.to_string();
        let args = [
            ("name", name),
            ("progress", progress.as_str()),
            ("indicator", ind.short.as_str()),
            ("year", year.as_str()),
            ("remaining", remaining.as_str()),
            ("rate", rate.as_str()),
            ("base", base.as_str()),
        ];
        self.s.fill(key, &args)
    }

    /// The sentence followed by the status in words: the text alternative of a trend chart.
    pub fn sentence_with_status(&self, name: &str, ind: &Indicator, series: &Series, year: i32) -> String {
        let sentence = self.sentence(name, ind, series, year);
        match series.latest() {
            Some(st) => {
                format!("{sentence} {}", self.s.fill("status_sentence", &[("status", self.s.status(st.status))]))
            }
            None => sentence,
        }
    }

    pub fn cell(&self, series: &Series) -> CellView {
        match series.latest() {
            Some(st) => CellView {
                has_data: true,
                progress: self.progress(st),
                status: st.status.slug(),
                status_label: self.s.status(st.status).to_owned(),
                icon: icon(st.status),
            },
            None => CellView {
                has_data: false,
                progress: String::new(),
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
            target: self.fmt.count(series.goal.people),
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
            progress: self.progress(st),
            bar: format!("{:.1}", (st.progress * 100.0).clamp(0.0, 100.0)),
            remaining: format!("{}{}", self.fmt.count(st.remaining), self.unit_of(ind)),
            rate: series.goal.rate_of(st.value as f64).map(|r| self.fmt.percent(r)).unwrap_or_default(),
            target_rate: series.goal.target_rate().map(|r| self.fmt.percent(r)).unwrap_or_default(),
            expected: self.fmt.count_f(st.expected),
            pace: st.pace.map(per_month),
            needed: st.needed_per_month.filter(|_| st.remaining > 0).map(per_month),
            projection: st.projection.map(|p| self.fmt.count_f(p.max(0.0))),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in row template, through Tera, and the rows written in Rust.
    fn both_ways(fill: impl Fn(&mut TableRows)) -> (String, String) {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_template(TableRows::TEMPLATE, include_str!("../../templates/table-rows.html")).unwrap();
        let (mut fast, mut kept) = (TableRows::new(true), TableRows::new(false));
        fill(&mut fast);
        fill(&mut kept);
        (fast.finish(&tera).unwrap(), kept.finish(&tera).unwrap())
    }

    #[test]
    fn table_rows_are_escaped_html_with_a_header_cell_each() {
        let (fast, template) = both_ways(|rows| {
            rows.row("30/09/2025");
            rows.cell("1.215");
            rows.cell("<b>\"A&B\"</b> it's");
            rows.row("31/08/2025");
            rows.cell("");
        });
        assert_eq!(
            fast,
            "<tr><th scope=\"row\">30/09/2025</th><td>1.215</td><td>&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; it&#39;s</td></tr>\n\
             <tr><th scope=\"row\">31/08/2025</th><td></td></tr>\n"
        );
        assert_eq!(template, fast, "the rows written in Rust are the built-in template's");
        assert_eq!(both_ways(|_| {}), (String::new(), String::new()));
    }
}
