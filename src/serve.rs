//! `tiendo serve`: build, serve the site on 127.0.0.1, rebuild when an input changes,
//! and reload the browser.
//!
//! A small loop (STYLE.md 11): a watcher thread rebuilds the site into a private folder
//! (the published `public/` is not touched) and swaps it in atomically, or, when only
//! commentary changed, renders just the pages that show it (see [`Session`]). Pages get
//! a tiny script, added only as they are served, that polls `/__tiendo/status`: it
//! reloads the page after a good build and shows the diagnostics over the page after a
//! failed one, while the last good build stays served.
//!
//! The preview is for the person at this computer only. It is built in a folder created
//! new for it, that only its owner can open, and removed when `serve` stops (Ctrl-C, a
//! closed terminal). The server listens on loopback, answers only requests addressed to
//! `127.0.0.1:<port>` or `localhost:<port>` (a web page elsewhere cannot read it through
//! a name that resolves to 127.0.0.1), and gives each connection its own thread with time
//! limits and a bounded request, so no client can hold it up for the others.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::diag::Diagnostic;
use crate::{BuildOptions, Error, Session, Summary};

const RELOAD_JS: &str = include_str!("../templates/serve/reload.js");

/// The folders of a site whose files are inputs (with `site.yaml` at its root).
const INPUT_DIRS: [&str; 3] = ["data", "content", "templates"];

/// At most this many connections are served at once; more are closed at once.
const MAX_CONNECTIONS: usize = 32;
/// The request line and headers may not be longer than this.
const MAX_HEAD: usize = 16 * 1024;
/// A client that sends or reads nothing for this long is dropped.
const TIMEOUT: Duration = Duration::from_secs(10);

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

/// The private folder a preview is built in: created new (never one that already
/// exists), open to its owner only, and removed with everything in it when dropped.
struct Preview {
    dir: PathBuf,
}

impl Preview {
    fn create() -> io::Result<Preview> {
        use std::hash::{BuildHasher, Hasher};
        let parent = std::env::temp_dir();
        for attempt in 0u32..100 {
            // Each RandomState is seeded from the system's randomness: a name no one can guess.
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u32(std::process::id());
            h.write_u32(attempt);
            let dir = parent.join(format!("tiendo-serve-{:016x}", h.finish()));
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            match builder.create(&dir) {
                Ok(()) => return Ok(Preview { dir }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("no free name for a preview folder"))
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = crate::output::remove_tree(&self.dir);
    }
}

pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    preview: Preview,
    options: ServeOptions,
}

/// Binds the server (port 0 picks a free one) and creates the preview folder. Nothing is
/// built until [`Server::run`].
pub fn start(mut options: ServeOptions) -> Result<Server, Error> {
    if !options.root.join(crate::load::SITE_FILE).is_file() {
        return Err(Error::Usage(format!(
            "{} has no site.yaml: give a site folder with --root",
            options.root.display()
        )));
    }
    // The watcher reports absolute paths; they are compared with the root.
    options.root = options.root.canonicalize().map_err(|e| Error::Usage(format!("{}: {e}", options.root.display())))?;
    let listener = TcpListener::bind(("127.0.0.1", options.port))
        .map_err(|e| Error::Usage(format!("cannot listen on 127.0.0.1:{}: {e}", options.port)))?;
    let addr = listener.local_addr().map_err(|e| Error::Usage(format!("cannot listen on 127.0.0.1: {e}")))?;
    let preview = Preview::create().map_err(|e| {
        Error::Usage(format!(
            "cannot create a private folder for the preview in {}: {e}",
            std::env::temp_dir().display()
        ))
    })?;
    Ok(Server { listener, addr, preview, options })
}

/// What every connection's thread reads.
struct Shared {
    output: PathBuf,
    port: u16,
    status: Mutex<Status>,
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Builds, then serves and rebuilds on change until the process is asked to stop
    /// (Ctrl-C, or the terminal closes); then removes the preview folder.
    pub fn run(self, on_event: impl Fn(ServeEvent) + Send + Sync + 'static) -> Result<(), Error> {
        let Server { listener, addr, preview, options } = self;
        let shared = Arc::new(Shared {
            output: preview.dir.join("public"),
            port: addr.port(),
            status: Mutex::new(Status::default()),
        });
        let session = Arc::new(Mutex::new(Session::new(BuildOptions {
            root: options.root.clone(),
            output: shared.output.clone(),
            base_url: None,
        })));
        let on_event: Arc<dyn Fn(ServeEvent) + Send + Sync> = Arc::new(on_event);
        rebuild(&session, true, &shared, on_event.as_ref());
        let stop = Arc::new(AtomicBool::new(false));
        let watcher = watch(&options.root, session.clone(), shared.clone(), on_event, stop.clone())?;
        stop_on_signals(stop.clone(), addr)?;

        let active = Arc::new(AtomicUsize::new(0));
        for stream in listener.incoming() {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                continue; // dropped: closed at once
            }
            active.fetch_add(1, Ordering::SeqCst);
            let (shared, active) = (shared.clone(), active.clone());
            std::thread::spawn(move || {
                connection(stream, &shared);
                active.fetch_sub(1, Ordering::SeqCst);
            });
        }
        stop.store(true, Ordering::SeqCst);
        let _ = watcher.join();
        // A rebuild under way finishes before its folder goes.
        let _session = session.lock().unwrap_or_else(PoisonError::into_inner);
        drop(preview);
        Ok(())
    }
}

