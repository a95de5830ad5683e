//! The Rust mirrors of templates: the built-in templates that the renderer also writes in
//! Rust, byte for byte as the templates write them, for speed. Each is written many times
//! per build (a national site has some 300,000 cells of tables of numbers and 10,000
//! figures), and rendering them through Tera took a tenth of the
//! build. [`MIRRORS`] lists them; the one test at the bottom walks that list and renders
//! each template and its mirror from the same values. A site that has its own of a
//! mirrored template, or of a template it includes, gets its pages from the templates
//! ([`mirrored`]): the mirrors are only ever a faster way to the built-in theme.

use std::fmt::Write as _;

use serde::Serialize;

use super::theme::Theme;
use super::views::{BarsView, ChartView, CompareView, FigureView, UnitRow, UnitRows};
use crate::text::{escape_html, push_escaped_html};
use crate::words::Strings;

/// A built-in template that has a mirror in Rust, and the built-in templates it includes.
pub struct Mirror {
    pub template: &'static str,
    pub includes: &'static [&'static str],
    /// The Rust that writes it, in this file: for the reader who changes the template,
    /// and for the test's messages.
    #[cfg_attr(not(test), allow(dead_code))]
    pub writer: &'static str,
}

/// Every mirrored template.
pub const MIRRORS: &[Mirror] = &[
    Mirror { template: TableRows::TEMPLATE, includes: &[], writer: "TableRows::new(true)" },
    Mirror { template: UnitRows::TEMPLATE, includes: &[], writer: "UnitRows::write (its rows)" },
    Mirror { template: BarsView::TEMPLATE, includes: &[], writer: "BarsView::to_html" },
    Mirror { template: CompareView::TEMPLATE, includes: &[BarsView::TEMPLATE], writer: "CompareView::to_html" },
    Mirror { template: ChartView::TABLE, includes: &[], writer: "ChartView::write_table" },
    Mirror { template: ChartView::TEMPLATE, includes: &[ChartView::TABLE], writer: "ChartView::write_html" },
    Mirror {
        template: FigureView::TEMPLATE,
        includes: &[
            ChartView::TEMPLATE,
            ChartView::TABLE,
            CompareView::TEMPLATE,
            BarsView::TEMPLATE,
            TableRows::TEMPLATE,
        ],
        writer: "FigureView::to_html",
    },
];

/// Whether `template` is written by its mirror: it is in [`MIRRORS`], and neither it nor
/// a template it includes is the site's own.
pub fn mirrored(theme: &Theme, template: &str) -> bool {
    MIRRORS
        .iter()
        .find(|m| m.template == template)
        .is_some_and(|m| !theme.overrides(m.template) && !m.includes.iter().any(|t| theme.overrides(t)))
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

    /// The rows as HTML: as written, or rendered by `render` with the theme's template.
    pub fn finish<E>(
        mut self,
        render: impl FnOnce(&'static str, &tera::Context) -> Result<String, E>,
    ) -> Result<String, E> {
        if let Some(rows) = self.rows {
            let mut ctx = tera::Context::new();
            ctx.insert("rows", &rows);
            return render(Self::TEMPLATE, &ctx);
        }
        if !self.html.is_empty() {
            self.html.push_str("</tr>\n");
        }
        Ok(self.html)
    }
}

/// Tera's truth for an optional text: present and not empty.
fn shown(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.is_empty())
}

impl FigureView {
    /// The template of a figure, given `f`, `level`, `sentences_above` and `root`.
    pub const TEMPLATE: &'static str = "figure.html";

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
            if !self.expected.is_empty() {
                number(&mut out, "fig_expected", &self.expected, "");
            }
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
                let _ = write!(out, "<h{0} id=\"ranking-", level + 1);
                text(&mut out, &self.id);
                out.push_str("\">");
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
    /// The template of a chart with its table, given `chart`.
    pub const TEMPLATE: &'static str = "chart.html";
    /// The template of a chart's table of numbers, given `chart`.
    pub const TABLE: &'static str = "chart-table.html";

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
        if !self.png.is_empty() {
            out.push_str("<figcaption>");
            link(out, &self.png, "image_download");
            out.push_str("</figcaption>");
        }
        out.push_str("\n</figure>\n");
        self.write_table(out, s);
    }

    /// The chart's numbers, in a table that opens, as the built-in `chart-table.html`
    /// writes them.
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

impl CompareView {
    /// The template of the block, given `f.compare`, `level` (the figure's heading level)
    /// and `bars.html` for its two lists.
    pub const TEMPLATE: &'static str = "compare.html";

    /// The block as HTML under a heading of `level`, with `heading`, on a page `root` away
    /// from the site root.
    pub fn to_html(&self, level: u8, heading: &str, root: &str) -> String {
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
        push_escaped_html(&self.full, &mut out);
        out.push_str("</a></p>\n</div>\n");
        out
    }
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
            out.push_str("<tr");
            if !row.old.is_empty() {
                out.push_str(" data-old=\"");
                push_escaped_html(&row.old, &mut out);
                out.push('"');
            }
            out.push_str("><th scope=\"row\"><a href=\"");
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

impl BarsView {
    /// The template of a list of bars, given `bars`.
    pub const TEMPLATE: &'static str = "bars.html";

    /// The list as HTML, exactly as the built-in [`BarsView::TEMPLATE`] writes it, on a
    /// page whose way back to the site root is `root`; nothing for a list of nothing.
    pub fn to_html(&self, root: &str) -> String {
        if self.items.is_empty() {
            return String::new();
        }
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
            if b.gap {
                out.push_str(" gap");
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

#[cfg(test)]
mod tests;
