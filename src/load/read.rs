//! Reading a file of the site: links followed, anything that is not a regular file or is
//! too large refused, UTF-8 required; and what to say when a file or folder cannot be read.

use std::path::Path;

use super::SourceFile;
use crate::diag::Diagnostic;
use crate::t;
use crate::words::messages::io_reason;

/// What went wrong while listing a folder's files, at the entry at fault.
pub fn walk_error(root: &Path, dir: &str, e: &walkdir::Error) -> Diagnostic {
    let rel = e.path().map_or_else(|| dir.to_owned(), |p| relative(root, p));
    if e.loop_ancestor().is_some() {
        return Diagnostic::error(rel, t!("link_loop")).help(t!("link_loop_help"));
    }
    match (e.io_error(), e.path()) {
        (Some(io), Some(path)) if io.kind() == std::io::ErrorKind::NotFound => broken_link(rel, path),
        (Some(io), _) => Diagnostic::error(rel, t!("cannot_read", why = io_reason(io))),
        (None, _) => Diagnostic::error(rel, t!("cannot_read_at_all")),
    }
}

pub(super) fn broken_link(rel: String, path: &Path) -> Diagnostic {
    let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
    Diagnostic::error(rel, t!("broken_link", target)).help(t!("broken_link_help"))
}

/// The largest input file read, in bytes: a national list of localities is about 1 MB,
/// a national report 0.2 MB. Anything larger is not a site's file.
pub const MAX_INPUT_BYTES: u64 = 32_000_000;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A link to a file that does not exist: where it points.
    BrokenLink(String),
    /// A folder, a device or a pipe.
    NotAFile,
    /// Larger than the limit: its size.
    TooLarge(u64),
    Io(std::io::Error),
}

impl ReadError {
    /// The diagnostic for an input file of the site at `rel`.
    pub fn diagnostic(self, rel: &str) -> Diagnostic {
        let limit = MAX_INPUT_BYTES / 1_000_000;
        match self {
            ReadError::BrokenLink(target) => {
                Diagnostic::error(rel, t!("broken_link", target)).help(t!("broken_link_help"))
            }
            ReadError::NotAFile => Diagnostic::error(rel, t!("not_a_file")).help(t!("not_a_file_help")),
            ReadError::TooLarge(size) => Diagnostic::error(rel, t!("file_too_large", size = size / 1_000_000))
                .help(t!("file_too_large_help", limit)),
            ReadError::Io(e) => Diagnostic::error(rel, t!("cannot_read_file", why = io_reason(&e))),
        }
    }
}

/// The bytes of a file, followed if it is a link; refused when it is not a regular file
/// or is larger than `limit` bytes, so that no name (`/dev/zero`) makes tiendo read
/// without end.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_ok() => {
            let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
            return Err(ReadError::BrokenLink(target));
        }
        Err(e) => return Err(ReadError::Io(e)),
    };
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may have grown since it was measured.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// `path` relative to `root`, with `/` separators whatever the platform.
/// Where the link `path` (in the site's folder `root`) leads, when that is outside the
/// site's folder: what is published must come from the site, not from wherever a link
/// in a folder received from elsewhere points (`templates/assets/x -> ~/.ssh`).
pub fn outside(root: &Path, path: &Path) -> Option<std::path::PathBuf> {
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return None;
    }
    let target = path.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    (!target.starts_with(&root)).then_some(target)
}

/// The error for the link `rel` that leads outside the site, to `target`.
pub fn outside_error(rel: &str, target: &Path) -> Diagnostic {
    Diagnostic::error(rel, t!("link_outside", target = target.display().to_string())).help(t!("link_outside_help"))
}

pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

/// Reads a file as UTF-8 text, without a leading byte-order mark (see [`read_bytes`]).
pub fn read(path: &Path, rel: String) -> Result<SourceFile, Diagnostic> {
    let bytes = read_bytes(path, MAX_INPUT_BYTES).map_err(|e| e.diagnostic(&rel))?;
    decode(rel, bytes)
}

/// The text of a file from its bytes: UTF-8 required, a leading byte-order mark dropped.
pub fn decode(rel: String, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() as u64 + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
            let lossy = SourceFile::new("", String::from_utf8_lossy(bytes));
            return Err(Diagnostic::error(&rel, t!("not_utf8")).at(&lossy, line, column).help(t!("not_utf8_help")));
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_owned(),
        None => text,
    };
    Ok(SourceFile::new(rel, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_is_reported_at_its_line() {
        let dir = std::env::temp_dir().join(format!("tiendo-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.yaml");
        std::fs::write(&path, b"a: 1\nb: caf\xe9\n").unwrap();
        let d = read(&path, "bad.yaml".into()).unwrap_err();
        assert_eq!((d.line, d.column), (2, 7));
        assert_eq!(d.message.key(), "not_utf8");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let dir = std::env::temp_dir().join(format!("tiendo-bom-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.yaml");
        std::fs::write(&path, "\u{feff}a: 1\n").unwrap();
        assert_eq!(read(&path, "a.yaml".into()).unwrap().text, "a: 1\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
