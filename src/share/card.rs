//! A share image's content and layout: [`Card`] says what the picture shows in plain
//! values (the place's name, each indicator's progress, status and bar, the date of the
//! figures, the site's name), and [`Card::svg`] lays it out as SVG with the chart writer
//! (`charts::svg`), for the [`Painter`](super::Painter) to draw.

use std::fmt::Write as _;

use crate::charts::svg::{Anchor, Colour, Svg};

/// The width and height of every share image, as platforms want them.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The font of every picture, built into the program (see [`super::paint`]).
pub(super) const FONT: &str = "Be Vietnam Pro";

const INK: Colour = Colour("#1a1a1a");
const MUTED: Colour = Colour("#555555");
const TRACK: Colour = Colour("#e3e3e3");
const ACCENT: Colour = Colour("#1f4e9c");
const PAPER: Colour = Colour("#ffffff");

/// The class of a text that many pictures of a site have at the same place (an
/// indicator's name, a status, the date, the site's name): the painter draws it once for
/// them all.
pub(super) const COMMON: &str = "common";

/// What one share image shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The site's name, at the top.
    pub site: String,
    /// The place (or indicator) the page is about.
    pub title: String,
    /// The date of the figures, as a sentence: "Số liệu đến ngày 30/09/2025".
    pub as_of: String,
    /// One line per indicator, at most [`MAX_LINES`] of them shown.
    pub lines: Vec<Line>,
}

/// The most indicator lines a picture has room for, legible on a phone's preview.
pub const MAX_LINES: usize = 3;

/// One indicator on a card.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The indicator's short name.
    pub label: String,
    /// The large number: progress ("80,52 %"), or the figure while the year has no target.
    pub big: String,
    /// Beside the number: "1.215 / 1.509 người".
    pub detail: String,
    /// The bar: the share of the target reached (0 to 1), when there is a target.
    pub fill: Option<f64>,
    /// The status in words and its colour (`#rrggbb`), when there is one.
    pub status: Option<(String, &'static str)>,
}

/// An empty picture of the cards' size and font.
pub(super) fn canvas() -> Svg {
    Svg::picture(WIDTH, HEIGHT, FONT)
}

impl Card {
    /// What the picture shows, in words, for those who cannot see it (`og:image:alt`).
    pub fn alt(&self) -> String {
        let mut alt = format!("{}. {}.", self.title, self.as_of);
        for line in &self.lines {
            let _ = write!(alt, " {}: {}", line.label, line.big);
            if let Some((word, _)) = &line.status {
                let _ = write!(alt, ", {word}");
            }
            if !line.detail.is_empty() {
                let _ = write!(alt, " ({})", line.detail);
            }
            alt.push('.');
        }
        alt
    }

