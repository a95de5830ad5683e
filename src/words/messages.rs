//! Every message the program prints, in the language of the person who reads it.
//!
//! Code never writes a message's words: it names the message by its key and gives its
//! values ([`Text`], made with [`t!`](crate::t)). The words live in one catalogue per
//! language, `templates/messages/<code>.yaml`, embedded in the binary beside the
//! language's interface text (see [`super`]). A [`Catalogue`] puts the words and the
//! values together when the message is printed, once the language is known: site.yaml
//! may be read long after its first problem was found.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use crate::date::Date;

use super::Language;

/// One value of a message.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arg {
    /// Shown as it is: an id, a file name, a number as the user wrote it.
    Plain(String),
    /// Shown in the reader's date format (31/10/2025 in Vietnamese).
    Date(Date),
    /// A number of people, with the reader's thousands separator (35.292 in Vietnamese).
    Count(u64),
    /// Another message, worded in the same language.
    Text(Text),
    /// Values shown one after the other, separated by commas.
    List(Vec<Arg>),
}

/// A message: its key in the catalogues and its values by name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Text {
    key: &'static str,
    args: Box<[(&'static str, Arg)]>,
}

impl Text {
    pub fn new(key: &'static str, args: Vec<(&'static str, Arg)>) -> Text {
        Text { key, args: args.into_boxed_slice() }
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The same values under another key: a message worded for another place.
    pub fn rekeyed(&self, key: &'static str) -> Text {
        Text { key, args: self.args.clone() }
    }

    /// The values of this message and of the messages inside it, as they would be shown
    /// in English: what a reader may search for in an English rendering, in tests.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}

/// A message made of its key and values: `t!("key", name = value, other)`, where `other`
/// alone stands for `other = other`. Values are anything an [`Arg`] is made from.
#[macro_export]
macro_rules! t {
    (@value $name:ident) => { $name };
    (@value $name:ident = $value:expr) => { $value };
    ($key:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::words::messages::Text::new(
            $key,
            vec![$((stringify!($name), $crate::words::messages::Arg::from($crate::t!(@value $name $(= $value)?)))),*],
        )
    };
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Plain(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Plain(s.to_owned())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Plain(s.clone())
    }
}

impl From<std::borrow::Cow<'_, str>> for Arg {
    fn from(s: std::borrow::Cow<'_, str>) -> Arg {
        Arg::Plain(s.into_owned())
    }
}

impl From<Text> for Arg {
    fn from(t: Text) -> Arg {
        Arg::Text(t)
    }
}

impl From<Vec<Text>> for Arg {
    fn from(list: Vec<Text>) -> Arg {
        Arg::List(list.into_iter().map(Arg::Text).collect())
    }
}

impl From<Date> for Arg {
    fn from(d: Date) -> Arg {
        Arg::Date(d)
    }
}

/// A number of people in a message, written as the reader writes numbers.
pub struct Count(pub u64);

impl From<Count> for Arg {
    fn from(n: Count) -> Arg {
        Arg::Count(n.0)
    }
}

macro_rules! plain_numbers {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Plain(n.to_string())
            }
        }
    )*};
}
plain_numbers!(u8, u16, u32, u64, usize, i32, i64, i128, char);

/// Why the system refused to read or write, in words of the catalogue for the common
/// cases, and the system's own (English) words after them for the rest.
pub fn io_reason(e: &std::io::Error) -> Text {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => crate::t!("io_not_found"),
        ErrorKind::PermissionDenied => crate::t!("io_permission_denied"),
        ErrorKind::AlreadyExists => crate::t!("io_already_exists"),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => crate::t!("io_disk_full"),
        ErrorKind::ReadOnlyFilesystem => crate::t!("io_read_only"),
        ErrorKind::AddrInUse => crate::t!("io_address_in_use"),
        _ => crate::t!("io_other", detail = e.to_string()),
    }
}

