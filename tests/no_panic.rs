//! Whatever the bytes of the input files, tiendo reports problems and never panics.
//!
//! Thousands of random mutations of a valid site (byte flips, deletions, insertions of
//! random bytes and of tokens that YAML and Markdown treat specially, duplicated and
//! swapped lines) run through the same path a build takes: decode, parse, validate,
//! and for inputs that are still valid, compute, export, draw charts and render Markdown.
//! A panic anywhere fails the test; the seed and file of the failing case are printed.

mod common;

use tiendo::diag::Diagnostics;
use tiendo::load::{self, Input};
use tiendo::{charts, compute, export, format, markdown, model, validate};

/// A small deterministic generator (xorshift64*), so every run tries the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

const TOKENS: &[&str] = &[
    "-",
    "-1",
    "1e999",
    "-1e999",
    ".nan",
    ".inf",
    "99999999999999999999999999",
    "1.215",
    "1,215",
    "0",
    "0.0",
    ":",
    ": ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "&a [1, *a, *a]",
    "<<: *a",
    "\t",
    "\"",
    "'",
    "~",
    "null",
    "yes",
    "NO",
    "2025-02-30",
    "2025-13-01",
    "9999-12-31",
    "\u{0}",
    "\n- ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "!!str ",
    "!!binary ",
    "? ",
    "|\n  ",
    ">-\n  ",
    "#",
    "\r",
    "\u{feff}",
    "é",
    "ệ",
    "\u{301}",
    "<script>",
    "javascript:",
    "[x](javascript:alert(1))",
    "<!--",
    "[^1]",
    "[^1]: x",
    "> > > > > > >",
    "- - - - - - -",
    "```",
    "|a|b|\n|-|-|\n",
    "***",
    "rate: 100.00001",
    "base: 0",
    "voluntary-si",
    "enrolment",
    "north",
    "as_of: 2025-09-30\n",
    "year: 2025\n",
];

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    match rng.below(7) {
        0 if !bytes.is_empty() => {
            let i = rng.below(bytes.len());
            bytes[i] = rng.next() as u8;
        }
        1 if !bytes.is_empty() => {
            let i = rng.below(bytes.len());
            let n = 1 + rng.below(16.min(bytes.len() - i));
            bytes.drain(i..i + n);
        }
        2 => {
            let i = rng.below(bytes.len() + 1);
            let n = 1 + rng.below(8);
            let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            bytes.splice(i..i, junk);
        }
        3 | 4 => {
            let i = rng.below(bytes.len() + 1);
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes().to_vec();
            bytes.splice(i..i, token);
        }
        5 => {
            // Duplicate a line.
            let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
            if !lines.is_empty() {
                let k = rng.below(lines.len());
                let mut out = Vec::with_capacity(bytes.len() * 2);
                for (j, l) in lines.iter().enumerate() {
                    out.extend_from_slice(l);
                    if j == k {
                        out.extend_from_slice(l);
                    }
                }
                *bytes = out;
            }
        }
        _ => {
            // Swap two lines.
            let mut lines: Vec<Vec<u8>> = bytes.split_inclusive(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
            if lines.len() > 1 {
                let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(a, b);
                *bytes = lines.concat();
            }
        }
    }
}

/// The input files of a fixture, as (relative path, bytes).
fn site_files(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    common::files(root).into_iter().map(|rel| (rel.clone(), std::fs::read(root.join(&rel)).unwrap())).collect()
}

/// The load stage, from bytes in memory instead of a folder, through load's own dispatch;
/// and whatever the table scanner accepts, it must read exactly as the YAML parser does.
fn load_from(files: &[(String, Vec<u8>)], diags: &mut Diagnostics) -> Input {
    for (rel, bytes) in files {
        let Ok(file) = load::decode(rel.clone(), bytes.clone()) else { continue };
        match load::Kind::of(rel) {
            Some(load::Kind::Report) => {
                if let Ok(fast) = load::reports::scan(&file.text) {
                    let slow: Result<load::reports::RawReport, _> = load::yaml::parse(&file, &file.text);
                    assert_eq!(Ok(&fast), slow.as_ref(), "fast path differs on:\n{}", file.text);
                }
            }
            Some(load::Kind::Targets) => {
                if let Ok(fast) = load::targets::scan(&file.text) {
                    let slow: Result<load::targets::RawTargets, _> = load::yaml::parse(&file, &file.text);
                    assert_eq!(Ok(&fast), slow.as_ref(), "fast path differs on:\n{}", file.text);
                }
            }
            _ => {}
        }
    }
    load::load_files(files.to_vec(), diags)
}

