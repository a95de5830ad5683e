//! tiendo: a folder of YAML figures and Markdown commentary in, a static progress site out.
//!
//! `build` is one pipeline, one module per stage:
//! load → validate → compute → render (with charts) → write. `check` runs the
//! same load and validate stages (and compiles the templates) and writes nothing.
//! Only the binary prints; the library returns values and diagnostics.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod charts;
pub mod compute;
pub mod date;
pub mod diag;
pub mod export;
pub mod format;
pub mod i18n;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod new;
pub mod output;
pub mod progress;
pub mod render;
pub mod serve;
pub mod text;
pub mod validate;

use std::path::{Path, PathBuf};
use std::time::Instant;

use diag::{Diagnostic, Diagnostics};
use output::{OutputError, Staging};

/// What `build` needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub pages: usize,
    pub charts: usize,
    pub localities: usize,
    pub reports: usize,
    pub seconds: f64,
    /// How long each stage took, in order: (stage, seconds).
    pub stages: Vec<(&'static str, f64)>,
    /// Warnings, sorted; errors never reach a summary.
    pub warnings: Vec<Diagnostic>,
    /// Only the pages whose commentary changed were rendered (`serve`; see [`Session`]).
    pub partial: bool,
}

impl Summary {
    fn new(
        counts: render::Counts,
        site: &model::Site,
        started: Instant,
        watch: Stopwatch,
        diagnostics: Diagnostics,
        partial: bool,
    ) -> Self {
        Summary {
            pages: counts.pages,
            charts: counts.charts,
            localities: site.localities.len(),
            reports: site.reports.len(),
            seconds: started.elapsed().as_secs_f64(),
            stages: watch.stages,
            warnings: diagnostics.into_sorted(),
            partial,
        }
    }
}

/// Times the stages of a build.
struct Stopwatch {
    last: Instant,
    stages: Vec<(&'static str, f64)>,
}

impl Stopwatch {
    fn new() -> Self {
        Stopwatch { last: Instant::now(), stages: Vec::new() }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// The input has problems the user can fix: every one of them, sorted, warnings included.
    Input(Vec<Diagnostic>),
    /// Writing the output failed.
    Output(OutputError),
    /// The command line asks for something that cannot be done, e.g. an output folder
    /// that would replace the site.
    Usage(String),
    /// Something that should not happen; reported rather than a panic.
    Internal(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Input(ds) => write!(f, "{} error(s) in the input", ds.iter().filter(|d| d.is_error()).count()),
            Error::Output(e) if e.is_disk_full() => {
                // The file was in the staging folder, which is gone: name the folder it was in.
                let staging = e
                    .path
                    .ancestors()
                    .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(".tiendo-")));
                let place = staging.and_then(Path::parent).unwrap_or(&e.path);
                write!(
                    f,
                    "the disk is full: the new site did not fit in {}; nothing was published, the published site is unchanged. Free some space and build again",
                    place.display()
                )
            }
            Error::Output(e) => write!(f, "cannot write the site: {e}"),
            Error::Usage(e) => write!(f, "{e}"),
            Error::Internal(e) => write!(f, "internal error: {e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Everything validated and loaded, ready to render.
pub struct Prepared {
    pub site: model::Site,
    pub theme: render::Theme,
    pub strings: i18n::Strings,
    pub diagnostics: Diagnostics,
}

/// Load, validate and load the theme: everything `check` does.
pub fn prepare(root: &Path) -> Result<Prepared, Error> {
    prepare_timed(root, &mut Stopwatch::new())
}

fn prepare_timed(root: &Path, watch: &mut Stopwatch) -> Result<Prepared, Error> {
    let mut diags = Diagnostics::new();
    let input = load::load(root, &mut diags);
    watch.lap("load");
    let site = validate::validate(input, &mut diags);
    watch.lap("validate");
    let language = site.as_ref().map_or(model::Language::Vi, |s| s.config.language);
    let strings = i18n::Strings::load(language, &root.join("templates"), &mut diags);
    let theme = render::Theme::load(root, &mut diags);
    watch.lap("theme");
    match (site, theme) {
        (Some(site), Some(theme)) if !diags.has_errors() => Ok(Prepared { site, theme, strings, diagnostics: diags }),
        _ => Err(Error::Input(diags.into_sorted())),
    }
}

/// Validates the site at `root` and writes nothing. Returns the warnings.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>, Error> {
    prepare(root).map(|p| p.diagnostics.into_sorted())
}

/// Builds the site at `options.root` into `options.output`.
pub fn build(options: &BuildOptions) -> Result<Summary, Error> {
    let started = Instant::now();
    let mut watch = Stopwatch::new();
    let target = check_options(options)?;
    let prepared = prepare_for(options, &mut watch)?;
    build_prepared(&target, prepared, started, watch).map(|(summary, _)| summary)
}

/// What the command line asks for that can be refused before the input is read: an
/// output folder that is not tiendo's to replace, a base URL that is not an address.
/// The output folder as the system sees it.
fn check_options(options: &BuildOptions) -> Result<std::path::PathBuf, Error> {
    if let Some(url) = &options.base_url
        && validate::base_url(url).is_none()
    {
        return Err(Error::Usage(format!(
            "--base-url {url} is not a web address: give the full address the site is published at, e.g. https://example.gov.vn/tien-do"
        )));
    }
    output::check_output(&options.root, &options.output).map_err(Error::Usage)
}

/// What a build keeps for the next one, in `serve`.
struct Kept {
    site: model::Site,
    computed: compute::Computed,
}

/// `prepare`, with the options' overrides applied to the site.
fn prepare_for(options: &BuildOptions, watch: &mut Stopwatch) -> Result<Prepared, Error> {
    let mut prepared = prepare_timed(&options.root, watch)?;
    if let Some(url) = options.base_url.as_deref().and_then(validate::base_url) {
        prepared.site.config.base_url = Some(url);
    }
    Ok(prepared)
}

/// Builds into `target`, an output folder [`check_options`] accepted.
fn build_prepared(
    target: &Path,
    prepared: Prepared,
    started: Instant,
    mut watch: Stopwatch,
) -> Result<(Summary, Kept), Error> {
    let Prepared { site, mut theme, strings, mut diagnostics } = prepared;
    let computed = compute::compute(&site);
    watch.lap("compute");
    let staging = Staging::new(target).map_err(Error::Output)?;
    // The data files are independent of the pages: written alongside them, they fill
    // the gaps the rendering leaves on the other core.
    let (rendered, data) = rayon::join(
        || render::render(&site, &computed, &mut theme, &strings, &staging, &render::jobs(&site)),
        || write_data(&site, &computed, &staging),
    );
    let counts = rendered.map_err(|e| render_error(e, &diagnostics))?;
    data?;
    watch.lap("render and data files");
    let published = staging.publish().map_err(Error::Output)?;
    if let Some((folder, e)) = published.leftover {
        diagnostics.push(
            Diagnostic::warning(folder.display().to_string(), format!("the replaced site could not be deleted: {e}"))
                .help(format!(
                    "the new site is published; delete this leftover folder yourself (it may need `sudo rm -rf {}`)",
                    folder.display()
                )),
        );
    }
    watch.lap("publish");
    let summary = Summary::new(counts, &site, started, watch, diagnostics, false);
    Ok((summary, Kept { site, computed }))
}

/// A template's failure is reported with the input's other diagnostics.
fn render_error(e: render::RenderError, diagnostics: &Diagnostics) -> Error {
    match e {
        render::RenderError::Template(d) => {
            let mut all = diagnostics.clone();
            all.push(d);
            Error::Input(all.into_sorted())
        }
        render::RenderError::Output(e) => Error::Output(e),
    }
}

/// Builds one site again and again into one output folder, for `serve`. The last good
/// build's model stays in memory; an edit that changes only commentary shown on one page
/// (see [`render::commentary_changes`]) re-renders just those pages, in place, without
/// computing anything again. Any other edit rebuilds the whole site, which takes
/// a fraction of a second even for a national one.
pub struct Session {
    options: BuildOptions,
    last: Option<Kept>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Self {
        Session { options, last: None }
    }

