//! The cache's record of what each output folder was given by its last build: every
//! file's path and a 128-bit hash of its bytes. The next build compares its own files
//! with it to list what changed (see `output::changes`) without reading the old site.

use std::collections::BTreeMap;
use std::path::Path;

/// The store's name for the output folder `output`: a hash of its absolute path, since
/// one site may be built into several.
fn name(output: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let absolute = output.canonicalize().unwrap_or_else(|_| output.to_owned());
    let mut h = std::hash::DefaultHasher::new();
    absolute.hash(&mut h);
    format!("{:016x}.txt", h.finish())
}

/// What the last build wrote into `output`, if the cache has it whole.
pub fn read(root: &Path, output: &Path) -> Option<BTreeMap<String, u128>> {
    let dir = super::store(root, "published")?;
    let text = std::fs::read_to_string(dir.join(name(output))).ok()?;
    let mut sums = BTreeMap::new();
    let mut lines = text.lines();
    // The count first: a record cut short is no record.
    let count: usize = lines.next()?.parse().ok()?;
    for line in lines {
        let (sum, path) = line.split_once('\t')?;
        sums.insert(path.to_owned(), u128::from_str_radix(sum, 16).ok()?);
    }
    (sums.len() == count).then_some(sums)
}

/// The hash of the bytes of each cache file hashed before, by which file it is.
pub fn read_linked(root: &Path) -> crate::output::Linked {
    let Some(dir) = super::store(root, "published") else { return Default::default() };
    let text = std::fs::read_to_string(dir.join("linked.txt")).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let (id, sum) = l.split_once('\t')?;
            Some((u128::from_str_radix(id, 16).ok()?, u128::from_str_radix(sum, 16).ok()?))
        })
        .collect()
}

/// Keeps the hashes of the cache files this build used, for the next one.
pub fn write_linked(root: &Path, linked: &crate::output::Linked) {
    let Some(dir) = super::store(root, "published") else { return };
    let mut lines: Vec<String> = linked.iter().map(|(id, sum)| format!("{id:032x}\t{sum:032x}\n")).collect();
    lines.sort_unstable();
    let _ = super::put(&dir, "linked.txt", lines.concat().as_bytes());
}

/// Keeps what this build wrote into `output`, for the next one.
pub fn write(root: &Path, output: &Path, sums: &BTreeMap<String, u128>) {
    let Some(dir) = super::store(root, "published") else { return };
    let mut text = format!("{}\n", sums.len());
    for (path, sum) in sums {
        text.push_str(&format!("{sum:032x}\t{path}\n"));
    }
    let _ = super::put(&dir, &name(output), text.as_bytes());
}