/// The words of messages about the site at `root`: those of `lang` (`--lang`) when it
/// is given and has a catalogue, else of the site's `language`, else Vietnamese (SPEC §1).
/// site.yaml is only looked at for its `language:` line, so that a site.yaml broken
/// anywhere else still gets its errors in its language.
pub fn for_site(root: &std::path::Path, lang: Option<&str>) -> &'static Catalogue {
    if let Some(words) = lang.and_then(Catalogue::get) {
        return words;
    }
    let text = crate::load::read_bytes(&root.join(crate::load::SITE_FILE), 1_000_000).unwrap_or_default();
    let code = String::from_utf8_lossy(&text).lines().find_map(|line| {
        let value = line.strip_prefix("language:")?;
        let value = value.split('#').next().unwrap_or("").trim().trim_matches(['"', '\'']);
        Some(value.to_owned())
    });
    code.as_deref().and_then(Catalogue::get).unwrap_or_else(Catalogue::default_language)
}

/// The words of every message in one language.
#[derive(Debug)]
pub struct Catalogue {
    code: &'static str,
    map: BTreeMap<String, String>,
}

fn all() -> &'static [Catalogue] {
    static ALL: OnceLock<Vec<Catalogue>> = OnceLock::new();
    ALL.get_or_init(|| {
        Language::all().map(|l| Catalogue { code: l.code(), map: parse(l.messages()).unwrap_or_default() }).collect()
    })
}

/// A catalogue's text as a map, or why it is not one (a test reads the reason).
fn parse(text: &str) -> Result<BTreeMap<String, String>, String> {
    serde_saphyr::from_str::<BTreeMap<String, String>>(text).map_err(|e| e.to_string())
}

impl Catalogue {
    /// The built-in catalogue of the language `code`, if there is one.
    pub fn get(code: &str) -> Option<&'static Catalogue> {
        all().iter().find(|c| c.code == code)
    }

    /// The language of messages where nothing says which: Vietnamese, the staff's.
    pub fn default_language() -> &'static Catalogue {
        Catalogue::get("vi").unwrap_or_else(Catalogue::english)
    }

    pub fn english() -> &'static Catalogue {
        static EMPTY: Catalogue = Catalogue { code: "en", map: BTreeMap::new() };
        Catalogue::get("en").unwrap_or(&EMPTY)
    }

    /// The codes of every built-in catalogue, in order.
    pub fn codes() -> Vec<&'static str> {
        all().iter().map(|c| c.code).collect()
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// The words of `key`: this catalogue's, or English ones if it has none.
    fn words(&self, key: &str) -> Option<&str> {
        self.map.get(key).or_else(|| Catalogue::english().map.get(key)).map(String::as_str)
    }

    /// `text` in this language.
    pub fn render(&self, text: &Text) -> String {
        let mut out = String::new();
        self.push(text, &mut out);
        out
    }

    fn push(&self, text: &Text, out: &mut String) {
        // A message with a count `n` of 1 has its own words where the language needs them.
        let one = matches!(text.arg("n"), Some(Arg::Plain(n)) if n == "1");
        // Only this language's own: English's "1 error" is no form of Vietnamese "{n} lỗi".
        let singular = one.then(|| self.map.get(&format!("{}.one", text.key))).flatten().map(String::as_str);
        let words = singular.or_else(|| self.words(text.key));
        let Some(words) = words else {
            // Not in any catalogue (a test fails on it): the key and its values, never nothing.
            out.push_str(text.key);
            for (name, arg) in &text.args {
                out.push_str(&format!(" {name}="));
                self.push_arg(arg, out);
            }
            return;
        };
        super::fill(words, out, |name, out| match text.arg(name) {
            Some(arg) => {
                self.push_arg(arg, out);
                true
            }
            None => false,
        });
    }

    fn push_arg(&self, arg: &Arg, out: &mut String) {
        match arg {
            Arg::Plain(s) => out.push_str(s),
            Arg::Text(t) => self.push(t, out),
            Arg::List(items) => {
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    self.push_arg(item, out);
                }
            }
            // As the site writes numbers in this language (its `_thousands`).
            Arg::Count(n) => match Language::get(self.code) {
                Some(language) => out.push_str(&crate::format::Fmt::new(language).count(*n)),
                None => out.push_str(&n.to_string()),
            },
            Arg::Date(d) => self.push(
                &crate::t!(
                    "_date",
                    y = d.year().to_string(),
                    m = format!("{:02}", d.month()),
                    d = format!("{:02}", d.day())
                ),
                out,
            ),
        }
    }
}

