//! `data/targets/YYYY.yaml`: the targets assigned for one year.

use serde::Deserialize;

use super::SourceFile;
use super::yaml::{self, At, Scalar, Table};
use crate::diag::Diagnostic;

#[derive(Debug, Clone, Deserialize)]
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

pub fn parse(file: &SourceFile) -> Result<RawTargets, Diagnostic> {
    yaml::parse(file, &file.text)
}
