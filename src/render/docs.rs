//! Pages made from Markdown: bulletins, standalone pages, the methodology, the 404
//! page, and the Atom feed and sitemap.

use serde::Serialize;

use super::pages::PAGE;
use super::{Counts, RenderError, Renderer};
use crate::markdown;
use crate::model::Doc;

#[derive(Serialize)]
pub(super) struct UpdateItem {
    title: String,
    href: String,
    date: Option<String>,
    summary: Option<String>,
}

#[derive(Serialize)]
struct UpdatesContext {
    items: Vec<UpdateItem>,
}

#[derive(Serialize)]
struct DocContext {
    date: Option<String>,
    body: String,
}

#[derive(Serialize)]
struct MethodSection {
    heading: String,
    paragraphs: Vec<String>,
}

#[derive(Serialize)]
struct MethodologyContext {
    sections: Vec<MethodSection>,
    extra: Option<String>,
}

#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    updated: String,
    summary: Option<String>,
    /// The bulletin as HTML; the template escapes it, as Atom's `type="html"` wants.
    html: String,
}

#[derive(Serialize)]
struct Feed {
    base: String,
    updated: String,
    author: String,
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedContext {
    feed: Feed,
}

#[derive(Serialize)]
struct SitemapContext {
    urls: Vec<String>,
}

impl Renderer<'_> {
    pub(super) fn update_items(&self, limit: usize) -> Vec<UpdateItem> {
        self.site
            .content
            .updates
            .iter()
            .take(limit)
            .map(|d| UpdateItem {
                title: doc_title(d),
                href: format!("updates/{}/index.html", d.slug),
                date: d.date.map(|x| self.words.fmt.date(x)),
                summary: d.summary.clone(),
            })
            .collect()
    }

    pub(super) fn updates(&self) -> Result<Counts, RenderError> {
        let title = self.s("title_updates");
        let path = "updates/index.html";
        let ctx = UpdatesContext { items: self.update_items(usize::MAX) };
        self.write_page(path, "updates.html", self.meta(title.clone(), title, "updates", path), &ctx)?;
        Ok(PAGE)
    }

    pub(super) fn update(&self, k: usize) -> Result<Counts, RenderError> {
        let d = &self.site.content.updates[k];
        let path = format!("updates/{}/index.html", d.slug);
        let ctx =
            DocContext { date: d.date.map(|x| self.words.fmt.date(x)), body: markdown::render(&d.markdown, 1, "") };
        let description = d.summary.clone().unwrap_or_else(|| doc_title(d));
        self.write_page(&path, "update.html", self.meta(doc_title(d), description, "updates", &path), &ctx)?;
        Ok(PAGE)
    }

    pub(super) fn page(&self, k: usize) -> Result<Counts, RenderError> {
        let d = &self.site.content.pages[k];
        let path = format!("{}/index.html", d.slug);
        let ctx = DocContext { date: None, body: markdown::render(&d.markdown, 1, "") };
        let description = d.summary.clone().unwrap_or_else(|| doc_title(d));
        self.write_page(&path, "page.html", self.meta(doc_title(d), description, "", &path), &ctx)?;
        Ok(PAGE)
    }

    pub(super) fn methodology(&self) -> Result<Counts, RenderError> {
        let s = self.words.s;
        let at_risk = self.words.fmt.percent(self.site.config.at_risk * 100.0);
        let section = |heading: &str, keys: &[&str]| MethodSection {
            heading: s.get(heading).to_owned(),
            paragraphs: keys.iter().map(|k| s.fill(k, &[("at_risk", &at_risk)])).collect(),
        };
        let sections = vec![
            section("method_progress_h", &["method_progress_count", "method_progress_coverage", "method_remaining"]),
            section("method_pace_h", &["method_pace", "method_projection", "method_expected"]),
            section(
                "method_status_h",
                &[
                    "method_status_achieved",
                    "method_status_on_track",
                    "method_status_at_risk",
                    "method_status_behind",
                    "method_status_no_trend",
                ],
            ),
            section("method_totals_h", &["method_totals", "method_gaps"]),
            section("method_formats_h", &["method_formats", "method_data"]),
        ];
        let ctx = MethodologyContext {
            sections,
            extra: self.site.content.methodology.as_ref().map(|d| markdown::render(&d.markdown, 1, "m-")),
        };
        let title = self.s("title_methodology");
        let path = "methodology/index.html";
        self.write_page(path, "methodology.html", self.meta(title.clone(), title, "methodology", path), &ctx)?;
        Ok(PAGE)
    }

    pub(super) fn not_found(&self) -> Result<Counts, RenderError> {
        let title = self.s("title_not_found");
        self.write_page("404.html", "404.html", self.meta(title.clone(), title, "", "404.html"), &Empty {})?;
        Ok(PAGE)
    }
}

impl Renderer<'_> {
    /// sitemap.xml of every page, and the Atom feed of the bulletins.
    pub(super) fn syndication(&self) -> Result<Counts, RenderError> {
        let Some(base) = self.base_url else { return Ok(Counts::default()) };
        let urls = self.page_paths().iter().filter_map(|p| self.canonical(p)).collect();
        self.write_file("sitemap.xml", "sitemap.xml", &SitemapContext { urls })?;
        let site = self.site;
        let stamp = |d: crate::date::Date| format!("{d}T00:00:00Z");
        let entries: Vec<FeedEntry> = site
            .content
            .updates
            .iter()
            .map(|d| FeedEntry {
                title: doc_title(d),
                url: format!("{base}/updates/{}/", d.slug),
                updated: d.date.map(stamp).unwrap_or_default(),
                summary: d.summary.clone(),
                html: markdown::render(&d.markdown, 1, ""),
            })
            .collect();
        // The newest of the bulletins and the reports: the feed changes only when the data does.
        let newest =
            site.content.updates.iter().filter_map(|d| d.date).chain(self.latest_report().map(|r| r.as_of)).max();
        let feed = Feed {
            base: base.to_owned(),
            updated: newest.map(stamp).unwrap_or_default(),
            author: site.config.publisher.clone().unwrap_or_else(|| site.config.title.clone()),
            entries,
        };
        self.write_file("feed.xml", "feed.xml", &FeedContext { feed })?;
        Ok(Counts::default())
    }
}

fn doc_title(d: &Doc) -> String {
    d.title.clone().unwrap_or_else(|| d.slug.clone())
}
