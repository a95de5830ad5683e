//! Embeds every message catalogue of `templates/messages/` in the binary, so that a
//! catalogue for another language is added as one file, without touching the code.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("templates/messages");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut codes: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".yaml")).map(str::to_owned))
            .collect(),
        Err(_) => Vec::new(),
    };
    codes.sort();
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let mut out = String::from(
        "/// Every built-in catalogue: (language code, its text).\npub const CATALOGUES: &[(&str, &str)] = &[\n",
    );
    for code in &codes {
        let path = Path::new(&root).join(dir).join(format!("{code}.yaml"));
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(out, "    ({code:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("catalogues.rs");
    if let Err(e) = std::fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {e}", target.display());
    }
}
