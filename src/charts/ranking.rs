//! The ranking of every unit on one indicator: a horizontal bar per unit, longest
//! first, coloured by status and labelled with its percentage and status in words.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{AXIS, GRID, INK, accessible, err, px, status_colour};
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

const WIDTH: u32 = 640;
const ROW: i32 = 20;
const TOP: i32 = 28;
const NAMES: i32 = 186;
/// Pixels for 100 %.
const SCALE: f64 = 240.0;
/// Bars longer than this are cut (and their label says the real figure).
const CAP: f64 = 1.5;

pub fn ranking(r: &Ranking) -> Result<String, super::Error> {
    let rows = i32::try_from(r.bars.len()).unwrap_or(i32::MAX / ROW - 2);
    let height = u32::try_from(TOP + rows * ROW + 8).unwrap_or(u32::MAX);
    let mut svg = String::with_capacity(256 * r.bars.len() + 2048);
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let x_of = |p: f64| NAMES + (p.clamp(0.0, CAP) * SCALE).round() as i32;
        let bottom = TOP + rows * ROW;
        let tick_style = ("sans-serif", px(12.0)).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom));
        for (k, label) in r.ticks.iter().enumerate() {
            let p = k as f64 * 0.5;
            let x = x_of(p);
            let colour = if k == 2 { AXIS } else { GRID };
            root.draw(&PathElement::new(vec![(x, TOP - 4), (x, bottom)], colour.stroke_width(1))).map_err(err)?;
            root.draw(&Text::new(label.clone(), (x, TOP - 8), tick_style.clone())).map_err(err)?;
        }
        let name_style = ("sans-serif", px(12.0)).into_font().color(&INK).pos(Pos::new(HPos::Right, VPos::Center));
        let label_style = ("sans-serif", px(12.0)).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, bar) in r.bars.iter().enumerate() {
            let top = TOP + i32::try_from(i).unwrap_or(0) * ROW;
            let mid = top + ROW / 2;
            root.draw(&Text::new(bar.name.clone(), (NAMES - 8, mid), name_style.clone())).map_err(err)?;
            let end = x_of(bar.progress).max(NAMES + 1);
            root.draw(&Rectangle::new([(NAMES, top + 4), (end, top + ROW - 4)], status_colour(bar.status).filled()))
                .map_err(err)?;
            root.draw(&Text::new(bar.label.clone(), (end + 6, mid), label_style.clone())).map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(accessible(&svg, r.id, r.title, r.desc))
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
        let svg = ranking(&Ranking { id: "r", title: "Xếp hạng", desc: "d", bars: &bars, ticks }).unwrap();
        assert_eq!(svg.matches("<rect").count(), 3, "background and two bars");
        assert!(svg.contains(">\nXã &lt;Mỹ Tú&gt;\n<"), "names are escaped");
        assert!(svg.contains(">\n80,52 % · chậm\n<"));
        assert!(svg.contains("<title id=\"r-t\">Xếp hạng</title>"));
        // The bar beyond the cap stops at 150 %.
        assert!(svg.contains(&format!("width=\"{}\"", (1.5 * SCALE) as i32)));
    }
}
