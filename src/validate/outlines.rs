//! The units' outlines (`data/boundaries.*`): which feature is which unit, and where
//! they come from.
//!
//! A feature is a unit's when its `code` is the unit's code, compared as numbers
//! (`"00004"` is 4), or else when its `id` is the unit's id. Features of units the site
//! does not have are left out, so a province's site can use a national file. A unit
//! without an outline is a warning (it is listed under every map); the file without a
//! `boundaries_source` in site.yaml is an error, since every map must say whose outlines
//! it draws.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Loaded;
use crate::load::boundaries::RawBoundaries;
use crate::load::site::RawSite;
use crate::model::{Locality, Outlines};
use crate::t;

/// How many units without an outline a warning names.
const NAMED: usize = 20;

pub(super) fn outlines(
    loaded: Option<Loaded<RawBoundaries>>,
    site: Option<&Loaded<RawSite>>,
    localities: &[Locality],
    diags: &mut Diagnostics,
) -> Option<Outlines> {
    let source = site.and_then(|s| s.raw.boundaries_source.as_ref());
    let Some(Loaded { file, raw }) = loaded else {
        if let (Some(site), Some(source)) = (site, source) {
            diags.push(
                Diagnostic::warning(&site.file.rel, t!("boundaries_source_without_file"))
                    .at(&site.file, u64::from(source.line), u64::from(source.column))
                    .help(t!("boundaries_source_without_file_help")),
            );
        }
        return None;
    };
    let source = source.map(|s| s.value.trim().to_owned()).filter(|s| !s.is_empty());
    let Some(source) = source else {
        diags.push(
            Diagnostic::error(&file.rel, t!("boundaries_source_missing")).help(t!("boundaries_source_missing_help")),
        );
        return None;
    };
    let mut by_code: HashMap<u64, usize> = HashMap::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (k, f) in raw.features.iter().enumerate() {
        if let Some(code) = f.code.as_deref().and_then(number) {
            by_code.entry(code).or_insert(k);
        }
        if let Some(id) = f.id.as_deref() {
            by_id.entry(id).or_insert(k);
        }
    }
    let shapes: Vec<_> = localities
        .iter()
        .map(|l| {
            let feature =
                l.code.as_deref().and_then(number).and_then(|c| by_code.get(&c)).or_else(|| by_id.get(l.id.as_str()));
            feature.map(|&k| raw.features[k].polygons.clone()).unwrap_or_default()
        })
        .collect();
    let digest = {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (&file.text, &source).hash(&mut h);
        h.finish()
    };
    let outlines = Outlines { source, arcs: raw.arcs, shapes, digest };
    let missing: Vec<&str> = outlines.missing().map(|l| localities[l].name.as_str()).collect();
    if !missing.is_empty() {
        let mut names = missing[..missing.len().min(NAMED)].join(", ");
        if missing.len() > NAMED {
            names.push_str(", …");
        }
        diags.push(
            Diagnostic::warning(&file.rel, t!("boundaries_units_missing", n = missing.len(), names))
                .help(t!("boundaries_units_missing_help")),
        );
    }
    Some(outlines)
}

/// A code as a number: `"00004"` is 4. `None` for what is not digits.
fn number(code: &str) -> Option<u64> {
    let code = code.trim();
    (!code.is_empty() && code.bytes().all(|b| b.is_ascii_digit())).then(|| code.parse().ok()).flatten()
}
