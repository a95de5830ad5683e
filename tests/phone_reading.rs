//! What a resident reading on a phone looks for, on the sample site (Cần Thơ, 103 units)
//! and on a site too large to rank every unit on one page: where a ward stands and
//! beside whom, how to find it, the main points in words, lists in every order, tables a
//! phone can stack, and how to take part. Expected values are worked out from other pages
//! and from figures.csv, not written in.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

fn sample(name: &str) -> std::path::PathBuf {
    let out = temp_dir(name).join("public");
    let o = build(&repo(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// One bar of a list of bars: its rank ("" for a place shown for comparison), its name,
/// whether it is the page's own place, and its figure.
#[derive(Debug, Clone, PartialEq)]
struct Bar {
    rank: String,
    name: String,
    current: bool,
    value: String,
    anchor: String,
}

/// The text between `start` and the next `end` after it.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    Some(&s[from..from + s[from..].find(end)?])
}

/// Every list of bars in `html`, in order.
fn bar_lists(html: &str) -> Vec<Vec<Bar>> {
    let mut lists = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" class=\"bars chart\"") {
        let list = &rest[i..];
        let end = [list.find("</ol>"), list.find("</ul>")].into_iter().flatten().min().unwrap_or(list.len());
        let items = list[..end]
            .split("<li ")
            .skip(1)
            .map(|li| Bar {
                rank: between(li, "<span class=\"rank\">", ".</span>").unwrap_or("").to_owned(),
                name: text_of(
                    between(li, "<span class=\"who\">", "</span> <span class=\"status-word\">").unwrap_or(""),
                )
                .split_once(". ")
                .map_or_else(
                    || text_of(between(li, "<span class=\"who\">", "</span> <span").unwrap_or("")),
                    |(_, n)| n.to_owned(),
                ),
                current: li.starts_with("class=\"status-")
                    && between(li, "class=\"", "\"").is_some_and(|c| c.split(' ').any(|w| w == "current")),
                value: between(li, "<span class=\"value\">", "</span>").unwrap_or("").to_owned(),
                anchor: between(li, " id=\"", "\"")
                    .filter(|_| li.find(" id=\"") < li.find('>'))
                    .unwrap_or("")
                    .to_owned(),
            })
            .collect();
        lists.push(items);
        rest = &list[end..];
    }
    lists
}

/// "80,52 %" as a number.
fn percent(text: &str) -> f64 {
    text.trim_end_matches('%').trim().replace('.', "").replace(',', ".").replace('\u{a0}', "").parse().unwrap()
}

#[test]
fn a_unit_page_says_where_the_unit_stands_and_beside_whom() {
    let out = sample("phone-unit");
    let ranking = &bar_lists(&read(out.join("indicators/voluntary-si/index.html")))[0];
    assert_eq!(ranking.len(), 103, "every unit is ranked on the indicator's page");
    let at = ranking.iter().position(|b| b.anchor == "r-long-my").unwrap();
    assert_eq!(ranking[at].name, "Phường Long Mỹ");
    // Best first.
    assert!(ranking.windows(2).all(|w| percent(&w[0].value) >= percent(&w[1].value)));

    let group = bar_lists(&read(out.join("groups/hau-giang-cu/index.html")));
    let in_group = group.iter().find(|l| l.iter().any(|b| b.anchor == "r-voluntary-si-long-my")).unwrap();
    let group_at = in_group.iter().position(|b| b.anchor == "r-voluntary-si-long-my").unwrap();

    let html = read(out.join("localities/long-my/index.html"));
    let text = text_of(&html);
    let expected = format!(
        "Thứ {} trong 103 phường, xã của Thành phố Cần Thơ; thứ {} trong {} của Hậu Giang cũ.",
        at + 1,
        group_at + 1,
        in_group.len()
    );
    assert!(text.contains(&expected), "{expected} in {text}");
    // The neighbours are the ranking's, the unit itself marked, then the city and its area.
    let lists = bar_lists(&html);
    let neighbours = &lists[0];
    assert_eq!(
        neighbours.iter().map(|b| b.name.clone()).collect::<Vec<_>>(),
        [ranking[at - 1].name.clone(), ranking[at].name.clone(), ranking[at + 1].name.clone()]
    );
    assert_eq!(neighbours.iter().map(|b| b.current).collect::<Vec<_>>(), [false, true, false]);
    assert_eq!(neighbours[1].rank, (at + 1).to_string());
    let references: Vec<&str> = lists[1].iter().map(|b| b.name.as_str()).collect();
    assert_eq!(references, ["Thành phố Cần Thơ", "Hậu Giang cũ"]);
    let city = text_of(&read(out.join("index.html")));
    let city_value = lists[1][0].value.replace('\u{a0}', " ");
    assert!(city.contains(&format!("{city_value} chỉ tiêu 118.710 người")), "the city's figure is the home page's");
    // A link to the unit's row in the full ranking (links are checked to resolve elsewhere).
    assert!(html.contains("href=\"../../indicators/voluntary-si/index.html#r-long-my\""));
}

#[test]
fn the_home_page_finds_a_ward_by_name_without_javascript() {
    let out = sample("phone-home");
    let html = read(out.join("index.html"));
    let find = between(&html, "<section class=\"find\"", "</section>").unwrap();
    assert!(find.contains("<h2 id=\"h-find\">Tìm phường, xã của bạn</h2>"));
    let names: Vec<String> = find
        .split("<li")
        .skip(1)
        .map(|li| text_of(between(li, "<a href=\"", "</a>").unwrap().split_once('>').unwrap().1))
        .collect();
    assert_eq!(names.len(), 103);
    assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), 103, "each once");
    // By name as a reader looks for it, "Phường"/"Xã" aside, in Vietnamese order.
    assert_eq!(&names[..3], ["Phường An Bình", "Xã An Lạc Thôn", "Xã An Ninh"]);
    assert_eq!(names.last().unwrap(), "Xã Xà Phiên");
    let at = |n: &str| names.iter().position(|x| x == n).unwrap();
    assert!(at("Xã Cờ Đỏ") < at("Xã Đại Hải") && at("Xã Đông Hiệp") < at("Xã Gia Hòa"), "Đ after D, before G");
    assert!(at("Phường Ô Môn") < at("Xã Phong Điền"));
    // The search script enhances the list; it is not needed to read it.
    assert!(find.contains("<ul class=\"names\" data-search="));
    assert!(html.contains("assets/search.js\" defer"));
}

