//! One function per page kind: build the context, draw the charts, write the page.

use serde::Serialize;

use super::docs::UpdateItem;
use super::views::{ChartView, FigureView, PageMeta, TableRows, TableView, UnitRow, icon};
use super::{Counts, RenderError, Renderer};
use crate::charts::{self, Bar, Ranking, Trend, TrendLabels};
use crate::compute::Series;
use crate::markdown;
use crate::model::{IndicatorKind, LocalityKind};
use crate::progress::Status;

pub(super) const PAGE: Counts = Counts { pages: 1, charts: 0 };

#[derive(Serialize)]
struct Link {
    name: String,
    href: String,
}

#[derive(Serialize)]
struct StatusCount {
    status: &'static str,
    label: String,
    icon: &'static str,
    n: usize,
    /// Share of all units, in percent: the width of this status in the bar.
    share: String,
}

#[derive(Serialize)]
struct BehindUnit {
    name: String,
    href: String,
    progress: String,
}

#[derive(Serialize)]
struct Summary {
    indicator: String,
    href: String,
    progress: String,
    status: &'static str,
    status_label: String,
    icon: &'static str,
    /// "43.060 người still needed", or that the target is reached.
    need: String,
    counts: Vec<StatusCount>,
    behind: Vec<BehindUnit>,
}

#[derive(Serialize)]
struct Home {
    heading: String,
    lead: String,
    summaries: Vec<Summary>,
    intro: Option<String>,
    figures: Vec<FigureView>,
    groups: Vec<Link>,
    updates: Vec<UpdateItem>,
}

#[derive(Serialize)]
struct HomeContext {
    home: Home,
}

#[derive(Serialize)]
struct UnitsContext {
    lead: String,
    table_caption: String,
    indicator_heads: Vec<String>,
    rows: Vec<UnitRow>,
}

#[derive(Serialize)]
struct UnitFacts {
    name: String,
    facts: String,
    group: Option<String>,
    group_href: String,
    csv: String,
}

#[derive(Serialize)]
struct LocalityContext {
    unit: UnitFacts,
    figures: Vec<FigureView>,
    commentary: Option<String>,
    history: TableView,
}

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

#[derive(Serialize)]
struct GroupFacts {
    name: String,
    lead: String,
}

#[derive(Serialize)]
struct GroupContext {
    group: GroupFacts,
    figures: Vec<FigureView>,
    table_caption: String,
    indicator_heads: Vec<String>,
    rows: Vec<UnitRow>,
}

/// JSON that cannot end or confuse the `<script>` element it sits in: `<`, `>` and `&`
/// become `\u` escapes, which mean the same in JSON.
fn script_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// Where a place's charts go, and the names it is called by.
struct Place<'p> {
    name: &'p str,
    /// Where its charts go under `charts/`: a folder per kind of place and indicator,
    /// e.g. `localities/voluntary-si/long-my.svg`, so that a national site makes a few
    /// folders for its 10,000 charts rather than one per place.
    charts: ChartPlace<'p>,
    /// Prefix of element ids on the page.
    id_prefix: &'p str,
}

enum ChartPlace<'p> {
    City,
    /// A kind of place (`localities`, `groups`) and the place's id.
    Member(&'static str, &'p str),
}

impl ChartPlace<'_> {
    fn file(&self, indicator: &str) -> String {
        match self {
            ChartPlace::City => format!("charts/city/{indicator}.svg"),
            ChartPlace::Member(kind, id) => format!("charts/{kind}/{indicator}/{id}.svg"),
        }
    }
}

