//! Share images and embedded charts: what a link shows when it is shared, and what a
//! newspaper puts in its article.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use tiendo::BuildOptions;

/// The English test site built into a scratch folder of its own: the output, and the site.
fn built(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = temp_dir(name);
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let out = dir.join("public");
    build(&site, &out);
    (out, site)
}

/// Builds `site` into `out` through the library, for the summary's counts.
fn build_summary(site: &Path, out: &Path) -> tiendo::Summary {
    tiendo::build(&BuildOptions { root: site.to_owned(), output: out.to_owned(), base_url: None })
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The width and height of a PNG, decoded.
fn png_size(path: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    (frame.width, frame.height)
}

#[test]
fn every_place_has_a_picture_and_pages_name_it_with_a_base_url() {
    let (out, _) = built("share-pictures");
    for picture in
        ["share/home.png", "share/localities/north.png", "share/indicators/insured.png", "share/groups/east-bank.png"]
    {
        assert_eq!(png_size(&out.join(picture)), (1200, 630), "{picture}");
    }
    let page = read(out.join("localities/north/index.html"));
    assert!(
        page.contains(
            r#"<meta property="og:image" content="https://example.org/progress/share/localities/north.png">"#
        )
    );
    assert!(page.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    // The picture described as it shows the figures, each big number said to be progress.
    assert!(page.contains(
        r#"<meta property="og:image:alt" content="North Ward. Figures as of 30 Sep 2025. Enrolment, of the target: 70.00%, At risk (700 of a target of 1,000 people)."#
    ));
    // What a link says: the page's figures in sentences.
    assert!(
        page.contains(
            r#"<meta property="og:description" content="North Ward has reached 70.00% of its 2025 Enrolment"#
        )
    );
    // The home page's: the city's figures, not the site's description.
    let home = read(out.join("index.html"));
    assert!(home.contains(r#"<meta property="og:description" content="Riverside City has reached"#), "{home}");
    // A bulletin shares the home page's picture, described by what it shows.
    let bulletin = read(out.join("updates/q3-2025/index.html"));
    assert!(bulletin.contains(r#"content="https://example.org/progress/share/home.png""#));
    assert!(
        bulletin.contains(r#"<meta property="og:image:alt" content="Riverside City. Figures as of 30 Sep 2025. Enrolment, of the target: 76.15%, At risk"#),
        "{bulletin}"
    );
    // An earlier year's pages show no picture of today's figures.
    assert!(!read(out.join("years/2024/indicators/enrolment/index.html")).contains("og:image"));
}

#[test]
fn without_a_base_url_there_is_no_og_image_but_the_pictures_are_there_to_download() {
    let dir = temp_dir("share-no-base");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let settings = site.join("site.yaml");
    let text: String =
        read(&settings).lines().filter(|l| !l.starts_with("base_url")).map(|l| format!("{l}\n")).collect();
    fs::write(&settings, text).unwrap();
    let out = dir.join("public");
    build(&site, &out);
    let page = read(out.join("localities/north/index.html"));
    // What needs no address is there: the title, the figures, the language.
    assert!(page.contains(r#"<meta property="og:title" content="North Ward">"#), "{page}");
    assert!(page.contains(r#"<meta property="og:description" content="North Ward has reached 70.00% of its 2025"#));
    assert!(page.contains(r#"<meta property="og:locale" content="en_"#));
    assert!(!page.contains("og:url") && !page.contains(r#"rel="canonical""#));
    assert!(
        !page.contains("og:image")
            && page.contains(r#"<meta name="twitter:card" content="summary">"#) == page.contains("twitter:card")
    );
    assert!(page.contains(r#"<a href="../../share/localities/north.png">Download the picture (PNG)</a>"#));
    assert!(!page.contains("<iframe") && !page.contains("&lt;iframe"), "embedding needs the site's address");
    assert!(out.join("share/localities/north.png").is_file());
}

#[test]
fn pictures_are_the_same_bytes_from_two_sites_and_a_changed_figure_draws_only_what_it_changes() {
    let dir = temp_dir("share-cache");
    let (a, b) = (dir.join("a"), dir.join("b"));
    copy_dir(&fixture("small-en"), &a, &[".tiendo-cache"]);
    copy_dir(&fixture("small-en"), &b, &[".tiendo-cache"]);
    let first = build_summary(&a, &dir.join("out-a"));
    let other = build_summary(&b, &dir.join("out-b"));
    assert_eq!((first.images, first.drawn), (9, 9), "an empty cache: every picture drawn");
    assert_eq!(other.drawn, 9);
    for f in files(&dir.join("out-a/share")) {
        assert!(
            fs::read(dir.join("out-a/share").join(&f)).unwrap() == fs::read(dir.join("out-b/share").join(&f)).unwrap(),
            "{f}"
        );
    }
    // Nothing changed: nothing drawn.
    assert_eq!(build_summary(&a, &dir.join("out-a")).drawn, 0);
    let before = |name: &str| fs::read(dir.join("out-a/share").join(name)).unwrap();
    let (south, east) = (before("localities/south.png"), before("groups/east-bank.png"));
    let north = before("localities/north.png");
    // North Ward's enrolment rises: its picture is drawn again, and those of the places
    // that add it up (the city, its area, the indicator); no other locality's.
    let report = a.join("data/reports/2025-09.yaml");
    let text = read(&report);
    assert!(text.contains("north: { enrolment: 700"));
    fs::write(&report, text.replace("north: { enrolment: 700", "north: { enrolment: 720")).unwrap();
    let again = build_summary(&a, &dir.join("out-a"));
    assert_eq!(again.images, 9);
    assert!(again.drawn >= 1 && again.drawn <= 4, "drew {} pictures", again.drawn);
    assert!(before("localities/north.png") != north, "north's picture shows its new figure");
    assert!(before("localities/south.png") == south, "south's is the one kept");
    assert!(before("groups/east-bank.png") != east || again.drawn < 4);
    // The cache holds this site's pictures only, and the rows of them that last from
    // month to month (the places' names), read-only: the sites built from it share the
    // files.
    let kept: Vec<_> = fs::read_dir(a.join(".tiendo-cache/share")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(kept.iter().filter(|p| p.extension().is_some_and(|e| e == "png")).count(), 9);
    assert_eq!(kept.len(), 10, "{kept:?}");
    assert!(kept.iter().any(|p| p.ends_with("bands")));
    assert!(kept.iter().all(|p| fs::metadata(p).unwrap().permissions().readonly()));
}

#[test]
fn a_units_page_is_its_embed_and_the_old_embed_address_forwards_to_it() {
    let (out, _) = built("share-embed");
    // The code a unit's page gives: a frame of the page itself, its address ending in
    // #embed, with a title for the frame.
    let unit = read(out.join("localities/north/index.html"));
    assert!(unit.contains("&lt;iframe src=&quot;https://example.org/progress/localities/north/#embed&quot; title=&quot;Progress of North Ward&quot; width=&quot;100%&quot; height=&quot;2450&quot;"), "{unit}");
    assert_eq!(unit.matches("<details class=\"embed\">").count(), 1, "one code for the unit's charts");
    // What it needs to be shown alone (the style hides the rest when #embed is the
    // target): the target, first in the body, so that the chrome follows it; links that
    // open in the window that holds the frame; and a link to the whole page.
    let body = &unit[unit.find("<body>").unwrap()..];
    assert!(body.starts_with("<body>\n<i id=\"embed\" hidden></i>\n<a class=\"skip\""), "{body}");
    assert_eq!(unit.matches("<base target=\"_top\">").count(), 1);
    assert!(unit.contains("<p class=\"embed-only source\"><a href=\"index.html\">See the page of North Ward</a> · "));
    let style = read(out.join("assets/style.css"));
    for rule in [
        "#embed:target ~ .skip, #embed:target ~ .site-header, #embed:target ~ .site-footer,",
        "#embed:target ~ main > :not(h1, .notice, .standing, .figures, .embed-only) { display: none; }",
    ] {
        assert!(style.contains(rule), "{rule}");
    }
    // Only a unit's page of this year is shown in a frame.
    for page in ["index.html", "indicators/enrolment/index.html", "years/2024/index.html"] {
        assert!(!read(out.join(page)).contains("id=\"embed\""), "{page}");
    }

    // An iframe pasted before still shows the unit's figures: its address forwards to
    // the page's #embed, and holds nothing else.
    let embeds: Vec<String> = files(&out).into_iter().filter(|f| f.starts_with("embed/")).collect();
    assert_eq!(embeds.len(), 4, "one for every locality");
    let old = read(out.join("embed/localities/north/index.html"));
    assert!(old.contains(r#"<meta http-equiv="refresh" content="0; url=../../../localities/north/index.html#embed">"#));
    assert!(old.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(old.len() < 512, "{} bytes", old.len());
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_months_build_gives_the_same_bytes_as_a_cold_build() {
    let dir = temp_dir("share-month");
    let (site, cold) = (dir.join("site"), dir.join("cold"));
    copy_dir(&fixture("small-en"), &site, &[".tiendo-cache"]);
    copy_dir(&fixture("small-en"), &cold, &[".tiendo-cache"]);
    // Last month's site, built: its pictures and earlier years in the cache.
    let latest = site.join("data/reports/2025-09.yaml");
    let aside = dir.join("2025-09.yaml");
    fs::rename(&latest, &aside).unwrap();
    build_summary(&site, &dir.join("out"));
    // The month's report arrives: built over last month's site, from its cache.
    fs::rename(&aside, &latest).unwrap();
    let month = build_summary(&site, &dir.join("out"));
    assert!(month.drawn > 0, "the new month changes the pictures");
    // The same input built with no cache and no earlier output.
    build_summary(&cold, &dir.join("out-cold"));
    assert_identical(&dir.join("out"), &dir.join("out-cold"));
}

/// The colour of pixel (`x`, `y`) of a PNG, decoded.
fn pixel(path: &Path, x: usize, y: usize) -> [u8; 3] {
    let mut decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(path).unwrap()));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let per = frame.buffer_size() / (frame.width * frame.height) as usize;
    let at = (y * frame.width as usize + x) * per;
    [pixels[at], pixels[at + 1], pixels[at + 2]]
}

#[test]
fn a_sites_notice_travels_on_every_picture_and_in_what_a_link_says() {
    let dir = temp_dir("share-notice");
    let (plain, noted) = (dir.join("plain"), dir.join("noted"));
    copy_dir(&fixture("small-en"), &plain, &[".tiendo-cache"]);
    copy_dir(&fixture("small-en"), &noted, &[".tiendo-cache"]);
    let notice = "Provisional: September's figures will be corrected.";
    let settings = noted.join("site.yaml");
    fs::write(&settings, format!("{}notice: \"{notice}\"\n", read(&settings))).unwrap();
    build(&plain, &dir.join("out-plain"));
    build(&noted, &dir.join("out-noted"));
    let pictures = files(&dir.join("out-noted/share"));
    assert_eq!(pictures.len(), 9);
    for p in &pictures {
        let (with, without) = (dir.join("out-noted/share").join(p), dir.join("out-plain/share").join(p));
        // The notice's band across the foot, in the pages' notice colour; not without one.
        assert_eq!(pixel(&with, 4, 626), [0xff, 0xf4, 0xce], "{p}");
        assert_ne!(pixel(&without, 4, 626), [0xff, 0xf4, 0xce], "{p}");
        assert!(fs::read(&with).unwrap() != fs::read(&without).unwrap(), "{p}");
    }
    // What a link says, and what the picture is said to show, end with the notice.
    for page in
        ["index.html", "localities/north/index.html", "groups/east-bank/index.html", "updates/q3-2025/index.html"]
    {
        let html = read(dir.join("out-noted").join(page));
        let said = |property: &str| {
            let start =
                html.find(&format!("<meta property=\"{property}\" content=\"")).unwrap_or_else(|| panic!("{page}"));
            html[start..].split('>').next().unwrap().to_owned()
        };
        let escaped = notice.replace('\'', "&#39;");
        assert!(said("og:description").ends_with(&format!(" {escaped}\"")), "{page}: {}", said("og:description"));
        assert!(said("og:image:alt").ends_with(&format!(" {escaped}\"")), "{page}: {}", said("og:image:alt"));
        assert!(!read(dir.join("out-plain").join(page)).contains("September&#39;s figures"));
    }
}
