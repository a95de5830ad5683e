//! Who stands where: the localities (and the groups) ordered by their latest progress on
//! each indicator, worked out once per build for every page that ranks or compares, and
//! the bars that show it.

use super::views::{BarView, BarsView, icon};
use super::{Page, Renderer};
use crate::compute::{Series, YearData};
use crate::model::Site;

/// How many of the best and of the furthest behind a ranking of a site shown by group
/// shows: its indicator pages, and its groups' pages.
pub(super) const ENDS: usize = 10;

/// The order of one indicator.
pub(super) struct IndicatorRanks {
    /// The localities with a figure this year, best first; ties in file order.
    pub all: Vec<usize>,
    /// By locality: its place in `all`.
    pub place: Vec<Option<usize>>,
    /// By group: its members with a figure, best first.
    pub in_group: Vec<Vec<usize>>,
    /// By locality: its place in its group's order.
    pub group_place: Vec<Option<usize>>,
    /// The groups with a figure, best first.
    pub groups: Vec<usize>,
}

/// Best first: the higher latest progress, then the earlier in file order; places without
/// a figure are left out.
fn order<'s>(items: impl Iterator<Item = usize>, series: impl Fn(usize) -> &'s Series) -> Vec<usize> {
    let mut ranked: Vec<(f64, usize)> = items.filter_map(|k| Some((series(k).latest()?.progress, k))).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, k)| k).collect()
}

/// Every indicator's order in `year`. A rank is a position in it (from 1): equal
/// progress keeps file order, as the ranking shows it.
pub(super) fn ranks(site: &Site, year: &YearData) -> Vec<IndicatorRanks> {
    let n = site.localities.len();
    (0..site.indicators.len())
        .map(|i| {
            let all = order(0..n, |l| year.units.get(l, i));
            let mut place = vec![None; n];
            for (k, &l) in all.iter().enumerate() {
                place[l] = Some(k);
            }
            let in_group: Vec<Vec<usize>> =
                site.groups.iter().map(|g| order(g.members.iter().copied(), |l| year.units.get(l, i))).collect();
            let mut group_place = vec![None; n];
            for members in &in_group {
                for (k, &l) in members.iter().enumerate() {
                    group_place[l] = Some(k);
                }
            }
            let groups = order(0..site.groups.len(), |g| &year.groups[g][i]);
            IndicatorRanks { all, place, in_group, group_place, groups }
        })
        .collect()
}

/// One row of a list of bars, before it is drawn to scale.
pub(super) struct BarRow<'a> {
    /// From 0; `None` for a place shown for comparison.
    pub rank: Option<usize>,
    pub name: &'a str,
    pub page: Option<Page>,
    pub series: &'a Series,
    pub current: bool,
    pub anchor: String,
}

/// Progress beyond this share of the target is drawn as a full bar (its value is still
/// written), so that one place far ahead does not squash everyone else's bar.
const LONGEST: f64 = 1.5;

/// `x` (0 to 1) with four decimals, "0.8052": integers only, as some 50,000 bars need it.
fn fraction(x: f64) -> String {
    let n = (x.clamp(0.0, 1.0) * 10_000.0).round() as u32;
    format!("{}.{:04}", n / 10_000, n % 10_000)
}

/// The scale of bars for `rows`: the highest progress among them, at least 100 % and at
/// most [`LONGEST`], is a full bar.
pub(super) fn scale(rows: &[BarRow]) -> f64 {
    rows.iter().filter_map(|r| r.series.latest()).map(|st| st.progress).fold(1.0f64, f64::max).min(LONGEST)
}

impl Renderer<'_> {
    /// A ranking of `rows` as bars, on page `on`, to their own [`scale`].
    pub(super) fn bars(&self, rows: Vec<BarRow>, on: Page) -> BarsView {
        let scale = scale(&rows);
        self.bars_to_scale(rows, scale, true, on)
    }

    /// Bars for `rows` (`ranked`: an ordered list) on page `on`, progress `scale` being a
    /// full bar; rows without a figure are left out. Written as HTML here unless the site
    /// has its own `bars.html` (as [`TableRows`](super::mirrors::TableRows) does, and for the
    /// same reason: a national site draws some 50,000 bars).
    pub(super) fn bars_to_scale(&self, rows: Vec<BarRow>, scale: f64, ranked: bool, on: Page) -> BarsView {
        self.written(self.bar_items(rows, scale, ranked), on)
    }

    /// The bars of `rows`, not yet written: see [`Renderer::bars_to_scale`].
    pub(super) fn bar_items(&self, rows: Vec<BarRow>, scale: f64, ranked: bool) -> BarsView {
        let items = rows
            .into_iter()
            .filter_map(|r| {
                let st = r.series.latest()?;
                Some(BarView {
                    rank: r.rank.map(|k| self.words.fmt.count(k as u64 + 1)).unwrap_or_default(),
                    name: r.name.to_owned(),
                    href: r.page.map(|p| self.href(p)).unwrap_or_default(),
                    width: fraction((st.progress / scale).clamp(0.0, 1.0)),
                    value: self.words.progress(st),
                    status: st.status.slug(),
                    status_label: self.words.s.status(st.status).to_owned(),
                    icon: icon(st.status),
                    current: r.current,
                    anchor: r.anchor,
                    gap: false,
                })
            })
            .collect();
        BarsView { ranked, full: fraction(1.0 / scale), items, html: None }
    }

    /// `view` written as HTML for page `on`, unless the site has its own `bars.html`.
    pub(super) fn written(&self, mut view: BarsView, on: Page) -> BarsView {
        if super::mirrors::mirrored(self.theme, BarsView::TEMPLATE) {
            view.html = Some(view.to_html(&super::root_of(&self.path(on))));
            view.items = Vec::new();
        }
        view
    }
}
