//! A card's pixels as a PNG of at most 256 colours: a card is flat colours and the edges
//! of its letters, so a palette keeps what anyone sees in a quarter of the bytes of full
//! colour, and is quicker to compress.

use std::collections::HashMap;

use super::card::{HEIGHT, WIDTH};
use super::paint::Picture;

/// A run of pixels of one colour: the colour as 0xRRGGBB, and how many.
pub(super) type Run = (u32, usize);

/// The picture as a PNG of at most 256 colours. A card is flat colours and the edges of
/// its letters: some 270 colours in all, of which the 256 most used are kept and each
/// other pixel takes the nearest of them, a difference no one sees at the edge of a
/// letter. A quarter of the bytes of full colour, and quicker to compress.
pub(super) fn encode(picture: &Picture) -> Result<Vec<u8>, String> {
    // The picture as runs of one colour (most pixels are the colour of the one before):
    // each row's sides as its frame has them, found once, and its middle. The card's
    // background is opaque, so premultiplied pixels are the colours themselves.
    let width = picture.middle.width() as usize;
    let mut runs: Vec<Run> = Vec::with_capacity(1 << 16);
    for ((left, right), middle) in picture.frame.sides.iter().zip(picture.middle.data().chunks_exact(width * 4)) {
        left.iter().for_each(|&run| push(&mut runs, run));
        runs_into(middle, &mut runs);
        right.iter().for_each(|&run| push(&mut runs, run));
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
    let mut indexed = Vec::with_capacity((WIDTH * HEIGHT) as usize);
    for &(colour, n) in &runs {
        let i = *index.entry(colour).or_insert_with(|| nearest(colour));
        indexed.resize(indexed.len() + n, i);
    }
    if indexed.len() != (WIDTH * HEIGHT) as usize {
        return Err("a picture of the wrong size".into());
    }
    let mut out = Vec::with_capacity(48 * 1024);
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
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

/// The pixels (RGBA) as runs of one colour.
pub(super) fn runs(pixels: &[u8]) -> Vec<Run> {
    let mut runs = Vec::new();
    runs_into(pixels, &mut runs);
    runs
}

/// Adds `run` after `runs`, as part of the last when it is of the same colour.
fn push(runs: &mut Vec<Run>, (colour, n): Run) {
    match runs.last_mut() {
        Some(last) if last.0 == colour => last.1 += n,
        _ => runs.push((colour, n)),
    }
}

/// Adds the pixels (RGBA) after `runs` as runs of one colour. Most of a card is long
/// runs (the background, the bands, the bars), so a run is followed eight pixels at a
/// time while it lasts, then pixel by pixel.
fn runs_into(pixels: &[u8], runs: &mut Vec<Run>) {
    const BLOCK: usize = 8;
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
        push(runs, (u32::from_be_bytes([0, first[0], first[1], first[2]]), n));
        rest = &rest[4 * n..];
    }
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
