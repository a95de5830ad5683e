//! Typed template contexts: what each template can print, already formatted.
//!
//! Numbers reach templates as text in the site's language; templates only
//! arrange them. Every struct here is built from the model and the computed
//! series; none of them reads a file.

use std::fmt::Write as _;

use serde::Serialize;

use crate::compute::Series;
use crate::date::Date;
use crate::format::Fmt;
use crate::i18n::Strings;
use crate::model::{Indicator, IndicatorKind, Site};
use crate::progress::{Standing, Status};
use crate::text::{css_string, escape_html, push_escaped_html};

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
    /// The same page in other years, when earlier years have one.
    pub years: Option<YearsView>,
    /// The date of the page's figures, when it is not the site's latest report's: an
    /// earlier year's last.
    pub as_of: Option<String>,
    /// The picture a link to the page shows when shared, with a base URL.
    pub image: Option<ImageMeta>,
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
    /// Path of the standalone `.svg`, relative to the site root.
    pub file: String,
    pub table: TableView,
    /// Path of a PNG to download of it (a locality's share image), relative to the site
    /// root; empty where there is none.
    pub png: String,
    /// The HTML a newspaper pastes to show the chart on its own page (a locality's, with
    /// a base URL): an `<iframe>` of its embed page.
    pub embed: Option<String>,
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

/// Tera's truth for an optional text: present and not empty.
fn shown(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.is_empty())
}

impl FigureView {
    /// The date of the figure and where it comes from: "Số liệu đến ngày 30/09/2025 ·
    /// Nguồn: Báo cáo tháng 9/2025".
    pub fn write_source(&self, out: &mut String, s: &Strings) {
        push_escaped_html(s.get("fig_as_of"), out);
        out.push(' ');
        push_escaped_html(&self.as_of, out);
        if let Some(src) = shown(&self.source) {
            out.push_str(" · ");
            push_escaped_html(s.get("fig_source"), out);
            out.push_str(": ");
            push_escaped_html(src, out);
        }
    }

