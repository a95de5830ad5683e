//! Commentary: where each Markdown file belongs, and its front matter.

use super::{Ids, Kind, date};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::content::RawContent;
use crate::load::yaml::At;
use crate::load::{Loaded, SourceFile};
use crate::model::{Content, Doc};
use crate::t;
use crate::text;
use crate::words::messages::Text;

/// The file, under `content/`, that says how to take part (shown on many pages).
pub const JOIN: &str = "tham-gia";

/// Top-level names a standalone page may not take: the site's own sections.
pub const RESERVED: [&str; 9] =
    ["localities", "indicators", "groups", "updates", "data", "charts", "assets", "404", "index"];

pub(super) fn content(files: Vec<Loaded<RawContent>>, ids: &Ids, diags: &mut Diagnostics) -> Content {
    let mut content = Content {
        localities: vec![None; ids.locality_list.len()],
        indicators: vec![None; ids.indicator_list.len()],
        ..Content::default()
    };
    for Loaded { file, raw } in files {
        if raw.front.draft == Some(true) {
            continue;
        }
        let rel = file.rel.clone();
        let inner = rel.strip_prefix("content/").unwrap_or(&rel);
        let stem = inner.strip_suffix(".md").unwrap_or(inner);
        let parts: Vec<&str> = stem.split('/').collect();
        match parts.as_slice() {
            ["index"] => content.home = Some(doc(&file, raw, "index", false, diags)),
            ["methodology"] => content.methodology = Some(doc(&file, raw, "methodology", false, diags)),
            [JOIN] => content.join = Some(doc(&file, raw, JOIN, false, diags)),
            ["localities", id] => match ids.locality_by_id(id) {
                Some(Some(l)) => content.localities[l] = Some(doc(&file, raw, id, false, diags)),
                Some(None) => drop(doc(&file, raw, id, false, diags)),
                None => {
                    diags.push(unknown_file(&file, id, Kind::Locality, ids.locality_list.iter().map(|l| l.id.as_str())))
                }
            },
            ["indicators", id] => match ids.indicator_by_id(id) {
                Some(Some(i)) => content.indicators[i] = Some(doc(&file, raw, id, false, diags)),
                Some(None) => drop(doc(&file, raw, id, false, diags)),
                None => diags.push(unknown_file(
                    &file,
                    id,
                    Kind::Indicator,
                    ids.indicator_list.iter().map(|i| i.id.as_str()),
                )),
            },
            ["updates", slug] => {
                if check_slug(&file, slug, diags) {
                    let date_missing = raw.front.date.is_none();
                    let d = doc(&file, raw, slug, true, diags);
                    if date_missing {
                        diags.push(
                            Diagnostic::error(&file.rel, t!("bulletin_without_date"))
                                .at(&file, 1, 1)
                                .help(t!("bulletin_without_date_help")),
                        );
                    }
                    content.updates.push(d);
                }
            }
            [slug] => {
                if RESERVED.contains(slug) {
                    diags.push(
                        Diagnostic::error(&file.rel, t!("page_name_reserved", slug = *slug))
                            .help(t!("page_name_reserved_help")),
                    );
                } else if check_slug(&file, slug, diags) {
                    content.pages.push(doc(&file, raw, slug, true, diags));
                }
            }
            _ => diags.push(
                Diagnostic::error(&file.rel, t!("markdown_folder_unknown")).help(t!("markdown_folder_unknown_help")),
            ),
        }
    }
    // Newest first; the slug breaks ties so the order never depends on the file system.
    content.updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    content.pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    content
}

/// `titled`: the file is a page of its own (a bulletin or standalone page), whose title may
/// come from its first heading; commentary shown inside another page keeps its headings.
fn doc(file: &SourceFile, raw: RawContent, slug: &str, titled: bool, diags: &mut Diagnostics) -> Doc {
    let date = raw.front.date.as_ref().and_then(|d: &At<String>| date(file, d, diags));
    let (title, markdown) = match raw.front.title.filter(|t| !t.trim().is_empty()) {
        Some(t) => (Some(t.trim().to_owned()), raw.body),
        None if !titled => (None, raw.body),
        None => match split_title(&raw.body) {
            Some((t, rest)) => (Some(t), rest),
            None => (None, raw.body),
        },
    };
    Doc {
        slug: slug.to_owned(),
        file: file.rel.clone(),
        title,
        date,
        summary: raw.front.summary.filter(|s| !s.trim().is_empty()),
        markdown,
    }
}

/// A leading `# Title` line becomes the title when the front matter gives none,
/// so the page does not show it twice.
fn split_title(body: &str) -> Option<(String, String)> {
    let trimmed = body.trim_start_matches(['\n', '\r']);
    let first = trimmed.lines().next()?;
    let title = first.strip_prefix("# ")?.trim().trim_end_matches('#').trim();
    if title.is_empty() {
        return None;
    }
    Some((title.to_owned(), trimmed[first.len()..].to_owned()))
}

fn check_slug(file: &SourceFile, slug: &str, diags: &mut Diagnostics) -> bool {
    if text::is_valid_id(slug) {
        return true;
    }
    let suggestion = text::slug(slug);
    let help = if suggestion.is_empty() { t!("page_name_rule") } else { t!("page_name_rule_example", suggestion) };
    diags.push(Diagnostic::error(&file.rel, t!("page_name_invalid", slug)).help(help));
    false
}

fn unknown_file<'k>(
    file: &SourceFile,
    id: &str,
    kind: Kind,
    known: impl Iterator<Item = &'k str> + Clone,
) -> Diagnostic {
    let close = crate::diag::did_you_mean(id, known.clone());
    let known = crate::diag::known_list(id, known);
    let (message, close_help, help) = match kind {
        Kind::Indicator => ("commentary_not_indicator", "commentary_indicator_close", "commentary_indicator_help"),
        Kind::Locality | Kind::City => {
            ("commentary_not_locality", "commentary_locality_close", "commentary_locality_help")
        }
    };
    let help = match close {
        Some(c) => Text::new(close_help, vec![("close", c.into()), ("known", known.into())]),
        None => Text::new(help, vec![("known", known.into())]),
    };
    Diagnostic::error(&file.rel, Text::new(message, vec![("id", id.into())])).help(help)
}

#[cfg(test)]
mod tests {
    use super::split_title;

    #[test]
    fn title_from_first_heading() {
        assert_eq!(split_title("\n# Về trang này\n\nNội dung"), Some(("Về trang này".into(), "\n\nNội dung".into())));
        assert_eq!(split_title("Nội dung\n# Không"), None);
        assert_eq!(split_title("## Hai\n"), None);
    }
}
