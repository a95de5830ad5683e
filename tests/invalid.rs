//! Broken sites and what tiendo says about them.
//!
//! Each folder of `tests/fixtures/invalid/` (except `_base`) is one broken site: the
//! valid `_base` site with the folder's files laid over it, and the paths listed in
//! its `remove.txt` deleted. `expected.txt` holds the exit status and everything
//! `tiendo check` prints, which must match exactly. To rewrite the expectations
//! after an intended change of wording, run with `TIENDO_BLESS=1` and review the diff.

mod common;

use std::path::Path;

use common::*;

const EXPECTED: &str = "expected.txt";
const REMOVE: &str = "remove.txt";

/// The site of `case`, assembled in a scratch folder.
fn assemble(case: &Path) -> std::path::PathBuf {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let site = temp_dir(&format!("invalid-{name}")).join("site");
    copy_dir(&fixture("invalid/_base"), &site, &[]);
    if let Ok(list) = std::fs::read_to_string(case.join(REMOVE)) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            let path = site.join(rel.trim());
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    copy_dir(case, &site, &[EXPECTED, REMOVE]);
    site
}

/// Compares `actual` with the case's expected.txt, or rewrites it when blessing.
fn compare(case: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("TIENDO_BLESS").is_some() {
        std::fs::write(case.join(EXPECTED), actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(case.join(EXPECTED)).unwrap_or_default();
    let name = case.file_name().unwrap().to_string_lossy();
    (expected != actual).then(|| format!("{name}: expected\n{expected}\n--- but got\n{actual}"))
}

#[test]
fn warnings_are_printed_and_the_build_goes_on() {
    let case = fixture("warnings");
    let site = assemble(&case);
    let out = site.parent().unwrap().join("public");
    let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    let actual = format!("exit: {}\n{}", o.status.code().unwrap_or(-1), stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{actual}");
    assert!(out.join("localities/my-tu/index.html").is_file());
    // One of each kind of warning of SPEC §1.
    for w in [
        "fell from 1180 to 1100",
        "coverage above 100 %",
        "more than three times the target",
        "has no health-insurance figure in the latest report",
    ] {
        assert!(actual.contains(w), "missing warning {w:?}:\n{actual}");
    }
    if let Some(diff) = compare(&case, &actual) {
        panic!("{diff}");
    }
}

#[test]
fn every_broken_site_gets_its_expected_diagnostics() {
    let root = fixture("invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "only {} broken sites", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let site = assemble(case);
        let o = tiendo(&["check", "--root", site.to_str().unwrap()]);
        let actual = format!("exit: {}\n{}", o.status.code().unwrap_or(-1), stderr(&o));
        let name = case.file_name().unwrap().to_string_lossy();
        // Every broken site is refused, with at least one error that names a file.
        if o.status.code() != Some(1) || !actual.contains("\nerror: ") {
            failures.push(format!("{name}: not refused as it should be:\n{actual}"));
        }
        failures.extend(compare(case, &actual));
        // `build` says the same and writes nothing.
        let out = site.parent().unwrap().join("public");
        let b = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
        if b.status.code() != Some(1) || stderr(&b) != stderr(&o) || out.exists() {
            failures.push(format!("{name}: build did not fail the same way as check, or wrote output"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}
