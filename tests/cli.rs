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
