//! The published site is replaced only by a complete new one: a failed build leaves it
//! byte for byte as it was, and a build killed at any moment leaves either the old
//! site or the new one, never a mixture and never nothing.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;

/// The site's inputs only: not its build output or the repository around it.
const NOT_INPUT: &[&str] = &["public", "target", ".git"];

/// Every file of a folder with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir).into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

/// Staging folders beside an output, other than the spare a finished build keeps.
fn staging_left(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tiendo-") && !n.ends_with(".tiendo-spare"))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_published_site_untouched() {
    let dir = temp_dir("publish-failed");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let out = dir.join("public");
    build(&site, &out);
    let before = snapshot(&out);

    // An input error: a negative figure.
    let report = site.join("data/reports/2025-09.yaml");
    let good = read(&report);
    std::fs::write(&report, good.replace("enrolment: 700", "enrolment: -700")).unwrap();
    let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("data/reports/2025-09.yaml:4:23: -700 is negative"), "{}", stderr(&o));
    assert!(snapshot(&out) == before, "the published site changed after a failed build");
    std::fs::write(&report, good).unwrap();

    // An error found only while rendering: a site template using an unknown variable.
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}{{ nothing.here }}{% endblock content %}",
    )
    .unwrap();
    let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: templates/page.html:1:"), "{}", stderr(&o));
    assert!(snapshot(&out) == before, "the published site changed after a failed build");
    assert!(staging_left(&dir).is_empty(), "staging left behind: {:?}", staging_left(&dir));
}

#[test]
fn an_output_folder_that_would_replace_the_site_is_refused() {
    let dir = temp_dir("publish-refuse");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    for output in [site.clone(), dir.clone(), site.join("content/out")] {
        let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", output.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    }
    assert!(site.join("site.yaml").is_file() && site.join("data/reports/2025-09.yaml").is_file());
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_site() {
    let dir = temp_dir("publish-kill");
    // Old: the sample as it is. New: the same with a changed figure, so every unit page,
    // the home page, the charts and the data files differ.
    let old_site = repo();
    let new_site = dir.join("new-site");
    copy_dir(&old_site, &new_site, NOT_INPUT);
    let report = new_site.join("data/reports/2025-09.yaml");
    std::fs::write(&report, read(&report).replace("long-my: { voluntary-si: 1215", "long-my: { voluntary-si: 1300"))
        .unwrap();
    let old_ref = dir.join("old-ref");
    let new_ref = dir.join("new-ref");
    build(&old_site, &old_ref);
    build(&new_site, &new_ref);
    let (old, new) = (snapshot(&old_ref), snapshot(&new_ref));
    assert!(old != new);

    let out_parent = dir.join("out");
    let out: PathBuf = out_parent.join("public");
    let (mut killed_before, mut finished) = (0, 0);
    for delay_ms in [0u64, 2, 5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 500, 800] {
        let _ = std::fs::remove_dir_all(&out_parent);
        copy_dir(&old_ref, &out, &[]);
        let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(["build", "--root", new_site.to_str().unwrap(), "--output", out.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = snapshot(&out);
        if now == old {
            killed_before += 1;
        } else if now == new {
            finished += 1;
        } else {
            panic!("after a kill at {delay_ms} ms (exit {status:?}) the output is neither the old nor the new site");
        }
    }
    assert!(killed_before > 0, "no build was killed before it published: the test did not test anything");
    // A later build cleans up what killed builds left beside the output.
    build(&new_site, &out);
    assert!(snapshot(&out) == new);
    assert!(staging_left(&out_parent).is_empty(), "staging left behind: {:?}", staging_left(&out_parent));
    eprintln!("killed before publishing: {killed_before}, finished: {finished}");
}

#[test]
fn a_rebuild_over_the_spare_leaves_nothing_of_an_older_site() {
    let dir = temp_dir("publish-spare");
    let out = dir.join("public");
    // Sample, then the small site, then the small site again: the third build reuses the
    // sample's folder as its staging area and must sweep every page of it away.
    build(&repo(), &out);
    build(&fixture("small-en"), &out);
    build(&fixture("small-en"), &out);
    let reference = dir.join("reference");
    build(&fixture("small-en"), &reference);
    assert!(snapshot(&out) == snapshot(&reference), "the output differs from a fresh build of the same site");
    assert!(dir.join(".public.tiendo-spare").is_dir());
}
