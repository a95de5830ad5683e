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

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as a site tiendo built, at the root of every output.
pub const MARKER: &str = ".tiendo-site";

const MARKER_TEXT: &str = "This folder is a site built by tiendo.\ntiendo replaces the whole folder on every build: keep no other files in it.\n";

/// An I/O failure with the path it happened on.
#[derive(Debug)]
pub struct OutputError {
    pub path: PathBuf,
    pub source: io::Error,
}

impl OutputError {
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

fn at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError { path: path.to_owned(), source }
}

/// At most this many symbolic links are followed while resolving one path, as the system does.
const MAX_LINKS: usize = 40;

/// `path` as the system sees it: absolute, with `.` and `..` applied and every symbolic
/// link resolved, also when its last components do not exist yet (they are then taken
/// as written). A link that points nowhere is followed to where it points.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut done = PathBuf::new();
    let mut todo: Vec<std::ffi::OsString> = Vec::new();
    push_components(&absolute, &mut done, &mut todo);
    let mut links = 0;
    while let Some(part) = todo.pop() {
        if part == ".." {
            done.pop();
            continue;
        }
        let next = done.join(&part);
        match fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(io::Error::other(format!("{}: too many symbolic links", path.display())));
                }
                let target = fs::read_link(&next)?;
                if target.is_absolute() {
                    done = PathBuf::new();
                }
                push_components(&target, &mut done, &mut todo);
            }
            _ => done = next,
        }
    }
    Ok(done)
}

/// Queues the components of `path` (last first, so `pop` takes them in order); a root
/// component resets `done`.
fn push_components(path: &Path, done: &mut PathBuf, todo: &mut Vec<std::ffi::OsString>) {
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => done.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(p) => parts.push(p.to_owned()),
        }
    }
    todo.extend(parts.into_iter().rev());
}

/// Where a build of the site at `root` may publish when asked for `output`: the output
/// resolved (a symlinked output is published at its target). Refused, with what to do,
/// when it would replace the site's own files, or is a folder tiendo did not make.
pub fn check_output(root: &Path, output: &Path) -> Result<PathBuf, String> {
    let shown = output.display();
    let root = resolve(root).map_err(|e| format!("the site folder {}: {e}", root.display()))?;
    let target = resolve(output).map_err(|e| format!("the output folder {shown}: {e}"))?;
    let via = if target == std::path::absolute(output).unwrap_or_default() {
        String::new()
    } else {
        format!(" (where {shown} leads)")
    };
    if root.starts_with(&target) {
        return Err(format!(
            "the output folder {}{via} holds the site itself, and publishing replaces the whole folder; \
             give a folder inside it, like {}",
            target.display(),
            root.join("public").display()
        ));
    }
    for input in ["data", "content", "templates"] {
        if target.starts_with(root.join(input)) {
            return Err(format!(
                "the output folder {}{via} is inside the site's {input}/ folder; give another one, like {}",
                target.display(),
                root.join("public").display()
            ));
        }
    }
    replaceable(&target).map_err(|why| format!("{}{via}: {why}", target.display()))?;
    Ok(target)
}

/// Whether a build may put a new site at `dir`: it does not exist, or it is a folder
/// that tiendo made (it carries the marker) or an empty one, and can be replaced.
/// The reason and what to do otherwise.
fn replaceable(dir: &Path) -> Result<(), String> {
    let parent = dir.parent().unwrap_or(dir);
    let meta = match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Its parent must take the staging folder; creating missing folders is left to the build.
            return match nearest_existing(parent) {
                Some(p) if !writable(&p) => Err(format!(
                    "tiendo cannot create the output here: {} is not writable for you; give a folder you can write to",
                    p.display()
                )),
                _ => Ok(()),
            };
        }
        Err(e) => return Err(format!("cannot be read: {e}")),
        Ok(meta) => meta,
    };
    if !meta.is_dir() {
        return Err("this is a file, not a folder; give a folder for the site with --output".to_owned());
    }
    if !is_marked(dir) && !is_empty(dir) {
        return Err(format!(
            "this folder already exists and tiendo did not make it (it has no {MARKER} file), \
             so it is left as it is: a build replaces the whole folder.\n\
             Give a new or empty folder with --output (for a web server, a folder of its own, e.g. /var/www/html/tien-do). \
             If it only holds a site that an older tiendo built, delete it and build again."
        ));
    }
    if !writable(dir) {
        return Err(format!(
            "this site cannot be replaced: the folder is read-only for you, or belongs to another user \
             (after `sudo tiendo build`, for example).\n\
             Make it yours again with `sudo chown -R $USER {0}` (or make it writable with `chmod -R u+w {0}`), \
             or delete it with `sudo rm -rf {0}`, then build again.",
            dir.display()
        ));
    }
    if !writable(parent) {
        return Err(format!(
            "tiendo writes the new site beside it and swaps the two, but {} is not writable for you; \
             give a folder inside a folder you can write to",
            parent.display()
        ));
    }
    Ok(())
}

