//! Share images: the 1200×630 picture a link shows when it is shared on Zalo or
//! Facebook (`og:image`), one per page that has a place to be shared.
//!
//! A [`Card`] says what the picture shows in plain values (the place's name, each
//! indicator's progress, status and bar, the date of the figures, the site's name);
//! [`Card::svg`] lays it out, and [`Painter`] turns that SVG into a PNG with resvg and
//! the Be Vietnam Pro font built into the program (SIL Open Font License, see
//! `fonts/OFL.txt`), never a font of the machine: the same card gives the same bytes
//! everywhere. Rendering costs milliseconds a picture, so pictures are kept between
//! builds in the site's `.tiendo-cache/share/`, named by a hash of their SVG (see
//! [`Cache`]): a build renders only the pictures whose content changed.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::collections::HashMap;
use std::sync::Mutex;

use resvg::tiny_skia::{IntRect, Pixmap, Transform};

use crate::text::escape_html;

/// The width and height of every share image, as platforms want them.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// Part of every picture's cache name: changing how pictures are drawn or encoded
/// changes it, so no picture of an older drawing is reused.
const DRAWING: &str = "share-card 5";

const REGULAR: &[u8] = include_bytes!("fonts/BeVietnamPro-Regular.ttf");
const BOLD: &[u8] = include_bytes!("fonts/BeVietnamPro-Bold.ttf");
const FONT: &str = "Be Vietnam Pro";

const INK: &str = "#1a1a1a";
const MUTED: &str = "#555555";
const TRACK: &str = "#e3e3e3";
const ACCENT: &str = "#1f4e9c";
const PAPER: &str = "#ffffff";

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
        let mut svg = String::with_capacity(4096);
        open_svg(&mut svg);
        let _ = write!(svg, r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="{PAPER}"/>"#);
        let _ = write!(svg, r#"<rect width="{WIDTH}" height="16" fill="{ACCENT}"/>"#);
        text(&mut svg, LEFT, 96.0, fit(&self.title, 66.0, WIDE), INK, true, "start", &self.title);
        common_text(&mut svg, LEFT, 146.0, fit(&self.as_of, 36.0, WIDE), MUTED, false, "start", &self.as_of);
        // The foot: the site's name under a rule.
        let _ = write!(svg, r#"<rect x="{LEFT}" y="{}" width="{WIDE}" height="2" fill="{TRACK}"/>"#, HEIGHT - 78);
        common_text(
            &mut svg,
            LEFT,
            HEIGHT as f64 - 30.0,
            fit(&self.site, 32.0, WIDE),
            MUTED,
            false,
            "start",
            &self.site,
        );
        let shown = &self.lines[..self.lines.len().min(MAX_LINES)];
        let (top, bottom) = (176.0, HEIGHT as f64 - 96.0);
        let height = ((bottom - top) / shown.len().max(1) as f64).min(180.0);
        // A block needs 160 px with the numbers under its bar, 124 without: with three
        // indicators those are left out (they are on the page), so that the rest stays
        // large enough to read on a phone's preview.
        let details = height >= 140.0;
        let s = (height / if details { 160.0 } else { 124.0 }).min(1.0);
        for (k, line) in shown.iter().enumerate() {
            let y = top + k as f64 * height;
            let label = 40.0 * s;
            let first = y + label;
            // The status on the right, as a word in a coloured box: never colour alone.
            let mut room = WIDE;
            if let Some((word, colour)) = &line.status {
                let w = estimate(word, label, true) + 32.0 * s;
                let _ = write!(
                    svg,
                    r#"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" rx="{:.1}" fill="{colour}"/>"#,
                    RIGHT - w,
                    first - label * 0.98,
                    label * 1.32,
                    8.0 * s
                );
                common_text(&mut svg, RIGHT - 16.0 * s, first, label, PAPER, true, "end", word);
                room -= w + 24.0;
            }
            common_text(&mut svg, LEFT, first, fit(&line.label, label, room), INK, false, "start", &line.label);
            let big = 60.0 * s;
            let second = first + 14.0 * s + big;
            text(&mut svg, LEFT, second, big, INK, true, "start", &line.big);
            let x = (LEFT + estimate(&line.big, big, true) + 32.0 * s).max(LEFT + 380.0 * s);
            let detail = 30.0 * s;
            match line.fill {
                Some(fill) => {
                    // The track is the target, marked at its end; the bar, what was reached.
                    let (w, h) = (RIGHT - x, 28.0 * s);
                    let bar = second - big * 0.36 - h / 2.0;
                    let colour = line.status.as_ref().map_or(ACCENT, |st| st.1);
                    let r = h / 2.0;
                    let _ = write!(
                        svg,
                        r#"<rect x="{x:.1}" y="{bar:.1}" width="{w:.1}" height="{h:.1}" rx="{r:.1}" fill="{TRACK}"/>"#
                    );
                    let filled = (w * fill.clamp(0.0, 1.0)).max(h);
                    let _ = write!(
                        svg,
                        r#"<rect x="{x:.1}" y="{bar:.1}" width="{filled:.1}" height="{h:.1}" rx="{r:.1}" fill="{colour}"/>"#
                    );
                    let _ = write!(
                        svg,
                        r#"<rect x="{:.1}" y="{:.1}" width="6" height="{:.1}" fill="{INK}"/>"#,
                        RIGHT - 6.0,
                        bar - 9.0 * s,
                        h + 18.0 * s
                    );
                    if details {
                        let under = bar + h + 14.0 * s + detail;
                        text(&mut svg, RIGHT, under, fit(&line.detail, detail, w), MUTED, false, "end", &line.detail);
                    }
                }
                None => {
                    text(
                        &mut svg,
                        x,
                        second,
                        fit(&line.detail, detail, RIGHT - x),
                        MUTED,
                        false,
                        "start",
                        &line.detail,
                    );
                }
            }
        }
        svg.push_str("</svg>");
        svg
    }
}

/// The picture's `<svg>` element, opened.
fn open_svg(svg: &mut String) {
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}">"#
    );
}

