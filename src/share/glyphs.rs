//! The cards' lines of text, drawn from their letters: each line is shaped with the
//! built-in font as resvg shapes it (harfrust), and each letter (a glyph at a size, a
//! weight and a quarter of a pixel's offset) is filled once a build (tiny-skia, from the
//! font's outline, read with skrifa) and then laid wherever it recurs. A national build's
//! some 3,300 pictures have a few hundred different letters: drawing them for every
//! picture was most of a picture's drawing.
//!
//! A letter is placed to the nearest quarter of a pixel, so a line differs from resvg's
//! drawing of it by at most an eighth of a pixel in where its letters are, and where two
//! letters share a pixel (a mark over its letter) each is laid over the other rather than
//! both filled as one shape: no one sees either, and the picture is the same whatever
//! order pictures are drawn in.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use harfrust::{ShapeOptions, ShaperData, UnicodeBuffer};
use resvg::tiny_skia::{FillRule, Mask, PathBuilder, Pixmap, Transform};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::raw::TableProvider as _;

/// A line of text as a card's SVG writes it (see `charts::svg::Svg::line`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    /// Where its baseline starts, is centred or ends (see `anchor`).
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    /// Its colour, opaque.
    pub rgb: [u8; 3],
    pub anchor: Anchor,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

impl Line {
    /// The line of a `<text>` element as `Svg::line` writes it, or `None` for any other
    /// element (which is then drawn by resvg).
    pub fn parse(element: &str) -> Option<Line> {
        let rest = element.strip_prefix("<text")?;
        let (attributes, rest) = rest.split_once('>')?;
        let text = unescape(rest.strip_suffix("</text>")?)?;
        let mut line = Line { x: 0.0, y: 0.0, size: 16.0, bold: false, rgb: [0; 3], anchor: Anchor::Start, text };
        let mut attributes = attributes.trim();
        while !attributes.is_empty() {
            let (name, after) = attributes.split_once("=\"")?;
            let (value, after) = after.split_once('"')?;
            match name.trim() {
                "class" => {}
                "x" => line.x = value.parse().ok()?,
                "y" => line.y = value.parse().ok()?,
                "font-size" => line.size = value.parse().ok()?,
                "font-weight" => line.bold = value == "700",
                "fill" => line.rgb = rgb(value)?,
                "text-anchor" => {
                    line.anchor = match value {
                        "middle" => Anchor::Middle,
                        "end" => Anchor::End,
                        _ => return None,
                    }
                }
                _ => return None,
            }
            attributes = after.trim_start();
        }
        // A card's lines are on its picture: what is far from it is not drawn from letters.
        let near = |at: f32| at.abs() < 10_000.0;
        (line.size > 0.0 && line.size < 1000.0 && near(line.x) && near(line.y)).then_some(line)
    }
}

