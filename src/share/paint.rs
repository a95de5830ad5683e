//! Drawing a card's SVG into pixels with resvg and the Be Vietnam Pro font built into the
//! program (SIL Open Font License, see `fonts/OFL.txt`), never a font of the machine:
//! the same card gives the same pixels everywhere.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use resvg::tiny_skia::{Pixmap, Transform};

use super::card::{FONT, FRAME, HEIGHT, WIDTH, canvas};
use super::glyphs::{Glyphs, Line};

pub(super) const REGULAR: &[u8] = include_bytes!("fonts/BeVietnamPro-Regular.ttf");
pub(super) const BOLD: &[u8] = include_bytes!("fonts/BeVietnamPro-Bold.ttf");

/// Turns cards into PNG pictures with the built-in font.
///
/// Much of a picture is the same on every picture of a site: its frame (the background,
/// the site's name, the notice's band: the card's [`FRAME`]) is drawn once, and each
/// picture is drawn on a copy of it. Letters are most of the rest, and a site's pictures
/// have a few hundred different ones: the lines of text are drawn from letters filled
/// once (see [`super::glyphs`]), the rest (the bars, the statuses' boxes) by resvg. The
/// result is the same whatever the order pictures are drawn in.
pub struct Painter {
    fonts: Arc<resvg::usvg::fontdb::Database>,
    /// The letters; `None` only if the built-in font could not be read, and then resvg
    /// draws the lines too.
    glyphs: Option<Glyphs>,
    /// Each frame drawn so far (see [`FRAME`]), by its SVG: a site has one.
    frames: Mutex<HashMap<String, Arc<Pixmap>>>,
}

/// The most frames a painter keeps (3 MB each): a site has one.
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

    /// The pixels of `svg`: its frame, what is its own drawn over it, and its lines of
    /// text over that.
    fn picture(&self, svg: &str) -> Result<Pixmap, String> {
        let (frame, own) = split_frame(svg);
        let mut pixmap = match frame {
            Some(frame) => self.frame(frame)?.as_ref().clone(),
            None => Pixmap::new(WIDTH, HEIGHT).ok_or("no room for the picture")?,
        };
        let Some(glyphs) = &self.glyphs else {
            self.draw_onto(&own, &mut pixmap)?;
            return Ok(pixmap);
        };
        let (shapes, lines) = split_lines(&own);
        self.draw_onto(&shapes, &mut pixmap)?;
        for line in &lines {
            glyphs.draw(&mut pixmap, line);
        }
        Ok(pixmap)
    }

    /// `svg` drawn on a picture of its own.
    fn draw(&self, svg: &str) -> Result<Pixmap, String> {
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or("no room for the picture")?;
        self.draw_onto(svg, &mut pixmap)?;
        Ok(pixmap)
    }

    /// `svg` drawn over what `pixmap` holds.
    fn draw_onto(&self, svg: &str, pixmap: &mut Pixmap) -> Result<(), String> {
        let options =
            resvg::usvg::Options { fontdb: self.fonts.clone(), font_family: FONT.to_owned(), ..Default::default() };
        let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
        resvg::render(&tree, Transform::default(), &mut pixmap.as_mut());
        Ok(())
    }

    /// The frame `group` (an SVG group of the class [`FRAME`]) drawn alone, from those
    /// drawn before when it was.
    fn frame(&self, group: &str) -> Result<Arc<Pixmap>, String> {
        if let Some(frame) = self.frames.lock().ok().and_then(|frames| frames.get(group).cloned()) {
            return Ok(frame);
        }
        let mut alone = canvas();
        alone.element(group);
        let frame = Arc::new(self.draw(&alone.finish())?);
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
        let from_letters = painter.picture(&svg).unwrap();
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
        let pixmap = Painter::new().picture(&svg).unwrap();
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
