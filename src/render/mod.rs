//! Render: every page of SPEC §4 from Tera templates, with its charts, in parallel.
//!
//! Each page is one job: build its typed context, draw its charts, render the
//! template, and write the page and its standalone `.svg` files into the staging
//! folder at once, so no page is held in memory after it is written. Links are
//! relative (`root` is `../` repeated), so the site works under any path and from disk.

mod docs;
mod pages;
pub mod theme;
pub mod views;

use rayon::prelude::*;
use serde::Serialize;

use crate::compute::{Computed, YearData};
use crate::diag::Diagnostic;
use crate::format::Fmt;
use crate::i18n::Strings;
use crate::model::{Doc, Site};
use crate::output::{OutputError, Sink};
pub use theme::Theme;
use views::{NavItem, Words};

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// A template failed while rendering: the site's fault, reported like input errors.
    Template(Diagnostic),
    Output(OutputError),
}

impl From<OutputError> for RenderError {
    fn from(e: OutputError) -> Self {
        RenderError::Output(e)
    }
}

/// What was written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub pages: usize,
    pub charts: usize,
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, o: Counts) -> Counts {
        Counts { pages: self.pages + o.pages, charts: self.charts + o.charts }
    }
}

/// The pages of a site, one rendering job each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Home,
    Localities,
    Locality(usize),
    Indicators,
    Indicator(usize),
    Group(usize),
    Updates,
    Update(usize),
    Page(usize),
    Methodology,
    NotFound,
    /// sitemap.xml and feed.xml, when the site has a base URL.
    Syndication,
}

/// Everything a page job reads.
pub(crate) struct Renderer<'a> {
    pub site: &'a Site,
    pub year: &'a YearData,
    pub computed: &'a Computed,
    pub theme: &'a Theme,
    pub words: Words<'a>,
    pub out: &'a dyn Sink,
    pub base_url: Option<&'a str>,
    /// The dates of the current year's reports, oldest first.
    pub report_dates: Vec<crate::date::Date>,
}

/// Renders every page and chart of `site` into `out`.
pub fn render(
    site: &Site,
    computed: &Computed,
    theme: &mut Theme,
    strings: &Strings,
    out: &dyn Sink,
    base_url: Option<&str>,
) -> Result<Counts, RenderError> {
    if computed.current().is_none() {
        return Ok(Counts::default());
    }
    let mut jobs = vec![Job::Home, Job::Localities, Job::Indicators, Job::Updates, Job::Methodology, Job::NotFound];
    jobs.extend((0..site.localities.len()).map(Job::Locality));
    jobs.extend((0..site.indicators.len()).map(Job::Indicator));
    jobs.extend((0..site.groups.len()).map(Job::Group));
    jobs.extend((0..site.content.updates.len()).map(Job::Update));
    jobs.extend((0..site.content.pages.len()).map(Job::Page));
    if base_url.is_some() {
        jobs.push(Job::Syndication);
    }
    let counts = render_jobs(site, computed, theme, strings, out, base_url, &jobs)?;
    for (name, bytes) in &theme.assets {
        out.write(&format!("assets/{name}"), bytes)?;
    }
    Ok(counts)
}

/// Renders the pages of `jobs` (and their charts) into `out`.
pub fn render_jobs(
    site: &Site,
    computed: &Computed,
    theme: &mut Theme,
    strings: &Strings,
    out: &dyn Sink,
    base_url: Option<&str>,
    jobs: &[Job],
) -> Result<Counts, RenderError> {
    let Some(year) = computed.current() else {
        return Ok(Counts::default());
    };
    let fmt = Fmt::new(site.config.language);
    let words = Words { site, s: strings, fmt };
    set_globals(theme, site, year, &words);
    let report_dates = year.dates.clone();
    let r = Renderer { site, year, computed, theme, words, out, base_url, report_dates };
    jobs.par_iter().map(|job| r.job(*job)).try_reduce(Counts::default, |a, b| Ok(a + b))
}

/// The pages to render again when `new` differs from `old` only in commentary that each
/// appears on one page (the home page's introduction, a locality's or an indicator's
/// commentary, the methodology notes); `None` when anything else changed, from a figure
/// to a bulletin, which lists, navigation or the feed may show.
pub fn commentary_changes(old: &Site, new: &Site) -> Option<Vec<Job>> {
    // Every field by name: a field added to `Site` must be thought about here.
    let Site { config, city, localities, groups, indicators, years, reports, figures, content } = new;
    let same = *config == old.config
        && *city == old.city
        && *localities == old.localities
        && *groups == old.groups
        && *indicators == old.indicators
        && *years == old.years
        && *reports == old.reports
        && *figures == old.figures
        && content.updates == old.content.updates
        && content.pages == old.content.pages;
    if !same {
        return None;
    }
    let mut jobs = Vec::new();
    if content.home != old.content.home {
        jobs.push(Job::Home);
    }
    if content.methodology != old.content.methodology {
        jobs.push(Job::Methodology);
    }
    let changed = |a: &[Option<Doc>], b: &[Option<Doc>]| -> Vec<usize> {
        a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y).map(|(k, _)| k).collect()
    };
    jobs.extend(changed(&content.localities, &old.content.localities).into_iter().map(Job::Locality));
    jobs.extend(changed(&content.indicators, &old.content.indicators).into_iter().map(Job::Indicator));
    Some(jobs)
}

