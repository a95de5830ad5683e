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
use super::fast::{self, Cursor};
use super::yaml::{self, At, Entries, Scalar, Table, TableRow};
use crate::diag::Diagnostic;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub as_of: At<String>,
    pub source: Option<String>,
    /// locality id → indicator id → figure.
    pub figures: Table<Scalar>,
}

pub fn parse(file: &SourceFile) -> Result<RawReport, Diagnostic> {
    match fast(&file.text) {
        Some(report) => Ok(report),
        None => yaml::parse(file, &file.text),
    }
}

/// The canonical layout, or `None` for anything else:
///
/// ```yaml
/// # comments and blank lines anywhere
/// as_of: 2025-09-30
/// source: "text without quotes or backslashes"
/// figures:
///   long-my: { voluntary-si: 1215, health-insurance: 35300 }
/// ```
pub fn fast(text: &str) -> Option<RawReport> {
    let mut as_of: Option<At<String>> = None;
    let mut source: Option<String> = None;
    let mut figures: Option<Vec<TableRow<Scalar>>> = None;
    let mut indent: Option<usize> = None;
    let mut keys: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (number, spaces, line) in fast::lines(text)? {
        if let Some(entries) = figures.as_mut() {
            if spaces == 0 || *indent.get_or_insert(spaces) != spaces {
                return None;
            }
            let mut c = Cursor::new(line, number, spaces);
            let key = c.key()?;
            let map = c.map(|c, _| c.count())?;
            if !c.at_end() || !keys.insert(line.split(':').next().unwrap_or_default()) {
                return None;
            }
            entries.push((key, map));
        } else if spaces > 0 {
            return None;
        } else if let Some((date, column)) = fast::header(line, "as_of") {
            if as_of.is_some() || !date.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                return None;
            }
            as_of = Some(At::new(date.to_owned(), number, column));
        } else if let Some(value) = line.strip_prefix("source: \"") {
            let inner = value.trim_end_matches(' ').strip_suffix('"')?;
            if source.is_some() || inner.contains(['"', '\\']) {
                return None;
            }
            source = Some(inner.to_owned());
        } else if line.trim_end_matches(' ') == "figures:" && figures.is_none() {
            figures = Some(Vec::new());
        } else {
            return None;
        }
    }
    // An empty report is an error whose position the parser knows best.
    let entries = figures.filter(|e| !e.is_empty())?;
    let (line, column) = (entries[0].0.line, entries[0].0.column);
    Some(RawReport { as_of: as_of?, source, figures: At::new(Entries(entries), line, column) })
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
        let fast = fast(text).expect("canonical layout");
        assert_eq!(fast, slow(text));
        assert_eq!(
            (fast.figures.value.0[1].1.value.0[1].1.line, fast.figures.value.0[1].1.value.0[1].1.column),
            (7, 50)
        );
        // Comments after a value, as YAML allows them.
        let text = "as_of: 2025-09-30   # end of September\nfigures:\n  x: { y: 1 }  # checked\n";
        assert_eq!(super::fast(text).expect("comments are fine"), slow(text));
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
        ] {
            assert!(fast(text).is_none(), "{text}");
        }
    }
}
