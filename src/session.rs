//! The builds of `serve`: one site built again and again into one output folder.

use std::time::Instant;

use crate::{
    BuildOptions, Error, Kept, Stopwatch, Summary, build_prepared, check_options, output, prepare_for, render,
};

/// Builds one site again and again into one output folder, for `serve`. The last good
/// build's model stays in memory; an edit that changes only commentary shown on one page
/// (see [`render::commentary_changes`]) re-renders just those pages, in place, without
/// computing anything again. Any other edit rebuilds the whole site, which takes
/// a fraction of a second even for a national one.
pub struct Session {
    options: BuildOptions,
    last: Option<Kept>,
    /// Set while pictures the last build left out are drawn in the background.
    drawing: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Self {
        Session { options, last: None, drawing: Default::default() }
    }

    /// Draws, on a thread of its own, the share images the last build did not have in the
    /// cache (a build in `serve` does not wait for them), so that the next build does.
    /// `false` when pictures are being drawn already, or nothing was built yet.
    pub fn draw_pictures(&self) -> bool {
        use std::sync::atomic::Ordering;
        let Some(last) = &self.last else { return false };
        if self.drawing.swap(true, Ordering::SeqCst) {
            return false;
        }
        let kept = Kept {
            site: last.site.clone(),
            computed: last.computed.clone(),
            root: last.root.clone(),
            strings: last.strings.clone(),
        };
        let drawing = self.drawing.clone();
        std::thread::spawn(move || {
            crate::draw_missing(&kept);
            drawing.store(false, Ordering::SeqCst);
        });
        true
    }

    /// Builds after an edit. `templates_changed` says a template or a translation may have
    /// changed, which the model does not show: everything is rendered again then.
    pub fn rebuild(&mut self, templates_changed: bool) -> Result<Summary, Error> {
        let started = Instant::now();
        let mut watch = Stopwatch::new();
        let target = check_options(&self.options)?;
        let mut prepared = prepare_for(&self.options, &mut watch)?;
        if let Some(last) = self.last.as_mut().filter(|_| !templates_changed)
            && let Some(jobs) = render::commentary_changes(&last.site, &prepared.site)
        {
            let out = output::InPlace { dir: target };
            let counts = render::render(
                &prepared.site,
                &last.computed,
                &mut prepared.theme,
                &prepared.strings,
                &out,
                &[],
                &jobs,
            )
            .map_err(|e| crate::render_error(e, &prepared.diagnostics))?;
            watch.lap("stage_render_changed");
            last.site = prepared.site.clone();
            return Ok(Summary::new(counts, prepared, started, watch, true));
        }
        // Only the pictures the cache has: a preview does not wait for them to be drawn.
        let (summary, kept) = build_prepared(&target, prepared, started, watch, crate::Images::Kept)?;
        self.last = Some(kept);
        Ok(summary)
    }
}
