//! Everything a user can put in a file is untrusted by the time it reaches a reader.
//!
//! The `hostile` fixture is a valid site whose every text field (titles, names, units,
//! sources, group names, front matter, commentary) carries markup, scripts, event
//! handlers and `javascript:` links. The built pages and charts must contain only the
//! elements and attributes the theme itself writes, and the data files must carry the
//! text unchanged but safe for spreadsheets.

mod common;

use std::collections::BTreeSet;

use common::*;

/// Elements the built-in theme, the Markdown renderer and the charts write.
#[rustfmt::skip]
const ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "link", "body", "a", "header", "nav", "ul", "ol", "li", "main", "footer", "div",
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "dl", "dt", "dd", "span", "strong", "em", "figure",
    "figcaption", "table", "caption", "thead", "tbody", "tr", "th", "td", "br", "hr", "img", "code", "pre",
    "blockquote", "del", "sup", "svg", "rect", "polyline", "circle", "text", "tspan", "g", "path", "line", "desc", "input",
    "details", "summary", "label", "textarea",
    // A unit's page in another site's frame: links open in the window that holds it, and
    // the target that shows the figures alone.
    "base", "i",
    // Maps: their shared paths and the statuses' patterns; a locator's outline of the
    // province, a picture of the site's own (its address is checked with the others).
    "defs", "pattern", "use", "image",
    // Only the two scripts the theme writes; checked one by one below.
    "script",
    // Only in 404.html, the theme's own stylesheet; checked below.
    "style",
];

/// No attribute a reader's browser would run is allowed anywhere; these are all the names in use.
#[rustfmt::skip]
const ATTRIBUTES: &[&str] = &[
    "lang", "charset", "name", "content", "rel", "href", "type", "class", "id", "aria-label", "aria-labelledby",
    "aria-current", "aria-hidden", "role", "tabindex", "style", "scope", "src", "alt", "title", "width", "height",
    "viewbox", "xmlns", "focusable", "x", "y", "dy", "text-anchor", "font-family", "font-size", "opacity", "fill",
    "stroke", "stroke-width", "stroke-dasharray", "points", "cx", "cy", "r", "transform", "font-weight", "start",
    "disabled", "checked", "align", "x1", "y1", "x2", "y2", "property", "defer", "data-search", "data-placeholder",
    "data-found", "d", "preserveaspectratio", "stroke-linecap",
    // Finding a unit by the names it had; the compact index of a site shown by group.
    "data-was", "data-old", "data-more", "data-loading", "data-index", "data-root", "patternunits",
    // Embedded charts: links that open in the window holding the frame, and the code to copy;
    // the target that shows a unit's figures alone, and the old address that forwards to it.
    "target", "readonly", "rows", "spellcheck", "hidden", "http-equiv",
];

/// Every element and attribute name in `markup`. Text and attribute values come out of
/// tiendo escaped, so every `<` starts a real tag.
fn tags(markup: &str) -> (BTreeSet<String>, BTreeSet<String>, Vec<String>) {
    let (mut elements, mut attributes, mut urls) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
    let bytes = markup.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &markup[i + 1..];
        if rest.starts_with('!') || rest.starts_with('/') || rest.starts_with('?') {
            i += 1;
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        elements.insert(name.to_ascii_lowercase());
        // Attributes: name="value" pairs (the theme always quotes).
        let mut a = &tag[name.len()..];
        while let Some(eq) = a.find("=\"") {
            let attr = a[..eq].trim().rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
            let value_end = a[eq + 2..].find('"').map_or(a.len(), |v| eq + 2 + v);
            if attr == "href" || attr == "src" {
                urls.push(a[eq + 2..value_end].to_owned());
            }
            attributes.insert(attr);
            a = &a[(value_end + 1).min(a.len())..];
        }
        i += 1 + end;
    }
    (elements, attributes, urls)
}

