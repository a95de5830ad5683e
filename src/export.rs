//! Open data: `data/figures.csv` and `data/figures.json` exactly as SPEC §4 describes,
//! and one CSV per locality with that locality's rows.
//!
//! Machine formats whatever the site's language: ISO dates, `.` decimals, no
//! thousands separators, two decimals for progress and rates. One row per figure:
//! a locality absent from a report has no row for that date (a gap, not a zero);
//! the city has a row at every report date.

use serde::Serialize;

use crate::compute::{Computed, Series};
use crate::format::machine_decimal;
use crate::model::Site;
use crate::progress::Standing;

pub const HEADER: &str = "as_of,year,locality_id,locality,indicator_id,value,target,progress_percent,remaining,status,base,rate_percent,target_rate_percent";

/// One row of figures.csv; in JSON, numbers stay numbers and empty cells are `null`.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub as_of: String,
    pub year: i32,
    pub locality_id: &'a str,
    pub locality: &'a str,
    pub indicator_id: &'a str,
    pub value: u64,
    pub target: u64,
    pub progress_percent: f64,
    pub remaining: u64,
    pub status: &'static str,
    pub base: Option<u64>,
    pub rate_percent: Option<f64>,
    pub target_rate_percent: Option<f64>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn row<'a>(site: &'a Site, id: &'a str, name: &'a str, indicator: usize, series: &Series, st: &Standing) -> Row<'a> {
    Row {
        as_of: st.date.to_string(),
        year: st.date.year(),
        locality_id: id,
        locality: name,
        indicator_id: &site.indicators[indicator].id,
        value: st.value,
        target: series.goal.people,
        progress_percent: round2(st.progress * 100.0),
        remaining: st.remaining,
        status: st.status.slug(),
        base: series.goal.base,
        rate_percent: series.goal.rate_of(st.value as f64).map(round2),
        target_rate_percent: series.goal.target_rate().map(round2),
    }
}

/// Every row, in the order of SPEC §4: by report date; at each date the city first, then
/// the localities in file order; within each, the indicators in file order.
pub fn rows<'a>(site: &'a Site, computed: &Computed) -> Vec<Row<'a>> {
    let m = site.indicators.len();
    let mut out = Vec::new();
    for y in &computed.years {
        // Position in each series of the next point, so each report is one pass.
        let mut city_next = vec![0usize; m];
        let mut unit_next = vec![0usize; y.units.len()];
        for &r in &y.reports {
            let date = site.reports[r].as_of;
            for (i, k) in city_next.iter_mut().enumerate() {
                let series = &y.city[i];
                if let Some(st) = series.standings.get(*k).filter(|st| st.date == date) {
                    *k += 1;
                    out.push(row(site, &site.city.id, &site.city.name, i, series, st));
                }
            }
            for (cell, k) in unit_next.iter_mut().enumerate() {
                let series = &y.units[cell];
                if let Some(st) = series.standings.get(*k).filter(|st| st.date == date) {
                    *k += 1;
                    let loc = &site.localities[cell / m];
                    out.push(row(site, &loc.id, &loc.name, cell % m, series, st));
                }
            }
        }
    }
    out
}

/// A CSV field, quoted when it holds a separator, a quote or a line break.
/// A leading `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run it as a formula.
fn field(text: &str, out: &mut String) {
    let risky = text.starts_with(['=', '+', '-', '@']);
    let needs_quotes = risky || text.contains([',', '"', '\n', '\r']);
    if needs_quotes {
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

/// figures.csv (or a locality's share of it) from `rows`.
pub fn csv<'r, 'a: 'r>(rows: impl Iterator<Item = &'r Row<'a>>) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    let opt = |x: Option<f64>| x.map(machine_decimal).unwrap_or_default();
    for r in rows {
        out.push_str(&r.as_of);
        out.push(',');
        out.push_str(&r.year.to_string());
        out.push(',');
        field(r.locality_id, &mut out);
        out.push(',');
        field(r.locality, &mut out);
        out.push(',');
        field(r.indicator_id, &mut out);
        let rest = [
            r.value.to_string(),
            r.target.to_string(),
            machine_decimal(r.progress_percent),
            r.remaining.to_string(),
            r.status.to_owned(),
            r.base.map(|b| b.to_string()).unwrap_or_default(),
            opt(r.rate_percent),
            opt(r.target_rate_percent),
        ];
        for cell in rest {
            out.push(',');
            out.push_str(&cell);
        }
        out.push('\n');
    }
    out
}

pub fn json(rows: &[Row]) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(rows)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Row<'static> {
        Row {
            as_of: "2025-09-30".into(),
            year: 2025,
            locality_id: "long-my",
            locality: "Phường Long Mỹ",
            indicator_id: "health-insurance",
            value: 35_300,
            target: 38_000,
            progress_percent: round2(92.894_736),
            remaining: 2_700,
            status: "behind",
            base: Some(40_000),
            rate_percent: Some(88.25),
            target_rate_percent: Some(95.0),
        }
    }

    #[test]
    fn csv_uses_machine_formats() {
        let text = csv([sample()].iter());
        assert_eq!(
            text.lines().nth(1),
            Some(
                "2025-09-30,2025,long-my,Phường Long Mỹ,health-insurance,35300,38000,92.89,2700,behind,40000,88.25,95.00"
            )
        );
    }

    #[test]
    fn csv_quotes_and_defuses_fields() {
        let mut out = String::new();
        field("a, \"b\"", &mut out);
        assert_eq!(out, "\"a, \"\"b\"\"\"");
        out.clear();
        field("=HYPERLINK(\"x\")", &mut out);
        assert_eq!(out, "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn json_keeps_numbers_and_nulls() {
        let mut r = sample();
        r.base = None;
        r.rate_percent = None;
        let text = json(&[r]).unwrap();
        assert!(text.contains("\"progress_percent\": 92.89"));
        assert!(text.contains("\"base\": null"));
        assert!(text.contains("\"value\": 35300"));
    }
}