/// Everything after validation that does not touch the disk.
fn downstream(site: &model::Site) {
    let computed = compute::compute(site);
    let rows = export::rows(site, &computed);
    let lines = export::csv_rows(site, &rows);
    assert_eq!(lines.starts.len(), rows.len());
    assert!((0..rows.len()).all(|k| lines.line(k).ends_with('\n')), "every row is a whole line");
    let fmt = format::Fmt::new(site.config.language);
    let labels =
        charts::TrendLabels { actual: "a".into(), target: "t".into(), expected: "e".into(), projection: "p".into() };
    if let Some(year) = computed.current() {
        for series in year.units.iter().map(|(_, _, s)| s).chain(&year.city).take(8) {
            // A chart is drawn for a series with a target.
            let Some(goal) = &series.goal else { continue };
            let trend = charts::Trend {
                id: "c",
                title: "title of the chart",
                desc: "d",
                series,
                goal,
                year: year.year,
                due: year.due,
                as_rate: goal.base.is_some(),
                closed: year.closed,
                labels: &labels,
                fmt,
            };
            let html = charts::trend_html(&trend);
            assert!(html.contains("</svg>") && html.ends_with("</div>\n"));
        }
    }
    for doc in site.content.localities.iter().flatten().chain(&site.content.updates).chain(&site.content.pages) {
        let _ = markdown::render(&doc.markdown, 1, "n-");
    }
}

fn run(files: &[(String, Vec<u8>)]) -> bool {
    let mut diags = Diagnostics::new();
    let input = load_from(files, &mut diags);
    match validate::validate(input, &mut diags) {
        Some(site) => {
            assert!(!diags.has_errors(), "a model was returned despite errors");
            downstream(&site);
            true
        }
        None => {
            assert!(diags.has_errors(), "validation failed without saying why");
            for d in diags.into_sorted() {
                assert!(
                    !d.file.is_empty() && !d.message.to_string().is_empty(),
                    "a diagnostic without file or message: {d:?}"
                );
                let _ = d.to_string();
            }
            false
        }
    }
}

#[test]
fn random_mutations_never_panic() {
    let base = site_files(&common::fixture("small-en"));
    assert!(run(&base), "the unmutated fixture is valid");
    let iterations: u64 = std::env::var("TIENDO_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    let mut still_valid = 0;
    for seed in 1..=iterations {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut files = base.clone();
        let touched = 1 + rng.below(3);
        let mut names = Vec::new();
        for _ in 0..touched {
            let k = rng.below(files.len());
            names.push(files[k].0.clone());
            for _ in 0..1 + rng.below(4) {
                mutate(&mut rng, &mut files[k].1);
            }
        }
        let result = std::panic::catch_unwind(|| run(&files));
        match result {
            Ok(valid) => still_valid += usize::from(valid),
            Err(_) => panic!("panic with seed {seed} after mutating {names:?}"),
        }
    }
    // Some mutations leave the site valid (in comments, in text): those went all the way through.
    assert!(still_valid > 0);
}

#[test]
fn hostile_inputs_are_errors_not_crashes() {
    let base = site_files(&common::fixture("small-en"));
    let replace = |rel: &str, text: String| {
        let mut files = base.clone();
        for f in &mut files {
            if f.0 == rel {
                f.1 = text.clone().into_bytes();
            }
        }
        files
    };
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
    let cases = vec![
        replace("data/reports/2025-09.yaml", nested.clone()),
        replace("data/reports/2025-09.yaml", bomb.to_owned()),
        replace("data/localities.yaml", format!("{}x", "- ".repeat(50_000))),
        replace("data/reports/2025-09.yaml", "as_of: 2025-09-30\nfigures:\n  north: { enrolment: 1e400 }\n".into()),
        replace("data/reports/2025-09.yaml", String::new()),
        replace("site.yaml", "\u{feff}\u{feff}title: x\n".into()),
        replace("content/localities/north.md", ">".repeat(100_000)),
        replace("content/localities/north.md", "- ".repeat(100_000)),
        replace("content/localities/north.md", "[".repeat(100_000)),
        replace("content/localities/north.md", "*a".repeat(50_000)),
        replace("content/updates/q3-2025.md", format!("---\n{nested}\n---\n")),
    ];
    for (k, files) in cases.iter().enumerate() {
        let result = std::panic::catch_unwind(|| run(files));
        assert!(result.is_ok(), "hostile case {k} panicked");
    }
    // The alias bomb is refused, with its file named.
    let mut diags = Diagnostics::new();
    let input = load_from(&cases[1], &mut diags);
    assert!(validate::validate(input, &mut diags).is_none());
    assert!(diags.iter().any(|d| d.file == "data/reports/2025-09.yaml"));
}
