//! Output: write the site into a staging folder beside the output folder, then
//! put it in place only when everything succeeded.
//!
//! The output folder is never emptied or written into. On Linux the finished
//! staging folder and the output folder are exchanged in one atomic step
//! (`renameat2` with `RENAME_EXCHANGE`), so at every instant, even if the process
//! is killed, the output folder holds either the complete old site or the complete
//! new one. Elsewhere (or on a file system without the exchange) two renames are
//! used, which leaves a moment without an output folder but never a mixed one.
//!
//! Only what tiendo made is ever replaced or deleted. Every site it writes carries a
//! marker file ([`MARKER`]) at its root; an existing output folder is replaced only
//! when it carries the marker or is empty, and anything else is refused before the
//! build starts. Paths are resolved as the system sees them (`..`, symbolic links)
//! before any of these checks: a symlinked output is published at the link's target,
//! and the link stays. Every published file is created new in a new folder, never
//! written over, so a hard-linked backup of an earlier site keeps its content; the
//! replaced site is deleted without following any link inside it.

pub mod changes;
mod target;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::t;
use crate::words::messages::{Text, io_reason};

/// The file that marks a folder as a site tiendo built, at the root of every output.
pub const MARKER: &str = ".tiendo-site";

const MARKER_TEXT: &str = "This folder is a site built by tiendo.\ntiendo replaces the whole folder on every build: keep no other files in it.\n";

/// What the marker of a site built for `output` says: the folder it was built for, so that
/// a marker copied elsewhere with the site (`rsync -a public/ /var/www/html/`) does not
/// make the folder it was copied into tiendo's.
fn marker_text(output: &Path) -> String {
    format!("{MARKER_TEXT}{MARKER_FOLDER}{}\n", output.display())
}

/// The line of the marker that names the folder it was written for.
const MARKER_FOLDER: &str = "folder: ";

/// An I/O failure with the path it happened on.
#[derive(Debug)]
pub struct OutputError {
    pub path: PathBuf,
    pub source: io::Error,
    /// Why tiendo itself refused, when it was not the system.
    pub why: Option<Text>,
}

impl OutputError {
    pub fn new(path: PathBuf, source: io::Error) -> OutputError {
        OutputError { path, source, why: None }
    }

    /// tiendo's own refusal to write at `path`, for `why`.
    pub fn refused(path: PathBuf, why: Text) -> OutputError {
        OutputError { path, source: io::Error::other(why.to_string()), why: Some(why) }
    }

    /// What went wrong, in words of the catalogues.
    pub fn text(&self) -> Text {
        let path = self.path.display().to_string();
        match &self.why {
            Some(why) => t!("cannot_write", path, why = why.clone()),
            None => t!("cannot_write", path, why = io_reason(&self.source)),
        }
    }

    /// Whether the disk (or the user's quota) is full.
    pub fn is_disk_full(&self) -> bool {
        if self.source.kind() == io::ErrorKind::StorageFull || self.source.kind() == io::ErrorKind::QuotaExceeded {
            return true;
        }
        #[cfg(unix)]
        if let Some(code) = self.source.raw_os_error() {
            return code == libc::ENOSPC || code == libc::EDQUOT;
        }
        false
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for OutputError {}

pub use target::check_output;
use target::marked_for;
use target::{is_empty, replaceable};

fn at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::new(path.to_owned(), source)
}

/// A folder being filled with a new site. Dropped without [`Staging::publish`], it is
/// removed and the output folder is untouched.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    published: bool,
    /// Every file written, with a hash of its bytes or the cache's file it is (see
    /// [`Staging::sums`]).
    sums: std::sync::Mutex<Vec<(String, Sum)>>,
}

/// What is known of a written file's bytes.
#[derive(Clone)]
enum Sum {
    /// Their hash.
    Bytes(u128),
    /// The cache's file they are a copy of.
    Cached(PathBuf),
}

/// The hash of the bytes of cache files, by which file each is (see [`Staging::sums`]).
pub type Linked = std::collections::HashMap<u128, u128>;

/// A 128-bit hash of bytes, the same in every run.
fn sum_of(parts: &[&[u8]]) -> u128 {
    use siphasher::sip128::Hasher128;
    let mut h = siphasher::sip128::SipHasher13::new();
    for part in parts {
        std::hash::Hasher::write(&mut h, part);
    }
    h.finish128().as_u128()
}

/// What publishing left to tell.
#[derive(Debug, Default)]
pub struct Published {
    /// The replaced site could not be deleted (it has been swapped out of the way):
    /// the folder it is in, and the file that could not be deleted.
    pub leftover: Option<(PathBuf, OutputError)>,
}

