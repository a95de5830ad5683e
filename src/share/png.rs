//! A picture's pixels as a PNG of the cards' 256 colours, made of bands compressed
//! on their own.
//!
//! Every card of every site is drawn in the same few colours and the edges between them,
//! so one [`Palette`] serves them all: each colour a card has, and for each pair that
//! meets at the edge of a letter or a bar, the shades between them. A pixel takes its
//! colour's index, or the nearest colour's where it is one the palette does not have (a
//! letter's edge over a bar's, which no one tells apart).
//!
//! With one palette, a band of rows is the same bytes in every picture that has it: it
//! is compressed alone ([`Segment`]), ending on a whole byte with nothing that refers to
//! what came before, so that a picture is its bands' segments one after the other
//! ([`png`]). A band many pictures share (the date, an indicator's name with its status)
//! is compressed once a build.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

use zlib_rs::{Deflate, DeflateConfig, DeflateFlush, Method, Status, Strategy};

use super::card::{HEIGHT, WIDTH};

/// The cards' colours, and how a pixel's colour finds its index.
pub(super) struct Palette {
    /// Each colour as 0xRRGGBB, in index order: at most 256.
    colours: Vec<u32>,
    exact: HashMap<u32, u8, Colours>,
    /// The nearest colour's index, plus one, for each colour of 5 bits a channel: where a
    /// colour the palette does not have goes. Found when first needed (a few hundred of
    /// the 32,768 are, on a site): 0 while it is not.
    nearest: Vec<AtomicU16>,
}

impl Palette {
    /// A palette of `colours` (the first 256 of them, each 0xRRGGBB).
    pub fn new(colours: &[u32]) -> Palette {
        let colours: Vec<u32> = colours.iter().copied().take(256).collect();
        let mut exact: HashMap<u32, u8, Colours> = HashMap::default();
        for (i, &c) in colours.iter().enumerate() {
            exact.entry(c).or_insert(i as u8);
        }
        let nearest = (0..1 << 15).map(|_| AtomicU16::new(0)).collect();
        Palette { colours, exact, nearest }
    }

    /// The index of the colour 0xRRGGBB.
    pub fn index(&self, colour: u32) -> u8 {
        if let Some(&i) = self.exact.get(&colour) {
            return i;
        }
        let cell = (colour >> 9 & 0x7c00) | (colour >> 6 & 0x3e0) | (colour >> 3 & 0x1f);
        let Some(known) = self.nearest.get(cell as usize) else { return 0 };
        match known.load(Ordering::Relaxed) {
            0 => {
                // The colour in the middle of the cell: the same index whichever colour of
                // the cell, and whichever thread, asks first.
                let rgb = |c: u32| [(c >> 16) as i32 & 255, (c >> 8) as i32 & 255, c as i32 & 255];
                let want = [(cell >> 10) & 31, (cell >> 5) & 31, cell & 31].map(|v| (v * 8 + 4) as i32);
                let distance = |c: u32| rgb(c).iter().zip(want).map(|(a, b)| (a - b) * (a - b)).sum::<i32>();
                let i = (0..self.colours.len()).min_by_key(|&i| (distance(self.colours[i]), i)).unwrap_or(0) as u8;
                known.store(u16::from(i) + 1, Ordering::Relaxed);
                i
            }
            i => (i - 1) as u8,
        }
    }

    /// The pixels (RGBA, premultiplied over an opaque background, so the colours
    /// themselves) as indices, after `out`.
    pub fn indices_into(&self, pixels: &[u8], out: &mut Vec<u8>) {
        let mut last = (u32::MAX, 0);
        out.extend(pixels.chunks_exact(4).map(|p| {
            let pixel = u32::from_be_bytes([0, p[0], p[1], p[2]]);
            if pixel != last.0 {
                last = (pixel, self.index(pixel));
            }
            last.1
        }));
    }
}

/// Rows of a picture compressed alone: raw deflate that ends on a whole byte and
/// refers to nothing before it, with what it holds before compression counted for the
/// zlib stream's checksum.
pub(super) struct Segment {
    deflate: Vec<u8>,
    adler: u32,
    len: usize,
}

impl Segment {
    /// How many bytes it takes.
    pub fn size(&self) -> usize {
        self.deflate.len()
    }

