//! Shared helpers for the end-to-end tests: run the real binary on a fixture site
//! and inspect what it wrote.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// A fresh, empty folder for one test. Those of the same test left by earlier runs of the
/// tests, whose process has ended, are removed: they would otherwise pile up in the
/// temporary folder, some megabytes each, run after run.
pub fn temp_dir(name: &str) -> PathBuf {
    let parent = std::env::temp_dir();
    let prefix = format!("tiendo-test-{name}-");
    if cfg!(target_os = "linux")
        && let Ok(entries) = std::fs::read_dir(&parent)
    {
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let pid = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)).and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|pid| pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = parent.join(format!("{prefix}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn tiendo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo")).args(args).output().expect("the tiendo binary runs")
}

/// Builds `root` into `out`, failing the test with the program's messages if the build fails.
pub fn build(root: &Path, out: &Path) -> Output {
    let o = tiendo(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "build failed:\n{}\n{}", stdout(&o), stderr(&o));
    o
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, as `/`-separated relative paths, sorted.
pub fn files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.insert(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    out
}

/// Copies the folder `from` into `to`, leaving out entries with one of the names in `skip`.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target, skip);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The values of every `name="..."` attribute in `html`.
pub fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// Internal links (`href`, `src`) of every page that do not resolve to a file of the site,
/// and fragments that name no element of their page. External links are left alone;
/// a root-absolute link (`/x`) is a failure: it breaks when the site is not at the root.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for page in files(site).into_iter().filter(|f| f.ends_with(".html")) {
        let html = read(site.join(&page));
        let dir = Path::new(&page).parent().unwrap_or(Path::new("")).to_path_buf();
        for link in attributes(&html, "href").into_iter().chain(attributes(&html, "src")) {
            let link = link.replace("&amp;", "&");
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") || link == "#"
            {
                continue;
            }
            // 404.html is served at any depth: without a base URL it links from the host's
            // root, where the site is when hosts serve it. Every other link is relative.
            let from_root = page == "404.html" && link.starts_with('/');
            if link.starts_with('/') && !from_root {
                broken.push(format!("{page}: root-absolute link {link}"));
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target_page = match path {
                "" => page.clone(),
                _ if from_root => normalise(Path::new(path.trim_start_matches('/'))),
                _ => normalise(&dir.join(path)),
            };
            let target = site.join(&target_page);
            if !target.is_file() {
                broken.push(format!("{page}: {link} (no file {target_page})"));
                continue;
            }
            if !fragment.is_empty() && target_page.ends_with(".html") {
                let target_html = read(&target);
                if !target_html.contains(&format!("id=\"{fragment}\"")) {
                    broken.push(format!("{page}: {link} (no element with id {fragment})"));
                }
            }
        }
    }
    broken
}

fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// Charts on pages without a text alternative or without a table of their numbers beside them,
/// and standalone chart files without a text alternative.
pub fn chart_problems(site: &Path) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut charts = 0;
    for file in files(site).into_iter().filter(|f| f.ends_with(".svg") || f.ends_with(".html")) {
        let text = read(site.join(&file));
        if file.ends_with(".svg") && file.starts_with("charts/") {
            if !has_text_alternative(&text) {
                problems.push(format!("{file}: no text alternative"));
            }
            continue;
        }
        if !file.ends_with(".html") {
            continue;
        }
        let mut rest = text.as_str();
        while let Some(i) = rest.find("<svg") {
            let svg_end = rest[i..].find("</svg>").map(|e| i + e + 6).unwrap_or(rest.len());
            let svg = &rest[i..svg_end];
            // Maps and their legends are not charts: a map's text alternative is the
            // ranking, and its areas are links with names of their own (see `maps.rs`).
            let open = &svg[..svg.find('>').unwrap_or(svg.len())];
            if open.contains("class=\"map")
                || open.contains("class=\"locator\"")
                || open.contains("aria-hidden=\"true\"")
            {
                rest = &rest[svg_end..];
                continue;
            }
            charts += 1;
            if !has_text_alternative(svg) {
                problems.push(format!("{file}: a chart has no text alternative"));
            }
            // The chart's figure is followed by the table of its numbers, folded away.
            let after = &rest[svg_end..];
            let next = after.find("</figure>").map(|f| after[f + 9..].trim_start());
            let table = next
                .and_then(|n| n.strip_prefix("<details class=\"data\">"))
                .and_then(|n| n.find("</details>").map(|end| &n[..end]));
            if !table.is_some_and(|t| t.contains("<table style=\"--c1: ") && t.contains("<td>")) {
                problems.push(format!("{file}: a chart has no table beside it"));
            }
            rest = after;
        }
    }
    (charts, problems)
}