impl Staging {
    /// Creates an empty staging folder beside `output` (a path [`check_output`] returned):
    /// on the same file system, so that publishing is a rename. Staging folders left by
    /// killed builds are removed.
    pub fn new(output: &Path) -> Result<Staging, OutputError> {
        let parent = output.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&parent).map_err(at(&parent))?;
        let prefix = staging_prefix(output);
        remove_stale(output, &prefix);
        let dir = parent.join(format!("{prefix}{}", build_id()));
        if let Err(e) = fs::create_dir(&dir) {
            // Left by an earlier build of this process, or of a process that had its id.
            if e.kind() != io::ErrorKind::AlreadyExists || !remove_ours(&dir, output) {
                return Err(OutputError::new(dir, e));
            }
            fs::create_dir(&dir).map_err(at(&dir))?;
        }
        let staging = Staging { dir, output: output.to_owned(), published: false, sums: Default::default() };
        // First, so that a staging folder left by a killed build is known as ours.
        staging.write(MARKER, marker_text(output).as_bytes())?;
        Ok(staging)
    }

    /// Creates the file `rel` (a `/`-separated path made from validated ids), which
    /// must not exist yet: every file of a site is new.
    fn create(&self, rel: &str) -> Result<fs::File, OutputError> {
        let path = self.dir.join(rel);
        in_folder(&path, rel, |path| fs::OpenOptions::new().write(true).create_new(true).open(path)).map_err(at(&path))
    }

    /// Writes `bytes` at `rel`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_parts(rel, &[bytes])
    }

    fn record(&self, rel: &str, sum: Sum) {
        self.sums.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((rel.to_owned(), sum));
    }

    /// Every file written so far, with a hash of its bytes; and the hashes of the cache's
    /// files among them, by which file each is. Those are hashed once: `known` holds the
    /// hash of each cache file hashed by an earlier build (the cache never changes a file).
    pub fn sums(&self, known: &Linked) -> (std::collections::BTreeMap<String, u128>, Linked) {
        use rayon::prelude::*;
        let sums = self.sums.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let linked: Vec<(u128, PathBuf)> = sums
            .iter()
            .filter_map(|(_, s)| match s {
                Sum::Cached(from) => Some((identity(from), from.clone())),
                Sum::Bytes(_) => None,
            })
            .collect();
        let used: Linked = linked
            .par_iter()
            .filter_map(|(id, from)| match known.get(id) {
                Some(sum) => Some((*id, *sum)),
                None => fs::read(from).ok().map(|bytes| (*id, sum_of(&[&bytes]))),
            })
            .collect();
        let mut ids = linked.iter().map(|(id, _)| *id);
        let sums = sums
            .into_iter()
            .filter_map(|(rel, s)| match s {
                Sum::Bytes(sum) => Some((rel, sum)),
                Sum::Cached(_) => ids.next().and_then(|id| used.get(&id)).map(|sum| (rel, *sum)),
            })
            .collect();
        (sums, used)
    }

    /// Writes the concatenation of `parts` at `rel`, without first joining them in memory.
    pub fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<(), OutputError> {
        use std::io::Write;
        let mut file = self.create(rel)?;
        for part in parts {
            file.write_all(part).map_err(at(&self.dir.join(rel)))?;
        }
        if rel != MARKER {
            self.record(rel, Sum::Bytes(sum_of(parts)));
        }
        Ok(())
    }

    /// The folder being filled.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Puts the new site in place of the old one, then deletes the old one.
    pub fn publish(mut self) -> Result<Published, OutputError> {
        // Checked before the build, and again now: the build may have been overtaken.
        replaceable(&self.output).map_err(|why| OutputError::refused(self.output.clone(), why))?;
        if fs::symlink_metadata(&self.output).is_err() {
            fs::rename(&self.dir, &self.output).map_err(at(&self.output))?;
            self.published = true;
            return Ok(Published::default());
        }
        swap(&self.dir, &self.output).map_err(at(&self.output))?;
        self.published = true;
        // The staging folder's name now holds the old site.
        let leftover = remove_tree(&self.dir).err().map(|e| (self.dir.clone(), e));
        Ok(Published { leftover })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Where rendered files go: a staging folder for a build, or a served site for the few
/// pages an edit changed.
pub trait Sink: Sync {
    /// Writes `bytes` at `rel`, a `/`-separated path made from validated ids.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError>;

    /// Puts at `rel` the same bytes as the file `from` of tiendo's cache, which is never
    /// changed once written.
    fn copy_file(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let bytes = fs::read(from).map_err(at(from))?;
        self.write(rel, &bytes)
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        Staging::write(self, rel, bytes)
    }

    /// A copy of the cached file, a file of its own, writable by its owner like every
    /// other published file: nothing done to the published site (an editor, `rsync
    /// --inplace`, a `cp` over it) can reach the cache through it. The system copies it
    /// in the kernel, or shares its blocks where the file system can (a reflink).
    fn copy_file(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let path = self.dir.join(rel);
        let copied = in_folder(&path, rel, |path| {
            let mut source = fs::File::open(from)?;
            let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path)?;
            io::copy(&mut source, &mut file).map(drop)
        });
        copied.map_err(|e| OutputError::new(path, e))?;
        self.record(rel, Sum::Cached(from.to_owned()));
        Ok(())
    }
}

