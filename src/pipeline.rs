//! The build, stage by stage: what `tiendo build` runs, and what each of `serve`'s
//! rebuilds runs (see `serve::session`). [`run`] reads top to bottom as the list of
//! stages, each a function of the module that owns it:
//!
//! 1. **load** (`load::load`): every input file read into raw types;
//! 2. **validate** (`validate::validate`): raw types into the model, every problem found;
//!    with the theme (`render::Theme::load`) and the words of the site's language;
//! 3. **compute** (`compute::compute`): the arithmetic of SPEC §2;
//! 4. **the archive** (`archive::Archive::open`): which earlier years' pages the cache
//!    has, and which must be rendered;
//! 5. **render** (`render::render`), **share images** (`share::images`) and **data files**
//!    (`export::write`), side by side on every core, into a staging folder;
//! 6. **publish** (`output::Staging::publish`), and only then the cache keeps what this
//!    site used (`archive::Archive::keep`, `share::Written::keep`).
//!
//! `check` runs the first two stages and writes nothing.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::archive::Archive;
use crate::compute::{self, Computed};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{self, Site};
use crate::output::{self, Sink, Staging};
use crate::render::{self, Theme};
use crate::words::Strings;
use crate::words::messages;
use crate::{Error, export, load, share, t, validate};

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
    /// Only the pages whose commentary changed were rendered (`serve`).
    pub partial: bool,
    /// The files this build added, changed and removed in the output folder (`build`).
    pub changes: Option<Changed>,
}

/// What a build changed in the output folder, and the list of it beside the folder.
#[derive(Debug, Clone)]
pub struct Changed {
    pub files: crate::output::changes::Changes,
    pub list: PathBuf,
    /// Whether the list was written: not over a file of that name that is not tiendo's.
    pub listed: bool,
}

impl Summary {
    /// What the build changed in the output folder, and where that is listed, in words.
    pub fn changes_text(&self) -> Option<messages::Text> {
        use messages::Count;
        let Changed { files, list, listed } = self.changes.as_ref()?;
        let n = |v: &Vec<String>| Count(v.len() as u64);
        let (added, changed, removed) = (n(&files.added), n(&files.changed), n(&files.removed));
        let list = list.display().to_string();
        Some(if *listed {
            t!("build_changes", added, changed, removed, list)
        } else {
            t!("build_changes_unlisted", added, changed, removed, list)
        })
    }
}

