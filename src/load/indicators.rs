//! `data/indicators.yaml`: what is measured.

use serde::Deserialize;

use super::SourceFile;
use super::yaml::{self, At};
use crate::diag::Diagnostic;

pub type RawIndicators = Vec<At<RawIndicator>>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub id: At<String>,
    pub name: At<String>,
    /// A short name for tables and charts; the name when absent.
    pub short: Option<At<String>>,
    /// What is counted, e.g. "người".
    pub unit: Option<At<String>>,
    pub kind: At<String>,
    /// For coverage: what the rate is a share of, e.g. "dân số".
    pub base: Option<At<String>>,
    /// Other headings an office's sheet gives the indicator's column, for `import`.
    pub aliases: Option<Vec<String>>,
}

pub fn parse(file: &SourceFile) -> Result<RawIndicators, Diagnostic> {
    yaml::parse(file, &file.text)
}
