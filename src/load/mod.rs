//! Load: read every input file of a site into raw serde types that mirror the files.
//!
//! This stage reads and parses; it does not judge. A file that cannot be read or
//! parsed becomes a diagnostic and the stage goes on with the others, so that one
//! run reports the problems of every file. Meaning (unknown ids, negative figures,
//! missing targets) is checked by `validate`.

pub mod boundaries;
pub mod content;
pub mod fast;
pub mod indicators;
pub mod localities;
mod read;
pub mod reports;
pub mod site;
pub mod targets;
pub mod yaml;

use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::t;

pub use crate::diag::SourceFile;
pub use read::{MAX_INPUT_BYTES, ReadError, decode, outside, outside_error, read, read_bytes, relative, walk_error};

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
    /// The units' outlines, for maps, when the site has them.
    pub boundaries: Option<Loaded<boundaries::RawBoundaries>>,
    /// Files that were found but could not be read or parsed (their diagnostics say why),
    /// so that validation does not also report what their absence would mean.
    pub unreadable: Vec<String>,
    /// Table files read by the YAML parser instead of the fast scanner, and why.
    pub slow: Vec<(String, crate::words::messages::Text)>,
}

pub const SITE_FILE: &str = "site.yaml";
pub const LOCALITIES_FILE: &str = "data/localities.yaml";
pub const INDICATORS_FILE: &str = "data/indicators.yaml";
pub const TARGETS_DIR: &str = "data/targets";
pub const REPORTS_DIR: &str = "data/reports";
pub const CONTENT_DIR: &str = "content";

/// What a file of a site is, which its path says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Site,
    Localities,
    Indicators,
    Targets,
    Report,
    Content,
    Boundaries,
}

impl Kind {
    /// The kind of the file at `rel` (relative to the site root, `/`-separated), if it
    /// is one of the files a site reads.
    pub fn of(rel: &str) -> Option<Kind> {
        let in_dir = |dir: &str, extensions: &[&str]| {
            rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
                && extensions.iter().any(|e| rel.rsplit('/').next().is_some_and(|n| n.ends_with(e)))
        };
        match rel {
            SITE_FILE => Some(Kind::Site),
            LOCALITIES_FILE => Some(Kind::Localities),
            INDICATORS_FILE => Some(Kind::Indicators),
            boundaries::TOPOJSON_FILE | boundaries::GEOJSON_FILE => Some(Kind::Boundaries),
            _ if in_dir(TARGETS_DIR, &[".yaml", ".yml"]) => Some(Kind::Targets),
            _ if in_dir(REPORTS_DIR, &[".yaml", ".yml"]) => Some(Kind::Report),
            _ if in_dir(CONTENT_DIR, &[".md"]) => Some(Kind::Content),
            _ => None,
        }
    }
}

/// One file, parsed as what its kind says it is.
enum Parsed {
    Site(Loaded<site::RawSite>),
    Localities(Loaded<localities::RawLocalities>),
    Indicators(Loaded<indicators::RawIndicators>),
    Targets(Loaded<targets::RawTargets>),
    Report(Loaded<reports::RawReport>),
    Content(Loaded<content::RawContent>),
    Boundaries(Loaded<boundaries::RawBoundaries>),
}

