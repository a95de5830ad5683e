//! The pages of indicators: the list of them, and one indicator's page with every
//! locality ranked.

use serde::Serialize;

use super::place::{Place, Which};
use super::ranks::{self, BarRow};
use super::views::{BarsView, FigureView, column_labels, icon};
use super::{Counts, PAGE, Page, RenderError, Renderer};
use crate::charts::{self, Bar, Ranking};
use crate::markdown;
use crate::model::IndicatorKind;

#[derive(Serialize)]
struct IndicatorItem {
    name: String,
    href: String,
    sentence: String,
    status: &'static str,
}

#[derive(Serialize)]
struct IndicatorsContext {
    items: Vec<IndicatorItem>,
}

#[derive(Serialize)]
struct IndicatorFacts {
    name: String,
    about: String,
    coverage: bool,
}

#[derive(Serialize)]
struct RankRow {
    rank: String,
    name: String,
    href: String,
    value: String,
    target: String,
    rate: String,
    progress: String,
    status: &'static str,
    status_label: String,
    icon: &'static str,
}

/// Every locality's numbers, best first: the ranking's full table.
#[derive(Serialize)]
struct RankTable {
    caption: String,
    head: RankHead,
    /// See [`column_labels`].
    labels: String,
    rows: Vec<RankRow>,
}

/// The headings of the full table, by column.
#[derive(Serialize)]
struct RankHead {
    rank: String,
    locality: String,
    value: String,
    target: String,
    rate: String,
    progress: String,
    status: String,
}

#[derive(Serialize)]
struct RankingView {
    /// The standalone SVG of the ranking.
    file: String,
    /// Every locality, when there are few enough to read in one list.
    units: Option<BarsView>,
    /// With many localities: the best and the furthest behind.
    top: Option<BarsView>,
    bottom: Option<BarsView>,
    /// Where the rest are ranked, or why there is no ranking.
    rest: Option<String>,
    /// The groups, when localities have groups.
    groups: Option<BarsView>,
    table: Option<RankTable>,
}

#[derive(Serialize)]
struct IndicatorContext {
    indicator: IndicatorFacts,
    commentary: Option<String>,
    city: FigureView,
    /// Every unit (or group) on a map, when the site has outlines.
    map: Option<super::maps::MapView>,
    ranking: RankingView,
}

use super::ranks::ENDS;

