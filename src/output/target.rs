//! Where a build may publish: the output folder as the system sees it (`..` and links
//! resolved), and whether tiendo may replace what is there.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::t;
use crate::words::messages::{Text, io_reason};

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
pub fn check_output(root: &Path, output: &Path) -> Result<PathBuf, Text> {
    let shown = output.display().to_string();
    let root = resolve(root)
        .map_err(|e| t!("site_folder_unreadable", folder = root.display().to_string(), why = io_reason(&e)))?;
    let target =
        resolve(output).map_err(|e| t!("output_folder_unreadable", folder = shown.as_str(), why = io_reason(&e)))?;
    let folder = if target == std::path::absolute(output).unwrap_or_default() {
        t!("output_folder", folder = target.display().to_string())
    } else {
        t!("output_folder_via", folder = target.display().to_string(), link = shown.as_str())
    };
    let public = root.join("public").display().to_string();
    if root.starts_with(&target) {
        return Err(t!("output_holds_site", folder, public));
    }
    for input in ["data", "content", "templates"] {
        if target.starts_with(root.join(input)) {
            return Err(t!("output_inside_input", folder, input, public));
        }
    }
    replaceable(&target).map_err(|why| t!("output_refused", folder, why))?;
    Ok(target)
}

/// Whether a build may put a new site at `dir`: it does not exist, or it is a folder
/// that tiendo made (it carries the marker) or an empty one, and can be replaced.
/// The reason and what to do otherwise.
pub(super) fn replaceable(dir: &Path) -> Result<(), Text> {
    let parent = dir.parent().unwrap_or(dir);
    let meta = match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Its parent must take the staging folder; creating missing folders is left to the build.
            return match nearest_existing(parent) {
                Some(p) if !writable(&p) => Err(t!("output_parent_not_writable", parent = p.display().to_string())),
                _ => Ok(()),
            };
        }
        Err(e) => return Err(t!("cannot_read", why = io_reason(&e))),
        Ok(meta) => meta,
    };
    if !meta.is_dir() {
        return Err(t!("output_is_a_file"));
    }
    if !is_marked(dir) && !is_empty(dir) {
        return Err(match marker_folder(dir) {
            Some(from) => t!("output_marker_copied", marker = MARKER, from),
            None => t!("output_not_ours", marker = MARKER),
        });
    }
    if !writable(dir) {
        return Err(t!("output_read_only", folder = dir.display().to_string()));
    }
    if !writable(parent) {
        return Err(t!("output_beside_not_writable", parent = parent.display().to_string()));
    }
    Ok(())
}

fn nearest_existing(path: &Path) -> Option<PathBuf> {
    path.ancestors().find(|p| p.is_dir()).map(Path::to_path_buf)
}

/// Whether `dir` is a site tiendo built there: it carries tiendo's marker (a regular file,
/// not a link to one), written for `dir` itself.
pub fn is_marked(dir: &Path) -> bool {
    marked_for(dir, dir)
}

/// Whether `dir` carries a marker written for `output` (a staging folder's names the
/// output it is staged for).
pub(super) fn marked_for(dir: &Path, output: &Path) -> bool {
    marker_folder(dir).is_some_and(|folder| folder == output.display().to_string())
}

/// The folder that `dir`'s marker was written for, when it has one: a regular file, not
/// a link to one, of at most a few kilobytes.
fn marker_folder(dir: &Path) -> Option<String> {
    use std::io::Read;
    let path = dir.join(MARKER);
    if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let mut text = String::new();
    fs::File::open(&path).ok()?.take(8192).read_to_string(&mut text).ok()?;
    text.lines().find_map(|l| l.strip_prefix(super::MARKER_FOLDER)).map(str::to_owned)
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
        assert!(why.to_string().contains("tiendo did not make it"), "{why}");
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
