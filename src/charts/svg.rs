//! A small SVG writer for the site's charts: the few elements they use, written straight
//! into one string, with every piece of text escaped.
//!
//! Charts are drawn more than ten thousand times in a national build, so this avoids
//! what general plotting libraries spend per element (an allocation and a `format!` for
//! each attribute). Coordinates are written with at most one decimal.

use std::fmt::Write as _;

use crate::text::{escape_html, push_escaped_html};

/// A colour as `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour(pub &'static str);

/// A point in the drawing's pixels: `(x, y)`, y growing downwards.
pub type Point = (f64, f64);

/// Where text sits relative to its point.
#[derive(Clone, Copy, Debug)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A line's pattern.
#[derive(Clone, Copy, Debug)]
pub enum Stroke {
    Solid,
    /// `stroke-dasharray`, e.g. "10 5".
    Dashed(&'static str),
}

/// The size of the grid of a [`Svg::drawing`], both ways.
pub const DRAWING: u32 = 1000;

pub struct Svg {
    out: String,
    /// Text size and colour set once on the root and inherited by every `<text>`.
    text_size: f64,
    text_fill: Colour,
}

/// Appends a point as `x y`, as path data writes it.
fn pair(out: &mut String, (x, y): Point) {
    num(out, x);
    out.push(' ');
    num(out, y);
}

/// `x` rounded half away from zero, as `f64::round` does, for the coordinates of a chart
/// (well within ±2⁵²). Without the instruction set that rounds, `f64::round` is a call
/// into the C library, and a national build rounds millions of coordinates.
fn round(x: f64) -> i64 {
    let whole = x as i64;
    // Exact: `whole` is `x` without its fraction.
    let fraction = x - whole as f64;
    if fraction >= 0.5 {
        whole + 1
    } else if fraction <= -0.5 {
        whole - 1
    } else {
        whole
    }
}

/// Appends `x` with at most one decimal, without a trailing `.0`.
pub(super) fn num(out: &mut String, x: f64) {
    let tenths = round(x * 10.0);
    if tenths < 0 {
        out.push('-');
    }
    let abs = tenths.unsigned_abs();
    out.push_str(itoa::Buffer::new().format(abs / 10));
    if !abs.is_multiple_of(10) {
        out.push('.');
        out.push(char::from(b'0' + (abs % 10) as u8));
    }
}

impl Svg {
    /// Opens an image of `width` × `height` with its text alternative: `role="img"`, a
    /// `<title>` (the short alternative) and a `<desc>`, referenced by `aria-labelledby`.
    /// `id` must be unique on the page that shows the chart. Text is `text_size` px in
    /// `text_fill` unless a `text` call says otherwise.
    pub fn new(width: u32, height: u32, id: &str, title: &str, desc: &str, text_size: f64, text_fill: Colour) -> Svg {
        let mut out = String::with_capacity(4096);
        let id = escape_html(id);
        let _ = write!(
            out,
            "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"chart\" aria-labelledby=\"{id}-t {id}-d\" focusable=\"false\" font-family=\"sans-serif\" font-size=\"",
        );
        num(&mut out, text_size);
        let _ = write!(
            out,
            "\" fill=\"{}\">\n<title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>\n<rect width=\"{width}\" height=\"{height}\" fill=\"#FFFFFF\"/>\n",
            text_fill.0,
            escape_html(title),
            escape_html(desc)
        );
        Svg { out, text_size, text_fill }
    }

    /// Opens a drawing without text for a page to lay its own text around: it fills
    /// whatever box the page gives it (a `SIZE` × `SIZE` grid stretched both ways, so
    /// strokes must not scale: the page's style says so), with the same text alternative
    /// as [`Svg::new`].
    pub fn drawing(id: &str, title: &str, desc: &str) -> Svg {
        let mut out = String::with_capacity(2048);
        let id = escape_html(id);
        let _ = write!(
            out,
            "<svg viewBox=\"0 0 {DRAWING} {DRAWING}\" preserveAspectRatio=\"none\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" focusable=\"false\">\n<title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>\n",
            escape_html(title),
            escape_html(desc)
        );
        Svg { out, text_size: 0.0, text_fill: Colour("#000000") }
    }

