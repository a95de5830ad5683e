//! The maps of pages (see `maps`): a status map per indicator, with its legend, source
//! and the units it cannot show, and a unit's locator.

use serde::Serialize;

use super::{Page, Renderer};
use crate::compute::Series;
use crate::maps::svg::{self, Link};
use crate::maps::{Area, View};

/// A status map, for `map.html`.
#[derive(Serialize)]
pub(super) struct MapView {
    /// Unique on its page.
    pub id: String,
    /// The definitions the page's maps share, on the first map of a page.
    pub defs: Option<String>,
    /// The map, its areas linked in ranking order.
    pub svg: String,
    pub caption: String,
    pub legend: Vec<LegendItem>,
    /// The names of the insets, where they are (in percent of the map's width and height).
    pub insets: Vec<InsetLabel>,
    /// The units it has no outline for, in words; on the last map of a page.
    pub missing: Option<String>,
    /// Where the outlines come from; on the last map of a page.
    pub source: Option<String>,
}

#[derive(Serialize)]
pub(super) struct LegendItem {
    pub status: &'static str,
    pub label: String,
    pub n: String,
}

#[derive(Serialize)]
pub(super) struct InsetLabel {
    pub label: String,
    pub left: String,
    pub top: String,
}

/// A unit's locator, for `locality.html`.
#[derive(Serialize)]
pub(super) struct LocatorView {
    pub svg: String,
    pub caption: String,
    /// Where the outlines come from: at the foot of the page, linked from the caption.
    pub source: String,
    pub insets: Vec<InsetLabel>,
}

/// The statuses in the order a legend lists them.
const ORDER: [&str; 7] = ["achieved", "on-track", "at-risk", "behind", "no-trend", "missed", "none"];

