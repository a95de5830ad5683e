//! Interface text in the site's language.
//!
//! Every string a reader sees that does not come from the site's own files lives in
//! `templates/i18n/<language>.yaml`, embedded in the binary. A site may override
//! any key with its own `templates/i18n/<language>.yaml`. Strings may hold
//! `{placeholders}` that [`Strings::fill`] replaces.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, SourceFile};
use crate::model::Language;
use crate::progress::Status;

const VI: &str = include_str!("../templates/i18n/vi.yaml");
const EN: &str = include_str!("../templates/i18n/en.yaml");

#[derive(Debug, Clone, Default)]
pub struct Strings {
    map: BTreeMap<String, String>,
}

impl Strings {
    /// The built-in strings of `lang`, with the site's overrides from `templates_dir`.
    pub fn load(lang: Language, templates_dir: &Path, diags: &mut Diagnostics) -> Strings {
        let name = format!("i18n/{}.yaml", lang.code());
        let builtin = SourceFile::new(
            format!("(built-in) templates/{name}"),
            match lang {
                Language::Vi => VI,
                Language::En => EN,
            },
        );
        let mut map = parse(&builtin, diags);
        let path = templates_dir.join(&name);
        // Any entry by that name, a broken link included, is read or reported.
        if std::fs::symlink_metadata(&path).is_ok() {
            let rel = format!("templates/{name}");
            match load::read(&path, rel) {
                Ok(file) => {
                    for (key, value) in parse(&file, diags) {
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
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}').map(|close| (&after[..close], close)) {
                Some((name, close)) if let Some((_, value)) = args.iter().find(|(n, _)| *n == name) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    pub fn status(&self, s: Status) -> &str {
        self.get(match s {
            Status::Achieved => "status_achieved",
            Status::OnTrack => "status_on_track",
            Status::AtRisk => "status_at_risk",
            Status::Behind => "status_behind",
            Status::NoTrend => "status_no_trend",
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
    fn both_languages_have_the_same_keys() {
        let vi: Vec<_> = builtin(Language::Vi).map.into_keys().collect();
        let en: Vec<_> = builtin(Language::En).map.into_keys().collect();
        assert_eq!(vi, en);
        assert!(vi.len() > 50);
    }

    #[test]
    fn fills_placeholders() {
        let s = Strings { map: [("k".to_string(), "{a} và {b}".to_string())].into() };
        assert_eq!(s.fill("k", &[("a", "1"), ("b", "2")]), "1 và 2");
        assert_eq!(s.fill("k", &[("a", "{b}")]), "{b} và {b}", "values are not filled again");
        let s = Strings { map: [("k".to_string(), "{x} {a} {".to_string())].into() };
        assert_eq!(s.fill("k", &[("a", "1")]), "{x} 1 {");
        assert_eq!(s.get("missing"), "missing");
    }
}
