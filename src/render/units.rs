//! The pages of places: the list of every locality, one locality's page with its
//! history, and a group's page with its localities.

use serde::Serialize;

use super::place::{ChartPlace, Place};
use super::views::{FigureView, TableView, UnitRow};
use super::{Counts, PAGE, Page, RenderError, Renderer, locality_csv};
use crate::markdown;
use crate::model::LocalityKind;

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

impl Renderer<'_> {
    pub(super) fn localities(&self) -> Result<Counts, RenderError> {
        let year = self.year.year.to_string();
        let lead =
            self.words.s.fill("localities_lead", &[("n", &self.site.localities.len().to_string()), ("year", &year)]);
        let ctx = UnitsContext {
            lead: lead.clone(),
            table_caption: self.words.s.fill("table_units_caption", &[("year", &year)]),
            indicator_heads: self.indicator_heads(),
            rows: self.unit_rows(0..self.site.localities.len()),
        };
        self.write_page(Page::Localities, self.s("title_localities"), lead, None, &ctx)?;
        Ok(PAGE)
    }

    pub(super) fn locality(&self, l: usize) -> Result<Counts, RenderError> {
        let site = self.site;
        let loc = &site.localities[l];
        let place = Place { name: &loc.name, charts: ChartPlace::Member("localities", &loc.id), id_prefix: "trend" };
        let (figures, charts) = self.figures(&place, |i| self.year.units.get(l, i), true)?;
        let mut facts = self.s(match loc.kind {
            LocalityKind::Ward => "kind_ward",
            LocalityKind::Commune => "kind_commune",
            LocalityKind::SpecialZone => "kind_special_zone",
        });
        if let Some(code) = &loc.code {
            facts = format!("{facts} · {}", self.words.s.fill("code", &[("code", code)]));
        }
        let description = figures.iter().map(|f| f.sentence.as_str()).collect::<Vec<_>>().join(" ");
        let ctx = LocalityContext {
            unit: UnitFacts {
                name: loc.name.clone(),
                facts,
                group: loc.group.map(|g| site.groups[g].name.clone()),
                group_href: loc.group.map(|g| self.href(Page::Group(g))).unwrap_or_default(),
                csv: locality_csv(site, l),
            },
            figures,
            commentary: site.content.localities[l].as_ref().map(|d| markdown::render(&d.markdown, 2, "note-")),
            history: self.history(l)?,
        };
        self.write_page(Page::Locality(l), loc.name.clone(), description, None, &ctx)?;
        Ok(Counts { pages: 1, charts })
    }

    /// Every report's figures for one locality, all years, newest first; a report without
    /// a figure for it says so.
    fn history(&self, l: usize) -> Result<TableView, RenderError> {
        let (s, fmt) = (self.words.s, self.words.fmt);
        let mut head = vec![self.s("col_date")];
        for ind in &self.site.indicators {
            head.push(s.fill("col_indicator_value", &[("indicator", &ind.short)]));
            head.push(s.fill("col_indicator_progress", &[("indicator", &ind.short)]));
        }
        let mut rows = self.table_rows();
        for y in self.computed.years.iter().rev() {
            for (k, &date) in y.dates.iter().enumerate().rev() {
                rows.row(&fmt.date(date));
                for series in y.units.locality(l) {
                    match series.at(k) {
                        Some(st) => {
                            rows.cell(&fmt.count(st.value));
                            rows.cell(&self.words.progress(st));
                        }
                        None => {
                            rows.cell(s.get("no_report"));
                            rows.cell("");
                        }
                    }
                }
            }
        }
        let caption = s.fill("table_history_caption", &[("name", &self.site.localities[l].name)]);
        Ok(TableView { caption, head, body: self.finish_rows(rows)? })
    }

    pub(super) fn group(&self, g: usize) -> Result<Counts, RenderError> {
        let group = &self.site.groups[g];
        let place = Place { name: &group.name, charts: ChartPlace::Member("groups", &group.slug), id_prefix: "group" };
        let (figures, charts) = self.figures(&place, |i| &self.year.groups[g][i], true)?;
        let lead = self.words.s.fill("group_lead", &[("n", &group.members.len().to_string())]);
        let description = figures.iter().map(|f| f.sentence.as_str()).collect::<Vec<_>>().join(" ");
        let year = self.year.year.to_string();
        let ctx = GroupContext {
            group: GroupFacts { name: group.name.clone(), lead },
            figures,
            table_caption: self.words.s.fill("table_group_caption", &[("name", &group.name), ("year", &year)]),
            indicator_heads: self.indicator_heads(),
            rows: self.unit_rows(group.members.iter().copied()),
        };
        self.write_page(Page::Group(g), group.name.clone(), description, None, &ctx)?;
        Ok(Counts { pages: 1, charts })
    }

    /// A row per locality of `members`: its name, linked, and its standing on each indicator.
    fn unit_rows(&self, members: impl Iterator<Item = usize>) -> Vec<UnitRow> {
        members
            .map(|l| UnitRow {
                name: self.site.localities[l].name.clone(),
                href: self.href(Page::Locality(l)),
                cells: self.year.units.locality(l).iter().map(|series| self.words.cell(series)).collect(),
            })
            .collect()
    }

    fn indicator_heads(&self) -> Vec<String> {
        self.site.indicators.iter().map(|i| i.short.clone()).collect()
    }
}
