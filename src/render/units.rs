//! The pages of places: the list of every locality, one locality's page with its
//! history, and a group's page with its localities.

use serde::Serialize;

use super::mirrors::mirrored;
use super::place::{Place, Which};
use super::ranks::{self, BarRow};
use super::views::{CompareView, FigureView, JoinView, Link, TableView, UnitRow, UnitRows, column_labels};
use super::{Counts, PAGE, Page, RenderError, Renderer};
use crate::markdown;
use crate::model::LocalityKind;
use crate::text;

/// How the list of every locality is ordered; each order is a page of its own, so that
/// a reader sorts without JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    Name,
    Area,
    /// Best first on an indicator.
    Progress(usize),
}

/// The way back to the site root from the lists of every locality.
const LIST_ROOT: &str = "../";

impl Order {
    fn page(self) -> Page {
        match self {
            Order::Name => Page::Localities,
            Order::Area => Page::LocalitiesByArea,
            Order::Progress(i) => Page::LocalitiesByProgress(i),
        }
    }
}

#[derive(Serialize)]
struct SortLink {
    label: String,
    href: String,
    current: bool,
}

/// A table of localities, under a heading of its own when the list is by area.
#[derive(Serialize)]
struct UnitSection {
    heading: Option<String>,
    caption: String,
    rows: UnitRows,
}

#[derive(Serialize)]
struct UnitsContext {
    lead: String,
    /// On a site shown by group: the light index, whose find box searches the compact
    /// index of every unit (its path from the site root), and each group's link.
    index: Option<String>,
    groups: Vec<GroupLink>,
    /// Why the list is not in the order its title says.
    note: Option<String>,
    sorts: Vec<SortLink>,
    sections: Vec<UnitSection>,
    indicator_heads: Vec<String>,
    /// See [`column_labels`].
    labels: String,
}

/// A group on the light index: its page and how many units it has.
#[derive(Serialize)]
struct GroupLink {
    name: String,
    href: String,
    units: String,
}

#[derive(Serialize)]
struct UnitFacts {
    name: String,
    facts: String,
    /// "Hình thành từ Phường Thuận An (thị xã Long Mỹ), Xã Long Trị và Xã Long Trị A."
    formed_from: Option<String>,
    /// The date of the figures the page shows: "30/09/2025".
    as_of: String,
    group: Option<String>,
    group_href: String,
    /// What the files of figures are, and which rows are this unit's.
    downloads_lead: String,
    /// Each year's file of figures, newest first: every unit's rows, this one's among them.
    downloads: Vec<Link>,
    /// The words of the link to the whole page, when it is shown in another site's frame.
    open: String,
}

/// The end of a locality's address that shows its figures alone, for another site's
/// frame: the theme's style hides the rest of the page when it is the page's target.
pub(super) const EMBED: &str = "embed";

/// The page at an address that has moved (`embed.html`): its new one, and what is there.
#[derive(Serialize)]
struct Forward<'a> {
    name: &'a str,
    href: String,
}

/// One year of a locality's history.
#[derive(Serialize)]
struct HistoryYear {
    /// Its anchor, which the earlier year's pages link to: "y2024".
    id: String,
    /// For an earlier year: "Kết quả năm 2024", and its final result on each indicator it
    /// had, in sentences.
    heading: Option<String>,
    results: Vec<FigureView>,
    /// For an earlier year: its ranking of each indicator.
    rankings: Vec<Link>,
    table: TableView,
}

#[derive(Serialize)]
struct LocalityContext {
    unit: UnitFacts,
    /// Where it lies, when the site has outlines.
    locator: Option<super::maps::LocatorView>,
    /// That the year's targets are not published yet, said once for its figures.
    pending_note: Option<String>,
    join: Option<JoinView>,
    figures: Vec<FigureView>,
    /// The HTML a newspaper pastes to show the unit's charts on its own page (with a
    /// base URL): an `<iframe>` of its embed page.
    embed: Option<String>,
    commentary: Option<String>,
    /// A table per year, newest first: this year's, then each earlier year's with its
    /// final results.
    history: Vec<HistoryYear>,
}

