//! End to end over the sample site at the repository root (Cần Thơ, 103 units):
//! the published figures must come out exactly, in Vietnamese formats.

mod common;

use common::*;

fn built(name: &str) -> (std::path::PathBuf, std::process::Output) {
    let out = temp_dir(name).join("public");
    let o = build(&repo(), &out);
    (out, o)
}

#[test]
fn the_sample_builds_every_page_without_warnings() {
    let (out, o) = built("sample-pages");
    // Other tests build the sample at the same time: this one may say it waited for them.
    let err = stderr(&o);
    let said: Vec<&str> = err.lines().filter(|l| !l.starts_with("đang chờ một lần tạo khác")).collect();
    assert!(said.is_empty(), "the sample should build cleanly:\n{err}");
    let all = files(&out);
    let unit_pages = all.iter().filter(|f| f.starts_with("localities/") && f.matches('/').count() == 2).count();
    assert_eq!(unit_pages, 103);
    for page in [
        "index.html",
        "localities/index.html",
        "localities/long-my/index.html",
        "localities/o-mon/index.html",
        "localities/my-tu/index.html",
        "indicators/index.html",
        "indicators/voluntary-si/index.html",
        "indicators/health-insurance/index.html",
        "groups/can-tho-cu/index.html",
        "groups/hau-giang-cu/index.html",
        "groups/soc-trang-cu/index.html",
        "updates/index.html",
        "updates/2025-09-ket-qua-9-thang/index.html",
        "methodology/index.html",
        "ve-so-lieu/index.html",
        "404.html",
        "data/figures.csv",
        "embed/localities/long-my/index.html",
        "charts/indicators/voluntary-si/ranking.svg",
    ] {
        assert!(all.contains(page), "missing {page}");
    }
    // No base URL in the sample: no sitemap or feed, which need absolute addresses.
    assert!(!all.contains("feed.xml") && !all.contains("sitemap.xml"));
    // A trend chart is on its pages only; a ranking is also a file, to download whole.
    let charts = all.iter().filter(|f| f.starts_with("charts/") && f.ends_with(".svg")).count();
    assert_eq!(charts, 2, "the 2 indicators' rankings");
    // Nothing is written twice: one file of figures a year (no JSON), no file of a unit's
    // own figures; another site's frame shows the unit's page, and each old embed
    // address only forwards to it.
    assert!(!all.iter().any(|f| f.ends_with(".json") || f.starts_with("data/localities/")));
    let embeds: Vec<&String> = all.iter().filter(|f| f.starts_with("embed/")).collect();
    assert_eq!(embeds.len(), 103);
    assert!(embeds.iter().all(|f| std::fs::metadata(out.join(f)).unwrap().len() < 512));
}