#[derive(Serialize)]
struct SiteGlobals<'a> {
    title: &'a str,
    lang: &'static str,
    /// For Open Graph: vi_VN or en_US.
    locale: &'static str,
    publisher: Option<&'a str>,
    notice: Option<&'a str>,
    updated: String,
    year: i32,
    /// Whether feed.xml is written (only with a base URL: Atom needs absolute addresses).
    feed: bool,
}

/// What every page shares goes into Tera's global context once, not into each page's.
fn set_globals(theme: &mut Theme, site: &Site, year: &YearData, words: &Words) {
    let s = words.s;
    let nav: Vec<NavItem> = [
        ("home", "nav_home", "index.html"),
        ("localities", "nav_localities", "localities/index.html"),
        ("indicators", "nav_indicators", "indicators/index.html"),
        ("updates", "nav_updates", "updates/index.html"),
        ("methodology", "nav_methodology", "methodology/index.html"),
    ]
    .into_iter()
    .map(|(key, label, path)| NavItem { key, label: s.get(label).to_owned(), path })
    .collect();
    let updated = year.dates.last().map(|&d| words.fmt.date(d)).unwrap_or_default();
    let globals = SiteGlobals {
        title: &site.config.title,
        lang: site.config.language.code(),
        locale: match site.config.language {
            crate::model::Language::Vi => "vi_VN",
            crate::model::Language::En => "en_US",
        },
        publisher: site.config.publisher.as_deref(),
        notice: site.config.notice.as_deref(),
        updated,
        year: year.year,
        feed: site.config.base_url.is_some(),
    };
    let ctx = theme.tera.global_context();
    ctx.insert("t", s.map());
    ctx.insert("site", &globals);
    ctx.insert("nav", &nav);
}

/// `../` once per folder between `path` and the site root.
pub(crate) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

impl Renderer<'_> {
    fn job(&self, job: Job) -> Result<Counts, RenderError> {
        match job {
            Job::Home => self.home(),
            Job::Localities => self.localities(),
            Job::Locality(l) => self.locality(l),
            Job::Indicators => self.indicators(),
            Job::Indicator(i) => self.indicator(i),
            Job::Group(g) => self.group(g),
            Job::Updates => self.updates(),
            Job::Update(k) => self.update(k),
            Job::Page(k) => self.page(k),
            Job::Methodology => self.methodology(),
            Job::NotFound => self.not_found(),
            Job::Syndication => self.syndication(),
        }
    }

    /// Renders `template` with `context` (plus `root` and `page`) and writes it at `path`.
    pub(crate) fn write_page<C: Serialize>(
        &self,
        path: &str,
        template: &str,
        page: views::PageMeta,
        context: &C,
    ) -> Result<(), RenderError> {
        let mut ctx =
            tera::Context::from_serialize(context).map_err(|e| RenderError::Template(self.theme.render_error(&e)))?;
        // 404.html is served for missing pages at any depth, where relative links would
        // point nowhere: with a known address it links absolutely.
        let root = match self.base_url {
            Some(base) if path == "404.html" => format!("{base}/"),
            _ => root_of(path),
        };
        ctx.insert("root", &root);
        ctx.insert("page", &page);
        // Straight to bytes: `render` would check the whole page is UTF-8 again.
        let mut html = Vec::with_capacity(32 * 1024);
        self.theme
            .tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| RenderError::Template(self.theme.render_error(&e)))?;
        self.out.write(path, &html)?;
        Ok(())
    }

    /// Renders a non-HTML template (XML) with `context` and writes it at `path`.
    pub(crate) fn write_file<C: Serialize>(&self, path: &str, template: &str, context: &C) -> Result<(), RenderError> {
        let ctx =
            tera::Context::from_serialize(context).map_err(|e| RenderError::Template(self.theme.render_error(&e)))?;
        let text =
            self.theme.tera.render(template, &ctx).map_err(|e| RenderError::Template(self.theme.render_error(&e)))?;
        self.out.write(path, text.as_bytes())?;
        Ok(())
    }

    /// Every HTML page of the site except 404.html, as paths from the root.
    pub(crate) fn page_paths(&self) -> Vec<String> {
        let site = self.site;
        let mut paths: Vec<String> = [
            "index.html",
            "localities/index.html",
            "indicators/index.html",
            "updates/index.html",
            "methodology/index.html",
        ]
        .map(String::from)
        .to_vec();
        paths.extend(site.localities.iter().map(|l| format!("localities/{}/index.html", l.id)));
        paths.extend(site.indicators.iter().map(|i| format!("indicators/{}/index.html", i.id)));
        paths.extend(site.groups.iter().map(|g| format!("groups/{}/index.html", g.slug)));
        paths.extend(site.content.updates.iter().map(|d| format!("updates/{}/index.html", d.slug)));
        paths.extend(site.content.pages.iter().map(|d| format!("{}/index.html", d.slug)));
        paths
    }

    /// The canonical address of the page at `path`, when the site has a base URL.
    pub(crate) fn canonical(&self, path: &str) -> Option<String> {
        self.base_url.map(|b| format!("{b}/{}", path.strip_suffix("index.html").unwrap_or(path)))
    }
}
