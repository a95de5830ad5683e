//! `site.yaml`: the site's title, language and settings.

use serde::Deserialize;

use super::SourceFile;
use super::yaml::{self, At, Scalar};
use crate::diag::Diagnostic;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: At<String>,
    pub description: Option<At<String>>,
    pub language: Option<At<String>>,
    pub publisher: Option<At<String>>,
    pub base_url: Option<At<String>>,
    pub status: Option<RawStatus>,
    /// A line shown at the top of every page, e.g. that some figures are illustrative.
    pub notice: Option<At<String>>,
    /// Where the outlines of `data/boundaries.*` come from, and their licence: shown
    /// under every map.
    pub boundaries_source: Option<At<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatus {
    pub at_risk: Option<At<Scalar>>,
}

pub fn parse(file: &SourceFile) -> Result<RawSite, Diagnostic> {
    yaml::parse(file, &file.text)
}
