//! Earlier years' pages kept between builds in the site's `.tiendo-cache/years/`: a
//! build that takes them from there must write exactly what a build that renders them
//! writes, whatever was edited in between, and a damaged or foreign cache only makes a
//! build slower. The site is `tests/fixtures/year-change` over the English one: 2024 and 2025
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

/// The folder that keeps `year`'s pages.
fn kept(site: &Path, year: i32) -> PathBuf {
    site.join(format!(".tiendo-cache/years/{year}"))
}

/// The list of `year`'s kept pages.
fn list(site: &Path, year: i32) -> PathBuf {
    kept(site, year).join("pages")
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
    assert!(list(&site, 2024).is_file() && list(&site, 2025).is_file());
    assert!(!kept(&site, 2026).exists());
    let first = fs::read(list(&site, 2025)).unwrap();
    let page = |i: usize| fs::metadata(kept(&site, 2025).join(i.to_string())).unwrap();
    assert!(page(0).permissions().readonly(), "the cache's files are never changed in place");

    // Built again, unchanged: the pages are used as they are, and the site is the same.
    let again = site.parent().unwrap().join("again");
    let before = page(0).modified().unwrap();
    built(&site, &again);
    assert_identical(&out, &again);
    assert!(fs::read(list(&site, 2025)).unwrap() == first, "pages that were used are not written again");
    assert_eq!(page(0).modified().unwrap(), before);
    #[cfg(unix)]
    {
        // A copy of the cache's file, never a second name for it: in the site the page
        // was rendered for, and in the one it was kept for; an edit there cannot reach it.
        use std::os::unix::fs::MetadataExt;
        for site in [&out, &again] {
            let home = fs::metadata(site.join("years/2025/index.html")).unwrap();
            assert!((0..5).map(page).all(|m| m.ino() != home.ino()), "the page is a file of its own");
            assert!(!home.permissions().readonly());
        }
    }

    // Edits of the current year, of commentary and of bulletins leave the earlier years'
    // pages as they were: still the same as a fresh build's.
    edit(site.join("data/reports/2026-01.yaml"), "790", "795");
    edit(site.join("content/localities/north.md"), "Door to door", "Street by street");
    fs::write(site.join("content/updates/jan-2026.md"), "---\ntitle: January\ndate: 2026-02-05\n---\n\nNews.\n")
        .unwrap();
    built(&site, &out);
    assert!(fs::read(list(&site, 2025)).unwrap() == first);
    assert_identical(&out, &fresh(&site, "kept-edits-fresh-1"));

    // An edit of 2025's figures is shown on 2025's pages: they are kept again, and the
    // folder of the old ones is gone.
    edit(site.join("data/reports/2025-12.yaml"), "north: { enrolment: 760", "north: { enrolment: 770");
    built(&site, &out);
    assert!(fs::read(list(&site, 2025)).unwrap() != first);
    assert_eq!(names(&site.join(".tiendo-cache/years")), ["2024", "2025"]);
    let north = text_of(&read(out.join("localities/north/index.html")));
    assert!(
        north.contains("In 2025, North Ward reached 77.00% of its Enrolment target: missed, 230 people short"),
        "{north}"
    );
    let ranking = text_of(&read(out.join("years/2025/indicators/enrolment/index.html")));
    assert!(ranking.contains("North Ward 770 1,000 77.00%"), "{ranking}");
    assert_identical(&out, &fresh(&site, "kept-edits-fresh-2"));

    // So is a change of the interface text, of a unit's name, and of the settings.
    fs::create_dir_all(site.join("templates/i18n")).unwrap();
    fs::write(site.join("templates/i18n/en.yaml"), "years_result: \"Results of {year}\"\n").unwrap();
    edit(site.join("data/localities.yaml"), "North Ward", "Northern Ward");
    edit(site.join("site.yaml"), "Riverside statistics office", "Riverside statistics bureau");
    built(&site, &out);
    let ranking = read(out.join("years/2024/indicators/enrolment/index.html"));
    assert!(ranking.contains(">Results of 2025</a>") && ranking.contains("Northern Ward"));
    assert!(ranking.contains("Riverside statistics bureau"));
    assert_identical(&out, &fresh(&site, "kept-edits-fresh-3"));
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// The lines of a list of kept pages, sorted: the same pages may be kept in another order.
fn lines(list: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(list).lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

/// Makes `path` writable again, to damage it.
fn writable(path: &Path) {
    let mut permissions = fs::metadata(path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    fs::set_permissions(path, permissions).unwrap();
}

#[test]
fn a_damaged_or_foreign_cache_only_makes_the_build_slower() {
    let site = site("kept-damaged");
    let out = site.parent().unwrap().join("public");
    built(&site, &out);
    let whole = fs::read(list(&site, 2025)).unwrap();
    let expected = fresh(&site, "kept-damaged-fresh");
    let made_again = || {
        let again = fs::read(list(&site, 2025)).unwrap();
        assert_eq!(lines(&again), lines(&whole), "the year is kept again");
        assert!(again.ends_with(b"\nend 5\n"));
    };

    // A list cut short, run on, or naming a page more: not used, and made again.
    let text = String::from_utf8_lossy(&whole).into_owned();
    for damaged in [
        text[..text.len() / 2].to_owned(),
        format!("{text}more"),
        text.replacen("years/2025/index.html\n", "years/2025/index.html\nyears/2025/more.html\n", 1),
    ] {
        fs::write(list(&site, 2025), &damaged).unwrap();
        built(&site, &out);
        assert_identical(&out, &expected);
        made_again();
    }

    // A page's file missing, or a link in its place: not used, and made again; what the
    // link leads to is neither read nor changed.
    fs::remove_file(kept(&site, 2025).join("3")).unwrap();
    built(&site, &out);
    assert_identical(&out, &expected);
    made_again();
    #[cfg(unix)]
    {
        let elsewhere = site.parent().unwrap().join("elsewhere.html");
        fs::write(&elsewhere, "not a page").unwrap();
        fs::remove_file(kept(&site, 2025).join("3")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, kept(&site, 2025).join("3")).unwrap();
        built(&site, &out);
        assert_identical(&out, &expected);
        made_again();
        assert_eq!(read(&elsewhere), "not a page");
    }

    // A page path out of the year's folder is never written from the cache.
    let escaped = text.replacen("years/2025/index.html\n", "years/2025/../../../escaped.html\n", 1);
    assert_ne!(text, escaped);
    writable(&list(&site, 2025));
    fs::write(list(&site, 2025), escaped).unwrap();
    built(&site, &out);
    assert_identical(&out, &expected);
    assert!(!site.parent().unwrap().join("escaped.html").exists());
    made_again();

    // A folder or file that is not tiendo's is not used, and not written over.
    fs::remove_dir_all(kept(&site, 2025)).unwrap();
    fs::create_dir(kept(&site, 2025)).unwrap();
    fs::write(kept(&site, 2025).join("mine.txt"), "mine").unwrap();
    built(&site, &out);
    assert_identical(&out, &expected);
    assert_eq!(names(&kept(&site, 2025)), ["mine.txt"]);
    fs::remove_dir_all(kept(&site, 2025)).unwrap();
    fs::write(kept(&site, 2025), "mine").unwrap();
    built(&site, &out);
    assert_identical(&out, &expected);
    assert_eq!(read(kept(&site, 2025)), "mine");
}

#[test]
fn a_year_kept_in_one_file_by_an_earlier_version_is_replaced() {
    let site = site("kept-pack");
    let out = site.parent().unwrap().join("public");
    let years = site.join(".tiendo-cache/years");
    fs::create_dir_all(&years).unwrap();
    fs::write(years.join("2025.pack"), "tiendo earlier-year pages 1\nkey 0123456789abcdef\nend 0\n").unwrap();
    fs::write(years.join("2024.pack"), "mine").unwrap();
    built(&site, &out);
    assert_identical(&out, &fresh(&site, "kept-pack-fresh"));
    assert_eq!(names(&years), ["2024", "2024.pack", "2025"], "the old pack is gone, the foreign file kept");
}

#[cfg(unix)]
#[test]
fn a_folder_left_half_written_by_a_build_that_stopped_is_removed() {
    let site = site("kept-abandoned");
    let out = site.parent().unwrap().join("public");
    built(&site, &out);
    let years = site.join(".tiendo-cache/years");
    // No process has this id (it is above any system's limit); this test's process runs.
    let (gone, alive) = (years.join(".2025.2147483646.tmp"), years.join(format!(".2025.{}.tmp", std::process::id())));
    for dir in [&gone, &alive] {
        fs::create_dir(dir).unwrap();
        fs::write(dir.join("0"), "half").unwrap();
    }
    fs::remove_dir_all(kept(&site, 2025)).unwrap();
    built(&site, &out);
    assert!(!gone.exists(), "the stopped build's folder is removed");
    assert_eq!(read(alive.join("0")), "half", "a running build's is left alone");
    assert!(list(&site, 2025).is_file());
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

/// With the output on another disk than the site (and its cache), kept pages and pictures
/// cannot be second names of the cache's files: they are copied, and the site is the same.
#[cfg(target_os = "linux")]
#[test]
fn an_output_on_another_disk_gets_copies() {
    use std::os::unix::fs::MetadataExt;
    let site = site("kept-other-disk");
    let shm = Path::new("/dev/shm");
    let device = |p: &Path| fs::metadata(p).map(|m| m.dev()).ok();
    if device(shm).is_none() || device(shm) == device(&site) {
        eprintln!("no second file system at /dev/shm: nothing to check");
        return;
    }
    let dir = shm.join(format!("tiendo-test-other-disk-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let out = dir.join("public");
    // Rendered and kept (the keeper cannot link across disks either), then taken from the cache.
    built(&site, &out);
    built(&site, &out);
    assert!(list(&site, 2025).is_file() && kept(&site, 2025).join("0").is_file());
    for page in ["years/2025/index.html", "share/home.png"] {
        assert_eq!(fs::metadata(out.join(page)).unwrap().nlink(), 1, "{page} is a copy");
    }
    assert_identical(&out, &fresh(&site, "kept-other-disk-fresh"));
    let _ = fs::remove_dir_all(&dir);
}
