//! YAML parsing shared by every input kind: strict options, capped work, and
//! errors turned into diagnostics that point into the file the user wrote.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, SnippetMode, Spanned};

use super::SourceFile;
use crate::diag::Diagnostic;
use crate::t;
use crate::words::messages::Text;

/// Parses `text` into `T`. `text` is the file's text, or a part of it padded so that
/// its line numbers are the file's (front matter).
pub fn parse<T: DeserializeOwned>(file: &SourceFile, text: &str) -> Result<T, Diagnostic> {
    if is_blank(text) {
        return Err(Diagnostic::error(&file.rel, t!("file_empty")).help(t!("file_empty_help")));
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
    let detail = strip_position(&plain);
    let location = e.location().filter(|l| l.line() > 0);
    let line = location.and_then(|l| file.line(l.line())).unwrap_or("");
    let (message, help) = if lacks_colon(line) {
        (t!("yaml_missing_colon", detail), Some(t!("yaml_missing_colon_help")))
    } else {
        explain(detail)
    };
    let mut d = Diagnostic::error(&file.rel, message);
    if let Some(loc) = location {
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
        B::Events { .. } | B::Nodes { .. } | B::ScalarBytes { .. } | B::InputBytes { .. } | B::Documents { .. } => {
            (t!("yaml_too_many_values", max = MAX_NODES), t!("yaml_too_many_values_help"))
        }
        B::Depth { .. } => (t!("yaml_too_deep"), t!("yaml_too_deep_help")),
        _ => (t!("yaml_expands"), t!("yaml_expands_help")),
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

/// Whether `line` is a key and its value without the `:` between them, as in
/// `long-my { voluntary-si: 1215 }`: the parser then reads the whole line as a key, and
/// says something about types that does not help.
fn lacks_colon(line: &str) -> bool {
    let entry = line.trim_start().trim_start_matches("- ");
    let Some(open) = entry.find(['{', '[']) else { return false };
    let key = &entry[..open];
    !key.trim().is_empty()
        && key.ends_with(' ')
        && !key.contains([':', '"', '\'', '#'])
        && !key.trim().contains(char::is_whitespace)
}

/// The parser's message `detail` in plain words, and what to do, for the mistakes staff
/// make most often. Each case keeps the parser's words as `detail`, which a catalogue
/// may show (English does: it is what the parser says) or replace with plain words.
fn explain(detail: &str) -> (Text, Option<Text>) {
    if detail.contains("too large or too complex") || detail.contains("budget") {
        // The parser's own text lists internal counters; say what it means instead.
        return (t!("yaml_expands"), Some(t!("yaml_expands_help")));
    }
    if let Some(explained) = unknown_field(detail) {
        return explained;
    }
    let has = |words: &str| detail.contains(words);
    let (message, help) = if let Some(field) = detail.strip_prefix("missing field `").and_then(|r| r.split('`').next())
    {
        (t!("yaml_missing_field", detail, field), t!("yaml_missing_field_help"))
    } else if has("duplicate mapping key") {
        (t!("yaml_duplicate_key", detail), t!("yaml_duplicate_key_help"))
    } else if has("tabs ") || has("a tab") || has("tab character") {
        (t!("yaml_tab", detail), t!("yaml_indentation_help"))
    } else if has("indentation") || has("did not find expected key") {
        (t!("yaml_indentation", detail), t!("yaml_indentation_help"))
    } else if has("mapping values are not allowed") {
        (t!("yaml_needs_quotes", detail), t!("yaml_needs_quotes_help"))
    } else if has("could not find expected ':'") || has("expected ':'") {
        (t!("yaml_missing_colon", detail), t!("yaml_missing_colon_help"))
    } else if has("end of file") || has("end of input") || has("end of the stream") {
        (t!("yaml_ends_early", detail), t!("yaml_ends_early_help"))
    } else if has("flow mapping") {
        (t!("yaml_unclosed_brace", detail), t!("yaml_brackets_help"))
    } else if has("flow sequence") {
        (t!("yaml_unclosed_bracket", detail), t!("yaml_brackets_help"))
    } else if has("expected sequence start") {
        (t!("yaml_needs_list", detail), t!("yaml_needs_list_help"))
    } else if has("expected mapping start") || has("a map of `key: value` lines") {
        (t!("yaml_needs_map", detail), t!("yaml_needs_map_help"))
    } else if has("invalid boolean") {
        (t!("yaml_not_boolean", detail), t!("yaml_not_boolean_help"))
    } else if has("alias") || has("anchor") {
        (t!("yaml_alias", detail), t!("yaml_alias_help"))
    } else {
        return (t!("yaml_other", detail), None);
    };
    (message, Some(help))
}

/// For "unknown field `nmae`, expected one of id, name, kind": the closest known key.
fn unknown_field(detail: &str) -> Option<(Text, Option<Text>)> {
    let rest = detail.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected =
        rest.split_once("expected one of ").map(|(_, e)| e).or_else(|| rest.split_once("expected ").map(|(_, e)| e));
    let known: Vec<&str> = expected.map(|e| e.split(", ").map(|k| k.trim_matches('`')).collect()).unwrap_or_default();
    let help = match crate::diag::did_you_mean(field, known.iter().copied()) {
        Some(close) => t!("yaml_unknown_field_close", close),
        None => t!("yaml_unknown_field_help"),
    };
    let known = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    Some((t!("yaml_unknown_field", detail, field, known), Some(help)))
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

impl Scalar {
    /// The value as a message shows it: as written, or in words when there is nothing to quote.
    pub fn describe(&self) -> crate::words::messages::Arg {
        match self {
            Scalar::Null => t!("value_empty").into(),
            Scalar::Nested => t!("value_nested").into(),
            other => other.to_string().into(),
        }
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
        assert!(super::lacks_colon("  long-my { voluntary-si: 1215 }"));
        assert!(super::lacks_colon("- o-mon [1, 2]"));
        assert!(!super::lacks_colon("  long-my: { voluntary-si: 1215 }"));
        assert!(!super::lacks_colon("title: \"a { b }\""));
        assert!(!super::lacks_colon("  Phường Long Mỹ { x: 1 }"), "several words are not one key");
        let help = super::unknown_field("unknown field `as_off`, expected one of as_of, source, figures").unwrap().1;
        let help = help.unwrap().to_string();
        assert!(help.starts_with("did you mean `as_of`?"), "{help}");
        let help = super::unknown_field("unknown field `colour`, expected one of as_of, source, figures").unwrap().1;
        let help = help.unwrap().to_string();
        assert!(help.starts_with("this key is not part of the format"), "{help}");
    }
}
