//! The geometry of a map: the outlines of a set of areas projected into a drawing 1,000
//! units wide, simplified for it, and written as SVG path data.
//!
//! Each arc is projected and simplified once for a map, so the two areas on either side
//! of a border in TopoJSON share the same simplified line, and no gap opens between them.
//! An area made of several units (a group) is drawn as the arcs its units do not share
//! ([`merge`]), stitched into rings.
//!
//! Vietnam's Hoàng Sa and Trường Sa archipelagos lie far out at sea: drawn in place they
//! would stretch a map of the country to twice its width and still be specks. A polygon
//! whose points lie, on average, east of [`OFFSHORE`] (where no mainland or coastal
//! island of Vietnam is) is drawn in an inset ([`offshore`]), in a column to the right of
//! the rest, each inset at the height of its own latitude, framed, larger, and named:
//! whether the archipelago is a unit of its own (Đặc khu Trường Sa) or the islands of a
//! province that also has a mainland (Khánh Hòa, in a map of provinces).

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::load::boundaries::{ArcRef, Polygon};

/// The width of every map's drawing.
pub const WIDTH: f64 = 1000.0;

/// A polygon whose points lie east of this longitude on average is drawn in an inset:
/// the mainland ends at Mũi Đôi, 109.46° E, and the coastal islands west of it; the
/// westernmost reefs of Trường Sa lie at about 109.7° E.
const OFFSHORE: f64 = 109.6;

/// Between the northern and the southern insets (Hoàng Sa and Trường Sa).
const INSET_SPLIT: f64 = 13.5;

/// How far a simplified line may stray from the outline, in the drawing's units.
const TOLERANCE: f64 = 1.0;

/// The empty border around a drawing, in its units.
const MARGIN: f64 = 8.0;

/// An area to draw: its polygons, each a list of rings of arcs.
pub type Rings = Vec<Vec<ArcRef>>;

/// A map's drawing: each area's path, the outline of them all, and the insets' frames.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    pub height: f64,
    /// By area, in the order given: its path data, empty when it has no outline.
    pub paths: Vec<String>,
    /// By area: the path data of its parts in an inset (the archipelagos), drawn over it
    /// with a line of their own so that islands a few hundred metres across stay in sight.
    pub islands: Vec<String>,
    /// By area: the middle of the box around what was drawn of it.
    pub centres: Vec<Option<[f64; 2]>>,
    /// The outline of every area together.
    pub outline: String,
    pub insets: Vec<Frame>,
}

/// An inset's frame, in the drawing's units, and whether it is the northern one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub north: bool,
}

/// The rings of `arcs` that `polygons` do not share, stitched end to end: the outline of
/// all of them together.
pub fn merge(arcs: &[Vec<[f64; 2]>], polygons: &[&Polygon]) -> Rings {
    let mut uses: HashMap<usize, u32> = HashMap::new();
    for arc in polygons.iter().flat_map(|p| p.iter().flatten()) {
        *uses.entry(index(*arc)).or_default() += 1;
    }
    let outer: Vec<ArcRef> = polygons
        .iter()
        .flat_map(|p| p.iter().flatten())
        .copied()
        .filter(|a| uses.get(&index(*a)) == Some(&1))
        .collect();
    let key = |p: [f64; 2]| (p[0].to_bits(), p[1].to_bits());
    let ends = |a: ArcRef| {
        let points = &arcs[index(a)];
        let (first, last) = (points.first().copied().unwrap_or_default(), points.last().copied().unwrap_or_default());
        if a < 0 { (last, first) } else { (first, last) }
    };
    let mut starting: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
    for (k, &a) in outer.iter().enumerate() {
        starting.entry(key(ends(a).0)).or_default().push(k);
    }
    let mut used = vec![false; outer.len()];
    let mut rings = Vec::new();
    for first in 0..outer.len() {
        if used[first] {
            continue;
        }
        used[first] = true;
        let start = key(ends(outer[first]).0);
        let mut ring = vec![outer[first]];
        let mut at = key(ends(outer[first]).1);
        while at != start {
            let next = starting.get(&at).and_then(|ks| ks.iter().copied().find(|&k| !used[k]));
            let Some(next) = next else { break };
            used[next] = true;
            ring.push(outer[next]);
            at = key(ends(outer[next]).1);
        }
        rings.push(ring);
    }
    rings
}

/// The arc a reference names.
fn index(a: ArcRef) -> usize {
    (if a < 0 { !a } else { a }) as usize
}

