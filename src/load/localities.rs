//! `data/localities.yaml`: the city and its units.

use serde::Deserialize;

use super::SourceFile;
use super::yaml::{self, At, Scalar};
use crate::diag::Diagnostic;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocalities {
    pub city: At<RawCity>,
    pub localities: At<Vec<RawLocality>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCity {
    pub id: At<String>,
    pub name: At<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocality {
    pub id: At<String>,
    pub name: At<String>,
    pub kind: At<String>,
    /// The statistics office's code; numbers and text (`00070`) are both accepted.
    pub code: Option<At<Scalar>>,
    pub group: Option<At<String>>,
    /// The names of the units it was formed from in the reorganisation of 1 July 2025.
    pub formed_from: Option<At<Vec<At<String>>>>,
}

pub fn parse(file: &SourceFile) -> Result<RawLocalities, Diagnostic> {
    yaml::parse(file, &file.text)
}
