//! Pages made from Markdown: bulletins, standalone pages, the methodology, the 404
//! page, and the Atom feed and sitemap.

use serde::Serialize;

use super::views::JoinView;
use super::{Counts, PAGE, Page, RenderError, Renderer};
use crate::markdown;
use crate::model::Doc;
use crate::pages::{FEED, SITEMAP};

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
    /// Each year's figures, newest first.
    downloads: Vec<Download>,
    extra: Option<String>,
}

#[derive(Serialize)]
struct Download {
    label: String,
    path: String,
}

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
struct NotFoundContext {
    inline_style: String,
}

#[derive(Serialize)]
struct SitemapContext {
    urls: Vec<String>,
}

impl Renderer<'_> {
    /// How to take part, from `content/tham-gia.md`, under its own heading (the file's
    /// `title`, or the theme's): its headings come below that one.
    pub(super) fn join(&self) -> Option<JoinView> {
        let doc = self.site.content.join.as_ref()?;
        Some(JoinView {
            title: doc.title.clone().unwrap_or_else(|| self.s("join_title")),
            html: markdown::render(&doc.markdown, 3, "join-"),
        })
    }

    /// The first `limit` bulletins, newest first, for a list.
    pub(super) fn update_items(&self, limit: usize) -> Vec<UpdateItem> {
        self.site
            .content
            .updates
            .iter()
            .enumerate()
            .take(limit)
            .map(|(k, d)| UpdateItem {
                title: doc_title(d),
                href: self.href(Page::Update(k)),
                date: d.date.map(|x| self.words.fmt.date(x)),
                summary: d.summary.clone(),
            })
            .collect()
    }

    pub(super) fn updates(&self) -> Result<Counts, RenderError> {
        let title = self.s("title_updates");
        let ctx = UpdatesContext { items: self.update_items(usize::MAX) };
        self.write_page(Page::Updates, title.clone(), title, None, None, &ctx)?;
        Ok(PAGE)
    }

    pub(super) fn update(&self, k: usize) -> Result<Counts, RenderError> {
        let site = self.site;
        let d = &site.content.updates[k];
        // The first mention of each ward or commune links to its page.
        let root = super::root_of(&Page::Update(k).path(site));
        let body = markdown::render_linked(&d.markdown, 2, "", Some((self.places, &root)));
        let ctx = DocContext { date: d.date.map(|x| self.words.fmt.date(x)), body };
        let description = d.summary.clone().unwrap_or_else(|| doc_title(d));
        self.write_page(Page::Update(k), doc_title(d), description, None, None, &ctx)?;
        Ok(PAGE)
    }

    pub(super) fn standalone(&self, k: usize) -> Result<Counts, RenderError> {
        let d = &self.site.content.pages[k];
        let ctx = DocContext { date: None, body: markdown::render(&d.markdown, 2, "") };
        let description = d.summary.clone().unwrap_or_else(|| doc_title(d));
        self.write_page(Page::Standalone(k), doc_title(d), description, None, None, &ctx)?;
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
                    "method_status_missed",
                ],
            ),
            section("method_totals_h", &["method_totals", "method_gaps"]),
            section("method_pending_h", &["method_pending", "method_years"]),
            section("method_formats_h", &["method_formats", "method_data"]),
        ];
        let downloads = self
            .figure_files()
            .into_iter()
            .rev()
            .map(|(year, path)| Download { label: s.fill("download_year_csv", &[("year", &year.to_string())]), path })
            .collect();
        let ctx = MethodologyContext {
            sections,
            downloads,
            extra: self.site.content.methodology.as_ref().map(|d| markdown::render(&d.markdown, 2, "m-")),
        };
        let title = self.s("title_methodology");
        self.write_page(Page::Methodology, title.clone(), title, None, None, &ctx)?;
        Ok(PAGE)
    }

    /// 404.html: a host serves it for a missing page at any depth, where no relative
    /// address would reach the stylesheet, so the style is inside the page.
    pub(super) fn not_found(&self) -> Result<Counts, RenderError> {
        let title = self.s("title_not_found");
        let style = self
            .theme
            .assets
            .iter()
            .find(|(name, _)| name == "style.css")
            .map(|(_, css)| String::from_utf8_lossy(css).replace("</", "<\\/"))
            .unwrap_or_default();
        self.write_page(Page::NotFound, title.clone(), title, None, None, &NotFoundContext { inline_style: style })?;
        Ok(PAGE)
    }

    /// sitemap.xml of every page, and the Atom feed of the bulletins.
    pub(super) fn syndication(&self) -> Result<Counts, RenderError> {
        let site = self.site;
        let Some(base) = site.config.base_url.as_deref() else { return Ok(Counts::default()) };
        let mut urls: Vec<String> =
            Page::all(site).into_iter().filter(|&p| p != Page::NotFound).filter_map(|p| self.canonical(p)).collect();
        urls.extend(
            crate::archive::pages(site, self.computed)
                .into_iter()
                .filter_map(|(k, p)| super::absolute(site, &p.archived_path(site, self.computed.years[k].year))),
        );
        self.write_file(SITEMAP, "sitemap.xml", &SitemapContext { urls })?;
        let stamp = |d: crate::date::Date| format!("{d}T00:00:00Z");
        let entries: Vec<FeedEntry> = (0..site.content.updates.len())
            .map(|k| {
                let d = &site.content.updates[k];
                FeedEntry {
                    title: doc_title(d),
                    url: self.canonical(Page::Update(k)).unwrap_or_default(),
                    updated: d.date.map(stamp).unwrap_or_default(),
                    summary: d.summary.clone(),
                    html: markdown::render(&d.markdown, 2, ""),
                }
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
        self.write_file(FEED, "feed.xml", &FeedContext { feed })?;
        Ok(Counts::default())
    }
}

pub(super) fn doc_title(d: &Doc) -> String {
    d.title.clone().unwrap_or_else(|| d.slug.clone())
}
