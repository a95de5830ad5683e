//! Earlier years' pages, kept between builds.
//!
//! A closed year's pages change only when something they show changes: its reports or
//! targets (or an earlier year's), the site's units and indicators, the theme, or the
//! program. Each month's build would otherwise render them all again (on a national
//! site, some 3,400 pages per earlier year). So the pages of an earlier year are kept in
//! the site's `.tiendo-cache/years/<YYYY>.pack`, under a key made from everything they
//! read (see `render::archive_key`), and a build whose key matches copies them into the
//! new site instead of rendering them. A pack that is missing, unreadable, damaged or of
//! another key is ignored, and the year is rendered and kept again: deleting the cache
//! only makes the next build slower.
//!
//! The cache is tiendo's own: it lives in a folder `.tiendo-cache` it creates, is never
//! reached through a link, and a pack is replaced only by a rename over a file that is
//! itself a pack. Every page copied from it is still a new file of the new site.

use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::{OutputError, Sink};

/// The site's cache folder, for everything that can be reused between builds.
pub const CACHE_DIR: &str = ".tiendo-cache";

/// The first line of every pack.
const MAGIC: &[u8] = b"tiendo earlier-year pages 1\n";

/// Where the site at `root` keeps its earlier years' pages; `None` when `.tiendo-cache`
/// is anything but a folder (a link, a file) or cannot be made.
pub fn folder(root: &Path) -> Option<PathBuf> {
    cache_folder(root, "years")
}

/// The folder `name` of the site's cache at `root`, made if it is missing; `None` when it
/// or `.tiendo-cache` is anything but a folder (a link, a file) or cannot be made.
pub fn cache_folder(root: &Path, name: &str) -> Option<PathBuf> {
    let cache = root.join(CACHE_DIR);
    let years = cache.join(name);
    for dir in [&cache, &years] {
        match fs::create_dir(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => return None,
        }
        // `create_dir` does not follow a link that is already there, and neither does this.
        if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
            return None;
        }
    }
    Some(years)
}

fn pack(dir: &Path, year: i32) -> PathBuf {
    dir.join(format!("{year}.pack"))
}

/// Whether `rel` is a path an earlier year's page may have: under `years/<year>/`, in
/// segments of letters, digits, `.`, `-` and `_`, none of them `.` or `..`.
fn page_path(rel: &str, year: i32) -> bool {
    rel.strip_prefix(&format!("years/{year}/")).is_some_and(|rest| {
        rest.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        })
    })
}

/// An earlier year's pack, checked: its pages are copied from the file as they are
/// written, so that they are never all in memory at once.
pub struct Pack {
    path: PathBuf,
    year: i32,
    /// Where its first page starts.
    start: u64,
}

/// The next line of `reader` without its newline; `None` at the end or on a line that
/// is not text.
fn next_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> Option<String> {
    line.clear();
    match reader.read_until(b'\n', line) {
        Ok(n) if n > 0 && line.last() == Some(&b'\n') => {
            line.pop();
            String::from_utf8(std::mem::take(line)).ok()
        }
        _ => None,
    }
}

/// A page's line, `<path>\t<length>`, when the path is one of `year`'s.
fn page_line(text: &str, year: i32) -> Option<(&str, u64)> {
    let (rel, len) = text.split_once('\t')?;
    if !page_path(rel, year) {
        return None;
    }
    Some((rel, len.parse().ok()?))
}

/// `year`'s pack of key `key`, checked from end to end; `None` if there is no such pack,
/// or it is damaged, or of another key.
///
/// A pack is its first line ([`MAGIC`]), `key <key>`, then each page as `<path>\t<length>`
/// and its bytes, then `end <pages>`: a pack cut short has no end, and is not used.
pub fn open(dir: &Path, year: i32, key: &str) -> Option<Pack> {
    let path = pack(dir, year);
    let meta = fs::symlink_metadata(&path).ok().filter(fs::Metadata::is_file)?;
    let size = meta.len();
    let mut reader = BufReader::new(fs::File::open(&path).ok()?);
    // The key first: a pack of another key is not read further.
    let header = format!("key {key}\n");
    let mut head = vec![0u8; MAGIC.len() + header.len()];
    reader.read_exact(&mut head).ok()?;
    if head[..MAGIC.len()] != *MAGIC || head[MAGIC.len()..] != *header.as_bytes() {
        return None;
    }
    let start = head.len() as u64;
    // Each page's line, skipping its bytes, to the end.
    let (mut line, mut at, mut pages) = (Vec::new(), start, 0usize);
    loop {
        let text = next_line(&mut reader, &mut line)?;
        at += text.len() as u64 + 1;
        if let Some(n) = text.strip_prefix("end ") {
            // Nothing after the end, and every page there.
            return (at == size && n.parse() == Ok(pages)).then_some(Pack { path, year, start });
        }
        let (_, len) = page_line(&text, year)?;
        if len > size - at {
            return None;
        }
        reader.seek_relative(i64::try_from(len).ok()?).ok()?;
        at += len;
        pages += 1;
    }
}

