//! The whole output of one small site, byte for byte: every page, chart and data file of
//! `tests/fixtures/small-en` as it is kept in `tests/snapshots/small-en/`. A change to the
//! code that changes any output shows here as a failure, and as a diff once blessed.
//! After an intended change, `TIENDO_BLESS=1 cargo test --test snapshot` rewrites the
//! snapshot; review the diff before committing it.

mod common;

use common::*;

#[test]
fn the_small_site_is_built_exactly_as_its_snapshot() {
    let out = temp_dir("snapshot").join("public");
    build(&fixture("small-en"), &out);
    let snapshot = repo().join("tests/snapshots/small-en");
    if std::env::var_os("TIENDO_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&snapshot);
        // The marker names the folder it is in: not part of what is kept.
        copy_dir(&out, &snapshot, &[MARKER]);
        return;
    }
    let (built, kept) = (files(&out), files(&snapshot));
    let built: std::collections::BTreeSet<String> = built.into_iter().filter(|f| f != MARKER).collect();
    let missing: Vec<_> = kept.difference(&built).collect();
    let extra: Vec<_> = built.difference(&kept).collect();
    assert!(missing.is_empty() && extra.is_empty(), "files no longer written: {missing:?}; new files: {extra:?}");
    let changed: Vec<&String> =
        built.iter().filter(|f| std::fs::read(out.join(f)).ok() != std::fs::read(snapshot.join(f)).ok()).collect();
    assert!(changed.is_empty(), "{} files differ from the snapshot: {changed:?}", changed.len());
}