/// English, for logs, tests and `Debug`-like uses; what a person reads is rendered with
/// the catalogue of their language.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Catalogue::english().render(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{names}` a text fills in, sorted.
    fn placeholders(words: &str) -> Vec<&str> {
        let mut names: Vec<&str> = words
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    #[test]
    fn every_catalogue_parses_and_has_every_key_with_the_same_values() {
        let en = Catalogue::english();
        assert!(en.map.len() > 100, "the English catalogue has {} messages", en.map.len());
        assert!(Catalogue::codes().contains(&"vi"));
        for (code, text) in Language::all().map(|l| (l.code(), l.messages())) {
            let map = parse(text).unwrap_or_else(|e| panic!("templates/messages/{code}.yaml: {e}"));
            let missing: Vec<_> = en.map.keys().filter(|k| !k.ends_with(".one") && !map.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
            let extra: Vec<_> = map.keys().filter(|k| !k.ends_with(".one") && !en.map.contains_key(*k)).collect();
            assert!(extra.is_empty(), "{code} has keys English does not: {extra:?}");
            for (key, words) in &map {
                let base = key.strip_suffix(".one").unwrap_or(key);
                let english = &en.map[base];
                // A rewording of the parser's words (`{detail}` in English) names its own values,
                // which the fixtures check are filled; elsewhere the values are the same, except
                // that the parser's words may be left out.
                // The form for a count of one may say "1" instead of `{n}`.
                if english != "{detail}" {
                    let one = key.ends_with(".one");
                    let kept = |n: &&str| *n != "detail" && !(one && *n == "n");
                    let ours: Vec<_> = placeholders(words).into_iter().filter(kept).collect();
                    let theirs: Vec<_> = placeholders(english).into_iter().filter(kept).collect();
                    assert_eq!(ours, theirs, "{code}: {key}: {words:?} against {english:?}");
                }
                assert!(!words.trim().is_empty(), "{code}: {key} is empty");
            }
        }
    }

    /// Every key the code names, in `t!("key"`, `Text::new("key"`, a stage of the build
    /// or a reason of `import::numbers`, has words in English (and so, by the test above,
    /// in every language).
    #[test]
    fn every_key_the_code_names_is_in_the_catalogues() {
        let en = Catalogue::english();
        let mut missing = Vec::new();
        let mut named = 0;
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let Ok(code) = std::fs::read_to_string(entry.path()) else { continue };
            for opener in ["t!(\"", "Text::new(\"", "lap(\"", "Err(\"", "=> \"cell_", "(\"unknown_", "(\"commentary_"] {
                for (at, _) in code.match_indices(opener) {
                    let rest = &code[at + opener.find('"').unwrap_or(0) + 1..];
                    let key: String =
                        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.')).collect();
                    // `Err("...")` holds words elsewhere; only keys (snake_case) are checked. "key"
                    // is this file's own example.
                    let plain = !key.contains('_') && opener == "Err(\"";
                    if key.is_empty() || key == "key" || plain || !rest[key.len()..].starts_with('"') {
                        continue;
                    }
                    named += 1;
                    if !en.map.contains_key(&key) && key != "unknown_key_for_test" {
                        missing.push(format!("{}: {key}", entry.path().display()));
                    }
                }
            }
        }
        assert!(named > 300, "only {named} keys found in the code");
        assert!(missing.is_empty(), "keys without words: {missing:#?}");
    }

    #[test]
    fn fills_values_dates_and_inner_messages() {
        let vi = Catalogue::get("vi").unwrap();
        let date = Date::new(2025, 10, 31).unwrap();
        assert_eq!(vi.render(&crate::t!("_date", y = "2025", m = "10", d = "31")), "31/10/2025");
        assert_eq!(Catalogue::english().render(&crate::t!("_date", y = "2025", m = "10", d = "31")), "2025-10-31");
        let inner = crate::t!("_date", y = "1", m = "2", d = "3");
        let text = crate::t!("unknown_key_for_test", date, inner);
        assert_eq!(vi.render(&text), "unknown_key_for_test date=31/10/2025 inner=3/2/1");
    }
}
