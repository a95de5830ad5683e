//! The command line: exit statuses and messages for the cases around the happy path.

mod common;

use common::*;

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tiendo(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(tiendo(&["build", "--nope"]).status.code(), Some(2));
    let help = tiendo(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("build") && stdout(&help).contains("check"));
}

#[test]
fn help_is_in_the_readers_language() {
    let help = stdout(&tiendo(&["--help"]));
    assert!(help.contains("Cách dùng: tiendo [TUỲ-CHỌN] <LỆNH>"), "{help}");
    assert!(help.contains("Các lệnh:") && help.contains("  import  Chuyển bảng tính cơ quan gửi"), "{help}");
    let help = stdout(&tiendo(&["help", "import"]));
    assert!(help.contains("Cách dùng: tiendo import [TUỲ-CHỌN] --as-of <YYYY-MM-DD> <TỆP>"), "{help}");
    assert!(help.contains("--sheet <TÊN>") && help.contains("[mặc định: tiêu đề của bảng tính]"), "{help}");
    assert_eq!(stdout(&tiendo(&["import", "--help"])), help, "`help import` is `import --help`");
    let help = stdout(&tiendo(&["build", "--help", "--lang", "en"]));
    assert!(help.contains("Usage: tiendo build [OPTIONS]") && help.contains("--output <DIR>"), "{help}");
    assert!(help.contains("Where to write the site [default: ROOT/public]"), "{help}");
    // Every command has its own words for itself and each of its options.
    for command in ["build", "check", "serve", "new", "import"] {
        let help = stdout(&tiendo(&["help", command]));
        assert!(!help.contains("help_"), "{command}: a key without words:\n{help}");
    }
}

