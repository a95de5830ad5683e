//! Markdown commentary to HTML, safely.
//!
//! Policy: commentary is Markdown, not HTML. Raw HTML in a file (often pasted
//! from a word processor or a web page) is shown as text, escaped, never passed
//! through; link and image addresses are kept only for http, https, mailto,
//! relative paths and fragments, so `javascript:` and `data:` never reach a reader.
//! Headings are shifted down so a commentary's `#` fits under the page's own headings.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// Renders `markdown` to safe HTML. Its highest heading becomes `<h{top}>`, the others
/// keep their distance below it, so a file fits under the page's own headings whether
/// its author started at `#` or at `##`. `id_prefix` keeps footnote ids unique when
/// several fragments share a page.
pub fn render(markdown: &str, top: u8, id_prefix: &str) -> String {
    render_linked(markdown, top, id_prefix, None)
}

/// Like [`render`], and the first mention of each place of `places` in the text becomes
/// a link to its page, `root` (the way back to the site root) before its address.
pub fn render_linked(markdown: &str, top: u8, id_prefix: &str, places: Option<(&Places, &str)>) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let highest = Parser::new_ext(markdown, options)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let offset = i16::from(top.clamp(1, 6)) - i16::from(highest);
    let mut linked: Vec<bool> = places.map(|(p, _)| vec![false; p.hrefs.len()]).unwrap_or_default();
    // Inside a link, a heading or an image, a place's name is left as it is.
    let mut depth = 0usize;
    let mut out_events: Vec<Event> = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        let event = match event {
            // Shown escaped: the reader sees what was written, nothing runs.
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                depth += 1;
                Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                depth += 1;
                Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id })
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                depth += 1;
                Event::Start(Tag::Heading { level: shift(level, offset), id, classes, attrs })
            }
            Event::End(TagEnd::Heading(level)) => {
                depth = depth.saturating_sub(1);
                Event::End(TagEnd::Heading(shift(level, offset)))
            }
            Event::End(e @ (TagEnd::Link | TagEnd::Image)) => {
                depth = depth.saturating_sub(1);
                Event::End(e)
            }
            Event::FootnoteReference(label) => Event::FootnoteReference(format!("{id_prefix}{label}").into()),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Event::Start(Tag::FootnoteDefinition(format!("{id_prefix}{label}").into()))
            }
            Event::Text(text) if depth == 0 && places.is_some() => {
                if let Some((places, root)) = places {
                    link_places(text, places, root, &mut linked, &mut out_events);
                }
                continue;
            }
            e => e,
        };
        out_events.push(event);
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, out_events.into_iter());
    out
}

/// The places prose may name, and the address of each one's page from the site root.
pub struct Places {
    /// By name in lower case: the place's index, or `None` when two places share the name
    /// (which one is meant cannot be known, so neither is linked).
    by_name: HashMap<String, Option<usize>>,
    hrefs: Vec<String>,
    /// The most words in a name.
    longest: usize,
}

impl Places {
    /// From each place's full name ("Phường Long Mỹ": the kind is part of the name, so a
    /// bare "Long Mỹ" is never taken for it) and its address.
    pub fn new(places: impl Iterator<Item = (String, String)>) -> Places {
        let mut by_name: HashMap<String, Option<usize>> = HashMap::new();
        let mut hrefs = Vec::new();
        let mut longest = 0;
        for (name, href) in places {
            let key = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            longest = longest.max(key.split(' ').count());
            let k = hrefs.len();
            hrefs.push(href);
            by_name.entry(key).and_modify(|v| *v = None).or_insert(Some(k));
        }
        Places { by_name, hrefs, longest }
    }
}

/// Pushes `text` as events, the first mention of each place in `places` (not yet
/// `linked`) as a link from a page `root` away from the site root: the longest name that
/// starts at a word, of two words or more.
fn link_places<'a>(text: CowStr<'a>, places: &Places, root: &str, linked: &mut [bool], out: &mut Vec<Event<'a>>) {
    let words: Vec<(usize, usize)> = word_spans(&text);
    let mut cut = 0;
    let mut w = 0;
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    while w < words.len() {
        let mut hit = None;
        for n in (2..=places.longest.min(words.len() - w)).rev() {
            let (start, end) = (words[w].0, words[w + n - 1].1);
            let key = text[start..end].split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            if let Some(&Some(k)) = places.by_name.get(&key) {
                hit = Some((n, start, end, k));
                break;
            }
        }
        match hit {
            Some((n, start, end, k)) => {
                if !linked[k] {
                    linked[k] = true;
                    found.push((start, end, k));
                }
                w += n;
            }
            None => w += 1,
        }
    }
    if found.is_empty() {
        out.push(Event::Text(text));
        return;
    }
    for (start, end, k) in found {
        if start > cut {
            out.push(Event::Text(CowStr::from(text[cut..start].to_owned())));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(format!("{root}{}", places.hrefs[k])),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(CowStr::from(text[start..end].to_owned())));
        out.push(Event::End(TagEnd::Link));
        cut = end;
    }
    if cut < text.len() {
        out.push(Event::Text(CowStr::from(text[cut..].to_owned())));
    }
}

