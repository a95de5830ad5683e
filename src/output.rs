//! Output: write the site into a staging folder beside the output folder, then
//! put it in place only when everything succeeded.
//!
//! The output folder is never emptied or written into. On Linux the finished
//! staging folder and the output folder are exchanged in one atomic step
//! (`renameat2` with `RENAME_EXCHANGE`), so at every instant, even if the process
//! is killed, the output folder holds either the complete old site or the complete
//! new one. Elsewhere (or on a file system without the exchange) two renames are
//! used, which leaves a moment without an output folder but never a mixed one.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// An I/O failure with the path it happened on.
#[derive(Debug)]
pub struct OutputError {
    pub path: PathBuf,
    pub source: io::Error,
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

/// Refuses an output folder that would replace or sit inside the site's own inputs:
/// publishing swaps the whole folder, so `--output .` would move the site away.
pub fn check_output(root: &Path, output: &Path) -> Result<(), String> {
    let root = absolute(root);
    let output = absolute(output);
    if root.starts_with(&output) {
        return Err(format!(
            "the output folder {} holds the site itself; give a folder inside it, like {}",
            output.display(),
            root.join("public").display()
        ));
    }
    for input in ["data", "content", "templates"] {
        if output.starts_with(root.join(input)) {
            return Err(format!(
                "the output folder {} is inside the site's {input}/ folder; give another one",
                output.display()
            ));
        }
    }
    if output.exists() && !output.is_dir() {
        return Err(format!("the output {} is a file, not a folder", output.display()));
    }
    Ok(())
}

/// A folder being filled with a new site. Dropped without [`Staging::publish`], it is
/// set aside (or removed) and the output folder is untouched.
///
/// The previous site is not deleted after a swap but kept beside the output as a
/// spare (`.public.tiendo-spare`); the next build takes it over as its staging folder,
/// rewrites every file and sweeps away what it did not write. A rebuild then creates
/// no folders and deletes almost nothing, which on a disk (rather than in memory) is
/// most of the cost of writing thousands of small files, and the output folder is still
/// only ever replaced whole.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    spare: PathBuf,
    /// Whether `dir` was the spare, so may hold files of an older build.
    reused: bool,
    /// Every file written, relative to `dir`.
    written: Mutex<Vec<String>>,
    published: bool,
}