/// Writes `bytes` into a new file at `path`: never through a link or over a file that is
/// already there (a temporary name someone planted a link at), which is an error.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(bytes)
}

/// Which file of the cache `from` is, as a hash: its place on the disk, size and time.
fn identity(from: &Path) -> u128 {
    let meta = fs::metadata(from).ok();
    let time = meta.as_ref().and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    #[cfg(unix)]
    let place = meta.as_ref().map(|m| {
        use std::os::unix::fs::MetadataExt;
        (m.dev(), m.ino())
    });
    #[cfg(not(unix))]
    let place: Option<(u64, u64)> = None;
    let text = format!("linked {} {place:?} {:?} {time:?}", from.display(), meta.map(|m| m.len()));
    sum_of(&[text.as_bytes()])
}

/// Makes `path` (`rel` in the site) with `make`, and the folders it is in when they are
/// missing.
fn in_folder<T>(path: &Path, rel: &str, make: impl Fn(&Path) -> io::Result<T>) -> io::Result<T> {
    let Some(parent) = path.parent() else { return make(path) };
    // A page is the only file of its folder, which is new: make the folder first, rather
    // than fail to make the page in it.
    if rel.ends_with("/index.html") {
        fs::create_dir_all(parent)?;
        return make(path);
    }
    // Other folders hold many files: try first, and make the folder only when it is
    // missing, rather than check every folder of the path each time.
    match make(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(parent)?;
            make(path)
        }
        other => other,
    }
}

/// Files written straight into a finished site, each a new file put in place by a
/// rename so that no reader sees half a file: for re-rendering a few pages of the site
/// `serve` serves.
pub struct InPlace {
    pub dir: PathBuf,
}

impl Sink for InPlace {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(rel);
        let fresh = self.dir.join(format!("{rel}.tiendo-new"));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(at(parent))?;
        }
        let _ = fs::remove_file(&fresh);
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&fresh).map_err(at(&fresh))?;
        io::Write::write_all(&mut file, bytes).map_err(at(&fresh))?;
        fs::rename(&fresh, &path).map_err(at(&path))
    }
}

/// Removes a folder tiendo made and everything in it, its subfolders in parallel (a
/// national site has some 17,000 files). Links inside are removed, never followed;
/// `dir` itself must be a folder, not a link to one.
pub fn remove_tree(dir: &Path) -> Result<(), OutputError> {
    let meta = fs::symlink_metadata(dir).map_err(at(dir))?;
    if !meta.is_dir() {
        return Err(OutputError::refused(dir.to_owned(), t!("output_is_a_file")));
    }
    // The marker last: a deletion stopped halfway (the process killed) leaves a folder
    // still marked as tiendo's, which the next build removes.
    remove_contents(dir, Some(MARKER))?;
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(OutputError::new(dir.join(MARKER), e)),
        _ => {}
    }
    fs::remove_dir(dir).map_err(at(dir))
}

/// Removes everything in `dir` but the entry named `keep`.
fn remove_contents(dir: &Path, keep: Option<&str>) -> Result<(), OutputError> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)
        .map_err(at(dir))?
        .filter(|e| !e.as_ref().is_ok_and(|e| keep.is_some_and(|k| e.file_name() == k)))
        .collect::<Result<_, _>>()
        .map_err(at(dir))?;
    entries.par_iter().try_for_each(|e| {
        let path = e.path();
        // The entry's own type: a link to a folder is a link, removed as one.
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_contents(&path, None)?;
            fs::remove_dir(&path).map_err(at(&path))
        } else {
            fs::remove_file(&path).map_err(at(&path))
        }
    })
}