#[test]
fn published_figures_appear_in_vietnamese_format() {
    let (out, _) = built("sample-figures");
    let long_my = text_of(&read(out.join("localities/long-my/index.html")));
    assert!(
        long_my.contains("Phường Long Mỹ đạt 80,52 % chỉ tiêu BHXH tự nguyện năm 2025; cần thêm 294 người."),
        "{long_my}"
    );
    assert!(long_my.contains("Đã có 1.215 người"), "{long_my}");
    assert!(long_my.contains("Chỉ tiêu 1.509 người"));
    // Each percentage says what it is a share of; the first screen says the date.
    assert!(long_my.contains("Đạt 80,52 % chỉ tiêu"));
    assert!(long_my.contains("Tỷ lệ tham gia 88,25 % dân số Chỉ tiêu tỷ lệ 95,00 % dân số"));
    assert!(long_my.contains("Nếu giữ tốc độ này đến 31/12/2025 sẽ có 1.304 người"));
    assert!(!long_my.contains("Dự báo cuối kỳ"));
    let lead = long_my.find("Số liệu đến ngày 30/09/2025").unwrap();
    assert!(lead < long_my.find("Phường Long Mỹ đạt 80,52 %").unwrap(), "the date before the figures");
    // Coverage in plain words first: the share of people covered and the target share.
    assert!(
        long_my.contains(
            "Phường Long Mỹ: 88,25 % dân số có BHYT, chỉ tiêu năm 2025 là 95,00 % (đạt 92,89 % chỉ tiêu); cần thêm 2.700 người."
        ),
        "{long_my}"
    );
    assert!(long_my.contains("Chỉ tiêu tỷ lệ 95,00 % dân số"));
    // The percent sign is kept on the same line as its number.
    assert!(read(out.join("localities/long-my/index.html")).contains("80,52\u{a0}%"));

    let o_mon = text_of(&read(out.join("localities/o-mon/index.html")));
    assert!(o_mon.contains("Phường Ô Môn đạt 50,89 % chỉ tiêu BHXH tự nguyện năm 2025"), "{o_mon}");
    assert!(o_mon.contains("Phường Ô Môn: 80,09 % dân số có BHYT"), "{o_mon}");

    // Xã Thạnh Xuân did not report in June: its page says so.
    let thanh_xuan = text_of(&read(out.join("localities/thanh-xuan/index.html")));
    assert!(thanh_xuan.contains("Không có báo cáo tháng 06/2025."), "{thanh_xuan}");

    // Commentary from content/ is on the pages, and the illustrative data is flagged.
    assert!(o_mon.contains("quyết liệt hơn"));
    assert!(text_of(&read(out.join("localities/my-tu/index.html"))).contains("nhóm Zalo"));
    for page in ["index.html", "localities/long-my/index.html", "indicators/voluntary-si/index.html"] {
        assert!(
            text_of(&read(out.join(page))).contains("số liệu minh hoạ"),
            "{page} must say the data is illustrative"
        );
    }
}

#[test]
fn figures_csv_holds_the_published_figures() {
    let (out, _) = built("sample-csv");
    let rows = csv(&read(out.join("data/figures.csv")));
    let r = row(&rows, "2025-09-30", "long-my", "voluntary-si");
    assert_eq!((r["value"].as_str(), r["target"].as_str(), r["progress_percent"].as_str()), ("1215", "1509", "80.52"));
    assert_eq!(r["remaining"], "294");
    let r = row(&rows, "2025-09-30", "long-my", "health-insurance");
    assert_eq!((r["rate_percent"].as_str(), r["progress_percent"].as_str()), ("88.25", "92.89"));
    assert_eq!(r["target_rate_percent"], "95.00");
    assert_eq!(r["locality"], "Phường Long Mỹ");
    let r = row(&rows, "2025-09-30", "o-mon", "voluntary-si");
    assert_eq!(r["progress_percent"], "50.89");
    assert_eq!(row(&rows, "2025-09-30", "o-mon", "health-insurance")["rate_percent"], "80.09");

    // The city on 30/9/2025: "more than" each published figure, by less than 1 %.
    let within = |value: &str, published: f64| {
        let v: f64 = value.parse().unwrap();
        v > published && v <= published * 1.01
    };
    let vol = row(&rows, "2025-09-30", "can-tho", "voluntary-si");
    assert!(within(&vol["value"], 75_600.0), "{vol:?}");
    assert!(within(&vol["remaining"], 43_000.0), "{vol:?}");
    let hi = row(&rows, "2025-09-30", "can-tho", "health-insurance");
    assert!(within(&hi["value"], 2_940_000.0), "{hi:?}");
    assert!(within(&hi["remaining"], 154_000.0), "{hi:?}");
    assert_eq!(vol["locality"], "Thành phố Cần Thơ");
}

