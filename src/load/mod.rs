//! Load: read every input file of a site into raw serde types that mirror the files.
//!
//! This stage reads and parses; it does not judge. A file that cannot be read or
//! parsed becomes a diagnostic and the stage goes on with the others, so that one
//! run reports the problems of every file. Meaning (unknown ids, negative figures,
//! missing targets) is checked by `validate`.

pub mod content;
pub mod fast;
pub mod indicators;
pub mod localities;
pub mod reports;
pub mod site;
pub mod targets;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};

pub use crate::diag::SourceFile;

/// A parsed file: its raw content and the text it came from.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub file: SourceFile,
    pub raw: T,
}

/// Everything a site's files say, before validation.
#[derive(Debug, Default)]
pub struct Input {
    pub site: Option<Loaded<site::RawSite>>,
    pub localities: Option<Loaded<localities::RawLocalities>>,
    pub indicators: Option<Loaded<indicators::RawIndicators>>,
    pub targets: Vec<Loaded<targets::RawTargets>>,
    pub reports: Vec<Loaded<reports::RawReport>>,
    pub content: Vec<Loaded<content::RawContent>>,
}

pub const SITE_FILE: &str = "site.yaml";
pub const LOCALITIES_FILE: &str = "data/localities.yaml";
pub const INDICATORS_FILE: &str = "data/indicators.yaml";
pub const TARGETS_DIR: &str = "data/targets";
pub const REPORTS_DIR: &str = "data/reports";
pub const CONTENT_DIR: &str = "content";

/// Reads and parses every input file under `root`.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Input {
    if !root.is_dir() {
        diags.push(
            Diagnostic::error(root.display().to_string(), "this folder does not exist")
                .help("give the folder of a tiendo site with --root, or run the command inside it"),
        );
        return Input::default();
    }
    if !root.join(SITE_FILE).is_file() {
        diags.push(Diagnostic::error(SITE_FILE, "the site has no site.yaml").help(format!(
            "{} is not a tiendo site folder; run the command inside one, give one with --root, or create one with `tiendo new DIR`",
            root.display()
        )));
        return Input::default();
    }
    // The single files (a national list of localities is large) are read while the
    // folders' files are, each side collecting its own diagnostics.
    let (mut input, folders) = rayon::join(
        || {
            let mut d = Diagnostics::new();
            let input = Input {
                site: load_one(root, SITE_FILE, &mut d, site::parse),
                localities: load_one(root, LOCALITIES_FILE, &mut d, localities::parse),
                indicators: load_one(root, INDICATORS_FILE, &mut d, indicators::parse),
                ..Input::default()
            };
            (input, d)
        },
        || {
            let mut d = Diagnostics::new();
            let targets = load_all(root, TARGETS_DIR, &["yaml", "yml"], &mut d, targets::parse);
            let reports = load_all(root, REPORTS_DIR, &["yaml", "yml"], &mut d, reports::parse);
            let content = if root.join(CONTENT_DIR).is_dir() {
                load_all(root, CONTENT_DIR, &["md"], &mut d, content::parse)
            } else {
                Vec::new()
            };
            (targets, reports, content, d)
        },
    );
    let (targets, reports, content, folder_diags) = folders;
    diags.append(input.1);
    diags.append(folder_diags);
    input.0.targets = targets;
    input.0.reports = reports;
    input.0.content = content;
    input.0
}

/// Only the lists of localities and indicators, for commands that need nothing else.
pub fn load_lists(root: &Path, diags: &mut Diagnostics) -> Input {
    if !root.join(SITE_FILE).is_file() {
        diags.push(Diagnostic::error(SITE_FILE, "the site has no site.yaml").help(format!(
            "{} is not a tiendo site folder; run the command inside one or give one with --root",
            root.display()
        )));
        return Input::default();
    }
    Input {
        localities: load_one(root, LOCALITIES_FILE, diags, localities::parse),
        indicators: load_one(root, INDICATORS_FILE, diags, indicators::parse),
        ..Input::default()
    }
}

type Parser<T> = fn(&SourceFile) -> Result<T, Diagnostic>;

