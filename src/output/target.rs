//! Where a build may publish: the output folder as the system sees it (`..` and links
//! resolved), and whether tiendo may replace what is there.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::MARKER;

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
pub(super) fn replaceable(dir: &Path) -> Result<(), String> {
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

pub(super) fn is_empty(dir: &Path) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::temp;

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
}
