//! The page table: every page of a site and every other file of the output, and where
//! each one is. Every address of the output comes from here: for the renderer, for links
//! between pages, for templates (the `paths` global), for the sitemap, for the year
//! archive's folders (`years/<YYYY>/`, see `archive`), for the share images, the
//! charts, the data files and the theme's assets. Publishing (`output`) knows no page: it
//! writes what it is given where it is told.

use serde::Serialize;

use crate::model::Site;

/// One page of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    /// Every locality, by name.
    Localities,
    /// Every locality, under its group.
    LocalitiesByArea,
    /// Every locality, best first on an indicator.
    LocalitiesByProgress(usize),
    Locality(usize),
    Indicators,
    Indicator(usize),
    Group(usize),
    Updates,
    Update(usize),
    /// A page of its own, from `content/<slug>.md`.
    Standalone(usize),
    Methodology,
    NotFound,
    /// Locality `l`'s charts, one per indicator, with their sentences and source, and no
    /// site chrome, for another site's `<iframe>`. Not in [`Page::all`]: it is written
    /// with its locality's page, which draws the charts once for both.
    Embed(usize),
}

impl Page {
    /// Where the page is written, from the site root. Every address ends in
    /// `index.html`, so that links also work in a site opened from disk.
    pub fn path(self, site: &Site) -> String {
        match self {
            Page::Home => "index.html".to_owned(),
            Page::Localities => "localities/index.html".to_owned(),
            // Files, not folders: no locality's id can take their names.
            Page::LocalitiesByArea => "localities/by-area.html".to_owned(),
            Page::LocalitiesByProgress(i) => format!("localities/by-progress-{}.html", site.indicators[i].id),
            Page::Locality(l) => format!("localities/{}/index.html", site.localities[l].id),
            Page::Indicators => "indicators/index.html".to_owned(),
            Page::Indicator(i) => format!("indicators/{}/index.html", site.indicators[i].id),
            Page::Group(g) => format!("groups/{}/index.html", site.groups[g].slug),
            Page::Updates => "updates/index.html".to_owned(),
            Page::Update(k) => format!("updates/{}/index.html", site.content.updates[k].slug),
            Page::Standalone(k) => format!("{}/index.html", site.content.pages[k].slug),
            Page::Methodology => "methodology/index.html".to_owned(),
            Page::NotFound => "404.html".to_owned(),
            Page::Embed(l) => format!("embed/localities/{}/index.html", site.localities[l].id),
        }
    }

    /// The template that renders it.
    pub fn template(self) -> &'static str {
        match self {
            Page::Home => "index.html",
            Page::Localities | Page::LocalitiesByArea | Page::LocalitiesByProgress(_) => "localities.html",
            Page::Locality(_) => "locality.html",
            Page::Indicators => "indicators.html",
            Page::Indicator(_) => "indicator.html",
            Page::Group(_) => "group.html",
            Page::Updates => "updates.html",
            Page::Update(_) => "update.html",
            Page::Standalone(_) => "page.html",
            Page::Methodology => "methodology.html",
            Page::NotFound => "404.html",
            Page::Embed(_) => "embed.html",
        }
    }

    /// Which entry of the navigation is the current one on the page.
    pub fn section(self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Localities
            | Page::LocalitiesByArea
            | Page::LocalitiesByProgress(_)
            | Page::Locality(_)
            | Page::Group(_) => "localities",
            Page::Indicators | Page::Indicator(_) => "indicators",
            Page::Updates | Page::Update(_) => "updates",
            Page::Methodology => "methodology",
            Page::Standalone(_) | Page::NotFound | Page::Embed(..) => "",
        }
    }

    /// Every page of `site`: the site's sections first, then one page per locality,
    /// indicator, group, bulletin and standalone page, each in file order.
    pub fn all(site: &Site) -> Vec<Page> {
        let mut pages =
            vec![Page::Home, Page::Localities, Page::Indicators, Page::Updates, Page::Methodology, Page::NotFound];
        // A site shown by group lists its units on its groups' pages, and orders them there.
        if !site.by_group() {
            if !site.groups.is_empty() {
                pages.push(Page::LocalitiesByArea);
            }
            pages.extend((0..site.indicators.len()).map(Page::LocalitiesByProgress));
        }
        pages.extend((0..site.localities.len()).map(Page::Locality));
        pages.extend((0..site.indicators.len()).map(Page::Indicator));
        pages.extend((0..site.groups.len()).map(Page::Group));
        pages.extend((0..site.content.updates.len()).map(Page::Update));
        pages.extend((0..site.content.pages.len()).map(Page::Standalone));
        pages
    }

    /// Whether an earlier year keeps a page of this kind under `years/<YYYY>/`: its home,
    /// and its indicators' and groups' pages. A locality's earlier years are on its one
    /// page, in its history.
    pub fn archived(self) -> bool {
        matches!(self, Page::Home | Page::Indicator(_) | Page::Group(_))
    }

    /// Where earlier year `year`'s page of this kind is written, from the site root.
    pub fn archived_path(self, site: &Site, year: i32) -> String {
        format!("{}{}", archive_folder(year), self.path(site))
    }

    /// The page whose address is this one's canonical: an embed page's is its
    /// locality's page.
    pub fn canonical(self) -> Page {
        match self {
            Page::Embed(l) => Page::Locality(l),
            page => page,
        }
    }

    /// Where the page's share image is written, for the pages that have one of their own:
    /// the home page, and each locality's, indicator's and group's.
    pub fn share_image(self, site: &Site) -> Option<String> {
        match self {
            Page::Home => Some(HOME_IMAGE.to_owned()),
            Page::Locality(l) => Some(format!("share/localities/{}.png", site.localities[l].id)),
            Page::Indicator(i) => Some(format!("share/indicators/{}.png", site.indicators[i].id)),
            Page::Group(g) => Some(format!("share/groups/{}.png", site.groups[g].slug)),
            _ => None,
        }
    }

    /// The pages of the navigation, in order, with the key of their section.
    pub const NAV: [(Page, &'static str); 5] = [
        (Page::Home, "nav_home"),
        (Page::Localities, "nav_localities"),
        (Page::Indicators, "nav_indicators"),
        (Page::Updates, "nav_updates"),
        (Page::Methodology, "nav_methodology"),
    ];
}