fn load_one<T>(root: &Path, rel: &str, diags: &mut Diagnostics, parse: Parser<T>) -> Option<Loaded<T>> {
    let path = root.join(rel);
    if std::fs::symlink_metadata(&path).is_err() {
        diags.push(
            Diagnostic::error(rel, "this required file is missing")
                .help("create it; see README.md for its format, or `tiendo new DIR` for an example"),
        );
        return None;
    }
    let file = match read(&path, rel.to_owned()) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    match parse(&file) {
        Ok(raw) => Some(Loaded { file, raw }),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Reads and parses every file with one of `extensions` under `dir`, in parallel,
/// returning them sorted by path.
fn load_all<T: Send>(
    root: &Path,
    dir: &str,
    extensions: &[&str],
    diags: &mut Diagnostics,
    parse: Parser<T>,
) -> Vec<Loaded<T>> {
    let (paths, mut found) = list_files(root, dir, extensions);
    let results: Vec<Result<Loaded<T>, Diagnostic>> = paths
        .into_par_iter()
        .map(|(path, rel)| {
            let file = read(&path, rel)?;
            let raw = parse(&file)?;
            Ok(Loaded { file, raw })
        })
        .collect();
    let mut loaded = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(l) => loaded.push(l),
            Err(d) => found.push(d),
        }
    }
    diags.extend(found);
    loaded
}

/// Files under `root/dir` with one of `extensions`, sorted by path, and warnings for
/// anything else found there (so a report saved as `.txt` does not vanish silently).
fn list_files(root: &Path, dir: &str, extensions: &[&str]) -> (Vec<(PathBuf, String)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let base = root.join(dir);
    if !base.is_dir() {
        return (files, diags);
    }
    // Links are followed: a report kept elsewhere and linked here is read like any other.
    for entry in walkdir::WalkDir::new(&base).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_error(root, dir, &e));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = relative(root, entry.path());
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            continue; // editor backups and hidden files
        }
        let ext = entry.path().extension().and_then(|e| e.to_str()).unwrap_or("");
        if extensions.contains(&ext) {
            files.push((entry.into_path(), rel));
        } else {
            diags.push(
                Diagnostic::warning(&rel, "this file is ignored")
                    .help(format!("only files ending in .{} are read from {dir}/", extensions.join(" or ."))),
            );
        }
    }
    (files, diags)
}

/// What went wrong while listing a folder's files, at the entry at fault.
pub fn walk_error(root: &Path, dir: &str, e: &walkdir::Error) -> Diagnostic {
    let rel = e.path().map_or_else(|| dir.to_owned(), |p| relative(root, p));
    if e.loop_ancestor().is_some() {
        return Diagnostic::error(rel, "this link leads back into a folder that holds it (a loop)")
            .help("remove the link, or point it at a file or folder outside this one");
    }
    match (e.io_error(), e.path()) {
        (Some(io), Some(path)) if io.kind() == std::io::ErrorKind::NotFound => broken_link(rel, path),
        (Some(io), _) => Diagnostic::error(rel, format!("cannot be read: {io}")),
        (None, _) => Diagnostic::error(rel, "cannot be read"),
    }
}

fn broken_link(rel: String, path: &Path) -> Diagnostic {
    let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
    Diagnostic::error(rel, format!("this is a link to {target}, which does not exist"))
        .help("point the link at the file, or put the file itself here")
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
                Diagnostic::error(rel, format!("this is a link to {target}, which does not exist"))
                    .help("point the link at the file, or put the file itself here")
            }
            ReadError::NotAFile => Diagnostic::error(rel, "this is not a file (a folder, a device or a pipe)")
                .help("put a text file here, or remove this entry"),
            ReadError::TooLarge(size) => {
                Diagnostic::error(rel, format!("the file is too large: {} MB", size / 1_000_000))
                    .help(format!("a site's files are at most {limit} MB; check that this is the right file"))
            }
            ReadError::Io(e) => Diagnostic::error(rel, format!("cannot read the file: {e}")),
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
            return Err(Diagnostic::error(&rel, "the file is not UTF-8 text")
                .at(&lossy, line, column)
                .help("save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)"));
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
        assert!(d.message.contains("UTF-8"));
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
