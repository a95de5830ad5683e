//! The line scanners for reports and targets read every canonical file, and read it
//! exactly as the YAML parser does.

mod common;

use common::*;
use tiendo::load::{self, SourceFile};

#[test]
fn canonical_files_take_the_fast_path_and_read_as_the_parser_reads() {
    let mut checked = 0;
    for root in [repo(), fixture("small-en"), fixture("hostile"), fixture("invalid/_base"), repo().join("starter")] {
        for rel in files(&root).into_iter().filter(|f| f.starts_with("data/reports/") || f.starts_with("data/targets/"))
        {
            let file = SourceFile::new(rel.clone(), read(root.join(&rel)));
            if rel.starts_with("data/reports/") {
                let fast = load::reports::fast(&file.text).unwrap_or_else(|| panic!("{rel} should take the fast path"));
                let slow: load::reports::RawReport = load::yaml::parse(&file, &file.text).unwrap();
                assert_eq!(fast, slow, "{rel}");
            } else {
                let fast = load::targets::fast(&file.text).unwrap_or_else(|| panic!("{rel} should take the fast path"));
                let slow: load::targets::RawTargets = load::yaml::parse(&file, &file.text).unwrap();
                assert_eq!(fast, slow, "{rel}");
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
}
