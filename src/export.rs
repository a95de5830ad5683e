//! Open data, the build's data-files stage ([`write`]): one CSV of every figure for
//! each year, where the page table (`pages`) puts it. The columns are SPEC §4's `figures.csv`; the current year's
//! file is `data/figures.csv` and each earlier year's `data/figures-<YYYY>.csv`, so no
//! file grows with the years (a national year is about 11 MB). The same rows are not
//! written again as JSON: a CSV is read by every spreadsheet and every language, and one
//! format of each kind of file keeps a national site within what common hosts accept.
//! Nor is each locality's share written again as a file of its own: its page has its
//! figures in tables, and its rows are the year files' rows with its `locality_id`.
//!
//! Machine formats whatever the site's language: ISO dates, `.` decimals, no
//! thousands separators, two decimals for progress and rates. One row per figure:
//! a locality absent from a report has no row for that date (a gap, not a zero);
//! the city has a row at every report date.
//!
//! A national site has over 200,000 rows, so each name is escaped once, and each row is
//! formatted once: each year's file is a slice of the same text.

use crate::compute::{Computed, Series};
use crate::date::Date;
use crate::model::Site;
use crate::output::{OutputError, Staging};
use crate::pages;
use crate::progress::Standing;

pub const HEADER: &str = "as_of,year,locality_id,locality,indicator_id,value,target,progress_percent,remaining,status,base,rate_percent,target_rate_percent";

/// One row: a figure, or the city's total, with its standing.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// Index into `Site::localities`, or `None` for the city.
    pub locality: Option<usize>,
    pub indicator: usize,
    pub date: Date,
    pub value: u64,
    pub series: &'a Series,
    /// `None` in a year whose targets are not published yet: the row then has its figure
    /// and leaves target, progress, remaining, status and rates empty.
    pub standing: Option<&'a Standing>,
}

/// The data-files stage: each year's `figures.csv`, written into `out`.
pub fn write(site: &Site, computed: &Computed, out: &Staging) -> Result<(), OutputError> {
    let rows = rows(site, computed);
    let lines = csv_rows(site, &rows);
    // Rows go by date, so each year's are one run of lines.
    let last = computed.years.len().saturating_sub(1);
    let mut first = 0;
    for (k, y) in computed.years.iter().enumerate() {
        let end = first + rows[first..].iter().take_while(|r| r.date.year() == y.year).count();
        let text = lines.text.get(lines.start(first)..lines.start(end)).unwrap_or_default();
        out.write_parts(&pages::figures_csv(y.year, k == last), &[HEADER.as_bytes(), b"\n", text.as_bytes()])?;
        first = end;
    }
    Ok(())
}

/// Every row, in the order of SPEC §4: by report date; at each date the city first, then
/// the localities in file order; within each, the indicators in file order.
pub fn rows<'a>(site: &Site, computed: &'a Computed) -> Vec<Row<'a>> {
    let m = site.indicators.len();
    let cells = (site.localities.len() + 1) * m;
    let mut out = Vec::with_capacity(computed.years.iter().map(|y| y.dates.len() * cells).sum());
    for y in &computed.years {
        for k in 0..y.dates.len() {
            let city = y.city.iter().enumerate().map(|(i, series)| (None, i, series));
            let units = y.units.iter().map(|(l, i, series)| (Some(l), i, series));
            for (locality, indicator, series) in city.chain(units) {
                if let Some(value) = series.figures[k] {
                    let (date, standing) = (y.dates[k], series.at(k));
                    out.push(Row { locality, indicator, date, value, series, standing });
                }
            }
        }
    }
    out
}