/// Stops the accept loop on SIGINT, SIGTERM or SIGHUP: sets `stop`, then wakes the loop
/// with a connection of its own.
#[cfg(unix)]
fn stop_on_signals(stop: Arc<AtomicBool>, addr: SocketAddr) -> Result<(), Error> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|e| Error::Usage(format!("cannot handle Ctrl-C: {e}")))?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            stop.store(true, Ordering::SeqCst);
            let _ = TcpStream::connect(addr);
        }
    });
    Ok(())
}

#[cfg(not(unix))]
fn stop_on_signals(_stop: Arc<AtomicBool>, _addr: SocketAddr) -> Result<(), Error> {
    Ok(())
}

/// Watches the site's inputs on a thread of its own until `stop`, rebuilding after each
/// change. Input folders created after `serve` started are watched from then on.
fn watch(
    root: &Path,
    session: Arc<Mutex<Session>>,
    shared: Arc<Shared>,
    on_event: Arc<dyn Fn(ServeEvent) + Send + Sync>,
    stop: Arc<AtomicBool>,
) -> Result<std::thread::JoinHandle<()>, Error> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(150), None, tx)
        .map_err(|e| Error::Usage(format!("cannot watch the site's files: {e}")))?;
    // The root itself only for site.yaml and the input folders appearing: its other
    // entries (public/, .git, target/) are not inputs.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
    let mut watched: Vec<PathBuf> = Vec::new();
    watch_input_dirs(&mut debouncer, root, &mut watched);
    let root = root.to_owned();
    Ok(std::thread::spawn(move || {
        while !stop.load(Ordering::SeqCst) {
            let Ok(result) = rx.recv_timeout(Duration::from_millis(200)) else { continue };
            let Ok(events) = result else { continue };
            watch_input_dirs(&mut debouncer, &root, &mut watched);
            // Reads are not changes: watching them makes every build trigger the next.
            let changed: Vec<&PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| &e.event.paths)
                .filter(|p| is_input(&root, p))
                .collect();
            if !changed.is_empty() {
                let templates = changed.iter().any(|p| p.starts_with(root.join("templates")));
                rebuild(&session, templates, &shared, on_event.as_ref());
            }
        }
    }))
}

/// Adds a recursive watch on each input folder that exists and is not watched yet; forgets
/// those that are gone, so that they are watched again when they come back.
fn watch_input_dirs<W: notify_debouncer_full::notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    root: &Path,
    watched: &mut Vec<PathBuf>,
) {
    watched.retain(|p| p.is_dir());
    for dir in INPUT_DIRS {
        let path = root.join(dir);
        if path.is_dir() && !watched.contains(&path) && debouncer.watch(&path, RecursiveMode::Recursive).is_ok() {
            watched.push(path);
        }
    }
}

fn rebuild(
    session: &Mutex<Session>,
    templates_changed: bool,
    shared: &Shared,
    on_event: &(dyn Fn(ServeEvent) + Send + Sync),
) {
    let mut session = session.lock().unwrap_or_else(PoisonError::into_inner);
    let result = session.rebuild(templates_changed);
    let mut s = shared.status.lock().unwrap_or_else(PoisonError::into_inner);
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
            (first == "site.yaml" && rel.components().count() == 1) || INPUT_DIRS.contains(&first.as_ref())
        }
        _ => false,
    }
}

/// One reply: status code, content type and body.
struct Reply {
    code: u16,
    kind: &'static str,
    body: Vec<u8>,
}

fn reply(code: u16, kind: &'static str, body: impl Into<Vec<u8>>) -> Reply {
    Reply { code, kind, body: body.into() }
}

/// Reads one request from `stream` and answers it; the connection is then closed.
fn connection(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(TIMEOUT));
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    let (response, head_only) = match read_head(&mut stream) {
        Ok(head) => match request(&head, shared) {
            Ok((method, target)) => (answer(target, shared), method == "HEAD"),
            Err(reply) => (reply, false),
        },
        Err(HeadError::TooLong) => (reply(431, "text/plain; charset=utf-8", "request header too large\n"), false),
        // Timed out, or went away: nothing to answer.
        Err(HeadError::Closed) => return,
    };
    let _ = send(&mut stream, &response, head_only);
    if response.code == 431 {
        // Closing with the rest of the request unread would reset the connection and lose
        // the answer: read a bounded amount of it first.
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let _ = io::copy(&mut (&mut stream).take(1 << 20), &mut io::sink());
    }
}

enum HeadError {
    TooLong,
    Closed,
}

/// The request line and headers, up to the blank line that ends them, at most [`MAX_HEAD`] bytes.
fn read_head(stream: &mut impl Read) -> Result<String, HeadError> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).map_err(|_| HeadError::Closed)?;
        if n == 0 {
            return Err(HeadError::Closed);
        }
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(end);
            return Ok(String::from_utf8_lossy(&head).into_owned());
        }
        if head.len() > MAX_HEAD {
            return Err(HeadError::TooLong);
        }
    }
}

