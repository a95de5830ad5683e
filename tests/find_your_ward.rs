//! How a resident finds their ward: on a map, by the name it had before the 2025
//! reorganisation, and by its province when two units share a name; and that the lists
//! stay light at the scale of the whole country. Expected values come from other pages
//! of the same build (the ranking, the unit's data), not written in.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tiendo::{BuildOptions, Session};

/// The sample site (its data, content and theme) in a scratch folder, to change.
fn sample_copy(name: &str) -> PathBuf {
    let site = temp_dir(name).join("site");
    for dir in ["data", "content", "templates"] {
        if repo().join(dir).is_dir() {
            copy_dir(&repo().join(dir), &site.join(dir), &[]);
        }
    }
    std::fs::copy(repo().join("site.yaml"), site.join("site.yaml")).unwrap();
    site
}

fn built(site: &Path) -> (PathBuf, String) {
    let out = site.parent().unwrap().join("public");
    let o = build(site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    (out, stderr(&o))
}

/// The id in a link to a unit's page ("long-my" for "../localities/long-my/index.html").
fn unit_id(href: &str) -> Option<&str> {
    let rest = &href[href.find("localities/")? + "localities/".len()..];
    rest.strip_suffix("/index.html")
}

/// Each map of a page: the units it links, in the order of the links, with the name each
/// link gives (its `<title>`).
fn maps(html: &str) -> Vec<Vec<(String, String)>> {
    html.split("<svg class=\"map\"")
        .skip(1)
        .map(|map| {
            let map = &map[..map.find("</svg>").unwrap()];
            map.split("<a href=\"")
                .skip(1)
                .map(|a| {
                    let href = &a[..a.find('"').unwrap()];
                    let title = &a[a.find("<title>").unwrap() + 7..a.find("</title>").unwrap()];
                    (unit_id(href).unwrap_or(href).to_owned(), title.replace('\u{a0}', " "))
                })
                .collect()
        })
        .collect()
}

/// A ranking page's rows: the unit, its name, and the text of its cell in `column`
/// ("105,21 % ✔ Đã đạt").
fn ranking(html: &str, column: usize) -> Vec<(String, String, String)> {
    let body = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    body.split("<tr")
        .skip(1)
        .map(|tr| {
            let a = &tr[tr.find("<a href=\"").unwrap() + 9..];
            let id = unit_id(&a[..a.find('"').unwrap()]).unwrap().to_owned();
            let name = text_of(&a[a.find('>').unwrap() + 1..a.find("</a>").unwrap()]);
            let td = tr.split("<td").nth(column + 1).unwrap();
            let td = &td[td.find('>').unwrap() + 1..];
            (id, name, text_of(&td[..td.find("</td>").unwrap()]))
        })
        .collect()
}

#[test]
fn every_map_links_its_units_in_ranking_order_named_by_name_figure_and_status() {
    let out = temp_dir("ward-maps").join("public");
    let o = build(&repo(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let source = "Nguồn ranh giới: thanglequoc/vietnamese-provinces-database";
    for (column, indicator) in ["voluntary-si", "health-insurance"].into_iter().enumerate() {
        let rows = ranking(&read(out.join(format!("localities/by-progress-{indicator}.html"))), column);
        assert_eq!(rows.len(), 103);
        // What a screen reader says for each unit, in the order Tab reaches them.
        let expected: Vec<(String, String)> = rows
            .iter()
            .map(|(id, name, cell)| {
                let (figure, status) = cell.split_once(" % ").unwrap();
                let status = status.trim_start_matches(['✔', '↗', '!', '✖', ' ']);
                (id.clone(), format!("{name}: đạt {figure} % chỉ tiêu, {status}"))
            })
            .collect();
        let page = read(out.join(format!("indicators/{indicator}/index.html")));
        assert_eq!(maps(&page), std::slice::from_ref(&expected), "{indicator}'s page");
        assert!(page.contains(source));
        let home = maps(&read(out.join("index.html")));
        assert!(home.contains(&expected), "{indicator} on the home page");
    }
    // A group's page maps its own units, in its own ranking order.
    let group = read(out.join("groups/soc-trang-cu/index.html"));
    let group_maps = maps(&group);
    assert_eq!(group_maps.len(), 2);
    let ranked: Vec<String> = ranking(&read(out.join("localities/by-progress-voluntary-si.html")), 0)
        .into_iter()
        .map(|(id, ..)| id)
        .filter(|id| read(out.join(format!("localities/{id}/index.html"))).contains("groups/soc-trang-cu/index.html"))
        .collect();
    assert_eq!(group_maps[0].iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), ranked);
    assert!(group.contains(source));
    // Colour and pattern both tell the status, and the legend says it in words.
    for status in ["achieved", "on-track", "at-risk", "behind"] {
        assert!(group.contains(&format!("<pattern id=\"mp-{status}\"")), "{status}");
    }
    assert!(group.contains("<ul class=\"map-legend\">"));
    // A unit's page shows where it lies, and names the outlines' source.
    let unit = read(out.join("localities/long-my/index.html"));
    assert!(unit.contains("aria-label=\"Vị trí của Phường Long Mỹ trong Thành phố Cần Thơ\""));
    assert!(unit.contains("<path class=\"locator-unit\""));
    assert!(unit.contains(source));
}

#[test]
fn a_unit_without_an_outline_is_warned_about_and_listed_under_its_maps() {
    let site = sample_copy("ward-maps-missing");
    let path = site.join("data/boundaries.topojson");
    let outlines = read(&path);
    assert_eq!(outlines.matches("\"code\":\"31471\"").count(), 1);
    std::fs::write(&path, outlines.replace("\"code\":\"31471\"", "\"code\":\"99999\"")).unwrap();
    let (out, said) = built(&site);
    assert!(
        said.contains("data/boundaries.topojson: 1 đơn vị chưa có ranh giới nên không có trên bản đồ: Phường Long Mỹ"),
        "{said}"
    );
    for page in ["index.html", "indicators/voluntary-si/index.html", "groups/hau-giang-cu/index.html"] {
        let html = read(out.join(page));
        assert!(html.contains("Chưa có ranh giới của: Phường Long Mỹ."), "{page}");
        assert!(maps(&html).iter().all(|m| m.iter().all(|(id, _)| id != "long-my")), "{page}");
    }
    assert_eq!(maps(&read(out.join("index.html")))[0].len(), 102);
    // Its page has no locator, and says nothing wrong.
    let unit = read(out.join("localities/long-my/index.html"));
    assert!(!unit.contains("locator"));
}

#[test]
fn a_site_without_outlines_has_no_maps_and_says_nothing_of_them() {
    let site = sample_copy("ward-maps-none");
    std::fs::remove_file(site.join("data/boundaries.topojson")).unwrap();
    let settings = read(site.join("site.yaml"));
    let kept: String =
        settings.lines().filter(|l| !l.starts_with("boundaries_source")).map(|l| format!("{l}\n")).collect();
    std::fs::write(site.join("site.yaml"), kept).unwrap();
    let (out, said) = built(&site);
    assert!(!said.contains("ranh giới"), "{said}");
    for page in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(out.join(page));
        assert!(!html.contains("<svg class=\"map") && !html.contains("<figure class=\"locator"), "{page}");
    }
}

#[test]
fn a_unit_says_what_it_was_formed_from_and_its_old_names_are_searchable() {
    let out = temp_dir("ward-old-names").join("public");
    let o = build(&repo(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let unit = text_of(&read(out.join("localities/long-my/index.html")));
    assert!(unit.contains("Hình thành từ Phường Thuận An (thị xã Long Mỹ), Xã Long Trị và Xã Long Trị A."), "{unit}");
    // The find box's rows carry the old names, for the script to search as typed, with or
    // without diacritics (tried in a browser by .ci/browser-checks.mjs).
    for page in ["index.html", "localities/index.html", "localities/by-area.html"] {
        let html = read(out.join(page));
        assert!(
            html.contains("data-old=\"Phường Châu Văn Liêm|Phường Thới Hòa|Phường Thới An|Xã Thới Thạnh\""),
            "{page}"
        );
    }
    // Without JavaScript, the home page's list of names says them too.
    let home = text_of(&read(out.join("index.html")));
    assert!(
        home.contains("Phường Ô Môn (trước đây: Phường Châu Văn Liêm, Phường Thới Hòa, Phường Thới An, Xã Thới Thạnh)"),
        "{home}"
    );
}

/// A site of `n` units in `groups` provinces, where units 0 and 1 share the name
/// "Xã Tân Thành" in provinces 0 and 1, and every unit has an old name.
fn national_site(dir: &Path, n: usize, groups: usize, settings: &str) {
    let unit = |k: usize| {
        let name = if k < 2 { "Xã Tân Thành".to_owned() } else { format!("Xã Số {k}") };
        format!(
            "name: \"{name}\", kind: commune, code: {}, group: \"Tỉnh {}\", formed_from: [\"Xã Cũ {k}\", \"Thị trấn Cũ {k}\"]",
            10000 + k,
            k % groups
        )
    };
    let settings = format!("title: \"Tiến độ cả nước\"\nlanguage: vi\n{settings}");
    generated_site(dir, n, &settings, "{ id: vn, name: \"Việt Nam\" }", unit);
}

/// Builds `dir/site` into `dir/public` as the preview builds, which does not wait for share
/// images: their drawing is what takes time at this scale, and not what is tested here.
fn preview(dir: &Path) -> PathBuf {
    let out = dir.join("public");
    let mut session = Session::new(BuildOptions { root: dir.join("site"), output: out.clone(), base_url: None });
    session.rebuild(true).unwrap();
    out
}

#[test]
fn two_units_of_one_name_carry_their_province_wherever_they_are_named() {
    let dir = temp_dir("ward-shared-names");
    national_site(&dir.join("site"), 450, 6, "base_url: https://tiendo.example\n");
    let out = preview(&dir);
    let (first, second) = ("Xã Tân Thành, Tỉnh 0", "Xã Tân Thành, Tỉnh 1");
    // Its page: the title, the heading, and the text of its share image.
    let unit = read(out.join("localities/u1/index.html"));
    assert!(unit.contains(&format!("<title>{second} ")), "title");
    assert!(unit.contains(&format!("<meta property=\"og:image:alt\" content=\"{second}")), "og:image:alt");
    // The province's list of its units, and the compact index the find box searches.
    let province = read(out.join("groups/tinh-0/index.html"));
    assert!(province.contains(&format!(">{first}</a>")), "the province's list");
    let find = read(out.join("localities/find.js"));
    assert!(find.contains(&format!("[\"{first}\",\"u0\",\"Xã Cũ 0|Thị trấn Cũ 0\"]")), "{}", &find[..300]);
    assert!(find.contains(&format!("[\"{second}\",\"u1\",")));
    // In the rankings: unit 0 has the lowest figure (400 of 1,000), last of the country's
    // last ten and of its province's.
    let indicator = read(out.join("indicators/members/index.html"));
    assert!(indicator.contains(&format!(">{first}</a>")), "the country's last ten");
    assert_eq!(province.matches(&format!(">{first}</a>")).count(), 2, "the province's list and its last ten");
    for page in ["indicators/members/index.html", "groups/tinh-0/index.html", "localities/index.html"] {
        assert!(!read(out.join(page)).contains(">Xã Tân Thành<"), "{page}: never without its province");
    }
    // Another unit's name stays as it is.
    assert!(read(out.join("localities/u2/index.html")).contains("<title>Xã Số 2 "));
}

#[test]
fn no_list_page_is_heavy_at_the_scale_of_the_country() {
    let dir = temp_dir("ward-national");
    national_site(&dir.join("site"), 3321, 34, "");
    let out = preview(&dir);
    // The index of units by group, and each group's page: every unit reachable, none heavy.
    let mut heaviest = (0, String::new());
    for page in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let size = std::fs::metadata(out.join(page)).unwrap().len();
        heaviest = heaviest.max((size, page.clone()));
    }
    assert!(heaviest.0 < 300_000, "{heaviest:?}");
    let index = read(out.join("localities/index.html"));
    assert!(index.len() < 100_000, "{}", index.len());
    assert_eq!(index.matches("href=\"../groups/tinh-").count(), 34);
    assert!(!out.join("localities/by-area.html").exists());
    let linked: usize =
        (0..34).map(|g| read(out.join(format!("groups/tinh-{g}/index.html"))).matches("<tr data-old=").count()).sum();
    assert_eq!(linked, 3321, "every unit in its province's list");
    // A province's page leads with its units: links to its parts, then the list, then
    // the rankings.
    let province = read(out.join("groups/tinh-7/index.html"));
    let at = |what: &str| province.find(what).unwrap_or_else(|| panic!("{what}"));
    assert!(at("<nav class=\"jump\"") < at("id=\"h-units\"") && at("id=\"h-units\"") < at("class=\"bars"));
    assert!(province.contains("<a href=\"#ranking-group-members\">Xếp hạng Tham gia</a>"));
    assert!(province.contains("id=\"ranking-group-members\""), "the link leads somewhere");
    // Every rank and count over 999 with its thousands separator, on every page.
    let mut bare = Vec::new();
    for page in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let text = text_of(&read(out.join(page)));
        bare.extend(bare_numbers(&text).into_iter().map(|n| format!("{page}: {n}")).take(3));
    }
    assert!(bare.is_empty(), "{:#?}", &bare[..bare.len().min(20)]);
}

/// The numbers of four digits or more in `text` written without a thousands separator,
/// with what precedes them: not a year (alone, or ending a date), nor a unit's code, id or a
/// part of a name ("mã 10005", "Xã Số 1234"), which take none.
fn bare_numbers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        if !chars[k].is_ascii_digit() {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len() && chars[k].is_ascii_digit() {
            k += 1;
        }
        let number: String = chars[start..k].iter().collect();
        let before: String = chars[start.saturating_sub(12)..start].iter().collect();
        // Part of a longer number, a date, or an identifier ("u1000").
        let joined =
            start > 0 && (matches!(chars[start - 1], '.' | ',' | '/' | '-') || chars[start - 1].is_alphabetic());
        let year = number.len() == 4 && number.starts_with("20");
        let named = ["mã ", "Số ", "Cũ "].iter().any(|w| before.ends_with(w));
        if number.len() >= 4 && !joined && !year && !named {
            found.push(format!("…{before}{number}"));
        }
    }
    found
}