/// `#rrggbb` as its three bytes.
fn rgb(hex: &str) -> Option<[u8; 3]> {
    let hex = hex.strip_prefix('#').filter(|h| h.len() == 6 && h.is_ascii())?;
    let byte = |k: usize| u8::from_str_radix(&hex[k..k + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Text escaped by `text::push_escaped_html`, as it was; `None` for any other entity.
fn unescape(escaped: &str) -> Option<String> {
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let (entity, after) = rest[at..].split_once(';')?;
        out.push(match entity {
            "&amp" => '&',
            "&lt" => '<',
            "&gt" => '>',
            "&quot" => '"',
            "&#39" => '\'',
            _ => return None,
        });
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

/// One of the built-in font's two faces, ready to shape and outline.
struct Face {
    font: harfrust::FontRef<'static>,
    shaping: ShaperData,
    units_per_em: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        let font = harfrust::FontRef::new(data).ok()?;
        let units_per_em = f32::from(font.head().ok()?.units_per_em()).max(1.0);
        Some(Face { shaping: ShaperData::new(&font), font, units_per_em })
    }
}

/// A letter filled alone: its coverage, and where its top left corner is from the pixel
/// its origin is in.
struct Glyph {
    dx: i32,
    dy: i32,
    mask: Mask,
}

/// A letter: which face, which glyph, at which size (its bits), offset by how many
/// quarters of a pixel right and down from a whole pixel.
type Key = (bool, u32, u32, u8, u8);

/// The most letters kept (a few KB each): a national site has a few thousand; names
/// shrunk to fit are drawn at sizes of their own, and are drawn again rather than kept
/// past this.
const MAX_KEPT: usize = 16_384;

/// Draws lines of text with the built-in font, each letter filled once.
pub(super) struct Glyphs {
    regular: Face,
    bold: Face,
    kept: Mutex<HashMap<Key, Option<Arc<Glyph>>>>,
}

impl Glyphs {
    pub fn new(regular: &'static [u8], bold: &'static [u8]) -> Option<Glyphs> {
        Some(Glyphs { regular: Face::new(regular)?, bold: Face::new(bold)?, kept: Mutex::new(HashMap::new()) })
    }

    /// Draws `line` over `pixmap` (premultiplied, "source over").
    #[cfg(test)]
    pub fn draw(&self, pixmap: &mut Pixmap, line: &Line) {
        for placed in self.place(line) {
            placed.lay(pixmap, 0, 0, line.rgb);
        }
    }

    /// The letters of `line`, shaped, filled and placed.
    pub fn place(&self, line: &Line) -> Vec<Placed> {
        let face = if line.bold { &self.bold } else { &self.regular };
        let shaper = face.shaping.shaper(&face.font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(&line.text);
        buffer.guess_segment_properties();
        let shaped = shaper.shape(buffer, ShapeOptions::new());
        let scale = line.size / face.units_per_em;
        let width: f32 = shaped.glyph_positions().iter().map(|p| p.x_advance as f32).sum::<f32>() * scale;
        let mut pen = match line.anchor {
            Anchor::Start => line.x,
            Anchor::Middle => line.x - width / 2.0,
            Anchor::End => line.x - width,
        };
        let mut placed = Vec::with_capacity(shaped.len());
        for (info, position) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            let (x, y) = (pen + position.x_offset as f32 * scale, line.y - position.y_offset as f32 * scale);
            pen += position.x_advance as f32 * scale;
            let (x, qx) = quarters(x);
            let (y, qy) = quarters(y);
            let key = (line.bold, info.glyph_id, line.size.to_bits(), qx, qy);
            if let Some(glyph) = self.glyph(face, key, scale) {
                placed.push(Placed { x: x + glyph.dx, y: y + glyph.dy, glyph });
            }
        }
        placed
    }

    /// The letter of `key`, filled now or before; `None` when it has no outline (a space).
    fn glyph(&self, face: &Face, key: Key, scale: f32) -> Option<Arc<Glyph>> {
        if let Some(kept) = self.kept.lock().ok().and_then(|kept| kept.get(&key).cloned()) {
            return kept;
        }
        let glyph = fill(face, key, scale).map(Arc::new);
        if let Ok(mut kept) = self.kept.lock()
            && kept.len() < MAX_KEPT
        {
            kept.insert(key, glyph.clone());
        }
        glyph
    }
}

/// `at` as a whole pixel and the quarters of a pixel past it, to the nearest quarter.
fn quarters(at: f32) -> (i32, u8) {
    let quarters = (at * 4.0).round() as i64;
    ((quarters.div_euclid(4)) as i32, quarters.rem_euclid(4) as u8)
}

/// The glyph of `key` filled from its outline, as resvg fills text: non-zero, smoothed.
fn fill(face: &Face, (_, id, _, qx, qy): Key, scale: f32) -> Option<Glyph> {
    let outline = face.font.outline_glyphs().get(id.into())?;
    let mut pen = Pen(PathBuilder::new());
    outline.draw(DrawSettings::unhinted(Size::unscaled(), LocationRef::default()), &mut pen).ok()?;
    let path = pen.0.finish()?;
    let place = Transform::from_row(scale, 0.0, 0.0, -scale, f32::from(qx) / 4.0, f32::from(qy) / 4.0);
    let bounds = path.clone().transform(place)?.bounds();
    let (left, top) = (bounds.left().floor(), bounds.top().floor());
    let (width, height) = ((bounds.right().ceil() - left) as u32 + 1, (bounds.bottom().ceil() - top) as u32 + 1);
    let mut mask = Mask::new(width, height)?;
    mask.fill_path(&path, FillRule::Winding, true, place.post_translate(-left, -top));
    Some(Glyph { dx: left as i32, dy: top as i32, mask })
}

/// A letter placed: its top left corner's pixel.
pub(super) struct Placed {
    x: i32,
    y: i32,
    glyph: Arc<Glyph>,
}

impl Placed {
    /// The rows it covers.
    pub fn rows(&self) -> std::ops::Range<i32> {
        self.y..self.y + self.glyph.mask.height() as i32
    }

    /// Lays the letter in `rgb` over `pixmap`, whose top left corner is (`left`, `top`).
    pub fn lay(&self, pixmap: &mut Pixmap, left: i32, top: i32, rgb: [u8; 3]) {
        lay(pixmap, &self.glyph, self.x - left, self.y - top, rgb);
    }
}

/// Lays `glyph`'s coverage in `rgb` over `pixmap` with its top left corner at (`x`, `y`),
/// each pixel "source over" the one under it, rounded exactly; what falls outside the
/// picture is left out.
fn lay(pixmap: &mut Pixmap, glyph: &Glyph, x: i32, y: i32, rgb: [u8; 3]) {
    let (width, height) = (pixmap.width() as i32, pixmap.height() as i32);
    let w = glyph.mask.width() as i32;
    // The letter's columns that are inside the picture.
    let (from, to) = ((-x).max(0), (width - x).min(w));
    if from >= to {
        return;
    }
    let opaque = [rgb[0], rgb[1], rgb[2], 255];
    let data = pixmap.data_mut();
    for (row, coverage) in glyph.mask.data().chunks_exact(w as usize).enumerate() {
        let py = y + row as i32;
        if !(0..height).contains(&py) {
            continue;
        }
        let start = ((py * width + x + from) * 4) as usize;
        let under = &mut data[start..start + (to - from) as usize * 4];
        for (pixel, &a) in under.chunks_exact_mut(4).zip(&coverage[from as usize..to as usize]) {
            match a {
                0 => {}
                255 => pixel.copy_from_slice(&opaque),
                _ => {
                    let (a, keep) = (u32::from(a), 255 - u32::from(a));
                    for (c, &over) in pixel.iter_mut().zip(&opaque) {
                        // What the letter gives, plus what it leaves of the pixel under it.
                        let t = u32::from(over) * a + u32::from(*c) * keep + 128;
                        *c = ((t + (t >> 8)) >> 8) as u8;
                    }
                }
            }
        }
    }
}

/// Builds a tiny-skia path from a glyph's outline.
struct Pen(PathBuilder);

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }

    fn close(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg::{self, Colour, Svg};

    #[test]
    fn a_line_is_read_back_as_the_cards_writer_wrote_it() {
        let mut svg = Svg::picture(100, 100, "Be Vietnam Pro");
        svg.line(None, (600.0, 92.5), svg::Anchor::Middle, 44.3, true, Colour("#1a1a1a"), "Xã \"Ô\" <Môn> & 'Tân'");
        svg.line(Some("x"), (900.0, 10.0), svg::Anchor::End, 24.0, false, Colour("#555555"), "1.215 / 1.509");
        svg.line(None, (300.0, -3.0), svg::Anchor::Start, 28.0, false, Colour("#ffffff"), "BHYT");
        let svg = svg.finish();
        let lines: Vec<Line> = svg.lines().filter_map(Line::parse).collect();
        assert_eq!(lines.len(), 3, "{svg}");
        assert_eq!(
            lines[0],
            Line {
                x: 600.0,
                y: 92.5,
                size: 44.3,
                bold: true,
                rgb: [0x1a, 0x1a, 0x1a],
                anchor: Anchor::Middle,
                text: "Xã \"Ô\" <Môn> & 'Tân'".into(),
            }
        );
        assert_eq!((lines[1].anchor, lines[1].bold, lines[1].rgb), (Anchor::End, false, [0x55; 3]));
        assert_eq!((lines[2].anchor, lines[2].y, lines[2].text.as_str()), (Anchor::Start, -3.0, "BHYT"));
        // Anything else is left to resvg.
        for other in [
            "<text x=\"1\" y=\"2\" font-size=\"3\" transform=\"rotate(9)\">a</text>",
            "<text x=\"1\" y=\"2\" font-size=\"3\">&nbsp;</text>",
            "<text x=\"1\" y=\"2\" font-size=\"3\" fill=\"red\">a</text>",
            "<text x=\"1\" y=\"2\" font-size=\"0\">a</text>",
            "<text x=\"1e30\" y=\"2\" font-size=\"3\">a</text>",
            "<rect x=\"1\"/>",
        ] {
            assert_eq!(Line::parse(other), None, "{other}");
        }
    }

    #[test]
    fn a_letter_is_placed_to_the_nearest_quarter_of_a_pixel() {
        assert_eq!(quarters(300.0), (300, 0));
        assert_eq!(quarters(300.3), (300, 1));
        assert_eq!(quarters(300.9), (301, 0));
        assert_eq!(quarters(-0.3), (-1, 3));
    }

    #[test]
    fn a_letter_is_filled_once_and_a_line_is_its_letters() {
        let glyphs = Glyphs::new(super::super::paint::REGULAR, super::super::paint::BOLD).unwrap();
        let line = |x: f32, text: &str| Line {
            x,
            y: 100.0,
            size: 54.0,
            bold: true,
            rgb: [0, 0, 0],
            anchor: Anchor::Start,
            text: text.into(),
        };
        let mut once = Pixmap::new(400, 200).unwrap();
        glyphs.draw(&mut once, &line(10.0, "8 8"));
        // The two 8s (each at its quarter of a pixel) and the space, which has no outline.
        let kept = glyphs.kept.lock().unwrap().len();
        assert!((2..=3).contains(&kept), "{kept}");
        glyphs.draw(&mut Pixmap::new(400, 200).unwrap(), &line(10.0, "8 8"));
        assert_eq!(glyphs.kept.lock().unwrap().len(), kept, "filled once");
        let mut twice = Pixmap::new(400, 200).unwrap();
        glyphs.draw(&mut twice, &line(10.0, "8"));
        glyphs.draw(&mut twice, &line(10.0 + advance(&glyphs, "8 "), "8"));
        assert!(once.data() == twice.data(), "a line is its letters, each laid where it is");
        assert!(once.data().contains(&255), "and it is drawn");
    }

    /// How far `text` moves the pen at 54 px in the bold face.
    fn advance(glyphs: &Glyphs, text: &str) -> f32 {
        let shaper = glyphs.bold.shaping.shaper(&glyphs.bold.font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = shaper.shape(buffer, ShapeOptions::new());
        shaped.glyph_positions().iter().map(|p| p.x_advance as f32).sum::<f32>() * 54.0 / glyphs.bold.units_per_em
    }
}