/// Removes `dir`, a staging folder for `output`, if it is a folder tiendo made for it
/// (marked) or an empty one; whether it is gone.
fn remove_ours(dir: &Path, output: &Path) -> bool {
    let is_folder = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    is_folder && (marked_for(dir, output) || is_empty(dir)) && remove_tree(dir).is_ok()
}

/// `.public.tiendo-` for an output folder named `public`; the build's id follows.
fn staging_prefix(output: &Path) -> String {
    let name = output.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.tiendo-")
}

/// Removes the staging folders beside `output` (named `prefix` and a build's id) of builds
/// no longer running (killed, or crashed), when they are tiendo's: marked, or empty.
fn remove_stale(output: &Path, prefix: &str) {
    let Some(parent) = output.parent() else { return };
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else { continue };
        if ended(id) {
            remove_ours(&entry.path(), output);
        }
    }
}

/// This build's id, for the names of what it leaves while it runs: its process id and,
/// where the system tells it, when the process started, so that a later process given
/// the same id by the system is not taken for it.
pub(crate) fn build_id() -> String {
    let pid = std::process::id();
    match started(pid) {
        Some(start) => format!("{pid}-{start}"),
        None => pid.to_string(),
    }
}

/// Whether the build of `id` (see [`build_id`]) has surely ended: not this one, and no
/// process of its id has been running since it started. `false` for what is not a
/// build's id, and wherever this cannot be known.
pub(crate) fn ended(id: &str) -> bool {
    let (pid, start) = match id.split_once('-') {
        Some((pid, start)) => (pid, start.parse::<u64>().ok()),
        None => (id, None),
    };
    let Ok(pid) = pid.parse::<u32>() else { return false };
    if pid == std::process::id() {
        return false;
    }
    if !cfg!(target_os = "linux") {
        return !exists(pid);
    }
    match (started(pid), start) {
        (None, _) => !exists(pid),
        (Some(now), Some(then)) => now != then,
        (Some(_), None) => false,
    }
}

