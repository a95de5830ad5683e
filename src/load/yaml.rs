//! YAML parsing shared by every input kind: strict options, capped work, and
//! errors turned into diagnostics that point into the file the user wrote.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, SnippetMode, Spanned};

use super::SourceFile;
use crate::diag::Diagnostic;

/// Parses `text` into `T`. `text` is the file's text, or a part of it padded so that
/// its line numbers are the file's (front matter).
pub fn parse<T: DeserializeOwned>(file: &SourceFile, text: &str) -> Result<T, Diagnostic> {
    if is_blank(text) {
        return Err(Diagnostic::error(&file.rel, "the file has no content")
            .help("write the settings this file needs; see README.md for the format of each file"));
    }
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.with_snippet = false;
    // Anchors and aliases are allowed, but an alias bomb must not cost more than a
    // real file could: a national report has about 10,000 figures.
    options.alias_limits.max_total_replayed_events = 200_000;
    options.alias_limits.max_replay_stack_depth = 16;
    // Room for the largest file a site may have (see `MAX_NODES`); the parser's own
    // defaults stop at about 22,000 localities.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = MAX_NODES;
    budget.max_events = 2 * MAX_NODES;
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options::<T>(text, options).map_err(|e| from_yaml_error(file, &e))
}

/// The most values (keys, values, lists and maps) one file may hold: a list of 100,000
/// localities with every field (see `validate::MAX_LOCALITIES`) has about 1,100,000.
pub const MAX_NODES: usize = 4_000_000;

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

fn from_yaml_error(file: &SourceFile, e: &serde_saphyr::Error) -> Diagnostic {
    if let serde_saphyr::Error::Budget { breach, .. } = e {
        return budget_error(file, breach);
    }
    let plain = e.render_with_options(serde_saphyr::render_options! {
        formatter: &serde_saphyr::UserMessageFormatter,
        snippets: SnippetMode::Off,
    });
    // The position is shown separately, so drop the one the message ends with.
    let message = strip_position(&plain).to_owned();
    let (help, message) = explain(&message);
    let mut d = Diagnostic::error(&file.rel, message);
    if let Some(loc) = e.location().filter(|l| l.line() > 0) {
        d = d.at(file, loc.line(), loc.column());
    }
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}

/// What a budget breach means for the person who wrote the file.
fn budget_error(file: &SourceFile, breach: &serde_saphyr::budget::BudgetBreach) -> Diagnostic {
    use serde_saphyr::budget::BudgetBreach as B;
    let (message, help) = match breach {
        B::Events { .. } | B::Nodes { .. } | B::ScalarBytes { .. } | B::InputBytes { .. } | B::Documents { .. } => (
            format!("the file is too large: it holds more than {MAX_NODES} values"),
            "a site's file holds at most 100,000 localities, or one report's figures for them; check that this is the right file, or split it".to_owned(),
        ),
        B::Depth { .. } => (
            "the file is nested too deeply".to_owned(),
            "entries are at most a few levels deep: check the indentation and the brackets".to_owned(),
        ),
        _ => (
            "the file expands to far more data than a site can have".to_owned(),
            "remove the repeated anchors and aliases (&name and *name): a site's files never need them to expand this far"
                .to_owned(),
        ),
    };
    Diagnostic::error(&file.rel, message).help(help)
}

/// `message` without a trailing " at line L, column C".
fn strip_position(message: &str) -> &str {
    let Some(i) = message.rfind(" at line ") else { return message };
    let tail = &message[i + " at line ".len()..];
    let shape = tail.split_once(", column ").is_some_and(|(l, c)| {
        !l.is_empty() && !c.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) && c.bytes().all(|b| b.is_ascii_digit())
    });
    if shape { &message[..i] } else { message }
}

