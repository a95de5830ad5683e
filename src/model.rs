//! The validated model of a site: what the rest of the program works from.
//!
//! Everything here has been checked by `validate`: ids are valid and unique, every
//! reference resolves to an index, figures are whole numbers of people, and every
//! year with reports has a target for every locality and indicator. Localities and
//! indicators are addressed by index; whatever a site has for each locality and
//! indicator (targets, figures, computed series) lives in a [`Grid`], so no stage
//! computes a cell's place or looks anything up by name.

use crate::date::Date;
use crate::progress::Goal;

/// One value for each locality and indicator of a site, addressed by the two indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid<T> {
    indicators: usize,
    cells: Vec<T>,
}

impl<T> Grid<T> {
    /// A grid of `localities` × `indicators` cells, each made by `fill(locality, indicator)`.
    pub fn new(localities: usize, indicators: usize, mut fill: impl FnMut(usize, usize) -> T) -> Self {
        let cells = (0..localities * indicators).map(|k| fill(k / indicators.max(1), k % indicators.max(1))).collect();
        Grid { indicators, cells }
    }

    /// The same grid with each cell made by `f(locality, indicator, cell)`, in parallel.
    pub fn par_map<U: Send>(&self, f: impl Fn(usize, usize, &T) -> U + Sync + Send) -> Grid<U>
    where
        T: Sync,
    {
        use rayon::prelude::*;
        let m = self.indicators.max(1);
        let cells = self.cells.par_iter().enumerate().map(|(k, cell)| f(k / m, k % m, cell)).collect();
        Grid { indicators: self.indicators, cells }
    }

    pub fn get(&self, locality: usize, indicator: usize) -> &T {
        &self.cells[locality * self.indicators + indicator]
    }

    pub fn get_mut(&mut self, locality: usize, indicator: usize) -> &mut T {
        &mut self.cells[locality * self.indicators + indicator]
    }

    /// The cells of one locality, by indicator.
    pub fn locality(&self, locality: usize) -> &[T] {
        &self.cells[locality * self.indicators..(locality + 1) * self.indicators]
    }

    /// Every cell with its locality and indicator: localities in file order, and within
    /// each, the indicators in file order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, usize, &T)> {
        let m = self.indicators.max(1);
        self.cells.iter().enumerate().map(move |(k, cell)| (k / m, k % m, cell))
    }
}

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
    /// Every figure: for each locality and indicator, one entry per report of `reports`,
    /// `None` where that report gives none (a gap, not a zero).
    pub figures: Grid<Vec<Option<Figure>>>,
    pub content: Content,
    /// The units' outlines, when the site has a boundaries file.
    pub outlines: Option<Outlines>,
}

/// Above this many units, a site with groups is shown by group: its lists, maps and
/// rankings of every unit become one per group, with a light index.
pub const BY_GROUP: usize = 400;

impl Site {
    /// Whether the site is shown by group (see [`BY_GROUP`]): a national one.
    pub fn by_group(&self) -> bool {
        self.localities.len() > BY_GROUP && !self.groups.is_empty()
    }

    pub fn targets_for(&self, year: i32) -> Option<&YearTargets> {
        self.years.iter().find(|y| y.year == year)
    }
}

pub use crate::words::Language;

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
    /// The names of the units it was formed from on 1 July 2025, as people still call them.
    pub formed_from: Vec<String>,
    /// How lists, rankings, titles and pictures name it: its name, and where another
    /// unit of the site has the same name, its group too ("Xã Tân Thành, Tỉnh Đồng Tháp").
    pub label: String,
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
    /// Other headings of its column in an office's sheet (`import` also knows the id, name and short name).
    pub aliases: Vec<String>,
}

/// The targets of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearTargets {
    pub year: i32,
    pub due: Date,
    pub file: String,
    /// `None` only where the file gives none (an error when the year has reports, so
    /// never seen by later stages for such years).
    pub goals: Grid<Option<Goal>>,
}

/// One report: the date of its figures (which are in [`Site::figures`]) and where they come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub as_of: Date,
    pub source: Option<String>,
    pub file: String,
}

/// One figure of a report, and where it is written in the report's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    /// A number of people.
    pub value: u64,
    pub line: u32,
    pub column: u32,
}

/// The units' outlines, for maps (`data/boundaries.*`): arcs of (longitude, latitude)
/// points, and each locality's polygons as rings of arcs (see `load::boundaries`).
#[derive(Clone)]
pub struct Outlines {
    /// Where they come from and their licence, shown under every map.
    pub source: String,
    pub arcs: Vec<Vec<[f64; 2]>>,
    /// By locality index: its polygons; empty where the file has none for it.
    pub shapes: Vec<Vec<crate::load::boundaries::Polygon>>,
    /// A hash of the file and the source: what pages that show the outlines depend on.
    pub digest: u64,
}

impl Outlines {
    /// The localities the file has no outline for, in file order.
    pub fn missing(&self) -> impl Iterator<Item = usize> + '_ {
        self.shapes.iter().enumerate().filter(|(_, s)| s.is_empty()).map(|(l, _)| l)
    }
}

impl PartialEq for Outlines {
    fn eq(&self, other: &Self) -> bool {
        self.digest == other.digest && self.source == other.source
    }
}

/// Its digest stands for its points, which would fill pages of debug output.
impl std::fmt::Debug for Outlines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Outlines {{ source: {:?}, digest: {:016x} }}", self.source, self.digest)
    }
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
    /// `content/tham-gia.md`: how to take part, shown on the home page and on every
    /// locality's page.
    pub join: Option<Doc>,
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
