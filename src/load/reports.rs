//! `data/reports/*.yaml`: the figures of one report date.

use serde::Deserialize;

use super::SourceFile;
use super::yaml::{self, At, Scalar, Table};
use crate::diag::Diagnostic;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub as_of: At<String>,
    pub source: Option<String>,
    /// locality id → indicator id → figure.
    pub figures: Table<Scalar>,
}

pub fn parse(file: &SourceFile) -> Result<RawReport, Diagnostic> {
    yaml::parse(file, &file.text)
}
