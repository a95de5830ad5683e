//! Broken sites and what tiendo says about them.
//!
//! Each folder of `tests/fixtures/invalid/` (except `_base`) is one broken site: the
//! valid `_base` site with the folder's files laid over it, and the paths listed in
//! its `remove.txt` deleted. `expected.txt` holds the exit status and everything
//! `tiendo check --lang en` prints, and `expected.vi.txt` what `tiendo check` prints
//! in the site's language, Vietnamese; both must match exactly, and the Vietnamese
//! must have no English word of tiendo's own. To rewrite the expectations after an
//! intended change of wording, run with `TIENDO_BLESS=1` and review the diff.

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::*;

const EXPECTED: &str = "expected.txt";
const EXPECTED_VI: &str = "expected.vi.txt";
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
    copy_dir(case, &site, &[EXPECTED, EXPECTED_VI, REMOVE]);
    site
}

/// Compares `actual` with the case's file `expected`, or rewrites it when blessing.
fn compare(case: &Path, expected: &str, actual: &str) -> Option<String> {
    if std::env::var_os("TIENDO_BLESS").is_some() {
        std::fs::write(case.join(expected), actual).unwrap();
        return None;
    }
    let wanted = std::fs::read_to_string(case.join(expected)).unwrap_or_default();
    let name = case.file_name().unwrap().to_string_lossy();
    (wanted != actual).then(|| format!("{name} ({expected}): expected\n{wanted}\n--- but got\n{actual}"))
}

/// The words of a catalogue's messages, without their `{placeholders}`.
fn catalogue_words(code: &str) -> HashSet<String> {
    let text = std::fs::read_to_string(repo().join(format!("templates/messages/{code}.yaml"))).unwrap();
    let values =
        text.lines().filter(|l| !l.trim_start().starts_with('#')).filter_map(|l| l.split_once(": ").map(|(_, v)| v));
    let mut words = HashSet::new();
    for value in values {
        let mut without = String::new();
        let mut depth = 0;
        for c in value.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth = usize::saturating_sub(depth, 1),
                c if depth == 0 => without.push(c),
                _ => {}
            }
        }
        words.extend(ascii_words(&without));
    }
    words
}

/// The lowercased words of `text` written in ASCII letters only: Vietnamese words with
/// diacritics are never among them.
fn ascii_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_lowercase)
        .collect()
}

/// The English words of tiendo's own in `output` (what `check` printed in Vietnamese):
/// words of the English catalogue that the Vietnamese one never uses, outside what
/// comes from the input (quoted values, file names, the lines of the file shown).
fn english_in(output: &str, english: &HashSet<String>, vietnamese: &HashSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for line in output.lines() {
        // The file's own line under a message, and the caret under it.
        if line.trim_start().split_once(" |").is_some_and(|(n, _)| n.trim().chars().all(|c| c.is_ascii_digit())) {
            continue;
        }
        let mut outside = String::new();
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if matches!(c, '`' | '"') => quote = Some(c),
                None => outside.push(c),
            }
        }
        // File names, and the keys of the format in examples (`date:`), are not words.
        let words =
            outside.split_whitespace().filter(|t| !t.contains('/') && !t.contains(".yaml") && !t.ends_with(':'));
        for token in words {
            for word in ascii_words(token) {
                if english.contains(&word) && !vietnamese.contains(&word) {
                    found.push(format!("{word:?} in {line:?}"));
                }
            }
        }
    }
    found
}

#[test]
fn warnings_are_printed_and_the_build_goes_on() {
    let case = fixture("warnings");
    let site = assemble(&case);
    let out = site.parent().unwrap().join("public");
    let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    let actual = format!("exit: {}\n{}", o.status.code().unwrap_or(-1), stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{actual}");
    assert!(out.join("localities/my-tu/index.html").is_file());
    // One of each kind of warning of SPEC §1.
    for w in [
        "Phường Long Mỹ: BHXH tự nguyện fell from 1,180 to 1,100",
        "coverage above 100 %",
        "more than three times the target",
        "Xã Mỹ Tú has no BHYT figure in the latest report",
        "every 2026 target is the same as in 2025",
    ] {
        assert!(actual.contains(w), "missing warning {w:?}:\n{actual}");
    }
    if let Some(diff) = compare(&case, EXPECTED, &actual) {
        panic!("{diff}");
    }
    // The same warnings in the site's language.
    let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    let actual = format!("exit: {}\n{}", o.status.code().unwrap_or(-1), stderr(&o));
    assert!(actual.contains("\ncảnh báo: "), "{actual}");
    let english = english_in(&actual, &catalogue_words("en"), &catalogue_words("vi"));
    assert!(english.is_empty(), "English in the Vietnamese warnings: {english:#?}\n{actual}");
    if let Some(diff) = compare(&case, EXPECTED_VI, &actual) {
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
    let (english, vietnamese) = (catalogue_words("en"), catalogue_words("vi"));
    let keys: Vec<String> = std::fs::read_to_string(repo().join("templates/messages/en.yaml"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(": ").map(|(k, _)| k.trim().to_owned()))
        .filter(|k| k.contains('_') && !k.starts_with('#') && !k.starts_with('_'))
        .collect();
    assert!(keys.len() > 200, "{} keys", keys.len());
    assert!(english.contains("locality") && vietnamese.contains("yaml") && !vietnamese.contains("locality"));
    for case in &cases {
        let site = assemble(case);
        let o = tiendo_en(&["check", "--root", site.to_str().unwrap()]);
        let actual = format!("exit: {}\n{}", o.status.code().unwrap_or(-1), stderr(&o));
        let name = case.file_name().unwrap().to_string_lossy();
        // Every broken site is refused, with at least one error that names a file.
        if o.status.code() != Some(1) || !actual.contains("\nerror: ") {
            failures.push(format!("{name}: not refused as it should be:\n{actual}"));
        }
        failures.extend(compare(case, EXPECTED, &actual));
        // In the site's language, Vietnamese, with no English of tiendo's own.
        let vi = tiendo(&["check", "--root", site.to_str().unwrap()]);
        let said = format!("exit: {}\n{}", vi.status.code().unwrap_or(-1), stderr(&vi));
        if vi.status.code() != Some(1) || !said.contains("\nlỗi: ") {
            failures.push(format!("{name}: not refused in Vietnamese as it should be:\n{said}"));
        }
        let mut left = english_in(&said, &english, &vietnamese);
        // A message without words in the catalogue would show its key.
        left.extend(keys.iter().filter(|k| said.contains(k.as_str())).map(|k| format!("the key {k}")));
        if !left.is_empty() {
            failures.push(format!("{name}: English in the Vietnamese messages: {left:#?}\n{said}"));
        }
        failures.extend(compare(case, EXPECTED_VI, &said));
        // `build` says the same and writes nothing.
        let out = site.parent().unwrap().join("public");
        let b = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
        if b.status.code() != Some(1) || stderr(&b) != stderr(&vi) || out.exists() {
            failures.push(format!("{name}: build did not fail the same way as check, or wrote output"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}