fn nearest_existing(path: &Path) -> Option<PathBuf> {
    path.ancestors().find(|p| p.is_dir()).map(Path::to_path_buf)
}

/// Whether `dir` carries tiendo's marker: a regular file, not a link to one.
pub fn is_marked(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Whether this process may create and delete entries in `dir`.
#[cfg(unix)]
fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: `path` is a valid NUL-terminated string that outlives the call, which only reads it.
    unsafe { libc::faccessat(libc::AT_FDCWD, path.as_ptr(), libc::W_OK | libc::X_OK, libc::AT_EACCESS) == 0 }
}

#[cfg(not(unix))]
fn writable(dir: &Path) -> bool {
    fs::metadata(dir).is_ok_and(|m| !m.permissions().readonly())
}

/// A folder being filled with a new site. Dropped without [`Staging::publish`], it is
/// removed and the output folder is untouched.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    published: bool,
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
        remove_stale(&parent, &prefix);
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        if let Err(e) = fs::create_dir(&dir) {
            // Left by an earlier build of this process, or of a process that had its id.
            if e.kind() != io::ErrorKind::AlreadyExists || !remove_ours(&dir) {
                return Err(OutputError { path: dir, source: e });
            }
            fs::create_dir(&dir).map_err(at(&dir))?;
        }
        let staging = Staging { dir, output: output.to_owned(), published: false };
        // First, so that a staging folder left by a killed build is known as ours.
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Creates the file `rel` (a `/`-separated path made from validated ids), which
    /// must not exist yet: every file of a site is new.
    fn create(&self, rel: &str) -> Result<fs::File, OutputError> {
        let path = self.dir.join(rel);
        let open = |path: &Path| fs::OpenOptions::new().write(true).create_new(true).open(path);
        // Most folders hold one file or a few: try first, and make the folder only when it
        // is missing, rather than checking every folder of the path each time.
        match open(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(at(parent))?;
                }
                open(&path)
            }
            other => other,
        }
        .map_err(at(&path))
    }

    /// Writes `bytes` at `rel`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_parts(rel, &[bytes])
    }

    /// Writes at `rel` whatever `write` writes into the file, as it goes.
    pub fn write_with(
        &self,
        rel: &str,
        write: impl FnOnce(&mut fs::File) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let mut file = self.create(rel)?;
        write(&mut file).map_err(at(&self.dir.join(rel)))
    }

    /// Writes the concatenation of `parts` at `rel`, without first joining them in memory.
    pub fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<(), OutputError> {
        use std::io::Write;
        let mut file = self.create(rel)?;
        for part in parts {
            file.write_all(part).map_err(at(&self.dir.join(rel)))?;
        }
        Ok(())
    }

    /// Puts the new site in place of the old one, then deletes the old one.
    pub fn publish(mut self) -> Result<Published, OutputError> {
        // Checked before the build, and again now: the build may have been overtaken.
        replaceable(&self.output)
            .map_err(|why| OutputError { path: self.output.clone(), source: io::Error::other(why) })?;
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
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        Staging::write(self, rel, bytes)
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
        return Err(OutputError { path: dir.to_owned(), source: io::Error::other("not a folder") });
    }
    remove_contents(dir)?;
    fs::remove_dir(dir).map_err(at(dir))
}

