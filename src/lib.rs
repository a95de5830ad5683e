//! tiendo: a folder of YAML figures and Markdown commentary in, a static progress site out.
//!
//! `build` is one pipeline, one module per stage:
//! load → validate → compute → render (with charts) → write. `check` runs the
//! same load and validate stages (and compiles the templates) and writes nothing.
//! Only the binary prints; the library returns values and diagnostics.

#![warn(clippy::print_stdout, clippy::print_stderr)]

// What the binary, the tests and the benchmark use is public; the rest is the crate's own.
pub mod charts;
pub mod compute;
mod date;
pub mod diag;
mod error;
pub mod export;
pub mod format;
mod i18n;
pub mod import;
pub mod load;
pub mod markdown;
pub mod messages;
pub mod model;
pub mod new;
mod output;
mod progress;
mod render;
pub mod serve;
mod session;
pub mod share;
mod text;
pub mod validate;

use std::path::{Path, PathBuf};
use std::time::Instant;

use diag::{Diagnostic, Diagnostics};

pub use error::Error;
pub use output::OutputError;
use output::Staging;
pub use session::Session;

/// The words of messages about the site at `root`: those of `lang` (`--lang`) when it
/// is given and has a catalogue, else of the site's `language`, else Vietnamese (SPEC §1).
/// site.yaml is only looked at for its `language:` line, so that a site.yaml broken
/// anywhere else still gets its errors in its language.
pub fn messages_for(root: &Path, lang: Option<&str>) -> &'static messages::Catalogue {
    if let Some(words) = lang.and_then(messages::Catalogue::get) {
        return words;
    }
    let text = load::read_bytes(&root.join(load::SITE_FILE), 1_000_000).unwrap_or_default();
    let code = String::from_utf8_lossy(&text).lines().find_map(|line| {
        let value = line.strip_prefix("language:")?;
        let value = value.split('#').next().unwrap_or("").trim().trim_matches(['"', '\'']);
        Some(value.to_owned())
    });
    code.as_deref().and_then(messages::Catalogue::get).unwrap_or_else(messages::Catalogue::default_language)
}

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
    /// Share images in the site, and how many of them were drawn (not from the cache).
    pub images: usize,
    pub drawn: usize,
    pub localities: usize,
    pub reports: usize,
    pub seconds: f64,
    /// How long each stage took, in order: (stage, seconds).
    pub stages: Vec<(&'static str, f64)>,
    /// Report and targets files read by the YAML parser rather than the fast scanner,
    /// and why: (file, reason).
    pub slow: Vec<(String, messages::Text)>,
    /// Warnings, sorted; errors never reach a summary.
    pub warnings: Vec<Diagnostic>,
    /// Only the pages whose commentary changed were rendered (`serve`; see [`Session`]).
    pub partial: bool,
}