/// Mercator: longitude and latitude in degrees to a plane, in degrees of longitude.
fn project([lon, lat]: [f64; 2]) -> [f64; 2] {
    let lat = lat.clamp(-85.0, 85.0).to_radians();
    [lon, -(std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln().to_degrees()]
}

/// A box: west, north, east, south in projected units (y grows southwards).
#[derive(Debug, Clone, Copy)]
struct Bounds([f64; 4]);

impl Bounds {
    const EMPTY: Bounds = Bounds([f64::MAX, f64::MAX, f64::MIN, f64::MIN]);

    fn add(&mut self, [x, y]: [f64; 2]) {
        let b = &mut self.0;
        (b[0], b[1], b[2], b[3]) = (b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y));
    }

    fn is_empty(&self) -> bool {
        self.0[0] > self.0[2]
    }

    fn width(&self) -> f64 {
        (self.0[2] - self.0[0]).max(1e-9)
    }

    fn height(&self) -> f64 {
        (self.0[3] - self.0[1]).max(1e-9)
    }
}

/// Where an arc goes: the main map, or an inset.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Place {
    Main,
    /// The northern inset (`true`) or the southern one.
    Inset(bool),
}

/// The arcs of the polygons of `units` that go into an inset, each with whether it is the
/// northern inset (Hoàng Sa) or the southern one (Trường Sa).
pub fn offshore<'a>(arcs: &[Vec<[f64; 2]>], units: impl Iterator<Item = &'a [Polygon]>) -> HashMap<usize, bool> {
    let mut out = HashMap::new();
    for polygon in units.flatten() {
        let used: Vec<usize> = polygon.iter().flatten().map(|&a| index(a)).collect();
        let points = used.iter().flat_map(|&a| &arcs[a]);
        let (n, lon, lat) = points.fold((0usize, 0.0, 0.0), |(n, x, y), p| (n + 1, x + p[0], y + p[1]));
        if n > 0 && lon / n as f64 > OFFSHORE {
            let north = lat / n as f64 > INSET_SPLIT;
            out.extend(used.into_iter().map(|a| (a, north)));
        }
    }
    out
}

