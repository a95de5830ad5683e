//! The home page: the city's standing on each indicator at a glance, its trend charts,
//! the groups and the latest bulletins.

use serde::Serialize;

use super::docs::UpdateItem;
use super::place::{Place, Which};
use super::ranks::BarRow;
use super::views::{BarsView, FigureView, JoinView, Link, icon};
use super::{Counts, Page, RenderError, Renderer};
use crate::markdown;
use crate::model::IndicatorKind;
use crate::progress::Status;

/// A unit in the list the home page's find box searches: what it was formed from too.
#[derive(Serialize)]
struct Named {
    name: String,
    href: String,
    /// Its old names, for the search, separated by `|`.
    old: String,
    /// "trước đây: Phường Thuận An (thị xã Long Mỹ), Xã Long Trị, Xã Long Trị A".
    was: Option<String>,
}

#[derive(Serialize)]
struct StatusCount {
    status: &'static str,
    label: String,
    icon: &'static str,
    /// How many, as the site writes counts.
    n: String,
    /// Share of all units, in percent: the width of this status in the bar.
    share: String,
}

#[derive(Serialize)]
struct Summary {
    indicator: String,
    href: String,
    /// The first number a reader sees: the share covered for a coverage indicator, the
    /// progress toward the target for a count.
    big: String,
    /// What `big` is, in words: "dân số có BHYT; chỉ tiêu 94,40 %".
    plain: String,
    /// For a coverage indicator, the progress toward the target, second.
    progress: Option<String>,
    status: &'static str,
    status_label: String,
    icon: &'static str,
    /// "43.060 người still needed", or that the target is reached.
    need: String,
    counts: Vec<StatusCount>,
}

/// A linked place and its progress, in a sentence.
#[derive(Serialize)]
struct Mention {
    name: String,
    href: String,
    progress: String,
}

/// The main points of one indicator, in words: how many have reached the target, who
/// is furthest behind, who moved most since the previous report.
#[derive(Serialize)]
struct Points {
    indicator: String,
    achieved: String,
    behind: Vec<Mention>,
    moved: Option<Moved>,
}

/// Who gained most since the previous report.
#[derive(Serialize)]
struct Moved {
    /// "Tiến nhanh nhất so với kỳ báo cáo trước (31/08/2025):"
    lead: String,
    place: Mention,
    /// "từ 70,10 % lên 78,40 % chỉ tiêu."
    change: String,
}

/// One indicator's groups side by side.
#[derive(Serialize)]
struct Area {
    indicator: String,
    bars: BarsView,
}

#[derive(Serialize)]
struct Home {
    heading: String,
    /// The whole of what the site covers, in a word chosen by what it is: "Toàn thành
    /// phố", "Toàn tỉnh", "Cả nước".
    whole: String,
    lead: String,
    /// Every locality by name: the list the search filters, and what a reader without
    /// JavaScript reads; on a site shown by group, none: the find box searches the compact
    /// index (its path from the site root), and the list of every locality is by group.
    names: Vec<Named>,
    index: Option<&'static str>,
    /// "Danh sách 103 phường, xã theo tên".
    names_title: String,
    points: Vec<Points>,
    /// That the year's targets are not published yet.
    points_note: Option<String>,
    summaries: Vec<Summary>,
    /// A map per indicator, when the site has outlines.
    maps: Vec<super::maps::MapView>,
    areas: Vec<Area>,
    intro: Option<String>,
    figures: Vec<FigureView>,
    groups: Vec<Link>,
    updates: Vec<UpdateItem>,
}

#[derive(Serialize)]
struct HomeContext {
    home: Home,
    join: Option<JoinView>,
}

/// JSON that cannot end or confuse the `<script>` element it sits in: `<`, `>` and `&`
/// become `\u` escapes, which mean the same in JSON.
fn script_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

