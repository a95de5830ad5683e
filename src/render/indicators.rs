//! The pages of indicators: the list of them, and one indicator's page with every
//! locality ranked.

use serde::Serialize;

use super::place::{ChartPlace, Place};
use super::views::{FigureView, icon};
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

#[derive(Serialize)]
struct RankingView {
    svg: String,
    file: String,
    caption: String,
    head: Vec<String>,
    rows: Vec<RankRow>,
}

#[derive(Serialize)]
struct IndicatorContext {
    indicator: IndicatorFacts,
    commentary: Option<String>,
    city: FigureView,
    ranking: RankingView,
}

impl Renderer<'_> {
    pub(super) fn indicators(&self) -> Result<Counts, RenderError> {
        let (site, year) = (self.site, self.year);
        let items = (0..site.indicators.len())
            .map(|i| IndicatorItem {
                name: site.indicators[i].name.clone(),
                href: self.href(Page::Indicator(i)),
                sentence: self.words.sentence(&site.city.name, &site.indicators[i], &year.city[i], year.year),
                status: year.city[i].latest().map_or("none", |s| s.status.slug()),
            })
            .collect();
        let title = self.s("title_indicators");
        self.write_page(Page::Indicators, title.clone(), title, None, &IndicatorsContext { items })?;
        Ok(PAGE)
    }

    /// An indicator's page: the city's figure, and every locality ranked by its latest
    /// progress, as a chart and as a table.
    pub(super) fn indicator(&self, i: usize) -> Result<Counts, RenderError> {
        let site = self.site;
        let ind = &site.indicators[i];
        let place = Place { name: &site.city.name, charts: ChartPlace::City, id_prefix: "city" };
        // The city's chart file is written by the home page.
        let city = self.figure(&place, i, &self.year.city[i], false)?;
        let latest: Vec<_> = (0..site.localities.len()).map(|l| self.year.units.get(l, i).latest()).collect();
        let mut order: Vec<usize> = (0..site.localities.len()).collect();
        // Highest progress first; localities without a figure last, in file order.
        order.sort_by(|&a, &b| match (latest[a].map(|s| s.progress), latest[b].map(|s| s.progress)) {
            (Some(x), Some(y)) => y.total_cmp(&x).then(a.cmp(&b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(&b),
        });
        let fmt = self.words.fmt;
        let mut bars = Vec::new();
        let mut rows = Vec::new();
        for (rank, &l) in order.iter().enumerate() {
            let name = &site.localities[l].name;
            let goal = &self.year.units.get(l, i).goal;
            let st = latest[l];
            if let Some(st) = st {
                bars.push(Bar {
                    name: name.clone(),
                    progress: st.progress,
                    status: st.status,
                    label: format!("{} · {}", self.words.progress(st), self.words.s.status(st.status)),
                });
            }
            rows.push(RankRow {
                rank: if st.is_some() { (rank + 1).to_string() } else { String::new() },
                name: name.clone(),
                href: self.href(Page::Locality(l)),
                value: st.map(|s| fmt.count(s.value)).unwrap_or_else(|| self.s("no_data")),
                target: fmt.count(goal.people),
                rate: st.and_then(|s| goal.rate_of(s.value as f64)).map(|r| fmt.percent(r)).unwrap_or_default(),
                progress: st.map(|s| self.words.progress(s)).unwrap_or_default(),
                status: st.map_or("none", |s| s.status.slug()),
                status_label: st.map(|s| self.words.s.status(s.status).to_owned()).unwrap_or_default(),
                icon: st.map_or("", |s| icon(s.status)),
            });
        }
        let year = self.year.year.to_string();
        let title = self
            .words
            .s
            .fill("ranking_title", &[("indicator", &ind.short), ("year", &year), ("n", &bars.len().to_string())]);
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
        let file = format!("charts/indicators/{}/ranking.svg", ind.id);
        self.out.write(&file, svg.as_bytes())?;
        let mut head = vec![self.s("col_rank"), self.s("col_locality"), self.s("col_value"), self.s("col_target")];
        if ind.kind == IndicatorKind::Coverage {
            head.push(self.s("col_rate"));
        }
        head.push(self.s("col_progress"));
        head.push(self.s("col_status"));
        let about_key = match ind.kind {
            IndicatorKind::Count => "indicator_about_count",
            IndicatorKind::Coverage => "indicator_about_coverage",
        };
        let base = ind.base_label.clone().unwrap_or_else(|| self.s("base_default"));
        let ctx = IndicatorContext {
            indicator: IndicatorFacts {
                name: ind.name.clone(),
                about: self.words.s.fill(about_key, &[("unit", &ind.unit), ("base", &base)]),
                coverage: ind.kind == IndicatorKind::Coverage,
            },
            commentary: site.content.indicators[i].as_ref().map(|d| markdown::render(&d.markdown, 1, "note-")),
            city,
            ranking: RankingView {
                svg,
                file,
                caption: self.words.s.fill("table_ranking_caption", &[("indicator", &ind.short), ("year", &year)]),
                head,
                rows,
            },
        };
        let description = ctx.city.sentence.clone();
        self.write_page(Page::Indicator(i), ind.name.clone(), description, None, &ctx)?;
        Ok(Counts { pages: 1, charts: 1 })
    }
}
