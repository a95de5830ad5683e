//! The build benchmark: `cargo bench --bench build`.
//!
//! Generates a national site deterministically from the real list of Vietnam's 3,321
//! wards and communes (`../shared/data/vn-divisions-2025.json`): three indicators,
//! monthly reports for two full years (2024 and 2025, so 2024 is published as an earlier
//! year under `years/2024/`), targets for each year, some commentary and bulletins. It
//! checks the site with `tiendo check`, then builds it and the Cần Thơ sample with the
//! release binary, cold (no previous output), warm (rebuilding over the previous output)
//! and uncached (the earlier years rendered again), and the national site once more as
//! its month's build (the latest report added to the site built without it), printing
//! wall time, pages and charts per second and peak memory. With Hugo installed it also times Hugo on the plain corpus of
//! `../shared/tools/hugo-baseline` with as many pages as the national site has,
//! alternating the two (equal work). It also times the rebuilds
//! `tiendo serve` makes after an edit: to one locality's commentary (that page alone is
//! rendered) and to one figure of the latest report (everything is rebuilt). And it times
//! broken inputs of growing size through `check` and `import`, which must stay linear.
//!
//! Options (after `--`):
//!   --growth              also time 100, 1,000, 3,321 and 10,000 units and 12, 36, 120 months
//!   --pairs N             Hugo pairs (default 5)
//!   --out DIR             where to work (default /dev/shm/tiendo-bench, else the temp folder)
//!   --generate DIR        only write a national site into DIR (with --units N --months M,
//!                         and --no-boundaries for a site without outlines and maps)
//!   --import              only time the import of the national sheet from one .xlsx
//!   --maps                only time what the maps add to the national build

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const TIENDO: &str = env!("CARGO_BIN_EXE_tiendo");
/// The national site's reports: two full years, the current one and an earlier one.
const MONTHS: usize = 24;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let divisions = repo.join("../shared/data/vn-divisions-2025.json");
    let units = read_units(&divisions);

    if let Some(dir) = value("--generate") {
        let n = value("--units").and_then(|v| v.parse().ok()).unwrap_or(units.len());
        let months = value("--months").and_then(|v| v.parse().ok()).unwrap_or(MONTHS);
        generate(Path::new(&dir), &units, n, months, !args.iter().any(|a| a == "--no-boundaries"));
        println!("wrote a site with {n} units and {months} monthly reports into {dir}");
        return;
    }

    let work = value("--out").map(PathBuf::from).unwrap_or_else(|| {
        let shm = Path::new("/dev/shm");
        if shm.is_dir() { shm.join("tiendo-bench") } else { std::env::temp_dir().join("tiendo-bench") }
    });
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).expect("a folder to work in");
    println!("tiendo build benchmark: {} (output in {})", machine(), work.display());
    println!();

    let national = work.join("national");
    generate(&national, &units, units.len(), MONTHS, true);
    if args.iter().any(|a| a == "--maps") {
        what_maps_add(&work, &national, &units);
        let _ = fs::remove_dir_all(&work);
        return;
    }
    if args.iter().any(|a| a == "--import") {
        national_workbook(&work, &national, &units);
        return;
    }
    let check =
        Command::new(TIENDO).args(["check", "--root", national.to_str().unwrap()]).output().expect("tiendo runs");
    assert!(
        check.status.success() && check.stderr.is_empty(),
        "the generated site must check clean:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    println!(
        "national site: {} units, 3 indicators, {MONTHS} monthly reports; `tiendo check`: no errors, no warnings",
        units.len()
    );
    println!();

    println!(
        "{:<28} {:>10} {:>7} {:>8} {:>9} {:>10} {:>9}",
        "site", "run", "wall s", "pages", "pages/s", "charts/s", "peak MiB"
    );
    // "cold": no output and no cache, so every share image is drawn; "warm": over the
    // previous output, the earlier years' pages and the pictures taken from the cache the
    // cold build made; "uncached": over the previous output, the earlier years' pages
    // no longer kept, so they are rendered (the pictures still are).
    let mut drawing = Vec::new();
    let mut months = Vec::new();
    // What the national site writes: Hugo builds as many pages.
    let mut national_pages = 0;
    // The sample is built from a copy: its month's build moves its latest report aside.
    let sample = work.join("sample-site");
    let _ = fs::remove_dir_all(&sample);
    for entry in ["site.yaml", "data", "content", "templates"] {
        copy_tree(&repo.join(entry), &sample.join(entry));
    }
    for (name, root) in [("Cần Thơ sample (103)", sample.clone()), ("national (3,321)", national.clone())] {
        let out = work.join(format!("out-{}", if root == sample { "sample" } else { "national" }));
        let cache = root.join(".tiendo-cache");
        let _ = fs::remove_dir_all(&out);
        let _ = fs::remove_dir_all(&cache);
        let cold = run_build(&root, &out);
        let warm: Vec<Run> = (0..3).map(|_| run_build(&root, &out)).collect();
        let warm = median_run(warm);
        let uncached: Vec<Run> = (0..3)
            .map(|_| {
                let _ = fs::remove_dir_all(cache.join("years"));
                run_build(&root, &out)
            })
            .collect();
        let uncached = median_run(uncached);
        drawing.push((name, cold.images, cold.seconds, warm.seconds));
        if root == national {
            national_pages = warm.pages;
        }
        let warm_seconds = warm.seconds;
        let mut runs = vec![("cold", cold), ("warm", warm), ("uncached", uncached)];
        // The month's build: over the site built without the latest report, with the
        // cache that build left, the report added.
        let month = new_report(&root, &out);
        months.push((name, month.seconds, warm_seconds, output_size(&out)));
        runs.push(("new report", month));
        for (label, r) in &runs {
            println!(
                "{:<28} {:>10} {:>7.3} {:>8} {:>9.0} {:>10.0} {:>9.1}",
                name,
                label,
                r.seconds,
                r.pages,
                r.pages as f64 / r.seconds,
                r.charts as f64 / r.seconds,
                r.peak_kib as f64 / 1024.0
            );
        }
    }
    println!();
    // What drawing every share image costs: a cold build's time over a warm one's.
    for (name, images, cold, warm) in drawing {
        let extra = (cold - warm).max(f64::EPSILON);
        println!(
            "{name}: {images} share images, drawn in a cold build in about {extra:.2} s more than a warm one: {:.0} images/s on all cores",
            images as f64 / extra
        );
    }
    println!();
    // What a month costs those who publish: its build against a warm one, and what there
    // is to upload.
    for (name, month, warm, (files, bytes, largest, largest_bytes)) in months {
        println!(
            "{name}: the month's build {month:.2} s, a warm build {warm:.2} s: {:.1}×; output {files} files, {:.1} MB, largest {largest} ({:.1} MB)",
            month / warm,
            bytes as f64 / 1e6,
            largest_bytes as f64 / 1e6
        );
    }
    println!();
    hugo_pairs(&work, &national, national_pages, value("--pairs").and_then(|v| v.parse().ok()).unwrap_or(5));
    what_maps_add(&work, &national, &units);
    if args.iter().any(|a| a == "--growth") {
        growth(&work, &units);
    }
    broken_inputs(&work, &repo);
    national_workbook(&work, &national, &units);
    // Last: these builds run in this process, and on Linux a child started after them
    // would report this process's peak memory as its own (exec keeps the larger).
    serve_edits(&work, &[("Cần Thơ sample (103)", &repo), ("national (3,321)", &national)]);
    let _ = fs::remove_dir_all(&work);
}