    /// Adds the segment of `key` to `out`, as [`Segment::read`] reads it back: the key,
    /// the checksum, the length, the size, a hash of them all and the bytes.
    pub fn write(&self, key: u64, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&self.adler.to_le_bytes());
        out.extend_from_slice(&(self.len as u64).to_le_bytes());
        out.extend_from_slice(&(self.deflate.len() as u64).to_le_bytes());
        let check = check(&out[start..], &self.deflate);
        out.extend_from_slice(&check.to_le_bytes());
        out.extend_from_slice(&self.deflate);
    }

    /// The next segment written by [`Segment::write`] at the start of `bytes`, and its
    /// key, `bytes` moved past it; `None` when there is none whole, or it is not what was
    /// written (its hash differs).
    pub fn read(bytes: &mut &[u8]) -> Option<(u64, Segment)> {
        let (head, rest) = bytes.split_first_chunk::<28>()?;
        let word = |at: usize| u64::from_le_bytes(head[at..at + 8].try_into().unwrap_or_default());
        let (key, len, size) = (word(0), word(12), word(20));
        let adler = u32::from_le_bytes(head[8..12].try_into().unwrap_or_default());
        let (sum, rest) = rest.split_first_chunk::<8>()?;
        let deflate = rest.get(..usize::try_from(size).ok()?)?;
        if check(head, deflate) != u64::from_le_bytes(*sum) {
            return None;
        }
        *bytes = &rest[deflate.len()..];
        Some((key, Segment { deflate: deflate.to_vec(), adler, len: usize::try_from(len).ok()? }))
    }
}

/// A hash of a kept segment's head and bytes, to know it as it was written.
fn check(head: &[u8], bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = siphasher::sip::SipHasher13::new();
    hasher.write(head);
    hasher.write(bytes);
    hasher.finish()
}

thread_local! {
    /// Each thread's compressor, made once (it holds some 300 KB of tables), and where it
    /// writes.
    static COMPRESSOR: RefCell<Option<(Deflate, Vec<u8>)>> = const { RefCell::new(None) };
}

/// `rows` (each a filter byte and a row's indices) compressed alone, at the default level
/// (6 of 9). Nationally, against level 2, the pictures are 97 MB rather than 114 and the
/// month's build takes 1.5 s rather than 1.3; levels 7 to 9 take twice as long or more,
/// for at most a tenth fewer bytes.
pub(super) fn segment(rows: &[u8]) -> Result<Segment, String> {
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let (deflate, out) = cell.get_or_insert_with(|| {
            let config = DeflateConfig {
                level: 6,
                method: Method::Deflated,
                window_bits: -15,
                mem_level: 8,
                strategy: Strategy::Default,
            };
            (Deflate::new_with_config(config), Vec::new())
        });
        deflate.reset();
        out.resize(zlib_rs::compress_bound(rows.len()) + 64, 0);
        match deflate.compress(rows, out, DeflateFlush::SyncFlush) {
            Ok(Status::Ok | Status::StreamEnd) if deflate.total_in() == rows.len() as u64 => {}
            _ => return Err("a picture could not be compressed".into()),
        }
        let written = out.get(..deflate.total_out() as usize).ok_or("a picture could not be compressed")?;
        Ok(Segment { deflate: written.to_vec(), adler: zlib_rs::adler32::adler32(1, rows), len: rows.len() })
    })
}

/// The PNG of a `WIDTH`×`HEIGHT` picture whose rows are `segments`, in order.
pub(super) fn png(palette: &Palette, segments: &[Arc<Segment>]) -> Result<Vec<u8>, String> {
    let size: usize = segments.iter().map(|s| s.deflate.len()).sum();
    let mut idat = Vec::with_capacity(size + 8);
    // The zlib stream: its header (deflate, a 32 KB window, the default level)…
    idat.extend_from_slice(&[0x78, 0x9c]);
    let mut adler = 1;
    for segment in segments {
        idat.extend_from_slice(&segment.deflate);
        adler = zlib_rs::adler32::adler32_combine(adler, segment.adler, segment.len as u64);
    }
    // … an empty last block (fixed codes: the end of block alone), and the checksum.
    idat.extend_from_slice(&[0x03, 0x00]);
    idat.extend_from_slice(&adler.to_be_bytes());
    let mut out = Vec::with_capacity(idat.len() + 1024);
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(
        palette.colours.iter().flat_map(|c| [(c >> 16) as u8, (c >> 8) as u8, *c as u8]).collect::<Vec<u8>>(),
    );
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_chunk(png::chunk::IDAT, &idat).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// Hashes a colour (0xRRGGBB): one multiplication, rather than SipHash for each of a
/// picture's some 100,000 runs.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cards_palette_has_each_colour_as_it_is_and_the_shades_between() {
        let colours = super::super::card::palette();
        let palette = Palette::new(&colours);
        assert!(colours.len() <= 256 && colours.len() > 200, "{}", colours.len());
        for colour in [0xffffff, 0x1a1a1a, 0x555555, 0xe8eef7, 0x1a7f37, 0xb3261e, 0xfff4ce] {
            let i = palette.index(colour);
            assert_eq!(colours[usize::from(i)], colour, "{colour:06x}");
        }
        // Half of the ink over the paper, and a colour no card has: the nearest shade.
        let near = |c: u32| colours[usize::from(palette.index(c))];
        let grey = near(0x8c8c8c);
        assert!((grey >> 16).abs_diff(0x8c) <= 8 && (grey & 255).abs_diff(0x8c) <= 8, "{grey:06x}");
        let white = near(0xfefefe);
        assert!(white >= 0xfcfcfc && white & 255 >= 0xfc, "{white:06x}");
    }
}
