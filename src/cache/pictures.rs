//! The share images' store: `.tiendo-cache/share/<key>.png`, each picture named by a hash
//! of what it shows and how it is drawn (see `share::key`), written once by a rename and
//! never changed (see the cache's rules in [`super`]). A build draws only the pictures
//! whose content changed; a picture that is not a regular file is not used. Beside them,
//! `bands`: the rows of pictures that stay the same from month to month, compressed (see
//! `share::Painter::kept`), for the next build to draw only what changed.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::share::Painter;

pub struct Pictures {
    dir: PathBuf,
}

impl Pictures {
    /// The pictures of the site at `root`; `None` when the cache is off (see [`super`]).
    pub fn open(root: &Path) -> Option<Pictures> {
        super::store(root, "share").map(|dir| Pictures { dir })
    }

    /// Where the picture of `key` is, if it is kept.
    pub fn get(&self, key: &str) -> Option<PathBuf> {
        let path = self.path(key);
        fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()).then_some(path)
    }

    /// Keeps `png` as the picture of `key`; where it now is.
    pub fn put(&self, key: &str, png: &[u8]) -> io::Result<PathBuf> {
        super::put(&self.dir, &file_name(key), png)
    }

    /// Draws `svg` (a card's, of key `key`) and keeps it; its PNG, and where it is kept
    /// (`None` when it could not be written there).
    pub fn draw(&self, painter: &Painter, svg: &str, key: &str) -> Result<(Vec<u8>, Option<PathBuf>), String> {
        let png = painter.png(svg)?;
        let kept = self.put(key, &png).ok();
        Ok((png, kept))
    }

    /// The bands an earlier build kept (see `share::Painter::kept`); none when there is no
    /// such regular file.
    pub fn bands(&self) -> Vec<u8> {
        let path = self.dir.join(BANDS);
        let regular = fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        regular.then(|| fs::read(&path).ok()).flatten().unwrap_or_default()
    }

    /// Keeps `bands` for the next build, in place of those kept before (by a rename: the
    /// file is read-only, never written in place).
    pub fn keep_bands(&self, bands: &[u8]) {
        let _ = super::put(&self.dir, BANDS, bands);
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(file_name(key))
    }

    /// Removes the kept pictures not among `used`, and what builds that ended left half
    /// written, so that the cache holds one site's pictures, not every month's.
    pub fn keep_only(&self, used: &HashSet<String>) {
        let Ok(entries) = fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let stale = match name.strip_suffix(".png") {
                Some(key) if !name.starts_with('.') => is_key(key) && !used.contains(key),
                // Half written: `<key>.png`, `<key>` alone as an earlier version named it, or
                // the bands.
                _ => super::abandoned(name).is_some_and(|n| n == BANDS || is_key(n.strip_suffix(".png").unwrap_or(n))),
            };
            if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The file of the bands kept for the next build.
const BANDS: &str = "bands";

fn file_name(key: &str) -> String {
    format!("{key}.png")
}

/// Whether `name` is a picture's key: sixteen lowercase hexadecimal digits.
fn is_key(name: &str) -> bool {
    name.len() == 16 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