/// What the maps add to a national build: the national site with its outlines and the
/// same site without them, warm builds alternated (A B A B …), medians.
fn what_maps_add(work: &Path, national: &Path, units: &[Unit]) {
    let plain = work.join("national-without-maps");
    generate(&plain, units, units.len(), MONTHS, false);
    let (with_out, without_out) = (work.join("maps-with"), work.join("maps-without"));
    let _ = (run_build(national, &with_out), run_build(&plain, &without_out));
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        with.push(run_build(national, &with_out).seconds);
        without.push(run_build(&plain, &without_out).seconds);
    }
    let size = |dir: &Path, page: &str| fs::metadata(dir.join(page)).map_or(0, |m| m.len());
    let (a, b) = (median(with), median(without));
    println!(
        "maps (national, vn-wards-2025.topojson, 7 alternated warm builds): {a:.3} s with, {b:.3} s without: +{:.0} %",
        (a / b - 1.0) * 100.0
    );
    for page in ["index.html", "groups/thanh-pho-ho-chi-minh/index.html", "localities/ba-dinh-4/index.html"] {
        println!("  {page}: {} bytes with maps, {} without", size(&with_out, page), size(&without_out, page));
    }
    println!();
    let _ = fs::remove_dir_all(&plain);
}

/// What each unit was formed from, by code (`../shared/data/vn-lineage-2025.json`; none
/// where that file is missing).
fn lineage() -> std::collections::HashMap<u64, Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/vn-lineage-2025.json");
    let Ok(text) = fs::read_to_string(path) else { return Default::default() };
    let data: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    data.as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| {
            let code = u["code"].as_str()?.parse().ok()?;
            let names = u["formed_from"].as_array()?.iter().filter_map(|n| Some(n.as_str()?.to_owned())).collect();
            Some((code, names))
        })
        .collect()
}

