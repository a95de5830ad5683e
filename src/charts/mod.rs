//! Charts: model in, SVG text out, drawn with plotters.
//!
//! Pure functions: no file system, no templates. Every chart carries its text
//! alternative (`<title>` and `<desc>`, referenced by `aria-labelledby`) so it
//! reads the same inline in a page and as a standalone `.svg` file. Text is drawn
//! with plotters' built-in font metrics (no font files), so the bytes do not depend
//! on the fonts installed where the site is built.

pub mod ranking;
pub mod trend;

use std::fmt;

use plotters::style::RGBColor;

use crate::progress::Status;
use crate::text::escape_html;

pub use ranking::{Bar, Ranking, ranking};
pub use trend::{Trend, TrendLabels, trend};

/// A chart that could not be drawn. Drawing into a string cannot fail in practice;
/// this keeps the possibility from becoming a panic.
#[derive(Debug, Clone)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a chart could not be drawn: {}", self.0)
    }
}

impl std::error::Error for Error {}

pub(crate) fn err<E: fmt::Debug>(e: E) -> Error {
    Error(format!("{e:?}"))
}

// Each series has its own exact colour, so `dash` can find its strokes in the SVG.
// All chart marks have at least 3:1 contrast against white (WCAG 1.4.11).
pub(crate) const ACTUAL: RGBColor = RGBColor(0x1f, 0x4e, 0x9c);
pub(crate) const PROJECTION: RGBColor = RGBColor(0x1f, 0x4e, 0x9d);
pub(crate) const TARGET: RGBColor = RGBColor(0xa3, 0x1f, 0x1a);
pub(crate) const EXPECTED: RGBColor = RGBColor(0x5f, 0x63, 0x68);
pub(crate) const AXIS: RGBColor = RGBColor(0x44, 0x44, 0x44);
pub(crate) const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
pub(crate) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);

/// The colour of a status; the status is always also written out beside it.
pub fn status_colour(status: Status) -> RGBColor {
    match status {
        Status::Achieved => RGBColor(0x1a, 0x7f, 0x37),
        Status::OnTrack => RGBColor(0x1f, 0x6f, 0xb5),
        Status::AtRisk => RGBColor(0xa8, 0x5a, 0x00),
        Status::Behind => RGBColor(0xc0, 0x26, 0x26),
        Status::NoTrend => RGBColor(0x6b, 0x6b, 0x6b),
    }
}

/// Font size as plotters wants it: it divides by 1.24 when writing SVG.
pub(crate) fn px(size: f64) -> f64 {
    size * 1.24
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Turns every stroke of colour `c` into a dashed stroke. plotters draws dashed lines as
/// one element per dash; a `stroke-dasharray` is one attribute.
pub(crate) fn dash(svg: &str, c: RGBColor, pattern: &str) -> String {
    let from = format!("stroke=\"{}\"", hex(c));
    let to = format!("{from} stroke-dasharray=\"{pattern}\"");
    svg.replace(&from, &to)
}

/// Adds the text alternative to the root `<svg>` element: `role="img"`, a `<title>` (the
/// short alternative) and a `<desc>` (what the chart shows), referenced by `aria-labelledby`.
/// The width and height stay for standalone files; pages scale charts with CSS.
pub(crate) fn accessible(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let Some(open_end) = svg.find("<svg").and_then(|start| svg[start..].find('>').map(|e| start + e)) else {
        return svg.to_owned();
    };
    let (head, rest) = svg.split_at(open_end);
    let id = escape_html(id);
    format!(
        "{head} role=\"img\" class=\"chart\" aria-labelledby=\"{id}-t {id}-d\" focusable=\"false\">\n<title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>{}",
        escape_html(title),
        escape_html(desc),
        &rest[1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_alternative_is_added_and_escaped() {
        let svg = "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/>\n</svg>";
        let out = accessible(svg, "c1", "A <b> & \"c\"", "D");
        assert!(out.starts_with(
            "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""
        ));
        assert!(out.contains("<title id=\"c1-t\">A &lt;b&gt; &amp; &quot;c&quot;</title>"));
        assert!(out.contains("<desc id=\"c1-d\">D</desc>\n<rect/>"));
        assert!(out.contains("aria-labelledby=\"c1-t c1-d\""));
    }

    #[test]
    fn dashes_only_the_chosen_colour() {
        let svg = "<polyline stroke=\"#A31F1A\"/><polyline stroke=\"#1F4E9C\"/>";
        let out = dash(svg, TARGET, "8 4");
        assert_eq!(out, "<polyline stroke=\"#A31F1A\" stroke-dasharray=\"8 4\"/><polyline stroke=\"#1F4E9C\"/>");
    }
}
