//! What a build changed in the output folder: the files added, changed and removed
//! since the site it replaces, listed beside the output folder (`public-changes.txt`
//! beside `public/`), so that an office that uploads by FTP or through a web form can
//! send only those.
//!
//! Files are compared by their bytes: one the build linked from the cache (the same file
//! as before) is the same without being read.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The first line of every list tiendo writes: a file without it is never written over.
const HEADER: &str = "# tiendo: ";

/// The files a build added, changed and removed, by their `/`-separated paths in the
/// output folder, each list sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    pub fn count(&self) -> usize {
        self.added.len() + self.changed.len() + self.removed.len()
    }
}

/// A file of a tree: its size, and which file it is on the disk.
struct Entry {
    path: PathBuf,
    len: u64,
    id: Option<(u64, u64)>,
}

/// Every file under `dir` (links are not followed, the marker is left out), by path;
/// none when there is no `dir`.
fn files(dir: &Path) -> io::Result<BTreeMap<String, Entry>> {
    let mut out = BTreeMap::new();
    if fs::symlink_metadata(dir).is_err() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if rel == super::MARKER {
            continue;
        }
        let meta = entry.metadata().map_err(io::Error::other)?;
        out.insert(rel, Entry { path: entry.path().to_owned(), len: meta.len(), id: file_id(&meta) });
    }
    Ok(out)
}

#[cfg(unix)]
fn file_id(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_meta: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Whether two files hold the same bytes.
fn same(a: &Entry, b: &Entry) -> io::Result<bool> {
    if a.len != b.len {
        return Ok(false);
    }
    if a.id.is_some() && a.id == b.id {
        return Ok(true);
    }
    let (mut x, mut y) = (fs::File::open(&a.path)?, fs::File::open(&b.path)?);
    let (mut bx, mut by) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = x.read(&mut bx)?;
        if n == 0 {
            return Ok(true);
        }
        y.read_exact(&mut by[..n])?;
        if bx[..n] != by[..n] {
            return Ok(false);
        }
    }
}

/// What a site whose files have the hashes `after` changes from one whose files had
/// `before`.
pub fn from_sums(before: &BTreeMap<String, u128>, after: &BTreeMap<String, u128>) -> Changes {
    let added = after.keys().filter(|k| !before.contains_key(*k)).cloned().collect();
    let removed = before.keys().filter(|k| !after.contains_key(*k)).cloned().collect();
    let changed =
        after.iter().filter(|(k, s)| before.get(*k).is_some_and(|b| b != *s)).map(|(k, _)| k.clone()).collect();
    Changes { added, changed, removed }
}

/// What the site in `new` changes from the one in `old`, by reading both.
pub fn between(old: &Path, new: &Path) -> io::Result<Changes> {
    let (before, after) = rayon::join(|| files(old), || files(new));
    let (before, after) = (before?, after?);
    let added = after.keys().filter(|k| !before.contains_key(*k)).cloned().collect();
    let removed = before.keys().filter(|k| !after.contains_key(*k)).cloned().collect();
    let both: Vec<(&String, &Entry, &Entry)> =
        after.iter().filter_map(|(k, a)| before.get(k).map(|b| (k, b, a))).collect();
    let differ: Vec<io::Result<Option<String>>> =
        both.par_iter().map(|(k, b, a)| same(b, a).map(|s| (!s).then(|| (*k).clone()))).collect();
    let mut changed = Vec::new();
    for d in differ {
        changed.extend(d?);
    }
    Ok(Changes { added, changed, removed })
}

/// Where the list of a build's changes to `output` is written: beside it, named after it
/// (`public-changes.txt`). An output named without a last part (`.`, `/`) is made
/// absolute first, so that the list is never written inside it.
pub fn list_path(output: &Path) -> PathBuf {
    let named = match output.file_name() {
        Some(_) => output.to_owned(),
        None => std::path::absolute(output).ok().and_then(|p| p.canonicalize().ok()).unwrap_or_default(),
    };
    match named.file_name() {
        Some(name) => named.with_file_name(format!("{}-changes.txt", name.to_string_lossy())),
        None => named.join("site-changes.txt"),
    }
}

/// Writes the list of `changes` beside `output`, headed by `title` and with the three
/// lists headed by `headings`: one path a line. A file of that name that tiendo did not
/// write is left alone (`Ok(false)`).
pub fn write_list(output: &Path, changes: &Changes, title: &str, headings: [&str; 3]) -> io::Result<bool> {
    let path = list_path(output);
    match fs::symlink_metadata(&path) {
        Ok(meta) if !meta.is_file() => return Ok(false),
        Ok(_) => {
            let mut start = [0u8; HEADER.len()];
            let ours = fs::File::open(&path).and_then(|mut f| f.read_exact(&mut start)).is_ok();
            if !ours || start != HEADER.as_bytes() {
                return Ok(false);
            }
        }
        Err(_) => {}
    }
    let mut text = format!("{HEADER}{title}\n");
    for (heading, paths) in headings.iter().zip([&changes.added, &changes.changed, &changes.removed]) {
        text.push_str(&format!("\n# {heading} ({})\n", paths.len()));
        for p in paths {
            text.push_str(p);
            text.push('\n');
        }
    }
    // Written new beside it, then renamed over it: never through a link planted there.
    let temp = path.with_file_name(format!(
        ".{}.tiendo-{}",
        path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
        super::build_id()
    ));
    {
        use std::io::Write;
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        file.write_all(text.as_bytes())?;
    }
    fs::rename(&temp, &path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_compared_by_their_bytes() {
        let root = std::env::temp_dir().join(format!("tiendo-changes-{}", std::process::id()));
        let (old, new) = (root.join("old"), root.join("new"));
        for dir in [&old, &new] {
            fs::create_dir_all(dir.join("a")).unwrap();
            fs::write(dir.join(super::super::MARKER), format!("{}", dir.display())).unwrap();
        }
        fs::write(old.join("same.html"), "x").unwrap();
        fs::write(new.join("same.html"), "x").unwrap();
        fs::write(old.join("a/edited.html"), "old").unwrap();
        fs::write(new.join("a/edited.html"), "new").unwrap();
        fs::write(old.join("a/longer.html"), "old").unwrap();
        fs::write(new.join("a/longer.html"), "older").unwrap();
        fs::write(old.join("gone.html"), "").unwrap();
        fs::write(new.join("a/new.html"), "").unwrap();
        let changes = between(&old, &new).unwrap();
        assert_eq!(changes.added, ["a/new.html"]);
        assert_eq!(changes.changed, ["a/edited.html", "a/longer.html"]);
        assert_eq!(changes.removed, ["gone.html"]);

        // The list is written beside the output, and only over a list of tiendo's.
        let output = root.join("public");
        assert!(write_list(&output, &changes, "t", ["added", "changed", "removed"]).unwrap());
        let list = fs::read_to_string(root.join("public-changes.txt")).unwrap();
        assert!(list.starts_with("# tiendo: t\n") && list.contains("\n# changed (2)\na/edited.html\na/longer.html\n"));
        fs::write(root.join("public-changes.txt"), "someone's notes").unwrap();
        assert!(!write_list(&output, &changes, "t", ["added", "changed", "removed"]).unwrap());
        assert_eq!(fs::read_to_string(root.join("public-changes.txt")).unwrap(), "someone's notes");
        fs::remove_dir_all(&root).unwrap();
    }
}
