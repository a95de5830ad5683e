//! The home page: the city's standing on each indicator at a glance, its trend charts,
//! the groups and the latest bulletins.

use serde::Serialize;

use super::docs::UpdateItem;
use super::place::{ChartPlace, Place};
use super::views::{FigureView, icon};
use super::{Counts, FIGURES_CSV, FIGURES_JSON, Page, RenderError, Renderer};
use crate::markdown;
use crate::progress::Status;

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
            groups: (0..site.groups.len())
                .map(|g| Link { name: site.groups[g].name.clone(), href: self.href(Page::Group(g)) })
                .collect(),
            updates: self.update_items(3),
        };
        let description =
            if site.config.description.is_empty() { home.lead.clone() } else { site.config.description.clone() };
        let jsonld = self.dataset_jsonld(&description);
        self.write_page(Page::Home, site.config.title.clone(), description, Some(jsonld), &HomeContext { home })?;
        Ok(Counts { pages: 1, charts })
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
                    href: self.href(Page::Locality(l)),
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
            href: self.href(Page::Indicator(i)),
            progress: latest.map(|st| self.words.progress(st)).unwrap_or_default(),
            status: latest.map_or("none", |st| st.status.slug()),
            status_label: latest.map(|st| self.words.s.status(st.status).to_owned()).unwrap_or_default(),
            icon: latest.map_or("", |st| icon(st.status)),
            need,
            counts,
            behind,
        }
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
            "distribution": [
                { "@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": url(FIGURES_CSV) },
                { "@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": url(FIGURES_JSON) },
            ],
        });
        script_safe_json(&value.to_string())
    }
}
