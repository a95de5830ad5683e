//! Embeds every language's catalogues in the binary (its interface text,
//! `templates/i18n/<code>.yaml`, and its messages, `templates/messages/<code>.yaml`), so
//! that a language is added as two files, without touching the code; and a hash of the
//! program's sources, by which what a build keeps for the next one (the earlier years'
//! pages) knows the program that made it.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Every file under `dir`, sorted.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    program_hash();
    languages();
}

/// `PROGRAM`: a hash of everything the program is made from (its code, its built-in
/// templates, fonts and words, and the exact versions of the crates it uses).
fn program_hash() {
    let mut all = Vec::new();
    for dir in ["src", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
        files(Path::new(dir), &mut all);
    }
    for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={file}");
        all.push(PathBuf::from(file));
    }
    all.sort();
    // SipHash with fixed keys: the same hash for the same files on every machine.
    let mut h = std::hash::DefaultHasher::new();
    for path in &all {
        path.to_string_lossy().replace('\\', "/").hash(&mut h);
        std::fs::read(path).unwrap_or_default().hash(&mut h);
    }
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("program.rs");
    let text = format!(
        "/// A hash of the program's sources (see build.rs).\npub const PROGRAM: u64 = {:#018x};\n",
        h.finish()
    );
    if let Err(e) = std::fs::write(&target, text) {
        println!("cargo:warning=cannot write {}: {e}", target.display());
    }
}

/// `LANGUAGES`: (code, interface text, messages) of every language with an interface
/// catalogue, in the order of their codes. A language without its messages is an error.
fn languages() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let (interface, messages) = (Path::new(&root).join("templates/i18n"), Path::new(&root).join("templates/messages"));
    let codes = |dir: &Path| -> Vec<String> {
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut codes: Vec<String> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".yaml")).map(str::to_owned))
                .collect(),
            Err(_) => Vec::new(),
        };
        codes.sort();
        codes
    };
    let (with_interface, with_messages) = (codes(&interface), codes(&messages));
    let mut out = String::from(
        "/// Every language: (code, its interface text, its messages).\npub const LANGUAGES: &[(&str, &str, &str)] = &[\n",
    );
    for code in &with_interface {
        let (a, b) = (interface.join(format!("{code}.yaml")), messages.join(format!("{code}.yaml")));
        println!("cargo:rerun-if-changed={}", a.display());
        println!("cargo:rerun-if-changed={}", b.display());
        let _ = writeln!(
            out,
            "    ({code:?}, include_str!({:?}), include_str!({:?})),",
            a.display().to_string(),
            b.display().to_string()
        );
    }
    out.push_str("];\n");
    for code in with_interface.iter().filter(|c| !with_messages.contains(c)) {
        let _ = writeln!(out, "compile_error!(\"templates/i18n/{code}.yaml has no templates/messages/{code}.yaml\");");
    }
    for code in with_messages.iter().filter(|c| !with_interface.contains(c)) {
        let _ = writeln!(out, "compile_error!(\"templates/messages/{code}.yaml has no templates/i18n/{code}.yaml\");");
    }
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("languages.rs");
    if let Err(e) = std::fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {e}", target.display());
    }
}
