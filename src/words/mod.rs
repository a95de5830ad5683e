//! One home for words: everything tiendo says, to the staff who build a site and to the
//! readers of it, in every language it has.
//!
//! - [`messages`]: what the program prints for staff (errors, warnings, `import`'s account,
//!   help), one catalogue per language in `templates/messages/<code>.yaml`;
//! - [`interface`]: the text readers see on the pages, one catalogue per language in
//!   `templates/i18n/<code>.yaml`, which a site may override key by key; its keys that
//!   start with `_` are how the language writes numbers and dates ([`Formats`]).
//!
//! Both fill their `{placeholders}` with one filler ([`fill`]). The list of languages is
//! the list of those catalogue files ([`Language`]): `build.rs` embeds every pair of them,
//! so adding a language is adding its two files.

pub mod interface;
pub mod messages;

use std::fmt;
use std::sync::OnceLock;

pub use interface::Strings;

use crate::date::Date;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/languages.rs"));
}

/// A language tiendo has catalogues for.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language(usize);

impl Language {
    /// Every language, in the order of their codes.
    pub fn all() -> impl Iterator<Item = Language> {
        (0..builtin::LANGUAGES.len()).map(Language)
    }

    /// The language of `code` ("vi"), if tiendo has it.
    pub fn get(code: &str) -> Option<Language> {
        builtin::LANGUAGES.iter().position(|l| l.0 == code).map(Language)
    }

    /// The staff's and the readers' language where nothing says which: Vietnamese.
    pub fn default_language() -> Language {
        Language::get("vi").unwrap_or(Language(0))
    }

    /// Its code: "vi", "en".
    pub fn code(self) -> &'static str {
        builtin::LANGUAGES[self.0].0
    }

    /// Its built-in interface text, as YAML.
    fn interface(self) -> &'static str {
        builtin::LANGUAGES[self.0].1
    }

    /// Its built-in messages, as YAML.
    fn messages(self) -> &'static str {
        builtin::LANGUAGES[self.0].2
    }

    /// How it writes numbers and dates.
    pub fn formats(self) -> &'static Formats {
        static ALL: OnceLock<Vec<Formats>> = OnceLock::new();
        let all = ALL.get_or_init(|| Language::all().map(|l| Formats::parse(l.interface())).collect());
        &all[self.0]
    }

    /// Every language's code with its own name for itself: "en (English), vi (Tiếng Việt)".
    pub fn list() -> String {
        Language::all().map(|l| format!("{} ({})", l.code(), l.formats().name)).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Language({})", self.code())
    }
}

/// Writes `template` into `out` with each `{name}` replaced by what `value` writes for it,
/// in one pass; a `{name}` that `value` has nothing for (it returns `false`) is left as
/// it is. Values are not filled again.
pub fn fill(template: &str, out: &mut String, mut value: impl FnMut(&str, &mut String) -> bool) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if value(&after[..close], out) => rest = &after[close + 1..],
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// How a language writes numbers and dates for readers: the `_` keys of its interface
/// catalogue.
#[derive(Debug)]
pub struct Formats {
    /// Its own name for itself: "Tiếng Việt" (`_name`).
    pub name: String,
    /// For Open Graph: "vi_VN" (`_locale`).
    pub locale: String,
    /// Between thousands, and before decimals: `.` and `,` in Vietnamese (`_thousands`,
    /// `_decimal`).
    pub thousands: char,
    pub decimal: char,
    /// Around a percentage's number: "" and " %" in Vietnamese, the space a no-break
    /// space (`_percent`, "{n} %").
    pub percent: (String, String),
    /// A full date, a month of a year, and a month as an axis label (`_date`,
    /// `_month_year`, `_month_short`): patterns of `{d}` `{dd}` (the day, and with a 0 in
    /// front), `{m}` `{mm}`, `{yyyy}`, `{mon}` (`_months_short`) and `{month}` (`_months`).
    date: String,
    month_year: String,
    month_short: String,
    months: Vec<String>,
    months_short: Vec<String>,
}

