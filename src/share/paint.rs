//! Drawing a card's SVG into pixels with resvg and the Be Vietnam Pro font built into the
//! program (SIL Open Font License, see `fonts/OFL.txt`), never a font of the machine:
//! the same card gives the same pixels everywhere.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use resvg::tiny_skia::{Pixmap, Transform};

use super::card::{FONT, FRAME, HEIGHT, LASTING, MIDDLE, WIDTH, canvas, palette};
use super::glyphs::{Glyphs, Line, Placed};
use super::png::{Palette, Segment};

pub(super) const REGULAR: &[u8] = include_bytes!("fonts/BeVietnamPro-Regular.ttf");
pub(super) const BOLD: &[u8] = include_bytes!("fonts/BeVietnamPro-Bold.ttf");

/// Turns cards into PNG pictures with the built-in font.
///
/// Much of a picture is the same on many pictures of a site, and is drawn and
/// compressed once a build:
/// - its frame (the background, the site's name, the notice's band: the card's
///   [`FRAME`]), which is all there is on the sides: what is a card's own is drawn on a
///   copy of the frame's middle square ([`MIDDLE`]);
/// - the letters (see [`super::glyphs`]): a site's pictures have a few hundred
///   different ones;
/// - bands of rows: a picture is cut between what it draws into bands, each the frame's
///   rows and what is drawn in them, compressed alone (see [`super::png`]); a band is
///   the same bytes in every picture that has the same things in the same rows (the
///   date, an indicator's name with its status, the rows between), so those are
///   compressed once, and a picture draws and compresses only its own (its name, its
///   numbers and bars). The bands that show only what a place's picture shows alike
///   every month (its name: the card's [`LASTING`]) are kept from one build to the next
///   ([`Painter::kept`]), so that the month's build compresses only what changed.
///
/// The result is the same whatever the order pictures are drawn in, and whichever were
/// drawn before, in this build or an earlier one.
pub struct Painter {
    fonts: Arc<resvg::usvg::fontdb::Database>,
    /// The letters; `None` only if the built-in font could not be read, and then resvg
    /// draws the lines too.
    glyphs: Option<Glyphs>,
    palette: Palette,
    /// Each frame drawn so far (see [`FRAME`]), by its SVG: a site has one.
    frames: Mutex<HashMap<String, Arc<Frame>>>,
    /// Bands compressed so far, by a hash of what they show, and the bytes they take.
    bands: Mutex<(HashMap<u64, Arc<Segment>>, usize)>,
    /// The bands of [`LASTING`] things this build used, and those an earlier build kept.
    lasting: Mutex<HashMap<u64, Arc<Segment>>>,
    earlier: Vec<(u64, Arc<Segment>)>,
}

/// A frame drawn (see [`FRAME`]): its middle (what each band is drawn on), and its sides
/// row by row as the palette's indices.
struct Frame {
    /// A hash of its SVG.
    key: u64,
    middle: Pixmap,
    /// Each row's indices left of the middle, and right of it.
    sides: Vec<(Vec<u8>, Vec<u8>)>,
}

/// One of what a card draws on its own: its SVG element, the rows it touches, and how
/// it is drawn.
struct Element<'a> {
    svg: &'a str,
    rows: Range<i32>,
    letters: Option<(Vec<Placed>, [u8; 3])>,
    /// Whether it is of the class [`LASTING`].
    lasting: bool,
}

/// What the bands kept for the next build begin with: which program drew them (see
/// [`Painter::kept`]); another version's are not taken.
fn kept_header() -> String {
    format!("tiendo {} bands {}\n", env!("CARGO_PKG_VERSION"), super::DRAWING)
}

/// The most frames a painter keeps (about 2 MB each): a site has one.
const MAX_FRAMES: usize = 8;

/// The most bytes of compressed bands a painter keeps: a national site's shared bands
/// take a few hundred KB, and its pictures' own would take 130 MB.
const MAX_BANDS: usize = 32 << 20;

/// Rows closer than this between two things drawn are in one band (a band costs some
/// 60 bytes of its own).
const GAP: i32 = 2;

impl Default for Painter {
    fn default() -> Self {
        Painter::new()
    }
}

impl Painter {
    pub fn new() -> Painter {
        Painter::keeping(&[])
    }

