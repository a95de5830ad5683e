//! Interface text: every string a reader sees that does not come from the site's own
//! files, in the site's language.
//!
//! The built-in text is `templates/i18n/<language>.yaml`, embedded in the binary. A site
//! may override any key with its own `templates/i18n/<language>.yaml`. Strings may hold
//! `{placeholders}` that [`Strings::fill`] replaces. Keys that start with `_` say how the
//! language writes numbers and dates (see [`super::Formats`]): they are not text, and a
//! site does not override them.

use std::collections::BTreeMap;
use std::path::Path;

use super::Language;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, SourceFile};
use crate::progress::Status;

#[derive(Debug, Clone, Default)]
pub struct Strings {
    map: BTreeMap<String, String>,
}

/// A built-in catalogue as a map, every key of it.
pub(super) fn parse_builtin(text: &str) -> BTreeMap<String, String> {
    serde_saphyr::from_str(text).unwrap_or_default()
}

impl Strings {
    /// The built-in strings of `lang`, with the site's overrides from `templates_dir`.
    pub fn load(lang: Language, templates_dir: &Path, diags: &mut Diagnostics) -> Strings {
        let name = format!("i18n/{}.yaml", lang.code());
        let builtin = SourceFile::new(format!("(built-in) templates/{name}"), lang.interface());
        let mut map = parse(&builtin, diags);
        map.retain(|key, _| !key.starts_with('_'));
        let path = templates_dir.join(&name);
        // Any entry by that name, a broken link included, is read or reported.
        if std::fs::symlink_metadata(&path).is_ok() {
            let rel = format!("templates/{name}");
            match load::read(&path, rel) {
                Ok(file) => {
                    for (key, value) in parse(&file, diags) {
                        // Formats, as in a copy of the built-in file: the language's own.
                        if key.starts_with('_') {
                            continue;
                        }
                        if !map.contains_key(&key) {
                            diags.push(
                                Diagnostic::warning(&file.rel, crate::t!("interface_key_unknown", key = key.as_str()))
                                    .help(crate::t!("interface_key_unknown_help")),
                            );
                        }
                        map.insert(key, value);
                    }
                }
                Err(d) => diags.push(d),
            }
        }
        Strings { map }
    }

    /// The string for `key`; the key itself if there is none, so a gap shows instead of failing.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// The string for `key` with each `{name}` replaced by its value, in one pass.
    /// A `{name}` without a value is left as it is.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let template = self.get(key);
        let mut out = String::with_capacity(template.len() + args.iter().map(|(_, v)| v.len()).sum::<usize>());
        super::fill(template, &mut out, |name, out| match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => {
                out.push_str(value);
                true
            }
            None => false,
        });
        out
    }

    pub fn status(&self, s: Status) -> &str {
        self.get(match s {
            Status::Achieved => "status_achieved",
            Status::OnTrack => "status_on_track",
            Status::AtRisk => "status_at_risk",
            Status::Behind => "status_behind",
            Status::NoTrend => "status_no_trend",
            Status::Missed => "status_missed",
        })
    }

    pub fn map(&self) -> &BTreeMap<String, String> {
        &self.map
    }
}

fn parse(file: &SourceFile, diags: &mut Diagnostics) -> BTreeMap<String, String> {
    match crate::load::yaml::parse::<BTreeMap<String, String>>(file, &file.text) {
        Ok(m) => m,
        Err(d) => {
            diags.push(d);
            BTreeMap::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(lang: Language) -> Strings {
        let mut d = Diagnostics::new();
        let s = Strings::load(lang, Path::new("/nonexistent"), &mut d);
        assert!(d.iter().next().is_none(), "{:?}", d.into_sorted());
        s
    }

    #[test]
    fn every_language_has_the_same_keys() {
        let keys = |lang: Language| -> Vec<String> { builtin(lang).map.into_keys().collect() };
        let first = keys(Language::default_language());
        assert!(first.len() > 50);
        for lang in Language::all() {
            assert_eq!(keys(lang), first, "{}", lang.code());
        }
        assert!(first.iter().all(|k| !k.starts_with('_')), "formats are not text");
    }

    #[test]
    fn fills_placeholders() {
        let s = Strings { map: [("k".to_string(), "{a} và {b}".to_string())].into() };
        assert_eq!(s.fill("k", &[("a", "1"), ("b", "2")]), "1 và 2");
        assert_eq!(s.fill("k", &[("a", "{b}")]), "{b} và {b}", "values are not filled again");
        assert_eq!(s.get("missing"), "missing");
    }
}