/// Writes one line of text at (`x`, `y`), its baseline.
#[allow(clippy::too_many_arguments)]
fn text(svg: &mut String, x: f64, y: f64, size: f64, fill: &str, bold: bool, anchor: &str, words: &str) {
    write_text(svg, "", x, y, size, fill, bold, anchor, words);
}

/// [`text`] that many pictures of a site have at the same place (an indicator's name, a
/// status, the date, the site's name): the [`Painter`] draws it once for them all.
#[allow(clippy::too_many_arguments)]
fn common_text(svg: &mut String, x: f64, y: f64, size: f64, fill: &str, bold: bool, anchor: &str, words: &str) {
    write_text(svg, COMMON, x, y, size, fill, bold, anchor, words);
}

/// What a [`common_text`]'s element starts with.
const COMMON: &str = r#" class="common""#;

#[allow(clippy::too_many_arguments)]
fn write_text(
    svg: &mut String,
    class: &str,
    x: f64,
    y: f64,
    size: f64,
    fill: &str,
    bold: bool,
    anchor: &str,
    words: &str,
) {
    if words.is_empty() {
        return;
    }
    let weight = if bold { "700" } else { "400" };
    // Characters XML does not allow (control characters from a name) would make the
    // picture undrawable: they are left out.
    let allowed: String = words.chars().filter(|&c| !c.is_control() && !matches!(c, '\u{fffe}' | '\u{ffff}')).collect();
    let _ = write!(
        svg,
        r#"<text{class} x="{x:.1}" y="{y:.1}" font-size="{size:.1}" font-weight="{weight}" fill="{fill}" text-anchor="{anchor}">{}</text>"#,
        escape_html(&allowed)
    );
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

/// Turns cards into PNG pictures with the built-in font.
///
/// Letters are most of the work of drawing a picture, and many of them are the same on
/// every picture of a site: the indicators' names, the statuses, the date, the site's
/// name ([`common_text`]). Each of those is drawn once, alone on a picture of the same
/// size, and laid over every picture that has it; the rest is drawn for each picture.
/// The result differs from drawing all at once by at most a unit of rounding at the
/// edges of those letters, and is the same whatever the order pictures are drawn in.
pub struct Painter {
    fonts: Arc<resvg::usvg::fontdb::Database>,
    /// Each common text drawn so far, by its SVG element.
    common: Mutex<HashMap<String, Arc<Layer>>>,
}

/// A text drawn alone: its pixels, cut to where it has any, and where they go.
struct Layer {
    x: i32,
    y: i32,
    pixels: Option<Pixmap>,
}

/// The most common texts a painter keeps: a site has a few dozen (about 40 KB each).
const MAX_COMMON: usize = 256;

impl Default for Painter {
    fn default() -> Self {
        Painter::new()
    }
}

impl Painter {
    pub fn new() -> Painter {
        let mut fonts = resvg::usvg::fontdb::Database::new();
        fonts.load_font_data(REGULAR.to_vec());
        fonts.load_font_data(BOLD.to_vec());
        Painter { fonts: Arc::new(fonts), common: Mutex::new(HashMap::new()) }
    }

    /// The PNG of `svg` (a card's), or why it cannot be drawn (never for a card's own SVG).
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, String> {
        encode(&self.picture(svg)?)
    }

    /// The pixels of `svg`: what is not common drawn, the common texts laid over it.
    fn picture(&self, svg: &str) -> Result<Pixmap, String> {
        let (rest, common) = split_common(svg);
        let mut pixmap = self.draw(&rest)?;
        for element in common {
            let layer = self.layer(element)?;
            if let Some(pixels) = &layer.pixels {
                lay_over(&mut pixmap, pixels, layer.x, layer.y);
            }
        }
        Ok(pixmap)
    }

    /// `svg` drawn on a picture of its own.
    fn draw(&self, svg: &str) -> Result<Pixmap, String> {
        let options =
            resvg::usvg::Options { fontdb: self.fonts.clone(), font_family: FONT.to_owned(), ..Default::default() };
        let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or("no room for the picture")?;
        resvg::render(&tree, Transform::default(), &mut pixmap.as_mut());
        Ok(pixmap)
    }

    /// The common text `element` drawn alone, from those drawn before when it was.
    fn layer(&self, element: &str) -> Result<Arc<Layer>, String> {
        if let Some(layer) = self.common.lock().ok().and_then(|common| common.get(element).cloned()) {
            return Ok(layer);
        }
        let mut svg = String::with_capacity(element.len() + 200);
        open_svg(&mut svg);
        svg.push_str(element);
        svg.push_str("</svg>");
        let layer = Arc::new(cut(&self.draw(&svg)?));
        if let Ok(mut common) = self.common.lock()
            && common.len() < MAX_COMMON
        {
            common.insert(element.to_owned(), layer.clone());
        }
        Ok(layer)
    }
}

/// The SVG without its common texts, and those texts' elements, in order.
fn split_common(svg: &str) -> (String, Vec<&str>) {
    let open = format!("<text{COMMON}");
    let (mut rest, mut common) = (String::with_capacity(svg.len()), Vec::new());
    let mut from = 0;
    while let Some(start) = svg[from..].find(&open).map(|i| from + i) {
        // The text is escaped: its element ends at the first `</text>`.
        let Some(end) = svg[start..].find("</text>").map(|i| start + i + "</text>".len()) else { break };
        rest.push_str(&svg[from..start]);
        common.push(&svg[start..end]);
        from = end;
    }
    rest.push_str(&svg[from..]);
    (rest, common)
}

/// Lays `top` over `pixmap` with its top left corner at (`x`, `y`) (inside it): each
/// premultiplied pixel over the one under it ("source over").
fn lay_over(pixmap: &mut Pixmap, top: &Pixmap, x: i32, y: i32) {
    let (width, w) = (pixmap.width() as usize, top.width() as usize);
    let (x, y) = (x.max(0) as usize, y.max(0) as usize);
    let under = pixmap.data_mut();
    for (row, line) in top.data().chunks_exact(w * 4).enumerate() {
        let start = ((y + row) * width + x) * 4;
        let Some(dst) = under.get_mut(start..start + line.len()) else { break };
        for (d, s) in dst.chunks_exact_mut(4).zip(line.chunks_exact(4)) {
            let keep = 255 - u32::from(s[3]);
            if keep == 255 {
                continue;
            }
            for c in 0..4 {
                // The pixel under, times what the one over it leaves (keep / 255), rounded.
                let t = u32::from(d[c]) * keep + 128;
                d[c] = s[c].saturating_add(((t + (t >> 8)) >> 8) as u8);
            }
        }
    }
}

/// The part of `pixmap` that has any pixel drawn, and where it is.
fn cut(pixmap: &Pixmap) -> Layer {
    let (width, height) = (pixmap.width() as usize, pixmap.height() as usize);
    let drawn = |x: usize, y: usize| pixmap.data()[(y * width + x) * 4 + 3] != 0;
    let rows: Vec<usize> = (0..height).filter(|&y| (0..width).any(|x| drawn(x, y))).collect();
    let (Some(&top), Some(&bottom)) = (rows.first(), rows.last()) else {
        return Layer { x: 0, y: 0, pixels: None };
    };
    let columns = || (0..width).filter(|&x| (top..=bottom).any(|y| drawn(x, y)));
    let (left, right) = (columns().next().unwrap_or(0), columns().next_back().unwrap_or(0));
    let rect = IntRect::from_xywh(left as i32, top as i32, (right - left + 1) as u32, (bottom - top + 1) as u32);
    Layer { x: left as i32, y: top as i32, pixels: rect.and_then(|r| pixmap.clone_rect(r)) }
}

/// The pixels as a PNG of at most 256 colours. A card is flat colours and the edges of
/// its letters: some 270 colours in all, of which the 256 most used are kept and each
/// other pixel takes the nearest of them, a difference no one sees at the edge of a
/// letter. A quarter of the bytes of full colour, and quicker to compress.
fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, String> {
    // The picture as runs of one colour (most pixels are the colour of the one before),
    // each colour as 0xRRGGBB: the card's background is opaque, so premultiplied pixels
    // are the colours themselves.
    let mut runs: Vec<(u32, usize)> = Vec::with_capacity(1 << 16);
    let colour = |p: [u8; 4]| u32::from_be_bytes([0, p[0], p[1], p[2]]);
    let (mut last, mut n) = ([0u8; 4], 0);
    // Pixels compared as they are, and made colours once a run.
    for p in pixmap.data().chunks_exact(4) {
        if p == last {
            n += 1;
            continue;
        }
        if n > 0 {
            runs.push((colour(last), n));
        }
        last.copy_from_slice(p);
        n = 1;
    }
    if n > 0 {
        runs.push((colour(last), n));
    }
    let mut counts: HashMap<u32, usize, Colours> = HashMap::default();
    for &(colour, n) in &runs {
        *counts.entry(colour).or_default() += n;
    }
    let mut colours: Vec<(u32, usize)> = counts.into_iter().collect();
    colours.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    colours.truncate(256);
    let palette: Vec<u32> = colours.iter().map(|c| c.0).collect();
    let mut index: HashMap<u32, u8, Colours> = palette.iter().enumerate().map(|(i, &c)| (c, i as u8)).collect();
    let nearest = |c: u32| {
        let rgb = |c: u32| [(c >> 16) as i32 & 255, (c >> 8) as i32 & 255, c as i32 & 255];
        let want = rgb(c);
        let distance = |q: u32| rgb(q).iter().zip(want).map(|(a, b)| (a - b) * (a - b)).sum::<i32>();
        (0..palette.len()).min_by_key(|&i| (distance(palette[i]), i)).unwrap_or(0) as u8
    };
    let mut indexed = Vec::with_capacity(pixmap.data().len() / 4);
    for &(colour, n) in &runs {
        let i = *index.entry(colour).or_insert_with(|| nearest(colour));
        indexed.resize(indexed.len() + n, i);
    }
    let mut out = Vec::with_capacity(48 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette.iter().flat_map(|c| [(c >> 16) as u8, (c >> 8) as u8, *c as u8]).collect::<Vec<u8>>());
    // Level 2 of 9: a fifth quicker to draw than the default level, for 36 KB a picture
    // instead of 30.
    encoder.set_deflate_compression(png::DeflateCompression::Level(2));
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&indexed).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// Hashes a colour (0xRRGGBB) for the few hundred of a picture: one multiplication,
/// rather than SipHash for each of its some 100,000 runs.
#[derive(Default, Clone, Copy)]
struct Colours;

impl std::hash::BuildHasher for Colours {
    type Hasher = ColourHasher;
    fn build_hasher(&self) -> ColourHasher {
        ColourHasher(0)
    }
}

struct ColourHasher(u64);

impl std::hash::Hasher for ColourHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        // The high bits are the well mixed ones; the table takes the low ones.
        self.0 ^ (self.0 >> 32)
    }
}