impl Summary {
    fn new(counts: render::Counts, prepared: Prepared, started: Instant, watch: Stopwatch, partial: bool) -> Self {
        Summary {
            pages: counts.pages,
            charts: counts.charts,
            images: counts.images,
            drawn: 0,
            localities: prepared.site.localities.len(),
            reports: prepared.site.reports.len(),
            seconds: started.elapsed().as_secs_f64(),
            stages: watch.stages,
            slow: prepared.slow,
            warnings: prepared.diagnostics.into_sorted(),
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

/// Everything validated and loaded, ready to render.
struct Prepared {
    /// The site's folder.
    root: PathBuf,
    site: model::Site,
    theme: render::Theme,
    strings: i18n::Strings,
    diagnostics: Diagnostics,
    slow: Vec<(String, messages::Text)>,
}

/// Load, validate and load the theme: everything `check` does.
fn prepare(root: &Path, watch: &mut Stopwatch) -> Result<Prepared, Error> {
    let mut diags = Diagnostics::new();
    let mut input = load::load(root, &mut diags);
    let slow = std::mem::take(&mut input.slow);
    watch.lap("stage_load");
    let site = validate::validate(input, &mut diags);
    watch.lap("stage_validate");
    let language = site.as_ref().map_or(model::Language::Vi, |s| s.config.language);
    let strings = i18n::Strings::load(language, &root.join("templates"), &mut diags);
    let theme = render::Theme::load(root, &mut diags);
    watch.lap("stage_theme");
    match (site, theme) {
        (Some(site), Some(theme)) if !diags.has_errors() => {
            Ok(Prepared { root: root.to_owned(), site, theme, strings, diagnostics: diags, slow })
        }
        _ => Err(Error::Input(diags.into_sorted())),
    }
}

/// Validates the site at `root` and writes nothing. Returns the warnings.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>, Error> {
    prepare(root, &mut Stopwatch::new()).map(|p| p.diagnostics.into_sorted())
}

/// Builds the site at `options.root` into `options.output`.
pub fn build(options: &BuildOptions) -> Result<Summary, Error> {
    let started = Instant::now();
    let mut watch = Stopwatch::new();
    let target = check_options(options)?;
    let prepared = prepare_for(options, &mut watch)?;
    build_prepared(&target, prepared, started, watch, Images::All).map(|(summary, _)| summary)
}

/// Which share images a build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Images {
    /// Every page's, drawn where the cache does not have it.
    All,
    /// Only those the cache has: `serve` does not wait for pictures to be drawn.
    Kept,
}

/// The share images a build wrote, and the cache they came from.
struct Pictures {
    /// How many are in the site.
    written: usize,
    /// How many of them were drawn, not taken from the cache.
    drawn: usize,
    cache: Option<share::Cache>,
    /// The cache's pictures this site uses.
    used: std::collections::HashSet<String>,
}

/// Writes every page's share image into `staging`: from the cache when it has the
/// picture, else drawn (on every core) and kept there (see `share`). A picture that
/// cannot be drawn is left out, never the build.
fn share_images(
    root: &Path,
    site: &model::Site,
    computed: &compute::Computed,
    strings: &i18n::Strings,
    staging: &Staging,
    images: Images,
) -> Result<Pictures, output::OutputError> {
    use output::Sink;
    use rayon::prelude::*;
    let cards = render::share_cards(site, computed, strings);
    let cache = share::Cache::open(root);
    let painter: std::sync::OnceLock<share::Painter> = std::sync::OnceLock::new();
    // (key, whether it was drawn) of each picture written.
    let written: Vec<Option<(String, bool)>> = cards
        .par_iter()
        .map(|(rel, card)| {
            let svg = card.svg();
            let key = share::key(&svg);
            if let Some(path) = cache.as_ref().and_then(|c| c.get(&key)) {
                staging.copy_file(rel, &path)?;
                return Ok(Some((key, false)));
            }
            if images == Images::Kept {
                return Ok(None);
            }
            let painter = painter.get_or_init(share::Painter::new);
            let drawn = match &cache {
                Some(c) => c.draw(painter, &svg, &key),
                None => painter.png(&svg).map(|png| (png, None)),
            };
            match drawn {
                Ok((_, Some(path))) => staging.copy_file(rel, &path)?,
                Ok((png, None)) => staging.write(rel, &png)?,
                Err(_) => return Ok(None),
            }
            Ok(Some((key, true)))
        })
        .collect::<Result<_, output::OutputError>>()?;
    let written: Vec<(String, bool)> = written.into_iter().flatten().collect();
    Ok(Pictures {
        written: written.len(),
        drawn: written.iter().filter(|(_, drawn)| *drawn).count(),
        used: written.into_iter().map(|(key, _)| key).collect(),
        cache,
    })
}

/// What the command line asks for that can be refused before the input is read: an
/// output folder that is not tiendo's to replace, a base URL that is not an address.
/// The output folder as the system sees it.
fn check_options(options: &BuildOptions) -> Result<PathBuf, Error> {
    if let Some(url) = &options.base_url
        && validate::base_url(url).is_none()
    {
        return Err(Error::Usage(t!("base_url_option_invalid", url = url.as_str())));
    }
    output::check_output(&options.root, &options.output).map_err(Error::Usage)
}

/// `prepare`, with the options' overrides applied to the site.
fn prepare_for(options: &BuildOptions, watch: &mut Stopwatch) -> Result<Prepared, Error> {
    let mut prepared = prepare(&options.root, watch)?;
    if let Some(url) = options.base_url.as_deref().and_then(validate::base_url) {
        prepared.site.config.base_url = Some(url);
    }
    Ok(prepared)
}

/// What a build keeps for the next one, in `serve`.
struct Kept {
    site: model::Site,
    computed: compute::Computed,
    /// The site's folder and interface text, for drawing the pictures the build left out.
    root: PathBuf,
    strings: i18n::Strings,
}

/// Draws into the site's cache the share images that are not in it yet, one at a time:
/// what `serve` does after a build that did not wait for them, so that its next build
/// has them. The cache is written only by renames of whole files named by their content,
/// so a build running meanwhile takes a picture or leaves it out, never half of one.
fn draw_missing(kept: &Kept) {
    let Some(cache) = share::Cache::open(&kept.root) else { return };
    let painter = share::Painter::new();
    for (_, card) in render::share_cards(&kept.site, &kept.computed, &kept.strings) {
        let svg = card.svg();
        let key = share::key(&svg);
        if cache.get(&key).is_none() {
            let _ = cache.draw(&painter, &svg, &key);
        }
    }
}

/// Builds into `target`, an output folder [`check_options`] accepted.
fn build_prepared(
    target: &Path,
    mut prepared: Prepared,
    started: Instant,
    mut watch: Stopwatch,
    images: Images,
) -> Result<(Summary, Kept), Error> {
    let computed = compute::compute(&prepared.site);
    watch.lap("stage_compute");
    let staging = Staging::new(target).map_err(Error::Output)?;
    let Prepared { root, site, theme, strings, .. } = &mut prepared;
    let earlier = EarlierYears::new(root, site, &computed, theme, strings);
    watch.lap("stage_earlier_years");
    let mut jobs = render::jobs(site, &computed);
    jobs.retain(|job| !matches!(job, render::Job::Archive(k, _) if earlier.reused(*k)));
    let keeping = earlier.sinks(&staging);
    let years_out: Vec<&dyn output::Sink> = keeping.iter().map(|k| k as &dyn output::Sink).collect();
    // The data files and the pages kept from an earlier build are independent of the
    // pages rendered: written alongside them, they fill the gaps the rendering leaves on
    // the other core.
    let (rendered, ((data, copied), pictures)) = rayon::join(
        || render::render(site, &computed, theme, strings, &staging, &years_out, &jobs),
        || {
            rayon::join(
                || rayon::join(|| write_data(site, &computed, &staging), || copy_kept(&earlier.kept, &staging)),
                || share_images(root, site, &computed, strings, &staging, images),
            )
        },
    );
    let pictures = pictures.map_err(Error::Output)?;
    let counts = rendered.map_err(|e| render_error(e, &prepared.diagnostics))?
        + copied.map_err(Error::Output)?
        + render::Counts { images: pictures.written, ..Default::default() };
    data?;
    watch.lap("stage_render");
    drop(years_out);
    drop(keeping);
    let published = staging.publish().map_err(Error::Output)?;
    // Kept only once the site they were written into is published.
    earlier.keep();
    if images == Images::All
        && let Some(cache) = &pictures.cache
    {
        cache.keep_only(&pictures.used);
    }
    if let Some((folder, e)) = published.leftover {
        prepared.diagnostics.push(
            Diagnostic::warning(
                folder.display().to_string(),
                t!("leftover_not_deleted", why = messages::io_reason(&e.source)),
            )
            .help(t!("leftover_not_deleted_help", folder = folder.display().to_string())),
        );
    }
    watch.lap("stage_publish");
    let site = prepared.site.clone();
    let (prepared_root, prepared_strings) = (prepared.root.clone(), prepared.strings.clone());
    let summary = Summary { drawn: pictures.drawn, ..Summary::new(counts, prepared, started, watch, false) };
    let (root, strings) = (prepared_root, prepared_strings);
    Ok((summary, Kept { site, computed, root, strings }))
}

/// The earlier years of a build: for each, its pages kept from an earlier build (when
/// their key matches), or a keeper that writes them into the site and keeps them for the
/// next one (see `output::years`).
struct EarlierYears {
    /// By earlier year: its pages kept by an earlier build, checked.
    kept: Vec<Option<output::years::Kept>>,
    keepers: Vec<Option<output::years::Keeper>>,
}

impl EarlierYears {
    fn new(
        root: &Path,
        site: &model::Site,
        computed: &compute::Computed,
        theme: &render::Theme,
        strings: &i18n::Strings,
    ) -> Self {
        let past = computed.years.len().saturating_sub(1);
        let dir = if past > 0 { output::years::folder(root) } else { None };
        let keys = dir.as_ref().map(|_| render::archive_keys(site, computed, theme, strings)).unwrap_or_default();
        let (mut kept, mut keepers) = (Vec::with_capacity(past), Vec::with_capacity(past));
        for k in 0..past {
            let (Some(dir), Some(key)) = (&dir, keys.get(k)) else {
                kept.push(None);
                keepers.push(None);
                continue;
            };
            let year = computed.years[k].year;
            let pages = output::years::open(dir, year, key);
            keepers.push(pages.is_none().then(|| output::years::Keeper::new(dir, year, key)));
            kept.push(pages);
        }
        EarlierYears { kept, keepers }
    }