/// One unit of the national list.
struct Unit {
    id: String,
    name: String,
    kind: &'static str,
    code: u64,
    province: String,
}

fn read_units(path: &Path) -> Vec<Unit> {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (the benchmark needs ../shared beside the repository)", path.display()));
    let data: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let mut units = Vec::new();
    for province in data.as_array().expect("a list of provinces") {
        let province_name = province["name"].as_str().unwrap_or_default().to_owned();
        for w in province["wards"].as_array().into_iter().flatten() {
            let code = w["code"].as_u64().unwrap_or_default();
            let short = w["short_codename"].as_str().unwrap_or_default().replace('_', "-");
            let kind = match w["division_type"].as_str().unwrap_or_default() {
                "phường" => "ward",
                "đặc khu" => "special-zone",
                _ => "commune",
            };
            // short_codename repeats across provinces, and even province + name collides
            // (Văn Lăng, Văn Lang): the code makes every id unique.
            units.push(Unit {
                id: format!("{short}-{code}"),
                name: w["name"].as_str().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" "),
                kind,
                code,
                province: province_name.clone(),
            });
        }
    }
    units
}

/// A small deterministic generator, so every run builds the same site.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// Writes a site of `n` units (cycling through the national list beyond 3,321) with
/// `months` monthly reports from January 2024.
fn generate(dir: &Path, units: &[Unit], n: usize, months: usize, boundaries: bool) {
    let _ = fs::remove_dir_all(dir);
    for sub in ["data/targets", "data/reports", "content/localities", "content/updates"] {
        fs::create_dir_all(dir.join(sub)).expect("can write the site");
    }
    let mut settings = String::from(
        "title: \"Tiến độ BHXH và BHYT toàn quốc (dữ liệu thử)\"\nlanguage: vi\nnotice: \"Dữ liệu thử cho phép đo tốc độ.\"\n",
    );
    // The outlines of every unit, for the maps, unless the site is to have none.
    let outlines = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/boundaries/vn-wards-2025.topojson");
    if boundaries && outlines.is_file() {
        fs::create_dir_all(dir.join("data")).expect("can write the site");
        // One outline carries an older code than the national list (Xã Ba Chẽ, 06978 for
        // 6970): an office would correct it once, and so does the benchmark, so that the
        // site checks clean.
        let text = fs::read_to_string(&outlines).expect("can read the outlines");
        let text = text.replace(r#""code":"06978","name":"Xã Ba Chẽ""#, r#""code":"06970","name":"Xã Ba Chẽ""#);
        fs::write(dir.join("data/boundaries.topojson"), text).expect("can write the outlines");
        settings.push_str(
            "boundaries_source: \"Ranh giới: thanglequoc/vietnamese-provinces-database (giấy phép MIT), theo sapnhap.bando.com.vn; dữ liệu thử.\"\n",
        );
    }
    write(dir, "site.yaml", &settings);
    write(
        dir,
        "data/indicators.yaml",
        "- { id: voluntary-si, name: \"Người tham gia BHXH tự nguyện\", short: \"BHXH tự nguyện\", unit: \"người\", kind: count }\n\
         - { id: health-insurance, name: \"Tỷ lệ dân số tham gia BHYT\", short: \"BHYT\", unit: \"người\", kind: coverage, base: \"dân số\" }\n\
         - { id: collaborators, name: \"Cộng tác viên được tập huấn\", short: \"Cộng tác viên\", unit: \"người\", kind: count }\n",
    );
    let picked: Vec<(String, String, &Unit)> = (0..n)
        .map(|i| {
            let u = &units[i % units.len()];
            let copy = i / units.len();
            if copy == 0 {
                (u.id.clone(), u.name.clone(), u)
            } else {
                (format!("{}-b{copy}", u.id), format!("{} ({})", u.name, copy + 1), u)
            }
        })
        .collect();
    let mut loc = String::from("city: { id: viet-nam, name: \"Việt Nam\" }\nlocalities:\n");
    let lineage = lineage();
    for (i, (id, name, u)) in picked.iter().enumerate() {
        let code = u.code + (i / units.len()) as u64 * 100_000;
        // What the unit was formed from, as `scripts/formed-from.py` writes it.
        let formed_from = match lineage.get(&code) {
            Some(names) if !names.is_empty() => {
                let quoted: Vec<String> =
                    names.iter().map(|n| format!("\"{}\"", n.replace('\\', "\\\\").replace('"', "\\\""))).collect();
                format!(", formed_from: [{}]", quoted.join(", "))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            loc,
            "  - {{ id: {id}, name: \"{name}\", kind: {}, code: {code}, group: \"{}\"{formed_from} }}",
            u.kind, u.province
        );
    }
    write(dir, "data/localities.yaml", &loc);

    // Per unit: a population, yearly targets, and steadily rising figures.
    struct Plan {
        base: u64,
        vol: [u64; 2],
        trained: [u64; 2],
    }
    let plans: Vec<Plan> = (0..n)
        .map(|i| {
            let mut r = Rng(0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1));
            let base = r.range(8_000, 60_000);
            Plan { base, vol: [r.range(300, 1_500), r.range(400, 1_800)], trained: [r.range(10, 60), r.range(15, 80)] }
        })
        .collect();
    let years: Vec<i32> =
        (0..months).map(|m| 2024 + (m / 12) as i32).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    for (k, year) in years.iter().enumerate() {
        let mut t = format!("year: {year}\ntargets:\n");
        for ((id, _, _), p) in picked.iter().zip(&plans) {
            let j = k.min(1);
            let _ = writeln!(
                t,
                "  {id}: {{ voluntary-si: {}, health-insurance: {{ rate: 9{}.0, base: {} }}, collaborators: {} }}",
                p.vol[j] + k as u64 * 50,
                3 + j,
                p.base,
                p.trained[j] + k as u64 * 5
            );
        }
        write(dir, &format!("data/targets/{year}.yaml"), &t);
    }
    for m in 0..months {
        let year = 2024 + (m / 12) as i32;
        let month = (m % 12) as u32 + 1;
        let day = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1]
            + u32::from(month == 2 && year % 4 == 0);
        let mut r = format!(
            "as_of: {year}-{month:02}-{day}\nsource: \"Báo cáo tháng {month}/{year} (dữ liệu thử)\"\nfigures:\n"
        );
        let progress = (m + 1) as u64;
        for (i, ((id, _, _), p)) in picked.iter().zip(&plans).enumerate() {
            // One unit in a hundred misses one month, never the latest.
            if i % 100 == 7 && m == (i / 100) % months.max(1) && m + 1 < months {
                continue;
            }
            let vol = p.vol[0] * 2 / 5 + p.vol[1] * progress / 36;
            let insured = p.base * 80 / 100 + p.base * progress / 600;
            let trained = p.trained[0] / 3 + p.trained[1] * progress / 40;
            let _ = writeln!(
                r,
                "  {id}: {{ voluntary-si: {vol}, health-insurance: {}, collaborators: {trained} }}",
                insured.min(p.base)
            );
        }
        write(dir, &format!("data/reports/{year}-{month:02}.yaml"), &r);
        let _ = fs::write(
            dir.join(format!("content/updates/{year}-{month:02}.md")),
            format!(
                "---\ntitle: \"Kết quả tháng {month}/{year}\"\ndate: {year}-{month:02}-{day}\n---\n\nBản tin thử của tháng {month}/{year}.\n"
            ),
        );
    }
    write(dir, "content/index.md", "Trang thử với toàn bộ phường, xã, đặc khu của cả nước.\n");
    for (id, name, _) in picked.iter().step_by(10) {
        write(
            dir,
            &format!("content/localities/{id}.md"),
            &format!(
                "{name} tổ chức hội nghị đối thoại và lập **nhóm Zalo** ở từng ấp.\n\n- Mỗi ấp một cộng tác viên.\n- Tuyên truyền đến từng hộ.\n"
            ),
        );
    }
}

