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

mod desk;
mod form;
mod http;
mod session;

pub use session::Session;

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::t;
use crate::words::messages::io_reason;
use crate::{BuildOptions, Error, Summary};

/// The folders of a site whose files are inputs (with `site.yaml` at its root).
const INPUT_DIRS: [&str; 3] = ["data", "content", "templates"];

/// At most this many connections are served at once; the next ones are told to try again
/// (a 503), up to as many more, and beyond that closed. A connection lasts no longer than
/// its deadlines (see `http`), so the preview is never held by clients that send nothing.
const MAX_CONNECTIONS: usize = 64;
/// The request line and headers may not be longer than this.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// A client that sends or reads nothing for this long is dropped.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    /// The language of messages (`--lang`); by default the site's.
    pub lang: Option<String>,
    /// Where the monthly update's workbooks are read (see `import::Reader`).
    pub reader: crate::import::Reader,
}

/// What the loop tells the terminal about.
pub enum ServeEvent<'a> {
    Built(&'a Summary),
    Failed(&'a Error),
}

/// The last build, as the browser's script sees it.
#[derive(Default)]
pub(crate) struct Status {
    /// Successful builds so far: a page served at an older one reloads.
    generation: u64,
    /// Every build, failed or not (one edit must give one build).
    builds: u64,
    /// The diagnostics of the last build, if it failed.
    errors: Option<String>,
    /// The heading of the errors shown over the page, in the reader's language.
    title: String,
}

/// The private folder a preview is built in: created new (never one that already
/// exists), open to its owner only, and removed with everything in it when dropped.
/// While it is in use, its file `lock` is locked: a folder whose lock is free was left
/// by a `serve` that was killed, and the next `serve` removes it.
struct Preview {
    dir: PathBuf,
    _lock: std::fs::File,
}

/// What every preview folder's name starts with.
const PREVIEW_PREFIX: &str = "tiendo-serve-";
/// The file a preview in use holds locked.
const PREVIEW_LOCK: &str = "lock";

impl Preview {
    fn create() -> io::Result<Preview> {
        let parent = std::env::temp_dir();
        remove_abandoned_previews(&parent);
        let dir = Preview::new_folder(&parent)?;
        let lock = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(PREVIEW_LOCK))
            .and_then(|file| file.try_lock().map(|()| file).map_err(io::Error::from));
        match lock {
            Ok(lock) => Ok(Preview { dir, _lock: lock }),
            Err(e) => {
                let _ = crate::output::remove_tree(&dir);
                Err(e)
            }
        }
    }

    fn new_folder(parent: &Path) -> io::Result<PathBuf> {
        use std::hash::{BuildHasher, Hasher};
        for attempt in 0u32..100 {
            // Each RandomState is seeded from the system's randomness: a name no one can guess.
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u32(std::process::id());
            h.write_u32(attempt);
            let dir = parent.join(format!("{PREVIEW_PREFIX}{:016x}", h.finish()));
            #[cfg_attr(not(unix), allow(unused_mut))]
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            match builder.create(&dir) {
                Ok(()) => return Ok(dir),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("no free name for a preview folder"))
    }
}

/// Removes the preview folders in `parent` that a killed `serve` left: folders (not links)
/// named as previews are, that hold a lock file no process holds, made more than a minute
/// ago (a `serve` starting at this moment may not have locked its own yet).
fn remove_abandoned_previews(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let named = entry.file_name().to_str().is_some_and(|n| n.starts_with(PREVIEW_PREFIX));
        if !named || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let dir = entry.path();
        let lock = dir.join(PREVIEW_LOCK);
        let old = std::fs::symlink_metadata(&lock).is_ok_and(|m| {
            m.is_file() && m.modified().is_ok_and(|t| t.elapsed().is_ok_and(|age| age > Duration::from_secs(60)))
        });
        let free = old && std::fs::File::open(&lock).is_ok_and(|f| f.try_lock().is_ok());
        if free {
            let _ = crate::output::remove_tree(&dir);
        }
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
        return Err(Error::Usage(t!("serve_no_site", folder = options.root.display().to_string())));
    }
    // The watcher reports absolute paths; they are compared with the root.
    options.root = options.root.canonicalize().map_err(|e| {
        Error::Usage(t!("serve_root_unreadable", folder = options.root.display().to_string(), why = io_reason(&e)))
    })?;
    let listener = TcpListener::bind(("127.0.0.1", options.port))
        .map_err(|e| Error::Usage(t!("serve_cannot_listen", port = options.port, why = io_reason(&e))))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Usage(t!("serve_cannot_listen", port = options.port, why = io_reason(&e))))?;
    let preview = Preview::create().map_err(|e| {
        Error::Usage(t!(
            "serve_no_preview_folder",
            folder = std::env::temp_dir().display().to_string(),
            why = io_reason(&e)
        ))
    })?;
    Ok(Server { listener, addr, preview, options })
}

