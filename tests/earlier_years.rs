//! Earlier years' pages kept between builds in the site's `.tiendo-cache/years/`: a
//! build that copies them must write exactly what a build that renders them writes,
//! whatever was edited in between, and a damaged or foreign cache only makes a build
//! slower. The site is `tests/fixtures/year-change` over the English one: 2024 and 2025
//! are earlier years, 2026 the current one.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn site(name: &str) -> PathBuf {
    let dir = temp_dir(name).join("site");
    // Without the cache other tests' builds of the fixture leave in it.
    copy_dir(&fixture("small-en"), &dir, &[".tiendo-cache"]);
    copy_dir(&fixture("year-change").join("data"), &dir.join("data"), &[]);
    dir
}

/// Builds `site` into `out`, which must succeed.
fn built(site: &Path, out: &Path) {
    let o = build(site, out);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// What a build of `site` writes with nothing kept from before: a copy of it without its
/// cache, built.
fn fresh(site: &Path, name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let copy = dir.join("site");
    copy_dir(site, &copy, &[".tiendo-cache", "public"]);
    let out = dir.join("public");
    built(&copy, &out);
    out
}

fn pack(site: &Path, year: i32) -> PathBuf {
    site.join(format!(".tiendo-cache/years/{year}.pack"))
}

fn edit(path: PathBuf, from: &str, to: &str) {
    let text = read(&path);
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_build_with_kept_pages_writes_what_a_build_without_them_writes() {
    let site = site("kept-edits");
    let out = site.parent().unwrap().join("public");
    built(&site, &out);
    // Each earlier year is kept; the current one is not.
    assert!(pack(&site, 2024).is_file() && pack(&site, 2025).is_file());
    assert!(!pack(&site, 2026).exists());
    let first = fs::read(pack(&site, 2025)).unwrap();

    // Built again, unchanged: the packs are used as they are, and the site is the same.
    let again = site.parent().unwrap().join("again");
    built(&site, &again);
    assert_identical(&out, &again);
    assert!(fs::read(pack(&site, 2025)).unwrap() == first, "a pack that was used is not written again");

    // Edits of the current year, of commentary and of bulletins leave the earlier years'
    // pages as they were: still the same as a fresh build's.
    edit(site.join("data/reports/2026-01.yaml"), "790", "795");
    edit(site.join("content/localities/north.md"), "Door to door", "Street by street");
    fs::write(site.join("content/updates/jan-2026.md"), "---\ntitle: January\ndate: 2026-02-05\n---\n\nNews.\n")
        .unwrap();
    built(&site, &out);
    assert!(fs::read(pack(&site, 2025)).unwrap() == first);
    assert_identical(&out, &fresh(&site, "kept-edits-fresh-1"));

    // An edit of 2025's figures is shown on 2025's pages: its pack is made again.
    edit(site.join("data/reports/2025-12.yaml"), "north: { enrolment: 760", "north: { enrolment: 770");
    built(&site, &out);
    assert!(fs::read(pack(&site, 2025)).unwrap() != first);
    let north = text_of(&read(out.join("years/2025/localities/north/index.html")));
    assert!(north.contains("North Ward has reached 77.00% of its 2025 Enrolment target"), "{north}");
    assert_identical(&out, &fresh(&site, "kept-edits-fresh-2"));

    // So is a change of the interface text, of a unit's name, and of the settings.
    fs::create_dir_all(site.join("templates/i18n")).unwrap();
    fs::write(site.join("templates/i18n/en.yaml"), "years_result: \"Results of {year}\"\n").unwrap();
    edit(site.join("data/localities.yaml"), "North Ward", "Northern Ward");
    edit(site.join("site.yaml"), "Riverside statistics office", "Riverside statistics bureau");
    built(&site, &out);
    let north = read(out.join("years/2024/localities/north/index.html"));
    assert!(north.contains(">Results of 2025</a>") && north.contains("Northern Ward"));
    assert!(north.contains("Riverside statistics bureau"));
    assert_identical(&out, &fresh(&site, "kept-edits-fresh-3"));
}

#[test]
fn a_damaged_or_foreign_cache_only_makes_the_build_slower() {
    let site = site("kept-damaged");
    let out = site.parent().unwrap().join("public");
    built(&site, &out);
    let whole = fs::read(pack(&site, 2025)).unwrap();
    let expected = fresh(&site, "kept-damaged-fresh");

    // Cut short, run on, or with a page's length changed: not used, and made again.
    for damaged in [
        whole[..whole.len() / 2].to_vec(),
        [&whole[..], b"more"].concat(),
        String::from_utf8_lossy(&whole).replacen("index.html\t", "index.html\t1", 1).into_bytes(),
    ] {
        fs::write(pack(&site, 2025), &damaged).unwrap();
        built(&site, &out);
        assert_identical(&out, &expected);
        // Made again: the same pages, perhaps in another order.
        let again = fs::read(pack(&site, 2025)).unwrap();
        assert!(again.len() == whole.len() && again.ends_with(b"\nend 9\n"), "the pack is made again");
    }

    // A file that is not a pack is not used, and not written over.
    fs::write(pack(&site, 2025), "mine").unwrap();
    built(&site, &out);
    assert_identical(&out, &expected);
    assert_eq!(read(pack(&site, 2025)), "mine");
    fs::write(pack(&site, 2025), &whole).unwrap();

    // A page path out of the year's folder is never written from a pack.
    let text = String::from_utf8_lossy(&whole).into_owned();
    let escaped = text.replacen("years/2025/index.html\t", "years/2025/../../../escaped.html\t", 1);
    assert_ne!(text, escaped);
    fs::write(pack(&site, 2025), escaped).unwrap();
    built(&site, &out);
    assert_identical(&out, &expected);
    assert!(!site.parent().unwrap().join("escaped.html").exists());
}

#[cfg(unix)]
#[test]
fn a_pack_left_half_written_by_a_build_that_stopped_is_removed() {
    let site = site("kept-abandoned");
    let out = site.parent().unwrap().join("public");
    built(&site, &out);
    let years = site.join(".tiendo-cache/years");
    // No process has this id (it is above any system's limit); this test's process runs.
    let (gone, alive) =
        (years.join(".2025.pack.2147483646.tmp"), years.join(format!(".2025.pack.{}.tmp", std::process::id())));
    fs::write(&gone, "half").unwrap();
    fs::write(&alive, "being written").unwrap();
    fs::remove_file(pack(&site, 2025)).unwrap();
    built(&site, &out);
    assert!(!gone.exists(), "the stopped build's pack is removed");
    assert_eq!(read(&alive), "being written", "a running build's is left alone");
    assert!(pack(&site, 2025).is_file());
}

#[cfg(unix)]
#[test]
fn a_cache_folder_that_is_a_link_is_not_followed() {
    let site = site("kept-link");
    let elsewhere = site.parent().unwrap().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join(".tiendo-cache")).unwrap();
    let out = site.parent().unwrap().join("public");
    built(&site, &out);
    assert!(fs::read_dir(&elsewhere).unwrap().next().is_none(), "nothing is written where the link leads");
    assert_identical(&out, &fresh(&site, "kept-link-fresh"));

    // A file where the cache would be is left as it is.
    fs::remove_file(site.join(".tiendo-cache")).unwrap();
    fs::write(site.join(".tiendo-cache"), "mine").unwrap();
    built(&site, &out);
    assert_eq!(read(site.join(".tiendo-cache")), "mine");
}

#[test]
fn check_keeps_nothing() {
    let site = site("kept-check");
    let o = tiendo(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site.join(".tiendo-cache").exists());
}
