//! The preview's own small HTTP server: one request per connection, GET and HEAD only,
//! answered only when addressed to this server's own names, with a bounded request head
//! that must arrive whole within [`HEAD_DEADLINE`]; files are served from the preview
//! folder, never from outside it, and sent as they are read.
//!
//! Why a server of its own, and not a crate: `serve` first used `tiny_http`, which gave
//! no way to put a time limit on a connection nor a limit on the size of a request's
//! head, so one stalled browser tab (or a program that opens a connection and sends
//! nothing) held a worker for ever, and it answered whatever `Host` a request named,
//! which lets a page on another site read the preview through a name that resolves to
//! 127.0.0.1 (DNS rebinding). The frameworks that have such limits run on an async
//! runtime (axum on tokio adds some thirty packages to the build) for a server that
//! answers one person's browser. What the preview needs (GET of files, a status poll,
//! loopback only) is the few hundred lines here, each connection on its own thread with
//! read and write time limits.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use super::{MAX_HEAD, Shared, TIMEOUT, desk, form};

/// A request's line and headers arrive whole within this long, however they trickle in.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// A form's body (a workbook, up to the import's cap) arrives within this long.
const BODY_DEADLINE: Duration = Duration::from_secs(60);
/// An answer (the largest is the site's zip) is sent within this long.
const SEND_DEADLINE: Duration = Duration::from_secs(300);

const RELOAD_JS: &str = include_str!("../../templates/serve/reload.js");

/// One reply: status code, content type and body, or a file sent as it is read.
pub(super) struct Reply {
    pub code: u16,
    pub kind: &'static str,
    pub body: Vec<u8>,
    /// A file to send instead of `body`, as it is read.
    pub file: Option<std::fs::File>,
    /// The name a download is saved under.
    pub disposition: Option<&'static str>,
}

pub(super) fn reply(code: u16, kind: &'static str, body: impl Into<Vec<u8>>) -> Reply {
    Reply { code, kind, body: body.into(), file: None, disposition: None }
}

/// Reads one request from `stream` and answers it; the connection is then closed.
pub(super) fn connection(stream: TcpStream, shared: &Shared) {
    let (response, head_only) = match read_head(&mut Timed::for_(&stream, HEAD_DEADLINE)) {
        Ok((head, rest)) => match request(&head, shared) {
            Ok(("POST", target)) => {
                (post(&mut Timed::for_(&stream, BODY_DEADLINE), &head, rest, target, shared), false)
            }
            Ok((method, target)) => (answer(target, shared), method == "HEAD"),
            Err(reply) => (reply, false),
        },
        Err(HeadError::TooLong) => (reply(431, "text/plain; charset=utf-8", "request header too large\n"), false),
        // Too slow, or went away: nothing to answer.
        Err(HeadError::Closed) => return,
    };
    finish(stream, response, head_only);
}

/// The answer when the preview already serves as many connections as it takes: a 503 that
/// says when to try again, not a connection closed without a word.
pub(super) fn busy(stream: TcpStream) {
    // The request read first (briefly): closing on it unread would reset the connection.
    let _ = read_head(&mut Timed::for_(&stream, Duration::from_secs(1)));
    finish(stream, reply(503, "text/plain; charset=utf-8", "too many connections at once: try again\n"), false);
}

/// Sends `response`, then closes the connection.
fn finish(stream: TcpStream, response: Reply, head_only: bool) {
    let code = response.code;
    let _ = send(&mut Timed::for_(&stream, SEND_DEADLINE), response, head_only);
    if matches!(code, 431 | 413 | 403 | 503) {
        // Closing with the rest of the request unread would reset the connection and lose
        // the answer: read a bounded amount of it first.
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let _ = io::copy(&mut Timed::for_(&stream, Duration::from_secs(1)).take(1 << 20), &mut io::sink());
    }
}

/// A connection whose reads and writes all end by one moment: each waits until then at
/// most (and at most [`TIMEOUT`] for one), so a client that sends or reads a byte at a
/// time holds its connection no longer than one that sends nothing.
struct Timed<'s> {
    stream: &'s TcpStream,
    end: Instant,
}