    /// The templates [`FigureView::to_html`] writes as: a site that has its own of any of
    /// them gets its figures from the templates.
    pub const TEMPLATES: [&'static str; 5] =
        ["figure.html", "chart.html", "compare.html", "bars.html", TableRows::TEMPLATE];

    /// The figure exactly as the built-in `figure.html` (with `chart.html`, and its
    /// comparison and ranking already written) writes it, under a heading of `level`,
    /// without its sentence when the page has it above. Every page shows a few figures;
    /// a national site has some 10,000 of them.
    pub fn to_html(&self, level: usize, sentences_above: bool, s: &Strings, root: &str) -> String {
        let mut out =
            String::with_capacity(1200 + self.chart.as_ref().map_or(0, |c| c.html.len() + c.table.body.len()));
        let text = |out: &mut String, t: &str| push_escaped_html(t, out);
        let key = |out: &mut String, k: &str| push_escaped_html(s.get(k), out);
        let number = |out: &mut String, label: &str, value: &str, unit: &str| {
            out.push_str("<div><dt>");
            key(out, label);
            out.push_str("</dt><dd>");
            text(out, value);
            if !unit.is_empty() {
                out.push(' ');
                text(out, unit);
            }
            out.push_str("</dd></div>\n");
        };
        let sentence = |out: &mut String| {
            if !sentences_above {
                out.push_str("<p class=\"sentence\">");
                text(out, &self.sentence);
                out.push_str("</p>\n");
            }
        };
        let source = |out: &mut String| {
            out.push_str("<p class=\"source\">");
            self.write_source(out, s);
            out.push_str("</p>\n");
        };
        out.push_str("<section class=\"figure status-");
        out.push_str(self.status);
        out.push_str("\" aria-labelledby=\"h-");
        text(&mut out, &self.id);
        let _ = write!(out, "\">\n<h{level} id=\"h-");
        text(&mut out, &self.id);
        out.push_str("\">");
        text(&mut out, &self.indicator_name);
        let _ = writeln!(out, "</h{level}>");
        if self.has_data {
            sentence(&mut out);
            out.push_str("<p class=\"badge status-");
            out.push_str(self.status);
            out.push_str("\"><span class=\"icon\" aria-hidden=\"true\">");
            out.push_str(self.icon);
            out.push_str("</span> ");
            text(&mut out, &self.status_label);
            out.push_str("</p>\n");
            for note in [shown(&self.missing_note), shown(&self.gaps_note)].into_iter().flatten() {
                out.push_str("<p class=\"missing\">");
                text(&mut out, note);
                out.push_str("</p>\n");
            }
            out.push_str("<div class=\"meter\" aria-hidden=\"true\"><span style=\"width: ");
            text(&mut out, &self.bar);
            out.push_str("%\"></span></div>\n<dl class=\"numbers\">\n");
            if self.coverage {
                number(&mut out, "fig_rate", &self.rate, "");
                number(&mut out, "fig_target_rate", &self.target_rate, "");
            }
            number(&mut out, "fig_value", &self.value, &self.unit);
            number(&mut out, "fig_target", &self.target, &self.unit);
            number(&mut out, "fig_progress", &self.progress, "");
            number(&mut out, "fig_remaining", &self.remaining, "");
            number(&mut out, "fig_expected", &self.expected, "");
            for (label, value) in
                [("fig_pace", &self.pace), ("fig_needed", &self.needed), ("fig_projection", &self.projection)]
            {
                if let Some(v) = shown(value) {
                    number(&mut out, label, v, "");
                }
            }
            out.push_str("</dl>\n");
            source(&mut out);
            if let Some(html) = self.compare.as_ref().and_then(|c| c.html.as_deref()) {
                out.push_str(html);
            }
            if let Some(chart) = &self.chart {
                chart.write_html(&mut out, s, root);
            }
            out.push('\n');
            if let Some(html) = self.ranking.as_ref().and_then(|r| r.html.as_deref()) {
                let _ = write!(out, "<h{0}>", level + 1);
                key(&mut out, "group_ranking");
                let _ = writeln!(out, "</h{0}>", level + 1);
                out.push_str("<p class=\"key\">");
                key(&mut out, "bars_key");
                out.push_str("</p>\n");
                out.push_str(html);
                out.push('\n');
            }
        } else if let Some(p) = &self.pending {
            sentence(&mut out);
            out.push_str("<dl class=\"numbers\">\n");
            number(&mut out, "fig_value", &p.value, "");
            for (label, value) in [("fig_change", &p.change), ("fig_previous", &p.previous)] {
                if let Some(v) = shown(value) {
                    number(&mut out, label, v, "");
                }
            }
            out.push_str("</dl>\n");
            source(&mut out);
        } else {
            out.push_str("<p class=\"missing\">");
            text(&mut out, self.missing_note.as_deref().unwrap_or_default());
            out.push_str("</p>\n");
        }
        out.push_str("</section>\n");
        out
    }
}

impl ChartView {
    /// The chart as the built-in `chart.html` writes it: the drawing, the link to its
    /// file, and its numbers in a table that opens.
    fn write_html(&self, out: &mut String, s: &Strings, root: &str) {
        out.push_str("<figure class=\"chart-box chart\">\n");
        out.push_str(&self.html);
        let link = |out: &mut String, file: &str, key: &str| {
            out.push_str("<a href=\"");
            push_escaped_html(root, out);
            push_escaped_html(file, out);
            out.push_str("\">");
            push_escaped_html(s.get(key), out);
            out.push_str("</a>");
        };
        if !self.file.is_empty() {
            out.push_str("<figcaption>");
            link(out, &self.file, "chart_download");
            if !self.png.is_empty() {
                out.push_str(" · ");
                link(out, &self.png, "image_download");
            }
            out.push_str("</figcaption>");
        }
        if let Some(code) = &self.embed {
            out.push_str("\n<details class=\"embed\"><summary>");
            push_escaped_html(s.get("embed_label"), out);
            out.push_str("</summary>\n<label>");
            push_escaped_html(s.get("embed_help"), out);
            out.push_str("\n<textarea readonly rows=\"4\" spellcheck=\"false\">");
            push_escaped_html(code, out);
            out.push_str("</textarea></label>\n</details>");
        }
        out.push_str("\n</figure>\n");
        self.write_table(out, s);
    }

