//! The command line: exit statuses and messages for the cases around the happy path.

mod common;

use common::*;

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tiendo(&[]).status.code(), Some(2));
    assert_eq!(tiendo(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(tiendo(&["build", "--nope"]).status.code(), Some(2));
    let help = tiendo(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("build") && stdout(&help).contains("check"));
}

#[test]
fn a_folder_that_is_not_a_site_is_explained() {
    let dir = temp_dir("cli-not-a-site");
    let o = tiendo(&["check", "--root", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error: site.yaml: the site has no site.yaml"), "{}", stderr(&o));
    assert!(stderr(&o).contains("tiendo new DIR"));

    let missing = dir.join("does-not-exist");
    let o = tiendo(&["build", "--root", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("this folder does not exist"), "{}", stderr(&o));
    assert!(!missing.exists(), "nothing is created for a failed build");
}

#[test]
fn build_defaults_to_root_public_and_reports_what_it_did() {
    let dir = temp_dir("cli-defaults");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo")).arg("build").current_dir(&site).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.join("public/index.html").is_file());
    assert!(
        stdout(&o).starts_with("built 17 pages and 21 charts for 4 localities from 5 reports in "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn new_writes_a_site_that_checks_and_builds_and_refuses_a_non_empty_folder() {
    let dir = temp_dir("cli-new").join("my-site");
    let o = tiendo(&["new", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let check = tiendo(&["check", "--root", dir.to_str().unwrap()]);
    assert!(
        check.status.success() && stderr(&check).is_empty(),
        "the new site must be valid and clean:\n{}",
        stderr(&check)
    );
    let out = dir.join("public");
    build(&dir, &out);
    assert!(out.join("localities/an-binh/index.html").is_file());
    assert!(out.join("updates/2025-09-ket-qua-thang-9/index.html").is_file());
    // The files teach the format in comments.
    assert!(read(dir.join("data/reports/2025-09.yaml")).contains("# Số liệu kỳ báo cáo"));
    // A second `new` into the same, now non-empty, folder writes nothing.
    let before = read(dir.join("site.yaml"));
    std::fs::write(dir.join("site.yaml"), "title: \"changed\"\n").unwrap();
    let again = tiendo(&["new", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("is not empty; nothing was written"));
    assert_eq!(read(dir.join("site.yaml")), "title: \"changed\"\n");
    assert!(before.contains("Thành phố Mẫu"));
}
