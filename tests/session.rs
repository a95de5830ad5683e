//! Rebuilds as `serve` makes them: an edit to commentary shown on one page renders that
//! page alone, and the site it leaves is exactly what a full build of the edited input
//! writes; any other edit rebuilds everything.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::*;
use tiendo::{BuildOptions, Session};

/// Every file of a site with its bytes, but its share images (`serve` does not wait for
/// pictures to be drawn, and has those a build already drew) and its marker.
fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .filter(|f| !f.starts_with("share/") && f != MARKER)
        .map(|f| (f.clone(), fs::read(dir.join(&f)).unwrap()))
        .collect()
}

/// The files whose bytes differ between two snapshots, or that only one has.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    names.into_iter().filter(|f| before.get(*f) != after.get(*f)).cloned().collect()
}

struct Fixture {
    site: std::path::PathBuf,
    out: std::path::PathBuf,
    fresh: std::path::PathBuf,
    session: Session,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let base = temp_dir(name);
        let site = base.join("site");
        copy_dir(&fixture("small-en"), &site, &[]);
        let out = base.join("out");
        let mut session = Session::new(BuildOptions { root: site.clone(), output: out.clone(), base_url: None });
        let first = session.rebuild(true).unwrap();
        assert!(!first.partial, "the first build renders everything");
        Fixture { site, out, fresh: base.join("fresh"), session }
    }

    /// Rebuilds after an edit; checks the result is what a full build writes.
    fn rebuild(&mut self) -> (tiendo::Summary, Vec<String>) {
        let before = site_files(&self.out);
        let summary = self.session.rebuild(false).unwrap();
        let after = site_files(&self.out);
        let _ = fs::remove_dir_all(&self.fresh);
        build(&self.site, &self.fresh);
        assert_eq!(after, site_files(&self.fresh), "serve's site is not what a full build writes");
        (summary, changed(&before, &after))
    }
}

#[test]
fn locality_commentary_renders_that_locality_alone() {
    let mut f = Fixture::new("session-locality");
    fs::write(f.site.join("content/localities/north.md"), "# New plan\n\nNorth Ward adds *evening* visits.\n").unwrap();
    let (summary, changed) = f.rebuild();
    assert!(summary.partial);
    assert_eq!((summary.pages, summary.charts), (1, 3));
    assert_eq!(changed, vec!["localities/north/index.html"]);
    assert!(read(f.out.join("localities/north/index.html")).contains("<em>evening</em>"));

    // A locality that had none gets commentary: still its page alone.
    fs::write(f.site.join("content/localities/west.md"), "West Ward opens a second office.\n").unwrap();
    let (summary, changed) = f.rebuild();
    assert!(summary.partial);
    assert_eq!(changed, vec!["localities/west/index.html"]);

    // And loses it again.
    fs::remove_file(f.site.join("content/localities/north.md")).unwrap();
    let (summary, changed) = f.rebuild();
    assert!(summary.partial);
    assert_eq!(changed, vec!["localities/north/index.html"]);
}

#[test]
fn home_and_indicator_commentary_render_their_page_alone() {
    let mut f = Fixture::new("session-home");
    fs::write(f.site.join("content/index.md"), "Figures for the third quarter are in.\n").unwrap();
    fs::create_dir_all(f.site.join("content/indicators")).unwrap();
    fs::write(f.site.join("content/indicators/insured.md"), "Coverage counts everyone insured.\n").unwrap();
    let (summary, changed) = f.rebuild();
    assert!(summary.partial);
    assert_eq!(summary.pages, 2);
    assert_eq!(changed, vec!["index.html", "indicators/insured/index.html"]);
}

#[test]
fn any_other_edit_rebuilds_everything() {
    let mut f = Fixture::new("session-full");
    // A figure: totals, rankings, charts and the data files all change.
    let report = f.site.join("data/reports/2025-09.yaml");
    fs::write(&report, read(&report).replace("north: { enrolment: 700", "north: { enrolment: 720")).unwrap();
    let (summary, changed) = f.rebuild();
    assert!(!summary.partial);
    for file in ["index.html", "localities/north/index.html", "indicators/enrolment/index.html", "data/figures.csv"] {
        assert!(changed.contains(&file.to_owned()), "{file} should have changed: {changed:?}");
    }

    // A bulletin is listed on other pages: everything again.
    fs::write(f.site.join("content/updates/q4-2025.md"), "---\ntitle: Q4\ndate: 2025-10-15\n---\nSoon.\n").unwrap();
    let (summary, changed) = f.rebuild();
    assert!(!summary.partial);
    assert!(changed.contains(&"updates/q4-2025/index.html".to_owned()));
    assert!(changed.contains(&"updates/index.html".to_owned()));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_the_next_good_one_continues() {
    let mut f = Fixture::new("session-broken");
    let good = site_files(&f.out);
    // Commentary for a locality that does not exist is an error.
    fs::write(f.site.join("content/localities/nowhere.md"), "Lost.\n").unwrap();
    assert!(f.session.rebuild(false).is_err());
    assert!(changed(&good, &site_files(&f.out)).is_empty());
    fs::remove_file(f.site.join("content/localities/nowhere.md")).unwrap();
    fs::write(f.site.join("content/localities/south.md"), "South Commune trains ten more.\n").unwrap();
    let (summary, changed) = f.rebuild();
    assert!(summary.partial);
    assert_eq!(changed, vec!["localities/south/index.html"]);
}

#[test]
fn pictures_a_preview_did_not_wait_for_are_drawn_for_its_next_build() {
    let base = temp_dir("session-pictures");
    let site = base.join("site");
    copy_dir(&fixture("small-en"), &site, &[".tiendo-cache"]);
    let mut session = Session::new(BuildOptions { root: site.clone(), output: base.join("out"), base_url: None });
    let first = session.rebuild(true).unwrap();
    assert_eq!((first.images, first.drawn), (0, 0), "serve does not wait for pictures");
    assert!(session.draw_pictures());
    let cache = site.join(".tiendo-cache/share");
    let count = || {
        fs::read_dir(&cache).map_or(0, |d| {
            d.filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".png"))).count()
        })
    };
    let started = std::time::Instant::now();
    while count() < 9 {
        assert!(started.elapsed().as_secs() < 60, "the pictures were not drawn");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let next = session.rebuild(true).unwrap();
    assert_eq!((next.images, next.drawn), (9, 0), "the next build takes them from the cache");
    assert!(base.join("out/share/localities/north.png").is_file());
}