fn remove_contents(dir: &Path) -> Result<(), OutputError> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir).map_err(at(dir))?.collect::<Result<_, _>>().map_err(at(dir))?;
    entries.par_iter().try_for_each(|e| {
        let path = e.path();
        // The entry's own type: a link to a folder is a link, removed as one.
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_contents(&path)?;
            fs::remove_dir(&path).map_err(at(&path))
        } else {
            fs::remove_file(&path).map_err(at(&path))
        }
    })
}

/// Removes `dir` if it is a folder tiendo made (marked) or an empty one; whether it is gone.
fn remove_ours(dir: &Path) -> bool {
    let is_folder = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    is_folder && (is_marked(dir) || is_empty(dir)) && remove_tree(dir).is_ok()
}

/// `.public.tiendo-` for an output folder named `public`; the process id follows.
fn staging_prefix(output: &Path) -> String {
    let name = output.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.tiendo-")
}

/// Removes the staging folders in `parent` (named `prefix` and a process id) of processes
/// no longer running (killed, or crashed), when they are tiendo's: marked, or empty.
pub fn remove_stale(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(prefix)).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !is_running(pid) {
            remove_ours(&entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn is_running(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn is_running(_pid: u32) -> bool {
    // Without /proc, a leftover folder may belong to a build that is still running.
    true
}

/// Exchanges two folders' names in one atomic step where the system can.
#[cfg(target_os = "linux")]
fn swap(new: &Path, old: &Path) -> io::Result<()> {
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
fn swap(new: &Path, old: &Path) -> io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tiendo-out-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
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

    #[test]
    fn stale_staging_of_dead_builds_is_removed_only_when_it_is_ours() {
        let base = temp("stale");
        let out = base.join("public");
        // No process has these ids on Linux (pids are at most 2^22).
        let stale = base.join(format!(".public.tiendo-{}", u32::MAX - 1));
        fs::create_dir_all(stale.join("localities")).unwrap();
        fs::write(stale.join(MARKER), "").unwrap();
        let foreign = base.join(format!(".public.tiendo-{}", u32::MAX - 2));
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), "mine").unwrap();
        let s = Staging::new(&out).unwrap();
        if cfg!(target_os = "linux") {
            assert!(!stale.exists());
        }
        assert_eq!(fs::read_to_string(foreign.join("notes.txt")).unwrap(), "mine");
        s.publish().unwrap();
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_foreign_folder_is_refused_and_an_empty_one_taken() {
        let base = temp("foreign");
        let root = base.join("site");
        fs::create_dir_all(&root).unwrap();
        let out = base.join("www");
        fs::create_dir_all(&out).unwrap();
        assert_eq!(check_output(&root, &out).unwrap(), out);
        fs::write(out.join("other-site.html"), "keep").unwrap();
        let why = check_output(&root, &out).unwrap_err();
        assert!(why.contains("tiendo did not make it"), "{why}");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn paths_are_resolved_before_they_are_compared() {
        let base = temp("resolve");
        let root = base.join("site");
        fs::create_dir_all(root.join("data")).unwrap();
        for output in [root.clone(), base.clone(), root.join("data/out"), root.join("../site"), root.join("x/../..")] {
            assert!(check_output(&root, &output).is_err(), "{}", output.display());
        }
        assert_eq!(check_output(&root, &root.join("public")).unwrap(), root.join("public"));
        #[cfg(unix)]
        {
            // A link to the site, as the output or as the root.
            std::os::unix::fs::symlink(&root, base.join("link")).unwrap();
            assert!(check_output(&root, &base.join("link")).is_err());
            assert!(check_output(&base.join("link"), &root).is_err());
            assert!(check_output(&base.join("link"), &root.join("data")).is_err());
            assert_eq!(resolve(&base.join("link/public/x")).unwrap(), root.join("public/x"));
            // A link that points to a folder not made yet.
            std::os::unix::fs::symlink(base.join("www/site"), base.join("dangling")).unwrap();
            assert_eq!(check_output(&root, &base.join("dangling")).unwrap(), base.join("www/site"));
            // A loop.
            std::os::unix::fs::symlink(base.join("loop"), base.join("loop")).unwrap();
            assert!(resolve(&base.join("loop")).is_err());
        }
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
