//! `tiendo new DIR`: a small working site to start from, with comments in its files
//! that teach the format. The files live under `starter/` and are embedded.
//!
//! The theme is not copied: a site that copied it would keep an old theme for ever.
//! To change a template, a site adds one with the same name to its `templates/`.

use std::fs;
use std::path::Path;

use crate::Error;
use crate::output::OutputError;

const STARTER: &[(&str, &str)] = &[
    (".gitignore", include_str!("../starter/.gitignore")),
    ("site.yaml", include_str!("../starter/site.yaml")),
    ("data/localities.yaml", include_str!("../starter/data/localities.yaml")),
    ("data/indicators.yaml", include_str!("../starter/data/indicators.yaml")),
    ("data/targets/2025.yaml", include_str!("../starter/data/targets/2025.yaml")),
    ("data/reports/2025-08.yaml", include_str!("../starter/data/reports/2025-08.yaml")),
    ("data/reports/2025-09.yaml", include_str!("../starter/data/reports/2025-09.yaml")),
    ("content/index.md", include_str!("../starter/content/index.md")),
    ("content/localities/an-binh.md", include_str!("../starter/content/localities/an-binh.md")),
    (
        "content/updates/2025-09-ket-qua-thang-9.md",
        include_str!("../starter/content/updates/2025-09-ket-qua-thang-9.md"),
    ),
];

/// Writes the starter site into `dir`, which must be empty or not exist yet.
/// Returns the files written, relative to `dir`.
pub fn create(dir: &Path) -> Result<Vec<&'static str>, Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output(OutputError::new(path, source))
    };
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(Error::Usage(crate::t!("new_not_empty", folder = dir.display().to_string())));
        }
    }
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(STARTER.iter().map(|(rel, _)| *rel).collect())
}
