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
    tiendo_en(&args)
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
    let check = tiendo_en(&["check", "--root", site.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn every_problem_is_reported_with_its_row_and_nothing_is_written() {
    let site = site("import-errors");
    let csv = "unit,voluntary-si,health-insurance,dan-so\n\
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
        "export.csv:3: \"Van Lang\" could be any of Xã Văn Lang (van-lang), Xã Văn Lăng (van-lang-2)",
        "export.csv:4: \"Phường Không Có\" is not a unit of this site",
        "export.csv:5: BHXH tự nguyện: \"1,5\" is not a whole number",
        "export.csv:5: BHYT: \"-3\" is negative",
        "export.csv:7: Phường Long Mỹ is already on row 2",
        "5 errors: nothing was written",
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
    // A year mistyped: figures of a day that has not come.
    let o = import(&site, b"unit,voluntary-si\nlong-my,1\n", &["--as-of", "2052-10-31"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--as-of 2052-10-31 has not come yet"), "{}", stderr(&o));
    assert!(!site.join("data/reports/2052-10.yaml").exists());
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
        let o = tiendo_en(&["import", file, "--as-of", "2025-10-31", "--root", site.to_str().unwrap()]);
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

/// The Cần Thơ sample's settings and data (103 units), in a scratch folder.
fn sample_site(name: &str) -> PathBuf {
    let site = temp_dir(name).join("site");
    copy_dir(&repo().join("data"), &site.join("data"), &[]);
    std::fs::copy(repo().join("site.yaml"), site.join("site.yaml")).unwrap();
    site
}

/// Writes `text` beside `site` as the file `name` and imports it as of 31 October 2025,
/// replacing that month's report if there is one; messages in English.
fn import_text(site: &Path, name: &str, text: &str) -> std::process::Output {
    let file = site.parent().unwrap().join(name);
    std::fs::write(&file, text).unwrap();
    let args = ["import", file.to_str().unwrap(), "--root", site.to_str().unwrap(), "--as-of", "2025-10-31", "--force"];
    tiendo_en(&args)
}

/// Imports the fixture sheet `name` of tests/fixtures/import into `site`, as of 31 October 2025.
fn import_sheet(site: &Path, name: &str, extra: &[&str]) -> std::process::Output {
    let file = fixture("import").join(name);
    let mut args = vec!["import", file.to_str().unwrap(), "--root", site.to_str().unwrap()];
    if !extra.contains(&"--as-of") {
        args.extend(["--as-of", "2025-10-31"]);
    }
    args.extend_from_slice(extra);
    tiendo_en(&args)
}

/// What the office's sheet of October 2025 says, in every format it comes in.
const OFFICE_REPORT: &str = "# Written by tiendo import.\nas_of: 2025-10-31\n\
source: \"BÁO CÁO KẾT QUẢ PHÁT TRIỂN NGƯỜI THAM GIA BHXH TỰ NGUYỆN, BHYT THÁNG 10/2025\"\nfigures:\n  \
cai-khe: { voluntary-si: 560, health-insurance: 33100 }\n  \
tan-an: { voluntary-si: 810, health-insurance: 32600 }\n  \
o-mon: { voluntary-si: 900, health-insurance: 41900 }\n  \
vi-thanh: { voluntary-si: 395, health-insurance: 32800 }\n  \
vi-thanh-1: { voluntary-si: 380, health-insurance: 23900 }\n  \
long-my: { voluntary-si: 1250, health-insurance: 35650 }\n  \
my-tu: { voluntary-si: 370, health-insurance: 34900 }\n";

#[test]
fn the_office_sheet_is_read_as_received_in_every_format() {
    for (file, format, e, h) in [
        ("office.xlsx", "Excel workbook (.xlsx), sheet \"T10\"", "column E", "column H"),
        ("office.xls", "Excel workbook (.xls), sheet \"T10\"", "column E", "column H"),
        ("office.ods", "OpenDocument spreadsheet (.ods), sheet \"T10\"", "column E", "column H"),
        ("office-cp1258.csv", "text in Windows-1258", "column 5", "column 8"),
        ("office-utf16.txt", "text in UTF-16", "column 5", "column 8"),
    ] {
        let site = sample_site(&format!("import-office-{file}"));
        let o = import_sheet(&site, file, &[]);
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        assert_eq!(read(site.join("data/reports/2025-10.yaml")), OFFICE_REPORT, "{file}");
        // What was read is said before what was written.
        let said = stdout(&o);
        for line in [
            format!("read {}: {format}", fixture("import").join(file).display()),
            "  headings on rows 4-5; units in column".to_owned(),
            format!("  BHXH tự nguyện: {e}, \"BHXH tự nguyện\", \"Thực hiện\" below it"),
            format!("  BHYT: {h}, \"BHYT\", \"Thực hiện\" below it"),
            "  row 6 \"Cần Thơ cũ\": the total of 3 units, which agrees".to_owned(),
            "  row 14 \"Sóc Trăng cũ\": the total of 1 unit, which agrees".to_owned(),
            "  row 16 \"Tổng cộng\": the total of 7 units, which agrees".to_owned(),
            "wrote data/reports/2025-10.yaml: 14 figures for 7 units, 1 warning".to_owned(),
        ] {
            assert!(said.contains(&line), "{file}: no {line:?} in:\n{said}");
        }
        // The units without figures are named.
        assert!(
            stderr(&o).contains("96 of the site's 103 units have no figures in this file: Phường Ninh Kiều,"),
            "{}",
            stderr(&o)
        );
        let check = tiendo_en(&["check", "--root", site.to_str().unwrap()]);
        assert!(check.status.success(), "{file}: {}", stderr(&check));
    }
}

/// Imports a sheet that must be refused: its exit status and messages, and that nothing was written.
fn refused(file: &str, extra: &[&str]) -> (Option<i32>, String) {
    let site = sample_site(&format!("import-refused-{file}"));
    let o = import_sheet(&site, file, extra);
    assert!(!site.join("data/reports/2025-10.yaml").exists(), "{file}: a report was written");
    (o.status.code(), stderr(&o))
}

#[test]
fn figures_under_no_heading_are_refused_with_their_column_and_row() {
    // The second heading row deleted, the ids typed into the merged cells: the ids head the
    // plans, and the figures stand under no heading. Taking the plans would say 100 %.
    let (code, err) = refused("leftover-one-row.xlsx", &[]);
    assert_eq!(code, Some(1), "{err}");
    let at = fixture("import").join("leftover-one-row.xlsx").display().to_string();
    assert!(err.contains(&format!("error: {at}:5: column E has values but no heading (E5: 2270)")), "{err}");
    assert!(
        err.contains("\"voluntary-si\" heads column D to its left: in the office's layout that is the plan (Kế hoạch)"),
        "{err}"
    );
    assert!(err.contains(&format!("error: {at}:5: column H has values but no heading (H5: 107600)")), "{err}");
    assert!(err.contains("\n4 errors: nothing was written"), "{err}");
}

#[test]
fn a_total_that_does_not_agree_with_its_units_is_refused() {
    let (code, err) = refused("total-mismatch.xlsx", &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("total-mismatch.xlsx:16: E16: \"Tổng cộng\" gives voluntary-si a total of 4675, but its 7 units add up to 4665"),
        "{err}"
    );
    assert!(err.contains("\n1 error: nothing was written"), "{err}");
}

#[test]
fn excel_errors_and_fractions_are_named_with_their_cell() {
    let (code, err) = refused("excel-errors.xlsx", &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("excel-errors.xlsx:11: E11: BHXH tự nguyện: \"#N/A\" is an Excel error value"), "{err}");
    assert!(err.contains("excel-errors.xlsx:12: H12: BHYT: \"23900.5\" is not a whole number"), "{err}");
    // The totals over those cells are not checked again: two errors, not four.
    assert!(err.contains("\n2 errors: nothing was written"), "{err}");
}

#[test]
fn a_name_and_a_code_that_name_different_units_are_refused() {
    let (code, err) = refused("name-code-mismatch.xlsx", &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("name-code-mismatch.xlsx:13: B13 \"Phường Long Mỹ\" and C13 \"31153\" name different units: Phường Long Mỹ and Phường Ô Môn"),
        "{err}"
    );
}

#[test]
fn the_sheet_with_the_units_is_read_or_the_one_asked_for() {
    let site = sample_site("import-sheets");
    let o = import_sheet(&site, "two-sheets.xlsx", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Excel workbook (.xlsx), sheet \"T10\""));
    assert_eq!(read(site.join("data/reports/2025-10.yaml")), OFFICE_REPORT);
    let (code, err) = refused("two-unit-sheets.xlsx", &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("error: several sheets name this site's units: T9, T10; choose one with --sheet NAME"),
        "{err}"
    );
    let (code, err) = refused("two-unit-sheets.xlsx", &["--sheet", "T11"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--sheet: the workbook has no such sheet; its sheets are: T9, T10"), "{err}");
    let site = sample_site("import-sheet-named");
    let o = import_sheet(&site, "two-unit-sheets.xlsx", &["--sheet", "t10"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn rows_of_a_windows_csv_are_numbered_as_the_reader_counts_them() {
    let (code, err) = refused("simple-crlf.csv", &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("simple-crlf.csv:4: \"Phường Không Có\" is not a unit of this site"), "{err}");
}

#[test]
fn decomposed_names_match_and_a_number_left_out_is_never_guessed() {
    let site = sample_site("import-nfd");
    let o = import_sheet(&site, "nfd.csv", &["--source", "Tháng 10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(site.join("data/reports/2025-10.yaml")).ends_with(
        "figures:\n  o-mon: { voluntary-si: 900, health-insurance: 41900 }\n  long-my: { voluntary-si: 1250, health-insurance: 35650 }\n  my-tu: { voluntary-si: 370, health-insurance: 34900 }\n"
    ));
    let (code, err) = refused("dropped-number.csv", &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("dropped-number.csv:2: \"Xã Vị Thanh\" could be any of Phường Vị Thanh (vi-thanh), Xã Vị Thanh 1 (vi-thanh-1)"),
        "{err}"
    );
}

#[test]
fn text_in_an_old_code_or_garbled_is_refused_with_what_it_looks_like() {
    for (file, says) in [
        ("tcvn3.csv", "the file's Vietnamese letters are in the old TCVN3 (ABC, .VnTime) code, not Unicode"),
        ("vni.csv", "the file's Vietnamese letters are in the old VNI code, not Unicode"),
        ("garbled.csv", "the file's Vietnamese letters were garbled before it was saved"),
    ] {
        let (code, err) = refused(file, &[]);
        assert_eq!(code, Some(1), "{file}: {err}");
        assert!(err.contains(says), "{file}: {err}");
        assert!(err.contains("import the .xlsx file as it was sent"), "{file}: {err}");
    }
}

#[test]
fn another_offices_sheet_is_merged_into_the_month_and_no_unit_is_given_twice() {
    let site = sample_site("import-merge");
    let o = import_sheet(&site, "area-a.csv", &["--source", "Khu vực A"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = import_sheet(&site, "area-b.csv", &["--merge"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        read(site.join("data/reports/2025-10.yaml")),
        "# Written by tiendo import.\nas_of: 2025-10-31\nsource: \"Khu vực A\"\nfigures:\n  \
         cai-khe: { voluntary-si: 560, health-insurance: 33100 }\n  \
         tan-an: { voluntary-si: 810, health-insurance: 32600 }\n  \
         long-my: { voluntary-si: 1250, health-insurance: 35650 }\n  \
         my-tu: { voluntary-si: 370, health-insurance: 34900 }\n"
    );
    let o = import_sheet(&site, "area-a.csv", &["--merge"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error: data/reports/2025-10.yaml:5: Phường Cái Khế is in this report and in the sheet"),
        "{}",
        stderr(&o)
    );
    let o = import_sheet(&site, "area-a.csv", &["--merge", "--as-of", "2025-10-30"]);
    assert!(stderr(&o).contains("this report is as of 2025-10-31, not 2025-10-30"), "{}", stderr(&o));
}

#[test]
fn a_date_far_from_the_latest_report_is_an_error_and_the_source_defaults_to_the_date() {
    let (code, err) = refused("area-a.csv", &["--as-of", "2021-10-31"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--as-of 2021-10-31 is far from the latest report, of 2025-09-30"), "{err}");
    let site = sample_site("import-source");
    let o = import_sheet(&site, "area-a.csv", &["--as-of", "2026-01-31"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--as-of 2026-01-31 is more than two months after the latest report, of 2025-09-30"),
        "{}",
        stderr(&o)
    );
    // No --source and no title: a plain source, never the file's name.
    assert!(read(site.join("data/reports/2026-01.yaml")).contains("source: \"Báo cáo ngày 31/01/2026\"\n"));
}

#[test]
fn units_are_found_by_their_corrected_national_codes() {
    let site = sample_site("import-codes");
    let csv = "Mã;voluntary-si\n31207;10\n31228;20\n";
    let file = site.parent().unwrap().join("codes.csv");
    std::fs::write(&file, csv).unwrap();
    let o = tiendo_en(&["import", file.to_str().unwrap(), "--as-of", "2025-10-31", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Thốt Nốt is 31207 and Thuận Hưng 31228 (they were 31212 and 31207).
    assert!(
        read(site.join("data/reports/2025-10.yaml"))
            .ends_with("figures:\n  thot-not: { voluntary-si: 10 }\n  thuan-hung: { voluntary-si: 20 }\n")
    );
}

#[test]
fn damaged_sheets_are_errors_never_crashes() {
    // Each fixture sheet, with bytes flipped, cut or repeated: import says what is wrong
    // (or imports what is still right), and never panics or aborts. The workbook reader
    // aborts on some damaged files; the binary reads workbooks in a child process for that.
    let site = sample_site("import-damaged");
    let scratch = site.parent().unwrap().join("damaged");
    std::fs::create_dir_all(&scratch).unwrap();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let iterations: u64 =
        std::env::var("TIENDO_MUTATIONS").ok().and_then(|v| v.parse().ok()).map_or(10, |n: u64| n / 100 + 1);
    let mut runs = 0;
    for entry in std::fs::read_dir(fixture("import")).unwrap() {
        let path = entry.unwrap().path();
        let original = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for k in 0..iterations {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 8 {
                if bytes.is_empty() {
                    break;
                }
                let at = (next() % bytes.len() as u64) as usize;
                match next() % 3 {
                    0 => bytes[at] = next() as u8,
                    1 => {
                        let end = (at + 1 + (next() % 64) as usize).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    _ => {
                        let piece: Vec<u8> = bytes[at..(at + 32).min(bytes.len())].to_vec();
                        bytes.splice(at..at, piece);
                    }
                }
            }
            let file = scratch.join(format!("{k}-{name}"));
            std::fs::write(&file, &bytes).unwrap();
            let o = tiendo_en(&[
                "import",
                file.to_str().unwrap(),
                "--as-of",
                "2025-10-31",
                "--root",
                site.to_str().unwrap(),
                "--force",
            ]);
            let code = o.status.code();
            assert!(matches!(code, Some(0..=2)), "{k}-{name}: exit {:?}\n{}", o.status, stderr(&o));
            assert!(!stderr(&o).contains("panicked"), "{k}-{name}: {}", stderr(&o));
            runs += 1;
        }
    }
    assert!(runs >= 180, "{runs}");
}

#[test]
fn headings_on_two_rows_give_the_figures_column_or_are_refused_when_it_is_not_sure() {
    let site = sample_site("import-two-rows");
    let csv = ";BHXH tự nguyện;;BHYT;\nĐơn vị;Số người;Tỷ lệ (%);Số người;Tỷ lệ (%)\nPhường Long Mỹ;1.250;82,84;35.650;89,13\nXã Mỹ Tú;370;55,98;34.900;92,68\n";
    let file = site.parent().unwrap().join("hai-dong.csv");
    std::fs::write(&file, csv).unwrap();
    let run = |site: &Path| {
        tiendo_en(&["import", file.to_str().unwrap(), "--as-of", "2025-10-31", "--root", site.to_str().unwrap()])
    };
    let o = run(&site);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("  BHXH tự nguyện: column 2, \"BHXH tự nguyện\", \"Số người\" below it"),
        "{}",
        stdout(&o)
    );
    assert!(read(site.join("data/reports/2025-10.yaml")).ends_with(
        "figures:\n  long-my: { voluntary-si: 1250, health-insurance: 35650 }\n  my-tu: { voluntary-si: 370, health-insurance: 34900 }\n"
    ));
    // Two columns that could both be the figures: refused, with both named.
    std::fs::write(&file, csv.replace("Đơn vị;Số người;Tỷ lệ (%);", "Đơn vị;Thực hiện;Lũy kế;")).unwrap();
    let site = sample_site("import-two-rows-unsure");
    let o = run(&site);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "hai-dong.csv:2: under \"BHXH tự nguyện\", more than one column could be its figures: column 2 \"Thực hiện\", column 3 \"Lũy kế\""
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_vietnamese_site_hears_what_import_read_and_refused_in_vietnamese() {
    let site = sample_site("import-vi");
    let run = |file: &str, extra: &[&str]| {
        let path = fixture("import").join(file);
        let mut args =
            vec!["import", path.to_str().unwrap(), "--as-of", "2025-10-31", "--root", site.to_str().unwrap()];
        args.extend_from_slice(extra);
        tiendo(&args)
    };
    let o = run("office.xlsx", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    for line in [
        "tệp Excel (.xlsx), trang tính \"T10\"",
        "  tiêu đề ở các dòng 4-5; tên đơn vị ở cột B (7 dòng)",
        "  BHXH tự nguyện: cột E, \"BHXH tự nguyện\", cột \"Thực hiện\" bên dưới",
        "  dòng 14 \"Sóc Trăng cũ\": tổng của 1 đơn vị, khớp",
        "đã ghi data/reports/2025-10.yaml: 14 số liệu của 7 đơn vị, 1 cảnh báo",
        "bước tiếp theo: tiendo check, rồi tiendo build",
    ] {
        assert!(said.contains(line), "no {line:?} in:\n{said}");
    }
    assert!(stderr(&o).contains("96 trong 103 đơn vị của trang web không có số liệu trong tệp này"), "{}", stderr(&o));
    assert!(stderr(&o).contains("báo cáo ngày 31/10/2025 chưa có số liệu"), "dates as the reader writes them");
    let o = run("total-mismatch.xlsx", &["--force"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            ", dòng 16: ô E16: \"Tổng cộng\" ghi tổng voluntary-si là 4675, nhưng cộng 7 đơn vị của nó lại được 4665"
        ),
        "{err}"
    );
    assert!(err.ends_with("1 lỗi: chưa ghi gì cả; trang web đang đăng vẫn giữ nguyên\n"), "{err}");
}

#[test]
fn a_unit_by_its_name_before_the_merger_is_refused_with_the_unit_it_became() {
    // An office that still reports by the communes of before 1 July 2025.
    let site = sample_site("import-former");
    let file = site.parent().unwrap().join("old-units.csv");
    std::fs::write(
        &file,
        "Đơn vị,voluntary-si,health-insurance\nPhường Long Mỹ,1250,35650\nXã Long Trị,300,9000\nthoi an,200,8000\n",
    )
    .unwrap();
    let o = tiendo(&["import", file.to_str().unwrap(), "--root", site.to_str().unwrap(), "--as-of", "2025-10-31"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!site.join("data/reports/2025-10.yaml").exists());
    let err = stderr(&o);
    let at = file.display().to_string();
    for said in [
        format!(
            "{at}, dòng 3: \"Xã Long Trị\" là tên đơn vị cũ, trước khi sắp xếp lại năm 2025; nay thuộc Phường Long Mỹ (long-my)"
        ),
        // Without diacritics; and a ward of the old city is not Phường Thới An Đông.
        format!(
            "{at}, dòng 4: \"thoi an\" là tên đơn vị cũ, trước khi sắp xếp lại năm 2025; nay thuộc Phường Ô Môn (o-mon)"
        ),
        "số liệu của đơn vị cũ chỉ là một phần của đơn vị mới".to_owned(),
    ] {
        assert!(err.contains(&said), "no {said:?} in:\n{err}");
    }
}

#[test]
fn a_sheet_of_another_month_is_refused_naming_where_it_says_so() {
    // October's workbook, imported as November's.
    let (code, err) = refused("office.xlsx", &["--as-of", "2025-11-30"]);
    assert_eq!(code, Some(1), "{err}");
    let at = fixture("import").join("office.xlsx").display().to_string();
    for said in [
        format!(
            "error: {at}:2: A2 says \"BÁO CÁO KẾT QUẢ PHÁT TRIỂN NGƯỜI THAM GIA BHXH TỰ NGUYỆN, BHYT THÁNG 10/2025\", \
             which does not agree with --as-of 2025-11-30"
        ),
        "if the file is right, run the command again with --as-of 2025-10-31".to_owned(),
        format!("error: {at}: the sheet's name \"T10\" does not agree with --as-of 2025-11-30"),
    ] {
        assert!(err.contains(&said), "no {said:?} in:\n{err}");
    }
    // A text export that says its date, and the day its letter was signed.
    let site = sample_site("import-stated-date");
    let file = site.parent().unwrap().join("thang-11.csv");
    std::fs::write(
        &file,
        "\"Cần Thơ, ngày 05 tháng 12 năm 2025\"\nBÁO CÁO THÁNG 11/2025\n\"Số liệu đến ngày 30/11/2025\"\n\
         Đơn vị,voluntary-si,health-insurance\nPhường Long Mỹ,1300,35700\n",
    )
    .unwrap();
    let import = |as_of: &str| {
        tiendo_en(&["import", file.to_str().unwrap(), "--root", site.to_str().unwrap(), "--as-of", as_of, "--force"])
    };
    let o = import("2025-10-31");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let at = file.display().to_string();
    assert!(err.contains(&format!("{at}:2: column 1 says \"BÁO CÁO THÁNG 11/2025\"")), "{err}");
    assert!(err.contains(&format!("{at}:3: column 1 says \"Số liệu đến ngày 30/11/2025\"")), "{err}");
    assert!(!err.contains(":1:"), "the day the letter was signed is not the figures' date:\n{err}");
    assert!(!site.join("data/reports/2025-10.yaml").exists());
    // Its own date: imported.
    let o = import("2025-11-30");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        read(site.join("data/reports/2025-11.yaml"))
            .contains("long-my: { voluntary-si: 1300, health-insurance: 35700 }")
    );
}

#[test]
fn names_as_offices_write_them_find_their_unit_and_a_tie_is_never_suggested() {
    let site = sample_site("import-spellings");
    let import = |csv: &str| import_text(&site, "ten.csv", csv);
    // i for y, a typed prefix deciding between twins, and a bare name whose numbered twin
    // has a row of its own.
    let o = import(
        "Đơn vị,voluntary-si\nXã Nhơn Mĩ,500\nphuong vi thanh,395\nX.Long Phú,300\nP. Long Phú 1,310\n\
         Vị Thanh 1,380\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // A month without BHYT is said before it is published.
    assert!(
        stderr(&o).contains("no column of the file is BHYT: this month's report will have no BHYT figures"),
        "{}",
        stderr(&o)
    );
    let report = read(site.join("data/reports/2025-10.yaml"));
    for line in [
        "nhon-my: { voluntary-si: 500 }",
        "vi-thanh: { voluntary-si: 395 }",
        "long-phu: { voluntary-si: 300 }",
        "long-phu-1: { voluntary-si: 310 }",
        "vi-thanh-1: { voluntary-si: 380 }",
    ] {
        assert!(report.contains(line), "no {line} in {report}");
    }
    let o = import("Đơn vị,voluntary-si\nVị Thanh,395\nVị Thanh 1,380\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(site.join("data/reports/2025-10.yaml")).contains("vi-thanh: { voluntary-si: 395 }"));
    // One letter from Xã Nhơn Ái and from Xã Nhơn Mỹ: refused, and neither is suggested.
    let o = import("Đơn vị,voluntary-si\nPhường Long Mỹ,1250\nXã Nhơn Mai,500\n");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("\"Xã Nhơn Mai\" is not a unit of this site"), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn formulas_without_their_values_and_a_sheet_without_figures_are_refused() {
    // A web application's export: every figure a formula, never calculated.
    let (code, err) = refused("formulas-unsaved.xlsx", &[]);
    assert_eq!(code, Some(1), "{err}");
    let at = fixture("import").join("formulas-unsaved.xlsx").display().to_string();
    assert!(
        err.contains(&format!(
            "error: {at}:6: cell E6 has the formula =ROUND(2270,0) but the file holds no value for it \
             (nor for 21 other cells like it)"
        )),
        "{err}"
    );
    assert!(err.contains("open the file in Excel or LibreOffice and save it again"), "{err}");
    assert!(err.contains("\n1 error: nothing was written"), "one message, not one per cell: {err}");
    // Names and no figures: nothing to write, and nothing written.
    let site = sample_site("import-no-figure");
    let file = site.parent().unwrap().join("empty.csv");
    std::fs::write(&file, "Đơn vị,voluntary-si\nPhường Long Mỹ,\nPhường Ô Môn,\n").unwrap();
    let o = tiendo_en(&["import", file.to_str().unwrap(), "--root", site.to_str().unwrap(), "--as-of", "2025-10-31"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("this file holds no figure of any unit: there is nothing to write"), "{}", stderr(&o));
    assert!(!site.join("data/reports/2025-10.yaml").exists());
}

#[test]
fn totals_and_rows_as_offices_label_them_are_recognised_and_checked() {
    let site = sample_site("import-office-rows");
    let file = site.parent().unwrap().join("khu-vuc.csv");
    // The column-number row, areas in capitals, with "Khu vực", "KV", "(cũ)", "Cộng …"
    // and a Roman numeral without a stop.
    std::fs::write(
        &file,
        "STT,Đơn vị,voluntary-si,health-insurance\nA,B,1,2\nI,KHU VỰC CẦN THƠ (CŨ),1370,65700\n\
         1,Phường Cái Khế,560,33100\n2,Phường Tân An,810,32600\n,Cộng khu vực Cần Thơ cũ,1370,65700\n\
         II HẬU GIANG CŨ,,1250,35650\n3,Phường Long Mỹ,1250,35650\n,KV Hậu Giang (cũ),1250,35650\n\
         ,Tổng cộng,2620,101350\n",
    )
    .unwrap();
    let import = |file: &std::path::Path| {
        tiendo_en(&[
            "import",
            file.to_str().unwrap(),
            "--root",
            site.to_str().unwrap(),
            "--as-of",
            "2025-10-31",
            "--force",
        ])
    };
    let o = import(&file);
    assert!(o.status.success(), "{}", stderr(&o));
    for line in [
        "row 3 \"KHU VỰC CẦN THƠ (CŨ)\": the total of 2 units, which agrees",
        "row 6 \"Cộng khu vực Cần Thơ cũ\": the total of 2 units, which agrees",
        "row 7 \"II HẬU GIANG CŨ\": the total of 1 unit, which agrees",
        "row 9 \"KV Hậu Giang (cũ)\": the total of 1 unit, which agrees",
        "wrote data/reports/2025-10.yaml: 6 figures for 3 units",
    ] {
        assert!(stdout(&o).contains(line), "no {line:?} in {}", stdout(&o));
    }
    // Still checked: an area's total that does not agree is refused.
    let wrong = site.parent().unwrap().join("khu-vuc-sai.csv");
    std::fs::write(&wrong, read(&file).replace("I,KHU VỰC CẦN THƠ (CŨ),1370", "I,KHU VỰC CẦN THƠ (CŨ),1380")).unwrap();
    let o = import(&wrong);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn headings_as_offices_write_them_and_other_number_columns_are_left_out() {
    let site = sample_site("import-headings");
    let import = |csv: &str| import_text(&site, "tieu-de.csv", csv);
    // A line break and a unit in brackets, the indicator inside a longer heading, and
    // columns of numbers that are no indicator: the population, a date, an ordinal.
    let o = import(
        "STT,Đơn vị,\"BHXH tự nguyện\n(người)\",\"Số người tham gia\nBHYT lũy kế\",Dân số,Ngày cập nhật\n\
         1,Phường Long Mỹ,1250,35650,40000,45961\n2,Phường Ô Môn,900,41900,52000,45961\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    for line in [
        "  BHXH tự nguyện: column 3, \"BHXH tự nguyện (người)\"",
        "  BHYT: column 4, \"Số người tham gia BHYT lũy kế\"",
        "  left out: column 5, \"Dân số\", which is no indicator",
        "  left out: column 6, \"Ngày cập nhật\", which is no indicator",
    ] {
        assert!(said.contains(line), "no {line:?} in:\n{said}");
    }
    assert!(
        read(site.join("data/reports/2025-10.yaml"))
            .contains("long-my: { voluntary-si: 1250, health-insurance: 35650 }")
    );
    // KH and TH under an indicator: the plan and the figures.
    let o = import("Đơn vị,BHXH tự nguyện,,BHYT,\n,KH,TH,KH,TH\nPhường Long Mỹ,1509,1260,38000,35660\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        read(site.join("data/reports/2025-10.yaml"))
            .contains("long-my: { voluntary-si: 1260, health-insurance: 35660 }")
    );
    // No heading names an indicator: the refusal quotes the rows it read.
    let o = import("BÁO CÁO THÁNG 10/2025\nĐơn vị,Số người BHXH TN,Số thẻ\nPhường Long Mỹ,1250,35650\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "no column is headed by an indicator; the first rows of the file: row 1: BÁO CÁO THÁNG 10/2025, \
             row 2: Đơn vị | Số người BHXH TN | Số thẻ"
        ),
        "{}",
        stderr(&o)
    );
    // The population beside a rate of BHYT, and no BHYT figures: the population is never
    // taken for them, never advised as an alias, and the month is not published without
    // a word.
    let o = import("Đơn vị,BHXH tự nguyện,Tỷ lệ BHYT (%),Dân số\nPhường Long Mỹ,1250,88.5,40000\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("left out: column 4, \"Dân số\", which is no indicator"), "{}", stdout(&o));
    assert!(stderr(&o).contains("no column of the file is BHYT"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Dân số"), "{}", stderr(&o));
    assert!(read(site.join("data/reports/2025-10.yaml")).contains("long-my: { voluntary-si: 1250 }"));
    // A heading that says nothing of what it is, while BHYT has no column: it may be BHYT
    // misnamed, so nothing is written.
    let o = import("Đơn vị,BHXH tự nguyện,Số thẻ\nPhường Long Mỹ,1250,35650\n");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("the column \"Số thẻ\" is not an indicator"), "{}", stderr(&o));
}

#[test]
fn a_second_table_is_said_once_and_a_unit_given_twice_shows_both_rows() {
    let site = sample_site("import-twice");
    let import = |csv: &str| import_text(&site, "hai-bang.csv", csv);
    // Biểu 01 and, below it, Biểu 02 with the same units.
    let units = ["Phường Long Mỹ", "Phường Ô Môn", "Xã Mỹ Tú", "Phường Cái Khế"];
    let mut csv = String::from("Biểu 01\nĐơn vị,voluntary-si\n");
    for (k, u) in units.iter().enumerate() {
        csv.push_str(&format!("{u},{}\n", 100 + k));
    }
    csv.push_str("Biểu 02\nĐơn vị,BHYT\n");
    for (k, u) in units.iter().enumerate() {
        csv.push_str(&format!("{u},{}\n", 30_000 + k));
    }
    let o = import(&csv);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(":9: from row 9, 4 units come again as from row 3: the file has a second table below the first"),
        "{err}"
    );
    assert!(!err.contains("is already on row"), "one message, not one per unit: {err}");
    // One unit twice, with two different figures: both are shown, and the office asked.
    let o = import(
        "Đơn vị,voluntary-si,health-insurance\nPhường Long Mỹ,1250,35650\nXã Mỹ Tú,370,34900\nPhường Long Mỹ,1205,35650\n",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            ":4: Phường Long Mỹ is already on row 2 (BHXH tự nguyện 1,250, BHYT 35,650); \
             this row gives BHXH tự nguyện 1,205, BHYT 35,650"
        ),
        "{err}"
    );
    assert!(err.contains("ask the office which are right"), "{err}");
}

#[test]
fn a_column_of_percentages_is_said_once_for_the_column() {
    let site = sample_site("import-percent");
    let file = site.parent().unwrap().join("ty-le.csv");
    std::fs::write(
        &file,
        "Đơn vị,voluntary-si,health-insurance\nPhường Long Mỹ,1250,\"88,00%\"\nPhường Ô Môn,900,\"80,57%\"\n\
         Xã Mỹ Tú,370,\"98,59%\"\nPhường Cái Khế,560,\"92,84%\"\n",
    )
    .unwrap();
    let o = tiendo_en(&["import", file.to_str().unwrap(), "--root", site.to_str().unwrap(), "--as-of", "2025-10-31"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(":2: column 3: 4 cells are no number of people, e.g. row 2: \"88,00%\""), "{err}");
    assert!(err.contains("this column holds percentages, not numbers of people"), "{err}");
    assert!(err.contains("\n1 error: nothing was written"), "one message for the column: {err}");
}

#[test]
fn letters_lost_to_question_marks_are_named_as_the_file_s_encoding() {
    let site = sample_site("import-question-marks");
    let file = site.parent().unwrap().join("english-windows.csv");
    std::fs::write(
        &file,
        "?on v?,BHXH t? nguy?n,BHYT\nPh??ng Long M?,1250,35650\nPh??ng ? M?n,900,41900\nX? M? T?,370,34900\n",
    )
    .unwrap();
    let o = tiendo(&["import", file.to_str().unwrap(), "--root", site.to_str().unwrap(), "--as-of", "2025-10-31"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("chữ tiếng Việt trong tệp đã thành dấu ? khi lưu"), "{err}");
    assert!(!err.contains("không cột nào"), "the cause, not what follows from it: {err}");
}

#[test]
fn a_province_column_tells_apart_units_of_one_name() {
    let site = temp_dir("import-provinces").join("site");
    let write = |rel: &str, text: &str| {
        let path = site.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("site.yaml", "title: \"Cả nước\"\nlanguage: vi\n");
    write(
        "data/localities.yaml",
        "city: { id: vn, name: \"Việt Nam\" }\nlocalities:\n\
         \x20 - { id: tan-thanh-dt, name: \"Xã Tân Thành\", kind: commune, group: \"Tỉnh Đồng Tháp\" }\n\
         \x20 - { id: tan-thanh-tn, name: \"Xã Tân Thành\", kind: commune, group: \"Tỉnh Tây Ninh\" }\n\
         \x20 - { id: an-binh, name: \"Xã An Bình\", kind: commune, group: \"Tỉnh Tây Ninh\" }\n",
    );
    write(
        "data/indicators.yaml",
        "- { id: members, name: \"Người tham gia\", short: \"Tham gia\", unit: \"người\", kind: count }\n",
    );
    write(
        "data/targets/2025.yaml",
        "year: 2025\ntargets:\n  tan-thanh-dt: { members: 100 }\n  tan-thanh-tn: { members: 100 }\n  an-binh: { members: 100 }\n",
    );
    let file = site.parent().unwrap().join("ca-nuoc.csv");
    std::fs::write(
        &file,
        "Tỉnh,Đơn vị,Tham gia\nĐồng Tháp,Xã Tân Thành,40\nTÂY NINH,Xã Tân Thành,55\nTây Ninh,Xã An Bình,70\n",
    )
    .unwrap();
    let o = tiendo(&["import", file.to_str().unwrap(), "--root", site.to_str().unwrap(), "--as-of", "2025-10-31"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = read(site.join("data/reports/2025-10.yaml"));
    assert!(
        report.contains("tan-thanh-dt: { members: 40 }") && report.contains("tan-thanh-tn: { members: 55 }"),
        "{report}"
    );
    // Without the province, still never guessed.
    std::fs::write(&file, "Đơn vị,Tham gia\nXã Tân Thành,40\nXã An Bình,70\n").unwrap();
    let o = tiendo(&["import", file.to_str().unwrap(), "--root", site.to_str().unwrap(), "--as-of", "2025-11-30"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("có thể là một trong các đơn vị"), "{}", stderr(&o));
}

#[test]
fn what_check_would_say_of_the_new_figures_is_said_at_import() {
    let site = sample_site("import-warns");
    let o = import_text(
        &site,
        "t10.csv",
        "Đơn vị,voluntary-si,health-insurance\nPhường Long Mỹ,1250,45000\nPhường Ô Môn,800,41900\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for said in [
        "warning: data/reports/2025-10.yaml:6:52: Phường Long Mỹ, BHYT: 45,000 people is more than the base of 40,000",
        "warning: data/reports/2025-10.yaml:5:26: Phường Ô Môn: BHXH tự nguyện fell from 882 to 800",
    ] {
        assert!(err.contains(said), "no {said:?} in:\n{err}");
    }
}

#[test]
fn the_month_imported_is_chosen_under_an_indicator_and_a_hidden_column_is_said_to_be_hidden() {
    // "Tháng 9" (hidden in Excel) beside "Tháng 10" under each indicator, and a title
    // that names an indicator above the headings.
    let site = sample_site("import-hidden");
    let o = import_sheet(&site, "hidden-month.xlsx", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    for line in [
        "  BHXH tự nguyện: column D, \"BHXH tự nguyện\", \"Tháng 10\" below it",
        "  BHYT: column F, \"BHYT\", \"Tháng 10\" below it",
        "  left out column C (hidden in Excel), \"BHXH tự nguyện, Tháng 9\": another month's figures",
        "  left out column E (hidden in Excel), \"BHYT, Tháng 9\": another month's figures",
    ] {
        assert!(said.contains(line), "no {line:?} in:\n{said}");
    }
    let report = read(site.join("data/reports/2025-10.yaml"));
    assert!(report.contains("long-my: { voluntary-si: 1250, health-insurance: 35650 }"), "{report}");
    assert!(report.contains("o-mon: { voluntary-si: 900, health-insurance: 41900 }"), "{report}");
    // No column of the month imported: refused, and the column the officer cannot see is
    // said to be hidden.
    let (code, err) = refused("hidden-no-month.xlsx", &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(
            "under \"BHXH tự nguyện\", no column holds the figures of 10/2025: column C \"Tháng 8\", \
             column D (hidden in Excel) \"Tháng 9\""
        ),
        "{err}"
    );
    assert!(err.contains("is this another month's report?"), "{err}");
}

#[test]
fn control_characters_in_a_sheet_are_left_out_of_the_report_and_the_terminal() {
    // A title with an escape sequence (what another program may leave in a cell).
    let site = sample_site("import-controls");
    let o = import_text(
        &site,
        "dieu-khien.csv",
        "BÁO CÁO THÁNG 10/2025 \u{1b}[2J\u{7}\nĐơn vị,BHXH tự nguyện\nPhường Long Mỹ\u{1b},1250\nPhường Ô Môn,900\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report = read(site.join("data/reports/2025-10.yaml"));
    assert!(report.contains("source: \"BÁO CÁO THÁNG 10/2025 [2J\""), "{report}");
    assert!(report.contains("long-my: { voluntary-si: 1250 }"), "a name with a control character is still the unit");
    assert!(!o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b), "nothing reaches the terminal raw");
}

/// A workbook whose sheet's name holds a control character (`&#27;` in its XML): the
/// name is shown escaped wherever it is printed, never raw on the terminal.
#[test]
fn a_sheets_name_with_control_characters_is_printed_escaped() {
    use std::io::{Read, Write};
    let site = sample_site("import-sheet-controls");
    let from = fixture("import").join("two-unit-sheets.xlsx");
    let file = site.parent().unwrap().join("controls.xlsx");
    let mut zin = zip::ZipArchive::new(std::fs::File::open(&from).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
    for k in 0..zin.len() {
        let mut part = zin.by_index(k).unwrap();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        if part.name() == "xl/workbook.xml" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("name=\"T10\""), "{text}");
            bytes = text.replace("name=\"T10\"", "name=\"T10&#27;[2J&#7;\"").into_bytes();
        }
        zout.start_file(part.name(), zip::write::SimpleFileOptions::default()).unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap();
    let args = ["import", file.to_str().unwrap(), "--root", site.to_str().unwrap(), "--as-of", "2025-10-31"];
    let o = tiendo_en(&[&args[..], &["--sheet", "nope"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("its sheets are: T9, T10\\u{1b}[2J\\u{7}"), "{}", stderr(&o));
    assert!(!o.stderr.contains(&0x1b) && !o.stderr.contains(&0x07), "nothing reaches the terminal raw");
    let o = tiendo_en(&args);
    assert!(!o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b), "{}{}", stdout(&o), stderr(&o));
}