#[test]
fn pages_and_charts_hold_only_the_themes_own_markup() {
    let out = temp_dir("hostile").join("public");
    build(&fixture("hostile"), &out);
    let mut checked = 0;
    for file in files(&out) {
        // Pages and charts; the theme's own assets are not made from input.
        if !(file.ends_with(".html") || file.ends_with(".svg")) || file.starts_with("assets/") {
            continue;
        }
        let text = read(out.join(&file));
        let (elements, attributes, urls) = tags(&text);
        for e in &elements {
            assert!(ELEMENTS.contains(&e.as_str()), "{file}: unexpected element <{e}>");
        }
        assert!(!elements.contains("style") || file == "404.html", "{file}: a <style> element");
        for a in &attributes {
            assert!(ATTRIBUTES.contains(&a.as_str()) && !a.starts_with("on"), "{file}: unexpected attribute {a}");
        }
        // The JSON-LD metadata and the search script are the only scripts, and nothing from
        // the input can end the JSON-LD early.
        for (i, _) in text.match_indices("<script") {
            let tag = &text[i..i + text[i..].find('>').unwrap()];
            assert!(
                tag == "<script type=\"application/ld+json\"" || tag.ends_with("assets/search.js\" defer"),
                "{file}: {tag}"
            );
            if tag.contains("ld+json") {
                let body = &text[i + tag.len() + 1..];
                let json = &body[..body.find("</script>").unwrap()];
                assert!(!json.contains('<'), "{file}: markup inside JSON-LD");
                let value: serde_json::Value = serde_json::from_str(json).unwrap();
                assert_eq!(value["@type"], "Dataset");
            }
        }
        for url in urls {
            let squashed: String = url.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            for scheme in ["javascript:", "data:", "vbscript:"] {
                assert!(!squashed.starts_with(scheme), "{file}: {url}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} files checked");
}

#[test]
fn hostile_text_is_shown_not_run() {
    let out = temp_dir("hostile-text").join("public");
    build(&fixture("hostile"), &out);
    let home = read(out.join("index.html"));
    // The reader sees what the file says, escaped.
    assert!(home.contains("Progress &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assert!(home.contains("Notice &lt;svg onload=alert(&#39;notice&#39;)&gt;"));
    assert!(home.contains("Intro &lt;script&gt;alert('intro')&lt;/script&gt; with &lt;iframe"));
    // Dangerous links lose their address; the raw link is shown as text.
    assert!(home.contains("<a href=\"#\">javascript link</a>"));
    assert!(home.contains("<a href=\"#\">spaced</a>"));
    assert!(home.contains("<img src=\"#\" alt=\"image\" />"));
    // Open Graph and JSON-LD carry the text too, escaped for their places.
    assert!(home.contains("<meta property=\"og:title\" content=\"Progress &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;\">"));
    assert!(
        home.contains(r#""name":"Progress \u003cscript\u003ealert('title')\u003c/script\u003e \u0026 \"quotes\"""#),
        "{home}"
    );
    // In charts too: names in the ranking, the sentence in the title.
    let ranking = read(out.join("charts/indicators/cases/ranking.svg"));
    assert!(ranking.contains("Ward &lt;img src=x onerror=alert(&#39;one&#39;)&gt;"), "{ranking}");
    assert!(
        home.contains("<title id=\"chart-city-cases-t\">City &lt;script&gt;alert(&#39;city&#39;)&lt;/script&gt;"),
        "{home}"
    );
    let page = read(out.join("localities/one/index.html"));
    assert!(
        page.contains("Source &lt;b onmouseover=alert(&#39;source&#39;)&gt;x&lt;/b&gt;")
            || page.contains("Source &lt;/desc&gt;")
    );
    assert!(page.contains("&lt;style&gt;body{display:none}&lt;/style&gt;"));
}

#[test]
fn data_files_keep_the_text_and_defuse_formulas() {
    let out = temp_dir("hostile-data").join("public");
    build(&fixture("hostile"), &out);
    let rows = csv(&read(out.join("data/figures.csv")));
    let two = row(&rows, "2025-09-30", "two", "cases");
    // A name starting with `=` would run as a formula in a spreadsheet: it gets a leading `'`.
    assert_eq!(two["locality"], "'=HYPERLINK(\"x\"), \"Two\" & <b>bold</b>");
    assert_eq!(row(&rows, "2025-09-30", "city", "cases")["locality"], "City <script>alert('city')</script>");
    let one = row(&rows, "2025-09-30", "one", "cases");
    assert_eq!(one["locality"], "Ward <img src=x onerror=alert('one')>", "the data keep the text");
    let page = read(out.join("localities/one/index.html"));
    assert!(page.contains("locality_id là one:") || page.contains("have locality_id one:"), "the page names its rows");
}

#[test]
fn feed_and_sitemap_are_escaped_xml() {
    let out = temp_dir("hostile-xml").join("public");
    build(&fixture("hostile"), &out);
    for file in ["feed.xml", "sitemap.xml"] {
        let xml = read(out.join(file));
        let (elements, _, _) = tags(&xml);
        for e in &elements {
            let allowed = [
                "feed", "title", "id", "link", "updated", "author", "name", "entry", "summary", "content", "urlset",
                "url", "loc",
            ];
            assert!(allowed.contains(&e.as_str()), "{file}: unexpected element <{e}>");
        }
        // Every `&` starts an entity: the XML is well formed however hostile the text.
        for (i, _) in xml.match_indices('&') {
            let rest = &xml[i + 1..];
            assert!(["amp;", "lt;", "gt;", "quot;", "#"].iter().any(|e| rest.starts_with(e)), "{file}: bare & at {i}");
        }
    }
    let feed = read(out.join("feed.xml"));
    assert!(feed.contains("<title>News &lt;script&gt;alert(&#39;news&#39;)&lt;/script&gt;</title>"));
}

#[test]
fn control_characters_from_the_files_never_reach_markup() {
    // A YAML "\e" (what `yaml.dump` writes for a stray control byte from a spreadsheet) in
    // a unit's name and a bulletin's title: chart SVGs and feed.xml stay well-formed XML.
    let dir = temp_dir("escaping-controls");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[".tiendo-cache"]);
    let units = site.join("data/localities.yaml");
    std::fs::write(&units, read(&units).replace("name: \"North Ward\"", "name: \"North\\e Ward\\a\"")).unwrap();
    let update = site.join("content/updates/q3-2025.md");
    let text = read(&update);
    let title = text.lines().find(|l| l.starts_with("title:")).unwrap().to_owned();
    std::fs::write(&update, text.replace(&title, "title: \"Third\\e quarter\"")).unwrap();
    let out = dir.join("out");
    let o = tiendo_en(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://x.example/",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut markup = 0;
    for f in files(&out).into_iter().filter(|f| f.ends_with(".svg") || f.ends_with(".xml") || f.ends_with(".html")) {
        let bytes = std::fs::read(out.join(&f)).unwrap();
        let bad = bytes.iter().position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'));
        assert!(bad.is_none(), "{f} holds a control character at byte {bad:?}");
        markup += 1;
    }
    assert!(markup > 25, "only {markup} files checked");
    assert!(read(out.join("localities/north/index.html")).contains("North Ward"));
    assert!(read(out.join("feed.xml")).contains("Third quarter"));
}