    /// A painter that starts with the bands an earlier build kept (`kept`, as
    /// [`Painter::kept`] wrote them; what is not that is left out).
    pub fn keeping(kept: &[u8]) -> Painter {
        let mut fonts = resvg::usvg::fontdb::Database::new();
        fonts.load_font_data(REGULAR.to_vec());
        fonts.load_font_data(BOLD.to_vec());
        let mut rest = kept.strip_prefix(kept_header().as_bytes()).unwrap_or_default();
        let mut earlier = Vec::new();
        while let Some((key, band)) = Segment::read(&mut rest) {
            earlier.push((key, Arc::new(band)));
        }
        Painter {
            fonts: Arc::new(fonts),
            glyphs: Glyphs::new(REGULAR, BOLD),
            palette: Palette::new(&palette()),
            frames: Mutex::new(HashMap::new()),
            // Those kept are as many as the site has places (see `kept`), apart from the
            // bytes this build may add.
            bands: Mutex::new((earlier.iter().cloned().collect(), 0)),
            lasting: Mutex::new(HashMap::new()),
            earlier,
        }
    }

    /// The bands of [`LASTING`] things to keep for the next build: those this build
    /// used, then those an earlier build kept that it did not, up to `most` in all (so
    /// that a build that drew a few pictures does not lose the others', and the bands of
    /// places no longer in the site go in time).
    pub fn kept(&self, most: usize) -> Vec<u8> {
        let used = self.lasting.lock().map(|used| used.clone()).unwrap_or_default();
        let mut used: Vec<(u64, Arc<Segment>)> = used.into_iter().collect();
        used.sort_unstable_by_key(|(key, _)| *key);
        let keys: std::collections::HashSet<u64> = used.iter().map(|(key, _)| *key).collect();
        let unused = self.earlier.iter().filter(|(key, _)| !keys.contains(key));
        let mut out = kept_header().into_bytes();
        for (key, band) in used.iter().chain(unused).take(most) {
            band.write(*key, &mut out);
        }
        out
    }

    /// The PNG of `svg` (a card's), or why it cannot be drawn (never for a card's own SVG).
    /// What a card would draw outside the middle square (nothing, but a name too long to
    /// fit even made smaller) is cut at its edge.
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, String> {
        let (frame, own) = split_frame(svg);
        let frame = self.frame(frame.unwrap_or_default())?;
        let elements = self.elements(&own);
        let segments = bands(&elements)
            .into_iter()
            .map(|(rows, members)| self.band(&frame, rows, &members.iter().map(|&k| &elements[k]).collect::<Vec<_>>()))
            .collect::<Result<Vec<_>, String>>()?;
        super::png::png(&self.palette, &segments)
    }