impl Renderer<'_> {
    pub(super) fn s(&self, key: &str) -> String {
        self.words.s.get(key).to_owned()
    }

    pub(super) fn meta(&self, title: String, description: String, section: &'static str, path: &str) -> PageMeta {
        PageMeta { title, description, section, canonical: self.canonical(path), jsonld: None }
    }

    pub(super) fn latest_report(&self) -> Option<&crate::model::Report> {
        self.year.reports.clone().last().map(|r| &self.site.reports[r])
    }

    fn trend_labels(&self) -> TrendLabels {
        TrendLabels {
            actual: self.s("legend_actual"),
            target: self.s("legend_target"),
            expected: self.s("legend_expected"),
            projection: self.s("legend_projection"),
        }
    }

    /// A place's figure for indicator `i` with its trend chart, written as a standalone file too.
    fn figure_with_chart(
        &self,
        place: &Place,
        i: usize,
        series: &Series,
        write_chart: bool,
    ) -> Result<FigureView, RenderError> {
        let ind = &self.site.indicators[i];
        let id = format!("{}-{}", place.id_prefix, ind.id);
        let mut figure = self.words.figure(id.clone(), place.name, ind, series, self.year.year, &self.report_dates);
        if series.latest().is_none() {
            return Ok(figure);
        }
        let title = self.words.sentence_with_status(place.name, ind, series, self.year.year);
        let desc = self.words.s.fill(
            "chart_trend_desc",
            &[("year", &self.year.year.to_string()), ("due", &self.words.fmt.date(self.year.due))],
        );
        let labels = self.trend_labels();
        let svg = charts::trend(&Trend {
            id: &format!("chart-{id}"),
            title: &title,
            desc: &desc,
            series,
            year: self.year.year,
            due: self.year.due,
            as_rate: ind.kind == IndicatorKind::Coverage,
            labels: &labels,
            fmt: self.words.fmt,
        });
        let file = place.charts.file(&ind.id);
        if write_chart {
            self.out.write(&file, svg.as_bytes())?;
        }
        let caption = self.words.s.fill(
            "table_trend_caption",
            &[("indicator", &ind.short), ("name", place.name), ("year", &self.year.year.to_string())],
        );
        figure.chart =
            Some(ChartView { svg, file, table: self.words.trend_table(caption, ind, series, &self.report_dates) });
        Ok(figure)
    }

    fn figures<'s>(
        &self,
        place: &Place,
        series: impl Fn(usize) -> &'s Series,
        write_charts: bool,
    ) -> Result<(Vec<FigureView>, usize), RenderError> {
        let mut figures = Vec::with_capacity(self.site.indicators.len());
        let mut charts = 0;
        for i in 0..self.site.indicators.len() {
            let f = self.figure_with_chart(place, i, series(i), write_charts)?;
            charts += usize::from(f.chart.is_some() && write_charts);
            figures.push(f);
        }
        Ok((figures, charts))
    }

    fn unit_rows(&self, members: impl Iterator<Item = usize>) -> Vec<UnitRow> {
        members
            .map(|l| {
                let loc = &self.site.localities[l];
                UnitRow {
                    name: loc.name.clone(),
                    href: format!("localities/{}/index.html", loc.id),
                    cells: self.year.units.locality(l).iter().map(|series| self.words.cell(series)).collect(),
                }
            })
            .collect()
    }

    fn indicator_heads(&self) -> Vec<String> {
        self.site.indicators.iter().map(|i| i.short.clone()).collect()
    }

    /// schema.org `Dataset` metadata for the figures, so search engines can find the data files.
    fn dataset_jsonld(&self, description: &str) -> String {
        let site = self.site;
        let url = |path: &str| self.base_url.map_or_else(|| path.to_owned(), |b| format!("{b}/{path}"));
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
            "distribution": [
                { "@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": url("data/figures.csv") },
                { "@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": url("data/figures.json") },
            ],
        });
        script_safe_json(&value.to_string())
    }

    /// The city's standing on indicator `i` in a few lines: progress, status, what is still
    /// needed, how many units stand where, and who is furthest behind.
    fn summary(&self, i: usize) -> Summary {
        let site = self.site;
        let n = site.localities.len();
        let ind = &site.indicators[i];
        let latest_of = |l: usize| self.year.units.get(l, i).latest();
        let mut tally = [0usize; Status::ALL.len()];
        for l in 0..n {
            if let Some(st) = latest_of(l) {
                tally[Status::ALL.iter().position(|s| *s == st.status).unwrap_or(0)] += 1;
            }
        }
        let counts = Status::ALL
            .iter()
            .zip(tally)
            .filter(|(_, count)| *count > 0)
            .map(|(&st, count)| StatusCount {
                status: st.slug(),
                label: self.words.s.status(st).to_owned(),
                icon: icon(st),
                n: count,
                share: format!("{:.2}", count as f64 * 100.0 / n.max(1) as f64),
            })
            .collect();
        let mut behind: Vec<(f64, usize)> = (0..n)
            .filter_map(|l| latest_of(l).filter(|x| x.status != Status::Achieved).map(|x| (x.progress, l)))
            .collect();
        behind.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let behind = behind
            .iter()
            .take(3)
            .filter_map(|&(_, l)| {
                Some(BehindUnit {
                    name: site.localities[l].name.clone(),
                    href: format!("localities/{}/index.html", site.localities[l].id),
                    progress: self.words.progress(latest_of(l)?),
                })
            })
            .collect();
        let latest = self.year.city[i].latest();
        let need = match latest {
            Some(st) if st.remaining > 0 => {
                let unit = if ind.unit.is_empty() { String::new() } else { format!(" {}", ind.unit) };
                self.words.s.fill("home_need", &[("n", &format!("{}{unit}", self.words.fmt.count(st.remaining)))])
            }
            Some(_) => self.s("home_reached"),
            None => String::new(),
        };
        Summary {
            indicator: ind.name.clone(),
            href: format!("indicators/{}/index.html", ind.id),
            progress: latest.map(|st| self.words.progress(st)).unwrap_or_default(),
            status: latest.map_or("none", |st| st.status.slug()),
            status_label: latest.map(|st| self.words.s.status(st.status).to_owned()).unwrap_or_default(),
            icon: latest.map_or("", |st| icon(st.status)),
            need,
            counts,
            behind,
        }
    }

    pub(super) fn home(&self) -> Result<Counts, RenderError> {
        let site = self.site;
        let year = self.year.year.to_string();
        let as_of = self.latest_report().map(|r| self.words.fmt.date(r.as_of)).unwrap_or_default();
        let units = site.localities.len().to_string();
        let summaries = (0..site.indicators.len()).map(|i| self.summary(i)).collect();
        let place = Place { name: &site.city.name, charts: ChartPlace::City, id_prefix: "city" };
        let (figures, charts) = self.figures(&place, |i| &self.year.city[i], true)?;
        let home = Home {
            heading: self.words.s.fill("home_heading", &[("city", &site.city.name), ("year", &year)]),
            lead: self.words.s.fill("home_lead", &[("date", &as_of), ("units", &units)]),
            summaries,
            intro: site.content.home.as_ref().map(|d| markdown::render(&d.markdown, 1, "intro-")),
            figures,
            groups: site
                .groups
                .iter()
                .map(|g| Link { name: g.name.clone(), href: format!("groups/{}/index.html", g.slug) })
                .collect(),
            updates: self.update_items(3),
        };
        let description =
            if site.config.description.is_empty() { home.lead.clone() } else { site.config.description.clone() };
        let mut meta = self.meta(site.config.title.clone(), description.clone(), "home", "index.html");
        meta.jsonld = Some(self.dataset_jsonld(&description));
        self.write_page("index.html", "index.html", meta, &HomeContext { home })?;
        Ok(Counts { pages: 1, charts })
    }

    pub(super) fn localities(&self) -> Result<Counts, RenderError> {
        let title = self.s("title_localities");
        let lead = self.words.s.fill(
            "localities_lead",
            &[("n", &self.site.localities.len().to_string()), ("year", &self.year.year.to_string())],
        );
        let ctx = UnitsContext {
            lead: lead.clone(),
            table_caption: self.words.s.fill("table_units_caption", &[("year", &self.year.year.to_string())]),
            indicator_heads: self.indicator_heads(),
            rows: self.unit_rows(0..self.site.localities.len()),
        };
        let path = "localities/index.html";
        self.write_page(path, "localities.html", self.meta(title, lead, "localities", path), &ctx)?;
        Ok(PAGE)
    }

    pub(super) fn locality(&self, l: usize) -> Result<Counts, RenderError> {
        let site = self.site;
        let loc = &site.localities[l];
        let place = Place { name: &loc.name, charts: ChartPlace::Member("localities", &loc.id), id_prefix: "trend" };
        let (figures, charts) = self.figures(&place, |i| self.year.units.get(l, i), true)?;
        let kind = self.s(match loc.kind {
            LocalityKind::Ward => "kind_ward",
            LocalityKind::Commune => "kind_commune",
            LocalityKind::SpecialZone => "kind_special_zone",
        });
        let mut facts = kind;
        if let Some(code) = &loc.code {
            facts = format!("{facts} · {}", self.words.s.fill("code", &[("code", code)]));
        }
        let group = loc.group.map(|g| &site.groups[g]);
        let description = figures.iter().map(|f| f.sentence.as_str()).collect::<Vec<_>>().join(" ");
        let ctx = LocalityContext {
            unit: UnitFacts {
                name: loc.name.clone(),
                facts,
                group: group.map(|g| g.name.clone()),
                group_href: group.map(|g| format!("groups/{}/index.html", g.slug)).unwrap_or_default(),
                csv: format!("data/localities/{}.csv", loc.id),
            },
            figures,
            commentary: site.content.localities[l].as_ref().map(|d| markdown::render(&d.markdown, 2, "note-")),
            history: self.history(l),
        };
        let path = format!("localities/{}/index.html", loc.id);
        self.write_page(&path, "locality.html", self.meta(loc.name.clone(), description, "localities", &path), &ctx)?;
        Ok(Counts { pages: 1, charts })
    }

    /// Every report's figures for one locality, all years, newest first; a report without
    /// a figure for it says so.
    fn history(&self, l: usize) -> TableView {
        let mut head = vec![self.s("col_date")];
        for ind in &self.site.indicators {
            head.push(self.words.s.fill("col_indicator_value", &[("indicator", &ind.short)]));
            head.push(self.words.s.fill("col_indicator_progress", &[("indicator", &ind.short)]));
        }
        // Newest first: each row is made in date order, then the rows are joined backwards.
        let mut rows = Vec::new();
        for y in &self.computed.years {
            for (k, &date) in y.dates.iter().enumerate() {
                let mut row = TableRows::default();
                row.row(&self.words.fmt.date(date));
                for series in y.units.locality(l) {
                    match series.at(k) {
                        Some(st) => {
                            row.cell(&self.words.fmt.count(st.value));
                            row.cell(&self.words.progress(st));
                        }
                        None => {
                            row.cell(&self.s("no_report"));
                            row.cell("");
                        }
                    }
                }
                rows.push(row.finish());
            }
        }
        rows.reverse();
        let caption = self.words.s.fill("table_history_caption", &[("name", &self.site.localities[l].name)]);
        TableView { caption, head, body: rows.concat() }
    }

    pub(super) fn indicators(&self) -> Result<Counts, RenderError> {
        let items = self
            .site
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| IndicatorItem {
                name: ind.name.clone(),
                href: format!("indicators/{}/index.html", ind.id),
                sentence: self.words.sentence(&self.site.city.name, ind, &self.year.city[i], self.year.year),
                status: self.year.city[i].latest().map_or("none", |s| s.status.slug()),
            })
            .collect();
        let title = self.s("title_indicators");
        let path = "indicators/index.html";
        self.write_page(
            path,
            "indicators.html",
            self.meta(title.clone(), title, "indicators", path),
            &IndicatorsContext { items },
        )?;
        Ok(PAGE)
    }

    pub(super) fn indicator(&self, i: usize) -> Result<Counts, RenderError> {
        let site = self.site;
        let ind = &site.indicators[i];
        let place = Place { name: &site.city.name, charts: ChartPlace::City, id_prefix: "city" };
        // The city's chart file is written by the home page.
        let city = self.figure_with_chart(&place, i, &self.year.city[i], false)?;
        let mut order: Vec<usize> = (0..site.localities.len()).collect();
        let progress_of = |l: usize| self.year.units.get(l, i).latest().map(|s| s.progress);
        order.sort_by(|&a, &b| match (progress_of(a), progress_of(b)) {
            (Some(x), Some(y)) => y.total_cmp(&x).then(a.cmp(&b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(&b),
        });
        let fmt = self.words.fmt;
        let mut bars = Vec::new();
        let mut rows = Vec::new();
        for (rank, &l) in order.iter().enumerate() {
            let loc = &site.localities[l];
            let series = self.year.units.get(l, i);
            let st = series.latest();
            if let Some(st) = st {
                bars.push(Bar {
                    name: loc.name.clone(),
                    progress: st.progress,
                    status: st.status,
                    label: format!("{} · {}", self.words.progress(st), self.words.s.status(st.status)),
                });
            }
            rows.push(RankRow {
                rank: if st.is_some() { (rank + 1).to_string() } else { String::new() },
                name: loc.name.clone(),
                href: format!("localities/{}/index.html", loc.id),
                value: st.map(|s| fmt.count(s.value)).unwrap_or_else(|| self.s("no_data")),
                target: fmt.count(series.goal.people),
                rate: st.and_then(|s| series.goal.rate_of(s.value as f64)).map(|r| fmt.percent(r)).unwrap_or_default(),
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
        let path = format!("indicators/{}/index.html", ind.id);
        let description = ctx.city.sentence.clone();
        self.write_page(&path, "indicator.html", self.meta(ind.name.clone(), description, "indicators", &path), &ctx)?;
        Ok(Counts { pages: 1, charts: 1 })
    }

    pub(super) fn group(&self, g: usize) -> Result<Counts, RenderError> {
        let group = &self.site.groups[g];
        let place = Place { name: &group.name, charts: ChartPlace::Member("groups", &group.slug), id_prefix: "group" };
        let (figures, charts) = self.figures(&place, |i| &self.year.groups[g][i], true)?;
        let lead = self.words.s.fill("group_lead", &[("n", &group.members.len().to_string())]);
        let description = figures.iter().map(|f| f.sentence.as_str()).collect::<Vec<_>>().join(" ");
        let ctx = GroupContext {
            group: GroupFacts { name: group.name.clone(), lead },
            figures,
            table_caption: self
                .words
                .s
                .fill("table_group_caption", &[("name", &group.name), ("year", &self.year.year.to_string())]),
            indicator_heads: self.indicator_heads(),
            rows: self.unit_rows(group.members.iter().copied()),
        };
        let path = format!("groups/{}/index.html", group.slug);
        self.write_page(&path, "group.html", self.meta(group.name.clone(), description, "localities", &path), &ctx)?;
        Ok(Counts { pages: 1, charts })
    }
}