/// When process `pid` started, in clock ticks since boot (`/proc/PID/stat`, field 22).
#[cfg(target_os = "linux")]
fn started(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, field 2, is in parentheses and may hold spaces.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn started(_pid: u32) -> Option<u64> {
    None
}

/// Whether a process `pid` exists (where this cannot be known: yes).
fn exists(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // No process has an id the system's type cannot hold.
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // Signal 0 only asks whether the process exists; EPERM means it does.
        // SAFETY: kill with signal 0 sends nothing and touches no memory of ours.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Exchanges two folders' names in one atomic step where the system can.
#[cfg(target_os = "linux")]
pub(crate) fn swap(new: &Path, old: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(new.as_os_str().as_bytes())?;
    let b = CString::new(old.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call;
    // renameat2 reads them and touches no other memory of ours.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        return Ok(());
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // The file system or kernel cannot exchange: fall back to two renames.
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => swap_by_renames(new, old),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn swap(new: &Path, old: &Path) -> io::Result<()> {
    swap_by_renames(new, old)
}

/// The old site goes aside, the new one takes its name, and the old one takes the
/// new one's former name, where `publish` removes it.
fn swap_by_renames(new: &Path, old: &Path) -> io::Result<()> {
    let mut aside = new.as_os_str().to_owned();
    aside.push("-old");
    let aside = PathBuf::from(aside);
    fs::rename(old, &aside)?;
    if let Err(e) = fs::rename(new, old) {
        // Put the old site back rather than leave nothing.
        let _ = fs::rename(&aside, old);
        return Err(e);
    }
    fs::rename(&aside, new)
}

/// A fresh, empty folder for one unit test.
#[cfg(test)]
fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tiendo-out-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
    d
}

#[cfg(test)]
mod tests {
    use super::target::is_marked;
    use super::*;

    #[test]
    fn a_site_being_deleted_stays_marked_until_its_last_file() {
        let dir = temp("marker-last");
        let site = dir.join(".public.tiendo-1-1");
        let output = dir.join("public");
        fs::create_dir_all(site.join("localities/a")).unwrap();
        fs::write(site.join(MARKER), marker_text(&output)).unwrap();
        fs::write(site.join("index.html"), "x").unwrap();
        fs::write(site.join("localities/a/index.html"), "x").unwrap();
        // What a deletion stopped just before its end leaves: the marker alone.
        remove_contents(&site, Some(MARKER)).unwrap();
        assert!(marked_for(&site, &output), "still known as tiendo's");
        assert_eq!(fs::read_dir(&site).unwrap().count(), 1);
        remove_tree(&site).unwrap();
        assert!(!site.exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    #[cfg(unix)]
    fn a_new_file_is_never_written_through_a_planted_link() {
        let dir = temp("write-new");
        let target = dir.join("elsewhere");
        fs::write(&target, "mine").unwrap();
        std::os::unix::fs::symlink(&target, dir.join("temp")).unwrap();
        assert!(write_new(&dir.join("temp"), b"the cache's bytes").is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "mine");
        write_new(&dir.join("fresh"), b"x").unwrap();
        assert!(write_new(&dir.join("fresh"), b"y").is_err(), "nor over a file already there");
        fs::remove_dir_all(&dir).unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn publish_replaces_a_site_tiendo_made_and_leaves_nothing_beside_it() {
        let base = temp("publish");
        let out = base.join("public");
        let first = Staging::new(&out).unwrap();
        first.write("old/index.html", b"old").unwrap();
        first.publish().unwrap();
        assert!(is_marked(&out));
        let second = Staging::new(&out).unwrap();
        second.write("localities/a/index.html", b"new").unwrap();
        let done = second.publish().unwrap();
        assert!(done.leftover.is_none());
        assert_eq!(fs::read_to_string(out.join("localities/a/index.html")).unwrap(), "new");
        assert!(!out.join("old").exists());
        assert_eq!(names(&base), vec!["public"]);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn publish_into_a_new_folder() {
        let base = temp("fresh");
        let out = base.join("deeper/public");
        let s = Staging::new(&out).unwrap();
        s.write("index.html", b"new").unwrap();
        s.publish().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn dropped_staging_leaves_the_output_untouched_and_nothing_beside_it() {
        let base = temp("drop");
        let out = base.join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join(MARKER), "").unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.write("index.html", b"new").unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(names(&base), vec!["public"]);
        fs::remove_dir_all(&base).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_build_is_known_by_its_process_and_when_that_started() {
        let me = build_id();
        assert!(me.starts_with(&format!("{}-", std::process::id())), "{me}");
        assert!(!ended(&me), "this build runs");
        // A running process (init) that started at another time is another build.
        let init = started(1).unwrap();
        assert!(!ended(&format!("1-{init}")));
        assert!(ended(&format!("1-{}", init + 1)), "the id was given to a later process");
        assert!(!ended("1"), "an id without its start, of a running process, may be a build");
        assert!(ended(&format!("{}", u32::MAX - 1)));
        assert!(!ended("not-a-build"));
    }

    #[test]
    fn stale_staging_of_dead_builds_is_removed_only_when_it_is_ours() {
        let base = temp("stale");
        let out = base.join("public");
        // No process has these ids on Linux (pids are at most 2^22).
        let stale = base.join(format!(".public.tiendo-{}", u32::MAX - 1));
        fs::create_dir_all(stale.join("localities")).unwrap();
        fs::write(stale.join(MARKER), marker_text(&out)).unwrap();
        let foreign = base.join(format!(".public.tiendo-{}", u32::MAX - 2));
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), "mine").unwrap();
        // Copied here with a site built for another folder.
        let copied = base.join(format!(".public.tiendo-{}", u32::MAX - 3));
        fs::create_dir_all(&copied).unwrap();
        fs::write(copied.join(MARKER), marker_text(&base.join("elsewhere/public"))).unwrap();
        let s = Staging::new(&out).unwrap();
        if cfg!(target_os = "linux") {
            assert!(!stale.exists());
        }
        assert_eq!(fs::read_to_string(foreign.join("notes.txt")).unwrap(), "mine");
        assert!(copied.join(MARKER).is_file());
        s.publish().unwrap();
        fs::remove_dir_all(&base).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn removing_a_site_never_follows_a_link() {
        let base = temp("links");
        let outside = base.join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("keep.txt"), "keep").unwrap();
        let site = base.join("site");
        fs::create_dir_all(site.join("a")).unwrap();
        std::os::unix::fs::symlink(&outside, site.join("a/link")).unwrap();
        std::os::unix::fs::symlink(&outside, base.join("site-link")).unwrap();
        assert!(remove_tree(&base.join("site-link")).is_err(), "a link to a folder is not a folder");
        remove_tree(&site).unwrap();
        assert!(!site.exists());
        assert_eq!(fs::read_to_string(outside.join("keep.txt")).unwrap(), "keep");
        fs::remove_dir_all(&base).unwrap();
    }
}