/// The units a page's tables list, by their id, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("<th scope=\"row\"><a href=\"")
        .skip(1)
        .filter_map(|rest| unit_id(rest.split('"').next()?))
        .map(str::to_owned)
        .collect()
}

#[test]
fn an_areas_units_come_first_in_the_order_of_the_list_of_every_unit() {
    let site = sample_copy("ward-group-order");
    let (out, _) = built(&site);
    let every = listed(&read(out.join("localities/index.html")));
    let page = read(out.join("groups/can-tho-cu/index.html"));
    let area = listed(&page);
    assert!(area.len() > 10, "{area:?}");
    let in_every: Vec<String> = every.into_iter().filter(|id| area.contains(id)).collect();
    assert_eq!(area, in_every, "the same order as the list of every unit");
    let at = |what: &str| page.find(what).unwrap_or_else(|| panic!("{what}"));
    assert!(at("<nav class=\"jump\"") < at("id=\"h-units\"") && at("id=\"h-units\"") < at("id=\"h-map\""));
    assert!(at("id=\"h-map\"") < at("id=\"ranking-group-voluntary-si\""));
    for target in ["h-units", "h-map", "ranking-group-voluntary-si", "ranking-group-health-insurance"] {
        assert!(page.contains(&format!("<a href=\"#{target}\">")), "{target}");
    }
    // The list by area is searched whole: the box goes above the first area's heading.
    let by_area = read(out.join("localities/by-area.html"));
    let heading = by_area.find("<h2>").unwrap();
    assert!(by_area.find("<div data-search-here></div>").is_some_and(|here| here < heading));
    let script = read(out.join("assets/search.js"));
    assert!(script.contains("document.querySelector(\"[data-search-here]\") || folded || first"));
}
