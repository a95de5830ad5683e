//! Diagnostics: what is wrong with the input, where, and what to do about it.
//!
//! Every stage that reads user files reports problems here instead of stopping:
//! the build collects all of them and decides the outcome once. A diagnostic
//! names its file relative to the site root, the line and column where the
//! format has one, and carries the offending source line so it can be shown
//! without reopening the file. Nothing in this module prints.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::t;
use crate::words::messages::{Catalogue, Text};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// The text of one input file, and where its lines start (found once, when the first
/// diagnostic needs it), so that pointing at a line costs the same in a file of a
/// million lines as in a file of ten.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators: what messages show.
    pub rel: String,
    pub text: String,
    lines: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(rel: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile { rel: rel.into(), text: text.into(), lines: OnceLock::new() }
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line(&self, line: u64) -> Option<&str> {
        let starts = self
            .lines
            .get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(k, _)| k + 1)).collect());
        let index = usize::try_from(line.checked_sub(1)?).ok()?;
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).map_or(self.text.len(), |next| next - 1);
        let text = &self.text[start..end];
        Some(text.strip_suffix('\r').unwrap_or(text))
    }
}

/// One problem in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line in the file as the user wrote it; 0 when unknown.
    pub line: u64,
    /// 1-based column in characters; 0 when unknown.
    pub column: u64,
    pub message: Text,
    /// What to do about it, in plain words (boxed: most diagnostics are passed around
    /// in `Result`s, and are better small).
    pub help: Option<Box<Text>>,
    /// The text of `line`, for display under the message.
    pub source_line: Option<String>,
    /// How many more diagnostics like this one the file has, not shown (see [`Diagnostics`]).
    pub more: u32,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message,
            help: None,
            source_line: None,
            more: 0,
        }
    }

    pub fn warning(file: impl Into<String>, message: Text) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    /// Points the diagnostic at `line`:`column` of `source`, keeping that line's text.
    pub fn at(mut self, source: &SourceFile, line: u64, column: u64) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = source.line(line).map(str::to_owned);
        self
    }

    pub fn help(mut self, help: Text) -> Self {
        self.help = Some(Box::new(help));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// What this diagnostic is about, whatever it names: its message's key, so that
    /// "`a` is not a locality" and "`b` is not a locality" are one kind.
    fn kind(&self) -> (Severity, &'static str) {
        (self.severity, self.message.key())
    }

    /// The diagnostic as the reader of `words` reads it: a compiler-style report,
    /// readable without colour:
    ///
    /// ```text
    /// error: data/reports/2025-09.yaml:4:3: `long-mi` is not a locality
    ///   |
    /// 4 |   long-mi: { voluntary-si: 1215 }
    ///   |   ^
    ///   = help: ...
    /// ```
    ///
    /// Everything that comes from the input is shown with its control characters escaped.
    pub fn render(&self, words: &Catalogue) -> String {
        let mut f = String::new();
        let label = words.render(&match self.severity {
            Severity::Error => t!("label_error"),
            Severity::Warning => t!("label_warning"),
        });
        let file = printable(&self.file).into_owned();
        let place = match (self.line, self.column) {
            (0, _) => t!("at_file", file),
            (line, 0) => t!("at_line", file, line),
            (line, column) => t!("at_line_column", file, line, column),
        };
        let message = words.render(&self.message);
        f.push_str(&words.render(&t!("diagnostic", label, place, message = printable(&message).into_owned())));
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        if let Some(text) = &self.source_line {
            // Tabs as one space, so the caret lines up; the caret goes under the character
            // at `column`, however wide the escapes before it are. Of a long line, only
            // the part around the column, cut with "…".
            let chars = text.chars().count();
            let at = (self.column as usize).saturating_sub(1);
            let (from, to) = snippet_window(chars, at);
            let mut shown = String::with_capacity(text.len().min(4 * SNIPPET_WIDTH));
            if from > 0 {
                shown.push('…');
            }
            let mut caret = 0;
            for (k, c) in text.chars().enumerate().skip(from).take(to - from) {
                if k == at {
                    caret = shown.chars().count();
                }
                push_printable(if c == '\t' { ' ' } else { c }, &mut shown);
            }
            if at >= to {
                caret = shown.chars().count() + (at - to);
            }
            if to < chars {
                shown.push('…');
            }
            f.push_str(&format!("\n{pad} |\n{} | {shown}", self.line));
            if self.column > 0 {
                f.push_str(&format!("\n{pad} | {}^", " ".repeat(caret)));
            }
        }
        if let Some(help) = &self.help {
            let label = words.render(&t!("label_help"));
            // Continuation lines line up under the first line of the help text.
            let indent = format!("\n{}", " ".repeat(gutter + label.chars().count() + 5));
            let text = printable(&words.render(help)).lines().collect::<Vec<_>>().join(&indent);
            f.push_str(&format!("\n{pad} = {label}: {text}"));
        }
        if self.more > 0 {
            let more = match self.severity {
                Severity::Error => t!("more_errors", n = self.more),
                Severity::Warning => t!("more_warnings", n = self.more),
            };
            f.push_str(&format!("\n{pad} = {}", words.render(&more)));
        }
        f
    }
}