    /// Opens a picture of `width` × `height` in `font`, without a text alternative: one
    /// that is not shown on a page (a share image, described beside it by `og:image:alt`).
    pub fn picture(width: u32, height: u32, font: &str) -> Svg {
        let mut out = String::with_capacity(4096);
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"{}\">",
            escape_html(font)
        );
        Svg { out, text_size: 0.0, text_fill: Colour("#000000") }
    }

    pub fn rect(&mut self, x: f64, y: f64, width: f64, height: f64, fill: Colour) {
        self.rounded_rect(x, y, width, height, 0.0, fill);
    }

    /// A rectangle whose corners are rounded to `r`.
    pub fn rounded_rect(&mut self, x: f64, y: f64, width: f64, height: f64, r: f64, fill: Colour) {
        self.out.push_str("<rect x=\"");
        num(&mut self.out, x);
        self.out.push_str("\" y=\"");
        num(&mut self.out, y);
        self.out.push_str("\" width=\"");
        num(&mut self.out, width.max(0.0));
        self.out.push_str("\" height=\"");
        num(&mut self.out, height.max(0.0));
        if r > 0.0 {
            self.out.push_str("\" rx=\"");
            num(&mut self.out, r);
        }
        let _ = writeln!(self.out, "\" fill=\"{}\"/>", fill.0);
    }

    /// A line of text whose baseline is at `y`, in its own size, weight and colour, with a
    /// `class` when one is given. Characters XML does not allow (control characters from
    /// a name) are left out: they would make the picture undrawable.
    #[allow(clippy::too_many_arguments)]
    pub fn line(
        &mut self,
        class: Option<&str>,
        (x, y): Point,
        anchor: Anchor,
        size: f64,
        bold: bool,
        fill: Colour,
        text: &str,
    ) {
        if text.is_empty() {
            return;
        }
        self.out.push_str("<text");
        if let Some(class) = class {
            self.out.push_str(" class=\"");
            push_escaped_html(class, &mut self.out);
            self.out.push('"');
        }
        self.out.push_str(" x=\"");
        num(&mut self.out, x);
        self.out.push_str("\" y=\"");
        num(&mut self.out, y);
        self.out.push_str("\" font-size=\"");
        num(&mut self.out, size);
        self.out.push_str(if bold { "\" font-weight=\"700" } else { "\" font-weight=\"400" });
        self.out.push_str("\" fill=\"");
        self.out.push_str(fill.0);
        self.anchor(anchor);
        self.out.push_str("\">");
        let allowed: String =
            text.chars().filter(|&c| !c.is_control() && !matches!(c, '\u{fffe}' | '\u{ffff}')).collect();
        push_escaped_html(&allowed, &mut self.out);
        self.out.push_str("</text>\n");
    }

    /// Opens a group of the class `class`, which [`Svg::end_group`] closes.
    pub fn begin_group(&mut self, class: &str) {
        self.out.push_str("<g class=\"");
        push_escaped_html(class, &mut self.out);
        self.out.push_str("\">\n");
    }