#[test]
fn usage_errors_are_said_in_the_readers_language() {
    // No site here: Vietnamese, unless --lang says otherwise.
    let err = stderr(&tiendo(&["buidl"]));
    assert!(err.starts_with("lỗi: tiendo không có lệnh `buidl`; có phải bạn muốn viết `build`?"), "{err}");
    let err = stderr(&tiendo(&["build", "--nope"]));
    assert!(err.contains("lỗi: lệnh này không có tuỳ chọn `--nope`"), "{err}");
    assert!(err.contains("cách dùng: tiendo build"), "{err}");
    let err = stderr(&tiendo(&["build", "--nope", "--lang", "en"]));
    assert!(err.starts_with("error: `--nope` is not an option of this command"), "{err}");
    let o = tiendo(&["check", "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("không nhận giá trị `fr`; các giá trị được nhận: en, vi"), "{}", stderr(&o));
    // On an English site, English; --lang vi overrides the site.
    let site = fixture("small-en");
    let root = site.to_str().unwrap();
    assert!(stderr(&tiendo(&["check", "--root", root, "--frob"])).starts_with("error: "));
    assert_eq!(stdout(&tiendo(&["check", "--root", root])).trim(), "no errors, 2 warnings");
    let o = tiendo(&["check", "--root", root, "--lang", "vi"]);
    assert_eq!(stdout(&o).trim(), "không có lỗi, 2 cảnh báo");
    assert!(stderr(&o).starts_with("cảnh báo: data/reports/2025-09.yaml, dòng 7, cột 22: "), "{}", stderr(&o));
}

#[test]
fn a_folder_that_is_not_a_site_is_explained() {
    let dir = temp_dir("cli-not-a-site");
    // Without a site.yaml to say the language, messages are in Vietnamese; --lang en asks for English.
    let o = tiendo(&["check", "--root", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("lỗi: site.yaml: trang web không có tệp site.yaml"), "{}", stderr(&o));
    assert!(stderr(&o).contains("tiendo new THƯ-MỤC"), "{}", stderr(&o));
    assert!(stderr(&o).ends_with("2 lỗi: chưa ghi gì cả; trang web đang đăng vẫn giữ nguyên\n"), "{}", stderr(&o));
    let o = tiendo_en(&["check", "--root", dir.to_str().unwrap()]);
    assert!(stderr(&o).contains("error: site.yaml: the site has no site.yaml"), "{}", stderr(&o));
    assert!(stderr(&o).contains("tiendo new DIR"));

    let missing = dir.join("does-not-exist");
    let o = tiendo_en(&["build", "--root", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("this folder does not exist"), "{}", stderr(&o));
    assert!(!missing.exists(), "nothing is created for a failed build");
}

#[test]
fn build_defaults_to_root_public_and_reports_what_it_did() {
    let dir = temp_dir("cli-defaults");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo")).arg("build").current_dir(&site).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.join("public/index.html").is_file());
    assert!(
        // 21 pages of 2025, an embed page for each of the 4 localities, and 2024's home,
        // 3 indicators and 1 group (its localities' are in their pages' histories). The charts of 2025's places (the city,
        // 4 localities and 1 group, 3 indicators each) and the 3 rankings. A share image
        // for the home, each locality, indicator and group.
        stdout(&o).starts_with("built 30 pages, 21 charts and 9 share images for 4 localities from 5 reports in "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn new_writes_a_site_that_checks_and_builds_and_refuses_a_non_empty_folder() {
    let dir = temp_dir("cli-new").join("my-site");
    let o = tiendo(&["new", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let check = tiendo(&["check", "--root", dir.to_str().unwrap()]);
    assert!(
        check.status.success() && stderr(&check).is_empty(),
        "the new site must be valid and clean:\n{}",
        stderr(&check)
    );
    let out = dir.join("public");
    build(&dir, &out);
    assert!(out.join("localities/an-binh/index.html").is_file());
    assert!(out.join("updates/2025-09-ket-qua-thang-9/index.html").is_file());
    // The files teach the format in comments.
    assert!(read(dir.join("data/reports/2025-09.yaml")).contains("# Số liệu kỳ báo cáo"));
    // A second `new` into the same, now non-empty, folder writes nothing.
    let before = read(dir.join("site.yaml"));
    std::fs::write(dir.join("site.yaml"), "title: \"changed\"\n").unwrap();
    let again = tiendo(&["new", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("không trống; chưa ghi gì cả"), "{}", stderr(&again));
    assert_eq!(read(dir.join("site.yaml")), "title: \"changed\"\n");
    assert!(before.contains("Thành phố Mẫu"));
}

#[cfg(unix)]
#[test]
fn symlinked_inputs_are_read_and_broken_ones_named() {
    let dir = temp_dir("cli-symlinked-input");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let reports = site.join("data/reports");
    let count = |site: &std::path::Path| {
        let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", dir.join("out").to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).split(" from ").nth(1).and_then(|r| r.split(' ').next()).unwrap_or("").to_owned()
    };
    assert_eq!(count(&site), "5");
    // A report kept elsewhere in the site, linked into the reports folder, is read like
    // any other.
    let kept = site.join("kept");
    std::fs::create_dir_all(&kept).unwrap();
    let october = read(reports.join("2025-09.yaml")).replace("as_of: 2025-09-30", "as_of: 2025-10-31");
    std::fs::write(kept.join("2025-10.yaml"), october).unwrap();
    std::os::unix::fs::symlink(kept.join("2025-10.yaml"), reports.join("2025-10.yaml")).unwrap();
    assert_eq!(count(&site), "6");
    // A link to nothing, and a link that loops, are errors that name them.
    std::os::unix::fs::symlink(dir.join("gone.yaml"), reports.join("2025-11.yaml")).unwrap();
    std::os::unix::fs::symlink(&reports, reports.join("again")).unwrap();
    let o = tiendo(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("error: data/reports/2025-11.yaml: this is a link to "), "{err}");
    assert!(err.contains("gone.yaml, which does not exist"), "{err}");
    assert!(err.contains("error: data/reports/again: this link leads back into a folder that holds it"), "{err}");
}

#[test]
fn links_out_of_the_site_are_refused_and_nothing_they_reach_is_published() {
    let dir = temp_dir("cli-link-outside");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    // A theme received from elsewhere whose assets folder holds a link to private files.
    let private = dir.join("home/.ssh");
    std::fs::create_dir_all(&private).unwrap();
    std::fs::write(private.join("id_ed25519"), "PRIVATE KEY").unwrap();
    std::fs::create_dir_all(site.join("templates/assets")).unwrap();
    std::os::unix::fs::symlink(&private, site.join("templates/assets/x")).unwrap();
    // And a report linked from outside the site.
    let elsewhere = dir.join("2025-10.yaml");
    let october = read(site.join("data/reports/2025-09.yaml")).replace("as_of: 2025-09-30", "as_of: 2025-10-31");
    std::fs::write(&elsewhere, october).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join("data/reports/2025-10.yaml")).unwrap();
    let out = dir.join("out");
    let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    let real = |p: &std::path::Path| p.canonicalize().unwrap().display().to_string();
    assert!(
        err.contains(&format!(
            "error: templates/assets/x: this is a link to {}, outside the site's folder",
            real(&private)
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("error: data/reports/2025-10.yaml: this is a link to {}", real(&elsewhere))),
        "{err}"
    );
    assert!(!out.exists(), "nothing published");
    // Without them, the site builds, and nothing of the private folder is in it.
    std::fs::remove_file(site.join("data/reports/2025-10.yaml")).unwrap();
    let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "the theme's link still refused");
    std::fs::remove_file(site.join("templates/assets/x")).unwrap();
    let o = tiendo_en(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(files(&out).iter().all(|f| !f.contains("id_ed25519")));
}

#[test]
fn a_site_too_large_is_refused_plainly() {
    let dir = temp_dir("cli-too-many");
    let site = dir.join("site");
    copy_dir(&fixture("invalid/_base"), &site, &[]);
    let mut list = String::from("city: { id: mau, name: \"Thành phố Mẫu\" }\nlocalities:\n");
    for k in 0..100_001 {
        list.push_str(&format!("  - {{ id: x{k}, name: \"X {k}\", kind: ward }}\n"));
    }
    std::fs::write(site.join("data/localities.yaml"), list).unwrap();
    let o = tiendo_en(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("error: data/localities.yaml:3:3: the file lists 100001 localities"), "{err}");
    assert!(err.contains("a site can have at most 100000 localities"), "{err}");
    assert!(!err.contains("anchors"), "{err}");
    // The site's language is Vietnamese: so are its messages.
    let err = stderr(&tiendo(&["check", "--root", site.to_str().unwrap()]));
    assert!(err.contains("lỗi: data/localities.yaml, dòng 3, cột 3: tệp liệt kê 100001 phường, xã"), "{err}");
    assert!(err.ends_with("\n1 lỗi: chưa ghi gì cả; trang web đang đăng vẫn giữ nguyên\n"), "{err}");
}

#[test]
fn escape_sequences_in_input_files_reach_the_terminal_escaped() {
    let dir = temp_dir("cli-escapes");
    let site = dir.join("site");
    copy_dir(&fixture("invalid/_base"), &site, &[]);
    // A crafted id that would clear the screen and print a fake all-clear.
    std::fs::write(
        site.join("data/reports/2025-09.yaml"),
        "as_of: 2025-09-30\nfigures:\n  \"\x1b[2J\x1b[Hno errors\x1b[8m\": { voluntary-si: 1 }\n",
    )
    .unwrap();
    let o = tiendo(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(!err.contains('\x1b'), "{err:?}");
    assert!(err.contains("\\u{1b}[2J\\u{1b}[Hno errors"), "{err}");
}

#[test]
fn timings_say_which_files_the_fast_scanner_left_to_the_parser_and_why() {
    let dir = temp_dir("cli-timings");
    let site = dir.join("site");
    copy_dir(&fixture("small-en"), &site, &[]);
    let reports = site.join("data/reports");
    // Saved on Windows: still the fast scanner's.
    let june = reports.join("2025-06.yaml");
    std::fs::write(&june, read(&june).replace('\n', "\r\n")).unwrap();
    // A block map: the parser's.
    std::fs::write(
        reports.join("2025-09.yaml"),
        read(reports.join("2025-09.yaml"))
            .replacen("figures:\n", "figures:\n  lone:\n    enrolment: 120\n", 1)
            .replacen("  lone: {", "  # lone: {", 1),
    )
    .unwrap();
    let out = dir.join("out");
    let o = tiendo(&["build", "--root", site.to_str().unwrap(), "--output", out.to_str().unwrap(), "--timings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = stdout(&o);
    let slow: Vec<&str> = printed.lines().filter(|l| l.starts_with("read by the YAML parser")).collect();
    assert_eq!(
        slow,
        [
            "read by the YAML parser, not the fast scanner: data/reports/2025-09.yaml (line 4 is not written `id: { key: number, … }` on one line)"
        ],
        "{printed}"
    );
}