/// A CSV field, quoted when it holds a character a spreadsheet may take as a separator
/// (Excel in a Vietnamese locale splits on `;`), a quote or a line break. A leading
/// `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` so spreadsheets do not
/// run it as a formula.
fn csv_field(text: &str, out: &mut String) {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky || text.contains([',', ';', '\t', '"', '\n', '\r']) {
        out.push('"');
        if risky {
            out.push('\'');
        }
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// `x` with two decimals, as `{:.2}` would write it, without an allocation.
fn decimal2(x: f64, out: &mut String) {
    if !x.is_finite() {
        return;
    }
    let hundredths = (x * 100.0).round() as i64;
    if hundredths < 0 {
        out.push('-');
    }
    let abs = hundredths.unsigned_abs();
    int(abs / 100, out);
    out.push('.');
    out.push(char::from(b'0' + (abs % 100 / 10) as u8));
    out.push(char::from(b'0' + (abs % 10) as u8));
}

/// An integer, without the formatting machinery: there are millions of them.
fn int(n: u64, out: &mut String) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// The text that repeats across rows, escaped once.
struct Names {
    /// "id,name", per locality, then the city last.
    csv: Vec<String>,
}

impl Names {
    fn new(site: &Site) -> Names {
        let places = site.localities.iter().map(|l| (&l.id, &l.name)).chain([(&site.city.id, &site.city.name)]);
        let mut csv = Vec::new();
        for (id, name) in places {
            let mut c = String::new();
            csv_field(id, &mut c);
            c.push(',');
            csv_field(name, &mut c);
            csv.push(c);
        }
        Names { csv }
    }

    fn index(&self, site: &Site, row: &Row) -> usize {
        row.locality.unwrap_or(site.localities.len())
    }
}

/// The CSV text of every row, after the header, and where each row's line starts.
pub struct CsvRows {
    pub text: String,
    /// Start of each row's line in `text`; the line ends where the next starts.
    pub starts: Vec<usize>,
}

impl CsvRows {
    /// Row `row`'s line, with its line break.
    pub fn line(&self, row: usize) -> &str {
        &self.text[self.start(row)..self.start(row + 1)]
    }

    /// Where row `row`'s line starts; the end of the text past the last.
    fn start(&self, row: usize) -> usize {
        self.starts.get(row).copied().unwrap_or(self.text.len())
    }
}

pub fn csv_rows(site: &Site, rows: &[Row]) -> CsvRows {
    let names = Names::new(site);
    let indicator_ids: Vec<String> = site
        .indicators
        .iter()
        .map(|i| {
            let mut field = String::new();
            csv_field(&i.id, &mut field);
            field
        })
        .collect();
    let mut text = String::with_capacity(rows.len() * 110);
    let mut starts = Vec::with_capacity(rows.len());
    let mut date_text = (None::<Date>, String::new());
    for row in rows {
        starts.push(text.len());
        if date_text.0 != Some(row.date) {
            date_text = (Some(row.date), format!("{},{}", row.date, row.date.year()));
        }
        text.push_str(&date_text.1);
        text.push(',');
        text.push_str(&names.csv[names.index(site, row)]);
        text.push(',');
        text.push_str(&indicator_ids[row.indicator]);
        let goal = row.series.goal.as_ref();
        text.push(',');
        int(row.value, &mut text);
        text.push(',');
        if let Some(goal) = goal {
            int(goal.people, &mut text);
        }
        text.push(',');
        if let Some(st) = row.standing {
            decimal2(st.progress * 100.0, &mut text);
            text.push(',');
            int(st.remaining, &mut text);
            text.push(',');
            text.push_str(st.status.slug());
        } else {
            text.push_str(",,");
        }
        text.push(',');
        if let Some(base) = goal.and_then(|g| g.base) {
            int(base, &mut text);
        }
        text.push(',');
        if let Some(rate) = goal.and_then(|g| g.rate_of(row.value as f64)) {
            decimal2(rate, &mut text);
        }
        text.push(',');
        if let Some(rate) = goal.and_then(|g| g.target_rate()) {
            decimal2(rate, &mut text);
        }
        text.push('\n');
    }
    CsvRows { text, starts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::progress::{Goal, Rate};

    fn site_and_computed() -> (Site, Computed) {
        let site = Site {
            config: Config {
                title: "t".into(),
                description: String::new(),
                language: Language::get("vi").unwrap(),
                publisher: None,
                base_url: None,
                at_risk: 0.9,
                notice: None,
            },
            city: City { id: "can-tho".into(), name: "Thành phố Cần Thơ".into() },
            localities: vec![
                Locality {
                    id: "long-my".into(),
                    name: "Phường Long Mỹ".into(),
                    kind: LocalityKind::Ward,
                    code: None,
                    group: None,
                    formed_from: Vec::new(),
                    label: "Phường Long Mỹ".into(),
                },
                Locality {
                    id: "x".into(),
                    name: "=HYPERLINK(\"x\"), \"Two\"".into(),
                    kind: LocalityKind::Ward,
                    code: None,
                    group: None,
                    formed_from: Vec::new(),
                    label: String::new(),
                },
            ],
            groups: vec![],
            indicators: vec![Indicator {
                id: "health-insurance".into(),
                name: "BHYT".into(),
                short: "BHYT".into(),
                unit: String::new(),
                kind: IndicatorKind::Coverage,
                base_label: None,
                aliases: Vec::new(),
            }],
            years: vec![],
            reports: vec![],
            figures: Grid::new(2, 1, |_, _| Vec::new()),
            content: Content::default(),
            outlines: None,
        };
        let goal = Goal::coverage(Rate::parse("95").unwrap(), 40_000);
        let dates = [d(9, 30)];
        let series = Series::new(Some(goal), [Some(35_300)].into_iter(), &dates, d(12, 31), None, 0.9, false);
        let year = crate::compute::YearData {
            year: 2025,
            targeted: true,
            due: d(12, 31),
            closed: false,
            reports: 0..1,
            dates: dates.to_vec(),
            units: Grid::new(2, 1, |_, _| series.clone()),
            city: vec![series],
            groups: vec![],
        };
        (site, Computed { years: vec![year] })
    }

    fn d(m: u8, day: u8) -> Date {
        Date::new(2025, m, day).unwrap()
    }

    fn row(locality: Option<usize>, series: &Series) -> Row<'_> {
        Row { locality, indicator: 0, date: d(9, 30), value: 35_300, series, standing: series.at(0) }
    }

    fn rows_of(computed: &Computed) -> Vec<Row<'_>> {
        let y = &computed.years[0];
        vec![row(None, &y.city[0]), row(Some(0), y.units.get(0, 0)), row(Some(1), y.units.get(1, 0))]
    }

    #[test]
    fn csv_uses_machine_formats_and_defuses_formulas() {
        let (site, computed) = site_and_computed();
        let rows = rows_of(&computed);
        let csv_rows = csv_rows(&site, &rows);
        assert_eq!(
            csv_rows.line(1),
            "2025-09-30,2025,long-my,Phường Long Mỹ,health-insurance,35300,38000,92.89,2700,no-trend,40000,88.25,95.00\n"
        );
        assert!(csv_rows.line(0).starts_with("2025-09-30,2025,can-tho,Thành phố Cần Thơ,"));
        assert!(
            csv_rows.line(2).starts_with("2025-09-30,2025,x,\"'=HYPERLINK(\"\"x\"\"), \"\"Two\"\"\",health-insurance,")
        );
        let file = format!("{HEADER}\n{}", csv_rows.text);
        assert_eq!(file.lines().count(), 4);
        assert!(file.starts_with(HEADER));
    }

    #[test]
    fn a_figure_without_targets_leaves_their_columns_empty() {
        let (site, _) = site_and_computed();
        let series = Series::new(None, [Some(35_300)].into_iter(), &[d(9, 30)], d(12, 31), None, 0.9, false);
        let row =
            Row { locality: Some(0), indicator: 0, date: d(9, 30), value: 35_300, series: &series, standing: None };
        let csv_rows = csv_rows(&site, &[row]);
        assert_eq!(csv_rows.line(0), "2025-09-30,2025,long-my,Phường Long Mỹ,health-insurance,35300,,,,,,,\n");
    }

    #[test]
    fn fields_a_spreadsheet_could_split_or_run_are_quoted() {
        for (text, field) in [
            ("Ô Môn;=1+1;", "\"Ô Môn;=1+1;\""),
            ("a\tb", "\"a\tb\""),
            ("\t=1+1", "\"'\t=1+1\""),
            ("-5", "\"'-5\""),
            ("Phường Long Mỹ", "Phường Long Mỹ"),
        ] {
            let mut out = String::new();
            csv_field(text, &mut out);
            assert_eq!(out, field, "{text:?}");
        }
    }

    #[test]
    fn decimals_round_like_format() {
        for x in [80.516_898, 0.0, 95.0, 99.995, 12.345, -1.5, 100.0] {
            let mut s = String::new();
            decimal2(x, &mut s);
            assert_eq!(s, format!("{:.2}", (x * 100.0).round() / 100.0), "{x}");
        }
    }
}