    /// What `own` (a card's SVG without its frame) draws, in order.
    fn elements<'a>(&self, own: &'a str) -> Vec<Element<'a>> {
        let whole = 0..HEIGHT as i32;
        let lasting = format!("<text class=\"{LASTING}\"");
        own.lines()
            .map(str::trim)
            .filter(|e| !e.is_empty() && !e.starts_with("<svg") && *e != "</svg>")
            .map(|svg| {
                let line = self.glyphs.as_ref().zip(Line::parse(svg));
                if let Some((glyphs, line)) = line {
                    let placed = glyphs.place(&line);
                    let top = placed.iter().map(|p| p.rows().start).min().unwrap_or(0);
                    let bottom = placed.iter().map(|p| p.rows().end).max().unwrap_or(0);
                    let lasting = svg.starts_with(&lasting);
                    return Element { svg, rows: top..bottom, letters: Some((placed, line.rgb)), lasting };
                }
                Element { svg, rows: rect_rows(svg).unwrap_or(whole.clone()), letters: None, lasting: false }
            })
            .collect()
    }

    /// The band of `rows` with `members` drawn in it, compressed: from those compressed
    /// before when it was.
    fn band(&self, frame: &Frame, rows: Range<u32>, members: &[&Element]) -> Result<Arc<Segment>, String> {
        let mut hasher = siphasher::sip::SipHasher13::new();
        (frame.key, &rows).hash(&mut hasher);
        members.iter().for_each(|e| e.svg.hash(&mut hasher));
        let key = hasher.finish();
        let lasting = !members.is_empty() && members.iter().all(|e| e.lasting);
        let keep = |band: &Arc<Segment>| {
            if lasting && let Ok(mut kept) = self.lasting.lock() {
                kept.insert(key, band.clone());
            }
        };
        if let Some(band) = self.bands.lock().ok().and_then(|bands| bands.0.get(&key).cloned()) {
            keep(&band);
            return Ok(band);
        }
        let (top, height) = (rows.start, rows.end - rows.start);
        let (left, width) = (MIDDLE.start, MIDDLE.end - MIDDLE.start);
        let mut pixmap = Pixmap::new(width, height).ok_or("no room for the picture")?;
        let stride = width as usize * 4;
        let from = top as usize * stride;
        pixmap.data_mut().copy_from_slice(&frame.middle.data()[from..from + height as usize * stride]);
        let shapes: Vec<&str> = members.iter().filter(|e| e.letters.is_none()).map(|e| e.svg).collect();
        if !shapes.is_empty() {
            let mut svg = canvas();
            shapes.iter().for_each(|e| svg.element(&format!("{e}\n")));
            self.draw_onto(&svg.finish(), &mut pixmap, (left as f32, top as f32))?;
        }
        for (placed, rgb) in members.iter().filter_map(|e| e.letters.as_ref()) {
            placed.iter().for_each(|p| p.lay(&mut pixmap, left as i32, top as i32, *rgb));
        }
        // Each row: its filter (none), its sides from the frame, its middle.
        let mut raw = Vec::with_capacity(height as usize * (WIDTH as usize + 1));
        for (row, (l, r)) in pixmap.data().chunks_exact(stride).zip(&frame.sides[top as usize..]) {
            raw.push(0);
            raw.extend_from_slice(l);
            self.palette.indices_into(row, &mut raw);
            raw.extend_from_slice(r);
        }
        let band = Arc::new(super::png::segment(&raw)?);
        keep(&band);
        if let Ok(mut bands) = self.bands.lock()
            && bands.1 + band.size() <= MAX_BANDS
        {
            bands.1 += band.size();
            bands.0.insert(key, band.clone());
        }
        Ok(band)
    }

    /// `svg` drawn on a picture of its own.
    fn draw(&self, svg: &str) -> Result<Pixmap, String> {
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or("no room for the picture")?;
        self.draw_onto(svg, &mut pixmap, (0.0, 0.0))?;
        Ok(pixmap)
    }

    /// `svg` drawn over what `pixmap` holds, whose top left corner is at `(left, top)`.
    fn draw_onto(&self, svg: &str, pixmap: &mut Pixmap, (left, top): (f32, f32)) -> Result<(), String> {
        let options =
            resvg::usvg::Options { fontdb: self.fonts.clone(), font_family: FONT.to_owned(), ..Default::default() };
        let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
        resvg::render(&tree, Transform::from_translate(-left, -top), &mut pixmap.as_mut());
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
        let pixels = self.draw(&alone.finish())?;
        let (start, end) = (MIDDLE.start as usize * 4, MIDDLE.end as usize * 4);
        let mut middle = Pixmap::new(MIDDLE.end - MIDDLE.start, HEIGHT).ok_or("no room for the picture")?;
        let rows = pixels.data().chunks_exact(WIDTH as usize * 4);
        for (into, row) in middle.data_mut().chunks_exact_mut(end - start).zip(rows.clone()) {
            into.copy_from_slice(&row[start..end]);
        }
        let indices = |pixels: &[u8]| {
            let mut out = Vec::with_capacity(pixels.len() / 4);
            self.palette.indices_into(pixels, &mut out);
            out
        };
        let sides = rows.map(|row| (indices(&row[..start]), indices(&row[end..]))).collect();
        let mut hasher = siphasher::sip::SipHasher13::new();
        group.hash(&mut hasher);
        let frame = Arc::new(Frame { key: hasher.finish(), middle, sides });
        if let Ok(mut frames) = self.frames.lock()
            && frames.len() < MAX_FRAMES
        {
            frames.insert(group.to_owned(), frame.clone());
        }
        Ok(frame)
    }
}

/// The rows a `<rect>` as the card's writer writes it touches, with a row either side
/// for its smoothed edges; `None` for any other element.
fn rect_rows(svg: &str) -> Option<Range<i32>> {
    let rest = svg.strip_prefix("<rect ")?;
    let number = |name: &str| -> Option<f32> {
        let at = rest
            .find(&format!(" {name}=\""))
            .map(|i| i + 1)
            .or(rest.starts_with(&format!("{name}=\"")).then_some(0))?;
        rest[at + name.len() + 2..].split('"').next()?.parse().ok()
    };
    let (y, height) = (number("y")?, number("height")?);
    Some((y.floor() as i32 - 1).max(0)..((y + height).ceil() as i32 + 1).min(HEIGHT as i32))
}

