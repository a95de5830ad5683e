//! Bounds on rendering a page: a site's templates are small programs (loops, `set`,
//! includes), and one whose loop never ends, or that doubles a text until memory runs
//! out, would hang the build or have it killed without a word. Three bounds, each with a
//! message that names the page's template:
//!
//! - what one page writes: at most [`MAX_PAGE_BYTES`], an error like any other in a
//!   template;
//! - how long one page takes: at most [`DEADLINE`]. Nothing can stop a render from
//!   outside, so a watchdog thread says which template ran over and ends the process
//!   (exit 1): nothing is published, and the next build removes what this one left;
//! - one allocation while a page renders: at most [`MAX_ALLOCATION`], checked by
//!   [`Bounded`], the program's allocator; it likewise says so and ends the process.
//!
//! The messages are made before the page renders (once per template and language), so
//! that the allocator can print one without allocating.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use crate::t;
use crate::words::messages::Catalogue;

/// The most bytes one page may have: a national list page has about 1 MB.
pub const MAX_PAGE_BYTES: usize = 64 << 20;
/// The longest one page may take: pages take milliseconds.
pub const DEADLINE: Duration = Duration::from_secs(10);
/// The largest single allocation while a page renders: a text this long is no page's.
pub const MAX_ALLOCATION: usize = 256 << 20;

/// A page being rendered, as the watchdog sees it.
struct Active {
    id: u64,
    started: Instant,
    /// What to say if it runs over [`DEADLINE`].
    too_slow: &'static str,
}

static ACTIVE: Mutex<Vec<Active>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// What to say if this thread asks for more than [`MAX_ALLOCATION`] at once, while it
    /// renders a page.
    static TOO_LARGE: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Runs `render` (a page of the template `file`) within the bounds on time and memory,
/// with messages in `words`.
pub fn within<T>(file: &str, words: &'static Catalogue, render: impl FnOnce() -> T) -> T {
    let seconds = DEADLINE.as_secs();
    let too_slow = message(file, words, "slow", || t!("template_too_slow", file, seconds));
    let mb = MAX_ALLOCATION >> 20;
    let too_large = message(file, words, "large", || t!("template_too_large", file, mb));
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    ACTIVE.lock().unwrap_or_else(PoisonError::into_inner).push(Active { id, started: Instant::now(), too_slow });
    watchdog();
    let _done = Done(id);
    TOO_LARGE.with(|m| m.set(Some(too_large)));
    render()
}

/// Takes the page off the watchdog's list when it is done, whether it rendered or panicked.
struct Done(u64);

impl Drop for Done {
    fn drop(&mut self) {
        TOO_LARGE.with(|m| m.set(None));
        ACTIVE.lock().unwrap_or_else(PoisonError::into_inner).retain(|a| a.id != self.0);
    }
}

/// The message `kind` about `file` in `words`, made once and kept for the run.
fn message(
    file: &str,
    words: &'static Catalogue,
    kind: &'static str,
    text: impl FnOnce() -> crate::words::messages::Text,
) -> &'static str {
    type Key = (String, &'static str, usize);
    static MADE: Mutex<BTreeMap<Key, &'static str>> = Mutex::new(BTreeMap::new());
    let key = (file.to_owned(), kind, std::ptr::from_ref(words) as usize);
    let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
    made.entry(key).or_insert_with(|| {
        let label = words.render(&t!("label_error"));
        let line = format!("{label}: {}\n", words.render(&text()));
        // Kept for the rest of the run: one per template and language.
        Box::leak(line.into_boxed_str())
    })
}

/// Starts the watchdog, once: every quarter of a second, it looks for a page that has
/// rendered for longer than [`DEADLINE`].
fn watchdog() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        std::thread::spawn(|| {
            loop {
                std::thread::sleep(Duration::from_millis(250));
                let active = ACTIVE.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(late) = active.iter().find(|a| a.started.elapsed() > DEADLINE) {
                    let _ = std::io::stderr().write_all(late.too_slow.as_bytes());
                    std::process::exit(1);
                }
            }
        });
    });
}

/// The program's allocator `A`, with the bound on one allocation while a page renders.
pub struct Bounded<A>(pub A);

// SAFETY: every call is passed on to `A` as it came; the check before it only reads a
// thread-local cell and, past the bound, ends the process.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Bounded<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: the caller's guarantees, passed on.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: the caller's guarantees, passed on.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check(new_size);
        // SAFETY: the caller's guarantees, passed on.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's guarantees, passed on.
        unsafe { self.0.dealloc(ptr, layout) }
    }
}

#[inline]
fn check(size: usize) {
    if size > MAX_ALLOCATION {
        too_large();
    }
}

/// Past the bound: on a thread that renders a page, says so and ends the process at once
/// (nothing that could allocate runs).
#[cold]
fn too_large() {
    let Ok(Some(message)) = TOO_LARGE.try_with(Cell::get) else { return };
    let _ = std::io::stderr().write_all(message.as_bytes());
    #[cfg(unix)]
    // SAFETY: `_exit` ends the process; it takes no pointer.
    unsafe {
        libc::_exit(1)
    };
    #[cfg(not(unix))]
    std::process::abort();
}

/// A page's bytes, refused past [`MAX_PAGE_BYTES`].
pub struct Capped {
    pub bytes: Vec<u8>,
    pub over: bool,
}

impl Capped {
    pub fn new() -> Capped {
        Capped { bytes: Vec::with_capacity(32 * 1024), over: false }
    }
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            self.over = true;
            return Err(std::io::Error::other("the page is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
