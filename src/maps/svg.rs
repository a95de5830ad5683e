//! Maps as SVG, for pages: a status map, whose every area is a link, and a unit's locator.
//!
//! A page's status maps draw their areas by reference (`<use>`) to one set of paths, in
//! an SVG of no size at the top of the page ([`defs`]), with the statuses' patterns: a
//! page with a map for each indicator holds the outlines once. Colours and patterns are
//! the theme's (`.s-behind` and the like, in its style sheet), so that a status never
//! rests on colour alone, and the legend under a map is HTML.

use std::fmt::Write as _;

use super::{Area, View};
use crate::text::push_escaped_html;

/// The statuses a map shows, with their patterns: (class, background, ink, the pattern's
/// marks in a 14-unit tile).
const PATTERNS: [(&str, &str, &str, &str); 7] = [
    ("achieved", "#1a7f37", "#1a7f37", ""),
    ("on-track", "#c9dcf0", "#1f5fa0", "M-2 16L16-2M-4 4l8-8M10 18l8-8"),
    ("at-risk", "#f5dcb8", "#8f4d00", "M3.5 3.5h.1M10.5 10.5h.1"),
    ("behind", "#f4c9c4", "#b3261e", "M0 0L14 14M14 0L0 14"),
    ("no-trend", "#e4e4e4", "#595959", "M0 7h14"),
    // A closed year's unmet target: as "behind", which it ended as.
    ("missed", "#f4c9c4", "#b3261e", "M0 0L14 14M14 0L0 14"),
    ("none", "#f7f7f7", "#f7f7f7", ""),
];

/// The patterns of the statuses and each area of `view` with its id, in an SVG of no size.
pub fn defs(view: Option<&View>) -> String {
    let mut out =
        String::with_capacity(view.map_or(2000, |v| v.drawing.paths.iter().map(String::len).sum::<usize>() + 4000));
    out.push_str("<svg class=\"map-defs\" width=\"0\" height=\"0\" aria-hidden=\"true\" focusable=\"false\"><defs>\n");
    for (class, back, ink, marks) in PATTERNS {
        let _ = write!(
            out,
            "<pattern id=\"mp-{class}\" width=\"14\" height=\"14\" patternUnits=\"userSpaceOnUse\"><rect width=\"14\" height=\"14\" fill=\"{back}\"/>"
        );
        if !marks.is_empty() {
            let _ = write!(out, "<path d=\"{marks}\" stroke=\"{ink}\" stroke-width=\"2.5\" stroke-linecap=\"round\"/>");
        }
        out.push_str("</pattern>\n");
    }
    if let Some(view) = view {
        for (k, d) in view.drawing.paths.iter().enumerate().filter(|(_, d)| !d.is_empty()) {
            let _ = writeln!(out, "<path id=\"mv{k}\" class=\"ma\" d=\"{d}\"/>");
        }
        for (k, d) in view.drawing.islands.iter().enumerate().filter(|(_, d)| !d.is_empty()) {
            let _ = writeln!(out, "<path id=\"mi{k}\" class=\"ma\" d=\"{d}\"/>");
        }
        if !view.drawing.outline.is_empty() {
            let _ = writeln!(out, "<path id=\"mvo\" class=\"ma\" d=\"{}\"/>", view.drawing.outline);
        }
    }
    out.push_str("</defs></svg>\n");
    out
}

/// One area of a status map: where it links, its name for those who hear the page (its
/// name, figure and status), and its status's class.
pub struct Link {
    pub area: Area,
    pub href: String,
    pub name: String,
    pub status: &'static str,
}

/// A map of `view` whose areas are `links`, in their order (the order a keyboard goes
/// through them), on a page `root` away from the site's root. Its areas are those of
/// [`defs`] for the same view.
pub fn status_map(view: &View, links: &[Link], label: &str, root: &str) -> String {
    let d = &view.drawing;
    let mut out = String::with_capacity(links.len() * 160 + 400);
    let _ = write!(
        out,
        "<svg class=\"map\" viewBox=\"0 0 {} {}\" role=\"group\" aria-label=\"",
        super::geometry::WIDTH,
        d.height
    );
    push_escaped_html(label, &mut out);
    out.push_str("\">\n");
    for link in links {
        let Some(k) = view.areas.iter().position(|&a| a == link.area) else { continue };
        if d.paths.get(k).is_none_or(|p| p.is_empty()) {
            continue;
        }
        out.push_str("<a href=\"");
        push_escaped_html(root, &mut out);
        push_escaped_html(&link.href, &mut out);
        out.push_str("\"><title>");
        push_escaped_html(&link.name, &mut out);
        let _ = write!(out, "</title><use href=\"#mv{k}\" class=\"s-{}\"/>", link.status);
        if d.islands.get(k).is_some_and(|i| !i.is_empty()) {
            let _ = write!(out, "<use href=\"#mi{k}\" class=\"s-{} island\"/>", link.status);
        }
        out.push_str("</a>\n");
    }
    if !d.outline.is_empty() {
        out.push_str("<use href=\"#mvo\" class=\"map-outline\"/>\n");
    }
    frames(view, &mut out);
    out.push_str("</svg>");
    out
}

/// Where `area` lies: the outline of `view` with the area filled and ringed, or `None`
/// when the view does not have the area's outline.
pub fn locator(view: &View, area: Area, label: &str, outline: &str) -> Option<String> {
    let k = view.areas.iter().position(|&a| a == area)?;
    let d = &view.drawing;
    let path = d.paths.get(k).filter(|p| !p.is_empty())?;
    let mut out = String::with_capacity(path.len() + 600);
    let _ = write!(
        out,
        "<svg class=\"locator\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"",
        super::geometry::WIDTH,
        d.height
    );
    push_escaped_html(label, &mut out);
    out.push_str("\">\n<image class=\"locator-all\" href=\"");
    push_escaped_html(outline, &mut out);
    let _ = write!(
        out,
        "\" width=\"{}\" height=\"{}\"/>\n<path class=\"locator-unit\" d=\"{path}\"/>\n",
        super::geometry::WIDTH,
        d.height
    );
    if let Some(islands) = d.islands.get(k).filter(|i| !i.is_empty()) {
        let _ = writeln!(out, "<path class=\"locator-unit island\" d=\"{islands}\"/>");
    }
    if let Some([x, y]) = d.centres.get(k).copied().flatten() {
        let _ = writeln!(out, "<circle class=\"locator-ring\" cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"28\"/>");
    }
    frames(view, &mut out);
    out.push_str("</svg>");
    Some(out)
}

/// The outline of every unit of `view`, as the picture every locator of the view lays
/// its unit over (`image` in [`locator`]): drawn once, and read once by a reader who
/// looks at several units of one province, rather than in each of their pages. A picture
/// takes no style from the page, so it carries its colours: the theme's pale land and its
/// muted ink (`--muted`).
pub fn outline_file(view: &View) -> String {
    let d = &view.drawing;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">\n<path fill=\"#e9edf3\" stroke=\"#555\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\" d=\"{}\"/>\n</svg>\n",
        d.outline,
        w = super::geometry::WIDTH,
        h = d.height
    )
}

/// The insets' frames.
fn frames(view: &View, out: &mut String) {
    for f in &view.drawing.insets {
        let _ = writeln!(
            out,
            "<rect class=\"map-inset\" x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\"/>",
            f.x, f.y, f.width, f.height
        );
    }
}
