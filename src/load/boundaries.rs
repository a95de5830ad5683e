//! `data/boundaries.topojson` (or `.geojson`): the units' outlines, for maps (SPEC §1).
//!
//! Both are read into one shape: arcs, each a line of (longitude, latitude) points, and
//! features, each a unit's polygons as rings of arcs. TopoJSON shares each border between
//! the two units on either side of it, as one arc; from GeoJSON each ring is an arc of
//! its own. Which feature is which unit is for `validate` to say.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::SourceFile;
use crate::diag::Diagnostic;
use crate::t;

pub const TOPOJSON_FILE: &str = "data/boundaries.topojson";
pub const GEOJSON_FILE: &str = "data/boundaries.geojson";

/// An arc of a ring: `k` is arc `k` as it is, `!k` (a negative number) arc `k` backwards,
/// as TopoJSON writes them.
pub type ArcRef = i32;

/// A polygon: its outer ring, then its holes; each ring a list of arcs.
pub type Polygon = Vec<Vec<ArcRef>>;

/// The outlines of a boundaries file.
#[derive(Debug, Clone, Default)]
pub struct RawBoundaries {
    /// Each arc's points: (longitude, latitude).
    pub arcs: Vec<Vec<[f64; 2]>>,
    pub features: Vec<RawFeature>,
}

/// One outline and what names it.
#[derive(Debug, Clone, Default)]
pub struct RawFeature {
    /// Its `code` and `id` properties (or the feature's own `id`), as text.
    pub code: Option<String>,
    pub id: Option<String>,
    pub polygons: Vec<Polygon>,
}

