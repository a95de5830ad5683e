//! `tiendo serve`: build, serve the site on 127.0.0.1, rebuild when an input changes,
//! and reload the browser.
//!
//! A small loop (STYLE.md 11): the watcher's thread rebuilds the site into a private
//! folder (the published `public/` is not touched) and swaps it in atomically, or, when
//! only commentary changed, renders just the pages that show it (see [`Session`]);
//! the server answers one request at a time. Pages get a tiny script, added only as
//! they are served, that polls `/__tiendo/status`: it reloads the page after a good
//! build and shows the diagnostics over the page after a failed one, while the last
//! good build stays served.

use std::fs;
use std::io::Cursor;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::diag::Diagnostic;
use crate::{BuildOptions, Error, Session, Summary};

const RELOAD_JS: &str = include_str!("../templates/serve/reload.js");

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
}

/// What the loop tells the terminal about.
pub enum ServeEvent<'a> {
    Built(&'a Summary),
    Failed(&'a Error),
}

/// The last build, as the browser's script sees it.
#[derive(Default)]
struct Status {
    /// Successful builds so far: a page served at an older one reloads.
    generation: u64,
    /// Every build, failed or not (one edit must give one build).
    builds: u64,
    /// The diagnostics of the last build, if it failed.
    errors: Option<String>,
}

pub struct Server {
    http: tiny_http::Server,
    output: PathBuf,
    status: Arc<Mutex<Status>>,
    options: ServeOptions,
}

#[derive(Debug)]
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Binds the server (port 0 picks a free one). Nothing is built until [`Server::run`].
pub fn start(mut options: ServeOptions) -> Result<Server, ServeError> {
    if !options.root.join(crate::load::SITE_FILE).is_file() {
        return Err(ServeError(format!("{} has no site.yaml: give a site folder with --root", options.root.display())));
    }
    // The watcher reports absolute paths; they are compared with the root.
    options.root = options.root.canonicalize().map_err(|e| ServeError(format!("{}: {e}", options.root.display())))?;
    let http = tiny_http::Server::http(("127.0.0.1", options.port))
        .map_err(|e| ServeError(format!("cannot listen on 127.0.0.1:{}: {e}", options.port)))?;
    let parent = std::env::temp_dir();
    crate::output::remove_stale(&parent, "tiendo-serve-");
    let output = parent.join(format!("tiendo-serve-{}", std::process::id())).join("public");
    Ok(Server { http, output, status: Arc::new(Mutex::new(Status::default())), options })
}

impl Server {
    pub fn addr(&self) -> Option<SocketAddr> {
        self.http.server_addr().to_ip()
    }

    /// Builds, then serves and rebuilds on change until the process ends.
    pub fn run(self, on_event: impl Fn(ServeEvent) + Send + Sync + 'static) -> Result<(), ServeError> {
        let on_event = Arc::new(on_event);
        let session = Arc::new(Mutex::new(Session::new(BuildOptions {
            root: self.options.root.clone(),
            output: self.output.clone(),
            base_url: None,
        })));
        let rebuild = {
            let (status, on_event) = (self.status.clone(), on_event.clone());
            move |templates_changed: bool| {
                let mut session = session.lock().unwrap_or_else(PoisonError::into_inner);
                rebuild(&mut session, templates_changed, &status, on_event.as_ref());
            }
        };
        rebuild(true);
        let root = self.options.root.clone();
        let mut debouncer = new_debouncer(Duration::from_millis(150), None, move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            // Reads are not changes: watching them makes every build trigger the next.
            let changed: Vec<&PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| &e.event.paths)
                .filter(|p| is_input(&root, p))
                .collect();
            if !changed.is_empty() {
                rebuild(changed.iter().any(|p| p.starts_with(root.join("templates"))));
            }
        })
        .map_err(|e| ServeError(format!("cannot watch the site's files: {e}")))?;
        // The root itself only for site.yaml: its other entries (public/, .git) are not inputs.
        let root = &self.options.root;
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| ServeError(format!("cannot watch {}: {e}", root.display())))?;
        for dir in ["data", "content", "templates"] {
            let path = root.join(dir);
            if path.is_dir() {
                debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| ServeError(format!("cannot watch {}: {e}", path.display())))?;
            }
        }
        for request in self.http.incoming_requests() {
            let response = self.respond(request.url());
            // A browser that went away is not our problem.
            let _ = request.respond(response);
        }
        Ok(())
    }

    fn respond(&self, url: &str) -> tiny_http::Response<Cursor<Vec<u8>>> {
        let path = url.split(['?', '#']).next().unwrap_or("/");
        let status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        match path {
            "/__tiendo/status" => {
                let body = serde_json::json!({ "generation": status.generation, "builds": status.builds, "errors": status.errors });
                return reply(200, "application/json", body.to_string().into_bytes());
            }
            "/__tiendo/reload.js" => {
                return reply(200, "text/javascript; charset=utf-8", RELOAD_JS.as_bytes().to_vec());
            }
            _ => {}
        }
        let generation = status.generation;
        if generation == 0 {
            // No good build yet: the diagnostics are the page.
            let errors = status.errors.clone().unwrap_or_default();
            return reply(500, "text/html; charset=utf-8", error_page(&errors, generation));
        }
        drop(status);
        let Some(file) = resolve(&self.output, path) else {
            return self.not_found(generation);
        };
        match fs::read(&file) {
            Ok(bytes) => {
                let kind = content_type(&file);
                let body = if kind.starts_with("text/html") { with_reload(bytes, generation) } else { bytes };
                reply(200, kind, body)
            }
            Err(_) => self.not_found(generation),
        }
    }

    fn not_found(&self, generation: u64) -> tiny_http::Response<Cursor<Vec<u8>>> {
        let page = fs::read(self.output.join("404.html"))
            .unwrap_or_else(|_| b"<!DOCTYPE html><title>404</title><p>Not found</p>".to_vec());
        reply(404, "text/html; charset=utf-8", with_reload(page, generation))
    }
}