/// The byte spans of the words of `text`: runs of letters and digits.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

fn shift(level: HeadingLevel, by: i16) -> HeadingLevel {
    let n = (i16::from(level as u8) + by).clamp(1, 6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

/// Keeps addresses that cannot run code; anything else becomes `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    // Browsers ignore control characters and spaces inside a scheme, so judge the address
    // as a browser would read it: `java\tscript:` is still javascript.
    let normalised: String =
        url.chars().filter(|c| !c.is_control() && !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    let scheme_end = normalised.find(':');
    let path_start = normalised.find(['/', '?', '#']).unwrap_or(normalised.len());
    let allowed = match scheme_end {
        // No scheme, or a colon only after the path starts: a relative address.
        None => true,
        Some(i) if i > path_start => true,
        Some(i) => matches!(&normalised[..i], "http" | "https" | "mailto" | "tel"),
    };
    if allowed { url } else { CowStr::Borrowed("#") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_escaped() {
        let out = render("Hello <script>alert(1)</script>\n\n<div onclick=\"x()\">hi</div>\n", 0, "");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<div"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        let out = render("<img src=x onerror=alert(2)>", 0, "");
        assert!(!out.contains("<img"), "{out}");
    }

    #[test]
    fn dangerous_link_schemes_are_removed() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java&#9;script:alert(1)",
            " javascript:x",
            "data:text/html,<script>",
            "vbscript:x",
        ] {
            let out = render(&format!("[click]({bad})"), 0, "");
            assert!(out.contains("href=\"#\""), "{bad}: {out}");
        }
        let out = render("![x](javascript:alert(1))", 0, "");
        assert!(out.contains("src=\"#\""), "{out}");
    }

    #[test]
    fn ordinary_links_are_kept() {
        for good in [
            "https://example.gov.vn/a",
            "http://x.vn",
            "mailto:a@b.vn",
            "../localities/o-mon/index.html",
            "#part",
            "page?a=b:c",
        ] {
            let out = render(&format!("[x]({good})"), 0, "");
            assert!(out.contains(&format!("href=\"{}\"", good.replace('&', "&amp;"))), "{good}: {out}");
        }
    }

    #[test]
    fn headings_shift_and_footnotes_are_prefixed() {
        let out = render("# A\n\n###### B\n\nText[^1]\n\n[^1]: Note\n", 2, "n-");
        assert!(out.contains("<h2>A</h2>"), "{out}");
        assert!(out.contains("<h6>B</h6>"), "{out}");
        assert!(out.contains("href=\"#n-1\""), "{out}");
        assert!(out.contains("id=\"n-1\""), "{out}");
        // A file that starts at `##` has its highest heading at the top level too.
        let out = render("## A\n\n### B\n", 2, "");
        assert!(out.contains("<h2>A</h2>") && out.contains("<h3>B</h3>"), "{out}");
    }

    #[test]
    fn the_first_mention_of_each_place_links_to_it() {
        let places = Places::new(
            [
                ("Phường Long Mỹ", "localities/long-my/index.html"),
                ("Xã Mỹ Tú", "localities/my-tu/index.html"),
                ("Phường Long", "localities/long/index.html"),
                ("Xã Tân Phú", "a"),
                ("Xã Tân Phú", "b"),
            ]
            .map(|(n, h)| (n.to_owned(), h.to_owned()))
            .into_iter(),
        );
        let md = "## Phường Long Mỹ\n\nPhường Long Mỹ và xã Mỹ Tú; lại phường Long Mỹ. Xã Tân Phú. Long Mỹ.\n\n[Xã Mỹ Tú](x)\n";
        let out = render_linked(md, 2, "", Some((&places, "../../")));
        assert!(out.contains("<h2>Phường Long Mỹ</h2>"), "not in a heading: {out}");
        assert_eq!(out.matches("href=\"../../localities/long-my/index.html\"").count(), 1, "{out}");
        assert!(out.contains("<a href=\"../../localities/long-my/index.html\">Phường Long Mỹ</a> và <a href=\"../../localities/my-tu/index.html\">xã Mỹ Tú</a>"), "{out}");
        assert!(!out.contains("localities/long/index.html"), "the longest name wins: {out}");
        assert!(
            !out.contains("href=\"a\"") && !out.contains("href=\"b\""),
            "a name two places share is not linked: {out}"
        );
        assert!(out.contains("<a href=\"x\">Xã Mỹ Tú</a>"), "links are left alone: {out}");
    }
}
