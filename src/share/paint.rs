//! Drawing a card's SVG into pixels with resvg and the Be Vietnam Pro font built into the
//! program (SIL Open Font License, see `fonts/OFL.txt`), never a font of the machine:
//! the same card gives the same pixels everywhere.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use resvg::tiny_skia::{IntRect, Pixmap, Transform};

use super::card::{FONT, FRAME, HEIGHT, MIDDLE, WIDTH, canvas};
use super::glyphs::{Glyphs, Line};
use super::png::{Run, runs};

pub(super) const REGULAR: &[u8] = include_bytes!("fonts/BeVietnamPro-Regular.ttf");
pub(super) const BOLD: &[u8] = include_bytes!("fonts/BeVietnamPro-Bold.ttf");

/// Turns cards into PNG pictures with the built-in font.
///
/// Much of a picture is the same on every picture of a site: its frame (the background,
/// the site's name, the notice's band: the card's [`FRAME`]) is drawn once, and the
/// sides of a picture are the frame's alone: what is a card's own is drawn on a copy of
/// the frame's middle (see [`MIDDLE`]), half the pixels of the picture, and the encoder
/// takes the sides from the frame as it found them once. Letters are most of the rest,
/// and a site's pictures have a few hundred different ones: the lines of text are drawn
/// from letters filled once (see [`super::glyphs`]), the rest (the bars, the statuses'
/// boxes) by resvg. The result is the same whatever the order pictures are drawn in.
pub struct Painter {
    fonts: Arc<resvg::usvg::fontdb::Database>,
    /// The letters; `None` only if the built-in font could not be read, and then resvg
    /// draws the lines too.
    glyphs: Option<Glyphs>,
    /// Each frame drawn so far (see [`FRAME`]), by its SVG: a site has one.
    frames: Mutex<HashMap<String, Arc<Frame>>>,
}

/// A frame drawn (see [`FRAME`]): its middle (what each picture is drawn on), and its
/// sides row by row as runs of one colour, for the encoder.
pub(super) struct Frame {
    middle: Pixmap,
    /// Each row's runs left of the middle, and right of it.
    pub sides: Vec<(Vec<Run>, Vec<Run>)>,
}

impl Frame {
    fn new(pixels: Pixmap) -> Option<Frame> {
        let (start, end) = (MIDDLE.start as usize, MIDDLE.end as usize);
        let middle = pixels.clone_rect(IntRect::from_xywh(start as i32, 0, (end - start) as u32, HEIGHT)?)?;
        let sides = pixels
            .data()
            .chunks_exact(WIDTH as usize * 4)
            .map(|row| (runs(&row[..start * 4]), runs(&row[end * 4..])))
            .collect();
        Some(Frame { middle, sides })
    }
}

/// A picture drawn: the middle, drawn on a copy of its frame's, and the frame, whose
/// sides it goes between.
pub(super) struct Picture {
    pub frame: Arc<Frame>,
    pub middle: Pixmap,
}

impl Picture {
    /// The whole picture's pixels, as they are encoded.
    #[cfg(test)]
    fn pixmap(&self) -> Pixmap {
        let mut whole = Pixmap::new(WIDTH, HEIGHT).unwrap();
        let width = self.middle.width() as usize * 4;
        let rows = whole.data_mut().chunks_exact_mut(WIDTH as usize * 4);
        for ((row, (left, right)), middle) in rows.zip(&self.frame.sides).zip(self.middle.data().chunks_exact(width)) {
            let mut pixels = Vec::with_capacity(row.len());
            let side = |runs: &[super::png::Run], pixels: &mut Vec<u8>| {
                for &(colour, n) in runs {
                    let [_, r, g, b] = colour.to_be_bytes();
                    (0..n).for_each(|_| pixels.extend([r, g, b, 255]));
                }
            };
            side(left, &mut pixels);
            pixels.extend_from_slice(middle);
            side(right, &mut pixels);
            row.copy_from_slice(&pixels);
        }
        whole
    }
}