    /// The picture as SVG, 1200×630, drawn with the built-in font. From the top: the
    /// place's name and the date of its figures; a block per indicator (its name and
    /// status in words, its progress as a large number beside a bar whose end is the
    /// target, and the numbers under the bar); the site's name at the foot. Sizes are for
    /// a preview 300 px wide, where the smallest of them is still about 8 px.
    pub fn svg(&self) -> String {
        const LEFT: f64 = 56.0;
        const RIGHT: f64 = WIDTH as f64 - 56.0;
        const WIDE: f64 = RIGHT - LEFT;
        let (width, height) = (f64::from(WIDTH), f64::from(HEIGHT));
        let mut svg = canvas();
        svg.rect(0.0, 0.0, width, height, PAPER);
        svg.rect(0.0, 0.0, width, 16.0, ACCENT);
        let text = |svg: &mut Svg, common: bool, at, anchor, size, bold, fill, words: &str| {
            svg.line(common.then_some(COMMON), at, anchor, size, bold, fill, words)
        };
        text(&mut svg, false, (LEFT, 96.0), Anchor::Start, fit(&self.title, 66.0, WIDE), true, INK, &self.title);
        text(&mut svg, true, (LEFT, 146.0), Anchor::Start, fit(&self.as_of, 36.0, WIDE), false, MUTED, &self.as_of);
        // The foot: the site's name under a rule.
        svg.rect(LEFT, height - 78.0, WIDE, 2.0, TRACK);
        let foot = (LEFT, height - 30.0);
        text(&mut svg, true, foot, Anchor::Start, fit(&self.site, 32.0, WIDE), false, MUTED, &self.site);
        let shown = &self.lines[..self.lines.len().min(MAX_LINES)];
        let (top, bottom) = (176.0, height - 96.0);
        let block = ((bottom - top) / shown.len().max(1) as f64).min(180.0);
        // A block needs 160 px with the numbers under its bar, 124 without: with three
        // indicators those are left out (they are on the page), so that the rest stays
        // large enough to read on a phone's preview.
        let details = block >= 140.0;
        let s = (block / if details { 160.0 } else { 124.0 }).min(1.0);
        for (k, line) in shown.iter().enumerate() {
            let y = top + k as f64 * block;
            let label = 40.0 * s;
            let first = y + label;
            // The status on the right, as a word in a coloured box: never colour alone.
            let mut room = WIDE;
            if let Some((word, colour)) = &line.status {
                let w = estimate(word, label, true) + 32.0 * s;
                let (box_y, box_h) = (first - label * 0.98, label * 1.32);
                svg.rounded_rect(RIGHT - w, box_y, w, box_h, 8.0 * s, Colour(colour));
                text(&mut svg, true, (RIGHT - 16.0 * s, first), Anchor::End, label, true, PAPER, word);
                room -= w + 24.0;
            }
            let size = fit(&line.label, label, room);
            text(&mut svg, true, (LEFT, first), Anchor::Start, size, false, INK, &line.label);
            let big = 60.0 * s;
            let second = first + 14.0 * s + big;
            text(&mut svg, false, (LEFT, second), Anchor::Start, big, true, INK, &line.big);
            let x = (LEFT + estimate(&line.big, big, true) + 32.0 * s).max(LEFT + 380.0 * s);
            let detail = 30.0 * s;
            match line.fill {
                Some(fill) => {
                    // The track is the target, marked at its end; the bar, what was reached.
                    let (w, h) = (RIGHT - x, 28.0 * s);
                    let bar = second - big * 0.36 - h / 2.0;
                    let colour = line.status.as_ref().map_or(ACCENT, |st| Colour(st.1));
                    svg.rounded_rect(x, bar, w, h, h / 2.0, TRACK);
                    let filled = (w * fill.clamp(0.0, 1.0)).max(h);
                    svg.rounded_rect(x, bar, filled, h, h / 2.0, colour);
                    svg.rect(RIGHT - 6.0, bar - 9.0 * s, 6.0, h + 18.0 * s, INK);
                    if details {
                        let under = (RIGHT, bar + h + 14.0 * s + detail);
                        let size = fit(&line.detail, detail, w);
                        text(&mut svg, false, under, Anchor::End, size, false, MUTED, &line.detail);
                    }
                }
                None => {
                    let size = fit(&line.detail, detail, RIGHT - x);
                    text(&mut svg, false, (x, second), Anchor::Start, size, false, MUTED, &line.detail);
                }
            }
        }
        svg.finish()
    }
}

/// About how wide `words` are at `size`: generous, so that what is laid out to fit does.
fn estimate(words: &str, size: f64, bold: bool) -> f64 {
    let per = if bold { 0.62 } else { 0.56 };
    words
        .chars()
        .map(|c| {
            if c.is_whitespace() {
                0.3
            } else if c.is_ascii_digit() {
                0.6
            } else {
                per
            }
        })
        .sum::<f64>()
        * size
}

/// `size`, made smaller when `words` would not fit in `room` (but never below 60 % of it:
/// a name that long is rare, and it is still shown whole).
fn fit(words: &str, size: f64, room: f64) -> f64 {
    let wide = estimate(words, size, true);
    if wide <= room { size } else { (size * room / wide).max(size * 0.6) }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub fn card() -> Card {
        Card {
            site: "Tiến độ BHXH tự nguyện và BHYT — Thành phố Cần Thơ".into(),
            title: "Phường Long Mỹ <&>".into(),
            as_of: "Số liệu đến ngày 30/09/2025".into(),
            lines: vec![
                Line {
                    label: "BHXH tự nguyện".into(),
                    big: "80,52 %".into(),
                    detail: "1.215 / 1.509 người".into(),
                    fill: Some(0.8052),
                    status: Some(("Chậm tiến độ".into(), "#b3261e")),
                },
                Line {
                    label: "BHYT".into(),
                    big: "1.215 người".into(),
                    detail: "+12 so với ngày 31/08/2025".into(),
                    fill: None,
                    status: None,
                },
            ],
        }
    }

    #[test]
    fn names_are_escaped_and_control_characters_left_out() {
        let svg = card().svg();
        assert!(svg.contains(">Phường Long Mỹ &lt;&amp;&gt;</text>"), "{svg}");
        let mut c = card();
        c.title = "Phường\u{1b}[2J Long\u{7} Mỹ\u{0}".into();
        assert!(c.svg().contains(">Phường[2J Long Mỹ</text>"));
    }
}
