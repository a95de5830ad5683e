//! Render: every page of SPEC §4 from Tera templates, with its charts, in parallel.
//!
//! Each page is one job: build its typed context, draw its charts, render the
//! template, and write the page and its standalone `.svg` files into the staging
//! folder at once, so no page is held in memory after it is written. Where each page
//! and file goes is said once, in the page table (`pages`). Links are relative (`root` is `../` repeated), so
//! the site works under any path and from disk.
//!
//! One file per kind of page: `home`, `units` (the list of localities, a locality, a
//! group), `indicators`, and `docs` (the pages made from Markdown, the feed and the
//! sitemap); `place` draws the figures and charts that several of them show.
//!
//! Each earlier year keeps its home, indicators' and groups' pages under `years/<YYYY>/`
//! (see `archive`): the same code renders them, through a [`Renderer`] of that year, whose
//! links stay inside that year's pages where it has them, and lead to that year's part of
//! a locality's history on its page.
//!
//! Some templates are also written in Rust for speed, byte for byte as the built-in
//! templates write them: `mirrors` lists them.

pub mod bound;
mod cards;
mod docs;
mod home;
mod indicators;
mod maps;
mod mirrors;
mod place;
mod ranks;
mod theme;
mod units;
mod views;

use rayon::prelude::*;
use serde::Serialize;

use crate::compute::{Computed, YearData};
use crate::diag::Diagnostic;
use crate::format::Fmt;
use crate::model::{Doc, Site};
use crate::output::{OutputError, Sink};
pub use crate::pages::Page;
use crate::words::Strings;
pub use cards::share_cards;
pub use theme::Theme;
use units::Order;
use views::{ImageMeta, NavItem, PageMeta, Words, YearLink, YearsView};

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

/// One page, without charts of its own.
const PAGE: Counts = Counts { pages: 1, charts: 0 };

/// One piece of rendering work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// A page, with the charts it shows.
    Page(Page),
    /// An earlier year's page, by the year's place in [`Computed::years`].
    Archive(usize, Page),
    /// sitemap.xml and feed.xml, when the site has a base URL.
    Syndication,
    /// The theme's assets (CSS, icon, script).
    Assets,
}

/// Everything a full build renders: every page, and the earlier years' pages `archive`
/// (see `archive::Archive::pages`).
pub fn jobs(site: &Site, archive: Vec<(usize, Page)>) -> Vec<Job> {
    let mut jobs: Vec<Job> = Page::all(site).into_iter().map(Job::Page).collect();
    jobs.extend(archive.into_iter().map(|(k, page)| Job::Archive(k, page)));
    if site.config.base_url.is_some() {
        jobs.push(Job::Syndication);
    }
    jobs.push(Job::Assets);
    jobs
}

/// What rendering reads: the site, what was computed of it, and its interface text.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub site: &'a Site,
    pub computed: &'a Computed,
    pub strings: &'a Strings,
}

/// Where rendered files go: the site's own, and by earlier year (its place in
/// [`Computed::years`]) where that year's pages go when it is given (see
/// `archive::Archive::sinks`).
pub struct Outputs<'a> {
    pub site: &'a dyn Sink,
    pub years: Vec<&'a dyn Sink>,
}