fn write(dir: &Path, rel: &str, text: &str) {
    fs::write(dir.join(rel), text).unwrap_or_else(|e| panic!("{rel}: {e}"));
}

/// A build of one site: wall time, what it wrote, and its peak memory.
#[derive(Clone, Copy)]
struct Run {
    seconds: f64,
    pages: u64,
    charts: u64,
    images: u64,
    peak_kib: u64,
}

/// A build after the latest report of `root` arrives: built once without it, then timed
/// with it, over that output and with the cache that build left. Every picture that
/// shows the new figures or date is drawn.
/// The files under `dir`, their bytes, and the largest one and its bytes.
fn output_size(dir: &Path) -> (usize, u64, String, u64) {
    let (mut files, mut bytes, mut largest) = (0, 0, (String::new(), 0));
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                files += 1;
                bytes += meta.len();
                if meta.len() > largest.1 {
                    let rel = entry.path().strip_prefix(dir).map(|p| p.display().to_string()).unwrap_or_default();
                    largest = (rel, meta.len());
                }
            }
        }
    }
    (files, bytes, largest.0, largest.1)
}

/// Copies the folder (or file) `from` to `to`.
fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).expect("a folder of the copy");
        for entry in fs::read_dir(from).expect("the folder").flatten() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).expect("the folder of the copy");
        }
        fs::copy(from, to).expect("a file of the copy");
    }
}