impl<'s> Timed<'s> {
    fn for_(stream: &'s TcpStream, limit: Duration) -> Timed<'s> {
        Timed { stream, end: Instant::now() + limit }
    }

    /// The time left, for the next read or write; an error once it is up.
    fn left(&self) -> io::Result<Option<Duration>> {
        let left = self.end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        Ok(Some(left.min(TIMEOUT)))
    }
}

impl Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(self.left()?)?;
        (&mut &*self.stream).read(buf)
    }
}

impl Write for Timed<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.set_write_timeout(self.left()?)?;
        (&mut &*self.stream).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&mut &*self.stream).flush()
    }
}

enum HeadError {
    TooLong,
    Closed,
}

/// A header's value.
fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.split("\r\n").skip(1).find_map(|l| {
        let (n, value) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// A POST to the monthly update: its body read (bounded), then answered if it may write.
fn post(stream: &mut impl Read, head: &str, rest: Vec<u8>, target: &str, shared: &Shared) -> Reply {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let forbidden = || reply(403, "text/plain; charset=utf-8", "forbidden\n");
    // The origin first: a page elsewhere gets nothing read, nothing stored.
    if !path.starts_with(desk::PREFIX) {
        return reply(405, "text/plain; charset=utf-8", "only GET and HEAD here\n");
    }
    if !header(head, "origin").is_some_and(|o| form::own_origin(o, shared.port)) {
        return forbidden();
    }
    let Some(length) = header(head, "content-length").and_then(|v| v.parse::<u64>().ok()) else {
        return reply(411, "text/plain; charset=utf-8", "length required\n");
    };
    if length > desk::MAX_BODY {
        let words = crate::messages_for(&shared.root, shared.lang.as_deref());
        let max = crate::import::MAX_SHEET_BYTES / 1_000_000;
        let text = words.render(&crate::t!("desk_upload_too_large", size = length / 1_000_000, max));
        return reply(413, "text/plain; charset=utf-8", format!("{text}\n"));
    }
    let mut body = rest;
    body.truncate(length as usize);
    let missing = length - body.len() as u64;
    if stream.take(missing).read_to_end(&mut body).is_err() || body.len() as u64 != length {
        return reply(400, "text/plain; charset=utf-8", "incomplete request\n");
    }
    let Some(fields) = form::multipart(header(head, "content-type").unwrap_or(""), &body) else {
        return reply(400, "text/plain; charset=utf-8", "bad form\n");
    };
    if !form::allowed(header(head, "origin"), &fields, shared) {
        return forbidden();
    }
    desk::post(path, &fields, shared)
}

/// The request line and headers, up to the blank line that ends them, at most
/// [`MAX_HEAD`] bytes, and what was read after them (the start of a body).
fn read_head(stream: &mut impl Read) -> Result<(String, Vec<u8>), HeadError> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).map_err(|_| HeadError::Closed)?;
        if n == 0 {
            return Err(HeadError::Closed);
        }
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = head.split_off(end + 4);
            head.truncate(end);
            return Ok((String::from_utf8_lossy(&head).into_owned(), rest));
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
    if method != "GET" && method != "HEAD" && method != "POST" {
        return Err(reply(405, "text/plain; charset=utf-8", "only GET, HEAD and POST\n"));
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

fn send(stream: &mut impl Write, reply: Reply, head_only: bool) -> io::Result<()> {
    let reason = match reply.code {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let mut file = reply.file;
    let length = match &file {
        Some(f) => f.metadata()?.len(),
        None => reply.body.len() as u64,
    };
    let disposition = reply
        .disposition
        .map(|name| format!("Content-Disposition: attachment; filename=\"{name}\"\r\n"))
        .unwrap_or_default();
    let retry = if reply.code == 503 { "Retry-After: 1\r\n" } else { "" };
    let head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {length}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\n{disposition}{retry}Connection: close\r\n\r\n",
        reply.code, reply.kind,
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        match &mut file {
            Some(f) => {
                io::copy(f, stream)?;
            }
            None => stream.write_all(&reply.body)?,
        }
    }
    stream.flush()
}

/// The reply to a GET of `target`.
fn answer(target: &str, shared: &Shared) -> Reply {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let status = shared.status.lock().unwrap_or_else(PoisonError::into_inner);
    match path {
        "/__tiendo/status" => {
            let body = serde_json::json!({
                "generation": status.generation,
                "builds": status.builds,
                "errors": status.errors,
                "title": status.title,
            });
            return reply(200, "application/json", body.to_string());
        }
        "/__tiendo/reload.js" => return reply(200, "text/javascript; charset=utf-8", RELOAD_JS),
        p if p.starts_with(desk::PREFIX) || p == desk::PREFIX.trim_end_matches('/') => {
            drop(status);
            return desk::get(path, shared);
        }
        _ => {}
    }
    let generation = status.generation;
    if generation == 0 {
        // No good build yet: the diagnostics are the page.
        let errors = status.errors.clone().unwrap_or_default();
        let title = status.title.clone();
        drop(status);
        return reply(500, "text/html; charset=utf-8", error_page(&title, &errors, generation, &desk_link(shared)));
    }
    drop(status);
    let Some(path) = resolve(&shared.output, path) else {
        return not_found(shared, generation);
    };
    let kind = content_type(&path);
    // Pages get the reload script; every other file is sent as it is read, so that slow
    // readers of a large file hold a few kilobytes each, not the file.
    if kind.starts_with("text/html") {
        return match std::fs::read(&path) {
            Ok(bytes) => reply(200, kind, with_reload(bytes, generation, &desk_link(shared))),
            Err(_) => not_found(shared, generation),
        };
    }
    match std::fs::File::open(&path) {
        Ok(file) => Reply { file: Some(file), ..reply(200, kind, Vec::new()) },
        Err(_) => not_found(shared, generation),
    }
}

fn not_found(shared: &Shared, generation: u64) -> Reply {
    let page = std::fs::read(shared.output.join("404.html"))
        .unwrap_or_else(|_| b"<!DOCTYPE html><title>404</title><p>Not found</p>".to_vec());
    reply(404, "text/html; charset=utf-8", with_reload(page, generation, &desk_link(shared)))
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

/// The page with the reload script before `</body>`, and a link to the monthly update at
/// the top of the body; only pages served by `serve` get them.
fn with_reload(mut html: Vec<u8>, generation: u64, desk_link: &str) -> Vec<u8> {
    let tag = format!("<script src=\"/__tiendo/reload.js?g={generation}\"></script>\n");
    let at = html.windows(7).rposition(|w| w == b"</body>").unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    if let Some(body) = html.windows(5).position(|w| w == b"<body")
        && let Some(end) = html[body..].iter().position(|&b| b == b'>')
    {
        let at = body + end + 1;
        html.splice(at..at, desk_link.bytes());
    }
    html
}

/// The bar above every previewed page that leads to the monthly update.
fn desk_link(shared: &Shared) -> String {
    let words = crate::messages_for(&shared.root, shared.lang.as_deref());
    let text = crate::text::escape_html(&words.render(&crate::t!("desk_link")));
    format!(
        "<div style=\"background:#1a1a1a;color:#fff;padding:.4rem 1rem;font:600 15px/1.4 system-ui,sans-serif\">\
         <a href=\"{}\" style=\"color:#fff\">{text}</a></div>",
        desk::PREFIX
    )
}

fn error_page(title: &str, errors: &str, generation: u64, desk_link: &str) -> Vec<u8> {
    let title = crate::text::escape_html(title);
    let page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>tiendo</title></head><body>\n<h1 style=\"font:bold 1.2rem/1.3 system-ui,sans-serif\">{title}</h1>\n<pre style=\"white-space:pre-wrap;font:14px/1.45 'Cascadia Mono',Consolas,Menlo,'Liberation Mono','Courier New','Noto Sans Mono',monospace\">{}</pre>\n</body></html>\n",
        crate::text::escape_html(errors)
    );
    with_reload(page.into_bytes(), generation, desk_link)
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
        let html = with_reload(b"<html><body class=\"a\"><p>x</p></body></html>".to_vec(), 3, "<nav>d</nav>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body class=\"a\"><nav>d</nav><p>x</p><script src=\"/__tiendo/reload.js?g=3\"></script>\n</body></html>"
        );
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
        let (head, rest) = read_head(&mut short).ok().unwrap();
        assert_eq!((head.as_str(), rest.as_slice()), ("GET / HTTP/1.1\r\nHost: localhost:1", &b"rest"[..]));
    }
}
