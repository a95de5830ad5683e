//! Markdown commentary to HTML, safely.
//!
//! Policy: commentary is Markdown, not HTML. Raw HTML in a file (often pasted
//! from a word processor or a web page) is shown as text, escaped, never passed
//! through; link and image addresses are kept only for http, https, mailto,
//! relative paths and fragments, so `javascript:` and `data:` never reach a reader.
//! Headings are shifted down so a commentary's `#` fits under the page's own headings.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, html};

/// Renders `markdown` to safe HTML. `heading_offset` levels are added to every heading
/// (a `#` becomes `<h2>` with an offset of 1); `id_prefix` keeps footnote ids unique
/// when several fragments share a page.
pub fn render(markdown: &str, heading_offset: u8, id_prefix: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Shown escaped: the reader sees what was written, nothing runs.
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id })
        }
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: shift(level, heading_offset), id, classes, attrs })
        }
        Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
            Event::End(pulldown_cmark::TagEnd::Heading(shift(level, heading_offset)))
        }
        Event::FootnoteReference(label) => Event::FootnoteReference(format!("{id_prefix}{label}").into()),
        Event::Start(Tag::FootnoteDefinition(label)) => {
            Event::Start(Tag::FootnoteDefinition(format!("{id_prefix}{label}").into()))
        }
        e => e,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn shift(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8).saturating_add(by).min(6);
    HeadingLevel::try_from(usize::from(n)).unwrap_or(HeadingLevel::H6)
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
        let out = render("# A\n\n###### B\n\nText[^1]\n\n[^1]: Note\n", 1, "n-");
        assert!(out.contains("<h2>A</h2>"), "{out}");
        assert!(out.contains("<h6>B</h6>"), "{out}");
        assert!(out.contains("href=\"#n-1\""), "{out}");
        assert!(out.contains("id=\"n-1\""), "{out}");
    }
}