impl Staging {
    /// Takes over the spare beside `output`, or creates an empty staging folder there:
    /// on the same file system, so that publishing is a rename. Staging folders left by
    /// killed builds are removed.
    pub fn new(output: &Path) -> Result<Staging, OutputError> {
        let output = absolute(output);
        let parent = output.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&parent).map_err(at(&parent))?;
        let prefix = staging_prefix(&output);
        remove_stale(&parent, &prefix);
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        let spare = parent.join(format!("{prefix}spare"));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(at(&dir))?;
        }
        // Renaming claims the spare: two builds cannot both get it.
        let reused = spare.is_dir() && fs::rename(&spare, &dir).is_ok();
        if !reused {
            fs::create_dir(&dir).map_err(at(&dir))?;
        }
        Ok(Staging { dir, output, spare, reused, written: Mutex::new(Vec::new()), published: false })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Opens `rel` (a `/`-separated path made from validated ids) for writing, and records
    /// it as part of the new site. What a reused spare holds there is written over, not
    /// truncated first: the caller cuts the file to its new length when done (see
    /// [`Staging::finish`]). Reusing the file's pages or blocks spares the file system freeing and
    /// allocating them again, and ext4 the flush it forces on a file truncated to zero.
    fn create(&self, rel: &str) -> Result<fs::File, OutputError> {
        let path = self.dir.join(rel);
        let open = |path: &Path| fs::OpenOptions::new().write(true).create(true).truncate(false).open(path);
        // Most folders hold one file or a few: try first, and make the folder only when it
        // is missing, rather than checking every folder of the path each time.
        let file = match open(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(at(parent))?;
                }
                open(&path)
            }
            other => other,
        }
        .map_err(at(&path))?;
        if self.reused {
            self.written.lock().unwrap_or_else(PoisonError::into_inner).push(rel.to_owned());
        }
        Ok(file)
    }

    /// In a reused spare, cuts a file just written over from its start to what was
    /// written, dropping what an older, longer version left after it. A file in a fresh
    /// folder is new and needs nothing.
    fn finish(&self, file: &mut fs::File) -> io::Result<()> {
        if !self.reused {
            return Ok(());
        }
        let len = io::Seek::stream_position(file)?;
        file.set_len(len)
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
        write(&mut file).and_then(|()| self.finish(&mut file)).map_err(at(&self.dir.join(rel)))
    }

    /// Writes the concatenation of `parts` at `rel`, without first joining them in memory.
    pub fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<(), OutputError> {
        use std::io::Write;
        let mut file = self.create(rel)?;
        for part in parts {
            file.write_all(part).map_err(at(&self.dir.join(rel)))?;
        }
        self.finish(&mut file).map_err(at(&self.dir.join(rel)))
    }

    /// Puts the new site in place of the old one; the old one becomes the spare.
    pub fn publish(mut self) -> Result<(), OutputError> {
        if self.reused {
            let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(PoisonError::into_inner));
            sweep(&self.dir, &written);
        }
        if !self.output.exists() {
            fs::rename(&self.dir, &self.output).map_err(at(&self.output))?;
            self.published = true;
            return Ok(());
        }
        swap(&self.dir, &self.output).map_err(at(&self.output))?;
        // The staging folder now holds the old site: it is the next build's spare. Failing
        // to keep it is not a failed build.
        self.published = true;
        if self.spare.exists() || fs::rename(&self.dir, &self.spare).is_err() {
            remove_tree(&self.dir);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            // A half-written site still serves as a spare: every file is rewritten anyway.
            if self.spare.exists() || fs::rename(&self.dir, &self.spare).is_err() {
                let _ = fs::remove_dir_all(&self.dir);
            }
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

/// Files written straight into a finished site, each put in place by a rename so that
/// no reader sees half a file: for re-rendering a few pages of the site `serve` serves.
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
        fs::write(&fresh, bytes).map_err(at(&fresh))?;
        fs::rename(&fresh, &path).map_err(at(&path))
    }
}

/// Removes from `dir` every file not in `written` (paths relative to `dir`, `/`-separated),
/// and every folder that holds none of them: what a reused spare held from an older build.
/// Subfolders are swept in parallel, and a folder known to hold a written file is not
/// asked to go, which halves the system calls on a national site.
fn sweep(dir: &Path, written: &[String]) {
    let keep: HashSet<&str> = written.iter().map(String::as_str).collect();
    let folders: HashSet<&str> = written.iter().flat_map(|w| w.match_indices('/').map(move |(k, _)| &w[..k])).collect();
    sweep_folder(dir, "", &Sweep { keep, folders });
}

struct Sweep<'a> {
    keep: HashSet<&'a str>,
    folders: HashSet<&'a str>,
}

fn sweep_folder(dir: &Path, rel: &str, sweep: &Sweep) {
    use rayon::prelude::*;
    let Ok(entries) = fs::read_dir(dir) else { return };
    let entries: Vec<_> = entries.flatten().collect();
    entries.par_iter().for_each(|e| {
        let path = e.path();
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        let name = e.file_name();
        // A name that is not UTF-8 was not written by a build.
        let Some(name) = name.to_str() else {
            if is_dir {
                remove_tree(&path);
            } else {
                let _ = fs::remove_file(&path);
            }
            return;
        };
        let child = if rel.is_empty() { name.to_owned() } else { format!("{rel}/{name}") };
        if is_dir {
            if sweep.folders.contains(child.as_str()) {
                sweep_folder(&path, &child, sweep);
            } else {
                remove_tree(&path);
            }
        } else if !sweep.keep.contains(child.as_str()) {
            let _ = fs::remove_file(&path);
        }
    });
}

/// Removes a folder and everything in it, its subfolders in parallel: a national site
/// has some 17,000 files, and unlinking them one by one is a tenth of a build.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let Ok(entries) = fs::read_dir(dir) else { return };
    let entries: Vec<_> = entries.flatten().collect();
    entries.par_iter().for_each(|e| {
        let path = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_tree(&path);
        } else {
            let _ = fs::remove_file(&path);
        }
    });
    let _ = fs::remove_dir(dir);
}