/// Decodes and parses one file of kind `kind`; with the reason a table file needed the
/// YAML parser, if it did.
fn parse(
    kind: Kind,
    rel: String,
    bytes: Vec<u8>,
) -> Result<(Parsed, Option<crate::words::messages::Text>), Diagnostic> {
    let file = decode(rel, bytes)?;
    let loaded = |raw| Loaded { file: file.clone(), raw };
    Ok(match kind {
        Kind::Site => (Parsed::Site(loaded(site::parse(&file)?)), None),
        Kind::Localities => (Parsed::Localities(Loaded { raw: localities::parse(&file)?, file }), None),
        Kind::Indicators => (Parsed::Indicators(Loaded { raw: indicators::parse(&file)?, file }), None),
        Kind::Content => (Parsed::Content(Loaded { raw: content::parse(&file)?, file }), None),
        Kind::Boundaries => (Parsed::Boundaries(Loaded { raw: boundaries::parse(&file)?, file }), None),
        Kind::Targets => match targets::scan(&file.text) {
            Ok(raw) => (Parsed::Targets(Loaded { raw, file }), None),
            Err(why) => (Parsed::Targets(Loaded { raw: yaml::parse(&file, &file.text)?, file }), Some(why)),
        },
        Kind::Report => match reports::scan(&file.text) {
            Ok(raw) => (Parsed::Report(Loaded { raw, file }), None),
            Err(why) => (Parsed::Report(Loaded { raw: yaml::parse(&file, &file.text)?, file }), Some(why)),
        },
    })
}

impl Input {
    fn add(
        &mut self,
        rel: String,
        result: Result<(Parsed, Option<crate::words::messages::Text>), Diagnostic>,
        diags: &mut Diagnostics,
    ) {
        let (parsed, slow) = match result {
            Ok(ok) => ok,
            Err(d) => {
                diags.push(d);
                self.unreadable.push(rel);
                return;
            }
        };
        if let Some(why) = slow {
            self.slow.push((rel, why));
        }
        match parsed {
            Parsed::Site(l) => self.site = Some(l),
            Parsed::Localities(l) => self.localities = Some(l),
            Parsed::Indicators(l) => self.indicators = Some(l),
            Parsed::Targets(l) => self.targets.push(l),
            Parsed::Report(l) => self.reports.push(l),
            Parsed::Content(l) => self.content.push(l),
            Parsed::Boundaries(l) => self.boundaries = Some(l),
        }
    }
}

/// Parses the files of a site given as (path relative to the root, bytes), each as what
/// its path says it is, in parallel; files of no known kind are left out. What `load`
/// does once it has read the files, without the disk.
pub fn load_files(mut files: Vec<(String, Vec<u8>)>, diags: &mut Diagnostics) -> Input {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let parsed: Vec<_> = files
        .into_par_iter()
        .filter_map(|(rel, bytes)| Some((Kind::of(&rel)?, rel, bytes)))
        .map(|(kind, rel, bytes)| (rel.clone(), parse(kind, rel, bytes)))
        .collect();
    let mut input = Input::default();
    for (rel, result) in parsed {
        input.add(rel, result, diags);
    }
    input
}

/// "yaml or yml", in the reader's language.
fn either(extensions: &[&str]) -> crate::words::messages::Text {
    match extensions {
        [one] => t!("either_one", one = *one),
        [first @ .., last] => t!("either_many", first = first.join(", ."), last = *last),
        [] => t!("either_one", one = ""),
    }
}

/// Reads and parses every input file under `root`.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Input {
    if !root.is_dir() {
        diags.push(Diagnostic::error(root.display().to_string(), t!("no_such_folder")).help(t!("no_such_folder_help")));
        return Input::default();
    }
    if !root.join(SITE_FILE).is_file() {
        diags.push(
            Diagnostic::error(SITE_FILE, t!("no_site_yaml"))
                .help(t!("no_site_yaml_help", folder = root.display().to_string())),
        );
        return Input::default();
    }
    let mut paths = required(root, &[SITE_FILE, LOCALITIES_FILE, INDICATORS_FILE], diags);
    paths.extend(boundaries_file(root, diags));
    let mut unlisted = Vec::new();
    for (dir, extensions) in
        [(TARGETS_DIR, &["yaml", "yml"][..]), (REPORTS_DIR, &["yaml", "yml"]), (CONTENT_DIR, &["md"])]
    {
        paths.extend(list_files(root, dir, extensions, &mut unlisted, diags));
    }
    let mut input = read_and_parse(root, paths, diags);
    input.unreadable.extend(unlisted);
    input
}

