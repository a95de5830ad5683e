//! The theme: built-in templates and assets embedded in the binary, overridden by
//! name by the files of a site's own `templates/` folder.

use std::collections::BTreeMap;
use std::path::Path;

use tera::{ErrorKind, Tera};

use crate::diag::{Diagnostic, Diagnostics};
use crate::load;

/// The built-in templates, as real files under `templates/`.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("figure.html", include_str!("../../templates/figure.html")),
    ("chart.html", include_str!("../../templates/chart.html")),
    ("chart-table.html", include_str!("../../templates/chart-table.html")),
    ("unit-table.html", include_str!("../../templates/unit-table.html")),
    ("bars.html", include_str!("../../templates/bars.html")),
    ("join.html", include_str!("../../templates/join.html")),
    ("map.html", include_str!("../../templates/map.html")),
    ("compare.html", include_str!("../../templates/compare.html")),
    ("table-rows.html", include_str!("../../templates/table-rows.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("localities.html", include_str!("../../templates/localities.html")),
    ("locality.html", include_str!("../../templates/locality.html")),
    ("indicators.html", include_str!("../../templates/indicators.html")),
    ("indicator.html", include_str!("../../templates/indicator.html")),
    ("group.html", include_str!("../../templates/group.html")),
    ("updates.html", include_str!("../../templates/updates.html")),
    ("update.html", include_str!("../../templates/update.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("methodology.html", include_str!("../../templates/methodology.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("embed.html", include_str!("../../templates/embed.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
];

/// The built-in assets, copied to `assets/` in the output.
pub const ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("../../templates/assets/style.css")),
    ("favicon.svg", include_str!("../../templates/assets/favicon.svg")),
    ("search.js", include_str!("../../templates/assets/search.js")),
];

pub struct Theme {
    pub tera: Tera,
    /// Output path under `assets/` → content; built-ins overridden by the site's files.
    pub assets: Vec<(String, Vec<u8>)>,
    /// Template name → (file as messages name it, text), to point rendering errors into.
    sources: BTreeMap<String, (String, String)>,
    /// The language of what the bounds on rendering say (see [`super::bound`]).
    pub words: &'static crate::words::messages::Catalogue,
}

impl Theme {
    /// The built-in theme with the overrides found in `root/templates`.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Theme> {
        let mut tera = Tera::default();
        // Templates are HTML; everything they print is escaped unless marked `safe`.
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        tera.set_escape_fn(crate::text::escape_for_templates);
        let mut sources: BTreeMap<String, (String, String)> = TEMPLATES
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (format!("(built-in) templates/{n}"), (*t).to_owned())))
            .collect();
        if let Err(e) = tera.add_raw_templates(TEMPLATES.iter().copied()) {
            diags.push(Diagnostic::error("(built-in) templates", crate::t!("template_error", detail = e.to_string())));
            return None;
        }
        let mut assets: Vec<(String, Vec<u8>)> =
            ASSETS.iter().map(|(n, c)| ((*n).to_owned(), c.as_bytes().to_vec())).collect();
        let dir = root.join("templates");
        if dir.is_dir() {
            let errors = diags.error_count();
            // The site's own templates: (name, file, text).
            let mut own: Vec<(String, String, String)> = Vec::new();
            // Links inside the site are followed; one that leads out of it is an error.
            let mut walk = walkdir::WalkDir::new(&dir).follow_links(true).sort_by_file_name().into_iter();
            while let Some(entry) = walk.next() {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        diags.push(load::walk_error(root, "templates", &e));
                        continue;
                    }
                };
                if entry.path_is_symlink()
                    && let Some(target) = load::outside(root, entry.path())
                {
                    diags.push(load::outside_error(&load::relative(root, entry.path()), &target));
                    if entry.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    continue;
                }
                if entry.file_type().is_dir() {
                    continue;
                }
                let name = load::relative(&dir, entry.path());
                let rel = format!("templates/{name}");
                if let Some(asset) = name.strip_prefix("assets/") {
                    // Kept from others where the site's own files are not: an asset
                    // made private on purpose (everything is, under a umask of 077).
                    if private(entry.path()) && !private(&root.join(load::SITE_FILE)) {
                        diags.push(
                            Diagnostic::error(&rel, crate::t!("asset_private"))
                                .help(crate::t!("asset_private_help", file = rel.as_str())),
                        );
                        continue;
                    }
                    match load::read_bytes(entry.path(), load::MAX_INPUT_BYTES).map_err(|e| e.diagnostic(&rel)) {
                        Ok(bytes) => match assets.iter_mut().find(|(n, _)| n == asset) {
                            Some(slot) => slot.1 = bytes,
                            None => assets.push((asset.to_owned(), bytes)),
                        },
                        Err(d) => diags.push(d),
                    }
                } else if name.ends_with(".html") || name.ends_with(".xml") {
                    match load::read(entry.path(), rel.clone()) {
                        Ok(file) => own.push((name, rel, file.text)),
                        Err(d) => diags.push(d),
                    }
                }
            }
            if diags.error_count() > errors {
                return None;
            }
            // All at once, so that a template may include or extend any other, whatever
            // their names; where that fails, one at a time, to say what is wrong in each.
            if let Err(e) = tera.add_raw_templates(own.iter().map(|(name, _, text)| (name, text))) {
                for (name, rel, text) in &own {
                    if let Err(e) = tera.add_raw_template(name, text) {
                        diags.push(template_error(rel, text, &e));
                    }
                }
                if diags.error_count() == errors {
                    diags.push(self::batch_error(&own, &e));
                }
                return None;
            }
            for (name, rel, text) in own {
                sources.insert(name, (rel, text));
            }
        }
        assets.sort();
        Some(Theme { tera, assets, sources, words: crate::words::messages::Catalogue::default_language() })
    }

    /// Whether the site's own `templates/` folder overrides the built-in template `name`.
    pub fn overrides(&self, name: &str) -> bool {
        self.sources.get(name).is_some_and(|(file, _)| !file.starts_with("(built-in)"))
    }

    /// Feeds every template and asset into `h`: what a page may be made of.
    pub fn hash_into(&self, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        self.sources.hash(h);
        self.assets.hash(h);
    }

    /// The template `name` rendered with `ctx`, within the bounds on a page (see
    /// [`super::bound`]): at most so many bytes, so long, and so much memory at once.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        use super::bound;
        let file = match self.sources.get(name) {
            Some((file, _)) => file.clone(),
            None => format!("templates/{name}"),
        };
        let mut page = bound::Capped::new();
        match bound::within(&file, self.words, || self.tera.render_to(name, ctx, &mut page)) {
            Ok(()) => Ok(page.bytes),
            Err(_) if page.over => {
                let mb = bound::MAX_PAGE_BYTES >> 20;
                Err(Diagnostic::error(&file, crate::t!("template_page_too_large", mb))
                    .help(crate::t!("template_bound_help")))
            }
            Err(e) => Err(self.render_error(&e)),
        }
    }

    /// A diagnostic for an error met while rendering, pointing into the template at fault.
    pub fn render_error(&self, e: &tera::Error) -> Diagnostic {
        let name = match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => r.filename(),
            _ => "",
        };
        match self.sources.get(name) {
            Some((file, text)) => template_error(file, text, e),
            None => Diagnostic::error("templates", crate::t!("template_error", detail = e.to_string())),
        }
    }
}

