//! Share images: the 1200×630 picture a link shows when it is shared on Zalo or
//! Facebook (`og:image`), one per page that has a place to be shared (see
//! `Page::share_image`). This is the build's share-image stage.
//!
//! One file per job: [`card`] says what a picture shows and lays it out as SVG (what a
//! page's card holds is chosen by `render::share_cards`), [`paint`] draws the SVG into
//! pixels with the font built into the program, and [`png`] encodes the pixels. Drawing
//! costs milliseconds a picture, so pictures are kept between builds in the cache's
//! store (`cache::pictures`), named by a hash of their SVG ([`key`]): a build draws only
//! the pictures whose content changed, and of those, compresses only the rows that
//! changed (see [`Painter`]).

mod card;
mod glyphs;
mod paint;
mod png;

use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

pub use card::{Card, HEIGHT, Line, MAX_LINES, WIDTH, status_colour};
pub use paint::Painter;

use crate::cache::pictures::Pictures;
use crate::compute::Computed;
use crate::model::Site;
use crate::output::{OutputError, Sink, Staging};
use crate::words::Strings;

/// Part of every picture's cache name: changing how pictures are drawn or encoded
/// changes it, so no picture of an older drawing is reused.
pub(super) const DRAWING: &str = "share-card 11";

/// The name a card's picture is kept under: a hash of its SVG and of how it is drawn.
pub fn key(svg: &str) -> String {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: the same name in every run, for the same drawing.
    let mut h = std::hash::DefaultHasher::new();
    DRAWING.hash(&mut h);
    svg.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Which share images a build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Every page's, drawn where the cache does not have it.
    All,
    /// Only those the cache has: `serve` does not wait for pictures to be drawn.
    Kept,
}

/// The share images a build wrote, and the store they came from.
pub struct Written {
    /// How many are in the site.
    pub count: usize,
    /// How many of them were drawn, not taken from the cache.
    pub drawn: usize,
    which: Which,
    store: Option<Pictures>,
    /// The store's pictures this site uses.
    used: HashSet<String>,
}

impl Written {
    /// Once the site is published: the store keeps only the pictures of this site, when
    /// the build wrote every one of them.
    pub fn keep(&self) {
        if let (Which::All, Some(store)) = (self.which, &self.store) {
            store.keep_only(&self.used);
        }
    }
}

/// The share-image stage: writes every page's share image into `out`, from the cache
/// when it has the picture, else drawn (on every core) and kept there; with
/// [`Which::Kept`], only those the cache has. A picture that cannot be drawn is left out,
/// never the build.
pub fn images(
    root: &Path,
    site: &Site,
    computed: &Computed,
    strings: &Strings,
    out: &Staging,
    which: Which,
) -> Result<Written, OutputError> {
    use rayon::prelude::*;
    let cards = crate::render::share_cards(site, computed, strings);
    let store = Pictures::open(root);
    let painter: OnceLock<Painter> = OnceLock::new();
    // (key, whether it was drawn) of each picture written.
    let written: Vec<Option<(String, bool)>> = cards
        .par_iter()
        .map(|(rel, card)| {
            let svg = card.svg();
            let key = key(&svg);
            if let Some(path) = store.as_ref().and_then(|c| c.get(&key)) {
                out.copy_file(rel, &path)?;
                return Ok(Some((key, false)));
            }
            if which == Which::Kept {
                return Ok(None);
            }
            let painter =
                painter.get_or_init(|| Painter::keeping(&store.as_ref().map(Pictures::bands).unwrap_or_default()));
            let drawn = match &store {
                Some(c) => c.draw(painter, &svg, &key),
                None => painter.png(&svg).map(|png| (png, None)),
            };
            match drawn {
                Ok((_, Some(path))) => out.copy_file(rel, &path)?,
                Ok((png, None)) => out.write(rel, &png)?,
                Err(_) => return Ok(None),
            }
            Ok(Some((key, true)))
        })
        .collect::<Result<_, OutputError>>()?;
    let written: Vec<(String, bool)> = written.into_iter().flatten().collect();
    if let (Some(painter), Some(store)) = (painter.get(), &store) {
        store.keep_bands(&painter.kept(KEPT_BANDS.max(2 * cards.len())));
    }
    Ok(Written {
        count: written.len(),
        drawn: written.iter().filter(|(_, drawn)| *drawn).count(),
        which,
        used: written.into_iter().map(|(key, _)| key).collect(),
        store,
    })
}

/// Draws into the site's cache the share images that are not in it yet, one at a time:
/// what `serve` does after a build that did not wait for them, so that its next build
/// has them. The cache is written only by renames of whole files named by their content,
/// so a build running meanwhile takes a picture or leaves it out, never half of one.
pub fn draw_missing(root: &Path, site: &Site, computed: &Computed, strings: &Strings) {
    let Some(store) = Pictures::open(root) else { return };
    let painter: OnceLock<Painter> = OnceLock::new();
    let cards = crate::render::share_cards(site, computed, strings);
    for (_, card) in &cards {
        let svg = card.svg();
        let key = key(&svg);
        if store.get(&key).is_none() {
            let _ = store.draw(painter.get_or_init(|| Painter::keeping(&store.bands())), &svg, &key);
        }
    }
    if let Some(painter) = painter.get() {
        store.keep_bands(&painter.kept(KEPT_BANDS.max(2 * cards.len())));
    }
}

/// The fewest bands kept for the next build (see `Painter::kept`), whatever the site's
/// number of pictures.
const KEPT_BANDS: usize = 1000;

#[cfg(test)]
mod tests {
    use super::card::tests::card;
    use super::*;

    #[test]
    fn a_picture_is_kept_under_a_name_made_of_what_it_shows() {
        let svg = card().svg();
        assert_eq!(key(&svg), key(&card().svg()));
        let mut other = card();
        other.lines[0].big = "80,53 %".into();
        assert_ne!(key(&svg), key(&other.svg()));
    }
}
