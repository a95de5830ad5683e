//! What each page's share image shows (see `share`): the place's name, its progress on
//! each indicator with the status in words, the date of the figures and the site's name,
//! in the site's language. Only the current year's pages have one.

use super::Page;
use super::place::Place;
use super::views::Words;
use crate::compute::{Computed, Series, YearData};
use crate::format::Fmt;
use crate::model::{IndicatorKind, Site};
use crate::pages::Which;
use crate::progress::Status;
use crate::share::{Card, Line};
use crate::words::Strings;

/// Every share image of the site: where it goes, and what it shows.
pub fn share_cards(site: &Site, computed: &Computed, strings: &Strings) -> Vec<(String, Card)> {
    let Some(year) = computed.current() else { return Vec::new() };
    let words = Words { site, s: strings, fmt: Fmt::new(site.config.language) };
    let cards = Cards { site, year, words };
    Page::all(site).into_iter().filter_map(|page| Some((page.share_image(site)?, cards.card(page)?))).collect()
}

/// The card of `page`, when it has a picture of its own; the home page's is also shared
/// by the pages that have none.
pub(super) fn card_of(site: &Site, year: &YearData, words: Words, page: Page) -> Option<Card> {
    Cards { site, year, words }.card(page)
}

struct Cards<'a> {
    site: &'a Site,
    year: &'a YearData,
    words: Words<'a>,
}

impl Cards<'_> {
    fn card(&self, page: Page) -> Option<Card> {
        let site = self.site;
        let (title, which) = match page {
            Page::Home => (site.city.name.clone(), Which::City),
            Page::Locality(l) => (site.localities[l].label.clone(), Which::Locality(l)),
            Page::Group(g) => (site.groups[g].name.clone(), Which::Group(g)),
            Page::Indicator(i) => return Some(self.indicator(i)),
            _ => return None,
        };
        let place = Place { name: &title, which, id_prefix: "" };
        let lines = (0..site.indicators.len())
            .filter_map(|i| self.line(site.indicators[i].short.clone(), i, place.series(self.year, i)))
            .collect();
        Some(self.finish(title, lines))
    }

    /// An indicator's card: the city's progress on it, and how many units have reached
    /// their target.
    fn indicator(&self, i: usize) -> Card {
        let (site, s, fmt) = (self.site, self.words.s, self.words.fmt);
        let mut lines: Vec<Line> = self.line(site.city.name.clone(), i, &self.year.city[i]).into_iter().collect();
        let standings: Vec<_> = (0..site.localities.len()).filter_map(|l| self.year.units.get(l, i).latest()).collect();
        if !standings.is_empty() {
            let achieved = standings.iter().filter(|st| st.status == Status::Achieved).count();
            let total = site.localities.len();
            lines.push(Line {
                label: s.get("share_units_achieved").to_owned(),
                big: format!("{}/{}", fmt.count(achieved as u64), fmt.count(total as u64)),
                detail: String::new(),
                fill: Some(achieved as f64 / total.max(1) as f64),
                status: None,
            });
        }
        self.finish(site.indicators[i].name.clone(), lines)
    }

    /// What a card of a place shows of `series`: its progress, bar and status; or, while
    /// the year has no target, its figure; nothing when the year has no figure here.
    fn line(&self, label: String, i: usize, series: &Series) -> Option<Line> {
        let (s, fmt, ind) = (self.words.s, self.words.fmt, &self.site.indicators[i]);
        let people = |n: u64| self.words.people(ind, n);
        let (Some(goal), Some(st)) = (&series.goal, series.latest()) else {
            let (_, value) = series.latest_figure()?;
            let year = self.year.year.to_string();
            return Some(Line {
                label,
                big: people(value),
                detail: s.fill("share_no_target", &[("year", &year)]),
                fill: None,
                status: None,
            });
        };
        let detail = match (ind.kind, series.rate_of(st.value as f64), series.target_rate()) {
            (IndicatorKind::Coverage, Some(rate), Some(target)) => {
                let base = self.words.base_of(ind);
                s.fill(
                    "share_of_target_rate",
                    &[
                        ("rate", &fmt.percent(rate)),
                        ("base", &base),
                        ("indicator", &ind.short),
                        ("target", &fmt.percent(target)),
                    ],
                )
            }
            _ => s.fill("share_of_target", &[("value", &fmt.count(st.value)), ("target", &people(goal.people))]),
        };
        Some(Line {
            // The big number is progress toward the target, and says so.
            label: s.fill("share_label_progress", &[("indicator", &label)]),
            big: self.words.progress(st),
            detail,
            fill: Some(st.progress),
            status: Some((s.status(st.status).to_owned(), crate::share::status_colour(st.status))),
        })
    }

    fn finish(&self, title: String, lines: Vec<Line>) -> Card {
        let date = self.year.dates.last().map(|&d| self.words.fmt.date(d)).unwrap_or_default();
        Card {
            site: self.site.config.title.clone(),
            title,
            // A closed year's picture shows its result, as of the year's last report.
            as_of: self.words.s.fill(
                if self.year.closed { "share_result_as_of" } else { "share_as_of" },
                &[("date", &date), ("year", &self.year.year.to_string())],
            ),
            lines,
            notice: self.site.config.notice.clone(),
        }
    }
}