fn new_report(root: &Path, out: &Path) -> Run {
    let reports = root.join("data/reports");
    let mut names: Vec<PathBuf> =
        fs::read_dir(&reports).expect("the reports").map(|e| e.expect("a report").path()).collect();
    names.sort();
    let latest = names.pop().expect("a report");
    let aside = root.join("latest-report.yaml.aside");
    fs::rename(&latest, &aside).expect("the latest report set aside");
    run_build(root, out);
    fs::rename(&aside, &latest).expect("the latest report put back");
    run_build(root, out)
}

/// One run of the release binary: wall seconds, exit status, peak memory in KiB, and
/// what it printed on standard output.
// The child is reaped by wait4 in `wait_with_peak`, which std's `wait` cannot replace
// because it does not report the child's memory.
#[allow(clippy::zombie_processes)]
fn run_tiendo(args: &[&str]) -> (f64, i32, u64, String) {
    let started = Instant::now();
    let mut child =
        Command::new(TIENDO).args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("tiendo runs");
    // Read to the end first: the child exits only once its output is taken.
    let mut stdout = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        use std::io::Read;
        let _ = pipe.read_to_string(&mut stdout);
    }
    let (status, peak_kib) = wait_with_peak(child.id());
    (started.elapsed().as_secs_f64(), status, peak_kib, stdout)
}

fn run_build(root: &Path, out: &Path) -> Run {
    let (seconds, status, peak_kib, stdout) =
        run_tiendo(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--lang", "en"]);
    assert!(status == 0, "build of {} failed", root.display());
    // "built N pages, M charts and K share images for …", in English whatever the site's
    // language.
    let number_after = |word: &str| {
        stdout
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .find(|w| w[1] == word)
            .and_then(|w| w[0].parse().ok())
            .unwrap_or(0)
    };
    Run {
        seconds,
        pages: number_after("pages,"),
        charts: number_after("charts"),
        images: number_after("share"),
        peak_kib,
    }
}

/// Waits for a child and returns its exit status and peak resident memory in KiB.
fn wait_with_peak(pid: u32) -> (i32, u64) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of a plain C struct, and wait4 writes
    // into our two locals only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(r > 0, "wait4 failed");
    (if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 }, usage.ru_maxrss as u64)
}