/// The most frames a painter keeps (about 5 MB each): a site has one.
const MAX_FRAMES: usize = 8;

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
        Painter { fonts: Arc::new(fonts), glyphs: Glyphs::new(REGULAR, BOLD), frames: Mutex::new(HashMap::new()) }
    }

    /// The PNG of `svg` (a card's), or why it cannot be drawn (never for a card's own SVG).
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, String> {
        super::png::encode(&self.picture(svg)?)
    }

    /// `svg` drawn: its frame, what is its own drawn over the frame's middle, and its
    /// lines of text over that. What a card would draw outside the middle (nothing, but
    /// a name too long to fit even made smaller) is cut at its edge.
    fn picture(&self, svg: &str) -> Result<Picture, String> {
        let (frame, own) = split_frame(svg);
        let frame = self.frame(frame.unwrap_or_default())?;
        let mut middle = frame.middle.clone();
        let shift = MIDDLE.start as f32;
        let Some(glyphs) = &self.glyphs else {
            self.draw_onto(&own, &mut middle, shift)?;
            return Ok(Picture { frame, middle });
        };
        let (shapes, lines) = split_lines(&own);
        self.draw_onto(&shapes, &mut middle, shift)?;
        for line in &lines {
            glyphs.draw(&mut middle, &Line { x: line.x - shift, ..line.clone() });
        }
        Ok(Picture { frame, middle })
    }

    /// `svg` drawn on a picture of its own.
    fn draw(&self, svg: &str) -> Result<Pixmap, String> {
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or("no room for the picture")?;
        self.draw_onto(svg, &mut pixmap, 0.0)?;
        Ok(pixmap)
    }

    /// `svg` drawn over what `pixmap` holds, moved `shift` pixels left.
    fn draw_onto(&self, svg: &str, pixmap: &mut Pixmap, shift: f32) -> Result<(), String> {
        let options =
            resvg::usvg::Options { fontdb: self.fonts.clone(), font_family: FONT.to_owned(), ..Default::default() };
        let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
        resvg::render(&tree, Transform::from_translate(-shift, 0.0), &mut pixmap.as_mut());
        Ok(())
    }

    /// The frame `group` (an SVG group of the class [`FRAME`], or nothing) drawn alone,
    /// from those drawn before when it was.
    fn frame(&self, group: &str) -> Result<Arc<Frame>, String> {
        if let Some(frame) = self.frames.lock().ok().and_then(|frames| frames.get(group).cloned()) {
            return Ok(frame);
        }
        let mut alone = canvas();
        alone.element(group);
        let frame = Arc::new(Frame::new(self.draw(&alone.finish())?).ok_or("no room for the picture")?);
        if let Ok(mut frames) = self.frames.lock()
            && frames.len() < MAX_FRAMES
        {
            frames.insert(group.to_owned(), frame.clone());
        }
        Ok(frame)
    }
}

/// The frame's group of `svg` (see [`FRAME`]), when it has one, and the SVG without it.
fn split_frame(svg: &str) -> (Option<&str>, String) {
    let open = format!("<g class=\"{FRAME}\">");
    let Some(start) = svg.find(&open) else { return (None, svg.to_owned()) };
    // The frame holds no group: it ends at the first `</g>` after it.
    let Some(end) = svg[start..].find("</g>").map(|i| start + i + "</g>".len()) else {
        return (None, svg.to_owned());
    };
    (Some(&svg[start..end]), format!("{}{}", &svg[..start], &svg[end..]))
}

/// The SVG without its lines of text, and those lines, in order. A `<text>` element
/// that is not a line as the card writes it stays in the SVG.
fn split_lines(svg: &str) -> (String, Vec<Line>) {
    let (mut rest, mut lines) = (String::with_capacity(svg.len()), Vec::new());
    let mut from = 0;
    while let Some(start) = svg[from..].find("<text").map(|i| from + i) {
        // The text is escaped: its element ends at the first `</text>`.
        let Some(end) = svg[start..].find("</text>").map(|i| start + i + "</text>".len()) else { break };
        match Line::parse(&svg[start..end]) {
            Some(line) => {
                rest.push_str(&svg[from..start]);
                lines.push(line);
            }
            None => rest.push_str(&svg[from..end]),
        }
        from = end;
    }
    rest.push_str(&svg[from..]);
    (rest, lines)
}

#[cfg(test)]
mod tests {
    use super::super::card::tests::card;
    use super::super::card::{Card, HEIGHT, Line, WIDTH};
    use super::*;

