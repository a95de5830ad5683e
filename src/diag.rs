//! Diagnostics: what is wrong with the input, where, and what to do about it.
//!
//! Every stage that reads user files reports problems here instead of stopping:
//! the build collects all of them and decides the outcome once. A diagnostic
//! names its file relative to the site root, the line and column where the
//! format has one, and carries the offending source line so it can be shown
//! without reopening the file. Nothing in this module prints.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
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
    pub message: String,
    /// What to do about it, in plain words.
    pub help: Option<String>,
    /// The text of `line`, for display under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    /// Points the diagnostic at `line`:`column` of `source`, keeping that line's text.
    pub fn at(mut self, source: &str, line: u64, column: u64) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = line_text(source, line).map(str::to_owned);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of 1-based `line` in `source`, without its line break.
pub fn line_text(source: &str, line: u64) -> Option<&str> {
    let index = usize::try_from(line.checked_sub(1)?).ok()?;
    source.split('\n').nth(index).map(|l| l.strip_suffix('\r').unwrap_or(l))
}

impl fmt::Display for Diagnostic {
    /// A compiler-style report, readable without colour:
    ///
    /// ```text
    /// error: data/reports/2025-09.yaml:4:3: `long-mi` is not a locality
    ///   |
    /// 4 |   long-mi: { voluntary-si: 1215 }
    ///   |   ^
    ///   = help: ...
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {}", self.message)?;
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        if let Some(text) = &self.source_line {
            let shown: String = text.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
            write!(f, "\n{pad} |\n{} | {shown}", self.line)?;
            if self.column > 0 {
                let indent = " ".repeat(usize::try_from(self.column - 1).unwrap_or(0));
                write!(f, "\n{pad} | {indent}^")?;
            }
        }
        if let Some(help) = &self.help {
            // Continuation lines line up under the first line of the help text.
            let indent = format!("\n{}", " ".repeat(gutter + 9));
            let text = help.lines().collect::<Vec<_>>().join(&indent);
            write!(f, "\n{pad} = help: {text}")?;
        }
        Ok(())
    }
}

/// Every diagnostic of a run, in a stable order.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then position, errors before warnings at the same place, without repeats,
    /// so that output does not depend on the order in which parallel stages finished.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Shortest list of suggestions for an unknown name: the closest known names first,
/// then as many others as fit, so a message stays one line even with 3,321 localities.
pub fn known_list<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> String {
    let mut all: Vec<(usize, &str)> = known.map(|k| (edit_distance(unknown, k), k)).collect();
    let total = all.len();
    if total == 0 {
        return "(none are defined)".to_owned();
    }
    const SHOWN: usize = 8;
    if total > SHOWN {
        all.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        all.truncate(SHOWN);
        let names: Vec<&str> = all.iter().map(|(_, k)| *k).collect();
        format!("{} … ({total} in all)", names.join(", "))
    } else {
        let names: Vec<&str> = all.iter().map(|(_, k)| *k).collect();
        names.join(", ")
    }
}

/// The closest known name to `unknown`, if one is close enough to be a likely misspelling.
pub fn did_you_mean<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (unknown.chars().count() / 3).max(1);
    known
        .map(|k| (edit_distance(unknown, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, k)| k)
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
    fn renders_file_line_column_snippet_and_help() {
        let src = "as_of: 2025-09-30\nfigures:\n  long-mi: { voluntary-si: 1 }\n";
        let d = Diagnostic::error("data/reports/2025-09.yaml", "`long-mi` is not a locality")
            .at(src, 3, 3)
            .help("did you mean `long-my`?");
        assert_eq!(
            d.to_string(),
            "error: data/reports/2025-09.yaml:3:3: `long-mi` is not a locality\n  |\n3 |   long-mi: { voluntary-si: 1 }\n  |   ^\n  = help: did you mean `long-my`?"
        );
    }

    #[test]
    fn line_text_handles_crlf_and_out_of_range() {
        assert_eq!(line_text("a\r\nb\r\n", 2), Some("b"));
        assert_eq!(line_text("a\n", 5), None);
        assert_eq!(line_text("a\n", 0), None);
    }

    #[test]
    fn suggestions() {
        let known = ["long-my", "o-mon", "my-tu"];
        assert_eq!(did_you_mean("long-mi", known.into_iter()), Some("long-my"));
        assert_eq!(did_you_mean("can-tho", known.into_iter()), None);
        assert_eq!(known_list("x", known.into_iter()), "long-my, o-mon, my-tu");
    }

    #[test]
    fn sorted_output_is_stable_and_deduplicated() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("b.yaml", "w"));
        ds.push(Diagnostic::error("a.yaml", "e"));
        ds.push(Diagnostic::error("a.yaml", "e"));
        let sorted = ds.into_sorted();
        assert_eq!(sorted.len(), 2);
        assert_eq!(sorted[0].file, "a.yaml");
    }
}