#[derive(Deserialize)]
struct Topology {
    #[serde(rename = "type")]
    kind: String,
    transform: Option<Transform>,
    arcs: Vec<Vec<Vec<f64>>>,
    objects: BTreeMap<String, TopoObject>,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct TopoObject {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    geometries: Vec<TopoObject>,
    #[serde(default)]
    arcs: Value,
    #[serde(default)]
    properties: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    id: Option<Value>,
}

#[derive(Deserialize)]
struct FeatureCollection {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    properties: Option<BTreeMap<String, Value>>,
    geometry: Option<Geometry>,
    #[serde(default)]
    id: Option<Value>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: Value,
}

/// Reads a boundaries file, TopoJSON or GeoJSON as its name says.
pub fn parse(file: &SourceFile) -> Result<RawBoundaries, Diagnostic> {
    if file.rel.ends_with(".geojson") { geojson(file) } else { topojson(file) }
}

/// A JSON error, at its line and column (without the line: such files are often one
/// line of a million characters).
fn json_error(file: &SourceFile, e: &serde_json::Error, format: &str) -> Diagnostic {
    let mut d = Diagnostic::error(&file.rel, t!("boundaries_not_json", format, detail = e.to_string()))
        .help(t!("boundaries_not_json_help", format));
    (d.line, d.column) = (e.line() as u64, e.column() as u64);
    d
}

fn wrong(file: &SourceFile, format: &str) -> Diagnostic {
    Diagnostic::error(&file.rel, t!("boundaries_not_format", format)).help(t!("boundaries_not_json_help", format))
}

fn topojson(file: &SourceFile) -> Result<RawBoundaries, Diagnostic> {
    let topology: Topology = serde_json::from_str(&file.text).map_err(|e| json_error(file, &e, "TopoJSON"))?;
    if topology.kind != "Topology" {
        return Err(wrong(file, "TopoJSON"));
    }
    // Quantized arcs are deltas from the point before, in the transform's units.
    let arcs = topology
        .arcs
        .iter()
        .map(|arc| {
            let mut at = [0.0, 0.0];
            arc.iter()
                .filter(|p| p.len() >= 2)
                .map(|p| match &topology.transform {
                    Some(t) => {
                        at = [at[0] + p[0], at[1] + p[1]];
                        [at[0] * t.scale[0] + t.translate[0], at[1] * t.scale[1] + t.translate[1]]
                    }
                    None => [p[0], p[1]],
                })
                .collect()
        })
        .collect::<Vec<Vec<[f64; 2]>>>();
    let mut features = Vec::new();
    for object in topology.objects.values() {
        collect(object, &mut features);
    }
    let count = arcs.len();
    let fits = |k: &ArcRef| {
        let index = if *k < 0 { !*k } else { *k };
        usize::try_from(index).is_ok_and(|i| i < count)
    };
    if !features.iter().all(|f| f.polygons.iter().flatten().flatten().all(fits)) {
        return Err(wrong(file, "TopoJSON"));
    }
    Ok(RawBoundaries { arcs, features })
}

/// The features of a TopoJSON object, into `out`: its polygons, or those of each geometry
/// of a collection.
fn collect(object: &TopoObject, out: &mut Vec<RawFeature>) {
    for g in &object.geometries {
        collect(g, out);
    }
    let rings = |v: &Value| -> Vec<Vec<ArcRef>> {
        v.as_array()
            .map(|rings| {
                rings
                    .iter()
                    .map(|ring| {
                        ring.as_array()
                            .map(|arcs| arcs.iter().filter_map(|a| a.as_i64()?.try_into().ok()).collect())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let polygons: Vec<Polygon> = match object.kind.as_deref() {
        Some("Polygon") => vec![rings(&object.arcs)],
        Some("MultiPolygon") => object.arcs.as_array().map(|ps| ps.iter().map(rings).collect()).unwrap_or_default(),
        _ => return,
    };
    out.push(named(object.properties.as_ref(), object.id.as_ref(), polygons));
}

fn named(properties: Option<&BTreeMap<String, Value>>, id: Option<&Value>, polygons: Vec<Polygon>) -> RawFeature {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let property = |key: &str| properties.and_then(|p| p.get(key)).and_then(text);
    RawFeature { code: property("code"), id: property("id").or_else(|| id.and_then(text)), polygons }
}

fn geojson(file: &SourceFile) -> Result<RawBoundaries, Diagnostic> {
    let collection: FeatureCollection =
        serde_json::from_str(&file.text).map_err(|e| json_error(file, &e, "GeoJSON"))?;
    if collection.kind != "FeatureCollection" {
        return Err(wrong(file, "GeoJSON"));
    }
    let mut out = RawBoundaries::default();
    let ring = |v: &Value| -> Vec<[f64; 2]> {
        v.as_array()
            .map(|points| {
                points
                    .iter()
                    .filter_map(|p| {
                        let p = p.as_array()?;
                        Some([p.first()?.as_f64()?, p.get(1)?.as_f64()?])
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    for feature in &collection.features {
        let Some(geometry) = &feature.geometry else { continue };
        let polygons: Vec<&Value> = match geometry.kind.as_str() {
            "Polygon" => vec![&geometry.coordinates],
            "MultiPolygon" => geometry.coordinates.as_array().map(|ps| ps.iter().collect()).unwrap_or_default(),
            _ => continue,
        };
        let mut shape = Vec::new();
        for polygon in polygons {
            let mut rings = Vec::new();
            for r in polygon.as_array().into_iter().flatten() {
                let points = ring(r);
                if points.len() < 3 {
                    continue;
                }
                let Ok(k) = ArcRef::try_from(out.arcs.len()) else { return Err(wrong(file, "GeoJSON")) };
                out.arcs.push(points);
                rings.push(vec![k]);
            }
            if !rings.is_empty() {
                shape.push(rings);
            }
        }
        out.features.push(named(feature.properties.as_ref(), feature.id.as_ref(), shape));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topojson_arcs_are_decoded_and_shared() {
        let text = r#"{"type":"Topology","transform":{"scale":[0.5,0.25],"translate":[100,10]},
            "arcs":[[[0,0],[2,0],[0,4]],[[2,4],[-2,0],[0,-4]],[[2,0],[2,0],[0,4],[-2,0]]],
            "objects":{"u":{"type":"GeometryCollection","geometries":[
              {"type":"Polygon","arcs":[[0,1]],"properties":{"code":"00004","name":"A"}},
              {"type":"MultiPolygon","arcs":[[[2,-1]]],"properties":{"id":"b"}},
              {"type":null}]}}}"#;
        let b = parse(&SourceFile::new(TOPOJSON_FILE, text)).unwrap();
        assert_eq!(b.arcs[0], vec![[100.0, 10.0], [101.0, 10.0], [101.0, 11.0]]);
        assert_eq!(b.features.len(), 2);
        assert_eq!(b.features[0].code.as_deref(), Some("00004"));
        assert_eq!(b.features[1].id.as_deref(), Some("b"));
        assert_eq!(b.features[1].polygons, vec![vec![vec![2, -1]]]);
    }

    #[test]
    fn geojson_rings_are_arcs_of_their_own() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":31471},
            "geometry":{"type":"Polygon","coordinates":[[[105,9],[106,9],[106,10],[105,9]]]}}]}"#;
        let b = parse(&SourceFile::new(GEOJSON_FILE, text)).unwrap();
        assert_eq!(b.arcs.len(), 1);
        assert_eq!(b.features[0].code.as_deref(), Some("31471"));
        assert_eq!(b.features[0].polygons, vec![vec![vec![0]]]);
    }

    #[test]
    fn what_is_not_a_boundaries_file_is_named_with_its_place() {
        let d =
            parse(&SourceFile::new(TOPOJSON_FILE, "{\n  \"type\": \"Topology\",\n  \"arcs\": [1,]\n}")).unwrap_err();
        assert_eq!((d.line, d.column > 0), (3, true), "{d:?}");
        assert!(
            parse(&SourceFile::new(TOPOJSON_FILE, r#"{"type":"FeatureCollection","arcs":[],"objects":{}}"#)).is_err()
        );
        let out_of_range = r#"{"type":"Topology","arcs":[],"objects":{"u":{"type":"Polygon","arcs":[[0]]}}}"#;
        assert!(parse(&SourceFile::new(TOPOJSON_FILE, out_of_range)).is_err());
    }
}
