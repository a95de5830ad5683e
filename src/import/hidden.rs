//! Which columns of an `.xlsx` sheet are hidden, which the workbook reader does not say.
//! A hidden column ("Tháng 9" beside "Tháng 10") is invisible to the officer reading the
//! sheet, so a message about it must say that it is hidden, or it names a column the
//! officer cannot see.
//!
//! An `.xlsx` file is a zip of XML parts: `xl/workbook.xml` lists the sheets with their
//! relationship ids, `xl/_rels/workbook.xml.rels` maps each id to the sheet's part, and
//! the part's `<cols>` holds `<col min="3" max="3" hidden="1"/>` (1-based, inclusive).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

/// The largest XML part read: a sheet's `<cols>` comes before its cells, so reading stops
/// there; this bounds what is inflated before it.
const MAX_PART: u64 = 64 << 20;

/// The hidden columns (0-based) of each sheet, by the sheet's name. Anything unreadable
/// gives no hidden columns: the cells are read by calamine, which reports real damage.
pub(super) fn columns(bytes: &[u8]) -> HashMap<String, Vec<usize>> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return HashMap::new() };
    let mut part = |name: &str| -> Option<Vec<u8>> {
        let file = zip.by_name(name).ok()?;
        let mut out = Vec::new();
        file.take(MAX_PART).read_to_end(&mut out).ok()?;
        Some(out)
    };
    let (Some(workbook), Some(rels)) = (part("xl/workbook.xml"), part("xl/_rels/workbook.xml.rels")) else {
        return HashMap::new();
    };
    let targets: HashMap<String, String> =
        elements(&rels, b"Relationship", |e| Some((attr(e, b"Id")?, attr(e, b"Target")?))).into_iter().collect();
    let sheets = elements(&workbook, b"sheet", |e| Some((attr(e, b"name")?, attr(e, b"r:id")?)));
    sheets
        .into_iter()
        .filter_map(|(name, id)| {
            let target = targets.get(&id)?;
            // Targets are relative to `xl/`, or absolute within the package.
            let path = target.strip_prefix('/').map_or_else(|| format!("xl/{target}"), str::to_owned);
            let hidden = hidden_in(&part(&path)?);
            (!hidden.is_empty()).then_some((name, hidden))
        })
        .collect()
}

/// The hidden columns of one sheet's XML.
fn hidden_in(xml: &[u8]) -> Vec<usize> {
    let mut hidden = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"col" => {
                let flag = attr(&e, b"hidden").is_some_and(|h| h == "1" || h == "true");
                let number = |key: &[u8]| attr(&e, key).and_then(|v| v.parse::<usize>().ok());
                if let (true, Some(min), Some(max)) = (flag, number(b"min"), number(b"max")) {
                    // A range up to Excel's last column (16,384) hides what is beyond the
                    // table; only columns a sheet could hold are kept.
                    hidden.extend((min.max(1)..=max.min(16_384)).map(|c| c - 1));
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"sheetData" => break,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    hidden
}

/// What `pick` takes from each element named `name` (without its prefix) of `xml`.
fn elements<T>(xml: &[u8], name: &[u8], pick: impl Fn(&BytesStart) -> Option<T>) -> Vec<T> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => out.extend(pick(&e)),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// An attribute's value, by its full name (`r:id`), unescaped.
fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    let a = e.attributes().flatten().find(|a| a.key.as_ref() == key)?;
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_columns_are_read_from_the_sheet_part() {
        let xml = br#"<worksheet><cols><col min="1" max="2" width="9"/><col min="3" max="3" hidden="1"/>
            <col min="6" max="16384" hidden="true"/></cols><sheetData><row r="1"/></sheetData></worksheet>"#;
        let hidden = hidden_in(xml);
        assert_eq!(&hidden[..1], &[2]);
        assert_eq!(hidden[1], 5);
        assert_eq!(hidden.len(), 1 + 16_384 - 5);
    }

    #[test]
    fn what_is_no_zip_hides_nothing() {
        assert!(columns(b"not a workbook").is_empty());
    }
}