    /// Builds after an edit. `templates_changed` says a template or a translation may have
    /// changed, which the model does not show: everything is rendered again then.
    pub fn rebuild(&mut self, templates_changed: bool) -> Result<Summary, Error> {
        let started = Instant::now();
        let mut watch = Stopwatch::new();
        let target = check_options(&self.options)?;
        let prepared = prepare_for(&self.options, &mut watch)?;
        if let Some(last) = self.last.as_mut().filter(|_| !templates_changed)
            && let Some(jobs) = render::commentary_changes(&last.site, &prepared.site)
        {
            let Prepared { site, mut theme, strings, diagnostics } = prepared;
            let out = output::InPlace { dir: target };
            let counts = render::render(&site, &last.computed, &mut theme, &strings, &out, &jobs)
                .map_err(|e| render_error(e, &diagnostics))?;
            watch.lap("render");
            let summary = Summary::new(counts, &site, started, watch, diagnostics, true);
            last.site = site;
            return Ok(summary);
        }
        let (summary, kept) = build_prepared(&target, prepared, started, watch)?;
        self.last = Some(kept);
        Ok(summary)
    }
}

fn write_data(site: &model::Site, computed: &compute::Computed, staging: &Staging) -> Result<(), Error> {
    use rayon::prelude::*;
    let rows = export::rows(site, computed);
    let (csv, json) = rayon::join(
        || -> Result<(), Error> {
            let lines = export::csv_rows(site, &rows);
            staging
                .write_parts("data/figures.csv", &[export::HEADER.as_bytes(), b"\n", lines.text.as_bytes()])
                .map_err(Error::Output)?;
            // Each locality's file is its lines of figures.csv, found by index once.
            let mut by_locality: Vec<Vec<usize>> = vec![Vec::new(); site.localities.len()];
            for (k, row) in rows.iter().enumerate() {
                if let Some(l) = row.locality {
                    by_locality[l].push(k);
                }
            }
            by_locality.par_iter().enumerate().try_for_each(|(l, ks)| {
                let path = format!("data/localities/{}.csv", site.localities[l].id);
                let text = export::csv(ks.iter().map(|&k| lines.line(k)));
                staging.write(&path, text.as_bytes()).map_err(Error::Output)
            })
        },
        || staging.write_with("data/figures.json", |file| export::write_json(site, &rows, file)).map_err(Error::Output),
    );
    csv.and(json)
}
