//! `tiendo import`: spreadsheet exports as staff have them, into report files.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A site with the base fixture's units plus two communes whose names differ only by a diacritic.
fn site(name: &str) -> PathBuf {
    let site = temp_dir(name).join("site");
    copy_dir(&fixture("invalid/_base"), &site, &[]);
    let add = |rel: &str, text: &str| {
        let path = site.join(rel);
        let mut all = read(&path);
        all.push_str(text);
        std::fs::write(path, all).unwrap();
    };
    add(
        "data/localities.yaml",
        "  - { id: van-lang, name: \"Xã Văn Lang\", kind: commune, code: 5875 }\n  - { id: van-lang-2, name: \"Xã Văn Lăng\", kind: commune, code: 6307 }\n",
    );
    add(
        "data/targets/2025.yaml",
        "  van-lang: { voluntary-si: 100, health-insurance: { rate: 90, base: 1000 } }\n  van-lang-2: { voluntary-si: 100, health-insurance: { rate: 90, base: 1000 } }\n",
    );
    site
}

/// Imports `csv` into `site`, as of 31 October 2025 unless `extra` gives another --as-of.
fn import(site: &Path, csv: &[u8], extra: &[&str]) -> std::process::Output {
    let file = site.parent().unwrap().join("export.csv");
    std::fs::write(&file, csv).unwrap();
    let mut args = vec!["import", file.to_str().unwrap(), "--root", site.to_str().unwrap()];
    if !extra.contains(&"--as-of") {
        args.extend(["--as-of", "2025-10-31"]);
    }
    args.extend_from_slice(extra);
    tiendo(&args)
}

#[test]
fn names_as_people_type_them_from_a_semicolon_file_with_bom() {
    let site = site("import-names");
    let csv = "\u{feff}Đơn vị;voluntary-si;health-insurance\n\
               Phường Long Mỹ;1.290;35.650\n\
               PHUONG O MON;951;42 010\n\
               my tu;700;\n\
               Văn Lăng;60;900\n\
               van-lang;50;850\n";
    let o = import(&site, csv.as_bytes(), &["--source", "Báo cáo tháng 10/2025"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote data/reports/2025-10.yaml: 9 figures for 5 units"), "{}", stdout(&o));
    let report = read(site.join("data/reports/2025-10.yaml"));
    assert_eq!(
        report,
        "# Written by tiendo import.\nas_of: 2025-10-31\nsource: \"Báo cáo tháng 10/2025\"\nfigures:\n  \
         long-my: { voluntary-si: 1290, health-insurance: 35650 }\n  \
         o-mon: { voluntary-si: 951, health-insurance: 42010 }\n  \
         my-tu: { voluntary-si: 700 }\n  \
         van-lang: { voluntary-si: 50, health-insurance: 850 }\n  \
         van-lang-2: { voluntary-si: 60, health-insurance: 900 }\n"
    );
    // The written report is part of a valid site.
    let check = tiendo(&["check", "--root", site.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn every_problem_is_reported_with_its_row_and_nothing_is_written() {
    let site = site("import-errors");
    let csv = "unit,voluntary-si,health-insurance,bhyt\n\
               long-my,1215,35300,\n\
               Van Lang,10,20,\n\
               Phường Không Có,1,2,\n\
               o-mon,\"1,5\",-3,\n\
               my-tu,700,27300,5\n\
               Long My,1,2,\n";
    let o = import(&site, csv.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for expected in [
        "export.csv:1: the column `bhyt` is not an indicator",
        "export.csv:3: \"Van Lang\" could be any of Xã Văn Lang (van-lang), Xã Văn Lăng (van-lang-2)",
        "export.csv:4: \"Phường Không Có\" is not a unit of this site",
        "export.csv:5: voluntary-si: \"1,5\" is not a whole number",
        "export.csv:5: health-insurance: \"-3\" is negative",
        "export.csv:7: Phường Long Mỹ is already on row 2",
        "6 errors: nothing was written",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!site.join("data/reports/2025-10.yaml").exists());
}

#[test]
fn an_existing_report_is_replaced_only_with_force() {
    let site = site("import-force");
    let path = site.join("data/reports/2025-10.yaml");
    std::fs::write(&path, "as_of: 2025-10-31\nfigures:\n  long-my: { voluntary-si: 1 }\n").unwrap();
    let csv = b"unit,voluntary-si\nlong-my,1300\n";
    let o = import(&site, csv, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("data/reports/2025-10.yaml already exists; nothing was written. Add --force"),
        "{}",
        stderr(&o)
    );
    assert!(read(&path).contains("voluntary-si: 1 }"));
    let o = import(&site, csv, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(&path).contains("long-my: { voluntary-si: 1300 }"));
    // Another file with the same date would break the build: refused, and nothing written.
    std::fs::write(
        site.join("data/reports/extra.yaml"),
        "as_of: 2025-11-30\nfigures:\n  long-my: { voluntary-si: 1 }\n",
    )
    .unwrap();
    let o = import(&site, csv, &["--as-of", "2025-11-30"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: data/reports/extra.yaml: this report already has the date 2025-11-30"),
        "{}",
        stderr(&o)
    );
    assert!(!site.join("data/reports/2025-11.yaml").exists());
}

#[test]
fn a_bad_date_is_wrong_usage() {
    let site = site("import-date");
    let o = import(&site, b"unit,voluntary-si\nlong-my,1\n", &["--as-of", "31/10/2025"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--as-of 31/10/2025 is not a date: write it as YYYY-MM-DD"), "{}", stderr(&o));
}

#[test]
fn a_source_of_several_lines_or_a_file_that_is_not_a_file_is_refused_before_anything_is_written() {
    let site = site("import-refused");
    let csv = "Đơn vị;voluntary-si\nPhường Long Mỹ;1290\n";
    for source in ["Báo cáo\ntháng 10", "Báo cáo\u{1b}[2J"] {
        let o = import(&site, csv.as_bytes(), &["--source", source]);
        assert_eq!(o.status.code(), Some(2), "{source:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("--source must be one line of plain text"), "{}", stderr(&o));
    }
    for (file, says) in [("/dev/zero", "is not a file"), ("/", "is not a file")] {
        let o = tiendo(&["import", file, "--as-of", "2025-10-31", "--root", site.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
    }
    assert!(!site.join("data/reports/2025-10.yaml").exists());
}

#[test]
fn every_problem_of_a_huge_file_is_counted_and_twenty_of_each_kind_shown() {
    let site = site("import-huge");
    let mut csv = String::from("Đơn vị;voluntary-si\n");
    for k in 0..5_000 {
        csv.push_str(&format!("Nowhere {k};{k}\nPhường Long Mỹ;{k}\n"));
    }
    let o = import(&site, csv.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches("is not a unit of this site").count(), 20, "{err}");
    assert_eq!(err.matches("is already on row").count(), 20, "{err}");
    assert!(err.contains("= and 4980 more errors like this one in this file, not shown"), "{err}");
    assert!(err.contains("\n9999 errors: nothing was written"), "{err}");
}
