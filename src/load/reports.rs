//! `data/reports/*.yaml`: the figures of one report date.
//!
//! Reports are the bulk of a site's input (a national site has 22 files of 3,321
//! lines), so the canonical layout, one flow map per locality as `tiendo import` and
//! the starter write it, is read by a strict line scanner. Anything else in the file (a
//! block map, an anchor, a quoted key, a negative or decimal figure, a duplicate key)
//! sends the whole file to the YAML parser, so that what is read and every message about
//! it are exactly what the parser would give.

use serde::Deserialize;

use super::SourceFile;
use super::fast::{self, Header};
use super::yaml::{self, At, Entries, Scalar, Table};
use crate::diag::Diagnostic;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub as_of: At<String>,
    pub source: Option<At<String>>,
    /// locality id → indicator id → figure.
    pub figures: Table<Scalar>,
}

pub fn parse(file: &SourceFile) -> Result<RawReport, Diagnostic> {
    scan(&file.text).or_else(|_| yaml::parse(file, &file.text))
}

/// The canonical layout (see [`fast::table`]), as `tiendo import` and the starter write
/// it, or why the file is not in it:
///
/// ```yaml
/// as_of: 2025-09-30
/// source: "text without quotes or backslashes"
/// figures:
///   long-my: { voluntary-si: 1215, health-insurance: 35300 }
/// ```
pub fn scan(text: &str) -> Result<RawReport, crate::words::messages::Text> {
    let table = fast::table(text, &[("as_of", Header::Date), ("source", Header::Quoted)], "figures", |c, _| c.count())?;
    let [as_of, source] = <[Option<At<String>>; 2]>::try_from(table.headers).map_err(|_| crate::t!("fast_headers"))?;
    let as_of = as_of.ok_or_else(|| crate::t!("fast_no_line", key = "as_of"))?;
    let (line, column) = (table.rows[0].0.line, table.rows[0].0.column);
    Ok(RawReport { as_of, source, figures: At::new(Entries(table.rows), line, column) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slow(text: &str) -> RawReport {
        yaml::parse(&SourceFile::new("r.yaml", text), text).unwrap()
    }

    #[test]
    fn the_fast_path_reads_what_the_parser_reads() {
        let text = "# Figures of September.\nas_of: 2025-09-30\nsource: \"Báo cáo tháng 9/2025\"\nfigures:\n  long-my: { voluntary-si: 1215, health-insurance: 35300 }\n\n  o-mon:   { voluntary-si: 0,  health-insurance: 41647 }\n  my-tu: {  }\n";
        let fast = scan(text).expect("canonical layout");
        assert_eq!(fast, slow(text));
        assert_eq!(
            (fast.figures.value.0[1].1.value.0[1].1.line, fast.figures.value.0[1].1.value.0[1].1.column),
            (7, 50)
        );
        // Comments after a value, as YAML allows them.
        let text = "as_of: 2025-09-30   # end of September\nfigures:\n  x: { y: 1 }  # checked\n";
        assert_eq!(scan(text).expect("comments are fine"), slow(text));
        // Saved on Windows.
        let crlf = "as_of: 2025-09-30\r\nsource: \"Tháng 9\"\r\nfigures:\r\n  long-my: { voluntary-si: 1215 }\r\n  o-mon: { voluntary-si: 7 }\r\n";
        assert_eq!(scan(crlf).expect("CRLF is the canonical layout too"), slow(crlf));
    }

    #[test]
    fn anything_else_goes_to_the_parser() {
        for text in [
            "as_of: 2025-09-30\nfigures:\n  long-my:\n    voluntary-si: 1215\n",
            "as_of: 2025-09-30\nfigures:\n  long-my: { voluntary-si: -5 }\n",
            "as_of: 2025-09-30\nfigures:\n  long-my: { voluntary-si: 1.215 }\n",
            "as_of: 2025-09-30\nfigures:\n  long-my: { voluntary-si: 6,40 }\n",
            "as_of: 2025-09-30\nfigures:\n  long-my: { voluntary-si: 1 }\n  long-my: { voluntary-si: 2 }\n",
            "as_of: 2025-09-30\nfigures:\n  long-my: &a { voluntary-si: 1 }\n",
            "as_of: 2025-09-30\nfigures:\n  Long-My: { voluntary-si: 1 }\n",
            "as_of: 2025-09-30\nsource: \"a \\\"b\\\"\"\nfigures:\n  x: { y: 1 }\n",
            "as_off: 2025-09-30\nfigures:\n  x: { y: 1 }\n",
            "as_of: 2025-09-30\nfigures:\n  x: { y: 0123 }\n",
            "as_of: 2025-09-30\nfigures:\n\tx: { y: 1 }\n",
            "as_of: 2025-09-30\n",
            "as_of: 2025-09-30\r\nfigures:\r\n  x: { y: 1 }\r\r\n",
        ] {
            assert!(scan(text).is_err(), "{text}");
        }
    }
}
