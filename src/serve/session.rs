//! The builds of `serve`: one site built again and again into one output folder, through
//! the same stages as `build` (see `pipeline`). Only `serve` keeps what a build rendered,
//! between its rebuilds.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::output::InPlace;
use crate::pipeline::{self, BuildOptions, Model, Stopwatch, Summary};
use crate::{Error, render, share};

/// Builds one site again and again into one output folder, for `serve`. The last good
/// build's model stays in memory; an edit that changes only commentary shown on one page
/// (see [`render::commentary_changes`]) re-renders just those pages, in place, without
/// computing anything again. Any other edit rebuilds the whole site, which takes
/// a fraction of a second even for a national one.
pub struct Session {
    options: BuildOptions,
    last: Option<Model>,
    /// Set while pictures the last build left out are drawn in the background.
    drawing: Arc<AtomicBool>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Self {
        Session { options, last: None, drawing: Default::default() }
    }

    /// Draws, on a thread of its own, the share images the last build did not have in the
    /// cache (a build in `serve` does not wait for them), so that the next build does.
    /// `false` when pictures are being drawn already, or nothing was built yet.
    pub fn draw_pictures(&self) -> bool {
        let Some(last) = &self.last else { return false };
        if self.drawing.swap(true, Ordering::SeqCst) {
            return false;
        }
        let (root, site, computed, strings) =
            (last.root.clone(), last.site.clone(), last.computed.clone(), last.strings.clone());
        let drawing = self.drawing.clone();
        std::thread::spawn(move || {
            share::draw_missing(&root, &site, &computed, &strings);
            drawing.store(false, Ordering::SeqCst);
        });
        true
    }

    /// Builds after an edit. `templates_changed` says a template or a translation may have
    /// changed, which the model does not show: everything is rendered again then.
    pub fn rebuild(&mut self, templates_changed: bool) -> Result<Summary, Error> {
        let mut watch = Stopwatch::new();
        let target = pipeline::check_options(&self.options)?;
        let mut prepared = pipeline::prepare_for(&self.options, &mut watch)?;
        if let Some(last) = self.last.as_mut().filter(|_| !templates_changed)
            && let Some(jobs) = render::commentary_changes(&last.site, &prepared.site)
        {
            let out = InPlace { dir: target };
            let outputs = render::Outputs { site: &out, years: Vec::new() };
            let input = render::Input { site: &prepared.site, computed: &last.computed, strings: &prepared.strings };
            let counts = render::render(input, &mut prepared.theme, &outputs, &jobs)
                .map_err(|e| pipeline::render_error(e, &prepared.diagnostics))?;
            watch.lap("stage_render_changed");
            let summary = prepared.summary(counts, watch, true);
            last.site = prepared.site;
            return Ok(summary);
        }
        // Only the pictures the cache has: a preview does not wait for them to be drawn.
        let (summary, model) = pipeline::run_prepared(&target, prepared, watch, share::Which::Kept, None, &|| {})?;
        self.last = Some(model);
        Ok(summary)
    }
}