/// The render stage: renders `jobs` of `input` with `theme` into `out`, in parallel.
pub fn render(input: Input, theme: &mut Theme, out: &Outputs, jobs: &[Job]) -> Result<Counts, RenderError> {
    let Input { site, computed, strings } = input;
    let Some(year) = computed.current() else {
        return Ok(Counts::default());
    };
    let words = Words { site, s: strings, fmt: Fmt::new(site.config.language) };
    set_globals(theme, site, year, &words);
    let places = crate::markdown::Places::new(
        site.localities.iter().enumerate().map(|(l, loc)| (loc.name.clone(), Page::Locality(l).path(site))),
    );
    let heads = place::Heads::new(site, computed, strings, words.fmt);
    // The outlines drawn once, for every page's maps.
    let maps = crate::maps::Maps::new(site);
    let theme = &*theme;
    // One renderer per year with pages to render: the current one, and each earlier
    // year's whose pages were not kept from the build before.
    let last = computed.years.len() - 1;
    let wanted = |k: usize| k == last || jobs.iter().any(|job| matches!(job, Job::Archive(j, _) if *j == k));
    let whole = jobs.contains(&Job::Assets);
    let years: Vec<Option<Renderer>> = computed
        .years
        .iter()
        .enumerate()
        .map(|(index, year)| {
            wanted(index).then(|| Renderer {
                site,
                year,
                index,
                archived: index < last,
                folder: if index < last { crate::pages::archive_folder(year.year) } else { String::new() },
                computed,
                theme,
                words,
                out: out.years.get(index).copied().unwrap_or(out.site),
                ranks: ranks::ranks(site, year),
                places: &places,
                heads: &heads,
                maps: maps.as_ref(),
                list_rows: Default::default(),
                home_alt: Default::default(),
                whole,
            })
        })
        .collect();
    let Some(Some(current)) = years.last() else { return Ok(Counts::default()) };
    jobs.par_iter()
        .map(|job| match *job {
            Job::Page(page) => current.page(page),
            Job::Archive(k, page) => {
                years.get(k).and_then(Option::as_ref).map_or(Ok(Counts::default()), |r| r.page(page))
            }
            Job::Syndication => current.syndication(),
            Job::Assets => current.assets(),
        })
        .try_reduce(Counts::default, |a, b| Ok(a + b))
}

/// The pages to render again when `new` differs from `old` only in commentary that each
/// appears on one page (the home page's introduction, a locality's or an indicator's
/// commentary, the methodology notes); `None` when anything else changed, from a figure
/// to a bulletin, which lists, navigation or the feed may show.
pub fn commentary_changes(old: &Site, new: &Site) -> Option<Vec<Job>> {
    // Every field by name: a field added to `Site` must be thought about here.
    let Site { config, city, localities, groups, indicators, years, reports, figures, content, outlines } = new;
    let same = *config == old.config
        && *outlines == old.outlines
        && *city == old.city
        && *localities == old.localities
        && *groups == old.groups
        && *indicators == old.indicators
        && *years == old.years
        && *reports == old.reports
        && *figures == old.figures
        && content.updates == old.content.updates
        && content.pages == old.content.pages
        && content.join == old.content.join;
    if !same {
        return None;
    }
    let mut pages = Vec::new();
    if content.home != old.content.home {
        pages.push(Page::Home);
    }
    if content.methodology != old.content.methodology {
        pages.push(Page::Methodology);
    }
    let changed = |a: &[Option<Doc>], b: &[Option<Doc>]| -> Vec<usize> {
        a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y).map(|(k, _)| k).collect()
    };
    pages.extend(changed(&content.localities, &old.content.localities).into_iter().map(Page::Locality));
    pages.extend(changed(&content.indicators, &old.content.indicators).into_iter().map(Page::Indicator));
    Some(pages.into_iter().map(Job::Page).collect())
}

#[derive(Serialize)]
struct SiteGlobals<'a> {
    title: &'a str,
    lang: &'static str,
    /// For Open Graph: vi_VN or en_US.
    locale: &'a str,
    publisher: Option<&'a str>,
    notice: Option<&'a str>,
    updated: String,
    year: i32,
    /// Whether feed.xml is written (only with a base URL: Atom needs absolute addresses).
    feed: bool,
}