fn rebuild(
    session: &mut Session,
    templates_changed: bool,
    status: &Mutex<Status>,
    on_event: &(dyn Fn(ServeEvent) + Send + Sync),
) {
    let result = session.rebuild(templates_changed);
    let mut s = status.lock().unwrap_or_else(PoisonError::into_inner);
    s.builds += 1;
    match &result {
        Ok(summary) => {
            s.generation += 1;
            s.errors = None;
            drop(s);
            on_event(ServeEvent::Built(summary));
        }
        Err(e) => {
            s.errors = Some(match e {
                Error::Input(ds) => ds.iter().map(Diagnostic::to_string).collect::<Vec<_>>().join("\n\n"),
                other => other.to_string(),
            });
            drop(s);
            on_event(ServeEvent::Failed(e));
        }
    }
}

/// Whether a changed path is one of the site's inputs.
fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    match rel.components().next() {
        Some(Component::Normal(first)) => {
            let first = first.to_string_lossy();
            (first == "site.yaml" && rel.components().count() == 1)
                || ["data", "content", "templates"].contains(&first.as_ref())
        }
        _ => false,
    }
}

/// The file a URL path names inside `root`, or `None` if it would leave it: `..` in any
/// form (plain or percent-encoded), backslashes and NUL bytes are refused.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    if decoded.contains(['\0', '\\']) {
        return None;
    }
    let mut path = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains(':') => return None,
            s => path.push(s),
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    // Symbolic links in the output could still point outside it.
    let real = path.canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    (real.starts_with(&real_root) && real.is_file()).then_some(real)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn reply(code: u16, kind: &str, body: Vec<u8>) -> tiny_http::Response<Cursor<Vec<u8>>> {
    let mut response = tiny_http::Response::from_data(body).with_status_code(code);
    for (name, value) in [("Content-Type", kind), ("Cache-Control", "no-store")] {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    response
}

/// The page with the reload script before `</body>`; only pages served by `serve` get it.
fn with_reload(mut html: Vec<u8>, generation: u64) -> Vec<u8> {
    let tag = format!("<script src=\"/__tiendo/reload.js?g={generation}\"></script>\n");
    let at = html.windows(7).rposition(|w| w == b"</body>").unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn error_page(errors: &str, generation: u64) -> Vec<u8> {
    let page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>tiendo: errors</title></head><body>\n<h1>The site could not be built</h1>\n<pre>{}</pre>\n</body></html>\n",
        crate::text::escape_html(errors)
    );
    with_reload(page.into_bytes(), generation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_output() {
        let root = std::env::temp_dir().join(format!("tiendo-serve-test-{}", std::process::id()));
        fs::create_dir_all(root.join("public/localities/a")).unwrap();
        fs::write(root.join("public/index.html"), "home").unwrap();
        fs::write(root.join("public/localities/a/index.html"), "a").unwrap();
        fs::write(root.join("site.yaml"), "secret").unwrap();
        let out = root.join("public");
        assert!(resolve(&out, "/").is_some_and(|p| p.ends_with("index.html")));
        assert!(resolve(&out, "/localities/a/").is_some());
        assert!(resolve(&out, "/localities/a").is_some());
        for bad in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/%2E%2E%2Fsite.yaml",
            "/localities/../../site.yaml",
            "/..%5csite.yaml",
            "/%00",
            "/c:/x",
            "/%zz",
        ] {
            assert_eq!(resolve(&out, bad), None, "{bad}");
        }
        assert!(resolve(&out, "/missing.html").is_none());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let html = with_reload(b"<html><body><p>x</p></body></html>".to_vec(), 3);
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__tiendo/reload.js?g=3\"></script>\n</body></html>"
        );
    }

    #[test]
    fn only_inputs_trigger_rebuilds() {
        let root = Path::new("/srv/site");
        assert!(is_input(root, Path::new("/srv/site/site.yaml")));
        assert!(is_input(root, Path::new("/srv/site/content/localities/a.md")));
        assert!(is_input(root, Path::new("/srv/site/data/reports/2025-10.yaml")));
        assert!(!is_input(root, Path::new("/srv/site/public/index.html")));
        assert!(!is_input(root, Path::new("/srv/site/.public.tiendo-12")));
        assert!(!is_input(root, Path::new("/elsewhere/site.yaml")));
    }
}