/// Only the settings and the lists of localities and indicators, for commands that need nothing else.
pub fn load_lists(root: &Path, diags: &mut Diagnostics) -> Input {
    if !root.join(SITE_FILE).is_file() {
        diags.push(
            Diagnostic::error(SITE_FILE, t!("no_site_yaml"))
                .help(t!("no_site_yaml_lists_help", folder = root.display().to_string())),
        );
        return Input::default();
    }
    let paths = required(root, &[SITE_FILE, LOCALITIES_FILE, INDICATORS_FILE], diags);
    read_and_parse(root, paths, diags)
}

/// Reads and parses the files at `paths` (relative to `root`) in parallel, in path order.
fn read_and_parse(root: &Path, mut paths: Vec<String>, diags: &mut Diagnostics) -> Input {
    paths.sort();
    let parsed: Vec<_> = paths
        .into_par_iter()
        .filter_map(|rel| Some((Kind::of(&rel)?, rel)))
        .map(|(kind, rel)| {
            let result = read_bytes(&root.join(&rel), MAX_INPUT_BYTES)
                .map_err(|e| e.diagnostic(&rel))
                .and_then(|bytes| parse(kind, rel.clone(), bytes));
            (rel, result)
        })
        .collect();
    let mut input = Input::default();
    for (rel, result) in parsed {
        input.add(rel, result, diags);
    }
    input
}

/// The site's boundaries file, if it has one; having both kinds is an error.
fn boundaries_file(root: &Path, diags: &mut Diagnostics) -> Option<String> {
    let there = |rel: &str| std::fs::symlink_metadata(root.join(rel)).is_ok();
    match (there(boundaries::TOPOJSON_FILE), there(boundaries::GEOJSON_FILE)) {
        (true, true) => {
            diags.push(
                Diagnostic::error(boundaries::GEOJSON_FILE, t!("boundaries_two_files"))
                    .help(t!("boundaries_two_files_help")),
            );
            None
        }
        (true, false) => Some(boundaries::TOPOJSON_FILE.to_owned()),
        (false, true) => Some(boundaries::GEOJSON_FILE.to_owned()),
        (false, false) => None,
    }
}

/// Those of `files` that exist (as links, too); each missing one is an error.
fn required(root: &Path, files: &[&str], diags: &mut Diagnostics) -> Vec<String> {
    let mut found = Vec::new();
    for &rel in files {
        if let Some(target) = read::outside(root, &root.join(rel)) {
            diags.push(read::outside_error(rel, &target));
        } else if std::fs::symlink_metadata(root.join(rel)).is_ok() {
            found.push(rel.to_owned());
        } else {
            diags.push(Diagnostic::error(rel, t!("required_file_missing")).help(t!("required_file_missing_help")));
        }
    }
    found
}

/// Files under `root/dir` with one of `extensions`, relative to `root`, and warnings for
/// anything else found there (so a report saved as `.txt` does not vanish silently).
/// Entries that cannot be listed (a broken link, a loop) are errors, and go to `failed`.
fn list_files(
    root: &Path,
    dir: &str,
    extensions: &[&str],
    failed: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut files = Vec::new();
    let base = root.join(dir);
    if !base.is_dir() {
        return files;
    }
    // Links inside the site are followed; one that leads out of it is an error.
    let mut walk = walkdir::WalkDir::new(&base).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let d = walk_error(root, dir, &e);
                failed.push(d.file.clone());
                diags.push(d);
                continue;
            }
        };
        if entry.path_is_symlink()
            && let Some(target) = read::outside(root, entry.path())
        {
            let rel = relative(root, entry.path());
            failed.push(rel.clone());
            diags.push(read::outside_error(&rel, &target));
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
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
            files.push(rel);
        } else {
            diags.push(Diagnostic::warning(&rel, t!("file_ignored")).help(t!(
                "file_ignored_help",
                extensions = either(extensions),
                dir
            )));
        }
    }
    files
}