/// The method and target of a request the preview answers: GET or HEAD, for a path, sent
/// to this server by its own name. Anything else gets its refusal.
fn request<'h>(head: &'h str, shared: &Shared) -> Result<(&'h str, &'h str), Reply> {
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (method, target, version) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next());
    if !version.is_some_and(|v| v.starts_with("HTTP/1.")) || !target.starts_with('/') {
        return Err(reply(400, "text/plain; charset=utf-8", "bad request\n"));
    }
    let host = lines.find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim().eq_ignore_ascii_case("host").then(|| value.trim())
    });
    if !host.is_some_and(|h| allowed_host(h, shared.port)) {
        return Err(reply(
            403,
            "text/plain; charset=utf-8",
            format!(
                "this preview answers only http://127.0.0.1:{}/ and http://localhost:{}/\n",
                shared.port, shared.port
            ),
        ));
    }
    if method != "GET" && method != "HEAD" {
        return Err(reply(405, "text/plain; charset=utf-8", "only GET and HEAD\n"));
    }
    Ok((method, target))
}

/// Whether `host` (a `Host` header) names this server: `127.0.0.1` or `localhost`, with
/// its port (which browsers leave out only for port 80).
fn allowed_host(host: &str, port: u16) -> bool {
    let (name, host_port) = match host.rsplit_once(':') {
        Some((name, p)) => (name, p.parse::<u16>().ok()),
        None => (host, Some(80)),
    };
    host_port == Some(port) && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
}

fn send(stream: &mut TcpStream, reply: &Reply, head_only: bool) -> io::Result<()> {
    let reason = match reply.code {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Internal Server Error",
    };
    let head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        reply.code,
        reply.kind,
        reply.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

/// The reply to a GET of `target`.
fn answer(target: &str, shared: &Shared) -> Reply {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let status = shared.status.lock().unwrap_or_else(PoisonError::into_inner);
    match path {
        "/__tiendo/status" => {
            let body = serde_json::json!({ "generation": status.generation, "builds": status.builds, "errors": status.errors });
            return reply(200, "application/json", body.to_string());
        }
        "/__tiendo/reload.js" => return reply(200, "text/javascript; charset=utf-8", RELOAD_JS),
        _ => {}
    }
    let generation = status.generation;
    if generation == 0 {
        // No good build yet: the diagnostics are the page.
        let errors = status.errors.clone().unwrap_or_default();
        return reply(500, "text/html; charset=utf-8", error_page(&errors, generation));
    }
    drop(status);
    let Some(file) = resolve(&shared.output, path) else {
        return not_found(&shared.output, generation);
    };
    match std::fs::read(&file) {
        Ok(bytes) => {
            let kind = content_type(&file);
            let body = if kind.starts_with("text/html") { with_reload(bytes, generation) } else { bytes };
            reply(200, kind, body)
        }
        Err(_) => not_found(&shared.output, generation),
    }
}

fn not_found(output: &Path, generation: u64) -> Reply {
    let page = std::fs::read(output.join("404.html"))
        .unwrap_or_else(|_| b"<!DOCTYPE html><title>404</title><p>Not found</p>".to_vec());
    reply(404, "text/html; charset=utf-8", with_reload(page, generation))
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
        std::fs::create_dir_all(root.join("public/localities/a")).unwrap();
        std::fs::write(root.join("public/index.html"), "home").unwrap();
        std::fs::write(root.join("public/localities/a/index.html"), "a").unwrap();
        std::fs::write(root.join("site.yaml"), "secret").unwrap();
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
        std::fs::remove_dir_all(&root).unwrap();
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
        assert!(is_input(root, Path::new("/srv/site/templates")));
        assert!(!is_input(root, Path::new("/srv/site/public/index.html")));
        assert!(!is_input(root, Path::new("/srv/site/.public.tiendo-12")));
        assert!(!is_input(root, Path::new("/elsewhere/site.yaml")));
    }

    #[test]
    fn only_this_servers_own_names_are_answered() {
        for host in ["127.0.0.1:8000", "localhost:8000", "LocalHost:8000"] {
            assert!(allowed_host(host, 8000), "{host}");
        }
        for host in
            ["127.0.0.1", "127.0.0.1:8001", "evil.example:8000", "127.0.0.1.evil.example:8000", "", "[::1]:8000"]
        {
            assert!(!allowed_host(host, 8000), "{host}");
        }
        assert!(allowed_host("localhost", 80));
    }

    #[test]
    fn a_request_head_is_bounded() {
        let mut endless = io::repeat(b'a');
        assert!(matches!(read_head(&mut endless), Err(HeadError::TooLong)));
        let mut short = &b"GET / HTTP/1.1\r\nHost: localhost:1\r\n\r\nrest"[..];
        assert_eq!(read_head(&mut short).ok().as_deref(), Some("GET / HTTP/1.1\r\nHost: localhost:1"));
    }
}
