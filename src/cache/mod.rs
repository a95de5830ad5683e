//! The site's cache, `.tiendo-cache/`: what a build keeps so that the next one need not
//! make it again. Two stores live in it, each in a folder of its own: the year archive's
//! pages ([`years`]) and the share images ([`pictures`]). Deleting it only makes the next
//! build slower; it is never in the output.
//!
//! What this module owns, for both stores:
//! - **its root**: a folder `.tiendo-cache` that tiendo creates in the site's folder and
//!   never reaches through a link (a link or a file in its place turns the cache off);
//! - **writing by rename**: an entry is made whole under a temporary name of this build
//!   ([`temp_name`]) and renamed into place, so that a build running at the same time (a
//!   `serve` and a `build`) finds an entry or does not, never half of one; what a build
//!   that ended (killed, or stopped by a power cut) left under such a name is removed
//!   ([`abandoned`]);
//! - **read-only files, copied out**: a site gets a copy of each cached file (see
//!   `output::Sink::copy_file`), never a second name for it, so nothing done to a
//!   published site reaches the cache; the cache's own files are read-only besides.

pub mod pictures;
pub mod published;
pub mod years;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The cache's folder, in the site's folder.
pub const DIR: &str = ".tiendo-cache";

/// The store `name` of the site's cache at `root`, made if it is missing; `None` when it or
/// `.tiendo-cache` is anything but a folder (a link, a file) or cannot be made.
fn store(root: &Path, name: &str) -> Option<PathBuf> {
    let cache = root.join(DIR);
    let store = cache.join(name);
    for dir in [&cache, &store] {
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
    Some(store)
}

/// Holds the site's cache for one build at a time: two builds of one site (a `build`
/// while `serve` runs, two `build`s with other `--base-url`s) would otherwise replace a
/// year's folder or a picture while the other copies from it, and publish pages made
/// for the other. The lock goes with the returned file (and with the process, if it is
/// killed). `None` where the cache cannot be made: there is then nothing to share.
/// `waiting` is called once, before waiting, when another build holds it.
pub fn lock(root: &Path, waiting: &dyn Fn()) -> Option<fs::File> {
    let dir = store(root, "lock")?;
    let file =
        fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(dir.join("build")).ok()?;
    match file.try_lock() {
        Ok(()) => Some(file),
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock().ok().map(|()| file)
        }
        Err(fs::TryLockError::Error(_)) => None,
    }
}

/// Makes the cache's file at `path` read-only: what the cache keeps is never changed in
/// place, by tiendo or by anyone else.
pub(crate) fn read_only(path: &Path) -> io::Result<()> {
    let mut permissions = fs::metadata(path)?.permissions();
    permissions.set_readonly(true);
    fs::set_permissions(path, permissions)
}

/// The temporary name under which this build makes the entry `name` of a store, beside
/// where it goes: `.<name>.<build id>.tmp`.
fn temp_name(name: &str) -> String {
    format!(".{name}.{}.tmp", crate::output::build_id())
}

/// The entry a temporary name (see [`temp_name`]) was made for, when the build that made
/// it has surely ended: what is left under that name may be removed.
fn abandoned(temp: &str) -> Option<&str> {
    // A build's id has no `.`; a name may.
    let (name, id) = temp.strip_prefix('.')?.strip_suffix(".tmp")?.rsplit_once('.')?;
    crate::output::ended(id).then_some(name)
}

/// Writes `bytes` as the read-only file `name` of the store `dir`, by a rename; where it
/// now is.
fn put(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let path = dir.join(name);
    let temp = dir.join(temp_name(name));
    crate::output::write_new(&temp, bytes)?;
    read_only(&temp)?;
    fs::rename(&temp, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_build_of_a_site_holds_its_cache_and_the_next_waits_saying_so() {
        let root = std::env::temp_dir().join(format!("tiendo-cache-lock-{}", std::process::id()));
        fs::create_dir_all(&root).unwrap();
        let first = lock(&root, &|| panic!("nothing to wait for")).expect("the lock");
        let (said, got) = (std::sync::mpsc::channel(), std::sync::mpsc::channel());
        let other = root.clone();
        let second = std::thread::spawn(move || {
            let held = lock(&other, &move || said.0.send(()).unwrap());
            got.0.send(held.is_some()).unwrap();
        });
        said.1.recv_timeout(std::time::Duration::from_secs(5)).expect("the second build says it waits");
        assert!(got.1.recv_timeout(std::time::Duration::from_millis(300)).is_err(), "and waits");
        drop(first);
        assert!(got.1.recv_timeout(std::time::Duration::from_secs(5)).unwrap(), "until the first is done");
        second.join().unwrap();
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn what_an_ended_build_left_is_known_by_its_name() {
        let mine = temp_name("2024");
        assert!(mine.starts_with(".2024.") && mine.ends_with(".tmp"), "{mine}");
        assert_eq!(abandoned(&mine), None, "this build is running");
        // No process has this id on Linux (pids are at most 2^22).
        let dead = format!(".0123456789abcdef.png.{}.tmp", u32::MAX - 1);
        if cfg!(target_os = "linux") {
            assert_eq!(abandoned(&dead), Some("0123456789abcdef.png"));
        }
        for other in ["2024", ".2024.tmp", "0123456789abcdef.png", ".x.not-a-build.tmp"] {
            assert_eq!(abandoned(other), None, "{other}");
        }
    }
}