#[test]
fn every_link_resolves_and_every_chart_has_an_alternative_and_a_table() {
    let (out, _) = built("sample-links");
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{} broken links, e.g. {:#?}", broken.len(), &broken[..broken.len().min(10)]);
    let (charts, problems) = chart_problems(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    // Inline: home 2, units 206, groups 6, indicator pages 2 city; rankings are HTML. 2024
    // has the same pages under years/2024/ but the units' (their 2024 is a table on their
    // pages). Another site's frame shows a unit's own page.
    assert_eq!(charts, (2 + 206 + 6 + 2) + (2 + 6 + 2));
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = temp_dir("sample-twice");
    build(&repo(), &dir.join("a"));
    build(&repo(), &dir.join("b"));
    assert_identical(&dir.join("a"), &dir.join("b"));
}

#[test]
fn check_reports_no_errors_and_writes_nothing() {
    let o = tiendo(&["check", "--root", repo().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "không có lỗi", "the sample site is Vietnamese, and so are its messages");
    assert_eq!(stdout(&tiendo_en(&["check", "--root", repo().to_str().unwrap()])).trim(), "no errors");
}

#[test]
fn the_results_of_2024_stay_published_under_years_2024() {
    let (out, _) = built("sample-2024");
    let all = files(&out);
    let pages = |prefix: &str| all.iter().filter(|f| f.starts_with(prefix) && f.ends_with("/index.html")).count();
    assert_eq!(pages("years/2024/localities/"), 0);
    assert_eq!(pages("years/2024/indicators/"), 2);
    assert_eq!(pages("years/2024/groups/"), 3);
    // Long Mỹ's final 2024 figures, on its page: 993 of its 1,012 people.
    let current = read(out.join("localities/long-my/index.html"));
    let y2024 = &current[current.find("<h3 id=\"y2024\">").unwrap()..];
    let long_my = text_of(&y2024[..y2024.find("</section>").unwrap()]);
    for expected in [
        "Kết quả năm 2024",
        // A closed year's result, as of its last report (SPEC §2).
        "Năm 2024, Phường Long Mỹ đạt 98,12 % chỉ tiêu BHXH tự nguyện: không đạt, thiếu 19 người \
         (kết quả đến 31/12/2024). ✖ Không đạt",
        "Bảng xếp hạng năm đó: BHXH tự nguyện",
        "31/12/2024 993 98,12 %",
    ] {
        assert!(long_my.contains(expected), "{expected:?} not in {long_my}");
    }
    // No forecast, pace, path or "at risk" for a year that is over.
    for word in ["Nguy cơ", "Đúng tiến độ", "Chậm tiến độ", "Nếu giữ tốc độ", "lộ trình", "Tăng mỗi tháng", "Cần tăng"]
    {
        assert!(!long_my.contains(word), "{word:?} in {long_my}");
    }
    let home = read(out.join("years/2024/index.html"));
    assert!(home.contains("<title>Kết quả năm 2024 · "), "{home}");
    // The current pages link to it in words a reader looks for.
    assert!(current.contains("<a href=\"../../localities/long-my/index.html#y2024\">Kết quả năm 2024</a>"));
    assert!(read(out.join("index.html")).contains("<a href=\"years/2024/index.html\">Kết quả năm 2024</a>"));
}

#[test]
fn vietnamese_pages_have_no_english_interface_text() {
    let (out, _) = built("sample-vi");
    for page in [
        "index.html",
        "localities/index.html",
        "localities/long-my/index.html",
        "indicators/voluntary-si/index.html",
        "methodology/index.html",
        "updates/index.html",
        "404.html",
        "years/2024/index.html",
        "years/2024/indicators/voluntary-si/index.html",
    ] {
        let t = text_of(&read(out.join(page)));
        for en in [
            "Status",
            "Target",
            "Download",
            "Progress",
            "Figures",
            "Skip to",
            "Reached",
            "Overview",
            "Methodology",
            "No report",
            "people",
            "Bulletins",
            "Ward",
            "Commune",
        ] {
            assert!(!t.contains(en), "{page} has English interface text {en:?}");
        }
        assert!(read(out.join(page)).starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
    }
    // Vietnamese formats everywhere a reader looks: 30/09/2025, 1.215, 80,52 %.
    let long_my = text_of(&read(out.join("localities/long-my/index.html")));
    assert!(long_my.contains("30/09/2025") && long_my.contains("1.215") && long_my.contains("80,52 %"));
}

#[test]
fn the_home_page_says_how_the_city_is_doing_and_who_is_behind() {
    let (out, _) = built("sample-home");
    let home = read(out.join("index.html"));
    let summary = text_of(&home[..home.find("id=\"h-city\"").unwrap()]);
    // Progress, status and what is needed for the city, per indicator; coverage in
    // plain words first.
    assert!(
        summary.contains(
            "63,73 % chỉ tiêu 118.710 người; đã có 75.650 người ✖ Chậm tiến độ Còn cần thêm 43.060 người để đạt chỉ tiêu."
        ),
        "{summary}"
    );
    assert!(
        summary.contains(
            "89,70 % dân số có BHYT; chỉ tiêu 94,40 % Đạt 95,02 % chỉ tiêu ! Nguy cơ không đạt Còn cần thêm 154.300 người"
        ),
        "{summary}"
    );
    // Units by status; the main points name the furthest behind.
    assert!(summary.contains("Phường, xã: ✔ Đã đạt 3"), "{summary}");
    assert!(summary.contains("BHXH tự nguyện: 3 trên 103 phường, xã đã đạt chỉ tiêu năm 2025."), "{summary}");
    assert!(summary.contains("Thấp nhất: Xã Vĩnh Thuận Đông (34,98 %)"), "{summary}");
    assert!(summary.contains("Phường Ô Môn (85,20 %)"), "{summary}");
}

#[test]
fn a_year_whose_last_report_reaches_its_due_date_reads_as_closed() {
    // The sample with a report of 31 December 2025, the due date of its targets: the year
    // is over before any report of 2026.
    let site = temp_dir("sample-closed").join("site");
    for dir in ["data", "content", "templates"] {
        copy_dir(&repo().join(dir), &site.join(dir), &[]);
    }
    std::fs::copy(repo().join("site.yaml"), site.join("site.yaml")).unwrap();
    let september = read(repo().join("data/reports/2025-09.yaml"));
    std::fs::write(site.join("data/reports/2025-12.yaml"), september.replace("as_of: 2025-09-30", "as_of: 2025-12-31"))
        .unwrap();
    let out = site.parent().unwrap().join("public");
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let long_my = text_of(&read(out.join("localities/long-my/index.html")));
    assert!(
        long_my.contains(
            "Năm 2025, Phường Long Mỹ đạt 80,52 % chỉ tiêu BHXH tự nguyện: không đạt, thiếu 294 người \
             (kết quả đến 31/12/2025). ✖ Không đạt"
        ),
        "{long_my}"
    );
    for forecast in ["Nguy cơ", "Chậm tiến độ", "Đúng tiến độ", "Nếu giữ tốc độ", "theo lộ trình", "Tăng mỗi tháng"]
    {
        assert!(!long_my.contains(forecast), "{forecast:?} in {long_my}");
    }
    let home = text_of(&read(out.join("index.html")));
    assert!(home.contains("Không đạt chỉ tiêu: thiếu"), "{home}");
    // The figures say so too: the year's last row is its result (SPEC §4); the rows
    // before keep the status computed on their dates.
    let rows = csv(&read(out.join("data/figures.csv")));
    let finals: std::collections::BTreeSet<&str> =
        rows.iter().filter(|r| r["as_of"] == "2025-12-31").map(|r| r["status"].as_str()).collect();
    assert!(finals.iter().all(|s| ["achieved", "missed"].contains(s)), "{finals:?}");
    assert!(rows.iter().any(|r| r["as_of"] == "2025-09-30" && r["status"] == "at-risk"));
}