fn median_run(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    runs[runs.len() / 2]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[allow(clippy::zombie_processes)] // reaped by wait4, as in `run_build`
/// tiendo and Hugo alternately (A B A B …) on equal work: Hugo builds as many plain
/// pages as the national site has (`pages`), each into an empty folder; the median of
/// the per-pair ratios, which is steadier than absolute times on a shared machine, and
/// each one's pages a second.
fn hugo_pairs(work: &Path, national: &Path, pages: u64, pairs: usize) {
    let hugo_ok = Command::new("hugo")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let corpus_script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/hugo-baseline/gen_corpus.py");
    if !hugo_ok || !corpus_script.is_file() {
        println!(
            "Hugo comparison skipped: install Hugo (apt-get install hugo) and keep ../shared beside the repository."
        );
        return;
    }
    let plain = work.join("plain");
    let made = Command::new("python3")
        .args([corpus_script.to_str().unwrap(), &pages.to_string(), plain.to_str().unwrap()])
        .stdout(Stdio::null())
        .status();
    if !made.is_ok_and(|s| s.success()) {
        println!("Hugo comparison skipped: the plain corpus could not be generated (python3).");
        return;
    }
    let hugo_out = work.join("hugo-out");
    let ours = work.join("out-pairs");
    let (mut ratios, mut uncached_ratios, mut hugo_times) = (Vec::new(), Vec::new(), Vec::new());
    println!(
        "{:>5} {:>10} {:>10} {:>9} {:>7} {:>9} {:>10} {:>10}",
        "pair", "tiendo s", "uncached s", "Hugo s", "ratio", "uncached", "tiendo MiB", "Hugo MiB"
    );
    // All start from an empty output folder, removed before the clock starts; tiendo
    // once with the earlier years' pages and the share images kept from the build before
    // (a monthly build), once with the earlier years rendered again (the first build of a
    // year, or after an upgrade). The share images are kept in both: an empty cache is
    // timed once, after the pairs.
    let cache = national.join(".tiendo-cache");
    for pair in 1..=pairs {
        let _ = fs::remove_dir_all(&ours);
        let _ = fs::remove_dir_all(cache.join("years"));
        let u = run_build(national, &ours);
        let _ = fs::remove_dir_all(&ours);
        let t = run_build(national, &ours);
        let _ = fs::remove_dir_all(&hugo_out);
        let started = Instant::now();
        let child = Command::new("hugo")
            .args(["--quiet", "-s", plain.join("hugo").to_str().unwrap(), "-d", hugo_out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("hugo runs");
        let (_, hugo_kib) = wait_with_peak(child.id());
        let h = started.elapsed().as_secs_f64();
        ratios.push(t.seconds / h);
        uncached_ratios.push(u.seconds / h);
        hugo_times.push(h);
        println!(
            "{pair:>5} {:>10.3} {:>10.3} {h:>9.3} {:>7.2} {:>9.2} {:>10.1} {:>10.1}",
            t.seconds,
            u.seconds,
            t.seconds / h,
            u.seconds / h,
            t.peak_kib.max(u.peak_kib) as f64 / 1024.0,
            hugo_kib as f64 / 1024.0
        );
    }
    let hugo = median(hugo_times);
    let (ratio, uncached_ratio) = (median(ratios), median(uncached_ratios));
    println!(
        "on equal work ({pages} pages each): median ratio tiendo / Hugo {ratio:.2}, with the earlier years rendered {uncached_ratio:.2}; \
         Hugo {:.0} pages/s, tiendo {:.0} pages/s ({:.0} with the earlier years rendered)",
        pages as f64 / hugo,
        pages as f64 / (hugo * ratio),
        pages as f64 / (hugo * uncached_ratio)
    );
    // Once with nothing kept: every picture drawn, every earlier year rendered.
    let _ = fs::remove_dir_all(&ours);
    let _ = fs::remove_dir_all(&cache);
    let empty = run_build(national, &ours);
    println!(
        "national build with an empty cache: {:.2} s ({} share images drawn), {:.1} × Hugo's median {hugo:.3} s",
        empty.seconds,
        empty.images,
        empty.seconds / hugo
    );
    println!();
}

/// Times the rebuilds `serve` makes (through the same `Session`) after editing a
/// locality's commentary and after editing one figure, on a copy of each site.
fn serve_edits(work: &Path, sites: &[(&str, &Path)]) {
    println!("{:<28} {:<22} {:>10} {:>8}", "site", "edit (serve)", "rebuild s", "pages");
    for (k, (name, root)) in sites.iter().enumerate() {
        let site = work.join(format!("serve-site-{k}"));
        let _ = fs::remove_dir_all(&site);
        fs::create_dir_all(&site).expect("a folder");
        for part in ["site.yaml", "data", "content", "templates"] {
            copy(&root.join(part), &site.join(part));
        }
        let mut session = tiendo::Session::new(tiendo::BuildOptions {
            root: site.clone(),
            output: work.join(format!("serve-out-{k}")),
            base_url: None,
        });
        session.rebuild(true).expect("the site builds");
        let commentary = first_file(&site.join("content/localities"), "md");
        let report = last_file(&site.join("data/reports"), "yaml");
        for (edit, path) in [("locality commentary", &commentary), ("one figure", &report)] {
            let runs: Vec<(f64, usize)> = (1..=5)
                .map(|n| {
                    let text = fs::read_to_string(path).expect("readable");
                    let edited = if edit == "one figure" {
                        bump_first_figure(&text, if n % 2 == 1 { 1 } else { -1 })
                    } else {
                        format!("{text}\nEdit {n}.\n")
                    };
                    fs::write(path, edited).expect("writable");
                    let started = Instant::now();
                    let summary = session.rebuild(false).expect("the edited site builds");
                    (started.elapsed().as_secs_f64(), summary.pages)
                })
                .collect();
            let seconds = median(runs.iter().map(|r| r.0).collect());
            println!("{:<28} {:<22} {:>10.3} {:>8}", name, edit, seconds, runs[0].1);
        }
    }
    println!();
}

/// How `check` and `import` grow with the size of a broken input, which must stay linear
/// and end with a short list: a report of 1 to 10 MB naming only unknown units, through
/// `check`; a spreadsheet of 1 to 10 MB, and one of 1,000,000 rows, of unknown units,
/// through `import`.
fn broken_inputs(work: &Path, repo: &Path) {
    let site = work.join("broken-site");
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(&site).expect("a folder");
    for part in ["site.yaml", "data", "content"] {
        copy(&repo.join(part), &site.join(part));
    }
    let report = site.join("data/reports/2025-10.yaml");
    println!(
        "{:<36} {:>10} {:>8} {:>12} {:>9}",
        "broken input (Cần Thơ sample)", "size", "wall s", "s per MB", "peak MiB"
    );
    for mb in [1, 2, 4, 10] {
        let mut text = String::from("as_of: 2025-10-31\nfigures:\n");
        let mut k = 0;
        while text.len() < mb * 1_000_000 {
            let _ = writeln!(
                text,
                "  no-such-unit-{k}: {{ voluntary-si: {}, health-insurance: {} }}",
                k % 2000,
                k % 50_000
            );
            k += 1;
        }
        write(&site, "data/reports/2025-10.yaml", &text);
        let (seconds, status, peak, _) = run_tiendo(&["check", "--root", site.to_str().unwrap()]);
        assert_eq!(status, 1, "a report of unknown units is an error");
        println!(
            "{:<36} {:>7} MB {:>8.3} {:>12.3} {:>9.1}",
            format!("check: report, {k} unknown units"),
            mb,
            seconds,
            seconds / mb as f64,
            peak as f64 / 1024.0
        );
    }
    let _ = fs::remove_file(&report);
    let csv = work.join("broken.csv");
    // Sheets of 1, 2, 4 and 10 MB, then one of a million rows.
    for (mb, rows) in [(1, usize::MAX), (2, usize::MAX), (4, usize::MAX), (10, usize::MAX), (usize::MAX, 1_000_000)] {
        let mut text = String::from("Đơn vị;voluntary-si;health-insurance\n");
        let mut k = 0;
        while k < rows && text.len() < mb.saturating_mul(1_000_000) {
            let _ = writeln!(text, "Phường Không Có {k};{};{}", k % 2000, k % 50_000);
            k += 1;
        }
        fs::write(&csv, &text).expect("writable");
        let (seconds, status, peak, _) =
            run_tiendo(&["import", csv.to_str().unwrap(), "--as-of", "2025-10-31", "--root", site.to_str().unwrap()]);
        assert_eq!(status, 1, "a sheet of unknown units is an error");
        let mb = text.len() as f64 / 1e6;
        println!(
            "{:<36} {:>7.1} MB {:>8.3} {:>12.3} {:>9.1}",
            format!("import: {k} rows"),
            mb,
            seconds,
            seconds / mb,
            peak as f64 / 1024.0
        );
    }
    let _ = fs::remove_file(&csv);
    let _ = fs::remove_dir_all(&site);
    println!();
}

/// `tiendo import` of the national site's monthly sheet as an office sends it: one
/// `.xlsx` with a title row, the headings, a row per unit (STT, name, code, province and
/// the three indicators) and the national total.
fn national_workbook(work: &Path, national: &Path, units: &[Unit]) {
    let site = work.join("import-site");
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(&site).expect("a folder");
    for part in ["site.yaml", "data"] {
        copy(&national.join(part), &site.join(part));
    }
    let mut rows: Vec<Vec<XCell>> = vec![
        vec![XCell::Text("BÁO CÁO KẾT QUẢ THÁNG 11/2025 (dữ liệu thử)".into())],
        vec![
            XCell::Text("STT".into()),
            XCell::Text("Tên đơn vị".into()),
            XCell::Text("Mã".into()),
            XCell::Text("Tỉnh, thành phố".into()),
            XCell::Text("BHXH tự nguyện".into()),
            XCell::Text("BHYT".into()),
            XCell::Text("Cộng tác viên".into()),
        ],
    ];
    let mut totals = [0u64; 3];
    for (k, u) in units.iter().enumerate() {
        let figures = [500 + (k as u64 * 37) % 900, 20_000 + (k as u64 * 131) % 9000, 5 + (k as u64 % 40)];
        for (t, f) in totals.iter_mut().zip(figures) {
            *t += f;
        }
        let mut row = vec![
            XCell::Number((k + 1) as u64),
            XCell::Text(u.name.clone()),
            XCell::Number(u.code),
            XCell::Text(u.province.clone()),
        ];
        row.extend(figures.map(XCell::Number));
        rows.push(row);
    }
    let mut total = vec![XCell::Empty, XCell::Text("Tổng cộng".into()), XCell::Empty, XCell::Empty];
    total.extend(totals.map(XCell::Number));
    rows.push(total);
    let book = work.join("national.xlsx");
    write_xlsx(&book, &rows);
    let size = fs::metadata(&book).map_or(0, |m| m.len());
    let mut runs = Vec::new();
    for _ in 0..3 {
        let (seconds, status, peak, out) = run_tiendo(&[
            "import",
            book.to_str().unwrap(),
            "--as-of",
            "2025-11-30",
            "--root",
            site.to_str().unwrap(),
            "--force",
        ]);
        assert_eq!(status, 0, "the national sheet imports:\n{out}");
        runs.push((seconds, peak));
    }
    let seconds = median(runs.iter().map(|r| r.0).collect());
    let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
    println!(
        "import of the national sheet: {} units from one .xlsx ({} KB), median of 3: {seconds:.3} s, peak {:.1} MiB",
        units.len(),
        size / 1024,
        peak as f64 / 1024.0
    );
    println!();
}

/// A cell of the benchmark's workbook.
enum XCell {
    Empty,
    Text(String),
    Number(u64),
}

/// A one-sheet `.xlsx` with inline strings, stored uncompressed: enough for a reader.
fn write_xlsx(path: &Path, rows: &[Vec<XCell>]) {
    use std::io::Write as _;
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut sheet = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    for (r, row) in rows.iter().enumerate() {
        let _ = write!(sheet, "<row r=\"{}\">", r + 1);
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            match cell {
                XCell::Empty => {}
                XCell::Text(t) => {
                    let _ = write!(sheet, "<c r=\"{at}\" t=\"inlineStr\"><is><t>{}</t></is></c>", escape(t));
                }
                XCell::Number(n) => {
                    let _ = write!(sheet, "<c r=\"{at}\"><v>{n}</v></c>");
                }
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_owned(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_owned(),
        ),
        (
            "xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"T11\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_owned(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let file = fs::File::create(path).expect("a workbook to write");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).expect("a part of the workbook");
        zip.write_all(text.as_bytes()).expect("written");
    }
    zip.finish().expect("the workbook is written");
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).expect("a folder");
        for entry in fs::read_dir(from).expect("readable").flatten() {
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else if from.is_file() {
        fs::copy(from, to).expect("copied");
    }
}

fn sorted_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

fn first_file(dir: &Path, ext: &str) -> PathBuf {
    sorted_files(dir, ext).into_iter().next().expect("a file to edit")
}

fn last_file(dir: &Path, ext: &str) -> PathBuf {
    sorted_files(dir, ext).pop().expect("a file to edit")
}

/// The report with its first figure changed by `delta`.
fn bump_first_figure(text: &str, delta: i64) -> String {
    let figures = text.find("figures:").expect("a report");
    let start = figures + text[figures..].find('{').expect("a flow map of figures");
    let colon = start + text[start..].find(": ").expect("a figure") + 2;
    let end = colon + text[colon..].find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    let value: i64 = text[colon..end].parse().expect("a number");
    format!("{}{}{}", &text[..colon], value + delta, &text[end..])
}

/// How build time grows with units and with months of history.
fn growth(work: &Path, units: &[Unit]) {
    println!("{:>8} {:>7} {:>9} {:>8} {:>12} {:>9}", "units", "months", "figures", "wall s", "µs/figure", "peak MiB");
    for (n, months) in [(100, 22), (1_000, 22), (3_321, 22), (10_000, 22), (3_321, 12), (3_321, 36), (3_321, 120)] {
        let site = work.join(format!("growth-{n}-{months}"));
        generate(&site, units, n, months, false);
        let out = work.join(format!("growth-out-{n}-{months}"));
        let _ = run_build(&site, &out);
        let runs: Vec<Run> = (0..3).map(|_| run_build(&site, &out)).collect();
        let r = median_run(runs);
        let figures = n * months * 3;
        println!(
            "{n:>8} {months:>7} {figures:>9} {:>8.3} {:>12.2} {:>9.1}",
            r.seconds,
            r.seconds * 1e6 / figures as f64,
            r.peak_kib as f64 / 1024.0
        );
        let _ = fs::remove_dir_all(&site);
        let _ = fs::remove_dir_all(&out);
    }
    println!();
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cores} cores, {cpu}")
}