impl Formats {
    /// From a catalogue's text; what it does not say is written as ISO would.
    fn parse(text: &str) -> Formats {
        let map = interface::parse_builtin(text);
        let get = |key: &str, default: &str| map.get(key).map_or(default, String::as_str).to_owned();
        let char_of = |key: &str, default: char| map.get(key).and_then(|v| v.chars().next()).unwrap_or(default);
        let percent = get("_percent", "{n}%");
        let (before, after) = percent.split_once("{n}").unwrap_or(("", "%"));
        let list = |key: &str| get(key, "").split_whitespace().map(str::to_owned).collect();
        Formats {
            name: get("_name", ""),
            locale: get("_locale", ""),
            thousands: char_of("_thousands", ','),
            decimal: char_of("_decimal", '.'),
            percent: (before.to_owned(), after.to_owned()),
            date: get("_date", "{yyyy}-{mm}-{dd}"),
            month_year: get("_month_year", "{yyyy}-{mm}"),
            month_short: get("_month_short", "{m}"),
            months: list("_months"),
            months_short: list("_months_short"),
        }
    }

    /// `d` as a full date: 30/09/2025, 30 Sep 2025.
    pub fn date(&self, d: Date) -> String {
        self.pattern(&self.date, d)
    }

    /// The month of `d`: 09/2025, September 2025.
    pub fn month_year(&self, d: Date) -> String {
        self.pattern(&self.month_year, d)
    }

    /// A month (1–12) as a short axis label: T9, Sep.
    pub fn month_short(&self, month: u8) -> String {
        let month = month.clamp(1, 12);
        Date::new(2000, month, 1).map(|d| self.pattern(&self.month_short, d)).unwrap_or_default()
    }

    fn pattern(&self, pattern: &str, d: Date) -> String {
        let mut out = String::with_capacity(pattern.len() + 8);
        let m = usize::from(d.month()) - 1;
        let name = |list: &[String]| list.get(m).cloned().unwrap_or_else(|| d.month().to_string());
        fill(pattern, &mut out, |name_of, out| {
            match name_of {
                "d" => out.push_str(&d.day().to_string()),
                "dd" => out.push_str(&format!("{:02}", d.day())),
                "m" => out.push_str(&d.month().to_string()),
                "mm" => out.push_str(&format!("{:02}", d.month())),
                "yyyy" => out.push_str(&d.year().to_string()),
                "mon" => out.push_str(&name(&self.months_short)),
                "month" => out.push_str(&name(&self.months)),
                _ => return false,
            }
            true
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_both_catalogues_and_says_how_it_writes() {
        let codes: Vec<&str> = Language::all().map(Language::code).collect();
        let files = |dir: &str| -> Vec<String> {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".yaml").map(str::to_owned))
                .collect();
            names.sort();
            names
        };
        assert_eq!(codes, files("templates/i18n"), "every interface catalogue is a language");
        assert_eq!(codes, files("templates/messages"), "and has its messages");
        assert!(codes.contains(&"vi") && codes.contains(&"en"));
        for lang in Language::all() {
            let map = interface::parse_builtin(lang.interface());
            for key in
                ["_name", "_locale", "_thousands", "_decimal", "_percent", "_date", "_month_year", "_month_short"]
            {
                assert!(map.contains_key(key), "templates/i18n/{}.yaml has no {key}", lang.code());
            }
            assert!(!lang.messages().is_empty());
        }
        assert_eq!(Language::default_language().code(), "vi");
        assert_eq!(Language::list(), "en (English), vi (Tiếng Việt)");
    }

    #[test]
    fn fills_each_value_once_and_leaves_the_rest() {
        let fill_with = |template: &str, args: &[(&str, &str)]| {
            let mut out = String::new();
            fill(template, &mut out, |name, out| match args.iter().find(|(n, _)| *n == name) {
                Some((_, v)) => {
                    out.push_str(v);
                    true
                }
                None => false,
            });
            out
        };
        assert_eq!(fill_with("{a} và {b}", &[("a", "1"), ("b", "2")]), "1 và 2");
        assert_eq!(fill_with("{a} và {b}", &[("a", "{b}")]), "{b} và {b}", "values are not filled again");
        assert_eq!(fill_with("{x} {a} {", &[("a", "1")]), "{x} 1 {");
    }

    #[test]
    fn dates_as_each_language_writes_them() {
        let d = Date::new(2025, 9, 3).unwrap_or_else(|| panic!("a date"));
        let vi = Language::get("vi").unwrap().formats();
        let en = Language::get("en").unwrap().formats();
        assert_eq!(
            (vi.date(d), vi.month_year(d), vi.month_short(9)),
            ("03/09/2025".into(), "09/2025".into(), "T9".into())
        );
        assert_eq!(
            (en.date(d), en.month_year(d), en.month_short(9)),
            ("3 Sep 2025".into(), "September 2025".into(), "Sep".into())
        );
        assert_eq!((vi.locale.as_str(), en.locale.as_str()), ("vi_VN", "en_US"));
    }
}