/// The most characters of a line shown under a message.
const SNIPPET_WIDTH: usize = 120;

/// Which characters of a line of `chars` characters are shown under a message about the
/// one at `at` (0-based): all of them when they fit in [`SNIPPET_WIDTH`], or as many
/// around `at`, with a third of them before it.
fn snippet_window(chars: usize, at: usize) -> (usize, usize) {
    if chars <= SNIPPET_WIDTH {
        return (0, chars);
    }
    let from = at.saturating_sub(SNIPPET_WIDTH / 3).min(chars - SNIPPET_WIDTH);
    (from, from + SNIPPET_WIDTH)
}

/// `text` as it is safe to print on a terminal: control characters (which could clear
/// the screen or fake other output), and the Unicode controls that reorder text, are
/// shown as `\u{…}` escapes.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_printable(c, &mut out);
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_printable(c: char, out: &mut String) {
    if needs_escape(c) {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// In English; a person reads [`Diagnostic::render`] in their language.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Catalogue::english()))
    }
}

/// At most this many diagnostics of one kind are kept for one file; the rest are counted
/// and said in one line. A file with 200,000 misspelt ids gives twenty messages, quickly.
pub const MAX_LIKE: usize = 20;

/// Every diagnostic of a run, in a stable order, at most [`MAX_LIKE`] of a kind per file.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// For each file and kind: how many were kept, and how many more were left out.
    counts: HashMap<(String, Severity, &'static str), (usize, usize)>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps `d`, unless its file already has [`MAX_LIKE`] diagnostics of its kind: it is
    /// then only counted.
    pub fn push(&mut self, d: Diagnostic) {
        self.admit(d);
    }

    /// [`Diagnostics::push`], saying whether `d` was kept.
    fn admit(&mut self, d: Diagnostic) -> bool {
        let (severity, shape) = d.kind();
        let count = self.counts.entry((d.file.clone(), severity, shape)).or_default();
        if count.0 >= MAX_LIKE {
            count.1 += 1;
            return false;
        }
        count.0 += 1;
        self.items.push(d);
        true
    }

    /// Like [`Diagnostics::push`], with help that is worked out only if `d` is kept: a
    /// suggestion among 3,321 names is not worth making for the ten-thousandth typo.
    pub fn push_with_help(&mut self, d: Diagnostic, help: impl FnOnce() -> Text) {
        if self.admit(d)
            && let Some(last) = self.items.last_mut()
        {
            last.help = Some(Box::new(help()));
        }
    }

    /// Adds what `other` collected, its counts of diagnostics left out included.
    pub fn append(&mut self, other: Diagnostics) {
        for d in other.items {
            self.push(d);
        }
        for (key, (_, left_out)) in other.counts {
            if left_out > 0 {
                self.counts.entry(key).or_default().1 += left_out;
            }
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Sorted by file, then position, errors before warnings at the same place, without repeats,
    /// so that output does not depend on the order in which parallel stages finished. The last
    /// shown diagnostic of each kind in a file says how many more of its kind were left out.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let Diagnostics { mut items, counts } = self;
        // At one place, in the order of their English words, whatever the reader's language.
        items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity)
                .cmp(&(&b.file, b.line, b.column, b.severity))
                .then_with(|| a.message.to_string().cmp(&b.message.to_string()))
        });
        items.dedup();
        let mut last_of_kind: HashMap<(String, Severity, &'static str), usize> = HashMap::new();
        for (k, d) in items.iter().enumerate() {
            let (severity, shape) = d.kind();
            last_of_kind.insert((d.file.clone(), severity, shape), k);
        }
        for (key, (_, left_out)) in counts {
            if let Some(&k) = last_of_kind.get(&key).filter(|_| left_out > 0) {
                items[k].more = items[k].more.saturating_add(u32::try_from(left_out).unwrap_or(u32::MAX));
            }
        }
        items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_sorted().into_iter()
    }
}

