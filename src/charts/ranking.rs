//! The ranking of every unit on one indicator: a horizontal bar per unit, longest
//! first, coloured by status and labelled with its percentage and status in words.

use super::svg::{Anchor, Stroke, Svg};
use super::{AXIS, GRID, INK, status_colour};
use crate::progress::Status;

/// One unit's bar.
#[derive(Debug, Clone)]
pub struct Bar {
    pub name: String,
    /// value / target: 1.0 is 100 %.
    pub progress: f64,
    pub status: Status,
    /// Written after the bar, e.g. "80,52 % · chậm tiến độ".
    pub label: String,
}

pub struct Ranking<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    /// In the order to draw, top first.
    pub bars: &'a [Bar],
    /// Axis labels for 0 %, 50 %, 100 % and 150 %.
    pub ticks: [String; 4],
}

const WIDTH: f64 = 640.0;
const ROW: f64 = 20.0;
const TOP: f64 = 28.0;
const NAMES: f64 = 186.0;
/// Pixels for 100 %.
const SCALE: f64 = 240.0;
/// Bars longer than this are cut (and their label says the real figure).
const CAP: f64 = 1.5;
const TEXT: f64 = 12.0;

pub fn ranking(r: &Ranking) -> String {
    let bottom = TOP + r.bars.len() as f64 * ROW;
    let height = (bottom + 8.0).ceil() as u32;
    let mut svg = Svg::new(WIDTH as u32, height, r.id, r.title, r.desc, TEXT, INK);
    let x_of = |p: f64| NAMES + (p.clamp(0.0, CAP) * SCALE).round();
    for (k, label) in r.ticks.iter().enumerate() {
        let x = x_of(k as f64 * 0.5);
        let colour = if k == 2 { AXIS } else { GRID };
        svg.polyline(&[(x, TOP - 4.0), (x, bottom)], colour, 1.0, Stroke::Solid);
        svg.text(x, TOP - 14.0, Anchor::Middle, label);
    }
    for (i, bar) in r.bars.iter().enumerate() {
        let top = TOP + i as f64 * ROW;
        let mid = top + ROW / 2.0;
        svg.text(NAMES - 8.0, mid, Anchor::End, &bar.name);
        let end = x_of(bar.progress).max(NAMES + 1.0);
        svg.rect(NAMES, top + 4.0, end - NAMES, ROW - 8.0, status_colour(bar.status));
        svg.text(end + 6.0, mid, Anchor::Start, &bar.label);
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bar_per_unit_with_words_and_text_alternative() {
        let bars = vec![
            Bar {
                name: "Phường Long Mỹ".into(),
                progress: 0.8052,
                status: Status::Behind,
                label: "80,52 % · chậm".into(),
            },
            Bar {
                name: "Xã <Mỹ Tú>".into(), progress: 1.7, status: Status::Achieved, label: "170,00 % · đạt".into()
            },
        ];
        let ticks = ["0 %".to_string(), "50 %".into(), "100 %".into(), "150 %".into()];
        let svg = ranking(&Ranking { id: "r", title: "Xếp hạng", desc: "d", bars: &bars, ticks });
        assert_eq!(svg.matches("<rect").count(), 3, "background and two bars");
        assert!(svg.contains(">Xã &lt;Mỹ Tú&gt;</text>"), "names are escaped");
        assert!(svg.contains(">80,52 % · chậm</text>"));
        assert!(svg.contains("<title id=\"r-t\">Xếp hạng</title>"));
        // The bar beyond the cap stops at 150 %.
        assert!(svg.contains(&format!("width=\"{}\"", (1.5 * SCALE) as i32)));
    }
}