impl Renderer<'_> {
    pub(super) fn indicators(&self) -> Result<Counts, RenderError> {
        let (site, year) = (self.site, self.year);
        let city = Place { name: &site.city.name, which: Which::City, id_prefix: "city" };
        let mut items = Vec::with_capacity(site.indicators.len());
        for i in 0..site.indicators.len() {
            items.push(IndicatorItem {
                name: site.indicators[i].name.clone(),
                href: self.href(Page::Indicator(i)),
                // The city's sentence, with or without the year's targets.
                sentence: self.figure(&city, i)?.sentence,
                status: year.city[i].latest().map_or("none", |s| s.status.slug()),
            });
        }
        let title = self.s("title_indicators");
        self.write_page(Page::Indicators, title.clone(), title, None, None, &IndicatorsContext { items })?;
        Ok(PAGE)
    }

    /// An indicator's page: the city's figure, and every locality ranked by its latest
    /// progress, as bars and as a table (with many localities: the groups ranked, and the
    /// best and the furthest behind).
    pub(super) fn indicator(&self, i: usize) -> Result<Counts, RenderError> {
        let site = self.site;
        let ind = &site.indicators[i];
        let place = Place { name: &site.city.name, which: Which::City, id_prefix: "city" };
        let mut city = self.figure(&place, i)?;
        self.written_figures(std::slice::from_mut(&mut city), 2, false, Page::Indicator(i));
        let ranks = &self.ranks[i];
        let file = self.ranking_chart(i)?;
        let unit_rows = |units: &[usize], anchors: bool| -> Vec<BarRow> {
            units
                .iter()
                .map(|&l| BarRow {
                    rank: ranks.place[l],
                    name: &site.localities[l].label,
                    page: Some(Page::Locality(l)),
                    series: self.year.units.get(l, i),
                    current: false,
                    anchor: if anchors { format!("r-{}", site.localities[l].id) } else { String::new() },
                })
                .collect()
        };
        let group_rows: Vec<BarRow> = ranks
            .groups
            .iter()
            .enumerate()
            .map(|(k, &g)| BarRow {
                rank: Some(k),
                name: &site.groups[g].name,
                page: Some(Page::Group(g)),
                series: &self.year.groups[g][i],
                current: false,
                anchor: String::new(),
            })
            .collect();
        // Every list of the page to one scale, set by the best locality, so that bars
        // compare from one list to the next.
        let scale = ranks::scale(&unit_rows(&ranks.all[..ranks.all.len().min(1)], false));
        let on = Page::Indicator(i);
        let groups = (!group_rows.is_empty()).then(|| self.bars_to_scale(group_rows, scale, true, on));
        let ranking = if ranks.all.is_empty() {
            // No standings to rank: the year's targets are not published yet, or the
            // indicator has no figures this year.
            let key = if self.year.city[i].latest_figure().is_some() { "ranking_pending" } else { "ranking_none" };
            let note = self.words.s.fill(key, &[("year", &self.year.year.to_string())]);
            RankingView { file, units: None, top: None, bottom: None, rest: Some(note), groups: None, table: None }
        } else if self.ranks_every_unit() {
            RankingView {
                file,
                units: Some(self.bars_to_scale(unit_rows(&ranks.all, true), scale, true, on)),
                top: None,
                bottom: None,
                rest: None,
                groups,
                table: Some(self.rank_table(i)),
            }
        } else {
            let n = ranks.all.len();
            let top = &ranks.all[..ENDS.min(n)];
            let bottom = &ranks.all[n.saturating_sub(ENDS).max(top.len())..];
            RankingView {
                file,
                units: None,
                top: Some(self.bars_to_scale(unit_rows(top, false), scale, true, on)),
                bottom: (!bottom.is_empty()).then(|| self.bars_to_scale(unit_rows(bottom, false), scale, true, on)),
                rest: Some(self.words.s.fill("ranking_rest", &[("n", &self.words.fmt.count(n as u64))])),
                groups,
                table: None,
            }
        };
        let about_key = match ind.kind {
            IndicatorKind::Count => "indicator_about_count",
            IndicatorKind::Coverage => "indicator_about_coverage",
        };
        let base = self.words.base_of(ind);
        let ctx = IndicatorContext {
            indicator: IndicatorFacts {
                name: ind.name.clone(),
                about: self.words.s.fill(about_key, &[("unit", &ind.unit), ("base", &base)]),
                coverage: ind.kind == IndicatorKind::Coverage,
            },
            // Commentary is about now: an earlier year's page has none.
            commentary: site.content.indicators[i]
                .as_ref()
                .filter(|_| !self.archived)
                .map(|d| markdown::render(&d.markdown, 2, "note-")),
            city,
            map: self.site_maps(Page::Indicator(i), Some(i)).pop(),
            ranking,
        };
        let description = ctx.city.sentence.clone();
        self.write_page(Page::Indicator(i), ind.name.clone(), description, None, None, &ctx)?;
        Ok(Counts { pages: 1, charts: usize::from(!ctx.ranking.file.is_empty()) })
    }

    /// Whether an indicator's page ranks every locality; if not (a site shown by group),
    /// it ranks the groups and shows the best and furthest behind, and each group's page
    /// ranks its own.
    pub(super) fn ranks_every_unit(&self) -> bool {
        !self.site.by_group()
    }

    /// Every locality's numbers on indicator `i`, best first; those without a figure last.
    fn rank_table(&self, i: usize) -> RankTable {
        let (site, fmt) = (self.site, self.words.fmt);
        let ind = &site.indicators[i];
        let ranks = &self.ranks[i];
        let without = (0..site.localities.len()).filter(|&l| ranks.place[l].is_none());
        let rows = ranks
            .all
            .iter()
            .copied()
            .chain(without)
            .map(|l| {
                let series = self.year.units.get(l, i);
                let st = series.latest();
                RankRow {
                    rank: ranks.place[l].map(|k| self.words.fmt.count(k as u64 + 1)).unwrap_or_default(),
                    name: site.localities[l].label.clone(),
                    href: self.href(Page::Locality(l)),
                    value: st.map(|s| fmt.count(s.value)).unwrap_or_else(|| self.s("no_data")),
                    target: series.target().map(|t| fmt.count(t)).unwrap_or_default(),
                    rate: st.and_then(|s| series.rate_of(s.value as f64)).map(|r| fmt.percent(r)).unwrap_or_default(),
                    progress: st.map(|s| self.words.progress(s)).unwrap_or_default(),
                    status: st.map_or("none", |s| s.status.slug()),
                    status_label: st.map(|s| self.words.s.status(s.status).to_owned()).unwrap_or_default(),
                    icon: st.map_or("", |s| icon(s.status)),
                }
            })
            .collect();
        let head = RankHead {
            rank: self.s("col_rank"),
            locality: self.s("col_locality"),
            value: self.s("col_value"),
            target: self.s("col_target"),
            rate: self.s("col_rate"),
            progress: self.s("col_progress"),
            status: self.s("col_status"),
        };
        let mut columns = vec![head.rank.as_str(), head.value.as_str(), head.target.as_str()];
        if ind.kind == IndicatorKind::Coverage {
            columns.push(&head.rate);
        }
        columns.extend([head.progress.as_str(), head.status.as_str()]);
        let labels = column_labels(columns);
        let year = self.year.year.to_string();
        let caption = self.words.s.fill("table_ranking_caption", &[("indicator", &ind.short), ("year", &year)]);
        RankTable { caption, head, labels, rows }
    }

    /// The ranking of indicator `i` as a standalone SVG, for download; where it is written
    /// (nowhere for an earlier year, whose charts are on its pages only).
    fn ranking_chart(&self, i: usize) -> Result<String, RenderError> {
        if self.archived {
            return Ok(String::new());
        }
        let site = self.site;
        let ind = &site.indicators[i];
        let fmt = self.words.fmt;
        let bars: Vec<Bar> = self.ranks[i]
            .all
            .iter()
            .filter_map(|&l| {
                let st = self.year.units.get(l, i).latest()?;
                Some(Bar {
                    name: site.localities[l].label.clone(),
                    progress: st.progress,
                    status: st.status,
                    label: format!("{} · {}", self.words.progress(st), self.words.s.status(st.status)),
                })
            })
            .collect();
        let year = self.year.year.to_string();
        let title = self
            .words
            .s
            .fill("ranking_title", &[("indicator", &ind.short), ("year", &year), ("n", &fmt.count(bars.len() as u64))]);
        let desc = match (bars.first(), bars.last()) {
            (Some(top), Some(bottom)) => self.words.s.fill(
                "ranking_desc",
                &[
                    ("top", &top.name),
                    ("top_progress", &top.label),
                    ("bottom", &bottom.name),
                    ("bottom_progress", &bottom.label),
                ],
            ),
            _ => String::new(),
        };
        let ticks = [0.0, 50.0, 100.0, 150.0].map(|p| fmt.percent(p).replace(",00", "").replace(".00", ""));
        let svg = charts::ranking(&Ranking {
            id: &format!("ranking-{}", ind.id),
            title: &title,
            desc: &desc,
            bars: &bars,
            ticks,
        });
        let file = crate::pages::ranking_chart(self.site, i);
        self.out.write(&file, svg.as_bytes())?;
        Ok(file)
    }
}