/// Draws `areas` (and their outline, `outline`) into a drawing [`WIDTH`] wide, the arcs
/// of `offshore` in insets.
pub fn draw(arcs: &[Vec<[f64; 2]>], areas: &[Rings], outline: &Rings, offshore: &HashMap<usize, bool>) -> Drawing {
    let used: Vec<usize> = {
        let mut used: Vec<usize> = areas.iter().chain([outline]).flatten().flatten().map(|&a| index(a)).collect();
        used.sort_unstable();
        used.dedup();
        used
    };
    let places: HashMap<usize, Place> =
        used.iter().map(|&a| (a, offshore.get(&a).map_or(Place::Main, |&north| Place::Inset(north)))).collect();
    let mut bounds: HashMap<Place, Bounds> = HashMap::new();
    for &a in &used {
        let b = bounds.entry(places[&a]).or_insert(Bounds::EMPTY);
        for &p in &arcs[a] {
            b.add(project(p));
        }
    }
    let main = bounds.get(&Place::Main).copied().filter(|b| !b.is_empty());
    // The insets take a column on the right, a third as wide as the rest, when there is a
    // rest; alone, the archipelago is the map.
    let insets: Vec<(bool, Bounds)> =
        [true, false].into_iter().filter_map(|n| Some((n, *bounds.get(&Place::Inset(n))?))).collect();
    let Some(main) = main.or_else(|| insets.first().map(|i| i.1)) else { return Drawing::default() };
    let alone = !bounds.contains_key(&Place::Main);
    let column = if insets.is_empty() || alone { 0.0 } else { (WIDTH - 2.0 * MARGIN) * 0.25 };
    let scale = (WIDTH - 2.0 * MARGIN - column) / main.width();
    let height = main.height() * scale + 2.0 * MARGIN;
    let to_main = move |[x, y]: [f64; 2]| [MARGIN + (x - main.0[0]) * scale, MARGIN + (y - main.0[1]) * scale];
    let mut frames: Vec<(bool, Frame, Bounds)> = Vec::new();
    if !alone {
        for &(north, b) in &insets {
            let width = column - MARGIN;
            let h = (b.height() / b.width() * width).clamp(width * 0.4, width * 1.2);
            // At the height of its own latitude, inside the drawing.
            let middle = to_main([0.0, (b.0[1] + b.0[3]) / 2.0])[1];
            let y = (middle - h / 2.0).clamp(MARGIN, (height - MARGIN - h).max(MARGIN));
            let frame = Frame { x: WIDTH - MARGIN - width, y, width, height: h, north };
            frames.push((north, frame, b));
        }
        // The northern one above the southern one, never overlapping.
        if let [(_, a, _), (_, b, _)] = &mut frames[..]
            && a.y + a.height + 2.0 * MARGIN > b.y
        {
            b.y = (a.y + a.height + 2.0 * MARGIN).min(height - MARGIN - b.height);
        }
    }
    let to = |place: Place, p: [f64; 2]| -> [f64; 2] {
        let p = project(p);
        match place {
            Place::Main => to_main(p),
            Place::Inset(north) => match frames.iter().find(|f| f.0 == north) {
                Some((_, f, b)) => {
                    let pad = 6.0;
                    let s = ((f.width - 2.0 * pad) / b.width()).min((f.height - 2.0 * pad) / b.height());
                    let (w, h) = (b.width() * s, b.height() * s);
                    let (x0, y0) = (f.x + (f.width - w) / 2.0, f.y + (f.height - h) / 2.0);
                    [x0 + (p[0] - b.0[0]) * s, y0 + (p[1] - b.0[1]) * s]
                }
                // The archipelago alone: it is the main map.
                None => to_main(p),
            },
        }
    };
    // Each arc projected and simplified once, for every ring that has it.
    let lines: HashMap<usize, Vec<[f64; 2]>> = used
        .iter()
        .map(|&a| {
            let points: Vec<[f64; 2]> = arcs[a].iter().map(|&p| to(places[&a], p)).collect();
            (a, simplify(&points, TOLERANCE))
        })
        .collect();
    let offshore = |ring: &Vec<ArcRef>| ring.iter().any(|&a| places[&index(a)] != Place::Main);
    let path = |rings: &Rings| {
        let mut d = String::new();
        for ring in rings {
            ring_path(ring, &lines, offshore(ring), &mut d);
        }
        d
    };
    let islands = |rings: &Rings| {
        let mut d = String::new();
        for ring in rings.iter().filter(|r| offshore(r)) {
            ring_path(ring, &lines, true, &mut d);
        }
        d
    };
    let centre = |rings: &Rings| {
        let mut b = Bounds::EMPTY;
        for &a in rings.iter().flatten() {
            lines.get(&index(a)).into_iter().flatten().for_each(|&p| b.add(p));
        }
        (!b.is_empty()).then(|| [(b.0[0] + b.0[2]) / 2.0, (b.0[1] + b.0[3]) / 2.0])
    };
    Drawing {
        height: height.ceil(),
        paths: areas.iter().map(path).collect(),
        islands: areas.iter().map(islands).collect(),
        centres: areas.iter().map(centre).collect(),
        outline: path(outline),
        insets: frames.into_iter().map(|(_, f, _)| f).collect(),
    }
}

/// Appends one ring as `M x y l dx dy … z`, in whole units. A ring simplified to less
/// than a triangle is left out, unless it is `offshore`: then it is a small diamond where
/// it was, so that an island of an archipelago stays in sight.
fn ring_path(ring: &[ArcRef], lines: &HashMap<usize, Vec<[f64; 2]>>, offshore: bool, d: &mut String) {
    let mut points: Vec<(i64, i64)> = Vec::new();
    for &a in ring {
        let Some(line) = lines.get(&index(a)) else { continue };
        let mut add = |p: &[f64; 2]| {
            let q = (p[0].round() as i64, p[1].round() as i64);
            if points.last() != Some(&q) {
                points.push(q);
            }
        };
        if a < 0 { line.iter().rev().for_each(&mut add) } else { line.iter().for_each(&mut add) }
    }
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    if points.len() < 3 {
        if offshore && let Some(&(x, y)) = points.first() {
            let _ = write!(d, "M{x} {}l3 3-3 3-3-3z", y - 3);
        }
        return;
    }
    let (mut x, mut y) = points[0];
    let _ = write!(d, "M{x} {y}l");
    for (k, &(px, py)) in points[1..].iter().enumerate() {
        if k > 0 && px - x >= 0 {
            d.push(' ');
        }
        let _ = write!(d, "{}", px - x);
        if py - y >= 0 {
            d.push(' ');
        }
        let _ = write!(d, "{}", py - y);
        (x, y) = (px, py);
    }
    d.push('z');
}

