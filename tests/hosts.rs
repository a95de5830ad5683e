//! What common static hosts accept: no file may grow with the years a site has been
//! published (Cloudflare Pages takes at most 25 MiB a file), and each year adds only its
//! own archive pages and its own file of figures.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use common::*;

/// A site of `units` units and two indicators, with monthly reports and targets for each
/// of `years` years ending with 2025.
fn many_years(dir: &Path, units: usize, years: i32) {
    let write = |path: &str, text: &str| {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("site.yaml", "title: \"Tiến độ qua nhiều năm\"\nlanguage: vi\n");
    let mut localities = String::from("city: { id: thanh-pho, name: \"Thành phố\" }\nlocalities:\n");
    for k in 0..units {
        let _ = writeln!(localities, "  - {{ id: u{k}, name: \"Phường Số {k}\", kind: ward }}");
    }
    write("data/localities.yaml", &localities);
    write(
        "data/indicators.yaml",
        "- { id: members, name: \"Người tham gia\", short: \"Tham gia\", unit: \"người\", kind: count }\n\
         - { id: trained, name: \"Người được tập huấn\", short: \"Tập huấn\", unit: \"người\", kind: count }\n",
    );
    for year in 2026 - years..2026 {
        let mut targets = format!("year: {year}\ndue: {year}-12-31\ntargets:\n");
        for k in 0..units {
            let _ = writeln!(targets, "  u{k}: {{ members: {}, trained: 60 }}", 1000 + k);
        }
        write(&format!("data/targets/{year}.yaml"), &targets);
        for month in 1..=12u32 {
            let last = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1];
            let mut report = format!("as_of: {year}-{month:02}-{last}\nfigures:\n");
            for k in 0..units {
                let members = 80 * month as usize + (k * 37) % 90;
                let _ = writeln!(report, "  u{k}: {{ members: {members}, trained: {} }}", 4 * month);
            }
            write(&format!("data/reports/{year}-{month:02}.yaml"), &report);
        }
    }
}

/// Each file of the site built from `many_years(units, years)`, with its size.
fn built(name: &str, units: usize, years: i32) -> BTreeMap<String, u64> {
    let dir = temp_dir(name);
    let (site, out) = (dir.join("site"), dir.join("public"));
    many_years(&site, units, years);
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    files(&out).into_iter().map(|f| (f.clone(), std::fs::metadata(out.join(&f)).unwrap().len())).collect()
}

#[test]
fn no_file_grows_with_the_years_a_site_has() {
    let (units, few, many) = (100, 2, 7);
    let short = built("hosts-few-years", units, few);
    let long = built("hosts-many-years", units, many);
    let largest = |site: &BTreeMap<String, u64>| site.iter().max_by_key(|&(_, &n)| n).map(|(f, &n)| (f.clone(), n));
    let (a, b) = (largest(&short).unwrap(), largest(&long).unwrap());
    // The largest file is one year's: five more years leave it within a few percent.
    assert!(b.1 <= a.1 + a.1 / 20, "{a:?} with {few} years, {b:?} with {many}");

    // Every year has its own file of figures, each holding its year only.
    let figures: Vec<&String> = long.keys().filter(|f| f.starts_with("data/figures")).collect();
    assert_eq!(figures.len(), many as usize, "{figures:?}");
    let (first, last) = (long["data/figures-2019.csv"], long["data/figures-2024.csv"]);
    assert!(first.abs_diff(last) < last / 100, "a year's file is the same size each year: {first}, {last}");
    assert!(long["data/figures.csv"].abs_diff(last) < last / 100);
    assert!(long.keys().all(|f| !f.ends_with(".json")), "the figures are not written twice");

    // Each earlier year adds its pages (home, indicators) and its file of figures:
    // nothing else. Its units' figures go into their pages' histories, a table a year:
    // at 1,000 years a unit's page would still be a ninth of Cloudflare Pages' 25 MiB.
    let added = long.len() - short.len();
    let per_year = 1 + 2 + 1;
    assert_eq!(added, (many - few) as usize * per_year, "{added} files for {} more years", many - few);
    let (page, page_later) = (short["localities/u0/index.html"], long["localities/u0/index.html"]);
    let per_year = (page_later - page) / (many - few) as u64;
    assert!(page + per_year * 1_000 < (25 << 20) / 9, "{page} bytes, {per_year} more a year");
    assert!(long.keys().all(|f| !f.starts_with("data/localities/")), "nor are a unit's rows");
}
