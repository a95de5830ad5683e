//! A share image's content and layout: [`Card`] says what the picture shows in plain
//! values (the place's name, each indicator's progress, status and bar, the date of the
//! figures, the site's name), and [`Card::svg`] lays it out as SVG with the chart writer
//! (`charts::svg`), for the [`Painter`](super::Painter) to draw.

use std::fmt::Write as _;

use crate::charts::svg::{Anchor, Colour, Svg};
use crate::progress::Status;

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
/// The sides, which a square preview cuts away: a tint of the accent that frames the
/// middle.
const SIDE: Colour = Colour("#e8eef7");
/// The notice's band, in the colours of the pages' notice.
const NOTICE: Colour = Colour("#fff4ce");
const NOTICE_RULE: Colour = Colour("#8f4d00");
const NOTICE_INK: Colour = Colour("#3d2a00");

/// The statuses' colours on a card, the site's own (see the theme's `--achieved` …).
pub fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Achieved => STATUSES[0],
        Status::OnTrack => STATUSES[1],
        Status::AtRisk => STATUSES[2],
        Status::Behind | Status::Missed => STATUSES[3],
        Status::NoTrend => STATUSES[4],
    }
}

const STATUSES: [&str; 5] = ["#1a7f37", "#1f5fa0", "#8f4d00", "#b3261e", "#595959"];

/// The colours of every card (see `super::png`), at most 256, each 0xRRGGBB: each colour
/// a card is drawn in, and the shades between two that meet at an edge: fifteen where a
/// letter is over its background, seven at the edge of a box or a bar.
pub(super) fn palette() -> Vec<u32> {
    let hex = |c: &str| u32::from_str_radix(c.trim_start_matches('#'), 16).unwrap_or(0);
    let [paper, side, ink, muted, track, accent, notice, rule, notice_ink] =
        [PAPER, SIDE, INK, MUTED, TRACK, ACCENT, NOTICE, NOTICE_RULE, NOTICE_INK].map(|c| hex(c.0));
    let statuses = STATUSES.map(hex);
    let mut colours = vec![paper, side, ink, muted, track, accent, notice, rule, notice_ink];
    colours.extend(statuses);
    let shades = |colours: &mut Vec<u32>, (over, under): (u32, u32), n: u32| {
        for k in 1..=n {
            let a = k * 255 / (n + 1);
            let mix = |shift: u32| ((over >> shift & 255) * a + (under >> shift & 255) * (255 - a) + 127) / 255;
            colours.push(mix(16) << 16 | mix(8) << 8 | mix(0));
        }
    };
    let letters = [(ink, paper), (muted, paper), (notice_ink, notice)].into_iter().chain(statuses.map(|s| (paper, s)));
    letters.for_each(|pair| shades(&mut colours, pair, 15));
    let edges =
        [(track, paper), (ink, track), (rule, notice), (rule, paper), (rule, side), (accent, paper), (accent, side)];
    let bars = statuses.into_iter().flat_map(|s| [(s, paper), (s, track)]);
    edges.into_iter().chain(bars).for_each(|pair| shades(&mut colours, pair, 7));
    let mut seen = std::collections::HashSet::new();
    colours.retain(|c| seen.insert(*c));
    colours.truncate(256);
    colours
}

/// What a reader must see is between these: the middle 600 px, which a square cut from
/// the middle of the picture (630 px wide) keeps.
const LEFT: f64 = 300.0;
const RIGHT: f64 = 900.0;
const WIDE: f64 = RIGHT - LEFT;

/// The columns of the square cut from the middle of a picture, white to its edges: all
/// that is a card's own is drawn in it, and the sides are the frame's alone.
pub(super) const MIDDLE: std::ops::Range<u32> = (WIDTH - HEIGHT) / 2..(WIDTH + HEIGHT) / 2;

/// The class of what a place's picture shows alike every month (its name): the painter
/// keeps the rows that show nothing else from one build to the next.
pub(super) const LASTING: &str = "lasting";

