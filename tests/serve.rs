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
    start_in(site, &std::env::temp_dir())
}

/// Starts `serve` with `tmp` as its temporary folder, where it makes its private folder.
fn start_in(site: &std::path::Path, tmp: &std::path::Path) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["serve", "--root", site.to_str().unwrap(), "--port", "0"])
        .env("TMPDIR", tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = port_in(&lines.next().unwrap().unwrap());
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Serve { child, port }
}

/// A copy of the small English site in a folder of its own, served and built once.
fn serve_small_site(name: &str) -> (std::path::PathBuf, Serve) {
    let site = temp_dir(name).join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let server = start(&site);
    wait_for(|| status(server.port)["generation"] == 1);
    (site, server)
}

/// The port in the line `serve` starts with: "… http://127.0.0.1:PORT/ …".
fn port_in(line: &str) -> u16 {
    let port = line.split("127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok());
    port.unwrap_or_else(|| panic!("no address in {line:?}"))
}

/// A raw GET, so that `..` reaches the server as written: (status, content type, body).
fn get(port: u16, path: &str) -> (u16, String, String) {
    raw(port, format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"))
}

/// Sends `request` as it is: (status, content type, body).
fn raw(port: u16, request: impl AsRef<[u8]>) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(request.as_ref()).unwrap();
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
    let (site, server) = serve_small_site("serve");
    let port = server.port;

    let (code, kind, home) = get(port, "/");
    assert_eq!((code, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(home.contains("Progress — Riverside City"));
    assert!(
        home.contains("<script src=\"/__tiendo/reload.js?g=1\"></script>\n</body>"),
        "the reload script is added when serving"
    );
    for (path, expected) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/charts/indicators/enrolment/ranking.svg", "image/svg+xml"),
        ("/data/figures.csv", "text/csv; charset=utf-8"),
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
    assert!(status(port)["title"].as_str().unwrap_or("").starts_with("tiendo: the last edit has errors"));
    let (code, _, page) = get(port, "/localities/north/");
    assert_eq!(code, 200);
    assert!(page.contains("Fresh news from the north.") && page.contains("reload.js?g=2"));
    // Fixed: a new good build, no errors.
    std::fs::write(&report, &good).unwrap();
    wait_for(|| status(port)["generation"] == 3);
    assert!(status(port)["errors"].is_null());
    // The site turned Vietnamese: so are the messages over its pages from then on.
    let settings = site.join("site.yaml");
    std::fs::write(&settings, read(&settings).replace("language: en", "language: vi")).unwrap();
    wait_for(|| status(port)["generation"] == 4);
    std::fs::write(&report, good.replace("enrolment: 700", "enrolment: -700")).unwrap();
    wait_for(|| !status(port)["errors"].is_null());
    let errors = status(port)["errors"].as_str().unwrap_or("").to_owned();
    assert!(errors.contains("lỗi: data/reports/2025-09.yaml, dòng 4, cột 23: -700 là số âm"), "{errors}");
    assert!(status(port)["title"].as_str().unwrap_or("").starts_with("tiendo: lần sửa vừa rồi có lỗi"));
    drop(server);
    // Nothing of serve is in the site's own output folder.
    assert!(!site.join("public").exists());
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let dir = temp_dir("serve-not-a-site");
    let o = tiendo(&["serve", "--root", dir.to_str().unwrap(), "--port", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("lỗi: ") && stderr(&o).contains("không có tệp site.yaml"), "{}", stderr(&o));
    let o = tiendo_en(&["serve", "--root", dir.to_str().unwrap(), "--port", "0"]);
    assert!(stderr(&o).contains("error: ") && stderr(&o).contains("has no site.yaml"), "{}", stderr(&o));
}

#[test]
fn requests_for_other_names_are_refused() {
    let (_site, server) = serve_small_site("serve-host");
    let port = server.port;
    let get_as = |host: &str| raw(port, format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
    assert_eq!(get_as(&format!("localhost:{port}")).0, 200);
    // A page elsewhere that makes its own name resolve to 127.0.0.1 (DNS rebinding).
    for host in [format!("attacker.example:{port}"), "127.0.0.1".to_owned(), format!("127.0.0.1:{}", port ^ 1)] {
        let (code, _, body) = get_as(&host);
        assert_eq!(code, 403, "{host}");
        assert!(!body.contains("Riverside"), "{host}");
    }
    assert_eq!(raw(port, "GET / HTTP/1.1\r\n\r\n").0, 403, "no Host at all");
    assert_eq!(raw(port, format!("POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n")).0, 405);
    // A request head that never ends is cut off.
    let long = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Long: {}\r\n\r\n", "a".repeat(40_000));
    assert_eq!(raw(port, &long).0, 431);
}

#[test]
fn one_client_that_stalls_does_not_hold_up_the_others() {
    let (_site, server) = serve_small_site("serve-stall");
    let port = server.port;
    // Connections that send half a request and wait, and one that asks for the biggest
    // file and never reads it.
    let idle: Vec<TcpStream> = (0..5)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\n").unwrap();
            s
        })
        .collect();
    let mut greedy = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(greedy, "GET /data/figures.csv HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let took = wait_for(|| get(port, "/localities/north/").0 == 200);
    assert!(took < Duration::from_secs(5), "served after {took:?}");
    drop((idle, greedy));
}

#[test]
fn connections_that_send_nothing_or_trickle_do_not_lock_the_preview_out() {
    let (_site, server) = serve_small_site("serve-idle");
    let port = server.port;
    let connect = || TcpStream::connect(("127.0.0.1", port)).unwrap();
    // One that sends its request a byte at a time, each before the last would time out.
    let trickle = std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let started = Instant::now();
        for byte in b"GET / HTTP/1.1\r\n".iter().cycle() {
            if s.write_all(&[*byte]).is_err() || started.elapsed() > Duration::from_secs(20) {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        started.elapsed()
    });
    let idle: Vec<TcpStream> = (0..40).map(|_| connect()).collect();
    let took = wait_for(|| get(port, "/").0 == 200);
    assert!(took < Duration::from_secs(2), "served after {took:?} beside 40 idle connections");
    // More than it serves at once: the next is told to try again, not closed without a word.
    let more: Vec<TcpStream> = (0..40).map(|_| connect()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let (code, _, body) = get(port, "/");
    assert_eq!((code, body.as_str()), (503, "too many connections at once: try again\n"));
    // Each is dropped when its time for a request is up, and the preview serves again.
    let took = wait_for(|| get(port, "/").0 == 200);
    assert!(took < Duration::from_secs(8), "served again after {took:?}");
    let mut first = &idle[0];
    let mut buf = [0u8; 1];
    first.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(first.read(&mut buf).unwrap_or(0), 0, "an idle connection is closed");
    let trickled = trickle.join().unwrap();
    assert!(trickled < Duration::from_secs(8), "a request that trickles in is cut off, after {trickled:?}");
    drop((idle, more));
}

/// Slow readers of a large file hold a little memory each, not the file.
#[cfg(target_os = "linux")]
#[test]
fn large_files_are_sent_as_they_are_read() {
    let site = temp_dir("serve-stream").join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    std::fs::create_dir_all(site.join("templates/assets")).unwrap();
    let big: Vec<u8> = (0..30_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(site.join("templates/assets/big.bin"), &big).unwrap();
    let server = start(&site);
    let port = server.port;
    wait_for(|| status(port)["generation"] == 1);
    let resident = || {
        let status = read(format!("/proc/{}/status", server.child.id()));
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or_default().to_owned();
        line.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()).unwrap_or(0) * 1024
    };
    let before = resident();
    let readers: Vec<TcpStream> = (0..12)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(s, "GET /assets/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let during = resident();
    assert!(
        during < before + 100_000_000,
        "12 readers of a 30 MB file took {} MB more",
        (during.saturating_sub(before)) / 1_000_000
    );
    // And what is sent is the file.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET /assets/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut got = Vec::new();
    s.read_to_end(&mut got).unwrap();
    let at = got.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert!(got[at..] == big[..], "the file as it is");
    drop(readers);
}

#[test]
fn the_preview_is_private_and_gone_when_serve_stops() {
    let base = temp_dir("serve-private");
    let site = base.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let tmp = base.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut server = start_in(&site, &tmp);
    let port = server.port;
    wait_for(|| status(port)["generation"] == 1);
    let made: Vec<_> = std::fs::read_dir(&tmp).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(made.len(), 1, "{made:?}");
    let name = made[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("tiendo-serve-") && name.len() > "tiendo-serve-".len() + 8, "{name}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&made[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "only its owner may open the preview folder");
        assert!(made[0].join("public/index.html").is_file());
        // Ctrl-C.
        // SAFETY: kill only sends a signal to the child this test started.
        assert_eq!(unsafe { libc::kill(server.child.id() as i32, libc::SIGINT) }, 0);
        let status = server.child.wait().unwrap();
        assert!(status.success(), "{status:?}");
        assert!(!made[0].exists(), "the preview folder is removed when serve stops");
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    }
}

/// What a `serve` killed without warning left is removed by the next one, and only that.
#[cfg(unix)]
#[test]
fn the_preview_of_a_killed_serve_is_removed_by_the_next() {
    let base = temp_dir("serve-killed");
    let site = base.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let tmp = base.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let previews = || -> Vec<std::path::PathBuf> {
        let mut all: Vec<_> = std::fs::read_dir(&tmp).unwrap().map(|e| e.unwrap().path()).collect();
        all.sort();
        all
    };
    // Made more than a minute ago, as the next serve finds it.
    let age = |dir: &std::path::Path| {
        let lock = std::fs::File::options().write(true).open(dir.join("lock")).unwrap();
        lock.set_modified(std::time::SystemTime::now() - Duration::from_secs(120)).unwrap();
    };
    let mut killed = start_in(&site, &tmp);
    wait_for(|| status(killed.port)["generation"] == 1);
    let left = previews();
    assert_eq!(left.len(), 1);
    killed.child.kill().unwrap(); // SIGKILL: nothing of its own is cleaned
    killed.child.wait().unwrap();
    assert!(left[0].join("public/index.html").is_file(), "left behind");
    age(&left[0]);
    // Not a preview: a folder of that name without the lock, and a link to a folder.
    let other = tmp.join("tiendo-serve-someone-elses");
    std::fs::create_dir_all(other.join("keep")).unwrap();
    std::os::unix::fs::symlink(&other, tmp.join("tiendo-serve-link")).unwrap();

    let running = start_in(&site, &tmp);
    wait_for(|| status(running.port)["generation"] == 1);
    assert!(!left[0].exists(), "the killed serve's preview is removed");
    let now = previews();
    assert_eq!(now.len(), 3, "{now:?}");
    assert!(other.join("keep").is_dir() && tmp.join("tiendo-serve-link").exists());
    // A preview in use is kept, however old.
    let in_use = now.iter().find(|p| p.join("lock").exists()).unwrap().clone();
    age(&in_use);
    let third = start_in(&site, &tmp);
    wait_for(|| status(third.port)["generation"] == 1);
    assert!(in_use.join("public/index.html").is_file(), "a running serve's preview is left alone");
    drop((running, third));
}

#[test]
fn a_folder_made_after_serve_started_is_watched() {
    let site = temp_dir("serve-new-folder").join("site");
    copy_dir(&fixture("small-en"), &site, &["content"]);
    let server = start(&site);
    let port = server.port;
    wait_for(|| status(port)["generation"] == 1);
    std::fs::create_dir_all(site.join("content/localities")).unwrap();
    wait_for(|| status(port)["builds"].as_u64() >= Some(2));
    std::fs::write(site.join("content/localities/north.md"), "Written after serve started.\n").unwrap();
    wait_for(|| get(port, "/localities/north/").2.contains("Written after serve started."));
}

/// A form of the monthly update as a browser sends it: (status, body).
fn post_form(port: u16, path: &str, origin: Option<&str>, fields: &[(&str, Option<&str>, &[u8])]) -> (u16, String) {
    let boundary = "----tiendo-test-boundary";
    let mut body = Vec::new();
    for (name, filename, data) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").into_bytes());
        if let Some(f) = filename {
            body.extend(format!("; filename=\"{f}\"\r\nContent-Type: text/csv").into_bytes());
        }
        body.extend(b"\r\n\r\n");
        body.extend_from_slice(data);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}Content-Type: multipart/form-data; boundary={boundary}\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    let mut request = head.into_bytes();
    request.extend(body);
    let (status, _, body) = raw(port, request);
    (status, body)
}

/// The token in the forms of the page at `path`.
fn token(port: u16) -> String {
    let page = get(port, "/_tiendo/").2;
    let at = page.find("name=\"token\" value=\"").expect("a form with the token") + 20;
    page[at..at + 32].to_owned()
}

#[test]
fn the_monthly_update_reads_confirms_and_writes_only_for_its_own_pages() {
    let (site, server) = serve_small_site("serve-desk");
    let port = server.port;
    let (code, _, page) = get(port, "/_tiendo/");
    assert_eq!(code, 200);
    assert!(page.contains("2025-09.yaml") && page.contains("value=\"2025-10-31\""), "{page}");
    assert!(get(port, "/").2.contains("<a href=\"/_tiendo/\""), "the preview links to the update");
    let token = token(port);
    let own = format!("http://127.0.0.1:{port}");
    let csv: &[u8] = b"Unit,Enrolment,Health insurance,Training\nNorth Ward,720,9000,190\nSouth Commune,515,3790,105\n\
        West Ward,660,5450,125\nLone Island,121,1710,21\n";
    let report = site.join("data/reports/2025-10.yaml");
    let send_file = |origin: Option<&str>, token: &str, name: &str| {
        post_form(
            port,
            "/_tiendo/import",
            origin,
            &[("token", None, token.as_bytes()), ("as_of", None, b"2025-10-31"), ("file", Some(name), csv)],
        )
    };

    // Without the token, with another's, from a foreign page, or with no Origin: 403, nothing read.
    for (origin, token) in [
        (Some(own.as_str()), ""),
        (Some(own.as_str()), "0123456789abcdef0123456789abcdef"),
        (Some("https://attacker.example"), token.as_str()),
        (Some("null"), token.as_str()),
        (None, token.as_str()),
    ] {
        let (code, body) = send_file(origin, token, "october.csv");
        assert_eq!(code, 403, "{origin:?} {token:?}: {body}");
    }
    let (code, _) =
        post_form(port, "/_tiendo/publish", Some("https://attacker.example"), &[("token", None, token.as_bytes())]);
    assert_eq!(code, 403);
    assert!(!site.join("public").exists(), "a foreign page cannot publish");

    // A file name that is a path is no browser's: refused, nothing stored or written.
    for name in ["../../data/reports/2025-10.yaml", "..", "C:\\Users\\x\\october.csv", "a\u{1b}b.csv"] {
        assert_eq!(send_file(Some(&own), &token, name).0, 403, "{name}");
    }
    assert!(!report.exists());
    // The file as a browser sends it: read, and nothing written.
    let (code, body) = send_file(Some(&own), &token, "báo cáo tháng 10.csv");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("read báo cáo tháng 10.csv"), "{body}");
    assert!(body.contains("Enrolment: column 2") && body.contains("value=\"new\""), "{body}");
    assert!(!report.exists(), "reading writes nothing");
    let upload = body.split("name=\"upload\" value=\"").nth(1).map(|r| r[..32].to_owned()).unwrap();

    // Confirming needs the token too; then the report is written.
    let confirm = |token: &str, upload: &str| {
        post_form(
            port,
            "/_tiendo/confirm",
            Some(&own),
            &[
                ("token", None, token.as_bytes()),
                ("upload", None, upload.as_bytes()),
                ("as_of", None, b"2025-10-31"),
                ("mode", None, b"new"),
            ],
        )
    };
    assert_eq!(confirm("", &upload).0, 403);
    assert!(!report.exists());
    // An upload id that is a path names no upload.
    let (code, body) = confirm(&token, "../../../../../../../etc/passwd");
    assert_eq!(code, 200);
    assert!(body.contains("the file read is gone") && !report.exists(), "{body}");
    let (code, body) = confirm(&token, &upload);
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("Wrote data/reports/2025-10.yaml: 12 figures of 4 units"), "{body}");
    assert!(read(&report).contains("north: { enrolment: 720, insured: 9000, trained: 190 }"));
    wait_for(|| get(port, "/localities/north/").2.contains("720"));

    // The month has its report now: reading again offers to replace or add to it, and
    // writing without choosing is refused as `import` refuses it.
    let (_, body) = send_file(Some(&own), &token, "october.csv");
    assert!(body.contains("value=\"replace\"") && body.contains("value=\"merge\"") && !body.contains("value=\"new\""));
    let upload = body.split("name=\"upload\" value=\"").nth(1).map(|r| r[..32].to_owned()).unwrap();
    let (_, body) = confirm(&token, &upload);
    assert!(body.contains("already exists") && body.contains("Nothing was written"), "{body}");

    // An upload over the import's cap is refused before it is read.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "POST /_tiendo/import HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {own}\r\n\
         Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 200000000\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("over the 100 MB"), "{answer}");

    // Publishing writes the output folder, and its .zip holds it.
    let (code, body) = post_form(port, "/_tiendo/publish", Some(&own), &[("token", None, token.as_bytes())]);
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("Published") && site.join("public/localities/north/index.html").is_file(), "{body}");
    let (code, kind, zip) = get(port, "/_tiendo/site.zip");
    assert_eq!((code, kind.as_str()), (200, "application/zip"));
    assert!(zip.starts_with("PK"));
}

#[test]
fn without_arguments_outside_a_site_it_says_what_to_do_and_waits() {
    let dir = temp_dir("start-not-a-site");
    let o = Command::new(env!("CARGO_BIN_EXE_tiendo")).current_dir(&dir).stdin(Stdio::null()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("không có tệp site.yaml") && said.contains("bấm đúp"), "{said}");
    assert!(said.contains("Bấm Enter để đóng cửa sổ này."), "{said}");
}

#[test]
fn without_arguments_inside_a_site_it_serves_the_monthly_update() {
    let site = temp_dir("start-site").join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(&site)
        .env("TIENDO_NO_BROWSER", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    std::thread::spawn(move || for _ in lines {});
    let server = Serve { child, port: port_in(&first) };
    assert!(second.contains(&format!("http://127.0.0.1:{}/_tiendo/", server.port)), "{second}");
    wait_for(|| status(server.port)["generation"] == 1);
    assert!(get(server.port, "/_tiendo/").2.contains("Monthly update"));
}