fn has_text_alternative(svg: &str) -> bool {
    let Some(title_start) = svg.find("<title id=\"") else { return false };
    let title = &svg[title_start..];
    let text = title.split_once('>').map_or("", |(_, t)| t.split("</title>").next().unwrap_or(""));
    svg.contains("role=\"img\"")
        && svg.contains("aria-labelledby=\"")
        && text.trim().len() > 10
        && svg.contains("<desc id=\"")
}

/// The rows of a CSV file as maps from column name to value (quotes removed).
pub fn csv(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<String> = fields(lines.next().unwrap_or(""));
    lines.map(|l| header.iter().cloned().zip(fields(l)).collect()).collect()
}

fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The row of `rows` for this date, locality and indicator.
pub fn row<'a>(
    rows: &'a [BTreeMap<String, String>],
    as_of: &str,
    locality: &str,
    indicator: &str,
) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["as_of"] == as_of && r["locality_id"] == locality && r["indicator_id"] == indicator)
        .unwrap_or_else(|| panic!("no row for {as_of} {locality} {indicator}"))
}

/// Text of an HTML page as a reader sees it: tags and scripts removed, whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut visible = String::with_capacity(html.len());
    let mut rest = html;
    // Scripts and styles are not read.
    while let Some(i) = [rest.find("<script"), rest.find("<style")].into_iter().flatten().min() {
        visible.push_str(&rest[..i]);
        let end = if rest[i..].starts_with("<script") { "</script>" } else { "</style>" };
        rest = rest[i..].find(end).map_or("", |e| &rest[i + e + end.len()..]);
    }
    visible.push_str(rest);
    let html = visible.as_str();
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The file that marks a folder as tiendo's: it names the folder it was written for, so
/// two builds of one site into two folders differ in it alone.
pub const MARKER: &str = ".tiendo-site";

/// Every file of a site folder with its bytes, but the marker (see [`MARKER`]).
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let files = files(dir).into_iter().filter(|f| f != MARKER);
    files.map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

/// Asserts that two site folders hold the same files with the same bytes, but for the
/// marker (see [`MARKER`]).
pub fn assert_identical(a: &Path, b: &Path) {
    let fa = files(a);
    assert_eq!(fa, files(b), "the two builds wrote different files");
    for f in fa.iter().filter(|f| *f != MARKER) {
        let (x, y) = (std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap());
        assert!(x == y, "{f} differs between two builds of the same input");
    }
}

/// [`tiendo`] with its messages in English (`--lang en`), for tests that read them.
pub fn tiendo_en(args: &[&str]) -> Output {
    let mut args = args.to_vec();
    args.extend(["--lang", "en"]);
    tiendo(&args)
}

/// A generated site of `n` units `u0`, `u1`, … of `city` (its YAML mapping), each
/// described by `unit(k)` (the rest of its entry after the id), with `settings` as
/// site.yaml: one count indicator `members`, targets of 1,000 for 2025, and reports of
/// June and September whose figures differ from unit to unit.
pub fn generated_site(dir: &Path, n: usize, settings: &str, city: &str, unit: impl Fn(usize) -> String) {
    use std::fmt::Write as _;
    let mut localities = format!("city: {city}\nlocalities:\n");
    let (mut targets, mut june, mut sept) = (String::new(), String::new(), String::new());
    for k in 0..n {
        let _ = writeln!(localities, "  - {{ id: u{k}, {} }}", unit(k));
        let _ = writeln!(targets, "  u{k}: {{ members: 1000 }}");
        let _ = writeln!(june, "  u{k}: {{ members: {} }}", 300 + (k * 37) % 500);
        let _ = writeln!(sept, "  u{k}: {{ members: {} }}", 400 + (k * 37) % 900);
    }
    let write = |path: &str, text: &str| {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("site.yaml", settings);
    write("data/localities.yaml", &localities);
    write(
        "data/indicators.yaml",
        "- { id: members, name: \"Người tham gia\", short: \"Tham gia\", unit: \"người\", kind: count }\n",
    );
    write("data/targets/2025.yaml", &format!("year: 2025\ndue: 2025-12-31\ntargets:\n{targets}"));
    write("data/reports/2025-06.yaml", &format!("as_of: 2025-06-30\nfigures:\n{june}"));
    write("data/reports/2025-09.yaml", &format!("as_of: 2025-09-30\nfigures:\n{sept}"));
}
