//! Open data, the build's data-files stage ([`write`]): `data/figures.csv` and
//! `data/figures.json` exactly as SPEC §4 describes, and one CSV per locality with that
//! locality's rows, where the page table (`pages`) puts them.
//!
//! Machine formats whatever the site's language: ISO dates, `.` decimals, no
//! thousands separators, two decimals for progress and rates. One row per figure:
//! a locality absent from a report has no row for that date (a gap, not a zero);
//! the city has a row at every report date.
//!
//! A national site has over 200,000 rows, so each name is escaped once, each row is
//! formatted once (the per-locality files are slices of the same text), and the JSON
//! is written with one object per line rather than pretty-printed.

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

/// The data-files stage: `data/figures.csv`, `data/figures.json`, and each locality's
/// share of the CSV, written into `out`.
pub fn write(site: &Site, computed: &Computed, out: &Staging) -> Result<(), OutputError> {
    use rayon::prelude::*;
    let rows = rows(site, computed);
    let (csv, json) = rayon::join(
        || -> Result<(), OutputError> {
            let lines = csv_rows(site, &rows);
            out.write_parts(pages::FIGURES_CSV, &[HEADER.as_bytes(), b"\n", lines.text.as_bytes()])?;
            // Each locality's file is its lines of figures.csv, found by index once.
            let mut by_locality: Vec<Vec<usize>> = vec![Vec::new(); site.localities.len()];
            for (k, row) in rows.iter().enumerate() {
                if let Some(l) = row.locality {
                    by_locality[l].push(k);
                }
            }
            by_locality.par_iter().enumerate().try_for_each(|(l, ks)| {
                let text = csv(ks.iter().map(|&k| lines.line(k)));
                out.write(&pages::locality_csv(site, l), text.as_bytes())
            })
        },
        || out.write_with(pages::FIGURES_JSON, |file| write_json(site, &rows, file)),
    );
    csv.and(json)
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

/// `x` rounded to two decimals, written as JSON writes such a float: 80.52, 80.5, 95.0.
fn json_decimal(x: f64, out: &mut String) {
    let hundredths = (x * 100.0).round() as i64;
    if hundredths < 0 {
        out.push('-');
    }
    let abs = hundredths.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    int(whole, out);
    out.push('.');
    out.push(char::from(b'0' + (frac / 10) as u8));
    if frac % 10 != 0 {
        out.push(char::from(b'0' + (frac % 10) as u8));
    }
}

/// The text that repeats across rows, escaped once for each format.
struct Names {
    /// "id,name" for CSV, per locality, then the city last.
    csv: Vec<String>,
    /// `"locality_id":"…","locality":"…"` for JSON, same order.
    json: Vec<String>,
}

impl Names {
    fn new(site: &Site) -> Names {
        let places = site.localities.iter().map(|l| (&l.id, &l.name)).chain([(&site.city.id, &site.city.name)]);
        let (mut csv, mut json) = (Vec::new(), Vec::new());
        for (id, name) in places {
            let mut c = String::new();
            csv_field(id, &mut c);
            c.push(',');
            csv_field(name, &mut c);
            csv.push(c);
            let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
            json.push(format!("\"locality_id\":{},\"locality\":{}", quote(id), quote(name)));
        }
        Names { csv, json }
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
    pub fn line(&self, row: usize) -> &str {
        let end = self.starts.get(row + 1).copied().unwrap_or(self.text.len());
        &self.text[self.starts[row]..end]
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

/// figures.csv, or a locality's share of it: the header, then the given lines.
pub fn csv<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for line in lines {
        out.push_str(line);
    }
    out
}

/// figures.json: an array of objects, one per line, numbers as numbers and empty as `null`.
pub fn json(site: &Site, rows: &[Row]) -> String {
    let mut out = Vec::with_capacity(rows.len() * 260 + 4);
    // Writing into a Vec cannot fail.
    let _ = write_json(site, rows, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// figures.json written to `sink` as it is made, a few thousand rows at a time, so that
/// the whole file (60 MB for a national site) is never held in memory.
pub fn write_json(site: &Site, rows: &[Row], mut sink: impl std::io::Write) -> std::io::Result<()> {
    let names = Names::new(site);
    let indicator_ids: Vec<String> =
        site.indicators.iter().map(|i| serde_json::to_string(&i.id).unwrap_or_else(|_| "\"\"".into())).collect();
    let mut out = String::with_capacity(1 << 20);
    let mut date_text = (None::<Date>, String::new());
    out.push('[');
    let number = |out: &mut String, x: Option<f64>| match x {
        Some(v) if v.is_finite() => json_decimal(v, out),
        _ => out.push_str("null"),
    };
    for (k, row) in rows.iter().enumerate() {
        if out.len() > (1 << 20) - 512 {
            sink.write_all(out.as_bytes())?;
            out.clear();
        }
        out.push_str(if k == 0 { "\n{" } else { ",\n{" });
        let goal = row.series.goal.as_ref();
        if date_text.0 != Some(row.date) {
            date_text = (Some(row.date), format!("\"as_of\":\"{}\",\"year\":{},", row.date, row.date.year()));
        }
        out.push_str(&date_text.1);
        out.push_str(&names.json[names.index(site, row)]);
        out.push_str(",\"indicator_id\":");
        out.push_str(&indicator_ids[row.indicator]);
        out.push_str(",\"value\":");
        int(row.value, &mut out);
        out.push_str(",\"target\":");
        match goal {
            Some(g) => int(g.people, &mut out),
            None => out.push_str("null"),
        }
        out.push_str(",\"progress_percent\":");
        number(&mut out, row.standing.map(|st| st.progress * 100.0));
        out.push_str(",\"remaining\":");
        match row.standing {
            Some(st) => int(st.remaining, &mut out),
            None => out.push_str("null"),
        }
        out.push_str(",\"status\":");
        match row.standing {
            Some(st) => {
                out.push('"');
                out.push_str(st.status.slug());
                out.push('"');
            }
            None => out.push_str("null"),
        }
        out.push_str(",\"base\":");
        match goal.and_then(|g| g.base) {
            Some(b) => int(b, &mut out),
            None => out.push_str("null"),
        }
        out.push_str(",\"rate_percent\":");
        number(&mut out, goal.and_then(|g| g.rate_of(row.value as f64)));
        out.push_str(",\"target_rate_percent\":");
        number(&mut out, goal.and_then(|g| g.target_rate()));
        out.push('}');
    }
    out.push_str("\n]\n");
    sink.write_all(out.as_bytes())
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
        let file = csv(csv_rows.starts.iter().enumerate().map(|(k, _)| csv_rows.line(k)));
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
        let value: serde_json::Value = serde_json::from_str(&json(&site, &[row])).unwrap();
        assert_eq!(value[0]["value"], serde_json::json!(35300));
        for empty in
            ["target", "progress_percent", "remaining", "status", "base", "rate_percent", "target_rate_percent"]
        {
            assert!(value[0][empty].is_null(), "{empty}");
        }
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
    fn json_keeps_numbers_text_and_nulls() {
        let (site, computed) = site_and_computed();
        let text = json(&site, &rows_of(&computed));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let row = &value[1];
        assert_eq!(row["progress_percent"], serde_json::json!(92.89));
        assert_eq!(row["rate_percent"], serde_json::json!(88.25));
        assert_eq!(row["target_rate_percent"], serde_json::json!(95.0));
        assert_eq!(row["value"], serde_json::json!(35300));
        assert_eq!(row["locality"], "Phường Long Mỹ");
        assert_eq!(value[2]["locality"], "=HYPERLINK(\"x\"), \"Two\"");
        assert_eq!(text.lines().count(), 5, "one object per line");
    }

    #[test]
    fn json_decimals_read_back_as_the_rounded_value() {
        for x in [80.516_898, 0.0, 95.0, 80.5, 99.995, 12.345, -1.5, 100.0, 0.05] {
            let mut s = String::new();
            json_decimal(x, &mut s);
            let back: f64 = s.parse().unwrap();
            assert_eq!(back, (x * 100.0).round() / 100.0, "{x} → {s}");
            assert!(s.contains('.'), "{s} stays a float");
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