/// What every connection's thread reads.
pub(crate) struct Shared {
    output: PathBuf,
    port: u16,
    status: Mutex<Status>,
    root: PathBuf,
    lang: Option<String>,
    /// The secret of this run that every form of the monthly update carries.
    token: String,
    /// Where uploaded workbooks wait for their confirmation, in the preview's folder.
    uploads: PathBuf,
    reader: crate::import::Reader,
    /// Held while the site is published or zipped: one at a time.
    publishing: Mutex<()>,
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
            root: options.root.clone(),
            lang: options.lang.clone(),
            token: form::new_token(),
            uploads: preview.dir.join("uploads"),
            reader: options.reader.clone(),
            publishing: Mutex::new(()),
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
            let open = active.load(Ordering::SeqCst);
            if open >= 2 * MAX_CONNECTIONS {
                continue; // dropped: closed at once
            }
            active.fetch_add(1, Ordering::SeqCst);
            let (shared, active) = (shared.clone(), active.clone());
            std::thread::spawn(move || {
                if open < MAX_CONNECTIONS {
                    http::connection(stream, &shared);
                } else {
                    http::busy(stream);
                }
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
        .map_err(|e| Error::Usage(t!("serve_no_signals", why = io_reason(&e))))?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            stop.store(true, Ordering::SeqCst);
            let _ = std::net::TcpStream::connect(addr);
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
        .map_err(|e| Error::Usage(t!("serve_cannot_watch", detail = e.to_string())))?;
    // The root itself only for site.yaml and the input folders appearing: its other
    // entries (public/, .git, target/) are not inputs.
    debouncer.watch(root, RecursiveMode::NonRecursive).map_err(|e| {
        Error::Usage(t!("serve_cannot_watch_folder", folder = root.display().to_string(), detail = e.to_string()))
    })?;
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
            // The pictures this build did not wait for, ready for the next one.
            if !summary.partial {
                session.draw_pictures();
            }
        }
        Err(e) => {
            // In the language of the site as it is now: site.yaml may be the file just edited.
            let words = crate::messages_for(&shared.root, shared.lang.as_deref());
            s.errors = Some(match e {
                Error::Input(ds) => ds.iter().map(|d| d.render(words)).collect::<Vec<_>>().join("\n\n"),
                other => words.render(&other.text()),
            });
            s.title = words.render(&t!("serve_overlay_title"));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_trigger_rebuilds() {
        let root = Path::new("/srv/site");
        assert!(is_input(root, Path::new("/srv/site/site.yaml")));
        assert!(is_input(root, Path::new("/srv/site/content/localities/a.md")));
        assert!(is_input(root, Path::new("/srv/site/data/reports/2025-10.yaml")));
        assert!(is_input(root, Path::new("/srv/site/templates")));
        assert!(!is_input(root, Path::new("/srv/site/public/index.html")));
        assert!(!is_input(root, Path::new("/srv/site/.public.tiendo-12")));
        assert!(!is_input(root, Path::new("/srv/site/.tiendo-cache/years/2024/pages")));
        assert!(!is_input(root, Path::new("/elsewhere/site.yaml")));
    }
}