    fn reused(&self, k: usize) -> bool {
        self.kept.get(k).is_some_and(Option::is_some)
    }

    /// Where each earlier year's pages are written: into the site, and kept for the next
    /// build when they were not.
    fn sinks<'s>(&'s self, staging: &'s Staging) -> Vec<output::years::Keeping<'s>> {
        self.keepers.iter().map(|k| output::years::Keeping { site: staging, keeper: k.as_ref() }).collect()
    }

    /// Puts the earlier years kept in this build in place.
    fn keep(self) {
        for keeper in self.keepers.into_iter().flatten() {
            keeper.finish();
        }
    }
}

/// Writes the pages kept from an earlier build into the new site; how many.
fn copy_kept(kept: &[Option<output::years::Kept>], staging: &Staging) -> Result<render::Counts, output::OutputError> {
    let mut pages = 0;
    for year in kept.iter().flatten() {
        pages += year.copy_into(staging)?;
    }
    Ok(render::Counts { pages, charts: 0, images: 0 })
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

/// `data/figures.csv`, `data/figures.json`, and each locality's share of the CSV.
fn write_data(site: &model::Site, computed: &compute::Computed, staging: &Staging) -> Result<(), Error> {
    use rayon::prelude::*;
    let rows = export::rows(site, computed);
    let (csv, json) = rayon::join(
        || -> Result<(), Error> {
            let lines = export::csv_rows(site, &rows);
            staging
                .write_parts(render::FIGURES_CSV, &[export::HEADER.as_bytes(), b"\n", lines.text.as_bytes()])
                .map_err(Error::Output)?;
            // Each locality's file is its lines of figures.csv, found by index once.
            let mut by_locality: Vec<Vec<usize>> = vec![Vec::new(); site.localities.len()];
            for (k, row) in rows.iter().enumerate() {
                if let Some(l) = row.locality {
                    by_locality[l].push(k);
                }
            }
            by_locality.par_iter().enumerate().try_for_each(|(l, ks)| {
                let text = export::csv(ks.iter().map(|&k| lines.line(k)));
                staging.write(&render::locality_csv(site, l), text.as_bytes()).map_err(Error::Output)
            })
        },
        || {
            staging
                .write_with(render::FIGURES_JSON, |file| export::write_json(site, &rows, file))
                .map_err(Error::Output)
        },
    );
    csv.and(json)
}
