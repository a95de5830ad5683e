//! The validated model of a site: what the rest of the program works from.
//!
//! Everything here has been checked by `validate`: ids are valid and unique, every
//! reference resolves to an index, figures are whole numbers of people, and every
//! year with reports has a target for every locality and indicator. Localities and
//! indicators are addressed by index; figures and goals live in dense tables
//! indexed by `locality * indicators + indicator`, so no stage needs a lookup by name.

use crate::date::Date;
use crate::progress::Goal;

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub config: Config,
    pub city: City,
    pub localities: Vec<Locality>,
    pub groups: Vec<Group>,
    pub indicators: Vec<Indicator>,
    /// One per targets file, oldest year first.
    pub years: Vec<YearTargets>,
    /// Oldest first; no two share a date.
    pub reports: Vec<Report>,
    pub content: Content,
}

impl Site {
    /// Index into the dense per-(locality, indicator) tables.
    pub fn cell(&self, locality: usize, indicator: usize) -> usize {
        locality * self.indicators.len() + indicator
    }

    pub fn targets_for(&self, year: i32) -> Option<&YearTargets> {
        self.years.iter().find(|y| y.year == year)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Vi,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub language: Language,
    pub publisher: Option<String>,
    /// Without a trailing `/`.
    pub base_url: Option<String>,
    /// A status is "at risk" when the projection reaches this share of the target.
    pub at_risk: f64,
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct City {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalityKind {
    Ward,
    Commune,
    /// đặc khu: the island zones of the 2025 reform.
    SpecialZone,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Locality {
    pub id: String,
    pub name: String,
    pub kind: LocalityKind,
    pub code: Option<String>,
    pub group: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub slug: String,
    /// Locality indices, in file order.
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    /// progress = value / target.
    Count,
    /// rate = value / base; progress = rate / target rate.
    Coverage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub short: String,
    /// What is counted, e.g. "người"; empty when the file gives none.
    pub unit: String,
    pub kind: IndicatorKind,
    /// For coverage: what the rate is a share of, e.g. "dân số".
    pub base_label: Option<String>,
}

/// The targets of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearTargets {
    pub year: i32,
    pub due: Date,
    pub file: String,
    /// Dense by `Site::cell`; `None` only where the file gives none (an error when
    /// the year has reports, so never seen by later stages for such years).
    pub goals: Vec<Option<Goal>>,
}

/// One report: the figures of one date.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub as_of: Date,
    pub source: Option<String>,
    pub file: String,
    /// Dense by `Site::cell`; `None` is a gap (the locality did not report it).
    pub figures: Vec<Option<u64>>,
}

/// Markdown commentary, not yet rendered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Content {
    pub home: Option<Doc>,
    /// By locality index.
    pub localities: Vec<Option<Doc>>,
    /// By indicator index.
    pub indicators: Vec<Option<Doc>>,
    /// Newest first.
    pub updates: Vec<Doc>,
    /// Standalone pages, by slug.
    pub pages: Vec<Doc>,
    /// `content/methodology.md`: added to the built-in methodology page.
    pub methodology: Option<Doc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub slug: String,
    pub file: String,
    pub title: Option<String>,
    pub date: Option<Date>,
    pub summary: Option<String>,
    pub markdown: String,
}