/// What every page shares goes into Tera's global context once, not into each page's.
fn set_globals(theme: &mut Theme, site: &Site, year: &YearData, words: &Words) {
    if let Some(catalogue) = crate::words::messages::Catalogue::get(site.config.language.code()) {
        theme.words = catalogue;
    }
    let nav: Vec<NavItem> = Page::NAV
        .iter()
        .map(|&(page, label)| NavItem {
            key: page.section(),
            label: words.s.get(label).to_owned(),
            path: page.path(site),
        })
        .collect();
    let globals = SiteGlobals {
        title: &site.config.title,
        lang: site.config.language.code(),
        locale: &site.config.language.formats().locale,
        publisher: site.config.publisher.as_deref(),
        notice: site.config.notice.as_deref(),
        updated: year.dates.last().map(|&d| words.fmt.date(d)).unwrap_or_default(),
        year: year.year,
        feed: site.config.base_url.is_some(),
    };
    let ctx = theme.tera.global_context();
    ctx.insert("t", words.s.map());
    ctx.insert("site", &globals);
    ctx.insert("nav", &nav);
    ctx.insert("paths", &crate::pages::Paths::new(site));
    let pages: Vec<NavItem> = (0..site.content.pages.len())
        .map(|k| NavItem {
            key: "",
            label: docs::doc_title(&site.content.pages[k]),
            path: Page::Standalone(k).path(site),
        })
        .collect();
    ctx.insert("pages", &pages);
}

/// The address of `path` (from the site root) on the web, when the site has a base URL;
/// a folder's `index.html` is left out.
pub(super) fn absolute(site: &Site, path: &str) -> Option<String> {
    let base = site.config.base_url.as_deref()?;
    Some(format!("{base}/{}", path.strip_suffix("index.html").unwrap_or(path)))
}

/// `../` once per folder between `path` and the site root.
pub(super) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Everything a page job reads.
struct Renderer<'a> {
    site: &'a Site,
    /// The year its pages are about: the current one, or an earlier year whose pages it
    /// writes under `years/<YYYY>/`.
    year: &'a YearData,
    /// Its place in `computed.years`.
    index: usize,
    /// Whether it is an earlier year's.
    archived: bool,
    /// Where its pages are: `years/2025/` for an earlier year, the root for the current one.
    folder: String,
    computed: &'a Computed,
    theme: &'a Theme,
    words: Words<'a>,
    out: &'a dyn Sink,
    /// By indicator: who stands where this year.
    ranks: Vec<ranks::IndicatorRanks>,
    /// The localities a bulletin may name, to link to.
    places: &'a crate::markdown::Places,
    /// The headings every place's tables share.
    heads: &'a place::Heads,
    /// The site's maps, when it has outlines.
    maps: Option<&'a crate::maps::Maps>,
    /// Each locality's row in the lists of every locality, written by the first of them.
    list_rows: std::sync::OnceLock<Vec<String>>,
    /// What the home page's share image shows, for the pages that share it.
    home_alt: std::sync::OnceLock<String>,
    /// Whether the whole site is rendered; `serve`, after an edit of commentary, renders
    /// only the pages that show it, and not the embedded charts, which show none.
    whole: bool,
}