impl Pack {
    /// Writes every page of the pack into `out`; how many. The pack was checked when it
    /// was opened: one that changed since is an error.
    pub fn copy_into(&self, out: &dyn Sink) -> Result<usize, OutputError> {
        let changed = || OutputError::refused(self.path.clone(), crate::t!("cache_changed"));
        let mut file = fs::File::open(&self.path).map_err(|e| OutputError::new(self.path.clone(), e))?;
        file.seek(SeekFrom::Start(self.start)).map_err(|e| OutputError::new(self.path.clone(), e))?;
        let mut reader = BufReader::with_capacity(1 << 18, file);
        let (mut line, mut page, mut pages) = (Vec::new(), Vec::new(), 0);
        loop {
            let text = next_line(&mut reader, &mut line).ok_or_else(changed)?;
            if text.starts_with("end ") {
                return Ok(pages);
            }
            let (rel, len) = page_line(&text, self.year).ok_or_else(changed)?;
            page.resize(usize::try_from(len).map_err(|_| changed())?, 0);
            reader.read_exact(&mut page).map_err(|_| changed())?;
            out.write(rel, &page)?;
            pages += 1;
        }
    }
}

/// A new pack of an earlier year's pages, filled as they are written (see [`Keeping`]);
/// [`Keeper::finish`] puts it in place once the build has succeeded. Keeping is best
/// effort: a pack that cannot be written is dropped, and the build goes on.
pub struct Keeper {
    year: i32,
    dir: PathBuf,
    /// The pack being written, beside where it goes.
    temp: PathBuf,
    file: Mutex<Option<BufWriter<fs::File>>>,
    pages: AtomicUsize,
    failed: AtomicBool,
}

impl Keeper {
    pub fn new(dir: &Path, year: i32, key: &str) -> Keeper {
        remove_abandoned(dir, year);
        let temp = dir.join(format!(".{year}.pack.{}.tmp", super::build_id()));
        let _ = fs::remove_file(&temp);
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map(BufWriter::new)
            .and_then(|mut f| {
                f.write_all(MAGIC)?;
                writeln!(f, "key {key}")?;
                Ok(f)
            })
            .ok();
        let failed = AtomicBool::new(file.is_none());
        Keeper { year, dir: dir.to_owned(), temp, file: Mutex::new(file), pages: AtomicUsize::new(0), failed }
    }

    /// Adds a page to the pack.
    fn keep(&self, rel: &str, bytes: &[u8]) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        let kept = page_path(rel, self.year)
            && self.file.lock().ok().is_some_and(|mut file| {
                file.as_mut()
                    .is_some_and(|f| writeln!(f, "{rel}\t{}", bytes.len()).and_then(|()| f.write_all(bytes)).is_ok())
            });
        if kept {
            self.pages.fetch_add(1, Ordering::Relaxed);
        } else {
            self.failed.store(true, Ordering::Relaxed);
        }
    }

    /// Ends the pack and puts it in place, over an earlier pack of the year but over
    /// nothing else; on any failure, removes it.
    pub fn finish(self) {
        let file = self.file.lock().ok().and_then(|mut f| f.take());
        let path = pack(&self.dir, self.year);
        let ours = match fs::symlink_metadata(&path) {
            Err(e) => e.kind() == io::ErrorKind::NotFound,
            Ok(m) => m.is_file() && starts_with_magic(&path),
        };
        let done = !self.failed.load(Ordering::Relaxed)
            && ours
            && file.is_some_and(|mut f| {
                writeln!(f, "end {}", self.pages.load(Ordering::Relaxed)).is_ok()
                    && f.into_inner().is_ok()
                    && fs::rename(&self.temp, &path).is_ok()
            });
        if !done {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Removes the packs of `year` that builds which are no longer running (killed, or
/// stopped by a power cut) left half written. A build's own is named with its process
/// id, so that one running at the same time (`serve` and `build`) keeps its own.
fn remove_abandoned(dir: &Path, year: i32) {
    let prefix = format!(".{year}.pack.");
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|n| n.strip_prefix(&prefix)?.strip_suffix(".tmp")) else {
            continue;
        };
        if super::ended(id) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn starts_with_magic(path: &Path) -> bool {
    let mut head = [0u8; MAGIC.len()];
    fs::File::open(path).and_then(|mut f| io::Read::read_exact(&mut f, &mut head)).is_ok() && head == MAGIC
}

/// Where an earlier year's pages are written: into the site, and into its new pack when
/// it has a keeper.
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
    /// A build that stopped before [`Keeper::finish`] leaves no file behind.
    fn drop(&mut self) {
        if let Ok(mut file) = self.file.lock() {
            file.take();
        }
        let _ = fs::remove_file(&self.temp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_earlier_years_page_paths_are_taken_from_a_pack() {
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