/// Shortest list of suggestions for an unknown name: the closest known names first,
/// then as many others as fit, so a message stays one line even with 3,321 localities.
pub fn known_list<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Text {
    let mut all: Vec<(usize, &str)> = known.map(|k| (edit_distance(unknown, k), k)).collect();
    let total = all.len();
    if total == 0 {
        return t!("known_none");
    }
    const SHOWN: usize = 8;
    if total > SHOWN {
        all.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        all.truncate(SHOWN);
        let names: Vec<&str> = all.iter().map(|(_, k)| *k).collect();
        t!("known_some", names = names.join(", "), total)
    } else {
        let names: Vec<&str> = all.iter().map(|(_, k)| *k).collect();
        t!("known_all", names = names.join(", "))
    }
}

/// The closest known name to `unknown`, if one is close enough to be a likely misspelling
/// and no other is as close: between two as close, a guess could send a figure to the
/// wrong place ("Nhơn Mĩ" is one letter from Nhơn Mỹ and from Nhơn Ái).
pub fn did_you_mean<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (unknown.chars().count() / 3).max(1);
    sole_best(known.map(|k| (edit_distance(unknown, k), k)).filter(|&(d, _)| d <= limit))
}

/// The candidate of the smallest rank, if no other candidate has that rank too: a choice
/// that is never made between equals.
pub(crate) fn sole_best<R: Ord + Copy, T: PartialEq + Copy>(candidates: impl Iterator<Item = (R, T)>) -> Option<T> {
    let mut best: Option<(R, T)> = None;
    let mut tied = false;
    for (rank, item) in candidates {
        match best {
            Some((b, other)) if rank == b && item != other => tied = true,
            Some((b, _)) if rank >= b => {}
            _ => {
                best = Some((rank, item));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, item)| item)
}

/// Levenshtein distance over characters; inputs are short names, so O(n·m) is fine.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_is_made_only_when_one_name_is_closest() {
        assert_eq!(did_you_mean("long-mi", ["long-my", "o-mon"].into_iter()), Some("long-my"));
        assert_eq!(did_you_mean("nhon mi", ["nhon ai", "nhon my"].into_iter()), None);
        assert_eq!(did_you_mean("nhon mi", ["nhon ai", "nhon my", "nhon mi x"].into_iter()), None);
        assert_eq!(did_you_mean("zzz", ["long-my"].into_iter()), None);
    }

    #[test]
    fn of_a_long_line_only_the_part_around_the_column_is_shown() {
        // A 225 KB name was printed whole under its message: a terminal full of it.
        let line = format!("  - {{ id: x, name: \"{}\", kind: ward }}", "Ô Môn ".repeat(40_000));
        let src = SourceFile::new("l", format!("localities:\n{line}\n"));
        for column in [1, 22, 1_000, 200_000, line.chars().count() as u64 + 5] {
            let d = Diagnostic::error("data/localities.yaml", t!("name_empty")).at(&src, 2, column);
            let text = d.to_string();
            let shown = text.lines().nth(2).unwrap().strip_prefix("2 | ").unwrap();
            let caret = text.lines().nth(3).unwrap().strip_prefix("  | ").unwrap();
            assert!(shown.chars().count() <= SNIPPET_WIDTH + 2, "{column}: {} characters", shown.chars().count());
            // The caret is under the character at the column, or past the end of the line.
            let at = caret.chars().count() - 1;
            match line.chars().nth(column as usize - 1) {
                Some(c) => assert_eq!(shown.chars().nth(at), Some(c), "{column}"),
                None => assert!(at >= shown.chars().count(), "{column}"),
            }
            assert_eq!(shown.starts_with('…'), column > 40, "{column}");
        }
    }

    #[test]
    fn renders_file_line_column_snippet_and_help() {
        let src = SourceFile::new("r", "as_of: 2025-09-30\nfigures:\n  long-mi: { voluntary-si: 1 }\n");
        let d = Diagnostic::error("data/reports/2025-09.yaml", t!("unknown_locality", id = "long-mi"))
            .at(&src, 3, 3)
            .help(t!("unknown_locality_close", close = "long-my", known = "long-my, o-mon"));
        assert_eq!(
            d.to_string(),
            "error: data/reports/2025-09.yaml:3:3: `long-mi` is not a locality\n  |\n3 |   long-mi: { voluntary-si: 1 }\n  |   ^\n  = help: did you mean `long-my`? Known locality ids: long-my, o-mon"
        );
        // The same in Vietnamese: the place in words, the help lined up under its label.
        let vi = Catalogue::get("vi").unwrap();
        assert_eq!(
            d.render(vi),
            "lỗi: data/reports/2025-09.yaml, dòng 3, cột 3: `long-mi` không phải mã của phường, xã nào\n  |\n3 |   long-mi: { voluntary-si: 1 }\n  |   ^\n  = gợi ý: có phải bạn muốn viết `long-my`? Các mã phường, xã hiện có: long-my, o-mon"
        );
    }

    #[test]
    fn lines_handle_crlf_and_out_of_range() {
        let file = SourceFile::new("f", "a\r\nb\r\nlast");
        assert_eq!(file.line(1), Some("a"));
        assert_eq!(file.line(2), Some("b"));
        assert_eq!(file.line(3), Some("last"));
        assert_eq!(file.line(4), None);
        assert_eq!(file.line(0), None);
        assert_eq!(SourceFile::new("f", "a\n").line(2), Some(""));
    }

    #[test]
    fn control_characters_from_the_input_are_shown_escaped() {
        let src = SourceFile::new("r", "  \u{1b}[2Jx: 1\n");
        let d = Diagnostic::error("data/r\u{7}.yaml", t!("unknown_locality", id = "\u{1b}[2Jx\u{202e}"))
            .at(&src, 1, 6)
            .help(t!("broken_link", target = "no\u{1b}c"));
        let shown = d.to_string();
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
        assert_eq!(
            shown,
            "error: data/r\\u{7}.yaml:1:6: `\\u{1b}[2Jx\\u{202e}` is not a locality\n  |\n1 |   \\u{1b}[2Jx: 1\n  |           ^\n  = help: this is a link to no\\u{1b}c, which does not exist"
        );
    }

    #[test]
    fn each_kind_is_kept_twenty_times_a_file_then_counted() {
        let mut ds = Diagnostics::new();
        for k in 0..1000 {
            ds.push(Diagnostic::error("a.yaml", t!("unknown_locality", id = format!("x{k}"))).at(
                &SourceFile::new("a", ""),
                k + 1,
                1,
            ));
            ds.push(Diagnostic::error("b.yaml", t!("unknown_locality", id = format!("x{k}"))));
        }
        ds.push(Diagnostic::error("a.yaml", t!("number_negative", value = "-5")));
        let mut other = Diagnostics::new();
        for k in 0..30 {
            other.push_with_help(Diagnostic::error("a.yaml", t!("unknown_locality", id = format!("y{k}"))), || {
                t!("no_reports_help")
            });
        }
        ds.append(other);
        let sorted = ds.into_sorted();
        let in_a: Vec<&Diagnostic> = sorted.iter().filter(|d| d.file == "a.yaml").collect();
        assert_eq!(in_a.len(), 21);
        assert_eq!(in_a.iter().map(|d| d.more).sum::<u32>(), 1010);
        assert_eq!(in_a.last().map(|d| d.more), Some(1010), "said after the last one shown");
        assert!(in_a[20].to_string().ends_with("= and 1010 more errors like this one in this file, not shown"));
        assert_eq!(sorted.iter().filter(|d| d.file == "b.yaml").count(), 20);
    }

    #[test]
    fn suggestions() {
        let known = ["long-my", "o-mon", "my-tu"];
        assert_eq!(did_you_mean("long-mi", known.into_iter()), Some("long-my"));
        assert_eq!(did_you_mean("can-tho", known.into_iter()), None);
        assert_eq!(known_list("x", known.into_iter()).to_string(), "long-my, o-mon, my-tu");
    }

    #[test]
    fn sorted_output_is_stable_and_deduplicated() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("b.yaml", t!("file_ignored")));
        ds.push(Diagnostic::error("a.yaml", t!("file_empty")));
        ds.push(Diagnostic::error("a.yaml", t!("file_empty")));
        let sorted = ds.into_sorted();
        assert_eq!(sorted.len(), 2);
        assert_eq!(sorted[0].file, "a.yaml");
    }
}
