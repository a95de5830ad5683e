//! tiendo: a folder of YAML figures and Markdown commentary in, a static progress site out.
//!
//! `build` runs the stages of `pipeline`, one module each: load → validate → compute →
//! the archive → render (with charts), share images and data files → publish. `check`
//! runs the load and validate stages (and compiles the templates) and writes nothing.
//! Only the binary prints; the library returns values and diagnostics.
//!
//! Where things are, for a reader who has to change one of them:
//! - the build's stages, in order: `pipeline`;
//! - where every page and file of the output goes: the page table, `pages`;
//! - the year archive (`years/<YYYY>/`): `archive`;
//! - the cache (`.tiendo-cache/`) and its two stores: `cache`;
//! - share images: `share`;
//! - words, for staff and readers, and the list of languages: `words`;
//! - publishing the output folder: `output`; the preview and its rebuilds: `serve`.

#![warn(clippy::print_stdout, clippy::print_stderr)]

// What the binary, the tests and the benchmark use is public; the rest is the crate's own.
mod archive;
mod cache;
pub mod charts;
pub mod compute;
mod date;
pub mod diag;
mod error;
pub mod export;
pub mod format;
pub mod import;
pub mod load;
mod maps;
pub mod markdown;
pub mod model;
pub mod new;
mod output;
mod pages;
mod pipeline;
mod progress;
mod render;
pub mod serve;
pub mod share;
mod text;
pub mod validate;
pub mod words;

use std::path::Path;

use diag::Diagnostic;

pub use error::Error;
pub use output::OutputError;
pub use pipeline::{BuildOptions, Summary};
/// The program's allocator wrapped with the bound on memory while a page renders.
pub use render::bound::Bounded as BoundedAllocator;
pub use serve::Session;
pub use words::messages::for_site as messages_for;

/// Validates the site at `root` and writes nothing. Returns the warnings.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>, Error> {
    pipeline::prepare(root, &mut pipeline::Stopwatch::new()).map(|p| p.diagnostics.into_sorted())
}

/// Builds the site at `options.root` into `options.output`.
pub fn build(options: &BuildOptions) -> Result<Summary, Error> {
    build_telling(options, &|| {})
}

/// [`build`], calling `waiting` if another build of the site is under way, before
/// waiting for it to end (the site's cache serves one build at a time).
pub fn build_telling(options: &BuildOptions, waiting: &dyn Fn()) -> Result<Summary, Error> {
    pipeline::run(options, share::Which::All, waiting).map(|(summary, _)| summary)
}
