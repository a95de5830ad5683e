//! End to end over a small English site: three indicators, two years, a unit missing
//! from one report and a unit with a single report in the year. Expected numbers are
//! computed by hand in the comments.

mod common;

use common::*;

fn built(name: &str) -> (std::path::PathBuf, std::process::Output) {
    let out = temp_dir(name).join("public");
    let o = build(&fixture("small-en"), &out);
    (out, o)
}

#[test]
fn writes_every_page_of_the_spec() {
    let (out, o) = built("small-pages");
    let all = files(&out);
    for page in [
        "index.html",
        "localities/index.html",
        "localities/by-area.html",
        "localities/by-progress-enrolment.html",
        "localities/by-progress-insured.html",
        "localities/by-progress-trained.html",
        "localities/north/index.html",
        "localities/south/index.html",
        "localities/west/index.html",
        "localities/lone/index.html",
        "indicators/index.html",
        "indicators/enrolment/index.html",
        "indicators/insured/index.html",
        "indicators/trained/index.html",
        "groups/east-bank/index.html",
        "updates/index.html",
        "updates/q3-2025/index.html",
        "updates/q2-2025/index.html",
        "methodology/index.html",
        "about/index.html",
        "404.html",
        "data/figures.csv",
        "data/figures-2024.csv",
        "assets/style.css",
        "embed/localities/west/index.html",
        "charts/indicators/trained/ranking.svg",
        // 2024's final results.
        "years/2024/index.html",
        "years/2024/indicators/enrolment/index.html",
        "years/2024/groups/east-bank/index.html",
    ] {
        assert!(all.contains(page), "missing {page}");
    }
    // A unit's 2024 is on its one page.
    assert!(!all.iter().any(|f| f.starts_with("years/2024/localities/")));
    // The draft bulletin is left out.
    assert!(!all.iter().any(|f| f.contains("old-draft")));
    // With a base URL: a sitemap of every page but 404.html, and the bulletins' Atom feed.
    let sitemap = read(out.join("sitemap.xml"));
    // 20 of 2025 and 5 of 2024.
    assert_eq!(sitemap.matches("<loc>").count(), 25);
    assert!(sitemap.contains("<loc>https://example.org/progress/localities/north/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/progress/years/2024/indicators/enrolment/</loc>"));
    let feed = read(out.join("feed.xml"));
    assert_eq!(feed.matches("<entry>").count(), 2);
    let position = |title: &str| feed.find(title).unwrap_or_else(|| panic!("{title} is not in the feed"));
    assert!(position("Third quarter 2025") < position("Second quarter 2025"), "newest first");
    assert!(feed.contains("<updated>2025-10-10T00:00:00Z</updated>"));
    assert!(!feed.contains("Not ready"));
    let pages = all.iter().filter(|f| f.ends_with(".html")).count();
    // 2025's 21, 2024's 5, and each locality's charts, to embed in another site.
    assert_eq!(pages, 21 + 5 + 4);
    assert!(stdout(&o).contains("built 30 pages, 21 charts and 9 share images"), "{}", stdout(&o));
    for l in ["north", "south", "west", "lone"] {
        assert!(all.contains(&format!("share/localities/{l}.png")), "no share image of {l}");
    }
    // Lone Island's figures fell from the end of 2024: a warning, not an error.
    assert!(
        stderr(&o).contains("warning: data/reports/2025-09.yaml:7:22: Lone Island: Enrolment fell from 180 to 120"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pages_show_the_figures_in_english() {
    let (out, _) = built("small-figures");
    let north = text_of(&read(out.join("localities/north/index.html")));
    // 700 of 1,000.
    assert!(
        north.contains("North Ward has reached 70.00% of its 2025 Enrolment target; 300 people are still needed."),
        "{north}"
    );
    // Pace: 400 people from 31 Mar to 30 Sep (183 days) = 66.53 per month; 92 days left:
    // 700 + 66.53 × 92 / 30.4375 = 901.1, which is 90.1 % of 1,000: at risk.
    assert!(north.contains("At this pace by 31 Dec 2025: 901 people Figures as of 30 Sep 2025"), "{north}");
    assert!(north.contains("300 people are still needed. Status: At risk."), "{north}");
    assert!(north.contains("30 Sep 2025 700 70.00% 798 At risk"), "{north}");
    // Expected by now: from 200 on 31 Dec 2024 to 1,000 on 31 Dec 2025; 273 of 365 days: 798.4.
    assert!(north.contains("Needed by now, on the path 798"), "{north}");
    // Coverage: 8,950 of 10,000 is 89.50 %; against 90 % that is 99.44 %; target 9,000 people.
    assert!(
        north.contains(
            "North Ward: 89.50% of the population have Health insurance, against a 2025 target of 90.00% (99.44% of the target); 50 people"
        ),
        "{north}"
    );

    let south = text_of(&read(out.join("localities/south/index.html")));
    assert!(south.contains("South Commune has reached 102.00% of its 2025 Enrolment target. ✔ Achieved"), "{south}");
    assert!(south.contains("Still needed 0 people"), "{south}");
    // 95.5 % of 4,000 = 3,820 people exactly; 3,780 is 94.50 %, 98.95 % of the target rate.
    assert!(south.contains("Target 3,820 people"), "{south}");
    assert!(
        south.contains("South Commune: 94.50% of the population have Health insurance, against a 2025 target of 95.50% (98.95% of the target)"),
        "{south}"
    );
    assert!(south.contains("Commune · code 00102 · East Bank"), "{south}");

    // Lone Island has a single report in 2025: no trend, but progress and what is needed.
    let lone = text_of(&read(out.join("localities/lone/index.html")));
    assert!(
        lone.contains("Lone Island has reached 40.00% of its 2025 Enrolment target; 180 people are still needed."),
        "{lone}"
    );
    assert!(lone.contains("30 Sep 2025 120 40.00% 270 No trend yet"), "{lone}");
    assert!(!lone.contains("At this pace by"), "no projection without a pace");
    assert!(lone.contains("Lone Island Special zone Figures as of 30 Sep 2025 Lone Island has reached"), "{lone}");

    // West Ward sent no report for 30 June 2025: its figures, its tables and its chart say so.
    let west_html = read(out.join("localities/west/index.html"));
    let west = text_of(&west_html);
    assert!(west.contains("No report for June 2025."), "{west}");
    assert!(west.contains("30 Jun 2025 No report"), "{west}");
    let no_report = west_html.matches("<tr><th scope=\"row\">30 Jun 2025</th><td>No report</td>").count();
    assert_eq!(no_report, 3 + 1, "three trend tables and the history");
    assert!(lone.contains("No report for March 2025, June 2025."), "{lone}");
    // Each unit page leads with its plain sentences, before the first indicator's heading.
    let first_heading = north.find("People enrolled in voluntary insurance").unwrap();
    assert!(north.find("North Ward has reached 70.00%").unwrap() < first_heading);

    // Commentary: raw HTML shown as text, dangerous link disarmed, heading kept.
    let north_html = read(out.join("localities/north/index.html"));
    assert!(!north_html.contains("<script>alert"), "raw HTML must not pass through");
    assert!(north_html.contains("&lt;script&gt;"));
    assert!(!north_html.contains("javascript:"));
    assert!(north_html.contains("<h3>Door to door</h3>"), "commentary headings sit under the page's h2");

    // No Vietnamese interface text on an English site.
    for page in ["index.html", "localities/north/index.html", "methodology/index.html"] {
        let t = text_of(&read(out.join(page)));
        for vi in ["Chỉ tiêu", "Phường", "Số liệu", "Tình trạng", "Đã đạt", "người"] {
            assert!(!t.contains(vi), "{page} has Vietnamese text {vi:?}");
        }
    }
    // Canonical links use base_url (without its trailing slash doubled).
    assert!(north_html.contains("<link rel=\"canonical\" href=\"https://example.org/progress/localities/north/\">"));
}

#[test]
fn the_city_carries_missing_units_forward() {
    let (out, _) = built("small-city");
    let rows = csv(&read(out.join("data/figures.csv")));
    // 30 June 2025: North 500 + South 420 + West carried from March 550 + Lone (no 2025 figure yet) = 1,470.
    assert_eq!(row(&rows, "2025-06-30", "riverside", "enrolment")["value"], "1470");
    // 30 Sep 2025: 700 + 510 + 650 + 120 = 1,980 of 2,600: 76.15 %, 620 to go.
    let city = row(&rows, "2025-09-30", "riverside", "enrolment");
    assert_eq!(city["target"], "2600");
    assert_eq!(city["progress_percent"], "76.15");
    assert_eq!(city["remaining"], "620");
    assert_eq!(city["base"], "");
    // Coverage: 19,830 of 22,000 people (90.14 %); target 9,000 + 3,820 + 5,535 + 1,800 = 20,155 people.
    let city = row(&rows, "2025-09-30", "riverside", "insured");
    assert_eq!(
        (city["value"].as_str(), city["target"].as_str(), city["base"].as_str(), city["rate_percent"].as_str()),
        ("19830", "20155", "22000", "90.14")
    );
    assert_eq!(city["progress_percent"], "98.39");
    assert_eq!(city["remaining"], "325");
    let home = text_of(&read(out.join("index.html")));
    assert!(
        home.contains("Riverside City has reached 76.15% of its 2025 Enrolment target; 620 people are still needed."),
        "{home}"
    );
}

#[test]
fn figures_csv_has_one_row_per_figure() {
    let (out, _) = built("small-csv");
    let text = read(out.join("data/figures-2024.csv")) + &read(out.join("data/figures.csv"));
    assert_eq!(
        text.lines().next(),
        Some(
            "as_of,year,locality_id,locality,indicator_id,value,target,progress_percent,remaining,status,base,rate_percent,target_rate_percent"
        )
    );
    // A file a year, each with its header: 2024's two reports, then 2025's three.
    assert_eq!(text.matches("as_of,year,").count(), 2);
    let rows: Vec<_> = csv(&text).into_iter().filter(|r| r["as_of"] != "as_of").collect();
    // Figures: 12 + 12 + 9 + 6 + 12 = 51; city: 3 per report × 5 = 15.
    assert_eq!(rows.len(), 66);
    let this_year = csv(&read(out.join("data/figures.csv")));
    assert!(this_year.iter().all(|r| r["year"] == "2025") && this_year.len() > 30, "{}", this_year.len());
    // West has no row for June 2025 (a gap, not a zero).
    assert!(!rows.iter().any(|r| r["as_of"] == "2025-06-30" && r["locality_id"] == "west"));
    let west = row(&rows, "2025-09-30", "west", "insured");
    // 92.25 % of 6,000 = 5,535 exactly; 5,400 is 90.00 %, 97.56 % of the target rate.
    assert_eq!(west["target"], "5535");
    assert_eq!(west["rate_percent"], "90.00");
    assert_eq!(west["target_rate_percent"], "92.25");
    assert_eq!(west["progress_percent"], "97.56");
    assert_eq!(row(&rows, "2025-09-30", "north", "enrolment")["status"], "at-risk");
    assert_eq!(row(&rows, "2025-09-30", "south", "enrolment")["status"], "achieved");
    assert_eq!(row(&rows, "2025-09-30", "lone", "enrolment")["status"], "no-trend");
    // Status as of each row's own date: the first 2025 figure of a year has no trend.
    assert_eq!(row(&rows, "2025-03-31", "north", "enrolment")["status"], "no-trend");
    // Rows are in date order, the city first at each date.
    assert_eq!(rows[0]["as_of"], "2024-06-30");
    assert_eq!(rows[0]["locality_id"], "riverside");

    let first_count = row(&rows, "2025-09-30", "north", "enrolment");
    assert!(first_count["base"].is_empty() && first_count["rate_percent"].is_empty());
    // A unit's rows are not written again in a file of its own: its page links to each
    // year's file and says which rows are its own.
    assert!(!out.join("data/localities").exists());
    let page = read(out.join("localities/west/index.html"));
    assert!(
        page.contains("the rows of this unit have locality_id west: <a href=\"../../data/figures.csv\">2025</a> · <a href=\"../../data/figures-2024.csv\">2024</a>"),
        "{page}"
    );
    let this_year = csv(&read(out.join("data/figures.csv")));
    let earlier = csv(&read(out.join("data/figures-2024.csv")));
    let west = this_year.iter().chain(&earlier).filter(|r| r["locality_id"] == "west").count();
    assert_eq!(west, 3 * 4, "west's rows, in the two years' files");
}

#[test]
fn every_link_resolves_and_every_chart_has_an_alternative_and_a_table() {
    let (out, _) = built("small-links");
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
    let (charts, problems) = chart_problems(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    // Home 3, four units × 3, the group 3, indicators 3 city; rankings are HTML. The same
    // again for 2024, under years/2024/, but for the units (their pages have 2024's
    // figures in a table). Another site's frame shows a unit's own page.
    assert_eq!(charts, (3 + 12 + 3 + 3) + (3 + 3 + 3));
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = temp_dir("small-twice");
    build(&fixture("small-en"), &dir.join("a"));
    build(&fixture("small-en"), &dir.join("b"));
    assert_identical(&dir.join("a"), &dir.join("b"));
}

/// Copies a fixture into a scratch folder so a test can change it.
fn scratch_copy(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name).join("site");
    copy_dir(&fixture("small-en"), &dir, &[]);
    dir
}

#[test]
fn a_sites_templates_override_the_built_in_ones_by_name() {
    let site = scratch_copy("small-override");
    std::fs::create_dir_all(site.join("templates/i18n")).unwrap();
    std::fs::create_dir_all(site.join("templates/assets")).unwrap();
    std::fs::write(
        site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Lost in {{ site.title }}</h1>{% endblock content %}",
    )
    .unwrap();
    std::fs::write(site.join("templates/i18n/en.yaml"), "status_behind: \"Lagging\"\n").unwrap();
    std::fs::write(site.join("templates/assets/style.css"), "body { color: black }\n").unwrap();
    let out = site.parent().unwrap().join("public");
    build(&site, &out);
    assert!(read(out.join("404.html")).contains("<h1>Lost in Progress — Riverside City</h1>"));
    // The override changes one string; every other string stays built in.
    let trained = text_of(&read(out.join("indicators/trained/index.html")));
    assert!(trained.contains("3 West Ward 120 150 80.00% ✖ Lagging"), "{trained}");
    assert!(trained.contains("1 South Commune 101 100 101.00% ✔ Achieved"), "{trained}");
    assert_eq!(read(out.join("assets/style.css")), "body { color: black }\n");
}

#[test]
fn a_template_includes_another_whatever_their_names() {
    let site = scratch_copy("small-include-order");
    std::fs::create_dir_all(site.join("templates")).unwrap();
    // "404.html" comes before "zz-partial.html" by name, and includes it.
    std::fs::write(
        site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}{% include \"zz-partial.html\" %}{% endblock content %}",
    )
    .unwrap();
    std::fs::write(site.join("templates/zz-partial.html"), "<h1>Nothing here, {{ site.title }}</h1>").unwrap();
    let out = site.parent().unwrap().join("public");
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(out.join("404.html")).contains("<h1>Nothing here, Progress — Riverside City</h1>"));
    // An include of a template that is nowhere is still an error naming the file.
    std::fs::remove_file(site.join("templates/zz-partial.html")).unwrap();
    let o = tiendo(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error: templates/404.html"), "{}", stderr(&o));
}

/// What is in `templates/assets/` is published for anyone to read: a file there that
/// only its owner may read is not taken, and the build says what to do.
#[cfg(unix)]
#[test]
fn a_private_file_among_the_assets_is_not_published() {
    use std::os::unix::fs::PermissionsExt;
    let site = scratch_copy("small-private-asset");
    let out = site.parent().unwrap().join("public");
    std::fs::create_dir_all(site.join("templates/assets")).unwrap();
    let secret = site.join("templates/assets/notes.txt");
    std::fs::write(&secret, "the office's own notes").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: templates/assets/notes.txt: only you may read this file"), "{}", stderr(&o));
    assert!(stderr(&o).contains("chmod a+r templates/assets/notes.txt"), "{}", stderr(&o));
    assert!(!out.exists());
    // Where every file of the site is kept so (a umask of 077), it is the site's norm.
    let settings = site.join("site.yaml");
    std::fs::set_permissions(&settings, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = tiendo_en(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::set_permissions(&settings, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(out.join("assets/notes.txt")), "the office's own notes");
}

/// A template is a small program: one whose loop never ends, that doubles a text, or that
/// writes a page of gigabytes stops the build with a message that names it, in bounded
/// time and memory, and publishes nothing.
#[test]
fn a_template_that_runs_away_stops_the_build_and_says_which() {
    let site = scratch_copy("small-runaway-template");
    let base = site.parent().unwrap().to_owned();
    std::fs::create_dir_all(site.join("templates")).unwrap();
    let out = base.join("public");
    let doubling = "{% set_global s = \"0123456789abcdef\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}";
    let writing =
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}a line of the page{% endfor %}{% endfor %}";
    let endless =
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% set x = i %}{% endfor %}{% endfor %}";
    for (loop_, says) in [
        (doubling, "error: templates/404.html: one page of this template needed more than 256 MB of memory at once"),
        (writing, "error: templates/404.html: one page of this template is larger than 64 MB"),
        (endless, "error: templates/404.html: one page of this template took more than 10 s, so the build was stopped"),
    ] {
        // In a partial that the page includes.
        std::fs::write(site.join("templates/404.html"), "{% include \"zz-loop.html\" %}").unwrap();
        std::fs::write(site.join("templates/zz-loop.html"), loop_).unwrap();
        let started = std::time::Instant::now();
        let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
        let took = started.elapsed();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
        assert!(took < std::time::Duration::from_secs(40), "{took:?}");
        assert!(!out.exists(), "nothing is published");
    }
    // Fixed: the site builds, and nothing of the stopped builds is left beside it.
    std::fs::remove_file(site.join("templates/zz-loop.html")).unwrap();
    std::fs::remove_file(site.join("templates/404.html")).unwrap();
    let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let left: Vec<String> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.tiendo-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_template_that_does_not_compile_is_an_error_with_its_line() {
    let site = scratch_copy("small-bad-template");
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{{ body | safe \n{% endblock content %}\n",
    )
    .unwrap();
    let o = tiendo(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    // The unclosed `{{` on line 3 is found where the next tag starts.
    assert!(stderr(&o).contains("error: templates/page.html:4:1: Found `{` but expected }}."), "{}", stderr(&o));
}

#[test]
fn a_sites_row_template_writes_the_rows_of_every_table_of_numbers() {
    let site = scratch_copy("small-rows");
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/table-rows.html"),
        "{% for row in rows %}<tr class=\"mine\"><th scope=\"row\">{{ row.header }}</th>{% for c in row.cells %}<td>[{{ c }}]</td>{% endfor %}</tr>\n{% endfor %}",
    )
    .unwrap();
    let out = site.parent().unwrap().join("public");
    build(&site, &out);
    let north = read(out.join("localities/north/index.html"));
    // Three trend tables of three reports, and the history: this year's three, 2024's two.
    assert_eq!(north.matches("<tr class=\"mine\">").count(), 3 * 3 + 3 + 2, "{north}");
    assert!(north.contains("<tr class=\"mine\"><th scope=\"row\">30 Sep 2025</th><td>[700]</td><td>[70.00%]</td>"));
    assert!(!north.contains("<tr><th scope=\"row\">30 Sep 2025</th>"), "no row is written the built-in way");
    // The home page's tables too.
    assert!(
        read(out.join("index.html")).contains("<tr class=\"mine\"><th scope=\"row\">30 Sep 2025</th><td>[1,980]</td>")
    );
}
