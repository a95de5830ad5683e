//! Output: write the site into a staging folder beside the output folder, then
//! put it in place only when everything succeeded.
//!
//! The output folder is never emptied or written into: a failed or interrupted
//! build leaves the previous site exactly as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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

/// A folder being filled with a new site. Dropped without [`Staging::publish`],
/// it removes itself and the output folder is untouched.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    published: bool,
}

impl Staging {
    /// Creates an empty staging folder beside `output`, on the same file system so that
    /// publishing is a rename.
    pub fn new(output: &Path) -> Result<Staging, OutputError> {
        let output = absolute(output);
        let parent = output.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&parent).map_err(at(&parent))?;
        let name = output.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.tiendo-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(at(&dir))?;
        }
        fs::create_dir(&dir).map_err(at(&dir))?;
        Ok(Staging { dir, output, published: false })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (a `/`-separated path made from validated ids) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(at(parent))?;
        }
        fs::write(&path, bytes).map_err(at(&path))
    }

    /// Puts the new site in place of the old one.
    pub fn publish(mut self) -> Result<(), OutputError> {
        let old = self.dir.with_extension("old");
        if old.exists() {
            fs::remove_dir_all(&old).map_err(at(&old))?;
        }
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old).map_err(at(&self.output))?;
        }
        if let Err(source) = fs::rename(&self.dir, &self.output) {
            // Put the old site back rather than leave nothing.
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(OutputError { path: self.output.clone(), source });
        }
        self.published = true;
        if had_output {
            fs::remove_dir_all(&old).map_err(at(&old))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
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
        assert_eq!(fs::read_dir(&base).unwrap().count(), 1, "no staging folder left behind");
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
        assert_eq!(fs::read_dir(&base).unwrap().count(), 1);
        fs::remove_dir_all(&base).unwrap();
    }
}