#[test]
fn the_main_points_come_from_the_figures() {
    let out = sample("phone-points");
    let rows = csv(&read(out.join("data/figures.csv")));
    let progress = |date: &str, id: &str| -> Option<f64> {
        rows.iter()
            .find(|r| r["as_of"] == date && r["locality_id"] == id && r["indicator_id"] == "voluntary-si")
            .and_then(|r| r["progress_percent"].parse().ok())
    };
    let latest: Vec<&std::collections::BTreeMap<String, String>> = rows
        .iter()
        .filter(|r| r["as_of"] == "2025-09-30" && r["indicator_id"] == "voluntary-si" && r["locality_id"] != "can-tho")
        .collect();
    let achieved = latest.iter().filter(|r| r["status"] == "achieved").count();
    let lowest = latest
        .iter()
        .min_by(|a, b| percent(&a["progress_percent"]).total_cmp(&percent(&b["progress_percent"])))
        .unwrap();
    let gained = latest
        .iter()
        .filter_map(|r| {
            Some((progress("2025-09-30", &r["locality_id"])? - progress("2025-08-31", &r["locality_id"])?, *r))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap()
        .1;
    let points = text_of(between(&read(out.join("index.html")), "id=\"h-points\"", "</section>").unwrap());
    assert!(
        points.contains(&format!("BHXH tự nguyện: {achieved} trên 103 phường, xã đã đạt chỉ tiêu năm 2025.")),
        "{points}"
    );
    assert!(points.contains(&format!("Thấp nhất: {} (", lowest["locality"])), "{points}");
    let from = progress("2025-08-31", &gained["locality_id"]).unwrap();
    let to = progress("2025-09-30", &gained["locality_id"]).unwrap();
    let words = |p: f64| format!("{p:.2} %").replace('.', ",");
    assert!(
        points.contains(&format!(
            "Tiến nhanh nhất so với kỳ báo cáo trước (31/08/2025): {} , từ {} lên {} chỉ tiêu.",
            gained["locality"],
            words(from),
            words(to)
        )),
        "{points}"
    );
}

#[test]
fn the_unit_list_comes_in_every_order_on_pages_of_its_own() {
    let out = sample("phone-orders");
    let rows = |page: &str| -> Vec<(String, Vec<String>)> {
        let html = read(out.join(page));
        html.split("<th scope=\"row\"><a ")
            .skip(1)
            .map(|tr| {
                let tr = &tr[..tr.find("</tr>").unwrap()];
                let cells = tr.split("<td").skip(1).map(|td| text_of(&format!("<td{td}"))).collect();
                (text_of(between(tr, ">", "</a>").unwrap()), cells)
            })
            .collect()
    };
    let by_name = rows("localities/index.html");
    assert_eq!(by_name.len(), 103);
    assert_eq!(by_name[0].0, "Phường An Bình");
    let by_progress = rows("localities/by-progress-health-insurance.html");
    let values: Vec<f64> = by_progress.iter().map(|(_, c)| percent(c[1].split(" %").next().unwrap())).collect();
    assert_eq!(values.len(), 103);
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "best first: {values:?}");
    let by_area = read(out.join("localities/by-area.html"));
    for area in ["Cần Thơ cũ", "Hậu Giang cũ", "Sóc Trăng cũ"] {
        assert!(by_area.contains(&format!("<h2>{area}</h2>")), "{area}");
    }
    assert_eq!(rows("localities/by-area.html").len(), 103);
    // Each page links to the others, itself marked as the current one.
    let nav = between(&by_area, "<nav class=\"sort\"", "</nav>").unwrap();
    assert_eq!(nav.matches("<li>").count(), 4);
    assert!(nav.contains("<a href=\"../localities/by-area.html\" aria-current=\"page\">Khu vực</a>"), "{nav}");
}

#[test]
fn every_table_labels_its_columns_so_a_phone_can_stack_its_rows() {
    let out = sample("phone-tables");
    let mut tables = 0;
    for page in files(&out).into_iter().filter(|f| f.ends_with(".html")) {
        let html = read(out.join(&page));
        assert!(!html.contains("table-wrap"), "{page}: a table in a sideways-scrolling box");
        for table in html.split("<table").skip(1) {
            let tag = &table[..table.find('>').unwrap()];
            let body = &table[..table.find("</table>").unwrap()];
            // Each of the widest row's cells has its column's heading, once for the table.
            let columns = body.split("</tr>").map(|tr| tr.matches("<td").count()).max().unwrap_or(0);
            assert!(columns > 0, "{page}: a table without cells");
            let heads: Vec<String> = between(body, "<thead>", "</thead>")
                .unwrap()
                .split("<th scope=\"col\">")
                .skip(1)
                .map(|h| h[..h.find("</th>").unwrap()].replace("&#39;", "'"))
                .collect();
            for k in 1..=columns {
                let label = between(tag, &format!("--c{k}: &#39;"), "&#39;");
                assert!(
                    label.is_some_and(|l| heads.iter().any(|h| h == l)),
                    "{page}: column {k} of <table{tag}>: {heads:?}"
                );
            }
            tables += 1;
        }
    }
    assert!(tables > 200, "{tables}");
    // Status words stay short enough for one line beside a figure.
    let vi = read(repo().join("templates/i18n/vi.yaml"));
    for key in ["status_achieved", "status_on_track", "status_at_risk", "status_behind", "status_no_trend"] {
        let word = between(&vi, &format!("\n{key}: \""), "\"").unwrap();
        assert!(word.chars().count() <= 17, "{key}: {word}");
    }
}

#[test]
fn the_unit_history_is_a_table_a_year_newest_first_each_earlier_one_with_its_results() {
    let out = sample("phone-history");
    let history = read(out.join("localities/long-my/index.html"));
    let history = &history[history.find("id=\"h-history\"").unwrap()..];
    let history = &history[..history.find("</section>").unwrap()];
    let captions: Vec<String> =
        history.split("<caption>").skip(1).map(|c| c[..c.find("</caption>").unwrap()].to_owned()).collect();
    assert_eq!(
        captions,
        [
            "Năm 2025: số liệu các kỳ báo cáo của Phường Long Mỹ, so với chỉ tiêu năm 2025",
            "Năm 2024: số liệu các kỳ báo cáo của Phường Long Mỹ, so với chỉ tiêu năm 2024"
        ]
    );
    assert_eq!(history.matches("<th scope=\"col\">BHXH tự nguyện: % chỉ tiêu</th>").count(), 2);
    // 2024's four reports, under its heading and its results, which the page's list of
    // years leads to.
    let y2024 = &history[history.find("<h3 id=\"y2024\">Kết quả năm 2024</h3>").unwrap()..];
    assert_eq!(y2024.matches("<tr><th scope=\"row\">").count(), 4, "four reports");
    assert!(text_of(y2024).contains("Năm 2024, Phường Long Mỹ đạt 98,12 % chỉ tiêu BHXH tự nguyện: không đạt"));
    let page = read(out.join("localities/long-my/index.html"));
    assert!(page.contains("<a href=\"../../localities/long-my/index.html#y2024\">Kết quả năm 2024</a>"));
}

#[test]
fn how_to_take_part_is_on_the_home_page_and_every_unit_page() {
    let out = sample("phone-join");
    let pages = files(&out);
    let units: Vec<&String> =
        pages.iter().filter(|f| f.starts_with("localities/") && f.matches('/').count() == 2).collect();
    assert_eq!(units.len(), 103);
    for page in units.iter().map(|p| p.as_str()).chain(["index.html"]) {
        let join = between(&read(out.join(page)), "<section class=\"join\" aria-labelledby=\"h-join\">", "</section>")
            .map(text_of);
        assert!(
            join.as_deref().is_some_and(|j| j.starts_with("Cách tham gia") && j.contains("VssID")),
            "{page}: {join:?}"
        );
    }
    assert!(!pages.contains("tham-gia/index.html"), "not a page of its own");
}

#[test]
fn a_bulletin_links_the_wards_it_names_and_starts_at_h2() {
    let out = sample("phone-bulletin");
    let html = read(out.join("updates/2025-09-ket-qua-9-thang/index.html"));
    let article = between(&html, "<article class=\"prose\">", "</article>").unwrap();
    for (name, id) in
        [("Phường Long Mỹ", "long-my"), ("Xã Mỹ Tú", "my-tu"), ("phường Cái Khế", "cai-khe"), ("Phường Ô Môn", "o-mon")]
    {
        let link = format!("<a href=\"../../localities/{id}/index.html\">{name}</a>");
        assert_eq!(article.matches(&link).count(), 1, "{link} once in {article}");
    }
    assert!(article.contains("<h2>Những nơi làm tốt</h2>"), "{article}");
    assert!(!article.contains("<h3>"), "{article}");
}

#[test]
fn the_404_page_is_styled_and_links_from_the_root() {
    let out = sample("phone-404");
    let html = read(out.join("404.html"));
    assert!(html.contains("<style>") && html.contains(".bars .track"), "the theme's style, inside the page");
    assert!(!html.contains("rel=\"stylesheet\""));
    let links = attributes(&html, "href");
    assert!(links.iter().all(|l| l.starts_with('/') || l.starts_with('#')), "{links:?}");
    assert!(html.contains("<a href=\"/localities/index.html\">"));
    // The notice sits inside the main landmark.
    assert!(
        read(out.join("index.html")).contains("<main id=\"main\" class=\"wrap\">\n<p class=\"notice\" role=\"note\">")
    );
}

/// A site of `n` units in `groups` areas, one indicator, two reports: large enough that
/// an indicator's page cannot rank every unit.
fn large_site(dir: &Path, n: usize, groups: usize) {
    let unit = |k: usize| format!("name: \"Xã Số {k}\", kind: commune, group: \"Tỉnh {}\"", k % groups);
    generated_site(dir, n, "title: \"Toàn quốc\"\nlanguage: vi\n", "{ id: nation, name: \"Nation\" }", unit);
}

#[test]
fn a_large_site_ranks_areas_and_the_ends_and_each_area_ranks_its_own() {
    let dir = temp_dir("phone-large");
    large_site(&dir.join("site"), 450, 6);
    let out = dir.join("public");
    let o = build(&dir.join("site"), &out);
    assert!(o.status.success(), "{}", stderr(&o));

    let indicator = read(out.join("indicators/members/index.html"));
    let lists = bar_lists(&indicator);
    // The best ten, the last ten, then the six areas; no list of all 450.
    assert_eq!(lists.iter().map(Vec::len).collect::<Vec<_>>(), [10, 10, 6], "{lists:#?}");
    assert_eq!(lists[0][0].rank, "1");
    assert_eq!(lists[1][9].rank, "450");
    assert!(!indicator.contains("<table class=\"ranking\">"), "no table of every unit");
    // The lists share one scale, so that a bar in one compares with a bar in another.
    let scales: BTreeSet<&str> =
        indicator.split("style=\"--full: ").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert_eq!(scales.len(), 1, "{scales:?}");
    assert!(text_of(&indicator).contains("Mỗi khu vực có trang riêng xếp hạng các phường, xã của mình"));

    // Each area shows the best ten and the last ten of its 75 units, the last ten after a
    // gap; every unit's page says its rank there, beside its neighbours', and links to the
    // area's list of its units.
    let group = read(out.join("groups/tinh-0/index.html"));
    let area = bar_lists(&group);
    assert_eq!(area.len(), 1);
    let ranks: Vec<&str> = area[0].iter().map(|b| b.rank.as_str()).collect();
    assert_eq!(
        ranks,
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75"]
    );
    assert_eq!(group.matches(" gap\"").count(), 1, "one gap, before the last ten");
    assert!(group.contains("<h2 id=\"h-units\">"));
    let unit = read(out.join("localities/u6/index.html"));
    assert!(
        unit.contains("href=\"../../groups/tinh-0/index.html#h-units\">Xem các phường, xã của Tỉnh 0</a>"),
        "link to the area's units"
    );
    let neighbours = &bar_lists(&unit)[0];
    let rank = neighbours.iter().find(|b| b.current).map(|b| b.rank.clone()).unwrap();
    assert!(text_of(&unit).contains(&format!("thứ {rank} trong 75 của Tỉnh 0")), "{rank}");
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}
