//! The forms of the monthly update as the server reads them, and who may send them:
//! `multipart/form-data` bodies parsed into fields, and the per-run token and the
//! preview's own `Origin` that every request that writes must carry.

use super::Shared;

/// A secret of this run: 128 bits from the system's randomness.
pub(super) fn new_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let part = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u32(std::process::id());
        h.finish()
    };
    format!("{:016x}{:016x}", part(1), part(2))
}

/// One field of a submitted form.
pub(super) struct Field {
    pub name: String,
    /// The file name the browser gave, for a file.
    pub filename: Option<String>,
    pub data: Vec<u8>,
}

/// The fields of a `multipart/form-data` body, or `None` if it is not one.
pub(super) fn multipart(content_type: &str, body: &[u8]) -> Option<Vec<Field>> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty() && b.len() <= 200)?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut fields = Vec::new();
    let mut rest = body;
    let start = find(rest, &delimiter)?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Some(fields);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        rest = &rest[head_end + 4..];
        let mut end_marker = b"\r\n".to_vec();
        end_marker.extend_from_slice(&delimiter);
        let end = find(rest, &end_marker)?;
        let data = rest[..end].to_vec();
        rest = &rest[end + end_marker.len()..];
        let disposition = head.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        let param = |key: &str| -> Option<String> {
            disposition.split(';').map(str::trim).find_map(|p| {
                let (k, v) = p.split_once('=')?;
                (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches('"').to_owned())
            })
        };
        fields.push(Field { name: param("name")?, filename: param("filename"), data });
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub(super) fn field<'f>(fields: &'f [Field], name: &str) -> Option<&'f Field> {
    fields.iter().find(|f| f.name == name)
}

/// A text field, trimmed; empty when absent.
pub(super) fn text(fields: &[Field], name: &str) -> String {
    field(fields, name).map(|f| String::from_utf8_lossy(&f.data).trim().to_owned()).unwrap_or_default()
}

/// Whether a request that writes may: it carries this run's token, and comes from a page
/// of this preview.
pub(super) fn allowed(origin: Option<&str>, fields: &[Field], shared: &Shared) -> bool {
    let token = text(fields, "token");
    // Browsers send a file's name without its folder: a name that is a path was made by
    // hand, and is refused like a request without the token.
    let path_like = |name: &str| name.contains(['/', '\\']) || name == ".." || name.chars().any(char::is_control);
    !fields.iter().filter_map(|f| f.filename.as_deref()).any(path_like)
        && origin.is_some_and(|o| own_origin(o, shared.port))
        && !token.is_empty()
        && constant_time_eq(token.as_bytes(), shared.token.as_bytes())
}

/// Whether an `Origin` is the preview's own: pages it served, by either of its names.
pub(super) fn own_origin(origin: &str, port: u16) -> bool {
    origin == format!("http://127.0.0.1:{port}") || origin == format!("http://localhost:{port}")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
