//! The year archive: each earlier year's final results, published under
//! `years/<YYYY>/` (the folder the page table gives, see `pages::archive_folder`): its
//! home, and every indicator's and group's page, as of the year's last report. A
//! locality's earlier years are in its one page's history (`render::units`), each with
//! its final results and its table of reports, which these pages link to.
//!
//! What this module decides, and the build's archive stage:
//! - **which pages** an earlier year has ([`has`], [`pages`]): its home, its groups'
//!   pages, and the pages of the indicators it has figures for;
//! - **when they are rendered again** ([`keys`]): a closed year's pages change only when
//!   something they show changes, so they are kept between builds in the cache's store
//!   (`cache::years`) under a key made of everything they read; a build whose key matches
//!   puts the kept pages into the new site ([`Archive::copy_kept`]) instead of rendering
//!   them, and one that renders them keeps them for the next ([`Archive::sinks`],
//!   [`Archive::keep`]).
//!
//! The pages themselves are rendered by the same code as the current year's (`render`),
//! through a renderer of that year whose links stay inside the year where it has pages.

use std::path::Path;

use crate::cache::years::{self, Keeper, Keeping, Kept};
use crate::compute::{Computed, YearData};
use crate::model::Site;
use crate::output::{OutputError, Staging};
use crate::pages::Page;
use crate::render::Theme;
use crate::words::Strings;

/// Whether `year`'s archive has `page`: an indicator's only if the year has figures for it.
pub fn has(year: &YearData, page: Page) -> bool {
    match page {
        Page::Indicator(i) => year.city[i].latest_figure().is_some(),
        _ => page.archived(),
    }
}

/// Every earlier year's pages, by the year's place in [`Computed::years`]: its home, every
/// group's page, and the page of each indicator it has figures for.
pub fn pages(site: &Site, computed: &Computed) -> Vec<(usize, Page)> {
    let past = computed.years.len().saturating_sub(1);
    (0..past)
        .flat_map(|k| {
            let year = &computed.years[k];
            Page::all(site).into_iter().filter(move |&p| has(year, p)).map(move |p| (k, p))
        })
        .collect()
}

/// The keys under which each earlier year's pages are kept between builds, by the year's
/// place in [`Computed::years`]: a hash of everything they read. They show that year and
/// the years before it; of the rest of the site, its settings, units, groups, indicators,
/// standalone pages' titles, theme and interface text, and which years there are. The
/// program itself is in the key (a hash of its sources, made when it was compiled), so a
/// new version renders them again.
pub fn keys(site: &Site, computed: &Computed, theme: &Theme, strings: &Strings) -> Vec<String> {
    use std::hash::{Hash, Hasher};
    mod program {
        include!(concat!(env!("OUT_DIR"), "/program.rs"));
    }
    // SipHash with fixed keys: the same key in every run of the same program. What every
    // earlier year shares is hashed once, and each year's key goes on from there.
    let mut common = std::hash::DefaultHasher::new();
    program::PROGRAM.hash(&mut common);
    theme.hash_into(&mut common);
    strings.map().hash(&mut common);
    // Every field by name: a field added to `Site` must be thought about here.
    let Site { config, city, localities, groups, indicators, years, reports, figures, content, outlines } = site;
    format!("{config:?}{city:?}{localities:?}{groups:?}{indicators:?}").hash(&mut common);
    // The maps: by the outlines' digest, not their points.
    outlines.as_ref().map(|o| (o.digest, &o.source)).hash(&mut common);
    // Of the content, only the standalone pages' titles, in every page's footer: the
    // commentary, the bulletins and how to take part are about now, and not shown.
    for page in &content.pages {
        (&page.slug, &page.title).hash(&mut common);
    }
    for y in &computed.years {
        (y.year, y.targeted).hash(&mut common);
    }
    let past = computed.years.len().saturating_sub(1);
    computed.years[..past]
        .iter()
        .enumerate()
        .map(|(k, year)| {
            let mut h = common.clone();
            k.hash(&mut h);
            for targets in years.iter().filter(|t| t.year <= year.year) {
                format!("{targets:?}").hash(&mut h);
            }
            let end = year.reports.end.min(reports.len());
            format!("{:?}", &reports[..end]).hash(&mut h);
            for (_, _, cell) in figures.iter() {
                for figure in &cell[..end.min(cell.len())] {
                    figure.map(|f| f.value).hash(&mut h);
                }
            }
            format!("{:016x}", h.finish())
        })
        .collect()
}

/// The earlier years of a build: for each, its pages kept from an earlier build (when
/// their key matches), or a keeper that keeps them as they are rendered into the site.
pub struct Archive {
    /// By earlier year: its pages kept by an earlier build, checked.
    kept: Vec<Option<Kept>>,
    keepers: Vec<Option<Keeper>>,
}

impl Archive {
    /// The archive stage: which earlier years' pages the cache of the site at `root`
    /// has, and which must be rendered.
    pub fn open(root: &Path, site: &Site, computed: &Computed, theme: &Theme, strings: &Strings) -> Archive {
        let past = computed.years.len().saturating_sub(1);
        let dir = if past > 0 { years::folder(root) } else { None };
        let keys = dir.as_ref().map(|_| keys(site, computed, theme, strings)).unwrap_or_default();
        let (mut kept, mut keepers) = (Vec::with_capacity(past), Vec::with_capacity(past));
        for k in 0..past {
            let (Some(dir), Some(key)) = (&dir, keys.get(k)) else {
                kept.push(None);
                keepers.push(None);
                continue;
            };
            let year = computed.years[k].year;
            let pages = years::open(dir, year, key);
            keepers.push(pages.is_none().then(|| Keeper::new(dir, year, key)));
            kept.push(pages);
        }
        Archive { kept, keepers }
    }

    /// The pages to render: those of [`pages`] whose year's pages were not kept.
    pub fn to_render(&self, site: &Site, computed: &Computed) -> Vec<(usize, Page)> {
        let mut all = pages(site, computed);
        all.retain(|(k, _)| self.kept.get(*k).is_none_or(Option::is_none));
        all
    }

    /// Where each earlier year's pages are written: into the site, and kept for the next
    /// build when they were not.
    pub fn sinks<'s>(&'s self, site: &'s Staging) -> Vec<Keeping<'s>> {
        self.keepers.iter().map(|k| Keeping { site, keeper: k.as_ref() }).collect()
    }

    /// Writes the pages kept from an earlier build into the new site; how many.
    pub fn copy_kept(&self, site: &Staging) -> Result<usize, OutputError> {
        let mut pages = 0;
        for year in self.kept.iter().flatten() {
            pages += year.copy_into(site)?;
        }
        Ok(pages)
    }

    /// Once the site is published: puts the earlier years kept in this build in place.
    pub fn keep(self) {
        for keeper in self.keepers.into_iter().flatten() {
            keeper.finish();
        }
    }
}
