//! The year archive's store: an earlier year's pages, kept between builds.
//!
//! A closed year's pages change only when something they show changes (see
//! `archive::keys`), and a monthly build would otherwise render them all again (on a
//! national site, some 3,400 pages per earlier year). So the pages of an earlier year are
//! kept in `.tiendo-cache/years/<YYYY>/` under a key made from everything they read, and
//! a build whose key matches puts them into the new site instead of rendering them. A
//! year's folder holds one file per page, named by its number, and the list of their
//! paths (`pages`), written last. A folder that is missing, unreadable, incomplete or of
//! another key is ignored, and the year is rendered and kept again.
//!
//! A kept page is copied into the site (see `Sink::copy_file`: by the kernel, or by
//! sharing blocks where the file system can), so a monthly build renders none of the
//! year's pages; the site's copy is a file of its own, so an edit of the published site
//! never reaches the cache. The cache's files are read-only, and never written again: a
//! year's folder is replaced whole, by renaming another in its place (see the cache's
//! rules in [`super`]).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::output::{self, OutputError, Sink};

/// The first line of every year's list of pages.
const MAGIC: &str = "tiendo earlier-year pages 2\n";

/// What the first line of a list of any version starts with (the first version kept a
/// year in one file, `<YYYY>.pack`).
const ANY_MAGIC: &[u8] = b"tiendo earlier-year pages ";

/// The list of a year's pages, in its folder.
const LIST: &str = "pages";

/// Where the site at `root` keeps its earlier years' pages; `None` when the cache is off
/// (see [`super`]).
pub fn folder(root: &Path) -> Option<PathBuf> {
    super::store(root, "years")
}

/// Whether `rel` is a path an earlier year's page may have: in the year's folder of the
/// page table, in segments of letters, digits, `.`, `-` and `_`, none of them `.` or `..`.
fn page_path(rel: &str, year: i32) -> bool {
    rel.strip_prefix(&crate::pages::archive_folder(year)).is_some_and(|rest| {
        rest.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        })
    })
}

/// The list of pages in `dir`, when `dir` is a folder (not a link to one) and the list a
/// file.
fn list_in(dir: &Path) -> Option<PathBuf> {
    let list = dir.join(LIST);
    (fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && fs::symlink_metadata(&list).is_ok_and(|m| m.is_file()))
        .then_some(list)
}

/// Whether `dir` holds a year's pages, of any version of the cache: one that may be
/// replaced.
fn is_year_folder(dir: &Path) -> bool {
    list_in(dir).is_some_and(|list| starts_with_magic(&list))
}

/// An earlier year's kept pages, checked: each page's path in the site, page `i` being
/// the file `i` of the folder.
pub struct Kept {
    dir: PathBuf,
    pages: Vec<String>,
}

/// `year`'s kept pages of key `key`, checked; `None` if there are none, or they are
/// incomplete, or of another key.
///
/// The list is [`MAGIC`], `key <key>`, then each page's path on a line, then
/// `end <pages>`; a list cut short has no end, and is not used. Every page's file must be
/// there, a file and not a link.
pub fn open(dir: &Path, year: i32, key: &str) -> Option<Kept> {
    let dir = dir.join(year.to_string());
    let text = fs::read_to_string(list_in(&dir)?).ok()?;
    let body = text.strip_prefix(MAGIC)?.strip_prefix(&format!("key {key}\n"))?.strip_suffix('\n')?;
    let (paths, end) = match body.rsplit_once('\n') {
        Some((paths, end)) => (paths.split('\n').collect(), end),
        None => (Vec::new(), body),
    };
    let count: usize = end.strip_prefix("end ")?.parse().ok()?;
    if count != paths.len() || !paths.iter().all(|rel| page_path(rel, year)) {
        return None;
    }
    // Every page's file, as the folder lists it: its type is the entry's own, so a link
    // is seen as a link.
    let mut there = vec![false; count];
    for entry in fs::read_dir(&dir).ok()? {
        let entry = entry.ok()?;
        let Some(i) = entry.file_name().to_str().and_then(|n| n.parse::<usize>().ok()) else { continue };
        if i < count && entry.file_type().ok()?.is_file() {
            there[i] = true;
        }
    }
    there.iter().all(|&t| t).then(|| Kept { dir, pages: paths.into_iter().map(str::to_owned).collect() })
}

impl Kept {
    /// Puts every kept page into `out`; how many. A page whose file has gone since the
    /// folder was checked is an error.
    pub fn copy_into(&self, out: &dyn Sink) -> Result<usize, OutputError> {
        use rayon::prelude::*;
        self.pages.par_iter().enumerate().try_for_each(|(i, rel)| {
            let from = self.dir.join(i.to_string());
            out.copy_file(rel, &from).map_err(|e| {
                if fs::symlink_metadata(&from).is_ok() {
                    e
                } else {
                    OutputError::refused(from.clone(), crate::t!("cache_changed"))
                }
            })
        })?;
        Ok(self.pages.len())
    }
}

