//! Maps: the units' outlines (`data/boundaries.*`, see `model::Outlines`) drawn once per
//! build for every map the site shows, so that a page only chooses the colours.
//!
//! - The site's map ([`Maps::site`]): every unit, coloured by its status, on the home page
//!   and each indicator page; on a site shown by group (`Site::by_group`, a national
//!   one), every group instead, drawn as its units' outline.
//! - Each group's map ([`Maps::groups`]): its units, on the group's page.
//! - Each unit's locator: the outline of its city (or, on a large site, of its group)
//!   with the unit in it, from the same drawings.
//!
//! Projection, simplification and insets are in [`geometry`]; the SVG of a map, with a
//! link for each area, in [`svg`].

pub mod geometry;
pub mod svg;

use crate::model::Site;
use geometry::{Drawing, Rings, merge};

/// What an area of a map is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Locality(usize),
    Group(usize),
}

/// One map's drawing and what its areas are.
#[derive(Debug, Clone)]
pub struct View {
    pub areas: Vec<Area>,
    pub drawing: Drawing,
}

impl View {
    /// The path of `area`, if the view has it and it has an outline.
    pub fn path(&self, area: Area) -> Option<&str> {
        let k = self.areas.iter().position(|&a| a == area)?;
        self.drawing.paths.get(k).map(String::as_str).filter(|p| !p.is_empty())
    }
}

/// Every map of a site.
#[derive(Debug, Clone)]
pub struct Maps {
    pub site: View,
    /// By group.
    pub groups: Vec<View>,
    /// Where the outlines come from, shown under every map.
    pub source: String,
    /// The units without an outline, in file order: listed under the maps that would
    /// show them.
    pub missing: Vec<usize>,
}

impl Maps {
    /// The maps of `site`; `None` when it has no outlines.
    pub fn new(site: &Site) -> Option<Maps> {
        use rayon::prelude::*;
        let outlines = site.outlines.as_ref()?;
        let arcs = &outlines.arcs;
        let shape = |l: usize| -> Rings { outlines.shapes[l].iter().flatten().cloned().collect() };
        let outline_of = |members: &[usize]| {
            let polygons: Vec<_> = members.iter().flat_map(|&l| outlines.shapes[l].iter()).collect();
            merge(arcs, &polygons)
        };
        let all: Vec<usize> = (0..site.localities.len()).collect();
        let offshore = geometry::offshore(arcs, outlines.shapes.iter().map(Vec::as_slice));
        let by_group = site.by_group();
        let site_view = if by_group {
            let areas: Vec<Area> = (0..site.groups.len()).map(Area::Group).collect();
            let rings: Vec<Rings> = site.groups.par_iter().map(|g| outline_of(&g.members)).collect();
            View { areas, drawing: geometry::draw(arcs, &rings, &Vec::new(), &offshore) }
        } else {
            let rings: Vec<Rings> = all.iter().map(|&l| shape(l)).collect();
            View {
                areas: all.iter().map(|&l| Area::Locality(l)).collect(),
                drawing: geometry::draw(arcs, &rings, &outline_of(&all), &offshore),
            }
        };
        let groups = site
            .groups
            .par_iter()
            .map(|g| {
                let rings: Vec<Rings> = g.members.iter().map(|&l| shape(l)).collect();
                let drawing = geometry::draw(arcs, &rings, &outline_of(&g.members), &offshore);
                View { areas: g.members.iter().map(|&l| Area::Locality(l)).collect(), drawing }
            })
            .collect();
        Some(Maps { site: site_view, groups, source: outlines.source.clone(), missing: outlines.missing().collect() })
    }

    /// The map a unit's locator is drawn from, and whose it is (`None`: the site's): the
    /// site's when it maps units, else its group's.
    pub fn locator(&self, site: &Site, l: usize) -> Option<(&View, Option<usize>)> {
        if self.site.areas.contains(&Area::Locality(l)) {
            return Some((&self.site, None));
        }
        let g = site.localities[l].group?;
        Some((self.groups.get(g)?, Some(g)))
    }

    /// Every map a locator is drawn from, and whose it is, as [`Maps::locator`] says.
    pub fn locator_views(&self, site: &Site) -> Vec<(&View, Option<usize>)> {
        let mut seen = vec![false; self.groups.len() + 1];
        let mut out = Vec::new();
        for l in 0..site.localities.len() {
            if let Some((view, g)) = self.locator(site, l) {
                let k = g.map_or(0, |g| g + 1);
                if !seen[k] {
                    seen[k] = true;
                    out.push((view, g));
                }
            }
        }
        out
    }
}