    /// The chart's numbers, in a table that opens.
    pub fn write_table(&self, out: &mut String, s: &Strings) {
        out.push_str("<details class=\"data\">\n<summary>");
        push_escaped_html(s.get("table_show"), out);
        out.push_str("</summary>\n<table style=\"");
        push_escaped_html(&self.table.labels, out);
        out.push_str("\">\n<caption>");
        push_escaped_html(&self.table.caption, out);
        out.push_str("</caption>\n<thead><tr>");
        for h in &self.table.head {
            out.push_str("<th scope=\"col\">");
            push_escaped_html(h, out);
            out.push_str("</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        out.push_str(&self.table.body);
        out.push_str("</tbody>\n</table>\n</details>\n");
    }
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
    /// The full ranking, at the locality's row.
    pub ranking_href: String,
    /// The block as the built-in [`CompareView::TEMPLATE`] writes it, unless the site has
    /// its own (then `neighbours` and `references` are kept for it).
    pub html: Option<String>,
}

impl CompareView {
    /// The template of the block, given `f.compare`, `level` (the figure's heading level)
    /// and `bars.html` for its two lists.
    pub const TEMPLATE: &'static str = "compare.html";

    /// The block as HTML under a heading of `level`, with `heading` and `full` (the link's
    /// words), on a page `root` away from the site root.
    pub fn to_html(&self, level: u8, heading: &str, full: &str, root: &str) -> String {
        let mut out = String::with_capacity(2400);
        out.push_str("<div class=\"compare\">\n");
        let _ = write!(out, "<h{level}>");
        push_escaped_html(heading, &mut out);
        let _ = writeln!(out, "</h{level}>");
        out.push_str("<p>");
        push_escaped_html(&self.rank, &mut out);
        out.push_str("</p>\n");
        out.push_str(&self.neighbours.to_html(root));
        out.push_str(&self.references.to_html(root));
        out.push_str("<p><a href=\"");
        push_escaped_html(root, &mut out);
        push_escaped_html(&self.ranking_href, &mut out);
        out.push_str("\">");
        push_escaped_html(full, &mut out);
        out.push_str("</a></p>\n</div>\n");
        out
    }
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
    pub cells: Vec<CellView>,
}

/// The rows of a table of localities (`unit-table.html`): kept for a site's own template,
/// or written here as the built-in template writes them, as [`TableRows`] does.
#[derive(Serialize)]
pub struct UnitRows {
    pub rows: Vec<UnitRow>,
    pub html: Option<String>,
}

impl UnitRows {
    /// The template of a table of localities, given `table_caption`, `indicator_heads`,
    /// `labels` (see [`column_labels`]), `searchable` and `rows` (the [`UnitRows`]).
    pub const TEMPLATE: &'static str = "unit-table.html";

    /// The rows as the built-in template writes them: on a page `root` away from the
    /// site root, `no_data` in a cell without a figure.
    pub fn write(rows: &[UnitRow], root: &str, no_data: &str) -> String {
        let (root, no_data) = (escape_html(root), escape_html(no_data));
        let mut out = String::with_capacity(rows.len() * 300);
        for row in rows {
            out.push_str("<tr><th scope=\"row\"><a href=\"");
            out.push_str(&root);
            push_escaped_html(&row.href, &mut out);
            out.push_str("\">");
            push_escaped_html(&row.name, &mut out);
            out.push_str("</a></th>");
            for c in &row.cells {
                out.push_str("<td class=\"status-");
                out.push_str(c.status);
                out.push_str("\">");
                if c.has_data {
                    push_escaped_html(&c.progress, &mut out);
                    out.push_str(" <span class=\"status-word\"><span class=\"icon\" aria-hidden=\"true\">");
                    out.push_str(c.icon);
                    out.push_str("</span> ");
                    push_escaped_html(&c.status_label, &mut out);
                    out.push_str("</span>");
                } else if !c.value.is_empty() {
                    push_escaped_html(&c.value, &mut out);
                } else {
                    out.push_str(&no_data);
                }
                out.push_str("</td>");
            }
            out.push_str("</tr>\n");
        }
        out
    }
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

impl BarsView {
    /// The template of a list of bars, given `bars`.
    pub const TEMPLATE: &'static str = "bars.html";

    /// The list as HTML, exactly as the built-in [`BarsView::TEMPLATE`] writes it, on a
    /// page whose way back to the site root is `root`.
    pub fn to_html(&self, root: &str) -> String {
        let mut out = String::with_capacity(160 + self.items.len() * 420);
        let list = if self.ranked { "ol" } else { "ul" };
        out.push('<');
        out.push_str(list);
        out.push_str(" class=\"bars chart\" style=\"--full: ");
        push_escaped_html(&self.full, &mut out);
        out.push_str("\">\n");
        for b in &self.items {
            out.push_str("<li class=\"status-");
            out.push_str(b.status);
            if b.current {
                out.push_str(" current");
            }
            out.push('"');
            if !b.anchor.is_empty() {
                out.push_str(" id=\"");
                push_escaped_html(&b.anchor, &mut out);
                out.push('"');
            }
            out.push_str("><span class=\"who\">");
            if !b.rank.is_empty() {
                out.push_str("<span class=\"rank\">");
                push_escaped_html(&b.rank, &mut out);
                out.push_str(".</span> ");
            }
            if b.current {
                out.push_str("<strong>");
                push_escaped_html(&b.name, &mut out);
                out.push_str("</strong>");
            } else if !b.href.is_empty() {
                out.push_str("<a href=\"");
                push_escaped_html(root, &mut out);
                push_escaped_html(&b.href, &mut out);
                out.push_str("\">");
                push_escaped_html(&b.name, &mut out);
                out.push_str("</a>");
            } else {
                push_escaped_html(&b.name, &mut out);
            }
            out.push_str("</span> <span class=\"status-word\"><span class=\"icon\" aria-hidden=\"true\">");
            out.push_str(b.icon);
            out.push_str("</span> ");
            push_escaped_html(&b.status_label, &mut out);
            out.push_str("</span> <span class=\"track\"><span class=\"fill\" style=\"--w: ");
            push_escaped_html(&b.width, &mut out);
            out.push_str("\"></span> <span class=\"value\">");
            push_escaped_html(&b.value, &mut out);
            out.push_str("</span></span></li>\n");
        }
        out.push_str("</");
        out.push_str(list);
        out.push_str(">\n");
        out
    }
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

    pub(super) fn unit_of(&self, ind: &Indicator) -> String {
        if ind.unit.is_empty() { String::new() } else { format!(" {}", ind.unit) }
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
            ("target_rate", target_rate.as_str()),
            ("base", base.as_str()),
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
            progress: self.progress(st),
            bar: format!("{:.1}", (st.progress * 100.0).clamp(0.0, 100.0)),
            remaining: format!("{}{}", self.fmt.count(st.remaining), self.unit_of(ind)),
            rate: series.rate_of(st.value as f64).map(|r| self.fmt.percent(r)).unwrap_or_default(),
            target_rate: series.target_rate().map(|r| self.fmt.percent(r)).unwrap_or_default(),
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
    fn bars_written_in_rust_are_the_built_in_templates() {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_template(BarsView::TEMPLATE, include_str!("../../templates/bars.html")).unwrap();
        let bar = |rank: &str, name: &str, href: &str, current: bool, anchor: &str| BarView {
            rank: rank.into(),
            name: name.into(),
            href: href.into(),
            width: "0.8052".into(),
            value: "80,52\u{a0}%".into(),
            status: "behind",
            status_label: "Chậm <tiến> độ".into(),
            icon: "✖",
            current,
            anchor: anchor.into(),
        };
        for ranked in [true, false] {
            let view = BarsView {
                ranked,
                full: "0.6667".into(),
                items: vec![
                    bar("22", "Xã <Phong> Điền & \"Co\"", "localities/phong-dien/index.html", false, "r-phong-dien"),
                    bar("23", "Phường Long Mỹ", "localities/long-my/index.html", true, ""),
                    bar("", "Thành phố Cần Thơ", "", false, ""),
                ],
                html: None,
            };
            let mut ctx = tera::Context::new();
            ctx.insert("bars", &view);
            ctx.insert("root", "../../");
            let from_template = tera.render(BarsView::TEMPLATE, &ctx).unwrap();
            assert_eq!(view.to_html("../../"), from_template);
            assert!(from_template.contains("Xã &lt;Phong&gt; Điền &amp; &quot;Co&quot;"), "{from_template}");
        }
    }

    #[test]
    fn a_comparison_written_in_rust_is_the_built_in_templates() {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_template(BarsView::TEMPLATE, include_str!("../../templates/bars.html")).unwrap();
        tera.add_raw_template(CompareView::TEMPLATE, include_str!("../../templates/compare.html")).unwrap();
        let bar = |rank: &str, name: &str, current: bool| BarView {
            rank: rank.into(),
            name: name.into(),
            href: "localities/x/index.html".into(),
            width: "0.5000".into(),
            value: "50,00\u{a0}%".into(),
            status: "behind",
            status_label: "Chậm tiến độ".into(),
            icon: "✖",
            current,
            anchor: String::new(),
        };
        let view = CompareView {
            rank: "Thứ 2 trong 3 của <Tỉnh A>.".into(),
            neighbours: BarsView {
                ranked: true,
                full: "1.0000".into(),
                items: vec![bar("1", "Xã A", false), bar("2", "Xã <B>", true)],
                html: None,
            },
            references: BarsView {
                ranked: false,
                full: "1.0000".into(),
                items: vec![bar("", "Tỉnh A", false)],
                html: None,
            },
            ranking_href: "indicators/i/index.html#r-b".into(),
            html: None,
        };
        let mut ctx = tera::Context::new();
        ctx.insert("f", &serde_json::json!({ "compare": &view }));
        ctx.insert("level", &2);
        ctx.insert("root", "../../");
        ctx.insert(
            "t",
            &std::collections::HashMap::from([("compare_heading", "So với <nơi> khác"), ("compare_full", "Xem")]),
        );
        let from_template = tera.render(CompareView::TEMPLATE, &ctx).unwrap();
        assert_eq!(view.to_html(3, "So với <nơi> khác", "Xem", "../../"), from_template);
        assert!(
            from_template.contains("<h3>So với &lt;nơi&gt; khác</h3>\n<p>Thứ 2 trong 3 của &lt;Tỉnh A&gt;.</p>"),
            "{from_template}"
        );
    }

    #[test]
    fn unit_rows_written_in_rust_are_the_built_in_templates() {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_template(UnitRows::TEMPLATE, include_str!("../../templates/unit-table.html")).unwrap();
        let cell = |has_data: bool| CellView {
            has_data,
            progress: if has_data { "80,52\u{a0}%".into() } else { String::new() },
            value: String::new(),
            status: if has_data { "behind" } else { "none" },
            status_label: if has_data { "Chậm <tiến> độ".into() } else { String::new() },
            icon: if has_data { "✖" } else { "" },
        };
        let rows = vec![
            UnitRow {
                name: "Xã <Mỹ> & \"Tú\"".into(),
                href: "localities/my-tu/index.html".into(),
                cells: vec![cell(true), cell(false)],
            },
            UnitRow {
                name: "Phường Mới".into(),
                href: "localities/moi/index.html".into(),
                cells: vec![CellView { value: "1.230".into(), ..cell(false) }, cell(false)],
            },
            UnitRow {
                name: "Phường Long Mỹ".into(),
                href: "localities/long-my/index.html".into(),
                cells: vec![cell(true), cell(true)],
            },
        ];
        let heads = vec!["BHXH <tự> nguyện".to_owned(), "BHYT".to_owned()];
        let html = UnitRows::write(&rows, "../", "Chưa có số liệu");
        let render = |rows: UnitRows| {
            let mut ctx = tera::Context::new();
            ctx.insert("rows", &rows);
            ctx.insert("root", "../");
            ctx.insert("table_caption", "Caption");
            ctx.insert("indicator_heads", &heads);
            ctx.insert("labels", &column_labels(heads.iter().map(String::as_str)));
            ctx.insert("searchable", &false);
            ctx.insert(
                "t",
                &std::collections::HashMap::from([("col_locality", "Phường, xã"), ("no_data", "Chưa có số liệu")]),
            );
            tera.render(UnitRows::TEMPLATE, &ctx).unwrap()
        };
        let fast = render(UnitRows { rows: Vec::new(), html: Some(html) });
        assert_eq!(fast, render(UnitRows { rows, html: None }));
        assert!(fast.contains("Xã &lt;Mỹ&gt; &amp; &quot;Tú&quot;"), "{fast}");
        assert!(fast.contains("style=\"--c1: &#39;BHXH \\3c tự\\3e  nguyện&#39;; --c2: &#39;BHYT&#39;\""), "{fast}");
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
