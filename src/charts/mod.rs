//! Charts: model in, SVG text out.
//!
//! Pure functions: no file system, no templates. Every chart carries its text
//! alternative (`<title>` and `<desc>`, referenced by `aria-labelledby`), inline in a
//! page and in the ranking's standalone `.svg` file. Text is left to the
//! reader's sans-serif font and laid out with generous estimates, so the bytes never
//! depend on the fonts installed where the site is built.

pub mod ranking;
pub mod svg;
pub mod trend;

use crate::progress::Status;
use svg::Colour;

pub use ranking::{Bar, Ranking, ranking};
pub use trend::{Trend, TrendLabels, trend_html};

// All chart marks have at least 3:1 contrast against white (WCAG 1.4.11); every series
// also differs by its stroke pattern, and statuses are written out in words.
pub(crate) const ACTUAL: Colour = Colour("#1F4E9C");
pub(crate) const TARGET: Colour = Colour("#A31F1A");
pub(crate) const EXPECTED: Colour = Colour("#5F6368");
pub(crate) const AXIS: Colour = Colour("#444444");
pub(crate) const GRID: Colour = Colour("#DDDDDD");
pub(crate) const INK: Colour = Colour("#1A1A1A");

/// The colour of a status; the status is always also written out beside it.
pub fn status_colour(status: Status) -> Colour {
    match status {
        Status::Achieved => Colour("#1A7F37"),
        Status::OnTrack => Colour("#1F6FB5"),
        Status::AtRisk => Colour("#A85A00"),
        Status::Behind | Status::Missed => Colour("#C02626"),
        Status::NoTrend => Colour("#6B6B6B"),
    }
}