/// The class of the group that every picture of a site has the same (the background, the
/// site's name, the notice's band): the painter draws it once, and draws each picture
/// on a copy of it. It is the first element of a card, and holds no group.
pub(super) const FRAME: &str = "frame";

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
    /// The site's notice ("most figures here are illustrative"), which must travel
    /// with every picture, as it heads every page.
    pub notice: Option<String>,
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
        if let Some(notice) = &self.notice {
            let _ = write!(alt, " {notice}");
        }
        alt
    }

    /// The picture as SVG, 1200×630, drawn with the built-in font.
    ///
    /// Chat apps show a link's picture whole, or as a square cut from its middle: what
    /// a reader must see — the place's name, the date of its figures, each indicator's
    /// progress and status, and the site's notice — is in the middle 600 px of the width,
    /// which a centred square keeps, and the sides only frame it. From the top: the
    /// site's name, the place's name and the date; a block per indicator (its name with
    /// what the number is, its status in words, its progress as a large number beside a
    /// bar whose end is the target, and the numbers under the bar where there is room);
    /// the notice, when the site has one, in a band at the foot. Sizes are for a preview
    /// 300 px wide, where the smallest of them is still about 6 px.
    pub fn svg(&self) -> String {
        let (width, height) = (f64::from(WIDTH), f64::from(HEIGHT));
        let mut svg = canvas();
        let middle = width / 2.0;
        // The frame: the sides, the middle (white to the edges of a centred square), the
        // accent, the site's name and the notice in a band across the foot.
        svg.begin_group(FRAME);
        svg.rect(0.0, 0.0, width, height, SIDE);
        svg.rect(f64::from(MIDDLE.start), 0.0, f64::from(MIDDLE.end - MIDDLE.start), height, PAPER);
        svg.rect(0.0, 0.0, width, 12.0, ACCENT);
        svg.line(None, (middle, 50.0), Anchor::Middle, fit(&self.site, 24.0, WIDE), false, MUTED, &self.site);
        let mut bottom = height - 16.0;
        if let Some(notice) = self.notice.as_deref().filter(|n| !n.trim().is_empty()) {
            let (size, lines) = wrap(notice, WIDE);
            let leading = size * 1.3;
            let band = lines.len() as f64 * leading + 28.0;
            let top = height - band;
            svg.rect(0.0, top, width, band, NOTICE);
            svg.rect(0.0, top, width, 4.0, NOTICE_RULE);
            for (k, line) in lines.iter().enumerate() {
                let y = top + 16.0 + size + k as f64 * leading;
                svg.line(None, (middle, y), Anchor::Middle, size, false, NOTICE_INK, line);
            }
            bottom = top - 12.0;
        }
        svg.end_group();
        // The name on one line, or on two when one would make it too small to read.
        let mut y = 116.0;
        let one = 56.0 * (WIDE / estimate(&self.title, 56.0, true)).min(1.0);
        let title = match halves(&self.title) {
            Some((first, second)) if one < 36.0 => {
                y = 92.0;
                vec![(first.to_owned(), fit(first, 44.0, WIDE)), (second.to_owned(), fit(second, 44.0, WIDE))]
            }
            _ => vec![(self.title.clone(), fit(&self.title, 56.0, WIDE))],
        };
        for (k, (line, size)) in title.iter().enumerate() {
            if k > 0 {
                y += 46.0;
            }
            svg.line(Some(LASTING), (middle, y), Anchor::Middle, *size, true, INK, line);
        }
        // The date clear of the name's lowest letters (a "ỵ" reaches 15 px below the
        // line): the name's rows are then the same bytes every month (see `super::paint`).
        y += 45.0;
        svg.line(None, (middle, y), Anchor::Middle, fit(&self.as_of, 28.0, WIDE), false, MUTED, &self.as_of);
        let shown = &self.lines[..self.lines.len().min(MAX_LINES)];
        let top = y + 24.0;
        let block = ((bottom - top) / shown.len().max(1) as f64).min(170.0);
        // A block needs 140 px with the numbers under its bar, 106 without: where there is
        // no room for them they are left out (they are on the page), so that the rest
        // stays large enough to read on a phone's preview.
        let details = block >= 132.0;
        let s = (block / if details { 140.0 } else { 106.0 }).min(1.0);
        for (k, line) in shown.iter().enumerate() {
            let y = top + k as f64 * block;
            let label = 28.0 * s;
            let first = y + label;
            // The status on the right, as a word in a coloured box: never colour alone.
            let mut room = WIDE;
            if let Some((word, colour)) = &line.status {
                let size = 26.0 * s;
                let w = estimate(word, size, true) + 24.0 * s;
                let (box_y, box_h) = (first - size * 1.02, size * 1.36);
                svg.rounded_rect(RIGHT - w, box_y, w, box_h, 6.0 * s, Colour(colour));
                svg.line(None, (RIGHT - 12.0 * s, first), Anchor::End, size, true, PAPER, word);
                room -= w + 16.0;
            }
            let size = fit(&line.label, label, room);
            svg.line(None, (LEFT, first), Anchor::Start, size, false, INK, &line.label);
            let big = 54.0 * s;
            let second = first + 14.0 * s + big;
            let big_size = fit(&line.big, big, WIDE * 0.6);
            svg.line(None, (LEFT, second), Anchor::Start, big_size, true, INK, &line.big);
            let x = LEFT + estimate(&line.big, big_size, true) + 24.0 * s;
            let detail = 24.0 * s;
            match line.fill {
                Some(fill) => {
                    // The track is the target, marked at its end; the bar, what was reached.
                    let (w, h) = (RIGHT - x, 22.0 * s);
                    let bar = second - big * 0.36 - h / 2.0;
                    let colour = line.status.as_ref().map_or(ACCENT, |st| Colour(st.1));
                    svg.rounded_rect(x, bar, w, h, h / 2.0, TRACK);
                    let filled = (w * fill.clamp(0.0, 1.0)).max(h);
                    svg.rounded_rect(x, bar, filled, h, h / 2.0, colour);
                    svg.rect(RIGHT - 5.0, bar - 7.0 * s, 5.0, h + 14.0 * s, INK);
                    if details {
                        let under = (RIGHT, second + 12.0 * s + detail);
                        let size = fit(&line.detail, detail, WIDE);
                        svg.line(None, under, Anchor::End, size, false, MUTED, &line.detail);
                    }
                }
                None => {
                    let size = fit(&line.detail, detail, RIGHT - x);
                    svg.line(None, (x, second), Anchor::Start, size, false, MUTED, &line.detail);
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

/// `words` in lines at most `room` wide, and the size they are at: as large as 26 px
/// while they take at most three lines, else smaller, down to 20 px; what does not fit in
/// five lines at that size is cut, and the cut said with "…".
fn wrap(words: &str, room: f64) -> (f64, Vec<String>) {
    let mut size = 26.0;
    loop {
        let lines = lines_of(words, size, room);
        if lines.len() <= 3 || size <= 20.0 {
            let mut lines = lines;
            if lines.len() > 5 {
                lines.truncate(5);
                if let Some(last) = lines.last_mut() {
                    last.push_str(" …");
                }
            }
            return (size, lines);
        }
        size -= 2.0;
    }
}

/// `words` broken between words into lines at most `room` wide at `size` (a word wider
/// than that has a line of its own).
fn lines_of(words: &str, size: f64, room: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words.split_whitespace() {
        let longer = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if estimate(&longer, size, false) > room && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = longer;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `words` cut between two words into two lines as even as can be, when it has two words.
fn halves(words: &str) -> Option<(&str, &str)> {
    let wide = |part: &str| estimate(part, 1.0, true);
    words
        .match_indices(' ')
        .map(|(at, _)| (words[..at].trim_end(), words[at..].trim_start()))
        .filter(|(first, second)| !first.is_empty() && !second.is_empty())
        .min_by(|a, b| wide(a.0).max(wide(a.1)).total_cmp(&wide(b.0).max(wide(b.1))))
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
            notice: None,
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