/// The picture's rows cut into bands: each group of things drawn close together (see
/// [`GAP`]) with the rows they touch, and the rows between them with nothing; each band
/// with the elements (their indices) drawn in it.
fn bands(elements: &[Element]) -> Vec<(Range<u32>, Vec<usize>)> {
    let height = HEIGHT as i32;
    let mut order: Vec<usize> = (0..elements.len()).filter(|&k| !elements[k].rows.is_empty()).collect();
    order.sort_by_key(|&k| elements[k].rows.start);
    let mut groups: Vec<(Range<i32>, Vec<usize>)> = Vec::new();
    for k in order {
        let rows = elements[k].rows.start.clamp(0, height)..elements[k].rows.end.clamp(0, height);
        match groups.last_mut() {
            Some((span, members)) if rows.start < span.end + GAP => {
                span.end = span.end.max(rows.end);
                members.push(k);
            }
            _ => groups.push((rows, vec![k])),
        }
    }
    let mut bands = Vec::with_capacity(2 * groups.len() + 1);
    let mut at = 0;
    for (span, mut members) in groups {
        if span.start > at {
            bands.push((at as u32..span.start as u32, Vec::new()));
        }
        // Drawn in the card's order.
        members.sort_unstable();
        let start = span.start.max(at);
        if span.end > start {
            bands.push((start as u32..span.end as u32, members));
        }
        at = at.max(span.end);
    }
    if at < height {
        bands.push((at as u32..height as u32, Vec::new()));
    }
    bands
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

#[cfg(test)]
mod tests {
    use super::super::card::tests::card;
    use super::super::card::{Card, HEIGHT, Line, WIDTH};
    use super::*;

    /// The pixels (RGB) of a PNG.
    fn decode(png: &[u8]) -> Vec<u8> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut pixels).unwrap();
        pixels
    }

    #[test]
    fn a_picture_is_its_bands_drawn_from_letters_as_resvg_draws_it_whole() {
        let mut c = card();
        c.notice = Some("Phần lớn số liệu trên trang này là số liệu minh hoạ.".into());
        let svg = c.svg();
        let (frame, own) = split_frame(&svg);
        let frame = frame.expect("a card has a frame");
        assert!(frame.contains("Tiến độ BHXH tự nguyện") && frame.contains("minh hoạ") && !own.contains("frame"));

        let painter = Painter::new();
        let elements = painter.elements(&own);
        let lines: Vec<&Element> = elements.iter().filter(|e| e.letters.is_some()).collect();
        assert!(lines.iter().any(|e| e.svg.contains(">Phường Long Mỹ &lt;&amp;&gt;</text>")), "the name");
        assert!(elements.iter().any(|e| e.letters.is_none() && e.svg.starts_with("<rect")), "the bars");
        // Bands: the rows between what is drawn, and each group of what is drawn close
        // together, every row in one band and every element in one.
        let bands = bands(&elements);
        assert_eq!(bands.first().map(|b| b.0.start), Some(0));
        assert_eq!(bands.last().map(|b| b.0.end), Some(HEIGHT));
        assert!(bands.windows(2).all(|w| w[0].0.end == w[1].0.start));
        let mut drawn: Vec<usize> = bands.iter().flat_map(|b| b.1.clone()).collect();
        drawn.sort_unstable();
        assert_eq!(drawn, (0..elements.len()).collect::<Vec<_>>());
        for (rows, members) in &bands {
            for &k in members {
                let e = &elements[k].rows;
                assert!(rows.start as i32 <= e.start.max(0) && e.end.min(HEIGHT as i32) <= rows.end as i32);
            }
        }
        assert!(bands.len() >= 8, "the name, the date, each line's name and numbers: {}", bands.len());

        let from_bands = decode(&painter.png(&svg).unwrap());
        let by_resvg = painter.draw(&svg).unwrap();
        let rgb: Vec<u8> = by_resvg.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        let differ = from_bands.iter().zip(&rgb).map(|(x, y)| x.abs_diff(*y)).max();
        // A letter is placed to a quarter of a pixel, a pixel takes the nearest of the
        // palette's shades, and where two letters share a pixel (a mark over its letter)
        // each is laid over the other rather than both filled as one shape: a pixel at the
        // edge of a letter may differ (by up to 89 of 255 here, and by more than 40 in one
        // channel in 800 at most), the ink in all is the same (one of the numbers left
        // out would be 0.5 % less).
        assert!(differ <= Some(96), "{differ:?}");
        let far = from_bands.iter().zip(&rgb).filter(|(x, y)| x.abs_diff(**y) > 40).count();
        assert!(far * 500 < rgb.len(), "{far} of {} channels differ by more than 40", rgb.len());
        let ink = |p: &[u8]| p.iter().map(|&v| u64::from(v)).sum::<u64>() as f64;
        assert!((ink(&from_bands) / ink(&rgb) - 1.0).abs() < 2e-4, "{}", ink(&from_bands) / ink(&rgb));
        // The sides are the frame's: the accent across the top, the sides' tint, the
        // notice's band across the foot.
        let at = |x: usize, y: usize| &from_bands[(y * WIDTH as usize + x) * 3..][..3];
        assert_eq!((at(0, 5), at(1199, 5)), ([0x1f, 0x4e, 0x9c].as_slice(), [0x1f, 0x4e, 0x9c].as_slice()));
        assert_eq!((at(0, 300), at(1199, 300)), ([0xe8, 0xee, 0xf7].as_slice(), [0xe8, 0xee, 0xf7].as_slice()));
        assert_eq!(at(10, 620), [0xff, 0xf4, 0xce].as_slice());
        assert_eq!(painter.frames.lock().unwrap().len(), 1);

        // Another place of the same site: the same frame, drawn once, and the bands that
        // do not show the place's name (or the rows about it, whose extent the name's
        // letters set) taken as they were.
        let other = Card { title: "Xã Ô Môn".into(), ..c.clone() };
        let kept = painter.bands.lock().unwrap().0.len();
        painter.png(&other.svg()).unwrap();
        assert_eq!(painter.frames.lock().unwrap().len(), 1);
        let new = painter.bands.lock().unwrap().0.len() - kept;
        // Here 4 of 11: the name's and the date's, and the rows about them, which the
        // name's letters (with or without a "g" below the line) set.
        assert!(new >= 1 && new * 2 < bands.len(), "{new} of {} bands new", bands.len());

        // The same bytes whichever picture a painter draws first.
        let other = Card { title: "Xã Ô Môn".into(), ..card() };
        let (first, second) = (Painter::new(), Painter::new());
        let a = (first.png(&svg).unwrap(), first.png(&other.svg()).unwrap());
        let b = (second.png(&other.svg()).unwrap(), second.png(&svg).unwrap());
        assert!(a.0 == b.1 && a.1 == b.0);
    }

    #[test]
    fn the_rows_that_last_are_kept_for_the_next_build_and_only_what_is_whole_is_taken() {
        let (a, b) = (card(), Card { title: "Xã Ô Môn".into(), ..card() });
        let (a, b) = (a.svg(), b.svg());
        let first = Painter::new();
        let drawn = (first.png(&a).unwrap(), first.png(&b).unwrap());
        let kept = first.kept(100);
        // The two names' bands (the rows with nothing but a name).
        let mut rest = &kept[kept_header().len()..];
        let mut keys = Vec::new();
        while let Some((key, _)) = Segment::read(&mut rest) {
            keys.push(key);
        }
        assert_eq!((keys.len(), rest.len()), (2, 0));
        assert!(first.kept(1).len() < kept.len(), "at most as many as asked");

        // The next build takes them, and draws the same bytes.
        let next = Painter::keeping(&kept);
        assert_eq!(next.bands.lock().unwrap().0.len(), 2);
        assert!(next.png(&a).unwrap() == drawn.0 && next.png(&b).unwrap() == drawn.1);
        // It keeps them again, though it drew one place only.
        let again = Painter::keeping(&kept);
        again.png(&a).unwrap();
        assert_eq!(again.kept(100).len(), kept.len());

        // A byte changed in what was kept: that band is not taken, nor what follows it.
        let mut broken = kept.clone();
        let last = broken.len() - 1;
        broken[last] ^= 0x55;
        let taken = Painter::keeping(&broken);
        assert_eq!(taken.bands.lock().unwrap().0.len(), 1);
        assert!(taken.png(&b).unwrap() == drawn.1 && taken.png(&a).unwrap() == drawn.0);
        // Another version's bands, or anything else, are not taken.
        let other = String::from_utf8_lossy(&kept).replacen("bands share-card", "bands other", 1);
        for wrong in [other.as_bytes(), b"", b"tiendo", &kept[..kept.len() - 3]] {
            let painter = Painter::keeping(wrong);
            assert!(painter.bands.lock().unwrap().0.len() < 2);
        }
    }

    #[test]
    fn a_shape_or_text_the_painter_does_not_know_is_drawn_by_resvg_across_the_picture() {
        let painter = Painter::new();
        let circle = "<circle cx=\"600\" cy=\"300\" r=\"40\" fill=\"#1a1a1a\"/>";
        let own = format!("<svg>\n{circle}\n</svg>\n");
        let elements = painter.elements(&own);
        assert_eq!(elements.len(), 1);
        assert_eq!(elements[0].rows, 0..HEIGHT as i32);
        let mut c = card();
        c.lines.clear();
        let svg = c.svg().replace("</svg>", &format!("{circle}\n</svg>"));
        let pixels = decode(&painter.png(&svg).unwrap());
        assert_eq!(&pixels[(300 * WIDTH as usize + 600) * 3..][..3], [0x1a, 0x1a, 0x1a].as_slice());
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
