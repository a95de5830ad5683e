//! `data/targets/YYYY.yaml`: the targets assigned for one year.

use serde::Deserialize;

use super::fast::{self, Cursor, Header};
use super::yaml::{At, Entries, Scalar, Table};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargets {
    pub year: At<Scalar>,
    pub due: Option<At<String>>,
    /// locality id → indicator id → target.
    pub targets: Table<RawTarget>,
}

/// A count target is a number; a coverage target is `{ rate: 95.0, base: 40000 }`.
#[derive(Debug, Clone, PartialEq)]
pub enum RawTarget {
    Count(Scalar),
    Coverage(RawCoverage),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoverage {
    pub rate: Option<At<Scalar>>,
    pub base: Option<At<Scalar>>,
}

impl<'de> Deserialize<'de> for RawTarget {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A map is a coverage target; anything else is left to validation to judge as a count.
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawTarget;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of people, or { rate: 95.0, base: 40000 }")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawTarget, A::Error> {
                RawCoverage::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(RawTarget::Coverage)
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<RawTarget, E> {
                Ok(RawTarget::Count(Scalar::Bool(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawTarget, E> {
                Ok(RawTarget::Count(Scalar::Int(i128::from(v))))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawTarget, E> {
                Ok(RawTarget::Count(Scalar::Int(i128::from(v))))
            }
            fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<RawTarget, E> {
                Ok(RawTarget::Count(Scalar::Int(v)))
            }
            fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<RawTarget, E> {
                Ok(RawTarget::Count(i128::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Int)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawTarget, E> {
                Ok(RawTarget::Count(Scalar::Float(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawTarget, E> {
                Ok(RawTarget::Count(Scalar::Text(v.to_owned())))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<RawTarget, E> {
                Ok(RawTarget::Count(Scalar::Null))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawTarget, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(RawTarget::Count(Scalar::Nested))
            }
        }
        d.deserialize_any(V)
    }
}

/// The canonical layout (see [`fast::table`]), or why the file is not in it:
///
/// ```yaml
/// year: 2025
/// due: 2025-12-31
/// targets:
///   long-my: { voluntary-si: 1509, health-insurance: { rate: 95.0, base: 40000 } }
/// ```
pub fn scan(text: &str) -> Result<RawTargets, crate::words::messages::Text> {
    let table = fast::table(text, &[("year", Header::Count), ("due", Header::Date)], "targets", target)?;
    let [year, due] = <[Option<At<String>>; 2]>::try_from(table.headers).map_err(|_| crate::t!("fast_headers"))?;
    let year = year.ok_or_else(|| crate::t!("fast_no_line", key = "year"))?;
    let number = year.value.parse().map_err(|_| crate::t!("fast_year_not_a_number"))?;
    let (line, column) = (table.rows[0].0.line, table.rows[0].0.column);
    Ok(RawTargets {
        year: At::new(Scalar::Int(number), year.line, year.column),
        due,
        targets: At::new(Entries(table.rows), line, column),
    })
}

/// One target: a number, or `{ rate: …, base: … }`.
fn target(c: &mut Cursor, _indicator: &str) -> Option<At<RawTarget>> {
    if !c.peek('{') {
        let n = c.count()?;
        return Some(At::new(RawTarget::Count(n.value), n.line, n.column));
    }
    let map = c.map(|c, key| match key {
        "rate" => c.rate(),
        "base" => c.count(),
        _ => None,
    })?;
    let (line, column) = (map.line, map.column);
    let mut coverage = RawCoverage { rate: None, base: None };
    for (key, value) in map.value.0 {
        match key.value.as_str() {
            "rate" => coverage.rate = Some(value),
            _ => coverage.base = Some(value),
        }
    }
    Some(At::new(RawTarget::Coverage(coverage), line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::{SourceFile, yaml};

    fn slow(text: &str) -> RawTargets {
        yaml::parse(&SourceFile::new("t.yaml", text), text).unwrap()
    }

    #[test]
    fn the_fast_path_reads_what_the_parser_reads() {
        let text = "# Targets\nyear: 2025\ndue: 2025-12-31\ntargets:\n  long-my: { voluntary-si: 1509, health-insurance: { rate: 95.0, base: 40000 } }\n  o-mon:  { voluntary-si: 1733, health-insurance: { rate: 92.75, base: 52000 } }\n  my-tu: { voluntary-si: 900, health-insurance: { rate: 90 } }\n";
        let fast = scan(text).expect("canonical layout");
        assert_eq!(fast, slow(text));
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(scan(&crlf).expect("CRLF is the canonical layout too"), slow(&crlf));
    }

    #[test]
    fn anything_else_goes_to_the_parser() {
        for text in [
            "year: 2025\ntargets:\n  a: { b: { rate: 95, base: 1, extra: 2 } }\n",
            "year: 2025\ntargets:\n  a: { b: { rate: 95.12345, base: 1 } }\n",
            "year: 2025\ntargets:\n  a: { b: { rate: 1e2, base: 1 } }\n",
            "year: 2025\ntargets:\n  a: { b: -3 }\n",
            "year: twenty\ntargets:\n  a: { b: 3 }\n",
            "year: 2025\ntargets:\n  a:\n    b: 3\n",
        ] {
            assert!(scan(text).is_err(), "{text}");
        }
    }
}