    pub fn end_group(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// Adds `element`, an element this writer wrote for another drawing of the same size.
    pub fn element(&mut self, element: &str) {
        self.out.push_str(element);
    }

    /// A line through `points`.
    pub fn polyline(&mut self, points: &[Point], colour: Colour, width: f64, stroke: Stroke) {
        if points.len() < 2 {
            return;
        }
        self.stroked("polyline", colour, width);
        if let Stroke::Dashed(pattern) = stroke {
            self.out.push_str("\" stroke-dasharray=\"");
            self.out.push_str(pattern);
        }
        self.out.push_str("\" points=\"");
        for (i, &(x, y)) in points.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            num(&mut self.out, x);
            self.out.push(',');
            num(&mut self.out, y);
        }
        self.out.push_str("\"/>\n");
    }

    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: Colour) {
        self.out.push_str("<circle cx=\"");
        num(&mut self.out, cx);
        self.out.push_str("\" cy=\"");
        num(&mut self.out, cy);
        self.out.push_str("\" r=\"");
        num(&mut self.out, r);
        let _ = writeln!(self.out, "\" fill=\"{}\"/>", fill.0);
    }

    /// Text whose middle (vertically) is at `y`, in the chart's text size and colour.
    pub fn text(&mut self, x: f64, y: f64, anchor: Anchor, text: &str) {
        self.styled_text(x, y, anchor, self.text_size, self.text_fill, text);
    }

    /// Text whose middle (vertically) is at `y`, in its own size and colour.
    pub fn styled_text(&mut self, x: f64, y: f64, anchor: Anchor, size: f64, fill: Colour, text: &str) {
        self.out.push_str("<text x=\"");
        num(&mut self.out, x);
        self.out.push_str("\" y=\"");
        // The baseline sits 0.35 em below the middle of the text.
        num(&mut self.out, y + 0.35 * size);
        if size != self.text_size {
            self.out.push_str("\" font-size=\"");
            num(&mut self.out, size);
        }
        if fill != self.text_fill {
            self.out.push_str("\" fill=\"");
            self.out.push_str(fill.0);
        }
        self.anchor(anchor);
        self.out.push_str("\">");
        push_escaped_html(text, &mut self.out);
        self.out.push_str("</text>\n");
    }

    /// Several texts on one line, whose middles are at `y`: one element.
    pub fn texts_in_row(&mut self, y: f64, anchor: Anchor, items: &[(f64, &str)]) {
        if items.is_empty() {
            return;
        }
        self.out.push_str("<text y=\"");
        num(&mut self.out, y + 0.35 * self.text_size);
        self.anchor(anchor);
        self.out.push_str("\">");
        for &(x, text) in items {
            self.out.push_str("<tspan x=\"");
            num(&mut self.out, x);
            self.out.push_str("\">");
            push_escaped_html(text, &mut self.out);
            self.out.push_str("</tspan>");
        }
        self.out.push_str("</text>\n");
    }

    /// Several straight segments in one colour and width: one element.
    pub fn segments(&mut self, segments: &[(Point, Point)], colour: Colour, width: f64) {
        if segments.is_empty() {
            return;
        }
        self.stroked("path", colour, width);
        self.out.push_str("\" d=\"");
        for &(from, to) in segments {
            self.out.push('M');
            pair(&mut self.out, from);
            self.out.push('L');
            pair(&mut self.out, to);
        }
        self.out.push_str("\"/>\n");
    }

    /// Dots of one colour and radius: one group.
    pub fn circles(&mut self, centres: &[Point], r: f64, fill: Colour) {
        if centres.is_empty() {
            return;
        }
        let _ = write!(self.out, "<g fill=\"{}\">", fill.0);
        for &(cx, cy) in centres {
            self.out.push_str("<circle cx=\"");
            num(&mut self.out, cx);
            self.out.push_str("\" cy=\"");
            num(&mut self.out, cy);
            self.out.push_str("\" r=\"");
            num(&mut self.out, r);
            self.out.push_str("\"/>");
        }
        self.out.push_str("</g>\n");
    }

    /// Round dots `width` across, that keep their shape in a stretched drawing: a line of
    /// no length with round ends at each centre.
    pub fn dots(&mut self, centres: &[Point], width: f64, colour: Colour) {
        if centres.is_empty() {
            return;
        }
        self.stroked("path", colour, width);
        self.out.push_str("\" stroke-linecap=\"round\" d=\"");
        for &centre in centres {
            self.out.push('M');
            pair(&mut self.out, centre);
            self.out.push_str("h0");
        }
        self.out.push_str("\"/>\n");
    }

    /// Opens an unfilled `element` drawn in `colour` at `width`; the caller adds the
    /// rest of its attributes, the first after a closing quote.
    fn stroked(&mut self, element: &str, colour: Colour, width: f64) {
        self.out.push('<');
        self.out.push_str(element);
        self.out.push_str(" fill=\"none\" stroke=\"");
        self.out.push_str(colour.0);
        self.out.push_str("\" stroke-width=\"");
        num(&mut self.out, width);
    }

    /// A text's `text-anchor`, inside an open attribute list (after its last value).
    fn anchor(&mut self, anchor: Anchor) {
        match anchor {
            Anchor::Start => {}
            Anchor::Middle => self.out.push_str("\" text-anchor=\"middle"),
            Anchor::End => self.out.push_str("\" text-anchor=\"end"),
        }
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Estimated width of `text` at `size` px in a sans-serif font: 0.6 em per character
/// is generous, which is the safe side for layout.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// Round steps for an axis from `min` to `max`: about `count` ticks at 1, 2 or 5 × 10ⁿ.
pub fn ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    if max.partial_cmp(&min) != Some(std::cmp::Ordering::Greater) || !min.is_finite() || !max.is_finite() {
        return vec![min];
    }
    let raw = (max - min) / count.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power);
    let first = (min / step).ceil() as i64;
    let last = (max / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_round_as_the_standard_library_does() {
        let mut x = -2000.0;
        while x < 2000.0 {
            assert_eq!(round(x), x.round() as i64, "{x}");
            x += 0.05;
        }
        for x in [0.5, -0.5, 1.5, -1.5, 2.5, 0.49999999999999994, -0.49999999999999994, 4503599627370495.5] {
            assert_eq!(round(x), x.round() as i64, "{x}");
        }
    }

    #[test]
    fn numbers_have_at_most_one_decimal() {
        let mut s = String::new();
        for x in [0.0, 12.0, 12.34, 12.05, -3.26, 1e6] {
            num(&mut s, x);
            s.push(' ');
        }
        assert_eq!(s, "0 12 12.3 12.1 -3.3 1000000 ");
    }

    #[test]
    fn every_text_is_escaped_and_the_alternative_comes_first() {
        let mut svg = Svg::new(100, 50, "c<1>", "A <b> & \"c\"", "D", 13.0, Colour("#1A1A1A"));
        svg.text(1.0, 2.0, Anchor::End, "Xã <Mỹ Tú> & 'x'");
        svg.styled_text(1.0, 9.0, Anchor::Start, 13.0, Colour("#A31F1A"), "red");
        let out = svg.finish();
        assert!(out.starts_with("<svg width=\"100\" height=\"50\" viewBox=\"0 0 100 50\""));
        assert!(out.contains("aria-labelledby=\"c&lt;1&gt;-t c&lt;1&gt;-d\""));
        assert!(out.contains(
            "<title id=\"c&lt;1&gt;-t\">A &lt;b&gt; &amp; &quot;c&quot;</title>\n<desc id=\"c&lt;1&gt;-d\">D</desc>"
        ));
        assert!(out.contains("<text x=\"1\" y=\"6.6\" text-anchor=\"end\">Xã &lt;Mỹ Tú&gt; &amp; &#39;x&#39;</text>"));
        assert!(out.contains("<text x=\"1\" y=\"13.6\" fill=\"#A31F1A\">red</text>"), "only what differs is written");
        assert!(out.ends_with("</svg>\n"));
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(0.0, 1660.0, 4), vec![0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(ticks(80.0, 97.0, 4), vec![80.0, 85.0, 90.0, 95.0]);
        assert_eq!(ticks(0.0, 1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(ticks(5.0, 5.0, 4), vec![5.0]);
    }
}
