//! A card's pixels as a PNG of at most 256 colours: a card is flat colours and the edges
//! of its letters, so a palette keeps what anyone sees in a quarter of the bytes of full
//! colour, and is quicker to compress.

use std::collections::HashMap;

use resvg::tiny_skia::Pixmap;

/// The pixels as a PNG of at most 256 colours. A card is flat colours and the edges of
/// its letters: some 270 colours in all, of which the 256 most used are kept and each
/// other pixel takes the nearest of them, a difference no one sees at the edge of a
/// letter. A quarter of the bytes of full colour, and quicker to compress.
pub(super) fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, String> {
    // The picture as runs of one colour (most pixels are the colour of the one before),
    // each colour as 0xRRGGBB: the card's background is opaque, so premultiplied pixels
    // are the colours themselves.
    let runs = runs(pixmap.data());
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

/// The pixels (RGBA) as runs of one colour, each colour as 0xRRGGBB. Most of a card is
/// long runs (the background, the bands, the bars), so a run is followed eight pixels at
/// a time while it lasts, then pixel by pixel.
fn runs(pixels: &[u8]) -> Vec<(u32, usize)> {
    const BLOCK: usize = 8;
    let mut runs: Vec<(u32, usize)> = Vec::with_capacity(1 << 16);
    let mut rest = pixels;
    while let Some(first) = rest.first_chunk::<4>() {
        let block: [u8; 4 * BLOCK] = std::array::from_fn(|k| first[k % 4]);
        let mut n = 1;
        while rest.get(4 * n..4 * (n + BLOCK)).is_some_and(|b| b == block) {
            n += BLOCK;
        }
        while rest.get(4 * n..4 * n + 4).is_some_and(|p| p == first) {
            n += 1;
        }
        runs.push((u32::from_be_bytes([0, first[0], first[1], first[2]]), n));
        rest = &rest[4 * n..];
    }
    runs
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
