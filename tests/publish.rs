//! The published site is replaced only by a complete new one: a failed build leaves it
//! byte for byte as it was, and a build killed at any moment leaves either the old
//! site or the new one, never a mixture and never nothing.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;

/// The site's inputs only: not its build output or the repository around it.
const NOT_INPUT: &[&str] = &["public", "target", ".git"];

/// Staging folders (or anything else of tiendo's) left beside an output.
fn staging_left(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The site's cache of earlier years is kept on purpose.
        .filter(|n| n.contains(".tiendo-") && n != ".tiendo-cache")
        .collect()
}

#[test]
fn a_failed_build_leaves_the_published_site_untouched() {
    let dir = temp_dir("publish-failed");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let out = dir.join("public");
    build(&site, &out);
    let before = snapshot(&out);

    // An input error: a negative figure.
    let report = site.join("data/reports/2025-09.yaml");
    let good = read(&report);
    std::fs::write(&report, good.replace("enrolment: 700", "enrolment: -700")).unwrap();
    let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("data/reports/2025-09.yaml:4:23: -700 is negative"), "{}", stderr(&o));
    assert!(snapshot(&out) == before, "the published site changed after a failed build");
    std::fs::write(&report, good).unwrap();

    // An error found only while rendering: a site template using an unknown variable.
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}{{ nothing.here }}{% endblock content %}",
    )
    .unwrap();
    let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: templates/page.html:1:"), "{}", stderr(&o));
    assert!(snapshot(&out) == before, "the published site changed after a failed build");
    assert!(staging_left(&dir).is_empty(), "staging left behind: {:?}", staging_left(&dir));
}