/// Plain-words advice for the parser messages staff meet most often.
fn explain(message: &str) -> (Option<String>, String) {
    if message.contains("too large or too complex") || message.contains("budget") {
        // The parser's own text lists internal counters; say what it means instead.
        return (
            Some(
                "remove the repeated anchors and aliases (&name and *name): a site's files never need them to expand this far"
                    .to_owned(),
            ),
            "the file expands to far more data than a site can have".to_owned(),
        );
    }
    if let Some(help) = unknown_field_help(message) {
        return (Some(help), message.to_owned());
    }
    let help = if message.starts_with("missing field") {
        Some("add the missing key; see README.md for the format of this file")
    } else if message.contains("duplicate mapping key") {
        Some("each key may appear only once here: remove or rename one of them")
    } else if message.contains("found a tab") || message.contains("indentation") {
        Some("indent with spaces, never tabs, and line up entries of the same list or map")
    } else if message.contains("mapping values are not allowed") {
        Some("a value that contains `: ` must be quoted, e.g. title: \"Tháng 9: kết quả\"")
    } else if message.contains("end of file") || message.contains("end of input") {
        Some("the file ends too early: check for an unclosed bracket or quote")
    } else if message.contains("flow mapping") || message.contains("flow sequence") {
        Some("check this line and the one above: every { needs its }, and every [ its ], on the same entry")
    } else if message.contains("expected sequence start") {
        Some("this key needs a list: one entry per line, each starting with `- `")
    } else if message.contains("expected mapping start") || message.contains("a map of `key: value` lines") {
        Some("this key needs `key: value` entries, one per line and indented under it")
    } else if message.contains("invalid boolean") {
        Some("write true or false (draft: true leaves the page out of the site)")
    } else if message.contains("alias") || message.contains("anchor") {
        Some("an alias (*name) must refer to an anchor (&name) defined above it")
    } else {
        None
    };
    (help.map(str::to_owned), message.to_owned())
}

/// For "unknown field `nmae`, expected one of id, name, kind": the closest known key.
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected =
        rest.split_once("expected one of ").map(|(_, e)| e).or_else(|| rest.split_once("expected ").map(|(_, e)| e));
    let known: Vec<&str> = expected.map(|e| e.split(", ").map(|k| k.trim_matches('`')).collect()).unwrap_or_default();
    Some(match crate::diag::did_you_mean(field, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? This key is not part of the format: correct it, or remove it"),
        None => "this key is not part of the format: check its spelling, or remove it".to_owned(),
    })
}

/// The entries of a YAML mapping, in file order. Unlike a `HashMap` the order is the
/// user's, and unlike a `BTreeMap` nothing is lost: duplicates are rejected by the parser.
#[derive(Debug, Clone, PartialEq)]
pub struct Entries<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for Entries<K, V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Entries<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<K, V> {
            type Value = Entries<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of `key: value` lines")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        // `any` so that an empty value (`figures:` with nothing under it) reaches `visit_unit`.
        d.deserialize_any(EntriesVisitor(std::marker::PhantomData))
    }
}

/// A scalar as written, before validation decides what it may be. Reading every number
/// this way lets validation say "figures are whole numbers of people" instead of the
/// parser's "invalid u64".
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Int(i128),
    Float(f64),
    Text(String),
    Bool(bool),
    Null,
    /// A list or map where one value was expected.
    Nested,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a single value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(i128::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Int(i128::from(v)))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Scalar, E> {
                Ok(i128::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Int))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Text(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
                Scalar::deserialize(d)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
        }
        d.deserialize_any(ScalarVisitor)
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::Text(s) => write!(f, "\"{s}\""),
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Null => f.write_str("an empty value"),
            Scalar::Nested => f.write_str("a list or map"),
        }
    }
}

/// Something read from a file together with where it was written: 1-based line and
/// column, 0 when unknown. Read through serde-saphyr's `Spanned`, or made directly by
/// the fast path of `reports`.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub line: u32,
    pub column: u32,
}

impl<T> At<T> {
    pub fn new(value: T, line: u32, column: u32) -> Self {
        At { value, line, column }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<T>::deserialize(d)?;
        let (line, column) = (s.referenced.line(), s.referenced.column());
        Ok(At { value: s.value, line: u32::try_from(line).unwrap_or(0), column: u32::try_from(column).unwrap_or(0) })
    }
}

/// A two-level map as reports and targets write it: locality id → indicator id → value.
pub type Table<T> = At<Entries<At<String>, At<Entries<At<String>, At<T>>>>>;

/// One locality's entry of a [`Table`]: its id and its indicator → value map.
pub type TableRow<T> = (At<String>, At<Entries<At<String>, At<T>>>);

#[cfg(test)]
mod tests {
    use super::strip_position;

    #[test]
    fn only_a_trailing_position_is_stripped() {
        assert_eq!(strip_position("invalid u64 at line 4, column 6"), "invalid u64");
        assert_eq!(
            strip_position("limit at line 3, column 41 (defined at line 5)"),
            "limit at line 3, column 41 (defined at line 5)"
        );
        assert_eq!(strip_position("no position"), "no position");
    }

    #[test]
    fn misspelt_keys_get_a_suggestion() {
        let help = super::unknown_field_help("unknown field `as_off`, expected one of as_of, source, figures").unwrap();
        assert!(help.starts_with("did you mean `as_of`?"), "{help}");
        let help = super::unknown_field_help("unknown field `colour`, expected one of as_of, source, figures").unwrap();
        assert!(help.starts_with("this key is not part of the format"), "{help}");
    }
}