/// A new folder of an earlier year's pages, filled as they are written (see
/// [`Keeping`]); [`Keeper::finish`] puts it in place once the build has succeeded.
/// Keeping is best effort: a folder that cannot be written is dropped, and the build
/// goes on.
pub struct Keeper {
    year: i32,
    key: String,
    dir: PathBuf,
    /// The folder being filled, beside where it goes.
    temp: PathBuf,
    /// Each page's path, page `i` being the file `i`.
    pages: Mutex<Vec<String>>,
    failed: AtomicBool,
}

impl Keeper {
    pub fn new(dir: &Path, year: i32, key: &str) -> Keeper {
        remove_abandoned(dir, year);
        let temp = dir.join(super::temp_name(&year.to_string()));
        // This process's own, from a build that stopped before it was dropped.
        if fs::symlink_metadata(&temp).is_ok_and(|m| m.is_dir()) {
            let _ = output::remove_tree(&temp);
        }
        let failed = AtomicBool::new(fs::create_dir(&temp).is_err());
        Keeper { year, key: key.to_owned(), dir: dir.to_owned(), temp, pages: Mutex::new(Vec::new()), failed }
    }

    /// Adds a page to the folder, read-only.
    fn keep(&self, rel: &str, bytes: &[u8]) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        let number = page_path(rel, self.year)
            .then(|| {
                let mut pages = self.pages.lock().ok()?;
                pages.push(rel.to_owned());
                Some(pages.len() - 1)
            })
            .flatten();
        let kept = number.is_some_and(|i| {
            let path = self.temp.join(i.to_string());
            let made = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| f.write_all(bytes))
                .is_ok();
            made && super::read_only(&path).is_ok()
        });
        if !kept {
            self.failed.store(true, Ordering::Relaxed);
        }
    }

    /// Ends the list of pages and puts the folder in place, instead of an earlier one of
    /// the year but of nothing else. What is left under the temporary name (this build's
    /// folder when it could not be put in place, or the one it replaced) is removed when
    /// the keeper is dropped.
    pub fn finish(self) {
        let path = self.dir.join(self.year.to_string());
        let listed = !self.failed.load(Ordering::Relaxed)
            && self.pages.lock().is_ok_and(|pages| {
                let mut list = format!("{MAGIC}key {}\n", self.key);
                for rel in pages.iter() {
                    list.push_str(rel);
                    list.push('\n');
                }
                list.push_str(&format!("end {}\n", pages.len()));
                crate::output::write_new(&self.temp.join(LIST), list.as_ref()).is_ok()
            });
        if listed {
            match fs::symlink_metadata(&path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    let _ = fs::rename(&self.temp, &path);
                }
                Ok(_) if is_year_folder(&path) => {
                    let _ = output::swap(&self.temp, &path);
                }
                _ => {}
            }
        }
        // Left by a version of tiendo that kept a year in one file.
        let pack = self.dir.join(format!("{}.pack", self.year));
        if fs::symlink_metadata(&pack).is_ok_and(|m| m.is_file()) && starts_with_magic(&pack) {
            let _ = fs::remove_file(&pack);
        }
    }
}

/// Removes the folders of `year` that builds which are no longer running (killed, or
/// stopped by a power cut) left half written. A build's own is named with its process
/// id, so that one running at the same time (`serve` and `build`) keeps its own.
fn remove_abandoned(dir: &Path, year: i32) {
    let year = year.to_string();
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_str().and_then(super::abandoned) == Some(year.as_str())
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = output::remove_tree(&entry.path());
        }
    }
}

fn starts_with_magic(path: &Path) -> bool {
    let mut head = [0u8; ANY_MAGIC.len()];
    fs::File::open(path).and_then(|mut f| io::Read::read_exact(&mut f, &mut head)).is_ok() && head == ANY_MAGIC
}

/// Where an earlier year's pages are written: into the site, and into its new folder
/// when it has a keeper.
pub struct Keeping<'a> {
    pub site: &'a dyn Sink,
    pub keeper: Option<&'a Keeper>,
}

impl Sink for Keeping<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.site.write(rel, bytes)?;
        if let Some(keeper) = self.keeper {
            keeper.keep(rel, bytes);
        }
        Ok(())
    }
}

impl Drop for Keeper {
    /// A build that stopped before [`Keeper::finish`] leaves no folder behind.
    fn drop(&mut self) {
        if fs::symlink_metadata(&self.temp).is_ok_and(|m| m.is_dir()) {
            let _ = output::remove_tree(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_earlier_years_page_paths_are_taken_from_the_cache() {
        assert!(page_path("years/2024/localities/long-my/index.html", 2024));
        assert!(page_path("years/2024/index.html", 2024));
        for bad in [
            "years/2025/index.html",
            "years/2024/../index.html",
            "years/2024//index.html",
            "years/2024/./index.html",
            "/years/2024/index.html",
            "index.html",
            "years/2024/a b.html",
            "years/2024/",
        ] {
            assert!(!page_path(bad, 2024), "{bad}");
        }
    }
}