/// Whether the file at `path` is kept from others (they may not read it): what is in
/// `templates/assets/` is published for anyone to read.
#[cfg(unix)]
fn private(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o004 == 0)
}

#[cfg(not(unix))]
fn private(_path: &Path) -> bool {
    false
}

/// A diagnostic for the site's templates taken together (`own`: name, file, text), which
/// compile one by one: `e` names the template at fault.
fn batch_error(own: &[(String, String, String)], e: &tera::Error) -> Diagnostic {
    let name = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => r.filename(),
        _ => "",
    };
    match own.iter().find(|(n, _, _)| n == name) {
        Some((_, file, text)) => template_error(file, text, e),
        None => Diagnostic::error("templates", crate::t!("template_error", detail = e.to_string()))
            .help(crate::t!("template_error_help")),
    }
}

/// A diagnostic for a template that does not compile or render, pointing into `text`.
fn template_error(file: &str, text: &str, e: &tera::Error) -> Diagnostic {
    let d = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            Diagnostic::error(file, crate::t!("template_error", detail = r.message())).at(
                &load::SourceFile::new(file, text),
                span.start_line as u64,
                span.start_col as u64 + 1,
            )
        }
        other => Diagnostic::error(file, crate::t!("template_error", detail = other.to_string())),
    };
    d.help(crate::t!("template_error_help"))
}