/// `points` with the fewest points that stay within `tolerance` of them (Douglas and
/// Peucker), the first and last kept.
fn simplify(points: &[[f64; 2]], tolerance: f64) -> Vec<[f64; 2]> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    let last = points.len() - 1;
    (keep[0], keep[last]) = (true, true);
    let mut stack = vec![(0, last)];
    while let Some((a, b)) = stack.pop() {
        let (p, q) = (points[a], points[b]);
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        let length = (dx * dx + dy * dy).sqrt();
        let distance = |r: [f64; 2]| {
            if length < 1e-12 {
                ((r[0] - p[0]).powi(2) + (r[1] - p[1]).powi(2)).sqrt()
            } else {
                ((r[0] - p[0]) * dy - (r[1] - p[1]) * dx).abs() / length
            }
        };
        let far = (a + 1..b).map(|k| (k, distance(points[k]))).max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((k, d)) = far
            && d > tolerance
        {
            keep[k] = true;
            stack.push((a, k));
            stack.push((k, b));
        }
    }
    points.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two squares side by side, sharing arc 1: A is arcs 0 and 1, B is arcs 2 and !1.
    fn two_squares() -> Vec<Vec<[f64; 2]>> {
        vec![
            vec![[105.0, 10.0], [105.0, 10.1], [105.1, 10.1]],
            vec![[105.1, 10.1], [105.1, 10.0], [105.0, 10.0]],
            vec![[105.1, 10.1], [105.2, 10.1], [105.2, 10.0], [105.1, 10.0]],
        ]
    }

    #[test]
    fn a_group_is_drawn_as_the_arcs_its_units_do_not_share() {
        let arcs = two_squares();
        let (a, b): (Polygon, Polygon) = (vec![vec![0, 1]], vec![vec![2, !1]]);
        let rings = merge(&arcs, &[&a, &b]);
        assert_eq!(rings.len(), 1, "{rings:?}");
        let mut ring = rings[0].clone();
        ring.sort();
        assert_eq!(ring, vec![0, 2], "the shared arc is left out");
    }

    #[test]
    fn neighbours_share_their_border_and_fill_the_width() {
        let arcs = two_squares();
        let areas = vec![vec![vec![0, 1]], vec![vec![2, !1]]];
        let d = draw(&arcs, &areas, &merge(&arcs, &[&areas[0], &areas[1]]), &HashMap::new());
        assert!((d.height - (WIDTH / 2.0)).abs() < 20.0, "two squares are twice as wide as high: {}", d.height);
        assert!(d.paths.iter().all(|p| p.starts_with('M') && p.ends_with('z')), "{:?}", d.paths);
        assert!(d.insets.is_empty());
        // The border's end points are the same in both.
        assert!(d.paths[0].contains("M8 ") && d.paths[1].starts_with("M500 "), "{:?}", d.paths);
    }

    #[test]
    fn far_islands_go_into_an_inset_and_stay_in_sight() {
        let mut arcs = two_squares();
        // A tiny island at 112° E, 16.5° N: Hoàng Sa's place.
        arcs.push(vec![[112.0, 16.5], [112.001, 16.5], [112.001, 16.501], [112.0, 16.5]]);
        let areas = vec![vec![vec![0, 1]], vec![vec![2, !1], vec![3]]];
        // The island is a unit of its own, far out at sea.
        let island: Vec<Polygon> = vec![vec![vec![3]]];
        let offshore = offshore(&arcs, [&island[..], &[vec![vec![0, 1]]][..]].into_iter());
        assert_eq!(offshore, HashMap::from([(3, true)]));
        // Or the islands of a unit that has a mainland too (Đà Nẵng's, in a map of
        // provinces): only the islands go.
        let province: Vec<Polygon> = vec![vec![vec![2, !1]], vec![vec![3]]];
        assert_eq!(super::offshore(&arcs, [&province[..]].into_iter()), HashMap::from([(3, true)]));
        let d = draw(&arcs, &areas, &vec![], &offshore);
        assert_eq!(d.insets.len(), 1);
        let f = d.insets[0];
        assert!(f.north && f.x > WIDTH * 0.7, "{f:?}");
        // The island is inside its frame.
        let island = d.paths[1].rsplit('M').next().unwrap();
        let x: f64 = island.split(' ').next().unwrap().parse().unwrap();
        assert!(x >= f.x && x <= f.x + f.width, "{island} in {f:?}");
    }

    #[test]
    fn simplified_lines_keep_their_ends_and_their_shape() {
        let line: Vec<[f64; 2]> = (0..=100).map(|k| [k as f64, if k == 50 { 30.0 } else { 0.0 }]).collect();
        assert_eq!(simplify(&line, 1.0), vec![[0.0, 0.0], [49.0, 0.0], [50.0, 30.0], [51.0, 0.0], [100.0, 0.0]]);
        let straight: Vec<[f64; 2]> = (0..=10).map(|k| [k as f64, 0.0]).collect();
        assert_eq!(simplify(&straight, 1.0), vec![[0.0, 0.0], [10.0, 0.0]]);
    }
}
