//! `content/**/*.md`: Markdown commentary with optional YAML front matter.

use serde::Deserialize;

use super::SourceFile;
use super::yaml::{self, At};
use crate::diag::Diagnostic;
use crate::t;

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone)]
pub struct RawContent {
    pub front: RawFrontMatter,
    pub body: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub date: Option<At<String>>,
    pub summary: Option<String>,
    pub draft: Option<bool>,
}

pub fn parse(file: &SourceFile) -> Result<RawContent, Diagnostic> {
    let Some((yaml_text, body)) = split_front_matter(file)? else {
        return Ok(RawContent { front: RawFrontMatter::default(), body: file.text.clone() });
    };
    let front = if yaml_text.trim().is_empty() {
        RawFrontMatter::default()
    } else {
        // An empty first line stands for the opening `---`, so that every position the
        // parser reports, errors and spans alike, is a position in the whole file.
        yaml::parse(file, &format!("\n{yaml_text}"))?
    };
    Ok(RawContent { front, body: body.to_owned() })
}

/// `Some((front matter, body))` when the file starts with a `---` line.
fn split_front_matter(file: &SourceFile) -> Result<Option<(&str, &str)>, Diagnostic> {
    let text = file.text.as_str();
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return Ok(None);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Some((yaml, body)));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(&file.rel, t!("front_matter_not_closed"))
        .at(file, 1, 1)
        .help(t!("front_matter_not_closed_help")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/updates/x.md", text)
    }

    #[test]
    fn front_matter_is_split_and_parsed() {
        let c = parse(&file("---\ntitle: Tháng 9\ndate: 2025-10-05\n---\n# Hello\n")).unwrap();
        assert_eq!(c.front.title.as_deref(), Some("Tháng 9"));
        assert_eq!(c.front.date.as_ref().map(|d| d.value.as_str()), Some("2025-10-05"));
        // Positions count from the top of the file, `---` line included.
        assert_eq!(c.front.date.as_ref().map(|d| d.line), Some(3));
        assert_eq!(c.body, "# Hello\n");
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let c = parse(&file("# Hello\n---\n")).unwrap();
        assert!(c.front.title.is_none());
        assert_eq!(c.body, "# Hello\n---\n");
    }

    #[test]
    fn errors_count_lines_from_the_top_of_the_file() {
        let d = parse(&file("---\ntitle: a\ndraft: maybe\n---\nbody\n")).unwrap_err();
        assert_eq!(d.line, 3);
        assert_eq!(d.source_line.as_deref(), Some("draft: maybe"));
    }
}