/// Where an earlier year's pages are: `years/2025/`.
pub fn archive_folder(year: i32) -> String {
    format!("years/{year}/")
}

/// The share image of the home page, which pages without one of their own share.
pub const HOME_IMAGE: &str = "share/home.png";

/// Which place a chart is of: the city, a locality or a group (by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    City,
    Locality(usize),
    Group(usize),
}

/// Where the ranking chart of indicator `i` goes.
pub fn ranking_chart(site: &Site, i: usize) -> String {
    format!("charts/indicators/{}/ranking.svg", site.indicators[i].id)
}

/// Where the theme's asset `name` (`style.css`) goes.
pub fn asset(name: &str) -> String {
    format!("{ASSETS}{name}")
}

/// Where the outline of every unit of the site's map, or of group `g`'s, goes: the
/// picture a unit's locator lays the unit over.
pub fn outline(site: &Site, g: Option<usize>) -> String {
    match g {
        Some(g) => format!("{ASSETS}outlines/{}.svg", site.groups[g].slug),
        None => format!("{ASSETS}outlines.svg"),
    }
}

/// The folder of the theme's assets.
const ASSETS: &str = "assets/";

/// The current year's figures, as CSV.
pub const FIGURES_CSV: &str = "data/figures.csv";

/// Year `year`'s figures, as CSV: [`FIGURES_CSV`] for the current year, a file named
/// after it for an earlier one.
pub fn figures_csv(year: i32, current: bool) -> String {
    if current { FIGURES_CSV.to_owned() } else { format!("data/figures-{year}.csv") }
}
/// The Atom feed of the bulletins, with a base URL.
pub const FEED: &str = "feed.xml";
/// Every page's address, with a base URL.
pub const SITEMAP: &str = "sitemap.xml";

/// Every unit's name, id and old names, for the find box of a site shown by group.
pub const FIND_INDEX: &str = "localities/find.js";

/// The addresses templates link to that are not a locality's, an indicator's or a
/// bulletin's: the `paths` global of every template.
#[derive(Serialize)]
pub(crate) struct Paths {
    home: String,
    localities: String,
    indicators: String,
    updates: String,
    methodology: String,
    figures_csv: &'static str,
    feed: &'static str,
    style: String,
    favicon: String,
    search: String,
}

impl Paths {
    pub(crate) fn new(site: &Site) -> Paths {
        Paths {
            home: Page::Home.path(site),
            localities: Page::Localities.path(site),
            indicators: Page::Indicators.path(site),
            updates: Page::Updates.path(site),
            methodology: Page::Methodology.path(site),
            figures_csv: FIGURES_CSV,
            feed: FEED,
            style: asset("style.css"),
            favicon: asset("favicon.svg"),
            search: asset("search.js"),
        }
    }
}