/// `.public.tiendo-` for an output folder named `public`; the process id follows.
fn staging_prefix(output: &Path) -> String {
    let name = output.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.tiendo-")
}

/// Removes the folders named `prefix` + process id, in `parent`, of processes no longer
/// running (killed, or crashed).
pub fn remove_stale(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(prefix)).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !is_running(pid) {
            let _ = fs::remove_dir_all(entry.path());
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
    let aside = new.with_extension("old");
    fs::rename(old, &aside)?;
    if let Err(e) = fs::rename(new, old) {
        // Put the old site back rather than leave nothing.
        let _ = fs::rename(&aside, old);
        return Err(e);
    }
    fs::rename(&aside, new)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
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

    #[test]
    fn publish_replaces_the_old_site() {
        let base = temp("publish");
        let out = base.join("public");
        fs::create_dir_all(out.join("old")).unwrap();
        fs::write(out.join("old/index.html"), "old").unwrap();
        let s = Staging::new(&out).unwrap();
        s.write("localities/a/index.html", b"new").unwrap();
        s.publish().unwrap();
        assert_eq!(fs::read_to_string(out.join("localities/a/index.html")).unwrap(), "new");
        assert!(!out.join("old").exists());
        // Beside the output, only the previous site, kept as the next build's spare.
        let beside: Vec<String> =
            fs::read_dir(&base).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(beside.len(), 2, "{beside:?}");
        assert!(base.join(".public.tiendo-spare/old/index.html").is_file());
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_reused_spare_keeps_nothing_of_the_older_site() {
        let base = temp("reuse");
        let out = base.join("public");
        let first = Staging::new(&out).unwrap();
        first.write("a/index.html", b"A1").unwrap();
        first.write("b/index.html", b"B1").unwrap();
        first.write("b/old.csv", b"B1").unwrap();
        first.write("b/deeper/x.svg", b"X1").unwrap();
        first.publish().unwrap();
        let second = Staging::new(&out).unwrap();
        second.write("b/index.html", b"B2").unwrap();
        second.write("c.svg", b"C2").unwrap();
        second.publish().unwrap();
        // The third build reuses the first site's folder: `a` must not come back.
        let third = Staging::new(&out).unwrap();
        assert!(third.reused);
        // Shorter than what the spare holds there: nothing of the old text may remain.
        third.write("b/index.html", b"3").unwrap();
        third.write_with("b/old.csv", |f| io::Write::write_all(f, b"x")).unwrap();
        third.publish().unwrap();
        let mut files: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&out).unwrap().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, vec!["b/index.html", "b/old.csv"]);
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "3");
        assert_eq!(fs::read_to_string(out.join("b/old.csv")).unwrap(), "x");
        assert!(!out.join("a").exists(), "empty folders are swept too");
        assert!(!out.join("b/deeper").exists(), "and folders inside a kept one");
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
    fn dropped_staging_leaves_the_output_untouched() {
        let base = temp("drop");
        let out = base.join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.write("index.html", b"new").unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        // The unfinished site is set aside as a spare, never published.
        assert!(base.join(".public.tiendo-spare").is_dir());
        assert_eq!(fs::read_dir(&base).unwrap().count(), 2);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn stale_staging_of_dead_builds_is_removed() {
        let base = temp("stale");
        let out = base.join("public");
        // No process has pid u32::MAX - 1 on Linux (pids are at most 2^22).
        let stale = base.join(format!(".public.tiendo-{}", u32::MAX - 1));
        fs::create_dir_all(stale.join("localities")).unwrap();
        let s = Staging::new(&out).unwrap();
        if cfg!(target_os = "linux") {
            assert!(!stale.exists());
        }
        s.publish().unwrap();
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn the_output_may_not_replace_the_site() {
        let root = Path::new("/srv/site");
        assert!(check_output(root, root).is_err());
        assert!(check_output(root, Path::new("/srv")).is_err());
        assert!(check_output(root, Path::new("/srv/site/content/out")).is_err());
        assert!(check_output(root, Path::new("/srv/site/public")).is_ok());
        assert!(check_output(root, Path::new("/var/www/tien-do")).is_ok());
    }
}