/// Times the stages of a build.
pub(crate) struct Stopwatch {
    started: Instant,
    last: Instant,
    stages: Vec<(&'static str, f64)>,
}

impl Stopwatch {
    pub(crate) fn new() -> Self {
        let now = Instant::now();
        Stopwatch { started: now, last: now, stages: Vec::new() }
    }

    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}

/// Everything validated and loaded, ready to compute and render.
pub(crate) struct Prepared {
    /// The site's folder.
    pub root: PathBuf,
    pub site: Site,
    pub theme: Theme,
    pub strings: Strings,
    pub diagnostics: Diagnostics,
    slow: Vec<(String, messages::Text)>,
}

impl Prepared {
    /// What a build of this site did: `counts` written in `watch`'s stages. Its warnings
    /// go into the summary.
    pub(crate) fn summary(&mut self, counts: render::Counts, watch: Stopwatch, partial: bool) -> Summary {
        Summary {
            pages: counts.pages,
            charts: counts.charts,
            images: 0,
            drawn: 0,
            localities: self.site.localities.len(),
            reports: self.site.reports.len(),
            seconds: watch.started.elapsed().as_secs_f64(),
            stages: watch.stages,
            slow: std::mem::take(&mut self.slow),
            warnings: std::mem::take(&mut self.diagnostics).into_sorted(),
            partial,
            changes: None,
        }
    }
}

/// The load and validate stages: everything `check` does.
pub(crate) fn prepare(root: &Path, watch: &mut Stopwatch) -> Result<Prepared, Error> {
    let mut diags = Diagnostics::new();
    let mut input = load::load(root, &mut diags);
    let slow = std::mem::take(&mut input.slow);
    watch.lap("stage_load");
    let site = validate::validate(input, &mut diags);
    watch.lap("stage_validate");
    let language = site.as_ref().map_or(model::Language::default_language(), |s| s.config.language);
    let strings = Strings::load(language, &root.join("templates"), &mut diags);
    let theme = Theme::load(root, &mut diags);
    watch.lap("stage_theme");
    match (site, theme) {
        (Some(site), Some(theme)) if !diags.has_errors() => {
            Ok(Prepared { root: root.to_owned(), site, theme, strings, diagnostics: diags, slow })
        }
        _ => Err(Error::Input(diags.into_sorted())),
    }
}

/// What the command line asks for that can be refused before the input is read: an
/// output folder that is not tiendo's to replace, a base URL that is not an address.
/// The output folder as the system sees it.
pub(crate) fn check_options(options: &BuildOptions) -> Result<PathBuf, Error> {
    if let Some(url) = &options.base_url
        && validate::base_url(url).is_none()
    {
        return Err(Error::Usage(t!("base_url_option_invalid", url = url.as_str())));
    }
    output::check_output(&options.root, &options.output).map_err(Error::Usage)
}

/// [`prepare`], with the options' overrides applied to the site.
pub(crate) fn prepare_for(options: &BuildOptions, watch: &mut Stopwatch) -> Result<Prepared, Error> {
    let mut prepared = prepare(&options.root, watch)?;
    if let Some(url) = options.base_url.as_deref().and_then(validate::base_url) {
        prepared.site.config.base_url = Some(url);
    }
    Ok(prepared)
}

/// What a build rendered, for `serve` to keep between rebuilds.
pub(crate) struct Model {
    pub root: PathBuf,
    pub site: Site,
    pub computed: Computed,
    pub strings: Strings,
}

/// Builds the site of `options` with `pictures`: every stage, in order.
pub(crate) fn run(
    options: &BuildOptions,
    pictures: share::Which,
    waiting: &dyn Fn(),
) -> Result<(Summary, Model), Error> {
    let mut watch = Stopwatch::new();
    let target = check_options(options)?;
    let prepared = prepare_for(options, &mut watch)?;
    run_prepared(&target, prepared, watch, pictures, Some(&options.output), waiting)
}

/// The stages after load and validate, for a site [`prepare`]d to be built into `target`
/// (an output folder [`check_options`] accepted).
pub(crate) fn run_prepared(
    target: &Path,
    mut prepared: Prepared,
    mut watch: Stopwatch,
    pictures: share::Which,
    list_beside: Option<&Path>,
    waiting: &dyn Fn(),
) -> Result<(Summary, Model), Error> {
    // One build of a site at a time: the cache is shared. `waiting` is told when another
    // holds it.
    let _lock = crate::cache::lock(&prepared.root, waiting);
    let computed = compute::compute(&prepared.site);
    watch.lap("stage_compute");
    let staging = Staging::new(target).map_err(Error::Output)?;
    let Prepared { root, site, theme, strings, .. } = &mut prepared;
    let archive = Archive::open(root, site, &computed, theme, strings);
    watch.lap("stage_earlier_years");
    let jobs = render::jobs(site, archive.to_render(site, &computed));
    let years = archive.sinks(&staging);
    let out = render::Outputs { site: &staging, years: years.iter().map(|k| k as &dyn Sink).collect() };
    let input = render::Input { site, computed: &computed, strings };
    // The pages kept by the archive, the share images and the data files do not depend on
    // the pages rendered: written alongside them, they fill the gaps the rendering leaves
    // on the other core.
    let (rendered, ((kept, data), images)) = rayon::join(
        || render::render(input, theme, &out, &jobs),
        || {
            rayon::join(
                || rayon::join(|| archive.copy_kept(&staging), || export::write(site, &computed, &staging)),
                || share::images(root, site, &computed, strings, &staging, pictures),
            )
        },
    );
    let images = images.map_err(Error::Output)?;
    let rendered = rendered.map_err(|e| render_error(e, &prepared.diagnostics))?;
    let kept = kept.map_err(Error::Output)?;
    data.map_err(Error::Output)?;
    watch.lap("stage_render");
    drop(out);
    drop(years);
    // What changed since the site in the output folder, for those who upload only that.
    // (Listed beside the output as it was named: a link to a folder in a web root is not
    // followed to write there.)
    // Hashes of the cache's files hashed by earlier builds; kept for those this one used.
    let known = list_beside.map(|_| crate::cache::published::read_linked(&prepared.root)).unwrap_or_default();
    let (sums, linked) = if list_beside.is_some() { staging.sums(&known) } else { Default::default() };
    let changes = list_beside.and_then(|beside| {
        let before = crate::cache::published::read(&prepared.root, target);
        Some((beside, changes_from(target, staging.dir(), before.as_ref(), &sums)?))
    });
    let published = staging.publish().map_err(Error::Output)?;
    if list_beside.is_some() {
        crate::cache::published::write(&prepared.root, target, &sums);
        if linked != known {
            crate::cache::published::write_linked(&prepared.root, &linked);
        }
    }
    let changes = changes.map(|(beside, c)| {
        let words = crate::words::messages::for_site(&prepared.root, None);
        let say = |text: messages::Text| words.render(&text);
        let headings = [say(t!("changes_added")), say(t!("changes_changed")), say(t!("changes_removed"))];
        let title = say(t!("changes_title", folder = beside.display().to_string()));
        let written = crate::output::changes::write_list(beside, &c, &title, headings.each_ref().map(String::as_str));
        Changed { files: c, list: crate::output::changes::list_path(beside), listed: matches!(written, Ok(true)) }
    });
    // Kept only once the site they were written into is published.
    archive.keep();
    images.keep();
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
    let counts = render::Counts { pages: rendered.pages + kept, charts: rendered.charts };
    let summary =
        Summary { images: images.count, drawn: images.drawn, changes, ..prepared.summary(counts, watch, false) };
    let Prepared { root, site, strings, .. } = prepared;
    Ok((summary, Model { root, site, computed, strings }))
}

/// The files the site in `new` (whose files have the hashes `after`) adds, changes and
/// removes from the one published at `output` (all added when there is none): from the
/// hashes the cache kept of the last build into `output` (`before`), else by reading the
/// two sites; `None` if they cannot be read.
fn changes_from(
    output: &Path,
    new: &Path,
    before: Option<&std::collections::BTreeMap<String, u128>>,
    after: &std::collections::BTreeMap<String, u128>,
) -> Option<crate::output::changes::Changes> {
    use crate::output::changes;
    match before {
        // The record is of this output only while the output is the one recorded.
        Some(before) if std::fs::symlink_metadata(output).is_ok() => Some(changes::from_sums(before, after)),
        _ => changes::between(output, new).ok(),
    }
}

/// A template's failure is reported with the input's other diagnostics.
pub(crate) fn render_error(e: render::RenderError, diagnostics: &Diagnostics) -> Error {
    match e {
        render::RenderError::Template(d) => {
            let mut all = diagnostics.clone();
            all.push(d);
            Error::Input(all.into_sorted())
        }
        render::RenderError::Output(e) => Error::Output(e),
    }
}