#[test]
fn an_output_folder_that_would_replace_the_site_is_refused() {
    let dir = temp_dir("publish-refuse");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    for output in [site.clone(), dir.clone(), site.join("content/out")] {
        let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", output.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    }
    assert!(site.join("site.yaml").is_file() && site.join("data/reports/2025-09.yaml").is_file());
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_site() {
    let dir = temp_dir("publish-kill");
    // Old: the sample as it is. New: the same with a changed figure, so every unit page,
    // the home page, the charts and the data files differ.
    let old_site = repo();
    let new_site = dir.join("new-site");
    copy_dir(&old_site, &new_site, NOT_INPUT);
    let report = new_site.join("data/reports/2025-09.yaml");
    std::fs::write(&report, read(&report).replace("long-my: { voluntary-si: 1215", "long-my: { voluntary-si: 1300"))
        .unwrap();
    let old_ref = dir.join("old-ref");
    let new_ref = dir.join("new-ref");
    build(&old_site, &old_ref);
    build(&new_site, &new_ref);
    let (old, new) = (snapshot(&old_ref), snapshot(&new_ref));
    assert!(old != new);

    let out_parent = dir.join("out");
    let out: PathBuf = out_parent.join("public");
    let (mut killed_before, mut finished) = (0, 0);
    for delay_ms in [0u64, 2, 5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 500, 800] {
        let _ = std::fs::remove_dir_all(&out_parent);
        copy_dir(&old_ref, &out, &[]);
        // As built there: the marker names the folder it was made for.
        let marker = out.join(MARKER);
        let (from, to) = (old_ref.canonicalize().unwrap(), out.canonicalize().unwrap());
        std::fs::write(&marker, read(&marker).replace(&*from.to_string_lossy(), &to.to_string_lossy())).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(["build", "--root", new_site.to_str().unwrap(), "--output", out.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = snapshot(&out);
        if now == old {
            killed_before += 1;
        } else if now == new {
            finished += 1;
        } else {
            panic!("after a kill at {delay_ms} ms (exit {status:?}) the output is neither the old nor the new site");
        }
    }
    assert!(killed_before > 0, "no build was killed before it published: the test did not test anything");
    // A later build cleans up what killed builds left beside the output.
    build(&new_site, &out);
    assert!(snapshot(&out) == new);
    assert!(staging_left(&out_parent).is_empty(), "staging left behind: {:?}", staging_left(&out_parent));
    eprintln!("killed before publishing: {killed_before}, finished: {finished}");
}

#[test]
fn a_rebuild_leaves_nothing_of_an_older_site_and_nothing_beside_it() {
    let dir = temp_dir("publish-rebuild");
    let out = dir.join("public");
    build(&repo(), &out);
    build(&fixture("small-en"), &out);
    build(&fixture("small-en"), &out);
    let reference = dir.join("reference");
    build(&fixture("small-en"), &reference);
    assert!(snapshot(&out) == snapshot(&reference), "the output differs from a fresh build of the same site");
    assert!(staging_left(&dir).is_empty(), "left beside the output: {:?}", staging_left(&dir));
}

/// Builds with `--output`, returning the exit status and what was printed.
fn build_into(site: &Path, out: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = tiendo(&args);
    (o.status.code(), stderr(&o))
}

#[test]
fn an_existing_folder_tiendo_did_not_make_is_refused_and_left_untouched() {
    let dir = temp_dir("publish-foreign");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let home = dir.join("home");
    std::fs::create_dir_all(home.join("photos")).unwrap();
    std::fs::write(home.join("notes.txt"), "mine").unwrap();
    std::fs::write(home.join("photos/a.jpg"), "jpeg").unwrap();
    let before = snapshot(&home);
    for _ in 0..2 {
        let (code, err) = build_into(&site, &home, &[]);
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("tiendo did not make it"), "{err}");
    }
    assert!(snapshot(&home) == before);
    assert!(staging_left(&dir).is_empty(), "{:?}", staging_left(&dir));
    // A broken site is refused for the same reason, before its input is read.
    std::fs::write(site.join("site.yaml"), "title: [").unwrap();
    let (code, err) = build_into(&site, &home, &[]);
    assert_eq!(code, Some(2), "{err}");
}

/// `rsync -a public/ /var/www/html/` copies the site's marker into a web root that holds
/// other sites: the marker names the folder it was made for, so the web root is not
/// taken for tiendo's and its other sites stay.
#[test]
fn a_marker_copied_with_the_site_does_not_make_the_folder_it_lands_in_tiendos() {
    let dir = temp_dir("publish-copied-marker");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let public = dir.join("public");
    build(&site, &public);
    let www = dir.join("www");
    std::fs::create_dir_all(www.join("other-site")).unwrap();
    std::fs::write(www.join("other-site/index.html"), "another office's site").unwrap();
    copy_dir(&public, &www, &[]);
    assert!(www.join(".tiendo-site").is_file() && www.join("localities").is_dir());
    let before = snapshot(&www);
    let (code, err) = build_into(&site, &www, &["--lang", "en"]);
    assert_eq!(code, Some(2), "{err}");
    let built_for = public.canonicalize().unwrap().display().to_string();
    assert!(err.contains("copied with a site built for") && err.contains(&built_for), "{err}");
    assert!(snapshot(&www) == before, "the web root is left as it is");
    // Where it was built, it is still tiendo's to replace.
    build(&site, &public);
    // A folder moved keeps its marker, which names where it was: refused too, saying so.
    std::fs::rename(&public, dir.join("moved")).unwrap();
    let (code, err) = build_into(&site, &dir.join("moved"), &["--lang", "vi"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("được chép theo một trang web tạo cho"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_published_at_its_target_and_the_link_stays() {
    let dir = temp_dir("publish-symlink");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    // A web root with another site in it: the link to the web root itself is refused...
    let www = dir.join("www");
    std::fs::create_dir_all(www.join("other-site")).unwrap();
    std::fs::write(www.join("index.html"), "the web root's own page").unwrap();
    std::fs::write(www.join("other-site/index.html"), "another site").unwrap();
    let before = snapshot(&www);
    let public = site.join("public");
    std::os::unix::fs::symlink(&www, &public).unwrap();
    for _ in 0..2 {
        let (code, err) = tiendo_build(&site);
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains(&format!("(where {} leads)", public.display())), "{err}");
    }
    assert!(snapshot(&www) == before, "a folder holding files tiendo did not make was changed");
    // ...and a link to a folder of its own in the web root is followed.
    std::fs::remove_file(&public).unwrap();
    std::os::unix::fs::symlink(www.join("tien-do"), &public).unwrap();
    for _ in 0..2 {
        let (code, err) = tiendo_build(&site);
        assert_eq!(code, Some(0), "{err}");
    }
    assert!(std::fs::symlink_metadata(&public).unwrap().file_type().is_symlink(), "the link stays a link");
    assert!(www.join("tien-do/index.html").is_file());
    let reference = dir.join("reference");
    build(&site, &reference);
    assert!(snapshot(&www.join("tien-do")) == snapshot(&reference));
    let mut after = snapshot(&www);
    after.retain(|k, _| !k.starts_with("tien-do/"));
    assert!(after == before, "the web root's other files changed");
    assert!(staging_left(&www).is_empty() && staging_left(&site).is_empty());
}

fn tiendo_build(site: &Path) -> (Option<i32>, String) {
    let o = tiendo(&["build", "--root", site.to_str().unwrap()]);
    (o.status.code(), stderr(&o))
}

/// Hard links to every file of `from`, in the same layout under `to` (`cp -al`).
fn hard_link_copy(from: &Path, to: &Path) {
    for f in files(from) {
        let target = to.join(&f);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::hard_link(from.join(&f), target).unwrap();
    }
}

#[test]
fn a_hard_linked_backup_keeps_its_content_through_rebuilds() {
    let dir = temp_dir("publish-hardlink");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let out = dir.join("public");
    build(&site, &out);
    let backup = dir.join("backup");
    hard_link_copy(&out, &backup);
    let kept = snapshot(&backup);
    assert!(kept == snapshot(&out));
    let report = site.join("data/reports/2025-09.yaml");
    for figure in ["enrolment: 710", "enrolment: 720"] {
        std::fs::write(&report, read(&report).replacen("enrolment: 700", figure, 1).replace("enrolment: 710", figure))
            .unwrap();
        build(&site, &out);
        assert!(snapshot(&out) != kept, "the figures changed, so the site did");
    }
    assert!(snapshot(&backup) == kept, "a file of the backup was written over");
}

#[test]
fn output_paths_are_compared_as_the_system_sees_them() {
    let dir = temp_dir("publish-paths");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let before = snapshot(&site);
    let sneaky = format!("{}/../site", site.display());
    let (code, err) = build_into(&site, Path::new(&sneaky), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("holds the site itself"), "{err}");
    let (code, err) = build_into(&site, &site.join("data/../content/x/.."), &[]);
    assert_eq!(code, Some(2), "{err}");
    #[cfg(unix)]
    {
        // A symlinked root: its output is the site's own folder.
        let link = dir.join("link");
        std::os::unix::fs::symlink(&site, &link).unwrap();
        let o = tiendo(&["build", "--root", link.to_str().unwrap(), "--output", site.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    }
    assert!(snapshot(&site) == before, "the site's own files changed");
}

#[test]
fn a_bad_base_url_on_the_command_line_is_refused_like_one_in_site_yaml() {
    let dir = temp_dir("publish-base-url");
    let out = dir.join("public");
    for url in ["javascript:alert(1)", "https://", "example.org", "https://a.example/\"><script>"] {
        let (code, err) = build_into(&fixture("small-en"), &out, &["--base-url", url]);
        assert_eq!(code, Some(2), "{url}: {err}");
        assert!(err.contains("is not a web address"), "{err}");
    }
    assert!(!out.exists());
    let (code, err) = build_into(&fixture("small-en"), &out, &["--base-url", "https://stats.example/progress/"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(read(out.join("sitemap.xml")).contains("https://stats.example/progress/localities/north/"));
}

#[cfg(unix)]
#[test]
fn a_read_only_previous_site_is_named_with_what_to_do() {
    use std::os::unix::fs::PermissionsExt;
    // Root may write anywhere: the refusal cannot be seen as root.
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: running as root");
        return;
    }
    let dir = temp_dir("publish-read-only");
    let out = dir.join("public");
    build(&fixture("small-en"), &out);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    let (code, err) = build_into(&fixture("small-en"), &out, &[]);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&out.display().to_string()) && err.contains("chown -R"), "{err}");
}

/// The paths under `list`'s heading `heading`, as `build` writes them beside the output.
fn listed(list: &str, heading: &str) -> Vec<String> {
    let start = list.find(&format!("\n# {heading} (")).unwrap_or_else(|| panic!("no {heading:?} in {list}"));
    list[start + 1..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn the_list_of_changed_files_names_exactly_what_a_one_figure_change_changed() {
    let dir = temp_dir("publish-changes");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let out = dir.join("public");
    let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list_path = dir.join("public-changes.txt");
    let first = read(&list_path);
    assert_eq!(
        listed(&first, "New files").len(),
        files(&out).len() - 1,
        "a first build adds every file but the marker"
    );
    let before = snapshot(&out);

    // One figure of one unit in the latest report.
    let report = site.join("data/reports/2025-09.yaml");
    let text = read(&report);
    assert!(text.contains("north: { enrolment: 700,"));
    std::fs::write(&report, text.replace("north: { enrolment: 700,", "north: { enrolment: 701,")).unwrap();
    let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = read(&list_path);
    let after = snapshot(&out);

    // What the list says against what differs, byte for byte, between the two sites.
    let mut differ: Vec<String> =
        after.iter().filter(|(k, v)| before.get(*k).is_some_and(|b| b != *v)).map(|(k, _)| k.clone()).collect();
    differ.sort();
    assert!(!differ.is_empty());
    assert_eq!(listed(&list, "Changed files"), differ);
    assert!(listed(&list, "New files").is_empty() && listed(&list, "Removed files").is_empty(), "{list}");
    assert!(differ.contains(&"localities/north/index.html".to_owned()));
    assert!(!differ.iter().any(|f| f.starts_with("years/")), "earlier years do not show it: {differ:?}");
    let n = differ.len().to_string();
    assert!(
        stdout(&o).contains(&format!("since the previous build: 0 new, {n} changed and 0 removed files")),
        "{}",
        stdout(&o)
    );

    // A removed unit's files are listed as removed.
    let without = |path: &Path, line: &dyn Fn(&str) -> bool| {
        let kept: String = read(path).lines().filter(|l| !line(l)).map(|l| format!("{l}\n")).collect();
        std::fs::write(path, kept).unwrap();
    };
    without(&site.join("data/localities.yaml"), &|l| l.contains("id: lone"));
    for folder in ["data/reports", "data/targets"] {
        for f in std::fs::read_dir(site.join(folder)).unwrap() {
            without(&f.unwrap().path(), &|l| l.trim_start().starts_with("lone:"));
        }
    }
    let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let removed = listed(&read(&list_path), "Removed files");
    assert!(removed.contains(&"localities/lone/index.html".to_owned()), "{removed:?}");
    assert!(removed.iter().all(|f| !out.join(f).exists()));
}

#[test]
#[cfg(unix)]
fn an_edit_in_the_published_site_never_reaches_a_later_build() {
    use std::os::unix::fs::MetadataExt;
    let dir = temp_dir("publish-poison");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[".tiendo-cache"]);
    let out = dir.join("public");
    build(&site, &out);
    // Twice: the second build takes the earlier year's pages and the pictures from the cache.
    build(&site, &out);
    let clean = snapshot(&out);
    // Every published file is a file of its own that its owner may write: no second name
    // shared with the cache, nothing read-only that a `cp -r` over last month's copy
    // would stumble on.
    for f in files(&out) {
        let meta = std::fs::metadata(out.join(&f)).unwrap();
        assert_eq!(meta.nlink(), 1, "{f} shares its file with another name");
        assert!(meta.mode() & 0o200 != 0, "{f} is not writable by its owner");
    }
    // Written in place, as an editor, `rsync --inplace` or `cp` over a file does.
    let page = out.join("years/2024/index.html");
    let picture = out.join("share/home.png");
    let mut text = read(&page);
    text.push_str("<script>alert(1)</script>");
    std::fs::OpenOptions::new().write(true).truncate(true).open(&page).unwrap().write_all(text.as_bytes()).unwrap();
    std::fs::OpenOptions::new().write(true).truncate(true).open(&picture).unwrap().write_all(b"<svg/>").unwrap();
    build(&site, &out);
    assert!(snapshot(&out) == clean, "a rebuild publishes the site as built, not the edit");
    std::fs::remove_dir_all(&out).unwrap();
    build(&site, &out);
    assert!(snapshot(&out) == clean, "and so does a build after the site was deleted");
}

/// The README's way to copy the site to a server with `cp`, month after month, as an
/// ordinary user: `cp -r public/. www/` over last month's copy, then delete what
/// `public-changes.txt` lists as removed. The server's folder is then the new site,
/// nothing stale in it (read-only published files made the second `cp` fail on every
/// one of them, and leave them as they were).
#[cfg(unix)]
#[test]
fn the_second_months_cp_as_an_ordinary_user_leaves_exactly_the_new_site() {
    let dir = temp_dir("publish-cp");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[".tiendo-cache"]);
    let (out, www) = (dir.join("public"), dir.join("www"));
    std::fs::create_dir_all(&www).unwrap();
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        // As root, the copy is made by `nobody`, who owns the server's folder.
        let path = std::ffi::CString::new(www.to_str().unwrap()).unwrap();
        // SAFETY: `path` is a valid NUL-terminated string that outlives the call.
        assert_eq!(unsafe { libc::chown(path.as_ptr(), 65534, 65534) }, 0);
    }
    let copy = || {
        let mut cp = if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "cp"]);
            c
        } else {
            Command::new("cp")
        };
        let o = cp.arg("-r").arg(format!("{}/.", out.display())).arg(&www).output().unwrap();
        assert!(o.status.success(), "cp: {}", String::from_utf8_lossy(&o.stderr));
    };
    let publish = || {
        let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    publish();
    // Twice: the second build takes pages and pictures from the cache.
    publish();
    copy();
    // The next month: a figure changed, a bulletin withdrawn.
    let report = site.join("data/reports/2025-09.yaml");
    std::fs::write(&report, read(&report).replace("north: { enrolment: 700,", "north: { enrolment: 705,")).unwrap();
    std::fs::remove_file(site.join("content/updates/q2-2025.md")).unwrap();
    publish();
    copy();
    let removed = listed(&read(dir.join("public-changes.txt")), "Removed files");
    assert!(removed.iter().any(|f| f.contains("q2-2025")), "{removed:?}");
    for f in removed {
        std::fs::remove_file(www.join(f)).unwrap();
    }
    assert!(snapshot(&www) == snapshot(&out), "the server's folder is the new site");
}

#[test]
fn two_builds_at_once_each_publish_their_own_site() {
    let dir = temp_dir("publish-two-at-once");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[".tiendo-cache"]);
    let (a, b) = (dir.join("a"), dir.join("b"));
    let start = |out: &Path, url: &str| {
        Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap(), "--base-url", url])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // Each build with its own address renders the earlier year again for it, and would
    // replace the cache's folder of it while the other copies from it.
    for _ in 0..4 {
        let (mut x, mut y) = (start(&a, "https://a.example/"), start(&b, "https://b.example/"));
        assert!(x.wait().unwrap().success() && y.wait().unwrap().success());
        for (out, other) in [(&a, "b.example"), (&b, "a.example")] {
            for f in files(out).into_iter().filter(|f| f.ends_with(".html") || f.ends_with(".xml")) {
                assert!(!read(out.join(&f)).contains(other), "{f} of {} names {other}", out.display());
            }
        }
    }
}