#[derive(Serialize)]
struct GroupFacts {
    name: String,
    lead: String,
}

#[derive(Serialize)]
struct GroupContext {
    group: GroupFacts,
    /// Its units on a map per indicator, when the site has outlines.
    maps: Vec<super::maps::MapView>,
    /// That the year's targets are not published yet, said once for its figures.
    pending_note: Option<String>,
    /// Links to the parts of the page: its units, its map, each indicator's ranking.
    jumps: Vec<Link>,
    figures: Vec<FigureView>,
    table_caption: String,
    indicator_heads: Vec<String>,
    labels: String,
    rows: UnitRows,
}

impl Renderer<'_> {
    /// The list of every locality, in `order`, with links to the other orders.
    pub(super) fn localities(&self, order: Order) -> Result<Counts, RenderError> {
        let site = self.site;
        let s = self.words.s;
        let year = self.year.year.to_string();
        let lead =
            s.fill("localities_lead", &[("n", &self.words.fmt.count(site.localities.len() as u64)), ("year", &year)]);
        if site.by_group() {
            return self.light_index(lead);
        }
        let caption = s.fill("table_units_caption", &[("year", &year)]);
        let by_name = |members: &mut Vec<usize>| self.sort_by_name(members);
        let page = order.page();
        let mut note = None;
        let (title, sections) = match order {
            Order::Name => {
                let mut all: Vec<usize> = (0..site.localities.len()).collect();
                by_name(&mut all);
                let section = UnitSection { heading: None, caption, rows: self.unit_rows(all.into_iter(), page) };
                (self.s("title_localities"), vec![section])
            }
            Order::Area => {
                let mut sections: Vec<UnitSection> = site
                    .groups
                    .iter()
                    .map(|g| {
                        let mut members = g.members.clone();
                        by_name(&mut members);
                        UnitSection {
                            heading: Some(g.name.clone()),
                            caption: s.fill("table_group_caption", &[("name", &g.name), ("year", &year)]),
                            rows: self.unit_rows(members.into_iter(), page),
                        }
                    })
                    .collect();
                let mut rest: Vec<usize> =
                    (0..site.localities.len()).filter(|&l| site.localities[l].group.is_none()).collect();
                if !rest.is_empty() {
                    by_name(&mut rest);
                    let heading = self.s("localities_no_area");
                    sections.push(UnitSection {
                        caption: format!("{heading} ({year})"),
                        heading: Some(heading),
                        rows: self.unit_rows(rest.into_iter(), page),
                    });
                }
                (self.s("title_localities_area"), sections)
            }
            Order::Progress(i) => {
                let ranks = &self.ranks[i];
                // Those without progress (no figure, or no target yet) after, by name.
                let mut without: Vec<usize> =
                    (0..site.localities.len()).filter(|&l| ranks.place[l].is_none()).collect();
                by_name(&mut without);
                let all = ranks.all.iter().copied().chain(without);
                let section = UnitSection { heading: None, caption, rows: self.unit_rows(all, page) };
                if ranks.all.is_empty() && self.year.city[i].latest_figure().is_some() {
                    note = Some(s.fill("ranking_pending", &[("year", &year)]));
                }
                (s.fill("title_localities_progress", &[("indicator", &site.indicators[i].short)]), vec![section])
            }
        };
        let mut orders = vec![(Order::Name, self.s("sort_name"))];
        if !site.groups.is_empty() {
            orders.push((Order::Area, self.s("sort_area")));
        }
        for (i, ind) in site.indicators.iter().enumerate() {
            orders.push((Order::Progress(i), s.fill("sort_progress", &[("indicator", &ind.short)])));
        }
        let sorts = orders
            .into_iter()
            .map(|(o, label)| SortLink { label, href: self.href(o.page()), current: o == order })
            .collect();
        let ctx = UnitsContext {
            lead: lead.clone(),
            index: None,
            groups: Vec::new(),
            note,
            sorts,
            sections,
            indicator_heads: self.indicator_heads(),
            labels: self.indicator_labels(),
        };
        self.write_page(page, title, lead, None, None, &ctx)?;
        Ok(PAGE)
    }

    /// The list of every locality on a site shown by group: a find box over the compact
    /// index of every unit ([`Renderer::find_index`], written here), and each group's
    /// page, which lists its own.
    fn light_index(&self, lead: String) -> Result<Counts, RenderError> {
        let site = self.site;
        let mut groups: Vec<usize> = (0..site.groups.len()).collect();
        groups.sort_by_cached_key(|&g| crate::text::collation_key(&site.groups[g].name));
        let groups = groups
            .into_iter()
            .map(|g| GroupLink {
                name: site.groups[g].name.clone(),
                href: self.href(Page::Group(g)),
                units: self.words.people_of(site.groups[g].members.len()),
            })
            .collect();
        if !self.archived && self.whole {
            self.out.write(crate::pages::FIND_INDEX, self.find_index().as_bytes())?;
        }
        let ctx = UnitsContext {
            lead: lead.clone(),
            index: Some(crate::pages::FIND_INDEX.to_owned()),
            groups,
            note: None,
            sorts: Vec::new(),
            sections: Vec::new(),
            indicator_heads: Vec::new(),
            labels: String::new(),
        };
        self.write_page(Page::Localities, self.s("title_localities"), lead, None, None, &ctx)?;
        Ok(PAGE)
    }

    /// Every unit in a few bytes, for the find box of a site shown by group: a script
    /// that hands `tiendoFind` a list of [name, id, old names], loaded only when a reader
    /// starts to type (a script, not data fetched, so that it works from disk too).
    fn find_index(&self) -> String {
        let units: Vec<(&str, &str, String)> = self
            .site
            .localities
            .iter()
            .map(|loc| (loc.label.as_str(), loc.id.as_str(), old_names(loc).join("|")))
            .collect();
        let json = serde_json::to_string(&serde_json::json!({ "u": units })).unwrap_or_default();
        format!("tiendoFind({json});\n")
    }

    /// Locality `l`'s page, and the page at its older embed address. Only the current
    /// year has one: an earlier year's figures are in its history.
    pub(super) fn locality(&self, l: usize) -> Result<Counts, RenderError> {
        let site = self.site;
        let loc = &site.localities[l];
        let place = Place { name: &loc.label, which: Which::Locality(l), id_prefix: "trend" };
        let (mut figures, charts) = self.figures(&place)?;
        for (i, f) in figures.iter_mut().enumerate() {
            f.compare = self.compare(l, i);
        }
        let figures_shown = figures.len();
        let mut embeds = 0;
        if self.whole {
            self.embed_page(l)?;
            embeds += 1;
        }
        let pending_note = self.pending_note(&figures);
        self.written_figures(&mut figures, 2, true, Page::Locality(l));
        let mut facts = self.s(match loc.kind {
            LocalityKind::Ward => "kind_ward",
            LocalityKind::Commune => "kind_commune",
            LocalityKind::SpecialZone => "kind_special_zone",
        });
        if let Some(code) = &loc.code {
            facts = format!("{facts} · {}", self.words.s.fill("code", &[("code", code)]));
        }
        let description = self.description(&figures, &pending_note);
        let ctx = LocalityContext {
            pending_note,
            locator: self.locator(l),
            unit: UnitFacts {
                name: loc.name.clone(),
                facts,
                formed_from: self.formed_from(l),
                as_of: self.year.dates.last().map(|&d| self.words.fmt.date(d)).unwrap_or_default(),
                group: loc.group.map(|g| site.groups[g].name.clone()),
                group_href: loc.group.map(|g| self.href(Page::Group(g))).unwrap_or_default(),
                open: self.words.s.fill("embed_open", &[("name", &loc.label)]),
                downloads_lead: self.words.s.fill("download_unit_csv", &[("id", &loc.id)]),
                downloads: self
                    .figure_files()
                    .into_iter()
                    .rev()
                    .map(|(year, href)| Link { name: year.to_string(), href })
                    .collect(),
            },
            figures,
            join: self.join(),
            embed: self.embed_code(l, figures_shown),
            commentary: site.content.localities[l].as_ref().map(|d| markdown::render(&d.markdown, 3, "note-")),
            history: self.history(l)?,
        };
        self.write_page(Page::Locality(l), loc.label.clone(), description, None, None, &ctx)?;
        Ok(Counts { pages: 1 + embeds, charts })
    }

    /// The `<iframe>` that shows locality `l`'s figures on another site, with a base URL
    /// (another site needs its address in full): its page, which shows its figures alone
    /// when its address ends in `#embed`. It is 500 px high plus 650 px a chart: in a
    /// 360 px phone's column, the sample's pages so shown (two charts) are 1,615 to
    /// 1,743 px high, and the small site's (three) 2,060 to 2,251 px.
    pub(super) fn embed_code(&self, l: usize, n: usize) -> Option<String> {
        let url = super::absolute(self.site, &Page::Locality(l).path(self.site))?;
        let title = self.embed_title(l);
        Some(format!(
            "<iframe src=\"{url}#{EMBED}\" title=\"{}\" width=\"100%\" height=\"{}\" style=\"border:0;max-width:760px\" loading=\"lazy\"></iframe>",
            text::escape_html(&title),
            500 + 650 * n.max(1)
        ))
    }

    fn embed_title(&self, l: usize) -> String {
        let loc = &self.site.localities[l];
        self.words.s.fill("embed_title", &[("name", &loc.label)])
    }

    /// Where an `<iframe>` pasted before the locality's page showed its figures alone
    /// (`embed/localities/<id>/`): a page that forwards the frame to the page's
    /// `#embed`, so that articles that show it keep showing the latest figures.
    fn embed_page(&self, l: usize) -> Result<(), RenderError> {
        let name = &self.site.localities[l].label;
        let href = format!("{}#{EMBED}", self.href(Page::Locality(l)));
        let view = Forward { name, href };
        self.write_page(Page::Embed(l), self.embed_title(l), String::new(), None, None, &view)
    }

    /// Every report's figures for one locality, a table a year, newest first, each year's
    /// progress against its own targets (the caption says so). A report without a figure
    /// for it says so. An earlier year's table follows its final results, in sentences,
    /// and links to its rankings: a locality's page is its only page, every year's figures
    /// on it, rather than a page a year of the locality under `years/<YYYY>/`.
    fn history(&self, l: usize) -> Result<Vec<HistoryYear>, RenderError> {
        let (s, fmt) = (self.words.s, self.words.fmt);
        let site = self.site;
        let (name, label) = (&site.localities[l].name, &site.localities[l].label);
        let mut years = Vec::with_capacity(self.index + 1);
        let all = self.computed.years.iter().zip(&self.heads.dates).zip(&self.heads.history);
        for (k, ((y, dates), (head, labels, shown))) in all.enumerate().take(self.index + 1).rev() {
            let year = y.year.to_string();
            let mut rows = self.table_rows();
            for (k, date) in dates.iter().enumerate().rev() {
                rows.row(date);
                for series in shown.iter().map(|&i| y.units.get(l, i)) {
                    // A figure without a target yet has no progress.
                    match (series.figures[k], series.at(k)) {
                        (Some(value), st) => {
                            rows.cell(&fmt.count(value));
                            if y.targeted {
                                rows.cell(&st.map(|st| self.words.progress(st)).unwrap_or_default());
                            }
                        }
                        (None, _) => {
                            rows.cell(s.get("no_report"));
                            if y.targeted {
                                rows.cell("");
                            }
                        }
                    }
                }
            }
            let key = if y.targeted { "table_history_caption" } else { "table_history_caption_pending" };
            let caption = s.fill(key, &[("name", name), ("year", &year)]);
            let table =
                TableView { caption, head: head.clone(), labels: labels.clone(), body: self.finish_rows(rows)? };
            // An earlier year's indicators, for its results and rankings; none for this one.
            let earlier = k < self.index;
            let closed = if earlier { shown.as_slice() } else { &[] };
            let results = closed
                .iter()
                .map(|&i| {
                    let ind = &site.indicators[i];
                    self.words.figure(String::new(), label, ind, y.units.get(l, i), y.year, &y.dates)
                })
                .collect();
            let rankings = closed
                .iter()
                .map(|&i| Link {
                    name: site.indicators[i].short.clone(),
                    href: Page::Indicator(i).archived_path(site, y.year),
                })
                .collect();
            years.push(HistoryYear {
                id: year_anchor(y.year),
                heading: earlier.then(|| self.years_result(y)),
                results,
                rankings,
                table,
            });
        }
        Ok(years)
    }

    pub(super) fn group(&self, g: usize) -> Result<Counts, RenderError> {
        let group = &self.site.groups[g];
        let place = Place { name: &group.name, which: Which::Group(g), id_prefix: "group" };
        let (mut figures, charts) = self.figures(&place)?;
        // Each ranking: its figure's id, and its indicator's short name.
        let mut ranked: Vec<(String, &String)> = Vec::new();
        for (i, f) in figures.iter_mut().enumerate() {
            let ranks = &self.ranks[i];
            let ind = &self.site.indicators[i];
            let order = &ranks.in_group[g];
            if order.is_empty() {
                continue;
            }
            // On a site shown by group, a large group shows its best and its furthest
            // behind: every unit's rank is on its own page, beside its neighbours'.
            let ends = self.site.by_group() && order.len() > 2 * ranks::ENDS;
            let shown: Vec<usize> = if ends {
                (0..ranks::ENDS).chain(order.len() - ranks::ENDS..order.len()).collect()
            } else {
                (0..order.len()).collect()
            };
            let rows: Vec<BarRow> = shown
                .iter()
                .map(|&k| BarRow {
                    rank: Some(k),
                    name: &self.site.localities[order[k]].label,
                    page: Some(Page::Locality(order[k])),
                    series: self.year.units.get(order[k], i),
                    current: false,
                    anchor: format!("r-{}-{}", ind.id, self.site.localities[order[k]].id),
                })
                .collect();
            let scale = ranks::scale(&rows);
            let mut bars = self.bar_items(rows, scale, true);
            if ends && let Some(first_behind) = bars.items.get_mut(ranks::ENDS) {
                first_behind.gap = true;
            }
            f.ranking = Some(self.written(bars, Page::Group(g)));
            ranked.push((f.id.clone(), &ind.short));
        }
        let mut figures = self.this_years(figures);
        let pending_note = self.pending_note(&figures);
        let maps = self.group_maps(g);
        let link = |name: String, href: String| Link { name, href };
        let mut jumps = vec![link(self.s("group_units"), "h-units".into())];
        if !maps.is_empty() {
            jumps.push(link(self.s("group_map"), "h-map".into()));
        }
        for (id, short) in ranked {
            let name = self.words.s.fill("group_jump_ranking", &[("indicator", short)]);
            jumps.push(link(name, format!("ranking-{id}")));
        }
        self.written_figures(&mut figures, 2, false, Page::Group(g));
        let lead = self.words.s.fill("group_lead", &[("n", &self.words.fmt.count(group.members.len() as u64))]);
        let description = self.description(&figures, &pending_note);
        let year = self.year.year.to_string();
        let mut members = group.members.clone();
        self.sort_by_name(&mut members);
        let ctx = GroupContext {
            group: GroupFacts { name: group.name.clone(), lead },
            maps,
            pending_note,
            jumps,
            figures,
            table_caption: self.words.s.fill("table_group_caption", &[("name", &group.name), ("year", &year)]),
            indicator_heads: self.indicator_heads(),
            labels: self.indicator_labels(),
            // In the order of the list of every unit: by name, as readers look for them.
            rows: self.unit_rows(members.into_iter(), Page::Group(g)),
        };
        self.write_page(Page::Group(g), group.name.clone(), description, None, None, &ctx)?;
        Ok(Counts { pages: 1, charts })
    }

    /// Where locality `l` stands on indicator `i`: its rank overall and in its group, the
    /// ones just above and below it, the city's and its group's figures, and a link to
    /// its row in the full ranking (its group's, on a site too large to rank every
    /// locality on one page). `None` without a figure this year.
    fn compare(&self, l: usize, i: usize) -> Option<CompareView> {
        let site = self.site;
        let (loc, ranks) = (&site.localities[l], &self.ranks[i]);
        let place = ranks.place[l]?;
        let group = loc.group.and_then(|g| Some((g, ranks.group_place[l]?)));
        let s = self.words.s;
        let (order, at, ranking_href, full) = match group {
            Some((g, at)) if !self.ranks_every_unit() => (
                &ranks.in_group[g],
                at,
                format!("{}#h-units", self.href(Page::Group(g))),
                s.fill("compare_group", &[("group", &site.groups[g].name)]),
            ),
            _ => (
                &ranks.all,
                place,
                format!("{}#r-{}", self.href(Page::Indicator(i)), loc.id),
                s.get("compare_full").to_owned(),
            ),
        };
        let around = &order[at.saturating_sub(1)..(at + 2).min(order.len())];
        let first = at.saturating_sub(1);
        let rows: Vec<BarRow> = around
            .iter()
            .enumerate()
            .map(|(k, &m)| BarRow {
                rank: Some(first + k),
                name: &site.localities[m].label,
                page: Some(Page::Locality(m)),
                series: self.year.units.get(m, i),
                current: m == l,
                anchor: String::new(),
            })
            .collect();
        let mut references = vec![BarRow {
            rank: None,
            name: &site.city.name,
            page: Some(Page::Home),
            series: &self.year.city[i],
            current: false,
            anchor: String::new(),
        }];
        if let Some((g, _)) = group {
            references.push(BarRow {
                rank: None,
                name: &site.groups[g].name,
                page: Some(Page::Group(g)),
                series: &self.year.groups[g][i],
                current: false,
                anchor: String::new(),
            });
        }
        // One scale for both lists, so the bars compare.
        let scale = ranks::scale(&rows).max(ranks::scale(&references));
        let neighbours = self.bar_items(rows, scale, true);
        let references = self.bar_items(references, scale, false);
        let s = self.words.s;
        let count = |n: usize| self.words.fmt.count(n as u64);
        let mut rank = s.fill(
            "compare_rank",
            &[("rank", &count(place + 1)), ("n", &count(ranks.all.len())), ("place", &site.city.name)],
        );
        if let Some((g, at)) = group {
            let in_group = s.fill(
                "compare_rank_group",
                &[("rank", &count(at + 1)), ("n", &count(ranks.in_group[g].len())), ("place", &site.groups[g].name)],
            );
            rank = format!("{rank}; {in_group}");
        }
        rank.push('.');
        let mut view = CompareView { rank, neighbours, references, ranking_href, full, html: None };
        let on = Page::Locality(l);
        if !mirrored(self.theme, CompareView::TEMPLATE) {
            view.neighbours = self.written(view.neighbours, on);
            view.references = self.written(view.references, on);
        } else {
            // Under the indicator's heading (h2) on a locality's page.
            let root = super::root_of(&self.path(on));
            view.html = Some(view.to_html(3, s.get("compare_heading"), &root));
            view.neighbours.items = Vec::new();
            view.references.items = Vec::new();
        }
        Some(view)
    }

    /// What locality `l` was formed from, in a sentence.
    fn formed_from(&self, l: usize) -> Option<String> {
        let names = &self.site.localities[l].formed_from;
        let s = self.words.s;
        let list = match names.as_slice() {
            [] => return None,
            [one] => one.clone(),
            [first @ .., last] => s.fill("list_and", &[("first", &first.join(", ")), ("last", last)]),
        };
        Some(s.fill("formed_from", &[("names", &list)]))
    }

    /// That the year's targets are not published yet, when some of `figures` are shown
    /// without them.
    fn pending_note(&self, figures: &[FigureView]) -> Option<String> {
        let pending = figures.iter().any(|f| f.pending.is_some());
        pending.then(|| self.words.s.fill("pending_note", &[("year", &self.year.year.to_string())]))
    }

    /// A page's description: its figures' sentences, and the note that the year's
    /// targets are not published yet.
    pub(super) fn description(&self, figures: &[FigureView], pending_note: &Option<String>) -> String {
        let sentences = figures.iter().map(|f| f.sentence.as_str()).chain(pending_note.as_deref());
        sentences.collect::<Vec<_>>().join(" ")
    }

    /// Sorts localities by name as a reader looks for them: "Phường An Bình" under A,
    /// before "Xã An Ninh", in Vietnamese dictionary order.
    pub(super) fn sort_by_name(&self, members: &mut [usize]) {
        members.sort_by_cached_key(|&l| {
            let loc = &self.site.localities[l];
            let kind = self.words.s.get(match loc.kind {
                LocalityKind::Ward => "kind_ward",
                LocalityKind::Commune => "kind_commune",
                LocalityKind::SpecialZone => "kind_special_zone",
            });
            let name = loc.name.as_str();
            let bare = match name.get(..kind.len()) {
                Some(head) if head.to_lowercase() == kind.to_lowercase() => name[kind.len()..].trim_start(),
                _ => name,
            };
            (text::collation_key(bare), l)
        });
    }

    /// A row per locality of `members`, for a table on page `on`: its name, linked, and its
    /// standing on each indicator. The lists of every locality (one folder deep) share
    /// each locality's row, written once.
    fn unit_rows(&self, members: impl Iterator<Item = usize>, on: Page) -> UnitRows {
        if !mirrored(self.theme, UnitRows::TEMPLATE) {
            return UnitRows { rows: members.map(|l| self.unit_row(l)).collect(), html: None };
        }
        let root = super::root_of(&self.path(on));
        let no_data = self.words.s.get("no_data");
        let html = if root == LIST_ROOT {
            let rows = self.list_rows.get_or_init(|| {
                (0..self.site.localities.len())
                    .map(|l| UnitRows::write(&[self.unit_row(l)], LIST_ROOT, no_data))
                    .collect()
            });
            members.map(|l| rows[l].as_str()).collect()
        } else {
            let rows: Vec<UnitRow> = members.map(|l| self.unit_row(l)).collect();
            UnitRows::write(&rows, &root, no_data)
        };
        UnitRows { rows: Vec::new(), html: Some(html) }
    }

    fn unit_row(&self, l: usize) -> UnitRow {
        UnitRow {
            name: self.site.localities[l].label.clone(),
            href: self.href(Page::Locality(l)),
            old: old_names(&self.site.localities[l]).join("|"),
            cells: self.year.units.locality(l).iter().map(|series| self.words.cell(series)).collect(),
        }
    }

    /// The headings of a table of units' columns: each indicator, and, once the year's
    /// targets are published, that its cells are progress toward the target.
    fn indicator_heads(&self) -> Vec<String> {
        let s = self.words.s;
        self.site
            .indicators
            .iter()
            .map(|i| {
                if self.year.targeted {
                    s.fill("col_indicator_of_target", &[("indicator", &i.short)])
                } else {
                    i.short.clone()
                }
            })
            .collect()
    }

    /// The headings of [`Renderer::indicator_heads`] as a table's column labels.
    fn indicator_labels(&self) -> String {
        column_labels(self.indicator_heads().iter().map(String::as_str))
    }
}

/// The anchor of year `year`'s part of a locality's history: "y2024".
pub(super) fn year_anchor(year: i32) -> String {
    format!("y{year}")
}

/// The names `loc` had before 1 July 2025, as a search finds them: without the notes
/// of the lineage ("Phường Thuận An (thị xã Long Mỹ)" is "Phường Thuận An").
pub(super) fn old_names(loc: &crate::model::Locality) -> Vec<&str> {
    loc.formed_from.iter().map(|n| n.split(" (").next().unwrap_or(n).trim()).filter(|n| !n.is_empty()).collect()
}