    #[test]
    fn the_frame_is_drawn_once_and_the_lines_from_letters_as_resvg_draws_them() {
        let mut c = card();
        c.notice = Some("Phần lớn số liệu trên trang này là số liệu minh hoạ.".into());
        let svg = c.svg();
        let (frame, own) = split_frame(&svg);
        let frame = frame.expect("a card has a frame");
        assert!(frame.contains("Tiến độ BHXH tự nguyện") && frame.contains("minh hoạ") && !own.contains("frame"));
        let (shapes, lines) = split_lines(&own);
        let words: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert!(words.contains(&"Phường Long Mỹ <&>") && words.contains(&"80,52 %"), "{words:?}");
        assert!(!shapes.contains("<text") && shapes.contains("<rect"), "{shapes}");

        let painter = Painter::new();
        let from_letters = painter.picture(&svg).unwrap().pixmap();
        let by_resvg = painter.draw(&svg).unwrap();
        let without = painter.draw(&shapes).unwrap();
        let differ = |a: &Pixmap, b: &Pixmap| a.data().iter().zip(b.data()).map(|(x, y)| x.abs_diff(*y)).max();
        assert!(differ(&without, &by_resvg) > Some(200), "the frame and the lines are drawn");
        // A letter is placed to a quarter of a pixel: at the edge of a letter a pixel
        // may differ by what an eighth of a pixel covers (58 of 255 here), and the ink in
        // all is the same (to 0.005 %; one of the numbers left out would be 0.5 %).
        assert!(differ(&from_letters, &by_resvg) <= Some(64), "{:?}", differ(&from_letters, &by_resvg));
        let ink = |p: &Pixmap| p.data().iter().map(|&v| u64::from(v)).sum::<u64>() as f64;
        assert!((ink(&from_letters) / ink(&by_resvg) - 1.0).abs() < 1e-4);
        assert_eq!(painter.frames.lock().unwrap().len(), 1);
        // Another place of the same site: the same frame, drawn once.
        painter.picture(&Card { title: "Xã Ô Môn".into(), ..c.clone() }.svg()).unwrap();
        assert_eq!(painter.frames.lock().unwrap().len(), 1);

        // The same bytes whichever picture a painter draws first.
        let other = Card { title: "Xã Ô Môn".into(), ..card() };
        let (first, second) = (Painter::new(), Painter::new());
        let a = (first.png(&svg).unwrap(), first.png(&other.svg()).unwrap());
        let b = (second.png(&other.svg()).unwrap(), second.png(&svg).unwrap());
        assert!(a.0 == b.1 && a.1 == b.0);
    }

    #[test]
    fn the_png_is_the_picture_its_sides_taken_from_the_frame() {
        let mut c = card();
        c.notice = Some("Số liệu minh hoạ.".into());
        let painter = Painter::new();
        let picture = painter.picture(&c.svg()).unwrap();
        let png = super::super::png::encode(&picture).unwrap();
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut decoded = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut decoded).unwrap();
        let whole = picture.pixmap();
        let rgb: Vec<[u8; 3]> = whole.data().chunks_exact(4).map(|p| [p[0], p[1], p[2]]).collect();
        assert_eq!(decoded.len(), rgb.len() * 3);
        // Each pixel is its colour, or the nearest kept where a card has over 256.
        let differ = decoded.chunks_exact(3).zip(&rgb).filter(|(d, p)| d != p).count();
        assert!(differ * 1000 < rgb.len(), "{differ} pixels differ");
        // The sides are the frame's: the accent across the top, the notice's band across
        // the foot, the sides' tint between.
        let at = |x: usize, y: usize| &decoded[(y * WIDTH as usize + x) * 3..][..3];
        assert_eq!((at(0, 5), at(1199, 5)), ([0x1f, 0x4e, 0x9c].as_slice(), [0x1f, 0x4e, 0x9c].as_slice()));
        assert_eq!((at(0, 300), at(1199, 300)), ([0xe8, 0xee, 0xf7].as_slice(), [0xe8, 0xee, 0xf7].as_slice()));
        assert_eq!(at(10, 620), [0xff, 0xf4, 0xce].as_slice());
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_the_same_every_time() {
        let painter = Painter::new();
        let svg = card().svg();
        let png = painter.png(&svg).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, after the chunk's length and name.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), HEIGHT);
        assert_eq!(Painter::new().png(&svg).unwrap(), png, "the same bytes from another painter");
    }

    #[test]
    fn what_a_reader_must_see_is_inside_a_square_cut_from_the_middle() {
        let mut c = card();
        c.title = "Số người tham gia bảo hiểm xã hội tự nguyện của toàn tỉnh".into();
        c.lines.push(Line {
            label: "Cộng tác viên được tập huấn, so với chỉ tiêu".into(), ..c.lines[0].clone()
        });
        c.notice = Some("Số liệu tạm tính: ".repeat(12));
        let svg = c.svg();
        assert!(svg.contains("Số liệu tạm tính"), "the notice is on the picture");
        // Drawn whole by resvg: a picture is drawn as if nothing were outside the middle.
        let pixmap = Painter::new().draw(&svg).unwrap();
        let (width, middle) = (WIDTH as usize, (WIDTH - HEIGHT) as usize / 2);
        let pixel = |x: usize, y: usize| &pixmap.data()[(y * width + x) * 4..][..4];
        for y in 0..HEIGHT as usize {
            // The sides hold nothing but what spans the whole width (the bands).
            let (left, right) = (pixel(0, y), pixel(width - 1, y));
            assert!((0..middle).all(|x| pixel(x, y) == left), "something drawn left of the square, row {y}");
            assert!((width - middle..width).all(|x| pixel(x, y) == right), "right of the square, row {y}");
        }
        // And the name is in it whole, on two lines.
        assert!(svg.contains("text-anchor=\"middle\">Số người tham gia"), "{svg}");
        assert!(
            svg.contains("của toàn tỉnh</text>") && !svg.contains("Số người tham gia bảo hiểm xã hội tự nguyện của")
        );
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
