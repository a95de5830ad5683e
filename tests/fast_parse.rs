//! The line scanner for reports and targets reads every canonical file, with `\n` or
//! `\r\n` line endings, and reads it exactly as the YAML parser does.

mod common;

use common::*;
use tiendo::load::{self, SourceFile};

#[test]
fn canonical_files_take_the_fast_path_and_read_as_the_parser_reads() {
    let mut checked = 0;
    for root in [repo(), fixture("small-en"), fixture("hostile"), fixture("invalid/_base"), repo().join("starter")] {
        for rel in files(&root).into_iter().filter(|f| f.starts_with("data/reports/") || f.starts_with("data/targets/"))
        {
            // The same file as it would be if saved on Windows.
            for text in [read(root.join(&rel)), read(root.join(&rel)).replace('\n', "\r\n")] {
                let file = SourceFile::new(rel.clone(), text);
                if rel.starts_with("data/reports/") {
                    let fast = load::reports::scan(&file.text).unwrap_or_else(|why| panic!("{rel}: {why}"));
                    let slow: load::reports::RawReport = load::yaml::parse(&file, &file.text).unwrap();
                    assert_eq!(fast, slow, "{rel}");
                } else {
                    let fast = load::targets::scan(&file.text).unwrap_or_else(|why| panic!("{rel}: {why}"));
                    let slow: load::targets::RawTargets = load::yaml::parse(&file, &file.text).unwrap();
                    assert_eq!(fast, slow, "{rel}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
}