impl Renderer<'_> {
    fn page(&self, page: Page) -> Result<Counts, RenderError> {
        match page {
            Page::Home => self.home(),
            Page::Localities => self.localities(Order::Name),
            Page::LocalitiesByArea => self.localities(Order::Area),
            Page::LocalitiesByProgress(i) => self.localities(Order::Progress(i)),
            Page::Locality(l) => self.locality(l),
            Page::Indicators => self.indicators(),
            Page::Indicator(i) => self.indicator(i),
            Page::Group(g) => self.group(g),
            Page::Updates => self.updates(),
            Page::Update(k) => self.update(k),
            Page::Standalone(k) => self.standalone(k),
            Page::Methodology => self.methodology(),
            Page::NotFound => self.not_found(),
            // Written with their locality's page, which draws the chart once for both.
            Page::Embed(..) => Ok(Counts::default()),
        }
    }

    fn assets(&self) -> Result<Counts, RenderError> {
        for (name, bytes) in &self.theme.assets {
            self.out.write(&crate::pages::asset(name), bytes)?;
        }
        // The outlines every unit's locator lays its unit over.
        for (view, g) in self.maps.map(|m| m.locator_views(self.site)).unwrap_or_default() {
            let file = crate::maps::svg::outline_file(view);
            self.out.write(&crate::pages::outline(self.site, g), file.as_bytes())?;
        }
        Ok(Counts::default())
    }

    fn s(&self, key: &str) -> String {
        self.words.s.get(key).to_owned()
    }

    /// Each year's file of figures, oldest first: the year and its path from the root.
    fn figure_files(&self) -> Vec<(i32, String)> {
        let last = self.computed.years.len().saturating_sub(1);
        self.computed
            .years
            .iter()
            .enumerate()
            .map(|(k, y)| (y.year, crate::pages::figures_csv(y.year, k == last)))
            .collect()
    }

    /// Renders `page` with `context` (plus `root` and `page`, its title, description and
    /// addresses) and writes it where the page goes. What a link to the page says when
    /// shared is `figures` (its figures in sentences, where its description is something
    /// else) or its description, and the site's notice.
    fn write_page<C: Serialize>(
        &self,
        page: Page,
        title: String,
        description: String,
        figures: Option<String>,
        jsonld: Option<String>,
        context: &C,
    ) -> Result<(), RenderError> {
        let path = self.path(page);
        let title = match page {
            _ if !self.archived => title,
            Page::Home => self.years_result(self.year),
            _ => self.words.s.fill("archive_title", &[("title", &title), ("year", &self.year.year.to_string())]),
        };
        let image = self.image(page);
        let mut share = figures.unwrap_or_else(|| description.clone());
        if let Some(notice) = &self.site.config.notice {
            share = format!("{share} {notice}").trim_start().to_owned();
        }
        let meta = PageMeta {
            title,
            description,
            share,
            section: page.section(),
            canonical: self.canonical(page.canonical()),
            jsonld,
            years: self.years_view(page),
            as_of: self.year.dates.last().filter(|_| self.archived).map(|&d| self.words.fmt.date(d)),
            image,
            embeddable: matches!(page, Page::Locality(_)) && !self.archived,
        };
        let mut ctx =
            tera::Context::from_serialize(context).map_err(|e| RenderError::Template(self.theme.render_error(&e)))?;
        // 404.html is served for missing pages at any depth, where relative links would
        // point nowhere: it links from the site's address, or, without one, from the root
        // of the host, where hosts look for it.
        let root = match &self.site.config.base_url {
            Some(base) if page == Page::NotFound => format!("{base}/"),
            None if page == Page::NotFound => "/".to_owned(),
            _ => root_of(&path),
        };
        ctx.insert("root", &root);
        ctx.insert("page", &meta);
        let html = self.theme.render(page.template(), &ctx).map_err(RenderError::Template)?;
        self.out.write(&path, &html)?;
        Ok(())
    }

    /// Renders a non-HTML template (XML) with `context` and writes it at `path`.
    fn write_file<C: Serialize>(&self, path: &str, template: &str, context: &C) -> Result<(), RenderError> {
        let ctx =
            tera::Context::from_serialize(context).map_err(|e| RenderError::Template(self.theme.render_error(&e)))?;
        let text = self.theme.render(template, &ctx).map_err(RenderError::Template)?;
        self.out.write(path, &text)?;
        Ok(())
    }

    /// Where `page` is written, from the site root: an earlier year's renderer writes its
    /// year's own pages (see `archive::has`) under `years/<YYYY>/`, and links to the
    /// current site's for every other page.
    fn path(&self, page: Page) -> String {
        if self.archived && crate::archive::has(self.year, page) {
            format!("{}{}", self.folder, page.path(self.site))
        } else {
            page.path(self.site)
        }
    }

    /// The address of `page` from the site root, for a link from another page: from an
    /// earlier year's page, a locality's is that year's part of its history.
    fn href(&self, page: Page) -> String {
        match page {
            Page::Locality(_) if self.archived => {
                format!("{}#{}", self.path(page), units::year_anchor(self.year.year))
            }
            _ => self.path(page),
        }
    }

    /// The canonical address of `page`, when the site has a base URL.
    fn canonical(&self, page: Page) -> Option<String> {
        absolute(self.site, &self.path(page))
    }

    /// The share image of `page`, with a base URL: its own or the home page's, described
    /// as the picture shows it. An earlier year's pages have none: the pictures show the
    /// current figures.
    fn image(&self, page: Page) -> Option<ImageMeta> {
        if self.archived || page == Page::NotFound {
            return None;
        }
        match page.share_image(self.site) {
            Some(path) => Some(ImageMeta {
                url: absolute(self.site, &path)?,
                alt: cards::card_of(self.site, self.year, self.words, page).map(|c| c.alt()).unwrap_or_default(),
            }),
            None => Some(ImageMeta {
                url: absolute(self.site, crate::pages::HOME_IMAGE)?,
                alt: self
                    .home_alt
                    .get_or_init(|| {
                        cards::card_of(self.site, self.year, self.words, Page::Home)
                            .map(|c| c.alt())
                            .unwrap_or_default()
                    })
                    .clone(),
            }),
        }
    }

    /// "Kết quả năm 2025".
    fn years_result(&self, year: &YearData) -> String {
        self.words.s.fill("years_result", &[("year", &year.year.to_string())])
    }

    /// The way from `page` to the other years' pages of its kind: on an earlier year's
    /// page, which year it shows and a link to the current one; on any page that earlier
    /// years also have, a link to each of theirs, newest first.
    fn years_view(&self, page: Page) -> Option<YearsView> {
        let site = self.site;
        let past = self.computed.years.len().saturating_sub(1);
        // A locality's earlier years are on its page, further down.
        if let Page::Locality(_) = page {
            let earlier: Vec<YearLink> = self.computed.years[..past]
                .iter()
                .rev()
                .map(|y| YearLink {
                    label: self.years_result(y),
                    href: format!("{}#{}", page.path(site), units::year_anchor(y.year)),
                })
                .collect();
            return (!earlier.is_empty()).then_some(YearsView { note: None, current: None, earlier });
        }
        if !page.archived() {
            return None;
        }
        let earlier: Vec<YearLink> = self.computed.years[..past]
            .iter()
            .enumerate()
            .rev()
            .filter(|&(k, y)| k != self.index && crate::archive::has(y, page))
            .map(|(_, y)| YearLink { label: self.years_result(y), href: page.archived_path(site, y.year) })
            .collect();
        let (note, current) = match self.computed.current() {
            Some(now) if self.archived => {
                let date = self.year.dates.last().map(|&d| self.words.fmt.date(d)).unwrap_or_default();
                let note = self.words.s.fill("years_note", &[("year", &self.year.year.to_string()), ("date", &date)]);
                let label = self.words.s.fill("years_current", &[("year", &now.year.to_string())]);
                (Some(note), Some(YearLink { label, href: page.path(site) }))
            }
            _ => (None, None),
        };
        (note.is_some() || !earlier.is_empty()).then_some(YearsView { note, current, earlier })
    }

    /// The key of the word for the whole of what the site covers, by the city's name: a
    /// country, a province or a city.
    fn whole(&self) -> &'static str {
        let name = self.site.city.name.trim();
        let folded = crate::text::fold(name).to_lowercase();
        if ["viet nam", "vietnam", "toan quoc"].iter().any(|n| folded == *n) {
            "whole_country"
        } else if folded.starts_with("tinh ") || folded.starts_with("province ") {
            "whole_province"
        } else {
            "whole_city"
        }
    }

    /// The latest report of the current year.
    fn latest_report(&self) -> Option<&crate::model::Report> {
        self.year.reports.clone().last().map(|r| &self.site.reports[r])
    }
}