impl Renderer<'_> {
    pub(super) fn home(&self) -> Result<Counts, RenderError> {
        let site = self.site;
        let year = self.year.year.to_string();
        let as_of = self.latest_report().map(|r| self.words.fmt.date(r.as_of)).unwrap_or_default();
        let units = self.words.fmt.count(site.localities.len() as u64);
        let place = Place { name: &site.city.name, which: Which::City, id_prefix: "city" };
        let (mut figures, charts) = self.figures(&place)?;
        let summaries = self.this_years((0..site.indicators.len()).map(|i| self.summary(i, &figures[i])).collect());
        figures = self.this_years(figures);
        self.written_figures(&mut figures, 3, false, Page::Home);
        let mut names: Vec<usize> = (0..site.localities.len()).collect();
        self.sort_by_name(&mut names);
        // What a link to the home page says: the city's figures.
        let sentences = Some(self.description(&figures, &None)).filter(|s| !s.is_empty());
        let home = Home {
            heading: self.words.s.fill("home_heading", &[("city", &site.city.name), ("year", &year)]),
            whole: self.s(self.whole()),
            lead: self.words.s.fill("home_lead", &[("date", &as_of), ("units", &units)]),
            names: if site.by_group() {
                Vec::new()
            } else {
                names
                    .into_iter()
                    .map(|l| {
                        let loc = &site.localities[l];
                        Named {
                            name: loc.label.clone(),
                            href: self.href(Page::Locality(l)),
                            old: super::units::old_names(loc).join("|"),
                            was: (!loc.formed_from.is_empty())
                                .then(|| self.words.s.fill("search_was", &[("old", &loc.formed_from.join(", "))])),
                        }
                    })
                    .collect()
            },
            index: site.by_group().then_some(crate::pages::FIND_INDEX),
            names_title: self.words.s.fill("home_find_all", &[("n", &units)]),
            // Nothing to count or rank against targets not published yet: the note says so.
            points: (0..site.indicators.len())
                .filter(|&i| !self.ranks[i].all.is_empty())
                .map(|i| self.points(i))
                .collect(),
            points_note: (!self.year.targeted).then(|| self.words.s.fill("pending_note", &[("year", &year)])),
            summaries,
            maps: self.site_maps(Page::Home, None),
            areas: self.areas(),
            intro: site
                .content
                .home
                .as_ref()
                .filter(|_| !self.archived)
                .map(|d| markdown::render(&d.markdown, 2, "intro-")),
            figures,
            groups: (0..site.groups.len())
                .map(|g| Link { name: site.groups[g].name.clone(), href: self.href(Page::Group(g)) })
                .collect(),
            // An earlier year's home has nothing of now: no introduction, no way to take
            // part, no bulletins.
            updates: if self.archived { Vec::new() } else { self.update_items(3) },
        };
        let description = if site.config.description.is_empty() || self.archived {
            home.lead.clone()
        } else {
            site.config.description.clone()
        };
        // The dataset is the whole site's, described once, on the current home page.
        let jsonld = (!self.archived).then(|| self.dataset_jsonld(&description));
        let ctx = HomeContext { home, join: self.join().filter(|_| !self.archived) };
        self.write_page(Page::Home, site.config.title.clone(), description, sentences, jsonld, &ctx)?;
        Ok(Counts { pages: 1, charts })
    }

    /// The city's standing on indicator `i` in a few lines: the first number in plain
    /// words, progress and status, what is still needed, how many units stand where; its
    /// `figure` says what is known without the year's targets.
    fn summary(&self, i: usize, figure: &FigureView) -> Summary {
        let site = self.site;
        let n = site.localities.len();
        let ind = &site.indicators[i];
        let (s, fmt) = (self.words.s, self.words.fmt);
        let mut tally = [0usize; Status::ALL.len()];
        for l in 0..n {
            if let Some(st) = self.year.units.get(l, i).latest() {
                tally[Status::ALL.iter().position(|s| *s == st.status).unwrap_or(0)] += 1;
            }
        }
        let counts = Status::ALL
            .iter()
            .zip(tally)
            .filter(|(_, count)| *count > 0)
            .map(|(&st, count)| StatusCount {
                status: st.slug(),
                label: s.status(st).to_owned(),
                icon: icon(st),
                n: self.words.fmt.count(count as u64),
                share: format!("{:.2}", count as f64 * 100.0 / n.max(1) as f64),
            })
            .collect();
        let series = &self.year.city[i];
        let latest = series.latest();
        let unit = self.words.unit_of(ind);
        let need = match latest {
            Some(st) if st.remaining > 0 => {
                // A year that is over fell short; a running one still needs.
                let key = if self.year.closed { "home_short" } else { "home_need" };
                s.fill(key, &[("n", &format!("{}{unit}", fmt.count(st.remaining)))])
            }
            Some(_) => self.s("home_reached"),
            None => String::new(),
        };
        let progress = latest.map(|st| self.words.progress(st)).unwrap_or_default();
        let (big, plain, progress) = match (ind.kind, latest) {
            (IndicatorKind::Coverage, Some(st)) => {
                let rate = series.rate_of(st.value as f64).map(|r| fmt.percent(r)).unwrap_or_default();
                let target_rate = series.target_rate().map(|r| fmt.percent(r)).unwrap_or_default();
                let base = self.words.base_of(ind);
                let plain = s.fill(
                    "card_coverage",
                    &[("base", &base), ("indicator", &ind.short), ("target_rate", &target_rate)],
                );
                (rate, plain, Some(s.fill("card_progress", &[("progress", &progress)])))
            }
            (IndicatorKind::Count, Some(st)) => {
                let plain = s.fill(
                    "card_count",
                    &[
                        ("target", &format!("{}{unit}", fmt.count(series.target().unwrap_or_default()))),
                        ("value", &format!("{}{unit}", fmt.count(st.value))),
                    ],
                );
                (progress, plain, None)
            }
            (_, None) => match &figure.pending {
                // The year's targets are not published yet: the figure, and last year's result.
                Some(p) => (p.value.clone(), s.fill("card_pending", &[("date", &figure.as_of)]), p.previous.clone()),
                None => (String::new(), String::new(), None),
            },
        };
        let need = match &figure.pending {
            Some(p) => p.change.clone().unwrap_or_default(),
            None => need,
        };
        Summary {
            indicator: ind.name.clone(),
            href: self.href(Page::Indicator(i)),
            big,
            plain,
            progress,
            status: latest.map_or("none", |st| st.status.slug()),
            status_label: latest.map(|st| s.status(st.status).to_owned()).unwrap_or_default(),
            icon: latest.map_or("", |st| icon(st.status)),
            need,
            counts,
        }
    }

    /// The main points of indicator `i` in words, from the figures: how many localities
    /// have reached the target, the three furthest behind, and who gained most since the
    /// previous report of the year.
    fn points(&self, i: usize) -> Points {
        let site = self.site;
        let (s, fmt) = (self.words.s, self.words.fmt);
        let ranks = &self.ranks[i];
        let latest = |l: usize| self.year.units.get(l, i).latest();
        let year = self.year.year.to_string();

        let reached = ranks.all.iter().filter(|&&l| latest(l).is_some_and(|st| st.status == Status::Achieved)).count();
        let achieved = if reached == 0 {
            s.fill("points_none_achieved", &[("year", &year)])
        } else {
            s.fill(
                "points_achieved",
                &[("n", &fmt.count(reached as u64)), ("total", &fmt.count(ranks.all.len() as u64)), ("year", &year)],
            )
        };
        let mention = |l: usize| {
            Some(Mention {
                name: site.localities[l].label.clone(),
                href: self.href(Page::Locality(l)),
                progress: self.words.progress(latest(l)?),
            })
        };
        let behind = ranks
            .all
            .iter()
            .rev()
            .filter(|&&l| latest(l).is_some_and(|st| st.status != Status::Achieved))
            .take(3)
            .filter_map(|&l| mention(l))
            .collect();
        // The change in progress between the year's last two reports, for localities that
        // have a figure in both; the largest gain, the earlier in file order on a tie.
        let moved = self.year.dates.len().checked_sub(2).and_then(|prev| {
            let (gain, l) = (0..site.localities.len())
                .filter_map(|l| {
                    let series = self.year.units.get(l, i);
                    let (before, now) = (series.at(prev)?, series.at(prev + 1)?);
                    Some((now.progress - before.progress, l))
                })
                .fold(None, |best: Option<(f64, usize)>, (gain, l)| match best {
                    Some((b, _)) if b >= gain => best,
                    _ => Some((gain, l)),
                })?;
            if gain <= 0.0 {
                return None;
            }
            let series = self.year.units.get(l, i);
            let (before, now) = (series.at(prev)?, series.at(prev + 1)?);
            let lead = s.fill("points_moved", &[("date", &fmt.date(before.date))]);
            let change = s.fill(
                "points_moved_from_to",
                &[("from", &self.words.progress(before)), ("to", &self.words.progress(now))],
            );
            Some(Moved { lead, place: mention(l)?, change })
        });
        Points { indicator: site.indicators[i].short.clone(), achieved, behind, moved }
    }

    /// Each indicator's groups side by side, best first; none without groups.
    fn areas(&self) -> Vec<Area> {
        if self.site.groups.is_empty() {
            return Vec::new();
        }
        (0..self.site.indicators.len())
            .filter(|&i| !self.ranks[i].groups.is_empty())
            .map(|i| Area {
                indicator: self.site.indicators[i].name.clone(),
                bars: self.bars(
                    self.ranks[i]
                        .groups
                        .iter()
                        .enumerate()
                        .map(|(k, &g)| BarRow {
                            rank: Some(k),
                            name: &self.site.groups[g].name,
                            page: Some(Page::Group(g)),
                            series: &self.year.groups[g][i],
                            current: false,
                            anchor: String::new(),
                        })
                        .collect(),
                    Page::Home,
                ),
            })
            .collect()
    }

    /// schema.org `Dataset` metadata for the figures, so search engines can find the data files.
    fn dataset_jsonld(&self, description: &str) -> String {
        let site = self.site;
        let base = site.config.base_url.as_deref();
        let url = |path: &str| base.map_or_else(|| path.to_owned(), |b| format!("{b}/{path}"));
        let first = site.reports.first().map(|r| r.as_of.to_string()).unwrap_or_default();
        let last = site.reports.last().map(|r| r.as_of.to_string()).unwrap_or_default();
        let publisher = site.config.publisher.as_deref().unwrap_or(&site.config.title);
        let value = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": site.config.title,
            "description": description,
            "url": url(""),
            "inLanguage": site.config.language.code(),
            "isAccessibleForFree": true,
            "creator": { "@type": "Organization", "name": publisher },
            "publisher": { "@type": "Organization", "name": publisher },
            "dateModified": last,
            "temporalCoverage": format!("{first}/{last}"),
            "spatialCoverage": { "@type": "Place", "name": site.city.name },
            "variableMeasured": site.indicators.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(),
            "distribution": self.figure_files().into_iter().rev().map(|(year, path)| serde_json::json!(
                { "@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": url(&path), "name": year.to_string() }
            )).collect::<Vec<_>>(),
        });
        script_safe_json(&value.to_string())
    }
}
