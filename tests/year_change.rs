//! A site crossing into a new year: `tests/fixtures/year-change` laid over the English
//! site (2024 and 2025 with targets, a year-end report for 2025) adds a January 2026
//! report with no 2026 targets yet and a new indicator. January must be published, with
//! a warning and without progress; adding the targets file turns the same January into
//! standings. Expected values are worked out from the fixture's figures.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// The site of the fixture in a fresh folder, with the 2026 targets when `targets`.
fn site(name: &str, targets: bool) -> PathBuf {
    let dir = temp_dir(name).join("site");
    copy_dir(&fixture("small-en"), &dir, &[]);
    copy_dir(&fixture("year-change").join("data"), &dir.join("data"), &[]);
    if targets {
        std::fs::copy(fixture("year-change").join("targets-2026.yaml"), dir.join("data/targets/2026.yaml")).unwrap();
    }
    dir
}

fn built(site: &Path) -> (PathBuf, std::process::Output) {
    let out = site.parent().unwrap().join("public");
    let o = build(site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    (out, o)
}

#[test]
fn january_without_targets_is_published_with_its_figures_and_a_warning() {
    let (out, o) = built(&site("year-january", false));
    let warning = "warning: data/reports/2026-01.yaml: there are no targets for 2026 yet\n  = help: the site shows \
                   the 2026 figures without progress or status until data/targets/2026.yaml is added";
    assert!(stderr(&o).contains(warning), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches("no targets for").count(), 1, "said once for the year");

    let html = read(out.join("localities/north/index.html"));
    let north = text_of(&html);
    for expected in [
        // Said once, and then each figure in a short sentence.
        "The 2026 targets are not published yet: figures only, no progress or status. \
         North Ward: 790 people in Enrolment as of 31 Jan 2026. North Ward: 9,040 people",
        // The latest figure, the change since December, and 2025's final result.
        "So far 790 people Change +30 people since 31 Dec 2025 Last year 2025 (to 31 Dec 2025): 760 people, 76.00% of the target.",
        // The new indicator, which has no 2025 targets and needed none.
        "North Ward: 12 people in Volunteers as of 31 Jan 2026",
        "2026: figures of every report for North Ward (the 2026 targets are not published yet)",
    ] {
        assert!(north.contains(expected), "{expected:?} not in {north}");
    }
    // South Commune trained no one more since December.
    let south = text_of(&read(out.join("localities/south/index.html")));
    assert!(south.contains("So far 104 people Change unchanged since 31 Dec 2025"), "{south}");
    // Once above the figures, once in the caption of 2026's history; and on the area's page.
    assert_eq!(north.matches("targets are not published yet").count(), 2, "{north}");
    let area = text_of(&read(out.join("groups/east-bank/index.html")));
    assert!(area.contains("East Bank 2 wards and communes. The 2026 targets are not published yet"), "{area}");
    // No progress, status or chart for 2026; 2025's history still has its progress.
    let history_2026 = &html[html.find("<caption>2026:").unwrap()..];
    let history_2026 = &history_2026[..history_2026.find("</table>").unwrap()];
    assert!(!history_2026.contains("% of target"), "{history_2026}");
    assert!(!html.contains("class=\"chart-box chart\""));
    assert!(!north.contains("On track") && !north.contains("At risk") && !north.contains("Behind"), "{north}");

    // figures.csv has January's rows, their progress columns empty.
    let rows = csv(&read(out.join("data/figures.csv")));
    let january: Vec<_> = rows.iter().filter(|r| r["as_of"] == "2026-01-31").collect();
    assert_eq!(january.len(), 5 * 4, "the city and four units, four indicators");
    for r in &january {
        assert!(!r["value"].is_empty());
        for empty in
            ["target", "progress_percent", "remaining", "status", "base", "rate_percent", "target_rate_percent"]
        {
            assert_eq!(r[empty], "", "{empty} of {r:?}");
        }
    }
    assert_eq!(row(&rows, "2026-01-31", "north", "volunteers")["value"], "12");
    // No volunteers row before 2026: the indicator starts there.
    assert!(!rows.iter().any(|r| r["indicator_id"] == "volunteers" && r["year"] != "2026"));

    // The home page says it once, and the ranking waits for the targets.
    let home = text_of(&read(out.join("index.html")));
    assert!(home.contains("Main points The 2026 targets are not published yet"), "{home}");
    assert!(
        home.contains(
            "2,180 people as of 31 Jan 2026 2025 (to 31 Dec 2025): 2,130 people, 81.92% of the target. +50 people"
        ),
        "{home}"
    );
    let ranking = text_of(&read(out.join("indicators/enrolment/index.html")));
    assert!(ranking.contains("The 2026 targets are not published yet: the ranking will follow them."), "{ranking}");
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_targets_file_turns_the_same_january_into_standings() {
    let (out, o) = built(&site("year-targets", true));
    assert!(!stderr(&o).contains("no targets"), "{}", stderr(&o));
    let rows = csv(&read(out.join("data/figures.csv")));
    let r = row(&rows, "2026-01-31", "north", "enrolment");
    // 790 of 1,100: 71.82 %, 310 to go; a single report in 2026, so no trend yet.
    assert_eq!(
        (r["target"].as_str(), r["progress_percent"].as_str(), r["remaining"].as_str(), r["status"].as_str()),
        ("1100", "71.82", "310", "no-trend")
    );
    assert_eq!(row(&rows, "2026-01-31", "north", "volunteers")["status"], "no-trend");
    let north = text_of(&read(out.join("localities/north/index.html")));
    assert!(north.contains("North Ward has reached 71.82% of its 2026 Enrolment target; 310 people are still needed."));
    assert!(north.contains("31 Jan 2026 790 71.82%"), "the history has its progress: {north}");
}

#[test]
fn every_past_year_keeps_its_final_results_under_years() {
    let (out, _) = built(&site("year-archive", false));
    // 2025's final standings, as of its last report, in the unit's page, under this
    // year's table: a unit has one page, with every year on it.
    assert!(!out.join("years/2025/localities").exists() && !out.join("years/2024/localities").exists());
    let html = read(out.join("localities/north/index.html"));
    let part = |from: &str, to: &str| {
        let start = html.find(from).unwrap();
        text_of(&html[start..start + html[start..].find(to).unwrap()])
    };
    let y2025 = part("<h3 id=\"y2025\">", "<h3 id=\"y2024\">");
    for expected in [
        "2025 results",
        // A result, not a forecast (SPEC §2).
        "In 2025, North Ward reached 76.00% of its Enrolment target: missed, 240 people short \
         (result as of 31 Dec 2025). ✖ Missed",
        "Rankings of that year: Enrolment · Health insurance · Training",
        // The year's figures, report by report, against its own targets: the result on
        // its last.
        "2025: figures of every report for North Ward, against the 2025 targets Report date Enrolment: people \
         Enrolment: % of target",
        "31 Dec 2025 760 76.00% 9,010 100.11% 195 97.50% 30 Sep 2025 700 70.00%",
    ] {
        assert!(y2025.contains(expected), "{expected:?} not in {y2025}");
    }
    for forecast in ["At risk", "Behind", "On track", "No trend", "If this pace holds", "on the path", "per month"] {
        assert!(!y2025.contains(forecast), "{forecast:?} in {y2025}");
    }
    // Nothing of 2026 in 2025's part: no January, no indicator that started after it.
    assert!(!y2025.contains("2026") && !y2025.contains("Volunteers"), "{y2025}");
    // This year's table comes first, and 2024's last.
    let history = part("<section aria-labelledby=\"h-history\">", "</section>");
    assert!(history.find("31 Jan 2026 790").unwrap() < history.find("2025 results").unwrap());
    assert!(history.find("2025 results").unwrap() < history.find("2024 results").unwrap());
    assert!(history.contains("In 2024, North Ward reached 25.00% of its Enrolment target: missed"), "{history}");
    // Its rankings link to that year's pages, and those link back to this part.
    let rankings = &html[html.find("Rankings of that year").unwrap()..];
    let rankings = &rankings[..rankings.find("</p>").unwrap()];
    assert_eq!(common::attributes(rankings, "href")[0], "../../years/2025/indicators/enrolment/index.html");
    let ranking_2025 = read(out.join("years/2025/indicators/enrolment/index.html"));
    assert!(ranking_2025.contains("href=\"../../../../localities/north/index.html#y2025\""));
    // No unit's chart of an earlier year: its figures are in the table.
    assert!(!out.join("years/2025/charts").exists());

    // The ranking of 2025, best first, with North Ward's final progress.
    let ranking = text_of(&read(out.join("years/2025/indicators/enrolment/index.html")));
    assert!(ranking.contains("3 North Ward 760 1,000 76.00% ✖ Missed"), "{ranking}");
    assert!(!out.join("years/2025/indicators/volunteers").exists(), "2025 had no volunteers");
    let home = text_of(&read(out.join("years/2025/index.html")));
    assert!(home.contains("Progress toward the 2025 targets — Riverside City"), "{home}");
    assert!(home.contains("81.92% of the 2,600 people target; 2,130 people so far"), "{home}");
    // 2024's too, linked from 2025's.
    let home_2024 = text_of(&read(out.join("years/2024/index.html")));
    assert!(home_2024.contains("These are the 2024 results"), "{home_2024}");

    // The unit's page leads to each earlier year's part of its history, newest first.
    let years = &html[html.find("<nav class=\"years\"").unwrap()..];
    let years = &years[..years.find("</nav>").unwrap()];
    assert_eq!(
        common::attributes(years, "href"),
        ["../../localities/north/index.html#y2025", "../../localities/north/index.html#y2024"]
    );
    assert!(text_of(years).contains("2025 results 2024 results"));
    assert!(!read(out.join("indicators/volunteers/index.html")).contains("class=\"years\""));
    // Every earlier year's page is in the sitemap.
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/progress/years/2025/indicators/enrolment/</loc>"));
    assert!(!sitemap.contains("years/2025/localities/"));
    assert!(sitemap.contains("<loc>https://example.org/progress/years/2025/</loc>"));
    assert!(!sitemap.contains("years/2025/indicators/volunteers"));
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// The figures, charts, comparisons, bars and tables the built-in templates would write,
/// written in Rust for speed: a site with copies of those templates as its own (so they
/// go through Tera) must be built byte for byte the same. This site has every kind of
/// figure: with standings, without a figure, without targets yet, and earlier years'.
#[test]
fn what_is_written_in_rust_is_exactly_what_the_built_in_templates_write() {
    for (name, root) in [("year-templates", site("year-templates", false)), ("sample-templates", repo())] {
        let dir = temp_dir(&format!("{name}-builds"));
        let own = dir.join("own");
        // The site's own files only (the sample shares its folder with the code).
        for part in ["data", "content", "templates"] {
            if root.join(part).is_dir() {
                copy_dir(&root.join(part), &own.join(part), &[]);
            }
        }
        std::fs::copy(root.join("site.yaml"), own.join("site.yaml")).unwrap();
        std::fs::create_dir_all(own.join("templates")).unwrap();
        for t in ["figure.html", "chart.html", "compare.html", "bars.html", "table-rows.html", "unit-table.html"] {
            std::fs::copy(repo().join("templates").join(t), own.join("templates").join(t)).unwrap();
        }
        let (fast, through_tera) = (dir.join("fast"), dir.join("tera"));
        assert!(build(&root, &fast).status.success());
        assert!(build(&own, &through_tera).status.success());
        assert_identical(&fast, &through_tera);
    }
}
