//! `tiendo serve`: serves the built site on loopback, rebuilds on an edit (once per
//! edit), keeps the last good build when an edit breaks the site, and serves nothing
//! outside its output folder.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The server, stopped when dropped.
struct Serve {
    child: Child,
    port: u16,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &std::path::Path) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["serve", "--root", site.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let port = first.split("127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok());
    let port = port.unwrap_or_else(|| panic!("no address in {first:?}"));
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Serve { child, port }
}

/// A raw GET, so that `..` reaches the server as written: (status, content type, body).
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let kind = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-type:").map(|v| v.trim().to_owned()))
        .unwrap_or_default();
    (status, kind, body.to_owned())
}

fn status(port: u16) -> serde_json::Value {
    serde_json::from_str(&get(port, "/__tiendo/status").2).unwrap()
}

/// Waits until `done` holds, for at most 10 seconds; returns how long it took.
fn wait_for(mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(10), "timed out");
        std::thread::sleep(Duration::from_millis(20));
    }
    started.elapsed()
}

#[test]
fn serves_rebuilds_and_reloads() {
    let site = temp_dir("serve").join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let server = start(&site);
    let port = server.port;
    wait_for(|| status(port)["generation"] == 1);

    let (code, kind, home) = get(port, "/");
    assert_eq!((code, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(home.contains("Progress — Riverside City"));
    assert!(
        home.contains("<script src=\"/__tiendo/reload.js?g=1\"></script>\n</body>"),
        "the reload script is added when serving"
    );
    for (path, expected) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/charts/city/enrolment.svg", "image/svg+xml"),
        ("/data/figures.csv", "text/csv; charset=utf-8"),
        ("/data/figures.json", "application/json"),
        ("/feed.xml", "application/xml"),
        ("/localities/north/", "text/html; charset=utf-8"),
    ] {
        let (code, kind, _) = get(port, path);
        assert_eq!((code, kind.as_str()), (200, expected), "{path}");
    }
    let (code, _, body) = get(port, "/no/such/page/");
    assert_eq!(code, 404);
    assert!(body.contains("Page not found"), "404.html is served for missing pages");

    // Nothing outside the output folder, however the path is written.
    for path in
        ["/../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E%2Fsite.yaml", "/localities/../../site.yaml", "/..%5Csite.yaml"]
    {
        let (code, _, body) = get(port, path);
        assert_ne!(code, 200, "{path}");
        assert!(!body.contains("Riverside statistics office\"\nbase_url"), "{path} served site.yaml");
    }

    // An edit to a commentary file is served after one rebuild.
    let note = site.join("content/localities/north.md");
    let text = read(&note);
    std::fs::write(&note, format!("{text}\nFresh news from the north.\n")).unwrap();
    let took = wait_for(|| get(port, "/localities/north/").2.contains("Fresh news from the north."));
    eprintln!("edit visible after {} ms", took.as_millis());
    std::thread::sleep(Duration::from_millis(800));
    let s = status(port);
    assert_eq!((s["builds"].as_u64(), s["generation"].as_u64()), (Some(2), Some(2)), "one edit, one build: {s}");

    // A broken edit: the diagnostics go to the browser, the last good build stays served.
    let report = site.join("data/reports/2025-09.yaml");
    let good = read(&report);
    std::fs::write(&report, good.replace("enrolment: 700", "enrolment: -700")).unwrap();
    wait_for(|| !status(port)["errors"].is_null());
    let errors = status(port)["errors"].as_str().unwrap_or("").to_owned();
    assert!(errors.contains("data/reports/2025-09.yaml:4:23: -700 is negative"), "{errors}");
    let (code, _, page) = get(port, "/localities/north/");
    assert_eq!(code, 200);
    assert!(page.contains("Fresh news from the north.") && page.contains("reload.js?g=2"));
    // Fixed: a new good build, no errors.
    std::fs::write(&report, good).unwrap();
    wait_for(|| status(port)["generation"] == 3);
    assert!(status(port)["errors"].is_null());
    drop(server);
    // Nothing of serve is in the site's own output folder.
    assert!(!site.join("public").exists());
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let dir = temp_dir("serve-not-a-site");
    let o = tiendo(&["serve", "--root", dir.to_str().unwrap(), "--port", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("has no site.yaml"));
}