impl Renderer<'_> {
    /// The site's map for each indicator the year has figures for (on the home page), or
    /// for indicator `only` (on its page).
    pub(super) fn site_maps(&self, on: Page, only: Option<usize>) -> Vec<MapView> {
        let Some(maps) = self.maps else { return Vec::new() };
        self.status_maps(on, &maps.site, only)
    }

    /// Group `g`'s map for each indicator.
    pub(super) fn group_maps(&self, g: usize) -> Vec<MapView> {
        let Some(view) = self.maps.and_then(|m| m.groups.get(g)) else { return Vec::new() };
        self.status_maps(Page::Group(g), view, None)
    }

    fn status_maps(&self, on: Page, view: &View, only: Option<usize>) -> Vec<MapView> {
        let indicators: Vec<usize> = (0..self.site.indicators.len())
            .filter(|&i| only.is_none_or(|o| o == i) && self.year.city[i].latest_figure().is_some())
            .collect();
        let mut maps: Vec<MapView> = indicators.iter().map(|&i| self.status_map(on, view, i)).collect();
        if let Some(first) = maps.first_mut() {
            first.defs = Some(svg::defs(Some(view)));
        }
        // What is the same for every map of the page, said once, under the last.
        let last = maps.len().saturating_sub(1);
        for map in &mut maps[..last] {
            (map.missing, map.source) = (None, None);
        }
        maps
    }

    /// `view` coloured by each area's status on indicator `i`.
    fn status_map(&self, on: Page, view: &View, i: usize) -> MapView {
        let (site, s) = (self.site, self.words.s);
        let ranks = &self.ranks[i];
        // Ranked first, best first; then the rest by name.
        let order: Vec<Area> = if view.areas.iter().any(|a| matches!(a, Area::Group(_))) {
            let mut rest: Vec<usize> = (0..site.groups.len()).filter(|g| !ranks.groups.contains(g)).collect();
            rest.sort_by_cached_key(|&g| crate::text::collation_key(&site.groups[g].name));
            ranks.groups.iter().chain(&rest).map(|&g| Area::Group(g)).collect()
        } else {
            let shown: Vec<usize> =
                view.areas.iter().filter_map(|a| if let Area::Locality(l) = a { Some(*l) } else { None }).collect();
            let mut ranked: Vec<usize> = ranks.all.iter().copied().filter(|l| shown.contains(l)).collect();
            let mut rest: Vec<usize> = shown.iter().copied().filter(|&l| ranks.place[l].is_none()).collect();
            self.sort_by_name(&mut rest);
            ranked.append(&mut rest);
            ranked.into_iter().map(Area::Locality).collect()
        };
        let mut counts = [0usize; ORDER.len()];
        let links: Vec<Link> = order
            .into_iter()
            .filter(|&a| view.path(a).is_some())
            .map(|area| {
                let (name, series, page) = match area {
                    Area::Locality(l) => (&site.localities[l].label, self.year.units.get(l, i), Page::Locality(l)),
                    Area::Group(g) => (&site.groups[g].name, &self.year.groups[g][i], Page::Group(g)),
                };
                let (status, name) = self.area_name(name, series);
                if let Some(k) = ORDER.iter().position(|&o| o == status) {
                    counts[k] += 1;
                }
                Link { area, href: self.href(page), name, status }
            })
            .collect();
        let ind = &site.indicators[i];
        let caption = s.fill("map_caption", &[("indicator", &ind.short)]);
        let id = format!("map-{}", ind.id);
        let legend = ORDER
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(&status, n)| LegendItem {
                status,
                label: self.status_word(status),
                n: self.words.fmt.count(n as u64),
            })
            .collect();
        let root = super::root_of(&self.path(on));
        MapView {
            id,
            defs: None,
            svg: svg::status_map(view, &links, &caption, &root),
            caption,
            legend,
            insets: self.inset_labels(view),
            missing: self.missing_from(view),
            source: Some(s.fill("map_source", &[("source", self.maps.map(|m| m.source.as_str()).unwrap_or_default())])),
        }
    }

    /// The status class of `series` and the name an area is read out by: its name, figure
    /// and status.
    fn area_name(&self, name: &str, series: &Series) -> (&'static str, String) {
        let s = self.words.s;
        match series.latest() {
            Some(st) => (
                st.status.slug(),
                s.fill(
                    "map_area",
                    &[("name", name), ("progress", &self.words.progress(st)), ("status", s.status(st.status))],
                ),
            ),
            None => match series.latest_figure() {
                Some((_, value)) => {
                    ("none", s.fill("map_area_pending", &[("name", name), ("value", &self.words.fmt.count(value))]))
                }
                None => ("none", s.fill("map_area_no_data", &[("name", name)])),
            },
        }
    }

    /// The words of a status class in a legend.
    fn status_word(&self, class: &str) -> String {
        use crate::progress::Status;
        let status = Status::ALL.into_iter().find(|st| st.slug() == class);
        match status {
            Some(st) => self.words.s.status(st).to_owned(),
            None => self.s("map_no_data"),
        }
    }

    /// The units of `view` that have no outline, in a sentence.
    fn missing_from(&self, view: &View) -> Option<String> {
        let maps = self.maps?;
        let in_view = |l: usize| {
            view.areas
                .iter()
                .any(|&a| a == Area::Locality(l) || self.site.localities[l].group.is_some_and(|g| a == Area::Group(g)))
        };
        let names: Vec<&str> = maps
            .missing
            .iter()
            .copied()
            .filter(|&l| in_view(l))
            .map(|l| self.site.localities[l].label.as_str())
            .collect();
        (!names.is_empty()).then(|| self.words.s.fill("map_missing", &[("names", &names.join(", "))]))
    }

    fn inset_labels(&self, view: &View) -> Vec<InsetLabel> {
        let d = &view.drawing;
        d.insets
            .iter()
            .map(|f| InsetLabel {
                label: self.s(if f.north { "map_inset_north" } else { "map_inset_south" }),
                left: format!("{:.1}", f.x / crate::maps::geometry::WIDTH * 100.0),
                top: format!("{:.1}", f.y / d.height.max(1.0) * 100.0),
            })
            .collect()
    }

    /// Where locality `l` lies, in its city (or group, on a large site).
    pub(super) fn locator(&self, l: usize) -> Option<LocatorView> {
        let maps = self.maps?;
        let (view, g) = maps.locator(self.site, l)?;
        let page = format!("{}{}", self.folder, Page::Locality(l).path(self.site));
        let outline = format!("{}{}", super::root_of(&page), crate::pages::outline(self.site, g));
        let whole = match view.areas.first() {
            Some(Area::Locality(_)) if std::ptr::eq(view, &maps.site) => self.site.city.name.as_str(),
            _ => self.site.localities[l]
                .group
                .map_or(self.site.city.name.as_str(), |g| self.site.groups[g].name.as_str()),
        };
        let name = &self.site.localities[l].name;
        let caption = self.words.s.fill("locator_caption", &[("name", name), ("whole", whole)]);
        Some(LocatorView {
            svg: svg::locator(view, Area::Locality(l), &caption, &outline)?,
            caption,
            source: self.words.s.fill("map_source", &[("source", maps.source.as_str())]),
            insets: self.inset_labels(view),
        })
    }
}