/// The name a card's picture is kept under: a hash of its SVG and of how it is drawn.
pub fn key(svg: &str) -> String {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: the same name in every run, for the same drawing.
    let mut h = std::hash::DefaultHasher::new();
    DRAWING.hash(&mut h);
    svg.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The site's kept pictures: `.tiendo-cache/share/<key>.png`, each written once, by a
/// rename, and never changed. Like the rest of the cache it is never reached through a
/// link; a picture that is not a regular file is not used.
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache of the site at `root`; `None` when `.tiendo-cache` or its `share` folder
    /// is anything but a folder (a link, a file) or cannot be made.
    pub fn open(root: &Path) -> Option<Cache> {
        crate::output::cache_folder(root, "share").map(|dir| Cache { dir })
    }

    /// Where the picture of `key` is, if it is kept.
    pub fn get(&self, key: &str) -> Option<PathBuf> {
        let path = self.path(key);
        fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()).then_some(path)
    }

    /// Keeps `png` as the picture of `key`, read-only like the rest of the cache; where it
    /// now is.
    pub fn put(&self, key: &str, png: &[u8]) -> io::Result<PathBuf> {
        let path = self.path(key);
        let temp = self.dir.join(format!(".{key}.{}.tmp", crate::output::build_id()));
        fs::write(&temp, png)?;
        crate::output::read_only(&temp)?;
        fs::rename(&temp, &path)?;
        Ok(path)
    }

    /// Draws `svg` (a card's, of key `key`) and keeps it; its PNG, and where it is kept
    /// (`None` when it could not be written there).
    pub fn draw(&self, painter: &Painter, svg: &str, key: &str) -> Result<(Vec<u8>, Option<PathBuf>), String> {
        let png = painter.png(svg)?;
        let kept = self.put(key, &png).ok();
        Ok((png, kept))
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.png"))
    }

    /// Removes the kept pictures not among `used`, and what builds that ended left half
    /// written, so that the cache holds one site's pictures, not every month's.
    pub fn keep_only(&self, used: &std::collections::HashSet<String>) {
        let Ok(entries) = fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let stale = match name.strip_suffix(".png") {
                Some(key) => is_key(key) && !used.contains(key),
                None => name
                    .strip_prefix('.')
                    .and_then(|n| n.strip_suffix(".tmp"))
                    .and_then(|n| n.split_once('.'))
                    .is_some_and(|(key, id)| is_key(key) && crate::output::ended(id)),
            };
            if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Whether `name` is a picture's key: sixteen lowercase hexadecimal digits.
fn is_key(name: &str) -> bool {
    name.len() == 16 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_texts_are_drawn_once_and_laid_over_as_if_drawn_with_the_rest() {
        let svg = card().svg();
        let (rest, common) = split_common(&svg);
        assert_eq!(common.len(), 5, "the date, the site's name, two indicators' names, a status: {common:?}");
        assert!(common.iter().all(|e| e.starts_with("<text class=\"common\"") && e.ends_with("</text>")));
        assert!(!rest.contains("common") && rest.contains("Phường Long Mỹ") && rest.contains("80,52 %"));

        let painter = Painter::new();
        let layered = painter.picture(&svg).unwrap();
        let at_once = painter.draw(&svg.replace(COMMON, "")).unwrap();
        let without = painter.draw(&rest).unwrap();
        let differ = |a: &Pixmap, b: &Pixmap| a.data().iter().zip(b.data()).map(|(x, y)| x.abs_diff(*y)).max();
        assert!(differ(&without, &at_once) > Some(100), "the common texts are drawn");
        assert!(differ(&layered, &at_once) <= Some(1), "at most a unit of rounding apart");
        assert_eq!(painter.common.lock().unwrap().len(), 5);

        // The same bytes whichever picture a painter draws first.
        let other = Card { title: "Xã Ô Môn".into(), ..card() };
        let (first, second) = (Painter::new(), Painter::new());
        let a = (first.png(&svg).unwrap(), first.png(&other.svg()).unwrap());
        let b = (second.png(&other.svg()).unwrap(), second.png(&svg).unwrap());
        assert!(a.0 == b.1 && a.1 == b.0);
    }

    fn card() -> Card {
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
    fn a_card_is_a_1200_by_630_png_the_same_every_time() {
        let painter = Painter::new();
        let svg = card().svg();
        assert!(svg.contains("Phường Long Mỹ &lt;&amp;&gt;"), "names are escaped");
        let png = painter.png(&svg).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, after the chunk's length and name.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), HEIGHT);
        assert_eq!(Painter::new().png(&svg).unwrap(), png, "the same bytes from another painter");
        assert_eq!(key(&svg), key(&card().svg()));
        let mut other = card();
        other.lines[0].big = "80,53 %".into();
        assert_ne!(key(&svg), key(&other.svg()));
    }

    #[test]
    fn a_name_with_control_characters_is_still_drawn() {
        let mut c = card();
        c.title = "Phường\u{1b}[2J Long\u{7} Mỹ\u{0}".into();
        assert!(Painter::new().png(&c.svg()).is_ok());
    }

    #[test]
    fn text_is_drawn_with_the_built_in_font() {
        // A card whose text is drawn has far more colours than one with no text.
        let painter = Painter::new();
        let mut blank = card();
        blank.lines.clear();
        blank.site.clear();
        blank.title.clear();
        blank.as_of.clear();
        let with_text = painter.png(&card().svg()).unwrap();
        let without = painter.png(&blank.svg()).unwrap();
        assert!(with_text.len() > 2 * without.len(), "{} against {}", with_text.len(), without.len());
    }
}
